#!/usr/bin/env bash
# `driftloop detect` as a whole process against River 0.26.1 running the same detector over the same file in a
# Python loop (Benchmarks/scripts/river_detect.py), each with its start-up and file reading: ADWIN and Page-Hinkley
# on 1,000,000 full-precision Gaussian values, DDM and HDDM_A on 1,000,000 0/1 errors. Both outputs must be the
# same bytes; then both are timed interleaved (median, min, max of RUNS rounds). Figures go to BENCHMARKS.md.
# Usage: bash Benchmarks/scripts/bench_detect.sh [DATA_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
data=${1:-/tmp/driftloop-detect-bench}
runs=${2:-7}
scratch=${SCRATCH:-.build}
swift build -c release --product driftloop --static-swift-stdlib --scratch-path "$scratch" >/dev/null
driftloop="$scratch/release/driftloop"
if [ ! -x .venv/river/bin/python ]; then
  python3 -m venv .venv/river
  .venv/river/bin/pip install -q river==0.26.1
fi
[ -f "$data/errors_1m.txt" ] || python3 Benchmarks/scripts/generate_stream_benchmark_data.py "$data"
for pair in adwin:gauss_1m page-hinkley:gauss_1m ddm:errors_1m hddm-a:errors_1m; do
  detector=${pair%%:*} file="$data/${pair#*:}.txt"
  ours=$("$driftloop" detect --detector "$detector" --json "$file")
  theirs=$(.venv/river/bin/python Benchmarks/scripts/river_detect.py "$detector" "$file")
  if [ "$ours" != "$theirs" ]; then
    echo "$detector: outputs differ"; echo "driftloop: ${ours:0:300}"; echo "River:     ${theirs:0:300}"; exit 1
  fi
  echo "$detector on ${pair#*:}: identical output (${ours:0:120})"
  python3 Benchmarks/scripts/time_interleaved.py --runs "$runs" \
    "driftloop=$driftloop detect --detector $detector --json $file" \
    "river=.venv/river/bin/python Benchmarks/scripts/river_detect.py $detector $file"
done
