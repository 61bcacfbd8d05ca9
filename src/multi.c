/* src/multi.c: see multi.h. */
#include "multi.h"

#include "../utils/ht.h"
#include "persist.h"
#include "server.h"

/* A watched key of one db index, with its watchers in WATCH order. */
typedef struct watched_key {
    client **clients;
    uint32_t n, cap;
    int dbid;
    uint32_t klen;
    char key[];
} watched_key;

static const void *wk_key(const void *e, size_t *len) {
    const watched_key *wk = e;
    *len = wk->klen;
    return wk->key;
}

static void wk_destroy(void *e) {
    watched_key *wk = e;
    cn_free(wk->clients);
    cn_free(wk);
}

static const ht_type watched_type = {.entry_key = wk_key, .entry_destroy = wk_destroy};

static ht **tables; /* per db index */
static int ntables;
size_t multi_watched_keys;
static size_t watching_clients;

void multi_setup(int dbs) {
    ntables = dbs;
    tables = cn_calloc((size_t)dbs, sizeof(ht *));
    for (int i = 0; i < dbs; i++) tables[i] = ht_create(&watched_type);
}

void multi_teardown(void) {
    for (int i = 0; i < ntables; i++) ht_destroy(tables[i]);
    cn_free(tables);
    tables = NULL;
    ntables = 0;
    multi_watched_keys = watching_clients = 0;
}

size_t multi_watching_clients(void) { return watching_clients; }

/* ---------------------------------------------------------------- watching */

static void watch_key(client *c, db *d, const char *key, size_t klen) {
    ht *t = tables[d->id];
    watched_key *wk = ht_find(t, key, klen);
    if (wk) {
        for (size_t i = 0; i < c->nwatched; i++)
            if (c->watched[i].wk == wk) return; /* already watched */
    } else {
        wk = cn_malloc(sizeof(watched_key) + klen + 1);
        wk->clients = NULL;
        wk->n = wk->cap = 0;
        wk->dbid = d->id;
        wk->klen = (uint32_t)klen;
        memcpy(wk->key, key, klen);
        wk->key[klen] = '\0';
        ht_add(t, wk);
        multi_watched_keys++;
    }
    if (wk->n == wk->cap) {
        wk->cap = wk->cap ? wk->cap * 2 : 2;
        wk->clients = cn_realloc(wk->clients, wk->cap * sizeof(client *));
    }
    wk->clients[wk->n++] = c;
    if (c->nwatched == c->watched_cap) {
        c->watched_cap = c->watched_cap ? c->watched_cap * 2 : 4;
        c->watched = cn_realloc(c->watched, c->watched_cap * sizeof(client_watch));
    }
    if (!c->nwatched) watching_clients++;
    obj *o = db_peek(d, key, klen);
    c->watched[c->nwatched++] = (client_watch){.wk = wk, .expired = o && db_is_expired(o)};
}

/* c stops watching everything. */
static void unwatch_all(client *c) {
    for (size_t i = 0; i < c->nwatched; i++) {
        watched_key *wk = c->watched[i].wk;
        for (uint32_t j = 0; j < wk->n; j++) {
            if (wk->clients[j] == c) {
                memmove(wk->clients + j, wk->clients + j + 1, (wk->n - j - 1) * sizeof(client *));
                wk->n--;
                break;
            }
        }
        if (!wk->n) {
            ht_delete(tables[wk->dbid], wk->key, wk->klen);
            multi_watched_keys--;
        }
    }
    if (c->nwatched) watching_clients--;
    cn_free(c->watched);
    c->watched = NULL;
    c->nwatched = c->watched_cap = 0;
}

static client_watch *watch_of(client *c, const watched_key *wk) {
    for (size_t i = 0; i < c->nwatched; i++)
        if (c->watched[i].wk == wk) return &c->watched[i];
    return NULL;
}

/* The watchers of wk, copied: marking one dirty unwatches it, which edits wk (or
 * frees it). */
static client **watchers_copy(const watched_key *wk, client **small, size_t cap) {
    client **v = wk->n <= cap ? small : cn_malloc(wk->n * sizeof(client *));
    memcpy(v, wk->clients, wk->n * sizeof(client *));
    return v;
}

static void mark_dirty(client *c) {
    c->flags |= CLIENT_DIRTY_CAS;
    unwatch_all(c); /* nothing more to learn: the EXEC will fail */
}

void multi_touch_key_slow(db *d, const char *key, size_t klen, bool deleted_by_expiry) {
    watched_key *wk = ht_find(tables[d->id], key, klen);
    if (!wk) return;
    client *small[16];
    size_t n = wk->n;
    client **v = watchers_copy(wk, small, 16);
    for (size_t i = 0; i < n; i++) {
        client_watch *w = watch_of(v[i], wk);
        if (w && w->expired && deleted_by_expiry) {
            /* Expired already at WATCH time, now deleted: logically no change. */
            w->expired = false;
            continue;
        }
        mark_dirty(v[i]);
    }
    if (v != small) cn_free(v);
}

