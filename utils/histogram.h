/* utils/histogram.h: a compact log-linear histogram of non-negative integers.
 *
 * What it is for: per-command latency distributions (INFO latencystats, LATENCY
 * HISTOGRAM), recorded in nanoseconds. Redis keeps these in an HdrHistogram with two
 * significant digits; this one has the same bucket layout, so the same samples give
 * the same percentiles, and it only allocates the parts of the range that are used.
 *
 * Layout. Values below 2 * HIST_SUB_COUNT (256) are counted exactly. Above that, each
 * power of two [2^m, 2^(m+1)) is cut into HIST_SUB_COUNT (128) equal buckets of width
 * 2^(m-7), so a bucket is never wider than 1/128 of its values (relative error below
 * 0.8%). The counters live in HIST_ROWS rows of HIST_SUB_COUNT counters:
 *     row 0:      values [0, 128)           width 1
 *     row r >= 1: values [2^(r+6), 2^(r+7))  width 2^(r-1)   (row 1 is [128, 256), width 1)
 * A row is allocated (1 KB) the first time a value falls into it, so a histogram whose
 * values span a few powers of two costs a few KB; the largest is about 24 KB. Values
 * above HIST_MAX_VALUE are recorded as HIST_MAX_VALUE.
 *
 * Terms. A value's bucket has a lowest and a highest "equivalent value": the first and
 * last value that land in the same counter. Percentiles are reported as highest
 * equivalent values (HdrHistogram's convention), percentile 0 as the lowest.
 *
 * Ownership: hist_create() allocates (utils/alloc.h, counted in used memory);
 * hist_destroy() frees and accepts NULL. Never does I/O, never logs, no globals.
 *
 *   hist *h = hist_create();
 *   hist_record(h, 2000);                              // a 2 us command, in ns
 *   uint64_t p99 = hist_value_at_percentile(h, 99.0);  // 2007
 *   hist_destroy(h);
 */
#ifndef CAIRN_UTILS_HISTOGRAM_H
#define CAIRN_UTILS_HISTOGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HIST_SUB_BITS 7
#define HIST_SUB_COUNT (1 << HIST_SUB_BITS) /* buckets per power of two */
#define HIST_ROWS 24                        /* row 23 ends at 2^30 */
#define HIST_MAX_VALUE ((UINT64_C(1) << 30) - 1)

typedef struct hist {
    uint64_t total;                 /* values recorded */
    uint64_t *rows[HIST_ROWS];      /* HIST_SUB_COUNT counters each, NULL until used */
} hist;

/* An empty histogram (no rows allocated yet). */
hist *hist_create(void);
void hist_destroy(hist *h);

/* Counts one value (clamped to HIST_MAX_VALUE). May allocate a row. Inline: it runs
 * once per command. */
static inline void hist_record(hist *h, uint64_t v);

static inline uint64_t hist_total(const hist *h) { return h->total; }

/* The highest equivalent value of the bucket where the running count first reaches
 * round(p / 100 * total) (at least 1); p is clamped to [0, 100]. p == 0 gives the
 * lowest equivalent value of the smallest value recorded. 0 if h is empty. */
uint64_t hist_value_at_percentile(const hist *h, double p);

/* How many recorded values are in v's bucket or below: all values up to
 * hist_highest_equivalent(v). */
uint64_t hist_count_upto(const hist *h, uint64_t v);

/* The first and last value of v's bucket (v clamped to HIST_MAX_VALUE). */
uint64_t hist_lowest_equivalent(uint64_t v);
uint64_t hist_highest_equivalent(uint64_t v);

/* Bytes allocated for h (its struct and rows). */
size_t hist_mem_usage(const hist *h);

/* hist_record() without allocating, for a caller that keeps the allocation off its
 * hot path: false (nothing counted) when v's row does not exist yet. */
static inline bool hist_try_record(hist *h, uint64_t v) {
    unsigned row, sub;
    if (v > HIST_MAX_VALUE) v = HIST_MAX_VALUE;
    if (v < HIST_SUB_COUNT) {
        row = 0;
        sub = (unsigned)v;
    } else {
        unsigned m = 63u - (unsigned)__builtin_clzll(v); /* v in [2^m, 2^(m+1)), m >= 7 */
        row = m - (HIST_SUB_BITS - 1);
        sub = (unsigned)(v >> (m - HIST_SUB_BITS)) - HIST_SUB_COUNT;
    }
    uint64_t *counters = h->rows[row];
    if (__builtin_expect(counters == NULL, 0)) return false;
    counters[sub]++;
    h->total++;
    return true;
}

/* hist_record()'s slow path: allocates v's row, then counts v. */
void hist_record_new_row(hist *h, uint64_t v);

static inline void hist_record(hist *h, uint64_t v) {
    if (!hist_try_record(h, v)) hist_record_new_row(h, v);
}

#endif
