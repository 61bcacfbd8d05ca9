/* tests/integration/test_persist.c: snapshots. SAVE, BGSAVE (a forked child while the
 * parent serves; BGSAVE SCHEDULE behind an AOF rewrite), the save rules and `save ""`,
 * LASTSAVE, saving on SHUTDOWN and SIGTERM, DEBUG RELOAD, loading at start-up (-LOADING
 * and the INFO loading fields while it lasts), round trips of every type and encoding
 * with TTLs, truncated and damaged files refused at start-up, and disk errors (a full or
 * read-only directory on a small tmpfs: MISCONF, the INFO status fields, the old file
 * intact). The AOF is test_persist_aof.c.
 *
 * Every server gets --dbfilename dump.test (Cairn's default is dump.csnap, Redis's
 * dump.rdb) so the same tests run against Redis 7.0.15; checks of Cairn's own file format
 * and of its error messages (file name and offset) are behind srv_is_cairn(). The
 * loading test slows the loader with key-load-delay, BGSAVE tests slow the writer with
 * rdb-key-save-delay (both Redis's hidden test knobs, in microseconds per key). Tests
 * that need a tmpfs print "skipped" and pass when mount(8) fails (not root). */
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/harness.h"

#define DUMP "dump.test"

static bool IS_CAIRN;

/* ---- helpers -------------------------------------------------------------------------- */

/* The arguments every server here gets, then the given ones (NULL-terminated; the first
 * may be NULL for none). */
#define args_with(...)                                                                             \
    srv_args((const char *[]){"--dbfilename", DUMP, "--enable-debug-command", "yes",               \
                              "--enable-protected-configs", "yes", NULL},                          \
             __VA_ARGS__)

static bool file_exists(srv *s, const char *name) {
    char p[600];
    return access(srv_path(s, name, p, sizeof p), F_OK) == 0;
}

/* Send a SHUTDOWN variant on a raw socket; the server closes it and exits with status 0. */
static void shutdown_with(srv *s, const char *cmd) {
    int fd = raw_connect(s);
    char line[64];
    snprintf(line, sizeof line, "%s\r\n", cmd);
    raw_send_str(fd, line);
    raw_expect_closed(fd);
    close(fd);
    int status = -1;
    CHECK(srv_wait_exit(s, 10000, &status));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        test_fail(__FILE__, __LINE__, "%s: exit status 0x%x, expected a clean exit", cmd, status);
}

/* SAVE, close c and kill -9 the server; the snapshot's path in path and its bytes
 * (malloc'd; NULL if unreadable), *len set. */
static char *save_and_kill(srv *s, redisContext *c, char *path, size_t cap, size_t *len) {
    EXPECT_STATUS(c, "OK", "SAVE");
    redisFree(c);
    srv_kill(s, SIGKILL);
    return file_read(srv_path(s, DUMP, path, cap), len);
}

/* A start expected to fail: a non-zero exit (not a signal); Cairn names the file and,
 * if offset >= 0, "offset <offset>". Returns true if it was refused. */
static bool expect_refused_at(const char *file, int line, srv *s, const char *const *args,
                              const char *fname, long offset) {
    char *out = srv_expect_refused_at(file, line, s, args);
    bool ok = out != NULL;
    if (ok && IS_CAIRN) {
        char want[64];
        if (offset >= 0)
            snprintf(want, sizeof want, "offset %ld", offset);
        else
            snprintf(want, sizeof want, "offset");
        if (!strstr(out, fname) || !strstr(out, want)) {
            size_t len = strlen(out);
            test_fail(file, line, "the message should name %s and \"%s\"; the log ends:\n%s", fname,
                      want, len > 1500 ? out + len - 1500 : out);
        }
    }
    free(out);
    return ok;
}
#define EXPECT_REFUSED(s, args, fname, offset)                                                     \
    expect_refused_at(__FILE__, __LINE__, (s), (args), (fname), (offset))

/* ---- disk errors, on a small tmpfs ---------------------------------------------------- */

/* Names in dir other than the ones given (NULL-terminated), joined by ' ' (static). */
static const char *unexpected_files(const char *dir, const char *const *known) {
    static char out[512];
    out[0] = '\0';
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        bool k = false;
        for (const char *const *n = known; *n; n++) k = k || !strcmp(*n, e->d_name);
        if (!k && strlen(out) + strlen(e->d_name) + 2 < sizeof out) {
            strcat(out, " ");
            strcat(out, e->d_name);
        }
    }
    if (d) closedir(d);
    return out;
}

static bool log_has(srv *s, const char *text) {
    char *t = srv_log_text(s);
    bool has = strstr(t, text) != NULL;
    free(t);
    return has;
}

/* What the disk-error tests start from: a fresh tmpfs of the given size, a server with the
 * rule "save 3600 1" saving into it, n keys "key:<i>" written and saved there. */
typedef struct {
    const char *mnt;
    srv *s;
    redisContext *c;
    char path[128]; /* the snapshot in mnt */
    char *orig;     /* its bytes after that first SAVE (malloc'd) */
    size_t len;
} saved_on_tmpfs;

