/* src/config.c: the directive table, the config file and command line, CONFIG.
 * See config.h for the contract. Redis's documentation (redis.conf) and its
 * observed behaviour (7.0.15) are the spec: names, defaults, ranges, error texts. */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../resp/reader.h"
#include "../utils/alloc.h"
#include "../utils/fs.h"
#include "../utils/glob.h"
#include "../utils/log.h"
#include "../utils/num.h"
#include "../utils/sbuf.h"
#include "../aof/aof.h"
#include "../snapshot/snapshot.h"
#include "evict.h"
#include "latency.h"
#include "notify.h"
#include "persist.h"
#include "server.h"

/* ------------------------------------------------------------------ the table */

typedef enum {
    CFG_BOOL,   /* yes / no */
    CFG_INT,    /* integer in [min, max] (field: int, or long long) */
    CFG_MEMORY, /* bytes with an optional unit (1k 1kb 1m 1mb 1g 1gb), in [min, max] */
    CFG_OCTAL,  /* octal integer in [min, max] (unixsocketperm) */
    CFG_ENUM,   /* one name of d->enums */
    CFG_STRING, /* any string */
    CFG_BIND,   /* bind: 0..CONFIG_BINDADDR_MAX addresses */
    CFG_OBUF,   /* client-output-buffer-limit: <class> <hard> <soft> <seconds> ... */
    CFG_DIR,    /* dir: chdir() on every change */
    CFG_SAVE,   /* save: "<seconds> <changes> ..." pairs, or "" for none */
    CFG_FLAGS,  /* a set of letters (notify-keyspace-events): int field, d->flags_* */
    CFG_PERCENTILES, /* doubles in [0, 100] (latency-tracking-info-percentiles), or "" */
} cfg_type;

enum {
    CFG_IMMUTABLE = 1 << 0,  /* only at start-up: CONFIG SET refuses it */
    CFG_PROTECTED = 1 << 1,  /* CONFIG SET only as enable-protected-configs allows */
    CFG_EMPTY_NULL = 1 << 2, /* string: "" is stored as NULL */
};

typedef struct cfg_enum_name {
    const char *name;
    int value;
} cfg_enum_name;

/* client-output-buffer-limit classes, in CONFIG GET's order. */
enum { OBUF_NORMAL, OBUF_REPLICA, OBUF_PUBSUB, OBUF_CLASSES };
enum { OBUF_HARD, OBUF_SOFT, OBUF_SECONDS };

/* A directive's value apart from the server: parsed, saved for a rollback, or a
 * default. s is allocated (or NULL) and owned by whoever holds the value. */
typedef struct cfg_value {
    long long n;                      /* BOOL, INT, MEMORY, OCTAL, ENUM */
    char *s;                          /* STRING, BIND, DIR */
    long long obuf[OBUF_CLASSES][3];  /* OBUF */
} cfg_value;

typedef struct cfg_directive cfg_directive;
/* Puts a run-time change into effect; CN_OK, or CN_ERR with err set. */
typedef int cfg_apply_fn(const cfg_directive *d, char *err, size_t errlen);

struct cfg_directive {
    const char *name;
    const char *alias;        /* Redis's other name, or NULL */
    cfg_type type;
    unsigned flags;
    void *field;              /* bool, int, long long or char * in `server` */
    unsigned char size;       /* sizeof the field, for numeric types */
    long long min, max;       /* INT, MEMORY, OCTAL: accepted range */
    long long clamp_lo, clamp_hi; /* INT: then clamped into this (when clamp_hi > 0) */
    long long def_n;          /* numeric default */
    const char *def_s;        /* string default (NULL = NULL) */
    const cfg_enum_name *enums; /* ENUM: names, terminated by name NULL */
    /* FLAGS: letters to bits (false on an unknown letter; flags_err is the reason),
     * and bits to the canonical letters (buf of 32 bytes). */
    bool (*flags_parse)(const char *s, size_t len, int *out);
    void (*flags_format)(int flags, char *buf, size_t cap);
    const char *flags_err;
    cfg_apply_fn *apply;      /* CONFIG SET: after a change; NULL = nothing to do */
    cfg_apply_fn *on_load;    /* config file and command line: after each line */
};

static_assert(sizeof(bool) == 1 && sizeof(int) == 4 && sizeof(long long) == 8,
              "numeric fields are told apart by size");

#define FIELD(f) .field = &server.f, .size = sizeof(server.f)

static int enable_protected_configs = CONFIG_DEFAULT_ENABLE_PROTECTED_CONFIGS;

static const cfg_enum_name loglevel_names[] = {
    {"debug", LOG_DEBUG}, {"verbose", LOG_VERBOSE}, {"notice", LOG_NOTICE},
    {"warning", LOG_WARNING}, {NULL, 0},
};

static const cfg_enum_name fsync_names[] = {
    {"always", AOF_FSYNC_ALWAYS}, {"everysec", AOF_FSYNC_EVERYSEC}, {"no", AOF_FSYNC_NO},
    {NULL, 0},
};
static const cfg_enum_name codec_names[] = {
    {"zstd", SNAP_ZSTD}, {"lz4", SNAP_LZ4}, {"none", SNAP_NONE}, {NULL, 0},
};
/* In Redis's order, which its error message lists. */
static const cfg_enum_name maxmemory_policy_names[] = {
    {"volatile-lru", MAXMEMORY_VOLATILE_LRU}, {"volatile-lfu", MAXMEMORY_VOLATILE_LFU},
    {"volatile-random", MAXMEMORY_VOLATILE_RANDOM}, {"volatile-ttl", MAXMEMORY_VOLATILE_TTL},
    {"allkeys-lru", MAXMEMORY_ALLKEYS_LRU}, {"allkeys-lfu", MAXMEMORY_ALLKEYS_LFU},
    {"allkeys-random", MAXMEMORY_ALLKEYS_RANDOM}, {"noeviction", MAXMEMORY_NOEVICTION},
    {NULL, 0},
};
static const cfg_enum_name protected_names[] = {
    {"no", CONFIG_PROTECTED_NO}, {"yes", CONFIG_PROTECTED_YES},
    {"local", CONFIG_PROTECTED_LOCAL}, {NULL, 0},
};

static long long *const obuf_fields[OBUF_CLASSES][3] = {
    {&server.obuf_normal_hard, &server.obuf_normal_soft, &server.obuf_normal_seconds},
    {&server.obuf_replica_hard, &server.obuf_replica_soft, &server.obuf_replica_seconds},
    {&server.obuf_pubsub_hard, &server.obuf_pubsub_soft, &server.obuf_pubsub_seconds},
};

static const long long obuf_defaults[OBUF_CLASSES][3] = {
    {CONFIG_DEFAULT_OBUF_NORMAL_HARD, CONFIG_DEFAULT_OBUF_NORMAL_SOFT,
     CONFIG_DEFAULT_OBUF_NORMAL_SECONDS},
    {CONFIG_DEFAULT_OBUF_REPLICA_HARD, CONFIG_DEFAULT_OBUF_REPLICA_SOFT,
     CONFIG_DEFAULT_OBUF_REPLICA_SECONDS},
    {CONFIG_DEFAULT_OBUF_PUBSUB_HARD, CONFIG_DEFAULT_OBUF_PUBSUB_SOFT,
     CONFIG_DEFAULT_OBUF_PUBSUB_SECONDS},
};

/* CONFIG GET says "slave", CONFIG REWRITE writes "replica" (as Redis 7.0 does). */
static const char *const obuf_get_names[OBUF_CLASSES] = {"normal", "slave", "pubsub"};
static const char *const obuf_rewrite_names[OBUF_CLASSES] = {"normal", "replica", "pubsub"};

static int apply_listeners(const cfg_directive *d, char *err, size_t errlen);
static int apply_maxclients(const cfg_directive *d, char *err, size_t errlen);
static int apply_maxmemory(const cfg_directive *d, char *err, size_t errlen);
static int apply_loglevel(const cfg_directive *d, char *err, size_t errlen);
static int apply_jemalloc_bg_thread(const cfg_directive *d, char *err, size_t errlen);
static int apply_dir(const cfg_directive *d, char *err, size_t errlen);
static int check_logfile(const cfg_directive *d, char *err, size_t errlen);
static int check_aof_name(const cfg_directive *d, char *err, size_t errlen);
static int apply_appendonly(const cfg_directive *d, char *err, size_t errlen);
static int apply_appendfsync(const cfg_directive *d, char *err, size_t errlen);

/* Every directive. Order: as CONFIG REWRITE appends them and redis.conf.example
 * documents them. */
