/* tests/unit/test_histogram.c: the log-linear histogram (utils/histogram.h): the
 * bucket layout (exact below 256, 128 buckets per power of two above, contiguous,
 * HdrHistogram's boundaries at the points Redis's replies show), percentiles and
 * cumulative counts against a sorted model, clamping, and lazy rows. Every test
 * leaves tracked memory where it found it. */
#include <stdint.h>
#include <stdlib.h>

#include "tests/test.h"
#include "utils/alloc.h"
#include "utils/histogram.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void) { /* xorshift64*, fixed seed: runs are repeatable */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

/* A latency-like value: any magnitude from 0 to past the maximum. */
static uint64_t rand_value(void) {
    unsigned bits = (unsigned)(rnd() % 33);
    return bits ? rnd() >> (64 - bits) : 0;
}

static void run(const char *name, void (*fn)(void)) { test_run_tracked(name, fn, cn_used_memory); }

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* ---- layout ------------------------------------------------------------------------ */

static void t_layout(void) {
    /* Exact below 256. */
    for (uint64_t v = 0; v < 256; v++) {
        CHECK_EQ_INT(hist_lowest_equivalent(v), v);
        CHECK_EQ_INT(hist_highest_equivalent(v), v);
    }
    /* Buckets are contiguous and never wider than 1/128 of their values. */
    uint64_t v = 0;
    while (v <= HIST_MAX_VALUE) {
        uint64_t lo = hist_lowest_equivalent(v), hi = hist_highest_equivalent(v);
        if (lo != v || hi < lo) {
            test_fail(__FILE__, __LINE__, "bucket of %llu is [%llu, %llu]", (unsigned long long)v,
                      (unsigned long long)lo, (unsigned long long)hi);
            break;
        }
        if (v >= 256 && (hi - lo + 1) * 128 > lo) {
            test_fail(__FILE__, __LINE__, "bucket [%llu, %llu] too wide", (unsigned long long)lo,
                      (unsigned long long)hi);
            break;
        }
        CHECK_EQ_INT(hist_lowest_equivalent(hi), lo);
        v = hi + 1;
    }
    CHECK_EQ_INT(v, HIST_MAX_VALUE + 1); /* the last bucket ends at the maximum */
    /* HdrHistogram's boundaries (1 ns .. 1 s, 2 significant digits), as Redis's LATENCY
     * HISTOGRAM keys and INFO latencystats values show them. */
    CHECK_EQ_INT(hist_highest_equivalent(2000), 2007);
    CHECK_EQ_INT(hist_highest_equivalent(1024), 1031);
    CHECK_EQ_INT(hist_highest_equivalent(32768), 33023);
    CHECK_EQ_INT(hist_highest_equivalent(1 << 28), 270532607);
    CHECK_EQ_INT(hist_highest_equivalent(1000000000), 1002438655);
    CHECK_EQ_INT(hist_lowest_equivalent(1000000000), 998244352);
    CHECK_EQ_INT(hist_highest_equivalent(200278000), 200278015);
    /* Past the maximum: the last bucket. */
    CHECK_EQ_INT(hist_highest_equivalent(UINT64_MAX), HIST_MAX_VALUE);
    CHECK_EQ_INT(hist_lowest_equivalent(5000000000ull), hist_lowest_equivalent(HIST_MAX_VALUE));
}

/* ---- recording and queries ---------------------------------------------------------- */

static void t_empty_and_one(void) {
    hist *h = hist_create();
    CHECK_EQ_INT(hist_total(h), 0);
    CHECK_EQ_INT(hist_value_at_percentile(h, 50), 0);
    CHECK_EQ_INT(hist_count_upto(h, HIST_MAX_VALUE), 0);
    hist_record(h, 2000);
    CHECK_EQ_INT(hist_total(h), 1);
    CHECK_EQ_INT(hist_value_at_percentile(h, 0), 2000);
    CHECK_EQ_INT(hist_value_at_percentile(h, 0.0001), 2007);
    CHECK_EQ_INT(hist_value_at_percentile(h, 50), 2007);
    CHECK_EQ_INT(hist_value_at_percentile(h, 100), 2007);
    CHECK_EQ_INT(hist_value_at_percentile(h, 250), 2007); /* clamped to 100 */
    CHECK_EQ_INT(hist_value_at_percentile(h, -3), 2000);  /* clamped to 0 */
    CHECK_EQ_INT(hist_count_upto(h, 1999), 0);
    CHECK_EQ_INT(hist_count_upto(h, 2000), 1);
    CHECK_EQ_INT(hist_count_upto(h, 2007), 1);
    hist_destroy(h);
    hist_destroy(NULL);
}

