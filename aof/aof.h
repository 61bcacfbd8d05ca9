/* aof/aof.h: the append-only file: writer, fsync policy, manifest, loader.
 *
 * What it does. Three building blocks the server's persistence glue (src/persist.c)
 * puts together; the file formats are described in aof/FORMAT.md.
 *
 *  1. The writer. aof_append() encodes one command as a RESP multibulk into an
 *     in-memory buffer (no syscall). aof_flush() write()s the buffer to the file;
 *     aof_write_and_sync() is the whole before-sleep step: write, then fsync as the
 *     policy demands (appendfsync always|everysec|no).
 *       always:   the server calls it once per event-loop iteration, after every
 *                 command of the iteration was appended and before any reply is
 *                 written: one fdatasync covers every client (group commit).
 *       everysec: a background thread fdatasyncs the file about once a second. The
 *                 main thread never waits for it; while that fsync is slow, writes
 *                 are postponed for up to AOF_MAX_POSTPONE_US (Redis's rule), then
 *                 done anyway and counted in delayed_fsyncs.
 *       no:       write() only; the kernel decides when the data reaches the disk.
 *  2. The manifest: a small text file naming the base file (a snapshot, or a RESP
 *     log) and the ordered incremental files. Saved with the durable recipe (temp
 *     file, fsync, rename, fsync the directory), so switching it is atomic: a reader
 *     sees the old manifest or the new one, never a mix. Parsed as hostile input.
 *  3. The loader: reads a RESP log in bounded chunks and hands out one command at a
 *     time. A file cut inside its last command is AOF_TRUNCATED (with the offset where
 *     the complete commands end, for aof-load-truncated and `cairn-check aof --fix`);
 *     anything else that is not a well-formed multibulk command is an error that
 *     names the file and the offset.
 *
 * Terms. A "command" is argc, argv, lens: argc >= 1 binary-safe arguments, argument i
 * is lens[i] bytes at argv[i]. The server logs commands already rewritten for replay
 * (relative expiries as absolute times, SELECT when the database changes); this module
 * never looks inside a command. "Offset" is a byte offset from the start of a file.
 * A "name" is a file name inside the AOF directory (appenddirname): no '/', see
 * aof_name_valid().
 *
 * Ownership. The writer owns its fd from aof_writer_create() on and closes it (the
 * everysec thread closes retired fds after a last fdatasync). The manifest owns its
 * strings. The loader owns its buffer; argv handed out by aof_loader_next() points
 * into it and is valid until the next call on that loader.
 *
 * Invariants.
 *  - aof_append() never does I/O and never fails; bytes leave the buffer only once
 *    write() reported them written, so after an error the unwritten tail is kept and
 *    the next flush continues exactly where the file ends: the file never has a gap
 *    or a repeated byte.
 *  - A reply may be sent once aof_write_and_sync() returned AOF_OK under `always`.
 *  - Only the everysec thread touches the fd concurrently, and only to fdatasync it;
 *    the fields it shares with the main thread are atomics or under the writer's
 *    mutex.
 *
 * What it never does: look at clients, databases or values; log; read globals other
 * than errno; allocate without utils/alloc.h. Errors on set-up paths (manifest,
 * loading, truncating) fill the caller's `err` buffer with a message a person can act
 * on; the writer reports errno values and counters, the server decides what to log.
 *
 * Usage (the server's before-sleep and BGREWRITEAOF, sketched):
 *
 *   aof_writer *w = aof_writer_create(fd, AOF_FSYNC_EVERYSEC);
 *   ...  // per write command:  aof_append(w, argc, argv, lens);
 *   ...  // before_sleep, after fast expiry and before replies:
 *   aof_status st = aof_write_and_sync(w, false, clock_mono_us());
 *   if (st == AOF_ERR) ...  // aof_writer_stats_get(): write_errno, fsync_errno
 *   ...  // BGREWRITEAOF start: a new incremental file takes the writes
 *   aof_manifest next; aof_manifest_copy(&next, &cur);
 *   const char *incr = aof_manifest_add_incr(&next, "appendonly.aof");
 *   open dir/incr; aof_manifest_save(dir, manifest_name, &next, err, sizeof err);
 *   aof_write_and_sync(w, true, now); aof_writer_switch_fd(w, newfd);
 *   ...  // rewrite done: the child's base file renamed to aof_manifest_new_base()'s name,
 *   ...  // aof_manifest_drop_incr_before(&next, seq of incr); save; delete old files
 */
