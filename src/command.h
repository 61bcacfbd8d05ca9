/* src/command.h: the command table.
 *
 * Each cmd_<area>.c declares its commands in a table next to the handlers
 * (name, handler, arity, flags, key positions, ACL categories, docs); command.c
 * gathers the tables at start-up into one lookup keyed by lower-case name and
 * serves COMMAND. Containers (CLIENT, CONFIG, OBJECT, COMMAND, ...) have a
 * subcommand table; their own handler is NULL and dispatch goes to the
 * subcommand named by argv[1].
 *
 * Arity follows Redis: n means exactly n arguments (the name included), -n
 * means at least n. Key positions: first, last (negative counts from the end),
 * step; 0 for none.
 *
 * The documentation of a row (what COMMAND INFO and COMMAND DOCS report, and
 * what redis-cli turns into its hints) is written in the row in the small
 * notations described in the "command docs" section below; command_setup()
 * parses them once into trees (src/cmd_docs.c) and aborts with a message
 * naming the row if a notation is malformed: a table is our own code.
 */
#ifndef CAIRN_COMMAND_H
#define CAIRN_COMMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct client client;
typedef void cmd_proc(client *c);

enum {
    CMD_WRITE = 1 << 0,
    CMD_READONLY = 1 << 1,
    CMD_DENYOOM = 1 << 2,
    CMD_ADMIN = 1 << 3,
    CMD_PUBSUB = 1 << 4,
    CMD_NOSCRIPT = 1 << 5,
    CMD_BLOCKING = 1 << 6,
    CMD_LOADING = 1 << 7,    /* allowed while loading */
    CMD_STALE = 1 << 8,
    CMD_SKIP_MONITOR = 1 << 9,
    CMD_SKIP_SLOWLOG = 1 << 10,
    CMD_FAST = 1 << 11,
    CMD_NO_AUTH = 1 << 12,   /* allowed before AUTH */
    CMD_MAY_REPLICATE = 1 << 13,
    CMD_SENTINEL = 1 << 14,
    CMD_NO_MULTI = 1 << 15,
    CMD_ALLOW_BUSY = 1 << 16,
    CMD_MOVABLE_KEYS = 1 << 17, /* keys found by a keynum/keyword spec (LMPOP, ...) */
    CMD_NO_ASYNC_LOADING = 1 << 18,
    /* Internal (not in COMMAND INFO): */
    CMD_NOT_QUEUED = 1 << 19, /* runs at once inside MULTI (EXEC DISCARD MULTI WATCH QUIT RESET) */
    CMD_EXEC = 1 << 20,       /* EXEC itself */
};

/* ACL categories (as Redis names them, for COMMAND INFO and later ACLs). */
enum {
    ACL_KEYSPACE = 1 << 0, ACL_READ = 1 << 1, ACL_WRITE = 1 << 2, ACL_SET = 1 << 3,
    ACL_SORTEDSET = 1 << 4, ACL_LIST = 1 << 5, ACL_HASH = 1 << 6, ACL_STRING = 1 << 7,
    ACL_BITMAP = 1 << 8, ACL_HYPERLOGLOG = 1 << 9, ACL_GEO = 1 << 10, ACL_STREAM = 1 << 11,
    ACL_PUBSUB = 1 << 12, ACL_ADMIN = 1 << 13, ACL_FAST = 1 << 14, ACL_SLOW = 1 << 15,
    ACL_BLOCKING = 1 << 16, ACL_DANGEROUS = 1 << 17, ACL_CONNECTION = 1 << 18,
    ACL_TRANSACTION = 1 << 19, ACL_SCRIPTING = 1 << 20,
};

/* Documentation flags (COMMAND DOCS "doc_flags"). */
enum {
    DOC_DEPRECATED = 1 << 0,
    DOC_SYSCMD = 1 << 1,
};

typedef struct cmd_docs cmd_docs;

typedef struct command {
    const char *name;      /* lower case; for subcommands just the subcommand */
    cmd_proc *proc;
    int arity;
    uint32_t flags;
    uint32_t acl;
    int first_key, last_key, key_step;
    const char *group;     /* "string", "generic", "connection", "server", ... */
    const char *since;
    const char *summary;
    const char *complexity; /* NULL: none (COMMAND DOCS leaves the field out) */
    uint32_t doc_flags;     /* DOC_* */
    const char *deprecated_since, *replaced_by; /* for DOC_DEPRECATED commands */
    const char *history;   /* history notation (below), or NULL */
    const char *tips;      /* tips notation (below), or NULL */
    const char *key_specs; /* key-spec notation (below), or NULL */
    const char *args;      /* argument notation (below), or NULL */
    /* For commands whose keys their key specs cannot fully describe (SORT's
     * STORE): finds the key positions itself; as cmd_docs_key_positions. */
    int (*getkeys)(int argc, const char *const *argv, const size_t *argvlen, int *pos, int max);
    struct command *subcommands; /* terminated by an entry with name NULL */

    /* Filled at start-up. */
    struct command *parent;
    cmd_docs *docs;        /* the four notations, parsed (owned; freed at teardown) */
    char fullname[48];     /* "client|setname" */
    /* Statistics for INFO commandstats. */
    long long calls, usec, rejected_calls, failed_calls;
    /* Run times for INFO latencystats and LATENCY HISTOGRAM (latency.h): NULL until the
     * first call while latency-tracking is on; freed by command_reset_stats(). */
    struct hist *latency_hist;
} command;

