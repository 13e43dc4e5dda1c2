#!/usr/bin/env bash
# Closed-loop end-to-end check (issue 7): driftloop, a real Prometheus scraping it with the shipped rules and a
# real Alertmanager with the shipped routing, all on 127.0.0.1 with free ports and state in a temp dir.
#   1. baseline: the pipeline's current data equals its reference; driftloop's scheduled drift check publishes
#      driftloop_dataset_drift = 0, Prometheus scrapes it, no alert, no cycle;
#   2. drifted data is copied over the pipeline's current data; the gauge rises to 1, Prometheus'
#      DatasetDriftDetected fires, Alertmanager posts it to driftloop's /v1/webhooks/alertmanager and a cycle
#      of kind `alertmanager` starts and runs to its end (promoted, with the built-in trainer);
#   3. every Grafana panel's PromQL (deploy/grafana/driftloop-dashboard.json, and its annotations) is run
#      against that Prometheus; each must return data.
# Prints the time from the drifted data to the cycle start, and ends with
#   closed_loop: passed (drift -> cycle start N.N s, M panels with data)
# Usage: tests-e2e/closed_loop.sh   (from any directory; builds nothing)
# Environment: DRIFTLOOP_BIN (default .build/debug/driftloop, relative to the repository),
#              CLOSED_LOOP_KEEP=1 keeps the temp dir (configs, logs) for inspection.
# Needs python3 and Debian's prometheus + prometheus-alertmanager (installed with apt-get when missing, as
# deploy/check_deploy.sh does).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=support/harness.sh
source "$ROOT/tests-e2e/support/harness.sh"
HELPER="$ROOT/tests-e2e/closed_loop_check.py"
BIN="${DRIFTLOOP_BIN:-.build/debug/driftloop}"
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
PIPELINE=churn
started=$(date +%s)

STATE="$(mktemp -d "${TMPDIR:-/tmp}/closed_loop.XXXXXX")"
PIDS=()
NAMES=()

cleanup() {
    local pid
    # All are asked to stop first, so they wind down together; then each gets up to 5 s before SIGKILL.
    for pid in ${PIDS[@]+"${PIDS[@]}"}; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in ${PIDS[@]+"${PIDS[@]}"}; do
        stop_pid "$pid"
    done
    if [ "${CLOSED_LOOP_KEEP:-0}" = 1 ]; then
        echo "closed_loop: state kept in $STATE"
    else
        rm -rf "$STATE"
    fi
}
on_exit cleanup

# fail MESSAGE: prints it with the tail of every service's log, and exits 1.
fail() {
    echo "closed_loop: FAILED: $*" >&2
    local log
    for log in driftloop prometheus alertmanager; do
        if [ -s "$STATE/$log.log" ]; then
            echo "----- last lines of $log.log -----" >&2
            tail -n 25 "$STATE/$log.log" >&2
        elif [ -e "$STATE/$log.log" ]; then
            echo "----- $log.log is empty -----" >&2
        fi
    done
    exit 1
}

# start NAME COMMAND...: starts COMMAND in the background, logging to $STATE/NAME.log.
start() {
    local name="$1"
    shift
    "$@" >"$STATE/$name.log" 2>&1 &
    PIDS+=("$!")
    NAMES+=("$name")
}

# alive NAME: fails when the service NAME has exited.
alive() {
    local i
    for i in "${!NAMES[@]}"; do
        if [ "${NAMES[$i]}" = "$1" ] && ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
            fail "$1 exited (see its log below)"
        fi
    done
}

# wait_ready NAME URL SECONDS: until URL answers 2xx, while NAME keeps running.
wait_ready() {
    local name="$1" url="$2" deadline=$(($(date +%s) + $3))
    until curl -sf -o /dev/null --max-time 2 "$url"; do
        alive "$name"
        [ "$(date +%s)" -lt "$deadline" ] || fail "$name not ready at $url within $3 s"
        sleep 0.1
    done
}

# helper SUBCOMMAND ARGS...: the Python checks; their failure message is on stderr.
helper() {
    python3 "$HELPER" "$@" || fail "closed_loop_check.py $1 failed (message above)"
}

# ------------------------------------------------------------------ tools
[ -x "$BIN" ] || fail "no driftloop binary at $BIN (build it, or set DRIFTLOOP_BIN); this script builds nothing"
command -v python3 >/dev/null || fail "python3 is required"
if ! command -v prometheus >/dev/null || ! command -v prometheus-alertmanager >/dev/null \
    || ! command -v promtool >/dev/null || ! command -v amtool >/dev/null; then
    SUDO=()
    [ "$(id -u)" -ne 0 ] && SUDO=(sudo)
    echo "installing prometheus and prometheus-alertmanager with apt-get"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        prometheus prometheus-alertmanager >/dev/null \
        || { "${SUDO[@]}" apt-get update -q >/dev/null \
            && "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
                prometheus prometheus-alertmanager >/dev/null; } \
        || fail "could not install prometheus and prometheus-alertmanager"
