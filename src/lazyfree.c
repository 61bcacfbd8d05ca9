/* src/lazyfree.c: see lazyfree.h. */
#include "lazyfree.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "../utils/alloc.h"
#include "../utils/log.h"

typedef struct lazyfree_job {
    struct lazyfree_job *next;
    obj *o;           /* one object, or */
    ht *keys;         /* a whole keyspace table */
    obj **heap_items; /* and its expire heap's array */
    size_t objects;   /* what the job counts in lazyfree_pending_objects */
} lazyfree_job;

static struct {
    pthread_t thread;
    bool running;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    lazyfree_job *head, *tail; /* under lock */
    bool stop;                 /* under lock */
    _Atomic size_t pending, freed;
} lf = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static void job_run(lazyfree_job *j) {
    if (j->o) obj_free(j->o);
    if (j->keys) ht_destroy(j->keys);
    cn_free(j->heap_items);
}

static void *lazyfree_main(void *arg) {
    (void)arg;
    pthread_mutex_lock(&lf.lock);
    for (;;) {
        while (!lf.head && !lf.stop) pthread_cond_wait(&lf.wake, &lf.lock);
        lazyfree_job *j = lf.head;
        if (!j) break; /* stopping, and the queue is drained */
        lf.head = j->next;
        if (!lf.head) lf.tail = NULL;
        pthread_mutex_unlock(&lf.lock);
        job_run(j);
        atomic_fetch_sub(&lf.pending, j->objects);
        atomic_fetch_add(&lf.freed, j->objects);
        cn_free(j);
        pthread_mutex_lock(&lf.lock);
    }
    pthread_mutex_unlock(&lf.lock);
    return NULL;
}

void lazyfree_setup(void) {
    lf.stop = false;
    int err = pthread_create(&lf.thread, NULL, lazyfree_main, NULL);
    lf.running = err == 0;
    if (!lf.running) log_warning("Can't start the lazy-free thread (%s): values are freed at once", strerror(err));
}

void lazyfree_teardown(void) {
    if (!lf.running) return;
    pthread_mutex_lock(&lf.lock);
    lf.stop = true;
    pthread_cond_signal(&lf.wake);
    pthread_mutex_unlock(&lf.lock);
    pthread_join(lf.thread, NULL);
    lf.running = false;
}

static void enqueue(lazyfree_job *j) {
    if (!lf.running) {
        job_run(j);
        atomic_fetch_add(&lf.freed, j->objects);
        cn_free(j);
        return;
    }
    j->next = NULL;
    atomic_fetch_add(&lf.pending, j->objects);
    pthread_mutex_lock(&lf.lock);
    if (lf.tail) lf.tail->next = j;
    else lf.head = j;
    lf.tail = j;
    pthread_cond_signal(&lf.wake);
    pthread_mutex_unlock(&lf.lock);
}

void lazyfree_free_obj(obj *o, bool lazy) {
    if (!o) return;
    if (!lazy || obj_free_effort(o) <= LAZYFREE_THRESHOLD) {
        obj_free(o);
        return;
    }
    lazyfree_job *j = cn_calloc(1, sizeof(*j));
    j->o = o;
    j->objects = 1;
    enqueue(j);
}

void lazyfree_free_keyspace(ht *keys, obj **heap_items) {
    lazyfree_job *j = cn_calloc(1, sizeof(*j));
    j->keys = keys;
    j->heap_items = heap_items;
    j->objects = keys ? ht_size(keys) : 0;
    enqueue(j);
}

size_t lazyfree_pending_objects(void) { return atomic_load(&lf.pending); }
size_t lazyfree_freed_objects(void) { return atomic_load(&lf.freed); }
void lazyfree_reset_stats(void) { atomic_store(&lf.freed, 0); }