void multi_touch_db(db *d, db *replaced_with) {
    if (!multi_watched_keys || !ht_size(tables[d->id])) return;
    /* Collect first: marking clients dirty removes entries from the table. */
    size_t n = ht_size(tables[d->id]), k = 0;
    watched_key **all = cn_malloc(n * sizeof(watched_key *));
    ht_iter it;
    ht_iter_init(&it, tables[d->id]);
    for (watched_key *wk; (wk = ht_iter_next(&it)) && k < n;) all[k++] = wk;
    ht_iter_deinit(&it);
    /* Dirty clients, gathered, so no entry is freed while we still read it. */
    client **dirty = NULL;
    size_t ndirty = 0, dcap = 0;
    for (size_t j = 0; j < k; j++) {
        watched_key *wk = all[j];
        obj *in_emptied = db_peek(d, wk->key, wk->klen);
        obj *in_repl = replaced_with ? db_peek(replaced_with, wk->key, wk->klen) : NULL;
        if (!in_emptied && !in_repl) continue;
        for (uint32_t i = 0; i < wk->n; i++) {
            client *c = wk->clients[i];
            client_watch *w = watch_of(c, wk);
            if (w && w->expired) {
                /* Expired at WATCH: emptied away is no change; replaced by a key that
                 * is expired too is none either. */
                if (!in_repl) {
                    w->expired = false;
                    continue;
                }
                if (db_is_expired(in_repl)) continue;
            } else if (w && !in_emptied && db_is_expired(in_repl)) {
                /* A missing key replaced by an expired one: still missing. */
                w->expired = true;
                continue;
            }
            if (ndirty == dcap) {
                dcap = dcap ? dcap * 2 : 8;
                dirty = cn_realloc(dirty, dcap * sizeof(client *));
            }
            dirty[ndirty++] = c;
        }
    }
    cn_free(all);
    for (size_t i = 0; i < ndirty; i++)
        if (!(dirty[i]->flags & CLIENT_DIRTY_CAS)) mark_dirty(dirty[i]);
    cn_free(dirty);
}

/* Has a key c watches expired since its WATCH (deleted or not yet)? */
static bool watched_key_expired(client *c) {
    for (size_t i = 0; i < c->nwatched; i++) {
        if (c->watched[i].expired) continue;
        watched_key *wk = c->watched[i].wk;
        obj *o = db_peek(db_get(wk->dbid), wk->key, wk->klen);
        if (o && db_is_expired(o)) return true;
    }
    return false;
}

/* ---------------------------------------------------------------- the queue */

static void free_queue(multi_state *ms) {
    if (!ms) return;
    for (int i = 0; i < ms->count; i++) {
        cn_free(ms->cmds[i].argv[0]); /* the arguments' one buffer */
        cn_free(ms->cmds[i].argv);
    }
    cn_free(ms->cmds);
    cn_free(ms);
}

void multi_queue(client *c) {
    multi_state *ms = c->mstate;
    if (ms->count == ms->cap) {
        ms->cap = ms->cap ? ms->cap * 2 : 4;
        ms->cmds = cn_realloc(ms->cmds, (size_t)ms->cap * sizeof(multi_cmd));
    }
    multi_cmd *mc = &ms->cmds[ms->count++];
    size_t total = 0;
    for (int i = 0; i < c->argc; i++) total += c->argvlen[i] + 1;
    /* One allocation for the pointers and lengths, one for the bytes. */
    mc->argv = cn_malloc((size_t)c->argc * (sizeof(char *) + sizeof(size_t)));
    mc->argvlen = (size_t *)(mc->argv + c->argc);
    char *buf = cn_malloc(total);
    for (int i = 0; i < c->argc; i++) {
        memcpy(buf, c->argv[i], c->argvlen[i]);
        buf[c->argvlen[i]] = '\0';
        mc->argv[i] = buf;
        mc->argvlen[i] = c->argvlen[i];
        buf += c->argvlen[i] + 1;
    }
    mc->argc = c->argc;
    mc->cmd = c->cmd;
    ms->cmd_flags |= c->cmd->flags;
    ms->bytes += total + (size_t)c->argc * (sizeof(char *) + sizeof(size_t));
    reply_simple(c, "QUEUED");
}

void multi_flag_error(client *c) { c->flags |= CLIENT_DIRTY_EXEC; }

bool multi_has_flags(const client *c, unsigned flags) {
    return c->mstate && (c->mstate->cmd_flags & flags);
}

void multi_discard(client *c) {
    free_queue(c->mstate);
    c->mstate = NULL;
    c->flags &= ~(CLIENT_MULTI | CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC);
    unwatch_all(c);
}

void multi_client_forget(client *c) { multi_discard(c); }

size_t multi_client_mem(const client *c) {
    size_t n = c->watched_cap * sizeof(client_watch);
    if (c->mstate) n += sizeof(multi_state) + (size_t)c->mstate->cap * sizeof(multi_cmd) + c->mstate->bytes;
    return n;
}

/* ---------------------------------------------------------------- commands */

