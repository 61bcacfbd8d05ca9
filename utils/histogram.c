/* utils/histogram.c: see histogram.h. */
#include "utils/histogram.h"

#include "utils/alloc.h"

_Static_assert(HIST_MAX_VALUE >> (HIST_ROWS + HIST_SUB_BITS - 2) == 1,
               "the last row ends at HIST_MAX_VALUE");

/* The row and counter of v (already clamped); hist_record() inlines the same. */
static inline void locate(uint64_t v, unsigned *row, unsigned *sub) {
    if (v < HIST_SUB_COUNT) {
        *row = 0;
        *sub = (unsigned)v;
        return;
    }
    unsigned m = 63u - (unsigned)__builtin_clzll(v); /* v in [2^m, 2^(m+1)), m >= 7 */
    *row = m - (HIST_SUB_BITS - 1);
    *sub = (unsigned)(v >> (m - HIST_SUB_BITS)) - HIST_SUB_COUNT;
}

static inline uint64_t bucket_lowest(unsigned row, unsigned sub) {
    if (row == 0) return sub;
    return (uint64_t)(HIST_SUB_COUNT + sub) << (row - 1);
}

static inline uint64_t bucket_width(unsigned row) {
    return row <= 1 ? 1 : UINT64_C(1) << (row - 1);
}

static inline uint64_t clamp(uint64_t v) { return v > HIST_MAX_VALUE ? HIST_MAX_VALUE : v; }

hist *hist_create(void) { return cn_calloc(1, sizeof(hist)); }

void hist_destroy(hist *h) {
    if (!h) return;
    for (unsigned r = 0; r < HIST_ROWS; r++) cn_free(h->rows[r]);
    cn_free(h);
}

void hist_record_new_row(hist *h, uint64_t v) {
    unsigned row, sub;
    locate(clamp(v), &row, &sub);
    if (!h->rows[row]) h->rows[row] = cn_calloc(HIST_SUB_COUNT, sizeof(uint64_t));
    h->rows[row][sub]++;
    h->total++;
}

uint64_t hist_lowest_equivalent(uint64_t v) {
    unsigned row, sub;
    locate(clamp(v), &row, &sub);
    return bucket_lowest(row, sub);
}

uint64_t hist_highest_equivalent(uint64_t v) {
    unsigned row, sub;
    locate(clamp(v), &row, &sub);
    return bucket_lowest(row, sub) + bucket_width(row) - 1;
}

uint64_t hist_value_at_percentile(const hist *h, double p) {
    if (h->total == 0) return 0;
    if (!(p > 0)) p = 0; /* NaN too */
    if (p > 100) p = 100;
    uint64_t want = (uint64_t)(p / 100 * (double)h->total + 0.5);
    if (want < 1) want = 1;
    uint64_t seen = 0;
    for (unsigned r = 0; r < HIST_ROWS; r++) {
        if (!h->rows[r]) continue;
        for (unsigned s = 0; s < HIST_SUB_COUNT; s++) {
            seen += h->rows[r][s];
            if (seen >= want) {
                uint64_t lo = bucket_lowest(r, s);
                return p == 0 ? lo : lo + bucket_width(r) - 1;
            }
        }
    }
    return HIST_MAX_VALUE; /* not reached: the rows add up to total */
}

uint64_t hist_count_upto(const hist *h, uint64_t v) {
    unsigned row, sub;
    locate(clamp(v), &row, &sub);
    uint64_t n = 0;
    for (unsigned r = 0; r <= row; r++) {
        if (!h->rows[r]) continue;
        unsigned last = r == row ? sub : HIST_SUB_COUNT - 1;
        for (unsigned s = 0; s <= last; s++) n += h->rows[r][s];
    }
    return n;
}

size_t hist_mem_usage(const hist *h) {
    size_t n = cn_alloc_size(h);
    for (unsigned r = 0; r < HIST_ROWS; r++)
        if (h->rows[r]) n += cn_alloc_size(h->rows[r]);
    return n;
}
