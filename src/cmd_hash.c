/* src/cmd_hash.c: the hash type: its two encodings, its value operations and
 * its commands.
 *
 * HSET HSETNX HMSET HGET HMGET HGETALL HKEYS HVALS HDEL HEXISTS HLEN HSTRLEN
 * HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN, and hash_value_ops (free, copy, size),
 * through which object.c frees, copies (COPY, RENAME, MOVE) and sizes hashes;
 * hash_get_field() (elements.h) for SORT's BY/GET patterns.
 *
 * Encodings, as OBJECT ENCODING names them:
 *   listpack   field, value, field, value ... in one listpack (utils/listpack.h),
 *              in insertion order, while the hash has at most
 *              hash-max-listpack-entries fields and no field or value is longer
 *              than hash-max-listpack-value bytes. Canonical integers are stored
 *              as integers by the listpack and read back as the same text.
 *   hashtable  an ht (utils/ht.h) of entries that are ONE allocation each,
 *              holding a field and its value (see "hashtable entries").
 * A write that would break a limit converts the hash first (a long field or
 * value) or right after (one field too many); a hash converts once and never
 * back, as in Redis. There is no empty hash: the write that removes the last
 * field deletes the key.
 *
 * Behaviour, reply shapes and error texts follow Redis 7.0 (checked against
 * redis-server 7.0.15): RESP3 maps for HGETALL, [field, value] pairs for
 * HRANDFIELD WITHVALUES in RESP3, HSCAN of a listpack returning everything in
 * one call with cursor 0, HINCRBYFLOAT formatting as INCRBYFLOAT does.
 *
 * Every keyspace change goes through db.h: a new key is built complete and
 * added with db_set(); an existing hash is changed in place (a listpack that
 * moved is stored back with obj_set_ptr(): the object itself does not move) and
 * reported with db_touch_write(), or removed with db_delete() once empty.
 * Each change is then reported (notify.h) with Redis 7.0.15's event: "hset"
 * (HSET, HMSET, HSETNX; once per command, even if no value changed), "hdel"
 * then "del" if the hash emptied, "hincrby", "hincrbyfloat".
 */
#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "../resp/encode.h"
#include "../utils/alloc.h"
#include "../utils/glob.h"
#include "../utils/ht.h"
#include "../utils/listpack.h"
#include "../utils/num.h"
#include "elements.h"
#include "notify.h"
#include "../utils/rand.h"
#include "persist.h"
#include "server.h"

/* Redis's LISTPACK_MAX_SAFETY_SIZE: a listpack that would grow past this
 * converts whatever the limits say (only reachable with huge limits). */
#define HASH_LP_SAFE_BYTES (1u << 30)

/* ---------------------------------------------------------------- hashtable entries
 *
 * One allocation per field: a header, the field bytes, then the value bytes
 * (no NUL, no padding):
 *   short form  [flen:u8][vlen:u8] field value       when flen < 255, vlen < 256
 *   long form   [0xff][flen:u64][vlen:u64] field value   otherwise (unaligned)
 * So a 10-byte field with a 10-byte value is 22 bytes, one 32-byte jemalloc
 * block; with the table's ~11-23 bytes per entry, about 45-55 bytes a field.
 * The field bytes never move while the entry is in the table (the table reads
 * its key from them); a new value is written in place when the entry keeps its
 * header form and jemalloc size class, else into a new entry stored back
 * through ht_find_ref/ht_find_or_position. */

typedef unsigned char hentry;

#define HENTRY_LONG 0xff
#define HENTRY_SHORT_HDR 2
#define HENTRY_LONG_HDR 17

static inline size_t hentry_hdr_for(size_t flen, size_t vlen) {
    return flen < HENTRY_LONG && vlen <= 0xff ? HENTRY_SHORT_HDR : HENTRY_LONG_HDR;
}

static inline void hentry_read(const hentry *e, size_t *flen, size_t *vlen, size_t *hdr) {
    if (e[0] != HENTRY_LONG) {
        *flen = e[0];
        *vlen = e[1];
        *hdr = HENTRY_SHORT_HDR;
    } else {
        uint64_t f, v;
        memcpy(&f, e + 1, 8);
        memcpy(&v, e + 9, 8);
        *flen = (size_t)f;
        *vlen = (size_t)v;
        *hdr = HENTRY_LONG_HDR;
    }
}

static inline void hentry_write_hdr(hentry *e, size_t hdr, size_t flen, size_t vlen) {
    if (hdr == HENTRY_SHORT_HDR) {
        e[0] = (unsigned char)flen;
        e[1] = (unsigned char)vlen;
    } else {
        uint64_t f = flen, v = vlen;
        e[0] = HENTRY_LONG;
        memcpy(e + 1, &f, 8);
        memcpy(e + 9, &v, 8);
    }
}

static inline size_t hentry_size(const hentry *e) {
    size_t flen, vlen, hdr;
    hentry_read(e, &flen, &vlen, &hdr);
    return hdr + flen + vlen;
}

static inline const char *hentry_field(const hentry *e, size_t *len) {
    size_t vlen, hdr;
    hentry_read(e, len, &vlen, &hdr);
    return (const char *)e + hdr;
}

static inline const char *hentry_value(const hentry *e, size_t *len) {
    size_t flen, hdr;
    hentry_read(e, &flen, len, &hdr);
    return (const char *)e + hdr + flen;
}

