#!/usr/bin/env bash
# Local MLflow 3.17.2 tracking/registry server for driftloop development and CI.
#
#   bash scripts/mlflow_server.sh start [PORT]   # default 5055; installs into REPO/.venv/mlflow on first use
#   bash scripts/mlflow_server.sh stop  [PORT]
#   bash scripts/mlflow_server.sh url   [PORT]   # prints http://127.0.0.1:PORT
#   bash scripts/mlflow_server.sh status [PORT]  # exit 0 when running and healthy
#
# Environment:
#   MLFLOW_STATE_DIR   state directory (default REPO/data/mlflow-PORT): mlflow.db, artifacts/, mlflow.log, mlflow.pid
#   MLFLOW_PORT        default port when none is given (5055)
#   MLFLOW_VENV        venv directory (default REPO/.venv/mlflow)
#   MLFLOW_START_TIMEOUT  seconds to wait for GET /health == 200 (default 120)
#   MLFLOW_ALLOWED_HOSTS  passed to --allowed-hosts when set (needed when reached by a service name)
#
# Artifacts: the server proxies them (--serve-artifacts --artifacts-destination STATE/artifacts), so new
# experiments get artifact_location mlflow-artifacts:/<exp_id> and runs report
# artifact_uri mlflow-artifacts:/<exp_id>/<run_id>/artifacts. A client uploads a file with
#   PUT /api/2.0/mlflow-artifacts/artifacts/<exp_id>/<run_id>/artifacts/<path>
# (stored at STATE/artifacts/<exp_id>/<run_id>/artifacts/<path>) and lists it with
#   GET /api/2.0/mlflow/artifacts/list?run_id=<run_id>[&path=<dir>]
# Model versions with source runs:/<run_id>/model work with this layout.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/.." && pwd)"
MLFLOW_VERSION="3.17.2"
REQUIREMENTS="$SCRIPT_DIR/lib/requirements-mlflow.txt"
VENV="${MLFLOW_VENV:-$REPO/.venv/mlflow}"
START_TIMEOUT="${MLFLOW_START_TIMEOUT:-120}"
STOP_TIMEOUT=20
HOST=127.0.0.1

usage() {
  sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

CMD="${1:-}"
[ -n "$CMD" ] || usage
PORT="${2:-${MLFLOW_PORT:-5055}}"
case "$PORT" in ''|*[!0-9]*) echo "mlflow_server.sh: invalid port '$PORT'" >&2; exit 2 ;; esac

