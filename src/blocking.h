/* src/blocking.h: clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, ...).
 *
 * How it works:
 *  - A blocking command that finds nothing to serve calls block_on_keys(). The
 *    client stops reading commands; its command's arguments are copied (the query
 *    buffer may move while it waits) and it joins, for each key, that key's FIFO
 *    of waiters in its db. A deadline (0 = forever) goes into a min-heap.
 *  - Every write passes db.c's choke point, which calls block_signal_key() for
 *    keys that have waiters (one branch when nobody is blocked). Signalled keys
 *    collect in a ready list.
 *  - After each top-level command (so that a push inside LMOVE or a transaction
 *    is seen once the whole command is done) and in before-sleep,
 *    block_serve_ready() takes each ready key and, in arrival order, re-runs the
 *    command of each client waiting on it, with CLIENT_REEXEC set. The command
 *    either serves the client (which unblocks it) or finds nothing and blocks
 *    again, keeping its place: a key popped empty by the first waiter leaves the
 *    others waiting, in order.
 *  - block_timeouts() (before-sleep) answers clients whose deadline passed with
 *    the command's timeout reply (a null array) and unblocks them.
 *  - A client that disconnects, is killed, or gets CLIENT UNBLOCK leaves no trace.
 *
 * Ownership: blocking.c owns the per-db waiter maps, the ready list, the heap and
 * each blocked client's argument copy. Commands only call block_on_keys() and
 * test client_is_reexec().
 */
#ifndef CAIRN_BLOCKING_H
#define CAIRN_BLOCKING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct client client;
typedef struct db db;

void blocking_setup(void);
void blocking_teardown(void);

/* Blocks c, in its current db, on keys (argv indexes first, first+step, ...,
 * last) until one is signalled or deadline_ms (absolute Unix ms; 0 = forever)
 * passes. Called by a command handler that found nothing to serve; the handler
 * then returns without replying. A client with CLIENT_DENY_BLOCKING gets the
 * timeout reply (a null array) at once instead. */
void block_on_keys(client *c, int first, int last, int step, int64_t deadline_ms);
/* Blocks c on nothing until deadline_ms (0 = forever); then, or on CLIENT UNBLOCK
 * TIMEOUT, it gets the integer reply (WAIT with no replica to wait for). A client
 * with CLIENT_DENY_BLOCKING gets it at once. */
void block_for_time(client *c, int64_t deadline_ms, long long reply);
/* call_command, after a run of c's command while c is blocked (it has just
 * blocked, or this was a re-run): adds dur_us to the time its runs have taken;
 * returns -1 if c still waits, else (served) that whole time. */
long long block_run_done(client *c, bool was_blocked, long long dur_us);
/* True while the current command is a re-run after a key was signalled. */
bool client_is_blocked(const client *c);
/* Called by db.c for every written key. */
void block_signal_key(db *d, const char *key, size_t klen);
/* Serves clients waiting on signalled keys (see above). */
void block_serve_ready(void);
/* Answers and unblocks clients whose deadline passed. Returns the ms until the
 * next deadline (-1 if none), for the event loop's wait. */
long block_timeouts(void);

enum { UNBLOCK_TIMEOUT = 0, UNBLOCK_ERROR = 1, UNBLOCK_SILENT = 2 };
/* Unblocks c: with a timeout reply (null array), an UNBLOCKED error, or
 * silently (disconnect). Returns false if c was not blocked. */
bool unblock_client(client *c, int how);

/* SWAPDB: keys of d that clients wait on may now hold data: signal them. */
void block_signal_db(db *d);
/* Before-sleep: clients served or unblocked since the last call go on with the
 * commands they sent meanwhile. */
void blocking_resume_clients(void);
/* client_free: c leaves every queue, and is not resumed later. */
void blocking_forget_client(client *c);

/* Parses a blocking timeout argument (seconds, fractional allowed) into an
 * absolute deadline in ms (0 = forever); replies Redis's errors. */
bool timeout_arg_or_reply(client *c, int i, int64_t *deadline_ms);

#endif