static hentry *hentry_new(const char *f, size_t flen, const char *v, size_t vlen) {
    size_t hdr = hentry_hdr_for(flen, vlen);
    hentry *e = cn_malloc(hdr + flen + vlen);
    hentry_write_hdr(e, hdr, flen, vlen);
    memcpy(e + hdr, f, flen);
    memcpy(e + hdr + flen, v, vlen);
    return e;
}

/* e with its value replaced by v: e itself when the new value fits its header
 * form and size class, else a new entry (e is freed). The caller stores the
 * result into the table's slot. */
static hentry *hentry_set_value(hentry *e, const char *v, size_t vlen) {
    size_t flen, old_vlen, hdr;
    hentry_read(e, &flen, &old_vlen, &hdr);
    size_t need = hdr + flen + vlen;
    if (hentry_hdr_for(flen, vlen) == hdr && cn_good_size(need) == cn_alloc_size(e)) {
        hentry_write_hdr(e, hdr, flen, vlen);
        memcpy(e + hdr + flen, v, vlen);
        return e;
    }
    hentry *n = hentry_new((const char *)e + hdr, flen, v, vlen);
    cn_free(e);
    return n;
}

static const void *hentry_key(const void *entry, size_t *len) { return hentry_field(entry, len); }
static void hentry_destroy(void *entry) { cn_free(entry); }

static const ht_type hash_ht_type = {.entry_key = hentry_key, .entry_destroy = hentry_destroy};
/* A set of borrowed entries of one hash (HRANDFIELD's picks): same keys, frees nothing. */
static const ht_type hash_pick_type = {.entry_key = hentry_key};

/* ---------------------------------------------------------------- value operations */

static inline uint32_t hash_lp_entries(lp *l) { return lp_count(l) / 2; }

static size_t hash_len(const obj *o) {
    if (o->encoding == OBJ_ENC_LISTPACK) return hash_lp_entries(obj_ptr(o));
    return ht_size(obj_ptr(o));
}

/* A new hash object for argv[1] with an empty listpack; not in the keyspace yet. */
static obj *hash_new_obj(client *c) {
    return obj_new_value(c->argv[1], c->argvlen[1], OBJ_HASH, OBJ_ENC_LISTPACK, lp_new(),
                         OBJ_NO_EXPIRE);
}

/* The listpack entry of field f, or NULL. */
static inline unsigned char *hash_lp_find(lp *l, const char *f, size_t flen) {
    unsigned char *p = lp_first(l);
    return p ? lp_find(l, p, f, flen, 1) : NULL;
}

/* Converts o from listpack to hashtable (in place: o keeps its address). */
static void hash_convert(obj *o) {
    assert(o->encoding == OBJ_ENC_LISTPACK);
    lp *l = obj_ptr(o);
    ht *t = ht_create(&hash_ht_type);
    ht_expand(t, hash_lp_entries(l));
    for (unsigned char *p = lp_first(l); p;) {
        unsigned char *vp = lp_next(l, p);
        char fbuf[LP_INTBUF], vbuf[LP_INTBUF];
        size_t flen, vlen;
        const char *f = lp_get_str(p, fbuf, &flen);
        const char *v = lp_get_str(vp, vbuf, &vlen);
        bool added = ht_add(t, hentry_new(f, flen, v, vlen));
        assert(added); /* a listpack hash never holds a field twice */
        (void)added;
        p = lp_next(l, vp);
    }
    lp_free(l);
    o->encoding = OBJ_ENC_HASHTABLE;
    obj_set_ptr(o, t);
}

/* Reads the value of field f into *v (borrowed until the next write to o):
 * bytes, or for a listpack integer v->str NULL and v->ll. False if absent. */
static bool hash_get(obj *o, const char *f, size_t flen, lp_value *v) {
    if (o->encoding == OBJ_ENC_LISTPACK) {
        lp *l = obj_ptr(o);
        unsigned char *p = hash_lp_find(l, f, flen);
        if (!p) return false;
        lp_get(lp_next(l, p), v);
        return true;
    }
    const hentry *e = ht_find(obj_ptr(o), f, flen);
    if (!e) return false;
    v->str = hentry_value(e, &v->len);
    return true;
}

/* Sets field f of o to v, converting o to a hashtable before the write when the
 * pair is too long for a listpack and after it when the hash has more fields
 * than the limit. Returns true if the field is new. The caller reports the
 * write. */
static bool hash_set(obj *o, const char *f, size_t flen, const char *v, size_t vlen) {
    if (o->encoding == OBJ_ENC_LISTPACK) {
        lp *l = obj_ptr(o);
        unsigned long long max = (unsigned long long)server.hash_max_listpack_value;
        if (flen > max || vlen > max ||
            lp_bytes(l) + (unsigned long long)flen + vlen > HASH_LP_SAFE_BYTES) {
            hash_convert(o);
        } else {
            unsigned char *p = hash_lp_find(l, f, flen);
            bool added = !p;
            if (p) {
                p = lp_next(l, p);
                l = lp_replace(l, &p, v, vlen);
            } else {
                l = lp_append(l, f, flen);
                l = lp_append(l, v, vlen);
            }
            obj_set_ptr(o, l);
            /* After any set, as Redis: an update converts a hash that a lowered
             * limit left too long. */
            if ((long long)hash_lp_entries(l) > server.hash_max_listpack_entries) hash_convert(o);
            return added;
        }
    }
    ht *t = obj_ptr(o);
    ht_position pos;
    void **ref = ht_find_or_position(t, f, flen, &pos);
    if (ref) {
        *ref = hentry_set_value(*ref, v, vlen);
        return false;
    }
    ht_insert_at(t, &pos, hentry_new(f, flen, v, vlen));
    return true;
}