static const cfg_directive directives[] = {
    /* Network. */
    {.name = "bind", .type = CFG_BIND, .field = &server.bind, .def_s = CONFIG_DEFAULT_BIND,
     .apply = apply_listeners},
    {.name = "protected-mode", .type = CFG_BOOL, FIELD(protected_mode),
     .def_n = CONFIG_DEFAULT_PROTECTED_MODE},
    {.name = "enable-protected-configs", .type = CFG_ENUM, .flags = CFG_IMMUTABLE,
     .field = &enable_protected_configs, .size = sizeof(int), .enums = protected_names,
     .def_n = CONFIG_DEFAULT_ENABLE_PROTECTED_CONFIGS},
    {.name = "enable-debug-command", .type = CFG_ENUM, .flags = CFG_IMMUTABLE,
     FIELD(enable_debug_command), .enums = protected_names,
     .def_n = CONFIG_DEFAULT_ENABLE_DEBUG_COMMAND},
    {.name = "port", .type = CFG_INT, FIELD(port), .min = 0, .max = 65535,
     .def_n = CONFIG_DEFAULT_PORT, .apply = apply_listeners},
    {.name = "tcp-backlog", .type = CFG_INT, .flags = CFG_IMMUTABLE, FIELD(tcp_backlog),
     .min = 0, .max = INT_MAX, .def_n = CONFIG_DEFAULT_TCP_BACKLOG},
    {.name = "unixsocket", .type = CFG_STRING, .flags = CFG_IMMUTABLE | CFG_EMPTY_NULL,
     .field = &server.unixsocket},
    {.name = "unixsocketperm", .type = CFG_OCTAL, .flags = CFG_IMMUTABLE,
     FIELD(unixsocketperm), .min = 0, .max = 0777, .def_n = CONFIG_DEFAULT_UNIXSOCKETPERM},
    {.name = "timeout", .type = CFG_INT, FIELD(timeout), .min = 0, .max = INT_MAX,
     .def_n = CONFIG_DEFAULT_TIMEOUT},
    {.name = "tcp-keepalive", .type = CFG_INT, FIELD(tcp_keepalive), .min = 0,
     .max = INT_MAX, .def_n = CONFIG_DEFAULT_TCP_KEEPALIVE},
    /* General. */
    {.name = "daemonize", .type = CFG_BOOL, .flags = CFG_IMMUTABLE, FIELD(daemonize),
     .def_n = CONFIG_DEFAULT_DAEMONIZE},
    {.name = "pidfile", .type = CFG_STRING, .flags = CFG_IMMUTABLE | CFG_EMPTY_NULL,
     .field = &server.pidfile},
    {.name = "loglevel", .type = CFG_ENUM, FIELD(loglevel), .enums = loglevel_names,
     .def_n = CONFIG_DEFAULT_LOGLEVEL, .apply = apply_loglevel},
    {.name = "logfile", .type = CFG_STRING, .flags = CFG_IMMUTABLE, .field = &server.logfile,
     .def_s = CONFIG_DEFAULT_LOGFILE, .on_load = check_logfile},
    {.name = "databases", .type = CFG_INT, .flags = CFG_IMMUTABLE, FIELD(databases),
     .min = 1, .max = INT_MAX, .def_n = CONFIG_DEFAULT_DATABASES},
    {.name = "dir", .type = CFG_DIR, .flags = CFG_PROTECTED, .field = &server.dir,
     .apply = apply_dir, .on_load = apply_dir},
    /* Snapshots and the append-only file (persist.c). */
    {.name = "save", .type = CFG_SAVE, .field = &server.save_params,
     .def_s = CONFIG_DEFAULT_SAVE},
    {.name = "dbfilename", .type = CFG_STRING, .flags = CFG_PROTECTED, .field = &server.dbfilename,
     .def_s = CONFIG_DEFAULT_DBFILENAME, .apply = check_aof_name, .on_load = check_aof_name},
    {.name = "stop-writes-on-bgsave-error", .type = CFG_BOOL,
     FIELD(stop_writes_on_bgsave_err), .def_n = 1},
    {.name = "snapshot-compression", .type = CFG_ENUM, FIELD(snapshot_codec),
     .enums = codec_names, .def_n = SNAP_ZSTD},
    {.name = "snapshot-compression-level", .type = CFG_INT, FIELD(snapshot_level), .min = 0,
     .max = SNAP_ZSTD_LEVEL_MAX, .def_n = 0},
    {.name = "rdb-key-save-delay", .type = CFG_INT, FIELD(rdb_key_save_delay), .min = 0,
     .max = INT_MAX, .def_n = 0},
    {.name = "key-load-delay", .type = CFG_INT, FIELD(key_load_delay), .min = 0,
     .max = INT_MAX, .def_n = 0},
    {.name = "appendonly", .type = CFG_BOOL, FIELD(aof_enabled), .def_n = 0,
     .apply = apply_appendonly},
    {.name = "appendfilename", .type = CFG_STRING, .flags = CFG_IMMUTABLE,
     .field = &server.aof_filename, .def_s = CONFIG_DEFAULT_AOF_FILENAME,
     .on_load = check_aof_name},
    {.name = "appenddirname", .type = CFG_STRING, .flags = CFG_IMMUTABLE,
     .field = &server.aof_dirname, .def_s = CONFIG_DEFAULT_AOF_DIRNAME,
     .on_load = check_aof_name},
    {.name = "appendfsync", .type = CFG_ENUM, FIELD(aof_fsync), .enums = fsync_names,
     .def_n = AOF_FSYNC_EVERYSEC, .apply = apply_appendfsync},
    {.name = "no-appendfsync-on-rewrite", .type = CFG_BOOL, FIELD(aof_no_fsync_on_rewrite),
     .def_n = 0},
    {.name = "auto-aof-rewrite-percentage", .type = CFG_INT, FIELD(aof_rewrite_perc), .min = 0,
     .max = INT_MAX, .def_n = 100},
    {.name = "auto-aof-rewrite-min-size", .type = CFG_MEMORY, FIELD(aof_rewrite_min_size),
     .min = 0, .max = LLONG_MAX, .def_n = 64LL * 1024 * 1024},
    {.name = "aof-load-truncated", .type = CFG_BOOL, FIELD(aof_load_truncated), .def_n = 1},
    {.name = "aof-use-rdb-preamble", .type = CFG_BOOL, FIELD(aof_use_snapshot_base), .def_n = 1},
    /* Security. */
    {.name = "requirepass", .type = CFG_STRING, .flags = CFG_EMPTY_NULL,
     .field = &server.requirepass},
    /* Clients and limits. */
    /* Redis accepts up to UINT_MAX; what the int field can't hold no OS could serve
     * either, and server_maxclients_changed() says so. */
    {.name = "jemalloc-bg-thread", .type = CFG_BOOL, FIELD(jemalloc_bg_thread),
     .def_n = CONFIG_DEFAULT_JEMALLOC_BG_THREAD, .apply = apply_jemalloc_bg_thread},
    {.name = "maxclients", .type = CFG_INT, FIELD(maxclients), .min = 1, .max = UINT_MAX,
     .clamp_lo = 1, .clamp_hi = INT_MAX, .def_n = CONFIG_DEFAULT_MAXCLIENTS,
     .apply = apply_maxclients},
    {.name = "proto-max-bulk-len", .type = CFG_MEMORY, FIELD(proto_max_bulk_len),
     .min = CONFIG_MIN_BULK_LIMIT, .max = LLONG_MAX, .def_n = CONFIG_DEFAULT_PROTO_MAX_BULK_LEN},
    {.name = "client-query-buffer-limit", .type = CFG_MEMORY, FIELD(client_query_buffer_limit),
     .min = CONFIG_MIN_BULK_LIMIT, .max = LLONG_MAX, .def_n = CONFIG_DEFAULT_QUERY_BUF_LIMIT},
    {.name = "client-output-buffer-limit", .type = CFG_OBUF},
    /* Memory limit and eviction (evict.h), lazy freeing (lazyfree.h). */
    {.name = "maxmemory", .type = CFG_MEMORY, FIELD(maxmemory), .min = 0, .max = LLONG_MAX,
     .def_n = CONFIG_DEFAULT_MAXMEMORY, .apply = apply_maxmemory},
    {.name = "maxmemory-policy", .type = CFG_ENUM, FIELD(maxmemory_policy),
     .enums = maxmemory_policy_names, .def_n = CONFIG_DEFAULT_MAXMEMORY_POLICY},
    {.name = "maxmemory-samples", .type = CFG_INT, FIELD(maxmemory_samples), .min = 1,
     .max = INT_MAX, .def_n = CONFIG_DEFAULT_MAXMEMORY_SAMPLES},
    {.name = "maxmemory-eviction-tenacity", .type = CFG_INT, FIELD(maxmemory_eviction_tenacity),
     .min = 0, .max = 100, .def_n = CONFIG_DEFAULT_EVICTION_TENACITY},
    {.name = "lfu-log-factor", .type = CFG_INT, FIELD(lfu_log_factor), .min = 0, .max = INT_MAX,
     .def_n = CONFIG_DEFAULT_LFU_LOG_FACTOR},
    {.name = "lfu-decay-time", .type = CFG_INT, FIELD(lfu_decay_time), .min = 0, .max = INT_MAX,
     .def_n = CONFIG_DEFAULT_LFU_DECAY_TIME},
    {.name = "lazyfree-lazy-eviction", .type = CFG_BOOL, FIELD(lazyfree_lazy_eviction), .def_n = 0},
    {.name = "lazyfree-lazy-expire", .type = CFG_BOOL, FIELD(lazyfree_lazy_expire), .def_n = 0},
    {.name = "lazyfree-lazy-server-del", .type = CFG_BOOL, FIELD(lazyfree_lazy_server_del),
     .def_n = 0},
    {.name = "lazyfree-lazy-user-del", .type = CFG_BOOL, FIELD(lazyfree_lazy_user_del), .def_n = 0},
    {.name = "lazyfree-lazy-user-flush", .type = CFG_BOOL, FIELD(lazyfree_lazy_user_flush),
     .def_n = 0},
    /* Data types: when a small encoding converts to the large one. */
    {.name = "hash-max-listpack-entries", .alias = "hash-max-ziplist-entries", .type = CFG_INT,
     FIELD(hash_max_listpack_entries), .min = 0, .max = LLONG_MAX,
     .def_n = CONFIG_DEFAULT_HASH_MAX_LISTPACK_ENTRIES},
    {.name = "hash-max-listpack-value", .alias = "hash-max-ziplist-value", .type = CFG_MEMORY,
     FIELD(hash_max_listpack_value), .min = 0, .max = LLONG_MAX,
     .def_n = CONFIG_DEFAULT_HASH_MAX_LISTPACK_VALUE},
    /* Plain integers, all three, as Redis 7.2 parses them (set-max-listpack-*
     * are 7.2's; Redis 7.0 has only set-max-intset-entries). */
    {.name = "set-max-intset-entries", .type = CFG_INT, FIELD(set_max_intset_entries), .min = 0,
     .max = LLONG_MAX, .def_n = CONFIG_DEFAULT_SET_MAX_INTSET_ENTRIES},
    {.name = "set-max-listpack-entries", .type = CFG_INT, FIELD(set_max_listpack_entries),
     .min = 0, .max = LLONG_MAX, .def_n = CONFIG_DEFAULT_SET_MAX_LISTPACK_ENTRIES},
    {.name = "set-max-listpack-value", .type = CFG_INT, FIELD(set_max_listpack_value), .min = 0,
     .max = LLONG_MAX, .def_n = CONFIG_DEFAULT_SET_MAX_LISTPACK_VALUE},
    {.name = "list-max-listpack-size", .alias = "list-max-ziplist-size", .type = CFG_INT,
     FIELD(list_max_listpack_size), .min = INT_MIN, .max = INT_MAX,
     .def_n = CONFIG_DEFAULT_LIST_MAX_LISTPACK_SIZE},
    {.name = "zset-max-listpack-entries", .alias = "zset-max-ziplist-entries", .type = CFG_INT,
     FIELD(zset_max_listpack_entries), .min = 0, .max = LLONG_MAX,
     .def_n = CONFIG_DEFAULT_ZSET_MAX_LISTPACK_ENTRIES},
    {.name = "zset-max-listpack-value", .alias = "zset-max-ziplist-value", .type = CFG_MEMORY,
     FIELD(zset_max_listpack_value), .min = 0, .max = LLONG_MAX,
     .def_n = CONFIG_DEFAULT_ZSET_MAX_LISTPACK_VALUE},
    {.name = "hll-sparse-max-bytes", .type = CFG_MEMORY, FIELD(hll_sparse_max_bytes), .min = 0,
     .max = LLONG_MAX, .def_n = CONFIG_DEFAULT_HLL_SPARSE_MAX_BYTES},
    {.name = "hz", .type = CFG_INT, FIELD(hz), .min = 0, .max = INT_MAX,
     .clamp_lo = CONFIG_MIN_HZ, .clamp_hi = CONFIG_MAX_HZ, .def_n = CONFIG_DEFAULT_HZ},
    /* Slow log and latency. */
    {.name = "slowlog-log-slower-than", .type = CFG_INT, FIELD(slowlog_log_slower_than),
     .min = -1, .max = LLONG_MAX, .def_n = CONFIG_DEFAULT_SLOWLOG_SLOWER_THAN},
    {.name = "slowlog-max-len", .type = CFG_INT, FIELD(slowlog_max_len), .min = 0,
     .max = LLONG_MAX, .def_n = CONFIG_DEFAULT_SLOWLOG_MAX_LEN},
    {.name = "latency-monitor-threshold", .type = CFG_INT, FIELD(latency_monitor_threshold),
     .min = 0, .max = LLONG_MAX, .def_n = CONFIG_DEFAULT_LATENCY_MONITOR_THRESHOLD},
    {.name = "latency-tracking", .type = CFG_BOOL, FIELD(latency_tracking),
     .def_n = CONFIG_DEFAULT_LATENCY_TRACKING},
    {.name = "latency-tracking-info-percentiles", .type = CFG_PERCENTILES,
     .field = &server.latency_tracking_info_percentiles,
     .def_s = CONFIG_DEFAULT_LATENCY_TRACKING_INFO_PERCENTILES},
    /* Keyspace notifications, pub/sub and client-side caching. */
    {.name = "notify-keyspace-events", .type = CFG_FLAGS, .field = &notify_flags,
     .size = sizeof(notify_flags), .def_n = 0, .flags_parse = notify_parse_flags,
     .flags_format = notify_flags_string,
     .flags_err = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."},
    {.name = "tracking-table-max-keys", .type = CFG_INT, FIELD(tracking_table_max_keys),
     .min = 0, .max = LLONG_MAX, .def_n = CONFIG_DEFAULT_TRACKING_TABLE_MAX_KEYS},
};

#define NDIRECTIVES (sizeof(directives) / sizeof(directives[0]))

static bool is_multi_arg(const cfg_directive *d) {
    return d->type == CFG_BIND || d->type == CFG_OBUF || d->type == CFG_SAVE ||
           d->type == CFG_PERCENTILES;
}

/* Case-insensitive equality of len bytes with the word w (a NUL byte in s is a byte). */
static bool word_is(const char *s, size_t len, const char *w) {
    return strlen(w) == len && strncasecmp(s, w, len) == 0; /* stops at a NUL in s: unequal */
}

/* The directive called name (or by its alias), any case; NULL if none. */
static const cfg_directive *cfg_lookup(const char *name, size_t len) {
    for (size_t i = 0; i < NDIRECTIVES; i++) {
        const cfg_directive *d = &directives[i];
        if (word_is(name, len, d->name) || (d->alias && word_is(name, len, d->alias))) return d;
    }
    return NULL;
}

/* ------------------------------------------------------------------ values */

static long long field_get_n(const cfg_directive *d) {
    switch (d->size) {
    case sizeof(bool): return *(const bool *)d->field;
    case sizeof(int): return *(const int *)d->field;
    default: return *(const long long *)d->field;
    }
}

static void field_set_n(const cfg_directive *d, long long v) {
    switch (d->size) {
    case sizeof(bool): *(bool *)d->field = v != 0; break;
    case sizeof(int): *(int *)d->field = (int)v; break;
    default: *(long long *)d->field = v; break;
    }
}

static bool has_string(const cfg_directive *d) {
    return d->type == CFG_STRING || d->type == CFG_BIND || d->type == CFG_DIR ||
           d->type == CFG_SAVE || d->type == CFG_PERCENTILES;
}

/* The directive's current value; v->s is a copy the caller frees. */
static void cfg_read(const cfg_directive *d, cfg_value *v) {
    memset(v, 0, sizeof(*v));
    if (d->type == CFG_OBUF) {
        for (int c = 0; c < OBUF_CLASSES; c++)
            for (int k = 0; k < 3; k++) v->obuf[c][k] = *obuf_fields[c][k];
    } else if (has_string(d)) {
        char *cur = *(char **)d->field;
        v->s = cur ? cn_strdup(cur) : NULL;
    } else {
        v->n = field_get_n(d);
    }
}

/* The directive's default; v->s is a copy the caller frees. */
static void cfg_default(const cfg_directive *d, cfg_value *v) {
    memset(v, 0, sizeof(*v));
    if (d->type == CFG_OBUF) {
        memcpy(v->obuf, obuf_defaults, sizeof(v->obuf));
    } else if (d->type == CFG_DIR) {
        char cwd[PATH_MAX];
        v->s = cn_strdup(getcwd(cwd, sizeof(cwd)) ? cwd : ".");
    } else if (has_string(d)) {
        v->s = d->def_s && !(*d->def_s == '\0' && (d->flags & CFG_EMPTY_NULL))
                   ? cn_strdup(d->def_s) : NULL;
    } else {
        v->n = d->def_n;
    }
}

/* Stores v into the server; takes v->s (v->s is NULL afterwards). */
static void cfg_write(const cfg_directive *d, cfg_value *v) {
    if (d->type == CFG_OBUF) {
        for (int c = 0; c < OBUF_CLASSES; c++)
            for (int k = 0; k < 3; k++) *obuf_fields[c][k] = v->obuf[c][k];
    } else if (has_string(d)) {
        char **f = (char **)d->field;
        cn_free(*f);
        *f = v->s;
        v->s = NULL;
    } else {
        field_set_n(d, v->n);
    }
}

static bool str_eq(const char *a, const char *b) {
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}

static bool cfg_equal(const cfg_directive *d, const cfg_value *a, const cfg_value *b) {
    if (d->type == CFG_OBUF) return memcmp(a->obuf, b->obuf, sizeof(a->obuf)) == 0;
    if (has_string(d)) return str_eq(a->s, b->s);
    return a->n == b->n;
}

static void cfg_value_free(cfg_value *v) {
    cn_free(v->s);
    v->s = NULL;
}

static const char *enum_name(const cfg_directive *d, long long v) {
    for (const cfg_enum_name *e = d->enums; e->name; e++)
        if (e->value == v) return e->name;
    return "";
}

/* --- parsing --- */

#define ERR_INT "argument couldn't be parsed into an integer"
#define ERR_OCTAL "argument couldn't be parsed as an octal number"
#define ERR_MEMORY "argument must be a memory value"
#define ERR_BOOL "argument must be 'yes' or 'no'"
#define ERR_ARGC "wrong number of arguments"
#define ERR_OBUF_ARGC "Wrong number of arguments in buffer limit configuration."
#define ERR_OBUF_CLASS "Invalid client class specified in buffer limit configuration."
#define ERR_OBUF_VALUE "Error in hard, soft or soft_seconds setting in buffer limit configuration."
#define ERR_BIND_MAX "Too many bind addresses specified."
#define ERR_BIND_FAIL "Failed to bind to specified addresses."

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return CN_ERR;
}

