/* tests/unit/test_resp.c: the request reader, argument splitting and reply encoders. */
#include "resp/encode.h"
#include "resp/reader.h"
#include "tests/test.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* ---- helpers: a growable byte string, and a record of what a reader produced ---- */

typedef struct {
    char *b;
    size_t len, cap;
} sbuf;

static void sb_put(sbuf *s, const void *p, size_t n) {
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        while (cap < s->len + n + 1) cap *= 2;
        s->b = realloc(s->b, cap);
        s->cap = cap;
    }
    if (n) memcpy(s->b + s->len, p, n);
    s->len += n;
    s->b[s->len] = '\0';
}

static void sb_str(sbuf *s, const char *str) { sb_put(s, str, strlen(str)); }

static void sb_free(sbuf *s) {
    free(s->b);
    memset(s, 0, sizeof(*s));
}

/* Appends an unambiguous description of one command: "[argc]" then "len:bytes;" each. */
static void sb_cmd(sbuf *s, int argc, const char *const *argv, const size_t *argvlen) {
    char num[48];
    snprintf(num, sizeof(num), "[%d]", argc);
    sb_str(s, num);
    for (int j = 0; j < argc; j++) {
        snprintf(num, sizeof(num), "%zu:", argvlen[j]);
        sb_str(s, num);
        sb_put(s, argv[j], argvlen[j]);
        sb_str(s, ";");
    }
    sb_str(s, "\n");
}

/* What feeding a stream produced: the commands, how the last feed ended, bytes consumed. */
typedef struct {
    sbuf cmds;
    int ncmds;
    resp_status last;
    char err[128];
    size_t consumed;
} outcome;

static void outcome_init(outcome *o) {
    memset(o, 0, sizeof(*o));
    sb_put(&o->cmds, "", 0); /* never NULL, so it can go to memcmp */
}

static void outcome_free(outcome *o) { sb_free(&o->cmds); }

static void record(outcome *o, const resp_reader *r, size_t used, size_t len) {
    CHECK(used > 0);
    CHECK(used <= len);
    for (int j = 0; j < r->argc; j++) CHECK(r->argvlen[j] <= len);
    sb_cmd(&o->cmds, r->argc, r->argv, r->argvlen);
    o->ncmds++;
    o->consumed += used;
}

static void finish(outcome *o, const resp_reader *r, resp_status st, size_t used) {
    o->last = st;
    CHECK_EQ_INT(used, 0);
    snprintf(o->err, sizeof(o->err), "%s", st == RESP_ERR_PROTO ? r->err : "");
}

/* Feeds s[0..n) in one piece, command after command. */
static void feed_oneshot(resp_reader *r, const char *s, size_t n, outcome *o) {
    outcome_init(o);
    size_t off = 0, used;
    resp_status st;
    while ((st = resp_reader_feed(r, s + off, n - off, &used)) == RESP_OK) {
        record(o, r, used, n - off);
        off += used;
    }
    finish(o, r, st, used);
}

/* Feeds growing prefixes of s, one more byte each time, in place (no copy: linear). */
static void feed_bytewise(resp_reader *r, const char *s, size_t n, outcome *o) {
    outcome_init(o);
    size_t base = 0, used = 0;
    resp_status st = RESP_NEED_MORE;
    for (size_t k = 0; k <= n; k++) {
        while ((st = resp_reader_feed(r, s + base, k - base, &used)) == RESP_OK) {
            record(o, r, used, k - base);
            base += used;
        }
        if (st == RESP_NEED_MORE) CHECK_EQ_INT(used, 0);
        if (st == RESP_ERR_PROTO) break;
    }
    finish(o, r, st, used);
}

/* A client's query buffer: s arrives in chunks of the given sizes (cycled; 0 means an
 * empty read). After every read the unconsumed bytes move to a fresh allocation and the
 * old one is poisoned, so the reader must not keep pointers across calls. */
static void feed_chunked(resp_reader *r, const char *s, size_t n, const size_t *chunks, size_t nchunks,
                         outcome *o) {
    outcome_init(o);
    char *q = NULL;
    size_t qlen = 0, fed = 0, ci = 0, used = 0, zero_run = 0;
    resp_status st = RESP_NEED_MORE;
    while (fed < n && zero_run <= nchunks) {
        size_t c = chunks[ci++ % nchunks];
        if (c > n - fed) c = n - fed;
        zero_run = c ? 0 : zero_run + 1;
        char *nq = malloc(qlen + c ? qlen + c : 1); /* exact size: ASan sees any overread */
        if (qlen) memcpy(nq, q, qlen);
        memcpy(nq + qlen, s + fed, c);
        if (q) memset(q, 0xAA, qlen);
        free(q);
        q = nq;
        qlen += c;
        fed += c;
        size_t off = 0;
        while ((st = resp_reader_feed(r, q + off, qlen - off, &used)) == RESP_OK) {
            record(o, r, used, qlen - off);
            off += used;
        }
        if (st == RESP_NEED_MORE) CHECK_EQ_INT(used, 0);
        memmove(q, q + off, qlen - off);
        qlen -= off;
        if (st == RESP_ERR_PROTO) break;
    }
    free(q);
    finish(o, r, st, used);
}

static bool outcome_eq(const outcome *a, const outcome *b) {
    return a->ncmds == b->ncmds && a->cmds.len == b->cmds.len &&
           (a->cmds.len == 0 || memcmp(a->cmds.b, b->cmds.b, a->cmds.len) == 0) && a->last == b->last &&
           strcmp(a->err, b->err) == 0 && a->consumed == b->consumed;
}

static void reader_with(resp_reader *r, long long max_bulk, bool unauth) {
    resp_reader_init(r);
    resp_reader_set_limits(r, max_bulk, unauth);
}

/* ---- the mixed pipeline every split must agree on ---- */

#define S(lit) lit, sizeof(lit) - 1

static const char STREAM[] =
    /* binary value with NUL and CRLF inside */
    "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$7\r\nv\0\r\nx\r\n\r\n"
    /* inline, CRLF */
    "PING\r\n"
    /* inline with quotes and escapes */
    "SET \"a b\" 'c\\'d' \"\\x41\\n\\\"\" e\"f g\"\r\n"
    /* empty commands */
    "*0\r\n"
    "*-1\r\n"
    /* empty bulks */
    "*2\r\n$0\r\n\r\n$0\r\n\r\n"
    /* blank inline lines */
    "\r\n"
    "   \t\n"
    "*1\r\n$4\r\nPING\r\n"
    /* inline, bare LF */
    "ECHO hi\n"
    /* a bulk that looks like protocol */
    "*2\r\n$4\r\nECHO\r\n$10\r\n\xff\x00\x01\r\n*1\r\n$\r\n"
    /* a big-ish count of small args */
    "*12\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n"
    "$1\r\ng\r\n$1\r\nh\r\n$1\r\ni\r\n$1\r\nj\r\n$1\r\nk\r\n$2\r\nlm\r\n";