/* Removes field f from o; false if absent. o may be left empty: the caller
 * deletes the key then. */
static bool hash_delete(obj *o, const char *f, size_t flen) {
    if (o->encoding == OBJ_ENC_LISTPACK) {
        lp *l = obj_ptr(o);
        unsigned char *p = hash_lp_find(l, f, flen);
        if (!p) return false;
        l = lp_delete(l, &p); /* the field; p is now its value */
        l = lp_delete(l, &p);
        obj_set_ptr(o, l);
        return true;
    }
    return ht_delete(obj_ptr(o), f, flen);
}

static void hash_value_free(int encoding, void *ptr) {
    if (encoding == OBJ_ENC_LISTPACK) lp_free(ptr);
    else ht_destroy(ptr);
}

static void *hash_value_dup(int encoding, const void *ptr) {
    if (encoding == OBJ_ENC_LISTPACK) return lp_dup(ptr);
    ht *src = (ht *)ptr; /* iterating pauses rehashing: state, not content */
    ht *t = ht_create(&hash_ht_type);
    ht_expand(t, ht_size(src));
    ht_iter it;
    ht_iter_init(&it, src);
    for (const hentry *e; (e = ht_iter_next(&it)) != NULL;) {
        size_t n = hentry_size(e);
        hentry *copy = cn_malloc(n);
        memcpy(copy, e, n);
        ht_add(t, copy);
    }
    ht_iter_deinit(&it);
    return t;
}

/* With samples 0, exact and O(N): every entry's allocation is counted. */
static size_t hash_value_mem_usage(int encoding, const void *ptr, size_t samples) {
    if (encoding == OBJ_ENC_LISTPACK) return lp_bytes(ptr);
    ht *t = (ht *)ptr;
    return ht_mem_usage(t) + ht_entries_mem_usage(t, samples);
}

static size_t hash_value_free_effort(int encoding, const void *ptr) {
    return encoding == OBJ_ENC_LISTPACK ? 1 : ht_size(ptr);
}

const obj_value_ops hash_value_ops = {
    .free = hash_value_free,
    .dup = hash_value_dup,
    .mem_usage = hash_value_mem_usage,
    .free_effort = hash_value_free_effort,
};

/* ---------------------------------------------------------------- for other modules (elements.h) */

bool hash_get_field(obj *o, const char *f, size_t flen, char *buf, const char **s,
                    size_t *len) {
    lp_value v;
    if (!hash_get(o, f, flen, &v)) return false;
    if (v.str) {
        *s = v.str;
        *len = v.len;
    } else {
        *len = num_fmt_ll(buf, v.ll);
        *s = buf;
    }
    return true;
}

/* ---------------------------------------------------------------- command helpers */

/* argv[1] looked up for reading. Returns false after replying WRONGTYPE;
 * otherwise *o is the hash, or NULL if the key is missing (nothing replied). */
static bool hash_read_or_reply(client *c, obj **o) {
    *o = db_lookup_read(c->db, c->argv[1], c->argvlen[1]);
    if (*o && (*o)->type != OBJ_HASH) {
        reply_err_wrongtype(c);
        return false;
    }
    return true;
}

/* The same for writing (lazy expiry, no hit/miss statistics). */
static bool hash_write_or_reply(client *c, obj **o) {
    *o = db_lookup_write(c->db, c->argv[1], c->argvlen[1]);
    if (*o && (*o)->type != OBJ_HASH) {
        reply_err_wrongtype(c);
        return false;
    }
    return true;
}

/* After changing o in place, or building it (created): puts it in the keyspace
 * and reports the command's event. changes is what Redis adds to the dirty
 * counter for the command (one per field set or deleted; INFO's
 * rdb_changes_since_last_save), of which the choke point counts one. */
static void hash_written(client *c, obj *o, bool created, long long changes, const char *event) {
    if (created) db_set(c->db, o);
    else db_touch_write(c->db, o);
    notify_keyspace_event(NOTIFY_HASH, event, c->db, c->argv[1], c->argvlen[1]);
    if (changes > 1) server.dirty += changes - 1;
}

static inline void reply_lp_value(client *c, const lp_value *v) {
    if (v->str) reply_bulk(c, v->str, v->len);
    else reply_bulk_ll(c, v->ll);
}

static inline void reply_lp_entry(client *c, const unsigned char *p) {
    lp_value v;
    lp_get(p, &v);
    reply_lp_value(c, &v);
}

static inline void reply_hentry_field(client *c, const hentry *e) {
    size_t len;
    const char *s = hentry_field(e, &len);
    reply_bulk(c, s, len);
}

static inline void reply_hentry_value(client *c, const hentry *e) {
    size_t len;
    const char *s = hentry_value(e, &len);
    reply_bulk(c, s, len);
}


/* ---------------------------------------------------------------- HSET HSETNX HMSET */

/* Sets the pairs of argv[2..]; returns how many fields were new, or -1 after
 * replying an error. */
