/* src/cmd_sort.c: SORT and SORT_RO.
 *
 *   SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]]
 *        [ASC|DESC] [ALPHA] [STORE destination]
 *
 * The input is a list, a set or a sorted set (a missing key is an empty list);
 * its elements are read through src/elements.h and src/set.h, copied, sorted,
 * and either replied or stored as a list. SORT_RO is the same without STORE.
 *
 * Behaviour follows Redis 7.0 (checked against redis-server 7.0.15):
 *   - Options are read left to right, all before the key is looked up: an
 *     unknown word (or LIMIT without two arguments, a trailing BY/GET/STORE)
 *     is a syntax error, a bad LIMIT number "not an integer", and only then a
 *     key of another type WRONGTYPE. Repeated options: the last one wins
 *     (GET patterns accumulate; see BY below).
 *   - Numeric sort (the default) reads each weight (the element, or its BY
 *     value) as C's strtod reads it up to the first NUL, as Redis does: the
 *     empty string is 0, leading blanks and hex are accepted, a NaN, an
 *     out-of-range value or trailing bytes fail the whole command with
 *     "ERR One or more scores can't be converted into double". Equal weights
 *     are ordered by the elements' bytes; DESC reverses both.
 *   - ALPHA compares bytes (memcmp, then length). Redis uses strcoll() when
 *     replying and memcmp when storing; Cairn runs in the C locale, where
 *     strcoll is byte order too, and stays binary-safe past a NUL byte where
 *     strcoll would stop.
 *   - BY pattern: the first '*' of the pattern is replaced by the element; if
 *     "->" follows that '*' with something after it, the text after "->" is a
 *     hash field and the text before it the key. A missing key (or field, or a
 *     key of the wrong type) weighs 0 in a numeric sort and sorts first in an
 *     ALPHA one. A BY pattern without '*' means "do not sort": lists and sorted
 *     sets keep their own order (DESC reverses it), sets their iteration order
 *     unless STORE is given, when Redis sorts them ALPHA for a deterministic
 *     result (so does Cairn). Once a BY without '*' is seen the command does
 *     not sort, whatever later BY options say (Redis's flag is never reset).
 *   - GET pattern: the same substitution, giving the value or null (an empty
 *     element when storing); "GET #" is the element itself; a GET pattern
 *     without '*' (other than "#") always gives null.
 *   - LIMIT offset count: a negative offset is 0, a negative count means "to
 *     the end"; the range is clamped to the elements. (Redis computes
 *     offset+count-1 in a signed long, which overflows for a count near 2^63
 *     with a positive offset; Cairn clamps instead.)
 *   - STORE replaces the destination (any type, TTL dropped) with a list of the
 *     result, or deletes it when the result is empty, and replies its length.
 * Redis's ALPHA sort of ties between equal BY values is unspecified (its
 * quicksort); Cairn keeps such ties in input order, except when it stores from a
 * set, where they go by the elements' bytes so that the stored list (which the
 * AOF replays by running the SORT again) does not depend on the set's order.
 *
 * Not done: Redis 7.0 converts a listpack sorted set to a skiplist as a side
 * effect of SORT (visible in OBJECT ENCODING); Cairn leaves its input alone.
 * COMMAND GETKEYS finds the STORE key in Redis (a getkeys function); Cairn's
 * is driven by key specs only, which list it as "unknown".
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../utils/alloc.h"
#include "../utils/sbuf.h"
#include "elements.h"
#include "notify.h"
#include "server.h"
#include "set.h"

/* ---------------------------------------------------------------- elements */

typedef struct sort_item {
    const char *s;        /* the element (in the elements arena) */
    size_t len, off;      /* off: its offset while the arena grows */
    double score;         /* numeric weight */
    const char *cmp;      /* ALPHA BY weight; NULL for none (missing) */
    size_t cmplen, cmpoff;
    size_t pos;           /* input position, the last tie-break */
} sort_item;

typedef struct sort_vec {
    sort_item *v;
    size_t len, cap;
    sbuf bytes; /* every element's bytes, back to back */
} sort_vec;

