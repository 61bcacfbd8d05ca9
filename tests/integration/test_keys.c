/* tests/integration/test_keys.c: generic key commands (DEL, EXPIRE family, RENAME, KEYS,
 * SCAN, COPY, OBJECT, ...) and databases (SELECT, SWAPDB, MOVE, FLUSH*, DBSIZE).
 * Every expectation was checked against Redis 7.0.15. The same commands on lists are in
 * test_types_keys.c; OBJECT FREQ under an LFU policy waits in tests/pending/test_lfu.c
 * (issue 6). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/harness.h"

static srv *S;

static redisContext *fresh(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    return c;
}

#define NOT_INT "ERR value is not an integer or out of range"
#define DB_RANGE "ERR DB index is out of range"
#define SAME_OBJ "ERR source and destination objects are the same"

static void t_start(void) { S = srv_start(NULL); }

static void t_del_unlink_exists(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "MSET a 1 b 2 c 3 d 4");
    EXPECT_INT(c, 3, "EXISTS a b c");
    EXPECT_INT(c, 3, "EXISTS a a a");   /* duplicates count each time */
    EXPECT_INT(c, 2, "EXISTS a nokey a");
    EXPECT_INT(c, 0, "EXISTS nokey");
    EXPECT_INT(c, 2, "DEL a b nokey");
    EXPECT_INT(c, 0, "EXISTS a b");
    EXPECT_INT(c, 1, "DEL c c");        /* deleted once */
    EXPECT_INT(c, 1, "UNLINK d d nokey");
    EXPECT_INT(c, 0, "DEL a");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'del' command", "DEL");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'unlink' command", "UNLINK");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'exists' command", "EXISTS");
    redisFree(c);
}

static void t_expire_basic(void) {
    redisContext *c = fresh();
    long long now = (long long)time(NULL);
    EXPECT_INT(c, 0, "EXPIRE nokey 100");
    EXPECT_INT(c, 0, "PEXPIRE nokey 100");
    EXPECT_INT(c, 0, "EXPIREAT nokey %lld", now + 100);
    EXPECT_INT(c, 0, "PEXPIREAT nokey %lld", now * 1000 + 100);
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_INT(c, 1, "EXPIRE k 100");
    CHECK_RANGE(CMD_INT(c, "TTL k"), 99, 100);
    EXPECT_INT(c, 1, "PEXPIRE k 50000");
    CHECK_RANGE(CMD_INT(c, "PTTL k"), 48000, 50000);
    EXPECT_INT(c, 1, "EXPIREAT k 4000000000");
    EXPECT_INT(c, 4000000000LL, "EXPIRETIME k");
    EXPECT_INT(c, 4000000000000LL, "PEXPIRETIME k");
    EXPECT_INT(c, 1, "PEXPIREAT k 4000000000123");
    EXPECT_INT(c, 4000000000LL, "EXPIRETIME k");
    EXPECT_INT(c, 4000000000123LL, "PEXPIRETIME k");
    EXPECT_INT(c, 1, "PEXPIREAT k 4000000000500"); /* EXPIRETIME rounds to the nearest second */
    EXPECT_INT(c, 4000000001LL, "EXPIRETIME k");
    EXPECT_INT(c, 1, "PEXPIREAT k 4000000000499");
    EXPECT_INT(c, 4000000000LL, "EXPIRETIME k");
    EXPECT_ERR(c, NOT_INT, "EXPIRE k abc");
    EXPECT_ERR(c, NOT_INT, "EXPIRE k 1.5");
    EXPECT_ERR(c, "ERR invalid expire time in 'expire' command", "EXPIRE k 9223372036854775807");
    EXPECT_ERR(c, "ERR invalid expire time in 'expire' command", "EXPIRE k -9223372036854775808");
    EXPECT_ERR(c, "ERR invalid expire time in 'pexpire' command", "PEXPIRE k 9223372036854775807");
    EXPECT_ERR(c, "ERR invalid expire time in 'expireat' command",
               "EXPIREAT k 9223372036854775807");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'expire' command", "EXPIRE k");
    EXPECT_INT(c, 4000000000LL, "EXPIRETIME k"); /* failures changed nothing */
    redisFree(c);
}

