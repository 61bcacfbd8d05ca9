/* src/blocking.c: see blocking.h. */
#include "blocking.h"

#include <math.h>

#include "../utils/ht.h"
#include "../utils/num.h"
#include "server.h"

/* A client waiting on one key: a node of that key's FIFO. */
typedef struct waiter {
    struct waiter *prev, *next;
    struct waitq *q;
    client *c;
} waiter;

/* The clients waiting on one key of one db, in arrival order. */
typedef struct waitq {
    waiter *head, *tail;
    bool ready; /* in the ready list */
    uint32_t keylen;
    char key[];
} waitq;

/* What a blocked client keeps: its command and where it waits. */
typedef struct block_state {
    int argc;
    const char **argv;
    size_t *argvlen;
    char *args;        /* one allocation for the argument bytes */
    int dbid;
    int nkeys;
    waiter *waiters;   /* one per key */
    int64_t deadline;  /* 0 = forever */
    uint32_t heap_idx; /* in the deadline heap, if deadline */
    bool reblocked;    /* set when a re-run blocks again */
    bool timed;        /* block_for_time(): no keys; the timeout reply is timeout_int */
    long long timeout_int;
    long long usec; /* the time of the command's runs so far */
} block_state;

static ht **waiting;    /* per db: key -> waitq */
static int nwaiting;

static struct {
    int dbid;
    waitq *q;
} *ready;               /* keys signalled since the last serve */
static size_t nready, ready_cap;

static client **heap;   /* blocked clients with a deadline, soonest first */
static uint32_t heap_len, heap_cap;

static client **unblocked; /* to resume reading their input in before-sleep */
static size_t nunblocked, unblocked_cap;

static const void *waitq_key(const void *entry, size_t *len) {
    const waitq *q = entry;
    *len = q->keylen;
    return q->key;
}

static const ht_type waitq_type = {.entry_key = waitq_key, .entry_destroy = cn_free};

void blocking_setup(void) {
    nwaiting = db_count();
    waiting = cn_calloc((size_t)nwaiting, sizeof(ht *));
    for (int i = 0; i < nwaiting; i++) waiting[i] = ht_create(&waitq_type);
}

void blocking_teardown(void) {
    for (int i = 0; i < nwaiting; i++) ht_destroy(waiting[i]);
    cn_free(waiting);
    cn_free(ready);
    cn_free(heap);
    cn_free(unblocked);
    waiting = NULL;
    ready = NULL;
    heap = NULL;
    unblocked = NULL;
    nwaiting = 0;
    nready = ready_cap = heap_len = heap_cap = nunblocked = unblocked_cap = 0;
}

bool client_is_blocked(const client *c) { return c->bstate != NULL; }

/* ---------------------------------------------------------------- deadline heap */

static inline int64_t deadline_of(uint32_t i) { return heap[i]->bstate->deadline; }

static void heap_set(uint32_t i, client *c) {
    heap[i] = c;
    c->bstate->heap_idx = i;
}

