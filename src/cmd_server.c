/* src/cmd_server.c: server commands: INFO COMMAND TIME LASTSAVE DEBUG MONITOR
 * SLOWLOG SHUTDOWN. */
#include <ctype.h>
#include <stdio.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../utils/clock.h"
#include "../utils/glob.h"
#include "../utils/num.h"
#include "../utils/sbuf.h"
#include "config.h"
#include "evict.h"
#include "lazyfree.h"
#include "latency.h"
#include "memory.h"
#include "multi.h"
#include "persist.h"
#include "pubsub.h"
#include "tracking.h"
#include "server.h"

/* ---------------------------------------------------------------- INFO */

static void human_bytes(char *out, size_t len, double n) {
    static const char units[] = "BKMGTPE";
    int u = 0;
    while (n >= 1024 && u < 6) n /= 1024, u++;
    if (u == 0) snprintf(out, len, "%.0fB", n);
    else snprintf(out, len, "%.2f%c", n, units[u]);
}

static void info_server(sbuf *b) {
    static struct utsname name;
    if (!name.sysname[0]) uname(&name);
    int64_t uptime = (server.now_ms - server.start_ms) / 1000;
    sbuf_catfmt(b,
                "# Server\r\n"
                "redis_version:%s\r\n"
                "redis_git_sha1:00000000\r\n"
                "redis_git_dirty:0\r\n"
                "redis_build_id:0\r\n"
                "redis_mode:standalone\r\n"
                "cairn_version:%s\r\n"
                "os:%s %s %s\r\n"
                "arch_bits:%d\r\n"
                "monotonic_clock:POSIX clock_gettime\r\n"
                "multiplexing_api:epoll\r\n"
                "atomicvar_api:c11-builtin\r\n"
                "gcc_version:%d.%d.%d\r\n"
                "process_id:%d\r\n"
                "process_supervised:no\r\n"
                "run_id:%s\r\n"
                "tcp_port:%d\r\n"
                "server_time_usec:%lld\r\n"
                "uptime_in_seconds:%lld\r\n"
                "uptime_in_days:%lld\r\n"
                "hz:%d\r\n"
                "configured_hz:%d\r\n"
                "lru_clock:%u\r\n"
                "executable:%s\r\n"
                "config_file:%s\r\n"
                "io_threads_active:0\r\n",
                REDIS_COMPAT_VERSION, CAIRN_VERSION, name.sysname, name.release, name.machine,
                (int)(sizeof(long) * 8),
#ifdef __GNUC__
                __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__,
#else
                0, 0, 0,
#endif
                (int)server.pid, server.run_id, server.port, (long long)clock_us(),
                (long long)uptime, (long long)(uptime / 86400), server.hz, server.hz,
                server.lruclock, server.executable ? server.executable : "",
                server.config_file ? server.config_file : "");
}

static void info_clients(sbuf *b) {
    size_t max_in = 0, max_out = 0, pubsub_clients = 0;
    for (size_t i = 0; i < server.nclients; i++) {
        client *c = server.clients[i];
        if (c->flags & CLIENT_PUBSUB) pubsub_clients++;
        if (c->qbuf_peak > max_in) max_in = c->qbuf_peak;
        size_t o = c->bufpos + c->reply_bytes;
        if (o > max_out) max_out = o;
    }
    sbuf_catfmt(b,
                "# Clients\r\n"
                "connected_clients:%zu\r\n"
                "cluster_connections:0\r\n"
                "maxclients:%d\r\n"
                "client_recent_max_input_buffer:%zu\r\n"
                "client_recent_max_output_buffer:%zu\r\n"
                "blocked_clients:%zu\r\n"
                "tracking_clients:%zu\r\n"
                "pubsub_clients:%zu\r\n"
                "watching_clients:%zu\r\n"
                "clients_in_timeout_table:0\r\n"
                "total_watched_keys:%zu\r\n",
                server.nclients, server.maxclients, max_in, max_out, server.blocked_clients,
                tracking_clients, pubsub_clients, multi_watching_clients(), multi_watched_keys);
}

/* The figures come from memory.h (the same struct MEMORY STATS reports); the
 * fields are Redis 7.0's, in its order. Lua and functions do not exist here: 0. */
