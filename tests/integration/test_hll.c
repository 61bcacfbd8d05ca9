/* tests/integration/test_hll.c: PFADD PFCOUNT PFMERGE: replies, accuracy at 10 to 1M
 * elements, unions, merges, the sparse-to-dense conversion, WRONGTYPE, and corrupt or
 * hostile values (which must give an error, never a crash).
 *
 * Every expectation holds against Redis 7.0.15 too (CAIRN_TEST_SERVER=/usr/bin/
 * redis-server) except those marked [format], which depend on Cairn's own byte format
 * (src/cmd_hll.c) and run only against Cairn. Counts are estimates, so they are checked
 * against the true count within 3 standard errors (3 x 0.81%), and against the counts
 * Redis 7.0.15 gave for the same elements (recorded below) within the bound for the
 * difference of two independent estimates, 3 x 0.81% x sqrt(2). Both servers make a
 * dense HLL exactly 12304 bytes (16-byte header, 16384 6-bit registers). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

static srv *S;
static bool is_cairn; /* else real Redis */

#define NOT_HLL    "WRONGTYPE Key is not a valid HyperLogLog string value."
#define WRONGTYPE  "WRONGTYPE Operation against a key holding the wrong kind of value"
#define CORRUPT    "INVALIDOBJ Corrupted HLL object detected"
#define DENSE_SIZE 12304
#define STD_ERR    0.0081

static redisContext *fresh(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    EXPECT_STATUS(c, "OK", "CONFIG SET hll-sparse-max-bytes 3000");
    return c;
}

static void t_start(void) {
    S = srv_start(NULL);
    if (!S) return;
    is_cairn = srv_is_cairn(S);
}

/* PFADD key with elements "elem:<i>" for i in [lo, hi), batch elements a command, all
 * pipelined. Returns how many commands replied 1, or -1 after a recorded failure. */
static long long pfadd_range(redisContext *c, const char *key, long lo, long hi, int batch) {
    if (!c) return -1;
    const char **argv = malloc(sizeof(*argv) * (size_t)(batch + 2));
    size_t *lens = malloc(sizeof(*lens) * (size_t)(batch + 2));
    char *bufs = malloc((size_t)batch * 24);
    long ncmds = 0;
    for (long s = lo; s < hi; s += batch) {
        int argc = 2;
        argv[0] = "PFADD";
        lens[0] = 5;
        argv[1] = key;
        lens[1] = strlen(key);
        for (long i = s; i < hi && i < s + batch; i++) {
            char *b = bufs + (size_t)(argc - 2) * 24;
            lens[argc] = (size_t)snprintf(b, 24, "elem:%ld", i);
            argv[argc++] = b;
        }
        redisAppendCommandArgv(c, argc, argv, lens);
        ncmds++;
    }
    long long ones = 0;
    bool ok = true;
    for (long i = 0; i < ncmds; i++) {
        redisReply *r;
        if (redisGetReply(c, (void **)&r) != REDIS_OK) {
            test_fail(__FILE__, __LINE__, "connection error: %s", c->errstr);
            ok = false;
            break;
        }
        if (r->type != REDIS_REPLY_INTEGER) {
            test_fail(__FILE__, __LINE__, "PFADD replied %s", reply_describe(r));
            ok = false;
        } else {
            ones += r->integer;
        }
        freeReplyObject(r);
    }
    free(argv);
    free(lens);
    free(bufs);
    return ok ? ones : -1;
}

/* The value's bytes (malloc'd, *len set), NULL after a recorded failure. */
static char *get_bytes(redisContext *c, const char *key, size_t *len) {
    redisReply *r = CMD(c, "GET %s", key);
    if (!r) return NULL;
    char *out = NULL;
    if (r->type == REDIS_REPLY_STRING) {
        out = malloc(r->len + 1);
        memcpy(out, r->str, r->len);
        *len = r->len;
    } else {
        test_fail(__FILE__, __LINE__, "GET %s replied %s", key, reply_describe(r));
    }
    freeReplyObject(r);
    return out;
}

