#!/usr/bin/env bash
# DHCP benchmark: perfdhcp drives full DORA exchanges against the appliance, Kea 2.2 and dnsmasq 2.90 in turn,
# inside two network namespaces this script creates and always deletes. See BENCHMARKS.md, section "DHCP".
#
# Topology (nothing on the host): namespace bnch-srv-PID holds lab0 10.20.0.1/16 and the server under test;
# namespace bnch-cli-PID holds pd0 10.20.0.2/16 and perfdhcp. The veth pair is created inside the namespaces.
# perfdhcp acts as a relay (source port 67, giaddr 10.20.0.2), so every server answers by unicast to 10.20.0.2:67.
# Each server runs pinned to CPU 1, perfdhcp to CPU 0. Every phase starts its server with fresh state.
# appliance-pg and kea-pg keep their leases in PostgreSQL 15, which the script starts (only when one of them is
# selected) in the server namespace on 127.0.0.1:5433, on the server's CPU, with a fresh database per run.
set -Eeuo pipefail

readonly BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly REPO_DIR=$(dirname "$BENCH_DIR")
readonly TEMPLATE_DIR=$BENCH_DIR/dhcp
readonly ALL_SERVERS=appliance,appliance-pg,kea,kea-warn,kea-pg,dnsmasq
# The PostgreSQL pair is not in the default set: a default run stays the run BENCHMARKS.md compares against.
readonly DEFAULT_SERVERS=appliance,kea,kea-warn,dnsmasq
readonly ARGS="$*"

readonly SERVER_ADDR=10.20.0.1
readonly CLIENT_ADDR=10.20.0.2
readonly NS_SRV=bnch-srv-$$
readonly SERVER_PORT=udp/67
readonly NS_CLI=bnch-cli-$$
readonly SERVER_CPU=1
readonly CLIENT_CPU=0
# Distinct client MACs per run; with the warm-up's own MAC range this stays below the 65024-address pool.
readonly CLIENTS=30000
readonly MAC_MEASURED=02:00:00:00:00:00
readonly MAC_WARMUP=02:00:01:00:00:00
# perfdhcp waits this long (µs) after the last send so replies in flight are not counted as drops.
readonly EXIT_WAIT_US=1000000
readonly WARM_ROUND_SECONDS=2
readonly WARM_EXIT_WAIT_US=300000
readonly PROFILE_CALM_RATE=200
# PostgreSQL for the -pg servers: Debian's postgresql-15 binaries, called directly (not through wrappers on PATH).
readonly PG_BIN=/usr/lib/postgresql/15/bin
readonly PG_ADDR=127.0.0.1
readonly PG_PORT=5433
readonly PG_DB=bench
readonly PG_USER=bench

usage() {
    cat <<EOF
Usage: bench/dhcp.sh [--quick] [--servers LIST] [--jar FILE] [--out FILE] [--nice N] [--profile] [--keep]

Runs perfdhcp (DORA) against each server in turn inside private network namespaces and prints a table:
leases/s at saturation (a ladder of offered rates), REQUEST->ACK latency at a fixed rate, and server CPU
time per 1000 leases at a rate every server sustains. Must run as root on a machine with 2+ CPUs.

  --quick          short phases (smoke run, about a minute per server)
  --servers LIST   comma-separated subset of: $ALL_SERVERS
                   (default: $DEFAULT_SERVERS)
                   kea = Kea with its default INFO per-lease logging; kea-warn = Kea logging WARN and above;
                   appliance-pg, kea-pg = the appliance and Kea (logging WARN) with their leases in PostgreSQL 15,
                   started by this script on $PG_ADDR:$PG_PORT in the server namespace
  --jar FILE       appliance jar (default: appliance/target/appliance.jar; skipped with a message if missing)
  --out FILE       Markdown results file (default: bench/results/dhcp-<date>.md)
  --nice N         niceness of the servers and perfdhcp (default -10, so that other work on the machine
                   disturbs the runs less; 0 to run at normal priority)
  --profile        also record the appliance with JFR (settings=profile) at its saturation rate and at
                   ${PROFILE_CALM_RATE}/s, in a run of its own after the measured ones, and summarise both in the report
  --keep           keep the work directory (configs, server logs, perfdhcp outputs) and print its path
EOF
}

quick=0
servers=$DEFAULT_SERVERS
jar=$REPO_DIR/appliance/target/appliance.jar
out=$BENCH_DIR/results/dhcp-$(date +%Y%m%d-%H%M%S).md
keep=0
profile=0
niceness=-10
while (($#)); do
    case $1 in
        --quick) quick=1 ;;
        --servers) servers=${2:?--servers needs a list}; shift ;;
        --jar) jar=${2:?--jar needs a file}; shift ;;
        --out) out=${2:?--out needs a file}; shift ;;
        --nice) niceness=${2:?--nice needs a number}; shift ;;
        --keep) keep=1 ;;
        --profile) profile=1 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "dhcp.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

if ((quick)); then
    sat_rates=(2000 16000); sat_seconds=2
    lat_rates=(200 500); lat_seconds=3
    cpu_rate=150; cpu_seconds=5
    warm_rate=2000; warm_max_rounds=5; warm_min_rounds=2
else
    sat_rates=(1000 2000 4000 8000 12000 16000 32000); sat_seconds=4
    lat_rates=(200 500); lat_seconds=10
    cpu_rate=150; cpu_seconds=20
    warm_rate=2000; warm_max_rounds=16; warm_min_rounds=10
fi

fail() { echo "dhcp.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# ---------------------------------------------------------------- preconditions

IFS=, read -r -a server_list <<<"$servers"
for s in "${server_list[@]}"; do
    [[ ,$ALL_SERVERS, == *",$s,"* ]] || fail "unknown server '$s' (expected some of: $ALL_SERVERS)"
done
((EUID == 0)) || fail "must run as root (it creates network namespaces)"
(($(nproc --all) >= 2)) || fail "needs 2 CPUs (server on CPU $SERVER_CPU, perfdhcp on CPU $CLIENT_CPU)"
for tool in ip ss taskset perfdhcp awk sort; do
    command -v "$tool" >/dev/null || fail "'$tool' not found (perfdhcp is in Debian's kea-admin package)"
done
uses_pg=0
for s in "${server_list[@]}"; do
    case $s in
        kea | kea-warn | kea-pg) command -v kea-dhcp4 >/dev/null || fail "kea-dhcp4 not found (Debian kea-dhcp4-server)" ;;&
        kea-pg) command -v kea-admin >/dev/null || fail "kea-admin not found (Debian kea-admin; kea-pg needs it for its schema)" ;;&
        *-pg) uses_pg=1 ;;
        dnsmasq) command -v dnsmasq >/dev/null || fail "dnsmasq not found (Debian dnsmasq-base)" ;;
    esac
