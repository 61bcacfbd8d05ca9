#!/bin/sh
# utils/tools/deps.sh GROUP...: makes sure the Debian packages a make target needs are
# installed. As root it installs what is missing (apt-get update first: a fresh
# machine has no package lists); otherwise it prints the exact command and fails.
set -e
pkgs=""
for group in "$@"; do
    case "$group" in
    build) pkgs="$pkgs gcc make libc6-dev libjemalloc-dev libzstd-dev liblz4-dev" ;;
    test) pkgs="$pkgs libhiredis-dev redis-tools" ;;
    bench) pkgs="$pkgs redis-server redis-tools procps libhiredis-dev" ;;
    fuzz) pkgs="$pkgs clang libclang-rt-14-dev" ;;
    *) echo "deps.sh: unknown group '$group'" >&2; exit 2 ;;
    esac
done
missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" != 0 ]; then
    echo "Missing packages:$missing. Run as root:" >&2
    echo "    $cmd" >&2
    exit 1
fi
echo "Installing:$missing"
apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
# Debian starts redis-server as a service on install; benchmarks start their own.
if echo "$missing" | grep -q redis-server; then
    (service redis-server stop || systemctl stop redis-server) >/dev/null 2>&1 || true
fi