static long long hset_generic(client *c) {
    if (c->argc % 2 == 1) {
        reply_err_arity(c);
        return -1;
    }
    obj *o;
    if (!hash_write_or_reply(c, &o)) return -1;
    bool created = !o;
    if (created) o = hash_new_obj(c);
    long long added = 0;
    for (int j = 2; j < c->argc; j += 2)
        added += hash_set(o, c->argv[j], c->argvlen[j], c->argv[j + 1], c->argvlen[j + 1]);
    hash_written(c, o, created, (c->argc - 2) / 2, "hset"); /* even if nothing changed */
    return added;
}

static void cmd_hset(client *c) {
    long long added = hset_generic(c);
    if (added >= 0) reply_int(c, added);
}

static void cmd_hmset(client *c) {
    if (hset_generic(c) >= 0) reply_ok(c);
}

static void cmd_hsetnx(client *c) {
    obj *o;
    if (!hash_write_or_reply(c, &o)) return;
    lp_value v;
    if (o && hash_get(o, c->argv[2], c->argvlen[2], &v)) {
        reply_int(c, 0);
        return;
    }
    bool created = !o;
    if (created) o = hash_new_obj(c);
    hash_set(o, c->argv[2], c->argvlen[2], c->argv[3], c->argvlen[3]);
    hash_written(c, o, created, 1, "hset");
    reply_int(c, 1);
}

/* ---------------------------------------------------------------- reads of fields */

static void cmd_hget(client *c) {
    obj *o;
    if (!hash_read_or_reply(c, &o)) return;
    lp_value v;
    if (o && hash_get(o, c->argv[2], c->argvlen[2], &v)) reply_lp_value(c, &v);
    else reply_null(c);
}

static void cmd_hmget(client *c) {
    obj *o;
    if (!hash_read_or_reply(c, &o)) return;
    reply_array(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        lp_value v;
        if (o && hash_get(o, c->argv[j], c->argvlen[j], &v)) reply_lp_value(c, &v);
        else reply_null(c);
    }
}

static void cmd_hexists(client *c) {
    obj *o;
    if (!hash_read_or_reply(c, &o)) return;
    lp_value v;
    reply_int(c, o && hash_get(o, c->argv[2], c->argvlen[2], &v));
}

static void cmd_hstrlen(client *c) {
    obj *o;
    if (!hash_read_or_reply(c, &o)) return;
    lp_value v;
    if (!o || !hash_get(o, c->argv[2], c->argvlen[2], &v)) {
        reply_int(c, 0);
        return;
    }
    if (!v.str) {
        char buf[NUM_LL_MAX_CHARS];
        v.len = num_fmt_ll(buf, v.ll);
    }
    reply_int(c, (long long)v.len);
}

static void cmd_hlen(client *c) {
    obj *o;
    if (!hash_read_or_reply(c, &o)) return;
    reply_int(c, o ? (long long)hash_len(o) : 0);
}

/* ---------------------------------------------------------------- whole hash */

enum { HASH_FIELDS = 1, HASH_VALUES = 2 };

/* HGETALL (a map), HKEYS, HVALS (arrays), in the hash's order. */
static void getall_generic(client *c, int what) {
    obj *o;
    if (!hash_read_or_reply(c, &o)) return;
    long n = o ? (long)hash_len(o) : 0;
    if (what == (HASH_FIELDS | HASH_VALUES)) reply_map(c, n);
    else reply_array(c, n);
    if (!o) return;
    if (o->encoding == OBJ_ENC_LISTPACK) {
        lp *l = obj_ptr(o);
        for (unsigned char *p = lp_first(l); p; p = lp_next(l, p)) {
            if (what & HASH_FIELDS) reply_lp_entry(c, p);
            p = lp_next(l, p);
            if (what & HASH_VALUES) reply_lp_entry(c, p);
        }
        return;
    }
    ht_iter it;
    ht_iter_init(&it, obj_ptr(o));
    for (const hentry *e; (e = ht_iter_next(&it)) != NULL;) {
        if (what & HASH_FIELDS) reply_hentry_field(c, e);
        if (what & HASH_VALUES) reply_hentry_value(c, e);
    }
    ht_iter_deinit(&it);
}

static void cmd_hgetall(client *c) { getall_generic(c, HASH_FIELDS | HASH_VALUES); }
static void cmd_hkeys(client *c) { getall_generic(c, HASH_FIELDS); }
static void cmd_hvals(client *c) { getall_generic(c, HASH_VALUES); }

/* ---------------------------------------------------------------- HDEL */

static void cmd_hdel(client *c) {
    obj *o;
    if (!hash_write_or_reply(c, &o)) return;
    if (!o) {
        reply_int(c, 0);
        return;
    }
    long long deleted = 0;
    bool removed = false;
    for (int j = 2; j < c->argc; j++) {
        if (!hash_delete(o, c->argv[j], c->argvlen[j])) continue;
        deleted++;
        if (hash_len(o) == 0) {
            db_delete(c->db, c->argv[1], c->argvlen[1]);
            removed = true;
            break;
        }
    }
    if (deleted && !removed) db_touch_write(c->db, o);
    if (deleted) notify_keyspace_event(NOTIFY_HASH, "hdel", c->db, c->argv[1], c->argvlen[1]);
    if (removed) notify_keyspace_event(NOTIFY_GENERIC, "del", c->db, c->argv[1], c->argvlen[1]);
    if (deleted > 1) server.dirty += deleted - 1; /* as Redis counts it; see hash_written */
    reply_int(c, deleted);
}

