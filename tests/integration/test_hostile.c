/* tests/integration/test_hostile.c: bad input, as a list. Each row is what a hostile or
 * broken client sends and what must come back: a reply (exact bytes or text), or a closed
 * connection. After every row a second, independent client checks that the server still
 * serves (GET of a canary key set at the start, and a PING on a new connection), and at
 * the end the server must exit cleanly (srv_stop checks that).
 *
 * Covered: multibulk counts and bulk lengths that are negative, huge, non-numeric or past
 * proto-max-bulk-len, before and after AUTH; header lines that never end; the query buffer
 * limit (an inline line, one bulk, a command of many small arguments, a pipeline); a 1 GB
 * bulk declared and never sent; 1,000,000 arguments; NUL, CR and LF in keys and values;
 * integer and float overflow in numeric arguments; extreme indexes; SCAN cursors; timeouts
 * of blocking commands; glob patterns built to backtrack (KEYS, SCAN MATCH, PSUBSCRIBE);
 * SETRANGE/SETBIT/APPEND/BITFIELD past proto-max-bulk-len; corrupted HyperLogLogs; clients
 * that leave in the middle of a 100 MB reply.
 *
 * Every row was checked against Redis 7.0.15 (CAIRN_TEST_SERVER=/usr/bin/redis-server).
 * Where Cairn deliberately answers otherwise the row carries Redis's answer too, with the
 * reason, and the suite picks the one for the server under test.
 *
 * ZRANDMEMBER/SRANDMEMBER/HRANDFIELD with a count of -LLONG_MAX are checked on Cairn only:
 * Redis tries to build a reply of 9.2e18 elements and runs out of memory; Cairn refuses a
 * reply of picks that would not fit in the memory left (t_rand_counts).
 *
 * Not rows, on purpose: CLIENT PAUSE with a huge timeout (pauses the test itself), WAIT
 * 2147483648 0 (Redis truncates the count to an int and answers at once; Cairn waits for
 * that many replicas, that is forever) and SORT of numbers near DBL_MAX (Redis reads a
 * stale errno and sometimes refuses them). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/harness.h"

static srv *S;   /* default configuration */
static srv *SPW; /* --requirepass pw */
static bool CAIRN;
static redisContext *CANARY; /* the independent client, connected at the start */

#define CANARY_KEY   "canary"
#define CANARY_VALUE "still-serving"
#define MB           (1024 * 1024)

/* ---------------------------------------------------------------- still serving */

/* The canary client reads its key back and a new connection is answered. */
static void serving_at(const char *file, int line, srv *s) {
    if (s == S) {
        redisReply *r = CANARY ? redisCommand(CANARY, "GET %s", CANARY_KEY) : NULL;
        if (!r || r->type != REDIS_REPLY_STRING || strcmp(r->str, CANARY_VALUE) != 0)
            test_fail(file, line, "the canary client got %s", r ? reply_describe(r) : "no reply");
        if (r) freeReplyObject(r);
    }
    /* A new connection: PING answered (NOAUTH counts as an answer). */
    int fd = raw_connect_at(file, line, s);
    if (fd < 0) return;
    raw_send_at(file, line, fd, "PING\r\n", 6);
    size_t len;
    char *f = raw_read_frame_at(file, line, fd, &len);
    if (!f ||
        (strcmp(f, "+PONG\r\n") != 0 && strcmp(f, "-NOAUTH Authentication required.\r\n") != 0))
        test_fail(file, line, "a new connection is not served");
    free(f);
    close(fd);
}
#define SERVING(s) serving_at(__FILE__, __LINE__, (s))

static long long used_memory(redisContext *c) { return info_int(c, "memory", "used_memory"); }

/* No byte has arrived on fd and it is still open. Called after the canary's round trip:
 * the server read our bytes before it read the canary's later ones, and writes every
 * reply before it sleeps, so an answer would be here by now. */
