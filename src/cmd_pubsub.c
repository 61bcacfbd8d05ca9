/* src/cmd_pubsub.c: the pub/sub commands over pubsub.h. */
#include "../utils/glob.h"
#include "../utils/ht.h"
#include "pubsub.h"
#include "server.h"

static void subscribe_all(client *c, int kind) {
    for (int i = 1; i < c->argc; i++) pubsub_subscribe(c, kind, c->argv[i], c->argvlen[i]);
}

static void unsubscribe_args(client *c, int kind) {
    if (c->argc == 1) {
        pubsub_unsubscribe(c, kind, NULL, 0, true);
        return;
    }
    for (int i = 1; i < c->argc; i++) pubsub_unsubscribe(c, kind, c->argv[i], c->argvlen[i], true);
}

static void cmd_subscribe(client *c) { subscribe_all(c, PUBSUB_CHANNEL); }
static void cmd_psubscribe(client *c) { subscribe_all(c, PUBSUB_PATTERN); }
static void cmd_ssubscribe(client *c) { subscribe_all(c, PUBSUB_SHARD); }
static void cmd_unsubscribe(client *c) { unsubscribe_args(c, PUBSUB_CHANNEL); }
static void cmd_punsubscribe(client *c) { unsubscribe_args(c, PUBSUB_PATTERN); }
static void cmd_sunsubscribe(client *c) { unsubscribe_args(c, PUBSUB_SHARD); }

static void cmd_publish(client *c) {
    reply_int(c, pubsub_publish(PUBSUB_CHANNEL, c->argv[1], c->argvlen[1], c->argv[2], c->argvlen[2]));
}

static void cmd_spublish(client *c) {
    reply_int(c, pubsub_publish(PUBSUB_SHARD, c->argv[1], c->argvlen[1], c->argv[2], c->argvlen[2]));
}

/* PUBSUB CHANNELS / SHARDCHANNELS [pattern]. */
static void reply_names(client *c, int kind) {
    if (c->argc > 3) {
        reply_errorf(c, "ERR unknown subcommand or wrong number of arguments for '%s'. Try PUBSUB HELP.",
                     c->argv[1]);
        return;
    }
    const char *pat = c->argc > 2 ? c->argv[2] : NULL;
    size_t plen = c->argc > 2 ? c->argvlen[2] : 0;
    void *h = reply_deferred(c);
    long n = 0;
    ht_iter it;
    ht_iter_init(&it, pubsub_table(kind));
    for (void *e; (e = ht_iter_next(&it));) {
        size_t len;
        const char *name = pubsub_entry_name(e, &len);
        if (pat && !glob_match(pat, plen, name, len, false)) continue;
        reply_bulk(c, name, len);
        n++;
    }
    ht_iter_deinit(&it);
    reply_set_deferred(c, h, '*', n);
}

static void reply_numsub(client *c, int kind) {
    reply_array(c, 2L * (c->argc - 2)); /* an array in RESP3 too (Redis 7.0) */
    for (int i = 2; i < c->argc; i++) {
        reply_bulk(c, c->argv[i], c->argvlen[i]);
        reply_int(c, (long long)pubsub_numsub(kind, c->argv[i], c->argvlen[i]));
    }
}

static void cmd_pubsub_channels(client *c) { reply_names(c, PUBSUB_CHANNEL); }
static void cmd_pubsub_shardchannels(client *c) { reply_names(c, PUBSUB_SHARD); }
static void cmd_pubsub_numsub(client *c) { reply_numsub(c, PUBSUB_CHANNEL); }
static void cmd_pubsub_shardnumsub(client *c) { reply_numsub(c, PUBSUB_SHARD); }
static void cmd_pubsub_numpat(client *c) { reply_int(c, (long long)pubsub_count(PUBSUB_PATTERN)); }

static void cmd_pubsub_help(client *c) {
    static const char *const help[] = {
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        "HELP",
        "    Prints this help.",
        NULL};
    reply_help(c, help);
}

#define PS_FLAGS (CMD_PUBSUB | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE)
#define PS_SUB_FLAGS (CMD_PUBSUB | CMD_LOADING | CMD_STALE)

