#!/usr/bin/env bash
# tests/bench.sh (make bench): Cairn side by side with Debian's redis-server.
#
# Method (../shared/benchmarking.md): both servers pinned to core 0, the client
# to core 1; the two are run alternately (A B, B A, ...) for ROUNDS rounds and
# each line reports medians, with the ratio taken per round and then the median.
# Unpipelined runs are client-bound, so they also report the server's CPU time
# per request (from /proc/PID/task/*/schedstat). Memory per key is RSS growth
# after loading exactly N keys with redis-cli --pipe.
set -u
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
CLIENTS=${CLIENTS:-50}
N_P1=${N_P1:-200000}
N_P16=${N_P16:-1000000}
KEYS=${KEYS:-1000000}
TESTS=${TESTS:-set get incr mset hset sadd lpush lpop zadd lrange_100}
SECTIONS=${SECTIONS:-throughput messaging eviction memory persistence}
CAIRN=${CAIRN:-$PWD/src/cairn-server}
REDIS=${REDIS:-/usr/sbin/redis-server}
[ -x "$REDIS" ] || REDIS=$(command -v redis-server)
dir=$(mktemp -d)
CORE_SERVER=0
CORE_CLIENT=1
[ "$(nproc)" -lt 2 ] && CORE_CLIENT=0
ulimit -n 10240 2>/dev/null
want() { case " $SECTIONS " in *" $1 "*) return 0 ;; esac; return 1; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$dir"; }
trap cleanup EXIT

start() { # name binary port [extra args] -> pid in $started
    local name=$1 bin=$2 port=$3
    shift 3
    mkdir -p "$dir/$name"
    (cd "$dir/$name" && exec taskset -c $CORE_SERVER "$bin" --port "$port" --bind 127.0.0.1 "$@" \
        >"$dir/$name.log" 2>&1) &
    started=$!
    pids+=("$started")
    for _ in $(seq 1 200); do
        redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && return 0
        sleep 0.05
    done
    echo "$name did not start:"; cat "$dir/$name.log"; exit 1
}

cpu_ns() { # pid: nanoseconds on CPU, all threads
    cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%.0f", s}'
}
rss_bytes() { awk '/^VmRSS:/ {print $2 * 1024}' /proc/"$1"/status; }

# Persistence off on both sides outside the persistence section: Cairn's default save
# rules would fork a BGSAVE in the middle of a run, and a SIGTERM would save, so the
# next start in the same directory would load the previous dataset.
PORT_C=$((21000 + RANDOM % 20000))
PORT_R=$((PORT_C + 1))
start cairn "$CAIRN" $PORT_C --save "" --appendonly no; PID_C=$started
start redis "$REDIS" $PORT_R --save "" --appendonly no; PID_R=$started

# One redis-benchmark run; prints "rps p50 p99 cpu_us_per_req".
run_one() { # port pid test pipeline n
    local before after out
    before=$(cpu_ns "$2")
    out=$(timeout 300 taskset -c $CORE_CLIENT redis-benchmark -p "$1" -c $CLIENTS -n "$5" \
        -r 1000000 -P "$4" -t "$3" ${BENCH_ARGS:-} --csv 2>/dev/null | tail -n 1)
    after=$(cpu_ns "$2")
    echo "$out" | tr -d '"' | awk -F, -v cpu=$((after - before)) -v n="$5" \
        '{printf "%s %s %s %.3f\n", $2, $5, $7, cpu / n / 1000}'
}

# The same for a custom command: port pid pipeline n command args...
run_one_cmd() {
    local port=$1 pid=$2 pipe=$3 n=$4 before after out
    shift 4
    before=$(cpu_ns "$pid")
    out=$(timeout 300 taskset -c $CORE_CLIENT redis-benchmark -p "$port" -c $CLIENTS -n "$n" \
        -P "$pipe" --csv "$@" 2>/dev/null | tail -n 1)
    after=$(cpu_ns "$pid")
    echo "$out" | tr -d '"' | awk -F, -v cpu=$((after - before)) -v n="$n" \
        '{printf "%s %s %s %.3f\n", $2, $5, $7, cpu / n / 1000}'
}