static void quiet_at(const char *file, int line, int fd) {
    char b;
    ssize_t n = recv(fd, &b, 1, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    test_fail(file, line, "expected silence on an open connection, got %s",
              n == 0  ? "a close"
              : n > 0 ? "a byte"
                      : strerror(errno));
}
#define QUIET(fd) quiet_at(__FILE__, __LINE__, (fd))

/* ---------------------------------------------------------------- raw protocol rows */

enum { SERVES, WAITS, CLOSES };
static const char *const AFTER_NAME[] = {"serves", "waits", "closes"};

typedef struct {
    const char *req;
    size_t reqlen;
    const char *reply; /* the exact bytes that come back first */
    size_t replylen;
    int after; /* SERVES: a PING on the same connection is answered; WAITS: the request is
                  incomplete, nothing comes back and the connection stays open; CLOSES */
    /* Redis's answer where Cairn deliberately differs (NULL: the same). */
    const char *redis_reply;
    size_t redis_replylen;
    int redis_after;
} raw_row;

#define B(s)       (s), sizeof(s) - 1
#define PERR(text) B("-ERR Protocol error: " text "\r\n")
#define ROW(req, reply, after)                                                                     \
    { B(req), reply, after, NULL, 0, 0 }

static void raw_row_at(const char *file, int line, srv *s, const raw_row *w) {
    const char *reply = w->reply;
    size_t replylen = w->replylen;
    int after = w->after;
    if (!CAIRN && w->redis_reply)
        reply = w->redis_reply, replylen = w->redis_replylen, after = w->redis_after;
    int fd = raw_connect_at(file, line, s);
    if (fd < 0) return;
    int before = test_checks_failed;
    raw_send_at(file, line, fd, w->req, w->reqlen);
    if (replylen) raw_expect_at(file, line, fd, reply, replylen);
    if (after == CLOSES) {
        raw_expect_closed_at(file, line, fd);
    } else if (after == SERVES) {
        static const char pong[] = "+PONG\r\n", noauth[] = "-NOAUTH Authentication required.\r\n";
        raw_send_at(file, line, fd, "PING\r\n", 6);
        if (s == SPW)
            raw_expect_at(file, line, fd, noauth, sizeof noauth - 1);
        else
            raw_expect_at(file, line, fd, pong, sizeof pong - 1);
    }
    serving_at(file, line, s);
    if (after == WAITS) quiet_at(file, line, fd);
    if (test_checks_failed != before) {
        char *e = escape_bytes(w->req, w->reqlen, 120);
        fprintf(stderr, "    (row \"%s\", expected to be answered and then %s)\n", e,
                AFTER_NAME[after]);
        free(e);
    }
    close(fd);
}

static void raw_rows_at(const char *file, int line, srv *s, const raw_row *rows, size_t n) {
    for (size_t i = 0; i < n; i++) raw_row_at(file, line, s, &rows[i]);
}
#define RAW_ROWS(s, rows)                                                                          \
    raw_rows_at(__FILE__, __LINE__, (s), (rows), sizeof(rows) / sizeof(rows[0]))

/* ---------------------------------------------------------------- command rows */

/* A reply as one line of text: +status, -error, :integer, $bulk (escaped), _ for nil,
 * *[a|b|...] for an array (elements written the same way). */
typedef struct {
    char *buf;
    size_t len, cap;
} text;

static void text_add(text *t, const char *s, size_t n) {
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->buf = realloc(t->buf, t->cap);
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

static void render(text *t, const redisReply *r) {
    char num[32];
    switch (r->type) {
    case REDIS_REPLY_STATUS:
        text_add(t, "+", 1), text_add(t, r->str, r->len);
        break;
    case REDIS_REPLY_ERROR:
        text_add(t, "-", 1), text_add(t, r->str, r->len);
        break;
    case REDIS_REPLY_INTEGER:
        text_add(t, num, (size_t)snprintf(num, sizeof num, ":%lld", r->integer));
        break;
    case REDIS_REPLY_NIL:
        text_add(t, "_", 1);
        break;
    case REDIS_REPLY_STRING: {
        char *e = escape_bytes(r->str, r->len, r->len);
        text_add(t, "$", 1), text_add(t, e, strlen(e));
        free(e);
        break;
    }
    case REDIS_REPLY_ARRAY:
        text_add(t, "*[", 2);
        for (size_t i = 0; i < r->elements; i++) {
            if (i) text_add(t, "|", 1);
            render(t, r->element[i]);
        }
        text_add(t, "]", 1);
        break;
    default:
        text_add(t, "?", 1);
    }
}

typedef struct {
    const char *cmd;       /* arguments separated by single spaces; "" is an empty argument, and
                              inside one \\s is a space, \\0 a NUL */
    const char *want;      /* the reply as render() writes it; a trailing "..." matches a prefix */
    const char *redis;     /* Redis 7.0.15's answer where Cairn deliberately differs, or NULL */
} cmd_row;

#define R(cmd, want)                                                                               \
    { (cmd), (want), NULL }
#define R_REDIS(cmd, want, redis)                                                                  \
    { (cmd), (want), (redis) }

/* Runs cmd on c and compares the rendered reply with want. */
static void cmd_row_at(const char *file, int line, redisContext *c, const cmd_row *w) {
    const char *want = !CAIRN && w->redis ? w->redis : w->want;
    const char *argv[64];
    size_t lens[64];
    int argc = 0;
    char *buf = malloc(strlen(w->cmd) + 1), *o = buf;
    for (const char *p = w->cmd; *p && argc < 64;) {
        argv[argc] = o;
        const char *end = strchr(p, ' ');
        if (!end) end = p + strlen(p);
        if (end - p == 2 && p[0] == '"' && p[1] == '"') p = end;
        while (p < end) {
            if (p[0] == '\\' && p + 1 < end && (p[1] == 's' || p[1] == '0')) {
                *o++ = p[1] == 's' ? ' ' : '\0';
                p += 2;
            } else {
                *o++ = *p++;
            }
        }
        lens[argc] = (size_t)(o - argv[argc]);
        argc++;
        p = *end ? end + 1 : end;
    }
    redisReply *r = c ? redisCommandArgv(c, argc, argv, lens) : NULL;
    text got = {0};
    if (r)
        render(&got, r);
    else
        text_add(&got, "(no reply: connection error)", 28);
    size_t wl = strlen(want);
    bool prefix = wl >= 3 && strcmp(want + wl - 3, "...") == 0;
    bool ok = prefix ? got.len >= wl - 3 && memcmp(got.buf, want, wl - 3) == 0
                     : strcmp(got.buf, want) == 0;
    if (!ok)
        test_fail(file, line, "%s\n      got:      %.300s\n      expected: %.300s", w->cmd, got.buf,
                  want);
    free(got.buf);
    free(buf);
    if (r) freeReplyObject(r);
}

/* Every row on one connection, in order (rows build on earlier rows' keys); the canary
 * check after each. Runs in db 9 so that FLUSHDB rows leave the canary alone. */
static void cmd_rows_at(const char *file, int line, const cmd_row *rows, size_t n) {
    redisContext *c = srv_connect_at(file, line, S);
    if (!c) return;
    redisReply *r = redisCommand(c, "SELECT 9");
    if (r) freeReplyObject(r);
    r = redisCommand(c, "FLUSHDB");
    if (r) freeReplyObject(r);
    for (size_t i = 0; i < n; i++) {
        cmd_row_at(file, line, c, &rows[i]);
        serving_at(file, line, S);
    }
    r = redisCommand(c, "FLUSHDB");
    if (r) freeReplyObject(r);
    redisFree(c);
}
#define CMD_ROWS(rows) cmd_rows_at(__FILE__, __LINE__, (rows), sizeof(rows) / sizeof(rows[0]))

/* ---------------------------------------------------------------- start */

static void t_start(void) {
    S = srv_start(NULL);
    SPW = srv_start((const char *[]){"--requirepass", "pw", NULL});
    if (!S || !SPW) return;
    CAIRN = srv_is_cairn(S);
    CANARY = srv_connect(S);
    EXPECT_STATUS(CANARY, "OK", "SET %s %s", CANARY_KEY, CANARY_VALUE);
}

/* ---------------------------------------------------------------- protocol rows */

static const raw_row protocol_rows[] = {
    /* Multibulk counts. Zero and negative counts are empty commands, skipped. */
    ROW("*0\r\nPING\r\n", B("+PONG\r\n"), SERVES),
    /* An unknown name's entry is a null bulk in RESP2, as in Redis (hiredis reads a null
     * array the same, so only the bytes tell). */
    ROW("COMMAND INFO nosuchcommand\r\n", B("*1\r\n$-1\r\n"), SERVES),
    ROW("*-1\r\nPING\r\n", B("+PONG\r\n"), SERVES),
    ROW("*-2\r\nPING\r\n", B("+PONG\r\n"), SERVES),
    ROW("*-9223372036854775808\r\nPING\r\n", B("+PONG\r\n"), SERVES),
    ROW("*-9223372036854775809\r\n", PERR("invalid multibulk length"), CLOSES),
    ROW("*2147483648\r\n", PERR("invalid multibulk length"), CLOSES),
    ROW("*99999999999\r\n", PERR("invalid multibulk length"), CLOSES),
    ROW("*9223372036854775807\r\n", PERR("invalid multibulk length"), CLOSES),
    ROW("*99999999999999999999\r\n", PERR("invalid multibulk length"), CLOSES),
    ROW("*abc\r\n", PERR("invalid multibulk length"), CLOSES),
    ROW("*\r\n", PERR("invalid multibulk length"), CLOSES),
    ROW("*1x\r\n", PERR("invalid multibulk length"), CLOSES),
    ROW("*+1\r\n$4\r\nPING\r\n", PERR("invalid multibulk length"), CLOSES),
    ROW("* 1\r\n$4\r\nPING\r\n", PERR("invalid multibulk length"), CLOSES),
    ROW("*01\r\n$4\r\nPING\r\n", PERR("invalid multibulk length"), CLOSES),
    ROW("*1 \r\n$4\r\nPING\r\n", PERR("invalid multibulk length"), CLOSES),
    ROW("*1\n$4\r\nPING\r\n", PERR("invalid multibulk length"),
        CLOSES), /* a bare LF is no line end */
    /* The largest counts are accepted: nothing is reserved for arguments not sent. */
    ROW("*2147483647\r\n", B(""), WAITS),
    ROW("*1048577\r\n$4\r\nPING\r\n", B(""), WAITS),
    ROW("*1000000\r\n$3\r\nDEL\r\n$1\r\na\r\n$1\r\nb\r\n", B(""), WAITS),
    /* Bulk lengths. */
    ROW("*1\r\n$-1\r\n", PERR("invalid bulk length"), CLOSES),
    ROW("*1\r\n$-2\r\n", PERR("invalid bulk length"), CLOSES),
    ROW("*1\r\n$-9223372036854775808\r\n", PERR("invalid bulk length"), CLOSES),
    ROW("*1\r\n$99999999999\r\n", PERR("invalid bulk length"), CLOSES),
    ROW("*1\r\n$9223372036854775807\r\n", PERR("invalid bulk length"), CLOSES),
    ROW("*1\r\n$99999999999999999999\r\n", PERR("invalid bulk length"), CLOSES),
    ROW("*1\r\n$abc\r\n", PERR("invalid bulk length"), CLOSES),
    ROW("*1\r\n$\r\n", PERR("invalid bulk length"), CLOSES),
    ROW("*1\r\n$+4\r\nPING\r\n", PERR("invalid bulk length"), CLOSES),
    ROW("*1\r\n$04\r\nPING\r\n", PERR("invalid bulk length"), CLOSES),
    ROW("*1\r\n$ 4\r\nPING\r\n", PERR("invalid bulk length"), CLOSES),
    ROW("*1\r\n$4 \r\nPING\r\n", PERR("invalid bulk length"), CLOSES),
    ROW("*2\r\n$4\r\nECHO\r\n$536870913\r\n", PERR("invalid bulk length"), CLOSES), /* > 512mb */
    ROW("*2\r\n$4\r\nECHO\r\n$536870912\r\n", B(""), WAITS), /* = 512mb: accepted, not allocated */
    /* What must follow a count. */
    ROW("*1\r\nx\r\n", PERR("expected '$', got 'x'"), CLOSES),
    ROW("*1\r\n:4\r\n", PERR("expected '$', got ':'"), CLOSES),
    ROW("*1\r\n*1\r\n", PERR("expected '$', got '*'"), CLOSES),
    ROW("*2\r\n$4\r\nECHO\r\n+OK\r\n", PERR("expected '$', got '+'"), CLOSES),
    /* The two bytes after a bulk are skipped unread, as Redis does. */
    ROW("*1\r\n$4\r\nPINGxx", B("+PONG\r\n"), SERVES),
    ROW("*2\r\n$4\r\nECHO\r\n$2\r\nabc\r\n", B("$2\r\nab\r\n"), SERVES),
    /* RESP types other than '*' start an inline command. */
    ROW("$4\r\nPING\r\n", B("-ERR unknown command '$4', with args beginning with: \r\n+PONG\r\n"),
        SERVES),
    ROW(":1\r\n", B("-ERR unknown command ':1', with args beginning with: \r\n"), SERVES),
    ROW("-ERR\r\n", B("-ERR unknown command '-ERR', with args beginning with: \r\n"), SERVES),
    /* Inline quoting. */
    ROW("\"\r\n", PERR("unbalanced quotes in request"), CLOSES),
    ROW("'\r\n", PERR("unbalanced quotes in request"), CLOSES),
    ROW("SET a \"b\"c\r\n", PERR("unbalanced quotes in request"), CLOSES),
    ROW("ECHO \"a\\\r\n", PERR("unbalanced quotes in request"), CLOSES),
    ROW("ECHO \"\\x4\"\r\n", B("$2\r\nx4\r\n"), SERVES), /* half an escape is two bytes */
    ROW("ECHO \"\\xzz\"\r\n", B("$3\r\nxzz\r\n"), SERVES),
    ROW("\r\n\n\n   \t  \r\nPING\r\n", B("+PONG\r\n"), SERVES),
    ROW("PING\rPING\r\n", B("$4\r\nPING\r\n"), SERVES), /* a lone CR separates arguments */
    /* CR, LF and NUL in command names and arguments. Error texts never break a line. */
    ROW("*1\r\n$6\r\nPI\r\nNG\r\n",
        B("-ERR unknown command 'PI  NG', with args beginning with: \r\n"), SERVES),
    ROW("*2\r\n$6\r\nPI\r\nNG\r\n$4\r\na\r\nb\r\n",
        B("-ERR unknown command 'PI  NG', with args beginning with: 'a  b' \r\n"), SERVES),
    ROW("*1\r\n$5\r\nPI\0NG\r\n", B("-ERR unknown command 'PI', with args beginning with: \r\n"),
        SERVES),
    ROW("*2\r\n$6\r\nCLIENT\r\n$4\r\nNO\r\nP\r\n",
        B("-ERR unknown subcommand 'NO  '. Try CLIENT HELP.\r\n"), SERVES),
    ROW("*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$3\r\na\nb\r\n",
        B("-ERR Client names cannot contain spaces, newlines or special characters.\r\n"), SERVES),
    ROW("*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$3\r\na\r\n\r\n$1\r\nb\r\n",
        B("-ERR Unknown option or number of arguments for CONFIG SET - 'a  '\r\n"), SERVES),
    ROW("*3\r\n$3\r\nSET\r\n$5\r\nk\0\r\n\1\r\n$3\r\n\r\n\0\r\n*2\r\n$3\r\nGET\r\n$"
        "5\r\nk\0\r\n\1\r\n"
        "*2\r\n$3\r\nDEL\r\n$5\r\nk\0\r\n\1\r\n",
        B("+OK\r\n$3\r\n\r\n\0\r\n:1\r\n"), SERVES),
    ROW("SET \"k\\x00\\r\\n\" \"v\\r\\n\"\r\nGET \"k\\x00\\r\\n\"\r\nDEL \"k\\x00\\r\\n\"\r\n",
        B("+OK\r\n$3\r\nv\r\n\r\n:1\r\n"), SERVES),
    /* A raw NUL in an inline line. Cairn reads the line by its length: the NUL is a byte
     * of the argument. Redis looks for the line end with strchr, which stops at the NUL,
     * so it waits for a line end that never comes (until the line passes 64 KB). */
    {B("PING\0\r\n"), B("-ERR unknown command 'PING', with args beginning with: \r\n"), SERVES,
     B(""), WAITS},
    /* Numbers that are not numbers, in a bulk. */
    ROW("*2\r\n$4\r\nINCR\r\n$3\r\nx\r\n\r\n*3\r\n$6\r\nINCRBY\r\n$3\r\nx\r\n\r\n$3\r\n1\0002\r\n"
        "*2\r\n$3\r\nDEL\r\n$3\r\nx\r\n\r\n",
        B(":1\r\n-ERR value is not an integer or out of range\r\n:1\r\n"), SERVES),
    ROW("*2\r\n$6\r\nSELECT\r\n$2\r\n1\0\r\n",
        B("-ERR value is not an integer or out of range\r\n"), SERVES),
    ROW("*4\r\n$4\r\nZADD\r\n$1\r\nz\r\n$3\r\n1\0a\r\n$1\r\nm\r\n",
        B("-ERR value is not a valid float\r\n"), SERVES),
};

static void t_protocol_rows(void) { RAW_ROWS(S, protocol_rows); }

static const raw_row unauth_rows[] = {
    ROW("PING\r\n", B("-NOAUTH Authentication required.\r\n"), SERVES),
    ROW("*-1\r\n*0\r\nPING\r\n", B("-NOAUTH Authentication required.\r\n"), SERVES),
    ROW("*11\r\n", PERR("unauthenticated multibulk length"), CLOSES),
    ROW("*1048577\r\n", PERR("unauthenticated multibulk length"), CLOSES),
    ROW("*2147483648\r\n", PERR("invalid multibulk length"), CLOSES),
    ROW("*2\r\n$4\r\nAUTH\r\n$16385\r\n", PERR("unauthenticated bulk length"), CLOSES),
    ROW("*2\r\n$4\r\nAUTH\r\n$536870913\r\n", PERR("invalid bulk length"), CLOSES),
    ROW("*2\r\n$4\r\nAUTH\r\n$-1\r\n", PERR("invalid bulk length"), CLOSES),
    ROW("*10\r\n$4\r\nAUTH\r\n", B(""), WAITS),
    ROW("*2\r\n$4\r\nAUTH\r\n$16384\r\n", B(""), WAITS),
    ROW("AUTH a b c d e f g h i j k l\r\n", B("-ERR syntax error\r\n"), SERVES),
    ROW("AUTH a b\r\n", B("-WRONGPASS invalid username-password pair or user is disabled.\r\n"),
        SERVES),
};

static void t_unauthenticated(void) { RAW_ROWS(SPW, unauth_rows); }

/* ---------------------------------------------------------------- floods */

/* Sends prefix, then fill bytes until total bytes in all, in 64 KB writes; stops quietly
 * once the server has closed. Returns the bytes sent. */
static size_t flood(int fd, const char *prefix, size_t plen, char fill, size_t total) {
    static char chunk[64 * 1024];
    memset(chunk, fill, sizeof chunk);
    size_t sent = 0;
    if (send(fd, prefix, plen, MSG_NOSIGNAL) != (ssize_t)plen) return 0;
    sent = plen;
    while (sent < total) {
        size_t n = total - sent < sizeof chunk ? total - sent : sizeof chunk;
        ssize_t w = send(fd, chunk, n, MSG_NOSIGNAL);
        if (w <= 0) break;
        sent += (size_t)w;
    }
    return sent;
}

/* Reads until the server closes (EOF or reset, within the deadline); what arrived must be
 * exactly want ("" for nothing). */
static void reply_then_closed_at(const char *file, int line, int fd, const char *want) {
    size_t cap = 4096, got = 0;
    char *buf = malloc(cap);
    long long deadline = now_ms() + RAW_DEADLINE_MS;
    bool closed = false;
    while (now_ms() < deadline) {
        if (got == cap) buf = realloc(buf, cap *= 2);
        struct timeval tv = {0, 100 * 1000};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ssize_t n = recv(fd, buf + got, cap - got, 0);
        if (n > 0) {
            got += (size_t)n;
        } else if (n == 0 || errno == ECONNRESET) {
            closed = true;
            break;
        } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            break;
        }
    }
    if (got != strlen(want) || memcmp(buf, want, got) != 0) {
        char *g = escape_bytes(buf, got, 200);
        test_fail(file, line, "got \"%s\" before the close, expected \"%s\"", g, want);
        free(g);
    }
    if (!closed) test_fail(file, line, "the connection was not closed");
    free(buf);
}
#define REPLY_THEN_CLOSED(fd, want) reply_then_closed_at(__FILE__, __LINE__, (fd), (want))

/* Header lines past 64 KB (PROTO_INLINE_MAX_SIZE): the line is refused without its end. */
static void t_endless_lines(void) {
    static const struct {
        const char *prefix;
        char fill;
        const char *reply;
    } rows[] = {
        {"", 'A', "-ERR Protocol error: too big inline request\r\n"},
        {"SET k \"", 'A', "-ERR Protocol error: too big inline request\r\n"},
        {"*", '1', "-ERR Protocol error: too big mbulk count string\r\n"},
        {"*1\r\n$", '1', "-ERR Protocol error: too big bulk count string\r\n"},
        {"*2\r\n$3\r\nGET\r\n$", '0', "-ERR Protocol error: too big bulk count string\r\n"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int fd = raw_connect(S);
        if (fd < 0) return;
        flood(fd, rows[i].prefix, strlen(rows[i].prefix), rows[i].fill, 70000);
        REPLY_THEN_CLOSED(fd, rows[i].reply);
        close(fd);
        SERVING(S);
    }
}

/* client-query-buffer-limit at its minimum, 1mb. It bounds the bytes not yet parsed into
 * arguments (an unfinished line, the bulk being read), not the size of a command. */
static void t_query_buffer_limit(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "CONFIG SET client-query-buffer-limit 1mb");
    EXPECT_ERR_PREFIX(c, "ERR CONFIG SET failed", "CONFIG SET client-query-buffer-limit 1048575");

    /* An inline request with no line end, growing to 4 MB: the 64 KB inline limit refuses it
     * long before the query buffer limit is reached. */
    int fd = raw_connect(S);
    flood(fd, "", 0, 'A', 4 * MB);
    REPLY_THEN_CLOSED(fd, "-ERR Protocol error: too big inline request\r\n");
    close(fd);
    SERVING(S);

    /* One 2 MB bulk: the connection is closed without a reply once 1 MB is waiting. */
    static const char bulk[] = "*3\r\n$3\r\nSET\r\n$4\r\nqbl1\r\n$2097152\r\n";
    fd = raw_connect(S);
    flood(fd, bulk, sizeof bulk - 1, 'x', 4 * MB);
    REPLY_THEN_CLOSED(fd, "");
    close(fd);
    EXPECT_INT(c, 0, "EXISTS qbl1");
    SERVING(S);

    /* A 4.4 MB command of 400,001 small arguments: each argument leaves the query buffer
     * once parsed, so the limit is never reached. */
    enum { PAIRS = 200000 };
    size_t cap = (size_t)PAIRS * 32 + 64, len = 0;
    char *req = malloc(cap);
    len += (size_t)sprintf(req, "*%d\r\n$4\r\nMSET\r\n", 2 * PAIRS + 1);
    for (int i = 0; i < PAIRS; i++)
        len += (size_t)sprintf(req + len, "$7\r\nq%06d\r\n$1\r\nv\r\n", i);
    fd = raw_connect(S);
    raw_send_str(fd, "SELECT 9\r\n");
    raw_send(fd, req, len);
    raw_send_str(fd, "GET q199999\r\nFLUSHDB\r\n");
    raw_expect_str(fd, "+OK\r\n+OK\r\n$1\r\nv\r\n+OK\r\n");
    close(fd);
    SERVING(S);

    /* A 2.4 MB pipeline of small commands sent in one go: all answered. */
    enum { PINGS = 400000 };
    free(req);
    req = malloc((size_t)PINGS * 6);
    char *want = malloc((size_t)PINGS * 7 + 1);
    for (int i = 0; i < PINGS; i++)
        memcpy(req + 6 * i, "PING\r\n", 6), memcpy(want + 7 * i, "+PONG\r\n", 7);
    fd = raw_connect(S);
    raw_send(fd, req, (size_t)PINGS * 6);
    raw_expect(fd, want, (size_t)PINGS * 7);
    close(fd);
    free(want);
    SERVING(S);

    /* The same pipeline behind a blocked command waits unparsed: closed at the limit. */
    fd = raw_connect(S);
    raw_send_str(fd, "BLPOP qbl:nolist 0\r\n");
    for (size_t off = 0; off < (size_t)PINGS * 6;) {
        ssize_t w = send(fd, req + off, (size_t)PINGS * 6 - off, MSG_NOSIGNAL);
        if (w <= 0) break; /* closed under us: expected */
        off += (size_t)w;
    }
    REPLY_THEN_CLOSED(fd, "");
    close(fd);
    WAIT_FOR(info_blocked_clients(c) == 0, 5000);
    free(req);
    SERVING(S);

    EXPECT_STATUS(c, "OK", "CONFIG SET client-query-buffer-limit 1gb");
    redisFree(c);
}

/* ---------------------------------------------------------------- a 1 GB bulk, never sent */

static void t_gigabyte_declared(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "CONFIG SET proto-max-bulk-len 1gb");
    long long before = used_memory(c);
    int fd = raw_connect(S);
    raw_send_str(fd, "*3\r\n$3\r\nSET\r\n$4\r\nhuge\r\n$1073741824\r\n");
    char *part = malloc(MB);
    memset(part, 'h', MB);
    raw_send(fd, part, MB);
    free(part);
    SERVING(S); /* the header and at least the start of the data were read */
    QUIET(fd);
    long long during = used_memory(c);
    fprintf(stderr, "    1 GB bulk declared, 1 MB sent: used_memory %+lld bytes\n",
            during - before);
    /* Redis 7.0 reserves the whole declared length of a bulk of 32 KB or more as soon as
     * it reads the header (used_memory jumps by 1.3 GB); Cairn grows the buffer with the
     * data that actually arrives. */
    if (CAIRN) CHECK(during - before < 100LL * MB);
    EXPECT_INT(c, 0, "EXISTS huge");
    close(fd);
    WAIT_FOR(used_memory(c) - before < 4 * MB, 5000);
    EXPECT_STATUS(c, "OK", "CONFIG SET proto-max-bulk-len 512mb");
    SERVING(S);
    redisFree(c);
}

