/* utils/listpack.c: see listpack.h for the contract. The byte format (stable: a
 * snapshot stores blocks as they are); every multi-byte number is little-endian.
 *
 * Block:
 *     [total: u32][count: u16][entry]...[0xFF]
 *     total  bytes of the whole encoding, header and end marker included
 *     count  entries, or 0xFFFF when there are 65535 or more (then walk to count)
 *
 * Entry:
 *     [head][data][back]
 * `head` says what the entry holds and how long data is; `back` holds the length
 * of head + data so that the entry can be found from the one after it.
 *
 * Head, by its first byte b:
 *     0x00..0x3F  string of b bytes (0..63)                       head 1 byte
 *     0x40..0xBF  the integer b - 0x40 (0..127), no data          head 1 byte
 *     0xC0..0xDF  13-bit two's-complement integer (-4096..4095):  head 2 bytes
 *                 bits 12..8 in b & 0x1F, bits 7..0 in the next byte; no data
 *     0xE0..0xEF  string of ((b & 0x0F) << 8 | next byte) bytes   head 2 bytes
 *                 (64..4095)
 *     0xF0..0xF6  integer in n = b - 0xEE data bytes (2..8),       head 1 byte
 *                 two's complement
 *     0xF7        string, length in the next 4 bytes (4096..)      head 5 bytes
 *     0xF8..0xFE  never used
 *     0xFF        the end marker (never the first byte of an entry)
 * Strings that num_parse_ll accepts are stored as integers, and every value
 * takes its smallest form, so each value has exactly one encoding: a string
 * entry never equals an integer needle, which lets lp_find skip the other kind
 * without looking. lp_validate insists on this.
 *
 * Back, for L = size of head + data, written left to right, read from its last
 * byte (the byte just before the next entry) towards the left:
 *     L < 2^7     [L]                                   1 byte
 *     L < 2^14    [L & 0xFF][0x80 | L >> 8]             2 bytes
 *     L < 2^24    [L as 3 bytes][0xC3]                  4 bytes
 *     otherwise   [L as 4 bytes][0xC4]                  5 bytes
 * The last byte's top bits say the form: 0x (the length itself), 10 (6 high bits
 * and one byte to the left), 11 (the count of length bytes to the left).
 *
 * Memory: the allocation is jemalloc's size class of `total` or bigger. Growing
 * reallocates only when the class is full; shrinking reallocates when a smaller
 * class fits, so lp_bytes() stays what the data needs.
 */
#include "utils/listpack.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "utils/alloc.h"
#include "utils/num.h"

#define LP_HDR           6             /* total (4) + count (2) */
#define LP_EMPTY         (LP_HDR + 1)  /* an empty block: header and end marker */
#define LP_END           0xFF          /* the end marker */
#define LP_COUNT_UNKNOWN 0xFFFFu       /* stored count meaning ">= 65535, walk to know" */
#define LP_MAX_BYTES     0xFFFFFFFFull /* a block's limit (total is a u32) */
#define LP_MAX_INT_CHARS 20            /* the longest text num_parse_ll can accept */

/* First bytes of the head. */
#define H_STR6      0x00 /* .. 0x3F */
#define H_UINT7     0x40 /* .. 0xBF */
#define H_INT13     0xC0 /* .. 0xDF */
#define H_STR12     0xE0 /* .. 0xEF */
#define H_INTN      0xF0 /* .. 0xF6: 2 + (b - H_INTN) data bytes */
#define H_STR32     0xF7
#define H_INTN_BASE 0xEE /* n = b - H_INTN_BASE */

#define STR6_MAX  63
#define STR12_MAX 4095
#define UINT7_MAX 127
#define INT13_MIN (-4096)
#define INT13_MAX 4095

static_assert(LP_INTBUF >= NUM_LL_MAX_CHARS, "lp_get_str's buffer holds any long long");

/* ---- little-endian numbers and the header ------------------------------------------ */

