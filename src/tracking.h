/* src/tracking.h: client-side caching (CLIENT TRACKING).
 *
 * Modes (per client, CLIENT TRACKING ON [options]):
 *  - default: the server remembers which keys it showed the client (the keys of
 *    every read-only command it ran, found from the command's key specs) in the
 *    tracking table: key name -> ids of the clients that may cache it. The first
 *    write to such a key sends those clients one invalidation and forgets the
 *    entry; the client reads it again to be told again. OPTIN: only reads right
 *    after CLIENT CACHING yes are remembered; OPTOUT: all but those right after
 *    CLIENT CACHING no.
 *  - BCAST [PREFIX p ...]: nothing is remembered; every write to a key with one of
 *    the client's prefixes (any key without prefixes) is announced. Keys are
 *    collected per prefix and sent once per event-loop iteration, in before-sleep.
 *  - NOLOOP: not told about its own writes.
 * The tracking table ignores databases, as Redis's does: a write to "k" in any db
 * invalidates "k".
 *
 * Messages. An invalidation is ["invalidate", [key, ...]] (a null instead of the
 * array after FLUSHDB/FLUSHALL: every cached key is gone). It goes to the client
 * as a RESP3 push, or, with REDIRECT id, to that client: a RESP3 push, or for a
 * RESP2 client in subscription mode a message on __redis__:invalidate. A RESP2
 * client without redirection gets nothing (RESP2 has no out-of-band replies). A
 * redirection whose client is gone turns into one "tracking-redir-broken" push.
 *
 * Limits. tracking-table-max-keys bounds the table (0: no bound): over it, the
 * cron evicts keys at random, sending their invalidations as if written.
 *
 * Ownership: tracking.c owns the table, the prefix table and each client's
 * c->tracking; db.c calls tracking_invalidate_key() at its choke point and on
 * expiry, tracking_invalidate_flush() when a db is emptied.
 */
#ifndef CAIRN_TRACKING_H
#define CAIRN_TRACKING_H

#include <stdbool.h>
#include <stddef.h>

typedef struct client client;
typedef struct command command;

void tracking_setup(void);
void tracking_teardown(void);

/* True when any client tracks (the choke point's one-branch test). */
extern size_t tracking_clients;
extern size_t tracking_bcast_prefix_count;

/* After a read-only command of c (CLIENT_TRACKING): remember its keys. */
void tracking_remember_keys(client *c, command *cmd);
/* After every command of a tracking client: CLIENT CACHING applies to one command. */
void tracking_after_command(client *c, command *cmd);

void tracking_invalidate_key_slow(const char *key, size_t klen);
static inline void tracking_invalidate_key(const char *key, size_t klen) {
    if (tracking_clients) tracking_invalidate_key_slow(key, klen);
}
/* A db is emptied: every tracking client gets a null invalidation (once per
 * command). */
void tracking_invalidate_flush(void);

/* call(), after each top-level command: invalidations of keys the command's own
 * client wrote (held back so that they follow its reply). */
void tracking_command_done(void);
/* Before-sleep: BCAST invalidations collected in this iteration. */
void tracking_before_sleep(void);
/* Keeps the table within tracking-table-max-keys (before each command and in the
 * cron, as Redis does), about 1 ms at most per call. */
void tracking_limit(void);

/* client_free / RESET: tracking off, c leaves the prefix table. */
void tracking_client_forget(client *c);

/* CLIENT TRACKING / CACHING / GETREDIR / TRACKINGINFO handlers (cmd_conn.c's table). */
void cmd_client_tracking(client *c);
void cmd_client_caching(client *c);
void cmd_client_getredir(client *c);
void cmd_client_trackinginfo(client *c);

/* CLIENT LIST: the redirection id (-1 without), and the flag letters t R B. */
long long tracking_redirect_id(const client *c);
bool tracking_bcast(const client *c);
bool tracking_broken_redirect(const client *c);

/* INFO stats: tracking_total_keys, tracking_total_items, tracking_total_prefixes. */
void tracking_stats(size_t *keys, size_t *items, size_t *prefixes);

#endif
