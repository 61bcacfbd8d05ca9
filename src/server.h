/* src/server.h: the server: its global state, the client, and the call path.
 *
 * One process, one thread serving clients (background threads only for
 * freeing and fsync, later). `server` is the only global of src/; modules
 * reach shared state through it. Configuration values live here too, each
 * one a row in config.c's table.
 *
 * The per-request path: el readable -> client_read (one read) -> parse with
 * resp_reader -> call() per complete command -> replies appended to the
 * client's buffer -> before_sleep writes them (one write), installing a
 * writable handler only when the socket would block.
 */
#ifndef CAIRN_SERVER_H
#define CAIRN_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../resp/reader.h"
#include "../utils/alloc.h"
#include "../utils/log.h"
#include "command.h"
#include "db.h"
#include "el.h"
#include "object.h"
#include "blocking.h"
#include "reply.h"

#define CAIRN_VERSION "0.1.0"
#define REDIS_COMPAT_VERSION "7.0.15"

#define CN_OK 0
#define CN_ERR -1

#define CLIENT_BUF_SIZE (16 * 1024)   /* a client's first reply buffer, allocated on demand */
#define CLIENT_IDLE_SHRINK_MS 2000    /* idle clients give their buffers back after this */
#define REPLY_BLOCK_SIZE (16 * 1024)  /* minimum size of an overflow block */
#define QUERY_BUF_INITIAL (16 * 1024)
#define BIG_ARG_SIZE (32 * 1024)      /* bulks this big are read straight into place */

/* Defaults with Redis's names (config.c rows use these). */
#define CONFIG_DEFAULT_PORT 6379
#define CONFIG_DEFAULT_HZ 10
#define CONFIG_DEFAULT_MAXCLIENTS 10000
#define CONFIG_DEFAULT_DATABASES 16
#define CONFIG_DEFAULT_TCP_BACKLOG 511
#define CONFIG_DEFAULT_TCP_KEEPALIVE 300
#define CONFIG_DEFAULT_PROTO_MAX_BULK_LEN (512LL * 1024 * 1024)
#define CONFIG_DEFAULT_QUERY_BUF_LIMIT (1024LL * 1024 * 1024)
#define CONFIG_DEFAULT_SLOWLOG_SLOWER_THAN 10000
#define CONFIG_DEFAULT_SLOWLOG_MAX_LEN 128
/* A hash stays a listpack while it has at most this many fields and every field
 * and value is at most this many bytes (Redis 7.0.15's built-in defaults). */
#define CONFIG_DEFAULT_HASH_MAX_LISTPACK_ENTRIES 512
#define CONFIG_DEFAULT_HASH_MAX_LISTPACK_VALUE 64
/* A set of integers stays an intset up to this many members; a small set of
 * strings stays a listpack up to this many members of at most this many bytes
 * (Redis 7.2's defaults: 7.0 has no listpack sets). */
#define CONFIG_DEFAULT_SET_MAX_INTSET_ENTRIES 512
#define CONFIG_DEFAULT_SET_MAX_LISTPACK_ENTRIES 128
#define CONFIG_DEFAULT_SET_MAX_LISTPACK_VALUE 64
/* A list node (and a list in the listpack encoding) holds at most this many
 * entries if positive, else at most 4 KB << (-n - 1) bytes (-2: 8 KB). */
#define CONFIG_DEFAULT_LIST_MAX_LISTPACK_SIZE (-2)
/* A sorted set stays a listpack while it has at most this many members of at
 * most this many bytes (Redis 7.0.15's built-in defaults). */
#define CONFIG_DEFAULT_ZSET_MAX_LISTPACK_ENTRIES 128
#define CONFIG_DEFAULT_ZSET_MAX_LISTPACK_VALUE 64
/* A HyperLogLog stays sparse while its whole value is at most this many bytes. */
#define CONFIG_DEFAULT_HLL_SPARSE_MAX_BYTES 3000
#define CONFIG_MIN_RESERVED_FDS 32
#define CONFIG_DEFAULT_SAVE "3600 1 300 100 60 10000"
#define CONFIG_DEFAULT_DBFILENAME "dump.csnap"
#define CONFIG_DEFAULT_AOF_FILENAME "appendonly.aof"
#define CONFIG_DEFAULT_AOF_DIRNAME "appendonlydir"
#define CONFIG_DEFAULT_TRACKING_TABLE_MAX_KEYS 1000000

