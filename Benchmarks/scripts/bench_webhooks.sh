#!/usr/bin/env bash
# Webhook ingestion load benchmark (issue 7); figures go to BENCHMARKS.md ("Webhook ingestion").
#
#   swift build -c release --product driftloop      # builds .build/release/driftloop (nothing is built here)
#   bash Benchmarks/scripts/bench_webhooks.sh                  # or DRIFTLOOP_BIN=/path/to/driftloop bash Benchmarks/scripts/bench_webhooks.sh
#
# Starts `driftloop serve` on a free 127.0.0.1 port with a throwaway config, data dir and one pipeline `storm`
# (pipelines/example.yaml on the bundled churn data, cooldown 1h), then:
#   1. storm: exactly STORM_ALERTS (10,000) distinct firing alerts for pipeline=storm, ONE alert per Alertmanager v4
#      notification, posted by wrk (Benchmarks/scripts/bench_webhooks.lua) on THREADS x CONNECTIONS keep-alive connections.
#      Checked in the store: exactly 1 cycle; one trigger row per 2xx'd alert (same fingerprints, same
#      dispositions as answered, none doubled); exactly one `started`.
#   2. re-send: one notification re-sending 200 storm alerts (100 as sent, 100 with startsAt at nanosecond
#      precision): all answered `duplicate`, one row each with disposition 'duplicate'.
#   3. throughput and latency (wrk --latency, DURATION each): POST /v1/webhooks/alertmanager (new alerts) and
#      POST /v1/webhooks/drift (unique event_id, API bearer token). Every 2xx'd event must be in the store, at
#      most CONNECTIONS more (requests in flight when wrk stopped), and still one cycle.
# Every request commits to SQLite (WAL, synchronous=FULL) before it is answered: the figures are fsync-bound.
# Needs wrk, sqlite3 (installed with apt-get if missing), python3, curl. Exit status 1 if an invariant fails.
#
# Knobs: DRIFTLOOP_BIN, STORM_ALERTS (10000), THREADS (2), CONNECTIONS (16), DURATION (10s), KEEP=1 keeps the
# temp dir, BENCH_TMP (parent of the temp dir, default ${TMPDIR:-/tmp}).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BIN=${DRIFTLOOP_BIN:-.build/release/driftloop}
STORM_ALERTS=${STORM_ALERTS:-10000}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
DURATION=${DURATION:-10s}
DUP_EXACT=100
DUP_PRECISE=100
LUA=$ROOT/Benchmarks/scripts/bench_webhooks.lua
CHECK=(python3 "$ROOT/Benchmarks/scripts/bench_webhooks_check.py")

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v sqlite3 >/dev/null || need+=(sqlite3)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "bench_webhooks: installing ${need[*]}"
  $SUDO apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 \
    || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${need[@]}" >/dev/null; }
fi
[ -x "$BIN" ] || { echo "bench_webhooks: no binary at $BIN; build it with: swift build -c release --product driftloop" >&2; exit 2; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

WORK=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/driftloop-bench-webhooks.XXXXXX")
mkdir -p "$WORK/pipelines" "$WORK/out"
SERVER_PID=""
WRK_PID=""
cleanup() {
  [ -n "$WRK_PID" ] && kill "$WRK_PID" 2>/dev/null || true
  if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "bench_webhooks: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
API_TOKEN="bench-api-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
AM_TOKEN="bench-am-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s' "$AM_TOKEN" > "$WORK/alertmanager.token"
DB=$WORK/data/driftloop.sqlite
cat > "$WORK/config.yaml" <<EOF
listen: "127.0.0.1:$PORT"
data_dir: $WORK/data
pipelines_dir: $WORK/pipelines
api_token_env: BENCH_WEBHOOKS_API_TOKEN
log_level: warning
webhooks:
  alertmanager: {pipeline_label: pipeline, token_file: $WORK/alertmanager.token}
EOF
sed -e 's/^name: example$/name: storm/' \
    -e "s|^\(  reference: \).*|\1$ROOT/pipelines/data/churn/reference.csv|" \
    -e "s|^\(  current: \).*|\1$ROOT/pipelines/data/churn/current.csv|" \
    -e 's/^cooldown: .*/cooldown: 1h/' \
    "$ROOT/pipelines/example.yaml" > "$WORK/pipelines/storm.yaml"
grep -q '^cooldown: 1h$' "$WORK/pipelines/storm.yaml" && grep -q "reference: /" "$WORK/pipelines/storm.yaml" \
  || { echo "bench_webhooks: could not adapt pipelines/example.yaml" >&2; exit 2; }

BENCH_WEBHOOKS_API_TOKEN=$API_TOKEN "$BIN" serve --config "$WORK/config.yaml" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 150); do
  curl -fsS "$URL/readyz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "bench_webhooks: server exited:" >&2; cat "$WORK/server.log" >&2; exit 2; }
  sleep 0.2
done
curl -fsS "$URL/readyz" >/dev/null || { echo "bench_webhooks: server not ready after 30 s" >&2; cat "$WORK/server.log" >&2; exit 2; }

fail=0
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2" | head -1; }
kv() { sed -n "s/^$1=//p" <<<"$2" | head -1; }
disk=$(df -P "$WORK" | awk 'NR == 2 {print $1}')
disk_dev=$(basename "$disk")
rota=$(cat "/sys/block/$disk_dev/queue/rotational" 2>/dev/null || echo "?")
fs=$(df -PT "$WORK" | awk 'NR == 2 {print $2}')
# What one durable commit costs at least on this disk: 4 KiB write + fsync, 200 times, median and p99.
fsync_probe=$(python3 - "$WORK/fsync.probe" <<'PY'
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o600)
times = []
for _ in range(200):
    os.write(fd, b"x" * 4096)
    start = time.perf_counter(); os.fsync(fd); times.append(time.perf_counter() - start)
os.close(fd); os.unlink(sys.argv[1]); times.sort()
print(f"fsync of 4 KiB: median {times[100] * 1000:.2f} ms, p99 {times[197] * 1000:.2f} ms")
PY
)
echo "bench_webhooks: $BIN serving at $URL, store $DB on $disk ($fs, rotational=$rota; $fsync_probe), $(nproc) cores"

