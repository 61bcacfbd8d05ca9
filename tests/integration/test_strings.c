/* tests/integration/test_strings.c: string commands, their options, replies and exact
 * error texts, encodings, binary safety and a 100 MB value, against a running server.
 * Every expectation was checked against Redis 7.0.15. The same commands against a key of
 * another type (WRONGTYPE) are in test_types_wrongtype.c. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/harness.h"

static srv *S;

/* A fresh connection on an empty keyspace. */
static redisContext *fresh(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    return c;
}

#define NOT_INT "ERR value is not an integer or out of range"

static void t_start(void) { S = srv_start(NULL); }

static void t_get_set_basic(void) {
    redisContext *c = fresh();
    EXPECT_NIL(c, "GET k");
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_BULK(c, "v", "GET k");
    EXPECT_STATUS(c, "OK", "SET k other");
    EXPECT_BULK(c, "other", "GET k");
    EXPECT_STATUS(c, "OK", "SET %s %s", "k", "");
    EXPECT_BULK(c, "", "GET k");
    EXPECT_STATUS(c, "OK", "set lower case");
    EXPECT_BULK(c, "case", "gEt lower");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'get' command", "GET");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'get' command", "GET a b");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'set' command", "SET k");
    redisFree(c);
}

static void t_set_expire_options(void) {
    redisContext *c = fresh();
    long long now = (long long)time(NULL);
    EXPECT_STATUS(c, "OK", "SET k v EX 100");
    CHECK_RANGE(CMD_INT(c, "TTL k"), 99, 100);
    EXPECT_STATUS(c, "OK", "SET k v PX 100000");
    CHECK_RANGE(CMD_INT(c, "PTTL k"), 98000, 100000);
    EXPECT_STATUS(c, "OK", "SET k v EXAT %lld", now + 200);
    CHECK_RANGE(CMD_INT(c, "TTL k"), 197, 201);
    EXPECT_INT(c, now + 200, "EXPIRETIME k");
    EXPECT_STATUS(c, "OK", "SET k v PXAT %lld", now * 1000 + 300123);
    EXPECT_INT(c, now * 1000 + 300123, "PEXPIRETIME k");
    EXPECT_STATUS(c, "OK", "set k v ex 100"); /* options are case-insensitive */
    CHECK_RANGE(CMD_INT(c, "TTL k"), 99, 100);
    /* An absolute time in the past is accepted and the key is gone at once. */
    EXPECT_STATUS(c, "OK", "SET k v EXAT 1");
    EXPECT_INT(c, 0, "EXISTS k");
    EXPECT_STATUS(c, "OK", "SET k v PXAT 1");
    EXPECT_INT(c, 0, "EXISTS k");
    /* Repeating the same option is accepted (7.0.15). */
    EXPECT_STATUS(c, "OK", "SET k v EX 10 EX 50");
    CHECK_RANGE(CMD_INT(c, "TTL k"), 49, 50);
    redisFree(c);
}

static void t_set_nx_xx(void) {
    redisContext *c = fresh();
    EXPECT_NIL(c, "SET k v XX");
    EXPECT_INT(c, 0, "EXISTS k");
    EXPECT_STATUS(c, "OK", "SET k v NX");
    EXPECT_NIL(c, "SET k v2 NX");
    EXPECT_BULK(c, "v", "GET k");
    EXPECT_STATUS(c, "OK", "SET k v3 XX");
    EXPECT_BULK(c, "v3", "GET k");
    EXPECT_STATUS(c, "OK", "SET k v4 XX EX 100");
    CHECK_RANGE(CMD_INT(c, "TTL k"), 99, 100);
    EXPECT_NIL(c, "SET k v5 NX PX 100");
    CHECK_RANGE(CMD_INT(c, "TTL k"), 99, 100);
    redisFree(c);
}

static void t_set_keepttl(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET k v EX 100");
    EXPECT_STATUS(c, "OK", "SET k v2 KEEPTTL");
    CHECK_RANGE(CMD_INT(c, "TTL k"), 99, 100);
    EXPECT_BULK(c, "v2", "GET k");
    EXPECT_STATUS(c, "OK", "SET k v3");
    EXPECT_INT(c, -1, "TTL k");
    EXPECT_STATUS(c, "OK", "SET new v KEEPTTL");
    EXPECT_INT(c, -1, "TTL new");
    EXPECT_STATUS(c, "OK", "SET k v EX 100");
    EXPECT_STATUS(c, "OK", "SET k v2 XX KEEPTTL");
    CHECK_RANGE(CMD_INT(c, "TTL k"), 99, 100);
    redisFree(c);
}

