/* src/cmd_set.c: the set type: its three encodings, its value operations and
 * its commands.
 *
 * SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP SRANDMEMBER SMOVE SINTER
 * SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE SSCAN, and
 * set_value_ops (free, copy, size), through which object.c frees, copies
 * (COPY, RENAME, MOVE) and sizes sets, and the read-only view of set.h
 * (set_obj_iter_*, set_obj_len, set_obj_contains) through which ZUNION and
 * the other sorted set operations read plain sets.
 *
 * Encodings, as OBJECT ENCODING names them:
 *   intset     an intset (utils/intset.h): sorted integers, 2-8 bytes each,
 *              while every member is an integer (as num_parse_ll reads it:
 *              "7" is one, "07" and "+7" are strings) and there are at most
 *              set-max-intset-entries of them (capped at INTSET_MAX_LEN);
 *   listpack   the members back to back in one listpack (utils/listpack.h), in
 *              insertion order, while there are at most set-max-listpack-entries
 *              and none is longer than set-max-listpack-value bytes;
 *   hashtable  an ht (utils/ht.h) of entries that are ONE allocation each,
 *              holding just the member (see "hashtable entries").
 * This is Redis 7.2's scheme. Redis 7.0.15, whose replies Cairn matches, has no
 * listpack sets (a set is an intset or a hashtable there, and it has no
 * set-max-listpack-* directives); Cairn follows the issue, which asks for
 * set-max-listpack-entries, so small sets of strings take a few bytes a member
 * instead of a hashtable's ~30. The conversion rules are 7.2's:
 *   - a new set (SADD, SMOVE) starts as an intset when its first member is an
 *     integer and the members being added (SADD's argument count, a hint that
 *     may count repeats) fit set-max-intset-entries; else as a listpack when
 *     they fit set-max-listpack-entries; else as a hashtable sized for them;
 *   - an existing small set that SADD is given more members than its limit
 *     converts to a hashtable first;
 *   - an intset given a non-integer becomes a listpack when it has fewer than
 *     set-max-listpack-entries members and the new member and its widest
 *     integer fit set-max-listpack-value, else a hashtable;
 *   - an intset that grows past set-max-intset-entries becomes a hashtable (not
 *     a listpack), a listpack past either listpack limit a hashtable.
 * Conversions go one way: nothing ever converts back to a smaller encoding.
 * Results of SINTERSTORE, SUNIONSTORE and SDIFFSTORE are built from an empty
 * intset by the same rules, so an all-integer result is an intset.
 *
 * Behaviour, reply shapes and error texts follow Redis 7.0 (checked against
 * redis-server 7.0.15): RESP3 sets for SMEMBERS, SINTER, SUNION, SDIFF and SPOP
 * with a count, arrays for SRANDMEMBER with a count and SMISMEMBER; every key of
 * a multi-key command is type-checked before a missing one makes the result
 * empty; SSCAN of an intset or listpack returns everything in one call with
 * cursor 0; SPOP with a count at least the size returns the whole set and
 * deletes the key.
 *
 * Every keyspace change goes through db.h: a new key is built complete and
 * added with db_set(); an existing set is changed in place (a block that moved
 * or converted is stored back with obj_set_ptr(): the object itself does not
 * move) and reported with db_touch_write(), or removed with db_delete() once
 * empty. *STORE commands replace the destination (of any type, TTL dropped)
 * with db_set(), or delete it when the result is empty. Each change is then
 * reported (notify.h) with Redis 7.0.15's event: "sadd", "srem", "spop", then
 * "del" if the set emptied; SMOVE "srem" on the source (and "del"), then "sadd"
 * on the destination only if the member was not there; "sinterstore",
 * "sunionstore", "sdiffstore", or "del" for an empty result that removed a key.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../resp/encode.h"
#include "../utils/alloc.h"
#include "../utils/glob.h"
#include "../utils/ht.h"
#include "../utils/intset.h"
#include "../utils/listpack.h"
#include "../utils/num.h"
#include "../utils/rand.h"
#include "../utils/sbuf.h"
#include "elements.h"
#include "notify.h"
#include "persist.h"
#include "server.h"
#include "set.h"

/* Redis's LISTPACK_MAX_SAFETY_SIZE: a listpack that would grow past this
 * converts whatever the limits say (only reachable with huge limits). */
#define SET_LP_SAFE_BYTES (1u << 30)
/* The most bytes a listpack entry of an integer takes (head + data + back). */
#define SET_LP_INT_MAX_BYTES 10

/* ---------------------------------------------------------------- hashtable entries
 *
 * One allocation per member: a length header, then the bytes (no NUL):
 *   short form  [len:u8] member              when len < 255
 *   long form   [0xff][len:u64] member       otherwise (unaligned)
 * So a 15-byte member is 16 bytes, one 16-byte jemalloc block; with the table's
 * ~11-23 bytes per entry, about 30-40 bytes a member. The bytes never change
 * while the entry is in a table (the table reads its key from them). */

typedef unsigned char sentry;

#define SENTRY_LONG 0xff

static inline const char *sentry_member(const sentry *e, size_t *len) {
    if (e[0] != SENTRY_LONG) {
        *len = e[0];
        return (const char *)e + 1;
    }
    uint64_t l;
    memcpy(&l, e + 1, 8);
    *len = (size_t)l;
    return (const char *)e + 9;
}

static sentry *sentry_new(const char *s, size_t len) {
    size_t hdr = len < SENTRY_LONG ? 1 : 9;
    sentry *e = cn_malloc(hdr + len);
    if (hdr == 1) {
        e[0] = (unsigned char)len;
    } else {
        uint64_t l = len;
        e[0] = SENTRY_LONG;
        memcpy(e + 1, &l, 8);
    }
    memcpy(e + hdr, s, len);
    return e;
}

static const void *sentry_key(const void *entry, size_t *len) { return sentry_member(entry, len); }
static void sentry_destroy(void *entry) { cn_free(entry); }

static const ht_type set_ht_type = {.entry_key = sentry_key, .entry_destroy = sentry_destroy};
/* For SRANDMEMBER's table of entries already picked: borrowed, never freed. */
static const ht_type set_pick_type = {.entry_key = sentry_key};

/* ---------------------------------------------------------------- members
 *
 * A member in hand, from an argument or from a set: its bytes, its integer
 * value, or both, each worked out when first needed. */

typedef struct member {
    const char *s;  /* the bytes; NULL while only ll is known */
    size_t len;
    long long ll;
    int isint;      /* 1: ll holds its value; 0: not an integer; -1: not yet known */
    char buf[LP_INTBUF];
} member;

static inline void member_str_init(member *m, const char *s, size_t len) {
    m->s = s;
    m->len = len;
    m->isint = -1;
}

static inline void member_int_init(member *m, long long v) {
    m->s = NULL;
    m->ll = v;
    m->isint = 1;
}

static inline void member_arg_init(member *m, const client *c, int i) {
    member_str_init(m, c->argv[i], c->argvlen[i]);
}

/* The member's bytes (an integer is formatted once into m->buf). */
static inline const char *member_str(member *m, size_t *len) {
    if (!m->s) {
        m->len = num_fmt_ll(m->buf, m->ll);
        m->s = m->buf;
    }
    *len = m->len;
    return m->s;
}

