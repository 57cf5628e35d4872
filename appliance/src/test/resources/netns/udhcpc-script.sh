#!/bin/sh
# udhcpc -s script for namespace tests: records every event, saves the environment of each binding to
# lease.env and configures eth0's address itself.
dir=$(dirname "$0")
case "$1" in
  deconfig)
    ip -4 addr flush dev "$interface" scope global
    ;;
  bound|renew)
    ip -4 addr replace "$ip/$subnet" dev "$interface" || exit 1
    { env; echo "reason=$1"; } > "$dir/lease.env.tmp" && mv "$dir/lease.env.tmp" "$dir/lease.env"
    ;;
esac
# The event is recorded last, so whoever waits for it finds lease.env already written.
echo "$1" >> "$dir/events"
exit 0
