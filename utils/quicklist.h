/* utils/quicklist.h: a long sequence kept as a doubly linked list of listpacks.
 *
 * The large encoding of lists (OBJECT ENCODING "quicklist"). Each node holds a
 * listpack (utils/listpack.h) of up to a fill limit of entries, so an element
 * costs about what it costs in a listpack, and a push or pop at either end
 * touches only one small block. No compression.
 *
 * Terms:
 *  - fill: the list-max-listpack-size rule a node obeys, fixed at ql_create():
 *      fill > 0     at most `fill` entries per node, and (a safety limit, as in
 *                   Redis) at most QL_SAFETY_BYTES bytes once it has 2 entries;
 *      fill == 0    one entry per node (Redis 7.2 treats 0 so);
 *      fill -1..-5  at most 4, 8, 16, 32, 64 KB per node (below -5: 64 KB).
 *    ql_fill_limits() turns a fill into (bytes, entries). An entry too big for
 *    any node gets a node of its own: a node always has at least one entry.
 *  - index: 0 is the head, count-1 the tail; negative counts from the tail
 *    (-1 is the tail). Index lookups walk from the nearer end.
 *  - where: QL_HEAD or QL_TAIL.
 *
 * Node sizes: an insert that does not fit splits or spills into a neighbour; a
 * node thinned by deletions or a replace (below half its limit) is merged with
 * its neighbours where they fit in one node. Pops at the ends never merge (the
 * end node just empties and goes), so that a queue costs O(1) per operation.
 *
 * Ownership: the quicklist owns its nodes and their listpacks (utils/alloc.h).
 * Values read (lp_value) borrow the node's listpack and stay valid until the
 * next change to the quicklist. ql_destroy accepts NULL.
 *
 * Iteration: a ql_iter walks either way from any index. ql_iter_delete() removes
 * the entry last returned and the walk goes on with the entry after it (in the
 * walk's direction); nothing else may change the quicklist while an iterator is
 * in use, except ql_iter_insert/ql_iter_replace, after which only the iterator
 * may be dropped.
 *
 *   ql_iter it;
 *   lp_value v;
 *   ql_iter_init(&it, q, 0, true);
 *   while (ql_iter_next(&it, &v))
 *       if (v.str == NULL && v.ll == 7) ql_iter_delete(&it);   // drop every 7
 *
 * Never does I/O, never logs, no globals.
 */
#ifndef CAIRN_UTILS_QUICKLIST_H
#define CAIRN_UTILS_QUICKLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "listpack.h"

#define QL_SAFETY_BYTES   8192 /* positive fills: node bytes limit (as Redis's) */
#define QL_MAX_FILL_BYTES 65536

enum { QL_HEAD = 0, QL_TAIL = 1 };

typedef struct ql_node {
    struct ql_node *prev, *next;
    lp *lp;
    uint32_t count; /* entries in lp (cached) */
    uint32_t bytes; /* lp_used(lp): encoded size (cached) */
} ql_node;

typedef struct quicklist {
    ql_node *head, *tail;
    size_t count; /* entries in all nodes */
    size_t nodes;
    int fill;
} quicklist;

/* The limits of a fill setting: *max_bytes per node (SIZE_MAX: none) and
 * *max_count entries per node (UINT32_MAX: none). */
void ql_fill_limits(int fill, size_t *max_bytes, size_t *max_count);

quicklist *ql_create(int fill);
void ql_destroy(quicklist *q);
quicklist *ql_dup(const quicklist *q);
static inline size_t ql_count(const quicklist *q) { return q->count; }
/* Bytes the quicklist holds, by the allocator's sizes. */
/* Bytes from allocator sizes. samples 0: every node; else the first `samples`
 * nodes are measured and their average stands for the rest. */
size_t ql_mem_usage(const quicklist *q, size_t samples);

/* Adds an entry at the head or the tail. */
void ql_push(quicklist *q, int where, const char *s, size_t len);
/* Appends a whole listpack as a new tail node (takes ownership; the caller
 * knows it obeys the fill, e.g. a list converting from the listpack encoding).
 * An empty listpack is freed. */
void ql_append_lp(quicklist *q, lp *l);
/* If the quicklist is one node, hands out its listpack and destroys q;
 * otherwise returns NULL and leaves q alone. */
lp *ql_take_single_lp(quicklist *q);

/* Reads the head or tail entry; false if empty. */
bool ql_peek(quicklist *q, int where, lp_value *v);
/* Removes the head or tail entry; false if empty. Read it first with ql_peek. */
bool ql_pop(quicklist *q, int where);

/* Reads the entry at index; false if out of range. */
bool ql_index(quicklist *q, long index, lp_value *v);
/* Replaces the entry at index; false if out of range. */
bool ql_replace(quicklist *q, long index, const char *s, size_t len);
/* Deletes count entries from index start (negative from the tail), fewer if
 * the list ends first. Returns the number deleted. */
size_t ql_delete_range(quicklist *q, long start, size_t count);

typedef struct ql_iter {
    quicklist *q;
    ql_node *node;
    unsigned char *p; /* the current entry, or NULL */
    long offset;      /* p's index in node */
    bool forward;
    bool pending; /* p is the next entry to return (after a delete or at start) */
    bool thinned; /* entries were deleted from node: merge when leaving it */
} ql_iter;

/* Starts a walk at index (negative from the tail) towards the tail (forward)
 * or the head. The first ql_iter_next returns the entry at index; an index out
 * of range gives an empty walk. */
void ql_iter_init(ql_iter *it, quicklist *q, long index, bool forward);
/* The next entry; false at the end. */
bool ql_iter_next(ql_iter *it, lp_value *v);
/* Deletes the entry last returned by ql_iter_next; the walk continues. */
void ql_iter_delete(ql_iter *it);
/* Inserts next to the entry last returned (after = towards the tail). The
 * iterator may then only be dropped. */
void ql_iter_insert(ql_iter *it, bool after, const char *s, size_t len);
/* Replaces the entry last returned. The iterator may then only be dropped. */
void ql_iter_replace(ql_iter *it, const char *s, size_t len);

/* Checks the structure (links, cached counts and sizes, fill limits, no empty
 * node); for tests. */
bool ql_check(const quicklist *q);

#endif
