/* tests/unit/test_listpack.c: the listpack (utils/listpack.h): every call, the
 * documented byte format, entries around every header boundary, a random model
 * test, and lp_validate against truncated, corrupted and random blocks. Every test
 * leaves tracked memory where it found it. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/test.h"
#include "utils/alloc.h"
#include "utils/listpack.h"
#include "utils/num.h"

/* ---- helpers ---------------------------------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void) { /* xorshift64*, fixed seed: runs are repeatable */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

static size_t rnd_below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }

/* A random 64-bit pattern shifted right by 0..63: every magnitude equally likely.
 * (Two calls in one expression would run in an unspecified order.) */
static long long rand_wide(void) {
    unsigned shift = (unsigned)rnd_below(64);
    return (long long)(rnd() >> shift);
}

/* What the documented format says an entry costs in all (head + data + back). */
static size_t back_size(size_t hl) {
    return hl < 128 ? 1 : hl < 16384 ? 2 : hl < (1u << 24) ? 4 : 5;
}
static size_t expect_str_size(size_t len) {
    size_t hl = (len <= 63 ? 1 : len <= 4095 ? 2 : 5) + len;
    return hl + back_size(hl);
}
static size_t expect_int_size(long long v) {
    if (v >= 0 && v <= 127) return 2;
    if (v >= -4096 && v <= 4095) return 3;
    size_t n = 2;
    while (n < 8 && !(v >= -(1LL << (8 * n - 1)) && v < (1LL << (8 * n - 1)))) n++;
    return n + 2;
}

/* The entry's bytes as text (integers formatted) compared with s. */
static int entry_is(const unsigned char *p, const char *s, size_t len) {
    char buf[LP_INTBUF];
    size_t n;
    const char *e = lp_get_str(p, buf, &n);
    return n == len && memcmp(e, s, len) == 0;
}

/* "a,b,c": the entries of a small listpack as text, forwards; checks that walking
 * backwards gives the same. */
static const char *dump(lp *l) {
    static char out[8192];
    size_t o = 0;
    uint32_t n = 0;
    for (unsigned char *p = lp_first(l); p; p = lp_next(l, p)) {
        char buf[LP_INTBUF];
        size_t len;
        const char *s = lp_get_str(p, buf, &len);
        if (o + len + 2 >= sizeof(out)) break;
        if (n++) out[o++] = ',';
        memcpy(out + o, s, len);
        o += len;
    }
    out[o] = '\0';
    CHECK_EQ_INT(n, lp_count(l));
    uint32_t back = 0;
    for (unsigned char *p = lp_last(l); p; p = lp_prev(l, p)) back++;
    CHECK_EQ_INT(back, n);
    CHECK(lp_validate(l, lp_used(l)));
    return out;
}

static lp *from_list(const char *csv) { /* "a,b,c" -> listpack (no empty entries) */
    lp *l = lp_new();
    const char *s = csv;
    while (*s) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        l = lp_append(l, s, len);
        s += len + (e ? 1 : 0);
    }
    return l;
}

/* Fills buf with len bytes that are not a canonical integer (binary, NULs included). */
static void fill_str(char *buf, size_t len, unsigned seed) {
    for (size_t i = 0; i < len; i++) buf[i] = (char)((seed + i * 131) % 251);
    if (len) buf[0] = 'x';
}

/* Runs fn as a test and checks tracked memory comes back to where it was. */
static void run(const char *name, void (*fn)(void)) { test_run_tracked(name, fn, cn_used_memory); }

/* ---- basics ----------------------------------------------------------------------- */

static void t_empty(void) {
    lp *l = lp_new();
    CHECK_EQ_INT(lp_count(l), 0);
    CHECK_EQ_INT(lp_used(l), 7);
    CHECK(lp_bytes(l) >= 7);
    CHECK_EQ_INT(lp_bytes(l), cn_alloc_size(l));
    CHECK(lp_first(l) == NULL);
    CHECK(lp_last(l) == NULL);
    CHECK(lp_seek(l, 0) == NULL);
    CHECK(lp_seek(l, -1) == NULL);
    CHECK(lp_find(l, lp_first(l), "a", 1, 0) == NULL);
    CHECK(lp_validate(l, lp_used(l)));
    static const unsigned char empty[] = {7, 0, 0, 0, 0, 0, 0xFF};
    CHECK_EQ_MEM(l, lp_used(l), empty, sizeof(empty));
    lp *d = lp_dup(l);
    CHECK_EQ_MEM(d, lp_used(d), l, lp_used(l));
    l = lp_delete_range(l, 0, 5);
    l = lp_delete_range(l, -1, 5);
    CHECK_EQ_INT(lp_count(l), 0);
    lp_free(d);
    lp_free(l);
    lp_free(NULL);
}

/* The byte format as listpack.c documents it. */
static void t_format(void) {
    lp *l = lp_new();
    l = lp_append(l, "ab", 2);
    l = lp_append(l, "5", 1);
    l = lp_append(l, "-1", 2);
    l = lp_append_int(l, 1000);
    l = lp_append(l, "100000", 6);
    l = lp_append_int(l, -4097);
    char s64[64], s200[200];
    fill_str(s64, 64, 1);
    fill_str(s200, 200, 2);
    l = lp_append(l, s64, 64);
    l = lp_append(l, s200, 200);
    unsigned char want[400];
    size_t n = 6;
    const unsigned char part[] = {2,    'a',  'b',  3,       /* "ab" */
                                  0x45, 1,                   /* 5 */
                                  0xDF, 0xFF, 2,             /* -1: 13 bits */
                                  0xC3, 0xE8, 2,             /* 1000 = 0x3E8 */
                                  0xF1, 0xA0, 0x86, 0x01, 4, /* 100000: 3 bytes */
                                  0xF0, 0xFF, 0xEF, 3};      /* -4097: 2 bytes */
    memcpy(want + n, part, sizeof(part));
    n += sizeof(part);
    want[n++] = 0xE0, want[n++] = 64;
    memcpy(want + n, s64, 64), n += 64;
    want[n++] = 66; /* back: 2 + 64 */
    want[n++] = 0xE0, want[n++] = 200;
    memcpy(want + n, s200, 200), n += 200;
    want[n++] = 202 & 0xFF, want[n++] = 0x80 | (202 >> 8); /* back: 2 bytes */
    want[n++] = 0xFF;
    want[0] = (unsigned char)n, want[1] = (unsigned char)(n >> 8), want[2] = want[3] = 0;
    want[4] = 8, want[5] = 0;
    CHECK_EQ_MEM(l, lp_used(l), want, n);
    (void)dump(l); /* walks both ways, validates */
    lp_free(l);
}

/* ---- strings ---------------------------------------------------------------------- */

