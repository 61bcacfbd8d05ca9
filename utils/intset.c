/* utils/intset.c: see intset.h for the contract and the byte format.
 *
 * Every access goes through memcpy and the le*toh/htole* conversions, so the
 * block is the same bytes on any host and nothing is read unaligned. The hot
 * loops (binary search, upgrade) are written once over a width argument and
 * instantiated per width through a switch on a constant, so each copy reads its
 * elements with a fixed-size load.
 */
#include "utils/intset.h"

#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "utils/alloc.h"

struct intset {
    unsigned char hdr[INTSET_HDR]; /* width (u32 LE), len (u32 LE) */
    unsigned char data[];
};

_Static_assert(sizeof(struct intset) == INTSET_HDR, "the header is the struct");

/* ---- the header and the elements --------------------------------------------------- */

static inline uint32_t rd32(const unsigned char *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return le32toh(v);
}

static inline void wr32(unsigned char *p, uint32_t v) {
    v = htole32(v);
    memcpy(p, &v, 4);
}

static inline unsigned get_width(const intset *is) { return rd32(is->hdr); }
static inline void set_width(intset *is, unsigned w) { wr32(is->hdr, w); }
static inline uint32_t get_len(const intset *is) { return rd32(is->hdr + 4); }
static inline void set_len(intset *is, uint32_t n) { wr32(is->hdr + 4, n); }

/* Element i of an array of w-byte elements. Inlined with a constant w, it is one
 * load. */
static inline __attribute__((always_inline)) int64_t elem(const unsigned char *data, unsigned w,
                                                           size_t i) {
    const unsigned char *p = data + i * w;
    if (w == 2) {
        uint16_t v;
        memcpy(&v, p, 2);
        return (int16_t)le16toh(v);
    }
    if (w == 4) {
        uint32_t v;
        memcpy(&v, p, 4);
        return (int32_t)le32toh(v);
    }
    uint64_t v;
    memcpy(&v, p, 8);
    return (int64_t)le64toh(v);
}

static inline __attribute__((always_inline)) void put(unsigned char *data, unsigned w, size_t i,
                                                      int64_t x) {
    unsigned char *p = data + i * w;
    if (w == 2) {
        uint16_t v = htole16((uint16_t)x);
        memcpy(p, &v, 2);
    } else if (w == 4) {
        uint32_t v = htole32((uint32_t)x);
        memcpy(p, &v, 4);
    } else {
        uint64_t v = htole64((uint64_t)x);
        memcpy(p, &v, 8);
    }
}

static int64_t elem_any(const intset *is, size_t i) {
    switch (get_width(is)) {
    case 2: return elem(is->data, 2, i);
    case 4: return elem(is->data, 4, i);
    default: return elem(is->data, 8, i);
    }
}

/* The smallest width that holds v. */
static inline unsigned width_for(int64_t v) {
    if (v >= INT16_MIN && v <= INT16_MAX) return 2;
    if (v >= INT32_MIN && v <= INT32_MAX) return 4;
    return 8;
}

/* Binary search over len elements of width w: true with *pos = v's index if
 * present, else false with *pos = where v would go. The ends are checked first:
 * adding in ascending or descending order (common) costs O(1) to place. */
static inline __attribute__((always_inline)) bool search_w(const unsigned char *data, unsigned w,
                                                           uint32_t len, int64_t v,
                                                           uint32_t *pos) {
    if (len == 0 || v < elem(data, w, 0)) {
        *pos = 0;
        return false;
    }
    if (v > elem(data, w, len - 1)) {
        *pos = len;
        return false;
    }
    uint32_t lo = 0, hi = len; /* v, if present, is in [lo, hi) */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int64_t x = elem(data, w, mid);
        if (x < v) lo = mid + 1;
        else if (x > v) hi = mid;
        else {
            *pos = mid;
            return true;
        }
    }
    *pos = lo;
    return false;
}

static bool search(const intset *is, int64_t v, uint32_t *pos) {
    uint32_t len = get_len(is);
    switch (get_width(is)) {
    case 2: return search_w(is->data, 2, len, v, pos);
    case 4: return search_w(is->data, 4, len, v, pos);
    default: return search_w(is->data, 8, len, v, pos);
    }
}

/* Resizes the block to hold len elements of width w: grows only when the
 * allocation is too small, shrinks only when a smaller size class fits. */
static intset *resize(intset *is, uint32_t len, unsigned w) {
    size_t need = INTSET_HDR + (size_t)len * w;
    size_t have = cn_alloc_size(is);
    if (need > have || cn_good_size(need) < have) is = cn_realloc(is, need);
    return is;
}

/* ---- the API ------------------------------------------------------------------------ */

intset *intset_new(void) {
    intset *is = cn_malloc(INTSET_HDR);
    set_width(is, 2);
    set_len(is, 0);
    return is;
}

void intset_free(intset *is) { cn_free(is); }