# 1. The storm. wrk runs until every thread has had its share answered; then this loop interrupts it (SIGINT),
#    so wrk's duration is the storm's (to within the 50 ms poll). -d is only a ceiling.
echo "bench_webhooks: storm: $STORM_ALERTS alerts, 1 per request, wrk -t$THREADS -c$CONNECTIONS"
BENCH_MODE=storm BENCH_TOKEN=$AM_TOKEN BENCH_OUT=$WORK/out BENCH_PHASE=a1 BENCH_TOTAL=$STORM_ALERTS BENCH_THREADS=$THREADS \
  wrk -t"$THREADS" -c"$CONNECTIONS" -d120s --timeout 30s --latency -s "$LUA" "$URL" > "$WORK/storm.wrk" 2> "$WORK/storm.err" &
WRK_PID=$!
while kill -0 "$WRK_PID" 2>/dev/null; do
  if [ "$(find "$WORK/out" -name 'storm-*.counts' | wc -l)" -ge "$THREADS" ]; then kill -INT "$WRK_PID"; break; fi
  sleep 0.05
done
wait "$WRK_PID" || true
WRK_PID=""
storm_line=$(grep '^BENCH ' "$WORK/storm.wrk" || true)
[ -n "$storm_line" ] || { echo "bench_webhooks: wrk gave no result:" >&2; cat "$WORK/storm.wrk" "$WORK/storm.err" >&2; exit 1; }
sed 's/^/  wrk: /' "$WORK/storm.err" | head -5
storm_check=$("${CHECK[@]}" storm --db "$DB" --out "$WORK/out" --phase a1 --total "$STORM_ALERTS") || fail=1
echo "$storm_check" | sed 's/^/  /'
storm_ok=$(kv storm_ok "$storm_check")
storm_cycle=$(kv storm_cycle "$storm_check")
sql_cycles=$(sqlite3 "$DB" "SELECT count(*) FROM cycles WHERE pipeline = 'storm'")
sql_triggers=$(sqlite3 "$DB" "SELECT count(*) FROM triggers WHERE pipeline = 'storm'")
echo "  sqlite3: cycles=$sql_cycles triggers=$sql_triggers"
[ "$sql_cycles" = 1 ] && [ "$sql_triggers" = "$storm_ok" ] || { echo "FAIL: sqlite3 counts"; fail=1; }

# 2. Re-send 200 storm alerts in one notification (Alertmanager re-sends a group every group_interval).
"${CHECK[@]}" dup-body --phase a1 --exact "$DUP_EXACT" --precise "$DUP_PRECISE" > "$WORK/dup.json"
dup_status=$(curl -sS -o "$WORK/dup.answer.json" -w '%{http_code}' -H "Authorization: Bearer $AM_TOKEN" \
  -H 'Content-Type: application/json' --data-binary @"$WORK/dup.json" "$URL/v1/webhooks/alertmanager")
[ "$dup_status" = 200 ] || { echo "FAIL: re-send answered HTTP $dup_status: $(head -c 300 "$WORK/dup.answer.json")"; fail=1; }
dup_check=$("${CHECK[@]}" dup --db "$DB" --response "$WORK/dup.answer.json" --phase a1 \
  --count $((DUP_EXACT + DUP_PRECISE)) --storm-ok "${storm_ok:-0}") || fail=1
echo "$dup_check" | sed 's/^/  /'
dup_rows=$(kv dup_rows "$dup_check")

