/* src/notify.c: see notify.h. */
#include "notify.h"

#include <stdio.h>

#include "pubsub.h"
#include "server.h"

int notify_flags;

static const struct {
    char letter;
    int bit;
} letters[] = {
    {'g', NOTIFY_GENERIC}, {'$', NOTIFY_STRING}, {'l', NOTIFY_LIST},    {'s', NOTIFY_SET},
    {'h', NOTIFY_HASH},    {'z', NOTIFY_ZSET},   {'x', NOTIFY_EXPIRED}, {'e', NOTIFY_EVICTED},
    {'t', NOTIFY_STREAM},  {'d', NOTIFY_MODULE}, {'n', NOTIFY_NEW},     {'K', NOTIFY_KEYSPACE},
    {'E', NOTIFY_KEYEVENT}, {'m', NOTIFY_KEY_MISS},
};
#define NLETTERS (sizeof(letters) / sizeof(letters[0]))

bool notify_parse_flags(const char *s, size_t len, int *out) {
    int flags = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == 'A') {
            flags |= NOTIFY_ALL;
            continue;
        }
        size_t j;
        for (j = 0; j < NLETTERS && letters[j].letter != s[i]; j++) {}
        if (j == NLETTERS) return false;
        flags |= letters[j].bit;
    }
    *out = flags;
    return true;
}

void notify_flags_string(int flags, char *buf, size_t cap) {
    size_t n = 0;
    bool all = (flags & NOTIFY_ALL) == NOTIFY_ALL;
    if (all && n + 1 < cap) buf[n++] = 'A';
    /* Redis's order: the classes (or A), then K, E and m. */
    for (size_t j = 0; j < NLETTERS && n + 1 < cap; j++) {
        int bit = letters[j].bit;
        if (!(flags & bit)) continue;
        /* Under A, Redis shows no class letter, not even n (which A does not
         * include): reading the value back and setting it drops n, as in Redis. */
        if (all && (bit & (NOTIFY_ALL | NOTIFY_NEW))) continue;
        buf[n++] = letters[j].letter;
    }
    buf[n] = '\0';
}

/* "__keyspace@<db>__:<tail>" into a buffer: small on the stack, else allocated. */
typedef struct chan_buf {
    char *p;
    size_t len;
    char small[128];
} chan_buf;

static void chan_make(chan_buf *b, const char *prefix, int dbid, const char *tail, size_t tlen) {
    char head[48];
    int h = snprintf(head, sizeof(head), "__%s@%d__:", prefix, dbid);
    b->len = (size_t)h + tlen;
    b->p = b->len < sizeof(b->small) ? b->small : cn_malloc(b->len);
    memcpy(b->p, head, (size_t)h);
    memcpy(b->p + h, tail, tlen);
}

static void chan_free(chan_buf *b) {
    if (b->p != b->small) cn_free(b->p);
}

void notify_publish(int type, const char *event, const db *d, const char *key, size_t klen) {
    (void)type;
    size_t elen = strlen(event);
    chan_buf b;
    if (notify_flags & NOTIFY_KEYSPACE) {
        chan_make(&b, "keyspace", d->id, key, klen);
        pubsub_publish(PUBSUB_CHANNEL, b.p, b.len, event, elen);
        chan_free(&b);
    }
    if (notify_flags & NOTIFY_KEYEVENT) {
        chan_make(&b, "keyevent", d->id, event, elen);
        pubsub_publish(PUBSUB_CHANNEL, b.p, b.len, key, klen);
        chan_free(&b);
    }
}