#ifndef CAIRN_AOF_H
#define CAIRN_AOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef enum {
    AOF_OK = 0,
    AOF_ERR = -1,      /* err / errno says why */
    AOF_TRUNCATED = 1, /* loader: the file ends inside a command */
    AOF_EOF = 2,       /* loader: no more commands, the file ended cleanly */
    AOF_NOT_FOUND = 3, /* aof_manifest_load: there is no manifest (no AOF yet) */
    AOF_POSTPONED = 4, /* aof_write_and_sync: everysec write postponed, not an error */
} aof_status;

/* ---- writer ------------------------------------------------------------------ */

typedef enum { AOF_FSYNC_NO = 0, AOF_FSYNC_ALWAYS = 1, AOF_FSYNC_EVERYSEC = 2 } aof_fsync_policy;

#define AOF_EVERYSEC_INTERVAL_MS 1000      /* the background fdatasync period */
#define AOF_MAX_POSTPONE_US      2000000LL /* Redis: postpone a write for a slow fsync up to 2 s */
#define AOF_BUF_KEEP_MAX         (64 * 1024) /* a larger empty buffer is given back after a flush */

typedef struct aof_writer aof_writer;

typedef struct aof_writer_stats {
    size_t buffered;                   /* bytes appended, not yet written */
    size_t buffer_alloc;               /* allocator size of the buffer holding them */
    long long written;                 /* bytes written to the file(s) by this writer */
    unsigned long long fsyncs;         /* successful fdatasyncs (either thread) */
    unsigned long long delayed_fsyncs; /* everysec writes done while an fsync was still slow */
    int write_errno;                   /* errno of the last failed write, 0 after a full flush */
    int fsync_errno;                   /* errno of the last failed fdatasync, 0 after a good one */
    bool fsync_in_progress;            /* the everysec thread is inside fdatasync now */
    int64_t last_fsync_us;             /* clock_mono_us() of the last good fdatasync (creation
                                        * time until the first one) */
} aof_writer_stats;

/* A writer that appends to fd (opened O_WRONLY|O_APPEND or positioned at the end; it
 * takes ownership of fd). Starts the everysec thread if the policy is everysec. */
aof_writer *aof_writer_create(int fd, aof_fsync_policy policy);
/* Stops the everysec thread (waiting for an fdatasync in flight), closes the fd and
 * any retired fds, frees everything. Does NOT write the buffer and does not fsync:
 * call aof_write_and_sync(w, true, ...) and aof_fsync_now() first for a clean
 * shutdown. Accepts NULL. */
void aof_writer_destroy(aof_writer *w);

/* Encodes "*argc\r\n" then "$len\r\n<bytes>\r\n" per argument into the buffer.
 * argc >= 1; arguments are binary-safe (lens[i] may be 0). No I/O. */
void aof_append(aof_writer *w, int argc, const char *const *argv, const size_t *lens);
/* Appends bytes that are already RESP (a command encoded elsewhere). */
void aof_append_raw(aof_writer *w, const char *p, size_t len);

/* write()s the whole buffer, retrying partial writes and EINTR. AOF_OK when the
 * buffer is empty; AOF_ERR on any other error (ENOSPC, EIO, EAGAIN on a non-blocking
 * fd ...): write_errno says which, the bytes written so far have left the buffer and
 * the rest stay for the next call. Never fsyncs. */
aof_status aof_flush(aof_writer *w);

/* The before-sleep step, per policy. `force` (shutdown, rewrite start, policy change)
 * never postpones. now_us is clock_mono_us().
 *  always:   flush, then fdatasync if anything was written since the last one.
 *            AOF_OK means every appended byte is on disk.
 *  everysec: if the background fdatasync is in progress and !force: AOF_POSTPONED
 *            (nothing written) until it has been so for AOF_MAX_POSTPONE_US; then the
 *            write goes ahead and delayed_fsyncs counts it. Otherwise flush; the
 *            thread syncs later. AOF_ERR also when the thread's last fdatasync failed
 *            (fsync_errno), so the server can refuse writes as Redis does.
 *  no:       flush.
 * AOF_ERR: see aof_writer_stats_get() (write_errno / fsync_errno). */