intset *intset_dup(const intset *is) {
    size_t n = intset_used(is);
    intset *d = cn_malloc(n);
    memcpy(d, is, n);
    return d;
}

uint32_t intset_len(const intset *is) { return get_len(is); }
unsigned intset_width(const intset *is) { return get_width(is); }
size_t intset_bytes(const intset *is) { return cn_alloc_size(is); }
size_t intset_used(const intset *is) { return INTSET_HDR + (size_t)get_len(is) * get_width(is); }

/* Rewrites every element of a block holding len w-byte elements (already
 * resized for len + 1 elements of width nw) at width nw, leaving a hole at index
 * 0 (front) or len. Walks from the back: element i moves to a position at or past
 * its old bytes, so nothing is overwritten before it is read. */
static inline __attribute__((always_inline)) void upgrade_w(unsigned char *data, unsigned w,
                                                            unsigned nw, uint32_t len,
                                                            bool front) {
    for (size_t i = len; i-- > 0;) put(data, nw, i + front, elem(data, w, i));
}

intset *intset_add(intset *is, int64_t v, bool *added) {
    unsigned w = get_width(is), nw = width_for(v);
    uint32_t len = get_len(is);
    if (nw > w) {
        /* v is outside the range of every element: it goes at one end. */
        if (len >= INTSET_MAX_LEN) abort(); /* the caller's limit was not applied */
        bool front = v < 0;
        is = resize(is, len + 1, nw);
        if (w == 2 && nw == 4) upgrade_w(is->data, 2, 4, len, front);
        else if (w == 2) upgrade_w(is->data, 2, 8, len, front);
        else upgrade_w(is->data, 4, 8, len, front);
        put(is->data, nw, front ? 0 : len, v);
        set_width(is, nw);
        set_len(is, len + 1);
        *added = true;
        return is;
    }
    uint32_t pos;
    if (search(is, v, &pos)) {
        *added = false;
        return is;
    }
    if (len >= INTSET_MAX_LEN) abort();
    is = resize(is, len + 1, w);
    memmove(is->data + ((size_t)pos + 1) * w, is->data + (size_t)pos * w, (size_t)(len - pos) * w);
    put(is->data, w, pos, v);
    set_len(is, len + 1);
    *added = true;
    return is;
}

intset *intset_remove_at(intset *is, uint32_t i) {
    unsigned w = get_width(is);
    uint32_t len = get_len(is);
    memmove(is->data + (size_t)i * w, is->data + ((size_t)i + 1) * w, (size_t)(len - i - 1) * w);
    set_len(is, len - 1);
    return resize(is, len - 1, w);
}

intset *intset_remove(intset *is, int64_t v, bool *removed) {
    uint32_t pos = 0;
    /* A value wider than the elements cannot be one of them. */
    *removed = width_for(v) <= get_width(is) && search(is, v, &pos);
    return *removed ? intset_remove_at(is, pos) : is;
}

bool intset_find(const intset *is, int64_t v) {
    uint32_t pos = 0;
    return width_for(v) <= get_width(is) && search(is, v, &pos);
}

int64_t intset_get(const intset *is, uint32_t i) { return elem_any(is, i); }

uint32_t intset_random_index(const intset *is, uint64_t *state) {
    uint64_t x = *state ? *state : 0x9E3779B97F4A7C15ull; /* xorshift64* never leaves 0 */
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    uint64_t r = (x * 0x2545F4914F6CDD1Dull) >> 32; /* the high, best-mixed 32 bits */
    return (uint32_t)((r * get_len(is)) >> 32);     /* len <= 2^30: no overflow */
}

int64_t intset_random(const intset *is, uint64_t *state) {
    return elem_any(is, intset_random_index(is, state));
}

/* ---- loading ------------------------------------------------------------------------ */

static inline __attribute__((always_inline)) bool ascending_w(const unsigned char *data,
                                                              unsigned w, uint32_t len) {
    for (size_t i = 1; i < len; i++)
        if (elem(data, w, i - 1) >= elem(data, w, i)) return false;
    return true;
}

bool intset_validate(const void *buf, size_t size) {
    const unsigned char *b = buf;
    if (!b || size < INTSET_HDR) return false;
    uint32_t w = rd32(b), len = rd32(b + 4);
    if (w != 2 && w != 4 && w != 8) return false;
    if (len > INTSET_MAX_LEN) return false;
    size_t body = size - INTSET_HDR;
    if (body % w != 0 || body / w != len) return false;
    const unsigned char *data = b + INTSET_HDR;
    switch (w) {
    case 2: return ascending_w(data, 2, len);
    case 4: return ascending_w(data, 4, len);
    default: return ascending_w(data, 8, len);
    }
}

intset *intset_from_bytes(const void *buf, size_t size) {
    if (!intset_validate(buf, size)) return NULL;
    intset *is = cn_malloc(size);
    memcpy(is, buf, size);
    return is;
}