static void sort_vec_add(void *ud, const char *s, size_t len) {
    sort_vec *sv = ud;
    if (sv->len == sv->cap) {
        sv->cap = sv->cap ? sv->cap * 2 : 16;
        sv->v = cn_realloc(sv->v, sv->cap * sizeof(*sv->v));
    }
    sort_item *it = &sv->v[sv->len];
    memset(it, 0, sizeof(*it));
    it->off = sv->bytes.len;
    it->len = len;
    it->pos = sv->len++;
    sbuf_catlen(&sv->bytes, s, len);
}

/* Reads o's elements into sv (o NULL: none), then points them into the arena. */
static void sort_vec_load(sort_vec *sv, obj *o) {
    if (o && o->type == OBJ_LIST) {
        list_each(o, sort_vec_add, sv);
    } else if (o && o->type == OBJ_ZSET) {
        zset_each(o, sort_vec_add, sv);
    } else if (o) {
        set_obj_iter it;
        const char *m;
        size_t len;
        set_obj_iter_init(&it, o);
        while (set_obj_iter_next(&it, &m, &len)) sort_vec_add(sv, m, len);
        set_obj_iter_deinit(&it);
    }
    for (size_t i = 0; i < sv->len; i++) sv->v[i].s = sv->bytes.buf + sv->v[i].off;
}

static void sort_vec_deinit(sort_vec *sv) {
    cn_free(sv->v);
    sbuf_free(&sv->bytes);
}

/* ---------------------------------------------------------------- patterns */

/* Looks up what pattern (pat, plen) names for element ele (see the top of the
 * file): true with its bytes in *s, *len, borrowed from the keyspace, from ele
 * or from buf (32 bytes, for integers) until the next keyspace write; false if
 * there is nothing there. key is scratch space for the key name. */
static bool sort_lookup(client *c, const char *pat, size_t plen, const char *ele, size_t elen,
                        sbuf *key, char *buf, const char **s, size_t *len) {
    /* Redis reads the pattern as a C string: nothing past a NUL counts. */
    size_t clen = strnlen(pat, plen);
    if (clen == 1 && pat[0] == '#') {
        *s = ele;
        *len = elen;
        return true;
    }
    const char *star = memchr(pat, '*', clen);
    if (!star) return false;
    const char *field = NULL, *keyend = pat + plen;
    const char *after = star + 1;
    const char *arrow = memmem(after, (size_t)(pat + clen - after), "->", 2);
    if (arrow && arrow + 2 < pat + clen) {
        field = arrow + 2;
        keyend = arrow;
    }
    key->len = 0;
    sbuf_catlen(key, pat, (size_t)(star - pat));
    sbuf_catlen(key, ele, elen);
    sbuf_catlen(key, after, (size_t)(keyend - after));
    obj *o = db_lookup_read(c->db, key->buf ? key->buf : "", key->len);
    if (!o) return false;
    if (field) {
        if (o->type != OBJ_HASH) return false;
        return hash_get_field(o, field, (size_t)(pat + plen - field), buf, s, len);
    }
    if (o->type != OBJ_STRING) return false;
    *s = obj_str(o, buf, len);
    return true;
}

/* A numeric weight as Redis reads it (strtod up to the first NUL, whole text). */
static bool sort_parse_weight(const char *s, size_t len, sbuf *tmp, double *out) {
    tmp->len = 0;
    sbuf_catlen(tmp, s, len);
    const char *t = tmp->buf ? tmp->buf : "";
    char *end;
    errno = 0;
    double d = strtod(t, &end);
    if (*end != '\0' || errno == ERANGE || isnan(d)) return false;
    *out = d;
    return true;
}

/* ---------------------------------------------------------------- comparing */

typedef struct sort_how {
    bool desc, alpha, by;
    bool ties_by_element; /* equal ALPHA BY weights: by element bytes, not input order */
} sort_how;

static int bytes_cmp(const char *a, size_t alen, const char *b, size_t blen) {
    size_t n = alen < blen ? alen : blen;
    int r = n ? memcmp(a, b, n) : 0; /* an empty value may have no bytes at all */
    if (r) return r;
    return alen < blen ? -1 : alen > blen;
}

