/* tests/integration/test_tracking.c: client-side caching: CLIENT TRACKING (default,
 * BCAST, OPTIN, OPTOUT, NOLOOP, REDIRECT), CLIENT CACHING, CLIENT GETREDIR, CLIENT
 * TRACKINGINFO, the invalidation messages (RESP3 pushes, and RESP2 Pub/Sub messages on
 * __redis__:invalidate through a redirect), tracking-table-max-keys and the tracking_*
 * INFO fields. RESP3 pushes are checked as raw bytes. Every expectation was checked
 * against Redis 7.0.15, including its odd corners (each marked "Redis 7.0.15:").
 *
 * The shapes, as Redis 7.0.15 sends them:
 *   RESP3 push:       >2 $10 invalidate *N $k1 ...            (one key per message in the
 *                     default mode; BCAST batches per prefix and event-loop iteration)
 *   RESP3 flush:      >2 $10 invalidate _                      (FLUSHDB / FLUSHALL)
 *   RESP2 redirect:   *3 $7 message $20 __redis__:invalidate *N $k1 ...
 *   RESP2 flush:      *3 $7 message $20 __redis__:invalidate $-1
 *   broken redirect:  >2 $21 tracking-redir-broken :<id>       (RESP3 tracking client) */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness.h"

static srv *S;

#define OK         "+OK\r\n"
#define PONG       "+PONG\r\n"
#define INV_HEAD   ">2\r\n$10\r\ninvalidate\r\n"
#define INV_NULL   INV_HEAD "_\r\n"
#define MSG_HEAD   "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n"
#define SUBSCRIBED "*3\r\n$9\r\nsubscribe\r\n$20\r\n__redis__:invalidate\r\n:1\r\n"
#define SUB_PONG   "*2\r\n$4\r\npong\r\n$0\r\n\r\n" /* PING in RESP2 Pub/Sub mode */

#define NO_REDIR_ID        "ERR The client ID you want redirect to does not exist"
#define BOTH_OPT           "ERR You can't specify both OPTIN mode and OPTOUT mode"
#define PREFIX_NEEDS_BCAST "ERR PREFIX option requires BCAST mode to be enabled"
#define BCAST_OPT          "ERR OPTIN and OPTOUT are not compatible with BCAST"
#define CACHING_MODE                                                                               \
    "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "     \
    "OPTOUT mode enabled"
#define CACHING_YES_OPTIN                                                                          \
    "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode."
#define CACHING_NO_OPTOUT                                                                          \
    "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode."
#define SWITCH_BCAST                                                                               \
    "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then "  \
    "re-enabling it with a different mode."
#define SWITCH_OPT                                                                                 \
    "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then "  \
    "re-enabling it with a different mode."
#define SYNTAX  "ERR syntax error"
#define NOT_INT "ERR value is not an integer or out of range"

/* ---- helpers ------------------------------------------------------------------------ */

/* A writer connection (hiredis, RESP2) with every database emptied. */
static redisContext *fresh(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    return c;
}

/* How long a check waits for the first byte of an expected reply or message. Once a
 * wait has run out the test has failed and its stream is likely out of step, so the
 * rest of that test waits briefly instead (each test starts with the full budget). */
#define WAIT_BUDGET_MS 3000
static int wait_budget_ms = WAIT_BUDGET_MS;

static void run(const char *name, void (*fn)(void)) {
    wait_budget_ms = WAIT_BUDGET_MS;
    test_run(name, fn);
}

/* The next complete RESP value on a raw socket (malloc'd, *len set), or NULL (recorded)
 * if nothing arrives within the budget. */
static char *next_frame_at(const char *file, int line, int fd, size_t *len) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (fd < 0 || poll(&p, 1, wait_budget_ms) != 1) {
        test_fail(file, line, "nothing arrived within %d ms", wait_budget_ms);
        wait_budget_ms = 200;
        *len = 0;
        return NULL;
    }
    return raw_read_frame_at(file, line, fd, len);
}
#define next_frame(fd, len) next_frame_at(__FILE__, __LINE__, (fd), (len))

/* The length of the RESP value at p in the test's own expected bytes (trusted), 0 if it
 * is cut short. */
static size_t value_len(const char *p, const char *end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (p >= end || !nl) return 0;
    size_t off = (size_t)(nl + 1 - p);
    long long n = strtoll(p + 1, NULL, 10);
    switch (*p) {
    case '$':
    case '=':
    case '!':
        return n < 0 ? off : (off + (size_t)n + 2 <= (size_t)(end - p) ? off + (size_t)n + 2 : 0);
    case '*':
    case '~':
    case '>':
    case '%': {
        long long items = *p == '%' ? 2 * n : n;
        for (long long i = 0; i < items; i++) {
            size_t l = value_len(p + off, end);
            if (!l) return 0;
            off += l;
        }
        return off;
    }
    default:
        return off;
    }
}

/* The next values on the socket are exactly exp (one or more complete RESP values).
 * Reads value by value, as many as exp holds, so a wrong reply keeps the stream in step
 * and a short one does not wait for bytes that never come. */
#define EXPECT_BYTES(fd, exp) expect_bytes_at(__FILE__, __LINE__, (fd), (exp))
static void expect_bytes_at(const char *file, int line, int fd, const char *exp) {
    size_t elen = strlen(exp), off = 0, glen = 0, cap = elen + 256;
    char *got = malloc(cap);
    bool complete = true;
    while (off < elen) {
        size_t l = value_len(exp + off, exp + elen);
        if (!l) {
            test_fail(file, line, "the expected bytes are not complete RESP values");
            complete = false;
            break;
        }
        off += l;
        size_t fl;
        char *f = next_frame_at(file, line, fd, &fl);
        if (!f) {
            complete = false;
            break;
        }
        if (glen + fl + 1 > cap) got = realloc(got, cap = 2 * (glen + fl + 1));
        memcpy(got + glen, f, fl);
        glen += fl;
        free(f);
    }
    if (glen != elen || memcmp(got, exp, elen) != 0) {
        char *g = escape_bytes(got, glen, 400), *e = escape_bytes(exp, elen, 400);
        test_fail(file, line, "%s\n      expected: \"%s\"\n      got:      \"%s\"",
                  complete ? "wrong bytes" : "incomplete", e, g);
        free(g);
        free(e);
    }
    free(got);
}

/* Send a command, its words separated by single spaces, as a RESP multibulk. */
static void rsend_at(const char *file, int line, int fd, const char *cmd) {
    char buf[4096];
    const char *w[64];
    size_t wl[64], n = 0;
    for (const char *p = cmd; *p && n < 64;) {
        const char *e = strchr(p, ' ');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        w[n] = p;
        wl[n++] = l;
        p += l;
        while (*p == ' ') p++;
    }
    int len = snprintf(buf, sizeof buf, "*%zu\r\n", n);
    for (size_t i = 0; i < n; i++)
        len += snprintf(buf + len, sizeof buf - (size_t)len, "$%zu\r\n%.*s\r\n", wl[i], (int)wl[i],
                        w[i]);
    raw_send_at(file, line, fd, buf, (size_t)len);
}

/* Send a command on a raw socket and expect exactly these bytes next. */
#define RCMD(fd, cmd, exp) rcmd_at(__FILE__, __LINE__, (fd), (cmd), (exp))
static void rcmd_at(const char *file, int line, int fd, const char *cmd, const char *exp) {
    rsend_at(file, line, fd, cmd);
    expect_bytes_at(file, line, fd, exp);
}
#define RERR(fd, cmd, msg) RCMD((fd), (cmd), "-" msg "\r\n")

/* Nothing is pending on the connection: the next bytes are PING's reply. Every
 * invalidation caused by a command whose reply has been read is already queued before
 * that reply, so this is how a test shows that a write invalidated nothing. */
#define EXPECT_QUIET(fd)     RCMD((fd), "PING", PONG)
#define EXPECT_QUIET_SUB(fd) RCMD((fd), "PING", SUB_PONG)

/* An integer reply on a raw socket, -1 on failure (recorded). */
#define RINT(fd, cmd) rint_at(__FILE__, __LINE__, (fd), (cmd))
static long long rint_at(const char *file, int line, int fd, const char *cmd) {
    rsend_at(file, line, fd, cmd);
    size_t len;
    char *f = next_frame_at(file, line, fd, &len);
    long long v = f && f[0] == ':' ? strtoll(f + 1, NULL, 10) : -1;
    if (f && f[0] != ':') test_fail(file, line, "expected an integer reply to %s", cmd);
    free(f);
    return v;
}