static void t_set_get_option(void) {
    redisContext *c = fresh();
    EXPECT_NIL(c, "SET k v GET");
    EXPECT_BULK(c, "v", "GET k");
    EXPECT_BULK(c, "v", "SET k v2 GET");
    EXPECT_BULK(c, "v2", "GET k");
    /* NX and GET together are allowed since 7.0: the old value comes back, nothing set. */
    EXPECT_BULK(c, "v2", "SET k v3 NX GET");
    EXPECT_BULK(c, "v2", "GET k");
    EXPECT_NIL(c, "SET n v NX GET");
    EXPECT_BULK(c, "v", "GET n");
    EXPECT_NIL(c, "SET m v XX GET");
    EXPECT_INT(c, 0, "EXISTS m");
    EXPECT_BULK(c, "v2", "SET k v4 XX GET EX 100");
    CHECK_RANGE(CMD_INT(c, "TTL k"), 99, 100);
    EXPECT_BULK(c, "v4", "SET k v5 GET KEEPTTL");
    CHECK_RANGE(CMD_INT(c, "TTL k"), 99, 100);
    EXPECT_BULK(c, "v5", "SET k v6 GET");
    EXPECT_INT(c, -1, "TTL k");
    redisFree(c);
}

static void t_set_invalid(void) {
    redisContext *c = fresh();
    static const char *syntax[] = {
        "SET k v NX XX",       "SET k v EX 10 PX 100",   "SET k v EX 10 KEEPTTL",
        "SET k v PX 10 EXAT 5", "SET k v EXAT 5 PXAT 5", "SET k v KEEPTTL PXAT 5",
        "SET k v FOO",         "SET k v EX",             "SET k v PX",
        "SET k v NX FOO",      "SET k v GET GET FOO",
    };
    for (size_t i = 0; i < sizeof syntax / sizeof *syntax; i++)
        EXPECT_ERR(c, "ERR syntax error", syntax[i]);
    static const char *bad_time[] = {
        "SET k v EX 0",    "SET k v EX -1",   "SET k v PX 0",
        "SET k v PX -100", "SET k v EXAT 0",  "SET k v PXAT 0",
        "SET k v EXAT -5", "SET k v EX 9223372036854775807",
        "SET k v PX 9223372036854775807",      "SET k v EX 9223372036854775",
    };
    for (size_t i = 0; i < sizeof bad_time / sizeof *bad_time; i++)
        EXPECT_ERR(c, "ERR invalid expire time in 'set' command", bad_time[i]);
    EXPECT_ERR(c, NOT_INT, "SET k v EX abc");
    EXPECT_ERR(c, NOT_INT, "SET k v PX 1.5");
    EXPECT_ERR(c, NOT_INT, "SET k v EX 9223372036854775808");
    EXPECT_INT(c, 0, "EXISTS k"); /* none of them wrote anything */
    redisFree(c);
}

static void t_setnx_setex_psetex(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 1, "SETNX k v");
    EXPECT_INT(c, 0, "SETNX k v2");
    EXPECT_BULK(c, "v", "GET k");
    EXPECT_STATUS(c, "OK", "SETEX k 100 v3");
    EXPECT_BULK(c, "v3", "GET k");
    CHECK_RANGE(CMD_INT(c, "TTL k"), 99, 100);
    EXPECT_STATUS(c, "OK", "PSETEX p 100000 v");
    CHECK_RANGE(CMD_INT(c, "PTTL p"), 98000, 100000);
    EXPECT_ERR(c, "ERR invalid expire time in 'setex' command", "SETEX k 0 v");
    EXPECT_ERR(c, "ERR invalid expire time in 'setex' command", "SETEX k -1 v");
    EXPECT_ERR(c, "ERR invalid expire time in 'psetex' command", "PSETEX k 0 v");
    EXPECT_ERR(c, NOT_INT, "SETEX k abc v");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'setex' command", "SETEX k 10");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'setnx' command", "SETNX k");
    redisFree(c);
}