static void t_expire_past_deletes(void) {
    redisContext *c = fresh();
    static const char *cmds[] = {"EXPIRE k -1", "EXPIRE k 0", "PEXPIRE k 0", "PEXPIRE k -500",
                                 "EXPIREAT k 1", "PEXPIREAT k 1000", "EXPIREAT k 0"};
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        EXPECT_STATUS(c, "OK", "SET k v");
        EXPECT_INT(c, 1, cmds[i]);
        EXPECT_INT(c, 0, "EXISTS k");
        EXPECT_NIL(c, "GET k");
        EXPECT_INT(c, -2, "TTL k");
    }
    EXPECT_INT(c, 0, "DBSIZE");
    redisFree(c);
}

static void t_expire_nx_xx_gt_lt(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_INT(c, 0, "EXPIRE k 100 XX");  /* XX: no TTL yet */
    EXPECT_INT(c, -1, "TTL k");
    EXPECT_INT(c, 0, "EXPIRE k 100 GT");  /* no TTL counts as infinite: nothing is greater */
    EXPECT_INT(c, -1, "TTL k");
    EXPECT_INT(c, 1, "EXPIRE k 100 NX");
    EXPECT_INT(c, 0, "EXPIRE k 200 NX");
    CHECK_RANGE(CMD_INT(c, "TTL k"), 99, 100);
    EXPECT_INT(c, 1, "EXPIRE k 50 XX");
    CHECK_RANGE(CMD_INT(c, "TTL k"), 49, 50);
    EXPECT_INT(c, 1, "EXPIRE k 100 GT");
    EXPECT_INT(c, 0, "EXPIRE k 10 GT");
    CHECK_RANGE(CMD_INT(c, "TTL k"), 99, 100);
    EXPECT_INT(c, 1, "EXPIRE k 10 LT");
    EXPECT_INT(c, 0, "EXPIRE k 20 LT");
    CHECK_RANGE(CMD_INT(c, "TTL k"), 9, 10);
    EXPECT_INT(c, 1, "EXPIRE k 20 XX GT");
    EXPECT_INT(c, 1, "EXPIRE k 15 xx lt");
    CHECK_RANGE(CMD_INT(c, "TTL k"), 14, 15);
    EXPECT_INT(c, 1, "PERSIST k");
    EXPECT_INT(c, 1, "EXPIRE k 10 LT"); /* anything is less than infinite */
    CHECK_RANGE(CMD_INT(c, "TTL k"), 9, 10);
    EXPECT_INT(c, 1, "PERSIST k");
    EXPECT_INT(c, 0, "EXPIRE k 10 XX LT"); /* XX still needs a TTL */
    EXPECT_INT(c, 1, "PEXPIRE k 100000 NX");
    EXPECT_INT(c, 0, "PEXPIREAT k 1 NX");
    EXPECT_INT(c, 1, "EXPIREAT k 4000000000 GT");
    EXPECT_INT(c, 0, "EXPIREAT k 3000000000 GT");
    EXPECT_INT(c, 1, "PEXPIREAT k 3000000000000 LT");
    EXPECT_INT(c, 3000000000LL, "EXPIRETIME k");
    EXPECT_INT(c, 1, "PERSIST k");
    EXPECT_INT(c, 1, "EXPIRE k 100 NX NX"); /* repeating an option is fine */
    EXPECT_ERR(c, "ERR NX and XX, GT or LT options at the same time are not compatible",
               "EXPIRE k 10 NX XX");
    EXPECT_ERR(c, "ERR NX and XX, GT or LT options at the same time are not compatible",
               "EXPIRE k 10 NX GT");
    EXPECT_ERR(c, "ERR NX and XX, GT or LT options at the same time are not compatible",
               "PEXPIRE k 10 LT NX");
    EXPECT_ERR(c, "ERR NX and XX, GT or LT options at the same time are not compatible",
               "EXPIRE k 10 GT LT NX");
    EXPECT_ERR(c, "ERR GT and LT options at the same time are not compatible", "EXPIRE k 10 GT LT");
    EXPECT_ERR(c, "ERR GT and LT options at the same time are not compatible",
               "EXPIREAT k 10 LT GT");
    EXPECT_ERR(c, "ERR Unsupported option foo", "EXPIRE k 10 foo");
    EXPECT_ERR(c, "ERR Unsupported option BAR", "PEXPIREAT k 10 NX BAR");
    redisFree(c);
}

