/* tests/integration/test_aof_propagation.c: what each write command leaves in the
 * append-only file. A command whose replay would not be exact (a relative expire, a
 * random pick, a blocking pop, a float increment) is logged as its deterministic
 * equivalent: SET ... PXAT, PEXPIREAT, DEL, PERSIST, SREM, LPOP/RPOP, LMOVE, RPOPLPUSH,
 * ZPOPMIN/ZPOPMAX, HSET, SET ... KEEPTTL; the rest are logged as sent.
 *
 * The server runs with --appendonly yes --appendfsync always, so a command's entry is in
 * the file once its reply is back. The tests read the newest incremental file
 * (appendonlydir/<appendfilename>.<seq>.incr.aof, the highest seq), parse it as RESP
 * multibulk commands and compare the entries written since the last look, one by one.
 * SELECT entries are skipped, except in the test that checks them. Absolute times must
 * lie within [wall clock before the command, wall clock after it] plus the relative
 * amount.
 *
 * Every expectation is what Redis 7.0.15 writes (the suite passes with
 * CAIRN_TEST_SERVER=/usr/bin/redis-server). One difference on purpose, behind
 * srv_is_cairn(): SPOP with a count is one SREM with every member popped, where Redis 7.0
 * writes MULTI, one SREM per member, EXEC (the single SREM replays the same, is atomic
 * by itself and is smaller). */
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/harness.h"

static srv *S;
static bool IS_CAIRN;

/* ---- reading the AOF ------------------------------------------------------------------ */

typedef struct entry {
    int argc;
    char **argv; /* NUL-terminated copies */
    size_t *len;
} entry;

typedef struct aof_log {
    entry *v;
    size_t n;
} aof_log;

static void log_free(aof_log *l) {
    for (size_t i = 0; i < l->n; i++) {
        for (int j = 0; j < l->v[i].argc; j++) free(l->v[i].argv[j]);
        free(l->v[i].argv);
        free(l->v[i].len);
    }
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* The path of the newest incremental file of s (highest sequence number) in buf, or NULL
 * if there is none. */
static const char *incr_path(srv *s, char *buf, size_t cap) {
    char dir[600];
    snprintf(dir, sizeof dir, "%s/appendonlydir", srv_dir(s));
    DIR *d = opendir(dir);
    if (!d) return NULL;
    long best = -1;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t nl = strlen(de->d_name);
        const char *suffix = ".incr.aof";
        size_t sl = strlen(suffix);
        if (nl <= sl || strcmp(de->d_name + nl - sl, suffix) != 0) continue;
        /* <appendfilename>.<seq>.incr.aof: the digits before the suffix. */
        size_t end = nl - sl, start = end;
        while (start > 0 && de->d_name[start - 1] >= '0' && de->d_name[start - 1] <= '9') start--;
        if (start == end || start == 0 || de->d_name[start - 1] != '.') continue;
        long seq = strtol(de->d_name + start, NULL, 10);
        if (seq > best) {
            best = seq;
            snprintf(buf, cap, "%s/%s", dir, de->d_name);
        }
    }
    closedir(d);
    return best >= 0 ? buf : NULL;
}

/* Reads a decimal number ending in CRLF at *p; false if malformed or past end. */
static bool read_num(const char **p, const char *end, long long *out) {
    const char *q = *p;
    long long v = 0;
    if (q >= end || *q < '0' || *q > '9') return false;
    while (q < end && *q >= '0' && *q <= '9') v = v * 10 + (*q++ - '0');
    if (end - q < 2 || q[0] != '\r' || q[1] != '\n') return false;
    *p = q + 2;
    *out = v;
    return true;
}

/* Parses the newest incremental file of s. A malformed or unfinished entry ends the
 * parse with a recorded failure. */
static aof_log log_read_at(const char *file, int line, srv *s) {
    aof_log l = {0};
    char path[700];
    if (!incr_path(s, path, sizeof path)) return l; /* no file yet: nothing logged */
    size_t size = 0;
    char *buf = file_read(path, &size);
    if (!buf) return l;
    const char *p = buf, *end = buf + size;
    size_t cap = 0;
    while (p < end) {
        long long argc;
        const char *at = p;
        if (*p++ != '*' || !read_num(&p, end, &argc) || argc <= 0 || argc > 1000000) {
            test_fail(file, line, "%s: not a multibulk command at offset %zu", path,
                      (size_t)(at - buf));
            break;
        }
        entry e = {.argc = 0,
                   .argv = calloc((size_t)argc, sizeof(char *)),
                   .len = calloc((size_t)argc, sizeof(size_t))};
        bool ok = true;
        for (long long j = 0; j < argc && ok; j++) {
            long long len;
            ok = p < end && *p++ == '$' && read_num(&p, end, &len) && end - p >= len + 2 &&
                 p[len] == '\r' && p[len + 1] == '\n';
            if (!ok) break;
            e.argv[j] = malloc((size_t)len + 1);
            memcpy(e.argv[j], p, (size_t)len);
            e.argv[j][len] = '\0';
            e.len[j] = (size_t)len;
            e.argc++;
            p += len + 2;
        }
        if (l.n == cap) {
            cap = cap ? cap * 2 : 64;
            l.v = realloc(l.v, cap * sizeof(entry));
        }
        l.v[l.n++] = e;
        if (!ok) {
            test_fail(file, line, "%s: a bad or unfinished bulk in the entry at offset %zu", path,
                      (size_t)(at - buf));
            break;
        }
    }
    free(buf);
    return l;
}

/* An entry's words joined by spaces (static buffer), for messages. */
static const char *entry_text(const entry *e) {
    static char out[1024];
    size_t o = 0;
    out[0] = '\0';
    for (int j = 0; j < e->argc && o < sizeof out - 1; j++)
        o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", j ? " " : "", e->argv[j]);
    return out;
}

