/* utils/ht.c: cache-line bucket hash table with chaining and incremental rehashing.
 * See ht.h for the contract. Internals:
 *
 * - tab[0] is the main array. While rehashing, tab[1] is the new array and every
 *   bucket of tab[0] below rehash_idx has been moved (is empty). New entries go to
 *   tab[1]; lookups try tab[0] (if the key's bucket there is not moved yet) and tab[1].
 * - A bucket with the CHAINED bit uses slot 6 as the pointer to its child; its
 *   presence bit 6 is clear. Chain invariant: every bucket of a chain except the last
 *   is full (6 entries + child), and a child holds at least 2 entries. So a chained
 *   head means a chain of >= 8 entries.
 * - used[i] counts entries in tab[i], children[i] the child buckets hanging off it.
 */
#include "utils/ht.h"

#include <assert.h>
#include <string.h>
#include <time.h>

#include "utils/alloc.h"
#include "utils/hash.h"
#include "utils/rand.h"

#define SLOTS 7
#define CHILD_SLOT (SLOTS - 1)
#define CHAINED 0x80u
#define ALL_PRESENT 0x7fu

/* Resize policy, in percent of slots (buckets * SLOTS). */
#define GROW_FILL_PCT 80          /* grow when adding would pass this */
#define GROW_FILL_PCT_FORCED 500  /* ... or this, while resizing is not allowed */
/* Shrinking (below 1/8 of the slots, 1/40 when not allowed) is in shrink_if_needed. */
#define TARGET_FILL_PCT 50        /* a resize picks the smallest size at or below this */
#define REHASH_EMPTY_VISITS 16    /* empty buckets one step may skip */
#define RANDOM_POSITIONS 12       /* ht_random: exact fairness up to chains this long */

typedef struct bucket {
    uint8_t presence; /* bit s: slot s holds an entry; CHAINED: slot 6 is the child */
    uint8_t fp[SLOTS]; /* top byte of each entry's hash */
    void *slot[SLOTS];
} bucket;

static_assert(sizeof(void *) != 8 || sizeof(bucket) == 64, "a bucket is one cache line");
static_assert(offsetof(bucket, fp) == 1, "presence then fingerprints: one 8-byte word");

struct ht {
    const ht_type *type;
    bucket *tab[2];
    uint8_t exp[2];       /* tab[i] has 1 << exp[i] buckets (when tab[i] != NULL) */
    size_t used[2];       /* entries in tab[i] */
    size_t children[2];   /* child buckets of tab[i] */
    size_t rehash_idx;    /* next bucket of tab[0] to move; meaningful while tab[1] */
    unsigned paused;      /* active safe iterators: no rehash steps, no shrinking */
};

static bool resize_allowed = true;

void ht_set_resize_allowed(bool allowed) { resize_allowed = allowed; }

/* ---- small helpers ---------------------------------------------------------------- */

static inline size_t nbuckets(const ht *t, int i) { return t->tab[i] ? (size_t)1 << t->exp[i] : 0; }
static inline size_t mask_of(const ht *t, int i) { return ((size_t)1 << t->exp[i]) - 1; }
static inline bool rehashing(const ht *t) { return t->tab[1] != NULL; }
static inline uint8_t fp_of(uint64_t h) { return (uint8_t)(h >> 56); }
static inline bool is_chained(const bucket *b) { return b->presence & CHAINED; }
static inline bucket *child_of(const bucket *b) { return (bucket *)b->slot[CHILD_SLOT]; }
static inline unsigned present(const bucket *b) { return b->presence & ALL_PRESENT; }
/* Bits set in a presence mask (at most 7): two lookups in a 16-nibble constant, since
 * __builtin_popcount is a libgcc call on the x86-64 baseline (no POPCNT). */
static inline unsigned count_slots(unsigned m) {
    const uint64_t nibble_counts = 0x4332322132212110ULL; /* nibble n: popcount(n) */
    return (unsigned)((nibble_counts >> ((m & 15) * 4)) & 15) +
           (unsigned)((nibble_counts >> ((m >> 4 & 15) * 4)) & 15);
}

static inline uint64_t entry_hash(const ht *t, const void *entry) {
    size_t len;
    const void *key = t->type->entry_key(entry, &len);
    return hash_bytes(key, len);
}

