/* src/notify.h: keyspace notifications (notify-keyspace-events).
 *
 * What it does. A command that changed a key reports the change once, after
 * making it, with the event name Redis uses ("set", "lpush", "expire",
 * "rename_from", ...) and the class of the event:
 *
 *   notify_keyspace_event(NOTIFY_LIST, "lpush", c->db, key, klen);
 *
 * When the configured flags enable that class, the event is published (pubsub.h)
 * on up to two channels:
 *   __keyspace@<db>__:<key>   message: the event name   (flag K)
 *   __keyevent@<db>__:<event> message: the key          (flag E)
 *
 * Who reports what:
 *  - db.c reports what no command decides: "new" (a key added to a db, class n),
 *    "expired" (lazy or active expiry, x) and "keymiss" (a read lookup that
 *    found nothing, m). Eviction reports "evicted" (e).
 *  - Every command handler reports its own events, in the order Redis does (e.g.
 *    LMOVE: "lpush"/"rpush" on the destination first, then "lpop"/"rpop" on the
 *    source; a container emptied by a removal: the removal's event, then "del"
 *    as NOTIFY_GENERIC).
 *
 * Cost when disabled: notify_keyspace_event() is an inline test of one global
 * mask; nothing is formatted or allocated unless a class is on.
 *
 * The flag letters (Redis's): K keyspace, E keyevent, g generic, $ string,
 * l list, s set, h hash, z sorted set, x expired, e evicted, t stream,
 * m key miss, d module, n new key; A is "g$lshzxetd". Classes fire only with K
 * or E among the flags too.
 *
 * Never: blocks, or writes to a client other than through pubsub.h.
 */
#ifndef CAIRN_NOTIFY_H
#define CAIRN_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>

typedef struct db db;

enum {
    NOTIFY_KEYSPACE = 1 << 0, /* K */
    NOTIFY_KEYEVENT = 1 << 1, /* E */
    NOTIFY_GENERIC = 1 << 2,  /* g: del, expire, rename_from, rename_to, ... */
    NOTIFY_STRING = 1 << 3,   /* $ */
    NOTIFY_LIST = 1 << 4,     /* l */
    NOTIFY_SET = 1 << 5,      /* s */
    NOTIFY_HASH = 1 << 6,     /* h */
    NOTIFY_ZSET = 1 << 7,     /* z */
    NOTIFY_EXPIRED = 1 << 8,  /* x */
    NOTIFY_EVICTED = 1 << 9,  /* e */
    NOTIFY_STREAM = 1 << 10,  /* t */
    NOTIFY_KEY_MISS = 1 << 11, /* m (not in A) */
    NOTIFY_MODULE = 1 << 12,  /* d */
    NOTIFY_NEW = 1 << 13,     /* n (not in A) */
    NOTIFY_ALL = NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH |
                 NOTIFY_ZSET | NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE,
};

/* The configured flags (notify-keyspace-events), as the enum above. */
extern int notify_flags;

/* Parses a flag string ("KEA", "Egx", ""); false if it has an unknown letter. */
bool notify_parse_flags(const char *s, size_t len, int *out);
/* The canonical string of flags (what CONFIG GET shows) into buf (>= 16 bytes). */
void notify_flags_string(int flags, char *buf, size_t cap);

void notify_publish(int type, const char *event, const db *d, const char *key, size_t klen);
/* Reports event on key (in db d). type is one class (NOTIFY_GENERIC ... NOTIFY_NEW). */
static inline void notify_keyspace_event(int type, const char *event, const db *d,
                                         const char *key, size_t klen) {
    if ((notify_flags & type) && (notify_flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT)))
        notify_publish(type, event, d, key, klen);
}

#endif
