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
TESTS=${TESTS:-set get incr mset}
CAIRN=${CAIRN:-$PWD/src/cairn-server}
REDIS=${REDIS:-/usr/sbin/redis-server}
[ -x "$REDIS" ] || REDIS=$(command -v redis-server)
dir=$(mktemp -d)
CORE_SERVER=0
CORE_CLIENT=1
[ "$(nproc)" -lt 2 ] && CORE_CLIENT=0
ulimit -n 10240 2>/dev/null

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

PORT_C=$((21000 + RANDOM % 20000))
PORT_R=$((PORT_C + 1))
start cairn "$CAIRN" $PORT_C; PID_C=$started
start redis "$REDIS" $PORT_R --save "" --appendonly no; PID_R=$started

# One redis-benchmark run; prints "rps p50 p99 cpu_us_per_req".
run_one() { # port pid test pipeline n
    local before after out
    before=$(cpu_ns "$2")
    out=$(timeout 300 taskset -c $CORE_CLIENT redis-benchmark -p "$1" -c $CLIENTS -n "$5" \
        -r 1000000 -P "$4" -t "$3" --csv 2>/dev/null | tail -n 1)
    after=$(cpu_ns "$2")
    echo "$out" | tr -d '"' | awk -F, -v cpu=$((after - before)) -v n="$5" \
        '{printf "%s %s %s %.3f\n", $2, $5, $7, cpu / n / 1000}'
}

median() { sort -g | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else printf "%.4f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

printf '\nCairn vs redis-server %s, %d clients, random keys, %d rounds (medians)\n\n' \
    "$("$REDIS" --version | sed -E 's/.*v=([0-9.]+).*/\1/')" $CLIENTS $ROUNDS
printf '| %-10s | %11s | %11s | %6s | %9s | %9s | %9s | %9s | %8s | %8s | %6s |\n' \
    test "cairn rps" "redis rps" ratio "cairn p50" "redis p50" "cairn p99" "redis p99" \
    "cairn us" "redis us" "cpu"
printf '|%s|\n' "------------|-------------|-------------|--------|-----------|-----------|-----------|-----------|----------|----------|--------"

for P in 1 16; do
    n=$N_P1
    [ $P -gt 1 ] && n=$N_P16
    for t in $TESTS; do
        : >"$dir/c" ; : >"$dir/r"; : >"$dir/ratio"; : >"$dir/cpuratio"
        for round in $(seq 1 $ROUNDS); do
            if [ $((round % 2)) = 1 ]; then
                c=$(run_one $PORT_C $PID_C $t $P $n); r=$(run_one $PORT_R $PID_R $t $P $n)
            else
                r=$(run_one $PORT_R $PID_R $t $P $n); c=$(run_one $PORT_C $PID_C $t $P $n)
            fi
            echo "$c" >>"$dir/c"; echo "$r" >>"$dir/r"
            echo "$c $r" | awk '{ if ($5 > 0) printf "%.4f\n", $1 / $5; else print 0 }' >>"$dir/ratio"
            echo "$c $r" | awk '{ if ($4 > 0) printf "%.4f\n", $8 / $4; else print 0 }' >>"$dir/cpuratio"
        done
        col() { awk -v k="$2" '{print $k}' "$dir/$1" | median; }
        printf '| %-10s | %11.0f | %11.0f | %6.2f | %9.3f | %9.3f | %9.3f | %9.3f | %8.2f | %8.2f | %6.2f |\n' \
            "$(echo $t | tr a-z A-Z) -P $P" "$(col c 1)" "$(col r 1)" "$(median <"$dir/ratio")" \
            "$(col c 2)" "$(col r 2)" "$(col c 3)" "$(col r 3)" \
            "$(col c 4)" "$(col r 4)" "$(median <"$dir/cpuratio")"
    done
done
cat <<'TXT'

ratio: Cairn rps / Redis rps; cpu: Redis CPU per request / Cairn CPU per request
(both > 1 mean Cairn is ahead). p50/p99 in ms; us = server CPU microseconds per request.
TXT

# ------------------------------------------------------------------ memory
# Exactly KEYS keys of 11-byte names and 100-byte values, then the same with a TTL.
gen() { # ttl(0 = none)
    awk -v n="$KEYS" -v ttl="$1" 'BEGIN {
        v = sprintf("%0100d", 0); gsub(/0/, "v", v);
        for (i = 0; i < n; i++) {
            k = sprintf("key:%07d", i);
            if (ttl) printf "*5\r\n$3\r\nSET\r\n$11\r\n%s\r\n$100\r\n%s\r\n$2\r\nEX\r\n$%d\r\n%d\r\n", k, v, length(ttl ""), ttl;
            else printf "*3\r\n$3\r\nSET\r\n$11\r\n%s\r\n$100\r\n%s\r\n", k, v;
        }
    }'
}
gen 0 >"$dir/keys.resp"
gen 100000 >"$dir/keys_ttl.resp"

per_key() { # port pid file -> bytes per key
    redis-cli -p "$1" flushall >/dev/null
    sleep 0.5
    local base after
    base=$(rss_bytes "$2")
    redis-cli -p "$1" --pipe <"$3" >/dev/null
    sleep 0.5
    after=$(rss_bytes "$2")
    redis-cli -p "$1" flushall >/dev/null
    echo $(( (after - base) / KEYS ))
}

# Fresh servers: RSS of a process that has already held keys has freed pages in it.
restart_pair() {
    kill $PID_C $PID_R 2>/dev/null; wait $PID_C $PID_R 2>/dev/null
    start cairn "$CAIRN" $PORT_C; PID_C=$started
    start redis "$REDIS" $PORT_R --save "" --appendonly no; PID_R=$started
}
restart_pair
c_plain=$(per_key $PORT_C $PID_C "$dir/keys.resp")
r_plain=$(per_key $PORT_R $PID_R "$dir/keys.resp")
restart_pair
c_ttl=$(per_key $PORT_C $PID_C "$dir/keys_ttl.resp")
r_ttl=$(per_key $PORT_R $PID_R "$dir/keys_ttl.resp")

printf '\nMemory, %d keys, 11-byte names, 100-byte values (RSS growth / keys)\n\n' "$KEYS"
printf '| %-22s | %9s | %9s | %6s |\n' "dataset" "cairn B" "redis B" "ratio"
printf '|%s|\n' "------------------------|-----------|-----------|--------"
printf '| %-22s | %9d | %9d | %6.2f |\n' "no TTL" $c_plain $r_plain "$(awk -v a=$c_plain -v b=$r_plain 'BEGIN {print a / b}')"
printf '| %-22s | %9d | %9d | %6.2f |\n' "with TTL (EX)" $c_ttl $r_ttl "$(awk -v a=$c_ttl -v b=$r_ttl 'BEGIN {print a / b}')"
printf '| %-22s | %9d | %9d | %6.2f |\n' "cost of a TTL per key" $((c_ttl - c_plain)) $((r_ttl - r_plain)) \
    "$(awk -v a=$((c_ttl - c_plain)) -v b=$((r_ttl - r_plain)) 'BEGIN {if (b) print a / b; else print 0}')"
echo
echo "ratio: Cairn / Redis (below 1 means Cairn uses less)."
