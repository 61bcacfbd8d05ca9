/* tests/integration/test_zset.c: the sorted set type against a running server:
 * every registered command and option, exact error texts, WRONGTYPE, scores as
 * Redis 7.0 formats them (RESP2 bulk "%.17g", RESP3 ',' doubles and [member,
 * score] pairs as raw bytes), the listpack -> skiplist conversion at both
 * thresholds, ZSCAN completeness, BZPOPMIN/BZPOPMAX/BZMPOP blocking (served in
 * arrival order, timeouts), generic key commands on sorted sets, a
 * randomized comparison with an in-test model (fixed seed) in both encodings,
 * and ZUNION ZINTER ZDIFF (with their STORE forms and ZINTERCARD): plain sets
 * of every encoding as inputs, inf arithmetic, exact errors, and a randomized
 * comparison with a model over sets and sorted sets mixed.
 *
 * Every expectation was checked against Redis 7.0.15 (CAIRN_TEST_SERVER=/usr/bin/
 * redis-server) except ZRANK/ZREVRANK WITHSCORE, which is Redis 7.2: those
 * checks run only against Cairn (IS_72 below), and Redis 7.0's arity error is
 * expected from it instead. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness.h"

static srv *S;
static bool is_cairn; /* Cairn has Redis 7.2's ZRANK WITHSCORE; Redis 7.0 does not */

#define NOT_INT   "ERR value is not an integer or out of range"
#define NOT_FLOAT "ERR value is not a valid float"
#define WRONGTYPE "WRONGTYPE Operation against a key holding the wrong kind of value"
#define SYNTAX    "ERR syntax error"
#define BAD_SCORE "ERR min or max is not a float"
#define BAD_LEX   "ERR min or max not valid string range item"
#define L(...)    ((const char *[]){__VA_ARGS__})

static redisContext *fresh(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    EXPECT_STATUS(c, "OK", "CONFIG SET zset-max-listpack-entries 128");
    EXPECT_STATUS(c, "OK", "CONFIG SET zset-max-listpack-value 64");
    return c;
}

static void t_start(void) {
    S = srv_start(NULL);
    if (!S) return;
    is_cairn = srv_is_cairn(S);
}

/* A raw socket that has said HELLO 3 (or nothing, for resp 2). */
static int raw_resp(int resp) {
    int fd = raw_connect(S);
    if (resp == 3) {
        size_t len;
        raw_send_str(fd, "HELLO 3\r\n");
        free(raw_read_frame(fd, &len));
    }
    return fd;
}

/* ---------------------------------------------------------------- ZADD ZINCRBY */

static void t_zadd(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 3, "ZADD z 1 a 2 b 3 c");
    EXPECT_INT(c, 0, "ZADD z 10 a");
    EXPECT_BULK(c, "10", "ZSCORE z a");
    EXPECT_INT(c, 1, "ZADD z CH 11 a 2 b");
    EXPECT_INT(c, 2, "ZADD z ch 12 a 1 d");
    /* NX / XX */
    EXPECT_INT(c, 1, "ZADD z NX 100 a 5 e");
    EXPECT_BULK(c, "12", "ZSCORE z a");
    EXPECT_INT(c, 0, "ZADD z XX 20 a 6 f");
    EXPECT_BULK(c, "20", "ZSCORE z a");
    EXPECT_NIL(c, "ZSCORE z f");
    EXPECT_INT(c, 0, "ZADD nokey XX 1 a");
    EXPECT_INT(c, 0, "EXISTS nokey");
    EXPECT_NIL(c, "ZADD nokey XX INCR 1 a");
    /* GT / LT (with CH to see updates) */
    EXPECT_INT(c, 1, "ZADD z GT CH 30 a 1 b");
    EXPECT_BULK(c, "30", "ZSCORE z a");
    EXPECT_BULK(c, "2", "ZSCORE z b");
    EXPECT_INT(c, 3, "ZADD z LT CH 25 a 1 b 7 g");
    EXPECT_BULK(c, "25", "ZSCORE z a");
    EXPECT_BULK(c, "1", "ZSCORE z b");
    EXPECT_INT(c, 0, "ZADD z XX GT CH 1 a 1 newm");
    EXPECT_INT(c, 1, "ZADD z XX LT CH 1 a");
    /* INCR */
    EXPECT_BULK(c, "3.5", "ZADD z INCR 2.5 a");
    EXPECT_BULK(c, "3.5", "ZADD z INCR 0 a");
    EXPECT_NIL(c, "ZADD z NX INCR 1 a");
    EXPECT_NIL(c, "ZADD z GT INCR -1 a");
    EXPECT_NIL(c, "ZADD z GT INCR 0 a");
    EXPECT_BULK(c, "4.5", "ZADD z GT INCR 1 a");
    EXPECT_BULK(c, "7", "ZADD z INCR 7 new");
    EXPECT_BULK(c, "inf", "ZADD z INCR inf new");
    EXPECT_ERR(c, "ERR resulting score is not a number (NaN)", "ZADD z INCR -inf new");
    EXPECT_BULK(c, "inf", "ZSCORE z new");
    /* Errors */
    EXPECT_ERR(c, "ERR wrong number of arguments for 'zadd' command", "ZADD z");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'zadd' command", "ZADD z 1");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'zadd' command", "ZADD z NX");
    EXPECT_ERR(c, SYNTAX, "ZADD z NX 1");
    EXPECT_ERR(c, SYNTAX, "ZADD z 1 a 2");
    EXPECT_ERR(c, SYNTAX, "ZADD z NX XX CH");
    EXPECT_ERR(c, "ERR XX and NX options at the same time are not compatible", "ZADD z NX XX 1 a");
    EXPECT_ERR(c, "ERR GT, LT, and/or NX options at the same time are not compatible",
               "ZADD z GT LT 1 a");
    EXPECT_ERR(c, "ERR GT, LT, and/or NX options at the same time are not compatible",
               "ZADD z NX GT 1 a");
    EXPECT_ERR(c, "ERR GT, LT, and/or NX options at the same time are not compatible",
               "ZADD z LT NX 1 a");
    EXPECT_ERR(c, "ERR INCR option supports a single increment-element pair",
               "ZADD z INCR 1 a 2 b");
    EXPECT_ERR(c, NOT_FLOAT, "ZADD z nan a");
    EXPECT_ERR(c, NOT_FLOAT, "ZADD z 1 a x b");
    EXPECT_ERR(c, NOT_FLOAT, "ZADD z 1x a");
    EXPECT_ERR(c, NOT_FLOAT, "ZADD z '' a");
    /* A failed ZADD changes nothing, even for the pairs before the bad score. */
    EXPECT_NIL(c, "ZSCORE z zz");
    EXPECT_ERR(c, NOT_FLOAT, "ZADD z 1 zz bad yy");
    EXPECT_NIL(c, "ZSCORE z zz");
    /* Scores as strtod reads them. */
    EXPECT_INT(c, 5, "ZADD f 1e3 a .5 b 5. c 0x10 d -inf e");
    EXPECT_ARRAY_STRS(c, L("e", "-inf", "b", "0.5", "c", "5", "d", "16", "a", "1000"), 10,
                      "ZRANGE f 0 -1 WITHSCORES");
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_ERR(c, WRONGTYPE, "ZADD s 1 a");
    redisFree(c);
}

static void t_zincrby(void) {
    redisContext *c = fresh();
    EXPECT_BULK(c, "1", "ZINCRBY z 1 a");
    EXPECT_BULK(c, "3.5", "ZINCRBY z 2.5 a");
    EXPECT_BULK(c, "1.1000000000000001", "ZINCRBY z 1.1 b");
    EXPECT_BULK(c, "inf", "ZINCRBY z inf a");
    EXPECT_ERR(c, "ERR resulting score is not a number (NaN)", "ZINCRBY z -inf a");
    EXPECT_ERR(c, NOT_FLOAT, "ZINCRBY z x a");
    EXPECT_ERR(c, NOT_FLOAT, "ZINCRBY z nan a");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'zincrby' command", "ZINCRBY z 1");
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_ERR(c, WRONGTYPE, "ZINCRBY s 1 a");
    redisFree(c);
}

/* ---------------------------------------------------------------- reading */

static void t_scores(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 6, "ZADD z 0.1 a -0 b inf c 1e17 d 3 e 1e-20 f");
    /* Redis 7.0's "%.17g". A listpack keeps -0 as the integer 0. */
    EXPECT_BULK(c, "0.10000000000000001", "ZSCORE z a");
    EXPECT_BULK(c, "0", "ZSCORE z b");
    EXPECT_BULK(c, "inf", "ZSCORE z c");
    EXPECT_BULK(c, "1e+17", "ZSCORE z d");
    EXPECT_BULK(c, "9.9999999999999995e-21", "ZSCORE z f");
    EXPECT_NIL(c, "ZSCORE z nope");
    EXPECT_NIL(c, "ZSCORE nokey a");
    EXPECT_ARRAY_STRS(c, L("0.10000000000000001", NULL, "3"), 3, "ZMSCORE z a nope e");
    EXPECT_ARRAY_STRS(c, L(NULL, NULL), 2, "ZMSCORE nokey a b");
    EXPECT_INT(c, 6, "ZCARD z");
    EXPECT_INT(c, 0, "ZCARD nokey");
    /* A skiplist keeps -0. */
    EXPECT_STATUS(c, "OK", "CONFIG SET zset-max-listpack-entries 0");
    EXPECT_INT(c, 2, "ZADD sk -0 a 0.1 b");
    EXPECT_BULK(c, "skiplist", "OBJECT ENCODING sk");
    EXPECT_BULK(c, "-0", "ZSCORE sk a");
    EXPECT_BULK(c, "0.10000000000000001", "ZSCORE sk b");
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_ERR(c, WRONGTYPE, "ZSCORE s a");
    EXPECT_ERR(c, WRONGTYPE, "ZMSCORE s a");
    EXPECT_ERR(c, WRONGTYPE, "ZCARD s");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'zmscore' command", "ZMSCORE z");
    redisFree(c);
}

static void t_count(void) {
    redisContext *c = fresh();
    for (int enc = 0; enc < 2; enc++) {
        EXPECT_STATUS(c, "OK", "FLUSHALL");
        if (enc) EXPECT_STATUS(c, "OK", "CONFIG SET zset-max-listpack-entries 0");
        EXPECT_INT(c, 5, "ZADD z 1 a 2 b 3 c 4 d 5 e");
        EXPECT_INT(c, 5, "ZCOUNT z -inf +inf");
        EXPECT_INT(c, 3, "ZCOUNT z 2 4");
        EXPECT_INT(c, 1, "ZCOUNT z (2 (4");
        EXPECT_INT(c, 0, "ZCOUNT z (2 (2");
        EXPECT_INT(c, 0, "ZCOUNT z 4 2");
        EXPECT_INT(c, 2, "ZCOUNT z (3 inf");
        EXPECT_INT(c, 0, "ZCOUNT nokey 0 1");
        EXPECT_ERR(c, BAD_SCORE, "ZCOUNT z x 1");
        EXPECT_ERR(c, BAD_SCORE, "ZCOUNT z 1 nan");
        EXPECT_ERR(c, BAD_SCORE, "ZCOUNT z [1 2");
        EXPECT_INT(c, 3, "ZADD l 0 a 0 b 0 c");
        EXPECT_INT(c, 5, "ZLEXCOUNT z - +");
        EXPECT_INT(c, 3, "ZLEXCOUNT l - +");
        EXPECT_INT(c, 2, "ZLEXCOUNT l [b +");
        EXPECT_INT(c, 1, "ZLEXCOUNT l (a (c");
        EXPECT_INT(c, 0, "ZLEXCOUNT l + -");
        EXPECT_INT(c, 0, "ZLEXCOUNT l (b (b");
        EXPECT_INT(c, 0, "ZLEXCOUNT nokey - +");
        EXPECT_ERR(c, BAD_LEX, "ZLEXCOUNT l a b");
        EXPECT_ERR(c, BAD_LEX, "ZLEXCOUNT l [a ''");
    }
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_ERR(c, WRONGTYPE, "ZCOUNT s 0 1");
    EXPECT_ERR(c, WRONGTYPE, "ZLEXCOUNT s - +");
    redisFree(c);
}

