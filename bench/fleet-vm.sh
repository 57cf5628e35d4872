#!/usr/bin/env bash
# Real-VM fleet benchmark: boots N Debian 12 VMs (stock cloud-init 22.4, qemu TCG, scripts/vm/) twice in one run,
# first from the appliance (DHCP + metadata, one profile per datasource), then from what a dnsmasq user has today
# (dnsmasq for DHCP, a per-VM NoCloud seed ISO made with cloud-localds), and compares power-on → cloud-init's final
# message per VM. See BENCHMARKS.md, section "Real VMs".
#
# Topology (nothing on the host): namespace fvm-sw-PID holds the bridge br0 and every VM's tap (boot-vm.sh creates
# and removes them); namespace fvm-srv-PID holds lab0 10.20.0.1/16, the other end of a veth whose peer is on br0, and
# the server of the mode being measured (the appliance, then dnsmasq; never both: one owner of port 67 at a time).
set -Eeuo pipefail

readonly BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly REPO_DIR=$(dirname "$BENCH_DIR")
readonly ARGS="$*"
readonly SERVER_ADDR=10.20.0.1
readonly NS_SW=fvm-sw-$$
readonly NS_SRV=fvm-srv-$$
readonly SERVER_PORT=udp/67
readonly ADMIN=127.0.0.1:8807
readonly ALL_DATASOURCES=cloudstack,ec2,ec2-aws,openstack,nocloud,nocloud-cmdline
readonly ALL_MODES=appliance,baseline
readonly MAX_VMS=150
readonly POLL_SECONDS=0.2
# After the final message, how long the appliance may take to see the reporting webhook's last event.
readonly FINISHED_EVENT_SECONDS=30

usage() {
    cat <<EOF
Usage: bench/fleet-vm.sh N [--parallel P] [--keep] [--modes LIST] [--datasources LIST] [--boot-timeout S]
                         [--dns ADDR] [--no-webhook] [--jar FILE] [--out FILE]

Boots N real VMs from the appliance and then from dnsmasq + NoCloud seed ISOs, at most P booting at once, and
reports power-on -> cloud-init's final message per VM, per mode and per datasource, and where the appliance's part
of each boot went (from its boot timeline). Must run as root.

  N                  number of VMs per mode (1-$MAX_VMS); VM n has MAC 02:00:00:ee:00:<n in hex>, 10.20.0.<100+n>
  --parallel P       VMs booting at once (default 2; the machine has $(nproc) cores)
  --keep             keep the work directory (configs, seeds, consoles, timelines, server logs) and print its path
  --modes LIST       comma-separated subset of: $ALL_MODES (default: both)
  --datasources LIST appliance VMs cycle through these (default: $ALL_DATASOURCES)
  --boot-timeout S   a VM that has not finished after S seconds counts as failed (default 600)
  --dns ADDR         both servers hand out ADDR as DNS server (DHCP option 6); default none. Nothing in the lab
                     answers DNS: with or without an address lookups fail at once (the image's resolv.conf is empty)
  --no-webhook       the appliance's user-data has phone_home but not the reporting webhook (its cost per boot)
  --jar FILE         appliance jar (default: appliance/target/appliance.jar)
  --out FILE         Markdown results file (default: bench/results/fleet-vm-<date>.md)
EOF
}

fail() { echo "fleet-vm.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

count=
parallel=2
keep=0
modes=$ALL_MODES
datasources=$ALL_DATASOURCES
boot_timeout=600
dns=
webhook=1
jar=$REPO_DIR/appliance/target/appliance.jar
out=$BENCH_DIR/results/fleet-vm-$(date +%Y%m%d-%H%M%S).md
while (($#)); do
    case $1 in
        --parallel) parallel=${2:?--parallel needs a number}; shift ;;
        --keep) keep=1 ;;
        --modes) modes=${2:?--modes needs a list}; shift ;;
        --datasources) datasources=${2:?--datasources needs a list}; shift ;;
        --boot-timeout) boot_timeout=${2:?--boot-timeout needs seconds}; shift ;;
        --dns) dns=${2:?--dns needs an address}; shift ;;
        --no-webhook) webhook=0 ;;
        --jar) jar=${2:?--jar needs a file}; shift ;;
        --out) out=${2:?--out needs a file}; shift ;;
        -h | --help) usage; exit 0 ;;
        -*) echo "fleet-vm.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
        *) [[ -z $count ]] || { usage >&2; exit 2; }; count=$1 ;;
    esac
    shift
done

# ---------------------------------------------------------------- preconditions

