/* tests/integration/test_pause.c: CLIENT PAUSE (WRITE and ALL), CLIENT UNPAUSE and
 * WAIT on a server without replicas: which commands a pause holds and which it serves,
 * the order of held commands, overlapping pauses, keys that do not expire while paused,
 * held clients that disconnect, WAIT's timeout, MULTI and CLIENT UNBLOCK, and the
 * error texts. Expectations as Redis 7.0.15 answers them.
 *
 * Timing. A held reply must not be readable before the pause ends: the test notes the
 * time t0 just before it sends CLIENT PAUSE (the pause starts no earlier), and polls
 * the held connections' sockets, without reading, until t0 + pause - SLACK_MS. Redis
 * ends a pause (and a WAIT timeout) on a cron tick (hz 10), so a held reply comes up
 * to ~100 ms after the end; the upper bounds leave LATE_MS. Pauses are a few hundred
 * ms; tests that need not wait a pause out end it with CLIENT UNPAUSE. Every test
 * leaves the server unpaused. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness.h"

#define SLACK_MS 10   /* clock rounding below the pause's end */
#define LATE_MS  1500 /* how late after the end a held reply may come */
#define SOON_MS  500  /* an unheld reply comes within this */

static srv *S;

static redisContext *fresh(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    return c;
}

/* Is a reply readable on c within ms? Polls the socket without reading (hiredis holds
 * no buffered reply when this is used: right after cmd_send_only(), or after reading
 * every reply sent so far). */
static bool readable_within(redisContext *c, int ms) {
    if (!c) return false;
    struct pollfd p = {.fd = c->fd, .events = POLLIN};
    long long deadline = now_ms() + ms;
    for (;;) {
        long long left = deadline - now_ms();
        int n = poll(&p, 1, left > 0 ? (int)left : 0);
        if (n > 0) return true;
        if (n == 0 && left <= 0) return false;
        if (n < 0 && errno != EINTR) return false;
    }
}

/* None of the n connections gets any reply before deadline (a now_ms() time): their
 * sockets are polled together, nothing is read. Each one that answers early is reported
 * (by names[i] if names is not NULL, else by its index). */
#define EXPECT_SILENT_UNTIL(cs, n, deadline, what, names)                                          \
    silent_until_at(__FILE__, __LINE__, (cs), (n), (deadline), (what), (names))
static void silent_until_at(const char *file, int line, redisContext **cs, int n,
                            long long deadline, const char *what, const char *const *names) {
    struct pollfd p[32];
    if (n > 32) n = 32;
    for (int i = 0; i < n; i++)
        p[i] = (struct pollfd){.fd = cs[i] ? cs[i]->fd : -1, .events = POLLIN};
    long long left;
    while ((left = deadline - now_ms()) > 0) {
        int k = poll(p, (nfds_t)n, (int)left);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return;
        for (int i = 0; i < n; i++)
            if (p[i].fd >= 0 && p[i].revents) {
                char idx[16];
                snprintf(idx, sizeof idx, "connection %d", i);
                test_fail(file, line, "%s: %s answered %lld ms before the pause ended", what,
                          names ? names[i] : idx, deadline - now_ms());
                p[i].fd = -1;
            }
    }
}

/* A new connection that has sent cmd; its reply is read later with NEXT_*(). */
static redisContext *send_on_new(const char *cmd) {
    redisContext *c = srv_connect(S);
    cmd_send_only(c, cmd);
    return c;
}

static void send_pipeline(redisContext *c, const char *const *cmds, int n) {
    if (!c) return;
    for (int i = 0; i < n; i++) redisAppendCommand(c, cmds[i]);
    int done = 0;
    while (!done && redisBufferWrite(c, &done) == REDIS_OK) {
    }
}

/* The next reply on c (sent earlier), checked like CHECK_REPLY_*, then freed. */
#define NEXT_STATUS(c, exp)                                                                        \
    do {                                                                                           \
        redisReply *r_ = cmd_next_reply(c);                                                        \
        CHECK_REPLY_STATUS(r_, (exp));                                                             \
        if (r_) freeReplyObject(r_);                                                               \
    } while (0)
#define NEXT_INT(c, exp)                                                                           \
    do {                                                                                           \
        redisReply *r_ = cmd_next_reply(c);                                                        \
        CHECK_REPLY_INT(r_, (exp));                                                                \
        if (r_) freeReplyObject(r_);                                                               \
    } while (0)
