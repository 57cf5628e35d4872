#!/usr/bin/env bash
# Quick start: installs what is missing, builds the appliance, and runs it inside a throw-away lab of network
# namespaces where real DHCP clients (dhclient, udhcpc, dhcpcd) take leases from it and a "VM" boots with the real
# cloud-init 22.4 datasource code; shows what each client and the VM got, the appliance's log and its lease journal,
# then removes the lab.
#
# The host's network is never touched: the lab's bridge lives in a namespace of its own, every veth pair is
# created inside that namespace, and the appliance serves only lab0 in its own namespace. Usage, as root:
#   bash scripts/demo.sh           (keeps the lab up until Enter when stdin is a terminal)
#   bash scripts/demo.sh </dev/null
set -euo pipefail

# Every namespace of the lab starts with this prefix; a re-run removes whatever a killed run left behind.
readonly PREFIX=demo-lab-
readonly SWITCH_NS=${PREFIX}switch
readonly SERVER_NS=${PREFIX}appliance
readonly BRIDGE=br0
readonly SERVER_IF=lab0
readonly SERVER_CIDR=10.20.0.1/16
# One client per line: client program, MAC. The first MAC is reserved in the example config (10.20.0.11,
# hostname waf-edge-1); the others draw from the pool. Each client runs in namespace ${PREFIX}<program>.
readonly CLIENTS=(
  "dhclient 02:00:00:00:01:01"
  "udhcpc 02:00:00:00:02:02"
  "dhcpcd 02:00:00:00:03:03"
)
readonly RESERVED_MAC=02:00:00:00:01:01
readonly RESERVED_IP=10.20.0.11
# A VM of the example's inventory (vms[0]: waf-edge-2, 10.20.0.12, profile waf), booted with the real cloud-init
# 22.4 Ec2 datasource from Debian's package in namespace ${PREFIX}vm.
readonly VM_NS=${PREFIX}vm
readonly VM_MAC=02:00:00:aa:00:01
readonly CLOUD_INIT_ROOT="${CLOUD_INIT_ROOT:-/var/cache/appliance-tests/cloud-init-22.4}"
readonly READY_TIMEOUT_SECONDS=60
readonly CLIENT_TIMEOUT_SECONDS=40

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO
# shellcheck source=scripts/lab-netns.sh
source "$REPO/scripts/lab-netns.sh"
readonly JAR="$REPO/appliance/target/appliance.jar"
readonly CONFIG="$REPO/config/examples/appliance.yaml"

say() { printf '\n==> %s\n' "$*"; }
fail() { printf 'demo: %s\n' "$*" >&2; exit 1; }

if ((EUID != 0)); then
  fail "needs root to create network namespaces (running as uid $EUID); run: sudo bash scripts/demo.sh"
fi

WORK=""
SERVER_PID=""

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  # The appliance first, so it stops cleanly on SIGTERM; remove_lab kills whatever is left.
  if [[ -n "$SERVER_PID" ]]; then
    if stop_pid "$SERVER_PID" 15; then
      grep -h 'appliance stopped' "$WORK/appliance.log" 2>/dev/null | sed 's/^/demo: /' || true
    else
      echo "demo: the appliance did not stop within 15s of SIGTERM; killing it"
    fi
  fi
  remove_lab
  if [[ -n "$WORK" ]]; then
    rm -rf "$WORK"
  fi
  echo "demo: lab removed"
  exit "$status"
}

install_and_build() {
  say "Installing missing packages"
  bash "$REPO/scripts/install-deps.sh"
  say "Building the appliance (mvn -B -DskipTests package)"
  (cd "$REPO" && mvn -B --no-transfer-progress -DskipTests package) || fail "the build failed (output above)"
  [[ -f "$JAR" ]] || fail "the build did not produce $JAR"
  [[ -f "$CONFIG" ]] || fail "the example config $CONFIG is missing"
}

build_lab() {
  say "Building the lab (namespaces ${PREFIX}*)"
  ip netns add "$SWITCH_NS"
  ip -n "$SWITCH_NS" link add "$BRIDGE" type bridge
  ip -n "$SWITCH_NS" link set "$BRIDGE" up
  plug_into_switch "$SERVER_NS" "$SERVER_IF" 02:00:00:00:00:01 p-appliance
  ip -n "$SERVER_NS" addr add "$SERVER_CIDR" dev "$SERVER_IF"
  local entry program mac
  for entry in "${CLIENTS[@]}"; do
    read -r program mac <<<"$entry"
    plug_into_switch "${PREFIX}${program}" eth0 "$mac" "p-${program}"
  done
  plug_into_switch "$VM_NS" eth0 "$VM_MAC" p-vm
  lab_namespaces | sed 's/^/    /'
}

