/* tests/unit/test_value_io.c: the persistence bridge of src/elements.h, with no
 * server running. Values built with the _load_new and _load_add functions take
 * the encoding the thresholds (server fields, set directly here) give, and read
 * back exactly through list_each, set_obj_iter, hash_each_pair and
 * zset_each_scored; duplicates merge as the write commands merge them; the
 * expire is carried. The _load_fix functions keep or convert listpack and
 * intset blocks as the limits say, and refuse odd pair counts, bad scores,
 * misordered sorted sets, repeated members and empty values. Every object is
 * freed and tracked memory returns to where it was after each test.
 *
 * Values are compared as text: a list or sorted set joined in its order, a set
 * or hash sorted first (a multiset), so a failure prints both sides. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/config.h"
#include "src/elements.h"
#include "src/server.h"
#include "src/set.h"
#include "tests/test.h"
#include "utils/alloc.h"
#include "utils/intset.h"
#include "utils/listpack.h"

/* The server library links main.c's hook for maxclients; this suite has no main.c. */
int server_maxclients_changed(char *err, size_t errlen) {
    (void)err;
    (void)errlen;
    return 0;
}

static void defaults(void) {
    server.hash_max_listpack_entries = 128;
    server.hash_max_listpack_value = 64;
    server.set_max_intset_entries = 512;
    server.set_max_listpack_entries = 128;
    server.set_max_listpack_value = 64;
    server.list_max_listpack_size = -2;
    server.zset_max_listpack_entries = 128;
    server.zset_max_listpack_value = 64;
}

/* ---- collecting a value's elements as text (plain malloc: not counted) ---------- */

typedef struct {
    char **items;
    size_t n, cap;
} coll;

static void coll_addf(coll *c, const char *fmt, const char *a, size_t alen, const char *b,
                      size_t blen) {
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->items = realloc(c->items, c->cap * sizeof(char *));
    }
    size_t n = alen + blen + 64;
    char *s = malloc(n);
    snprintf(s, n, fmt, (int)alen, a, (int)blen, b);
    c->items[c->n++] = s;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The items joined by '|', sorted first if asked; frees them. The result is
 * malloc'd. */
static char *coll_join(coll *c, bool sorted) {
    if (sorted && c->n) qsort(c->items, c->n, sizeof(char *), cmp_str);
    size_t len = 1;
    for (size_t i = 0; i < c->n; i++) len += strlen(c->items[i]) + 1;
    char *out = malloc(len), *p = out;
    *p = '\0';
    for (size_t i = 0; i < c->n; i++) {
        p += sprintf(p, "%s%s", i ? "|" : "", c->items[i]);
        free(c->items[i]);
    }
    free(c->items);
    *c = (coll){0};
    return out;
}

static void on_elem(void *ud, const char *s, size_t len) {
    coll_addf(ud, "%.*s%.*s", s, len, "", 0);
}

static void on_pair(void *ud, const char *f, size_t flen, const char *v, size_t vlen) {
    coll_addf(ud, "%.*s=%.*s", f, flen, v, vlen);
}

static void on_scored(void *ud, const char *m, size_t mlen, double score) {
    char sbuf[64];
    snprintf(sbuf, sizeof(sbuf), "%.17g", score);
    coll_addf(ud, "%.*s:%.*s", m, mlen, sbuf, strlen(sbuf));
}

static char *list_text(obj *o) {
    coll c = {0};
    list_each(o, on_elem, &c);
    CHECK_EQ_INT(c.n, list_obj_len(o));
    return coll_join(&c, false);
}

static char *set_text(obj *o) {
    coll c = {0};
    set_obj_iter it;
    set_obj_iter_init(&it, o);
    const char *m;
    size_t len;
    while (set_obj_iter_next(&it, &m, &len)) on_elem(&c, m, len);
    set_obj_iter_deinit(&it);
    CHECK_EQ_INT(c.n, set_obj_len(o));
    return coll_join(&c, true);
}

static char *hash_text(obj *o) {
    coll c = {0};
    hash_each_pair(o, on_pair, &c);
    CHECK_EQ_INT(c.n, hash_obj_len(o));
    return coll_join(&c, true);
}

