/* src/persist.c: persistence glue: snapshots and the append-only file over the
 * keyspace. The contract is in persist.h; the file formats in snapshot/FORMAT.md and
 * aof/FORMAT.md. */
#include "persist.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../aof/aof.h"
#include "../snapshot/snapshot.h"
#include "../utils/clock.h"
#include "../utils/fs.h"
#include "../utils/ht.h"
#include "../utils/intset.h"
#include "../utils/listpack.h"
#include "../utils/sbuf.h"
#include "elements.h"
#include "latency.h"
#include "multi.h"
#include "server.h"
#include "set.h"

#define BGSAVE_RETRY_DELAY_S 5 /* a failed background save is retried after this (Redis) */
#define LOADING_LOG_INTERVAL_MS 5000

enum { CHILD_NONE = 0, CHILD_BGSAVE, CHILD_REWRITE };

/* What a child tells its parent through the pipe before it exits. */
typedef struct child_report {
    int status;        /* CN_OK or CN_ERR */
    size_t cow_bytes;  /* private memory it dirtied (copy-on-write) */
    char err[256];
} child_report;

static struct {
    /* The child (at most one). */
    pid_t child_pid;
    int child_type;
    int child_pipe; /* read end; -1 when no child */
    int64_t child_start_ms;
    long long dirty_at_fork;
    bool bgsave_scheduled;

    /* Snapshots. */
    int last_bgsave_status; /* CN_OK / CN_ERR */
    int64_t last_bgsave_try_s;
    long long last_bgsave_time_s;
    long long rdb_saves;
    size_t rdb_last_cow;
    long long last_load_keys_loaded, last_load_keys_expired;

    /* The AOF. */
    aof_writer *w;       /* NULL when appendonly is off (or not yet open) */
    aof_manifest man;    /* the manifest on disk (or, while manifest_pending, to be) */
    bool manifest_pending; /* enabled at run time: no manifest until the first base exists */
    int selected_db;     /* db of the last command appended to the current file; -1 */
    int last_write_errno; /* 0 while the AOF is written fine */
    char write_error_reply[128]; /* -MISCONF text for last_write_errno */
    long long rewrite_base_size; /* AOF size after the last rewrite (auto rewrite) */
    long long size_at_open;      /* bytes of the AOF files when the writer opened */
    long long written_at_open;   /* the writer's `written` counter then */
    bool rewrite_scheduled;
    long long rewrite_incr_seq;  /* the incremental file opened for the running rewrite */
    char rewrite_base_name[AOF_NAME_MAX + 1];
    int rewrite_base_type;
    int last_rewrite_status;
    long long last_rewrite_time_s;
    long long rewrites, rewrites_failed_in_row;
    size_t aof_last_cow;

    /* Loading. */
    bool serve_while_loading; /* process events while loading (start-up only) */
    int64_t loading_start_s;
    int64_t loading_start_mono_ms, last_events_ms, last_log_ms;
    uint64_t loading_total, loading_done;
    client *loader;           /* the connectionless client replaying the AOF */
    sbuf loader_args;         /* its current command's arguments, NUL-terminated */
    const char **loader_argv;
    size_t *loader_lens, loader_cap;
} ps = {.child_pipe = -1,
        .selected_db = -1,
        .last_bgsave_time_s = -1,
        .last_rewrite_time_s = -1};

/* ---------------------------------------------------------------- small helpers */

static const char *aof_dir(void) { return server.aof_dirname; }

static void aof_path(char *out, size_t len, const char *name) {
    snprintf(out, len, "%s/%s", aof_dir(), name);
}

/* aof-use-rdb-preamble: the format new base files are written in. */
static int aof_base_type_configured(void) {
    return server.aof_use_snapshot_base ? AOF_BASE_SNAPSHOT : AOF_BASE_RESP;
}

static bool manifest_name(char *out, size_t len) {
    return aof_manifest_filename(server.aof_filename, out, len);
}

static long long file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

/* ---------------------------------------------------------------- snapshot: writing */

static void put_elem(void *ud, const char *s, size_t len) {
    snap_write_elements_add(ud, s, len);
}
static void put_pair(void *ud, const char *f, size_t flen, const char *v, size_t vlen) {
    snap_write_elements_add_pair(ud, f, flen, v, vlen);
}
static void put_scored(void *ud, const char *m, size_t mlen, double score) {
    snap_write_elements_add_scored(ud, m, mlen, score);
}

/* One key. Object types and snapshot types share their numbers (OBJ_* = SNAP_TYPE_*). */
static snap_status snapshot_put(snap_writer *w, obj *o) {
    const char *key = obj_key(o);
    size_t klen = obj_keylen(o);
    int64_t exp = obj_expire(o); /* OBJ_NO_EXPIRE == SNAP_NO_EXPIRE */
    if (o->type == OBJ_STRING) {
        if (o->encoding == OBJ_ENC_INT) return snap_write_int(w, key, klen, exp, obj_int(o));
        char buf[32];
        size_t len;
        const char *s = obj_str(o, buf, &len);
        return snap_write_string(w, SNAP_TYPE_STRING, key, klen, exp, s, len);
    }
    if (o->encoding == OBJ_ENC_LISTPACK) {
        lp *l = obj_ptr(o);
        return snap_write_blob(w, o->type, SNAP_KIND_LISTPACK, key, klen, exp, l, lp_used(l));
    }
    if (o->encoding == OBJ_ENC_INTSET) {
        intset *is = obj_ptr(o);
        return snap_write_blob(w, o->type, SNAP_KIND_INTSET, key, klen, exp, is, intset_used(is));
    }
    snap_status st;
    switch (o->type) {
    case OBJ_LIST:
        st = snap_write_elements_begin(w, SNAP_TYPE_LIST, key, klen, exp, list_obj_len(o));
        if (st == SNAP_OK) list_each(o, put_elem, w);
        break;
    case OBJ_SET: {
        st = snap_write_elements_begin(w, SNAP_TYPE_SET, key, klen, exp, set_obj_len(o));
        if (st != SNAP_OK) break;
        set_obj_iter it;
        const char *m;
        size_t len;
        set_obj_iter_init(&it, o);
        while (set_obj_iter_next(&it, &m, &len)) snap_write_elements_add(w, m, len);
        set_obj_iter_deinit(&it);
        break;
    }
    case OBJ_HASH:
        st = snap_write_elements_begin(w, SNAP_TYPE_HASH, key, klen, exp, hash_obj_len(o));
        if (st == SNAP_OK) hash_each_pair(o, put_pair, w);
        break;
    case OBJ_ZSET:
        st = snap_write_elements_begin(w, SNAP_TYPE_ZSET, key, klen, exp, zset_obj_len(o));
        if (st == SNAP_OK) zset_each_scored(o, put_scored, w);
        break;
    default: return SNAP_ERR;
    }
    /* Element errors are sticky in the writer: _end reports them. */
    return st == SNAP_OK ? snap_write_elements_end(w) : st;
}

int persist_snapshot_save(const char *dir, const char *filename, char *err, size_t errlen) {
    int n = db_count();
    snap_db_count *counts = cn_malloc(sizeof(*counts) * (size_t)n);
    uint32_t nd = 0;
    for (int i = 0; i < n; i++) {
        db *d = db_get(i);
        if (db_size(d) == 0) continue;
        counts[nd++] = (snap_db_count){(uint32_t)i, db_size(d), db_expires_count(d)};
    }
    snap_header h = {.created_ms = clock_ms(), .ndbs = nd, .dbs = counts};
    snprintf(h.version, sizeof(h.version), "%s", CAIRN_VERSION);
    snap_writer *w = snap_write_begin(dir, filename, server.snapshot_codec, server.snapshot_level,
                                      &h, err, errlen);
    if (!w) {
        cn_free(counts);
        return CN_ERR;
    }
    snap_status st = SNAP_OK;
    for (uint32_t k = 0; k < nd && st == SNAP_OK; k++) {
        db *d = db_get((int)counts[k].db);
        st = snap_write_db(w, counts[k].db);
        ht_iter it;
        ht_iter_init(&it, d->keys);
        for (obj *o; st == SNAP_OK && (o = ht_iter_next(&it)) != NULL;) {
            st = snapshot_put(w, o);
            if (server.rdb_key_save_delay > 0) usleep((useconds_t)server.rdb_key_save_delay);
        }
        ht_iter_deinit(&it);
    }
    cn_free(counts);
    if (st != SNAP_OK) {
        snap_write_abort(w);
        return CN_ERR;
    }
    return snap_write_end(w, NULL) == SNAP_OK ? CN_OK : CN_ERR;
}

