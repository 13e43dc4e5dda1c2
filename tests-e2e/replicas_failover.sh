#!/usr/bin/env bash
# Two replicas on one PostgreSQL, a storm of drift webhooks to both, one replica killed mid-way (issue: several
# replicas on PostgreSQL). Figures go to BENCHMARKS.md ("Replicas on PostgreSQL").
#
#   bash tests-e2e/replicas_failover.sh        # DRIFTLOOP_BIN=/path/to/driftloop; nothing is built here
#
# On 127.0.0.1 with free ports and a temp dir:
#   - a fresh PostgreSQL database (scripts/postgres_server.sh's server unless REPLICAS_POSTGRES_URL or
#     DRIFTLOOP_POSTGRES_URL names one; the role needs CREATEDB), dropped when the run passes;
#   - PIPELINES (50) pipelines p00, p01, ... made from pipelines/example.yaml: the bundled churn data, model mNN each,
#     the built-in registry, cooldown 0s (a trigger after a cycle ends starts the next one), training shortened to
#     ITERATIONS gradient steps, evaluation min_improvement MIN_IMPROVEMENT (0: a retrain that ties the champion is
#     promoted, so most cycles promote);
#   - the trainer (TRAINER): `builtin` (default) uses each replica's own built-in trainer over the shared data_dir
#     (`trainer: {kind: builtin}`): the survivor's trainer takes over the jobs the dead replica started (looked up
#     in data_dir/trainer/jobs); `shared` runs the built-in trainer once, as `driftloop trainer`, and the pipelines
#     use it as `trainer: {kind: http}`;
#   - replicas a and b: `driftloop serve`, same data_dir (the built-in registry and trainer files), same pipelines,
#     `replica: {id: a|b, lease_ttl: LEASE_TTL, poll: POLL}`, store postgres (url_env DRIFTLOOP_POSTGRES_URL).
# Then:
#   1. the storm, STORM_SECONDS (45): one wrk per replica (tests-e2e/replicas_failover.lua, -t C -c C with C =
#      CONNECTIONS, one connection per thread so every answer is paired with its event): POST /v1/webhooks/drift
#      with a unique event_id spread over all pipelines; every DUP_EVERY-th request re-sends an event the OTHER
#      replica's storm sent earlier (it must be answered `duplicate`, same cycle). Every answer is recorded.
#   2. after KILL_AFTER (18) seconds, `kill -9` of the replica holding most leases (read from pipeline_leases); its
#      wrk is stopped (requests in flight then are counted apart: never answered), and a second wrk sends the dead
#      replica's share to the survivor for the rest of the storm, re-sending events the dead one had accepted; and the
#      request each of the dead one's connections had in flight is retried on the survivor (as a client whose answer
#      was lost would): a duplicate if it had been committed, else accepted now.
#   3. after the storm: until no cycle is running (DRAIN_TIMEOUT, 180 s), then the leases and the survivor's RSS
#      are read, and the survivor is stopped with SIGTERM.
#   4. tests-e2e/replicas_failover_check.py checks, from the answers, PostgreSQL (psql), the trainer's job files and
#      the registry's files, printing each with its counts: every 2xx trigger is stored with its cycle and
#      disposition, and every stored one was answered or was in flight; duplicates join the first event's cycle;
#      every pipeline has cycles; every cycle finished along one path of transitions (no state entered twice) and
#      none failed; one training job per cycle that trained; at most one promotion per cycle; each champion pointer
#      equals the last promotion; the survivor holds every lease. Then the figures: triggers/s accepted (both
#      replicas, each, before/after the kill), p50/p99 latency, cycles/s, takeover time, the survivor's RSS.
# Exit status 1 if an invariant fails (the temp dir and database are kept and named), 2 on a set-up error.
#
# Knobs (environment): DRIFTLOOP_BIN (default .build/release/driftloop, else .build/debug/driftloop), PIPELINES (50),
# STORM_SECONDS (45), KILL_AFTER (18), CONNECTIONS (4 per replica), DUP_EVERY (10), DUP_LAG (20), DELAY_MS (0: each
# connection sends as fast as it is answered), LEASE_TTL (3s), POLL (250ms), DRAIN_TIMEOUT (180), TRAINER (shared |
# builtin), ITERATIONS (20), MIN_IMPROVEMENT (0), LOG_LEVEL (notice; info logs every trigger and transition, for
# evidence, at some cost in throughput), KEEP=1 keeps the temp dir and database,
# REPLICAS_TMP (parent of the temp dir, default ${TMPDIR:-/tmp}).
# A kept run can be checked again: python3 tests-e2e/replicas_failover_check.py check --manifest DIR/manifest.json
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=support/harness.sh
source "$ROOT/tests-e2e/support/harness.sh"
cd "$ROOT"
CHECK=(python3 "$ROOT/tests-e2e/replicas_failover_check.py")
LUA="$ROOT/tests-e2e/replicas_failover.lua"
if [ -n "${DRIFTLOOP_BIN:-}" ]; then BIN="$DRIFTLOOP_BIN"
elif [ -x .build/release/driftloop ]; then BIN=.build/release/driftloop
else BIN=.build/debug/driftloop
fi
PIPELINES=${PIPELINES:-50}
STORM_SECONDS=${STORM_SECONDS:-45}
KILL_AFTER=${KILL_AFTER:-18}
CONNECTIONS=${CONNECTIONS:-4}
DUP_EVERY=${DUP_EVERY:-10}
DUP_LAG=${DUP_LAG:-20}
DELAY_MS=${DELAY_MS:-0}
LEASE_TTL=${LEASE_TTL:-3s}
POLL=${POLL:-250ms}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-180}
TRAINER=${TRAINER:-builtin}
ITERATIONS=${ITERATIONS:-20}
MIN_IMPROVEMENT=${MIN_IMPROVEMENT:-0}
LOG_LEVEL=${LOG_LEVEL:-notice}

