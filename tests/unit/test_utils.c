/* tests/unit/test_utils.c: hash, glob and num. Expected values for glob and num were
 * checked against redis-server 7.0 (KEYS, CONFIG GET, ZADD/ZSCORE, INCRBYFLOAT, CONFIG
 * SET maxmemory). */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/test.h"
#include "utils/alloc.h"
#include "utils/glob.h"
#include "utils/hash.h"
#include "utils/num.h"

static double now_sec(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- hash ------------------------------------------------------------------------- */

static void t_siphash_reference_vectors(void) {
    /* From the SipHash paper / reference code: key 00..0f, message 00..(len-1). */
    uint8_t key[16], msg[64];
    for (int i = 0; i < 16; i++) key[i] = (uint8_t)i;
    for (int i = 0; i < 64; i++) msg[i] = (uint8_t)i;
    CHECK(hash_siphash24(key, msg, 0) == 0x726fdb47dd0e0e31ULL);
    CHECK(hash_siphash24(key, msg, 15) == 0xa129ca6149be45e5ULL);
    CHECK(hash_siphash24(key, msg, 1) == 0x74f839c593dc67fdULL);
    CHECK(hash_siphash24(key, msg, 63) == 0x958a324ceb064572ULL);
}

static void t_hash_seed_and_determinism(void) {
    uint8_t zero[16] = {0}, seed[16], got[16];
    for (int i = 0; i < 16; i++) seed[i] = (uint8_t)(i * 37 + 1);
    hash_set_seed(zero);
    uint64_t a = hash_bytes("hello", 5);
    CHECK(a == hash_bytes("hello", 5));
    CHECK(a != hash_bytes("hellp", 5));
    CHECK(a != hash_bytes("hello", 4));
    CHECK(hash_bytes("", 0) != hash_bytes("\0", 1));
    hash_set_seed(seed);
    hash_get_seed(got);
    CHECK_EQ_MEM(got, 16, seed, 16);
    CHECK(hash_bytes("hello", 5) != a);
    hash_set_seed(zero);
    CHECK(hash_bytes("hello", 5) == a);
}

static void t_hash_nocase(void) {
    char s[80], lower[80], mixed[80];
    srand(7);
    for (size_t len = 0; len < 70; len++) {
        for (int round = 0; round < 20; round++) {
            for (size_t i = 0; i < len; i++) {
                /* all bytes, weighted towards letters and the bytes next to them */
                int r = rand() % 4;
                unsigned char c = r == 0   ? (unsigned char)(rand() % 256)
                                  : r == 1 ? (unsigned char)('A' - 1 + rand() % 28)
                                  : r == 2 ? (unsigned char)('a' - 1 + rand() % 28)
                                           : (unsigned char)(0xc0 + rand() % 28);
                s[i] = (char)c;
                lower[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                mixed[i] = (char)(c >= 'a' && c <= 'z' && rand() % 2 ? c - 32 : lower[i]);
            }
            uint64_t h = hash_bytes(lower, len);
            if (hash_bytes_nocase(s, len) != h || hash_bytes_nocase(mixed, len) != h) {
                CHECK(!"nocase mismatch");
                return;
            }
        }
    }
    CHECK(hash_bytes_nocase("GET", 3) == hash_bytes_nocase("get", 3));
    CHECK(hash_bytes_nocase("GET", 3) == hash_bytes("get", 3));
    /* Only ASCII letters fold: 0xC1 (low 7 bits 'A') and 0xE1 stay different, and so do
     * '@' / '`' and '[' / '{' next to the letter ranges. */
    CHECK(hash_bytes_nocase("\xc1", 1) != hash_bytes_nocase("\xe1", 1));
    CHECK(hash_bytes_nocase("@", 1) != hash_bytes_nocase("`", 1));
    CHECK(hash_bytes_nocase("[", 1) != hash_bytes_nocase("{", 1));
    CHECK(hash_bytes_nocase("12345678abcdefgh", 16) == hash_bytes("12345678abcdefgh", 16));
}

static void t_hash_distribution_and_speed(void) {
    enum { N = 200000, B = 1024 };
    static unsigned counts[B];
    memset(counts, 0, sizeof(counts));
    char key[32];
    for (int i = 0; i < N; i++) {
        int n = snprintf(key, sizeof(key), "key:%d", i);
        uint64_t h = hash_bytes(key, (size_t)n);
        counts[h & (B - 1)]++;
    }
    /* chi-square with 1023 degrees of freedom: mean 1023, sd ~45 */
    double expect = (double)N / B, chi = 0;
    for (int i = 0; i < B; i++) chi += (counts[i] - expect) * (counts[i] - expect) / expect;
    CHECK(chi < 1023 + 6 * 45);
    /* top byte too (the table's fingerprint) */
    memset(counts, 0, sizeof(counts));
    for (int i = 0; i < N; i++) {
        int n = snprintf(key, sizeof(key), "key:%d", i);
        counts[hash_bytes(key, (size_t)n) >> 56]++;
    }
    expect = (double)N / 256, chi = 0;
    for (int i = 0; i < 256; i++) chi += (counts[i] - expect) * (counts[i] - expect) / expect;
    CHECK(chi < 255 + 6 * 23);

    static const size_t lens[] = {10, 20, 40};
    char buf[64];
    memset(buf, 'k', sizeof(buf));
    for (size_t l = 0; l < 3; l++) {
        const int iters = 5000000;
        uint64_t acc = 0;
        double t0 = now_sec();
        for (int i = 0; i < iters; i++) {
            buf[0] = (char)i;
            acc += hash_bytes(buf, lens[l]);
        }
        double ns = (now_sec() - t0) * 1e9 / iters;
        printf("    hash_bytes %2zu bytes: %.1f ns (%llx)\n", lens[l], ns,
               (unsigned long long)(acc & 0xf));
    }
}

/* ---- glob ------------------------------------------------------------------------- */

static int gm(const char *pat, const char *str) {
    return glob_match(pat, strlen(pat), str, strlen(str), false);
}
static int gmi(const char *pat, const char *str) {
    return glob_match(pat, strlen(pat), str, strlen(str), true);
}

static void t_glob_basics(void) {
    CHECK(gm("", "") && !gm("", "a") && !gm("a", ""));
    CHECK(gm("abc", "abc") && !gm("abc", "abd") && !gm("abc", "ab") && !gm("ab", "abc"));
    CHECK(gm("*", "anything") && gm("a*", "a") && gm("a*", "abc") && !gm("a*", "ba"));
    CHECK(gm("*c", "abc") && gm("a*c", "ac") && gm("a*c", "abbbc") && !gm("a*c", "abcd"));
    CHECK(gm("a**b", "ab") && gm("a*b*c", "aXbYc") && !gm("a*b*c", "aXcYb"));
    CHECK(gm("h?llo", "hello") && gm("h?llo", "hallo") && !gm("h?llo", "hllo"));
    CHECK(gm("*?", "a") && !gm("?*?", "a") && gm("?*?", "ab"));
    CHECK(gm("h[ae]llo", "hello") && gm("h[ae]llo", "hallo") && !gm("h[ae]llo", "hillo"));
    CHECK(gm("h[^e]llo", "hallo") && !gm("h[^e]llo", "hello"));
    CHECK(gm("h[a-b]llo", "hbllo") && !gm("h[a-b]llo", "hcllo"));
    CHECK(gm("[z-a]", "m") && !gm("[z-a]", "A")); /* reversed range */
    CHECK(gm("\\*", "*") && !gm("\\*", "a") && gm("a\\?", "a?") && !gm("a\\?", "ab"));
    CHECK(gm("[\\]]", "]") && gm("[\\-]", "-") && !gm("[\\-]", "a"));
    /* NUL is an ordinary byte */
    CHECK(glob_match("a?c", 3, "a\0c", 3, false));
    CHECK(glob_match("a\0*", 3, "a\0xyz", 5, false) && !glob_match("a\0*", 3, "ab", 2, false));
    /* bytes >= 0x80 */
    CHECK(gm("[\x80-\xff]", "\xc3") && !gm("[\x80-\xff]", "a"));
}

static void t_glob_redis_edge_cases(void) {
    /* Each verified with KEYS on redis-server 7.0.15. */
    CHECK(!gm("[", "[") && !gm("[", "a"));     /* lone '[': empty open class */
    CHECK(gm("[^", "x") && gm("[^", "["));      /* open negated empty class: any byte */
    CHECK(!gm("[]", "]") && !gm("[]]", "]"));   /* ']' right after '[' closes it */
    CHECK(gm("[]]", "]]") == 0 && gm("[]a", "a") == 0);
    CHECK(gm("[^]", "x") && gm("[^]", "]"));
    CHECK(gm("[a-]", "]") && gm("[a-]", "_") && gm("[a-]", "a") && !gm("[a-]", "b") &&
          !gm("[a-]", "-"));                    /* range 'a'..']' and left open */
    CHECK(gm("[b", "b") && !gm("[b", "[b"));    /* open class ends with the pattern */
    CHECK(gm("[a-c", "b") && gm("ab[c", "abc"));
    CHECK(gm("\\", "\\") && !gm("a\\", "a") && gm("a\\", "a\\")); /* trailing lone '\' */
    CHECK(gm("[\\", "\\"));                     /* '\' as the class's last byte */
    CHECK(gm("[\\]", "]") && !gm("[\\]", "\\")); /* escaped ']' and left open */
    CHECK(gm("[a-c-e]", "-") && gm("[a-c-e]", "e") && gm("[a-c-e]", "b") && !gm("[a-c-e]", "d"));
    /* empty strings: Redis matches them only against the empty pattern */
    CHECK(!gm("*", "") && !gm("**", "") && gm("", ""));
    /* more than GLOB_MAX_STARS star groups followed by pattern never match */
    enum { L = 1100 };
    static char s[L + 1], pat[2 * 1002 + 1];
    memset(s, 'a', L);
    s[L] = '\0';
    for (int n = 999; n <= 1002; n++) {
        for (int i = 0; i < n; i++) memcpy(pat + 2 * i, "*a", 2);
        pat[2 * n] = '\0';
        CHECK_EQ_INT(gm(pat, s), n <= 1000);
        for (int i = 0; i < n; i++) memcpy(pat + 2 * i, "a*", 2);
        CHECK_EQ_INT(gm(pat, s), n <= 1001); /* the trailing run does not count */
    }
    /* stars that are escaped or inside a class do not count */
    static char esc[3 * 1100 + 1];
    for (int i = 0; i < 1100; i++) memcpy(esc + 3 * i, "\\*?", 3);
    esc[3 * 1100] = '\0';
    static char s2[2 * 1100 + 1];
    for (int i = 0; i < 1100; i++) memcpy(s2 + 2 * i, "*x", 2);
    s2[2 * 1100] = '\0';
    CHECK(gm(esc, s2));
}

static void t_glob_nocase(void) {
    CHECK(gmi("HeLLo", "hello") && gmi("hello", "HELLO") && !gm("HeLLo", "hello"));
    CHECK(gmi("[L-N]axmemory", "maxmemory") && gmi("[n-L]axmemory", "maxmemory"));
    CHECK(!gmi("[Z-a]axmemory", "maxmemory")); /* ordered first, lowercased after */
    CHECK(!gmi("[^M]axmemory", "maxmemory") && !gmi("[[-a]axmemory", "maxmemory"));
    CHECK(gmi("m[A-B]xmemory", "maxmemory") && !gmi("M[^A]xmemory", "maxmemory"));
    CHECK(gmi("\\A", "a") && gmi("[\\A]", "a") && gmi("?A*", "xay"));
    CHECK(!gmi("\xe1", "\xc1")); /* not ASCII: no folding */
}

static void t_glob_no_exponential_backtracking(void) {
    enum { N = 10000 };
    char *s = cn_malloc(N + 1);
    memset(s, 'a', N);
    s[N] = '\0';
    double t0 = now_sec();
    CHECK(!gm("a*a*a*a*a*a*a*a*a*b", s));
    CHECK(gm("a*a*a*a*a*a*a*a*a*a", s));
    CHECK(!gm("*a*a*a*a*a*a*a*a*a*[b-z]*", s));
    CHECK(!gm("*?*?*?*?*?*?*?*?*?*?*?*b", s));
    double ms = (now_sec() - t0) * 1e3;
    printf("    pathological globs on 10k bytes: %.2f ms\n", ms);
    CHECK(ms < 50);
    cn_free(s);
}

/* ---- num -------------------------------------------------------------------------- */

static int pll(const char *s, long long *v) { return num_parse_ll(s, strlen(s), v); }

static void t_num_parse_ll(void) {
    long long v = 42;
    CHECK(pll("0", &v) && v == 0);
    CHECK(pll("1", &v) && v == 1);
    CHECK(pll("-1", &v) && v == -1);
    CHECK(pll("9223372036854775807", &v) && v == LLONG_MAX);
    CHECK(pll("-9223372036854775808", &v) && v == LLONG_MIN);
    v = 42;
    static const char *bad[] = {"",     "-",     "-0",    "01",    "00",    "+1",
                                " 1",   "1 ",    "1a",    "a1",    "1.0",   "1e3",
                                "--1",  "0x10",  "9223372036854775808",
                                "-9223372036854775809", "18446744073709551616",
                                "99999999999999999999999", "-00"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (pll(bad[i], &v)) test_fail(__FILE__, __LINE__, "accepted \"%s\"", bad[i]);
    }
    CHECK(v == 42); /* untouched on failure */
    CHECK(!num_parse_ll("12\0" "3", 4, &v));
    CHECK(num_parse_ll("123", 2, &v) && v == 12); /* length, not NUL, ends it */
}

static void t_num_fmt_ll(void) {
    char buf[NUM_LL_MAX_CHARS];
    static const long long vals[] = {0, 1, -1, 9, 10, 99, 100, -100, 12345, 1000000007,
                                     LLONG_MAX, LLONG_MIN, LLONG_MIN + 1};
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        char want[32];
        snprintf(want, sizeof(want), "%lld", vals[i]);
        size_t n = num_fmt_ll(buf, vals[i]);
        CHECK_EQ_INT(n, strlen(want));
        CHECK_EQ_STR(buf, want);
    }
    /* round trip */
    srand(3);
    for (int i = 0; i < 100000; i++) {
        long long x = (long long)(((unsigned long long)rand() << 42) ^
                                  ((unsigned long long)rand() << 21) ^ (unsigned long long)rand());
        if (i & 1) x = -x;
        x >>= rand() % 63;
        long long y;
        size_t n = num_fmt_ll(buf, x);
        if (!num_parse_ll(buf, n, &y) || y != x) {
            CHECK(!"round trip");
            return;
        }
    }
}

static int pd(const char *s, double *v) { return num_parse_double(s, strlen(s), v); }

static void t_num_parse_double(void) {
    double v = 42;
    CHECK(pd("1.5", &v) && v == 1.5);
    CHECK(pd("1e10", &v) && v == 1e10);
    CHECK(pd("-3.0", &v) && v == -3.0);
    CHECK(pd(".5", &v) && v == 0.5);
    CHECK(pd("5.", &v) && v == 5.0);
    CHECK(pd("0x10", &v) && v == 16);
    CHECK(pd("inf", &v) && isinf(v) && v > 0);
    CHECK(pd("+inf", &v) && isinf(v) && v > 0);
    CHECK(pd("-inf", &v) && isinf(v) && v < 0);
    CHECK(pd("Infinity", &v) && isinf(v));
    CHECK(pd("-0", &v) && v == 0 && signbit(v));
    CHECK(pd("1e-310", &v) && v > 0); /* denormal: accepted */
    v = 42;
    static const char *bad[] = {"", "nan", "NaN", "-nan", " 1", "1 ", "\t1", "1e400",
                                "-1e400", "1e-400", "abc", "1.0x", "--1", "1,5"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (pd(bad[i], &v)) test_fail(__FILE__, __LINE__, "accepted \"%s\"", bad[i]);
    }
    CHECK(v == 42);
    CHECK(!num_parse_double("1\0" "2", 3, &v));
    CHECK(num_parse_double("1234", 2, &v) && v == 12);
    /* long inputs (Redis has no limit here) go through the heap path */
    size_t n = 70000;
    char *big = cn_malloc(n);
    big[0] = '1';
    big[1] = '.';
    memset(big + 2, '0', n - 3);
    big[n - 1] = '5';
    CHECK(num_parse_double(big, n, &v) && v == 1.0);
    big[n - 1] = 'x';
    CHECK(!num_parse_double(big, n, &v));
    cn_free(big);
}

static void t_num_parse_ld(void) {
    long double v = 42;
    CHECK(num_parse_ld("10.5", 4, &v) && v == 10.5L);
    CHECK(num_parse_ld("3.0e3", 5, &v) && v == 3000.0L);
    CHECK(num_parse_ld("1e4932", 6, &v) && !isinf(v)); /* fits a long double */
    CHECK(num_parse_ld("inf", 3, &v) && isinf(v));      /* as Redis string2ld */
    CHECK(num_parse_ld("-inf", 4, &v) && isinf(v) && v < 0);
    v = 42;
    CHECK(!num_parse_ld("nan", 3, &v));
    CHECK(!num_parse_ld("1e5000", 6, &v));  /* overflow */
    CHECK(!num_parse_ld("1e-5000", 7, &v)); /* underflow to 0 */
    CHECK(!num_parse_ld(" 1", 2, &v) && !num_parse_ld("1 ", 2, &v) && !num_parse_ld("", 0, &v));
    CHECK(v == 42);
    /* Redis: 5119 bytes accepted, 5120 refused */
    char *big = cn_malloc(NUM_LD_MAX_CHARS + 1);
    big[0] = '1';
    big[1] = '.';
    memset(big + 2, '0', NUM_LD_MAX_CHARS - 1);
    CHECK(num_parse_ld(big, NUM_LD_MAX_CHARS - 1, &v) && v == 1.0L);
    CHECK(!num_parse_ld(big, NUM_LD_MAX_CHARS, &v));
    cn_free(big);
}

static void t_num_fmt_ld(void) {
    /* Outputs of INCRBYFLOAT on redis-server 7.0.15. */
    static const struct {
        long double v;
        const char *want;
    } cases[] = {
        {10.5L, "10.5"},
        {5000.0L, "5000"},
        {3.0e3L, "3000"},
        {0.1L, "0.1"},
        {0, "0"},
        {-0.0L, "0"},
        {1e-20L, "0"},
        {-1e-20L, "0"},
        {123456789012345678.0L, "123456789012345678"},
        {1.5L, "1.5"},
        {6.0L, "6"},
        {-0.5L, "-0.5"},
        {1.0L + 1e-17L, "1.00000000000000001"},
        {1.0L + 1e-18L, "1"},
        {1.25L, "1.25"},
        {17.0L, "17"},
    };
    char buf[NUM_LD_MAX_CHARS];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = num_fmt_ld(buf, sizeof(buf), cases[i].v);
        CHECK_EQ_STR(buf, cases[i].want);
        CHECK_EQ_INT(n, strlen(cases[i].want));
    }
    /* 0.1 + 0.2 in long double, as INCRBYFLOAT computes it */
    long double a = 0, b = 0;
    CHECK(num_parse_ld("0.1", 3, &a) && num_parse_ld("0.2", 3, &b));
    num_fmt_ld(buf, sizeof(buf), a + b);
    CHECK_EQ_STR(buf, "0.3");
    /* huge values print every digit (Redis: 1 + 1.7976931348623157e308) */
    CHECK(num_parse_ld("1.7976931348623157e308", 22, &a));
    size_t n = num_fmt_ld(buf, sizeof(buf), a + 1);
    CHECK_EQ_INT(n, 309);
    CHECK(memcmp(buf, "1797693134862315699959210467741044340483864469443291784853144207651",
                 67) == 0);
    CHECK(num_parse_ld("1e4932", 6, &a));
    CHECK(num_fmt_ld(buf, sizeof(buf), a) > 4900);
    CHECK_EQ_INT(num_fmt_ld(buf, 3, 1234.0L), 0); /* does not fit */
    CHECK_EQ_INT(num_fmt_ld(buf, sizeof(buf), (long double)INFINITY), 3);
    CHECK_EQ_STR(buf, "inf");
    num_fmt_ld(buf, sizeof(buf), -(long double)INFINITY);
    CHECK_EQ_STR(buf, "-inf");
}

