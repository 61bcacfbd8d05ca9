/* src/evict.c: see evict.h. */
#include "evict.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include "../utils/alloc.h"
#include "../utils/clock.h"
#include "../utils/log.h"
#include "../utils/rand.h"
#include "db.h"
#include "latency.h"
#include "lazyfree.h"
#include "persist.h"

/* ---------------------------------------------------------------- LRU and LFU bits */

/* Clocks wrap (LRU: 24 bits of seconds, ~194 days; LFU: 16 bits of minutes, ~45
 * days): the distance is taken modulo the clock's range. */
static inline uint32_t clock_distance(uint32_t now, uint32_t then, uint32_t mask) {
    return (now - then) & mask;
}

long long evict_idle_seconds(const obj *o) {
    return clock_distance(server.lruclock, o->lru, OBJ_LRU_MAX);
}

/* The counter after one decay per lfu-decay-time minutes since the last one. */
static unsigned lfu_decayed(const obj *o) {
    unsigned counter = o->lru & 0xFF;
    if (server.lfu_decay_time <= 0) return counter;
    uint32_t elapsed = clock_distance(evict_lfu_minutes(), o->lru >> 8, 0xFFFF);
    uint32_t periods = elapsed / (uint32_t)server.lfu_decay_time;
    return periods >= counter ? 0 : counter - periods;
}

unsigned evict_lfu_count(const obj *o) { return lfu_decayed(o); }

/* A logarithmic counter: the higher it is, the less likely a hit raises it. */
static unsigned lfu_increment(unsigned counter) {
    if (counter >= 255) return 255;
    double base = counter > EVICT_LFU_INIT ? (double)(counter - EVICT_LFU_INIT) : 0.0;
    double p = 1.0 / (base * server.lfu_log_factor + 1.0);
    double r = (double)(rand_u64() >> 11) * 0x1.0p-53; /* uniform in [0, 1) */
    return r < p ? counter + 1 : counter;
}

void evict_touch(obj *o) {
    if (evict_policy_is_lfu()) {
        unsigned counter = lfu_increment(lfu_decayed(o));
        o->lru = (evict_lfu_minutes() << 8) | counter;
    } else {
        o->lru = server.lruclock & OBJ_LRU_MAX;
    }
}

/* ---------------------------------------------------------------- counted memory */

size_t evict_not_counted_memory(void) { return persist_aof_buffer_mem(); }

size_t evict_counted_memory(void) {
    size_t used = cn_used_memory(), not_counted = evict_not_counted_memory();
    return used > not_counted ? used - not_counted : 0;
}

static inline bool over_limit(void) {
    return server.maxmemory && evict_counted_memory() > (size_t)server.maxmemory;
}

/* ---------------------------------------------------------------- the pool
 * The best candidates seen so far, ascending by score: the best is last. Keys are
 * copies (the objects may be freed or moved before their turn); each slot keeps
 * its buffer for reuse, also past pool_len. */

typedef struct pool_entry {
    uint64_t score; /* higher = evict sooner */
    int dbid;
    size_t klen, cap;
    char *key;
} pool_entry;

static pool_entry pool[EVICT_POOL_SIZE];
static size_t pool_len;

static void pool_insert(int dbid, const obj *o, uint64_t score) {
    size_t klen = obj_keylen(o);
    const char *key = obj_key(o);
    if (pool_len == EVICT_POOL_SIZE && score <= pool[0].score) return;
    for (size_t i = 0; i < pool_len; i++) /* samples repeat: keep each key once */
        if (pool[i].dbid == dbid && pool[i].klen == klen && !memcmp(pool[i].key, key, klen)) return;
    /* i: the first entry scoring higher; the new one goes just before it. */
    size_t i = 0;
    while (i < pool_len && pool[i].score < score) i++;
    pool_entry slot;
    if (pool_len < EVICT_POOL_SIZE) {
        slot = pool[pool_len]; /* a spare buffer, if this slot had one */
        memmove(&pool[i + 1], &pool[i], (pool_len - i) * sizeof(pool_entry));
        pool_len++;
    } else {
        slot = pool[0]; /* the worst goes; its buffer is reused */
        i--;
        memmove(&pool[0], &pool[1], i * sizeof(pool_entry));
    }
    if (slot.cap < klen) {
        cn_free(slot.key);
        slot.cap = klen < 64 ? 64 : klen;
        slot.key = cn_malloc(slot.cap);
    }
    memcpy(slot.key, key, klen);
    slot.klen = klen;
    slot.dbid = dbid;
    slot.score = score;
    pool[i] = slot;
}

