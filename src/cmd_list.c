/* src/cmd_list.c: the list type: its two encodings, its value operations and
 * its (non-blocking) commands.
 *
 * LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX LSET LREM LTRIM
 * LINSERT LPOS LMOVE RPOPLPUSH LMPOP, and list_value_ops (free, copy, size),
 * through which object.c frees, copies (COPY, RENAME, MOVE) and sizes lists;
 * list_each() and list_from_elements() (elements.h) for SORT.
 *
 * Encodings, as OBJECT ENCODING names them (Redis 7.2's scheme; Redis 7.0
 * calls every list "quicklist"):
 *   listpack   one listpack (utils/listpack.h) while the list is within the
 *              limits of one quicklist node under list-max-listpack-size;
 *   quicklist  a quicklist (utils/quicklist.h) of such listpacks.
 * The limits are ql_fill_limits() of list-max-listpack-size: -1..-5 (default
 * -2) cap the encoded bytes at 4..64 KB; a positive n caps the entries at n
 * and the bytes at 8 KB; 0 allows one entry. A write that would break them
 * converts first: the check is Redis 7.2's estimate, encoded bytes + the added
 * elements' lengths, entries + added entries. A list shrinks back to a
 * listpack (after pops, LREM, LTRIM, LSET, LMOVE) when it is one quicklist
 * node within HALF the limits (Redis 7.2's rule: for a positive fill only the
 * entry count is halved, as in 7.2), so that a list near the limit does not
 * flip on every push and pop. A quicklist keeps the fill it was created with
 * for its nodes; the conversion checks read the current setting. There is no
 * empty list: the write that removes the last element deletes the key.
 *
 * Behaviour, reply shapes and error texts follow Redis 7.0 (checked against
 * redis-server 7.0.15): LPOP/RPOP with a count reply an array, an empty one for
 * count 0, and a null array for a missing key; LPOS RANK -9223372036854775808
 * acts as RANK -1 without a COUNT limit (7.0's overflow, kept); LREM with that
 * count removes every match; LINDEX on a missing key replies null before
 * looking at the index. Elements longer than LIST_MAX_ITEM_SIZE are refused
 * ("ERR Element too large", as Redis 6.2 did): a listpack entry holds at most
 * 4 GB, and Cairn has no plain nodes for bigger ones.
 *
 * For the blocking commands (BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP, added with
 * src/blocking.c) the serving steps are separate functions that take a key
 * known to hold a non-empty list: list_pop_serve(), list_move_serve() and
 * list_mpop_serve().
 *
 * Every keyspace change goes through db.h: a new list is built complete and
 * added with db_set(); an existing one is changed in place (a listpack that
 * moved is stored back with obj_set_ptr(): the object itself does not move)
 * and reported with db_touch_write(), or removed with db_delete() once empty.
 * Each change is then reported (notify.h) with Redis 7.0.15's event: "lpush",
 * "rpush", "linsert", "lset", "lpop", "rpop" (also for the blocking commands,
 * served at once or later), "lrem" and "ltrim" (even when nothing was
 * trimmed), then "del" if the list emptied. LMOVE and its kin report the
 * destination's push before the source's pop, as Redis does.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "../utils/alloc.h"
#include "../utils/listpack.h"
#include "../utils/num.h"
#include "../utils/quicklist.h"
#include "elements.h"
#include "notify.h"
#include "persist.h"
#include "server.h"

/* The longest element a list takes (Redis's LIST_MAX_ITEM_SIZE). */
#define LIST_MAX_ITEM_SIZE ((1ull << 32) - 1024)

enum { LIST_HEAD = QL_HEAD, LIST_TAIL = QL_TAIL };

/* ---------------------------------------------------------------- values */

static inline bool is_lp(const obj *o) { return o->encoding == OBJ_ENC_LISTPACK; }

static size_t list_len(const obj *o) {
    return is_lp(o) ? lp_count(obj_ptr(o)) : ql_count(obj_ptr(o));
}

static void list_value_free(int encoding, void *ptr) {
    if (encoding == OBJ_ENC_LISTPACK)
        lp_free(ptr);
    else
        ql_destroy(ptr);
}

static void *list_value_dup(int encoding, const void *ptr) {
    if (encoding == OBJ_ENC_LISTPACK) return lp_dup(ptr);
    return ql_dup(ptr);
}

static size_t list_value_mem(int encoding, const void *ptr, size_t samples) {
    if (encoding == OBJ_ENC_LISTPACK) return lp_bytes(ptr);
    return ql_mem_usage(ptr, samples);
}

static size_t list_value_free_effort(int encoding, const void *ptr) {
    return encoding == OBJ_ENC_LISTPACK ? 1 : ((const quicklist *)ptr)->nodes;
}

const obj_value_ops list_value_ops = {
    .free = list_value_free,
    .dup = list_value_dup,
    .mem_usage = list_value_mem,
    .free_effort = list_value_free_effort,
};

/* A new, empty list object (listpack) for key; not in the keyspace yet. */
static obj *list_create(const char *key, size_t klen) {
    return obj_new_value(key, klen, OBJ_LIST, OBJ_ENC_LISTPACK, lp_new(), OBJ_NO_EXPIRE);
}

/* ---------------------------------------------------------------- conversions */

/* Before adding count elements of add_bytes bytes in all to o: a listpack
 * that would pass the limits becomes a quicklist. */
static void list_grow_check(obj *o, size_t add_bytes, size_t add_count) {
    if (!is_lp(o)) return;
    lp *l = obj_ptr(o);
    size_t max_bytes, max_count;
    ql_fill_limits(server.list_max_listpack_size, &max_bytes, &max_count);
    if (lp_used(l) + add_bytes <= max_bytes && lp_count(l) + add_count <= max_count) return;
    quicklist *q = ql_create(server.list_max_listpack_size);
    ql_append_lp(q, l); /* frees it if empty */
    obj_set_ptr(o, q);
    o->encoding = OBJ_ENC_QUICKLIST;
}

/* list_grow_check for adding the arguments argv[first..last]. */
static void list_grow_check_args(obj *o, const client *c, int first, int last) {
    size_t add_bytes = 0;
    for (int j = first; j <= last; j++) add_bytes += c->argvlen[j];
    list_grow_check(o, add_bytes, (size_t)(last - first + 1));
}