STATE="${MLFLOW_STATE_DIR:-$REPO/data/mlflow-$PORT}"
case "$STATE" in /*) ;; *) STATE="$PWD/$STATE" ;; esac
PIDFILE="$STATE/mlflow.pid"
LOG="$STATE/mlflow.log"
URL="http://$HOST:$PORT"

log() { echo "mlflow_server.sh: $*" >&2; }

http_code() {  # $1 = path; prints the HTTP status or 000
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 --noproxy '*' "$URL$1" 2>/dev/null || true
}
healthy() { [ "$(http_code /health)" = "200" ]; }

read_pid() {  # prints the pid from the pid file if that process is alive
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid="$(tr -dc '0-9' < "$PIDFILE")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

installed_version() {
  [ -x "$VENV/bin/python" ] || return 1
  "$VENV/bin/python" - <<'PY' 2>/dev/null
import importlib.metadata as m
print(m.version("mlflow"))
import flask  # the full package (not mlflow-skinny) is needed for `mlflow server`
PY
}

ensure_venv() {
  mkdir -p "$(dirname "$VENV")"
  # Serialise concurrent first-time installs.
  exec 9>"$(dirname "$VENV")/.mlflow-install.lock"
  flock 9
  if [ "$(installed_version || true)" = "$MLFLOW_VERSION" ]; then
    flock -u 9; exec 9>&-; return 0
  fi
  local t0=$SECONDS
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating venv $VENV"
    python3 -m venv "$VENV"
  fi
  log "installing mlflow==$MLFLOW_VERSION into $VENV (about 1 minute, ~850 MB)"
  PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 \
    "$VENV/bin/pip" install --quiet -r "$REQUIREMENTS" </dev/null
  local v; v="$(installed_version || true)"
  if [ "$v" != "$MLFLOW_VERSION" ]; then
    log "install failed: found mlflow '${v:-none}', want $MLFLOW_VERSION"; exit 1
  fi
  log "installed mlflow $v in $((SECONDS - t0))s"
  flock -u 9; exec 9>&-
}

# All pids in the server's process group plus descendants of the main pid.
tree_pids() {
  local pid="$1" pgid kids k
  pgid="$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ' || true)"
  if [ -n "$pgid" ] && [ "$pgid" = "$pid" ]; then
    ps -e -o pid=,pgid= | awk -v g="$pgid" '$2 == g { print $1 }'
  fi
  echo "$pid"
  kids="$(ps -e -o pid=,ppid= | awk -v p="$pid" '$2 == p { print $1 }')"
  for k in $kids; do tree_pids "$k"; done
}

signal_tree() {  # $1 = signal, $2 = main pid
  local pids; pids="$(tree_pids "$2" | sort -u)"
  [ -n "$pids" ] && kill "-$1" $pids 2>/dev/null || true
}

cmd_stop() {
  local pid pids deadline
  if ! pid="$(read_pid)"; then
    rm -f "$PIDFILE"
    if healthy; then log "no pid file in $STATE but something answers on $URL; not touching it"; exit 1; fi
    echo "mlflow not running (port $PORT)"
    return 0
  fi
  pids="$(tree_pids "$pid" | sort -u | tr '\n' ' ')"
  signal_tree TERM "$pid"
  deadline=$((SECONDS + STOP_TIMEOUT))
  while :; do
    local alive=""
    for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
    [ -z "$alive" ] && break
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "still alive after ${STOP_TIMEOUT}s:$alive; sending KILL"
      kill -KILL $alive 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  rm -f "$PIDFILE"
  echo "mlflow stopped (pid $pid, port $PORT)"
}

wait_ready() {  # $1 = pid, $2 = start time
  local pid="$1" t0="$2"
  while :; do
    if healthy; then
      echo "mlflow ready at $URL in $(( $(date +%s) - t0 ))s"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      log "server process $pid exited before becoming healthy; last log lines ($LOG):"
      tail -n 40 "$LOG" >&2 || true
      rm -f "$PIDFILE"
      exit 1
    fi
    if [ $(( $(date +%s) - t0 )) -ge "$START_TIMEOUT" ]; then
      log "GET $URL/health did not return 200 within ${START_TIMEOUT}s; last log lines ($LOG):"
      tail -n 40 "$LOG" >&2 || true
      cmd_stop >&2 || true
      exit 1
    fi
    sleep 0.25
  done
}

cmd_start() {
  local pid t0
  # One start at a time per state dir; a concurrent second start waits, then finds the server healthy.
  mkdir -p "$STATE"
  exec 8>"$STATE/.start.lock"
  flock 8
  if pid="$(read_pid)"; then
    if healthy; then echo "$URL"; return 0; fi
    log "pid $pid is alive but $URL/health is not 200 yet; waiting"
    wait_ready "$pid" "$(date +%s)"
    return 0
  fi
  if [ "$(http_code /health)" != "000" ]; then
    log "port $PORT is already served by another process (no live pid in $PIDFILE); refusing to start"
    exit 1
  fi
  ensure_venv
  mkdir -p "$STATE/artifacts"
  rm -f "$PIDFILE"
  local extra=()
  [ -n "${MLFLOW_ALLOWED_HOSTS:-}" ] && extra+=(--allowed-hosts "$MLFLOW_ALLOWED_HOSTS")
  t0="$(date +%s)"
  # setsid: own session/process group, so `stop` can signal the whole tree; no controlling tty or stdin.
  # The pid is written from inside the new session (robust even if setsid has to fork).
  MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false PYTHONUNBUFFERED=1 \
    setsid bash -c 'cd "$1" && echo $$ > "$2" && shift 2 && exec nohup "$@"' mlflow-start "$STATE" "$PIDFILE" \
      "$VENV/bin/mlflow" server \
      --host "$HOST" --port "$PORT" --workers 1 \
      --backend-store-uri "sqlite:///$STATE/mlflow.db" \
      --serve-artifacts --artifacts-destination "$STATE/artifacts" \
      ${extra[@]+"${extra[@]}"} \
      </dev/null >>"$LOG" 2>&1 8>&- &
  local i
  for i in $(seq 1 50); do [ -s "$PIDFILE" ] && break; sleep 0.1; done
  pid="$(tr -dc '0-9' < "$PIDFILE" 2>/dev/null || true)"
  if [ -z "$pid" ]; then log "server did not start; last log lines ($LOG):"; tail -n 40 "$LOG" >&2 || true; exit 1; fi
  wait_ready "$pid" "$t0"
}

case "$CMD" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  url) echo "$URL" ;;
  status)
    if pid="$(read_pid)" && healthy; then echo "running pid $pid at $URL"; else echo "not running ($URL)"; exit 1; fi ;;
  -h|--help|help) usage ;;
  *) log "unknown command '$CMD'"; usage ;;
esac