typedef struct {
    int argc;
    const char *a[12];
    size_t l[12];
} xcmd;

static const xcmd EXPECTED[] = {
    {3, {"SET", "key", "v\0\r\nx\r\n"}, {3, 3, 7}},
    {1, {"PING"}, {4}},
    {5, {"SET", "a b", "c'd", "A\n\"", "ef g"}, {3, 3, 3, 3, 4}},
    {0, {0}, {0}},
    {0, {0}, {0}},
    {2, {"", ""}, {0, 0}},
    {0, {0}, {0}},
    {0, {0}, {0}},
    {1, {"PING"}, {4}},
    {2, {"ECHO", "hi"}, {4, 2}},
    {2, {"ECHO", "\xff\x00\x01\r\n*1\r\n$"}, {4, 10}},
    {12, {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "lm"}, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2}},
};
#define NEXPECTED ((int)(sizeof(EXPECTED) / sizeof(EXPECTED[0])))

/* Serialisation of the first n expected commands; ends[i] = its length after command i. */
static void expected_cmds(sbuf *s, size_t *ends) {
    for (int i = 0; i < NEXPECTED; i++) {
        sb_cmd(s, EXPECTED[i].argc, EXPECTED[i].a, EXPECTED[i].l);
        ends[i] = s->len;
    }
}

static void t_stream_oneshot(void) {
    resp_reader r;
    resp_reader_init(&r);
    outcome o;
    feed_oneshot(&r, STREAM, sizeof(STREAM) - 1, &o);
    sbuf want = {0};
    size_t ends[NEXPECTED];
    expected_cmds(&want, ends);
    CHECK_EQ_INT(o.ncmds, NEXPECTED);
    CHECK_EQ_MEM(o.cmds.b, o.cmds.len, want.b, want.len);
    CHECK_EQ_INT(o.last, RESP_NEED_MORE);
    CHECK_EQ_INT(o.consumed, sizeof(STREAM) - 1);
    sb_free(&want);
    outcome_free(&o);
    resp_reader_deinit(&r);
}

/* Every prefix: the complete commands come out, then NEED_MORE consuming nothing. */
static void t_stream_every_prefix(void) {
    const size_t n = sizeof(STREAM) - 1;
    resp_reader r;
    resp_reader_init(&r);
    outcome full;
    feed_oneshot(&r, STREAM, n, &full);
    resp_reader_deinit(&r);
    /* Command boundaries in the stream, from the one-shot run. */
    size_t bounds[NEXPECTED + 1], pos = 0;
    int nb = 0;
    {
        resp_reader_init(&r);
        size_t used;
        while (resp_reader_feed(&r, STREAM + pos, n - pos, &used) == RESP_OK) bounds[nb++] = pos += used;
        resp_reader_deinit(&r);
    }
    CHECK_EQ_INT(nb, NEXPECTED);
    sbuf want = {0};
    size_t ends[NEXPECTED];
    expected_cmds(&want, ends);
    for (size_t k = 0; k <= n; k++) {
        resp_reader_init(&r);
        outcome o;
        feed_oneshot(&r, STREAM, k, &o);
        int m = 0;
        while (m < nb && bounds[m] <= k) m++;
        CHECK_EQ_INT(o.last, RESP_NEED_MORE);
        CHECK_EQ_INT(o.ncmds, m);
        CHECK_EQ_INT(o.consumed, m ? bounds[m - 1] : 0);
        CHECK_EQ_MEM(o.cmds.b, o.cmds.len, want.b, m ? ends[m - 1] : 0);
        outcome_free(&o);
        resp_reader_deinit(&r);
    }
    sb_free(&want);
    outcome_free(&full);
}

/* Every split point, one byte at a time, and random chunkings all match one big feed. */
static void t_stream_every_split(void) {
    const size_t n = sizeof(STREAM) - 1;
    resp_reader r;
    resp_reader_init(&r);
    outcome full;
    feed_oneshot(&r, STREAM, n, &full);
    resp_reader_deinit(&r);

    for (size_t k = 0; k <= n; k++) {
        size_t chunks[2] = {k, n};
        outcome o;
        resp_reader_init(&r);
        feed_chunked(&r, STREAM, n, chunks, 2, &o);
        if (!outcome_eq(&o, &full)) test_fail(__FILE__, __LINE__, "split at %zu differs", k);
        outcome_free(&o);
        resp_reader_deinit(&r);
    }
    /* Two split points. */
    for (size_t k1 = 0; k1 <= n; k1 += 3)
        for (size_t k2 = 0; k1 + k2 <= n; k2 += 5) {
            size_t chunks[3] = {k1, k2, n};
            outcome o;
            resp_reader_init(&r);
            feed_chunked(&r, STREAM, n, chunks, 3, &o);
            if (!outcome_eq(&o, &full)) test_fail(__FILE__, __LINE__, "splits at %zu,%zu differ", k1, k1 + k2);
            outcome_free(&o);
            resp_reader_deinit(&r);
        }
    {
        size_t one = 1;
        outcome o;
        resp_reader_init(&r);
        feed_chunked(&r, STREAM, n, &one, 1, &o);
        CHECK(outcome_eq(&o, &full));
        outcome_free(&o);
        resp_reader_deinit(&r);
        resp_reader_init(&r);
        feed_bytewise(&r, STREAM, n, &o);
        CHECK(outcome_eq(&o, &full));
        outcome_free(&o);
        resp_reader_deinit(&r);
    }
    unsigned seed = 12345;
    for (int iter = 0; iter < 300; iter++) {
        size_t chunks[16];
        for (int j = 0; j < 16; j++) {
            seed = seed * 1103515245u + 12345u;
            chunks[j] = (seed >> 16) % 23;
        }
        chunks[15] = 1 + chunks[15];
        outcome o;
        resp_reader_init(&r);
        feed_chunked(&r, STREAM, n, chunks, 16, &o);
        if (!outcome_eq(&o, &full)) test_fail(__FILE__, __LINE__, "random chunking %d differs", iter);
        outcome_free(&o);
        resp_reader_deinit(&r);
    }
    outcome_free(&full);
}

/* The same stream also survives an unauthenticated reader (its commands are small). */
static void t_stream_unauthenticated(void) {
    const size_t n = sizeof(STREAM) - 1;
    resp_reader r;
    reader_with(&r, RESP_PROTO_MAX_BULK_LEN_DEFAULT, true);
    outcome o, b;
    feed_oneshot(&r, STREAM, n, &o);
    resp_reader_deinit(&r);
    /* "*12" is over the unauthenticated argument limit (Redis 7.0's own text). */
    CHECK_EQ_INT(o.last, RESP_ERR_PROTO);
    CHECK_EQ_STR(o.err, "Protocol error: unauthenticated multibulk length");
    CHECK_EQ_INT(o.ncmds, NEXPECTED - 1);
    reader_with(&r, RESP_PROTO_MAX_BULK_LEN_DEFAULT, true);
    feed_bytewise(&r, STREAM, n, &b);
    CHECK(outcome_eq(&o, &b));
    resp_reader_deinit(&r);
    outcome_free(&o);
    outcome_free(&b);
}