/* After removing from o (not empty): a quicklist of one node within half the
 * limits becomes a listpack again. */
static void list_shrink_check(obj *o) {
    if (is_lp(o)) return;
    quicklist *q = obj_ptr(o);
    if (q->nodes != 1) return;
    size_t max_bytes, max_count;
    int fill = server.list_max_listpack_size;
    ql_fill_limits(fill, &max_bytes, &max_count);
    if (fill >= 0) max_bytes = SIZE_MAX; /* 7.2: a positive fill halves the count only */
    if (q->head->bytes > max_bytes / 2 || q->count > max_count / 2) return;
    obj_set_ptr(o, ql_take_single_lp(q));
    o->encoding = OBJ_ENC_LISTPACK;
}

/* ---------------------------------------------------------------- access */

static void list_push(obj *o, int where, const char *s, size_t len) {
    if (is_lp(o)) {
        lp *l = obj_ptr(o);
        obj_set_ptr(o, where == LIST_HEAD ? lp_prepend(l, s, len) : lp_append(l, s, len));
    } else {
        ql_push(obj_ptr(o), where, s, len);
    }
}

/* Reads the head or tail element (borrowed until o changes); false if empty. */
static bool list_peek(obj *o, int where, lp_value *v) {
    if (!is_lp(o)) return ql_peek(obj_ptr(o), where, v);
    lp *l = obj_ptr(o);
    unsigned char *p = where == LIST_HEAD ? lp_first(l) : lp_last(l);
    if (!p) return false;
    lp_get(p, v);
    return true;
}

static void list_pop(obj *o, int where) {
    if (is_lp(o))
        obj_set_ptr(o, lp_delete_range(obj_ptr(o), where == LIST_HEAD ? 0 : -1, 1));
    else
        ql_pop(obj_ptr(o), where);
}

static bool list_index(obj *o, long index, lp_value *v) {
    if (!is_lp(o)) return ql_index(obj_ptr(o), index, v);
    unsigned char *p = lp_seek(obj_ptr(o), index);
    if (!p) return false;
    lp_get(p, v);
    return true;
}

static bool list_replace(obj *o, long index, const char *s, size_t len) {
    if (!is_lp(o)) return ql_replace(obj_ptr(o), index, s, len);
    lp *l = obj_ptr(o);
    unsigned char *p = lp_seek(l, index);
    if (!p) return false;
    obj_set_ptr(o, lp_replace(l, &p, s, len));
    return true;
}

/* Deletes count elements from index start (0 <= start < length). */
static void list_delete_range(obj *o, long start, size_t count) {
    if (count == 0) return;
    if (is_lp(o))
        obj_set_ptr(o, lp_delete_range(obj_ptr(o), start, count));
    else
        ql_delete_range(obj_ptr(o), start, count);
}

/* A walk over either encoding, with deletion (see ql_iter). */
typedef struct list_iter {
    obj *o;
    bool forward, pending;
    unsigned char *p; /* listpack: the current entry */
    ql_iter qi;
} list_iter;

static void list_iter_init(list_iter *it, obj *o, long index, bool forward) {
    it->o = o;
    it->forward = forward;
    if (is_lp(o)) {
        it->p = lp_seek(obj_ptr(o), index);
        it->pending = true;
    } else {
        ql_iter_init(&it->qi, obj_ptr(o), index, forward);
    }
}

static bool list_iter_next(list_iter *it, lp_value *v) {
    if (!is_lp(it->o)) return ql_iter_next(&it->qi, v);
    if (it->pending)
        it->pending = false;
    else if (it->p)
        it->p = it->forward ? lp_next(obj_ptr(it->o), it->p) : lp_prev(obj_ptr(it->o), it->p);
    if (!it->p) return false;
    lp_get(it->p, v);
    return true;
}

/* Deletes the element last returned; the walk goes on. */
static void list_iter_delete(list_iter *it) {
    if (!is_lp(it->o)) {
        ql_iter_delete(&it->qi);
        return;
    }
    unsigned char *p = it->p;
    lp *l = lp_delete(obj_ptr(it->o), &p); /* p: the entry that followed */
    obj_set_ptr(it->o, l);
    if (it->forward)
        it->p = p;
    else
        it->p = p ? lp_prev(l, p) : lp_last(l);
    it->pending = true;
}

/* Inserts next to the element last returned; the walk is over. */
static void list_iter_insert(list_iter *it, bool after, const char *s, size_t len) {
    if (!is_lp(it->o)) {
        ql_iter_insert(&it->qi, after, s, len);
        return;
    }
    obj_set_ptr(it->o, lp_insert(obj_ptr(it->o), it->p, after, s, len, NULL));
    it->p = NULL;
}

/* An argument to compare elements with: canonical integers match integer
 * entries (the listpack stores them so), anything else matches strings. */
typedef struct needle {
    const char *s;
    size_t len;
    bool is_int;
    long long ll;
} needle;

static void needle_init(needle *n, const char *s, size_t len) {
    n->s = s;
    n->len = len;
    n->is_int = num_parse_ll(s, len, &n->ll);
}

static inline bool needle_eq(const needle *n, const lp_value *v) {
    if (v->str) return v->len == n->len && memcmp(v->str, n->s, n->len) == 0;
    return n->is_int && v->ll == n->ll;
}

static inline void reply_value(client *c, const lp_value *v) {
    if (v->str)
        reply_bulk(c, v->str, v->len);
    else
        reply_bulk_ll(c, v->ll);
}

/* ---------------------------------------------------------------- for other modules (elements.h) */

void list_each(obj *o, elem_fn *fn, void *ud) {
    list_iter it;
    lp_value v;
    char buf[LP_INTBUF];
    list_iter_init(&it, o, 0, true);
    while (list_iter_next(&it, &v)) {
        if (v.str) fn(ud, v.str, v.len);
        else fn(ud, buf, num_fmt_ll(buf, v.ll));
    }
}

obj *list_from_elements(const char *key, size_t klen, size_t n, const char *const *s,
                        const size_t *len) {
    obj *o = list_create(key, klen);
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) bytes += len[i];
    list_grow_check(o, bytes, n);
    for (size_t i = 0; i < n; i++) list_push(o, LIST_TAIL, s[i], len[i]);
    return o;
}

/* ---------------------------------------------------------------- argument helpers */

/* The list at argv[i] for a write, or NULL if missing; *wrong set (and
 * WRONGTYPE replied) for another type. */
