#!/usr/bin/env bash
# DNS benchmark: dnsperf against the appliance's DNS server, then against dnsmasq answering the same names, inside
# two network namespaces this script creates and always deletes. See BENCHMARKS.md, section "DNS".
#
# Topology (nothing on the host): namespace dbn-srv-PID holds lab0 10.20.0.1/16 and the server under test; namespace
# dbn-cli-PID holds vm0 10.20.0.2/16, from which perfdhcp first fills the appliance's lease table (relayed from
# that address) and dnsperf then asks. The names are the ones the leases gave (ip-10-20-1-5.lab.internal and the
# PTR of each address) plus names nobody holds (NXDOMAIN); dnsmasq gets the same names and addresses as a hosts
# file, with the lab domain answered locally. Servers run pinned to CPU 1, dnsperf to CPU 0.
set -Eeuo pipefail

readonly BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly REPO_DIR=$(dirname "$BENCH_DIR")
readonly ALL_SERVERS=appliance,dnsmasq
readonly ARGS="$*"

readonly SERVER_ADDR=10.20.0.1
readonly CLIENT_ADDR=10.20.0.2
readonly NS_SRV=dbn-srv-$$
readonly NS_CLI=dbn-cli-$$
readonly SERVER_PORT=udp/53
readonly SERVER_CPU=1
readonly CLIENT_CPU=0
readonly DOMAIN=lab.internal

usage() {
    cat <<USAGE
Usage: bench/dns.sh [--quick] [--servers LIST] [--jar FILE] [--out FILE] [--leases N] [--rate QPS] [--keep]

Fills the appliance's lease table with N leases (perfdhcp), then runs dnsperf against the appliance's DNS server
and against dnsmasq serving the same names: the saturated rate (queries/s, lost queries) and, at a fixed rate,
latency percentiles from dnsperf's per-query report and server CPU per 1000 queries. Writes a Markdown table.
Must run as root on a machine with 2+ CPUs.

  --quick          short phases (smoke run, about 2 minutes)
  --servers LIST   comma-separated subset of: $ALL_SERVERS (default: both; the appliance always runs first, its
                   leases give the names)
  --jar FILE       appliance jar (default: appliance/target/appliance.jar)
  --out FILE       Markdown results file (default: bench/results/dns-<date>.md)
  --leases N       leases to fill, hence names to ask for (default 5000)
  --rate QPS       the fixed rate of the latency run (default 5000)
  --keep           keep the work directory (configs, logs, dnsperf outputs) and print its path
USAGE
}

fail() { echo "dns.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%T)] $*" >&2; }

quick=0 servers=$ALL_SERVERS jar=$REPO_DIR/appliance/target/appliance.jar out= leases=5000 rate=5000 keep=0
while (($#)); do
    case $1 in
        --quick) quick=1 ;;
        --servers) servers=${2:?}; shift ;;
        --jar) jar=${2:?}; shift ;;
        --out) out=${2:?}; shift ;;
        --leases) leases=${2:?}; shift ;;
        --rate) rate=${2:?}; shift ;;
        --keep) keep=1 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; fail "unknown argument: $1" ;;
    esac
    shift
done
[[ $leases =~ ^[0-9]+$ ]] && ((leases >= 100 && leases <= 60000)) || fail "--leases must be 100..60000"
[[ $rate =~ ^[0-9]+$ ]] && ((rate >= 100)) || fail "--rate must be a number of queries a second, at least 100"
if ((quick)); then
    warm_seconds=5 sat_seconds=5 lat_seconds=5 rounds=1
else
    warm_seconds=20 sat_seconds=20 lat_seconds=15 rounds=3
fi
out=${out:-$BENCH_DIR/results/dns-$(date +%Y%m%d-%H%M%S).md}
IFS=, read -r -a server_list <<<"$servers"
for s in "${server_list[@]}"; do
    [[ ,$ALL_SERVERS, == *",$s,"* ]] || fail "unknown server '$s' (expected some of: $ALL_SERVERS)"
done
measures() { [[ ,$servers, == *",$1,"* ]]; }
((EUID == 0)) || fail "must run as root (it creates network namespaces)"
(($(nproc --all) >= 2)) || fail "needs 2 CPUs (server on CPU $SERVER_CPU, dnsperf on CPU $CLIENT_CPU)"
for tool in ip ss taskset awk sort shuf java perfdhcp dnsperf dig; do
    command -v "$tool" >/dev/null || fail "'$tool' not found (perfdhcp: kea-admin; dnsperf: dnsperf; dig: dnsutils)"
