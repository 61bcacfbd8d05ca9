/* tests/integration/test_multi.c: transactions (MULTI EXEC DISCARD) and optimistic locking
 * (WATCH UNWATCH): queueing, EXECABORT, run-time errors inside EXEC, what invalidates a
 * WATCH (writes, deletes, TTL changes, expiry, FLUSHDB, FLUSHALL, SWAPDB) and what does
 * not, blocking commands inside a transaction, waiters served after EXEC, RESP3 bytes,
 * CLIENT LIST's multi= and flags, and the check-and-set inventory pattern with 20
 * clients. Expiry is isolated with DEBUG SET-ACTIVE-EXPIRE 0 (needs
 * --enable-debug-command). Every expectation was checked against Redis 7.0.15; INFO's
 * watching_clients and total_watched_keys (Redis 7.2) are checked on Cairn only. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness.h"

static srv *S;

#define EXECABORT "EXECABORT Transaction discarded because of previous errors."
#define WRONGTYPE "WRONGTYPE Operation against a key holding the wrong kind of value"
#define NOT_INT   "ERR value is not an integer or out of range"

static redisContext *fresh(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    return c;
}

/* MULTI, PING, EXEC on c. Returns 1 if EXEC ran the transaction (the array [PONG]), 0 if
 * it replied with a null (a watched key changed), -1 (recorded) on anything else. */
static int exec_ping_at(const char *file, int line, redisContext *c) {
    expect_at(file, line, c, 's', "OK", 0, 0, "MULTI");
    expect_at(file, line, c, 's', "QUEUED", 0, 0, "PING");
    redisReply *r = cmd_at(file, line, c, "EXEC");
    int res = -1;
    if (r && r->type == REDIS_REPLY_NIL)
        res = 0;
    else if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 1 &&
             r->element[0]->type == REDIS_REPLY_STATUS && strcmp(r->element[0]->str, "PONG") == 0)
        res = 1;
    else
        test_fail(file, line, "EXEC gave %s, expected [PONG] or a null", reply_describe(r));
    if (r) freeReplyObject(r);
    return res;
}

/* The transaction MULTI PING EXEC was aborted by a changed watched key (null reply)... */
#define EXPECT_EXEC_ABORTED(c)                                                                     \
    do {                                                                                           \
        if (exec_ping_at(__FILE__, __LINE__, (c)) == 1)                                            \
            test_fail(__FILE__, __LINE__, "EXEC ran; expected a null (watched key changed)");      \
    } while (0)
/* ... or ran (its array [PONG]). */
#define EXPECT_EXEC_RAN(c)                                                                         \
    do {                                                                                           \
        if (exec_ping_at(__FILE__, __LINE__, (c)) == 0)                                            \
            test_fail(__FILE__, __LINE__, "EXEC returned a null; expected it to run");             \
    } while (0)

/* The server's clock (TIME) in milliseconds; -1 on error. Records nothing (for WAIT_FOR). */
static long long server_ms(redisContext *c) {
    redisReply *r = c ? redisCommand(c, "TIME") : NULL;
    long long ms = -1;
    if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
        r->element[0]->type == REDIS_REPLY_STRING && r->element[1]->type == REDIS_REPLY_STRING)
        ms = atoll(r->element[0]->str) * 1000 + atoll(r->element[1]->str) / 1000;
    if (r) freeReplyObject(r);
    return ms;
}

/* An integer reply without recording anything (for WAIT_FOR); LLONG_MIN otherwise. */
static long long int_quiet(redisContext *c, const char *cmd) {
    redisReply *r = c ? redisCommand(c, cmd) : NULL;
    long long v = r && r->type == REDIS_REPLY_INTEGER ? r->integer : LLONG_MIN;
    if (r) freeReplyObject(r);
    return v;
}

/* ---- queueing, EXEC, DISCARD ------------------------------------------------------- */

static void t_queue_exec(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "SET k v");
    EXPECT_STATUS(c, "QUEUED", "GET k");
    EXPECT_STATUS(c, "QUEUED", "INCR n");
    EXPECT_STATUS(c, "QUEUED", "GET nokey");
    EXPECT_STATUS(c, "QUEUED", "PING");
    /* Nothing has run yet. */
    EXPECT_NIL(o, "GET k");
    EXPECT_INT(o, 0, "EXISTS n");
    redisReply *r = CMD(c, "EXEC");
    if (CHECK_REPLY_ARRAY(r, 5)) {
        CHECK_REPLY_STATUS(r->element[0], "OK");
        CHECK_REPLY_BULK(r->element[1], "v");
        CHECK_REPLY_INT(r->element[2], 1);
        CHECK_REPLY_NIL(r->element[3]);
        CHECK_REPLY_STATUS(r->element[4], "PONG");
    }
    if (r) freeReplyObject(r);
    EXPECT_BULK(o, "v", "GET k");
    EXPECT_BULK(o, "1", "GET n");
    /* Back to normal: commands run at once. */
    EXPECT_STATUS(c, "OK", "SET k w");
    EXPECT_ERR(c, "ERR EXEC without MULTI", "EXEC");
    /* An empty transaction: an empty array. */
    EXPECT_STATUS(c, "OK", "MULTI");
    r = CMD(c, "EXEC");
    CHECK_REPLY_ARRAY(r, 0);
    if (r) freeReplyObject(r);
    /* The null array of an aborted EXEC is *-1 in RESP2 (hiredis shows it as nil). */
    int fd = raw_connect(S);
    raw_send_str(fd, "WATCH k\r\n");
    raw_expect_str(fd, "+OK\r\n");
    EXPECT_STATUS(o, "OK", "SET k x");
    raw_send_str(fd, "MULTI\r\nSET k mine\r\nEXEC\r\n");
    raw_expect_str(fd, "+OK\r\n+QUEUED\r\n*-1\r\n");
    close(fd);
    EXPECT_BULK(o, "x", "GET k");
    redisFree(o);
    redisFree(c);
}

static void t_discard(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "SET k v");
    EXPECT_STATUS(c, "QUEUED", "INCR n");
    EXPECT_STATUS(c, "OK", "DISCARD");
    EXPECT_INT(o, 0, "EXISTS k n");
    EXPECT_INT(c, 0, "EXISTS k n");
    EXPECT_STATUS(c, "OK", "SET k w"); /* not QUEUED: the transaction is gone */
    EXPECT_BULK(o, "w", "GET k");
    EXPECT_ERR(c, "ERR DISCARD without MULTI", "DISCARD");
    EXPECT_ERR(c, "ERR EXEC without MULTI", "EXEC");
    /* A fresh MULTI after DISCARD starts empty. */
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "GET k");
    redisReply *r = CMD(c, "EXEC");
    CHECK_REPLY_STRS(r, ((const char *[]){"w"}), 1);
    if (r) freeReplyObject(r);
    redisFree(o);
    redisFree(c);
}