static obj *lookup_list_write(client *c, int i, bool *wrong) {
    obj *o = db_lookup_write(c->db, c->argv[i], c->argvlen[i]);
    *wrong = o && o->type != OBJ_LIST;
    if (*wrong) reply_err_wrongtype(c);
    return *wrong ? NULL : o;
}

/* A source key of a pop: as lookup_list_write, except that a blocked client's
 * re-run passes over a key of another type and keeps waiting, as Redis 7.0
 * does (only the first run replies WRONGTYPE). */
static obj *lookup_list_source(client *c, int i, bool *wrong) {
    if (!client_is_blocked(c)) return lookup_list_write(c, i, wrong);
    obj *o = db_lookup_write(c->db, c->argv[i], c->argvlen[i]);
    *wrong = false;
    return o && o->type == OBJ_LIST ? o : NULL;
}

/* Redis's getLongFromObjectOrReply: an integer argument (long). */
static bool arg_long_or_reply(client *c, int i, long *out) {
    long long v;
    if (!arg_ll_or_reply(c, i, &v)) return false;
    *out = (long)v;
    return true;
}

/* LEFT or RIGHT (any case); else ERR syntax error. */
static bool where_arg_or_reply(client *c, int i, int *where) {
    if (arg_is(c, i, "left"))
        *where = LIST_HEAD;
    else if (arg_is(c, i, "right"))
        *where = LIST_TAIL;
    else {
        reply_err_syntax(c);
        return false;
    }
    return true;
}

static bool check_item_sizes_or_reply(client *c, int first, int last) {
    for (int j = first; j <= last; j++) {
        if (c->argvlen[j] > LIST_MAX_ITEM_SIZE) {
            reply_error(c, "ERR Element too large");
            return false;
        }
    }
    return true;
}

/* The events of a push and of a pop at where. */
static const char *push_event(int where) { return where == LIST_HEAD ? "lpush" : "rpush"; }
static const char *pop_event(int where) { return where == LIST_HEAD ? "lpop" : "rpop"; }

/* After elements were removed from o (under key) by the command whose event is
 * event: reports it, then deletes the key ("del") if the list is empty, else
 * shrinks the encoding if it may and reports the change. */
static void list_removed(client *c, obj *o, const char *key, size_t klen, const char *event) {
    notify_keyspace_event(NOTIFY_LIST, event, c->db, key, klen);
    if (list_len(o) == 0) {
        db_delete(c->db, key, klen);
        notify_keyspace_event(NOTIFY_GENERIC, "del", c->db, key, klen);
    } else {
        list_shrink_check(o);
        db_touch_write(c->db, o);
    }
}

/* ---------------------------------------------------------------- push */

static void push_generic(client *c, int where, bool xx) {
    if (!check_item_sizes_or_reply(c, 2, c->argc - 1)) return;
    bool wrong;
    obj *o = lookup_list_write(c, 1, &wrong);
    if (wrong) return;
    bool created = false;
    if (!o) {
        if (xx) {
            reply_int(c, 0);
            return;
        }
        o = list_create(c->argv[1], c->argvlen[1]);
        created = true;
    }
    list_grow_check_args(o, c, 2, c->argc - 1);
    for (int j = 2; j < c->argc; j++) list_push(o, where, c->argv[j], c->argvlen[j]);
    long long len = (long long)list_len(o);
    if (created)
        db_set(c->db, o);
    else
        db_touch_write(c->db, o);
    notify_keyspace_event(NOTIFY_LIST, push_event(where), c->db, c->argv[1], c->argvlen[1]);
    reply_int(c, len);
}

static void cmd_lpush(client *c) { push_generic(c, LIST_HEAD, false); }
static void cmd_rpush(client *c) { push_generic(c, LIST_TAIL, false); }
static void cmd_lpushx(client *c) { push_generic(c, LIST_HEAD, true); }
static void cmd_rpushx(client *c) { push_generic(c, LIST_TAIL, true); }

/* ---------------------------------------------------------------- pop (and serving) */

/* Reply shapes of a pop. */
enum {
    POP_REPLY_ONE,       /* the element (LPOP without count) */
    POP_REPLY_ARRAY,     /* [elements] (LPOP with count) */
    POP_REPLY_KEY_ONE,   /* [key, element] (BLPOP) */
    POP_REPLY_KEY_ARRAY, /* [key, [elements]] (LMPOP, BLMPOP) */
};

/* Pops up to count elements (count >= 1; 1 for the single shapes) from the
 * non-empty list o under key at where, replies them in the given shape, and
 * deletes the key if the list empties. The serving step of a pop, blocking
 * or not. */
static void list_pop_serve(client *c, obj *o, const char *key, size_t klen, int where, long count,
                           int shape) {
    size_t len = list_len(o);
    size_t n = (size_t)count < len ? (size_t)count : len;
    if (shape == POP_REPLY_KEY_ONE || shape == POP_REPLY_KEY_ARRAY) {
        reply_array(c, 2);
        reply_bulk(c, key, klen);
    }
    if (shape == POP_REPLY_ARRAY || shape == POP_REPLY_KEY_ARRAY) reply_array(c, (long)n);
    for (size_t i = 0; i < n; i++) {
        lp_value v;
        list_peek(o, where, &v);
        reply_value(c, &v);
        list_pop(o, where);
    }
    list_removed(c, o, key, klen, pop_event(where));
}

static void pop_generic(client *c, int where) {
    bool hascount = c->argc == 3;
    long long count = 1;
    if (c->argc > 3) {
        reply_err_arity(c);
        return;
    }
    if (hascount && !arg_ll_range_or_reply(c, 2, 0, LONG_MAX, &count,
                                           "ERR value is out of range, must be positive"))
        return;
    bool wrong;
    obj *o = lookup_list_write(c, 1, &wrong);
    if (wrong) return;
    if (!o) {
        if (hascount)
            reply_null_array(c);
        else
            reply_null(c);
        return;
    }
    if (hascount && count == 0) {
        reply_array(c, 0);
        return;
    }
    list_pop_serve(c, o, c->argv[1], c->argvlen[1], where, (long)count,
                   hascount ? POP_REPLY_ARRAY : POP_REPLY_ONE);
}

static void cmd_lpop(client *c) { pop_generic(c, LIST_HEAD); }
static void cmd_rpop(client *c) { pop_generic(c, LIST_TAIL); }