median() { sort -g | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else printf "%.4f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# A test runs only when Cairn has its command (lrange_100 needs lrange and lpush).
supported() { # test name
    local cmd=${1%%_*}
    redis-cli -p $PORT_C command info "$cmd" | grep -q .
}

# ROUNDS interleaved rounds (A B, B A, ...) of the server on port/pid against Redis
# (REF_PORT/REF_PID if set, else the shared one): each round runs "runner PORT PID
# args..." on both, which prints "rps p50 p99 us".
# The rounds go to $dir/c and $dir/r, the per-round ratios (rps, and CPU per request
# Redis/server) to $dir/ratio and $dir/cpuratio; col FILE K is column K's median.
interleave() { # port pid runner [args...]
    local port=$1 pid=$2 rport=${REF_PORT:-$PORT_R} rpid=${REF_PID:-$PID_R} c r
    shift 2
    : >"$dir/c"; : >"$dir/r"; : >"$dir/ratio"; : >"$dir/cpuratio"
    for round in $(seq 1 $ROUNDS); do
        if [ $((round % 2)) = 1 ]; then
            c=$("$1" $port $pid "${@:2}"); r=$("$1" $rport $rpid "${@:2}")
        else
            r=$("$1" $rport $rpid "${@:2}"); c=$("$1" $port $pid "${@:2}")
        fi
        echo "$c" >>"$dir/c"; echo "$r" >>"$dir/r"
        echo "$c $r" | awk '{ if ($5 > 0) printf "%.4f\n", $1 / $5; else print 0 }' >>"$dir/ratio"
        echo "$c $r" | awk '{ if ($4 > 0) printf "%.4f\n", $8 / $4; else print 0 }' >>"$dir/cpuratio"
    done
}
col() { awk -v k="$2" '{print $k}' "$dir/$1" | median; }

# A row of the throughput table: the server on port/pid against Redis.
throughput_row() { # label port pid test pipeline n
    interleave "$2" "$3" run_one "$4" "$5" "$6"
    printf '| %-16s | %11.0f | %11.0f | %6.2f | %9.3f | %9.3f | %9.3f | %9.3f | %8.2f | %8.2f | %6.2f |\n' \
        "$1" "$(col c 1)" "$(col r 1)" "$(median <"$dir/ratio")" \
        "$(col c 2)" "$(col r 2)" "$(col c 3)" "$(col r 3)" \
        "$(col c 4)" "$(col r 4)" "$(median <"$dir/cpuratio")"
}

# A row of the eviction and messaging tables (rates and CPU), after interleave.
rate_row() { # label
    printf '| %-40s | %11.0f | %11.0f | %6.2f | %8.2f | %8.2f | %6.2f |\n' \
        "$1" "$(col c 1)" "$(col r 1)" "$(median <"$dir/ratio")" \
        "$(col c 4)" "$(col r 4)" "$(median <"$dir/cpuratio")"
}

if want throughput; then
PORT_F=$((PORT_C + 4)) # + 2 and + 3 are the persistence section's
start floor "$PWD/${BUILD:-build}/tests/bench_floor" $PORT_F; PID_F=$started
printf '\nCairn vs redis-server %s, %d clients, random keys, %d rounds (medians)\n\n' \
    "$("$REDIS" --version | sed -E 's/.*v=([0-9.]+).*/\1/')" $CLIENTS $ROUNDS
printf '| %-16s | %11s | %11s | %6s | %9s | %9s | %9s | %9s | %8s | %8s | %6s |\n' \
    test "cairn rps" "redis rps" ratio "cairn p50" "redis p50" "cairn p99" "redis p99" \
    "cairn us" "redis us" "cpu"
printf '|%s|\n' "------------------|-------------|-------------|--------|-----------|-----------|-----------|-----------|----------|----------|--------"

for P in 1 16; do
    n=$N_P1
    [ $P -gt 1 ] && n=$N_P16
    for t in $TESTS; do
        if ! supported "$t"; then
            printf '| %-16s | %s |\n' "$(echo $t | tr a-z A-Z) -P $P" "not in Cairn yet"
            continue
        fi
        throughput_row "$(echo $t | tr a-z A-Z) -P $P" $PORT_C $PID_C $t $P $n
    done
    # The floor: the no-op server in Cairn's columns (see the note under the table).
    [ $P = 1 ] && throughput_row "GET -P 1 floor" $PORT_F $PID_F get 1 $N_P1
done
cat <<'TXT'

ratio: Cairn rps / Redis rps; cpu: Redis CPU per request / Cairn CPU per request
(both > 1 mean Cairn is ahead). p50/p99 in ms; us = server CPU microseconds per request.
floor: tests/bench_floor.c in Cairn's columns, an epoll server that does no work (one
recv and one send per request, no keyspace). Its us is the kernel's cost of a loopback
request/reply, so its cpu column is the highest CPU ratio any epoll server could show
at -P 1 on this machine, and its rps what redis-benchmark reaches when the server
costs nothing.
TXT
kill $PID_F 2>/dev/null
fi