static void heap_up(uint32_t i) {
    client *c = heap[i];
    while (i > 0 && deadline_of((i - 1) / 2) > c->bstate->deadline) {
        heap_set(i, heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    heap_set(i, c);
}

static void heap_down(uint32_t i) {
    client *c = heap[i];
    for (;;) {
        uint32_t l = 2 * i + 1, best = i;
        int64_t bd = c->bstate->deadline;
        if (l < heap_len && deadline_of(l) < bd) best = l, bd = deadline_of(l);
        if (l + 1 < heap_len && deadline_of(l + 1) < bd) best = l + 1;
        if (best == i) break;
        heap_set(i, heap[best]);
        i = best;
    }
    heap_set(i, c);
}

static void heap_push(client *c) {
    if (heap_len == heap_cap) {
        heap_cap = heap_cap ? heap_cap * 2 : 16;
        heap = cn_realloc(heap, heap_cap * sizeof(client *));
    }
    heap_set(heap_len++, c);
    heap_up(heap_len - 1);
}

static void heap_remove(client *c) {
    uint32_t i = c->bstate->heap_idx;
    client *last = heap[--heap_len];
    if (i != heap_len) {
        heap_set(i, last);
        heap_up(i);
        heap_down(last->bstate->heap_idx);
    }
}

/* ---------------------------------------------------------------- blocking */

void block_for_time(client *c, int64_t deadline_ms, long long reply) {
    if (c->flags & CLIENT_DENY_BLOCKING) {
        reply_int(c, reply);
        return;
    }
    block_state *b = cn_calloc(1, sizeof(*b));
    b->dbid = c->db->id;
    b->deadline = deadline_ms;
    b->timed = true;
    b->timeout_int = reply;
    c->bstate = b;
    if (deadline_ms) heap_push(c);
    server.blocked_clients++;
}

void block_on_keys(client *c, int first, int last, int step, int64_t deadline_ms) {
    if (c->flags & CLIENT_DENY_BLOCKING) {
        /* A client that may not wait (the AOF loader, a transaction) times out at once. */
        reply_null_array(c);
        return;
    }
    if (c->bstate) {
        /* A re-run that found nothing again: keep its place in every queue. */
        c->bstate->reblocked = true;
        return;
    }
    block_state *b = cn_calloc(1, sizeof(*b));
    /* Copy the command: the query buffer may move while the client waits. */
    size_t bytes = 0;
    for (int i = 0; i < c->argc; i++) bytes += c->argvlen[i] + 1;
    b->argc = c->argc;
    b->argv = cn_malloc(sizeof(char *) * (size_t)c->argc);
    b->argvlen = cn_malloc(sizeof(size_t) * (size_t)c->argc);
    b->args = cn_malloc(bytes ? bytes : 1);
    char *p = b->args;
    for (int i = 0; i < c->argc; i++) {
        memcpy(p, c->argv[i], c->argvlen[i]);
        p[c->argvlen[i]] = '\0';
        b->argv[i] = p;
        b->argvlen[i] = c->argvlen[i];
        p += c->argvlen[i] + 1;
    }
    b->dbid = c->db->id;
    b->deadline = deadline_ms;
    int nkeys = 0;
    for (int i = first; i <= last; i += step) nkeys++;
    b->waiters = cn_calloc((size_t)nkeys, sizeof(waiter));
    ht *map = waiting[b->dbid];
    for (int i = first; i <= last; i += step) {
        waitq *q = ht_find(map, c->argv[i], c->argvlen[i]);
        if (!q) {
            q = cn_calloc(1, sizeof(waitq) + c->argvlen[i]);
            q->keylen = (uint32_t)c->argvlen[i];
            memcpy(q->key, c->argv[i], c->argvlen[i]);
            ht_add(map, q);
        } else {
            /* The same key twice in one command waits once. */
            bool dup = false;
            for (int k = 0; k < b->nkeys && !dup; k++) dup = b->waiters[k].q == q;
            if (dup) continue;
        }
        waiter *w = &b->waiters[b->nkeys++];
        w->q = q;
        w->c = c;
        w->prev = q->tail;
        if (q->tail) q->tail->next = w;
        else q->head = w;
        q->tail = w;
    }
    c->bstate = b;
    if (deadline_ms) heap_push(c);
    server.blocked_clients++;
}

/* Takes c out of every queue and the heap, and frees its state. */
static void release(client *c) {
    block_state *b = c->bstate;
    ht *map = waiting[b->dbid];
    for (int k = 0; k < b->nkeys; k++) {
        waiter *w = &b->waiters[k];
        waitq *q = w->q;
        if (w->prev) w->prev->next = w->next;
        else q->head = w->next;
        if (w->next) w->next->prev = w->prev;
        else q->tail = w->prev;
        if (!q->head && !q->ready) ht_delete(map, q->key, q->keylen); /* frees q */
    }
    if (b->deadline) heap_remove(c);
    cn_free(b->waiters);
    cn_free(b->argv);
    cn_free(b->argvlen);
    cn_free(b->args);
    cn_free(b);
    c->bstate = NULL;
    server.blocked_clients--;
}

/* c reads its pending input again once the loop is back in before-sleep. */
static void queue_resume(client *c) {
    if (nunblocked == unblocked_cap) {
        unblocked_cap = unblocked_cap ? unblocked_cap * 2 : 16;
        unblocked = cn_realloc(unblocked, unblocked_cap * sizeof(client *));
    }
    unblocked[nunblocked++] = c;
}

long long block_run_done(client *c, bool was_blocked, long long dur_us) {
    block_state *b = c->bstate;
    b->usec += dur_us;
    if (!was_blocked || b->reblocked) return -1;
    return b->usec;
}

bool unblock_client(client *c, int how) {
    if (!c->bstate) return false;
    bool timed = c->bstate->timed;
    long long timeout_int = c->bstate->timeout_int;
    release(c);
    if (how == UNBLOCK_TIMEOUT && timed) reply_int(c, timeout_int);
    else if (how == UNBLOCK_TIMEOUT) reply_null_array(c);
    else if (how == UNBLOCK_ERROR) reply_error(c, "UNBLOCKED client unblocked via CLIENT UNBLOCK");
    if (how == UNBLOCK_SILENT) return true;
    /* The command was counted at its first run; an error now makes it a failed
     * call. Like Redis, a command that did not get served stays out of the latency
     * figures and the slow log. */
    if (how == UNBLOCK_ERROR && c->lastcmd) c->lastcmd->failed_calls++;
    queue_resume(c);
    return true;
}

void block_signal_key(db *d, const char *key, size_t klen) {
    if (!server.blocked_clients || d->id >= nwaiting) return;
    waitq *q = ht_find(waiting[d->id], key, klen);
    if (!q || q->ready) return;
    q->ready = true;
    if (nready == ready_cap) {
        ready_cap = ready_cap ? ready_cap * 2 : 16;
        ready = cn_realloc(ready, ready_cap * sizeof(*ready));
    }
    ready[nready].dbid = d->id;
    ready[nready].q = q;
    nready++;
}

/* Re-runs the command of each client waiting on q, in order, until one finds
 * nothing (then the key has nothing for the rest either). */
static void serve_queue(int dbid, waitq *q) {
    while (q->head) {
        client *c = q->head->c;
        block_state *b = c->bstate;
        b->reblocked = false;
        c->argc = b->argc;
        c->argv = b->argv;
        c->argvlen = b->argvlen;
        db *saved = c->db;
        c->db = db_get(dbid);
        call(c);
        c->argc = 0;
        if (c->bstate && c->bstate->reblocked) {
            c->db = saved;
            break;
        }
        /* Served (or failed with an error reply): the client is free again. */
        if (c->bstate) release(c);
        c->db = saved;
        queue_resume(c);
    }
}

void block_serve_ready(void) {
    static bool serving;
    if (serving || !nready) return;
    serving = true;
    /* Serving may signal more keys (BLMOVE pushes): loop until quiet. */
    for (size_t i = 0; i < nready; i++) {
        int dbid = ready[i].dbid;
        waitq *q = ready[i].q;
        q->ready = false;
        serve_queue(dbid, q);
        if (!q->head && !q->ready) ht_delete(waiting[dbid], q->key, q->keylen);
    }
    nready = 0;
    serving = false;
}

long block_timeouts(void) {
    while (heap_len && heap[0]->bstate->deadline <= server.now_ms) unblock_client(heap[0], UNBLOCK_TIMEOUT);
    return heap_len ? (long)(heap[0]->bstate->deadline - server.now_ms) : -1;
}

void blocking_resume_clients(void) {
    /* Each resumed client may block again or be freed: take the list first. */
    while (nunblocked) {
        client *c = unblocked[--nunblocked];
        if (c) client_process_pending(c);
    }
}

void blocking_forget_client(client *c) {
    for (size_t i = 0; i < nunblocked; i++)
        if (unblocked[i] == c) unblocked[i] = NULL;
    if (c->bstate) release(c);
}

void block_signal_db(db *d) {
    if (!server.blocked_clients || d->id >= nwaiting) return;
    ht_iter it;
    ht_iter_init(&it, waiting[d->id]);
    for (waitq *q; (q = ht_iter_next(&it)) != NULL;)
        if (db_peek(d, q->key, q->keylen)) block_signal_key(d, q->key, q->keylen);
    ht_iter_deinit(&it);
}

bool timeout_arg_or_reply(client *c, int i, int64_t *deadline_ms) {
    long double secs;
    if (!num_parse_ld(c->argv[i], c->argvlen[i], &secs) || isnan(secs)) {
        reply_error(c, "ERR timeout is not a float or out of range");
        return false;
    }
    /* As Redis: milliseconds rounded up, then the sign, so a timeout that rounds to
     * 0 ms ("-0.0001") is 0, block forever. */
    long double ms = ceill(secs * 1000.0L);
    if (ms < 0) {
        reply_error(c, "ERR timeout is negative");
        return false;
    }
    if (ms > (long double)(INT64_MAX / 2)) {
        reply_error(c, "ERR timeout is out of range");
        return false;
    }
    *deadline_ms = ms > 0 ? server.now_ms + (int64_t)ms : 0;
    return true;
}