#define NEXT_BULK(c, exp)                                                                          \
    do {                                                                                           \
        redisReply *r_ = cmd_next_reply(c);                                                        \
        CHECK_REPLY_BULK(r_, (exp));                                                               \
        if (r_) freeReplyObject(r_);                                                               \
    } while (0)
#define NEXT_ERR(c, exp)                                                                           \
    do {                                                                                           \
        redisReply *r_ = cmd_next_reply(c);                                                        \
        CHECK_REPLY_ERR(r_, (exp));                                                                \
        if (r_) freeReplyObject(r_);                                                               \
    } while (0)
/* An array reply of exactly the bulk strings exp[0..n) (NULL: nil). */
#define NEXT_STRS(c, exp, n)                                                                       \
    do {                                                                                           \
        redisReply *r_ = cmd_next_reply(c);                                                        \
        CHECK_REPLY_STRS(r_, (exp), (n));                                                          \
        if (r_) freeReplyObject(r_);                                                               \
    } while (0)

static long long connected_clients(redisContext *c) {
    return info_int(c, "clients", "connected_clients");
}

/* The CLIENT LIST line of the connection whose local port is port (malloc'd), or NULL. */
static char *client_list_line(redisContext *c, int port) {
    char *list = CMD_STR(c, "CLIENT LIST");
    if (!list) return NULL;
    char want[48];
    snprintf(want, sizeof want, " addr=127.0.0.1:%d ", port); /* not laddr= */
    char *line = NULL, *save = NULL;
    for (char *l = strtok_r(list, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
        if (strstr(l, want)) {
            line = strdup(l);
            break;
        }
    free(list);
    return line;
}

/* An EXEC reply of one element, checked with a CHECK_REPLY_* macro. */
#define NEXT_ONE(c, check, exp)                                                                    \
    do {                                                                                           \
        redisReply *r_ = cmd_next_reply(c);                                                        \
        if (CHECK_REPLY_ARRAY(r_, 1)) check(r_->element[0], (exp));                                \
        if (r_) freeReplyObject(r_);                                                               \
    } while (0)

/* stmt must complete (its reply arrive) within SOON_MS: not held by the pause. */
#define QUICK(stmt)                                                                                \
    do {                                                                                           \
        long long q0_ = now_ms();                                                                  \
        stmt;                                                                                      \
        long long q_ = now_ms() - q0_;                                                             \
        if (q_ > SOON_MS) test_fail(__FILE__, __LINE__, "%s took %lld ms: held?", #stmt, q_);      \
    } while (0)

/* ---- CLIENT PAUSE WRITE --------------------------------------------------------------- */

/* Commands flagged write or may-replicate (PUBLISH, SPUBLISH, PFCOUNT) are held until the
 * pause ends, whatever the key and whether it exists; so are BLPOP on a list that could
 * serve it, EXEC of a transaction holding such a command, a write command sent inside
 * MULTI (its +QUEUED waits too), and the pausing client's own writes. Meanwhile others
 * see the data unchanged, and the held clients count in blocked_clients. */
static void t_write_pause_holds_writes(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    EXPECT_INT(c, 1, "PFADD h a");
    EXPECT_INT(c, 1, "RPUSH l x");
    EXPECT_STATUS(c, "OK", "SET k4 old");
    /* Transactions opened before the pause. */
    redisContext *m[4];
    const char *queued[] = {"SET x 1", "PUBLISH ch m", "PFCOUNT h"};
    for (int i = 0; i < 4; i++) {
        m[i] = srv_connect(S);
        EXPECT_STATUS(m[i], "OK", "MULTI");
        if (i < 3) EXPECT_STATUS(m[i], "QUEUED", queued[i]);
    }

    const char *cmds[] = {"SET k1 v",  "DEL k2",    "EXPIRE k3 10", "PUBLISH ch m", "SPUBLISH ch m",
                          "PFCOUNT h", "GETDEL k4", "BLPOP l 1",    "SORT nolist",  "PFADD h2 b"};
    enum { NCMDS = sizeof cmds / sizeof *cmds, NHELD = NCMDS + 5 };
    redisContext *w[NHELD];
    const char *names[NHELD];
    for (int i = 0; i < NCMDS; i++) names[i] = cmds[i];
    names[NCMDS] = "EXEC [SET x 1]", names[NCMDS + 1] = "EXEC [PUBLISH]",
    names[NCMDS + 2] = "EXEC [PFCOUNT]";
    names[NCMDS + 3] = "SET y 1 inside MULTI", names[NCMDS + 4] = "the pauser's own SET own 1";
    long long t0 = now_ms();
    EXPECT_STATUS(c, "OK", "CLIENT PAUSE 600 WRITE");
    for (int i = 0; i < NCMDS; i++) w[i] = send_on_new(cmds[i]);
    for (int i = 0; i < 3; i++) cmd_send_only(m[i], "EXEC"), w[NCMDS + i] = m[i];
    cmd_send_only(m[3], "SET y 1"), w[NCMDS + 3] = m[3];
    cmd_send_only(c, "SET own 1"), w[NCMDS + 4] = c; /* the pauser is held too */
    /* All received and held (INFO is a read: served during a WRITE pause). A short
     * deadline: the checks after it must still fall inside the pause. */
    WAIT_FOR(info_blocked_clients(o) == NHELD, 300);
    EXPECT_NIL(o, "GET k1");
    EXPECT_NIL(o, "GET own");
    EXPECT_BULK(o, "old", "GET k4");
    EXPECT_INT(o, 1, "LLEN l");
    EXPECT_SILENT_UNTIL(w, NHELD, t0 + 600 - SLACK_MS, "WRITE pause", names);

    NEXT_STATUS(w[0], "OK");
    NEXT_INT(w[1], 0);
    NEXT_INT(w[2], 0);
    NEXT_INT(w[3], 0);
    NEXT_INT(w[4], 0);
    NEXT_INT(w[5], 1);
    NEXT_BULK(w[6], "old");
    NEXT_STRS(w[7], ((const char *[]){"l", "x"}), 2);
    NEXT_STRS(w[8], ((const char *[]){NULL}), 0);
    NEXT_INT(w[9], 1);
    NEXT_ONE(m[0], CHECK_REPLY_STATUS, "OK");
    NEXT_ONE(m[1], CHECK_REPLY_INT, 0);
    NEXT_ONE(m[2], CHECK_REPLY_INT, 1);
    NEXT_STATUS(m[3], "QUEUED");
    NEXT_STATUS(c, "OK");
    CHECK_RANGE(now_ms() - t0, 600 - SLACK_MS, 600 + LATE_MS);
    cmd_send_only(m[3], "EXEC");
    NEXT_ONE(m[3], CHECK_REPLY_STATUS, "OK");
    CHECK_EQ_INT(info_blocked_clients(o), 0);
    EXPECT_ARRAY_STRS(o, ((const char *[]){"v", "1", "1", "1", NULL}), 5, "MGET k1 x y own k4");
    for (int i = 0; i < NCMDS; i++) redisFree(w[i]);
    for (int i = 0; i < 4; i++) redisFree(m[i]);
    redisFree(o);
    redisFree(c);
}

/* Reads are served at once during a WRITE pause, to the pauser too, while a write waits:
 * GET, PING, INFO, DBSIZE, TTL, WAIT, SORT_RO, another CLIENT PAUSE, MULTI with reads
 * only (its EXEC included, also one queued before the pause). */
static void t_write_pause_serves_reads(void) {
    redisContext *c = fresh(), *o = srv_connect(S), *m = srv_connect(S), *mw = srv_connect(S);
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_STATUS(c, "OK", "SET t v EX 100");
    EXPECT_STATUS(m, "OK", "MULTI");
    EXPECT_STATUS(m, "QUEUED", "GET k");
    EXPECT_STATUS(m, "QUEUED", "PING");
    EXPECT_STATUS(mw, "OK", "MULTI");
    EXPECT_STATUS(mw, "QUEUED", "WAIT 0 0");
    EXPECT_STATUS(c, "OK", "CLIENT PAUSE 3000 WRITE");
    redisContext *w = send_on_new("SET k held");
    WAIT_FOR(info_blocked_clients(o) == 1, 300);
    QUICK(EXPECT_BULK(o, "v", "GET k"));
    QUICK(EXPECT_BULK(c, "v", "GET k"));
    QUICK(EXPECT_STATUS(o, "PONG", "PING"));
    QUICK(EXPECT_STATUS(c, "PONG", "PING"));
    QUICK({
        char *ver = info_field(o, "server", "redis_version");
        CHECK(ver != NULL);
        free(ver);
    });
    QUICK(EXPECT_INT(o, 2, "DBSIZE"));
    QUICK(EXPECT_INT(o, 1, "EXISTS k"));
    QUICK({
        long long ttl = CMD_INT(o, "TTL t");
        CHECK_RANGE(ttl, 90, 100);
    });
    QUICK(EXPECT_ARRAY_STRS(o, ((const char *[]){NULL}), 0, "SORT_RO nolist"));
    QUICK(EXPECT_BULK(o, "e", "ECHO e"));
    QUICK(EXPECT_STATUS(o, "OK", "MULTI"));
    QUICK(EXPECT_STATUS(o, "QUEUED", "GET k"));
    QUICK(EXPECT_STATUS(o, "QUEUED", "EXISTS k"));
    QUICK({
        redisReply *r = CMD(o, "EXEC");
        if (CHECK_REPLY_ARRAY(r, 2)) {
            CHECK_REPLY_BULK(r->element[0], "v");
            CHECK_REPLY_INT(r->element[1], 1);
        }
        if (r) freeReplyObject(r);
    });
    QUICK({
        redisReply *r = CMD(m, "EXEC");
        if (CHECK_REPLY_ARRAY(r, 2)) {
            CHECK_REPLY_BULK(r->element[0], "v");
            CHECK_REPLY_STATUS(r->element[1], "PONG");
        }
        if (r) freeReplyObject(r);
    });
    QUICK(EXPECT_STATUS(o, "OK", "CLIENT PAUSE 100 WRITE"));
    /* The write still waits. */
    CHECK(!readable_within(w, 0));
    CHECK_EQ_INT(info_blocked_clients(o), 1);
    /* WAIT (no write, no may-replicate flag in 7.0) is served, also inside EXEC; sent
     * together, so that one held does not hide the other. */
    cmd_send_only(o, "WAIT 0 0");
    cmd_send_only(mw, "EXEC");
    if (!readable_within(o, SOON_MS))
        test_fail(__FILE__, __LINE__, "WAIT 0 0 held by a WRITE pause");
    if (!readable_within(mw, SOON_MS))
        test_fail(__FILE__, __LINE__, "EXEC [WAIT 0 0] held by a WRITE pause");
    EXPECT_STATUS(c, "OK", "CLIENT UNPAUSE");
    NEXT_INT(o, 0);
    NEXT_ONE(mw, CHECK_REPLY_INT, 0);
    /* CLIENT UNPAUSE released the write. */
    CHECK(readable_within(w, SOON_MS));
    NEXT_STATUS(w, "OK");
    EXPECT_BULK(o, "held", "GET k");
    redisFree(w);
    redisFree(m);
    redisFree(mw);
    redisFree(o);
    redisFree(c);
}

/* CLIENT UNPAUSE, from any client, ends a WRITE pause at once: the held write runs right
 * after. With no pause it just answers +OK. */
static void t_unpause_ends_write_pause(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    EXPECT_STATUS(o, "OK", "CLIENT UNPAUSE");
    long long t0 = now_ms();
    EXPECT_STATUS(c, "OK", "CLIENT PAUSE 10000 WRITE");
    redisContext *w = send_on_new("SET k v");
    WAIT_FOR(info_blocked_clients(o) == 1, 300);
    CHECK(!readable_within(w, 100)); /* held for a while */
    EXPECT_NIL(o, "GET k");
    EXPECT_STATUS(o, "OK", "CLIENT UNPAUSE");
    CHECK(readable_within(w, SOON_MS));
    NEXT_STATUS(w, "OK");
    CHECK(now_ms() - t0 < 5000);
    EXPECT_BULK(o, "v", "GET k");
    CHECK_EQ_INT(info_blocked_clients(o), 0);
    /* Writes are served at once again. */
    QUICK(EXPECT_STATUS(w, "OK", "SET k v2"));
    redisFree(w);
    redisFree(o);
    redisFree(c);
}

/* ---- CLIENT PAUSE ALL ------------------------------------------------------------------ */

/* ALL (the default, or named): every command of every client is held, reads, PING,
 * connection commands, the pausing client's own, and CLIENT UNPAUSE too (from the
 * pauser or another client): it cannot end an ALL pause early, it runs once the pause
 * is over. */
static void all_pause(const char *pause_cmd) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET k v");
    long long t0 = now_ms();
    EXPECT_STATUS(c, "OK", pause_cmd);
    redisContext *w[7];
    w[0] = send_on_new("PING");
    w[1] = send_on_new("GET k");
    w[2] = send_on_new("CLIENT ID");
    w[3] = send_on_new("SET k2 v");
    w[4] = send_on_new("CLIENT UNPAUSE");
    w[5] = send_on_new("ECHO e");
    cmd_send_only(c, "PING"), w[6] = c;
    EXPECT_SILENT_UNTIL(w, 7, t0 + 300 - SLACK_MS, pause_cmd, NULL);
    NEXT_STATUS(w[0], "PONG");
    NEXT_BULK(w[1], "v");
    {
        redisReply *r = cmd_next_reply(w[2]);
        CHECK(r && r->type == REDIS_REPLY_INTEGER);
        if (r) freeReplyObject(r);
    }
    NEXT_STATUS(w[3], "OK");
    NEXT_STATUS(w[4], "OK");
    NEXT_BULK(w[5], "e");
    NEXT_STATUS(c, "PONG");
    CHECK_RANGE(now_ms() - t0, 300 - SLACK_MS, 300 + LATE_MS);
    /* The pauser's own CLIENT UNPAUSE waits as well. */
    t0 = now_ms();
    EXPECT_STATUS(c, "OK", pause_cmd);
    cmd_send_only(c, "CLIENT UNPAUSE");
    EXPECT_SILENT_UNTIL(&c, 1, t0 + 300 - SLACK_MS, pause_cmd, NULL);
    NEXT_STATUS(c, "OK");
    QUICK(EXPECT_STATUS(c, "PONG", "PING"));
    for (int i = 0; i < 6; i++) redisFree(w[i]);
    redisFree(c);
}
static void t_all_pause_default(void) { all_pause("CLIENT PAUSE 300"); }
static void t_all_pause_named(void) { all_pause("CLIENT PAUSE 300 ALL"); }

/* ---- order and overlapping pauses -------------------------------------------------------- */

/* A client's pipelined commands keep their order: a read behind a held write waits for
 * it; reads before the first write are served at once. */
static void t_pipeline_order(void) {
    redisContext *c = fresh(), *w = srv_connect(S);
    long long t0 = now_ms();
    EXPECT_STATUS(c, "OK", "CLIENT PAUSE 600 WRITE");
    send_pipeline(w, (const char *[]){"SET a 1", "GET a", "SET a 2", "GET a"}, 4);
    WAIT_FOR(info_blocked_clients(c) == 1, 300); /* short: the GET must fall in the pause */
    EXPECT_NIL(c, "GET a");
    EXPECT_SILENT_UNTIL(&w, 1, t0 + 600 - SLACK_MS, "pipeline SET GET SET GET", NULL);
    NEXT_STATUS(w, "OK");
    NEXT_BULK(w, "1");
    NEXT_STATUS(w, "OK");
    NEXT_BULK(w, "2");
    CHECK_RANGE(now_ms() - t0, 600 - SLACK_MS, 600 + LATE_MS);

    t0 = now_ms();
    EXPECT_STATUS(c, "OK", "CLIENT PAUSE 300 WRITE");
    send_pipeline(w, (const char *[]){"GET a", "PING", "SET a 3", "GET a", "PING"}, 5);
    CHECK(readable_within(w, SOON_MS));
    NEXT_BULK(w, "2");
    NEXT_STATUS(w, "PONG");
    /* hiredis may have read both replies in one go; nothing more is buffered. */
    EXPECT_SILENT_UNTIL(&w, 1, t0 + 300 - SLACK_MS, "pipeline GET PING SET GET PING", NULL);
    NEXT_STATUS(w, "OK");
    NEXT_BULK(w, "3");
    NEXT_STATUS(w, "PONG");
    CHECK_RANGE(now_ms() - t0, 300 - SLACK_MS, 300 + LATE_MS);
    redisFree(w);
    redisFree(c);
}

/* A second CLIENT PAUSE never shortens the pause: the later end wins, and the stricter
 * mode (ALL over WRITE) for the whole time. Once a pause is over, a new one starts
 * afresh (a WRITE pause after an ALL one holds only writes). */
static void t_pause_overlap(void) {
    redisContext *c = fresh(), *w;
    long long t0 = now_ms();
    EXPECT_STATUS(c, "OK", "CLIENT PAUSE 400 WRITE");
    QUICK(EXPECT_STATUS(c, "OK", "CLIENT PAUSE 100 WRITE"));
    w = send_on_new("SET k v");
    EXPECT_SILENT_UNTIL(&w, 1, t0 + 400 - SLACK_MS, "WRITE 400 then WRITE 100", NULL);
    NEXT_STATUS(w, "OK");
    CHECK_RANGE(now_ms() - t0, 400 - SLACK_MS, 400 + LATE_MS);
    redisFree(w);

    t0 = now_ms();
    EXPECT_STATUS(c, "OK", "CLIENT PAUSE 400 WRITE");
    QUICK(EXPECT_STATUS(c, "OK", "CLIENT PAUSE 100 ALL"));
    w = send_on_new("PING");
    EXPECT_SILENT_UNTIL(&w, 1, t0 + 400 - SLACK_MS, "WRITE 400 then ALL 100", NULL);
    NEXT_STATUS(w, "PONG");
    CHECK_RANGE(now_ms() - t0, 400 - SLACK_MS, 400 + LATE_MS);

    /* ALL 100, then WRITE 300 (held by the ALL pause, so it starts after it). */
    t0 = now_ms();
    EXPECT_STATUS(c, "OK", "CLIENT PAUSE 100 ALL");
    cmd_send_only(c, "CLIENT PAUSE 300 WRITE");
    EXPECT_SILENT_UNTIL(&c, 1, t0 + 100 - SLACK_MS, "ALL 100", NULL);
    NEXT_STATUS(c, "OK");
    QUICK(EXPECT_STATUS(w, "PONG", "PING"));
    redisContext *w2 = send_on_new("SET k v2");
    EXPECT_SILENT_UNTIL(&w2, 1, t0 + 400 - SLACK_MS, "ALL 100 then WRITE 300", NULL);
    NEXT_STATUS(w2, "OK");
    redisFree(w2);
    redisFree(w);
    redisFree(c);
}

/* ---- expiry ------------------------------------------------------------------------------ */

/* While paused, a key past its TTL is reported missing (GET, EXISTS, TTL, TYPE, KEYS, SCAN)
 * but not deleted: DBSIZE and INFO keyspace still count it, also after active-expiry
 * cycles. Once the pause ends, active expiry removes it. */
static void t_no_expiry_while_paused(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET e v PX 100");
    EXPECT_STATUS(c, "OK", "SET p v");
    EXPECT_STATUS(c, "OK", "CLIENT PAUSE 5000 WRITE");
    WAIT_FOR(CMD_INT(c, "EXISTS e") == 0, 2000);
    EXPECT_NIL(c, "GET e");
    EXPECT_INT(c, -2, "TTL e");
    EXPECT_INT(c, -2, "PTTL e");
    EXPECT_STATUS(c, "none", "TYPE e");
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL, "v"}), 2, "MGET e p");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"p"}), 1, "KEYS *");
    CHECK_SCAN(c, "COUNT 100", "p");
    EXPECT_INT(c, 2, "DBSIZE");
    char *ks = info_field(c, "keyspace", "db0");
    CHECK(ks && info_subfield(ks, "keys") == 2 && info_subfield(ks, "expires") == 1);
    free(ks);
    /* Still counted for 250 ms: active expiry (10 cycles a second) leaves it too. */
    long long until = now_ms() + 250;
    while (now_ms() < until) {
        long long n = CMD_INT(c, "DBSIZE");
        if (n != 2) {
            test_fail(__FILE__, __LINE__, "DBSIZE %lld during the pause, expected 2", n);
            break;
        }
        sleep_ms(10);
    }
    EXPECT_STATUS(c, "OK", "CLIENT UNPAUSE");
    /* Removed by active expiry, without touching it. */
    WAIT_FOR(CMD_INT(c, "DBSIZE") == 1, 3000);
    ks = info_field(c, "keyspace", "db0");
    CHECK(ks && info_subfield(ks, "keys") == 1 && info_subfield(ks, "expires") == 0);
    free(ks);
    EXPECT_ARRAY_STRS(c, ((const char *[]){"p"}), 1, "KEYS *");
    redisFree(c);
}