/* A raw connection switched to RESP3 (the HELLO map is read and dropped). */
static int resp3_conn(void) {
    int fd = raw_connect(S);
    raw_send_str(fd, "HELLO 3\r\n");
    size_t len;
    char *f = next_frame(fd, &len);
    if (f && f[0] != '%') test_fail(__FILE__, __LINE__, "HELLO 3 did not answer with a map");
    free(f);
    return fd;
}

/* A RESP3 connection with CLIENT TRACKING ON <opts>. */
static int tracker(const char *opts) {
    int fd = resp3_conn();
    char cmd[256];
    snprintf(cmd, sizeof cmd, "CLIENT TRACKING ON%s%s", opts[0] ? " " : "", opts);
    RCMD(fd, cmd, OK);
    return fd;
}

/* head, then "*N" and the keys as bulk strings (keys NULL-terminated). Caller frees. */
static char *keys_bytes(const char *head, const char *const *keys) {
    size_t n = 0, cap = strlen(head) + 32;
    for (; keys[n]; n++) cap += strlen(keys[n]) + 32;
    char *buf = malloc(cap);
    int len = snprintf(buf, cap, "%s*%zu\r\n", head, n);
    for (size_t i = 0; i < n; i++)
        len += snprintf(buf + len, cap - (size_t)len, "$%zu\r\n%s\r\n", strlen(keys[i]), keys[i]);
    return buf;
}

/* The next bytes are one message for exactly these keys, in order: a RESP3 invalidate
 * push, or a RESP2 Pub/Sub message on __redis__:invalidate. */
#define EXPECT_INV(fd, ...)                                                                        \
    expect_keys_at(__FILE__, __LINE__, (fd), INV_HEAD, (const char *const[]){__VA_ARGS__, NULL})
#define EXPECT_MSG(fd, ...)                                                                        \
    expect_keys_at(__FILE__, __LINE__, (fd), MSG_HEAD, (const char *const[]){__VA_ARGS__, NULL})
static void expect_keys_at(const char *file, int line, int fd, const char *head,
                           const char *const *keys) {
    char *exp = keys_bytes(head, keys);
    expect_bytes_at(file, line, fd, exp);
    free(exp);
}

/* The keys of a RESP3 invalidate push frame into keys[0..max); their number, or -1 if
 * the frame is anything else (a flush's null included). Parsed here, by hand: the test
 * must not agree with the server's own RESP code. */
static int inv_keys(const char *f, size_t len, char keys[][64], int max) {
    size_t hl = strlen(INV_HEAD);
    if (len < hl + 4 || memcmp(f, INV_HEAD, hl) != 0 || f[hl] != '*') return -1;
    char *p;
    long n = strtol(f + hl + 1, &p, 10);
    if (n < 0 || n > max || p[0] != '\r') return -1;
    p += 2;
    for (long i = 0; i < n; i++) {
        if (*p != '$') return -1;
        long l = strtol(p + 1, &p, 10);
        if (l < 0 || l >= 64 || p[0] != '\r') return -1;
        p += 2;
        memcpy(keys[i], p, (size_t)l);
        keys[i][l] = '\0';
        p += l + 2;
        if (p > f + len) return -1;
    }
    return p == f + len ? (int)n : -1;
}

/* Read invalidate pushes until every one of keys (NULL-terminated, distinct) has arrived,
 * in any order and split over any number of messages, each key once and no other key. */
#define EXPECT_INV_SET(fd, ...)                                                                    \
    expect_inv_set_at(__FILE__, __LINE__, (fd), (const char *const[]){__VA_ARGS__, NULL})
static void expect_inv_set_at(const char *file, int line, int fd, const char *const *keys) {
    size_t n = 0, got = 0;
    while (keys[n]) n++;
    bool seen[64] = {false};
    while (got < n) {
        size_t len;
        char *f = next_frame_at(file, line, fd, &len);
        if (!f) return;
        char k[64][64];
        int m = inv_keys(f, len, k, 64);
        if (m < 0) {
            char *g = escape_bytes(f, len, 200);
            test_fail(file, line, "expected an invalidate push, got \"%s\"", g);
            free(g);
            free(f);
            return;
        }
        free(f);
        for (int i = 0; i < m; i++) {
            size_t j = 0;
            while (j < n && strcmp(keys[j], k[i]) != 0) j++;
            if (j == n || seen[j]) {
                test_fail(file, line, "invalidation for unexpected key '%s'", k[i]);
                continue;
            }
            seen[j] = true;
            got++;
        }
    }
}

/* Is a client with this id connected? (CLIENT LIST; records nothing.) */
static bool client_exists(redisContext *c, long long id) {
    redisReply *r = redisCommand(c, "CLIENT LIST");
    char pat[40];
    int pl = snprintf(pat, sizeof pat, "\nid=%lld ", id);
    bool found = r && r->type == REDIS_REPLY_STRING &&
                 (strncmp(r->str, pat + 1, (size_t)pl - 1) == 0 || strstr(r->str, pat) != NULL);
    if (r) freeReplyObject(r);
    return found;
}

static long long stat_int(redisContext *c, const char *field) {
    return info_int(c, "stats", field);
}
static long long tracking_clients(redisContext *c) {
    return info_int(c, "clients", "tracking_clients");
}

/* ---- default mode ------------------------------------------------------------------- */

static void t_default_mode(void) {
    redisContext *w = fresh();
    int t = tracker("");
    RCMD(t, "GET k", "_\r\n");
    EXPECT_STATUS(w, "OK", "SET k v");
    EXPECT_INV(t, "k");
    /* Invalidated once: the key is forgotten until it is read again. */
    EXPECT_STATUS(w, "OK", "SET k v2");
    /* A key never read is never invalidated. */
    EXPECT_STATUS(w, "OK", "SET never v");
    EXPECT_QUIET(t);
    RCMD(t, "GET k", "$2\r\nv2\r\n");
    EXPECT_INT(w, 4, "APPEND k xx");
    EXPECT_INV(t, "k");
    EXPECT_QUIET(t);
    close(t);
    redisFree(w);
}

static void t_missing_keys_and_mget(void) {
    redisContext *w = fresh();
    int t = tracker(""), t2 = tracker("");
    /* Reads of missing keys are tracked too. */
    RCMD(t, "GET nokey", "_\r\n");
    RCMD(t, "MGET x y z", "*3\r\n_\r\n_\r\n_\r\n");
    RCMD(t2, "GET y", "_\r\n");
    EXPECT_STATUS(w, "OK", "SET nokey 1");
    EXPECT_INV(t, "nokey");
    /* One message per key, in the order the command touches them. */
    EXPECT_STATUS(w, "OK", "MSET x 1 y 2 z 3");
    EXPECT_INV(t, "x");
    EXPECT_INV(t, "y");
    EXPECT_INV(t, "z");
    EXPECT_INV(t2, "y"); /* every client that read the key */
    EXPECT_QUIET(t);
    EXPECT_QUIET(t2);
    /* The table knows key names, not databases: a write in db 1 invalidates a read in db 0. */
    RCMD(t, "GET dbk", "_\r\n");
    EXPECT_STATUS(w, "OK", "SELECT 1");
    EXPECT_STATUS(w, "OK", "SET dbk v");
    EXPECT_STATUS(w, "OK", "FLUSHDB"); /* (sends both trackers a flush null, below) */
    EXPECT_STATUS(w, "OK", "SELECT 0");
    EXPECT_INV(t, "dbk");
    EXPECT_BYTES(t, INV_NULL);
    EXPECT_BYTES(t2, INV_NULL);
    close(t);
    close(t2);
    redisFree(w);
}

