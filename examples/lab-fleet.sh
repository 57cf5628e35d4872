#!/usr/bin/env bash
# A fleet of N namespace "VMs" booting against the appliance, to watch in `appliance fleet --watch` and the fleet
# page: each VM takes a lease with busybox udhcpc, runs cloud-init 22.4's own Ec2 datasource crawl against the
# appliance (the same unmodified code a lab VM runs), then posts cloud-init's phone_home form, which marks its
# boot finished. Every VM boots in parallel; the appliance runs on the bundled example config with a throw-away
# state directory. Everything is removed on exit (Enter, Ctrl-C, or the end of a non-interactive run).
#
# The host's network is never touched: the bridge lives in a namespace of its own, every veth pair is created
# inside it, and the appliance and its admin API are reachable only inside the lab's namespaces. Usage, as root,
# after `mvn -B -DskipTests package` (the script builds the jar if it is missing):
#   bash examples/lab-fleet.sh 20              (keeps the lab up until Enter when stdin is a terminal)
#   bash examples/lab-fleet.sh 5 </dev/null    (boots, reports, cleans up)
set -euo pipefail

readonly PREFIX=fleet-lab-
readonly SWITCH_NS=${PREFIX}switch
readonly SERVER_NS=${PREFIX}appliance
readonly BRIDGE=br0
readonly SERVER_IF=lab0
readonly SERVER_IP=10.20.0.1
readonly MAX_VMS=250
readonly READY_TIMEOUT_SECONDS=60
readonly LEASE_TIMEOUT_SECONDS=60
readonly CRAWL_TIMEOUT_SECONDS=120
readonly CLOUD_INIT_ROOT="${CLOUD_INIT_ROOT:-/var/cache/appliance-tests/cloud-init-22.4}"

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO
# shellcheck source=scripts/lab-netns.sh
source "$REPO/scripts/lab-netns.sh"
readonly JAR="$REPO/appliance/target/appliance.jar"
readonly CRAWL="$REPO/appliance/src/test/resources/netns/cloudinit/crawl.py"

say() { printf '\n==> %s\n' "$*"; }
fail() { printf 'lab-fleet: %s\n' "$*" >&2; exit 1; }

usage() {
  echo "usage: bash examples/lab-fleet.sh N    (N VMs, 1 to $MAX_VMS; needs root)" >&2
  exit 2
}