static void set_bytes(redisContext *c, const char *key, const char *v, size_t len) {
    EXPECT_STATUS(c, "OK", "SET %s %b", key, v, len);
}

/* est is within k standard errors of n. */
static bool within(long long est, double n, double k) {
    return fabs((double)est - n) <= k * STD_ERR * n + 1e-9;
}

/* ---------------------------------------------------------------- PFADD */

static void t_pfadd_replies(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 1, "PFADD h a b c");
    EXPECT_INT(c, 0, "PFADD h a b c");
    EXPECT_INT(c, 0, "PFADD h c");
    EXPECT_INT(c, 0, "PFADD h");
    EXPECT_INT(c, 3, "PFCOUNT h");
    EXPECT_INT(c, 1, "PFADD h d");
    EXPECT_INT(c, 4, "PFCOUNT h");
    /* No elements: creates an empty HLL (1), then nothing to change (0). */
    EXPECT_INT(c, 1, "PFADD e");
    EXPECT_INT(c, 0, "PFADD e");
    EXPECT_INT(c, 1, "EXISTS e");
    EXPECT_STATUS(c, "string", "TYPE e");
    EXPECT_INT(c, 0, "PFCOUNT e");
    EXPECT_INT(c, 0, "PFCOUNT nokey");
    EXPECT_INT(c, 0, "EXISTS nokey");
    /* Binary-safe elements, and the empty one. */
    EXPECT_INT(c, 1, "PFADD b %b %b", "a\0b", (size_t)3, "", (size_t)0);
    EXPECT_INT(c, 2, "PFCOUNT b");
    EXPECT_INT(c, 0, "PFADD b %b", "a\0b", (size_t)3);
    EXPECT_ERR(c, "ERR wrong number of arguments for 'pfadd' command", "PFADD");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'pfcount' command", "PFCOUNT");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'pfmerge' command", "PFMERGE");
    EXPECT_BULK(c, "raw", "OBJECT ENCODING h");
    redisFree(c);
}

/* PFADD replies 1 exactly when the value changed: checked one element at a time while
 * the HLL is sparse and after it went dense. */
static void t_pfadd_one_iff_changed(void) {
    redisContext *c = fresh();
    long ones = 0, zeros = 0;
    EXPECT_INT(c, 1, "PFADD h");
    for (int phase = 0; phase < 2; phase++) {
        if (phase == 1) {
            CHECK(pfadd_range(c, "h", 0, 20000, 1000) >= 0);
            EXPECT_INT(c, DENSE_SIZE, "STRLEN h");
        }
        for (int i = 0; i < 300; i++) {
            size_t l0 = 0, l1 = 0;
            char *before = get_bytes(c, "h", &l0);
            /* Half new elements, half ones already added. */
            long e = (i % 2) ? 100000 + phase * 1000 + i : i * 37 % 20000;
            long long r = CMD_INT(c, "PFADD h elem:%ld", e);
            char *after = get_bytes(c, "h", &l1);
            if (!before || !after) {
                free(before);
                free(after);
                break;
            }
            bool changed = l0 != l1 || memcmp(before, after, l0) != 0;
            if (r != (changed ? 1 : 0))
                test_fail(__FILE__, __LINE__, "PFADD h elem:%ld replied %lld, value changed: %d", e,
                          r, changed);
            if (r == 1)
                ones++;
            else
                zeros++;
            free(before);
            free(after);
        }
    }
    CHECK(ones > 0 && zeros > 0);
    redisFree(c);
}

/* ---------------------------------------------------------------- accuracy */

/* PFCOUNT of elem:0 .. elem:n-1 as Redis 7.0.15 replied. */
static const struct {
    long n;
    long long redis;
} accuracy_cases[] = {{10, 10}, {1000, 1005}, {100000, 99904}, {1000000, 990064}};