static void t_own_writes_and_noloop(void) {
    redisContext *w = fresh();
    int t = tracker("");
    /* The client's own write invalidates too; the push follows the write's reply. */
    RCMD(t, "GET k", "_\r\n");
    RCMD(t, "SET k 1", OK);
    EXPECT_INV(t, "k");
    EXPECT_QUIET(t);
    /* Pipelined: each reply in order, the push after the write's reply. */
    rsend_at(__FILE__, __LINE__, t, "GET k");
    RCMD(t, "SET k 2", "$1\r\n1\r\n" OK INV_HEAD "*1\r\n$1\r\nk\r\n");
    /* NOLOOP: not for its own writes, still for others'. */
    RCMD(t, "CLIENT TRACKING ON NOLOOP", OK);
    RCMD(t, "GET k", "$1\r\n2\r\n");
    RCMD(t, "SET k 3", OK);
    EXPECT_QUIET(t);
    /* Redis 7.0.15: the own write still drops the key from the table, so another client's
     * write after it sends nothing either, until the key is read again. */
    EXPECT_STATUS(w, "OK", "SET k 4");
    EXPECT_QUIET(t);
    RCMD(t, "GET k", "$1\r\n4\r\n");
    EXPECT_STATUS(w, "OK", "SET k 5");
    EXPECT_INV(t, "k");
    EXPECT_QUIET(t);
    close(t);
    redisFree(w);
}

static void t_invalidating_writes(void) {
    redisContext *w = fresh();
    EXPECT_STATUS(w, "OK", "MSET d 1 e 1 src 1 m1 1 m2 1 n 1");
    EXPECT_INT(w, 1, "RPUSH l a");
    EXPECT_INT(w, 1, "HSET h f v");
    int t = tracker("");
    RCMD(t, "MGET d e src dst m1 m2 n nx",
         "*8\r\n$1\r\n1\r\n$1\r\n1\r\n$1\r\n1\r\n_\r\n$1\r\n1\r\n$1\r\n1\r\n$1\r\n1\r\n_\r\n");
    RCMD(t, "LRANGE l 0 -1", "*1\r\n$1\r\na\r\n");
    RCMD(t, "HGET h f", "$1\r\nv\r\n");
    RCMD(t, "SMEMBERS s", "~0\r\n");
    EXPECT_INT(w, 1, "DEL d");
    EXPECT_INV(t, "d");
    EXPECT_INT(w, 1, "EXPIRE e 100");
    EXPECT_INV(t, "e");
    EXPECT_STATUS(w, "OK", "RENAME src dst"); /* both keys, source first */
    EXPECT_INV(t, "src");
    EXPECT_INV(t, "dst");
    EXPECT_INT(w, 2, "LPUSH l b");
    EXPECT_INV(t, "l");
    EXPECT_INT(w, 0, "HSET h f v2");
    EXPECT_INV(t, "h");
    EXPECT_INT(w, 1, "SADD s a");
    EXPECT_INV(t, "s");
    EXPECT_INT(w, 2, "INCR n");
    EXPECT_INV(t, "n");
    /* A transaction: the messages arrive once EXEC has run, one per key. */
    EXPECT_STATUS(w, "OK", "MULTI");
    EXPECT_STATUS(w, "QUEUED", "SET m1 x");
    EXPECT_STATUS(w, "QUEUED", "SET m2 y");
    redisReply *r = CMD(w, "EXEC");
    CHECK_REPLY_ARRAY(r, 2);
    if (r) freeReplyObject(r);
    EXPECT_INV(t, "m1");
    EXPECT_INV(t, "m2");
    /* Writes that change nothing on a tracked missing key invalidate nothing. */
    EXPECT_INT(w, 0, "EXPIRE nx 100");
    EXPECT_INT(w, 0, "DEL nx");
    EXPECT_INT(w, 0, "PERSIST nx");
    EXPECT_QUIET(t);
    EXPECT_STATUS(w, "OK", "SET nx 1"); /* still tracked */
    EXPECT_INV(t, "nx");
    close(t);
    redisFree(w);
}

static void t_expiry(void) {
    redisContext *w = fresh();
    int t = tracker("");
    RCMD(t, "GET ex", "_\r\n");
    EXPECT_STATUS(w, "OK", "SET ex v PX 400");
    EXPECT_INV(t, "ex");
    RCMD(t, "GET ex", "$1\r\nv\r\n");
    /* Nobody touches the key: the active expiry sends the message (within the raw read
     * deadline). */
    EXPECT_INV(t, "ex");
    EXPECT_INT(w, 0, "EXISTS ex");
    EXPECT_QUIET(t);
    close(t);
    redisFree(w);
}

static void t_flush(void) {
    redisContext *w = fresh();
    int t = tracker(""), idle = tracker("");
    RCMD(t, "GET k", "_\r\n");
    /* Every tracking client gets a null, whether it read anything or not. */
    EXPECT_STATUS(w, "OK", "FLUSHDB");
    EXPECT_BYTES(t, INV_NULL);
    EXPECT_BYTES(idle, INV_NULL);
    /* The flush emptied the table: k is no longer tracked. */
    EXPECT_STATUS(w, "OK", "SET k v");
    EXPECT_QUIET(t);
    RCMD(t, "GET k", "$1\r\nv\r\n");
    EXPECT_STATUS(w, "OK", "FLUSHALL");
    EXPECT_BYTES(t, INV_NULL);
    EXPECT_BYTES(idle, INV_NULL);
    EXPECT_STATUS(w, "OK", "FLUSHALL ASYNC");
    EXPECT_BYTES(t, INV_NULL);
    EXPECT_BYTES(idle, INV_NULL);
    /* A flush of another database too. */
    EXPECT_STATUS(w, "OK", "SELECT 5");
    EXPECT_STATUS(w, "OK", "FLUSHDB");
    EXPECT_BYTES(t, INV_NULL);
    EXPECT_BYTES(idle, INV_NULL);
    /* The client's own flush: after its reply, and NOLOOP does not hold it back. */
    RCMD(t, "CLIENT TRACKING ON NOLOOP", OK);
    RCMD(t, "FLUSHALL", OK INV_NULL);
    EXPECT_BYTES(idle, INV_NULL);
    EXPECT_QUIET(t);
    EXPECT_QUIET(idle);
    close(t);
    close(idle);
    redisFree(w);
}

static void t_multi(void) {
    redisContext *w = fresh();
    int t = tracker("");
    /* Reads inside MULTI/EXEC are tracked. */
    RCMD(t, "MULTI", OK);
    RCMD(t, "GET m1", "+QUEUED\r\n");
    RCMD(t, "MGET m2 m3", "+QUEUED\r\n");
    RCMD(t, "EXEC", "*2\r\n_\r\n*2\r\n_\r\n_\r\n");
    EXPECT_STATUS(w, "OK", "MSET m1 1 m3 2");
    EXPECT_INV(t, "m1");
    EXPECT_INV(t, "m3");
    EXPECT_STATUS(w, "OK", "SET m2 1");
    EXPECT_INV(t, "m2");
    /* Its own writes inside a transaction: one message, after EXEC's reply. */
    RCMD(t, "GET z", "_\r\n");
    RCMD(t, "MULTI", OK);
    RCMD(t, "SET z 1", "+QUEUED\r\n");
    RCMD(t, "INCR z", "+QUEUED\r\n");
    RCMD(t, "EXEC", "*2\r\n" OK ":2\r\n");
    EXPECT_INV(t, "z");
    EXPECT_QUIET(t);
    close(t);
    redisFree(w);
}

/* ---- redirection -------------------------------------------------------------------- */