/* Whether the member is an integer (num_parse_ll's canonical form); *v its value. */
static inline bool member_int(member *m, long long *v) {
    if (m->isint < 0) m->isint = m->len <= 20 && num_parse_ll(m->s, m->len, &m->ll);
    *v = m->ll;
    return m->isint == 1;
}

static void reply_member(client *c, member *m) {
    if (m->s) reply_bulk(c, m->s, m->len);
    else reply_bulk_ll(c, m->ll);
}

/* Reads the listpack entry at p into m (m may borrow the block). A string entry
 * is never a canonical integer: the listpack stores those as integers. */
static inline void member_from_lp(member *m, const unsigned char *p) {
    lp_value v;
    lp_get(p, &v);
    if (v.str) {
        member_str_init(m, v.str, v.len);
        m->isint = 0;
    } else {
        member_int_init(m, v.ll);
    }
}

/* ---------------------------------------------------------------- set values
 *
 * A set's structure apart from its object: the encoding and the pointer. The
 * commands read one from an object (setv_of), change it, and store it back
 * (setv_store); results of SINTERSTORE and friends are built as a bare setv and
 * put into a new object at the end. */

typedef struct setv {
    int enc;   /* OBJ_ENC_INTSET, OBJ_ENC_LISTPACK or OBJ_ENC_HASHTABLE */
    void *ptr; /* intset *, lp *, ht * */
} setv;

static inline setv setv_of(const obj *o) { return (setv){(int)o->encoding, obj_ptr(o)}; }

static inline void setv_store(obj *o, setv v) {
    o->encoding = (uint32_t)v.enc;
    obj_set_ptr(o, v.ptr);
}

static inline setv setv_new_intset(void) { return (setv){OBJ_ENC_INTSET, intset_new()}; }

static void setv_free(setv v) {
    switch (v.enc) {
    case OBJ_ENC_INTSET: intset_free(v.ptr); break;
    case OBJ_ENC_LISTPACK: lp_free(v.ptr); break;
    default: ht_destroy(v.ptr); break;
    }
}

static size_t setv_len(setv v) {
    switch (v.enc) {
    case OBJ_ENC_INTSET: return intset_len(v.ptr);
    case OBJ_ENC_LISTPACK: return lp_count(v.ptr);
    default: return ht_size(v.ptr);
    }
}

static inline size_t set_len(const obj *o) { return setv_len(setv_of(o)); }

/* The limits, read on every write: a CONFIG SET applies from the next write. */
static inline size_t intset_max_entries(void) {
    long long n = server.set_max_intset_entries;
    return n > (long long)INTSET_MAX_LEN ? INTSET_MAX_LEN : (size_t)n;
}
static inline size_t lp_max_entries(void) { return (size_t)server.set_max_listpack_entries; }
static inline size_t lp_max_value(void) { return (size_t)server.set_max_listpack_value; }

/* An empty set fit for `hint` members, the first of which is m (Redis 7.2's
 * setTypeCreate). */
static setv setv_create(member *m, size_t hint) {
    long long v;
    if (member_int(m, &v) && hint <= intset_max_entries()) return setv_new_intset();
    if (hint <= lp_max_entries()) return (setv){OBJ_ENC_LISTPACK, lp_new()};
    ht *t = ht_create(&set_ht_type);
    ht_expand(t, hint);
    return (setv){OBJ_ENC_HASHTABLE, t};
}

/* Walks the members of any encoding:
 *
 *   set_iter it;
 *   set_iter_init(&it, v);
 *   for (member m; set_iter_next(&it, &m);) use(&m);
 *   set_iter_deinit(&it);
 *
 * The set must not change meanwhile. A member read from a listpack or a
 * hashtable borrows the set. */
typedef struct set_iter {
    setv v;
    uint32_t i;       /* intset: next index */
    unsigned char *p; /* listpack: next entry */
    ht_iter hi;       /* hashtable */
} set_iter;

static void set_iter_init(set_iter *it, setv v) {
    it->v = v;
    it->i = 0;
    if (v.enc == OBJ_ENC_LISTPACK) it->p = lp_first(v.ptr);
    else if (v.enc == OBJ_ENC_HASHTABLE) ht_iter_init(&it->hi, v.ptr);
}

static bool set_iter_next(set_iter *it, member *m) {
    switch (it->v.enc) {
    case OBJ_ENC_INTSET:
        if (it->i >= intset_len(it->v.ptr)) return false;
        member_int_init(m, intset_get(it->v.ptr, it->i++));
        return true;
    case OBJ_ENC_LISTPACK:
        if (!it->p) return false;
        member_from_lp(m, it->p);
        it->p = lp_next(it->v.ptr, it->p);
        return true;
    default: {
        const sentry *e = ht_iter_next(&it->hi);
        if (!e) return false;
        size_t len;
        const char *s = sentry_member(e, &len);
        member_str_init(m, s, len);
        return true;
    }
    }
}

static void set_iter_deinit(set_iter *it) {
    if (it->v.enc == OBJ_ENC_HASHTABLE) ht_iter_deinit(&it->hi);
}

/* Converts v to a listpack (from an intset) or a hashtable (from either), sized
 * for cap members. */
static void setv_convert(setv *v, int enc, size_t cap) {
    setv n;
    if (enc == OBJ_ENC_LISTPACK) {
        n = (setv){OBJ_ENC_LISTPACK, lp_new()};
    } else {
        ht *t = ht_create(&set_ht_type);
        ht_expand(t, cap);
        n = (setv){OBJ_ENC_HASHTABLE, t};
    }
    set_iter it;
    set_iter_init(&it, *v);
    for (member m; set_iter_next(&it, &m);) {
        if (enc == OBJ_ENC_LISTPACK) {
            n.ptr = m.s ? lp_append(n.ptr, m.s, m.len) : lp_append_int(n.ptr, m.ll);
        } else {
            size_t len;
            const char *s = member_str(&m, &len);
            ht_add(n.ptr, sentry_new(s, len));
        }
    }
    set_iter_deinit(&it);
    setv_free(*v);
    *v = n;
}

/* Whether the listpack l can take one more member of len bytes. */
static inline bool lp_room_for(lp *l, size_t len) {
    return lp_count(l) < lp_max_entries() && len <= lp_max_value() &&
           lp_used(l) + len + 16 <= SET_LP_SAFE_BYTES;
}

/* Adds the hashtable member s (absent or present); true if it was new. */
static bool ht_add_member(ht *t, const char *s, size_t len) {
    ht_position pos;
    if (ht_find_or_position(t, s, len, &pos)) return false;
    ht_insert_at(t, &pos, sentry_new(s, len));
    return true;
}