done
if ((uses_pg)); then
    for tool in postgres initdb pg_ctl psql; do
        [[ -x $PG_BIN/$tool ]] || fail "$PG_BIN/$tool not found: the -pg servers need PostgreSQL 15 (Debian postgresql-15)"
    done
    id -u postgres >/dev/null 2>&1 || fail "no user 'postgres' to run PostgreSQL as (Debian postgresql-15 creates it)"
    command -v runuser >/dev/null || fail "'runuser' not found (Debian util-linux)"
fi

# ---------------------------------------------------------------- namespaces and cleanup

work=$(mktemp -d /tmp/bnch-dhcp.XXXXXX)
server_pid=
server_name=
perfdhcp_pid=
pg_dir=
pg_pid=

# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
bench_pids() { echo $perfdhcp_pid $server_pid; }
# PostgreSQL goes after the servers (its clients) have been stopped, before its namespace does.
bench_cleanup() { pg_stop; }
install_cleanup

make_namespaces pd0 "" "$CLIENT_ADDR"

in_srv() { ip netns exec "$NS_SRV" "$@"; }

# Servers and perfdhcp each start in their own session (setsid), hence their own scheduler autogroup: with
# autogroups on, niceness only orders processes within a group, so the group itself gets the niceness too.
# The autogroup is only written once the process leads its own session, so the script's own group (and whatever
# shares it) is never touched.
prioritize() {
    local pid=$1 tries=50
    [[ -e /proc/$pid/autogroup ]] || return 0
    until [[ $(awk '{ print $6 }' "/proc/$pid/stat" 2>/dev/null) == "$pid" ]]; do
        ((--tries > 0)) || return 0
        sleep 0.02
    done
    echo "$niceness" >"/proc/$pid/autogroup" 2>/dev/null || true
}

# ---------------------------------------------------------------- PostgreSQL

# Runs a PostgreSQL binary as user postgres from its directory (the script's own directory may be closed to it).
as_postgres() { (cd "$pg_dir" && runuser -u postgres -- "$@"); }

# psql as the superuser over the Unix socket in pg_dir/run: database $1, SQL $2 (one statement, its own
# transaction). Prints the rows unaligned, fields separated by '|'.
pg_sql() {
    as_postgres "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$pg_dir/run" -p "$PG_PORT" -d "$1" -c "$2"
}

# Creates a cluster in work/pg (owned by postgres) and starts it in the server namespace, pinned to SERVER_CPU at
# the servers' niceness: TCP on PG_ADDR:PG_PORT only, password (SCRAM) logins for PG_USER, peer logins over the
# socket for the script's own psql, fsync and synchronous_commit on. Sets pg_dir, pg_pid, pg_password and
# pg_settings (for the report).
pg_start() {
    pg_dir=$work/pg
    # mktemp made the work directory 0700; postgres only needs to pass through it to its own.
    chmod 711 "$work"
    mkdir -p "$pg_dir/run"
    chown postgres:postgres "$pg_dir" "$pg_dir/run"
    chmod 700 "$pg_dir" "$pg_dir/run"
    pg_password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    as_postgres "$PG_BIN/initdb" -D "$pg_dir/data" -U postgres -E UTF8 --locale=C \
        --auth-local=peer --auth-host=scram-sha-256 --no-instructions >"$pg_dir/initdb.out" 2>&1 \
        || { cat "$pg_dir/initdb.out" >&2; fail "initdb failed (output in $pg_dir/initdb.out)"; }
    cat >>"$pg_dir/data/postgresql.conf" <<EOF

# bench/dhcp.sh: TCP on $PG_ADDR:$PG_PORT only, inside $NS_SRV; the script's own psql uses the socket in $pg_dir/run.
listen_addresses = '$PG_ADDR'
port = $PG_PORT
unix_socket_directories = '$pg_dir/run'
# A lease is durable once committed (PostgreSQL's defaults, set so the report can state them).
fsync = on
synchronous_commit = on
password_encryption = scram-sha-256
EOF
    cat >"$pg_dir/data/pg_hba.conf" <<EOF
# bench/dhcp.sh: the superuser over the socket, the servers' role over TCP on loopback with its password.
local all      postgres             peer
host  $PG_DB $PG_USER $PG_ADDR/32 scram-sha-256
EOF
    # pg_ctl starts the postmaster in a session of its own (so prioritize can set its autogroup) and waits for it.
    (cd "$pg_dir" && ip netns exec "$NS_SRV" nice -n "$niceness" taskset -c "$SERVER_CPU" \
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t 60 start) \
        >"$pg_dir/pg_ctl.out" 2>&1 \
        || { tail -n 20 "$pg_dir/pg_ctl.out" "$pg_dir/postgres.log" >&2 || true; fail "PostgreSQL did not start (log in $pg_dir/postgres.log)"; }
    pg_pid=$(head -n 1 "$pg_dir/data/postmaster.pid")
    [[ $(cat "/proc/$pg_pid/comm" 2>/dev/null) == postgres ]] || fail "PID $pg_pid from postmaster.pid is not PostgreSQL"
    prioritize "$pg_pid"
    pg_sql postgres "CREATE ROLE $PG_USER LOGIN PASSWORD '$pg_password'" >/dev/null
    pg_settings="fsync=$(pg_sql postgres 'SHOW fsync'), synchronous_commit=$(pg_sql postgres 'SHOW synchronous_commit'),"
    pg_settings+=" wal_sync_method=$(pg_sql postgres 'SHOW wal_sync_method'), full_page_writes=$(pg_sql postgres 'SHOW full_page_writes'),"
    pg_settings+=" shared_buffers=$(pg_sql postgres 'SHOW shared_buffers'); data directory on $(df --output=fstype "$pg_dir/data" | tail -n 1)"
    log "PostgreSQL up on $PG_ADDR:$PG_PORT in $NS_SRV (PID $pg_pid, CPU $SERVER_CPU): $pg_settings"
}