static void info_memory(sbuf *b) {
    memory_overhead mh;
    memory_overhead_get(&mh);
    size_t total_mem = memory_system_total();
    char h_used[32], h_rss[32], h_peak[32], h_total[32], h_maxmem[32];
    human_bytes(h_maxmem, sizeof(h_maxmem), (double)server.maxmemory);
    human_bytes(h_used, sizeof(h_used), (double)mh.total_allocated);
    human_bytes(h_rss, sizeof(h_rss), (double)mh.process_rss);
    human_bytes(h_peak, sizeof(h_peak), (double)mh.peak_allocated);
    human_bytes(h_total, sizeof(h_total), (double)total_mem);
    sbuf_catfmt(b,
                "# Memory\r\n"
                "used_memory:%zu\r\n"
                "used_memory_human:%s\r\n"
                "used_memory_rss:%zu\r\n"
                "used_memory_rss_human:%s\r\n"
                "used_memory_peak:%zu\r\n"
                "used_memory_peak_human:%s\r\n"
                "used_memory_peak_perc:%.2f%%\r\n"
                "used_memory_overhead:%zu\r\n"
                "used_memory_startup:%zu\r\n"
                "used_memory_dataset:%zu\r\n"
                "used_memory_dataset_perc:%.2f%%\r\n"
                "allocator_allocated:%zu\r\n"
                "allocator_active:%zu\r\n"
                "allocator_resident:%zu\r\n"
                "total_system_memory:%zu\r\n"
                "total_system_memory_human:%s\r\n"
                "used_memory_lua:0\r\n"
                "used_memory_vm_eval:0\r\n"
                "used_memory_lua_human:0B\r\n"
                "used_memory_scripts_eval:0\r\n"
                "number_of_cached_scripts:0\r\n"
                "number_of_functions:0\r\n"
                "number_of_libraries:0\r\n"
                "used_memory_vm_functions:0\r\n"
                "used_memory_vm_total:0\r\n"
                "used_memory_vm_total_human:0B\r\n"
                "used_memory_functions:0\r\n"
                "used_memory_scripts:0\r\n"
                "used_memory_scripts_human:0B\r\n"
                "maxmemory:%lld\r\n"
                "maxmemory_human:%s\r\n"
                "maxmemory_policy:%s\r\n"
                "allocator_frag_ratio:%.2f\r\n"
                "allocator_frag_bytes:%lld\r\n"
                "allocator_rss_ratio:%.2f\r\n"
                "allocator_rss_bytes:%lld\r\n"
                "rss_overhead_ratio:%.2f\r\n"
                "rss_overhead_bytes:%lld\r\n"
                "mem_fragmentation_ratio:%.2f\r\n"
                "mem_fragmentation_bytes:%lld\r\n"
                "mem_not_counted_for_evict:%zu\r\n"
                "mem_replication_backlog:%zu\r\n"
                "mem_total_replication_buffers:0\r\n"
                "mem_clients_slaves:%zu\r\n"
                "mem_clients_normal:%zu\r\n"
                "mem_cluster_links:%zu\r\n"
                "mem_aof_buffer:%zu\r\n"
                "mem_allocator:%s\r\n"
                "active_defrag_running:0\r\n"
                "lazyfree_pending_objects:%zu\r\n"
                "lazyfreed_objects:%zu\r\n",
                mh.total_allocated, h_used, mh.process_rss, h_rss, mh.peak_allocated, h_peak,
                (double)mh.peak_perc, mh.overhead_total, mh.startup_allocated, mh.dataset,
                (double)mh.dataset_perc, mh.alloc.allocated, mh.alloc.active, mh.alloc.resident,
                total_mem, h_total, server.maxmemory, h_maxmem, config_enum_name("maxmemory-policy"),
                (double)mh.allocator_frag, mh.allocator_frag_bytes, (double)mh.allocator_rss,
                mh.allocator_rss_bytes, (double)mh.rss_extra, mh.rss_extra_bytes,
                (double)mh.total_frag, mh.total_frag_bytes, evict_not_counted_memory(),
                mh.repl_backlog, mh.clients_slaves, mh.clients_normal, mh.cluster_links,
                mh.aof_buffer, cn_alloc_name(), lazyfree_pending_objects(),
                lazyfree_freed_objects());
    memory_overhead_deinit(&mh);
}

static void info_persistence(sbuf *b) { persist_info(b); }

static void info_stats(sbuf *b) {
    size_t tr_keys, tr_items, tr_prefixes;
    tracking_stats(&tr_keys, &tr_items, &tr_prefixes);
    long long exceeded_total, exceeded_current;
    evict_exceeded_ms(&exceeded_total, &exceeded_current);
    sbuf_catfmt(b,
                "# Stats\r\n"
                "total_connections_received:%lld\r\n"
                "total_commands_processed:%lld\r\n"
                "instantaneous_ops_per_sec:%lld\r\n"
                "total_net_input_bytes:%lld\r\n"
                "total_net_output_bytes:%lld\r\n"
                "total_net_repl_input_bytes:0\r\n"
                "total_net_repl_output_bytes:0\r\n"
                "instantaneous_input_kbps:%.2f\r\n"
                "instantaneous_output_kbps:%.2f\r\n"
                "instantaneous_input_repl_kbps:0.00\r\n"
                "instantaneous_output_repl_kbps:0.00\r\n"
                "rejected_connections:%lld\r\n"
                "sync_full:0\r\n"
                "sync_partial_ok:0\r\n"
                "sync_partial_err:0\r\n"
                "expired_keys:%lld\r\n"
                "expired_stale_perc:0.00\r\n"
                "expired_time_cap_reached_count:%lld\r\n"
                "expire_cycle_cpu_milliseconds:%lld\r\n"
                "evicted_keys:%lld\r\n"
                "evicted_clients:0\r\n"
                "total_eviction_exceeded_time:%lld\r\n"
                "current_eviction_exceeded_time:%lld\r\n"
                "keyspace_hits:%lld\r\n"
                "keyspace_misses:%lld\r\n"
                "pubsub_channels:%zu\r\n"
                "pubsub_patterns:%zu\r\n"
                "pubsubshard_channels:%zu\r\n"
                "latest_fork_usec:%lld\r\n"
                "total_forks:%lld\r\n"
                "migrate_cached_sockets:0\r\n"
                "slave_expires_tracked_keys:0\r\n"
                "active_defrag_hits:0\r\n"
                "active_defrag_misses:0\r\n"
                "active_defrag_key_hits:0\r\n"
                "active_defrag_key_misses:0\r\n"
                "total_active_defrag_time:0\r\n"
                "current_active_defrag_time:0\r\n"
                "tracking_total_keys:%zu\r\n"
                "tracking_total_items:%zu\r\n"
                "tracking_total_prefixes:%zu\r\n"
                "unexpected_error_replies:%lld\r\n"
                "total_error_replies:%lld\r\n"
                "dump_payload_sanitizations:0\r\n"
                "total_reads_processed:%lld\r\n"
                "total_writes_processed:%lld\r\n"
                "io_threaded_reads_processed:0\r\n"
                "io_threaded_writes_processed:0\r\n"
                "reply_buffer_shrinks:0\r\n"
                "reply_buffer_expands:0\r\n",
                server.stat_numconnections, server.stat_numcommands,
                server_inst_metric(INST_COMMANDS), server.stat_net_input_bytes,
                server.stat_net_output_bytes, (double)server_inst_metric(INST_NET_INPUT) / 1024,
                (double)server_inst_metric(INST_NET_OUTPUT) / 1024, server.stat_rejected_conn,
                server.stat_expiredkeys, server.stat_expired_time_cap_reached,
                server.stat_expire_cycle_time_used / 1000, server.stat_evictedkeys, exceeded_total,
                exceeded_current, server.stat_keyspace_hits, server.stat_keyspace_misses,
                pubsub_count(PUBSUB_CHANNEL), pubsub_count(PUBSUB_PATTERN),
                pubsub_count(PUBSUB_SHARD), server.stat_fork_usec, server.stat_total_forks, tr_keys,
                tr_items, tr_prefixes, server.stat_unexpected_error_replies,
                server.stat_total_error_replies, server.stat_reads, server.stat_writes);
}