/* Adds m to v, converting v as the limits say; true if m was new. */
static bool setv_add(setv *v, member *m) {
    long long x;
    size_t len;
    const char *s;
    switch (v->enc) {
    case OBJ_ENC_INTSET: {
        if (member_int(m, &x)) {
            bool added;
            v->ptr = intset_add(v->ptr, x, &added);
            if (added && intset_len(v->ptr) > intset_max_entries())
                setv_convert(v, OBJ_ENC_HASHTABLE, intset_len(v->ptr));
            return added;
        }
        /* A string: a listpack if it and every integer fit, else a hashtable. */
        intset *is = v->ptr;
        uint32_t n = intset_len(is);
        size_t widest = 0;
        if (n) {
            char buf[NUM_LL_MAX_CHARS];
            size_t a = num_fmt_ll(buf, intset_get(is, 0));
            size_t b = num_fmt_ll(buf, intset_get(is, n - 1));
            widest = a > b ? a : b;
        }
        s = member_str(m, &len);
        if (n < lp_max_entries() && len <= lp_max_value() && widest <= lp_max_value() &&
            (size_t)n * SET_LP_INT_MAX_BYTES + len + 16 <= SET_LP_SAFE_BYTES) {
            setv_convert(v, OBJ_ENC_LISTPACK, n + 1);
            v->ptr = lp_append(v->ptr, s, len);
        } else {
            setv_convert(v, OBJ_ENC_HASHTABLE, (size_t)n + 1);
            ht_add(v->ptr, sentry_new(s, len));
        }
        return true;
    }
    case OBJ_ENC_LISTPACK: {
        lp *l = v->ptr;
        s = member_str(m, &len);
        if (lp_find(l, lp_first(l), s, len, 0)) return false;
        if (lp_room_for(l, len)) {
            v->ptr = lp_append(l, s, len);
        } else {
            setv_convert(v, OBJ_ENC_HASHTABLE, (size_t)lp_count(l) + 1);
            ht_add(v->ptr, sentry_new(s, len));
        }
        return true;
    }
    default:
        s = member_str(m, &len);
        return ht_add_member(v->ptr, s, len);
    }
}

static bool setv_has(setv v, member *m) {
    long long x;
    size_t len;
    const char *s;
    switch (v.enc) {
    case OBJ_ENC_INTSET: return member_int(m, &x) && intset_find(v.ptr, x);
    case OBJ_ENC_LISTPACK:
        s = member_str(m, &len);
        return lp_find(v.ptr, lp_first(v.ptr), s, len, 0) != NULL;
    default: s = member_str(m, &len); return ht_find(v.ptr, s, len) != NULL;
    }
}

/* ---------------------------------------------------------------- set.h
 *
 * The read-only view other modules use (see set.h): the iterator above plus
 * the member it last produced, in the caller's opaque storage. */

typedef struct set_obj_iter_state {
    set_iter it;
    member m;
} set_obj_iter_state;

_Static_assert(sizeof(set_obj_iter_state) <= SET_OBJ_ITER_BYTES,
               "set_obj_iter too small for the iterator state");

void set_obj_iter_init(set_obj_iter *it, const obj *o) {
    set_iter_init(&((set_obj_iter_state *)it->opaque)->it, setv_of(o));
}

bool set_obj_iter_next(set_obj_iter *it, const char **m, size_t *len) {
    set_obj_iter_state *st = (set_obj_iter_state *)it->opaque;
    if (!set_iter_next(&st->it, &st->m)) return false;
    *m = member_str(&st->m, len);
    return true;
}

void set_obj_iter_deinit(set_obj_iter *it) {
    set_iter_deinit(&((set_obj_iter_state *)it->opaque)->it);
}

size_t set_obj_len(const obj *o) { return set_len(o); }

bool set_obj_contains(const obj *o, const char *m, size_t len) {
    member mm;
    member_str_init(&mm, m, len);
    return setv_has(setv_of(o), &mm);
}

/* Removes m from v; true if it was there. Never converts. */
static bool setv_remove(setv *v, member *m) {
    long long x;
    size_t len;
    const char *s;
    switch (v->enc) {
    case OBJ_ENC_INTSET: {
        if (!member_int(m, &x)) return false;
        bool removed;
        v->ptr = intset_remove(v->ptr, x, &removed);
        return removed;
    }
    case OBJ_ENC_LISTPACK: {
        s = member_str(m, &len);
        unsigned char *p = lp_find(v->ptr, lp_first(v->ptr), s, len, 0);
        if (!p) return false;
        v->ptr = lp_delete(v->ptr, &p);
        return true;
    }
    default: s = member_str(m, &len); return ht_delete(v->ptr, s, len);
    }
}



/* A random member of a non-empty set (borrowing it, for a listpack or a
 * hashtable). For a listpack, *pp (if not NULL) gets its entry. */
static void setv_random(setv v, member *m, unsigned char **pp) {
    switch (v.enc) {
    case OBJ_ENC_INTSET: member_int_init(m, intset_get(v.ptr, (uint32_t)rand_below(intset_len(v.ptr)))); break;
    case OBJ_ENC_LISTPACK: {
        unsigned char *p = lp_seek(v.ptr, (long)rand_below(lp_count(v.ptr)));
        member_from_lp(m, p);
        if (pp) *pp = p;
        break;
    }
    default: {
        size_t len;
        const char *s = sentry_member(ht_random(v.ptr), &len);
        member_str_init(m, s, len);
        break;
    }
    }
}

/* ---------------------------------------------------------------- value operations */

static void set_value_free(int encoding, void *ptr) { setv_free((setv){encoding, ptr}); }

static void *set_value_dup(int encoding, const void *ptr) {
    if (encoding == OBJ_ENC_INTSET) return intset_dup(ptr);
    if (encoding == OBJ_ENC_LISTPACK) return lp_dup(ptr);
    ht *src = (ht *)ptr; /* iterating pauses rehashing: state, not content */
    ht *t = ht_create(&set_ht_type);
    ht_expand(t, ht_size(src));
    ht_iter it;
    ht_iter_init(&it, src);
    for (const sentry *e; (e = ht_iter_next(&it)) != NULL;) {
        size_t len;
        const char *s = sentry_member(e, &len);
        ht_add(t, sentry_new(s, len));
    }
    ht_iter_deinit(&it);
    return t;
}

/* With samples 0, exact and O(N): every entry's allocation is counted. */
static size_t set_value_mem_usage(int encoding, const void *ptr, size_t samples) {
    if (encoding == OBJ_ENC_INTSET) return intset_bytes(ptr);
    if (encoding == OBJ_ENC_LISTPACK) return lp_bytes(ptr);
    ht *t = (ht *)ptr;
    return ht_mem_usage(t) + ht_entries_mem_usage(t, samples);
}

static size_t set_value_free_effort(int encoding, const void *ptr) {
    return encoding == OBJ_ENC_HASHTABLE ? ht_size(ptr) : 1;
}

const obj_value_ops set_value_ops = {
    .free = set_value_free,
    .dup = set_value_dup,
    .mem_usage = set_value_mem_usage,
    .free_effort = set_value_free_effort,
};

/* ---------------------------------------------------------------- command helpers */

/* Looks up argv[i] for reading (write: for writing, no hit/miss stats). Returns
 * false after replying WRONGTYPE; *o is NULL for a missing key. */
static bool set_lookup_or_reply(client *c, int i, bool write, obj **o) {
    *o = write ? db_lookup_write(c->db, c->argv[i], c->argvlen[i])
               : db_lookup_read(c->db, c->argv[i], c->argvlen[i]);
    if (*o && (*o)->type != OBJ_SET) {
        reply_err_wrongtype(c);
        return false;
    }
    return true;
}

/* Stores a finished result under argv[i] (replacing whatever is there, TTL
 * dropped), reports event ("sinterstore", ...) and replies its size; an empty
 * result deletes the key ("del" if it was there) and replies 0. Takes
 * ownership of v. */
