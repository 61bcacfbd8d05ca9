/* src/cmd_keys.c: commands on keys of any type, and on whole databases.
 *
 * DEL UNLINK EXISTS EXPIRE PEXPIRE EXPIREAT PEXPIREAT EXPIRETIME PEXPIRETIME TTL
 * PTTL PERSIST TYPE RENAME RENAMENX KEYS SCAN RANDOMKEY COPY TOUCH OBJECT SELECT
 * SWAPDB MOVE FLUSHDB FLUSHALL DBSIZE.
 *
 * Behaviour, reply shapes and error texts follow Redis 7.0 (checked against
 * redis-server 7.0.15). Every keyspace change goes through db.h and is then
 * reported with Redis's event (notify.h).
 *
 * Freeing (lazyfree.h): UNLINK and FLUSHDB/FLUSHALL ASYNC hand big values to the
 * lazy-free thread; DEL and a FLUSH without a mode do so per
 * lazyfree-lazy-user-del and lazyfree-lazy-user-flush.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../utils/alloc.h"
#include "../utils/glob.h"
#include "../utils/ht.h"
#include "../utils/num.h"
#include "evict.h"
#include "notify.h"
#include "persist.h"
#include "server.h"

/* ---------------------------------------------------------------- helpers */

/* EXISTS, TYPE, TTL and OBJECT look without touching the LRU clock, so OBJECT
 * IDLETIME is not reset by looking at it. */
static obj *lookup_read_notouch(db *d, const char *key, size_t klen) {
    return db_lookup_read_flags(d, key, klen, LOOKUP_NOTOUCH);
}

/* Redis's getIntFromObjectOrReply: an integer that fits an int. errmsg, if not
 * NULL, replaces both error texts. */
static bool arg_int_or_reply(client *c, int i, const char *errmsg, int *out) {
    long long v;
    if (!num_parse_ll(c->argv[i], c->argvlen[i], &v)) {
        if (errmsg) reply_error(c, errmsg);
        else reply_err_not_int(c);
        return false;
    }
    if (v < INT_MIN || v > INT_MAX) {
        if (errmsg) reply_error(c, errmsg);
        else reply_error(c, "ERR value is out of range, value must between -2147483648 and "
                            "2147483647");
        return false;
    }
    *out = (int)v;
    return true;
}

/* The db with this index, or NULL after replying Redis's error. */
static db *db_or_reply(client *c, int id) {
    db *d = db_get(id);
    if (!d) reply_error(c, "ERR DB index is out of range");
    return d;
}

/* ---------------------------------------------------------------- DEL EXISTS TYPE TOUCH */

static void del_keys(client *c, bool lazy) {
    long long n = 0;
    for (int j = 1; j < c->argc; j++) {
        if (!db_delete_lazy(c->db, c->argv[j], c->argvlen[j], lazy)) continue;
        notify_keyspace_event(NOTIFY_GENERIC, "del", c->db, c->argv[j], c->argvlen[j]);
        n++;
    }
    reply_int(c, n);
}

static void cmd_del(client *c) { del_keys(c, server.lazyfree_lazy_user_del); }
static void cmd_unlink(client *c) { del_keys(c, true); }

static void cmd_exists(client *c) {
    long long n = 0;
    for (int j = 1; j < c->argc; j++)
        n += lookup_read_notouch(c->db, c->argv[j], c->argvlen[j]) != NULL;
    reply_int(c, n);
}

static void cmd_touch(client *c) {
    long long n = 0;
    for (int j = 1; j < c->argc; j++) n += db_lookup_read(c->db, c->argv[j], c->argvlen[j]) != NULL;
    reply_int(c, n);
}

static void cmd_type(client *c) {
    obj *o = lookup_read_notouch(c->db, c->argv[1], c->argvlen[1]);
    reply_simple(c, o ? obj_type_name(o) : "none");
}

/* ---------------------------------------------------------------- expiry */

enum { EXP_NX = 1, EXP_XX = 2, EXP_GT = 4, EXP_LT = 8 };

/* What the AOF gets for an EXPIRE that did something, in Redis 7.0.15's forms: DEL
 * key when the time was past (the key is gone); else PEXPIREAT key <when> followed
 * by the options as given. PEXPIREAT itself already says that and is logged as it
 * is (rewrite false). */
