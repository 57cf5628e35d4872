#!/usr/bin/env bash
# Builds the Debian 12 VM image the real-VM tests and the fleet benchmark boot: debootstrap bookworm (minbase) with
# systemd, udev, ifupdown, isc-dhcp-client, openssh-server, sudo, wget, cloud-init and Debian's kernel, from Debian's
# packages only, with stock cloud-init and its stock configuration. The result is a qcow2 root filesystem (no
# partition table: the VM boots with qemu's direct kernel boot, root=/dev/vda) plus the kernel and initrd beside it.
#
# Cached and idempotent: the image is named after a hash of this script, so it is rebuilt only when the recipe
# changes. Prints the image directory on its last line. Needs root (debootstrap, ownership of the files).
#
#   sudo bash scripts/vm/build-image.sh            # → /var/cache/appliance-tests/vm/debian12-<hash>
#
# Environment: VM_CACHE (default /var/cache/appliance-tests/vm), VM_MIRROR (default: the first Debian mirror of
# this machine's own apt sources).
set -euo pipefail

readonly CACHE="${VM_CACHE:-/var/cache/appliance-tests/vm}"
readonly SUITE=bookworm
readonly PACKAGES=(
  systemd systemd-sysv udev dbus ifupdown isc-dhcp-client iproute2 netbase openssh-server sudo wget cloud-init
  locales linux-image-amd64 initramfs-tools
)
readonly IMAGE_SIZE=3G

if ((EUID != 0)); then
  echo "build-image: needs root (debootstrap, file ownership): sudo bash $0" >&2
  exit 1
fi

recipe_hash="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-12)"
readonly IMAGE_DIR="$CACHE/debian12-$recipe_hash"
if [[ -f "$IMAGE_DIR/ready" ]]; then
  echo "build-image: cached image $IMAGE_DIR" >&2
  echo "$IMAGE_DIR"
  exit 0
fi

for tool in debootstrap mkfs.ext4 qemu-img; do
  if ! command -v "$tool" >/dev/null; then
    echo "build-image: $tool is missing; install the VM test dependencies: sudo bash scripts/install-deps.sh" >&2
    exit 1
  fi
done

# The machine's own mirror (a deb822 debian.sources or a one-line sources.list), so a user with a local mirror
# builds from it and nothing here names a host.
host_mirror() {
  local uri
  uri="$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
    /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)"
  if [[ -z "$uri" && -f /etc/apt/sources.list ]]; then
    uri="$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^(http|https|file):/) { print $i; exit } }' \
      /etc/apt/sources.list | head -n 1)"
  fi
  echo "$uri"
}
mirror="${VM_MIRROR:-$(host_mirror)}"
if [[ -z "$mirror" ]]; then
  echo "build-image: no Debian mirror found in /etc/apt/sources.list*; set VM_MIRROR" >&2
  exit 1
fi

mkdir -p "$CACHE"
work="$(mktemp -d "$CACHE/build.XXXXXX")"
cleanup() {
  local mount
  for mount in proc sys dev/pts dev; do
    mountpoint -q "$work/root/$mount" 2>/dev/null && umount -l "$work/root/$mount" || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
root="$work/root"

started=$SECONDS
echo "build-image: debootstrap $SUITE from $mirror into $root" >&2
# debootstrap's own resolver is only good for the base system; apt inside the new root installs the rest.
debootstrap --variant=minbase "$SUITE" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 40 "$work/debootstrap.log" "$root/debootstrap/debootstrap.log" >&2 2>/dev/null
  echo "build-image: debootstrap failed (log above)" >&2
  exit 1
}
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
# No service may start inside the build root.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
echo "build-image: installing ${PACKAGES[*]}" >&2
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get update >"$work/apt.log" 2>&1
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${PACKAGES[@]}" \
  >>"$work/apt.log" 2>&1 || {
  tail -n 40 "$work/apt.log" >&2
  echo "build-image: apt-get install in the image failed (log above)" >&2
  exit 1
}
chroot "$root" apt-get clean
rm -f "$root/usr/sbin/policy-rc.d"
for mount in dev/pts dev sys proc; do
  umount "$root/$mount"
done

