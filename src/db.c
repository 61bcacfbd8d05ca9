/* src/db.c: see db.h. The only file that edits the keyspace tables. */
#include "db.h"

#include "../utils/alloc.h"
#include "../utils/clock.h"
#include "../utils/ht.h"
#include "../utils/rand.h"
#include "evict.h"
#include "lazyfree.h"
#include "multi.h"
#include "notify.h"
#include "persist.h"
#include "server.h"
#include "tracking.h"

static db *dbs;
static int ndbs;

static const void *obj_entry_key(const void *entry, size_t *len) {
    const obj *o = entry;
    *len = obj_keylen(o);
    return obj_key(o);
}

static void obj_entry_destroy(void *entry) { obj_free(entry); }

static const ht_type keyspace_type = {.entry_key = obj_entry_key, .entry_destroy = obj_entry_destroy};

/* ---------------------------------------------------------------- expire heap
 * A binary min-heap of objects by deadline; each object stores its index. */

static inline int64_t deadline(const obj *o) { return obj_expire(o); }

static inline void heap_put(expire_heap *h, uint32_t i, obj *o) {
    h->items[i] = o;
    obj_set_heap_index(o, i);
}

static void heap_sift_up(expire_heap *h, uint32_t i) {
    obj *o = h->items[i];
    int64_t when = deadline(o);
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (deadline(h->items[parent]) <= when) break;
        heap_put(h, i, h->items[parent]);
        i = parent;
    }
    heap_put(h, i, o);
}

static void heap_sift_down(expire_heap *h, uint32_t i) {
    obj *o = h->items[i];
    int64_t when = deadline(o);
    for (;;) {
        uint32_t l = 2 * i + 1, best = i;
        int64_t bw = when;
        if (l < h->len && deadline(h->items[l]) < bw) best = l, bw = deadline(h->items[l]);
        if (l + 1 < h->len && deadline(h->items[l + 1]) < bw) best = l + 1;
        if (best == i) break;
        heap_put(h, i, h->items[best]);
        i = best;
    }
    heap_put(h, i, o);
}

static void heap_push(expire_heap *h, obj *o) {
    if (h->len == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 16;
        h->items = cn_realloc(h->items, h->cap * sizeof(obj *));
    }
    h->deadline_sum += deadline(o);
    heap_put(h, h->len++, o);
    heap_sift_up(h, h->len - 1);
}

static void heap_remove(expire_heap *h, obj *o) {
    uint32_t i = obj_heap_index(o);
    obj *last = h->items[--h->len];
    h->deadline_sum -= deadline(o);
    if (i != h->len) {
        heap_put(h, i, last);
        heap_sift_up(h, i);
        heap_sift_down(h, obj_heap_index(last));
    }
    /* Shrink when mostly empty, so a burst of TTLs does not pin memory. */
    if (h->cap > 64 && h->len < h->cap / 4) {
        h->cap /= 2;
        h->items = cn_realloc(h->items, h->cap * sizeof(obj *));
    }
}

/* After o's deadline changed from old. */
static void heap_fix(expire_heap *h, obj *o, int64_t old) {
    h->deadline_sum += deadline(o) - old;
    uint32_t i = obj_heap_index(o);
    heap_sift_up(h, i);
    heap_sift_down(h, obj_heap_index(o));
}

/* ---------------------------------------------------------------- set-up */

void db_setup(int count) {
    ndbs = count;
    dbs = cn_calloc((size_t)count, sizeof(db));
    for (int i = 0; i < count; i++) {
        dbs[i].keys = ht_create(&keyspace_type);
        dbs[i].id = i;
    }
}

void db_teardown(void) {
    for (int i = 0; i < ndbs; i++) {
        ht_destroy(dbs[i].keys);
        cn_free(dbs[i].expires.items);
    }
    cn_free(dbs);
    dbs = NULL;
    ndbs = 0;
}

int db_count(void) { return ndbs; }
db *db_get(int id) { return id >= 0 && id < ndbs ? &dbs[id] : NULL; }
size_t db_size(const db *d) { return ht_size(d->keys); }
size_t db_expires_count(const db *d) { return d->expires.len; }