/* Takes the best entry out (its buffer parks past pool_len). */
static pool_entry *pool_pop(void) {
    return pool_len ? &pool[--pool_len] : NULL;
}

static uint64_t score_of(const obj *o) {
    if (server.maxmemory_policy & EVICT_CHOOSE_LFU) return 255 - lfu_decayed(o);
    return (uint64_t)evict_idle_seconds(o);
}

/* ---------------------------------------------------------------- choosing */

static obj **samples;
static size_t samples_cap;

/* Samples every db into the pool; false when there was nothing to sample. */
static bool pool_fill(bool volatile_only) {
    size_t n = (size_t)server.maxmemory_samples, total = 0;
    if (samples_cap < n) {
        samples = cn_realloc(samples, n * sizeof(obj *));
        samples_cap = n;
    }
    for (int i = 0; i < db_count(); i++) {
        db *d = db_get(i);
        size_t got = db_sample_keys(d, volatile_only, samples, n);
        for (size_t j = 0; j < got; j++) pool_insert(i, samples[j], score_of(samples[j]));
        total += got;
    }
    return total > 0;
}

/* The LRU/LFU victim: the pool's best that still exists. */
static obj *choose_sampled(db **where) {
    bool volatile_only = server.maxmemory_policy & EVICT_FROM_VOLATILE;
    for (int round = 0; round < 16; round++) {
        if (!pool_fill(volatile_only)) return NULL;
        for (pool_entry *e; (e = pool_pop()) != NULL;) {
            db *d = db_get(e->dbid);
            obj *o = d ? db_peek(d, e->key, e->klen) : NULL;
            /* Gone, or (volatile) its TTL was removed since it was sampled. */
            if (!o || (volatile_only && !o->has_expire)) continue;
            /* Used since it was sampled: it goes back with its new score, and the
             * next best is considered. Scores only fall here, so this ends. */
            uint64_t now = score_of(o);
            if (now < e->score) {
                pool_insert(e->dbid, o, now);
                continue;
            }
            *where = d;
            return o;
        }
    }
    return NULL;
}

static int next_db; /* random policies take dbs in turn */

static obj *choose_random(db **where) {
    bool volatile_only = server.maxmemory_policy & EVICT_FROM_VOLATILE;
    for (int tries = 0; tries < db_count(); tries++) {
        db *d = db_get(next_db);
        next_db = (next_db + 1) % db_count();
        obj *o;
        if (db_sample_keys(d, volatile_only, &o, 1) == 1) {
            *where = d;
            return o;
        }
    }
    return NULL;
}

/* volatile-ttl: each db's heap knows its soonest key; take the soonest of those. */
static obj *choose_soonest(db **where) {
    obj *best = NULL;
    for (int i = 0; i < db_count(); i++) {
        obj *o = db_soonest_expire(db_get(i));
        if (o && (!best || obj_expire(o) < obj_expire(best))) {
            best = o;
            *where = db_get(i);
        }
    }
    return best;
}

static bool evict_one(void) {
    db *d = NULL;
    obj *o;
    int policy = server.maxmemory_policy;
    if (policy & (EVICT_CHOOSE_LRU | EVICT_CHOOSE_LFU)) o = choose_sampled(&d);
    else if (policy & EVICT_CHOOSE_RANDOM) o = choose_random(&d);
    else if (policy & EVICT_CHOOSE_TTL) o = choose_soonest(&d);
    else o = NULL;
    if (!o) return false;
    int64_t t = latency_start();
    db_evict(d, o);
    latency_add_sample_if_needed("eviction-del", latency_end_ms(t));
    return true;
}

