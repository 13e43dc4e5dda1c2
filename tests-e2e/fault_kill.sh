#!/usr/bin/env bash
# Fault injection: `kill -9` of the controller at random points of many cycles, then the invariants.
#
#   bash tests-e2e/fault_kill.sh --store sqlite|postgres --kills N [--binary PATH] [--seed S] [--pipelines P]
#
# On 127.0.0.1 with free ports and state in a temp dir: the Jenkins simulator (tools/jenkins-simulator/jenkins_simulator.py, one
# job per pipeline, builds of 0.4-2 s, one job with a quiet period so items also wait in the queue), P pipelines
# (default 3) that retrain through it and always promote (the build's metrics.json has the challenger better than
# the champion on the same holdout), and the registry: MLflow when DRIFTLOOP_MLFLOW_URL names a running server
# (one unique model name per pipeline and run), else the built-in one. Then N times:
#   start `driftloop serve`; wait for /readyz; send triggers in the background (forced manual retrains, drift
#   webhooks, replays of earlier drift events), recording every 2xx answer with its cycle and trigger id; then
#   `kill -9` it after a seeded random delay, aimed at different moments:
#     startup 0-0.4 s after the start, not waiting for readiness (while unfinished cycles resume) 10%
#     early   0-0.2 s after readiness (resumed cycles, the first requests in flight)          10%
#     start   0-0.05 s after an answer saying a new cycle started (detect, train)             15%
#     queued  0.1-1.6 s after a new cycle started, while the simulator holds the answer to its
#             buildWithParameters for 2 s (a fault "delay ... when after"): the build is queued
#             but the controller never learnt its queue item                                   15%
#     registered  right after the registry shows that cycle's version (fault_kill_check.py aim
#             polls the registry and sends the SIGKILL itself)                                 10%
#     promoted    right after the champion alias moved to it, before the store recorded it    15%
#     late    0-2.5 s after readiness                                                          25%
# Finally one more controller runs until no cycle is running and is stopped with SIGTERM, and
# tests-e2e/fault_kill_check.py checks, from the store, the simulator's own record of queue items and builds, and
# the registry (MLflow's REST API or the built-in registry's files), each printed with its counts:
#   every accepted trigger is in some cycle; every cycle ends; at most one build per cycle; at most one promotion
#   per cycle; the champion pointer equals the last promotion. It also prints where the kills landed (the states
#   of the running cycles at each kill), and warnings that are not invariants (a cycle that did not end promoted;
#   an MLflow version promoted without its driftloop.promoted_at tag). It ends with the summary line
#   fault_kill: store=sqlite registry=builtin kills=N cycles=... triggers=... builds=... promotions=... violations=0 warnings=W
# and exits 1 on any violation (each named with the cycle's row, transitions and Jenkins record).
#
# Options: --store sqlite (default) or postgres; --kills N (default 120); --binary PATH (default
# .build/debug/driftloop, relative to the repository; or DRIFTLOOP_BIN); --seed S (default: from the clock,
# printed; the same seed replays the same kill schedule and trigger sequence, though timing still varies);
# --pipelines P (default 3).
# PostgreSQL: the base URL is FAULT_KILL_POSTGRES_URL, else DRIFTLOOP_POSTGRES_URL, else
# scripts/postgres_server.sh's (started, and stopped at the end, when it is not running). Each run creates a
# fresh database on it (the role needs CREATEDB) and gives driftloop its URL in DRIFTLOOP_POSTGRES_URL
# (store: {kind: postgres, url_env: DRIFTLOOP_POSTGRES_URL}); the database is dropped when the run passes.
# Environment: FAULT_KILL_KEEP=1 keeps the temp dir (configs, logs, records) even when the run passes; a failed
# run always keeps it and prints where. A kept run can be checked again offline:
#   python3 tests-e2e/fault_kill_check.py check --manifest DIR/manifest.json --jenkins-state DIR/jenkins-state.json
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=support/harness.sh
source "$ROOT/tests-e2e/support/harness.sh"
HELPER="$ROOT/tests-e2e/fault_kill_check.py"
SIMULATOR="$ROOT/tools/jenkins-simulator/jenkins_simulator.py"
STORE=sqlite
KILLS=120
BIN="${DRIFTLOOP_BIN:-.build/debug/driftloop}"
SEED=""
NPIPELINES=3