static void store_result(client *c, int i, setv v, const char *event) {
    size_t n = setv_len(v);
    if (n == 0) {
        setv_free(v);
        if (db_delete(c->db, c->argv[i], c->argvlen[i]))
            notify_keyspace_event(NOTIFY_GENERIC, "del", c->db, c->argv[i], c->argvlen[i]);
        reply_int(c, 0);
        return;
    }
    db_set(c->db, obj_new_value(c->argv[i], c->argvlen[i], OBJ_SET, v.enc, v.ptr, OBJ_NO_EXPIRE));
    notify_keyspace_event(NOTIFY_SET, event, c->db, c->argv[i], c->argvlen[i]);
    reply_int(c, (long long)n);
}

/* After members were removed from o (under argv[1], its value stored back) by
 * the command whose event is event: reports it, then deletes the key ("del")
 * if the set is empty, else reports the write. */
static void set_removed(client *c, obj *o, const char *event) {
    notify_keyspace_event(NOTIFY_SET, event, c->db, c->argv[1], c->argvlen[1]);
    if (set_len(o) == 0) {
        db_delete(c->db, c->argv[1], c->argvlen[1]);
        notify_keyspace_event(NOTIFY_GENERIC, "del", c->db, c->argv[1], c->argvlen[1]);
    } else {
        db_touch_write(c->db, o);
    }
}

/* Replies every member of v as a RESP3 set (an array in RESP2). */
static void reply_setv(client *c, setv v) {
    reply_set(c, (long)setv_len(v));
    set_iter it;
    set_iter_init(&it, v);
    for (member m; set_iter_next(&it, &m);) reply_member(c, &m);
    set_iter_deinit(&it);
}

/* ---------------------------------------------------------------- SADD SREM SMOVE */

static void cmd_sadd(client *c) {
    obj *o;
    if (!set_lookup_or_reply(c, 1, true, &o)) return;
    size_t hint = (size_t)c->argc - 2;
    long long added = 0;
    member m;
    if (!o) {
        member_arg_init(&m, c, 2);
        setv v = setv_create(&m, hint);
        for (int j = 2; j < c->argc; j++) {
            member_arg_init(&m, c, j);
            added += setv_add(&v, &m);
        }
        db_set(c->db, obj_new_value(c->argv[1], c->argvlen[1], OBJ_SET, v.enc, v.ptr, OBJ_NO_EXPIRE));
        notify_keyspace_event(NOTIFY_SET, "sadd", c->db, c->argv[1], c->argvlen[1]);
        reply_int(c, added);
        return;
    }
    setv v = setv_of(o);
    /* More members coming than the small encoding may hold: convert once now. */
    if ((v.enc == OBJ_ENC_LISTPACK && hint > lp_max_entries()) ||
        (v.enc == OBJ_ENC_INTSET && hint > intset_max_entries()))
        setv_convert(&v, OBJ_ENC_HASHTABLE, hint);
    for (int j = 2; j < c->argc; j++) {
        member_arg_init(&m, c, j);
        added += setv_add(&v, &m);
    }
    setv_store(o, v);
    if (added) {
        db_touch_write(c->db, o);
        notify_keyspace_event(NOTIFY_SET, "sadd", c->db, c->argv[1], c->argvlen[1]);
    }
    reply_int(c, added);
}

static void cmd_srem(client *c) {
    obj *o;
    if (!set_lookup_or_reply(c, 1, true, &o)) return;
    if (!o) {
        reply_int(c, 0);
        return;
    }
    setv v = setv_of(o);
    long long removed = 0;
    for (int j = 2; j < c->argc; j++) {
        member m;
        member_arg_init(&m, c, j);
        removed += setv_remove(&v, &m);
        if (setv_len(v) == 0) break;
    }
    setv_store(o, v);
    if (removed) set_removed(c, o, "srem");
    reply_int(c, removed);
}

static void cmd_smove(client *c) {
    /* Redis's order: both lookups, then a missing source answers 0 before the
     * destination's type is looked at. */
    obj *src = db_lookup_write(c->db, c->argv[1], c->argvlen[1]);
    obj *dst = db_lookup_write(c->db, c->argv[2], c->argvlen[2]);
    if (!src) {
        reply_int(c, 0);
        return;
    }
    if (src->type != OBJ_SET || (dst && dst->type != OBJ_SET)) {
        reply_err_wrongtype(c);
        return;
    }
    member m;
    member_arg_init(&m, c, 3);
    if (src == dst) {
        reply_int(c, setv_has(setv_of(src), &m));
        return;
    }
    setv sv = setv_of(src);
    if (!setv_remove(&sv, &m)) {
        reply_int(c, 0);
        return;
    }
    setv_store(src, sv);
    /* src is a different object from dst: deleting it leaves dst where it is. */
    set_removed(c, src, "srem");
    /* "sadd" only if the member was not in dst already, as Redis reports it. */
    if (!dst) {
        setv dv = setv_create(&m, 1);
        setv_add(&dv, &m);
        db_set(c->db, obj_new_value(c->argv[2], c->argvlen[2], OBJ_SET, dv.enc, dv.ptr,
                                    OBJ_NO_EXPIRE));
        notify_keyspace_event(NOTIFY_SET, "sadd", c->db, c->argv[2], c->argvlen[2]);
    } else {
        setv dv = setv_of(dst);
        bool added = setv_add(&dv, &m);
        setv_store(dst, dv);
        if (added) {
            db_touch_write(c->db, dst);
            notify_keyspace_event(NOTIFY_SET, "sadd", c->db, c->argv[2], c->argvlen[2]);
        }
    }
    reply_int(c, 1);
}

/* ---------------------------------------------------------------- reads */

static void cmd_sismember(client *c) {
    obj *o;
    if (!set_lookup_or_reply(c, 1, false, &o)) return;
    member m;
    member_arg_init(&m, c, 2);
    reply_int(c, o && setv_has(setv_of(o), &m));
}

static void cmd_smismember(client *c) {
    obj *o;
    if (!set_lookup_or_reply(c, 1, false, &o)) return;
    reply_array(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        member m;
        member_arg_init(&m, c, j);
        reply_int(c, o && setv_has(setv_of(o), &m));
    }
}

static void cmd_scard(client *c) {
    obj *o;
    if (!set_lookup_or_reply(c, 1, false, &o)) return;
    reply_int(c, o ? (long long)set_len(o) : 0);
}

static void cmd_smembers(client *c) {
    obj *o;
    if (!set_lookup_or_reply(c, 1, false, &o)) return;
    if (!o) reply_set(c, 0);
    else reply_setv(c, setv_of(o));
}

/* ---------------------------------------------------------------- SPOP
 *
 * A random pop is logged as what it removed (persist.h): SREM key m1 m2 ..., in
 * the order replied; popping the whole set (a count >= its size) is DEL key.
 * Redis 7.0.15 logs a counted pop as one SREM per member inside MULTI/EXEC;
 * one SREM replays the same, is atomic by itself and is smaller. */

/* The members an SPOP removed, for its log entry (collected only while propagating). */
typedef struct spop_log {
    bool on;      /* propagating(): else nothing is collected or logged */
    sbuf bytes;   /* the members back to back */
    size_t *ends; /* each member's end offset in bytes */
    size_t n, cap;
} spop_log;

