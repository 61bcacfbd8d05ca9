/* src/pubsub.h: publish/subscribe: channels, patterns and shard channels.
 *
 * Terms. A channel is a binary-safe name; a pattern is a glob (utils/glob.h)
 * matched against channel names at publish time; a shard channel is a channel
 * of its own namespace (SSUBSCRIBE/SPUBLISH; without cluster mode one shard
 * holds them all). A subscription is a (client, channel|pattern|shard channel)
 * pair; a client holds at most one of each.
 *
 * State and ownership. pubsub.c owns three server-wide tables (channels,
 * patterns, shard channels), each mapping a name to its subscribers in
 * subscription order, and each client's own sets of names (c->pubsub, NULL
 * until the first subscription). A name with no subscriber left is removed at
 * once, so PUBSUB CHANNELS and the INFO counts never see empty entries.
 *
 * Delivery. pubsub_publish() appends the message to every receiver's output at
 * once, as a RESP2 array or a RESP3 push (pubsub_push_begin() marks the bytes as
 * a push so that CLIENT REPLY OFF does not drop them). It never waits for a
 * receiver: a subscriber that does not read grows its output buffer until
 * client-output-buffer-limit pubsub closes it (client.c), so a slow subscriber
 * never slows a publisher.
 *
 * Subscription mode. A client with at least one subscription has CLIENT_PUBSUB;
 * in RESP2 call() then allows only (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT
 * and RESET (pubsub_allowed_in_resp2_context()). RESP3 clients may run any
 * command; their messages arrive as push replies between ordinary replies.
 *
 * Commands (cmd_pubsub.c): SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE
 * SSUBSCRIBE SUNSUBSCRIBE PUBLISH SPUBLISH PUBSUB CHANNELS|NUMSUB|NUMPAT|
 * SHARDCHANNELS|SHARDNUMSUB|HELP.
 */
#ifndef CAIRN_PUBSUB_H
#define CAIRN_PUBSUB_H

#include <stdbool.h>
#include <stddef.h>

typedef struct client client;
#include "command.h"
typedef struct ht ht;

/* A client's subscriptions (c->pubsub). Each set holds the shared entries of the
 * server-wide tables. */
typedef struct client_pubsub {
    ht *channels, *patterns, *shard;
} client_pubsub;

enum { PUBSUB_CHANNEL = 0, PUBSUB_PATTERN = 1, PUBSUB_SHARD = 2, PUBSUB_KINDS = 3 };

void pubsub_setup(void);
void pubsub_teardown(void);

/* Subscribes c (replies the confirmation). No-op besides the reply if already. */
void pubsub_subscribe(client *c, int kind, const char *name, size_t len);
/* Unsubscribes c from one name (replies the confirmation, also when c was not
 * subscribed to it) or, with name NULL, from every name of that kind (one
 * confirmation each, or a single one with a null name when there were none;
 * notify false: no replies, for RESET and client_free). */
void pubsub_unsubscribe(client *c, int kind, const char *name, size_t len, bool notify);
/* c leaves everything (client_free, RESET). */
void pubsub_client_forget(client *c);

/* Delivers message to subscribers of the channel (and of matching patterns);
 * returns how many clients received it. kind is PUBSUB_CHANNEL or PUBSUB_SHARD. */
long long pubsub_publish(int kind, const char *ch, size_t chlen, const char *msg, size_t mlen);

/* Subscriptions of c of one kind, and in all (channels + patterns + shard). */
size_t pubsub_client_count(const client *c, int kind);
/* Server-wide counts: names with at least one subscriber. */
size_t pubsub_count(int kind);
/* Subscribers of one channel / shard channel (PUBSUB NUMSUB). */
size_t pubsub_numsub(int kind, const char *ch, size_t len);
/* The table of a kind, for PUBSUB CHANNELS (entries: pubsub_entry_name()). */
ht *pubsub_table(int kind);
const char *pubsub_entry_name(const void *entry, size_t *len);
/* Bytes held for c's subscriptions (client memory). */
size_t pubsub_client_mem(const client *c);

/* RESP2 subscription mode: may c run cmd? */
bool pubsub_allowed_in_resp2_context(const command *cmd);

/* Out-of-band messages (pub/sub messages, tracking invalidations) are marked so
 * CLIENT REPLY OFF/SKIP does not drop them. Between begin and end, write the
 * push with reply.h. */
void pubsub_push_begin(client *c);
void pubsub_push_end(client *c);

extern command cmd_table_pubsub[];

#endif
