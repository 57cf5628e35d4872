#!/usr/bin/env bash
# Metadata benchmark: wrk against the appliance's metadata service, then against nginx serving the very bytes the
# appliance served, inside two network namespaces this script creates and always deletes. See BENCHMARKS.md,
# section "Metadata".
#
# Topology (nothing on the host): namespace mbn-srv-PID holds lab0 10.20.0.1/16 and the server under test;
# namespace mbn-cli-PID holds vm0 (the MAC of a VM record in bench/metadata/appliance.yaml.in), which takes a real
# DHCP lease from the appliance with udhcpc, so the appliance answers its requests as that VM. The veth pair is
# created inside the namespaces. Servers run pinned to CPU 1, wrk to CPU 0.
set -Eeuo pipefail

readonly BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly REPO_DIR=$(dirname "$BENCH_DIR")
readonly TEMPLATE_DIR=$BENCH_DIR/metadata
readonly ALL_SERVERS=appliance,nginx
readonly ARGS="$*"

readonly SERVER_ADDR=10.20.0.1
readonly VM_MAC=02:00:00:bb:00:01
readonly VM_ADDR=10.20.0.11
readonly NS_SRV=mbn-srv-$$
readonly SERVER_PORT=tcp/80
readonly NS_CLI=mbn-cli-$$
readonly SERVER_CPU=1
readonly CLIENT_CPU=0
# Benchmarked paths and the key each one's content type goes under in nginx.conf.in.
readonly PATHS=(/latest/meta-data/instance-id /latest/user-data /openstack/latest/meta_data.json)
readonly PATH_KEYS=(INSTANCE_ID USER_DATA META_DATA_JSON)
readonly WRK_THREADS=1
readonly WRK_CONNECTIONS=32
# The moderate-load run: wrk has no fixed-rate mode (wrk2 is not in Debian), so each of these connections waits
# DELAY_MS between its requests (wrk's Lua delay()), which holds the offered rate near
# CPU_CONNECTIONS * 1000 / DELAY_MS requests/s while the server keeps up.
readonly CPU_CONNECTIONS=10
readonly CPU_DELAY_MS=10
readonly WARM_ROUND_SECONDS=3

usage() {
    cat <<EOF
Usage: bench/metadata.sh [--quick] [--servers LIST] [--jar FILE] [--out FILE] [--nice N] [--leases N] [--no-profile] [--keep]

Takes a DHCP lease from the appliance in a client namespace as a VM, runs wrk against three metadata paths of
the appliance, captures the bytes served, then runs the same wrk commands against nginx serving those bytes.
Prints a table (requests/s, p99 latency, server CPU per 1000 requests) and writes it to a results file. Must
run as root on a machine with 2+ CPUs.

  --quick          short phases (smoke run, about 2 minutes)
  --servers LIST   comma-separated subset of: $ALL_SERVERS (default: both). nginx needs the appliance run
                   to capture the bytes it serves, so the appliance is always started; with 'nginx' alone it
                   is only warmed and captured, not measured.
  --jar FILE       appliance jar (default: appliance/target/appliance.jar)
  --out FILE       Markdown results file (default: bench/results/metadata-<date>.md)
  --nice N         niceness of the servers and wrk (default -10; 0 for normal priority)
  --leases N       before measuring, fill the appliance's lease table with N more leases (perfdhcp from the VM's
                   namespace, default 50000; 0 for none) and report its resident memory with them
  --no-profile     skip the JFR profile of the appliance under load
  --keep           keep the work directory (configs, logs, wrk outputs, JFR recording) and print its path
EOF
}

quick=0
servers=$ALL_SERVERS
jar=$REPO_DIR/appliance/target/appliance.jar
out=$BENCH_DIR/results/metadata-$(date +%Y%m%d-%H%M%S).md
keep=0
profile=1
extra_leases=50000
niceness=-10
while (($#)); do
    case $1 in
        --quick) quick=1 ;;
        --servers) servers=${2:?--servers needs a list}; shift ;;
        --jar) jar=${2:?--jar needs a file}; shift ;;
        --out) out=${2:?--out needs a file}; shift ;;
        --nice) niceness=${2:?--nice needs a number}; shift ;;
        --leases) extra_leases=${2:?--leases needs a number}; shift ;;
        --no-profile) profile=0 ;;
        --keep) keep=1 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "metadata.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