static void t_accuracy(void) {
    redisContext *c = fresh();
    for (size_t k = 0; k < sizeof(accuracy_cases) / sizeof(*accuracy_cases); k++) {
        long n = accuracy_cases[k].n;
        char key[32];
        snprintf(key, sizeof(key), "n%ld", n);
        CHECK(pfadd_range(c, key, 0, n, 1000) > 0);
        long long est = CMD_INT(c, "PFCOUNT %s", key);
        printf("    PFCOUNT of %ld elements: %lld (%+.3f%%; Redis 7.0.15: %lld, %+.3f%%)\n", n, est,
               100.0 * ((double)est - (double)n) / (double)n, accuracy_cases[k].redis,
               100.0 * ((double)accuracy_cases[k].redis - (double)n) / (double)n);
        if (!within(est, (double)n, 3))
            test_fail(__FILE__, __LINE__,
                      "PFCOUNT of %ld elements: %lld, off by more than 3 x "
                      "0.81%%",
                      n, est);
        /* Against Redis's count of the same elements. */
        long long rc = accuracy_cases[k].redis;
        if (fabs((double)(est - rc)) > 3 * STD_ERR * sqrt(2.0) * (double)n)
            test_fail(__FILE__, __LINE__, "PFCOUNT of %ld elements: %lld, Redis 7.0.15 says %lld",
                      n, est, rc);
        if (!is_cairn) CHECK_EQ_INT(est, rc); /* the fixture itself */
        /* Cached or not, the same answer; adding the same elements again changes nothing. */
        EXPECT_INT(c, est, "PFCOUNT %s", key);
        CHECK_EQ_INT(pfadd_range(c, key, 0, n < 1000 ? n : 1000, 1000), 0);
        EXPECT_INT(c, est, "PFCOUNT %s", key);
    }
    redisFree(c);
}

/* ---------------------------------------------------------------- unions */

static void t_union(void) {
    redisContext *c = fresh();
    CHECK(pfadd_range(c, "ua", 0, 50000, 1000) > 0);
    CHECK(pfadd_range(c, "ub", 25000, 75000, 1000) > 0);
    size_t la = 0, lb = 0, la2 = 0, lb2 = 0;
    char *a = get_bytes(c, "ua", &la), *b = get_bytes(c, "ub", &lb);
    long long u = CMD_INT(c, "PFCOUNT ua ub");
    printf("    PFCOUNT of a union of 75000: %lld (%+.3f%%; Redis 7.0.15: 74675)\n", u,
           100.0 * ((double)u - 75000) / 75000);
    CHECK(within(u, 75000, 3));
    CHECK(fabs((double)(u - 74675)) <= 3 * STD_ERR * sqrt(2.0) * 75000);
    if (!is_cairn) CHECK_EQ_INT(u, 74675);
    /* Missing keys are empty sets; order and repetition do not matter. */
    EXPECT_INT(c, u, "PFCOUNT ub nokey ua ua");
    /* The sources are not modified (not even their cached counts). */
    char *a2 = get_bytes(c, "ua", &la2), *b2 = get_bytes(c, "ub", &lb2);
    if (a && b && a2 && b2) {
        CHECK_EQ_MEM(a, la, a2, la2);
        CHECK_EQ_MEM(b, lb, b2, lb2);
    }
    free(a);
    free(b);
    free(a2);
    free(b2);
    /* The union of a key with itself is its count. */
    long long ca = CMD_INT(c, "PFCOUNT ua");
    CHECK(within(ca, 50000, 3));
    EXPECT_INT(c, ca, "PFCOUNT ua ua");
    EXPECT_INT(c, 0, "PFCOUNT nokey1 nokey2");
    /* Sparse with dense. */
    EXPECT_INT(c, 1, "PFADD small elem:0 x y z");
    long long us = CMD_INT(c, "PFCOUNT ua small");
    CHECK(us >= ca && us <= ca + 4);
    redisFree(c);
}