static void info_replication(sbuf *b) {
    sbuf_catfmt(b,
                "# Replication\r\n"
                "role:master\r\n"
                "connected_slaves:0\r\n"
                "master_failover_state:no-failover\r\n"
                "master_replid:%s\r\n"
                "master_replid2:0000000000000000000000000000000000000000\r\n"
                "master_repl_offset:0\r\n"
                "second_repl_offset:-1\r\n"
                "repl_backlog_active:0\r\n"
                "repl_backlog_size:1048576\r\n"
                "repl_backlog_first_byte_offset:0\r\n"
                "repl_backlog_histlen:0\r\n",
                server.run_id);
}

static void info_cpu(sbuf *b) {
    struct rusage self, children;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    struct rusage thread;
    getrusage(RUSAGE_THREAD, &thread);
#define TV(t) ((double)(t).tv_sec + (double)(t).tv_usec / 1000000)
    sbuf_catfmt(b,
                "# CPU\r\n"
                "used_cpu_sys:%.6f\r\n"
                "used_cpu_user:%.6f\r\n"
                "used_cpu_sys_children:%.6f\r\n"
                "used_cpu_user_children:%.6f\r\n"
                "used_cpu_sys_main_thread:%.6f\r\n"
                "used_cpu_user_main_thread:%.6f\r\n",
                TV(self.ru_stime), TV(self.ru_utime), TV(children.ru_stime), TV(children.ru_utime),
                TV(thread.ru_stime), TV(thread.ru_utime));
#undef TV
}

static void info_commandstats_row(sbuf *b, const command *c) {
    if (c->calls || c->rejected_calls || c->failed_calls)
        sbuf_catfmt(b, "cmdstat_%s:calls=%lld,usec=%lld,usec_per_call=%.2f,rejected_calls=%lld,failed_calls=%lld\r\n",
                    c->fullname, c->calls, c->usec, c->calls ? (double)c->usec / (double)c->calls : 0,
                    c->rejected_calls, c->failed_calls);
    if (c->subcommands)
        for (const command *s = c->subcommands; s->name; s++) info_commandstats_row(b, s);
}

static void info_commandstats(sbuf *b) {
    sbuf_cat(b, "# Commandstats\r\n");
    for (size_t i = 0; i < command_count(); i++) info_commandstats_row(b, command_at(i));
}

static void info_errorstats(sbuf *b) {
    sbuf_cat(b, "# Errorstats\r\n");
    for (size_t i = 0; i < server.nerrstats; i++)
        sbuf_catfmt(b, "errorstat_%s:count=%lld\r\n", server.errstats[i].code, server.errstats[i].count);
}

static void info_keyspace(sbuf *b) {
    sbuf_cat(b, "# Keyspace\r\n");
    for (int i = 0; i < db_count(); i++) {
        db *d = db_get(i);
        if (!db_size(d)) continue;
        sbuf_catfmt(b, "db%d:keys=%zu,expires=%zu,avg_ttl=%lld\r\n", i, db_size(d),
                    db_expires_count(d), db_avg_ttl(d, server.now_ms));
    }
}

static const struct info_section {
    const char *name;
    void (*fn)(sbuf *b);
    bool in_default;
} info_sections[] = {
    {"server", info_server, true},         {"clients", info_clients, true},
    {"memory", info_memory, true},         {"persistence", info_persistence, true},
    {"stats", info_stats, true},           {"replication", info_replication, true},
    {"cpu", info_cpu, true},               {"commandstats", info_commandstats, false},
    {"errorstats", info_errorstats, true}, {"latencystats", latency_info, false},
    {"keyspace", info_keyspace, true},
};