if ((quick)); then
    run_seconds=5; cpu_seconds=5; warm_max_rounds=4; profile_seconds=5
else
    run_seconds=15; cpu_seconds=15; warm_max_rounds=10; profile_seconds=15
fi

fail() { echo "metadata.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# ---------------------------------------------------------------- preconditions

IFS=, read -r -a server_list <<<"$servers"
for s in "${server_list[@]}"; do
    [[ ,$ALL_SERVERS, == *",$s,"* ]] || fail "unknown server '$s' (expected some of: $ALL_SERVERS)"
done
measures() { [[ ,$servers, == *",$1,"* ]]; }
((EUID == 0)) || fail "must run as root (it creates network namespaces)"
(($(nproc --all) >= 2)) || fail "needs 2 CPUs (server on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU)"
for tool in ip ss taskset awk sort curl udhcpc java perfdhcp; do
    command -v "$tool" >/dev/null || fail "'$tool' not found (udhcpc is Debian's udhcpc package, perfdhcp is in kea-admin)"
done
command -v wrk >/dev/null || fail "'wrk' not found (Debian package wrk: apt-get install wrk)"
if measures nginx; then
    command -v nginx >/dev/null || fail "'nginx' not found (Debian package nginx-light)"
fi
if ((profile)); then
    command -v jcmd >/dev/null && command -v jfr >/dev/null || fail "jcmd and jfr (JDK) are needed for the profile; or pass --no-profile"
fi
[[ -f $jar ]] || fail "$jar is missing (build it with 'mvn -DskipTests package')"

# ---------------------------------------------------------------- namespaces and cleanup

work=$(mktemp -d /tmp/mbn-meta.XXXXXX)
# nginx's worker drops to an unprivileged user and must read the files under www/.
chmod 755 "$work"
server_pid=
wrk_pid=

# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
bench_pids() { echo $wrk_pid $server_pid; }
install_cleanup

make_namespaces vm0 "$VM_MAC" ""

in_srv() { ip netns exec "$NS_SRV" "$@"; }
in_cli() { ip netns exec "$NS_CLI" "$@"; }

# Servers and wrk each start in their own session (setsid), hence their own scheduler autogroup, which gets the
# niceness too (see bench/dhcp.sh: with autogroups on, niceness alone only orders processes within a group).
prioritize() {
    local pid=$1 tries=50
    [[ -e /proc/$pid/autogroup ]] || return 0
    until [[ $(awk '{ print $6 }' "/proc/$pid/stat" 2>/dev/null) == "$pid" ]]; do
        ((--tries > 0)) || return 0
        sleep 0.02
    done
    echo "$niceness" >"/proc/$pid/autogroup" 2>/dev/null || true
}

# ---------------------------------------------------------------- servers

render() { sed -e "s|@WORK@|$2|g" "$TEMPLATE_DIR/$1" >"$3"; }

# Starts server $1 in directory $2, pinned to SERVER_CPU; sets server_pid. The command is started directly, not
# through a shell function, so that `ip netns exec`, setsid, nice and taskset all exec and $! is the server's PID
# (for nginx, its master; the worker is its child).
start_server() {
    local name=$1 dir=$2 ready_pattern=
    mkdir -p "$dir"
    wait_server_port_free
    case $name in
        appliance)
            mkdir -p "$dir/state"
            render appliance.yaml.in "$dir" "$dir/appliance.yaml"
            # shellcheck disable=SC2086 # APPLIANCE_JAVA_OPTS is a list of JVM flags
            ip netns exec "$NS_SRV" setsid nice -n "$niceness" taskset -c "$SERVER_CPU" java ${APPLIANCE_JAVA_OPTS:-} -jar "$jar" \
                run --config "$dir/appliance.yaml" --state-dir "$dir/state" >"$dir/server.log" 2>&1 &
            ready_pattern='appliance ready'
            ;;
        nginx)
            mkdir -p "$dir/tmp"
            sed -e "s|@WORK@|$dir|g" -e "s|@WWW@|$work/www|g" -e "s|@CT_INSTANCE_ID@|${content_type[INSTANCE_ID]}|" \
                -e "s|@CT_USER_DATA@|${content_type[USER_DATA]}|" -e "s|@CT_META_DATA_JSON@|${content_type[META_DATA_JSON]}|" \
                "$TEMPLATE_DIR/nginx.conf.in" >"$dir/nginx.conf"
            in_srv nginx -t -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" >"$dir/check.out" 2>&1 \
                || { cat "$dir/check.out" >&2; fail "nginx rejected $dir/nginx.conf"; }
            ip netns exec "$NS_SRV" setsid nice -n "$niceness" taskset -c "$SERVER_CPU" nginx -p "$dir" -e "$dir/error.log" \
                -c "$dir/nginx.conf" >"$dir/server.log" 2>&1 &
            ;;
    esac
    server_pid=$!
    prioritize "$server_pid"
    sleep 0.2
    if kill -0 "$server_pid" 2>/dev/null && [[ $(cat "/proc/$server_pid/comm") != @(java|nginx) ]]; then
        fail "PID $server_pid is $(cat "/proc/$server_pid/comm"), not the server"
    fi
    local deadline=$((SECONDS + 60))
    until [[ -n $(server_port_listeners) ]] && { [[ -z $ready_pattern ]] || grep -q "$ready_pattern" "$dir/server.log"; }; do
        if ! kill -0 "$server_pid" 2>/dev/null || ((SECONDS >= deadline)); then
            log "$name did not come up; last lines of its output:"
            tail -n 20 "$dir"/server.log "$dir"/error.log >&2 2>/dev/null || true
            stop_server
            return 1
        fi
        sleep 0.1
    done
}