static char *zset_text(obj *o) {
    coll c = {0};
    zset_each_scored(o, on_scored, &c);
    CHECK_EQ_INT(c.n, zset_obj_len(o));
    char *s = coll_join(&c, false);
    /* zset_each (members only) walks the same order. */
    coll m = {0};
    zset_each(o, on_elem, &m);
    char *members = coll_join(&m, false);
    char *expect = strdup(s), *w = expect;
    for (const char *r = s; *r;) { /* drop the ":score" parts */
        while (*r && *r != ':') *w++ = *r++;
        while (*r && *r != '|') r++;
        if (*r) *w++ = *r++;
    }
    *w = '\0';
    CHECK_EQ_STR(members, expect);
    free(members);
    free(expect);
    return s;
}

#define CHECK_TEXT(fn, o, expect)                                                                  \
    do {                                                                                           \
        char *t_ = fn(o);                                                                          \
        CHECK_EQ_STR(t_, expect);                                                                  \
        free(t_);                                                                                  \
    } while (0)

/* "prefixN" for N in [from, to), joined by '|' (what a value of them reads as). */
static char *seq_text(const char *fmt, int from, int to) {
    coll c = {0};
    for (int i = from; i < to; i++) {
        char b[64];
        int n = snprintf(b, sizeof(b), fmt, i);
        coll_addf(&c, "%.*s%.*s", b, (size_t)n, "", 0);
    }
    return coll_join(&c, false);
}

static void add_str(obj *o, void (*add)(obj *, const char *, size_t), const char *s) {
    add(o, s, strlen(s));
}

/* ---- lists ---------------------------------------------------------------------- */

static void t_list_build(void) {
    size_t before = cn_used_memory();
    defaults();
    obj *o = list_load_new("mylist", 6, 1700000000123LL);
    CHECK_EQ_INT(o->type, OBJ_LIST);
    CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    CHECK_EQ_INT(list_obj_len(o), 0);
    const char *els[] = {"a", "1", "-7", "", "a", "12345678901234567890", "x y"};
    for (size_t i = 0; i < 7; i++) add_str(o, list_load_add, els[i]);
    CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    CHECK_EQ_INT(list_obj_len(o), 7);
    CHECK_EQ_INT(obj_expire(o), 1700000000123LL);
    CHECK_EQ_MEM(obj_key(o), obj_keylen(o), "mylist", 6);
    CHECK_TEXT(list_text, o, "a|1|-7||a|12345678901234567890|x y");
    obj_free(o);

    /* A positive fill caps the entries of the listpack: one more converts. */
    server.list_max_listpack_size = 5;
    o = list_load_new("k", 1, OBJ_NO_EXPIRE);
    char b[32];
    for (int i = 0; i < 5; i++) list_load_add(o, b, (size_t)snprintf(b, sizeof(b), "e%d", i));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    for (int i = 5; i < 23; i++) list_load_add(o, b, (size_t)snprintf(b, sizeof(b), "e%d", i));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_QUICKLIST);
    CHECK_EQ_INT(obj_expire(o), OBJ_NO_EXPIRE);
    char *expect = seq_text("e%d", 0, 23);
    CHECK_TEXT(list_text, o, expect);
    free(expect);
    obj_free(o);

    /* The default (-2, 8 KB): 100 elements of 100 bytes convert. */
    server.list_max_listpack_size = -2;
    o = list_load_new("k", 1, OBJ_NO_EXPIRE);
    char big[101];
    for (int i = 0; i < 100; i++) {
        memset(big, 'a' + i % 26, 100);
        list_load_add(o, big, 100);
        if (i == 10) CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    }
    CHECK_EQ_INT(o->encoding, OBJ_ENC_QUICKLIST);
    CHECK_EQ_INT(list_obj_len(o), 100);
    obj_free(o);

    /* Fill 0: one element per node, so a second element converts. */
    server.list_max_listpack_size = 0;
    o = list_load_new("k", 1, OBJ_NO_EXPIRE);
    add_str(o, list_load_add, "one");
    CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    add_str(o, list_load_add, "two");
    CHECK_EQ_INT(o->encoding, OBJ_ENC_QUICKLIST);
    CHECK_TEXT(list_text, o, "one|two");
    obj_free(o);
    CHECK_EQ_INT(cn_used_memory(), before);
}