# Stops PostgreSQL if it runs (fast shutdown: open sessions are ended); falls back to stop_pid on the postmaster.
pg_stop() {
    [[ -n $pg_dir && -f $pg_dir/data/postmaster.pid ]] || return 0
    as_postgres "$PG_BIN/pg_ctl" -D "$pg_dir/data" -m fast -w -t 30 stop >>"$pg_dir/pg_ctl.out" 2>&1 && return 0
    [[ -z $pg_pid ]] || stop_pid "$pg_pid"
}

# A fresh, empty database PG_DB owned by PG_USER for server $1 (run directory $2): the previous one is dropped,
# with any session still on it. kea-pg gets Kea's schema from kea-admin (psql from PG_BIN); the appliance creates
# its own tables (Flyway) when it starts. Also writes the password file the appliance's config names.
pg_reset_db() {
    local name=$1 dir=$2
    {
        pg_sql postgres "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" && pg_sql postgres "CREATE DATABASE $PG_DB OWNER $PG_USER"
    } >"$dir/pg-reset.out" 2>&1 || { cat "$dir/pg-reset.out" >&2; fail "could not recreate database $PG_DB"; }
    if [[ $name == kea-pg ]]; then
        PATH=$PG_BIN:$PATH in_srv kea-admin db-init pgsql -u "$PG_USER" -p "$pg_password" -n "$PG_DB" -h "$PG_ADDR" -P "$PG_PORT" \
            >>"$dir/pg-reset.out" 2>&1 || { cat "$dir/pg-reset.out" >&2; fail "kea-admin db-init failed (output in $dir/pg-reset.out)"; }
    fi
    (umask 077 && printf '%s\n' "$pg_password" >"$dir/pg-password")
}

# utime + stime of PostgreSQL in clock ticks: the postmaster's own, its exited children's (cutime + cstime: the
# backend of every closed connection, autovacuum workers) and its running children's (background processes and
# the servers' backends). 0 when PostgreSQL does not run.
pg_ticks() {
    [[ -n $pg_pid ]] || { echo 0; return 0; }
    local pid
    for pid in "$pg_pid" $(cat "/proc/$pg_pid/task/$pg_pid/children" 2>/dev/null); do
        cat "/proc/$pid/stat" 2>/dev/null || true
    done | awk '{ sub(/^.*\) /, ""); s += $12 + $13 + $14 + $15 } END { printf "%.0f\n", s }'
}

# Checks after a run (server $1 stopped, run directory $2, label $3, perfdhcp output $4) that the database holds a
# lease row for every client perfdhcp saw ACKed. A row is per address; perfdhcp -R N gives its exchanges the MACs
# base+0, base+1, ... in turn, from 0 again after N (each run anew), so the first N exchanges are distinct clients
# and only the DISCOVERs sent beyond N can be a client coming back for the address it already has. A run needs at
# least ACKs - max(0, DISCOVERs - N) rows with its MACs; fewer is a lease ACKed but not stored. (More rows than ACKs
# are ACKs that reached perfdhcp after it stopped counting.) Rows from the warm-up's MAC range, whose rounds repeat
# the same MACs, are counted apart. Appends a report row to pg_checks.
pg_checks=()
pg_check_failures=0
pg_check_rows() {
    local name=$1 dir=$2 run=$3 out=$4 query acks sent rows measured warm inactive lower verdict
    local boundary=${MAC_WARMUP//:/}
    case $name in
        appliance-pg) query="SELECT count(*) FILTER (WHERE mac < '$MAC_WARMUP'), count(*) FILTER (WHERE mac >= '$MAC_WARMUP'),
                                    count(*) FILTER (WHERE state <> 'ACTIVE') FROM lease" ;;
        kea-pg) query="SELECT count(*) FILTER (WHERE hwaddr < decode('$boundary', 'hex')),
                              count(*) FILTER (WHERE hwaddr >= decode('$boundary', 'hex')), count(*) FILTER (WHERE state <> 0) FROM lease4" ;;
        *) return 0 ;;
    esac
    acks=$(acks_received "$out"); acks=${acks:-0}
    sent=$(discovers_sent "$out"); sent=${sent:-0}
    lower=$((acks - (sent > CLIENTS ? sent - CLIENTS : 0)))
    ((lower > 0)) || lower=0
    if ! rows=$(pg_sql "$PG_DB" "$query" 2>"$dir/pg-check.err"); then
        pg_checks+=("| $name | $run | $sent | $acks | $lower | | | | query failed: $(head -n 1 "$dir/pg-check.err") |")
        pg_check_failures=$((pg_check_failures + 1))
        log "$name $run: lease table query failed: $(head -n 1 "$dir/pg-check.err")"
        return 0
    fi
    IFS='|' read -r measured warm inactive <<<"$rows"
    if ((measured >= lower)); then verdict=ok; else verdict="MISSING $((lower - measured)) ROWS"; pg_check_failures=$((pg_check_failures + 1)); fi
    pg_checks+=("| $name | $run | $sent | $acks | $lower | $measured | $warm | $inactive | $verdict |")
    log "$name $run: $measured lease rows for $acks ACKs of $sent DISCOVERs (at least $lower needed), $warm from warm-up, $inactive not ACTIVE: $verdict"
}

# ---------------------------------------------------------------- servers

# Writes a template with @WORK@, @SEVERITY@ and @PG_PASSWORD@ replaced.
render() { sed -e "s|@WORK@|$2|g" -e "s|@SEVERITY@|${4:-INFO}|g" -e "s|@PG_PASSWORD@|${pg_password:-}|g" "$TEMPLATE_DIR/$1" >"$3"; }