# ------------------------------------------------------------------ eviction
# Both servers at maxmemory 64mb allkeys-lru, filled to the limit first, so that
# every SET of a new random key (500-byte values) evicts one: the cost of eviction
# in rps and in server CPU per request. Then the hot-set trace of test_evict (a
# cache's GET, SET on a miss, 2,000 hot keys among a stream of new ones ten times
# the limit) run on each server, with the hit rate per policy.
if want eviction; then
printf '\nEviction: maxmemory 64mb, SET of new random keys (500-byte values), every one evicting\n\n'
printf '| %-40s | %11s | %11s | %6s | %8s | %8s | %6s |\n' test cairn redis ratio "cairn us" "redis us" cpu
printf '|%s|\n' "------------------------------------------|-------------|-------------|--------|----------|----------|--------"
for port in $PORT_C $PORT_R; do
    redis-cli -p $port config set maxmemory 64mb maxmemory-policy allkeys-lru >/dev/null
    timeout 120 redis-benchmark -p $port -c 50 -n 300000 -r 100000000 -d 500 -P 16 -t set -q >/dev/null 2>&1
done
for P in 1 16; do
    n=$N_P1
    [ $P -gt 1 ] && n=$N_P16
    BENCH_ARGS="-d 500" interleave $PORT_C $PID_C run_one set $P $n
    rate_row "SET -P $P evicting, rps"
done
for port in $PORT_C $PORT_R; do
    redis-cli -p $port config set maxmemory 0 maxmemory-policy noeviction >/dev/null
    redis-cli -p $port flushall >/dev/null
done
printf '\n| %-40s | %11s | %11s |\n' "hot-set trace (test_evict), hit rate" cairn redis
printf '|%s|\n' "------------------------------------------|-------------|-------------"
hits() { CAIRN_TEST_SERVER=$1 TEST_FILTER=hot "${BUILD:-build}/tests/test_evict" 2>/dev/null | grep 'hit rate'; }
hc=$(hits "$CAIRN"); hr=$(hits "$REDIS")
for pol in allkeys-lru allkeys-lfu allkeys-random; do
    printf '| %-40s | %11s | %11s |\n' "$pol" \
        "$(echo "$hc" | sed -E "s/.*$pol ([0-9.]+).*/\1/")" "$(echo "$hr" | sed -E "s/.*$pol ([0-9.]+).*/\1/")"
done
cat <<'TXT'

ratio: Cairn rps / Redis rps; cpu: Redis CPU per request / Cairn CPU per request.
Both servers sample 5 keys per eviction into a pool of 16; LRU clocks tick once a
second, which on a trace this fast leaves many ties (hence LRU close to random).
TXT
fi

# ------------------------------------------------------------------ messaging
# PUBLISH fanned out to SUBS subscribers (redis-cli processes on the client core,
# reading into /dev/null), and MULTI/EXEC transactions: TX transactions of
# MULTI, INCR, SET, EXEC sent with redis-cli --pipe, timed to the last reply, with
# the server's CPU per transaction.
SUBS=${SUBS:-50}
TX=${TX:-100000}

if want messaging; then
printf '\nMessaging: PUBLISH to %d subscribers (64-byte messages), MULTI/EXEC transactions\n\n' $SUBS
printf '| %-40s | %11s | %11s | %6s | %8s | %8s | %6s |\n' test cairn redis ratio "cairn us" "redis us" cpu
printf '|%s|\n' "------------------------------------------|-------------|-------------|--------|----------|----------|--------"
subpids=()
for port in $PORT_C $PORT_R; do
    for _ in $(seq 1 $SUBS); do
        taskset -c $CORE_CLIENT redis-cli -p $port subscribe bench:ch >/dev/null 2>&1 &
        subpids+=($!)
    done