/* ---------------------------------------------------------------- counters */

static void cmd_hincrby(client *c) {
    long long incr;
    if (!arg_ll_or_reply(c, 3, &incr)) return;
    obj *o;
    if (!hash_write_or_reply(c, &o)) return;
    const char *f = c->argv[2];
    size_t flen = c->argvlen[2];
    long long cur = 0;
    lp_value v;
    if (o && hash_get(o, f, flen, &v)) {
        if (!v.str) {
            cur = v.ll;
        } else if (!num_parse_ll(v.str, v.len, &cur)) {
            reply_error(c, "ERR hash value is not an integer");
            return;
        }
    }
    if ((incr < 0 && cur < 0 && incr < LLONG_MIN - cur) ||
        (incr > 0 && cur > 0 && incr > LLONG_MAX - cur)) {
        reply_error(c, "ERR increment or decrement would overflow");
        return;
    }
    long long sum = cur + incr;
    char buf[NUM_LL_MAX_CHARS];
    size_t len = num_fmt_ll(buf, sum);
    bool created = !o;
    if (created) o = hash_new_obj(c);
    hash_set(o, f, flen, buf, len);
    hash_written(c, o, created, 1, "hincrby");
    reply_int(c, sum);
}

static void cmd_hincrbyfloat(client *c) {
    long double incr, cur = 0;
    if (!num_parse_ld(c->argv[3], c->argvlen[3], &incr)) {
        reply_err_not_float(c);
        return;
    }
    if (isnan(incr) || isinf(incr)) {
        reply_error(c, "ERR value is NaN or Infinity");
        return;
    }
    obj *o;
    if (!hash_write_or_reply(c, &o)) return;
    const char *f = c->argv[2];
    size_t flen = c->argvlen[2];
    lp_value v;
    if (o && hash_get(o, f, flen, &v)) {
        if (!v.str) {
            cur = (long double)v.ll;
        } else if (!num_parse_ld(v.str, v.len, &cur)) {
            reply_error(c, "ERR hash value is not a float");
            return;
        }
    }
    cur += incr;
    if (isnan(cur) || isinf(cur)) {
        reply_error(c, "ERR increment would produce NaN or Infinity");
        return;
    }
    char buf[NUM_LD_MAX_CHARS];
    size_t len = num_fmt_ld(buf, sizeof(buf), cur);
    bool created = !o;
    if (created) o = hash_new_obj(c);
    hash_set(o, f, flen, buf, len);
    hash_written(c, o, created, 1, "hincrbyfloat");
    reply_bulk(c, buf, len);
    /* Logged as the value it produced, HSET key field value, as Redis 7.0 does (a
     * float sum need not replay the same elsewhere). */
    const char *argv[] = {"HSET", c->argv[1], f, buf};
    const size_t lens[] = {4, c->argvlen[1], flen, len};
    propagate_instead(c, 4, argv, lens);
}

/* ---------------------------------------------------------------- HRANDFIELD */

/* One field (and value) of a listpack hash at the field entry p, as HRANDFIELD
 * replies it: RESP3 pairs are arrays of two. */
static void randfield_reply_lp(client *c, lp *l, unsigned char *p, bool withvalues) {
    if (withvalues && c->resp == 3) reply_array(c, 2);
    reply_lp_entry(c, p);
    if (withvalues) reply_lp_entry(c, lp_next(l, p));
}

static void randfield_reply_ht(client *c, const hentry *e, bool withvalues) {
    if (withvalues && c->resp == 3) reply_array(c, 2);
    reply_hentry_field(c, e);
    if (withvalues) reply_hentry_value(c, e);
}

/* count picks with repetition (a negative COUNT, or 1), in random order. */
static void randfield_with_repeats(client *c, obj *o, unsigned long long count,
                                   bool withvalues) {
    if (o->encoding == OBJ_ENC_HASHTABLE) {
        ht *t = obj_ptr(o);
        while (count--) {
            randfield_reply_ht(c, ht_random(t), withvalues);
            if (c->flags & CLIENT_CLOSE_ASAP) break; /* output limit: stop making replies */
        }
        return;
    }
    /* Index the fields once so that each pick is O(1). */
    lp *l = obj_ptr(o);
    size_t n = hash_lp_entries(l), i = 0;
    unsigned char *inline_fields[64];
    unsigned char **fields = n <= 64 ? inline_fields : cn_malloc(n * sizeof(*fields));
    for (unsigned char *p = lp_first(l); p; p = lp_next(l, lp_next(l, p))) fields[i++] = p;
    while (count--) {
        randfield_reply_lp(c, l, fields[rand_below(n)], withvalues);
        if (c->flags & CLIENT_CLOSE_ASAP) break;
    }
    if (fields != inline_fields) cn_free(fields);
}