/* Client flags. */
enum {
    CLIENT_CLOSE_AFTER_REPLY = 1 << 0, /* write what is queued, then close */
    CLIENT_CLOSE_ASAP = 1 << 1,        /* close in before-sleep, drop replies */
    CLIENT_PENDING_WRITE = 1 << 2,     /* in server.pending_write */
    CLIENT_MONITOR = 1 << 3,
    CLIENT_REPLY_OFF = 1 << 4,
    CLIENT_REPLY_SKIP_NEXT = 1 << 5,
    CLIENT_REPLY_SKIP = 1 << 6,
    CLIENT_NO_EVICT = 1 << 7,
    CLIENT_NO_TOUCH = 1 << 8,
    CLIENT_UNIX_SOCKET = 1 << 9,
    CLIENT_PROTECTED = 1 << 10,        /* do not free now: in a handler up the stack */
    CLIENT_IN_CALL = 1 << 11,
    CLIENT_PUBSUB = 1 << 12,
    CLIENT_PROP_REWRITTEN = 1 << 13, /* the command called propagate_instead() */
    CLIENT_DENY_BLOCKING = 1 << 14,  /* a blocking command answers as on timeout */
    CLIENT_AOF_LOADING = 1 << 15,    /* the connectionless client replaying the AOF */
    CLIENT_MULTI = 1 << 16,          /* in MULTI: commands are queued (multi.h) */
    CLIENT_DIRTY_CAS = 1 << 17,      /* a watched key changed: EXEC fails */
    CLIENT_DIRTY_EXEC = 1 << 18,     /* a command was refused while queueing: EXECABORT */
    CLIENT_PUSHING = 1 << 19,        /* writing an out-of-band push (not dropped by REPLY OFF) */
    CLIENT_TRACKING = 1 << 20,       /* CLIENT TRACKING ON (tracking.h) */
    CLIENT_PAUSED = 1 << 21,         /* waiting for CLIENT PAUSE to end (in server.paused_clients) */
};

/* An overflow block of the reply list. */
typedef struct reply_block {
    struct reply_block *next;
    size_t size, used;
    char buf[];
} reply_block;

typedef struct client {
    uint64_t id;
    int fd;
    int resp;          /* 2 or 3 */
    uint32_t flags;
    db *db;
    bool authenticated;

    /* Input. */
    char *qbuf;        /* query buffer; [qpos, qlen) is unparsed */
    size_t qlen, qpos, qcap;
    size_t qbuf_peak;
    resp_reader reader;
    int argc;
    const char **argv;
    size_t *argvlen;
    command *cmd, *lastcmd;

    /* Output: buf first (CLIENT_BUF_SIZE, allocated at the first reply and given
     * back when the client idles), then the block list. */
    char *buf;
    size_t bufpos, sentlen; /* sentlen: bytes of the head (buf or first block) written */
    reply_block *reply_head, *reply_tail;
    size_t reply_bytes;     /* bytes in blocks */
    size_t obuf_soft_since; /* for the soft output limit: when it was first exceeded (s) */

    /* Identity and timing. */
    char *name, *lib_name, *lib_ver;
    char addr[64], laddr[64];
    int64_t ctime_ms, last_interaction_ms;
    long long commands_processed;
    uint64_t net_in, net_out;
    struct client *next_pending; /* in server.pending_write */
    struct block_state *bstate;  /* while blocked on keys (blocking.c) */
    struct client_pubsub *pubsub; /* subscriptions (pubsub.c); NULL if never subscribed */
    struct multi_state *mstate;  /* queued commands while CLIENT_MULTI (multi.c) */
    struct client_watch *watched; /* keys this client WATCHes (multi.c) */
    size_t nwatched, watched_cap;
    struct tracking_state *tracking; /* client-side caching (tracking.c); NULL if never on */
    size_t all_index;            /* position in server.clients */
} client;

typedef struct slowlog_entry {
    long long id;
    int64_t time;
    long long duration_us;
    int argc;
    char **argv;
    size_t *argvlen;
    char *peer, *name;
} slowlog_entry;

struct cn_server {
    pid_t pid;
    int64_t start_ms;
    el_loop *loop;
    char *executable;
    char *config_file;  /* absolute path, or NULL */
    char run_id[41];

    /* Listening sockets. */
    int listen_fds[16];
    int listen_count;
    int unix_fd;

    /* Clients. */
    client **clients; /* every connected client; order is not meaningful */
    size_t nclients, clients_cap;
    client *pending_write;
    uint64_t next_client_id;
    client *current;  /* the client whose command is running */
    client **monitors;
    size_t nmonitors;
    size_t blocked_clients;
    /* CLIENT PAUSE: until when (ms) and what (PAUSE_*); clients waiting for it. */
    int64_t pause_end_ms;
    int pause_kind;
    client **paused_clients;
    size_t npaused, paused_cap;