/* A list object holding the listpack of the n elements el (as a file gives it). */
static obj *list_from_lp(const char *const *el, const size_t *len, size_t n) {
    lp *l = lp_new();
    for (size_t i = 0; i < n; i++) l = lp_append(l, el[i], len[i]);
    return obj_new_value("k", 1, OBJ_LIST, OBJ_ENC_LISTPACK, l, 4242);
}

static void t_list_fix(void) {
    size_t before = cn_used_memory();
    defaults();
    const char *el[] = {"a", "10", "b", "-3", "c", "d"};
    size_t len[] = {1, 2, 1, 2, 1, 1};
    obj *o = list_from_lp(el, len, 6);
    CHECK(list_load_fix(o));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    CHECK_TEXT(list_text, o, "a|10|b|-3|c|d");
    obj_free(o);

    server.list_max_listpack_size = 4;
    o = list_from_lp(el, len, 6);
    CHECK(list_load_fix(o));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_QUICKLIST);
    CHECK_TEXT(list_text, o, "a|10|b|-3|c|d");
    CHECK_EQ_INT(obj_expire(o), 4242);
    obj_free(o);

    o = list_from_lp(el, len, 0); /* there is no empty list */
    CHECK(!list_load_fix(o));
    obj_free(o);

    /* Whatever the fill and sizes, fixing a listpack gives the encoding that
     * RPUSHing its elements one by one gives. */
    static char buf[64][600];
    const char *bel[64];
    size_t blen[64];
    unsigned seed = 7;
    const int fills[] = {-1, -2, 3, 8, 0, 1};
    for (size_t f = 0; f < sizeof(fills) / sizeof(fills[0]); f++) {
        for (int round = 0; round < 20; round++) {
            server.list_max_listpack_size = fills[f];
            size_t n = 1 + (seed = seed * 1103515245 + 12345) % 16;
            for (size_t i = 0; i < n; i++) {
                blen[i] = (seed = seed * 1103515245 + 12345) % 600;
                memset(buf[i], 'a' + (int)(i % 26), blen[i]);
                bel[i] = buf[i];
            }
            obj *a = list_load_new("k", 1, OBJ_NO_EXPIRE);
            for (size_t i = 0; i < n; i++) list_load_add(a, bel[i], blen[i]);
            obj *b = list_from_lp(bel, blen, n);
            CHECK(list_load_fix(b));
            CHECK_EQ_INT(b->encoding, a->encoding);
            char *ta = list_text(a), *tb = list_text(b);
            CHECK_EQ_STR(tb, ta);
            free(ta);
            free(tb);
            obj_free(a);
            obj_free(b);
        }
    }
    CHECK_EQ_INT(cn_used_memory(), before);
}

/* ---- sets ----------------------------------------------------------------------- */

static obj *set_of(const char *const *m, size_t n) {
    obj *o = set_load_new("s", 1, OBJ_NO_EXPIRE);
    for (size_t i = 0; i < n; i++) add_str(o, set_load_add, m[i]);
    return o;
}