/* ---- errors ------------------------------------------------------------------------------ */

static void t_pause_errors(void) {
    redisContext *c = fresh();
    EXPECT_ERR(c, "ERR timeout is not an integer or out of range", "CLIENT PAUSE abc");
    EXPECT_ERR(c, "ERR timeout is not an integer or out of range", "CLIENT PAUSE 1.5");
    EXPECT_ERR(c, "ERR timeout is not an integer or out of range",
               "CLIENT PAUSE 99999999999999999999");
    EXPECT_ERR(c, "ERR timeout is negative", "CLIENT PAUSE -1");
    EXPECT_ERR(c, "ERR CLIENT PAUSE mode must be WRITE or ALL", "CLIENT PAUSE 10 FOO");
    /* The mode is checked before the timeout. */
    EXPECT_ERR(c, "ERR CLIENT PAUSE mode must be WRITE or ALL", "CLIENT PAUSE abc FOO");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'client|pause' command", "CLIENT PAUSE");
    EXPECT_ERR(c,
               "ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP.",
               "CLIENT PAUSE 10 WRITE x");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'client|unpause' command", "CLIENT UNPAUSE x");
    /* None of them paused anything. */
    redisContext *o = srv_connect(S);
    QUICK(EXPECT_STATUS(o, "OK", "SET k v"));
    QUICK(EXPECT_STATUS(o, "PONG", "PING"));
    /* A zero pause and a lower-case mode are accepted. */
    EXPECT_STATUS(c, "OK", "CLIENT PAUSE 0");
    EXPECT_STATUS(c, "PONG", "PING");
    EXPECT_STATUS(c, "OK", "CLIENT PAUSE 10 write");
    EXPECT_STATUS(c, "OK", "CLIENT UNPAUSE");
    QUICK(EXPECT_STATUS(o, "OK", "SET k v"));
    redisFree(o);
    redisFree(c);
}