# The server's PID and its children's (nginx's worker).
server_pids() { echo "$server_pid" $(cat "/proc/$server_pid/task/"*/children 2>/dev/null); }

# utime + stime of the server and its children (all threads), in clock ticks.
cpu_ticks() {
    local pid sum=0
    for pid in $(server_pids); do
        sum=$((sum + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
    echo "$sum"
}

# Nanoseconds the server's threads (and its children's) spent runnable but waiting for a CPU.
run_delay_ns() {
    local pid
    for pid in $(server_pids); do cat "/proc/$pid/task/"*/schedstat 2>/dev/null; done | awk '{ s += $2 } END { printf "%.0f\n", s }'
}
now_ns() { date +%s%N; }

# ---------------------------------------------------------------- wrk and its output

# Runs wrk pinned to CLIENT_CPU with output to $1 and the remaining arguments before the URL path $2.
run_wrk() {
    local out=$1 path=$2; shift 2
    ip netns exec "$NS_CLI" setsid nice -n "$niceness" taskset -c "$CLIENT_CPU" wrk "$@" "http://$SERVER_ADDR$path" >"$out" 2>&1 &
    wrk_pid=$!
    prioritize "$wrk_pid"
    local rc=0
    wait "$wrk_pid" || rc=$?
    wrk_pid=
    ((rc == 0)) || { tail -n 20 "$out" >&2; fail "wrk exited with status $rc (output in $out)"; }
}

wrk_rps() { awk '/^Requests\/sec:/ { printf "%.0f\n", $2 }' "$1"; }
wrk_requests() { awk '/ requests in / { print $1; exit }' "$1"; }
# Failed requests: socket errors plus non-2xx/3xx responses.
wrk_errors() {
    awk '/Socket errors:/ { gsub(/,/, ""); s += $4 + $6 + $8 + $10 } /Non-2xx or 3xx responses:/ { s += $5 } END { print s + 0 }' "$1"
}
# Latency percentile $2 (e.g. 99%) from wrk --latency, in ms.
wrk_pct_ms() {
    awk -v p="$2" '$1 == p && NF == 2 {
        v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
        f = (unit == "us") ? 0.001 : (unit == "ms") ? 1 : (unit == "s") ? 1000 : (unit == "m") ? 60000 : -1
        if (f < 0) print "n/a"; else printf "%.2f\n", v * f; exit }' "$1"
}

# Runs a measured wrk run (arguments as run_wrk) and sets run_wait_pct: the share of the run's wall time the
# server spent waiting for a CPU. Returns 1 if the server died during the run.
measured_wrk() {
    local delay0 t0
    delay0=$(run_delay_ns); t0=$(now_ns)
    run_wrk "$@"
    if ! kill -0 "$server_pid" 2>/dev/null; then
        log "the server (PID $server_pid) died during the run; last lines of its output:"
        tail -n 20 "$work"/*/server.log >&2 || true
        server_pid=
        return 1
    fi
    run_wait_pct=$(awk -v d=$(($(run_delay_ns) - delay0)) -v t=$(($(now_ns) - t0)) 'BEGIN { printf "%.0f\n", 100 * d / t }')
}

saturation_args() { echo "-t $WRK_THREADS -c $WRK_CONNECTIONS -d ${1}s --latency"; }

# ---------------------------------------------------------------- phases

declare -A content_type rss_kib rps p99 p50 errors wait_pct cpu_per_k cpu_rate cpu_wait sat_cpu_per_k warm_rounds
jfr_summary=

# The JVM compiles its hot paths during the first seconds of traffic, so the appliance gets warm-up rounds over
# all three paths in turn until a round's requests/s (summed) is within 5 % of the one before, bounded by
# warm_max_rounds. nginx is native and gets one short round, which only fills the page cache.
warm_up() {
    local name=$1 dir=$2 round i total previous=0 rounds=$warm_max_rounds
    [[ $name == nginx ]] && rounds=1
    for ((round = 1; round <= rounds; round++)); do
        total=0
        for i in "${!PATHS[@]}"; do
            run_wrk "$dir/warmup-$round-$i.out" "${PATHS[$i]}" -t "$WRK_THREADS" -c "$WRK_CONNECTIONS" -d "${WARM_ROUND_SECONDS}s"
            total=$((total + $(wrk_rps "$dir/warmup-$round-$i.out")))
        done
        log "$name warm-up round $round: $total requests/s summed over the three paths"
        if ((previous > 0)) && awk -v a="$total" -v b="$previous" 'BEGIN { exit !(a <= b * 1.05 && a >= b * 0.95) }'; then
            warm_rounds[$name]="$round (last two: $previous, $total requests/s summed)"
            return 0
        fi
        previous=$total
    done
    local steadiness=
    [[ $name == appliance ]] && steadiness=" (not steady)"
    warm_rounds[$name]="$rounds$steadiness, last $total requests/s summed"
}

# Saturation: wrk with a fixed thread and connection count for run_seconds per path; also CPU per request there.
phase_saturation() {
    local name=$1 dir=$2 i key before after requests
    for i in "${!PATHS[@]}"; do
        key=$name:$i
        before=$(cpu_ticks)
        # shellcheck disable=SC2046 # the arguments are words
        measured_wrk "$dir/sat-$i.out" "${PATHS[$i]}" $(saturation_args "$run_seconds") || return 1
        after=$(cpu_ticks)
        requests=$(wrk_requests "$dir/sat-$i.out")
        rps[$key]=$(wrk_rps "$dir/sat-$i.out")
        p99[$key]=$(wrk_pct_ms "$dir/sat-$i.out" 99%)
        p50[$key]=$(wrk_pct_ms "$dir/sat-$i.out" 50%)
        errors[$key]=$(wrk_errors "$dir/sat-$i.out")
        wait_pct[$key]=$run_wait_pct
        sat_cpu_per_k[$key]=$(ms_per_k $((after - before)) "$requests")
        log "$name ${PATHS[$i]}: ${rps[$key]} requests/s, p50 ${p50[$key]} ms, p99 ${p99[$key]} ms, ${errors[$key]} errors, CPU ${sat_cpu_per_k[$key]} ms/1000 requests, server waited for CPU $run_wait_pct%"
    done
}

# CPU ms per 1000 requests for $1 clock ticks and $2 requests.
ms_per_k() {
    awk -v t="$1" -v hz="$(getconf CLK_TCK)" -v n="$2" 'BEGIN { if (n <= 0) print "n/a"; else printf "%.1f\n", t * 1000 / hz / n * 1000 }'
}

# Moderate load: CPU_CONNECTIONS connections each pausing CPU_DELAY_MS between requests (wrk's Lua delay()).
phase_cpu() {
    local name=$1 dir=$2 i key before after requests
    printf 'function delay() return %d end\n' "$CPU_DELAY_MS" >"$dir/delay.lua"
    for i in "${!PATHS[@]}"; do
        key=$name:$i
        before=$(cpu_ticks)
        measured_wrk "$dir/cpu-$i.out" "${PATHS[$i]}" -t 1 -c "$CPU_CONNECTIONS" -d "${cpu_seconds}s" -s "$dir/delay.lua" || return 1
        after=$(cpu_ticks)
        requests=$(wrk_requests "$dir/cpu-$i.out")
        cpu_rate[$key]=$(wrk_rps "$dir/cpu-$i.out")
        cpu_per_k[$key]=$(ms_per_k $((after - before)) "$requests")
        cpu_wait[$key]=$run_wait_pct
        log "$name ${PATHS[$i]} at ${cpu_rate[$key]} requests/s: ${cpu_per_k[$key]} ms CPU per 1000 requests ($((after - before)) ticks, $requests requests), server waited for CPU $run_wait_pct%"
    done
}

# Captures the body and content type the appliance served for each path as the VM; www/ then holds the files
# nginx serves.
capture() {
    local dir=$1 i
    for i in "${!PATHS[@]}"; do
        mkdir -p "$work/www$(dirname "${PATHS[$i]}")"
        in_cli curl -sS --fail -D "$dir/headers-$i.txt" -o "$work/www${PATHS[$i]}" "http://$SERVER_ADDR${PATHS[$i]}" \
            || fail "the appliance did not serve ${PATHS[$i]} to $VM_ADDR (see $dir/server.log)"
        content_type[${PATH_KEYS[$i]}]=$(awk -F': *' 'tolower($1) == "content-type" { sub(/\r$/, "", $2); print $2 }' "$dir/headers-$i.txt")
        [[ -n ${content_type[${PATH_KEYS[$i]}]} ]] || content_type[${PATH_KEYS[$i]}]=application/octet-stream
    done
    chmod -R a+rX "$work/www"
    grep -q "i-bench-vm-1" "$work/www/latest/meta-data/instance-id" || fail "instance-id is not the VM's: $(cat "$work/www/latest/meta-data/instance-id")"
    grep -q "bench-vm-1" "$work/www/latest/user-data" || fail "user-data was not rendered for the VM: $(head -c 300 "$work/www/latest/user-data")"
}

# Checks that nginx serves exactly the captured bytes.
verify_nginx() {
    local dir=$1 i
    for i in "${!PATHS[@]}"; do
        in_cli curl -sS --fail -o "$dir/check-$i" "http://$SERVER_ADDR${PATHS[$i]}" || fail "nginx did not serve ${PATHS[$i]}"
        cmp -s "$dir/check-$i" "$work/www${PATHS[$i]}" || fail "nginx served other bytes for ${PATHS[$i]}"
    done
}

# Takes the VM's lease with udhcpc in the client namespace.
take_lease() {
    local dir=$1
    in_cli timeout 30 udhcpc -i vm0 -f -q -n -t 5 -T 2 -s "$TEMPLATE_DIR/udhcpc.script" >"$dir/udhcpc.out" 2>&1 \
        || { cat "$dir/udhcpc.out" >&2; fail "udhcpc got no lease from the appliance"; }
    local got
    got=$(in_cli ip -4 -o addr show dev vm0 | awk '{ sub(/\/.*/, "", $4); print $4; exit }')
    [[ $got == "$VM_ADDR" ]] || fail "the VM got address '$got', expected its record's $VM_ADDR"
    log "VM $VM_MAC leased $got"
}

