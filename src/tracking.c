/* src/tracking.c: see tracking.h. */
#include "tracking.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "../utils/ht.h"
#include "../utils/num.h"
#include "../utils/rand.h"
#include "../utils/sbuf.h"
#include "pubsub.h"
#include "server.h"

enum {
    T_BCAST = 1 << 0,
    T_OPTIN = 1 << 1,
    T_OPTOUT = 1 << 2,
    T_NOLOOP = 1 << 3,
    T_CACHING = 1 << 4, /* CLIENT CACHING yes (OPTIN) / no (OPTOUT) for the next command */
    T_BROKEN = 1 << 5,  /* the redirection's client is gone (told once) */
};

typedef struct bcast_prefix bcast_prefix;

typedef struct tracking_state {
    unsigned flags;
    uint64_t redirect; /* 0: none */
    bcast_prefix **prefixes;
    size_t nprefixes;
} tracking_state;

/* A key of the tracking table: the ids of clients that may cache it, sorted. */
typedef struct tkey {
    uint64_t *ids;
    uint32_t n, cap;
    uint32_t klen;
    char key[];
} tkey;

/* A BCAST prefix: its clients, and the keys written under it since the last
 * before-sleep (each with the id of the client that wrote it, for NOLOOP). */
struct bcast_prefix {
    char *p;
    size_t len;
    client **clients;
    size_t nclients;
    char **keys;
    size_t *klens;
    uint64_t *writers;
    size_t nkeys, kcap;
};

static const void *tkey_key(const void *e, size_t *len) {
    const tkey *t = e;
    *len = t->klen;
    return t->key;
}

static void tkey_destroy(void *e) {
    tkey *t = e;
    cn_free(t->ids);
    cn_free(t);
}

static const ht_type tkey_type = {.entry_key = tkey_key, .entry_destroy = tkey_destroy};

static ht *table;
static size_t total_items;
static bcast_prefix **prefixes;
static size_t nprefixes;
size_t tracking_clients;
size_t tracking_bcast_prefix_count;
static long long last_flush_command = -1;

/* Keys the running command invalidated for the client running it: sent after its
 * reply, so a RESP3 client reads the reply first. */
static struct {
    client *c;
    sbuf keys; /* each key: its length (size_t) then its bytes */
    size_t n;
} pending;

void tracking_setup(void) { table = ht_create(&tkey_type); }

static void prefix_free(bcast_prefix *bp) {
    for (size_t i = 0; i < bp->nkeys; i++) cn_free(bp->keys[i]);
    cn_free(bp->keys);
    cn_free(bp->klens);
    cn_free(bp->writers);
    cn_free(bp->clients);
    cn_free(bp->p);
    cn_free(bp);
}

void tracking_teardown(void) {
    ht_destroy(table);
    table = NULL;
    for (size_t i = 0; i < nprefixes; i++) prefix_free(prefixes[i]);
    cn_free(prefixes);
    prefixes = NULL;
    nprefixes = 0;
    sbuf_free(&pending.keys);
    total_items = 0;
}

long long tracking_redirect_id(const client *c) {
    return c->tracking && (c->flags & CLIENT_TRACKING) && c->tracking->redirect
               ? (long long)c->tracking->redirect
               : -1;
}
bool tracking_bcast(const client *c) {
    return (c->flags & CLIENT_TRACKING) && (c->tracking->flags & T_BCAST);
}
bool tracking_broken_redirect(const client *c) {
    return (c->flags & CLIENT_TRACKING) && (c->tracking->flags & T_BROKEN);
}

/* ---------------------------------------------------------------- messages */