static void expire_propagate(client *c, int64_t when, bool rewrite) {
    if (when <= server.now_ms) {
        const char *argv[] = {"DEL", c->argv[1]};
        const size_t lens[] = {3, c->argvlen[1]};
        propagate_instead(c, 2, argv, lens);
        return;
    }
    if (!rewrite || !propagating()) return;
    char ms[NUM_LL_MAX_CHARS];
    const char **argv = cn_malloc(sizeof(char *) * (size_t)c->argc);
    size_t *lens = cn_malloc(sizeof(size_t) * (size_t)c->argc);
    for (int j = 0; j < c->argc; j++) {
        argv[j] = c->argv[j];
        lens[j] = c->argvlen[j];
    }
    argv[0] = "PEXPIREAT";
    lens[0] = 9;
    argv[2] = ms;
    lens[2] = num_fmt_ll(ms, when);
    propagate_instead(c, c->argc, argv, lens);
    cn_free(argv);
    cn_free(lens);
}

/* EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT key time [NX|XX|GT|LT]. basetime is now
 * (relative forms) or 0; seconds says the unit. Order of checks as Redis: the
 * options, then the number, then overflow, then the key. */
static void expire_generic(client *c, int64_t basetime, bool seconds) {
    int flags = 0;
    for (int j = 3; j < c->argc; j++) {
        if (arg_is(c, j, "nx")) flags |= EXP_NX;
        else if (arg_is(c, j, "xx")) flags |= EXP_XX;
        else if (arg_is(c, j, "gt")) flags |= EXP_GT;
        else if (arg_is(c, j, "lt")) flags |= EXP_LT;
        else {
            reply_errorf(c, "ERR Unsupported option %s", c->argv[j]);
            return;
        }
    }
    if ((flags & EXP_NX) && (flags & (EXP_XX | EXP_GT | EXP_LT))) {
        reply_error(c, "ERR NX and XX, GT or LT options at the same time are not compatible");
        return;
    }
    if ((flags & EXP_GT) && (flags & EXP_LT)) {
        reply_error(c, "ERR GT and LT options at the same time are not compatible");
        return;
    }

    long long when;
    if (!arg_ll_or_reply(c, 2, &when)) return;
    if (seconds) {
        if (when > LLONG_MAX / 1000 || when < LLONG_MIN / 1000) goto invalid;
        when *= 1000;
    }
    if (when > LLONG_MAX - basetime) goto invalid;
    when += basetime;

    obj *o = db_lookup_write(c->db, c->argv[1], c->argvlen[1]);
    if (!o) {
        reply_int(c, 0);
        return;
    }
    if (flags) {
        int64_t cur = obj_expire(o); /* OBJ_NO_EXPIRE: no TTL, i.e. infinite */
        bool has = cur != OBJ_NO_EXPIRE;
        if (((flags & EXP_NX) && has) || ((flags & EXP_XX) && !has) ||
            ((flags & EXP_GT) && (!has || when <= cur)) || ((flags & EXP_LT) && has && when >= cur)) {
            reply_int(c, 0);
            return;
        }
    }
    /* A deadline already past deletes the key now. */
    if (when <= server.now_ms) {
        db_delete(c->db, c->argv[1], c->argvlen[1]);
        notify_keyspace_event(NOTIFY_GENERIC, "del", c->db, c->argv[1], c->argvlen[1]);
    } else {
        (void)db_set_expire(c->db, o, when);
        notify_keyspace_event(NOTIFY_GENERIC, "expire", c->db, c->argv[1], c->argvlen[1]);
    }
    reply_int(c, 1);
    expire_propagate(c, when, basetime != 0 || seconds);
    return;
invalid:
    reply_errorf(c, "ERR invalid expire time in '%s' command", c->cmd ? c->cmd->name : "expire");
}

static void cmd_expire(client *c) { expire_generic(c, server.now_ms, true); }
static void cmd_pexpire(client *c) { expire_generic(c, server.now_ms, false); }
static void cmd_expireat(client *c) { expire_generic(c, 0, true); }
static void cmd_pexpireat(client *c) { expire_generic(c, 0, false); }

/* TTL, PTTL (remaining time) and EXPIRETIME, PEXPIRETIME (absolute): -2 for a
 * missing key, -1 for no TTL; seconds are rounded to the nearest. */
static void ttl_generic(client *c, bool ms, bool absolute) {
    obj *o = lookup_read_notouch(c->db, c->argv[1], c->argvlen[1]);
    if (!o) {
        reply_int(c, -2);
        return;
    }
    int64_t when = obj_expire(o);
    if (when == OBJ_NO_EXPIRE) {
        reply_int(c, -1);
        return;
    }
    long long v = absolute ? when : when - server.now_ms;
    if (v < 0) v = 0;
    /* v >= 0; unsigned so that a deadline near LLONG_MAX rounds without overflow. */
    reply_int(c, ms ? v : (long long)(((unsigned long long)v + 500) / 1000));
}

static void cmd_ttl(client *c) { ttl_generic(c, false, false); }
static void cmd_pttl(client *c) { ttl_generic(c, true, false); }
static void cmd_expiretime(client *c) { ttl_generic(c, false, true); }
static void cmd_pexpiretime(client *c) { ttl_generic(c, true, true); }