/* ---- WAIT (no replicas) ---------------------------------------------------------------- */

static void t_wait(void) {
    redisContext *c = fresh();
    QUICK(EXPECT_INT(c, 0, "WAIT 0 0"));
    QUICK(EXPECT_INT(c, 0, "WAIT 0 5000")); /* 0 replicas wanted: at once */
    QUICK(EXPECT_INT(c, 0, "WAIT -1 0"));
    EXPECT_STATUS(c, "OK", "SET k v");
    QUICK(EXPECT_INT(c, 0, "WAIT 0 0"));
    long long t0 = now_ms();
    EXPECT_INT(c, 0, "WAIT 1 200");
    CHECK_RANGE(now_ms() - t0, 190, 200 + LATE_MS);
    CHECK_EQ_INT(info_blocked_clients(c), 0);
    /* Inside MULTI WAIT never blocks: EXEC answers the acknowledged count at once. */
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "WAIT 1 0");
    EXPECT_STATUS(c, "QUEUED", "WAIT 5 1000");
    QUICK({
        redisReply *r = CMD(c, "EXEC");
        if (CHECK_REPLY_ARRAY(r, 2)) {
            CHECK_REPLY_INT(r->element[0], 0);
            CHECK_REPLY_INT(r->element[1], 0);
        }
        if (r) freeReplyObject(r);
    });
    redisFree(c);
}