/* Slots of b whose fingerprint equals fp and that hold an entry, as a bit mask. */
static inline unsigned match_fp(const bucket *b, uint8_t fp) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* The 8-byte word is presence (byte 0) then fp[0..6] (bytes 1..7). XOR with fp in
     * every byte and find the zero bytes exactly (no borrow between bytes); then gather
     * each byte's flag into one bit of the top byte with a multiply (the partial
     * products land on distinct bits, so nothing carries). */
    const uint64_t lo7 = 0x7f7f7f7f7f7f7f7fULL;
    uint64_t w;
    memcpy(&w, b, 8);
    uint64_t x = w ^ (fp * 0x0101010101010101ULL);
    uint64_t zero = ~(((x & lo7) + lo7) | x | lo7); /* 0x80 in each zero byte */
    unsigned bytes = (unsigned)(((zero >> 7) * 0x0102040810204080ULL) >> 56);
    return (bytes >> 1) & present(b);
#else
    unsigned m = 0;
    for (int s = 0; s < SLOTS; s++)
        if (b->fp[s] == fp) m |= 1u << s;
    return m & present(b);
#endif
}

static inline bool entry_has_key(const ht *t, const void *entry, const void *key, size_t len) {
    size_t elen;
    const void *ekey = t->type->entry_key(entry, &elen);
    return elen == len && memcmp(ekey, key, len) == 0;
}

/* Where an entry was found. */
typedef struct found {
    int table;
    bucket *head; /* chain head in tab[table] */
    bucket *b;    /* bucket holding the entry */
    int s;        /* slot in b */
} found;

static bool chain_find(const ht *t, bucket *head, uint8_t fp, const void *key, size_t len,
                       found *f) {
    for (bucket *b = head;; b = child_of(b)) {
        unsigned m = match_fp(b, fp);
        while (m) {
            int s = __builtin_ctz(m);
            m &= m - 1;
            if (entry_has_key(t, b->slot[s], key, len)) {
                f->head = head;
                f->b = b;
                f->s = s;
                return true;
            }
        }
        if (!is_chained(b)) return false;
    }
}

static bool lookup(const ht *t, uint64_t h, const void *key, size_t len, found *f) {
    if (t->used[0] + t->used[1] == 0) return false;
    uint8_t fp = fp_of(h);
    size_t i0 = h & mask_of(t, 0);
    if (!rehashing(t) || i0 >= t->rehash_idx) {
        if (chain_find(t, &t->tab[0][i0], fp, key, len, f)) {
            f->table = 0;
            return true;
        }
    }
    if (rehashing(t) && chain_find(t, &t->tab[1][h & mask_of(t, 1)], fp, key, len, f)) {
        f->table = 1;
        return true;
    }
    return false;
}

/* Appends an entry known to be absent to the chain at head. */
static void chain_insert(ht *t, int table, bucket *head, uint8_t fp, void *entry) {
    bucket *b = head;
    while (is_chained(b)) b = child_of(b);
    unsigned free_slots = ~b->presence & ALL_PRESENT;
    if (free_slots) {
        int s = __builtin_ctz(free_slots);
        b->slot[s] = entry;
        b->fp[s] = fp;
        b->presence |= (uint8_t)(1u << s);
        return;
    }
    /* b is full: its last entry and the new one go into a new child. */
    bucket *c = cn_calloc(1, sizeof(bucket));
    c->slot[0] = b->slot[CHILD_SLOT];
    c->fp[0] = b->fp[CHILD_SLOT];
    c->slot[1] = entry;
    c->fp[1] = fp;
    c->presence = 0x3;
    b->slot[CHILD_SLOT] = c;
    b->fp[CHILD_SLOT] = 0;
    b->presence = (ALL_PRESENT & ~(1u << CHILD_SLOT)) | CHAINED;
    t->children[table]++;
}

/* Removes slot f->s of f->b, keeping the chain invariant. */
static void chain_remove(ht *t, const found *f) {
    bucket *parent = NULL, *last = f->head;
    while (is_chained(last)) {
        parent = last;
        last = child_of(last);
    }
    bucket *b = f->b;
    if (last != b) {
        /* Fill the hole from the last bucket (b is full and must stay full). */
        int ls = 31 - __builtin_clz(present(last));
        b->slot[f->s] = last->slot[ls];
        b->fp[f->s] = last->fp[ls];
        last->presence &= (uint8_t)~(1u << ls);
    } else {
        b->presence &= (uint8_t)~(1u << f->s);
        b->slot[f->s] = NULL;
    }
    if (parent && count_slots(present(last)) == 1) {
        /* Fold the child's last entry into the parent's child slot. */
        int ls = __builtin_ctz(present(last));
        parent->slot[CHILD_SLOT] = last->slot[ls];
        parent->fp[CHILD_SLOT] = last->fp[ls];
        parent->presence = ALL_PRESENT;
        cn_free(last);
        t->children[f->table]--;
    }
    t->used[f->table]--;
}