/* What the AOF gets for a pop whose own argv would not replay the same (a blocking
 * one, or one that chose among keys), as Redis 7.0.15 logs it: LPOP|RPOP key, and
 * with n >= 0 (LMPOP, BLMPOP) LPOP|RPOP key n, n the number actually popped. */
static void propagate_pop(client *c, int where, const char *key, size_t klen, long long n) {
    char nbuf[NUM_LL_MAX_CHARS];
    size_t nlen = n >= 0 ? num_fmt_ll(nbuf, n) : 0;
    const char *argv[] = {where == LIST_HEAD ? "LPOP" : "RPOP", key, nbuf};
    const size_t lens[] = {4, klen, nlen};
    propagate_instead(c, n >= 0 ? 3 : 2, argv, lens);
}

/* LMPOP and BLMPOP: pops from the first non-empty list among keys
 * argv[first .. first+nkeys-1] and replies [key, [elements]]. Returns false,
 * replying nothing, when every key is missing; a key of another type replies
 * WRONGTYPE (and returns true). */
static bool list_mpop_serve(client *c, int first, int nkeys, int where, long count) {
    for (int j = first; j < first + nkeys; j++) {
        bool wrong;
        obj *o = lookup_list_source(c, j, &wrong);
        if (wrong) return true;
        if (!o) continue;
        size_t len = list_len(o);
        long long n = (size_t)count < len ? count : (long long)len;
        list_pop_serve(c, o, c->argv[j], c->argvlen[j], where, count, POP_REPLY_KEY_ARRAY);
        propagate_pop(c, where, c->argv[j], c->argvlen[j], n);
        return true;
    }
    return false;
}

/* Parses LMPOP's arguments from argv[numkeys_idx]: numkeys, the keys, LEFT|RIGHT
 * and [COUNT count] (count 1 if not given). */
static bool mpop_args_or_reply(client *c, int numkeys_idx, int *nkeys, int *where, long *count) {
    int which;
    long long cnt;
    if (!arg_mpop_or_reply(c, numkeys_idx, "left", "right", nkeys, &which, &cnt)) return false;
    *where = which ? LIST_TAIL : LIST_HEAD;
    *count = (long)cnt;
    return true;
}

static void cmd_lmpop(client *c) {
    int nkeys, where;
    long count;
    if (!mpop_args_or_reply(c, 1, &nkeys, &where, &count)) return;
    if (!list_mpop_serve(c, 2, nkeys, where, count)) reply_null_array(c);
}

/* ---------------------------------------------------------------- move */

/* Moves one element from the non-empty list src (under skey) at wherefrom to
 * the list at dkey at whereto (dst: that list, NULL if the key is missing;
 * the caller has checked its type), and replies the element. The source key
 * goes if it empties; src and dst may be the same list. The serving step of
 * LMOVE, RPOPLPUSH, BLMOVE and BRPOPLPUSH. */
static void list_move_serve(client *c, obj *src, const char *skey, size_t sklen, int wherefrom,
                            obj *dst, const char *dkey, size_t dklen, int whereto) {
    lp_value v;
    list_peek(src, wherefrom, &v);
    /* The value's bytes: integers as text; a string is copied only when it
     * moves within one list (the push could move the block it lies in). */
    char ibuf[LP_INTBUF];
    char *copy = NULL;
    const char *s;
    size_t len;
    if (!v.str) {
        len = num_fmt_ll(ibuf, v.ll);
        s = ibuf;
    } else if (src == dst) {
        copy = cn_malloc(v.len + 1);
        memcpy(copy, v.str, v.len);
        s = copy;
        len = v.len;
    } else {
        s = v.str;
        len = v.len;
    }
    if (src == dst) list_pop(src, wherefrom);

    /* Push (as Redis's lmoveHandlePush), reply, then pop; the events come in
     * that order too, the destination's push before the source's pop. */
    bool created = false;
    if (!dst) {
        dst = list_create(dkey, dklen);
        created = true;
    }
    list_grow_check(dst, len, 1);
    list_push(dst, whereto, s, len);
    reply_bulk(c, s, len);
    if (created)
        db_set(c->db, dst);
    else if (dst != src)
        db_touch_write(c->db, dst);
    notify_keyspace_event(NOTIFY_LIST, push_event(whereto), c->db, dkey, dklen);

    if (src != dst) list_pop(src, wherefrom);
    cn_free(copy);
    list_removed(c, src, skey, sklen, pop_event(wherefrom));
}

/* LMOVE and RPOPLPUSH once the directions are known. */
static void move_generic(client *c, int wherefrom, int whereto) {
    bool wrong;
    obj *src = lookup_list_write(c, 1, &wrong);
    if (wrong) return;
    if (!src) {
        reply_null(c);
        return;
    }
    obj *dst = lookup_list_write(c, 2, &wrong);
    if (wrong) return;
    list_move_serve(c, src, c->argv[1], c->argvlen[1], wherefrom, dst, c->argv[2], c->argvlen[2],
                    whereto);
}

static void cmd_lmove(client *c) {
    int from, to;
    if (!where_arg_or_reply(c, 3, &from) || !where_arg_or_reply(c, 4, &to)) return;
    move_generic(c, from, to);
}

static void cmd_rpoplpush(client *c) { move_generic(c, LIST_TAIL, LIST_HEAD); }

/* ---------------------------------------------------------------- blocking
 * Each blocking command tries to serve at once; with nothing to serve it blocks
 * (blocking.h), and blocking.c runs it again when a key it waits on is written.
 * The serving steps are the non-blocking commands' own. */

/* BLPOP/BRPOP key [key ...] timeout */
static void blocking_pop(client *c, int where) {
    int64_t deadline;
    if (!timeout_arg_or_reply(c, c->argc - 1, &deadline)) return;
    for (int j = 1; j < c->argc - 1; j++) {
        bool wrong;
        obj *o = lookup_list_source(c, j, &wrong);
        if (wrong) return;
        if (!o) continue;
        list_pop_serve(c, o, c->argv[j], c->argvlen[j], where, 1, POP_REPLY_KEY_ONE);
        propagate_pop(c, where, c->argv[j], c->argvlen[j], -1);
        return;
    }
    block_on_keys(c, 1, c->argc - 2, 1, deadline);
}