fi
echo "using $BIN; $(prometheus --version 2>&1 | head -n 1); $(prometheus-alertmanager --version 2>&1 | head -n 1)"

mapfile -t PORTS < <(python3 "$HELPER" ports 3)
DL_PORT="${PORTS[0]}"
PROM_PORT="${PORTS[1]}"
AM_PORT="${PORTS[2]}"
API="http://127.0.0.1:$DL_PORT"
PROM="http://127.0.0.1:$PROM_PORT"
AM="http://127.0.0.1:$AM_PORT"
echo "state in $STATE; driftloop $API, Prometheus $PROM, Alertmanager $AM"

# ------------------------------------------------------------------ driftloop
# The pipeline is pipelines/example.yaml renamed, with its data copied beside it (same relative paths), a
# scheduled drift check every 2 s that only publishes the figures to /metrics (Prometheus and Alertmanager
# decide to retrain), and current data that starts as a copy of the reference (no drift).
mkdir -p "$STATE/pipelines/data/churn" "$STATE/data"
cp "$ROOT/pipelines/data/churn/reference.csv" "$STATE/pipelines/data/churn/reference.csv"
cp "$ROOT/pipelines/data/churn/reference.csv" "$STATE/pipelines/data/churn/current.csv"
DRIFTED="$ROOT/pipelines/data/churn/current.csv"
grep -q '^name: example$' "$ROOT/pipelines/example.yaml" \
    && grep -q '^  current: data/churn/current.csv$' "$ROOT/pipelines/example.yaml" \
    || fail "pipelines/example.yaml no longer has 'name: example' and 'current: data/churn/current.csv'; update this script"
sed "s/^name: example$/name: $PIPELINE/" "$ROOT/pipelines/example.yaml" >"$STATE/pipelines/$PIPELINE.yaml"
cat >>"$STATE/pipelines/$PIPELINE.yaml" <<'EOF'

# Added by tests-e2e/closed_loop.sh: check reference vs current every 2 s and publish the result to /metrics
# (driftloop_dataset_drift ...) without starting a cycle; the Alertmanager webhook starts it.
schedule:
  every: 2s
  on_drift: publish
# Production feedback watched by a stream detector, so the dashboard's detector panel has its (zero) series.
monitoring:
  task: classification
  positive_label: "1"
  detectors:
    - {detector: adwin, input: error, params: {delta: "0.002"}}
EOF

API_TOKEN="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
AM_TOKEN="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
export CLOSED_LOOP_API_TOKEN="$API_TOKEN"
printf '%s\n' "$AM_TOKEN" >"$STATE/alertmanager-token"
chmod 600 "$STATE/alertmanager-token"
cat >"$STATE/config.yaml" <<EOF
listen: "127.0.0.1:$DL_PORT"
data_dir: data
pipelines_dir: pipelines
api_token_env: CLOSED_LOOP_API_TOKEN
log_level: info
webhooks:
  alertmanager:
    pipeline_label: pipeline
    token_file: $STATE/alertmanager-token
EOF
start driftloop "$BIN" serve --config "$STATE/config.yaml"
wait_ready driftloop "$API/readyz" 30

# ------------------------------------------------------------------ Prometheus
# The shipped rules, with one change: DatasetDriftDetected's `for: 1m` is shortened to `for: 2s` (sed on a
# copy) so the loop closes in seconds. The expression, labels and the other rules are as shipped.
RULES="$STATE/driftloop-rules.yml"
sed '/- alert: DatasetDriftDetected/,/^ *for:/ s/^\( *for:\).*/\1 2s/' \
    "$ROOT/deploy/prometheus/driftloop-rules.yml" >"$RULES"
grep -A3 -- '- alert: DatasetDriftDetected' "$RULES" | grep -q '^ *for: 2s$' \
    || fail "could not shorten DatasetDriftDetected's for: in deploy/prometheus/driftloop-rules.yml"
cat >"$STATE/prometheus.yml" <<EOF
# Generated by tests-e2e/closed_loop.sh: scrape and evaluate every second.
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
alerting:
  alertmanagers:
    - static_configs:
        - targets: ["127.0.0.1:$AM_PORT"]
rule_files:
  - $RULES