# Starts server $1 with fresh state in directory $2, pinned to SERVER_CPU; sets server_pid. Returns 1 if it
# does not come up (its log is shown). The command is started directly, not through a shell function, so that
# the forked shell, `ip netns exec` and taskset all exec and $! is the server's own PID. A -pg server's database
# is recreated empty first.
start_server() {
    local name=$1 dir=$2 ready_pattern=
    server_name=$name
    mkdir -p "$dir/state"
    wait_server_port_free
    [[ $name != *-pg ]] || pg_reset_db "$name" "$dir"
    case $name in
        kea | kea-warn | kea-pg)
            local severity=INFO template=kea-dhcp4.json.in
            [[ $name == kea-warn || $name == kea-pg ]] && severity=WARN
            [[ $name == kea-pg ]] && template=kea-dhcp4-pg.json.in
            render "$template" "$dir" "$dir/kea-dhcp4.json" "$severity"
            in_srv kea-dhcp4 -t "$dir/kea-dhcp4.json" >"$dir/check.out" 2>&1 \
                || { cat "$dir/check.out" >&2; fail "Kea rejected $dir/kea-dhcp4.json"; }
            KEA_LOCKFILE_DIR=$dir KEA_PIDFILE_DIR=$dir \
                ip netns exec "$NS_SRV" setsid nice -n "$niceness" taskset -c "$SERVER_CPU" kea-dhcp4 -c "$dir/kea-dhcp4.json" >"$dir/server.out" 2>&1 &
            ;;
        dnsmasq)
            render dnsmasq.conf.in "$dir" "$dir/dnsmasq.conf"
            dnsmasq --test -C "$dir/dnsmasq.conf" >"$dir/check.out" 2>&1 \
                || { cat "$dir/check.out" >&2; fail "dnsmasq rejected $dir/dnsmasq.conf"; }
            ip netns exec "$NS_SRV" setsid nice -n "$niceness" taskset -c "$SERVER_CPU" dnsmasq -k -C "$dir/dnsmasq.conf" >"$dir/server.out" 2>&1 &
            ;;
        appliance | appliance-pg)
            render "$name.yaml.in" "$dir" "$dir/appliance.yaml"
            # shellcheck disable=SC2086 # APPLIANCE_JAVA_OPTS is a list of JVM flags
            ip netns exec "$NS_SRV" setsid nice -n "$niceness" taskset -c "$SERVER_CPU" java ${APPLIANCE_JAVA_OPTS:-} -jar "$jar" \
                run --config "$dir/appliance.yaml" --state-dir "$dir/state" >"$dir/server.log" 2>&1 &
            ready_pattern='appliance ready'
            ;;
    esac
    server_pid=$!
    prioritize "$server_pid"
    # A PID that is not the server (a wrapper left in between) would be stopped while the server keeps port 67.
    sleep 0.2
    if kill -0 "$server_pid" 2>/dev/null && [[ $(cat "/proc/$server_pid/comm") != @(kea-dhcp4|dnsmasq|java) ]]; then
        fail "PID $server_pid is $(cat "/proc/$server_pid/comm"), not the server"
    fi
    local deadline=$((SECONDS + 60))
    until [[ -n $(server_port_listeners) ]] && { [[ -z $ready_pattern ]] || grep -q "$ready_pattern" "$dir/server.log"; }; do
        if ! kill -0 "$server_pid" 2>/dev/null || ((SECONDS >= deadline)); then
            log "$name did not come up; last lines of its output:"
            tail -n 20 "$dir"/server.* >&2 || true
            stop_server
            return 1
        fi
        sleep 0.1
    done
}

# utime + stime of the server process (all threads), in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }

# PostgreSQL's CPU ticks (pg_ticks) when the server last started is a -pg one, else 0: PostgreSQL idles on while
# the other servers run, and that is none of their cost.
server_pg_ticks() {
    if [[ ${server_name:-} == *-pg ]]; then pg_ticks; else echo 0; fi
}

# utime + stime of the server's JIT compiler threads (named "C1/C2 CompilerThre…"; none outside a JVM), in
# clock ticks. Compiler threads the JVM has already retired are not counted.
jit_ticks() {
    local task sum=0 comm
    for task in "/proc/$server_pid/task/"*; do
        comm=$(cat "$task/comm" 2>/dev/null) || continue
        [[ $comm == C[12]\ CompilerThre* ]] || continue
        sum=$((sum + $(awk '{ print $14 + $15 }' "$task/stat" 2>/dev/null || echo 0)))
    done
    echo "$sum"
}

# Nanoseconds the server's threads spent runnable but waiting for a CPU (field 2 of each thread's schedstat):
# how much other work on the machine held the server back during a run.
run_delay_ns() { cat "/proc/$server_pid/task/"*/schedstat 2>/dev/null | awk '{ s += $2 } END { printf "%.0f\n", s }'; }
now_ns() { date +%s%N; }

# Runs a measured perfdhcp run (arguments as run_perfdhcp) and sets run_wait_pct: the share of the run's wall
# time the server spent waiting for a CPU. With sample_after=N set, also sets sampled_ticks and sampled_pg_ticks to
# the server's and PostgreSQL's CPU ticks N seconds into the run. Returns 1 if the server died during the run (its
# log is shown).
measured_perfdhcp() {
    local delay0 t0
    delay0=$(run_delay_ns); t0=$(now_ns)
    start_perfdhcp "$@"
    if [[ -n ${sample_after:-} ]]; then
        sleep "$sample_after"
        sampled_ticks=$(cpu_ticks); sampled_pg_ticks=$(server_pg_ticks)
    fi
    finish_perfdhcp
    if ! kill -0 "$server_pid" 2>/dev/null; then
        log "the server (PID $server_pid) died during the run; last lines of its output:"
        tail -n 20 "$(dirname "$1")"/server.* >&2 || true
        stop_server
        return 1
    fi
    run_wait_pct=$(awk -v d=$(($(run_delay_ns) - delay0)) -v t=$(($(now_ns) - t0)) 'BEGIN { printf "%.0f\n", 100 * d / t }')
}

# ---------------------------------------------------------------- perfdhcp and its output

# Starts perfdhcp pinned to CLIENT_CPU with output to $1 and the remaining arguments; perfdhcp_wait_us=N
# overrides the exit wait.
start_perfdhcp() {
    perfdhcp_out=$1; shift
    ip netns exec "$NS_CLI" setsid nice -n "$niceness" taskset -c "$CLIENT_CPU" perfdhcp -4 -g single -l "$CLIENT_ADDR" \
        -W "${perfdhcp_wait_us:-$EXIT_WAIT_US}" "$@" "$SERVER_ADDR" >"$perfdhcp_out" 2>&1 &
    perfdhcp_pid=$!
    prioritize "$perfdhcp_pid"
}

