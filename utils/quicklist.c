/* utils/quicklist.c: see quicklist.h. */
#include "quicklist.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"

/* Node byte limits of fills -1..-5. */
static const size_t fill_bytes[] = {4096, 8192, 16384, 32768, QL_MAX_FILL_BYTES};

void ql_fill_limits(int fill, size_t *max_bytes, size_t *max_count) {
    if (fill >= 0) {
        *max_count = fill == 0 ? 1 : (size_t)fill;
        *max_bytes = QL_SAFETY_BYTES;
    } else {
        size_t level = fill < -5 ? 4 : (size_t)(-fill) - 1;
        *max_bytes = fill_bytes[level];
        *max_count = UINT32_MAX;
    }
}

/* What adding an entry of len bytes may cost a listpack at most: the bytes and
 * a header and back-length of up to 5 bytes each (an integer costs less). */
static inline size_t entry_estimate(size_t len) { return len + 11; }

/* ---------------------------------------------------------------- nodes */

static ql_node *node_create(lp *l) {
    ql_node *n = cn_malloc(sizeof(*n));
    n->prev = n->next = NULL;
    n->lp = l;
    n->count = lp_count(l);
    n->bytes = (uint32_t)lp_used(l);
    return n;
}

static void node_update(ql_node *n, lp *l) {
    n->lp = l;
    n->count = lp_count(l);
    n->bytes = (uint32_t)lp_used(l);
}

static void node_free(ql_node *n) {
    lp_free(n->lp);
    cn_free(n);
}

/* Links n after `after` (NULL: as the new head). */
static void link_after(quicklist *q, ql_node *after, ql_node *n) {
    n->prev = after;
    n->next = after ? after->next : q->head;
    if (n->next)
        n->next->prev = n;
    else
        q->tail = n;
    if (after)
        after->next = n;
    else
        q->head = n;
    q->nodes++;
    q->count += n->count;
}

static void unlink_node(quicklist *q, ql_node *n) {
    if (n->prev)
        n->prev->next = n->next;
    else
        q->head = n->next;
    if (n->next)
        n->next->prev = n->prev;
    else
        q->tail = n->prev;
    q->nodes--;
    q->count -= n->count;
}

static void limits(const quicklist *q, size_t *max_bytes, size_t *max_count) {
    ql_fill_limits(q->fill, max_bytes, max_count);
}

/* Can n take one more entry of len bytes? */
static bool node_fits(const quicklist *q, const ql_node *n, size_t len) {
    size_t max_bytes, max_count;
    limits(q, &max_bytes, &max_count);
    return n->count + 1 <= max_count && n->bytes + entry_estimate(len) <= max_bytes;
}

/* Is n below half its limits (a candidate for merging)? */
static bool node_thin(const quicklist *q, const ql_node *n) {
    size_t max_bytes, max_count;
    limits(q, &max_bytes, &max_count);
    return n->count <= max_count / 2 && n->bytes <= max_bytes / 2;
}

/* Would a and b together fit in one node? */
static bool nodes_fit_together(const quicklist *q, const ql_node *a, const ql_node *b) {
    size_t max_bytes, max_count;
    limits(q, &max_bytes, &max_count);
    return (size_t)a->count + b->count <= max_count && (size_t)a->bytes + b->bytes <= max_bytes;
}

/* Appends every entry of src to dst; returns dst's new address. */
static lp *lp_append_all(lp *dst, lp *src) {
    for (unsigned char *p = lp_first(src); p; p = lp_next(src, p)) {
        lp_value v;
        lp_get(p, &v);
        if (v.str)
            dst = lp_append(dst, v.str, v.len);
        else
            dst = lp_append_int(dst, v.ll);
    }
    return dst;
}

/* Merges b (a->next) into a and frees b. */
static void merge_into_prev(quicklist *q, ql_node *a, ql_node *b) {
    unlink_node(q, b);
    q->count -= a->count;
    node_update(a, lp_append_all(a->lp, b->lp));
    q->count += a->count;
    node_free(b);
}

/* If n is thin, merges it with its neighbours where they fit in one node (the
 * previous node first, then the next). Frees n and/or the node after it, never
 * any other. Returns the node that now holds n's entries. */
static ql_node *maybe_merge(quicklist *q, ql_node *n) {
    if (!node_thin(q, n)) return n;
    if (n->prev && nodes_fit_together(q, n->prev, n)) {
        ql_node *p = n->prev;
        merge_into_prev(q, p, n);
        n = p;
    }
    if (n->next && nodes_fit_together(q, n, n->next)) merge_into_prev(q, n, n->next);
    return n;
}