static void t_string_sizes(void) {
    static const size_t sizes[] = {0,     1,     2,     20,    21,    62,      63,           64,
                                   65,    124,   125,   126,   127,   128,     129,          4093,
                                   4094,  4095,  4096,  4097,  16377, 16378,   16379,        16380,
                                   16383, 16384, 65535, 65536, 65537, 1 << 20, (1 << 20) + 1};
    size_t nsizes = sizeof(sizes) / sizeof(sizes[0]);
    char *buf = cn_malloc((1 << 20) + 2);
    lp *all = lp_new();
    size_t used = lp_used(all);
    for (size_t i = 0; i < nsizes; i++) {
        size_t len = sizes[i];
        fill_str(buf, len, (unsigned)i);
        /* Alone, between two entries, and accumulated in one big listpack. */
        lp *l = lp_new();
        l = lp_append(l, buf, len);
        CHECK_EQ_INT(lp_used(l), 7 + expect_str_size(len));
        CHECK(lp_validate(l, lp_used(l)));
        lp_value v;
        lp_get(lp_first(l), &v);
        CHECK(v.str != NULL);
        CHECK_EQ_MEM(v.str, v.len, buf, len);
        CHECK(lp_first(l) == lp_last(l));
        CHECK(lp_prev(l, lp_first(l)) == NULL);
        CHECK(lp_next(l, lp_first(l)) == NULL);
        l = lp_prepend(l, "head", 4);
        l = lp_append(l, "tail", 4);
        unsigned char *mid = lp_seek(l, 1);
        CHECK(lp_eq(mid, buf, len));
        CHECK(lp_prev(l, mid) == lp_first(l));
        CHECK(lp_next(l, mid) == lp_last(l));
        CHECK(lp_prev(l, lp_last(l)) == mid);
        CHECK(lp_eq(lp_last(l), "tail", 4));
        CHECK(lp_find(l, lp_first(l), buf, len, 0) == mid);
        CHECK(lp_validate(l, lp_used(l)));
        lp_free(l);
        all = lp_append(all, buf, len);
        used += expect_str_size(len);
        CHECK_EQ_INT(lp_used(all), used);
    }
    /* Walk the accumulated one both ways. */
    size_t i = 0;
    for (unsigned char *p = lp_first(all); p; p = lp_next(all, p), i++) {
        fill_str(buf, sizes[i], (unsigned)i);
        CHECK(entry_is(p, buf, sizes[i]));
    }
    CHECK_EQ_INT(i, nsizes);
    for (unsigned char *p = lp_last(all); p; p = lp_prev(all, p)) {
        i--;
        fill_str(buf, sizes[i], (unsigned)i);
        CHECK(entry_is(p, buf, sizes[i]));
    }
    CHECK_EQ_INT(i, 0);
    CHECK(lp_validate(all, lp_used(all)));
    CHECK_EQ_INT(lp_count(all), nsizes);
    lp_free(all);
    cn_free(buf);
}

/* An entry over 2^24 bytes: the 5-byte backward length. */
static void t_huge_entry(void) {
    size_t len = (1u << 24) + 3;
    char *buf = cn_malloc(len);
    fill_str(buf, len, 7);
    lp *l = from_list("a,b");
    unsigned char *p = lp_first(l), *np;
    l = lp_insert(l, p, true, buf, len, &np);
    CHECK_EQ_INT(lp_used(l), 7 + 3 + 3 + expect_str_size(len));
    CHECK(lp_eq(np, buf, len));
    CHECK(lp_prev(l, lp_last(l)) == np);
    CHECK(lp_next(l, np) == lp_last(l));
    CHECK(lp_validate(l, lp_used(l)));
    CHECK(!lp_validate(l, lp_used(l) - 1));
    l = lp_delete(l, &np);
    CHECK_EQ_STR(dump(l), "a,b");
    CHECK(lp_bytes(l) < 64); /* the allocation shrank back */
    lp_free(l);
    cn_free(buf);
}

static void t_binary(void) {
    const char a[] = {'\0', 'x', '\0', '\0'};
    const char b[] = {'\0', 'x', '\0', '\1'};
    const char z[] = {'\0'};
    lp *l = lp_new();
    l = lp_append(l, a, sizeof(a));
    l = lp_append(l, z, 1);
    l = lp_append(l, "", 0);
    lp_value v;
    lp_get(lp_first(l), &v);
    CHECK_EQ_MEM(v.str, v.len, a, sizeof(a));
    CHECK(lp_eq(lp_first(l), a, sizeof(a)));
    CHECK(!lp_eq(lp_first(l), b, sizeof(b)));
    CHECK(!lp_eq(lp_first(l), a, 3));
    CHECK(lp_find(l, lp_first(l), b, sizeof(b), 0) == NULL);
    CHECK(lp_find(l, lp_first(l), z, 1, 0) == lp_seek(l, 1));
    CHECK(lp_find(l, lp_first(l), "", 0, 0) == lp_seek(l, 2));
    CHECK(lp_find(l, lp_first(l), NULL, 0, 0) == lp_seek(l, 2));
    lp_get(lp_last(l), &v);
    CHECK(v.str != NULL);
    CHECK_EQ_INT(v.len, 0);
    CHECK(lp_validate(l, lp_used(l)));
    lp_free(l);
}

/* ---- integers --------------------------------------------------------------------- */

static void check_int(long long x) {
    char text[LP_INTBUF];
    size_t tlen = num_fmt_ll(text, x);
    lp *l = lp_new();
    l = lp_append(l, text, tlen);
    l = lp_append_int(l, x);
    l = lp_prepend(l, text, tlen);
    CHECK_EQ_INT(lp_used(l), 7 + 3 * expect_int_size(x));
    for (unsigned char *p = lp_first(l); p; p = lp_next(l, p)) {
        lp_value v;
        lp_get(p, &v);
        CHECK(v.str == NULL);
        if (v.ll != x) test_fail(__FILE__, __LINE__, "read %lld, stored %lld", v.ll, x);
        CHECK(entry_is(p, text, tlen));
        CHECK(lp_eq(p, text, tlen));
    }
    CHECK(lp_find(l, lp_first(l), text, tlen, 0) == lp_first(l));
    CHECK(lp_find(l, lp_first(l), text, tlen, 1) == lp_first(l));
    CHECK(lp_find(l, lp_next(l, lp_first(l)), text, tlen, 1) == lp_seek(l, 1));
    /* Neighbours do not match. */
    char other[LP_INTBUF];
    size_t olen = num_fmt_ll(other, x == LLONG_MAX ? x - 1 : x + 1);
    CHECK(!lp_eq(lp_first(l), other, olen));
    CHECK(lp_find(l, lp_first(l), other, olen, 0) == NULL);
    unsigned char *p = lp_seek(l, 1);
    l = lp_replace_int(l, &p, x == LLONG_MAX ? x - 1 : x + 1);
    CHECK(lp_eq(p, other, olen));
    CHECK(lp_validate(l, lp_used(l)));
    lp_free(l);
}