say() { echo "replicas_failover: $*"; }
die() { echo "replicas_failover: $*" >&2; exit 2; }
for n in PIPELINES STORM_SECONDS KILL_AFTER CONNECTIONS DUP_EVERY DUP_LAG DELAY_MS DRAIN_TIMEOUT ITERATIONS; do
  case "${!n}" in ''|*[!0-9]*) die "$n must be a whole number, not '${!n}'" ;; esac
done
[ "$PIPELINES" -ge 1 ] && [ "$PIPELINES" -le 100 ] || die "PIPELINES must be 1..100"
[ "$CONNECTIONS" -ge 1 ] || die "CONNECTIONS must be at least 1"
[ "$KILL_AFTER" -ge 1 ] && [ "$KILL_AFTER" -lt "$STORM_SECONDS" ] || die "KILL_AFTER must be at least 1 and less than STORM_SECONDS"
case "$TRAINER" in shared|builtin) ;; *) die "TRAINER must be shared or builtin, not '$TRAINER'" ;; esac
[ -x "$BIN" ] || die "no driftloop binary at $BIN (swift build -c release --product driftloop, or set DRIFTLOOP_BIN); this script builds nothing"
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
for tool in wrk psql curl python3; do
  command -v "$tool" >/dev/null || die "$tool is required (apt-get install wrk postgresql-client curl python3)"
done

WORK="$(mktemp -d "${REPLICAS_TMP:-${TMPDIR:-/tmp}}/replicas-failover.XXXXXX")"
RUN_ID="rf$(basename "$WORK" | sed 's/^replicas-failover\.//' | tr 'A-Z' 'a-z' | tr -cd 'a-z0-9')"
mkdir -p "$WORK/pipelines" "$WORK/data" "$WORK/out"
declare -A PID=()          # a, b, trainer: the processes this script started
declare -A WRK=()          # side -> wrk pid
PG_STARTED=0
PG_BASE=""
PG_DB=""
PG_URL=""
PASSED=0

