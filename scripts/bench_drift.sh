#!/usr/bin/env bash
# Drift engine benchmark: the whole `driftloop drift` CLI run (read both CSVs, type, test, write JSON), wall
# time and peak RSS, best of 3, on 45,000 x 14 mixed and 200,000 x 20 numerical columns. Figures go to BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-/tmp/driftloop-drift-bench}
swift build -c release --product driftloop >/dev/null
python3 scripts/generate_drift_benchmark_data.py "$data"
for name in mixed_45k numeric_200k; do
  best=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$data/time.txt" .build/release/driftloop drift \
      --reference "$data/${name}_reference.csv" --current "$data/${name}_current.csv" --json "$data/$name.json" >/dev/null || [ $? -eq 1 ]
    read -r seconds kilobytes < "$data/time.txt"
    if [ -z "$best" ] || awk "BEGIN{exit !($seconds < ${best%% *})}"; then best="$seconds $kilobytes"; fi
  done
  read -r seconds kilobytes <<<"$best"
  echo "$name: ${seconds}s wall, $((kilobytes / 1024)) MB peak RSS (best of 3)"
done
