/* tests/unit/test_intset.c: the integer set (utils/intset.h): every call, the
 * documented byte format, width upgrades at every boundary, a random model test,
 * the random element, and intset_validate against built, corrupted and random
 * blocks. Every test leaves tracked memory where it found it. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/test.h"
#include "utils/alloc.h"
#include "utils/intset.h"

/* ---- helpers ---------------------------------------------------------------------- */

static uint64_t rng_state = 0x243F6A8885A308D3ull;

static uint64_t rnd(void) { /* xorshift64*, fixed seed: runs are repeatable */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

static size_t rnd_below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }

/* A value of a random magnitude: mostly small (so that sets stay narrow for a
 * while), sometimes up to the 32- and 64-bit extremes. */
static int64_t rand_value(void) {
    switch (rnd_below(8)) {
    case 0: return (int64_t)rnd();                               /* any 64-bit pattern */
    case 1: return (int64_t)(rnd() >> rnd_below(64)) * (rnd() & 1 ? 1 : -1);
    case 2: return (int64_t)(int32_t)rnd();                      /* 32-bit */
    default: return (int64_t)rnd_below(200) - 100;               /* small, often repeated */
    }
}

/* Checks the set's invariants: len and the elements strictly ascending, used size,
 * and that it validates as a block. */
static void check_shape(const intset *is) {
    uint32_t n = intset_len(is);
    for (uint32_t i = 1; i < n; i++) CHECK(intset_get(is, i - 1) < intset_get(is, i));
    CHECK_EQ_INT(intset_used(is), INTSET_HDR + (size_t)n * intset_width(is));
    CHECK(intset_bytes(is) >= intset_used(is));
    CHECK_EQ_INT(intset_bytes(is), cn_alloc_size(is));
    CHECK(intset_validate(is, intset_used(is)));
}

static intset *add(intset *is, int64_t v, bool expect_added) {
    bool added = !expect_added;
    is = intset_add(is, v, &added);
    if (added != expect_added)
        test_fail(__FILE__, __LINE__, "intset_add(%lld) added=%d, expected %d", (long long)v,
                  added, expect_added);
    return is;
}

/* Runs fn as a test and checks tracked memory comes back to where it was. */
static void run(const char *name, void (*fn)(void)) { test_run_tracked(name, fn, cn_used_memory); }

/* ---- basics ----------------------------------------------------------------------- */

static void t_empty(void) {
    intset *is = intset_new();
    CHECK_EQ_INT(intset_len(is), 0);
    CHECK_EQ_INT(intset_width(is), 2);
    CHECK_EQ_INT(intset_used(is), INTSET_HDR);
    CHECK(!intset_find(is, 0));
    CHECK(!intset_find(is, INT64_MIN));
    bool removed = true;
    is = intset_remove(is, 5, &removed);
    CHECK(!removed);
    check_shape(is);
    intset *d = intset_dup(is);
    CHECK_EQ_INT(intset_len(d), 0);
    intset_free(d);
    intset_free(is);
    intset_free(NULL);
}

static void t_add_remove_find(void) {
    intset *is = intset_new();
    is = add(is, 5, true);
    is = add(is, 1, true);
    is = add(is, 3, true);
    is = add(is, 3, false);
    is = add(is, 9, true);
    is = add(is, -2, true);
    CHECK_EQ_INT(intset_len(is), 5);
    int64_t want[] = {-2, 1, 3, 5, 9};
    for (uint32_t i = 0; i < 5; i++) CHECK_EQ_INT(intset_get(is, i), want[i]);
    for (int64_t v = -5; v <= 12; v++) {
        bool member = v == -2 || v == 1 || v == 3 || v == 5 || v == 9;
        CHECK_EQ_INT(intset_find(is, v), member);
    }
    CHECK(!intset_find(is, INT64_MAX));
    CHECK(!intset_find(is, 1LL << 20));
    check_shape(is);

    bool removed;
    is = intset_remove(is, 3, &removed);
    CHECK(removed);
    is = intset_remove(is, 3, &removed);
    CHECK(!removed);
    is = intset_remove(is, 1LL << 40, &removed); /* wider than the elements */
    CHECK(!removed);
    is = intset_remove(is, -2, &removed); /* first */
    CHECK(removed);
    is = intset_remove(is, 9, &removed); /* last */
    CHECK(removed);
    CHECK_EQ_INT(intset_len(is), 2);
    CHECK_EQ_INT(intset_get(is, 0), 1);
    CHECK_EQ_INT(intset_get(is, 1), 5);
    is = intset_remove_at(is, 0);
    CHECK_EQ_INT(intset_len(is), 1);
    CHECK_EQ_INT(intset_get(is, 0), 5);
    is = intset_remove_at(is, 0);
    CHECK_EQ_INT(intset_len(is), 0);
    check_shape(is);
    intset_free(is);
}

