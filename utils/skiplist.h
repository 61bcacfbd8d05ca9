/* utils/skiplist.h: the ordered index of a large sorted set.
 *
 * A skip list of nodes ordered by (score, member): scores compare as doubles,
 * equal scores by member bytes (memcmp, then the shorter first). Each forward
 * link carries a span (how many nodes it skips), so a node's rank and the node
 * at a rank are found in O(log n). Levels are drawn with p = 1/4, at most
 * ZSL_MAX_LEVEL.
 *
 * A node is ONE allocation holding its score, its backward link, its levels and
 * then its member bytes (no NUL): a 10-byte member at level 1 is 24 + 16 + 10 =
 * 50 bytes (a 56-byte jemalloc block). The sorted set's member -> score hash
 * table (utils/ht.h) stores the node pointers themselves and reads its keys
 * with zsl_node_member(), so a member exists once in memory.
 *
 * Ownership: the list owns its nodes: zsl_insert() allocates one,
 * zsl_delete_node() and zsl_destroy() free them. Node addresses never change
 * while a node is in the list (zsl_update_score() relinks the same node), so a
 * table may hold them. The caller keeps members unique: zsl_insert() does not
 * check.
 *
 * Ranges (score and lex, as ZRANGEBYSCORE and ZRANGEBYLEX take them) are plain
 * structs with helpers that listpack walks use too.
 *
 * Limits: a member is at most UINT32_MAX bytes (larger aborts; requests are far
 * below it). Never does I/O, never logs, no globals: each list has its own PRNG
 * for levels.
 */
#ifndef CAIRN_UTILS_SKIPLIST_H
#define CAIRN_UTILS_SKIPLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ZSL_MAX_LEVEL 32

typedef struct zsl_node zsl_node;
typedef struct zsl_link {
    zsl_node *forward;
    size_t span;
} zsl_link;
struct zsl_node {
    double score;
    zsl_node *backward; /* NULL for the first node */
    uint32_t mlen;
    uint8_t level;
    zsl_link links[]; /* level of them, then the member bytes */
};

typedef struct zsl {
    zsl_node *header; /* no member, ZSL_MAX_LEVEL links */
    zsl_node *tail;
    size_t length;
    int level;
    uint64_t rng;
} zsl;

/* A score range; min/max may be infinite. */
typedef struct zrange_score {
    double min, max;
    bool minex, maxex; /* exclusive bounds ('(') */
} zrange_score;

/* A lex range: each bound is '-' (below everything), '+' (above everything) or
 * a member, inclusive ('[') or exclusive ('('). Bytes borrowed. */
enum { ZLEX_NEG_INF = 0, ZLEX_POS_INF = 1, ZLEX_INCL = 2, ZLEX_EXCL = 3 };
typedef struct zrange_lex {
    int min_kind, max_kind;
    const char *min, *max;
    size_t minlen, maxlen;
} zrange_lex;

zsl *zsl_create(void);
void zsl_destroy(zsl *z); /* frees every node; accepts NULL */
static inline size_t zsl_length(const zsl *z) { return z->length; }

static inline const char *zsl_node_member(const zsl_node *n, size_t *len) {
    *len = n->mlen;
    return (const char *)&n->links[n->level];
}
static inline zsl_node *zsl_first(const zsl *z) { return z->header->links[0].forward; }
static inline zsl_node *zsl_last(const zsl *z) { return z->tail; }
static inline zsl_node *zsl_next(const zsl_node *n) { return n->links[0].forward; }
static inline zsl_node *zsl_prev(const zsl_node *n) { return n->backward; }

/* Compares (score, member) pairs: <0, 0, >0. */
int zsl_cmp(double s1, const char *m1, size_t l1, double s2, const char *m2, size_t l2);
/* Member byte order: memcmp, then length. */
int zsl_lex_cmp(const char *m1, size_t l1, const char *m2, size_t l2);

/* Adds a new node (member must not be in the list); returns it. */
zsl_node *zsl_insert(zsl *z, double score, const char *m, size_t len);
/* Unlinks n and frees it. */
void zsl_delete_node(zsl *z, zsl_node *n);
/* Gives n a new score, moving it in the order if needed; n keeps its address. */
void zsl_update_score(zsl *z, zsl_node *n, double score);
/* 1-based rank of n (which is in the list). */
size_t zsl_rank(const zsl *z, const zsl_node *n);
/* The node of 1-based rank, or NULL if out of range. */
zsl_node *zsl_at_rank(const zsl *z, size_t rank);

/* Range membership tests. */
bool zrange_score_gte_min(double s, const zrange_score *r);
bool zrange_score_lte_max(double s, const zrange_score *r);
bool zrange_score_empty(const zrange_score *r); /* no double can be in it */
bool zrange_lex_gte_min(const char *m, size_t len, const zrange_lex *r);
bool zrange_lex_lte_max(const char *m, size_t len, const zrange_lex *r);
bool zrange_lex_empty(const zrange_lex *r);

/* First / last node in the range, or NULL. Lex ranges assume equal scores. */
zsl_node *zsl_first_in_score(const zsl *z, const zrange_score *r);
zsl_node *zsl_last_in_score(const zsl *z, const zrange_score *r);
zsl_node *zsl_first_in_lex(const zsl *z, const zrange_lex *r);
zsl_node *zsl_last_in_lex(const zsl *z, const zrange_lex *r);

/* Bytes the list owns (allocator sizes): the struct, the header and the nodes.
 * samples 0 (or >= length): every node measured; else the first `samples`
 * nodes, taken at level 1, plus the expected links of the level draw, stand for
 * every node. The member table is not included. */
size_t zsl_mem_usage(const zsl *z, size_t samples);

#endif