# Waits for perfdhcp. Exit status 3 (some exchanges not completed) is a result, not an error; anything else
# stops the script.
finish_perfdhcp() {
    local rc=0
    wait "$perfdhcp_pid" || rc=$?
    perfdhcp_pid=
    if ((rc != 0 && rc != 3)); then
        tail -n 20 "$perfdhcp_out" >&2
        fail "perfdhcp exited with status $rc (output in $perfdhcp_out)"
    fi
}

run_perfdhcp() { start_perfdhcp "$@"; finish_perfdhcp; }

# Value of the line starting with $3 in perfdhcp's "Statistics for: $2" section of file $1.
stat_field() {
    awk -v section="Statistics for: $2" -v key="$3" '
        index($0, "***") == 1 { inside = index($0, section) > 0 }
        inside && index($0, key) == 1 { sub(/^[^:]*: */, ""); print $1; exit }' "$1"
}
discovers_sent() { stat_field "$1" DISCOVER-OFFER 'sent packets:'; }
acks_received() { stat_field "$1" REQUEST-ACK 'received packets:'; }
ack_avg_ms() { stat_field "$1" REQUEST-ACK 'avg delay:'; }

# 99th percentile of REQUEST->ACK delay in ms from perfdhcp's -x t timestamp dump ("sent / received: A / B").
ack_p99_ms() {
    awk '/^\*\*\*Timestamps for packets: REQUEST-ACK/ { inside = 1; next }
         /^\*\*\*/ { inside = 0 }
         inside && /^sent \/ received:/ { printf "%.3f\n", ($6 - $4) * 1000 }' "$1" |
        sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else { i = int(NR * 0.99); if (i < NR * 0.99) i++; print v[i] } }'
}

# ACKs per second in the first and the last full interval of perfdhcp's -t 1 reports
# ("sent: D/R; received: O/A; ..." with cumulative counts): shows a server slowing down during a run.
first_last_ack_rate() {
    awk -F'[ /;]+' '/^sent: [0-9]+\/[0-9]+; received:/ { n++; a[n] = $6 }
        END { if (n < 2) print "n/a"; else printf "%d→%d\n", a[1], a[n] - a[n - 1] }' "$1"
}

drop_pct() { awk -v sent="$1" -v acks="$2" 'BEGIN { if (sent == 0) print "n/a"; else printf "%.1f\n", 100 * (sent - acks) / sent }'; }
per_second() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f\n", n / s }'; }

# The JVM compiles its hot paths during the first seconds of traffic (about 7 s at 2000/s on one core here), so
# before each measured run the appliance gets warm-up rounds with their own MAC range: at least warm_min_rounds
# (a long-running appliance has long finished compiling; a fresh JVM measured early mostly measures its compiler),
# and until one round completes with at most 1 % drops, bounded by warm_max_rounds. Kea and dnsmasq are native
# and get none. (appliance-pg warms up the same way; its warm-up leases land in the database too, in their own MAC
# range.)
warm_up() {
    local name=$1 dir=$2 round sent acks
    [[ $name == appliance* ]] || return 0
    for ((round = 1; round <= warm_max_rounds; round++)); do
        perfdhcp_wait_us=$WARM_EXIT_WAIT_US run_perfdhcp "$dir/warmup-$round.out" -b "mac=$MAC_WARMUP" -R "$CLIENTS" \
            -r "$warm_rate" -p "$WARM_ROUND_SECONDS"
        sent=$(discovers_sent "$dir/warmup-$round.out")
        acks=$(acks_received "$dir/warmup-$round.out")
        if ((round >= warm_min_rounds && sent > 0 && (sent - acks) * 100 <= sent)); then
            warm_rounds[$name]="${warm_rounds[$name]:+${warm_rounds[$name]} }$round"
            return 0
        fi
    done
    warm_rounds[$name]="${warm_rounds[$name]:+${warm_rounds[$name]} }$warm_max_rounds(not steady)"
    log "$name still dropped more than 1 % after $warm_max_rounds warm-up rounds; measuring anyway"
}

# ---------------------------------------------------------------- phases

# Ratio $1/$2 of two numbers, n/a when either is missing.
ratio() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b == 0) print "n/a"; else printf "%.2f\n", a / b }'; }

declare -A peak_rate peak_offered peak_drop peak_wait overload_rate cold_asked cold_rate cold_p99 lat_avg lat_p99 lat_drop lat_wait cpu_per_k cpu_srv_per_k cpu_pg_per_k cpu_jit_per_k cpu_halves cpu_drop cpu_wait warm_rounds
ladder_rows=()

# Saturation: one fresh run per offered rate; the server's capacity is its best ACK rate on the ladder, and the
# top of the ladder shows how it behaves when flooded.
phase_saturation() {
    local name=$1 best=-1 rate
    for rate in "${sat_rates[@]}"; do
        local dir=$work/$name/sat-$rate
        mkdir -p "$dir"
        start_server "$name" "$dir" || return 1
        warm_up "$name" "$dir"
        measured_perfdhcp "$dir/perfdhcp.out" -b "mac=$MAC_MEASURED" -R "$CLIENTS" -r "$rate" -p "$sat_seconds" -t 1 || return 1
        stop_server
        pg_check_rows "$name" "$dir" "saturation $rate/s" "$dir/perfdhcp.out"
        local sent acks ack_rate offered drop
        sent=$(discovers_sent "$dir/perfdhcp.out")
        acks=$(acks_received "$dir/perfdhcp.out")
        ack_rate=$(per_second "$acks" "$sat_seconds")
        offered=$(per_second "$sent" "$sat_seconds")
        drop=$(drop_pct "$sent" "$acks")
        ladder_rows+=("| $name | $rate | $offered | $ack_rate | $drop | $(first_last_ack_rate "$dir/perfdhcp.out") | $run_wait_pct |")
        log "$name saturation: asked $rate/s, sent $offered/s, $ack_rate leases/s, drop $drop%, server waited for CPU $run_wait_pct%"
        if ((ack_rate > best)); then
            best=$ack_rate
            peak_rate[$name]=$ack_rate; peak_offered[$name]=$rate; peak_drop[$name]=$drop; peak_wait[$name]=$run_wait_pct
        fi
        overload_rate[$name]=$ack_rate
    done
}