static void cmd_persist(client *c) {
    obj *o = db_lookup_write(c->db, c->argv[1], c->argvlen[1]);
    if (!o || !o->has_expire) {
        reply_int(c, 0);
        return;
    }
    (void)db_set_expire(c->db, o, OBJ_NO_EXPIRE);
    notify_keyspace_event(NOTIFY_GENERIC, "persist", c->db, c->argv[1], c->argvlen[1]);
    reply_int(c, 1);
}

/* ---------------------------------------------------------------- RENAME */

static void rename_generic(client *c, bool nx) {
    const char *src = c->argv[1], *dst = c->argv[2];
    size_t slen = c->argvlen[1], dlen = c->argvlen[2];
    bool same = slen == dlen && memcmp(src, dst, slen) == 0;
    /* The source, then the destination, as Redis looks them up (which decides
     * the events when one has expired). */
    if (!db_lookup_write(c->db, src, slen)) {
        reply_error(c, "ERR no such key");
        return;
    }
    if (same) {
        if (nx) reply_int(c, 0);
        else reply_ok(c);
        return;
    }
    if (db_lookup_write(c->db, dst, dlen) && nx) {
        reply_int(c, 0);
        return;
    }
    /* Again: the destination's lazy expiry was a write, after which the source
     * pointer may be stale. */
    obj *o = db_lookup_write(c->db, src, slen);
    db_rename(c->db, o, dst, dlen);
    notify_keyspace_event(NOTIFY_GENERIC, "rename_from", c->db, src, slen);
    notify_keyspace_event(NOTIFY_GENERIC, "rename_to", c->db, dst, dlen);
    if (nx) reply_int(c, 1);
    else reply_ok(c);
}

static void cmd_rename(client *c) { rename_generic(c, false); }
static void cmd_renamenx(client *c) { rename_generic(c, true); }

/* ---------------------------------------------------------------- KEYS SCAN RANDOMKEY */

static void cmd_keys(client *c) {
    const char *pat = c->argv[1];
    size_t plen = c->argvlen[1];
    bool all = plen == 1 && pat[0] == '*';
    void *h = reply_deferred(c);
    long n = 0;
    ht_iter it;
    ht_iter_init(&it, c->db->keys);
    for (obj *o; (o = ht_iter_next(&it)) != NULL;) {
        if (!all && !glob_match(pat, plen, obj_key(o), obj_keylen(o), false)) continue;
        if (db_is_expired(o)) continue; /* as Redis: skipped, not deleted here */
        reply_bulk(c, obj_key(o), obj_keylen(o));
        n++;
    }
    ht_iter_deinit(&it);
    reply_set_deferred(c, h, '*', n);
}

/* Redis parses the cursor with strtoul: an optional sign, base 10, nothing
 * after it; no leading space, no overflow. "" reads as 0 and "-1" as the
 * largest cursor. argv strings are NUL-terminated. */
bool scan_cursor_or_reply(client *c, int i, size_t *out) {
    const char *s = c->argv[i];
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (isspace((unsigned char)s[0]) || *end != '\0' || errno == ERANGE) {
        reply_error(c, "ERR invalid cursor");
        return false;
    }
    *out = v;
    return true;
}

bool scan_opts_or_reply(client *c, int first, bool allow_type, scan_opts *o) {
    *o = (scan_opts){.count = 10, .type = -1};
    for (int j = first; j < c->argc; j++) {
        bool has_next = j + 1 < c->argc;
        if (arg_is(c, j, "count") && has_next) {
            if (!arg_ll_or_reply(c, ++j, &o->count)) return false;
            if (o->count < 1) {
                reply_err_syntax(c);
                return false;
            }
        } else if (arg_is(c, j, "match") && has_next) {
            j++;
            o->pat = c->argv[j];
            o->plen = c->argvlen[j];
            if (o->plen == 1 && o->pat[0] == '*') o->pat = NULL; /* everything */
        } else if (allow_type && arg_is(c, j, "type") && has_next) {
            j++;
            o->use_type = true;
            /* An unknown type name matches no key (Redis 7.0 does not refuse it). */
            o->type = obj_type_from_name(c->argv[j], c->argvlen[j]);
        } else {
            reply_err_syntax(c);
            return false;
        }
    }
    return true;
}

void scan_batch_init(scan_batch *b) {
    b->len = 0;
    b->cap = sizeof(b->inline_v) / sizeof(b->inline_v[0]);
    b->v = b->inline_v;
}

void scan_collect(void *privdata, void *entry) {
    scan_batch *b = privdata;
    if (b->len == b->cap) {
        size_t cap = b->cap * 2;
        if (b->v == b->inline_v) {
            b->v = cn_malloc(cap * sizeof(void *));
            memcpy(b->v, b->inline_v, b->len * sizeof(void *));
        } else {
            b->v = cn_realloc(b->v, cap * sizeof(void *));
        }
        b->cap = cap;
    }
    b->v[b->len++] = entry;
}

