/* tests/integration/test_persist_aof.c: the append-only file as a black box. The
 * multi-part layout (manifest, base, incremental files in appenddirname), round trips of
 * every type and encoding with TTLs, CONFIG SET appendonly yes at run time, BGREWRITEAOF
 * under a write load and the automatic rewrite, which file start-up loads, logs cut
 * inside their last command (aof-load-truncated yes and no) and damaged in the middle,
 * crash tests (kill -9 under a write load: appendfsync always keeps every acknowledged
 * write over 50 cycles, everysec loses at most the last two seconds), and a full disk.
 * What commands look like inside the AOF is test_aof_propagation.c.
 *
 * (The file is not named test_aof.c: tests/unit/test_aof.c already builds
 * build/tests/test_aof.)
 *
 * Runs against Redis 7.0.15 too (CAIRN_TEST_SERVER=/usr/bin/redis-server). Files are
 * found by globbing, not by fixed names: Cairn numbers base and incremental files from one
 * sequence and names its base "*.base.snap", Redis has two sequences and "*.base.rdb".
 * Cairn's own manifest syntax and its error messages (file, offset, cairn-check) are
 * checked behind srv_is_cairn(). The tmpfs test prints "skipped" and passes when
 * mount(8) fails. */
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/harness.h"

#define DUMP   "dump.test"
#define AOFDIR "appendonlydir"

static bool IS_CAIRN;

/* ---- helpers -------------------------------------------------------------------------- */

/* The arguments every server here gets (no save rules, a fixed dump name), then the
 * given ones (NULL-terminated; the first may be NULL for none). */
#define args_with(...)                                                                             \
    srv_args((const char *[]){"--dbfilename", DUMP, "--save", "", "--enable-debug-command", "yes", \
                              "--enable-protected-configs", "yes", NULL},                          \
             __VA_ARGS__)

static bool file_exists(const char *path) { return access(path, F_OK) == 0; }

/* Files of one kind ("base" or "incr") of the AOF named prefix in dir, sorted by their
 * sequence number: "<prefix>.<seq>.<kind>.<ext>". Returns how many (at most max). */
typedef struct {
    char name[256];
    long seq;
} aof_file;

static int cmp_seq(const void *a, const void *b) {
    long x = ((const aof_file *)a)->seq, y = ((const aof_file *)b)->seq;
    return x < y ? -1 : x > y;
}

static int aof_files(const char *dir, const char *prefix, const char *kind, aof_file *out,
                     int max) {
    DIR *d = opendir(dir);
    int n = 0;
    size_t pl = strlen(prefix);
    for (struct dirent *e; d && (e = readdir(d)) && n < max;) {
        if (strncmp(e->d_name, prefix, pl) != 0 || e->d_name[pl] != '.') continue;
        char *end;
        long seq = strtol(e->d_name + pl + 1, &end, 10);
        if (end == e->d_name + pl + 1 || *end != '.' || strncmp(end + 1, kind, strlen(kind)) != 0 ||
            end[1 + strlen(kind)] != '.' || strchr(end + 2 + strlen(kind), '.'))
            continue; /* not "<kind>.<ext>" exactly: e.g. a temp file */
        snprintf(out[n].name, sizeof out[n].name, "%s", e->d_name);
        out[n++].seq = seq;
    }
    if (d) closedir(d);
    qsort(out, (size_t)n, sizeof *out, cmp_seq);
    return n;
}

static int count_files(srv *s, const char *kind) {
    char dir[600];
    aof_file f[64];
    return aof_files(srv_path(s, AOFDIR, dir, sizeof dir), "appendonly.aof", kind, f, 64);
}

/* The path of the incremental file with the highest sequence number (the last one
 * replayed) in buf; false if there is none. */
static bool last_incr(srv *s, char *buf, size_t cap, const char **base_name) {
    char dir[600];
    aof_file f[64];
    int n = aof_files(srv_path(s, AOFDIR, dir, sizeof dir), "appendonly.aof", "incr", f, 64);
    if (n == 0) return false;
    if ((size_t)snprintf(buf, cap, "%s/%s", dir, f[n - 1].name) >= cap) return false;
    if (base_name) *base_name = strrchr(buf, '/') + 1;
    return true;
}

static bool text_has_ci(const char *text, const char *needle) {
    return strcasestr(text, needle) != NULL;
}

/* Pipelined replies: read n, check each is +OK. */
static void expect_ok_replies(redisContext *c, long n) {
    for (long i = 0; i < n; i++) {
        redisReply *r = NULL;
        if (redisGetReply(c, (void **)&r) != REDIS_OK) {
            test_fail(__FILE__, __LINE__, "connection error: %s", c->errstr);
            return;
        }
        CHECK_REPLY_STATUS(r, "OK");
        freeReplyObject(r);
    }
}

/* BGREWRITEAOF, then wait (up to 10 s) until it is over: aof_rewrites has grown by one. */
static void rewrite_and_wait(redisContext *c) {
    long long rewrites = info_persist(c, "aof_rewrites");
    EXPECT_STATUS(c, "Background append only file rewriting started", "BGREWRITEAOF");
    WAIT_FOR(info_persist_is(c, "aof_rewrite_in_progress", "0") &&
                 info_persist(c, "aof_rewrites") == rewrites + 1,
             10000);
}

static void show_log_end(const char *out) {
    size_t len = strlen(out);
    fprintf(stderr, "      the log ends:\n%s\n", len > 1500 ? out + len - 1500 : out);
}

/* ---- tests -------------------------------------------------------------------------- */

/* The layout: appenddirname/ with a manifest and an incremental file from the start; a
 * rewrite adds a base and leaves one incremental file; custom names are honoured. */