/* ---------------------------------------------------------------- the loop */

/* Redis's scale: 50 us per step up to 10 (the default, 500 us), then 15% more per
 * step; 100 means no limit. */
static int64_t time_limit_us(void) {
    int t = server.maxmemory_eviction_tenacity;
    if (t <= 10) return 50LL * (t > 0 ? t : 1);
    if (t < 100) return (int64_t)(500.0 * pow(1.15, t - 10));
    return INT64_MAX;
}

static bool still_running; /* ran out of time while over the limit */

/* INFO's eviction_exceeded_time: how long the counted memory has stayed over
 * maxmemory after an eviction attempt (Redis's definition). */
static int64_t exceeded_since_us; /* 0: not over */
static int64_t exceeded_total_us; /* finished spells */

static void exceeded_track(bool over) {
    if (over && !exceeded_since_us) {
        exceeded_since_us = clock_mono_us();
    } else if (!over && exceeded_since_us) {
        exceeded_total_us += clock_mono_us() - exceeded_since_us;
        exceeded_since_us = 0;
    }
}

void evict_exceeded_ms(long long *total, long long *current) {
    int64_t cur = exceeded_since_us ? clock_mono_us() - exceeded_since_us : 0;
    *current = cur / 1000;
    *total = (exceeded_total_us + cur) / 1000;
}

void evict_reset_stats(void) { exceeded_since_us = exceeded_total_us = 0; }

evict_status evict_perform(void) {
    if (!over_limit()) {
        still_running = false;
        exceeded_track(false);
        return EVICT_OK;
    }
    /* While loading or paused, the dataset stays as it is (Redis's rule). */
    if (server.loading || server_writes_paused()) return EVICT_OK;
    if (server.maxmemory_policy == MAXMEMORY_NOEVICTION) {
        exceeded_track(true);
        return EVICT_FAIL;
    }
    int64_t start = clock_mono_us(), limit = time_limit_us(), cycle = latency_start();
    long long evicted = 0;
    evict_status st = EVICT_OK;
    while (over_limit()) {
        if (!evict_one()) {
            st = EVICT_FAIL;
            /* Nothing left to evict, but the lazy-free thread may be about to give
             * memory back: wait for it a little, never long. */
            if (lazyfree_pending_objects()) {
                int64_t t = latency_start();
                usleep((useconds_t)(limit < 1000 ? limit : 1000));
                latency_add_sample_if_needed("eviction-lazyfree", latency_end_ms(t));
                if (!over_limit()) st = EVICT_OK;
            }
            break;
        }
        evicted++;
        if ((evicted & 15) == 0 && clock_mono_us() - start >= limit) {
            st = over_limit() ? EVICT_RUNNING : EVICT_OK;
            break;
        }
    }
    still_running = st == EVICT_RUNNING;
    exceeded_track(st != EVICT_OK);
    latency_add_sample_if_needed("eviction-cycle", latency_end_ms(cycle));
    return st;
}

bool evict_before_sleep(void) {
    if (!still_running) return false;
    return evict_perform() == EVICT_RUNNING;
}

void evict_maxmemory_changed(void) {
    size_t used = evict_counted_memory();
    if (server.maxmemory && used > (size_t)server.maxmemory) {
        log_warning("WARNING: the new maxmemory value set via CONFIG SET (%lld) is smaller than "
                    "the current memory usage (%zu). This will result in key eviction and/or "
                    "the inability to accept new write commands depending on the "
                    "maxmemory-policy.",
                    server.maxmemory, used);
        still_running = true;
    } else {
        exceeded_track(false);
    }
}

void evict_setup(void) {}

void evict_teardown(void) {
    for (size_t i = 0; i < EVICT_POOL_SIZE; i++) cn_free(pool[i].key);
    memset(pool, 0, sizeof(pool));
    pool_len = 0;
    cn_free(samples);
    samples = NULL;
    samples_cap = 0;
}