/* ---------------------------------------------------------------- ranges */

static void t_zrange(void) {
    redisContext *c = fresh();
    for (int enc = 0; enc < 2; enc++) {
        EXPECT_STATUS(c, "OK", "FLUSHALL");
        if (enc) EXPECT_STATUS(c, "OK", "CONFIG SET zset-max-listpack-entries 0");
        EXPECT_INT(c, 5, "ZADD z 1 a 2 b 3 c 4 d 5 e");
        EXPECT_BULK(c, enc ? "skiplist" : "listpack", "OBJECT ENCODING z");
        /* by rank */
        EXPECT_ARRAY_STRS(c, L("a", "b", "c", "d", "e"), 5, "ZRANGE z 0 -1");
        EXPECT_ARRAY_STRS(c, L("b", "c"), 2, "ZRANGE z 1 2");
        EXPECT_ARRAY_STRS(c, L("d", "e"), 2, "ZRANGE z -2 100");
        EXPECT_ARRAY_STRS(c, L("a"), 1, "ZRANGE z -100 0");
        EXPECT_ARRAY_STRS(c, L(NULL), 0, "ZRANGE z 3 1");
        EXPECT_ARRAY_STRS(c, L(NULL), 0, "ZRANGE z 5 10");
        EXPECT_ARRAY_STRS(c, L("a", "1", "b", "2"), 4, "ZRANGE z 0 1 WITHSCORES");
        EXPECT_ARRAY_STRS(c, L("a", "1"), 2, "ZRANGE z 0 0 WITHSCORES WITHSCORES");
        EXPECT_ARRAY_STRS(c, L("e", "d", "c"), 3, "ZRANGE z 0 2 REV");
        EXPECT_ARRAY_STRS(c, L("e", "5", "d", "4"), 4, "ZREVRANGE z 0 1 WITHSCORES");
        EXPECT_ARRAY_STRS(c, L("b", "a"), 2, "ZREVRANGE z -2 -1");
        /* by score */
        EXPECT_ARRAY_STRS(c, L("b", "c", "d"), 3, "ZRANGE z 2 4 BYSCORE");
        EXPECT_ARRAY_STRS(c, L("c"), 1, "ZRANGE z (2 (4 BYSCORE");
        EXPECT_ARRAY_STRS(c, L("a", "b", "c", "d", "e"), 5, "ZRANGE z -inf +inf BYSCORE");
        EXPECT_ARRAY_STRS(c, L(NULL), 0, "ZRANGE z (1 (1 BYSCORE");
        EXPECT_ARRAY_STRS(c, L("d", "c", "b"), 3, "ZRANGE z 4 2 BYSCORE REV");
        EXPECT_ARRAY_STRS(c, L("c", "b"), 2, "ZRANGE z 4 2 BYSCORE REV LIMIT 1 5");
        EXPECT_ARRAY_STRS(c, L("b", "2", "c", "3"), 4,
                          "ZRANGE z 0 10 BYSCORE LIMIT 1 2 WITHSCORES");
        EXPECT_ARRAY_STRS(c, L("b", "c", "d", "e"), 4, "ZRANGE z 0 10 BYSCORE LIMIT 1 -1");
        EXPECT_ARRAY_STRS(c, L(NULL), 0, "ZRANGE z 0 10 BYSCORE LIMIT -1 1");
        EXPECT_ARRAY_STRS(c, L(NULL), 0, "ZRANGE z 0 10 BYSCORE LIMIT 0 0");
        EXPECT_ARRAY_STRS(c, L(NULL), 0, "ZRANGE z 0 10 BYSCORE LIMIT 9 1");
        EXPECT_ARRAY_STRS(c, L("a", "1"), 2, "ZRANGEBYSCORE z -inf (2 WITHSCORES");
        EXPECT_ARRAY_STRS(c, L("c", "d"), 2, "ZRANGEBYSCORE z 2 +inf LIMIT 1 2");
        EXPECT_ARRAY_STRS(c, L("e", "5", "d", "4"), 4, "ZREVRANGEBYSCORE z +inf (3 WITHSCORES");
        EXPECT_ARRAY_STRS(c, L("c"), 1, "ZREVRANGEBYSCORE z +inf -inf LIMIT 2 1");
        /* by lex (equal scores) */
        EXPECT_INT(c, 6, "ZADD l 0 a 0 b 0 c 0 d 0 e 0 f");
        EXPECT_ARRAY_STRS(c, L("a", "b", "c"), 3, "ZRANGE l - [c BYLEX");
        EXPECT_ARRAY_STRS(c, L("a", "b"), 2, "ZRANGE l - (c BYLEX");
        EXPECT_ARRAY_STRS(c, L("d", "e", "f"), 3, "ZRANGE l (c + BYLEX");
        EXPECT_ARRAY_STRS(c, L("f", "e"), 2, "ZRANGE l + [e BYLEX REV");
        EXPECT_ARRAY_STRS(c, L("e", "d"), 2, "ZRANGE l + - BYLEX REV LIMIT 1 2");
        EXPECT_ARRAY_STRS(c, L(NULL), 0, "ZRANGE l + - BYLEX");
        EXPECT_ARRAY_STRS(c, L("b", "c"), 2, "ZRANGEBYLEX l [b [c");
        EXPECT_ARRAY_STRS(c, L("c"), 1, "ZRANGEBYLEX l [b [c LIMIT 1 10");
        EXPECT_ARRAY_STRS(c, L("c", "b"), 2, "ZREVRANGEBYLEX l [c [b");
        EXPECT_ARRAY_STRS(c, L("f"), 1, "ZREVRANGEBYLEX l + - LIMIT 0 1");
        EXPECT_ARRAY_STRS(c, L(NULL), 0, "ZRANGE nokey 0 -1");
        EXPECT_ARRAY_STRS(c, L(NULL), 0, "ZRANGEBYLEX nokey - +");
    }
    /* Errors: options first, then the range, then the key. */
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_ERR(c, "ERR syntax error, LIMIT is only supported in combination with either BYSCORE "
                  "or BYLEX",
               "ZRANGE z 0 -1 LIMIT 0 1");
    EXPECT_ERR(c, "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
               "ZRANGE z - + BYLEX WITHSCORES");
    EXPECT_ERR(c, "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
               "ZRANGEBYLEX z - + WITHSCORES");
    EXPECT_ERR(c, NOT_INT, "ZRANGE z a b");
    EXPECT_ERR(c, BAD_SCORE, "ZRANGE z a b BYSCORE");
    EXPECT_ERR(c, BAD_LEX, "ZRANGE z a b BYLEX");
    EXPECT_ERR(c, SYNTAX, "ZRANGE z 0 1 BYSCORE BYLEX");
    EXPECT_ERR(c, SYNTAX, "ZRANGE z 0 1 BYSCORE BYSCORE");
    EXPECT_ERR(c, SYNTAX, "ZRANGE z 0 1 REV REV");
    EXPECT_ERR(c, SYNTAX, "ZRANGE z 0 1 BYSCORE LIMIT 0");
    EXPECT_ERR(c, SYNTAX, "ZRANGE z 0 1 foo");
    EXPECT_ERR(c, SYNTAX, "ZRANGE s a b foo");
    EXPECT_ERR(c, NOT_INT, "ZRANGE z 0 1 BYSCORE LIMIT x 1");
    EXPECT_ERR(c, NOT_INT, "ZRANGE z 0 1 BYSCORE LIMIT 0 x");
    EXPECT_ERR(c, SYNTAX, "ZRANGEBYSCORE z 0 1 BYSCORE");
    EXPECT_ERR(c, SYNTAX, "ZRANGEBYSCORE z 0 1 REV");
    EXPECT_ERR(c, SYNTAX, "ZREVRANGE z 0 1 BYSCORE");
    EXPECT_ERR(c, "ERR syntax error, LIMIT is only supported in combination with either BYSCORE "
                  "or BYLEX",
               "ZREVRANGE z 0 1 LIMIT 0 1");
    EXPECT_ERR(c, SYNTAX, "ZREVRANGE z 0 1 LIMIT 0");
    EXPECT_ERR(c, BAD_SCORE, "ZRANGE s a b BYSCORE");
    EXPECT_ERR(c, WRONGTYPE, "ZRANGE s 0 1");
    EXPECT_ERR(c, WRONGTYPE, "ZRANGEBYSCORE s 0 1");
    EXPECT_ERR(c, WRONGTYPE, "ZREVRANGEBYLEX s + -");
    EXPECT_ERR(c, WRONGTYPE, "ZREVRANGE s 0 1");
    redisFree(c);
}

static void t_zrangestore(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 5, "ZADD z 1 a 2 b 3 c 4 d 5 e");
    EXPECT_INT(c, 3, "ZRANGESTORE d z 0 2");
    EXPECT_ARRAY_STRS(c, L("a", "1", "b", "2", "c", "3"), 6, "ZRANGE d 0 -1 WITHSCORES");
    EXPECT_INT(c, 2, "ZRANGESTORE d z 5 3 BYSCORE REV LIMIT 1 2");
    EXPECT_ARRAY_STRS(c, L("c", "3", "d", "4"), 4, "ZRANGE d 0 -1 WITHSCORES");
    EXPECT_INT(c, 2, "ZADD l 0 x 0 y");
    EXPECT_INT(c, 1, "ZRANGESTORE d l (x + BYLEX");
    EXPECT_ARRAY_STRS(c, L("y"), 1, "ZRANGE d 0 -1");
    /* An empty result deletes the destination, of any type. */
    EXPECT_STATUS(c, "OK", "SET str v");
    EXPECT_INT(c, 0, "ZRANGESTORE str z 10 20");
    EXPECT_INT(c, 0, "EXISTS str");
    EXPECT_INT(c, 0, "ZRANGESTORE d nokey 0 -1");
    EXPECT_INT(c, 0, "EXISTS d");
    /* Overwrites any type and drops the TTL; may store onto its source. */
    EXPECT_STATUS(c, "OK", "SET str v EX 100");
    EXPECT_INT(c, 5, "ZRANGESTORE str z 0 -1");
    EXPECT_STATUS(c, "zset", "TYPE str");
    EXPECT_INT(c, -1, "TTL str");
    EXPECT_INT(c, 2, "ZRANGESTORE z z 0 1 REV");
    EXPECT_ARRAY_STRS(c, L("d", "e"), 2, "ZRANGE z 0 -1");
    /* The result's encoding follows its size. */
    EXPECT_STATUS(c, "OK", "CONFIG SET zset-max-listpack-entries 3");
    EXPECT_INT(c, 5, "ZRANGESTORE big str 0 -1");
    EXPECT_BULK(c, "skiplist", "OBJECT ENCODING big");
    EXPECT_INT(c, 3, "ZRANGESTORE small big 0 2");
    EXPECT_BULK(c, "listpack", "OBJECT ENCODING small");
    EXPECT_ERR(c, SYNTAX, "ZRANGESTORE d z 0 -1 WITHSCORES");
    EXPECT_ERR(c, "ERR syntax error, LIMIT is only supported in combination with either BYSCORE "
                  "or BYLEX",
               "ZRANGESTORE d z 0 -1 LIMIT 0 1");
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_ERR(c, WRONGTYPE, "ZRANGESTORE d s 0 -1");
    EXPECT_INT(c, 3, "ZRANGESTORE s small 0 -1");
    redisFree(c);
}