static void t_set_build(void) {
    size_t before = cn_used_memory();
    defaults();
    obj *o = set_load_new("myset", 5, 99);
    CHECK_EQ_INT(o->type, OBJ_SET);
    add_str(o, set_load_add, "3");
    add_str(o, set_load_add, "1");
    add_str(o, set_load_add, "-2");
    add_str(o, set_load_add, "3"); /* kept once */
    CHECK_EQ_INT(o->encoding, OBJ_ENC_INTSET);
    CHECK_EQ_INT(set_obj_len(o), 3);
    CHECK_EQ_INT(obj_expire(o), 99);
    CHECK_TEXT(set_text, o, "-2|1|3");
    /* A string among integers: a listpack (it and the integers fit). */
    add_str(o, set_load_add, "x");
    CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    add_str(o, set_load_add, "x");
    add_str(o, set_load_add, "1");
    CHECK_TEXT(set_text, o, "-2|1|3|x");
    CHECK(set_obj_contains(o, "1", 1) && set_obj_contains(o, "x", 1));
    obj_free(o);

    /* First member a string: a listpack from the start; "07" is not an integer. */
    const char *mixed[] = {"07", "5", "hello", "5", "07"};
    o = set_of(mixed, 5);
    CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    CHECK_TEXT(set_text, o, "07|5|hello");
    obj_free(o);

    /* Integers past set-max-intset-entries: a hashtable (not a listpack). */
    server.set_max_intset_entries = 16;
    o = set_load_new("s", 1, OBJ_NO_EXPIRE);
    char b[32];
    for (int i = 0; i < 16; i++) set_load_add(o, b, (size_t)snprintf(b, sizeof(b), "%d", i));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_INTSET);
    for (int i = 0; i < 16; i++) set_load_add(o, b, (size_t)snprintf(b, sizeof(b), "%d", i));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_INTSET); /* repeats add nothing */
    set_load_add(o, "16", 2);
    CHECK_EQ_INT(o->encoding, OBJ_ENC_HASHTABLE);
    CHECK_EQ_INT(set_obj_len(o), 17);
    obj_free(o);

    /* Strings past set-max-listpack-entries, and a long one. */
    server.set_max_listpack_entries = 8;
    o = set_load_new("s", 1, OBJ_NO_EXPIRE);
    for (int i = 0; i < 8; i++) set_load_add(o, b, (size_t)snprintf(b, sizeof(b), "m%02d", i));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    for (int i = 0; i < 20; i++) set_load_add(o, b, (size_t)snprintf(b, sizeof(b), "m%02d", i));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_HASHTABLE);
    char *expect = seq_text("m%02d", 0, 20);
    CHECK_TEXT(set_text, o, expect);
    free(expect);
    obj_free(o);

    defaults();
    char longm[100];
    memset(longm, 'z', sizeof(longm));
    o = set_load_new("s", 1, OBJ_NO_EXPIRE);
    add_str(o, set_load_add, "short");
    set_load_add(o, longm, 65);
    CHECK_EQ_INT(o->encoding, OBJ_ENC_HASHTABLE);
    obj_free(o);
    o = set_load_new("s", 1, OBJ_NO_EXPIRE); /* a long first member */
    set_load_add(o, longm, 65);
    CHECK_EQ_INT(o->encoding, OBJ_ENC_HASHTABLE);
    CHECK_EQ_INT(set_obj_len(o), 1);
    obj_free(o);

    /* set-max-intset-entries 0: SADD into a new key gives a listpack. */
    server.set_max_intset_entries = 0;
    o = set_load_new("s", 1, OBJ_NO_EXPIRE);
    add_str(o, set_load_add, "1");
    CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    obj_free(o);
    CHECK_EQ_INT(cn_used_memory(), before);
}

static obj *set_from_lp(const char *const *m, size_t n) {
    lp *l = lp_new();
    for (size_t i = 0; i < n; i++) l = lp_append(l, m[i], strlen(m[i]));
    return obj_new_value("s", 1, OBJ_SET, OBJ_ENC_LISTPACK, l, 7);
}

static obj *set_from_intset(int from, int to) {
    intset *is = intset_new();
    for (int i = from; i < to; i++) {
        bool added;
        is = intset_add(is, (int64_t)i * 1000, &added);
    }
    return obj_new_value("s", 1, OBJ_SET, OBJ_ENC_INTSET, is, OBJ_NO_EXPIRE);
}