/* Smallest exponent whose array holds n entries at <= TARGET_FILL_PCT. */
static uint8_t exp_for(size_t n) {
    uint8_t e = 0;
    while (((size_t)SLOTS << e) * TARGET_FILL_PCT < n * 100 && e < 8 * sizeof(size_t) - 8) e++;
    return e;
}

static bucket *alloc_buckets(uint8_t e) { return cn_calloc((size_t)1 << e, sizeof(bucket)); }

/* Frees every child of tab[i] and, if destroy, every entry through entry_destroy. */
static void free_array(ht *t, int i, bool destroy) {
    bucket *tab = t->tab[i];
    if (!tab) return;
    void (*destroy_fn)(void *) = destroy ? t->type->entry_destroy : NULL;
    size_t n = nbuckets(t, i);
    if (destroy_fn || t->children[i]) {
        for (size_t j = 0; j < n && (t->used[i] || t->children[i]); j++) {
            bucket *b = &tab[j];
            while (b) {
                bucket *next = is_chained(b) ? child_of(b) : NULL;
                for (unsigned m = present(b); m; m &= m - 1) {
                    if (destroy_fn) destroy_fn(b->slot[__builtin_ctz(m)]);
                    t->used[i]--;
                }
                if (b != &tab[j]) {
                    cn_free(b);
                    t->children[i]--;
                }
                b = next;
            }
        }
    }
    cn_free(tab);
    t->tab[i] = NULL;
    t->used[i] = 0;
    t->children[i] = 0;
}

/* Starts a resize to 1 << e buckets (or swaps arrays at once if tab[0] is empty). */
static void start_resize(ht *t, uint8_t e) {
    assert(!rehashing(t));
    if (t->tab[0] && e == t->exp[0]) return;
    if (t->used[0] == 0 && !t->paused) {
        free_array(t, 0, false);
        t->tab[0] = alloc_buckets(e);
        t->exp[0] = e;
        return;
    }
    t->tab[1] = alloc_buckets(e);
    t->exp[1] = e;
    t->used[1] = 0;
    t->children[1] = 0;
    t->rehash_idx = 0;
}

/* Called before adding one entry. */
static void grow_if_needed(ht *t) {
    if (!t->tab[0]) {
        t->tab[0] = alloc_buckets(0);
        t->exp[0] = 0;
        return;
    }
    if (rehashing(t)) return;
    size_t n = t->used[0] + 1;
    size_t slots = (size_t)SLOTS << t->exp[0];
    int pct = resize_allowed ? GROW_FILL_PCT : GROW_FILL_PCT_FORCED;
    if (n * 100 > slots * (size_t)pct) start_resize(t, exp_for(n));
}

/* Called after removing entries. */
static void shrink_if_needed(ht *t) {
    if (t->paused) return;
    size_t n = t->used[0] + t->used[1];
    if (n == 0) {
        /* Empty: give all memory back (no iterator can be looking at it). */
        free_array(t, 1, false);
        free_array(t, 0, false);
        return;
    }
    if (rehashing(t) || t->exp[0] == 0) return;
    size_t slots = (size_t)SLOTS << t->exp[0];
    /* below 12.5% (1/8), or 2.5% (1/40) when resizing is not allowed */
    if (n * (resize_allowed ? 8 : 40) < slots) start_resize(t, exp_for(n));
}

/* Moves every entry of chain tab[0][idx] into tab[1]. */
static void rehash_bucket(ht *t, size_t idx) {
    bucket *head = &t->tab[0][idx];
    size_t mask1 = mask_of(t, 1);
    /* Hashing reads each entry's key: start all those cache misses at once. */
    for (bucket *p = head;; p = child_of(p)) {
        for (unsigned m = present(p); m; m &= m - 1) __builtin_prefetch(p->slot[__builtin_ctz(m)]);
        if (!is_chained(p)) break;
    }
    bucket *b = head;
    while (b) {
        bucket *next = is_chained(b) ? child_of(b) : NULL;
        for (unsigned m = present(b); m; m &= m - 1) {
            int s = __builtin_ctz(m);
            void *entry = b->slot[s];
            uint64_t h = entry_hash(t, entry);
            chain_insert(t, 1, &t->tab[1][h & mask1], b->fp[s], entry);
            t->used[0]--;
            t->used[1]++;
        }
        if (b != head) {
            cn_free(b);
            t->children[0]--;
        }
        b = next;
    }
    memset(head, 0, sizeof(*head));
}

