/* src/cmd_zset.c: the sorted set type: its two encodings, its value operations
 * and its commands.
 *
 * ZADD ZINCRBY ZSCORE ZMSCORE ZCARD ZCOUNT ZLEXCOUNT ZRANGE ZRANGEBYSCORE
 * ZREVRANGEBYSCORE ZRANGEBYLEX ZREVRANGEBYLEX ZREVRANGE ZRANGESTORE ZRANK
 * ZREVRANK ZREM ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX ZPOPMIN ZPOPMAX
 * ZMPOP BZPOPMIN BZPOPMAX BZMPOP ZRANDMEMBER ZSCAN ZUNION ZUNIONSTORE ZINTER
 * ZINTERSTORE ZINTERCARD ZDIFF ZDIFFSTORE, and zset_value_ops (free, copy,
 * size), through which object.c frees, copies and sizes sorted sets. The set
 * operations also take plain sets (score 1), read through set.h. zset_each()
 * (elements.h) lets SORT read members in score order.
 *
 * Encodings, as OBJECT ENCODING names them:
 *   listpack   member, score, member, score ... in one listpack, ordered by
 *              score then member bytes, while the set has at most
 *              zset-max-listpack-entries members of at most
 *              zset-max-listpack-value bytes. A score is stored as an integer
 *              when it is integral within +-2^62 (so -0 reads back as 0, as in
 *              Redis), else as the shortest text that reads back exactly.
 *   skiplist   a utils/skiplist.h list of nodes (score, member) plus an ht
 *              (utils/ht.h) from member to node: the table's entries ARE the
 *              nodes (the list owns them), so a member is stored once.
 * Inserting a member that breaks a limit converts the set first; a set
 * converts once and never back, as in Redis. There is no empty sorted set: the
 * write that removes the last member deletes the key. Results of ZRANGESTORE,
 * ZUNIONSTORE, ZINTERSTORE and ZDIFFSTORE are built in the encoding their size
 * and longest member call for (an empty result deletes the destination).
 *
 * Scores in replies are Redis 7.0's: "%.17g" text (0.1 is
 * "0.10000000000000001", -0 stays "-0" in a skiplist), as a bulk string in
 * RESP2 and a ',' double in RESP3 (reply.c's reply_double writes the shortest
 * text, which is 7.2's, so scores go through reply_score() here). ZSCAN writes
 * scores as bulk strings in both protocols: for a listpack the stored text
 * (integers as integers), for a skiplist "%.17g".
 *
 * ZRANK/ZREVRANK take Redis 7.2's WITHSCORE option (arity -3); Redis 7.0.15
 * has arity 3 and no option. Everything else follows 7.0.15.
 *
 * Every keyspace change goes through db.h: a new key is built and added with
 * db_set(); an existing set is changed in place (a listpack that moved is
 * stored back with obj_set_ptr()) and reported with db_touch_write(), or
 * removed with db_delete() once empty. Each change is then reported
 * (notify.h) with Redis 7.0.15's event: "zadd", or "zincr" for INCR and
 * ZINCRBY (none if no score changed: a score set to its own value is no
 * change); "zrem", "zremrangebyscore", "zremrangebyrank", "zremrangebylex",
 * "zpopmin", "zpopmax", then "del" if the set emptied; "zunionstore", "zinterstore", "zdiffstore",
 * "zrangestore", or "del" for an empty result that removed a key.
 */
#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../resp/encode.h"
#include "../utils/alloc.h"
#include "../utils/glob.h"
#include "../utils/ht.h"
#include "../utils/listpack.h"
#include "../utils/num.h"
#include "../utils/skiplist.h"
#include "elements.h"
#include "../utils/rand.h"
#include "notify.h"
#include "persist.h"
#include "server.h"
#include "set.h"

/* A listpack that would grow past this converts whatever the limits say. */
#define ZSET_LP_SAFE_BYTES (1u << 30)
/* Integral scores within +-2^62 are stored (and ZSCANned) as integers. */
#define ZSET_LP_INT_LIMIT 4611686018427387904.0
#define ZSCORE_BUF 40

typedef struct zset {
    ht *dict; /* member -> node (entries are the list's nodes) */
    zsl *zsl;
} zset;

static const void *znode_key(const void *e, size_t *len) { return zsl_node_member(e, len); }
/* The list owns the nodes: the table frees nothing. */
static const ht_type zset_ht_type = {.entry_key = znode_key};

/* ---------------------------------------------------------------- scores as text */

static inline bool score_is_lp_int(double d) {
    return d >= -ZSET_LP_INT_LIMIT && d <= ZSET_LP_INT_LIMIT && d == (double)(long long)d;
}

/* Redis 7.0's reply text for a score: "%.17g", infinities as "inf"/"-inf". */
static size_t score_fmt_reply(char *buf, double d) {
    if (isinf(d)) {
        memcpy(buf, d > 0 ? "inf" : "-inf", d > 0 ? 4 : 5);
        return d > 0 ? 3 : 4;
    }
    if (d > -1e15 && d < 1e15 && d == (double)(long long)d && (d != 0 || !signbit(d)))
        return num_fmt_ll(buf, (long long)d);
    return (size_t)snprintf(buf, ZSCORE_BUF, "%.17g", d);
}

/* The text a listpack stores: an integer when integral in range, else the
 * shortest text that reads back exactly. */
static size_t score_fmt_store(char *buf, double d) {
    if (score_is_lp_int(d)) return num_fmt_ll(buf, (long long)d);
    if (isinf(d)) return score_fmt_reply(buf, d);
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(buf, ZSCORE_BUF, "%.*g", prec, d);
        if (prec == 17 || strtod(buf, NULL) == d) break;
    }
    return (size_t)n;
}

/* ZSCAN's text for a listpack score (what Redis's listpack holds). */
static size_t score_fmt_scan_lp(char *buf, double d) {
    if (score_is_lp_int(d)) return num_fmt_ll(buf, (long long)d);
    if (isinf(d)) return score_fmt_reply(buf, d);
    return (size_t)snprintf(buf, ZSCORE_BUF, "%.17g", d);
}

static void reply_score(client *c, double d) {
    char buf[ZSCORE_BUF + 4];
    size_t n = score_fmt_reply(buf + 1, d);
    if (c->resp == 3) {
        buf[0] = ',';
        buf[n + 1] = '\r';
        buf[n + 2] = '\n';
        reply_raw(c, buf, n + 3);
    } else {
        reply_bulk(c, buf + 1, n);
    }
}

/* ---------------------------------------------------------------- listpack helpers */

static double zlp_score(const unsigned char *p) {
    lp_value v;
    lp_get(p, &v);
    if (!v.str) return (double)v.ll;
    double d;
    bool ok = num_parse_double(v.str, v.len, &d);
    assert(ok);
    (void)ok;
    return d;
}

/* The member entry of m, or NULL; *score gets its score. */
static unsigned char *zlp_find(lp *l, const char *m, size_t len, double *score) {
    unsigned char *p = lp_first(l);
    if (p) p = lp_find(l, p, m, len, 1);
    if (p && score) *score = zlp_score(lp_next(l, p));
    return p;
}

/* Inserts (m, score) in order; m must be absent. */
static lp *zlp_insert(lp *l, const char *m, size_t len, double score) {
    char scorebuf[ZSCORE_BUF];
    size_t slen = score_fmt_store(scorebuf, score);
    for (unsigned char *p = lp_first(l); p; p = lp_next(l, lp_next(l, p))) {
        double s = zlp_score(lp_next(l, p));
        if (s < score) continue;
        if (s == score) {
            char buf[LP_INTBUF];
            size_t elen;
            const char *e = lp_get_str(p, buf, &elen);
            if (zsl_lex_cmp(e, elen, m, len) < 0) continue;
        }
        unsigned char *np;
        l = lp_insert(l, p, false, m, len, &np);
        return lp_insert(l, np, true, scorebuf, slen, NULL);
    }
    l = lp_append(l, m, len);
    return lp_append(l, scorebuf, slen);
}

/* ---------------------------------------------------------------- the value */

static size_t zset_len(const obj *o) {
    if (o->encoding == OBJ_ENC_LISTPACK) return lp_count(obj_ptr(o)) / 2;
    return zsl_length(((zset *)obj_ptr(o))->zsl);
}

static zset *zset_new(void) {
    zset *z = cn_malloc(sizeof(*z));
    z->dict = ht_create(&zset_ht_type);
    z->zsl = zsl_create();
    return z;
}

static void zset_free_struct(zset *z) {
    ht_destroy(z->dict);
    zsl_destroy(z->zsl);
    cn_free(z);
}

static void zset_convert_to_skiplist(obj *o) {
    assert(o->encoding == OBJ_ENC_LISTPACK);
    lp *l = obj_ptr(o);
    zset *z = zset_new();
    ht_expand(z->dict, lp_count(l) / 2);
    for (unsigned char *p = lp_first(l); p; p = lp_next(l, lp_next(l, p))) {
        char buf[LP_INTBUF];
        size_t len;
        const char *m = lp_get_str(p, buf, &len);
        zsl_node *n = zsl_insert(z->zsl, zlp_score(lp_next(l, p)), m, len);
        bool added = ht_add(z->dict, n);
        assert(added);
        (void)added;
    }
    lp_free(l);
    o->encoding = OBJ_ENC_SKIPLIST;
    obj_set_ptr(o, z);
}

/* The score of m in o; false if absent. */
static bool zset_score(obj *o, const char *m, size_t len, double *score) {
    if (o->encoding == OBJ_ENC_LISTPACK) return zlp_find(obj_ptr(o), m, len, score) != NULL;
    zsl_node *n = ht_find(((zset *)obj_ptr(o))->dict, m, len);
    if (n) *score = n->score;
    return n != NULL;
}

/* Adds m (absent) with score, converting first when a limit would break. */
static void zset_insert(obj *o, const char *m, size_t len, double score) {
    if (o->encoding == OBJ_ENC_LISTPACK) {
        lp *l = obj_ptr(o);
        if ((long long)(lp_count(l) / 2 + 1) > server.zset_max_listpack_entries ||
            (unsigned long long)len > (unsigned long long)server.zset_max_listpack_value ||
            lp_bytes(l) + (unsigned long long)len + ZSCORE_BUF > ZSET_LP_SAFE_BYTES) {
            zset_convert_to_skiplist(o);
        } else {
            obj_set_ptr(o, zlp_insert(l, m, len, score));
            return;
        }
    }
    zset *z = obj_ptr(o);
    zsl_node *n = zsl_insert(z->zsl, score, m, len);
    bool added = ht_add(z->dict, n);
    assert(added);
    (void)added;
}

/* Gives the present member m a new score. */
static void zset_update(obj *o, const char *m, size_t len, double score) {
    if (o->encoding == OBJ_ENC_LISTPACK) {
        lp *l = obj_ptr(o);
        unsigned char *p = zlp_find(l, m, len, NULL);
        assert(p);
        /* m may be read from the block itself: copy it before deleting. */
        char ibuf[LP_INTBUF], copybuf[256];
        size_t mlen;
        const char *mm = lp_get_str(p, ibuf, &mlen);
        char *copy = mlen <= sizeof(copybuf) ? copybuf : cn_malloc(mlen);
        memcpy(copy, mm, mlen);
        l = lp_delete(l, &p);
        l = lp_delete(l, &p);
        l = zlp_insert(l, copy, mlen, score);
        if (copy != copybuf) cn_free(copy);
        obj_set_ptr(o, l);
        return;
    }
    zset *z = obj_ptr(o);
    zsl_node *n = ht_find(z->dict, m, len);
    assert(n);
    zsl_update_score(z->zsl, n, score);
}