    /* Time. */
    int64_t now_us;       /* wall clock, read once per command (see call()) */
    int64_t now_ms;       /* now_us / 1000: the time commands use for expiry */
    uint32_t lruclock;
    long long cron_loops;
    bool shutdown_asap;

    /* Statistics. */
    long long stat_numcommands, stat_numconnections, stat_rejected_conn;
    long long stat_expiredkeys, stat_keyspace_hits, stat_keyspace_misses;
    long long stat_evictedkeys, stat_net_input_bytes, stat_net_output_bytes;
    long long stat_total_error_replies, stat_unexpected_error_replies;
    long long stat_expire_cycle_time_used;
    long long stat_expired_time_cap_reached; /* active expiry cycles stopped by their budget */
    long long stat_reads, stat_writes; /* read and write events served */
    long long stat_fork_usec, stat_total_forks; /* the latest fork's duration; forks done */
    size_t stat_peak_memory;
    long long dirty; /* changes since the last save */
    int64_t lastsave;
    struct errstat { char code[32]; long long count; } *errstats;
    size_t nerrstats;

    /* Slow log. */
    slowlog_entry *slowlog; /* newest first */
    size_t slowlog_len, slowlog_cap;
    long long slowlog_next_id;

    /* Configuration (rows in config.c). */
    int port;
    char *bind;          /* space-separated addresses */
    char *unixsocket;
    int unixsocketperm;
    int tcp_backlog;
    int tcp_keepalive;
    bool protected_mode;
    int maxclients;
    int timeout;         /* seconds; 0 = never */
    int hz;
    int databases;
    int loglevel;
    char *logfile;
    char *requirepass;   /* NULL = none */
    long long proto_max_bulk_len;
    long long client_query_buffer_limit;
    long long obuf_normal_hard, obuf_normal_soft, obuf_normal_seconds;
    long long obuf_pubsub_hard, obuf_pubsub_soft, obuf_pubsub_seconds;
    long long obuf_replica_hard, obuf_replica_soft, obuf_replica_seconds;
    long long slowlog_log_slower_than;
    long long slowlog_max_len;
    char *dir;
    char *pidfile;
    bool daemonize;
    bool active_expire;
    long long latency_tracking;
    long long latency_monitor_threshold;     /* ms; 0 = the latency monitor is off (latency.h) */
    char *latency_tracking_info_percentiles; /* "50 99 99.9": INFO latencystats' percentiles */
    int enable_debug_command; /* CONFIG_PROTECTED_NO/YES/LOCAL */
    bool jemalloc_bg_thread;
    long long hash_max_listpack_entries; /* fields; more converts to a hashtable */
    long long hash_max_listpack_value;   /* bytes of a field or value; longer converts */
    long long set_max_intset_entries;    /* members of an intset; more converts */
    long long set_max_listpack_entries;  /* members of a listpack set; more converts */
    long long set_max_listpack_value;    /* bytes of a listpack set's member; longer converts */
    int list_max_listpack_size;          /* fill of a list node (utils/quicklist.h) */
    long long zset_max_listpack_entries; /* members; more converts to a skiplist */
    long long zset_max_listpack_value;   /* bytes of a member; longer converts */
    long long hll_sparse_max_bytes;      /* bytes of a sparse HLL value; longer goes dense */

    /* Persistence (persist.c reads these; persist.h has the contract). */
    char *save_params;            /* "3600 1 300 100 60 10000"; "" = no save rules */
    char *dbfilename;
    bool stop_writes_on_bgsave_err;
    int snapshot_codec;           /* SNAP_ZSTD, SNAP_LZ4 or SNAP_NONE */
    int snapshot_level;           /* 0: the codec's default */
    int rdb_key_save_delay;       /* us per key written (tests: keep a child busy) */
    int key_load_delay;           /* us per key loaded (tests: observe loading) */
    bool aof_enabled;             /* appendonly */
    char *aof_filename, *aof_dirname;
    int aof_fsync;                /* AOF_FSYNC_* */
    bool aof_no_fsync_on_rewrite;
    long long aof_rewrite_perc, aof_rewrite_min_size;
    bool aof_load_truncated;
    bool aof_use_snapshot_base;   /* aof-use-rdb-preamble: the rewrite's base format */
    bool loading;                 /* loading a snapshot or AOF: -LOADING for most commands */
    long long tracking_table_max_keys; /* keys remembered for client-side caching (tracking.h) */