/* ---------------------------------------------------------------- loading */

static void loading_begin(uint64_t total_bytes, bool serve) {
    server.loading = true;
    ps.serve_while_loading = serve;
    ps.loading_start_s = clock_ms() / 1000;
    ps.loading_start_mono_ms = ps.last_events_ms = ps.last_log_ms = clock_mono_us() / 1000;
    ps.loading_total = total_bytes;
    ps.loading_done = 0;
}

static void loading_end(void) {
    server.loading = false;
    ps.serve_while_loading = false;
}

/* Called often while loading with the bytes done so far (of loading_total): serves
 * clients (they get -LOADING) and logs progress, each at its own interval. */
static void loading_progress(uint64_t done) {
    ps.loading_done = done;
    int64_t now = clock_mono_us() / 1000;
    if (now - ps.last_events_ms < LOADING_EVENTS_INTERVAL_MS) return;
    ps.last_events_ms = now;
    if (now - ps.last_log_ms >= LOADING_LOG_INTERVAL_MS) {
        ps.last_log_ms = now;
        log_notice("Loading: %.1f%% (%llu of %llu bytes)",
                   ps.loading_total ? 100.0 * (double)done / (double)ps.loading_total : 0.0,
                   (unsigned long long)done, (unsigned long long)ps.loading_total);
    }
    if (!ps.serve_while_loading) return;
    el_process(server.loop, true);
    clients_handle_writes(); /* the -LOADING replies: before_sleep does not run here */
    clients_free_pending();
    if (server.shutdown_asap) {
        log_warning("Received a shutdown request while loading: exiting without saving.");
        server_prepare_shutdown(SHUTDOWN_NOSAVE);
        exit(0);
    }
}

static void flush_all_dbs(void) {
    for (int i = 0; i < db_count(); i++) db_flush(db_get(i), false);
}

/* The elements of an ELEMENTS record into a new object of its type. */
static obj *load_elements(snap_reader *r, const snap_record *rec, int64_t exp) {
    obj *o;
    switch (rec->type) {
    case SNAP_TYPE_LIST: o = list_load_new(rec->key, rec->klen, exp); break;
    case SNAP_TYPE_SET: o = set_load_new(rec->key, rec->klen, exp); break;
    case SNAP_TYPE_HASH: o = hash_load_new(rec->key, rec->klen, exp); break;
    case SNAP_TYPE_ZSET: o = zset_load_new(rec->key, rec->klen, exp); break;
    default: return NULL;
    }
    snap_elem e;
    for (uint64_t i = 0; i < rec->count; i++) {
        if (snap_read_element(r, &e) != SNAP_OK) {
            obj_free(o);
            return NULL;
        }
        switch (rec->type) {
        case SNAP_TYPE_LIST: list_load_add(o, e.s, e.len); break;
        case SNAP_TYPE_SET: set_load_add(o, e.s, e.len); break;
        case SNAP_TYPE_HASH: hash_load_add(o, e.s, e.len, e.v, e.vlen); break;
        case SNAP_TYPE_ZSET: zset_load_add(o, e.s, e.len, e.score); break;
        }
    }
    return o;
}

/* Loaded objects wait in a small batch whose table buckets are prefetched, then go in
 * together: the inserts' cache misses overlap instead of coming one after another. */
#define LOAD_BATCH 16
typedef struct load_batch {
    int n;
    db *d[LOAD_BATCH];
    obj *o[LOAD_BATCH];
    ht_position pos[LOAD_BATCH];
} load_batch;

static int load_batch_flush(load_batch *b, int flags, const char *path, char *err, size_t errlen) {
    int rc = CN_OK;
    for (int i = 0; i < b->n; i++) {
        obj *o = b->o[i];
        if (rc != CN_OK) {
            obj_free(o);
        } else if (db_add_loaded(b->d[i], o, &b->pos[i])) {
            ps.last_load_keys_loaded++;
        } else if (flags & SNAPLOAD_MERGE) {
            db_set(b->d[i], o);
            ps.last_load_keys_loaded++;
        } else {
            size_t kl = obj_keylen(o);
            snprintf(err, errlen, "%s: duplicate key '%.*s' in database %d", path,
                     (int)(kl > 64 ? 64 : kl), obj_key(o), b->d[i]->id);
            obj_free(o);
            rc = CN_ERR;
        }
    }
    b->n = 0;
    return rc;
}

/* One record into the keyspace (through the batch). CN_ERR with err set when the
 * record is unusable. */
static int load_record(snap_reader *r, const snap_record *rec, int flags, load_batch *b,
                       const char *path, char *err, size_t errlen) {
    db *d = db_get((int)rec->db);
    if (!d) {
        snprintf(err, errlen, "%s: offset %llu: database %u out of range (databases is %d)",
                 path, (unsigned long long)snap_read_offset(r), rec->db, server.databases);
        return CN_ERR;
    }
    int64_t exp = rec->expire_ms;
    if ((flags & SNAPLOAD_SKIP_EXPIRED) && exp != SNAP_NO_EXPIRE && exp <= clock_ms()) {
        ps.last_load_keys_expired++;
        return CN_OK; /* unread elements are skipped by the next snap_read_next */
    }
    obj *o = NULL;
    const char *why = "corrupt value";
    switch (rec->kind) {
    case SNAP_KIND_STRING: o = obj_new_string(rec->key, rec->klen, rec->val, rec->vlen, exp); break;
    case SNAP_KIND_INT: o = obj_new_int(rec->key, rec->klen, rec->ival, exp); break;
    case SNAP_KIND_LISTPACK:
    case SNAP_KIND_INTSET: {
        size_t len;
        void *blob = snap_read_take_blob(r, &len);
        if (!blob) break;
        int enc = rec->kind == SNAP_KIND_LISTPACK ? OBJ_ENC_LISTPACK : OBJ_ENC_INTSET;
        o = obj_new_value(rec->key, rec->klen, rec->type, enc, blob, exp);
        bool ok;
        switch (rec->type) {
        case SNAP_TYPE_LIST: ok = enc == OBJ_ENC_LISTPACK && list_load_fix(o); break;
        case SNAP_TYPE_SET: ok = set_load_fix(o); break;
        case SNAP_TYPE_HASH: ok = enc == OBJ_ENC_LISTPACK && hash_load_fix(o); break;
        case SNAP_TYPE_ZSET: ok = enc == OBJ_ENC_LISTPACK && zset_load_fix(o); break;
        default: ok = false;
        }
        if (!ok) {
            obj_free(o);
            o = NULL;
            why = "a value block that does not fit its type";
        }
        break;
    }
    case SNAP_KIND_ELEMENTS:
        o = load_elements(r, rec, exp);
        if (!o) {
            snprintf(err, errlen, "%s", snap_read_error(r));
            if (!err[0]) snprintf(err, errlen, "%s: corrupt elements record", path);
            return CN_ERR;
        }
        break;
    }
    if (!o) {
        snprintf(err, errlen, "%s: offset %llu: %s", path,
                 (unsigned long long)snap_read_offset(r), why);
        return CN_ERR;
    }
    int i = b->n++;
    b->d[i] = d;
    b->o[i] = o;
    db_prefetch(d, obj_key(o), obj_keylen(o), &b->pos[i]);
    return b->n == LOAD_BATCH ? load_batch_flush(b, flags, path, err, errlen) : CN_OK;
}

int persist_snapshot_load(const char *path, int flags, bool *missing, char *err, size_t errlen) {
    *missing = false;
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT) {
        *missing = true;
        return CN_OK;
    }
    snap_reader *r = snap_read_open(path, err, errlen);
    if (!r) return CN_ERR;
    ps.last_load_keys_loaded = ps.last_load_keys_expired = 0;
    if (!ps.loading_total) ps.loading_total = snap_read_file_size(r); /* loading the file alone */
    /* Size each table once from the header's counts instead of rehashing as it grows.
     * The counts are only proven at the end: a hostile header cannot make us allocate
     * for more keys than a file of this size could plausibly hold. */
    const snap_header *h = snap_read_header(r);
    uint64_t plausible = snap_read_file_size(r) * 64;
    for (uint32_t i = 0; i < h->ndbs; i++) {
        db *d = db_get((int)h->dbs[i].db);
        uint64_t n = h->dbs[i].keys < plausible ? h->dbs[i].keys : plausible;
        if (d && db_size(d) == 0) ht_reserve(d->keys, (size_t)n);
    }
    uint64_t base = ps.loading_done;
    snap_record rec;
    snap_status s;
    int rc = CN_OK;
    unsigned long n = 0;
    load_batch batch = {0};
    while ((s = snap_read_next(r, &rec)) == SNAP_OK) {
        if (load_record(r, &rec, flags, &batch, path, err, errlen) != CN_OK) {
            rc = CN_ERR;
            break;
        }
        if (server.key_load_delay > 0) usleep((useconds_t)server.key_load_delay);
        if ((++n & 255) == 0 || server.key_load_delay > 0)
            loading_progress(base + snap_read_file_offset(r));
    }
    if (rc == CN_OK && s == SNAP_ERR) {
        snprintf(err, errlen, "%s", snap_read_error(r));
        rc = CN_ERR;
    }
    if (rc == CN_OK) rc = load_batch_flush(&batch, flags, path, err, errlen);
    else load_batch_flush(&batch, flags, path, NULL, 0); /* emptied with the rest below */
    ps.loading_done = base + snap_read_file_offset(r);
    snap_read_close(r);
    if (rc != CN_OK) flush_all_dbs();
    return rc;
}