/* Removes m; false if absent. o may be left empty. */
static bool zset_remove(obj *o, const char *m, size_t len) {
    if (o->encoding == OBJ_ENC_LISTPACK) {
        lp *l = obj_ptr(o);
        unsigned char *p = zlp_find(l, m, len, NULL);
        if (!p) return false;
        l = lp_delete(l, &p);
        l = lp_delete(l, &p);
        obj_set_ptr(o, l);
        return true;
    }
    zset *z = obj_ptr(o);
    zsl_node *n = ht_pop(z->dict, m, len);
    if (!n) return false;
    zsl_delete_node(z->zsl, n);
    return true;
}

static void zset_value_free(int encoding, void *ptr) {
    if (encoding == OBJ_ENC_LISTPACK) lp_free(ptr);
    else zset_free_struct(ptr);
}

static void *zset_value_dup(int encoding, const void *ptr) {
    if (encoding == OBJ_ENC_LISTPACK) return lp_dup(ptr);
    const zset *src = ptr;
    zset *z = zset_new();
    ht_expand(z->dict, zsl_length(src->zsl));
    for (zsl_node *n = zsl_first(src->zsl); n; n = zsl_next(n)) {
        size_t len;
        const char *m = zsl_node_member(n, &len);
        ht_add(z->dict, zsl_insert(z->zsl, n->score, m, len));
    }
    return z;
}

static size_t zset_value_mem_usage(int encoding, const void *ptr, size_t samples) {
    if (encoding == OBJ_ENC_LISTPACK) return lp_bytes(ptr);
    const zset *z = ptr;
    return cn_alloc_size(z) + ht_mem_usage(z->dict) + zsl_mem_usage(z->zsl, samples);
}

static size_t zset_value_free_effort(int encoding, const void *ptr) {
    return encoding == OBJ_ENC_LISTPACK ? 1 : zsl_length(((const zset *)ptr)->zsl);
}

const obj_value_ops zset_value_ops = {
    .free = zset_value_free,
    .dup = zset_value_dup,
    .mem_usage = zset_value_mem_usage,
    .free_effort = zset_value_free_effort,
};

/* ---------------------------------------------------------------- iteration
 * A position in either encoding: for a listpack the member entry p, for a
 * skiplist the node n. Positions are invalidated by any write to the set. */

typedef struct zit {
    obj *o;
    lp *l;
    unsigned char *p;
    zsl_node *n;
    char buf[LP_INTBUF];
} zit;

static void zit_init(zit *it, obj *o) {
    it->o = o;
    it->l = o->encoding == OBJ_ENC_LISTPACK ? obj_ptr(o) : NULL;
    it->p = NULL;
    it->n = NULL;
}

static inline bool zit_valid(const zit *it) { return it->l ? it->p != NULL : it->n != NULL; }
static inline zsl *zit_zsl(const zit *it) { return ((zset *)obj_ptr(it->o))->zsl; }

static void zit_next(zit *it) {
    if (it->l) it->p = lp_next(it->l, lp_next(it->l, it->p));
    else it->n = zsl_next(it->n);
}

static void zit_prev(zit *it) {
    if (it->l) {
        unsigned char *s = lp_prev(it->l, it->p);
        it->p = s ? lp_prev(it->l, s) : NULL;
    } else {
        it->n = zsl_prev(it->n);
    }
}

static inline void zit_step(zit *it, bool rev) {
    if (rev) zit_prev(it);
    else zit_next(it);
}

static const char *zit_member(zit *it, size_t *len) {
    if (it->l) return lp_get_str(it->p, it->buf, len);
    return zsl_node_member(it->n, len);
}

static double zit_score(const zit *it) {
    return it->l ? zlp_score(lp_next(it->l, it->p)) : it->n->score;
}

/* At 0-based rank (which must be in range). */
static void zit_at_rank(zit *it, obj *o, size_t rank) {
    zit_init(it, o);
    if (it->l) it->p = lp_seek(it->l, 2 * (long)rank);
    else it->n = zsl_at_rank(zit_zsl(it), rank + 1);
}

static void zit_first(zit *it, obj *o, bool rev) {
    zit_at_rank(it, o, rev ? zset_len(o) - 1 : 0);
}

/* 0-based rank of the position. */
static size_t zit_rank(const zit *it) {
    if (!it->l) return zsl_rank(zit_zsl(it), it->n) - 1;
    size_t r = 0;
    for (unsigned char *p = lp_first(it->l); p != it->p; p = lp_next(it->l, lp_next(it->l, p)))
        r++;
    return r;
}

static inline bool zit_in_score(const zit *it, const zrange_score *r) {
    double s = zit_score(it);
    return zrange_score_gte_min(s, r) && zrange_score_lte_max(s, r);
}

static bool zit_in_lex(zit *it, const zrange_lex *r) {
    size_t len;
    const char *m = zit_member(it, &len);
    return zrange_lex_gte_min(m, len, r) && zrange_lex_lte_max(m, len, r);
}

/* The first (rev: last) element in a score range; invalid if none. */
static void zit_seek_score(zit *it, obj *o, const zrange_score *r, bool rev) {
    zit_init(it, o);
    if (!it->l) {
        it->n = rev ? zsl_last_in_score(zit_zsl(it), r) : zsl_first_in_score(zit_zsl(it), r);
        return;
    }
    if (zrange_score_empty(r)) return;
    if (!rev) {
        for (it->p = lp_first(it->l); it->p; zit_next(it)) {
            double s = zit_score(it);
            if (!zrange_score_gte_min(s, r)) continue;
            if (!zrange_score_lte_max(s, r)) it->p = NULL;
            return;
        }
    } else {
        unsigned char *last = lp_last(it->l);
        for (it->p = last ? lp_prev(it->l, last) : NULL; it->p; zit_prev(it)) {
            double s = zit_score(it);
            if (!zrange_score_lte_max(s, r)) continue;
            if (!zrange_score_gte_min(s, r)) it->p = NULL;
            return;
        }
    }
}

static void zit_seek_lex(zit *it, obj *o, const zrange_lex *r, bool rev) {
    zit_init(it, o);
    if (!it->l) {
        it->n = rev ? zsl_last_in_lex(zit_zsl(it), r) : zsl_first_in_lex(zit_zsl(it), r);
        return;
    }
    if (zrange_lex_empty(r)) return;
    size_t len;
    if (!rev) {
        for (it->p = lp_first(it->l); it->p; zit_next(it)) {
            const char *m = zit_member(it, &len);
            if (!zrange_lex_gte_min(m, len, r)) continue;
            if (!zrange_lex_lte_max(m, len, r)) it->p = NULL;
            return;
        }
    } else {
        unsigned char *last = lp_last(it->l);
        for (it->p = last ? lp_prev(it->l, last) : NULL; it->p; zit_prev(it)) {
            const char *m = zit_member(it, &len);
            if (!zrange_lex_lte_max(m, len, r)) continue;
            if (!zrange_lex_gte_min(m, len, r)) it->p = NULL;
            return;
        }
    }
}

/* ---------------------------------------------------------------- for other modules (elements.h) */

void zset_each(obj *o, elem_fn *fn, void *ud) {
    if (zset_len(o) == 0) return;
    zit it;
    for (zit_first(&it, o, false); zit_valid(&it); zit_next(&it)) {
        size_t len;
        const char *m = zit_member(&it, &len);
        fn(ud, m, len);
    }
}

/* ---------------------------------------------------------------- command helpers */

/* argv[i] looked up for reading / writing. False after replying WRONGTYPE;
 * else *o is the set or NULL. */
static bool zset_read_or_reply(client *c, int i, obj **o) {
    *o = db_lookup_read(c->db, c->argv[i], c->argvlen[i]);
    if (*o && (*o)->type != OBJ_ZSET) {
        reply_err_wrongtype(c);
        return false;
    }
    return true;
}

static bool zset_write_or_reply(client *c, int i, obj **o) {
    *o = db_lookup_write(c->db, c->argv[i], c->argvlen[i]);
    if (*o && (*o)->type != OBJ_ZSET) {
        reply_err_wrongtype(c);
        return false;
    }
    return true;
}

/* After removals from o (under argv[i]) by the command whose event is event:
 * reports it, then deletes the key ("del") if empty, else reports the write;
 * changes are added to the dirty counter. Nothing removed: nothing reported. */
static void zset_removed(client *c, obj *o, int i, long long changes, const char *event) {
    if (changes == 0) return;
    notify_keyspace_event(NOTIFY_ZSET, event, c->db, c->argv[i], c->argvlen[i]);
    if (zset_len(o) == 0) {
        db_delete(c->db, c->argv[i], c->argvlen[i]);
        notify_keyspace_event(NOTIFY_GENERIC, "del", c->db, c->argv[i], c->argvlen[i]);
    } else {
        db_touch_write(c->db, o);
    }
    if (changes > 1) server.dirty += changes - 1;
}

/* A score range bound as Redis 7.0 reads it (zslParseRange): an optional '(' for an
 * exclusive bound, then what strtod reads up to the first NUL byte, provided it reads
 * all of that and it is not NaN. That is looser than a score (num_parse_double), and
 * clients rely on it: leading white space is skipped, "" and "(" are 0, an overflow
 * ("1e400") is an infinity, an underflow is 0, and a NUL byte ends the number. */
static bool score_range_parse(const char *s, size_t len, double *v, bool *ex) {
    *ex = len > 0 && s[0] == '(';
    if (*ex) s++, len--;
    char small[64];
    char *buf = len < sizeof(small) ? small : cn_malloc(len + 1);
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    double d = strtod(buf, &end);
    bool ok = *end == '\0' && !isnan(d);
    if (buf != small) cn_free(buf);
    if (ok) *v = d;
    return ok;
}

/* Parses a score range from argv[mini], argv[maxi]. */
static bool score_range_or_reply(client *c, int mini, int maxi, zrange_score *r) {
    if (!score_range_parse(c->argv[mini], c->argvlen[mini], &r->min, &r->minex) ||
        !score_range_parse(c->argv[maxi], c->argvlen[maxi], &r->max, &r->maxex)) {
        reply_error(c, "ERR min or max is not a float");
        return false;
    }
    return true;
}

static bool lex_bound_parse(const char *s, size_t len, int *kind, const char **b, size_t *blen) {
    if (len == 0) return false;
    if (len == 1 && s[0] == '-') *kind = ZLEX_NEG_INF;
    else if (len == 1 && s[0] == '+') *kind = ZLEX_POS_INF;
    else if (s[0] == '[') *kind = ZLEX_INCL;
    else if (s[0] == '(') *kind = ZLEX_EXCL;
    else return false;
    *b = s + 1;
    *blen = len - 1;
    return true;
}