static bool is_select(const entry *e) {
    return e->argc == 2 && strcasecmp(e->argv[0], "select") == 0;
}

/* Where a test has read the log up to: entries [0, pos) of the file are checked. */
typedef struct cursor {
    srv *s;
    size_t pos;
    bool keep_select; /* compare SELECT entries too (else they are skipped) */
} cursor;

/* A cursor at the end of what s has logged so far. */
static cursor cursor_at_end(srv *s) {
    aof_log l = log_read_at(__FILE__, __LINE__, s);
    cursor cur = {.s = s, .pos = l.n};
    log_free(&l);
    return cur;
}

/* The next logged entry must be want: words separated by single spaces, compared as
 * bytes, where the word "#" stands for an integer within [lo, hi] (an absolute time). */
static void expect_log_at(const char *file, int line, cursor *cur, const char *want, long long lo,
                          long long hi) {
    aof_log l = log_read_at(file, line, cur->s);
    while (!cur->keep_select && cur->pos < l.n && is_select(&l.v[cur->pos])) cur->pos++;
    if (cur->pos >= l.n) {
        test_fail(file, line, "nothing more logged, expected \"%s\"", want);
        log_free(&l);
        return;
    }
    const entry *e = &l.v[cur->pos++];
    char *copy = strdup(want), *save = NULL;
    int j = 0;
    bool same = true;
    for (char *w = strtok_r(copy, " ", &save); w && same; w = strtok_r(NULL, " ", &save), j++) {
        if (j >= e->argc) {
            same = false;
        } else if (strcmp(w, "#") == 0) {
            char *endp;
            long long v = strtoll(e->argv[j], &endp, 10);
            if (*endp || !e->len[j]) {
                same = false;
            } else if (v < lo || v > hi) {
                test_fail(file, line, "\"%s\": word %d is %lld, not in [%lld, %lld]", entry_text(e),
                          j, v, lo, hi);
            }
        } else {
            same = strlen(w) == e->len[j] && memcmp(w, e->argv[j], e->len[j]) == 0;
        }
    }
    if (same && j != e->argc) same = false;
    if (!same) test_fail(file, line, "logged \"%s\", expected \"%s\"", entry_text(e), want);
    free(copy);
    log_free(&l);
}
#define EXPECT_LOG(cur, want)           expect_log_at(__FILE__, __LINE__, (cur), (want), 0, -1)
#define EXPECT_LOG_T(cur, want, lo, hi) expect_log_at(__FILE__, __LINE__, (cur), (want), (lo), (hi))

/* Nothing more was logged (SELECTs aside, unless keep_select). */
static void expect_log_end_at(const char *file, int line, cursor *cur) {
    aof_log l = log_read_at(file, line, cur->s);
    for (; cur->pos < l.n; cur->pos++) {
        if (!cur->keep_select && is_select(&l.v[cur->pos])) continue;
        test_fail(file, line, "unexpected entry \"%s\"", entry_text(&l.v[cur->pos]));
    }
    log_free(&l);
}
#define EXPECT_LOG_END(cur) expect_log_end_at(__FILE__, __LINE__, (cur))

/* ---- helpers -------------------------------------------------------------------------- */

/* Wall-clock ms (the clock the server's absolute expire times use). */
static long long wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static redisContext *fresh(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    return c;
}

