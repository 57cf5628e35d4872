#!/usr/bin/env bash
# Crash-storm soak: perfdhcp storms the appliance while it is killed with SIGKILL at seeded random moments (every
# third one aimed at a journal compaction); after each restart on the same state directory, every lease a captured
# DHCPACK promised since the first storm must be in the lease table (admin API) and in the journal, and no address
# may be held twice. The longer sibling of reliability/src/test/java/lab/reliability/CrashStormIT.java, with more
# kills at a higher rate; writes bench/results/reliability-crash-storm-<timestamp>.md.
#
# Topology (nothing on the host): namespace crsh-srv-PID holds lab0 10.20.0.1/16 and the appliance; namespace
# crsh-cli-PID holds pd0 10.20.0.2/16, perfdhcp (a relay: source port 67, giaddr 10.20.0.2) and tcpdump, which
# captures every reply. Both namespaces are deleted on exit, whatever happens.
set -Eeuo pipefail

readonly BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly REPO_DIR=$(dirname "$BENCH_DIR")
readonly ARGS="$*"

readonly SERVER_ADDR=10.20.0.1
readonly CLIENT_ADDR=10.20.0.2
readonly NS_SRV=crsh-srv-$$
readonly NS_CLI=crsh-cli-$$
readonly SERVER_PORT=udp/67
readonly ADMIN_URL=http://127.0.0.1:8807
# 10.20.1.1-10.20.255.254: the storms' MACs must fit, or clients left without an address would prove nothing.
readonly POOL_SIZE=65024
readonly FIRST_MAC=$((0x020000000000))
# Each storm's MACs start this far past the last one's, so the later MACs of a storm come back in the next one and
# ask for leases that survived the crash in between.
readonly MAC_STEP=600
readonly COMPACTION_EVERY=3
# The config compacts every second, so a compaction begins well within this.
readonly COMPACTION_WAIT_MS=3000
readonly START_TIMEOUT=60
readonly COMPACT_NAME=leases.journal.compact

usage() {
    cat <<EOF
Usage: bench/reliability/crash-storm.sh [--kills N] [--rate R] [--seed S] [--earliest MS] [--latest MS]
                                        [--max-minutes M] [--jar FILE] [--out FILE] [--keep]

Storms the appliance with perfdhcp inside private network namespaces and kills it with SIGKILL N times, at a
random delay after each storm starts; every ${COMPACTION_EVERY}rd kill then waits for a journal compaction to begin. After each
restart it checks every lease ACKed so far against the admin API's table and the journal. Must run as root.

  --kills N        kills (default 50)
  --rate R         DORA exchanges per second perfdhcp offers (default 4000)
  --seed S         seed of the kill moments (default: random; printed, and in the report)
  --earliest MS    shortest delay from a storm's start to its kill (default 300)
  --latest MS      longest delay (default 2500)
  --max-minutes M  stop after the kill in progress once this much time has passed (default 30)
  --jar FILE       appliance jar (default: appliance/target/appliance.jar)
  --out FILE       Markdown report (default: bench/results/reliability-crash-storm-<timestamp>.md)
  --keep           keep the work directory (state, logs, captures) and print its path
EOF
}

kills=50
rate=4000
seed=$((RANDOM * 32768 + RANDOM))
earliest_ms=300
latest_ms=2500
max_minutes=30
jar=$REPO_DIR/appliance/target/appliance.jar
stamp=$(date +%Y%m%d-%H%M%S)
out=$BENCH_DIR/results/reliability-crash-storm-$stamp.md
keep=0
while (($#)); do
    case $1 in
        --kills) kills=${2:?--kills needs a number}; shift ;;
        --rate) rate=${2:?--rate needs a number}; shift ;;
        --seed) seed=${2:?--seed needs a number}; shift ;;
        --earliest) earliest_ms=${2:?--earliest needs milliseconds}; shift ;;
        --latest) latest_ms=${2:?--latest needs milliseconds}; shift ;;
        --max-minutes) max_minutes=${2:?--max-minutes needs a number}; shift ;;
        --jar) jar=${2:?--jar needs a file}; shift ;;
        --out) out=${2:?--out needs a file}; shift ;;
        --keep) keep=1 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "crash-storm.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