static void t_resp2_redirect(void) {
    redisContext *w = fresh();
    int a = raw_connect(S);
    long long aid = RINT(a, "CLIENT ID");
    RCMD(a, "SUBSCRIBE __redis__:invalidate", SUBSCRIBED);
    redisContext *b = srv_connect(S);
    EXPECT_INT(b, -1, "CLIENT GETREDIR"); /* not tracking */
    EXPECT_STATUS(b, "OK", "CLIENT TRACKING ON");
    EXPECT_INT(b, 0, "CLIENT GETREDIR"); /* tracking, no redirect */
    EXPECT_STATUS(b, "OK", "CLIENT TRACKING ON REDIRECT %lld", aid);
    EXPECT_INT(b, aid, "CLIENT GETREDIR");
    EXPECT_NIL(b, "GET k");
    EXPECT_STATUS(w, "OK", "SET k v");
    EXPECT_MSG(a, "k");
    EXPECT_ARRAY_STRS(b, ((const char *[]){"v", NULL}), 2, "MGET k k2");
    EXPECT_STATUS(w, "OK", "MSET k 1 k2 2");
    EXPECT_MSG(a, "k");
    EXPECT_MSG(a, "k2");
    /* A flush: the message carries a null bulk string. */
    EXPECT_STATUS(w, "OK", "FLUSHALL");
    EXPECT_BYTES(a, MSG_HEAD "$-1\r\n");
    EXPECT_QUIET_SUB(a);
    /* The tracking client itself gets nothing on its RESP2 connection. */
    EXPECT_STATUS(b, "PONG", "PING");
    redisReply *r = CMD(b, "CLIENT TRACKINGINFO");
    if (CHECK_REPLY_ARRAY(r, 6)) {
        CHECK_REPLY_BULK(r->element[0], "flags");
        CHECK_REPLY_STRS(r->element[1], ((const char *[]){"on"}), 1);
        CHECK_REPLY_BULK(r->element[2], "redirect");
        CHECK_REPLY_INT(r->element[3], aid);
        CHECK_REPLY_BULK(r->element[4], "prefixes");
        CHECK_REPLY_ARRAY(r->element[5], 0);
    }
    if (r) freeReplyObject(r);
    /* The redirect client goes away: a RESP2 tracking client cannot be told, but its
     * state shows it once an invalidation was due. */
    close(a);
    WAIT_FOR(!client_exists(w, aid), 2000);
    EXPECT_NIL(b, "GET k");
    EXPECT_STATUS(w, "OK", "SET k v");
    EXPECT_STATUS(b, "PONG", "PING");
    r = CMD(b, "CLIENT TRACKINGINFO");
    if (CHECK_REPLY_ARRAY(r, 6)) {
        CHECK_REPLY_STRS(r->element[1], ((const char *[]){"on", "broken_redirect"}), 2);
        CHECK_REPLY_INT(r->element[3], aid);
    }
    if (r) freeReplyObject(r);
    EXPECT_INT(b, aid, "CLIENT GETREDIR");
    redisFree(b);
    redisFree(w);
}

static void t_redirect_broken_resp3(void) {
    redisContext *w = fresh();
    int a = raw_connect(S);
    long long aid = RINT(a, "CLIENT ID");
    RCMD(a, "SUBSCRIBE __redis__:invalidate", SUBSCRIBED);
    int d = resp3_conn();
    char cmd[96];
    snprintf(cmd, sizeof cmd, "CLIENT TRACKING ON REDIRECT %lld", aid);
    RCMD(d, cmd, OK);
    RCMD(d, "GET z", "_\r\n");
    RCMD(d, "GET y", "_\r\n");
    EXPECT_STATUS(w, "OK", "SET z 0");
    EXPECT_MSG(a, "z"); /* a RESP3 client redirected to a RESP2 subscriber */
    EXPECT_QUIET(d);
    RCMD(d, "GET z", "$1\r\n0\r\n");
    close(a);
    WAIT_FOR(!client_exists(w, aid), 2000);
    /* Nothing is said until an invalidation is due. */
    EXPECT_QUIET(d);
    char info[256];
    snprintf(info, sizeof info,
             "%%3\r\n$5\r\nflags\r\n~1\r\n$2\r\non\r\n$8\r\nredirect\r\n:%lld\r\n$"
             "8\r\nprefixes\r\n*0\r\n",
             aid);
    RCMD(d, "CLIENT TRACKINGINFO", info);
    /* Redis 7.0.15: one tracking-redir-broken push per key that was due. */
    char broken[96];
    snprintf(broken, sizeof broken, ">2\r\n$21\r\ntracking-redir-broken\r\n:%lld\r\n", aid);
    EXPECT_STATUS(w, "OK", "MSET z 1 y 2");
    EXPECT_BYTES(d, broken);
    EXPECT_BYTES(d, broken);
    EXPECT_QUIET(d);
    snprintf(info, sizeof info,
             "%%3\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$15\r\nbroken_redirect\r\n$8\r\nredirect\r\n"
             ":%lld\r\n$8\r\nprefixes\r\n*0\r\n",
             aid);
    RCMD(d, "CLIENT TRACKINGINFO", info);
    char getredir[32];
    snprintf(getredir, sizeof getredir, ":%lld\r\n", aid);
    RCMD(d, "CLIENT GETREDIR", getredir);
    /* And again for each later invalidation, a flush included. */
    RCMD(d, "GET z", "$1\r\n1\r\n");
    EXPECT_STATUS(w, "OK", "SET z 2");
    EXPECT_BYTES(d, broken);
    EXPECT_STATUS(w, "OK", "FLUSHALL");
    EXPECT_BYTES(d, broken);
    EXPECT_QUIET(d);
    /* Tracking on again (no redirect) clears the flag. */
    RCMD(d, "CLIENT TRACKING ON", OK);
    RCMD(d, "CLIENT TRACKINGINFO",
         "%3\r\n$5\r\nflags\r\n~1\r\n$2\r\non\r\n$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*0\r\n");
    close(d);
    redisFree(w);
}

static void t_redirect_targets(void) {
    redisContext *w = fresh();
    /* To a RESP3 client that is not subscribed: an ordinary push. */
    int a3 = resp3_conn();
    long long a3id = RINT(a3, "CLIENT ID");
    redisContext *b = srv_connect(S);
    EXPECT_STATUS(b, "OK", "CLIENT TRACKING ON REDIRECT %lld", a3id);
    EXPECT_NIL(b, "GET k");
    EXPECT_STATUS(w, "OK", "SET k v");
    EXPECT_INV(a3, "k");
    /* Redis 7.0.15: a flush sends the null of the tracking client's protocol, so this
     * RESP2 client's redirect puts a RESP2 null bulk string in the RESP3 push. */
    EXPECT_STATUS(w, "OK", "FLUSHALL");
    EXPECT_BYTES(a3, INV_HEAD "$-1\r\n");
    EXPECT_QUIET(a3);
    EXPECT_STATUS(b, "PONG", "PING");
    /* To a RESP2 client that is not subscribed: nothing is sent anywhere. */
    int a2 = raw_connect(S);
    long long a2id = RINT(a2, "CLIENT ID");
    EXPECT_STATUS(b, "OK", "CLIENT TRACKING ON REDIRECT %lld", a2id);
    EXPECT_NIL(b, "GET k2");
    EXPECT_STATUS(w, "OK", "SET k2 v");
    EXPECT_QUIET(a2);
    EXPECT_QUIET(a3);
    EXPECT_STATUS(b, "PONG", "PING");
    /* A RESP2 client may redirect to itself, and then reads its own messages once
     * subscribed. */
    int s = raw_connect(S);
    long long sid = RINT(s, "CLIENT ID");
    char cmd[96];
    snprintf(cmd, sizeof cmd, "CLIENT TRACKING ON REDIRECT %lld", sid);
    RCMD(s, cmd, OK);
    RCMD(s, "GET q", "$-1\r\n");
    RCMD(s, "SUBSCRIBE __redis__:invalidate", SUBSCRIBED);
    EXPECT_STATUS(w, "OK", "SET q v");
    EXPECT_MSG(s, "q");
    EXPECT_QUIET_SUB(s);
    close(s);
    close(a2);
    close(a3);
    redisFree(b);
    redisFree(w);
}

static void t_resp2_without_redirect(void) {
    redisContext *w = fresh();
    /* Redis 7.0.15 accepts tracking on a RESP2 connection without REDIRECT and tracks
     * its reads, but has nowhere to send the invalidations: they are dropped. */
    redisContext *b = srv_connect(S);
    EXPECT_STATUS(b, "OK", "CLIENT TRACKING ON");
    EXPECT_NIL(b, "GET k");
    EXPECT_NIL(b, "GET k2");
    WAIT_FOR(stat_int(w, "tracking_total_keys") == 2, 2000);
    EXPECT_STATUS(w, "OK", "SET k v");
    EXPECT_STATUS(b, "PONG", "PING");
    EXPECT_INT(w, 1, "EXISTS k");
    CHECK_EQ_INT(stat_int(w, "tracking_total_keys"), 1); /* k was sent (nowhere) */
    /* Its own write and a flush: nothing either. */
    EXPECT_BULK(b, "v", "GET k");
    EXPECT_STATUS(b, "OK", "SET k v2");
    EXPECT_STATUS(b, "OK", "FLUSHALL");
    EXPECT_STATUS(b, "PONG", "PING");
    redisFree(b);
    /* Even subscribed to __redis__:invalidate, without REDIRECT nothing arrives. */
    int s = raw_connect(S);
    RCMD(s, "CLIENT TRACKING ON", OK);
    RCMD(s, "GET q", "$-1\r\n");
    RCMD(s, "SUBSCRIBE __redis__:invalidate", SUBSCRIBED);
    EXPECT_STATUS(w, "OK", "SET q v");
    EXPECT_QUIET_SUB(s);
    close(s);
    redisFree(w);
}