/* ---------------------------------------------------------------- the child */

/* Private memory this process dirtied since the fork: the copy-on-write cost. */
static size_t private_dirty_bytes(void) {
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    if (!f) return 0;
    char line[256];
    size_t kb = 0;
    while (fgets(line, sizeof(line), f)) {
        unsigned long v;
        if (sscanf(line, "Private_Dirty: %lu kB", &v) == 1) kb += v;
    }
    fclose(f);
    return kb * 1024;
}

typedef int child_body(char *err, size_t errlen);

static int child_start(int type, child_body *body, char *err, size_t errlen) {
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "Can't create a pipe for the child: %s", strerror(errno));
        return CN_ERR;
    }
    int64_t fork_start = clock_mono_us();
    pid_t pid = fork();
    if (pid > 0) {
        server.stat_fork_usec = clock_mono_us() - fork_start;
        server.stat_total_forks++;
        latency_add_sample_if_needed("fork", server.stat_fork_usec / 1000);
    }
    if (pid < 0) {
        snprintf(err, errlen, "Can't fork: %s", strerror(errno));
        close(p[0]);
        close(p[1]);
        return CN_ERR;
    }
    if (pid == 0) {
        /* The child: the dataset as of the fork, nothing else. */
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGUSR1, SIG_DFL);
        close(p[0]);
        /* Only close the listening sockets: the epoll set is shared with the parent,
         * so no el_del(), and the unix socket's path stays the parent's. */
        for (int i = 0; i < server.listen_count; i++) close(server.listen_fds[i]);
        if (server.unix_fd >= 0) close(server.unix_fd);
        child_report rep = {0};
        rep.status = body(rep.err, sizeof(rep.err));
        rep.cow_bytes = private_dirty_bytes();
        ssize_t wr = write(p[1], &rep, sizeof(rep));
        (void)wr;
        _exit(rep.status == CN_OK ? 0 : 1);
    }
    close(p[1]);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    ps.child_pid = pid;
    ps.child_type = type;
    ps.child_pipe = p[0];
    ps.child_start_ms = clock_mono_us() / 1000;
    ps.dirty_at_fork = server.dirty;
    /* The table must not move under the child's copy: no resizing (copy-on-write). */
    ht_set_resize_allowed(false);
    if (ps.w && server.aof_no_fsync_on_rewrite) aof_writer_set_policy(ps.w, AOF_FSYNC_NO);
    return CN_OK;
}

static void child_forget(void) {
    if (ps.child_pipe >= 0) close(ps.child_pipe);
    ps.child_pipe = -1;
    ps.child_pid = 0;
    ps.child_type = CHILD_NONE;
    ht_set_resize_allowed(true);
    if (ps.w) aof_writer_set_policy(ps.w, (aof_fsync_policy)server.aof_fsync);
}

bool persist_child_running(void) { return ps.child_pid > 0; }
bool persist_bgsave_running(void) { return ps.child_type == CHILD_BGSAVE; }
bool persist_rewrite_running(void) { return ps.child_type == CHILD_REWRITE; }

static void rewrite_done(bool ok, const char *why);

/* Kills the child (shutdown, appendonly no, FLUSHALL-like changes) and cleans up. */
static void child_kill(void) {
    if (!persist_child_running()) return;
    int type = ps.child_type;
    kill(ps.child_pid, SIGUSR1);
    int status;
    while (waitpid(ps.child_pid, &status, 0) < 0 && errno == EINTR) {}
    if (type == CHILD_REWRITE) rewrite_done(false, "killed");
    child_forget();
}

/* ---------------------------------------------------------------- snapshots: SAVE, BGSAVE */

int persist_save_now(void) {
    if (persist_child_running() && ps.child_type == CHILD_BGSAVE) {
        log_warning("Background save already in progress");
        return CN_ERR;
    }
    char err[512] = "";
    int64_t start = clock_mono_us();
    if (persist_snapshot_save(server.dir, server.dbfilename, err, sizeof(err)) != CN_OK) {
        log_warning("Failed saving the snapshot: %s", err);
        ps.last_bgsave_status = CN_ERR;
        return CN_ERR;
    }
    log_notice("DB saved on disk (%lld ms)", (long long)((clock_mono_us() - start) / 1000));
    server.dirty = 0;
    server.lastsave = clock_ms() / 1000;
    ps.last_bgsave_status = CN_OK;
    ps.rdb_saves++;
    return CN_OK;
}

static int bgsave_body(char *err, size_t errlen) {
    if (persist_snapshot_save(server.dir, server.dbfilename, err, errlen) != CN_OK) return CN_ERR;
    log_notice("DB saved on disk");
    return CN_OK;
}