static void t_zrank(void) {
    redisContext *c = fresh();
    for (int enc = 0; enc < 2; enc++) {
        EXPECT_STATUS(c, "OK", "FLUSHALL");
        if (enc) EXPECT_STATUS(c, "OK", "CONFIG SET zset-max-listpack-entries 0");
        EXPECT_INT(c, 3, "ZADD z 1 a 2 b 3 c");
        EXPECT_INT(c, 0, "ZRANK z a");
        EXPECT_INT(c, 2, "ZRANK z c");
        EXPECT_INT(c, 2, "ZREVRANK z a");
        EXPECT_INT(c, 0, "ZREVRANK z c");
        EXPECT_NIL(c, "ZRANK z nope");
        EXPECT_NIL(c, "ZRANK nokey a");
        EXPECT_NIL(c, "ZREVRANK z nope");
        if (is_cairn) { /* Redis 7.2: WITHSCORE */
            redisReply *r = CMD(c, "ZRANK z b WITHSCORE");
            if (CHECK_REPLY_ARRAY(r, 2)) {
                CHECK_REPLY_INT(r->element[0], 1);
                CHECK_REPLY_BULK(r->element[1], "2");
            }
            if (r) freeReplyObject(r);
            r = CMD(c, "ZREVRANK z a withscore");
            if (CHECK_REPLY_ARRAY(r, 2)) {
                CHECK_REPLY_INT(r->element[0], 2);
                CHECK_REPLY_BULK(r->element[1], "1");
            }
            if (r) freeReplyObject(r);
            EXPECT_NIL(c, "ZRANK z nope WITHSCORE");
            EXPECT_ERR(c, SYNTAX, "ZRANK z a foo");
            EXPECT_ERR(c, "ERR wrong number of arguments for 'zrank' command",
                       "ZRANK z a WITHSCORE x");
        } else { /* Redis 7.0: arity 3 */
            EXPECT_ERR(c, "ERR wrong number of arguments for 'zrank' command",
                       "ZRANK z a WITHSCORE");
        }
    }
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_ERR(c, WRONGTYPE, "ZRANK s a");
    EXPECT_ERR(c, WRONGTYPE, "ZREVRANK s a");
    redisFree(c);
}

/* ---------------------------------------------------------------- removing */

static void t_zrem(void) {
    redisContext *c = fresh();
    for (int enc = 0; enc < 2; enc++) {
        EXPECT_STATUS(c, "OK", "FLUSHALL");
        if (enc) EXPECT_STATUS(c, "OK", "CONFIG SET zset-max-listpack-entries 0");
        EXPECT_INT(c, 5, "ZADD z 1 a 2 b 3 c 4 d 5 e");
        EXPECT_INT(c, 2, "ZREM z a c nope a");
        EXPECT_ARRAY_STRS(c, L("b", "d", "e"), 3, "ZRANGE z 0 -1");
        EXPECT_INT(c, 0, "ZREM nokey a");
        EXPECT_INT(c, 3, "ZREM z b d e");
        EXPECT_INT(c, 0, "EXISTS z");
        /* ZREMRANGEBYRANK */
        EXPECT_INT(c, 5, "ZADD z 1 a 2 b 3 c 4 d 5 e");
        EXPECT_INT(c, 2, "ZREMRANGEBYRANK z 1 2");
        EXPECT_ARRAY_STRS(c, L("a", "d", "e"), 3, "ZRANGE z 0 -1");
        EXPECT_INT(c, 0, "ZREMRANGEBYRANK z 5 10");
        EXPECT_INT(c, 1, "ZREMRANGEBYRANK z -1 -1");
        EXPECT_INT(c, 2, "ZREMRANGEBYRANK z -100 100");
        EXPECT_INT(c, 0, "EXISTS z");
        EXPECT_INT(c, 0, "ZREMRANGEBYRANK nokey 0 -1");
        /* ZREMRANGEBYSCORE */
        EXPECT_INT(c, 5, "ZADD z 1 a 2 b 3 c 4 d 5 e");
        EXPECT_INT(c, 2, "ZREMRANGEBYSCORE z (1 3");
        EXPECT_INT(c, 0, "ZREMRANGEBYSCORE z 10 +inf");
        EXPECT_INT(c, 0, "ZREMRANGEBYSCORE z 3 1");
        EXPECT_ARRAY_STRS(c, L("a", "d", "e"), 3, "ZRANGE z 0 -1");
        EXPECT_INT(c, 3, "ZREMRANGEBYSCORE z -inf +inf");
        EXPECT_INT(c, 0, "EXISTS z");
        /* ZREMRANGEBYLEX */
        EXPECT_INT(c, 5, "ZADD z 0 a 0 b 0 c 0 d 0 e");
        EXPECT_INT(c, 2, "ZREMRANGEBYLEX z (a [c");
        EXPECT_INT(c, 0, "ZREMRANGEBYLEX z + -");
        EXPECT_ARRAY_STRS(c, L("a", "d", "e"), 3, "ZRANGE z 0 -1");
        EXPECT_INT(c, 3, "ZREMRANGEBYLEX z - +");
        EXPECT_INT(c, 0, "EXISTS z");
    }
    EXPECT_ERR(c, NOT_INT, "ZREMRANGEBYRANK z x 1");
    EXPECT_ERR(c, BAD_SCORE, "ZREMRANGEBYSCORE z x 1");
    EXPECT_ERR(c, BAD_LEX, "ZREMRANGEBYLEX z x 1");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'zrem' command", "ZREM z");
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_ERR(c, WRONGTYPE, "ZREM s a");
    EXPECT_ERR(c, WRONGTYPE, "ZREMRANGEBYRANK s 0 1");
    EXPECT_ERR(c, WRONGTYPE, "ZREMRANGEBYSCORE s 0 1");
    EXPECT_ERR(c, WRONGTYPE, "ZREMRANGEBYLEX s - +");
    redisFree(c);
}

/* ---------------------------------------------------------------- popping */

static void t_zpop(void) {
    redisContext *c = fresh();
    for (int enc = 0; enc < 2; enc++) {
        EXPECT_STATUS(c, "OK", "FLUSHALL");
        if (enc) EXPECT_STATUS(c, "OK", "CONFIG SET zset-max-listpack-entries 0");
        EXPECT_INT(c, 5, "ZADD z 1 a 2 b 3 c 4 d 5 e");
        EXPECT_ARRAY_STRS(c, L("a", "1"), 2, "ZPOPMIN z");
        EXPECT_ARRAY_STRS(c, L("e", "5"), 2, "ZPOPMAX z");
        EXPECT_ARRAY_STRS(c, L("b", "2", "c", "3"), 4, "ZPOPMIN z 2");
        EXPECT_ARRAY_STRS(c, L(NULL), 0, "ZPOPMIN z 0");
        EXPECT_ARRAY_STRS(c, L("d", "4"), 2, "ZPOPMAX z 10");
        EXPECT_INT(c, 0, "EXISTS z");
        EXPECT_ARRAY_STRS(c, L(NULL), 0, "ZPOPMIN z");
        EXPECT_ARRAY_STRS(c, L(NULL), 0, "ZPOPMAX nokey 3");
        /* ZMPOP */
        EXPECT_INT(c, 3, "ZADD z2 1 a 2 b 3 c");
        redisReply *r = CMD(c, "ZMPOP 2 nokey z2 MAX COUNT 2");
        if (CHECK_REPLY_ARRAY(r, 2)) {
            CHECK_REPLY_BULK(r->element[0], "z2");
            if (CHECK_REPLY_ARRAY(r->element[1], 2)) {
                CHECK_REPLY_STRS(r->element[1]->element[0], L("c", "3"), 2);
                CHECK_REPLY_STRS(r->element[1]->element[1], L("b", "2"), 2);
            }
        }
        if (r) freeReplyObject(r);
        r = CMD(c, "ZMPOP 1 z2 MIN");
        if (CHECK_REPLY_ARRAY(r, 2) && CHECK_REPLY_ARRAY(r->element[1], 1))
            CHECK_REPLY_STRS(r->element[1]->element[0], L("a", "1"), 2);
        if (r) freeReplyObject(r);
        EXPECT_INT(c, 0, "EXISTS z2");
        EXPECT_NIL(c, "ZMPOP 2 z2 nokey MIN");
    }
    EXPECT_ERR(c, "ERR value is out of range, must be positive", "ZPOPMIN z -1");
    EXPECT_ERR(c, "ERR value is out of range, must be positive", "ZPOPMIN z x");
    EXPECT_ERR(c, SYNTAX, "ZPOPMIN z 1 2");
    EXPECT_ERR(c, "ERR numkeys should be greater than 0", "ZMPOP 0 z MIN");
    EXPECT_ERR(c, "ERR numkeys should be greater than 0", "ZMPOP x z MIN");
    EXPECT_ERR(c, SYNTAX, "ZMPOP 1 z MID");
    EXPECT_ERR(c, SYNTAX, "ZMPOP 2 z MIN");
    EXPECT_ERR(c, "ERR count should be greater than 0", "ZMPOP 1 z MIN COUNT 0");
    EXPECT_ERR(c, SYNTAX, "ZMPOP 1 z MIN COUNT 1 COUNT 1");
    EXPECT_ERR(c, SYNTAX, "ZMPOP 1 z MIN COUNT");
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_ERR(c, WRONGTYPE, "ZPOPMIN s");
    EXPECT_ERR(c, WRONGTYPE, "ZMPOP 1 s MIN");
    redisFree(c);
}