static void t_int_widths(void) {
    static const long long fixed[] = {
        0,      1,         126,       127,           128,          129,   -1,    -2,
        255,    256,       -127,      -128,          -129,         4094,  4095,  4096,
        4097,   -4095,     -4096,     -4097,         -4098,        32767, 32768, -32768,
        -32769, LLONG_MAX, LLONG_MIN, LLONG_MAX - 1, LLONG_MIN + 1};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) check_int(fixed[i]);
    for (int bits = 8; bits < 64; bits++) { /* every two's-complement width edge */
        long long lim = 1LL << (bits - 1);
        check_int(lim - 1);
        check_int(lim);
        check_int(-lim);
        check_int(-lim - 1);
    }
    /* Sizes at a glance: 2, 3, 4 bytes ... 10 bytes for a 64-bit integer. */
    CHECK_EQ_INT(expect_int_size(127), 2);
    CHECK_EQ_INT(expect_int_size(4095), 3);
    CHECK_EQ_INT(expect_int_size(-4097), 4);
    CHECK_EQ_INT(expect_int_size(1700000000000LL), 8); /* a ms timestamp: 6 bytes of value */
    CHECK_EQ_INT(expect_int_size(LLONG_MIN), 10);
}

/* Integer-looking strings that num_parse_ll refuses stay strings, byte for byte. */
static void t_noncanonical(void) {
    static const char *strs[] = {"01",
                                 "-0",
                                 "+1",
                                 " 1",
                                 "1 ",
                                 "00",
                                 "-01",
                                 "-",
                                 "",
                                 "1.0",
                                 "0x1",
                                 "1e3",
                                 "9223372036854775808",
                                 "-9223372036854775809",
                                 "99999999999999999999",
                                 "000000000000000000001",
                                 "--1"};
    lp *l = lp_new();
    size_t n = sizeof(strs) / sizeof(strs[0]);
    for (size_t i = 0; i < n; i++) {
        l = lp_append(l, strs[i], strlen(strs[i]));
        l = lp_append_int(l, 1);
    }
    l = lp_append_int(l, 0);
    unsigned char *p = lp_first(l);
    for (size_t i = 0; i < n; i++, p = lp_next(l, lp_next(l, p))) {
        lp_value v;
        lp_get(p, &v);
        CHECK(v.str != NULL);
        CHECK_EQ_MEM(v.str, v.len, strs[i], strlen(strs[i]));
        /* The integer 1 next to it does not equal "01", "+1", ... */
        CHECK(!lp_eq(lp_next(l, p), strs[i], strlen(strs[i])));
        CHECK(lp_find(l, lp_first(l), strs[i], strlen(strs[i]), 0) == p);
    }
    /* "01" and "-0" must not find the integers 1 and 0. */
    CHECK(lp_find(l, lp_seek(l, 1), "01", 2, 1) == NULL);
    CHECK(lp_find(l, lp_seek(l, 1), "-0", 2, 1) == NULL);
    CHECK(lp_find(l, lp_first(l), "0", 1, 0) == lp_last(l));
    CHECK(lp_validate(l, lp_used(l)));
    lp_free(l);
}

/* ---- walking ---------------------------------------------------------------------- */

static void t_walk_seek(void) {
    lp *l = lp_new();
    char buf[300];
    memset(buf, '.', sizeof(buf));
    size_t n = 1000;
    for (size_t i = 0; i < n; i++) {
        if (i % 3 == 0) {
            l = lp_append_int(l, (long long)i * 1000003 - 5000000);
        } else {
            int len = snprintf(buf, sizeof(buf), "e%zu", i);
            if (i % 7 == 0) len = 150 + (int)(i % 100), memset(buf + 8, 'z', (size_t)len - 8);
            l = lp_append(l, buf, (size_t)len);
        }
    }
    CHECK_EQ_INT(lp_count(l), n);
    unsigned char **fw = cn_malloc(n * sizeof(*fw));
    size_t i = 0;
    for (unsigned char *p = lp_first(l); p; p = lp_next(l, p)) fw[i++] = p;
    CHECK_EQ_INT(i, n);
    for (unsigned char *p = lp_last(l); p; p = lp_prev(l, p)) CHECK(i > 0 && fw[--i] == p);
    CHECK_EQ_INT(i, 0);
    for (long k = 0; k < (long)n; k++) {
        CHECK(lp_seek(l, k) == fw[k]);
        CHECK(lp_seek(l, k - (long)n) == fw[k]);
    }
    CHECK(lp_seek(l, (long)n) == NULL);
    CHECK(lp_seek(l, -(long)n - 1) == NULL);
    CHECK(lp_seek(l, LONG_MAX) == NULL);
    CHECK(lp_seek(l, LONG_MIN) == NULL);
    CHECK(lp_first(l) == fw[0] && lp_last(l) == fw[n - 1]);
    cn_free(fw);
    lp_free(l);
}

/* ---- changing --------------------------------------------------------------------- */

static void t_prepend_dup(void) {
    lp *l = lp_new();
    l = lp_prepend(l, "c", 1);
    l = lp_prepend(l, "2", 1);
    l = lp_prepend(l, "a", 1);
    CHECK_EQ_STR(dump(l), "a,2,c");
    lp *d = lp_dup(l);
    CHECK_EQ_MEM(d, lp_used(d), l, lp_used(l));
    d = lp_append(d, "x", 1);
    CHECK_EQ_STR(dump(l), "a,2,c");
    CHECK_EQ_STR(dump(d), "a,2,c,x");
    lp_free(d);
    lp_free(l);
}

static void t_insert(void) {
    lp *l = from_list("b,c,d");
    unsigned char *np;
    l = lp_insert(l, lp_first(l), false, "a", 1, &np); /* before the first */
    CHECK(np == lp_first(l));
    l = lp_insert(l, lp_last(l), true, "e", 1, &np); /* after the last */
    CHECK(np == lp_last(l));
    CHECK_EQ_STR(dump(l), "a,b,c,d,e");
    l = lp_insert(l, lp_seek(l, 2), false, "12", 2, &np); /* middle, before */
    CHECK(np == lp_seek(l, 2) && lp_eq(np, "12", 2));
    l = lp_insert(l, lp_seek(l, 2), true, "x", 1, &np); /* middle, after */
    CHECK(np == lp_seek(l, 3) && lp_eq(np, "x", 1));
    l = lp_insert(l, lp_first(l), true, "f", 1, NULL); /* after the first */
    l = lp_insert(l, lp_last(l), false, "g", 1, NULL); /* before the last */
    CHECK_EQ_STR(dump(l), "a,f,b,12,x,c,d,g,e");
    lp_free(l);
    /* Into an empty-then-one listpack. */
    l = lp_new();
    l = lp_append(l, "only", 4);
    l = lp_insert(l, lp_first(l), false, "-5", 2, &np);
    CHECK(np == lp_first(l));
    CHECK_EQ_STR(dump(l), "-5,only");
    lp_free(l);
}

