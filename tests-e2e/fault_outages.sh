#!/usr/bin/env bash
# Neighbour outages under load (issue 8): the SQLite store's disk fills up, PostgreSQL restarts, the trainer dies
# for a while, MLflow stops for a while (registry_down; only with DRIFTLOOP_MLFLOW_URL, which it restarts). Each scenario keeps sending drift webhooks through the fault and after it, then checks that every
# answer was 202 or 503 `store_unavailable` (never a 500), every accepted trigger is in the store, every cycle
# ended, and the system recovered. See tests-e2e/fault_outages.py.
#
#   bash tests-e2e/fault_outages.sh [--binary PATH] [scenario ...]    # default: all four
#
# disk_full puts the data dir on a small tmpfs (needs root for mount); postgres_restart uses scripts/postgres_server.sh
# (started when not running, stopped again afterwards) with a fresh database.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=support/harness.sh
source tests-e2e/support/harness.sh
BIN=${DRIFTLOOP_BIN:-.build/debug/driftloop}
if [ "${1:-}" = "--binary" ]; then BIN=$2; shift 2; fi
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -gt 0 ] || SCENARIOS=(disk_full postgres_restart trainer_down registry_down)
[ -x "$BIN" ] || { echo "fault_outages: no binary at $BIN (bash scripts/test.sh builds it)" >&2; exit 2; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
WORK=$(mktemp -d /tmp/driftloop-fault-outages.XXXXXX)
MOUNTED=""
STARTED_PG=0
DATABASE=""
cleanup() {
  [ -n "$MOUNTED" ] && umount "$MOUNTED" 2>/dev/null || true
  [ -n "$DATABASE" ] && psql "$(bash scripts/postgres_server.sh url)" -qc "DROP DATABASE IF EXISTS $DATABASE" >/dev/null 2>&1 || true
  [ "$STARTED_PG" = 1 ] && bash scripts/postgres_server.sh stop >/dev/null 2>&1 || true
  if [ "${FAULT_OUTAGES_KEEP:-0}" = 1 ]; then echo "fault_outages: kept $WORK"; else rm -rf "$WORK"; fi
}
on_exit cleanup
status=0
for scenario in "${SCENARIOS[@]}"; do
  dir="$WORK/$scenario"
  mkdir -p "$dir"
  case "$scenario" in
    disk_full)
      mkdir -p "$dir/disk"
      if ! mount -t tmpfs -o size=6m tmpfs "$dir/disk" 2>/dev/null; then
        echo "fault_outages: disk_full needs root to mount a tmpfs; skipped" >&2; continue
      fi
      MOUNTED="$dir/disk"
      python3 tests-e2e/fault_outages.py --scenario disk_full --binary "$BIN" --work "$dir" --data-dir "$dir/disk" || status=1
      umount "$dir/disk"; MOUNTED=""
      ;;
    postgres_restart)
      if ! bash scripts/postgres_server.sh status >/dev/null 2>&1; then bash scripts/postgres_server.sh start >/dev/null; STARTED_PG=1; fi
      base=$(bash scripts/postgres_server.sh url)
      DATABASE="fault_outages_$$"
      psql "$base" -qc "DROP DATABASE IF EXISTS $DATABASE" -c "CREATE DATABASE $DATABASE" >/dev/null
      python3 tests-e2e/fault_outages.py --scenario postgres_restart --binary "$BIN" --work "$dir" --postgres-url "${base%/*}/$DATABASE" || status=1
      ;;
    trainer_down|registry_down)
      python3 tests-e2e/fault_outages.py --scenario "$scenario" --binary "$BIN" --work "$dir" || status=1
      ;;
    *) echo "fault_outages: unknown scenario $scenario" >&2; exit 2 ;;
  esac
done
[ "$status" = 0 ] && echo "fault_outages: all scenarios passed" || { FAULT_OUTAGES_KEEP=1; echo "fault_outages: FAILED; logs in $WORK" >&2; }
exit "$status"