void scan_batch_deinit(scan_batch *b) {
    if (b->v != b->inline_v) cn_free(b->v);
    scan_batch_init(b);
}

void scan_reply_cursor(client *c, size_t cursor) {
    char cbuf[NUM_LL_MAX_CHARS + 1];
    int cl = snprintf(cbuf, sizeof(cbuf), "%zu", cursor);
    reply_bulk(c, cbuf, (size_t)cl);
}

static void cmd_scan(client *c) {
    size_t cursor;
    if (!scan_cursor_or_reply(c, 1, &cursor)) return;
    scan_opts opt;
    if (!scan_opts_or_reply(c, 2, true, &opt)) return;
    long long count = opt.count;
    const char *pat = opt.pat;
    size_t plen = opt.plen;

    /* Visit buckets until COUNT keys are collected, with at most 10*COUNT calls
     * so that a sparse table does not make one call long. */
    scan_batch b;
    scan_batch_init(&b);
    long long maxiter = count > LLONG_MAX / 10 ? LLONG_MAX : count * 10;
    do {
        cursor = ht_scan(c->db->keys, cursor, scan_collect, &b);
    } while (cursor && maxiter-- && b.len < (size_t)count);

    /* Filter in place; keep the keys of expired ones to delete after replying
     * (their deletion is a write, after which the pointers are stale). */
    size_t kept = 0, nexp = 0;
    char *expired = NULL;
    size_t elen = 0, ecap = 0;
    for (size_t i = 0; i < b.len; i++) {
        obj *o = b.v[i];
        if (pat && !glob_match(pat, plen, obj_key(o), obj_keylen(o), false)) continue;
        bool gone = db_is_expired(o);
        if (opt.use_type) {
            /* Redis looks each candidate up to read its type: count it as it does. */
            if (gone) server.stat_keyspace_misses++;
            else server.stat_keyspace_hits++;
            if ((int)o->type != opt.type && !gone) continue;
        }
        if (gone) {
            size_t kl = obj_keylen(o), need = elen + sizeof(size_t) + kl;
            if (need > ecap) {
                ecap = need * 2;
                expired = cn_realloc(expired, ecap);
            }
            memcpy(expired + elen, &kl, sizeof(size_t));
            memcpy(expired + elen + sizeof(size_t), obj_key(o), kl);
            elen = need;
            nexp++;
            continue;
        }
        b.v[kept++] = o;
    }

    reply_array(c, 2);
    scan_reply_cursor(c, cursor);
    reply_array(c, (long)kept);
    for (size_t i = 0; i < kept; i++) {
        const obj *o = b.v[i];
        reply_bulk(c, obj_key(o), obj_keylen(o));
    }
    scan_batch_deinit(&b);

    for (size_t off = 0; nexp--;) {
        size_t kl;
        memcpy(&kl, expired + off, sizeof(size_t));
        (void)db_lookup_write(c->db, expired + off + sizeof(size_t), kl); /* expires it */
        off += sizeof(size_t) + kl;
    }
    cn_free(expired);
}

static void cmd_randomkey(client *c) {
    obj *o = db_random_key(c->db);
    if (o) reply_bulk(c, obj_key(o), obj_keylen(o));
    else reply_null(c);
}

/* ---------------------------------------------------------------- COPY MOVE */

static void cmd_copy(client *c) {
    const char *src = c->argv[1], *dst = c->argv[2];
    size_t slen = c->argvlen[1], dlen = c->argvlen[2];
    db *to = c->db;
    bool replace = false;
    for (int j = 3; j < c->argc; j++) {
        if (arg_is(c, j, "replace")) {
            replace = true;
        } else if (arg_is(c, j, "db") && j + 1 < c->argc) {
            int id;
            if (!arg_int_or_reply(c, ++j, NULL, &id)) return;
            if (!(to = db_or_reply(c, id))) return;
        } else {
            reply_err_syntax(c);
            return;
        }
    }
    if (to == c->db && slen == dlen && memcmp(src, dst, slen) == 0) {
        reply_error(c, "ERR source and destination objects are the same");
        return;
    }
    /* The source (a read, as Redis counts it), then the destination, in
     * Redis's order (which decides the events when one has expired). */
    if (!db_lookup_read(c->db, src, slen)) {
        reply_int(c, 0);
        return;
    }
    if (db_lookup_write(to, dst, dlen) && !replace) {
        reply_int(c, 0);
        return;
    }
    /* Again: the destination's lazy expiry was a write, after which the source
     * pointer may be stale. */
    obj *o = db_lookup_write(c->db, src, slen);
    bool copied = db_copy_to(to, o, dst, dlen, replace);
    if (copied) notify_keyspace_event(NOTIFY_GENERIC, "copy_to", to, dst, dlen);
    reply_int(c, copied);
}