static inline uint64_t rd_le(const unsigned char *p, size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static inline void wr_le(unsigned char *p, uint64_t v, size_t n) {
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static inline size_t get_total(const unsigned char *l) { return (size_t)rd_le(l, 4); }
static inline void set_total(unsigned char *l, size_t v) { wr_le(l, v, 4); }
static inline unsigned get_count_field(const unsigned char *l) { return (unsigned)rd_le(l + 4, 2); }
static inline void set_count_field(unsigned char *l, uint64_t n) {
    wr_le(l + 4, n >= LP_COUNT_UNKNOWN ? LP_COUNT_UNKNOWN : n, 2);
}

/* ---- entries --------------------------------------------------------------------- */

static inline bool head_is_str(unsigned b) {
    return b <= STR6_MAX || (b >= H_STR12 && b < H_INTN) || b == H_STR32;
}

/* Size of head + data of the entry at p (a well-formed entry). */
static inline size_t head_data_len(const unsigned char *p) {
    unsigned b = p[0];
    if (b <= STR6_MAX) return 1 + b;
    if (b < H_INT13) return 1;
    if (b < H_STR12) return 2;
    if (b < H_INTN) return 2 + (((size_t)(b & 0x0F) << 8) | p[1]);
    if (b < H_STR32) return 1 + (b - H_INTN_BASE);
    return 5 + (size_t)rd_le(p + 1, 4);
}

static inline size_t back_len(size_t hl) {
    return hl < (1u << 7) ? 1 : hl < (1u << 14) ? 2 : hl < (1u << 24) ? 4 : 5;
}

static inline size_t entry_size(const unsigned char *p) {
    unsigned b = p[0];
    if (b < H_INT13) return b <= STR6_MAX ? 2 + (size_t)b : 2; /* 1-byte head and back */
    size_t hl = head_data_len(p);
    return hl + back_len(hl);
}

/* Writes the backward length for hl; returns its size. */
static size_t back_encode(unsigned char *b, size_t hl) {
    if (hl < (1u << 7)) {
        b[0] = (unsigned char)hl;
        return 1;
    }
    if (hl < (1u << 14)) {
        b[0] = (unsigned char)(hl & 0xFF);
        b[1] = (unsigned char)(0x80 | (hl >> 8));
        return 2;
    }
    size_t k = hl < (1u << 24) ? 3 : 4;
    wr_le(b, hl, k);
    b[k] = (unsigned char)(0xC0 | k);
    return k + 1;
}

/* The entry that ends just before q (q is the next entry or the end marker). */
static inline unsigned char *entry_before(unsigned char *q) {
    unsigned t = q[-1];
    if (t < 0x80) return q - 1 - t;
    if (t < 0xC0) return q - 2 - (((size_t)(t & 0x3F) << 8) | q[-2]);
    size_t k = t & 0x3F;
    return q - 1 - k - (size_t)rd_le(q - 1 - k, k);
}

/* The integer of an integer entry. */
static inline long long int_value(const unsigned char *p) {
    unsigned b = p[0];
    if (b < H_INT13) return (long long)b - H_UINT7;
    if (b < H_STR12) {
        unsigned u = ((b & 0x1Fu) << 8) | p[1];
        return u > INT13_MAX ? (long long)u - 8192 : (long long)u;
    }
    size_t n = b - H_INTN_BASE;
    uint64_t u = rd_le(p + 1, n);
    if (n < 8 && (u >> (8 * n - 1)) & 1) u |= ~(uint64_t)0 << (8 * n); /* sign-extend */
    return (long long)u;
}

/* The bytes of a string entry. */
static inline const unsigned char *str_value(const unsigned char *p, size_t *len) {
    unsigned b = p[0];
    if (b <= STR6_MAX) {
        *len = b;
        return p + 1;
    }
    if (b < H_INTN) {
        *len = ((size_t)(b & 0x0F) << 8) | p[1];
        return p + 2;
    }
    *len = (size_t)rd_le(p + 1, 4);
    return p + 5;
}

/* v fits in n bytes of two's complement (1 <= n <= 7). */
static inline bool fits_bytes(long long v, size_t n) {
    long long lim = 1LL << (8 * n - 1);
    return v >= -lim && v < lim;
}

/* Writes the head (and data) of integer v; returns head + data size (1..9). */
static size_t int_encode(unsigned char *b, long long v) {
    if (v >= 0 && v <= UINT7_MAX) {
        b[0] = (unsigned char)(H_UINT7 + v);
        return 1;
    }
    if (v >= INT13_MIN && v <= INT13_MAX) {
        unsigned u = (unsigned)v & 0x1FFFu;
        b[0] = (unsigned char)(H_INT13 | (u >> 8));
        b[1] = (unsigned char)(u & 0xFF);
        return 2;
    }
    size_t n = 2;
    while (n < 8 && !fits_bytes(v, n)) n++;
    b[0] = (unsigned char)(H_INTN_BASE + n);
    wr_le(b + 1, (uint64_t)v, n);
    return 1 + n;
}

/* Writes the head of a string of len bytes; returns its size. */
static size_t str_head_encode(unsigned char *b, size_t len) {
    if (len <= STR6_MAX) {
        b[0] = (unsigned char)len;
        return 1;
    }
    if (len <= STR12_MAX) {
        b[0] = (unsigned char)(H_STR12 | (len >> 8));
        b[1] = (unsigned char)(len & 0xFF);
        return 2;
    }
    b[0] = H_STR32;
    wr_le(b + 1, len, 4);
    return 5;
}

static inline bool parse_int(const char *s, size_t len, long long *v) {
    return len <= LP_MAX_INT_CHARS && num_parse_ll(s, len, v);
}

/* ---- the block ------------------------------------------------------------------- */

lp *lp_new(void) {
    lp *l = cn_malloc(LP_EMPTY);
    set_total(l, LP_EMPTY);
    set_count_field(l, 0);
    l[LP_HDR] = LP_END;
    return l;
}

void lp_free(lp *l) { cn_free(l); }

lp *lp_dup(const lp *l) {
    size_t n = get_total(l);
    lp *d = cn_malloc(n);
    memcpy(d, l, n);
    return d;
}

size_t lp_bytes(const lp *l) { return cn_alloc_size(l); }

size_t lp_used(const lp *l) { return get_total(l); }

static uint64_t walk_count(const lp *l) {
    uint64_t n = 0;
    for (const unsigned char *p = l + LP_HDR; *p != LP_END; p += entry_size(p)) n++;
    return n;
}

uint32_t lp_count(const lp *l) {
    unsigned c = get_count_field(l);
    return c != LP_COUNT_UNKNOWN ? c : (uint32_t)walk_count(l);
}

/* Adds delta to the stored count. A count that was unknown and shrinks is
 * counted again (the change already cost a memmove of the same order). */
static void count_add(lp *l, long delta) {
    unsigned c = get_count_field(l);
    if (c == LP_COUNT_UNKNOWN) {
        if (delta < 0) set_count_field(l, walk_count(l));
        return;
    }
    set_count_field(l, (uint64_t)((long long)c + delta)); /* saturates to unknown */
}

/* Replaces the `del` bytes at offset `off` by `add` bytes left for the caller to
 * write: moves what follows, resizes the allocation, updates total (not the
 * count). Returns the block, which may have moved. */
static lp *splice(lp *l, size_t off, size_t del, size_t add) {
    size_t used = get_total(l);
    if (add > del && (uint64_t)(add - del) > LP_MAX_BYTES - used) abort(); /* over the limit */
    size_t nused = used - del + add;
    size_t tail = used - off - del;
    if (add > del) {
        if (nused > cn_alloc_size(l)) l = cn_realloc(l, nused);
        memmove(l + off + add, l + off + del, tail);
    } else if (add < del) {
        memmove(l + off + add, l + off + del, tail);
        if (cn_good_size(nused) < cn_alloc_size(l)) l = cn_realloc(l, nused);
    }
    set_total(l, nused);
    return l;
}

/* Puts integer v in place of the del bytes at off. */
static lp *put_int(lp *l, size_t off, size_t del, long long v) {
    unsigned char e[16];
    size_t hl = int_encode(e, v);
    size_t n = hl + back_encode(e + hl, hl);
    l = splice(l, off, del, n);
    memcpy(l + off, e, n);
    return l;
}

/* Puts s in place of the del bytes at off: as an integer if it is a canonical one. */
static lp *put_str(lp *l, size_t off, size_t del, const char *s, size_t len) {
    long long v;
    if (parse_int(s, len, &v)) return put_int(l, off, del, v);
    if ((uint64_t)len > LP_MAX_BYTES - LP_EMPTY - 10) abort(); /* can never fit */
    unsigned char head[5], back[5];
    size_t hs = str_head_encode(head, len);
    size_t bs = back_encode(back, hs + len);
    /* s may live in the block, which splice moves: copy it out first. */
    char *copy = NULL;
    uintptr_t a = (uintptr_t)s, lo = (uintptr_t)l;
    if (len && a >= lo && a < lo + cn_alloc_size(l)) {
        copy = cn_malloc(len);
        memcpy(copy, s, len);
        s = copy;
    }
    l = splice(l, off, del, hs + len + bs);
    memcpy(l + off, head, hs);
    if (len) memcpy(l + off + hs, s, len);
    memcpy(l + off + hs + len, back, bs);
    cn_free(copy);
    return l;
}

/* ---- walking --------------------------------------------------------------------- */

unsigned char *lp_first(lp *l) { return l[LP_HDR] == LP_END ? NULL : l + LP_HDR; }

unsigned char *lp_last(lp *l) {
    unsigned char *end = l + get_total(l) - 1;
    return end == l + LP_HDR ? NULL : entry_before(end);
}

unsigned char *lp_next(lp *l, unsigned char *p) {
    (void)l;
    p += entry_size(p);
    return *p == LP_END ? NULL : p;
}

unsigned char *lp_prev(lp *l, unsigned char *p) { return p == l + LP_HDR ? NULL : entry_before(p); }

unsigned char *lp_seek(lp *l, long i) {
    uint64_t n = lp_count(l);
    uint64_t idx;
    if (i < 0) {
        uint64_t back = (uint64_t)(-(i + 1)) + 1; /* -i without overflow at LONG_MIN */
        if (back > n) return NULL;
        idx = n - back;
    } else {
        if ((uint64_t)i >= n) return NULL;
        idx = (uint64_t)i;
    }
    if (idx < n / 2) {
        unsigned char *p = l + LP_HDR;
        for (uint64_t k = 0; k < idx; k++) p += entry_size(p);
        return p;
    }
    unsigned char *p = l + get_total(l) - 1;
    for (uint64_t k = n; k > idx; k--) p = entry_before(p);
    return p;
}

/* ---- reading --------------------------------------------------------------------- */

void lp_get(const unsigned char *p, lp_value *v) {
    if (head_is_str(p[0])) {
        v->str = (const char *)str_value(p, &v->len);
        v->ll = 0;
    } else {
        v->str = NULL;
        v->len = 0;
        v->ll = int_value(p);
    }
}

const char *lp_get_str(const unsigned char *p, char *buf, size_t *len) {
    if (head_is_str(p[0])) return (const char *)str_value(p, len);
    *len = num_fmt_ll(buf, int_value(p));
    return buf;
}

/* Equal bytes, len > 0 or not. The last byte is tried first: keys of one
 * aggregate tend to share a prefix ("field:1", "field:2") and differ at the end. */
static inline bool bytes_eq(const unsigned char *e, const char *s, size_t len) {
    return len == 0 || (e[len - 1] == (unsigned char)s[len - 1] && memcmp(e, s, len - 1) == 0);
}

/* Compares the entry at p with a needle already parsed: nint says whether it is a
 * canonical integer (then nv is its value). A string entry never holds a canonical
 * integer, so each kind only ever meets its own. */
static inline bool entry_eq(const unsigned char *p, const char *s, size_t len, bool nint,
                            long long nv) {
    unsigned b = p[0];
    if (b <= STR6_MAX) return !nint && b == len && bytes_eq(p + 1, s, len);
    if (head_is_str(b)) {
        if (nint) return false;
        size_t elen;
        const unsigned char *e = str_value(p, &elen);
        return elen == len && bytes_eq(e, s, len);
    }
    return nint && int_value(p) == nv;
}

bool lp_eq(const unsigned char *p, const char *s, size_t len) {
    long long nv = 0;
    bool nint = parse_int(s, len, &nv);
    return entry_eq(p, s, len, nint, nv);
}

unsigned char *lp_find(lp *l, unsigned char *p, const char *s, size_t len, unsigned skip) {
    (void)l;
    if (!p) return NULL;
    long long nv = 0;
    bool nint = parse_int(s, len, &nv);
    while (*p != LP_END) {
        unsigned b = p[0];
        if (b <= STR6_MAX) { /* the common case, inline: short string */
            if (b == len && !nint && bytes_eq(p + 1, s, len)) return p;
            p += 2 + (size_t)b;
        } else {
            if (entry_eq(p, s, len, nint, nv)) return p;
            p += entry_size(p);
        }
        for (unsigned k = 0; k < skip && *p != LP_END; k++) p += entry_size(p);
    }
    return NULL;
}

/* ---- changing -------------------------------------------------------------------- */

lp *lp_append(lp *l, const char *s, size_t len) {
    l = put_str(l, get_total(l) - 1, 0, s, len);
    count_add(l, 1);
    return l;
}

lp *lp_prepend(lp *l, const char *s, size_t len) {
    l = put_str(l, LP_HDR, 0, s, len);
    count_add(l, 1);
    return l;
}

lp *lp_append_int(lp *l, long long v) {
    l = put_int(l, get_total(l) - 1, 0, v);
    count_add(l, 1);
    return l;
}

lp *lp_concat(lp *l, const lp *src) {
    size_t add = get_total(src) - LP_EMPTY; /* src's entries, back to back */
    if (add == 0) return l;
    uint32_t n = lp_count(src);
    bool self = src == l;
    size_t off = get_total(l) - 1;
    l = splice(l, off, 0, add);
    /* Appending leaves the old entries where they were: for l itself, copy from there. */
    memcpy(l + off, (self ? l : src) + LP_HDR, add);
    count_add(l, (long)n);
    return l;
}

lp *lp_insert(lp *l, unsigned char *p, bool after, const char *s, size_t len,
              unsigned char **newp) {
    size_t off = (size_t)(p - l) + (after ? entry_size(p) : 0);
    l = put_str(l, off, 0, s, len);
    count_add(l, 1);
    if (newp) *newp = l + off;
    return l;
}

lp *lp_replace(lp *l, unsigned char **p, const char *s, size_t len) {
    size_t off = (size_t)(*p - l);
    l = put_str(l, off, entry_size(*p), s, len);
    *p = l + off;
    return l;
}

lp *lp_replace_int(lp *l, unsigned char **p, long long v) {
    size_t off = (size_t)(*p - l);
    l = put_int(l, off, entry_size(*p), v);
    *p = l + off;
    return l;
}

lp *lp_delete(lp *l, unsigned char **p) {
    size_t off = (size_t)(*p - l);
    l = splice(l, off, entry_size(*p), 0);
    count_add(l, -1);
    *p = l[off] == LP_END ? NULL : l + off;
    return l;
}

lp *lp_delete_range(lp *l, long start, unsigned long count) {
    if (count == 0) return l;
    unsigned char *p = lp_seek(l, start);
    if (!p) return l;
    unsigned char *q = p;
    unsigned long n = 0;
    while (n < count && *q != LP_END) {
        q += entry_size(q);
        n++;
    }
    l = splice(l, (size_t)(p - l), (size_t)(q - p), 0);
    count_add(l, -(long)n);
    return l;
}

/* ---- checking untrusted blocks ---------------------------------------------------- */

/* Checks the entry at p, which has avail bytes before the end marker (avail >= 1),
 * reading nothing past them. On success *size is the whole entry's size. */
static bool entry_valid(const unsigned char *p, size_t avail, size_t *size) {
    unsigned b = p[0];
    uint64_t hl;
    if (b <= STR6_MAX) {
        hl = 1 + (uint64_t)b;
        long long v;
        if (hl > avail || parse_int((const char *)p + 1, b, &v)) return false;
    } else if (b < H_INT13) {
        hl = 1;
    } else if (b < H_STR12) {
        if (avail < 2) return false;
        long long v = int_value(p);
        if (v >= 0 && v <= UINT7_MAX) return false; /* fits the 1-byte form */
        hl = 2;
    } else if (b < H_INTN) {
        if (avail < 2) return false;
        size_t len = ((size_t)(b & 0x0F) << 8) | p[1];
        if (len <= STR6_MAX) return false;
        hl = 2 + (uint64_t)len;
    } else if (b < H_STR32) {
        size_t n = b - H_INTN_BASE;
        hl = 1 + n;
        if (hl > avail) return false;
        long long v = int_value(p);
        if (v >= INT13_MIN && v <= INT13_MAX) return false;
        if (n > 2 && fits_bytes(v, n - 1)) return false;
    } else if (b == H_STR32) {
        if (avail < 5) return false;
        uint64_t len = rd_le(p + 1, 4);
        if (len <= STR12_MAX) return false;
        hl = 5 + len;
    } else {
        return false; /* never used, or the end marker too early */
    }
    if (hl > avail) return false;
    unsigned char back[5];
    size_t bs = back_encode(back, (size_t)hl);
    if (bs > avail - hl || memcmp(p + hl, back, bs) != 0) return false;
    *size = (size_t)hl + bs;
    return true;
}

bool lp_validate(const unsigned char *buf, size_t size) {
    if (!buf || size < LP_EMPTY || (uint64_t)size > LP_MAX_BYTES) return false;
    if (get_total(buf) != size || buf[size - 1] != LP_END) return false;
    size_t off = LP_HDR, end = size - 1;
    uint64_t n = 0;
    while (off < end) {
        size_t es;
        if (!entry_valid(buf + off, end - off, &es)) return false;
        off += es;
        n++;
    }
    unsigned c = get_count_field(buf);
    return c == LP_COUNT_UNKNOWN ? n >= LP_COUNT_UNKNOWN : n == c;
}

lp *lp_from_bytes(const unsigned char *buf, size_t size) {
    if (!lp_validate(buf, size)) return NULL;
    lp *l = cn_malloc(size);
    memcpy(l, buf, size);
    return l;
}

/* ---- persistence: walking and building values (elements.h) ---- */

/* Entries compared by value: integers first (by value), then strings (bytes,
 * then length). A block this module built never holds a canonical integer as a
 * string (lp_validate checks it), so equal here is equal as lp_eq says. */
static int lp_entry_cmp(const void *a, const void *b) {
    lp_value x, y;
    lp_get(*(unsigned char *const *)a, &x);
    lp_get(*(unsigned char *const *)b, &y);
    if (!x.str || !y.str) {
        if (x.str) return 1;
        if (y.str) return -1;
        return (x.ll > y.ll) - (x.ll < y.ll);
    }
    size_t n = x.len < y.len ? x.len : y.len;
    int c = n ? memcmp(x.str, y.str, n) : 0;
    if (c) return c;
    return (x.len > y.len) - (x.len < y.len);
}

bool lp_has_duplicates(lp *l, unsigned step) {
    assert(step >= 1);
    uint32_t count = lp_count(l);
    size_t n = count / step + (count % step != 0);
    if (n < 2) return false;
    unsigned char **v = cn_malloc(n * sizeof(*v));
    size_t i = 0;
    for (unsigned char *p = lp_first(l); p;) {
        v[i++] = p;
        for (unsigned k = 0; k < step && p; k++) p = lp_next(l, p);
    }
    assert(i == n);
    qsort(v, n, sizeof(*v), lp_entry_cmp);
    bool dup = false;
    for (i = 1; i < n && !dup; i++) dup = lp_entry_cmp(&v[i - 1], &v[i]) == 0;
    cn_free(v);
    return dup;
}
