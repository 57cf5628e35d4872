#!/bin/sh
# dhcpcd -c script for namespace tests: records every reason and saves the environment of each binding to
# lease.env; dhcpcd configures the address itself.
dir=$(dirname "$0")
echo "$reason" >> "$dir/events"
case "$reason" in
  BOUND|RENEW|REBIND|REBOOT)
    env > "$dir/lease.env.tmp" && mv "$dir/lease.env.tmp" "$dir/lease.env"
    ;;
esac
exit 0
