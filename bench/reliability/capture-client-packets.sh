#!/usr/bin/env bash
# Captures the requests real DHCP clients send (dhclient, udhcpc, dhcpcd) to the appliance, inside two network
# namespaces this script creates and always deletes, and writes each one as a packet fixture: a "#" comment line
# (client, version, scenario), then the UDP payload as hex, 32 bytes a line (the format of
# dhcp/src/test/resources/packets/). The decoder's property tests and the hostile-DHCP sender mutate these.
#
# Topology (nothing on the host): cap-srv-PID holds lab0 192.0.2.1/24 and the appliance (pool 192.0.2.10-20);
# cap-cli-PID holds eth0 with MAC 02:00:00:00:01:01 and a default route through it, where each client runs in
# turn. tcpdump in the server namespace records what reaches port 67, one pcap per client; tshark reads the
# message type and the fields that name the scenario.
#
# Scenarios: dhclient DORA, INIT-REBOOT (a second run on its lease file) and RELEASE (-r); udhcpc DORA, RENEW
# (SIGUSR1: unicast REQUEST with ciaddr) and RELEASE (SIGTERM with -R); dhcpcd DORA, RELEASE (-k) and INFORM
# (-s, --inform 192.0.2.50/24). dhclient and udhcpc have no INFORM; so INFORM comes from dhcpcd only.
set -Eeuo pipefail

readonly BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly REPO_DIR=$(dirname "$BENCH_DIR")
readonly KIT_DIR=$REPO_DIR/appliance/src/test/resources/netns
readonly SERVER_ADDR=192.0.2.1
readonly CLIENT_MAC=02:00:00:00:01:01
readonly INFORM_ADDR=192.0.2.50/24
readonly NS_SRV=cap-srv-$$
readonly NS_CLI=cap-cli-$$
readonly SERVER_PORT=udp/67

usage() {
    cat <<EOF
Usage: bench/reliability/capture-client-packets.sh --out DIR [--jar FILE] [--keep]

Runs dhclient, udhcpc and dhcpcd against the appliance in private namespaces and writes every distinct request
they sent as DIR/<client>-<scenario>.hex (discover, request-selecting, request-rebooting, request-renewing,
release, inform). Must run as root. Existing files in DIR are overwritten.

  --out DIR   where the .hex files go (created if missing)
  --jar FILE  appliance jar (default: appliance/target/appliance.jar)
  --keep      keep the work directory (pcaps, client and server output) and print its path
EOF
}

out=
jar=$REPO_DIR/appliance/target/appliance.jar
keep=0
while (($#)); do
    case $1 in
        --out) out=${2:?--out needs a directory}; shift ;;
        --jar) jar=${2:?--jar needs a file}; shift ;;
        --keep) keep=1 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "capture-client-packets.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