static void spop_log_add(spop_log *l, const char *s, size_t len) {
    if (!l->on) return;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->ends = cn_realloc(l->ends, l->cap * sizeof(size_t));
    }
    sbuf_catlen(&l->bytes, s, len);
    l->ends[l->n++] = l->bytes.len;
}

static void spop_log_add_ll(spop_log *l, long long v) {
    char buf[NUM_LL_MAX_CHARS];
    spop_log_add(l, buf, num_fmt_ll(buf, v));
}

/* Propagates SREM key <the members> and frees l. */
static void spop_log_propagate(client *c, spop_log *l) {
    if (!l->on) return;
    size_t argc = l->n + 2;
    const char **argv = cn_malloc(argc * sizeof(char *));
    size_t *lens = cn_malloc(argc * sizeof(size_t));
    argv[0] = "SREM";
    lens[0] = 4;
    argv[1] = c->argv[1];
    lens[1] = c->argvlen[1];
    const char *base = l->bytes.buf ? l->bytes.buf : "";
    for (size_t k = 0, start = 0; k < l->n; start = l->ends[k++]) {
        argv[k + 2] = base + start;
        lens[k + 2] = l->ends[k] - start;
    }
    propagate_instead(c, (int)argc, argv, lens);
    cn_free(argv);
    cn_free(lens);
    cn_free(l->ends);
    sbuf_free(&l->bytes);
}

/* Removes a random member of the non-empty set v, replying it and adding it to
 * log. */
static void setv_pop_random_reply(client *c, setv *v, spop_log *log) {
    if (v->enc == OBJ_ENC_INTSET) {
        uint32_t i = (uint32_t)rand_below(intset_len(v->ptr));
        long long x = intset_get(v->ptr, i);
        reply_bulk_ll(c, x);
        spop_log_add_ll(log, x);
        v->ptr = intset_remove_at(v->ptr, i);
    } else if (v->enc == OBJ_ENC_LISTPACK) {
        member m;
        unsigned char *p;
        setv_random(*v, &m, &p);
        reply_member(c, &m);
        if (m.s) spop_log_add(log, m.s, m.len);
        else spop_log_add_ll(log, m.ll);
        v->ptr = lp_delete(v->ptr, &p);
    } else {
        size_t len;
        const char *s = sentry_member(ht_random(v->ptr), &len);
        reply_bulk(c, s, len);
        spop_log_add(log, s, len);
        cn_free(ht_pop(v->ptr, s, len)); /* s is read before the entry is freed */
    }
}

/* Pops count (0 < count < size) random members of o's set, replying each. */
static void spop_some(client *c, obj *o, size_t count) {
    setv v = setv_of(o);
    size_t size = setv_len(v);
    spop_log log = {.on = propagating()};
    reply_set(c, (long)count);
    if (v.enc != OBJ_ENC_HASHTABLE || (size - count) * 5 > count) {
        /* Small sets, or few of a big one: pick and remove one at a time. */
        for (size_t k = 0; k < count; k++) setv_pop_random_reply(c, &v, &log);
    } else {
        /* Most of them: move the few that stay into a new table, then reply
         * and free what is left of the old one. */
        ht *old = v.ptr, *keep = ht_create(&set_ht_type);
        size_t stay = size - count;
        ht_expand(keep, stay);
        while (ht_size(keep) < stay) {
            size_t len;
            const char *s = sentry_member(ht_random(old), &len);
            ht_add(keep, ht_pop(old, s, len));
        }
        ht_iter it;
        ht_iter_init(&it, old);
        for (const sentry *e; (e = ht_iter_next(&it)) != NULL;) {
            size_t len;
            const char *s = sentry_member(e, &len);
            reply_bulk(c, s, len);
            spop_log_add(&log, s, len);
        }
        ht_iter_deinit(&it);
        ht_destroy(old);
        v.ptr = keep;
    }
    setv_store(o, v);
    db_touch_write(c->db, o);
    notify_keyspace_event(NOTIFY_SET, "spop", c->db, c->argv[1], c->argvlen[1]);
    spop_log_propagate(c, &log);
}

static void cmd_spop(client *c) {
    if (c->argc > 3) {
        reply_err_syntax(c);
        return;
    }
    obj *o;
    if (c->argc == 2) {
        if (!set_lookup_or_reply(c, 1, true, &o)) return;
        if (!o) {
            reply_null(c);
            return;
        }
        setv v = setv_of(o);
        spop_log log = {.on = propagating()};
        setv_pop_random_reply(c, &v, &log);
        setv_store(o, v);
        set_removed(c, o, "spop");
        spop_log_propagate(c, &log);
        return;
    }
    /* The count first, then the key, as Redis checks them. */
    long long count;
    if (!arg_ll_range_or_reply(c, 2, 0, LLONG_MAX, &count,
                               "ERR value is out of range, must be positive")) {
        return;
    }
    if (!set_lookup_or_reply(c, 1, true, &o)) return;
    if (!o || count == 0) {
        reply_set(c, 0);
        return;
    }
    size_t size = set_len(o);
    if ((unsigned long long)count >= size) {
        reply_setv(c, setv_of(o));
        notify_keyspace_event(NOTIFY_SET, "spop", c->db, c->argv[1], c->argvlen[1]);
        db_delete(c->db, c->argv[1], c->argvlen[1]);
        notify_keyspace_event(NOTIFY_GENERIC, "del", c->db, c->argv[1], c->argvlen[1]);
        const char *argv[] = {"DEL", c->argv[1]};
        const size_t lens[] = {3, c->argvlen[1]};
        propagate_instead(c, 2, argv, lens);
        return;
    }
    spop_some(c, o, (size_t)count);
}

/* ---------------------------------------------------------------- SRANDMEMBER */

/* count random members with repeats, in random order. Stops early if the
 * client passed its output limit (a huge count would otherwise run on). */
static void srandmember_repeats(client *c, setv v, unsigned long long count) {
    reply_array(c, (long)count);
    if (v.enc == OBJ_ENC_LISTPACK) {
        /* Index the entries once so that each pick is O(1). */
        lp *l = v.ptr;
        size_t n = lp_count(l), i = 0;
        unsigned char *inline_p[64];
        unsigned char **ps = n <= 64 ? inline_p : cn_malloc(n * sizeof(*ps));
        for (unsigned char *p = lp_first(l); p; p = lp_next(l, p)) ps[i++] = p;
        while (count--) {
            member m;
            member_from_lp(&m, ps[rand_below(n)]);
            reply_member(c, &m);
            if (c->flags & CLIENT_CLOSE_ASAP) break;
        }
        if (ps != inline_p) cn_free(ps);
        return;
    }
    while (count--) {
        member m;
        setv_random(v, &m, NULL);
        reply_member(c, &m);
        if (c->flags & CLIENT_CLOSE_ASAP) break;
    }
}