static void t_resume_after_memmove(void) {
    const char *cmd = "*3\r\n$3\r\nSET\r\n$5\r\nhello\r\n$5\r\nworld\r\n";
    size_t n = strlen(cmd);
    resp_reader r;
    resp_reader_init(&r);
    for (size_t cut = 1; cut < n; cut++) {
        char *a = malloc(n + 16), *b = malloc(n + 16);
        memcpy(a + 7, cmd, cut);
        size_t used = 99;
        CHECK_EQ_INT(resp_reader_feed(&r, a + 7, cut, &used), RESP_NEED_MORE);
        CHECK_EQ_INT(used, 0);
        /* The caller moves its buffer (as after realloc or compaction). */
        memcpy(b + 3, a + 7, cut);
        memset(a, 'Z', n + 16);
        free(a);
        memcpy(b + 3 + cut, cmd + cut, n - cut);
        CHECK_EQ_INT(resp_reader_feed(&r, b + 3, n, &used), RESP_OK);
        CHECK_EQ_INT(used, n);
        CHECK_EQ_INT(r.argc, 3);
        if (r.argc == 3) {
            CHECK(r.argv[0] == b + 3 + 8);
            CHECK_EQ_MEM(r.argv[0], r.argvlen[0], "SET", 3);
            CHECK_EQ_MEM(r.argv[1], r.argvlen[1], "hello", 5);
            CHECK_EQ_MEM(r.argv[2], r.argvlen[2], "world", 5);
        }
        free(b);
    }
    /* Inline too. */
    {
        char buf[64];
        memcpy(buf + 20, "GET fo", 6);
        size_t used;
        CHECK_EQ_INT(resp_reader_feed(&r, buf + 20, 6, &used), RESP_NEED_MORE);
        memmove(buf, buf + 20, 6);
        memcpy(buf + 6, "o\r\n", 3);
        CHECK_EQ_INT(resp_reader_feed(&r, buf, 9, &used), RESP_OK);
        CHECK_EQ_INT(used, 9);
        CHECK_EQ_INT(r.argc, 2);
        CHECK_EQ_STR(r.argv[1], "foo");
    }
    resp_reader_deinit(&r);
}

