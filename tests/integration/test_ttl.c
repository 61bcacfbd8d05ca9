/* tests/integration/test_ttl.c: key expiry, lazy (on access) and active (in the
 * background), and which writes keep or clear a TTL. Time-based checks poll with a
 * deadline. Lazy expiry is isolated with DEBUG SET-ACTIVE-EXPIRE 0, which needs
 * --enable-debug-command (Redis 7 refuses DEBUG otherwise).
 * Every expectation was checked against Redis 7.0.15. */
#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

static srv *S;

static redisContext *fresh(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    return c;
}

/* DBSIZE without recording failures (for WAIT_FOR); -1 on error. DBSIZE never touches a
 * key, so it never triggers lazy expiry. */
static long long dbsize(redisContext *c) {
    redisReply *r = c ? redisCommand(c, "DBSIZE") : NULL;
    long long n = r && r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
    if (r) freeReplyObject(r);
    return n;
}

static bool keyspace_line_gone(redisContext *c, const char *db) {
    char *v = info_field(c, "keyspace", db);
    free(v);
    return v == NULL;
}

/* Wait until at least ms milliseconds have passed since t0 (the passing of time is the
 * condition here; the poll is a few milliseconds). */
static void wait_past(long long t0, int ms) {
    while (now_ms() < t0 + ms) sleep_ms(2);
}

static void t_start(void) { S = srv_start((const char *[]){"--enable-debug-command", "yes", NULL}); }

static void t_lazy_expiry(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "DEBUG SET-ACTIVE-EXPIRE 0");
    long long before = info_int(c, "stats", "expired_keys");
    long long t0 = now_ms();
    EXPECT_STATUS(c, "OK", "SET k v PX 50");
    EXPECT_STATUS(c, "OK", "SET e v PX 50");
    EXPECT_STATUS(c, "OK", "SET t v PX 50");
    EXPECT_STATUS(c, "OK", "SET keep v");
    wait_past(t0, 80);
    /* Nothing removes them without an access... */
    EXPECT_INT(c, 4, "DBSIZE");
    /* ...but an expired key is never visible... */
    EXPECT_ARRAY_STRS(c, ((const char *[]){"keep"}), 1, "KEYS *");
    /* ...and an access deletes it. */
    EXPECT_NIL(c, "GET k");
    EXPECT_INT(c, 3, "DBSIZE");
    EXPECT_INT(c, 0, "EXISTS e");
    EXPECT_INT(c, -2, "TTL t");
    EXPECT_INT(c, 1, "DBSIZE");
    CHECK_EQ_INT(info_int(c, "stats", "expired_keys"), before + 3);
    /* A write to an expired key finds it gone. */
    t0 = now_ms();
    EXPECT_STATUS(c, "OK", "SET n 10 PX 30");
    wait_past(t0, 50);
    EXPECT_INT(c, 1, "INCR n");
    EXPECT_INT(c, -1, "TTL n");
    EXPECT_STATUS(c, "OK", "DEBUG SET-ACTIVE-EXPIRE 1");
    redisFree(c);
}

static void t_active_expiry(void) {
    redisContext *c = fresh();
    enum { N = 10000 };
    long long before = info_int(c, "stats", "expired_keys");
    for (int i = 0; i < N; i++) redisAppendCommand(c, "SET key:%d v PX 100", i);
    int ok = 0;
    for (int i = 0; i < N; i++) {
        redisReply *r = NULL;
        if (redisGetReply(c, (void **)&r) == REDIS_OK && r && r->type == REDIS_REPLY_STATUS) ok++;
        if (r) freeReplyObject(r);
    }
    CHECK_EQ_INT(ok, N);
    EXPECT_STATUS(c, "OK", "SET persistent v");
    char *ks = info_field(c, "keyspace", "db0");
    CHECK(ks != NULL);
    if (ks && dbsize(c) > N / 2) { /* unless the machine stalled for 100 ms */
        CHECK(info_subfield(ks, "keys") > N / 2);
        CHECK(info_subfield(ks, "expires") > N / 2);
    }
    free(ks);
    /* No key is ever touched again: only the background cycle can remove them. */
    WAIT_FOR(dbsize(c) == 1, 3000);
    WAIT_FOR(info_int(c, "stats", "expired_keys") >= before + N, 1000);
    ks = info_field(c, "keyspace", "db0");
    CHECK_EQ_INT(info_subfield(ks, "keys"), 1);
    CHECK_EQ_INT(info_subfield(ks, "expires"), 0);
    free(ks);
    EXPECT_BULK(c, "v", "GET persistent");
    redisFree(c);
}

static void t_active_expiry_other_db(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SELECT 9");
    for (int i = 0; i < 100; i++) EXPECT_STATUS(c, "OK", "SET k%d v PX 50", i);
    WAIT_FOR(dbsize(c) == 0, 3000);
    WAIT_FOR(keyspace_line_gone(c, "db9"), 1000); /* an empty db is not listed */
    redisFree(c);
}

static void t_info_keyspace(void) {
    redisContext *c = fresh();
    CHECK(keyspace_line_gone(c, "db0"));
    EXPECT_STATUS(c, "OK", "MSET a 1 b 2 c 3");
    EXPECT_STATUS(c, "OK", "SET t1 v EX 1000");
    EXPECT_STATUS(c, "OK", "SET t2 v EX 1000");
    EXPECT_STATUS(c, "OK", "SELECT 3");
    EXPECT_STATUS(c, "OK", "SET x v EX 1000");
    char *v = info_field(c, "keyspace", "db0");
    CHECK(v && strncmp(v, "keys=5,expires=2,avg_ttl=", 25) == 0);
    if (v) {
        char *end;
        strtoll(v + 25, &end, 10);
        CHECK(end != v + 25 && *end == '\0');
    }
    free(v);
    v = info_field(c, "keyspace", "db3");
    CHECK(v && strncmp(v, "keys=1,expires=1,avg_ttl=", 25) == 0);
    free(v);
    CHECK(keyspace_line_gone(c, "db1"));
    redisFree(c);
}