static void t_mget_mset_msetnx(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "MSET a 1 b 2 c 3");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"1", "2", "3"}), 3, "MGET a b c");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"1", NULL, "3", "1"}), 4, "MGET a nokey c a");
    EXPECT_STATUS(c, "OK", "MSET a x a y"); /* the last one wins */
    EXPECT_BULK(c, "y", "GET a");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'mset' command", "MSET a 1 b");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'mset' command", "MSET");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'mget' command", "MGET");
    EXPECT_INT(c, 0, "MSETNX a 1 new 2"); /* one exists: nothing is set */
    EXPECT_INT(c, 0, "EXISTS new");
    EXPECT_INT(c, 1, "MSETNX new 1 new2 2");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"1", "2"}), 2, "MGET new new2");
    EXPECT_INT(c, 1, "MSETNX d 1 d 2");
    EXPECT_BULK(c, "2", "GET d");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'msetnx' command", "MSETNX a");
    redisFree(c);
}

static void t_incr_decr(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 1, "INCR n");
    EXPECT_INT(c, 11, "INCRBY n 10");
    EXPECT_INT(c, 10, "DECR n");
    EXPECT_INT(c, -5, "DECRBY n 15");
    EXPECT_INT(c, -10, "INCRBY n -5");
    EXPECT_INT(c, 0, "DECRBY n -10");
    EXPECT_BULK(c, "0", "GET n");
    EXPECT_INT(c, -1, "DECR fresh");
    EXPECT_INT(c, -5, "DECRBY fresh2 5");
    EXPECT_STATUS(c, "OK", "SET n 9223372036854775806");
    EXPECT_INT(c, 9223372036854775807LL, "INCR n");
    EXPECT_ERR(c, "ERR increment or decrement would overflow", "INCR n");
    EXPECT_ERR(c, "ERR increment or decrement would overflow", "INCRBY n 1");
    EXPECT_BULK(c, "9223372036854775807", "GET n");
    EXPECT_STATUS(c, "OK", "SET m -9223372036854775808");
    EXPECT_ERR(c, "ERR increment or decrement would overflow", "DECR m");
    EXPECT_ERR(c, "ERR increment or decrement would overflow", "DECRBY m 1");
    EXPECT_ERR(c, "ERR increment or decrement would overflow", "INCRBY m -1");
    EXPECT_INT(c, -9223372036854775803LL, "DECRBY m -5");
    /* Negating LLONG_MIN is refused before anything else. */
    EXPECT_ERR(c, "ERR decrement would overflow", "DECRBY m -9223372036854775808");
    EXPECT_ERR(c, "ERR decrement would overflow", "DECRBY fresh3 -9223372036854775808");
    EXPECT_INT(c, 0, "EXISTS fresh3");
    /* Only canonical integers: no spaces, no '+', no leading zero, no "-0". */
    static const char *bad[] = {"abc", " 1", "1 ", "+1", "01", "-0", "1.5", "", "12345678901234567890", "0x10"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        EXPECT_STATUS(c, "OK", "SET s %s", bad[i]);
        EXPECT_ERR(c, NOT_INT, "INCR s");
    }
    EXPECT_STATUS(c, "OK", "SET s 5");
    EXPECT_ERR(c, NOT_INT, "INCRBY s abc");
    EXPECT_ERR(c, NOT_INT, "INCRBY s 1.0");
    EXPECT_ERR(c, NOT_INT, "DECRBY s 99999999999999999999");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'incr' command", "INCR");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'incrby' command", "INCRBY s");
    /* INCR keeps the TTL. */
    EXPECT_STATUS(c, "OK", "SET t 1 EX 100");
    EXPECT_INT(c, 2, "INCR t");
    CHECK_RANGE(CMD_INT(c, "TTL t"), 99, 100);
    redisFree(c);
}