/* count distinct members, 0 < count < size. */
static void srandmember_distinct(client *c, setv v, size_t count) {
    size_t size = setv_len(v), need = count;
    reply_array(c, (long)count);
    if (v.enc != OBJ_ENC_HASHTABLE || count * 3 > size) {
        /* Selection sampling (Knuth's algorithm S) over one walk: each member in
         * turn is taken with probability need/left, which takes exactly count. */
        size_t left = size;
        set_iter it;
        set_iter_init(&it, v);
        for (member m; need && set_iter_next(&it, &m); left--) {
            if (rand_below(left) >= need) continue;
            reply_member(c, &m);
            need--;
        }
        set_iter_deinit(&it);
        return;
    }
    /* Few of a big table: random picks, skipping repeats. */
    ht *seen = ht_create(&set_pick_type);
    ht_expand(seen, count);
    while (ht_size(seen) < count) {
        sentry *e = ht_random(v.ptr);
        if (!ht_add(seen, e)) continue;
        size_t len;
        const char *s = sentry_member(e, &len);
        reply_bulk(c, s, len);
    }
    ht_destroy(seen);
}

/* Protocol bytes of one pick, averaged over a few random members. */
static double srandmember_pick_bytes(setv v) {
    size_t bytes = 0;
    for (int i = 0; i < RAND_SIZE_SAMPLES; i++) {
        member m;
        size_t len;
        setv_random(v, &m, NULL);
        member_str(&m, &len);
        bytes += resp_bulk_size(len);
    }
    return (double)bytes / RAND_SIZE_SAMPLES;
}

static void cmd_srandmember(client *c) {
    if (c->argc > 3) {
        reply_err_syntax(c);
        return;
    }
    obj *o;
    if (c->argc == 2) {
        if (!set_lookup_or_reply(c, 1, false, &o)) return;
        if (!o) {
            reply_null(c);
            return;
        }
        member m;
        setv_random(setv_of(o), &m, NULL);
        reply_member(c, &m);
        return;
    }
    /* Not a number and out of range are two errors here. */
    long long l;
    if (!arg_ll_or_reply(c, 2, &l)) return;
    if (l == LLONG_MIN) {
        reply_error(c, "ERR value is out of range, value must between -9223372036854775807 and "
                       "9223372036854775807");
        return;
    }
    if (!set_lookup_or_reply(c, 1, false, &o)) return;
    if (!o || l == 0) {
        reply_array(c, 0);
        return;
    }
    setv v = setv_of(o);
    size_t size = setv_len(v);
    if (l < 0 || l == 1) {
        unsigned long long count = l < 0 ? (unsigned long long)-l : 1;
        if (count > RAND_REPEATS_CHECKED &&
            !reply_fits_or_reply(c, count, srandmember_pick_bytes(v)))
            return;
        srandmember_repeats(c, v, count);
    } else if ((unsigned long long)l >= size) {
        reply_array(c, (long)size);
        set_iter it;
        set_iter_init(&it, v);
        for (member m; set_iter_next(&it, &m);) reply_member(c, &m);
        set_iter_deinit(&it);
    } else {
        srandmember_distinct(c, v, (size_t)l);
    }
}

/* ---------------------------------------------------------------- SINTER SUNION SDIFF */

/* Looks up n keys from argv[first]: sets[j] is the set value of key j, with
 * present[j] false for a missing key. Every key is type-checked before any
 * answer (Redis 7.0 does the same). Returns false after replying WRONGTYPE.
 * write: looked up as a *STORE command does (no hit/miss stats). */
static bool lookup_sets_or_reply(client *c, int first, int n, bool write, setv *sets,
                                 bool *present) {
    for (int j = 0; j < n; j++) {
        obj *o;
        if (!set_lookup_or_reply(c, first + j, write, &o)) return false;
        present[j] = o != NULL;
        if (o) sets[j] = setv_of(o);
    }
    return true;
}

/* The arrays of a multi-key command: on the stack for a few keys. */
typedef struct set_args {
    setv *sets;
    bool *present;
    setv inline_sets[16];
    bool inline_present[16];
} set_args;

static void set_args_init(set_args *a, int n) {
    if (n <= 16) {
        a->sets = a->inline_sets;
        a->present = a->inline_present;
    } else {
        a->sets = cn_malloc((size_t)n * sizeof(setv));
        a->present = cn_malloc((size_t)n * sizeof(bool));
    }
}

static void set_args_deinit(set_args *a) {
    if (a->sets != a->inline_sets) {
        cn_free(a->sets);
        cn_free(a->present);
    }
}

static int cmp_setv_len(const void *a, const void *b) {
    size_t x = setv_len(*(const setv *)a), y = setv_len(*(const setv *)b);
    return (x > y) - (x < y);
}

enum { INTER_REPLY, INTER_CARD, INTER_STORE };

/* SINTER, SMEMBERS-like replies, SINTERCARD (limit 0: none) and SINTERSTORE
 * (result stored under argv[dst]). The keys are argv[first..first+n). */
static void sinter_generic(client *c, int first, int n, int mode, int dst, size_t limit) {
    set_args a;
    set_args_init(&a, n);
    if (!lookup_sets_or_reply(c, first, n, mode == INTER_STORE, a.sets, a.present)) goto done;
    bool empty = false;
    for (int j = 0; j < n; j++) empty |= !a.present[j];
    if (empty) {
        if (mode == INTER_STORE) store_result(c, dst, setv_new_intset(), "sinterstore");
        else if (mode == INTER_CARD) reply_int(c, 0);
        else reply_set(c, 0);
        goto done;
    }
    /* Walk the smallest; every other set is probed for each of its members. */
    qsort(a.sets, (size_t)n, sizeof(setv), cmp_setv_len);
    setv result = {0};
    if (mode == INTER_STORE) result = setv_new_intset();
    void *h = mode == INTER_REPLY ? reply_deferred(c) : NULL;
    size_t card = 0;
    set_iter it;
    set_iter_init(&it, a.sets[0]);
    for (member m; set_iter_next(&it, &m);) {
        int j = 1;
        for (; j < n; j++) {
            if (a.sets[j].ptr == a.sets[0].ptr) continue; /* the same key twice */
            if (!setv_has(a.sets[j], &m)) break;
        }
        if (j < n) continue;
        card++;
        if (mode == INTER_REPLY) reply_member(c, &m);
        else if (mode == INTER_STORE) setv_add(&result, &m);
        else if (limit && card >= limit) break;
    }
    set_iter_deinit(&it);
    if (mode == INTER_STORE) {
        store_result(c, dst, result, "sinterstore");
    } else {
        if (mode == INTER_CARD) reply_int(c, (long long)card);
        else reply_set_deferred(c, h, '~', (long)card);
    }
done:
    set_args_deinit(&a);
}

static void cmd_sinter(client *c) { sinter_generic(c, 1, c->argc - 1, INTER_REPLY, 0, 0); }
static void cmd_sinterstore(client *c) { sinter_generic(c, 2, c->argc - 2, INTER_STORE, 1, 0); }

static void cmd_sintercard(client *c) {
    long long numkeys, limit = 0;
    if (!arg_ll_range_or_reply(c, 1, 1, LLONG_MAX, &numkeys,
                               "ERR numkeys should be greater than 0")) {
        return;
    }
    if (numkeys > c->argc - 2) {
        reply_error(c, "ERR Number of keys can't be greater than number of args");
        return;
    }
    for (int j = 2 + (int)numkeys; j < c->argc; j++) {
        if (arg_is(c, j, "limit") && j + 1 < c->argc) {
            if (!arg_ll_range_or_reply(c, ++j, 0, LLONG_MAX, &limit, "ERR LIMIT can't be negative"))
                return;
        } else {
            reply_err_syntax(c);
            return;
        }
    }
    sinter_generic(c, 2, (int)numkeys, INTER_CARD, 0, (size_t)limit);
}

