#!/usr/bin/env bash
# Hostile-DHCP soak: the appliance takes COUNT hostile packets (random bytes, and real client captures broken or made
# weird; see reliability/src/test/java/lab/reliability/HostileDhcpPackets.java) while dhclient, udhcpc and dhcpcd keep
# getting and renewing leases; the same checks as HostileDhcpIT, at soak size, written up as Markdown.
#
# Topology (nothing on the host): a switch namespace fz-sw-PID with bridge br0; fz-srv-PID holds lab0 10.20.0.1/16 and
# the appliance; fz-c1..c3-PID a client each (MACs 02:00:00:10:00:01..03); fz-hst-PID the sender (02:00:00:10:00:04,
# 10.20.250.1/16); fz-new-PID a client that first speaks after the flood (02:00:00:ee:00:01, unknown to the config,
# where the others match a profile). Every veth pair is made
# inside the switch namespace. All namespaces and every process the script started are removed on exit.
set -Eeuo pipefail

readonly BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly REPO_DIR=$(dirname "$BENCH_DIR")
readonly KIT_DIR=$REPO_DIR/appliance/src/test/resources/netns
readonly CONFIG=$REPO_DIR/reliability/src/test/resources/netns/hostile-dhcp.yaml
readonly SENDER_CP=$REPO_DIR/reliability/target/test-classes:$REPO_DIR/dhcp/target/test-classes
readonly ARGS="$*"
readonly SERVER_ADDR=10.20.0.1
readonly ADMIN=http://10.20.0.1:8807
readonly HOSTILE_ADDR=10.20.250.1/16
readonly HOSTILE_MAC=02:00:00:10:00:04
readonly NS_SW=fz-sw-$$ NS_SRV=fz-srv-$$ NS_HST=fz-hst-$$ NS_NEW=fz-new-$$
readonly NS_C1=fz-c1-$$ NS_C2=fz-c2-$$ NS_C3=fz-c3-$$
readonly SERVER_PORT=udp/67
readonly ATTEMPTS=3
readonly RENEWALS_PER_SESSION=10

usage() {
    cat <<EOF
Usage: bench/reliability/dhcp-fuzz.sh [--count N] [--rate PPS] [--jar FILE] [--out FILE] [--keep]

Sends N hostile DHCP packets (default 1000000) at PPS a second (default 8000) to the appliance in private
namespaces while real clients keep getting leases, then checks and writes bench/results/reliability-dhcp-fuzz-<date>.md.
Needs root, 'mvn -B -o -DskipTests package' first (the jar and the sender's test classes), and dhclient, udhcpc,
dhcpcd, tcpdump, jcmd, curl. Exits non-zero if a check fails.

  --count N   hostile packets (1..100000000)
  --rate PPS  packets a second (0: as fast as the sender can)
  --jar FILE  appliance jar (default: appliance/target/appliance.jar)
  --out FILE  Markdown results file
  --keep      keep the work directory (logs, pcap, thread dump, sender report) and print its path
EOF
}

count=1000000
rate=8000
jar=$REPO_DIR/appliance/target/appliance.jar
out=$BENCH_DIR/results/reliability-dhcp-fuzz-$(date +%Y%m%d-%H%M%S).md
keep=0
while (($#)); do
    case $1 in
        --count) count=${2:?--count needs a number}; shift ;;
        --rate) rate=${2:?--rate needs a number}; shift ;;
        --jar) jar=${2:?--jar needs a file}; shift ;;
        --out) out=${2:?--out needs a file}; shift ;;
        --keep) keep=1 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "dhcp-fuzz.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