static void t_set_fix(void) {
    size_t before = cn_used_memory();
    defaults();
    obj *o = set_from_intset(-2, 3);
    CHECK(set_load_fix(o));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_INTSET);
    CHECK_TEXT(set_text, o, "-1000|-2000|0|1000|2000");
    obj_free(o);

    server.set_max_intset_entries = 4;
    o = set_from_intset(-2, 3);
    CHECK(set_load_fix(o));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_HASHTABLE);
    CHECK_TEXT(set_text, o, "-1000|-2000|0|1000|2000");
    CHECK(set_obj_contains(o, "2000", 4));
    obj_free(o);

    o = set_from_intset(0, 0);
    CHECK(!set_load_fix(o));
    obj_free(o);

    defaults();
    const char *m[] = {"a", "17", "bb", "-4", "ccc"};
    o = set_from_lp(m, 5);
    CHECK(set_load_fix(o));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    CHECK_TEXT(set_text, o, "-4|17|a|bb|ccc");
    obj_free(o);

    server.set_max_listpack_entries = 4;
    o = set_from_lp(m, 5);
    CHECK(set_load_fix(o));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_HASHTABLE);
    CHECK_TEXT(set_text, o, "-4|17|a|bb|ccc");
    CHECK_EQ_INT(obj_expire(o), 7);
    obj_free(o);

    defaults();
    server.set_max_listpack_value = 2;
    o = set_from_lp(m, 5);
    CHECK(set_load_fix(o));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_HASHTABLE);
    CHECK_TEXT(set_text, o, "-4|17|a|bb|ccc");
    obj_free(o);

    defaults();
    const char *dup[] = {"a", "17", "b", "17"};
    o = set_from_lp(dup, 4);
    CHECK(!set_load_fix(o));
    obj_free(o);
    const char *dups[] = {"x", "b", "x"};
    o = set_from_lp(dups, 3);
    CHECK(!set_load_fix(o));
    obj_free(o);
    o = set_from_lp(m, 0);
    CHECK(!set_load_fix(o));
    obj_free(o);
    CHECK_EQ_INT(cn_used_memory(), before);
}

/* ---- hashes --------------------------------------------------------------------- */

static void hadd(obj *o, const char *f, const char *v) {
    hash_load_add(o, f, strlen(f), v, strlen(v));
}

static void t_hash_build(void) {
    size_t before = cn_used_memory();
    defaults();
    obj *o = hash_load_new("myhash", 6, 5555);
    CHECK_EQ_INT(o->type, OBJ_HASH);
    CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    CHECK_EQ_INT(hash_obj_len(o), 0);
    hadd(o, "name", "cairn");
    hadd(o, "42", "-1");
    hadd(o, "empty", "");
    hadd(o, "name", "redis"); /* the last value wins */
    CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    CHECK_EQ_INT(hash_obj_len(o), 3);
    CHECK_EQ_INT(obj_expire(o), 5555);
    CHECK_TEXT(hash_text, o, "42=-1|empty=|name=redis");
    char buf[32];
    const char *v;
    size_t vlen;
    CHECK(hash_get_field(o, "42", 2, buf, &v, &vlen));
    CHECK_EQ_MEM(v, vlen, "-1", 2);
    obj_free(o);

    /* Past hash-max-listpack-entries: a hashtable; repeats still merge. */
    server.hash_max_listpack_entries = 10;
    o = hash_load_new("h", 1, OBJ_NO_EXPIRE);
    char f[32], val[32];
    for (int i = 0; i < 10; i++) {
        snprintf(f, sizeof(f), "f%02d", i);
        snprintf(val, sizeof(val), "%d", i);
        hadd(o, f, val);
    }
    CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    for (int i = 0; i < 30; i++) {
        snprintf(f, sizeof(f), "f%02d", i);
        snprintf(val, sizeof(val), "v%d", i * 2);
        hadd(o, f, val);
    }
    CHECK_EQ_INT(o->encoding, OBJ_ENC_HASHTABLE);
    CHECK_EQ_INT(hash_obj_len(o), 30);
    hadd(o, "f03", "last");
    coll c = {0};
    for (int i = 0; i < 30; i++) {
        snprintf(f, sizeof(f), "f%02d", i);
        snprintf(val, sizeof(val), "v%d", i * 2);
        coll_addf(&c, "%.*s=%.*s", f, strlen(f), i == 3 ? "last" : val,
                  strlen(i == 3 ? "last" : val));
    }
    char *expect = coll_join(&c, true);
    CHECK_TEXT(hash_text, o, expect);
    free(expect);
    obj_free(o);

    /* A long value or field: a hashtable at once. */
    defaults();
    char longv[70];
    memset(longv, 'v', sizeof(longv));
    o = hash_load_new("h", 1, OBJ_NO_EXPIRE);
    hadd(o, "a", "1");
    hash_load_add(o, "b", 1, longv, 65);
    CHECK_EQ_INT(o->encoding, OBJ_ENC_HASHTABLE);
    CHECK_EQ_INT(hash_obj_len(o), 2);
    obj_free(o);
    o = hash_load_new("h", 1, OBJ_NO_EXPIRE);
    hash_load_add(o, longv, 65, "x", 1);
    CHECK_EQ_INT(o->encoding, OBJ_ENC_HASHTABLE);
    obj_free(o);
    CHECK_EQ_INT(cn_used_memory(), before);
}