static void t_layout(void) {
    srv_argv a = args_with("--appendonly", "yes", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    CHECK_INFO_PERSIST(c, "aof_enabled", "1");
    char manifest[600];
    srv_path(s, AOFDIR "/appendonly.aof.manifest", manifest, sizeof manifest);
    CHECK(file_exists(manifest));
    CHECK(count_files(s, "incr") >= 1);
    EXPECT_STATUS(c, "OK", "SET k v");
    CHECK(info_persist(c, "aof_current_size") > 0);
    CHECK(info_persist(c, "aof_base_size") >= 0);
    rewrite_and_wait(c);
    CHECK_INFO_PERSIST(c, "aof_last_bgrewrite_status", "ok");
    if (!srv_serves_new_connection(s)) /* the child left the parent's listeners alone */
        test_fail(__FILE__, __LINE__, "after a rewrite, a new connection gets no reply in 2 s");
    /* Old files are deleted once the new manifest is saved (Redis does it in the
     * background: wait). */
    WAIT_FOR(count_files(s, "base") == 1 && count_files(s, "incr") == 1, 5000);
    CHECK(info_persist(c, "aof_base_size") > 0);
    char dir[600];
    aof_file f[8];
    if (IS_CAIRN) {
        int nb = aof_files(srv_path(s, AOFDIR, dir, sizeof dir), "appendonly.aof", "base", f, 8);
        CHECK(nb == 1 && strstr(f[0].name, ".base.snap"));
        char *m = file_read(manifest, NULL);
        CHECK(m && strstr(m, "\ncairn-aof-manifest 1\n"));
        char line[300];
        if (nb == 1) {
            snprintf(line, sizeof line, "\nbase %ld snap %s\n", f[0].seq, f[0].name);
            CHECK(m && strstr(m, line));
        }
        const char *endl = m ? strstr(m, "\nend ") : NULL;
        CHECK(endl && strlen(endl) == 5 + 8 + 1); /* "end <8 hex>\n" is the last line */
        free(m);
    }
    redisFree(c);
    srv_stop(s);
    /* Custom appendfilename and appenddirname. */
    srv_argv b = args_with("--appendonly", "yes", "--appendfilename", "my.aof", "--appenddirname",
                           "mydir", NULL);
    s = srv_start(b.v);
    if (!s) return;
    c = srv_connect(s);
    EXPECT_STATUS(c, "OK", "SET k v");
    redisFree(c);
    CHECK(file_exists(srv_path(s, "mydir/my.aof.manifest", manifest, sizeof manifest)));
    CHECK(aof_files(srv_path(s, "mydir", dir, sizeof dir), "my.aof", "incr", f, 8) >= 1);
    CHECK(!file_exists(srv_path(s, AOFDIR, dir, sizeof dir)));
    CHECK(srv_kill(s, SIGKILL));
    if (srv_restart(s, b.v)) {
        c = srv_connect(s);
        EXPECT_BULK(c, "v", "GET k");
        redisFree(c);
    }
    srv_stop(s);
}

/* Every type and encoding, with TTLs, through the AOF: replayed from the incremental file,
 * then from a rewritten base plus incremental file. Keys whose TTL passes while the
 * server is down stay gone. */
static void t_roundtrip(void) {
    srv_argv a = args_with("--appendonly", "yes", "--appendfsync", "always", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    long n = dataset_fill(c);
    dataset *before = dataset_capture(c);
    CHECK_EQ_INT(dataset_keys(before), n);
    long long t0 = now_ms();
    EXPECT_STATUS(c, "OK", "SET soon v PX 1000");
    EXPECT_INT(c, 1, "RPUSH lsoon a");
    EXPECT_INT(c, 1, "EXPIRE lsoon 1");
    redisFree(c);
    srv_kill(s, SIGKILL);
    while (now_ms() < t0 + 2100) sleep_ms(10); /* the condition is the passing of time */
    if (!srv_restart(s, a.v)) goto out;
    c = srv_connect(s);
    EXPECT_INT(c, 0, "EXISTS soon lsoon");
    dataset *after = dataset_capture(c);
    if (!CHECK_SAME_DATASET(before, after, 3000))
        fprintf(stderr, "    (replayed from the incr file)\n");
    dataset_free(after);
    /* Now from a base written by a rewrite, plus commands after it. */
    rewrite_and_wait(c);
    EXPECT_STATUS(c, "OK", "SET after:rewrite 1");
    EXPECT_INT(c, 1, "DEL after:rewrite");
    redisFree(c);
    srv_kill(s, SIGKILL);
    if (!srv_restart(s, a.v)) goto out;
    c = srv_connect(s);
    after = dataset_capture(c);
    if (!CHECK_SAME_DATASET(before, after, 5000))
        fprintf(stderr, "    (loaded from base + incr)\n");
    dataset_free(after);
    redisFree(c);
out:
    dataset_free(before);
    srv_stop(s);
}

/* CONFIG SET appendonly yes on a running server writes the current dataset to a new AOF,
 * which a restart with appendonly yes loads. */
static void t_enable_at_runtime(void) {
    srv_argv off = args_with(NULL), on = args_with("--appendonly", "yes", NULL);
    srv *s = srv_start(off.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    char manifest[600];
    srv_path(s, AOFDIR "/appendonly.aof.manifest", manifest, sizeof manifest);
    CHECK(!file_exists(manifest));
    dataset_fill(c);
    dataset *before = dataset_capture(c);
    CHECK_INFO_PERSIST(c, "aof_enabled", "0");
    EXPECT_STATUS(c, "OK", "CONFIG SET appendonly yes");
    CHECK_INFO_PERSIST(c, "aof_enabled", "1");
    WAIT_FOR(info_persist_is(c, "aof_rewrite_in_progress", "0") &&
                 info_persist(c, "aof_rewrites") >= 1 &&
                 info_persist_is(c, "aof_rewrite_scheduled", "0"),
             10000);
    CHECK_INFO_PERSIST(c, "aof_last_bgrewrite_status", "ok");
    CHECK(file_exists(manifest));
    CHECK_EQ_INT(count_files(s, "base"), 1);
    EXPECT_STATUS(c, "OK", "CONFIG SET appendfsync always");
    EXPECT_STATUS(c, "OK", "SET extra 1");
    redisFree(c);
    srv_kill(s, SIGKILL);
    if (srv_restart(s, on.v)) {
        c = srv_connect(s);
        EXPECT_BULK(c, "1", "GET extra");
        EXPECT_INT(c, 1, "DEL extra");
        dataset *after = dataset_capture(c);
        CHECK_SAME_DATASET(before, after, 5000);
        dataset_free(after);
        /* And off again at run time. */
        EXPECT_STATUS(c, "OK", "CONFIG SET appendonly no");
        CHECK_INFO_PERSIST(c, "aof_enabled", "0");
        redisFree(c);
    }
    dataset_free(before);
    srv_stop(s);
}

/* With appendonly yes the AOF is loaded, not the snapshot; with no, the snapshot. */
static void t_aof_preferred(void) {
    srv_argv on = args_with("--appendonly", "yes", "--appendfsync", "always", NULL),
             off = args_with(NULL);
    srv *s = srv_start(on.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    EXPECT_STATUS(c, "OK", "SET k from-snapshot");
    EXPECT_STATUS(c, "OK", "SAVE");
    EXPECT_STATUS(c, "OK", "SET k from-aof");
    EXPECT_STATUS(c, "OK", "SET only-aof 1");
    redisFree(c);
    srv_kill(s, SIGKILL);
    if (!srv_restart(s, on.v)) goto out;
    c = srv_connect(s);
    EXPECT_BULK(c, "from-aof", "GET k");
    EXPECT_BULK(c, "1", "GET only-aof");
    redisFree(c);
    srv_kill(s, SIGKILL);
    if (!srv_restart(s, off.v)) goto out;
    c = srv_connect(s);
    EXPECT_BULK(c, "from-snapshot", "GET k");
    EXPECT_NIL(c, "GET only-aof");
    redisFree(c);
out:
    srv_stop(s);
}

/* BGREWRITEAOF while a client writes without pause: every acknowledged write is there
 * after a kill -9 and a restart, and the old files are gone. Two rewrites in a row. */
static void t_rewrite_under_load(void) {
    srv_argv a = args_with("--appendonly", "yes", "--appendfsync", "always", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    dataset_write_keys(c, "pre:", "", 2000);
    EXPECT_STATUS(c, "OK", "CONFIG SET rdb-key-save-delay 250"); /* 2,000 keys: 0.5 s */
    long long rewrites = info_persist(c, "aof_rewrites");
    long acked_push = 0, acked_incr[10] = {0};
    long long n = 0;
    for (int round = 0; round < 2; round++) {
        EXPECT_STATUS(c, "Background append only file rewriting started", "BGREWRITEAOF");
        int after_done = 0;
        while (after_done < 5 && !c->err) {
            long batch = 0;
            long long first = n;
            for (int j = 0; j < 50; j++, n++) {
                redisAppendCommand(c, "RPUSH log %lld", n);
                redisAppendCommand(c, "INCR ctr:%lld", n % 10);
                redisAppendCommand(c, "HSET h f%lld %lld", n,
                                   n); /* one key: the rewrite stays short */
                batch += 3;
            }
            for (long j = 0; j < batch; j++) {
                redisReply *r = NULL;
                if (redisGetReply(c, (void **)&r) != REDIS_OK) break;
                long long m = first + j / 3;
                if (j % 3 == 0 && r->type == REDIS_REPLY_INTEGER) acked_push++;
                if (j % 3 == 1 && r->type == REDIS_REPLY_INTEGER) acked_incr[m % 10] = r->integer;
                if (r->type == REDIS_REPLY_ERROR)
                    test_fail(__FILE__, __LINE__, "reply -%s during the rewrite", r->str);
                freeReplyObject(r);
            }
            if (info_persist_is(c, "aof_rewrite_in_progress", "0")) after_done++;
        }
        CHECK_EQ_INT(info_persist(c, "aof_rewrites"), rewrites + round + 1);
        CHECK_INFO_PERSIST(c, "aof_last_bgrewrite_status", "ok");
    }
    CHECK_EQ_INT(acked_push, n);
    EXPECT_STATUS(c, "OK", "CONFIG SET rdb-key-save-delay 0");
    WAIT_FOR(count_files(s, "base") == 1 && count_files(s, "incr") == 1, 5000);
    redisFree(c);
    srv_kill(s, SIGKILL);
    if (srv_restart(s, a.v)) {
        c = srv_connect(s);
        EXPECT_INT(c, n, "LLEN log");
        EXPECT_INT(c, 2000 + 12, "DBSIZE");
        EXPECT_INT(c, n, "HLEN h");
        EXPECT_BULK(c, "0", "HGET h f0");
        char last[32];
        snprintf(last, sizeof last, "%lld", n - 1);
        EXPECT_BULK(c, last, "HGET h f%lld", n - 1);
        for (int i = 0; i < 10; i++) {
            char want[32];
            snprintf(want, sizeof want, "%ld", acked_incr[i]);
            EXPECT_BULK(c, want, "GET ctr:%d", i);
        }
        redisReply *r = CMD(c, "LRANGE log 0 -1");
        if (CHECK_REPLY_ARRAY(r, n)) {
            for (long long i = 0; i < n; i++) {
                if (atoll(r->element[i]->str) != i) {
                    test_fail(__FILE__, __LINE__, "log[%lld] is %s", i, r->element[i]->str);
                    break;
                }
            }
        }
        if (r) freeReplyObject(r);
        EXPECT_BULK(c, "1999", "GET pre:1999");
        redisFree(c);
    }
    srv_stop(s);
}

/* auto-aof-rewrite-min-size and -percentage: a log that grows past both is rewritten by
 * itself; one that has not grown enough since is not. */
static void t_auto_rewrite(void) {
    srv_argv a = args_with("--appendonly", "yes", "--auto-aof-rewrite-min-size", "100kb",
                           "--auto-aof-rewrite-percentage", "100", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    long long rewrites = info_persist(c, "aof_rewrites");
    char val[1001]; /* incompressible and all different: the base is as large as the data */
    unsigned seed = 1;
    val[1000] = '\0';
#define NEW_VAL()                                                                                  \
    for (int j = 0; j < 1000; j++) val[j] = (char)('!' + rand_r(&seed) % 90)
    for (int i = 0; i < 80; i++) {
        NEW_VAL();
        EXPECT_STATUS(c, "OK", "SET k%d %s", i, val); /* 80 KB: below the minimum */
    }
    long long t0 = now_ms();
    while (now_ms() < t0 + 400) sleep_ms(20); /* several cron runs: nothing happens */
    CHECK_EQ_INT(info_persist(c, "aof_rewrites"), rewrites);
    for (int i = 80; i < 150; i++) {
        NEW_VAL();
        EXPECT_STATUS(c, "OK", "SET k%d %s", i, val); /* 150 KB */
    }
    WAIT_FOR(info_persist(c, "aof_rewrites") == rewrites + 1 &&
                 info_persist_is(c, "aof_rewrite_in_progress", "0"),
             5000);
    long long base = info_persist(c, "aof_base_size");
    if (base < 100000)
        test_fail(__FILE__, __LINE__, "aof_base_size %lld after rewriting 150 KB", base);
    /* Grows by less than 100% of the base: no new rewrite. */
    for (int i = 0; i < 50; i++) {
        NEW_VAL();
        EXPECT_STATUS(c, "OK", "SET k%d %s", i, val);
    }
#undef NEW_VAL
    t0 = now_ms();
    while (now_ms() < t0 + 400) sleep_ms(20);
    CHECK_EQ_INT(info_persist(c, "aof_rewrites"), rewrites + 1);
    CHECK(info_persist(c, "aof_current_size") > base);
    redisFree(c);
    srv_stop(s);
}

/* A log whose last command is known, for tests that cut or damage it. */
typedef struct {
    char path[600];    /* the last incremental file */
    const char *name;  /* its name, in path */
    char *data;        /* its bytes (malloc'd) */
    size_t len, start; /* their length; where the last command begins */
} last_command_log;

/* Start a server with a, write 50 keys, then "SET last <value>" as the very last command,
 * and stop it cleanly; the last incremental file goes into *l. Returns the server (not
 * running), or NULL (recorded, cleaned up) if there is nothing to test. */
static srv *log_with_last_command(const srv_argv *a, last_command_log *l) {
    *l = (last_command_log){.data = NULL};
    srv *s = srv_start(a->v);
    if (!s) return NULL;
    redisContext *c = srv_connect(s);
    for (int i = 0; i < 50; i++) EXPECT_STATUS(c, "OK", "SET key:%d value:%d", i, i);
    EXPECT_STATUS(c, "OK", "SET last %s", "the-last-value");
    redisFree(c);
    srv_kill(s, SIGTERM);
    if (!last_incr(s, l->path, sizeof l->path, &l->name)) {
        test_fail(__FILE__, __LINE__, "no incremental file");
        srv_stop(s);
        return NULL;
    }
    l->data = file_read(l->path, &l->len);
    static const char cmd[] = "*3\r\n$3\r\nSET\r\n$4\r\nlast\r\n$14\r\nthe-last-value\r\n";
    const char *at = NULL;
    for (const char *p = l->data;
         p && (p = memmem(p, l->len - (size_t)(p - l->data), cmd, sizeof cmd - 1)); p++)
        at = p;
    if (!at || at + sizeof cmd - 1 != l->data + l->len) {
        test_fail(__FILE__, __LINE__, "%s does not end with the command SET last ...", l->path);
        free(l->data);
        srv_stop(s);
        return NULL;
    }
    l->start = (size_t)(at - l->data);
    return s;
}

/* aof-load-truncated yes: a log cut anywhere inside its last command loads every earlier
 * command, says so in the log, and is repaired: the next writes append after the last
 * good command and load again. Every offset. */
static void t_truncated_yes(void) {
    srv_argv a = args_with("--appendonly", "yes", "--appendfsync", "always", NULL);
    last_command_log l;
    srv *s = log_with_last_command(&a, &l);
    if (!s) return;
    for (size_t cut = l.start + 1; cut < l.len && test_checks_failed < 10; cut++) {
        CHECK(file_write(l.path, l.data, cut));
        if (!srv_restart(s, a.v)) {
            fprintf(stderr, "      (cut at %zu: %zu bytes into the last command of %zu)\n", cut,
                    cut - l.start, l.len - l.start);
            continue;
        }
        redisContext *c = srv_connect(s);
        EXPECT_INT(c, 50, "DBSIZE");
        EXPECT_NIL(c, "GET last");
        EXPECT_BULK(c, "value:49", "GET key:49");
        char *log = srv_log_text(s);
        if (!strstr(log, l.name) || !text_has_ci(log, "truncat")) {
            test_fail(__FILE__, __LINE__,
                      "cut at %zu: the log does not warn about %s being truncated", cut, l.name);
            show_log_end(log);
        }
        free(log);
        EXPECT_STATUS(c, "OK", "SET after %lld", (long long)cut);
        redisFree(c);
        srv_kill(s, SIGKILL);
        if (!srv_restart(s, a.v)) continue;
        c = srv_connect(s);
        char want[32];
        snprintf(want, sizeof want, "%zu", cut);
        EXPECT_BULK(c, want, "GET after");
        EXPECT_INT(c, 51, "DBSIZE");
        redisFree(c);
        srv_kill(s, SIGKILL);
        if (test_checks_failed)
            fprintf(stderr, "      (cut at %zu of %zu, command at %zu)\n", cut, l.len, l.start);
    }
    free(l.data);
    srv_stop(s);
}

/* aof-load-truncated no: the same cuts are refused, and the file is left as it was. */
static void t_truncated_no(void) {
    srv_argv a = args_with("--appendonly", "yes", "--aof-load-truncated", "no", NULL);
    last_command_log l;
    srv *s = log_with_last_command(&a, &l);
    if (!s) return;
    size_t cuts[] = {l.start + 1, l.start + 4, (l.start + l.len) / 2, l.len - 2, l.len - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        CHECK(file_write(l.path, l.data, cuts[i]));
        char *out = EXPECT_START_REFUSED(s, a.v);
        if (out && IS_CAIRN && !strstr(out, l.name)) {
            test_fail(__FILE__, __LINE__, "cut at %zu: the message does not name %s", cuts[i],
                      l.name);
            show_log_end(out);
        }
        free(out);
        size_t now = 0;
        char *left = file_read(l.path, &now);
        CHECK(left && now == cuts[i] && memcmp(left, l.data, now) == 0);
        free(left);
    }
    /* The intact file loads. */
    CHECK(file_write(l.path, l.data, l.len));
    if (srv_restart(s, a.v)) {
        redisContext *c = srv_connect(s);
        EXPECT_BULK(c, "the-last-value", "GET last");
        redisFree(c);
    }
    free(l.data);
    srv_stop(s);
}

/* A transaction is logged as MULTI ... EXEC. A log that ends inside one (no EXEC) replays
 * none of it: with aof-load-truncated yes it loads without it (Cairn also cuts the file
 * back to before the MULTI), with no start-up is refused; the whole transaction loads. */
static void t_truncated_transaction(void) {
    srv_argv a = args_with("--appendonly", "yes", "--appendfsync", "always", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    for (int i = 0; i < 50; i++) EXPECT_STATUS(c, "OK", "SET key:%d value:%d", i, i);
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "SET tx1 a");
    EXPECT_STATUS(c, "QUEUED", "SET tx2 b");
    redisReply *r = CMD(c, "EXEC");
    CHECK(r && r->type == REDIS_REPLY_ARRAY && r->elements == 2);
    if (r) freeReplyObject(r);
    redisFree(c);
    srv_kill(s, SIGTERM);
    char path[1024];
    const char *name;
    if (!last_incr(s, path, sizeof path, &name)) {
        test_fail(__FILE__, __LINE__, "no incremental file");
        srv_stop(s);
        return;
    }
    size_t len = 0;
    char *data = file_read(path, &len);
    static const char multi[] = "*1\r\n$5\r\nMULTI\r\n";
    static const char exec[] = "*1\r\n$4\r\nEXEC\r\n";
    const char *m = data ? memmem(data, len, multi, sizeof multi - 1) : NULL;
    if (!m || len < sizeof exec - 1 || memcmp(data + len - (sizeof exec - 1), exec, sizeof exec - 1)) {
        test_fail(__FILE__, __LINE__, "%s does not end with MULTI ... EXEC", path);
        free(data);
        srv_stop(s);
        return;
    }
    size_t at = (size_t)(m - data);
    /* After MULTI, inside and after the first SET, inside EXEC. */
    size_t cuts[] = {at + sizeof multi - 1, at + sizeof multi + 8, len - (sizeof exec - 1), len - 1};
    srv_argv no = args_with("--appendonly", "yes", "--aof-load-truncated", "no", NULL);
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        CHECK(file_write(path, data, cuts[i]));
        char *out = EXPECT_START_REFUSED(s, no.v);
        free(out);
        if (!srv_restart(s, a.v)) continue;
        c = srv_connect(s);
        EXPECT_INT(c, 50, "DBSIZE");
        EXPECT_NIL(c, "GET tx1");
        redisFree(c);
        srv_kill(s, SIGTERM);
        size_t now = 0;
        char *left = file_read(path, &now);
        /* Redis cuts only the partial command; Cairn cuts back to before the MULTI,
         * so the next writes do not land inside a transaction that never ends. */
        if (IS_CAIRN && (now != at || !left || memcmp(left, data, at) != 0))
            test_fail(__FILE__, __LINE__, "cut at %zu: the log is %zu bytes, expected it cut to %zu",
                      cuts[i], now, at);
        free(left);
    }
    CHECK(file_write(path, data, len));
    if (srv_restart(s, a.v)) {
        c = srv_connect(s);
        EXPECT_INT(c, 52, "DBSIZE");
        EXPECT_BULK(c, "b", "GET tx2");
        redisFree(c);
    }
    free(data);
    srv_stop(s);
}

/* Damage in the middle of a log (not a cut at the end) stops start-up whatever
 * aof-load-truncated says; Cairn names the file, the offset of the first bad command and
 * cairn-check. */
static void t_damage_in_the_middle(void) {
    srv_argv a = args_with("--appendonly", "yes", NULL);
    last_command_log l;
    srv *s = log_with_last_command(&a, &l);
    if (!s) return;
    /* The start of "SET key:25 value:25". */
    const char *mid = memmem(l.data, l.len, "*3\r\n$3\r\nSET\r\n$6\r\nkey:25\r\n", 24);
    CHECK(mid != NULL);
    if (!mid) {
        free(l.data);
        srv_stop(s);
        return;
    }
    size_t at = (size_t)(mid - l.data);
    static const struct {
        const char *what, *bytes;
        size_t replace; /* bytes of the original to replace (0: insert) */
    } damage[] = {
        {"unknown command", "*1\r\n$7\r\nNOSUCHC\r\n", 0},
        {"bad multibulk count", "*x\r\n", 4},
        {"bulk length too long", "*3\r\n$9\r\n", 8},
        {"garbage line", "garbage\r\n", 0}, /* last: cairn-check repairs this one below */
    };
    for (size_t d = 0; d < sizeof damage / sizeof *damage; d++) {
        size_t bl = strlen(damage[d].bytes);
        char *bad = malloc(l.len + bl);
        memcpy(bad, l.data, at);
        memcpy(bad + at, damage[d].bytes, bl);
        memcpy(bad + at + bl, l.data + at + damage[d].replace, l.len - at - damage[d].replace);
        CHECK(file_write(l.path, bad, l.len + bl - damage[d].replace));
        free(bad);
        char *out = EXPECT_START_REFUSED(s, a.v);
        if (!out) {
            fprintf(stderr, "      (%s at offset %zu)\n", damage[d].what, at);
            continue;
        }
        char want[64];
        snprintf(want, sizeof want, "offset %zu", at);
        if (!strstr(out, l.name) ||
            (IS_CAIRN && (!strstr(out, want) || !strstr(out, "cairn-check")))) {
            test_fail(__FILE__, __LINE__, "%s: the message should name %s%s%s", damage[d].what,
                      l.name, IS_CAIRN ? ", \"offset N\" and cairn-check; N = " : "",
                      IS_CAIRN ? want : "");
            show_log_end(out);
        }
        if (getenv("TEST_VERBOSE")) show_log_end(out);
        free(out);
    }
    /* cairn-check, if built, cuts the file at the first bad command. */
    if (IS_CAIRN && access("utils/tools/cairn-check", X_OK) == 0) {
        char cmd[800];
        snprintf(cmd, sizeof cmd,
                 "utils/tools/cairn-check aof '%s' --fix --yes </dev/null >/dev/null 2>&1", l.path);
        int rc = system(cmd);
        if (rc != 0) {
            test_fail(__FILE__, __LINE__, "%s: exit status 0x%x", cmd, rc);
        } else if (srv_restart(s, a.v)) {
            redisContext *c = srv_connect(s);
            EXPECT_INT(c, 25, "DBSIZE");
            EXPECT_BULK(c, "value:24", "GET key:24");
            redisFree(c);
        }
    }
    free(l.data);
    srv_stop(s);
}

/* ---- crash tests -------------------------------------------------------------------- */

typedef struct {
    pid_t pid;
    int delay_ms;
} kill_plan;

static void *killer(void *arg) {
    kill_plan *k = arg;
    sleep_ms(k->delay_ms);
    kill(k->pid, SIGKILL);
    return NULL;
}

/* appendfsync always, 50 times: a pipelined writer (INCR ctr, SET c<cycle>:<i>) records
 * the replies it got; a thread kills the server -9 at a random moment; after the restart
 * every acknowledged write is there and nothing that was never sent. The log grows past
 * auto-aof-rewrite-min-size now and then, so some kills land during a rewrite. */
static void t_crash_always(void) {
    srv_argv a = args_with("--appendonly", "yes", "--appendfsync", "always",
                           "--auto-aof-rewrite-min-size", "256kb", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    unsigned seed =
        getenv("TEST_SEED") ? (unsigned)atoi(getenv("TEST_SEED")) : (unsigned)time(NULL);
    long long t_begin = now_ms();
    long long ctr_acked = 0, ctr_sent = 0, keys_acked = 0, keys_sent = 0;
    int cycle, max_cycles = 50;
    long prev_acked_keys = 0;
    int prev_cycle = -1;
    for (cycle = 0; cycle < max_cycles; cycle++) {
        if (now_ms() - t_begin > 60000) {
            test_fail(__FILE__, __LINE__, "only %d kill cycles in 60 s", cycle);
            break;
        }
        redisContext *c = srv_connect(s);
        if (!c) break;
        /* Check the previous cycle. */
        long long ctr = 0;
        redisReply *r = CMD(c, "GET ctr");
        if (r && r->type == REDIS_REPLY_STRING) ctr = atoll(r->str);
        if (r) freeReplyObject(r);
        if (ctr < ctr_acked || ctr > ctr_sent)
            test_fail(__FILE__, __LINE__, "cycle %d: ctr is %lld; acknowledged %lld, sent %lld",
                      cycle, ctr, ctr_acked, ctr_sent);
        ctr_acked = ctr_sent = ctr; /* what survived is the new base line */
        for (long i = 0; i < prev_acked_keys; i++)
            redisAppendCommand(c, "GET c%d:%ld", prev_cycle, i);
        for (long i = 0; i < prev_acked_keys; i++) {
            r = NULL;
            if (redisGetReply(c, (void **)&r) != REDIS_OK) break;
            char want[32];
            snprintf(want, sizeof want, "%ld", i);
            if (r->type != REDIS_REPLY_STRING || strcmp(r->str, want) != 0) {
                test_fail(__FILE__, __LINE__, "cycle %d: acknowledged key c%d:%ld is %s",
                          prev_cycle, prev_cycle, i, reply_describe(r));
                freeReplyObject(r);
                for (long j = i + 1; j < prev_acked_keys; j++)
                    if (redisGetReply(c, (void **)&r) == REDIS_OK) freeReplyObject(r);
                break;
            }
            freeReplyObject(r);
        }
        long long dbsize = CMD_INT(c, "DBSIZE");
        if (dbsize < keys_acked + (ctr > 0) || dbsize > keys_sent + 1)
            test_fail(__FILE__, __LINE__,
                      "cycle %d: DBSIZE %lld; acknowledged keys %lld, sent %lld", cycle, dbsize,
                      keys_acked, keys_sent);
        keys_acked = keys_sent = dbsize - (ctr > 0);
        if (test_checks_failed) {
            fprintf(stderr, "    (seed %u)\n", seed);
            redisFree(c);
            break;
        }
        /* Write until the server dies. */
        kill_plan k = {.pid = srv_pid(s), .delay_ms = 20 + (int)(rand_r(&seed) % 150)};
        pthread_t th;
        pthread_create(&th, NULL, killer, &k);
        long i = 0, acked = 0;
        bool dead = false;
        while (!dead) {
            long first = i;
            for (int j = 0; j < 32; j++, i++) {
                if (j % 2 == 0)
                    redisAppendCommand(c, "INCR ctr");
                else
                    redisAppendCommand(c, "SET c%d:%ld %ld", cycle, i / 2, i / 2);
            }
            ctr_sent += 16;
            keys_sent += 16;
            for (long j = first; j < i; j++) {
                r = NULL;
                if (redisGetReply(c, (void **)&r) != REDIS_OK || !r) {
                    dead = true;
                    break;
                }
                if (j % 2 == 0 && r->type == REDIS_REPLY_INTEGER)
                    ctr_acked = r->integer;
                else if (j % 2 == 1 && r->type == REDIS_REPLY_STATUS)
                    acked = j / 2 + 1, keys_acked++;
                else
                    test_fail(__FILE__, __LINE__, "cycle %d: reply %s", cycle, reply_describe(r));
                freeReplyObject(r);
            }
        }
        pthread_join(th, NULL);
        redisFree(c);
        srv_kill(s, SIGKILL);
        prev_acked_keys = acked;
        prev_cycle = cycle;
        if (!srv_restart(s, a.v)) {
            fprintf(stderr, "    (restart after kill %d; seed %u)\n", cycle + 1, seed);
            break;
        }
    }
    if (getenv("TEST_VERBOSE"))
        fprintf(stderr, "    %d kill cycles in %lld ms, %lld increments, %lld keys\n", cycle,
                now_ms() - t_begin, ctr_acked, keys_acked);
    srv_stop(s);
}

typedef struct {
    long long at_ms; /* when its reply arrived */
} ack;

/* appendfsync everysec: writes acknowledged more than two seconds before a kill -9 are
 * all there after the restart. Three kills. */
static void t_crash_everysec(void) {
    srv_argv a = args_with("--appendonly", "yes", "--appendfsync", "everysec", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    unsigned seed = (unsigned)time(NULL);
    enum { MAXK = 400000 };
    ack *acks = malloc(MAXK * sizeof *acks);
    for (int cycle = 0; cycle < 3; cycle++) {
        redisContext *c = srv_connect(s);
        if (!c) break;
        kill_plan k = {.pid = srv_pid(s), .delay_ms = 2500 + (int)(rand_r(&seed) % 500)};
        long long t0 = now_ms();
        pthread_t th;
        pthread_create(&th, NULL, killer, &k);
        long n = 0;
        bool dead = false;
        while (!dead && n < MAXK - 64) {
            for (int j = 0; j < 64; j++) redisAppendCommand(c, "SET e%d:%ld x", cycle, n + j);
            for (int j = 0; j < 64; j++) {
                redisReply *r = NULL;
                if (redisGetReply(c, (void **)&r) != REDIS_OK || !r) {
                    dead = true;
                    break;
                }
                freeReplyObject(r);
                acks[n++].at_ms = now_ms();
            }
            if (!dead) sleep_ms(1); /* a steady load, not a flood */
        }
        pthread_join(th, NULL);
        long long killed_at = t0 + k.delay_ms;
        redisFree(c);
        srv_kill(s, SIGKILL);
        if (!srv_restart(s, a.v)) break;
        c = srv_connect(s);
        long must = 0;
        while (must < n && acks[must].at_ms < killed_at - 2000) must++;
        for (long i = 0; i < must; i++) redisAppendCommand(c, "EXISTS e%d:%ld", cycle, i);
        long missing = 0, first_missing = -1;
        for (long i = 0; i < must; i++) {
            redisReply *r = NULL;
            if (redisGetReply(c, (void **)&r) != REDIS_OK) break;
            if (r->type != REDIS_REPLY_INTEGER || r->integer != 1) {
                if (first_missing < 0) first_missing = i;
                missing++;
            }
            freeReplyObject(r);
        }
        if (missing)
            test_fail(__FILE__, __LINE__,
                      "cycle %d: %ld of %ld writes acknowledged > 2 s before the "
                      "kill are missing (first e%d:%ld, acknowledged %lld ms before the kill)",
                      cycle, missing, must, cycle, first_missing,
                      killed_at - acks[first_missing].at_ms);
        CHECK(must > 0);
        redisFree(c);
    }
    free(acks);
    srv_stop(s);
}

/* ---- disk full ------------------------------------------------------------------------ */

/* The AOF on a full disk: writes already acknowledged are kept in memory and written
 * later, new writes get -MISCONF, INFO says aof_last_write_status:err and the log says
 * why; once there is room the server writes again by itself, and everything acknowledged
 * is in the log after a restart. */
static void t_disk_full(void) {
    const char *mnt = tmpfs_mount("2m", "AOF on a full disk");
    if (!mnt) return;
    srv_argv a = args_with("--appendonly", "yes", "--appendfsync", "everysec", "--dir", mnt, NULL);
    srv *s = srv_start(a.v);
    if (!s) {
        tmpfs_umount();
        return;
    }
    redisContext *c = srv_connect(s);
    EXPECT_STATUS(c, "OK", "SET before 1");
    tmpfs_fill(0);
    char val[10001];
    memset(val, 'x', 10000);
    val[10000] = '\0';
    int acked = 0;
    bool misconf = false;
    for (int i = 0; i < 200 && !misconf; i++) {
        redisReply *r = CMD(c, "SET big:%d %s", i, val);
        if (r && r->type == REDIS_REPLY_STATUS)
            acked = i + 1;
        else if (r && r->type == REDIS_REPLY_ERROR && !strncmp(r->str, "MISCONF ", 8))
            misconf = true;
        else
            test_fail(__FILE__, __LINE__, "SET big:%d: %s", i, reply_describe(r));
        if (r) freeReplyObject(r);
        if (!misconf) sleep_ms(5);
    }
    CHECK(misconf);
    CHECK_INFO_PERSIST(c, "aof_last_write_status", "err");
    EXPECT_ERR_PREFIX(c, "MISCONF ", "SET another 1");
    EXPECT_BULK(c, "1", "GET before"); /* reads go on */
    char *log = srv_log_text(s);
    /* Redis says "Short write while writing to the AOF file" when part of a write fit. */
    if (!text_has_ci(log, "No space left on device") && !text_has_ci(log, "short write")) {
        test_fail(__FILE__, __LINE__, "the log does not say \"No space left on device\"");
        show_log_end(log);
    }
    free(log);
    /* Room again: the server retries by itself. */
    tmpfs_unfill();
    WAIT_FOR(info_persist_is(c, "aof_last_write_status", "ok"), 5000);
    EXPECT_STATUS(c, "OK", "SET after 1");
    redisFree(c);
    CHECK(srv_kill(s, SIGTERM));
    CHECK(WIFEXITED(srv_exit_status(s)) && WEXITSTATUS(srv_exit_status(s)) == 0);
    if (srv_restart(s, a.v)) {
        c = srv_connect(s);
        EXPECT_BULK(c, "1", "GET before");
        EXPECT_BULK(c, "1", "GET after");
        for (int i = 0; i < acked; i++) {
            redisReply *r = CMD(c, "STRLEN big:%d", i);
            if (!r || r->type != REDIS_REPLY_INTEGER || r->integer != 10000) {
                test_fail(__FILE__, __LINE__,
                          "acknowledged big:%d (of %d) after restart: STRLEN %s", i, acked,
                          reply_describe(r));
                if (r) freeReplyObject(r);
                break;
            }
            freeReplyObject(r);
        }
        EXPECT_INT(c, acked + 2, "DBSIZE");
        redisFree(c);
    }
    srv_stop(s);
    tmpfs_umount();
}

/* A rewrite that runs out of room fails visibly (aof_last_bgrewrite_status:err, the log)
 * while the log in use goes on taking writes; nothing of the failed attempt is left
 * behind and the old files still load everything. */
static void t_rewrite_disk_full(void) {
    const char *mnt = tmpfs_mount("4m", "rewrite on a full disk");
    if (!mnt) return;
    srv_argv a = args_with("--appendonly", "yes", "--appendfsync", "always", "--dir", mnt, NULL);
    srv *s = srv_start(a.v);
    if (!s) {
        tmpfs_umount();
        return;
    }
    redisContext *c = srv_connect(s);
    char val[1001]; /* incompressible: the new base needs about 1 MB */
    unsigned seed = 7;
    val[1000] = '\0';
    for (int i = 0; i < 1000; i++) {
        for (int j = 0; j < 1000; j++) val[j] = (char)('!' + rand_r(&seed) % 90);
        redisAppendCommand(c, "SET k%d %s", i, val);
    }
    expect_ok_replies(c, 1000);
    tmpfs_fill(50 * 4096); /* about 200 KB left: room for writes to the log, not a new base */
    EXPECT_STATUS(c, "Background append only file rewriting started", "BGREWRITEAOF");
    WAIT_FOR(info_persist_is(c, "aof_rewrite_in_progress", "0"), 10000);
    CHECK_INFO_PERSIST(c, "aof_last_bgrewrite_status", "err");
    CHECK_INFO_PERSIST(c, "aof_last_write_status", "ok");
    EXPECT_STATUS(c, "OK", "SET after 1"); /* the log in use still takes writes */
    char *log = srv_log_text(s);
    if (!text_has_ci(log, "No space left on device")) {
        test_fail(__FILE__, __LINE__, "the log does not say \"No space left on device\"");
        show_log_end(log);
    }
    free(log);
    /* Only the manifest, one base (Redis makes one at start-up) and incr files remain. */
    char dir[128];
    snprintf(dir, sizeof dir, "%s/" AOFDIR, mnt);
    aof_file f[64];
    int nb = aof_files(dir, "appendonly.aof", "base", f, 64),
        ni = aof_files(dir, "appendonly.aof", "incr", f, 64);
    int total = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) total += e->d_name[0] != '.';
    if (d) closedir(d);
    if (total != 1 + nb + ni || nb > 1)
        test_fail(__FILE__, __LINE__, "%d files in %s: %d base, %d incr, and %d others", total,
                  AOFDIR, nb, ni, total - 1 - nb - ni);
    redisFree(c);
    tmpfs_unfill();
    srv_kill(s, SIGKILL);
    if (srv_restart(s, a.v)) {
        c = srv_connect(s);
        EXPECT_INT(c, 1001, "DBSIZE");
        EXPECT_BULK(c, "1", "GET after");
        redisFree(c);
    }
    srv_stop(s);
    tmpfs_umount();
}

/* kill -9 of the server and its child in the middle of a rewrite: every acknowledged
 * write is there after the restart (the old base and incremental files plus the one
 * opened for the rewrite), and the next rewrite succeeds and leaves one base and one
 * incremental file. */
static void t_crash_during_rewrite(void) {
    srv_argv a = args_with("--appendonly", "yes", "--appendfsync", "always", NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    dataset_write_keys(c, "pre:", "", 1000);
    EXPECT_STATUS(c, "OK", "CONFIG SET rdb-key-save-delay 2000"); /* 1,000 keys: 2 s */
    EXPECT_STATUS(c, "Background append only file rewriting started", "BGREWRITEAOF");
    int kids[8];
    WAIT_FOR(srv_children(s, kids, 8) >= 1, 2000);
    for (int i = 0; i < 100; i++) EXPECT_STATUS(c, "OK", "SET during:%d %d", i, i);
    CHECK_INFO_PERSIST(c, "aof_rewrite_in_progress", "1");
    redisFree(c);
    srv_kill_with_children(s, SIGKILL);
    if (srv_restart(s, a.v)) {
        c = srv_connect(s);
        EXPECT_INT(c, 1100, "DBSIZE");
        EXPECT_BULK(c, "999", "GET pre:999");
        EXPECT_BULK(c, "99", "GET during:99");
        rewrite_and_wait(c);
        CHECK_INFO_PERSIST(c, "aof_last_bgrewrite_status", "ok");
        WAIT_FOR(count_files(s, "base") == 1 && count_files(s, "incr") == 1, 5000);
        EXPECT_STATUS(c, "OK", "SET after 1");
        redisFree(c);
        srv_kill(s, SIGKILL);
        if (srv_restart(s, a.v)) {
            c = srv_connect(s);
            EXPECT_INT(c, 1101, "DBSIZE");
            redisFree(c);
        }
    }
    srv_stop(s);
}

int main(void) {
    srv_argv a = args_with(NULL);
    IS_CAIRN = srv_detect_cairn(a.v); /* Cairn-only checks depend on it */
    test_run("layout: manifest, base, incr files", t_layout);
    test_run("every type and encoding through the AOF", t_roundtrip);
    test_run("CONFIG SET appendonly yes at run time", t_enable_at_runtime);
    test_run("start-up loads the AOF when appendonly yes", t_aof_preferred);
    test_run("BGREWRITEAOF under a write load", t_rewrite_under_load);
    test_run("automatic rewrite", t_auto_rewrite);
    test_run("last command cut at every offset, aof-load-truncated yes", t_truncated_yes);
    test_run("cut log refused with aof-load-truncated no", t_truncated_no);
    test_run("a transaction cut before its EXEC replays none of it", t_truncated_transaction);
    test_run("damage in the middle refused", t_damage_in_the_middle);
    test_run("kill -9 x50 with appendfsync always", t_crash_always);
    test_run("kill -9 with appendfsync everysec", t_crash_everysec);
    test_run("kill -9 during a rewrite", t_crash_during_rewrite);
    test_run("AOF on a full disk", t_disk_full);
    test_run("rewrite on a full disk", t_rewrite_disk_full);
    tmpfs_umount();
    return test_summary("persist_aof");
}