usage() {
    sed -n '2,4p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case "$1" in
        --store) STORE="${2:-}"; shift 2 ;;
        --kills) KILLS="${2:-}"; shift 2 ;;
        --binary) BIN="${2:-}"; shift 2 ;;
        --seed) SEED="${2:-}"; shift 2 ;;
        --pipelines) NPIPELINES="${2:-}"; shift 2 ;;
        -h|--help) usage ;;
        *) echo "fault_kill: unknown argument '$1'" >&2; usage ;;
    esac
done
case "$STORE" in sqlite|postgres) ;; *) echo "fault_kill: --store must be sqlite or postgres, not '$STORE'" >&2; exit 2 ;; esac
case "$KILLS" in ''|*[!0-9]*) echo "fault_kill: --kills must be a number" >&2; exit 2 ;; esac
case "$NPIPELINES" in ''|*[!0-9]*|0) echo "fault_kill: --pipelines must be a number >= 1" >&2; exit 2 ;; esac
[ -n "$SEED" ] || SEED=$(( $(date +%s%N) / 1000 % 1000000 ))
case "$SEED" in *[!0-9]*) echo "fault_kill: --seed must be a non-negative integer" >&2; exit 2 ;; esac
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac

started=$(date +%s.%N)
STATE="$(mktemp -d "${TMPDIR:-/tmp}/fault_kill.XXXXXX")"
RUN_ID="$(basename "$STATE" | sed 's/^fault_kill\.//' | tr 'A-Z' 'a-z')-$SEED"
DL_PID=""
SIM_PID=""
SENDER_PID=""
PG_STARTED=0
PG_DB=""
PG_BASE=""
PASSED=0

cleanup() {
    stop_pid "$SENDER_PID"
    stop_pid "$DL_PID"
    stop_pid "$SIM_PID"
    if [ -n "$PG_DB" ] && [ "$PASSED" = 1 ] && [ "${FAULT_KILL_KEEP:-0}" != 1 ]; then
        psql -X -q "$PG_BASE" -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true
    fi
    if [ "$PG_STARTED" = 1 ]; then bash "$ROOT/scripts/postgres_server.sh" stop >/dev/null 2>&1 || true; fi
    if [ "$PASSED" = 1 ] && [ "${FAULT_KILL_KEEP:-0}" != 1 ]; then
        rm -rf "$STATE"
    else
        echo "fault_kill: state kept in $STATE (seed $SEED${PG_DB:+, database $PG_DB})" >&2
    fi
}
on_exit cleanup

fail() {
    echo "fault_kill: FAILED: $*" >&2
    local log
    for log in driftloop jenkins; do
        if [ -s "$STATE/$log.log" ]; then
            echo "----- last lines of $log.log -----" >&2
            tail -n 25 "$STATE/$log.log" >&2
        fi
    done
    exit 1
}

# ------------------------------------------------------------------ tools
[ -x "$BIN" ] || fail "no driftloop binary at $BIN (build it with scripts/test.sh, or pass --binary / set DRIFTLOOP_BIN); this script builds nothing"
command -v python3 >/dev/null || fail "python3 is required"
command -v curl >/dev/null || fail "curl is required"
[ "$STORE" = sqlite ] || command -v psql >/dev/null || fail "psql is required for --store postgres (bash scripts/postgres_server.sh start installs PostgreSQL)"

mapfile -t PORTS < <(python3 "$HELPER" ports 1)
DL_PORT="${PORTS[0]}"
API="http://127.0.0.1:$DL_PORT"
echo "fault_kill: store=$STORE kills=$KILLS pipelines=$NPIPELINES seed=$SEED binary=$BIN"
echo "fault_kill: state in $STATE, API $API"

# ------------------------------------------------------------------ registry
MLFLOW_URL="${DRIFTLOOP_MLFLOW_URL:-}"
MLFLOW_URL="${MLFLOW_URL%/}"
if [ -n "$MLFLOW_URL" ]; then
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$MLFLOW_URL/health" || true)" = 200 ] \
        || fail "DRIFTLOOP_MLFLOW_URL=$MLFLOW_URL does not answer GET /health with 200 (bash scripts/mlflow_server.sh start, or unset it for the built-in registry)"
    REGISTRY=mlflow