done
for port in $PORT_C $PORT_R; do
    for _ in $(seq 1 100); do
        [ "$(redis-cli -p $port pubsub numsub bench:ch | tail -n 1)" = "$SUBS" ] && break
        sleep 0.1
    done
done
msg=$(printf '%064d' 0)
for P in 1 16; do
    n=$((N_P1 / 2))
    [ $P -gt 1 ] && n=$N_P1
    interleave $PORT_C $PID_C run_one_cmd $P $n publish bench:ch "$msg"
    rate_row "PUBLISH -P $P, publishes/s"
done
kill "${subpids[@]}" 2>/dev/null; wait "${subpids[@]}" 2>/dev/null

# Transactions: the same file for both servers.
awk -v n=$TX 'BEGIN { for (i = 0; i < n; i++) {
    k = sprintf("tx:%06d", i % 1000); kn = k ":n";
    printf "*1\r\n$5\r\nMULTI\r\n*2\r\n$4\r\nINCR\r\n$%d\r\n%s\r\n", length(kn), kn;
    printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$5\r\nvalue\r\n*1\r\n$4\r\nEXEC\r\n", length(k), k } }' \
    >"$dir/tx.resp"
tx_one() { # port pid -> "tx_per_s - - cpu_us_per_tx" (run_one's columns, no latencies)
    local before after t0 t1
    before=$(cpu_ns "$2"); t0=$(date +%s%N)
    taskset -c $CORE_CLIENT redis-cli -p "$1" --pipe <"$dir/tx.resp" >/dev/null
    t1=$(date +%s%N); after=$(cpu_ns "$2")
    awk -v n=$TX -v ns=$((t1 - t0)) -v cpu=$((after - before)) \
        'BEGIN {printf "%.0f 0 0 %.3f\n", n / (ns / 1e9), cpu / n / 1000}'
}
interleave $PORT_C $PID_C tx_one
rate_row "MULTI/INCR/SET/EXEC pipelined, tx/s"
cat <<'TXT'

ratio: Cairn rate / Redis rate; us: server CPU microseconds per PUBLISH (which writes
to every subscriber) or per transaction; cpu: Redis's / Cairn's (> 1: Cairn is ahead).
TXT
fi

# ------------------------------------------------------------------ memory
# RSS growth per element after loading exactly N elements with redis-cli --pipe,
# on freshly started servers (a process that has held data keeps freed pages).

# resp CMD ARG...: one RESP command; awk-side helper below builds them fast.
gen() { # kind -> RESP on stdout
    awk -v n="$KEYS" -v kind="$1" '
    function cmd(a, m,   i, out) { out = "*" m "\r\n"; for (i = 1; i <= m; i++) out = out "$" length(a[i]) "\r\n" a[i] "\r\n"; printf "%s", out }
    BEGIN {
        v = sprintf("%0100d", 0); gsub(/0/, "v", v); sv = substr(v, 1, 16);
        for (i = 0; i < n; i++) {
            if (kind == "string") { a[1] = "SET"; a[2] = sprintf("key:%07d", i); a[3] = v; cmd(a, 3) }
            else if (kind == "string_ttl") { a[1] = "SET"; a[2] = sprintf("key:%07d", i); a[3] = v; a[4] = "EX"; a[5] = "100000"; cmd(a, 5) }
            else if (kind == "hash") { a[1] = "HSET"; a[2] = sprintf("hash:%03d", i % 100); a[3] = sprintf("field:%07d", i); a[4] = sv; cmd(a, 4) }
            else if (kind == "set") { a[1] = "SADD"; a[2] = "set"; a[3] = sprintf("member:%07d", i); cmd(a, 3) }
            else if (kind == "list") { a[1] = "RPUSH"; a[2] = "list"; a[3] = sprintf("element:%07d", i); cmd(a, 3) }
            else if (kind == "zset") { a[1] = "ZADD"; a[2] = "zset"; a[3] = i; a[4] = sprintf("member:%07d", i); cmd(a, 4) }
        }
    }'
}

per_element() { # port pid file -> bytes per element
    local base after
    base=$(rss_bytes "$2")
    redis-cli -p "$1" --pipe <"$3" >/dev/null
    sleep 1
    after=$(rss_bytes "$2")
    echo $(( (after - base) / KEYS ))
}

