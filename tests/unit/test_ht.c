/* tests/unit/test_ht.c: the hash table (utils/ht.h), checked against a plain model:
 * entries are numbered, the model knows which numbers are in the table, and every
 * entry counts how often it was destroyed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/test.h"
#include "utils/alloc.h"
#include "utils/hash.h"
#include "utils/ht.h"

/* ---- entries ---------------------------------------------------------------------- */

typedef struct entry {
    uint32_t id;
    uint32_t len;
    char key[];
} entry;

static unsigned *destroyed; /* destroyed[id]: times entry_destroy ran */
static size_t destroyed_cap;

static const void *entry_key(const void *e, size_t *len) {
    const entry *en = e;
    *len = en->len;
    return en->key;
}

static void entry_destroy(void *e) {
    entry *en = e;
    if (en->id < destroyed_cap) destroyed[en->id]++;
    cn_free(en);
}

static const ht_type type = {.entry_key = entry_key, .entry_destroy = entry_destroy};
static const ht_type type_nodestroy = {.entry_key = entry_key, .entry_destroy = NULL};

/* A binary key for id: 4 to 20 bytes, with NUL bytes in it (a leading NUL, the id's
 * little-endian bytes, which are NUL for small ids, then filler). */
static size_t make_key(char *buf, uint32_t id) {
    size_t len = 5 + id % 16;
    buf[0] = '\0';
    memcpy(buf + 1, &id, 4);
    for (size_t i = 5; i < len; i++) buf[i] = (char)(i % 3 == 0 ? 0 : 'a' + (id + i) % 26);
    return len;
}

static entry *new_entry(uint32_t id) {
    char k[32];
    size_t len = make_key(k, id);
    entry *e = cn_malloc(sizeof(entry) + len);
    e->id = id;
    e->len = (uint32_t)len;
    memcpy(e->key, k, len);
    return e;
}

static void destroyed_reset(size_t n) {
    cn_free(destroyed);
    destroyed = cn_calloc(n, sizeof(unsigned));
    destroyed_cap = n;
}

static void destroyed_free(void) {
    cn_free(destroyed);
    destroyed = NULL;
    destroyed_cap = 0;
}

static entry *find_id(ht *t, uint32_t id) {
    char k[32];
    size_t len = make_key(k, id);
    return ht_find(t, k, len);
}

static bool delete_id(ht *t, uint32_t id) {
    char k[32];
    size_t len = make_key(k, id);
    return ht_delete(t, k, len);
}

static entry *pop_id(ht *t, uint32_t id) {
    char k[32];
    size_t len = make_key(k, id);
    return ht_pop(t, k, len);
}

static void finish_rehash(ht *t) {
    while (ht_rehash_us(t, 1000)) {
    }
}

