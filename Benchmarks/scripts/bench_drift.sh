#!/usr/bin/env bash
# Drift engine benchmark: the whole `driftloop drift` CLI run (read both CSVs, type, test, write JSON), wall
# time and peak RSS, best of 3, on 45,000 x 14 mixed and 200,000 x 20 numerical columns. Figures go to BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
# SCRATCH: the build folder (default .build), so a second checkout can benchmark without sharing one.
# The Swift runtime and Foundation are linked statically (--static-swift-stdlib): resolving their symbols at
# start-up was a quarter of a 40 ms run.
data=${1:-/tmp/driftloop-drift-bench}
scratch=${SCRATCH:-.build}
swift build -c release --product driftloop --static-swift-stdlib --scratch-path "$scratch" >/dev/null
python3 Benchmarks/scripts/generate_drift_benchmark_data.py "$data"
for name in mixed_45k numeric_200k; do
  best=""
  for _ in 1 2 3; do
    # /usr/bin/time gives peak RSS but wall time only to 10 ms; the clock around it (which adds time's own
    # start, under a millisecond) gives milliseconds.
    start=$EPOCHREALTIME
    /usr/bin/time -f "%e %M" -o "$data/time.txt" "$scratch/release/driftloop" drift \
      --reference "$data/${name}_reference.csv" --current "$data/${name}_current.csv" --json "$data/$name.json" >/dev/null || [ $? -eq 1 ]
    milliseconds=$(awk "BEGIN{printf \"%.1f\", ($EPOCHREALTIME - $start) * 1000}")
    read -r seconds kilobytes < "$data/time.txt"
    if [ -z "$best" ] || awk "BEGIN{exit !($milliseconds < ${best%% *})}"; then best="$milliseconds $seconds $kilobytes"; fi
  done
  read -r milliseconds seconds kilobytes <<<"$best"
  echo "$name: ${milliseconds} ms wall (/usr/bin/time: ${seconds}s), $((kilobytes / 1024)) MB peak RSS (best of 3)"
done