/* False (nothing mounted any more) if there is nothing to test. */
static bool save_on_tmpfs(saved_on_tmpfs *t, const char *size, const char *test, int n) {
    *t = (saved_on_tmpfs){.mnt = tmpfs_mount(size, test)};
    if (!t->mnt) return false;
    srv_argv a = args_with("--save", "3600 1", NULL);
    t->s = srv_start(a.v);
    if (!t->s) {
        tmpfs_umount();
        return false;
    }
    t->c = srv_connect(t->s);
    EXPECT_STATUS(t->c, "OK", "CONFIG SET dir %s", t->mnt);
    dataset_write_keys(t->c, "key:", "value:", n);
    EXPECT_STATUS(t->c, "OK", "SAVE");
    snprintf(t->path, sizeof t->path, "%s/%s", t->mnt, DUMP);
    t->orig = file_read(t->path, &t->len);
    return true;
}

/* A BGSAVE that fails: INFO says so once it is over, and new connections are still served
 * (the child must leave the parent's listeners alone, also when it fails). */
static void expect_bgsave_fails(saved_on_tmpfs *t) {
    EXPECT_STATUS(t->c, "Background saving started", "BGSAVE");
    WAIT_FOR(info_persist_is(t->c, "rdb_bgsave_in_progress", "0"), 10000);
    CHECK_INFO_PERSIST(t->c, "rdb_last_bgsave_status", "err");
    if (!srv_serves_new_connection(t->s))
        test_fail(__FILE__, __LINE__,
                  "after the failed BGSAVE, a new connection gets no reply in 2 s");
}

/* The snapshot is still the one the first SAVE wrote. */
static void expect_old_file_intact(const saved_on_tmpfs *t) {
    size_t len = 0;
    char *now = file_read(t->path, &len);
    CHECK(t->orig && now && len == t->len && memcmp(now, t->orig, len) == 0);
    free(now);
}

/* ---- tests -------------------------------------------------------------------------- */

/* Defaults, the INFO persistence field names, and SIGTERM saving under the default rules. */
static void t_defaults_and_info(void) {
    srv *s = srv_start((const char *[]){"--enable-debug-command", "yes", NULL});
    if (!s) return;
    redisContext *c = srv_connect(s);
    EXPECT_ARRAY_STRS(c, ((const char *[]){"save", "3600 1 300 100 60 10000"}), 2,
                      "CONFIG GET save");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"dbfilename", IS_CAIRN ? "dump.csnap" : "dump.rdb"}), 2,
                      "CONFIG GET dbfilename");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"appendonly", "no"}), 2, "CONFIG GET appendonly");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"appendfsync", "everysec"}), 2,
                      "CONFIG GET appendfsync");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"appendfilename", "appendonly.aof"}), 2,
                      "CONFIG GET appendfilename");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"appenddirname", "appendonlydir"}), 2,
                      "CONFIG GET appenddirname");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"stop-writes-on-bgsave-error", "yes"}), 2,
                      "CONFIG GET stop-writes-on-bgsave-error");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"aof-load-truncated", "yes"}), 2,
                      "CONFIG GET aof-load-truncated");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"auto-aof-rewrite-percentage", "100"}), 2,
                      "CONFIG GET auto-aof-rewrite-percentage");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"auto-aof-rewrite-min-size", "67108864"}), 2,
                      "CONFIG GET auto-aof-rewrite-min-size");
    static const char *fields[] = {"loading",
                                   "rdb_changes_since_last_save",
                                   "rdb_bgsave_in_progress",
                                   "rdb_last_save_time",
                                   "rdb_last_bgsave_status",
                                   "rdb_last_bgsave_time_sec",
                                   "rdb_current_bgsave_time_sec",
                                   "rdb_saves",
                                   "rdb_last_cow_size",
                                   "aof_enabled",
                                   "aof_rewrite_in_progress",
                                   "aof_rewrite_scheduled",
                                   "aof_last_rewrite_time_sec",
                                   "aof_current_rewrite_time_sec",
                                   "aof_last_bgrewrite_status",
                                   "aof_rewrites",
                                   "aof_last_write_status",
                                   "aof_last_cow_size"};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        char *v = info_field(c, "persistence", fields[i]);
        if (!v) test_fail(__FILE__, __LINE__, "INFO persistence has no %s", fields[i]);
        free(v);
    }
    CHECK_INFO_PERSIST(c, "loading", "0");
    CHECK_INFO_PERSIST(c, "rdb_bgsave_in_progress", "0");
    CHECK_INFO_PERSIST(c, "rdb_last_bgsave_status", "ok");
    CHECK_INFO_PERSIST(c, "aof_enabled", "0");
    CHECK_INFO_PERSIST(c, "aof_last_write_status", "ok");
    CHECK_INFO_PERSIST(c, "aof_last_bgrewrite_status", "ok");
    CHECK_INFO_PERSIST(c, "rdb_saves", "0");
    long long t = (long long)time(NULL);
    CHECK_RANGE(info_persist(c, "rdb_last_save_time"), t - 30, t + 1);
    EXPECT_STATUS(c, "OK", "SET a 1");
    EXPECT_STATUS(c, "OK", "SET b 2");
    CHECK_EQ_INT(info_persist(c, "rdb_changes_since_last_save"), 2);
    redisFree(c);
    /* SIGTERM with save rules set saves the dataset and exits cleanly. */
    const char *name = IS_CAIRN ? "dump.csnap" : "dump.rdb";
    CHECK(!file_exists(s, name));
    CHECK(srv_kill(s, SIGTERM));
    int st = srv_exit_status(s);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CHECK(file_exists(s, name));
    if (srv_restart(s, (const char *[]){"--save", "", NULL})) {
        c = srv_connect(s);
        EXPECT_BULK(c, "1", "GET a");
        EXPECT_INT(c, 2, "DBSIZE");
        CHECK_INFO_PERSIST(c, "rdb_changes_since_last_save", "0");
        redisFree(c);
    }
    srv_stop(s);
}