fail() { echo "capture-client-packets.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

[[ -n $out ]] || { usage >&2; exit 2; }
((EUID == 0)) || fail "must run as root (it creates network namespaces)"
[[ -f $jar ]] || fail "appliance jar not found at $jar (mvn -B -o -DskipTests package)"
for tool in ip ss tcpdump tshark dhclient udhcpc dhcpcd unshare java; do
    command -v "$tool" >/dev/null || fail "'$tool' not found"
done

work=$(mktemp -d /tmp/cap-dhcp.XXXXXX)
server_pid=
tcpdump_pid=
client_pid=

# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
bench_pids() { echo $client_pid $tcpdump_pid $server_pid; }
install_cleanup

# Background processes are started with `ip netns exec` itself, not through a function, so that $! is the client's
# own PID (ip netns exec execs it) and signals reach the client, not a subshell.
in_cli() { ip netns exec "$NS_CLI" "$@"; }

ip netns add "$NS_SRV"
ip netns add "$NS_CLI"
ip -n "$NS_SRV" link add lab0 type veth peer name eth0 netns "$NS_CLI"
ip -n "$NS_CLI" link set eth0 address "$CLIENT_MAC"
ip -n "$NS_SRV" addr add "$SERVER_ADDR/24" dev lab0
for ns in "$NS_SRV" "$NS_CLI"; do ip -n "$ns" link set lo up; done
ip -n "$NS_SRV" link set lab0 up
ip -n "$NS_CLI" link set eth0 up
# A client without an address still needs a route to send its unicasts (RELEASE, RENEW) out of eth0.
ip -n "$NS_CLI" route add default dev eth0

cat >"$work/appliance.yaml" <<EOF
network:
  interface: lab0
  address: $SERVER_ADDR/24
  router: $SERVER_ADDR
  dns: [$SERVER_ADDR]
  domain: lab.example.org
dhcp:
  pools: [192.0.2.10-192.0.2.20]
  lease-time: 1h
metadata: {link-local: false, password-server: false}
state-dir: $work/state
EOF
ip netns exec "$NS_SRV" java -jar "$jar" run --config "$work/appliance.yaml" --state-dir "$work/state" \
    >"$work/appliance.log" 2>&1 &
server_pid=$!
deadline=$((SECONDS + 60))
until grep -q 'appliance ready' "$work/appliance.log"; do
    kill -0 "$server_pid" 2>/dev/null && ((SECONDS < deadline)) || { tail -n 20 "$work/appliance.log" >&2; fail "appliance did not start"; }
    sleep 0.2
done
log "appliance ready (pid $server_pid)"

# Starts tcpdump on lab0 for client $1, waiting until it is listening.
start_capture() {
    ip netns exec "$NS_SRV" tcpdump -i lab0 -nn --immediate-mode -U -w "$work/$1.pcap" 'udp dst port 67' >"$work/$1.tcpdump" 2>&1 &
    tcpdump_pid=$!
    local deadline=$((SECONDS + 10))
    until grep -q 'listening on' "$work/$1.tcpdump"; do
        ((SECONDS < deadline)) || fail "tcpdump did not start: $(cat "$work/$1.tcpdump")"
        sleep 0.1
    done
}

stop_capture() {
    sleep 0.5   # the last packet is written before tcpdump is stopped (--immediate-mode -U)
    stop_pid "$tcpdump_pid"
    tcpdump_pid=
}

# Waits up to 90 s for a line $2 in file $1 (a client script's event log).
await_event() {
    local deadline=$((SECONDS + 90))
    until grep -qx "$2" "$1" 2>/dev/null; do
        ((SECONDS < deadline)) || fail "no '$2' in $1 after 90 s"
        sleep 0.1
    done
}

# Waits up to 90 s until file $1 has at least $3 lines containing $2.
await_line() {
    local deadline=$((SECONDS + 90))
    until (($(grep -c -- "$2" "$1" 2>/dev/null) >= $3)); do
        ((SECONDS < deadline)) || fail "no '$2' in $1 after 90 s"
        sleep 0.1
    done
}

reset_client() {
    ip -n "$NS_CLI" -4 addr flush dev eth0
}

# ---------------------------------------------------------------- dhclient

d=$work/dhclient
mkdir -p "$d"
cp "$KIT_DIR/dhclient.conf" "$KIT_DIR/dhclient-script.sh" "$d/"
chmod +x "$d/dhclient-script.sh"
dhclient_args=(-4 -v -cf "$d/dhclient.conf" -sf "$d/dhclient-script.sh" -lf "$d/dhclient.leases" -pf "$d/dhclient.pid" eth0)
start_capture dhclient
for run in 1 2; do   # 1: DORA; 2: INIT-REBOOT from the lease file the first run wrote
    : >"$d/events"
    ip netns exec "$NS_CLI" dhclient -d -1 "${dhclient_args[@]}" >>"$d/dhclient.out" 2>&1 &
    client_pid=$!
    await_event "$d/events" "$([[ $run == 1 ]] && echo BOUND || echo REBOOT)"
    # dhclient writes its lease file after the script ran: stopped before, the second run would not INIT-REBOOT.
    await_line "$d/dhclient.out" "bound to " "$run"
    stop_pid "$client_pid"   # SIGTERM ends dhclient -d without a RELEASE
    client_pid=
done
in_cli dhclient -r "${dhclient_args[@]}" >>"$d/dhclient.out" 2>&1
stop_capture
reset_client
dhclient_version=$(dhclient --version 2>&1 | head -n 1)

# ---------------------------------------------------------------- udhcpc

u=$work/udhcpc
mkdir -p "$u"
cp "$KIT_DIR/udhcpc-script.sh" "$u/"
chmod +x "$u/udhcpc-script.sh"
start_capture udhcpc
ip netns exec "$NS_CLI" udhcpc -f -R -i eth0 -O staticroutes -x hostname:vm-one -s "$u/udhcpc-script.sh" >"$u/udhcpc.out" 2>&1 &
client_pid=$!
await_event "$u/events" bound
kill -USR1 "$client_pid"
await_event "$u/events" renew
stop_pid "$client_pid"   # SIGTERM with -R: DHCPRELEASE, then exit
client_pid=
stop_capture
reset_client
udhcpc_version=$(busybox 2>&1 | head -n 1 | awk '{ print $2 }')

# ---------------------------------------------------------------- dhcpcd

c=$work/dhcpcd
mkdir -p "$c"
cp "$KIT_DIR/dhcpcd.conf" "$KIT_DIR/dhcpcd-hook.sh" "$c/"
chmod +x "$c/dhcpcd-hook.sh"
# One private mount namespace for all three runs: tmpfs over /run and /var/lib/dhcpcd keeps the control socket
# (which -k needs) and the DUID away from the host's.
cat >"$c/run.sh" <<EOF
set -e
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /var/lib/dhcpcd
dhcpcd -4 -B -d -t 60 -f '$c/dhcpcd.conf' -c '$c/dhcpcd-hook.sh' eth0 &
daemon=\$!
deadline=\$((\$(date +%s) + 90))
until grep -qx BOUND '$c/events' 2>/dev/null; do
    [ \$(date +%s) -lt \$deadline ] || exit 1
    sleep 0.1
done
dhcpcd -4 -k -f '$c/dhcpcd.conf' eth0
wait \$daemon || true
ip -4 addr flush dev eth0
dhcpcd -4 -1 -B -d -t 20 -f '$c/dhcpcd.conf' -c '$c/dhcpcd-hook.sh' -s $INFORM_ADDR eth0 || true
EOF
start_capture dhcpcd
ip netns exec "$NS_CLI" unshare -m --propagation private sh "$c/run.sh" >"$c/dhcpcd.out" 2>&1 &
client_pid=$!
wait "$client_pid" || fail "dhcpcd runs failed: $(tail -n 20 "$c/dhcpcd.out")"
client_pid=
stop_capture
dhcpcd_version=$(dhcpcd --version | head -n 1)

# ---------------------------------------------------------------- fixtures

# Names the scenario of one request from its type and fields (RFC 2131 §4.3.2 tells the REQUEST states apart).
scenario() {
    local type=$1 ciaddr=$2 server_id=$3 dst=$4
    case $type in
        1) echo discover ;;
        3) if [[ -n $server_id ]]; then echo request-selecting
           elif [[ $ciaddr != 0.0.0.0 ]]; then [[ $dst == 255.255.255.255 ]] && echo request-rebinding || echo request-renewing
           else echo request-rebooting; fi ;;
        4) echo decline ;;
        7) echo release ;;
        8) echo inform ;;
        *) echo "type-$type" ;;
    esac
}