/* Sends c an invalidation of n keys (keys[i], lens[i]), or a null one (keys NULL). */
static void send_invalidation(client *c, const char *const *keys, const size_t *lens, size_t n) {
    tracking_state *ts = c->tracking;
    client *target = c;
    bool redirected = false;
    if (ts->redirect) {
        target = client_by_id(ts->redirect);
        if (!target || (target->flags & CLIENT_CLOSE_ASAP)) {
            /* Told at every invalidation it misses, as Redis does. */
            ts->flags |= T_BROKEN;
            if (c->resp > 2) {
                pubsub_push_begin(c);
                reply_push(c, 2);
                reply_bulk(c, "tracking-redir-broken", 21);
                reply_int(c, (long long)ts->redirect);
                pubsub_push_end(c);
            }
            return;
        }
        redirected = true;
    }
    /* RESP2 without a subscribed redirection: no way to tell it. */
    if (target->resp == 2 && !(redirected && (target->flags & CLIENT_PUBSUB))) return;
    pubsub_push_begin(target);
    if (target->resp > 2) {
        reply_push(target, 2);
        reply_bulk(target, "invalidate", 10);
    } else {
        reply_push(target, 3);
        reply_bulk(target, "message", 7);
        reply_bulk(target, "__redis__:invalidate", 20);
    }
    if (!keys) {
        /* The null is written in the tracking client's protocol (Redis's quirk). */
        if (c->resp > 2) reply_raw(target, "_\r\n", 3);
        else reply_raw(target, "$-1\r\n", 5);
    } else {
        reply_array(target, (long)n);
        for (size_t i = 0; i < n; i++) reply_bulk(target, keys[i], lens[i]);
    }
    pubsub_push_end(target);
}

static void send_one(client *c, const char *key, size_t klen) {
    send_invalidation(c, &key, &klen, 1);
}

static void pending_add(client *c, const char *key, size_t klen) {
    pending.c = c;
    sbuf_catlen(&pending.keys, (const char *)&klen, sizeof(klen));
    sbuf_catlen(&pending.keys, key, klen);
    pending.n++;
}

/* After the top-level command: the running client's own invalidations. */
static void pending_flush(void) {
    if (!pending.n) return;
    client *c = pending.c;
    const char *p = pending.keys.buf, *end = p + pending.keys.len;
    while (p < end) {
        size_t klen;
        memcpy(&klen, p, sizeof(klen));
        p += sizeof(klen);
        if (klen == SIZE_MAX) {
            if (c && (c->flags & CLIENT_TRACKING)) send_invalidation(c, NULL, NULL, 0);
            continue;
        }
        if (c && (c->flags & CLIENT_TRACKING)) send_one(c, p, klen);
        p += klen;
    }
    pending.keys.len = 0;
    pending.n = 0;
    pending.c = NULL;
}

/* ---------------------------------------------------------------- remembering */

static void table_add(const char *key, size_t klen, uint64_t id) {
    tkey *t = ht_find(table, key, klen);
    if (!t) {
        t = cn_malloc(sizeof(tkey) + klen);
        t->ids = NULL;
        t->n = t->cap = 0;
        t->klen = (uint32_t)klen;
        memcpy(t->key, key, klen);
        ht_add(table, t);
    }
    /* Sorted ids: binary search for the place. */
    uint32_t lo = 0, hi = t->n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (t->ids[mid] < id) lo = mid + 1;
        else hi = mid;
    }
    if (lo < t->n && t->ids[lo] == id) return;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 2;
        t->ids = cn_realloc(t->ids, t->cap * sizeof(uint64_t));
    }
    memmove(t->ids + lo + 1, t->ids + lo, (t->n - lo) * sizeof(uint64_t));
    t->ids[lo] = id;
    t->n++;
    total_items++;
}

void tracking_remember_keys(client *c, command *cmd) {
    tracking_state *ts = c->tracking;
    if (ts->flags & T_BCAST) return;
    if ((ts->flags & T_OPTIN) && !(ts->flags & T_CACHING)) return;
    if ((ts->flags & T_OPTOUT) && (ts->flags & T_CACHING)) return;
    int small[16];
    int max = c->argc;
    int *pos = max <= 16 ? small : cn_malloc(sizeof(int) * (size_t)max);
    int n = cmd->getkeys ? cmd->getkeys(c->argc, c->argv, c->argvlen, pos, max)
                         : cmd_docs_key_positions(cmd, c->argc, c->argv, c->argvlen, pos, max);
    for (int i = 0; i < n; i++) table_add(c->argv[pos[i]], c->argvlen[pos[i]], c->id);
    if (pos != small) cn_free(pos);
}

