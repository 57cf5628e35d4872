#!/usr/bin/env bash
# Builds the Debian 12 root filesystem DebPackageIT installs the appliance's .deb into, and caches it as a tarball:
# debootstrap bookworm (minbase) with systemd, dbus and iproute2, from Debian's packages only. Java 17 is downloaded
# into apt's cache but not installed, so `apt-get install ./appliance_*.deb` in a copy of the root really resolves the
# package's Depends against Debian's lists and installs what they pull in, yet needs no network while the cached lists
# are current.
#
# Cached and idempotent: the tarball is named after a hash of this script, so it is rebuilt only when the recipe
# changes. Prints the tarball's path on its last line. Needs root (debootstrap, file ownership).
#
#   sudo bash scripts/deb/build-root.sh            # → /var/cache/appliance-tests/deb/bookworm-<hash>.tar
#
# Environment: DEB_ROOT_CACHE (default /var/cache/appliance-tests/deb), DEB_ROOT_MIRROR (default: the first Debian
# mirror of this machine's own apt sources).
set -euo pipefail

readonly CACHE="${DEB_ROOT_CACHE:-/var/cache/appliance-tests/deb}"
readonly SUITE=bookworm
readonly BASE_PACKAGES=systemd,systemd-sysv,dbus,iproute2
# What the package depends on that the base lacks (adduser comes with dbus, iproute2 is included above).
readonly DOWNLOADED=(openjdk-17-jre-headless)

if ((EUID != 0)); then
  echo "build-root: needs root (debootstrap, file ownership): sudo bash $0" >&2
  exit 1
fi
if ! command -v debootstrap >/dev/null; then
  echo "build-root: debootstrap is missing; install the test dependencies: sudo bash scripts/install-deps.sh" >&2
  exit 1
fi

recipe_hash="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-12)"
readonly TARBALL="$CACHE/bookworm-$recipe_hash.tar"
if [[ -f "$TARBALL" ]]; then
  echo "build-root: cached root $TARBALL" >&2
  echo "$TARBALL"
  exit 0
fi

# The machine's own mirror (a deb822 debian.sources or a one-line sources.list), so a user with a local mirror
# builds from it and nothing here names a host. The same lookup as scripts/vm/build-image.sh, copied rather than
# shared: that script's hash names its cached VM image, and editing it would rebuild the image for nothing.
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
mirror="${DEB_ROOT_MIRROR:-$(host_mirror)}"
if [[ -z "$mirror" ]]; then
  echo "build-root: no Debian mirror found in /etc/apt/sources.list*; set DEB_ROOT_MIRROR" >&2
  exit 1
fi

mkdir -p "$CACHE"
work="$(mktemp -d "$CACHE/build.XXXXXX")"
root="$work/root"
cleanup() {
  local mount
  for mount in dev/pts dev sys proc; do
    mountpoint -q "$root/$mount" 2>/dev/null && umount -l "$root/$mount" || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

started=$SECONDS
echo "build-root: debootstrap $SUITE ($BASE_PACKAGES) from $mirror into $root" >&2
debootstrap --variant=minbase --include="$BASE_PACKAGES" "$SUITE" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 40 "$work/debootstrap.log" "$root/debootstrap/debootstrap.log" >&2 2>/dev/null
  echo "build-root: debootstrap failed (log above)" >&2
  exit 1
}
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
# No service may start inside the build root.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
# The JDK's postinst (run when the test installs the package) fails when it cannot link its man pages.
mkdir -p "$root/usr/share/man/man1"
echo "build-root: downloading ${DOWNLOADED[*]} and what it needs" >&2
in_root() {
  chroot "$root" env DEBIAN_FRONTEND=noninteractive "$@" >>"$work/apt.log" 2>&1 || {
    tail -n 40 "$work/apt.log" >&2
    echo "build-root: '$*' in the root failed (log above)" >&2
    exit 1
  }
}
in_root apt-get update
in_root apt-get install -y --no-install-recommends --download-only "${DOWNLOADED[@]}"
rm -f "$root/usr/sbin/policy-rc.d"
for mount in dev/pts dev sys proc; do
  umount "$root/$mount"
done

# Each copy boots as a new machine: systemd makes a machine-id at first boot. The host's resolv.conf, which
# debootstrap copied, stays: apt in the copy reaches the mirror with it when the cached lists have gone stale.
: >"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"
echo appliance-deb-test >"$root/etc/hostname"

tar --numeric-owner --xattrs -C "$root" -cf "$work/root.tar" .
mv "$work/root.tar" "$TARBALL"
# Roots of older recipes are never used again.
find "$CACHE" -mindepth 1 -maxdepth 1 -name 'bookworm-*.tar' ! -path "$TARBALL" -delete
echo "build-root: built $TARBALL in $((SECONDS - started)) s from $mirror" >&2
echo "$TARBALL"