static void cmd_blpop(client *c) { blocking_pop(c, LIST_HEAD); }
static void cmd_brpop(client *c) { blocking_pop(c, LIST_TAIL); }

/* BLMOVE/BRPOPLPUSH: timeout at argv[timeout_idx]. */
static void blocking_move(client *c, int wherefrom, int whereto, int timeout_idx) {
    int64_t deadline;
    if (!timeout_arg_or_reply(c, timeout_idx, &deadline)) return;
    bool wrong;
    obj *src = lookup_list_source(c, 1, &wrong);
    if (wrong) return;
    if (!src) {
        /* In a transaction (no blocking) the answer is a null bulk, as Redis gives it,
         * though a real timeout is a null array. */
        if (c->flags & CLIENT_DENY_BLOCKING) reply_null(c);
        else block_on_keys(c, 1, 1, 1, deadline);
        return;
    }
    obj *dst = lookup_list_write(c, 2, &wrong);
    if (wrong) return;
    list_move_serve(c, src, c->argv[1], c->argvlen[1], wherefrom, dst, c->argv[2], c->argvlen[2],
                    whereto);
    /* Logged without the timeout, as Redis 7.0.15 does: RPOPLPUSH src dst, or LMOVE
     * src dst from to, with BLMOVE's direction words as given when it is served at
     * once and as "left"/"right" when served after blocking. */
    if (timeout_idx == 3) {
        const char *argv[] = {"RPOPLPUSH", c->argv[1], c->argv[2]};
        const size_t lens[] = {9, c->argvlen[1], c->argvlen[2]};
        propagate_instead(c, 3, argv, lens);
        return;
    }
    const char *argv[] = {"LMOVE", c->argv[1], c->argv[2], c->argv[3], c->argv[4]};
    size_t lens[] = {5, c->argvlen[1], c->argvlen[2], c->argvlen[3], c->argvlen[4]};
    if (client_is_blocked(c)) {
        argv[3] = wherefrom == LIST_HEAD ? "left" : "right";
        argv[4] = whereto == LIST_HEAD ? "left" : "right";
        lens[3] = strlen(argv[3]);
        lens[4] = strlen(argv[4]);
    }
    propagate_instead(c, 5, argv, lens);
}

static void cmd_blmove(client *c) {
    int from, to;
    if (!where_arg_or_reply(c, 3, &from) || !where_arg_or_reply(c, 4, &to)) return;
    blocking_move(c, from, to, 5);
}

static void cmd_brpoplpush(client *c) { blocking_move(c, LIST_TAIL, LIST_HEAD, 3); }

/* BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]. The timeout is
 * checked last, as Redis does: "BLMPOP -1 0 k LEFT" is a numkeys error. */
static void cmd_blmpop(client *c) {
    int64_t deadline;
    int nkeys, where;
    long count;
    if (!mpop_args_or_reply(c, 2, &nkeys, &where, &count)) return;
    if (!timeout_arg_or_reply(c, 1, &deadline)) return;
    if (!list_mpop_serve(c, 3, nkeys, where, count)) block_on_keys(c, 3, 2 + nkeys, 1, deadline);
}

/* ---------------------------------------------------------------- reading */

static void cmd_llen(client *c) {
    obj *o = db_lookup_read(c->db, c->argv[1], c->argvlen[1]);
    if (!o)
        reply_int(c, 0);
    else if (o->type != OBJ_LIST)
        reply_err_wrongtype(c);
    else
        reply_int(c, (long long)list_len(o));
}

/* Redis's range rule (LRANGE, LTRIM): negative indexes count from the end,
 * start clamps to 0, end to the last; false if the range is empty. */
static bool list_range(long llen, long *start, long *end) {
    if (*start < 0) *start += llen;
    if (*end < 0) *end += llen;
    if (*start < 0) *start = 0;
    if (*start > *end || *start >= llen) return false;
    if (*end >= llen) *end = llen - 1;
    return true;
}

static void cmd_lrange(client *c) {
    long start, end;
    if (!arg_long_or_reply(c, 2, &start) || !arg_long_or_reply(c, 3, &end)) return;
    obj *o = db_lookup_read(c->db, c->argv[1], c->argvlen[1]);
    if (!o) {
        reply_array(c, 0);
        return;
    }
    if (o->type != OBJ_LIST) {
        reply_err_wrongtype(c);
        return;
    }
    if (!list_range((long)list_len(o), &start, &end)) {
        reply_array(c, 0);
        return;
    }
    long n = end - start + 1;
    reply_array(c, n);
    list_iter it;
    lp_value v;
    list_iter_init(&it, o, start, true);
    for (long i = 0; i < n && list_iter_next(&it, &v); i++) reply_value(c, &v);
}

static void cmd_lindex(client *c) {
    obj *o = db_lookup_read(c->db, c->argv[1], c->argvlen[1]);
    if (!o) {
        reply_null(c);
        return;
    }
    if (o->type != OBJ_LIST) {
        reply_err_wrongtype(c);
        return;
    }
    long index;
    if (!arg_long_or_reply(c, 2, &index)) return;
    lp_value v;
    if (list_index(o, index, &v))
        reply_value(c, &v);
    else
        reply_null(c);
}