/* WAIT 1 0 waits for ever (counted in blocked_clients, the client's next commands wait
 * behind it) until CLIENT UNBLOCK: TIMEOUT (the default) answers the count, 0; ERROR
 * answers -UNBLOCKED. A waiting client that disconnects leaves nothing behind. */
static void t_wait_unblock(void) {
    redisContext *c = fresh(), *w = srv_connect(S);
    long long id = CMD_INT(w, "CLIENT ID");
    send_pipeline(w, (const char *[]){"WAIT 1 0", "PING"}, 2);
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    CHECK(!readable_within(w, 100));
    CHECK_EQ_INT(info_blocked_clients(c), 1);
    EXPECT_INT(c, 1, "CLIENT UNBLOCK %lld", id);
    NEXT_INT(w, 0);
    NEXT_STATUS(w, "PONG");
    CHECK_EQ_INT(info_blocked_clients(c), 0);
    EXPECT_INT(c, 0, "CLIENT UNBLOCK %lld", id);

    cmd_send_only(w, "WAIT 2 0");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    EXPECT_INT(c, 1, "CLIENT UNBLOCK %lld TIMEOUT", id);
    NEXT_INT(w, 0);

    cmd_send_only(w, "WAIT 1 0");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    EXPECT_INT(c, 1, "CLIENT UNBLOCK %lld ERROR", id);
    NEXT_ERR(w, "UNBLOCKED client unblocked via CLIENT UNBLOCK");
    CHECK_EQ_INT(info_blocked_clients(c), 0);

    long long before = connected_clients(c);
    cmd_send_only(w, "WAIT 1 0");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    redisFree(w);
    WAIT_FOR(info_blocked_clients(c) == 0 && connected_clients(c) == before - 1, 2000);
    QUICK(EXPECT_INT(c, 0, "WAIT 0 0"));
    redisFree(c);
}