/* A hash object holding the listpack f, v, f, v ... of the n strings e. */
static obj *hash_from_lp(const char *const *e, size_t n) {
    lp *l = lp_new();
    for (size_t i = 0; i < n; i++) l = lp_append(l, e[i], strlen(e[i]));
    return obj_new_value("h", 1, OBJ_HASH, OBJ_ENC_LISTPACK, l, OBJ_NO_EXPIRE);
}

static void t_hash_fix(void) {
    size_t before = cn_used_memory();
    defaults();
    const char *e[] = {"f1", "v1", "2", "200", "f3", "a longer value"};
    obj *o = hash_from_lp(e, 6);
    CHECK(hash_load_fix(o));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    CHECK_TEXT(hash_text, o, "2=200|f1=v1|f3=a longer value");
    obj_free(o);

    server.hash_max_listpack_entries = 2;
    o = hash_from_lp(e, 6);
    CHECK(hash_load_fix(o));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_HASHTABLE);
    CHECK_TEXT(hash_text, o, "2=200|f1=v1|f3=a longer value");
    char buf[32];
    const char *v;
    size_t vlen;
    CHECK(hash_get_field(o, "2", 1, buf, &v, &vlen));
    CHECK_EQ_MEM(v, vlen, "200", 3);
    obj_free(o);

    defaults();
    server.hash_max_listpack_value = 10; /* "a longer value" is 14 bytes */
    o = hash_from_lp(e, 6);
    CHECK(hash_load_fix(o));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_HASHTABLE);
    CHECK_TEXT(hash_text, o, "2=200|f1=v1|f3=a longer value");
    obj_free(o);

    defaults();
    o = hash_from_lp(e, 5); /* odd: a field without its value */
    CHECK(!hash_load_fix(o));
    obj_free(o);
    o = hash_from_lp(e, 0);
    CHECK(!hash_load_fix(o));
    obj_free(o);
    const char *dup[] = {"f", "1", "g", "2", "f", "3"};
    o = hash_from_lp(dup, 6);
    CHECK(!hash_load_fix(o));
    obj_free(o);
    const char *intdup[] = {"7", "a", "7", "b"}; /* integer fields */
    o = hash_from_lp(intdup, 4);
    CHECK(!hash_load_fix(o));
    obj_free(o);
    const char *valsame[] = {"f", "same", "g", "same"}; /* equal values are fine */
    o = hash_from_lp(valsame, 4);
    CHECK(hash_load_fix(o));
    obj_free(o);
    CHECK_EQ_INT(cn_used_memory(), before);
}

/* ---- sorted sets ---------------------------------------------------------------- */

static void zadd(obj *o, const char *m, double score) { zset_load_add(o, m, strlen(m), score); }

