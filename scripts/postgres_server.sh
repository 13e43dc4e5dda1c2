#!/usr/bin/env bash
# Local PostgreSQL 15 for driftloop development and CI (the `store: {kind: postgres}` tests and fault scripts).
#
#   bash scripts/postgres_server.sh start [PORT]    # default 5433; installs Debian's postgresql with apt if missing
#   bash scripts/postgres_server.sh stop [PORT]     # pg_ctl stop -m fast
#   bash scripts/postgres_server.sh url [PORT]      # prints postgres://driftloop:driftloop@127.0.0.1:PORT/driftloop
#   bash scripts/postgres_server.sh status [PORT]   # exit 0 when running and accepting connections
#   bash scripts/postgres_server.sh restart [PORT]  # stop -m fast, then start on the same data
#
# Environment:
#   PG_STATE_DIR       state directory (default REPO/data/postgres-PORT, or /tmp/driftloop-postgres-PORT when the
#                      postgres user cannot reach REPO/data): pgdata/ (the cluster), postgres.log, initdb.log,
#                      the unix socket
#   PG_PORT            default port when none is given (5433)
#   PG_BIN_DIR         directory with initdb/pg_ctl/postgres (default: newest /usr/lib/postgresql/*/bin, 15 preferred)
#   PG_START_TIMEOUT   seconds to wait for pg_isready (default 60)
#
# The server listens on 127.0.0.1 only (and a unix socket in the state dir), fsync on, max_connections 200.
# Role `driftloop` (password `driftloop`, LOGIN CREATEDB, so tests can make throwaway databases) owns database
# `driftloop`. TCP connections use scram-sha-256; the unix socket trusts the cluster's superuser `postgres`.
# PostgreSQL refuses to run as root: when run as root the server runs as the `postgres` user (runuser).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/.." && pwd)"
START_TIMEOUT="${PG_START_TIMEOUT:-60}"
STOP_TIMEOUT=30
HOST=127.0.0.1
ROLE=driftloop
PASSWORD=driftloop
DATABASE=driftloop
SUPERUSER=postgres
PG_OS_USER=postgres

usage() {
  sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

log() { echo "postgres_server.sh: $*" >&2; }

CMD="${1:-}"
[ -n "$CMD" ] || usage
case "$CMD" in -h|--help|help) usage ;; esac
PORT="${2:-${PG_PORT:-5433}}"
case "$PORT" in ''|*[!0-9]*) log "invalid port '$PORT'"; exit 2 ;; esac
URL="postgres://$ROLE:$PASSWORD@$HOST:$PORT/$DATABASE"

# `url` needs nothing else (no install, no state dir).
if [ "$CMD" = url ]; then echo "$URL"; exit 0; fi

AS_ROOT=0
[ "$(id -u)" -eq 0 ] && AS_ROOT=1

# ------------------------------------------------------------------ binaries
find_bin_dir() {
  local d
  if [ -n "${PG_BIN_DIR:-}" ]; then echo "$PG_BIN_DIR"; return 0; fi
  if [ -x /usr/lib/postgresql/15/bin/pg_ctl ]; then echo /usr/lib/postgresql/15/bin; return 0; fi
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4,4n | tail -n 1 || true)"
  if [ -n "$d" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"; return 0
  fi
  return 1
}

install_postgres() {
  local sudo=()
  [ "$AS_ROOT" -eq 1 ] || sudo=(sudo)
  log "initdb/pg_ctl not found; installing Debian's postgresql with apt-get"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null \
    || { "${sudo[@]}" apt-get update -q >/dev/null \
         && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; } \
    || { log "could not install postgresql with apt-get"; exit 1; }
}

if ! BIN="$(find_bin_dir)"; then
  install_postgres
  BIN="$(find_bin_dir)" || { log "postgresql installed but no initdb/pg_ctl under /usr/lib/postgresql/*/bin"; exit 1; }
fi
for tool in initdb pg_ctl pg_isready psql; do
  if [ ! -x "$BIN/$tool" ]; then
    command -v "$tool" >/dev/null || { log "$tool not found in $BIN or on PATH"; exit 1; }
  fi
done
tool() { if [ -x "$BIN/$1" ]; then echo "$BIN/$1"; else command -v "$1"; fi; }
PG_CTL="$(tool pg_ctl)"
INITDB="$(tool initdb)"
PG_ISREADY="$(tool pg_isready)"
PSQL="$(tool psql)"

