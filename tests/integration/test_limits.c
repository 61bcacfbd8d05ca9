/* tests/integration/test_limits.c: the server's limits and listeners, and how
 * promptly keys expire when many carry a TTL.
 *
 * Each test starts its own server with the directive under test. The checks
 * are Redis's documented behaviour (timeout, maxclients, client-query-buffer-limit,
 * client-output-buffer-limit, unixsocket), except "prompt expiry", which is
 * where Cairn goes beyond Redis: Redis samples keys with a TTL at random, so
 * one due key among hundreds of thousands may linger for minutes; Cairn keeps
 * a deadline-ordered index and removes it within a second. */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/harness.h"

static long long dbsize(redisContext *c) {
    redisReply *r = c ? redisCommand(c, "DBSIZE") : NULL;
    long long n = r && r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
    if (r) freeReplyObject(r);
    return n;
}

static long long connected_clients(redisContext *c) {
    return info_int(c, "clients", "connected_clients");
}

static bool log_has(const srv *s, const char *text) {
    char *log = srv_log_text(s);
    bool found = strstr(log, text) != NULL;
    free(log);
    return found;
}

static void t_unixsocket(void) {
    srv *s = srv_start((const char *const[]){"--unixsocket", "cairn.sock", "--unixsocketperm", "700", NULL});
    if (!s) return;
    char path[4096];
    snprintf(path, sizeof(path), "%s/cairn.sock", srv_dir(s));
    redisContext *u = redisConnectUnix(path);
    if (!u || u->err) {
        test_fail(__FILE__, __LINE__, "cannot connect to %s: %s", path, u ? u->errstr : "?");
    } else {
        EXPECT_STATUS(u, "OK", "SET viaunix 1");
        redisContext *t = srv_connect(s);
        EXPECT_BULK(t, "1", "GET viaunix"); /* the same keyspace over TCP */
        char *list = CMD_STR(t, "CLIENT LIST");
        CHECK(list && strstr(list, "cairn.sock:0"));
        free(list);
        redisFree(t);
    }
    if (u) redisFree(u);
    srv_stop(s);
    CHECK(access(path, F_OK) != 0); /* removed at shutdown */
}

static void t_timeout(void) {
    srv *s = srv_start((const char *const[]){"--timeout", "1", NULL});
    if (!s) return;
    redisContext *busy = srv_connect(s);
    int idle = raw_connect(s);
    raw_send_str(idle, "PING\r\n");
    raw_expect_str(idle, "+PONG\r\n");
    /* The idle one is closed after about a second; the busy one stays. */
    long long t0 = now_ms();
    while (now_ms() - t0 < 1600) {
        EXPECT_STATUS(busy, "PONG", "PING");
        sleep_ms(100);
    }
    raw_expect_closed(idle);
    EXPECT_STATUS(busy, "PONG", "PING");
    close(idle);
    redisFree(busy);
    srv_stop(s);
}

static void t_maxclients(void) {
    srv *s = srv_start((const char *const[]){"--maxclients", "3", NULL});
    if (!s) return;
    redisContext *a = srv_connect(s), *b = srv_connect(s), *c = srv_connect(s);
    int extra = raw_connect(s);
    raw_expect_str(extra, "-ERR max number of clients reached\r\n");
    raw_expect_closed(extra);
    close(extra);
    CHECK_EQ_INT(connected_clients(a), 3);
    /* A slot freed is a slot taken again. */
    redisFree(c);
    WAIT_FOR(connected_clients(a) == 2, 2000);
    redisContext *d = srv_connect(s);
    EXPECT_STATUS(d, "PONG", "PING");
    redisFree(a), redisFree(b), redisFree(d);
    srv_stop(s);
}