static void finish_rehash(ht *t) {
    cn_free(t->tab[0]);
    t->tab[0] = t->tab[1];
    t->exp[0] = t->exp[1];
    t->used[0] = t->used[1];
    t->children[0] = t->children[1];
    t->tab[1] = NULL;
    t->used[1] = 0;
    t->children[1] = 0;
    t->rehash_idx = 0;
}

static void rehash_one(ht *t) {
    size_t n0 = nbuckets(t, 0);
    int empty = 0;
    while (t->used[0] && t->rehash_idx < n0) {
        bucket *b = &t->tab[0][t->rehash_idx];
        if (b->presence) {
            rehash_bucket(t, t->rehash_idx++);
            break;
        }
        t->rehash_idx++;
        if (++empty >= REHASH_EMPTY_VISITS) break;
    }
    /* Once tab[0] holds nothing its remaining buckets are all empty. */
    if (t->used[0] == 0 || t->rehash_idx >= n0) finish_rehash(t);
}

static inline void step_if_rehashing(ht *t) {
    if (rehashing(t) && !t->paused) rehash_one(t);
}

bool ht_rehash_step(ht *t) {
    if (!rehashing(t)) return false;
    if (!t->paused) rehash_one(t);
    return rehashing(t);
}

static long long now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

bool ht_rehash_us(ht *t, long us) {
    if (!rehashing(t)) return false;
    if (t->paused) return true;
    long long deadline = now_us() + us;
    do {
        for (int i = 0; i < 64 && rehashing(t); i++) rehash_one(t);
    } while (rehashing(t) && now_us() < deadline);
    return rehashing(t);
}

bool ht_is_rehashing(const ht *t) { return rehashing(t); }

static void expand_to(ht *t, uint8_t e);

void ht_expand(ht *t, size_t n) { expand_to(t, exp_for(n)); }

void ht_reserve(ht *t, size_t n) {
    uint8_t e = 0;
    while (((size_t)SLOTS << e) * GROW_FILL_PCT < n * 100 && e < 8 * sizeof(size_t) - 8) e++;
    expand_to(t, e);
}

static void expand_to(ht *t, uint8_t e) {
    if (rehashing(t)) return;
    if (!t->tab[0]) {
        t->tab[0] = alloc_buckets(e);
        t->exp[0] = e;
    } else if (e > t->exp[0]) {
        start_resize(t, e);
    }
}

/* ---- public API ------------------------------------------------------------------- */

ht *ht_create(const ht_type *type) {
    ht *t = cn_calloc(1, sizeof(*t));
    t->type = type;
    return t;
}

void ht_clear(ht *t) {
    assert(!t->paused);
    free_array(t, 0, true);
    free_array(t, 1, true);
    t->rehash_idx = 0;
}

void ht_destroy(ht *t) {
    if (!t) return;
    ht_clear(t);
    cn_free(t);
}

size_t ht_size(const ht *t) { return t->used[0] + t->used[1]; }

void **ht_find_ref(ht *t, const void *key, size_t len) {
    if (ht_size(t) == 0) return NULL;
    step_if_rehashing(t);
    found f;
    if (!lookup(t, hash_bytes(key, len), key, len, &f)) return NULL;
    return &f.b->slot[f.s];
}

void *ht_find(ht *t, const void *key, size_t len) {
    void **ref = ht_find_ref(t, key, len);
    return ref ? *ref : NULL;
}

void **ht_find_or_position_at(ht *t, const void *key, size_t len, ht_position *pos) {
    step_if_rehashing(t);
    found f;
    if (!lookup(t, pos->hash, key, len, &f)) return NULL;
    return &f.b->slot[f.s];
}

void **ht_find_or_position(ht *t, const void *key, size_t len, ht_position *pos) {
    pos->hash = hash_bytes(key, len);
    return ht_find_or_position_at(t, key, len, pos);
}