/* ---------------------------------------------------------------- the choke point */

/* The listeners of a key change: waiters, WATCH, client-side caching. */
static inline void key_listeners(db *d, const char *key, size_t klen, bool by_expiry) {
    block_signal_key(d, key, klen);
    multi_touch_key(d, key, klen, by_expiry);
    tracking_invalidate_key(key, klen);
}

void db_key_changed(db *d, const char *key, size_t klen) {
    server.dirty++;
    key_listeners(d, key, klen, false);
}

/* Unlinks o (found under its key) from the table and the heap, and frees it
 * (lazy: on the lazy-free thread if it is big). */
static void unlink_and_free(db *d, obj *o, bool lazy) {
    if (o->has_expire) heap_remove(&d->expires, o);
    ht_pop(d->keys, obj_key(o), obj_keylen(o));
    lazyfree_free_obj(o, lazy);
}

/* An expiry is not a change made by a command: it is not counted in dirty (as in
 * Redis), and it is propagated as its own DEL, so a replay never reads the clock. */
static void expire_now(db *d, obj *o) {
    /* Listeners and subscribers hear of it while the key's bytes are still there
     * (none of them touches the keyspace). */
    const char *key = obj_key(o);
    size_t klen = obj_keylen(o);
    key_listeners(d, key, klen, true);
    notify_keyspace_event(NOTIFY_EXPIRED, "expired", d, key, klen);
    persist_propagate_removed(d->id, key, klen);
    unlink_and_free(d, o, server.lazyfree_lazy_expire);
    server.stat_expiredkeys++;
}

/* Eviction, like expiry, is the server's doing: no dirty, its own DEL in the log. */
void db_evict(db *d, obj *o) {
    const char *key = obj_key(o);
    size_t klen = obj_keylen(o);
    key_listeners(d, key, klen, false);
    notify_keyspace_event(NOTIFY_EVICTED, "evicted", d, key, klen);
    persist_propagate_removed(d->id, key, klen);
    unlink_and_free(d, o, server.lazyfree_lazy_eviction);
    server.stat_evictedkeys++;
}

size_t db_sample_keys(db *d, bool volatile_only, obj **out, size_t n) {
    if (!volatile_only) {
        /* Independent draws: ht_sample's neighbouring buckets made a measurably
         * worse LRU (hot-set hit rate 0.67 instead of 0.72 in test_evict). */
        size_t got = ht_random_many(d->keys, (void **)out, n);
        for (size_t i = 0; i < got; i++) __builtin_prefetch(out[i]);
        return got;
    }
    size_t len = d->expires.len, got = 0;
    for (; len && got < n; got++) {
        out[got] = d->expires.items[rand_below(len)];
        __builtin_prefetch(out[got]);
    }
    return got;
}

obj *db_soonest_expire(db *d) { return d->expires.len ? d->expires.items[0] : NULL; }

/* Nothing expires while loading: a loaded AOF may still refer to the key. */
static inline bool due(const obj *o) {
    return o->has_expire && obj_expire(o) <= server.now_ms && !server.loading;
}

bool db_is_expired(const obj *o) { return due(o); }

/* A due key is deleted, except while CLIENT PAUSE holds writes: then it is only
 * reported missing (Redis's rule), and deleted once the pause ends. */
static inline bool expire_if_due(db *d, obj *o) {
    if (!due(o)) return false;
    if (!server_writes_paused()) expire_now(d, o);
    return true;
}

obj *db_peek(db *d, const char *key, size_t klen) { return ht_find(d->keys, key, klen); }

/* The key, with lazy expiry; no stats, no touch. */
static obj *lookup(db *d, const char *key, size_t klen) {
    obj *o = ht_find(d->keys, key, klen);
    if (o && expire_if_due(d, o)) return NULL;
    return o;
}

