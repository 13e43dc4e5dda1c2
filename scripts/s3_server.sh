#!/usr/bin/env bash
# Local S3-compatible server (moto 5.2.1 in server mode) WITH request authentication, for the ObjectStorage tests.
#
#   bash scripts/s3_server.sh start [PORT]   # default 5330; prints the env file's path once ready
#   bash scripts/s3_server.sh stop [PORT]    # TERM, then KILL after 10 s
#   bash scripts/s3_server.sh url [PORT]     # prints http://127.0.0.1:PORT
#   bash scripts/s3_server.sh env [PORT]     # prints `export DRIFTLOOP_S3_...=...` lines: eval "$(... env)"
#   bash scripts/s3_server.sh status [PORT]  # exit 0 when running and set up
#
# Environment:
#   S3_STATE_DIR       state directory (default REPO/data/s3-PORT): moto.pid, moto.log, s3.env (mode 600)
#   S3_PORT            default port when none is given (5330)
#   S3_REGION          region the credentials are made in (default us-east-1)
#   S3_VENV            venv used when the system python3 lacks moto's server (default REPO/.venv/s3)
#   S3_START_TIMEOUT   seconds to wait for the server to answer (default 60)
#
# Authentication: moto checks SigV4 signatures (and IAM policies) once INITIAL_NO_AUTH_ACTION_COUNT requests
# have gone through. It is 5 here: scripts/lib/s3_bootstrap.py spends exactly those on creating an IAM user with an
# access key and a role to assume, then checks that a wrong secret gets SignatureDoesNotMatch and an unknown key
# InvalidAccessKeyId before declaring the server ready. The credentials go to s3.env:
#   DRIFTLOOP_S3_ENDPOINT, DRIFTLOOP_S3_REGION, DRIFTLOOP_S3_ACCESS_KEY_ID, DRIFTLOOP_S3_SECRET_ACCESS_KEY,
#   DRIFTLOOP_S3_SESSION_ACCESS_KEY_ID, DRIFTLOOP_S3_SESSION_SECRET_ACCESS_KEY, DRIFTLOOP_S3_SESSION_TOKEN
# moto keeps everything in memory: after a stop the credentials are gone, and so is s3.env.
#
# moto is started through scripts/lib/s3_moto_server.py, which fixes moto's signature check for keys with
# characters such as = + , : é (see that file); S3_MOTO_RAW_URI_SIGNING=0 runs moto unpatched.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/.." && pwd)"
HOST=127.0.0.1
REGION="${S3_REGION:-us-east-1}"
START_TIMEOUT="${S3_START_TIMEOUT:-60}"
STOP_TIMEOUT=10
VENV="${S3_VENV:-$REPO/.venv/s3}"
MOTO_VERSION="5.2.1"
# Exactly the number of unsigned IAM calls scripts/lib/s3_bootstrap.py makes.
NO_AUTH_REQUESTS=5

usage() {
  sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

log() { echo "s3_server.sh: $*" >&2; }

CMD="${1:-}"
[ -n "$CMD" ] || usage
case "$CMD" in -h|--help|help) usage ;; esac
PORT="${2:-${S3_PORT:-5330}}"
case "$PORT" in ''|*[!0-9]*) log "invalid port '$PORT'"; exit 2 ;; esac
URL="http://$HOST:$PORT"

if [ "$CMD" = url ]; then echo "$URL"; exit 0; fi