static void t_ttl_persist(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, -2, "TTL nokey");
    EXPECT_INT(c, -2, "PTTL nokey");
    EXPECT_INT(c, -2, "EXPIRETIME nokey");
    EXPECT_INT(c, -2, "PEXPIRETIME nokey");
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_INT(c, -1, "TTL k");
    EXPECT_INT(c, -1, "PTTL k");
    EXPECT_INT(c, -1, "EXPIRETIME k");
    EXPECT_INT(c, -1, "PEXPIRETIME k");
    EXPECT_INT(c, 0, "PERSIST k");
    EXPECT_INT(c, 0, "PERSIST nokey");
    EXPECT_INT(c, 1, "PEXPIRE k 1500");
    CHECK_RANGE(CMD_INT(c, "TTL k"), 1, 2); /* TTL rounds to the nearest second */
    EXPECT_INT(c, 1, "EXPIRE k 100");
    EXPECT_INT(c, 1, "PERSIST k");
    EXPECT_INT(c, -1, "TTL k");
    EXPECT_BULK(c, "v", "GET k");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'ttl' command", "TTL a b");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'persist' command", "PERSIST");
    redisFree(c);
}

static void t_type(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_STATUS(c, "OK", "SET i 12");
    EXPECT_STATUS(c, "string", "TYPE s");
    EXPECT_STATUS(c, "string", "TYPE i");
    EXPECT_STATUS(c, "none", "TYPE nokey");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'type' command", "TYPE");
    redisFree(c);
}

static void t_rename(void) {
    redisContext *c = fresh();
    EXPECT_ERR(c, "ERR no such key", "RENAME nokey x");
    EXPECT_ERR(c, "ERR no such key", "RENAMENX nokey x");
    EXPECT_STATUS(c, "OK", "SET a 1");
    EXPECT_STATUS(c, "OK", "RENAME a b");
    EXPECT_INT(c, 0, "EXISTS a");
    EXPECT_BULK(c, "1", "GET b");
    EXPECT_STATUS(c, "OK", "RENAME b b"); /* onto itself: fine, nothing changes */
    EXPECT_BULK(c, "1", "GET b");
    EXPECT_INT(c, 0, "RENAMENX b b");
    EXPECT_STATUS(c, "OK", "SET c 3");
    EXPECT_INT(c, 0, "RENAMENX b c");
    EXPECT_BULK(c, "3", "GET c");
    EXPECT_INT(c, 1, "RENAMENX b d");
    EXPECT_BULK(c, "1", "GET d");
    EXPECT_INT(c, 0, "EXISTS b");
    /* The source's TTL moves with it; the destination's old TTL is dropped. */
    EXPECT_STATUS(c, "OK", "SET x 1 EX 100");
    EXPECT_STATUS(c, "OK", "SET y 2 EX 50");
    EXPECT_STATUS(c, "OK", "RENAME x y");
    CHECK_RANGE(CMD_INT(c, "TTL y"), 99, 100);
    EXPECT_BULK(c, "1", "GET y");
    EXPECT_STATUS(c, "OK", "SET p 1");
    EXPECT_STATUS(c, "OK", "SET q 2 EX 50");
    EXPECT_STATUS(c, "OK", "RENAME p q");
    EXPECT_INT(c, -1, "TTL q");
    EXPECT_STATUS(c, "OK", "RENAME d q");
    EXPECT_STATUS(c, "string", "TYPE q");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'rename' command", "RENAME a");
    redisFree(c);
}