# Latency at fixed moderate rates, with per-exchange timestamps (-x t) for the percentile; figures keyed name:rate.
phase_latency() {
    local name=$1 rate
    for rate in "${lat_rates[@]}"; do
        local dir=$work/$name/latency-$rate key=$name:$rate
        mkdir -p "$dir"
        start_server "$name" "$dir" || return 1
        warm_up "$name" "$dir"
        measured_perfdhcp "$dir/perfdhcp.out" -b "mac=$MAC_MEASURED" -R "$CLIENTS" -r "$rate" -p "$lat_seconds" -x t || return 1
        stop_server
        pg_check_rows "$name" "$dir" "latency $rate/s" "$dir/perfdhcp.out"
        local sent acks
        sent=$(discovers_sent "$dir/perfdhcp.out")
        acks=$(acks_received "$dir/perfdhcp.out")
        lat_avg[$key]=$(ack_avg_ms "$dir/perfdhcp.out")
        lat_p99[$key]=$(ack_p99_ms "$dir/perfdhcp.out")
        lat_drop[$key]=$(drop_pct "$sent" "$acks")
        lat_wait[$key]=$run_wait_pct
        log "$name latency at $rate/s: REQUEST->ACK avg ${lat_avg[$key]} ms p99 ${lat_p99[$key]} ms, drop ${lat_drop[$key]}%, server waited for CPU $run_wait_pct%"
    done
}

# A flood from cold: a fresh server with no warm-up (its JIT has compiled nothing yet) asked for twice the capacity
# the saturation ladder found. A server that queues instead of shedding collapses here; one that sheds keeps
# committing close to its capacity.
phase_cold_flood() {
    local name=$1 dir=$work/$1/cold-flood
    [[ -n ${peak_rate[$name]:-} ]] || return 0
    local rate=$((2 * peak_rate[$name]))
    mkdir -p "$dir"
    start_server "$name" "$dir" || return 1
    measured_perfdhcp "$dir/perfdhcp.out" -b "mac=$MAC_MEASURED" -R "$CLIENTS" -r "$rate" -p "$sat_seconds" -t 1 -x t || return 1
    stop_server
    pg_check_rows "$name" "$dir" "from cold $rate/s" "$dir/perfdhcp.out"
    local acks
    acks=$(acks_received "$dir/perfdhcp.out")
    cold_asked[$name]=$rate
    cold_rate[$name]=$(per_second "$acks" "$sat_seconds")
    cold_p99[$name]=$(ack_p99_ms "$dir/perfdhcp.out")
    log "$name from cold at $rate/s asked: ${cold_rate[$name]} leases/s ($(ratio "${cold_rate[$name]}" "${peak_rate[$name]}") of its capacity), REQUEST->ACK p99 ${cold_p99[$name]} ms, first→last s $(first_last_ack_rate "$dir/perfdhcp.out")"
}

# CPU ms per 1000 leases for $1 clock ticks and $2 leases.
ms_per_k() {
    awk -v t="$1" -v hz="$(getconf CLK_TCK)" -v n="$2" 'BEGIN { if (n <= 0) print "n/a"; else printf "%.0f\n", t * 1000 / hz / n * 1000 }'
}

# Server CPU time (utime + stime, all threads) per 1000 leases at a rate every server sustains, over the whole
# run and separately for its first and second half: a server whose cost per lease grows with its lease table
# (dnsmasq rewrites its whole lease file per change) shows a higher second half. For a -pg server the figures
# include PostgreSQL's CPU time (pg_ticks; 0 for the others), also kept apart in cpu_srv_per_k / cpu_pg_per_k.
phase_cpu() {
    local name=$1 dir=$work/$1/cpu half=$((cpu_seconds / 2))
    mkdir -p "$dir"
    start_server "$name" "$dir" || return 1
    warm_up "$name" "$dir"
    local before after pg_before pg_after sent acks half_acks jit_before jit_after srv pg
    before=$(cpu_ticks); pg_before=$(server_pg_ticks); jit_before=$(jit_ticks)
    sample_after=$half measured_perfdhcp "$dir/perfdhcp.out" -b "mac=$MAC_MEASURED" -R "$CLIENTS" -r "$cpu_rate" \
        -p "$cpu_seconds" -t "$half" || return 1
    after=$(cpu_ticks); pg_after=$(server_pg_ticks); jit_after=$(jit_ticks)
    stop_server
    pg_check_rows "$name" "$dir" "CPU $cpu_rate/s" "$dir/perfdhcp.out"
    sent=$(discovers_sent "$dir/perfdhcp.out")
    acks=$(acks_received "$dir/perfdhcp.out")
    # The -t report at the half-way mark carries the cumulative ACK count ("received: OFFERS/ACKS").
    half_acks=$(awk -F'[ /;]+' '/^sent: [0-9]+\/[0-9]+; received:/ { print $6; exit }' "$dir/perfdhcp.out")
    srv=$((after - before)); pg=$((pg_after - pg_before))
    cpu_per_k[$name]=$(ms_per_k $((srv + pg)) "$acks")
    cpu_srv_per_k[$name]=$(ms_per_k "$srv" "$acks")
    cpu_pg_per_k[$name]=$(ms_per_k "$pg" "$acks")
    [[ $name == appliance* ]] && cpu_jit_per_k[$name]=$(ms_per_k $((jit_after - jit_before)) "$acks")
    cpu_halves[$name]="$(ms_per_k $((sampled_ticks - before + sampled_pg_ticks - pg_before)) "${half_acks:-0}")→$(ms_per_k $((after - sampled_ticks + pg_after - sampled_pg_ticks)) $((acks - ${half_acks:-0})))"
    cpu_drop[$name]=$(drop_pct "$sent" "$acks")
    cpu_wait[$name]=$run_wait_pct
    log "$name CPU at $cpu_rate/s: ${cpu_per_k[$name]} ms per 1000 leases$( [[ $name != *-pg ]] || echo " (${cpu_srv_per_k[$name]} + ${cpu_pg_per_k[$name]} PostgreSQL)") (halves ${cpu_halves[$name]}, JIT ${cpu_jit_per_k[$name]:-none}; $srv + $pg ticks, $acks leases), drop ${cpu_drop[$name]}%, server waited for CPU $run_wait_pct%"
}