done
if measures dnsmasq; then
    command -v dnsmasq >/dev/null || fail "'dnsmasq' not found (Debian package dnsmasq-base)"
fi
[[ -f $jar ]] || fail "$jar is missing (build it with 'mvn -DskipTests package')"

work=$(mktemp -d /tmp/dbn-dns.XXXXXX)
server_pid=
client_pid=

# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
bench_pids() { echo $client_pid $server_pid; }
install_cleanup

make_namespaces vm0 "" "$CLIENT_ADDR"

in_cli() { ip netns exec "$NS_CLI" "$@"; }

# Starts server $1 in directory $2 pinned to SERVER_CPU and waits until it answers a DNS question; sets server_pid.
start_server() {
    local name=$1 dir=$2
    mkdir -p "$dir"
    wait_server_port_free
    case $name in
        appliance)
            mkdir -p "$dir/state"
            sed -e "s|@WORK@|$dir|g" "$BENCH_DIR/dns/appliance.yaml.in" >"$dir/appliance.yaml"
            # shellcheck disable=SC2086 # APPLIANCE_JAVA_OPTS is a list of JVM flags
            ip netns exec "$NS_SRV" setsid taskset -c "$SERVER_CPU" java ${APPLIANCE_JAVA_OPTS:--Xms32m -Xmx192m -XX:+UseSerialGC} \
                -jar "$jar" run --config "$dir/appliance.yaml" --state-dir "$dir/state" >"$dir/server.log" 2>&1 &
            ;;
        dnsmasq)
            # The same names from a hosts file; --local keeps the lab domain and its reverse zone here (NXDOMAIN
            # for names nobody holds, as the appliance); no upstream, no query log, no DHCP.
            ip netns exec "$NS_SRV" setsid taskset -c "$SERVER_CPU" dnsmasq --keep-in-foreground --conf-file=/dev/null \
                --pid-file= --user=root --no-resolv --no-hosts --addn-hosts="$work/hosts" --expand-hosts \
                --domain="$DOMAIN" --local="/$DOMAIN/" --local=/20.10.in-addr.arpa/ --bind-interfaces \
                --listen-address="$SERVER_ADDR" --port=53 --local-ttl=10 --log-facility="$dir/dnsmasq.log" \
                >"$dir/server.log" 2>&1 &
            ;;
    esac
    server_pid=$!
    local deadline=$((SECONDS + 60))
    until in_cli dig +time=1 +tries=1 +short "@$SERVER_ADDR" "data-server.$DOMAIN" 2>/dev/null | grep -q "^$SERVER_ADDR$"; do
        if ! kill -0 "$server_pid" 2>/dev/null || ((SECONDS >= deadline)); then
            tail -n 20 "$dir/server.log" >&2 || true
            fail "$name did not come up"
        fi
        sleep 0.2
    done
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status"; }

# Runs dnsperf pinned to CLIENT_CPU on query file $1, output to $2, extra arguments after them.
run_dnsperf() {
    local queries=$1 output=$2; shift 2
    ip netns exec "$NS_CLI" setsid taskset -c "$CLIENT_CPU" dnsperf -s "$SERVER_ADDR" -d "$queries" -c 1 -T 1 \
        "$@" >"$output" 2>&1 &
    client_pid=$!
    local rc=0
    wait "$client_pid" || rc=$?
    client_pid=
    ((rc == 0)) || { tail -n 20 "$output" >&2; fail "dnsperf exited with status $rc (output in $output)"; }
}

qps_of() { awk '/Queries per second:/ { printf "%.0f\n", $4 }' "$1"; }
lost_of() { awk '/Queries lost:/ { print $3 }' "$1"; }
completed_of() { awk '/Queries completed:/ { print $3 }' "$1"; }
# Percentile $2 (0-100) of the per-query latencies dnsperf -v printed ("> RCODE NAME TYPE SECONDS"), in ms.
pct_ms() {
    awk '$1 == ">" && NF >= 5 { print $NF * 1000 }' "$1" | sort -g | awk -v p="$2" '{ v[NR] = $1 }
        END { if (NR == 0) { print "n/a"; exit } i = int(NR * p / 100); if (i < 1) i = 1; printf "%.3f\n", v[i] }'
}