static void t_wait_errors(void) {
    redisContext *c = fresh();
    EXPECT_ERR(c, "ERR wrong number of arguments for 'wait' command", "WAIT");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'wait' command", "WAIT 0");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'wait' command", "WAIT 0 0 0");
    EXPECT_ERR(c, "ERR value is not an integer or out of range", "WAIT abc 0");
    EXPECT_ERR(c, "ERR value is not an integer or out of range", "WAIT 1.5 0");
    /* numreplicas is parsed first. */
    EXPECT_ERR(c, "ERR value is not an integer or out of range", "WAIT abc -1");
    EXPECT_ERR(c, "ERR timeout is not an integer or out of range", "WAIT 0 abc");
    EXPECT_ERR(c, "ERR timeout is not an integer or out of range", "WAIT 0 1.5");
    EXPECT_ERR(c, "ERR timeout is negative", "WAIT 0 -1");
    CHECK_EQ_INT(info_blocked_clients(c), 0);
    redisFree(c);
}

/* ---- held clients that go away ------------------------------------------------------------ */

/* A client held by a pause (CLIENT LIST flags=b) that disconnects is gone at once: its
 * held commands never run, and the pause's end finds nothing to resume. */
static void t_held_client_disconnects(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    long long base = connected_clients(o);
    EXPECT_STATUS(c, "OK", "CLIENT PAUSE 5000 WRITE");
    redisContext *x = srv_connect(S);
    send_pipeline(x, (const char *[]){"SET gone 1", "INCR gone", "GET gone"}, 3);
    WAIT_FOR(info_blocked_clients(o) == 1, 300);
    char *line = x ? client_list_line(o, conn_local_port(x->fd)) : NULL;
    if (!line || !strstr(line, " flags=b "))
        test_fail(__FILE__, __LINE__, "held client not flags=b in CLIENT LIST: %s",
                  line ? line : "(absent)");
    free(line);
    redisFree(x);
    WAIT_FOR(info_blocked_clients(o) == 0 && connected_clients(o) == base, 2000);
    EXPECT_STATUS(o, "OK", "CLIENT UNPAUSE");
    QUICK(EXPECT_STATUS(o, "PONG", "PING"));
    EXPECT_NIL(o, "GET gone");
    EXPECT_INT(o, 0, "DBSIZE");

    /* The same under ALL (nothing can be asked meanwhile: give the held command a moment
     * to arrive before closing). */
    long long t0 = now_ms();
    EXPECT_STATUS(c, "OK", "CLIENT PAUSE 200");
    redisContext *y = send_on_new("SET gone 2");
    sleep_ms(50);
    redisFree(y);
    cmd_send_only(o, "PING");
    EXPECT_SILENT_UNTIL(&o, 1, t0 + 200 - SLACK_MS, "ALL 200", NULL);
    NEXT_STATUS(o, "PONG");
    EXPECT_NIL(o, "GET gone");
    CHECK_EQ_INT(info_blocked_clients(o), 0);
    WAIT_FOR(connected_clients(o) == base, 2000);
    QUICK(EXPECT_STATUS(c, "OK", "SET after 1"));
    redisFree(o);
    redisFree(c);
}