void tracking_after_command(client *c, command *cmd) {
    /* CLIENT CACHING itself and the commands queued in MULTI keep the flag. */
    if (!c->tracking || !(c->tracking->flags & T_CACHING)) return;
    if (c->flags & CLIENT_MULTI) return;
    if (cmd && cmd->parent && !strcmp(cmd->parent->name, "client")) return;
    c->tracking->flags &= ~T_CACHING;
}

/* ---------------------------------------------------------------- invalidating */

static bool has_prefix(const bcast_prefix *bp, const char *key, size_t klen) {
    return klen >= bp->len && memcmp(key, bp->p, bp->len) == 0;
}

static void bcast_collect(const char *key, size_t klen) {
    uint64_t writer = server.current ? server.current->id : 0;
    for (size_t i = 0; i < nprefixes; i++) {
        bcast_prefix *bp = prefixes[i];
        if (!has_prefix(bp, key, klen)) continue;
        if (bp->nkeys == bp->kcap) {
            bp->kcap = bp->kcap ? bp->kcap * 2 : 8;
            bp->keys = cn_realloc(bp->keys, bp->kcap * sizeof(char *));
            bp->klens = cn_realloc(bp->klens, bp->kcap * sizeof(size_t));
            bp->writers = cn_realloc(bp->writers, bp->kcap * sizeof(uint64_t));
        }
        bp->keys[bp->nkeys] = cn_malloc(klen ? klen : 1);
        memcpy(bp->keys[bp->nkeys], key, klen);
        bp->klens[bp->nkeys] = klen;
        bp->writers[bp->nkeys] = writer;
        bp->nkeys++;
    }
}

/* Sends and forgets the clients of table entry t (already out of the table). */
static void invalidate_entry(tkey *t, bool from_write) {
    for (uint32_t i = 0; i < t->n; i++) {
        client *c = client_by_id(t->ids[i]);
        if (!c || !(c->flags & CLIENT_TRACKING) || (c->tracking->flags & T_BCAST)) continue;
        if (from_write && c == server.current) {
            if (c->tracking->flags & T_NOLOOP) continue;
            pending_add(c, t->key, t->klen);
            continue;
        }
        send_one(c, t->key, t->klen);
    }
    total_items -= t->n;
    tkey_destroy(t);
}

void tracking_invalidate_key_slow(const char *key, size_t klen) {
    if (nprefixes) bcast_collect(key, klen);
    if (!ht_size(table)) return;
    tkey *t = ht_pop(table, key, klen);
    if (t) invalidate_entry(t, true);
}

void tracking_invalidate_flush(void) {
    if (!tracking_clients) {
        if (ht_size(table)) {
            ht_clear(table);
            total_items = 0;
        }
        return;
    }
    /* One message per command, though FLUSHALL empties every db. */
    if (server.stat_numcommands == last_flush_command && server.current) return;
    last_flush_command = server.current ? server.stat_numcommands : -1;
    for (size_t i = 0; i < server.nclients; i++) {
        client *c = server.clients[i];
        if (!(c->flags & CLIENT_TRACKING)) continue;
        /* The flushing client's own: after its reply (NOLOOP does not apply). */
        if (c == server.current) {
            size_t marker = SIZE_MAX;
            pending.c = c;
            sbuf_catlen(&pending.keys, (const char *)&marker, sizeof(marker));
            pending.n++;
            continue;
        }
        send_invalidation(c, NULL, NULL, 0);
    }
    ht_clear(table);
    total_items = 0;
}

void tracking_before_sleep(void) {
    pending_flush();
    for (size_t i = 0; i < nprefixes; i++) {
        bcast_prefix *bp = prefixes[i];
        if (!bp->nkeys) continue;
        for (size_t j = 0; j < bp->nclients; j++) {
            client *c = bp->clients[j];
            if (!(c->tracking->flags & T_NOLOOP)) {
                send_invalidation(c, (const char *const *)bp->keys, bp->klens, bp->nkeys);
                continue;
            }
            /* NOLOOP: without the keys it wrote itself. */
            const char **keys = cn_malloc(bp->nkeys * sizeof(char *));
            size_t *lens = cn_malloc(bp->nkeys * sizeof(size_t));
            size_t n = 0;
            for (size_t k = 0; k < bp->nkeys; k++) {
                if (bp->writers[k] == c->id) continue;
                keys[n] = bp->keys[k];
                lens[n++] = bp->klens[k];
            }
            if (n) send_invalidation(c, keys, lens, n);
            cn_free(keys);
            cn_free(lens);
        }
        for (size_t k = 0; k < bp->nkeys; k++) cn_free(bp->keys[k]);
        bp->nkeys = 0;
        if (bp->kcap > 1024) {
            cn_free(bp->keys);
            cn_free(bp->klens);
            cn_free(bp->writers);
            bp->keys = NULL;
            bp->klens = NULL;
            bp->writers = NULL;
            bp->kcap = 0;
        }
    }
}