/* Runs stmt (a command and its check) and stores the wall clock before and after it. */
#define TIMED(t0, t1, stmt)                                                                        \
    do {                                                                                           \
        (t0) = wall_ms();                                                                          \
        stmt;                                                                                      \
        (t1) = wall_ms();                                                                          \
    } while (0)

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* SMEMBERS key sorted and joined by commas (malloc'd; "" on an error). */
static char *sorted_members(redisContext *c, const char *key) {
    redisReply *r = CMD(c, "SMEMBERS %s", key);
    size_t n = r && r->type == REDIS_REPLY_ARRAY ? r->elements : 0, size = 1;
    const char **v = calloc(n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++) {
        v[i] = r->element[i]->str;
        size += strlen(v[i]) + 1;
    }
    qsort(v, n, sizeof(char *), cmp_str);
    char *out = calloc(size, 1);
    for (size_t i = 0; i < n; i++) {
        if (i) strcat(out, ",");
        strcat(out, v[i]);
    }
    free(v);
    if (r) freeReplyObject(r);
    return out;
}

/* ---- tests ---------------------------------------------------------------------------- */

static void t_start(void) {
    S = srv_start((const char *[]){"--appendonly", "yes", "--appendfsync", "always",
                                   "--enable-debug-command", "yes", NULL});
    if (!S) return;
    IS_CAIRN = srv_is_cairn(S);
    char path[700];
    CHECK(incr_path(S, path, sizeof path) != NULL);
}

static void t_select(void) {
    redisContext *c = srv_connect(S);
    cursor cur = cursor_at_end(S);
    cur.keep_select = true;
    EXPECT_STATUS(c, "OK", "SET a 1");
    EXPECT_STATUS(c, "OK", "SET b 2");
    EXPECT_STATUS(c, "OK", "SELECT 3");
    EXPECT_STATUS(c, "OK", "SET c 3");
    EXPECT_STATUS(c, "OK", "SELECT 0");
    EXPECT_INT(c, 1, "DEL a");
    /* The file starts with SELECT 0 before the first command in db 0. */
    aof_log l = log_read_at(__FILE__, __LINE__, S);
    CHECK(l.n > 0);
    if (l.n > 0) CHECK_EQ_STR(entry_text(&l.v[0]), "SELECT 0");
    log_free(&l);
    if (cur.pos == 0) EXPECT_LOG(&cur, "SELECT 0");
    EXPECT_LOG(&cur, "SET a 1");
    EXPECT_LOG(&cur, "SET b 2");
    /* SELECT itself is not logged: the switch is, before the first write there. */
    EXPECT_LOG(&cur, "SELECT 3");
    EXPECT_LOG(&cur, "SET c 3");
    EXPECT_LOG(&cur, "SELECT 0");
    EXPECT_LOG(&cur, "DEL a");
    EXPECT_LOG_END(&cur);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    redisFree(c);
}

static void t_set_expire(void) {
    redisContext *c = fresh();
    cursor cur = cursor_at_end(S);
    long long t0, t1;
    TIMED(t0, t1, EXPECT_STATUS(c, "OK", "SET a 1 EX 100"));
    EXPECT_LOG_T(&cur, "SET a 1 PXAT #", t0 + 100000, t1 + 100000);
    TIMED(t0, t1, EXPECT_STATUS(c, "OK", "SET b 1 px 100000"));
    EXPECT_LOG_T(&cur, "SET b 1 PXAT #", t0 + 100000, t1 + 100000);
    EXPECT_STATUS(c, "OK", "SET c 1 exat 9999999999");
    EXPECT_LOG(&cur, "SET c 1 PXAT 9999999999000");
    /* Even PXAT is rewritten (upper case). */
    EXPECT_STATUS(c, "OK", "set d 1 pxat 9999999999999");
    EXPECT_LOG(&cur, "SET d 1 PXAT 9999999999999");
    /* NX, XX and GET are dropped with an expire. */
    TIMED(t0, t1, EXPECT_STATUS(c, "OK", "SET e 1 NX EX 100"));
    EXPECT_LOG_T(&cur, "SET e 1 PXAT #", t0 + 100000, t1 + 100000);
    EXPECT_NIL(c, "SET e 2 NX EX 100");
    TIMED(t0, t1, EXPECT_STATUS(c, "OK", "SET e 3 xx px 5000"));
    EXPECT_LOG_T(&cur, "SET e 3 PXAT #", t0 + 5000, t1 + 5000);
    EXPECT_NIL(c, "SET nokey 3 XX PX 5000");
    TIMED(t0, t1, EXPECT_BULK(c, "3", "SET e 4 GET EX 100"));
    EXPECT_LOG_T(&cur, "SET e 4 PXAT #", t0 + 100000, t1 + 100000);
    TIMED(t0, t1, EXPECT_NIL(c, "SET f 4 XX GET EX 100"));
    TIMED(t0, t1, EXPECT_NIL(c, "SET f 4 GET EX 100"));
    EXPECT_LOG_T(&cur, "SET f 4 PXAT #", t0 + 100000, t1 + 100000);
    EXPECT_BULK(c, "4", "SET f 5 NX GET PX 100"); /* not set: nothing logged */
    /* Without an expire: as sent, less every GET. */
    EXPECT_STATUS(c, "OK", "set e 5 keepttl");
    EXPECT_LOG(&cur, "set e 5 keepttl");
    EXPECT_STATUS(c, "OK", "set e 6 xx KEEPTTL");
    EXPECT_LOG(&cur, "set e 6 xx KEEPTTL");
    EXPECT_BULK(c, "6", "set e 7 get");
    EXPECT_LOG(&cur, "set e 7");
    EXPECT_BULK(c, "7", "set e 8 GET keepttl get");
    EXPECT_LOG(&cur, "set e 8 keepttl");
    EXPECT_NIL(c, "set get get get");
    EXPECT_LOG(&cur, "set get get");
    EXPECT_NIL(c, "set e 9 nx");
    EXPECT_STATUS(c, "OK", "set e 10");
    EXPECT_LOG(&cur, "set e 10");
    /* The absolute time the key got is the one logged. */
    EXPECT_STATUS(c, "OK", "SET g v EX 1000");
    redisReply *r = CMD(c, "PEXPIRETIME g");
    if (r && r->type == REDIS_REPLY_INTEGER) {
        char want[64];
        snprintf(want, sizeof want, "SET g v PXAT %lld", r->integer);
        EXPECT_LOG(&cur, want);
    }
    if (r) freeReplyObject(r);
    EXPECT_LOG_END(&cur);
    redisFree(c);
}

/* An absolute time already past: the key is stored (and expires later). Active expiry is
 * off so that its DEL comes where the test looks for it. */
static void t_set_past(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "DEBUG SET-ACTIVE-EXPIRE 0");
    cursor cur = cursor_at_end(S);
    EXPECT_STATUS(c, "OK", "SET i 1 EXAT 1");
    EXPECT_LOG(&cur, "SET i 1 PXAT 1000");
    EXPECT_STATUS(c, "OK", "SET j 1 PXAT 1");
    EXPECT_LOG(&cur, "SET j 1 PXAT 1");
    EXPECT_NIL(c, "GET i"); /* lazy expiry: its own DEL */
    EXPECT_LOG(&cur, "DEL i");
    EXPECT_LOG_END(&cur);
    EXPECT_STATUS(c, "OK", "DEBUG SET-ACTIVE-EXPIRE 1");
    redisFree(c);
}

static void t_setex(void) {
    redisContext *c = fresh();
    cursor cur = cursor_at_end(S);
    long long t0, t1;
    TIMED(t0, t1, EXPECT_STATUS(c, "OK", "SETEX g 100 v"));
    EXPECT_LOG_T(&cur, "SET g v PXAT #", t0 + 100000, t1 + 100000);
    TIMED(t0, t1, EXPECT_STATUS(c, "OK", "psetex h 2500 w"));
    EXPECT_LOG_T(&cur, "SET h w PXAT #", t0 + 2500, t1 + 2500);
    EXPECT_ERR(c, "ERR invalid expire time in 'setex' command", "SETEX g 0 v");
    EXPECT_LOG_END(&cur);
    redisFree(c);
}

