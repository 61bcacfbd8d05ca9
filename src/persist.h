/* src/persist.h: persistence glue: snapshots and the append-only file over the keyspace.
 *
 * snapshot/ and aof/ know files, never databases (design.md). This module is their
 * source and sink over db.c, and it owns the server-side life of persistence: when to
 * save, the forked child, loading at start-up, the AOF's propagation and fsync, and the
 * INFO persistence fields.
 *
 * Snapshots.
 *  - persist_snapshot_save() walks every db and writes one record per live key
 *    (strings and integers as they are, listpack and intset values as their blocks,
 *    larger encodings as element streams; the absolute expire with each). It runs in
 *    the server for SAVE, SHUTDOWN and DEBUG RELOAD, and in a forked child for BGSAVE,
 *    the save rules and the AOF rewrite's base file. The snapshot writer's durable
 *    recipe (temp file, fsync, rename, fsync dir) means a failure or a crash leaves the
 *    previous file intact.
 *  - persist_snapshot_load() reads a file into the (empty) keyspace. Keys whose expire
 *    has passed are skipped, except in an AOF base, whose later commands may still
 *    refer to them (they expire after loading). Nothing is proven until the reader's
 *    SNAP_DONE: on an error the keyspace is flushed again and the caller refuses to
 *    start, naming the file and the offset.
 *
 * The child. At most one child at a time, a BGSAVE or an AOF rewrite (Redis's rule).
 * It shares the parent's memory copy-on-write; it writes its file and reports through a
 * pipe (status and the private memory it dirtied: rdb_last_cow_size). The parent reaps it
 * in persist_cron() and, for a rewrite, switches the AOF manifest. BGSAVE while a
 * rewrite runs is refused, or postponed with SCHEDULE.
 *
 * Propagation. call() hands every command that changed the keyspace to propagate()
 * after it returns, with the db it ran in. A command whose replay would not be exact
 * (a relative expire, a random pick, a blocking pop, a float increment) calls
 * propagate_instead() from its handler with the deterministic equivalent; call() then
 * skips the original. Keys that expire (lazily or actively) are propagated as DEL
 * (persist_propagate_removed) at the moment they go, so a replay never depends on the
 * clock. Propagated commands go to the AOF writer's buffer, preceded by SELECT when the
 * db changes; nothing is written to the file here.
 *
 * The AOF. persist_before_sleep() runs between fast expiry and replies: it writes the
 * buffer and fsyncs as appendfsync demands (aof/aof.h), so under `always` no reply
 * leaves before its write is on disk (group commit: one fsync per loop iteration).
 * While the AOF cannot be written, write commands get -MISCONF (persist_deny_write).
 * The layout is Redis 7's multi-part one: appenddirname/ holds a base file (in the
 * snapshot format, or RESP with aof-use-rdb-preamble no), incremental RESP files and
 * a manifest that names them. BGREWRITEAOF: the parent starts a new incremental file
 * (manifest saved), forks a child that writes a new base from its copy of the
 * dataset; on success the parent renames it into place, saves a manifest with the new
 * base and only the incremental files opened since the fork, and deletes the old
 * files. Writes never stop and none is lost: everything after the fork goes to the new
 * incremental file, which the new manifest keeps.
 *
 * Loading. At start-up (after the listeners are open) persist_load_at_startup() loads
 * the AOF when appendonly is yes, else the snapshot. While it loads, server.loading
 * is true, events are processed every LOADING_EVENTS_INTERVAL_MS and call() answers
 * commands without the loading flag with -LOADING. AOF commands run through
 * a client without a connection that may not block (CLIENT_DENY_BLOCKING).
 *
 * Ownership: persist.c owns the AOF writer, the manifest, the child's pipe and every
 * persistence statistic; the config fields it reads live in `server`.
 */
#ifndef CAIRN_PERSIST_H
#define CAIRN_PERSIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct client client;
typedef struct sbuf sbuf;

#define LOADING_EVENTS_INTERVAL_MS 100 /* serve clients (with -LOADING) this often */

/* Start-up: the AOF (appendonly yes) or the snapshot. CN_ERR (already logged) means
 * the server must not start. Opens the AOF for appending afterwards. */