static void t_keys_glob(void) {
    redisContext *c = fresh();
    EXPECT_ARRAY_STRS(c, NULL, 0, "KEYS *");
    const char *all[] = {"hello", "hallo", "hxllo", "hllo", "heeeello", "h*llo", "h?llo",
                         "hbllo", "hcllo", "h\\llo", "h[llo", "xyz"};
    size_t n = sizeof all / sizeof *all;
    for (size_t i = 0; i < n; i++) EXPECT_STATUS(c, "OK", "SET %s 1", all[i]);
    EXPECT_ARRAY_UNORDERED(c, all, n, "KEYS *");
    EXPECT_ARRAY_UNORDERED(c, ((const char *[]){"hello", "hallo", "hxllo", "h*llo", "h?llo", "hbllo",
                                                "hcllo", "h\\llo", "h[llo"}),
                           9, "KEYS h?llo");
    EXPECT_ARRAY_UNORDERED(c, ((const char *[]){"hello", "hallo", "hxllo", "hllo", "heeeello",
                                                "h*llo", "h?llo", "hbllo", "hcllo", "h\\llo",
                                                "h[llo"}),
                           11, "KEYS h*llo");
    EXPECT_ARRAY_UNORDERED(c, ((const char *[]){"hello", "hallo"}), 2, "KEYS h[ae]llo");
    EXPECT_ARRAY_UNORDERED(c, ((const char *[]){"hallo", "hxllo", "h*llo", "h?llo", "hbllo", "hcllo",
                                                "h\\llo", "h[llo"}),
                           8, "KEYS h[^e]llo");
    EXPECT_ARRAY_UNORDERED(c, ((const char *[]){"hallo", "hbllo", "hcllo"}), 3, "KEYS h[a-c]llo");
    EXPECT_ARRAY_UNORDERED(c, ((const char *[]){"hallo", "hbllo", "hcllo"}), 3, "KEYS h[c-a]llo");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"hello"}), 1, "KEYS h[!e]llo"); /* '!' is no negation */
    EXPECT_ARRAY_STRS(c, ((const char *[]){"h*llo"}), 1, "KEYS %s", "h\\*llo");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"h?llo"}), 1, "KEYS %s", "h\\?llo");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"h\\llo"}), 1, "KEYS %s", "h\\\\llo");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"h[llo"}), 1, "KEYS %s", "h[\\[]llo");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"xyz"}), 1, "KEYS x*");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"xyz"}), 1, "KEYS *z");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"xyz"}), 1, "KEYS xyz");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"heeeello"}), 1, "KEYS h*e*e*llo");
    EXPECT_ARRAY_STRS(c, NULL, 0, "KEYS nomatch*");
    EXPECT_ARRAY_STRS(c, NULL, 0, "KEYS XYZ"); /* case-sensitive */
    /* Other databases are not visible. */
    EXPECT_STATUS(c, "OK", "SELECT 1");
    EXPECT_ARRAY_STRS(c, NULL, 0, "KEYS *");
    redisFree(c);
}

static void t_scan_basic(void) {
    redisContext *c = fresh();
    redisReply *r = CMD(c, "SCAN 0");
    if (CHECK_REPLY_ARRAY(r, 2)) {
        CHECK_REPLY_BULK(r->element[0], "0");
        CHECK_REPLY_ARRAY(r->element[1], 0);
    }
    freeReplyObject(r);
    EXPECT_STATUS(c, "OK", "MSET a1 1 a2 2 b1 3");
    CHECK_SCAN(c, "COUNT 100", "a1,a2,b1");
    CHECK_SCAN(c, "COUNT 1", "a1,a2,b1");
    CHECK_SCAN(c, "MATCH a*", "a1,a2");
    CHECK_SCAN(c, "MATCH *1 COUNT 2", "a1,b1");
    CHECK_SCAN(c, "TYPE string", "a1,a2,b1");
    CHECK_SCAN(c, "type STRING match *1 count 1000", "a1,b1");
    CHECK_SCAN(c, "MATCH nomatch*", "");
    CHECK_SCAN(c, "COUNT 1 COUNT 100", "a1,a2,b1"); /* the last COUNT wins */
    EXPECT_ERR(c, "ERR invalid cursor", "SCAN abc");
    EXPECT_ERR(c, "ERR invalid cursor", "SCAN 18446744073709551616");
    EXPECT_ERR(c, "ERR syntax error", "SCAN 0 COUNT 0");
    EXPECT_ERR(c, "ERR syntax error", "SCAN 0 COUNT -1");
    EXPECT_ERR(c, NOT_INT, "SCAN 0 COUNT abc");
    EXPECT_ERR(c, "ERR syntax error", "SCAN 0 FOO");
    EXPECT_ERR(c, "ERR syntax error", "SCAN 0 MATCH");
    EXPECT_ERR(c, "ERR syntax error", "SCAN 0 COUNT");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'scan' command", "SCAN");
    redisFree(c);
}