static void t_persist_stops_expiry(void) {
    redisContext *c = fresh();
    long long t0 = now_ms();
    EXPECT_STATUS(c, "OK", "SET k v PX 100");
    EXPECT_INT(c, 1, "PERSIST k");
    wait_past(t0, 150);
    EXPECT_BULK(c, "v", "GET k");
    EXPECT_INT(c, -1, "PTTL k");
    redisFree(c);
}

static void t_writes_and_ttl(void) {
    redisContext *c = fresh();
    /* SET without KEEPTTL clears the TTL; with KEEPTTL it stays. */
    EXPECT_STATUS(c, "OK", "SET k v EX 100");
    EXPECT_STATUS(c, "OK", "SET k v2");
    EXPECT_INT(c, -1, "TTL k");
    EXPECT_STATUS(c, "OK", "SET k v EX 100");
    EXPECT_STATUS(c, "OK", "SET k v2 KEEPTTL");
    CHECK_RANGE(CMD_INT(c, "TTL k"), 99, 100);
    /* RENAME carries the TTL. */
    EXPECT_STATUS(c, "OK", "RENAME k r");
    CHECK_RANGE(CMD_INT(c, "TTL r"), 99, 100);
    EXPECT_INT(c, 1, "RENAMENX r r2");
    CHECK_RANGE(CMD_INT(c, "TTL r2"), 99, 100);
    /* MSET and MSETNX write plain values. */
    EXPECT_STATUS(c, "OK", "MSET r2 x other y");
    EXPECT_INT(c, -1, "TTL r2");
    EXPECT_STATUS(c, "OK", "SET m v EX 100");
    EXPECT_STATUS(c, "OK", "MSET m x");
    EXPECT_INT(c, -1, "TTL m");
    /* GETSET clears; SETEX replaces; GETDEL removes the key and its TTL. */
    EXPECT_STATUS(c, "OK", "SET g v EX 100");
    EXPECT_BULK(c, "v", "GETSET g w");
    EXPECT_INT(c, -1, "TTL g");
    EXPECT_STATUS(c, "OK", "SET g v EX 100");
    EXPECT_STATUS(c, "OK", "SETEX g 50 w");
    CHECK_RANGE(CMD_INT(c, "TTL g"), 49, 50);
    EXPECT_BULK(c, "w", "GETDEL g");
    EXPECT_STATUS(c, "OK", "SET g v");
    EXPECT_INT(c, -1, "TTL g");
    /* In-place modifications keep it. */
    EXPECT_STATUS(c, "OK", "SET n 1 EX 100");
    EXPECT_INT(c, 2, "INCR n");
    EXPECT_INT(c, 12, "INCRBY n 10");
    EXPECT_INT(c, 3, "APPEND n x");
    EXPECT_INT(c, 3, "SETRANGE n 0 y");
    CHECK_RANGE(CMD_INT(c, "TTL n"), 99, 100);
    /* DEL and re-create: no TTL. */
    EXPECT_INT(c, 1, "DEL n");
    EXPECT_STATUS(c, "OK", "SET n 1");
    EXPECT_INT(c, -1, "TTL n");
    /* An expired key overwritten by SET ... NX: the old one counts as gone. */
    long long t0 = now_ms();
    EXPECT_STATUS(c, "OK", "SET x old PX 30");
    wait_past(t0, 50);
    EXPECT_STATUS(c, "OK", "SET x new NX");
    EXPECT_BULK(c, "new", "GET x");
    EXPECT_INT(c, -1, "TTL x");
    redisFree(c);
}

static void t_pttl_counts_down(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET k v PX 5000");
    long long t0 = now_ms();
    long long p1 = CMD_INT(c, "PTTL k");
    wait_past(t0, 30);
    long long p2 = CMD_INT(c, "PTTL k");
    CHECK_RANGE(p1, 4000, 5000);
    CHECK(p2 <= p1 - 25);
    /* A key that expired while nobody looked is gone for every reader. */
    t0 = now_ms();
    EXPECT_STATUS(c, "OK", "SET gone v PX 20");
    wait_past(t0, 40);
    EXPECT_NIL(c, "GET gone");
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 1, "MGET gone");
    EXPECT_INT(c, -2, "PTTL gone");
    EXPECT_INT(c, 0, "EXISTS gone");
    redisFree(c);
}

static void t_stop(void) {
    CHECK(srv_stop(S));
    S = NULL;
}

int main(void) {
    test_run("start server", t_start);
    if (!S) return test_summary("ttl");
    test_run("lazy expiry on access", t_lazy_expiry);
    test_run("active expiry of 10k keys", t_active_expiry);
    test_run("active expiry in another db", t_active_expiry_other_db);
    test_run("INFO keyspace", t_info_keyspace);
    test_run("PERSIST stops expiry", t_persist_stops_expiry);
    test_run("which writes keep or clear a TTL", t_writes_and_ttl);
    test_run("PTTL counts down, expired keys invisible", t_pttl_counts_down);
    test_run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("ttl");
}