/* A 1,000,000-argument command in one-byte pieces must not rescan: linear overall. */
static void t_million_args_bytewise(void) {
    const int nargs = 1000000;
    sbuf s = {0};
    sb_str(&s, "*1000000\r\n");
    for (int j = 0; j < nargs; j++) sb_str(&s, j == nargs - 1 ? "$1\r\nz\r\n" : "$1\r\na\r\n");
    resp_reader r;
    resp_reader_init(&r);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t used = 0;
    resp_status st = RESP_NEED_MORE;
    for (size_t k = 0; k <= s.len; k++) {
        st = resp_reader_feed(&r, s.b, k, &used);
        if (st != RESP_NEED_MORE) break;
        if (used != 0) break;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK_EQ_INT(st, RESP_OK);
    CHECK_EQ_INT(used, s.len);
    CHECK_EQ_INT(r.argc, nargs);
    if (r.argc == nargs) {
        CHECK(r.argv[0] == s.b + 14);
        CHECK_EQ_MEM(r.argv[nargs - 1], r.argvlen[nargs - 1], "z", 1);
    }
    CHECK_EQ_INT(r.argv_cap, nargs); /* doubling stops at the declared count */
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (getenv("TEST_VERBOSE")) fprintf(stderr, "    %zu one-byte feeds in %.3fs\n", s.len, secs);
    CHECK(secs < 20); /* quadratic would be hours */
    /* The next command gives the huge arrays back. */
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\r\n$1\r\nx\r\n"), &used), RESP_OK);
    CHECK_EQ_INT(r.argv_cap, RESP_ARGV_PREALLOC_MAX);
    resp_reader_deinit(&r);
    sb_free(&s);
}

/* ---- errors ---- */

/* Checks that input yields exactly `text` (after `ncmds` good commands) however it is cut. */
static void check_error_at(int line, const char *in, size_t n, long long max_bulk, bool unauth, int ncmds,
                           const char *text) {
    resp_reader r;
    outcome one, o;
    reader_with(&r, max_bulk, unauth);
    feed_oneshot(&r, in, n, &one);
    if (one.last != RESP_ERR_PROTO || strcmp(one.err, text) != 0 || one.ncmds != ncmds)
        test_fail(__FILE__, line, "got status %d \"%s\" after %d commands, expected \"%s\" after %d", one.last,
                  one.err, one.ncmds, text, ncmds);
    /* Stays failed. */
    size_t used = 1;
    CHECK_EQ_INT(resp_reader_feed(&r, S("PING\r\n"), &used), RESP_ERR_PROTO);
    CHECK_EQ_INT(used, 0);
    CHECK_EQ_STR(r.err, text);
    resp_reader_deinit(&r);

    reader_with(&r, max_bulk, unauth);
    feed_bytewise(&r, in, n, &o);
    if (!outcome_eq(&o, &one)) test_fail(__FILE__, line, "bytewise differs: \"%s\"", o.err);
    outcome_free(&o);
    resp_reader_deinit(&r);

    size_t step = n > 1000 ? n / 37 + 1 : 1;
    for (size_t k = 0; k <= n; k += step) {
        size_t chunks[2] = {k, n};
        reader_with(&r, max_bulk, unauth);
        feed_chunked(&r, in, n, chunks, 2, &o);
        if (!outcome_eq(&o, &one)) test_fail(__FILE__, line, "split at %zu differs: \"%s\"", k, o.err);
        outcome_free(&o);
        resp_reader_deinit(&r);
    }
    outcome_free(&one);
}
/* check_error(in, n, max_bulk, unauth, ncmds, text) */
#define check_error(...) check_error_at(__LINE__, __VA_ARGS__)
#define check_error_s(lit, text) check_error(S(lit), RESP_PROTO_MAX_BULK_LEN_DEFAULT, false, 0, text)

static void t_err_multibulk_length(void) {
    const char *t = "Protocol error: invalid multibulk length";
    check_error_s("*abc\r\n", t);
    check_error_s("*+1\r\n", t);
    check_error_s("* 1\r\n", t);
    check_error_s("*1 \r\n", t);
    check_error_s("*01\r\n", t);
    check_error_s("*-0\r\n", t);
    check_error_s("*00\r\n", t);
    check_error_s("*\r\n", t);
    check_error_s("*1x\r\n", t);
    check_error_s("*1\0\r\n", t);
    check_error_s("*2147483648\r\n", t);
    check_error_s("*9223372036854775807\r\n", t);
    check_error_s("*9223372036854775808\r\n", t);
    check_error_s("*99999999999999999999\r\n", t);
    check_error_s("*000000000000000000001\r\n", t);
    check_error(S("PING\r\n*1\r\n$4\r\nPING\r\n*x\r\n"), RESP_PROTO_MAX_BULK_LEN_DEFAULT, false, 2, t);

    /* INT_MAX itself is fine and reserves only the capped preallocation. */
    resp_reader r;
    resp_reader_init(&r);
    size_t used;
    CHECK_EQ_INT(resp_reader_feed(&r, S("*2147483647\r\n$3\r\n"), &used), RESP_NEED_MORE);
    CHECK_EQ_INT(r.argv_cap, RESP_ARGV_PREALLOC_MAX);
    resp_reader_reset(&r);
    /* Negative counts other than -1 are empty commands too, as in Redis. */
    CHECK_EQ_INT(resp_reader_feed(&r, S("*-5\r\n"), &used), RESP_OK);
    CHECK_EQ_INT(r.argc, 0);
    CHECK_EQ_INT(used, 5);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*-9223372036854775808\r\n"), &used), RESP_OK);
    CHECK_EQ_INT(r.argc, 0);
    resp_reader_deinit(&r);
}

static void t_err_expected_dollar(void) {
    check_error_s("*1\r\nx3\r\nfoo\r\n", "Protocol error: expected '$', got 'x'");
    check_error_s("*2\r\n$3\r\nfoo\r\n:3\r\n", "Protocol error: expected '$', got ':'");
    check_error_s("*1\r\n*1\r\n", "Protocol error: expected '$', got '*'");
    /* A CR would break the error line: it is quoted as a space. */
    check_error_s("*1\r\n\r\n", "Protocol error: expected '$', got ' '");
    /* The bytes after a bulk are skipped unchecked, so a short bulk misaligns the rest. */
    check_error_s("*2\r\n$2\r\nfoo\r\n$1\r\na\r\n", "Protocol error: expected '$', got ' '");
}

static void t_err_bulk_length(void) {
    const char *t = "Protocol error: invalid bulk length";
    check_error_s("*1\r\n$-1\r\n", t);
    check_error_s("*1\r\n$abc\r\n", t);
    check_error_s("*1\r\n$+1\r\n", t);
    check_error_s("*1\r\n$ 1\r\n", t);
    check_error_s("*1\r\n$1 \r\n", t);
    check_error_s("*1\r\n$01\r\n", t);
    check_error_s("*1\r\n$-0\r\n", t);
    check_error_s("*1\r\n$\r\n", t);
    check_error_s("*1\r\n$99999999999999999999\r\n", t);
    check_error_s("*1\r\n$536870913\r\n", t); /* default proto-max-bulk-len + 1 */
    check_error_s("*2\r\n$1\r\na\r\n$x\r\n", t);
    /* proto-max-bulk-len is configurable. */
    check_error(S("*1\r\n$101\r\n"), 100, false, 0, t);
    resp_reader r;
    reader_with(&r, 100, false);
    size_t used;
    char big[200];
    memcpy(big, "*1\r\n$100\r\n", 10);
    memset(big + 10, 'q', 100);
    memcpy(big + 110, "\r\n", 2);
    CHECK_EQ_INT(resp_reader_feed(&r, big, 112, &used), RESP_OK);
    CHECK_EQ_INT(r.argvlen[0], 100);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\r\n$536870912\r\n"), &used), RESP_ERR_PROTO);
    resp_reader_deinit(&r);
    resp_reader_init(&r);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\r\n$536870912\r\n"), &used), RESP_NEED_MORE);
    resp_reader_deinit(&r);
}

/* Builds "<prefix><n times c><suffix>". */
static char *repeat(const char *prefix, char c, size_t n, const char *suffix, size_t *len) {
    size_t p = strlen(prefix), s = strlen(suffix);
    char *b = malloc(p + n + s);
    memcpy(b, prefix, p);
    memset(b + p, c, n);
    memcpy(b + p + n, suffix, s);
    *len = p + n + s;
    return b;
}

static void t_err_too_big(void) {
    const long long mb = RESP_PROTO_MAX_BULK_LEN_DEFAULT;
    size_t n;
    char *b;
    /* Count line: at most 65536 bytes ('*' included) before its CR. */
    b = repeat("*", '1', RESP_INLINE_MAX_SIZE, "", &n);
    check_error(b, n, mb, false, 0, "Protocol error: too big mbulk count string");
    free(b);
    b = repeat("*", '1', RESP_INLINE_MAX_SIZE, "\r\n", &n); /* CR one byte too late */
    check_error(b, n, mb, false, 0, "Protocol error: too big mbulk count string");
    free(b);
    b = repeat("*", '1', RESP_INLINE_MAX_SIZE - 1, "\r\n", &n); /* CR just in time */
    check_error(b, n, mb, false, 0, "Protocol error: invalid multibulk length");
    free(b);
    b = repeat("*", '1', RESP_INLINE_MAX_SIZE - 1, "", &n); /* no CR yet: wait */
    {
        resp_reader r;
        resp_reader_init(&r);
        size_t used;
        CHECK_EQ_INT(resp_reader_feed(&r, b, n, &used), RESP_NEED_MORE);
        resp_reader_deinit(&r);
    }
    free(b);
    /* Bulk header line. */
    b = repeat("*1\r\n$", '1', RESP_INLINE_MAX_SIZE, "", &n);
    check_error(b, n, mb, false, 0, "Protocol error: too big bulk count string");
    free(b);
    b = repeat("*1\r\nx", 'x', RESP_INLINE_MAX_SIZE, "\r\n", &n); /* too big wins over the '$' check */
    check_error(b, n, mb, false, 0, "Protocol error: too big bulk count string");
    free(b);
    /* Inline line: at most 65536 bytes before its LF. */
    b = repeat("", 'a', RESP_INLINE_MAX_SIZE + 1, "", &n);
    check_error(b, n, mb, false, 0, "Protocol error: too big inline request");
    free(b);
    b = repeat("", 'a', RESP_INLINE_MAX_SIZE + 1, "\n", &n);
    check_error(b, n, mb, false, 0, "Protocol error: too big inline request");
    free(b);
    b = repeat("", 'a', RESP_INLINE_MAX_SIZE, "\nPING\n", &n);
    {
        resp_reader r;
        resp_reader_init(&r);
        outcome o;
        feed_bytewise(&r, b, n, &o);
        CHECK_EQ_INT(o.ncmds, 2);
        CHECK_EQ_INT(o.last, RESP_NEED_MORE);
        CHECK_EQ_INT(o.consumed, n);
        outcome_free(&o);
        resp_reader_deinit(&r);
    }
    free(b);
}

static void t_err_inline_quotes(void) {
    const char *t = "Protocol error: unbalanced quotes in request";
    check_error_s("SET \"abc\r\n", t);
    check_error_s("SET 'abc\n", t);
    check_error_s("SET \"a\"b\n", t);
    check_error_s("SET 'a'b\n", t);
    check_error_s("SET \"abc\\\"\n", t);
    check_error(S("PING\nPING\n\"x\n"), RESP_PROTO_MAX_BULK_LEN_DEFAULT, false, 2, t);
}

static void t_err_sticky_and_reset(void) {
    resp_reader r;
    resp_reader_init(&r);
    size_t used;
    CHECK_EQ_INT(resp_reader_feed(&r, S("*x\r\n"), &used), RESP_ERR_PROTO);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\r\n$1\r\na\r\n"), &used), RESP_ERR_PROTO);
    CHECK_EQ_INT(resp_reader_feed(&r, S(""), &used), RESP_ERR_PROTO);
    resp_reader_reset(&r);
    CHECK_EQ_STR(r.err, "");
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\r\n$1\r\na\r\n"), &used), RESP_OK);
    CHECK_EQ_INT(r.argc, 1);
    /* reset also drops a partial command. */
    CHECK_EQ_INT(resp_reader_feed(&r, S("*2\r\n$1\r\na\r\n$5\r\nab"), &used), RESP_NEED_MORE);
    resp_reader_reset(&r);
    CHECK_EQ_INT(resp_reader_want(&r), 0);
    CHECK_EQ_INT(resp_reader_feed(&r, S("PING\n"), &used), RESP_OK);
    CHECK_EQ_INT(r.argc, 1);
    resp_reader_deinit(&r);
    resp_reader_deinit(&r); /* twice is fine */
}

/* deinit gives memory back but keeps the limits, and the reader stays usable. */
static void t_deinit_between_commands(void) {
    resp_reader r;
    reader_with(&r, 10, true);
    size_t used;
    sbuf s = {0};
    for (int j = 0; j < 3000; j++) sb_str(&s, "ab ");
    sb_str(&s, "\n");
    CHECK_EQ_INT(resp_reader_feed(&r, s.b, s.len, &used), RESP_OK);
    CHECK_EQ_INT(r.argc, 3000);
    CHECK(r.ibuf_cap >= s.len);
    /* The next command starts with the big arrays given back. */
    CHECK_EQ_INT(resp_reader_feed(&r, S("PING\n"), &used), RESP_OK);
    CHECK_EQ_INT(r.argv_cap, RESP_ARGV_PREALLOC_MAX);
    CHECK(r.ibuf_cap <= RESP_IBUF_KEEP_MAX);
    sb_free(&s);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\r\n$3\r\nab"), &used), RESP_NEED_MORE);
    resp_reader_deinit(&r);
    CHECK(r.argv == NULL && r.argv_cap == 0 && r.ibuf == NULL);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\r\n$3\r\nabc\r\n"), &used), RESP_OK);
    CHECK_EQ_MEM(r.argv[0], r.argvlen[0], "abc", 3);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\r\n$11\r\n"), &used), RESP_ERR_PROTO); /* limit kept */
    resp_reader_deinit(&r);
}

/* ---- limits ---- */

static void t_unauthenticated_limits(void) {
    const long long mb = RESP_PROTO_MAX_BULK_LEN_DEFAULT;
    check_error(S("*11\r\n"), mb, true, 0, "Protocol error: unauthenticated multibulk length");
    size_t n;
    char *b = repeat("*1\r\n$16385\r\n", 'v', 16385, "\r\n", &n);
    check_error(b, n, mb, true, 0, "Protocol error: unauthenticated bulk length");
    resp_reader r;
    size_t used;
    /* Authenticated: the same command is fine. */
    resp_reader_init(&r);
    CHECK_EQ_INT(resp_reader_feed(&r, b, n, &used), RESP_OK);
    CHECK_EQ_INT(r.argvlen[0], 16385);
    free(b);
    /* Limits may change between commands. */
    resp_reader_set_limits(&r, mb, true);
    b = repeat("*1\r\n$16384\r\n", 'v', 16384, "\r\n", &n);
    CHECK_EQ_INT(resp_reader_feed(&r, b, n, &used), RESP_OK);
    CHECK_EQ_INT(r.argvlen[0], 16384);
    free(b);
    const char *ten = "*10\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n"
                      "$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n";
    CHECK_EQ_INT(resp_reader_feed(&r, ten, strlen(ten), &used), RESP_OK);
    CHECK_EQ_INT(r.argc, 10);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*11\r\n"), &used), RESP_ERR_PROTO);
    resp_reader_reset(&r);
    resp_reader_set_limits(&r, mb, false);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*11\r\n"), &used), RESP_NEED_MORE);
    /* Inline commands are bounded by the line limit only. */
    resp_reader_reset(&r);
    resp_reader_set_limits(&r, mb, true);
    CHECK_EQ_INT(resp_reader_feed(&r, S("a b c d e f g h i j k l\n"), &used), RESP_OK);
    CHECK_EQ_INT(r.argc, 12);
    resp_reader_deinit(&r);
}

static size_t heap_in_use(void) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    return mallinfo2().uordblks;
#else
    return 0;
#endif
}