/* Full iteration over 10,000 keys: every key comes back at least once, nothing else. */
static void t_scan_full(void) {
    redisContext *c = fresh();
    enum { N = 10000 };
    /* 20 MSETs of 500 keys each. */
    const char *argv[1 + 2 * 500];
    size_t lens[1 + 2 * 500];
    static char names[N][16];
    for (int i = 0; i < N; i++) snprintf(names[i], sizeof names[i], "key:%d", i);
    for (int i = 0; i < N; i += 500) {
        int n = 0;
        argv[n] = "MSET", lens[n++] = 4;
        for (int j = i; j < i + 500; j++) {
            argv[n] = names[j], lens[n++] = strlen(names[j]);
            argv[n] = "v", lens[n++] = 1;
        }
        redisReply *r = CMD_ARGV(c, n, argv, lens);
        CHECK_REPLY_STATUS(r, "OK");
        if (r) freeReplyObject(r);
    }
    EXPECT_INT(c, N, "DBSIZE");
    static unsigned char seen[N];
    memset(seen, 0, sizeof seen);
    char cursor[32] = "0";
    int calls = 0, stray = 0;
    do {
        redisReply *r = CMD(c, "SCAN %s COUNT 100", cursor);
        if (!CHECK_REPLY_ARRAY(r, 2) || r->element[0]->type != REDIS_REPLY_STRING) {
            if (r) freeReplyObject(r);
            break;
        }
        snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
        for (size_t i = 0; i < r->element[1]->elements; i++) {
            const char *k = r->element[1]->element[i]->str;
            int idx = strncmp(k, "key:", 4) == 0 ? atoi(k + 4) : -1;
            if (idx >= 0 && idx < N) seen[idx] = 1;
            else stray++;
        }
        freeReplyObject(r);
    } while (strcmp(cursor, "0") != 0 && ++calls < 100000);
    int missing = 0;
    for (int i = 0; i < N; i++) missing += !seen[i];
    CHECK_EQ_INT(missing, 0);
    CHECK_EQ_INT(stray, 0);
    CHECK(calls > 10); /* COUNT 100 over 10k keys takes many calls */
    /* MATCH filters the same iteration. */
    memset(seen, 0, sizeof seen);
    strcpy(cursor, "0");
    calls = 0;
    int matched = 0;
    do {
        redisReply *r = CMD(c, "SCAN %s MATCH key:1?? COUNT 1000", cursor);
        if (!CHECK_REPLY_ARRAY(r, 2)) {
            if (r) freeReplyObject(r);
            break;
        }
        snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
        for (size_t i = 0; i < r->element[1]->elements; i++) {
            int idx = atoi(r->element[1]->element[i]->str + 4);
            if (idx >= 100 && idx <= 199 && !seen[idx]) matched++;
            else stray++;
            if (idx >= 0 && idx < N) seen[idx] = 1;
        }
        freeReplyObject(r);
    } while (strcmp(cursor, "0") != 0 && ++calls < 100000);
    CHECK_EQ_INT(matched, 100);
    CHECK_EQ_INT(stray, 0);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    redisFree(c);
}

static void t_randomkey(void) {
    redisContext *c = fresh();
    EXPECT_NIL(c, "RANDOMKEY");
    EXPECT_STATUS(c, "OK", "SET only 1");
    EXPECT_BULK(c, "only", "RANDOMKEY");
    EXPECT_STATUS(c, "OK", "MSET a 1 b 2");
    bool seen_a = false, seen_b = false, seen_only = false;
    for (int i = 0; i < 200; i++) {
        char *k = CMD_STR(c, "RANDOMKEY");
        if (!k) break;
        if (!strcmp(k, "a")) seen_a = true;
        else if (!strcmp(k, "b")) seen_b = true;
        else if (!strcmp(k, "only")) seen_only = true;
        else test_fail(__FILE__, __LINE__, "RANDOMKEY returned a stranger: %s", k);
        free(k);
    }
    CHECK(seen_a && seen_b && seen_only);
    EXPECT_ERR(c, "ERR wrong number of arguments for 'randomkey' command", "RANDOMKEY x");
    redisFree(c);
}