# JFR recordings of the appliance (fresh, warmed up as the measured runs) at its best ladder rate and at a calm
# rate; each summarised into profile_sat / profile_calm.
profile_sat=
profile_calm=
phase_profile() {
    local name=$1 dir=$work/$1/profile rate
    [[ $name == appliance && -n ${peak_offered[$name]:-} ]] || return 0
    mkdir -p "$dir"
    start_server "$name" "$dir" || return 1
    warm_up "$name" "$dir"
    for rate in "${peak_offered[$name]}" "$PROFILE_CALM_RATE"; do
        in_srv jcmd "$server_pid" JFR.start name=bench settings=profile filename="$dir/$rate.jfr" >"$dir/jfr-$rate.out" 2>&1 \
            || { log "JFR did not start: $(cat "$dir/jfr-$rate.out")"; stop_server; return 0; }
        run_perfdhcp "$dir/perfdhcp-$rate.out" -b "mac=$MAC_MEASURED" -R "$CLIENTS" -r "$rate" -p "$lat_seconds"
        in_srv jcmd "$server_pid" JFR.stop name=bench >>"$dir/jfr-$rate.out" 2>&1 || true
    done
    stop_server
    profile_sat=$(jfr_summarize "$dir/${peak_offered[$name]}.jfr")
    profile_calm=$(jfr_summarize "$dir/$PROFILE_CALM_RATE.jfr")
    log "$name profiled at ${peak_offered[$name]}/s and $PROFILE_CALM_RATE/s"
}

# ---------------------------------------------------------------- run

started=$(date '+%Y-%m-%d %H:%M:%S %Z')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
skipped=()
if ((uses_pg)); then
    pg_start
fi
for name in "${server_list[@]}"; do
    if [[ $name == appliance* ]]; then
        if [[ ! -f $jar ]]; then
            skipped+=("$name: $jar is missing (build it with 'mvn -DskipTests package')")
            log "skipping $name: $jar is missing (build it with 'mvn -DskipTests package')"
            continue
        fi
        command -v java >/dev/null || { skipped+=("$name: java not found"); log "skipping $name: java not found"; continue; }
    fi
    log "=== $name"
    if ! { phase_saturation "$name" && phase_cold_flood "$name" && phase_latency "$name" && phase_cpu "$name" \
        && { ((!profile)) || phase_profile "$name"; }; }; then
        skipped+=("$name: stopped early, its server did not start or died (see the log above); figures shown are partial")
    fi
done

# ---------------------------------------------------------------- report

