#!/usr/bin/env bash
# utils/tools/compare-commands.sh: compares Cairn's COMMAND INFO and COMMAND DOCS
# replies with those of a real Redis server, command by command.
#
# Usage: utils/tools/compare-commands.sh [-v] [name ...]
#   Starts src/cairn-server (build it first with `make`) and redis-server
#   (REDIS_SERVER, default: redis-server on the PATH; Cairn mimics 7.0.15) on two
#   spare ports in a temporary directory, and for every name that Cairn lists in
#   COMMAND LIST (or only the names given) sends, over a plain socket,
#       COMMAND INFO <name>   and   COMMAND DOCS <name>
#   in RESP2 and in RESP3, and diffs the two raw replies. The replies are decoded
#   only to print them one RESP element per line with its type prefix
#   (+ - : $ * % ~ _ , # ...), so order and types are compared exactly.
#   -v prints each diff in full (default: its first 60 lines).
#
# Two normalisations, neither of which hides a difference in how a command is described:
#   - A container's subcommands (COMMAND INFO's 10th field and DOCS' "subcommands"
#     map) come in Redis's hash-table order, which changes from run to run; both
#     sides are sorted by name. Only subcommands that both servers have are kept:
#     those Cairn does not implement are listed once under "not implemented".
#   - Names that Redis does not know (e.g. CLIENT SETINFO and CLIENT NO-TOUCH,
#     which are Redis 7.2) are reported as "not in Redis <version>", not diffed
#     (and left out of their container's subcommands on Cairn's side).
#
# Output: one line per differing reply (with its diff), then a summary:
#   "compared N names (x4 replies): M identical, K differ". Exit status 1 if any differ.
# Needs bash, python3 and redis-cli (only to wait for the servers to answer).
set -u
cd "$(dirname "$0")/../.."
REDIS_SERVER=${REDIS_SERVER:-redis-server}
verbose=0
if [ "${1:-}" = "-v" ]; then
    verbose=1
    shift
fi
[ -x src/cairn-server ] || { echo "src/cairn-server not found: run make first" >&2; exit 2; }
command -v "$REDIS_SERVER" >/dev/null || { echo "$REDIS_SERVER not found" >&2; exit 2; }

tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT

spare_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_ping() { # port
    for _ in $(seq 1 100); do
        [ "$(redis-cli -p "$1" ping 2>/dev/null)" = PONG ] && return 0
        sleep 0.05
    done
    echo "server on port $1 did not answer PING" >&2
    exit 2
}

cport=$(spare_port)
rport=$(spare_port)
while [ "$rport" = "$cport" ]; do rport=$(spare_port); done
mkdir -p "$tmp/cairn" "$tmp/redis"
(cd "$tmp/cairn" && exec "$OLDPWD/src/cairn-server" --port "$cport" --bind 127.0.0.1 >log 2>&1) &
pids+=($!)
(cd "$tmp/redis" && exec "$REDIS_SERVER" --port "$rport" --bind 127.0.0.1 --save '' >log 2>&1) &
pids+=($!)
wait_ping "$cport"
wait_ping "$rport"

python3 - "$cport" "$rport" "$verbose" "$@" <<'EOF'
import difflib, socket, sys

cport, rport, verbose, only = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4:]

class Conn:
    def __init__(self, port, proto):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.f = self.s.makefile("rb")
        if proto == 3:
            self.call("HELLO", "3")

    def call(self, *args):
        req = b"*%d\r\n" % len(args)
        for a in args:
            a = a.encode()
            req += b"$%d\r\n%s\r\n" % (len(a), a)
        self.s.sendall(req)
        return self.read()

    def read(self):
        line = self.f.readline()
        if not line.endswith(b"\r\n"):
            raise SystemExit("connection closed or bad reply: %r" % line)
        t, rest = chr(line[0]), line[1:-2].decode()
        if t in "+-:,#(":
            return (t, rest)
        if t == "_":
            return (t, None)
        if t in "$=!":
            n = int(rest)
            if n < 0:
                return (t, None)
            return (t, self.f.read(n + 2)[:-2].decode())
        if t in "*~>":
            n = int(rest)
            return (t, None if n < 0 else [self.read() for _ in range(n)])
        if t in "%|":
            return (t, [(self.read(), self.read()) for _ in range(int(rest))])
        raise SystemExit("unknown RESP type %r" % line)