static void t_incrbyfloat(void) {
    redisContext *c = fresh();
    /* The examples of the INCRBYFLOAT documentation. */
    EXPECT_STATUS(c, "OK", "SET mykey 10.50");
    EXPECT_BULK(c, "10.6", "INCRBYFLOAT mykey 0.1");
    EXPECT_BULK(c, "5.6", "INCRBYFLOAT mykey -5");
    EXPECT_STATUS(c, "OK", "SET mykey 5.0e3");
    EXPECT_BULK(c, "5200", "INCRBYFLOAT mykey 2.0e2");
    EXPECT_BULK(c, "5200", "GET mykey");
    EXPECT_BULK(c, "3", "INCRBYFLOAT new 3");
    EXPECT_BULK(c, "3.5", "INCRBYFLOAT new 0.5");
    EXPECT_BULK(c, "100000000000000000000", "INCRBYFLOAT big 1e20"); /* never an exponent */
    EXPECT_BULK(c, "0.00001", "INCRBYFLOAT small 1e-5");
    EXPECT_BULK(c, "0", "INCRBYFLOAT zero 0");
    EXPECT_BULK(c, "1.5", "INCRBYFLOAT f 1.5");
    EXPECT_DOUBLE_BULK(c, 1.5, "GET f");
    EXPECT_STATUS(c, "OK", "SET i 1e2");
    EXPECT_BULK(c, "101", "INCRBYFLOAT i 1");
    EXPECT_STATUS(c, "OK", "SET i 7");
    EXPECT_BULK(c, "8.25", "INCRBYFLOAT i 1.25");
    EXPECT_ERR(c, "ERR value is not a valid float", "INCRBYFLOAT i abc");
    EXPECT_ERR(c, "ERR value is not a valid float", "INCRBYFLOAT i nan");
    EXPECT_ERR(c, "ERR value is not a valid float", "INCRBYFLOAT i %s", "");
    EXPECT_ERR(c, "ERR value is not a valid float", "INCRBYFLOAT i %s", " 1");
    EXPECT_ERR(c, "ERR increment would produce NaN or Infinity", "INCRBYFLOAT i inf");
    EXPECT_ERR(c, "ERR increment would produce NaN or Infinity", "INCRBYFLOAT i -inf");
    EXPECT_BULK(c, "8.25", "GET i");
    EXPECT_STATUS(c, "OK", "SET s abc");
    EXPECT_ERR(c, "ERR value is not a valid float", "INCRBYFLOAT s 1");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'incrbyfloat' command", "INCRBYFLOAT i");
    EXPECT_STATUS(c, "OK", "SET t 1 EX 100");
    EXPECT_BULK(c, "2.5", "INCRBYFLOAT t 1.5");
    CHECK_RANGE(CMD_INT(c, "TTL t"), 99, 100);
    redisFree(c);
}

static void t_append_strlen(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 5, "APPEND a Hello");
    EXPECT_INT(c, 11, "APPEND a %s", " World");
    EXPECT_BULK(c, "Hello World", "GET a");
    EXPECT_INT(c, 11, "STRLEN a");
    EXPECT_INT(c, 0, "STRLEN nokey");
    EXPECT_INT(c, 0, "APPEND e %s", "");
    EXPECT_INT(c, 1, "EXISTS e"); /* APPEND of nothing still creates the key */
    EXPECT_STATUS(c, "OK", "SET n 123");
    EXPECT_INT(c, 3, "STRLEN n");
    EXPECT_INT(c, 4, "APPEND n 4");
    EXPECT_BULK(c, "1234", "GET n");
    EXPECT_STATUS(c, "OK", "SET big -9223372036854775808");
    EXPECT_INT(c, 20, "STRLEN big");
    EXPECT_STATUS(c, "OK", "SET t x EX 100");
    EXPECT_INT(c, 2, "APPEND t y");
    CHECK_RANGE(CMD_INT(c, "TTL t"), 99, 100);
    redisFree(c);
}

static void t_getrange_substr(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET a %s", "Hello World");
    EXPECT_BULK(c, "Hello", "GETRANGE a 0 4");
    EXPECT_BULK(c, "World", "GETRANGE a -5 -1");
    EXPECT_BULK(c, "Hello World", "GETRANGE a 0 -1");
    EXPECT_BULK(c, "Hello World", "GETRANGE a -100 100");
    EXPECT_BULK(c, "d", "GETRANGE a 10 10");
    EXPECT_BULK(c, "", "GETRANGE a 5 2");
    EXPECT_BULK(c, "", "GETRANGE a -1 -5");
    EXPECT_BULK(c, "", "GETRANGE a 100 200");
    /* 7.0.15: an end before the start of the string clamps to 0, giving the first byte. */
    EXPECT_BULK(c, "H", "GETRANGE a 0 -100");
    EXPECT_BULK(c, "", "GETRANGE nokey 0 -1");
    EXPECT_STATUS(c, "OK", "SET n 12345");
    EXPECT_BULK(c, "234", "GETRANGE n 1 3");
    EXPECT_BULK(c, "Hello", "SUBSTR a 0 4");
    EXPECT_BULK(c, "World", "SUBSTR a -5 -1");
    EXPECT_ERR(c, NOT_INT, "GETRANGE a x 1");
    EXPECT_ERR(c, NOT_INT, "GETRANGE a 0 1.5");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'getrange' command", "GETRANGE a 0");
    redisFree(c);
}