static void t_zrandmember(void) {
    redisContext *c = fresh();
    for (int enc = 0; enc < 2; enc++) {
        EXPECT_STATUS(c, "OK", "FLUSHALL");
        if (enc) EXPECT_STATUS(c, "OK", "CONFIG SET zset-max-listpack-entries 0");
        EXPECT_INT(c, 5, "ZADD z 1 a 2 b 3 c 4 d 5 e");
        static const char *const names = "abcde";
        for (int i = 0; i < 20; i++) {
            char *m = CMD_STR(c, "ZRANDMEMBER z");
            CHECK(m && strlen(m) == 1 && strchr(names, m[0]));
            free(m);
        }
        EXPECT_NIL(c, "ZRANDMEMBER nokey");
        EXPECT_ARRAY_STRS(c, L(NULL), 0, "ZRANDMEMBER nokey 5");
        EXPECT_ARRAY_STRS(c, L(NULL), 0, "ZRANDMEMBER z 0");
        /* Distinct: all of them, in any order, when count >= size. */
        EXPECT_ARRAY_UNORDERED(c, L("a", "b", "c", "d", "e"), 5, "ZRANDMEMBER z 10");
        for (int count = 1; count <= 4; count++) {
            redisReply *r = CMD(c, "ZRANDMEMBER z %d WITHSCORES", count);
            if (CHECK_REPLY_ARRAY(r, 2 * count)) {
                for (int i = 0; i < count; i++) {
                    const char *m = r->element[2 * i]->str;
                    CHECK(strlen(m) == 1 && strchr(names, m[0]));
                    char exp[2] = {(char)('1' + (m[0] - 'a')), 0};
                    CHECK_REPLY_BULK(r->element[2 * i + 1], exp);
                    for (int j = 0; j < i; j++) CHECK(strcmp(r->element[2 * j]->str, m) != 0);
                }
            }
            if (r) freeReplyObject(r);
        }
        /* Negative: repeats allowed, exactly -count of them. */
        redisReply *r = CMD(c, "ZRANDMEMBER z -30");
        CHECK_REPLY_ARRAY(r, 30);
        if (r) freeReplyObject(r);
        r = CMD(c, "ZRANDMEMBER z -3 WITHSCORES");
        CHECK_REPLY_ARRAY(r, 6);
        if (r) freeReplyObject(r);
    }
    EXPECT_ERR(c, NOT_INT, "ZRANDMEMBER z x");
    EXPECT_ERR(c, SYNTAX, "ZRANDMEMBER z 1 foo");
    EXPECT_ERR(c, SYNTAX, "ZRANDMEMBER z 1 WITHSCORES x");
    EXPECT_ERR(c, "ERR value is out of range, value must between -9223372036854775807 and "
                  "9223372036854775807",
               "ZRANDMEMBER z -9223372036854775808");
    EXPECT_ERR(c, "ERR value is out of range", "ZRANDMEMBER z 9223372036854775807 WITHSCORES");
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_ERR(c, WRONGTYPE, "ZRANDMEMBER s");
    EXPECT_ERR(c, WRONGTYPE, "ZRANDMEMBER s 1");
    redisFree(c);
}

/* ---------------------------------------------------------------- ZSCAN */

static void t_zscan(void) {
    redisContext *c = fresh();
    /* A listpack: everything at once, scores as stored. */
    EXPECT_INT(c, 4, "ZADD z 0.1 a 1e17 b 3 c 1.5 d");
    redisReply *r = CMD(c, "ZSCAN z 0");
    if (CHECK_REPLY_ARRAY(r, 2)) {
        CHECK_REPLY_BULK(r->element[0], "0");
        CHECK_REPLY_STRS(r->element[1],
                         L("a", "0.10000000000000001", "d", "1.5", "c", "3", "b",
                           "100000000000000000"),
                         8);
    }
    if (r) freeReplyObject(r);
    r = CMD(c, "ZSCAN z 0 MATCH [ab] COUNT 1");
    if (CHECK_REPLY_ARRAY(r, 2))
        CHECK_REPLY_STRS(r->element[1], L("a", "0.10000000000000001", "b", "100000000000000000"), 4);
    if (r) freeReplyObject(r);
    r = CMD(c, "ZSCAN nokey 0");
    if (CHECK_REPLY_ARRAY(r, 2)) {
        CHECK_REPLY_BULK(r->element[0], "0");
        CHECK_REPLY_ARRAY(r->element[1], 0);
    }
    if (r) freeReplyObject(r);
    EXPECT_ERR(c, "ERR invalid cursor", "ZSCAN z x");
    EXPECT_ERR(c, SYNTAX, "ZSCAN z 0 COUNT 0");
    EXPECT_ERR(c, SYNTAX, "ZSCAN z 0 FOO");
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_ERR(c, WRONGTYPE, "ZSCAN s 0");

    /* A skiplist: every member exactly as ZSCORE says, over several calls. */
    enum { N = 1000 };
    for (int i = 0; i < N; i += 100) {
        const char *argv[202];
        size_t lens[202];
        static char bufs[200][16];
        argv[0] = "ZADD", argv[1] = "big";
        for (int k = 0; k < 100; k++) {
            snprintf(bufs[2 * k], 16, "%d.5", i + k);
            snprintf(bufs[2 * k + 1], 16, "m%d", i + k);
            argv[2 + 2 * k] = bufs[2 * k];
            argv[3 + 2 * k] = bufs[2 * k + 1];
        }
        for (int k = 0; k < 202; k++) lens[k] = strlen(argv[k]);
        redisReply *rr = CMD_ARGV(c, 202, argv, lens);
        CHECK_REPLY_INT(rr, 100);
        if (rr) freeReplyObject(rr);
    }
    EXPECT_BULK(c, "skiplist", "OBJECT ENCODING big");
    static bool seen[N];
    memset(seen, 0, sizeof seen);
    char cursor[32] = "0";
    int calls = 0;
    do {
        r = CMD(c, "ZSCAN big %s COUNT 50", cursor);
        if (!CHECK_REPLY_ARRAY(r, 2)) break;
        snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
        redisReply *e = r->element[1];
        CHECK(e->elements % 2 == 0);
        for (size_t i = 0; i + 1 < e->elements; i += 2) {
            int k = atoi(e->element[i]->str + 1);
            CHECK(k >= 0 && k < N);
            if (k < 0 || k >= N) continue;
            seen[k] = true;
            char exp[32];
            snprintf(exp, sizeof exp, "%d.5", k);
            CHECK_REPLY_BULK(e->element[i + 1], exp);
        }
        freeReplyObject(r);
        calls++;
    } while (strcmp(cursor, "0") != 0 && calls < 10000);
    CHECK(calls > 1);
    for (int k = 0; k < N; k++) CHECK(seen[k]);
    r = CMD(c, "ZSCAN big 0 MATCH m99* COUNT 10000");
    if (CHECK_REPLY_ARRAY(r, 2)) CHECK_REPLY_ARRAY(r->element[1], 2 * 11);
    if (r) freeReplyObject(r);
    redisFree(c);
}

/* ---------------------------------------------------------------- RESP3 */

static void t_resp3(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 3, "ZADD z 0.1 a 2 b inf c");
    redisFree(c);
    int fd = raw_resp(3);
    raw_send_str(fd, "ZSCORE z a\r\nZSCORE z c\r\nZSCORE z nope\r\nZSCORE nokey a\r\n");
    raw_expect_str(fd, ",0.10000000000000001\r\n,inf\r\n_\r\n_\r\n");
    raw_send_str(fd, "ZRANGE z 0 1 WITHSCORES\r\n");
    raw_expect_str(fd, "*2\r\n*2\r\n$1\r\na\r\n,0.10000000000000001\r\n*2\r\n$1\r\nb\r\n,2\r\n");
    raw_send_str(fd, "ZRANGE z 0 1\r\nZRANGE nokey 0 -1 WITHSCORES\r\n");
    raw_expect_str(fd, "*2\r\n$1\r\na\r\n$1\r\nb\r\n*0\r\n");
    raw_send_str(fd, "ZRANGEBYSCORE z (1 +inf WITHSCORES LIMIT 0 1\r\n");
    raw_expect_str(fd, "*1\r\n*2\r\n$1\r\nb\r\n,2\r\n");
    raw_send_str(fd, "ZMSCORE z a nope\r\nZINCRBY z 1 b\r\nZADD z INCR 1 b\r\nZADD z NX INCR 1 b\r\n");
    raw_expect_str(fd, "*2\r\n,0.10000000000000001\r\n_\r\n,3\r\n,4\r\n_\r\n");
    raw_send_str(fd, "ZRANDMEMBER z -1 WITHSCORES\r\n");
    size_t len;
    char *f = raw_read_frame(fd, &len);
    CHECK(f && strncmp(f, "*1\r\n*2\r\n$1\r\n", 12) == 0 && f[13] == '\r' && f[15] == ',');
    free(f);
    raw_send_str(fd, "ZSCAN z 0\r\n");
    raw_expect_str(fd, "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$19\r\n0.10000000000000001\r\n$1\r\nb\r\n"
                       "$1\r\n4\r\n$1\r\nc\r\n$3\r\ninf\r\n");
    raw_send_str(fd, "ZPOPMIN z\r\nZPOPMAX z 1\r\nZPOPMIN nokey\r\n");
    raw_expect_str(fd, "*2\r\n$1\r\na\r\n,0.10000000000000001\r\n*1\r\n*2\r\n$1\r\nc\r\n,inf\r\n*0\r\n");
    raw_send_str(fd, "ZMPOP 1 z MIN\r\nZMPOP 1 z MIN\r\nBZPOPMIN z 0.01\r\nBZMPOP 0.01 1 z MIN\r\n");
    raw_expect_str(fd, "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n,4\r\n_\r\n_\r\n_\r\n");
    raw_send_str(fd, "ZADD z 1.5 a\r\nBZPOPMAX z 0\r\n");
    raw_expect_str(fd, ":1\r\n*3\r\n$1\r\nz\r\n$1\r\na\r\n,1.5\r\n");
    close(fd);

    fd = raw_resp(2);
    raw_send_str(fd, "ZADD z 1.5 a 2 b\r\nZRANGE z 0 0 WITHSCORES\r\nZPOPMIN z 1\r\n");
    raw_expect_str(fd, ":2\r\n*2\r\n$1\r\na\r\n$3\r\n1.5\r\n*2\r\n$1\r\na\r\n$3\r\n1.5\r\n");
    raw_send_str(fd, "ZMPOP 1 z MAX\r\nZMPOP 1 z MAX\r\nZSCORE z a\r\nBZPOPMIN z 0.01\r\n");
    raw_expect_str(fd, "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*-1\r\n$-1\r\n*-1\r\n");
    close(fd);
}

/* ---------------------------------------------------------------- encodings */