start_appliance() {
  say "Starting the appliance in $SERVER_NS on $SERVER_IF ($SERVER_CIDR)"
  mkdir -p "$WORK/state"
  echo "    java -jar $JAR run --config $CONFIG --state-dir $WORK/state"
  ip netns exec "$SERVER_NS" java -jar "$JAR" run --config "$CONFIG" --state-dir "$WORK/state" \
    >"$WORK/appliance.log" 2>&1 </dev/null &
  SERVER_PID=$!
  local deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
  until grep -q 'appliance ready' "$WORK/appliance.log"; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      cat "$WORK/appliance.log"
      fail "the appliance exited before it was ready (its output is above)"
    fi
    if ((SECONDS >= deadline)); then
      cat "$WORK/appliance.log"
      fail "the appliance was not ready after ${READY_TIMEOUT_SECONDS}s (its output is above)"
    fi
    sleep 0.2
  done
  grep 'appliance ready' "$WORK/appliance.log" | sed 's/^/    /'
}

# Per client, a directory $WORK/<program>/ holding its script, config and state, and result.env where the
# script records what the client received (dhclient gives its script a fresh environment, so the script finds
# that file beside itself). The scripts apply address and routes inside the client's own namespace and never
# touch the host's resolv.conf or hostname, as the stock scripts would.
write_client_files() {
  mkdir -p "$WORK/dhclient" "$WORK/udhcpc" "$WORK/dhcpcd"
  cat >"$WORK/dhclient/dhclient.conf" <<'CONF'
option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;
request subnet-mask, broadcast-address, routers, domain-name, domain-name-servers, domain-search, host-name,
        interface-mtu, rfc3442-classless-static-routes, ntp-servers;
CONF
  cat >"$WORK/dhclient/script" <<'SCRIPT'
#!/bin/sh
case "$reason" in
  BOUND|RENEW|REBIND|REBOOT)
    env | grep -E '^(reason|interface|new_[a-z0-9_]+)=' | sort >"${0%/*}/result.env"
    ip -4 addr replace "$new_ip_address/$new_subnet_mask" dev "$interface"
    if [ -n "$new_interface_mtu" ]; then ip link set "$interface" mtu "$new_interface_mtu"; fi
    if [ -n "$new_rfc3442_classless_static_routes" ]; then
      # RFC 3442: with option 121 present the client ignores option 3. Debian's own hook decodes it.
      . /etc/dhcp/dhclient-exit-hooks.d/rfc3442-classless-routes
    else
      for router in $new_routers; do ip -4 route replace default via "$router" dev "$interface"; break; done
    fi
    ;;
esac
exit 0
SCRIPT
  cat >"$WORK/udhcpc/script" <<'SCRIPT'
#!/bin/sh
case "$1" in
  bound|renew)
    env | grep -E '^(interface|ip|subnet|router|dns|domain|hostname|staticroutes|mtu|serverid|lease|ntpsrv)=' \
      | sort >"${0%/*}/result.env"
    ip -4 addr replace "$ip/$subnet" dev "$interface"
    if [ -n "$mtu" ]; then ip link set "$interface" mtu "$mtu"; fi
    if [ -n "$staticroutes" ]; then
      # Pairs of "destination/width gateway" from option 121.
      set -- $staticroutes
      while [ $# -ge 2 ]; do ip -4 route replace "$1" via "$2" dev "$interface"; shift 2; done
    else
      for gateway in $router; do ip -4 route replace default via "$gateway" dev "$interface"; break; done
    fi
    ;;
esac
exit 0
SCRIPT
  # dhcpcd configures address and routes itself; its script only records what it got. persistent: leave the
  # configuration in place when it exits after binding (-1).
  cat >"$WORK/dhcpcd/dhcpcd.conf" <<'CONF'
option domain_name_servers, domain_name, domain_search, host_name, interface_mtu, ntp_servers
option classless_static_routes
require dhcp_server_identifier
ipv4only
persistent
CONF
  cat >"$WORK/dhcpcd/script" <<'SCRIPT'
#!/bin/sh
case "$reason" in
  BOUND|RENEW|REBIND|REBOOT)
    env | grep -E '^(reason|interface|new_[a-z0-9_]+)=' | sort >"${0%/*}/result.env"
    ;;
esac
exit 0
SCRIPT
  chmod +x "$WORK/dhclient/script" "$WORK/udhcpc/script" "$WORK/dhcpcd/script"
}

