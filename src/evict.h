/* src/evict.h: maxmemory, key eviction and the per-key LRU/LFU data.
 *
 * What it does. With `maxmemory` set, evict_perform() runs before every command
 * (call() in server.c). While the memory counted against the limit is above it, it
 * removes keys chosen by `maxmemory-policy`, through db_evict() (db.h), the choke
 * point that tells WATCH, tracking and keyspace notifications ("evicted") and logs
 * a DEL. A command that may grow memory (CMD_DENYOOM, or EXEC with one queued, or
 * anything queued inside MULTI) is refused with Redis's -OOM error when eviction
 * could not get under the limit; reads keep working.
 *
 * Counted memory (evict_counted_memory()): cn_used_memory() minus what is not the
 * dataset's doing: the AOF buffer (and replication buffers when they exist). The
 * difference is INFO memory's mem_not_counted_for_evict.
 *
 * Policies (maxmemory-policy, Redis's names):
 *   noeviction                      nothing is evicted; writes get -OOM
 *   allkeys-lru / volatile-lru      the least recently used of a sample
 *   allkeys-lfu / volatile-lfu      the least frequently used of a sample
 *   allkeys-random / volatile-random  a random key
 *   volatile-ttl                    the key that expires soonest
 * volatile-* consider only keys with a TTL; with none, nothing can be evicted.
 *
 * Choosing, approximated as Redis documents it: each round takes
 * `maxmemory-samples` keys from every non-empty db (any key for allkeys-*, a
 * uniformly random entry of the db's expire heap for volatile-*), scores them and
 * merges them into a pool of the EVICT_POOL_SIZE best candidates kept between
 * rounds; the best candidate still present is evicted. volatile-ttl needs no
 * sampling: each db's expire heap (db.h) has the soonest deadline at its top, so
 * Cairn evicts the exact soonest key across dbs where Redis samples.
 *
 * Per-key data: obj.lru's 24 bits (object.h), meaning one thing or the other by
 * policy, so the entry never grows:
 *   LRU: the LRU clock (seconds, 24 bits, server.lruclock) of the last access;
 *   LFU: [minutes of the last decay: 16][log counter: 8]. A new key starts at
 *        EVICT_LFU_INIT so it is not evicted before it had a chance. An access
 *        first decays the counter by one per `lfu-decay-time` minutes elapsed, then
 *        increments it with probability 1 / ((counter - INIT) * lfu-log-factor + 1),
 *        so 255 takes about a million hits at the default factor of 10.
 * After a switch between LRU and LFU policies the old bits are read with the new
 * meaning until keys are touched again (Redis has the same caveat).
 *
 * Time: one evict_perform() spends at most the budget that
 * `maxmemory-eviction-tenacity` gives (Redis's scale: 10 = 500 us). If the memory
 * is still over the limit when the budget runs out but keys were evicted, the
 * command runs anyway (EVICT_RUNNING) and eviction goes on from before-sleep
 * (evict_before_sleep()) until under the limit. Nothing is evicted while loading
 * or while CLIENT PAUSE holds writes (the dataset stays static, as in Redis).
 *
 * Never does: reply to clients (call() turns EVICT_FAIL into the error) or touch
 * the tables itself (db.h does).
 */
#ifndef CAIRN_EVICT_H
#define CAIRN_EVICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "object.h"
#include "server.h"

/* maxmemory-policy values. The low bits say how keys are chosen, the high ones
 * from which keys. */
enum {
    EVICT_CHOOSE_LRU = 1 << 0,
    EVICT_CHOOSE_LFU = 1 << 1,
    EVICT_CHOOSE_TTL = 1 << 2,
    EVICT_CHOOSE_RANDOM = 1 << 3,
    EVICT_FROM_ALLKEYS = 1 << 4,
    EVICT_FROM_VOLATILE = 1 << 5,
    MAXMEMORY_NOEVICTION = 0,
    MAXMEMORY_ALLKEYS_LRU = EVICT_FROM_ALLKEYS | EVICT_CHOOSE_LRU,
    MAXMEMORY_ALLKEYS_LFU = EVICT_FROM_ALLKEYS | EVICT_CHOOSE_LFU,
    MAXMEMORY_ALLKEYS_RANDOM = EVICT_FROM_ALLKEYS | EVICT_CHOOSE_RANDOM,
    MAXMEMORY_VOLATILE_LRU = EVICT_FROM_VOLATILE | EVICT_CHOOSE_LRU,
    MAXMEMORY_VOLATILE_LFU = EVICT_FROM_VOLATILE | EVICT_CHOOSE_LFU,
    MAXMEMORY_VOLATILE_RANDOM = EVICT_FROM_VOLATILE | EVICT_CHOOSE_RANDOM,
    MAXMEMORY_VOLATILE_TTL = EVICT_FROM_VOLATILE | EVICT_CHOOSE_TTL,
};

/* Defaults and limits (Redis's). */
#define CONFIG_DEFAULT_MAXMEMORY 0
#define CONFIG_DEFAULT_MAXMEMORY_POLICY MAXMEMORY_NOEVICTION
#define CONFIG_DEFAULT_MAXMEMORY_SAMPLES 5
#define CONFIG_DEFAULT_EVICTION_TENACITY 10
#define CONFIG_DEFAULT_LFU_LOG_FACTOR 10
#define CONFIG_DEFAULT_LFU_DECAY_TIME 1
#define EVICT_POOL_SIZE 16
#define EVICT_LFU_INIT 5

typedef enum {
    EVICT_OK,      /* under the limit (or no limit) */
    EVICT_RUNNING, /* still over, but progressing: the command may run */
    EVICT_FAIL,    /* over, and nothing (more) can be evicted */
} evict_status;

void evict_setup(void);
void evict_teardown(void);

/* Brings the counted memory under maxmemory, as far as the policy and the time
 * budget allow. Cheap when maxmemory is 0 or memory is under it. */
evict_status evict_perform(void);
/* Goes on with an eviction that ran out of time; before-sleep calls it. True
 * while more remains to do (the loop should not sleep). */
bool evict_before_sleep(void);
/* CONFIG SET maxmemory lowered it: logs Redis's warning when already over and
 * starts evicting. */
void evict_maxmemory_changed(void);

/* INFO stats total_ and current_eviction_exceeded_time: milliseconds the memory
 * has stayed over maxmemory after eviction attempts, in all (the current spell
 * included) and in the current spell (0 if none); CONFIG RESETSTAT clears them. */
void evict_exceeded_ms(long long *total, long long *current);
void evict_reset_stats(void);

/* The memory compared with maxmemory, and what is left out of it. */
size_t evict_counted_memory(void);
size_t evict_not_counted_memory(void);

/* ---- the per-key LRU/LFU bits ---- */

static inline bool evict_policy_is_lfu(void) {
    return server.maxmemory_policy & EVICT_CHOOSE_LFU;
}
static inline uint32_t evict_lfu_minutes(void) {
    return (uint32_t)(server.now_ms / 60000) & 0xFFFF;
}
/* The lru field of a new object. */
static inline uint32_t evict_initial_lru(void) {
    return evict_policy_is_lfu() ? (evict_lfu_minutes() << 8) | EVICT_LFU_INIT
                                 : server.lruclock & OBJ_LRU_MAX;
}
/* Records an access to o (its LRU time, or an LFU decay and increment). */
void evict_touch(obj *o);
/* OBJECT FREQ: o's LFU counter after decay (not incremented). */
unsigned evict_lfu_count(const obj *o);
/* OBJECT IDLETIME: seconds since o's last access under an LRU clock. */
long long evict_idle_seconds(const obj *o);

#endif
