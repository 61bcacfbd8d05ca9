/* utils/skiplist.c: see skiplist.h. */
#include "skiplist.h"

#include <assert.h>
#include <string.h>

#include "alloc.h"

static zsl_node *node_alloc(int level, double score, const char *m, size_t len) {
    assert(len <= UINT32_MAX);
    zsl_node *n = cn_malloc(sizeof(zsl_node) + (size_t)level * sizeof(zsl_link) + len);
    n->score = score;
    n->backward = NULL;
    n->mlen = (uint32_t)len;
    n->level = (uint8_t)level;
    if (len) memcpy(&n->links[level], m, len);
    return n;
}

zsl *zsl_create(void) {
    zsl *z = cn_malloc(sizeof(*z));
    z->header = node_alloc(ZSL_MAX_LEVEL, 0, NULL, 0);
    for (int i = 0; i < ZSL_MAX_LEVEL; i++) {
        z->header->links[i].forward = NULL;
        z->header->links[i].span = 0;
    }
    z->tail = NULL;
    z->length = 0;
    z->level = 1;
    z->rng = 0x9E3779B97F4A7C15ULL ^ (uint64_t)(uintptr_t)z;
    return z;
}

void zsl_destroy(zsl *z) {
    if (!z) return;
    zsl_node *n = z->header->links[0].forward;
    while (n) {
        zsl_node *next = n->links[0].forward;
        cn_free(n);
        n = next;
    }
    cn_free(z->header);
    cn_free(z);
}

int zsl_lex_cmp(const char *m1, size_t l1, const char *m2, size_t l2) {
    size_t min = l1 < l2 ? l1 : l2;
    int c = min ? memcmp(m1, m2, min) : 0;
    if (c) return c;
    return l1 < l2 ? -1 : l1 > l2;
}

int zsl_cmp(double s1, const char *m1, size_t l1, double s2, const char *m2, size_t l2) {
    if (s1 < s2) return -1;
    if (s1 > s2) return 1;
    return zsl_lex_cmp(m1, l1, m2, l2);
}

/* Compares node a with node b's key. */
static inline int node_cmp(const zsl_node *a, const zsl_node *b) {
    size_t la, lb;
    const char *ma = zsl_node_member(a, &la), *mb = zsl_node_member(b, &lb);
    return zsl_cmp(a->score, ma, la, b->score, mb, lb);
}

static int random_level(zsl *z) {
    int level = 1;
    for (;;) {
        uint64_t x = z->rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        z->rng = x;
        uint64_t r = x * 0x2545F4914F6CDD1DULL;
        /* Up to 32 coin pairs from one draw: each level with probability 1/4. */
        for (int i = 0; i < 32; i++, r >>= 2) {
            if ((r & 3) != 0) return level;
            if (++level == ZSL_MAX_LEVEL) return level;
        }
    }
}

/* Links n (level and key set) into its place. */
static void link_node(zsl *z, zsl_node *n) {
    zsl_node *update[ZSL_MAX_LEVEL];
    size_t rank[ZSL_MAX_LEVEL];
    zsl_node *x = z->header;
    for (int i = z->level - 1; i >= 0; i--) {
        rank[i] = i == z->level - 1 ? 0 : rank[i + 1];
        while (x->links[i].forward && node_cmp(x->links[i].forward, n) < 0) {
            rank[i] += x->links[i].span;
            x = x->links[i].forward;
        }
        update[i] = x;
    }
    int level = n->level;
    if (level > z->level) {
        for (int i = z->level; i < level; i++) {
            rank[i] = 0;
            update[i] = z->header;
            z->header->links[i].span = z->length;
        }
        z->level = level;
    }
    for (int i = 0; i < level; i++) {
        n->links[i].forward = update[i]->links[i].forward;
        update[i]->links[i].forward = n;
        n->links[i].span = update[i]->links[i].span - (rank[0] - rank[i]);
        update[i]->links[i].span = (rank[0] - rank[i]) + 1;
    }
    for (int i = level; i < z->level; i++) update[i]->links[i].span++;
    n->backward = update[0] == z->header ? NULL : update[0];
    if (n->links[0].forward) n->links[0].forward->backward = n;
    else z->tail = n;
    z->length++;
}