static void t_encoding(void) {
    redisContext *c = fresh();
    /* 128 members stay a listpack; the 129th converts. */
    for (int i = 0; i < 128; i++) EXPECT_INT(c, 1, "ZADD z %d m%d", i, i);
    EXPECT_BULK(c, "listpack", "OBJECT ENCODING z");
    EXPECT_INT(c, 1, "ZADD z 1000 last");
    EXPECT_BULK(c, "skiplist", "OBJECT ENCODING z");
    EXPECT_INT(c, 129, "ZCARD z");
    EXPECT_INT(c, 128, "ZRANK z last");
    /* Never back. */
    EXPECT_INT(c, 129, "ZREMRANGEBYRANK z 0 -1");
    EXPECT_INT(c, 1, "ZADD z 1 a");
    EXPECT_BULK(c, "listpack", "OBJECT ENCODING z");
    EXPECT_INT(c, 1, "ZADD k 1 a");
    for (int i = 0; i < 130; i++) CMD_INT(c, "ZADD k %d n%d", i, i);
    EXPECT_INT(c, 128, "ZREMRANGEBYRANK k 0 127");
    EXPECT_BULK(c, "skiplist", "OBJECT ENCODING k");
    /* A 64-byte member fits; 65 converts. */
    char m[66];
    memset(m, 'x', 65);
    m[64] = 0;
    EXPECT_INT(c, 1, "ZADD v 1 %s", m);
    EXPECT_BULK(c, "listpack", "OBJECT ENCODING v");
    m[64] = 'y';
    m[65] = 0;
    EXPECT_INT(c, 1, "ZADD v 2 %s", m);
    EXPECT_BULK(c, "skiplist", "OBJECT ENCODING v");
    EXPECT_BULK(c, "2", "ZSCORE v %s", m);
    /* Config, with the old names. */
    EXPECT_STATUS(c, "OK", "CONFIG SET zset-max-ziplist-entries 2");
    redisReply *r = CMD(c, "CONFIG GET zset-max-listpack-entries");
    if (CHECK_REPLY_ARRAY(r, 2)) CHECK_REPLY_BULK(r->element[1], "2");
    if (r) freeReplyObject(r);
    EXPECT_STATUS(c, "OK", "CONFIG SET zset-max-ziplist-value 1kb");
    r = CMD(c, "CONFIG GET zset-max-listpack-value");
    if (CHECK_REPLY_ARRAY(r, 2)) CHECK_REPLY_BULK(r->element[1], "1024");
    if (r) freeReplyObject(r);
    EXPECT_INT(c, 2, "ZADD w 1 a 2 b");
    EXPECT_BULK(c, "listpack", "OBJECT ENCODING w");
    EXPECT_INT(c, 1, "ZADD w 3 c");
    EXPECT_BULK(c, "skiplist", "OBJECT ENCODING w");
    EXPECT_ARRAY_STRS(c, L("a", "1", "b", "2", "c", "3"), 6, "ZRANGE w 0 -1 WITHSCORES");
    EXPECT_STATUS(c, "OK", "CONFIG SET zset-max-listpack-entries 0");
    EXPECT_INT(c, 1, "ZADD x 1 a");
    EXPECT_BULK(c, "skiplist", "OBJECT ENCODING x");
    /* Defaults as Redis 7.0.15. */
    redisFree(c);
    srv *s2 = srv_start(NULL);
    if (!s2) return;
    c = srv_connect(s2);
    r = CMD(c, "CONFIG GET zset-max-listpack-*");
    if (CHECK_REPLY_ARRAY(r, 4)) {
        for (size_t i = 0; i + 1 < r->elements; i += 2) {
            if (!strcmp(r->element[i]->str, "zset-max-listpack-entries"))
                CHECK_REPLY_BULK(r->element[i + 1], "128");
            else CHECK_REPLY_BULK(r->element[i + 1], "64");
        }
    }
    if (r) freeReplyObject(r);
    redisFree(c);
    srv_stop(s2);
}

/* ---------------------------------------------------------------- blocking */

static void expect_triple(redisContext *c, const char *k, const char *m, const char *s) {
    redisReply *r = cmd_next_reply(c);
    CHECK_REPLY_STRS(r, L(k, m, s), 3);
    if (r) freeReplyObject(r);
}

static void t_blocking(void) {
    redisContext *c = fresh();
    /* Immediate service. */
    EXPECT_INT(c, 3, "ZADD z 1 a 2 b 3 c");
    EXPECT_ARRAY_STRS(c, L("z", "a", "1"), 3, "BZPOPMIN nokey z 1");
    EXPECT_ARRAY_STRS(c, L("z", "c", "3"), 3, "BZPOPMAX z 1");
    EXPECT_ERR(c, "ERR timeout is negative", "BZPOPMIN z -1");
    EXPECT_ERR(c, "ERR timeout is not a float or out of range", "BZPOPMIN z x");
    EXPECT_ERR(c, "ERR numkeys should be greater than 0", "BZMPOP 0 0 z MIN");
    EXPECT_ERR(c, "ERR timeout is not a float or out of range", "BZMPOP x 1 z MIN");
    EXPECT_ERR(c, SYNTAX, "BZMPOP 0 1 z FOO");
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_ERR(c, WRONGTYPE, "BZPOPMIN s 1");
    EXPECT_ERR(c, WRONGTYPE, "BZMPOP 1 1 s MIN");
    EXPECT_INT(c, 1, "DEL z");

    /* Waiters are served in arrival order. */
    redisContext *w[3];
    for (int i = 0; i < 3; i++) {
        w[i] = srv_connect(S);
        cmd_send_only(w[i], "BZPOPMIN q 5");
        WAIT_FOR(info_blocked_clients(c) == i + 1, 2000);
    }
    EXPECT_INT(c, 2, "ZADD q 2 two 1 one");
    expect_triple(w[0], "q", "one", "1");
    expect_triple(w[1], "q", "two", "2");
    CHECK_EQ_INT(info_blocked_clients(c), 1);
    EXPECT_INT(c, 0, "EXISTS q");
    EXPECT_INT(c, 1, "ZADD q 3 three");
    expect_triple(w[2], "q", "three", "3");
    CHECK_EQ_INT(info_blocked_clients(c), 0);
    for (int i = 0; i < 3; i++) redisFree(w[i]);

    /* Several keys; BZPOPMAX; a write of another type does not serve. */
    redisContext *w1 = srv_connect(S);
    cmd_send_only(w1, "BZPOPMAX a b 5");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    EXPECT_STATUS(c, "OK", "SET a str");
    EXPECT_INT(c, 2, "ZADD b 1 x 2 y");
    expect_triple(w1, "b", "y", "2");
    EXPECT_INT(c, 1, "ZCARD b");
    /* BZMPOP with COUNT. */
    cmd_send_only(w1, "BZMPOP 5 2 nokey c MIN COUNT 5");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    EXPECT_INT(c, 2, "ZADD c 1 x 2 y");
    redisReply *r = cmd_next_reply(w1);
    if (CHECK_REPLY_ARRAY(r, 2) && CHECK_REPLY_ARRAY(r->element[1], 2)) {
        CHECK_REPLY_BULK(r->element[0], "c");
        CHECK_REPLY_STRS(r->element[1]->element[0], L("x", "1"), 2);
        CHECK_REPLY_STRS(r->element[1]->element[1], L("y", "2"), 2);
    }
    if (r) freeReplyObject(r);
    /* A key of another type does not serve a waiter, which keeps waiting
     * (Redis 7.0). */
    cmd_send_only(w1, "BZPOPMIN m 5");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    EXPECT_STATUS(c, "OK", "SET m str");
    sleep_ms(50);
    CHECK_EQ_INT(info_blocked_clients(c), 1);
    EXPECT_INT(c, 1, "DEL m");
    EXPECT_INT(c, 1, "ZADD m 7 b");
    expect_triple(w1, "m", "b", "7");
    redisFree(w1);

    /* Timeout: a null array. */
    long long t0 = now_ms();
    r = CMD(c, "BZPOPMIN t 0.2");
    long long took = now_ms() - t0;
    CHECK(r && r->type == REDIS_REPLY_NIL);
    if (r) freeReplyObject(r);
    CHECK_RANGE(took, 190, 1500);
    int fd = raw_resp(2);
    raw_send_str(fd, "BZMPOP 0.05 1 t MAX\r\nBZPOPMAX t 0.05\r\n");
    raw_expect_str(fd, "*-1\r\n*-1\r\n");
    close(fd);
    CHECK_EQ_INT(info_blocked_clients(c), 0);
    redisFree(c);
}

/* ---------------------------------------------------------------- generic keys */

static void t_generic_keys(void) {
    redisContext *c = fresh();
    for (int enc = 0; enc < 2; enc++) {
        EXPECT_STATUS(c, "OK", "FLUSHALL");
        if (enc) EXPECT_STATUS(c, "OK", "CONFIG SET zset-max-listpack-entries 1");
        EXPECT_INT(c, 3, "ZADD z 1 a 2 b 3 c");
        EXPECT_STATUS(c, "zset", "TYPE z");
        EXPECT_BULK(c, enc ? "skiplist" : "listpack", "OBJECT ENCODING z");
        EXPECT_INT(c, 1, "COPY z z2");
        EXPECT_INT(c, 1, "ZADD z2 4 d");
        EXPECT_INT(c, 3, "ZCARD z");
        EXPECT_ARRAY_STRS(c, L("a", "1", "b", "2", "c", "3", "d", "4"), 8,
                          "ZRANGE z2 0 -1 WITHSCORES");
        EXPECT_BULK(c, enc ? "skiplist" : "listpack", "OBJECT ENCODING z2");
        EXPECT_STATUS(c, "OK", "RENAME z2 z3");
        EXPECT_INT(c, 4, "ZCARD z3");
        EXPECT_INT(c, 1, "EXPIRE z3 100");
        EXPECT_INT(c, 1, "MOVE z3 1");
        EXPECT_STATUS(c, "OK", "SELECT 1");
        EXPECT_INT(c, 4, "ZCARD z3");
        EXPECT_STATUS(c, "OK", "SELECT 0");
        redisReply *r = CMD(c, "SCAN 0 TYPE zset COUNT 100");
        if (CHECK_REPLY_ARRAY(r, 2)) CHECK_REPLY_STRS(r->element[1], L("z"), 1);
        if (r) freeReplyObject(r);
        EXPECT_INT(c, 1, "DEL z");
        EXPECT_INT(c, 0, "EXISTS z");
        /* Other types' commands on a zset. */
        EXPECT_INT(c, 1, "ZADD z 1 a");
        EXPECT_ERR(c, WRONGTYPE, "GET z");
        EXPECT_ERR(c, WRONGTYPE, "LPUSH z a");
        EXPECT_ERR(c, WRONGTYPE, "HGET z a");
        EXPECT_ERR(c, WRONGTYPE, "SADD z a");
    }
    redisFree(c);
}

/* ---------------------------------------------------------------- ZUNION ZINTER ZDIFF */

#define NEED_KEY(cmd) "ERR at least 1 input key is needed for '" cmd "' command"
#define BAD_WEIGHT "ERR weight value is not a float"
#define BAD_LIMIT  "ERR LIMIT can't be negative"
#define LONGM      "long_member_long_member_long_member_long_member_long_member_long_member"

/* Plain sets in every encoding Cairn has: si an intset, sl a listpack (a
 * hashtable in Redis 7.0, which has no listpack sets), sh a hashtable (a
 * member longer than set-max-listpack-value). */
static void add_plain_sets(redisContext *c) {
    EXPECT_INT(c, 3, "SADD si 1 2 3");
    EXPECT_INT(c, 3, "SADD sl a b 1");
    EXPECT_INT(c, 3, "SADD sh a 3 " LONGM);
    EXPECT_BULK(c, "intset", "OBJECT ENCODING si");
    EXPECT_BULK(c, "hashtable", "OBJECT ENCODING sh");
}