else
    REGISTRY=builtin
fi

# ------------------------------------------------------------------ store
mkdir -p "$STATE/data" "$STATE/pipelines"
if [ "$STORE" = sqlite ]; then
    STORE_YAML="store: {kind: sqlite, path: data/driftloop.sqlite}"
    STORE_MANIFEST="{\"kind\": \"sqlite\", \"path\": \"$STATE/data/driftloop.sqlite\"}"
else
    PG_BASE="${FAULT_KILL_POSTGRES_URL:-${DRIFTLOOP_POSTGRES_URL:-}}"
    if [ -z "$PG_BASE" ]; then
        if ! bash "$ROOT/scripts/postgres_server.sh" status >/dev/null 2>&1; then
            bash "$ROOT/scripts/postgres_server.sh" start >/dev/null || fail "scripts/postgres_server.sh start failed"
            PG_STARTED=1
        fi
        PG_BASE="$(bash "$ROOT/scripts/postgres_server.sh" url)"
    fi
    PG_DB="fault_kill_$(echo "$RUN_ID" | tr -c 'a-z0-9\n' '_')"
    psql -X -q -v ON_ERROR_STOP=1 "$PG_BASE" -c "CREATE DATABASE $PG_DB" >/dev/null \
        || fail "could not create database $PG_DB on ${PG_BASE%%@*}@... (the role needs CREATEDB)"
    # Same URL with the database replaced (a query string such as ?sslmode=disable is kept).
    PG_URL="$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$PG_BASE" "$PG_DB")"
    export DRIFTLOOP_POSTGRES_URL="$PG_URL"
    # A restarted controller (same host and port, so the same replica name) takes its leases back at once;
    # a 100 ms lease poll lets it pick up its pipelines' cycles sooner than the default 500 ms.
    STORE_YAML="store: {kind: postgres, url_env: DRIFTLOOP_POSTGRES_URL}
replica: {poll: 100ms}"
    STORE_MANIFEST="{\"kind\": \"postgres\", \"url\": \"$PG_URL\"}"
    echo "fault_kill: PostgreSQL database $PG_DB"
fi

# ------------------------------------------------------------------ Jenkins simulator
# One job per pipeline. Build durations differ (0.4, 1, 2 s, ...) so kills land in every phase; the second job
# keeps its items 0.5 s in the quiet period (its pipeline sends no delay=), so some kills land while queued.
JENKINS_TOKEN="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
printf '%s\n' "$JENKINS_TOKEN" >"$STATE/jenkins-token"
chmod 600 "$STATE/jenkins-token"
python3 - "$STATE/jenkins.json" "$NPIPELINES" "$JENKINS_TOKEN" <<'PY'
import json, sys
path, n, token = sys.argv[1], int(sys.argv[2]), sys.argv[3]
durations = [0.4, 1.0, 2.0]
jobs = {}
for i in range(1, n + 1):
    jobs[f"ml/fault-kill-{i}"] = {
        "parameters": [{"name": "DRIFTLOOP_CYCLE", "default": ""}, {"name": "PIPELINE", "default": ""},
                       {"name": "REASON", "default": ""}],
        "quiet_period_s": 0.5 if i == 2 else 0,
        "build_duration_s": durations[(i - 1) % len(durations)],
        "result": "SUCCESS",
        "artifacts": {"metrics.json": {
            "challenger": {"f1": 0.91, "accuracy": 0.9}, "champion": {"f1": 0.7, "accuracy": 0.88},
            "model_uri": "jenkins-artifact://${JOB_NAME}/${BUILD_NUMBER}/model.joblib", "holdout_rows": 150}},
        "console": ["training for cycle ${DRIFTLOOP_CYCLE}", "done"],
    }
json.dump({"users": {"driftloop": {"password": "driftloop-password", "api_token": token}}, "csrf": True,
           "time_scale": 1.0, "quiet_period_s": 0, "queue_id_start": 1000, "jobs": jobs}, open(path, "w"), indent=1)