restart_pair() {
    kill $PID_C $PID_R 2>/dev/null; wait $PID_C $PID_R 2>/dev/null
    start cairn "$CAIRN" $PORT_C --save "" --appendonly no; PID_C=$started
    start redis "$REDIS" $PORT_R --save "" --appendonly no; PID_R=$started
}

if want memory; then
printf '\nMemory: RSS growth per element, %d elements per dataset\n\n' "$KEYS"
printf '| %-40s | %9s | %9s | %6s |\n' "dataset" "cairn B" "redis B" "ratio"
printf '|%s|\n' "------------------------------------------|-----------|-----------|--------"
declare -A CB RB
for kind in string string_ttl hash set list zset; do
    case $kind in
    string) label="strings: 11-byte keys, 100-byte values"; need=set ;;
    string_ttl) label="the same with a TTL (EX)"; need=set ;;
    hash) label="hash fields (100 hashes, 16-byte values)"; need=hset ;;
    set) label="set members (one set)"; need=sadd ;;
    list) label="list elements (one list)"; need=rpush ;;
    zset) label="sorted-set members (one zset)"; need=zadd ;;
    esac
    if ! supported $need; then
        printf '| %-40s | %s |\n' "$label" "not in Cairn yet"
        continue
    fi
    gen $kind >"$dir/data.resp"
    restart_pair
    CB[$kind]=$(per_element $PORT_C $PID_C "$dir/data.resp")
    RB[$kind]=$(per_element $PORT_R $PID_R "$dir/data.resp")
    printf '| %-40s | %9d | %9d | %6.2f |\n' "$label" ${CB[$kind]} ${RB[$kind]} \
        "$(awk -v a=${CB[$kind]} -v b=${RB[$kind]} 'BEGIN {print a / b}')"
done
if [ -n "${CB[string_ttl]:-}" ]; then
    c=$((CB[string_ttl] - CB[string])); r=$((RB[string_ttl] - RB[string]))
    printf '| %-40s | %9d | %9d | %6.2f |\n' "cost of a TTL per key" $c $r \
        "$(awk -v a=$c -v b=$r 'BEGIN {if (b) print a / b; else print 0}')"
fi
echo
echo "ratio: Cairn / Redis (below 1 means Cairn uses less)."
fi

# ------------------------------------------------------------------ persistence
# The same PKEYS keys (key:%012d, redis-benchmark's names for -r 1000000, so its
# writer overwrites them) with 100-byte values, loaded with redis-cli --pipe into a
# fresh pair of servers in fresh directories on the same filesystem, per dataset:
#  - json:   session-like JSON objects (random ids, hex token, time, address; space
#            padded to 100 bytes): compressible, as real caches often are;
#  - random: base64 of /dev/urandom (6 bits of entropy per byte): near incompressible.
# SAVE time (wall, includes both servers' fsync), file size, restart to ready (exec until
# PING answers PONG rather than -LOADING; the file is in the page cache), and peak
# memory during a BGSAVE while redis-benchmark overwrites random keys of the keyspace
# (-P 1, 50 clients): the Pss of parent + child (smaps_rollup, so shared pages count
# once) sampled every 20 ms, plus INFO's rdb_last_cow_size. The child inherits core 0.
# AOF lines: SET with 100-byte values on empty servers with appendonly yes and the
# given appendfsync, auto rewrite off on both (a rewrite would fork mid-run); AROUNDS
# short interleaved rounds, as fsync latency on a shared disk comes and goes.
PKEYS=${PKEYS:-1000000}
PROUNDS=${PROUNDS:-3}
BGROUNDS=${BGROUNDS:-3}
PDATA=${PDATA:-json random}
AROUNDS=${AROUNDS:-5}
N_AOF_P1=${N_AOF_P1:-50000}
N_AOF_P16=${N_AOF_P16:-300000}

gen_persist() { # json|random -> RESP on stdout
    if [ "$1" = random ]; then
        head -c $((PKEYS * 75)) /dev/urandom | base64 -w 100 |
            awk '{printf "*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$100\r\n%s\r\n", NR - 1, $0}'
        return
    fi
    awk -v n="$PKEYS" 'BEGIN {
        srand(42); split("member admin guest premium", roles, " ")
        for (i = 0; i < n; i++) {
            v = sprintf("{\"uid\":%d,\"sid\":\"%08x%08x\",\"role\":\"%s\",\"ts\":%d,\"ip\":\"10.%d.%d.%d\"",
                1000000 + int(rand() * 9000000), int(rand() * 4294967296), int(rand() * 4294967296),
                roles[1 + int(rand() * 4)], 1700000000 + int(rand() * 2592000),
                int(rand() * 256), int(rand() * 256), int(rand() * 256))
            while (length(v) < 99) v = v " "
            printf "*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$100\r\n%s}\r\n", i, v
        }
    }'
}