static void cmd_lpos(client *c) {
    long long rank = 1, count = -1, maxlen = 0;
    bool rank_min = false; /* RANK LLONG_MIN: see the top of the file */
    for (int j = 3; j < c->argc; j++) {
        bool more = j + 1 < c->argc;
        if (arg_is(c, j, "rank") && more) {
            if (!arg_ll_or_reply(c, ++j, &rank)) return;
            if (rank == 0) {
                reply_error(c,
                            "ERR RANK can't be zero: use 1 to start from the first match, 2 from "
                            "the second ... or use negative to start from the end of the list");
                return;
            }
        } else if (arg_is(c, j, "count") && more) {
            if (!arg_ll_range_or_reply(c, ++j, 0, LONG_MAX, &count, "ERR COUNT can't be negative"))
                return;
        } else if (arg_is(c, j, "maxlen") && more) {
            if (!arg_ll_range_or_reply(c, ++j, 0, LONG_MAX, &maxlen,
                                       "ERR MAXLEN can't be negative"))
                return;
        } else {
            reply_err_syntax(c);
            return;
        }
    }
    bool forward = true;
    if (rank == LLONG_MIN) {
        rank_min = true;
        rank = 1;
        forward = false;
    } else if (rank < 0) {
        rank = -rank;
        forward = false;
    }

    obj *o = db_lookup_read(c->db, c->argv[1], c->argvlen[1]);
    if (!o) {
        if (count != -1)
            reply_array(c, 0);
        else
            reply_null(c);
        return;
    }
    if (o->type != OBJ_LIST) {
        reply_err_wrongtype(c);
        return;
    }

    needle nd;
    needle_init(&nd, c->argv[2], c->argvlen[2]);
    void *deferred = count != -1 ? reply_deferred(c) : NULL;
    long long llen = (long long)list_len(o), index = 0, matches = 0, found = -1, replied = 0;
    list_iter it;
    lp_value v;
    list_iter_init(&it, o, forward ? 0 : -1, forward);
    while ((maxlen == 0 || index < maxlen) && list_iter_next(&it, &v)) {
        if (needle_eq(&nd, &v)) {
            matches++;
            if (matches >= rank) {
                long long pos = forward ? index : llen - index - 1;
                if (!deferred) {
                    found = pos;
                    break;
                }
                reply_int(c, pos);
                replied++;
                if (count && !rank_min && matches - rank + 1 >= count) break;
            }
        }
        index++;
    }
    if (deferred)
        reply_set_deferred(c, deferred, '*', (long)replied);
    else if (found >= 0)
        reply_int(c, found);
    else
        reply_null(c);
}

/* ---------------------------------------------------------------- changing */

static void cmd_lset(client *c) {
    if (!check_item_sizes_or_reply(c, 3, 3)) return;
    bool wrong;
    obj *o = lookup_list_write(c, 1, &wrong);
    if (wrong) return;
    if (!o) {
        reply_error(c, "ERR no such key");
        return;
    }
    long index;
    if (!arg_long_or_reply(c, 2, &index)) return;
    list_grow_check_args(o, c, 3, 3);
    if (!list_replace(o, index, c->argv[3], c->argvlen[3])) {
        reply_error(c, "ERR index out of range");
        return;
    }
    list_shrink_check(o); /* a big element may have been replaced by a small one */
    db_touch_write(c->db, o);
    notify_keyspace_event(NOTIFY_LIST, "lset", c->db, c->argv[1], c->argvlen[1]);
    reply_ok(c);
}

static void cmd_lrem(client *c) {
    long long toremove;
    if (!arg_ll_or_reply(c, 2, &toremove)) return;
    bool wrong;
    obj *o = lookup_list_write(c, 1, &wrong);
    if (wrong) return;
    if (!o) {
        reply_int(c, 0);
        return;
    }
    bool forward = toremove >= 0;
    /* LLONG_MIN: no limit, as 7.0 (whose negation overflows) behaves. */
    unsigned long long limit =
        toremove == LLONG_MIN ? 0 : (unsigned long long)(forward ? toremove : -toremove);
    needle nd;
    needle_init(&nd, c->argv[3], c->argvlen[3]);
    list_iter it;
    lp_value v;
    unsigned long long removed = 0;
    list_iter_init(&it, o, forward ? 0 : -1, forward);
    while (list_iter_next(&it, &v)) {
        if (!needle_eq(&nd, &v)) continue;
        list_iter_delete(&it);
        if (++removed == limit) break;
    }
    if (removed) list_removed(c, o, c->argv[1], c->argvlen[1], "lrem");
    reply_int(c, (long long)removed);
}

static void cmd_ltrim(client *c) {
    long start, end;
    if (!arg_long_or_reply(c, 2, &start) || !arg_long_or_reply(c, 3, &end)) return;
    bool wrong;
    obj *o = lookup_list_write(c, 1, &wrong);
    if (wrong) return;
    if (!o) {
        reply_ok(c);
        return;
    }
    long llen = (long)list_len(o);
    long ltrim, rtrim;
    if (!list_range(llen, &start, &end)) {
        ltrim = llen;
        rtrim = 0;
    } else {
        ltrim = start;
        rtrim = llen - end - 1;
    }
    /* The tail first, so that the head's indexes stay put. */
    if (rtrim) list_delete_range(o, llen - rtrim, (size_t)rtrim);
    if (ltrim) list_delete_range(o, 0, (size_t)ltrim);
    /* "ltrim" even when nothing was trimmed, as Redis reports it. */
    list_removed(c, o, c->argv[1], c->argvlen[1], "ltrim");
    reply_ok(c);
}

static void cmd_linsert(client *c) {
    bool after;
    if (arg_is(c, 2, "after"))
        after = true;
    else if (arg_is(c, 2, "before"))
        after = false;
    else {
        reply_err_syntax(c);
        return;
    }
    if (!check_item_sizes_or_reply(c, 4, 4)) return;
    bool wrong;
    obj *o = lookup_list_write(c, 1, &wrong);
    if (wrong) return;
    if (!o) {
        reply_int(c, 0);
        return;
    }
    /* As Redis 7.2: convert before the search (not inside the walk), even if
     * the pivot then is not found. */
    list_grow_check_args(o, c, 4, 4);
    needle nd;
    needle_init(&nd, c->argv[3], c->argvlen[3]);
    list_iter it;
    lp_value v;
    bool inserted = false;
    list_iter_init(&it, o, 0, true);
    while (list_iter_next(&it, &v)) {
        if (needle_eq(&nd, &v)) {
            list_iter_insert(&it, after, c->argv[4], c->argvlen[4]);
            inserted = true;
            break;
        }
    }
    if (!inserted) {
        reply_int(c, -1);
        return;
    }
    db_touch_write(c->db, o);
    notify_keyspace_event(NOTIFY_LIST, "linsert", c->db, c->argv[1], c->argvlen[1]);
    reply_int(c, (long long)list_len(o));
}

/* ---------------------------------------------------------------- table */

#define PUSH_COMPLEXITY                                                                            \
    "O(1) for each element added, so O(N) to add N elements when the command is called with "      \
    "multiple arguments."