void ht_prefetch(const ht *t, const void *key, size_t len, ht_position *pos) {
    uint64_t h = hash_bytes(key, len);
    pos->hash = h;
    for (int i = 0; i < 2; i++)
        if (t->tab[i]) __builtin_prefetch(&t->tab[i][h & mask_of(t, i)]);
}

void ht_insert_at(ht *t, const ht_position *pos, void *entry) {
    grow_if_needed(t);
    uint64_t h = pos->hash;
    int i = rehashing(t) ? 1 : 0;
    chain_insert(t, i, &t->tab[i][h & mask_of(t, i)], fp_of(h), entry);
    t->used[i]++;
}

bool ht_add_or_find(ht *t, void *entry, void **existing) {
    size_t len;
    const void *key = t->type->entry_key(entry, &len);
    ht_position pos;
    void **ref = ht_find_or_position(t, key, len, &pos);
    if (ref) {
        if (existing) *existing = *ref;
        return false;
    }
    ht_insert_at(t, &pos, entry);
    return true;
}

bool ht_add(ht *t, void *entry) { return ht_add_or_find(t, entry, NULL); }

void *ht_pop(ht *t, const void *key, size_t len) {
    if (ht_size(t) == 0) return NULL;
    step_if_rehashing(t);
    found f;
    if (!lookup(t, hash_bytes(key, len), key, len, &f)) return NULL;
    void *entry = f.b->slot[f.s];
    chain_remove(t, &f);
    shrink_if_needed(t);
    return entry;
}

bool ht_delete(ht *t, const void *key, size_t len) {
    void *entry = ht_pop(t, key, len);
    if (!entry) return false;
    if (t->type->entry_destroy) t->type->entry_destroy(entry);
    return true;
}

size_t ht_entries_mem_usage(ht *t, size_t samples) {
    size_t seen = 0, measured = 0;
    ht_iter it;
    ht_iter_init(&it, t);
    for (void *e; (!samples || seen < samples) && (e = ht_iter_next(&it)) != NULL; seen++)
        measured += cn_alloc_size(e);
    ht_iter_deinit(&it);
    size_t total = ht_size(t);
    if (seen && total > seen) measured = (size_t)((double)measured / (double)seen * (double)total);
    return measured;
}

size_t ht_mem_usage(const ht *t) {
    size_t n = cn_alloc_size(t);
    for (int i = 0; i < 2; i++) {
        if (!t->tab[i]) continue;
        n += cn_alloc_size(t->tab[i]);
        n += t->children[i] * sizeof(bucket);
    }
    return n;
}

size_t ht_buckets(const ht *t) { return nbuckets(t, 0) + nbuckets(t, 1); }

/* ---- random ----------------------------------------------------------------------- */

/* The process's PRNG (utils/rand.h); ht_set_random_seed reseeds it for tests. */
void ht_set_random_seed(uint64_t seed) { rand_seed(seed); }

/* The k-th entry (in chain order) of a chain. */
static void *chain_nth(bucket *b, size_t k) {
    for (;;) {
        unsigned m = present(b);
        size_t c = (size_t)count_slots(m);
        if (k < c) {
            while (k--) m &= m - 1;
            return b->slot[__builtin_ctz(m)];
        }
        k -= c;
        b = child_of(b);
    }
}

static size_t chain_len(const bucket *b) {
    size_t n = 0;
    for (;; b = child_of(b)) {
        n += (size_t)count_slots(present(b));
        if (!is_chained(b)) return n;
    }
}

/* Live bucket number r (in [0, live_buckets)) over tab[0] from rehash_idx, then tab[1]. */
static bucket *live_bucket(ht *t, size_t r) {
    size_t start = rehashing(t) ? t->rehash_idx : 0;
    size_t n0 = nbuckets(t, 0) - start;
    return r < n0 ? &t->tab[0][start + r] : &t->tab[1][r - n0];
}

static size_t live_buckets(const ht *t) {
    size_t start = rehashing(t) ? t->rehash_idx : 0;
    return nbuckets(t, 0) - start + nbuckets(t, 1);
}

/* Rejection sampling over (bucket, position k < RANDOM_POSITIONS): the entry at that
 * position of b's chain is the pick, NULL if there is none (rejected), so each entry
 * of a chain of up to RANDOM_POSITIONS entries has probability 1 / (RANDOM_POSITIONS *
 * buckets) per try. A longer chain (rare) is accepted whenever hit, with one of its
 * entries picked uniformly: those entries are a little less likely. */