static void t_replace(void) {
    lp *l = from_list("a,b,c,d,e");
    unsigned char *p = lp_first(l);
    l = lp_replace(l, &p, "first-and-longer", 16);
    CHECK(p == lp_first(l) && lp_eq(p, "first-and-longer", 16));
    p = lp_seek(l, 2);
    l = lp_replace(l, &p, "77", 2);
    CHECK(p == lp_seek(l, 2));
    lp_value v;
    lp_get(p, &v);
    CHECK(v.str == NULL && v.ll == 77);
    p = lp_last(l);
    l = lp_replace_int(l, &p, -123456789);
    CHECK(p == lp_last(l));
    CHECK_EQ_STR(dump(l), "first-and-longer,b,77,d,-123456789");
    p = lp_first(l);
    l = lp_replace(l, &p, "", 0); /* shrinks */
    CHECK(p == lp_first(l));
    p = lp_seek(l, 2);
    char big[5000];
    fill_str(big, sizeof(big), 3);
    l = lp_replace(l, &p, big, sizeof(big)); /* grows across header sizes */
    CHECK(lp_eq(p, big, sizeof(big)));
    CHECK(lp_prev(l, lp_next(l, p)) == p);
    l = lp_replace(l, &p, "s", 1);
    CHECK_EQ_STR(dump(l), ",b,s,d,-123456789");
    lp_free(l);
}

static void t_delete(void) {
    lp *l = from_list("a,b,c,d,e");
    unsigned char *p = lp_first(l);
    l = lp_delete(l, &p);
    CHECK(p == lp_first(l) && lp_eq(p, "b", 1));
    p = lp_seek(l, 1);
    l = lp_delete(l, &p);
    CHECK(p == lp_seek(l, 1) && lp_eq(p, "d", 1));
    p = lp_last(l);
    l = lp_delete(l, &p);
    CHECK(p == NULL);
    CHECK_EQ_STR(dump(l), "b,d");
    p = lp_first(l);
    while (p) l = lp_delete(l, &p);
    CHECK_EQ_INT(lp_count(l), 0);
    CHECK_EQ_INT(lp_used(l), 7);
    CHECK(lp_first(l) == NULL);
    lp_free(l);
}