def show(v, ind, out):
    t, x = v
    pad = "  " * ind
    if t in "*~>%|" and x is None:
        out.append(pad + t + "-1")
    elif t in "*~>":
        out.append("%s%s%d" % (pad, t, len(x)))
        for e in x:
            show(e, ind + 1, out)
    elif t in "%|":
        out.append("%s%s%d" % (pad, t, len(x)))
        for k, e in x:
            show(k, ind + 1, out)
            show(e, ind + 2, out)
    else:
        out.append(pad + t + ("" if x is None else repr(x)))
    return out

def text(v):
    return v[1] if v[0] in "$+" else None

# Pairs of a map: a RESP3 map, or a RESP2 flat array.
def pairs(v):
    if v[0] in "%|":
        return list(v[1])
    return [(v[1][i], v[1][i + 1]) for i in range(0, len(v[1]), 2)]

def rebuild(v, prs):
    if v[0] in "%|":
        return (v[0], prs)
    return (v[0], [e for p in prs for e in p])

missing = {}  # container -> Redis subcommands Cairn lacks

def keep_sub(name, known):
    """known: the names both servers have."""
    if name in known:
        return True
    if name not in cairn_names:
        missing.setdefault(name.split("|")[0], set()).add(name)
    return False

def norm_info(v, known):
    """COMMAND INFO reply: sort each entry's subcommands, drop unknown ones."""
    if v[0] != "*" or v[1] is None:
        return v
    out = []
    for e in v[1]:
        if e[0] == "*" and e[1] and len(e[1]) >= 10:
            subs = e[1][9]
            kept = [norm_info(("*", [s]), known)[1][0] for s in subs[1] if keep_sub(text(s[1][0]), known)]
            kept.sort(key=lambda s: text(s[1][0]))
            e = ("*", e[1][:9] + [(subs[0], kept)] + e[1][10:])
        out.append(e)
    return ("*", out)

def norm_docs(v, known):
    """COMMAND DOCS reply: sort each doc's "subcommands" map, drop unknown ones."""
    prs = []
    for k, d in pairs(v):
        dp = []
        for dk, dv in pairs(d):
            if text(dk) == "subcommands":
                sub = [p for p in pairs(dv) if keep_sub(text(p[0]), known)]
                sub.sort(key=lambda p: text(p[0]))
                dv = norm_docs(rebuild(dv, sub), known)
            dp.append((dk, dv))
        prs.append((k, rebuild(d, dp)))
    return rebuild(v, prs)

conns = {(side, proto): Conn(port, proto) for side, port in (("cairn", cport), ("redis", rport)) for proto in (2, 3)}
version = [l for l in conns["redis", 2].call("INFO", "server")[1].split("\r\n") if l.startswith("redis_version:")][0][14:]
names = [text(e) for e in conns["cairn", 2].call("COMMAND", "LIST")[1]]
cairn_names = set(names)
absent = [n for n in names if conns["redis", 2].call("COMMAND", "INFO", n)[1][0][1] is None]
known = cairn_names - set(absent)
if only:
    names = only

same = differ = compared = 0
for name in names:
    if name in absent:
        continue
    compared += 1
    for what, norm in (("INFO", norm_info), ("DOCS", norm_docs)):
        for proto in (2, 3):
            got = norm(conns["cairn", proto].call("COMMAND", what, name), known)
            want = norm(conns["redis", proto].call("COMMAND", what, name), known)
            a, b = show(want, 0, []), show(got, 0, [])
            if a == b:
                same += 1
                continue
            differ += 1
            diff = list(difflib.unified_diff(a, b, "redis %s" % version, "cairn", lineterm="", n=2))
            print("DIFF COMMAND %s %s (RESP%d)" % (what, name, proto))
            for line in diff if verbose else diff[:60]:
                print("    " + line)
            if not verbose and len(diff) > 60:
                print("    ... (%d more lines; -v shows all)" % (len(diff) - 60))

for parent in sorted(missing):
    print("not implemented (Redis %s has them): %s" % (version, " ".join(sorted(missing[parent]))))
for name in absent:
    if name in names:
        print("not in Redis %s (not compared): %s" % (version, name))
print("compared %d names (x4 replies): %d identical, %d differ" % (compared, same, differ))
sys.exit(1 if differ else 0)
EOF