/* Errors shared by the seven commands: numkeys, option syntax, WRONGTYPE first. */
static void t_setop_errors(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 2, "ZADD a 1 x 2 y");
    EXPECT_STATUS(c, "OK", "SET str v");
    EXPECT_ERR(c, NEED_KEY("zunion"), "ZUNION 0 a");
    EXPECT_ERR(c, NEED_KEY("zunion"), "zunion -1 a");
    EXPECT_ERR(c, NEED_KEY("zunionstore"), "ZUNIONSTORE d 0 a");
    EXPECT_ERR(c, NEED_KEY("zinter"), "ZINTER 0 a");
    EXPECT_ERR(c, NEED_KEY("zinterstore"), "ZINTERSTORE d 0 a");
    EXPECT_ERR(c, NEED_KEY("zintercard"), "ZINTERCARD 0 a");
    EXPECT_ERR(c, NEED_KEY("zdiff"), "ZDIFF 0 a");
    EXPECT_ERR(c, NEED_KEY("zdiffstore"), "ZDIFFSTORE d 0 a");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'zdiffstore' command", "ZDIFFSTORE d 0");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'zunion' command", "ZUNION 1");
    EXPECT_ERR(c, NOT_INT, "ZUNION x a");
    EXPECT_ERR(c, NOT_INT, "ZUNION 01 a");
    EXPECT_ERR(c, NOT_INT, "ZINTERCARD 99999999999999999999 a");
    EXPECT_ERR(c, SYNTAX, "ZUNION 3 a b");
    EXPECT_ERR(c, SYNTAX, "ZUNION 2147483648 a");
    EXPECT_ERR(c, SYNTAX, "ZINTERSTORE d 3 a b");
    EXPECT_ERR(c, SYNTAX, "ZDIFF 2 a");
    EXPECT_ERR(c, SYNTAX, "ZINTERCARD 2 a");
    /* WEIGHTS needs one value per key; AGGREGATE one of three words. */
    EXPECT_ERR(c, SYNTAX, "ZUNION 1 a WEIGHTS");
    EXPECT_ERR(c, SYNTAX, "ZUNION 1 a WEIGHTS 1 2");
    EXPECT_ERR(c, SYNTAX, "ZUNION 2 a b WEIGHTS 1");
    EXPECT_ERR(c, BAD_WEIGHT, "ZUNION 1 a WEIGHTS x");
    EXPECT_ERR(c, BAD_WEIGHT, "ZINTER 1 a WEIGHTS nan");
    EXPECT_ERR(c, BAD_WEIGHT, "ZUNIONSTORE d 1 a WEIGHTS 1e400");
    EXPECT_ERR(c, SYNTAX, "ZUNION 1 a AGGREGATE");
    EXPECT_ERR(c, SYNTAX, "ZUNION 1 a AGGREGATE avg");
    EXPECT_ERR(c, SYNTAX, "ZUNION 1 a foo");
    /* Options a command does not take. */
    EXPECT_ERR(c, SYNTAX, "ZUNIONSTORE d 1 a WITHSCORES");
    EXPECT_ERR(c, SYNTAX, "ZINTERSTORE d 1 a WITHSCORES");
    EXPECT_ERR(c, SYNTAX, "ZDIFF 1 a WEIGHTS 1");
    EXPECT_ERR(c, SYNTAX, "ZDIFF 1 a AGGREGATE SUM");
    EXPECT_ERR(c, SYNTAX, "ZDIFFSTORE d 1 a WITHSCORES");
    EXPECT_ERR(c, SYNTAX, "ZINTERCARD 1 a WEIGHTS 1");
    EXPECT_ERR(c, SYNTAX, "ZINTERCARD 1 a WITHSCORES");
    EXPECT_ERR(c, SYNTAX, "ZUNION 1 a LIMIT 1");
    /* ZINTERCARD's LIMIT. */
    EXPECT_ERR(c, SYNTAX, "ZINTERCARD 1 a LIMIT");
    EXPECT_ERR(c, BAD_LIMIT, "ZINTERCARD 1 a LIMIT -1");
    EXPECT_ERR(c, BAD_LIMIT, "ZINTERCARD 1 a LIMIT x");
    EXPECT_ERR(c, BAD_LIMIT, "ZINTERCARD 1 a LIMIT 1.0");
    EXPECT_ERR(c, BAD_LIMIT, "ZINTERCARD 1 a LIMIT 99999999999999999999");
    /* Options may repeat; the last one counts. */
    EXPECT_INT(c, 2, "ZINTERCARD 1 a LIMIT 1 LIMIT 0");
    EXPECT_ARRAY_STRS(c, L("x", "3", "y", "6"), 4,
                      "ZUNION 1 a WEIGHTS 2 WEIGHTS 3 AGGREGATE MIN aggregate sum WITHSCORES "
                      "withscores");
    /* Every key is type-checked before options are parsed; a missing key
     * before a wrong one does not end the check. */
    EXPECT_INT(c, 1, "HSET h f v");
    EXPECT_INT(c, 1, "RPUSH l v");
    EXPECT_ERR(c, WRONGTYPE, "ZUNION 2 a str");
    EXPECT_ERR(c, WRONGTYPE, "ZUNION 2 str a foo");
    EXPECT_ERR(c, WRONGTYPE, "ZUNION 2 a str WEIGHTS x y");
    EXPECT_ERR(c, WRONGTYPE, "ZINTER 2 nokey h");
    EXPECT_ERR(c, WRONGTYPE, "ZINTERSTORE d 2 a l");
    EXPECT_ERR(c, WRONGTYPE, "ZINTERCARD 2 a str LIMIT -1");
    EXPECT_ERR(c, WRONGTYPE, "ZDIFF 2 a str");
    EXPECT_ERR(c, WRONGTYPE, "ZDIFFSTORE d 2 str a");
    EXPECT_INT(c, 0, "EXISTS d");
    redisFree(c);
}

static void t_zunion(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 3, "ZADD a 1 x 2 y 3 z");
    EXPECT_INT(c, 3, "ZADD b 10 y 20 z 30 w");
    EXPECT_ARRAY_STRS(c, L("x", "y", "z", "w"), 4, "ZUNION 2 a b");
    EXPECT_ARRAY_STRS(c, L("x", "1", "y", "12", "z", "23", "w", "30"), 8,
                      "ZUNION 2 a b WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("x", "2", "y", "4", "z", "6", "w", "30"), 8,
                      "ZUNION 2 a b AGGREGATE MIN WEIGHTS 2 1 WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("x", "1.5", "y", "10", "z", "20", "w", "30"), 8,
                      "ZUNION 2 a b weights 1.5 1 aggregate max withscores");
    EXPECT_ARRAY_STRS(c, L("w", "-30", "z", "-17", "y", "-8", "x", "1"), 8,
                      "ZUNION 2 a b WEIGHTS 1 -1 WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("x", "1", "y", "2", "z", "3"), 6, "ZUNION 2 a nokey WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("x", "2", "y", "4", "z", "6"), 6, "ZUNION 2 a a WITHSCORES");
    EXPECT_ARRAY_STRS(c, NULL, 0, "ZUNION 2 nokey nokey2 WITHSCORES");
    /* Equal scores order by member bytes. */
    EXPECT_INT(c, 3, "ZADD eq 5 c 5 a 5 b");
    EXPECT_ARRAY_STRS(c, L("a", "b", "c", "x", "y", "z"), 6, "ZUNION 2 eq a WEIGHTS 1 5");

    /* Plain sets count with score 1, in every encoding. */
    add_plain_sets(c);
    EXPECT_ARRAY_STRS(c,
                      L("2", "1", "3", "1", "a", "1", "b", "1", "x", "1", "1", "2", "y", "2", "z",
                        "3"),
                      16, "ZUNION 3 si sl a WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("1", "1", "3", "1", "b", "1", LONGM, "1", "a", "2"), 10,
                      "ZUNION 2 sl sh WEIGHTS 1 1 WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("1", "1", "2", "1", "a", "1", LONGM, "1", "3", "2"), 10,
                      "ZUNION 2 sh si WITHSCORES");

    /* inf arithmetic: a weight 0 times inf is 0; inf + -inf is 0 in a SUM,
     * whose terms are added smallest input first (m: 5 + -inf + inf). */
    EXPECT_INT(c, 3, "ZADD i1 inf m 1 p 2 q");
    EXPECT_INT(c, 1, "ZADD i2 -inf m");
    EXPECT_INT(c, 2, "ZADD i3 5 m 1 r");
    EXPECT_ARRAY_STRS(c, L("m", "0", "p", "1", "r", "1", "q", "2"), 8,
                      "ZUNION 3 i1 i2 i3 WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("m", "0", "p", "1", "r", "1", "q", "2"), 8,
                      "ZUNION 3 i3 i1 i2 WITHSCORES");
    /* The last of each option counts: m is (-inf * 0 = 0) + 5 + inf. */
    EXPECT_ARRAY_STRS(c, L("p", "1", "r", "1", "q", "2", "m", "inf"), 8,
                      "ZUNION 3 i1 i2 i3 WEIGHTS 1 1 1 AGGREGATE SUM WITHSCORES WEIGHTS 2 1 2 "
                      "AGGREGATE MAX AGGREGATE SUM WEIGHTS 1 1 1 WEIGHTS 1 0 1");
    EXPECT_ARRAY_STRS(c, L("m", "-inf", "p", "0", "q", "0"), 6,
                      "ZUNION 2 i1 i2 WEIGHTS 0 1 WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("m", "-inf", "q", "-2", "p", "-1"), 6,
                      "ZUNION 1 i1 WEIGHTS -1 AGGREGATE MAX WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("m", "inf", "p", "inf", "q", "inf"), 6,
                      "ZUNION 1 i1 WEIGHTS inf WITHSCORES");
    /* -0 stays -0 in the reply; a listpack stores it as 0. */
    EXPECT_INT(c, 1, "ZADD zero 0 m");
    EXPECT_ARRAY_STRS(c, L("m", "-0"), 2, "ZUNION 1 zero WEIGHTS -1 WITHSCORES");
    EXPECT_INT(c, 1, "ZUNIONSTORE d 1 zero WEIGHTS -1");
    EXPECT_ARRAY_STRS(c, L("m", "0"), 2, "ZRANGE d 0 -1 WITHSCORES");

    /* ZUNIONSTORE overwrites any type, drops the TTL, may store onto a source,
     * and deletes the destination when the result is empty. */
    EXPECT_STATUS(c, "OK", "SET str v EX 100");
    EXPECT_INT(c, 4, "ZUNIONSTORE str 2 a b");
    EXPECT_STATUS(c, "zset", "TYPE str");
    EXPECT_INT(c, -1, "TTL str");
    EXPECT_ARRAY_STRS(c, L("x", "1", "y", "12", "z", "23", "w", "30"), 8,
                      "ZRANGE str 0 -1 WITHSCORES");
    EXPECT_INT(c, 3, "ZUNIONSTORE a 2 a a");
    EXPECT_ARRAY_STRS(c, L("x", "2", "y", "4", "z", "6"), 6, "ZRANGE a 0 -1 WITHSCORES");
    EXPECT_INT(c, 0, "ZUNIONSTORE str 1 nokey");
    EXPECT_INT(c, 0, "EXISTS str");
    EXPECT_INT(c, 0, "ZUNIONSTORE nokey 1 nokey");
    EXPECT_INT(c, 0, "EXISTS nokey");
    EXPECT_INT(c, 3, "ZUNIONSTORE fromset 1 si");
    EXPECT_STATUS(c, "zset", "TYPE fromset");
    EXPECT_ARRAY_STRS(c, L("1", "1", "2", "1", "3", "1"), 6, "ZRANGE fromset 0 -1 WITHSCORES");

    /* The stored result's encoding follows its size, as ZADD's would. */
    EXPECT_BULK(c, "listpack", "OBJECT ENCODING fromset");
    EXPECT_INT(c, 5, "ZUNIONSTORE long 2 fromset sh");
    EXPECT_BULK(c, "skiplist", "OBJECT ENCODING long");
    EXPECT_STATUS(c, "OK", "CONFIG SET zset-max-listpack-entries 3");
    EXPECT_INT(c, 3, "ZUNIONSTORE three 1 fromset");
    EXPECT_BULK(c, "listpack", "OBJECT ENCODING three");
    EXPECT_INT(c, 5, "ZUNIONSTORE four 2 fromset sl");
    EXPECT_BULK(c, "skiplist", "OBJECT ENCODING four");
    EXPECT_ARRAY_STRS(c, L("2", "0", "3", "0", "1", "1", "a", "1", "b", "1"), 10,
                      "ZUNION 2 four sl WEIGHTS 1 0 AGGREGATE MAX WITHSCORES WEIGHTS 1 1 "
                      "AGGREGATE SUM WEIGHTS 0 1");
    redisFree(c);
}