int persist_bgsave(char *err, size_t errlen) {
    if (persist_child_running()) {
        snprintf(err, errlen, "%s",
                 ps.child_type == CHILD_BGSAVE
                     ? "Background save already in progress"
                     : "Another child process is active (AOF?): can't BGSAVE right now. Use "
                       "BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
        return CN_ERR;
    }
    ps.last_bgsave_try_s = clock_ms() / 1000;
    if (child_start(CHILD_BGSAVE, bgsave_body, err, errlen) != CN_OK) {
        ps.last_bgsave_status = CN_ERR;
        log_warning("Can't save in background: %s", err);
        return CN_ERR;
    }
    log_notice("Background saving started by pid %d", (int)ps.child_pid);
    return CN_OK;
}

void persist_schedule_bgsave(void) { ps.bgsave_scheduled = true; }

void persist_flushall_done(void) {
    if (ps.child_type == CHILD_BGSAVE) child_kill();
    long long dirty = server.dirty;
    if (server.save_params && server.save_params[0]) persist_save_now();
    server.dirty = dirty + 1; /* logged even when nothing was there, as Redis does */
}

static void bgsave_done(bool ok, size_t cow, const char *why) {
    int64_t secs = (clock_mono_us() / 1000 - ps.child_start_ms) / 1000;
    ps.last_bgsave_time_s = secs;
    if (ok) {
        log_notice("Background saving terminated with success");
        server.dirty -= ps.dirty_at_fork;
        if (server.dirty < 0) server.dirty = 0;
        server.lastsave = clock_ms() / 1000;
        ps.last_bgsave_status = CN_OK;
        ps.rdb_saves++;
        ps.rdb_last_cow = cow;
    } else {
        log_warning("Background saving error: %s", why);
        ps.last_bgsave_status = CN_ERR;
    }
}

/* The save rules: "<seconds> <changes>" pairs. True if one of them is due. */
static bool save_rule_due(int64_t now_s) {
    const char *p = server.save_params;
    while (p && *p) {
        char *end;
        long long secs = strtoll(p, &end, 10);
        long long changes = strtoll(end, &end, 10);
        p = end;
        if (server.dirty >= changes && now_s - server.lastsave > secs &&
            (now_s - ps.last_bgsave_try_s > BGSAVE_RETRY_DELAY_S || ps.last_bgsave_status == CN_OK)) {
            log_notice("%lld changes in %lld seconds. Saving...", changes, secs);
            return true;
        }
    }
    return false;
}

/* ---------------------------------------------------------------- the AOF: propagation */

static void aof_append_select(int dbid) {
    char num[16];
    int n = snprintf(num, sizeof(num), "%d", dbid);
    const char *argv[2] = {"SELECT", num};
    size_t lens[2] = {6, (size_t)n};
    aof_append(ps.w, 2, argv, lens);
    ps.selected_db = dbid;
}

bool propagating(void) { return ps.w != NULL; }

static void append_now(int dbid, int argc, const char *const *argv, const size_t *lens) {
    if (dbid != ps.selected_db) aof_append_select(dbid);
    aof_append(ps.w, argc, argv, lens);
}

/* A unit (propagate_unit_begin/end): its first command is held back until we know
 * whether a second one follows (then MULTI goes first) or not (then it goes alone). */
static struct {
    int depth;
    long ops;
    int held_db, held_argc;
    sbuf held;         /* the held command's bytes, back to back */
    size_t *held_lens;
    size_t held_cap;
} unit;

static void held_append(void) {
    const char *argv_small[16] = {0};
    const char **argv = unit.held_argc <= 16 ? argv_small : cn_malloc(sizeof(char *) * (size_t)unit.held_argc);
    const char *p = unit.held.buf;
    for (int i = 0; i < unit.held_argc; i++) {
        argv[i] = p;
        p += unit.held_lens[i];
    }
    append_now(unit.held_db, unit.held_argc, argv, unit.held_lens);
    if (argv != argv_small) cn_free(argv);
}

static void append_multi_exec(int dbid, bool begin) {
    const char *argv[1] = {begin ? "MULTI" : "EXEC"};
    size_t lens[1] = {begin ? 5u : 4u};
    append_now(dbid, 1, argv, lens);
}

void propagate(int dbid, int argc, const char *const *argv, const size_t *lens) {
    if (!ps.w) return;
    if (!unit.depth) {
        append_now(dbid, argc, argv, lens);
        return;
    }
    if (unit.ops++ == 0) {
        unit.held_db = dbid;
        unit.held_argc = argc;
        unit.held.len = 0;
        if ((size_t)argc > unit.held_cap) {
            unit.held_cap = (size_t)argc;
            unit.held_lens = cn_realloc(unit.held_lens, sizeof(size_t) * unit.held_cap);
        }
        for (int i = 0; i < argc; i++) {
            sbuf_catlen(&unit.held, argv[i], lens[i]);
            unit.held_lens[i] = lens[i];
        }
        return;
    }
    if (unit.ops == 2) {
        append_multi_exec(unit.held_db, true);
        held_append();
    }
    append_now(dbid, argc, argv, lens);
}

void propagate_unit_begin(void) { unit.depth++; }

void propagate_unit_end(void) {
    if (--unit.depth > 0) return;
    if (ps.w && unit.ops == 1) held_append();
    else if (ps.w && unit.ops > 1) append_multi_exec(ps.selected_db, false);
    unit.ops = 0;
    /* A big held command does not pin its buffer. */
    if (unit.held.cap > 64 * 1024) sbuf_free(&unit.held);
}

void propagate_instead(client *c, int argc, const char *const *argv, const size_t *lens) {
    c->flags |= CLIENT_PROP_REWRITTEN;
    propagate(c->db->id, argc, argv, lens);
}

size_t persist_aof_buffer_mem(void) {
    if (!ps.w) return 0;
    aof_writer_stats st;
    aof_writer_stats_get(ps.w, &st);
    return st.buffer_alloc + cn_alloc_size(unit.held.buf) + cn_alloc_size(unit.held_lens);
}

void persist_propagate_removed(int dbid, const char *key, size_t klen) {
    if (!ps.w) return;
    const char *argv[2] = {"DEL", key};
    size_t lens[2] = {3, klen};
    propagate(dbid, 2, argv, lens);
}

/* ---------------------------------------------------------------- the AOF: files */

static long long aof_current_size(void) {
    if (!ps.w) return 0;
    aof_writer_stats st;
    aof_writer_stats_get(ps.w, &st);
    return ps.size_at_open + (st.written - ps.written_at_open);
}

/* Opens (creating) name in the AOF directory for appending. -1 with err set. */
static int aof_open_append(const char *name, char *err, size_t errlen) {
    char path[PATH_MAX];
    aof_path(path, sizeof(path), name);
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) snprintf(err, errlen, "Can't open the append-only file %s: %s", path, strerror(errno));
    return fd;
}

static long long aof_files_size(const aof_manifest *m) {
    char path[PATH_MAX];
    long long total = 0;
    if (m->has_base) {
        aof_path(path, sizeof(path), m->base.name);
        total += file_size(path);
    }
    for (size_t i = 0; i < m->nincr; i++) {
        aof_path(path, sizeof(path), m->incr[i].name);
        total += file_size(path);
    }
    return total;
}

static int save_manifest(const aof_manifest *m, char *err, size_t errlen) {
    char mname[AOF_NAME_MAX + 1];
    manifest_name(mname, sizeof(mname));
    return aof_manifest_save(aof_dir(), mname, m, err, errlen) == AOF_OK ? CN_OK : CN_ERR;
}

/* Removes files in the AOF directory that belong to this AOF (the appendfilename
 * prefix) but that the manifest no longer lists (after a rewrite). */
static void aof_delete_unlisted(const aof_manifest *m) {
    DIR *dir = opendir(aof_dir());
    if (!dir) return;
    size_t plen = strlen(server.aof_filename);
    char mname[AOF_NAME_MAX + 1];
    manifest_name(mname, sizeof(mname));
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        const char *n = e->d_name;
        if (strncmp(n, server.aof_filename, plen) != 0 || n[plen] != '.') continue;
        if (!strcmp(n, mname) || aof_manifest_contains(m, n)) continue;
        size_t len = strlen(n);
        bool ours = (len > 9 && !strcmp(n + len - 9, ".incr.aof")) ||
                    (len > 9 && !strcmp(n + len - 9, ".base.aof")) ||
                    (len > 10 && !strcmp(n + len - 10, ".base.snap"));
        if (!ours) continue;
        char path[PATH_MAX];
        aof_path(path, sizeof(path), n);
        if (unlink(path) == 0) log_notice("Removed the obsolete AOF file %s", n);
    }
    closedir(dir);
}

/* Makes a writer on the manifest's last incremental file. */
static void aof_writer_open(int fd) {
    ps.w = aof_writer_create(fd, (aof_fsync_policy)server.aof_fsync);
    ps.selected_db = -1;
    ps.size_at_open = aof_files_size(&ps.man);
    ps.written_at_open = 0;
    ps.last_write_errno = 0;
}

/* ---------------------------------------------------------------- the AOF: rewrite */

/* A RESP base (aof-use-rdb-preamble no): the dataset as commands. */
typedef struct resp_base {
    aof_writer *w;
    const char *key;
    size_t klen;
} resp_base;

static void rb_cmd3(resp_base *b, const char *cmd, const char *a, size_t alen) {
    const char *argv[3] = {cmd, b->key, a};
    size_t lens[3] = {strlen(cmd), b->klen, alen};
    aof_append(b->w, 3, argv, lens);
}
static void rb_elem_list(void *ud, const char *s, size_t len) { rb_cmd3(ud, "RPUSH", s, len); }
static void rb_elem_set(void *ud, const char *s, size_t len) { rb_cmd3(ud, "SADD", s, len); }
static void rb_pair(void *ud, const char *f, size_t flen, const char *v, size_t vlen) {
    resp_base *b = ud;
    const char *argv[4] = {"HSET", b->key, f, v};
    size_t lens[4] = {4, b->klen, flen, vlen};
    aof_append(b->w, 4, argv, lens);
}
static void rb_scored(void *ud, const char *m, size_t mlen, double score) {
    resp_base *b = ud;
    char num[64];
    int n = snprintf(num, sizeof(num), "%.17g", score);
    const char *argv[4] = {"ZADD", b->key, num, m};
    size_t lens[4] = {4, b->klen, (size_t)n, mlen};
    aof_append(b->w, 4, argv, lens);
}