versions() {
    echo "- perfdhcp: $(perfdhcp -v 2>&1 | head -n 1)"
    command -v kea-dhcp4 >/dev/null && echo "- Kea: $(kea-dhcp4 -v 2>&1 | head -n 1)"
    command -v dnsmasq >/dev/null && echo "- dnsmasq: $(dnsmasq -v 2>&1 | head -n 1 | sed 's/  Copyright.*//')"
    ((!uses_pg)) || echo "- PostgreSQL: $("$PG_BIN/postgres" -V) ($PG_BIN), ${pg_settings:-not started}"
    [[ -f $jar ]] && echo "- appliance: $(basename "$jar") sha256 $(sha256sum "$jar" | cut -c1-12), $(java -version 2>&1 | head -n 1)"
    echo "- host: $(uname -sr), $(nproc --all) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo))"
    echo "- load average (1, 5, 15 min) before the run: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# The CPU cell of server $1: for a -pg server the total and its split, "974 (557 + 417 PG)".
cpu_cell() {
    if [[ $1 == *-pg && -n ${cpu_per_k[$1]:-} ]]; then
        echo "${cpu_per_k[$1]} (${cpu_srv_per_k[$1]} + ${cpu_pg_per_k[$1]} PG)"
    else
        echo "${cpu_per_k[$1]:-n/a}"
    fi
}

# A row of the ratio table: server $1 / server $2, when both were measured.
ratio_row() {
    local a=$1 b=$2
    [[ -n ${peak_rate[$a]:-} && -n ${peak_rate[$b]:-} ]] || return 0
    echo "| $a / $b | $(ratio "${peak_rate[$a]}" "${peak_rate[$b]}") | $(ratio "${lat_p99[$a:${lat_rates[0]}]:-}" "${lat_p99[$b:${lat_rates[0]}]:-}") | $(ratio "${lat_p99[$a:${lat_rates[1]}]:-}" "${lat_p99[$b:${lat_rates[1]}]:-}") | $(ratio "${lat_avg[$a:${lat_rates[1]}]:-}" "${lat_avg[$b:${lat_rates[1]}]:-}") | $(ratio "${cpu_per_k[$a]:-}" "${cpu_per_k[$b]:-}") |"
}

{
    echo "# DHCP benchmark, $started"
    echo
    echo "Command: \`bench/dhcp.sh${ARGS:+ $ARGS}\` ($( ((quick)) && echo quick || echo full) phases). Servers on CPU $SERVER_CPU, perfdhcp on CPU $CLIENT_CPU, both at nice $niceness."
    echo
    versions
    echo
    echo "| server | leases/s at saturation (asked rate) | drop % there | leases/s at ${sat_rates[-1]}/s asked | from cold, 2× capacity asked: leases/s (share of capacity) | REQUEST→ACK avg / p99 ms @ ${lat_rates[0]}/s | avg / p99 ms @ ${lat_rates[1]}/s | server CPU ms / 1000 leases @ $cpu_rate/s (-pg: server + PostgreSQL) | of which JIT compiler | same, 1st→2nd half | drop % @ $cpu_rate/s | server waited for CPU % (saturation, latency, CPU runs) |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
    for name in "${server_list[@]}"; do
        [[ -n ${peak_rate[$name]:-} ]] || continue
        key0=$name:${lat_rates[0]}; key1=$name:${lat_rates[1]}
        echo "| $name | ${peak_rate[$name]} (${peak_offered[$name]}) | ${peak_drop[$name]} | ${overload_rate[$name]} | ${cold_rate[$name]:-n/a} of ${cold_asked[$name]:-n/a} ($(ratio "${cold_rate[$name]:-}" "${peak_rate[$name]}")) | ${lat_avg[$key0]:-n/a} / ${lat_p99[$key0]:-n/a} | ${lat_avg[$key1]:-n/a} / ${lat_p99[$key1]:-n/a} | $(cpu_cell "$name") | ${cpu_jit_per_k[$name]:-—} | ${cpu_halves[$name]:-n/a} | ${cpu_drop[$name]:-n/a} | ${peak_wait[$name]}, ${lat_wait[$key0]:-n/a}/${lat_wait[$key1]:-n/a}, ${cpu_wait[$name]:-n/a} |"
    done
    echo
    echo "Ratios (first / second server; leases/s: higher is better for the first, latency and CPU: lower is better;"
    echo "CPU of a -pg server includes PostgreSQL's):"
    echo
    echo "| ratio | leases/s at saturation | p99 @ ${lat_rates[0]}/s | p99 @ ${lat_rates[1]}/s | avg @ ${lat_rates[1]}/s | CPU per lease @ $cpu_rate/s |"
    echo "|---|---|---|---|---|---|"
    for other in kea kea-warn dnsmasq; do
        ratio_row appliance "$other"
    done
    ratio_row appliance-pg kea-pg
    ratio_row appliance-pg appliance
    echo
    echo "Saturation ladder (fresh server per row, ${sat_seconds} s each; 'sent/s' is what perfdhcp managed to send;"
    echo "'first→last s' is ACKs in the first and the last second of the run; 'waited %' is the share of the run the"
    echo "server was runnable but waiting for a CPU, i.e. held back by other work on the machine):"
    echo
    echo "| server | asked/s | sent/s | leases/s | drop % | first→last s | waited % |"
    echo "|---|---|---|---|---|---|---|"
    printf '%s\n' "${ladder_rows[@]}"
    echo
    echo "Notes:"
    echo "- leases/s = ACKs / ${sat_seconds} s; drop % = 1 − ACKs / DISCOVERs sent. perfdhcp: \`-g single -R $CLIENTS -W $EXIT_WAIT_US\`, relay mode from $CLIENT_ADDR."
    echo "- Every run starts its server with fresh state. Before each measured run the appliance JVM gets warm-up rounds (${warm_rate}/s for ${WARM_ROUND_SECONDS} s, other MACs) at least $warm_min_rounds and until one has ≤ 1 % drops, at most $warm_max_rounds; Kea and dnsmasq get none.${warm_rounds[appliance]:+ Rounds needed per run: ${warm_rounds[appliance]}.}${warm_rounds[appliance-pg]:+ appliance-pg: ${warm_rounds[appliance-pg]}.}"
    echo "- kea: default INFO logging (per-lease lines) to a file; kea-warn: WARN and above. dnsmasq: default per-packet logging to a file, \`no-ping\` (no ICMP check before offering)."
    echo "- From cold: a fresh server, no warm-up, asked twice its best ladder rate for ${sat_seconds} s; the share is of that best rate (target ≥ 0.8)."
    echo "- Latency runs use \`-x t\` (per-exchange timestamps) for the p99. CPU = utime+stime of the server PID (all threads, scaled by the kernel to the exact runtime) across the ${cpu_seconds} s run plus the 1 s wait; the halves split it at $((cpu_seconds / 2)) s, so a cost per lease that grows with the lease table shows as a higher second half."
    echo "- 'server waited for CPU %': time the server's threads were runnable but not running (schedstat run delay, summed over threads) as a share of the run. For a single-threaded server above a few % means the machine's other work disturbed the figures; for the JVM it also counts its own threads (JIT, GC, event loop, journal writer) queueing for the one core, so it can exceed 100 %."
    if ((uses_pg)); then
        echo "- appliance-pg, kea-pg: leases in PostgreSQL ($pg_settings), started by the script in the server namespace on $PG_ADDR:$PG_PORT (nothing else listens), pinned to CPU $SERVER_CPU with the server at the same niceness, SCRAM password login for role $PG_USER. Before every server start the database $PG_DB is dropped and created empty (kea-pg: then \`kea-admin db-init pgsql\`; the appliance migrates its own schema with Flyway as it starts), so each run starts with no leases. appliance-pg: \`store: {kind: postgresql, url: jdbc:postgresql://$PG_ADDR:$PG_PORT/$PG_DB, user: $PG_USER, password-file}\`, default pool-size, no \`ha\` section (a lone appliance). kea-pg: Kea's postgresql lease backend, WARN logging as kea-warn, Kea 2.2's default single-threaded mode (each lease one synchronous INSERT/UPDATE and commit)."
        echo "- CPU of the -pg servers: the server's plus PostgreSQL's (utime+stime of the postmaster and its running children, and cutime+cstime of the postmaster, which holds the children that exited, e.g. autovacuum workers), shown as 'total (server + PG)'. PostgreSQL shares the server's CPU, so for them 'server waited for CPU' also counts time waiting for PostgreSQL."
    fi
    for s in "${skipped[@]}"; do echo "- Not measured: $s"; done
    if ((${#pg_checks[@]})); then
        echo
        echo "Lease rows in PostgreSQL after each -pg run, counted once the server had stopped ($pg_check_failures failed). One row per address; perfdhcp \`-R $CLIENTS\` uses its $CLIENTS MACs in turn, so only DISCOVERs beyond $CLIENTS can be a returning client that keeps its address: a run needs at least ACKs − max(0, DISCOVERs − $CLIENTS) rows with its MACs ('needed'), and more rows than ACKs are ACKs that reached perfdhcp after it stopped counting. Warm-up rows (own MAC range; every round repeats the same MACs) are counted apart:"
        echo
        echo "| server | run | DISCOVERs sent | ACKs (perfdhcp) | rows needed | rows, measured MACs | rows, warm-up MACs | rows not active | check |"
        echo "|---|---|---|---|---|---|---|---|---|"
        printf '%s\n' "${pg_checks[@]}"
    fi
    for run in "sat:${peak_offered[appliance]:-}" "calm:$PROFILE_CALM_RATE"; do
        summary=$profile_calm
        [[ ${run%%:*} == sat ]] && summary=$profile_sat
        [[ -n $summary ]] || continue
        echo
        echo "### JFR profile of the appliance at ${run#*:}/s asked (${lat_seconds} s, settings=profile, $(awk -F'\t' '$1 == "samples" { print $2 }' <<<"$summary") execution samples; Java threads only)"
        echo
        jfr_tables "$summary"
    done
} >"$work/report.md"

mkdir -p "$(dirname "$out")"
cp "$work/report.md" "$out"
cat "$work/report.md"
echo
echo "Results written to $out"
((pg_check_failures == 0)) || fail "$pg_check_failures lease-row checks failed: rows missing for ACKed clients, or the count could not be taken (see the table above)"