static void t_big_declared_bulk_allocates_nothing(void) {
    resp_reader r;
    resp_reader_init(&r);
    size_t used;
    size_t before = heap_in_use();
    const char *in = "*1\r\n$536870912\r\nabc";
    CHECK_EQ_INT(resp_reader_feed(&r, in, strlen(in), &used), RESP_NEED_MORE);
    CHECK_EQ_INT(used, 0);
    CHECK(r.argv_cap <= 1);
    CHECK_EQ_INT(resp_reader_want(&r), 4 + 12 + 536870912 + 2);
    CHECK(heap_in_use() < before + 4096);
    /* A huge declared count reserves at most RESP_ARGV_PREALLOC_MAX entries... */
    resp_reader_reset(&r);
    in = "*2000000000\r\n$536870912\r\nabc";
    CHECK_EQ_INT(resp_reader_feed(&r, in, strlen(in), &used), RESP_NEED_MORE);
    CHECK_EQ_INT(r.argv_cap, RESP_ARGV_PREALLOC_MAX);
    CHECK_EQ_INT(resp_reader_want(&r), 13 + 12 + 536870912 + 2);
    CHECK(heap_in_use() < before + 64 * 1024);
    /* ...and grows by doubling only as arguments arrive. */
    resp_reader_reset(&r);
    sbuf s = {0};
    sb_str(&s, "*100000\r\n");
    int cap_seen[32], ncap = 0;
    for (int j = 0; j < 100000; j++) {
        sb_str(&s, "$2\r\nab\r\n");
        CHECK_EQ_INT(resp_reader_feed(&r, s.b, s.len, &used), j == 99999 ? RESP_OK : RESP_NEED_MORE);
        CHECK(r.argv_cap >= j + 1 || j == 99999);
        if (ncap == 0 || cap_seen[ncap - 1] != r.argv_cap) {
            if (ncap < 32) cap_seen[ncap++] = r.argv_cap;
        }
    }
    CHECK_EQ_INT(r.argc, 100000);
    int want_caps[] = {1024, 2048, 4096, 8192, 16384, 32768, 65536, 100000};
    CHECK_EQ_INT(ncap, 8);
    for (int j = 0; j < ncap && j < 8; j++) CHECK_EQ_INT(cap_seen[j], want_caps[j]);
    sb_free(&s);
    /* want() is 0 when no bulk length is known. */
    resp_reader_reset(&r);
    CHECK_EQ_INT(resp_reader_want(&r), 0);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*3\r\n$3\r\nfoo\r\n$"), &used), RESP_NEED_MORE);
    CHECK_EQ_INT(resp_reader_want(&r), 0);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*3\r\n$3\r\nfoo\r\n$5\r\nab"), &used), RESP_NEED_MORE);
    CHECK_EQ_INT(resp_reader_want(&r), 13 + 4 + 5 + 2);
    resp_reader_deinit(&r);
}

