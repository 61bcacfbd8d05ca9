/* src/pubsub.c: see pubsub.h. */
#include "pubsub.h"

#include "../utils/glob.h"
#include "../utils/ht.h"
#include "server.h"

/* One channel, pattern or shard channel with its subscribers in subscription
 * order. Shared by the server-wide table (which owns it) and the subscribers'
 * own sets (which borrow it). */
typedef struct ps_entry {
    client **subs;
    uint32_t nsubs, cap;
    uint32_t len;
    char name[];
} ps_entry;

static const void *entry_key(const void *e, size_t *len) {
    const ps_entry *p = e;
    *len = p->len;
    return p->name;
}

static void entry_destroy(void *e) {
    ps_entry *p = e;
    cn_free(p->subs);
    cn_free(p);
}

static const ht_type server_type = {.entry_key = entry_key, .entry_destroy = entry_destroy};
static const ht_type client_type = {.entry_key = entry_key};

static ht *tables[PUBSUB_KINDS];

static const char *const sub_names[PUBSUB_KINDS] = {"subscribe", "psubscribe", "ssubscribe"};
static const char *const unsub_names[PUBSUB_KINDS] = {"unsubscribe", "punsubscribe", "sunsubscribe"};

void pubsub_setup(void) {
    for (int k = 0; k < PUBSUB_KINDS; k++) tables[k] = ht_create(&server_type);
}

void pubsub_teardown(void) {
    for (int k = 0; k < PUBSUB_KINDS; k++) {
        ht_destroy(tables[k]);
        tables[k] = NULL;
    }
}

const char *pubsub_entry_name(const void *entry, size_t *len) { return entry_key(entry, len); }
ht *pubsub_table(int kind) { return tables[kind]; }
size_t pubsub_count(int kind) { return ht_size(tables[kind]); }

size_t pubsub_numsub(int kind, const char *ch, size_t len) {
    ps_entry *p = ht_find(tables[kind], ch, len);
    return p ? p->nsubs : 0;
}

static ht **client_set(client *c, int kind) {
    if (!c->pubsub) c->pubsub = cn_calloc(1, sizeof(client_pubsub));
    return kind == PUBSUB_CHANNEL ? &c->pubsub->channels
           : kind == PUBSUB_PATTERN ? &c->pubsub->patterns
                                    : &c->pubsub->shard;
}

size_t pubsub_client_count(const client *c, int kind) {
    if (!c->pubsub) return 0;
    const ht *t = kind == PUBSUB_CHANNEL ? c->pubsub->channels
                  : kind == PUBSUB_PATTERN ? c->pubsub->patterns
                                           : c->pubsub->shard;
    return t ? ht_size(t) : 0;
}

size_t pubsub_client_mem(const client *c) {
    if (!c->pubsub) return 0;
    size_t n = sizeof(client_pubsub);
    if (c->pubsub->channels) n += ht_mem_usage(c->pubsub->channels);
    if (c->pubsub->patterns) n += ht_mem_usage(c->pubsub->patterns);
    if (c->pubsub->shard) n += ht_mem_usage(c->pubsub->shard);
    return n;
}

/* The count a confirmation carries: SUBSCRIBE/PSUBSCRIBE count channels and
 * patterns together; the shard kind counts only shard channels (Redis 7.0). */
static long long confirm_count(const client *c, int kind) {
    if (kind == PUBSUB_SHARD) return (long long)pubsub_client_count(c, PUBSUB_SHARD);
    return (long long)(pubsub_client_count(c, PUBSUB_CHANNEL) + pubsub_client_count(c, PUBSUB_PATTERN));
}

static void update_mode(client *c) {
    size_t total = pubsub_client_count(c, PUBSUB_CHANNEL) + pubsub_client_count(c, PUBSUB_PATTERN) +
                   pubsub_client_count(c, PUBSUB_SHARD);
    if (total) c->flags |= CLIENT_PUBSUB;
    else c->flags &= ~CLIENT_PUBSUB;
}

void pubsub_push_begin(client *c) { c->flags |= CLIENT_PUSHING; }
void pubsub_push_end(client *c) { c->flags &= ~CLIENT_PUSHING; }

static void reply_confirm(client *c, const char *what, const char *name, size_t len, long long count) {
    pubsub_push_begin(c);
    reply_push(c, 3);
    reply_bulk_cstr(c, what);
    if (name) reply_bulk(c, name, len);
    else reply_null(c);
    reply_int(c, count);
    pubsub_push_end(c);
}

void pubsub_subscribe(client *c, int kind, const char *name, size_t len) {
    ht **mine = client_set(c, kind);
    if (!*mine) *mine = ht_create(&client_type);
    if (!ht_find(*mine, name, len)) {
        ps_entry *p = ht_find(tables[kind], name, len);
        if (!p) {
            p = cn_malloc(sizeof(ps_entry) + len + 1);
            p->subs = NULL;
            p->nsubs = p->cap = 0;
            p->len = (uint32_t)len;
            memcpy(p->name, name, len);
            p->name[len] = '\0';
            ht_add(tables[kind], p);
        }
        if (p->nsubs == p->cap) {
            p->cap = p->cap ? p->cap * 2 : 4;
            p->subs = cn_realloc(p->subs, p->cap * sizeof(client *));
        }
        p->subs[p->nsubs++] = c;
        ht_add(*mine, p);
    }
    update_mode(c);
    reply_confirm(c, sub_names[kind], name, len, confirm_count(c, kind));
}