stop_server() { # port pid
    redis-cli -p "$1" shutdown nosave >/dev/null 2>&1
    wait "$2" 2>/dev/null
}

# start_ready name binary port [args]: like start, and sets $ready to the seconds from
# exec to the first PONG (polled back to back from the client core).
start_ready() {
    local name=$1 bin=$2 port=$3 t0 t1 i=0
    shift 3
    mkdir -p "$dir/$name"
    t0=$(date +%s%N)
    (cd "$dir/$name" && exec taskset -c $CORE_SERVER "$bin" --port "$port" --bind 127.0.0.1 "$@" \
        >>"$dir/$name.log" 2>&1) &
    started=$!
    pids+=("$started")
    until [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ]; do
        i=$((i + 1))
        if ! kill -0 $started 2>/dev/null || [ $i -gt 30000 ]; then
            echo "$name did not start:"; cat "$dir/$name.log"; exit 1
        fi
    done
    t1=$(date +%s%N)
    ready=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b - a) / 1e9}')
}

info_field() { redis-cli -p "$1" info persistence | tr -d '\r' | awk -F: -v k="$2" '$1 == k {print $2}'; }

pss_kb=0
read_pss() { # pid -> $pss_kb (0 if gone)
    local k v rest
    pss_kb=0
    { while read -r k v rest; do
        [ "$k" = Pss: ] && { pss_kb=$v; break; }
    done </proc/"$1"/smaps_rollup; } 2>/dev/null
}

# bgsave_peak port pid: BGSAVE under a write load; prints "pss_before_MiB peak_MiB cow_MiB secs".
bgsave_peak() {
    local port=$1 pid=$2 wpid kids base peak=0 sum t0 t1 seen=0 k
    timeout 120 redis-benchmark -p "$port" -c 50 -n 100000000 -r 1000000 -d 100 -t set -q \
        >/dev/null 2>&1 &
    wpid=$!
    sleep 1
    read_pss "$pid"; base=$pss_kb
    t0=$(date +%s%N)
    redis-cli -p "$port" bgsave >/dev/null
    while :; do
        kids=""
        # The fork child: pgrep -P, as /proc/PID/task/PID/children needs a kernel option.
        kids=$(pgrep -P "$pid")
        read_pss "$pid"; sum=$pss_kb
        for k in $kids; do read_pss "$k"; sum=$((sum + pss_kb)); done
        [ $sum -gt $peak ] && peak=$sum
        if [ -n "$kids" ]; then seen=1
        elif [ $seen = 1 ] || [ "$(info_field "$port" rdb_bgsave_in_progress)" = 0 ]; then break
        fi
        sleep 0.02
    done
    until [ "$(info_field "$port" rdb_bgsave_in_progress)" = 0 ]; do sleep 0.02; done
    t1=$(date +%s%N)
    kill $wpid 2>/dev/null; wait $wpid 2>/dev/null
    awk -v b="$base" -v p="$peak" -v c="$(info_field "$port" rdb_last_cow_size)" -v t=$((t1 - t0)) \
        'BEGIN {printf "%.1f %.1f %.1f %.2f\n", b / 1024, p / 1024, c / 1048576, t / 1e9}'
}

# prow label cairn redis better(lower|higher) target [ratio]: a row; ratio > 1 = Cairn
# ahead, computed from the two values unless given (a median of per-round ratios).
prow() {
    awk -v l="$1" -v c="$2" -v r="$3" -v d="$4" -v t="$5" -v q="${6:-}" 'BEGIN {
        if (q != "") { printf "| %-46s | %10s | %10s | %6.2f | %6s |\n", l, c, r, q, t; exit }
        q = 0
        if (d == "lower" && c > 0) q = r / c
        if (d == "higher" && r > 0) q = c / r
        printf "| %-46s | %10s | %10s | %6.2f | %6s |\n", l, c, r, q, t
    }'
}