/* ---- multibulk details ---- */

static void t_multibulk_details(void) {
    resp_reader r;
    resp_reader_init(&r);
    size_t used;
    /* The two bytes after a bulk and after a header's CR are skipped, not checked. */
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\r\n$3\r\nfooXY"), &used), RESP_OK);
    CHECK_EQ_INT(used, 13);
    CHECK_EQ_MEM(r.argv[0], r.argvlen[0], "foo", 3);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\rX$3\rYfoo\r\n"), &used), RESP_OK);
    CHECK_EQ_INT(used, 13);
    CHECK_EQ_MEM(r.argv[0], r.argvlen[0], "foo", 3);
    /* A header is parsed only once the byte after its CR is here. */
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\r"), &used), RESP_NEED_MORE);
    resp_reader_reset(&r);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\r\n$3\r\nfoo\r"), &used), RESP_NEED_MORE);
    CHECK_EQ_INT(resp_reader_want(&r), 13);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\r\n$3\r\nfoo\r\n"), &used), RESP_OK);
    /* Pipelined: each feed returns the first complete command only. */
    const char *two = "*1\r\n$1\r\na\r\n*1\r\n$1\r\nb\r\n";
    CHECK_EQ_INT(resp_reader_feed(&r, two, strlen(two), &used), RESP_OK);
    CHECK_EQ_INT(used, 11);
    CHECK_EQ_INT(resp_reader_feed(&r, two + used, strlen(two) - used, &used), RESP_OK);
    CHECK_EQ_MEM(r.argv[0], r.argvlen[0], "b", 1);
    /* Header numbers around the fast path's 18-digit bound, with no bulk limit. */
    resp_reader_set_limits(&r, LLONG_MAX, false);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\r\n$999999999999999999\r\n"), &used), RESP_NEED_MORE);
    CHECK_EQ_INT(resp_reader_want(&r), 4 + 21 + 999999999999999999ULL + 2);
    resp_reader_reset(&r);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\r\n$9223372036854775807\r\n"), &used), RESP_NEED_MORE);
    CHECK_EQ_INT(resp_reader_want(&r), 4 + 22 + 9223372036854775807ULL + 2);
    resp_reader_reset(&r);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\r\n$9223372036854775808\r\n"), &used), RESP_ERR_PROTO);
    CHECK_EQ_STR(r.err, "Protocol error: invalid bulk length");
    resp_reader_reset(&r);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\r\n$0\r\n\r\n"), &used), RESP_OK);
    CHECK_EQ_INT(r.argvlen[0], 0);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\r\n$00\r\n\r\n"), &used), RESP_ERR_PROTO);
    resp_reader_reset(&r);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*999999999999999999\r\n"), &used), RESP_ERR_PROTO);
    CHECK_EQ_STR(r.err, "Protocol error: invalid multibulk length");
    resp_reader_reset(&r);
    resp_reader_set_limits(&r, RESP_PROTO_MAX_BULK_LEN_DEFAULT, false);
    /* Empty input is NEED_MORE, not an empty command. */
    CHECK_EQ_INT(resp_reader_feed(&r, "", 0, &used), RESP_NEED_MORE);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*0\r\n"), &used), RESP_OK);
    CHECK_EQ_INT(r.argc, 0);
    CHECK_EQ_INT(used, 4);
    resp_reader_deinit(&r);
}

/* resp_reader_parsed(): how much of an unfinished multibulk command is already
 * complete arguments (the caller's query buffer limit counts only what follows). */
static void t_parsed_progress(void) {
    resp_reader r;
    resp_reader_init(&r);
    size_t used;
    CHECK_EQ_INT(resp_reader_parsed(&r), 0);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*3\r"), &used), RESP_NEED_MORE);
    CHECK_EQ_INT(resp_reader_parsed(&r), 0); /* the count line is not finished */
    CHECK_EQ_INT(resp_reader_feed(&r, S("*3\r\n$3\r\nSET\r\n$1\r"), &used), RESP_NEED_MORE);
    CHECK_EQ_INT(resp_reader_parsed(&r), 13); /* "*3\r\n$3\r\nSET\r\n" */
    CHECK_EQ_INT(resp_reader_feed(&r, S("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nab"), &used), RESP_NEED_MORE);
    CHECK_EQ_INT(resp_reader_parsed(&r), 24); /* and "$1\r\nk\r\n$5\r\n": a bulk under way */
    CHECK_EQ_INT(resp_reader_feed(&r, S("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nabcde\r\n"), &used), RESP_OK);
    CHECK_EQ_INT(resp_reader_parsed(&r), 0); /* complete: nothing in progress */
    CHECK_EQ_INT(resp_reader_feed(&r, S("SET k v"), &used), RESP_NEED_MORE);
    CHECK_EQ_INT(resp_reader_parsed(&r), 0); /* an inline line is parsed only whole */
    resp_reader_reset(&r);
    CHECK_EQ_INT(resp_reader_feed(&r, S("*1\r\nx\r\n"), &used), RESP_ERR_PROTO);
    CHECK_EQ_INT(resp_reader_parsed(&r), 0);
    resp_reader_deinit(&r);
}