/* The node holding index (0 <= index < q->count), walking from the nearer
 * end; *off gets the index within the node. */
static ql_node *locate(const quicklist *q, size_t index, long *off) {
    ql_node *n;
    if (index < q->count / 2) {
        size_t seen = 0;
        for (n = q->head; index >= seen + n->count; n = n->next) seen += n->count;
        *off = (long)(index - seen);
    } else {
        size_t after = q->count - 1 - index; /* entries past index */
        size_t seen = 0;
        for (n = q->tail; after >= seen + n->count; n = n->prev) seen += n->count;
        *off = (long)(n->count - 1 - (after - seen));
    }
    return n;
}

/* Normalizes index (negative from the tail); false if out of range. */
static bool norm_index(const quicklist *q, long index, size_t *out) {
    if (index < 0) {
        if ((size_t)(-(index + 1)) >= q->count) return false;
        *out = q->count - (size_t)(-(index + 1)) - 1;
    } else {
        if ((size_t)index >= q->count) return false;
        *out = (size_t)index;
    }
    return true;
}

/* ---------------------------------------------------------------- life */

quicklist *ql_create(int fill) {
    quicklist *q = cn_calloc(1, sizeof(*q));
    q->fill = fill;
    return q;
}

void ql_destroy(quicklist *q) {
    if (!q) return;
    ql_node *n = q->head;
    while (n) {
        ql_node *next = n->next;
        node_free(n);
        n = next;
    }
    cn_free(q);
}

quicklist *ql_dup(const quicklist *q) {
    quicklist *d = ql_create(q->fill);
    for (const ql_node *n = q->head; n; n = n->next)
        link_after(d, d->tail, node_create(lp_dup(n->lp)));
    return d;
}

size_t ql_mem_usage(const quicklist *q, size_t samples) {
    size_t nodes = 0, measured = 0;
    for (const ql_node *n = q->head; n && (!samples || nodes < samples); n = n->next, nodes++)
        measured += cn_alloc_size(n) + lp_bytes(n->lp);
    if (nodes && q->nodes > nodes) measured = (size_t)((double)measured / (double)nodes * (double)q->nodes);
    return cn_alloc_size(q) + measured;
}

/* ---------------------------------------------------------------- ends */

void ql_push(quicklist *q, int where, const char *s, size_t len) {
    ql_node *end = where == QL_HEAD ? q->head : q->tail;
    if (end && node_fits(q, end, len)) {
        q->count -= end->count;
        node_update(end,
                    where == QL_HEAD ? lp_prepend(end->lp, s, len) : lp_append(end->lp, s, len));
        q->count += end->count;
        return;
    }
    lp *l = lp_append(lp_new(), s, len);
    link_after(q, where == QL_HEAD ? NULL : q->tail, node_create(l));
}

void ql_append_lp(quicklist *q, lp *l) {
    if (lp_count(l) == 0) {
        lp_free(l);
        return;
    }
    link_after(q, q->tail, node_create(l));
}

lp *ql_take_single_lp(quicklist *q) {
    if (q->nodes > 1) return NULL;
    lp *l;
    if (q->head) {
        l = q->head->lp;
        cn_free(q->head);
    } else {
        l = lp_new();
    }
    cn_free(q);
    return l;
}

bool ql_peek(quicklist *q, int where, lp_value *v) {
    ql_node *n = where == QL_HEAD ? q->head : q->tail;
    if (!n) return false;
    lp_get(where == QL_HEAD ? lp_first(n->lp) : lp_last(n->lp), v);
    return true;
}

/* Deletes the entry at offset off of n; frees n if it empties. Returns false
 * if n was freed. */
static bool delete_in_node(quicklist *q, ql_node *n, long off) {
    if (n->count == 1) {
        unlink_node(q, n);
        node_free(n);
        return false;
    }
    q->count -= n->count;
    node_update(n, lp_delete_range(n->lp, off, 1));
    q->count += n->count;
    return true;
}

bool ql_pop(quicklist *q, int where) {
    ql_node *n = where == QL_HEAD ? q->head : q->tail;
    if (!n) return false;
    delete_in_node(q, n, where == QL_HEAD ? 0 : (long)n->count - 1);
    return true;
}

/* ---------------------------------------------------------------- by index */