aof_status aof_write_and_sync(aof_writer *w, bool force, int64_t now_us);

/* Blocking fdatasync of the current fd on the calling thread (shutdown, tests).
 * Does not write the buffer. AOF_OK or AOF_ERR with errno set. */
aof_status aof_fsync_now(aof_writer *w);

/* Changes the policy: starts or stops (joins) the everysec thread as needed. */
void aof_writer_set_policy(aof_writer *w, aof_fsync_policy policy);
aof_fsync_policy aof_writer_policy(const aof_writer *w);

/* Makes newfd the file the writer appends to (taking ownership of it). The buffer
 * must be empty (flush first; AOF_ERR otherwise, nothing changes): a command is never
 * split across two files. The old fd is retired without blocking: under everysec the
 * thread fdatasyncs and closes it; otherwise it is fdatasync'ed (always) or just
 * closed (no) here. */
aof_status aof_writer_switch_fd(aof_writer *w, int newfd);

void aof_writer_stats_get(const aof_writer *w, aof_writer_stats *out);
/* Redis's rule, exposed on its own for INFO and for callers that schedule writes
 * themselves: is the everysec fdatasync running now, and for how long since the last
 * good one (in whole seconds, 0 if never behind)? */
bool aof_fsync_in_progress(const aof_writer *w);
int64_t aof_seconds_since_fsync(const aof_writer *w, int64_t now_us);

/* Tests only: the everysec period (default AOF_EVERYSEC_INTERVAL_MS). */
void aof_writer_set_everysec_interval_ms(aof_writer *w, int ms);
/* Tests and DEBUG only: while held, the everysec thread's next fdatasync of the current
 * file waits before starting, with "in progress" already true (a slow disk). */
void aof_writer_debug_hold_fsync(aof_writer *w, bool hold);

/* ---- manifest ------------------------------------------------------------------ */

typedef enum { AOF_BASE_SNAPSHOT = 0, AOF_BASE_RESP = 1 } aof_base_type;

#define AOF_NAME_MAX         255       /* a file name in the manifest */
#define AOF_MANIFEST_MAX     (1 << 20) /* the largest manifest file accepted (bytes) */
#define AOF_MANIFEST_VERSION 1

typedef struct aof_file {
    long long seq; /* >= 1; one sequence for base and incremental files */
    char *name;
} aof_file;

typedef struct aof_manifest {
    bool has_base;
    aof_base_type base_type;
    aof_file base;  /* valid if has_base */
    aof_file *incr; /* replay order: strictly increasing seq */
    size_t nincr, incr_cap;
} aof_manifest;

/* Embeds an empty manifest (no base, no incremental files). Allocates nothing. */
void aof_manifest_init(aof_manifest *m);
/* Frees the strings and the array; m is empty again. */
void aof_manifest_deinit(aof_manifest *m);
/* dst = deep copy of src (dst must be initialised; its old contents are freed). */
void aof_manifest_copy(aof_manifest *dst, const aof_manifest *src);

/* True if name can go into a manifest: 1..AOF_NAME_MAX bytes of printable ASCII
 * other than space and '/', and not "." or "..". Config checks appendfilename and
 * appenddirname's leaf with it. */
bool aof_name_valid(const char *name);

/* The next sequence number: 1 + the largest seq in m (1 for an empty manifest). */
long long aof_manifest_next_seq(const aof_manifest *m);
/* Appends a new incremental file "<prefix>.<seq>.incr.aof" with the next seq and
 * returns its name (borrowed from m). prefix is appendfilename. */
const char *aof_manifest_add_incr(aof_manifest *m, const char *prefix);
/* Replaces the base with "<prefix>.<seq>.base.snap" (or ".base.aof" for a RESP base)
 * with the next seq; returns its name (borrowed). The old base name is forgotten:
 * the caller deletes the old file after the new manifest is saved. */
const char *aof_manifest_new_base(aof_manifest *m, const char *prefix, aof_base_type type);
/* Drops the incremental files with seq < seq (those the new base already holds). */
void aof_manifest_drop_incr_before(aof_manifest *m, long long seq);
/* The name of the incremental file being appended to (the last one), or NULL. */
const char *aof_manifest_last_incr(const aof_manifest *m);
/* True if name is the base or one of the incremental files (to find obsolete files). */
bool aof_manifest_contains(const aof_manifest *m, const char *name);
/* "<prefix>.manifest" into out (size outlen); false if it does not fit. */
bool aof_manifest_filename(const char *prefix, char *out, size_t outlen);

