/* tests/integration/test_blocking.c: BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP and
 * CLIENT UNBLOCK: serving order, timeouts, disconnects, pushes from other
 * commands, pipelined commands after a blocked one. Expectations as Redis
 * 7.0.15 documents and answers them. */
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness.h"

static srv *S;

static redisContext *fresh(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    return c;
}

static void expect_pair(redisContext *c, const char *key, const char *val) {
    redisReply *r = cmd_next_reply(c);
    if (CHECK_REPLY_ARRAY(r, 2)) {
        CHECK_REPLY_BULK(r->element[0], key);
        CHECK_REPLY_BULK(r->element[1], val);
    }
    if (r) freeReplyObject(r);
}

static void t_immediate(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 3, "RPUSH q a b c");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"q", "a"}), 2, "BLPOP nothing q 1");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"q", "c"}), 2, "BRPOP q 1");
    EXPECT_BULK(c, "b", "BRPOPLPUSH q dst 1");
    EXPECT_BULK(c, "b", "BLMOVE dst dst LEFT RIGHT 1");
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_ERR(c, "WRONGTYPE Operation against a key holding the wrong kind of value", "BLPOP s 1");
    EXPECT_ERR(c, "ERR timeout is negative", "BLPOP q -1");
    EXPECT_ERR(c, "ERR timeout is not a float or out of range", "BLPOP q abc");
    EXPECT_ERR(c, "ERR numkeys should be greater than 0", "BLMPOP 1 0 q LEFT");
    redisFree(c);
}

static void t_arrival_order(void) {
    redisContext *c = fresh();
    redisContext *w[3];
    for (int i = 0; i < 3; i++) {
        w[i] = srv_connect(S);
        cmd_send_only(w[i], "BLPOP q 5");
        WAIT_FOR(info_blocked_clients(c) == i + 1, 2000);
    }
    /* Two elements for three waiters: the first two, in the order they came. */
    EXPECT_INT(c, 2, "RPUSH q one two");
    expect_pair(w[0], "q", "one");
    expect_pair(w[1], "q", "two");
    CHECK_EQ_INT(info_blocked_clients(c), 1);
    EXPECT_INT(c, 0, "EXISTS q");
    EXPECT_INT(c, 1, "LPUSH q three");
    expect_pair(w[2], "q", "three");
    CHECK_EQ_INT(info_blocked_clients(c), 0);
    for (int i = 0; i < 3; i++) redisFree(w[i]);
    redisFree(c);
}

static void t_several_keys(void) {
    redisContext *c = fresh(), *w = srv_connect(S);
    cmd_send_only(w, "BRPOP a b 5");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    EXPECT_INT(c, 2, "RPUSH b x y");
    expect_pair(w, "b", "y");
    EXPECT_INT(c, 1, "LLEN b");
    redisFree(w);
    redisFree(c);
}

static void t_timeout(void) {
    redisContext *c = fresh();
    long long t0 = now_ms();
    redisReply *r = CMD(c, "BLPOP q 0.2");
    long long took = now_ms() - t0;
    CHECK(r && r->type == REDIS_REPLY_NIL);
    if (r) freeReplyObject(r);
    CHECK_RANGE(took, 190, 1500);
    /* The null array, as raw bytes (RESP3: t_resp3_timeout). */
    int fd = raw_connect(S);
    raw_send_str(fd, "BLMPOP 0.05 1 q LEFT\r\n");
    raw_expect_str(fd, "*-1\r\n");
    close(fd);
    CHECK_EQ_INT(info_blocked_clients(c), 0);
    /* Timeout 0 waits for ever: still there after a while. */
    redisContext *w = srv_connect(S);
    cmd_send_only(w, "BLPOP forever 0");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    sleep_ms(300);
    CHECK_EQ_INT(info_blocked_clients(c), 1);
    EXPECT_INT(c, 1, "RPUSH forever v");
    expect_pair(w, "forever", "v");
    redisFree(w);
    redisFree(c);
}

static void t_resp3_timeout(void) {
    int fd = raw_connect(S);
    raw_send_str(fd, "HELLO 3\r\n");
    /* Read and discard the HELLO map: ask PING afterwards and find PONG. */
    raw_send_str(fd, "BLPOP q 0.05\r\nPING\r\n");
    char buf[4096];
    size_t got = 0;
    long long deadline = now_ms() + 3000;
    while (now_ms() < deadline && got < sizeof(buf) - 1) {
        ssize_t n = read(fd, buf + got, sizeof(buf) - 1 - got);
        if (n <= 0) break;
        got += (size_t)n;
        buf[got] = '\0';
        if (strstr(buf, "+PONG\r\n")) break;
    }
    const char *tail = strstr(buf, "_\r\n+PONG\r\n");
    CHECK(tail != NULL); /* the RESP3 null, then the pipelined PING's reply */
    close(fd);
}