PY
python3 "$SIMULATOR" --port 0 --config "$STATE/jenkins.json" --port-file "$STATE/jenkins.port" >"$STATE/jenkins.log" 2>&1 &
SIM_PID=$!
for i in $(seq 100); do [ -s "$STATE/jenkins.port" ] && break; kill -0 "$SIM_PID" 2>/dev/null || fail "the Jenkins simulator exited"; sleep 0.1; done
[ -s "$STATE/jenkins.port" ] || fail "the Jenkins simulator did not write its port within 10 s"
JENKINS="http://127.0.0.1:$(cat "$STATE/jenkins.port")"

# ------------------------------------------------------------------ pipelines and config
cp "$ROOT/pipelines/data/churn/reference.csv" "$ROOT/pipelines/data/churn/current.csv" "$STATE/pipelines/"
PIPELINE_NAMES=()
PIPELINES_JSON=""
for i in $(seq 1 "$NPIPELINES"); do
    name="fk$i"
    if [ "$REGISTRY" = mlflow ]; then
        model="fault-kill-$RUN_ID-$i"
        registry_yaml="registry: {kind: mlflow, url: \"$MLFLOW_URL\", alias: champion, experiment: \"driftloop-fault-kill/$RUN_ID\", request_timeout: 10s}"
    else
        model="fault-kill-model-$i"
        registry_yaml="registry: {kind: builtin, alias: champion}"
    fi
    delay_yaml="  delay: 0sec"
    [ "$i" = 2 ] && delay_yaml="  # no delay: the job's 0.5 s quiet period applies"
    cat >"$STATE/pipelines/$name.yaml" <<EOF
# Generated by tests-e2e/fault_kill.sh: retrain through the Jenkins simulator, always promote.
name: $name
model: $model
data: {reference: reference.csv, current: current.csv, target: churned}
trainer:
  kind: jenkins
  url: $JENKINS
  job: ml/fault-kill-$i
  user: driftloop
  token_file: $STATE/jenkins-token
$delay_yaml
  poll: 50ms
  max_poll: 200ms
  request_timeout: 5s
  params: {DRIFTLOOP_CYCLE: "{{cycle_id}}", PIPELINE: "{{pipeline}}", REASON: "{{reason}}"}
evaluation:
  # metrics.json always has the challenger 0.21 better than the champion.
  primary: {metric: f1, direction: higher, min_improvement: 0.01}
  guards:
    - {metric: accuracy, direction: higher, max_regression: 0.05}
$registry_yaml
# Triggers after a cycle ends start the next one (during a cycle they join it).
cooldown: 0s
initial: detect
states:
  detect: {action: detect_drift, timeout: 1m, retry: {attempts: 3, backoff: 100ms}, on: {drift: train, forced: train, no_drift: no_drift}}
  train: {action: start_training, timeout: 2m, retry: {attempts: 6, backoff: 100ms, max_backoff: 1s}, on: {started: await_training}}
  await_training: {action: await_training, timeout: 5m, retry: {attempts: 6, backoff: 100ms, max_backoff: 1s}, on: {succeeded: evaluate, failed: failed}}
  evaluate: {action: evaluate, timeout: 1m, on: {better: promote, not_better: reject}}
  promote: {action: promote, timeout: 2m, retry: {attempts: 6, backoff: 100ms, max_backoff: 1s}, on: {promoted: promoted}}
  reject: {action: reject, timeout: 2m, retry: {attempts: 6, backoff: 100ms, max_backoff: 1s}, on: {rejected: rejected}}
  promoted: {terminal: promoted}
  rejected: {terminal: rejected}
  no_drift: {terminal: no_drift}
  failed: {terminal: failed}
  cancelled: {terminal: cancelled}
EOF
    PIPELINE_NAMES+=("$name")
    PIPELINES_JSON+="${PIPELINES_JSON:+, }{\"name\": \"$name\", \"model\": \"$model\", \"job\": \"ml/fault-kill-$i\"}"