/* ---------------------------------------------------------------- 1,000,000 arguments */

/* Sends one command of argc arguments: the first ones from head (NULL-terminated), then
 * "<prefix><i>" for i = 0.. until argc; expects the reply want. Returns the time in ms. */
static long long million(const char *const *head, int argc, const char *prefix, const char *want) {
    size_t cap = (size_t)argc * 24 + 4096, len = 0;
    char *req = malloc(cap);
    len += (size_t)sprintf(req, "*%d\r\n", argc);
    int i = 0;
    for (; head[i]; i++)
        len += (size_t)sprintf(req + len, "$%zu\r\n%s\r\n", strlen(head[i]), head[i]);
    char arg[32];
    for (int j = 0; i < argc; i++, j++) {
        int al = snprintf(arg, sizeof arg, "%s%d", prefix, j);
        len += (size_t)sprintf(req + len, "$%d\r\n%s\r\n", al, arg);
    }
    int fd = raw_connect(S);
    long long t0 = now_ms();
    raw_send_str(fd, "SELECT 9\r\n");
    raw_send(fd, req, len);
    raw_expect_str(fd, "+OK\r\n");
    raw_expect_str(fd, want);
    long long ms = now_ms() - t0;
    close(fd);
    free(req);
    return ms;
}

static void t_million_arguments(void) {
    enum { N = 1000000 };
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "SELECT 9");
    long long t_sadd = million((const char *[]){"SADD", "m:set", NULL}, N, "m", ":999998\r\n");
    long long t_mset =
        million((const char *[]){"MSET", NULL}, N - 1, "k", "+OK\r\n"); /* pairs k<i> k<i+1> */
    EXPECT_INT(c, (N - 2) / 2 + 1, "DBSIZE");
    long long t_exists = million((const char *[]){"EXISTS", NULL}, N, "k", ":499999\r\n");
    long long t_del = million((const char *[]){"DEL", "m:set", NULL}, N, "k", ":500000\r\n");
    EXPECT_INT(c, 0, "DBSIZE");
    fprintf(stderr,
            "    1,000,000 arguments: SADD %lld ms, MSET %lld ms, EXISTS %lld ms, DEL %lld ms\n",
            t_sadd, t_mset, t_exists, t_del);
    /* Announced but not sent: the client leaves after a few of them. */
    int fd = raw_connect(S);
    raw_send_str(fd, "*1000000\r\n$4\r\nSADD\r\n$1\r\ns\r\n$1\r\na\r\n");
    SERVING(S);
    QUIET(fd);
    close(fd);
    EXPECT_INT(c, 0, "EXISTS s");
    SERVING(S);
    redisFree(c);
}

/* ---------------------------------------------------------------- binary keys */

static void t_binary_keys(void) {
    static const struct {
        const char *b;
        size_t len;
    } keys[] = {{B("a\0b")}, {B("\r\n")}, {B("k\r\nv")},
                {B("\0")},   {B("*\0*")}, {B("\r\n*3\r\n$3\r\nDEL\r\n")},
                {B("")}};
    enum { NK = sizeof keys / sizeof keys[0] };
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "SELECT 9");
    EXPECT_STATUS(c, "OK", "FLUSHDB");
    for (int i = 0; i < NK; i++) {
        char val[5] = {'v', '\r', '\n', '\0', (char)('0' + i)};
        size_t vl = sizeof val;
        redisReply *r = CMD(c, "SET %b %b", keys[i].b, keys[i].len, val, vl);
        CHECK_REPLY_STATUS(r, "OK");
        if (r) freeReplyObject(r);
        r = CMD(c, "GET %b", keys[i].b, keys[i].len);
        CHECK_REPLY_BULK_LEN(r, val, vl);
        if (r) freeReplyObject(r);
        r = CMD(c, "STRLEN %b", keys[i].b, keys[i].len);
        CHECK_REPLY_INT(r, (long long)vl);
        if (r) freeReplyObject(r);
        r = CMD(c, "GETRANGE %b 2 4", keys[i].b, keys[i].len);
        CHECK_REPLY_BULK_LEN(r, val + 2, 3);
        if (r) freeReplyObject(r);
        r = CMD(c, "TYPE %b", keys[i].b, keys[i].len);
        CHECK_REPLY_STATUS(r, "string");
        if (r) freeReplyObject(r);
    }
    EXPECT_INT(c, NK, "DBSIZE");
    /* KEYS and SCAN give the bytes back as they are; patterns hold NUL and CRLF too. */
    redisReply *r = CMD(c, "KEYS *");
    if (CHECK_REPLY_ARRAY(r, NK)) {
        for (int i = 0; i < NK; i++) {
            bool found = false;
            for (size_t j = 0; j < r->elements; j++)
                found |= r->element[j]->len == keys[i].len &&
                         memcmp(r->element[j]->str, keys[i].b, keys[i].len) == 0;
            if (!found) test_fail(__FILE__, __LINE__, "KEYS * lacks key %d", i);
        }
    }
    if (r) freeReplyObject(r);
    r = CMD(c, "KEYS %b", "*\0*", (size_t)3);
    if (CHECK_REPLY_ARRAY(r, 3)) { /* a\0b, \0, *\0* */
        for (size_t j = 0; j < r->elements; j++)
            CHECK(memchr(r->element[j]->str, 0, r->element[j]->len) != NULL);
    }
    if (r) freeReplyObject(r);
    r = CMD(c, "KEYS %b", "*\r\n*", (size_t)4);
    CHECK_REPLY_ARRAY(r, 3); /* \r\n, k\r\nv and the one that looks like a command */
    if (r) freeReplyObject(r);
    r = CMD(c, "KEYS %b", "\\*\\\0\\*", (size_t)6); /* escaped: exactly "*\0*" */
    if (CHECK_REPLY_ARRAY(r, 1)) CHECK_REPLY_BULK_LEN(r->element[0], "*\0*", 3);
    if (r) freeReplyObject(r);
    long long seen = 0, rounds = 0;
    char cursor[32] = "0";
    do {
        r = CMD(c, "SCAN %s MATCH %b COUNT 2", cursor, "*\0*", (size_t)3);
        if (!CHECK_REPLY_ARRAY(r, 2)) break;
        snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
        seen += (long long)r->element[1]->elements;
        freeReplyObject(r);
    } while (strcmp(cursor, "0") != 0 && ++rounds < 100);
    CHECK_EQ_INT(seen, 3);
    /* Renames, hashes and sets keep the bytes too. */
    r = CMD(c, "RENAME %b %b", "a\0b", (size_t)3, "\0\r\n\0", (size_t)4);
    CHECK_REPLY_STATUS(r, "OK");
    if (r) freeReplyObject(r);
    r = CMD(c, "EXISTS %b %b", "a\0b", (size_t)3, "\0\r\n\0", (size_t)4);
    CHECK_REPLY_INT(r, 1);
    if (r) freeReplyObject(r);
    r = CMD(c, "HSET h %b %b", "f\0\r\n", (size_t)4, "\r\n\0", (size_t)3);
    CHECK_REPLY_INT(r, 1);
    if (r) freeReplyObject(r);
    r = CMD(c, "HGET h %b", "f\0\r\n", (size_t)4);
    CHECK_REPLY_BULK_LEN(r, "\r\n\0", 3);
    if (r) freeReplyObject(r);
    r = CMD(c, "HGET h %b", "f", (size_t)1);
    CHECK_REPLY_NIL(r);
    if (r) freeReplyObject(r);
    r = CMD(c, "SADD s %b %b %b", "\0", (size_t)1, "\0\0", (size_t)2, "", (size_t)0);
    CHECK_REPLY_INT(r, 3);
    if (r) freeReplyObject(r);
    r = CMD(c, "SISMEMBER s %b", "\0\0", (size_t)2);
    CHECK_REPLY_INT(r, 1);
    if (r) freeReplyObject(r);
    EXPECT_STATUS(c, "OK", "FLUSHDB");
    SERVING(S);
    redisFree(c);
}