/* ---------------------------------------------------------------- PFMERGE */

static void t_pfmerge(void) {
    redisContext *c = fresh();
    CHECK(pfadd_range(c, "ua", 0, 50000, 1000) > 0);
    CHECK(pfadd_range(c, "ub", 25000, 75000, 1000) > 0);
    long long u = CMD_INT(c, "PFCOUNT ua ub");
    EXPECT_STATUS(c, "OK", "PFMERGE dst ua ub nokey");
    EXPECT_STATUS(c, "string", "TYPE dst");
    EXPECT_INT(c, u, "PFCOUNT dst");
    EXPECT_INT(c, DENSE_SIZE, "STRLEN dst");
    /* Into an existing destination: its own registers count too. */
    CHECK(pfadd_range(c, "d2", 70000, 100000, 1000) > 0);
    EXPECT_STATUS(c, "OK", "PFMERGE d2 ua ub");
    long long u3 = CMD_INT(c, "PFCOUNT d2");
    CHECK(within(u3, 100000, 3));
    EXPECT_INT(c, u3, "PFCOUNT ua ub d2");
    /* No sources, or only missing ones: an empty HLL, sparse. */
    EXPECT_STATUS(c, "OK", "PFMERGE empty");
    EXPECT_INT(c, 1, "EXISTS empty");
    EXPECT_INT(c, 0, "PFCOUNT empty");
    CHECK(CMD_INT(c, "STRLEN empty") < 100);
    EXPECT_STATUS(c, "OK", "PFMERGE empty2 nokey");
    EXPECT_INT(c, 0, "PFCOUNT empty2");
    /* Merging a key into itself, and sparse sources: the result stays sparse. */
    EXPECT_INT(c, 1, "PFADD s1 a b c");
    EXPECT_INT(c, 1, "PFADD s2 c d e");
    EXPECT_STATUS(c, "OK", "PFMERGE s1 s1 s2");
    EXPECT_INT(c, 5, "PFCOUNT s1");
    CHECK(CMD_INT(c, "STRLEN s1") < 100);
    EXPECT_INT(c, 3, "PFCOUNT s2");
    /* The destination keeps its TTL. */
    EXPECT_INT(c, 1, "EXPIRE s2 1000");
    EXPECT_STATUS(c, "OK", "PFMERGE s2 s1");
    EXPECT_INT(c, 5, "PFCOUNT s2");
    CHECK_RANGE(CMD_INT(c, "TTL s2"), 990, 1000);
    /* Errors leave the destination alone. */
    EXPECT_INT(c, 1, "RPUSH l x");
    EXPECT_STATUS(c, "OK", "SET s plain");
    EXPECT_ERR(c, WRONGTYPE, "PFMERGE l s1");
    EXPECT_ERR(c, WRONGTYPE, "PFMERGE newd s1 l");
    EXPECT_ERR(c, NOT_HLL, "PFMERGE newd s1 s");
    EXPECT_ERR(c, NOT_HLL, "PFMERGE s s1");
    EXPECT_INT(c, 0, "EXISTS newd");
    EXPECT_BULK(c, "plain", "GET s");
    redisFree(c);
}

/* ---------------------------------------------------------------- encodings */

static long long strlen_of(redisContext *c, const char *key) {
    return CMD_INT(c, "STRLEN %s", key);
}

