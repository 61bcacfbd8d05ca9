#!/usr/bin/env bash
# tests/run.sh: runs every test suite against the built server and prints
# "N passed, M failed" as its last line. Called by `make test` (BUILD names the
# object directory). A suite that crashes or prints no summary counts as failed.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
passed=0
failed=0
logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT

count() { # name passed failed
    printf '  %-28s %s passed, %s failed\n' "$1" "$2" "$3"
    passed=$((passed + $2))
    failed=$((failed + $3))
}

run_binary() { # path [args...]
    local name log line p f
    name=$(basename "$1")
    log="$logdir/$name.log"
    "$@" >"$log" 2>&1
    local rc=$?
    line=$(grep -E '^suite .*: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        echo "  $name: no summary (exit $rc); output:"
        tail -n 40 "$log" | sed 's/^/    /'
        count "$name" 0 1
        return
    fi
    p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.*, ([0-9]+) failed$/\1/')
    if [ "$f" != 0 ] || [ "$rc" != 0 ]; then
        grep -v '^suite ' "$log" | tail -n 60 | sed 's/^/    /'
        [ "$f" = 0 ] && f=1
    fi
    count "$name" "$p" "$f"
}

echo "Unit tests"
for src in tests/unit/test_*.c; do
    t="$BUILD/tests/$(basename "$src" .c)"
    if [ -x "$t" ]; then run_binary "$t"; else echo "  $t: not built"; count "$(basename "$t")" 0 1; fi
done
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    t="$BUILD/tests/${name}_replay"
    if [ -x "$t" ]; then run_binary "$t" "tests/fuzz/corpus/${name#fuzz_}"; else echo "  $t: not built"; count "$name" 0 1; fi
done

echo "Integration tests"
for src in tests/integration/test_*.c; do
    t="$BUILD/tests/$(basename "$src" .c)"
    if [ -x "$t" ]; then run_binary "$t"; else echo "  $t: not built"; count "$(basename "$t")" 0 1; fi
done

echo "Real clients: redis-cli and redis-benchmark"
./tests/clients.sh >"$logdir/clients.log" 2>&1
line=$(grep -E '^suite .*: [0-9]+ passed, [0-9]+ failed$' "$logdir/clients.log" | tail -n 1)
if [ -n "$line" ]; then
    p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.*, ([0-9]+) failed$/\1/')
    [ "$f" != 0 ] && grep -v '^suite ' "$logdir/clients.log" | tail -n 40 | sed 's/^/    /'
    count clients.sh "$p" "$f"
else
    tail -n 40 "$logdir/clients.log" | sed 's/^/    /'
    count clients.sh 0 1
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