/* Removes c from p's subscribers (keeping their order) and p from the table
 * when it has none left. */
static void entry_remove_sub(int kind, ps_entry *p, client *c) {
    for (uint32_t i = 0; i < p->nsubs; i++) {
        if (p->subs[i] == c) {
            memmove(p->subs + i, p->subs + i + 1, (p->nsubs - i - 1) * sizeof(client *));
            p->nsubs--;
            break;
        }
    }
    if (!p->nsubs) ht_delete(tables[kind], p->name, p->len);
}

void pubsub_unsubscribe(client *c, int kind, const char *name, size_t len, bool notify) {
    ht *mine = c->pubsub ? *client_set(c, kind) : NULL;
    if (name) {
        ps_entry *p = mine ? ht_pop(mine, name, len) : NULL;
        if (p) entry_remove_sub(kind, p, c);
        update_mode(c);
        if (notify) reply_confirm(c, unsub_names[kind], name, len, confirm_count(c, kind));
        return;
    }
    if (!mine || !ht_size(mine)) {
        update_mode(c);
        if (notify) reply_confirm(c, unsub_names[kind], NULL, 0, confirm_count(c, kind));
        return;
    }
    /* Every name of the kind: collect first (the set changes as we go). */
    size_t n = ht_size(mine), i = 0;
    ps_entry **all = cn_malloc(n * sizeof(ps_entry *));
    ht_iter it;
    ht_iter_init(&it, mine);
    for (ps_entry *p; (p = ht_iter_next(&it)) && i < n;) all[i++] = p;
    ht_iter_deinit(&it);
    for (size_t j = 0; j < i; j++) {
        ps_entry *p = all[j];
        /* The count is c's own, so the confirmation goes out before the entry (and
         * its name) may be freed. */
        ht_pop(mine, p->name, p->len);
        update_mode(c);
        if (notify) reply_confirm(c, unsub_names[kind], p->name, p->len, confirm_count(c, kind));
        entry_remove_sub(kind, p, c);
    }
    cn_free(all);
}

void pubsub_client_forget(client *c) {
    if (!c->pubsub) return;
    for (int k = 0; k < PUBSUB_KINDS; k++) {
        pubsub_unsubscribe(c, k, NULL, 0, false);
        ht **mine = client_set(c, k);
        ht_destroy(*mine);
        *mine = NULL;
    }
    cn_free(c->pubsub);
    c->pubsub = NULL;
    c->flags &= ~CLIENT_PUBSUB;
}

/* ---------------------------------------------------------------- publishing */

static void deliver(client *c, const char *kindname, size_t knlen, const ps_entry *pat, const char *ch,
                    size_t chlen, const char *msg, size_t mlen) {
    pubsub_push_begin(c);
    reply_push(c, pat ? 4 : 3);
    reply_bulk(c, kindname, knlen);
    if (pat) reply_bulk(c, pat->name, pat->len);
    reply_bulk(c, ch, chlen);
    reply_bulk(c, msg, mlen);
    pubsub_push_end(c);
}

long long pubsub_publish(int kind, const char *ch, size_t chlen, const char *msg, size_t mlen) {
    long long receivers = 0;
    ps_entry *p = ht_find(tables[kind], ch, chlen);
    if (p) {
        const char *name = kind == PUBSUB_SHARD ? "smessage" : "message";
        size_t nlen = kind == PUBSUB_SHARD ? 8 : 7;
        /* A receiver over its output limit is only scheduled for closing: the
         * list does not change while we walk it. */
        for (uint32_t i = 0; i < p->nsubs; i++) deliver(p->subs[i], name, nlen, NULL, ch, chlen, msg, mlen);
        receivers += p->nsubs;
    }
    if (kind == PUBSUB_CHANNEL && ht_size(tables[PUBSUB_PATTERN])) {
        ht_iter it;
        ht_iter_init(&it, tables[PUBSUB_PATTERN]);
        for (ps_entry *pat; (pat = ht_iter_next(&it));) {
            if (!glob_match(pat->name, pat->len, ch, chlen, false)) continue;
            for (uint32_t i = 0; i < pat->nsubs; i++)
                deliver(pat->subs[i], "pmessage", 8, pat, ch, chlen, msg, mlen);
            receivers += pat->nsubs;
        }
        ht_iter_deinit(&it);
    }
    return receivers;
}

bool pubsub_allowed_in_resp2_context(const command *cmd) {
    const char *n = cmd->parent ? cmd->parent->name : cmd->name;
    static const char *const ok[] = {"ping", "quit", "reset", "subscribe", "unsubscribe", "psubscribe",
                                     "punsubscribe", "ssubscribe", "sunsubscribe", NULL};
    for (int i = 0; ok[i]; i++)
        if (!strcmp(n, ok[i])) return true;
    return false;
}