static void t_sparse_to_dense(void) {
    redisContext *c = fresh();
    redisReply *r = CMD(c, "CONFIG GET hll-sparse-max-bytes");
    if (r && CHECK_REPLY_ARRAY(r, 2)) CHECK_REPLY_BULK(r->element[1], "3000");
    freeReplyObject(r);

    /* Small HLLs are sparse: a few bytes; they stay at most hll-sparse-max-bytes until
     * they become dense (12304 bytes), and never shrink back. */
    EXPECT_INT(c, 1, "PFADD h a");
    long long len = strlen_of(c, "h");
    CHECK(len > 0 && len < 100);
    EXPECT_INT(c, 1, "EXPIRE h 1000");
    long long prev_count = 1, prev_len = len;
    long i = 0;
    while (i < 100000) {
        CHECK(pfadd_range(c, "h", i, i + 50, 50) >= 0);
        i += 50;
        len = strlen_of(c, "h");
        long long n = CMD_INT(c, "PFCOUNT h");
        CHECK(n >= prev_count);
        prev_count = n;
        if (len == DENSE_SIZE) break;
        if (len > 3000 || len < prev_len) {
            test_fail(__FILE__, __LINE__, "STRLEN h = %lld after %ld elements (was %lld)", len, i,
                      prev_len);
            break;
        }
        prev_len = len;
    }
    CHECK_EQ_INT(len, DENSE_SIZE);
    printf("    dense after %ld elements (sparse value was %lld bytes)\n", i, prev_len);
    CHECK(i >= 500 && i <= 5000);
    CHECK(within(prev_count, (double)i + 1, 3));
    CHECK_RANGE(CMD_INT(c, "TTL h"), 990, 1000); /* the conversion keeps the TTL */
    CHECK(pfadd_range(c, "h", 0, 200000, 1000) > 0);
    EXPECT_INT(c, DENSE_SIZE, "STRLEN h");
    CHECK(within(CMD_INT(c, "PFCOUNT h"), 200000, 3));

    /* With a limit of 0, the first change goes dense; an empty HLL is still created
     * sparse. */
    EXPECT_STATUS(c, "OK", "CONFIG SET hll-sparse-max-bytes 0");
    EXPECT_INT(c, 1, "PFADD z a");
    EXPECT_INT(c, DENSE_SIZE, "STRLEN z");
    EXPECT_INT(c, 1, "PFCOUNT z");
    EXPECT_INT(c, 1, "PFADD z0");
    CHECK(CMD_INT(c, "STRLEN z0") < 100);
    EXPECT_INT(c, 1, "PFADD z0 a");
    EXPECT_INT(c, DENSE_SIZE, "STRLEN z0");
    /* A sparse value over the limit is left alone until it changes. */
    EXPECT_STATUS(c, "OK", "CONFIG SET hll-sparse-max-bytes 3000");
    EXPECT_INT(c, 1, "PFADD s a b c");
    long long slen = CMD_INT(c, "STRLEN s");
    EXPECT_STATUS(c, "OK", "CONFIG SET hll-sparse-max-bytes 1");
    EXPECT_INT(c, 0, "PFADD s a");
    EXPECT_INT(c, slen, "STRLEN s");
    EXPECT_INT(c, 3, "PFCOUNT s");
    EXPECT_INT(c, 1, "PFADD s d");
    EXPECT_INT(c, DENSE_SIZE, "STRLEN s");
    EXPECT_INT(c, 4, "PFCOUNT s");
    EXPECT_STATUS(c, "OK", "CONFIG SET hll-sparse-max-bytes 3000");
    EXPECT_ERR_PREFIX(c, "ERR CONFIG SET failed", "CONFIG SET hll-sparse-max-bytes -1");
    EXPECT_STATUS(c, "OK", "CONFIG SET hll-sparse-max-bytes 1mb");
    r = CMD(c, "CONFIG GET hll-sparse-max-bytes");
    if (r && CHECK_REPLY_ARRAY(r, 2)) CHECK_REPLY_BULK(r->element[1], "1048576");
    freeReplyObject(r);
    EXPECT_STATUS(c, "OK", "CONFIG SET hll-sparse-max-bytes 3000");
    redisFree(c);
}

