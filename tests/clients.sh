#!/usr/bin/env bash
# tests/clients.sh: drives the built server with the real redis-cli and
# redis-benchmark, as a user would, and checks what they print.
# Prints "suite clients: N passed, M failed".
set -u
cd "$(dirname "$0")/.."
SERVER=${CAIRN_TEST_SERVER:-src/cairn-server}
passed=0
failed=0
dir=$(mktemp -d)

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
expect() { # description expected actual
    if [ "$2" = "$3" ]; then ok; else bad "$1: expected [$2], got [$3]"; fi
}

start_server() {
    for _ in 1 2 3 4 5 6 7 8; do
        port=$((20000 + RANDOM % 40000))
        (cd "$dir" && exec "$OLDPWD/$SERVER" --port "$port" --bind 127.0.0.1 >"$dir/server.log" 2>&1) &
        pid=$!
        for _ in $(seq 1 100); do
            if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then return 0; fi
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    echo "could not start $SERVER"; cat "$dir/server.log"
    return 1
}

if ! start_server; then
    echo "suite clients: 0 passed, 1 failed"
    exit 1
fi
cli() { timeout 20 redis-cli -p "$port" "$@"; }

expect "redis-cli SET" "OK" "$(cli set greeting 'hello world')"
expect "redis-cli GET" "hello world" "$(cli get greeting)"
expect "redis-cli INCR" "1" "$(cli incr counter)"
expect "redis-cli missing key" "" "$(cli get nosuchkey)"
expect "redis-cli error" "ERR value is not an integer or out of range" "$(cli incr greeting 2>&1)"
if cli -e incr greeting >/dev/null 2>&1; then bad "redis-cli -e: exit status 0 on an error"; else ok; fi
expect "redis-cli RESP3 HELLO" "proto 3" "$(cli -3 hello 3 | grep '^proto')"
expect "redis-cli INFO tcp_port" "tcp_port:$port" "$(cli info server | tr -d '\r' | grep '^tcp_port:')"
expect "redis-cli --raw MGET" "$(printf 'hello world\n1')" "$(cli --raw mget greeting counter)"

# --pipe: mass insertion, as the docs show it (it relies on ECHO).
for i in $(seq 1 1000); do printf 'SET pipe:%d v%d\r\n' "$i" "$i"; done >"$dir/pipe.txt"
out=$(cli --pipe <"$dir/pipe.txt" 2>&1)
if echo "$out" | grep -q "errors: 0, replies: 1000"; then ok; else bad "redis-cli --pipe: $out"; fi
expect "keys after --pipe" "v1000" "$(cli get pipe:1000)"

# --scan with a pattern walks the SCAN cursor to the end.
expect "redis-cli --scan" "1000" "$(cli --scan --pattern 'pipe:*' | sort -u | wc -l | tr -d ' ')"

# redis-benchmark: every test runs to completion and reports a rate.
out=$(timeout 120 redis-benchmark -p "$port" -q -n 10000 -t set,get,incr,mset 2>&1)
for t in SET GET INCR MSET; do
    if echo "$out" | tr '\r' '\n' | grep -Eq "^$t.*: [0-9.]+ requests per second"; then ok; else bad "redis-benchmark $t: $out"; fi
done
expect "benchmark keys written" "1" "$(cli exists key:__rand_int__)"

# Still serving, and a clean shutdown.
expect "alive after benchmark" "PONG" "$(cli ping)"
cli shutdown nosave >/dev/null 2>&1
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$pid" 2>/dev/null; then bad "server still running after SHUTDOWN"; kill -9 "$pid"; else ok; fi
wait "$pid"
expect "exit status after SHUTDOWN" "0" "$?"

rm -rf "$dir"
echo "suite clients: $passed passed, $failed failed"
[ "$failed" = 0 ]
