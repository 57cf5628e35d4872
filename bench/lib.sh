# Plumbing shared by bench/dhcp.sh and bench/metadata.sh (sourced, not run). The caller sets NS_SRV and NS_CLI (the
# two namespaces it creates), work (its temporary directory), keep (1 keeps that directory), and defines
# bench_pids, which prints the PIDs of the processes it started (client first, then server).

# Stops one process this script started: SIGTERM, up to 15 s to exit, then SIGKILL.
stop_pid() {
    local pid=$1 deadline=$((SECONDS + 15))
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# On any exit: stop what the script started, delete its namespaces and (unless kept) its work directory.
cleanup() {
    local rc=$? pid
    trap - EXIT INT TERM HUP
    for pid in $(bench_pids); do
        stop_pid "$pid"
    done
    ip netns del "$NS_CLI" 2>/dev/null || true
    ip netns del "$NS_SRV" 2>/dev/null || true
    if ((keep)); then
        echo "work directory kept: $work" >&2
    else
        rm -rf "$work"
    fi
    exit "$rc"
}

install_cleanup() {
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
}