static void t_delete_range(void) {
    static const struct {
        long start;
        unsigned long count;
        const char *want;
    } cases[] = {
        {0, 3, "3,4,5,6,7,8,9"},
        {-2, 5, "0,1,2,3,4,5,6,7"},
        {-10, 1, "1,2,3,4,5,6,7,8,9"},
        {-11, 1, "0,1,2,3,4,5,6,7,8,9"},
        {-100, 2, "0,1,2,3,4,5,6,7,8,9"},
        {10, 1, "0,1,2,3,4,5,6,7,8,9"},
        {5, 0, "0,1,2,3,4,5,6,7,8,9"},
        {3, ULONG_MAX, "0,1,2"},
        {0, 10, ""},
        {-1, 1, "0,1,2,3,4,5,6,7,8"},
        {4, 2, "0,1,2,3,6,7,8,9"},
        {LONG_MIN, 3, "0,1,2,3,4,5,6,7,8,9"},
        {LONG_MAX, 3, "0,1,2,3,4,5,6,7,8,9"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lp *l = from_list("0,1,2,3,4,5,6,7,8,9");
        l = lp_delete_range(l, cases[i].start, cases[i].count);
        const char *got = dump(l);
        if (strcmp(got, cases[i].want) != 0)
            test_fail(__FILE__, __LINE__, "delete_range(%ld, %lu): \"%s\", expected \"%s\"",
                      cases[i].start, cases[i].count, got, cases[i].want);
        lp_free(l);
    }
}

static void t_find(void) {
    /* field/value pairs where values repeat field names */
    lp *l = from_list("a,1,b,a,1,x,c,b,long-field-name,v");
    unsigned char *f = lp_first(l);
    CHECK(lp_find(l, f, "a", 1, 1) == lp_seek(l, 0));
    CHECK(lp_find(l, f, "b", 1, 1) == lp_seek(l, 2));
    CHECK(lp_find(l, f, "1", 1, 1) == lp_seek(l, 4)); /* the field, not the value at 1 */
    CHECK(lp_find(l, f, "1", 1, 0) == lp_seek(l, 1));
    CHECK(lp_find(l, f, "x", 1, 1) == NULL); /* only ever a value */
    CHECK(lp_find(l, f, "x", 1, 0) == lp_seek(l, 5));
    CHECK(lp_find(l, f, "long-field-name", 15, 1) == lp_seek(l, 8));
    CHECK(lp_find(l, f, "long-field-nam", 14, 1) == NULL);
    CHECK(lp_find(l, f, "c", 1, 1) == lp_seek(l, 6));
    CHECK(lp_find(l, f, "v", 1, 1) == NULL);
    CHECK(lp_find(l, f, "v", 1, 0) == lp_last(l));
    CHECK(lp_find(l, lp_next(l, f), "a", 1, 1) == lp_seek(l, 3)); /* the values */
    CHECK(lp_find(l, lp_seek(l, 3), "a", 1, 0) == lp_seek(l, 3)); /* starts at p itself */
    CHECK(lp_find(l, lp_seek(l, 4), "a", 1, 0) == NULL);
    CHECK(lp_find(l, f, "01", 2, 0) == NULL);
    CHECK(lp_find(l, f, "c", 1, 7) == NULL); /* compares 0 and 8, then runs off the end */
    CHECK(lp_find(l, f, "c", 1, 5) == lp_seek(l, 6));
    CHECK(lp_find(l, f, "c", 1, 2) == lp_seek(l, 6));
    CHECK(lp_find(l, NULL, "a", 1, 0) == NULL);
    lp_free(l);
}

static void t_concat(void) {
    lp *a = from_list("a,1,b");
    lp *b = from_list("c,-5000,long-enough-string");
    lp *e = lp_new();
    a = lp_concat(a, b);
    CHECK_EQ_STR(dump(a), "a,1,b,c,-5000,long-enough-string");
    a = lp_concat(a, e); /* nothing to add */
    CHECK_EQ_STR(dump(a), "a,1,b,c,-5000,long-enough-string");
    e = lp_concat(e, b); /* into an empty one: the same bytes */
    CHECK_EQ_MEM(e, lp_used(e), b, lp_used(b));
    a = lp_concat(a, a); /* itself */
    CHECK_EQ_STR(dump(a), "a,1,b,c,-5000,long-enough-string,a,1,b,c,-5000,long-enough-string");
    /* Counts that add up past 65534 become "unknown"; an unknown source too. */
    lp *big = lp_new();
    for (int i = 0; i < 40000; i++) big = lp_append_int(big, i & 63);
    big = lp_concat(big, big);
    CHECK_EQ_INT(lp_count(big), 80000);
    CHECK_EQ_INT(big[4] | big[5] << 8, 0xFFFF);
    b = lp_concat(b, big);
    CHECK_EQ_INT(lp_count(b), 80003);
    CHECK(lp_validate(b, lp_used(b)));
    CHECK(lp_validate(big, lp_used(big)));
    lp_free(big);
    lp_free(a);
    lp_free(b);
    lp_free(e);
}

/* Source bytes that live in the block itself. */
static void t_source_in_block(void) {
    char big[100];
    fill_str(big, sizeof(big), 9);
    lp *l = lp_new();
    l = lp_append(l, big, sizeof(big));
    for (int i = 0; i < 6; i++) { /* appends that move the block */
        lp_value v;
        lp_get(lp_first(l), &v);
        l = lp_append(l, v.str, v.len);
    }
    CHECK_EQ_INT(lp_count(l), 7);
    for (unsigned char *p = lp_first(l); p; p = lp_next(l, p)) CHECK(lp_eq(p, big, sizeof(big)));
    lp_value v;
    unsigned char *p = lp_seek(l, 3), *np;
    lp_get(lp_last(l), &v);
    l = lp_insert(l, p, false, v.str, v.len, &np);
    lp_get(np, &v);
    l = lp_prepend(l, v.str, v.len);
    p = lp_seek(l, 2);
    lp_get(p, &v);
    l = lp_replace(l, &p, v.str + 1, v.len - 1); /* replace with part of itself */
    CHECK(lp_eq(p, big + 1, sizeof(big) - 1));
    CHECK_EQ_INT(lp_count(l), 9);
    CHECK(lp_validate(l, lp_used(l)));
    lp_free(l);
}

/* Past 65534 entries the header's count is "unknown" and lp_count walks. */
static void t_count_unknown(void) {
    lp *l = lp_new();
    for (long i = 0; i < 70000; i++) l = lp_append_int(l, i % 100);
    CHECK_EQ_INT(lp_count(l), 70000);
    CHECK_EQ_INT(l[4], 0xFF);
    CHECK_EQ_INT(l[5], 0xFF);
    CHECK(lp_validate(l, lp_used(l)));
    lp_value v;
    lp_get(lp_seek(l, -1), &v);
    CHECK_EQ_INT(v.ll, 69999 % 100);
    lp_get(lp_seek(l, 65600), &v);
    CHECK_EQ_INT(v.ll, 65600 % 100);
    unsigned char *p = lp_seek(l, 10);
    l = lp_delete(l, &p); /* still too many: unknown */
    CHECK_EQ_INT(lp_count(l), 69999);
    l = lp_delete_range(l, 0, 4464); /* 65535 left: still unknown */
    CHECK_EQ_INT(lp_count(l), 65535);
    CHECK_EQ_INT(l[4] | l[5] << 8, 0xFFFF);
    CHECK(lp_validate(l, lp_used(l)));
    /* A block claiming "unknown" with fewer entries is refused. */
    p = lp_last(l);
    l = lp_delete(l, &p);
    CHECK_EQ_INT(lp_count(l), 65534);
    CHECK_EQ_INT(l[4] | l[5] << 8, 65534);
    CHECK(lp_validate(l, lp_used(l)));
    l[4] = l[5] = 0xFF;
    CHECK(!lp_validate(l, lp_used(l)));
    l[4] = 0xFE;
    l = lp_append_int(l, 5); /* 65535 again */
    CHECK_EQ_INT(l[4] | l[5] << 8, 0xFFFF);
    CHECK_EQ_INT(lp_count(l), 65535);
    CHECK(lp_validate(l, lp_used(l)));
    lp_free(l);
}

/* ---- random model test ------------------------------------------------------------ */

typedef struct mval {
    char *s;
    size_t len;
} mval;

static mval *model;
static size_t mcount, mcap;

static void model_insert(size_t i, const char *s, size_t len) {
    if (mcount == mcap) {
        mcap = mcap ? mcap * 2 : 64;
        model = cn_realloc(model, mcap * sizeof(*model));
    }
    memmove(model + i + 1, model + i, (mcount - i) * sizeof(*model));
    model[i].s = cn_malloc(len ? len : 1);
    if (len) memcpy(model[i].s, s, len);
    model[i].len = len;
    mcount++;
}

static void model_delete(size_t i, size_t n) {
    for (size_t k = i; k < i + n; k++) cn_free(model[k].s);
    memmove(model + i, model + i + n, (mcount - i - n) * sizeof(*model));
    mcount -= n;
}

static void model_clear(void) {
    model_delete(0, mcount);
    cn_free(model);
    model = NULL;
    mcap = 0;
}

/* A random value as text: canonical integers of every width, integer-looking
 * strings that are not canonical, binary strings around header sizes. */
static size_t rand_value(char *buf, size_t cap) {
    static const char *odd[] = {"01",
                                "-0",
                                "+1",
                                " 1",
                                "1 ",
                                "007",
                                "-01",
                                "",
                                "-",
                                "9223372036854775808",
                                "-9223372036854775809",
                                "1e3",
                                "0x10"};
    static const size_t edges[] = {63, 64, 125, 126, 127, 128, 4095, 4096};
    unsigned r = (unsigned)rnd_below(100);
    if (r < 25) return num_fmt_ll(buf, (long long)rnd_below(601) - 300);
    if (r < 35) {
        long long v = rand_wide();
        return num_fmt_ll(buf, rnd() & 1 ? ~v : v);
    }
    if (r < 42) {
        const char *s = odd[rnd_below(sizeof(odd) / sizeof(odd[0]))];
        memcpy(buf, s, strlen(s));
        return strlen(s);
    }
    size_t len;
    unsigned r2 = (unsigned)rnd_below(100);
    if (r < 95)
        len = r2 < 70 ? rnd_below(71) : r2 < 97 ? rnd_below(301) : 4000 + rnd_below(200);
    else
        len = edges[rnd_below(sizeof(edges) / sizeof(edges[0]))];
    if (len > cap) len = cap;
    bool binary = rnd() & 1;
    for (size_t i = 0; i < len; i++) buf[i] = binary ? (char)rnd() : (char)('a' + rnd_below(26));
    return len;
}

static bool model_eq(size_t i, const char *s, size_t len) {
    return model[i].len == len && memcmp(model[i].s, s, len) == 0;
}

/* Full comparison: count, both walks, values and kinds, validation. */
static bool compare_model(lp *l, size_t step) {
    bool ok = lp_count(l) == mcount;
    size_t i = 0;
    for (unsigned char *p = lp_first(l); ok && p; p = lp_next(l, p), i++) {
        if (i >= mcount || !entry_is(p, model[i].s, model[i].len)) ok = false;
        if (!ok) break;
        lp_value v;
        long long x;
        lp_get(p, &v);
        bool is_int = model[i].len <= 20 && num_parse_ll(model[i].s, model[i].len, &x);
        if (is_int ? (v.str != NULL || v.ll != x) : v.str == NULL) ok = false;
    }
    ok = ok && i == mcount;
    for (unsigned char *p = lp_last(l); ok && p; p = lp_prev(l, p)) {
        if (i == 0) {
            ok = false;
            break;
        }
        i--;
        if (!entry_is(p, model[i].s, model[i].len)) ok = false;
    }
    ok = ok && i == 0 && lp_validate(l, lp_used(l)) && lp_bytes(l) >= lp_used(l);
    if (!ok) test_fail(__FILE__, __LINE__, "listpack differs from the model after step %zu", step);
    return ok;
}

static void t_random_model(void) {
    enum { STEPS = 100000, MAXLEN = 4200 };
    char *buf = cn_malloc(MAXLEN);
    char tbuf[LP_INTBUF];
    lp *l = lp_new();
    size_t finds = 0, found = 0;
    for (size_t step = 0; step < STEPS; step++) {
        unsigned op = (unsigned)rnd_below(100);
        if (mcount > 200 && op < 60) op = 80; /* keep it small: trim */
        size_t len;
        if (op < 14) {
            len = rand_value(buf, MAXLEN);
            l = lp_append(l, buf, len);
            model_insert(mcount, buf, len);
        } else if (op < 24) {
            len = rand_value(buf, MAXLEN);
            l = lp_prepend(l, buf, len);
            model_insert(0, buf, len);
        } else if (op < 38) {
            len = rand_value(buf, MAXLEN);
            if (!mcount) {
                l = lp_append(l, buf, len);
                model_insert(0, buf, len);
            } else {
                size_t i = rnd_below(mcount);
                bool after = rnd() & 1;
                unsigned char *np;
                l = lp_insert(l, lp_seek(l, (long)i), after, buf, len, &np);
                model_insert(i + after, buf, len);
                if (np != lp_seek(l, (long)(i + after)) || !entry_is(np, buf, len))
                    test_fail(__FILE__, __LINE__, "insert: wrong newp at step %zu", step);
            }
        } else if (op < 52) {
            if (!mcount) continue;
            size_t i = rnd_below(mcount);
            unsigned char *p = lp_seek(l, -(long)(mcount - i));
            if (rnd_below(4) == 0) {
                long long v = rand_wide();
                l = lp_replace_int(l, &p, v);
                len = num_fmt_ll(buf, v);
            } else {
                len = rand_value(buf, MAXLEN);
                l = lp_replace(l, &p, buf, len);
            }
            model_delete(i, 1);
            model_insert(i, buf, len);
            if (p != lp_seek(l, (long)i) || !entry_is(p, buf, len))
                test_fail(__FILE__, __LINE__, "replace: wrong p at step %zu", step);
        } else if (op < 57) {
            long long v = rand_wide();
            if (rnd() & 1) v = ~v;
            l = lp_append_int(l, v);
            len = num_fmt_ll(tbuf, v);
            model_insert(mcount, tbuf, len);
        } else if (op == 57) {
            if (rnd_below(4) == 0 && mcount < 100) { /* itself */
                l = lp_concat(l, l);
                for (size_t i = 0, n = mcount; i < n; i++)
                    model_insert(mcount, model[i].s, model[i].len);
            } else {
                lp *src = lp_new();
                for (size_t k = rnd_below(4); k > 0; k--) {
                    len = rand_value(buf, MAXLEN);
                    src = lp_append(src, buf, len);
                    model_insert(mcount, buf, len);
                }
                l = lp_concat(l, src);
                lp_free(src);
            }
        } else if (op < 75) {
            if (!mcount) continue;
            size_t i = rnd_below(mcount);
            unsigned char *p = lp_seek(l, (long)i);
            l = lp_delete(l, &p);
            model_delete(i, 1);
            if (p != (i < mcount ? lp_seek(l, (long)i) : NULL))
                test_fail(__FILE__, __LINE__, "delete: wrong p at step %zu", step);
        } else if (op < 85) {
            long start = (long)rnd_below(2 * mcount + 7) - (long)mcount - 3;
            unsigned long count = op == 80 && mcount > 200 ? 10 : rnd_below(7);
            l = lp_delete_range(l, start, count);
            long s = start < 0 ? start + (long)mcount : start;
            if (s >= 0 && (size_t)s < mcount && count) {
                size_t n = mcount - (size_t)s < count ? mcount - (size_t)s : count;
                model_delete((size_t)s, n);
            }
        } else {
            /* lp_find / lp_eq against the model: no change, so no compare needed. */
            if (mcount && rnd_below(10) < 7) {
                size_t j = rnd_below(mcount);
                len = model[j].len;
                memcpy(buf, model[j].s, len);
            } else {
                len = rand_value(buf, MAXLEN);
            }
            size_t start = rnd_below(mcount + 1);
            unsigned skip = (unsigned)rnd_below(2);
            size_t want = SIZE_MAX;
            for (size_t j = start; j < mcount; j += skip + 1)
                if (model_eq(j, buf, len)) {
                    want = j;
                    break;
                }
            unsigned char *p = start < mcount ? lp_seek(l, (long)start) : NULL;
            unsigned char *got = lp_find(l, p, buf, len, skip);
            finds++;
            found += got != NULL;
            if (got != (want == SIZE_MAX ? NULL : lp_seek(l, (long)want)))
                test_fail(__FILE__, __LINE__, "lp_find at step %zu", step);
            if (p && lp_eq(p, buf, len) != model_eq(start, buf, len))
                test_fail(__FILE__, __LINE__, "lp_eq at step %zu", step);
            continue;
        }
        if (!compare_model(l, step)) break;
    }
    printf("    random model: %d steps, %zu entries at the end, %zu finds (%zu hits)\n", STEPS,
           mcount, finds, found);
    lp_free(l);
    model_clear();
    cn_free(buf);
}

/* ---- validation of untrusted blocks ----------------------------------------------- */

/* Validates a copy of b in an allocation of exactly size bytes (so a sanitizer sees
 * any read past it); if accepted, loads it and walks it every way. */
static bool validate_copy(const unsigned char *b, size_t size) {
    unsigned char *c = malloc(size ? size : 1);
    if (size) memcpy(c, b, size);
    bool ok = lp_validate(c, size);
    if (ok) {
        lp *l = lp_from_bytes(c, size);
        CHECK(l != NULL);
        uint32_t n = 0, back = 0;
        for (unsigned char *p = lp_first(l); p; p = lp_next(l, p)) {
            char buf[LP_INTBUF];
            size_t len;
            const char *s = lp_get_str(p, buf, &len);
            CHECK(lp_eq(p, s, len));
            n++;
        }
        for (unsigned char *p = lp_last(l); p; p = lp_prev(l, p)) back++;
        CHECK_EQ_INT(n, lp_count(l));
        CHECK_EQ_INT(back, n);
        lp_free(l);
    } else {
        CHECK(lp_from_bytes(c, size) == NULL);
    }
    free(c);
    return ok;
}

static lp *sample_block(int which) {
    lp *l = lp_new();
    char buf[5000];
    if (which == 0) { /* small hash-like: strings and integers of every form */
        for (int i = 0; i < 40; i++) {
            int n = snprintf(buf, sizeof(buf), "field:%d", i);
            l = lp_append(l, buf, (size_t)n);
            l = lp_append_int(l, (long long)i * i * i * i * i * i * i * (i & 1 ? -1 : 1));
        }
    } else if (which == 1) { /* every header size */
        static const size_t sizes[] = {0, 1, 63, 64, 125, 126, 127, 128, 300, 4095, 4096};
        for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
            fill_str(buf, sizes[i], (unsigned)i);
            l = lp_append(l, buf, sizes[i]);
            l = lp_append_int(l, -4097 - (long long)i);
        }
    } else { /* one entry of each kind */
        l = lp_append(l, "x", 1);
        l = lp_append_int(l, 7);
        l = lp_append_int(l, -7);
        l = lp_append_int(l, LLONG_MIN);
    }
    return l;
}