static int resp_base_write(const char *path, char *err, size_t errlen) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return CN_ERR;
    }
    resp_base b = {.w = aof_writer_create(fd, AOF_FSYNC_NO)};
    int rc = CN_OK;
    for (int i = 0; i < db_count() && rc == CN_OK; i++) {
        db *d = db_get(i);
        if (!db_size(d)) continue;
        char num[16];
        int n = snprintf(num, sizeof(num), "%d", i);
        aof_append(b.w, 2, (const char *[]){"SELECT", num}, (size_t[]){6, (size_t)n});
        ht_iter it;
        ht_iter_init(&it, d->keys);
        for (obj *o; (o = ht_iter_next(&it)) != NULL;) {
            b.key = obj_key(o);
            b.klen = obj_keylen(o);
            switch (o->type) {
            case OBJ_STRING: {
                char buf[32];
                size_t len;
                const char *s = obj_str(o, buf, &len);
                rb_cmd3(&b, "SET", s, len);
                break;
            }
            case OBJ_LIST: list_each(o, rb_elem_list, &b); break;
            case OBJ_SET: {
                set_obj_iter si;
                const char *m;
                size_t len;
                set_obj_iter_init(&si, o);
                while (set_obj_iter_next(&si, &m, &len)) rb_elem_set(&b, m, len);
                set_obj_iter_deinit(&si);
                break;
            }
            case OBJ_HASH: hash_each_pair(o, rb_pair, &b); break;
            case OBJ_ZSET: zset_each_scored(o, rb_scored, &b); break;
            }
            if (o->has_expire) {
                char ms[32];
                int m = snprintf(ms, sizeof(ms), "%lld", (long long)obj_expire(o));
                rb_cmd3(&b, "PEXPIREAT", ms, (size_t)m);
            }
            if (server.rdb_key_save_delay > 0) usleep((useconds_t)server.rdb_key_save_delay);
            if (aof_flush(b.w) != AOF_OK) {
                aof_writer_stats st;
                aof_writer_stats_get(b.w, &st);
                snprintf(err, errlen, "%s: %s", path, strerror(st.write_errno));
                rc = CN_ERR;
                break;
            }
        }
        ht_iter_deinit(&it);
    }
    if (rc == CN_OK && aof_fsync_now(b.w) != AOF_OK) {
        snprintf(err, errlen, "%s: fsync: %s", path, strerror(errno));
        rc = CN_ERR;
    }
    aof_writer_destroy(b.w);
    if (rc != CN_OK) unlink(path);
    return rc;
}

/* Writes the dataset as the AOF base file `name` of `type`, durably (temp file,
 * rename, directory fsync), in the server at start-up or in the rewrite's child. */
static int aof_base_write(const char *name, int type, char *err, size_t errlen) {
    if (type == AOF_BASE_SNAPSHOT) return persist_snapshot_save(aof_dir(), name, err, errlen);
    char tmp[PATH_MAX], path[PATH_MAX];
    snprintf(tmp, sizeof(tmp), "%s/temp-rewriteaof-%d.aof", aof_dir(), (int)getpid());
    aof_path(path, sizeof(path), name);
    if (resp_base_write(tmp, err, errlen) != CN_OK) return CN_ERR;
    if (rename(tmp, path) != 0 || fs_sync_dir(aof_dir()) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        unlink(tmp);
        return CN_ERR;
    }
    return CN_OK;
}

static int rewrite_body(char *err, size_t errlen) {
    return aof_base_write(ps.rewrite_base_name, ps.rewrite_base_type, err, errlen);
}

/* Step 1 of a rewrite (aof/FORMAT.md): new incremental file, writer switched to it,
 * then the child. With the AOF being enabled at run time (manifest_pending) the
 * manifest is only saved once the base exists. */
static int rewrite_start_offline(char *err, size_t errlen);

/* Step 2: the child writes the new base. Its name is the one aof_manifest_new_base()
 * gives on the current manifest, which rewrite_done() gets again (the manifest does not
 * change meanwhile); incr files older than incr_seq are what the base replaces. */
static int rewrite_fork(long long incr_seq, char *err, size_t errlen) {
    aof_manifest next;
    aof_manifest_init(&next);
    aof_manifest_copy(&next, &ps.man);
    ps.rewrite_base_type = aof_base_type_configured();
    snprintf(ps.rewrite_base_name, sizeof(ps.rewrite_base_name), "%s",
             aof_manifest_new_base(&next, server.aof_filename, ps.rewrite_base_type));
    aof_manifest_deinit(&next);
    ps.rewrite_incr_seq = incr_seq;
    if (child_start(CHILD_REWRITE, rewrite_body, err, errlen) != CN_OK) {
        ps.last_rewrite_status = CN_ERR;
        ps.rewrites_failed_in_row++;
        return CN_ERR;
    }
    log_notice("Background append only file rewriting started by pid %d", (int)ps.child_pid);
    return CN_OK;
}

static int rewrite_start(char *err, size_t errlen) {
    if (!ps.w) return rewrite_start_offline(err, errlen);
    aof_write_and_sync(ps.w, true, clock_mono_us());
    if (aof_flush(ps.w) != AOF_OK) {
        snprintf(err, errlen, "can't write the AOF buffer before the rewrite");
        return CN_ERR;
    }
    aof_manifest next;
    aof_manifest_init(&next);
    aof_manifest_copy(&next, &ps.man);
    const char *incr = aof_manifest_add_incr(&next, server.aof_filename);
    long long incr_seq = next.incr[next.nincr - 1].seq;
    int fd = aof_open_append(incr, err, errlen);
    if (fd < 0) {
        aof_manifest_deinit(&next);
        return CN_ERR;
    }
    fs_sync_dir(aof_dir());
    if (!ps.manifest_pending && save_manifest(&next, err, errlen) != CN_OK) {
        char path[PATH_MAX];
        aof_path(path, sizeof(path), incr);
        close(fd);
        unlink(path);
        aof_manifest_deinit(&next);
        return CN_ERR;
    }
    if (aof_writer_switch_fd(ps.w, fd) != AOF_OK) {
        /* Cannot happen with an empty buffer; keep the old file then. */
        close(fd);
        aof_manifest_deinit(&next);
        snprintf(err, errlen, "can't switch the AOF file");
        return CN_ERR;
    }
    aof_manifest_copy(&ps.man, &next);
    aof_manifest_deinit(&next);
    ps.selected_db = -1;
    return rewrite_fork(incr_seq, err, errlen);
}

/* BGREWRITEAOF with appendonly no (Redis 7 does it too): a manifest naming only a new
 * base, made from the dataset; numbers continue those of a manifest already there. */
static int rewrite_start_offline(char *err, size_t errlen) {
    if (mkdir(aof_dir(), 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "Can't create the AOF directory %s: %s", aof_dir(), strerror(errno));
        return CN_ERR;
    }
    char mname[AOF_NAME_MAX + 1];
    manifest_name(mname, sizeof(mname));
    aof_manifest_deinit(&ps.man);
    aof_manifest_init(&ps.man);
    if (aof_manifest_load(aof_dir(), mname, &ps.man, err, errlen) == AOF_ERR) {
        aof_manifest_deinit(&ps.man);
        aof_manifest_init(&ps.man);
    }
    return rewrite_fork(aof_manifest_next_seq(&ps.man) /* every incr file goes */, err, errlen);
}

/* Step 3: the new base joins the manifest, the files it replaces go. */
static void rewrite_done(bool ok, const char *why) {
    ps.last_rewrite_time_s = (clock_mono_us() / 1000 - ps.child_start_ms) / 1000;
    if (!ok) {
        log_warning("Background AOF rewrite failed: %s", why);
        char path[PATH_MAX];
        aof_path(path, sizeof(path), ps.rewrite_base_name);
        unlink(path);
        ps.last_rewrite_status = CN_ERR;
        ps.rewrites_failed_in_row++;
        return;
    }
    aof_manifest next;
    aof_manifest_init(&next);
    aof_manifest_copy(&next, &ps.man);
    const char *name = aof_manifest_new_base(&next, server.aof_filename, ps.rewrite_base_type);
    if (strcmp(name, ps.rewrite_base_name) != 0) {
        log_warning("Background AOF rewrite: the manifest changed under the rewrite; discarded");
        aof_manifest_deinit(&next);
        ps.last_rewrite_status = CN_ERR;
        ps.rewrites_failed_in_row++;
        return;
    }
    aof_manifest_drop_incr_before(&next, ps.rewrite_incr_seq);
    char err[512];
    int64_t switch_start = latency_start();
    if (save_manifest(&next, err, sizeof(err)) != CN_OK) {
        log_warning("Background AOF rewrite: can't save the manifest: %s", err);
        aof_manifest_deinit(&next);
        ps.last_rewrite_status = CN_ERR;
        ps.rewrites_failed_in_row++;
        return;
    }
    aof_manifest_copy(&ps.man, &next);
    aof_manifest_deinit(&next);
    ps.manifest_pending = false;
    aof_delete_unlisted(&ps.man);
    latency_add_sample_if_needed("aof-rename", latency_end_ms(switch_start));
    /* Sizes for the auto-rewrite rule start again from here. */
    if (ps.w) {
        aof_writer_stats st;
        aof_writer_stats_get(ps.w, &st);
        ps.size_at_open = aof_files_size(&ps.man);
        ps.written_at_open = st.written;
        ps.rewrite_base_size = ps.size_at_open;
    }
    ps.last_rewrite_status = CN_OK;
    ps.rewrites++;
    ps.rewrites_failed_in_row = 0;
    log_notice("Background AOF rewrite finished successfully");
}