fail() { echo "crash-storm.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# ---------------------------------------------------------------- preconditions

for number in "$kills" "$rate" "$seed" "$earliest_ms" "$latest_ms" "$max_minutes"; do
    [[ $number =~ ^[0-9]+$ ]] || fail "'$number' is not a whole number"
done
((kills >= 1 && rate >= 1 && latest_ms >= earliest_ms)) || fail "need --kills >= 1, --rate >= 1, --latest >= --earliest"
((EUID == 0)) || fail "must run as root (it creates network namespaces)"
declare -A package_of=([perfdhcp]=kea-admin [tcpdump]=tcpdump [tshark]=tshark [jq]=jq [curl]=curl [java]=openjdk-17-jre-headless [ip]=iproute2 [ss]=iproute2)
for tool in "${!package_of[@]}"; do
    command -v "$tool" >/dev/null || fail "'$tool' not found (Debian package ${package_of[$tool]}; scripts/install-deps.sh installs it)"
done
[[ -f $jar ]] || fail "appliance jar not found at $jar (build it: mvn -B -DskipTests package)"
# Named in the report: a jar left over from another build (an experiment's) would otherwise go unnoticed.
jar_sha=$(sha256sum "$jar" | cut -d' ' -f1)
jar_built=$(date -u -r "$jar" +%Y-%m-%dT%H:%MZ)
# perfdhcp's own limit on each storm; the kill always comes first.
readonly STORM_SECONDS=$(((latest_ms + COMPACTION_WAIT_MS) / 1000 + 3))
readonly CLIENTS_PER_STORM=$((rate * STORM_SECONDS))
((kills * MAC_STEP + CLIENTS_PER_STORM < POOL_SIZE)) \
    || fail "$kills kills x $MAC_STEP MACs + $CLIENTS_PER_STORM per storm do not fit the pool of $POOL_SIZE addresses; fewer kills or a lower rate"

# ---------------------------------------------------------------- namespaces, processes and cleanup

work=$(mktemp -d /tmp/crsh.XXXXXX)
state=$work/state
server_pid=
perfdhcp_pid=
tcpdump_pid=

# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
bench_pids() { echo $perfdhcp_pid $tcpdump_pid $server_pid; }
install_cleanup
make_namespaces pd0 "" "$CLIENT_ADDR"
mkdir -p "$state"

cat >"$work/appliance.yaml" <<EOF
# A pool of $POOL_SIZE addresses and a journal compaction every second, so kills can be aimed at one mid-storm.
network:
  interface: lab0
  address: $SERVER_ADDR/16
dhcp:
  pools:
    - 10.20.1.1-10.20.255.254
  lease-time: 1h
  # perfdhcp's MACs are all strangers: no rate limit, so the storm reaches the journal at full speed.
  unknown-clients: {rate-limit: 0}
  journal:
    compact-every: 1s
metadata: {link-local: false, password-server: false}
admin:
  listen: ${ADMIN_URL#http://}
state-dir: $state
EOF

# A short wait without forking: read(1) with a timeout on a FIFO nobody writes to.
mkfifo "$work/idle.fifo"
exec {idle_fd}<>"$work/idle.fifo"
pause() { read -r -t "$1" -u "$idle_fd" _ || true; }
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }

# Starts the appliance on $state with its output to $1; sets server_pid. Fails with its log if it does not print its
# ready line within START_TIMEOUT s. Started directly so that $! is the JVM itself (ip netns exec execs it).
start_appliance() {
    local log_file=$1 deadline=$((SECONDS + START_TIMEOUT))
    wait_server_port_free
    ip netns exec "$NS_SRV" java ${APPLIANCE_JAVA_OPTS:-} -jar "$jar" run --config "$work/appliance.yaml" \
        --state-dir "$state" >"$log_file" 2>&1 &
    server_pid=$!
    until grep -q 'appliance ready' "$log_file"; do
        if ! kill -0 "$server_pid" 2>/dev/null || ((SECONDS >= deadline)); then
            tail -n 30 "$log_file" >&2
            fail "the appliance did not start on $state (log above, in $log_file)"
        fi
        pause 0.1
    done
}

# tcpdump in the client namespace, writing every reply from the server to $1 (immediate mode: a SIGTERM then loses
# nothing the kernel still holds in a ring-buffer block); sets tcpdump_pid once it is listening.
start_capture() {
    local pcap=$1 deadline=$((SECONDS + 15))
    ip netns exec "$NS_CLI" tcpdump -i pd0 -n --immediate-mode -U -B 16384 -s 0 -Z root -w "$pcap" \
        "udp and src host $SERVER_ADDR and src port 67" 2>"$pcap.tcpdump" &
    tcpdump_pid=$!
    until grep -q 'listening on' "$pcap.tcpdump"; do
        kill -0 "$tcpdump_pid" 2>/dev/null && ((SECONDS < deadline)) || { cat "$pcap.tcpdump" >&2; fail "tcpdump did not start"; }
        pause 0.02
    done
}

# Once the server is dead: waits until the capture $1 has not grown for 0.3 s (at most 10 s), stops tcpdump and
# sets captured_missed to the packets that matched its filter but never reached the file.
stop_capture() {
    local pcap=$1 size=-1 now quiet_since deadline
    quiet_since=$(now_ms); deadline=$((quiet_since + 10000))
    while (($(now_ms) - quiet_since < 300 && $(now_ms) < deadline)); do
        now=$(stat -c %s "$pcap" 2>/dev/null || echo 0)
        if ((now != size)); then size=$now; quiet_since=$(now_ms); fi
        pause 0.05
    done
    stop_pid "$tcpdump_pid"
    tcpdump_pid=
    local received captured
    received=$(awk '/packets? received by filter/ { print $1 }' "$pcap.tcpdump")
    captured=$(awk '/packets? captured/ { print $1 }' "$pcap.tcpdump")
    [[ -n $received && -n $captured ]] || fail "tcpdump printed no packet counts ($pcap.tcpdump)"
    captured_missed=$((received - captured))
}

# The DHCPACKs in capture $1 as "mac<TAB>ip" lines, read by tshark's DHCP dissector.
acks_of() {
    tshark -r "$1" -n -Y 'dhcp.option.dhcp == 5' -T fields -E separator=/t -e dhcp.hw.mac_addr -e dhcp.ip.your 2>"$1.tshark"
}

# The admin API's lease table as "ip<TAB>mac<TAB>STATE" lines.
table_from_api() {
    ip netns exec "$NS_SRV" curl -sS -m 60 -H "Authorization: Bearer $(cat "$state/admin.token")" "$ADMIN_URL/api/v1/leases" |
        jq -r '.[] | [.ip, .mac, (.state | ascii_upcase)] | @tsv'
}

# The journal's last line per address as "ip<TAB>mac<TAB>STATE" lines (later lines win, as the appliance replays it).
table_from_journal() {
    jq -r 'select(.ip != null) | [.ip, .mac, .state] | @tsv' "$state/leases.journal" |
        awk -F'\t' '{ if (!($1 in last)) order[++n] = $1; last[$1] = $0 } END { for (i = 1; i <= n; i++) print last[order[i]] }'
}

# Audits table $2 (ip mac state) against ledger $1 (mac ip, every ACK so far): prints "acked found lost dup sample",
# where a lost lease is one ACKed and not held ACTIVE by its MAC, and a duplicate address is held ACTIVE twice or was
# ACKed to two MACs.
audit() {
    awk -F'\t' '
        FNR == NR { if ($3 == "ACTIVE") { holders[$1]++; held[$1 SUBSEP $2] = 1 } next }
        {
            pair = $1 SUBSEP $2
            if (pair in seen) next
            seen[pair] = 1; acked++; macs[$2]++
            if ((($2 SUBSEP $1) in held)) found++
            else { lost++; if (lost <= 5) sample = sample " " $1 "@" $2 }
        }
        END {
            for (ip in holders) if (holders[ip] > 1) dup[ip] = 1
            for (ip in macs) if (macs[ip] > 1) dup[ip] = 1
            d = 0; for (ip in dup) { d++; if (d <= 5) sample = sample " dup:" ip }
            printf "%d %d %d %d%s\n", acked, found, lost + 0, d, sample
        }' "$2" "$1"
}

# "a" when both readings agree, else "a/b" (admin API / journal).
both() { if [[ $1 == "$2" ]]; then echo "$1"; else echo "$1/$2"; fi; }

# ---------------------------------------------------------------- the storm

# Reproducible moments: bash's RANDOM is seeded, and nothing else draws from it from here on.
RANDOM=$seed
declare -a delays
for ((k = 1; k <= kills; k++)); do
    delays[k]=$((earliest_ms + (RANDOM * 32768 + RANDOM) % (latest_ms - earliest_ms + 1)))
done

log "crash storm: $kills kills at $rate DORA/s, delays ${earliest_ms}-${latest_ms} ms, every ${COMPACTION_EVERY}rd kill waits for a compaction, seed $seed"
ledger=$work/ledger.tsv
: >"$ledger"
rows=()
failures=0
loss_restarts=0
compaction_hits=0
total_missed=0
ran=0
started=$SECONDS
start_appliance "$work/appliance-0.log"

for ((k = 1; k <= kills; k++)); do
    if ((SECONDS - started >= max_minutes * 60)); then
        log "stopping after $ran kills: --max-minutes $max_minutes reached"
        break
    fi
    dir=$work/kill-$k
    mkdir -p "$dir"
    aim=random
    # Every third kill, and the last one if none has landed inside a compaction yet, waits for one.
    if ((k % COMPACTION_EVERY == 0 || (k == kills && compaction_hits == 0))); then
        aim=compaction
    fi
    start_capture "$dir/acks.pcap"
    mac_base=$(printf '%012x' $((FIRST_MAC + (k - 1) * MAC_STEP)) | sed 's/../&:/g; s/:$//')
    ip netns exec "$NS_CLI" perfdhcp -4 -g single -l "$CLIENT_ADDR" -b "mac=$mac_base" -R "$CLIENTS_PER_STORM" \
        -r "$rate" -p "$STORM_SECONDS" -W 100000 "$SERVER_ADDR" >"$dir/perfdhcp.out" 2>&1 &
    perfdhcp_pid=$!
    storm_start=$(now_ms)
    pause "$(awk -v ms="${delays[k]}" 'BEGIN { printf "%.3f", ms / 1000 }')"
    saw=
    if [[ $aim == compaction ]]; then
        until [[ -e $state/$COMPACT_NAME ]] || (($(now_ms) - storm_start >= delays[k] + COMPACTION_WAIT_MS)); do
            pause 0.0002
        done
        if [[ -e $state/$COMPACT_NAME ]]; then saw=1; fi
    fi
    kill -0 "$server_pid" 2>/dev/null || { tail -n 30 "$work/appliance-$((k - 1)).log" >&2; fail "the appliance died on its own before kill $k"; }
    kill -KILL "$server_pid"
    landed=$(($(now_ms) - storm_start))
    status=0
    # bash reports a job killed by a signal on stderr; this SIGKILL is the point, not news.
    { wait "$server_pid" || status=$?; } 2>/dev/null
    server_pid=
    # The state as the crash left it, before the restart repairs anything: evidence when a lease is missing.
    cp "$state/leases.journal" "$dir/leases.journal.at-kill"
    compact_at_kill=no
    if [[ -e $state/$COMPACT_NAME ]]; then
        compact_at_kill="yes $(stat -c %s "$state/$COMPACT_NAME") B"
        compaction_hits=$((compaction_hits + 1))
    fi
    stop_pid "$perfdhcp_pid"
    perfdhcp_pid=
    stop_capture "$dir/acks.pcap"
    total_missed=$((total_missed + captured_missed))
    acks_of "$dir/acks.pcap" >"$dir/acks.tsv" || fail "tshark could not read $dir/acks.pcap: $(cat "$dir/acks.pcap.tshark")"
    cat "$dir/acks.tsv" >>"$ledger"
    acks=$(wc -l <"$dir/acks.tsv")

    start_appliance "$work/appliance-$k.log"
    opened=$(grep -m1 'lease journal opened' "$work/appliance-$k.log")
    loaded=$(sed -n 's/.* records=\([0-9]*\) .*/\1/p' <<<"$opened")
    skipped=$(sed -n 's/.* skipped=\([0-9]*\).*/\1/p' <<<"$opened")
    torn=no
    if grep -q 'lease journal ends in a partial line' "$work/appliance-$k.log"; then torn=yes; fi
    discarded=no
    if grep -q 'unfinished lease journal compaction discarded' "$work/appliance-$k.log"; then discarded=yes; fi
    table_from_api >"$dir/table-api.tsv"
    table_from_journal >"$dir/table-journal.tsv"
    read -r acked found lost dup api_sample <<<"$(audit "$ledger" "$dir/table-api.tsv")"
    read -r _ j_found j_lost j_dup journal_sample <<<"$(audit "$ledger" "$dir/table-journal.tsv")"
    verdict=ok
    if ((lost + dup + j_lost + j_dup + skipped != 0 || status != 137)) || [[ $discarded != "${compact_at_kill%% *}" ]]; then
        verdict="FAIL${api_sample:+ api:$api_sample}${journal_sample:+ journal:$journal_sample}"
        if ((status != 137)); then verdict="$verdict exit=$status"; fi
        if [[ $discarded != "${compact_at_kill%% *}" ]]; then
            verdict="$verdict compaction-file-at-kill=${compact_at_kill%% *}/discarded=$discarded"
        fi
        failures=$((failures + 1))
    fi
    if ((lost + j_lost > 0)); then loss_restarts=$((loss_restarts + 1)); fi
    if [[ $aim == compaction && -z $saw ]]; then aim="compaction (none began)"; fi
    row="| $k | ${delays[k]} | $landed | $aim | $compact_at_kill | $acks | $captured_missed | $acked | $(both "$found" "$j_found") | $(both "$lost" "$j_lost") | $(both "$dup" "$j_dup") | $loaded | $skipped | $torn | $verdict |"
    rows+=("$row")
    ran=$k
    log "kill $k: ${landed} ms ($aim), compaction file at kill: $compact_at_kill, acks $acks, acked so far $acked, found $found/$j_found, lost $lost/$j_lost, dup $dup/$j_dup, loaded $loaded, $verdict"
done
elapsed=$((SECONDS - started))
distinct=$(sort -u "$ledger" | wc -l)
((compaction_hits > 0)) || failures=$((failures + 1))

# ---------------------------------------------------------------- report

{
    echo "# Crash storm (SIGKILL during a perfdhcp storm), $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "Command: \`bench/reliability/crash-storm.sh${ARGS:+ $ARGS}\` on $(nproc) CPUs; $(uname -r); $(java -version 2>&1 | head -n 1);"
    echo "perfdhcp $(perfdhcp -v 2>&1 | awk '/VERSION/ { print $2; exit }'), tcpdump $(tcpdump --version 2>&1 | awk 'NR == 1 { print $3 }'), tshark $(tshark --version 2>/dev/null | awk 'NR == 1 { print $3 }')."
    echo "Jar: \`$jar\` (sha256 ${jar_sha:0:12}, built $jar_built)."
    echo "Seed $seed: $ran kills (of $kills asked) in ${elapsed} s, delays ${earliest_ms}-${latest_ms} ms after each storm's start, every ${COMPACTION_EVERY}rd kill"
    echo "then waiting for a journal compaction (\`dhcp.journal.compact-every: 1s\`); perfdhcp at $rate DORA/s as a relay, each storm's"
    echo "MACs starting $MAC_STEP past the last one's."
    echo
    echo "| figure | value |"
    echo "|---|---|"
    echo "| kills | $ran |"
    echo "| kills that landed inside a compaction (compaction file there after death) | $compaction_hits |"
    echo "| distinct leases ACKed (MAC, address) | $distinct |"
    echo "| restarts after which an ACKed lease was missing | $loss_restarts |"
    echo "| packets the capture missed | $total_missed |"
    echo "| result | $([[ $failures == 0 ]] && echo "PASS: no ACKed lease lost, no address twice, every journal loaded" || echo "FAIL: $failures problems, see the table") |"
    echo
    echo "Per kill: *landed* = ms from the storm's start to the SIGKILL; *acks* = DHCPACKs captured in this storm; *missed* = packets"
    echo "that matched the capture filter but never reached the file; *acked* = distinct (MAC, address) pairs ACKed since the"
    echo "first storm; *found*, *lost*, *dup* = those pairs held ACTIVE by their MAC after the restart, those not, and addresses"
    echo "held twice or ACKed to two MACs, by the admin API (and by the journal's last line per address, after a / when it"
    echo "differs); *loaded* and *skip* = records replayed and damaged lines skipped at the restart; *torn* = the journal"
    echo "ended in a partial line, which was cut off."
    echo
    echo "| kill | delay ms | landed ms | aimed at | compaction file at kill | acks | missed | acked | found | lost | dup | loaded | skip | torn | verdict |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    ((compaction_hits > 0)) || { echo; echo "FAIL: no kill landed inside a journal compaction."; }
} >"$work/report.md"

mkdir -p "$(dirname "$out")"
cp "$work/report.md" "$out"
cat "$work/report.md"
echo
echo "Results written to $out"
((failures == 0))