static int sort_item_cmp(const void *pa, const void *pb, void *arg) {
    const sort_item *a = pa, *b = pb;
    const sort_how *h = arg;
    int r;
    if (!h->alpha) {
        r = a->score < b->score ? -1 : a->score > b->score;
        if (!r) r = bytes_cmp(a->s, a->len, b->s, b->len);
    } else if (h->by) {
        if (!a->cmp || !b->cmp) r = (a->cmp != NULL) - (b->cmp != NULL);
        else r = bytes_cmp(a->cmp, a->cmplen, b->cmp, b->cmplen);
    } else {
        r = bytes_cmp(a->s, a->len, b->s, b->len);
    }
    if (!r && h->ties_by_element) r = bytes_cmp(a->s, a->len, b->s, b->len);
    if (h->desc) r = -r;
    if (!r) r = a->pos < b->pos ? -1 : a->pos > b->pos;
    return r;
}

/* ---------------------------------------------------------------- SORT */

typedef struct sort_opts {
    bool desc, alpha, dontsort;
    int by;       /* argv index of the BY pattern, 0 for none */
    int store;    /* argv index of the destination, 0 for none */
    long long offset, count;
    int *gets;    /* argv indexes of the GET patterns */
    int ngets;
} sort_opts;

/* Reads the options from argv[2..]; replies the error and returns false on a
 * bad one. STORE is an option only when !readonly. */
static bool sort_opts_or_reply(client *c, bool readonly, sort_opts *o) {
    o->offset = 0;
    o->count = -1;
    for (int j = 2; j < c->argc; j++) {
        int left = c->argc - j - 1;
        if (arg_is(c, j, "asc")) {
            o->desc = false;
        } else if (arg_is(c, j, "desc")) {
            o->desc = true;
        } else if (arg_is(c, j, "alpha")) {
            o->alpha = true;
        } else if (arg_is(c, j, "limit") && left >= 2) {
            if (!arg_ll_or_reply(c, j + 1, &o->offset) || !arg_ll_or_reply(c, j + 2, &o->count))
                return false;
            j += 2;
        } else if (!readonly && arg_is(c, j, "store") && left >= 1) {
            o->store = ++j;
        } else if (arg_is(c, j, "by") && left >= 1) {
            o->by = ++j;
            /* Sticky, as in Redis: a later BY with a star does not undo it. */
            if (!memchr(c->argv[j], '*', strnlen(c->argv[j], c->argvlen[j]))) o->dontsort = true;
        } else if (arg_is(c, j, "get") && left >= 1) {
            o->gets[o->ngets++] = ++j;
        } else {
            reply_err_syntax(c);
            return false;
        }
    }
    return true;
}

/* The output range [*start, *end] of n elements under LIMIT (empty: end < start). */
static void sort_range(const sort_opts *o, long long n, long long *start, long long *end) {
    long long s = o->offset < 0 ? 0 : o->offset, e;
    if (o->count < 0) e = n - 1;
    else if (o->count > LLONG_MAX - s) e = LLONG_MAX;
    else e = s + o->count - 1;
    if (s >= n) {
        s = n - 1;
        e = n - 2;
    }
    if (e >= n) e = n - 1;
    *start = s;
    *end = e;
}