# Runs one client, bounded in time, in its namespace.
run_client() {
  local program=$1 ns=${PREFIX}$1 dir="$WORK/$1"
  case "$program" in
    dhclient)
      # -1: one attempt; after binding dhclient stays in the background to renew, until the lab is removed.
      timeout "$CLIENT_TIMEOUT_SECONDS" ip netns exec "$ns" dhclient -4 -1 -v -cf "$dir/dhclient.conf" \
        -sf "$dir/script" -lf "$dir/dhclient.leases" -pf "$dir/dhclient.pid" eth0
      ;;
    udhcpc)
      timeout "$CLIENT_TIMEOUT_SECONDS" ip netns exec "$ns" udhcpc -f -q -n -t 5 -T 3 -i eth0 \
        -O staticroutes -O hostname -O domain -O ntpsrv -O mtu -s "$dir/script"
      ;;
    dhcpcd)
      # ip netns exec gives the command a mount namespace of its own, so these tmpfs mounts keep dhcpcd's
      # pid file, lease and DUID private to this run.
      timeout "$CLIENT_TIMEOUT_SECONDS" ip netns exec "$ns" sh -c '
        mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /var/lib/dhcpcd &&
        exec dhcpcd -4 -1 -B -t 30 -f "$1/dhcpcd.conf" -c "$1/script" eth0' dhcpcd "$dir"
      ;;
  esac
}

run_clients() {
  say "Clients asking for leases: ${CLIENTS[*]}"
  local entry program mac status i
  local programs=() pids=()
  for entry in "${CLIENTS[@]}"; do
    read -r program mac <<<"$entry"
    run_client "$program" >"$WORK/$program/output" 2>&1 </dev/null &
    programs+=("$program")
    pids+=("$!")
  done
  for i in "${!pids[@]}"; do
    status=0
    wait "${pids[$i]}" || status=$?
    echo "    ${programs[$i]}: exited $status"
    if ((status != 0)); then
      sed 's/^/      /' "$WORK/${programs[$i]}/output"
    fi
  done
}

# Value of one key in a client's result file (KEY=value lines).
result_value() {
  local file=$1 key=$2
  if [[ -f "$file" ]]; then
    sed -n "s/^$key=//p" "$file" | tr -d "'" | head -n 1
  fi
}

report_clients() {
  say "What each client got"
  local entry program mac ns file ip hostname failures=0
  for entry in "${CLIENTS[@]}"; do
    read -r program mac <<<"$entry"
    ns=${PREFIX}$program
    file="$WORK/$program/result.env"
    if [[ "$program" == udhcpc ]]; then
      ip="$(result_value "$file" ip)"
      hostname="$(result_value "$file" hostname)"
    else
      ip="$(result_value "$file" new_ip_address)"
      hostname="$(result_value "$file" new_host_name)"
    fi
    echo "--- $program in $ns, MAC $mac"
    if [[ -z "$ip" ]]; then
      echo "    no lease"
      failures=$((failures + 1))
      continue
    fi
    echo "    address:  $ip    hostname from DHCP: ${hostname:-(none)}"
    ip -n "$ns" -4 -brief addr show dev eth0 | sed 's/^/    ip addr:  /'
    ip -n "$ns" -4 route show | sed 's/^/    route:    /'
    echo "    options the client received:"
    sed 's/^/      /' "$file"
    if [[ "$mac" == "$RESERVED_MAC" && "$ip" != "$RESERVED_IP" ]]; then
      echo "    expected the reserved address $RESERVED_IP for $RESERVED_MAC"
      failures=$((failures + 1))
    fi
  done
  CLIENT_FAILURES=$failures
}

# The example config turns the lab DNS server on: every leased client and the VM resolve both ways at once.
report_dns() {
  say "What the lab DNS server (10.20.0.1:53) answers, asked from the VM's namespace"
  local entry program mac ns ip name
  for entry in "${CLIENTS[@]}"; do
    read -r program mac <<<"$entry"
    ns=${PREFIX}$program
    ip="$(ip -n "$ns" -4 -o addr show dev eth0 | awk '{ sub(/\/.*/, "", $4); print $4; exit }')"
    [[ -n "$ip" ]] || continue
    name="$(ip netns exec "$VM_NS" dig +short +time=2 @10.20.0.1 -x "$ip")"
    echo "    $program: $ip -> ${name:-(no name)} -> $(ip netns exec "$VM_NS" dig +short +time=2 @10.20.0.1 "${name:-none.}")"
  done
  echo "    waf-edge-2.lab.internal -> $(ip netns exec "$VM_NS" dig +short +time=2 @10.20.0.1 waf-edge-2.lab.internal)"
  echo "    data-server -> $(ip netns exec "$VM_NS" dig +short +time=2 @10.20.0.1 data-server)"
  echo "    nobody.lab.internal -> $(ip netns exec "$VM_NS" dig +time=2 @10.20.0.1 nobody.lab.internal | grep -o 'status: [A-Z]*')"
}