/* SUNION and SUNIONSTORE (store: the result goes under argv[1]). */
static void sunion_generic(client *c, int first, bool store) {
    int n = c->argc - first;
    set_args a;
    set_args_init(&a, n);
    if (!lookup_sets_or_reply(c, first, n, store, a.sets, a.present)) goto done;
    setv result = setv_new_intset();
    for (int j = 0; j < n; j++) {
        if (!a.present[j]) continue;
        set_iter it;
        set_iter_init(&it, a.sets[j]);
        for (member m; set_iter_next(&it, &m);) setv_add(&result, &m);
        set_iter_deinit(&it);
    }
    if (store) {
        store_result(c, 1, result, "sunionstore");
    } else {
        reply_setv(c, result);
        setv_free(result);
    }
done:
    set_args_deinit(&a);
}

static void cmd_sunion(client *c) { sunion_generic(c, 1, false); }
static void cmd_sunionstore(client *c) { sunion_generic(c, 2, true); }

/* SDIFF and SDIFFSTORE: the members of the first set in none of the others.
 * Walking the first set yields each member once, so SDIFF replies as it goes. */
static void sdiff_generic(client *c, int first, bool store) {
    int n = c->argc - first;
    set_args a;
    set_args_init(&a, n);
    if (!lookup_sets_or_reply(c, first, n, store, a.sets, a.present)) goto done;
    setv result = {0};
    if (store) result = setv_new_intset();
    void *h = store ? NULL : reply_deferred(c);
    size_t card = 0;
    bool same = false; /* the first key given again: nothing can be left */
    for (int j = 1; j < n && a.present[0]; j++) same |= a.present[j] && a.sets[j].ptr == a.sets[0].ptr;
    if (a.present[0] && !same) {
        set_iter it;
        set_iter_init(&it, a.sets[0]);
        for (member m; set_iter_next(&it, &m);) {
            int j = 1;
            for (; j < n; j++)
                if (a.present[j] && setv_has(a.sets[j], &m)) break;
            if (j < n) continue;
            card++;
            if (store) setv_add(&result, &m);
            else reply_member(c, &m);
        }
        set_iter_deinit(&it);
    }
    if (store) store_result(c, 1, result, "sdiffstore");
    else reply_set_deferred(c, h, '~', (long)card);
done:
    set_args_deinit(&a);
}

static void cmd_sdiff(client *c) { sdiff_generic(c, 1, false); }
static void cmd_sdiffstore(client *c) { sdiff_generic(c, 2, true); }

/* ---------------------------------------------------------------- SSCAN */

static void cmd_sscan(client *c) {
    /* Redis's order: the cursor, the key, then the options. */
    size_t cursor;
    if (!scan_cursor_or_reply(c, 2, &cursor)) return;
    obj *o;
    if (!set_lookup_or_reply(c, 1, false, &o)) return;
    if (!o) {
        reply_array(c, 2);
        scan_reply_cursor(c, 0);
        reply_array(c, 0);
        return;
    }
    scan_opts opt;
    if (!scan_opts_or_reply(c, 3, false, &opt)) return;
    setv v = setv_of(o);

    if (v.enc != OBJ_ENC_HASHTABLE) {
        /* Small: everything at once, whatever the cursor and COUNT. */
        reply_array(c, 2);
        scan_reply_cursor(c, 0);
        void *h = reply_deferred(c);
        long n = 0;
        set_iter it;
        set_iter_init(&it, v);
        for (member m; set_iter_next(&it, &m);) {
            size_t len;
            const char *s = member_str(&m, &len);
            if (opt.pat && !glob_match(opt.pat, opt.plen, s, len, false)) continue;
            reply_bulk(c, s, len);
            n++;
        }
        set_iter_deinit(&it);
        reply_set_deferred(c, h, '*', n);
        return;
    }

    /* As SCAN: buckets until COUNT members or 10*COUNT buckets. */
    ht *t = v.ptr;
    scan_batch b;
    scan_batch_init(&b);
    long long maxiter = opt.count > LLONG_MAX / 10 ? LLONG_MAX : opt.count * 10;
    do {
        cursor = ht_scan(t, cursor, scan_collect, &b);
    } while (cursor && maxiter-- && b.len < (unsigned long long)opt.count);

    size_t kept = 0;
    for (size_t i = 0; i < b.len; i++) {
        size_t len;
        const char *s = sentry_member(b.v[i], &len);
        if (opt.pat && !glob_match(opt.pat, opt.plen, s, len, false)) continue;
        b.v[kept++] = b.v[i];
    }
    reply_array(c, 2);
    scan_reply_cursor(c, cursor);
    reply_array(c, (long)kept);
    for (size_t i = 0; i < kept; i++) {
        size_t len;
        const char *s = sentry_member(b.v[i], &len);
        reply_bulk(c, s, len);
    }
    scan_batch_deinit(&b);
}

/* ---------------------------------------------------------------- the table */

