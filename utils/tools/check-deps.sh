#!/usr/bin/env bash
# utils/tools/check-deps.sh: checks the module map of ../shared/design.md from the
# #include lines: each directory may include only the directories it is allowed
# to depend on. Prints each violation; exits 1 if there is any.
set -u
cd "$(dirname "$0")/../.."
bad=0
allowed() { # dir -> allowed project directories (besides itself)
    case "$1" in
    resp) echo "" ;;
    utils) echo "" ;;
    aof) echo "resp utils" ;;
    snapshot) echo "utils" ;;
    utils/tools) echo "resp aof snapshot utils" ;;
    src) echo "resp utils aof snapshot" ;;
    esac
}
check_dir() { # dir
    local dir=$1 ok f inc target
    ok=$(allowed "$dir")
    for f in "$dir"/*.[ch]; do
        [ -e "$f" ] || continue
        while IFS= read -r inc; do
            # "../x/y.h" or "y.h" relative to the file, else "x/y.h" from the root (-I.).
            target=$(realpath -m --relative-to=. "$dir/$inc")
            [ -e "$target" ] || target=$(realpath -m --relative-to=. "$inc")
            tdir=$(dirname "$target")
            [ "$tdir" = "$dir" ] && continue
            case " $ok " in *" $tdir "*) continue ;; esac
            echo "$f includes \"$inc\": $dir/ may not depend on $tdir/"
            bad=1
        done < <(sed -n 's/^#include "\(.*\)".*/\1/p' "$f")
    done
}
for d in resp utils aof snapshot utils/tools src; do check_dir "$d"; done
# The event loop knows nothing of the server.
if grep -q '#include "server.h"' src/el.c src/el.h; then
    echo "src/el.c must not include server.h"
    bad=1
fi
# resp/ uses libc only: no jemalloc, no zstd/lz4.
if grep -E -q '#include <(jemalloc|zstd|lz4)' resp/*.[ch] 2>/dev/null; then
    echo "resp/ must depend on libc only"
    bad=1
fi
[ "$bad" = 0 ] && echo "check-deps: module map respected"
exit "$bad"