static void t_num_fmt_double(void) {
    /* ZSCORE replies on redis-server 7.0.15 after ZADD of the literal. */
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"1.1", "1.1000000000000001"},
        {"-0", "0"},
        {"0.1", "0.10000000000000001"},
        {"1e17", "1e+17"},
        {"123456789012345678", "1.2345678901234568e+17"},
        {"1.5e-7", "1.4999999999999999e-07"},
        {"100", "100"},
        {"-3.0", "-3"},
        {"2.5e15", "2500000000000000"},
        {"1e16", "10000000000000000"},
        {"9007199254740993", "9007199254740992"},
        {"12345678901234567890", "1.2345678901234567e+19"},
        {"1e300", "1.0000000000000001e+300"},
        {"0.000001", "9.9999999999999995e-07"},
        {"3.14159", "3.1415899999999999"},
        {"1e-310", "9.9999999999999694e-311"},
        {"inf", "inf"},
        {"-inf", "-inf"},
    };
    char buf[NUM_DOUBLE_MAX_CHARS];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double d;
        CHECK(pd(cases[i].in, &d));
        size_t n = num_fmt_double(buf, sizeof(buf), d);
        CHECK_EQ_STR(buf, cases[i].want);
        CHECK_EQ_INT(n, strlen(cases[i].want));
    }
    CHECK_EQ_INT(num_fmt_double(buf, 4, 1.1), 0);
    CHECK(num_fmt_double(buf, sizeof(buf), -1.2345678901234567e-300) < sizeof(buf));
}