/* ---- errors and mode changes -------------------------------------------------------- */

static void t_errors(void) {
    redisContext *w = fresh();
    int t = resp3_conn();
    RERR(t, "CLIENT TRACKING ON REDIRECT 999999999", NO_REDIR_ID);
    RERR(t, "CLIENT TRACKING ON REDIRECT 0", NO_REDIR_ID);
    RERR(t, "CLIENT TRACKING ON REDIRECT -1", NO_REDIR_ID);
    RERR(t, "CLIENT TRACKING ON REDIRECT abc", NOT_INT);
    RERR(t, "CLIENT TRACKING ON REDIRECT", SYNTAX);
    RERR(t, "CLIENT TRACKING ON OPTIN OPTOUT", BOTH_OPT);
    RERR(t, "CLIENT TRACKING ON OPTOUT OPTIN", BOTH_OPT);
    RERR(t, "CLIENT TRACKING ON PREFIX foo", PREFIX_NEEDS_BCAST);
    RERR(t, "CLIENT TRACKING ON BCAST PREFIX", SYNTAX);
    RERR(t, "CLIENT TRACKING ON BCAST OPTIN", BCAST_OPT);
    RERR(t, "CLIENT TRACKING ON BCAST OPTOUT", BCAST_OPT);
    RERR(t, "CLIENT TRACKING", "ERR wrong number of arguments for 'client|tracking' command");
    RERR(t, "CLIENT TRACKING MAYBE", SYNTAX);
    RERR(t, "CLIENT TRACKING ON FOO", SYNTAX);
    RERR(t, "CLIENT TRACKING OFF FOO", SYNTAX);
    RERR(t, "CLIENT TRACKING OFF REDIRECT 999999999", NO_REDIR_ID);
    /* Overlapping prefixes, within one command and with those already set. */
    RERR(t, "CLIENT TRACKING ON BCAST PREFIX fo PREFIX foo",
         "ERR Prefix 'fo' overlaps with another provided prefix 'foo'. Prefixes for a single "
         "client must not overlap.");
    RERR(t, "CLIENT TRACKING ON BCAST PREFIX foo PREFIX fo",
         "ERR Prefix 'foo' overlaps with another provided prefix 'fo'. Prefixes for a single "
         "client must not overlap.");
    RERR(t, "CLIENT TRACKING ON BCAST PREFIX foo PREFIX foo",
         "ERR Prefix 'foo' overlaps with another provided prefix 'foo'. Prefixes for a single "
         "client must not overlap.");
    RCMD(t, "CLIENT TRACKINGINFO", /* all of that left tracking off */
         "%3\r\n$5\r\nflags\r\n~1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*"
         "0\r\n");
    RCMD(t, "CLIENT TRACKING ON BCAST PREFIX foo", OK);
    RERR(t, "CLIENT TRACKING ON BCAST PREFIX fo",
         "ERR Prefix 'fo' overlaps with an existing prefix 'foo'. Prefixes for a single client "
         "must not overlap.");
    RERR(t, "CLIENT TRACKING ON BCAST PREFIX food",
         "ERR Prefix 'food' overlaps with an existing prefix 'foo'. Prefixes for a single client "
         "must not overlap.");
    RERR(t, "CLIENT TRACKING ON BCAST PREFIX foo",
         "ERR Prefix 'foo' overlaps with an existing prefix 'foo'. Prefixes for a single client "
         "must not overlap.");
    RCMD(t, "CLIENT TRACKING OFF", OK);
    /* CLIENT CACHING. */
    RERR(t, "CLIENT CACHING YES", CACHING_MODE);
    RERR(t, "CLIENT CACHING NO", CACHING_MODE);
    RERR(t, "CLIENT CACHING", "ERR wrong number of arguments for 'client|caching' command");
    RERR(t, "CLIENT CACHING YES NO", "ERR wrong number of arguments for 'client|caching' command");
    RERR(t, "CLIENT CACHING MAYBE", CACHING_MODE); /* (tracking is checked first) */
    /* Redis 7.0.15: with tracking on but neither OPTIN nor OPTOUT (default or BCAST), the
     * mode-specific messages. */
    RCMD(t, "CLIENT TRACKING ON", OK);
    RERR(t, "CLIENT CACHING YES", CACHING_YES_OPTIN);
    RERR(t, "CLIENT CACHING NO", CACHING_NO_OPTOUT);
    RERR(t, "CLIENT CACHING MAYBE", SYNTAX);
    RCMD(t, "CLIENT TRACKING OFF", OK);
    RCMD(t, "CLIENT TRACKING ON BCAST", OK);
    RERR(t, "CLIENT CACHING YES", CACHING_YES_OPTIN);
    RCMD(t, "CLIENT TRACKING OFF", OK);
    RCMD(t, "CLIENT TRACKING ON OPTIN", OK);
    RERR(t, "CLIENT CACHING NO", CACHING_NO_OPTOUT);
    RERR(t, "CLIENT CACHING MAYBE", SYNTAX);
    RCMD(t, "CLIENT TRACKING OFF", OK);
    RCMD(t, "CLIENT TRACKING ON OPTOUT", OK);
    RERR(t, "CLIENT CACHING YES", CACHING_YES_OPTIN);
    RCMD(t, "CLIENT TRACKING OFF", OK);
    RERR(t, "CLIENT GETREDIR x", "ERR wrong number of arguments for 'client|getredir' command");
    RERR(t, "CLIENT TRACKINGINFO x",
         "ERR wrong number of arguments for 'client|trackinginfo' command");
    EXPECT_QUIET(t);
    close(t);
    redisFree(w);
}