static void t_inline_details(void) {
    resp_reader r;
    resp_reader_init(&r);
    size_t used;
    CHECK_EQ_INT(resp_reader_feed(&r, S("SET k v\r\n"), &used), RESP_OK);
    CHECK_EQ_INT(used, 9);
    CHECK_EQ_INT(r.argc, 3);
    CHECK_EQ_STR(r.argv[0], "SET"); /* NUL-terminated */
    CHECK_EQ_STR(r.argv[2], "v");
    /* Only one CR is stripped; a CR inside the line separates arguments. */
    CHECK_EQ_INT(resp_reader_feed(&r, S("a\rb\r\r\n"), &used), RESP_OK);
    CHECK_EQ_INT(r.argc, 2);
    CHECK_EQ_STR(r.argv[1], "b");
    /* Stripping the CR makes a quote open to the end. */
    CHECK_EQ_INT(resp_reader_feed(&r, S("\"a\"\r\n"), &used), RESP_OK);
    CHECK_EQ_STR(r.argv[0], "a");
    CHECK_EQ_INT(resp_reader_feed(&r, S("\n"), &used), RESP_OK);
    CHECK_EQ_INT(r.argc, 0);
    CHECK_EQ_INT(used, 1);
    /* A line of exactly 65536 bytes is fine, and binary. */
    size_t n;
    char *b = repeat("", 'a', RESP_INLINE_MAX_SIZE, "\n", &n);
    b[5] = '\0';
    b[7] = ' ';
    CHECK_EQ_INT(resp_reader_feed(&r, b, n, &used), RESP_OK);
    CHECK_EQ_INT(r.argc, 2);
    CHECK_EQ_INT(r.argvlen[0], 7);
    CHECK_EQ_INT(r.argvlen[1], RESP_INLINE_MAX_SIZE - 8);
    CHECK_EQ_MEM(r.argv[0], 7, "aaaaa\0a", 7);
    free(b);
    /* Many inline arguments grow argv as they come. */
    sbuf s = {0};
    for (int j = 0; j < 5000; j++) sb_str(&s, "x ");
    sb_str(&s, "\n");
    CHECK_EQ_INT(resp_reader_feed(&r, s.b, s.len, &used), RESP_OK);
    CHECK_EQ_INT(r.argc, 5000);
    CHECK(r.argv_cap >= 5000);
    sb_free(&s);
    resp_reader_deinit(&r);
}

/* ---- resp_split_args ---- */

typedef struct {
    const char *in;
    size_t inlen;
    int argc;
    const char *a[6];
    size_t l[6];
} split_case;

static void t_split_args(void) {
    static const split_case cases[] = {
        {S("set foo bar"), 3, {"set", "foo", "bar"}, {3, 3, 3}},
        {S("  lead \t and\r\ntrail  "), 3, {"lead", "and", "trail"}, {4, 3, 5}},
        {S(""), 0, {0}, {0}},
        {S(" \t\r\n\v\f "), 0, {0}, {0}},
        {S("\"a\\nb\" \"\\x41\\x4a\\x6f\" \"\\xZZ\" \"\\\\\" \"\\\"\""), 5, {"a\nb", "AJo", "xZZ", "\\", "\""},
         {3, 3, 3, 1, 1}},
        {S("\"\\n\\r\\t\\b\\a\\q\\'\""), 1, {"\n\r\t\b\aq'"}, {7}},
        {S("\"\\x00\\xff\\x4\""), 1, {"\0\xffx4"}, {4}},
        {S("'it\\'s' 'a\\nb' '\"'"), 3, {"it's", "a\\nb", "\""}, {4, 4, 1}},
        {S("\"\" '' x"), 3, {"", "", "x"}, {0, 0, 1}},
        {S("a\"b c\" d"), 2, {"ab c", "d"}, {4, 1}},
        {S("a'b c'"), 1, {"ab c"}, {4}},
        {S("\"a\"\tb"), 2, {"a", "b"}, {1, 1}},
        {S("\"a\"\vb"), 2, {"a", "b"}, {1, 1}},
        {S("a\vb \fc"), 2, {"a\vb", "c"}, {3, 1}},
        {S("a\0b c"), 2, {"a\0b", "c"}, {3, 1}},
        {S("\"a\0b\""), 1, {"a\0b"}, {3}},
        {S("\"abc"), -1, {0}, {0}},
        {S("'abc"), -1, {0}, {0}},
        {S("\"abc\\\""), -1, {0}, {0}},
        {S("\"abc\\"), -1, {0}, {0}},
        {S("'abc\\'"), -1, {0}, {0}},
        {S("\"a\"b"), -1, {0}, {0}},
        {S("'a'b"), -1, {0}, {0}},
        {S("x \"a\"\"b\""), -1, {0}, {0}},
        {S("\""), -1, {0}, {0}},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        const split_case *sc = &cases[c];
        char **argv = (char **)1;
        size_t *argvlen = (size_t *)1;
        int argc = resp_split_args(sc->in, sc->inlen, &argv, &argvlen);
        if (argc != sc->argc) {
            test_fail(__FILE__, __LINE__, "case %zu: argc %d, expected %d", c, argc, sc->argc);
        } else if (argc < 0) {
            CHECK(argv == NULL);
            CHECK(argvlen == NULL);
        } else {
            CHECK(argv != NULL);
            CHECK(argvlen != NULL);
            for (int j = 0; j < argc; j++) {
                if (argvlen[j] != sc->l[j] || memcmp(argv[j], sc->a[j], sc->l[j]) != 0)
                    test_fail(__FILE__, __LINE__, "case %zu: arg %d differs", c, j);
                CHECK(argv[j][argvlen[j]] == '\0');
            }
        }
        /* The reader's inline path agrees with resp_split_args. */
        if (memchr(sc->in, '\n', sc->inlen) == NULL && (sc->inlen == 0 || sc->in[0] != '*')) {
            resp_reader r;
            resp_reader_init(&r);
            char line[128];
            memcpy(line, sc->in, sc->inlen);
            line[sc->inlen] = '\n';
            size_t used;
            resp_status st = resp_reader_feed(&r, line, sc->inlen + 1, &used);
            if (argc < 0) {
                CHECK_EQ_INT(st, RESP_ERR_PROTO);
            } else {
                bool cr_stripped = sc->inlen > 0 && sc->in[sc->inlen - 1] == '\r';
                if (!cr_stripped) {
                    CHECK_EQ_INT(st, RESP_OK);
                    CHECK_EQ_INT(r.argc, argc);
                    for (int j = 0; j < argc && j < r.argc; j++)
                        CHECK_EQ_MEM(r.argv[j], r.argvlen[j], argv[j], argvlen[j]);
                }
            }
            resp_reader_deinit(&r);
        }
        resp_free_args(argc, argc < 0 ? NULL : argv, argc < 0 ? NULL : argvlen);
    }
    resp_free_args(0, NULL, NULL);
}

/* ---- encoders ---- */

