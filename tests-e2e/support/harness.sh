# Sourced by the scripts that start services for a run (fault_kill, replicas_failover, closed_loop, schemathesis,
# screenshot_status_page): stopping the processes they started, and only those, by their ids.

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