static void t_query_buffer_limit(void) {
    srv *s = srv_start((const char *const[]){"--client-query-buffer-limit", "1mb", NULL});
    if (!s) return;
    redisContext *other = srv_connect(s);
    int fd = raw_connect(s);
    /* A 4 MB bulk declared (under proto-max-bulk-len) but the query buffer may hold 1 MB. */
    raw_send_str(fd, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4000000\r\n");
    char *chunk = malloc(64 * 1024);
    memset(chunk, 'x', 64 * 1024);
    for (int i = 0; i < 40; i++)
        if (send(fd, chunk, 64 * 1024, MSG_NOSIGNAL) < 0) break; /* closed under us: expected */
    free(chunk);
    raw_expect_closed(fd);
    close(fd);
    EXPECT_NIL(other, "GET k");
    CHECK(log_has(s, "Closing client that reached max query buffer length"));
    redisFree(other);
    srv_stop(s);
}

/* SET big to 1 MB of 'v': what the output limit tests ask for again and again. */
static void set_big(redisContext *c) {
    char *big = malloc(1024 * 1024);
    memset(big, 'v', 1024 * 1024);
    redisReply *r = redisCommand(c, "SET big %b", big, (size_t)(1024 * 1024));
    CHECK_REPLY_STATUS(r, "OK");
    if (r) freeReplyObject(r);
    free(big);
}

static void t_output_buffer_limit(void) {
    srv *s = srv_start((const char *const[]){"--client-output-buffer-limit", "normal 1mb 0 0", NULL});
    if (!s) return;
    redisContext *c = srv_connect(s);
    set_big(c);
    /* 64 pipelined GETs of 1 MB that are never read: far past a 1 MB hard limit. */
    int fd = raw_connect(s);
    char req[64 * 32];
    size_t n = 0;
    for (int i = 0; i < 64; i++) n += (size_t)snprintf(req + n, sizeof(req) - n, "GET big\r\n");
    raw_send(fd, req, n);
    WAIT_FOR(log_has(s, "scheduled to be closed ASAP for overcoming of output buffer limits"), 3000);
    WAIT_FOR(connected_clients(c) == 1, 3000);
    close(fd);
    EXPECT_STATUS(c, "PONG", "PING");
    redisFree(c);
    srv_stop(s);
}

/* An idle client gives its reply and query buffers back (CLIENT LIST rbs=0,
 * qbuf-free=0), so thousands of idle connections cost little. */
static bool idle_buffers_released(redisContext *observer, int port) {
    redisReply *r = redisCommand(observer, "CLIENT LIST");
    bool released = false;
    if (r && r->type == REDIS_REPLY_STRING) {
        char needle[64];
        snprintf(needle, sizeof(needle), ":%d ", port);
        const char *line = strstr(r->str, needle);
        const char *end = line ? strchr(line, '\n') : NULL;
        if (line && end) {
            char *l = strndup(line, (size_t)(end - line));
            released = strstr(l, " qbuf-free=0 ") && strstr(l, " rbs=0 ");
            free(l);
        }
    }
    if (r) freeReplyObject(r);
    return released;
}

static void t_idle_buffers(void) {
    srv *s = srv_start(NULL);
    if (!s) return;
    redisContext *idle = srv_connect(s), *observer = srv_connect(s);
    EXPECT_STATUS(idle, "OK", "SET k v");
    int port = conn_local_port(idle->fd);
    WAIT_FOR(idle_buffers_released(observer, port), 5000);
    EXPECT_BULK(idle, "v", "GET k"); /* and they come back on demand */
    redisFree(idle), redisFree(observer);
    srv_stop(s);
}

/* The soft limit: pending output above it for longer than its seconds closes the
 * client (and says so in the log); a burst that drains in time does not. */
static void t_output_soft_limit(void) {
    srv *s = srv_start((const char *const[]){"--client-output-buffer-limit", "normal 0 256kb 1", NULL});
    if (!s) return;
    redisContext *c = srv_connect(s);
    set_big(c);
    /* A reader that keeps up stays, whatever the reply sizes. */
    for (int i = 0; i < 8; i++) {
        redisReply *r = redisCommand(c, "GET big");
        CHECK(r && r->type == REDIS_REPLY_STRING && r->len == 1024 * 1024);
        freeReplyObject(r);
    }
    /* 32 MB asked for and never read: far more than the socket holds, so the rest
     * waits above 256 KB in the server, and after a second the client goes. Cairn
     * checks the soft limit from its cron too; Redis 7.0.15 only when more output
     * is added, and in this test it never closed the client, even with a PING sent
     * every 50 ms, so this part is Cairn's only. */
    if (!srv_is_cairn(s)) {
        redisFree(c);
        srv_stop(s);
        return;
    }
    int fd = raw_connect(s);
    char req[32 * 16];
    size_t n = 0;
    for (int i = 0; i < 32; i++) n += (size_t)snprintf(req + n, sizeof(req) - n, "GET big\r\n");
    long long t0 = now_ms();
    raw_send(fd, req, n);
    WAIT_FOR(log_has(s, "scheduled to be closed ASAP for overcoming of output buffer limits"), 5000);
    long long took = now_ms() - t0;
    CHECK(took >= 1000);
    WAIT_FOR(connected_clients(c) == 1, 3000);
    close(fd);
    EXPECT_STATUS(c, "PONG", "PING");
    redisFree(c);
    srv_stop(s);
}

/* 10,000 connections that each sent one command and went idle: all held, and each
 * costs little memory once idle (its buffers go back): Cairn about 800 bytes,
 * Redis 7.0.15 about 2,300. */
static void t_ten_thousand_idle(void) {
    enum { N = 10000 };
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < N + 100) {
        rl.rlim_cur = rl.rlim_max >= N + 100 ? (rlim_t)(N + 100) : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur < N + 100) {
        printf("    skipped: the open-files limit (%llu) is below %d\n", (unsigned long long)rl.rlim_cur, N + 100);
        return;
    }
    srv *s = srv_start((const char *const[]){"--maxclients", "10100", NULL});
    if (!s) return;
    redisContext *c = srv_connect(s);
    long long before = info_int(c, "memory", "used_memory");
    static int fds[N];
    int opened = 0;
    for (; opened < N; opened++) {
        fds[opened] = raw_connect(s);
        if (fds[opened] < 0) break;
        raw_send_str(fds[opened], "PING\r\n");
    }
    CHECK_EQ_INT(opened, N);
    int ok = 0;
    for (int i = 0; i < opened; i++) ok += raw_expect_str(fds[i], "+PONG\r\n");
    CHECK_EQ_INT(ok, N);
    CHECK(connected_clients(c) >= N + 1);
    long long busy = info_int(c, "memory", "used_memory");
    /* Idle clients give their buffers back within a few seconds. */
    long long idle = busy;
    WAIT_FOR((idle = info_int(c, "memory", "used_memory")) < before + (long long)N * 4096, 10000);
    printf("    10,000 connections: %.0f bytes each after one command, %.0f bytes each idle\n",
           (double)(busy - before) / N, (double)(idle - before) / N);
    /* Still serving, and every one of them too. */
    raw_send_str(fds[N - 1], "PING\r\n");
    raw_expect_str(fds[N - 1], "+PONG\r\n");
    for (int i = 0; i < opened; i++) close(fds[i]);
    WAIT_FOR(connected_clients(c) == 1, 10000);
    redisFree(c);
    srv_stop(s);
}

