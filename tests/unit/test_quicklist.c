/* tests/unit/test_quicklist.c: the quicklist (utils/quicklist.h), checked against a
 * plain array of strings that does every operation the slow, obvious way. Every fill
 * setting is exercised; ql_check() verifies links, cached sizes and node limits after
 * each step, and the tracked memory returns to zero at the end. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/test.h"
#include "utils/alloc.h"
#include "utils/num.h"
#include "utils/quicklist.h"

static size_t mem_at_start;

/* ---- the model: an array of malloc'd byte strings (plain malloc: not counted) ----- */

typedef struct {
    char *s;
    size_t len;
} mstr;

typedef struct {
    mstr *a;
    size_t n, cap;
} model;

static void m_insert(model *m, size_t i, const char *s, size_t len) {
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->a = realloc(m->a, m->cap * sizeof(mstr));
    }
    memmove(m->a + i + 1, m->a + i, (m->n - i) * sizeof(mstr));
    m->a[i].s = malloc(len + 1);
    memcpy(m->a[i].s, s, len);
    m->a[i].len = len;
    m->n++;
}

static void m_delete(model *m, size_t i, size_t k) {
    for (size_t j = i; j < i + k; j++) free(m->a[j].s);
    memmove(m->a + i, m->a + i + k, (m->n - i - k) * sizeof(mstr));
    m->n -= k;
}

static void m_replace(model *m, size_t i, const char *s, size_t len) {
    free(m->a[i].s);
    m->a[i].s = malloc(len + 1);
    memcpy(m->a[i].s, s, len);
    m->a[i].len = len;
}

static void m_free(model *m) {
    m_delete(m, 0, m->n);
    free(m->a);
    memset(m, 0, sizeof(*m));
}

/* ---- values -------------------------------------------------------------------- */