    /* Memory limit and eviction (evict.h has the contract). */
    long long maxmemory;          /* bytes; 0 = no limit */
    int maxmemory_policy;         /* MAXMEMORY_* */
    int maxmemory_samples;        /* keys sampled per db per eviction round */
    int maxmemory_eviction_tenacity; /* 0..100: the time one eviction may take */
    int lfu_log_factor, lfu_decay_time;
    /* Lazy freeing (lazyfree.h): which deletions hand big values to the thread. */
    bool lazyfree_lazy_eviction, lazyfree_lazy_expire, lazyfree_lazy_server_del;
    bool lazyfree_lazy_user_del, lazyfree_lazy_user_flush;
};

extern struct cn_server server;

/* --- server.c --- */
void server_setup(void);
void server_teardown(void);
void server_update_time(void);
/* Runs one command for c (argv parsed): lookup, checks (or, in MULTI, queueing),
 * handler, stats. */
void call(client *c);
/* The part of call() after the checks: runs cmd (resolved, allowed) for c with
 * c->argv, then propagation, stats, slow log and MONITOR. EXEC runs its queued
 * commands through this. */
void call_command(client *c, command *cmd);

/* CLIENT PAUSE (cmd_conn.c sets it, client.c and db.c obey it). */
enum { PAUSE_OFF = 0, PAUSE_WRITE = 1, PAUSE_ALL = 2 };
/* Would c's next command (argv parsed, not yet run) wait for the pause to end? */
bool server_pause_blocks(client *c);
/* Writes (expiry, eviction) are held while a pause is on. */
static inline bool server_writes_paused(void) { return server.pause_kind != PAUSE_OFF; }
void server_pause(int kind, int64_t end_ms);
void server_unpause(void);
/* Appends a line to MONITOR clients for c's current command. */
void server_feed_monitors(client *c, int dbid);
void server_count_error(const char *code, size_t len);
void server_reset_stats(void);
enum { INST_COMMANDS, INST_NET_INPUT, INST_NET_OUTPUT, INST_COUNT };
/* Per-second rate over the last ~1.6 s, for INFO's instantaneous_* fields. */
long long server_inst_metric(int which);
void server_slowlog_reset(void);
/* Clean shutdown (SHUTDOWN, SIGTERM): returns CN_ERR if refused. */
int server_prepare_shutdown(int flags);
enum { SHUTDOWN_NOFLAGS = 0, SHUTDOWN_SAVE = 1, SHUTDOWN_NOSAVE = 2, SHUTDOWN_NOW = 4, SHUTDOWN_FORCE = 8 };

/* --- client.c --- */
client *client_create(int fd, uint32_t flags);
/* Frees now, or marks for closing if the client is in use up the stack. */
void client_free(client *c);
void client_close_async(client *c);
/* Drops every reply queued for c (the AOF loading client, which has no connection). */
void client_discard_replies(client *c);
void client_queue_write(client *c);
/* Runs the commands c sent while it was blocked or paused. */
void client_process_pending(client *c);
/* c's next command waits for CLIENT PAUSE to end (resumed from before-sleep then). */
void client_hold_for_pause(client *c);
/* Writes pending replies of every queued client (before-sleep). */
void clients_handle_writes(void);
/* Closes clients marked CLOSE_ASAP. */
void clients_free_pending(void);
void clients_cron(void);
bool client_has_pending_replies(const client *c);
size_t client_output_bytes(const client *c);
/* Bytes c holds: its struct and buffers (INFO memory, CLIENT LIST tot-mem). */
size_t client_mem_usage(const client *c);
/* "id=7 addr=127.0.0.1:5000 ..." as in CLIENT LIST; returns a malloc'd string. */
char *client_info_string(const client *c);
client *client_by_id(uint64_t id);
void client_set_protocol(client *c, int resp);
/* The client's reply limits from client-output-buffer-limit. Returns false if c
 * passed them (and was scheduled for closing). */
bool client_check_output_limits(client *c);

/* --- net.c --- */
int net_listen_all(char *err, size_t errlen);
void net_close_listeners(void);
void net_accept_handler(el_loop *loop, int fd, void *data, int mask);
void net_format_peer(int fd, bool unix_socket, char *peer, size_t plen, char *local, size_t llen);

/* --- config.c --- */
void config_set_defaults(void);
/* Loads the file and then the command-line "--name value" args; on error fills
 * err with Redis's FATAL CONFIG FILE ERROR text (file, line, reason) and
 * returns CN_ERR. */
int config_load(const char *path, int argc, char **argv, char *err, size_t errlen);
void config_apply_startup(void);

/* --- expire.c --- */
void expire_cycle_slow(void);  /* from cron: up to 25% of a cron period, 10 ms at most */
/* From before-sleep: at most ~1 ms. True while keys are still due (then the loop
 * should not sleep). */
bool expire_cycle_fast(void);