/* Serialises m (FORMAT.md) into a new cn_malloc'ed buffer; *len gets its length
 * (it is also NUL-terminated). The caller cn_free()s it. */
char *aof_manifest_format(const aof_manifest *m, size_t *len);
/* Parses buf[0..len) into m (initialised, emptied first). On AOF_ERR m is empty and
 * err holds "line N: reason" (or "manifest: reason" for whole-file problems). */
aof_status aof_manifest_parse(const char *buf, size_t len, aof_manifest *m, char *err,
                              size_t errlen);
/* Reads dir/name (at most AOF_MANIFEST_MAX bytes) and parses it. AOF_NOT_FOUND if the
 * file does not exist; AOF_ERR with err "PATH: line N: reason" or "PATH: <strerror>". */
aof_status aof_manifest_load(const char *dir, const char *name, aof_manifest *m, char *err,
                             size_t errlen);
/* Writes m to dir/name with the durable recipe: dir/name.tmp written, fsync'ed,
 * renamed over dir/name, then dir fsync'ed. On AOF_ERR the old dir/name is untouched,
 * the temp file is removed, err says which step failed. */
aof_status aof_manifest_save(const char *dir, const char *name, const aof_manifest *m, char *err,
                             size_t errlen);

/* ---- loader ------------------------------------------------------------------ */

#define AOF_LOAD_CHUNK (64 * 1024) /* bytes per read() */

typedef struct aof_loader aof_loader;

/* Opens path for loading. max_bulk_len is proto-max-bulk-len (0: Redis's default): a
 * longer argument is corruption, and no larger buffer is ever allocated. AOF_ERR with
 * err "PATH: <strerror>" if it cannot be opened (*out NULL). */
aof_status aof_loader_open(const char *path, long long max_bulk_len, aof_loader **out, char *err,
                           size_t errlen);
/* The next command.
 *  AOF_OK:        *argc, *argv, *lens set (pointing into the loader, valid until the next
 *                 call); aof_loader_offset() is now the end of this command.
 *  AOF_EOF:       the file ended after a complete command (or is empty).
 *  AOF_TRUNCATED: the file ends inside a command; aof_loader_offset() is where the
 *                 complete commands end (truncate there to repair); err says so.
 *  AOF_ERR:       corruption or an I/O error; err is "PATH: offset N: reason" where N
 *                 is the start of the bad command (== aof_loader_offset()).
 * After anything but AOF_OK, further calls return the same status. */
aof_status aof_loader_next(aof_loader *l, int *argc, const char ***argv, const size_t **lens,
                           char *err, size_t errlen);
/* Bytes of complete commands so far. */
off_t aof_loader_offset(const aof_loader *l);
/* Commands returned so far. */
long long aof_loader_commands(const aof_loader *l);
/* Closes the file and frees the loader. Accepts NULL. */
void aof_loader_close(aof_loader *l);

/* Sink of aof_load(): return 0 to go on, anything else to stop with AOF_ERR (the sink
 * keeps its own reason in priv; err then says which command at which offset). */
typedef int aof_sink(void *priv, int argc, const char **argv, const size_t *lens);

typedef struct aof_load_info {
    long long commands; /* commands given to the sink */
    off_t valid_len;    /* bytes of complete commands (the truncation point) */
    off_t file_size;    /* bytes read in total */
} aof_load_info;

/* Whole-file convenience: every command to sink, in order. Returns AOF_OK (clean end),
 * AOF_TRUNCATED (info->valid_len is where to cut), or AOF_ERR (err as for
 * aof_loader_next, or "PATH: offset N: command 'NAME' refused" when the sink stopped). */
aof_status aof_load(const char *path, long long max_bulk_len, aof_sink *sink, void *priv,
                    aof_load_info *info, char *err, size_t errlen);

/* Cuts path to offset bytes and fsyncs it (aof-load-truncated, `cairn-check aof --fix`).
 * AOF_ERR with err "PATH: <reason>" (also if offset is beyond the end). */
aof_status aof_truncate(const char *path, off_t offset, char *err, size_t errlen);

#endif