STATE="${S3_STATE_DIR:-$REPO/data/s3-$PORT}"
case "$STATE" in /*) ;; *) STATE="$PWD/$STATE" ;; esac
PIDFILE="$STATE/moto.pid"
LOG="$STATE/moto.log"
ENVFILE="$STATE/s3.env"

# moto-api answers without authentication and without counting towards INITIAL_NO_AUTH_ACTION_COUNT.
answering() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --noproxy '*' "$URL/moto-api/" 2>/dev/null || true)" = "200" ]; }

read_pid() {  # prints the pid from the pid file if that process is alive
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid="$(tr -dc '0-9' < "$PIDFILE")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# The python that has moto's server, Flask and boto3: the system's (moto 5.2.1 is installed there on this
# machine kind), else a venv made on first use.
find_python() {
  local probe='import moto.server, flask, flask_cors, boto3'
  if python3 -c "$probe" 2>/dev/null; then command -v python3; return 0; fi
  if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "$probe" 2>/dev/null; then echo "$VENV/bin/python"; return 0; fi
  mkdir -p "$(dirname "$VENV")"
  exec 9>"$(dirname "$VENV")/.s3-install.lock"
  flock 9
  if [ ! -x "$VENV/bin/python" ]; then log "creating venv $VENV"; python3 -m venv "$VENV" >&2; fi
  log "installing moto[server]==$MOTO_VERSION and boto3 into $VENV"
  PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 "$VENV/bin/pip" install --quiet "moto[server]==$MOTO_VERSION" boto3 </dev/null >&2
  flock -u 9; exec 9>&-
  "$VENV/bin/python" -c "$probe" || { log "moto's server still cannot be imported from $VENV"; exit 1; }
  echo "$VENV/bin/python"
}

cmd_stop() {
  local pid i
  rm -f "$ENVFILE"
  if ! pid="$(read_pid)"; then
    rm -f "$PIDFILE"
    if answering; then log "no live pid in $PIDFILE but something answers on $URL; not touching it"; exit 1; fi
    echo "s3 (moto) not running (port $PORT)"
    return 0
  fi
  # The server leads its own process group (setsid at start): signal the group, so no child outlives it.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq $((STOP_TIMEOUT * 10))); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid still alive after ${STOP_TIMEOUT}s; sending KILL"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
  echo "s3 (moto) stopped (pid $pid, port $PORT)"
}

wait_ready() {  # $1 = pid, $2 = start time
  local pid="$1" t0="$2"
  while ! answering; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "moto (pid $pid) exited before answering; last log lines ($LOG):"
      tail -n 30 "$LOG" >&2 || true
      rm -f "$PIDFILE"
      exit 1
    fi
    if [ $(( $(date +%s) - t0 )) -ge "$START_TIMEOUT" ]; then
      log "$URL/moto-api/ did not answer within ${START_TIMEOUT}s; last log lines ($LOG):"
      tail -n 30 "$LOG" >&2 || true
      cmd_stop >&2 || true
      exit 1
    fi
    sleep 0.2
  done
}

cmd_start() {
  local pid t0 python
  mkdir -p "$STATE"
  chmod 700 "$STATE"
  # One start at a time per state dir; a concurrent second start waits, then finds the server set up.
  exec 8>"$STATE/.start.lock"
  flock 8
  if pid="$(read_pid)" && [ -s "$ENVFILE" ] && answering; then
    echo "$ENVFILE"
    return 0
  fi
  if pid="$(read_pid)"; then
    log "moto (pid $pid) runs but was never set up (no $ENVFILE); restarting it"
    cmd_stop >&2
  elif answering; then
    log "port $PORT is already served by another process (no live pid in $PIDFILE); refusing to start"
    exit 1
  fi
  python="$(find_python)"
  rm -f "$PIDFILE" "$ENVFILE"
  t0="$(date +%s)"
  # setsid: own session and process group, so `stop` can signal it whole; the pid is written from inside it.
  INITIAL_NO_AUTH_ACTION_COUNT="$NO_AUTH_REQUESTS" PYTHONUNBUFFERED=1 \
    setsid bash -c 'echo $$ > "$1" && shift && exec "$@"' s3-start "$PIDFILE" \
      "$python" "$SCRIPT_DIR/lib/s3_moto_server.py" -H "$HOST" -p "$PORT" \
      </dev/null >>"$LOG" 2>&1 8>&- &
  local i
  for i in $(seq 1 50); do [ -s "$PIDFILE" ] && break; sleep 0.1; done
  pid="$(tr -dc '0-9' < "$PIDFILE" 2>/dev/null || true)"
  if [ -z "$pid" ]; then log "moto did not start; last log lines ($LOG):"; tail -n 30 "$LOG" >&2 || true; exit 1; fi
  wait_ready "$pid" "$t0"
  # Written under umask 077: the file holds secrets.
  if ! (umask 077 && "$python" "$SCRIPT_DIR/lib/s3_bootstrap.py" "$URL" "$REGION" > "$ENVFILE.tmp"); then
    log "setting up credentials failed; stopping moto (log: $LOG)"
    rm -f "$ENVFILE.tmp"
    cmd_stop >&2 || true
    exit 1
  fi
  mv "$ENVFILE.tmp" "$ENVFILE"
  log "moto ready at $URL with request authentication in $(( $(date +%s) - t0 ))s; credentials in $ENVFILE"
  echo "$ENVFILE"
}

cmd_env() {
  if ! read_pid >/dev/null || [ ! -s "$ENVFILE" ]; then
    log "not running or not set up ($URL); run: bash scripts/s3_server.sh start $PORT"
    exit 1
  fi
  sed 's/^\([A-Z0-9_]*\)=\(.*\)$/export \1='"'"'\2'"'"'/' "$ENVFILE"
}

case "$CMD" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  env) cmd_env ;;
  status)
    if pid="$(read_pid)" && [ -s "$ENVFILE" ] && answering; then
      echo "running pid $pid at $URL (credentials $ENVFILE)"
    else
      echo "not running ($URL, state $STATE)"; exit 1
    fi ;;
  *) log "unknown command '$CMD'"; usage ;;
esac