/* An HLL copied as a plain string (GET then SET) is the same HLL. */
static void t_copied_bytes(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 1, "PFADD sp a b c d e");
    CHECK(pfadd_range(c, "dn", 0, 30000, 1000) > 0);
    const char *keys[] = {"sp", "dn"}, *old[] = {"a", "elem:1"};
    for (int k = 0; k < 2; k++) {
        size_t len = 0;
        char *v = get_bytes(c, keys[k], &len);
        if (!v) continue;
        CMD_INT(c, "DEL copy2");
        long long n = CMD_INT(c, "PFCOUNT %s", keys[k]);
        set_bytes(c, "copy", v, len);
        EXPECT_INT(c, n, "PFCOUNT copy");
        EXPECT_INT(c, n, "PFCOUNT copy");
        EXPECT_INT(c, 0, "PFADD copy %s", old[k]);
        EXPECT_INT(c, 1, "PFADD copy never-added-before-1 never-added-before-2");
        CHECK(CMD_INT(c, "PFCOUNT copy") > n);
        EXPECT_STATUS(c, "OK", "PFMERGE copy2 copy %s", keys[k]);
        EXPECT_INT(c, CMD_INT(c, "PFCOUNT copy"), "PFCOUNT copy2");
        free(v);
    }
    redisFree(c);
}

/* ---------------------------------------------------------------- WRONGTYPE */

static void t_wrongtype(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 1, "PFADD h a");
    EXPECT_INT(c, 1, "RPUSH l a");
    EXPECT_ERR(c, WRONGTYPE, "PFADD l x");
    EXPECT_ERR(c, WRONGTYPE, "PFCOUNT l");
    EXPECT_ERR(c, WRONGTYPE, "PFCOUNT h l");
    EXPECT_ERR(c, WRONGTYPE, "PFMERGE l h");
    EXPECT_ERR(c, WRONGTYPE, "PFMERGE h l");
    EXPECT_INT(c, 1, "LLEN l");
    /* Strings that are not HLLs: text, empty, an integer, long ones. */
    EXPECT_STATUS(c, "OK", "SET s hello");
    EXPECT_STATUS(c, "OK", "SET e %s", "");
    EXPECT_STATUS(c, "OK", "SET i 1234567890123456789");
    char *big = calloc(1, DENSE_SIZE);
    set_bytes(c, "z", big, DENSE_SIZE);
    memset(big, 'x', DENSE_SIZE);
    set_bytes(c, "x", big, DENSE_SIZE);
    free(big);
    const char *strs[] = {"s", "e", "i", "z", "x"};
    for (int k = 0; k < 5; k++) {
        EXPECT_ERR(c, NOT_HLL, "PFADD %s a", strs[k]);
        EXPECT_ERR(c, NOT_HLL, "PFADD %s", strs[k]);
        EXPECT_ERR(c, NOT_HLL, "PFCOUNT %s", strs[k]);
        EXPECT_ERR(c, NOT_HLL, "PFCOUNT h %s", strs[k]);
        EXPECT_ERR(c, NOT_HLL, "PFMERGE %s h", strs[k]);
        EXPECT_ERR(c, NOT_HLL, "PFMERGE h %s", strs[k]);
    }
    EXPECT_BULK(c, "hello", "GET s");
    EXPECT_INT(c, 1, "PFCOUNT h");

    /* A broken header: the magic, a truncated value, a dense value one byte too long. */
    EXPECT_INT(c, 1, "PFADD m a b");
    EXPECT_INT(c, CMD_INT(c, "STRLEN m"), "SETRANGE m 0 X");
    EXPECT_ERR(c, NOT_HLL, "PFCOUNT m");
    EXPECT_ERR(c, NOT_HLL, "PFADD m c");
    EXPECT_INT(c, 1, "PFADD t a b");
    size_t len = 0;
    char *v = get_bytes(c, "t", &len);
    if (v) {
        for (size_t cut = 0; cut < 16 && cut < len; cut++) {
            set_bytes(c, "t", v, cut);
            EXPECT_ERR(c, NOT_HLL, "PFCOUNT t");
            EXPECT_ERR(c, NOT_HLL, "PFADD t x");
            EXPECT_ERR(c, NOT_HLL, "PFMERGE t");
        }
        free(v);
    }
    CHECK(pfadd_range(c, "dn", 0, 20000, 1000) > 0);
    EXPECT_INT(c, DENSE_SIZE + 1, "APPEND dn x");
    EXPECT_ERR(c, NOT_HLL, "PFCOUNT dn");
    EXPECT_ERR(c, NOT_HLL, "PFADD dn a");
    EXPECT_ERR(c, NOT_HLL, "PFMERGE d dn");
    EXPECT_INT(c, 0, "EXISTS d");
    redisFree(c);
}