# ---------------------------------------------------------------- names from the appliance's leases

log "filling the appliance's lease table with $leases leases (perfdhcp)"
start_server appliance "$work/appliance"
fill_lease_table "$work/appliance" "$CLIENT_ADDR" "$leases"
leased_addresses "$work/appliance" list | sort -V >"$work/leased"
names=$(wc -l <"$work/leased")
((names >= 100)) || { tail "$work/appliance/fill-1.out" >&2; fail "only $names leases were filled"; }
log "$names leased addresses"
{
    echo "$SERVER_ADDR data-server"
    awk '{ n = $1; gsub(/\./, "-", n); print $1 " ip-" n }' "$work/leased"
} >"$work/hosts"
# Per leased address: its name (A) and its address (PTR); every fourth also a name nobody holds (NXDOMAIN).
awk -v d="$DOMAIN" '{ n = $1; gsub(/\./, "-", n); split($1, o, ".")
    print "ip-" n "." d " A"
    print o[4] "." o[3] "." o[2] "." o[1] ".in-addr.arpa PTR"
    if (NR % 4 == 0) print "nobody-" NR "." d " A" }' "$work/leased" | shuf --random-source=<(yes) >"$work/queries"
# Each kind alone too: servers differ by kind (dnsmasq finds an address's name by walking its whole cache).
grep -v '^nobody-' "$work/queries" | grep ' A$' >"$work/queries-a" || true
grep ' PTR$' "$work/queries" >"$work/queries-ptr" || true
grep '^nobody-' "$work/queries" >"$work/queries-nxdomain" || true
readonly KINDS=(a ptr nxdomain)
# The answers must be right before they are fast: one of each kind, from both servers.
sample_name=$(awk 'NR == 1 { n = $1; gsub(/\./, "-", n); print "ip-" n }' "$work/leased")
sample_ip=$(head -1 "$work/leased")
check_answers() {
    local name=$1
    [[ $(in_cli dig +short "@$SERVER_ADDR" "$sample_name.$DOMAIN") == "$sample_ip" ]] || fail "$name: wrong A for $sample_name"
    [[ $(in_cli dig +short "@$SERVER_ADDR" -x "$sample_ip") == "$sample_name.$DOMAIN." ]] || fail "$name: wrong PTR for $sample_ip"
    in_cli dig "@$SERVER_ADDR" "nobody-4.$DOMAIN" | grep -q "status: NXDOMAIN" || fail "$name: no NXDOMAIN for a name nobody holds"
}

# ---------------------------------------------------------------- runs

declare -A qps lost p50 p99 p999 p99a cpu_per_k rss kind_qps
measure() {
    local name=$1 dir=$work/$1 best=0 r t0 q
    check_answers "$name"
    log "$name: warm-up ${warm_seconds}s"
    run_dnsperf "$work/queries" "$dir/warm.out" -l "$warm_seconds" -q 200
    for ((r = 1; r <= rounds; r++)); do
        run_dnsperf "$work/queries" "$dir/saturated-$r.out" -l "$sat_seconds" -q 200
        q=$(qps_of "$dir/saturated-$r.out")
        log "$name: saturated round $r: $q queries/s, lost $(lost_of "$dir/saturated-$r.out")"
        if ((q > best)); then best=$q; lost[$name]=$(lost_of "$dir/saturated-$r.out"); fi
    done
    qps[$name]=$best
    local kind
    for kind in "${KINDS[@]}"; do
        run_dnsperf "$work/queries-$kind" "$dir/saturated-$kind.out" -l "$sat_seconds" -q 200
        kind_qps[$name,$kind]=$(qps_of "$dir/saturated-$kind.out")
        log "$name: saturated, $kind alone: ${kind_qps[$name,$kind]} queries/s"
    done
    t0=$(cpu_ticks)
    run_dnsperf "$work/queries" "$dir/latency.out" -l "$lat_seconds" -q 200 -Q "$rate" -v
    local ticks=$(($(cpu_ticks) - t0)) completed
    completed=$(completed_of "$dir/latency.out")
    cpu_per_k[$name]=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v n="$completed" 'BEGIN { printf "%.0f\n", t * 1000 / hz * 1000 / n }')
    p50[$name]=$(pct_ms "$dir/latency.out" 50)
    p99[$name]=$(pct_ms "$dir/latency.out" 99)
    p999[$name]=$(pct_ms "$dir/latency.out" 99.9)
    run_dnsperf "$work/queries-a" "$dir/latency-a.out" -l "$lat_seconds" -q 200 -Q "$rate" -v
    p99a[$name]=$(pct_ms "$dir/latency-a.out" 99)
    rss[$name]=$(($(rss_kib) / 1024))
    log "$name: at $rate/s: p50 ${p50[$name]} ms, p99 ${p99[$name]} ms, CPU ${cpu_per_k[$name]} ms per 1000"
}

