/* src/db.h: the databases and the one choke point for every keyspace change.
 *
 * A db is a hash table of objects (keys embedded, see object.h) plus the expire
 * index: a min-heap of the objects that carry a TTL, ordered by deadline, each
 * object holding its own heap position. The heap lets active expiry take the
 * next key due in O(log n) however many keys have a TTL (Redis samples at
 * random instead), at 12 bytes in the object plus 8 in the heap per key.
 *
 * The choke point: every write to the keyspace goes through the functions
 * below marked [write]. A command never edits the table or the heap itself.
 * Each [write] calls db_key_changed(), where WATCH, keyspace notifications,
 * tracking invalidation and dirty counting hang; the command's own propagation
 * (AOF, replication) happens after it returns, in call().
 *
 * Lookups apply lazy expiry: an expired key is deleted (counted in
 * expired_keys) and reported missing.
 *
 * Pointers returned by lookups stay valid until the next [write] on that db.
 * Functions that may move an object return the new pointer.
 */
#ifndef CAIRN_DB_H
#define CAIRN_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "object.h"

#include "../utils/ht.h"

typedef struct expire_heap {
    obj **items;
    uint32_t len, cap;
    __int128 deadline_sum; /* for INFO keyspace avg_ttl, exact */
} expire_heap;

typedef struct db {
    ht *keys;
    expire_heap expires;
    int id;
} db;

void db_setup(int count);
void db_teardown(void);
int db_count(void);
db *db_get(int id); /* NULL if out of range */

/* --- reads --- */
enum { LOOKUP_NONE = 0, LOOKUP_NOTOUCH = 1 /* leave the LRU clock alone */ };
/* With lazy expiry; counts keyspace hits/misses and records the access for
 * eviction (evict_touch(): the LRU clock or the LFU counter), unless
 * LOOKUP_NOTOUCH, the client asked for CLIENT NO-TOUCH, or a fork child is
 * running (touching would copy its pages). */
obj *db_lookup_read_flags(db *d, const char *key, size_t klen, int flags);
static inline obj *db_lookup_read(db *d, const char *key, size_t klen) {
    return db_lookup_read_flags(d, key, klen, LOOKUP_NONE);
}
/* With lazy expiry, no stats: for writes and for commands that check existence.
 * Records the access as db_lookup_read does (unless LOOKUP_NOTOUCH). */
obj *db_lookup_write_flags(db *d, const char *key, size_t klen, int flags);
static inline obj *db_lookup_write(db *d, const char *key, size_t klen) {
    return db_lookup_write_flags(d, key, klen, LOOKUP_NONE);
}
/* No expiry, no stats (e.g. SCAN filtering, DEBUG). */
obj *db_peek(db *d, const char *key, size_t klen);
size_t db_size(const db *d);
size_t db_expires_count(const db *d);
bool db_is_expired(const obj *o);
/* A random live key; NULL if the db is empty. */
obj *db_random_key(db *d);

/* --- writes [write] --- */
/* Adds o, replacing (and freeing) any object under the same key. Takes ownership.
 * Writing over a key is an access to it, as in Redis (whose setKey looks the key
 * up): the new value keeps the old one's LFU counter, incremented, unless the
 * caller passes DB_SET_ACCESSED because its own lookup just counted the access. */
enum { DB_SET_NONE = 0, DB_SET_ACCESSED = 1 };
void db_set_flags(db *d, obj *o, int flags);
static inline void db_set(db *d, obj *o) { db_set_flags(d, o, DB_SET_NONE); }
/* Adds o only if the key is absent; else frees o and returns false. */
bool db_add(db *d, obj *o);
/* Loading a snapshot: adds o if the key is absent (taking o) and returns true;
 * false (o not taken) for a duplicate. Not a change: no dirty, no listeners.
 * pos comes from db_prefetch for o's key (a batch of prefetches, then the adds, hides
 * the table's cache misses). */
void db_prefetch(const db *d, const char *key, size_t klen, ht_position *pos);
bool db_add_loaded(db *d, obj *o, ht_position *pos);
/* Deletes the key; false if it was not there. The value is freed in the
 * background per lazyfree-lazy-server-del (a deletion the server decides on). */
bool db_delete(db *d, const char *key, size_t klen);
/* DEL (lazy = lazyfree-lazy-user-del) and UNLINK (lazy = true). */
bool db_delete_lazy(db *d, const char *key, size_t klen, bool lazy);
/* Sets (when >= 0) or removes (OBJ_NO_EXPIRE) the TTL. Returns o's new address. */
obj *db_set_expire(db *d, obj *o, int64_t when_ms);
/* Tells the choke point that o's value changed in place (INCR, APPEND, ...). */
void db_touch_write(db *d, obj *o);
/* Replaces old with a new object for the same key (e.g. EMB grown into RAW);
 * frees old; keeps the TTL slot position. */
void db_replace(db *d, obj *old, obj *repl);
/* RENAME: moves src's value to dst (overwriting), keeping its TTL. */
void db_rename(db *d, obj *src, const char *dst, size_t dlen);
/* MOVE: o leaves `from` for `to` under the same key, value and TTL moved, not
 * copied; false (nothing done) if the key exists in `to`. */
bool db_move(db *from, db *to, obj *o);
/* COPY: a copy of o into another db (fails if the key exists there and
 * !replace). */
bool db_copy_to(db *dst, const obj *o, const char *key, size_t klen, bool replace);
/* FLUSHDB/FLUSHALL. Returns the number of keys removed. lazy: the old table is
 * freed by the lazy-free thread, and d is empty at once either way. */
long long db_flush(db *d, bool lazy);
void db_swap(int a, int b);

/* --- expiry --- */
/* Removes due keys from d within the time budget; returns keys expired. */
long long db_active_expire(db *d, int64_t now_ms, int64_t deadline_us);
/* Average remaining TTL of keys with one, in ms (INFO keyspace). */
long long db_avg_ttl(const db *d, int64_t now_ms);
/* The earliest deadline in d, or -1. */
int64_t db_next_expire(const db *d);

/* --- eviction (evict.h chooses, these remove) --- */
/* [write] Removes o (found in d) for maxmemory: WATCH, tracking and the
 * "evicted" event are told, a DEL is logged, evicted_keys counted; the value is
 * freed per lazyfree-lazy-eviction. */
void db_evict(db *d, obj *o);
/* Up to n keys of d at random into out[] (borrowed): any key, or with
 * volatile_only one of those with a TTL (uniformly, from the expire heap). May
 * return duplicates and expired keys. The objects are prefetched: read them after. */
size_t db_sample_keys(db *d, bool volatile_only, obj **out, size_t n);
/* The key of d with the soonest deadline, or NULL. */
obj *db_soonest_expire(db *d);

/* Called for every change; hooks for WATCH/notifications/tracking. */
void db_key_changed(db *d, const char *key, size_t klen);

#endif