static void t_zinter(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 3, "ZADD a 1 x 2 y 3 z");
    EXPECT_INT(c, 3, "ZADD b 10 y 20 z 30 w");
    EXPECT_ARRAY_STRS(c, L("y", "z"), 2, "ZINTER 2 a b");
    EXPECT_ARRAY_STRS(c, L("y", "12", "z", "23"), 4, "ZINTER 2 a b WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("y", "2", "z", "3"), 4, "ZINTER 2 a b AGGREGATE MIN WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("y", "20", "z", "40"), 4,
                      "ZINTER 2 a b WEIGHTS 1 2 AGGREGATE MAX WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("x", "1", "y", "2", "z", "3"), 6, "ZINTER 1 a WITHSCORES");
    EXPECT_ARRAY_STRS(c, NULL, 0, "ZINTER 2 a nokey WITHSCORES");
    EXPECT_ARRAY_STRS(c, NULL, 0, "ZINTER 2 nokey a");
    /* With plain sets (score 1) in every encoding. */
    add_plain_sets(c);
    EXPECT_ARRAY_STRS(c, L("1", "2"), 2, "ZINTER 2 si sl WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("3", "2"), 2, "ZINTER 2 si sh WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("a", "3"), 2, "ZINTER 2 sh sl WEIGHTS 1 2 WITHSCORES");
    EXPECT_INT(c, 2, "ZADD mix 5 3 7 a");
    EXPECT_ARRAY_STRS(c, L("3", "7"), 2, "ZINTER 3 mix sh si WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("a", "0.5"), 2,
                      "ZINTER 2 sl mix AGGREGATE MIN WEIGHTS 0.5 1 WITHSCORES");
    /* inf arithmetic, smallest input first: m is -inf + 5 + inf. */
    EXPECT_INT(c, 3, "ZADD i1 inf m 1 p 2 q");
    EXPECT_INT(c, 1, "ZADD i2 -inf m");
    EXPECT_INT(c, 2, "ZADD i3 5 m 1 p");
    EXPECT_ARRAY_STRS(c, L("m", "0"), 2, "ZINTER 3 i1 i2 i3 WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("m", "0"), 2, "ZINTER 3 i1 i3 i2 WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("m", "inf"), 2, "ZINTER 3 i1 i3 i2 WEIGHTS 1 1 0 WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("p", "2", "m", "inf"), 4, "ZINTER 2 i1 i3 WITHSCORES");
    /* ZINTERSTORE */
    EXPECT_INT(c, 1, "LPUSH dst v");
    EXPECT_INT(c, 2, "ZINTERSTORE dst 2 a b");
    EXPECT_ARRAY_STRS(c, L("y", "12", "z", "23"), 4, "ZRANGE dst 0 -1 WITHSCORES");
    EXPECT_BULK(c, "listpack", "OBJECT ENCODING dst");
    EXPECT_INT(c, 0, "ZINTERSTORE dst 2 a nokey");
    EXPECT_INT(c, 0, "EXISTS dst");
    EXPECT_INT(c, 0, "ZINTERSTORE a 2 a sl");
    EXPECT_INT(c, 0, "EXISTS a");
    EXPECT_INT(c, 3, "ZINTERSTORE b 2 b b");
    EXPECT_ARRAY_STRS(c, L("y", "20", "z", "40", "w", "60"), 6, "ZRANGE b 0 -1 WITHSCORES");
    EXPECT_INT(c, 1, "ZINTERSTORE si 2 si sh");
    EXPECT_STATUS(c, "zset", "TYPE si");
    EXPECT_INT(c, 3, "ZINTERSTORE big 2 sh sh");
    EXPECT_BULK(c, "skiplist", "OBJECT ENCODING big");
    /* ZINTERCARD */
    EXPECT_INT(c, 3, "SADD s1 1 2 3");
    EXPECT_INT(c, 4, "ZADD z1 1 1 2 2 3 3 4 4");
    EXPECT_INT(c, 3, "ZINTERCARD 2 s1 z1");
    EXPECT_INT(c, 3, "ZINTERCARD 2 s1 z1 LIMIT 0");
    EXPECT_INT(c, 2, "ZINTERCARD 2 s1 z1 LIMIT 2");
    EXPECT_INT(c, 3, "ZINTERCARD 2 s1 z1 LIMIT 5");
    EXPECT_INT(c, 4, "ZINTERCARD 1 z1");
    EXPECT_INT(c, 0, "ZINTERCARD 2 z1 nokey");
    EXPECT_INT(c, 0, "ZINTERCARD 1 nokey LIMIT 3");
    redisFree(c);
}

static void t_zdiff(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 4, "ZADD a 1 x 2 y 3 z 4 w");
    EXPECT_INT(c, 2, "ZADD b 10 y 20 v");
    EXPECT_INT(c, 1, "ZADD c 5 w");
    EXPECT_ARRAY_STRS(c, L("x", "z", "w"), 3, "ZDIFF 2 a b");
    EXPECT_ARRAY_STRS(c, L("x", "1", "z", "3"), 4, "ZDIFF 3 a b c WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("x", "1", "y", "2", "z", "3", "w", "4"), 8,
                      "ZDIFF 2 a nokey WITHSCORES");
    EXPECT_ARRAY_STRS(c, NULL, 0, "ZDIFF 2 a a");
    EXPECT_ARRAY_STRS(c, NULL, 0, "ZDIFF 2 nokey a");
    EXPECT_ARRAY_STRS(c, L("v", "20"), 2, "ZDIFF 2 b a WITHSCORES");
    add_plain_sets(c);
    EXPECT_ARRAY_STRS(c, L("2", "1", "3", "1"), 4, "ZDIFF 2 si sl WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("b", "1"), 2, "ZDIFF 3 sl si sh WITHSCORES");
    EXPECT_INT(c, 3, "ZADD n 1 1 2 b 3 q");
    EXPECT_ARRAY_STRS(c, L("q", "3"), 2, "ZDIFF 2 n sl WITHSCORES");
    EXPECT_ARRAY_STRS(c, L("2"), 1, "ZDIFF 3 si n sh");
    /* ZDIFFSTORE */
    EXPECT_STATUS(c, "OK", "SET dst v PX 100000");
    EXPECT_INT(c, 2, "ZDIFFSTORE dst 3 a b c");
    EXPECT_INT(c, -1, "PTTL dst");
    EXPECT_ARRAY_STRS(c, L("x", "1", "z", "3"), 4, "ZRANGE dst 0 -1 WITHSCORES");
    EXPECT_INT(c, 0, "ZDIFFSTORE dst 2 a a");
    EXPECT_INT(c, 0, "EXISTS dst");
    EXPECT_INT(c, 4, "ZDIFFSTORE a 2 a si");
    EXPECT_INT(c, 2, "ZDIFFSTORE sh 2 sh si");
    EXPECT_STATUS(c, "zset", "TYPE sh");
    EXPECT_BULK(c, "skiplist", "OBJECT ENCODING sh");
    redisFree(c);
}

/* RESP3: WITHSCORES replies [member, score] pairs with ',' doubles. */
static void t_setop_resp3(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 2, "ZADD a 1 x 2.5 y");
    EXPECT_INT(c, 1, "SADD s x");
    redisFree(c);
    int fd = raw_resp(3);
    raw_send_str(fd, "ZUNION 2 a s WITHSCORES\r\nZINTER 2 a s\r\nZDIFF 1 a WITHSCORES\r\n"
                     "ZINTER 2 a nokey WITHSCORES\r\nZINTERCARD 2 a s\r\n"
                     "ZUNIONSTORE d 1 a\r\n");
    raw_expect_str(fd, "*2\r\n*2\r\n$1\r\nx\r\n,2\r\n*2\r\n$1\r\ny\r\n,2.5\r\n"
                       "*1\r\n$1\r\nx\r\n"
                       "*2\r\n*2\r\n$1\r\nx\r\n,1\r\n*2\r\n$1\r\ny\r\n,2.5\r\n"
                       "*0\r\n:1\r\n:2\r\n");
    close(fd);
}

/* ---------------------------------------------------------------- randomized */

typedef struct {
    char m[8];
    double s;
} mel;

static int mel_cmp(const void *a, const void *b) {
    const mel *x = a, *y = b;
    if (x->s != y->s) return x->s < y->s ? -1 : 1;
    return strcmp(x->m, y->m);
}

static uint64_t rs = 12345;
static uint32_t rnd(uint32_t n) {
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (uint32_t)(rs % n);
}

static void fmt_score(char *buf, double s) { snprintf(buf, 32, "%.17g", s); }

/* The whole set against the model, and a few ranks and counts. */
static void check_model(redisContext *c, mel *v, int n) {
    qsort(v, n, sizeof *v, mel_cmp);
    redisReply *r = CMD(c, "ZRANGE z 0 -1 WITHSCORES");
    if (!CHECK_REPLY_ARRAY(r, 2 * n)) {
        if (r) freeReplyObject(r);
        return;
    }
    for (int i = 0; i < n; i++) {
        char sb[32];
        fmt_score(sb, v[i].s);
        CHECK_REPLY_BULK(r->element[2 * i], v[i].m);
        CHECK_REPLY_BULK(r->element[2 * i + 1], sb);
    }
    freeReplyObject(r);
    if (n) {
        int k = (int)rnd((uint32_t)n);
        EXPECT_INT(c, k, "ZRANK z %s", v[k].m);
        EXPECT_INT(c, n - 1 - k, "ZREVRANK z %s", v[k].m);
        double lo = v[k].s, hi = v[(int)rnd((uint32_t)n)].s;
        int cnt = 0;
        for (int i = 0; i < n; i++) cnt += v[i].s > lo && v[i].s <= hi;
        char a[32], b[32];
        fmt_score(a, lo);
        fmt_score(b, hi);
        EXPECT_INT(c, cnt, "ZCOUNT z (%s %s", a, b);
    }
    EXPECT_INT(c, n, "ZCARD z");
}

static void randomized(redisContext *c, int maxn, int ops) {
    enum { MEMBERS = 300 };
    static mel v[MEMBERS];
    int n = 0;
    freeReplyObject(CMD(c, "DEL z"));
    for (int op = 0; op < ops; op++) {
        char m[8];
        snprintf(m, sizeof m, "m%u", rnd((uint32_t)maxn));
        double s = ((int)rnd(21) - 10) / 2.0;
        char sb[32];
        fmt_score(sb, s);
        int idx = -1;
        for (int i = 0; i < n; i++)
            if (!strcmp(v[i].m, m)) idx = i;
        switch (rnd(5)) {
        case 0:
        case 1:
            EXPECT_INT(c, idx < 0, "ZADD z %s %s", sb, m);
            if (idx < 0) {
                snprintf(v[n].m, sizeof v[n].m, "%s", m);
                v[n++].s = s;
            } else {
                v[idx].s = s;
            }
            break;
        case 2: {
            double ns = (idx < 0 ? 0 : v[idx].s) + s;
            char nb[32];
            fmt_score(nb, ns);
            EXPECT_BULK(c, nb, "ZINCRBY z %s %s", sb, m);
            if (idx < 0) {
                snprintf(v[n].m, sizeof v[n].m, "%s", m);
                v[n++].s = ns;
            } else {
                v[idx].s = ns;
            }
            break;
        }
        case 3:
            EXPECT_INT(c, idx >= 0, "ZREM z %s", m);
            if (idx >= 0) v[idx] = v[--n];
            break;
        default: {
            /* ZREMRANGEBYSCORE over a narrow band */
            int cnt = 0;
            for (int i = 0; i < n;) {
                if (v[i].s == s) {
                    v[i] = v[--n];
                    cnt++;
                } else {
                    i++;
                }
            }
            EXPECT_INT(c, cnt, "ZREMRANGEBYSCORE z %s %s", sb, sb);
        }
        }
        if (op % 50 == 49) check_model(c, v, n);
    }
    check_model(c, v, n);
}