if measures appliance; then
    measure appliance
fi
stop_server
if measures dnsmasq; then
    start_server dnsmasq "$work/dnsmasq"
    measure dnsmasq
    stop_server
fi

# ---------------------------------------------------------------- report

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "n/a" && b != "n/a") printf "%.2f\n", a / b; else print "n/a" }'; }
mkdir -p "$(dirname "$out")"
{
    echo "# DNS benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "Command: \`bench/dns.sh $ARGS\` on $(nproc --all) CPUs; $(uname -r); $(java -version 2>&1 | head -1);"
    echo "dnsmasq $(dnsmasq --version | head -1 | awk '{ print $3 }'), dnsperf $(dnsperf -h 2>&1 | awk '/^Version/ { print $2 }')."
    echo "Names: $names leased addresses, asked as A of their ip- name, PTR of their address, and every fourth a name"
    echo "nobody holds (NXDOMAIN): $(wc -l <"$work/queries") questions, shuffled. dnsperf: 1 client, 1 thread, 200 outstanding."
    echo "Saturated: best of $rounds runs of ${sat_seconds}s after ${warm_seconds}s of warm-up; each kind alone: one run of ${sat_seconds}s."
    echo "Latency and CPU: ${lat_seconds}s at $rate/s of the mix."
    echo
    echo "| figure | appliance | dnsmasq | appliance / dnsmasq |"
    echo "|---|---|---|---|"
    echo "| queries/s, saturated | ${qps[appliance]:-n/a} | ${qps[dnsmasq]:-n/a} | $(ratio "${qps[appliance]:-0}" "${qps[dnsmasq]:-0}") |"
    echo "| lost at saturation | ${lost[appliance]:-n/a} | ${lost[dnsmasq]:-n/a} | |"
    for kind in "${KINDS[@]}"; do
        echo "| queries/s, saturated, $kind alone | ${kind_qps[appliance,$kind]:-n/a} | ${kind_qps[dnsmasq,$kind]:-n/a} | $(ratio "${kind_qps[appliance,$kind]:-0}" "${kind_qps[dnsmasq,$kind]:-0}") |"
    done
    echo "| p50 at $rate/s, ms | ${p50[appliance]:-n/a} | ${p50[dnsmasq]:-n/a} | $(ratio "${p50[appliance]:-n/a}" "${p50[dnsmasq]:-n/a}") |"
    echo "| p99 at $rate/s, ms | ${p99[appliance]:-n/a} | ${p99[dnsmasq]:-n/a} | $(ratio "${p99[appliance]:-n/a}" "${p99[dnsmasq]:-n/a}") |"
    echo "| p99.9 at $rate/s, ms | ${p999[appliance]:-n/a} | ${p999[dnsmasq]:-n/a} | $(ratio "${p999[appliance]:-n/a}" "${p999[dnsmasq]:-n/a}") |"
    echo "| p99 at $rate/s of A alone, ms | ${p99a[appliance]:-n/a} | ${p99a[dnsmasq]:-n/a} | $(ratio "${p99a[appliance]:-n/a}" "${p99a[dnsmasq]:-n/a}") |"
    echo "| CPU ms per 1000 queries at $rate/s | ${cpu_per_k[appliance]:-n/a} | ${cpu_per_k[dnsmasq]:-n/a} | $(ratio "${cpu_per_k[appliance]:-0}" "${cpu_per_k[dnsmasq]:-0}") |"
    echo "| resident memory, MiB | ${rss[appliance]:-n/a} | ${rss[dnsmasq]:-n/a} | |"
} >"$out"
cat "$out"
log "results written to $out"
