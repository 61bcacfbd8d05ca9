/* src/lazyfree.h: freeing big values on a background thread.
 *
 * What it does. Freeing a value of ten million members takes as long as ten
 * million free() calls: done in the event loop, every client would wait. Instead
 * such a value, once unlinked from the keyspace, is handed to one background
 * thread that frees it while the loop goes on serving. A value costing at most
 * LAZYFREE_THRESHOLD allocations is freed at once: handing it off would cost more.
 *
 * Which deletions are lazy is db.c's decision, from the command and the
 * lazyfree-lazy-* directives: UNLINK and FLUSHALL/FLUSHDB ASYNC always; DEL per
 * lazyfree-lazy-user-del, FLUSHALL/FLUSHDB without a mode per
 * lazyfree-lazy-user-flush, expiry per lazyfree-lazy-expire, eviction per
 * lazyfree-lazy-eviction, and the server's own deletions (an overwrite, RENAME's
 * destination, a value emptied by a command) per lazyfree-lazy-server-del.
 *
 * Ownership. lazyfree_free_obj() and lazyfree_free_keyspace() take ownership of
 * what they are given, which must already be unreachable from every table and
 * client: nothing may refer to it after the call.
 *
 * Threads. The background thread only runs obj_free()/ht_destroy()/cn_free() on
 * what it was given: utils/alloc.c counts memory atomically and jemalloc is
 * thread-safe, and those functions touch no other server state. The queue is a
 * mutex-protected list; the counters are atomics, so INFO reads them without the
 * lock (lazyfree_pending_objects, lazyfreed_objects).
 *
 * Teardown: lazyfree_teardown() lets the thread finish the queue, then joins it.
 */
#ifndef CAIRN_LAZYFREE_H
#define CAIRN_LAZYFREE_H

#include <stdbool.h>
#include <stddef.h>

#include "object.h"

#include "../utils/ht.h"

/* Values costing more allocations than this are freed in the background (Redis
 * uses the same figure). */
#define LAZYFREE_THRESHOLD 64

void lazyfree_setup(void);
void lazyfree_teardown(void);

/* Frees o: on the background thread when lazy is set and o is big enough to be
 * worth it, else at once. Takes ownership. */
void lazyfree_free_obj(obj *o, bool lazy);
/* Frees a whole keyspace table (destroying its objects) and an expire heap's
 * item array, on the background thread. Takes ownership of both. */
void lazyfree_free_keyspace(ht *keys, obj **heap_items);

/* Objects queued and not yet freed, and objects freed by the thread so far. */
size_t lazyfree_pending_objects(void);
size_t lazyfree_freed_objects(void);
void lazyfree_reset_stats(void); /* CONFIG RESETSTAT: the freed count */

#endif