done
PIPELINE_LIST="$(IFS=,; echo "${PIPELINE_NAMES[*]}")"
"$BIN" pipeline validate "$STATE"/pipelines/*.yaml >"$STATE/validate.log" 2>&1 \
    || { cat "$STATE/validate.log" >&2; fail "the generated pipelines do not validate"; }

cat >"$STATE/config.yaml" <<EOF
# Generated by tests-e2e/fault_kill.sh
listen: "127.0.0.1:$DL_PORT"
data_dir: data
pipelines_dir: pipelines
$STORE_YAML
log_level: info
EOF

if [ "$REGISTRY" = mlflow ]; then
    REGISTRY_MANIFEST="{\"kind\": \"mlflow\", \"url\": \"$MLFLOW_URL\", \"alias\": \"champion\"}"
else
    REGISTRY_MANIFEST="{\"kind\": \"builtin\", \"dir\": \"$STATE/data/registry\", \"alias\": \"champion\"}"
fi
cat >"$STATE/manifest.json" <<EOF
{"store": $STORE_MANIFEST,
 "registry": $REGISTRY_MANIFEST,
 "jenkins": "$JENKINS", "cycle_param": "DRIFTLOOP_CYCLE",
 "pipelines": [$PIPELINES_JSON],
 "accepted": "$STATE/triggers.jsonl", "kills": "$STATE/kills.log",
 "kills_requested": $KILLS, "seed": $SEED}
EOF
echo "fault_kill: Jenkins simulator $JENKINS, registry $REGISTRY${MLFLOW_URL:+ ($MLFLOW_URL)}, pipelines $PIPELINE_LIST"

# ------------------------------------------------------------------ the controller
start_controller() {
    echo "===== start $1 at $(date +%s.%N)" >>"$STATE/driftloop.log"
    "$BIN" serve --config "$STATE/config.yaml" >>"$STATE/driftloop.log" 2>&1 &
    DL_PID=$!
}

# wait_ready SECONDS: until /readyz answers 2xx while the controller keeps running.
wait_ready() {
    local deadline=$(($(date +%s) + $1))
    until curl -sf -o /dev/null --max-time 2 "$API/readyz"; do
        kill -0 "$DL_PID" 2>/dev/null || fail "the controller exited during start-up (see its log below)"
        [ "$(date +%s)" -lt "$deadline" ] || fail "the controller was not ready at $API/readyz within $1 s"
        sleep 0.02
    done
}

# reap_killed: waits for the controller and fails unless SIGKILL ended it (137): one that crashed or exited by
# itself before the kill is a finding, not a kill.
reap_killed() {
    local status=0
    wait "$DL_PID" 2>/dev/null || status=$?
    DL_PID=""
    [ "$status" = 137 ] || fail "the controller exited with status $status before kill $k was sent (see its log below)"
}

kill_controller() {  # $1 = mode, $2 = delay in ms
    echo "$(date +%s.%N) $1 $2" >>"$STATE/kills.log"
    kill -KILL "$DL_PID" 2>/dev/null || true
    reap_killed
}

ms() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

# ------------------------------------------------------------------ the kills
# sim_faults JSON [QUERY]: POST /__sim/faults (not subject to faults itself).
sim_faults() {
    curl -sf -o /dev/null --max-time 5 -X POST -H 'Content-Type: application/json' \
        --data "$1" "$JENKINS/__sim/faults${2:-}" || fail "the Jenkins simulator refused POST /__sim/faults"
}

# wait_started: up to 3 s for an answer saying a cycle started (a pipeline has to be idle); sets STARTED_PIPELINE.
wait_started() {
    local i
    STARTED_PIPELINE=""
    for i in $(seq 300); do
        if [ -s "$STATE/started.flag" ]; then
            STARTED_PIPELINE="$(awk '{print $2; exit}' "$STATE/started.flag")"
            [ -n "$STARTED_PIPELINE" ] && return 0
        fi
        sleep 0.01
    done
    return 1
}

RANDOM=$SEED
loop_started=$(date +%s.%N)
for ((k = 1; k <= KILLS; k++)); do
    if [ "$k" -gt 1 ] && [ $(((k - 1) % 20)) = 0 ]; then
        echo "fault_kill: $((k - 1)) kills in $(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.0f}')" "$loop_started" "$(date +%s.%N)") s"
    fi
    roll=$((RANDOM % 100))
    start_controller "$k"
    if [ "$roll" -lt 10 ]; then
        # During start-up: the store is opened and unfinished cycles are being resumed.
        delay=$((RANDOM % 400))
        sleep "$(ms "$delay")"
        kill_controller startup "$delay"
        continue
    fi
    wait_ready 30
    if [ "$roll" -lt 20 ]; then mode=early; delay=$((RANDOM % 200))    # resumed cycles, first triggers in flight
    elif [ "$roll" -lt 35 ]; then mode=start; delay=$((RANDOM % 50))   # a new cycle in detect or train
    elif [ "$roll" -lt 50 ]; then mode=queued; delay=$((100 + RANDOM % 1500))
    elif [ "$roll" -lt 60 ]; then mode=registered; delay=0
    elif [ "$roll" -lt 75 ]; then mode=promoted; delay=0
    else mode=late; delay=$((RANDOM % 2500))
    fi
    armed=0
    if [ "$mode" = queued ]; then
        armed=1
        # Jenkins queues the next build but holds its answer for 2 s: the kill lands after the build was
        # queued and before the controller learnt the queue item, so the next one must find it by cycle id.
        sim_faults '{"match": "POST /job/.*/buildWithParameters", "times": 1, "kind": "delay", "seconds": 2.0, "when": "after"}'
    fi
    rm -f "$STATE/started.flag"
    python3 "$HELPER" send --api "$API" --pipelines "$PIPELINE_LIST" --seed $((SEED * 1000 + k)) \
        --tag "k$k" --max-seconds "$(ms $((delay + 6000)))" --record "$STATE/triggers.jsonl" \
        --started-flag "$STATE/started.flag" >>"$STATE/sender.log" 2>&1 &
    SENDER_PID=$!
    case "$mode" in
        start|queued|registered|promoted) wait_started || mode="$mode-nostart" ;;
    esac
    case "$mode" in
        registered|promoted)
            # The helper sends the SIGKILL itself, within about a millisecond of the registry's change. (The
            # group's stderr also takes bash's own "Killed" notice for the job killed behind its back.)
            aim_status=0
            dl_status=0
            {
                python3 "$HELPER" aim --manifest "$STATE/manifest.json" --pipeline "$STARTED_PIPELINE" \
                    --cycle "$(awk '{print $1; exit}' "$STATE/started.flag")" --event "$mode" --kill "$DL_PID" \
                    --kills-log "$STATE/kills.log" >>"$STATE/sender.log" \
                    || { aim_status=$?; kill -KILL "$DL_PID" 2>/dev/null || true; }
                wait "$DL_PID" || dl_status=$?
            } 2>>"$STATE/sender.log"
            DL_PID=""
            [ "$aim_status" = 0 ] || fail "fault_kill_check.py aim failed (see $STATE/sender.log)"
            [ "$dl_status" = 137 ] || fail "the controller exited with status $dl_status before kill $k was sent (see its log below)"
            ;;
        *)
            sleep "$(ms "$delay")"
            kill_controller "$mode" "$delay"
            ;;
    esac
    wait "$SENDER_PID" || fail "the trigger sender failed (see $STATE/sender.log)"
    SENDER_PID=""
    [ "$armed" = 0 ] || sim_faults '[]' '?replace=1'  # not consumed when no build was triggered
done
loop_seconds=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$loop_started" "$(date +%s.%N)")

# ------------------------------------------------------------------ the last controller
start_controller final
wait_ready 30
python3 "$HELPER" wait-idle --api "$API" --pipelines "$PIPELINE_LIST" --timeout 120 \
    || fail "not every cycle ended after the last restart (message above)"
kill -TERM "$DL_PID"
for i in $(seq 150); do kill -0 "$DL_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$DL_PID" 2>/dev/null; then fail "the controller did not stop within 15 s of SIGTERM"; fi
wait "$DL_PID" 2>/dev/null || echo "fault_kill: note: the last controller exited with status $? on SIGTERM" >&2
DL_PID=""

# ------------------------------------------------------------------ the invariants
python3 "$HELPER" check --manifest "$STATE/manifest.json" --result "$STATE/result.json" \
    --save-jenkins-state "$STATE/jenkins-state.json" \
    || fail "invariants violated (seed $SEED; details above)"
total=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$started" "$(date +%s.%N)")
echo "fault_kill: passed in $total s ($KILLS kills in $loop_seconds s, seed $SEED)"
PASSED=1