/* ---------------------------------------------------------------- numeric arguments */

#define LLMAX    "9223372036854775807"
#define LLMIN    "-9223372036854775808"
#define LLMAX1   "9223372036854775808"  /* one past LLONG_MAX */
#define LLMIN1   "-9223372036854775809" /* one past LLONG_MIN */
#define NOTINT   "-ERR value is not an integer or out of range"
#define NOTFLOAT "-ERR value is not a valid float"
#define OVERFLOW "-ERR increment or decrement would overflow"

static const cmd_row overflow_rows[] = {
    /* INCR family. */
    R("SET n " LLMAX, "+OK"),
    R("INCR n", OVERFLOW),
    R("INCRBY n 1", OVERFLOW),
    R("INCRBY n " LLMAX1, NOTINT),
    R("INCRBY n " LLMIN1, NOTINT),
    R("INCRBY n 99999999999999999999999", NOTINT),
    R("INCRBY n abc", NOTINT),
    R("INCRBY n 1.5", NOTINT),
    R("INCRBY n \"\"", NOTINT),
    R("INCRBY n +1", NOTINT),
    R("INCRBY n 01", NOTINT),
    R("INCRBY n -0", NOTINT),
    R("INCRBY n 0x10", NOTINT),
    R("GET n", "$" LLMAX),
    R("SET n " LLMIN, "+OK"),
    R("DECR n", OVERFLOW),
    R("DECRBY n 1", OVERFLOW),
    R("DECRBY n " LLMIN, "-ERR decrement would overflow"),
    R("INCRBY n " LLMIN, OVERFLOW),
    R("INCRBY fresh " LLMIN, ":" LLMIN),
    R("DECRBY fresh2 -" LLMAX, ":" LLMAX),
    R("SET n " LLMAX1, "+OK"),
    R("INCR n", NOTINT),
    R("SET n \\s1", "+OK"),
    R("INCR n", NOTINT),
    R("SET n 1", "+OK"),
    R("APPEND n 0", ":2"),
    R("INCRBY n 9223372036854775798", OVERFLOW),
    R("INCRBY n 9223372036854775797", ":" LLMAX),
    /* INCRBYFLOAT (long double). */
    R("SET f 1", "+OK"),
    R("INCRBYFLOAT f nan", NOTFLOAT),
    R("INCRBYFLOAT f -nan", NOTFLOAT),
    R("INCRBYFLOAT f inf", "-ERR increment would produce NaN or Infinity"),
    R("INCRBYFLOAT f -inf", "-ERR increment would produce NaN or Infinity"),
    R("INCRBYFLOAT f 1e5000", NOTFLOAT),
    R("INCRBYFLOAT f 1e-5000", NOTFLOAT),
    R("INCRBYFLOAT f \"\"", NOTFLOAT),
    R("INCRBYFLOAT f 1.0.0", NOTFLOAT),
    R("INCRBYFLOAT f 0x1p3", "$9"),
    R("INCRBYFLOAT f 1.1e4932", "$10999999999999999999743731075282418176590308692790434077349880018"
                                "17024145106513112504247507989334878..."),
    R("INCRBYFLOAT f 1e4932", "-ERR increment would produce NaN or Infinity"),
    R("GET f", "$1099999999999999999974373107528241817659030869279043407734988001817024145106513112"
               "504247507989334878..."),
    R("SET f 1e-5000", "+OK"),
    R("INCRBYFLOAT f 1", NOTFLOAT),
    R("SET f 5e-4951", "+OK"),
    R("INCRBYFLOAT f 0", "$0"),
    /* Hash counters. */
    R("HSET h i " LLMAX " f 1.5 big 1e5000 s abc", ":4"),
    R("HINCRBY h i 1", OVERFLOW),
    R("HINCRBY h i " LLMAX1, NOTINT),
    R("HINCRBY h i " LLMIN, ":-1"),
    R("HSET h i " LLMIN, ":0"),
    R("HINCRBY h i -1", OVERFLOW),
    R("HINCRBY h f 1", "-ERR hash value is not an integer"),
    R("HINCRBY h s 1", "-ERR hash value is not an integer"),
    R("HINCRBYFLOAT h f nan", NOTFLOAT),
    R("HINCRBYFLOAT h f inf", "-ERR value is NaN or Infinity"),
    R("HINCRBYFLOAT h f 1e5000", NOTFLOAT),
    R("HINCRBYFLOAT h big 1", "-ERR hash value is not a float"),
    R("HINCRBYFLOAT h s 1", "-ERR hash value is not a float"),
    R("HINCRBYFLOAT h f 1e4932", "$1000000000000000000006018949387963891323837774254533114773785041"
                                 "352533019486608722407533327779433142..."),
    R("HINCRBYFLOAT h f 1e4932", "-ERR increment would produce NaN or Infinity"),
    /* Expiry. */
    R("SET e v", "+OK"),
    R("EXPIRE e " LLMAX, "-ERR invalid expire time in 'expire' command"),
    R("EXPIRE e 9223372036854770", "-ERR invalid expire time in 'expire' command"),
    R("EXPIRE e " LLMIN, "-ERR invalid expire time in 'expire' command"),
    R("EXPIRE e " LLMAX1, NOTINT),
    R("EXPIRE e 1e3", NOTINT),
    R("PEXPIRE e " LLMAX, "-ERR invalid expire time in 'pexpire' command"),
    R("EXPIREAT e " LLMAX, "-ERR invalid expire time in 'expireat' command"),
    R("EXPIREAT e " LLMIN, "-ERR invalid expire time in 'expireat' command"),
    R("EXPIRE e 1 NX XX", "-ERR NX and XX, GT or LT options at the same time are not compatible"),
    R("EXPIRE e 1 GT LT", "-ERR GT and LT options at the same time are not compatible"),
    R("EXPIRE e 1 XX GT LT", "-ERR GT and LT options at the same time are not compatible"),
    R("EXPIRE e 1 ALWAYS", "-ERR Unsupported option ALWAYS"),
    R("TTL e", ":-1"),
    R("PEXPIREAT e " LLMAX, ":1"),
    R("PEXPIRETIME e", ":" LLMAX),
    R("EXPIRE e 9223372036854 GT", ":0"),
    R("PEXPIRE e " LLMIN, ":1"), /* in the past: the key goes */
    R("EXISTS e", ":0"),
    R("SET k v EX " LLMAX, "-ERR invalid expire time in 'set' command"),
    R("SET k v PX " LLMAX, "-ERR invalid expire time in 'set' command"),
    R("SET k v EX 9223372036854775", "-ERR invalid expire time in 'set' command"),
    R("SET k v EX 0", "-ERR invalid expire time in 'set' command"),
    R("SET k v EX -1", "-ERR invalid expire time in 'set' command"),
    R("SET k v PX " LLMIN, "-ERR invalid expire time in 'set' command"),
    R("SET k v EXAT " LLMAX, "-ERR invalid expire time in 'set' command"),
    R("SET k v EX " LLMAX1, NOTINT),
    R("SET k v EX 1.5", NOTINT),
    R("SET k v PXAT " LLMAX, "+OK"),
    R("PEXPIRETIME k", ":" LLMAX),
    R("SET k v EXAT 9223372036854775", "+OK"),
    R("EXPIRETIME k", ":9223372036854775"),
    R("SETEX k " LLMAX " v", "-ERR invalid expire time in 'setex' command"),
    R("SETEX k 9223372036854775 v", "-ERR invalid expire time in 'setex' command"),
    R("SETEX k 0 v", "-ERR invalid expire time in 'setex' command"),
    R("PSETEX k " LLMAX " v", "-ERR invalid expire time in 'psetex' command"),
    R("PSETEX k -1 v", "-ERR invalid expire time in 'psetex' command"),
    R("GETEX k EX " LLMAX, "-ERR invalid expire time in 'getex' command"),
    R("GETEX k PX " LLMAX, "-ERR invalid expire time in 'getex' command"),
    R("GETEX k EXAT " LLMAX, "-ERR invalid expire time in 'getex' command"),
    R("GETEX k EX 0", "-ERR invalid expire time in 'getex' command"),
    R("GETEX k PERSIST", "$v"),
    R("TTL k", ":-1"),
    /* Offsets into strings. */
    R("SETRANGE k -1 x", "-ERR offset is out of range"),
    R("SETRANGE k " LLMIN " x", "-ERR offset is out of range"),
    R("SETRANGE k " LLMAX " x", "-ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
    R("SETRANGE k 536870912 x", "-ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
    R("SETRANGE k 4294967296 x", "-ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
    R("SETRANGE k " LLMAX " \"\"", ":1"),
    R("SETRANGE nokey " LLMAX " \"\"", ":0"),
    R("SETRANGE k " LLMAX1 " x", NOTINT),
    R("SETBIT b " LLMAX " 1", "-ERR bit offset is not an integer or out of range"),
    R("SETBIT b 4294967296 1", "-ERR bit offset is not an integer or out of range"),
    R("SETBIT b -1 1", "-ERR bit offset is not an integer or out of range"),
    R("SETBIT b 0 2", "-ERR bit is not an integer or out of range"),
    R("SETBIT b 0 -1", "-ERR bit is not an integer or out of range"),
    R("GETBIT b " LLMAX, "-ERR bit offset is not an integer or out of range"),
    R("GETBIT b 4294967296", "-ERR bit offset is not an integer or out of range"),
    R("GETBIT b 4294967295", ":0"),
    R("EXISTS b", ":0"),
    /* Counts. */
    R("SADD s a", ":1"),
    R("HSET h1 f v", ":1"),
    R("ZADD z1 1 a", ":1"),
    R("SRANDMEMBER s " LLMIN, "-ERR value is out of range, value must between -9223372036854775807 "
                              "and 9223372036854775807"),
    R("SRANDMEMBER s " LLMAX, "*[$a]"),
    R("SRANDMEMBER s " LLMAX1, NOTINT),
    R("SRANDMEMBER nokey " LLMIN, "-ERR value is out of range, value must between "
                                  "-9223372036854775807 and 9223372036854775807"),
    R("HRANDFIELD h1 " LLMIN, "-ERR value is out of range, value must between -9223372036854775807 "
                              "and 9223372036854775807"),
    R("HRANDFIELD h1 " LLMIN " WITHVALUES", "-ERR value is out of range, value must between "
                                            "-9223372036854775807 and 9223372036854775807"),
    R("HRANDFIELD h1 -4611686018427387904 WITHVALUES", "-ERR value is out of range"),
    R("HRANDFIELD h1 " LLMAX " WITHVALUES", "-ERR value is out of range"),
    R("HRANDFIELD h1 4611686018427387903 WITHVALUES", "*[$f|$v]"),
    R("HRANDFIELD h1 " LLMAX, "*[$f]"),
    R("ZRANDMEMBER z1 " LLMIN, "-ERR value is out of range, value must between "
                               "-9223372036854775807 and 9223372036854775807"),
    R("ZRANDMEMBER z1 " LLMIN " WITHSCORES", "-ERR value is out of range, value must between "
                                             "-9223372036854775807 and 9223372036854775807"),
    R("ZRANDMEMBER z1 -4611686018427387904 WITHSCORES", "-ERR value is out of range"),
    R("ZRANDMEMBER z1 " LLMAX " WITHSCORES", "-ERR value is out of range"),
    R("ZRANDMEMBER z1 " LLMAX, "*[$a]"),
    R("SPOP s -1", "-ERR value is out of range, must be positive"),
    R("SPOP s " LLMIN, "-ERR value is out of range, must be positive"),
    R("SPOP s " LLMAX1, "-ERR value is out of range, must be positive"),
    R("SPOP nokey " LLMAX, "*[]"),
    R("SPOP s " LLMAX, "*[$a]"),
    R("RPUSH l a b c", ":3"),
    R("LPOP l -1", "-ERR value is out of range, must be positive"),
    R("RPOP l " LLMIN, "-ERR value is out of range, must be positive"),
    R("LPOP l 0", "*[]"),
    R("LPOP nokey 0", "_"),
    R("LPOP l " LLMAX, "*[$a|$b|$c]"),
    R("ZADD z 1 a 2 b", ":2"),
    R("ZPOPMIN z -1", "-ERR value is out of range, must be positive"),
    R("ZPOPMIN z " LLMAX, "*[$a|$1|$b|$2]"),
    R("RPUSH l a b a", ":3"),
    R("LPOS l a RANK " LLMIN, ":2"),
    R("LPOS l a RANK " LLMAX, "_"),
    R("LPOS l a RANK 0", "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the "
                         "second ... or use negative to start from the end of the list"),
    R("LPOS l a COUNT -1", "-ERR COUNT can't be negative"),
    R("LPOS l a MAXLEN -1", "-ERR MAXLEN can't be negative"),
    R("LPOS l a COUNT " LLMAX " MAXLEN " LLMAX, "*[:0|:2]"),
    R("LPOS l a COUNT 0 RANK -" LLMAX, "*[]"),
    R("LPOS l a COUNT 0 RANK -1", "*[:2|:0]"),
    R("LREM l " LLMIN " a", ":2"),
    R("LREM l " LLMAX " zz", ":0"),
    R("LMPOP " LLMAX " l LEFT", "-ERR syntax error"),
    R("LMPOP 2147483648 l LEFT", "-ERR syntax error"),
    R("LMPOP 0 l LEFT", "-ERR numkeys should be greater than 0"),
    R("LMPOP -1 l LEFT", "-ERR numkeys should be greater than 0"),
    R("LMPOP 1 l LEFT COUNT 0", "-ERR count should be greater than 0"),
    R("LMPOP 1 l LEFT COUNT -1", "-ERR count should be greater than 0"),
    R("LMPOP 1 l LEFT COUNT " LLMAX1, "-ERR count should be greater than 0"),
    R("LMPOP 1 l LEFT COUNT " LLMAX, "*[$l|*[$b]]"),
    R("ZADD z 1 a 2 b", ":2"),
    R("ZMPOP " LLMAX " z MIN", "-ERR syntax error"),
    R("ZMPOP 0 z MIN", "-ERR numkeys should be greater than 0"),
    R("ZMPOP 1 z MIN COUNT -1", "-ERR count should be greater than 0"),
    R("ZMPOP 1 z MIN COUNT " LLMAX, "*[$z|*[*[$a|$1]|*[$b|$2]]]"),
    R("SADD s a b", ":2"),
    R("SINTERCARD " LLMAX " s", "-ERR Number of keys can't be greater than number of args"),
    R("SINTERCARD 2147483648 s", "-ERR Number of keys can't be greater than number of args"),
    R("SINTERCARD 0 s", "-ERR numkeys should be greater than 0"),
    R("SINTERCARD 1 s LIMIT -1", "-ERR LIMIT can't be negative"),
    R("SINTERCARD 1 s LIMIT " LLMAX, ":2"),
    R("ZINTERCARD 1 s LIMIT -1", "-ERR LIMIT can't be negative"),
    R("ZINTERCARD " LLMAX " z", "-ERR syntax error"),
    R("SCAN 0 COUNT 0", "-ERR syntax error"),
    R("SCAN 0 COUNT -1", "-ERR syntax error"),
    R("SCAN 0 COUNT " LLMAX1, NOTINT),
    R("SSCAN s 0 COUNT 0", "-ERR syntax error"),
    R("HSCAN h 0 COUNT -1", "-ERR syntax error"),
    R("ZSCAN z1 0 COUNT " LLMIN, "-ERR syntax error"),
    R("ZSCAN nokey 0 COUNT " LLMIN, "*[$0|*[]]"), /* no key: no arguments read */
    R("SCAN 18446744073709551616", "-ERR invalid cursor"),
    R("SCAN -18446744073709551616", "-ERR invalid cursor"),
    R("SCAN 1x", "-ERR invalid cursor"),
    R("SSCAN s 18446744073709551616", "-ERR invalid cursor"),
    R("LCS nokey nokey2 MINMATCHLEN " LLMIN, "$"),
    R("SET s1 abcdefgh", "+OK"),
    R("SET s2 abcxefgh", "+OK"),
    R("LCS s1 s2 MINMATCHLEN " LLMAX, "$abcefgh"),
    R("LCS s1 s2 IDX MINMATCHLEN " LLMAX, "*[$matches|*[]|$len|:7]"),
    R("LCS s1 s2 IDX MINMATCHLEN " LLMAX1, NOTINT),
    R("SORT l LIMIT " LLMIN " " LLMAX, "*[]"),
    R("RPUSH sl 3 1 2", ":3"),
    R("SORT sl LIMIT " LLMIN " " LLMAX, "*[$1|$2|$3]"),
    R("SORT sl LIMIT " LLMAX " " LLMAX, "*[]"),
    R("SORT sl LIMIT 1 " LLMIN, "*[$2|$3]"),
    R("SORT sl LIMIT -1 1", "*[$1]"),
    R("SORT sl LIMIT 0 " LLMAX1, NOTINT),
    R("SORT_RO sl LIMIT 2 " LLMAX, "*[$3]"),
    R("RPUSH sf nan 1", ":2"),
    R("SORT sf", "-ERR One or more scores can't be converted into double"),
    R("SORT sf ALPHA", "*[$1|$nan]"),
    /* Databases, clients, protocol versions. */
    R("SELECT " LLMAX, "-ERR value is out of range, value must between -2147483648 and 2147483647"),
    R("SELECT 2147483648",
      "-ERR value is out of range, value must between -2147483648 and 2147483647"),
    R("SELECT 16", "-ERR DB index is out of range"),
    R("SELECT -1", "-ERR DB index is out of range"),
    R("SELECT -2147483648", "-ERR DB index is out of range"),
    R("SWAPDB 0 " LLMAX, "-ERR invalid second DB index"),
    R("SWAPDB " LLMAX " 0", "-ERR invalid first DB index"),
    R("SWAPDB 0 -1", "-ERR DB index is out of range"),
    R("MOVE s " LLMAX, "-ERR value is out of range, value must between -2147483648 and 2147483647"),
    R("MOVE s 2147483647", "-ERR DB index is out of range"),
    R("COPY s s9 DB " LLMAX,
      "-ERR value is out of range, value must between -2147483648 and 2147483647"),
    R("COPY s s9 DB -1", "-ERR DB index is out of range"),
    R("CLIENT KILL ID " LLMAX, ":0"),
    R("CLIENT KILL ID 18446744073709551615", "-ERR client-id should be greater than 0"),
    R("CLIENT KILL ID -1", "-ERR client-id should be greater than 0"),
    R("CLIENT KILL ID 0", "-ERR client-id should be greater than 0"),
    R("CLIENT KILL ID abc", "-ERR client-id should be greater than 0"),
    R("CLIENT LIST ID " LLMAX, "$"),
    R("CLIENT LIST ID abc", "-ERR Invalid client ID"),
    R("CLIENT LIST ID -1", "$"),
    R("CLIENT LIST ID 0", "$"),
    R("CLIENT UNBLOCK " LLMAX, ":0"),
    R("CLIENT UNBLOCK -1", ":0"),
    R("CLIENT UNBLOCK abc", NOTINT),
    R("CLIENT TRACKING ON REDIRECT " LLMAX,
      "-ERR The client ID you want redirect to does not exist"),
    R("CLIENT TRACKING ON REDIRECT " LLMAX1, NOTINT),
    R("HELLO " LLMAX, "-NOPROTO unsupported protocol version"),
    R("HELLO -1", "-NOPROTO unsupported protocol version"),
    R("HELLO 3x", "-ERR Protocol version is not an integer or out of range"),
    R("SLOWLOG GET " LLMIN, "-ERR count should be greater than or equal to -1"),
    R("SLOWLOG GET -2", "-ERR count should be greater than or equal to -1"),
    R("SLOWLOG GET " LLMAX1, "-ERR count should be greater than or equal to -1"),
    R("OBJECT FREQ s", "-ERR An LFU maxmemory policy is not selected, access frequency not "
                       "tracked. Please note that when switching between policies at runtime LRU "
                       "and LFU data will take some time to adjust."),
    R("OBJECT ENCODING nokey", "_"),
    R("DEBUG SLEEP -1",
      "-ERR DEBUG command not allowed. If the enable-debug-command option is set to..."),
    R("DEBUG SLEEP nan",
      "-ERR DEBUG command not allowed. If the enable-debug-command option is set to..."),
    R("WAIT 0 -1", "-ERR timeout is negative"),
    R("WAIT 0 " LLMAX1, "-ERR timeout is not an integer or out of range"),
    R("WAIT 0 1.5", "-ERR timeout is not an integer or out of range"),
    R("WAIT -1 0", ":0"),
    R("WAIT " LLMIN " " LLMAX, ":0"),
    R("WAIT " LLMAX1 " 0", NOTINT),
    R("CONFIG SET hz " LLMAX, "-ERR CONFIG SET failed (possibly related to argument 'hz') - "
                              "argument must be between 0 and 2147483647 inclusive"),
    R("CONFIG SET maxclients " LLMAX,
      "-ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must be "
      "between 1 and 4294967295 inclusive"),
    R("CONFIG SET list-max-listpack-size " LLMIN,
      "-ERR CONFIG SET failed (possibly related to argument 'list-max-listpack-size') - argument "
      "must be between -2147483648 and 2147483647 inclusive"),
    R("CONFIG SET proto-max-bulk-len 1048575",
      "-ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must "
      "be between 1048576 and 9223372036854775807 inclusive"),
    R("CONFIG SET proto-max-bulk-len " LLMAX1,
      "-ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must "
      "be between 1048576 and 9223372036854775807 inclusive"),
    R("CONFIG SET client-output-buffer-limit normal",
      "-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Wrong "
      "number of arguments in buffer limit configuration."),
    /* Byte limits are signed 64-bit here, so the largest is 2^63 - 1; Redis reads them
     * unsigned (up to 2^64 - 1, and saturates past it). Both mean "never" on any machine. */
    R("CONFIG SET client-output-buffer-limit normal\\s9223372036854775807\\s0\\s0", "+OK"),
    R_REDIS("CONFIG SET client-output-buffer-limit normal\\s9223372036854775808\\s0\\s0",
            "-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - "
            "Error in hard, soft or soft_seconds setting in buffer limit configuration.",
            "+OK"),
    R("CONFIG SET client-output-buffer-limit normal\\s0\\s0\\s0", "+OK"),
    R("FLUSHDB", "+OK"),
};

static void t_overflow(void) { CMD_ROWS(overflow_rows); }

/* ---------------------------------------------------------------- scores and ranges */

#define NOTRANGE "-ERR min or max is not a float"

static const cmd_row range_rows[] = {
    R("RPUSH l a b c", ":3"),
    R("LRANGE l " LLMIN " " LLMAX, "*[$a|$b|$c]"),
    R("LRANGE l " LLMAX " " LLMIN, "*[]"),
    R("LRANGE l " LLMAX " " LLMAX, "*[]"),
    R("LRANGE l " LLMIN " " LLMIN, "*[]"),
    R("LRANGE l -1 -1", "*[$c]"),
    R("LRANGE l -4 -4", "*[]"),
    R("LRANGE l 3 " LLMAX, "*[]"),
    R("LRANGE l 0 " LLMAX1, NOTINT),
    R("LRANGE nokey " LLMIN " " LLMAX, "*[]"),
    R("LINDEX l " LLMAX, "_"),
    R("LINDEX l " LLMIN, "_"),
    R("LINDEX l -3", "$a"),
    R("LINDEX l -4", "_"),
    R("LINDEX l " LLMAX1, NOTINT),
    R("LSET l " LLMAX " x", "-ERR index out of range"),
    R("LSET l " LLMIN " x", "-ERR index out of range"),
    R("LSET l -3 x", "+OK"),
    R("LSET nokey 0 x", "-ERR no such key"),
    R("LTRIM l " LLMIN " " LLMAX, "+OK"),
    R("LRANGE l 0 -1", "*[$x|$b|$c]"),
    R("LTRIM l " LLMAX " " LLMIN, "+OK"),
    R("EXISTS l", ":0"),
    R("RPUSH l a b c", ":3"),
    R("LTRIM l -1 " LLMAX, "+OK"),
    R("LRANGE l 0 -1", "*[$c]"),
    R("LINSERT l MIDDLE c x", "-ERR syntax error"),
    /* Sorted sets: ranks. */
    R("ZADD z 1 a 2 b 3 c", ":3"),
    R("ZRANGE z " LLMIN " " LLMAX, "*[$a|$b|$c]"),
    R("ZRANGE z " LLMAX " " LLMIN, "*[]"),
    R("ZRANGE z -1 " LLMAX " WITHSCORES", "*[$c|$3]"),
    R("ZRANGE z 0 " LLMAX1, NOTINT),
    R("ZREVRANGE z " LLMIN " " LLMAX, "*[$c|$b|$a]"),
    R("ZRANGESTORE d z " LLMIN " " LLMAX, ":3"),
    R("ZREMRANGEBYRANK d " LLMAX " " LLMIN, ":0"),
    R("ZREMRANGEBYRANK d " LLMIN " " LLMIN, ":0"),
    R("ZREMRANGEBYRANK d " LLMIN " " LLMAX, ":3"),
    R("ZRANGE z 0 -1 REV LIMIT 0 1",
      "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"),
    /* Scores: NaN is refused, infinities are scores, overflow is refused where a score is
     * stored and read as infinity where it is a range bound (Redis reads bounds with a
     * bare strtod: overflow gives +-inf, underflow 0, an empty bound 0, leading spaces are
     * skipped and a NUL ends the number). */
    R("ZADD z nan x", NOTFLOAT),
    R("ZADD z -nan x", NOTFLOAT),
    R("ZADD z 1e400 x", NOTFLOAT),
    R("ZADD z 1e-400 x", NOTFLOAT),
    R("ZADD z \"\" x", NOTFLOAT),
    R("ZADD z \\s1 x", NOTFLOAT),
    R("ZADD z inf x -inf y", ":2"),
    R("ZADD z +inf x2 -Infinity y2", ":2"),
    R("ZSCORE z x", "$inf"),
    R("ZINCRBY z -inf x", "-ERR resulting score is not a number (NaN)"),
    R("ZINCRBY z +inf y", "-ERR resulting score is not a number (NaN)"),
    R("ZINCRBY z nan x", NOTFLOAT),
    R("ZINCRBY z 1e400 x", NOTFLOAT),
    R("ZADD z INCR -inf x", "-ERR resulting score is not a number (NaN)"),
    R("ZADD z INCR nan x", NOTFLOAT),
    R("ZADD z GT nan x", NOTFLOAT),
    R("ZADD z 1e308 q", ":1"),
    R("ZINCRBY z 1e308 q", "$inf"),
    R("ZADD z INCR 1e308 q", "$inf"),
    R("ZINCRBY z -inf q", "-ERR resulting score is not a number (NaN)"),
    R("ZSCORE z q", "$inf"),
    R("ZREM z q x2 y2", ":3"),
    R("ZRANGE z 0 -1 WITHSCORES", "*[$y|$-inf|$a|$1|$b|$2|$c|$3|$x|$inf]"),
    R("ZRANGEBYSCORE z -inf +inf", "*[$y|$a|$b|$c|$x]"),
    R("ZRANGEBYSCORE z nan +inf", NOTRANGE),
    R("ZRANGEBYSCORE z (nan +inf", NOTRANGE),
    R("ZRANGEBYSCORE z 1 2x", NOTRANGE),
    R("ZRANGEBYSCORE z 1\\s 2", NOTRANGE),
    R("ZRANGEBYSCORE z ((1 2", NOTRANGE),
    R("ZRANGEBYSCORE z 1 [2", NOTRANGE),
    R("ZRANGEBYSCORE z -inf 1e400", "*[$y|$a|$b|$c|$x]"),
    R("ZRANGEBYSCORE z -1e400 (1e400", "*[$y|$a|$b|$c]"),
    R("ZRANGEBYSCORE z (1e-400 2", "*[$a|$b]"),
    R("ZRANGEBYSCORE z ( 1", "*[$a]"),
    R("ZRANGEBYSCORE z \"\" 1", "*[$a]"),
    R("ZRANGEBYSCORE z \\s1 2", "*[$a|$b]"),
    R("ZRANGEBYSCORE z 0x1p1 +inf", "*[$b|$c|$x]"),
    R("ZCOUNT z ( (", ":0"),
    R("ZCOUNT z -1e400 1e400", ":5"),
    R("ZCOUNT z nan 1", NOTRANGE),
    R("ZREVRANGEBYSCORE z 1e999 (", "*[$x|$c|$b|$a]"),
    R("ZRANGE z ( 1e999 BYSCORE", "*[$a|$b|$c|$x]"),
    R("ZRANGE z (1e999 -1e999 BYSCORE REV", "*[$c|$b|$a|$y]"),
    R("ZRANGESTORE d z ( 1e999 BYSCORE", ":4"),
    R("ZREMRANGEBYSCORE d 1e400 1e500", ":1"),
    R("ZREMRANGEBYSCORE d nan 1", NOTRANGE),
    /* Score ranges with LIMIT. */
    R("ZRANGEBYSCORE z -inf +inf LIMIT " LLMIN " " LLMAX, "*[]"),
    R("ZRANGEBYSCORE z -inf +inf LIMIT " LLMAX " -1", "*[]"),
    R("ZRANGEBYSCORE z -inf +inf LIMIT 0 " LLMIN, "*[$y|$a|$b|$c|$x]"),
    R("ZRANGEBYSCORE z -inf +inf LIMIT 4 " LLMAX, "*[$x]"),
    R("ZRANGEBYSCORE z -inf +inf LIMIT 1 " LLMAX1, NOTINT),
    R("ZRANGE z -inf +inf BYSCORE LIMIT -1 -1", "*[]"),
    R("ZREVRANGEBYSCORE z +inf -inf LIMIT " LLMAX " " LLMAX, "*[]"),
    R("ZREVRANGEBYSCORE z +inf -inf LIMIT 1 1", "*[$c]"),
    R("ZRANGEBYLEX z - + LIMIT " LLMIN " " LLMAX, "*[]"),
    R("ZRANGEBYLEX z - + LIMIT " LLMAX " 1", "*[]"),
    R("ZRANGEBYLEX z - + LIMIT 0 " LLMIN, "*[$y|$a|$b|$c|$x]"),
    R("ZRANGEBYLEX z [ ( LIMIT -1 1", "*[]"),
    R("ZRANGEBYLEX z a z", "-ERR min or max not valid string range item"),
    /* Weights and aggregation. */
    R("ZUNIONSTORE d 1 z WEIGHTS nan", "-ERR weight value is not a float"),
    R("ZUNIONSTORE d 1 z WEIGHTS 1e400", "-ERR weight value is not a float"),
    R("ZUNIONSTORE d " LLMAX " z", "-ERR syntax error"),
    R("ZUNIONSTORE d 2147483648 z", "-ERR syntax error"),
    R("ZUNIONSTORE d -1 z", "-ERR at least 1 input key is needed for 'zunionstore' command"),
    R("ZUNIONSTORE d 0 z", "-ERR at least 1 input key is needed for 'zunionstore' command"),
    R("ZUNIONSTORE d 1 z WEIGHTS 0", ":5"),
    R("ZRANGE d 0 -1 WITHSCORES", "*[$a|$0|$b|$0|$c|$0|$x|$0|$y|$0]"), /* inf * 0 is 0, not NaN */
    R("ZUNIONSTORE d 1 z WEIGHTS inf", ":5"),
    R("ZRANGE d 0 -1 WITHSCORES", "*[$y|$-inf|$a|$inf|$b|$inf|$c|$inf|$x|$inf]"),
    R("ZADD z2 -inf x", ":1"),
    R("ZUNION 2 z z2 WITHSCORES", "*[$y|$-inf|$x|$0|$a|$1|$b|$2|$c|$3]"), /* inf + -inf is 0 */
    R("ZINTER 2 z z2 AGGREGATE MAX WITHSCORES", "*[$x|$inf]"),
    /* Bits. */
    R("SET b abcdef", "+OK"),
    R("BITCOUNT b " LLMIN " " LLMAX, ":21"),
    R("BITCOUNT b " LLMAX " " LLMIN, ":0"),
    R("BITCOUNT b " LLMIN " " LLMAX " BIT", ":21"),
    R("BITCOUNT b 0 " LLMAX1, NOTINT),
    R("BITCOUNT b 0", "-ERR syntax error"),
    R("BITPOS b 1 " LLMIN " " LLMAX, ":1"),
    R("BITPOS b 1 " LLMAX, ":-1"),
    R("BITPOS b 0 " LLMIN " " LLMAX " BIT", ":0"),
    R("BITPOS b 1 " LLMAX " " LLMAX " BIT", ":-1"),
    R("BITPOS b 2", "-ERR The bit argument must be 1 or 0."),
    R("BITPOS nokey 0 " LLMIN, ":0"),
    R("BITFIELD b GET i65 0", "-ERR Invalid bitfield type. Use something like i16 u8. Note that "
                              "u64 is not supported but i64 is."),
    R("BITFIELD b GET u64 0", "-ERR Invalid bitfield type. Use something like i16 u8. Note that "
                              "u64 is not supported but i64 is."),
    R("BITFIELD b GET i0 0", "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 "
                             "is not supported but i64 is."),
    R("BITFIELD b GET i" LLMAX " 0", "-ERR Invalid bitfield type. Use something like i16 u8. Note "
                                     "that u64 is not supported but i64 is."),
    R("BITFIELD b GET i64 -1", "-ERR bit offset is not an integer or out of range"),
    R("BITFIELD b GET i64 4294967296", "-ERR bit offset is not an integer or out of range"),
    R("BITFIELD b GET i64 #" LLMAX, "-ERR bit offset is not an integer or out of range"),
    R("BITFIELD b GET i8 #536870912", "-ERR bit offset is not an integer or out of range"),
    R("BITFIELD b GET i64 4294967232", "*[:0]"),
    R("BITFIELD b GET u63 0", "*[:3508640226122858496]"),
    R("BITFIELD b SET i64 0 " LLMAX1, NOTINT),
    R("BITFIELD b SET i64 0 " LLMAX, "*[:7017280452245716992]"),
    R("BITFIELD b INCRBY i64 0 1", "*[:" LLMIN "]"),
    R("BITFIELD b OVERFLOW SAT INCRBY i64 0 -1", "*[:" LLMIN "]"),
    R("BITFIELD b OVERFLOW FAIL INCRBY i64 0 -1", "*[_]"),
    R("BITFIELD b OVERFLOW WRAP INCRBY i64 0 " LLMIN, "*[:0]"),
    R("BITFIELD b OVERFLOW SAT INCRBY u63 0 " LLMIN, "*[:0]"),
    R("BITFIELD b OVERFLOW SAT INCRBY u63 0 " LLMAX, "*[:" LLMAX "]"),
    R("BITFIELD b OVERFLOW SAT INCRBY u63 0 " LLMAX, "*[:" LLMAX "]"),
    R("BITFIELD b OVERFLOW WRAP INCRBY u63 0 " LLMAX, "*[:9223372036854775806]"),
    R("BITFIELD b SET i8 0 -129", "*[:-1]"),
    R("BITFIELD b SET u8 0 256", "*[:127]"),
    R("BITFIELD b OVERFLOW maybe", "-ERR Invalid OVERFLOW type specified"),
    R("BITFIELD_RO b SET i64 0 1", "-ERR BITFIELD_RO only supports the GET subcommand"),
    R("SET b2 a\\0cdef", "+OK"),
    R("GETRANGE b2 " LLMIN " " LLMAX, "$a\\x00cdef"),
    R("GETRANGE b2 " LLMAX " " LLMIN, "$"),
    R("GETRANGE b2 0 " LLMIN, "$a"),
    R("GETRANGE b2 -1 -1", "$f"),
    R("GETRANGE b2 " LLMAX1 " 1", NOTINT),
    R("SUBSTR b2 " LLMIN " " LLMAX, "$a\\x00cdef"),
    R("GETRANGE nokey " LLMIN " " LLMAX, "$"),
    R("FLUSHDB", "+OK"),
};

static void t_ranges(void) { CMD_ROWS(range_rows); }

/* Blocking commands never block inside MULTI, so their argument checks show in EXEC. */
static const cmd_row timeout_rows[] = {
    R("BLPOP nolist -1", "-ERR timeout is negative"),
    R("BLPOP nolist nan", "-ERR timeout is not a float or out of range"),
    R("BLPOP nolist \"\"", "-ERR timeout is not a float or out of range"),
    R("BLPOP nolist \\s1", "-ERR timeout is not a float or out of range"),
    R("BLPOP nolist 1\\s", "-ERR timeout is not a float or out of range"),
    R("BLPOP nolist 1e5000", "-ERR timeout is not a float or out of range"),
    /* Too long a timeout: "out of range", as Redis 7.2 says. Redis 7.0 multiplies by 1000
     * and converts to a long long, which on x86-64 yields LLONG_MIN: "negative". */
    R_REDIS("BLPOP nolist " LLMAX, "-ERR timeout is out of range", "-ERR timeout is negative"),
    R_REDIS("BRPOP nolist 1e400", "-ERR timeout is out of range", "-ERR timeout is negative"),
    R("BZPOPMIN nolist nan", "-ERR timeout is not a float or out of range"),
    R("BZPOPMAX nolist -0.5", "-ERR timeout is negative"),
    R("BRPOPLPUSH a b -1", "-ERR timeout is negative"),
    R("BLMOVE a b LEFT LEFT -1", "-ERR timeout is negative"),
    R("BLMOVE a b UP LEFT -1", "-ERR syntax error"),
    /* BLMPOP and BZMPOP check numkeys, the direction and COUNT before the timeout. */
    R_REDIS("BLMPOP " LLMAX " 1 a LEFT", "-ERR timeout is out of range",
            "-ERR timeout is negative"),
    R("BLMPOP -1 0 a LEFT", "-ERR numkeys should be greater than 0"),
    R("BLMPOP abc 0 a LEFT", "-ERR numkeys should be greater than 0"),
    R("BLMPOP -1 " LLMAX " a LEFT", "-ERR syntax error"),
    R("BLMPOP -1 1 a MIDDLE", "-ERR syntax error"),
    R("BLMPOP -1 1 a LEFT COUNT 0", "-ERR count should be greater than 0"),
    R("BLMPOP -1 1 a LEFT", "-ERR timeout is negative"),
    R("BLMPOP nan 1 a LEFT", "-ERR timeout is not a float or out of range"),
    R("BZMPOP -1 0 a MIN", "-ERR numkeys should be greater than 0"),
    R("BZMPOP abc -1 a MIN", "-ERR numkeys should be greater than 0"),
    R("BZMPOP -1 1 a MIN COUNT -1", "-ERR count should be greater than 0"),
    R("BZMPOP -1 1 a MIN", "-ERR timeout is negative"),
    R("BZMPOP 0.001 2147483648 a MIN", "-ERR syntax error"),
    R("MULTI", "+OK"),
    R("BLPOP nolist 0", "+QUEUED"),
    R("BLPOP nolist 1e10", "+QUEUED"),
    R("BLPOP nolist 0x10", "+QUEUED"),
    R("BLPOP nolist -0", "+QUEUED"),
    R("BLPOP nolist 0.0001", "+QUEUED"),
    R("EXEC", "*[_|_|_|_|_]"),
    /* Infinity: Redis 7.0 converts it like a huge number ("negative", see above), Redis
     * 7.2 says "out of range", as Cairn does; -inf is negative. */
    R_REDIS("BLPOP nolist inf", "-ERR timeout is out of range", "-ERR timeout is negative"),
    R("BLPOP nolist -inf", "-ERR timeout is negative"),
    R("BLPOP nolist -0.0015", "-ERR timeout is negative"),
    /* A timeout that rounds to zero milliseconds: Redis (7.0 truncating, 7.2 rounding up)
     * takes it as 0, block forever; here, in MULTI, a nil. -0.001 is one of them: as a
     * long double it is a little above -0.001. */
    R("MULTI", "+OK"),
    R("BLPOP nolist -0.0001", "+QUEUED"),
    R("BLPOP nolist -0.0009", "+QUEUED"),
    R("BLPOP nolist -0.001", "+QUEUED"),
    R("EXEC", "*[_|_|_]"),
};

static void t_timeouts(void) { CMD_ROWS(timeout_rows); }

/* SCAN with cursors past any table: an answer (cursor and array), and iterating from
 * there ends. */
static void t_scan_cursors(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "SELECT 9");
    dataset_write_keys(c, "sc:", "v", 300);
    EXPECT_INT(c, 2, "SADD s a b");
    EXPECT_INT(c, 1, "HSET h f v");
    EXPECT_INT(c, 1, "ZADD z 1 m");
    static const char *const cmds[] = {"SCAN %s COUNT 50", "SSCAN s %s COUNT 50",
                                       "HSCAN h %s COUNT 50", "ZSCAN z %s COUNT 50"};
    static const char *const cursors[] = {"18446744073709551615", "-1", LLMAX1, LLMAX,
                                          "4294967296",           LLMIN};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        for (size_t j = 0; j < sizeof cursors / sizeof cursors[0]; j++) {
            char cursor[32];
            snprintf(cursor, sizeof cursor, "%s", cursors[j]);
            int rounds = 0;
            for (;;) {
                redisReply *r = CMD(c, cmds[i], cursor);
                bool ok = CHECK_REPLY_ARRAY(r, 2) && r->element[0]->type == REDIS_REPLY_STRING &&
                          r->element[1]->type == REDIS_REPLY_ARRAY;
                if (ok) snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
                if (r) freeReplyObject(r);
                if (!ok || strcmp(cursor, "0") == 0) break;
                if (++rounds > 100) {
                    test_fail(__FILE__, __LINE__, "%s from %s never ends", cmds[i], cursors[j]);
                    break;
                }
            }
        }
    }
    EXPECT_STATUS(c, "OK", "FLUSHDB");
    SERVING(S);
    redisFree(c);
}

/* ---------------------------------------------------------------- lowered proto-max-bulk-len */

#define TOOBIG "-ERR string exceeds maximum allowed size (proto-max-bulk-len)"

static const cmd_row bulk_limit_rows[] = {
    R("CONFIG SET proto-max-bulk-len 1mb", "+OK"),
    R("SET s 1", "+OK"),
    R("SETRANGE s 1048576 x", TOOBIG),
    R("SETRANGE s 1048575 xy", TOOBIG),
    R("SETRANGE s 1048575 x", ":1048576"),
    R("SETRANGE s 1048576 \"\"", ":1048576"),
    R("APPEND s x", TOOBIG),
    R("STRLEN s", ":1048576"),
    R("SETRANGE new 1048576 x", TOOBIG),
    R("EXISTS new", ":0"),
    R("SET a x", "+OK"),
    R("SETRANGE a 1048574 y", ":1048575"),
    R("APPEND a z", ":1048576"),
    R("APPEND a z", TOOBIG),
    R("APPEND a \"\"", ":1048576"),
    R("SETBIT bits 8388608 1", "-ERR bit offset is not an integer or out of range"),
    R("SETBIT bits 8388607 1", ":0"),
    R("STRLEN bits", ":1048576"),
    R("BITFIELD bf SET u8 8388600 1", "*[:0]"),
    R("BITFIELD bf SET u8 #1048576 1", "-ERR bit offset is not an integer or out of range"),
    R("BITFIELD bf GET u8 #1048576", "-ERR bit offset is not an integer or out of range"),
    R("BITFIELD bf OVERFLOW FAIL INCRBY u2 8388606 1", "*[:2]"),
    /* Only where a field starts is checked (as in Redis): one that starts in the last
     * byte may reach 7 bits past the limit. */
    R("BITFIELD bf SET u8 8388607 0", "*[:0]"),
    R("STRLEN bf", ":1048577"),
    R("DEL s a bits bf", ":4"),
    R("CONFIG SET proto-max-bulk-len 512mb", "+OK"),
};

static void t_bulk_limit(void) {
    CMD_ROWS(bulk_limit_rows);
    /* Bulks past the lowered limit, on the wire. */
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "CONFIG SET proto-max-bulk-len 1mb");
    static const raw_row rows[] = {
        ROW("*2\r\n$4\r\nECHO\r\n$1048577\r\n", PERR("invalid bulk length"), CLOSES),
        ROW("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2147483648\r\n", PERR("invalid bulk length"), CLOSES),
        ROW("*2\r\n$4\r\nECHO\r\n$1048576\r\n", B(""), WAITS),
    };
    RAW_ROWS(S, rows);
    EXPECT_STATUS(c, "OK", "CONFIG SET proto-max-bulk-len 512mb");
    redisFree(c);
}

