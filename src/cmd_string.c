/* src/cmd_string.c: string commands.
 *
 * GET SET SETNX SETEX PSETEX MGET MSET MSETNX INCR DECR INCRBY DECRBY INCRBYFLOAT
 * APPEND STRLEN GETRANGE SETRANGE SUBSTR GETDEL GETEX GETSET LCS.
 *
 * Behaviour, reply shapes and error texts follow Redis 7.0 (checked against
 * redis-server 7.0.15), including its quirks: GETRANGE with a negative end
 * below the start clamps to the first byte, SET with an absolute expire in the
 * past stores the key and lets lazy expiry remove it, GETEX parses its expire
 * value only once the key is known to be a string.
 *
 * Every keyspace change goes through db.h and is then reported with Redis's
 * event (notify.h). Values that are written into (APPEND, SETRANGE, and
 * SETBIT/BITFIELD in cmd_bitops.c) become RAW objects, as in Redis, and then
 * grow in place: string_write_begin/end below.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../utils/alloc.h"
#include "../utils/num.h"
#include "notify.h"
#include "persist.h"
#include "server.h"

/* ---------------------------------------------------------------- helpers */

/* Replies the bytes of string object o as a bulk string. */
static inline void reply_str_obj(client *c, const obj *o) {
    char buf[32];
    size_t len;
    const char *s = obj_str(o, buf, &len);
    reply_bulk(c, s, len);
}

/* Redis's checkStringLength: a string of size + append bytes must not pass
 * proto-max-bulk-len. */