static void t_setrange(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET a %s", "Hello World");
    EXPECT_INT(c, 11, "SETRANGE a 6 Redis");
    EXPECT_BULK(c, "Hello Redis", "GET a");
    EXPECT_INT(c, 14, "SETRANGE a 11 !!!");
    EXPECT_BULK(c, "Hello Redis!!!", "GET a");
    EXPECT_INT(c, 6, "SETRANGE b 5 x");
    EXPECT_BULK_LEN(c, "\0\0\0\0\0x", 6, "GET b");
    EXPECT_INT(c, 6, "SETRANGE b 1 %s", "yy");
    EXPECT_BULK_LEN(c, "\0yy\0\0x", 6, "GET b");
    EXPECT_INT(c, 8, "SETRANGE b 6 %s", "zz");
    EXPECT_BULK_LEN(c, "\0yy\0\0xzz", 8, "GET b");
    EXPECT_INT(c, 0, "SETRANGE none 5 %s", "");
    EXPECT_INT(c, 0, "EXISTS none"); /* an empty write creates nothing */
    EXPECT_INT(c, 14, "SETRANGE a 100 %s", "");
    EXPECT_STATUS(c, "OK", "SET n 123");
    EXPECT_INT(c, 3, "SETRANGE n 1 9");
    EXPECT_BULK(c, "193", "GET n");
    EXPECT_ERR(c, "ERR offset is out of range", "SETRANGE a -1 x");
    EXPECT_ERR(c, NOT_INT, "SETRANGE a x x");
    EXPECT_ERR(c, "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
               "SETRANGE a 536870912 x");
    EXPECT_ERR(c, "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
               "SETRANGE huge 536870912 x");
    EXPECT_INT(c, 0, "EXISTS huge");
    /* The limit follows proto-max-bulk-len, for SETRANGE and APPEND alike. */
    EXPECT_STATUS(c, "OK", "CONFIG SET proto-max-bulk-len 1mb");
    EXPECT_ERR(c, "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
               "SETRANGE c 1048576 x");
    EXPECT_INT(c, 1048576, "SETRANGE c 1048575 x");
    EXPECT_ERR(c, "ERR string exceeds maximum allowed size (proto-max-bulk-len)", "APPEND c y");
    EXPECT_STATUS(c, "OK", "CONFIG SET proto-max-bulk-len 512mb");
    EXPECT_STATUS(c, "OK", "SET t abc EX 100");
    EXPECT_INT(c, 3, "SETRANGE t 0 x");
    CHECK_RANGE(CMD_INT(c, "TTL t"), 99, 100);
    redisFree(c);
}

static void t_getdel_getset(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET a v EX 100");
    EXPECT_BULK(c, "v", "GETDEL a");
    EXPECT_INT(c, 0, "EXISTS a");
    EXPECT_NIL(c, "GETDEL a");
    EXPECT_NIL(c, "GETSET g 1");
    EXPECT_BULK(c, "1", "GETSET g 2");
    EXPECT_BULK(c, "2", "GET g");
    EXPECT_STATUS(c, "OK", "SET g x EX 100");
    EXPECT_BULK(c, "x", "GETSET g y");
    EXPECT_INT(c, -1, "TTL g"); /* GETSET clears the TTL */
    EXPECT_ERR(c, "ERR wrong number of arguments for 'getdel' command", "GETDEL");
    redisFree(c);
}