static void t_clamp(void) {
    hist *h = hist_create();
    hist_record(h, 5000000000ull);
    hist_record(h, UINT64_MAX);
    CHECK_EQ_INT(hist_total(h), 2);
    CHECK_EQ_INT(hist_value_at_percentile(h, 100), HIST_MAX_VALUE);
    CHECK_EQ_INT(hist_count_upto(h, HIST_MAX_VALUE - 1), 2); /* same bucket */
    hist_destroy(h);
}

/* Percentiles and cumulative counts against the sorted values. */
static void t_model(void) {
    enum { N = 20000 };
    uint64_t *vals = cn_malloc(N * sizeof(uint64_t));
    for (int round = 0; round < 4; round++) {
        hist *h = hist_create();
        size_t n = round == 0 ? 1 : round == 1 ? 7 : round == 2 ? 1000 : N;
        for (size_t i = 0; i < n; i++) {
            uint64_t v = round == 2 ? 1000 * (1 + rnd() % 300) : rand_value(); /* us multiples */
            vals[i] = v > HIST_MAX_VALUE ? HIST_MAX_VALUE : v;
            hist_record(h, v);
        }
        qsort(vals, n, sizeof(uint64_t), cmp_u64);
        CHECK_EQ_INT(hist_total(h), n);
        static const double ps[] = {0, 0.1, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100};
        for (size_t k = 0; k < sizeof(ps) / sizeof(ps[0]); k++) {
            uint64_t want = (uint64_t)(ps[k] / 100 * (double)n + 0.5);
            if (want < 1) want = 1;
            uint64_t v = vals[want - 1];
            uint64_t exp = ps[k] == 0 ? hist_lowest_equivalent(v) : hist_highest_equivalent(v);
            CHECK_EQ_INT(hist_value_at_percentile(h, ps[k]), exp);
        }
        /* Percentiles never decrease. */
        uint64_t prev = 0;
        for (double p = 0; p <= 100; p += 0.5) {
            uint64_t x = hist_value_at_percentile(h, p);
            CHECK(x >= prev);
            prev = x;
        }
        for (int k = 0; k < 50; k++) {
            uint64_t q = k == 0 ? 0 : rand_value();
            uint64_t hi = hist_highest_equivalent(q), count = 0;
            for (size_t i = 0; i < n; i++) count += vals[i] <= hi;
            CHECK_EQ_INT(hist_count_upto(h, q), count);
        }
        CHECK_EQ_INT(hist_count_upto(h, HIST_MAX_VALUE), n);
        hist_destroy(h);
    }
    cn_free(vals);
}

/* Rows are allocated only where values fall. */
static void t_lazy_rows(void) {
    size_t before = cn_used_memory();
    hist *h = hist_create();
    size_t empty = hist_mem_usage(h);
    CHECK_EQ_INT(cn_used_memory() - before, empty);
    CHECK(empty < 512);
    hist_record(h, 2100); /* [2048, 4096): one row */
    hist_record(h, 4000);
    size_t one_row = hist_mem_usage(h);
    CHECK_RANGE(one_row - empty, HIST_SUB_COUNT * 8, HIST_SUB_COUNT * 8 + 64);
    for (int i = 0; i < 1000; i++) hist_record(h, 2100 + (uint64_t)i); /* same row */
    CHECK_EQ_INT(hist_mem_usage(h), one_row);
    hist_record(h, 50000000); /* a 50 ms sample: one more row */
    CHECK_RANGE(hist_mem_usage(h) - one_row, HIST_SUB_COUNT * 8, HIST_SUB_COUNT * 8 + 64);
    CHECK_EQ_INT(cn_used_memory() - before, hist_mem_usage(h));
    for (uint64_t v = 1; v <= HIST_MAX_VALUE; v <<= 1) hist_record(h, v); /* every row */
    CHECK(hist_mem_usage(h) < 26 * 1024);
    hist_destroy(h);
}

int main(void) {
    run("layout and HdrHistogram boundaries", t_layout);
    run("empty and one value", t_empty_and_one);
    run("values past the maximum", t_clamp);
    run("percentiles and counts against a model", t_model);
    run("rows allocated on first use", t_lazy_rows);
    return test_summary("histogram");
}