(($# == 1)) || usage
[[ "$1" =~ ^[0-9]+$ ]] && (($1 >= 1 && $1 <= MAX_VMS)) || usage
readonly COUNT=$1
((EUID == 0)) || fail "needs root to create network namespaces (running as uid $EUID)"

WORK=""
SERVER_PID=""
PAGE_PID=""
# Where the fleet page is forwarded to on the host's loopback (not 8807, which a real appliance may use).
readonly PAGE_PORT=18807

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  # The appliance first, by its PID, so it stops cleanly and writes its journals; remove_lab kills what is left.
  stop_pid "$PAGE_PID" 5 || true
  stop_pid "$SERVER_PID" 15 || true
  remove_lab
  [[ -z "$WORK" ]] || rm -rf "$WORK"
  echo "lab-fleet: lab removed"
  exit "$status"
}

build_if_missing() {
  if [[ ! -f "$JAR" ]]; then
    say "Building the appliance (mvn -B -DskipTests package)"
    (cd "$REPO" && mvn -B --no-transfer-progress -DskipTests package) || fail "the build failed (output above)"
  fi
  bash "$REPO/scripts/fetch-cloud-init.sh" | sed 's/^/    /'
}

# The example config with the state directory and the admin token moved into $WORK: the appliance and the CLI
# read the same file, so both find the token. profiles/ comes along for the example's vendor-data-file.
write_config() {
  mkdir -p "$WORK/config" "$WORK/state"
  cp -r "$REPO/config/examples/." "$WORK/config/"
  CONFIG="$WORK/config/appliance.yaml"
  sed -i -e "s|^state-dir: .*|state-dir: $WORK/state|" \
    -e "s|^  token-file: .*|  token-file: $WORK/state/admin.token|" "$CONFIG"
  grep -q "^state-dir: $WORK/state" "$CONFIG" && grep -q "token-file: $WORK/state/admin.token" "$CONFIG" \
    || fail "could not point the example config's state-dir and admin.token-file at $WORK/state"
}

# VM i (1-based): odd ones match the example's waf profile (MAC prefix 02:00:00:aa), even ones its ips profile.
vm_mac() {
  local i=$1
  if ((i % 2)); then printf '02:00:00:aa:10:%02x' "$i"; else printf '02:00:00:bb:10:%02x' "$i"; fi
}

vm_ns() {
  printf '%svm%03d' "$PREFIX" "$1"
}

build_lab() {
  say "Building the lab: a bridge, the appliance and $COUNT VMs (namespaces ${PREFIX}*)"
  ip netns add "$SWITCH_NS"
  ip -n "$SWITCH_NS" link add "$BRIDGE" type bridge
  ip -n "$SWITCH_NS" link set "$BRIDGE" up
  plug_into_switch "$SERVER_NS" "$SERVER_IF" 02:00:00:00:00:01 p-appliance
  ip -n "$SERVER_NS" addr add "$SERVER_IP/16" dev "$SERVER_IF"
  local i
  for ((i = 1; i <= COUNT; i++)); do
    plug_into_switch "$(vm_ns "$i")" eth0 "$(vm_mac "$i")" "$(printf 'p-vm%03d' "$i")"
    # A client without an address still needs a route to send its DHCP broadcast.
    ip -n "$(vm_ns "$i")" route add default dev eth0
  done
}

# The admin listener is on 127.0.0.1:8807 inside the appliance's namespace, out of a host browser's reach. socat
# listens on the host's loopback only and carries each connection into the namespace, so the fleet page can be
# opened here without configuring any host interface.
open_page_port() {
  command -v socat >/dev/null || { echo "    (socat not installed: the fleet page is reachable only inside $SERVER_NS)"; return 0; }
  socat "TCP-LISTEN:$PAGE_PORT,bind=127.0.0.1,reuseaddr,fork" \
    "EXEC:ip netns exec $SERVER_NS socat STDIO TCP\:127.0.0.1\:8807" >/dev/null 2>&1 </dev/null &
  PAGE_PID=$!
}

start_appliance() {
  say "Starting the appliance in $SERVER_NS"
  echo "    java -jar $JAR run --config $CONFIG"
  ip netns exec "$SERVER_NS" java -jar "$JAR" run --config "$CONFIG" >"$WORK/appliance.log" 2>&1 </dev/null &
  SERVER_PID=$!
  local deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
  until grep -q 'appliance ready' "$WORK/appliance.log"; do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/appliance.log"; fail "the appliance exited before it was ready"; }
    ((SECONDS < deadline)) || { cat "$WORK/appliance.log"; fail "the appliance was not ready in ${READY_TIMEOUT_SECONDS}s"; }
    sleep 0.2
  done
  open_page_port
  say "Watch the fleet boot, in another shell:"
  echo "    ip netns exec $SERVER_NS java -jar $JAR fleet --watch --config $CONFIG"
  if [[ -n "$PAGE_PID" ]]; then
    echo "    or in a browser on this machine: http://127.0.0.1:$PAGE_PORT/#token=$(cat "$WORK/state/admin.token")"
  fi
  if [[ -t 0 && -z "${CI:-}" ]]; then
    echo "    (press Enter here to start the boots)"
    read -r _
  fi
}

# udhcpc's script applies the address and option 121's routes (169.254.169.254 via the appliance) inside the VM's
# own namespace and records what it got beside itself.
write_udhcpc_script() {
  cat >"$WORK/udhcpc-script" <<'SCRIPT'
#!/bin/sh
case "$1" in
  bound|renew)
    env | grep -E '^(ip|subnet|router|hostname|staticroutes|mtu)=' | sort >"$RESULT"
    ip -4 addr replace "$ip/$subnet" dev "$interface"
    if [ -n "$mtu" ]; then ip link set "$interface" mtu "$mtu"; fi
    if [ -n "$staticroutes" ]; then
      set -- $staticroutes
      while [ $# -ge 2 ]; do ip -4 route replace "$1" via "$2" dev "$interface"; shift 2; done
    else
      for gateway in $router; do ip -4 route replace default via "$gateway" dev "$interface"; break; done
    fi
    ;;
esac
exit 0
SCRIPT
  chmod +x "$WORK/udhcpc-script"
}

# What cloud-init's phone_home module posts (post: all) at the end of the final stage; the appliance then marks
# the boot finished. The host key is a placeholder: the appliance never stores or logs them.
readonly PHONE_HOME_PY='
import json, sys, urllib.parse, urllib.request
crawl = json.load(open(sys.argv[1]))
iid, host = crawl["instance_id"], crawl["hostname"]
form = {"pub_key_dsa": "N/A", "pub_key_rsa": "N/A", "pub_key_ecdsa": "N/A",
        "pub_key_ed25519": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleHostKey root@" + host,
        "instance_id": iid, "hostname": host, "fqdn": host + ".lab.internal"}
req = urllib.request.Request("http://%s/phone-home/%s" % (sys.argv[2], iid),
                             data=urllib.parse.urlencode(form).encode(), method="POST")
print(urllib.request.urlopen(req, timeout=10).status)
'

# One VM's boot, run in the background: lease, crawl, phone home; writes one summary line to $dir/summary.
boot_vm() {
  local i=$1 ns dir mac
  ns="$(vm_ns "$i")"
  mac="$(vm_mac "$i")"
  dir="$WORK/vm$i"
  mkdir -p "$dir/cloud"
  echo "nameserver 127.0.0.1" >"$dir/resolv.conf"
  if ! RESULT="$dir/lease.env" timeout "$LEASE_TIMEOUT_SECONDS" ip netns exec "$ns" udhcpc -f -q -n -t 10 -T 2 \
      -i eth0 -O staticroutes -O hostname -O mtu -s "$WORK/udhcpc-script" >"$dir/udhcpc.log" 2>&1 </dev/null; then
    echo "$mac  no lease (udhcpc log: $dir/udhcpc.log)" >"$dir/summary"
    return
  fi
  local ip
  ip="$(sed -n 's/^ip=//p' "$dir/lease.env")"
  # cloud-init resolves a few names first; a private resolv.conf naming 127.0.0.1 makes those fail at once.
  timeout "$CRAWL_TIMEOUT_SECONDS" ip netns exec "$ns" sh -c 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' \
    sh "$dir/resolv.conf" env PYTHONPATH="$CLOUD_INIT_ROOT/usr/lib/python3/dist-packages" /usr/bin/python3 \
    "$CRAWL" --datasource Ec2 --server "$SERVER_IP" --workdir "$dir/cloud" >"$dir/crawl.json" 2>"$dir/cloud-init.log" \
    </dev/null || true
  local found
  if ! found="$(/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print("%s %s" % (r["instance_id"], r["hostname"]) if r.get("success") else "")' "$dir/crawl.json" 2>/dev/null)" \
      || [[ -z "$found" ]]; then
    echo "$mac  $ip  cloud-init found no data (log: $dir/cloud-init.log)" >"$dir/summary"
    return
  fi
  local status
  status="$(timeout 30 ip netns exec "$ns" /usr/bin/python3 -c "$PHONE_HOME_PY" "$dir/crawl.json" "$SERVER_IP" \
    2>"$dir/phone-home.log" </dev/null || echo failed)"
  echo "$mac  $ip  instance-id ${found% *}  hostname ${found#* }  phone_home HTTP $status" >"$dir/summary"
}

boot_fleet() {
  say "Booting $COUNT VMs in parallel: udhcpc, cloud-init's Ec2 crawl, phone_home"
  write_udhcpc_script
  local i pids=()
  for ((i = 1; i <= COUNT; i++)); do
    boot_vm "$i" &
    pids+=("$!")
  done
  for i in "${pids[@]}"; do
    wait "$i" || true
  done
  FINISHED=0
  for ((i = 1; i <= COUNT; i++)); do
    sed 's/^/    /' "$WORK/vm$i/summary"
    if grep -q 'phone_home HTTP 200' "$WORK/vm$i/summary"; then
      FINISHED=$((FINISHED + 1))
    fi
  done
}

report() {
  say "appliance fleet (the admin API, from inside $SERVER_NS)"
  ip netns exec "$SERVER_NS" java -jar "$JAR" fleet --config "$CONFIG" | sed 's/^/    /'
  say "Lease lines in the appliance log"
  grep -c 'lease committed' "$WORK/appliance.log" | sed 's/^/    lease committed: /'
  grep -E 'WARN|ERROR' "$WORK/appliance.log" | sed 's/^/    /' || true
}

keep_lab_up_if_interactive() {
  if [[ -t 0 && -z "${CI:-}" ]]; then
    say "The lab stays up until you press Enter. Meanwhile, in another shell:"
    cat <<HELP
    ip netns exec $SERVER_NS java -jar $JAR fleet --watch --config $CONFIG
    ip netns exec $SERVER_NS java -jar $JAR vms list --config $CONFIG
    ip netns exec $SERVER_NS curl -s -H "Authorization: Bearer \$(cat $WORK/state/admin.token)" http://127.0.0.1:8807/metrics
    tail -f $WORK/appliance.log
HELP
    if [[ -n "$PAGE_PID" ]]; then
      echo "    fleet page: http://127.0.0.1:$PAGE_PORT/#token=$(cat "$WORK/state/admin.token")"
    fi
    read -r _
  fi
}

main() {
  build_if_missing
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  WORK="$(mktemp -d /tmp/appliance-fleet.XXXXXX)"
  remove_lab
  write_config
  build_lab
  start_appliance
  boot_fleet
  report
  keep_lab_up_if_interactive
  ((FINISHED == COUNT)) || fail "$((COUNT - FINISHED)) of $COUNT VMs did not finish their boot (lines above)"
  say "All $COUNT VMs took a lease, got their identity from the appliance and phoned home"
}

main "$@"