/* count distinct fields, 0 < count < size. */
static void randfield_distinct(client *c, obj *o, size_t count, bool withvalues) {
    size_t size = hash_len(o), need = count;
    if (o->encoding == OBJ_ENC_LISTPACK) {
        /* Selection sampling (Knuth's algorithm S): each field in turn is taken
         * with probability need/left, which takes exactly count of them. */
        lp *l = obj_ptr(o);
        size_t left = size;
        for (unsigned char *p = lp_first(l); p && need; p = lp_next(l, lp_next(l, p)), left--) {
            if (rand_below(left) >= need) continue;
            randfield_reply_lp(c, l, p, withvalues);
            need--;
        }
        return;
    }
    ht *t = obj_ptr(o);
    if (count * 3 > size) {
        /* Many of them: the same sampling over an iteration. */
        size_t left = size;
        ht_iter it;
        ht_iter_init(&it, t);
        for (const hentry *e; need && (e = ht_iter_next(&it)) != NULL; left--) {
            if (rand_below(left) >= need) continue;
            randfield_reply_ht(c, e, withvalues);
            need--;
        }
        ht_iter_deinit(&it);
        return;
    }
    /* Few of them: random picks, skipping repeats. */
    ht *seen = ht_create(&hash_pick_type);
    while (ht_size(seen) < count) {
        hentry *e = ht_random(t);
        if (ht_add(seen, e)) randfield_reply_ht(c, e, withvalues);
    }
    ht_destroy(seen);
}

/* Protocol bytes of one listpack entry as a bulk string. */
static size_t lp_entry_bulk_size(const unsigned char *p) {
    char buf[LP_INTBUF];
    size_t len;
    lp_get_str(p, buf, &len);
    return resp_bulk_size(len);
}

/* Protocol bytes of one pick, averaged over a few random fields. */
static double randfield_pick_bytes(client *c, obj *o, bool withvalues) {
    size_t bytes = 0;
    for (int i = 0; i < RAND_SIZE_SAMPLES; i++) {
        if (withvalues && c->resp == 3) bytes += 4; /* "*2\r\n" */
        size_t len;
        if (o->encoding == OBJ_ENC_HASHTABLE) {
            const hentry *e = ht_random(obj_ptr(o));
            hentry_field(e, &len);
            bytes += resp_bulk_size(len);
            if (withvalues) hentry_value(e, &len), bytes += resp_bulk_size(len);
        } else {
            lp *l = obj_ptr(o);
            unsigned char *p = lp_seek(l, 2 * (long)rand_below(hash_lp_entries(l)));
            bytes += lp_entry_bulk_size(p);
            if (withvalues) bytes += lp_entry_bulk_size(lp_next(l, p));
        }
    }
    return (double)bytes / RAND_SIZE_SAMPLES;
}

static void cmd_hrandfield(client *c) {
    obj *o;
    if (c->argc == 2) {
        if (!hash_read_or_reply(c, &o)) return;
        if (!o) {
            reply_null(c);
        } else if (o->encoding == OBJ_ENC_LISTPACK) {
            lp *l = obj_ptr(o);
            reply_lp_entry(c, lp_seek(l, 2 * (long)rand_below(hash_lp_entries(l))));
        } else {
            reply_hentry_field(c, ht_random(obj_ptr(o)));
        }
        return;
    }

    /* Checks in Redis's order: the count, the syntax, the count's range with
     * WITHVALUES, and only then the key. */
    long long l;
    if (!arg_ll_or_reply(c, 2, &l)) return;
    if (l < -LLONG_MAX) {
        reply_error(c, "ERR value is out of range, value must between -9223372036854775807 and "
                       "9223372036854775807");
        return;
    }
    bool withvalues = false;
    if (c->argc > 4 || (c->argc == 4 && !arg_is(c, 3, "withvalues"))) {
        reply_err_syntax(c);
        return;
    }
    if (c->argc == 4) {
        withvalues = true;
        if (l < -LLONG_MAX / 2 || l > LLONG_MAX / 2) {
            reply_error(c, "ERR value is out of range");
            return;
        }
    }
    if (!hash_read_or_reply(c, &o)) return;
    if (!o || l == 0) {
        reply_array(c, 0);
        return;
    }
    bool uniq = l > 0;
    unsigned long long count = uniq ? (unsigned long long)l : (unsigned long long)-l;
    size_t size = hash_len(o);
    /* RESP2 replies a flat array of fields and values, RESP3 an array of pairs. */
    int per = withvalues && c->resp == 2 ? 2 : 1;

    if (!uniq || count == 1) {
        if (count > RAND_REPEATS_CHECKED &&
            !reply_fits_or_reply(c, count, randfield_pick_bytes(c, o, withvalues)))
            return;
        reply_array(c, (long)(count * per));
        randfield_with_repeats(c, o, count, withvalues);
        return;
    }
    if (count >= size) {
        /* The whole hash, in its order. */
        reply_array(c, (long)(size * per));
        if (o->encoding == OBJ_ENC_LISTPACK) {
            lp *lpk = obj_ptr(o);
            for (unsigned char *p = lp_first(lpk); p; p = lp_next(lpk, lp_next(lpk, p)))
                randfield_reply_lp(c, lpk, p, withvalues);
        } else {
            ht_iter it;
            ht_iter_init(&it, obj_ptr(o));
            for (const hentry *e; (e = ht_iter_next(&it)) != NULL;)
                randfield_reply_ht(c, e, withvalues);
            ht_iter_deinit(&it);
        }
        return;
    }
    reply_array(c, (long)(count * per));
    randfield_distinct(c, o, (size_t)count, withvalues);
}

/* ---------------------------------------------------------------- HSCAN */