static uint64_t rnd_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void) {
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

static char bigbuf[70000];

/* A random value in buf: integers (small and wide, stored as integers), short
 * strings, strings that look numeric but are not canonical, and rarely big ones
 * (past the 4 KB .. 64 KB node limits, so that they get a node of their own). */
static size_t rand_value(char *buf, size_t cap) {
    uint64_t r = rnd() % 100;
    if (r < 30) return num_fmt_ll(buf, (long long)(rnd() % 2000) - 1000);
    if (r < 35) return num_fmt_ll(buf, (long long)rnd());
    if (r < 40) return (size_t)snprintf(buf, cap, "0%u", (unsigned)(rnd() % 100));
    size_t len;
    if (r < 97)
        len = rnd() % 40;
    else if (r < 99)
        len = 100 + rnd() % 3000;
    else
        len = 5000 + rnd() % (cap - 5000);
    for (size_t i = 0; i < len; i++) buf[i] = (char)('a' + (i * 7 + r) % 26);
    if (len) buf[0] = (char)('A' + rnd() % 26);
    return len;
}

/* The bytes of an lp_value (integers formatted into buf). */
static const char *value_bytes(const lp_value *v, char *buf, size_t *len) {
    if (v->str) {
        *len = v->len;
        return v->str;
    }
    *len = num_fmt_ll(buf, v->ll);
    return buf;
}

static bool value_eq(const lp_value *v, const mstr *m) {
    char buf[32];
    size_t len;
    const char *s = value_bytes(v, buf, &len);
    return len == m->len && memcmp(s, m->s, len) == 0;
}

/* Compares the whole quicklist with the model, forwards and backwards. */
static bool same(quicklist *q, const model *m) {
    if (!ql_check(q) || ql_count(q) != m->n) return false;
    ql_iter it;
    lp_value v;
    size_t i = 0;
    ql_iter_init(&it, q, 0, true);
    while (ql_iter_next(&it, &v)) {
        if (i >= m->n || !value_eq(&v, &m->a[i])) return false;
        i++;
    }
    if (i != m->n) return false;
    ql_iter_init(&it, q, -1, false);
    while (ql_iter_next(&it, &v)) {
        if (i == 0 || !value_eq(&v, &m->a[i - 1])) return false;
        i--;
    }
    return i == 0;
}

/* ---- tests --------------------------------------------------------------------- */

static void t_fill_limits(void) {
    size_t b, c;
    ql_fill_limits(-1, &b, &c);
    CHECK(b == 4096 && c == UINT32_MAX);
    ql_fill_limits(-2, &b, &c);
    CHECK(b == 8192 && c == UINT32_MAX);
    ql_fill_limits(-3, &b, &c);
    CHECK_EQ_INT(b, 16384);
    ql_fill_limits(-4, &b, &c);
    CHECK_EQ_INT(b, 32768);
    ql_fill_limits(-5, &b, &c);
    CHECK_EQ_INT(b, 65536);
    ql_fill_limits(-100, &b, &c);
    CHECK_EQ_INT(b, 65536);
    ql_fill_limits(0, &b, &c);
    CHECK(b == QL_SAFETY_BYTES && c == 1);
    ql_fill_limits(128, &b, &c);
    CHECK(b == QL_SAFETY_BYTES && c == 128);
}

static void t_basic(void) {
    quicklist *q = ql_create(-2);
    lp_value v;
    CHECK(!ql_peek(q, QL_HEAD, &v) && !ql_pop(q, QL_TAIL) && !ql_index(q, 0, &v));
    CHECK(!ql_replace(q, 0, "x", 1) && ql_delete_range(q, 0, 5) == 0);
    ql_push(q, QL_TAIL, "b", 1);
    ql_push(q, QL_HEAD, "a", 1);
    ql_push(q, QL_TAIL, "42", 2);
    CHECK_EQ_INT(ql_count(q), 3);
    CHECK(ql_peek(q, QL_HEAD, &v) && v.str && v.len == 1 && v.str[0] == 'a');
    CHECK(ql_peek(q, QL_TAIL, &v) && !v.str && v.ll == 42);
    CHECK(ql_index(q, 1, &v) && v.str && v.str[0] == 'b');
    CHECK(ql_index(q, -3, &v) && v.str && v.str[0] == 'a');
    CHECK(!ql_index(q, 3, &v) && !ql_index(q, -4, &v));
    CHECK(ql_replace(q, -1, "x", 1) && ql_index(q, 2, &v) && v.str && v.str[0] == 'x');
    CHECK(ql_pop(q, QL_HEAD) && ql_pop(q, QL_TAIL));
    CHECK(ql_count(q) == 1 && ql_check(q));
    quicklist *d = ql_dup(q);
    CHECK(ql_count(d) == 1 && ql_index(d, 0, &v) && v.str && v.str[0] == 'b');
    ql_destroy(d);
    lp *l = ql_take_single_lp(q);
    CHECK(l && lp_count(l) == 1);
    lp_free(l);
    ql_destroy(NULL);
}

/* 100k pushes of 15-byte elements under fill -2 pack nodes close to 8 KB. */
static void t_packing(void) {
    quicklist *q = ql_create(-2);
    char buf[32];
    for (int i = 0; i < 100000; i++) {
        snprintf(buf, sizeof buf, "element:%07d", i);
        ql_push(q, QL_TAIL, buf, 15);
    }
    CHECK(ql_check(q));
    /* 17 bytes an entry: ~480 per 8 KB node. */
    CHECK_RANGE(q->nodes, 100000 / 482, 100000 / 470 + 1);
    size_t per = ql_mem_usage(q, 0) * 100 / 100000;
    CHECK_RANGE(per, 1700, 1900); /* bytes per element, x100 */
    lp_value v;
    CHECK(ql_index(q, 54321, &v) && v.len == 15 && memcmp(v.str, "element:0054321", 15) == 0);
    CHECK(ql_index(q, -1, &v) && memcmp(v.str, "element:0099999", 15) == 0);
    /* Popping from the head never merges: node count only drops. */
    for (int i = 0; i < 50000; i++) ql_pop(q, QL_HEAD);
    CHECK(ql_check(q) && ql_count(q) == 50000);
    CHECK(ql_index(q, 0, &v) && memcmp(v.str, "element:0050000", 15) == 0);
    /* Deleting every other entry thins nodes; leaving a node merges it. */
    ql_iter it;
    ql_iter_init(&it, q, 0, true);
    bool del = true;
    while (ql_iter_next(&it, &v)) {
        if (del) ql_iter_delete(&it);
        del = !del;
    }
    CHECK(ql_check(q) && ql_count(q) == 25000);
    CHECK_RANGE(q->nodes, 25000 / 482, 25000 / 300 + 2);
    CHECK(ql_index(q, 0, &v) && memcmp(v.str, "element:0050001", 15) == 0);
    ql_destroy(q);
}

static void t_big_entries(void) {
    quicklist *q = ql_create(-1);
    memset(bigbuf, 'z', sizeof bigbuf);
    ql_push(q, QL_TAIL, "a", 1);
    ql_push(q, QL_TAIL, bigbuf, 10000); /* bigger than a 4 KB node: its own node */
    ql_push(q, QL_TAIL, "b", 1);
    CHECK(ql_check(q) && q->nodes == 3);
    /* Replacing a small entry with a big one splits its node. */
    ql_push(q, QL_HEAD, "c", 1);
    ql_push(q, QL_HEAD, "d", 1);
    CHECK(ql_replace(q, 1, bigbuf, 5000) && ql_check(q));
    lp_value v;
    CHECK(ql_index(q, 1, &v) && v.len == 5000);
    CHECK(ql_index(q, 0, &v) && v.str[0] == 'd');
    CHECK(ql_index(q, 2, &v) && v.str[0] == 'a');
    CHECK(ql_count(q) == 5);
    /* A small entry in place of the big one: the thin node merges back. */
    size_t nodes = q->nodes;
    CHECK(ql_replace(q, 1, "e", 1) && ql_check(q) && q->nodes < nodes);
    CHECK(ql_index(q, 1, &v) && v.len == 1 && v.str[0] == 'e');
    ql_destroy(q);
}

/* Fill 1 and 0: one entry a node; inserts in the middle spill into new nodes. */
static void t_fill_one(void) {
    for (int fill = 0; fill <= 1; fill++) {
        quicklist *q = ql_create(fill);
        model m = {0};
        for (int i = 0; i < 10; i++) {
            char b[8];
            size_t n = num_fmt_ll(b, i);
            ql_push(q, QL_TAIL, b, n);
            m_insert(&m, m.n, b, n);
        }
        CHECK(q->nodes == 10 && same(q, &m));
        ql_iter it;
        lp_value v;
        ql_iter_init(&it, q, 4, true);
        CHECK(ql_iter_next(&it, &v));
        ql_iter_insert(&it, true, "x", 1);
        m_insert(&m, 5, "x", 1);
        CHECK(q->nodes == 11 && same(q, &m));
        m_free(&m);
        ql_destroy(q);
    }
}

/* The randomized test: every operation, checked against the model. */
static void fuzz_fill(int fill, int steps) {
    quicklist *q = ql_create(fill);
    model m = {0};
    char buf[sizeof bigbuf], nb[32];
    bool ok = true;
    for (int step = 0; step < steps && ok; step++) {
        uint64_t op = rnd() % 100;
        size_t len;
        lp_value v;
        if (op < 30) { /* push either end */
            len = rand_value(buf, sizeof buf);
            bool head = rnd() % 2;
            ql_push(q, head ? QL_HEAD : QL_TAIL, buf, len);
            m_insert(&m, head ? 0 : m.n, buf, len);
        } else if (op < 42) { /* pop either end */
            bool head = rnd() % 2;
            bool had = ql_peek(q, head ? QL_HEAD : QL_TAIL, &v);
            CHECK(had == (m.n > 0));
            if (had) {
                CHECK(value_eq(&v, &m.a[head ? 0 : m.n - 1]));
                CHECK(ql_pop(q, head ? QL_HEAD : QL_TAIL));
                m_delete(&m, head ? 0 : m.n - 1, 1);
            }
        } else if (op < 52) { /* index, in and out of range */
            long i = (long)(rnd() % (m.n + 3)) - 1;
            if (rnd() % 2) i = -i - 1;
            bool in = i >= 0 ? (size_t)i < m.n : (size_t)(-i) <= m.n;
            CHECK(ql_index(q, i, &v) == in);
            if (in) CHECK(value_eq(&v, &m.a[i >= 0 ? (size_t)i : m.n - (size_t)(-i)]));
        } else if (op < 60) { /* replace */
            if (!m.n) continue;
            size_t i = rnd() % m.n;
            len = rand_value(buf, sizeof buf);
            CHECK(ql_replace(q, rnd() % 2 ? (long)i : (long)i - (long)m.n, buf, len));
            m_replace(&m, i, buf, len);
        } else if (op < 66) { /* delete a range */
            if (!m.n) continue;
            size_t i = rnd() % m.n, k = rnd() % 8 == 0 ? rnd() % (m.n + 2) : rnd() % 20;
            size_t exp = k > m.n - i ? m.n - i : k;
            CHECK_EQ_INT(ql_delete_range(q, rnd() % 2 ? (long)i : (long)i - (long)m.n, k), exp);
            m_delete(&m, i, exp);
        } else if (op < 76) { /* walk from a random index, deleting some */
            if (!m.n) continue;
            bool fwd = rnd() % 2;
            size_t i = rnd() % m.n;
            unsigned every = 1 + (unsigned)(rnd() % 4);
            ql_iter it;
            ql_iter_init(&it, q, (long)i, fwd);
            size_t mi = i; /* model index of the next entry the walk returns */
            size_t walked = 0, limit = rnd() % 3 == 0 ? SIZE_MAX : rnd() % 50;
            while (walked < limit && ql_iter_next(&it, &v)) {
                if (!value_eq(&v, &m.a[mi])) {
                    test_fail(__FILE__, __LINE__, "walk mismatch at %zu (fill %d)", mi, fill);
                    ok = false;
                    break;
                }
                walked++;
                if (rnd() % every == 0) {
                    ql_iter_delete(&it);
                    m_delete(&m, mi, 1);
                    if (!fwd) {
                        if (mi == 0) break;
                        mi--;
                    }
                } else if (fwd) {
                    mi++;
                } else {
                    if (mi == 0) break;
                    mi--;
                }
                if (fwd && mi >= m.n) break;
            }
            /* After a break the walk must end too (or it is dropped early). */
        } else if (op < 86) { /* insert next to a walked-to entry */
            if (!m.n) continue;
            size_t i = rnd() % m.n;
            bool after = rnd() % 2;
            len = rand_value(buf, sizeof buf);
            ql_iter it;
            ql_iter_init(&it, q, (long)i, rnd() % 2);
            CHECK(ql_iter_next(&it, &v) && value_eq(&v, &m.a[i]));
            ql_iter_insert(&it, after, buf, len);
            m_insert(&m, i + (after ? 1 : 0), buf, len);
        } else if (op < 90) { /* replace through a walk */
            if (!m.n) continue;
            size_t i = rnd() % m.n;
            len = rand_value(buf, sizeof buf);
            ql_iter it;
            ql_iter_init(&it, q, (long)i, true);
            CHECK(ql_iter_next(&it, &v));
            ql_iter_replace(&it, buf, len);
            m_replace(&m, i, buf, len);
        } else if (op < 91) { /* dup */
            quicklist *d = ql_dup(q);
            CHECK(same(d, &m));
            ql_destroy(d);
        } else { /* bulk pushes, so that lists get long */
            int n = (int)(rnd() % 200);
            bool head = rnd() % 2;
            for (int j = 0; j < n; j++) {
                len = num_fmt_ll(nb, (long long)(rnd() % 100000));
                if (j % 3 == 0) nb[len++] = 'x';
                ql_push(q, head ? QL_HEAD : QL_TAIL, nb, len);
                m_insert(&m, head ? 0 : m.n, nb, len);
            }
        }
        if (!ql_check(q) || ql_count(q) != m.n) {
            test_fail(__FILE__, __LINE__, "structure broken after op %llu step %d (fill %d)",
                      (unsigned long long)op, step, fill);
            ok = false;
        }
        if (step % 97 == 0 && !same(q, &m)) {
            test_fail(__FILE__, __LINE__, "content differs at step %d (fill %d)", step, fill);
            ok = false;
        }
    }
    CHECK(same(q, &m));
    m_free(&m);
    ql_destroy(q);
}

static void t_fuzz_every_fill(void) {
    static const int fills[] = {-1, -2, -3, -4, -5, -6, 0, 1, 2, 3, 5, 16, 128, 1000};
    for (size_t i = 0; i < sizeof fills / sizeof fills[0]; i++) fuzz_fill(fills[i], 20000);
}

static void t_memory_back_to_zero(void) { CHECK_EQ_INT(cn_used_memory(), mem_at_start); }

int main(void) {
    mem_at_start = cn_used_memory();
    test_run("fill limits", t_fill_limits);
    test_run("push pop index replace", t_basic);
    test_run("packing of 100k entries", t_packing);
    test_run("entries bigger than a node", t_big_entries);
    test_run("fill 0 and 1", t_fill_one);
    test_run("randomized vs model, every fill", t_fuzz_every_fill);
    test_run("memory back to zero", t_memory_back_to_zero);
    return test_summary("quicklist");
}
