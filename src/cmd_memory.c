/* src/cmd_memory.c: MEMORY USAGE STATS DOCTOR PURGE MALLOC-STATS HELP.
 *
 * Behaviour, reply shapes and error texts follow Redis 7.0 (checked against
 * redis-server 7.0.15). The figures of STATS and DOCTOR come from memory.h, the
 * same struct INFO memory prints, so the two never disagree.
 */
#include <stdio.h>

#include "../utils/alloc.h"
#include "../utils/sbuf.h"
#include "memory.h"
#include "server.h"

/* Redis's default for MEMORY USAGE's SAMPLES (OBJ_COMPUTE_SIZE_DEF_SAMPLES). */
#define MEMORY_USAGE_DEFAULT_SAMPLES 5

/* MEMORY USAGE key [SAMPLES count]. Redis reports the value (sampled), the key's
 * sds and its dictEntry. Cairn has neither a separate key nor a dictEntry: the key
 * is embedded in the object (object.h), so the reply is the object's allocation
 * (header, TTL slot, key, inline payload) plus what the payload points to (a RAW
 * string's buffer, an aggregate's structure, sampled as obj_mem_usage_sampled
 * says), plus the one pointer the keyspace table spends on the key. The rest of
 * the table (fingerprints, presence bits, free slots) is shared by all keys and
 * is counted once, in MEMORY STATS' overhead.hashtable.main. Like Redis, the key
 * is looked up without lazy expiry and without touching its LRU/LFU data. */
static void cmd_memory_usage(client *c) {
    long long samples = MEMORY_USAGE_DEFAULT_SAMPLES;
    for (int j = 3; j < c->argc; j++) {
        if (arg_is(c, j, "samples") && j + 1 < c->argc) {
            if (!arg_ll_or_reply(c, j + 1, &samples)) return;
            if (samples < 0) {
                reply_err_syntax(c);
                return;
            }
            j++;
        } else {
            reply_err_syntax(c);
            return;
        }
    }
    obj *o = db_peek(c->db, c_arg(c, 2), c_len(c, 2));
    if (!o) {
        reply_null(c);
        return;
    }
    /* samples 0 means all, for obj_mem_usage_sampled as for Redis. */
    size_t usage = obj_mem_usage_sampled(o, (size_t)samples) + sizeof(void *);
    reply_int(c, (long long)usage);
}

static void reply_field(client *c, const char *name, long long v) {
    reply_bulk_cstr(c, name);
    reply_int(c, v);
}

static void reply_field_double(client *c, const char *name, float v) {
    reply_bulk_cstr(c, name);
    reply_double(c, (double)v);
}

/* MEMORY STATS: a map (a flat array in RESP2) with Redis 7.0's keys in its order;
 * a db.N entry, itself a map of three, for each db with keys. The slot-to-keys
 * table exists only in cluster mode: 0. */
static void cmd_memory_stats(client *c) {
    memory_overhead mh;
    memory_overhead_get(&mh);
    reply_map(c, 27 + (long)mh.num_dbs);
    reply_field(c, "peak.allocated", (long long)mh.peak_allocated);
    reply_field(c, "total.allocated", (long long)mh.total_allocated);
    reply_field(c, "startup.allocated", (long long)mh.startup_allocated);
    reply_field(c, "replication.backlog", (long long)mh.repl_backlog);
    reply_field(c, "clients.slaves", (long long)mh.clients_slaves);
    reply_field(c, "clients.normal", (long long)mh.clients_normal);
    reply_field(c, "cluster.links", (long long)mh.cluster_links);
    reply_field(c, "aof.buffer", (long long)mh.aof_buffer);
    reply_field(c, "lua.caches", (long long)mh.lua_caches);
    reply_field(c, "functions.caches", (long long)mh.functions_caches);
    for (size_t i = 0; i < mh.num_dbs; i++) {
        char name[32];
        snprintf(name, sizeof(name), "db.%d", mh.db[i].dbid);
        reply_bulk_cstr(c, name);
        reply_map(c, 3);
        reply_field(c, "overhead.hashtable.main", (long long)mh.db[i].ht_main);
        reply_field(c, "overhead.hashtable.expires", (long long)mh.db[i].ht_expires);
        reply_field(c, "overhead.hashtable.slot-to-keys", 0);
    }
    reply_field(c, "overhead.total", (long long)mh.overhead_total);
    reply_field(c, "keys.count", (long long)mh.total_keys);
    reply_field(c, "keys.bytes-per-key", (long long)mh.bytes_per_key);
    reply_field(c, "dataset.bytes", (long long)mh.dataset);
    reply_field_double(c, "dataset.percentage", mh.dataset_perc);
    reply_field_double(c, "peak.percentage", mh.peak_perc);
    reply_field(c, "allocator.allocated", (long long)mh.alloc.allocated);
    reply_field(c, "allocator.active", (long long)mh.alloc.active);
    reply_field(c, "allocator.resident", (long long)mh.alloc.resident);
    reply_field_double(c, "allocator-fragmentation.ratio", mh.allocator_frag);
    reply_field(c, "allocator-fragmentation.bytes", mh.allocator_frag_bytes);
    reply_field_double(c, "allocator-rss.ratio", mh.allocator_rss);
    reply_field(c, "allocator-rss.bytes", mh.allocator_rss_bytes);
    reply_field_double(c, "rss-overhead.ratio", mh.rss_extra);
    reply_field(c, "rss-overhead.bytes", mh.rss_extra_bytes);
    reply_field_double(c, "fragmentation", mh.total_frag);
    reply_field(c, "fragmentation.bytes", mh.total_frag_bytes);
    memory_overhead_deinit(&mh);
}

