#!/usr/bin/env bash
# Installs, on Debian 12, what building the appliance and running its demo and its whole test suite need,
# and nothing that is already there. Needs root when something is missing.
set -euo pipefail

# dhcpcd-base, not dhcpcd5: dhcpcd5 pulls in the dhcpcd package, whose systemd unit is enabled on install
# and would start a DHCP client on every interface of the host. dhcpcd-base is the same binary without it.
# util-linux provides unshare and mount, which the dhcpcd runs use to keep their state private.
# The python3-* packages and wget are what cloud-init 22.4's datasources need when the metadata tests run the
# unpacked package (scripts/fetch-cloud-init.sh); wget fetches the CloudStack password. chromium renders the
# fleet page headless in FleetPageIT. The real-VM tests (VmBootIT) build a Debian image with debootstrap and boot it
# with qemu (qemu-utils makes the overlays; it is only a recommendation of qemu-system-x86), log in with ssh and call
# the admin API with curl. isc-dhcp-relay is the relay in front of the second segment in RelayedSubnetIT.
# DnsIT asks the lab DNS server with dig and host (dnsutils) and runs dnsmasq-base (the binary alone: no service
# is started) as the upstream it forwards to. The reliability suite steps a running appliance's system clock with
# libfaketime (faketime) and captures what the wire carries with tcpdump. CrashStormIT storms the appliance with
# perfdhcp (kea-admin; no Kea service comes with it) and reads its tcpdump capture's DHCPACKs back with tshark.
readonly PACKAGES=(
  openjdk-17-jdk-headless
  maven
  iproute2
  isc-dhcp-client
  isc-dhcp-relay
  udhcpc
  busybox
  dhcpcd-base
  util-linux
  python3-yaml
  python3-jinja2
  python3-requests
  python3-jsonpatch
  python3-jsonschema
  python3-configobj
  python3-oauthlib
  python3-netifaces
  wget
  chromium
  socat
  curl
  qemu-system-x86
  qemu-utils
  debootstrap
  systemd-container  # systemd-nspawn: DebPackageIT boots the .deb's test root (a debootstrap root) with it
  e2fsprogs
  openssh-client
  dnsutils
  dnsmasq-base
  faketime
  tcpdump
  kea-admin
  tshark
  postgresql-15   # the shared lease store: pgstore's contract tests and PairFailoverIT start throwaway servers of it
  iputils-arping  # gratuitous ARP when a pair's standby takes the floating addresses over
)

is_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

# True when apt knows no installable version of the package, as on a fresh machine whose package lists
# were never downloaded.
lacks_candidate() {
  local candidate
  candidate="$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }')"
  [[ -z "$candidate" || "$candidate" == "(none)" ]]
}

missing=()
for package in "${PACKAGES[@]}"; do
  is_installed "$package" || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed (${PACKAGES[*]})"
  exit 0
fi

if ((EUID != 0)); then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: installing them needs root: sudo bash scripts/install-deps.sh" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
needs_update=false
for package in "${missing[@]}"; do
  if lacks_candidate "$package"; then
    needs_update=true
  fi
done
if [[ "$needs_update" == true ]]; then
  echo "install-deps: apt has no candidate for some of them; running apt-get update"
  apt-get update
fi

# Slim Debian images drop /usr/share/man, and the JDK's postinst fails when it cannot link its man pages there.
mkdir -p /usr/share/man/man1
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
echo "install-deps: done"