/* Unlinks n from the list without freeing it. */
static void unlink_node(zsl *z, zsl_node *n) {
    zsl_node *update[ZSL_MAX_LEVEL] = {0}; /* z->level >= 1 fills it; gcc can't tell */
    zsl_node *x = z->header;
    for (int i = z->level - 1; i >= 0; i--) {
        while (x->links[i].forward && node_cmp(x->links[i].forward, n) < 0)
            x = x->links[i].forward;
        update[i] = x;
    }
    assert(update[0]->links[0].forward == n);
    for (int i = 0; i < z->level; i++) {
        if (update[i]->links[i].forward == n) {
            update[i]->links[i].span += n->links[i].span - 1;
            update[i]->links[i].forward = n->links[i].forward;
        } else {
            update[i]->links[i].span--;
        }
    }
    if (n->links[0].forward) n->links[0].forward->backward = n->backward;
    else z->tail = n->backward;
    while (z->level > 1 && z->header->links[z->level - 1].forward == NULL) z->level--;
    z->length--;
}

zsl_node *zsl_insert(zsl *z, double score, const char *m, size_t len) {
    zsl_node *n = node_alloc(random_level(z), score, m, len);
    link_node(z, n);
    return n;
}

void zsl_delete_node(zsl *z, zsl_node *n) {
    unlink_node(z, n);
    cn_free(n);
}

void zsl_update_score(zsl *z, zsl_node *n, double score) {
    size_t len;
    const char *m = zsl_node_member(n, &len);
    zsl_node *prev = n->backward, *next = n->links[0].forward;
    bool after_prev = true, before_next = true;
    if (prev) {
        size_t pl;
        const char *pm = zsl_node_member(prev, &pl);
        after_prev = zsl_cmp(prev->score, pm, pl, score, m, len) < 0;
    }
    if (next) {
        size_t nl;
        const char *nm = zsl_node_member(next, &nl);
        before_next = zsl_cmp(score, m, len, next->score, nm, nl) < 0;
    }
    if (after_prev && before_next) {
        n->score = score;
        return;
    }
    unlink_node(z, n);
    n->score = score;
    link_node(z, n);
}

size_t zsl_rank(const zsl *z, const zsl_node *n) {
    size_t rank = 0;
    const zsl_node *x = z->header;
    for (int i = z->level - 1; i >= 0; i--) {
        while (x->links[i].forward && node_cmp(x->links[i].forward, n) <= 0) {
            rank += x->links[i].span;
            x = x->links[i].forward;
        }
        if (x == n) return rank;
    }
    assert(!"node not in list");
    return 0;
}

zsl_node *zsl_at_rank(const zsl *z, size_t rank) {
    if (rank == 0 || rank > z->length) return NULL;
    size_t traversed = 0;
    zsl_node *x = z->header;
    for (int i = z->level - 1; i >= 0; i--) {
        while (x->links[i].forward && traversed + x->links[i].span <= rank) {
            traversed += x->links[i].span;
            x = x->links[i].forward;
        }
        if (traversed == rank) return x;
    }
    return NULL;
}

bool zrange_score_gte_min(double s, const zrange_score *r) {
    return r->minex ? s > r->min : s >= r->min;
}
bool zrange_score_lte_max(double s, const zrange_score *r) {
    return r->maxex ? s < r->max : s <= r->max;
}
bool zrange_score_empty(const zrange_score *r) {
    return r->min > r->max || (r->min == r->max && (r->minex || r->maxex));
}