static void t_getex(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET k v");
    cursor cur = cursor_at_end(S);
    long long t0, t1;
    TIMED(t0, t1, EXPECT_BULK(c, "v", "GETEX k EX 100"));
    EXPECT_LOG_T(&cur, "PEXPIREAT k #", t0 + 100000, t1 + 100000);
    TIMED(t0, t1, EXPECT_BULK(c, "v", "getex k px 100000"));
    EXPECT_LOG_T(&cur, "PEXPIREAT k #", t0 + 100000, t1 + 100000);
    EXPECT_BULK(c, "v", "GETEX k EXAT 9999999999");
    EXPECT_LOG(&cur, "PEXPIREAT k 9999999999000");
    EXPECT_BULK(c, "v", "GETEX k PXAT 9999999999999");
    EXPECT_LOG(&cur, "PEXPIREAT k 9999999999999");
    EXPECT_BULK(c, "v", "getex k persist");
    EXPECT_LOG(&cur, "PERSIST k");
    EXPECT_BULK(c, "v", "GETEX k PERSIST"); /* no TTL left: no change, nothing logged */
    EXPECT_BULK(c, "v", "GETEX k");
    EXPECT_NIL(c, "GETEX nokey EX 100");
    EXPECT_BULK(c, "v", "GETEX k PXAT 1");
    EXPECT_LOG(&cur, "DEL k");
    EXPECT_INT(c, 0, "EXISTS k");
    EXPECT_LOG_END(&cur);
    redisFree(c);
}

static void t_expire(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET k v");
    cursor cur = cursor_at_end(S);
    long long t0, t1;
    TIMED(t0, t1, EXPECT_INT(c, 1, "EXPIRE k 100"));
    EXPECT_LOG_T(&cur, "PEXPIREAT k #", t0 + 100000, t1 + 100000);
    TIMED(t0, t1, EXPECT_INT(c, 1, "pexpire k 100000"));
    EXPECT_LOG_T(&cur, "PEXPIREAT k #", t0 + 100000, t1 + 100000);
    EXPECT_INT(c, 1, "EXPIREAT k 9999999999");
    EXPECT_LOG(&cur, "PEXPIREAT k 9999999999000");
    /* PEXPIREAT is logged as sent. */
    EXPECT_INT(c, 1, "pexpireat k 9999999999999");
    EXPECT_LOG(&cur, "pexpireat k 9999999999999");
    /* The options follow as given; a condition that fails logs nothing. */
    EXPECT_INT(c, 0, "EXPIRE k 100 NX");
    TIMED(t0, t1, EXPECT_INT(c, 1, "EXPIRE k 200 xx"));
    EXPECT_LOG_T(&cur, "PEXPIREAT k # xx", t0 + 200000, t1 + 200000);
    EXPECT_INT(c, 0, "EXPIRE k 100 GT");
    TIMED(t0, t1, EXPECT_INT(c, 1, "EXPIRE k 50 LT"));
    EXPECT_LOG_T(&cur, "PEXPIREAT k # LT", t0 + 50000, t1 + 50000);
    EXPECT_INT(c, 1, "pexpireat k 9999999999999 gt");
    EXPECT_LOG(&cur, "pexpireat k 9999999999999 gt");
    EXPECT_INT(c, 0, "EXPIRE nokey 100");
    /* A time already past deletes the key: DEL. */
    EXPECT_INT(c, 1, "EXPIRE k -1");
    EXPECT_LOG(&cur, "DEL k");
    const char *past[] = {"EXPIREAT k 1", "PEXPIREAT k 0", "PEXPIRE k 0", "EXPIRE k 0 NX"};
    for (size_t i = 0; i < sizeof past / sizeof *past; i++) {
        EXPECT_STATUS(c, "OK", "SET k v");
        EXPECT_LOG(&cur, "SET k v");
        EXPECT_INT(c, 1, past[i]);
        EXPECT_LOG(&cur, "DEL k");
    }
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_LOG(&cur, "SET k v");
    EXPECT_INT(c, 0, "EXPIRE k 0 XX"); /* no TTL: XX fails, the key stays */
    EXPECT_INT(c, 0, "PERSIST k");
    EXPECT_STATUS(c, "OK", "SET k v EX 100");
    EXPECT_LOG_T(&cur, "SET k v PXAT #", 0, LLONG_MAX);
    EXPECT_INT(c, 1, "EXPIRE k 0 LT");
    EXPECT_LOG(&cur, "DEL k");
    EXPECT_STATUS(c, "OK", "SET k v EX 100");
    EXPECT_LOG_T(&cur, "SET k v PXAT #", 0, LLONG_MAX);
    EXPECT_INT(c, 1, "persist k");
    EXPECT_LOG(&cur, "persist k");
    EXPECT_LOG_END(&cur);
    redisFree(c);
}

static void t_getdel_getset(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET k v");
    cursor cur = cursor_at_end(S);
    EXPECT_BULK(c, "v", "getdel k");
    EXPECT_LOG(&cur, "DEL k");
    EXPECT_NIL(c, "GETDEL k");
    EXPECT_NIL(c, "getset k w");
    EXPECT_LOG(&cur, "SET k w");
    EXPECT_BULK(c, "w", "GETSET k x");
    EXPECT_LOG(&cur, "SET k x");
    EXPECT_LOG_END(&cur);
    redisFree(c);
}