static void cmd_move(client *c) {
    const char *key = c->argv[1];
    size_t klen = c->argvlen[1];
    int id;
    if (!arg_int_or_reply(c, 2, NULL, &id)) return;
    db *to = db_or_reply(c, id);
    if (!to) return;
    if (to == c->db) {
        reply_error(c, "ERR source and destination objects are the same");
        return;
    }
    obj *o = db_lookup_write(c->db, key, klen);
    if (!o || !db_move(c->db, to, o)) {
        reply_int(c, 0);
        return;
    }
    notify_keyspace_event(NOTIFY_GENERIC, "move_from", c->db, key, klen);
    notify_keyspace_event(NOTIFY_GENERIC, "move_to", to, key, klen);
    reply_int(c, 1);
}

/* ---------------------------------------------------------------- databases */

static void cmd_select(client *c) {
    int id;
    if (!arg_int_or_reply(c, 1, NULL, &id)) return;
    db *d = db_or_reply(c, id);
    if (!d) return;
    c->db = d;
    reply_ok(c);
}

static void cmd_swapdb(client *c) {
    int a, b;
    if (!arg_int_or_reply(c, 1, "ERR invalid first DB index", &a) ||
        !arg_int_or_reply(c, 2, "ERR invalid second DB index", &b))
        return;
    if (!db_get(a) || !db_get(b)) {
        reply_error(c, "ERR DB index is out of range");
        return;
    }
    if (a != b) db_swap(a, b);
    reply_ok(c);
}

/* FLUSHDB/FLUSHALL [ASYNC|SYNC]: whether to free in the background (without a
 * mode, lazyfree-lazy-user-flush says). */
static bool flush_mode_or_reply(client *c, bool *lazy) {
    *lazy = server.lazyfree_lazy_user_flush;
    if (c->argc == 2 && arg_is(c, 1, "async")) *lazy = true;
    else if (c->argc == 2 && arg_is(c, 1, "sync")) *lazy = false;
    else if (c->argc != 1) {
        reply_err_syntax(c);
        return false;
    }
    return true;
}

static void cmd_flushdb(client *c) {
    bool lazy;
    if (!flush_mode_or_reply(c, &lazy)) return;
    db_flush(c->db, lazy);
    reply_ok(c);
}

static void cmd_flushall(client *c) {
    bool lazy;
    if (!flush_mode_or_reply(c, &lazy)) return;
    for (int i = 0; i < db_count(); i++) db_flush(db_get(i), lazy);
    persist_flushall_done();
    reply_ok(c);
}

static void cmd_dbsize(client *c) { reply_int(c, (long long)db_size(c->db)); }

/* ---------------------------------------------------------------- OBJECT */

/* The key of OBJECT <sub> key; NULL after replying null if it is missing. Looked
 * up as Redis does (LOOKUP_NOTOUCH | LOOKUP_NONOTIFY): counted in the keyspace
 * hits and misses, but without touching the LRU clock or reporting a "keymiss". */
static obj *object_lookup_or_reply(client *c) {
    obj *o = db_lookup_write_flags(c->db, c->argv[2], c->argvlen[2], LOOKUP_NOTOUCH);
    if (o) {
        server.stat_keyspace_hits++;
    } else {
        server.stat_keyspace_misses++;
        reply_null(c);
    }
    return o;
}

static void cmd_object_encoding(client *c) {
    obj *o = object_lookup_or_reply(c);
    if (o) reply_bulk_cstr(c, obj_encoding_name(o));
}

static void cmd_object_freq(client *c) {
    obj *o = object_lookup_or_reply(c);
    if (!o) return;
    if (!evict_policy_is_lfu()) {
        reply_error(c, "ERR An LFU maxmemory policy is not selected, access frequency not "
                       "tracked. Please note that when switching between policies at runtime "
                       "LRU and LFU data will take some time to adjust.");
        return;
    }
    reply_int(c, evict_lfu_count(o));
}

static void cmd_object_idletime(client *c) {
    obj *o = object_lookup_or_reply(c);
    if (!o) return;
    if (evict_policy_is_lfu()) {
        reply_error(c, "ERR An LFU maxmemory policy is selected, idle time not tracked. Please "
                       "note that when switching between policies at runtime LRU and LFU data "
                       "will take some time to adjust.");
        return;
    }
    reply_int(c, evict_idle_seconds(o));
}