static void t_randomized(void) {
    redisContext *c = fresh();
    randomized(c, 60, 1500);  /* stays a listpack (mostly) */
    EXPECT_STATUS(c, "OK", "CONFIG SET zset-max-listpack-entries 0");
    randomized(c, 300, 3000); /* skiplist */
    redisFree(c);
}

/* ---------------------------------------------------------------- randomized set operations
 *
 * Keys k0..k4, each missing, a plain set or a sorted set, are filled at random
 * (integers, short strings and the odd long member, so every set and zset
 * encoding turns up) and ZUNION/ZINTER/ZDIFF (and their STORE forms and
 * ZINTERCARD) with random keys, weights and aggregates are checked against a
 * model. Scores and weights are small multiples of 1/2, so every sum is exact
 * and the order of the inputs does not matter; scores are compared as numbers
 * (a stored listpack keeps -0 as 0). */

enum { SO_KEYS = 5, SO_POOL = 40, SO_LONG = 70 };

typedef struct {
    int type;        /* 0 missing, 1 set, 2 zset */
    bool has[SO_POOL];
    double score[SO_POOL];
} so_key;

typedef struct {
    int idx; /* member in the pool */
    double s;
} so_el;

static char so_names[SO_POOL][SO_LONG + 8];

static void so_names_init(void) {
    for (int i = 0; i < SO_POOL; i++) {
        if (i < 15) snprintf(so_names[i], sizeof so_names[i], "%d", i * 7 - 20);
        else if (i < 37) snprintf(so_names[i], sizeof so_names[i], "m%d", i);
        else snprintf(so_names[i], sizeof so_names[i], "%0*d", SO_LONG, i); /* long */
    }
}

static int so_el_cmp(const void *a, const void *b) {
    const so_el *x = a, *y = b;
    if (x->s != y->s) return x->s < y->s ? -1 : 1;
    return strcmp(so_names[x->idx], so_names[y->idx]);
}

static double so_half(int lo, int hi) { return (lo + (int)rnd((uint32_t)(hi - lo + 1))) / 2.0; }

static void so_fill(redisContext *c, so_key *k, int j) {
    freeReplyObject(CMD(c, "DEL k%d", j));
    memset(k, 0, sizeof *k);
    k->type = (int)rnd(6) == 0 ? 0 : 1 + (int)rnd(2);
    if (!k->type) return;
    bool ints_only = rnd(3) == 0, allow_long = rnd(4) == 0;
    int n = 1 + (int)rnd(25);
    for (int i = 0; i < n; i++) {
        int idx = ints_only ? (int)rnd(15) : (int)rnd(allow_long ? SO_POOL : 37);
        double s = so_half(-10, 10);
        char sb[32];
        fmt_score(sb, s);
        if (k->type == 1) {
            freeReplyObject(CMD(c, "SADD k%d %s", j, so_names[idx]));
            s = 1;
        } else {
            freeReplyObject(CMD(c, "ZADD k%d %s %s", j, sb, so_names[idx]));
        }
        k->has[idx] = true;
        k->score[idx] = s;
    }
}

/* Checks a WITHSCORES reply (or a ZRANGE of a stored result) against exp. */
static void so_check(redisReply *r, so_el *exp, int n, const char *what) {
    if (!CHECK_REPLY_ARRAY(r, 2 * n)) {
        fprintf(stderr, "  in: %s\n", what);
        return;
    }
    for (int i = 0; i < n; i++) {
        if (!CHECK_REPLY_BULK(r->element[2 * i], so_names[exp[i].idx])) {
            fprintf(stderr, "  in: %s\n", what);
            return;
        }
        double got = strtod(r->element[2 * i + 1]->str, NULL);
        if (got != exp[i].s) {
            test_fail(__FILE__, __LINE__, "%s: score of %s is %s, the model says %.17g", what,
                      so_names[exp[i].idx], r->element[2 * i + 1]->str, exp[i].s);
            return;
        }
    }
}

/* Runs cmd, split at spaces (no argument of ours has one). */
static redisReply *so_cmd(redisContext *c, const char *cmd) {
    char buf[256];
    const char *argv[40];
    int argc = 0;
    snprintf(buf, sizeof buf, "%s", cmd);
    for (char *t = strtok(buf, " "); t && argc < 40; t = strtok(NULL, " ")) argv[argc++] = t;
    return CMD_ARGV(c, argc, argv, NULL);
}

static void so_round(redisContext *c, so_key *keys) {
    int op = (int)rnd(3); /* union, inter, diff */
    int n = 1 + (int)rnd(4);
    int ks[4];
    double w[4];
    int agg = (int)rnd(3); /* sum min max */
    bool use_w = op != 2 && rnd(2);
    char cmd[256];
    static const char *names[] = {"ZUNION", "ZINTER", "ZDIFF"};
    static const char *aggs[] = {"SUM", "MIN", "MAX"};
    bool store = rnd(3) == 0;
    int len = snprintf(cmd, sizeof cmd, store ? "%sSTORE dst %d" : "%s %d", names[op], n);
    for (int i = 0; i < n; i++) {
        ks[i] = (int)rnd(SO_KEYS + 1); /* SO_KEYS: always missing */
        w[i] = use_w ? so_half(-4, 4) : 1;
        len += snprintf(cmd + len, sizeof cmd - (size_t)len, " k%d", ks[i]);
    }
    if (use_w) {
        len += snprintf(cmd + len, sizeof cmd - (size_t)len, " WEIGHTS");
        for (int i = 0; i < n; i++) {
            char wb[32];
            fmt_score(wb, w[i]);
            len += snprintf(cmd + len, sizeof cmd - (size_t)len, " %s", wb);
        }
    }
    if (op != 2 && (agg || rnd(2)))
        len += snprintf(cmd + len, sizeof cmd - (size_t)len, " AGGREGATE %s", aggs[agg]);
    if (!store) snprintf(cmd + len, sizeof cmd - (size_t)len, " WITHSCORES");
    if (op == 2) agg = 0;

    /* The model. */
    static so_key none;
    so_el exp[SO_POOL];
    int ne = 0;
    for (int m = 0; m < SO_POOL; m++) {
        const so_key *k0 = ks[0] < SO_KEYS ? &keys[ks[0]] : &none;
        bool in = op == 1 || op == 2 ? k0->has[m] : false;
        double acc = 0;
        bool seen = false;
        for (int i = 0; i < n; i++) {
            const so_key *k = ks[i] < SO_KEYS ? &keys[ks[i]] : &none;
            if (op == 0 && k->has[m]) in = true;
            if (op == 1 && !k->has[m]) in = false;
            if (op == 2 && i > 0 && k->has[m]) in = false;
            if (!k->has[m] || (op == 2 && i > 0)) continue;
            double v = k->score[m] * w[i];
            if (!seen) acc = v;
            else if (agg == 0) acc += v;
            else if (agg == 1) acc = v < acc ? v : acc;
            else acc = v > acc ? v : acc;
            seen = true;
        }
        if (in) exp[ne++] = (so_el){m, acc};
    }
    qsort(exp, (size_t)ne, sizeof *exp, so_el_cmp);

    redisReply *r = so_cmd(c, cmd);
    if (store) {
        if (r && !CHECK_REPLY_INT(r, ne)) fprintf(stderr, "  in: %s\n", cmd);
        if (r) freeReplyObject(r);
        EXPECT_INT(c, ne > 0, "EXISTS dst");
        r = CMD(c, "ZRANGE dst 0 -1 WITHSCORES");
    }
    if (r) so_check(r, exp, ne, cmd);
    if (r) freeReplyObject(r);
    if (op == 1 && !use_w) { /* the same keys through ZINTERCARD */
        long long limit = rnd(2) ? 0 : (long long)rnd(5);
        len = snprintf(cmd, sizeof cmd, "ZINTERCARD %d", n);
        for (int i = 0; i < n; i++)
            len += snprintf(cmd + len, sizeof cmd - (size_t)len, " k%d", ks[i]);
        snprintf(cmd + len, sizeof cmd - (size_t)len, " LIMIT %lld", limit);
        r = so_cmd(c, cmd);
        if (r && !CHECK_REPLY_INT(r, limit && limit < ne ? limit : ne))
            fprintf(stderr, "  in: %s\n", cmd);
        if (r) freeReplyObject(r);
    }
}

static void t_setop_randomized(void) {
    redisContext *c = fresh();
    so_names_init();
    so_key keys[SO_KEYS];
    for (int pass = 0; pass < 2; pass++) {
        /* Second pass: small zset listpack limit, so inputs and results are
         * skiplists too. */
        if (pass == 1) EXPECT_STATUS(c, "OK", "CONFIG SET zset-max-listpack-entries 8");
        for (int round = 0; round < 40; round++) {
            for (int j = 0; j < SO_KEYS; j++) so_fill(c, &keys[j], j);
            for (int q = 0; q < 25; q++) so_round(c, keys);
        }
    }
    redisFree(c);
}

static void t_stop(void) {
    CHECK(srv_stop(S));
    S = NULL;
}

int main(void) {
    test_run("start server", t_start);
    if (!S) return test_summary("zset");
    test_run("ZADD", t_zadd);
    test_run("ZINCRBY", t_zincrby);
    test_run("ZSCORE ZMSCORE ZCARD, score formatting", t_scores);
    test_run("ZCOUNT ZLEXCOUNT", t_count);
    test_run("ZRANGE and the legacy range commands", t_zrange);
    test_run("ZRANGESTORE", t_zrangestore);
    test_run("ZRANK ZREVRANK", t_zrank);
    test_run("ZREM ZREMRANGEBY*", t_zrem);
    test_run("ZPOPMIN ZPOPMAX ZMPOP", t_zpop);
    test_run("ZRANDMEMBER", t_zrandmember);
    test_run("ZSCAN", t_zscan);
    test_run("RESP2 and RESP3 raw replies", t_resp3);
    test_run("encoding conversion and config", t_encoding);
    test_run("BZPOPMIN BZPOPMAX BZMPOP", t_blocking);
    test_run("generic key commands on sorted sets", t_generic_keys);
    test_run("randomized against a model", t_randomized);
    test_run("ZUNION ZINTER ZDIFF (and STORE, ZINTERCARD): errors", t_setop_errors);
    test_run("ZUNION ZUNIONSTORE", t_zunion);
    test_run("ZINTER ZINTERSTORE ZINTERCARD", t_zinter);
    test_run("ZDIFF ZDIFFSTORE", t_zdiff);
    test_run("set operations in RESP3", t_setop_resp3);
    test_run("randomized set operations against a model", t_setop_randomized);
    test_run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("zset");
}