static void t_getex(void) {
    redisContext *c = fresh();
    long long now = (long long)time(NULL);
    EXPECT_STATUS(c, "OK", "SET a v");
    EXPECT_BULK(c, "v", "GETEX a");
    EXPECT_INT(c, -1, "TTL a");
    EXPECT_BULK(c, "v", "GETEX a EX 100");
    CHECK_RANGE(CMD_INT(c, "TTL a"), 99, 100);
    EXPECT_BULK(c, "v", "GETEX a PX 5000");
    CHECK_RANGE(CMD_INT(c, "PTTL a"), 4000, 5000);
    EXPECT_BULK(c, "v", "GETEX a EXAT %lld", now + 1000);
    EXPECT_INT(c, now + 1000, "EXPIRETIME a");
    EXPECT_BULK(c, "v", "GETEX a PXAT %lld", now * 1000 + 2000555);
    EXPECT_INT(c, now * 1000 + 2000555, "PEXPIRETIME a");
    EXPECT_BULK(c, "v", "GETEX a PERSIST");
    EXPECT_INT(c, -1, "TTL a");
    EXPECT_BULK(c, "v", "GETEX a EX 10 EX 20"); /* repeating one option is accepted */
    CHECK_RANGE(CMD_INT(c, "TTL a"), 19, 20);
    EXPECT_BULK(c, "v", "getex a persist");
    EXPECT_INT(c, -1, "TTL a");
    EXPECT_ERR(c, "ERR invalid expire time in 'getex' command", "GETEX a EX 0");
    EXPECT_ERR(c, "ERR invalid expire time in 'getex' command", "GETEX a EX -1");
    EXPECT_ERR(c, "ERR invalid expire time in 'getex' command", "GETEX a PX 0");
    EXPECT_ERR(c, "ERR invalid expire time in 'getex' command", "GETEX a EXAT 0");
    EXPECT_ERR(c, "ERR syntax error", "GETEX a EX 10 PX 10");
    EXPECT_ERR(c, "ERR syntax error", "GETEX a PERSIST EX 10");
    EXPECT_ERR(c, "ERR syntax error", "GETEX a EX");
    EXPECT_ERR(c, "ERR syntax error", "GETEX a FOO");
    EXPECT_ERR(c, NOT_INT, "GETEX a EX abc");
    EXPECT_INT(c, -1, "TTL a");
    EXPECT_NIL(c, "GETEX nokey EX 10");
    EXPECT_NIL(c, "GETEX nokey");
    /* A time in the past deletes the key, and the value still comes back. */
    EXPECT_BULK(c, "v", "GETEX a EXAT 1");
    EXPECT_INT(c, 0, "EXISTS a");
    redisFree(c);
}

static void t_lcs(void) {
    redisContext *c = fresh();
    /* The examples of the LCS documentation. */
    EXPECT_STATUS(c, "OK", "MSET key1 ohmytext key2 mynewtext");
    EXPECT_BULK(c, "mytext", "LCS key1 key2");
    EXPECT_INT(c, 6, "LCS key1 key2 LEN");
    redisReply *r = CMD(c, "LCS key1 key2 IDX");
    /* ["matches", [[[4,7],[5,8]], [[2,3],[0,1]]], "len", 6] */
    if (CHECK_REPLY_ARRAY(r, 4)) {
        CHECK_REPLY_BULK(r->element[0], "matches");
        CHECK_REPLY_BULK(r->element[2], "len");
        CHECK_REPLY_INT(r->element[3], 6);
        redisReply *m = r->element[1];
        static const long long want[2][2][2] = {{{4, 7}, {5, 8}}, {{2, 3}, {0, 1}}};
        if (CHECK_REPLY_ARRAY(m, 2))
            for (int i = 0; i < 2; i++)
                if (CHECK_REPLY_ARRAY(m->element[i], 2))
                    for (int j = 0; j < 2; j++)
                        if (CHECK_REPLY_ARRAY(m->element[i]->element[j], 2))
                            for (int k = 0; k < 2; k++)
                                CHECK_REPLY_INT(m->element[i]->element[j]->element[k], want[i][j][k]);
    }
    freeReplyObject(r);
    r = CMD(c, "LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN");
    /* ["matches", [[[4,7],[5,8],4]], "len", 6] */
    if (CHECK_REPLY_ARRAY(r, 4) && CHECK_REPLY_ARRAY(r->element[1], 1)) {
        redisReply *m = r->element[1]->element[0];
        if (CHECK_REPLY_ARRAY(m, 3) && CHECK_REPLY_ARRAY(m->element[0], 2) &&
            CHECK_REPLY_ARRAY(m->element[1], 2)) {
            CHECK_REPLY_INT(m->element[0]->element[0], 4);
            CHECK_REPLY_INT(m->element[0]->element[1], 7);
            CHECK_REPLY_INT(m->element[1]->element[0], 5);
            CHECK_REPLY_INT(m->element[1]->element[1], 8);
            CHECK_REPLY_INT(m->element[2], 4);
        }
        CHECK_REPLY_INT(r->element[3], 6);
    }
    freeReplyObject(r);
    r = CMD(c, "LCS key1 key2 IDX WITHMATCHLEN");
    if (CHECK_REPLY_ARRAY(r, 4) && CHECK_REPLY_ARRAY(r->element[1], 2)) {
        redisReply *m = r->element[1]->element[1];
        if (CHECK_REPLY_ARRAY(m, 3)) CHECK_REPLY_INT(m->element[2], 2);
    }
    freeReplyObject(r);
    /* Ties resolve the way Redis walks its table back from the end. */
    EXPECT_STATUS(c, "OK", "MSET a ab b ba");
    EXPECT_BULK(c, "b", "LCS a b");
    EXPECT_BULK(c, "a", "LCS b a");
    EXPECT_STATUS(c, "OK", "MSET a abcbdab b bdcaba");
    EXPECT_BULK(c, "bdab", "LCS a b");
    EXPECT_BULK(c, "", "LCS key1 nokey");
    EXPECT_INT(c, 0, "LCS nokey nokey2 LEN");
    r = CMD(c, "LCS nokey nokey2 IDX");
    if (CHECK_REPLY_ARRAY(r, 4)) {
        CHECK_REPLY_ARRAY(r->element[1], 0);
        CHECK_REPLY_INT(r->element[3], 0);
    }
    freeReplyObject(r);
    EXPECT_ERR(c, "ERR If you want both the length and indexes, please just use IDX.",
               "LCS key1 key2 LEN IDX");
    EXPECT_ERR(c, "ERR syntax error", "LCS key1 key2 FOO");
    EXPECT_ERR(c, "ERR syntax error", "LCS key1 key2 MINMATCHLEN");
    EXPECT_ERR(c, NOT_INT, "LCS key1 key2 MINMATCHLEN x");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'lcs' command", "LCS key1");
    redisFree(c);
}