cleanup() {
  local k
  for k in "${!WRK[@]}"; do stop_pid "${WRK[$k]}" INT 15; done
  for k in a b trainer; do [ -n "${PID[$k]:-}" ] && stop_pid "${PID[$k]}" TERM 15; done
  if [ -n "$PG_DB" ] && [ "$PASSED" = 1 ] && [ "${KEEP:-0}" != 1 ]; then
    psql -X -q "$PG_BASE" -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || echo "replicas_failover: could not drop database $PG_DB" >&2
  fi
  if [ "$PG_STARTED" = 1 ]; then bash "$ROOT/scripts/postgres_server.sh" stop >/dev/null 2>&1 || true; fi
  if [ "$PASSED" = 1 ] && [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$WORK"
  else
    echo "replicas_failover: kept $WORK${PG_DB:+ and database $PG_DB (psql \"$PG_URL\")}" >&2
  fi
}
on_exit cleanup

fail() {
  echo "replicas_failover: FAILED: $*" >&2
  local log
  for log in a b trainer; do
    [ -s "$WORK/$log.log" ] && { echo "----- last lines of $WORK/$log.log -----" >&2; tail -n 20 "$WORK/$log.log" >&2; }
  done
  exit 1
}

now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }
t_start=$(now)

# ------------------------------------------------------------------ PostgreSQL
PG_BASE="${REPLICAS_POSTGRES_URL:-${DRIFTLOOP_POSTGRES_URL:-}}"
if [ -z "$PG_BASE" ]; then
  if ! bash "$ROOT/scripts/postgres_server.sh" status >/dev/null 2>&1; then
    bash "$ROOT/scripts/postgres_server.sh" start >/dev/null || die "scripts/postgres_server.sh start failed"
    PG_STARTED=1
  fi
  PG_BASE="$(bash "$ROOT/scripts/postgres_server.sh" url)"
fi
PG_DB="$RUN_ID"
psql -X -q -v ON_ERROR_STOP=1 "$PG_BASE" -c "CREATE DATABASE $PG_DB" >/dev/null \
  || { PG_DB=""; die "could not create a database on ${PG_BASE%%@*}@... (the role needs CREATEDB)"; }
PG_URL="$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$PG_BASE" "$PG_DB")"
export DRIFTLOOP_POSTGRES_URL="$PG_URL"
# The shared trainer answers only callers with its token; the pipelines name the variable (trainer.token_env).
DRIFTLOOP_TRAINER_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'); export DRIFTLOOP_TRAINER_TOKEN
sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$PG_URL" -c "$1"; }

# ------------------------------------------------------------------ pipelines and configs
mapfile -t PORTS < <("${CHECK[@]}" ports 3)
PORT_A=${PORTS[0]}; PORT_B=${PORTS[1]}; PORT_T=${PORTS[2]}
declare -A URL=([a]="http://127.0.0.1:$PORT_A" [b]="http://127.0.0.1:$PORT_B")
TRAINER_URL="http://127.0.0.1:$PORT_T"
python3 - "$ROOT/pipelines/example.yaml" "$WORK/pipelines" "$ROOT/pipelines/data/churn" "$PIPELINES" "$TRAINER" \
  "$TRAINER_URL" "$ITERATIONS" "$MIN_IMPROVEMENT" <<'PY' || die "could not adapt pipelines/example.yaml"
import os, re, sys
example, outdir, data, n, trainer, trainer_url, iterations, min_improvement = sys.argv[1:]
text = open(example, encoding="utf-8").read()
def sub(pattern, replacement, text):
    new, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
    if count != 1:
        sys.exit(f"pipelines/example.yaml: no line matches {pattern!r}")
    return new