/* True if s is digits and then nothing or a memory unit: what num_parse_memory
 * reads when the number fits. Tells "too big" from "not a memory value". */
static bool memory_syntax(const char *s, size_t len) {
    size_t i = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9') i++;
    const char *u = s + i;
    size_t ul = len - i;
    static const char *const units[] = {"", "b", "k", "kb", "m", "mb", "g", "gb"};
    for (size_t k = 0; k < sizeof(units) / sizeof(units[0]); k++)
        if (word_is(u, ul, units[k])) return true;
    return false;
}

/* A memory value, as Redis reads one: false on syntax (not on range). *overflow is
 * set when the syntax was right but the number too big for a long long. */
static bool parse_memory(const char *s, size_t len, long long *out, bool *overflow) {
    *overflow = false;
    if (memchr(s, '\0', len) == NULL && num_parse_memory(s, out)) return true;
    if (memchr(s, '\0', len) == NULL && memory_syntax(s, len)) *overflow = true;
    return false;
}

/* client-output-buffer-limit's seconds: what strtoll reads covering the whole
 * argument, not negative (Redis accepts "+1" and "01" there). */
static bool parse_obuf_seconds(const char *s, size_t len, long long *out) {
    if (len == 0 || memchr(s, '\0', len)) return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end != s + len || v < 0) return false;
    *out = v;
    return true;
}