int persist_aof_rewrite(bool *scheduled, char *err, size_t errlen) {
    *scheduled = false;
    if (ps.child_type == CHILD_REWRITE) {
        snprintf(err, errlen, "Background append only file rewriting already in progress");
        return CN_ERR;
    }
    if (persist_child_running()) {
        ps.rewrite_scheduled = true;
        *scheduled = true;
        return CN_OK;
    }
    return rewrite_start(err, errlen);
}

/* ---------------------------------------------------------------- the AOF: on and off */

int persist_aof_enable(char *err, size_t errlen) {
    if (ps.w) return CN_OK;
    if (mkdir(aof_dir(), 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "Can't create the AOF directory %s: %s", aof_dir(), strerror(errno));
        return CN_ERR;
    }
    if (persist_child_running()) child_kill(); /* a BGSAVE gives way, as in Redis */
    /* A fresh manifest, saved only when the first base is complete (a crash before
     * that restarts from the snapshot, as if appendonly had never been turned on). */
    aof_manifest_deinit(&ps.man);
    aof_manifest_init(&ps.man);
    ps.manifest_pending = true;
    const char *incr = aof_manifest_add_incr(&ps.man, server.aof_filename);
    int fd = aof_open_append(incr, err, errlen);
    if (fd < 0) return CN_ERR;
    aof_writer_open(fd);
    if (rewrite_start(err, errlen) != CN_OK) {
        persist_aof_disable();
        return CN_ERR;
    }
    return CN_OK;
}

void persist_aof_disable(void) {
    if (!ps.w) return;
    if (ps.child_type == CHILD_REWRITE) child_kill();
    aof_write_and_sync(ps.w, true, clock_mono_us());
    aof_fsync_now(ps.w);
    aof_writer_destroy(ps.w);
    ps.w = NULL;
    ps.manifest_pending = false;
    aof_manifest_deinit(&ps.man);
    aof_manifest_init(&ps.man);
}

void persist_aof_policy_changed(void) {
    if (ps.w && !(persist_child_running() && server.aof_no_fsync_on_rewrite))
        aof_writer_set_policy(ps.w, (aof_fsync_policy)server.aof_fsync);
}

/* ---------------------------------------------------------------- the AOF: loading */

/* Runs one loaded command on the connectionless client. CN_ERR if it replied an error
 * (unknown command, wrong arity, or refused). */
static int run_loaded(int argc, const char **argv, const size_t *lens) {
    client *c = ps.loader;
    /* Arguments are NUL-terminated copies, as client argv always are. */
    sbuf *b = &ps.loader_args;
    b->len = 0;
    for (int i = 0; i < argc; i++) {
        sbuf_catlen(b, argv[i], lens[i]);
        sbuf_catlen(b, "", 1); /* the NUL */
    }
    if ((size_t)argc > ps.loader_cap) {
        ps.loader_cap = (size_t)argc;
        ps.loader_argv = cn_realloc(ps.loader_argv, sizeof(char *) * ps.loader_cap);
        ps.loader_lens = cn_realloc(ps.loader_lens, sizeof(size_t) * ps.loader_cap);
    }
    const char *p = b->buf;
    for (int i = 0; i < argc; i++) {
        ps.loader_argv[i] = p;
        ps.loader_lens[i] = lens[i];
        p += lens[i] + 1;
    }
    c->argc = argc;
    c->argv = ps.loader_argv;
    c->argvlen = ps.loader_lens;
    long long errors = server.stat_total_error_replies;
    call(c);
    client_discard_replies(c);
    c->argc = 0;
    c->argv = NULL;
    c->argvlen = NULL;
    if (server.stat_total_error_replies != errors) return CN_ERR;
    if (server.key_load_delay > 0) usleep((useconds_t)server.key_load_delay);
    return CN_OK;
}

/* One RESP file (a base or an incremental file). last: the last of the replay, the
 * only one that may be truncated. */
static int load_resp_file(const char *name, bool last) {
    char path[PATH_MAX], err[1024] = "";
    aof_path(path, sizeof(path), name);
    aof_loader *l;
    if (aof_loader_open(path, server.proto_max_bulk_len, &l, err, sizeof(err)) != AOF_OK) {
        log_warning("%s", err);
        return CN_ERR;
    }
    uint64_t base = ps.loading_done;
    aof_status st;
    int argc;
    const char **argv;
    const size_t *lens;
    off_t cmd_start = 0, multi_start = 0;
    while ((st = aof_loader_next(l, &argc, &argv, &lens, err, sizeof(err))) == AOF_OK) {
        bool was_multi = ps.loader->flags & CLIENT_MULTI;
        if (run_loaded(argc, argv, lens) != CN_OK) {
            log_warning("Bad file format reading the append only file %s: offset %lld: command "
                        "'%.*s' was refused. Make a backup of the file, then cut it there with "
                        "`cairn-check aof %s --fix` (later commands are lost).",
                        path, (long long)cmd_start, (int)(lens[0] > 32 ? 32 : lens[0]),
                        argv[0], path);
            aof_loader_close(l);
            return CN_ERR;
        }
        if (!was_multi && (ps.loader->flags & CLIENT_MULTI)) multi_start = cmd_start;
        cmd_start = aof_loader_offset(l);
        if ((aof_loader_commands(l) & 255) == 0 || server.key_load_delay > 0)
            loading_progress(base + (uint64_t)cmd_start);
    }
    off_t valid = aof_loader_offset(l);
    ps.loading_done = base + (uint64_t)valid;
    aof_loader_close(l);
    if ((st == AOF_EOF || st == AOF_TRUNCATED) && (ps.loader->flags & CLIENT_MULTI)) {
        /* A transaction without its EXEC: none of it happened (Redis reverts it). */
        multi_discard(ps.loader);
        valid = multi_start;
        st = AOF_TRUNCATED;
        snprintf(err, sizeof(err), "a MULTI at offset %lld has no EXEC", (long long)multi_start);
    }
    if (st == AOF_EOF) return CN_OK;
    if (st == AOF_TRUNCATED) {
        if (!last) {
            log_warning("Bad file format: %s (a truncated file that is not the last one). "
                        "Use `cairn-check aof %s` to inspect it.", err, path);
            return CN_ERR;
        }
        if (!server.aof_load_truncated) {
            log_warning("Unexpected end of file reading the append only file: %s. You can: "
                        "1) Make a backup of your AOF file, then use `cairn-check aof %s --fix`. "
                        "2) Alternatively you can set the 'aof-load-truncated' configuration "
                        "option to yes and restart the server.", err, path);
            return CN_ERR;
        }
        log_warning("!!! Warning: short read while loading the AOF file %s !!! (truncated: %s)",
                    path, err);
        if (aof_truncate(path, valid, err, sizeof(err)) != AOF_OK) {
            log_warning("Can't truncate the AOF: %s", err);
            return CN_ERR;
        }
        log_warning("AOF loaded anyway because aof-load-truncated is enabled: the partial "
                    "last command was dropped at offset %lld", (long long)valid);
        return CN_OK;
    }
    log_warning("Bad file format reading the append only file: %s. Make a backup of the "
                "file, then use `cairn-check aof %s --fix`.", err, path);
    return CN_ERR;
}

/* Replays the manifest's files into the (empty) keyspace. */
static int aof_load_files(const aof_manifest *m) {
    uint64_t total = (uint64_t)aof_files_size(m);
    ps.loading_total = total;
    ps.loading_done = 0;
    ps.loader = client_create(-1, CLIENT_AOF_LOADING | CLIENT_DENY_BLOCKING);
    ps.loader->authenticated = true;
    int rc = CN_OK;
    if (m->has_base) {
        char path[PATH_MAX], err[1024];
        aof_path(path, sizeof(path), m->base.name);
        if (m->base_type == AOF_BASE_SNAPSHOT) {
            bool missing;
            if (persist_snapshot_load(path, 0, &missing, err, sizeof(err)) != CN_OK) {
                log_warning("Bad AOF base file %s: %s. Use `cairn-check snapshot %s` to inspect "
                            "it.", path, err, path);
                rc = CN_ERR;
            } else if (missing) {
                log_warning("The AOF base file %s named in the manifest does not exist", path);
                rc = CN_ERR;
            }
        } else {
            rc = load_resp_file(m->base.name, m->nincr == 0);
        }
    }
    for (size_t i = 0; i < m->nincr && rc == CN_OK; i++) {
        char path[PATH_MAX];
        aof_path(path, sizeof(path), m->incr[i].name);
        struct stat st;
        if (stat(path, &st) != 0) {
            log_warning("The AOF file %s named in the manifest does not exist", path);
            rc = CN_ERR;
            break;
        }
        ps.loader->db = db_get(0); /* each file starts with its own SELECT */
        rc = load_resp_file(m->incr[i].name, i + 1 == m->nincr);
    }
    client_free(ps.loader);
    ps.loader = NULL;
    sbuf_free(&ps.loader_args);
    cn_free(ps.loader_argv);
    cn_free(ps.loader_lens);
    ps.loader_argv = NULL;
    ps.loader_lens = NULL;
    ps.loader_cap = 0;
    return rc;
}