static void t_without_multi(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    EXPECT_ERR(c, "ERR EXEC without MULTI", "EXEC");
    EXPECT_ERR(c, "ERR DISCARD without MULTI", "DISCARD");
    /* Neither error drops a WATCH. */
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_ERR(c, "ERR EXEC without MULTI", "EXEC");
    EXPECT_STATUS(o, "OK", "SET k 1");
    EXPECT_EXEC_ABORTED(c);
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_ERR(c, "ERR DISCARD without MULTI", "DISCARD");
    EXPECT_STATUS(o, "OK", "SET k 2");
    EXPECT_EXEC_ABORTED(c);
    /* Arity errors of the transaction commands outside MULTI. */
    EXPECT_ERR(c, "ERR wrong number of arguments for 'multi' command", "MULTI x");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'watch' command", "WATCH");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'unwatch' command", "UNWATCH x");
    EXPECT_STATUS(c, "OK", "UNWATCH"); /* nothing watched: still OK */
    redisFree(o);
    redisFree(c);
}

static void t_nested_multi(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "SET a 1");
    EXPECT_ERR(c, "ERR MULTI calls can not be nested", "MULTI");
    /* The transaction goes on, not marked as failed: the nested MULTI is not queued. */
    EXPECT_STATUS(c, "QUEUED", "INCR a");
    redisReply *r = CMD(c, "EXEC");
    if (CHECK_REPLY_ARRAY(r, 2)) {
        CHECK_REPLY_STATUS(r->element[0], "OK");
        CHECK_REPLY_INT(r->element[1], 2);
    }
    if (r) freeReplyObject(r);
    EXPECT_ERR(c, "ERR EXEC without MULTI", "EXEC");
    /* MULTI MULTI EXEC: an empty transaction. */
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_ERR(c, "ERR MULTI calls can not be nested", "MULTI");
    r = CMD(c, "EXEC");
    CHECK_REPLY_ARRAY(r, 0);
    if (r) freeReplyObject(r);
    /* MULTI with an argument inside MULTI is an arity error, which does fail it. */
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'multi' command", "MULTI x");
    EXPECT_ERR(c, EXECABORT, "EXEC");
    redisFree(c);
}

static void t_watch_inside_multi(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_ERR(c, "ERR WATCH inside MULTI is not allowed", "WATCH k");
    EXPECT_STATUS(c, "QUEUED", "SET k v");
    /* It watched nothing (a change now does not abort) and did not fail the transaction. */
    EXPECT_STATUS(o, "OK", "SET k other");
    redisReply *r = CMD(c, "EXEC");
    if (CHECK_REPLY_ARRAY(r, 1)) CHECK_REPLY_STATUS(r->element[0], "OK");
    if (r) freeReplyObject(r);
    EXPECT_BULK(o, "v", "GET k");
    /* UNWATCH inside MULTI is queued like any command. */
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "UNWATCH");
    r = CMD(c, "EXEC");
    if (CHECK_REPLY_ARRAY(r, 1)) CHECK_REPLY_STATUS(r->element[0], "OK");
    if (r) freeReplyObject(r);
    /* WATCH with no key inside MULTI: an arity error, which fails the transaction. */
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'watch' command", "WATCH");
    EXPECT_ERR(c, EXECABORT, "EXEC");
    redisFree(o);
    redisFree(c);
}

/* RESET, QUIT and malformed EXEC / DISCARD act at once inside MULTI. */
static void t_not_queued(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    /* RESET drops the transaction (and the watches). */
    EXPECT_STATUS(c, "OK", "WATCH w");
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "SET k v");
    EXPECT_STATUS(c, "RESET", "RESET");
    EXPECT_ERR(c, "ERR EXEC without MULTI", "EXEC");
    EXPECT_INT(o, 0, "EXISTS k");
    EXPECT_STATUS(o, "OK", "SET w 1");
    EXPECT_EXEC_RAN(c);
    /* EXEC with an argument aborts and ends the transaction at once. */
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "SET k v");
    EXPECT_ERR(
        c,
        "EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command",
        "EXEC x");
    EXPECT_ERR(c, "ERR EXEC without MULTI", "EXEC");
    EXPECT_INT(o, 0, "EXISTS k");
    /* DISCARD with an argument is an arity error: the transaction stays, failed. */
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "SET k v");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'discard' command", "DISCARD x");
    EXPECT_STATUS(c, "QUEUED", "SET k2 v");
    EXPECT_ERR(c, EXECABORT, "EXEC");
    EXPECT_INT(o, 0, "EXISTS k k2");
    /* QUIT replies OK and closes; the queued commands never run. */
    int fd = raw_connect(S);
    raw_send_str(fd, "MULTI\r\nSET k v\r\nQUIT\r\n");
    raw_expect_str(fd, "+OK\r\n+QUEUED\r\n+OK\r\n");
    raw_expect_closed(fd);
    close(fd);
    EXPECT_INT(o, 0, "EXISTS k");
    redisFree(o);
    redisFree(c);
}

static void t_execabort(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "SET k v");
    EXPECT_ERR(c, "ERR unknown command 'NOSUCH', with args beginning with: 'a' ", "NOSUCH a");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'set' command", "SET k");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'get' command", "GET");
    EXPECT_STATUS(c, "QUEUED", "INCR n"); /* still queued after the errors */
    EXPECT_ERR(c, EXECABORT, "EXEC");
    EXPECT_INT(o, 0, "EXISTS k n"); /* nothing ran */
    EXPECT_ERR(c, "ERR EXEC without MULTI", "EXEC");
    /* A single bad command is enough. */
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_ERR(c, "ERR unknown command 'nosuch', with args beginning with: ", "nosuch");
    EXPECT_ERR(c, EXECABORT, "EXEC");
    /* EXECABORT drops the watches too. */
    EXPECT_STATUS(c, "OK", "WATCH w");
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'incr' command", "INCR");
    EXPECT_ERR(c, EXECABORT, "EXEC");
    EXPECT_STATUS(o, "OK", "SET w 1");
    EXPECT_EXEC_RAN(c);
    /* With both a queueing error and a changed watched key: EXECABORT. */
    EXPECT_STATUS(c, "OK", "WATCH w");
    EXPECT_STATUS(o, "OK", "SET w 2");
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_ERR(c, "ERR unknown command 'NOSUCH', with args beginning with: ", "NOSUCH");
    EXPECT_ERR(c, EXECABORT, "EXEC");
    redisFree(o);
    redisFree(c);
}

