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
 */
#ifndef CAIRN_COMMAND_H
#define CAIRN_COMMAND_H

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
    const char *complexity;
    struct command *subcommands; /* terminated by an entry with name NULL */

    /* Filled at start-up. */
    struct command *parent;
    char fullname[48];     /* "client|setname" */
    /* Statistics for INFO commandstats. */
    long long calls, usec, rejected_calls, failed_calls;
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
/* Clears calls/usec/... (CONFIG RESETSTAT). */
void command_reset_stats(void);

/* The tables, one per area (terminated by name NULL). */
extern command cmd_table_string[];
extern command cmd_table_keys[];
extern command cmd_table_conn[];
extern command cmd_table_server[];

#endif