static inline void touch(obj *o, int flags) {
    if (!(flags & LOOKUP_NOTOUCH) && !(server.current && server.current->flags & CLIENT_NO_TOUCH) &&
        !persist_child_running())
        evict_touch(o);
}

obj *db_lookup_write_flags(db *d, const char *key, size_t klen, int flags) {
    obj *o = lookup(d, key, klen);
    if (o) touch(o, flags);
    return o;
}

obj *db_lookup_read_flags(db *d, const char *key, size_t klen, int flags) {
    obj *o = lookup(d, key, klen);
    if (o) {
        server.stat_keyspace_hits++;
        touch(o, flags);
    } else {
        server.stat_keyspace_misses++;
        notify_keyspace_event(NOTIFY_KEY_MISS, "keymiss", d, key, klen);
    }
    return o;
}

obj *db_random_key(db *d) {
    for (int tries = 0; tries < 100 && ht_size(d->keys); tries++) {
        obj *o = ht_random(d->keys);
        if (!o) return NULL;
        if (!expire_if_due(d, o)) return o;
    }
    return NULL;
}

void db_set_flags(db *d, obj *o, int flags) {
    ht_position pos;
    void **slot = ht_find_or_position(d->keys, obj_key(o), obj_keylen(o), &pos);
    if (slot && due(*slot) && !server_writes_paused()) {
        /* Writing over a key that had expired: it expires first (its events, its DEL
         * in the log), and the write adds a new key, as in Redis. */
        expire_now(d, *slot);
        slot = ht_find_or_position(d->keys, obj_key(o), obj_keylen(o), &pos);
    }
    if (slot) {
        obj *old = *slot;
        if (old->has_expire) heap_remove(&d->expires, old);
        *slot = o;
        /* An overwrite keeps the key's access frequency and is an access itself
         * (under LRU the new object's clock is already now). */
        if (evict_policy_is_lfu()) {
            o->lru = old->lru;
            if (!(flags & DB_SET_ACCESSED)) touch(o, LOOKUP_NONE);
        }
        lazyfree_free_obj(old, server.lazyfree_lazy_server_del);
    } else {
        ht_insert_at(d->keys, &pos, o);
    }
    if (o->has_expire) heap_push(&d->expires, o);
    db_key_changed(d, obj_key(o), obj_keylen(o));
    if (!slot) notify_keyspace_event(NOTIFY_NEW, "new", d, obj_key(o), obj_keylen(o));
}

void db_prefetch(const db *d, const char *key, size_t klen, ht_position *pos) {
    ht_prefetch(d->keys, key, klen, pos);
}

bool db_add_loaded(db *d, obj *o, ht_position *pos) {
    if (ht_find_or_position_at(d->keys, obj_key(o), obj_keylen(o), pos)) return false;
    ht_insert_at(d->keys, pos, o);
    if (o->has_expire) heap_push(&d->expires, o);
    return true;
}

bool db_add(db *d, obj *o) {
    if (lookup(d, obj_key(o), obj_keylen(o))) {
        obj_free(o);
        return false;
    }
    db_set(d, o);
    return true;
}

bool db_delete_lazy(db *d, const char *key, size_t klen, bool lazy) {
    obj *o = lookup(d, key, klen);
    if (!o) return false;
    db_key_changed(d, key, klen);
    unlink_and_free(d, o, lazy);
    return true;
}

bool db_delete(db *d, const char *key, size_t klen) {
    return db_delete_lazy(d, key, klen, server.lazyfree_lazy_server_del);
}

void db_replace(db *d, obj *old, obj *repl) {
    void **slot = ht_find_ref(d->keys, obj_key(old), obj_keylen(old));
    *slot = repl;
    repl->lru = old->lru; /* the same key: its access history stays */
    if (old->has_expire && repl->has_expire) {
        heap_put(&d->expires, obj_heap_index(old), repl);
        heap_fix(&d->expires, repl, obj_expire(old));
    } else if (old->has_expire) {
        heap_remove(&d->expires, old);
    }
    else if (repl->has_expire) heap_push(&d->expires, repl);
    obj_free(old);
    db_key_changed(d, obj_key(repl), obj_keylen(repl));
}