if [ "$AS_ROOT" -eq 1 ] && ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
  log "creating system user $PG_OS_USER"
  useradd --system --no-create-home --home-dir /var/lib/postgresql --shell /bin/bash "$PG_OS_USER"
fi

# ------------------------------------------------------------------ state dir
# can_reach DIR: the server's user can traverse every directory down to DIR (the nearest existing ancestor).
can_reach() {
  local d="$1"
  while [ ! -d "$d" ]; do d="$(dirname "$d")"; done
  if [ "$AS_ROOT" -eq 1 ]; then runuser -u "$PG_OS_USER" -- test -x "$d"; else test -x "$d"; fi
}

if [ -n "${PG_STATE_DIR:-}" ]; then
  STATE="$PG_STATE_DIR"
  case "$STATE" in /*) ;; *) STATE="$PWD/$STATE" ;; esac
  if ! can_reach "$(dirname "$STATE")"; then
    log "PG_STATE_DIR=$STATE: user $PG_OS_USER cannot reach $(dirname "$STATE") (a parent directory is not traversable)"
    exit 1
  fi
elif can_reach "$REPO/data"; then
  STATE="$REPO/data/postgres-$PORT"
else
  STATE="/tmp/driftloop-postgres-$PORT"
fi
PGDATA_DIR="$STATE/pgdata"
LOG="$STATE/postgres.log"

# as_pg COMMAND...: runs COMMAND as the server's user, from the state dir (postgres cannot cd into /root).
as_pg() {
  if [ "$AS_ROOT" -eq 1 ]; then
    (cd "$STATE" && runuser -u "$PG_OS_USER" -- "$@")
  else
    (cd "$STATE" && "$@")
  fi
}

ready() { "$PG_ISREADY" -q -h "$HOST" -p "$PORT" -t 2 >/dev/null 2>&1; }
# postmaster_pid: prints the server's pid when postmaster.pid names a live process. A zombie does not count (a
# postmaster killed with -9 stays one until reaped, and pg_ctl status would still call it running).
postmaster_pid() {
  local pid st
  pid="$(head -n 1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null | tr -dc '0-9' || true)"
  [ -n "$pid" ] || return 1
  st="$(ps -o stat= -p "$pid" 2>/dev/null | tr -d ' ' || true)"
  case "$st" in ''|Z*) return 1 ;; esac
  echo "$pid"
}
cluster_running() { [ -f "$PGDATA_DIR/PG_VERSION" ] && postmaster_pid >/dev/null; }

# superuser SQL through the unix socket in the state dir.
su_psql() { as_pg "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$STATE" -p "$PORT" -U "$SUPERUSER" -d postgres "$@"; }

prepare_state() {
  mkdir -p "$STATE"
  touch "$LOG"
  if [ "$AS_ROOT" -eq 1 ]; then chown "$PG_OS_USER:" "$STATE" "$LOG"; fi
  chmod 700 "$STATE"
}

init_cluster() {
  [ -f "$PGDATA_DIR/PG_VERSION" ] && return 0
  log "initdb $PGDATA_DIR ($("$INITDB" --version))"
  rm -rf "$PGDATA_DIR"
  as_pg "$INITDB" -D "$PGDATA_DIR" -U "$SUPERUSER" -E UTF8 --locale=C --auth-local=trust --auth-host=reject \
    >"$STATE/initdb.log" 2>&1 || { log "initdb failed ($STATE/initdb.log):"; tail -n 30 "$STATE/initdb.log" >&2; exit 1; }
  # Our own pg_hba.conf: superuser over the socket only, everyone else with a password over loopback TCP.
  as_pg tee "$PGDATA_DIR/pg_hba.conf" >/dev/null <<'EOF'
# Written by scripts/postgres_server.sh
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   scram-sha-256
host    all       all   ::1/128        scram-sha-256
EOF
  grep -q "^include_if_exists = 'driftloop.conf'" "$PGDATA_DIR/postgresql.conf" \
    || echo "include_if_exists = 'driftloop.conf'" | as_pg tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null
}

write_conf() {  # rewritten at every start, so the port and the socket directory follow the arguments
  as_pg tee "$PGDATA_DIR/driftloop.conf" >/dev/null <<EOF
# Written by scripts/postgres_server.sh at each start; edits are lost.
listen_addresses = '$HOST'
port = $PORT
unix_socket_directories = '$STATE'
max_connections = 200
fsync = on
synchronous_commit = on
full_page_writes = on
password_encryption = 'scram-sha-256'
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
log_min_messages = warning
log_connections = off
log_timezone = 'UTC'
timezone = 'UTC'
EOF
}

bootstrap_roles() {  # idempotent
  su_psql <<EOF
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  ELSE
    ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  END IF;
END \$\$;
SELECT 'CREATE DATABASE $DATABASE OWNER $ROLE' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DATABASE')
\gexec
EOF
}

wait_ready() {  # $1 = start time
  local t0="$1"
  while :; do
    if ready; then return 0; fi
    if [ $(( $(date +%s) - t0 )) -ge "$START_TIMEOUT" ]; then
      log "pg_isready -h $HOST -p $PORT did not answer within ${START_TIMEOUT}s; last log lines ($LOG):"
      tail -n 40 "$LOG" >&2 || true
      exit 1
    fi
    if ! cluster_running; then
      log "the server exited before accepting connections; last log lines ($LOG):"
      tail -n 40 "$LOG" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
}

# A postmaster killed with -9 stays a zombie until its parent (often PID 1 in a container) reaps it, and a new
# postmaster takes the zombie's pid in postmaster.pid for a live server ("lock file already exists"). Wait a
# little for the reaping, then remove that lock file: its server is dead. (A new postmaster still refuses to
# start while old backends are attached to the previous shared memory.)
clear_zombie_lock() {
  local pid st i
  pid="$(head -n 1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null | tr -dc '0-9' || true)"
  [ -n "$pid" ] || return 0
  for i in $(seq 1 25); do
    st="$(ps -o stat= -p "$pid" 2>/dev/null | tr -d ' ' || true)"
    case "$st" in Z*) sleep 0.2 ;; *) return 0 ;; esac
  done
  log "postmaster.pid names pid $pid, a dead server not yet reaped (zombie); removing the stale lock file"
  rm -f "$PGDATA_DIR/postmaster.pid"
}

cmd_start() {
  local t0
  prepare_state
  # One start at a time per state dir; a concurrent second start waits, then finds the server running.
  exec 8>"$STATE/.start.lock"
  flock 8
  if cluster_running; then
    wait_ready "$(date +%s)"
    bootstrap_roles
    echo "$URL"
    return 0
  fi
  if ready; then
    log "port $PORT is already served by another PostgreSQL (not the cluster in $PGDATA_DIR); refusing to start"
    exit 1
  fi
  init_cluster
  clear_zombie_lock
  write_conf
  t0="$(date +%s)"
  # pg_ctl detaches the server into its own session; a stale postmaster.pid (after kill -9) is handled by it.
  if ! as_pg "$PG_CTL" -D "$PGDATA_DIR" -l "$LOG" -w -t "$START_TIMEOUT" start >/dev/null 8>&-; then
    log "pg_ctl start failed; last log lines ($LOG):"
    tail -n 40 "$LOG" >&2 || true
    exit 1
  fi
  wait_ready "$t0"
  bootstrap_roles
  log "postgres ready on $HOST:$PORT in $(( $(date +%s) - t0 ))s (data $PGDATA_DIR)"
  echo "$URL"
}

cmd_stop() {
  if [ ! -f "$PGDATA_DIR/PG_VERSION" ] || ! cluster_running; then
    echo "postgres not running (port $PORT, state $STATE)"
    return 0
  fi
  if ! as_pg "$PG_CTL" -D "$PGDATA_DIR" -m fast -w -t "$STOP_TIMEOUT" stop >/dev/null; then
    log "fast shutdown did not finish within ${STOP_TIMEOUT}s; immediate shutdown"
    as_pg "$PG_CTL" -D "$PGDATA_DIR" -m immediate -w -t "$STOP_TIMEOUT" stop >/dev/null
  fi
  echo "postgres stopped (port $PORT)"
}

case "$CMD" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) cmd_stop; cmd_start ;;
  status)
    if cluster_running && ready; then
      echo "running pid $(postmaster_pid) at $HOST:$PORT (data $PGDATA_DIR)"
    else
      echo "not running ($HOST:$PORT, state $STATE)"; exit 1
    fi ;;
  *) log "unknown command '$CMD'"; usage ;;
esac