static void *candidate(bucket *b, size_t k) {
    size_t len = chain_len(b);
    if (len > RANDOM_POSITIONS) return chain_nth(b, rand_below(len));
    return k < len ? chain_nth(b, k) : NULL;
}

void *ht_random(ht *t) {
    if (ht_size(t) == 0) return NULL;
    step_if_rehashing(t);
    size_t nlive = live_buckets(t);
    for (int tries = 0; tries < 128; tries++) {
        bucket *b = live_bucket(t, rand_below(nlive));
        void *e = candidate(b, rand_below(RANDOM_POSITIONS));
        if (e) return e;
    }
    /* Very sparse table: walk from a random bucket to the first non-empty chain. */
    size_t r = rand_below(nlive);
    for (;;) {
        bucket *b = live_bucket(t, r);
        if (b->presence) return chain_nth(b, rand_below(chain_len(b)));
        r = r + 1 == nlive ? 0 : r + 1;
    }
}

size_t ht_random_many(ht *t, void **out, size_t n) {
    if (ht_size(t) == 0 || n == 0) return 0;
    step_if_rehashing(t);
    size_t nlive = live_buckets(t), got = 0;
    /* ht_random's candidates, a round at a time: all of a
     * round's buckets are prefetched before any is read, so their cache misses
     * overlap. Candidates are accepted independently with ht_random's odds and taken
     * in order, so the picks are n independent draws as from ht_random. A round draws
     * about what the fill (entries per bucket over RANDOM_POSITIONS) needs. */
    enum { ROUND = 32 };
    double accept = (double)ht_size(t) / (double)nlive / RANDOM_POSITIONS;
    if (accept > 1) accept = 1;
    for (int round = 0; got < n && round < 64; round++) {
        bucket *b[ROUND];
        size_t k[ROUND];
        size_t draw = (size_t)((double)(n - got) / accept * 1.25) + 1;
        if (draw > ROUND) draw = ROUND;
        for (size_t i = 0; i < draw; i++) {
            b[i] = live_bucket(t, rand_below(nlive));
            k[i] = rand_below(RANDOM_POSITIONS);
            __builtin_prefetch(b[i]);
        }
        for (size_t i = 0; i < draw && got < n; i++) {
            void *e = candidate(b[i], k[i]);
            if (e) out[got++] = e;
        }
    }
    while (got < n) out[got++] = ht_random(t); /* a very sparse table */
    return got;
}

/* Appends the entries of the chain at b to out (up to *count == n). */
static void collect_chain(bucket *b, void **out, size_t n, size_t *count) {
    for (;; b = child_of(b)) {
        for (unsigned m = present(b); m && *count < n; m &= m - 1)
            out[(*count)++] = b->slot[__builtin_ctz(m)];
        if (!is_chained(b) || *count == n) return;
    }
}

size_t ht_sample(ht *t, void **out, size_t n) {
    size_t size = ht_size(t);
    if (size == 0 || n == 0) return 0;
    if (n > size) n = size;
    int tables = rehashing(t) ? 2 : 1;
    size_t maxmask = mask_of(t, 0);
    if (tables == 2 && mask_of(t, 1) > maxmask) maxmask = mask_of(t, 1);
    size_t idx = rand_u64() & maxmask;
    size_t count = 0, steps = 10 * n, empty_run = 0;
    while (count < n && steps--) {
        bool empty = true;
        for (int i = 0; i < tables; i++) {
            if (idx >= nbuckets(t, i)) continue; /* past the end of the smaller array */
            if (i == 0 && tables == 2 && idx < t->rehash_idx) continue; /* moved */
            bucket *b = &t->tab[i][idx];
            if (!b->presence) continue;
            empty = false;
            collect_chain(b, out, n, &count);
        }
        /* A long empty stretch: jump elsewhere rather than crawl through it. */
        if (empty && ++empty_run >= 5 && empty_run > n) {
            idx = rand_u64() & maxmask;
            empty_run = 0;
        } else {
            if (!empty) empty_run = 0;
            idx = (idx + 1) & maxmask;
        }
    }
    return count;
}

/* ---- scan ------------------------------------------------------------------------- */

