/* tests/fuzz/fuzz_reader.c: fuzz entry point for resp/ (request reader, argument
 * splitting, encoders).
 *
 * The input is a raw byte stream as a client would send it (so corpus files are readable
 * protocol). For each of three limit settings (authenticated with the default
 * proto-max-bulk-len, authenticated with a tiny one, unauthenticated) the stream is fed
 *   1. in one piece, command after command: the reference;
 *   2. one more byte at a time, in place;
 *   3. in chunks whose sizes come from a PRNG seeded by the input, through a query
 *      buffer that moves to a fresh allocation after every read;
 *   4. (short inputs) split once at every point;
 * and every run must produce the same commands, the same final status, the same error
 * text and the same byte count. Along the way the reader's contract is checked: nothing
 * consumed unless RESP_OK, consumed within len, arguments inside the consumed bytes and
 * within the limits, argv never reserved beyond what arrived. Then resp_split_args runs
 * on the whole input and must agree with the reader's inline path, and the encoders must
 * round-trip numbers taken from the input. Any violation aborts.
 *
 *   libFuzzer: clang -g -O1 -fsanitize=fuzzer,address,undefined -I. tests/fuzz/fuzz_reader.c \
 *                  resp/reader.c resp/encode.c -o fuzz_reader
 *              ./fuzz_reader tests/fuzz/corpus/reader
 *   replay:    gcc -I. tests/fuzz/fuzz_reader.c tests/fuzz/replay_main.c resp/reader.c resp/encode.c -o r
 *              ./r tests/fuzz/corpus/reader [more dirs or files]
 */
#include "tests/fuzz/fuzz.h"
#include "resp/encode.h"
#include "resp/reader.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a record of what a run produced ---- */

typedef struct {
    char *b;
    size_t len, cap;
    int ncmds;
    resp_status last;
    char err[128];
    size_t consumed;
} run_rec;

static void rec_put(run_rec *o, const void *p, size_t n) {
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (cap < o->len + n) cap *= 2;
        o->b = realloc(o->b, cap);
        FUZZ_CHECK(o->b != NULL);
        o->cap = cap;
    }
    if (n) memcpy(o->b + o->len, p, n);
    o->len += n;
}

static bool rec_eq(const run_rec *a, const run_rec *b) {
    return a->ncmds == b->ncmds && a->len == b->len && (a->len == 0 || memcmp(a->b, b->b, a->len) == 0) &&
           a->last == b->last && strcmp(a->err, b->err) == 0 && a->consumed == b->consumed;
}

typedef struct {
    long long max_bulk;
    bool unauth;
    size_t total; /* the whole input's length, for the argv capacity bound */
} limits;

/* Checks and records the command the reader just returned from buf[0..len). */
static void on_ok(run_rec *o, const resp_reader *r, const limits *lim, const char *buf, size_t len,
                  size_t used) {
    FUZZ_CHECK(used > 0 && used <= len);
    FUZZ_CHECK(r->argc >= 0 && r->argc <= r->argv_cap);
    bool multibulk = buf[0] == '*';
    if (multibulk && lim->unauth) FUZZ_CHECK(r->argc <= RESP_UNAUTH_MBULK_MAX);
    rec_put(o, &r->argc, sizeof(r->argc));
    for (int j = 0; j < r->argc; j++) {
        size_t l = r->argvlen[j];
        if (multibulk) {
            FUZZ_CHECK((long long)l <= lim->max_bulk);
            if (lim->unauth) FUZZ_CHECK(l <= RESP_UNAUTH_BULK_MAX);
            FUZZ_CHECK(r->argv[j] >= buf && r->argv[j] + l <= buf + used);
        } else {
            FUZZ_CHECK(l <= RESP_INLINE_MAX_SIZE);
            FUZZ_CHECK(r->argv[j][l] == '\0');
        }
        rec_put(o, &l, sizeof(l));
        rec_put(o, r->argv[j], l);
    }
    o->ncmds++;
    o->consumed += used;
}

/* Checks a NEED_MORE or an error from buf[0..len). */
static void on_stop(const resp_reader *r, const limits *lim, resp_status st, size_t len, size_t used) {
    FUZZ_CHECK(used == 0);
    FUZZ_CHECK(r->argv_cap <= RESP_ARGV_PREALLOC_MAX || (size_t)r->argv_cap <= 2 * lim->total + 8);
    if (st == RESP_NEED_MORE) {
        size_t want = resp_reader_want(r);
        FUZZ_CHECK(want == 0 || want > len);
    } else {
        FUZZ_CHECK(st == RESP_ERR_PROTO);
        FUZZ_CHECK(strncmp(r->err, "Protocol error: ", 16) == 0);
        FUZZ_CHECK(strchr(r->err, '\r') == NULL && strchr(r->err, '\n') == NULL);
    }
}