static int parse_obuf(int argc, char **argv, size_t *lens, cfg_value *v, char *err,
                      size_t errlen) {
    if (argc % 4 != 0) return fail(err, errlen, ERR_OBUF_ARGC);
    for (int i = 0; i < argc; i += 4) {
        int cls;
        if (word_is(argv[i], lens[i], "normal")) cls = OBUF_NORMAL;
        else if (word_is(argv[i], lens[i], "replica") || word_is(argv[i], lens[i], "slave"))
            cls = OBUF_REPLICA;
        else if (word_is(argv[i], lens[i], "pubsub")) cls = OBUF_PUBSUB;
        else return fail(err, errlen, ERR_OBUF_CLASS);
        long long hard, soft, secs;
        bool ovf;
        if (!parse_memory(argv[i + 1], lens[i + 1], &hard, &ovf) ||
            !parse_memory(argv[i + 2], lens[i + 2], &soft, &ovf) ||
            !parse_obuf_seconds(argv[i + 3], lens[i + 3], &secs))
            return fail(err, errlen, ERR_OBUF_VALUE);
        v->obuf[cls][OBUF_HARD] = hard;
        v->obuf[cls][OBUF_SOFT] = soft;
        v->obuf[cls][OBUF_SECONDS] = secs;
    }
    return CN_OK;
}

static int parse_bind(int argc, char **argv, size_t *lens, cfg_value *v, char *err,
                      size_t errlen) {
    if (argc > CONFIG_BINDADDR_MAX) return fail(err, errlen, ERR_BIND_MAX);
    sbuf b = {0};
    sbuf_cat(&b, "");
    for (int i = 0; i < argc; i++) {
        /* An empty address, or one with a byte no address or host name has (white
         * space, control bytes, quotes), cannot be bound, and would not survive the
         * space-separated field or CONFIG REWRITE's unquoted line. */
        bool odd = lens[i] == 0;
        for (size_t k = 0; k < lens[i] && !odd; k++) {
            unsigned char ch = (unsigned char)argv[i][k];
            odd = ch <= ' ' || ch >= 0x7f || ch == '"' || ch == '\'' || ch == '\\';
        }
        if (odd) {
            sbuf_free(&b);
            return fail(err, errlen, ERR_BIND_FAIL);
        }
        if (i) sbuf_cat(&b, " ");
        sbuf_catlen(&b, argv[i], lens[i]);
    }
    v->s = b.buf; /* sbuf allocates through cn_malloc: ours to keep */
    return CN_OK;
}

/* save: pairs of "<seconds> <changes>", both positive integers; one empty argument
 * (save "") means no rules. Stored as the pairs separated by single spaces. */
static int parse_save(int argc, char **argv, size_t *lens, cfg_value *v, char *err,
                      size_t errlen) {
    sbuf b = {0};
    sbuf_cat(&b, "");
    if (!(argc == 1 && lens[0] == 0)) {
        if (argc % 2 != 0) {
            sbuf_free(&b);
            return fail(err, errlen, "Invalid save parameters");
        }
        for (int i = 0; i < argc; i++) {
            long long n;
            if (!num_parse_ll(argv[i], lens[i], &n) || n < 1) {
                sbuf_free(&b);
                return fail(err, errlen, "Invalid save parameters");
            }
            sbuf_catfmt(&b, "%s%lld", i ? " " : "", n);
        }
    }
    v->s = b.buf;
    return CN_OK;
}

/* Parses argc arguments (after the directive's name) into v, which the caller has
 * filled with the current value (client-output-buffer-limit changes only the classes
 * it names). Side-effect free. On CN_ERR err holds Redis's reason and v is as it
 * was. */
static int cfg_parse(const cfg_directive *d, int argc, char **argv, size_t *lens,
                     cfg_value *v, char *err, size_t errlen) {
    if (d->type == CFG_OBUF) {
        cfg_value nv = *v;
        if (parse_obuf(argc, argv, lens, &nv, err, errlen) != CN_OK) return CN_ERR;
        *v = nv;
        return CN_OK;
    }
    if (d->type == CFG_SAVE) {
        cfg_value nv = {0};
        if (parse_save(argc, argv, lens, &nv, err, errlen) != CN_OK) return CN_ERR;
        cfg_value_free(v);
        v->s = nv.s;
        return CN_OK;
    }
    if (d->type == CFG_BIND) {
        cfg_value nv = {0};
        if (parse_bind(argc, argv, lens, &nv, err, errlen) != CN_OK) return CN_ERR;
        cfg_value_free(v);
        v->s = nv.s;
        return CN_OK;
    }
    if (d->type == CFG_PERCENTILES) {
        char *s = latency_percentiles_parse(argc, argv, lens, err, errlen);
        if (!s) return CN_ERR;
        cfg_value_free(v);
        v->s = s;
        return CN_OK;
    }
    if (argc != 1) return fail(err, errlen, ERR_ARGC);
    const char *s = argv[0];
    size_t len = lens[0];
    bool has_nul = memchr(s, '\0', len) != NULL;
    long long n = 0;

    switch (d->type) {
    case CFG_BOOL:
        if (word_is(s, len, "yes")) n = 1;
        else if (word_is(s, len, "no")) n = 0;
        else return fail(err, errlen, ERR_BOOL);
        break;
    case CFG_INT:
        if (!num_parse_ll(s, len, &n)) return fail(err, errlen, ERR_INT);
        break;
    case CFG_MEMORY: {
        bool overflow;
        if (!parse_memory(s, len, &n, &overflow)) {
            if (!overflow) return fail(err, errlen, ERR_MEMORY);
            return fail(err, errlen, "argument must be between %lld and %lld inclusive",
                        d->min, d->max);
        }
        break;
    }
    case CFG_OCTAL: {
        char *end;
        errno = 0;
        n = strtoll(s, &end, 8);
        if (has_nul || end != s + len) return fail(err, errlen, ERR_OCTAL);
        if (errno || n < d->min || n > d->max)
            return fail(err, errlen, "argument must be between %llo and %llo inclusive",
                        (unsigned long long)d->min, (unsigned long long)d->max);
        break;
    }
    case CFG_ENUM: {
        const cfg_enum_name *e;
        for (e = d->enums; e->name; e++)
            if (word_is(s, len, e->name)) break;
        if (!e->name) {
            sbuf b = {0};
            sbuf_cat(&b, "argument(s) must be one of the following: ");
            for (e = d->enums; e->name; e++)
                sbuf_catfmt(&b, "%s%s", e == d->enums ? "" : ", ", e->name);
            fail(err, errlen, "%s", b.buf);
            sbuf_free(&b);
            return CN_ERR;
        }
        n = e->value;
        break;
    }
    case CFG_FLAGS: {
        int bits;
        if (!d->flags_parse(s, len, &bits)) return fail(err, errlen, "%s", d->flags_err);
        n = bits;
        break;
    }
    case CFG_STRING:
    case CFG_DIR:
        if (has_nul) return fail(err, errlen, "argument must not contain NUL bytes");
        cfg_value_free(v);
        v->s = (len == 0 && (d->flags & CFG_EMPTY_NULL)) ? NULL : cn_strndup(s, len);
        return CN_OK;
    default:
        return fail(err, errlen, "unsupported directive type");
    }
    if (d->type == CFG_INT || d->type == CFG_MEMORY) {
        if (n < d->min || n > d->max)
            return fail(err, errlen, "argument must be between %lld and %lld inclusive",
                        d->min, d->max);
        if (d->clamp_hi > 0) {
            if (n < d->clamp_lo) n = d->clamp_lo;
            if (n > d->clamp_hi) n = d->clamp_hi;
        }
    }
    v->n = n;
    return CN_OK;
}