static void sort_generic(client *c, bool readonly) {
    sort_opts o = {0};
    o.gets = cn_malloc(sizeof(int) * (size_t)c->argc);
    sort_vec sv = {0};
    sbuf key = {0}, tmp = {0};
    if (!sort_opts_or_reply(c, readonly, &o)) goto done;

    obj *src = db_lookup_read(c->db, c->argv[1], c->argvlen[1]);
    if (src && src->type != OBJ_LIST && src->type != OBJ_SET && src->type != OBJ_ZSET) {
        reply_err_wrongtype(c);
        goto done;
    }
    sort_vec_load(&sv, src);
    bool is_set = src && src->type == OBJ_SET;
    sort_how how = {.desc = o.desc, .alpha = o.alpha, .by = o.by != 0};
    if (o.dontsort && is_set && o.store) {
        /* A stored result must not depend on the set's iteration order (the AOF
         * and replicas replay SORT ... STORE as it is, and a set's order after a
         * reload need not be the same): as Redis 7.0 does, BY nosort on a set
         * with STORE sorts ALPHA by the elements. */
        o.dontsort = false;
        how.alpha = true;
        how.by = false;
    }
    /* For the same reason, ties between equal ALPHA BY weights (or missing ones)
     * of a stored set are ordered by the elements, not by iteration order
     * (Redis leaves them to its quicksort; numeric ties already go by element). */
    how.ties_by_element = is_set && o.store;

    char buf[32];
    if (o.dontsort) {
        if (o.desc && !is_set) {
            for (size_t i = 0, j = sv.len; i + 1 < j; i++, j--) {
                sort_item t = sv.v[i];
                sv.v[i] = sv.v[j - 1];
                sv.v[j - 1] = t;
            }
        }
    } else {
        bool bad = false;
        sbuf cmps = {0};
        for (size_t i = 0; i < sv.len; i++) {
            sort_item *it = &sv.v[i];
            const char *w = it->s;
            size_t wlen = it->len;
            if (how.by && !sort_lookup(c, c->argv[o.by], c->argvlen[o.by], it->s, it->len, &key,
                                       buf, &w, &wlen))
                continue; /* missing: weight 0, or first for ALPHA */
            if (how.alpha) {
                if (how.by) {
                    it->cmp = w; /* marks "present"; pointed into cmps below */
                    it->cmpoff = cmps.len;
                    it->cmplen = wlen;
                    sbuf_catlen(&cmps, w, wlen);
                }
            } else if (!sort_parse_weight(w, wlen, &tmp, &it->score)) {
                bad = true;
            }
        }
        for (size_t i = 0; i < sv.len; i++)
            if (sv.v[i].cmp) sv.v[i].cmp = cmps.buf + sv.v[i].cmpoff;
        if (!bad && sv.len > 1) qsort_r(sv.v, sv.len, sizeof(*sv.v), sort_item_cmp, &how);
        sbuf_free(&cmps);
        if (bad) {
            reply_error(c, "ERR One or more scores can't be converted into double");
            goto done;
        }
    }

    long long start, end;
    sort_range(&o, (long long)sv.len, &start, &end);
    long long rows = end >= start ? end - start + 1 : 0;
    long long outlen = o.ngets ? rows * o.ngets : rows;

    if (!o.store) {
        reply_array(c, (long)outlen);
        for (long long j = start; j <= end; j++) {
            const sort_item *it = &sv.v[j];
            if (!o.ngets) reply_bulk(c, it->s, it->len);
            for (int g = 0; g < o.ngets; g++) {
                const char *s;
                size_t len;
                int pi = o.gets[g];
                if (sort_lookup(c, c->argv[pi], c->argvlen[pi], it->s, it->len, &key, buf, &s,
                                &len))
                    reply_bulk(c, s, len);
                else
                    reply_null(c);
            }
        }
        goto done;
    }

    /* STORE: the result's bytes are copied (lookups borrow), then listed. */
    const char *dkey = c->argv[o.store];
    size_t dlen = c->argvlen[o.store];
    if (outlen == 0) {
        if (db_delete(c->db, dkey, dlen))
            notify_keyspace_event(NOTIFY_GENERIC, "del", c->db, dkey, dlen);
        reply_int(c, 0);
        goto done;
    }
    sbuf out = {0};
    size_t *offs = cn_malloc(sizeof(size_t) * (size_t)outlen);
    size_t *lens = cn_malloc(sizeof(size_t) * (size_t)outlen);
    const char **ptrs = cn_malloc(sizeof(char *) * (size_t)outlen);
    size_t n = 0;
    for (long long j = start; j <= end; j++) {
        const sort_item *it = &sv.v[j];
        if (!o.ngets) {
            offs[n] = out.len;
            lens[n++] = it->len;
            sbuf_catlen(&out, it->s, it->len);
        }
        for (int g = 0; g < o.ngets; g++) {
            const char *s = "";
            size_t len = 0;
            int pi = o.gets[g];
            if (!sort_lookup(c, c->argv[pi], c->argvlen[pi], it->s, it->len, &key, buf, &s, &len))
                len = 0;
            offs[n] = out.len;
            lens[n++] = len;
            sbuf_catlen(&out, s, len);
        }
    }
    for (size_t i = 0; i < n; i++) ptrs[i] = out.buf ? out.buf + offs[i] : "";
    db_set(c->db, list_from_elements(dkey, dlen, n, ptrs, lens));
    notify_keyspace_event(NOTIFY_LIST, "sortstore", c->db, dkey, dlen);
    reply_int(c, (long long)n);
    cn_free(offs);
    cn_free(lens);
    cn_free(ptrs);
    sbuf_free(&out);

done:
    cn_free(o.gets);
    sort_vec_deinit(&sv);
    sbuf_free(&key);
    sbuf_free(&tmp);
}