static void finish(run_rec *o, resp_reader *r, resp_status st) {
    o->last = st;
    snprintf(o->err, sizeof(o->err), "%s", st == RESP_ERR_PROTO ? r->err : "");
    if (st == RESP_ERR_PROTO) { /* stays failed */
        size_t used = 1;
        FUZZ_CHECK(resp_reader_feed(r, "PING\r\n", 6, &used) == RESP_ERR_PROTO && used == 0);
    }
    resp_reader_deinit(r);
}

static void reader_for(resp_reader *r, const limits *lim) {
    resp_reader_init(r);
    resp_reader_set_limits(r, lim->max_bulk, lim->unauth);
}

static void run_oneshot(const char *s, size_t n, const limits *lim, run_rec *o) {
    resp_reader r;
    reader_for(&r, lim);
    size_t off = 0, used;
    resp_status st;
    while ((st = resp_reader_feed(&r, s + off, n - off, &used)) == RESP_OK) {
        on_ok(o, &r, lim, s + off, n - off, used);
        off += used;
    }
    on_stop(&r, lim, st, n - off, used);
    finish(o, &r, st);
}

static void run_bytewise(const char *s, size_t n, const limits *lim, run_rec *o) {
    resp_reader r;
    reader_for(&r, lim);
    size_t base = 0, used;
    resp_status st = RESP_NEED_MORE;
    for (size_t k = 0; k <= n; k++) {
        while ((st = resp_reader_feed(&r, s + base, k - base, &used)) == RESP_OK) {
            on_ok(o, &r, lim, s + base, k - base, used);
            base += used;
        }
        on_stop(&r, lim, st, k - base, used);
        if (st == RESP_ERR_PROTO) break;
    }
    finish(o, &r, st);
}

/* chunk(i) gives the size of read number i; 0 is an empty read. */
typedef size_t (*chunk_fn)(void *ctx, size_t i);

static void run_chunked(const char *s, size_t n, const limits *lim, chunk_fn chunk, void *ctx, run_rec *o) {
    resp_reader r;
    reader_for(&r, lim);
    char *q = NULL;
    size_t qlen = 0, fed = 0, used = 0;
    resp_status st = RESP_NEED_MORE;
    for (size_t i = 0; fed < n; i++) {
        size_t c = chunk(ctx, i);
        if (c > n - fed) c = n - fed;
        if (i > 4 * n + 16) c = n - fed; /* never spin on empty reads */
        char *nq = malloc(qlen + c ? qlen + c : 1); /* exact size: ASan sees any overread */
        FUZZ_CHECK(nq != NULL);
        if (qlen) memcpy(nq, q, qlen);
        memcpy(nq + qlen, s + fed, c);
        if (q) memset(q, 0xA5, qlen);
        free(q);
        q = nq;
        qlen += c;
        fed += c;
        size_t off = 0;
        while ((st = resp_reader_feed(&r, q + off, qlen - off, &used)) == RESP_OK) {
            on_ok(o, &r, lim, q + off, qlen - off, used);
            off += used;
        }
        on_stop(&r, lim, st, qlen - off, used);
        memmove(q, q + off, qlen - off);
        qlen -= off;
        if (st == RESP_ERR_PROTO) break;
    }
    free(q);
    finish(o, &r, st);
}

typedef struct {
    uint64_t state;
} prng;

static size_t chunk_random(void *ctx, size_t i) {
    prng *p = ctx;
    (void)i;
    p->state ^= p->state << 13;
    p->state ^= p->state >> 7;
    p->state ^= p->state << 17;
    /* Mostly small reads, sometimes empty, sometimes big. */
    unsigned k = (unsigned)(p->state % 16);
    if (k == 0) return 0;
    if (k < 12) return 1 + (size_t)(p->state >> 8) % 8;
    return 1 + (size_t)(p->state >> 8) % 4096;
}

typedef struct {
    size_t at;
} split_once;

static size_t chunk_split(void *ctx, size_t i) {
    split_once *sp = ctx;
    return i == 0 ? sp->at : SIZE_MAX;
}

static void rec_free(run_rec *o) { free(o->b); }

static void check_same(const run_rec *ref, const run_rec *o) {
    if (!rec_eq(ref, o)) {
        fprintf(stderr, "fuzz_reader: runs differ: ref %d cmds status %d \"%s\" consumed %zu; other %d cmds status %d \"%s\" consumed %zu\n",
                ref->ncmds, ref->last, ref->err, ref->consumed, o->ncmds, o->last, o->err, o->consumed);
        abort();
    }
}

static uint64_t hash_bytes(const uint8_t *d, size_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ d[i]) * 1099511628211ULL;
    return h | 1;
}