/* --- printing --- */

/* A string quoted so that resp_split_args() reads it back: "..." with escapes. */
static void cat_repr(sbuf *b, const char *s, size_t len) {
    sbuf_cat(b, "\"");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '\\': sbuf_cat(b, "\\\\"); break;
        case '"': sbuf_cat(b, "\\\""); break;
        case '\n': sbuf_cat(b, "\\n"); break;
        case '\r': sbuf_cat(b, "\\r"); break;
        case '\t': sbuf_cat(b, "\\t"); break;
        case '\a': sbuf_cat(b, "\\a"); break;
        case '\b': sbuf_cat(b, "\\b"); break;
        default:
            if (c >= 0x20 && c < 0x7f) sbuf_catlen(b, (const char *)&c, 1);
            else sbuf_catfmt(b, "\\x%02x", c);
        }
    }
    sbuf_cat(b, "\"");
}

/* Memory as CONFIG REWRITE writes it: the largest of gb, mb, kb that divides it. */
static void cat_memory(sbuf *b, long long v) {
    const long long kb = 1024, mb = kb * 1024, gb = mb * 1024;
    if (v != 0 && v % gb == 0) sbuf_catfmt(b, "%lldgb", v / gb);
    else if (v != 0 && v % mb == 0) sbuf_catfmt(b, "%lldmb", v / mb);
    else if (v != 0 && v % kb == 0) sbuf_catfmt(b, "%lldkb", v / kb);
    else sbuf_catfmt(b, "%lld", v);
}

/* The value as CONFIG GET reports it (memory in plain bytes). */
static void cat_get_value(sbuf *b, const cfg_directive *d) {
    switch (d->type) {
    case CFG_BOOL: sbuf_cat(b, field_get_n(d) ? "yes" : "no"); break;
    case CFG_INT:
    case CFG_MEMORY: sbuf_catfmt(b, "%lld", field_get_n(d)); break;
    case CFG_OCTAL: sbuf_catfmt(b, "%llo", (unsigned long long)field_get_n(d)); break;
    case CFG_ENUM: sbuf_cat(b, enum_name(d, field_get_n(d))); break;
    case CFG_FLAGS: {
        char letters[32];
        d->flags_format((int)field_get_n(d), letters, sizeof(letters));
        sbuf_cat(b, letters);
        break;
    }
    case CFG_STRING:
    case CFG_SAVE:
    case CFG_PERCENTILES:
    case CFG_BIND: {
        const char *s = *(char **)d->field;
        sbuf_cat(b, s ? s : "");
        break;
    }
    case CFG_DIR: {
        char cwd[PATH_MAX];
        const char *s = getcwd(cwd, sizeof(cwd)) ? cwd : server.dir;
        sbuf_cat(b, s ? s : "");
        break;
    }
    case CFG_OBUF:
        for (int c = 0; c < OBUF_CLASSES; c++)
            sbuf_catfmt(b, "%s%s %lld %lld %lld", c ? " " : "", obuf_get_names[c],
                        *obuf_fields[c][OBUF_HARD], *obuf_fields[c][OBUF_SOFT],
                        *obuf_fields[c][OBUF_SECONDS]);
        break;
    }
}

/* One line CONFIG REWRITE may write, and whether it only states the default. */
typedef struct rewrite_line {
    char *text;
    bool is_default;
} rewrite_line;

/* The lines that state d's current value in a config file (1, or 3 for
 * client-output-buffer-limit). Returns how many were written to out. */
static int cfg_rewrite_lines(const cfg_directive *d, rewrite_line out[OBUF_CLASSES]) {
    cfg_value cur, def;
    cfg_read(d, &cur);
    cfg_default(d, &def);
    int n = 0;
    if (d->type == CFG_OBUF) {
        for (int c = 0; c < OBUF_CLASSES; c++) {
            sbuf b = {0};
            sbuf_catfmt(&b, "%s %s ", d->name, obuf_rewrite_names[c]);
            cat_memory(&b, cur.obuf[c][OBUF_HARD]);
            sbuf_cat(&b, " ");
            cat_memory(&b, cur.obuf[c][OBUF_SOFT]);
            sbuf_catfmt(&b, " %lld", cur.obuf[c][OBUF_SECONDS]);
            out[n].text = b.buf;
            out[n].is_default = memcmp(cur.obuf[c], def.obuf[c], sizeof(cur.obuf[c])) == 0;
            n++;
        }
    } else {
        sbuf b = {0};
        sbuf_cat(&b, d->name);
        switch (d->type) {
        case CFG_BOOL: sbuf_cat(&b, cur.n ? " yes" : " no"); break;
        case CFG_INT: sbuf_catfmt(&b, " %lld", cur.n); break;
        case CFG_MEMORY: sbuf_cat(&b, " "); cat_memory(&b, cur.n); break;
        case CFG_OCTAL: sbuf_catfmt(&b, " %llo", (unsigned long long)cur.n); break;
        case CFG_ENUM: sbuf_catfmt(&b, " %s", enum_name(d, cur.n)); break;
        case CFG_FLAGS: {
            char letters[32];
            d->flags_format((int)cur.n, letters, sizeof(letters));
            sbuf_cat(&b, " ");
            cat_repr(&b, letters, strlen(letters));
            break;
        }
        case CFG_BIND: if (cur.s && *cur.s) sbuf_catfmt(&b, " %s", cur.s); break;
        case CFG_STRING:
        case CFG_DIR:
            sbuf_cat(&b, " ");
            cat_repr(&b, cur.s ? cur.s : "", cur.s ? strlen(cur.s) : 0);
            break;
        case CFG_SAVE:
        case CFG_PERCENTILES: sbuf_catfmt(&b, " %s", cur.s && *cur.s ? cur.s : "\"\""); break;
        case CFG_OBUF: break;
        }
        out[n].text = b.buf;
        /* dir is always written, so that the file says where it works. */
        out[n].is_default = d->type != CFG_DIR && cfg_equal(d, &cur, &def);
        n++;
    }
    cfg_value_free(&cur);
    cfg_value_free(&def);
    return n;
}

/* ------------------------------------------------------------------ apply callbacks */

static int apply_listeners(const cfg_directive *d, char *err, size_t errlen) {
    if (server_listeners_changed() == CN_OK) return CN_OK;
    return fail(err, errlen, "%s",
                d->field == (void *)&server.port
                    ? "Unable to listen on this port. Check server logs."
                    : ERR_BIND_FAIL);
}

static int apply_maxclients(const cfg_directive *d, char *err, size_t errlen) {
    (void)d;
    return server_maxclients_changed(err, errlen);
}

static int apply_maxmemory(const cfg_directive *d, char *err, size_t errlen) {
    (void)d, (void)err, (void)errlen;
    evict_maxmemory_changed();
    return CN_OK;
}

static int apply_loglevel(const cfg_directive *d, char *err, size_t errlen) {
    (void)d, (void)err, (void)errlen;
    log_set_level(server.loglevel);
    return CN_OK;
}

static int apply_jemalloc_bg_thread(const cfg_directive *d, char *err, size_t errlen) {
    (void)d, (void)err, (void)errlen;
    cn_alloc_set_background_thread(server.jemalloc_bg_thread);
    return CN_OK;
}

/* chdir() to server.dir, then store the absolute path there. */
/* dbfilename, appendfilename, appenddirname: a plain file name in dir. */
static int check_aof_name(const cfg_directive *d, char *err, size_t errlen) {
    const char *v = *(char **)d->field;
    if (!v || !aof_name_valid(v)) return fail(err, errlen, "%s can't be a path, just a filename", d->name);
    return CN_OK;
}

static int apply_appendonly(const cfg_directive *d, char *err, size_t errlen) {
    (void)d;
    if (!server.aof_enabled) {
        persist_aof_disable();
        return CN_OK;
    }
    if (persist_aof_enable(err, errlen) != CN_OK) {
        server.aof_enabled = false;
        return CN_ERR;
    }
    return CN_OK;
}

static int apply_appendfsync(const cfg_directive *d, char *err, size_t errlen) {
    (void)d, (void)err, (void)errlen;
    persist_aof_policy_changed();
    return CN_OK;
}

static int apply_dir(const cfg_directive *d, char *err, size_t errlen) {
    (void)d;
    if (chdir(server.dir ? server.dir : "") != 0) return fail(err, errlen, "%s", strerror(errno));
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof(cwd))) {
        cn_free(server.dir);
        server.dir = cn_strdup(cwd);
    }
    return CN_OK;
}

/* As Redis: a log file named at start-up must be writable. */
static int check_logfile(const cfg_directive *d, char *err, size_t errlen) {
    (void)d;
    if (!server.logfile || !*server.logfile) return CN_OK;
    FILE *fp = fopen(server.logfile, "a");
    if (!fp) return fail(err, errlen, "Can't open the log file: %s", strerror(errno));
    fclose(fp);
    return CN_OK;
}

/* ------------------------------------------------------------------ defaults */

void config_set_defaults(void) {
    for (size_t i = 0; i < NDIRECTIVES; i++) {
        cfg_value v;
        cfg_default(&directives[i], &v);
        cfg_write(&directives[i], &v);
    }
}

void config_apply_startup(void) {
    log_set_level(server.loglevel);
    log_set_file(server.logfile ? server.logfile : "");
}