# 3. Throughput and latency, DURATION per route.
run_wrk() { # mode phase token
  BENCH_MODE=$1 BENCH_PHASE=$2 BENCH_TOKEN=$3 BENCH_OUT=$WORK/out \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 30s --latency -s "$LUA" "$URL" > "$WORK/$1.wrk" 2> "$WORK/$1.err" || true
  sed 's/^/  wrk: /' "$WORK/$1.err" | head -5 >&2
  grep '^BENCH ' "$WORK/$1.wrk" || { echo "bench_webhooks: wrk gave no result:" >&2; cat "$WORK/$1.wrk" "$WORK/$1.err" >&2; exit 1; }
}
echo "bench_webhooks: throughput: POST /v1/webhooks/alertmanager, wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency"
am_line=$(run_wrk alertmanager a2 "$AM_TOKEN")
echo "bench_webhooks: throughput: POST /v1/webhooks/drift, wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency"
drift_line=$(run_wrk drift a3 "$API_TOKEN")
final_check=$("${CHECK[@]}" final --db "$DB" --out "$WORK/out" --am-phase a2 --am-ok "$(field ok "$am_line")" \
  --drift-ok "$(field ok "$drift_line")" --connections "$CONNECTIONS" --storm-ok "${storm_ok:-0}" --dups "${dup_rows:-0}") || fail=1
echo "$final_check" | sed 's/^/  /'

for line in "$storm_line" "$am_line" "$drift_line"; do
  bad=$(( $(field non2xx "$line") + $(field err_connect "$line") + $(field err_read "$line") + $(field err_write "$line") + $(field err_timeout "$line") ))
  [ "$bad" -eq 0 ] || { echo "FAIL: $(field mode "$line"): non-2xx or socket errors: $line"; fail=1; }
done
log_errors=$(grep -ciE 'error|critical|busy|locked|timeout' "$WORK/server.log" || true)
metrics_webhooks=$(curl -fsS "$URL/metrics" 2>/dev/null | grep -E '^driftloop_webhooks[a-z_]*\{' | tr '\n' ' ' || true)

row() { # label line
  printf '  %-34s %9s req/s  p50 %7s ms  p90 %7s ms  p99 %7s ms  max %7s ms  (%s requests in %s s, non-2xx %s)\n' "$1" \
    "$(field rps "$2")" "$(field p50_ms "$2")" "$(field p90_ms "$2")" "$(field p99_ms "$2")" "$(field max_ms "$2")" \
    "$(field completed "$2")" "$(field duration_s "$2")" "$(field non2xx "$2")"
}
storm_s=$(field duration_s "$storm_line")
echo
echo "== bench_webhooks summary ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS --timeout 30s)"
echo "  store: $disk $fs rotational=$rota; $fsync_probe"
echo "  storm: $STORM_ALERTS alerts (1 per request) in ${storm_s} s = $(awk "BEGIN {printf \"%.0f\", $STORM_ALERTS / $storm_s}") alerts/s;" \
  "2xx $(field ok "$storm_line"), non-2xx $(field non2xx "$storm_line"); cycles for storm: $sql_cycles;" \
  "trigger rows: $(kv storm_trigger_rows "$storm_check") ($(kv storm_dispositions "$storm_check")); cycle $storm_cycle $(kv storm_cycle_state "$storm_check")"
row "storm (alertmanager, 10k fixed)" "$storm_line"
echo "  re-send: $((DUP_EXACT + DUP_PRECISE)) alerts answered $(kv dup_answered "$dup_check"), rows with disposition duplicate: ${dup_rows:-?}"
row "alertmanager webhook (-d$DURATION)" "$am_line"
row "drift webhook (-d$DURATION)" "$drift_line"
echo "  after all: cycles $(kv final_cycles "$final_check"), trigger rows $(kv final_trigger_rows "$final_check") ($(kv final_dispositions "$final_check"));" \
  "stored without a counted 2xx (in flight at wrk stop): alertmanager $(kv am_stored_unanswered "$final_check"), drift $(kv drift_stored_unanswered "$final_check")"
echo "  server log lines matching error|busy|locked|timeout: $log_errors"
[ -n "$metrics_webhooks" ] && echo "  /metrics: $metrics_webhooks"
if [ "$fail" -ne 0 ]; then
  echo "bench_webhooks: FAILED (see FAIL lines above)"
  KEEP=1
  exit 1
fi
echo "bench_webhooks: passed (storm $STORM_ALERTS alerts -> 1 cycle, $storm_ok trigger rows = 2xx; $dup_rows duplicates recorded;" \
  "alertmanager $(field rps "$am_line") req/s p99 $(field p99_ms "$am_line") ms; drift $(field rps "$drift_line") req/s p99 $(field p99_ms "$drift_line") ms)"