report_appliance() {
  say "Appliance log (lifecycle, lease changes, warnings, errors)"
  grep -E 'lease|ready|listening|WARN|ERROR' "$WORK/appliance.log" | sed 's/^/    /' || echo "    (none)"
  say "Lease journal $WORK/state/leases.journal"
  if [[ -f "$WORK/state/leases.journal" ]]; then
    sed 's/^/    /' "$WORK/state/leases.journal"
  else
    echo "    (missing)"
  fi
}

# The VM takes its lease with dhclient (option 121 routes 169.254.169.254 to the appliance), then cloud-init's own
# Ec2 datasource code crawls the metadata service as a lab VM would. cloud-init resolves a few names first; a private
# resolv.conf (bind-mounted in the mount namespace `ip netns exec` creates) names the appliance, as the lease does.
boot_vm() {
  say "Booting a VM: MAC $VM_MAC takes a lease, then real cloud-init 22.4 (Ec2 datasource) asks who it is"
  bash "$REPO/scripts/fetch-cloud-init.sh" | sed 's/^/    /'
  local dir="$WORK/vm"
  mkdir -p "$dir/cloud"
  cp "$WORK/dhclient/script" "$WORK/dhclient/dhclient.conf" "$dir/"
  printf 'nameserver 10.20.0.1\nsearch lab.internal\n' >"$dir/resolv.conf"
  timeout "$CLIENT_TIMEOUT_SECONDS" ip netns exec "$VM_NS" dhclient -4 -1 -cf "$dir/dhclient.conf" \
    -sf "$dir/script" -lf "$dir/dhclient.leases" -pf "$dir/dhclient.pid" eth0 >"$dir/dhclient.output" 2>&1 \
    || { sed 's/^/      /' "$dir/dhclient.output"; VM_FAILED=1; return; }
  echo "    lease: $(ip -n "$VM_NS" -4 -o addr show dev eth0 | awk '{print $4}'); routes:"
  ip -n "$VM_NS" route | sed 's/^/      /'
  timeout 120 ip netns exec "$VM_NS" sh -c 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' sh \
    "$dir/resolv.conf" env PYTHONPATH="$CLOUD_INIT_ROOT/usr/lib/python3/dist-packages" /usr/bin/python3 \
    "$REPO/appliance/src/test/resources/netns/cloudinit/crawl.py" --datasource Ec2 --server 10.20.0.1 \
    --workdir "$dir/cloud" >"$dir/crawl.json" 2>"$dir/cloud-init.log" || true
  /usr/bin/python3 - "$dir/crawl.json" <<'PY' || VM_FAILED=1
import json, sys
with open(sys.argv[1]) as f:
    text = f.read().strip()
if not text:
    sys.exit("    cloud-init printed nothing (see its log)")
r = json.loads(text)
if not r.get("success"):
    sys.exit("    cloud-init found no data: %s" % r.get("error"))
print("    cloud-init got: instance-id %s, hostname %s, ssh keys %d" % (r["instance_id"], r["hostname"], len(r.get("public_keys") or [])))
print("    user-data (rendered by the appliance for this VM):")
for line in (r.get("userdata_raw") or "").splitlines():
    print("      | " + line)
PY
  echo "    cloud-init's own log: $dir/cloud-init.log"
}

keep_lab_up_if_interactive() {
  if [[ -t 0 && -z "${CI:-}" ]]; then
    say "The lab stays up until you press Enter. Try, in another shell:"
    cat <<HELP
    ip netns list | grep $PREFIX
    ip netns exec ${PREFIX}dhclient ip addr show eth0
    ip netns exec ${PREFIX}udhcpc ip route
    ip netns exec ${PREFIX}dhcpcd busybox ping -c 1 10.20.0.1
    tail -f $WORK/appliance.log
    cat $WORK/state/leases.journal
HELP
    read -r _
  fi
}

main() {
  install_and_build
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  WORK="$(mktemp -d /tmp/appliance-demo.XXXXXX)"
  remove_lab
  build_lab
  start_appliance
  write_client_files
  run_clients
  CLIENT_FAILURES=0
  report_clients
  VM_FAILED=0
  boot_vm
  report_dns
  report_appliance
  keep_lab_up_if_interactive
  if ((CLIENT_FAILURES > 0)); then
    fail "$CLIENT_FAILURES of ${#CLIENTS[@]} clients did not get the lease they should have"
  fi
  ((VM_FAILED == 0)) || fail "the VM did not get its metadata from the appliance (output above)"
  say "All ${#CLIENTS[@]} clients got their leases, and the VM its identity, from the appliance"
}

main "$@"