/* Every type and encoding through SAVE and a restart (after kill -9: only SAVE wrote it).
 * On Cairn, once per snapshot codec. */
static void t_roundtrip(void) {
    srv_argv a = args_with("--save", "", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    long n = dataset_fill(c);
    dataset *before = dataset_capture(c);
    CHECK_EQ_INT(dataset_keys(before), n);
    redisFree(c);
    static const char *codecs[] = {NULL, "none", "lz4", "zstd"};
    for (size_t i = 0; i < (IS_CAIRN ? 4 : 1); i++) {
        c = srv_connect(s);
        if (codecs[i]) EXPECT_STATUS(c, "OK", "CONFIG SET snapshot-compression %s", codecs[i]);
        EXPECT_STATUS(c, "OK", "SAVE");
        CHECK_INFO_PERSIST(c, "rdb_changes_since_last_save", "0");
        redisFree(c);
        srv_kill(s, SIGKILL);
        if (IS_CAIRN) {
            char p[600];
            size_t len = 0;
            char *bytes = file_read(srv_path(s, DUMP, p, sizeof p), &len);
            CHECK(bytes && len > 24 && memcmp(bytes, "CAIRNSNP", 8) == 0);
            if (bytes && len > 24 && codecs[i])
                CHECK_EQ_INT(bytes[10], !strcmp(codecs[i], "none")  ? 0
                                        : !strcmp(codecs[i], "lz4") ? 1
                                                                    : 2);
            free(bytes);
        }
        if (!srv_restart(s, a.v)) break;
        c = srv_connect(s);
        dataset *after = dataset_capture(c);
        if (!CHECK_SAME_DATASET(before, after, 2000))
            fprintf(stderr, "    (codec %s)\n", codecs[i] ? codecs[i] : "default");
        dataset_free(after);
        redisFree(c);
    }
    dataset_free(before);
    srv_stop(s);
}

/* A TTL survives a restart roughly intact; a key whose TTL passes while the server is down
 * is not loaded at all. */
static void t_ttl_across_restart(void) {
    srv_argv a = args_with("--save", "", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    long long t0 = now_ms();
    EXPECT_STATUS(c, "OK", "SET keep v PX 60000");
    EXPECT_STATUS(c, "OK", "SET soon v PX 1000");
    EXPECT_INT(c, 2, "HSET hsoon f v g w");
    EXPECT_INT(c, 1, "PEXPIRE hsoon 1000");
    EXPECT_INT(c, 1, "SADD ssoon 1");
    EXPECT_INT(c, 1, "PEXPIREAT ssoon %lld", (long long)time(NULL) * 1000 + 1000);
    EXPECT_STATUS(c, "OK", "SAVE");
    redisFree(c);
    srv_kill(s, SIGKILL);
    while (now_ms() < t0 + 2100) sleep_ms(10); /* the condition is the passing of time */
    if (!srv_restart(s, a.v)) {
        srv_stop(s);
        return;
    }
    c = srv_connect(s);
    EXPECT_INT(c, 1, "DBSIZE"); /* expired keys were not even loaded */
    EXPECT_ARRAY_STRS(c, ((const char *[]){"keep"}), 1, "KEYS *");
    EXPECT_INT(c, 0, "EXISTS soon hsoon ssoon");
    long long pttl = CMD_INT(c, "PTTL keep");
    CHECK_RANGE(pttl, 60000 - (now_ms() - t0) - 1000, 60000);
    redisFree(c);
    srv_stop(s);
}

/* BGSAVE: in progress while the parent serves; a second one is refused; the snapshot is
 * the dataset at the fork (later writes are not in it). */
static void t_bgsave(void) {
    srv_argv a = args_with("--save", "", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    dataset_write_keys(c, "key:", "value:", 200);
    long long saves = info_persist(c, "rdb_saves");
    long long t0 = (long long)time(NULL);
    EXPECT_STATUS(c, "OK", "CONFIG SET rdb-key-save-delay 5000"); /* 200 keys: 1 s */
    EXPECT_STATUS(c, "Background saving started", "BGSAVE");
    CHECK_INFO_PERSIST(c, "rdb_bgsave_in_progress", "1");
    EXPECT_ERR(c, "ERR Background save already in progress", "BGSAVE");
    /* The parent keeps serving, reads and writes. */
    EXPECT_BULK(c, "value:7", "GET key:7");
    EXPECT_STATUS(c, "OK", "SET during 1");
    EXPECT_INT(c, 1, "DEL key:0");
    CHECK_INFO_PERSIST(c, "rdb_bgsave_in_progress", "1");
    CHECK(info_persist(c, "rdb_current_bgsave_time_sec") >= 0);
    WAIT_FOR(info_persist_is(c, "rdb_bgsave_in_progress", "0"), 10000);
    CHECK_INFO_PERSIST(c, "rdb_last_bgsave_status", "ok");
    if (!srv_serves_new_connection(s)) /* the child must leave the parent's listeners alone */
        test_fail(__FILE__, __LINE__, "after a BGSAVE, a new connection gets no reply in 2 s");
    CHECK_EQ_INT(info_persist(c, "rdb_saves"), saves + 1);
    CHECK_EQ_INT(info_persist(c, "rdb_changes_since_last_save"), 2); /* the writes after the fork */
    CHECK(info_persist(c, "rdb_last_bgsave_time_sec") >= 0);
    CHECK_EQ_INT(info_persist(c, "rdb_current_bgsave_time_sec"), -1);
    CHECK(info_persist(c, "rdb_last_cow_size") >= 0);
    /* The fork is counted and timed in INFO stats; RESETSTAT clears both. */
    CHECK_EQ_INT(info_int(c, "stats", "total_forks"), 1);
    CHECK_RANGE(info_int(c, "stats", "latest_fork_usec"), 1, 10000000);
    EXPECT_STATUS(c, "OK", "CONFIG RESETSTAT");
    CHECK_EQ_INT(info_int(c, "stats", "total_forks"), 0);
    CHECK_EQ_INT(info_int(c, "stats", "latest_fork_usec"), 0);
    long long last = CMD_INT(c, "LASTSAVE");
    CHECK_RANGE(last, t0, (long long)time(NULL));
    CHECK_EQ_INT(info_persist(c, "rdb_last_save_time"), last);
    EXPECT_STATUS(c, "OK", "CONFIG SET rdb-key-save-delay 0");
    redisFree(c);
    srv_kill(s, SIGKILL);
    if (srv_restart(s, a.v)) {
        c = srv_connect(s);
        EXPECT_INT(c, 200, "DBSIZE");
        EXPECT_BULK(c, "value:0", "GET key:0"); /* deleted after the fork */
        EXPECT_NIL(c, "GET during");            /* written after the fork */
        EXPECT_BULK(c, "value:199", "GET key:199");
        redisFree(c);
    }
    srv_stop(s);
}

/* Only one child at a time: BGSAVE during an AOF rewrite is refused, or runs afterwards
 * with SCHEDULE; BGREWRITEAOF during a BGSAVE is scheduled. */
static void t_bgsave_schedule(void) {
    srv_argv a = args_with("--save", "", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    dataset_write_keys(c, "key:", "value:", 200);
    long long saves = info_persist(c, "rdb_saves"), rewrites = info_persist(c, "aof_rewrites");
    EXPECT_STATUS(c, "OK", "CONFIG SET rdb-key-save-delay 2500"); /* 200 keys: 0.5 s */
    /* Redis rewrites with appendonly no too: it writes a base and a manifest. */
    EXPECT_STATUS(c, "Background append only file rewriting started", "BGREWRITEAOF");
    if (!info_persist_is(c, "aof_rewrite_in_progress", "1")) {
        test_fail(__FILE__, __LINE__, "no rewrite in progress: the rest of this test needs one");
        EXPECT_STATUS(c, "OK", "CONFIG SET rdb-key-save-delay 0");
        redisFree(c);
        srv_stop(s);
        return;
    }
    EXPECT_ERR(c, "ERR Background append only file rewriting already in progress", "BGREWRITEAOF");
    EXPECT_ERR(c,
               "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE "
               "SCHEDULE in order to schedule a BGSAVE whenever possible.",
               "BGSAVE");
    EXPECT_STATUS(c, "Background saving scheduled", "BGSAVE SCHEDULE");
    EXPECT_STATUS(c, "Background saving scheduled", "BGSAVE SCHEDULE");
    CHECK_INFO_PERSIST(c, "rdb_bgsave_in_progress", "0");
    WAIT_FOR(info_persist_is(c, "rdb_bgsave_in_progress", "1"), 10000); /* after the rewrite */
    CHECK_INFO_PERSIST(c, "aof_rewrite_in_progress", "0");
    CHECK_EQ_INT(info_persist(c, "aof_rewrites"), rewrites + 1);
    CHECK_INFO_PERSIST(c, "aof_last_bgrewrite_status", "ok");
    /* Now a BGSAVE runs: a rewrite waits for it. */
    EXPECT_STATUS(c, "Background append only file rewriting scheduled", "BGREWRITEAOF");
    CHECK_INFO_PERSIST(c, "aof_rewrite_scheduled", "1");
    WAIT_FOR(info_persist_is(c, "rdb_bgsave_in_progress", "0"), 10000);
    CHECK_EQ_INT(info_persist(c, "rdb_saves"), saves + 1); /* the two SCHEDULEs made one save */
    CHECK_INFO_PERSIST(c, "rdb_last_bgsave_status", "ok");
    CHECK(file_exists(s, DUMP));
    WAIT_FOR(info_persist(c, "aof_rewrites") == rewrites + 2, 10000);
    CHECK_INFO_PERSIST(c, "aof_rewrite_scheduled", "0");
    EXPECT_STATUS(c, "OK", "CONFIG SET rdb-key-save-delay 0");
    redisFree(c);
    srv_stop(s);
}

static void t_lastsave(void) {
    srv_argv a = args_with("--save", "", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    long long l0 = CMD_INT(c, "LASTSAVE");
    long long now = (long long)time(NULL);
    CHECK_RANGE(l0, now - 30, now);                   /* start-up counts as the last save */
    while ((long long)time(NULL) <= l0) sleep_ms(10); /* LASTSAVE has 1 s resolution */
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_STATUS(c, "OK", "SAVE");
    long long l1 = CMD_INT(c, "LASTSAVE");
    CHECK(l1 > l0);
    CHECK(l1 <= (long long)time(NULL));
    CHECK_EQ_INT(info_persist(c, "rdb_last_save_time"), l1);
    CHECK_EQ_INT(info_persist(c, "rdb_changes_since_last_save"), 0);
    CHECK(file_exists(s, DUMP));
    redisFree(c);
    srv_stop(s);
}

/* FLUSHALL with save rules saves the empty dataset at once (Redis's rule), so a crash
 * right after it cannot bring the flushed keys back; a BGSAVE in progress is killed. */
static void t_flushall_saves(void) {
    srv_argv a = args_with("--save", "3600 1", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_STATUS(c, "OK", "SAVE");
    EXPECT_STATUS(c, "OK", "CONFIG SET rdb-key-save-delay 100000");
    EXPECT_STATUS(c, "OK", "SET k2 v2");
    EXPECT_STATUS(c, "Background saving started", "BGSAVE");
    CHECK_INFO_PERSIST(c, "rdb_bgsave_in_progress", "1");
    EXPECT_STATUS(c, "OK", "CONFIG SET rdb-key-save-delay 0");
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    WAIT_FOR(info_persist_is(c, "rdb_bgsave_in_progress", "0"), 5000);
    redisFree(c);
    srv_kill(s, SIGKILL);
    if (!srv_restart(s, a.v)) return;
    c = srv_connect(s);
    EXPECT_INT(c, 0, "DBSIZE");
    redisFree(c);
    srv_stop(s);
}

/* "save 1 1": a write is saved within about a second by a background save; save ""
 * disables the rules. */
static void t_save_rules(void) {
    srv_argv a = args_with("--save", "1 1", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    EXPECT_ARRAY_STRS(c, ((const char *[]){"save", "1 1"}), 2, "CONFIG GET save");
    long long saves = info_persist(c, "rdb_saves");
    CHECK(!file_exists(s, DUMP));
    EXPECT_STATUS(c, "OK", "SET k v");
    WAIT_FOR(info_persist(c, "rdb_saves") == saves + 1 &&
                 info_persist_is(c, "rdb_bgsave_in_progress", "0"),
             5000);
    CHECK_EQ_INT(info_persist(c, "rdb_changes_since_last_save"), 0);
    CHECK(file_exists(s, DUMP));
    /* save "": no rule, nothing is saved however long we wait. */
    EXPECT_STATUS(c, "OK", "CONFIG SET save %s", "");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"save", ""}), 2, "CONFIG GET save");
    EXPECT_STATUS(c, "OK", "SET k2 v");
    long long t0 = now_ms();
    while (now_ms() < t0 + 2200) sleep_ms(20); /* the condition is the passing of time */
    CHECK_EQ_INT(info_persist(c, "rdb_saves"), saves + 1);
    CHECK_EQ_INT(info_persist(c, "rdb_changes_since_last_save"), 1);
    /* Several rules, set at run time, read back as given. */
    EXPECT_STATUS(c, "OK", "CONFIG SET save %s", "3600 1 300 100");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"save", "3600 1 300 100"}), 2, "CONFIG GET save");
    EXPECT_STATUS(c, "OK", "CONFIG SET save %s", "");
    redisFree(c);
    srv_stop(s);
}

/* SHUTDOWN saves when save rules are set, SHUTDOWN NOSAVE never does, SHUTDOWN SAVE always
 * does; and SIGTERM follows the rules like SHUTDOWN. */
static void t_shutdown_save(void) {
    srv_argv rules = args_with(NULL), none = args_with("--save", "", NULL);
    srv *s = srv_start(rules.v); /* the default rules */
    if (!s) return;
    redisContext *c = srv_connect(s);
    EXPECT_STATUS(c, "OK", "SET a 1");
    redisFree(c);
    shutdown_with(s, "SHUTDOWN");
    CHECK(file_exists(s, DUMP));
    if (!srv_restart(s, rules.v)) goto out;
    c = srv_connect(s);
    EXPECT_BULK(c, "1", "GET a");
    EXPECT_STATUS(c, "OK", "SET b 2");
    redisFree(c);
    shutdown_with(s, "SHUTDOWN NOSAVE");
    if (!srv_restart(s, none.v)) goto out;
    c = srv_connect(s);
    EXPECT_BULK(c, "1", "GET a");
    EXPECT_NIL(c, "GET b"); /* NOSAVE */
    EXPECT_STATUS(c, "OK", "SET c 3");
    redisFree(c);
    shutdown_with(s, "SHUTDOWN"); /* no rules: no save */
    if (!srv_restart(s, none.v)) goto out;
    c = srv_connect(s);
    EXPECT_NIL(c, "GET c");
    EXPECT_STATUS(c, "OK", "SET d 4");
    redisFree(c);
    shutdown_with(s, "SHUTDOWN SAVE"); /* saves without rules */
    if (!srv_restart(s, rules.v)) goto out;
    c = srv_connect(s);
    EXPECT_BULK(c, "4", "GET d");
    EXPECT_STATUS(c, "OK", "SET e 5");
    redisFree(c);
    CHECK(srv_kill(s, SIGTERM)); /* rules: SIGTERM saves */
    CHECK(WIFEXITED(srv_exit_status(s)) && WEXITSTATUS(srv_exit_status(s)) == 0);
    if (!srv_restart(s, none.v)) goto out;
    c = srv_connect(s);
    EXPECT_BULK(c, "5", "GET e");
    EXPECT_STATUS(c, "OK", "SET f 6");
    redisFree(c);
    CHECK(srv_kill(s, SIGTERM)); /* no rules: SIGTERM does not save */
    if (!srv_restart(s, none.v)) goto out;
    c = srv_connect(s);
    EXPECT_NIL(c, "GET f");
    EXPECT_INT(c, 3, "DBSIZE");
    redisFree(c);
out:
    srv_stop(s);
}

/* DEBUG RELOAD saves, empties and loads: the data is the same afterwards. */
static void t_debug_reload(void) {
    srv_argv a = args_with("--save", "", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    dataset_fill(c);
    dataset *before = dataset_capture(c);
    EXPECT_STATUS(c, "OK", "DEBUG RELOAD");
    dataset *after = dataset_capture(c);
    CHECK_SAME_DATASET(before, after, 2000);
    CHECK(file_exists(s, DUMP));
    EXPECT_STATUS(c, "OK", "SET new v"); /* still writable */
    EXPECT_BULK(c, "v", "GET new");
    dataset_free(before);
    dataset_free(after);
    redisFree(c);
    srv_stop(s);
}

/* A slow load: -LOADING for every command that needs the data, INFO answers with the
 * loading fields, and everything is there at the end. */
static void t_loading(void) {
    srv_argv a = args_with("--save", "", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    dataset_write_keys(c, "key:", "value:", 2000);
    EXPECT_STATUS(c, "OK", "SAVE");
    redisFree(c);
    srv_kill(s, SIGKILL);
    /* 2,000 keys at 1 ms each. Redis only serves events every
     * loading-process-events-interval-bytes (2 MB by default) of the file. */
    srv_argv slow = IS_CAIRN ? args_with("--save", "", "--key-load-delay", "1000", NULL)
                             : args_with("--save", "", "--key-load-delay", "1000",
                                         "--loading-process-events-interval-bytes", "1024", NULL);
    srv_opts o = {.args = slow.v, .up_when_loading = true};
    if (!srv_restart_opts(s, &o)) {
        srv_stop(s);
        return;
    }
    c = srv_connect(s);
    EXPECT_ERR(c, "LOADING Redis is loading the dataset in memory", "GET key:1");
    EXPECT_ERR(c, "LOADING Redis is loading the dataset in memory", "SET x 1");
    EXPECT_ERR(c, "LOADING Redis is loading the dataset in memory", "PING");
    if (!info_persist_is(c, "loading", "1")) {
        test_fail(__FILE__, __LINE__,
                  "INFO persistence says loading:0 right after the server answered");
        char *log = srv_log_text(s); /* its timestamps show how long the load took */
        fprintf(stderr, "    the log:\n%s\n", log);
        free(log);
        redisFree(c);
        srv_stop(s);
        return;
    }
    static const char *fields[] = {"loading_start_time", "loading_total_bytes",
                                   "loading_loaded_bytes", "loading_loaded_perc",
                                   "loading_eta_seconds"};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        char *v = info_field(c, "persistence", fields[i]);
        if (!v)
            test_fail(__FILE__, __LINE__, "INFO persistence has no %s while loading", fields[i]);
        free(v);
    }
    char *p1 = info_field(c, "persistence", "loading_loaded_perc");
    CHECK(info_persist(c, "loading_total_bytes") > 0);
    long long t = (long long)time(NULL);
    CHECK_RANGE(info_persist(c, "loading_start_time"), t - 5, t);
    WAIT_FOR(info_persist(c, "loading_loaded_bytes") > 0, 5000);
    char *p2 = info_field(c, "persistence", "loading_loaded_perc");
    if (p1 && p2) {
        CHECK(strtod(p1, NULL) >= 0 && strtod(p1, NULL) <= 100);
        CHECK(strtod(p2, NULL) >= strtod(p1, NULL));
    }
    free(p1);
    free(p2);
    WAIT_FOR(info_persist_is(c, "loading", "0"), 15000);
    EXPECT_INT(c, 2000, "DBSIZE");
    EXPECT_BULK(c, "value:1999", "GET key:1999");
    char *gone = info_field(c, "persistence", "loading_loaded_perc");
    CHECK(gone == NULL); /* the loading_* fields are only there while loading */
    free(gone);
    redisFree(c);
    srv_stop(s);
}

/* A snapshot cut at every offset is refused (non-zero exit; Cairn names the file and the
 * offset), and the intact file still loads afterwards. */
static void t_truncated(void) {
    srv_argv a = args_with("--save", "", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    EXPECT_STATUS(c, "OK", "SET a 1");
    EXPECT_INT(c, 2, "RPUSH l x y");
    EXPECT_INT(c, 1, "HSET h f v");
    EXPECT_STATUS(c, "OK", "SET t v PX 100000");
    char path[600];
    size_t len = 0;
    char *orig = save_and_kill(s, c, path, sizeof path, &len);
    CHECK(orig && len > 16);
    long long t0 = now_ms();
    int refused = 0;
    for (size_t cut = 0; orig && cut < len; cut++) {
        CHECK(file_write(path, orig, cut));
        if (EXPECT_REFUSED(s, a.v, DUMP, (long)cut))
            refused++;
        else
            fprintf(stderr, "      (file cut to %zu of %zu bytes)\n", cut, len);
        if (test_checks_failed > 10) break;
    }
    if (getenv("TEST_VERBOSE"))
        fprintf(stderr, "    %d cuts refused in %lld ms\n", refused, now_ms() - t0);
    if (orig) CHECK(file_write(path, orig, len));
    if (srv_restart(s, a.v)) {
        c = srv_connect(s);
        EXPECT_INT(c, 4, "DBSIZE");
        EXPECT_BULK(c, "1", "GET a");
        redisFree(c);
    }
    free(orig);
    srv_stop(s);
}

/* A large snapshot (every type, a 1 MB string) cut at a few places is refused too. */
static void t_truncated_large(void) {
    srv_argv a = args_with("--save", "", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    dataset_fill(c);
    char path[600];
    size_t len = 0;
    char *orig = save_and_kill(s, c, path, sizeof path, &len);
    CHECK(orig && len > 1000);
    size_t cuts[] = {10, 40, len / 4, len / 2, len - 1000, len - 9, len - 8, len - 1};
    for (size_t i = 0; orig && i < sizeof cuts / sizeof *cuts; i++) {
        CHECK(file_write(path, orig, cuts[i]));
        if (!EXPECT_REFUSED(s, a.v, DUMP, (long)cuts[i]))
            fprintf(stderr, "      (file cut to %zu of %zu bytes)\n", cuts[i], len);
    }
    free(orig);
    srv_stop(s);
}

/* A flipped byte anywhere (header, records, checksum) is detected: the server refuses to
 * start, and Cairn names the file and an offset. */
static void t_flipped_byte(void) {
    srv_argv a = args_with("--save", "", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    EXPECT_STATUS(c, "OK", "SET a 1");
    EXPECT_STATUS(c, "OK", "SET str %s", "some string value that is longer than a few bytes");
    EXPECT_INT(c, 3, "RPUSH l x y z");
    EXPECT_INT(c, 2, "HSET h f v g w");
    EXPECT_INT(c, 3, "SADD s 1 2 3");
    EXPECT_INT(c, 2, "ZADD z 1 a 2 b");
    char path[600];
    size_t len = 0;
    char *orig = save_and_kill(s, c, path, sizeof path, &len);
    CHECK(orig && len > 64);
    if (!orig || len <= 64) {
        free(orig);
        srv_stop(s);
        return;
    }
    size_t at[] = {0,       3,       7,           8,        10,      12,      14,     20,
                   len / 3, len / 2, 2 * len / 3, len - 12, len - 9, len - 8, len - 1};
    unsigned char masks[] = {0x01, 0x80};
    bool check_tool = access("utils/tools/cairn-check", X_OK) == 0;
    char *bad = malloc(len);
    for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
        for (size_t m = 0; m < sizeof masks; m++) {
            /* Redis reads the version digits with atoi: "0010" with one byte's top bit
             * flipped reads as version 1 or 0, which it accepts, and versions below 5 have
             * no checksum. Cairn must refuse that too. */
            if (!IS_CAIRN && at[i] >= 5 && at[i] <= 8 && masks[m] == 0x80) continue;
            memcpy(bad, orig, len);
            bad[at[i]] ^= (char)masks[m];
            CHECK(file_write(path, bad, len));
            if (!EXPECT_REFUSED(s, a.v, DUMP, -1))
                fprintf(stderr, "      (byte %zu of %zu flipped with 0x%02x)\n", at[i], len,
                        masks[m]);
            if (IS_CAIRN && check_tool) { /* cairn-check, if built, finds it too */
                char cmd[800];
                snprintf(cmd, sizeof cmd, "utils/tools/cairn-check snapshot '%s' >/dev/null 2>&1",
                         path);
                int rc = system(cmd);
                if (!WIFEXITED(rc) || WEXITSTATUS(rc) != 1)
                    test_fail(__FILE__, __LINE__,
                              "cairn-check snapshot: status 0x%x for byte %zu flipped "
                              "with 0x%02x, expected exit 1",
                              rc, at[i], masks[m]);
            }
        }
    }
    free(bad);
    CHECK(file_write(path, orig, len));
    if (IS_CAIRN && check_tool) {
        char cmd[800];
        snprintf(cmd, sizeof cmd, "utils/tools/cairn-check snapshot '%s' >/dev/null 2>&1", path);
        CHECK_EQ_INT(system(cmd), 0);
    }
    if (srv_restart(s, a.v)) {
        c = srv_connect(s);
        EXPECT_INT(c, 6, "DBSIZE");
        redisFree(c);
    }
    free(orig);
    srv_stop(s);
}

/* A full disk: BGSAVE fails visibly (INFO, log), writes get -MISCONF while the rules are
 * set and stop-writes-on-bgsave-error is yes, the previous snapshot is untouched and no
 * temp file is left; once there is room a save succeeds and writes are accepted again. */
static void t_disk_full(void) {
    saved_on_tmpfs t;
    if (!save_on_tmpfs(&t, "1m", "disk full", 1000)) return;
    redisContext *c = t.c;
    CHECK(t.orig && t.len > 0);
    tmpfs_fill(0);
    dataset_write_keys(c, "more:", "value:", 500); /* in memory: fine */
    expect_bgsave_fails(&t);
    EXPECT_ERR_PREFIX(c, "MISCONF ", "SET x 1");
    EXPECT_ERR_PREFIX(c, "MISCONF ", "DEL key:1");
    EXPECT_BULK(c, "value:1", "GET key:1");   /* reads go on */
    EXPECT_ERR_PREFIX(c, "MISCONF ", "PING"); /* Redis refuses PING too (processCommand) */
    EXPECT_ERR_PREFIX(c, "ERR", "SAVE");      /* the foreground save fails too */
    CHECK(log_has(t.s, "No space left on device"));
    expect_old_file_intact(&t);
    const char *known[] = {DUMP, "filler", NULL};
    const char *extra = unexpected_files(t.mnt, known);
    if (*extra) test_fail(__FILE__, __LINE__, "files left in the full directory:%s", extra);
    /* stop-writes-on-bgsave-error no: writes go on despite the failure. */
    EXPECT_STATUS(c, "OK", "CONFIG SET stop-writes-on-bgsave-error no");
    EXPECT_STATUS(c, "OK", "SET x 1");
    EXPECT_STATUS(c, "OK", "CONFIG SET stop-writes-on-bgsave-error yes");
    EXPECT_ERR_PREFIX(c, "MISCONF ", "SET x 2");
    /* Room again: a successful save lifts the ban. */
    tmpfs_unfill();
    EXPECT_STATUS(c, "Background saving started", "BGSAVE");
    WAIT_FOR(info_persist_is(c, "rdb_bgsave_in_progress", "0"), 10000);
    CHECK_INFO_PERSIST(c, "rdb_last_bgsave_status", "ok");
    EXPECT_STATUS(c, "OK", "SET x 3");
    EXPECT_STATUS(c, "OK", "SAVE");
    EXPECT_STATUS(c, "OK", "CONFIG SET dir %s", srv_dir(t.s));
    redisFree(c);
    free(t.orig);
    srv_stop(t.s);
    tmpfs_umount();
}

/* A read-only directory: BGSAVE and SAVE fail, the old file stays, SHUTDOWN (with rules)
 * refuses to exit without its save, SHUTDOWN NOSAVE does. */
static void t_readonly_dir(void) {
    saved_on_tmpfs t;
    if (!save_on_tmpfs(&t, "4m", "read-only directory", 100)) return;
    redisContext *c = t.c;
    tmpfs_remount("ro");
    EXPECT_STATUS(c, "OK", "SET x 1");
    expect_bgsave_fails(&t);
    EXPECT_ERR_PREFIX(c, "ERR", "SAVE");
    EXPECT_ERR_PREFIX(c, "MISCONF ", "SET x 2");
    CHECK(log_has(t.s, "Read-only file system"));
    EXPECT_ERR(c, "ERR Errors trying to SHUTDOWN. Check logs.", "SHUTDOWN");
    EXPECT_BULK(c, "value:1", "GET key:1"); /* still running */
    expect_old_file_intact(&t);
    free(t.orig);
    /* On this connection: the test does not depend on new ones being served. */
    redisReply *r = redisCommand(c, "SHUTDOWN NOSAVE");
    CHECK(r == NULL); /* the server closes the connection */
    if (r) freeReplyObject(r);
    redisFree(c);
    int status = -1;
    CHECK(srv_wait_exit(t.s, 10000, &status));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    tmpfs_remount("rw");
    srv_stop(t.s);
    tmpfs_umount();
}

/* kill -9 of the server and its child in the middle of a BGSAVE (its temp file half
 * written): the previous snapshot loads, and the next BGSAVE succeeds. */
static void t_crash_during_bgsave(void) {
    srv_argv a = args_with("--save", "", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    dataset_write_keys(c, "key:", "value:", 300);
    EXPECT_STATUS(c, "OK", "SAVE");
    dataset_write_keys(c, "more:", "value:", 300);
    EXPECT_STATUS(c, "OK", "CONFIG SET rdb-key-save-delay 5000"); /* 600 keys: 3 s */
    EXPECT_STATUS(c, "Background saving started", "BGSAVE");
    int kids[8];
    WAIT_FOR(srv_children(s, kids, 8) >= 1, 2000);
    long long t0 = now_ms();
    while (now_ms() < t0 + 300) sleep_ms(10); /* let it write part of its file */
    CHECK_INFO_PERSIST(c, "rdb_bgsave_in_progress", "1");
    redisFree(c);
    srv_kill_with_children(s, SIGKILL);
    if (srv_restart(s, a.v)) {
        c = srv_connect(s);
        EXPECT_INT(c, 300, "DBSIZE");
        EXPECT_NIL(c, "GET more:1");
        EXPECT_STATUS(c, "Background saving started", "BGSAVE");
        WAIT_FOR(info_persist_is(c, "rdb_bgsave_in_progress", "0"), 10000);
        CHECK_INFO_PERSIST(c, "rdb_last_bgsave_status", "ok");
        redisFree(c);
    }
    srv_stop(s);
}

int main(void) {
    srv_argv a = args_with(NULL);
    IS_CAIRN = srv_detect_cairn(a.v); /* Cairn-only checks depend on it */
    test_run("defaults, INFO persistence fields, SIGTERM saves", t_defaults_and_info);
    test_run("every type and encoding through SAVE and restart", t_roundtrip);
    test_run("TTLs across a restart", t_ttl_across_restart);
    test_run("BGSAVE in a child while the parent serves", t_bgsave);
    test_run("BGSAVE SCHEDULE and an AOF rewrite", t_bgsave_schedule);
    test_run("kill -9 during a BGSAVE", t_crash_during_bgsave);
    test_run("LASTSAVE", t_lastsave);
    test_run("FLUSHALL saves with rules", t_flushall_saves);
    test_run("save rules and save \"\"", t_save_rules);
    test_run("SHUTDOWN [NOSAVE|SAVE] and SIGTERM", t_shutdown_save);
    test_run("DEBUG RELOAD", t_debug_reload);
    test_run("-LOADING and INFO while loading", t_loading);
    test_run("truncated snapshot refused at every offset", t_truncated);
    test_run("large truncated snapshot refused", t_truncated_large);
    test_run("flipped bytes refused", t_flipped_byte);
    test_run("full disk: MISCONF, old file intact, recovery", t_disk_full);
    test_run("read-only directory", t_readonly_dir);
    tmpfs_umount();
    return test_summary("persist");
}
