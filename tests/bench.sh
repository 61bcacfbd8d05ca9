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
SECTIONS=${SECTIONS:-throughput memory persistence}
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

PORT_C=$((21000 + RANDOM % 20000))
PORT_R=$((PORT_C + 1))
start cairn "$CAIRN" $PORT_C; PID_C=$started
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

median() { sort -g | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else printf "%.4f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

if want throughput; then
printf '\nCairn vs redis-server %s, %d clients, random keys, %d rounds (medians)\n\n' \
    "$("$REDIS" --version | sed -E 's/.*v=([0-9.]+).*/\1/')" $CLIENTS $ROUNDS
printf '| %-16s | %11s | %11s | %6s | %9s | %9s | %9s | %9s | %8s | %8s | %6s |\n' \
    test "cairn rps" "redis rps" ratio "cairn p50" "redis p50" "cairn p99" "redis p99" \
    "cairn us" "redis us" "cpu"
printf '|%s|\n' "------------------|-------------|-------------|--------|-----------|-----------|-----------|-----------|----------|----------|--------"

# A test runs only when Cairn has its command (lrange_100 needs lrange and lpush).
supported() { # test name
    local cmd=${1%%_*}
    redis-cli -p $PORT_C command info "$cmd" | grep -q .
}

for P in 1 16; do
    n=$N_P1
    [ $P -gt 1 ] && n=$N_P16
    for t in $TESTS; do
        if ! supported "$t"; then
            printf '| %-16s | %s |\n' "$(echo $t | tr a-z A-Z) -P $P" "not in Cairn yet"
            continue
        fi
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
        printf '| %-16s | %11.0f | %11.0f | %6.2f | %9.3f | %9.3f | %9.3f | %9.3f | %8.2f | %8.2f | %6.2f |\n' \
            "$(echo $t | tr a-z A-Z) -P $P" "$(col c 1)" "$(col r 1)" "$(median <"$dir/ratio")" \
            "$(col c 2)" "$(col r 2)" "$(col c 3)" "$(col r 3)" \
            "$(col c 4)" "$(col r 4)" "$(median <"$dir/cpuratio")"
    done
done
cat <<'TXT'

ratio: Cairn rps / Redis rps; cpu: Redis CPU per request / Cairn CPU per request
(both > 1 mean Cairn is ahead). p50/p99 in ms; us = server CPU microseconds per request.
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
    start cairn "$CAIRN" $PORT_C; PID_C=$started
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