/* --- helpers shared by commands --- */
/* Parses an integer argument or replies ERR value is not an integer... */
bool arg_ll_or_reply(client *c, int i, long long *out);
bool arg_ll_range_or_reply(client *c, int i, long long min, long long max, long long *out,
                           const char *errmsg);
bool arg_double_or_reply(client *c, int i, double *out);
/* A timeout in milliseconds (CLIENT PAUSE, WAIT): an integer >= 0, or Redis's
 * "timeout is not an integer or out of range" / "timeout is negative". */
bool arg_timeout_ms_or_reply(client *c, int i, long long *ms);
/* The tail of LMPOP/BLMPOP/ZMPOP/BZMPOP from argv[numkeys_idx]: numkeys (> 0),
 * the keys, one of two direction words (*which: 0 for word0, 1 for word1), and
 * [COUNT count] (1 when absent). Replies Redis's errors. */
bool arg_mpop_or_reply(client *c, int numkeys_idx, const char *word0, const char *word1,
                       int *nkeys, int *which, long long *count);
/* For replies whose size the request sets rather than the data (SRANDMEMBER,
 * HRANDFIELD and ZRANDMEMBER with a negative count: count picks with repeats, about
 * bytes_each bytes of protocol each): true if such a reply fits in
 * memory_headroom(), else replies "ERR count is out of range ..." and returns false.
 * What runs out is memory, not a count: a client may ask for 10^18 picks, and the
 * normal clients' output buffer limit (0, none) would let the reply grow until the
 * machine has no memory left. */
bool reply_fits_or_reply(client *c, unsigned long long count, double bytes_each);
/* Those commands check above this many picks, estimating bytes_each from
 * RAND_SIZE_SAMPLES random picks (the picks are uniform, so that is the mean). */
#define RAND_REPEATS_CHECKED 1024
#define RAND_SIZE_SAMPLES    16
/* Case-insensitive equality of argument i with a C string. */
bool arg_is(const client *c, int i, const char *s);

/* Writing into a string value in place (cmd_string.c: APPEND, SETRANGE; also
 * SETBIT and BITFIELD). o is the key's string object from db_lookup_write, or
 * NULL to create the key. begin returns the object to write into: a RAW string
 * (as Redis makes every string it writes into) at least minlen bytes long,
 * zero-filled past the old end. It is o itself when o was RAW (grown in
 * place), else a new object (same key and TTL) not yet in the keyspace, which
 * end puts there (db_set or db_replace, freeing o) or, when w == o, reports
 * with db_touch_write. Between the two, no other keyspace write. The caller
 * checks the length limit first.
 *   obj *w = string_write_begin(o, key, klen, offset + len);
 *   memcpy(obj_raw(w)->buf + offset, bytes, len);
 *   string_write_end(c->db, o, w);
 */
obj *string_write_begin(obj *o, const char *key, size_t klen, size_t minlen);
void string_write_end(db *d, obj *o, obj *w);

/* SCAN and the per-type scans (HSCAN ...), in cmd_keys.c. */
/* The cursor of argument i as Redis reads it (strtoul), or ERR invalid cursor. */
bool scan_cursor_or_reply(client *c, int i, size_t *out);
typedef struct scan_opts {
    long long count;  /* COUNT: >= 1; 10 if not given */
    const char *pat;  /* MATCH pattern (borrowed from argv); NULL for none or "*" */
    size_t plen;
    bool use_type;    /* TYPE was given (SCAN only) */
    int type;         /* its obj type, -1 if the name is unknown (matches nothing) */
} scan_opts;
/* Parses [MATCH pattern] [COUNT count] (and [TYPE type] when allow_type) from
 * argv[first..]; replies Redis's error (syntax, not an integer) and returns false
 * on a bad one. */
bool scan_opts_or_reply(client *c, int first, bool allow_type, scan_opts *o);
/* Collects the entries an ht_scan visits: init, ht_scan(t, cur, scan_collect, &b)
 * any number of times, use b.v[0..b.len), deinit. */
typedef struct scan_batch {
    void **v;
    size_t len, cap;
    void *inline_v[64];
} scan_batch;
void scan_batch_init(scan_batch *b);
void scan_collect(void *privdata, void *entry); /* an ht_scan_fn; privdata is a scan_batch */
void scan_batch_deinit(scan_batch *b);
/* Replies the cursor as SCAN does: a bulk string of its decimal digits. */
void scan_reply_cursor(client *c, size_t cursor);

static inline const char *c_arg(const client *c, int i) { return c->argv[i]; }
static inline size_t c_len(const client *c, int i) { return c->argvlen[i]; }

#endif