/* ---------------------------------------------------------------- glob patterns */

/* n times s, then tail (malloc'd). */
static char *repeat(const char *s, int n, const char *tail) {
    size_t sl = strlen(s), tl = strlen(tail);
    char *p = malloc(sl * (size_t)n + tl + 1);
    for (int i = 0; i < n; i++) memcpy(p + sl * (size_t)i, s, sl);
    memcpy(p + sl * (size_t)n, tail, tl + 1);
    return p;
}

static void t_glob_backtracking(void) {
    enum { KEYS = 10000, KEYLEN = 1000 };
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "SELECT 9");
    char *prefix = repeat("a", KEYLEN, "");
    dataset_write_keys(c, prefix, "v", KEYS); /* 10,000 keys of 1,000 'a's and a number */
    struct {
        char *pat;
        long long matches;
    } rows[] = {
        {repeat("*a", 11, "*b"), 0},
        {repeat("*a", 500, "b"), 0},
        {repeat("*a", 10000, "b"), 0}, /* 10,000 stars */
        {repeat("*", 10000, "b"), 0},  /* one run of stars */
        {repeat("a*", 10000, ""), 0},
        {repeat("*?", 999, "*b"), 0},
        {repeat("*[a-z]", 500, "*b"), 0},
        {repeat("*a", 999, "*9999"), 1}, /* 1,000 stars: matched */
        {repeat("*a", 1000, "*"), KEYS}, /* the last star needs no backtracking */
        {repeat("*a", 1001, "*"), 0},    /* more than 1,000 stars with pattern after: */
        {repeat("*a", 1000, "*0"), 0},   /* Redis gives up, so must we */
    };
    long long worst = 0, total = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        long long t0 = now_ms();
        redisReply *r = CMD(c, "KEYS %s", rows[i].pat);
        long long ms = now_ms() - t0;
        if (CHECK_REPLY_ARRAY(r, -1) && (long long)r->elements != rows[i].matches)
            test_fail(__FILE__, __LINE__,
                      "KEYS %.40s... (%zu bytes) matched %zu keys, expected %lld", rows[i].pat,
                      strlen(rows[i].pat), r->elements, rows[i].matches);
        if (r) freeReplyObject(r);
        if (ms > worst) worst = ms;
        total += ms;
        if (ms > 2000) test_fail(__FILE__, __LINE__, "KEYS %.40s... took %lld ms", rows[i].pat, ms);
        SERVING(S);
    }
    /* SCAN MATCH through every key. */
    long long t0 = now_ms(), seen = 0;
    char cursor[32] = "0";
    do {
        redisReply *r = CMD(c, "SCAN %s MATCH %s COUNT 1000", cursor, rows[0].pat);
        if (!CHECK_REPLY_ARRAY(r, 2)) break;
        snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
        seen += (long long)r->element[1]->elements;
        freeReplyObject(r);
    } while (strcmp(cursor, "0") != 0);
    long long scan_ms = now_ms() - t0;
    CHECK_EQ_INT(seen, 0);
    CHECK(scan_ms < 4000);
    /* PSUBSCRIBE: patterns matched against a 100,000-byte channel name per PUBLISH. */
    redisContext *sub = srv_connect(S);
    redisReply *r = CMD(sub, "PSUBSCRIBE %s %s", rows[0].pat, rows[2].pat);
    if (r) freeReplyObject(r);
    r = NULL;
    if (sub && redisGetReply(sub, (void **)&r) == REDIS_OK && r)
        freeReplyObject(r); /* second confirmation */
    char *chan = repeat("a", 100000, "");
    char *chan_b = repeat("a", 100000, "b");
    t0 = now_ms();
    EXPECT_INT(c, 0, "PUBLISH %s m", chan);
    EXPECT_INT(c, 1, "PUBLISH %s m", chan_b); /* matches the first pattern only */
    long long pub_ms = now_ms() - t0;
    r = NULL;
    if (sub && redisGetReply(sub, (void **)&r) == REDIS_OK && CHECK_REPLY_ARRAY(r, 4))
        CHECK_REPLY_BULK(r->element[0], "pmessage");
    if (r) freeReplyObject(r);
    CHECK(pub_ms < 2000);
    redisFree(sub);
    fprintf(stderr,
            "    glob: KEYS over %d keys of %d bytes, worst of %zu patterns %lld ms (all %lld ms); "
            "SCAN MATCH %lld ms; 2 PUBLISH to 100 KB channels %lld ms\n",
            KEYS, KEYLEN, sizeof rows / sizeof rows[0], worst, total, scan_ms, pub_ms);
    free(chan);
    free(chan_b);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) free(rows[i].pat);
    free(prefix);
    EXPECT_STATUS(c, "OK", "FLUSHDB");
    SERVING(S);
    redisFree(c);
}