#define NSECTIONS (sizeof(info_sections) / sizeof(*info_sections))

/* Builds INFO text for the given section names (argv-style), Redis's rules:
 * none or "default": the default sections; "all": all; "everything": all. */
static void info_build(sbuf *b, int argc, const char **argv) {
    bool want[NSECTIONS] = {0};
    if (argc == 0) {
        for (size_t i = 0; i < NSECTIONS; i++) want[i] = info_sections[i].in_default;
    }
    for (int a = 0; a < argc; a++) {
        if (!strcasecmp(argv[a], "all") || !strcasecmp(argv[a], "everything")) {
            for (size_t i = 0; i < NSECTIONS; i++) want[i] = true;
        } else if (!strcasecmp(argv[a], "default")) {
            for (size_t i = 0; i < NSECTIONS; i++) want[i] |= info_sections[i].in_default;
        } else {
            for (size_t i = 0; i < NSECTIONS; i++)
                if (!strcasecmp(argv[a], info_sections[i].name)) want[i] = true;
        }
    }
    for (size_t i = 0; i < NSECTIONS; i++) {
        if (!want[i]) continue;
        if (b->len) sbuf_cat(b, "\r\n");
        info_sections[i].fn(b);
    }
}

static void cmd_info(client *c) {
    sbuf b = {0};
    info_build(&b, c->argc - 1, c->argv + 1);
    reply_verbatim(c, b.buf ? b.buf : "", b.len, "txt");
    sbuf_free(&b);
}

/* ---------------------------------------------------------------- COMMAND */

/* The replies themselves are written by src/cmd_docs.c. */

/* "config|get" or "get" → the command; NULL if unknown. */
static command *lookup_fullname(const char *name, size_t len) {
    const char *bar = memchr(name, '|', len);
    if (!bar) return command_lookup(name, len);
    command *parent = command_lookup(name, (size_t)(bar - name));
    return parent ? command_lookup_sub(parent, bar + 1, len - (size_t)(bar - name) - 1) : NULL;
}

static void cmd_command(client *c) {
    size_t n = command_count();
    reply_array(c, (long)n);
    for (size_t i = 0; i < n; i++) cmd_docs_reply_info(c, command_at(i));
}

static void cmd_command_count(client *c) { reply_int(c, (long long)command_count()); }

static void cmd_command_info(client *c) {
    if (c->argc == 2) {
        cmd_command(c);
        return;
    }
    reply_array(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        command *cmd = lookup_fullname(c->argv[j], c->argvlen[j]);
        if (cmd) cmd_docs_reply_info(c, cmd);
        else reply_null(c); /* RESP2 $-1, as Redis */
    }
}

static void cmd_command_docs(client *c) {
    if (c->argc == 2) {
        size_t n = command_count();
        reply_map(c, (long)n);
        for (size_t i = 0; i < n; i++) {
            reply_bulk_cstr(c, command_at(i)->fullname);
            cmd_docs_reply_docs(c, command_at(i));
        }
        return;
    }
    /* Unknown names are left out of the map. */
    void *h = reply_deferred(c);
    long found = 0;
    for (int j = 2; j < c->argc; j++) {
        command *cmd = lookup_fullname(c->argv[j], c->argvlen[j]);
        if (!cmd) continue;
        reply_bulk_cstr(c, cmd->fullname);
        cmd_docs_reply_docs(c, cmd);
        found++;
    }
    reply_set_deferred(c, h, '%', found);
}

static bool command_matches(client *c, const command *cmd, int filter, const char *arg, size_t alen) {
    if (filter == 0) return true;
    if (filter == 1) return false; /* MODULE: we have no modules */
    if (filter == 2) return (cmd->acl & cmd_docs_acl_category(arg)) != 0; /* ACLCAT */
    (void)c;
    return glob_match(arg, alen, cmd->fullname, strlen(cmd->fullname), true);
}

static void cmd_command_list(client *c) {
    int filter = 0;
    const char *arg = NULL;
    size_t alen = 0;
    if (c->argc == 5 && arg_is(c, 2, "filterby")) {
        if (arg_is(c, 3, "module")) filter = 1;
        else if (arg_is(c, 3, "aclcat")) filter = 2;
        else if (arg_is(c, 3, "pattern")) filter = 3;
        else {
            reply_err_syntax(c);
            return;
        }
        arg = c->argv[4];
        alen = c->argvlen[4];
    } else if (c->argc != 2) {
        reply_err_syntax(c);
        return;
    }
    void *h = reply_deferred(c);
    long count = 0;
    for (size_t i = 0; i < command_count(); i++) {
        command *cmd = command_at(i);
        if (command_matches(c, cmd, filter, arg, alen)) {
            reply_bulk_cstr(c, cmd->fullname);
            count++;
        }
        if (cmd->subcommands)
            for (command *s = cmd->subcommands; s->name; s++)
                if (command_matches(c, s, filter, arg, alen)) {
                    reply_bulk_cstr(c, s->fullname);
                    count++;
                }
    }
    reply_set_deferred(c, h, '*', count);
}

