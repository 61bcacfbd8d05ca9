/* src/memory.h: the memory figures that INFO memory and MEMORY STATS report, and
 * MEMORY DOCTOR's reading of them.
 *
 * What it does. memory_overhead_get() fills one memory_overhead from the
 * allocator's counters (utils/alloc.h), the clients, the AOF buffer and the
 * databases, once; INFO memory (cmd_server.c), MEMORY STATS and MEMORY DOCTOR
 * (cmd_memory.c) all format that same struct, so their figures always agree.
 *
 * Terms, as Redis 7.0 defines them (getMemoryOverheadData):
 *   total    cn_used_memory(): every byte allocated through utils/alloc.c, from
 *            jemalloc's real size of each block (used_memory).
 *   startup  total at the end of start-up, before the dataset is loaded
 *            (memory_record_startup(), called once from main.c).
 *   peak     the highest total seen (server.stat_peak_memory; raised here too,
 *            so peak >= total in every report).
 *   overhead startup + client buffers (all of Cairn's clients are "normal": no
 *            replicas) + the AOF buffer + per db with keys: its keyspace table
 *            (buckets and child buckets, ht_mem_usage) and its expire heap's
 *            array. Replication backlog, replica clients, cluster links, Lua and
 *            function caches are 0: Cairn has none of them.
 *   dataset  total - overhead (0 if the overhead is larger). So the objects
 *            (keys are embedded in them, object.h) and their values are the
 *            dataset, where Redis counts a dictEntry and an robj per key as
 *            overhead.
 *   dataset.percentage, keys.bytes-per-key: against total - startup (1 if not
 *            above startup), as Redis computes them.
 *   allocator.*  jemalloc's stats.allocated/active/resident (0 without jemalloc:
 *            sanitizer builds); rss is the process's resident set (/proc).
 *   ratios   allocator-fragmentation active/allocated, allocator-rss
 *            resident/active, rss-overhead rss/resident, fragmentation rss/total;
 *            each with its difference in bytes (signed). A ratio with a zero
 *            denominator is 0. Ratios and percentages are floats, as in Redis, so
 *            MEMORY STATS prints them with the same digits.
 *
 * Ownership: memory_overhead_get() allocates the per-db array;
 * memory_overhead_deinit() frees it. No I/O, no replies: callers format.
 *
 *   memory_overhead mh;
 *   memory_overhead_get(&mh);
 *   ... mh.dataset, mh.db[i].ht_main ...
 *   memory_overhead_deinit(&mh);
 */
#ifndef CAIRN_MEMORY_H
#define CAIRN_MEMORY_H

#include <stddef.h>

#include "../utils/alloc.h"
#include "../utils/sbuf.h"

/* One non-empty db's overhead (MEMORY STATS "db.N"). */
typedef struct memory_db_overhead {
    int dbid;
    size_t ht_main;    /* overhead.hashtable.main: the keyspace table */
    size_t ht_expires; /* overhead.hashtable.expires: the expire heap's array */
} memory_db_overhead;

typedef struct memory_overhead {
    size_t total_allocated, startup_allocated, peak_allocated;
    size_t repl_backlog, clients_slaves, clients_normal, cluster_links, aof_buffer;
    size_t lua_caches, functions_caches;
    memory_db_overhead *db; /* num_dbs entries, in db order; owned */
    size_t num_dbs;
    size_t overhead_total, total_keys, bytes_per_key, dataset;
    float dataset_perc, peak_perc;
    size_t process_rss;
    cn_alloc_stats alloc;
    float allocator_frag, allocator_rss, rss_extra, total_frag;
    long long allocator_frag_bytes, allocator_rss_bytes, rss_extra_bytes, total_frag_bytes;
} memory_overhead;

/* Records the memory in use now as the start-up memory (used_memory_startup). */
void memory_record_startup(void);

void memory_overhead_get(memory_overhead *mh);
void memory_overhead_deinit(memory_overhead *mh);

/* MEMORY DOCTOR: a report for a person, appended to out (from a fresh
 * memory_overhead): a word that the instance is too empty to judge, that all is
 * well, or a paragraph per problem found (fragmentation, RSS overhead, a peak
 * far above the current use, big client buffers). */
void memory_doctor_report(sbuf *out);

/* The machine's memory in bytes (INFO's total_system_memory), 0 if unknown. */
size_t memory_system_total(void);

/* Bytes the server may still take for something the request, not the data, sizes (a
 * reply of a caller-chosen number of picks): maxmemory when set, else the machine's
 * memory, less used_memory; 0 when none is left. */
size_t memory_headroom(void);

#endif