static void cmd_sort(client *c) { sort_generic(c, false); }

/* SORT's keys: the sorted key, and the STORE destination if any (the last
 * STORE wins, as in the command). BY/GET patterns are not keys here, as Redis
 * answers COMMAND GETKEYS. */
static int sort_getkeys(int argc, const char *const *argv, const size_t *argvlen, int *pos,
                        int max) {
    int n = 0, store = -1;
    if (argc > 1 && n < max) pos[n++] = 1;
    for (int i = 2; i < argc; i++) {
        /* Options with arguments are skipped whole, so a key named "store" is not taken for one. */
        if (argvlen[i] == 5 && strncasecmp(argv[i], "limit", 5) == 0) i += 2;
        else if ((argvlen[i] == 2 && strncasecmp(argv[i], "by", 2) == 0) ||
                 (argvlen[i] == 3 && strncasecmp(argv[i], "get", 3) == 0)) i += 1;
        else if (argvlen[i] == 5 && strncasecmp(argv[i], "store", 5) == 0 && i + 1 < argc) store = ++i;
    }
    if (store > 0 && n < max) pos[n++] = store;
    return n;
}
static void cmd_sort_ro(client *c) { sort_generic(c, true); }

/* ---------------------------------------------------------------- the table */

#define SORT_COMPLEXITY                                                                        \
    "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the " \
    "number of returned elements. When the elements are not sorted, complexity is O(N)."
#define SORT_BYGET_SPEC                                                                        \
    "RO access: unknown unknown -- For the optional BY/GET keyword. It is marked 'unknown' " \
    "because the key names derive from the content of the key we sort"
#define SORT_ARGS                                                                              \
    "key@0 [BY pattern:pattern@1] [LIMIT offset_count(offset:integer count:integer)] "       \
    "[GET pattern:pattern@1...*] [order(ASC | DESC)] [ALPHA=sorting]"

command cmd_table_sort[] = {
    {.name = "sort", .proc = cmd_sort, .arity = -2, .getkeys = sort_getkeys,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_MOVABLE_KEYS,
     .acl = ACL_WRITE | ACL_SET | ACL_SORTEDSET | ACL_LIST | ACL_SLOW | ACL_DANGEROUS,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "generic", .since = "1.0.0",
     .summary = "Sort the elements in a list, set or sorted set",
     .complexity = SORT_COMPLEXITY,
     .key_specs = "RO access: index 1 range 0 1 0; " SORT_BYGET_SPEC
                  "; OW update: unknown unknown -- For the optional STORE keyword. It is marked "
                  "'unknown' because the keyword can appear anywhere in the argument array",
     .args = SORT_ARGS " [STORE destination@2]"},
    {.name = "sort_ro", .proc = cmd_sort_ro, .arity = -2,
     .flags = CMD_READONLY | CMD_MOVABLE_KEYS,
     .acl = ACL_READ | ACL_SET | ACL_SORTEDSET | ACL_LIST | ACL_SLOW | ACL_DANGEROUS,
     .first_key = 1, .last_key = 1, .key_step = 1, .group = "generic", .since = "7.0.0",
     .summary = "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
     .complexity = SORT_COMPLEXITY,
     .key_specs = "RO access: index 1 range 0 1 0; " SORT_BYGET_SPEC,
     .args = SORT_ARGS},
    {0},
};