static void cmd_command_getkeys(client *c) {
    command *cmd = command_lookup(c->argv[2], c->argvlen[2]);
    int argc = c->argc - 2;
    if (cmd && cmd->subcommands && !cmd->proc && argc >= 2)
        cmd = command_lookup_sub(cmd, c->argv[3], c->argvlen[3]);
    /* Redis 7.0's order of checks. */
    if (!cmd) {
        reply_error(c, "ERR Invalid command specified");
        return;
    }
    if (!cmd_docs_has_keys(cmd)) {
        reply_error(c, "ERR The command has no key arguments");
        return;
    }
    if (!command_arity_ok(cmd, argc)) {
        reply_error(c, "ERR Invalid number of arguments specified for command");
        return;
    }
    int *pos = cn_malloc(sizeof(int) * (size_t)argc);
    int n = cmd->getkeys ? cmd->getkeys(argc, c->argv + 2, c->argvlen + 2, pos, argc)
                         : cmd_docs_key_positions(cmd, argc, c->argv + 2, c->argvlen + 2, pos, argc);
    if (n <= 0) {
        reply_error(c, "ERR Invalid arguments specified for command");
    } else {
        reply_array(c, n);
        for (int j = 0; j < n; j++) reply_bulk(c, c->argv[pos[j] + 2], c->argvlen[pos[j] + 2]);
    }
    cn_free(pos);
}

static void cmd_command_help(client *c) {
    static const char *const help[] = {
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)",
        "    Return details about all commands.",
        "COUNT",
        "    Return the total number of commands in this server.",
        "LIST",
        "    Return a list of all commands in this server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full command.",
        "HELP",
        "    Prints this help.",
        NULL};
    reply_help(c, help);
}

/* ---------------------------------------------------------------- misc */

static void cmd_time(client *c) {
    int64_t us = clock_us();
    reply_array(c, 2);
    reply_bulk_ll(c, us / 1000000);
    reply_bulk_ll(c, us % 1000000);
}

/* WAIT numreplicas timeout: Cairn has no replicas yet, so no write is ever
 * acknowledged by one: 0 at once when that is enough, else 0 after the timeout
 * (0 = wait for ever), as Redis answers without replicas. */
static void cmd_wait(client *c) {
    long long want, ms;
    if (!arg_ll_or_reply(c, 1, &want)) return;
    if (!arg_timeout_ms_or_reply(c, 2, &ms)) return;
    const long long acked = 0;
    if (acked >= want) {
        reply_int(c, acked);
        return;
    }
    block_for_time(c, ms ? server.now_ms + ms : 0, acked);
}

static void cmd_lastsave(client *c) { reply_int(c, (long long)server.lastsave); }

static void cmd_save(client *c) {
    if (persist_bgsave_running()) {
        reply_error(c, "ERR Background save already in progress");
        return;
    }
    if (persist_save_now() == CN_OK) reply_ok(c);
    else reply_error(c, "ERR");
}