static bool check_string_length_or_reply(client *c, unsigned long long size,
                                         unsigned long long append) {
    unsigned long long total = size + append;
    if (total < size || total > (unsigned long long)server.proto_max_bulk_len) {
        reply_error(c, "ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- propagation
 * What the AOF gets instead of a command whose own argv would not replay the
 * same (persist.h), in Redis 7.0.15's exact forms. */

/* SET key value PXAT <when>: SET with any expire option, SETEX, PSETEX. */
static void propagate_set_pxat(client *c, const char *val, size_t vlen, int64_t when) {
    char ms[NUM_LL_MAX_CHARS];
    size_t mslen = num_fmt_ll(ms, when);
    const char *argv[] = {"SET", c->argv[1], val, "PXAT", ms};
    const size_t lens[] = {3, c->argvlen[1], vlen, 4, mslen};
    propagate_instead(c, 5, argv, lens);
}

/* PEXPIREAT key <when>: GETEX with an expire option. */
static void propagate_pexpireat(client *c, int64_t when) {
    char ms[NUM_LL_MAX_CHARS];
    size_t mslen = num_fmt_ll(ms, when);
    const char *argv[] = {"PEXPIREAT", c->argv[1], ms};
    const size_t lens[] = {9, c->argvlen[1], mslen};
    propagate_instead(c, 3, argv, lens);
}

/* <name> key: DEL (GETDEL, GETEX with a past time) and PERSIST (GETEX). */
static void propagate_key_cmd(client *c, const char *name) {
    const char *argv[] = {name, c->argv[1]};
    const size_t lens[] = {strlen(name), c->argvlen[1]};
    propagate_instead(c, 2, argv, lens);
}

/* ---------------------------------------------------------------- writable strings
 * (see server.h; APPEND and SETRANGE here, SETBIT and BITFIELD in cmd_bitops.c) */

obj *string_write_begin(obj *o, const char *key, size_t klen, size_t minlen) {
    obj *w;
    if (!o) {
        w = obj_new_raw(key, klen, NULL, 0, minlen, OBJ_NO_EXPIRE);
    } else if (o->encoding == OBJ_ENC_RAW) {
        w = o;
    } else {
        /* Like Redis, a string that is written into becomes "raw". */
        char buf[32];
        size_t len;
        const char *s = obj_str(o, buf, &len);
        w = obj_new_raw(obj_key(o), obj_keylen(o), s, len, len > minlen ? len : minlen,
                        obj_expire(o));
    }
    rawstr *r = obj_raw(w);
    if (r->len < minlen) {
        r = rawstr_reserve(r, minlen);
        memset(r->buf + r->len, 0, minlen - r->len);
        r->len = minlen;
        r->buf[minlen] = '\0';
        obj_set_raw(w, r);
    }
    return w;
}

void string_write_end(db *d, obj *o, obj *w) {
    if (!o) db_set(d, w);
    else if (w != o) db_replace(d, o, w);
    else db_touch_write(d, o);
}

enum { UNIT_SECONDS, UNIT_MS };

/* Redis's getExpireMillisecondsOrReply: argument i is a positive count of
 * seconds or ms, relative to now unless absolute. Stores an absolute Unix time
 * in ms. Errors name the command, e.g. "invalid expire time in 'set' command". */
static bool expire_arg_or_reply(client *c, int i, int unit, bool absolute, const char *cmdname,
                                int64_t *out) {
    long long v;
    if (!arg_ll_or_reply(c, i, &v)) return false;
    if (v <= 0 || (unit == UNIT_SECONDS && v > LLONG_MAX / 1000)) goto invalid;
    if (unit == UNIT_SECONDS) v *= 1000;
    if (!absolute) {
        if (v > LLONG_MAX - server.now_ms) goto invalid;
        v += server.now_ms;
    }
    *out = v;
    return true;
invalid:
    reply_errorf(c, "ERR invalid expire time in '%s' command", cmdname);
    return false;
}

/* ---------------------------------------------------------------- GET and SET */

static void cmd_get(client *c) {
    obj *o = db_lookup_read(c->db, c->argv[1], c->argvlen[1]);
    if (!o) reply_null(c);
    else if (o->type != OBJ_STRING) reply_err_wrongtype(c);
    else reply_str_obj(c, o);
}

/* Option flags shared by SET and GETEX (Redis's extended string arguments). */
enum {
    SETOPT_NX = 1 << 0,
    SETOPT_XX = 1 << 1,
    SETOPT_GET = 1 << 2,
    SETOPT_KEEPTTL = 1 << 3,
    SETOPT_PERSIST = 1 << 4,
    SETOPT_EX = 1 << 5,
    SETOPT_PX = 1 << 6,
    SETOPT_EXAT = 1 << 7,
    SETOPT_PXAT = 1 << 8,
};
#define SETOPT_ANY_EXPIRE (SETOPT_EX | SETOPT_PX | SETOPT_EXAT | SETOPT_PXAT)

/* Parses argv[first..] as SET's options (is_set) or GETEX's. Conflicting or
 * unknown options reply a syntax error. A repeated option is allowed; for the
 * expire options the last value wins. *expire_arg is the index of the expire
 * value (0 if none). */
static bool parse_set_options_or_reply(client *c, int first, bool is_set, int *flags,
                                       int *expire_arg) {
    int f = 0;
    *expire_arg = 0;
    for (int j = first; j < c->argc; j++) {
        const char *a = c->argv[j];
        size_t alen = c->argvlen[j];
        bool has_next = j + 1 < c->argc;
        int exp_flag = 0;
        if (alen == 2 && (a[0] | 0x20) == 'e' && (a[1] | 0x20) == 'x') exp_flag = SETOPT_EX;
        else if (alen == 2 && (a[0] | 0x20) == 'p' && (a[1] | 0x20) == 'x') exp_flag = SETOPT_PX;
        else if (arg_is(c, j, "exat")) exp_flag = SETOPT_EXAT;
        else if (arg_is(c, j, "pxat")) exp_flag = SETOPT_PXAT;

        if (exp_flag) {
            if ((f & (SETOPT_KEEPTTL | SETOPT_PERSIST)) || (f & SETOPT_ANY_EXPIRE & ~exp_flag) ||
                !has_next)
                goto syntax;
            f |= exp_flag;
            *expire_arg = ++j;
        } else if (is_set && arg_is(c, j, "nx") && !(f & SETOPT_XX)) {
            f |= SETOPT_NX;
        } else if (is_set && arg_is(c, j, "xx") && !(f & SETOPT_NX)) {
            f |= SETOPT_XX;
        } else if (is_set && arg_is(c, j, "get")) {
            f |= SETOPT_GET;
        } else if (is_set && arg_is(c, j, "keepttl") && !(f & SETOPT_ANY_EXPIRE)) {
            f |= SETOPT_KEEPTTL;
        } else if (!is_set && arg_is(c, j, "persist") && !(f & SETOPT_ANY_EXPIRE)) {
            f |= SETOPT_PERSIST;
        } else {
            goto syntax;
        }
    }
    *flags = f;
    return true;
syntax:
    reply_err_syntax(c);
    return false;
}

/* Converts the parsed expire option into an absolute ms time (or OBJ_NO_EXPIRE). */
static bool set_expire_or_reply(client *c, int flags, int expire_arg, const char *cmdname,
                                int64_t *when) {
    *when = OBJ_NO_EXPIRE;
    if (!expire_arg) return true;
    int unit = (flags & (SETOPT_EX | SETOPT_EXAT)) ? UNIT_SECONDS : UNIT_MS;
    bool absolute = flags & (SETOPT_EXAT | SETOPT_PXAT);
    return expire_arg_or_reply(c, expire_arg, unit, absolute, cmdname, when);
}

static void cmd_set(client *c) {
    const char *key = c->argv[1], *val = c->argv[2];
    size_t klen = c->argvlen[1], vlen = c->argvlen[2];

    /* The common case: one lookup-or-insert, one allocation. */
    if (c->argc == 3) {
        db_set(c->db, obj_new_string(key, klen, val, vlen, OBJ_NO_EXPIRE));
        notify_keyspace_event(NOTIFY_STRING, "set", c->db, key, klen);
        reply_ok(c);
        return;
    }

    int flags, expire_arg;
    int64_t when;
    if (!parse_set_options_or_reply(c, 3, true, &flags, &expire_arg)) return;
    if (!set_expire_or_reply(c, flags, expire_arg, "set", &when)) return;

    obj *old = NULL;
    if (flags & SETOPT_GET) {
        old = db_lookup_read(c->db, key, klen);
        if (old && old->type != OBJ_STRING) {
            reply_err_wrongtype(c);
            return;
        }
        /* The old value is the reply whether or not the set happens. */
        if (old) reply_str_obj(c, old);
        else reply_null(c);
    } else if (flags & (SETOPT_NX | SETOPT_XX | SETOPT_KEEPTTL)) {
        old = db_lookup_write(c->db, key, klen);
    }

    if (((flags & SETOPT_NX) && old) || ((flags & SETOPT_XX) && !old)) {
        if (!(flags & SETOPT_GET)) reply_null(c);
        return;
    }
    if ((flags & SETOPT_KEEPTTL) && old) when = obj_expire(old);
    /* Redis counts one access for the write lookup, two with GET (a read, then the
     * write): the db_lookup_write above was the write's. */
    bool accessed = !(flags & SETOPT_GET) && (flags & (SETOPT_NX | SETOPT_XX | SETOPT_KEEPTTL));
    db_set_flags(c->db, obj_new_string(key, klen, val, vlen, when),
                 accessed ? DB_SET_ACCESSED : DB_SET_NONE);
    notify_keyspace_event(NOTIFY_STRING, "set", c->db, key, klen);
    if (expire_arg) notify_keyspace_event(NOTIFY_GENERIC, "expire", c->db, key, klen);
    if (!(flags & SETOPT_GET)) reply_ok(c);

    /* The AOF gets what Redis 7.0 logs: with an expire option, SET key value PXAT
     * <the absolute time the key got> (NX, XX and GET dropped); else, with GET,
     * the command without its GET words (every one); else the command as it is. */
    if (expire_arg) {
        propagate_set_pxat(c, val, vlen, when);
    } else if ((flags & SETOPT_GET) && propagating()) {
        /* On the stack: a SET has a handful of words (more only if GET repeats). */
        const char *argv_buf[16];
        size_t lens_buf[16];
        bool heap = c->argc > 16;
        const char **argv = heap ? cn_malloc(sizeof(char *) * (size_t)c->argc) : argv_buf;
        size_t *lens = heap ? cn_malloc(sizeof(size_t) * (size_t)c->argc) : lens_buf;
        int n = 0;
        for (int j = 0; j < c->argc; j++) {
            if (j >= 3 && arg_is(c, j, "get")) continue;
            argv[n] = c->argv[j];
            lens[n++] = c->argvlen[j];
        }
        propagate_instead(c, n, argv, lens);
        if (heap) {
            cn_free(argv);
            cn_free(lens);
        }
    }
}

static void cmd_setnx(client *c) {
    if (db_lookup_write(c->db, c->argv[1], c->argvlen[1])) {
        reply_int(c, 0);
        return;
    }
    db_set(c->db, obj_new_string(c->argv[1], c->argvlen[1], c->argv[2], c->argvlen[2],
                                 OBJ_NO_EXPIRE));
    notify_keyspace_event(NOTIFY_STRING, "set", c->db, c->argv[1], c->argvlen[1]);
    reply_int(c, 1);
}

static void setex_generic(client *c, int unit, const char *cmdname) {
    int64_t when;
    if (!expire_arg_or_reply(c, 2, unit, false, cmdname, &when)) return;
    db_set(c->db, obj_new_string(c->argv[1], c->argvlen[1], c->argv[3], c->argvlen[3], when));
    notify_keyspace_event(NOTIFY_STRING, "set", c->db, c->argv[1], c->argvlen[1]);
    notify_keyspace_event(NOTIFY_GENERIC, "expire", c->db, c->argv[1], c->argvlen[1]);
    reply_ok(c);
    propagate_set_pxat(c, c->argv[3], c->argvlen[3], when); /* as Redis 7.0 logs both */
}

static void cmd_setex(client *c) { setex_generic(c, UNIT_SECONDS, "setex"); }
static void cmd_psetex(client *c) { setex_generic(c, UNIT_MS, "psetex"); }

static void cmd_getset(client *c) {
    obj *o = db_lookup_read(c->db, c->argv[1], c->argvlen[1]);
    if (o && o->type != OBJ_STRING) {
        reply_err_wrongtype(c);
        return;
    }
    if (o) reply_str_obj(c, o);
    else reply_null(c);
    db_set(c->db, obj_new_string(c->argv[1], c->argvlen[1], c->argv[2], c->argvlen[2],
                                 OBJ_NO_EXPIRE));
    notify_keyspace_event(NOTIFY_STRING, "set", c->db, c->argv[1], c->argvlen[1]);
    /* Logged as SET key value, as Redis 7.0 does (GETSET is deprecated). */
    const char *argv[] = {"SET", c->argv[1], c->argv[2]};
    const size_t lens[] = {3, c->argvlen[1], c->argvlen[2]};
    propagate_instead(c, 3, argv, lens);
}

static void cmd_getdel(client *c) {
    obj *o = db_lookup_read(c->db, c->argv[1], c->argvlen[1]);
    if (!o) {
        reply_null(c);
        return;
    }
    if (o->type != OBJ_STRING) {
        reply_err_wrongtype(c);
        return;
    }
    reply_str_obj(c, o);
    db_delete(c->db, c->argv[1], c->argvlen[1]);
    notify_keyspace_event(NOTIFY_GENERIC, "del", c->db, c->argv[1], c->argvlen[1]);
    propagate_key_cmd(c, "DEL");
}

static void cmd_getex(client *c) {
    int flags, expire_arg;
    if (!parse_set_options_or_reply(c, 2, false, &flags, &expire_arg)) return;

    obj *o = db_lookup_read(c->db, c->argv[1], c->argvlen[1]);
    if (!o) {
        reply_null(c);
        return;
    }
    if (o->type != OBJ_STRING) {
        reply_err_wrongtype(c);
        return;
    }
    /* As in Redis, the expire value is checked only for an existing string. */
    int64_t when;
    if (!set_expire_or_reply(c, flags, expire_arg, "getex", &when)) return;

    reply_str_obj(c, o);
    if (expire_arg) {
        /* Only EXAT/PXAT can name a time already past: the key goes now. */
        /* Logged as Redis 7.0 does: DEL key, or PEXPIREAT key <absolute ms>. */
        if (when <= server.now_ms) {
            db_delete(c->db, c->argv[1], c->argvlen[1]);
            notify_keyspace_event(NOTIFY_GENERIC, "del", c->db, c->argv[1], c->argvlen[1]);
            propagate_key_cmd(c, "DEL");
        } else {
            (void)db_set_expire(c->db, o, when);
            notify_keyspace_event(NOTIFY_GENERIC, "expire", c->db, c->argv[1], c->argvlen[1]);
            propagate_pexpireat(c, when);
        }
    } else if ((flags & SETOPT_PERSIST) && o->has_expire) {
        (void)db_set_expire(c->db, o, OBJ_NO_EXPIRE);
        notify_keyspace_event(NOTIFY_GENERIC, "persist", c->db, c->argv[1], c->argvlen[1]);
        propagate_key_cmd(c, "PERSIST");
    }
}

/* ---------------------------------------------------------------- multiple keys */

static void cmd_mget(client *c) {
    reply_array(c, c->argc - 1);
    for (int j = 1; j < c->argc; j++) {
        obj *o = db_lookup_read(c->db, c->argv[j], c->argvlen[j]);
        if (!o || o->type != OBJ_STRING) reply_null(c);
        else reply_str_obj(c, o);
    }
}

static void mset_all(client *c) {
    for (int j = 1; j < c->argc; j += 2) {
        db_set(c->db, obj_new_string(c->argv[j], c->argvlen[j], c->argv[j + 1], c->argvlen[j + 1],
                                     OBJ_NO_EXPIRE));
        notify_keyspace_event(NOTIFY_STRING, "set", c->db, c->argv[j], c->argvlen[j]);
    }
}

static void cmd_mset(client *c) {
    if (c->argc % 2 == 0) {
        reply_err_arity(c);
        return;
    }
    mset_all(c);
    reply_ok(c);
}

static void cmd_msetnx(client *c) {
    if (c->argc % 2 == 0) {
        reply_err_arity(c);
        return;
    }
    for (int j = 1; j < c->argc; j += 2) {
        if (db_lookup_write(c->db, c->argv[j], c->argvlen[j])) {
            reply_int(c, 0);
            return;
        }
    }
    mset_all(c);
    reply_int(c, 1);
}

/* ---------------------------------------------------------------- counters */

static void incr_generic(client *c, long long delta) {
    const char *key = c->argv[1];
    size_t klen = c->argvlen[1];
    obj *o = db_lookup_write(c->db, key, klen);
    long long cur = 0;
    if (o) {
        if (o->type != OBJ_STRING) {
            reply_err_wrongtype(c);
            return;
        }
        if (o->encoding == OBJ_ENC_INT) {
            cur = obj_int(o);
        } else {
            char buf[32];
            size_t len;
            const char *s = obj_str(o, buf, &len);
            if (!num_parse_ll(s, len, &cur)) {
                reply_err_not_int(c);
                return;
            }
        }
    }
    if ((delta < 0 && cur < 0 && delta < LLONG_MIN - cur) ||
        (delta > 0 && cur > 0 && delta > LLONG_MAX - cur)) {
        reply_error(c, "ERR increment or decrement would overflow");
        return;
    }
    long long v = cur + delta;
    if (!o) {
        db_set(c->db, obj_new_int(key, klen, v, OBJ_NO_EXPIRE));
    } else if (o->encoding == OBJ_ENC_INT) {
        obj_set_int(o, v);
        db_touch_write(c->db, o);
    } else {
        db_replace(c->db, o, obj_new_int(key, klen, v, obj_expire(o)));
    }
    /* "incrby" for all four commands, as Redis names it. */
    notify_keyspace_event(NOTIFY_STRING, "incrby", c->db, key, klen);
    reply_int(c, v);
}

static void cmd_incr(client *c) { incr_generic(c, 1); }
static void cmd_decr(client *c) { incr_generic(c, -1); }

static void cmd_incrby(client *c) {
    long long d;
    if (arg_ll_or_reply(c, 2, &d)) incr_generic(c, d);
}

static void cmd_decrby(client *c) {
    long long d;
    if (!arg_ll_or_reply(c, 2, &d)) return;
    if (d == LLONG_MIN) {
        reply_error(c, "ERR decrement would overflow");
        return;
    }
    incr_generic(c, -d);
}

static void cmd_incrbyfloat(client *c) {
    const char *key = c->argv[1];
    size_t klen = c->argvlen[1];
    obj *o = db_lookup_write(c->db, key, klen);
    long double cur = 0, incr;
    if (o) {
        if (o->type != OBJ_STRING) {
            reply_err_wrongtype(c);
            return;
        }
        char buf[32];
        size_t len;
        const char *s = obj_str(o, buf, &len);
        if (!num_parse_ld(s, len, &cur)) {
            reply_err_not_float(c);
            return;
        }
    }
    if (!num_parse_ld(c->argv[2], c->argvlen[2], &incr)) {
        reply_err_not_float(c);
        return;
    }
    long double v = cur + incr;
    if (!isfinite(v)) {
        reply_error(c, "ERR increment would produce NaN or Infinity");
        return;
    }
    char out[NUM_LD_MAX_CHARS];
    size_t n = num_fmt_ld(out, sizeof(out), v);
    /* An integral result ("4") stays a string, as in Redis (OBJECT ENCODING embstr). */
    obj *repl = obj_new_string_noint(key, klen, out, n, o ? obj_expire(o) : OBJ_NO_EXPIRE);
    if (o) db_replace(c->db, o, repl);
    else db_set(c->db, repl);
    notify_keyspace_event(NOTIFY_STRING, "incrbyfloat", c->db, key, klen);
    reply_bulk(c, out, n);
    /* Logged as the value it produced (a float sum need not replay the same on
     * another machine): SET key value KEEPTTL, as Redis 7.0 does. */
    const char *argv[] = {"SET", key, out, "KEEPTTL"};
    const size_t lens[] = {3, klen, n, 7};
    propagate_instead(c, 4, argv, lens);
}

/* ---------------------------------------------------------------- lengths and ranges */

static void cmd_strlen(client *c) {
    obj *o = db_lookup_read(c->db, c->argv[1], c->argvlen[1]);
    if (!o) reply_int(c, 0);
    else if (o->type != OBJ_STRING) reply_err_wrongtype(c);
    else reply_int(c, (long long)obj_strlen(o));
}

static void cmd_append(client *c) {
    const char *key = c->argv[1], *add = c->argv[2];
    size_t klen = c->argvlen[1], alen = c->argvlen[2];
    obj *o = db_lookup_write(c->db, key, klen);
    if (!o) {
        db_set(c->db, obj_new_string(key, klen, add, alen, OBJ_NO_EXPIRE));
        notify_keyspace_event(NOTIFY_STRING, "append", c->db, key, klen);
        reply_int(c, (long long)alen);
        return;
    }
    if (o->type != OBJ_STRING) {
        reply_err_wrongtype(c);
        return;
    }
    size_t olen = obj_strlen(o);
    if (!check_string_length_or_reply(c, olen, alen)) return;
    obj *w = string_write_begin(o, key, klen, olen + alen);
    memcpy(obj_raw(w)->buf + olen, add, alen);
    string_write_end(c->db, o, w);
    notify_keyspace_event(NOTIFY_STRING, "append", c->db, key, klen);
    reply_int(c, (long long)(olen + alen));
}

static void cmd_getrange(client *c) {
    long long start, end;
    if (!arg_ll_or_reply(c, 2, &start) || !arg_ll_or_reply(c, 3, &end)) return;
    obj *o = db_lookup_read(c->db, c->argv[1], c->argvlen[1]);
    if (!o) {
        reply_bulk(c, "", 0);
        return;
    }
    if (o->type != OBJ_STRING) {
        reply_err_wrongtype(c);
        return;
    }
    char buf[32];
    size_t len;
    const char *s = obj_str(o, buf, &len);
    long long slen = (long long)len;

    /* Redis 7.0's rules, quirks included: both negative and reversed is empty;
     * otherwise negative indexes count from the end and clamp at 0, so a large
     * negative end still yields the first byte. */
    if (start < 0 && end < 0 && start > end) {
        reply_bulk(c, "", 0);
        return;
    }
    if (start < 0) start += slen;
    if (end < 0) end += slen;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= slen) end = slen - 1;
    if (slen == 0 || start > end) {
        reply_bulk(c, "", 0);
        return;
    }
    reply_bulk(c, s + start, (size_t)(end - start + 1));
}

static void cmd_setrange(client *c) {
    const char *key = c->argv[1], *val = c->argv[3];
    size_t klen = c->argvlen[1], vlen = c->argvlen[3];
    long long offset;
    if (!arg_ll_or_reply(c, 2, &offset)) return;
    if (offset < 0) {
        reply_error(c, "ERR offset is out of range");
        return;
    }
    obj *o = db_lookup_write(c->db, key, klen);
    size_t olen = 0;
    if (o) {
        if (o->type != OBJ_STRING) {
            reply_err_wrongtype(c);
            return;
        }
        olen = obj_strlen(o);
    }
    /* Nothing to write: the length as it is (0 for a missing key, not created). */
    if (vlen == 0) {
        reply_int(c, (long long)olen);
        return;
    }
    if (!check_string_length_or_reply(c, (unsigned long long)offset, vlen)) return;

    size_t need = (size_t)offset + vlen;
    size_t newlen = need > olen ? need : olen;
    obj *w = string_write_begin(o, key, klen, need);
    memcpy(obj_raw(w)->buf + offset, val, vlen);
    string_write_end(c->db, o, w);
    notify_keyspace_event(NOTIFY_STRING, "setrange", c->db, key, klen);
    reply_int(c, (long long)newlen);
}

/* ---------------------------------------------------------------- LCS
 *
 * Longest common subsequence by dynamic programming, O(n*m) time. Redis keeps
 * the whole (n+1)*(m+1) table of 32-bit lengths to walk back through it; here
 * only two rows of lengths are live, and each cell keeps one bit: where the
 * walk back goes when the bytes differ (up when LCS(i-1,j) > LCS(i,j-1), else
 * left, Redis's tie-break, so the same subsequence and ranges come out). That
 * is n*m/8 bytes instead of 4*(n+1)*(m+1). The size limit is still Redis's, so
 * the same inputs are refused with the same error. */

typedef struct lcs_range {
    size_t a_start, a_end, b_start, b_end;
} lcs_range;

static void cmd_lcs(client *c) {
    obj *oa = db_lookup_read(c->db, c->argv[1], c->argvlen[1]);
    obj *ob = db_lookup_read(c->db, c->argv[2], c->argvlen[2]);
    if ((oa && oa->type != OBJ_STRING) || (ob && ob->type != OBJ_STRING)) {
        reply_error(c, "ERR The specified keys must contain string values");
        return;
    }
    bool want_len = false, want_idx = false, with_matchlen = false;
    long long minmatchlen = 0;
    for (int j = 3; j < c->argc; j++) {
        if (arg_is(c, j, "idx")) {
            want_idx = true;
        } else if (arg_is(c, j, "len")) {
            want_len = true;
        } else if (arg_is(c, j, "withmatchlen")) {
            with_matchlen = true;
        } else if (arg_is(c, j, "minmatchlen") && j + 1 < c->argc) {
            if (!arg_ll_or_reply(c, ++j, &minmatchlen)) return;
            if (minmatchlen < 0) minmatchlen = 0;
        } else {
            reply_err_syntax(c);
            return;
        }
    }
    if (want_len && want_idx) {
        reply_error(c, "ERR If you want both the length and indexes, please just use IDX.");
        return;
    }

    char bufa[32], bufb[32];
    size_t n = 0, m = 0;
    const char *a = oa ? obj_str(oa, bufa, &n) : "";
    const char *b = ob ? obj_str(ob, bufb, &m) : "";

    if (n >= UINT32_MAX || m >= UINT32_MAX) {
        reply_error(c, "ERR String too long for LCS");
        return;
    }
    unsigned __int128 cells = (unsigned __int128)(n + 1) * (m + 1);
    if (cells * sizeof(uint32_t) > (unsigned __int128)server.proto_max_bulk_len) {
        reply_error(c, "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        return;
    }

    bool walk = !want_len; /* LEN needs only the final length */
    uint32_t *prev = cn_calloc(2 * (m + 1), sizeof(uint32_t));
    uint32_t *cur = prev + (m + 1);
    uint8_t *up = walk && n && m ? cn_calloc((n * m + 7) / 8, 1) : NULL;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = 0;
        unsigned char ai = (unsigned char)a[i - 1];
        size_t rowbit = (i - 1) * m;
        for (size_t j = 1; j <= m; j++) {
            if (ai == (unsigned char)b[j - 1]) {
                cur[j] = prev[j - 1] + 1;
            } else if (prev[j] > cur[j - 1]) {
                cur[j] = prev[j];
                if (up) up[(rowbit + j - 1) >> 3] |= (uint8_t)(1u << ((rowbit + j - 1) & 7));
            } else {
                cur[j] = cur[j - 1];
            }
        }
        uint32_t *t = prev;
        prev = cur;
        cur = t;
    }
    size_t total = prev[m]; /* after the swap, prev holds row n */
    cn_free(prev < cur ? prev : cur);

    if (want_len) {
        reply_int(c, (long long)total);
        return;
    }

    /* Walk back from (n, m), collecting the subsequence (written from its end)
     * or the runs of consecutive matches, last ones first as Redis lists them. */
    char *res = want_idx ? NULL : cn_malloc(total + 1);
    lcs_range *ranges = NULL;
    size_t nranges = 0, cap = 0, k = total;
    bool in_run = false;
    lcs_range run = {0};
    size_t i = n, j = m;
    while (i > 0 && j > 0) {
        if (a[i - 1] == b[j - 1]) {
            if (res) res[--k] = a[i - 1];
            size_t x = i - 1, y = j - 1;
            if (in_run && run.a_start == x + 1 && run.b_start == y + 1) {
                run.a_start = x;
                run.b_start = y;
            } else {
                if (in_run && want_idx && run.a_end - run.a_start + 1 >= (size_t)minmatchlen) {
                    if (nranges == cap) {
                        cap = cap ? cap * 2 : 16;
                        ranges = cn_realloc(ranges, cap * sizeof(*ranges));
                    }
                    ranges[nranges++] = run;
                }
                run = (lcs_range){x, x, y, y};
                in_run = true;
            }
            i--, j--;
        } else {
            size_t bit = (i - 1) * m + (j - 1);
            if (up[bit >> 3] & (1u << (bit & 7))) i--;
            else j--;
        }
    }
    if (in_run && want_idx && run.a_end - run.a_start + 1 >= (size_t)minmatchlen) {
        if (nranges == cap) {
            cap = cap ? cap * 2 : 16;
            ranges = cn_realloc(ranges, cap * sizeof(*ranges));
        }
        ranges[nranges++] = run;
    }
    cn_free(up);

    if (!want_idx) {
        reply_bulk(c, res, total);
        cn_free(res);
        return;
    }
    reply_map(c, 2);
    reply_bulk(c, "matches", 7);
    reply_array(c, (long)nranges);
    for (size_t r = 0; r < nranges; r++) {
        reply_array(c, with_matchlen ? 3 : 2);
        reply_array(c, 2);
        reply_int(c, (long long)ranges[r].a_start);
        reply_int(c, (long long)ranges[r].a_end);
        reply_array(c, 2);
        reply_int(c, (long long)ranges[r].b_start);
        reply_int(c, (long long)ranges[r].b_end);
        if (with_matchlen) reply_int(c, (long long)(ranges[r].a_end - ranges[r].a_start + 1));
    }
    reply_bulk(c, "len", 3);
    reply_int(c, (long long)total);
    cn_free(ranges);
}

/* ---------------------------------------------------------------- the table */

command cmd_table_string[] = {
    {.name = "get", .proc = cmd_get, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_STRING | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "string", .since = "1.0.0", .summary = "Get the value of a key", .complexity = "O(1)",
     .key_specs = "RO access: index 1 range 0 1 0", .args = "key@0"},
    {.name = "set", .proc = cmd_set, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_STRING | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "string", .since = "1.0.0", .summary = "Set the string value of a key",
     .complexity = "O(1)",
     .history = "2.6.12 Added the `EX`, `PX`, `NX` and `XX` options.\n"
                "6.0.0 Added the `KEEPTTL` option.\n"
                "6.2.0 Added the `GET`, `EXAT` and `PXAT` option.\n"
                "7.0.0 Allowed the `NX` and `GET` options to be used together.",
     .key_specs = "RW access update variable_flags: index 1 range 0 1 0 -- RW and ACCESS due to "
                  "the optional `GET` argument",
     .args = "key@0 value [condition(NX|XX)+2.6.12] [GET+6.2.0] "
             "[expiration(EX seconds:integer+2.6.12 | PX milliseconds:integer+2.6.12 | "
             "EXAT unix-time-seconds:unix-time+6.2.0 | "
             "PXAT unix-time-milliseconds:unix-time+6.2.0 | KEEPTTL+6.0.0)]"},
    {.name = "setnx", .proc = cmd_setnx, .arity = 3, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_STRING | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "string", .since = "1.0.0",
     .summary = "Set the value of a key, only if the key does not exist", .complexity = "O(1)",
     .key_specs = "OW insert: index 1 range 0 1 0", .args = "key@0 value"},
    {.name = "setex", .proc = cmd_setex, .arity = 4, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_STRING | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "string", .since = "2.0.0", .summary = "Set the value and expiration of a key",
     .complexity = "O(1)",
     .key_specs = "OW update: index 1 range 0 1 0", .args = "key@0 seconds:integer value"},
    {.name = "psetex", .proc = cmd_psetex, .arity = 4, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_STRING | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "string", .since = "2.6.0",
     .summary = "Set the value and expiration in milliseconds of a key", .complexity = "O(1)",
     .key_specs = "OW update: index 1 range 0 1 0", .args = "key@0 milliseconds:integer value"},
    {.name = "mget", .proc = cmd_mget, .arity = -2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_STRING | ACL_FAST, .first_key = 1, .last_key = -1, .key_step = 1,
     .group = "string", .since = "1.0.0", .summary = "Get the values of all the given keys",
     .complexity = "O(N) where N is the number of keys to retrieve.",
     .tips = "request_policy:multi_shard", .key_specs = "RO access: index 1 range -1 1 0",
     .args = "key@0..."},
    {.name = "mset", .proc = cmd_mset, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_STRING | ACL_SLOW, .first_key = 1, .last_key = -1, .key_step = 2,
     .group = "string", .since = "1.0.1", .summary = "Set multiple keys to multiple values",
     .complexity = "O(N) where N is the number of keys to set.",
     .tips = "request_policy:multi_shard response_policy:all_succeeded",
     .key_specs = "OW update: index 1 range -1 2 0", .args = "key_value(key@0 value)..."},
    {.name = "msetnx", .proc = cmd_msetnx, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_STRING | ACL_SLOW, .first_key = 1, .last_key = -1, .key_step = 2,
     .group = "string", .since = "1.0.1",
     .summary = "Set multiple keys to multiple values, only if none of the keys exist",
     .complexity = "O(N) where N is the number of keys to set.",
     .tips = "request_policy:multi_shard response_policy:agg_min",
     .key_specs = "OW insert: index 1 range -1 2 0", .args = "key_value(key@0 value)..."},
    {.name = "incr", .proc = cmd_incr, .arity = 2, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_STRING | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "string", .since = "1.0.0", .summary = "Increment the integer value of a key by one",
     .complexity = "O(1)",
     .key_specs = "RW access update: index 1 range 0 1 0", .args = "key@0"},
    {.name = "decr", .proc = cmd_decr, .arity = 2, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_STRING | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "string", .since = "1.0.0", .summary = "Decrement the integer value of a key by one",
     .complexity = "O(1)",
     .key_specs = "RW access update: index 1 range 0 1 0", .args = "key@0"},
    {.name = "incrby", .proc = cmd_incrby, .arity = 3, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_STRING | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "string", .since = "1.0.0",
     .summary = "Increment the integer value of a key by the given amount", .complexity = "O(1)",
     .key_specs = "RW access update: index 1 range 0 1 0", .args = "key@0 increment:integer"},
    {.name = "decrby", .proc = cmd_decrby, .arity = 3, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_STRING | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "string", .since = "1.0.0",
     .summary = "Decrement the integer value of a key by the given number", .complexity = "O(1)",
     .key_specs = "RW access update: index 1 range 0 1 0", .args = "key@0 decrement:integer"},
    {.name = "incrbyfloat", .proc = cmd_incrbyfloat, .arity = 3,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, .acl = ACL_WRITE | ACL_STRING | ACL_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "string", .since = "2.6.0",
     .summary = "Increment the float value of a key by the given amount", .complexity = "O(1)",
     .key_specs = "RW access update: index 1 range 0 1 0", .args = "key@0 increment:double"},
    {.name = "append", .proc = cmd_append, .arity = 3, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_STRING | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "string", .since = "2.0.0", .summary = "Append a value to a key",
     .complexity = "O(1). The amortized time complexity is O(1) assuming the appended value is "
                   "small and the already present value is of any size, since the dynamic string "
                   "library used by Redis will double the free space available on every "
                   "reallocation.",
     .key_specs = "RW insert: index 1 range 0 1 0", .args = "key@0 value"},
    {.name = "strlen", .proc = cmd_strlen, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_STRING | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "string", .since = "2.2.0", .summary = "Get the length of the value stored in a key",
     .complexity = "O(1)",
     .key_specs = "RO: index 1 range 0 1 0", .args = "key@0"},
    {.name = "getrange", .proc = cmd_getrange, .arity = 4, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_STRING | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "string", .since = "2.4.0",
     .summary = "Get a substring of the string stored at a key",
     .complexity = "O(N) where N is the length of the returned string. The complexity is "
                   "ultimately determined by the returned length, but because creating a "
                   "substring from an existing string is very cheap, it can be considered O(1) "
                   "for small strings.",
     .key_specs = "RO access: index 1 range 0 1 0", .args = "key@0 start:integer end:integer"},
    {.name = "setrange", .proc = cmd_setrange, .arity = 4, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_STRING | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "string", .since = "2.2.0",
     .summary = "Overwrite part of a string at key starting at the specified offset",
     .complexity = "O(1), not counting the time taken to copy the new string in place. Usually, "
                   "this string is very small so the amortized complexity is O(1). Otherwise, "
                   "complexity is O(M) with M being the length of the value argument.",
     .key_specs = "RW update: index 1 range 0 1 0", .args = "key@0 offset:integer value"},
    {.name = "substr", .proc = cmd_getrange, .arity = 4, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_STRING | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "string", .since = "1.0.0",
     .summary = "Get a substring of the string stored at a key",
     .complexity = "O(N) where N is the length of the returned string. The complexity is "
                   "ultimately determined by the returned length, but because creating a "
                   "substring from an existing string is very cheap, it can be considered O(1) "
                   "for small strings.",
     .doc_flags = DOC_DEPRECATED, .deprecated_since = "2.0.0", .replaced_by = "`GETRANGE`",
     .key_specs = "RO access: index 1 range 0 1 0", .args = "key@0 start:integer end:integer"},
    {.name = "getdel", .proc = cmd_getdel, .arity = 2, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_STRING | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "string", .since = "6.2.0", .summary = "Get the value of a key and delete the key",
     .complexity = "O(1)",
     .key_specs = "RW access delete: index 1 range 0 1 0", .args = "key@0"},
    {.name = "getex", .proc = cmd_getex, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_STRING | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "string", .since = "6.2.0",
     .summary = "Get the value of a key and optionally set its expiration", .complexity = "O(1)",
     .key_specs = "RW access update: index 1 range 0 1 0 -- RW and UPDATE because it changes the "
                  "TTL",
     .args = "key@0 [expiration(EX seconds:integer | PX milliseconds:integer | "
             "EXAT unix-time-seconds:unix-time | PXAT unix-time-milliseconds:unix-time | PERSIST)]"},
    {.name = "getset", .proc = cmd_getset, .arity = 3, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_STRING | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "string", .since = "1.0.0",
     .summary = "Set the string value of a key and return its old value", .complexity = "O(1)",
     .doc_flags = DOC_DEPRECATED, .deprecated_since = "6.2.0",
     .replaced_by = "`SET` with the `!GET` argument",
     .key_specs = "RW access update: index 1 range 0 1 0", .args = "key@0 value"},
    {.name = "lcs", .proc = cmd_lcs, .arity = -3, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_STRING | ACL_SLOW, .first_key = 1, .last_key = 2, .key_step = 1,
     .group = "string", .since = "7.0.0", .summary = "Find longest common substring",
     .complexity = "O(N*M) where N and M are the lengths of s1 and s2, respectively",
     .key_specs = "RO access: index 1 range 1 1 0",
     .args = "key1@0 key2@0 [LEN] [IDX] [MINMATCHLEN len:integer] [WITHMATCHLEN]"},
    {0}};