const char *config_enum_name(const char *directive) {
    const cfg_directive *d = cfg_lookup(directive, strlen(directive));
    return d && d->type == CFG_ENUM ? enum_name(d, field_get_n(d)) : NULL;
}

void config_teardown(void) {
    for (size_t i = 0; i < NDIRECTIVES; i++) {
        if (!has_string(&directives[i])) continue;
        char **f = (char **)directives[i].field;
        cn_free(*f);
        *f = NULL;
    }
    cn_free(server.config_file);
    server.config_file = NULL;
}

/* ------------------------------------------------------------------ loading */

typedef struct load_ctx {
    char *err;
    size_t errlen;
    bool save_seen; /* a `save` line was read: later ones add rules (redis.conf style) */
} load_ctx;

/* Fills the caller's err with Redis's FATAL layout: where, the line, why. */
static int load_error(load_ctx *ctx, const char *where, const char *line, const char *why) {
    snprintf(ctx->err, ctx->errlen,
             "*** FATAL CONFIG FILE ERROR (Cairn %s) ***\n"
             "Reading %s\n"
             ">>> '%s'\n"
             "%s",
             CAIRN_VERSION, where, line, why);
    return CN_ERR;
}

/* What a config line is trimmed of at both ends, as Redis trims it (sdstrim with
 * " \t\r\n", whose strchr also finds a NUL byte). */
static bool trim_char(char c) { return strchr(" \t\r\n", c) != NULL; }

/* The line [*s, *e) without what trim_char() trims at both ends. The loader and
 * CONFIG REWRITE (which directive a line sets) must read a line the same way. */
static void trim_line(char **s, char **e) {
    while (*s < *e && trim_char(**s)) (*s)++;
    while (*e > *s && trim_char((*e)[-1])) (*e)--;
}

static int load_file(load_ctx *ctx, const char *path, int depth, char *why, size_t whylen);

/* include PATTERN: every file it names, in alphabetical order, as Redis 7 does. A
 * pattern without wildcards must name a readable file. */
static int load_include(load_ctx *ctx, const char *pattern, int depth, char *why,
                        size_t whylen) {
    if (depth >= CONFIG_INCLUDE_MAX_DEPTH) {
        snprintf(why, whylen, "include nesting is deeper than %d levels",
                 CONFIG_INCLUDE_MAX_DEPTH);
        return CN_ERR;
    }
    if (!strpbrk(pattern, "*?[")) return load_file(ctx, pattern, depth + 1, why, whylen);
    glob_t g;
    int rc = glob(pattern, GLOB_ERR, NULL, &g);
    if (rc == GLOB_NOMATCH) return CN_OK;
    if (rc != 0) {
        snprintf(why, whylen, "can't read the files of include pattern '%s'", pattern);
        return CN_ERR;
    }
    int res = CN_OK;
    for (size_t i = 0; i < g.gl_pathc && res == CN_OK; i++)
        res = load_file(ctx, g.gl_pathv[i], depth + 1, why, whylen);
    globfree(&g);
    return res;
}

/* One directive line: argv[0] is the name. `where` and `line` are for the error
 * message. */
static int cfg_parse_words(const cfg_directive *d, int argc, char **argv, size_t *lens,
                           cfg_value *v, char *err, size_t errlen);

static int load_directive(load_ctx *ctx, const char *where, const char *line, int argc,
                          char **argv, size_t *lens, int depth) {
    char why[PATH_MAX + 128] = "";
    if (strcasecmp(argv[0], "include") == 0 && argc == 2) {
        if (load_include(ctx, argv[1], depth, why, sizeof(why)) == CN_OK) return CN_OK;
        if (ctx->err[0] != '\0') return CN_ERR; /* an error inside the included file */
        return load_error(ctx, where, line, why);
    }
    const cfg_directive *d = cfg_lookup(argv[0], lens[0]);
    if (!d || (argc != 2 && !is_multi_arg(d)))
        return load_error(ctx, where, line,
                          d ? ERR_ARGC : "Bad directive or wrong number of arguments");
    cfg_value v;
    cfg_read(d, &v);
    if (cfg_parse_words(d, argc - 1, argv + 1, lens + 1, &v, why, sizeof(why)) != CN_OK) {
        cfg_value_free(&v);
        return load_error(ctx, where, line, why);
    }
    if (d->type == CFG_SAVE) {
        /* The first `save` line replaces the default rules, later lines add to them,
         * so redis.conf's one-rule-per-line style works; `save ""` clears them. */
        if (ctx->save_seen && v.s[0] && server.save_params[0]) {
            sbuf b = {0};
            sbuf_catfmt(&b, "%s %s", server.save_params, v.s);
            cfg_value_free(&v);
            v.s = b.buf;
        }
        ctx->save_seen = true;
    }
    cfg_write(d, &v);
    if (d->on_load && d->on_load(d, why, sizeof(why)) != CN_OK)
        return load_error(ctx, where, line, why);
    return CN_OK;
}

/* Reads a config file line by line. name is what error messages call it. */
static int load_stream(load_ctx *ctx, FILE *fp, const char *name, int depth) {
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int res = CN_OK;
    while (res == CN_OK && (n = getline(&buf, &cap, fp)) >= 0) {
        lineno++;
        char *s = buf, *e = buf + n;
        trim_line(&s, &e);
        *e = '\0';
        if (s == e || *s == '#') continue;

        char where[PATH_MAX + 64];
        snprintf(where, sizeof(where), "%s, at line %ld", name, lineno);
        char **argv;
        size_t *lens;
        int argc = resp_split_args(s, (size_t)(e - s), &argv, &lens);
        if (argc < 0) {
            res = load_error(ctx, where, s, "Unbalanced quotes in configuration line");
            break;
        }
        if (argc > 0) res = load_directive(ctx, where, s, argc, argv, lens, depth);
        resp_free_args(argc, argv, lens);
    }
    free(buf); /* getline's buffer comes from libc's malloc */
    if (res == CN_OK && ferror(fp)) {
        snprintf(ctx->err, ctx->errlen, "Fatal error, can't read %s: %s", name, strerror(errno));
        res = CN_ERR;
    }
    return res;
}

/* Loads a file. If it cannot be opened, returns CN_ERR with why set and ctx->err
 * left empty: the caller says where the file was named. */
static int load_file(load_ctx *ctx, const char *path, int depth, char *why, size_t whylen) {
    FILE *fp = fopen(path, "r");
    if (!fp) {
        snprintf(why, whylen, "can't open config file '%s': %s", path, strerror(errno));
        return CN_ERR;
    }
    sbuf name = {0};
    sbuf_catfmt(&name, "the configuration file '%s'", path);
    int res = load_stream(ctx, fp, name.buf, depth);
    sbuf_free(&name);
    fclose(fp);
    return res;
}

/* The command line: "--name" starts a directive, the words up to the next "--name"
 * are its arguments (as redis-server reads them). */
static int load_options(load_ctx *ctx, int argc, char **argv) {
    int res = CN_OK, nopt = 0;
    for (int i = 0; i < argc && res == CN_OK;) {
        /* One directive: the name, then its arguments. */
        int start = i;
        const char *name = NULL;
        if (strncmp(argv[i], "--", 2) == 0) name = argv[i++] + 2;
        int first_arg = i;
        while (i < argc && strncmp(argv[i], "--", 2) != 0) i++;
        nopt++;

        /* Redis joins the words into a line; a bare "--" or words before any
         * "--name" leave the name empty, and the first word then takes its place. */
        int n = 0;
        char **words = cn_malloc(sizeof(char *) * (size_t)(i - start + 1));
        size_t *lens = cn_malloc(sizeof(size_t) * (size_t)(i - start + 1));
        if (name && *name) words[n] = (char *)name, lens[n] = strlen(name), n++;
        for (int j = first_arg; j < i; j++) words[n] = argv[j], lens[n] = strlen(argv[j]), n++;
        if (n > 0) {
            sbuf line = {0};
            sbuf_cat(&line, words[0]);
            for (int j = 1; j < n; j++) {
                sbuf_cat(&line, " ");
                cat_repr(&line, words[j], lens[j]);
            }
            char where[64];
            snprintf(where, sizeof(where), "the command line, at option %d", nopt);
            res = load_directive(ctx, where, line.buf, n, words, lens, 0);
            sbuf_free(&line);
        }
        cn_free(words);
        cn_free(lens);
    }
    return res;
}

int config_load(const char *path, int argc, char **argv, char *err, size_t errlen) {
    load_ctx ctx = {.err = err, .errlen = errlen};
    err[0] = '\0';
    bool from_stdin = path && strcmp(path, "-") == 0;
    /* A lone "-" as the last word also reads standard input, after the file. */
    if (argc > 0 && strcmp(argv[argc - 1], "-") == 0 && !from_stdin) {
        from_stdin = true;
        argc--;
    }
    cn_free(server.config_file);
    server.config_file = NULL;
    if (path && strcmp(path, "-") != 0) {
        /* Resolved before any `dir` line changes the working directory. */
        char abs[PATH_MAX];
        if (!realpath(path, abs)) {
            snprintf(err, errlen, "Fatal error, can't open config file '%s': %s", path,
                     strerror(errno));
            return CN_ERR;
        }
        server.config_file = cn_strdup(abs);
        char why[PATH_MAX + 128];
        if (load_file(&ctx, path, 0, why, sizeof(why)) != CN_OK) {
            if (err[0] == '\0') snprintf(err, errlen, "Fatal error, %s", why);
            return CN_ERR;
        }
    }
    if (from_stdin && load_stream(&ctx, stdin, "the configuration from standard input", 0) != CN_OK)
        return CN_ERR;
    return load_options(&ctx, argc, argv);
}