bool ql_index(quicklist *q, long index, lp_value *v) {
    size_t i;
    if (!norm_index(q, index, &i)) return false;
    long off;
    ql_node *n = locate(q, i, &off);
    lp_get(lp_seek(n->lp, off), v);
    return true;
}

/* Inserts s as the entry at position pos of node n (0..n->count), splitting n
 * or spilling into a neighbour if n is full. */
static void insert_at(quicklist *q, ql_node *n, long pos, const char *s, size_t len) {
    if (node_fits(q, n, len)) {
        q->count -= n->count;
        lp *l = n->lp;
        unsigned char *newp;
        if (pos == (long)n->count)
            l = lp_append(l, s, len);
        else
            l = lp_insert(l, lp_seek(l, pos), false, s, len, &newp);
        node_update(n, l);
        q->count += n->count;
        return;
    }
    if (pos == (long)n->count) {
        if (n->next && node_fits(q, n->next, len)) {
            ql_node *m = n->next;
            q->count -= m->count;
            node_update(m, lp_prepend(m->lp, s, len));
            q->count += m->count;
        } else {
            link_after(q, n, node_create(lp_append(lp_new(), s, len)));
        }
        return;
    }
    if (pos == 0) {
        if (n->prev && node_fits(q, n->prev, len)) {
            ql_node *m = n->prev;
            q->count -= m->count;
            node_update(m, lp_append(m->lp, s, len));
            q->count += m->count;
        } else {
            link_after(q, n->prev, node_create(lp_append(lp_new(), s, len)));
        }
        return;
    }
    /* Split: n keeps [0, pos), m takes [pos, count). */
    uint32_t total = n->count;
    lp *tail = lp_delete_range(lp_dup(n->lp), 0, (unsigned long)pos);
    q->count -= n->count;
    node_update(n, lp_delete_range(n->lp, pos, total - (unsigned long)pos));
    q->count += n->count;
    ql_node *m = node_create(tail);
    link_after(q, n, m);
    if (node_fits(q, n, len)) {
        q->count -= n->count;
        node_update(n, lp_append(n->lp, s, len));
        q->count += n->count;
    } else if (node_fits(q, m, len)) {
        q->count -= m->count;
        node_update(m, lp_prepend(m->lp, s, len));
        q->count += m->count;
    } else {
        link_after(q, n, node_create(lp_append(lp_new(), s, len)));
    }
    /* The halves may be small: join them to their outer neighbours if they fit. */
    if (m->next && node_thin(q, m) && nodes_fit_together(q, m, m->next))
        merge_into_prev(q, m, m->next);
    if (n->prev && node_thin(q, n) && nodes_fit_together(q, n->prev, n))
        merge_into_prev(q, n->prev, n);
}

/* Replaces the entry at offset off of n. */
static void replace_at(quicklist *q, ql_node *n, long off, const char *s, size_t len) {
    size_t max_bytes, max_count;
    limits(q, &max_bytes, &max_count);
    unsigned char *p = lp_seek(n->lp, off);
    q->count -= n->count;
    node_update(n, lp_replace(n->lp, &p, s, len));
    q->count += n->count;
    if (n->bytes <= max_bytes || n->count == 1) {
        (void)maybe_merge(q, n); /* a small entry in place of a big one */
        return;
    }
    /* Too big now: take the entry out and insert it again, which splits. */
    q->count -= n->count;
    node_update(n, lp_delete_range(n->lp, off, 1));
    q->count += n->count;
    insert_at(q, n, off, s, len);
}

bool ql_replace(quicklist *q, long index, const char *s, size_t len) {
    size_t i;
    if (!norm_index(q, index, &i)) return false;
    long off;
    ql_node *n = locate(q, i, &off);
    replace_at(q, n, off, s, len);
    return true;
}

size_t ql_delete_range(quicklist *q, long start, size_t count) {
    size_t i;
    if (count == 0 || !norm_index(q, start, &i)) return 0;
    long off;
    ql_node *n = locate(q, i, &off);
    size_t deleted = 0;
    ql_node *first_partial = NULL, *last_partial = NULL;
    while (n && deleted < count) {
        ql_node *next = n->next;
        size_t k = n->count - (size_t)off;
        if (k > count - deleted) k = count - deleted;
        if (off == 0 && k == n->count) {
            unlink_node(q, n);
            node_free(n);
        } else {
            q->count -= n->count;
            node_update(n, lp_delete_range(n->lp, off, k));
            q->count += n->count;
            if (!first_partial)
                first_partial = n;
            else
                last_partial = n;
        }
        deleted += k;
        off = 0;
        n = next;
    }
    /* At most two nodes were thinned: the first (its tail went) and the last
     * (its head went). Merge the last first, as merging the first may free it. */
    if (last_partial) maybe_merge(q, last_partial);
    if (first_partial && first_partial != last_partial) maybe_merge(q, first_partial);
    return deleted;
}