/* ---------------------------------------------------------------- corrupted HyperLogLogs */

/* A HyperLogLog is a string anyone may overwrite. Whatever the bytes, the PF commands
 * answer (a count or an error) and the server stays up. Cairn's byte format is its own,
 * so the exact answers are not compared with Redis. */
static void t_corrupt_hll(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "SELECT 9");
    EXPECT_INT(c, 1, "PFADD good a b c d e f g h i j");
    size_t len = 0;
    char *good = NULL;
    redisReply *r = CMD(c, "GET good");
    if (r && r->type == REDIS_REPLY_STRING) {
        len = r->len;
        good = malloc(len + 64);
        memcpy(good, r->str, len);
    }
    if (r) freeReplyObject(r);
    if (!good) {
        redisFree(c);
        return;
    }
    char *bad = malloc(len + 20000);
    for (int variant = 0; variant < 8; variant++) {
        size_t bl = len;
        memcpy(bad, good, len);
        switch (variant) {
        case 0:
            bl = 5;
            break; /* header cut short */
        case 1:
            bl = 16;
            break; /* no registers */
        case 2:
            memset(bad + 16, 0xff, len - 16);
            break; /* every code at its largest */
        case 3:
            memset(bad + 16, 0x00, len - 16);
            break; /* every code at its smallest */
        case 4:
            memset(bad + 16, 0x7f, 20000), bl = 16 + 20000;
            break; /* runs far past the end */
        case 5:
            bl = len - 1;
            break; /* last byte cut */
        case 6:
            bad[4] ^= 0x7f;
            break; /* unknown encoding */
        case 7:
            memset(bad + 16, 0xc0 | 63, len - 16);
            break; /* registers above any rank */
        }
        r = CMD(c, "SET bad %b", bad, bl);
        if (r) freeReplyObject(r);
        static const char *const cmds[] = {"PFCOUNT bad", "PFADD bad x y z", "PFCOUNT bad good",
                                           "PFMERGE dst good bad", "PFCOUNT bad"};
        for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
            r = CMD(c, "%s", cmds[i]);
            if (!r || (r->type != REDIS_REPLY_INTEGER && r->type != REDIS_REPLY_ERROR &&
                       r->type != REDIS_REPLY_STATUS))
                test_fail(__FILE__, __LINE__, "variant %d: %s gave %s", variant, cmds[i],
                          r ? reply_describe(r) : "no reply");
            if (r) freeReplyObject(r);
        }
        SERVING(S);
    }
    free(bad);
    free(good);
    EXPECT_STATUS(c, "OK", "FLUSHDB");
    redisFree(c);
}