bool zrange_lex_gte_min(const char *m, size_t len, const zrange_lex *r) {
    switch (r->min_kind) {
    case ZLEX_NEG_INF: return true;
    case ZLEX_POS_INF: return false;
    case ZLEX_INCL: return zsl_lex_cmp(m, len, r->min, r->minlen) >= 0;
    default: return zsl_lex_cmp(m, len, r->min, r->minlen) > 0;
    }
}
bool zrange_lex_lte_max(const char *m, size_t len, const zrange_lex *r) {
    switch (r->max_kind) {
    case ZLEX_POS_INF: return true;
    case ZLEX_NEG_INF: return false;
    case ZLEX_INCL: return zsl_lex_cmp(m, len, r->max, r->maxlen) <= 0;
    default: return zsl_lex_cmp(m, len, r->max, r->maxlen) < 0;
    }
}
bool zrange_lex_empty(const zrange_lex *r) {
    if (r->min_kind == ZLEX_POS_INF || r->max_kind == ZLEX_NEG_INF) return true;
    if (r->min_kind == ZLEX_NEG_INF || r->max_kind == ZLEX_POS_INF) return false;
    int c = zsl_lex_cmp(r->min, r->minlen, r->max, r->maxlen);
    return c > 0 || (c == 0 && (r->min_kind == ZLEX_EXCL || r->max_kind == ZLEX_EXCL));
}

static inline bool node_lex_gte_min(const zsl_node *n, const zrange_lex *r) {
    size_t len;
    const char *m = zsl_node_member(n, &len);
    return zrange_lex_gte_min(m, len, r);
}
static inline bool node_lex_lte_max(const zsl_node *n, const zrange_lex *r) {
    size_t len;
    const char *m = zsl_node_member(n, &len);
    return zrange_lex_lte_max(m, len, r);
}

zsl_node *zsl_first_in_score(const zsl *z, const zrange_score *r) {
    if (zrange_score_empty(r)) return NULL;
    zsl_node *x = z->header;
    for (int i = z->level - 1; i >= 0; i--)
        while (x->links[i].forward && !zrange_score_gte_min(x->links[i].forward->score, r))
            x = x->links[i].forward;
    x = x->links[0].forward;
    return x && zrange_score_lte_max(x->score, r) ? x : NULL;
}

zsl_node *zsl_last_in_score(const zsl *z, const zrange_score *r) {
    if (zrange_score_empty(r)) return NULL;
    zsl_node *x = z->header;
    for (int i = z->level - 1; i >= 0; i--)
        while (x->links[i].forward && zrange_score_lte_max(x->links[i].forward->score, r))
            x = x->links[i].forward;
    return x != z->header && zrange_score_gte_min(x->score, r) ? x : NULL;
}

zsl_node *zsl_first_in_lex(const zsl *z, const zrange_lex *r) {
    if (zrange_lex_empty(r)) return NULL;
    zsl_node *x = z->header;
    for (int i = z->level - 1; i >= 0; i--)
        while (x->links[i].forward && !node_lex_gte_min(x->links[i].forward, r))
            x = x->links[i].forward;
    x = x->links[0].forward;
    return x && node_lex_lte_max(x, r) ? x : NULL;
}

zsl_node *zsl_last_in_lex(const zsl *z, const zrange_lex *r) {
    if (zrange_lex_empty(r)) return NULL;
    zsl_node *x = z->header;
    for (int i = z->level - 1; i >= 0; i--)
        while (x->links[i].forward && node_lex_lte_max(x->links[i].forward, r))
            x = x->links[i].forward;
    return x != z->header && node_lex_gte_min(x, r) ? x : NULL;
}

size_t zsl_mem_usage(const zsl *z, size_t samples) {
    size_t seen = 0, measured = 0;
    if (!samples || samples >= z->length) {
        for (zsl_node *x = zsl_first(z); x; x = zsl_next(x)) measured += cn_alloc_size(x);
    } else {
        /* A node's level is a coin toss unrelated to its member, and a few
         * samples' levels would swing the estimate by a quarter: the samples
         * give the size of a level-1 node, the expected 1/3 extra link per
         * node (p = 1/4) is added for every node. */
        for (zsl_node *x = zsl_first(z); x && seen < samples; x = zsl_next(x), seen++)
            measured += cn_alloc_size(x) - (size_t)(x->level - 1) * sizeof(zsl_link);
        double per_node = (double)measured / (double)seen + (double)sizeof(zsl_link) / 3.0;
        measured = (size_t)(per_node * (double)z->length);
    }
    return cn_alloc_size(z) + cn_alloc_size(z->header) + measured;
}
