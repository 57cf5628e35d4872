# Namespace-lab helpers shared by scripts/demo.sh and examples/lab-fleet.sh (sourced, not run). The caller sets
# PREFIX (every namespace of its lab starts with it), SWITCH_NS and BRIDGE. Nothing here touches the host's own
# interfaces: the bridge lives in SWITCH_NS and every veth pair is created inside it.

lab_namespaces() {
  ip netns list | awk -v prefix="$PREFIX" 'index($1, prefix) == 1 { print $1 }'
}

# Stops every process still running in one of the lab's namespaces (only the calling script starts processes
# there: the appliance and the clients, some of which daemonize), then deletes the namespace.
remove_namespace() {
  local ns=$1 pids pid deadline
  pids="$(ip netns pids "$ns" 2>/dev/null || true)"
  if [[ -n "$pids" ]]; then
    kill -TERM $pids 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while ((SECONDS < deadline)) && [[ -n "$(ip netns pids "$ns" 2>/dev/null || true)" ]]; do
      sleep 0.2
    done
    for pid in $(ip netns pids "$ns" 2>/dev/null || true); do
      kill -KILL "$pid" 2>/dev/null || true
    done
  fi
  ip netns delete "$ns" 2>/dev/null || true
}

remove_lab() {
  local ns
  for ns in $(lab_namespaces); do
    remove_namespace "$ns"
  done
}

# SIGTERM to one PID this script started, then waits up to $2 seconds; returns non-zero if it is still running.
stop_pid() {
  local pid=$1 seconds=$2 deadline
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + seconds))
  while ((SECONDS < deadline)) && kill -0 "$pid" 2>/dev/null; do
    sleep 0.2
  done
  ! kill -0 "$pid" 2>/dev/null
}

# One veth pair per lab machine: one end on the bridge in the switch namespace, the other in the machine's namespace.
plug_into_switch() {
  local ns=$1 if_name=$2 mac=$3 port=$4
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip -n "$SWITCH_NS" link add "$port" type veth peer name "$if_name" address "$mac" netns "$ns"
  ip -n "$SWITCH_NS" link set "$port" master "$BRIDGE" up
  ip -n "$ns" link set "$if_name" up
}
