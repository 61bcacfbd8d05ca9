/* utils/ht.h: the hash table behind the keyspace (and later hash and set members).
 *
 * What it stores: pointers to caller-owned entries. An entry embeds its own key; the
 * table's type says how to read the key bytes out of an entry (entry_key) and how to
 * free an entry (entry_destroy). The table never allocates per entry and never copies
 * keys. Keys are binary-safe byte strings (NUL allowed) compared with memcmp.
 *
 * Layout: a power-of-two array of 64-byte buckets, each one cache line:
 *   1 byte presence bits, 7 one-byte hash fingerprints, 7 entry pointers.
 * When an 8th entry lands in a full bucket, its last slot becomes a pointer to a child
 * bucket (a chain). Every bucket of a chain but the last is full, so lookups stay
 * short; deletion fills the hole from the chain's last bucket and folds a child with a
 * single entry back into its parent. The bucket of a key is hash & mask; its
 * fingerprint is the hash's top byte, so most non-matching slots are skipped without
 * touching the entry. Keys are hashed with hash_bytes() (seeded SipHash-1-3).
 *
 * Memory: about 11-23 bytes of table per entry (fill between 40% and 80% of the
 * slots, plus rare child buckets), never more than ~34 while a resize is in progress
 * (old and new arrays both live). ht_mem_usage() reports it exactly.
 *
 * Resizing: the table grows when more than 80% of the slots would be used and
 * shrinks below 12.5%, to the smallest size that is at most 50% full (an empty table
 * frees its buckets). A resize allocates the new array and then moves one bucket
 * chain at a time (incremental rehashing): every ht_find/ht_find_ref/ht_add/ht_pop/
 * ht_delete/ht_random moves at most one non-empty chain (skipping at most a few empty
 * buckets), and the caller should also call ht_rehash_us() from a cron. While
 * rehashing, new entries go into the new array. Rehashing a bucket calls entry_key()
 * to recompute each entry's hash.
 * With ht_set_resize_allowed(false) (set while a forked child shares our pages)
 * tables only grow once they hold 5 entries per slot and shrink below 2.5%; a rehash
 * already under way still goes on.
 *
 * Ownership:
 * - ht_create() borrows `type`: it must outlive the table (normally a static const).
 * - ht_add() / ht_insert_at() take ownership of the entry: ht_delete(), ht_clear() and
 *   ht_destroy() call entry_destroy on it (if the type has one), exactly once.
 * - ht_pop() hands ownership back to the caller; no destructor runs.
 * - Pointers returned by ht_find/ht_random/ht_sample/iterators/scan are borrowed.
 * - entry_key() returns bytes borrowed from the entry; they must not change while the
 *   entry is in a table. entry_key and entry_destroy must not call back into the table.
 *
 * Invalidation: slot pointers (ht_find_ref, ht_find_or_position) are valid only
 * until the next call on the same table: any call may move entries between slots.
 * Entry pointers stay valid as long as the entry is in the table.
 *
 * Never does I/O, never logs, not thread-safe (one thread per table). Globals: the
 * resize policy flag; ht_random/ht_sample draw from utils/rand.h.
 */
#ifndef CAIRN_UTILS_HT_H
#define CAIRN_UTILS_HT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ht_type {
    /* Borrowed key bytes of an entry; *len receives their length. */
    const void *(*entry_key)(const void *entry, size_t *len);
    /* Frees an entry the table owns; NULL means the table never frees entries. */
    void (*entry_destroy)(void *entry);
} ht_type;

typedef struct ht ht;

/* An empty table; allocates no buckets until the first add. */
ht *ht_create(const ht_type *type);
/* Calls entry_destroy on every entry, frees the table. Accepts NULL. */
void ht_destroy(ht *t);
/* Same as destroy but keeps `t` usable (empty, no buckets). No iterator may be active.
 * O(size): for a huge table, pop it into a background free instead. */
void ht_clear(ht *t);
size_t ht_size(const ht *t);

/* The entry whose key is these bytes, or NULL. */
void *ht_find(ht *t, const void *key, size_t len);
/* The slot holding the entry for this key, or NULL. The caller may store into *slot
 * another entry with the SAME key bytes (used when an entry is reallocated); the
 * table neither frees the old entry nor calls any destructor. Valid until the next
 * call on t. */
void **ht_find_ref(ht *t, const void *key, size_t len);
/* Adds `entry` (taking ownership) unless an entry with its key exists: then returns
 * false and nothing changes (the caller still owns `entry`). */
bool ht_add(ht *t, void *entry);
/* Like ht_add, but when the key exists sets *existing to the entry already there. */
bool ht_add_or_find(ht *t, void *entry, void **existing);

/* Two-phase insert, hashing and probing once, for callers that build the entry only
 * when the key is absent (SET of a new key):
 *
 *   ht_position pos;
 *   void **ref = ht_find_or_position(t, key, len, &pos);
 *   if (ref) replace_value(*ref);                    // present
 *   else ht_insert_at(t, &pos, new_entry(key, len)); // absent: no call on t between
 *
 * ht_insert_at() takes ownership of `entry`, whose key must be the bytes probed. */
typedef struct ht_position {
    uint64_t hash;
} ht_position;
void **ht_find_or_position(ht *t, const void *key, size_t len, ht_position *pos);
void ht_insert_at(ht *t, const ht_position *pos, void *entry);
/* Batched lookups (loading a snapshot): ht_prefetch hashes key into pos and prefetches
 * its bucket; ht_find_or_position_at, called soon after for the same key with no
 * change to t in between other than finds and inserts of the same batch, is
 * ht_find_or_position without the hashing and, mostly, without the cache miss. */