/* ------------------------------------------------------------------ CONFIG REWRITE */

#define REWRITE_SIGNATURE "# Generated by CONFIG REWRITE"

/* The file as lines (without their '\n'); a missing file has none. */
/* The file's lines, without their '\n', each with its length (a line may hold NUL
 * bytes, which CONFIG REWRITE keeps). */
static int read_lines(const char *path, char ***out, size_t **out_lens, size_t *count, char *err,
                      size_t errlen) {
    *out = NULL;
    *out_lens = NULL;
    *count = 0;
    FILE *fp = fopen(path, "r");
    if (!fp) {
        if (errno == ENOENT) return CN_OK;
        return fail(err, errlen, "%s", strerror(errno));
    }
    char *buf = NULL;
    size_t cap = 0, n = 0, lcap = 0;
    ssize_t len;
    char **lines = NULL;
    size_t *lens = NULL;
    while ((len = getline(&buf, &cap, fp)) >= 0) {
        if (len > 0 && buf[len - 1] == '\n') len--;
        if (n == lcap) {
            lcap = lcap ? lcap * 2 : 64;
            lines = cn_realloc(lines, lcap * sizeof(*lines));
            lens = cn_realloc(lens, lcap * sizeof(*lens));
        }
        lens[n] = (size_t)len;
        lines[n++] = cn_strndup(buf, (size_t)len);
    }
    int res = ferror(fp) ? fail(err, errlen, "%s", strerror(errno)) : CN_OK;
    free(buf);
    fclose(fp);
    *out = lines;
    *out_lens = lens;
    *count = n;
    return res;
}

/* Writes content to path through a temp file: write, fsync, rename, fsync dir. */
static int write_atomically(const char *path, const char *content, size_t len, char *err,
                            size_t errlen) {
    sbuf tmp = {0};
    sbuf_catfmt(&tmp, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp.buf);
    if (fd < 0) {
        fail(err, errlen, "%s", strerror(errno));
        sbuf_free(&tmp);
        return CN_ERR;
    }
    /* Keep the old file's mode (it may hold requirepass); a new file gets 0644 less
     * the umask. */
    struct stat st;
    mode_t mode;
    if (stat(path, &st) == 0) {
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0644 & ~mask;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, content + off, len - off);
        if (w < 0) {
            if (errno == EINTR) continue;
            break;
        }
        off += (size_t)w;
    }
    if (off < len || fchmod(fd, mode) != 0 || fsync(fd) != 0) {
        fail(err, errlen, "%s", strerror(errno));
        close(fd);
        unlink(tmp.buf);
        sbuf_free(&tmp);
        return CN_ERR;
    }
    if (close(fd) != 0 || rename(tmp.buf, path) != 0) {
        fail(err, errlen, "%s", strerror(errno));
        unlink(tmp.buf);
        sbuf_free(&tmp);
        return CN_ERR;
    }
    sbuf_free(&tmp);
    /* The rename is durable once the directory is. */
    sbuf dir = {0};
    const char *slash = strrchr(path, '/');
    if (slash == path) sbuf_cat(&dir, "/");
    else if (slash) sbuf_catlen(&dir, path, (size_t)(slash - path));
    else sbuf_cat(&dir, ".");
    fs_sync_dir(dir.buf);
    sbuf_free(&dir);
    return CN_OK;
}

int config_rewrite(const char *path, char *err, size_t errlen) {
    char **lines;
    size_t *lens, nlines;
    if (read_lines(path, &lines, &lens, &nlines, err, errlen) != CN_OK) return CN_ERR;

    /* Which directive each old line sets (NULL: keep the line as it is). */
    const cfg_directive **owner = cn_calloc(nlines ? nlines : 1, sizeof(*owner));
    bool *drop = cn_calloc(nlines ? nlines : 1, sizeof(*drop));
    bool signed_file = false;
    for (size_t i = 0; i < nlines; i++) {
        char *s = lines[i], *end = lines[i] + lens[i];
        trim_line(&s, &end);
        if (strncmp(s, REWRITE_SIGNATURE, strlen(REWRITE_SIGNATURE)) == 0) signed_file = true;
        if (s == end || *s == '#') continue;
        char **argv;
        size_t *alens;
        int argc = resp_split_args(s, (size_t)(end - s), &argv, &alens);
        if (argc > 0) owner[i] = cfg_lookup(argv[0], alens[0]);
        if (argc >= 0) resp_free_args(argc, argv, alens);
    }

    sbuf appended = {0};
    for (size_t k = 0; k < NDIRECTIVES; k++) {
        const cfg_directive *d = &directives[k];
        rewrite_line out[OBUF_CLASSES];
        int n = cfg_rewrite_lines(d, out);
        size_t slot = 0;
        for (int j = 0; j < n; j++) {
            while (slot < nlines && owner[slot] != d) slot++;
            if (slot < nlines) {
                /* A line of the file already sets it: state the value there. */
                cn_free(lines[slot]);
                lines[slot] = out[j].text;
                lens[slot] = strlen(out[j].text);
                slot++;
            } else {
                if (!out[j].is_default) {
                    sbuf_cat(&appended, out[j].text);
                    sbuf_cat(&appended, "\n");
                }
                cn_free(out[j].text);
            }
        }
        /* Later lines of the same directive would override the value: drop them. */
        for (; slot < nlines; slot++)
            if (owner[slot] == d) drop[slot] = true;
    }

    sbuf content = {0};
    sbuf_cat(&content, "");
    for (size_t i = 0; i < nlines; i++) {
        if (drop[i]) continue;
        sbuf_catlen(&content, lines[i], lens[i]);
        sbuf_cat(&content, "\n");
    }
    if (appended.len > 0) {
        if (!signed_file) {
            if (nlines > 0 && content.len > 1 && content.buf[content.len - 2] != '\n')
                sbuf_cat(&content, "\n");
            sbuf_cat(&content, REWRITE_SIGNATURE "\n");
        }
        sbuf_catlen(&content, appended.buf, appended.len);
    }
    int res = write_atomically(path, content.buf, content.len, err, errlen);

    sbuf_free(&content);
    sbuf_free(&appended);
    for (size_t i = 0; i < nlines; i++) cn_free(lines[i]);
    cn_free(lines);
    cn_free(lens);
    cn_free(owner);
    cn_free(drop);
    return res;
}

/* ------------------------------------------------------------------ CONFIG */

static bool has_glob(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (s[i] == '*' || s[i] == '?' || s[i] == '[') return true;
    return false;
}

/* CONFIG GET pattern [pattern ...]: a map of every directive a pattern names. A
 * pattern without wildcards is looked up by name or alias and reported under the
 * name as typed; a glob pattern matches names and aliases (any case) and reports
 * them as they are. Each name is reported once. */
static void cmd_config_get(client *c) {
    struct match {
        const char *key;
        size_t klen;
        const cfg_directive *d;
    };
    size_t cap = (size_t)(c->argc - 2) + 2 * NDIRECTIVES, n = 0;
    struct match *m = cn_malloc(cap * sizeof(*m));

    for (int i = 2; i < c->argc; i++) {
        const char *pat = c->argv[i];
        size_t plen = c->argvlen[i];
        /* Candidates: this pattern's matches, then kept if not reported yet. */
        struct match cand[2 * NDIRECTIVES];
        size_t ncand = 0;
        if (!has_glob(pat, plen)) {
            const cfg_directive *d = cfg_lookup(pat, plen);
            if (d) cand[ncand++] = (struct match){pat, plen, d};
        } else {
            for (size_t k = 0; k < NDIRECTIVES; k++) {
                const cfg_directive *d = &directives[k];
                const char *names[2] = {d->name, d->alias};
                for (int a = 0; a < 2; a++) {
                    if (!names[a]) continue;
                    size_t len = strlen(names[a]);
                    if (glob_match(pat, plen, names[a], len, true))
                        cand[ncand++] = (struct match){names[a], len, d};
                }
            }
        }
        for (size_t j = 0; j < ncand; j++) {
            bool seen = false;
            for (size_t k = 0; k < n && !seen; k++)
                seen = m[k].klen == cand[j].klen &&
                       strncasecmp(m[k].key, cand[j].key, cand[j].klen) == 0;
            if (!seen) m[n++] = cand[j];
        }
    }

    reply_map(c, (long)n);
    sbuf v = {0};
    for (size_t i = 0; i < n; i++) {
        reply_bulk(c, m[i].key, m[i].klen);
        v.len = 0;
        sbuf_cat(&v, "");
        cat_get_value(&v, m[i].d);
        reply_bulk(c, v.buf, v.len);
    }
    sbuf_free(&v);
    cn_free(m);
}

bool config_access_allowed(const client *c, int setting) {
    if (setting == CONFIG_PROTECTED_YES) return true;
    if (setting != CONFIG_PROTECTED_LOCAL) return false;
    if (c->flags & CLIENT_UNIX_SOCKET) return true;
    return strncmp(c->addr, "127.", 4) == 0 || strncmp(c->addr, "::1:", 4) == 0 ||
           strncmp(c->addr, "[::1]", 5) == 0;
}

