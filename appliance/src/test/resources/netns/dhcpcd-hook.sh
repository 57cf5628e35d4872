#!/bin/sh
# dhcpcd -c script for namespace tests: records every reason and saves the environment of each binding to
# lease.env; dhcpcd configures the address itself.
dir=$(dirname "$0")
case "$reason" in
  BOUND|RENEW|REBIND|REBOOT)
    env > "$dir/lease.env.tmp" && mv "$dir/lease.env.tmp" "$dir/lease.env"
    ;;
esac
# The event is recorded last, so whoever waits for it finds lease.env already written.
echo "$reason" >> "$dir/events"
exit 0