int persist_load_at_startup(void);
/* Clean shutdown: kill a child, write and fsync the AOF, save when flags or the save
 * rules ask (SHUTDOWN_* in server.h). CN_ERR (logged) if a save that was asked failed. */
int persist_shutdown(int flags);
void persist_teardown(void);

/* --- snapshots --- */
/* Writes the whole keyspace to dir/filename. CN_OK or CN_ERR with err set. */
int persist_snapshot_save(const char *dir, const char *filename, char *err, size_t errlen);
enum {
    SNAPLOAD_SKIP_EXPIRED = 1, /* drop keys already expired (not in an AOF base) */
    SNAPLOAD_MERGE = 2,        /* a key already in the keyspace is replaced (DEBUG RELOAD MERGE) */
};
/* Loads path into the keyspace (which should be empty). CN_OK; or CN_ERR with err set
 * and the keyspace flushed again. *missing is set (and CN_OK returned) if the file does
 * not exist. */
int persist_snapshot_load(const char *path, int flags, bool *missing, char *err, size_t errlen);
/* SAVE: in the foreground. CN_OK, or CN_ERR (logged). Updates lastsave/dirty. */
int persist_save_now(void);
/* BGSAVE. CN_OK if a child started; CN_ERR with err ("Background save already in
 * progress", ...) otherwise. */
int persist_bgsave(char *err, size_t errlen);
bool persist_child_running(void);
bool persist_bgsave_running(void);
bool persist_rewrite_running(void);
/* BGSAVE SCHEDULE: run one as soon as the AOF rewrite finishes. */
void persist_schedule_bgsave(void);

/* FLUSHALL, after the flush (Redis's rule): a running BGSAVE is killed (its data is
 * gone), and with save rules the empty dataset is saved at once, so a crash cannot
 * bring the flushed keys back. FLUSHALL is always logged to the AOF. */
void persist_flushall_done(void);

/* --- AOF --- */
/* CONFIG SET appendonly yes/no: start (rewrite a base from the dataset) or stop. */
int persist_aof_enable(char *err, size_t errlen);
void persist_aof_disable(void);
/* CONFIG SET appendfsync. */
void persist_aof_policy_changed(void);
/* BGREWRITEAOF. CN_OK if started (or scheduled after a BGSAVE: *scheduled). */
int persist_aof_rewrite(bool *scheduled, char *err, size_t errlen);

/* Appends a command run in db dbid to the AOF buffer (SELECT first when needed). A
 * no-op when the AOF is off. */
void propagate(int dbid, int argc, const char *const *argv, const size_t *lens);
/* Whether propagated commands go anywhere (the AOF is on). A handler whose log entry
 * costs work to build (copies, allocations) skips it when not. */
bool propagating(void);
/* From a command handler: propagate this instead of the client's own argv (may be
 * called more than once; each call adds a command). */
void propagate_instead(client *c, int argc, const char *const *argv, const size_t *lens);
/* A unit: everything propagated between begin and end (EXEC's commands, the
 * expiries they cause) is one change. A unit of more than one command is written
 * inside MULTI ... EXEC, so a replay applies all of it or none; a single command
 * is written alone (as Redis 7 does). Units nest; the outermost counts. */
void propagate_unit_begin(void);
void propagate_unit_end(void);
/* db.c: the server removed key (in db dbid) by expiry or eviction: DEL key. */
void persist_propagate_removed(int dbid, const char *key, size_t klen);
/* Bytes the AOF's buffers hold (allocator sizes): not dataset, so not counted
 * against maxmemory (evict.h). */
size_t persist_aof_buffer_mem(void);

/* Before-sleep, between fast expiry and replies: write and fsync per policy. */
void persist_before_sleep(void);
/* Cron: reap the child, save rules, auto rewrite, retry failed AOF writes. */
void persist_cron(void);

/* Writes refused? Returns the error to reply (-MISCONF ...) or NULL. */
const char *persist_deny_write(void);

/* DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save (unless !save), flush (unless !flush),
 * load the snapshot. DEBUG LOADAOF: write and fsync the AOF, flush, replay it. CN_ERR
 * with err set. Neither serves clients while it loads. */
int persist_debug_reload(bool save, bool flush, bool merge, char *err, size_t errlen);
int persist_debug_loadaof(char *err, size_t errlen);

/* INFO persistence (and the loading fields). */
void persist_info(sbuf *b);

#endif