/* A reply whose length is known only at its end (KEYS) passing the limit while
 * it is being built: the client goes, the server stays. */
static void t_output_limit_mid_reply(void) {
    srv *s = srv_start((const char *const[]){"--client-output-buffer-limit", "normal 1mb 0 0", NULL});
    if (!s) return;
    redisContext *c = srv_connect(s);
    for (int i = 0; i < 100000; i++) redisAppendCommand(c, "SET key:with:a:longish:name:%d v", i);
    for (int i = 0; i < 100000; i++) {
        redisReply *r;
        if (redisGetReply(c, (void **)&r) != REDIS_OK) break;
        freeReplyObject(r);
    }
    int fd = raw_connect(s);
    raw_send_str(fd, "KEYS *\r\nPING\r\n");
    WAIT_FOR(log_has(s, "scheduled to be closed ASAP for overcoming of output buffer limits"), 3000);
    close(fd);
    EXPECT_INT(c, 100000, "DBSIZE");
    redisFree(c);
    srv_stop(s);
}

static void t_prompt_expiry(void) {
    srv *s = srv_start(NULL);
    if (!s) return;
    redisContext *c = srv_connect(s);
    const int many = 300000;
    for (int i = 0; i < many; i++) redisAppendCommand(c, "SET long:%d v EX 100000", i);
    for (int i = 0; i < many; i++) {
        redisReply *r;
        if (redisGetReply(c, (void **)&r) != REDIS_OK) break;
        freeReplyObject(r);
    }
    CHECK_EQ_INT(dbsize(c), many);
    long long t0 = now_ms();
    EXPECT_STATUS(c, "OK", "SET short v PX 200");
    /* Never accessed: only active expiry can remove it, within a second of its deadline. */
    bool gone = WAIT_FOR(dbsize(c) == many, 200 + 1000);
    if (gone) fprintf(stderr, "    due key removed %lld ms after SET (deadline 200 ms)\n", now_ms() - t0);
    CHECK_EQ_INT(info_int(c, "stats", "expired_keys"), 1);
    redisFree(c);
    srv_stop(s);
}

int main(void) {
    test_run("unixsocket", t_unixsocket);
    test_run("timeout closes idle clients", t_timeout);
    test_run("maxclients", t_maxclients);
    test_run("client-query-buffer-limit", t_query_buffer_limit);
    test_run("client-output-buffer-limit normal", t_output_buffer_limit);
    test_run("output limit passed while a reply is built", t_output_limit_mid_reply);
    test_run("client-output-buffer-limit normal soft limit", t_output_soft_limit);
    test_run("10,000 idle connections", t_ten_thousand_idle);
    test_run("idle clients give their buffers back", t_idle_buffers);
    test_run("prompt expiry among 300k keys with a TTL", t_prompt_expiry);
    return test_summary("limits");
}