static command pubsub_subcommands[] = {
    {.name = "channels", .proc = cmd_pubsub_channels, .arity = -2, .flags = PS_SUB_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .group = "pubsub", .since = "2.8.0",
     .summary = "List active channels",
     .complexity = "O(N) where N is the number of active channels, and assuming constant time "
                   "pattern matching (relatively short channels and patterns)",
     .args = "[pattern:pattern]"},
    {.name = "numpat", .proc = cmd_pubsub_numpat, .arity = 2, .flags = PS_SUB_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .group = "pubsub", .since = "2.8.0",
     .summary = "Get the count of unique patterns pattern subscriptions", .complexity = "O(1)"},
    {.name = "numsub", .proc = cmd_pubsub_numsub, .arity = -2, .flags = PS_SUB_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .group = "pubsub", .since = "2.8.0",
     .summary = "Get the count of subscribers for channels",
     .complexity = "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
     .args = "[channel...]"},
    {.name = "shardchannels", .proc = cmd_pubsub_shardchannels, .arity = -2, .flags = PS_SUB_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .group = "pubsub", .since = "7.0.0",
     .summary = "List active shard channels",
     .complexity = "O(N) where N is the number of active shard channels, and assuming constant "
                   "time pattern matching (relatively short shard channels).",
     .args = "[pattern:pattern]"},
    {.name = "shardnumsub", .proc = cmd_pubsub_shardnumsub, .arity = -2, .flags = PS_SUB_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .group = "pubsub", .since = "7.0.0",
     .summary = "Get the count of subscribers for shard channels",
     .complexity = "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested "
                   "shard channels",
     .args = "[shardchannel...]"},
    {.name = "help", .proc = cmd_pubsub_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_SLOW, .group = "pubsub", .since = "6.2.0",
     .summary = "Show helpful text about the different subcommands", .complexity = "O(1)"},
    {0}};

command cmd_table_pubsub[] = {
    {.name = "subscribe", .proc = cmd_subscribe, .arity = -2, .flags = PS_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .group = "pubsub", .since = "2.0.0",
     .summary = "Listen for messages published to the given channels",
     .complexity = "O(N) where N is the number of channels to subscribe to.",
     .args = "channel..."},
    {.name = "unsubscribe", .proc = cmd_unsubscribe, .arity = -1, .flags = PS_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .group = "pubsub", .since = "2.0.0",
     .summary = "Stop listening for messages posted to the given channels",
     .complexity = "O(N) where N is the number of clients already subscribed to a channel.",
     .args = "[channel...]"},
    {.name = "psubscribe", .proc = cmd_psubscribe, .arity = -2, .flags = PS_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .group = "pubsub", .since = "2.0.0",
     .summary = "Listen for messages published to channels matching the given patterns",
     .complexity = "O(N) where N is the number of patterns the client is already subscribed to.",
     .args = "pattern(pattern:pattern)..."},
    {.name = "punsubscribe", .proc = cmd_punsubscribe, .arity = -1, .flags = PS_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .group = "pubsub", .since = "2.0.0",
     .summary = "Stop listening for messages posted to channels matching the given patterns",
     .complexity = "O(N+M) where N is the number of patterns the client is already subscribed and "
                   "M is the number of total patterns subscribed in the system (by any client).",
     .args = "[pattern:pattern...]"},
    {.name = "ssubscribe", .proc = cmd_ssubscribe, .arity = -2, .flags = PS_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .first_key = 1, .last_key = -1, .key_step = 1,
     .group = "pubsub", .since = "7.0.0",
     .summary = "Listen for messages published to the given shard channels",
     .complexity = "O(N) where N is the number of shard channels to subscribe to.",
     .key_specs = "not_key: index 1 range -1 1 0", .args = "shardchannel:string..."},
    {.name = "sunsubscribe", .proc = cmd_sunsubscribe, .arity = -1, .flags = PS_FLAGS,
     .acl = ACL_PUBSUB | ACL_SLOW, .first_key = 1, .last_key = -1, .key_step = 1,
     .group = "pubsub", .since = "7.0.0",
     .summary = "Stop listening for messages posted to the given shard channels",
     .complexity = "O(N) where N is the number of clients already subscribed to a shard channel.",
     .key_specs = "not_key: index 1 range -1 1 0", .args = "[shardchannel:string...]"},
    {.name = "publish", .proc = cmd_publish, .arity = 3,
     .flags = CMD_PUBSUB | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_MAY_REPLICATE,
     .acl = ACL_PUBSUB | ACL_FAST, .group = "pubsub", .since = "2.0.0",
     .summary = "Post a message to a channel",
     .complexity = "O(N+M) where N is the number of clients subscribed to the receiving channel and "
                   "M is the total number of subscribed patterns (by any client).",
     .args = "channel message"},
    {.name = "spublish", .proc = cmd_spublish, .arity = 3,
     .flags = CMD_PUBSUB | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_MAY_REPLICATE,
     .acl = ACL_PUBSUB | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "pubsub", .since = "7.0.0", .summary = "Post a message to a shard channel",
     .complexity = "O(N) where N is the number of clients subscribed to the receiving shard channel.",
     .key_specs = "not_key: index 1 range 0 1 0", .args = "shardchannel:string message"},
    {.name = "pubsub", .arity = -2, .acl = ACL_SLOW, .group = "pubsub", .since = "2.8.0",
     .summary = "A container for Pub/Sub commands", .complexity = "Depends on subcommand.",
     .subcommands = pubsub_subcommands},
    {0}};