static double now_sec(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rnd_state = 88172645463325252ULL;
static uint64_t rnd(void) {
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

/* ---- tests ------------------------------------------------------------------------ */

static void t_basic(void) {
    destroyed_reset(16);
    ht *t = ht_create(&type);
    CHECK_EQ_INT(ht_size(t), 0);
    CHECK(ht_find(t, "x", 1) == NULL);
    CHECK(ht_find_ref(t, "x", 1) == NULL);
    CHECK(ht_random(t) == NULL);
    void *out[4];
    CHECK_EQ_INT(ht_sample(t, out, 4), 0);
    CHECK_EQ_INT(ht_scan(t, 0, NULL, NULL), 0);
    CHECK(!ht_delete(t, "x", 1) && ht_pop(t, "x", 1) == NULL);

    entry *a = new_entry(1), *b = new_entry(2), *a2 = new_entry(1);
    CHECK(ht_add(t, a));
    CHECK(ht_add(t, b));
    CHECK(!ht_add(t, a2)); /* same key: refused, caller keeps a2 */
    void *existing = NULL;
    CHECK(!ht_add_or_find(t, a2, &existing) && existing == a);
    CHECK_EQ_INT(ht_size(t), 2);
    CHECK(find_id(t, 1) == a && find_id(t, 2) == b && find_id(t, 3) == NULL);
    void *r = ht_random(t);
    CHECK(r == a || r == b);

    /* replace through the slot with a reallocated copy with the same key */
    char k[32];
    size_t len = make_key(k, 1);
    void **ref = ht_find_ref(t, k, len);
    CHECK(ref && *ref == a);
    *ref = a2;
    CHECK(find_id(t, 1) == a2);
    cn_free(a);

    CHECK(pop_id(t, 2) == b);
    CHECK(find_id(t, 2) == NULL && ht_size(t) == 1);
    CHECK_EQ_INT(destroyed[2], 0);
    cn_free(b);
    CHECK(delete_id(t, 1));
    CHECK_EQ_INT(destroyed[1], 1);
    CHECK(!delete_id(t, 1));
    CHECK_EQ_INT(ht_size(t), 0);

    /* two-phase insert */
    ht_position pos;
    len = make_key(k, 5);
    CHECK(ht_find_or_position(t, k, len, &pos) == NULL);
    entry *c = new_entry(5);
    ht_insert_at(t, &pos, c);
    CHECK(find_id(t, 5) == c);
    CHECK(ht_find_or_position(t, k, len, &pos) != NULL);

    /* empty key */
    entry *empty = cn_malloc(sizeof(entry));
    empty->id = 6;
    empty->len = 0;
    CHECK(ht_add(t, empty));
    CHECK(ht_find(t, "", 0) == empty);

    ht_destroy(t);
    CHECK_EQ_INT(destroyed[5], 1);
    CHECK_EQ_INT(destroyed[6], 1);
    ht_destroy(NULL);
    destroyed_free();
}

/* Batched adds as a snapshot load does them: prefetch a batch, then find-or-insert
 * each at its position, across growth and with duplicates inside one batch. */
static void t_prefetch_batches(void) {
    ht *t = ht_create(&type_nodestroy);
    enum { N = 20000, B = 16 };
    entry *batch[B];
    ht_position pos[B];
    size_t added = 0, dups = 0;
    for (uint32_t base = 0; base < N; base += B) {
        for (int i = 0; i < B; i++) {
            /* every 7th entry repeats an id of the same batch or of an earlier one */
            uint32_t id = (base + (uint32_t)i) % 7 == 6 ? base + (uint32_t)i / 2 : base + (uint32_t)i;
            batch[i] = new_entry(id);
            ht_prefetch(t, batch[i]->key, batch[i]->len, &pos[i]);
        }
        for (int i = 0; i < B; i++) {
            void **ref = ht_find_or_position_at(t, batch[i]->key, batch[i]->len, &pos[i]);
            if (ref) {
                CHECK_EQ_INT(((entry *)*ref)->id, batch[i]->id);
                cn_free(batch[i]);
                dups++;
            } else {
                ht_insert_at(t, &pos[i], batch[i]);
                added++;
            }
        }
    }
    CHECK_EQ_INT(ht_size(t), added);
    CHECK(dups > N / 10); /* the duplicate path was taken, often */
    for (uint32_t id = 0; id < N; id++) {
        entry *e = find_id(t, id);
        if (e) CHECK_EQ_INT(e->id, id);
    }
    ht_iter it;
    ht_iter_init(&it, t);
    for (void *e; (e = ht_iter_next(&it)) != NULL;) cn_free(e);
    ht_iter_deinit(&it);
    ht_destroy(t);
}

/* ht_reserve(n): n entries then go in without a resize, in no more buckets than
 * adding them one by one ends with, and fewer than ht_expand(n) takes. */
static void t_reserve(void) {
    enum { N = 150000 }; /* 80% of 32768 buckets holds it; 50% needs 65536 */
    ht *grown = ht_create(&type_nodestroy), *reserved = ht_create(&type_nodestroy),
       *expanded = ht_create(&type_nodestroy);
    ht_reserve(reserved, N);
    ht_expand(expanded, N);
    size_t before = ht_buckets(reserved);
    for (uint32_t id = 0; id < N; id++) {
        ht_add(grown, new_entry(id));
        ht_add(reserved, new_entry(id));
    }
    finish_rehash(grown);
    CHECK(!ht_is_rehashing(reserved));
    CHECK_EQ_INT(ht_buckets(reserved), before);
    CHECK(ht_buckets(reserved) <= ht_buckets(grown));
    CHECK(ht_buckets(reserved) < ht_buckets(expanded));
    for (ht *t = grown; t; t = t == grown ? reserved : NULL) {
        ht_iter it;
        ht_iter_init(&it, t);
        for (void *e; (e = ht_iter_next(&it)) != NULL;) cn_free(e);
        ht_iter_deinit(&it);
    }
    ht_destroy(grown);
    ht_destroy(reserved);
    ht_destroy(expanded);
}

static void report_overhead(ht *t, size_t n) {
    size_t during = ht_is_rehashing(t) ? ht_mem_usage(t) : 0;
    finish_rehash(t);
    double per = (double)ht_mem_usage(t) / (double)n;
    printf("    %7zu entries: %.1f bytes/entry of table memory", n, per);
    if (during) printf(" (%.1f while the resize was under way)", (double)during / (double)n);
    printf("\n");
    CHECK(per <= 24.0);
}

static void t_million(void) {
    const uint32_t N = 1000000;
    destroyed_reset(N);
    ht *t = ht_create(&type);
    for (uint32_t i = 0; i < N; i++) {
        if (!ht_add(t, new_entry(i))) {
            CHECK(!"add failed");
            break;
        }
        if (i + 1 == 1000 || i + 1 == 100000 || i + 1 == N) report_overhead(t, i + 1);
    }
    CHECK_EQ_INT(ht_size(t), N);
    size_t missing = 0, wrong = 0;
    for (uint32_t i = 0; i < N; i++) {
        entry *e = find_id(t, i);
        if (!e) missing++;
        else if (e->id != i) wrong++;
    }
    CHECK_EQ_INT(missing, 0);
    CHECK_EQ_INT(wrong, 0);
    for (uint32_t i = N; i < N + 1000; i++) CHECK(find_id(t, i) == NULL);
    /* duplicates refused */
    entry *dup = new_entry(12345);
    CHECK(!ht_add(t, dup));
    cn_free(dup);
    CHECK_EQ_INT(ht_size(t), N);

    /* pop the even ids, delete the odd ones */
    size_t bad = 0;
    for (uint32_t i = 0; i < N; i += 2) {
        entry *e = pop_id(t, i);
        if (!e || e->id != i) bad++;
        cn_free(e);
    }
    CHECK_EQ_INT(ht_size(t), N / 2);
    for (uint32_t i = 0; i < N; i++) {
        entry *e = find_id(t, i);
        if ((e != NULL) != (i % 2 == 1)) bad++;
    }
    for (uint32_t i = 1; i < N; i += 2)
        if (!delete_id(t, i)) bad++;
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(ht_size(t), 0);
    for (uint32_t i = 0; i < N; i++)
        if (destroyed[i] != (i % 2)) bad++;
    CHECK_EQ_INT(bad, 0);
    /* an empty table gives its buckets back */
    CHECK_EQ_INT(ht_buckets(t), 0);
    ht_destroy(t);
    destroyed_free();
}

/* Random operations against a model, with rehashing interleaved, over grow and shrink. */
static void t_model_random_ops(void) {
    const uint32_t K = 60000;
    destroyed_reset(K);
    entry **model = cn_calloc(K, sizeof(entry *));
    unsigned *expect_destroyed = cn_calloc(K, sizeof(unsigned));
    ht *t = ht_create(&type);
    size_t size = 0, bad = 0, rehash_seen = 0;
    for (int phase = 0; phase < 6; phase++) {
        /* alternate: mostly adds, then mostly deletes */
        int add_pct = phase % 2 == 0 ? 80 : 15;
        for (int op = 0; op < 150000; op++) {
            uint32_t id = (uint32_t)(rnd() % K);
            int r = (int)(rnd() % 100);
            if (ht_is_rehashing(t)) rehash_seen++;
            if (r < add_pct) {
                entry *e = new_entry(id);
                bool added = ht_add(t, e);
                if (added != (model[id] == NULL)) bad++;
                if (added) {
                    model[id] = e;
                    size++;
                } else {
                    cn_free(e);
                }
            } else if (r < add_pct + 10) {
                entry *e = find_id(t, id);
                if (e != model[id]) bad++;
            } else if (r < add_pct + 12) {
                ht_rehash_step(t);
            } else if (r % 2) {
                bool had = model[id] != NULL;
                unsigned before = destroyed[id];
                if (delete_id(t, id) != had) bad++;
                if (had && destroyed[id] != before + 1) bad++;
                if (had) {
                    size--;
                    expect_destroyed[id]++;
                }
                model[id] = NULL;
            } else {
                entry *e = pop_id(t, id);
                if (e != model[id]) bad++;
                if (e) {
                    size--;
                    cn_free(e);
                }
                model[id] = NULL;
            }
            if (ht_size(t) != size) bad++;
        }
        for (uint32_t id = 0; id < K; id++)
            if (find_id(t, id) != model[id]) bad++;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(rehash_seen > 1000);
    ht_destroy(t);
    /* every entry destroyed exactly once: deletes plus what was left at destroy */
    for (uint32_t id = 0; id < K; id++)
        if (destroyed[id] != expect_destroyed[id] + (model[id] != NULL)) bad++;
    CHECK_EQ_INT(bad, 0);
    cn_free(expect_destroyed);
    cn_free(model);
    destroyed_free();
}

/* Ops while one long rehash is in progress: everything stays findable in both arrays. */
static void t_ops_during_rehash(void) {
    destroyed_reset(40000);
    ht *t = ht_create(&type);
    uint32_t n = 0;
    while (n < 40000) {
        ht_add(t, new_entry(n++));
        if (ht_is_rehashing(t) && n > 10000) break;
    }
    CHECK(ht_is_rehashing(t));
    size_t bad = 0;
    /* deletes, finds and adds with the rehash still going */
    for (uint32_t i = 0; i < n; i += 3)
        if (!delete_id(t, i)) bad++;
    for (uint32_t i = 0; i < n; i++)
        if ((find_id(t, i) != NULL) != (i % 3 != 0)) bad++;
    for (uint32_t i = n; i < n + 500; i++)
        if (!ht_add(t, new_entry(i))) bad++;
    finish_rehash(t);
    CHECK(!ht_is_rehashing(t));
    CHECK(!ht_rehash_step(t));
    for (uint32_t i = 0; i < n + 500; i++)
        if ((find_id(t, i) != NULL) != (i >= n || i % 3 != 0)) bad++;
    CHECK_EQ_INT(bad, 0);
    ht_destroy(t);
    destroyed_free();
}

typedef struct scan_state {
    unsigned *seen; /* by id */
    size_t calls;
} scan_state;

static void scan_cb(void *privdata, void *e) {
    scan_state *st = privdata;
    st->seen[((entry *)e)->id]++;
    st->calls++;
}

/* A chain of many entries in one bucket: with resizing not allowed a small table
 * chains deeply; deletes compact and fold children back. */
static void t_long_chains(void) {
    destroyed_reset(2000);
    ht_set_resize_allowed(false);
    ht *t = ht_create(&type);
    for (uint32_t i = 0; i < 30; i++) ht_add(t, new_entry(i));
    CHECK_EQ_INT(ht_buckets(t), 1); /* 30 entries in one bucket chain (< 5 per slot) */
    size_t mem_full = ht_mem_usage(t);
    size_t bad = 0;
    for (uint32_t i = 0; i < 30; i++)
        if (!find_id(t, i)) bad++;
    for (uint32_t i = 0; i < 30; i += 2)
        if (!delete_id(t, i)) bad++;
    for (uint32_t i = 0; i < 30; i++)
        if ((find_id(t, i) != NULL) != (i % 2 == 1)) bad++;
    CHECK(ht_mem_usage(t) < mem_full); /* emptied children are freed */
    for (uint32_t i = 100; i < 1000; i++) ht_add(t, new_entry(i)); /* crosses 500% */
    CHECK(ht_buckets(t) > 1);
    ht_set_resize_allowed(true);
    for (uint32_t i = 100; i < 1000; i++)
        if (!find_id(t, i)) bad++;
    /* a scan sees every entry of long chains */
    ht_set_resize_allowed(false);
    ht *u = ht_create(&type);
    for (uint32_t i = 0; i < 33; i++) ht_add(u, new_entry(i));
    ht_set_resize_allowed(true);
    scan_state st = {cn_calloc(2000, sizeof(unsigned)), 0};
    CHECK_EQ_INT(ht_scan(u, 0, scan_cb, &st), 0); /* one bucket: done in one call */
    for (uint32_t i = 0; i < 33; i++)
        if (st.seen[i] != 1) bad++;
    cn_free(st.seen);
    ht_destroy(u);
    ht_destroy(t);
    CHECK_EQ_INT(bad, 0);
    destroyed_free();
}

static void t_resize_not_allowed(void) {
    destroyed_reset(100000);
    ht *t = ht_create(&type);
    for (uint32_t i = 0; i < 1000; i++) ht_add(t, new_entry(i));
    finish_rehash(t);
    size_t b0 = ht_buckets(t);
    ht_set_resize_allowed(false);
    uint32_t n = 1000;
    while (n < 100000 && ht_buckets(t) == b0) ht_add(t, new_entry(n++));
    /* grew only near 5 entries per slot */
    CHECK(n > b0 * 7 * 5 - 10);
    CHECK(n <= b0 * 7 * 5 + 1);
    ht_set_resize_allowed(true);
    size_t bad = 0;
    for (uint32_t i = 0; i < n; i++)
        if (!find_id(t, i)) bad++;
    CHECK_EQ_INT(bad, 0);
    /* shrinking waits for 2.5% while not allowed */
    finish_rehash(t);
    ht_set_resize_allowed(false);
    size_t b1 = ht_buckets(t);
    uint32_t i = 0;
    for (; i < n && ht_buckets(t) == b1; i++) delete_id(t, i);
    size_t left = n - i;
    CHECK(left * 40 <= b1 * 7 + 40);
    ht_set_resize_allowed(true);
    ht_destroy(t);
    destroyed_free();
}

/* ---- scan ------------------------------------------------------------------------- */

/* Stable ids [0, S) stay for the whole scan; volatile ids [S, S+V) come and go between
 * scan calls so that the table grows several times, then shrinks, with rehashing in
 * progress at many of the calls. */
static void scan_round(uint32_t S, uint32_t V, int mode, size_t *bad, size_t *rehash_calls,
                       size_t *resizes) {
    destroyed_reset(S + V);
    ht *t = ht_create(&type);
    for (uint32_t i = 0; i < S; i++) ht_add(t, new_entry(i));
    finish_rehash(t);
    scan_state st = {cn_calloc(S + V, sizeof(unsigned)), 0};
    uint32_t next_v = S, low_v = S;
    size_t cursor = 0, calls = 0, last_buckets = ht_buckets(t);
    do {
        cursor = ht_scan(t, cursor, scan_cb, &st);
        calls++;
        if (ht_is_rehashing(t)) (*rehash_calls)++;
        if (ht_buckets(t) != last_buckets) {
            (*resizes)++;
            last_buckets = ht_buckets(t);
        }
        /* mode 0: grow for 300 calls, then shrink; mode 1: alternate every 60 calls */
        bool growing = mode == 0 ? calls < 300 : (calls / 60) % 2 == 0;
        if (growing) {
            for (int j = 0; j < 40 && next_v < S + V; j++) ht_add(t, new_entry(next_v++));
        } else {
            for (int j = 0; j < 60 && low_v < next_v; j++) delete_id(t, low_v++);
        }
        if (calls % 7 == 0) ht_rehash_step(t);
    } while (cursor != 0 && calls < 10000000);
    for (uint32_t i = 0; i < S; i++)
        if (st.seen[i] == 0) (*bad)++;
    cn_free(st.seen);
    ht_destroy(t);
    destroyed_free();
}

static void t_scan_guarantee(void) {
    size_t bad = 0, rehash_calls = 0, resizes = 0;
    scan_round(3000, 40000, 0, &bad, &rehash_calls, &resizes);
    CHECK_EQ_INT(bad, 0);
    scan_round(500, 20000, 1, &bad, &rehash_calls, &resizes);
    CHECK_EQ_INT(bad, 0);
    scan_round(20, 5000, 0, &bad, &rehash_calls, &resizes);
    CHECK_EQ_INT(bad, 0);
    printf("    scan: %zu calls made while rehashing, %zu array changes during scans\n",
           rehash_calls, resizes);
    CHECK(rehash_calls > 50);
    CHECK(resizes > 10);

    /* A plain full scan of a quiet table visits every entry exactly once. */
    destroyed_reset(50000);
    ht *t = ht_create(&type);
    for (uint32_t i = 0; i < 50000; i++) ht_add(t, new_entry(i));
    finish_rehash(t);
    scan_state st = {cn_calloc(50000, sizeof(unsigned)), 0};
    size_t cursor = 0;
    do cursor = ht_scan(t, cursor, scan_cb, &st);
    while (cursor);
    size_t not_once = 0;
    for (uint32_t i = 0; i < 50000; i++)
        if (st.seen[i] != 1) not_once++;
    CHECK_EQ_INT(not_once, 0);
    cn_free(st.seen);
    ht_destroy(t);
    destroyed_free();
}

/* ---- iterator --------------------------------------------------------------------- */

static void iter_round(uint32_t n, bool during_rehash, bool add_during, size_t *bad) {
    const uint32_t extra = 20000, cap = 2 * n + extra + 64; /* ids stay below cap */
    destroyed_reset(cap);
    ht *t = ht_create(&type);
    uint32_t i = 0;
    for (; i < n; i++) ht_add(t, new_entry(i));
    if (during_rehash) {
        /* keep adding until a resize starts */
        while (!ht_is_rehashing(t)) ht_add(t, new_entry(i++));
        for (int s = 0; s < 3; s++) ht_rehash_step(t);
    } else {
        finish_rehash(t);
    }
    uint32_t total = i, next_add = i;
    unsigned *seen = cn_calloc(cap, sizeof(unsigned));
    ht_iter it;
    ht_iter_init(&it, t);
    entry *e;
    size_t returned = 0;
    while ((e = ht_iter_next(&it)) != NULL) {
        seen[e->id]++;
        returned++;
        if (e->id < total) {
            /* delete two of three entries just returned, with both calls */
            if (e->id % 3 == 1) {
                if (!delete_id(t, e->id)) (*bad)++;
            } else if (e->id % 3 == 2) {
                entry *p = pop_id(t, e->id);
                if (p != e) (*bad)++;
                cn_free(p);
            }
        }
        if (add_during && next_add < total + extra) {
            for (int k = 0; k < 2; k++) ht_add(t, new_entry(next_add++));
        }
        /* rehashing stays paused while iterating */
        if (ht_rehash_step(t) != ht_is_rehashing(t)) (*bad)++;
    }
    ht_iter_deinit(&it);
    for (uint32_t k = 0; k < total; k++)
        if (seen[k] != 1) (*bad)++;
    for (uint32_t k = total; k < next_add; k++)
        if (seen[k] > 1) (*bad)++;
    /* what is left: ids % 3 == 0 plus the added ones */
    for (uint32_t k = 0; k < total; k++) {
        bool present = find_id(t, k) != NULL;
        if (present != (k % 3 == 0)) (*bad)++;
        if (k % 3 == 1 && destroyed[k] != 1) (*bad)++;
    }
    for (uint32_t k = total; k < next_add; k++)
        if (!find_id(t, k)) (*bad)++;
    cn_free(seen);
    ht_destroy(t);
    for (uint32_t k = 0; k < next_add; k++)
        if (k % 3 != 2 && destroyed[k] != 1) (*bad)++;
    destroyed_free();
}

static void t_safe_iterator(void) {
    size_t bad = 0;
    iter_round(0, false, false, &bad);
    iter_round(1, false, false, &bad);
    iter_round(10000, false, false, &bad);
    CHECK_EQ_INT(bad, 0);
    iter_round(10000, true, false, &bad);
    CHECK_EQ_INT(bad, 0);
    iter_round(3000, false, true, &bad); /* adds start a resize mid-iteration */
    CHECK_EQ_INT(bad, 0);
    bad = 0;
    iter_round(5000, true, true, &bad);
    CHECK_EQ_INT(bad, 0);

    /* deleting everything while iterating frees the buckets at deinit */
    destroyed_reset(5000);
    ht *t = ht_create(&type);
    for (uint32_t i = 0; i < 5000; i++) ht_add(t, new_entry(i));
    ht_iter it;
    ht_iter_init(&it, t);
    entry *e;
    while ((e = ht_iter_next(&it)) != NULL) delete_id(t, e->id);
    ht_iter_deinit(&it);
    CHECK_EQ_INT(ht_size(t), 0);
    CHECK_EQ_INT(ht_buckets(t), 0);
    ht_destroy(t);
    destroyed_free();

    /* an iterator over a table with long chains copies whole chains */
    destroyed_reset(100);
    ht_set_resize_allowed(false);
    t = ht_create(&type);
    for (uint32_t i = 0; i < 34; i++) ht_add(t, new_entry(i));
    ht_set_resize_allowed(true);
    CHECK_EQ_INT(ht_buckets(t), 1);
    size_t count = 0;
    ht_iter_init(&it, t);
    while ((e = ht_iter_next(&it)) != NULL) {
        count++;
        delete_id(t, e->id);
    }
    ht_iter_deinit(&it);
    CHECK_EQ_INT(count, 34);
    CHECK_EQ_INT(ht_size(t), 0);
    ht_destroy(t);
    destroyed_free();
}

/* ---- random and sample ------------------------------------------------------------ */

static void t_random_and_sample(void) {
    const uint32_t N = 1000;
    destroyed_reset(N * 2);
    ht *t = ht_create(&type);
    for (uint32_t i = 0; i < N; i++) ht_add(t, new_entry(i));
    finish_rehash(t);
    unsigned *hits = cn_calloc(N, sizeof(unsigned));
    const int draws = 1000000;
    size_t bad = 0;
    for (int d = 0; d < draws; d++) {
        entry *e = ht_random(t);
        if (!e || find_id(t, e->id) != e) bad++;
        else hits[e->id]++;
    }
    CHECK_EQ_INT(bad, 0);
    /* fairness: chi-square with N-1 degrees of freedom (mean 999, sd ~45) */
    double expect = (double)draws / N, chi = 0;
    unsigned min = UINT32_MAX, max = 0;
    for (uint32_t i = 0; i < N; i++) {
        chi += (hits[i] - expect) * (hits[i] - expect) / expect;
        if (hits[i] < min) min = hits[i];
        if (hits[i] > max) max = hits[i];
    }
    printf("    ht_random over %u entries: chi2 %.0f (dof %u), hits min %u max %u (mean %.0f)\n",
           N, chi, N - 1, min, max, expect);
    CHECK(chi < 1.25 * N); /* fair: ~N +- 45 */
    CHECK(min > expect * 0.8);

    /* ht_random_many: the same fairness, in calls of 1, 5 and 16 */
    memset(hits, 0, N * sizeof(unsigned));
    void *many[16];
    static const size_t sizes[] = {1, 5, 16};
    for (int d = 0; d < draws;) {
        size_t want = sizes[d % 3];
        if (want > (size_t)(draws - d)) want = (size_t)(draws - d);
        size_t got = ht_random_many(t, many, want);
        if (got != want) bad++;
        for (size_t k = 0; k < got; k++) {
            entry *e = many[k];
            if (find_id(t, e->id) != e) bad++;
            else hits[e->id]++;
        }
        d += (int)want;
    }
    CHECK_EQ_INT(bad, 0);
    chi = 0;
    min = UINT32_MAX;
    for (uint32_t i = 0; i < N; i++) {
        chi += (hits[i] - expect) * (hits[i] - expect) / expect;
        if (hits[i] < min) min = hits[i];
    }
    printf("    ht_random_many over %u entries: chi2 %.0f (dof %u), hits min %u\n", N, chi,
           N - 1, min);
    CHECK(chi < 1.25 * N);
    CHECK(min > expect * 0.8);
    CHECK_EQ_INT(ht_random_many(t, many, 0), 0);

    /* sample returns present entries, distinct in one call */
    void *out[64];
    for (int round = 0; round < 2000; round++) {
        size_t n = ht_sample(t, out, 16);
        if (n != 16) bad++;
        for (size_t k = 0; k < n; k++) {
            entry *e = out[k];
            if (find_id(t, e->id) != e) bad++;
            for (size_t j = 0; j < k; j++)
                if (out[j] == out[k]) bad++;
        }
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(ht_sample(t, out, 0), 0);

    /* during a rehash and on a sparse table too */
    for (uint32_t i = N; i < 2 * N && !ht_is_rehashing(t); i++) ht_add(t, new_entry(i));
    CHECK(ht_is_rehashing(t));
    for (int d = 0; d < 10000; d++) {
        entry *e = ht_random(t);
        if (!e || find_id(t, e->id) != e) bad++;
        if (ht_random_many(t, out, 5) != 5) bad++;
        for (size_t k = 0; k < 5; k++)
            if (find_id(t, ((entry *)out[k])->id) != out[k]) bad++;
        size_t n = ht_sample(t, out, 5);
        for (size_t k = 0; k < n; k++)
            if (find_id(t, ((entry *)out[k])->id) != out[k]) bad++;
        if (n == 0) bad++;
    }
    ht_set_resize_allowed(false);
    for (uint32_t i = 0; i < 2 * N && ht_size(t) > 3; i++) delete_id(t, i);
    ht_set_resize_allowed(true);
    CHECK(ht_size(t) > 0 && ht_size(t) <= 3);
    for (int d = 0; d < 1000; d++) {
        entry *e = ht_random(t);
        if (!e || find_id(t, e->id) != e) bad++;
        if (ht_random_many(t, out, 16) != 16) bad++;
        for (size_t k = 0; k < 16; k++)
            if (find_id(t, ((entry *)out[k])->id) != out[k]) bad++;
    }
    size_t n = ht_sample(t, out, 64);
    CHECK(n >= 1 && n <= 3);
    CHECK_EQ_INT(bad, 0);
    cn_free(hits);
    ht_destroy(t);
    destroyed_free();
}

static void t_clear_and_nodestroy(void) {
    destroyed_reset(10000);
    ht *t = ht_create(&type);
    for (uint32_t i = 0; i < 10000; i++) ht_add(t, new_entry(i));
    CHECK(ht_is_rehashing(t) || ht_buckets(t) > 0);
    ht_clear(t);
    CHECK_EQ_INT(ht_size(t), 0);
    size_t bad = 0;
    for (uint32_t i = 0; i < 10000; i++)
        if (destroyed[i] != 1) bad++;
    CHECK_EQ_INT(bad, 0);
    CHECK(ht_add(t, new_entry(1)));
    CHECK(find_id(t, 1) != NULL);
    ht_destroy(t);
    CHECK_EQ_INT(destroyed[1], 2);

    /* a type without destructor leaves entries to the caller */
    ht *u = ht_create(&type_nodestroy);
    entry *e = new_entry(7);
    ht_add(u, e);
    CHECK(delete_id(u, 7));
    CHECK_EQ_INT(destroyed[7], 1);
    ht_add(u, e);
    ht_destroy(u);
    CHECK_EQ_INT(destroyed[7], 1);
    cn_free(e);
    destroyed_free();
}

static void t_expand(void) {
    destroyed_reset(100000);
    ht *t = ht_create(&type);
    ht_expand(t, 100000);
    size_t b = ht_buckets(t);
    CHECK(b * 7 >= 200000);
    for (uint32_t i = 0; i < 100000; i++) ht_add(t, new_entry(i));
    CHECK(!ht_is_rehashing(t));
    CHECK_EQ_INT(ht_buckets(t), b);
    ht_destroy(t);
    destroyed_free();
}

/* ---- benchmark -------------------------------------------------------------------- */

static void t_bench_find(void) {
    const uint32_t N = 1000000;
    ht *t = ht_create(&type_nodestroy);
    entry **all = cn_malloc(N * sizeof(entry *));
    char (*keys)[24] = cn_malloc((size_t)N * 24);
    uint8_t *lens = cn_malloc(N);
    for (uint32_t i = 0; i < N; i++) {
        /* typical keys: "user:1234567:profile"-like, 10-25 bytes */
        int n = snprintf(keys[i], 24, "user:%u:%s", i * 2654435761u % 100000000u,
                         i % 3 ? "profile" : "s");
        lens[i] = (uint8_t)n;
        entry *e = cn_malloc(sizeof(entry) + (size_t)n);
        e->id = i;
        e->len = (uint32_t)n;
        memcpy(e->key, keys[i], (size_t)n);
        all[i] = e;
    }
    double t0 = now_sec();
    for (uint32_t i = 0; i < N; i++) ht_add(t, all[i]);
    double add_ns = (now_sec() - t0) * 1e9 / N;
    finish_rehash(t);
    /* random order of lookups */
    uint32_t *order = cn_malloc(N * sizeof(uint32_t));
    for (uint32_t i = 0; i < N; i++) order[i] = i;
    for (uint32_t i = N - 1; i > 0; i--) {
        uint32_t j = (uint32_t)(rnd() % (i + 1)), tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
    }
    /* The queries, in that order, laid out one after the other as a request stream
     * would be: only the table's own memory accesses are random. */
    char (*query)[24] = cn_malloc((size_t)N * 24);
    uint8_t *qlen = cn_malloc(N);
    for (uint32_t i = 0; i < N; i++) {
        memcpy(query[i], keys[order[i]], 24);
        qlen[i] = lens[order[i]];
    }
    size_t found = 0;
    t0 = now_sec();
    for (int rep = 0; rep < 3; rep++)
        for (uint32_t i = 0; i < N; i++) found += ht_find(t, query[i], qlen[i]) != NULL;
    double hit_ns = (now_sec() - t0) * 1e9 / (3.0 * N);
    for (uint32_t i = 0; i < N; i++) query[i][0] = 'U'; /* "User:...": all absent */
    t0 = now_sec();
    for (uint32_t i = 0; i < N; i++) found += ht_find(t, query[i], qlen[i]) != NULL;
    double miss_ns = (now_sec() - t0) * 1e9 / N;
    /* the same 1000 keys again and again: everything in cache */
    t0 = now_sec();
    for (int rep = 0; rep < 1000; rep++)
        for (uint32_t i = 0; i < 1000; i++) found += ht_find(t, keys[i], lens[i]) != NULL;
    double hot_ns = (now_sec() - t0) * 1e9 / 1e6;
    found -= 1000000;
    t0 = now_sec();
    for (uint32_t i = 0; i < N; i++) found += ht_random(t) == NULL;
    double random_ns = (now_sec() - t0) * 1e9 / N;
    void *sample[16];
    t0 = now_sec();
    for (uint32_t i = 0; i < N / 5; i++) found += ht_random_many(t, sample, 5) != 5;
    double many_ns = (now_sec() - t0) * 1e9 / (N / 5);
    t0 = now_sec();
    for (uint32_t i = 0; i < N / 16; i++) found += ht_sample(t, sample, 16) != 16;
    double sample_ns = (now_sec() - t0) * 1e9 / (N / 16);
    CHECK_EQ_INT(found, 3 * (size_t)N);
    printf("    1M keys: ht_add %.0f ns/op (incl. resizes); ht_find in random order: hit %.0f "
           "ns/op, miss %.0f ns/op; hit on a hot set of 1000 keys %.0f ns/op\n",
           add_ns, hit_ns, miss_ns, hot_ns);
    printf("    1M keys: ht_random %.0f ns/op, ht_random_many of 5 %.0f ns/op, ht_sample of 16 "
           "%.0f ns/op\n",
           random_ns, many_ns, sample_ns);
    cn_free(query);
    cn_free(qlen);
    ht_destroy(t);
    for (uint32_t i = 0; i < N; i++) cn_free(all[i]);
    cn_free(all);
    cn_free(keys);
    cn_free(lens);
    cn_free(order);
}

static size_t mem_at_start;

static void t_memory_back_to_zero(void) { CHECK_EQ_INT(cn_used_memory(), mem_at_start); }

int main(void) {
    mem_at_start = cn_used_memory();
    uint8_t seed[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    /* HT_SEED=n varies the hash seed and the random operations (for soak runs). */
    const char *env = getenv("HT_SEED");
    if (env && *env) {
        uint64_t v = strtoull(env, NULL, 10);
        memcpy(seed, &v, sizeof(v));
        rnd_state ^= v * 0x9e3779b97f4a7c15ULL;
        if (!rnd_state) rnd_state = 1;
        ht_set_random_seed(v);
    }
    hash_set_seed(seed);
    test_run("basic", t_basic);
    test_run("prefetched batches of finds and inserts", t_prefetch_batches);
    test_run("ht_reserve sizes for exactly n", t_reserve);
    test_run("1M binary keys, memory per entry", t_million);
    test_run("random ops against a model", t_model_random_ops);
    test_run("ops during rehash", t_ops_during_rehash);
    test_run("long chains", t_long_chains);
    test_run("resize not allowed", t_resize_not_allowed);
    test_run("scan guarantee across grow and shrink", t_scan_guarantee);
    test_run("safe iterator", t_safe_iterator);
    test_run("random and sample", t_random_and_sample);
    test_run("clear, no destructor", t_clear_and_nodestroy);
    test_run("expand", t_expand);
    if (!getenv("HT_NO_BENCH")) test_run("bench find", t_bench_find);
    test_run("memory back to zero", t_memory_back_to_zero);
    return test_summary("ht");
}