static void t_zset_build(void) {
    size_t before = cn_used_memory();
    defaults();
    obj *o = zset_load_new("myzset", 6, 777);
    CHECK_EQ_INT(o->type, OBJ_ZSET);
    CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    CHECK_EQ_INT(zset_obj_len(o), 0);
    zadd(o, "c", 3);
    zadd(o, "a", 1.5);
    zadd(o, "b", 3); /* ties by member: b before c */
    zadd(o, "10", -INFINITY);
    zadd(o, "z", INFINITY);
    zadd(o, "tiny", 1e-310);
    zadd(o, "a", 4); /* the last score wins, and the order follows */
    CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    CHECK_EQ_INT(zset_obj_len(o), 6);
    CHECK_EQ_INT(obj_expire(o), 777);
    CHECK_TEXT(zset_text, o, "10:-inf|tiny:9.9999999999999694e-311|b:3|c:3|a:4|z:inf");
    obj_free(o);

    /* Past zset-max-listpack-entries: a skiplist, same order, repeats merged. */
    server.zset_max_listpack_entries = 8;
    o = zset_load_new("z", 1, OBJ_NO_EXPIRE);
    char m[32];
    for (int i = 0; i < 8; i++) {
        snprintf(m, sizeof(m), "m%02d", i);
        zadd(o, m, 100 - i);
    }
    CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    for (int i = 0; i < 20; i++) {
        snprintf(m, sizeof(m), "m%02d", i);
        zadd(o, m, i % 2 ? 0.5 : 7); /* m00 m02 ... at 7, m01 m03 ... at 0.5 */
    }
    CHECK_EQ_INT(o->encoding, OBJ_ENC_SKIPLIST);
    CHECK_EQ_INT(zset_obj_len(o), 20);
    zadd(o, "m05", -1);
    CHECK_TEXT(zset_text, o,
               "m05:-1|m01:0.5|m03:0.5|m07:0.5|m09:0.5|m11:0.5|m13:0.5|m15:0.5|m17:0.5|m19:0.5|"
               "m00:7|m02:7|m04:7|m06:7|m08:7|m10:7|m12:7|m14:7|m16:7|m18:7");
    obj_free(o);

    /* A long member: a skiplist. */
    defaults();
    char longm[70];
    memset(longm, 'q', sizeof(longm));
    o = zset_load_new("z", 1, OBJ_NO_EXPIRE);
    zadd(o, "a", 1);
    zset_load_add(o, longm, 65, 0);
    CHECK_EQ_INT(o->encoding, OBJ_ENC_SKIPLIST);
    CHECK_EQ_INT(zset_obj_len(o), 2);
    obj_free(o);
    CHECK_EQ_INT(cn_used_memory(), before);
}

/* A sorted set object holding the listpack m, score, m, score ... of the n
 * strings e, scores as zset stores them: integers as integers (lp_append turns
 * "3" into one), others as text. */
static obj *zset_from_lp(const char *const *e, size_t n) {
    lp *l = lp_new();
    for (size_t i = 0; i < n; i++) l = lp_append(l, e[i], strlen(e[i]));
    return obj_new_value("z", 1, OBJ_ZSET, OBJ_ENC_LISTPACK, l, 31);
}