static void t_runtime_errors(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET s str");
    EXPECT_INT(c, 1, "RPUSH l a");
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "SET n 5");
    EXPECT_STATUS(c, "QUEUED", "INCR s");
    EXPECT_STATUS(c, "QUEUED", "LPUSH s x");
    EXPECT_STATUS(c, "QUEUED", "GET l");
    EXPECT_STATUS(c, "QUEUED", "INCRBY n 2");
    EXPECT_STATUS(c, "QUEUED", "SET k v XX NX"); /* a syntax error is found when it runs */
    EXPECT_STATUS(c, "QUEUED", "SELECT 99");
    EXPECT_STATUS(c, "QUEUED", "RPUSH l b");
    redisReply *r = CMD(c, "EXEC");
    if (CHECK_REPLY_ARRAY(r, 8)) {
        CHECK_REPLY_STATUS(r->element[0], "OK");
        CHECK_REPLY_ERR(r->element[1], NOT_INT);
        CHECK_REPLY_ERR(r->element[2], WRONGTYPE);
        CHECK_REPLY_ERR(r->element[3], WRONGTYPE);
        CHECK_REPLY_INT(r->element[4], 7);
        CHECK_REPLY_ERR(r->element[5], "ERR syntax error");
        CHECK_REPLY_ERR(r->element[6], "ERR DB index is out of range");
        CHECK_REPLY_INT(r->element[7], 2);
    }
    if (r) freeReplyObject(r);
    EXPECT_BULK(c, "7", "GET n");
    EXPECT_BULK(c, "str", "GET s");
    EXPECT_INT(c, 0, "EXISTS k");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"a", "b"}), 2, "LRANGE l 0 -1");
    redisFree(c);
}

static void t_side_effects(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    EXPECT_STATUS(c, "OK", "MULTI");
    const char *queue[] = {"SET k 10",      "INCR k",        "INCRBY k 5",       "GET k",
                           "LPUSH l a b c", "LRANGE l 0 -1", "EXPIRE k 100",     "TTL k",
                           "DEL l",         "EXISTS l",      "SET t v PX 50000", "PERSIST t",
                           "TTL t",         "SELECT 2",      "SET k indb2",      "SELECT 0",
                           "GET k"};
    size_t nq = sizeof queue / sizeof queue[0];
    for (size_t i = 0; i < nq; i++) EXPECT_STATUS(c, "QUEUED", queue[i]);
    redisReply *r = CMD(c, "EXEC");
    if (CHECK_REPLY_ARRAY(r, (long)nq)) {
        redisReply **e = r->element;
        CHECK_REPLY_STATUS(e[0], "OK");
        CHECK_REPLY_INT(e[1], 11);
        CHECK_REPLY_INT(e[2], 16);
        CHECK_REPLY_BULK(e[3], "16");
        CHECK_REPLY_INT(e[4], 3);
        CHECK_REPLY_STRS(e[5], ((const char *[]){"c", "b", "a"}), 3);
        CHECK_REPLY_INT(e[6], 1);
        CHECK_REPLY_INT(e[7], 100);
        CHECK_REPLY_INT(e[8], 1);
        CHECK_REPLY_INT(e[9], 0);
        CHECK_REPLY_STATUS(e[10], "OK");
        CHECK_REPLY_INT(e[11], 1);
        CHECK_REPLY_INT(e[12], -1);
        CHECK_REPLY_STATUS(e[13], "OK");
        CHECK_REPLY_STATUS(e[14], "OK");
        CHECK_REPLY_STATUS(e[15], "OK");
        CHECK_REPLY_BULK(e[16], "16");
    }
    if (r) freeReplyObject(r);
    /* The effects are visible to everyone afterwards. */
    EXPECT_BULK(o, "16", "GET k");
    CHECK_RANGE(CMD_INT(o, "TTL k"), 1, 100);
    EXPECT_INT(o, 0, "EXISTS l");
    EXPECT_INT(o, -1, "TTL t");
    EXPECT_STATUS(o, "OK", "SELECT 2");
    EXPECT_BULK(o, "indb2", "GET k");
    /* A SELECT inside EXEC stays in effect for the connection. */
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "SELECT 2");
    EXPECT_STATUS(c, "QUEUED", "GET k");
    r = CMD(c, "EXEC");
    if (CHECK_REPLY_ARRAY(r, 2)) CHECK_REPLY_BULK(r->element[1], "indb2");
    if (r) freeReplyObject(r);
    EXPECT_BULK(c, "indb2", "GET k");
    redisFree(o);
    redisFree(c);
}

/* ---- WATCH: what aborts EXEC ------------------------------------------------------- */

static void t_watch_modified(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "SET k w");
    /* Nothing of the transaction runs. */
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "SET k mine");
    EXPECT_STATUS(c, "QUEUED", "INCR n");
    EXPECT_NIL(c, "EXEC");
    EXPECT_BULK(o, "w", "GET k");
    EXPECT_INT(o, 0, "EXISTS n");
    /* Writing the same value is still a change. */
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "SET k w");
    EXPECT_EXEC_ABORTED(c);
    /* Other kinds of write. */
    EXPECT_STATUS(c, "OK", "SET n 1");
    EXPECT_STATUS(c, "OK", "WATCH n");
    EXPECT_INT(o, 2, "INCR n");
    EXPECT_EXEC_ABORTED(c);
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_INT(o, 2, "APPEND k x");
    EXPECT_EXEC_ABORTED(c);
    EXPECT_STATUS(c, "OK", "WATCH h");
    EXPECT_INT(o, 1, "HSET h f v"); /* creates it */
    EXPECT_EXEC_ABORTED(c);
    EXPECT_STATUS(c, "OK", "WATCH k dst");
    EXPECT_STATUS(o, "OK", "RENAME k dst");
    EXPECT_EXEC_ABORTED(c);
    /* A change after MULTI, before EXEC, counts too. */
    EXPECT_STATUS(c, "OK", "WATCH dst");
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "GET dst");
    EXPECT_STATUS(o, "OK", "SET dst again");
    EXPECT_NIL(c, "EXEC");
    redisFree(o);
    redisFree(c);
}

static void t_watch_deleted(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_INT(o, 1, "DEL k");
    EXPECT_EXEC_ABORTED(c);
    EXPECT_INT(c, 2, "RPUSH l a b");
    EXPECT_STATUS(c, "OK", "WATCH l");
    EXPECT_INT(o, 1, "UNLINK l");
    EXPECT_EXEC_ABORTED(c);
    /* Popping the last element deletes the key. */
    EXPECT_INT(c, 1, "RPUSH l a");
    EXPECT_STATUS(c, "OK", "WATCH l");
    EXPECT_BULK(o, "a", "LPOP l");
    EXPECT_EXEC_ABORTED(c);
    /* Created and deleted again: still a change. */
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "SET k 1");
    EXPECT_INT(o, 1, "DEL k");
    EXPECT_EXEC_ABORTED(c);
    redisFree(o);
    redisFree(c);
}

static void t_watch_ttl_changed(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_INT(o, 1, "EXPIRE k 100");
    EXPECT_EXEC_ABORTED(c);
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_INT(o, 1, "PEXPIRE k 200000");
    EXPECT_EXEC_ABORTED(c);
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_INT(o, 1, "PERSIST k");
    EXPECT_EXEC_ABORTED(c);
    /* No-ops on the TTL are no change. */
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_INT(o, 0, "PERSIST k");
    EXPECT_INT(o, 0, "EXPIRE k 100 XX");
    EXPECT_EXEC_RAN(c);
    redisFree(o);
    redisFree(c);
}

