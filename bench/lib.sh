# Plumbing shared by bench/dhcp.sh, bench/metadata.sh, bench/dns.sh and bench/fleet-vm.sh (sourced, not run). The caller sets
# NS_SRV and NS_CLI (the two namespaces it creates), SERVER_PORT (the measured server's port, udp/67 or tcp/80),
# server_pid (the server it started, "" when none), work (its temporary directory), keep (1 keeps that directory),
# defines fail, and defines bench_pids, which prints the PIDs of the processes it started (client first, then server).
# It may also define bench_cleanup, run on exit after those processes are stopped and before the namespaces are
# deleted, for what it started that is not one process of its own (bench/dhcp.sh: a PostgreSQL server).

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
    if declare -F bench_cleanup >/dev/null; then
        bench_cleanup || true
    fi
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

# Creates the two namespaces, joined by a veth pair: lab0 with SERVER_ADDR/16 in NS_SRV, client interface $1 in
# NS_CLI with MAC $2 (or its own when "") and address $3/16 (none when ""), all up.
make_namespaces() {
    local client_if=$1 client_mac=$2 client_addr=$3 ns
    ip netns add "$NS_SRV"
    ip netns add "$NS_CLI"
    ip -n "$NS_SRV" link add lab0 type veth peer name "$client_if" netns "$NS_CLI"
    [[ -z $client_mac ]] || ip -n "$NS_CLI" link set "$client_if" address "$client_mac"
    ip -n "$NS_SRV" addr add "$SERVER_ADDR/16" dev lab0
    [[ -z $client_addr ]] || ip -n "$NS_CLI" addr add "$client_addr/16" dev "$client_if"
    for ns in "$NS_SRV" "$NS_CLI"; do
        ip -n "$ns" link set lo up
    done
    ip -n "$NS_SRV" link set lab0 up
    ip -n "$NS_CLI" link set "$client_if" up
}

# Fills the appliance's lease table (server directory $1, with its state in $1/state) until at least $3 distinct
# addresses are leased: perfdhcp DORAs relayed from address $2 of the client namespace (in_cli, pinned to
# CLIENT_CPU), to SERVER_ADDR. Rounds go on until the journal holds enough (bounded); the first rounds are slower,
# while the appliance's DHCP path is still being compiled. Sets filled to the leased addresses.
fill_lease_table() {
    local dir=$1 relay=$2 target=$3 round rate
    filled=0
    for ((round = 1; round <= 30 && filled < target; round++)); do
        rate=$((round <= 3 ? 1000 : 3000))
        # perfdhcp draws the same pseudo-random MACs every run: a base of its own per round makes them new clients.
        in_cli taskset -c "$CLIENT_CPU" perfdhcp -4 -g single -l "$relay" -b "mac=02:00:$(printf %02x "$round"):00:00:00" \
            -R $((rate * 5)) -r "$rate" -p 5 -W 1000000 "$SERVER_ADDR" >"$dir/fill-$round.out" 2>&1 || true
        filled=$(leased_addresses "$dir")
    done
    echo "[$(date +%T)] lease table filled: $filled leased addresses after $((round - 1)) rounds" >&2
}

# Distinct addresses whose latest journal record in server directory $1 is ACTIVE; with $2 = list, the addresses.
leased_addresses() {
    awk -F'"' -v list="${2:-}" '{ for (i = 1; i < NF; i++) { if ($i == "ip") ip = $(i + 2); if ($i == "state") st = $(i + 2) } if (ip != "") last[ip] = st }
        END { n = 0; for (a in last) if (last[a] == "ACTIVE") { n++; if (list == "list") print a } if (list != "list") print n }' \
        "$1/state/leases.journal"
}

# Summarises a JFR recording's execution samples (file $1) as tab-separated lines: "samples N", then per frame
# "leaf N FRAME" (top frame), "lab N FRAME" (innermost lab.* frame), "incl N FRAME" (lab.* frames on the stack, each
# counted once per sample) and "thread N NAME". Java threads only: JFR does not sample native or kernel time.
jfr_summarize() {
    jfr print --stack-depth 64 --events jdk.ExecutionSample "$1" 2>/dev/null | awk '
        /^jdk.ExecutionSample/ { n++; infr = 0; first = ""; lab = ""; split("", seen) }
        /sampledThread = / { t = $0; sub(/.*sampledThread = "/, "", t); sub(/".*/, "", t); thr[t]++ }
        /stackTrace = \[/ { infr = 1; next }
        infr && /^[ \t]*\]/ {
            infr = 0
            if (first != "") leaf[first]++
            if (lab != "") mine[lab]++; else mine["(no lab.* frame)"]++
            for (k in seen) incl[k]++
            next
        }
        infr && /line:/ { f = $0; sub(/^[ \t]+/, "", f); sub(/[ \t]+line:.*/, "", f)
                          if (first == "") first = f
                          if (f ~ /^lab\./) { if (lab == "") lab = f; seen[f] = 1 } }
        END {
            printf "samples\t%d\n", n
            for (k in leaf) printf "leaf\t%d\t%s\n", leaf[k], k
            for (k in mine) printf "lab\t%d\t%s\n", mine[k], k
            for (k in incl) printf "incl\t%d\t%s\n", incl[k], k
            for (k in thr) printf "thread\t%d\t%s\n", thr[k], k
        }'
}

# The top $3 rows of kind $2 of summary $1 (jfr_summarize's output) as "| count | % | frame |" Markdown rows.
jfr_rows() {
    local total
    total=$(awk -F'\t' '$1 == "samples" { print $2 }' <<<"$1")
    awk -F'\t' -v kind="$2" '$1 == kind { print $2 "\t" $3 }' <<<"$1" | sort -t$'\t' -k1,1nr | head -n "$3" |
        awk -F'\t' -v total="$total" '{ printf "| %d | %.1f | `%s` |\n", $1, 100 * $1 / total, $2 }'
}

# The four tables of summary $1: samples by thread, top leaf frames, innermost project frames, project frames
# inclusive.
jfr_tables() {
    local heading rows
    for heading in "thread:8:Samples by thread" "leaf:12:Top leaf frames" \
        "lab:10:Innermost project frame (\`lab.*\`) of each sample" "incl:12:Project methods by share of samples they are on the stack of (inclusive)"; do
        rows=${heading%%:*}; heading=${heading#*:}
        echo "${heading#*:}:"
        echo
        echo "| samples | % | ${rows/incl/frame} |" | sed 's/| leaf |/| frame |/; s/| lab |/| frame |/'
        echo "|---|---|---|"
        jfr_rows "$1" "$rows" "${heading%%:*}"
        echo
    done
}