/* Splits a CONFIG SET value of a many-argument directive on single spaces, as Redis
 * does ("" has no arguments; "a  b" has an empty one). */
static int split_spaces(const char *s, size_t len, char ***argv, size_t **lens) {
    int n = 0;
    *argv = NULL;
    *lens = NULL;
    if (len == 0) return 0;
    size_t parts = 1;
    for (size_t i = 0; i < len; i++) parts += s[i] == ' ';
    *argv = cn_malloc(parts * sizeof(char *));
    *lens = cn_malloc(parts * sizeof(size_t));
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == ' ') {
            (*argv)[n] = cn_strndup(s + start, i - start);
            (*lens)[n] = i - start;
            n++;
            start = i + 1;
        }
    }
    return n;
}

static void free_split(int argc, char **argv, size_t *lens) {
    for (int i = 0; i < argc; i++) cn_free(argv[i]);
    cn_free(argv);
    cn_free(lens);
}

/* Parses a directive's value words. A many-argument directive given as one
 * word ("normal 1mb 0 0") has it split on spaces first, as Redis 7 does in the
 * config file, on the command line and in CONFIG SET. */
static int cfg_parse_words(const cfg_directive *d, int argc, char **argv, size_t *lens,
                           cfg_value *v, char *err, size_t errlen) {
    if (!is_multi_arg(d) || argc != 1 || lens[0] == 0)
        return cfg_parse(d, argc, argv, lens, v, err, errlen);
    char **words;
    size_t *wlens;
    int n = split_spaces(argv[0], lens[0], &words, &wlens);
    int rc = cfg_parse(d, n, words, wlens, v, err, errlen);
    free_split(n, words, wlens);
    return rc;
}

/* CONFIG SET name value [name value ...]: all or nothing. First every name is
 * looked up and checked, then every value parsed, then all are stored and the apply
 * callbacks run; if one fails, everything is put back. */
static void cmd_config_set(client *c) {
    if (c->argc % 2 != 0) {
        reply_err_syntax(c);
        return;
    }
    int n = (c->argc - 2) / 2;
    const cfg_directive **ds = cn_calloc((size_t)n, sizeof(*ds));
    cfg_value *nv = cn_calloc((size_t)n, sizeof(*nv));
    cfg_value *ov = cn_calloc((size_t)n, sizeof(*ov));
    bool *changed = cn_calloc((size_t)n, sizeof(*changed));
    cfg_apply_fn **tried = cn_calloc((size_t)n, sizeof(*tried));
    /* The name each one is reported under: its alias when given by it (Redis
     * 7.0 treats an alias as a directive of its own: "x y alias-of-x z" is no
     * duplicate, the last value wins). */
    const char **names = cn_calloc((size_t)n, sizeof(*names));
    int ntried = 0;
    char err[512];

    for (int i = 0; i < n; i++) {
        const char *name = c->argv[2 + 2 * i];
        size_t nlen = c->argvlen[2 + 2 * i];
        const cfg_directive *d = cfg_lookup(name, nlen);
        const char *why = NULL;
        if (!d) {
            reply_errorf(c, "ERR Unknown option or number of arguments for CONFIG SET - '%s'",
                         name);
            goto done;
        }
        if (d->flags & CFG_IMMUTABLE) why = "can't set immutable config";
        else if ((d->flags & CFG_PROTECTED) && !config_access_allowed(c, enable_protected_configs))
            why = "can't set protected config";
        names[i] = d->alias && strlen(d->alias) == nlen && strncasecmp(d->alias, name, nlen) == 0
                       ? d->alias : d->name;
        for (int j = 0; j < i && !why; j++)
            if (ds[j] == d && names[j] == names[i]) why = "duplicate parameter";
        if (why) {
            reply_errorf(c, "ERR CONFIG SET failed (possibly related to argument '%s') - %s",
                         name, why);
            goto done;
        }
        ds[i] = d;
    }

    for (int i = 0; i < n; i++) {
        const char *val = c->argv[3 + 2 * i];
        size_t vlen = c->argvlen[3 + 2 * i];
        cfg_read(ds[i], &nv[i]);
        char *argv[1] = {(char *)val};
        size_t lens[1] = {vlen};
        /* In CONFIG SET an empty value of a many-argument directive has no words. */
        int words = is_multi_arg(ds[i]) && vlen == 0 ? 0 : 1;
        int rc = cfg_parse_words(ds[i], words, argv, lens, &nv[i], err, sizeof(err));
        if (rc != CN_OK) {
            reply_errorf(c, "ERR CONFIG SET failed (possibly related to argument '%s') - %s",
                         names[i], err);
            goto done;
        }
    }

    /* Store everything, then put the changes into effect. The old values are all
     * read first: a directive set twice (by name and alias) rolls back to what
     * it was before this command. */
    for (int i = 0; i < n; i++) cfg_read(ds[i], &ov[i]);
    for (int i = 0; i < n; i++) {
        changed[i] = !cfg_equal(ds[i], &ov[i], &nv[i]);
        cfg_write(ds[i], &nv[i]);
    }
    for (int i = 0; i < n; i++) {
        cfg_apply_fn *fn = ds[i]->apply;
        if (!changed[i] || !fn) continue;
        bool done_already = false;
        for (int j = 0; j < ntried; j++) done_already |= tried[j] == fn;
        if (done_already) continue;
        tried[ntried++] = fn;
        if (fn(ds[i], err, sizeof(err)) == CN_OK) continue;

        /* Roll back: old values, and every callback tried runs again with them. */
        for (int j = 0; j < n; j++) {
            cfg_value copy = ov[j];
            copy.s = ov[j].s ? cn_strdup(ov[j].s) : NULL;
            cfg_write(ds[j], &copy);
        }
        for (int t = 0; t < ntried; t++) {
            char err2[512];
            for (int j = 0; j < n; j++) {
                if (ds[j]->apply != tried[t]) continue;
                if (tried[t](ds[j], err2, sizeof(err2)) != CN_OK)
                    log_warning("Failed applying restored config '%s' after a failed CONFIG SET: %s",
                                ds[j]->name, err2);
                break;
            }
        }
        reply_errorf(c, "ERR CONFIG SET failed (possibly related to argument '%s') - %s",
                     names[i], err);
        goto done;
    }
    reply_ok(c);

done:
    for (int i = 0; i < n; i++) { /* unused entries are zeroed: freeing them is a no-op */
        cfg_value_free(&nv[i]);
        cfg_value_free(&ov[i]);
    }
    cn_free(ds);
    cn_free(nv);
    cn_free(ov);
    cn_free(changed);
    cn_free(tried);
    cn_free(names);
}

static void cmd_config_resetstat(client *c) {
    server_reset_stats();
    reply_ok(c);
}

static void cmd_config_rewrite(client *c) {
    if (!server.config_file) {
        reply_error(c, "ERR The server is running without a config file");
        return;
    }
    char err[256];
    if (config_rewrite(server.config_file, err, sizeof(err)) != CN_OK) {
        log_warning("CONFIG REWRITE failed: %s", err);
        reply_errorf(c, "ERR Rewriting config file: %s", err);
        return;
    }
    log_warning("CONFIG REWRITE executed with success."); /* Redis logs it at this level too */
    reply_ok(c);
}

static void cmd_config_help(client *c) {
    static const char *const help[] = {
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        "HELP",
        "    Prints this help.",
    };
    size_t n = sizeof(help) / sizeof(help[0]);
    reply_array(c, (long)n);
    for (size_t i = 0; i < n; i++) reply_simple(c, help[i]);
}

static command config_subcommands[] = {
    {.name = "get", .proc = cmd_config_get, .arity = -3,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .group = "server", .since = "2.0.0",
     .summary = "Get the values of configuration parameters",
     .complexity = "O(N) when N is the number of configuration parameters provided",
     .history = "7.0.0 Added the ability to pass multiple pattern parameters in one call",
     .args = "parameter(parameter)..."},
    {.name = "set", .proc = cmd_config_set, .arity = -4,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .group = "server", .since = "2.0.0",
     .summary = "Set configuration parameters to the given values",
     .complexity = "O(N) when N is the number of configuration parameters provided",
     .history = "7.0.0 Added the ability to set multiple parameters in one call.",
     .tips = "request_policy:all_nodes response_policy:all_succeeded",
     .args = "parameter_value(parameter value)..."},
    {.name = "resetstat", .proc = cmd_config_resetstat, .arity = 2,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .group = "server", .since = "2.0.0",
     .summary = "Reset the stats returned by INFO", .complexity = "O(1)"},
    {.name = "rewrite", .proc = cmd_config_rewrite, .arity = 2,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .group = "server", .since = "2.8.0",
     .summary = "Rewrite the configuration file with the in memory configuration",
     .complexity = "O(1)"},
    {.name = "help", .proc = cmd_config_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_SLOW, .group = "server", .since = "5.0.0",
     .summary = "Show helpful text about the different subcommands", .complexity = "O(1)"},
    {.name = NULL},
};

command cmd_table_config[] = {
    {.name = "config", .arity = -2, .acl = ACL_SLOW, .group = "server", .since = "2.0.0",
     .summary = "A container for server configuration commands",
     .complexity = "Depends on subcommand.", .subcommands = config_subcommands},
    {.name = NULL},
};