# Fills the lease table with $extra_leases more clients (bench/lib.sh), relayed from the VM's own address, so that
# metadata is measured with a realistic lease table and the resident memory with it can be read.
fill_leases() {
    ((extra_leases > 0)) || return 0
    fill_lease_table "$1" "$VM_ADDR" $((extra_leases + 1))
    # The VM's own lease is one of them.
    filled=$((filled - 1))
}

# Resident memory of the server and its children, in KiB.
server_rss_kib() {
    local pid sum=0
    for pid in $(server_pids); do
        sum=$((sum + $(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)))
    done
    echo "$sum"
}

# A JFR recording of the appliance while wrk loads /latest/user-data, summarised by top frames.
profile_appliance() {
    local dir=$1
    in_srv jcmd "$server_pid" JFR.start name=mbench settings=profile filename="$dir/appliance.jfr" >"$dir/jfr-start.out" 2>&1 \
        || { log "JFR did not start: $(cat "$dir/jfr-start.out")"; return 0; }
    # shellcheck disable=SC2046
    run_wrk "$dir/profile.out" /latest/user-data $(saturation_args "$profile_seconds")
    in_srv jcmd "$server_pid" JFR.stop name=mbench >"$dir/jfr-stop.out" 2>&1 || { log "JFR did not stop: $(cat "$dir/jfr-stop.out")"; return 0; }
    jfr_summary=$(jfr_summarize "$dir/appliance.jfr")
    log "JFR: $(awk -F'\t' '$1 == "samples" { print $2 }' <<<"$jfr_summary") execution samples"
}