if want persistence; then
    kill $PID_C $PID_R 2>/dev/null; wait $PID_C $PID_R 2>/dev/null
    taskset -cp $CORE_CLIENT $$ >/dev/null # this script and its clients: the client core
    PORT_PC=$((PORT_C + 2)); PORT_PR=$((PORT_C + 3))
    base_args=(--save "" --appendonly no)
    printf '\nPersistence: %d keys (16-byte names) x 100-byte values, %s (%s on %s);\n' \
        "$PKEYS" "$dir" "$(df -T "$dir" | awk 'NR == 2 {print $2}')" "$(df "$dir" | awk 'NR == 2 {print $1}')"
    printf 'medians of %d interleaved rounds (BGSAVE: %d, AOF: %d)\n' $PROUNDS $BGROUNDS $AROUNDS
    printf 'ratio > 1 means Cairn is ahead: Redis/Cairn for times, sizes and memory, Cairn/Redis for rates\n\n'
    printf '| %-46s | %10s | %10s | %6s | %6s |\n' measure cairn redis ratio target
    printf '|%s|\n' "------------------------------------------------|------------|------------|--------|--------"
    for data in $PDATA; do
        gen_persist "$data" >"$dir/persist.resp"
        rm -rf "$dir/pc-$data" "$dir/pr-$data"
        start pc-$data "$CAIRN" $PORT_PC "${base_args[@]}"; PC=$started
        start pr-$data "$REDIS" $PORT_PR "${base_args[@]}"; PR=$started
        redis-cli -p $PORT_PC --pipe <"$dir/persist.resp" >/dev/null
        redis-cli -p $PORT_PR --pipe <"$dir/persist.resp" >/dev/null
        rm -f "$dir/persist.resp"
        : >"$dir/save_c"; : >"$dir/save_r"; : >"$dir/save_q"
        : >"$dir/ready_c"; : >"$dir/ready_r"; : >"$dir/ready_q"
        timed_save() { # port -> seconds
            local t0 t1
            t0=$(date +%s%N); redis-cli -p "$1" save >/dev/null; t1=$(date +%s%N)
            awk -v d=$((t1 - t0)) 'BEGIN {printf "%.3f\n", d / 1e9}'
        }
        for round in $(seq 1 $PROUNDS); do
            if [ $((round % 2)) = 1 ]; then c=$(timed_save $PORT_PC); r=$(timed_save $PORT_PR)
            else r=$(timed_save $PORT_PR); c=$(timed_save $PORT_PC); fi
            echo $c >>"$dir/save_c"; echo $r >>"$dir/save_r"
            awk -v c=$c -v r=$r 'BEGIN {print r / c}' >>"$dir/save_q"
        done
        size_c=$(stat -c %s "$dir/pc-$data/dump.csnap"); size_r=$(stat -c %s "$dir/pr-$data/dump.rdb")
        keys_c=$(redis-cli -p $PORT_PC dbsize); keys_r=$(redis-cli -p $PORT_PR dbsize)
        for round in $(seq 1 $PROUNDS); do
            stop_server $PORT_PC $PC; stop_server $PORT_PR $PR
            if [ $((round % 2)) = 1 ]; then
                start_ready pc-$data "$CAIRN" $PORT_PC "${base_args[@]}"; PC=$started; c=$ready
                start_ready pr-$data "$REDIS" $PORT_PR "${base_args[@]}"; PR=$started; r=$ready
            else
                start_ready pr-$data "$REDIS" $PORT_PR "${base_args[@]}"; PR=$started; r=$ready
                start_ready pc-$data "$CAIRN" $PORT_PC "${base_args[@]}"; PC=$started; c=$ready
            fi
            echo $c >>"$dir/ready_c"; echo $r >>"$dir/ready_r"
            awk -v c=$c -v r=$r 'BEGIN {print r / c}' >>"$dir/ready_q"
        done
        [ "$(redis-cli -p $PORT_PC dbsize)" = "$keys_c" ] && [ "$keys_c" = "$PKEYS" ] ||
            echo "warning: cairn has $(redis-cli -p $PORT_PC dbsize) keys after restart, expected $PKEYS"
        [ "$(redis-cli -p $PORT_PR dbsize)" = "$keys_r" ] ||
            echo "warning: redis has $(redis-cli -p $PORT_PR dbsize) keys after restart, expected $keys_r"
        : >"$dir/bg_c"; : >"$dir/bg_r"
        for round in $(seq 1 $BGROUNDS); do
            if [ $((round % 2)) = 1 ]; then
                bgsave_peak $PORT_PC $PC >>"$dir/bg_c"; bgsave_peak $PORT_PR $PR >>"$dir/bg_r"
            else
                bgsave_peak $PORT_PR $PR >>"$dir/bg_r"; bgsave_peak $PORT_PC $PC >>"$dir/bg_c"
            fi
        done
        bg() { awk -v k="$2" '{print $k}' "$dir/$1" | median; }
        prow "SAVE time (s), $data" "$(median <"$dir/save_c")" "$(median <"$dir/save_r")" lower ">= 1" \
            "$(median <"$dir/save_q")"
        prow "snapshot size (MiB), $data" \
            "$(awk -v s=$size_c 'BEGIN {printf "%.1f", s / 1048576}')" \
            "$(awk -v s=$size_r 'BEGIN {printf "%.1f", s / 1048576}')" lower ">= 2"
        prow "restart to ready (s), $data" "$(median <"$dir/ready_c")" "$(median <"$dir/ready_r")" lower ">= 2" \
            "$(median <"$dir/ready_q")"
        prow "Pss before BGSAVE (MiB), $data" "$(bg bg_c 1)" "$(bg bg_r 1)" lower "-"
        prow "peak Pss parent+child in BGSAVE (MiB), $data" "$(bg bg_c 2)" "$(bg bg_r 2)" lower "-"
        prow "rdb_last_cow_size (MiB), $data" "$(bg bg_c 3)" "$(bg bg_r 3)" lower "-"
        prow "BGSAVE under writes (s), $data" "$(bg bg_c 4)" "$(bg bg_r 4)" lower "-"
        stop_server $PORT_PC $PC; stop_server $PORT_PR $PR
        rm -rf "$dir/pc-$data" "$dir/pr-$data"
    done

    # AOF: SET throughput per appendfsync policy, -P 1 (with server CPU per request)
    # and -P 16, interleaved rounds on one fresh pair per policy.
    for pol in everysec always; do
        aof_args=(--save "" --appendonly yes --appendfsync $pol --auto-aof-rewrite-percentage 0)
        rm -rf "$dir/ac-$pol" "$dir/ar-$pol"
        start ac-$pol "$CAIRN" $PORT_PC "${aof_args[@]}"; PC=$started
        start ar-$pol "$REDIS" $PORT_PR "${aof_args[@]}"; PR=$started
        for P in 1 16; do
            n=$N_AOF_P1
            [ $P -gt 1 ] && n=$N_AOF_P16
            ROUNDS=$AROUNDS REF_PORT=$PORT_PR REF_PID=$PR BENCH_ARGS="-d 100" \
                interleave $PORT_PC $PC run_one set $P $n
            printf '| %-46s | %10.0f | %10.0f | %6.2f | %6s |\n' "SET -P $P rps, appendfsync $pol" \
                "$(col c 1)" "$(col r 1)" "$(median <"$dir/ratio")" ">= 1"
            [ $P = 1 ] && printf '| %-46s | %10.2f | %10.2f | %6.2f | %6s |\n' \
                "SET -P 1 server CPU us/request, $pol" \
                "$(col c 4)" "$(col r 4)" "$(median <"$dir/cpuratio")" "-"
        done
        stop_server $PORT_PC $PC; stop_server $PORT_PR $PR
        rm -rf "$dir/ac-$pol" "$dir/ar-$pol"
    done
    cat <<'TXT'

json: session-like JSON objects (compressible); random: base64 of /dev/urandom (75 of
its 100 bytes are entropy, so no codec gets below ~72 MiB). Sizes are exact; times and
rates are medians, and ratios medians of per-round ratios. Restart to ready is exec to
the first PONG, with the file in the page cache. BGSAVE rows: redis-benchmark
overwrites random keys (-P 1, 50 clients, values 'xxx...') throughout; Pss counts
shared pages once. Targets (the issue): snapshot at most half Redis's RDB, saved no
slower, loaded at least twice as fast, AOF throughput at least Redis's. -P 1 rows are
bound by redis-benchmark (see above): judge them on server CPU per request.
TXT
fi