static void t_object_encoding(void) {
    redisContext *c = fresh();
    static const struct { const char *value, *enc; } cases[] = {
        {"123", "int"},
        {"-123", "int"},
        {"0", "int"},
        {"9223372036854775807", "int"},
        {"-9223372036854775808", "int"},
        {"9223372036854775808", "embstr"},
        {"0123", "embstr"},
        {"1.5", "embstr"},
        {"hello", "embstr"},
        {"", "embstr"},
        {"12345678901234567890123456789012345678901234", "embstr"},  /* 44 bytes */
        {"123456789012345678901234567890123456789012345", "raw"},    /* 45 bytes */
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "raw"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        EXPECT_STATUS(c, "OK", "SET k %s", cases[i].value);
        char *enc = CMD_STR(c, "OBJECT ENCODING k");
        if (!enc || strcmp(enc, cases[i].enc) != 0)
            test_fail(__FILE__, __LINE__, "OBJECT ENCODING of \"%s\" is %s, expected %s",
                      cases[i].value, enc ? enc : "(null)", cases[i].enc);
        free(enc);
    }
    EXPECT_STATUS(c, "OK", "SET k ab");
    EXPECT_INT(c, 3, "APPEND k c");
    EXPECT_BULK(c, "raw", "OBJECT ENCODING k");
    EXPECT_INT(c, 1, "APPEND ap x"); /* created by APPEND: stored like SET would */
    EXPECT_BULK(c, "embstr", "OBJECT ENCODING ap");
    EXPECT_INT(c, 2, "APPEND ap y");
    EXPECT_BULK(c, "raw", "OBJECT ENCODING ap");
    EXPECT_INT(c, 3, "APPEND ap2 123");
    EXPECT_BULK(c, "int", "OBJECT ENCODING ap2");
    EXPECT_STATUS(c, "OK", "SET k 10");
    EXPECT_INT(c, 11, "INCR k");
    EXPECT_BULK(c, "int", "OBJECT ENCODING k");
    EXPECT_STATUS(c, "OK", "SET k abc");
    EXPECT_INT(c, 3, "SETRANGE k 0 x");
    EXPECT_BULK(c, "raw", "OBJECT ENCODING k");
    EXPECT_BULK(c, "1.5", "INCRBYFLOAT f 1.5");
    EXPECT_BULK(c, "embstr", "OBJECT ENCODING f");
    EXPECT_NIL(c, "OBJECT ENCODING nokey");
    redisFree(c);
}