void tracking_command_done(void) { pending_flush(); }

void tracking_limit(void) {
    long long max = server.tracking_table_max_keys;
    if (!max || (long long)ht_size(table) <= max) return;
    /* Evict at random, within about 1 ms, as if the keys had been written. */
    int64_t start = server.now_us;
    int tries = 0;
    while ((long long)ht_size(table) > max) {
        tkey *t = ht_random(table);
        if (!t) break;
        t = ht_pop(table, t->key, t->klen);
        invalidate_entry(t, false);
        if ((++tries & 63) == 0) {
            server_update_time();
            if (server.now_us - start > 1000) break;
        }
    }
}

/* ---------------------------------------------------------------- on and off */

static bcast_prefix *prefix_find(const char *p, size_t len) {
    for (size_t i = 0; i < nprefixes; i++)
        if (prefixes[i]->len == len && memcmp(prefixes[i]->p, p, len) == 0) return prefixes[i];
    return NULL;
}

static void prefix_attach(client *c, const char *p, size_t len) {
    bcast_prefix *bp = prefix_find(p, len);
    if (!bp) {
        bp = cn_calloc(1, sizeof(*bp));
        bp->p = cn_malloc(len ? len : 1);
        memcpy(bp->p, p, len);
        bp->len = len;
        prefixes = cn_realloc(prefixes, (nprefixes + 1) * sizeof(*prefixes));
        prefixes[nprefixes++] = bp;
    }
    for (size_t i = 0; i < bp->nclients; i++)
        if (bp->clients[i] == c) return;
    bp->clients = cn_realloc(bp->clients, (bp->nclients + 1) * sizeof(client *));
    bp->clients[bp->nclients++] = c;
    tracking_state *ts = c->tracking;
    ts->prefixes = cn_realloc(ts->prefixes, (ts->nprefixes + 1) * sizeof(bcast_prefix *));
    ts->prefixes[ts->nprefixes++] = bp;
    tracking_bcast_prefix_count = nprefixes;
}

static void prefixes_detach(client *c) {
    tracking_state *ts = c->tracking;
    for (size_t i = 0; i < ts->nprefixes; i++) {
        bcast_prefix *bp = ts->prefixes[i];
        for (size_t j = 0; j < bp->nclients; j++) {
            if (bp->clients[j] == c) {
                bp->clients[j] = bp->clients[--bp->nclients];
                break;
            }
        }
        if (!bp->nclients) {
            for (size_t j = 0; j < nprefixes; j++) {
                if (prefixes[j] == bp) {
                    prefixes[j] = prefixes[--nprefixes];
                    break;
                }
            }
            prefix_free(bp);
        }
    }
    cn_free(ts->prefixes);
    ts->prefixes = NULL;
    ts->nprefixes = 0;
    tracking_bcast_prefix_count = nprefixes;
}

static void tracking_off(client *c) {
    if (!(c->flags & CLIENT_TRACKING)) return;
    prefixes_detach(c);
    c->tracking->flags = 0;
    c->tracking->redirect = 0;
    c->flags &= ~CLIENT_TRACKING;
    tracking_clients--;
    /* Entries that name c stay in the table and are skipped (ids are never reused). */
}

void tracking_client_forget(client *c) {
    if (pending.c == c) {
        pending.c = NULL;
        pending.keys.len = 0;
        pending.n = 0;
    }
    if (!c->tracking) return;
    tracking_off(c);
    cn_free(c->tracking);
    c->tracking = NULL;
}

/* CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p]... [BCAST] [OPTIN] [OPTOUT] [NOLOOP] */
void cmd_client_tracking(client *c) {
    bool on;
    if (arg_is(c, 2, "on")) on = true;
    else if (arg_is(c, 2, "off")) on = false;
    else {
        reply_err_syntax(c);
        return;
    }
    unsigned opts = 0;
    long long redirect = 0;
    int nprefix = 0;
    for (int i = 3; i < c->argc; i++) {
        bool more = i + 1 < c->argc;
        if (arg_is(c, i, "redirect") && more) {
            i++;
            if (!num_parse_ll(c->argv[i], c->argvlen[i], &redirect)) {
                reply_err_not_int(c);
                return;
            }
            if (redirect <= 0 || !client_by_id((uint64_t)redirect)) {
                reply_error(c, "ERR The client ID you want redirect to does not exist");
                return;
            }
        } else if (arg_is(c, i, "bcast")) {
            opts |= T_BCAST;
        } else if (arg_is(c, i, "optin")) {
            opts |= T_OPTIN;
        } else if (arg_is(c, i, "optout")) {
            opts |= T_OPTOUT;
        } else if (arg_is(c, i, "noloop")) {
            opts |= T_NOLOOP;
        } else if (arg_is(c, i, "prefix") && more) {
            i++;
            nprefix++; /* checked and attached below */
        } else {
            reply_err_syntax(c);
            return;
        }
    }
    if (!on) {
        tracking_off(c);
        reply_ok(c);
        return;
    }
    if (nprefix && !(opts & T_BCAST)) {
        reply_error(c, "ERR PREFIX option requires BCAST mode to be enabled");
        return;
    }
    if (c->flags & CLIENT_TRACKING) {
        unsigned old = c->tracking->flags;
        if ((old & T_BCAST) != (opts & T_BCAST)) {
            reply_error(c, "ERR You can't switch BCAST mode on/off before disabling tracking for "
                           "this client, and then re-enabling it with a different mode.");
            return;
        }
    }
    if ((opts & (T_OPTIN | T_OPTOUT)) && (opts & T_BCAST)) {
        reply_error(c, "ERR OPTIN and OPTOUT are not compatible with BCAST");
        return;
    }
    if ((opts & T_OPTIN) && (opts & T_OPTOUT)) {
        reply_error(c, "ERR You can't specify both OPTIN mode and OPTOUT mode");
        return;
    }
    if (c->flags & CLIENT_TRACKING) {
        unsigned old = c->tracking->flags;
        if (((opts & T_OPTIN) && (old & T_OPTOUT)) || ((opts & T_OPTOUT) && (old & T_OPTIN))) {
            reply_error(c, "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for "
                           "this client, and then re-enabling it with a different mode.");
            return;
        }
    }
    /* Prefixes may not overlap each other or the client's existing ones. */
    if (opts & T_BCAST) {
        for (int i = 3; i < c->argc; i++) {
            if (!arg_is(c, i, "prefix") || i + 1 >= c->argc) continue;
            const char *p = c->argv[i + 1];
            size_t plen = c->argvlen[i + 1];
            /* Against the other new prefixes. */
            for (int j = i + 2; j < c->argc; j++) {
                if (!arg_is(c, j, "prefix") || j + 1 >= c->argc) continue;
                const char *q = c->argv[j + 1];
                size_t qlen = c->argvlen[j + 1];
                size_t m = plen < qlen ? plen : qlen;
                if (memcmp(p, q, m) == 0) {
                    reply_errorf(c, "ERR Prefix '%.*s' overlaps with another provided prefix '%.*s'. "
                                    "Prefixes for a single client must not overlap.",
                                 (int)plen, p, (int)qlen, q);
                    return;
                }
                j++;
            }
            /* Against the client's existing prefixes. */
            if (c->tracking && (c->flags & CLIENT_TRACKING)) {
                for (size_t k = 0; k < c->tracking->nprefixes; k++) {
                    bcast_prefix *bp = c->tracking->prefixes[k];
                    size_t m = plen < bp->len ? plen : bp->len;
                    if (memcmp(p, bp->p, m) == 0) {
                        reply_errorf(c, "ERR Prefix '%.*s' overlaps with an existing prefix '%.*s'. "
                                        "Prefixes for a single client must not overlap.",
                                     (int)plen, p, (int)bp->len, bp->p);
                        return;
                    }
                }
            }
            i++;
        }
    }
    if (!c->tracking) c->tracking = cn_calloc(1, sizeof(tracking_state));
    if (!(c->flags & CLIENT_TRACKING)) {
        c->flags |= CLIENT_TRACKING;
        tracking_clients++;
        c->tracking->flags = 0;
    }
    /* ON again replaces the options and the redirection (prefixes add up). */
    tracking_state *ts = c->tracking;
    ts->flags = opts;
    ts->redirect = (uint64_t)redirect;
    if (opts & T_BCAST) {
        bool any = false;
        for (int i = 3; i < c->argc; i++) {
            if (arg_is(c, i, "prefix") && i + 1 < c->argc) {
                prefix_attach(c, c->argv[i + 1], c->argvlen[i + 1]);
                any = true;
                i++;
            } else if (arg_is(c, i, "redirect")) {
                i++;
            }
        }
        if (!any) prefix_attach(c, "", 0);
    }
    reply_ok(c);
}