text = sub(r"^  reference: .*$", f"  reference: {data}/reference.csv", text)
text = sub(r"^  current: .*$", f"  current: {data}/current.csv", text)
kind = "builtin" if trainer == "builtin" else f"http\n  url: {trainer_url}\n  token_env: DRIFTLOOP_TRAINER_TOKEN"
text = sub(r"^trainer:\n  kind: builtin\n  poll: .*$", f"trainer:\n  kind: {kind}\n  poll: 100ms\n  max_poll: 500ms", text)
text = sub(r'^(    seed: .*)$', rf'\1\n    iterations: "{iterations}"', text)
text = sub(r"^(  primary: \{metric: f1, direction: higher, min_improvement: )[0-9.]+\}", rf"\g<1>{min_improvement}}}", text)
text = sub(r"^cooldown: .*$", "cooldown: 0s", text)
text = sub(r"^    poll: 200ms$", "    poll: 100ms", text)  # await_training's own poll
for i in range(int(n)):
    body = sub(r"^name: .*$", f"name: p{i:02d}", text)
    body = sub(r"^model: .*$", f"model: m{i:02d}", body)
    with open(os.path.join(outdir, f"p{i:02d}.yaml"), "w", encoding="utf-8") as f:
        f.write(f"# Generated by tests-e2e/replicas_failover.sh from pipelines/example.yaml\n{body}")