# ---------------------------------------------------------------- run

started=$(date '+%Y-%m-%d %H:%M:%S %Z')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
skipped=()

log "=== appliance"
adir=$work/appliance
start_server appliance "$adir" || fail "the appliance did not start"
take_lease "$adir"
capture "$adir"
filled=0
fill_leases "$adir"
warm_up appliance "$adir"
if measures appliance; then
    if ! { phase_saturation appliance "$adir" && phase_cpu appliance "$adir"; }; then
        skipped+=("appliance: its server died (see the log above); figures shown are partial")
    elif ((profile)); then
        profile_appliance "$adir"
    fi
fi
rss_kib[appliance]=$(server_rss_kib)
stop_server

if measures nginx; then
    log "=== nginx"
    ndir=$work/nginx
    start_server nginx "$ndir" || fail "nginx did not start"
    verify_nginx "$ndir"
    warm_up nginx "$ndir"
    phase_saturation nginx "$ndir" && phase_cpu nginx "$ndir" || skipped+=("nginx: its server died; figures shown are partial")
    rss_kib[nginx]=$(server_rss_kib)
    stop_server
fi

# ---------------------------------------------------------------- report

ratio() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b == 0) print "n/a"; else printf "%.2f\n", a / b }'; }

versions() {
    echo "- wrk: $(wrk -v 2>&1 | head -n 1 | sed 's/ Copyright.*//')"
    echo "- nginx: $(nginx -v 2>&1 | head -n 1)"
    echo "- appliance: $(basename "$jar") sha256 $(sha256sum "$jar" | cut -c1-12), $(java -version 2>&1 | head -n 1)"
    echo "- host: $(uname -sr), $(nproc --all) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo))"
    echo "- load average (1, 5, 15 min) before the run: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

{
    echo "# Metadata benchmark, $started"
    echo
    echo "Command: \`bench/metadata.sh${ARGS:+ $ARGS}\` ($( ((quick)) && echo quick || echo full) phases). Servers on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU, both at nice $niceness."
    echo
    versions
    echo
    echo "Saturation: \`wrk $(saturation_args "$run_seconds") http://$SERVER_ADDR<path>\` from the VM ($VM_ADDR, MAC $VM_MAC, leased from the appliance with udhcpc)."
    echo "CPU at moderate load: \`wrk -t 1 -c $CPU_CONNECTIONS -d ${cpu_seconds}s -s delay.lua\` with a ${CPU_DELAY_MS} ms pause before each request on each connection (not a fixed rate: wrk2 is not in Debian; the achieved rate is shown)."
    echo
    echo "| path | server | requests/s | p50 ms | p99 ms | errors | server CPU ms / 1000 requests at saturation | requests/s at moderate load | server CPU ms / 1000 requests there | server waited for CPU % (saturation, moderate) |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    for i in "${!PATHS[@]}"; do
        for name in "${server_list[@]}"; do
            key=$name:$i
            [[ -n ${rps[$key]:-} ]] || continue
            echo "| \`${PATHS[$i]}\` | $name | ${rps[$key]} | ${p50[$key]} | ${p99[$key]} | ${errors[$key]} | ${sat_cpu_per_k[$key]} | ${cpu_rate[$key]:-n/a} | ${cpu_per_k[$key]:-n/a} | ${wait_pct[$key]}, ${cpu_wait[$key]:-n/a} |"
        done
    done
    echo
    if [[ -n ${rps[appliance:0]:-} && -n ${rps[nginx:0]:-} ]]; then
        echo "Ratios appliance / nginx (requests/s: higher is better for the appliance; p99 and CPU: lower is better):"
        echo
        echo "| path | requests/s | p99 | CPU per request at saturation | CPU per request at moderate load |"
        echo "|---|---|---|---|---|"
        for i in "${!PATHS[@]}"; do
            echo "| \`${PATHS[$i]}\` | $(ratio "${rps[appliance:$i]:-}" "${rps[nginx:$i]:-}") | $(ratio "${p99[appliance:$i]:-}" "${p99[nginx:$i]:-}") | $(ratio "${sat_cpu_per_k[appliance:$i]:-}" "${sat_cpu_per_k[nginx:$i]:-}") | $(ratio "${cpu_per_k[appliance:$i]:-}" "${cpu_per_k[nginx:$i]:-}") |"
        done
        echo
    fi
    echo "Resident memory at the end of the runs (VmRSS, server and children): appliance $((${rss_kib[appliance]:-0} / 1024)) MiB with $((filled + 1)) leases (the VM's and ${filled} filled by perfdhcp, target ≤ 256 MiB with 50000)${rss_kib[nginx]:+, nginx $((rss_kib[nginx] / 1024)) MiB}."
    echo
    echo "Bytes served (captured from the appliance, served as static files by nginx):"
    echo
    for i in "${!PATHS[@]}"; do
        echo "- \`${PATHS[$i]}\`: $(stat -c %s "$work/www${PATHS[$i]}") bytes, \`${content_type[${PATH_KEYS[$i]}]}\`"
    done
    echo
    if [[ -n $jfr_summary ]]; then
        echo "JFR profile of the appliance (settings=profile) during ${profile_seconds} s of saturation on \`/latest/user-data\`, $(awk -F'\t' '$1 == "samples" { print $2 }' <<<"$jfr_summary") execution samples (Java threads only; native and kernel time is not sampled)."
        echo
        echo "Top leaf frames:"
        echo
        echo "| samples | % | frame |"
        echo "|---|---|---|"
        jfr_rows "$jfr_summary" leaf 15
        echo
        echo "Innermost project frame (\`lab.*\`) of each sample:"
        echo
        echo "| samples | % | frame |"
        echo "|---|---|---|"
        jfr_rows "$jfr_summary" lab 12
        echo
        echo "Project methods by share of samples they are on the stack of (inclusive):"
        echo
        echo "| samples | % | frame |"
        echo "|---|---|---|"
        jfr_rows "$jfr_summary" incl 12
        echo
        echo "Samples by thread:"
        echo
        echo "| samples | % | thread |"
        echo "|---|---|---|"
        jfr_rows "$jfr_summary" thread 8
        echo
    fi
    echo "Notes:"
    echo "- Warm-up before measuring (wrk rounds of ${WARM_ROUND_SECONDS} s over the three paths until the summed requests/s is within 5 % of the round before): appliance ${warm_rounds[appliance]:-n/a}; nginx ${warm_rounds[nginx]:-n/a}."
    echo "- CPU = utime+stime of the server PID and its children (nginx's worker) across each run. 'server waited for CPU %': schedstat run delay of the server's threads / wall time; above a few % means other work on the machine (or, for the JVM, its own other threads) held the server back."
    echo "- errors = wrk socket errors plus non-2xx/3xx responses."
    for s in "${skipped[@]}"; do echo "- Not measured: $s"; done
} >"$work/report.md"

mkdir -p "$(dirname "$out")"
cp "$work/report.md" "$out"
cat "$work/report.md"
echo
echo "Results written to $out"