static void t_zset_fix(void) {
    size_t before = cn_used_memory();
    defaults();
    const char *e[] = {"x", "-inf", "b", "1", "c", "1", "5", "2.5", "a", "inf"};
    obj *o = zset_from_lp(e, 10);
    CHECK(zset_load_fix(o));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_LISTPACK);
    CHECK_TEXT(zset_text, o, "x:-inf|b:1|c:1|5:2.5|a:inf");
    obj_free(o);

    server.zset_max_listpack_entries = 4;
    o = zset_from_lp(e, 10);
    CHECK(zset_load_fix(o));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_SKIPLIST);
    CHECK_TEXT(zset_text, o, "x:-inf|b:1|c:1|5:2.5|a:inf");
    CHECK_EQ_INT(obj_expire(o), 31);
    obj_free(o);

    defaults();
    const char *longer[] = {"short", "1", "a-much-longer-member", "2"};
    server.zset_max_listpack_value = 10;
    o = zset_from_lp(longer, 4);
    CHECK(zset_load_fix(o));
    CHECK_EQ_INT(o->encoding, OBJ_ENC_SKIPLIST);
    CHECK_TEXT(zset_text, o, "short:1|a-much-longer-member:2");
    obj_free(o);
    defaults();

    /* Refused: odd count, empty, scores that are not numbers, wrong order,
     * a member twice. */
    o = zset_from_lp(e, 9);
    CHECK(!zset_load_fix(o));
    obj_free(o);
    o = zset_from_lp(e, 0);
    CHECK(!zset_load_fix(o));
    obj_free(o);
    const char *bad[][6] = {
        {"a", "1", "b", "abc", "c", "3"}, /* not a number */
        {"a", "1", "b", "nan", "c", "3"}, /* NaN */
        {"a", "1", "b", "", "c", "3"},    /* empty score */
        {"a", "1", "b", "2 ", "c", "3"},  /* trailing space */
        {"a", "2", "b", "1", "c", "3"},   /* scores descending */
        {"b", "1", "a", "1", "c", "3"},   /* a tie out of member order */
        {"a", "1", "a", "1", "c", "3"},   /* the same pair twice */
        {"a", "1", "b", "2", "a", "3"},   /* a member twice, apart */
        {"1", "1", "b", "2", "1", "3"},   /* an integer member twice */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        o = zset_from_lp(bad[i], 6);
        if (zset_load_fix(o)) test_fail(__FILE__, __LINE__, "bad[%zu] accepted", i);
        obj_free(o);
    }
    /* Fine: equal scores ordered by member bytes ("B" < "a"), -0 against 0,
     * a score written as text that is not the shortest. */
    const char *good[] = {"B", "0", "a", "-0", "b", "1.50", "c", "1e1"};
    o = zset_from_lp(good, 8);
    CHECK(zset_load_fix(o));
    CHECK_TEXT(zset_text, o, "B:0|a:-0|b:1.5|c:10");
    obj_free(o);

    /* A fixed listpack takes later writes as the commands make them. */
    const char *small[] = {"a", "1", "c", "3"};
    o = zset_from_lp(small, 4);
    CHECK(zset_load_fix(o));
    zadd(o, "b", 2);
    zadd(o, "a", 5);
    CHECK_TEXT(zset_text, o, "b:2|c:3|a:5");
    obj_free(o);
    CHECK_EQ_INT(cn_used_memory(), before);
}

/* ---- the listpack helper ----------------------------------------------------------- */

static void t_lp_duplicates(void) {
    size_t before = cn_used_memory();
    lp *l = lp_new();
    CHECK(!lp_has_duplicates(l, 1));
    l = lp_append(l, "1", 1);
    CHECK(!lp_has_duplicates(l, 1));
    l = lp_append(l, "1", 1); /* a field "1" with the value "1" */
    CHECK(lp_has_duplicates(l, 1));
    CHECK(!lp_has_duplicates(l, 2));
    l = lp_append(l, "abc", 3);
    l = lp_append(l, "1", 1);
    CHECK(!lp_has_duplicates(l, 2)); /* fields "1", "abc" */
    l = lp_append(l, "abc", 3);      /* an odd count: the last field alone */
    CHECK(lp_has_duplicates(l, 2));
    lp_free(l);
    l = lp_new();
    char b[32];
    for (int i = 0; i < 500; i++)
        l = lp_append(l, b, (size_t)snprintf(b, sizeof(b), "%d", i * 7919 % 1000));
    CHECK(!lp_has_duplicates(l, 1));
    l = lp_append(l, "abc", 3);
    l = lp_append(l, "abd", 3);
    l = lp_append(l, "ab", 2);
    CHECK(!lp_has_duplicates(l, 1));
    l = lp_append(l, "7919", 4); /* 7919 % 1000 = 919 is there, 7919 is not */
    CHECK(!lp_has_duplicates(l, 1));
    l = lp_append(l, "919", 3);
    CHECK(lp_has_duplicates(l, 1));
    lp_free(l);
    CHECK_EQ_INT(cn_used_memory(), before);
}

int main(void) {
    test_run("lists: built across the limits, read back in order", t_list_build);
    test_run("lists: fix keeps or converts as RPUSH would", t_list_fix);
    test_run("sets: built across the limits, repeats merged", t_set_build);
    test_run("sets: fix of intsets and listpacks", t_set_fix);
    test_run("hashes: built across the limits, last value wins", t_hash_build);
    test_run("hashes: fix converts, refuses odd, empty, repeated fields", t_hash_fix);
    test_run("sorted sets: built across the limits, last score wins", t_zset_build);
    test_run("sorted sets: fix converts, refuses bad scores and order", t_zset_fix);
    test_run("listpack: duplicates found", t_lp_duplicates);
    return test_summary("value_io");
}