static void t_float_incr(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET f 10.5");
    cursor cur = cursor_at_end(S);
    EXPECT_BULK(c, "10.6", "INCRBYFLOAT f 0.1");
    EXPECT_LOG(&cur, "SET f 10.6 KEEPTTL");
    EXPECT_BULK(c, "110.6", "incrbyfloat f 1e2");
    EXPECT_LOG(&cur, "SET f 110.6 KEEPTTL");
    EXPECT_BULK(c, "3", "INCRBYFLOAT nf 3");
    EXPECT_LOG(&cur, "SET nf 3 KEEPTTL");
    EXPECT_STATUS(c, "OK", "SET ft 1 EX 100");
    EXPECT_LOG_T(&cur, "SET ft 1 PXAT #", 0, LLONG_MAX);
    EXPECT_BULK(c, "2.5", "INCRBYFLOAT ft 1.5");
    EXPECT_LOG(&cur, "SET ft 2.5 KEEPTTL");
    EXPECT_ERR(c, "ERR value is not a valid float", "INCRBYFLOAT ft x");
    EXPECT_BULK(c, "1.5", "HINCRBYFLOAT h f 1.5");
    EXPECT_LOG(&cur, "HSET h f 1.5");
    EXPECT_BULK(c, "26.5", "hincrbyfloat h f 2.5e1");
    EXPECT_LOG(&cur, "HSET h f 26.5");
    EXPECT_INT(c, 3, "hincrby h g 3");
    EXPECT_LOG(&cur, "hincrby h g 3");
    EXPECT_LOG_END(&cur);
    redisFree(c);
}

/* The SREM (or, in Redis, MULTI + one SREM per member + EXEC) for the members of r. */
static void expect_srem_of(const char *file, int line, cursor *cur, const char *key,
                           const redisReply *r) {
    if (!r || r->type != REDIS_REPLY_ARRAY) {
        test_fail(file, line, "SPOP: expected an array, got %s", r ? reply_describe(r) : "nothing");
        return;
    }
    size_t cap = strlen(key) + 8;
    for (size_t i = 0; i < r->elements; i++) cap += r->element[i]->len + 1;
    char *want = malloc(cap);
    if (IS_CAIRN || r->elements == 1) {
        size_t o = (size_t)snprintf(want, cap, "SREM %s", key);
        for (size_t i = 0; i < r->elements; i++)
            o += (size_t)snprintf(want + o, cap - o, " %s", r->element[i]->str);
        expect_log_at(file, line, cur, want, 0, -1);
    } else {
        expect_log_at(file, line, cur, "MULTI", 0, -1);
        for (size_t i = 0; i < r->elements; i++) {
            snprintf(want, cap, "SREM %s %s", key, r->element[i]->str);
            expect_log_at(file, line, cur, want, 0, -1);
        }
        expect_log_at(file, line, cur, "EXEC", 0, -1);
    }
    free(want);
}
#define EXPECT_SREM_OF(cur, key, r) expect_srem_of(__FILE__, __LINE__, (cur), (key), (r))

static void t_spop(void) {
    redisContext *c = fresh();
    /* A listpack or hashtable set of strings, an intset, and a bigger hashtable set. */
    EXPECT_INT(c, 6, "SADD s a b c d e f");
    EXPECT_INT(c, 10, "SADD n 1 2 3 4 5 6 7 8 9 10");
    redisReply *r = CMD(c, "SADD big %s", "m0");
    if (r) freeReplyObject(r);
    for (int i = 1; i < 300; i++) {
        r = CMD(c, "SADD big m%d", i);
        if (r) freeReplyObject(r);
    }
    cursor cur = cursor_at_end(S);
    char *m = CMD_STR(c, "SPOP s");
    if (m) {
        char want[64];
        snprintf(want, sizeof want, "SREM s %s", m);
        EXPECT_LOG(&cur, want);
        free(m);
    }
    r = CMD(c, "SPOP s 2");
    EXPECT_SREM_OF(&cur, "s", r);
    if (r) freeReplyObject(r);
    r = CMD(c, "SPOP s 1");
    EXPECT_SREM_OF(&cur, "s", r);
    if (r) freeReplyObject(r);
    EXPECT_ARRAY_STRS(c, ((const char *[]){0}), 0, "SPOP s 0");
    r = CMD(c, "SPOP n 8");
    EXPECT_SREM_OF(&cur, "n", r);
    if (r) freeReplyObject(r);
    /* Most of a big set (Redis's other strategy: the reply is what was not kept). */
    r = CMD(c, "SPOP big 290");
    EXPECT_SREM_OF(&cur, "big", r);
    if (r) freeReplyObject(r);
    r = CMD(c, "SPOP big 3");
    EXPECT_SREM_OF(&cur, "big", r);
    if (r) freeReplyObject(r);
    /* The whole set: DEL. */
    r = CMD(c, "SPOP s 10");
    if (r) freeReplyObject(r);
    EXPECT_LOG(&cur, "DEL s");
    r = CMD(c, "spop n 2");
    if (r) freeReplyObject(r);
    EXPECT_LOG(&cur, "DEL n");
    /* The last member by a plain SPOP is an SREM (the key goes with it). */
    EXPECT_INT(c, 1, "SADD one x");
    EXPECT_LOG(&cur, "SADD one x");
    EXPECT_BULK(c, "x", "SPOP one");
    EXPECT_LOG(&cur, "SREM one x");
    EXPECT_NIL(c, "SPOP nokey");
    EXPECT_ARRAY_STRS(c, ((const char *[]){0}), 0, "SPOP nokey 3");
    EXPECT_LOG_END(&cur);
    redisFree(c);
}