static void t_disconnect(void) {
    redisContext *c = fresh(), *w = srv_connect(S);
    cmd_send_only(w, "BLPOP q 5");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    redisFree(w);
    WAIT_FOR(info_blocked_clients(c) == 0, 2000);
    /* Nobody takes what is pushed now. */
    EXPECT_INT(c, 1, "RPUSH q v");
    sleep_ms(50);
    EXPECT_INT(c, 1, "LLEN q");
    redisFree(c);
}

static void t_client_unblock(void) {
    redisContext *c = fresh(), *w = srv_connect(S);
    long long id = CMD_INT(w, "CLIENT ID");
    EXPECT_INT(c, 0, "CLIENT UNBLOCK %lld", id); /* not blocked */
    cmd_send_only(w, "BLPOP q 0");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    EXPECT_INT(c, 1, "CLIENT UNBLOCK %lld", id);
    redisReply *r = cmd_next_reply(w);
    CHECK(r && r->type == REDIS_REPLY_NIL);
    if (r) freeReplyObject(r);
    cmd_send_only(w, "BRPOP q 0");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    EXPECT_INT(c, 1, "CLIENT UNBLOCK %lld ERROR", id);
    r = cmd_next_reply(w);
    CHECK_REPLY_ERR(r, "UNBLOCKED client unblocked via CLIENT UNBLOCK");
    if (r) freeReplyObject(r);
    EXPECT_ERR(c, "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR", "CLIENT UNBLOCK %lld FOO", id);
    EXPECT_INT(c, 0, "CLIENT UNBLOCK 999999");
    redisFree(w);
    redisFree(c);
}

/* A blocked command is one call in INFO commandstats, counted when it first runs,
 * however often it is re-run; an UNBLOCK error makes it a failed call; the served
 * ones go to the slow log once. */
static void t_commandstats(void) {
    redisContext *c = fresh(), *w1 = srv_connect(S), *w2 = srv_connect(S);
    EXPECT_STATUS(c, "OK", "CONFIG SET slowlog-log-slower-than 0");
    EXPECT_STATUS(c, "OK", "CONFIG RESETSTAT");
    EXPECT_STATUS(c, "OK", "SLOWLOG RESET");
    cmd_send_only(w1, "BLPOP q 0");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    cmd_send_only(w2, "BLPOP q 0");
    WAIT_FOR(info_blocked_clients(c) == 2, 2000);
    CHECK_CMDSTAT(c, "blpop", 2, 0, 0);
    /* One element: w1 is served, w2 (re-run in Cairn) finds nothing and waits on. */
    EXPECT_INT(c, 1, "RPUSH q one");
    expect_pair(w1, "q", "one");
    CHECK_EQ_INT(info_blocked_clients(c), 1);
    EXPECT_INT(c, 1, "RPUSH q two");
    expect_pair(w2, "q", "two");
    CHECK_CMDSTAT(c, "blpop", 2, 0, 0);
    /* Timed out, and unblocked with an error (a failed call). */
    EXPECT_NIL(w1, "BLPOP q 0.05"); /* hiredis 0.14 reads *-1 as nil */
    CHECK_CMDSTAT(c, "blpop", 3, 0, 0);
    long long id = CMD_INT(w2, "CLIENT ID");
    cmd_send_only(w2, "BLPOP q 0");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    EXPECT_INT(c, 1, "CLIENT UNBLOCK %lld ERROR", id);
    redisReply *r = cmd_next_reply(w2);
    CHECK_REPLY_ERR(r, "UNBLOCKED client unblocked via CLIENT UNBLOCK");
    if (r) freeReplyObject(r);
    CHECK_CMDSTAT(c, "blpop", 4, 0, 1);
    /* WAIT with no replica waits out its timeout: one call too. */
    EXPECT_INT(w1, 0, "WAIT 1 50");
    CHECK_CMDSTAT(c, "wait", 1, 0, 0);
    r = CMD(c, "SLOWLOG GET 1000");
    int logged = 0;
    CHECK(r && r->type == REDIS_REPLY_ARRAY);
    if (r && r->type == REDIS_REPLY_ARRAY)
        for (size_t i = 0; i < r->elements; i++) {
            redisReply *e = r->element[i];
            if (e->type == REDIS_REPLY_ARRAY && e->elements > 3 && e->element[3]->elements > 0 &&
                !strcasecmp(e->element[3]->element[0]->str, "blpop"))
                logged++;
        }
    if (r) freeReplyObject(r);
    CHECK_EQ_INT(logged, 2);
    EXPECT_STATUS(c, "OK", "CONFIG SET slowlog-log-slower-than 10000");
    redisFree(w1);
    redisFree(w2);
    redisFree(c);
}