static bool lex_range_or_reply(client *c, int mini, int maxi, zrange_lex *r) {
    if (!lex_bound_parse(c->argv[mini], c->argvlen[mini], &r->min_kind, &r->min, &r->minlen) ||
        !lex_bound_parse(c->argv[maxi], c->argvlen[maxi], &r->max_kind, &r->max, &r->maxlen)) {
        reply_error(c, "ERR min or max not valid string range item");
        return false;
    }
    return true;
}

/* Normalizes a rank range [*start, *end] for len elements (negative from the
 * end); false if it selects nothing. */
static bool rank_range_norm(long long *start, long long *end, size_t len) {
    long long n = (long long)len;
    if (*start < 0) *start += n;
    if (*end < 0) *end += n;
    if (*start < 0) *start = 0;
    if (*start > *end || *start >= n) return false;
    if (*end >= n) *end = n - 1;
    return true;
}


/* One element of a reply: member, then its score if asked (a [member, score]
 * pair in RESP3). */
static void reply_elem(client *c, const char *m, size_t len, double score, bool withscores) {
    if (withscores && c->resp == 3) reply_array(c, 2);
    reply_bulk(c, m, len);
    if (withscores) reply_score(c, score);
}

static void reply_zit(client *c, zit *it, bool withscores) {
    size_t len;
    const char *m = zit_member(it, &len);
    reply_elem(c, m, len, withscores ? zit_score(it) : 0, withscores);
}

/* ---------------------------------------------------------------- ZADD ZINCRBY */

enum { ZADD_NX = 1, ZADD_XX = 2, ZADD_GT = 4, ZADD_LT = 8, ZADD_CH = 16, ZADD_INCR = 32 };
/* NOP: a condition (NX XX GT LT) skipped the member; SAME: processed, score unchanged. */
enum { ZADD_OUT_NOP, ZADD_OUT_SAME, ZADD_OUT_ADDED, ZADD_OUT_UPDATED, ZADD_OUT_NAN };

/* Adds or updates one member per the flags; *newscore gets the score it has
 * after (unless NOP or NAN). */
static int zset_add(obj *o, double score, const char *m, size_t len, int flags,
                    double *newscore) {
    double cur;
    if (zset_score(o, m, len, &cur)) {
        if (flags & ZADD_NX) return ZADD_OUT_NOP;
        if (flags & ZADD_INCR) {
            score += cur;
            if (isnan(score)) return ZADD_OUT_NAN;
        }
        if (((flags & ZADD_LT) && score >= cur) || ((flags & ZADD_GT) && score <= cur))
            return ZADD_OUT_NOP;
        *newscore = score;
        if (score == cur) return ZADD_OUT_SAME;
        zset_update(o, m, len, score);
        return ZADD_OUT_UPDATED;
    }
    if (flags & ZADD_XX) return ZADD_OUT_NOP;
    zset_insert(o, m, len, score);
    *newscore = score;
    return ZADD_OUT_ADDED;
}

static obj *zset_new_obj(client *c, int i) {
    return obj_new_value(c->argv[i], c->argvlen[i], OBJ_ZSET, OBJ_ENC_LISTPACK, lp_new(),
                         OBJ_NO_EXPIRE);
}

static void zadd_generic(client *c, int flags) {
    int j = 2;
    for (; j < c->argc; j++) {
        if (arg_is(c, j, "nx")) flags |= ZADD_NX;
        else if (arg_is(c, j, "xx")) flags |= ZADD_XX;
        else if (arg_is(c, j, "gt")) flags |= ZADD_GT;
        else if (arg_is(c, j, "lt")) flags |= ZADD_LT;
        else if (arg_is(c, j, "ch")) flags |= ZADD_CH;
        else if (arg_is(c, j, "incr")) flags |= ZADD_INCR;
        else break;
    }
    int elements = c->argc - j;
    if (elements % 2 || elements == 0) {
        reply_err_syntax(c);
        return;
    }
    elements /= 2;
    if ((flags & ZADD_NX) && (flags & ZADD_XX)) {
        reply_error(c, "ERR XX and NX options at the same time are not compatible");
        return;
    }
    int gl = flags & (ZADD_GT | ZADD_LT | ZADD_NX);
    if (gl & (gl - 1)) {
        reply_error(c, "ERR GT, LT, and/or NX options at the same time are not compatible");
        return;
    }
    bool incr = flags & ZADD_INCR;
    if (incr && elements > 1) {
        reply_error(c, "ERR INCR option supports a single increment-element pair");
        return;
    }
    double inline_scores[16];
    double *scores = elements <= 16 ? inline_scores : cn_malloc(sizeof(double) * elements);
    for (int k = 0; k < elements; k++) {
        int si = j + 2 * k;
        if (!num_parse_double(c->argv[si], c->argvlen[si], &scores[k])) {
            reply_err_not_float(c);
            goto done;
        }
    }
    obj *o;
    if (!zset_write_or_reply(c, 1, &o)) goto done;
    bool created = false;
    if (!o) {
        if (flags & ZADD_XX) {
            if (incr) reply_null(c);
            else reply_int(c, 0);
            goto done;
        }
        o = zset_new_obj(c, 1);
        created = true;
    }
    long long added = 0, updated = 0;
    double newscore = 0;
    int out = ZADD_OUT_NOP;
    for (int k = 0; k < elements; k++) {
        int mi = j + 2 * k + 1;
        out = zset_add(o, scores[k], c->argv[mi], c->argvlen[mi], flags, &newscore);
        if (out == ZADD_OUT_NAN) {
            reply_error(c, "ERR resulting score is not a number (NaN)");
            break;
        }
        added += out == ZADD_OUT_ADDED;
        updated += out == ZADD_OUT_UPDATED;
    }
    /* A score set to what it was is no change: no write, no event (as Redis). */
    if (created && zset_len(o) == 0) {
        obj_free(o);
    } else if (added + updated) { /* always so for a created set that is not empty */
        if (created) db_set(c->db, o);
        else db_touch_write(c->db, o);
        if (added + updated > 1) server.dirty += added + updated - 1;
        notify_keyspace_event(NOTIFY_ZSET, incr ? "zincr" : "zadd", c->db, c->argv[1],
                              c->argvlen[1]);
    }
    if (out == ZADD_OUT_NAN) goto done;
    if (incr) {
        if (out == ZADD_OUT_NOP) reply_null(c);
        else reply_score(c, newscore);
    } else {
        reply_int(c, (flags & ZADD_CH) ? added + updated : added);
    }
done:
    if (scores != inline_scores) cn_free(scores);
}

static void cmd_zadd(client *c) { zadd_generic(c, 0); }

static void cmd_zincrby(client *c) { zadd_generic(c, ZADD_INCR); }

/* ---------------------------------------------------------------- ZSCORE ZMSCORE ZCARD */

static void cmd_zscore(client *c) {
    obj *o;
    if (!zset_read_or_reply(c, 1, &o)) return;
    double s;
    if (o && zset_score(o, c->argv[2], c->argvlen[2], &s)) reply_score(c, s);
    else reply_null(c);
}

static void cmd_zmscore(client *c) {
    obj *o;
    if (!zset_read_or_reply(c, 1, &o)) return;
    reply_array(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        double s;
        if (o && zset_score(o, c->argv[j], c->argvlen[j], &s)) reply_score(c, s);
        else reply_null(c);
    }
}

static void cmd_zcard(client *c) {
    obj *o;
    if (!zset_read_or_reply(c, 1, &o)) return;
    reply_int(c, o ? (long long)zset_len(o) : 0);
}

/* ---------------------------------------------------------------- ZCOUNT ZLEXCOUNT */

static void cmd_zcount(client *c) {
    zrange_score r;
    if (!score_range_or_reply(c, 2, 3, &r)) return;
    obj *o;
    if (!zset_read_or_reply(c, 1, &o)) return;
    long long n = 0;
    if (o) {
        zit it;
        zit_seek_score(&it, o, &r, false);
        if (zit_valid(&it) && !it.l) {
            zsl_node *last = zsl_last_in_score(zit_zsl(&it), &r);
            n = (long long)(zsl_rank(zit_zsl(&it), last) - zsl_rank(zit_zsl(&it), it.n)) + 1;
        } else {
            for (; zit_valid(&it) && zit_in_score(&it, &r); zit_next(&it)) n++;
        }
    }
    reply_int(c, n);
}

static void cmd_zlexcount(client *c) {
    zrange_lex r;
    if (!lex_range_or_reply(c, 2, 3, &r)) return;
    obj *o;
    if (!zset_read_or_reply(c, 1, &o)) return;
    long long n = 0;
    if (o) {
        zit it;
        zit_seek_lex(&it, o, &r, false);
        if (zit_valid(&it) && !it.l) {
            zsl_node *last = zsl_last_in_lex(zit_zsl(&it), &r);
            n = (long long)(zsl_rank(zit_zsl(&it), last) - zsl_rank(zit_zsl(&it), it.n)) + 1;
        } else {
            for (; zit_valid(&it) && zit_in_lex(&it, &r); zit_next(&it)) n++;
        }
    }
    reply_int(c, n);
}

/* ---------------------------------------------------------------- ZRANGE family */

enum { ZR_RANK, ZR_SCORE, ZR_LEX };

typedef struct zrange_req {
    int kind;
    bool rev, withscores;
    long long offset, limit; /* limit < 0: all */
    bool has_limit;
} zrange_req;

/* Where a range's elements go: a reply, or a collection for ZRANGESTORE. */
typedef struct zpair {
    char *m;
    size_t len;
    double score;
} zpair;

typedef struct zsink {
    client *c;
    bool store;
    bool withscores;
    long n;
    zpair *v;
    size_t cap;
    size_t maxlen;
} zsink;

static void sink_add(zsink *s, zit *it) {
    size_t len;
    const char *m = zit_member(it, &len);
    if (!s->store) {
        reply_elem(s->c, m, len, s->withscores ? zit_score(it) : 0, s->withscores);
    } else {
        if ((size_t)s->n == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 16;
            s->v = cn_realloc(s->v, s->cap * sizeof(*s->v));
        }
        zpair *p = &s->v[s->n];
        p->m = cn_malloc(len ? len : 1);
        memcpy(p->m, m, len);
        p->len = len;
        p->score = zit_score(it);
        if (len > s->maxlen) s->maxlen = len;
    }
    s->n++;
}

/* Walks the requested range of o into the sink: ranks [start, end] (before
 * normalizing), or the score range sr / lex range lr, with q's direction,
 * offset and limit. */
static void zrange_walk(zsink *s, obj *o, const zrange_req *q, const zrange_score *sr,
                        const zrange_lex *lr, long long start, long long end) {
    zit it;
    if (q->kind == ZR_RANK) {
        size_t len = zset_len(o);
        if (!rank_range_norm(&start, &end, len)) return;
        long long count = end - start + 1;
        zit_at_rank(&it, o, q->rev ? len - 1 - (size_t)start : (size_t)start);
        while (count-- > 0 && zit_valid(&it)) {
            sink_add(s, &it);
            if (!s->store && (s->c->flags & CLIENT_CLOSE_ASAP)) return;
            zit_step(&it, q->rev);
        }
        return;
    }
    if (q->has_limit && q->offset < 0) return;
    if (q->kind == ZR_SCORE) zit_seek_score(&it, o, sr, q->rev);
    else zit_seek_lex(&it, o, lr, q->rev);
    long long offset = q->has_limit ? q->offset : 0;
    long long limit = q->has_limit ? q->limit : -1;
    if (offset > 0 && zit_valid(&it) && !it.l) {
        /* Skip by rank in O(log n). */
        size_t r = zsl_rank(zit_zsl(&it), it.n);
        if (q->rev) it.n = r > (unsigned long long)offset ? zsl_at_rank(zit_zsl(&it), r - offset) : NULL;
        else it.n = zsl_at_rank(zit_zsl(&it), r + offset);
        offset = 0;
    }
    for (; zit_valid(&it) && limit != 0; zit_step(&it, q->rev)) {
        bool in = q->kind == ZR_SCORE ? zit_in_score(&it, sr) : zit_in_lex(&it, lr);
        if (!in) break;
        if (offset > 0) {
            offset--;
            continue;
        }
        sink_add(s, &it);
        if (!s->store && (s->c->flags & CLIENT_CLOSE_ASAP)) return;
        if (limit > 0) limit--;
    }
}