/* The documented bytes: [width u32 LE][len u32 LE] then LE elements. */
static void t_format(void) {
    intset *is = intset_new();
    is = add(is, 0x0102, true);
    is = add(is, -1, true);
    const unsigned char want2[] = {2, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 0x02, 0x01};
    CHECK_EQ_MEM(is, intset_used(is), want2, sizeof(want2));
    is = add(is, 0x01020304, true);
    const unsigned char want4[] = {4, 0, 0, 0, 3, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
                                   0x02, 0x01, 0, 0, 0x04, 0x03, 0x02, 0x01};
    CHECK_EQ_MEM(is, intset_used(is), want4, sizeof(want4));
    is = add(is, INT64_MIN, true);
    const unsigned char want8[] = {8,    0,    0,    0,    4,    0,    0,    0,    0,    0,
                                   0,    0,    0,    0,    0,    0x80, 0xff, 0xff, 0xff, 0xff,
                                   0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0,    0,    0,    0,
                                   0,    0,    0x04, 0x03, 0x02, 0x01, 0,    0,    0,    0};
    CHECK_EQ_MEM(is, intset_used(is), want8, sizeof(want8));
    intset_free(is);
}

/* Adding a value just past each width's range widens every element; values at the
 * range's ends do not. Both ends (front insert for negatives, append for
 * positives), and removal never narrows. */
static void t_upgrades(void) {
    struct {
        int64_t v;
        unsigned width;
    } steps[] = {
        {0, 2},           {INT16_MAX, 2},          {INT16_MIN, 2},     {INT16_MAX + 1LL, 4},
        {INT16_MIN - 1LL, 4}, {INT32_MAX, 4},      {INT32_MIN, 4},     {INT32_MIN - 1LL, 8},
        {INT32_MAX + 1LL, 8}, {INT64_MAX, 8},      {INT64_MIN, 8},     {7, 8},
    };
    size_t n = sizeof(steps) / sizeof(steps[0]);
    intset *is = intset_new();
    for (size_t i = 0; i < n; i++) {
        is = add(is, steps[i].v, true);
        CHECK_EQ_INT(intset_width(is), steps[i].width);
        for (size_t j = 0; j <= i; j++) CHECK(intset_find(is, steps[j].v));
        check_shape(is);
    }
    CHECK_EQ_INT(intset_get(is, 0), INT64_MIN);
    CHECK_EQ_INT(intset_get(is, (uint32_t)n - 1), INT64_MAX);
    for (size_t i = 0; i < n; i++) {
        bool removed;
        is = intset_remove(is, steps[i].v, &removed);
        CHECK(removed);
        CHECK_EQ_INT(intset_width(is), 8);
        check_shape(is);
    }
    CHECK_EQ_INT(intset_len(is), 0);
    intset_free(is);

    /* Each upgrade straight from 2 bytes: to 4 and to 8, at either end, with
     * enough elements that the in-place rewrite has to move every one. */
    int64_t wide[] = {INT16_MAX + 1LL, INT16_MIN - 1LL, INT32_MAX + 1LL, INT32_MIN - 1LL,
                      INT64_MAX, INT64_MIN};
    for (size_t k = 0; k < sizeof(wide) / sizeof(wide[0]); k++) {
        is = intset_new();
        for (int v = -300; v < 300; v += 3) is = add(is, v, true);
        uint32_t before = intset_len(is);
        is = add(is, wide[k], true);
        CHECK_EQ_INT(intset_len(is), before + 1);
        CHECK_EQ_INT(intset_width(is), wide[k] >= INT32_MIN && wide[k] <= INT32_MAX ? 4 : 8);
        for (int v = -300; v < 300; v++) CHECK_EQ_INT(intset_find(is, v), (v + 300) % 3 == 0);
        CHECK(intset_find(is, wide[k]));
        CHECK_EQ_INT(intset_get(is, wide[k] < 0 ? 0 : before), wide[k]);
        check_shape(is);
        intset_free(is);
    }
}