/* ---------------------------------------------------------------- corrupt values */

static bool is_ok_or_hll_error(const redisReply *r) {
    if (!r) return false;
    if (r->type == REDIS_REPLY_INTEGER) return r->integer >= 0;
    if (r->type == REDIS_REPLY_STATUS) return strcmp(r->str, "OK") == 0;
    if (r->type == REDIS_REPLY_ERROR)
        return strcmp(r->str, CORRUPT) == 0 || strcmp(r->str, NOT_HLL) == 0;
    return false;
}

static void t_corrupt(void) {
    redisContext *c = fresh();
    /* Registers past the 16384th in a sparse value. */
    EXPECT_INT(c, 1, "PFADD h a b c");
    EXPECT_INT(c, CMD_INT(c, "STRLEN h"), "SETRANGE h 16 %b", "\xff\xff\xff\xff\xff\xff",
               (size_t)6);
    EXPECT_ERR(c, CORRUPT, "PFCOUNT h");
    EXPECT_ERR(c, CORRUPT, "PFCOUNT h");
    EXPECT_ERR(c, CORRUPT, "PFCOUNT nokey h");
    EXPECT_ERR(c, CORRUPT, "PFMERGE d h");
    EXPECT_ERR(c, CORRUPT, "PFMERGE h");
    EXPECT_INT(c, 0, "EXISTS d");
    /* Redis's PFADD writes into a corrupt sparse value without checking it (so it may
     * reply 1); Cairn's refuses it [format]. */
    redisReply *r = CMD(c, "PFADD h zz");
    if (is_cairn)
        CHECK_REPLY_ERR(r, CORRUPT);
    else
        CHECK(is_ok_or_hll_error(r));
    freeReplyObject(r);
    /* One register too many at the end. */
    EXPECT_INT(c, 1, "PFADD h2 a b c");
    long long l2 = CMD_INT(c, "STRLEN h2");
    EXPECT_INT(c, l2 + 1, "APPEND h2 %b", "\0", (size_t)1);
    EXPECT_ERR(c, CORRUPT, "PFCOUNT h2");
    EXPECT_ERR(c, CORRUPT, "PFCOUNT h2 h2");
    /* [format] Cairn's dense registers hold at most 51 (64 - 14 + 1); Redis's take any
     * 6-bit value. */
    if (is_cairn) {
        CHECK(pfadd_range(c, "dn", 0, 20000, 1000) > 0);
        EXPECT_INT(c, DENSE_SIZE, "SETRANGE dn 100 %b", "\xff\xff\xff", (size_t)3);
        EXPECT_ERR(c, CORRUPT, "PFCOUNT dn");
        EXPECT_ERR(c, CORRUPT, "PFMERGE x dn");
        EXPECT_INT(c, 0, "EXISTS x");
        /* A sparse register above 51, and a long zero run cut short. */
        EXPECT_INT(c, 1, "PFADD s1 a");
        EXPECT_INT(c, CMD_INT(c, "STRLEN s1"), "SETRANGE s1 16 %b", "\xf4", (size_t)1);
        EXPECT_ERR(c, CORRUPT, "PFCOUNT s1");
        EXPECT_STATUS(c, "OK", "SET s2 %b", "CnHLS\x01\0\0\0\0\0\0\0\0\0\x80\xbf", (size_t)17);
        EXPECT_ERR(c, CORRUPT, "PFCOUNT s2");
        EXPECT_STATUS(c, "OK", "SET s3 %b", "CnHLS\x01\0\0\0\0\0\0\0\0\0\x80\xbf\xff", (size_t)18);
        EXPECT_INT(c, 0, "PFCOUNT s3");
        EXPECT_STATUS(c, "OK", "SET s4 %b", "CnHLS\x01\0\0\0\0\0\0\0\0\0\x80", (size_t)16);
        EXPECT_ERR(c, CORRUPT, "PFCOUNT s4");
    }
    EXPECT_STATUS(c, "PONG", "PING");
    redisFree(c);
}