[[ $count =~ ^[0-9]+$ ]] && ((count >= 1 && count <= MAX_VMS)) || { usage >&2; fail "N must be 1-$MAX_VMS"; }
[[ $parallel =~ ^[0-9]+$ ]] && ((parallel >= 1)) || fail "--parallel must be a positive number"
[[ $boot_timeout =~ ^[0-9]+$ ]] && ((boot_timeout >= 30)) || fail "--boot-timeout must be at least 30 seconds"
[[ -z $dns || $dns =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "--dns needs an IPv4 address"
IFS=, read -r -a mode_list <<<"$modes"
for m in "${mode_list[@]}"; do
    [[ ,$ALL_MODES, == *",$m,"* ]] || fail "unknown mode '$m' (expected some of: $ALL_MODES)"
done
IFS=, read -r -a ds_cycle <<<"$datasources"
for d in "${ds_cycle[@]}"; do
    [[ ,$ALL_DATASOURCES, == *",$d,"* ]] || fail "unknown datasource '$d' (expected some of: $ALL_DATASOURCES)"
done
((EUID == 0)) || fail "must run as root (network namespaces, taps, qemu)"
((parallel <= $(nproc))) || log "--parallel $parallel is more than the $(nproc) cores: every boot gets slower"

# Debian packages for what is missing, and nothing else.
declare -A PACKAGE_OF=([qemu-system-x86_64]=qemu-system-x86 [qemu-img]=qemu-utils [dnsmasq]=dnsmasq-base
    [cloud-localds]=cloud-image-utils [debootstrap]=debootstrap [curl]=curl [jq]=jq [ss]=iproute2 [java]=openjdk-17-jre-headless)
missing=()
for tool in "${!PACKAGE_OF[@]}"; do
    command -v "$tool" >/dev/null || missing+=("${PACKAGE_OF[$tool]}")
done
if ((${#missing[@]})); then
    log "installing from Debian: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2 \
        || fail "apt-get install ${missing[*]} failed"
fi
[[ ,$modes, != *,appliance,* || -f $jar ]] || fail "$jar is missing (build it with 'mvn -DskipTests package')"

image_dir=$(bash "$REPO_DIR/scripts/vm/build-image.sh" | tail -n 1)
# Both modes start from a warm page cache: otherwise the first mode's first VMs read the image from disk and their
# boot before cloud-init (where no server takes part) is slower, which the control column then shows.
cat "$image_dir/root.qcow2" "$image_dir/vmlinuz" "$image_dir/initrd.img" >/dev/null
[[ -f $image_dir/root.qcow2 && -f $image_dir/packages.txt ]] || fail "no VM image in '$image_dir'"

# ---------------------------------------------------------------- namespaces and cleanup

work=$(mktemp -d /tmp/fleet-vm.XXXXXX)
server_pid=
declare -A vm_pid=() qemu_pid=()

# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
# lib.sh's cleanup deletes NS_CLI and NS_SRV: here the switch namespace plays the client side.
readonly NS_CLI=$NS_SW
# VMs first (boot-vm.sh stops its qemu and removes its tap; a qemu left behind is stopped by its own PID), then the server.
bench_pids() { echo "${vm_pid[@]}" "${qemu_pid[@]}" $server_pid; }
install_cleanup

in_srv() { ip netns exec "$NS_SRV" "$@"; }

ip netns add "$NS_SW"
ip netns add "$NS_SRV"
ip -n "$NS_SW" link add br0 type bridge
ip -n "$NS_SW" link add vsrv type veth peer name lab0 netns "$NS_SRV"
ip -n "$NS_SW" link set vsrv master br0
for link in lo br0 vsrv; do ip -n "$NS_SW" link set "$link" up; done
ip -n "$NS_SRV" addr add "$SERVER_ADDR/16" dev lab0
ip -n "$NS_SRV" link set lo up
ip -n "$NS_SRV" link set lab0 up

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date '+%Y-%m-%d %H:%M:%S %Z')
log "load average (1, 5, 15 min) at start: $load_before; $(nproc) CPUs; image $image_dir"

# ---------------------------------------------------------------- the VMs

vm_nn() { printf '%02x' "$1"; }
vm_mac() { echo "02:00:00:ee:00:$(vm_nn "$1")"; }
vm_ip() { echo "10.20.0.$((100 + $1))"; }
vm_host() { echo "fvm-$(vm_nn "$1")"; }
vm_iid() { echo "i-fleet-$(vm_nn "$1")"; }
vm_ds() { echo "${ds_cycle[$((($1 - 1) % ${#ds_cycle[@]}))]}"; }
now_ns() { date +%s%N; }

# The user-data of both modes: a name, a rendered file. The appliance's adds phone_home and the reporting webhook.
user_data_common() {
    cat <<'EOF'
#cloud-config
hostname: {{ hostname }}
manage_etc_hosts: true
write_files:
  - path: /etc/fleet-bench
    content: "{{ profile }} {{ ip }} {{ instance_id }}"
EOF
}
user_data_appliance() {
    user_data_common
    cat <<EOF
phone_home:
  url: "http://$SERVER_ADDR/phone-home/\$INSTANCE_ID"
  post: all
  tries: 10
EOF
    # --no-webhook: what the reporting webhook's posts (one per stage and module) cost a boot.
    ((webhook)) || return 0
    cat <<EOF
reporting:
  appliance:
    type: webhook
    endpoint: "http://$SERVER_ADDR/cloud-init/events"
EOF
}

# One profile per datasource (named after it), one vms: record per VM; a DNS option only with --dns (nothing answers
# DNS in the lab, and dnsmasq with port=0 gives none either).
write_appliance_config() {
    local file=$1 state=$2 d i
    {
        echo "network:"
        echo "  interface: lab0"
        echo "  address: $SERVER_ADDR/16"
        echo "  router: $SERVER_ADDR"
        [[ -n $dns ]] && echo "  dns: [$dns]"
        echo "dhcp:"
        echo "  pools: [10.20.1.1-10.20.3.254]"
        echo "  lease-time: 1h"
        echo "metadata: {link-local: true, password-server: true, imds-tokens: optional}"
        echo "admin:"
        echo "  listen: $ADMIN"
        echo "  token-file: $state/admin.token"
        echo "state-dir: $state"
        echo "profiles:"
        for d in "${ds_cycle[@]}"; do
            echo "  $d:"
            echo "    datasource: $d"
            echo "    user-data: |"
            user_data_appliance | sed 's/^/      /'
        done
        echo "vms:"
        for ((i = 1; i <= count; i++)); do
            echo "  - {mac: $(vm_mac "$i"), hostname: $(vm_host "$i"), profile: $(vm_ds "$i"), ip: $(vm_ip "$i"), instance-id: $(vm_iid "$i")$([[ $(vm_ds "$i") == cloudstack ]] && echo ", password: Lab-Passw0rd-$i")}"
        done
    } >"$file"
}

write_dnsmasq_config() {
    local file=$1 dir=$2 i
    {
        echo "port=0"
        echo "interface=lab0"
        echo "bind-interfaces"
        echo "dhcp-range=10.20.1.1,10.20.3.254,255.255.0.0,1h"
        echo "dhcp-option=option:router,$SERVER_ADDR"
        [[ -n $dns ]] && echo "dhcp-option=option:dns-server,$dns"
        echo "dhcp-authoritative"
        echo "dhcp-leasefile=$dir/dnsmasq.leases"
        echo "pid-file="
        echo "log-dhcp"
        echo "log-facility=$dir/dnsmasq.log"
        for ((i = 1; i <= count; i++)); do
            echo "dhcp-host=$(vm_mac "$i"),$(vm_ip "$i"),$(vm_host "$i")"
        done
    } >"$file"
}

# The baseline's NoCloud seed: the same user-data, rendered here as the appliance renders it (profile "nocloud-seed").
write_seed() {
    local i=$1 dir=$2
    user_data_common | sed -e "s/{{ hostname }}/$(vm_host "$i")/" -e "s/{{ profile }}/nocloud-seed/" \
        -e "s/{{ ip }}/$(vm_ip "$i")/" -e "s/{{ instance_id }}/$(vm_iid "$i")/" >"$dir/user-data"
    printf 'instance-id: %s\nlocal-hostname: %s\n' "$(vm_iid "$i")" "$(vm_host "$i")" >"$dir/meta-data"
    cloud-localds "$dir/seed.iso" "$dir/user-data" "$dir/meta-data" 2>"$dir/cloud-localds.err" \
        || { cat "$dir/cloud-localds.err" >&2; fail "cloud-localds failed for VM $i"; }
}

# Results per "mode:n": status (finished / timeout / exited), power-on → final message (s), guest uptime then (s),
# the datasource cloud-init named in that line, epoch ns of power-on and of the final message.
# pre_s and ci_s split wall_s at cloud-init's first line ("running 'init-local'"): ci_s is cloud-init's own part
# (guest clock, from that line to the final message), pre_s the rest (kernel and early systemd, power-on on the host
# clock). No server takes part before that line, so pre_s shows how much the machine's load differed between runs.
declare -A status=() wall_s=() up_s=() pre_s=() ci_s=() ds_seen=() start_ns=() final_ns=() launch_ns=() started_sec=()
declare -A first_start_ns=() last_final_ns=()

# Epoch ns at which process $1 started, from its start time in /proc (10 ms ticks since boot) and the uptime now.
process_start_ns() {
    local ticks now up
    ticks=$(awk '{ print $22 }' "/proc/$1/stat" 2>/dev/null) || return 1
    now=$(now_ns); up=$(cut -d' ' -f1 /proc/uptime)
    awk -v now="$now" -v up="$up" -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f\n", now - (up - t / hz) * 1e9 }'
}

# qemu is boot-vm.sh's child once the overlay and the tap exist (ip netns exec execs it: same PID).
find_qemu() {
    local key=$1 child
    for child in $(cat "/proc/${vm_pid[$key]}/task/${vm_pid[$key]}/children" 2>/dev/null); do
        if [[ $(cat "/proc/$child/comm" 2>/dev/null) == qemu-system-* ]]; then
            qemu_pid[$key]=$child
            start_ns[$key]=$(process_start_ns "$child") || start_ns[$key]=${launch_ns[$key]}
            return 0
        fi
    done
    return 1
}

start_vm() {
    local mode=$1 i=$2 key=$1:$2 dir tap extra=()
    dir=$work/$mode/vm-$(vm_nn "$i")
    mkdir -p "$dir"
    tap=fvm-${mode:0:1}$(vm_nn "$i")
    case $mode in
        appliance) extra=(--launch-args "$dir/launch-args.txt") ;;
        baseline) extra=(--cdrom "$dir/seed.iso") ;;
    esac
    launch_ns[$key]=$(now_ns)
    started_sec[$key]=$SECONDS
    setsid bash "$REPO_DIR/scripts/vm/boot-vm.sh" --netns "$NS_SW" --bridge br0 --tap "$tap" --mac "$(vm_mac "$i")" \
        --image-dir "$image_dir" --work-dir "$dir" "${extra[@]}" >"$dir/boot-vm.out" 2>&1 &
    vm_pid[$key]=$!
    log "$mode: VM $i ($(vm_mac "$i"), $([[ $mode == appliance ]] && vm_ds "$i" || echo nocloud-seed)) powered on"
}

stop_vm() {
    local key=$1
    stop_pid "${vm_pid[$key]}"
    [[ -n ${qemu_pid[$key]:-} ]] && stop_pid "${qemu_pid[$key]}"
    unset "vm_pid[$key]" "qemu_pid[$key]"
}

admin_get() { in_srv curl -sf --max-time 5 -H "Authorization: Bearer $(cat "$work/appliance/state/admin.token")" "http://$ADMIN$1"; }

# Waits (bounded) until the appliance's timeline of VM $1 has the reporting webhook's finished (or failed) event: it is
# posted just after the final message, and stopping the VM sooner would lose it. The phase is no guide: phone_home,
# which comes before the final message, already makes it "finished". Not part of the measured time.
wait_finished_event() {
    local mac=$1 deadline=$((SECONDS + FINISHED_EVENT_SECONDS)) seen
    ((webhook)) || return 0
    while ((SECONDS < deadline)); do
        seen=$(admin_get "/api/v1/fleet/$mac" | jq -r '[.boots[].events[] | select(.kind == "finished" or .kind == "failed")] | length' 2>/dev/null || true)
        [[ $seen =~ ^[1-9] ]] && return 0
        sleep "$POLL_SECONDS"
    done
    log "appliance: no finished event for $mac within $FINISHED_EVENT_SECONDS s of its final message"
}

# Checks VM "mode:n" once; returns 0 when it is done (finished, failed or timed out) and has been stopped.
poll_vm() {
    local key=$1 mode=${1%%:*} i=${1##*:} console line t
    console=$work/$mode/vm-$(vm_nn "$i")/console.log
    [[ -n ${qemu_pid[$key]:-} ]] || find_qemu "$key" || true
    line=$(grep -a -m1 -E 'Cloud-init v\. [^ ]+ finished at .* Up [0-9.]+ seconds' "$console" 2>/dev/null || true)
    if [[ -n $line ]]; then
        t=$(now_ns)
        line=${line//$'\r'/}
        final_ns[$key]=$t
        : "${start_ns[$key]:=${launch_ns[$key]}}"
        wall_s[$key]=$(awk -v a="${start_ns[$key]}" -v b="$t" 'BEGIN { printf "%.1f\n", (b - a) / 1e9 }')
        up_s[$key]=$(sed -E 's/.* Up ([0-9.]+) seconds.*/\1/' <<<"$line")
        ds_seen[$key]=$(sed -E 's/.*Datasource ([A-Za-z0-9]+).*/\1/' <<<"$line")
        local up_local
        up_local=$(grep -a -m1 -E "Cloud-init v\. [^ ]+ running 'init-local' at .* Up [0-9.]+ seconds" "$console" \
            | sed -E 's/.* Up ([0-9.]+) seconds.*/\1/')
        if [[ -n $up_local ]]; then
            ci_s[$key]=$(awk -v a="$up_local" -v b="${up_s[$key]}" 'BEGIN { printf "%.1f\n", b - a }')
            pre_s[$key]=$(awk -v w="${wall_s[$key]}" -v c="${ci_s[$key]}" 'BEGIN { printf "%.1f\n", w - c }')
        fi
        status[$key]=finished
        [[ -z ${first_start_ns[$mode]:-} || ${start_ns[$key]} -lt ${first_start_ns[$mode]} ]] && first_start_ns[$mode]=${start_ns[$key]}
        last_final_ns[$mode]=$t
        log "$mode: VM $i finished after ${wall_s[$key]} s (guest: up ${up_s[$key]} s, ${ds_seen[$key]})"
        [[ $mode == appliance ]] && wait_finished_event "$(vm_mac "$i")"
        stop_vm "$key"
        return 0
    fi
    if ! kill -0 "${vm_pid[$key]}" 2>/dev/null; then
        status[$key]=exited
        log "$mode: VM $i: qemu exited before cloud-init finished; last lines of boot-vm.sh:"
        tail -n 5 "$work/$mode/vm-$(vm_nn "$i")/boot-vm.out" >&2 || true
        stop_vm "$key"
        return 0
    fi
    if ((SECONDS - started_sec[$key] >= boot_timeout)); then
        status[$key]=timeout
        log "$mode: VM $i did not finish within $boot_timeout s"
        stop_vm "$key"
        return 0
    fi
    return 1
}

# Powers VMs 1..N on in order, never more than P booting at once, and polls each booting VM's console.
boot_fleet() {
    local mode=$1 next=1 key kept
    local booting=() deadline=$((SECONDS + (count / parallel + 1) * (boot_timeout + FINISHED_EVENT_SECONDS + 60)))
    while ((next <= count || ${#booting[@]} > 0)); do
        ((SECONDS < deadline)) || fail "$mode: the fleet did not finish by its overall deadline"
        while ((${#booting[@]} < parallel && next <= count)); do
            start_vm "$mode" "$next"
            booting+=("$mode:$next")
            next=$((next + 1))
        done
        sleep "$POLL_SECONDS"
        kept=()
        for key in "${booting[@]}"; do
            poll_vm "$key" || kept+=("$key")
        done
        booting=("${kept[@]}")
    done
}

# ---------------------------------------------------------------- servers

# Starts the server (the command directly, so that $! is its PID) and waits until it holds port 67 and, if given,
# its log has $2.
wait_server() {
    local log_file=$1 pattern=${2:-} deadline=$((SECONDS + 60))
    until [[ -n $(server_port_listeners) ]] && { [[ -z $pattern ]] || grep -q "$pattern" "$log_file"; }; do
        if ! kill -0 "$server_pid" 2>/dev/null || ((SECONDS >= deadline)); then
            tail -n 20 "$log_file" >&2 || true
            fail "the server did not come up (log: $log_file)"
        fi
        sleep 0.1
    done
}

run_appliance() {
    local dir=$work/appliance i
    mkdir -p "$dir/state"
    write_appliance_config "$dir/appliance.yaml" "$dir/state"
    java -jar "$jar" check-config "$dir/appliance.yaml" >"$dir/check.out" 2>&1 \
        || { cat "$dir/check.out" >&2; fail "the appliance rejected $dir/appliance.yaml"; }
    for ((i = 1; i <= count; i++)); do
        mkdir -p "$dir/vm-$(vm_nn "$i")"
        java -jar "$jar" launch-args "$(vm_mac "$i")" --for qemu --config "$dir/appliance.yaml" \
            >"$dir/vm-$(vm_nn "$i")/launch-args.txt" || fail "launch-args failed for $(vm_mac "$i")"
    done
    wait_server_port_free
    ip netns exec "$NS_SRV" setsid java -jar "$jar" run --config "$dir/appliance.yaml" --state-dir "$dir/state" \
        >"$dir/server.log" 2>&1 &
    server_pid=$!
    wait_server "$dir/server.log" 'appliance ready'
    log "appliance: ready (PID $server_pid)"
    boot_fleet appliance
    for ((i = 1; i <= count; i++)); do
        admin_get "/api/v1/fleet/$(vm_mac "$i")" >"$dir/vm-$(vm_nn "$i")/timeline.json" || true
    done
    stop_server
}

run_baseline() {
    local dir=$work/baseline i
    mkdir -p "$dir"
    write_dnsmasq_config "$dir/dnsmasq.conf" "$dir"
    dnsmasq --test -C "$dir/dnsmasq.conf" >"$dir/check.out" 2>&1 \
        || { cat "$dir/check.out" >&2; fail "dnsmasq rejected $dir/dnsmasq.conf"; }
    for ((i = 1; i <= count; i++)); do
        mkdir -p "$dir/vm-$(vm_nn "$i")"
        write_seed "$i" "$dir/vm-$(vm_nn "$i")"
    done
    wait_server_port_free
    ip netns exec "$NS_SRV" setsid dnsmasq -k -C "$dir/dnsmasq.conf" >"$dir/server.out" 2>&1 &
    server_pid=$!
    wait_server "$dir/server.out"
    log "baseline: dnsmasq ready (PID $server_pid)"
    boot_fleet baseline
    stop_server
}

for m in "${mode_list[@]}"; do
    log "=== $m: $count VMs, at most $parallel at once"
    "run_$m"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
log "load average (1, 5, 15 min) at end: $load_after"

# ---------------------------------------------------------------- report

# min median max (one decimal) of the numbers on stdin; "n/a n/a n/a" for none.
stats() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "n/a n/a n/a"; exit }
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.1f %.1f %.1f\n", v[1], m, v[NR] }'
}
median() { stats | cut -d' ' -f2; }
# $1 of "min median max" as "min / median / max".
slashed() { sed 's| | / |g' <<<"$1"; }
diff_s() { awk -v a="$1" -v b="$2" 'BEGIN { if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/) print "n/a"; else printf "%+.1f\n", a - b }'; }
# Against the 1 s target, unless the control (the medians before cloud-init, $2, where no server takes part) differs
# by more than that: then the machine's load differed between the runs, and so would any verdict.
verdict() {
    awk -v d="$1" -v c="${2:-0}" 'BEGIN {
        if (d == "n/a") print "not measured"
        else if (c != "n/a" && (c > 1.0 || c < -1.0)) printf "not judged: the medians before cloud-init differ by %s s, so the load differed\n", c
        else if (d + 0 <= 1.0) print "**met**"
        else print "**missed**" }'
}

# Field $2 (wall_s or up_s) of mode $1's finished VMs whose appliance datasource matches the regex $3 (default all).
values() {
    local mode=$1 filter=${3:-} i key
    local -n field=$2
    for ((i = 1; i <= count; i++)); do
        key=$mode:$i
        [[ ${status[$key]:-} == finished ]] || continue
        [[ -z $filter || $(vm_ds "$i") =~ ^($filter)$ ]] || continue
        echo "${field[$key]}"
    done
}
finished_count() { local mode=$1 i n=0; for ((i = 1; i <= count; i++)); do [[ ${status[$mode:$i]:-} == finished ]] && n=$((n + 1)); done; echo "$n"; }
fleet_wall() {
    [[ -n ${first_start_ns[$1]:-} ]] || { echo n/a; return; }
    awk -v a="${first_start_ns[$1]}" -v b="${last_final_ns[$1]}" 'BEGIN { printf "%.1f\n", (b - a) / 1e9 }'
}

# The appliance's part of each boot, from its timeline (same host clock as the power-on times): seconds from power-on
# to the first DISCOVER, DISCOVER → first ACK, ACK → first metadata request, first metadata → finished event.
iso_ns() { [[ -n $1 ]] && date -d "$1" +%s%N || echo ""; }
declare -A ph_power_discover=() ph_discover_ack=() ph_ack_metadata=() ph_metadata_finished=() ph_final_event=()
first_event() { jq -r --arg k "$2" '[.boots[].events[] | select(.kind == $k) | .at][0] // ""' "$1"; }
secs() { [[ -n $1 && -n $2 ]] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", (b - a) / 1e9 }' || echo ""; }
if [[ ,$modes, == *,appliance,* ]]; then
    for ((i = 1; i <= count; i++)); do
        key=appliance:$i
        file=$work/appliance/vm-$(vm_nn "$i")/timeline.json
        [[ ${status[$key]:-} == finished && -s $file ]] || continue
        discover=$(iso_ns "$(first_event "$file" discover)"); ack=$(iso_ns "$(first_event "$file" ack)")
        metadata=$(iso_ns "$(first_event "$file" metadata)"); finished=$(iso_ns "$(first_event "$file" finished)")
        ph_power_discover[$i]=$(secs "${start_ns[$key]}" "$discover")
        ph_discover_ack[$i]=$(secs "$discover" "$ack")
        ph_ack_metadata[$i]=$(secs "$ack" "$metadata")
        ph_metadata_finished[$i]=$(secs "$metadata" "$finished")
        ph_final_event[$i]=$(secs "${final_ns[$key]}" "$finished")
    done
fi
phase_stats() { local -n arr=$1; printf '%s\n' "${arr[@]}" | grep -E '^-?[0-9.]+$' | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "n/a"; exit }
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.2f / %.2f / %.2f\n", v[1], m, v[NR] }'; }

app_med=$(values appliance wall_s | median); base_med=$(values baseline wall_s | median)
app_ci_med=$(values appliance ci_s | median); base_ci_med=$(values baseline ci_s | median)
app_pre_med=$(values appliance pre_s | median); base_pre_med=$(values baseline pre_s | median)
delta=$(diff_s "$app_med" "$base_med"); delta_ci=$(diff_s "$app_ci_med" "$base_ci_med")
delta_pre=$(diff_s "$app_pre_med" "$base_pre_med")
nc_med=$(values appliance wall_s 'nocloud|nocloud-cmdline' | median)
nc_ci_med=$(values appliance ci_s 'nocloud|nocloud-cmdline' | median)
nc_delta=$(diff_s "$nc_med" "$base_med"); nc_delta_ci=$(diff_s "$nc_ci_med" "$base_ci_med")
nc_delta_pre=$(diff_s "$(values appliance pre_s 'nocloud|nocloud-cmdline' | median)" "$base_pre_med")

versions() {
    echo "- image: \`$image_dir\`: $(grep -E '^cloud-init ' "$image_dir/packages.txt"), $(grep -E '^linux-image-[0-9]' "$image_dir/packages.txt" | head -n 1) (from the image's packages.txt)"
    echo "- qemu: $(qemu-system-x86_64 --version | head -n 1), TCG, 1 vCPU, 1024 MiB per VM (scripts/vm/boot-vm.sh)"
    [[ ,$modes, == *,baseline,* ]] && echo "- baseline: $(dnsmasq -v | head -n 1 | sed 's/  Copyright.*//'); cloud-localds from cloud-image-utils $(dpkg-query -W -f='${Version}' cloud-image-utils 2>/dev/null)"
    [[ ,$modes, == *,appliance,* ]] && echo "- appliance: $(basename "$jar") sha256 $(sha256sum "$jar" | cut -c1-12) (git $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')), $(java -version 2>&1 | head -n 1)"
    echo "- host: $(uname -sr), nproc $(nproc), $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
    echo "- load average (1, 5, 15 min) at start: $load_before; at end: $load_after"
}

{
    echo "# Real-VM fleet benchmark, $started"
    echo
    echo "Command: \`bench/fleet-vm.sh${ARGS:+ $ARGS}\`: $count VMs per mode, at most $parallel booting at once; appliance VMs cycle through ${datasources//,/, }."
    echo
    versions
    echo
    echo "Power-on (qemu process start) → cloud-init's final message on the serial console (\`Cloud-init v. … finished at …\`), host wall time polled every $POLL_SECONDS s;"
    echo "\"guest up\" is the uptime that line reports. It splits at cloud-init's first line (\`running 'init-local'\`): before it, kernel and early"
    echo "systemd (no server takes part: a difference there is the machine's load), after it cloud-init's own part (guest clock)."
    echo
    echo "| mode | VMs finished | power-on → final message, min / median / max s | guest up | before cloud-init | cloud-init's part | wall time for all $count s |"
    echo "|---|---|---|---|---|---|---|"
    for m in "${mode_list[@]}"; do
        label=$m; [[ $m == baseline ]] && label="baseline (dnsmasq + NoCloud seed ISO)"
        echo "| $label | $(finished_count "$m") / $count | $(slashed "$(values "$m" wall_s | stats)") | $(slashed "$(values "$m" up_s | stats)") | $(slashed "$(values "$m" pre_s | stats)") | $(slashed "$(values "$m" ci_s | stats)") | $(fleet_wall "$m") |"
    done
    echo
    echo "**Target: the appliance adds ≤ 1 s per VM over the baseline's median.** Appliance median − baseline median, all datasources:"
    echo "$delta s power-on → final message ($(verdict "$delta" "$delta_pre")); of it $delta_pre s before cloud-init (machine load, no server involved)"
    echo "and $delta_ci s in cloud-init's part ($(verdict "$delta_ci" "$delta_pre")). Like for like, the appliance's NoCloud VMs (nocloud, nocloud-cmdline) against the"
    echo "baseline's NoCloud-seed VMs: $nc_delta s power-on → final message, $nc_delta_ci s in cloud-init's part, $nc_delta_pre s before cloud-init ($(verdict "$nc_delta_ci" "$nc_delta_pre"))."
    echo
    if [[ ,$modes, == *,appliance,* ]]; then
        echo "Medians per datasource (the baseline's VMs all use a NoCloud seed ISO; its median is over all of them):"
        echo
        echo "| appliance datasource | VMs finished | median power-on → final message s | − baseline median | median cloud-init's part s | − baseline median |"
        echo "|---|---|---|---|---|---|"
        for d in "${ds_cycle[@]}"; do
            n=$(values appliance wall_s "$d" | wc -l)
            dm=$(values appliance wall_s "$d" | median); dc=$(values appliance ci_s "$d" | median)
            echo "| $d | $n | $dm | $(diff_s "$dm" "$base_med") | $dc | $(diff_s "$dc" "$base_ci_med") |"
        done
        echo "| baseline: NoCloud seed ISO (all VMs) | $(finished_count baseline) | $base_med | | $base_ci_med | |"
        echo
        echo "The appliance's part, from its boot timeline (\`GET /api/v1/fleet/{mac}\`, first event of each kind; same host clock), min / median / max s:"
        echo
        echo "| power-on → DISCOVER | DISCOVER → ACK | ACK → first metadata request | first metadata → finished | final message → finished event |"
        echo "|---|---|---|---|---|"
        echo "| $(phase_stats ph_power_discover) | $(phase_stats ph_discover_ack) | $(phase_stats ph_ack_metadata) | $(phase_stats ph_metadata_finished) | $(phase_stats ph_final_event) |"
        echo
    fi
    echo "Per VM (s; power-on → final message, then before cloud-init + cloud-init's part in brackets, and the datasource cloud-init named):"
    echo
    echo "| VM | MAC | appliance datasource | appliance | baseline |"
    echo "|---|---|---|---|---|"
    for ((i = 1; i <= count; i++)); do
        cells=()
        for m in appliance baseline; do
            key=$m:$i
            if [[ ${status[$key]:-} == finished ]]; then
                cells+=("${wall_s[$key]} (${pre_s[$key]:-?} + ${ci_s[$key]:-?}) ${ds_seen[$key]}")
            else
                cells+=("${status[$key]:-not run}")
            fi
        done
        echo "| $i | $(vm_mac "$i") | $(vm_ds "$i") | ${cells[0]} | ${cells[1]} |"
    done
    echo
    echo "Notes:"
    echo "- Topology: bridge in namespace $NS_SW, server on lab0 ($SERVER_ADDR/16) in $NS_SRV; nothing on the host's interfaces. The appliance runs first, then dnsmasq, on the same bridge with the same MACs and fixed addresses."
    echo "- Appliance: one profile per datasource, one \`vms:\` record per VM, each VM launched with what \`launch-args MAC --for qemu\` printed; user-data with write_files, phone_home and the reporting webhook. After a VM's final message the script waits (at most $FINISHED_EVENT_SECONDS s, not counted in the VM's time) for the webhook's finished event before stopping it, so the appliance's wall time for all VMs includes that wait."
    echo "- Baseline: dnsmasq (\`-k -C\` its own file, \`port=0\`, a \`dhcp-host\` per MAC, per-packet logging to a file) and a cloud-localds NoCloud seed ISO per VM as its CD-ROM (\`boot-vm.sh --cdrom\`), with the same write_files and hostname and no phone_home or reporting. ds-identify finds it by the \`cidata\` label; cloud-init reads it in init-local, before the network."
    echo "- Other work on this machine (load averages above) slows TCG boots; compare the two modes within one run, and only when their medians before cloud-init agree. Both modes run at normal priority, one after the other (not interleaved)."
    [[ -n $dns ]] && echo "- Both servers hand out $dns as DNS server (\`--dns\`); nothing answers DNS there." || echo "- Neither server hands out DNS; the image's /etc/resolv.conf is empty (scripts/vm/build-image.sh), so a name lookup in a VM fails at once."
    ((webhook)) || echo "- \`--no-webhook\`: the appliance's user-data has phone_home only, no reporting webhook."
} >"$work/report.md"

mkdir -p "$(dirname "$out")"
cp "$work/report.md" "$out"
cat "$work/report.md"
echo
echo "Results written to $out"
