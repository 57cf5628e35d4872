#!/bin/sh
# dhclient -sf script for namespace tests: records every reason, saves the environment of each binding to
# lease.env and configures eth0's address itself, so a later run can RENEW/INIT-REBOOT from it.
dir=$(dirname "$0")
echo "$reason" >> "$dir/events"
case "$reason" in
  BOUND|RENEW|REBIND|REBOOT)
    if [ -n "$old_ip_address" ] && [ "$old_ip_address" != "$new_ip_address" ]; then
      ip -4 addr del "$old_ip_address/$old_subnet_mask" dev "$interface" 2>/dev/null
    fi
    ip -4 addr replace "$new_ip_address/$new_subnet_mask" dev "$interface" || exit 1
    env > "$dir/lease.env.tmp" && mv "$dir/lease.env.tmp" "$dir/lease.env"
    ;;
  EXPIRE|FAIL|RELEASE)
    if [ -n "$old_ip_address" ]; then
      ip -4 addr del "$old_ip_address/$old_subnet_mask" dev "$interface" 2>/dev/null
    fi
    ;;
  TIMEOUT)
    # No server answered: refuse the remembered lease, or a dead server would look like a kept address.
    exit 1
    ;;
esac
exit 0
