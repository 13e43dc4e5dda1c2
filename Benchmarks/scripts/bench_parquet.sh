#!/usr/bin/env bash
# Parquet benchmark (issue 17): the 200,000 x 20 numerical table of the drift benchmark, reference and current,
# written as Parquet by pyarrow with its defaults (snappy, dictionary then plain). Timed as whole processes,
# interleaved round by round (Benchmarks/scripts/time_interleaved.py): `driftloop drift` on the Parquet pair, `driftloop drift`
# on the same data as CSV, and what a user would run instead, pandas.read_parquet + Evidently's DataDriftPreset.
# Usage: Benchmarks/scripts/bench_parquet.sh [DATA_DIR]   (RUNS=7 by default; SCRATCH: the build folder, default .build)
set -euo pipefail
cd "$(dirname "$0")/../.."
data=${1:-/tmp/driftloop-parquet-bench}
runs=${RUNS:-7}
scratch=${SCRATCH:-.build}
swift build -c release --product driftloop --static-swift-stdlib --scratch-path "$scratch" >/dev/null
venv=.venv/evidently
stamp="$venv/.requirements.sha256"
want=$(sha256sum Benchmarks/scripts/requirements-evidently.txt | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  rm -rf "$venv" && python3 -m venv "$venv" && "$venv/bin/pip" install -q -r Benchmarks/scripts/requirements-evidently.txt && echo "$want" > "$stamp"
fi
python3 Benchmarks/scripts/generate_drift_benchmark_data.py "$data" >/dev/null
"$venv/bin/python" - "$data" <<'PY'
import sys, pyarrow.csv as csv, pyarrow.parquet as pq
for side in ("reference", "current"):
    pq.write_table(csv.read_csv(f"{sys.argv[1]}/numeric_200k_{side}.csv"), f"{sys.argv[1]}/numeric_200k_{side}.parquet")
PY
ls -l "$data"/numeric_200k_*.parquet "$data"/numeric_200k_*.csv | awk '{print $5, $9}'
# The reports must agree before their times mean anything.
"$scratch/release/driftloop" drift --reference "$data/numeric_200k_reference.parquet" --current "$data/numeric_200k_current.parquet" \
  --json "$data/parquet.json" >/dev/null || [ $? -eq 1 ]
"$scratch/release/driftloop" drift --reference "$data/numeric_200k_reference.csv" --current "$data/numeric_200k_current.csv" \
  --json "$data/csv.json" >/dev/null || [ $? -eq 1 ]
python3 - "$data" <<'PY'
import json, sys
a, b = (json.load(open(f"{sys.argv[1]}/{n}.json")) for n in ("parquet", "csv"))
for report in (a, b):
    report.pop("reference_source", None); report.pop("current_source", None)
assert a == b, "the Parquet and CSV reports differ"
print("reports: identical apart from the sources;", a["drifted_columns"], "drifted columns")
PY
"$venv/bin/python" Benchmarks/scripts/evidently_drift.py "$data/numeric_200k_reference.parquet" "$data/numeric_200k_current.parquet"
python3 Benchmarks/scripts/time_interleaved.py --runs "$runs" \
  "driftloop drift, Parquet=$scratch/release/driftloop drift --reference $data/numeric_200k_reference.parquet --current $data/numeric_200k_current.parquet --json $data/parquet.json" \
  "driftloop drift, CSV=$scratch/release/driftloop drift --reference $data/numeric_200k_reference.csv --current $data/numeric_200k_current.csv --json $data/csv.json" \
  "pandas.read_parquet + Evidently=$venv/bin/python Benchmarks/scripts/evidently_drift.py $data/numeric_200k_reference.parquet $data/numeric_200k_current.parquet"