void cmd_client_caching(client *c) {
    if (!(c->flags & CLIENT_TRACKING)) {
        reply_error(c, "ERR CLIENT CACHING can be called only when the client is in tracking mode "
                       "with OPTIN or OPTOUT mode enabled");
        return;
    }
    unsigned f = c->tracking->flags;
    if (arg_is(c, 2, "yes")) {
        if (!(f & T_OPTIN)) {
            reply_error(c, "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN "
                           "mode.");
            return;
        }
    } else if (arg_is(c, 2, "no")) {
        if (!(f & T_OPTOUT)) {
            reply_error(c, "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT "
                           "mode.");
            return;
        }
    } else {
        reply_err_syntax(c);
        return;
    }
    c->tracking->flags |= T_CACHING;
    reply_ok(c);
}

void cmd_client_getredir(client *c) {
    if (!(c->flags & CLIENT_TRACKING)) reply_int(c, -1);
    else reply_int(c, (long long)c->tracking->redirect);
}

static int prefix_cmp(const void *a, const void *b) {
    const bcast_prefix *x = *(bcast_prefix *const *)a, *y = *(bcast_prefix *const *)b;
    size_t m = x->len < y->len ? x->len : y->len;
    int r = memcmp(x->p, y->p, m);
    return r ? r : (x->len > y->len) - (x->len < y->len);
}

void cmd_client_trackinginfo(client *c) {
    reply_map(c, 3);
    reply_bulk_cstr(c, "flags");
    bool on = c->flags & CLIENT_TRACKING;
    unsigned f = on ? c->tracking->flags : 0;
    const char *names[8];
    int n = 0;
    if (!on) names[n++] = "off";
    else {
        names[n++] = "on";
        if (f & T_BCAST) names[n++] = "bcast";
        if (f & T_OPTIN) {
            names[n++] = "optin";
            if (f & T_CACHING) names[n++] = "caching-yes";
        }
        if (f & T_OPTOUT) {
            names[n++] = "optout";
            if (f & T_CACHING) names[n++] = "caching-no";
        }
        if (f & T_NOLOOP) names[n++] = "noloop";
        if (f & T_BROKEN) names[n++] = "broken_redirect";
    }
    reply_set(c, n);
    for (int i = 0; i < n; i++) reply_bulk_cstr(c, names[i]);
    reply_bulk_cstr(c, "redirect");
    reply_int(c, on ? (c->tracking->redirect ? (long long)c->tracking->redirect : 0) : -1);
    reply_bulk_cstr(c, "prefixes");
    size_t np = on ? c->tracking->nprefixes : 0;
    bcast_prefix **sorted = NULL;
    if (np) {
        sorted = cn_malloc(np * sizeof(*sorted));
        memcpy(sorted, c->tracking->prefixes, np * sizeof(*sorted));
        qsort(sorted, np, sizeof(*sorted), prefix_cmp);
    }
    reply_array(c, (long)np);
    for (size_t i = 0; i < np; i++) reply_bulk(c, sorted[i]->p, sorted[i]->len);
    cn_free(sorted);
}

void tracking_stats(size_t *keys, size_t *items, size_t *nprefix) {
    *keys = table ? ht_size(table) : 0;
    *items = total_items;
    *nprefix = nprefixes;
}