mkdir -p "$out"
declare -A described=(
    [dhclient]="$dhclient_version (Debian 12), kit dhclient.conf"
    [udhcpc]="busybox udhcpc $udhcpc_version (Debian 12), -O staticroutes -x hostname:vm-one"
    [dhcpcd]="$dhcpcd_version (Debian 12), -4 -B, kit dhcpcd.conf"
)
written=0
for client in dhclient udhcpc dhcpcd; do
    declare -A seen=()
    # "|", not a tab: read would merge the empty fields a tab leaves (no server id in a DISCOVER).
    while IFS='|' read -r type ciaddr server_id dst payload; do
        name=$(scenario "$type" "$ciaddr" "$server_id" "$dst")
        [[ -z ${seen[$name]:-} ]] || continue
        seen[$name]=1
        {
            echo "# ${described[$client]}, ${name^^} to $dst, MAC $CLIENT_MAC, server $SERVER_ADDR, captured by bench/reliability/capture-client-packets.sh"
            fold -w 64 <<<"$payload"
        } >"$out/$client-$name.hex"
        written=$((written + 1))
        log "wrote $out/$client-$name.hex (${#payload} hex digits)"
    done < <(tshark -r "$work/$client.pcap" -T fields -E 'separator=|' -e dhcp.option.dhcp -e dhcp.ip.client \
        -e dhcp.option.dhcp_server_id -e ip.dst -e udp.payload 2>/dev/null | tr -d ':')
    unset seen
done
((written > 0)) || fail "no request captured"
log "$written fixtures written to $out"