fail() { echo "dhcp-fuzz.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

[[ $count =~ ^[0-9]+$ ]] && ((count >= 1 && count <= 100000000)) || fail "--count must be 1..100000000"
[[ $rate =~ ^[0-9]+$ ]] || fail "--rate must be a number"
((EUID == 0)) || fail "must run as root (it creates network namespaces)"
for tool in ip tcpdump dhclient udhcpc dhcpcd unshare jcmd curl java awk; do
    command -v "$tool" >/dev/null || fail "'$tool' not found"
done
[[ -f $jar ]] || fail "appliance jar not found at $jar (mvn -B -o -DskipTests package)"
[[ -f $REPO_DIR/reliability/target/test-classes/lab/reliability/HostileDhcpSender.class ]] \
    || fail "sender not compiled (mvn -B -o -DskipTests package builds reliability's test classes)"
# The flood's own bound: the time the count takes at the rate, with room for a slow machine, at most 2 h.
if ((rate > 0)); then flood_seconds=$((count / rate * 3 / 2 + 60)); else flood_seconds=3600; fi
((flood_seconds <= 7200)) || flood_seconds=7200

work=$(mktemp -d /tmp/fz-dhcp.XXXXXX)
server_pid= tcpdump_pid= sender_pid=
loop_pids=()

# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

# Stops what the script started (client loops first, their clients with them), deletes its namespaces.
cleanup() {
    local rc=$? pid ns
    trap - EXIT INT TERM HUP
    for pid in "${loop_pids[@]}" $sender_pid $tcpdump_pid $server_pid; do
        stop_pid "$pid"
    done
    for ns in "$NS_C1" "$NS_C2" "$NS_C3" "$NS_HST" "$NS_NEW" "$NS_SRV" "$NS_SW"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
        ip netns del "$ns" 2>/dev/null || true
    done
    if ((keep)); then echo "work directory kept: $work" >&2; else rm -rf "$work"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# ---------------------------------------------------------------- namespaces

ip netns add "$NS_SW"
ip -n "$NS_SW" link add br0 type bridge
ip -n "$NS_SW" link set br0 up
plug() {   # namespace, interface, MAC ("" for its own), port on the bridge
    ip netns add "$1"
    ip -n "$NS_SW" link add "$4" type veth peer name "$2" netns "$1"
    [[ -z $3 ]] || ip -n "$1" link set "$2" address "$3"
    ip -n "$NS_SW" link set "$4" master br0 up
    ip -n "$1" link set lo up
    ip -n "$1" link set "$2" up
}
plug "$NS_SRV" lab0 "" vsrv
ip -n "$NS_SRV" addr add "$SERVER_ADDR/16" dev lab0
i=0
for ns in "$NS_C1" "$NS_C2" "$NS_C3" "$NS_HST" "$NS_NEW"; do
    i=$((i + 1))
    mac=02:00:00:10:00:0$i
    [[ $ns != "$NS_NEW" ]] || mac=02:00:00:ee:00:01   # a stranger to the config (the others match its profile)
    plug "$ns" eth0 "$mac" "p$i"
    # A client without an address still needs a route to send out of eth0.
    ip -n "$ns" route add default dev eth0
done
ip -n "$NS_HST" addr add "$HOSTILE_ADDR" dev eth0

# ---------------------------------------------------------------- appliance, capture, counters

mkdir -p "$work/state"
ip netns exec "$NS_SRV" java -jar "$jar" run --config "$CONFIG" --state-dir "$work/state" >"$work/appliance.log" 2>&1 &
server_pid=$!
deadline=$((SECONDS + 60))
until grep -q 'appliance ready' "$work/appliance.log"; do
    kill -0 "$server_pid" 2>/dev/null && ((SECONDS < deadline)) || { tail -n 20 "$work/appliance.log" >&2; fail "appliance did not start"; }
    sleep 0.2
done
log "appliance ready (pid $server_pid)"

metrics() {
    in_ns "$NS_SRV" curl -sS -m 30 -H "Authorization: Bearer $(cat "$work/state/admin.token")" "$ADMIN/metrics"
}
# The Udp: counters of the server namespace as "name value" lines.
udp_counters() {
    in_ns "$NS_SRV" cat /proc/net/snmp | awk '$1 == "Udp:" { if (!n++) split($0, names); else for (i = 2; i <= NF; i++) print names[i], $i }'
}
udp_delta() {   # counter name: growth since the start
    awk -v k="$1" 'FNR == NR { if ($1 == k) b = $2; next } $1 == k { print $2 - b }' "$work/udp-before" <(udp_counters)
}
# Sum of dhcp_packets_<what>_total samples in metrics file $2 (what: received, sent, dropped).
metric_sum() { awk -v m="dhcp_packets_$1_total" 'index($0, m "{") == 1 { s += $2 } END { printf "%d\n", s }' "$2"; }
metric_table() {   # what, file: "label value" lines
    awk -v m="dhcp_packets_$1_total" 'index($0, m "{") == 1 { sub(/.*="/, "", $1); sub(/".*/, "", $1); printf "%s %d\n", $1, $2 }' "$2"
}

ip netns exec "$NS_SRV" tcpdump -i lab0 -nn --immediate-mode -w "$work/clients.pcap" \
    "udp dst port 67 and not ether src $HOSTILE_MAC" >"$work/tcpdump.out" 2>&1 &
tcpdump_pid=$!
deadline=$((SECONDS + 30))
until grep -q 'listening on' "$work/tcpdump.out"; do
    ((SECONDS < deadline)) || fail "tcpdump did not start: $(cat "$work/tcpdump.out")"
    sleep 0.1
done
udp_counters >"$work/udp-before"
cpu_before=$(awk '{ print $14 + $15 }' "/proc/$server_pid/stat")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- flood and real clients

ip netns exec "$NS_HST" java -cp "$SENDER_CP" lab.reliability.HostileDhcpSender --server "$SERVER_ADDR" \
    --count "$count" --seconds "$flood_seconds" --rate "$rate" --seed "$$" --report "$work/sender.report" \
    >"$work/sender.out" 2>&1 &
sender_pid=$!
started=$(date +%s)
log "sender started: $count packets at ${rate:-max}/s (at most $flood_seconds s)"

flooding() { kill -0 "$sender_pid" 2>/dev/null; }

# Runs "$@" up to ATTEMPTS times until it succeeds; records ok, retry or fail lines in $work/<client>.record.
attempt() {
    local client=$1 try
    shift
    for ((try = 1; try <= ATTEMPTS; try++)); do
        if "$@" >>"$work/$client.log" 2>&1; then
            echo ok >>"$work/$client.record"
            return 0
        fi
        if ((try < ATTEMPTS)); then echo "retry $(date +%T)" >>"$work/$client.record"; fi
    done
    echo "fail $(date +%T)" >>"$work/$client.record"
}

# Waits up to $3 s for file $1 to hold at least $2 lines equal to $4.
await_count() {
    local deadline=$((SECONDS + $3)) n
    while :; do
        n=$(grep -cx -- "$4" "$1" 2>/dev/null) || true
        ((${n:-0} >= $2)) && return 0
        ((SECONDS < deadline)) || return 1
        sleep 0.1
    done
}

# Lines of $2 in file $1 (0 when the file is missing).
lines_in() {
    local n
    n=$(grep -c -- "$2" "$1" 2>/dev/null) || true
    echo "${n:-0}"
}

dhclient_once() {   # DORA the first time, INIT-REBOOT from its lease file after
    local d=$work/dhclient before pid
    before=$(lines_in "$d/out" 'bound to')
    ip netns exec "$NS_C1" dhclient -4 -v -d -1 -cf "$d/dhclient.conf" -sf "$d/dhclient-script.sh" \
        -lf "$d/dhclient.leases" -pf "$d/dhclient.pid" eth0 >>"$d/out" 2>&1 &
    pid=$!
    local deadline=$((SECONDS + 60)) ok=1
    until (($(lines_in "$d/out" 'bound to') > before)); do
        if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then ok=0; break; fi
        sleep 0.1
    done
    stop_pid "$pid"
    ((ok))
}

udhcpc_renew() {   # one RENEW of session $1 (pid $2): SIGUSR1, then the script's renew event within 10 s
    local events=$1/events n
    n=$(lines_in "$events" '^renew$')
    kill -USR1 "$2"
    await_count "$events" $((n + 1)) 10 renew
}

udhcpc_session() {   # one DORA, ten RENEWs, RELEASE on SIGTERM (-R)
    local d pid i
    d=$(mktemp -d "$work/udhcpc.XXXXXX")
    cp "$KIT_DIR/udhcpc-script.sh" "$d/" && chmod +x "$d/udhcpc-script.sh"
    ip netns exec "$NS_C2" udhcpc -f -n -R -i eth0 -t 10 -T 2 -s "$d/udhcpc-script.sh" >"$d/out" 2>&1 &
    pid=$!
    if ! await_count "$d/events" 1 60 bound; then stop_pid "$pid"; return 1; fi
    for ((i = 0; i < RENEWALS_PER_SESSION; i++)); do
        flooding || break
        attempt udhcpc-renew udhcpc_renew "$d" "$pid"
    done
    stop_pid "$pid"
}

dhcpcd_once() {
    local d
    d=$(mktemp -d "$work/dhcpcd.XXXXXX")
    cp "$KIT_DIR/dhcpcd.conf" "$KIT_DIR/dhcpcd-hook.sh" "$d/" && chmod +x "$d/dhcpcd-hook.sh"
    ip -n "$NS_C3" -4 addr flush dev eth0
    ip netns exec "$NS_C3" unshare -m --propagation private sh -c "mount -t tmpfs tmpfs /run && \
        mount -t tmpfs tmpfs /var/lib/dhcpcd && exec dhcpcd -4 -1 -B -t 60 -f '$d/dhcpcd.conf' -c '$d/dhcpcd-hook.sh' eth0" \
        >"$d/out" 2>&1 && grep -qx BOUND "$d/events"
}

mkdir -p "$work/dhclient"
cp "$KIT_DIR/dhclient.conf" "$KIT_DIR/dhclient-script.sh" "$work/dhclient/" && chmod +x "$work/dhclient/dhclient-script.sh"
(while flooding; do attempt dhclient dhclient_once; done) &
loop_pids+=($!)
(while flooding; do attempt udhcpc udhcpc_session; done) &
loop_pids+=($!)
(while flooding; do attempt dhcpcd dhcpcd_once; done) &
loop_pids+=($!)

wait "$sender_pid" || fail "sender failed: $(tail -n 5 "$work/sender.out")"
sender_pid=
flood_end=$(date +%s)
log "sender done: $(cat "$work/sender.out")"
for pid in "${loop_pids[@]}"; do
    wait "$pid" || true   # each finishes the attempt it is in (bounded by the clients' own deadlines)
done
loop_pids=()

# ---------------------------------------------------------------- after the flood

fresh=none
d=$work/fresh
mkdir -p "$d" && cp "$KIT_DIR/udhcpc-script.sh" "$d/" && chmod +x "$d/udhcpc-script.sh"
if ip netns exec "$NS_NEW" udhcpc -f -n -q -i eth0 -t 10 -T 2 -s "$d/udhcpc-script.sh" >"$d/out" 2>&1; then
    fresh=$(awk -F= '$1 == "ip" { print $2 }' "$d/lease.env")
fi
in_ns "$NS_SRV" jcmd "$server_pid" Thread.print >"$work/threads.txt" 2>&1 || true
deadlocks=$(lines_in "$work/threads.txt" 'Found one Java-level deadlock')
blocked=$(lines_in "$work/threads.txt" 'java.lang.Thread.State: BLOCKED')
threads_dumped=$(lines_in "$work/threads.txt" '^"')

# Every datagram the socket took ends as a reply or a counted drop once the appliance has read it: wait for that.
deadline=$((SECONDS + 60))
while :; do
    metrics >"$work/metrics.txt"
    delivered=$(udp_delta InDatagrams)
    ended=$(($(metric_sum sent "$work/metrics.txt") + $(metric_sum dropped "$work/metrics.txt")))
    ((ended == delivered || SECONDS >= deadline)) && break
    sleep 0.5
done
stop_pid "$tcpdump_pid"
tcpdump_pid=
client_requests=$(awk '/packets captured/ { print $1 }' "$work/tcpdump.out")
capture_dropped=$(awk '/dropped by kernel/ { print $1 }' "$work/tcpdump.out")
in_errors=$(udp_delta InErrors)
rcvbuf_errors=$(udp_delta RcvbufErrors)
cpu_after=$(awk '{ print $14 + $15 }' "/proc/$server_pid/stat")
hwm=$(awk '/VmHWM/ { print $2 " " $3 }' "/proc/$server_pid/status")
alive=0
kill -0 "$server_pid" 2>/dev/null && alive=1
report() { awk -F= -v k="$1" '$1 == k { print $2 }' "$work/sender.report"; }
sent=$(report sent)
received=$(metric_sum received "$work/metrics.txt")
replies=$(metric_sum sent "$work/metrics.txt")
dropped=$(metric_sum dropped "$work/metrics.txt")
drop_of() { awk -v r="$1" '$1 == r { print $2 }' <(metric_table dropped "$work/metrics.txt"); }
after_decoding=$((received - replies - $(drop_of no_reply) - $(drop_of lease_not_stored) - $(drop_of responder_error) \
    - $(drop_of oversized_reply) - $(drop_of unencodable_reply) - $(drop_of send_failed) - $(drop_of send_backlog)))
tally() { lines_in "$work/$1.record" "^$2"; }
errors_in_log=$(lines_in "$work/appliance.log" ' ERROR ')
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- checks

checks=()
check() {   # description, condition (evaluated)
    if eval "$2"; then checks+=("| $1 | ok |"); else checks+=("| $1 | **FAILED** |"); failed=1; fi
}
failed=0
check "appliance alive after the flood (crashes 0)" "((alive == 1))"
check "every dhclient, udhcpc and dhcpcd attempt got its lease within $ATTEMPTS tries" \
    "(($(tally dhclient fail) + $(tally udhcpc fail) + $(tally udhcpc-renew fail) + $(tally dhcpcd fail) == 0))"
check "each client got leases during the flood (at least 3)" \
    "(($(tally dhclient ok) >= 3 && $(tally udhcpc ok) >= 3 && $(tally dhcpcd ok) >= 3))"
check "a fresh client gets a lease after the flood ($fresh)" "[[ $fresh == 10.20.* ]]"
check "no Java-level deadlock in the thread dump ($threads_dumped threads, $blocked BLOCKED)" \
    "((threads_dumped > 0 && deadlocks == 0))"
check "no responder error" "(($(drop_of responder_error) == 0))"
check "tcpdump lost none of the real clients' requests" "((capture_dropped == 0))"
check "replies sent + drops by reason ($((replies + dropped))) = datagrams delivered by the kernel ($delivered)" \
    "((replies + dropped == delivered))"
check "delivered + kernel drops ($((delivered + in_errors))) = hostile sent + real-client requests ($((sent + client_requests)))" \
    "((delivered + in_errors == sent + client_requests))"

# ---------------------------------------------------------------- results

mkdir -p "$(dirname "$out")"
{
    echo "# Hostile-DHCP soak, $(date -u '+%Y-%m-%d %H:%M:%S') UTC"
    echo
    echo "Command: \`bench/reliability/dhcp-fuzz.sh $ARGS\`"
    echo
    echo "- appliance: $(basename "$jar") sha256 $(sha256sum "$jar" | cut -c1-12), $(java -version 2>&1 | head -n 1)"
    echo "- host: $(uname -sr), $(nproc) CPUs; load average (1, 5, 15 min) before the flood: $load_before; after: $load_after"
    echo "- clients: $(dhclient --version 2>&1 | head -n 1), busybox udhcpc $(busybox 2>&1 | head -n 1 | awk '{ print $2 }'), $(dhcpcd --version | head -n 1)"
    echo
    echo "## Checks"
    echo
    echo "| check | result |"
    echo "|---|---|"
    printf '%s\n' "${checks[@]}"
    echo
    echo "## Hostile packets"
    echo
    echo "Sent $sent in $(report seconds) s (asked: $count at $rate/s; broadcast $(report broadcast), unicast $(report unicast), send errors $(report send_errors))."
    echo
    echo "| kind | sent |"
    echo "|---|---|"
    awk -F= 'index($1, "kind.") == 1 { printf "| %s | %s |\n", substr($1, 6), $2 }' "$work/sender.report"
    echo
    echo "## What became of them"
    echo
    echo "Kernel (server namespace, /proc/net/snmp): delivered $delivered datagrams to the appliance's socket, dropped"
    echo "$in_errors (InErrors; RcvbufErrors $rcvbuf_errors: the socket's receive buffer was full). tcpdump on lab0 saw"
    echo "$client_requests requests from the real clients (kernel drops of the capture: $capture_dropped)."
    echo
    echo "Appliance (Prometheus metrics): received (decoded) $received, sent $replies replies, dropped $dropped."
    echo "Of 'overloaded' ($(drop_of overloaded)), $after_decoding were requests shed after decoding and the rest DISCOVERs"
    echo "the backlog shedder dropped before."
    echo
    echo "| received (decoded) by type | count |"
    echo "|---|---|"
    metric_table received "$work/metrics.txt" | awk '$2 > 0 { printf "| %s | %d |\n", $1, $2 }'
    echo
    echo "| replies sent by type | count |"
    echo "|---|---|"
    metric_table sent "$work/metrics.txt" | awk '$2 > 0 { printf "| %s | %d |\n", $1, $2 }'
    echo
    echo "| dropped by reason | count |"
    echo "|---|---|"
    metric_table dropped "$work/metrics.txt" | awk '{ printf "| %s | %d |\n", $1, $2 }'
    echo
    echo "Accounting: replies + drops = $((replies + dropped)), delivered = $delivered;"
    echo "delivered + kernel drops = $((delivered + in_errors)), hostile + real-client = $((sent + client_requests))."
    echo
    echo "## Real clients during the flood ($((flood_end - started)) s)"
    echo
    echo "| client | leases | retries | failures |"
    echo "|---|---|---|---|"
    echo "| dhclient (DORA, then INIT-REBOOT) | $(tally dhclient ok) | $(tally dhclient retry) | $(tally dhclient fail) |"
    echo "| udhcpc (sessions of 1 DORA + $RENEWALS_PER_SESSION RENEWs) | $(tally udhcpc ok) sessions | $(tally udhcpc retry) | $(tally udhcpc fail) |"
    echo "| udhcpc RENEWs | $(tally udhcpc-renew ok) | $(tally udhcpc-renew retry) | $(tally udhcpc-renew fail) |"
    echo "| dhcpcd (one-shot DORA with ARP probe) | $(tally dhcpcd ok) | $(tally dhcpcd retry) | $(tally dhcpcd fail) |"
    echo
    echo "A retry is an attempt that got no lease and was tried again (a RENEW waits 10 s for its answer, a DORA up to"
    echo "60 s); a failure is $ATTEMPTS such attempts in a row."
    echo
    echo "## Appliance"
    echo
    echo "- CPU time during the run: $(((cpu_after - cpu_before) / $(getconf CLK_TCK))) s; peak resident memory (VmHWM): $hwm"
    echo "- log: $(wc -l <"$work/appliance.log") lines, $errors_in_log at ERROR"
    echo "- thread dump after the flood: $threads_dumped threads, $blocked BLOCKED, deadlocks: $deadlocks"
} >"$out"
log "results written to $out"
((failed == 0)) || fail "a check failed; see $out"