static void cmd_multi(client *c) {
    if (c->flags & CLIENT_MULTI) {
        reply_error(c, "ERR MULTI calls can not be nested");
        return;
    }
    c->mstate = cn_calloc(1, sizeof(multi_state));
    c->flags |= CLIENT_MULTI;
    reply_ok(c);
}

static void cmd_discard(client *c) {
    if (!(c->flags & CLIENT_MULTI)) {
        reply_error(c, "ERR DISCARD without MULTI");
        return;
    }
    multi_discard(c);
    reply_ok(c);
}

static void cmd_exec(client *c) {
    if (!(c->flags & CLIENT_MULTI)) {
        reply_error(c, "ERR EXEC without MULTI");
        return;
    }
    if (c->flags & CLIENT_DIRTY_EXEC) {
        reply_error(c, "EXECABORT Transaction discarded because of previous errors.");
        multi_discard(c);
        return;
    }
    if ((c->flags & CLIENT_DIRTY_CAS) || watched_key_expired(c)) {
        reply_null_array(c);
        multi_discard(c);
        return;
    }
    unwatch_all(c); /* nothing can fail it now */
    /* The client stays in MULTI while its commands run (CLIENT INFO shows it, and
     * CLIENT CACHING lasts the whole transaction); call_command() does not queue. */
    multi_state *ms = c->mstate;

    int argc = c->argc;
    const char **argv = c->argv;
    size_t *argvlen = c->argvlen;
    command *exec = c->cmd;
    bool deny_blocking = c->flags & CLIENT_DENY_BLOCKING;
    c->flags |= CLIENT_DENY_BLOCKING;
    reply_array(c, ms->count);
    propagate_unit_begin();
    for (int i = 0; i < ms->count; i++) {
        multi_cmd *mc = &ms->cmds[i];
        c->argc = mc->argc;
        c->argv = (const char **)mc->argv;
        c->argvlen = mc->argvlen;
        call_command(c, mc->cmd);
    }
    propagate_unit_end();
    if (!deny_blocking) c->flags &= ~CLIENT_DENY_BLOCKING;
    c->argc = argc;
    c->argv = argv;
    c->argvlen = argvlen;
    c->cmd = exec;
    multi_discard(c);
    /* The commands propagated themselves; EXEC itself is not propagated. */
    c->flags |= CLIENT_PROP_REWRITTEN;
}

static void cmd_watch(client *c) {
    if (c->flags & CLIENT_MULTI) {
        reply_error(c, "ERR WATCH inside MULTI is not allowed");
        return;
    }
    /* A client whose watch already failed needs no more watches (Redis 7). */
    if (!(c->flags & CLIENT_DIRTY_CAS))
        for (int i = 1; i < c->argc; i++) watch_key(c, c->db, c->argv[i], c->argvlen[i]);
    reply_ok(c);
}

static void cmd_unwatch(client *c) {
    unwatch_all(c);
    c->flags &= ~CLIENT_DIRTY_CAS;
    reply_ok(c);
}

#define TXN_FLAGS (CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_ALLOW_BUSY)

command cmd_table_multi[] = {
    {.name = "multi", .proc = cmd_multi, .arity = 1, .flags = TXN_FLAGS | CMD_NOT_QUEUED,
     .acl = ACL_FAST | ACL_TRANSACTION, .group = "transactions", .since = "1.2.0",
     .summary = "Mark the start of a transaction block", .complexity = "O(1)"},
    {.name = "exec", .proc = cmd_exec, .arity = 1,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_SKIP_SLOWLOG | CMD_NOT_QUEUED | CMD_EXEC,
     .acl = ACL_SLOW | ACL_TRANSACTION, .group = "transactions", .since = "1.2.0",
     .summary = "Execute all commands issued after MULTI",
     .complexity = "Depends on commands in the transaction"},
    {.name = "discard", .proc = cmd_discard, .arity = 1, .flags = TXN_FLAGS | CMD_NOT_QUEUED,
     .acl = ACL_FAST | ACL_TRANSACTION, .group = "transactions", .since = "2.0.0",
     .summary = "Discard all commands issued after MULTI",
     .complexity = "O(N), when N is the number of queued commands"},
    {.name = "watch", .proc = cmd_watch, .arity = -2, .flags = TXN_FLAGS | CMD_NOT_QUEUED,
     .acl = ACL_FAST | ACL_TRANSACTION, .first_key = 1, .last_key = -1, .key_step = 1,
     .group = "transactions", .since = "2.2.0",
     .summary = "Watch the given keys to determine execution of the MULTI/EXEC block",
     .complexity = "O(1) for every key.", .key_specs = "RO: index 1 range -1 1 0",
     .args = "key@0..."},
    {.name = "unwatch", .proc = cmd_unwatch, .arity = 1, .flags = TXN_FLAGS,
     .acl = ACL_FAST | ACL_TRANSACTION, .group = "transactions", .since = "2.2.0",
     .summary = "Forget about all watched keys", .complexity = "O(1)"},
    {0}};