scrape_configs:
  # Same job name as deploy/prometheus/prometheus.yml (DriftloopDown and the dashboard use up{job="driftloop"}).
  - job_name: driftloop
    metrics_path: /metrics
    static_configs:
      - targets: ["127.0.0.1:$DL_PORT"]
EOF
promtool check config "$STATE/prometheus.yml" >"$STATE/promtool.log" 2>&1 \
    || { cat "$STATE/promtool.log" >&2; fail "promtool check config rejected the generated prometheus.yml"; }

# ------------------------------------------------------------------ Alertmanager
# deploy/alertmanager/alertmanager.yml with the webhook URL's port and the credentials_file replaced, and
# group_wait/group_interval shortened to 1s/2s (sed on a copy); routes, matchers and receivers as shipped.
AM_CONFIG="$STATE/alertmanager.yml"
AM_SRC="$ROOT/deploy/alertmanager/alertmanager.yml"
sed -e "s#http://127.0.0.1:8080/v1/webhooks/alertmanager#$API/v1/webhooks/alertmanager#" \
    -e "s#credentials_file: /etc/driftloop/alertmanager-token#credentials_file: $STATE/alertmanager-token#" \
    -e 's#^\( *group_wait:\).*#\1 1s#' \
    -e 's#^\( *group_interval:\).*#\1 2s#' \
    "$AM_SRC" >"$AM_CONFIG"
grep -q "url: $API/v1/webhooks/alertmanager" "$AM_CONFIG" \
    && grep -q "credentials_file: $STATE/alertmanager-token" "$AM_CONFIG" \
    || fail "deploy/alertmanager/alertmanager.yml no longer has the webhook URL http://127.0.0.1:8080/v1/webhooks/alertmanager and credentials_file /etc/driftloop/alertmanager-token; update this script"
amtool check-config "$AM_CONFIG" >"$STATE/amtool.log" 2>&1 \
    || { cat "$STATE/amtool.log" >&2; fail "amtool check-config rejected the Alertmanager config"; }
amtool config routes test --config.file="$AM_CONFIG" --verify.receivers=driftloop \
    alertname=DatasetDriftDetected pipeline="$PIPELINE" severity=warning driftloop_trigger=true >"$STATE/amtool.log" 2>&1 \
    || { cat "$STATE/amtool.log" >&2; fail "the Alertmanager config does not route DatasetDriftDetected{pipeline=$PIPELINE} to driftloop"; }

start alertmanager prometheus-alertmanager --config.file="$AM_CONFIG" --storage.path="$STATE/alertmanager-data" \
    --web.listen-address="127.0.0.1:$AM_PORT" --web.external-url="$AM" --cluster.listen-address=
start prometheus prometheus --config.file="$STATE/prometheus.yml" --storage.tsdb.path="$STATE/prometheus-data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --web.external-url="$PROM"
run_since=$(date +%s)
wait_ready alertmanager "$AM/-/ready" 30
wait_ready prometheus "$PROM/-/ready" 30
echo "driftloop, Prometheus and Alertmanager ready after $(($(date +%s) - started)) s"

# ------------------------------------------------------------------ the loop
helper baseline --prom "$PROM" --api "$API" --token "$API_TOKEN" --pipeline "$PIPELINE" --timeout 30
alive driftloop
helper loop --prom "$PROM" --api "$API" --am "$AM" --am-external-url "$AM" --token "$API_TOKEN" \
    --pipeline "$PIPELINE" --feed-from "$DRIFTED" --feed-to "$STATE/pipelines/data/churn/current.csv" \
    --timeout 60 --cycle-timeout 90 --result "$STATE/loop.json"
cycle_start=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cycle_start_s"])' "$STATE/loop.json")

# ------------------------------------------------------------------ the dashboard
# Wait until Prometheus has scraped the finished cycle, then a few more scrapes so that rates have samples
# after it.
deadline=$(($(date +%s) + 20))
until [ "$(curl -sf --get "$PROM/api/v1/query" \
    --data-urlencode "query=sum(driftloop_cycles_finished_total{pipeline=\"$PIPELINE\",outcome=\"promoted\"})" \
    | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")')" = 1 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "Prometheus did not scrape the finished cycle within 20 s"
    sleep 0.2
done
sleep 4
alive driftloop
alive prometheus
helper dashboard --prom "$PROM" --pipeline "$PIPELINE" --dashboard "$ROOT/deploy/grafana/driftloop-dashboard.json" \
    --since "$run_since" --result "$STATE/dashboard.json"
panels=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["panels_with_data"])' "$STATE/dashboard.json")

echo "closed_loop: finished in $(($(date +%s) - started)) s"
echo "closed_loop: passed (drift -> cycle start $cycle_start s, $panels panels with data)"