PY
"$BIN" pipeline validate "$WORK"/pipelines/*.yaml > "$WORK/validate.log" 2>&1 \
  || { cat "$WORK/validate.log" >&2; die "the generated pipelines do not validate"; }
for r in a b; do
  port=$PORT_A; [ "$r" = b ] && port=$PORT_B
  cat > "$WORK/$r.yaml" <<EOF
# Generated by tests-e2e/replicas_failover.sh: replica $r
listen: "127.0.0.1:$port"
data_dir: $WORK/data
pipelines_dir: $WORK/pipelines
store: {kind: postgres, url_env: DRIFTLOOP_POSTGRES_URL}
replica: {id: $r, lease_ttl: $LEASE_TTL, poll: $POLL}
log_level: $LOG_LEVEL
EOF
done
cat > "$WORK/trainer.yaml" <<EOF
# Generated by tests-e2e/replicas_failover.sh: the shared built-in trainer (driftloop trainer), which trains only on
# the data these pipelines declare
data_dir: $WORK/data
pipelines_dir: $WORK/pipelines
log_level: $LOG_LEVEL
EOF

# ------------------------------------------------------------------ processes
wait_http() { # name url seconds
  local deadline=$(( $(date +%s) + $3 ))
  until curl -sf -o /dev/null --max-time 2 "$2"; do
    kill -0 "${PID[$1]}" 2>/dev/null || fail "$1 exited during start-up (log below)"
    [ "$(date +%s)" -lt "$deadline" ] || fail "$1 did not answer $2 within $3 s"
    sleep 0.1
  done
}
if [ "$TRAINER" = shared ]; then
  "$BIN" trainer --config "$WORK/trainer.yaml" --port "$PORT_T" > "$WORK/trainer.log" 2>&1 &
  PID[trainer]=$!
  wait_http trainer "$TRAINER_URL/healthz" 60
fi
for r in a b; do
  "$BIN" serve --config "$WORK/$r.yaml" > "$WORK/$r.log" 2>&1 &
  PID[$r]=$!
done
for r in a b; do wait_http "$r" "${URL[$r]}/readyz" 60; done
deadline=$(( $(date +%s) + 30 ))
until [ "$(sql "SELECT count(*) FROM pipeline_leases WHERE expires_at > extract(epoch FROM clock_timestamp())")" = "$PIPELINES" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "the replicas did not lease all $PIPELINES pipelines within 30 s"
  sleep 0.2
done
leases_before=$(sql "SELECT owner || ' ' || count(*) FROM pipeline_leases GROUP BY owner ORDER BY owner" | tr '\n' ' ')
say "$BIN; database $PG_DB; $PIPELINES pipelines; trainer $TRAINER${PID[trainer]:+ ($TRAINER_URL)}; replicas a ${URL[a]} (pid ${PID[a]}), b ${URL[b]} (pid ${PID[b]}); leases: $leases_before; $(nproc) cores"

# ------------------------------------------------------------------ the storm
start_wrk() { # side replica other seconds
  RF_SIDE=$1 RF_OTHER=$3 RF_RUN=$RUN_ID RF_OUT=$WORK/out RF_PIPELINES=$PIPELINES RF_DUP_EVERY=$DUP_EVERY RF_DUP_LAG=$DUP_LAG \
    RF_DELAY_MS=$DELAY_MS wrk -t"$CONNECTIONS" -c"$CONNECTIONS" -d"$4"s --timeout 10s --latency -s "$LUA" "${URL[$2]}" \
    > "$WORK/out/$1.wrk" 2> "$WORK/out/$1.err" &
  WRK[$1]=$!
}
resends="no re-sends"; [ "$DUP_EVERY" -gt 0 ] && resends="every ${DUP_EVERY}th request a re-send of the other's event"
say "storm: $STORM_SECONDS s of drift webhooks to both replicas (wrk -t$CONNECTIONS -c$CONNECTIONS each, $resends); kill -9 after $KILL_AFTER s"
storm_t0=$(now)
start_wrk a1 a b1 "$STORM_SECONDS"
start_wrk b1 b a1 "$STORM_SECONDS"
sleep "$KILL_AFTER" & wait $!   # (wait: a signal to this script is handled at once)
running_at_kill=$(sql "SELECT count(*) FROM cycles WHERE status = 'running'")
read -r victim victim_leases < <(sql "SELECT owner || ' ' || count(*) FROM pipeline_leases WHERE expires_at > extract(epoch FROM clock_timestamp()) GROUP BY owner ORDER BY count(*) DESC, owner LIMIT 1")
case "$victim" in a|b) ;; *) fail "cannot tell which replica holds the leases (got '$victim')" ;; esac
survivor=b; [ "$victim" = b ] && survivor=a
sql "SELECT coalesce(json_agg(l), '[]'::json) FROM (SELECT * FROM pipeline_leases ORDER BY pipeline) l" > "$WORK/out/leases-before-kill.json"
kill_t=$(now)
kill -KILL "${PID[$victim]}"
wait "${PID[$victim]}" 2>/dev/null || true
PID[$victim]=""
# The dead replica's storm: what it had in flight is never answered (counted apart); then its share goes to the survivor.
stop_pid "${WRK[${victim}1]}" INT 15
unset "WRK[${victim}1]"
remaining=$(python3 -c "import sys, math; print(max(1, math.ceil(float(sys.argv[1]) + float(sys.argv[2]) - float(sys.argv[3]))))" "$storm_t0" "$STORM_SECONDS" "$(now)")
start_wrk s2 "$survivor" "${victim}1" "$remaining"
# A client whose answer was lost retries: the request each of the dead one's connections had in flight, to the survivor.
retried=$("${CHECK[@]}" retry --api "${URL[$survivor]}" --pending "$WORK/out/${victim}1.pending" --record "$WORK/out/r2-1.rec") \
  || fail "retrying the requests in flight at the kill failed"
say "killed replica $victim (SIGKILL) at +$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$storm_t0" "$kill_t") s holding $victim_leases leases, $running_at_kill cycles running; the storm goes on to $survivor for $remaining s; $retried requests in flight at the kill retried there"
for side in "${!WRK[@]}"; do wait "${WRK[$side]}" || true; done
WRK=()
storm_t1=$(now)
for side in a1 b1 s2; do
  grep -q '^RF ' "$WORK/out/$side.wrk" || fail "wrk ($side) gave no result: $(cat "$WORK/out/$side.wrk" "$WORK/out/$side.err" | head -20)"
  sed "s/^/  wrk $side: /" "$WORK/out/$side.err" | head -3
done
kill -0 "${PID[$survivor]}" 2>/dev/null || fail "the survivor ($survivor) exited during the storm"

# ------------------------------------------------------------------ drain, then stop the survivor
say "storm over ($(elapsed "$storm_t0") s); waiting for running cycles to end (at most $DRAIN_TIMEOUT s)"
deadline=$(( $(date +%s) + DRAIN_TIMEOUT ))
last_report=$(date +%s)
while :; do
  running=$(sql "SELECT count(*) FROM cycles WHERE status = 'running'")
  [ "$running" = 0 ] && break
  kill -0 "${PID[$survivor]}" 2>/dev/null || fail "the survivor ($survivor) exited while cycles were running"
  if [ "$(date +%s)" -ge "$deadline" ]; then
    sql "SELECT id || ' ' || pipeline || ' ' || state FROM cycles WHERE status = 'running' ORDER BY created_at" | head -20 | sed 's/^/  still running: /' >&2
    echo "replicas_failover: $running cycle(s) still running $DRAIN_TIMEOUT s after the storm; checking anyway" >&2
    break
  fi
  if [ $(( $(date +%s) - last_report )) -ge 15 ]; then say "  $running cycle(s) still running"; last_report=$(date +%s); fi
  sleep 0.25
done
drain_t=$(now)
sql "SELECT coalesce(json_agg(l), '[]'::json) FROM (SELECT * FROM pipeline_leases ORDER BY pipeline) l" > "$WORK/out/leases-end.json"
rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/${PID[$survivor]}/status")
hwm_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/${PID[$survivor]}/status")
threads_n=$(awk '/^Threads:/ {print $2}' "/proc/${PID[$survivor]}/status")
stop_t=$(now)
kill -TERM "${PID[$survivor]}"
for _ in $(seq 150); do kill -0 "${PID[$survivor]}" 2>/dev/null || break; sleep 0.1; done
kill -0 "${PID[$survivor]}" 2>/dev/null && fail "the survivor ($survivor) did not stop within 15 s of SIGTERM"
wait "${PID[$survivor]}" 2>/dev/null && stop_rc=0 || stop_rc=$?
PID[$survivor]=""
stop_s=$(elapsed "$stop_t")
if [ -n "${PID[trainer]:-}" ]; then stop_pid "${PID[trainer]}" TERM 15; PID[trainer]=""; fi

# ------------------------------------------------------------------ the invariants and figures
cat > "$WORK/manifest.json" <<EOF
{"run": "$RUN_ID", "work": "$WORK", "binary": "$BIN", "postgres_url": "$PG_URL", "database": "$PG_DB",
 "pipelines": $PIPELINES, "trainer": "$TRAINER", "connections": $CONNECTIONS, "dup_every": $DUP_EVERY,
 "lease_ttl": "$LEASE_TTL", "poll": "$POLL", "iterations": $ITERATIONS, "min_improvement": "$MIN_IMPROVEMENT",
 "storm_seconds": $STORM_SECONDS, "kill_after": $KILL_AFTER,
 "storm_t0": $storm_t0, "kill_t": $kill_t, "storm_t1": $storm_t1, "drain_t": $drain_t,
 "victim": "$victim", "survivor": "$survivor", "victim_leases": $victim_leases, "running_at_kill": $running_at_kill,
 "sides": {"a1": "a", "b1": "b", "s2": "$survivor", "r2": "$survivor"},
 "survivor_rss_kb": ${rss_kb:-0}, "survivor_hwm_kb": ${hwm_kb:-0}, "survivor_threads": ${threads_n:-0},
 "survivor_stop_s": $stop_s, "survivor_stop_rc": $stop_rc, "cores": $(nproc),
 "out": "$WORK/out", "trainer_jobs": "$WORK/data/trainer/jobs", "registry": "$WORK/data/registry",
 "logs": {"a": "$WORK/a.log", "b": "$WORK/b.log", "trainer": "$WORK/trainer.log"}}
EOF
"${CHECK[@]}" check --manifest "$WORK/manifest.json" || fail "invariants violated (details above; manifest $WORK/manifest.json)"
say "passed in $(elapsed "$t_start") s"
PASSED=1