static int zpair_cmp(const void *a, const void *b) {
    const zpair *x = a, *y = b;
    return zsl_cmp(x->score, x->m, x->len, y->score, y->m, y->len);
}

/* Builds a sorted set object under key from n distinct pairs (taken: members
 * freed here), in the encoding its size calls for. */
static obj *zset_from_pairs(const char *key, size_t klen, zpair *v, size_t n, size_t maxlen,
                            bool sorted) {
    if (!sorted && n > 1) qsort(v, n, sizeof(*v), zpair_cmp);
    obj *o;
    if ((long long)n <= server.zset_max_listpack_entries &&
        (long long)maxlen <= server.zset_max_listpack_value) {
        lp *l = lp_new();
        char scorebuf[ZSCORE_BUF];
        for (size_t i = 0; i < n; i++) {
            l = lp_append(l, v[i].m, v[i].len);
            size_t sl = score_fmt_store(scorebuf, v[i].score);
            l = lp_append(l, scorebuf, sl);
        }
        o = obj_new_value(key, klen, OBJ_ZSET, OBJ_ENC_LISTPACK, l, OBJ_NO_EXPIRE);
    } else {
        zset *z = zset_new();
        ht_expand(z->dict, n);
        for (size_t i = 0; i < n; i++) ht_add(z->dict, zsl_insert(z->zsl, v[i].score, v[i].m, v[i].len));
        o = obj_new_value(key, klen, OBJ_ZSET, OBJ_ENC_SKIPLIST, z, OBJ_NO_EXPIRE);
    }
    for (size_t i = 0; i < n; i++) cn_free(v[i].m);
    return o;
}

/* The whole ZRANGE family. key_idx: the source; dst_idx: the destination
 * (ZRANGESTORE) or -1; argv[key_idx+1], argv[key_idx+2] the range (max first
 * for the REV score/lex forms); q filled by the caller's option parsing. */
static void zrange_run(client *c, int key_idx, int dst_idx, zrange_req *q) {
    int a = key_idx + 1, b = key_idx + 2;
    if (q->rev && q->kind != ZR_RANK) { /* max, min */
        int t = a;
        a = b;
        b = t;
    }
    zrange_score sr;
    zrange_lex lr;
    long long start = 0, end = 0;
    if (q->kind == ZR_RANK) {
        if (!arg_ll_or_reply(c, a, &start) || !arg_ll_or_reply(c, b, &end)) return;
    } else if (q->kind == ZR_SCORE) {
        if (!score_range_or_reply(c, a, b, &sr)) return;
    } else {
        if (!lex_range_or_reply(c, a, b, &lr)) return;
    }
    obj *o;
    if (!zset_read_or_reply(c, key_idx, &o)) return;
    zsink s = {.c = c, .store = dst_idx >= 0, .withscores = q->withscores};
    if (!s.store) {
        void *h = reply_deferred(c);
        if (o) zrange_walk(&s, o, q, &sr, &lr, start, end);
        reply_set_deferred(c, h, '*', s.n * (q->withscores && c->resp == 2 ? 2 : 1));
        return;
    }
    if (o) zrange_walk(&s, o, q, &sr, &lr, start, end);
    if (s.n == 0) {
        if (db_delete(c->db, c->argv[dst_idx], c->argvlen[dst_idx]))
            notify_keyspace_event(NOTIFY_GENERIC, "del", c->db, c->argv[dst_idx],
                                  c->argvlen[dst_idx]);
    } else {
        if (q->rev) /* into ascending order */
            for (long i = 0, j = s.n - 1; i < j; i++, j--) {
                zpair t = s.v[i];
                s.v[i] = s.v[j];
                s.v[j] = t;
            }
        db_set(c->db, zset_from_pairs(c->argv[dst_idx], c->argvlen[dst_idx], s.v, (size_t)s.n,
                                      s.maxlen, true));
        notify_keyspace_event(NOTIFY_ZSET, "zrangestore", c->db, c->argv[dst_idx],
                              c->argvlen[dst_idx]);
    }
    cn_free(s.v);
    reply_int(c, s.n);
}

