# Sourced by the scripts that start services for a run (fault_kill, fault_outages, replicas_failover, closed_loop,
# schemathesis, screenshot_status_page): stopping the processes they started, and only those, by their ids, and
# running their clean-up however they end.

# stop_pid PID [SIGNAL] [SECONDS]: SIGNAL (TERM), up to SECONDS (5) for the process to exit, then SIGKILL; reaps it.
# An empty PID does nothing.
stop_pid() {
    local pid="$1" signal="${2:-TERM}" seconds="${3:-5}" i
    [ -n "$pid" ] || return 0
    kill -"$signal" "$pid" 2>/dev/null || true
    for i in $(seq $((seconds * 10))); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# on_exit FUNCTION: runs FUNCTION once when the script ends, however it ends (its last command, an error under
# `set -e`, Ctrl-C or SIGTERM), then exits with the script's status (130 after INT, 143 after TERM). A failing
# command inside FUNCTION does not cut the clean-up short.
on_exit() {
    HARNESS_CLEANUP="$1"
    trap harness_exit EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

harness_exit() {
    local rc=$?
    trap - EXIT INT TERM
    "$HARNESS_CLEANUP" || true
    exit "$rc"
}