static void t_enc_hdr(void) {
    char b[RESP_HDR_MAX];
    size_t n;
    n = resp_enc_hdr(b, '*', 3);
    CHECK_EQ_MEM(b, n, "*3\r\n", 4);
    n = resp_enc_hdr(b, '$', -1);
    CHECK_EQ_MEM(b, n, "$-1\r\n", 5);
    n = resp_enc_hdr(b, '*', -1);
    CHECK_EQ_MEM(b, n, "*-1\r\n", 5);
    n = resp_enc_hdr(b, ':', 0);
    CHECK_EQ_MEM(b, n, ":0\r\n", 4);
    n = resp_enc_hdr(b, ':', -42);
    CHECK_EQ_MEM(b, n, ":-42\r\n", 6);
    n = resp_enc_hdr(b, ':', LLONG_MIN);
    CHECK_EQ_MEM(b, n, ":-9223372036854775808\r\n", 23);
    n = resp_enc_hdr(b, ':', LLONG_MAX);
    CHECK_EQ_MEM(b, n, ":9223372036854775807\r\n", 22);
    n = resp_enc_hdr(b, '%', 2);
    CHECK_EQ_MEM(b, n, "%2\r\n", 4);
    const char types[] = "*$:%~>|=(!";
    for (const char *t = types; *t; t++) {
        n = resp_enc_hdr(b, *t, 1234567);
        CHECK_EQ_INT(n, 10);
        CHECK(b[0] == *t);
        CHECK_EQ_MEM(b + 1, n - 1, "1234567\r\n", 9);
    }
}

/* resp_bulk_size agrees with the header resp_enc_hdr writes, around each power of ten. */
static void t_bulk_size(void) {
    char b[RESP_HDR_MAX];
    CHECK_EQ_INT(resp_bulk_size(0), 6);  /* "$0\r\n\r\n" */
    CHECK_EQ_INT(resp_bulk_size(5), 11); /* "$5\r\nhello\r\n" */
    for (size_t p = 1; p <= (size_t)1e18; p *= 10)
        for (size_t len = p - 1; len <= p; len++)
            CHECK_EQ_INT(resp_bulk_size(len), resp_enc_hdr(b, '$', (long long)len) + len + 2);
}

static void t_enc_ll(void) {
    char b[32], want[32];
    long long vals[] = {0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 12345, -1, -9, -10, -99, -100, -12345,
                        LLONG_MAX, LLONG_MIN, LLONG_MIN + 1, LLONG_MAX - 1};
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        size_t n = resp_enc_ll(b, vals[i]);
        int wn = snprintf(want, sizeof(want), "%lld", vals[i]);
        CHECK_EQ_MEM(b, n, want, (size_t)wn);
    }
    /* Powers of ten and their neighbours, both signs. */
    long long p = 1;
    for (int e = 0; e < 19; e++, p = e < 19 ? p * 10 : p)
        for (long long d = -1; d <= 1; d++)
            for (int sgn = -1; sgn <= 1; sgn += 2) {
                long long v = sgn * (p + d);
                size_t n = resp_enc_ll(b, v);
                int wn = snprintf(want, sizeof(want), "%lld", v);
                CHECK_EQ_MEM(b, n, want, (size_t)wn);
            }
    unsigned long long x = 88172645463325252ULL;
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        long long v = (long long)(x >> (x & 63));
        if (x & 64) v = -v;
        size_t n = resp_enc_ll(b, v);
        int wn = snprintf(want, sizeof(want), "%lld", v);
        if (n != (size_t)wn || memcmp(b, want, n) != 0) {
            test_fail(__FILE__, __LINE__, "resp_enc_ll(%lld)", v);
            break;
        }
    }
}

static void check_double(int line, double d, const char *want) {
    char b[RESP_DOUBLE_MAX];
    memset(b, 'X', sizeof(b));
    size_t n = resp_enc_double_str(b, d);
    if (n != strlen(want) || memcmp(b, want, n) != 0)
        test_fail(__FILE__, line, "double %.17g gives \"%.*s\", expected \"%s\"", d, (int)n, b, want);
}
#define CHECK_DOUBLE(d, s) check_double(__LINE__, d, s)

static void t_enc_double(void) {
    CHECK_DOUBLE(1.5, "1.5");
    CHECK_DOUBLE(0.1, "0.1");
    CHECK_DOUBLE(1e300, "1e+300");
    CHECK_DOUBLE(INFINITY, "inf");
    CHECK_DOUBLE(-INFINITY, "-inf");
    CHECK_DOUBLE(NAN, "nan");
    CHECK_DOUBLE(-NAN, "nan");
    CHECK_DOUBLE(3.0, "3");
    CHECK_DOUBLE(-3.0, "-3");
    CHECK_DOUBLE(0.0, "0");
    CHECK_DOUBLE(-0.0, "-0");
    CHECK_DOUBLE(-2.5, "-2.5");
    CHECK_DOUBLE(1e15, "1e+15");
    CHECK_DOUBLE(999999999999999.0, "999999999999999");
    CHECK_DOUBLE(123456789012345678.0, "1.2345678901234568e+17");
    CHECK_DOUBLE(1.0 / 3, "0.3333333333333333");
    CHECK_DOUBLE(0.1 + 0.2, "0.30000000000000004");
    CHECK_DOUBLE(1e-5, "1e-05");
    CHECK_DOUBLE(5e-324, "4.94065645841247e-324"); /* subnormal: round-trips, not shortest */
    CHECK_DOUBLE(0.0001, "0.0001");
    CHECK_DOUBLE(1.7976931348623157e308, "1.7976931348623157e+308");
    CHECK_DOUBLE(-2.2250738585072014e-308, "-2.2250738585072014e-308");
    CHECK_DOUBLE(3.14, "3.14");
    /* Everything round-trips and fits. */
    unsigned long long x = 0x9E3779B97F4A7C15ULL;
    char b[RESP_DOUBLE_MAX + 1];
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double d;
        memcpy(&d, &x, sizeof(d));
        if (isnan(d) || isinf(d)) continue;
        size_t n = resp_enc_double_str(b, d);
        CHECK(n <= 24);
        b[n] = '\0';
        if (strtod(b, NULL) != d) {
            test_fail(__FILE__, __LINE__, "%s does not read back as %.17g", b, d);
            break;
        }
    }
}

int main(void) {
    test_run("stream one shot", t_stream_oneshot);
    test_run("stream every prefix", t_stream_every_prefix);
    test_run("stream every split", t_stream_every_split);
    test_run("stream unauthenticated", t_stream_unauthenticated);
    test_run("resume after memmove", t_resume_after_memmove);
    test_run("million args bytewise", t_million_args_bytewise);
    test_run("err multibulk length", t_err_multibulk_length);
    test_run("err expected dollar", t_err_expected_dollar);
    test_run("err bulk length", t_err_bulk_length);
    test_run("err too big", t_err_too_big);
    test_run("err inline quotes", t_err_inline_quotes);
    test_run("err sticky and reset", t_err_sticky_and_reset);
    test_run("deinit between commands", t_deinit_between_commands);
    test_run("unauthenticated limits", t_unauthenticated_limits);
    test_run("big declared bulk allocates nothing", t_big_declared_bulk_allocates_nothing);
    test_run("multibulk details", t_multibulk_details);
    test_run("parsed progress", t_parsed_progress);
    test_run("inline details", t_inline_details);
    test_run("split args", t_split_args);
    test_run("enc hdr", t_enc_hdr);
    test_run("bulk size", t_bulk_size);
    test_run("enc ll", t_enc_ll);
    test_run("enc double", t_enc_double);
    return test_summary("resp");
}