/* ---------------------------------------------------------------- start-up and shutdown */

static int load_snapshot_at_startup(void) {
    char err[1024];
    bool missing;
    int64_t start = clock_mono_us();
    if (persist_snapshot_load(server.dbfilename, SNAPLOAD_SKIP_EXPIRED, &missing, err,
                              sizeof(err)) != CN_OK) {
        log_warning("Failed loading the snapshot %s/%s: %s", server.dir, server.dbfilename, err);
        log_warning("Refusing to start from a snapshot that cannot be trusted. Inspect it with "
                    "`cairn-check snapshot %s/%s`, move it away to start empty.",
                    server.dir, server.dbfilename);
        return CN_ERR;
    }
    if (!missing)
        log_notice("DB loaded from disk: %.3f seconds (%lld keys, %lld expired keys skipped)",
                   (double)(clock_mono_us() - start) / 1e6, ps.last_load_keys_loaded,
                   ps.last_load_keys_expired);
    return CN_OK;
}

static int load_aof_at_startup(void) {
    char err[1024], mname[AOF_NAME_MAX + 1];
    if (mkdir(aof_dir(), 0755) != 0 && errno != EEXIST) {
        log_warning("Can't create the AOF directory %s/%s: %s", server.dir, aof_dir(),
                    strerror(errno));
        return CN_ERR;
    }
    manifest_name(mname, sizeof(mname));
    aof_manifest_init(&ps.man);
    aof_status st = aof_manifest_load(aof_dir(), mname, &ps.man, err, sizeof(err));
    if (st == AOF_ERR) {
        log_warning("Bad AOF manifest: %s", err);
        return CN_ERR;
    }
    int64_t start = clock_mono_us();
    if (st == AOF_NOT_FOUND) {
        /* No AOF yet. If a snapshot exists (appendonly was just turned on in the
         * config), start from it rather than from nothing, then make the first base. */
        if (load_snapshot_at_startup() != CN_OK) return CN_ERR;
        int type = aof_base_type_configured();
        const char *base = aof_manifest_new_base(&ps.man, server.aof_filename, type);
        if (aof_base_write(base, type, err, sizeof(err)) != CN_OK) {
            log_warning("Can't create the AOF base file: %s", err);
            return CN_ERR;
        }
        log_notice("Creating AOF base file %s on server start", base);
    } else {
        if (aof_load_files(&ps.man) != CN_OK) return CN_ERR;
        log_notice("DB loaded from append only file: %.3f seconds",
                   (double)(clock_mono_us() - start) / 1e6);
    }
    /* Appends go to a new incremental file when the last one is not ours to extend
     * (none yet); otherwise to the last one, after whatever it holds. */
    const char *incr = aof_manifest_last_incr(&ps.man);
    bool added = false;
    if (!incr) {
        incr = aof_manifest_add_incr(&ps.man, server.aof_filename);
        added = true;
    }
    int fd = aof_open_append(incr, err, sizeof(err));
    if (fd < 0) {
        log_warning("%s", err);
        return CN_ERR;
    }
    if (added) {
        fs_sync_dir(aof_dir());
        if (save_manifest(&ps.man, err, sizeof(err)) != CN_OK) {
            log_warning("Can't save the AOF manifest: %s", err);
            close(fd);
            return CN_ERR;
        }
        log_notice("Creating AOF incr file %s on server start", incr);
    }
    aof_writer_open(fd);
    ps.rewrite_base_size = ps.size_at_open;
    return CN_OK;
}

int persist_load_at_startup(void) {
    loading_begin(0, true);
    int rc = server.aof_enabled ? load_aof_at_startup() : load_snapshot_at_startup();
    loading_end();
    server.dirty = 0;
    return rc;
}

int persist_shutdown(int flags) {
    if (persist_child_running()) {
        log_warning("There is a child saving an .rdb. Killing it!");
        child_kill();
    }
    if (ps.w) {
        log_notice("Calling fsync() on the AOF file.");
        aof_write_and_sync(ps.w, true, clock_mono_us());
        aof_fsync_now(ps.w);
    }
    bool rules = server.save_params && server.save_params[0];
    if ((flags & SHUTDOWN_SAVE) || (rules && !(flags & SHUTDOWN_NOSAVE))) {
        log_notice("Saving the final snapshot before exiting.");
        if (persist_save_now() != CN_OK) {
            if (flags & SHUTDOWN_FORCE) {
                log_warning("Error trying to save the DB, exiting anyway (SHUTDOWN FORCE).");
            } else {
                log_warning("Error trying to save the DB, can't exit.");
                return CN_ERR;
            }
        }
    }
    return CN_OK;
}

void persist_teardown(void) {
    if (ps.w) {
        aof_writer_destroy(ps.w);
        ps.w = NULL;
    }
    aof_manifest_deinit(&ps.man);
    sbuf_free(&ps.loader_args);
    sbuf_free(&unit.held);
    cn_free(unit.held_lens);
    unit.held_lens = NULL;
    unit.held_cap = 0;
}

/* ---------------------------------------------------------------- the loop's hooks */

/* aof_write_and_sync() with the latency monitor's samples (latency.h): the write as
 * "aof-write" and as one of "aof-write-pending-fsync", "aof-write-active-child" or
 * "aof-write-alone"; under appendfsync always the fsync after it as "aof-fsync-always"
 * (the same two steps aof_write_and_sync() takes, timed apart). */
static aof_status aof_write_and_sync_sampled(void) {
    aof_writer_stats s;
    aof_writer_stats_get(ps.w, &s);
    if (s.buffered == 0) return aof_write_and_sync(ps.w, false, clock_mono_us());
    bool always = aof_writer_policy(ps.w) == AOF_FSYNC_ALWAYS;
    int64_t start = clock_mono_us();
    aof_status st = always ? aof_flush(ps.w) : aof_write_and_sync(ps.w, false, start);
    if (st == AOF_POSTPONED) return st; /* nothing was written */
    int64_t written = clock_mono_us();
    long long ms = (written - start) / 1000;
    latency_add_sample_if_needed(s.fsync_in_progress ? "aof-write-pending-fsync"
                                 : persist_child_running() ? "aof-write-active-child"
                                                           : "aof-write-alone",
                                 ms);
    latency_add_sample_if_needed("aof-write", ms);
    if (!always || st != AOF_OK) return st;
    st = aof_write_and_sync(ps.w, false, written); /* the buffer is empty: just the fsync */
    latency_add_sample_if_needed("aof-fsync-always", (clock_mono_us() - written) / 1000);
    return st;
}

void persist_before_sleep(void) {
    if (!ps.w) return;
    aof_status st = server.latency_monitor_threshold ? aof_write_and_sync_sampled()
                                                     : aof_write_and_sync(ps.w, false, clock_mono_us());
    if (st == AOF_ERR) {
        aof_writer_stats s;
        aof_writer_stats_get(ps.w, &s);
        int e = s.write_errno ? s.write_errno : s.fsync_errno ? s.fsync_errno : EIO;
        if (server.aof_fsync == AOF_FSYNC_ALWAYS) {
            /* Replies are about to say these writes are safe: they are not. */
            log_warning("Can't write to the AOF with appendfsync always (%s): exiting to "
                        "avoid acknowledging writes that are not on disk.", strerror(e));
            exit(1);
        }
        if (ps.last_write_errno != e) {
            log_warning("Error writing to the AOF file: %s", strerror(e));
            snprintf(ps.write_error_reply, sizeof(ps.write_error_reply),
                     "MISCONF Errors writing to the AOF file: %s", strerror(e));
        }
        ps.last_write_errno = e;
    } else if (ps.last_write_errno) {
        log_warning("AOF write error looks solved, Cairn can write again.");
        ps.last_write_errno = 0;
    }
}