static void t_mpop(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 5, "RPUSH l a b c d e");
    EXPECT_INT(c, 4, "ZADD z 1 a 2 b 3 c 4 d");
    cursor cur = cursor_at_end(S);
    /* LMPOP/ZMPOP: the pop on the key served, with the number actually popped. */
    redisReply *r = CMD(c, "LMPOP 2 nokey l LEFT COUNT 2");
    if (r) freeReplyObject(r);
    EXPECT_LOG(&cur, "LPOP l 2");
    r = CMD(c, "lmpop 1 l right count 10");
    if (r) freeReplyObject(r);
    EXPECT_LOG(&cur, "RPOP l 3");
    r = CMD(c, "ZMPOP 1 z MIN");
    if (r) freeReplyObject(r);
    EXPECT_LOG(&cur, "ZPOPMIN z 1");
    r = CMD(c, "ZMPOP 2 nokey z max COUNT 5");
    if (r) freeReplyObject(r);
    EXPECT_LOG(&cur, "ZPOPMAX z 3");
    EXPECT_NIL(c, "LMPOP 1 l LEFT");
    /* LPOP, ZPOPMIN as sent. */
    EXPECT_INT(c, 3, "RPUSH l a b c");
    EXPECT_LOG(&cur, "RPUSH l a b c");
    r = CMD(c, "lpop l 2");
    if (r) freeReplyObject(r);
    EXPECT_LOG(&cur, "lpop l 2");
    EXPECT_INT(c, 2, "ZADD z 1 a 2 b");
    EXPECT_LOG(&cur, "ZADD z 1 a 2 b");
    r = CMD(c, "zpopmin z 1");
    if (r) freeReplyObject(r);
    EXPECT_LOG(&cur, "zpopmin z 1");
    r = CMD(c, "ZPOPMAX z");
    if (r) freeReplyObject(r);
    EXPECT_LOG(&cur, "ZPOPMAX z");
    EXPECT_LOG_END(&cur);
    redisFree(c);
}

/* Blocking commands that find something at once. */
static void t_blocking_immediate(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 8, "RPUSH l a b c d e f g h");
    EXPECT_INT(c, 9, "ZADD z 1 a 2 b 3 c 4 d 5 e 6 f 7 g 8 h 9 i");
    cursor cur = cursor_at_end(S);
    EXPECT_ARRAY_STRS(c, ((const char *[]){"l", "a"}), 2, "BLPOP l 0");
    EXPECT_LOG(&cur, "LPOP l");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"l", "h"}), 2, "brpop nokey l 0");
    EXPECT_LOG(&cur, "RPOP l");
    EXPECT_BULK(c, "g", "BRPOPLPUSH l l2 0");
    EXPECT_LOG(&cur, "RPOPLPUSH l l2");
    EXPECT_BULK(c, "b", "blmove l l2 left right 0");
    EXPECT_LOG(&cur, "LMOVE l l2 left right");
    EXPECT_BULK(c, "f", "BLMOVE l l2 Right LEFT 0");
    EXPECT_LOG(&cur, "LMOVE l l2 Right LEFT");
    redisReply *r = CMD(c, "BLMPOP 0 2 nokey l LEFT COUNT 2");
    if (r) freeReplyObject(r);
    EXPECT_LOG(&cur, "LPOP l 2");
    r = CMD(c, "BLMPOP 0 1 l RIGHT COUNT 5");
    if (r) freeReplyObject(r);
    EXPECT_LOG(&cur, "RPOP l 1");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"z", "a", "1"}), 3, "BZPOPMIN z 0");
    EXPECT_LOG(&cur, "ZPOPMIN z");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"z", "i", "9"}), 3, "bzpopmax nokey z 0");
    EXPECT_LOG(&cur, "ZPOPMAX z");
    r = CMD(c, "BZMPOP 0 1 z MIN COUNT 2");
    if (r) freeReplyObject(r);
    EXPECT_LOG(&cur, "ZPOPMIN z 2");
    r = CMD(c, "bzmpop 0 1 z max");
    if (r) freeReplyObject(r);
    EXPECT_LOG(&cur, "ZPOPMAX z 1");
    EXPECT_LOG_END(&cur);
    redisFree(c);
}

/* Blocking commands served after blocking, by a write from another client. */
static void t_blocking_served(void) {
    redisContext *c = fresh(), *b = srv_connect(S);
    cursor cur = cursor_at_end(S);
    struct {
        const char *block, *push, *push_logged, *logged;
    } cases[] = {
        {"BLPOP l1 0", "RPUSH l1 a b", "RPUSH l1 a b", "LPOP l1"},
        {"BRPOP nokey l2 0", "RPUSH l2 a b", "RPUSH l2 a b", "RPOP l2"},
        {"BRPOPLPUSH l3 d3 0", "RPUSH l3 a b", "RPUSH l3 a b", "RPOPLPUSH l3 d3"},
        /* Served after blocking, Redis writes the directions in lower case. */
        {"BLMOVE l4 d4 LEFT Right 0", "RPUSH l4 a b", "RPUSH l4 a b", "LMOVE l4 d4 left right"},
        {"BLMPOP 0 2 x l5 RIGHT COUNT 5", "RPUSH l5 a b c", "RPUSH l5 a b c", "RPOP l5 3"},
        {"BLMPOP 0 1 l6 left", "RPUSH l6 a b c", "RPUSH l6 a b c", "LPOP l6 1"},
        {"BZPOPMIN z1 0", "ZADD z1 1 a 2 b", "ZADD z1 1 a 2 b", "ZPOPMIN z1"},
        {"BZPOPMAX z2 0", "ZADD z2 1 a 2 b", "ZADD z2 1 a 2 b", "ZPOPMAX z2"},
        {"BZMPOP 0 1 z3 MAX COUNT 5", "ZADD z3 1 a 2 b 3 c", "ZADD z3 1 a 2 b 3 c", "ZPOPMAX z3 3"},
        {"BZMPOP 0 1 z4 min", "ZADD z4 1 a 2 b 3 c", "ZADD z4 1 a 2 b 3 c", "ZPOPMIN z4 1"},
        /* A push by LMOVE serves a waiter too: its pop comes after the LMOVE. */
        {"BLPOP l7 0", "LMOVE d3 l7 LEFT LEFT", "LMOVE d3 l7 LEFT LEFT", "LPOP l7"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cmd_send_only(b, cases[i].block);
        if (!WAIT_FOR(info_blocked_clients(c) == 1, 5000)) break;
        redisReply *r = CMD(c, cases[i].push);
        if (r) freeReplyObject(r);
        r = cmd_next_reply(b);
        if (!r || (r->type != REDIS_REPLY_ARRAY && r->type != REDIS_REPLY_STRING))
            test_fail(__FILE__, __LINE__, "%s: reply %s", cases[i].block,
                      r ? reply_describe(r) : "(connection error)");
        if (r) freeReplyObject(r);
        EXPECT_LOG(&cur, cases[i].push_logged);
        EXPECT_LOG(&cur, cases[i].logged);
    }
    /* One that times out logs nothing. */
    EXPECT_NIL(b, "BLPOP nothing 0.01");
    EXPECT_LOG_END(&cur);
    redisFree(b);
    redisFree(c);
}

/* SORT ... STORE is logged as sent; from a set, BY nosort still sorts (ALPHA) so that
 * the stored list does not depend on the set's order. */
static void t_sort_store(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 5, "SADD s c a e b d");
    EXPECT_STATUS(c, "OK", "MSET w_a 1 w_b 1 w_c 0 w_d 1 w_e 0");
    cursor cur = cursor_at_end(S);
    EXPECT_INT(c, 5, "SORT s BY nosort STORE out");
    EXPECT_LOG(&cur, "SORT s BY nosort STORE out");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"a", "b", "c", "d", "e"}), 5, "LRANGE out 0 -1");
    EXPECT_INT(c, 5, "SORT s BY nosort DESC STORE out");
    EXPECT_LOG(&cur, "SORT s BY nosort DESC STORE out");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"e", "d", "c", "b", "a"}), 5, "LRANGE out 0 -1");
    EXPECT_INT(c, 5, "SORT s BY w_* STORE out2");
    EXPECT_LOG(&cur, "SORT s BY w_* STORE out2");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"c", "e", "a", "b", "d"}), 5, "LRANGE out2 0 -1");
    /* Equal ALPHA weights: Redis leaves their order to its quicksort; Cairn orders them
     * by the elements when it stores from a set. */
    EXPECT_INT(c, 5, "SORT s BY w_* ALPHA DESC STORE out3");
    EXPECT_LOG(&cur, "SORT s BY w_* ALPHA DESC STORE out3");
    if (IS_CAIRN)
        EXPECT_ARRAY_STRS(c, ((const char *[]){"d", "b", "a", "e", "c"}), 5, "LRANGE out3 0 -1");
    EXPECT_LOG_END(&cur);
    redisFree(c);
}