static void cmd_object_refcount(client *c) {
    /* Cairn never shares values between keys: each has exactly one reference.
     * Redis, though, keeps the integers 0..9999 as shared objects and answers
     * INT_MAX for them; clients and tests see that, so values Redis would share
     * (INT-encoded 0..9999) get the same answer. */
    obj *o = object_lookup_or_reply(c);
    if (!o) return;
    bool shared_in_redis = o->encoding == OBJ_ENC_INT && obj_int(o) >= 0 && obj_int(o) < 10000;
    reply_int(c, shared_in_redis ? INT_MAX : 1);
}

static void cmd_object_help(client *c) {
    static const char *const help[] = {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
        NULL,
    };
    reply_help(c, help);
}

/* ---------------------------------------------------------------- the table */

static command object_subcommands[] = {
    {.name = "encoding", .proc = cmd_object_encoding, .arity = 3, .flags = CMD_READONLY,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_SLOW, .first_key = 2, .last_key = 2, .key_step = 1,
     .group = "generic", .since = "2.2.3",
     .summary = "Inspect the internal encoding of a Redis object", .complexity = "O(1)",
     .tips = "nondeterministic_output", .key_specs = "RO: index 2 range 0 1 0", .args = "key@0"},
    {.name = "freq", .proc = cmd_object_freq, .arity = 3, .flags = CMD_READONLY,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_SLOW, .first_key = 2, .last_key = 2, .key_step = 1,
     .group = "generic", .since = "4.0.0",
     .summary = "Get the logarithmic access frequency counter of a Redis object",
     .complexity = "O(1)",
     .tips = "nondeterministic_output", .key_specs = "RO: index 2 range 0 1 0", .args = "key@0"},
    {.name = "idletime", .proc = cmd_object_idletime, .arity = 3, .flags = CMD_READONLY,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_SLOW, .first_key = 2, .last_key = 2, .key_step = 1,
     .group = "generic", .since = "2.2.3",
     .summary = "Get the time since a Redis object was last accessed", .complexity = "O(1)",
     .tips = "nondeterministic_output", .key_specs = "RO: index 2 range 0 1 0", .args = "key@0"},
    {.name = "help", .proc = cmd_object_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_KEYSPACE | ACL_SLOW, .group = "generic", .since = "6.2.0",
     .summary = "Show helpful text about the different subcommands", .complexity = "O(1)"},
    {.name = "refcount", .proc = cmd_object_refcount, .arity = 3, .flags = CMD_READONLY,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_SLOW, .first_key = 2, .last_key = 2, .key_step = 1,
     .group = "generic", .since = "2.2.3",
     .summary = "Get the number of references to the value of the key", .complexity = "O(1)",
     .tips = "nondeterministic_output", .key_specs = "RO: index 2 range 0 1 0", .args = "key@0"},
    {0}};