static void t_validate_built(void) {
    for (int w = 0; w < 3; w++) {
        lp *l = sample_block(w);
        size_t size = lp_used(l);
        CHECK(validate_copy(l, size));
        /* Every truncation and one extra byte are refused. */
        for (size_t n = 0; n < size; n++)
            if (validate_copy(l, n)) test_fail(__FILE__, __LINE__, "prefix %zu accepted", n);
        unsigned char *ext = cn_malloc(size + 1);
        memcpy(ext, l, size);
        ext[size] = 0xFF;
        CHECK(!validate_copy(ext, size + 1));
        cn_free(ext);
        lp_free(l);
    }
    CHECK(!lp_validate(NULL, 0));
}

/* Marks the bytes that no single change may leave valid: the header, the end marker
 * and every backward length (the forward walk is unchanged, so the back must then
 * disagree). Changes inside values (string bytes, integer bytes) may give another
 * valid block. */
static void mark_strict(lp *l, unsigned char *strict) {
    size_t size = lp_used(l);
    memset(strict, 0, size);
    memset(strict, 1, 6);
    strict[size - 1] = 1;
    for (unsigned char *p = lp_first(l); p; p = lp_next(l, p)) {
        unsigned char *q = lp_next(l, p);
        size_t e = (size_t)((q ? q : l + size - 1) - p), bs = 1;
        while (back_size(e - bs) != bs) bs++; /* the entry is head + data + back */
        memset(strict + (p - l) + (e - bs), 1, bs);
    }
}