static void t_dup(void) {
    intset *is = intset_new();
    for (int i = 0; i < 100; i++) is = add(is, (int64_t)i * 1000003, true);
    intset *d = intset_dup(is);
    CHECK_EQ_MEM(d, intset_used(d), is, intset_used(is));
    is = add(is, 5, true); /* the copy is independent */
    CHECK(!intset_find(d, 5));
    intset_free(is);
    intset_free(d);
}

/* ---- random operations against a model -------------------------------------------- */

static int cmp64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The model: a sorted array. */
static int64_t *model;
static size_t model_len, model_cap;

static bool model_find(int64_t v, size_t *pos) {
    size_t lo = 0, hi = model_len;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (model[mid] < v) lo = mid + 1;
        else if (model[mid] > v) hi = mid;
        else {
            *pos = mid;
            return true;
        }
    }
    *pos = lo;
    return false;
}

static void t_random_model(void) {
    for (int round = 0; round < 20; round++) {
        intset *is = intset_new();
        model_len = 0;
        size_t ops = 500 + rnd_below(3000);
        /* Rounds differ in their mix: some only grow, some mostly shrink. */
        unsigned add_pct = round % 4 == 0 ? 100 : 40 + (unsigned)rnd_below(40);
        for (size_t op = 0; op < ops; op++) {
            int64_t v = rnd_below(4) == 0 && model_len ? model[rnd_below(model_len)] : rand_value();
            size_t pos;
            bool present = model_find(v, &pos);
            if (rnd_below(100) < add_pct) {
                bool added;
                is = intset_add(is, v, &added);
                CHECK_EQ_INT(added, !present);
                if (!present) {
                    if (model_len == model_cap) {
                        model_cap = model_cap ? model_cap * 2 : 256;
                        model = realloc(model, model_cap * sizeof(*model));
                    }
                    memmove(model + pos + 1, model + pos, (model_len - pos) * sizeof(*model));
                    model[pos] = v;
                    model_len++;
                }
            } else if (rnd_below(2) && model_len) {
                uint32_t i = (uint32_t)rnd_below(model_len);
                is = intset_remove_at(is, i);
                memmove(model + i, model + i + 1, (model_len - i - 1) * sizeof(*model));
                model_len--;
            } else {
                bool removed;
                is = intset_remove(is, v, &removed);
                CHECK_EQ_INT(removed, present);
                if (present) {
                    memmove(model + pos, model + pos + 1, (model_len - pos - 1) * sizeof(*model));
                    model_len--;
                }
            }
            CHECK_EQ_INT(intset_len(is), model_len);
            CHECK_EQ_INT(intset_find(is, v), model_find(v, &pos));
            if (op % 97 == 0 || op == ops - 1) {
                for (size_t i = 0; i < model_len; i++) CHECK_EQ_INT(intset_get(is, (uint32_t)i), model[i]);
                check_shape(is);
                /* The width is the smallest that held every value ever added: at
                 * least what the present ones need. */
                unsigned need = 2;
                for (size_t i = 0; i < model_len; i++) {
                    if (model[i] < INT32_MIN || model[i] > INT32_MAX) need = 8;
                    else if ((model[i] < INT16_MIN || model[i] > INT16_MAX) && need < 4) need = 4;
                }
                CHECK(intset_width(is) >= need);
            }
            if (test_checks_failed) break;
        }
        intset_free(is);
        if (test_checks_failed) break;
    }
    /* Sorting the model agrees with what the set kept (sanity of the model). */
    int64_t tmp[3] = {3, -1, 2};
    qsort(tmp, 3, sizeof(int64_t), cmp64);
    CHECK_EQ_INT(tmp[0], -1);
    free(model);
    model = NULL;
    model_len = model_cap = 0;
}

/* ---- random elements ---------------------------------------------------------------- */