# --- Image configuration: only what any Debian cloud image has; cloud-init and its config stay stock. ---
echo "/dev/vda / ext4 defaults,errors=remount-ro 0 1" >"$root/etc/fstab"
# cloud-init renders the VM's network into /etc/network/interfaces.d/50-cloud-init (ENI renderer).
cat >"$root/etc/network/interfaces" <<'EOF'
auto lo
iface lo inet loopback

source /etc/network/interfaces.d/*
EOF
mkdir -p "$root/etc/network/interfaces.d"
# Every clone must get its own machine-id (systemd makes one at first boot), SSH host keys (cloud-init's ssh module
# makes them per instance) and name (cloud-init sets it from the metadata).
: >"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id" "$root"/etc/ssh/ssh_host_*
echo unprovisioned >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
# debootstrap copies the build host's resolv.conf; a VM must only know the resolvers its DHCP server hands out (an
# unreachable inherited one makes every name lookup wait for its timeout: ~40 s of Ec2's name checks).
: >"$root/etc/resolv.conf"
rm -f "$root"/var/lib/dhcp/*
# cloud-init's locale module sets en_US.UTF-8 (Debian's default) and regenerates it unless it is already the
# system locale; generated here once, as Debian's cloud images are, instead of on every VM's first boot.
sed -i 's/^# *en_US.UTF-8 UTF-8/en_US.UTF-8 UTF-8/' "$root/etc/locale.gen"
chroot "$root" locale-gen >/dev/null
chroot "$root" update-locale LANG=en_US.UTF-8

# When ds-identify finds no datasource, cloud-init is disabled for the boot and nothing configures the NIC. Debian's
# cloud images then still take a DHCP lease on their NICs (cloud-ifupdown-helper); this unit does the same for boots
# where cloud-init did not render a network config, so such a VM is visible to the appliance as leased-but-silent.
cat >"$root/etc/systemd/system/dhcp-fallback.service" <<'EOF'
[Unit]
Description=DHCP on the first Ethernet NIC when cloud-init rendered no network configuration
After=cloud-init-local.service networking.service
Before=network-online.target
ConditionPathExists=!/etc/network/interfaces.d/50-cloud-init

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c 'for dev in /sys/class/net/*; do n=$${dev##*/}; [ -e "$$dev/device" ] || continue; exec /sbin/dhclient -4 -1 -v "$$n"; done'

[Install]
WantedBy=multi-user.target
EOF
ln -sf /etc/systemd/system/dhcp-fallback.service "$root/etc/systemd/system/multi-user.target.wants/dhcp-fallback.service"

# Kernel and initrd for direct kernel boot. Debian's initramfs (MODULES=most) carries virtio_blk and ext4.
kernel="$(ls "$root"/boot/vmlinuz-* | sort -V | tail -n 1)"
initrd="$(ls "$root"/boot/initrd.img-* | sort -V | tail -n 1)"
mkdir -p "$work/out"
cp "$kernel" "$work/out/vmlinuz"
cp "$initrd" "$work/out/initrd.img"
chroot "$root" dpkg-query -W -f='${Package} ${Version}\n' >"$work/out/packages.txt"
grep -E '^(cloud-init|linux-image-[0-9][^ ]*|systemd|ifupdown|isc-dhcp-client|openssh-server) ' "$work/out/packages.txt" >&2

rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
truncate -s "$IMAGE_SIZE" "$work/root.raw"
mkfs.ext4 -q -F -L vmroot -d "$root" "$work/root.raw"
qemu-img convert -f raw -O qcow2 "$work/root.raw" "$work/out/root.qcow2"
rm -f "$work/root.raw"

echo "$recipe_hash built in $((SECONDS - started)) s from $mirror" >"$work/out/ready"
rm -rf "$IMAGE_DIR"
mv "$work/out" "$IMAGE_DIR"
# Images of older recipes are never booted again.
find "$CACHE" -mindepth 1 -maxdepth 1 -type d -name 'debian12-*' ! -path "$IMAGE_DIR" -exec rm -rf {} +
echo "build-image: built $IMAGE_DIR in $((SECONDS - started)) s" >&2
echo "$IMAGE_DIR"