static void t_watch_expired(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    /* Expires after the WATCH and is deleted (lazily, by the other client's EXISTS, or
     * by active expiry): EXEC aborts. */
    EXPECT_STATUS(c, "OK", "SET k v PX 150");
    EXPECT_STATUS(c, "OK", "WATCH k");
    CHECK(CMD_INT(c, "PTTL k") > 0); /* it was alive when watched */
    WAIT_FOR(int_quiet(o, "EXISTS k") == 0, 3000);
    EXPECT_EXEC_ABORTED(c);
    /* Expired after the WATCH but still stored at EXEC (active expiry off, nobody touched
     * it): EXEC aborts too. */
    EXPECT_STATUS(o, "OK", "DEBUG SET-ACTIVE-EXPIRE 0");
    long long t = server_ms(o);
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_INT(c, 1, "PEXPIREAT k %lld", t + 150);
    EXPECT_STATUS(c, "OK", "WATCH k");
    CHECK(CMD_INT(c, "PTTL k") > 0);
    WAIT_FOR(server_ms(o) > t + 151, 3000);
    EXPECT_INT(o, 1, "DBSIZE"); /* DBSIZE does not expire anything */
    EXPECT_EXEC_ABORTED(c);
    EXPECT_STATUS(o, "OK", "DEBUG SET-ACTIVE-EXPIRE 1");
    redisFree(o);
    redisFree(c);
}

/* Redis 7: a key already expired (not yet deleted) when WATCHed counts as absent, so its
 * deletion by expiry is no change; anything else done to it is. */
static void t_watch_already_expired(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    EXPECT_STATUS(o, "OK", "DEBUG SET-ACTIVE-EXPIRE 0");
    for (int round = 0; round < 3; round++) {
        EXPECT_STATUS(c, "OK", "FLUSHALL");
        long long t = server_ms(o);
        EXPECT_STATUS(c, "OK", "SET k v");
        EXPECT_INT(c, 1, "PEXPIREAT k %lld", t + 50);
        WAIT_FOR(server_ms(o) > t + 51, 3000);
        EXPECT_INT(o, 1, "DBSIZE"); /* expired, still stored */
        EXPECT_STATUS(c, "OK", "WATCH k");
        if (round == 0) {
            EXPECT_NIL(o, "GET k"); /* deleted now, by expiry */
            EXPECT_INT(o, 0, "DBSIZE");
            EXPECT_EXEC_RAN(c);
        } else if (round == 1) {
            EXPECT_EXEC_RAN(c); /* still stored at EXEC */
        } else {
            EXPECT_STATUS(o, "OK", "SET k new");
            EXPECT_EXEC_ABORTED(c);
        }
    }
    EXPECT_STATUS(o, "OK", "DEBUG SET-ACTIVE-EXPIRE 1");
    redisFree(o);
    redisFree(c);
}

static void t_watch_flushdb(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "FLUSHDB");
    EXPECT_EXEC_ABORTED(c);
    /* A watched key that does not exist: FLUSHDB changes nothing for it. */
    EXPECT_STATUS(c, "OK", "SET other v");
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "FLUSHDB");
    EXPECT_EXEC_RAN(c);
    /* FLUSHDB of another db. */
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "SELECT 1");
    EXPECT_STATUS(o, "OK", "SET k v1");
    EXPECT_STATUS(o, "OK", "FLUSHDB");
    EXPECT_EXEC_RAN(c);
    EXPECT_STATUS(o, "OK", "FLUSHDB ASYNC");
    EXPECT_STATUS(o, "OK", "SELECT 0");
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "FLUSHDB ASYNC");
    EXPECT_EXEC_ABORTED(c);
    redisFree(o);
    redisFree(c);
}

static void t_watch_flushall(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "FLUSHALL");
    EXPECT_EXEC_ABORTED(c);
    /* A watched key that did not exist: FLUSHALL is no change for it. */
    EXPECT_STATUS(o, "OK", "SET other v");
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "FLUSHALL");
    EXPECT_EXEC_RAN(c);
    /* A watched key in another db than the flusher's. */
    EXPECT_STATUS(c, "OK", "SELECT 3");
    EXPECT_STATUS(c, "OK", "SET k v3");
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "FLUSHALL");
    EXPECT_EXEC_ABORTED(c);
    redisFree(o);
    redisFree(c);
}

static void t_watch_swapdb(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    /* The watched key exists in the watched db: swapped away. */
    EXPECT_STATUS(c, "OK", "SET k v0");
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "SWAPDB 0 1");
    EXPECT_EXEC_ABORTED(c);
    /* It exists only in the other db: swapped in. */
    EXPECT_STATUS(o, "OK", "FLUSHALL");
    EXPECT_STATUS(o, "OK", "SELECT 1");
    EXPECT_STATUS(o, "OK", "SET k v1");
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "SWAPDB 0 1");
    EXPECT_EXEC_ABORTED(c);
    EXPECT_BULK(c, "v1", "GET k");
    /* It exists in both dbs. */
    EXPECT_STATUS(o, "OK", "SET k v2"); /* o is in db 1 */
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "SWAPDB 1 0");
    EXPECT_EXEC_ABORTED(c);
    /* It exists in neither db: no change. */
    EXPECT_STATUS(o, "OK", "FLUSHALL");
    EXPECT_STATUS(o, "OK", "SET other v"); /* db 1 */
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "SWAPDB 0 1");
    EXPECT_EXEC_RAN(c);
    /* Two other dbs, and a db with itself. */
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_STATUS(o, "OK", "SELECT 2");
    EXPECT_STATUS(o, "OK", "SET k v2");
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "SWAPDB 2 3");
    EXPECT_STATUS(o, "OK", "SWAPDB 0 0");
    EXPECT_EXEC_RAN(c);
    redisFree(o);
    redisFree(c);
}

static void t_watch_same_client(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(c, "OK", "SET k w");
    EXPECT_EXEC_ABORTED(c);
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_INT(c, 1, "DEL k");
    EXPECT_EXEC_ABORTED(c);
    /* Its own reads are no change. */
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_BULK(c, "v", "GET k");
    EXPECT_INT(c, -1, "TTL k");
    EXPECT_EXEC_RAN(c);
    redisFree(c);
}

/* ---- WATCH: what does not abort EXEC ----------------------------------------------- */