static void t_random(void) {
    intset *is = intset_new();
    for (int i = 0; i < 50; i++) is = add(is, (int64_t)i * i - 500, true);
    unsigned seen[50] = {0};
    uint64_t st = 0; /* 0 is a valid state */
    for (int k = 0; k < 50000; k++) {
        uint32_t i = intset_random_index(is, &st);
        CHECK(i < 50);
        if (i < 50) seen[i]++;
    }
    /* Uniform: each about 1000 times; 5 sigma is about +-160. */
    for (int i = 0; i < 50; i++) CHECK_RANGE(seen[i], 800, 1200);
    /* The same state gives the same element, and intset_random is get(index). */
    uint64_t a = 12345, b = 12345;
    int64_t v = intset_random(is, &a);
    CHECK_EQ_INT(v, intset_get(is, intset_random_index(is, &b)));
    CHECK_EQ_INT(a, b);
    /* One element: always it. */
    intset *one = intset_new();
    one = add(one, -7, true);
    for (int k = 0; k < 10; k++) CHECK_EQ_INT(intset_random(one, &st), -7);
    intset_free(one);
    intset_free(is);
}

/* ---- validation --------------------------------------------------------------------- */

static void t_validate_built(void) {
    intset *is = intset_new();
    CHECK(intset_validate(is, intset_used(is)));
    for (int i = 0; i < 300; i++) {
        bool added;
        is = intset_add(is, rand_value(), &added);
        size_t used = intset_used(is);
        CHECK(intset_validate(is, used));
        /* Any other size is refused: truncation and trailing bytes. */
        CHECK(!intset_validate(is, used - 1));
        CHECK(!intset_validate(is, used - intset_width(is)));
        unsigned char *big = malloc(used + 8);
        memcpy(big, is, used);
        memset(big + used, 0, 8);
        CHECK(!intset_validate(big, used + 1));
        CHECK(!intset_validate(big, used + intset_width(is)));
        free(big);
        if (test_checks_failed) break;
    }
    /* Round trip through bytes. */
    intset *copy = intset_from_bytes(is, intset_used(is));
    CHECK(copy != NULL);
    if (copy) {
        CHECK_EQ_MEM(copy, intset_used(copy), is, intset_used(is));
        intset_free(copy);
    }
    intset_free(is);
}

/* Hand-made blocks: each rule of the format. */
static void t_validate_rules(void) {
    unsigned char b[64];
    CHECK(!intset_validate(NULL, 0));
    CHECK(!intset_validate(b, 0));
    CHECK(!intset_validate(b, 7)); /* shorter than the header */
    /* Empty, every width. */
    for (unsigned w = 0; w <= 9; w++) {
        memset(b, 0, sizeof(b));
        b[0] = (unsigned char)w;
        CHECK_EQ_INT(intset_validate(b, 8), w == 2 || w == 4 || w == 8);
    }
    /* width 2: {1, 2} valid; {2, 1}, {1, 1} not. */
    const unsigned char ok2[] = {2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 2, 0};
    CHECK(intset_validate(ok2, sizeof(ok2)));
    const unsigned char desc2[] = {2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 1, 0};
    CHECK(!intset_validate(desc2, sizeof(desc2)));
    const unsigned char dup2[] = {2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 1, 0};
    CHECK(!intset_validate(dup2, sizeof(dup2)));
    /* Signedness: 0xffff is -1, so {0xffff, 1} ascends and {1, 0xffff} does not. */
    const unsigned char neg2[] = {2, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 1, 0};
    CHECK(intset_validate(neg2, sizeof(neg2)));
    const unsigned char negbad[] = {2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0xff, 0xff};
    CHECK(!intset_validate(negbad, sizeof(negbad)));
    /* A wider width than the values need is fine (removal never narrows). */
    const unsigned char wide[] = {8, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0};
    CHECK(intset_validate(wide, sizeof(wide)));
    /* len disagreeing with the size, both ways. */
    const unsigned char lenbig[] = {2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 2, 0};
    CHECK(!intset_validate(lenbig, sizeof(lenbig)));
    const unsigned char lensmall[] = {2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 2, 0};
    CHECK(!intset_validate(lensmall, sizeof(lensmall)));
    /* A length whose byte count would overflow 32 bits, and one over the limit. */
    const unsigned char huge[] = {8, 0, 0, 0, 0, 0, 0, 0x20, 1, 0, 2, 0};
    CHECK(!intset_validate(huge, sizeof(huge)));
    const unsigned char over[] = {2, 0, 0, 0, 1, 0, 0, 0x40, 1, 0};
    CHECK(!intset_validate(over, sizeof(over)));
    CHECK(intset_from_bytes(desc2, sizeof(desc2)) == NULL);
}

