#!/usr/bin/env bash
# Scale figures for BENCHMARKS.md ("Stores and scale"): controller throughput on SQLite and PostgreSQL, and the
# controller's memory with 1,000 pipelines loaded. Builds nothing:
#
#   swift build -c release --product driftloop && swift build --package-path Benchmarks -c release
#   bash Benchmarks/scripts/bench_scale.sh            # DRIFTLOOP_BIN / BENCH_BIN override the binaries
#
# 1. `DriftLoopBenchmarks controller` (instant actions: the controller and the store only) on SQLite and on a fresh
#    PostgreSQL database (scripts/postgres_server.sh, started when not running).
# 2. RSS: `driftloop serve` with PIPELINES (1000) copies of pipelines/example.yaml, on SQLite and on PostgreSQL;
#    VmRSS once /readyz answers and the process has settled, then after a retrain of 20 of them has run.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BIN=${DRIFTLOOP_BIN:-.build/release/driftloop}
BENCH=${BENCH_BIN:-Benchmarks/.build/release/DriftLoopBenchmarks}
PIPELINES=${PIPELINES:-1000}
for binary in "$BIN" "$BENCH"; do
  [ -x "$binary" ] || { echo "bench_scale: no binary at $binary; build: swift build -c release --product driftloop && swift build --package-path Benchmarks -c release" >&2; exit 2; }
done
WORK=$(mktemp -d /tmp/driftloop-bench-scale.XXXXXX)
SERVER_PID=""
STARTED_PG=0
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  [ "$STARTED_PG" = 1 ] && bash scripts/postgres_server.sh stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if ! bash scripts/postgres_server.sh status >/dev/null 2>&1; then bash scripts/postgres_server.sh start >/dev/null; STARTED_PG=1; fi
BASE_URL=$(bash scripts/postgres_server.sh url)
fresh_database() {  # $1 = name; prints its URL
  psql "$BASE_URL" -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null 2>&1
  echo "${BASE_URL%/*}/$1"
}

echo "== controller throughput (instant actions, release) =="
DRIFTLOOP_BENCH_POSTGRES_URL=$(fresh_database bench_scale_controller) "$BENCH" controller 200 100

echo "== controller memory with $PIPELINES pipelines =="
mkdir -p "$WORK/pipelines"
python3 - "$ROOT" "$WORK/pipelines" "$PIPELINES" <<'PY'
import sys, pathlib
root, out, count = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
text = (root / "pipelines/example.yaml").read_text()
data = str(root / "pipelines/data")
text = text.replace("data/churn", data + "/churn").replace("cooldown: 10m", "cooldown: 0s")
for index in range(count):
    (out / f"p{index:04d}.yaml").write_text(text.replace("name: example", f"name: p{index:04d}").replace("model: churn", f"model: churn-{index:04d}"))
PY
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
measure_rss() {  # $1 = label, $2 = store yaml
  local port data
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  data="$WORK/data-$1"
  printf 'listen: "127.0.0.1:%s"\ndata_dir: %s\npipelines_dir: %s\nlog_level: warning\n%s\n' "$port" "$data" "$WORK/pipelines" "$2" > "$WORK/config-$1.yaml"
  local start=$(date +%s.%N)
  "$BIN" serve --config "$WORK/config-$1.yaml" > "$WORK/serve-$1.log" 2>&1 &
  SERVER_PID=$!
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve-$1.log" >&2; exit 1; }
    sleep 0.1
  done
  local ready=$(date +%s.%N)
  sleep 2
  local idle=$(rss_kb "$SERVER_PID")
  for index in $(seq 0 19); do
    curl -sf -X POST -H 'Content-Type: application/json' -d '{"reason":"bench"}' "http://127.0.0.1:$port/v1/pipelines/p$(printf %04d "$index")/retrain" >/dev/null
  done
  local deadline=$(( $(date +%s) + 300 ))
  until [ "$(curl -sf "http://127.0.0.1:$port/v1/cycles?limit=50" | python3 -c 'import json,sys; c=json.load(sys.stdin)["cycles"]; print(sum(1 for x in c if x["status"]=="running"))')" = 0 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "bench_scale: cycles did not finish" >&2; exit 1; }
    sleep 0.5
  done
  local busy=$(rss_kb "$SERVER_PID")
  local listed=$(curl -sf "http://127.0.0.1:$port/v1/pipelines" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["pipelines"]))')
  kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  python3 -c 'import sys; l, n, s, r, i, b = sys.argv[1:]; print(f"[{l}] {n} pipelines listed; ready in {float(r) - float(s):.1f} s; RSS {int(i) / 1024:.1f} MB idle, {int(b) / 1024:.1f} MB after 20 cycles")' \
    "$1" "$listed" "$start" "$ready" "$idle" "$busy"
}
measure_rss sqlite "store: {kind: sqlite, path: $WORK/data-sqlite/driftloop.sqlite}"
export DRIFTLOOP_POSTGRES_URL
DRIFTLOOP_POSTGRES_URL=$(fresh_database bench_scale_rss)
measure_rss postgres "store: {kind: postgres, url_env: DRIFTLOOP_POSTGRES_URL}"
