#!/usr/bin/env bash
# Boots one VM of the image scripts/vm/build-image.sh made, under qemu with TCG, on a tap port of a bridge that lives
# inside a network namespace (nothing is attached to a host interface). Runs in the foreground until the VM powers
# off or this script gets SIGTERM/SIGINT; then stops qemu and removes the tap. A reboot inside the VM stays inside
# this qemu process.
#
#   boot-vm.sh --netns NS --bridge BR --tap TAP --mac MAC --image-dir DIR --work-dir DIR
#              [--launch-args FILE] [--append WORDS] [--memory MIB] [--cdrom FILE]
#
# --launch-args: what `appliance launch-args MAC --for qemu` printed: `#` lines are comments, every other line is one
# qemu option with its value, shell-quoted; `-append WORDS` lines are added to the kernel command line.
# --cdrom: an ISO attached read-only as the VM's IDE CD-ROM (e.g. a NoCloud seed made with cloud-localds).
# The VM's disk is a throw-away qcow2 overlay in --work-dir (kept across reboots of this VM), its serial console
# goes to --work-dir/console.log. Needs root (tap in the namespace, /dev/net/tun).
set -euo pipefail

netns="" bridge="" tap="" mac="" image_dir="" work_dir="" launch_args="" append="" memory=1024 cdrom=""
while (($# > 0)); do
  case "$1" in
    --netns) netns=$2 ;;
    --bridge) bridge=$2 ;;
    --tap) tap=$2 ;;
    --mac) mac=$2 ;;
    --image-dir) image_dir=$2 ;;
    --work-dir) work_dir=$2 ;;
    --launch-args) launch_args=$2 ;;
    --append) append=$2 ;;
    --memory) memory=$2 ;;
    --cdrom) cdrom=$2 ;;
    *) echo "boot-vm: unknown argument $1" >&2; exit 2 ;;
  esac
  shift 2
done
for required in netns bridge tap mac image_dir work_dir; do
  if [[ -z "${!required}" ]]; then
    echo "boot-vm: --${required//_/-} is required" >&2
    exit 2
  fi
done
if ((${#tap} > 15)); then
  echo "boot-vm: tap name $tap is longer than 15 characters" >&2
  exit 2
fi

cmdline="root=/dev/vda rw console=ttyS0"
qemu_extra=()
if [[ -n "$launch_args" ]]; then
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ -z "${line//[[:space:]]/}" || "$line" =~ ^[[:space:]]*# ]] && continue
    # The line is shell-quoted by the appliance (trusted output): let the shell split it.
    eval "words=($line)"
    if [[ "${words[0]}" == "-append" ]]; then
      cmdline+=" ${words[*]:1}"
    else
      qemu_extra+=("${words[@]}")
    fi
  done <"$launch_args"
fi
[[ -n "$append" ]] && cmdline+=" $append"
if [[ -n "$cdrom" ]]; then
  if [[ ! -f "$cdrom" ]]; then
    echo "boot-vm: --cdrom $cdrom is not a file" >&2
    exit 2
  fi
  qemu_extra+=(-drive "file=$cdrom,if=ide,media=cdrom,readonly=on,format=raw")
fi

mkdir -p "$work_dir"
overlay="$work_dir/disk.qcow2"
if [[ ! -f "$overlay" ]]; then
  qemu-img create -q -f qcow2 -b "$image_dir/root.qcow2" -F qcow2 "$overlay"
fi

ip -n "$netns" tuntap add dev "$tap" mode tap
ip -n "$netns" link set "$tap" master "$bridge" up

qemu_pid=""
cleanup() {
  if [[ -n "$qemu_pid" ]] && kill -0 "$qemu_pid" 2>/dev/null; then
    kill -TERM "$qemu_pid" 2>/dev/null || true
    wait "$qemu_pid" 2>/dev/null || true
  fi
  ip -n "$netns" link del "$tap" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

echo "boot-vm: mac=$mac tap=$tap cmdline=\"$cmdline\" extra=${qemu_extra[*]:-none}"
# TCG only: this machine's /dev/kvm cannot run Debian's kernel. A 128 MiB translation cache halves boot time
# against the default; cache=unsafe because the overlay is thrown away.
ip netns exec "$netns" qemu-system-x86_64 \
  -name "vm-$mac" -nodefaults -no-user-config -display none -vga none \
  -accel tcg,tb-size=128 -cpu max -smp 1 -m "$memory" \
  -kernel "$image_dir/vmlinuz" -initrd "$image_dir/initrd.img" -append "$cmdline" \
  -drive "file=$overlay,if=virtio,format=qcow2,cache=unsafe" \
  -netdev "tap,id=net0,ifname=$tap,script=no,downscript=no" \
  -device "virtio-net-pci,netdev=net0,mac=$mac" \
  -device virtio-rng-pci \
  -serial "file:$work_dir/console.log" \
  "${qemu_extra[@]}" &
qemu_pid=$!
wait "$qemu_pid"