static void t_copy(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET a 1");
    EXPECT_INT(c, 1, "COPY a b");
    EXPECT_BULK(c, "1", "GET b");
    EXPECT_STATUS(c, "OK", "SET a 2");
    EXPECT_BULK(c, "1", "GET b"); /* a real copy */
    EXPECT_INT(c, 0, "COPY a b");
    EXPECT_BULK(c, "1", "GET b");
    EXPECT_INT(c, 1, "COPY a b REPLACE");
    EXPECT_BULK(c, "2", "GET b");
    EXPECT_INT(c, 0, "COPY nokey b");
    EXPECT_INT(c, 0, "COPY nokey b REPLACE");
    EXPECT_BULK(c, "2", "GET b");
    EXPECT_ERR(c, SAME_OBJ, "COPY a a");
    EXPECT_ERR(c, SAME_OBJ, "COPY a a REPLACE");
    EXPECT_ERR(c, SAME_OBJ, "COPY a a DB 0");
    /* To another database; the TTL comes along. */
    EXPECT_STATUS(c, "OK", "SET t x EX 100");
    EXPECT_INT(c, 1, "COPY t t DB 1");
    EXPECT_INT(c, 1, "COPY a b DB 1");
    EXPECT_INT(c, 0, "COPY a b DB 1");
    EXPECT_INT(c, 1, "COPY t b DB 1 REPLACE");
    EXPECT_INT(c, 1, "COPY t t2");
    CHECK_RANGE(CMD_INT(c, "TTL t2"), 99, 100);
    EXPECT_STATUS(c, "OK", "SELECT 1");
    EXPECT_BULK(c, "x", "GET t");
    EXPECT_BULK(c, "x", "GET b");
    CHECK_RANGE(CMD_INT(c, "TTL t"), 99, 100);
    EXPECT_STATUS(c, "OK", "SELECT 0");
    EXPECT_ERR(c, DB_RANGE, "COPY a b DB 16");
    EXPECT_ERR(c, DB_RANGE, "COPY a b DB -1");
    EXPECT_ERR(c, NOT_INT, "COPY a b DB x");
    EXPECT_ERR(c, "ERR syntax error", "COPY a b DB");
    EXPECT_ERR(c, "ERR syntax error", "COPY a b FOO");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'copy' command", "COPY a");
    redisFree(c);
}

static void t_touch(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "MSET a 1 b 2");
    EXPECT_INT(c, 2, "TOUCH a b nokey");
    EXPECT_INT(c, 3, "TOUCH a a b");
    EXPECT_INT(c, 0, "TOUCH nokey");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'touch' command", "TOUCH");
    redisFree(c);
}

static void t_object(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET s hello");
    EXPECT_STATUS(c, "OK", "SET n 123456");
    EXPECT_BULK(c, "embstr", "OBJECT ENCODING s");
    EXPECT_BULK(c, "int", "object encoding n");
    EXPECT_INT(c, 1, "OBJECT REFCOUNT s");
    EXPECT_INT(c, 1, "OBJECT REFCOUNT n");
    /* Small integers are shared objects: Redis reports INT_MAX for them. */
    EXPECT_STATUS(c, "OK", "SET small 1");
    EXPECT_INT(c, 2147483647, "OBJECT REFCOUNT small");
    EXPECT_STATUS(c, "OK", "SET small 9999");
    EXPECT_INT(c, 2147483647, "OBJECT REFCOUNT small");
    EXPECT_STATUS(c, "OK", "SET small 10000");
    EXPECT_INT(c, 1, "OBJECT REFCOUNT small");
    EXPECT_INT(c, 0, "OBJECT IDLETIME s");
    EXPECT_NIL(c, "OBJECT ENCODING nokey");
    EXPECT_NIL(c, "OBJECT REFCOUNT nokey");
    EXPECT_NIL(c, "OBJECT IDLETIME nokey");
    EXPECT_NIL(c, "OBJECT FREQ nokey");
    EXPECT_ERR(c, "ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
                  "Please note that when switching between policies at runtime LRU and LFU data "
                  "will take some time to adjust.",
               "OBJECT FREQ s");
    static const char *help[] = {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    };
    redisReply *r = CMD(c, "OBJECT HELP");
    /* Help lines are status replies in RESP2. */
    if (CHECK_REPLY_ARRAY(r, 15))
        for (size_t i = 0; i < 15; i++) CHECK_REPLY_STATUS(r->element[i], help[i]);
    freeReplyObject(r);
    EXPECT_ERR(c, "ERR unknown subcommand 'foo'. Try OBJECT HELP.", "OBJECT foo s");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'object|encoding' command", "OBJECT ENCODING");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'object|help' command", "OBJECT HELP x");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'object' command", "OBJECT");
    redisFree(c);
}