/* Random damage to the payload of the server's own values, sparse and dense: every
 * reply is a count, OK or one of the two HLL errors, and the server survives. */
static void t_corrupt_random(void) {
    redisContext *c = fresh();
    srand(12345);
    EXPECT_INT(c, 1, "PFADD sp a b c d e f g h i j k l m n o p");
    CHECK(pfadd_range(c, "dn", 0, 20000, 1000) > 0);
    const char *keys[] = {"sp", "dn"};
    long bad = 0;
    for (int k = 0; k < 2; k++) {
        size_t len = 0;
        char *orig = get_bytes(c, keys[k], &len);
        if (!orig) continue;
        char *v = malloc(len + 64);
        for (int round = 0; round < 300; round++) {
            memcpy(v, orig, len);
            size_t vlen = len;
            int n = 1 + rand() % 8;
            for (int j = 0; j < n; j++) v[16 + (size_t)rand() % (len - 16)] = (char)rand();
            int shape = rand() % 4;
            if (shape == 1 && k == 0) vlen = 16 + (size_t)rand() % (len - 16); /* truncated */
            if (shape == 2 && k == 0) {                                        /* extended */
                int extra = 1 + rand() % 32;
                for (int j = 0; j < extra; j++) v[vlen++] = (char)rand();
            }
            set_bytes(c, "v", v, vlen);
            const char *cmds[] = {"PFCOUNT v", "PFCOUNT v sp", "PFMERGE out v", "PFADD v q r s",
                                  "PFCOUNT v"};
            for (int j = 0; j < 5; j++) {
                redisReply *r = CMD(c, cmds[j]);
                if (!is_ok_or_hll_error(r)) {
                    if (bad++ < 5)
                        test_fail(__FILE__, __LINE__, "%s replied %s", cmds[j],
                                  r ? reply_describe(r) : "nothing");
                }
                freeReplyObject(r);
                if (!r) break;
            }
        }
        free(v);
        free(orig);
    }
    EXPECT_STATUS(c, "PONG", "PING");
    redisFree(c);
}

static void t_stop(void) {
    CHECK(srv_stop(S));
    S = NULL;
}

int main(void) {
    test_run("start server", t_start);
    if (!S) return test_summary("hll");
    test_run("PFADD replies", t_pfadd_replies);
    test_run("PFADD replies 1 iff the value changed", t_pfadd_one_iff_changed);
    test_run("accuracy at 10 to 1M elements, and against Redis", t_accuracy);
    test_run("PFCOUNT of several keys", t_union);
    test_run("PFMERGE", t_pfmerge);
    test_run("sparse to dense and hll-sparse-max-bytes", t_sparse_to_dense);
    test_run("HLL values copied as strings", t_copied_bytes);
    test_run("WRONGTYPE", t_wrongtype);
    test_run("corrupt values", t_corrupt);
    test_run("randomly damaged values", t_corrupt_random);
    test_run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("hll");
}