static void t_binary_safe(void) {
    redisContext *c = fresh();
    const char key[] = "a\0b\r\nc \"d\"";
    size_t klen = sizeof key - 1;
    char val[256 + 4];
    for (int i = 0; i < 256; i++) val[i] = (char)i;
    memcpy(val + 256, "\r\n\0$", 4);
    size_t vlen = sizeof val;
    EXPECT_STATUS(c, "OK", "SET %b %b", key, klen, val, vlen);
    EXPECT_BULK_LEN(c, val, vlen, "GET %b", key, klen);
    EXPECT_INT(c, (long long)vlen, "STRLEN %b", key, klen);
    EXPECT_INT(c, 1, "EXISTS %b", key, klen);
    EXPECT_INT(c, 0, "EXISTS %b", key, (size_t)1); /* "a" is another key */
    EXPECT_BULK_LEN(c, "\r\n\0$", 4, "GETRANGE %b -4 -1", key, klen);
    EXPECT_BULK_LEN(c, "\0\1\2", 3, "GETRANGE %b 0 2", key, klen);
    EXPECT_INT(c, (long long)vlen + 3, "APPEND %b %b", key, klen, "\0\n\0", (size_t)3);
    EXPECT_BULK_LEN(c, "$\0\n\0", 4, "GETRANGE %b -4 -1", key, klen);
    EXPECT_STATUS(c, "OK", "MSET %b %b %b %b", "x\0", (size_t)2, "1\0", (size_t)2, "x\n", (size_t)2,
                  "2\r", (size_t)2);
    redisReply *r = CMD(c, "MGET %b %b %b", "x\0", (size_t)2, "x\n", (size_t)2, "x", (size_t)1);
    if (CHECK_REPLY_ARRAY(r, 3)) {
        CHECK_REPLY_BULK_LEN(r->element[0], "1\0", 2);
        CHECK_REPLY_BULK_LEN(r->element[1], "2\r", 2);
        CHECK_REPLY_NIL(r->element[2]);
    }
    freeReplyObject(r);
    EXPECT_STATUS(c, "OK", "SET %b %b", "", (size_t)0, "empty key", (size_t)9);
    EXPECT_BULK(c, "empty key", "GET %b", "", (size_t)0);
    EXPECT_INT(c, 1, "DEL %b", key, klen);
    EXPECT_NIL(c, "GET %b", key, klen);
    redisFree(c);
}

static void t_big_value(void) {
    redisContext *c = fresh();
    size_t n = 100u * 1024 * 1024;
    char *big = malloc(n);
    for (size_t i = 0; i < n; i++) big[i] = (char)('a' + (i * 7 + i / 4096) % 26);
    EXPECT_STATUS(c, "OK", "SET big %b", big, n);
    EXPECT_INT(c, (long long)n, "STRLEN big");
    EXPECT_BULK_LEN(c, big, n, "GET big");
    EXPECT_BULK_LEN(c, big + n - 10, 10, "GETRANGE big -10 -1");
    EXPECT_INT(c, 1, "DEL big");
    free(big);
    redisFree(c);
}

static void t_stop(void) { CHECK(srv_stop(S)); S = NULL; }

int main(void) {
    test_run("start server", t_start);
    if (!S) return test_summary("strings");
    test_run("GET SET basics", t_get_set_basic);
    test_run("SET EX PX EXAT PXAT", t_set_expire_options);
    test_run("SET NX XX", t_set_nx_xx);
    test_run("SET KEEPTTL", t_set_keepttl);
    test_run("SET GET", t_set_get_option);
    test_run("SET invalid options", t_set_invalid);
    test_run("SETNX SETEX PSETEX", t_setnx_setex_psetex);
    test_run("MGET MSET MSETNX", t_mget_mset_msetnx);
    test_run("INCR DECR INCRBY DECRBY", t_incr_decr);
    test_run("INCRBYFLOAT", t_incrbyfloat);
    test_run("APPEND STRLEN", t_append_strlen);
    test_run("GETRANGE SUBSTR", t_getrange_substr);
    test_run("SETRANGE", t_setrange);
    test_run("GETDEL GETSET", t_getdel_getset);
    test_run("GETEX", t_getex);
    test_run("LCS", t_lcs);
    test_run("OBJECT ENCODING of strings", t_object_encoding);
    test_run("binary keys and values", t_binary_safe);
    test_run("100 MB value", t_big_value);
    test_run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("strings");
}