static void t_num_parse_memory(void) {
    /* CONFIG SET maxmemory on redis-server 7.0.15 */
    static const struct {
        const char *in;
        long long want;
    } ok[] = {
        {"1K", 1000},         {"1Kb", 1024},      {"1B", 1},
        {"1b", 1},            {"01mb", 1048576},  {"0", 0},
        {"00", 0},            {"1", 1},           {"1gB", 1073741824},
        {"3G", 3000000000LL}, {"", 0},            {"mb", 0},
        {"10MB", 10485760},   {"1m", 1000000},    {"4294967296kb", 4398046511104LL},
        {"9223372036854775807", LLONG_MAX},       {"9223372036854775807b", LLONG_MAX},
        {"8589934591gb", 9223372035781033984LL},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        long long v = -7;
        if (!num_parse_memory(ok[i].in, &v) || v != ok[i].want)
            test_fail(__FILE__, __LINE__, "\"%s\" -> %lld, expected %lld", ok[i].in, v,
                      ok[i].want);
    }
    static const char *bad[] = {" 1", "1 ", "1tb", "+1", "-1", "-1kb", "1kbb", "k1", "1.5mb",
                                "9223372036854775808", "8589934592gb", "1 mb"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        long long v = -7;
        if (num_parse_memory(bad[i], &v) || v != -7)
            test_fail(__FILE__, __LINE__, "accepted \"%s\"", bad[i]);
    }
}

static size_t mem_at_start;

static void t_memory_back_to_zero(void) { CHECK_EQ_INT(cn_used_memory(), mem_at_start); }

int main(void) {
    mem_at_start = cn_used_memory();
    test_run("siphash reference vectors", t_siphash_reference_vectors);
    test_run("hash seed and determinism", t_hash_seed_and_determinism);
    test_run("hash nocase", t_hash_nocase);
    test_run("hash distribution and speed", t_hash_distribution_and_speed);
    test_run("glob basics", t_glob_basics);
    test_run("glob redis edge cases", t_glob_redis_edge_cases);
    test_run("glob nocase", t_glob_nocase);
    test_run("glob no exponential backtracking", t_glob_no_exponential_backtracking);
    test_run("num parse ll", t_num_parse_ll);
    test_run("num fmt ll", t_num_fmt_ll);
    test_run("num parse double", t_num_parse_double);
    test_run("num parse ld", t_num_parse_ld);
    test_run("num fmt ld", t_num_fmt_ld);
    test_run("num fmt double", t_num_fmt_double);
    test_run("num parse memory", t_num_parse_memory);
    test_run("memory back to zero", t_memory_back_to_zero);
    return test_summary("utils");
}