static void t_watch_unchanged(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    EXPECT_STATUS(c, "OK", "SET k str");
    /* Nothing at all. */
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_EXEC_RAN(c);
    /* A write to another key. */
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "SET k2 v");
    EXPECT_INT(o, 1, "DEL k2");
    EXPECT_EXEC_RAN(c);
    /* Reads only. */
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_BULK(o, "str", "GET k");
    EXPECT_INT(o, 1, "EXISTS k");
    EXPECT_INT(o, -1, "TTL k");
    EXPECT_STATUS(o, "string", "TYPE k");
    EXPECT_INT(o, 3, "STRLEN k");
    EXPECT_INT(o, 1, "TOUCH k");
    EXPECT_EXEC_RAN(c);
    /* Failed and no-op writes. */
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_ERR(o, NOT_INT, "INCR k");
    EXPECT_ERR(o, WRONGTYPE, "LPUSH k x");
    EXPECT_NIL(o, "SET k other NX");
    EXPECT_ERR(o, "ERR no such key", "RENAME nokey k");
    EXPECT_INT(o, 0, "SETNX k other");
    EXPECT_EXEC_RAN(c);
    EXPECT_BULK(o, "str", "GET k");
    /* A key that did not exist and still does not. */
    EXPECT_STATUS(c, "OK", "WATCH nokey");
    EXPECT_INT(o, 0, "DEL nokey");
    EXPECT_NIL(o, "GET nokey");
    EXPECT_INT(o, 0, "EXPIRE nokey 10");
    EXPECT_EXEC_RAN(c);
    redisFree(o);
    redisFree(c);
}

static void t_watch_cleared(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    /* After an EXEC that ran. */
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_EXEC_RAN(c);
    EXPECT_STATUS(o, "OK", "SET k 1");
    EXPECT_EXEC_RAN(c);
    /* After an EXEC that was aborted. */
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "SET k 2");
    EXPECT_EXEC_ABORTED(c);
    EXPECT_STATUS(o, "OK", "SET k 3");
    EXPECT_EXEC_RAN(c);
    /* After DISCARD. */
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "OK", "DISCARD");
    EXPECT_STATUS(o, "OK", "SET k 4");
    EXPECT_EXEC_RAN(c);
    /* UNWATCH. */
    EXPECT_STATUS(c, "OK", "WATCH k other");
    EXPECT_STATUS(c, "OK", "UNWATCH");
    EXPECT_STATUS(o, "OK", "SET k 5");
    EXPECT_STATUS(o, "OK", "SET other 5");
    EXPECT_EXEC_RAN(c);
    /* UNWATCH queued inside the transaction does not save it: the check comes first. */
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "SET k 6");
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "UNWATCH");
    EXPECT_NIL(c, "EXEC");
    redisFree(o);
    redisFree(c);
}

static void t_watch_several(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    EXPECT_STATUS(c, "OK", "WATCH a b c");
    EXPECT_STATUS(o, "OK", "SET c 1");
    EXPECT_EXEC_ABORTED(c);
    /* WATCH adds to what is watched. */
    EXPECT_STATUS(c, "OK", "WATCH a");
    EXPECT_STATUS(c, "OK", "WATCH b");
    EXPECT_STATUS(c, "OK", "WATCH b"); /* twice is fine */
    EXPECT_STATUS(o, "OK", "SET a 1");
    EXPECT_EXEC_ABORTED(c);
    EXPECT_STATUS(c, "OK", "WATCH a b");
    EXPECT_STATUS(o, "OK", "SET x 1");
    EXPECT_EXEC_RAN(c);
    /* Several watchers of one key all lose. */
    redisContext *c2 = srv_connect(S);
    EXPECT_STATUS(c, "OK", "WATCH a");
    EXPECT_STATUS(c2, "OK", "WATCH a b");
    EXPECT_STATUS(o, "OK", "SET a 2");
    EXPECT_EXEC_ABORTED(c);
    EXPECT_EXEC_ABORTED(c2);
    redisFree(c2);
    redisFree(o);
    redisFree(c);
}

static void t_watch_db(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    EXPECT_STATUS(c, "OK", "SELECT 1");
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "SET k db0"); /* the same name in db 0 */
    EXPECT_EXEC_RAN(c);
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "SELECT 1");
    EXPECT_STATUS(o, "OK", "SET k db1");
    EXPECT_EXEC_ABORTED(c);
    /* The watch stays with the db it was made in, whatever the client SELECTs next. */
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(c, "OK", "SELECT 0");
    EXPECT_STATUS(o, "OK", "SET k again");
    EXPECT_EXEC_ABORTED(c);
    /* MOVE into the watched db creates the key there. */
    EXPECT_STATUS(c, "OK", "SELECT 1");
    EXPECT_INT(c, 1, "DEL k");
    EXPECT_STATUS(c, "OK", "WATCH k");
    EXPECT_STATUS(o, "OK", "SELECT 0"); /* k = "db0" there */
    EXPECT_INT(o, 1, "MOVE k 1");
    EXPECT_EXEC_ABORTED(c);
    EXPECT_BULK(c, "db0", "GET k");
    redisFree(o);
    redisFree(c);
}

/* ---- blocking commands ------------------------------------------------------------- */

static void t_blocking_in_multi(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 1, "RPUSH l a");
    int fd = raw_connect(S);
    long long t0 = now_ms();
    raw_send_str(
        fd, "MULTI\r\nBLPOP l 0\r\nBLPOP l 0\r\nBRPOPLPUSH l d 0\r\nBLMOVE l d LEFT RIGHT 0\r\n"
            "BLMPOP 0 1 l LEFT\r\nBZPOPMIN z 0\r\nBRPOP l 0\r\nEXEC\r\n");
    raw_expect_str(
        fd, "+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n");
    /* The first is served, the others answer as on a timeout, at once. */
    raw_expect_str(fd,
                   "*7\r\n*2\r\n$1\r\nl\r\n$1\r\na\r\n*-1\r\n$-1\r\n$-1\r\n*-1\r\n*-1\r\n*-1\r\n");
    CHECK_RANGE(now_ms() - t0, 0, 1000);
    close(fd);
    CHECK_EQ_INT(info_blocked_clients(c), 0);
    EXPECT_INT(c, 0, "EXISTS l d z");
    /* Through hiredis: the null in its slot. */
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "BLPOP empty 0");
    EXPECT_STATUS(c, "QUEUED", "PING");
    redisReply *r = CMD(c, "EXEC");
    if (CHECK_REPLY_ARRAY(r, 2)) {
        CHECK_REPLY_NIL(r->element[0]);
        CHECK_REPLY_STATUS(r->element[1], "PONG");
    }
    if (r) freeReplyObject(r);
    redisFree(c);
}

static void expect_pair(redisContext *c, const char *key, const char *val) {
    redisReply *r = cmd_next_reply(c);
    if (CHECK_REPLY_ARRAY(r, 2)) {
        CHECK_REPLY_BULK(r->element[0], key);
        CHECK_REPLY_BULK(r->element[1], val);
    }
    if (r) freeReplyObject(r);
}