static void cmd_bgsave(client *c) {
    bool schedule = false;
    if (c->argc == 2 && arg_is(c, 1, "schedule")) {
        schedule = true;
    } else if (c->argc > 1) {
        reply_err_syntax(c);
        return;
    }
    char err[256];
    if (persist_bgsave_running()) {
        reply_error(c, "ERR Background save already in progress");
    } else if (persist_child_running()) {
        if (schedule) {
            persist_schedule_bgsave();
            reply_simple(c, "Background saving scheduled");
        } else {
            reply_error(c, "ERR Another child process is active (AOF?): can't BGSAVE right now. "
                           "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
        }
    } else if (persist_bgsave(err, sizeof(err)) == CN_OK) {
        reply_simple(c, "Background saving started");
    } else {
        reply_errorf(c, "ERR %s", err);
    }
}

static void cmd_bgrewriteaof(client *c) {
    bool scheduled;
    char err[256];
    if (persist_aof_rewrite(&scheduled, err, sizeof(err)) != CN_OK)
        reply_errorf(c, "ERR %s", err);
    else if (scheduled)
        reply_simple(c, "Background append only file rewriting scheduled");
    else
        reply_simple(c, "Background append only file rewriting started");
}

static void cmd_monitor(client *c) {
    if (c->flags & CLIENT_MONITOR) return;
    c->flags |= CLIENT_MONITOR;
    server.monitors = cn_realloc(server.monitors, (server.nmonitors + 1) * sizeof(client *));
    server.monitors[server.nmonitors++] = c;
    reply_ok(c);
}

static void cmd_slowlog_get(client *c) {
    long long count = 10;
    if (c->argc == 3) {
        if (!num_parse_ll(c->argv[2], c->argvlen[2], &count) || count < -1) {
            reply_error(c, "ERR count should be greater than or equal to -1");
            return;
        }
        if (count == -1) count = (long long)server.slowlog_len;
    } else if (c->argc > 3) {
        /* Redis 7.0's text for a subcommand it parses itself. */
        reply_errorf(c, "ERR unknown subcommand or wrong number of arguments for '%.128s'. Try "
                        "SLOWLOG HELP.", c->argv[1]);
        return;
    }
    if (count > (long long)server.slowlog_len) count = (long long)server.slowlog_len;
    reply_array(c, count);
    for (long long i = 0; i < count; i++) {
        slowlog_entry *e = &server.slowlog[i];
        reply_array(c, 6);
        reply_int(c, e->id);
        reply_int(c, e->time);
        reply_int(c, e->duration_us);
        reply_array(c, e->argc);
        for (int a = 0; a < e->argc; a++) reply_bulk(c, e->argv[a], e->argvlen[a]);
        reply_bulk_cstr(c, e->peer);
        reply_bulk_cstr(c, e->name);
    }
}

static void cmd_slowlog_len(client *c) { reply_int(c, (long long)server.slowlog_len); }

static void cmd_slowlog_reset(client *c) {
    server_slowlog_reset();
    reply_ok(c);
}

static void cmd_slowlog_help(client *c) {
    static const char *const help[] = {
        "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
        "HELP",
        "    Prints this help.",
        NULL};
    reply_help(c, help);
}

static void cmd_shutdown(client *c) {
    int flags = SHUTDOWN_NOFLAGS;
    for (int j = 1; j < c->argc; j++) {
        if (arg_is(c, j, "nosave")) flags |= SHUTDOWN_NOSAVE;
        else if (arg_is(c, j, "save")) flags |= SHUTDOWN_SAVE;
        else if (arg_is(c, j, "now")) flags |= SHUTDOWN_NOW;
        else if (arg_is(c, j, "force")) flags |= SHUTDOWN_FORCE;
        else if (arg_is(c, j, "abort") && c->argc == 2) {
            reply_error(c, "ERR No shutdown in progress.");
            return;
        } else {
            reply_err_syntax(c);
            return;
        }
    }
    if ((flags & SHUTDOWN_SAVE) && (flags & SHUTDOWN_NOSAVE)) {
        reply_err_syntax(c);
        return;
    }
    if (server_prepare_shutdown(flags) != CN_OK) {
        reply_error(c, "ERR Errors trying to SHUTDOWN. Check logs.");
        return;
    }
    /* No reply: the connection closes as the server exits. */
    el_stop(server.loop);
}

/* DEBUG POPULATE count [prefix] [size]: keys prefix:0 .. prefix:count-1 (prefix
 * "key" by default) holding "value:N", cut or zero-padded to size bytes when size
 * is given. Existing keys are left alone. */
static void debug_populate(client *c) {
    long long count, size = 0;
    if (!num_parse_ll(c->argv[2], c->argvlen[2], &count) || count < 0 ||
        (c->argc == 5 && (!num_parse_ll(c->argv[4], c->argvlen[4], &size) || size < 0))) {
        reply_error(c, "ERR value is out of range, must be positive");
        return;
    }
    if (size > server.proto_max_bulk_len) {
        reply_error(c, "ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        return;
    }
    const char *prefix = c->argc >= 4 ? c->argv[3] : "key";
    size_t plen = c->argc >= 4 ? c->argvlen[3] : 3;
    sbuf key = {0}, val = {0};
    for (long long i = 0; i < count; i++) {
        key.len = 0;
        sbuf_catlen(&key, prefix, plen);
        sbuf_catfmt(&key, ":%lld", i);
        if (db_lookup_write_flags(c->db, key.buf, key.len, LOOKUP_NOTOUCH)) continue;
        val.len = 0;
        sbuf_catfmt(&val, "value:%lld", i);
        if (c->argc == 5) {
            size_t want = (size_t)size;
            if (val.len > want) val.len = want;
            while (val.len < want) sbuf_catlen(&val, "\0", 1);
        }
        db_add(c->db, obj_new_string(key.buf, key.len, val.buf, val.len, OBJ_NO_EXPIRE));
    }
    sbuf_free(&key);
    sbuf_free(&val);
    reply_ok(c);
}

/* DEBUG: the subset that tests and operators use. */
static void cmd_debug(client *c) {
    if (!config_access_allowed(c, server.enable_debug_command)) {
        reply_error(c, "ERR DEBUG command not allowed. If the enable-debug-command option is set "
                       "to \"local\", you can run it from a local connection, otherwise you "
                       "need to set this option in the configuration file, and then restart the "
                       "server.");
        return;
    }
    if (arg_is(c, 1, "sleep") && c->argc == 3) {
        double secs;
        if (!num_parse_double(c->argv[2], c->argvlen[2], &secs) || secs < 0) {
            reply_err_not_float(c);
            return;
        }
        struct timespec ts = {(time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9)};
        nanosleep(&ts, NULL);
        reply_ok(c);
    } else if (arg_is(c, 1, "populate") && c->argc >= 3 && c->argc <= 5) {
        debug_populate(c);
    } else if (arg_is(c, 1, "set-active-expire") && c->argc == 3) {
        server.active_expire = strcmp(c->argv[2], "0") != 0;
        reply_ok(c);
    } else if (arg_is(c, 1, "object") && c->argc == 3) {
        obj *o = db_peek(c->db, c->argv[2], c->argvlen[2]);
        if (!o) {
            reply_error(c, "ERR no such key");
            return;
        }
        char buf[256];
        snprintf(buf, sizeof(buf),
                 "Value at:%p refcount:1 encoding:%s serializedlength:%zu lru:%u lru_seconds_idle:%u",
                 (void *)o, obj_encoding_name(o),
                 o->type == OBJ_STRING ? obj_strlen(o) : obj_mem_usage(o), o->lru,
                 (server.lruclock - o->lru) & OBJ_LRU_MAX);
        reply_simple(c, buf);
    } else if (arg_is(c, 1, "reload")) {
        bool save = true, flush = true, merge = false;
        for (int j = 2; j < c->argc; j++) {
            if (arg_is(c, j, "merge")) merge = true;
            else if (arg_is(c, j, "noflush")) flush = false;
            else if (arg_is(c, j, "nosave")) save = false;
            else {
                reply_error(c, "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
                return;
            }
        }
        char err[1024];
        if (persist_debug_reload(save, flush, merge, err, sizeof(err)) != CN_OK) {
            reply_errorf(c, "ERR Error trying to load the snapshot: %s", err);
            return;
        }
        log_notice("DB reloaded by DEBUG RELOAD");
        reply_ok(c);
    } else if (arg_is(c, 1, "loadaof") && c->argc == 2) {
        char err[1024];
        if (persist_debug_loadaof(err, sizeof(err)) != CN_OK) {
            reply_errorf(c, "ERR %s", err);
            return;
        }
        log_notice("Append Only File loaded by DEBUG LOADAOF");
        reply_ok(c);
    } else if (arg_is(c, 1, "help")) {
        static const char *const help[] = {
            "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "LOADAOF",
            "    Flush the Append Only File buffer to disk, empty the dataset and reload it",
            "    from the Append Only File.",
            "OBJECT <key>",
            "    Show low level info about the key and associated value.",
            "POPULATE <count> [<prefix>] [<size>]",
            "    Create <count> string keys named key:<num>. If <prefix> is specified then",
            "    it is used instead of the 'key' prefix. These are not propagated to",
            "    replicas. Cache will not be flushed before populating the keys.",
            "RELOAD [option ...]",
            "    Save the snapshot on disk and reload it back to memory. Valid options:",
            "    * MERGE: conflicting keys will be loaded from the snapshot.",
            "    * NOFLUSH: the existing database will not be removed before load, but",
            "      conflicting keys will generate an exception and kill the server.",
            "    * NOSAVE: the database will be loaded from an existing snapshot file.",
            "SET-ACTIVE-EXPIRE <0|1>",
            "    Setting it to 0 disables expiring keys in background when they are not",
            "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
            "    default.",
            "SLEEP <seconds>",
            "    Stop the server for <seconds>. Decimals allowed.",
            "HELP",
            "    Print this help.",
            NULL};
        reply_help(c, help);
    } else {
        reply_errorf(c, "ERR unknown subcommand '%.128s'. Try DEBUG HELP.", c->argv[1]);
    }
}

static command command_subcommands[] = {
    {.name = "count", .proc = cmd_command_count, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_SLOW | ACL_CONNECTION, .group = "server", .since = "2.8.13",
     .summary = "Get total number of Redis commands", .complexity = "O(1)"},
    {.name = "info", .proc = cmd_command_info, .arity = -2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_SLOW | ACL_CONNECTION, .group = "server", .since = "2.8.13",
     .summary = "Get array of specific Redis command details, or all when no argument is given.",
     .complexity = "O(N) where N is the number of commands to look up",
     .history = "7.0.0 Allowed to be called with no argument to get info on all commands.",
     .tips = "nondeterministic_output_order", .args = "[command-name...]"},
    {.name = "docs", .proc = cmd_command_docs, .arity = -2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_SLOW | ACL_CONNECTION, .group = "server", .since = "7.0.0",
     .summary = "Get array of specific Redis command documentation",
     .complexity = "O(N) where N is the number of commands to look up",
     .tips = "nondeterministic_output_order", .args = "[command-name...]"},
    {.name = "list", .proc = cmd_command_list, .arity = -2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_SLOW | ACL_CONNECTION, .group = "server", .since = "7.0.0",
     .summary = "Get an array of Redis command names",
     .complexity = "O(N) where N is the total number of Redis commands",
     .tips = "nondeterministic_output_order",
     .args = "[FILTERBY filterby(MODULE module-name | ACLCAT category | PATTERN pattern:pattern)]"},
    {.name = "getkeys", .proc = cmd_command_getkeys, .arity = -4, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_SLOW | ACL_CONNECTION, .group = "server", .since = "2.8.13",
     .summary = "Extract keys given a full Redis command",
     .complexity = "O(N) where N is the number of arguments to the command"},
    {.name = "help", .proc = cmd_command_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_SLOW | ACL_CONNECTION, .group = "server", .since = "5.0.0",
     .summary = "Show helpful text about the different subcommands", .complexity = "O(1)"},
    {0}};

static command slowlog_subcommands[] = {
    {.name = "get", .proc = cmd_slowlog_get, .arity = -2,
     .flags = CMD_ADMIN | CMD_LOADING | CMD_STALE, .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS,
     .group = "server", .since = "2.2.12", .summary = "Get the slow log's entries",
     .complexity = "O(N) where N is the number of entries returned",
     .history = "4.0.0 Added client IP address, port and name to the reply.",
     .tips = "request_policy:all_nodes nondeterministic_output", .args = "[count:integer]"},
    {.name = "len", .proc = cmd_slowlog_len, .arity = 2,
     .flags = CMD_ADMIN | CMD_LOADING | CMD_STALE, .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS,
     .group = "server", .since = "2.2.12", .summary = "Get the slow log's length",
     .complexity = "O(1)",
     .tips = "request_policy:all_nodes response_policy:agg_sum nondeterministic_output"},
    {.name = "reset", .proc = cmd_slowlog_reset, .arity = 2,
     .flags = CMD_ADMIN | CMD_LOADING | CMD_STALE, .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS,
     .group = "server", .since = "2.2.12", .summary = "Clear all entries from the slow log",
     .complexity = "O(N) where N is the number of entries in the slowlog",
     .tips = "request_policy:all_nodes response_policy:all_succeeded"},
    {.name = "help", .proc = cmd_slowlog_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_SLOW, .group = "server", .since = "6.2.0",
     .summary = "Show helpful text about the different subcommands", .complexity = "O(1)"},
    {0}};

command cmd_table_server[] = {
    {.name = "info", .proc = cmd_info, .arity = -1, .flags = CMD_LOADING | CMD_STALE | CMD_SENTINEL,
     .acl = ACL_SLOW | ACL_DANGEROUS, .group = "server", .since = "1.0.0",
     .summary = "Get information and statistics about the server", .complexity = "O(1)",
     .history = "7.0.0 Added support for taking multiple section arguments.",
     .tips = "nondeterministic_output request_policy:all_shards response_policy:special",
     .args = "[section...]"},
    {.name = "command", .proc = cmd_command, .arity = -1,
     .flags = CMD_LOADING | CMD_STALE | CMD_SENTINEL, .acl = ACL_SLOW | ACL_CONNECTION,
     .group = "server", .since = "2.8.13", .summary = "Get array of Redis command details",
     .complexity = "O(N) where N is the total number of Redis commands",
     .tips = "nondeterministic_output_order", .subcommands = command_subcommands},
    {.name = "time", .proc = cmd_time, .arity = 1, .flags = CMD_LOADING | CMD_STALE | CMD_FAST,
     .acl = ACL_FAST, .group = "server", .since = "2.6.0",
     .summary = "Return the current server time", .complexity = "O(1)",
     .tips = "nondeterministic_output"},
    {.name = "wait", .proc = cmd_wait, .arity = 3, .flags = CMD_NOSCRIPT,
     .acl = ACL_SLOW | ACL_CONNECTION, .group = "generic", .since = "3.0.0",
     .summary = "Wait for the synchronous replication of all the write commands sent in the "
                "context of the current connection",
     .complexity = "O(1)", .tips = "request_policy:all_shards response_policy:agg_min",
     .args = "numreplicas:integer timeout:integer"},
    {.name = "lastsave", .proc = cmd_lastsave, .arity = 1,
     .flags = CMD_LOADING | CMD_STALE | CMD_FAST, .acl = ACL_ADMIN | ACL_FAST | ACL_DANGEROUS,
     .group = "server", .since = "1.0.0",
     .summary = "Get the UNIX time stamp of the last successful save to disk", .complexity = "O(1)",
     .tips = "nondeterministic_output"},
    {.name = "save", .proc = cmd_save, .arity = 1,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_NO_ASYNC_LOADING | CMD_NO_MULTI,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .group = "server", .since = "1.0.0",
     .summary = "Synchronously save the dataset to disk",
     .complexity = "O(N) where N is the total number of keys in all databases"},
    {.name = "bgsave", .proc = cmd_bgsave, .arity = -1,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_NO_ASYNC_LOADING,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .group = "server", .since = "1.0.0",
     .summary = "Asynchronously save the dataset to disk", .complexity = "O(1)",
     .history = "3.2.2 Added the `SCHEDULE` option.", .args = "[SCHEDULE+3.2.2]"},
    {.name = "bgrewriteaof", .proc = cmd_bgrewriteaof, .arity = 1,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_NO_ASYNC_LOADING,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .group = "server", .since = "1.0.0",
     .summary = "Asynchronously rewrite the append-only file", .complexity = "O(1)"},
    {.name = "monitor", .proc = cmd_monitor, .arity = 1,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .group = "server", .since = "1.0.0",
     .summary = "Listen for all requests received by the server in real time"},
    {.name = "slowlog", .arity = -2, .acl = ACL_SLOW, .group = "server", .since = "2.2.12",
     .summary = "A container for slow log commands", .complexity = "Depends on subcommand.",
     .subcommands = slowlog_subcommands},
    {.name = "shutdown", .proc = cmd_shutdown, .arity = -1,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_NO_MULTI | CMD_ALLOW_BUSY |
              CMD_SENTINEL,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .group = "server", .since = "1.0.0",
     .summary = "Synchronously save the dataset to disk and then shut down the server",
     .complexity = "O(N) when saving, where N is the total number of keys in all databases when "
                   "saving data, otherwise O(1)",
     .history = "7.0.0 Added the `NOW`, `FORCE` and `ABORT` modifiers.",
     .args = "[nosave_save(NOSAVE|SAVE)] [NOW+7.0.0] [FORCE+7.0.0] [ABORT+7.0.0]"},
    {.name = "debug", .proc = cmd_debug, .arity = -2,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .group = "server", .since = "1.0.0",
     .summary = "A container for debugging commands", .complexity = "Depends on subcommand.",
     .doc_flags = DOC_SYSCMD},
    {0}};