/* clang-format off */
command cmd_table_list[] = {
    {.name = "lpush", .proc = cmd_lpush, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_LIST | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "list", .since = "1.0.0", .summary = "Prepend one or multiple elements to a list",
     .complexity = PUSH_COMPLEXITY, .history = "2.4.0 Accepts multiple `element` arguments.",
     .key_specs = "RW insert: index 1 range 0 1 0", .args = "key@0 element..."},
    {.name = "rpush", .proc = cmd_rpush, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_LIST | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "list", .since = "1.0.0", .summary = "Append one or multiple elements to a list",
     .complexity = PUSH_COMPLEXITY, .history = "2.4.0 Accepts multiple `element` arguments.",
     .key_specs = "RW insert: index 1 range 0 1 0", .args = "key@0 element..."},
    {.name = "lpushx", .proc = cmd_lpushx, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_LIST | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "list", .since = "2.2.0",
     .summary = "Prepend an element to a list, only if the list exists",
     .complexity = PUSH_COMPLEXITY, .history = "4.0.0 Accepts multiple `element` arguments.",
     .key_specs = "RW insert: index 1 range 0 1 0", .args = "key@0 element..."},
    {.name = "rpushx", .proc = cmd_rpushx, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_LIST | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "list", .since = "2.2.0",
     .summary = "Append an element to a list, only if the list exists",
     .complexity = PUSH_COMPLEXITY, .history = "4.0.0 Accepts multiple `element` arguments.",
     .key_specs = "RW insert: index 1 range 0 1 0", .args = "key@0 element..."},
    {.name = "lpop", .proc = cmd_lpop, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_LIST | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "list", .since = "1.0.0", .summary = "Remove and get the first elements in a list",
     .complexity = "O(N) where N is the number of elements returned",
     .history = "6.2.0 Added the `count` argument.",
     .key_specs = "RW access delete: index 1 range 0 1 0", .args = "key@0 [count:integer+6.2.0]"},
    {.name = "rpop", .proc = cmd_rpop, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_LIST | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "list", .since = "1.0.0", .summary = "Remove and get the last elements in a list",
     .complexity = "O(N) where N is the number of elements returned",
     .history = "6.2.0 Added the `count` argument.",
     .key_specs = "RW access delete: index 1 range 0 1 0", .args = "key@0 [count:integer+6.2.0]"},
    {.name = "llen", .proc = cmd_llen, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_LIST | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "list", .since = "1.0.0", .summary = "Get the length of a list", .complexity = "O(1)",
     .key_specs = "RO: index 1 range 0 1 0", .args = "key@0"},
    {.name = "lrange", .proc = cmd_lrange, .arity = 4, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_LIST | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "list", .since = "1.0.0", .summary = "Get a range of elements from a list",
     .complexity = "O(S+N) where S is the distance of start offset from HEAD for small lists, "
                   "from nearest end (HEAD or TAIL) for large lists; and N is the number of "
                   "elements in the specified range.",
     .key_specs = "RO access: index 1 range 0 1 0", .args = "key@0 start:integer stop:integer"},
    {.name = "lindex", .proc = cmd_lindex, .arity = 3, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_LIST | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "list", .since = "1.0.0", .summary = "Get an element from a list by its index",
     .complexity = "O(N) where N is the number of elements to traverse to get to the element at "
                   "index. This makes asking for the first or the last element of the list O(1).",
     .key_specs = "RO access: index 1 range 0 1 0", .args = "key@0 index:integer"},
    {.name = "lset", .proc = cmd_lset, .arity = 4, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_LIST | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "list", .since = "1.0.0",
     .summary = "Set the value of an element in a list by its index",
     .complexity = "O(N) where N is the length of the list. Setting either the first or the last "
                   "element of the list is O(1).",
     .key_specs = "RW update: index 1 range 0 1 0", .args = "key@0 index:integer element"},
    {.name = "lrem", .proc = cmd_lrem, .arity = 4, .flags = CMD_WRITE,
     .acl = ACL_WRITE | ACL_LIST | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "list", .since = "1.0.0", .summary = "Remove elements from a list",
     .complexity = "O(N+M) where N is the length of the list and M is the number of elements "
                   "removed.",
     .key_specs = "RW delete: index 1 range 0 1 0", .args = "key@0 count:integer element"},
    {.name = "ltrim", .proc = cmd_ltrim, .arity = 4, .flags = CMD_WRITE,
     .acl = ACL_WRITE | ACL_LIST | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "list", .since = "1.0.0", .summary = "Trim a list to the specified range",
     .complexity = "O(N) where N is the number of elements to be removed by the operation.",
     .key_specs = "RW delete: index 1 range 0 1 0", .args = "key@0 start:integer stop:integer"},
    {.name = "linsert", .proc = cmd_linsert, .arity = 5, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_LIST | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "list", .since = "2.2.0",
     .summary = "Insert an element before or after another element in a list",
     .complexity = "O(N) where N is the number of elements to traverse before seeing the value "
                   "pivot. This means that inserting somewhere on the left end on the list (head) "
                   "can be considered O(1) and inserting somewhere on the right end (tail) is "
                   "O(N).",
     .key_specs = "RW insert: index 1 range 0 1 0",
     .args = "key@0 where(BEFORE | AFTER) pivot element"},
    {.name = "lpos", .proc = cmd_lpos, .arity = -3, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_LIST | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "list", .since = "6.0.6",
     .summary = "Return the index of matching elements on a list",
     .complexity = "O(N) where N is the number of elements in the list, for the average case. "
                   "When searching for elements near the head or the tail of the list, or when the "
                   "MAXLEN option is provided, the command may run in constant time.",
     .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 element [RANK rank:integer] [COUNT num-matches:integer] [MAXLEN len:integer]"},
    {.name = "lmove", .proc = cmd_lmove, .arity = 5, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_LIST | ACL_SLOW, .first_key = 1, .last_key = 2, .key_step = 1,
     .group = "list", .since = "6.2.0",
     .summary = "Pop an element from a list, push it to another list and return it",
     .complexity = "O(1)",
     .key_specs = "RW access delete: index 1 range 0 1 0; RW insert: index 2 range 0 1 0",
     .args = "source@0 destination@1 wherefrom(LEFT | RIGHT) whereto(LEFT | RIGHT)"},
    {.name = "rpoplpush", .proc = cmd_rpoplpush, .arity = 3, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_LIST | ACL_SLOW, .first_key = 1, .last_key = 2, .key_step = 1,
     .group = "list", .since = "1.2.0",
     .summary = "Remove the last element in a list, prepend it to another list and return it",
     .complexity = "O(1)", .doc_flags = DOC_DEPRECATED, .deprecated_since = "6.2.0",
     .replaced_by = "`LMOVE` with the `RIGHT` and `LEFT` arguments",
     .key_specs = "RW access delete: index 1 range 0 1 0; RW insert: index 2 range 0 1 0",
     .args = "source@0 destination@1"},
    {.name = "lmpop", .proc = cmd_lmpop, .arity = -4, .flags = CMD_WRITE | CMD_MOVABLE_KEYS,
     .acl = ACL_WRITE | ACL_LIST | ACL_SLOW, .first_key = 0, .last_key = 0, .key_step = 0,
     .group = "list", .since = "7.0.0", .summary = "Pop elements from a list",
     .complexity = "O(N+M) where N is the number of provided keys and M is the number of elements "
                   "returned.",
     .key_specs = "RW access delete: index 1 keynum 0 1 1",
     .args = "numkeys:integer key@0... where(LEFT | RIGHT) [COUNT count:integer]"},
    {.name = "blpop", .proc = cmd_blpop, .arity = -3,
     .flags = CMD_WRITE | CMD_NOSCRIPT | CMD_BLOCKING,
     .acl = ACL_WRITE | ACL_LIST | ACL_SLOW | ACL_BLOCKING, .first_key = 1, .last_key = -2,
     .key_step = 1, .group = "list", .since = "2.0.0",
     .summary = "Remove and get the first element in a list, or block until one is available",
     .complexity = "O(N) where N is the number of provided keys.",
     .history = "6.0.0 `timeout` is interpreted as a double instead of an integer.",
     .key_specs = "RW access delete: index 1 range -2 1 0",
     .args = "key@0... timeout:double"},
    {.name = "brpop", .proc = cmd_brpop, .arity = -3,
     .flags = CMD_WRITE | CMD_NOSCRIPT | CMD_BLOCKING,
     .acl = ACL_WRITE | ACL_LIST | ACL_SLOW | ACL_BLOCKING, .first_key = 1, .last_key = -2,
     .key_step = 1, .group = "list", .since = "2.0.0",
     .summary = "Remove and get the last element in a list, or block until one is available",
     .complexity = "O(N) where N is the number of provided keys.",
     .history = "6.0.0 `timeout` is interpreted as a double instead of an integer.",
     .key_specs = "RW access delete: index 1 range -2 1 0",
     .args = "key@0... timeout:double"},
    {.name = "brpoplpush", .proc = cmd_brpoplpush, .arity = 4,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_NOSCRIPT | CMD_BLOCKING,
     .acl = ACL_WRITE | ACL_LIST | ACL_SLOW | ACL_BLOCKING, .first_key = 1, .last_key = 2,
     .key_step = 1, .group = "list", .since = "2.2.0",
     .summary = "Pop an element from a list, push it to another list and return it; or block until one is available",
     .complexity = "O(1)", .doc_flags = DOC_DEPRECATED, .deprecated_since = "6.2.0",
     .replaced_by = "`BLMOVE` with the `RIGHT` and `LEFT` arguments",
     .history = "6.0.0 `timeout` is interpreted as a double instead of an integer.",
     .key_specs = "RW access delete: index 1 range 0 1 0; RW insert: index 2 range 0 1 0",
     .args = "source@0 destination@1 timeout:double"},
    {.name = "blmove", .proc = cmd_blmove, .arity = 6,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_NOSCRIPT | CMD_BLOCKING,
     .acl = ACL_WRITE | ACL_LIST | ACL_SLOW | ACL_BLOCKING, .first_key = 1, .last_key = 2,
     .key_step = 1, .group = "list", .since = "6.2.0",
     .summary = "Pop an element from a list, push it to another list and return it; or block until one is available",
     .complexity = "O(1)",
     .key_specs = "RW access delete: index 1 range 0 1 0; RW insert: index 2 range 0 1 0",
     .args = "source@0 destination@1 wherefrom(LEFT | RIGHT) whereto(LEFT | RIGHT) timeout:double"},
    {.name = "blmpop", .proc = cmd_blmpop, .arity = -5,
     .flags = CMD_WRITE | CMD_BLOCKING | CMD_MOVABLE_KEYS,
     .acl = ACL_WRITE | ACL_LIST | ACL_SLOW | ACL_BLOCKING, .first_key = 0, .last_key = 0,
     .key_step = 0, .group = "list", .since = "7.0.0",
     .summary = "Pop elements from a list, or block until one is available",
     .complexity = "O(N+M) where N is the number of provided keys and M is the number of elements "
                   "returned.",
     .key_specs = "RW access delete: index 2 keynum 0 1 1",
     .args = "timeout:double numkeys:integer key@0... where(LEFT | RIGHT) [COUNT count:integer]"},
    {0}};
/* clang-format on */

/* ---- persistence: walking and building values (elements.h) ---- */

size_t list_obj_len(const obj *o) { return list_len(o); }

obj *list_load_new(const char *key, size_t klen, int64_t expire_ms) {
    return obj_new_value(key, klen, OBJ_LIST, OBJ_ENC_LISTPACK, lp_new(), expire_ms);
}

/* As RPUSH of one element (len <= LIST_MAX_ITEM_SIZE: the caller checks). */
void list_load_add(obj *o, const char *s, size_t len) {
    list_grow_check(o, len, 1);
    list_push(o, LIST_TAIL, s, len);
}

/* A listpack from a file: non-empty; within the limits of one node it stays.
 * Otherwise it is built again by RPUSHing its elements one by one, so that it
 * ends in exactly the encoding the commands would have given it (RPUSH's check
 * is an estimate that may keep a listpack slightly past the byte limit). */
bool list_load_fix(obj *o) {
    if (o->type != OBJ_LIST || o->encoding != OBJ_ENC_LISTPACK) return false;
    lp *l = obj_ptr(o);
    if (lp_count(l) == 0) return false;
    size_t max_bytes, max_count;
    ql_fill_limits(server.list_max_listpack_size, &max_bytes, &max_count);
    if (lp_used(l) <= max_bytes && lp_count(l) <= max_count) return true;
    obj_set_ptr(o, lp_new());
    for (unsigned char *p = lp_first(l); p; p = lp_next(l, p)) {
        char buf[LP_INTBUF];
        size_t len;
        const char *s = lp_get_str(p, buf, &len);
        list_load_add(o, s, len);
    }
    lp_free(l);
    return true;
}