static void t_exec_serves_waiters(void) {
    redisContext *c = fresh(), *w = srv_connect(S);
    /* Served after the whole transaction: inside it the list still holds both. */
    cmd_send_only(w, "BLPOP q 0");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "RPUSH q x y");
    EXPECT_STATUS(c, "QUEUED", "LRANGE q 0 -1");
    redisReply *r = CMD(c, "EXEC");
    if (CHECK_REPLY_ARRAY(r, 2)) {
        CHECK_REPLY_INT(r->element[0], 2);
        CHECK_REPLY_STRS(r->element[1], ((const char *[]){"x", "y"}), 2);
    }
    if (r) freeReplyObject(r);
    expect_pair(w, "q", "x");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"y"}), 1, "LRANGE q 0 -1");
    EXPECT_INT(c, 1, "DEL q");
    /* Pushed then popped in the same EXEC: nothing is left, the waiter keeps waiting. */
    cmd_send_only(w, "BLPOP q 0");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "RPUSH q x");
    EXPECT_STATUS(c, "QUEUED", "LPOP q");
    r = CMD(c, "EXEC");
    if (CHECK_REPLY_ARRAY(r, 2)) {
        CHECK_REPLY_INT(r->element[0], 1);
        CHECK_REPLY_BULK(r->element[1], "x");
    }
    if (r) freeReplyObject(r);
    EXPECT_INT(c, 0, "EXISTS q");
    CHECK_EQ_INT(info_blocked_clients(c), 1);
    /* Push, pop, push: the waiter gets what is there after EXEC. */
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "RPUSH q x");
    EXPECT_STATUS(c, "QUEUED", "LPOP q");
    EXPECT_STATUS(c, "QUEUED", "RPUSH q z");
    r = CMD(c, "EXEC");
    if (CHECK_REPLY_ARRAY(r, 3)) {
        CHECK_REPLY_INT(r->element[0], 1);
        CHECK_REPLY_BULK(r->element[1], "x");
        CHECK_REPLY_INT(r->element[2], 1);
    }
    if (r) freeReplyObject(r);
    expect_pair(w, "q", "z");
    EXPECT_INT(c, 0, "EXISTS q");
    CHECK_EQ_INT(info_blocked_clients(c), 0);
    /* An aborted transaction serves nobody. */
    cmd_send_only(w, "BLPOP q 0");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    EXPECT_STATUS(c, "OK", "WATCH guard");
    EXPECT_STATUS(c, "OK", "SET guard 1");
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "RPUSH q never");
    EXPECT_NIL(c, "EXEC");
    EXPECT_INT(c, 0, "EXISTS q");
    CHECK_EQ_INT(info_blocked_clients(c), 1);
    EXPECT_INT(c, 1, "RPUSH q last");
    expect_pair(w, "q", "last");
    redisFree(w);
    redisFree(c);
}

/* ---- RESP3 ------------------------------------------------------------------------- */

static void t_resp3(void) {
    redisContext *o = fresh();
    int fd = raw_connect(S);
    raw_send_str(fd, "HELLO 3\r\n");
    size_t len;
    char *hello = raw_read_frame(fd, &len);
    CHECK(hello && hello[0] == '%');
    free(hello);
    raw_send_str(fd, "MULTI\r\n");
    raw_expect_str(fd, "+OK\r\n");
    raw_send_str(fd,
                 "SET k v\r\nGET nokey\r\nHSET h f v\r\nHGETALL h\r\nZADD z 1.5 m\r\nZSCORE z m\r\n"
                 "INCR k\r\nSMEMBERS noset\r\n");
    raw_expect_str(
        fd,
        "+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n");
    raw_send_str(fd, "EXEC\r\n");
    raw_expect_str(fd, "*8\r\n+OK\r\n_\r\n:1\r\n%1\r\n$1\r\nf\r\n$1\r\nv\r\n:1\r\n,1.5\r\n"
                       "-" NOT_INT "\r\n~0\r\n");
    /* A blocking command's null inside EXEC. */
    raw_send_str(fd, "MULTI\r\nBLPOP empty 0\r\nEXEC\r\n");
    raw_expect_str(fd, "+OK\r\n+QUEUED\r\n*1\r\n_\r\n");
    /* An aborted EXEC is the RESP3 null. */
    raw_send_str(fd, "WATCH k\r\n");
    raw_expect_str(fd, "+OK\r\n");
    EXPECT_STATUS(o, "OK", "SET k w");
    raw_send_str(fd, "MULTI\r\nPING\r\nEXEC\r\n");
    raw_expect_str(fd, "+OK\r\n+QUEUED\r\n_\r\n");
    /* EXECABORT and the other errors. */
    raw_send_str(fd, "MULTI\r\nNOSUCH\r\nEXEC\r\n");
    raw_expect_str(fd,
                   "+OK\r\n-ERR unknown command 'NOSUCH', with args beginning with: \r\n-" EXECABORT
                   "\r\n");
    raw_send_str(fd, "EXEC\r\nDISCARD\r\nMULTI\r\nMULTI\r\nDISCARD\r\n");
    raw_expect_str(fd, "-ERR EXEC without MULTI\r\n-ERR DISCARD without MULTI\r\n+OK\r\n"
                       "-ERR MULTI calls can not be nested\r\n+OK\r\n");
    close(fd);
    redisFree(o);
}

/* ---- introspection ----------------------------------------------------------------- */

/* The value of field (e.g. "multi") in the CLIENT LIST line of client id, as seen by
 * observer o; malloc'd, NULL if absent. Records nothing. */
static char *client_field(redisContext *o, long long id, const char *field) {
    redisReply *r = o ? redisCommand(o, "CLIENT LIST") : NULL;
    char *val = NULL;
    if (r && r->type == REDIS_REPLY_STRING) {
        char key[32];
        int kl = snprintf(key, sizeof key, "id=%lld ", id);
        for (const char *p = r->str; *p && !val;) {
            const char *e = strchr(p, '\n');
            if (!e) e = p + strlen(p);
            if (strncmp(p, key, (size_t)kl) == 0) {
                size_t fl = strlen(field);
                for (const char *q = p; q && q < e;
                     q = memchr(q, ' ', (size_t)(e - q)), q = q ? q + 1 : q)
                    if (strncmp(q, field, fl) == 0 && q[fl] == '=') {
                        const char *v = q + fl + 1, *ve = v;
                        while (ve < e && *ve != ' ' && *ve != '\r') ve++;
                        val = strndup(v, (size_t)(ve - v));
                        break;
                    }
            }
            p = *e ? e + 1 : e;
        }
    }
    if (r) freeReplyObject(r);
    return val;
}

#define CHECK_CLIENT_FIELD(o, id, field, want)                                                     \
    do {                                                                                           \
        char *v_ = client_field((o), (id), (field));                                               \
        if (!v_ || strcmp(v_, (want)) != 0)                                                        \
            test_fail(__FILE__, __LINE__, "CLIENT LIST %s=%s, expected %s", (field),               \
                      v_ ? v_ : "(absent)", (want));                                               \
        free(v_);                                                                                  \
    } while (0)