command cmd_table_set[] = {
    {.name = "sadd", .proc = cmd_sadd, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_SET | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "set", .since = "1.0.0", .summary = "Add one or more members to a set",
     .complexity = "O(1) for each element added, so O(N) to add N elements when the command is "
                   "called with multiple arguments.",
     .history = "2.4.0 Accepts multiple `member` arguments.",
     .key_specs = "RW insert: index 1 range 0 1 0", .args = "key@0 member..."},
    {.name = "srem", .proc = cmd_srem, .arity = -3, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_SET | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "set", .since = "1.0.0", .summary = "Remove one or more members from a set",
     .complexity = "O(N) where N is the number of members to be removed.",
     .history = "2.4.0 Accepts multiple `member` arguments.",
     .key_specs = "RW delete: index 1 range 0 1 0", .args = "key@0 member..."},
    {.name = "smembers", .proc = cmd_smembers, .arity = 2, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SET | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "set", .since = "1.0.0", .summary = "Get all the members in a set",
     .complexity = "O(N) where N is the set cardinality.", .tips = "nondeterministic_output_order",
     .key_specs = "RO access: index 1 range 0 1 0", .args = "key@0"},
    {.name = "sismember", .proc = cmd_sismember, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_SET | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "set", .since = "1.0.0", .summary = "Determine if a given value is a member of a set",
     .complexity = "O(1)", .key_specs = "RO: index 1 range 0 1 0", .args = "key@0 member"},
    {.name = "smismember", .proc = cmd_smismember, .arity = -3, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_SET | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "set", .since = "6.2.0",
     .summary = "Returns the membership associated with the given elements for a set",
     .complexity = "O(N) where N is the number of elements being checked for membership",
     .key_specs = "RO access: index 1 range 0 1 0", .args = "key@0 member..."},
    {.name = "scard", .proc = cmd_scard, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_SET | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "set", .since = "1.0.0", .summary = "Get the number of members in a set",
     .complexity = "O(1)", .key_specs = "RO: index 1 range 0 1 0", .args = "key@0"},
    {.name = "spop", .proc = cmd_spop, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_SET | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "set", .since = "1.0.0",
     .summary = "Remove and return one or multiple random members from a set",
     .complexity = "Without the count argument O(1), otherwise O(N) where N is the value of the "
                   "passed count.",
     .history = "3.2.0 Added the `count` argument.", .tips = "nondeterministic_output",
     .key_specs = "RW access delete: index 1 range 0 1 0", .args = "key@0 [count:integer+3.2.0]"},
    {.name = "srandmember", .proc = cmd_srandmember, .arity = -2, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SET | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "set", .since = "1.0.0",
     .summary = "Get one or multiple random members from a set",
     .complexity = "Without the count argument O(1), otherwise O(N) where N is the absolute value "
                   "of the passed count.",
     .history = "2.6.0 Added the optional `count` argument.", .tips = "nondeterministic_output",
     .key_specs = "RO access: index 1 range 0 1 0", .args = "key@0 [count:integer+2.6.0]"},
    {.name = "smove", .proc = cmd_smove, .arity = 4, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_SET | ACL_FAST, .first_key = 1, .last_key = 2, .key_step = 1,
     .group = "set", .since = "1.0.0", .summary = "Move a member from one set to another",
     .complexity = "O(1)",
     .key_specs = "RW access delete: index 1 range 0 1 0; RW insert: index 2 range 0 1 0",
     .args = "source@0 destination@1 member"},
    {.name = "sinter", .proc = cmd_sinter, .arity = -2, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SET | ACL_SLOW, .first_key = 1, .last_key = -1, .key_step = 1,
     .group = "set", .since = "1.0.0", .summary = "Intersect multiple sets",
     .complexity = "O(N*M) worst case where N is the cardinality of the smallest set and M is the "
                   "number of sets.",
     .tips = "nondeterministic_output_order", .key_specs = "RO access: index 1 range -1 1 0",
     .args = "key@0..."},
    {.name = "sintercard", .proc = cmd_sintercard, .arity = -3,
     .flags = CMD_READONLY | CMD_MOVABLE_KEYS, .acl = ACL_READ | ACL_SET | ACL_SLOW,
     .group = "set", .since = "7.0.0",
     .summary = "Intersect multiple sets and return the cardinality of the result",
     .complexity = "O(N*M) worst case where N is the cardinality of the smallest set and M is the "
                   "number of sets.",
     .key_specs = "RO access: index 1 keynum 0 1 1",
     .args = "numkeys:integer key@0... [LIMIT limit:integer]"},
    {.name = "sinterstore", .proc = cmd_sinterstore, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM, .acl = ACL_WRITE | ACL_SET | ACL_SLOW, .first_key = 1,
     .last_key = -1, .key_step = 1, .group = "set", .since = "1.0.0",
     .summary = "Intersect multiple sets and store the resulting set in a key",
     .complexity = "O(N*M) worst case where N is the cardinality of the smallest set and M is the "
                   "number of sets.",
     .key_specs = "RW update: index 1 range 0 1 0; RO access: index 2 range -1 1 0",
     .args = "destination@0 key@1..."},
    {.name = "sunion", .proc = cmd_sunion, .arity = -2, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SET | ACL_SLOW, .first_key = 1, .last_key = -1, .key_step = 1,
     .group = "set", .since = "1.0.0", .summary = "Add multiple sets",
     .complexity = "O(N) where N is the total number of elements in all given sets.",
     .tips = "nondeterministic_output_order", .key_specs = "RO access: index 1 range -1 1 0",
     .args = "key@0..."},
    {.name = "sunionstore", .proc = cmd_sunionstore, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM, .acl = ACL_WRITE | ACL_SET | ACL_SLOW, .first_key = 1,
     .last_key = -1, .key_step = 1, .group = "set", .since = "1.0.0",
     .summary = "Add multiple sets and store the resulting set in a key",
     .complexity = "O(N) where N is the total number of elements in all given sets.",
     .key_specs = "OW update: index 1 range 0 1 0; RO access: index 2 range -1 1 0",
     .args = "destination@0 key@1..."},
    {.name = "sdiff", .proc = cmd_sdiff, .arity = -2, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SET | ACL_SLOW, .first_key = 1, .last_key = -1, .key_step = 1,
     .group = "set", .since = "1.0.0", .summary = "Subtract multiple sets",
     .complexity = "O(N) where N is the total number of elements in all given sets.",
     .tips = "nondeterministic_output_order", .key_specs = "RO access: index 1 range -1 1 0",
     .args = "key@0..."},
    {.name = "sdiffstore", .proc = cmd_sdiffstore, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM, .acl = ACL_WRITE | ACL_SET | ACL_SLOW, .first_key = 1,
     .last_key = -1, .key_step = 1, .group = "set", .since = "1.0.0",
     .summary = "Subtract multiple sets and store the resulting set in a key",
     .complexity = "O(N) where N is the total number of elements in all given sets.",
     .key_specs = "OW update: index 1 range 0 1 0; RO access: index 2 range -1 1 0",
     .args = "destination@0 key@1..."},
    {.name = "sscan", .proc = cmd_sscan, .arity = -3, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SET | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "set", .since = "2.8.0", .summary = "Incrementally iterate Set elements",
     .complexity = "O(1) for every call. O(N) for a complete iteration, including enough command "
                   "calls for the cursor to return back to 0. N is the number of elements inside "
                   "the collection..",
     .tips = "nondeterministic_output", .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 cursor:integer [MATCH pattern:pattern] [COUNT count:integer]"},
    {0}};

/* ---- persistence: walking and building values (elements.h) ---- */

/* An empty intset: the first set_load_add() makes it what SADD into a new key
 * would (setv_create), so it is never put in the keyspace empty. */
obj *set_load_new(const char *key, size_t klen, int64_t expire_ms) {
    return obj_new_value(key, klen, OBJ_SET, OBJ_ENC_INTSET, intset_new(), expire_ms);
}

/* As SADD of one member: a member given twice is kept once. */
void set_load_add(obj *o, const char *s, size_t len) {
    member m;
    member_str_init(&m, s, len);
    setv v = setv_of(o);
    if (setv_len(v) == 0) {
        setv_free(v);
        v = setv_create(&m, 1);
    }
    setv_add(&v, &m);
    setv_store(o, v);
}

/* An intset or listpack from a file: non-empty, a listpack without a member
 * twice, then the limits: an intset past set-max-intset-entries and a
 * listpack past either listpack limit become hashtables, as they would have
 * growing by SADD. */
bool set_load_fix(obj *o) {
    if (o->type != OBJ_SET) return false;
    setv v = setv_of(o);
    if (v.enc == OBJ_ENC_INTSET) {
        size_t n = intset_len(v.ptr);
        if (n == 0) return false;
        if (n > intset_max_entries()) setv_convert(&v, OBJ_ENC_HASHTABLE, n);
    } else if (v.enc == OBJ_ENC_LISTPACK) {
        lp *l = v.ptr;
        size_t n = lp_count(l);
        if (n == 0 || lp_has_duplicates(l, 1)) return false;
        bool convert = n > lp_max_entries() || lp_used(l) > SET_LP_SAFE_BYTES;
        for (unsigned char *p = lp_first(l); p && !convert; p = lp_next(l, p)) {
            char buf[LP_INTBUF];
            size_t len;
            lp_get_str(p, buf, &len);
            convert = len > lp_max_value();
        }
        if (convert) setv_convert(&v, OBJ_ENC_HASHTABLE, n);
    } else {
        return false;
    }
    setv_store(o, v);
    return true;
}
