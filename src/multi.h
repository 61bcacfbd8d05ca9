/* src/multi.h: transactions (MULTI EXEC DISCARD) and optimistic locking (WATCH).
 *
 * Queueing. After MULTI a client has CLIENT_MULTI; call() then queues every
 * command but EXEC, DISCARD, MULTI, WATCH, QUIT and RESET (copying its
 * arguments: the query buffer moves) and replies QUEUED. A command refused
 * before it could be queued (unknown, arity, NOAUTH, -MISCONF, -LOADING, not
 * allowed in a transaction) marks CLIENT_DIRTY_EXEC: EXEC then replies
 * EXECABORT and runs nothing (multi_flag_error()).
 *
 * EXEC. With DIRTY_EXEC: EXECABORT. With CLIENT_DIRTY_CAS, or a watched key
 * that expired since the WATCH but is not deleted yet: a null array, nothing
 * runs. Otherwise each queued command runs through call_command() in order,
 * as CLIENT_DENY_BLOCKING (a blocking command answers as on timeout), its reply
 * one element of EXEC's array; a run-time error is that command's element and
 * the others still run. What the commands propagate forms one unit (persist.h
 * propagate_unit_*): wrapped in MULTI/EXEC when it has more than one command.
 * Waiters on keys the transaction pushed to are served after the whole EXEC
 * (blocking.h). The transaction and the watches are gone afterwards.
 *
 * WATCH. Each db index has a table of watched keys, each with its watchers; each
 * client a list of its (db index, key) entries. Watches belong to the db index,
 * not to its contents, so SWAPDB does not move them. db.c's choke point calls:
 *  - multi_touch_key() for every change to a key (write, delete, expiry; eviction
 *    later): every watcher of that key gets CLIENT_DIRTY_CAS and loses its watches;
 *  - multi_touch_db() before FLUSHDB/FLUSHALL empties a db, and before SWAPDB
 *    (for each of the two dbs with the other as replacement): watchers of a key
 *    that exists in the emptied db, or in its replacement, get DIRTY_CAS.
 * A key already logically expired at WATCH time is flagged: its deletion by
 * expiry is then no change (Redis 7's rule), anything else is.
 *
 * Cost when nobody watches: multi_touch_key() is one test of a global counter.
 *
 * Ownership: multi.c owns the per-db tables, the watcher lists and each client's
 * queue (c->mstate) and watch list (c->watched). client_free() calls
 * multi_client_forget().
 */
#ifndef CAIRN_MULTI_H
#define CAIRN_MULTI_H

#include <stdbool.h>
#include <stddef.h>

typedef struct client client;
typedef struct db db;
#include "command.h"

/* A queued command: its own copy of the arguments. */
typedef struct multi_cmd {
    command *cmd;
    int argc;
    char **argv;
    size_t *argvlen;
} multi_cmd;

/* One key a client watches: the shared table entry, and whether the key was
 * already logically expired when WATCH ran. */
typedef struct client_watch {
    struct watched_key *wk;
    bool expired;
} client_watch;

typedef struct multi_state {
    multi_cmd *cmds;
    int count, cap;
    unsigned cmd_flags; /* union of the queued commands' CMD_* flags */
    size_t bytes;       /* argument bytes held (client memory) */
} multi_state;

void multi_setup(int dbs);
void multi_teardown(void);

/* call(): queues c's current command (c->cmd resolved) and replies QUEUED. */
void multi_queue(client *c);
/* call(): c's command was refused while in MULTI: EXEC will abort. */
void multi_flag_error(client *c);
/* Does c's pending EXEC contain commands with any of these CMD_* flags? */
bool multi_has_flags(const client *c, unsigned flags);
/* Drops the queue and the watches (DISCARD, RESET, after EXEC). */
void multi_discard(client *c);
/* client_free: leaves every table. */
void multi_client_forget(client *c);

/* From db.c. */
extern size_t multi_watched_keys; /* distinct (db, key) pairs watched */
void multi_touch_key_slow(db *d, const char *key, size_t klen, bool deleted_by_expiry);
static inline void multi_touch_key(db *d, const char *key, size_t klen, bool deleted_by_expiry) {
    if (multi_watched_keys) multi_touch_key_slow(d, key, klen, deleted_by_expiry);
}
/* d is about to be emptied (replaced_with NULL) or swapped with replaced_with. */
void multi_touch_db(db *d, db *replaced_with);

/* INFO clients: clients with at least one watched key. */
size_t multi_watching_clients(void);
/* Bytes held for c's queue and watches (client memory, CLIENT LIST multi-mem). */
size_t multi_client_mem(const client *c);

extern command cmd_table_multi[];

#endif