static void t_pushed_by_other_commands(void) {
    redisContext *c = fresh(), *w1 = srv_connect(S), *w2 = srv_connect(S);
    /* LMOVE pushes into a key someone waits on. */
    cmd_send_only(w1, "BLMOVE src dst LEFT RIGHT 5");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    EXPECT_INT(c, 1, "RPUSH other v");
    EXPECT_BULK(c, "v", "LMOVE other src LEFT LEFT");
    redisReply *r = cmd_next_reply(w1);
    CHECK_REPLY_BULK(r, "v");
    if (r) freeReplyObject(r);
    EXPECT_ARRAY_STRS(c, ((const char *[]){"v"}), 1, "LRANGE dst 0 -1");
    EXPECT_INT(c, 0, "EXISTS src");
    /* A chain: BRPOPLPUSH a->b serves a BLPOP waiting on b. */
    cmd_send_only(w2, "BLPOP b 5");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    cmd_send_only(w1, "BRPOPLPUSH a b 5");
    WAIT_FOR(info_blocked_clients(c) == 2, 2000);
    EXPECT_INT(c, 1, "RPUSH a x");
    r = cmd_next_reply(w1);
    CHECK_REPLY_BULK(r, "x");
    if (r) freeReplyObject(r);
    expect_pair(w2, "b", "x");
    EXPECT_INT(c, 0, "EXISTS a b");
    redisFree(w1), redisFree(w2);
    redisFree(c);
}

static void t_blmpop(void) {
    redisContext *c = fresh(), *w = srv_connect(S);
    cmd_send_only(w, "BLMPOP 5 2 a b RIGHT COUNT 2");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    EXPECT_INT(c, 3, "RPUSH b 1 2 3");
    redisReply *r = cmd_next_reply(w);
    if (CHECK_REPLY_ARRAY(r, 2)) {
        CHECK_REPLY_BULK(r->element[0], "b");
        const char *exp[] = {"3", "2"};
        CHECK_REPLY_STRS(r->element[1], exp, 2);
    }
    if (r) freeReplyObject(r);
    EXPECT_INT(c, 1, "LLEN b");
    redisFree(w);
    redisFree(c);
}

static void t_pipeline_after_block(void) {
    redisContext *c = fresh(), *w = srv_connect(S);
    /* The commands after a blocked one wait for it, then run in order. */
    redisAppendCommand(w, "BLPOP q 5");
    redisAppendCommand(w, "SET after 1");
    redisAppendCommand(w, "GET after");
    int done = 0;
    while (!done && redisBufferWrite(w, &done) == REDIS_OK) {
    }
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    EXPECT_NIL(c, "GET after");
    EXPECT_INT(c, 1, "RPUSH q v");
    expect_pair(w, "q", "v");
    redisReply *r = cmd_next_reply(w);
    CHECK_REPLY_STATUS(r, "OK");
    if (r) freeReplyObject(r);
    r = cmd_next_reply(w);
    CHECK_REPLY_BULK(r, "1");
    if (r) freeReplyObject(r);
    redisFree(w);
    redisFree(c);
}

/* A key that becomes another type while clients wait on it: they keep waiting
 * (Redis 7.0), and are served once it is a list again. */
static void t_wrong_type_while_waiting(void) {
    redisContext *c = fresh(), *w = srv_connect(S);
    cmd_send_only(w, "BLPOP q 5");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    EXPECT_STATUS(c, "OK", "SET q string");
    sleep_ms(50);
    CHECK_EQ_INT(info_blocked_clients(c), 1);
    EXPECT_INT(c, 1, "DEL q");
    EXPECT_INT(c, 1, "RPUSH q v");
    expect_pair(w, "q", "v");
    redisFree(w);
    redisFree(c);
}

static void t_start(void) { S = srv_start(NULL); }
static void t_stop(void) {
    CHECK(srv_stop(S));
    S = NULL;
}

int main(void) {
    test_run("start server", t_start);
    if (!S) return test_summary("blocking");
    test_run("served at once, errors", t_immediate);
    test_run("waiters served in arrival order", t_arrival_order);
    test_run("waiting on several keys", t_several_keys);
    test_run("timeouts, and 0 waits for ever", t_timeout);
    test_run("RESP3 timeout reply, pipelined PING after it", t_resp3_timeout);
    test_run("a waiter that disconnects leaves nothing", t_disconnect);
    test_run("CLIENT UNBLOCK", t_client_unblock);
    test_run("INFO commandstats and the slow log count a blocked command once", t_commandstats);
    test_run("served by LMOVE and BRPOPLPUSH pushes", t_pushed_by_other_commands);
    test_run("BLMPOP", t_blmpop);
    test_run("pipelined commands after a blocked one", t_pipeline_after_block);
    test_run("key of another type while waiting", t_wrong_type_while_waiting);
    test_run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("blocking");
}