/* Options of ZRANGE and ZRANGESTORE from argv[first]. */
static bool zrange_opts_or_reply(client *c, int first, bool store, zrange_req *q) {
    int kind = -1, rev = 0;
    for (int j = first; j < c->argc; j++) {
        if (!store && arg_is(c, j, "withscores")) {
            q->withscores = true;
        } else if (arg_is(c, j, "limit") && j + 2 < c->argc) {
            if (!arg_ll_or_reply(c, j + 1, &q->offset) || !arg_ll_or_reply(c, j + 2, &q->limit))
                return false;
            q->has_limit = true;
            j += 2;
        } else if (kind == -1 && arg_is(c, j, "byscore")) {
            kind = ZR_SCORE;
        } else if (kind == -1 && arg_is(c, j, "bylex")) {
            kind = ZR_LEX;
        } else if (!rev && arg_is(c, j, "rev")) {
            rev = 1;
        } else {
            reply_err_syntax(c);
            return false;
        }
    }
    q->kind = kind == -1 ? ZR_RANK : kind;
    q->rev = rev;
    if (q->has_limit && q->kind == ZR_RANK) {
        reply_error(c, "ERR syntax error, LIMIT is only supported in combination with either "
                       "BYSCORE or BYLEX");
        return false;
    }
    if (q->withscores && q->kind == ZR_LEX) {
        reply_error(c, "ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        return false;
    }
    return true;
}

static void cmd_zrange(client *c) {
    zrange_req q = {0};
    if (zrange_opts_or_reply(c, 4, false, &q)) zrange_run(c, 1, -1, &q);
}

static void cmd_zrangestore(client *c) {
    zrange_req q = {0};
    if (zrange_opts_or_reply(c, 5, true, &q)) zrange_run(c, 2, 1, &q);
}

/* ZRANGEBYSCORE and friends: [WITHSCORES] [LIMIT offset count] only. */
static void zrange_legacy(client *c, int kind, bool rev) {
    zrange_req q = {.kind = kind, .rev = rev};
    for (int j = 4; j < c->argc; j++) {
        if (arg_is(c, j, "limit") && j + 2 < c->argc) {
            if (!arg_ll_or_reply(c, j + 1, &q.offset) || !arg_ll_or_reply(c, j + 2, &q.limit))
                return;
            q.has_limit = true;
            j += 2;
        } else if (arg_is(c, j, "withscores")) {
            q.withscores = true;
        } else {
            reply_err_syntax(c);
            return;
        }
    }
    if (q.has_limit && kind == ZR_RANK) {
        reply_error(c, "ERR syntax error, LIMIT is only supported in combination with either "
                       "BYSCORE or BYLEX");
        return;
    }
    if (q.withscores && kind == ZR_LEX) {
        reply_error(c, "ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        return;
    }
    zrange_run(c, 1, -1, &q);
}

static void cmd_zrangebyscore(client *c) { zrange_legacy(c, ZR_SCORE, false); }
static void cmd_zrevrangebyscore(client *c) { zrange_legacy(c, ZR_SCORE, true); }
static void cmd_zrangebylex(client *c) { zrange_legacy(c, ZR_LEX, false); }
static void cmd_zrevrangebylex(client *c) { zrange_legacy(c, ZR_LEX, true); }
static void cmd_zrevrange(client *c) { zrange_legacy(c, ZR_RANK, true); }

/* ---------------------------------------------------------------- ZRANK ZREVRANK */

static void zrank_generic(client *c, bool rev) {
    bool withscore = false;
    if (c->argc > 4) {
        reply_err_arity(c);
        return;
    }
    if (c->argc == 4) {
        if (!arg_is(c, 3, "withscore")) {
            reply_err_syntax(c);
            return;
        }
        withscore = true;
    }
    obj *o;
    if (!zset_read_or_reply(c, 1, &o)) return;
    zit it;
    bool found = false;
    if (o) {
        zit_init(&it, o);
        if (it.l) {
            it.p = zlp_find(it.l, c->argv[2], c->argvlen[2], NULL);
            found = it.p != NULL;
        } else {
            it.n = ht_find(((zset *)obj_ptr(o))->dict, c->argv[2], c->argvlen[2]);
            found = it.n != NULL;
        }
    }
    if (!found) {
        if (withscore) reply_null_array(c);
        else reply_null(c);
        return;
    }
    size_t r = zit_rank(&it);
    if (rev) r = zset_len(o) - 1 - r;
    if (withscore) {
        reply_array(c, 2);
        reply_int(c, (long long)r);
        reply_score(c, zit_score(&it));
    } else {
        reply_int(c, (long long)r);
    }
}

static void cmd_zrank(client *c) { zrank_generic(c, false); }
static void cmd_zrevrank(client *c) { zrank_generic(c, true); }

/* ---------------------------------------------------------------- removing */

static void cmd_zrem(client *c) {
    obj *o;
    if (!zset_write_or_reply(c, 1, &o)) return;
    long long n = 0;
    if (o) {
        for (int j = 2; j < c->argc && zset_len(o) > 0; j++)
            n += zset_remove(o, c->argv[j], c->argvlen[j]);
        zset_removed(c, o, 1, n, "zrem");
    }
    reply_int(c, n);
}

/* Removes count elements from 0-based rank start. */
static void zset_remove_ranks(obj *o, size_t start, size_t count) {
    if (count == 0) return;
    if (o->encoding == OBJ_ENC_LISTPACK) {
        obj_set_ptr(o, lp_delete_range(obj_ptr(o), 2 * (long)start, 2 * count));
        return;
    }
    zset *z = obj_ptr(o);
    zsl_node *n = zsl_at_rank(z->zsl, start + 1);
    while (count-- && n) {
        zsl_node *next = zsl_next(n);
        size_t len;
        const char *m = zsl_node_member(n, &len);
        ht_pop(z->dict, m, len);
        zsl_delete_node(z->zsl, n);
        n = next;
    }
}

static void zremrange_generic(client *c, int kind) {
    zrange_score sr;
    zrange_lex lr;
    long long start = 0, end = 0;
    if (kind == ZR_RANK) {
        if (!arg_ll_or_reply(c, 2, &start) || !arg_ll_or_reply(c, 3, &end)) return;
    } else if (kind == ZR_SCORE) {
        if (!score_range_or_reply(c, 2, 3, &sr)) return;
    } else {
        if (!lex_range_or_reply(c, 2, 3, &lr)) return;
    }
    obj *o;
    if (!zset_write_or_reply(c, 1, &o)) return;
    size_t first = 0, count = 0;
    if (o && kind == ZR_RANK) {
        if (rank_range_norm(&start, &end, zset_len(o))) {
            first = (size_t)start;
            count = (size_t)(end - start + 1);
        }
    } else if (o) {
        zit it;
        if (kind == ZR_SCORE) zit_seek_score(&it, o, &sr, false);
        else zit_seek_lex(&it, o, &lr, false);
        if (zit_valid(&it)) {
            first = zit_rank(&it);
            for (; zit_valid(&it); zit_next(&it)) {
                if (kind == ZR_SCORE ? !zit_in_score(&it, &sr) : !zit_in_lex(&it, &lr)) break;
                count++;
            }
        }
    }
    if (o) {
        zset_remove_ranks(o, first, count);
        zset_removed(c, o, 1, (long long)count,
                     kind == ZR_RANK    ? "zremrangebyrank"
                     : kind == ZR_SCORE ? "zremrangebyscore"
                                        : "zremrangebylex");
    }
    reply_int(c, (long long)count);
}

static void cmd_zremrangebyrank(client *c) { zremrange_generic(c, ZR_RANK); }
static void cmd_zremrangebyscore(client *c) { zremrange_generic(c, ZR_SCORE); }
static void cmd_zremrangebylex(client *c) { zremrange_generic(c, ZR_LEX); }

/* ---------------------------------------------------------------- popping */

enum { ZPOP_MIN = 0, ZPOP_MAX = 1 };
/* Reply shapes: ZPOPMIN without COUNT (flat member, score), with COUNT (flat in
 * RESP2, pairs in RESP3), BZPOPMIN (key, member, score), ZMPOP/BZMPOP (key and
 * an array of pairs, in both protocols). */
enum { ZPOP_REPLY_ONE, ZPOP_REPLY_COUNT, ZPOP_REPLY_BLOCK, ZPOP_REPLY_MPOP };

/* Pops up to count elements of the non-empty set o at argv[ki] and replies. */
static void zpop_serve(client *c, obj *o, int ki, int where, long long count, int shape) {
    size_t len = zset_len(o);
    size_t n = count < 0 || (unsigned long long)count > len ? len : (size_t)count;
    bool pairs = shape == ZPOP_REPLY_MPOP || (shape == ZPOP_REPLY_COUNT && c->resp == 3);
    if (shape == ZPOP_REPLY_BLOCK) {
        reply_array(c, 3);
        reply_bulk(c, c->argv[ki], c->argvlen[ki]);
    } else if (shape == ZPOP_REPLY_MPOP) {
        reply_array(c, 2);
        reply_bulk(c, c->argv[ki], c->argvlen[ki]);
        reply_array(c, (long)n);
    } else {
        reply_array(c, (long)(pairs ? n : 2 * n));
    }
    for (size_t i = 0; i < n; i++) {
        zit it;
        zit_first(&it, o, where == ZPOP_MAX);
        size_t mlen;
        const char *m = zit_member(&it, &mlen);
        if (pairs) reply_array(c, 2);
        reply_bulk(c, m, mlen);
        reply_score(c, zit_score(&it));
        zset_remove_ranks(o, where == ZPOP_MAX ? zset_len(o) - 1 : 0, 1);
    }
    zset_removed(c, o, ki, (long long)n, where == ZPOP_MAX ? "zpopmax" : "zpopmin");
}

static void zpop_generic(client *c, int where) {
    long long count = 1;
    int shape = ZPOP_REPLY_ONE;
    if (c->argc > 3) {
        reply_err_syntax(c);
        return;
    }
    if (c->argc == 3) {
        if (!arg_ll_range_or_reply(c, 2, 0, LLONG_MAX, &count,
                                   "ERR value is out of range, must be positive"))
            return;
        shape = ZPOP_REPLY_COUNT;
    }
    obj *o;
    if (!zset_write_or_reply(c, 1, &o)) return;
    if (!o || count == 0) {
        reply_array(c, 0);
        return;
    }
    zpop_serve(c, o, 1, where, count, shape);
}

static void cmd_zpopmin(client *c) { zpop_generic(c, ZPOP_MIN); }
static void cmd_zpopmax(client *c) { zpop_generic(c, ZPOP_MAX); }

/* Serves the first non-empty key of argv[first..first+nkeys); false if none.
 * A wrong type replies WRONGTYPE (and returns true). The AOF gets what Redis
 * 7.0.15 logs: ZPOPMIN|ZPOPMAX key for BZPOPMIN/BZPOPMAX, and ZPOPMIN|ZPOPMAX key
 * n (n the number actually popped) for ZMPOP/BZMPOP. */
static bool zmpop_serve(client *c, int first, int nkeys, int where, long long count, int shape) {
    /* A blocked client re-run after a write passes over keys of another type
     * and keeps waiting, as Redis 7.0 does; only the first run replies
     * WRONGTYPE. */
    bool rerun = client_is_blocked(c);
    for (int j = first; j < first + nkeys; j++) {
        obj *o = db_lookup_write(c->db, c->argv[j], c->argvlen[j]);
        if (o && o->type != OBJ_ZSET) {
            if (rerun) continue;
            reply_err_wrongtype(c);
            return true;
        }
        if (!o) continue;
        size_t len = zset_len(o);
        long long n = count < 0 || (unsigned long long)count > len ? (long long)len : count;
        zpop_serve(c, o, j, where, count, shape);
        char nbuf[NUM_LL_MAX_CHARS];
        const char *argv[] = {where == ZPOP_MAX ? "ZPOPMAX" : "ZPOPMIN", c->argv[j], nbuf};
        const size_t lens[] = {7, c->argvlen[j], num_fmt_ll(nbuf, n)};
        propagate_instead(c, shape == ZPOP_REPLY_MPOP ? 3 : 2, argv, lens);
        return true;
    }
    return false;
}

/* numkeys key... MIN|MAX [COUNT count] from argv[numkeys_idx]. */
static bool zmpop_args_or_reply(client *c, int numkeys_idx, int *nkeys, int *where,
                                long long *count) {
    int which;
    if (!arg_mpop_or_reply(c, numkeys_idx, "min", "max", nkeys, &which, count)) return false;
    *where = which ? ZPOP_MAX : ZPOP_MIN;
    return true;
}

static void cmd_zmpop(client *c) {
    int nkeys, where;
    long long count;
    if (!zmpop_args_or_reply(c, 1, &nkeys, &where, &count)) return;
    if (!zmpop_serve(c, 2, nkeys, where, count, ZPOP_REPLY_MPOP)) reply_null_array(c);
}

/* BZPOPMIN/BZPOPMAX key [key ...] timeout */
static void bzpop_generic(client *c, int where) {
    int64_t deadline;
    if (!timeout_arg_or_reply(c, c->argc - 1, &deadline)) return;
    if (!zmpop_serve(c, 1, c->argc - 2, where, 1, ZPOP_REPLY_BLOCK))
        block_on_keys(c, 1, c->argc - 2, 1, deadline);
}

static void cmd_bzpopmin(client *c) { bzpop_generic(c, ZPOP_MIN); }
static void cmd_bzpopmax(client *c) { bzpop_generic(c, ZPOP_MAX); }

/* BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]. The timeout is
 * checked last, as Redis does: "BZMPOP -1 0 k MIN" is a numkeys error. */
static void cmd_bzmpop(client *c) {
    int64_t deadline;
    int nkeys, where;
    long long count;
    if (!zmpop_args_or_reply(c, 2, &nkeys, &where, &count)) return;
    if (!timeout_arg_or_reply(c, 1, &deadline)) return;
    if (!zmpop_serve(c, 3, nkeys, where, count, ZPOP_REPLY_MPOP))
        block_on_keys(c, 3, 2 + nkeys, 1, deadline);
}

/* ---------------------------------------------------------------- ZRANDMEMBER */

static const ht_type zset_pick_type = {.entry_key = znode_key};

/* Protocol bytes of one pick, averaged over a few random members. */
static double zrandmember_pick_bytes(client *c, obj *o, bool withscores) {
    size_t bytes = 0;
    zit it;
    zit_init(&it, o);
    for (int i = 0; i < RAND_SIZE_SAMPLES; i++) {
        if (it.l)
            it.p = lp_seek(it.l, 2 * (long)rand_below(zset_len(o)));
        else
            it.n = ht_random(((zset *)obj_ptr(o))->dict);
        size_t len;
        zit_member(&it, &len);
        bytes += resp_bulk_size(len);
        if (!withscores) continue;
        char buf[ZSCORE_BUF];
        size_t n = score_fmt_reply(buf, zit_score(&it));
        bytes += c->resp == 3 ? 4 + n + 3 : resp_bulk_size(n); /* "*2\r\n" ",score\r\n" */
    }
    return (double)bytes / RAND_SIZE_SAMPLES;
}

static void cmd_zrandmember(client *c) {
    obj *o;
    if (c->argc == 2) {
        if (!zset_read_or_reply(c, 1, &o)) return;
        if (!o) {
            reply_null(c);
            return;
        }
        zit it;
        zit_at_rank(&it, o, 0);
        if (it.l) it.p = lp_seek(it.l, 2 * (long)rand_below(zset_len(o)));
        else it.n = ht_random(((zset *)obj_ptr(o))->dict);
        reply_zit(c, &it, false);
        return;
    }
    long long l;
    if (!arg_ll_or_reply(c, 2, &l)) return;
    if (l < -LLONG_MAX) {
        reply_error(c, "ERR value is out of range, value must between -9223372036854775807 and "
                       "9223372036854775807");
        return;
    }
    if (c->argc > 4 || (c->argc == 4 && !arg_is(c, 3, "withscores"))) {
        reply_err_syntax(c);
        return;
    }
    bool ws = c->argc == 4;
    if (ws && (l < -LLONG_MAX / 2 || l > LLONG_MAX / 2)) {
        reply_error(c, "ERR value is out of range");
        return;
    }
    if (!zset_read_or_reply(c, 1, &o)) return;
    if (!o || l == 0) {
        reply_array(c, 0);
        return;
    }
    bool uniq = l > 0;
    unsigned long long count = uniq ? (unsigned long long)l : (unsigned long long)-l;
    size_t size = zset_len(o);
    int per = ws && c->resp == 2 ? 2 : 1;
    zit it;
    zit_init(&it, o);
    if (!uniq || count == 1) {
        if (count > RAND_REPEATS_CHECKED &&
            !reply_fits_or_reply(c, count, zrandmember_pick_bytes(c, o, ws)))
            return;
        reply_array(c, (long)(count * per));
        unsigned char *inline_m[64], **ms = NULL;
        if (it.l) { /* index the members once: each pick O(1) */
            ms = size <= 64 ? inline_m : cn_malloc(size * sizeof(*ms));
            size_t i = 0;
            for (unsigned char *p = lp_first(it.l); p; p = lp_next(it.l, lp_next(it.l, p)))
                ms[i++] = p;
        }
        while (count--) {
            if (it.l) it.p = ms[rand_below(size)];
            else it.n = ht_random(((zset *)obj_ptr(o))->dict);
            reply_zit(c, &it, ws);
            if (c->flags & CLIENT_CLOSE_ASAP) break;
        }
        if (ms && ms != inline_m) cn_free(ms);
        return;
    }
    if (count >= size) { /* the whole set, in order */
        reply_array(c, (long)(size * per));
        for (zit_first(&it, o, false); zit_valid(&it); zit_next(&it)) reply_zit(c, &it, ws);
        return;
    }
    reply_array(c, (long)(count * per));
    size_t need = (size_t)count;
    if (it.l || count * 3 > size) {
        /* Selection sampling in order: each element taken with probability need/left. */
        size_t left = size;
        for (zit_first(&it, o, false); zit_valid(&it) && need; zit_next(&it), left--) {
            if (rand_below(left) >= need) continue;
            reply_zit(c, &it, ws);
            need--;
        }
        return;
    }
    ht *seen = ht_create(&zset_pick_type);
    while (ht_size(seen) < count) {
        it.n = ht_random(((zset *)obj_ptr(o))->dict);
        if (ht_add(seen, it.n)) reply_zit(c, &it, ws);
    }
    ht_destroy(seen);
}

/* ---------------------------------------------------------------- ZSCAN */

static void cmd_zscan(client *c) {
    size_t cursor;
    if (!scan_cursor_or_reply(c, 2, &cursor)) return;
    obj *o;
    if (!zset_read_or_reply(c, 1, &o)) return;
    if (!o) {
        reply_array(c, 2);
        scan_reply_cursor(c, 0);
        reply_array(c, 0);
        return;
    }
    scan_opts opt;
    if (!scan_opts_or_reply(c, 3, false, &opt)) return;
    char scorebuf[ZSCORE_BUF];
    if (o->encoding == OBJ_ENC_LISTPACK) {
        lp *l = obj_ptr(o);
        char buf[LP_INTBUF];
        size_t len;
        long n = 0;
        for (unsigned char *p = lp_first(l); p; p = lp_next(l, lp_next(l, p))) {
            const char *m = lp_get_str(p, buf, &len);
            n += !opt.pat || glob_match(opt.pat, opt.plen, m, len, false);
        }
        reply_array(c, 2);
        scan_reply_cursor(c, 0);
        reply_array(c, 2 * n);
        for (unsigned char *p = lp_first(l); p; p = lp_next(l, lp_next(l, p))) {
            const char *m = lp_get_str(p, buf, &len);
            if (opt.pat && !glob_match(opt.pat, opt.plen, m, len, false)) continue;
            reply_bulk(c, m, len);
            reply_bulk(c, scorebuf, score_fmt_scan_lp(scorebuf, zlp_score(lp_next(l, p))));
        }
        return;
    }
    ht *t = ((zset *)obj_ptr(o))->dict;
    scan_batch b;
    scan_batch_init(&b);
    long long maxiter = opt.count > LLONG_MAX / 10 ? LLONG_MAX : opt.count * 10;
    do {
        cursor = ht_scan(t, cursor, scan_collect, &b);
    } while (cursor && maxiter-- && b.len * 2 < (unsigned long long)opt.count);
    size_t kept = 0;
    for (size_t i = 0; i < b.len; i++) {
        size_t len;
        const char *m = zsl_node_member(b.v[i], &len);
        if (opt.pat && !glob_match(opt.pat, opt.plen, m, len, false)) continue;
        b.v[kept++] = b.v[i];
    }
    reply_array(c, 2);
    scan_reply_cursor(c, cursor);
    reply_array(c, (long)(2 * kept));
    for (size_t i = 0; i < kept; i++) {
        zsl_node *n = b.v[i];
        size_t len;
        const char *m = zsl_node_member(n, &len);
        reply_bulk(c, m, len);
        reply_bulk(c, scorebuf, score_fmt_reply(scorebuf, n->score));
    }
    scan_batch_deinit(&b);
}

/* ---------------------------------------------------------------- ZUNION ZINTER ZDIFF
 *
 * ZUNION ZUNIONSTORE ZINTER ZINTERSTORE ZINTERCARD ZDIFF ZDIFFSTORE. An input
 * is a sorted set, a plain set (every member scored 1, read through set.h) or
 * a missing key (empty); any other type is WRONGTYPE. All keys are looked up
 * and type-checked before the options are parsed, as Redis 7.0 does.
 *
 * Scores: an input's score times its weight, NaN (0 * inf) read as 0; SUM
 * adds in the order below and a NaN sum (inf + -inf) becomes 0. Union and
 * intersection take the inputs smallest first (a stable sort by size; Redis
 * orders them so too, which decides what inf + -inf + x gives); the
 * difference keeps the first input first and scores from it alone. */

enum { ZOP_UNION, ZOP_INTER, ZOP_DIFF };
enum { ZAGG_SUM, ZAGG_MIN, ZAGG_MAX };

typedef struct zsrc {
    obj *o; /* a zset, a set, or NULL (missing) */
    double weight;
    size_t len;
} zsrc;

/* Walks the members of one input with their scores (1 for a plain set). */
typedef struct zsrc_iter {
    obj *o;
    zit z;
    set_obj_iter s;
} zsrc_iter;

static void zsrc_iter_init(zsrc_iter *it, const zsrc *src) {
    it->o = src->len ? src->o : NULL;
    if (!it->o) return;
    if (it->o->type == OBJ_SET) set_obj_iter_init(&it->s, it->o);
    else zit_at_rank(&it->z, it->o, 0);
}

/* The next member (valid until the next call) and its unweighted score. */
static bool zsrc_iter_next(zsrc_iter *it, const char **m, size_t *len, double *score) {
    if (!it->o) return false;
    if (it->o->type == OBJ_SET) {
        *score = 1.0;
        return set_obj_iter_next(&it->s, m, len);
    }
    if (!zit_valid(&it->z)) return false;
    *m = zit_member(&it->z, len);
    *score = zit_score(&it->z);
    zit_next(&it->z);
    return true;
}

static void zsrc_iter_deinit(zsrc_iter *it) {
    if (it->o && it->o->type == OBJ_SET) set_obj_iter_deinit(&it->s);
}

/* The unweighted score of m in src; false if absent. */
static bool zsrc_score(const zsrc *src, const char *m, size_t len, double *score) {
    if (!src->len) return false;
    if (src->o->type == OBJ_SET) {
        *score = 1.0;
        return set_obj_contains(src->o, m, len);
    }
    return zset_score(src->o, m, len, score);
}

static inline double zweigh(double score, double weight) {
    double v = score * weight;
    return isnan(v) ? 0.0 : v;
}

static inline void zaggregate(double *acc, double v, int agg) {
    if (agg == ZAGG_SUM) {
        *acc += v;
        if (isnan(*acc)) *acc = 0.0;
    } else if (agg == ZAGG_MIN) {
        if (v < *acc) *acc = v;
    } else if (v > *acc) {
        *acc = v;
    }
}

/* The result: distinct members (owned copies) with their scores. */
typedef struct zresult {
    zpair *v;
    size_t n, cap, maxlen;
} zresult;

static void zresult_add(zresult *r, const char *m, size_t len, double score) {
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->v = cn_realloc(r->v, r->cap * sizeof(*r->v));
    }
    zpair *p = &r->v[r->n++];
    p->m = cn_malloc(len ? len : 1);
    memcpy(p->m, m, len);
    p->len = len;
    p->score = score;
    if (len > r->maxlen) r->maxlen = len;
}

/* The intersection of the inputs (sorted smallest first) into r, or only
 * counted when r is NULL; stops after limit members when limit > 0. Returns
 * how many members it found. */
static size_t zinter_run(zsrc *src, int n, int agg, zresult *r, size_t limit) {
    size_t found = 0;
    if (src[0].len == 0) return 0; /* the smallest is empty */
    zsrc_iter it;
    zsrc_iter_init(&it, &src[0]);
    const char *m;
    size_t len;
    double s;
    while (zsrc_iter_next(&it, &m, &len, &s)) {
        double acc = zweigh(s, src[0].weight), other;
        int j = 1;
        for (; j < n; j++) {
            if (!zsrc_score(&src[j], m, len, &other)) break;
            if (r) zaggregate(&acc, zweigh(other, src[j].weight), agg);
        }
        if (j < n) continue;
        if (r) zresult_add(r, m, len, acc);
        if (++found == limit) break;
    }
    zsrc_iter_deinit(&it);
    return found;
}

/* The union accumulates in a table of zpairs keyed by member. */
static const void *zpair_key(const void *e, size_t *len) {
    const zpair *p = e;
    *len = p->len;
    return p->m;
}
static const ht_type zpair_ht_type = {.entry_key = zpair_key};

static void zunion_run(zsrc *src, int n, int agg, zresult *r) {
    ht *t = ht_create(&zpair_ht_type);
    zpair **shells = NULL;
    size_t ns = 0, cap = 0;
    for (int j = 0; j < n; j++) {
        zsrc_iter it;
        zsrc_iter_init(&it, &src[j]);
        const char *m;
        size_t len;
        double s;
        while (zsrc_iter_next(&it, &m, &len, &s)) {
            double v = zweigh(s, src[j].weight);
            zpair *p = ht_find(t, m, len);
            if (p) {
                zaggregate(&p->score, v, agg);
                continue;
            }
            if (ns == cap) {
                cap = cap ? cap * 2 : 16;
                shells = cn_realloc(shells, cap * sizeof(*shells));
            }
            p = cn_malloc(sizeof(*p));
            p->m = cn_malloc(len ? len : 1);
            memcpy(p->m, m, len);
            p->len = len;
            p->score = v;
            ht_add(t, p);
            shells[ns++] = p;
            if (len > r->maxlen) r->maxlen = len;
        }
        zsrc_iter_deinit(&it);
    }
    ht_destroy(t);
    r->v = cn_malloc((ns ? ns : 1) * sizeof(*r->v));
    r->n = r->cap = ns;
    for (size_t i = 0; i < ns; i++) {
        r->v[i] = *shells[i];
        cn_free(shells[i]);
    }
    cn_free(shells);
}

static void zdiff_run(zsrc *src, int n, zresult *r) {
    zsrc_iter it;
    zsrc_iter_init(&it, &src[0]);
    const char *m;
    size_t len;
    double s, other;
    while (zsrc_iter_next(&it, &m, &len, &s)) {
        int j = 1;
        while (j < n && !zsrc_score(&src[j], m, len, &other)) j++;
        if (j == n) zresult_add(r, m, len, s);
    }
    zsrc_iter_deinit(&it);
}

/* Stable (insertion) sort of the inputs by size, smallest first. */
static void zsrc_sort(zsrc *src, int n) {
    for (int i = 1; i < n; i++) {
        zsrc x = src[i];
        int j = i - 1;
        for (; j >= 0 && src[j].len > x.len; j--) src[j + 1] = src[j];
        src[j + 1] = x;
    }
}

/* Parses ZINTERCARD's LIMIT value: a non-negative integer. */
static bool zlimit_or_reply(client *c, int i, long long *out) {
    if (!num_parse_ll(c->argv[i], c->argvlen[i], out) || *out < 0) {
        reply_error(c, "ERR LIMIT can't be negative");
        return false;
    }
    return true;
}

/* All seven commands: numkeys at argv[ni], the keys after it; dst_idx is the
 * destination's index for the STORE forms, else -1; card: ZINTERCARD. */
static void zsetop_generic(client *c, int ni, int dst_idx, int op, bool card) {
    long long numkeys;
    if (!arg_ll_or_reply(c, ni, &numkeys)) return;
    if (numkeys < 1) {
        reply_errorf(c, "ERR at least 1 input key is needed for '%s' command", c->cmd->name);
        return;
    }
    if (numkeys > c->argc - ni - 1) {
        reply_err_syntax(c);
        return;
    }
    int n = (int)numkeys;
    zsrc inline_src[8];
    zsrc *src = n <= 8 ? inline_src : cn_malloc(sizeof(*src) * (size_t)n);
    for (int j = 0; j < n; j++) {
        int k = ni + 1 + j;
        obj *o = db_lookup_read(c->db, c->argv[k], c->argvlen[k]);
        if (o && o->type != OBJ_ZSET && o->type != OBJ_SET) {
            reply_err_wrongtype(c);
            goto done;
        }
        src[j].o = o;
        src[j].weight = 1.0;
        src[j].len = !o ? 0 : o->type == OBJ_SET ? set_obj_len(o) : zset_len(o);
    }
    int agg = ZAGG_SUM;
    bool withscores = false;
    long long limit = 0;
    for (int j = ni + 1 + n; j < c->argc; j++) {
        int left = c->argc - j - 1;
        if (op != ZOP_DIFF && !card && arg_is(c, j, "weights") && left >= n) {
            for (int w = 0; w < n; w++) {
                j++;
                if (!num_parse_double(c->argv[j], c->argvlen[j], &src[w].weight)) {
                    reply_error(c, "ERR weight value is not a float");
                    goto done;
                }
            }
        } else if (op != ZOP_DIFF && !card && arg_is(c, j, "aggregate") && left >= 1) {
            j++;
            if (arg_is(c, j, "sum")) agg = ZAGG_SUM;
            else if (arg_is(c, j, "min")) agg = ZAGG_MIN;
            else if (arg_is(c, j, "max")) agg = ZAGG_MAX;
            else {
                reply_err_syntax(c);
                goto done;
            }
        } else if (card && arg_is(c, j, "limit") && left >= 1) {
            if (!zlimit_or_reply(c, ++j, &limit)) goto done;
        } else if (dst_idx < 0 && !card && arg_is(c, j, "withscores")) {
            withscores = true;
        } else {
            reply_err_syntax(c);
            goto done;
        }
    }

    zresult r = {0};
    if (op != ZOP_DIFF) zsrc_sort(src, n);
    if (card) {
        reply_int(c, (long long)zinter_run(src, n, agg, NULL, (size_t)limit));
        goto done;
    }
    if (op == ZOP_INTER) zinter_run(src, n, agg, &r, 0);
    else if (op == ZOP_UNION) zunion_run(src, n, agg, &r);
    else zdiff_run(src, n, &r);
    if (dst_idx >= 0) {
        const char *dk = c->argv[dst_idx];
        size_t dl = c->argvlen[dst_idx];
        if (r.n == 0) {
            if (db_delete(c->db, dk, dl))
                notify_keyspace_event(NOTIFY_GENERIC, "del", c->db, dk, dl);
        } else {
            db_set(c->db, zset_from_pairs(dk, dl, r.v, r.n, r.maxlen, false));
            notify_keyspace_event(NOTIFY_ZSET,
                                  op == ZOP_UNION   ? "zunionstore"
                                  : op == ZOP_INTER ? "zinterstore"
                                                    : "zdiffstore",
                                  c->db, dk, dl);
        }
        reply_int(c, (long long)r.n);
    } else {
        if (r.n > 1) qsort(r.v, r.n, sizeof(*r.v), zpair_cmp);
        reply_array(c, (long)r.n * (withscores && c->resp == 2 ? 2 : 1));
        for (size_t i = 0; i < r.n; i++) {
            reply_elem(c, r.v[i].m, r.v[i].len, r.v[i].score, withscores);
            cn_free(r.v[i].m);
        }
    }
    cn_free(r.v);
done:
    if (src != inline_src) cn_free(src);
}

static void cmd_zunion(client *c) { zsetop_generic(c, 1, -1, ZOP_UNION, false); }
static void cmd_zunionstore(client *c) { zsetop_generic(c, 2, 1, ZOP_UNION, false); }
static void cmd_zinter(client *c) { zsetop_generic(c, 1, -1, ZOP_INTER, false); }
static void cmd_zinterstore(client *c) { zsetop_generic(c, 2, 1, ZOP_INTER, false); }
static void cmd_zintercard(client *c) { zsetop_generic(c, 1, -1, ZOP_INTER, true); }
static void cmd_zdiff(client *c) { zsetop_generic(c, 1, -1, ZOP_DIFF, false); }
static void cmd_zdiffstore(client *c) { zsetop_generic(c, 2, 1, ZOP_DIFF, false); }

/* ---------------------------------------------------------------- the table */

/* clang-format off */
command cmd_table_zset[] = {
    {.name = "zadd", .proc = cmd_zadd, .arity = -4, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "1.2.0",
     .summary = "Add one or more members to a sorted set, or update its score if it already exists",
     .complexity = "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
     .history = "2.4.0 Accepts multiple elements.\n"
                "3.0.2 Added the `XX`, `NX`, `CH` and `INCR` options.\n"
                "6.2.0 Added the `GT` and `LT` options.",
     .key_specs = "RW update: index 1 range 0 1 0",
     .args = "key@0 [condition(NX | XX)+3.0.2] [comparison(GT | LT)+6.2.0] [CH=change+3.0.2] [INCR=increment+3.0.2] score_member(score:double member)..."},
    {.name = "zincrby", .proc = cmd_zincrby, .arity = 4, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "1.2.0",
     .summary = "Increment the score of a member in a sorted set",
     .complexity = "O(log(N)) where N is the number of elements in the sorted set.",
     .key_specs = "RW access update: index 1 range 0 1 0",
     .args = "key@0 increment:integer member"},
    {.name = "zscore", .proc = cmd_zscore, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "1.2.0",
     .summary = "Get the score associated with the given member in a sorted set",
     .complexity = "O(1)",
     .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 member"},
    {.name = "zmscore", .proc = cmd_zmscore, .arity = -3, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "6.2.0",
     .summary = "Get the score associated with the given members in a sorted set",
     .complexity = "O(N) where N is the number of members being requested.",
     .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 member..."},
    {.name = "zcard", .proc = cmd_zcard, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "1.2.0",
     .summary = "Get the number of members in a sorted set",
     .complexity = "O(1)",
     .key_specs = "RO: index 1 range 0 1 0",
     .args = "key@0"},
    {.name = "zcount", .proc = cmd_zcount, .arity = 4, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "2.0.0",
     .summary = "Count the members in a sorted set with scores within the given values",
     .complexity = "O(log(N)) with N being the number of elements in the sorted set.",
     .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 min:double max:double"},
    {.name = "zlexcount", .proc = cmd_zlexcount, .arity = 4, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "2.8.9",
     .summary = "Count the number of members in a sorted set between a given lexicographical range",
     .complexity = "O(log(N)) with N being the number of elements in the sorted set.",
     .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 min max"},
    {.name = "zrange", .proc = cmd_zrange, .arity = -4, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "1.2.0",
     .summary = "Return a range of members in a sorted set",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
     .history = "6.2.0 Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.",
     .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 start stop [sortby(BYSCORE | BYLEX)+6.2.0] [REV+6.2.0] [LIMIT offset_count(offset:integer count:integer)+6.2.0] [WITHSCORES]"},
    {.name = "zrangebyscore", .proc = cmd_zrangebyscore, .arity = -4, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "1.0.5",
     .summary = "Return a range of members in a sorted set, by score",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
     .doc_flags = DOC_DEPRECATED, .deprecated_since = "6.2.0",
     .replaced_by = "`ZRANGE` with the `BYSCORE` argument",
     .history = "2.0.0 Added the `WITHSCORES` modifier.",
     .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 min:double max:double [WITHSCORES+2.0.0] [LIMIT offset_count(offset:integer count:integer)]"},
    {.name = "zrevrangebyscore", .proc = cmd_zrevrangebyscore, .arity = -4, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "2.2.0",
     .summary = "Return a range of members in a sorted set, by score, with scores ordered from high to low",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
     .doc_flags = DOC_DEPRECATED, .deprecated_since = "6.2.0",
     .replaced_by = "`ZRANGE` with the `REV` and `BYSCORE` arguments",
     .history = "2.1.6 `min` and `max` can be exclusive.",
     .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 max:double min:double [WITHSCORES] [LIMIT offset_count(offset:integer count:integer)]"},
    {.name = "zrangebylex", .proc = cmd_zrangebylex, .arity = -4, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "2.8.9",
     .summary = "Return a range of members in a sorted set, by lexicographical range",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
     .doc_flags = DOC_DEPRECATED, .deprecated_since = "6.2.0",
     .replaced_by = "`ZRANGE` with the `BYLEX` argument",
     .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 min max [LIMIT offset_count(offset:integer count:integer)]"},
    {.name = "zrevrangebylex", .proc = cmd_zrevrangebylex, .arity = -4, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "2.8.9",
     .summary = "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
     .doc_flags = DOC_DEPRECATED, .deprecated_since = "6.2.0",
     .replaced_by = "`ZRANGE` with the `REV` and `BYLEX` arguments",
     .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 max min [LIMIT offset_count(offset:integer count:integer)]"},
    {.name = "zrevrange", .proc = cmd_zrevrange, .arity = -4, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "1.2.0",
     .summary = "Return a range of members in a sorted set, by index, with scores ordered from high to low",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
     .doc_flags = DOC_DEPRECATED, .deprecated_since = "6.2.0",
     .replaced_by = "`ZRANGE` with the `REV` argument",
     .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 start:integer stop:integer [WITHSCORES]"},
    {.name = "zrangestore", .proc = cmd_zrangestore, .arity = -5, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_SLOW, .first_key = 1, .last_key = 2, .key_step = 1,
     .group = "sorted-set", .since = "6.2.0",
     .summary = "Store a range of members from sorted set into another key",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
     .key_specs = "OW update: index 1 range 0 1 0; RO access: index 2 range 0 1 0",
     .args = "dst@0 src@1 min max [sortby(BYSCORE | BYLEX)] [REV] [LIMIT offset_count(offset:integer count:integer)]"},
    {.name = "zrank", .proc = cmd_zrank, .arity = -3, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "2.0.0",
     .summary = "Determine the index of a member in a sorted set",
     .complexity = "O(log(N))",
     .history = "7.2.0 Added the optional `WITHSCORE` argument.",
     .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 member [WITHSCORE+7.2.0]"},
    {.name = "zrevrank", .proc = cmd_zrevrank, .arity = -3, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "2.0.0",
     .summary = "Determine the index of a member in a sorted set, with scores ordered from high to low",
     .complexity = "O(log(N))",
     .history = "7.2.0 Added the optional `WITHSCORE` argument.",
     .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 member [WITHSCORE+7.2.0]"},
    {.name = "zrem", .proc = cmd_zrem, .arity = -3, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "1.2.0",
     .summary = "Remove one or more members from a sorted set",
     .complexity = "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
     .history = "2.4.0 Accepts multiple elements.",
     .key_specs = "RW delete: index 1 range 0 1 0",
     .args = "key@0 member..."},
    {.name = "zremrangebyrank", .proc = cmd_zremrangebyrank, .arity = 4, .flags = CMD_WRITE,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "2.0.0",
     .summary = "Remove all members in a sorted set within the given indexes",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
     .key_specs = "RW delete: index 1 range 0 1 0",
     .args = "key@0 start:integer stop:integer"},
    {.name = "zremrangebyscore", .proc = cmd_zremrangebyscore, .arity = 4, .flags = CMD_WRITE,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "1.2.0",
     .summary = "Remove all members in a sorted set within the given scores",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
     .key_specs = "RW delete: index 1 range 0 1 0",
     .args = "key@0 min:double max:double"},
    {.name = "zremrangebylex", .proc = cmd_zremrangebylex, .arity = 4, .flags = CMD_WRITE,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "2.8.9",
     .summary = "Remove all members in a sorted set between the given lexicographical range",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
     .key_specs = "RW delete: index 1 range 0 1 0",
     .args = "key@0 min max"},
    {.name = "zpopmin", .proc = cmd_zpopmin, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "5.0.0",
     .summary = "Remove and return members with the lowest scores in a sorted set",
     .complexity = "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
     .key_specs = "RW access delete: index 1 range 0 1 0",
     .args = "key@0 [count:integer]"},
    {.name = "zpopmax", .proc = cmd_zpopmax, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "5.0.0",
     .summary = "Remove and return members with the highest scores in a sorted set",
     .complexity = "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
     .key_specs = "RW access delete: index 1 range 0 1 0",
     .args = "key@0 [count:integer]"},
    {.name = "zmpop", .proc = cmd_zmpop, .arity = -4, .flags = CMD_WRITE | CMD_MOVABLE_KEYS,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_SLOW, .first_key = 0, .last_key = 0, .key_step = 0,
     .group = "sorted-set", .since = "7.0.0",
     .summary = "Remove and return members with scores in a sorted set",
     .complexity = "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
     .key_specs = "RW access delete: index 1 keynum 0 1 1",
     .args = "numkeys:integer key@0... where(MIN | MAX) [COUNT count:integer]"},
    {.name = "bzpopmin", .proc = cmd_bzpopmin, .arity = -3, .flags = CMD_WRITE | CMD_NOSCRIPT | CMD_BLOCKING | CMD_FAST,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_FAST | ACL_BLOCKING, .first_key = 1, .last_key = -2, .key_step = 1,
     .group = "sorted-set", .since = "5.0.0",
     .summary = "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available",
     .complexity = "O(log(N)) with N being the number of elements in the sorted set.",
     .history = "6.0.0 `timeout` is interpreted as a double instead of an integer.",
     .key_specs = "RW access delete: index 1 range -2 1 0",
     .args = "key@0... timeout:double"},
    {.name = "bzpopmax", .proc = cmd_bzpopmax, .arity = -3, .flags = CMD_WRITE | CMD_NOSCRIPT | CMD_BLOCKING | CMD_FAST,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_FAST | ACL_BLOCKING, .first_key = 1, .last_key = -2, .key_step = 1,
     .group = "sorted-set", .since = "5.0.0",
     .summary = "Remove and return the member with the highest score from one or more sorted sets, or block until one is available",
     .complexity = "O(log(N)) with N being the number of elements in the sorted set.",
     .history = "6.0.0 `timeout` is interpreted as a double instead of an integer.",
     .key_specs = "RW access delete: index 1 range -2 1 0",
     .args = "key@0... timeout:double"},
    {.name = "bzmpop", .proc = cmd_bzmpop, .arity = -5, .flags = CMD_WRITE | CMD_BLOCKING | CMD_MOVABLE_KEYS,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_SLOW | ACL_BLOCKING, .first_key = 0, .last_key = 0, .key_step = 0,
     .group = "sorted-set", .since = "7.0.0",
     .summary = "Remove and return members with scores in a sorted set or block until one is available",
     .complexity = "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
     .key_specs = "RW access delete: index 2 keynum 0 1 1",
     .args = "timeout:double numkeys:integer key@0... where(MIN | MAX) [COUNT count:integer]"},
    {.name = "zrandmember", .proc = cmd_zrandmember, .arity = -2, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "6.2.0",
     .summary = "Get one or multiple random elements from a sorted set",
     .complexity = "O(N) where N is the number of elements returned",
     .tips = "nondeterministic_output",
     .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 [options(count:integer [WITHSCORES])]"},
    {.name = "zscan", .proc = cmd_zscan, .arity = -3, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "2.8.0",
     .summary = "Incrementally iterate sorted sets elements and associated scores",
     .complexity = "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
     .tips = "nondeterministic_output",
     .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 cursor:integer [MATCH pattern:pattern] [COUNT count:integer]"},
    {.name = "zunion", .proc = cmd_zunion, .arity = -3, .flags = CMD_READONLY | CMD_MOVABLE_KEYS,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW, .first_key = 0, .last_key = 0, .key_step = 0,
     .group = "sorted-set", .since = "6.2.0",
     .summary = "Add multiple sorted sets",
     .complexity = "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
     .key_specs = "RO access: index 1 keynum 0 1 1",
     .args = "numkeys:integer key@0... [WEIGHTS weight:integer...] [AGGREGATE aggregate(SUM | MIN | MAX)] [WITHSCORES]"},
    {.name = "zunionstore", .proc = cmd_zunionstore, .arity = -4, .flags = CMD_WRITE | CMD_DENYOOM | CMD_MOVABLE_KEYS,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "2.0.0",
     .summary = "Add multiple sorted sets and store the resulting sorted set in a new key",
     .complexity = "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
     .key_specs = "OW update: index 1 range 0 1 0; RO access: index 2 keynum 0 1 1",
     .args = "destination@0 numkeys:integer key@1... [WEIGHTS weight:integer...] [AGGREGATE aggregate(SUM | MIN | MAX)]"},
    {.name = "zinter", .proc = cmd_zinter, .arity = -3, .flags = CMD_READONLY | CMD_MOVABLE_KEYS,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW, .first_key = 0, .last_key = 0, .key_step = 0,
     .group = "sorted-set", .since = "6.2.0",
     .summary = "Intersect multiple sorted sets",
     .complexity = "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
     .key_specs = "RO access: index 1 keynum 0 1 1",
     .args = "numkeys:integer key@0... [WEIGHTS weight:integer...] [AGGREGATE aggregate(SUM | MIN | MAX)] [WITHSCORES]"},
    {.name = "zinterstore", .proc = cmd_zinterstore, .arity = -4, .flags = CMD_WRITE | CMD_DENYOOM | CMD_MOVABLE_KEYS,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "2.0.0",
     .summary = "Intersect multiple sorted sets and store the resulting sorted set in a new key",
     .complexity = "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
     .key_specs = "OW update: index 1 range 0 1 0; RO access: index 2 keynum 0 1 1",
     .args = "destination@0 numkeys:integer key@1... [WEIGHTS weight:integer...] [AGGREGATE aggregate(SUM | MIN | MAX)]"},
    {.name = "zintercard", .proc = cmd_zintercard, .arity = -3, .flags = CMD_READONLY | CMD_MOVABLE_KEYS,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW, .first_key = 0, .last_key = 0, .key_step = 0,
     .group = "sorted-set", .since = "7.0.0",
     .summary = "Intersect multiple sorted sets and return the cardinality of the result",
     .complexity = "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.",
     .key_specs = "RO access: index 1 keynum 0 1 1",
     .args = "numkeys:integer key@0... [LIMIT limit:integer]"},
    {.name = "zdiff", .proc = cmd_zdiff, .arity = -3, .flags = CMD_READONLY | CMD_MOVABLE_KEYS,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW, .first_key = 0, .last_key = 0, .key_step = 0,
     .group = "sorted-set", .since = "6.2.0",
     .summary = "Subtract multiple sorted sets",
     .complexity = "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
     .key_specs = "RO access: index 1 keynum 0 1 1",
     .args = "numkeys:integer key@0... [WITHSCORES]"},
    {.name = "zdiffstore", .proc = cmd_zdiffstore, .arity = -4, .flags = CMD_WRITE | CMD_DENYOOM | CMD_MOVABLE_KEYS,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "sorted-set", .since = "6.2.0",
     .summary = "Subtract multiple sorted sets and store the resulting sorted set in a new key",
     .complexity = "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
     .key_specs = "OW update: index 1 range 0 1 0; RO access: index 2 keynum 0 1 1",
     .args = "destination@0 numkeys:integer key@1..."},
    {0}};
/* clang-format on */

/* ---- persistence: walking and building values (elements.h) ---- */

size_t zset_obj_len(const obj *o) { return zset_len(o); }

void zset_each_scored(obj *o, scored_fn *fn, void *ud) {
    if (zset_len(o) == 0) return;
    zit it;
    for (zit_first(&it, o, false); zit_valid(&it); zit_next(&it)) {
        size_t len;
        const char *m = zit_member(&it, &len);
        fn(ud, m, len, zit_score(&it));
    }
}

obj *zset_load_new(const char *key, size_t klen, int64_t expire_ms) {
    return obj_new_value(key, klen, OBJ_ZSET, OBJ_ENC_LISTPACK, lp_new(), expire_ms);
}

/* As ZADD of one pair: a member given twice keeps its last score (an equal
 * score, -0 against 0 included, changes nothing, as ZADD). */
void zset_load_add(obj *o, const char *m, size_t mlen, double score) {
    assert(!isnan(score));
    double cur;
    if (!zset_score(o, m, mlen, &cur))
        zset_insert(o, m, mlen, score);
    else if (cur != score)
        zset_update(o, m, mlen, score);
}

/* A listpack from a file: non-empty member/score pairs, every score a number
 * (num_parse_double: not NaN), strictly ascending by (score, member) as
 * zlp_insert keeps them, no member twice; then the limits. */
bool zset_load_fix(obj *o) {
    if (o->type != OBJ_ZSET || o->encoding != OBJ_ENC_LISTPACK) return false;
    lp *l = obj_ptr(o);
    uint32_t n = lp_count(l);
    if (n == 0 || n % 2) return false;
    bool convert =
        (long long)(n / 2) > server.zset_max_listpack_entries || lp_bytes(l) > ZSET_LP_SAFE_BYTES;
    unsigned long long max = (unsigned long long)server.zset_max_listpack_value;
    char bufs[2][LP_INTBUF]; /* the previous member's text and this one's */
    const char *prev = NULL;
    size_t prev_len = 0;
    double prev_score = 0;
    int cur = 0;
    for (unsigned char *p = lp_first(l); p; p = lp_next(l, lp_next(l, p))) {
        size_t len;
        const char *m = lp_get_str(p, bufs[cur], &len);
        lp_value v;
        lp_get(lp_next(l, p), &v);
        double score = (double)v.ll;
        if (v.str && (!num_parse_double(v.str, v.len, &score) || isnan(score))) return false;
        if (prev && zsl_cmp(prev_score, prev, prev_len, score, m, len) >= 0) return false;
        if (len > max) convert = true;
        prev = m;
        prev_len = len;
        prev_score = score;
        cur ^= 1;
    }
    if (lp_has_duplicates(l, 2)) return false;
    if (convert) zset_convert_to_skiplist(o);
    return true;
}