static void t_validate_flips(void) {
    static const unsigned char masks[] = {0x01, 0x80, 0xFF, 0x40, 0x10};
    for (int w = 0; w < 3; w++) {
        size_t tried = 0, accepted = 0, strict_n = 0;
        lp *l = sample_block(w);
        size_t size = lp_used(l);
        unsigned char *c = cn_malloc(size), *strict = cn_malloc(size);
        mark_strict(l, strict);
        for (size_t i = 0; i < size; i++) {
            strict_n += strict[i];
            for (size_t m = 0; m <= sizeof(masks); m++) {
                memcpy(c, l, size);
                if (m < sizeof(masks))
                    c[i] ^= masks[m];
                else
                    c[i] = (unsigned char)rnd(); /* and a random byte */
                if (c[i] == l[i]) continue;
                bool ok = validate_copy(c, size);
                tried++;
                accepted += ok;
                if (ok && strict[i])
                    test_fail(__FILE__, __LINE__, "block %d: change at %zu accepted", w, i);
            }
        }
        printf("    block %d (%zu bytes, %zu of header/back/end): %zu corruptions, %zu still "
               "valid (all inside values)\n",
               w, size, strict_n, tried, accepted);
        cn_free(strict);
        cn_free(c);
        lp_free(l);
    }
}

/* Random bytes, with a plausible header (total and end marker right) half the time. */
static void t_validate_random(void) {
    unsigned char b[96];
    size_t accepted = 0;
    for (int k = 0; k < 200000; k++) {
        size_t size = rnd_below(sizeof(b) + 1);
        for (size_t i = 0; i < size; i++) b[i] = (unsigned char)rnd();
        if (size >= 7 && (k & 1)) {
            b[0] = (unsigned char)size, b[1] = b[2] = b[3] = 0;
            b[5] = 0;
            b[4] = (unsigned char)rnd_below(8);
            b[size - 1] = 0xFF;
            /* Bias towards well-formed-looking entries: small lengths and backs. */
            for (size_t i = 6; i + 1 < size; i++)
                if (rnd_below(3) == 0) b[i] = (unsigned char)rnd_below(8);
        }
        accepted += validate_copy(b, size);
    }
    CHECK(accepted > 0); /* the generator does reach deep */
    printf("    random blocks: 200000 tried, %zu valid\n", accepted);
}

/* Built blocks with bytes changed, cut out or repeated, then the header's total and
 * the end marker set right again, so that validation walks into the damage. */
static void t_validate_mutations(void) {
    size_t tried = 0, accepted = 0;
    for (int w = 0; w < 3; w++) {
        lp *l = sample_block(w);
        size_t size = lp_used(l);
        unsigned char *c = cn_malloc(2 * size + 16);
        for (int k = 0; k < 20000; k++) {
            memcpy(c, l, size);
            size_t n = size;
            for (size_t edits = 1 + rnd_below(3); edits > 0; edits--) {
                size_t at = 6 + rnd_below(n - 6), len = 1 + rnd_below(8);
                if (at + len > n - 1) len = n - 1 - at;
                switch (rnd_below(3)) {
                case 0:
                    c[at] = (unsigned char)(rnd_below(2) ? rnd() : rnd_below(8));
                    break;
                case 1: /* cut len bytes */
                    memmove(c + at, c + at + len, n - at - len);
                    n -= len;
                    break;
                default: /* repeat len bytes */
                    memmove(c + at + len, c + at, n - at);
                    n += len;
                    break;
                }
                if (n < 8) break;
            }
            c[0] = (unsigned char)n, c[1] = (unsigned char)(n >> 8), c[2] = c[3] = 0;
            c[n - 1] = 0xFF;
            /* The count stays: validation checks it only after walking every entry. */
            tried++;
            accepted += validate_copy(c, n);
        }
        cn_free(c);
        lp_free(l);
    }
    printf("    mutated blocks: %zu tried, %zu valid\n", tried, accepted);
}