static void t_select_databases(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET k db0");
    for (int db = 1; db < 16; db++) {
        EXPECT_STATUS(c, "OK", "SELECT %d", db);
        EXPECT_NIL(c, "GET k");
        EXPECT_STATUS(c, "OK", "SET k db%d", db);
    }
    for (int db = 0; db < 16; db++) {
        char want[8];
        snprintf(want, sizeof want, "db%d", db);
        EXPECT_STATUS(c, "OK", "SELECT %d", db);
        EXPECT_BULK(c, want, "GET k");
        EXPECT_INT(c, 1, "DBSIZE");
    }
    EXPECT_ERR(c, DB_RANGE, "SELECT 16");
    EXPECT_ERR(c, DB_RANGE, "SELECT -1");
    EXPECT_ERR(c, NOT_INT, "SELECT x");
    EXPECT_BULK(c, "db15", "GET k"); /* a failed SELECT keeps the current db */
    EXPECT_ERR(c, "ERR wrong number of arguments for 'select' command", "SELECT");
    /* The selection belongs to the connection. */
    redisContext *c2 = srv_connect(S);
    EXPECT_BULK(c2, "db0", "GET k");
    redisFree(c2);
    redisFree(c);
}

static void t_swapdb(void) {
    redisContext *c = fresh();
    redisContext *c1 = srv_connect(S);
    EXPECT_STATUS(c1, "OK", "SELECT 1");
    EXPECT_STATUS(c, "OK", "SET a in0");
    EXPECT_STATUS(c, "OK", "SET t x EX 100");
    EXPECT_STATUS(c1, "OK", "SET b in1");
    EXPECT_STATUS(c, "OK", "SWAPDB 0 1");
    /* Connections keep their db number and now see the other data. */
    EXPECT_NIL(c, "GET a");
    EXPECT_BULK(c, "in1", "GET b");
    EXPECT_BULK(c1, "in0", "GET a");
    CHECK_RANGE(CMD_INT(c1, "TTL t"), 99, 100);
    EXPECT_STATUS(c, "OK", "SWAPDB 1 0");
    EXPECT_BULK(c, "in0", "GET a");
    EXPECT_STATUS(c, "OK", "SWAPDB 0 0");
    EXPECT_BULK(c, "in0", "GET a");
    EXPECT_ERR(c, DB_RANGE, "SWAPDB 0 16");
    EXPECT_ERR(c, DB_RANGE, "SWAPDB -1 0");
    EXPECT_ERR(c, "ERR invalid first DB index", "SWAPDB x 0");
    EXPECT_ERR(c, "ERR invalid second DB index", "SWAPDB 0 x");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'swapdb' command", "SWAPDB 0");
    redisFree(c1);
    redisFree(c);
}

static void t_move(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET a 1 EX 100");
    EXPECT_INT(c, 1, "MOVE a 2");
    EXPECT_INT(c, 0, "EXISTS a");
    EXPECT_INT(c, 0, "MOVE a 2");
    EXPECT_INT(c, 0, "MOVE nokey 2");
    EXPECT_STATUS(c, "OK", "SELECT 2");
    EXPECT_BULK(c, "1", "GET a");
    CHECK_RANGE(CMD_INT(c, "TTL a"), 99, 100); /* the TTL moves too */
    EXPECT_ERR(c, SAME_OBJ, "MOVE a 2");
    EXPECT_STATUS(c, "OK", "SELECT 0");
    EXPECT_STATUS(c, "OK", "SET a 0");
    EXPECT_STATUS(c, "OK", "SELECT 2");
    EXPECT_INT(c, 0, "MOVE a 0"); /* already there: nothing moves */
    EXPECT_BULK(c, "1", "GET a");
    EXPECT_ERR(c, DB_RANGE, "MOVE a 16");
    EXPECT_ERR(c, DB_RANGE, "MOVE a -1");
    EXPECT_ERR(c, NOT_INT, "MOVE a x");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'move' command", "MOVE a");
    redisFree(c);
}