/* ---------------------------------------------------------------- 100 MB replies, abandoned */

enum { LEAVE_CLOSE, LEAVE_RESET, LEAVE_SHUT_RD };

/* Asks for a reply of about 100 MB, reads its first bytes, leaves; the memory comes back.
 * Returns the ms until used_memory was back within 8 MB of base. */
static long long abandon(redisContext *c, long long base, const char *req, const char *head,
                         int how) {
    int fd = raw_connect(S);
    if (fd < 0) return -1;
    struct timeval tv = {RAW_DEADLINE_MS / 1000, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    long long t0 = now_ms();
    raw_send_str(fd, "SELECT 9\r\n");
    raw_send_str(fd, req);
    raw_expect_str(fd, "+OK\r\n");
    raw_expect_str(fd, head);
    char more[4096];
    ssize_t got = recv(fd, more, sizeof more, 0); /* a little of the data */
    CHECK(got > 0);
    if (how == LEAVE_RESET) {
        struct linger lg = {1, 0}; /* close with a RST */
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    } else if (how == LEAVE_SHUT_RD) {
        shutdown(fd, SHUT_RDWR);
    }
    close(fd);
    SERVING(S);
    WAIT_FOR(used_memory(c) - base < 8 * MB, 10000);
    return now_ms() - t0;
}

static void t_abandoned_replies(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "SELECT 9");
    /* A 100 MB string made on the server, and a list of 100 elements of 1 MB. */
    EXPECT_INT(c, 100 * MB, "SETRANGE big %d x", 100 * MB - 1);
    char *mb = malloc(MB);
    memset(mb, 'L', MB);
    for (int i = 0; i < 100; i++) redisAppendCommand(c, "RPUSH biglist %b", mb, (size_t)MB);
    for (int i = 0; i < 100; i++) {
        redisReply *r = NULL;
        if (redisGetReply(c, (void **)&r) != REDIS_OK) break;
        CHECK_REPLY_INT(r, i + 1);
        freeReplyObject(r);
    }
    free(mb);
    long long base = used_memory(c);
    long long ms[6];
    ms[0] = abandon(c, base, "GET big\r\n", "$104857600\r\n", LEAVE_CLOSE);
    ms[1] = abandon(c, base, "GET big\r\n", "$104857600\r\n", LEAVE_RESET);
    ms[2] = abandon(c, base, "GETRANGE big 0 -1\r\n", "$104857600\r\n", LEAVE_SHUT_RD);
    ms[3] = abandon(c, base, "LRANGE biglist 0 -1\r\n", "*100\r\n$1048576\r\n", LEAVE_CLOSE);
    ms[4] = abandon(c, base, "LRANGE biglist 0 -1\r\n", "*100\r\n$1048576\r\n", LEAVE_RESET);
    /* Pipelined: two 100 MB replies queued, the client gone before the first is read. */
    ms[5] = abandon(c, base, "GET big\r\nGET big\r\n", "$104857600\r\n", LEAVE_RESET);
    fprintf(stderr,
            "    100 MB replies abandoned after a few bytes: memory back in %lld, %lld, %lld, "
            "%lld, %lld, %lld ms\n",
            ms[0], ms[1], ms[2], ms[3], ms[4], ms[5]);
    /* A client that reads it all still gets every byte. */
    int fd = raw_connect(S);
    static const char tail[] = "$10\r\n\0\0\0\0\0\0\0\0\0x\r\n:104857600\r\n";
    raw_send_str(fd, "SELECT 9\r\nGETRANGE big 104857590 -1\r\nSTRLEN big\r\n");
    raw_expect_str(fd, "+OK\r\n");
    raw_expect(fd, tail, sizeof tail - 1);
    close(fd);
    EXPECT_INT(c, 2, "DEL big biglist");
    SERVING(S);
    redisFree(c);
}