/* Hand-made blocks: each breaks one rule of the format. */
static void t_validate_rules(void) {
#define BLOCK(...)                                                                                 \
    do {                                                                                           \
        unsigned char e_[] = {__VA_ARGS__};                                                        \
        unsigned char b_[64] = {0};                                                                \
        size_t n_ = 6 + sizeof(e_) + 1;                                                            \
        b_[0] = (unsigned char)n_;                                                                 \
        b_[4] = 1;                                                                                 \
        memcpy(b_ + 6, e_, sizeof(e_));                                                            \
        b_[n_ - 1] = 0xFF;                                                                         \
        got = validate_copy(b_, n_);                                                               \
    } while (0)
    bool got;
    BLOCK(2, 'a', 'b', 3); /* well-formed "ab" */
    CHECK(got);
    BLOCK(2, '1', '2', 3); /* "12" as a string: must be the integer */
    CHECK(!got);
    BLOCK(2, '0', '1', 3); /* "01" is a string */
    CHECK(got);
    BLOCK(0x45, 1); /* 5 */
    CHECK(got);
    BLOCK(0xC0, 0x05, 2); /* 5 in the 13-bit form */
    CHECK(!got);
    BLOCK(0xDF, 0xFF, 2); /* -1 in the 13-bit form: smallest */
    CHECK(got);
    BLOCK(0xF0, 0x00, 0x01, 3); /* 256 in 2 bytes: fits 13 bits */
    CHECK(!got);
    BLOCK(0xF0, 0x00, 0x10, 3); /* 4096 in 2 bytes */
    CHECK(got);
    BLOCK(0xF1, 0x00, 0x10, 0x00, 4); /* 4096 in 3 bytes */
    CHECK(!got);
    BLOCK(0xE0, 10, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 12); /* short in STR12 */
    CHECK(!got);
    BLOCK(0xF7, 3, 0, 0, 0, 'a', 'b', 'c', 8); /* short in STR32 */
    CHECK(!got);
    BLOCK(2, 'a', 'b', 4); /* wrong back */
    CHECK(!got);
    BLOCK(2, 'a', 'b', 3, 0x80); /* back too long (and count) */
    CHECK(!got);
    BLOCK(0xF8, 1); /* unused first byte */
    CHECK(!got);
    BLOCK(0xFF, 1); /* end marker as an entry */
    CHECK(!got);
    BLOCK(0x3F, 1); /* string longer than the block */
    CHECK(!got);
    BLOCK(0xF7, 0xFF, 0xFF, 0xFF, 0xFF, 5); /* huge length */
    CHECK(!got);
    BLOCK(0xF6, 1, 2, 3); /* 8-byte integer cut short */
    CHECK(!got);
    BLOCK(0xE0); /* head cut short */
    CHECK(!got);
    BLOCK(0x45, 1, 0x45, 1); /* two entries, count says 1 */
    CHECK(!got);
#undef BLOCK
    unsigned char ok[] = {11, 0, 0, 0, 1, 0, 2, 'a', 'b', 3, 0xFF};
    CHECK(validate_copy(ok, sizeof(ok)));
    ok[0] = 12;
    CHECK(!validate_copy(ok, sizeof(ok))); /* total differs from size */
    ok[0] = 11, ok[4] = 0;
    CHECK(!validate_copy(ok, sizeof(ok))); /* count */
    ok[4] = 1, ok[10] = 0xFE;
    CHECK(!validate_copy(ok, sizeof(ok))); /* end marker */
    ok[10] = 0xFF, ok[3] = 1;
    CHECK(!validate_copy(ok, sizeof(ok))); /* total's high byte */
    ok[3] = 0;
    lp *l = lp_from_bytes(ok, sizeof(ok));
    CHECK(l != NULL);
    l = lp_append(l, "c", 1);
    CHECK_EQ_STR(dump(l), "ab,c");
    lp_free(l);
}

/* ---- memory ----------------------------------------------------------------------- */

static void t_memory(void) {
    lp *l = lp_new();
    char f[16], v[17];
    for (int i = 0; i < 128; i++) {
        snprintf(f, sizeof(f), "field%03d", i);          /* 8 bytes */
        snprintf(v, sizeof(v), "value-%010d", i * 7919); /* 16 bytes */
        l = lp_append(l, f, 8);
        l = lp_append(l, v, 16);
    }
    CHECK_EQ_INT(lp_count(l), 256);
    CHECK_EQ_INT(lp_used(l), 7 + 128 * (10 + 18));
    CHECK_EQ_INT(lp_bytes(l), cn_alloc_size(l));
    printf("    128 pairs (8-byte fields, 16-byte values): %zu bytes used, %zu allocated: "
           "%.2f / %.2f bytes per entry (data 12.00)\n",
           lp_used(l), lp_bytes(l), (double)lp_used(l) / 256, (double)lp_bytes(l) / 256);
    /* A copy is allocated for its size; deleting gives memory back. */
    lp *d = lp_dup(l);
#ifndef CN_LIBC_MALLOC /* glibc's usable sizes are not its size classes */
    CHECK_EQ_INT(lp_bytes(d), cn_good_size(lp_used(d)));
#endif
    d = lp_delete_range(d, 0, 250);
    CHECK(lp_bytes(d) <= 128);
#ifndef CN_LIBC_MALLOC
    CHECK_EQ_INT(lp_bytes(d), cn_good_size(lp_used(d)));
#endif
    lp_free(d);

    /* HGET's path: find the field with skip 1, then its value. */
    char fields[128][9];
    for (int i = 0; i < 128; i++) snprintf(fields[i], sizeof(fields[i]), "field%03d", i);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t hits = 0, rounds = 200000;
    for (size_t k = 0; k < rounds; k++) {
        unsigned char *p = lp_find(l, lp_first(l), fields[k * 37 % 128], 8, 1);
        if (p && lp_next(l, p)) hits++;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK_EQ_INT(hits, rounds);
    double ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) /
                (double)rounds;
    printf("    lp_find over 128 pairs (skip 1, random field): %.0f ns/op\n", ns);
    lp_free(l);

    /* Small counters: integer values cost 2-3 bytes. */
    l = lp_new();
    for (int i = 0; i < 128; i++) {
        snprintf(f, sizeof(f), "field%03d", i);
        l = lp_append(l, f, 8);
        l = lp_append_int(l, i * 31);
    }
    printf("    128 pairs (8-byte fields, integer values 0..3937): %zu bytes used, %zu "
           "allocated: %.2f / %.2f bytes per entry\n",
           lp_used(l), lp_bytes(l), (double)lp_used(l) / 256, (double)lp_bytes(l) / 256);
    lp_free(l);
}

int main(void) {
    run("empty listpack", t_empty);
    run("byte format", t_format);
    run("strings at every header boundary", t_string_sizes);
    run("entry over 16 MB (5-byte back)", t_huge_entry);
    run("binary strings", t_binary);
    run("integers at every width boundary", t_int_widths);
    run("non-canonical integer strings stay strings", t_noncanonical);
    run("walk both ways and seek", t_walk_seek);
    run("prepend and dup", t_prepend_dup);
    run("insert first/middle/last", t_insert);
    run("replace first/middle/last", t_replace);
    run("delete first/middle/last", t_delete);
    run("delete_range", t_delete_range);
    run("find with skip 0 and 1", t_find);
    run("concat", t_concat);
    run("source bytes inside the block", t_source_in_block);
    run("count past 65534", t_count_unknown);
    run("random operations against a model", t_random_model);
    run("validate: built blocks, truncations", t_validate_built);
    run("validate: every byte flipped", t_validate_flips);
    run("validate: random blocks", t_validate_random);
    run("validate: mutated blocks", t_validate_mutations);
    run("validate: format rules", t_validate_rules);
    run("memory and find speed", t_memory);
    return test_summary("listpack");
}