void persist_cron(void) {
    if (server.loading) return;
    int64_t now_s = clock_ms() / 1000;
    /* The child. */
    if (persist_child_running()) {
        int status;
        pid_t pid = waitpid(ps.child_pid, &status, WNOHANG);
        if (pid == ps.child_pid) {
            child_report rep = {.status = CN_ERR};
            ssize_t n = read(ps.child_pipe, &rep, sizeof(rep));
            bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && n == (ssize_t)sizeof(rep) &&
                      rep.status == CN_OK;
            char why[300];
            if (WIFSIGNALED(status))
                snprintf(why, sizeof(why), "the child was terminated by signal %d", WTERMSIG(status));
            else
                snprintf(why, sizeof(why), "%s", n == (ssize_t)sizeof(rep) ? rep.err : "the child died");
            int type = ps.child_type;
            if (type == CHILD_BGSAVE) bgsave_done(ok, rep.cow_bytes, why);
            else {
                ps.aof_last_cow = ok ? rep.cow_bytes : 0;
                rewrite_done(ok, why);
            }
            child_forget();
        }
        return;
    }
    char err[512];
    if (ps.rewrite_scheduled) {
        ps.rewrite_scheduled = false;
        if (rewrite_start(err, sizeof(err)) != CN_OK) log_warning("AOF rewrite: %s", err);
        return;
    }
    if (ps.bgsave_scheduled || save_rule_due(now_s)) {
        ps.bgsave_scheduled = false;
        persist_bgsave(err, sizeof(err));
        return;
    }
    /* The automatic rewrite: the AOF grew by the percentage since the last one. */
    if (ps.w && server.aof_rewrite_perc > 0 && !ps.manifest_pending) {
        long long size = aof_current_size(), base = ps.rewrite_base_size ? ps.rewrite_base_size : 1;
        if (size > server.aof_rewrite_min_size && (size - base) * 100 / base >= server.aof_rewrite_perc) {
            log_notice("Starting automatic rewriting of AOF on %lld%% growth",
                       (size - base) * 100 / base);
            if (rewrite_start(err, sizeof(err)) != CN_OK) log_warning("AOF rewrite: %s", err);
        }
    }
}

const char *persist_deny_write(void) {
    if (server.stop_writes_on_bgsave_err && server.save_params && server.save_params[0] &&
        ps.last_bgsave_status != CN_OK)
        return "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
               "persist to disk. Commands that may modify the data set are disabled, because this "
               "instance is configured to report errors during writes if RDB snapshotting fails "
               "(stop-writes-on-bgsave-error option). Please check the Redis logs for details "
               "about the RDB error.";
    if (ps.w && ps.last_write_errno) return ps.write_error_reply;
    return NULL;
}

/* ---------------------------------------------------------------- DEBUG RELOAD / LOADAOF */

int persist_debug_reload(bool save, bool flush, bool merge, char *err, size_t errlen) {
    if (save && persist_save_now() != CN_OK) {
        snprintf(err, errlen, "Error trying to save the DB");
        return CN_ERR;
    }
    if (flush) flush_all_dbs();
    loading_begin(0, false);
    bool missing;
    int rc = persist_snapshot_load(server.dbfilename, SNAPLOAD_SKIP_EXPIRED | (merge ? SNAPLOAD_MERGE : 0),
                                   &missing, err, errlen);
    loading_end();
    if (rc == CN_OK && missing) {
        snprintf(err, errlen, "no snapshot file %s to load", server.dbfilename);
        rc = CN_ERR;
    }
    server.dirty = 0;
    return rc;
}

int persist_debug_loadaof(char *err, size_t errlen) {
    if (!ps.w) {
        snprintf(err, errlen, "the append-only file is off");
        return CN_ERR;
    }
    aof_write_and_sync(ps.w, true, clock_mono_us());
    aof_fsync_now(ps.w);
    flush_all_dbs();
    loading_begin(0, false);
    int rc = aof_load_files(&ps.man);
    loading_end();
    if (rc != CN_OK) snprintf(err, errlen, "Error loading the AOF: see the log");
    server.dirty = 0;
    return rc;
}

/* ---------------------------------------------------------------- INFO */

void persist_info(sbuf *b) {
    int64_t now_ms = clock_mono_us() / 1000;
    bool bgsave = ps.child_type == CHILD_BGSAVE, rewrite = ps.child_type == CHILD_REWRITE;
    sbuf_catfmt(b,
                "# Persistence\r\n"
                "loading:%d\r\n"
                "async_loading:0\r\n",
                server.loading ? 1 : 0);
    if (server.loading) {
        double perc = ps.loading_total ? 100.0 * (double)ps.loading_done / (double)ps.loading_total : 0;
        int64_t elapsed = now_ms - ps.loading_start_mono_ms;
        long long eta = ps.loading_done && ps.loading_total > ps.loading_done
                            ? (long long)((double)elapsed / 1000.0 *
                                          (double)(ps.loading_total - ps.loading_done) /
                                          (double)ps.loading_done)
                            : 1;
        sbuf_catfmt(b,
                    "loading_start_time:%lld\r\n"
                    "loading_total_bytes:%llu\r\n"
                    "loading_rdb_used_mem:0\r\n"
                    "loading_loaded_bytes:%llu\r\n"
                    "loading_loaded_perc:%.2f\r\n"
                    "loading_eta_seconds:%lld\r\n",
                    (long long)ps.loading_start_s, (unsigned long long)ps.loading_total,
                    (unsigned long long)ps.loading_done, perc, eta);
    }
    sbuf_catfmt(b,
                "current_cow_peak:0\r\n"
                "current_cow_size:0\r\n"
                "current_cow_size_age:0\r\n"
                "current_fork_perc:0.00\r\n"
                "current_save_keys_processed:0\r\n"
                "current_save_keys_total:0\r\n"
                "rdb_changes_since_last_save:%lld\r\n"
                "rdb_bgsave_in_progress:%d\r\n"
                "rdb_last_save_time:%lld\r\n"
                "rdb_last_bgsave_status:%s\r\n"
                "rdb_last_bgsave_time_sec:%lld\r\n"
                "rdb_current_bgsave_time_sec:%lld\r\n"
                "rdb_saves:%lld\r\n"
                "rdb_last_cow_size:%zu\r\n"
                "rdb_last_load_keys_expired:%lld\r\n"
                "rdb_last_load_keys_loaded:%lld\r\n"
                "aof_enabled:%d\r\n"
                "aof_rewrite_in_progress:%d\r\n"
                "aof_rewrite_scheduled:%d\r\n"
                "aof_last_rewrite_time_sec:%lld\r\n"
                "aof_current_rewrite_time_sec:%lld\r\n"
                "aof_last_bgrewrite_status:%s\r\n"
                "aof_rewrites:%lld\r\n"
                "aof_rewrites_consecutive_failures:%lld\r\n"
                "aof_last_write_status:%s\r\n"
                "aof_last_cow_size:%zu\r\n"
                "module_fork_in_progress:0\r\n"
                "module_fork_last_cow_size:0\r\n",
                server.dirty, bgsave ? 1 : 0, (long long)server.lastsave,
                ps.last_bgsave_status == CN_OK ? "ok" : "err", ps.last_bgsave_time_s,
                bgsave ? (long long)((now_ms - ps.child_start_ms) / 1000) : -1LL, ps.rdb_saves,
                ps.rdb_last_cow, ps.last_load_keys_expired, ps.last_load_keys_loaded,
                server.aof_enabled ? 1 : 0, rewrite ? 1 : 0, ps.rewrite_scheduled ? 1 : 0,
                ps.last_rewrite_time_s,
                rewrite ? (long long)((now_ms - ps.child_start_ms) / 1000) : -1LL,
                ps.last_rewrite_status == CN_OK ? "ok" : "err", ps.rewrites,
                ps.rewrites_failed_in_row, ps.last_write_errno ? "err" : "ok",
                ps.aof_last_cow);
    if (ps.w) {
        aof_writer_stats st;
        aof_writer_stats_get(ps.w, &st);
        sbuf_catfmt(b,
                    "aof_current_size:%lld\r\n"
                    "aof_base_size:%lld\r\n"
                    "aof_pending_rewrite:%d\r\n"
                    "aof_buffer_length:%zu\r\n"
                    "aof_pending_bio_fsync:%d\r\n"
                    "aof_delayed_fsync:%llu\r\n",
                    aof_current_size(), ps.rewrite_base_size, ps.rewrite_scheduled ? 1 : 0,
                    st.buffered, st.fsync_in_progress ? 1 : 0, st.delayed_fsyncs);
    }
}