/* Deterministic writes are logged as sent; writes that change nothing are not logged. */
static void t_as_sent(void) {
    redisContext *c = fresh();
    cursor cur = cursor_at_end(S);
    const char *logged[] = {
        "set a 1",
        "incr a",
        "incrby a 5",
        "append a x",
        "setrange a 1 yy",
        "mset m1 1 m2 2",
        "rename m1 m3",
        "copy m2 m4",
        "lpush l a b",
        "lmove l l2 LEFT RIGHT",
        "rpoplpush l l2",
        "zadd z 1 a",
        "zincrby z 1.5 a",
        "hset h f v",
        "sadd s a b",
        "sinterstore si s s",
        "pfadd p a",
        "setbit b 1 1",
        "bitfield b2 set u8 0 255",
        "move a 3",
        "swapdb 2 3",
        "del m3",
        "flushdb",
        "flushall",
    };
    for (size_t i = 0; i < sizeof logged / sizeof *logged; i++) {
        redisReply *r = CMD(c, logged[i]);
        if (r && r->type == REDIS_REPLY_ERROR)
            test_fail(__FILE__, __LINE__, "%s: %s", logged[i], r->str);
        if (r) freeReplyObject(r);
        EXPECT_LOG(&cur, logged[i]);
    }
    const char *unlogged[] = {
        "del nokey",           "srem nokey a",    "hdel nokey f",  "zrem nokey a",
        "lpop nokey",          "expire nokey 10", "persist nokey", "setnx k v",
        "setnx k w",           "msetnx k 1 j 2",  "getex k",       "sunionstore nokey2 nokey",
        "bitfield b get u8 0",
    };
    for (size_t i = 0; i < sizeof unlogged / sizeof *unlogged; i++) {
        redisReply *r = CMD(c, unlogged[i]);
        if (r) freeReplyObject(r);
        if (strcmp(unlogged[i], "setnx k v") == 0) EXPECT_LOG(&cur, "setnx k v"); /* it wrote */
    }
    EXPECT_LOG_END(&cur);
    redisFree(c);
}