command cmd_table_keys[] = {
    {.name = "del", .proc = cmd_del, .arity = -2, .flags = CMD_WRITE,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_SLOW, .first_key = 1, .last_key = -1, .key_step = 1,
     .group = "generic", .since = "1.0.0", .summary = "Delete a key",
     .complexity = "O(N) where N is the number of keys that will be removed. When a key to remove "
                   "holds a value other than a string, the individual complexity for this key is "
                   "O(M) where M is the number of elements in the list, set, sorted set or hash. "
                   "Removing a single key that holds a string value is O(1).",
     .tips = "request_policy:multi_shard response_policy:agg_sum",
     .key_specs = "RM delete: index 1 range -1 1 0", .args = "key@0..."},
    {.name = "unlink", .proc = cmd_unlink, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_FAST, .first_key = 1, .last_key = -1, .key_step = 1,
     .group = "generic", .since = "4.0.0",
     .summary = "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but "
                "non blocking.",
     .complexity = "O(1) for each key removed regardless of its size. Then the command does O(N) "
                   "work in a different thread in order to reclaim memory, where N is the number "
                   "of allocations the deleted objects where composed of.",
     .tips = "request_policy:multi_shard response_policy:agg_sum",
     .key_specs = "RM delete: index 1 range -1 1 0", .args = "key@0..."},
    {.name = "exists", .proc = cmd_exists, .arity = -2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_FAST, .first_key = 1, .last_key = -1, .key_step = 1,
     .group = "generic", .since = "1.0.0", .summary = "Determine if a key exists",
     .complexity = "O(N) where N is the number of keys to check.",
     .history = "3.0.3 Accepts multiple `key` arguments.",
     .tips = "request_policy:multi_shard response_policy:agg_sum",
     .key_specs = "RO: index 1 range -1 1 0", .args = "key@0..."},
    {.name = "expire", .proc = cmd_expire, .arity = -3, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "generic", .since = "1.0.0", .summary = "Set a key's time to live in seconds",
     .complexity = "O(1)",
     .history = "7.0.0 Added options: `NX`, `XX`, `GT` and `LT`.",
     .key_specs = "RW update: index 1 range 0 1 0",
     .args = "key@0 seconds:integer [condition(NX|XX|GT|LT)+7.0.0]"},
    {.name = "pexpire", .proc = cmd_pexpire, .arity = -3, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "generic", .since = "2.6.0", .summary = "Set a key's time to live in milliseconds",
     .complexity = "O(1)",
     .history = "7.0.0 Added options: `NX`, `XX`, `GT` and `LT`.",
     .key_specs = "RW update: index 1 range 0 1 0",
     .args = "key@0 milliseconds:integer [condition(NX|XX|GT|LT)+7.0.0]"},
    {.name = "expireat", .proc = cmd_expireat, .arity = -3, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "generic", .since = "1.2.0",
     .summary = "Set the expiration for a key as a UNIX timestamp", .complexity = "O(1)",
     .history = "7.0.0 Added options: `NX`, `XX`, `GT` and `LT`.",
     .key_specs = "RW update: index 1 range 0 1 0",
     .args = "key@0 unix-time-seconds:unix-time [condition(NX|XX|GT|LT)+7.0.0]"},
    {.name = "pexpireat", .proc = cmd_pexpireat, .arity = -3, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "generic", .since = "2.6.0",
     .summary = "Set the expiration for a key as a UNIX timestamp specified in milliseconds",
     .complexity = "O(1)",
     .history = "7.0.0 Added options: `NX`, `XX`, `GT` and `LT`.",
     .key_specs = "RW update: index 1 range 0 1 0",
     .args = "key@0 unix-time-milliseconds:unix-time [condition(NX|XX|GT|LT)+7.0.0]"},
    {.name = "expiretime", .proc = cmd_expiretime, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "generic", .since = "7.0.0", .summary = "Get the expiration Unix timestamp for a key",
     .complexity = "O(1)",
     .key_specs = "RO access: index 1 range 0 1 0", .args = "key@0"},
    {.name = "pexpiretime", .proc = cmd_pexpiretime, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "generic", .since = "7.0.0",
     .summary = "Get the expiration Unix timestamp for a key in milliseconds", .complexity = "O(1)",
     .key_specs = "RO access: index 1 range 0 1 0", .args = "key@0"},
    {.name = "ttl", .proc = cmd_ttl, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "generic", .since = "1.0.0", .summary = "Get the time to live for a key in seconds",
     .complexity = "O(1)",
     .history = "2.8.0 Added the -2 reply.",
     .tips = "nondeterministic_output", .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0"},
    {.name = "pttl", .proc = cmd_pttl, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "generic", .since = "2.6.0",
     .summary = "Get the time to live for a key in milliseconds", .complexity = "O(1)",
     .history = "2.8.0 Added the -2 reply.",
     .tips = "nondeterministic_output", .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0"},
    {.name = "persist", .proc = cmd_persist, .arity = 2, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "generic", .since = "2.2.0", .summary = "Remove the expiration from a key",
     .complexity = "O(1)",
     .key_specs = "RW update: index 1 range 0 1 0", .args = "key@0"},
    {.name = "type", .proc = cmd_type, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "generic", .since = "1.0.0", .summary = "Determine the type stored at key",
     .complexity = "O(1)",
     .key_specs = "RO: index 1 range 0 1 0", .args = "key@0"},
    {.name = "rename", .proc = cmd_rename, .arity = 3, .flags = CMD_WRITE,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_SLOW, .first_key = 1, .last_key = 2, .key_step = 1,
     .group = "generic", .since = "1.0.0", .summary = "Rename a key", .complexity = "O(1)",
     .key_specs = "RW access delete: index 1 range 0 1 0; OW update: index 2 range 0 1 0",
     .args = "key@0 newkey@1"},
    {.name = "renamenx", .proc = cmd_renamenx, .arity = 3, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_FAST, .first_key = 1, .last_key = 2, .key_step = 1,
     .group = "generic", .since = "1.0.0",
     .summary = "Rename a key, only if the new key does not exist", .complexity = "O(1)",
     .history = "3.2.0 The command no longer returns an error when source and destination names "
                "are the same.",
     .key_specs = "RW access delete: index 1 range 0 1 0; OW insert: index 2 range 0 1 0",
     .args = "key@0 newkey@1"},
    {.name = "keys", .proc = cmd_keys, .arity = 2, .flags = CMD_READONLY,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_SLOW | ACL_DANGEROUS, .group = "generic",
     .since = "1.0.0", .summary = "Find all keys matching the given pattern",
     .complexity = "O(N) with N being the number of keys in the database, under the assumption "
                   "that the key names in the database and the given pattern have limited length.",
     .tips = "request_policy:all_shards nondeterministic_output_order", .args = "pattern:pattern"},
    {.name = "scan", .proc = cmd_scan, .arity = -2, .flags = CMD_READONLY,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_SLOW, .group = "generic", .since = "2.8.0",
     .summary = "Incrementally iterate the keys space",
     .complexity = "O(1) for every call. O(N) for a complete iteration, including enough command "
                   "calls for the cursor to return back to 0. N is the number of elements inside "
                   "the collection.",
     .history = "6.0.0 Added the `TYPE` subcommand.",
     .tips = "nondeterministic_output request_policy:special",
     .args = "cursor:integer [MATCH pattern:pattern] [COUNT count:integer] [TYPE type+6.0.0]"},
    {.name = "randomkey", .proc = cmd_randomkey, .arity = 1, .flags = CMD_READONLY,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_SLOW, .group = "generic", .since = "1.0.0",
     .summary = "Return a random key from the keyspace", .complexity = "O(1)",
     .tips = "request_policy:all_shards nondeterministic_output"},
    {.name = "copy", .proc = cmd_copy, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_SLOW, .first_key = 1, .last_key = 2, .key_step = 1,
     .group = "generic", .since = "6.2.0", .summary = "Copy a key",
     .complexity = "O(N) worst case for collections, where N is the number of nested items. O(1) "
                   "for string values.",
     .key_specs = "RO access: index 1 range 0 1 0; OW update: index 2 range 0 1 0",
     .args = "source@0 destination@1 [DB destination-db:integer] [REPLACE]"},
    {.name = "touch", .proc = cmd_touch, .arity = -2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_FAST, .first_key = 1, .last_key = -1, .key_step = 1,
     .group = "generic", .since = "3.2.1",
     .summary = "Alters the last access time of a key(s). Returns the number of existing keys "
                "specified.",
     .complexity = "O(N) where N is the number of keys that will be touched.",
     .tips = "request_policy:multi_shard response_policy:agg_sum",
     .key_specs = "RO: index 1 range -1 1 0", .args = "key@0..."},
    {.name = "object", .arity = -2, .acl = ACL_SLOW, .group = "generic", .since = "2.2.3",
     .summary = "A container for object introspection commands",
     .complexity = "Depends on subcommand.", .subcommands = object_subcommands},
    {.name = "select", .proc = cmd_select, .arity = 2, .flags = CMD_LOADING | CMD_STALE | CMD_FAST,
     .acl = ACL_FAST | ACL_CONNECTION, .group = "connection", .since = "1.0.0",
     .summary = "Change the selected database for the current connection", .complexity = "O(1)",
     .args = "index:integer"},
    {.name = "swapdb", .proc = cmd_swapdb, .arity = 3, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_FAST | ACL_DANGEROUS, .group = "server",
     .since = "4.0.0", .summary = "Swaps two Redis databases",
     .complexity = "O(N) where N is the count of clients watching or blocking on keys from both "
                   "databases.",
     .args = "index1:integer index2:integer"},
    {.name = "move", .proc = cmd_move, .arity = 3, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "generic", .since = "1.0.0", .summary = "Move a key to another database",
     .complexity = "O(1)",
     .key_specs = "RW access update: index 1 range 0 1 0", .args = "key@0 db:integer"},
    {.name = "flushdb", .proc = cmd_flushdb, .arity = -1, .flags = CMD_WRITE,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_SLOW | ACL_DANGEROUS, .group = "server",
     .since = "1.0.0", .summary = "Remove all keys from the current database",
     .complexity = "O(N) where N is the number of keys in the selected database",
     .history = "4.0.0 Added the `ASYNC` flushing mode modifier.\n"
                "6.2.0 Added the `SYNC` flushing mode modifier.",
     .tips = "request_policy:all_shards response_policy:all_succeeded",
     .args = "[async(ASYNC+4.0.0|SYNC+6.2.0)]"},
    {.name = "flushall", .proc = cmd_flushall, .arity = -1, .flags = CMD_WRITE,
     .acl = ACL_KEYSPACE | ACL_WRITE | ACL_SLOW | ACL_DANGEROUS, .group = "server",
     .since = "1.0.0", .summary = "Remove all keys from all databases",
     .complexity = "O(N) where N is the total number of keys in all databases",
     .history = "4.0.0 Added the `ASYNC` flushing mode modifier.\n"
                "6.2.0 Added the `SYNC` flushing mode modifier.",
     .tips = "request_policy:all_shards response_policy:all_succeeded",
     .args = "[async(ASYNC+4.0.0|SYNC+6.2.0)]"},
    {.name = "dbsize", .proc = cmd_dbsize, .arity = 1, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_KEYSPACE | ACL_READ | ACL_FAST, .group = "server", .since = "1.0.0",
     .summary = "Return the number of keys in the selected database", .complexity = "O(1)",
     .tips = "request_policy:all_shards response_policy:agg_sum"},
    {0}};