obj *db_set_expire(db *d, obj *o, int64_t when_ms) {
    if (when_ms == OBJ_NO_EXPIRE) {
        if (!o->has_expire) return o;
        heap_remove(&d->expires, o);
        void **slot = ht_find_ref(d->keys, obj_key(o), obj_keylen(o));
        o = obj_resize_meta(o, false);
        *slot = o;
    } else if (o->has_expire) {
        int64_t old = obj_expire(o);
        obj_set_expire_field(o, when_ms);
        heap_fix(&d->expires, o, old);
    } else {
        void **slot = ht_find_ref(d->keys, obj_key(o), obj_keylen(o));
        o = obj_resize_meta(o, true);
        *slot = o;
        obj_set_expire_field(o, when_ms);
        heap_push(&d->expires, o);
    }
    db_key_changed(d, obj_key(o), obj_keylen(o));
    return o;
}

void db_touch_write(db *d, obj *o) { db_key_changed(d, obj_key(o), obj_keylen(o)); }

/* Takes o out of d's table and heap without freeing it. */
static void unlink_only(db *d, obj *o) {
    db_key_changed(d, obj_key(o), obj_keylen(o));
    if (o->has_expire) heap_remove(&d->expires, o);
    ht_pop(d->keys, obj_key(o), obj_keylen(o));
}

void db_rename(db *d, obj *src, const char *dst, size_t dlen) {
    unlink_only(d, src);
    /* An existing destination is deleted, then the key added ("new"), as in Redis. */
    db_delete(d, dst, dlen);
    db_set(d, obj_rekey(src, dst, dlen)); /* the value moves: O(1) for any type */
}

bool db_move(db *from, db *to, obj *o) {
    if (lookup(to, obj_key(o), obj_keylen(o))) return false;
    unlink_only(from, o);
    db_set(to, obj_rekey(o, obj_key(o), obj_keylen(o)));
    return true;
}

bool db_copy_to(db *dst, const obj *o, const char *key, size_t klen, bool replace) {
    if (!replace && lookup(dst, key, klen)) return false;
    if (replace) db_delete(dst, key, klen); /* then added: "new", as in Redis */
    db_set(dst, obj_dup(o, key, klen, obj_expire(o)));
    return true;
}

long long db_flush(db *d, bool lazy) {
    multi_touch_db(d, NULL);
    tracking_invalidate_flush();
    long long n = (long long)ht_size(d->keys);
    if (lazy && n) {
        lazyfree_free_keyspace(d->keys, d->expires.items);
        d->keys = ht_create(&keyspace_type);
    } else {
        ht_clear(d->keys);
        cn_free(d->expires.items);
    }
    d->expires = (expire_heap){0};
    server.dirty += n;
    return n;
}

void db_swap(int a, int b) {
    multi_touch_db(&dbs[a], &dbs[b]);
    multi_touch_db(&dbs[b], &dbs[a]);
    db tmp = dbs[a];
    dbs[a] = dbs[b];
    dbs[b] = tmp;
    dbs[a].id = a;
    dbs[b].id = b;
    server.dirty++;
    block_signal_db(&dbs[a]);
    block_signal_db(&dbs[b]);
}

/* ---------------------------------------------------------------- expiry */

int64_t db_next_expire(const db *d) { return d->expires.len ? deadline(d->expires.items[0]) : -1; }

long long db_active_expire(db *d, int64_t now_ms, int64_t deadline_us) {
    long long n = 0;
    if (server_writes_paused()) return 0;
    while (d->expires.len && deadline(d->expires.items[0]) <= now_ms) {
        expire_now(d, d->expires.items[0]);
        n++;
        if ((n & 15) == 0 && clock_mono_us() >= deadline_us) break;
    }
    return n;
}

long long db_avg_ttl(const db *d, int64_t now_ms) {
    if (!d->expires.len) return 0;
    long long avg = (long long)(d->expires.deadline_sum / d->expires.len) - now_ms;
    return avg > 0 ? avg : 0;
}
