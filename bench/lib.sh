# Plumbing shared by bench/dhcp.sh, bench/metadata.sh and bench/fleet-vm.sh (sourced, not run). The caller sets
# NS_SRV and NS_CLI (the two namespaces it creates), SERVER_PORT (the measured server's port, udp/67 or tcp/80),
# server_pid (the server it started, "" when none), work (its temporary directory), keep (1 keeps that directory),
# defines fail, and defines bench_pids, which prints the PIDs of the processes it started (client first, then server).

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

# What holds the server's port ($SERVER_PORT) in the server namespace; empty when it is free.
server_port_listeners() {
    local proto=${SERVER_PORT%/*} port=${SERVER_PORT#*/}
    ip netns exec "$NS_SRV" ss -Hl"${proto:0:1}"n "sport = :$port"
}

# Waits until nothing holds the server's port; a holder we did not stop would skew the run (and only one server may
# own a port in the namespace at a time).
wait_server_port_free() {
    local deadline=$((SECONDS + 10))
    while [[ -n $(server_port_listeners) ]]; do
        ((SECONDS < deadline)) || fail "${SERVER_PORT} still taken in $NS_SRV: $(server_port_listeners)"
        sleep 0.1
    done
}

# Stops the server this script started, if any, and waits until its port is free.
stop_server() {
    [[ -n $server_pid ]] || return 0
    stop_pid "$server_pid"
    server_pid=
    wait_server_port_free
}