static void t_client_list(void) {
    redisContext *c = fresh(), *o = srv_connect(S);
    long long id = CMD_INT(c, "CLIENT ID");
    CHECK_CLIENT_FIELD(o, id, "multi", "-1");
    CHECK_CLIENT_FIELD(o, id, "flags", "N");
    EXPECT_STATUS(c, "OK", "MULTI");
    CHECK_CLIENT_FIELD(o, id, "multi", "0");
    CHECK_CLIENT_FIELD(o, id, "flags", "x");
    EXPECT_STATUS(c, "QUEUED", "SET k v");
    EXPECT_STATUS(c, "QUEUED", "GET k");
    CHECK_CLIENT_FIELD(o, id, "multi", "2");
    /* Refused commands are not counted. */
    EXPECT_ERR(c, "ERR unknown command 'NOSUCH', with args beginning with: ", "NOSUCH");
    EXPECT_ERR(c, "ERR MULTI calls can not be nested", "MULTI");
    CHECK_CLIENT_FIELD(o, id, "multi", "2");
    CHECK_CLIENT_FIELD(o, id, "flags", "x");
    EXPECT_ERR(c, EXECABORT, "EXEC");
    CHECK_CLIENT_FIELD(o, id, "multi", "-1");
    CHECK_CLIENT_FIELD(o, id, "flags", "N");
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "PING");
    CHECK_CLIENT_FIELD(o, id, "multi", "1");
    EXPECT_STATUS(c, "OK", "DISCARD");
    CHECK_CLIENT_FIELD(o, id, "multi", "-1");
    CHECK_CLIENT_FIELD(o, id, "flags", "N");
    /* A client whose watched key changed has 'd' ("dirty"), before and after MULTI. */
    EXPECT_STATUS(c, "OK", "WATCH k");
    CHECK_CLIENT_FIELD(o, id, "flags", "N");
    EXPECT_STATUS(o, "OK", "SET k w");
    CHECK_CLIENT_FIELD(o, id, "flags", "d");
    EXPECT_STATUS(c, "OK", "MULTI");
    CHECK_CLIENT_FIELD(o, id, "flags", "xd");
    EXPECT_NIL(c, "EXEC");
    CHECK_CLIENT_FIELD(o, id, "flags", "N");
    CHECK_CLIENT_FIELD(o, id, "multi", "-1");
    /* CLIENT INFO inside EXEC sees the client still in its transaction. */
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "CLIENT INFO");
    redisReply *r = CMD(c, "EXEC");
    if (CHECK_REPLY_ARRAY(r, 1) && r->element[0]->type == REDIS_REPLY_STRING) {
        CHECK(strstr(r->element[0]->str, " flags=x ") != NULL);
        CHECK(strstr(r->element[0]->str, " multi=1 ") != NULL);
    } else {
        test_fail(__FILE__, __LINE__, "CLIENT INFO in EXEC gave %s", reply_describe(r));
    }
    if (r) freeReplyObject(r);
    redisFree(o);
    redisFree(c);
}

/* Redis 7.2's INFO clients watching_clients (clients watching at least one key) and
 * total_watched_keys (distinct (db, key) pairs watched); Redis 7.0.15 has neither. */
static void t_info_watch(void) {
    if (!srv_is_cairn(S)) return;
    redisContext *o = fresh(), *a = srv_connect(S), *b = srv_connect(S), *d = srv_connect(S);
#define CHECK_WATCH_INFO(clients, keys)                                                            \
    do {                                                                                           \
        CHECK_EQ_INT(info_int(o, "clients", "watching_clients"), (clients));                       \
        CHECK_EQ_INT(info_int(o, "clients", "total_watched_keys"), (keys));                        \
    } while (0)
    char *f1 = info_field(o, "clients", "watching_clients");
    char *f2 = info_field(o, "clients", "total_watched_keys");
    bool present = f1 && f2;
    free(f1);
    free(f2);
    if (!present) {
        test_fail(__FILE__, __LINE__, "INFO clients lacks watching_clients or total_watched_keys");
        redisFree(d);
        redisFree(b);
        redisFree(a);
        redisFree(o);
        return;
    }
    CHECK_WATCH_INFO(0, 0);
    EXPECT_STATUS(a, "OK", "WATCH k1 k2");
    CHECK_WATCH_INFO(1, 2);
    EXPECT_STATUS(b, "OK", "WATCH k2 k3");
    CHECK_WATCH_INFO(2, 3);
    EXPECT_STATUS(a, "OK", "WATCH k1"); /* again: nothing new */
    CHECK_WATCH_INFO(2, 3);
    EXPECT_STATUS(d, "OK", "SELECT 1");
    EXPECT_STATUS(d, "OK", "WATCH k1"); /* another db: another key */
    CHECK_WATCH_INFO(3, 4);
    EXPECT_EXEC_RAN(a);
    CHECK_WATCH_INFO(2, 3); /* k2 (b), k3 (b), db 1 k1 (d) */
    /* A change to a watched key: its watchers are done with all their keys. */
    EXPECT_STATUS(o, "OK", "SET k3 x");
    CHECK_WATCH_INFO(1, 1);
    EXPECT_EXEC_ABORTED(b);
    CHECK_WATCH_INFO(1, 1);
    EXPECT_STATUS(b, "OK", "WATCH k2");
    EXPECT_STATUS(b, "OK", "MULTI");
    EXPECT_STATUS(b, "OK", "DISCARD");
    CHECK_WATCH_INFO(1, 1);
    EXPECT_STATUS(b, "OK", "WATCH k2");
    EXPECT_STATUS(b, "OK", "UNWATCH");
    CHECK_WATCH_INFO(1, 1);
    redisFree(d); /* a disconnect forgets its watches */
    WAIT_FOR(info_int(o, "clients", "watching_clients") == 0, 2000);
    CHECK_WATCH_INFO(0, 0);
#undef CHECK_WATCH_INFO
    redisFree(b);
    redisFree(a);
    redisFree(o);
}

/* ---- the check-and-set inventory pattern ------------------------------------------- */

#define SHOPPERS 20
#define STOCK    1000
#define MAX_WANT 20

typedef struct {
    redisContext *c;
    int idle;       /* rounds to wait before starting (staggers the shoppers) */
    bool watching;  /* WATCHed and read; the transaction comes next */
    bool done;      /* saw less stock than it wanted */
    long long seen; /* stock read after the WATCH */
    long long want;
    long long got; /* reserved in total */
} shopper;

static unsigned rng_state = 12345;
static long long next_want(void) {
    rng_state = rng_state * 1103515245u + 12345u;
    return 1 + (long long)((rng_state >> 16) % MAX_WANT);
}

/* One step of a shopper: WATCH stock + GET stock, or MULTI DECRBY INCRBY EXEC. Returns
 * 1 for a committed EXEC, 0 for an aborted one, -1 otherwise. */