void ht_prefetch(const ht *t, const void *key, size_t len, ht_position *pos);
void **ht_find_or_position_at(ht *t, const void *key, size_t len, ht_position *pos);

/* Unlinks and returns the entry (no destructor; the caller owns it), NULL if absent. */
void *ht_pop(ht *t, const void *key, size_t len);
/* Unlinks the entry and calls entry_destroy on it; false if absent. */
bool ht_delete(ht *t, const void *key, size_t len);

/* A random entry, NULL if empty. Every entry is equally likely, except that entries
 * of a bucket chain longer than 12 (very rare below 80% fill) are picked less often.
 * Costs a few random bucket reads. Uses the table module's own PRNG (never rand()). */
void *ht_random(ht *t);
/* n random entries into out[], as n calls of ht_random would pick them (independent,
 * so repeats are possible), but with the random bucket reads overlapped: several
 * times faster on a table larger than the caches. Returns n, or 0 if empty. */
size_t ht_random_many(ht *t, void **out, size_t n);
/* Up to n random entries into out[], fast: it walks consecutive buckets from a random
 * one (at most 10*n buckets), so the entries are distinct unless the walk wraps
 * around, and clustered rather than independent. Returns how many were stored; 0 if
 * empty. Does no rehash step. For eviction sampling. */
size_t ht_sample(ht *t, void **out, size_t n);
/* Reseeds the PRNG behind ht_random/ht_sample: the process-wide one of
 * utils/rand.h (tests use it for repeatable runs). */
void ht_set_random_seed(uint64_t seed);

/* SCAN: start with cursor 0; each call visits one bucket chain of the smaller array
 * and, while rehashing, all its expansions in the larger one, calls fn on every entry
 * there, and returns the next cursor; 0 means done. Every entry present from the
 * first call to the last is visited at least once even if the table grows, shrinks or
 * rehashes between calls; some may be visited more than once. fn must not modify t
 * (collect what to delete and do it after the call). Does no rehash step. */
typedef void ht_scan_fn(void *privdata, void *entry);
size_t ht_scan(ht *t, size_t cursor, ht_scan_fn *fn, void *privdata);

/* Safe iteration. Pauses rehashing (and shrinking) of t while active. Between calls
 * the caller may ht_delete/ht_pop the entry just returned, look entries up, and add
 * entries (which may or may not be returned); every other entry present for the
 * whole iteration is returned exactly once. Deleting an entry not yet returned is not
 * allowed. ht_iter_deinit is required (it resumes rehashing and frees the iterator's
 * buffer); t must outlive the iterator.
 *
 *   ht_iter it;
 *   ht_iter_init(&it, t);
 *   for (void *e; (e = ht_iter_next(&it)) != NULL;)
 *       if (is_stale(e)) ht_delete(t, key_of(e), keylen_of(e));
 *   ht_iter_deinit(&it);
 *
 * The iterator copies one bucket chain at a time into its own buffer; the fields are
 * private. */
#define HT_ITER_INLINE 16
typedef struct ht_iter {
    ht *t;
    int table;       /* 0 or 1: which array is being walked */
    size_t bucket;   /* next bucket index to copy */
    size_t pos, len; /* position in / length of the copied chain */
    size_t cap;      /* capacity of buf */
    void **buf;      /* inline_buf or an allocation */
    void *inline_buf[HT_ITER_INLINE];
} ht_iter;
void ht_iter_init(ht_iter *it, ht *t);
/* The next entry (borrowed), or NULL when done. */
void *ht_iter_next(ht_iter *it);
void ht_iter_deinit(ht_iter *it);

/* One bounded rehash step: moves one non-empty bucket chain (skipping at most a few
 * empty buckets). Returns false when not rehashing; true (doing nothing) while an
 * iterator pauses rehashing. */
bool ht_rehash_step(ht *t);
/* Rehashes for about `us` microseconds (checking the clock every 64 steps). Returns
 * true if still rehashing. */
bool ht_rehash_us(ht *t, long us);
bool ht_is_rehashing(const ht *t);
/* Prepares for `n` entries in total: starts a resize to the size that holds n at
 * <= 50% fill if that is larger than now (loading a snapshot). No-op while rehashing. */
void ht_expand(ht *t, size_t n);
/* Prepares for exactly n entries: the smallest size that holds n without growing
 * (fuller than ht_expand leaves it, as full as adding them one by one could: loading
 * a snapshot whose key count is known). No-op while rehashing. */
void ht_reserve(ht *t, size_t n);

/* Bytes of table memory: the struct, bucket arrays and child buckets, not entries. */
size_t ht_mem_usage(const ht *t);
/* Bytes of the entries themselves (their allocator sizes): every entry when samples
 * is 0, else the first `samples` entries' average times the entry count. */
size_t ht_entries_mem_usage(ht *t, size_t samples);
/* Number of buckets in the main array and (while rehashing) the new array; tests. */
size_t ht_buckets(const ht *t);

/* Global, default true. False while a forked child shares memory with us: tables then
 * grow only when fill is critical (5 entries per slot) and shrink only below 2.5%. */
void ht_set_resize_allowed(bool allowed);

#endif