/* The log brings back what the commands left, TTLs to the millisecond. */
static void t_restart(void) {
    const char *const args[] = {"--appendonly", "yes", "--appendfsync", "always", NULL};
    srv *s = srv_start(args);
    if (!s) return;
    redisContext *c = srv_connect(s);
    EXPECT_STATUS(c, "OK", "SET a 1 EX 1000");
    EXPECT_STATUS(c, "OK", "SETEX b 2000 v");
    EXPECT_STATUS(c, "OK", "PSETEX c 3000000 v");
    EXPECT_STATUS(c, "OK", "SET d v");
    EXPECT_INT(c, 1, "EXPIRE d 4000");
    EXPECT_STATUS(c, "OK", "SET e v");
    EXPECT_BULK(c, "v", "GETEX e PX 5000000");
    EXPECT_STATUS(c, "OK", "SET f 1.5 EX 6000");
    EXPECT_BULK(c, "2", "INCRBYFLOAT f 0.5");
    EXPECT_BULK(c, "0.3", "HINCRBYFLOAT h x 0.3");
    EXPECT_INT(c, 20, "SADD s a b c d e f g h i j k l m n o p q r s t");
    redisReply *r = CMD(c, "SPOP s 7");
    if (r) freeReplyObject(r);
    free(CMD_STR(c, "SPOP s"));
    EXPECT_INT(c, 5, "SADD t c a e b d");
    EXPECT_INT(c, 5, "SORT t BY nosort STORE sorted");
    EXPECT_INT(c, 3, "RPUSH l x y z");
    r = CMD(c, "BLMPOP 0 1 l LEFT COUNT 2");
    if (r) freeReplyObject(r);
    EXPECT_STATUS(c, "OK", "SET g v");
    EXPECT_BULK(c, "v", "GETDEL g");
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "SET tx1 a");
    EXPECT_STATUS(c, "QUEUED", "RPUSH tx2 b c");
    redisReply *tx = CMD(c, "EXEC");
    if (tx) freeReplyObject(tx);

    const char *ttl_keys[] = {"a", "b", "c", "d", "e", "f"};
    long long ttls[6];
    for (int i = 0; i < 6; i++) ttls[i] = CMD_INT(c, "PEXPIRETIME %s", ttl_keys[i]);
    char *members = sorted_members(c, "s");
    redisFree(c);

    srv_kill(s, SIGKILL);
    if (!srv_restart(s, args)) {
        srv_stop(s);
        return;
    }
    c = srv_connect(s);
    for (int i = 0; i < 6; i++) {
        long long t = CMD_INT(c, "PEXPIRETIME %s", ttl_keys[i]);
        if (t != ttls[i])
            test_fail(__FILE__, __LINE__, "PEXPIRETIME %s: %lld after the restart, %lld before",
                      ttl_keys[i], t, ttls[i]);
    }
    EXPECT_BULK(c, "1", "GET a");
    EXPECT_BULK(c, "2", "GET f");
    EXPECT_BULK(c, "0.3", "HGET h x");
    char *after = sorted_members(c, "s");
    CHECK_EQ_STR(after, members);
    CHECK(strlen(members) == 12 * 2 - 1);
    free(after);
    free(members);
    EXPECT_ARRAY_STRS(c, ((const char *[]){"a", "b", "c", "d", "e"}), 5, "LRANGE sorted 0 -1");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"z"}), 1, "LRANGE l 0 -1");
    EXPECT_INT(c, 0, "EXISTS g");
    EXPECT_BULK(c, "a", "GET tx1");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"b", "c"}), 2, "LRANGE tx2 0 -1");
    redisFree(c);
    srv_stop(s);
}

/* EXEC logs what its commands wrote as one unit: inside MULTI ... EXEC when that is
 * more than one command, alone when it is one, nothing when none wrote. */
static void t_transactions(void) {
    redisContext *c = fresh();
    cursor cur = cursor_at_end(S);
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "SET ta 1");
    EXPECT_STATUS(c, "QUEUED", "INCR tn");
    EXPECT_STATUS(c, "QUEUED", "GET ta");
    redisReply *r = CMD(c, "EXEC");
    CHECK(r && r->type == REDIS_REPLY_ARRAY && r->elements == 3);
    if (r) freeReplyObject(r);
    EXPECT_LOG(&cur, "MULTI");
    EXPECT_LOG(&cur, "SET ta 1");
    EXPECT_LOG(&cur, "INCR tn");
    EXPECT_LOG(&cur, "EXEC");
    /* One write: no MULTI around it. */
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "GET ta");
    EXPECT_STATUS(c, "QUEUED", "SET tb 2");
    r = CMD(c, "EXEC");
    if (r) freeReplyObject(r);
    EXPECT_LOG(&cur, "SET tb 2");
    /* Reads only, a failed write, and an aborted EXEC: nothing. */
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "GET ta");
    EXPECT_STATUS(c, "QUEUED", "LPUSH ta x");
    r = CMD(c, "EXEC");
    if (r) freeReplyObject(r);
    EXPECT_STATUS(c, "OK", "WATCH ta");
    redisContext *other = srv_connect(S);
    EXPECT_STATUS(other, "OK", "SET ta 3");
    EXPECT_LOG(&cur, "SET ta 3");
    redisFree(other);
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "SET tc 1");
    EXPECT_NIL(c, "EXEC");
    /* A rewritten command inside a transaction is logged in its deterministic form. */
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "SET td v");
    EXPECT_STATUS(c, "QUEUED", "EXPIRE td 100");
    long long t0 = wall_ms();
    r = CMD(c, "EXEC");
    long long t1 = wall_ms();
    if (r) freeReplyObject(r);
    EXPECT_LOG(&cur, "MULTI");
    EXPECT_LOG(&cur, "SET td v");
    EXPECT_LOG_T(&cur, "PEXPIREAT td #", t0 + 100000, t1 + 100000);
    EXPECT_LOG(&cur, "EXEC");
    EXPECT_LOG_END(&cur);
    redisFree(c);
}

static void t_stop(void) { srv_stop(S); }

int main(void) {
    test_run("start with appendonly yes", t_start);
    if (S) {
        test_run("SELECT before the first command and on a db switch", t_select);
        test_run("SET with an expire: SET key value PXAT ms", t_set_expire);
        test_run("SET with an absolute time already past", t_set_past);
        test_run("SETEX and PSETEX: SET key value PXAT ms", t_setex);
        test_run("GETEX: PEXPIREAT, PERSIST, DEL", t_getex);
        test_run("EXPIRE family: PEXPIREAT or DEL", t_expire);
        test_run("GETDEL: DEL; GETSET: SET", t_getdel_getset);
        test_run("INCRBYFLOAT: SET KEEPTTL; HINCRBYFLOAT: HSET", t_float_incr);
        test_run("SPOP: SREM or DEL", t_spop);
        test_run("LMPOP, ZMPOP: LPOP/RPOP/ZPOPMIN/ZPOPMAX key n", t_mpop);
        test_run("blocking commands served at once", t_blocking_immediate);
        test_run("blocking commands served after blocking", t_blocking_served);
        test_run("SORT STORE from a set", t_sort_store);
        test_run("deterministic writes as sent; no-ops not logged", t_as_sent);
        test_run("MULTI/EXEC: one unit, wrapped when more than one write", t_transactions);
        test_run("stop", t_stop);
    }
    test_run("restart: values and TTLs back from the log", t_restart);
    return test_summary("aof_propagation");
}