static inline size_t rev_bits(size_t v) {
    uint64_t x = (uint64_t)v;
    x = ((x >> 1) & 0x5555555555555555ULL) | ((x & 0x5555555555555555ULL) << 1);
    x = ((x >> 2) & 0x3333333333333333ULL) | ((x & 0x3333333333333333ULL) << 2);
    x = ((x >> 4) & 0x0f0f0f0f0f0f0f0fULL) | ((x & 0x0f0f0f0f0f0f0f0fULL) << 4);
    x = __builtin_bswap64(x);
    if (sizeof(size_t) < 8) x >>= 32;
    return (size_t)x;
}

/* Adds one to the cursor's bits under mask, counting from the mask's highest bit down
 * (reverse binary); bits above the mask come out zero. When the masked bits wrap
 * around the carry leaves the word and the result is 0 in those bits. */
static inline size_t rev_increment(size_t v, size_t mask) {
    v |= ~mask;
    v = rev_bits(v);
    v++;
    return rev_bits(v);
}

static void scan_chain(bucket *b, ht_scan_fn *fn, void *privdata) {
    for (;; b = child_of(b)) {
        for (unsigned m = present(b); m; m &= m - 1) fn(privdata, b->slot[__builtin_ctz(m)]);
        if (!is_chained(b)) return;
    }
}

/* Why this keeps the guarantee: a cursor names the set of buckets whose index ends in
 * the cursor's low bits, in every array size at once. Counting in reverse binary
 * enumerates those low bits so that, for any mask, the buckets already visited form a
 * set closed under "has the same low bits": growing splits a visited bucket into
 * visited buckets, shrinking merges visited ones (possibly with unvisited ones, which
 * is where repeats come from), and nothing is skipped. While rehashing, a small-array
 * bucket is visited together with all of its expansions in the large array, so an
 * entry is seen whichever of the two it is in. */
size_t ht_scan(ht *t, size_t cursor, ht_scan_fn *fn, void *privdata) {
    if (ht_size(t) == 0) return 0;
    if (!rehashing(t)) {
        size_t m0 = mask_of(t, 0);
        scan_chain(&t->tab[0][cursor & m0], fn, privdata);
        return rev_increment(cursor, m0);
    }
    int small = t->exp[0] <= t->exp[1] ? 0 : 1, large = 1 - small;
    size_t ms = mask_of(t, small), ml = mask_of(t, large);
    /* Moved buckets of tab[0] are empty, so visiting them is harmless. */
    scan_chain(&t->tab[small][cursor & ms], fn, privdata);
    do {
        scan_chain(&t->tab[large][cursor & ml], fn, privdata);
        cursor = rev_increment(cursor, ml);
    } while (cursor & (ms ^ ml));
    return cursor;
}

/* ---- safe iterator ---------------------------------------------------------------- */

void ht_iter_init(ht_iter *it, ht *t) {
    it->t = t;
    it->table = 0;
    it->bucket = 0;
    it->pos = it->len = 0;
    it->cap = HT_ITER_INLINE;
    it->buf = it->inline_buf;
    t->paused++;
}

/* Copies the chain at b into the iterator's buffer. */
static void iter_copy_chain(ht_iter *it, bucket *b) {
    size_t need = chain_len(b);
    if (need > it->cap) {
        size_t cap = it->cap;
        while (cap < need) cap *= 2;
        if (it->buf == it->inline_buf) {
            it->buf = cn_malloc(cap * sizeof(void *));
        } else {
            it->buf = cn_realloc(it->buf, cap * sizeof(void *));
        }
        it->cap = cap;
    }
    it->len = 0;
    collect_chain(b, it->buf, need, &it->len);
    it->pos = 0;
}

void *ht_iter_next(ht_iter *it) {
    ht *t = it->t;
    while (it->pos == it->len) {
        /* Arrays cannot be freed or swapped while paused, only tab[1] may appear. */
        if (it->bucket >= nbuckets(t, it->table)) {
            if (it->table == 1 || !rehashing(t)) return NULL;
            it->table = 1;
            it->bucket = 0;
            continue;
        }
        bucket *b = &t->tab[it->table][it->bucket++];
        if (b->presence) iter_copy_chain(it, b);
    }
    return it->buf[it->pos++];
}

void ht_iter_deinit(ht_iter *it) {
    if (it->buf != it->inline_buf) cn_free(it->buf);
    it->buf = it->inline_buf;
    it->cap = HT_ITER_INLINE;
    assert(it->t->paused > 0);
    it->t->paused--;
    /* Deletions during iteration skipped shrinking; catch up now. */
    shrink_if_needed(it->t);
}