/* ---------------------------------------------------------------- iteration */

void ql_iter_init(ql_iter *it, quicklist *q, long index, bool forward) {
    memset(it, 0, sizeof(*it));
    it->q = q;
    it->forward = forward;
    size_t i;
    if (!norm_index(q, index, &i)) return;
    it->node = locate(q, i, &it->offset);
    it->p = lp_seek(it->node->lp, it->offset);
    it->pending = true;
}

/* Moves to the neighbouring node in the walk's direction (merging the node
 * left behind if deletions thinned it). */
static void iter_next_node(ql_iter *it) {
    ql_node *n = it->node;
    ql_node *nn = it->forward ? n->next : n->prev;
    if (it->thinned) {
        /* Only with the node behind: the one ahead is still to be walked. */
        ql_node *behind = it->forward ? n->prev : n->next;
        if (behind && node_thin(it->q, n)) {
            if (it->forward && nodes_fit_together(it->q, behind, n))
                merge_into_prev(it->q, behind, n);
            else if (!it->forward && nodes_fit_together(it->q, n, behind))
                merge_into_prev(it->q, n, behind);
        }
        it->thinned = false;
    }
    it->node = nn;
    if (!nn) {
        it->p = NULL;
        return;
    }
    it->p = it->forward ? lp_first(nn->lp) : lp_last(nn->lp);
    it->offset = it->forward ? 0 : (long)nn->count - 1;
}

bool ql_iter_next(ql_iter *it, lp_value *v) {
    if (!it->node) return false;
    if (it->pending) {
        it->pending = false;
    } else if (it->forward) {
        it->p = lp_next(it->node->lp, it->p);
        it->offset++;
    } else {
        it->p = lp_prev(it->node->lp, it->p);
        it->offset--;
    }
    while (!it->p) {
        iter_next_node(it);
        if (!it->node) return false;
    }
    lp_get(it->p, v);
    return true;
}

void ql_iter_delete(ql_iter *it) {
    quicklist *q = it->q;
    ql_node *n = it->node;
    if (n->count == 1) {
        /* The node goes: continue in the neighbour. */
        ql_node *nn = it->forward ? n->next : n->prev;
        unlink_node(q, n);
        node_free(n);
        it->thinned = false;
        it->node = nn;
        if (nn) {
            it->p = it->forward ? lp_first(nn->lp) : lp_last(nn->lp);
            it->offset = it->forward ? 0 : (long)nn->count - 1;
        } else {
            it->p = NULL;
        }
        it->pending = true;
        return;
    }
    unsigned char *p = it->p;
    q->count -= n->count;
    lp *l = lp_delete(n->lp, &p);
    node_update(n, l);
    q->count += n->count;
    it->thinned = true;
    if (it->forward) {
        it->p = p; /* the entry that followed; NULL: go on to the next node */
    } else {
        it->offset--;
        it->p = it->offset < 0 ? NULL : (p ? lp_prev(l, p) : lp_last(l));
    }
    it->pending = true;
}

void ql_iter_insert(ql_iter *it, bool after, const char *s, size_t len) {
    insert_at(it->q, it->node, it->offset + (after ? 1 : 0), s, len);
    it->node = NULL;
    it->p = NULL;
}

void ql_iter_replace(ql_iter *it, const char *s, size_t len) {
    replace_at(it->q, it->node, it->offset, s, len);
    it->node = NULL;
    it->p = NULL;
}

/* ---------------------------------------------------------------- checks */

bool ql_check(const quicklist *q) {
    size_t max_bytes, max_count;
    limits(q, &max_bytes, &max_count);
    size_t count = 0, nodes = 0;
    const ql_node *prev = NULL;
    for (const ql_node *n = q->head; n; prev = n, n = n->next) {
        if (n->prev != prev) return false;
        if (n->count == 0 || n->count != lp_count(n->lp)) return false;
        if (n->bytes != lp_used(n->lp)) return false;
        if (n->count > 1 && (n->count > max_count || n->bytes > max_bytes)) return false;
        count += n->count;
        nodes++;
    }
    return prev == q->tail && count == q->count && nodes == q->nodes;
}