static int shopper_step(shopper *s) {
    redisReply *r[4] = {NULL};
    int res = -1;
    if (!s->watching) {
        redisAppendCommand(s->c, "WATCH stock");
        redisAppendCommand(s->c, "GET stock");
        for (int i = 0; i < 2; i++)
            if (redisGetReply(s->c, (void **)&r[i]) != REDIS_OK) r[i] = NULL;
        CHECK_REPLY_STATUS(r[0], "OK");
        if (r[1] && r[1]->type == REDIS_REPLY_STRING) {
            s->seen = atoll(r[1]->str);
            CHECK(s->seen >= 0);
            s->want = next_want();
            if (s->seen < s->want) {
                EXPECT_STATUS(s->c, "OK", "UNWATCH");
                s->done = true;
            } else {
                s->watching = true;
            }
        } else {
            test_fail(__FILE__, __LINE__, "GET stock gave %s", reply_describe(r[1]));
            s->done = true;
        }
    } else {
        redisAppendCommand(s->c, "MULTI");
        redisAppendCommand(s->c, "DECRBY stock %lld", s->want);
        redisAppendCommand(s->c, "INCRBY sold %lld", s->want);
        redisAppendCommand(s->c, "EXEC");
        for (int i = 0; i < 4; i++)
            if (redisGetReply(s->c, (void **)&r[i]) != REDIS_OK) r[i] = NULL;
        CHECK_REPLY_STATUS(r[0], "OK");
        CHECK_REPLY_STATUS(r[1], "QUEUED");
        CHECK_REPLY_STATUS(r[2], "QUEUED");
        if (r[3] && r[3]->type == REDIS_REPLY_NIL) {
            res = 0;
        } else if (CHECK_REPLY_ARRAY(r[3], 2)) {
            /* Nobody changed the stock since we read it. */
            CHECK_REPLY_INT(r[3]->element[0], s->seen - s->want);
            CHECK(r[3]->element[1]->type == REDIS_REPLY_INTEGER &&
                  r[3]->element[1]->integer <= STOCK);
            s->got += s->want;
            res = 1;
        } else {
            s->done = true;
        }
        s->watching = false;
    }
    for (int i = 0; i < 4; i++)
        if (r[i]) freeReplyObject(r[i]);
    return res;
}

static void t_inventory(void) {
    redisContext *o = fresh();
    EXPECT_STATUS(o, "OK", "SET stock %d", STOCK);
    EXPECT_STATUS(o, "OK", "SET sold 0");
    shopper sh[SHOPPERS];
    memset(sh, 0, sizeof sh);
    for (int i = 0; i < SHOPPERS; i++) {
        sh[i].c = srv_connect(S);
        if (!sh[i].c) {
            for (int j = 0; j < i; j++) redisFree(sh[j].c);
            redisFree(o);
            return;
        }
        sh[i].idle = i % 3;
    }
    /* Rounds: every shopper takes one step in turn. Shoppers 0, 3, 6, ... WATCH the same
     * version in round 0 and all EXEC in round 1: only the first of them can commit. */
    long long commits = 0, aborts = 0, deadline = now_ms() + 8000;
    int active = SHOPPERS, rounds = 0;
    while (active > 0 && now_ms() < deadline && test_checks_failed == 0) {
        for (int i = 0; i < SHOPPERS; i++) {
            shopper *s = &sh[i];
            if (s->done) continue;
            if (s->idle > 0) {
                s->idle--;
                continue;
            }
            int res = shopper_step(s);
            if (res == 1) commits++;
            if (res == 0) aborts++;
            if (s->done) active--;
        }
        rounds++;
    }
    CHECK_EQ_INT(active, 0);
    char *stock_s = CMD_STR(o, "GET stock"), *sold_s = CMD_STR(o, "GET sold");
    long long stock = stock_s ? atoll(stock_s) : -1, sold = sold_s ? atoll(sold_s) : -1, got = 0;
    free(stock_s);
    free(sold_s);
    for (int i = 0; i < SHOPPERS; i++) got += sh[i].got;
    CHECK_RANGE(stock, 0, MAX_WANT - 1); /* everyone stopped for lack of stock */
    CHECK_EQ_INT(stock + sold, STOCK);
    CHECK_EQ_INT(got, sold);
    CHECK(commits > 0);
    CHECK(aborts > 0);
    CHECK(aborts >= commits); /* the rounds make most attempts collide */
    if (test_checks_failed)
        fprintf(stderr,
                "  inventory: %d rounds, %lld commits, %lld aborts, stock %lld, sold %lld\n",
                rounds, commits, aborts, stock, sold);
    for (int i = 0; i < SHOPPERS; i++) redisFree(sh[i].c);
    redisFree(o);
}

/* ---- main -------------------------------------------------------------------------- */

static void t_start(void) {
    S = srv_start((const char *[]){"--enable-debug-command", "yes", NULL});
}
static void t_stop(void) {
    CHECK(srv_stop(S));
    S = NULL;
}

int main(void) {
    test_run("start server", t_start);
    if (!S) return test_summary("multi");
    test_run("MULTI queues, EXEC replies in order", t_queue_exec);
    test_run("DISCARD runs nothing", t_discard);
    test_run("EXEC and DISCARD without MULTI", t_without_multi);
    test_run("nested MULTI is refused, the transaction goes on", t_nested_multi);
    test_run("WATCH inside MULTI is refused", t_watch_inside_multi);
    test_run("RESET, QUIT, EXEC x, DISCARD x inside MULTI", t_not_queued);
    test_run("EXECABORT after a queueing error", t_execabort);
    test_run("run-time errors inside EXEC", t_runtime_errors);
    test_run("side effects read back inside EXEC", t_side_effects);
    test_run("WATCH: modified by another client", t_watch_modified);
    test_run("WATCH: deleted", t_watch_deleted);
    test_run("WATCH: TTL changed", t_watch_ttl_changed);
    test_run("WATCH: expired after the WATCH", t_watch_expired);
    test_run("WATCH: key already expired when watched", t_watch_already_expired);
    test_run("WATCH: FLUSHDB", t_watch_flushdb);
    test_run("WATCH: FLUSHALL", t_watch_flushall);
    test_run("WATCH: SWAPDB", t_watch_swapdb);
    test_run("WATCH: modified by the same client", t_watch_same_client);
    test_run("WATCH: no change, other keys, reads, failed writes", t_watch_unchanged);
    test_run("WATCH: cleared by EXEC, DISCARD, UNWATCH", t_watch_cleared);
    test_run("WATCH: several keys, several watchers", t_watch_several);
    test_run("WATCH: per db", t_watch_db);
    test_run("blocking commands inside MULTI do not block", t_blocking_in_multi);
    test_run("EXEC pushes serve blocked clients afterwards", t_exec_serves_waiters);
    test_run("RESP3 raw", t_resp3);
    test_run("CLIENT LIST multi= and flags", t_client_list);
    test_run("INFO watching_clients total_watched_keys", t_info_watch);
    test_run("inventory: 20 clients, check-and-set", t_inventory);
    test_run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("multi");
}