void command_setup(void);
void command_teardown(void);
/* Looks up argv[0] (any case) and, for containers, argv[1]. NULL if unknown. */
command *command_lookup(const char *name, size_t len);
command *command_lookup_sub(command *parent, const char *name, size_t len);
/* True when arity accepts argc. */
static inline int command_arity_ok(const command *cmd, int argc) {
    return cmd->arity > 0 ? argc == cmd->arity : argc >= -cmd->arity;
}
/* Every top-level command, for COMMAND and INFO commandstats. */
size_t command_count(void);
command *command_at(size_t i);
/* Clears calls/usec/... and frees the latency histograms (CONFIG RESETSTAT). */
void command_reset_stats(void);

/* ---------------------------------------------------------------- command docs
 *
 * src/cmd_docs.c parses the notations of a row into a cmd_docs and writes the
 * COMMAND INFO and COMMAND DOCS replies from it, in Redis 7.0's field order,
 * as maps/sets in RESP3 and flat arrays in RESP2 (reply.c does that part).
 *
 * .history: one change per line, "VERSION TEXT", lines separated by '\n':
 *     .history = "2.6.12 Added the `EX`, `PX`, `NX` and `XX` options.\n"
 *                "6.0.0 Added the `KEEPTTL` option."
 *
 * .tips: space-separated, as Redis spells them:
 *     .tips = "request_policy:all_shards response_policy:agg_sum"
 *
 * .key_specs: one spec per key-finding rule, separated by ';'; each is
 *     FLAGS ':' BEGIN FIND ['--' NOTES]
 *   FLAGS  RO RW OW RM access update insert delete not_key incomplete
 *          variable_flags (any order; replies use Redis's order)
 *   BEGIN  "index N" | "keyword WORD STARTFROM" | "unknown"
 *   FIND   "range LASTKEY KEYSTEP LIMIT" | "keynum KEYNUMIDX FIRSTKEY KEYSTEP" | "unknown"
 *   NOTES  free text up to the next ';' (so a note cannot contain one)
 *     .key_specs = "RW access delete: index 1 range 0 1 0; OW update: index 2 range 0 1 0"
 *
 * .args: the argument tree, close to redis-cli's hint syntax. Arguments are
 * separated by spaces; each is
 *     name[:type][@N]          a value; type is string unless given;
 *                              "@N" is the key_spec_index and implies type key
 *     TOKEN name[:type][@N]    the same, introduced by TOKEN
 *     TOKEN[=name]             a pure token; its name is TOKEN in lower case
 *                              unless "=name" says otherwise
 *     [TOKEN] name(a b ...)    a block: its arguments in order
 *     [TOKEN] name(a | b ...)  a oneof: one of its arguments
 *     [x]                      x is optional
 * followed by any of these suffixes (inside the brackets of an optional one):
 *     ...      multiple           ...*      multiple, token repeated (multiple_token)
 *     +VERSION since              !VERSION  deprecated_since
 * Names are lower case: a-z 0-9 - _ : / (so "ip:port" is a name; ":type" is
 * split off only when it names a type: key string integer double pattern
 * unix-time). Tokens are words without lower-case letters (NX, AUTH2), or any
 * text in single quotes ('$', ''). A token directly followed by a name
 * introduces it; to follow a pure token with a separate value inside a block,
 * name the token: "NX=nx value". SET, which redis-cli shows as
 * "key value [NX|XX] [GET] [EX seconds|PX milliseconds|...|KEEPTTL]":
 *     .args = "key@0 value [condition(NX|XX)+2.6.12] [GET+6.2.0] "
 *             "[expiration(EX seconds:integer+2.6.12 | PX milliseconds:integer+2.6.12 | "
 *             "EXAT unix-time-seconds:unix-time+6.2.0 | "
 *             "PXAT unix-time-milliseconds:unix-time+6.2.0 | KEEPTTL+6.0.0)]"
 * MSET: "key_value(key@0 value)..."; ZADD's CH: "[CH=change+3.0.2]"; XADD's
 * id: "id_or_auto('*'=auto_id|id)".
 * Not represented, as Redis 7.0.15 reports none: argument summaries, "module";
 * nor what later versions add (argument "display_text").
 */

/* Parses cmd's notations into cmd->docs. On a malformed notation returns
 * false with a message naming the field and offset in err; cmd->docs is then
 * NULL. Called by command_setup() for every row and subcommand. */
bool cmd_docs_setup(command *cmd, char *err, size_t errlen);
/* Frees cmd->docs (NULL is fine) and sets it to NULL. */
void cmd_docs_teardown(command *cmd);
/* One COMMAND INFO entry (10 fields, subcommands included). */
void cmd_docs_reply_info(client *c, const command *cmd);
/* One COMMAND DOCS value: the doc map of cmd (the caller writes the name). */
void cmd_docs_reply_docs(client *c, const command *cmd);
/* The argument positions of cmd's keys in argv (argv[0] is the command name),
 * from its key specs as COMMAND GETKEYS reads them: up to max positions in pos.
 * Returns how many, or -1 if the arguments do not make sense (a bad numkeys).
 * A command without key specs has none: see cmd_docs_has_keys. */
int cmd_docs_key_positions(const command *cmd, int argc, const char *const *argv,
                           const size_t *argvlen, int *pos, int max);
bool cmd_docs_has_keys(const command *cmd);
/* The ACL category bit named name ("read", no '@', any case); 0 if unknown. */
uint32_t cmd_docs_acl_category(const char *name);

/* The tables, one per area (terminated by name NULL). */
extern command cmd_table_string[];
extern command cmd_table_keys[];
extern command cmd_table_conn[];
extern command cmd_table_server[];
extern command cmd_table_hash[];
extern command cmd_table_set[];
extern command cmd_table_bitops[];
extern command cmd_table_list[];
extern command cmd_table_hll[];
extern command cmd_table_zset[];
extern command cmd_table_sort[];
extern command cmd_table_memory[];

#endif