static void t_flush_dbsize(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 0, "DBSIZE");
    EXPECT_STATUS(c, "OK", "MSET a 1 b 2 c 3");
    EXPECT_INT(c, 3, "DBSIZE");
    EXPECT_STATUS(c, "OK", "SELECT 5");
    EXPECT_STATUS(c, "OK", "MSET x 1 y 2");
    EXPECT_STATUS(c, "OK", "FLUSHDB");
    EXPECT_INT(c, 0, "DBSIZE");
    EXPECT_STATUS(c, "OK", "SELECT 0");
    EXPECT_INT(c, 3, "DBSIZE");
    EXPECT_STATUS(c, "OK", "FLUSHDB SYNC");
    EXPECT_INT(c, 0, "DBSIZE");
    EXPECT_STATUS(c, "OK", "MSET a 1 b 2");
    EXPECT_STATUS(c, "OK", "FLUSHDB ASYNC");
    EXPECT_INT(c, 0, "DBSIZE");
    EXPECT_STATUS(c, "OK", "MSET a 1 b 2");
    EXPECT_STATUS(c, "OK", "SELECT 7");
    EXPECT_STATUS(c, "OK", "SET z 1");
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    EXPECT_INT(c, 0, "DBSIZE");
    EXPECT_STATUS(c, "OK", "SELECT 0");
    EXPECT_INT(c, 0, "DBSIZE");
    EXPECT_STATUS(c, "OK", "SET a 1");
    EXPECT_STATUS(c, "OK", "FLUSHALL ASYNC");
    EXPECT_INT(c, 0, "DBSIZE");
    EXPECT_STATUS(c, "OK", "SET a 1");
    EXPECT_STATUS(c, "OK", "flushall sync");
    EXPECT_INT(c, 0, "DBSIZE");
    EXPECT_ERR(c, "ERR syntax error", "FLUSHDB x");
    EXPECT_ERR(c, "ERR syntax error", "FLUSHALL foo");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'dbsize' command", "DBSIZE x");
    /* Keys with a TTL count until they expire. */
    EXPECT_STATUS(c, "OK", "SET e 1 EX 100");
    EXPECT_INT(c, 1, "DBSIZE");
    redisFree(c);
}

static void t_stop(void) {
    CHECK(srv_stop(S));
    S = NULL;
}

int main(void) {
    test_run("start server", t_start);
    if (!S) return test_summary("keys");
    test_run("DEL UNLINK EXISTS", t_del_unlink_exists);
    test_run("EXPIRE PEXPIRE EXPIREAT PEXPIREAT", t_expire_basic);
    test_run("expire in the past deletes", t_expire_past_deletes);
    test_run("EXPIRE NX XX GT LT", t_expire_nx_xx_gt_lt);
    test_run("TTL PTTL EXPIRETIME PEXPIRETIME PERSIST", t_ttl_persist);
    test_run("TYPE", t_type);
    test_run("RENAME RENAMENX", t_rename);
    test_run("KEYS glob patterns", t_keys_glob);
    test_run("SCAN options and errors", t_scan_basic);
    test_run("SCAN full iteration over 10k keys", t_scan_full);
    test_run("RANDOMKEY", t_randomkey);
    test_run("COPY", t_copy);
    test_run("TOUCH", t_touch);
    test_run("OBJECT", t_object);
    test_run("SELECT and 16 databases", t_select_databases);
    test_run("SWAPDB", t_swapdb);
    test_run("MOVE", t_move);
    test_run("FLUSHDB FLUSHALL DBSIZE", t_flush_dbsize);
    test_run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("keys");
}