static void cmd_hscan(client *c) {
    /* Redis's order: the cursor, the key, then the options. */
    size_t cursor;
    if (!scan_cursor_or_reply(c, 2, &cursor)) return;
    obj *o;
    if (!hash_read_or_reply(c, &o)) return;
    if (!o) {
        reply_array(c, 2);
        scan_reply_cursor(c, 0);
        reply_array(c, 0);
        return;
    }
    scan_opts opt;
    if (!scan_opts_or_reply(c, 3, false, &opt)) return;

    if (o->encoding == OBJ_ENC_LISTPACK) {
        /* Small: everything at once, whatever the cursor and COUNT. */
        lp *l = obj_ptr(o);
        long n = 0;
        char buf[LP_INTBUF];
        size_t len;
        if (!opt.pat) {
            n = (long)hash_lp_entries(l);
        } else {
            for (unsigned char *p = lp_first(l); p; p = lp_next(l, lp_next(l, p))) {
                const char *f = lp_get_str(p, buf, &len);
                n += glob_match(opt.pat, opt.plen, f, len, false);
            }
        }
        reply_array(c, 2);
        scan_reply_cursor(c, 0);
        reply_array(c, 2 * n);
        for (unsigned char *p = lp_first(l); p; p = lp_next(l, lp_next(l, p))) {
            const char *f = lp_get_str(p, buf, &len);
            if (opt.pat && !glob_match(opt.pat, opt.plen, f, len, false)) continue;
            reply_bulk(c, f, len);
            reply_lp_entry(c, lp_next(l, p));
        }
        return;
    }

    /* As SCAN: buckets until COUNT elements (a field and its value count as two,
     * as in Redis) or 10*COUNT buckets. */
    ht *t = obj_ptr(o);
    scan_batch b;
    scan_batch_init(&b);
    long long maxiter = opt.count > LLONG_MAX / 10 ? LLONG_MAX : opt.count * 10;
    do {
        cursor = ht_scan(t, cursor, scan_collect, &b);
    } while (cursor && maxiter-- && b.len * 2 < (unsigned long long)opt.count);

    size_t kept = 0;
    for (size_t i = 0; i < b.len; i++) {
        size_t len;
        const char *f = hentry_field(b.v[i], &len);
        if (opt.pat && !glob_match(opt.pat, opt.plen, f, len, false)) continue;
        b.v[kept++] = b.v[i];
    }
    reply_array(c, 2);
    scan_reply_cursor(c, cursor);
    reply_array(c, (long)(2 * kept));
    for (size_t i = 0; i < kept; i++) {
        reply_hentry_field(c, b.v[i]);
        reply_hentry_value(c, b.v[i]);
    }
    scan_batch_deinit(&b);
}

/* ---------------------------------------------------------------- the table */