static void t_start(void) { S = srv_start(NULL); }
static void t_stop(void) {
    CHECK(srv_stop(S));
    S = NULL;
}

int main(void) {
    test_run("start server", t_start);
    if (!S) return test_summary("pause");
    test_run("WRITE pause holds writes, EXEC with a write, queued writes",
             t_write_pause_holds_writes);
    test_run("WRITE pause serves reads and read-only transactions", t_write_pause_serves_reads);
    test_run("CLIENT UNPAUSE ends a WRITE pause early", t_unpause_ends_write_pause);
    test_run("ALL pause (default) holds everything, CLIENT UNPAUSE too", t_all_pause_default);
    test_run("ALL pause (named) holds everything, CLIENT UNPAUSE too", t_all_pause_named);
    test_run("held pipeline keeps its order", t_pipeline_order);
    test_run("overlapping pauses: later end and stricter mode win", t_pause_overlap);
    test_run("keys do not expire while paused", t_no_expiry_while_paused);
    test_run("CLIENT PAUSE / UNPAUSE errors", t_pause_errors);
    test_run("WAIT without replicas: timeouts, MULTI", t_wait);
    test_run("WAIT 1 0 until CLIENT UNBLOCK, disconnect", t_wait_unblock);
    test_run("WAIT errors", t_wait_errors);
    test_run("held client that disconnects leaves nothing", t_held_client_disconnects);
    test_run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("pause");
}