static void fuzz_reader_modes(const char *s, size_t n, uint64_t seed) {
    const limits modes[3] = {
        {RESP_PROTO_MAX_BULK_LEN_DEFAULT, false, n},
        {7, false, n},
        {RESP_PROTO_MAX_BULK_LEN_DEFAULT, true, n},
    };
    for (int m = 0; m < 3; m++) {
        run_rec ref = {0}, o = {0};
        run_oneshot(s, n, &modes[m], &ref);
        FUZZ_CHECK(ref.consumed <= n);

        run_bytewise(s, n, &modes[m], &o);
        check_same(&ref, &o);
        rec_free(&o);

        for (int k = 0; k < 2; k++) {
            prng p = {seed + (uint64_t)k * 0x9E3779B97F4A7C15ULL};
            memset(&o, 0, sizeof(o));
            run_chunked(s, n, &modes[m], chunk_random, &p, &o);
            check_same(&ref, &o);
            rec_free(&o);
        }
        if (n <= 64) {
            for (size_t at = 0; at <= n; at++) {
                split_once sp = {at};
                memset(&o, 0, sizeof(o));
                run_chunked(s, n, &modes[m], chunk_split, &sp, &o);
                check_same(&ref, &o);
                rec_free(&o);
            }
        }
        rec_free(&ref);
    }
}

/* resp_split_args on the whole input; when the input is one inline line, the reader's
 * inline path must split it the same way. */
static void fuzz_split(const char *s, size_t n) {
    char **argv;
    size_t *argvlen;
    int argc = resp_split_args(s, n, &argv, &argvlen);
    if (argc < 0) {
        FUZZ_CHECK(argc == -1 && argv == NULL && argvlen == NULL);
    } else {
        FUZZ_CHECK(argv != NULL && argvlen != NULL);
        size_t total = 0;
        for (int j = 0; j < argc; j++) {
            FUZZ_CHECK(argv[j][argvlen[j]] == '\0');
            total += argvlen[j] + 1;
        }
        FUZZ_CHECK(total <= n + 1);
    }
    bool one_line = n <= RESP_INLINE_MAX_SIZE && memchr(s, '\n', n) == NULL && (n == 0 || s[0] != '*') &&
                    (n == 0 || s[n - 1] != '\r');
    if (one_line) {
        char *line = malloc(n + 1);
        FUZZ_CHECK(line != NULL);
        if (n) memcpy(line, s, n);
        line[n] = '\n';
        resp_reader r;
        resp_reader_init(&r);
        size_t used;
        resp_status st = resp_reader_feed(&r, line, n + 1, &used);
        if (argc < 0) {
            FUZZ_CHECK(st == RESP_ERR_PROTO);
            FUZZ_CHECK(strcmp(r.err, "Protocol error: unbalanced quotes in request") == 0);
        } else {
            FUZZ_CHECK(st == RESP_OK && used == n + 1 && r.argc == argc);
            for (int j = 0; j < argc; j++)
                FUZZ_CHECK(r.argvlen[j] == argvlen[j] && memcmp(r.argv[j], argv[j], argvlen[j]) == 0);
        }
        resp_reader_deinit(&r);
        free(line);
    }
    if (argc >= 0) resp_free_args(argc, argv, argvlen);
}

/* The encoders on numbers taken from the input. */
static void fuzz_encode(const uint8_t *d, size_t n) {
    uint8_t raw[8] = {0};
    memcpy(raw, d, n < 8 ? n : 8);
    long long v;
    double x;
    memcpy(&v, raw, 8);
    memcpy(&x, raw, 8);

    char b[RESP_HDR_MAX + 1], want[32];
    size_t len = resp_enc_ll(b, v);
    int wn = snprintf(want, sizeof(want), "%lld", v);
    FUZZ_CHECK(len == (size_t)wn && memcmp(b, want, len) == 0);
    len = resp_enc_hdr(b, '*', v);
    FUZZ_CHECK(len <= RESP_HDR_MAX && b[0] == '*' && b[len - 2] == '\r' && b[len - 1] == '\n');
    FUZZ_CHECK(memcmp(b + 1, want, (size_t)wn) == 0);

    char db[RESP_DOUBLE_MAX + 1];
    len = resp_enc_double_str(db, x);
    FUZZ_CHECK(len > 0 && len < RESP_DOUBLE_MAX);
    db[len] = '\0';
    double back = strtod(db, NULL);
    if (isnan(x))
        FUZZ_CHECK(strcmp(db, "nan") == 0);
    else
        FUZZ_CHECK(back == x && signbit(back) == signbit(x));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *s = (const char *)data;
    fuzz_reader_modes(s, size, hash_bytes(data, size));
    fuzz_split(s, size);
    fuzz_encode(data, size);
    return 0;
}