command cmd_table_hash[] = {
    {.name = "hset", .proc = cmd_hset, .arity = -4, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_HASH | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "hash", .since = "2.0.0", .summary = "Set the string value of a hash field",
     .complexity = "O(1) for each field/value pair added, so O(N) to add N field/value pairs "
                   "when the command is called with multiple field/value pairs.",
     .history = "4.0.0 Accepts multiple `field` and `value` arguments.",
     .key_specs = "RW update: index 1 range 0 1 0", .args = "key@0 field_value(field value)..."},
    {.name = "hsetnx", .proc = cmd_hsetnx, .arity = 4, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_HASH | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "hash", .since = "2.0.0",
     .summary = "Set the value of a hash field, only if the field does not exist",
     .complexity = "O(1)", .key_specs = "RW insert: index 1 range 0 1 0",
     .args = "key@0 field value"},
    {.name = "hmset", .proc = cmd_hmset, .arity = -4, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_HASH | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "hash", .since = "2.0.0", .summary = "Set multiple hash fields to multiple values",
     .complexity = "O(N) where N is the number of fields being set.",
     .doc_flags = DOC_DEPRECATED, .deprecated_since = "4.0.0",
     .replaced_by = "`HSET` with multiple field-value pairs",
     .key_specs = "RW update: index 1 range 0 1 0", .args = "key@0 field_value(field value)..."},
    {.name = "hget", .proc = cmd_hget, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_HASH | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "hash", .since = "2.0.0", .summary = "Get the value of a hash field",
     .complexity = "O(1)", .key_specs = "RO access: index 1 range 0 1 0", .args = "key@0 field"},
    {.name = "hmget", .proc = cmd_hmget, .arity = -3, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_HASH | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "hash", .since = "2.0.0", .summary = "Get the values of all the given hash fields",
     .complexity = "O(N) where N is the number of fields being requested.",
     .key_specs = "RO access: index 1 range 0 1 0", .args = "key@0 field..."},
    {.name = "hgetall", .proc = cmd_hgetall, .arity = 2, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_HASH | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "hash", .since = "2.0.0", .summary = "Get all the fields and values in a hash",
     .complexity = "O(N) where N is the size of the hash.",
     .tips = "nondeterministic_output_order", .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0"},
    {.name = "hkeys", .proc = cmd_hkeys, .arity = 2, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_HASH | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "hash", .since = "2.0.0", .summary = "Get all the fields in a hash",
     .complexity = "O(N) where N is the size of the hash.",
     .tips = "nondeterministic_output_order", .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0"},
    {.name = "hvals", .proc = cmd_hvals, .arity = 2, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_HASH | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "hash", .since = "2.0.0", .summary = "Get all the values in a hash",
     .complexity = "O(N) where N is the size of the hash.",
     .tips = "nondeterministic_output_order", .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0"},
    {.name = "hdel", .proc = cmd_hdel, .arity = -3, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_HASH | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "hash", .since = "2.0.0", .summary = "Delete one or more hash fields",
     .complexity = "O(N) where N is the number of fields to be removed.",
     .history = "2.4.0 Accepts multiple `field` arguments.",
     .key_specs = "RW delete: index 1 range 0 1 0", .args = "key@0 field..."},
    {.name = "hexists", .proc = cmd_hexists, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_HASH | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "hash", .since = "2.0.0", .summary = "Determine if a hash field exists",
     .complexity = "O(1)", .key_specs = "RO: index 1 range 0 1 0", .args = "key@0 field"},
    {.name = "hlen", .proc = cmd_hlen, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_HASH | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "hash", .since = "2.0.0", .summary = "Get the number of fields in a hash",
     .complexity = "O(1)", .key_specs = "RO: index 1 range 0 1 0", .args = "key@0"},
    {.name = "hstrlen", .proc = cmd_hstrlen, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_HASH | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "hash", .since = "3.2.0", .summary = "Get the length of the value of a hash field",
     .complexity = "O(1)", .key_specs = "RO: index 1 range 0 1 0", .args = "key@0 field"},
    {.name = "hincrby", .proc = cmd_hincrby, .arity = 4,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, .acl = ACL_WRITE | ACL_HASH | ACL_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "hash", .since = "2.0.0",
     .summary = "Increment the integer value of a hash field by the given number",
     .complexity = "O(1)", .key_specs = "RW access update: index 1 range 0 1 0",
     .args = "key@0 field increment:integer"},
    {.name = "hincrbyfloat", .proc = cmd_hincrbyfloat, .arity = 4,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, .acl = ACL_WRITE | ACL_HASH | ACL_FAST,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "hash", .since = "2.6.0",
     .summary = "Increment the float value of a hash field by the given amount",
     .complexity = "O(1)", .key_specs = "RW access update: index 1 range 0 1 0",
     .args = "key@0 field increment:double"},
    {.name = "hrandfield", .proc = cmd_hrandfield, .arity = -2, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_HASH | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "hash", .since = "6.2.0", .summary = "Get one or multiple random fields from a hash",
     .complexity = "O(N) where N is the number of fields returned",
     .tips = "nondeterministic_output", .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 [options(count:integer [WITHVALUES])]"},
    {.name = "hscan", .proc = cmd_hscan, .arity = -3, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_HASH | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "hash", .since = "2.8.0",
     .summary = "Incrementally iterate hash fields and associated values",
     .complexity = "O(1) for every call. O(N) for a complete iteration, including enough "
                   "command calls for the cursor to return back to 0. N is the number of "
                   "elements inside the collection..",
     .tips = "nondeterministic_output", .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 cursor:integer [MATCH pattern:pattern] [COUNT count:integer]"},
    {0}};

/* ---- persistence: walking and building values (elements.h) ---- */

size_t hash_obj_len(const obj *o) { return hash_len(o); }

void hash_each_pair(obj *o, pair_fn *fn, void *ud) {
    if (o->encoding == OBJ_ENC_LISTPACK) {
        lp *l = obj_ptr(o);
        for (unsigned char *p = lp_first(l); p; p = lp_next(l, lp_next(l, p))) {
            char fbuf[LP_INTBUF], vbuf[LP_INTBUF];
            size_t flen, vlen;
            const char *f = lp_get_str(p, fbuf, &flen);
            const char *v = lp_get_str(lp_next(l, p), vbuf, &vlen);
            fn(ud, f, flen, v, vlen);
        }
        return;
    }
    ht_iter it;
    ht_iter_init(&it, obj_ptr(o));
    for (const hentry *e; (e = ht_iter_next(&it)) != NULL;) {
        size_t flen, vlen;
        const char *f = hentry_field(e, &flen);
        const char *v = hentry_value(e, &vlen);
        fn(ud, f, flen, v, vlen);
    }
    ht_iter_deinit(&it);
}

obj *hash_load_new(const char *key, size_t klen, int64_t expire_ms) {
    return obj_new_value(key, klen, OBJ_HASH, OBJ_ENC_LISTPACK, lp_new(), expire_ms);
}

/* As HSET: a field given twice keeps its last value. */
void hash_load_add(obj *o, const char *f, size_t flen, const char *v, size_t vlen) {
    hash_set(o, f, flen, v, vlen);
}

/* A listpack from a file: pairs, non-empty, no field twice (hash_convert and a
 * later HSET past the limit would trip over one), then the limits. */
bool hash_load_fix(obj *o) {
    if (o->type != OBJ_HASH || o->encoding != OBJ_ENC_LISTPACK) return false;
    lp *l = obj_ptr(o);
    uint32_t n = lp_count(l);
    if (n == 0 || n % 2) return false;
    if (lp_has_duplicates(l, 2)) return false;
    bool convert =
        (long long)(n / 2) > server.hash_max_listpack_entries || lp_bytes(l) > HASH_LP_SAFE_BYTES;
    unsigned long long max = (unsigned long long)server.hash_max_listpack_value;
    for (unsigned char *p = lp_first(l); p && !convert; p = lp_next(l, p)) {
        char buf[LP_INTBUF];
        size_t len;
        lp_get_str(p, buf, &len);
        convert = len > max;
    }
    if (convert) hash_convert(o);
    return true;
}