/* Every byte of a valid block flipped in every bit: never a crash; accepted only
 * when still a valid set (checked independently). */
static void t_validate_flips(void) {
    intset *is = intset_new();
    for (int i = 0; i < 12; i++) is = add(is, (int64_t)i * 5000 - 20000, true);
    size_t used = intset_used(is);
    unsigned char *b = malloc(used);
    for (size_t i = 0; i < used; i++) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy(b, is, used);
            b[i] ^= (unsigned char)(1u << bit);
            bool ok = intset_validate(b, used);
            /* Header flips always break the size equation; element flips break it
             * only when they spoil the order. */
            if (i < INTSET_HDR) {
                CHECK(!ok);
            } else {
                bool asc = true;
                for (size_t k = 1; k < 12; k++) {
                    int32_t x, y;
                    memcpy(&x, b + INTSET_HDR + (k - 1) * 4, 4);
                    memcpy(&y, b + INTSET_HDR + k * 4, 4);
                    if (x >= y) asc = false;
                }
                CHECK_EQ_INT(ok, asc);
            }
        }
    }
    free(b);
    intset_free(is);
}

/* Random bytes: never a crash, and whatever is accepted behaves as a set. */
static void t_validate_random(void) {
    unsigned char b[128];
    int accepted = 0;
    for (int k = 0; k < 200000; k++) {
        size_t size = rnd_below(sizeof(b) + 1);
        for (size_t i = 0; i < size; i++) b[i] = (unsigned char)rnd();
        if (size >= 8 && rnd_below(2)) { /* a plausible header, so the body gets checked */
            unsigned w = 2u << rnd_below(3);
            uint32_t len = (uint32_t)((size - 8) / w);
            b[0] = (unsigned char)w, b[1] = b[2] = b[3] = 0;
            memcpy(b + 4, &len, 4);
            size = 8 + (size_t)len * w;
            if (rnd_below(2)) /* and sorted, half the time */
                for (uint32_t i = 0; i < len; i++) {
                    int64_t v = (int64_t)i * 3 - 40;
                    memcpy(b + 8 + i * w, &v, w);
                }
        }
        intset *is = intset_from_bytes(b, size);
        if (!is) continue;
        accepted++;
        check_shape(is);
        bool added;
        is = intset_add(is, 0, &added);
        CHECK(intset_find(is, 0));
        check_shape(is);
        intset_free(is);
    }
    CHECK(accepted > 1000);
}

/* ---- memory --------------------------------------------------------------------------- */

static void t_memory(void) {
    intset *is = intset_new();
    for (int i = 0; i < 512; i++) is = add(is, i * 7, true);
    printf("    512 small integers: %zu bytes used, %zu allocated (%.2f bytes a member)\n",
           intset_used(is), intset_bytes(is), (double)intset_bytes(is) / 512);
    CHECK(intset_bytes(is) <= 1280); /* 8 + 1024 used: the 1280 size class */
    /* Removing gives memory back as size classes allow. */
    for (int i = 0; i < 500; i++) is = intset_remove_at(is, 0);
    CHECK(intset_bytes(is) <= 48);
    intset_free(is);
}

int main(void) {
    run("empty intset", t_empty);
    run("add, remove, find", t_add_remove_find);
    run("byte format", t_format);
    run("width upgrades at every boundary", t_upgrades);
    run("dup", t_dup);
    run("random operations against a model", t_random_model);
    run("random element", t_random);
    run("validate: built blocks, sizes", t_validate_built);
    run("validate: format rules", t_validate_rules);
    run("validate: every bit flipped", t_validate_flips);
    run("validate: random blocks", t_validate_random);
    run("memory", t_memory);
    return test_summary("intset");
}