static void cmd_memory_doctor(client *c) {
    sbuf b = {0};
    memory_doctor_report(&b);
    reply_verbatim(c, b.buf ? b.buf : "", b.len, "txt");
    sbuf_free(&b);
}

static void cmd_memory_purge(client *c) {
    cn_alloc_purge();
    reply_ok(c);
}

static void malloc_stats_write(void *ctx, const char *text) { sbuf_cat(ctx, text); }

static void cmd_memory_malloc_stats(client *c) {
    sbuf b = {0};
    if (cn_alloc_stats_print(malloc_stats_write, &b))
        reply_verbatim(c, b.buf ? b.buf : "", b.len, "txt");
    else
        reply_bulk_cstr(c, "Stats not supported for the current allocator");
    sbuf_free(&b);
}

static void cmd_memory_help(client *c) {
    static const char *const help[] = {
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
        "HELP",
        "    Prints this help.",
        NULL,
    };
    reply_help(c, help);
}

/* ---------------------------------------------------------------- the table */

#define MEMORY_REPORT_TIPS "nondeterministic_output request_policy:all_shards response_policy:special"

static command memory_subcommands[] = {
    {.name = "doctor", .proc = cmd_memory_doctor, .arity = 2, .acl = ACL_SLOW, .group = "server",
     .since = "4.0.0", .summary = "Outputs memory problems report", .complexity = "O(1)",
     .tips = MEMORY_REPORT_TIPS},
    {.name = "purge", .proc = cmd_memory_purge, .arity = 2, .acl = ACL_SLOW, .group = "server",
     .since = "4.0.0", .summary = "Ask the allocator to release memory",
     .complexity = "Depends on how much memory is allocated, could be slow",
     .tips = "request_policy:all_shards response_policy:all_succeeded"},
    {.name = "help", .proc = cmd_memory_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_SLOW, .group = "server", .since = "4.0.0",
     .summary = "Show helpful text about the different subcommands", .complexity = "O(1)"},
    {.name = "stats", .proc = cmd_memory_stats, .arity = 2, .acl = ACL_SLOW, .group = "server",
     .since = "4.0.0", .summary = "Show memory usage details", .complexity = "O(1)",
     .tips = MEMORY_REPORT_TIPS},
    {.name = "usage", .proc = cmd_memory_usage, .arity = -3, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SLOW, .first_key = 2, .last_key = 2, .key_step = 1, .group = "server",
     .since = "4.0.0", .summary = "Estimate the memory usage of a key",
     .complexity = "O(N) where N is the number of samples.",
     .key_specs = "RO: index 2 range 0 1 0", .args = "key@0 [SAMPLES count:integer]"},
    {.name = "malloc-stats", .proc = cmd_memory_malloc_stats, .arity = 2, .acl = ACL_SLOW,
     .group = "server", .since = "4.0.0", .summary = "Show allocator internal stats",
     .complexity = "Depends on how much memory is allocated, could be slow",
     .tips = MEMORY_REPORT_TIPS},
    {0}};

command cmd_table_memory[] = {
    {.name = "memory", .arity = -2, .acl = ACL_SLOW, .group = "server", .since = "4.0.0",
     .summary = "A container for memory diagnostics commands",
     .complexity = "Depends on subcommand.", .subcommands = memory_subcommands},
    {0}};