/* ---------------------------------------------------------------- picks with repeats */

/* A negative count asks for that many picks with repeats, however small the key: the
 * request, not the data, sizes the reply. Cairn refuses one that would not fit in the
 * memory left (maxmemory when set, else the machine's) before building any of it; below
 * that, the reply is whole. Redis builds it until memory runs out, so not on Redis. */
static void t_rand_counts(void) {
    if (!CAIRN) return;
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "SELECT 10");
    EXPECT_INT(c, 3, "SADD rs a b 12");
    EXPECT_INT(c, 2, "HSET rh f v g w");
    EXPECT_INT(c, 2, "ZADD rz 1 a 2 b");
    for (int i = 0; i < 200; i++) EXPECT_INT(c, 1, "SADD rsbig member:%d", i); /* a hashtable */
    long long before = used_memory(c);
    const char *const huge[] = {
        "SRANDMEMBER rs -9223372036854775807", "SRANDMEMBER rsbig -9223372036854775807",
        "HRANDFIELD rh -9223372036854775807",  "HRANDFIELD rh -4611686018427387903 WITHVALUES",
        "ZRANDMEMBER rz -9223372036854775807", "ZRANDMEMBER rz -4611686018427387903 WITHSCORES",
        "SRANDMEMBER rs -1000000000000",
    };
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        long long t0 = now_ms();
        redisReply *r = CMD(c, huge[i]); /* no '%' in them */
        if (!r || r->type != REDIS_REPLY_ERROR ||
            strncmp(r->str, "ERR count is out of range", 25) != 0)
            test_fail(__FILE__, __LINE__, "%s: %s", huge[i], r ? reply_describe(r) : "no reply");
        if (r) freeReplyObject(r);
        if (now_ms() - t0 > 1000)
            test_fail(__FILE__, __LINE__, "%s took %lld ms", huge[i], now_ms() - t0);
        SERVING(S);
    }
    CHECK(used_memory(c) < before + 1 * MB);
    /* Large but affordable: whole replies, in every encoding. */
    redisReply *r = CMD(c, "SRANDMEMBER rsbig -300000");
    CHECK_REPLY_ARRAY(r, 300000);
    if (r) freeReplyObject(r);
    r = CMD(c, "HRANDFIELD rh -100000 WITHVALUES");
    CHECK_REPLY_ARRAY(r, 200000);
    if (r) freeReplyObject(r);
    r = CMD(c, "ZRANDMEMBER rz -100000 WITHSCORES");
    CHECK_REPLY_ARRAY(r, 200000);
    if (r) freeReplyObject(r);
    /* Under maxmemory the memory left is what maxmemory leaves: 10 million picks of
     * "member:N" (about 18 bytes each) do not fit in 10 MB more, 100,000 do. */
    EXPECT_STATUS(c, "OK", "CONFIG SET maxmemory %lld", used_memory(c) + 10 * MB);
    EXPECT_ERR_PREFIX(c, "ERR count is out of range", "SRANDMEMBER rsbig -10000000");
    r = CMD(c, "SRANDMEMBER rsbig -100000");
    CHECK_REPLY_ARRAY(r, 100000);
    if (r) freeReplyObject(r);
    EXPECT_STATUS(c, "OK", "CONFIG SET maxmemory 0");
    EXPECT_STATUS(c, "OK", "FLUSHDB");
    redisFree(c);
}

/* ---------------------------------------------------------------- stop */

static void t_stop(void) {
    if (CANARY) EXPECT_BULK(CANARY, CANARY_VALUE, "GET %s", CANARY_KEY);
    redisFree(CANARY);
    CANARY = NULL;
    CHECK(srv_stop(S));
    CHECK(srv_stop(SPW));
    S = SPW = NULL;
}

int main(void) {
    long long t0 = now_ms();
    /* Every test needs the servers, whatever TEST_FILTER selects. */
    if (test_selected("start servers"))
        test_run("start servers", t_start);
    else
        t_start();
    if (!S || !SPW) return test_summary("hostile");
    test_run("protocol rows: counts, lengths, prefixes, inline quirks", t_protocol_rows);
    test_run("protocol rows before AUTH", t_unauthenticated);
    test_run("header lines that never end", t_endless_lines);
    test_run("client-query-buffer-limit 1mb", t_query_buffer_limit);
    test_run("a 1 GB bulk declared and never sent", t_gigabyte_declared);
    test_run("1,000,000 arguments", t_million_arguments);
    test_run("NUL, CR and LF in keys and values", t_binary_keys);
    test_run("integer and float overflow in numeric arguments", t_overflow);
    test_run("extreme indexes, scores and ranges", t_ranges);
    test_run("timeouts of blocking commands", t_timeouts);
    test_run("SCAN cursors past the table", t_scan_cursors);
    test_run("SETRANGE/SETBIT/APPEND/BITFIELD past a lowered proto-max-bulk-len", t_bulk_limit);
    test_run("glob patterns built to backtrack", t_glob_backtracking);
    test_run("corrupted HyperLogLog values", t_corrupt_hll);
    test_run("clients that leave in the middle of a 100 MB reply", t_abandoned_replies);
    test_run("SRANDMEMBER/HRANDFIELD/ZRANDMEMBER: picks that would not fit in memory",
             t_rand_counts);
    test_run("servers exit cleanly", t_stop);
    if (S) srv_stop(S);
    if (SPW) srv_stop(SPW);
    fprintf(stderr, "    suite time %lld ms\n", now_ms() - t0);
    return test_summary("hostile");
}