static void t_mode_changes(void) {
    redisContext *w = fresh();
    int t = resp3_conn();
    int r1 = raw_connect(S), r2 = raw_connect(S);
    long long id1 = RINT(r1, "CLIENT ID"), id2 = RINT(r2, "CLIENT ID");
    char cmd[96], exp[32];
    /* BCAST cannot be switched on or off while tracking. */
    RCMD(t, "CLIENT TRACKING ON", OK);
    RERR(t, "CLIENT TRACKING ON BCAST", SWITCH_BCAST);
    RCMD(t, "CLIENT TRACKING OFF", OK);
    RCMD(t, "CLIENT TRACKING ON BCAST", OK);
    RERR(t, "CLIENT TRACKING ON", SWITCH_BCAST);
    RCMD(t, "CLIENT TRACKING OFF", OK);
    /* Nor OPTIN to OPTOUT and back. */
    RCMD(t, "CLIENT TRACKING ON OPTIN", OK);
    RERR(t, "CLIENT TRACKING ON OPTOUT", SWITCH_OPT);
    RCMD(t, "CLIENT TRACKING OFF", OK);
    RCMD(t, "CLIENT TRACKING ON OPTOUT", OK);
    RERR(t, "CLIENT TRACKING ON OPTIN", SWITCH_OPT);
    /* Redis 7.0.15: ON again replaces the options: plain ON drops OPTOUT (and NOLOOP and
     * the redirect). */
    RCMD(t, "CLIENT TRACKING ON", OK);
    RCMD(t, "CLIENT TRACKINGINFO",
         "%3\r\n$5\r\nflags\r\n~1\r\n$2\r\non\r\n$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*0\r\n");
    RCMD(t, "CLIENT TRACKING ON OPTIN", OK); /* allowed now */
    RCMD(t, "CLIENT TRACKING ON NOLOOP", OK);
    RCMD(t, "CLIENT TRACKINGINFO",
         "%3\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$6\r\nnoloop\r\n$8\r\nredirect\r\n:0\r\n$"
         "8\r\nprefixes\r\n*0\r\n");
    snprintf(cmd, sizeof cmd, "CLIENT TRACKING ON REDIRECT %lld", id1);
    RCMD(t, cmd, OK);
    snprintf(cmd, sizeof cmd, "CLIENT TRACKING ON REDIRECT %lld", id2);
    RCMD(t, cmd, OK);
    snprintf(exp, sizeof exp, ":%lld\r\n", id2);
    RCMD(t, "CLIENT GETREDIR", exp);
    RCMD(t, "CLIENT TRACKING ON", OK);
    RCMD(t, "CLIENT GETREDIR", ":0\r\n");
    RCMD(t, "CLIENT TRACKING OFF", OK);
    RCMD(t, "CLIENT GETREDIR", ":-1\r\n");
    /* OFF twice is fine; OFF ignores the options it parses. */
    RCMD(t, "CLIENT TRACKING OFF", OK);
    RCMD(t, "CLIENT TRACKING OFF OPTIN OPTOUT", OK);
    RCMD(t, "CLIENT TRACKING OFF BCAST PREFIX x", OK);
    RCMD(t, "CLIENT TRACKING on noloop", OK); /* case-insensitive */
    RCMD(t, "CLIENT TRACKING OFF", OK);
    /* BCAST prefixes accumulate over ON commands, listed sorted. */
    RCMD(t, "CLIENT TRACKING ON BCAST PREFIX b", OK);
    RCMD(t, "CLIENT TRACKING ON BCAST PREFIX a", OK);
    RCMD(t, "CLIENT TRACKINGINFO",
         "%3\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$5\r\nbcast\r\n$8\r\nredirect\r\n:0\r\n$"
         "8\r\nprefixes\r\n"
         "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
    /* Redis 7.0.15: ON BCAST with no prefix adds the empty prefix without an overlap
     * check; a later PREFIX then overlaps with ''. */
    RCMD(t, "CLIENT TRACKING ON BCAST", OK);
    RCMD(t, "CLIENT TRACKINGINFO",
         "%3\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$5\r\nbcast\r\n$8\r\nredirect\r\n:0\r\n$"
         "8\r\nprefixes\r\n"
         "*3\r\n$0\r\n\r\n$1\r\na\r\n$1\r\nb\r\n");
    RERR(t, "CLIENT TRACKING ON BCAST PREFIX x",
         "ERR Prefix 'x' overlaps with an existing prefix ''. Prefixes for a single client must "
         "not overlap.");
    /* OFF forgets the prefixes. */
    RCMD(t, "CLIENT TRACKING OFF", OK);
    RCMD(t, "CLIENT TRACKING ON BCAST PREFIX c", OK);
    RCMD(t, "CLIENT TRACKINGINFO",
         "%3\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$5\r\nbcast\r\n$8\r\nredirect\r\n:0\r\n$"
         "8\r\nprefixes\r\n"
         "*1\r\n$1\r\nc\r\n");
    EXPECT_STATUS(w, "OK", "SET a1 v"); /* no longer a prefix */
    EXPECT_STATUS(w, "OK", "SET c1 v");
    EXPECT_INV(t, "c1");
    EXPECT_QUIET(t);
    close(r1);
    close(r2);
    close(t);
    redisFree(w);
}

static void t_off(void) {
    redisContext *w = fresh();
    WAIT_FOR(tracking_clients(w) == 0, 2000); /* earlier tests' clients are gone */
    int t = tracker(""), other = tracker("");
    CHECK_EQ_INT(tracking_clients(w), 2);
    RCMD(t, "GET k", "_\r\n");
    RCMD(t, "GET j", "_\r\n");
    RCMD(other, "GET k", "_\r\n");
    RCMD(t, "CLIENT TRACKING OFF", OK);
    CHECK_EQ_INT(tracking_clients(w), 1);
    EXPECT_STATUS(w, "OK", "SET k v");
    EXPECT_QUIET(t); /* off: nothing */
    EXPECT_INV(other, "k");
    EXPECT_STATUS(w, "OK", "FLUSHDB");
    EXPECT_QUIET(t); /* nor a flush */
    EXPECT_BYTES(other, INV_NULL);
    /* Redis 7.0.15: OFF does not forget what was read before; after ON again, a write
     * to such a key still invalidates it. (The FLUSHDB above emptied the table.) */
    RCMD(t, "CLIENT TRACKING ON", OK);
    RCMD(t, "GET j", "_\r\n");
    RCMD(t, "CLIENT TRACKING OFF", OK);
    RCMD(t, "GET j2", "_\r\n"); /* read while off: not tracked */
    RCMD(t, "CLIENT TRACKING ON", OK);
    EXPECT_STATUS(w, "OK", "MSET j 1 j2 2");
    EXPECT_INV(t, "j");
    EXPECT_QUIET(t);
    close(t);
    close(other);
    WAIT_FOR(tracking_clients(w) == 0, 2000); /* a disconnect ends tracking */
    redisFree(w);
}

/* ---- BCAST, OPTIN, OPTOUT ----------------------------------------------------------- */

static void t_bcast(void) {
    redisContext *w = fresh();
    int t = tracker("BCAST PREFIX user: PREFIX sess:");
    /* No read needed. */
    EXPECT_STATUS(w, "OK", "SET user:1 a");
    EXPECT_INV(t, "user:1");
    EXPECT_STATUS(w, "OK", "SET other 1");
    EXPECT_STATUS(w, "OK", "SET sess:9 x");
    EXPECT_INV(t, "sess:9");
    EXPECT_STATUS(w, "OK", "SET user:1 b"); /* every time, not once */
    EXPECT_INV(t, "user:1");
    /* Several keys in one event-loop iteration may come in one message or several. */
    EXPECT_STATUS(w, "OK", "MSET user:1 a other 2 user:2 b");
    EXPECT_INV_SET(t, "user:1", "user:2");
    EXPECT_QUIET(t);
    cmd_send_only(w, "SET user:3 a");
    cmd_send_only(w, "SET nope 1");
    cmd_send_only(w, "DEL sess:9");
    cmd_send_only(w, "SET user:4 b");
    for (int i = 0; i < 4; i++) {
        redisReply *r = cmd_next_reply(w);
        CHECK(r && (r->type == REDIS_REPLY_STATUS || r->type == REDIS_REPLY_INTEGER));
        if (r) freeReplyObject(r);
    }
    EXPECT_INV_SET(t, "user:3", "sess:9", "user:4");
    EXPECT_QUIET(t);
    /* Reads are not tracked in BCAST mode. */
    RCMD(t, "GET other", "$1\r\n2\r\n");
    EXPECT_STATUS(w, "OK", "SET other 3");
    EXPECT_QUIET(t);
    /* Its own writes too, unless NOLOOP. */
    RCMD(t, "SET user:5 1", OK);
    EXPECT_INV(t, "user:5");
    /* Flushes send the null. */
    EXPECT_STATUS(w, "OK", "FLUSHALL");
    EXPECT_BYTES(t, INV_NULL);
    EXPECT_QUIET(t);
    /* BCAST with no prefix: every key. */
    int all = tracker("BCAST");
    EXPECT_STATUS(w, "OK", "SET anything 1");
    EXPECT_INV(all, "anything");
    EXPECT_QUIET(t);
    RCMD(all, "CLIENT TRACKING ON BCAST NOLOOP", OK);
    RCMD(all, "SET mine 1", OK);
    EXPECT_QUIET(all);
    EXPECT_STATUS(w, "OK", "SET user:6 1");
    EXPECT_INV(t, "user:6");
    EXPECT_INV(all, "user:6");
    EXPECT_QUIET(t);
    EXPECT_QUIET(all);
    close(all);
    close(t);
    redisFree(w);
}

static void t_optin(void) {
    redisContext *w = fresh();
    int t = tracker("OPTIN");
    RCMD(t, "GET k1", "_\r\n");
    RCMD(t, "CLIENT CACHING YES", OK);
    RCMD(t, "GET k2", "_\r\n");
    RCMD(t, "GET k3", "_\r\n"); /* CACHING YES held for one command only */
    EXPECT_STATUS(w, "OK", "MSET k1 1 k2 2 k3 3");
    EXPECT_INV(t, "k2");
    EXPECT_QUIET(t);
    /* Any command uses it up, PING included... */
    RCMD(t, "CLIENT CACHING YES", OK);
    RCMD(t, "PING", PONG);
    RCMD(t, "GET k4", "_\r\n");
    /* ...but other CLIENT subcommands keep it (Redis 7.0.15). */
    RCMD(t, "CLIENT CACHING YES", OK);
    const char *info_yes = "%3\r\n$5\r\nflags\r\n~3\r\n$2\r\non\r\n$5\r\noptin\r\n$11\r\ncaching-"
                           "yes\r\n$8\r\nredirect\r\n"
                           ":0\r\n$8\r\nprefixes\r\n*0\r\n";
    RCMD(t, "CLIENT TRACKINGINFO", info_yes);
    RCMD(t, "CLIENT TRACKINGINFO", info_yes);
    RCMD(t, "MGET k5 k6", "*2\r\n_\r\n_\r\n");
    RCMD(t, "CLIENT TRACKINGINFO",
         "%3\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$5\r\noptin\r\n$8\r\nredirect\r\n:0\r\n$"
         "8\r\nprefixes\r\n*0\r\n");
    EXPECT_STATUS(w, "OK", "MSET k4 1 k5 2 k6 3");
    EXPECT_INV(t, "k5");
    EXPECT_INV(t, "k6");
    EXPECT_QUIET(t);
    /* Before MULTI it covers the whole transaction. */
    RCMD(t, "CLIENT CACHING YES", OK);
    RCMD(t, "MULTI", OK);
    RCMD(t, "GET m1", "+QUEUED\r\n");
    RCMD(t, "GET m2", "+QUEUED\r\n");
    RCMD(t, "EXEC", "*2\r\n_\r\n_\r\n");
    RCMD(t, "GET m3", "_\r\n");
    EXPECT_STATUS(w, "OK", "MSET m1 1 m2 2 m3 3");
    EXPECT_INV(t, "m1");
    EXPECT_INV(t, "m2");
    EXPECT_QUIET(t);
    /* Queued inside MULTI: the rest of the transaction. */
    RCMD(t, "MULTI", OK);
    RCMD(t, "GET n1", "+QUEUED\r\n");
    RCMD(t, "CLIENT CACHING YES", "+QUEUED\r\n");
    RCMD(t, "GET n2", "+QUEUED\r\n");
    RCMD(t, "GET n3", "+QUEUED\r\n");
    RCMD(t, "EXEC", "*4\r\n_\r\n" OK "_\r\n_\r\n");
    EXPECT_STATUS(w, "OK", "MSET n1 1 n2 2 n3 3");
    EXPECT_INV(t, "n2");
    EXPECT_INV(t, "n3");
    EXPECT_QUIET(t);
    /* Writes are not opt-in: a tracked key read earlier is invalidated by its own write. */
    RCMD(t, "CLIENT CACHING YES", OK);
    RCMD(t, "GET w", "_\r\n");
    RCMD(t, "SET w 1", OK);
    EXPECT_INV(t, "w");
    close(t);
    redisFree(w);
}

static void t_optout(void) {
    redisContext *w = fresh();
    int t = tracker("OPTOUT");
    RCMD(t, "GET o1", "_\r\n");
    RCMD(t, "CLIENT CACHING NO", OK);
    RCMD(t, "CLIENT TRACKINGINFO",
         "%3\r\n$5\r\nflags\r\n~3\r\n$2\r\non\r\n$6\r\noptout\r\n$10\r\ncaching-no\r\n$"
         "8\r\nredirect\r\n"
         ":0\r\n$8\r\nprefixes\r\n*0\r\n");
    RCMD(t, "GET o2", "_\r\n");
    RCMD(t, "GET o3", "_\r\n");
    EXPECT_STATUS(w, "OK", "MSET o1 1 o2 2 o3 3");
    EXPECT_INV(t, "o1");
    EXPECT_INV(t, "o3");
    EXPECT_QUIET(t);
    RCMD(t, "CLIENT CACHING NO", OK);
    RCMD(t, "MULTI", OK);
    RCMD(t, "GET p1", "+QUEUED\r\n");
    RCMD(t, "EXEC", "*1\r\n_\r\n");
    RCMD(t, "GET p2", "_\r\n");
    EXPECT_STATUS(w, "OK", "MSET p1 1 p2 2");
    EXPECT_INV(t, "p2");
    EXPECT_QUIET(t);
    close(t);
    redisFree(w);
}

/* ---- CLIENT TRACKINGINFO ------------------------------------------------------------ */

static void t_trackinginfo(void) {
    redisContext *w = fresh();
    int t = resp3_conn(), r = raw_connect(S);
    long long rid = RINT(r, "CLIENT ID");
    RCMD(t, "CLIENT TRACKINGINFO",
         "%3\r\n$5\r\nflags\r\n~1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*"
         "0\r\n");
    RCMD(t, "CLIENT TRACKING ON", OK);
    RCMD(t, "CLIENT TRACKINGINFO",
         "%3\r\n$5\r\nflags\r\n~1\r\n$2\r\non\r\n$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*0\r\n");
    RCMD(t, "CLIENT TRACKING OFF", OK);
    /* Flags in a fixed order: on, bcast, optin, caching-yes, optout, caching-no, noloop,
     * broken_redirect. */
    char cmd[128], exp[512];
    snprintf(cmd, sizeof cmd, "CLIENT TRACKING ON OPTIN NOLOOP REDIRECT %lld", rid);
    RCMD(t, cmd, OK);
    RCMD(t, "CLIENT CACHING YES", OK);
    snprintf(exp, sizeof exp,
             "%%3\r\n$5\r\nflags\r\n~4\r\n$2\r\non\r\n$5\r\noptin\r\n$11\r\ncaching-yes\r\n$"
             "6\r\nnoloop\r\n"
             "$8\r\nredirect\r\n:%lld\r\n$8\r\nprefixes\r\n*0\r\n",
             rid);
    RCMD(t, "CLIENT TRACKINGINFO", exp);
    RCMD(t, "CLIENT TRACKING OFF", OK);
    RCMD(t, "CLIENT TRACKING ON NOLOOP BCAST PREFIX x PREFIX sess: PREFIX user:", OK);
    RCMD(t, "CLIENT TRACKINGINFO",
         "%3\r\n$5\r\nflags\r\n~3\r\n$2\r\non\r\n$5\r\nbcast\r\n$6\r\nnoloop\r\n$8\r\nredirect\r\n:"
         "0\r\n"
         "$8\r\nprefixes\r\n*3\r\n$5\r\nsess:\r\n$5\r\nuser:\r\n$1\r\nx\r\n");
    RCMD(t, "CLIENT TRACKING OFF", OK);
    RCMD(t, "CLIENT TRACKING ON BCAST", OK);
    RCMD(t, "CLIENT TRACKINGINFO",
         "%3\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$5\r\nbcast\r\n$8\r\nredirect\r\n:0\r\n"
         "$8\r\nprefixes\r\n*1\r\n$0\r\n\r\n");
    RCMD(t, "CLIENT TRACKING OFF", OK);
    RCMD(t, "CLIENT TRACKINGINFO",
         "%3\r\n$5\r\nflags\r\n~1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*"
         "0\r\n");
    /* RESP2: a flat array, the flags an array. */
    redisContext *c = srv_connect(S);
    redisReply *rep = CMD(c, "CLIENT TRACKINGINFO");
    if (CHECK_REPLY_ARRAY(rep, 6)) {
        CHECK_REPLY_BULK(rep->element[0], "flags");
        CHECK_REPLY_STRS(rep->element[1], ((const char *[]){"off"}), 1);
        CHECK_REPLY_BULK(rep->element[2], "redirect");
        CHECK_REPLY_INT(rep->element[3], -1);
        CHECK_REPLY_BULK(rep->element[4], "prefixes");
        CHECK_REPLY_ARRAY(rep->element[5], 0);
    }
    if (rep) freeReplyObject(rep);
    EXPECT_STATUS(c, "OK", "CLIENT TRACKING ON BCAST PREFIX b PREFIX a");
    rep = CMD(c, "CLIENT TRACKINGINFO");
    if (CHECK_REPLY_ARRAY(rep, 6)) {
        CHECK_REPLY_STRS(rep->element[1], ((const char *[]){"on", "bcast"}), 2);
        CHECK_REPLY_INT(rep->element[3], 0);
        CHECK_REPLY_STRS(rep->element[5], ((const char *[]){"a", "b"}), 2);
    }
    if (rep) freeReplyObject(rep);
    EXPECT_STATUS(c, "OK", "CLIENT TRACKING OFF");
    EXPECT_STATUS(c, "OK", "CLIENT TRACKING ON OPTOUT");
    EXPECT_STATUS(c, "OK", "CLIENT CACHING NO");
    rep = CMD(c, "CLIENT TRACKINGINFO");
    if (CHECK_REPLY_ARRAY(rep, 6))
        CHECK_REPLY_STRS(rep->element[1], ((const char *[]){"on", "optout", "caching-no"}), 3);
    if (rep) freeReplyObject(rep);
    redisFree(c);
    close(r);
    close(t);
    redisFree(w);
}

/* ---- the tracking table ------------------------------------------------------------- */

static void t_info_counters(void) {
    redisContext *w = fresh(); /* a flush also empties the tracking table */
    WAIT_FOR(tracking_clients(w) == 0 && stat_int(w, "tracking_total_prefixes") == 0, 2000);
    CHECK_EQ_INT(stat_int(w, "tracking_total_keys"), 0);
    CHECK_EQ_INT(stat_int(w, "tracking_total_items"), 0);
    int t1 = tracker(""), t2 = tracker("");
    CHECK_EQ_INT(tracking_clients(w), 2);
    RCMD(t1, "MGET a b", "*2\r\n_\r\n_\r\n");
    RCMD(t2, "GET a", "_\r\n");
    CHECK_EQ_INT(stat_int(w, "tracking_total_keys"), 2);  /* a, b */
    CHECK_EQ_INT(stat_int(w, "tracking_total_items"), 3); /* (a,t1) (b,t1) (a,t2) */
    RCMD(t2, "GET a", "_\r\n");                           /* the same pair again */
    CHECK_EQ_INT(stat_int(w, "tracking_total_items"), 3);
    int b = tracker("BCAST PREFIX p: PREFIX q:");
    int b2 = tracker("BCAST PREFIX p:");
    CHECK_EQ_INT(tracking_clients(w), 4);
    CHECK_EQ_INT(stat_int(w, "tracking_total_prefixes"), 2); /* distinct prefixes */
    RCMD(b, "GET c", "_\r\n");                               /* BCAST reads add nothing */
    CHECK_EQ_INT(stat_int(w, "tracking_total_keys"), 2);
    EXPECT_STATUS(w, "OK", "SET a 1");
    EXPECT_INV(t1, "a");
    EXPECT_INV(t2, "a");
    CHECK_EQ_INT(stat_int(w, "tracking_total_keys"), 1);
    CHECK_EQ_INT(stat_int(w, "tracking_total_items"), 1);
    close(b);
    WAIT_FOR(stat_int(w, "tracking_total_prefixes") == 1, 2000);
    CHECK_EQ_INT(tracking_clients(w), 3);
    RCMD(b2, "CLIENT TRACKING OFF", OK);
    CHECK_EQ_INT(stat_int(w, "tracking_total_prefixes"), 0);
    CHECK_EQ_INT(tracking_clients(w), 2);
    EXPECT_STATUS(w, "OK", "FLUSHALL");
    EXPECT_BYTES(t1, INV_NULL);
    EXPECT_BYTES(t2, INV_NULL);
    CHECK_EQ_INT(stat_int(w, "tracking_total_keys"), 0);
    CHECK_EQ_INT(stat_int(w, "tracking_total_items"), 0);
    close(b2);
    close(t1);
    close(t2);
    WAIT_FOR(tracking_clients(w) == 0, 2000);
    redisFree(w);
}

static void t_table_max_keys(void) {
    redisContext *w = fresh();
    redisReply *r = CMD(w, "CONFIG GET tracking-table-max-keys");
    if (CHECK_REPLY_ARRAY(r, 2)) CHECK_REPLY_BULK(r->element[1], "1000000");
    if (r) freeReplyObject(r);
    EXPECT_STATUS(w, "OK", "CONFIG SET tracking-table-max-keys 10");
    enum { N = 100, MAX = 10 };
    int t = tracker("");
    char buf[4096];
    size_t len = 0;
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "*2\r\n$3\r\nGET\r\n$%d\r\nkey:%d\r\n",
                                i < 10 ? 5 : 6, i);
    raw_send(t, buf, len);
    /* Evicted keys are invalidated though nobody wrote them; the pushes come between the
     * GET replies. */
    bool evicted[N] = {false};
    int nulls = 0, nevicted = 0;
    while (nulls < N && !test_checks_failed) {
        size_t fl;
        char *f = next_frame(t, &fl);
        if (!f) break;
        char k[64][64];
        int m;
        if (fl == 3 && memcmp(f, "_\r\n", 3) == 0) {
            nulls++;
        } else if ((m = inv_keys(f, fl, k, 64)) >= 0) {
            for (int i = 0; i < m; i++) {
                int idx = strncmp(k[i], "key:", 4) == 0 ? atoi(k[i] + 4) : -1;
                if (idx < 0 || idx >= N || evicted[idx])
                    test_fail(__FILE__, __LINE__, "unexpected invalidation of '%s'", k[i]);
                else
                    evicted[idx] = true, nevicted++;
            }
        } else {
            test_fail(__FILE__, __LINE__, "unexpected frame while reading GET replies");
        }
        free(f);
    }
    /* The table shrinks to the limit (Redis does it before each command and in cron). */
    WAIT_FOR(stat_int(w, "tracking_total_keys") <= MAX, 3000);
    long long left = stat_int(w, "tracking_total_keys");
    CHECK_RANGE(left, 1, MAX);
    CHECK_EQ_INT(stat_int(w, "tracking_total_items"), left);
    while (nevicted + left < N && !test_checks_failed) {
        size_t fl;
        char *f = next_frame(t, &fl);
        if (!f) break;
        char k[64][64];
        int m = inv_keys(f, fl, k, 64);
        if (m < 0) test_fail(__FILE__, __LINE__, "expected an invalidate push");
        for (int i = 0; i < m; i++) {
            int idx = strncmp(k[i], "key:", 4) == 0 ? atoi(k[i] + 4) : -1;
            if (idx < 0 || idx >= N || evicted[idx])
                test_fail(__FILE__, __LINE__, "unexpected invalidation of '%s'", k[i]);
            else
                evicted[idx] = true, nevicted++;
        }
        free(f);
    }
    EXPECT_QUIET(t);
    CHECK_EQ_INT(nevicted + left, N);
    /* Writing every key now invalidates exactly the keys still in the table. */
    len = (size_t)snprintf(buf, sizeof buf, "MSET");
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, " key:%d x", i);
    EXPECT_STATUS(w, "OK", buf);
    int stillk = 0;
    while (stillk < left && !test_checks_failed) {
        size_t fl;
        char *f = next_frame(t, &fl);
        if (!f) break;
        char k[64][64];
        int m = inv_keys(f, fl, k, 64);
        if (m < 0) test_fail(__FILE__, __LINE__, "expected an invalidate push");
        for (int i = 0; i < m; i++) {
            int idx = strncmp(k[i], "key:", 4) == 0 ? atoi(k[i] + 4) : -1;
            if (idx < 0 || idx >= N || evicted[idx])
                test_fail(__FILE__, __LINE__, "invalidation of evicted or unknown '%s'", k[i]);
            else
                evicted[idx] = true, stillk++;
        }
        free(f);
    }
    EXPECT_QUIET(t);
    CHECK_EQ_INT(stat_int(w, "tracking_total_keys"), 0);
    EXPECT_STATUS(w, "OK", "CONFIG SET tracking-table-max-keys 1000000");
    close(t);
    redisFree(w);
}

static void t_start(void) { S = srv_start((const char *[]){"--save", "", NULL}); }
static void t_stop(void) {
    CHECK(srv_stop(S));
    S = NULL;
}

int main(void) {
    run("start server", t_start);
    if (!S) return test_summary("tracking");
    run("default mode: invalidate once per read", t_default_mode);
    run("missing keys, MGET, several clients, any db", t_missing_keys_and_mget);
    run("own writes, and NOLOOP", t_own_writes_and_noloop);
    run("DEL EXPIRE RENAME LPUSH HSET SADD INCR MULTI invalidate", t_invalidating_writes);
    run("expiry invalidates", t_expiry);
    run("FLUSHDB and FLUSHALL send a null", t_flush);
    run("reads and own writes inside MULTI/EXEC", t_multi);
    run("RESP2 REDIRECT to a __redis__:invalidate subscriber", t_resp2_redirect);
    run("broken redirect: tracking-redir-broken push", t_redirect_broken_resp3);
    run("redirect to RESP3, unsubscribed RESP2, self", t_redirect_targets);
    run("RESP2 without REDIRECT: invalidations dropped", t_resp2_without_redirect);
    run("errors", t_errors);
    run("mode changes while tracking", t_mode_changes);
    run("CLIENT TRACKING OFF", t_off);
    run("BCAST with and without prefixes", t_bcast);
    run("OPTIN and CLIENT CACHING YES", t_optin);
    run("OPTOUT and CLIENT CACHING NO", t_optout);
    run("CLIENT TRACKINGINFO in RESP3 and RESP2", t_trackinginfo);
    run("INFO tracking counters", t_info_counters);
    run("tracking-table-max-keys evicts with invalidations", t_table_max_keys);
    run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("tracking");
}
