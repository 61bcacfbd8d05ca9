/* tests/integration/test_sort.c: SORT and SORT_RO on lists, sets and sorted sets: numeric
 * and ALPHA order, ASC/DESC, LIMIT clamping, BY (keys, hash fields, missing keys, "nosort"),
 * GET (several patterns, "#", hash fields, missing keys), STORE (overwriting, deleting,
 * TTL dropped), SORT_RO without STORE, the exact errors and their order, and a randomized
 * run against an in-test model.
 *
 * Every expectation was checked against Redis 7.0.15 (CAIRN_TEST_SERVER=
 * /usr/bin/redis-server). ALPHA order without STORE is strcoll() in Redis: the checks here
 * use ASCII letters and digits, which sort the same in the C and C.UTF-8 locales and in
 * Cairn's byte order; bytes past a NUL are checked through STORE (memcmp in Redis too), and
 * against Cairn only without it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

static srv *S;
static bool is_cairn; /* else real Redis 7.0 */

#define WRONGTYPE "WRONGTYPE Operation against a key holding the wrong kind of value"
#define NOT_INT "ERR value is not an integer or out of range"
#define SYNTAX "ERR syntax error"
#define NOT_DOUBLE "ERR One or more scores can't be converted into double"
#define S_(...) ((const char *[]){__VA_ARGS__})
#define N_(...) (sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *))
/* EXPECT_SORT(c, S_("a", "b"), "SORT k ALPHA"): the reply is exactly these bulks. */
#define EXPECT_SORT(c, exp, ...)                                                                   \
    EXPECT_ARRAY_STRS(c, exp, sizeof(exp) / sizeof(const char *), __VA_ARGS__)
#define EXPECT_EMPTY(c, ...) EXPECT_ARRAY_STRS(c, S_(NULL), 0, __VA_ARGS__)

static redisContext *fresh(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    return c;
}

static void t_start(void) {
    S = srv_start(NULL);
    if (!S) return;
    is_cairn = srv_is_cairn(S);
}

/* ---- numeric and ALPHA order ------------------------------------------------------ */

static void t_numeric(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 6, "RPUSH l 3 1 2 10 -5 1.5");
    EXPECT_SORT(c, S_("-5", "1", "1.5", "2", "3", "10"), "SORT l");
    EXPECT_SORT(c, S_("-5", "1", "1.5", "2", "3", "10"), "SORT l ASC");
    EXPECT_SORT(c, S_("10", "3", "2", "1.5", "1", "-5"), "SORT l DESC");
    EXPECT_SORT(c, S_("10", "3", "2", "1.5", "1", "-5"), "SORT_RO l DESC");
    /* The last of ASC/DESC wins; ALPHA may repeat. */
    EXPECT_SORT(c, S_("10", "3", "2", "1.5", "1", "-5"), "SORT l ASC DESC");
    EXPECT_SORT(c, S_("-5", "1", "1.5", "10", "2", "3"), "SORT l ALPHA ALPHA ASC");
    /* Equal numbers are ordered by their bytes (reversed by DESC). */
    EXPECT_INT(c, 4, "RPUSH t 1.0 01 1 0.5");
    EXPECT_SORT(c, S_("0.5", "01", "1", "1.0"), "SORT t");
    EXPECT_SORT(c, S_("1.0", "1", "01", "0.5"), "SORT t DESC");
    /* Weights are read as strtod reads them: "" is 0, blanks before, hex, inf. */
    EXPECT_INT(c, 7, "RPUSH w %b %s %s %s %s %s %s", "", (size_t)0, " 7", "0x10", "1e3", "inf",
               "-inf", "-0");
    EXPECT_SORT(c, S_("-inf", "", "-0", " 7", "0x10", "1e3", "inf"), "SORT w");
    /* Duplicates in a list stay. */
    EXPECT_INT(c, 4, "RPUSH d 2 1 2 1");
    EXPECT_SORT(c, S_("1", "1", "2", "2"), "SORT d");
    /* Big integers and decimals. */
    EXPECT_INT(c, 4, "RPUSH b 9223372036854775807 -9223372036854775808 1e18 0.000001");
    EXPECT_SORT(c, S_("-9223372036854775808", "0.000001", "1e18", "9223372036854775807"),
                "SORT b");
    redisFree(c);
}

static void t_numeric_errors(void) {
    redisContext *c = fresh();
    const char *bad[] = {"a", "nan", "1e400", "1e-400", "1 ", "1x", "--1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        EXPECT_STATUS(c, "OK", "FLUSHALL");
        EXPECT_INT(c, 3, "RPUSH l 1 %s 2", bad[i]);
        EXPECT_ERR(c, NOT_DOUBLE, "SORT l");
        EXPECT_ERR(c, NOT_DOUBLE, "SORT_RO l DESC LIMIT 0 1");
        /* The error comes first: the destination is left alone. */
        EXPECT_STATUS(c, "OK", "SET dst keep");
        EXPECT_ERR(c, NOT_DOUBLE, "SORT l STORE dst");
        EXPECT_BULK(c, "keep", "GET dst");
        /* ALPHA and "nosort" do not read numbers. */
        EXPECT_INT(c, 3, "SORT l ALPHA STORE dst");
        EXPECT_SORT(c, S_("1", bad[i], "2"), "SORT l BY nosort");
    }
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    EXPECT_INT(c, 2, "RPUSH l x y");
    EXPECT_SORT(c, S_("x", "x", NULL), "SORT l BY nosort LIMIT 0 1 GET # GET # GET nokey");
    /* Weights from BY are read the same way; a missing key weighs 0. */
    EXPECT_STATUS(c, "OK", "MSET w_x 1 w_y abc");
    EXPECT_ERR(c, NOT_DOUBLE, "SORT l BY w_*");
    EXPECT_STATUS(c, "OK", "SET w_y -3");
    EXPECT_SORT(c, S_("y", "x"), "SORT l BY w_*");
    EXPECT_INT(c, 1, "DEL w_y");
    EXPECT_SORT(c, S_("y", "x"), "SORT l BY w_*"); /* 0 < 1 */
    redisFree(c);
}

static void t_alpha(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 6, "RPUSH l banana apple cherry Apple b10 b9");
    EXPECT_SORT(c, S_("Apple", "apple", "b10", "b9", "banana", "cherry"), "SORT l ALPHA");
    EXPECT_SORT(c, S_("cherry", "banana", "b9", "b10", "apple", "Apple"), "SORT l ALPHA DESC");
    EXPECT_SORT(c, S_("b10", "b9"), "SORT l ALPHA LIMIT 2 2");
    EXPECT_SORT(c, S_("b9", "b10"), "SORT l DESC ALPHA LIMIT 2 2");
    EXPECT_ERR(c, NOT_DOUBLE, "SORT l");
    /* A prefix sorts first; bytes past a NUL count (memcmp when storing). */
    EXPECT_INT(c, 5, "RPUSH bin %b %b %b %b %b", "ab", (size_t)2, "a", (size_t)1, "a\0c", (size_t)3,
               "a\0b", (size_t)3, "\xff", (size_t)1);
    EXPECT_INT(c, 5, "SORT bin ALPHA STORE out");
    redisReply *r = CMD(c, "LRANGE out 0 -1");
    if (CHECK_REPLY_ARRAY(r, 5)) {
        CHECK_REPLY_BULK(r->element[0], "a");
        CHECK_REPLY_BULK(r->element[3], "ab");
        CHECK_REPLY_BULK(r->element[4], "\xff");
        CHECK_REPLY_BULK_LEN(r->element[1], "a\0b", 3);
        CHECK_REPLY_BULK_LEN(r->element[2], "a\0c", 3);
    }
    if (r) freeReplyObject(r);
    if (is_cairn) { /* Redis's strcoll stops at the NUL when replying */
        r = CMD(c, "SORT bin ALPHA DESC");
        if (CHECK_REPLY_ARRAY(r, 5)) {
            CHECK_REPLY_BULK(r->element[0], "\xff");
            CHECK_REPLY_BULK(r->element[1], "ab");
            CHECK_REPLY_BULK_LEN(r->element[2], "a\0c", 3);
            CHECK_REPLY_BULK_LEN(r->element[3], "a\0b", 3);
            CHECK_REPLY_BULK(r->element[4], "a");
        }
        if (r) freeReplyObject(r);
    }
    redisFree(c);
}

/* ---- the three input types ------------------------------------------------------- */

static void t_types(void) {
    redisContext *c = fresh();
    /* Sets in each encoding. */
    EXPECT_INT(c, 5, "SADD si 30 -2 7 100 0");
    EXPECT_SORT(c, S_("-2", "0", "7", "30", "100"), "SORT si");
    EXPECT_SORT(c, S_("100", "30", "7"), "SORT si DESC LIMIT 0 3");
    EXPECT_SORT(c, S_("-2", "0", "100", "30", "7"), "SORT si ALPHA");
    EXPECT_INT(c, 4, "SADD ss 2.5 1 b 1e1");
    EXPECT_ERR(c, NOT_DOUBLE, "SORT ss");
    EXPECT_INT(c, 1, "SREM ss b");
    EXPECT_SORT(c, S_("1", "2.5", "1e1"), "SORT ss");
    char buf[32];
    for (int i = 0; i < 600; i++) {
        snprintf(buf, sizeof buf, "%d", (i * 7919) % 600);
        EXPECT_INT(c, 1, "SADD big %s", buf);
    }
    EXPECT_BULK(c, "hashtable", "OBJECT ENCODING big");
    EXPECT_SORT(c, S_("0", "1", "2"), "SORT big LIMIT 0 3");
    EXPECT_SORT(c, S_("599", "598"), "SORT big DESC LIMIT 0 2");
    EXPECT_SORT(c, S_("0", "1", "10"), "SORT big ALPHA LIMIT 0 3");
    EXPECT_INT(c, 600, "SORT big STORE out");
    EXPECT_BULK(c, "599", "LINDEX out -1");
    /* Sorted sets: sorted by the members, not the scores. */
    EXPECT_INT(c, 4, "ZADD z 1 30 2 10 3 20 4 -1");
    EXPECT_SORT(c, S_("-1", "10", "20", "30"), "SORT z");
    EXPECT_SORT(c, S_("30", "20", "10", "-1"), "SORT z DESC");
    EXPECT_INT(c, 3, "ZADD za 3 a 1 c 2 b");
    EXPECT_SORT(c, S_("a", "b", "c"), "SORT za ALPHA");
    for (int i = 0; i < 200; i++) {
        snprintf(buf, sizeof buf, "%d", i);
        EXPECT_INT(c, 1, "ZADD zbig %d %s", -i, buf);
    }
    EXPECT_BULK(c, "skiplist", "OBJECT ENCODING zbig");
    EXPECT_SORT(c, S_("0", "1", "2"), "SORT zbig LIMIT 0 3");
    EXPECT_SORT(c, S_("199", "198", "197"), "SORT zbig BY nosort LIMIT 0 3");
    EXPECT_SORT(c, S_("0", "1", "2"), "SORT zbig BY nosort DESC LIMIT 0 3");
    /* Lists in both encodings. */
    for (int i = 0; i < 3000; i++) {
        snprintf(buf, sizeof buf, "%d", 2999 - i);
        EXPECT_INT(c, i + 1, "RPUSH lbig %s", buf);
    }
    EXPECT_SORT(c, S_("0", "1"), "SORT lbig LIMIT 0 2");
    EXPECT_SORT(c, S_("2999", "2998"), "SORT lbig BY nosort LIMIT 0 2");
    EXPECT_SORT(c, S_("0", "1"), "SORT lbig BY nosort DESC LIMIT 0 2");
    EXPECT_INT(c, 3000, "SORT lbig STORE lbig");
    EXPECT_SORT(c, S_("0", "1"), "LRANGE lbig 0 1");
    EXPECT_SORT(c, S_("2999"), "LRANGE lbig -1 -1");
    /* A missing key is an empty list. */
    EXPECT_EMPTY(c, "SORT nokey");
    EXPECT_EMPTY(c, "SORT_RO nokey BY w_* GET # LIMIT 0 10 ALPHA DESC");
    redisFree(c);
}

/* ---- LIMIT ----------------------------------------------------------------------- */

static void t_limit(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 5, "RPUSH l 5 4 3 2 1");
    EXPECT_INT(c, 5, "ZADD z 5 a 4 b 3 c 2 d 1 e");
    EXPECT_SORT(c, S_("2", "3"), "SORT l LIMIT 1 2");
    EXPECT_SORT(c, S_("1", "2"), "SORT l LIMIT -3 2");     /* negative offset: 0 */
    EXPECT_SORT(c, S_("3", "4", "5"), "SORT l LIMIT 2 -1"); /* negative count: to the end */
    EXPECT_SORT(c, S_("4", "5"), "SORT l LIMIT 3 100");
    EXPECT_SORT(c, S_("5"), "SORT l LIMIT 4 1");
    EXPECT_EMPTY(c, "SORT l LIMIT 5 1");
    EXPECT_EMPTY(c, "SORT l LIMIT 100 -1");
    EXPECT_EMPTY(c, "SORT l LIMIT 0 0");
    EXPECT_SORT(c, S_("1", "2", "3", "4", "5"), "SORT l LIMIT 0 9223372036854775807");
    EXPECT_SORT(c, S_("1", "2", "3", "4", "5"), "SORT l LIMIT -9223372036854775808 -1");
    EXPECT_SORT(c, S_("4", "3"), "SORT l DESC LIMIT 1 2");
    /* The last LIMIT wins. */
    EXPECT_SORT(c, S_("1"), "SORT l LIMIT 1 2 LIMIT 0 1");
    /* With "nosort" the range applies to the stored order (reversed by DESC). */
    EXPECT_SORT(c, S_("4", "3"), "SORT l BY nosort LIMIT 1 2");
    EXPECT_SORT(c, S_("2", "3"), "SORT l BY nosort DESC LIMIT 1 2");
    EXPECT_SORT(c, S_("1"), "SORT l BY nosort LIMIT 0 9 DESC LIMIT 4 -1 ASC GET #");
    EXPECT_SORT(c, S_("d", "c"), "SORT z BY nosort LIMIT 1 2");
    EXPECT_SORT(c, S_("b", "c"), "SORT z BY nosort DESC LIMIT 1 2");
    EXPECT_SORT(c, S_("b", "a"), "SORT z BY nosort LIMIT 3 10");
    EXPECT_EMPTY(c, "SORT z BY nosort LIMIT 5 10");
    EXPECT_EMPTY(c, "SORT z BY nosort DESC LIMIT 0 0");
    EXPECT_SORT(c, S_("c", "d", "e"), "SORT z BY nosort DESC LIMIT 2 -1");
    EXPECT_SORT(c, S_("c", "d"), "SORT z ALPHA LIMIT 2 2");
    redisFree(c);
}

/* ---- BY and GET ------------------------------------------------------------------- */

static void t_by(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 4, "RPUSH l a b c d");
    EXPECT_STATUS(c, "OK", "MSET w_a 3 w_b 1 w_c 2 w_d -1.5");
    EXPECT_SORT(c, S_("d", "b", "c", "a"), "SORT l BY w_*");
    EXPECT_SORT(c, S_("a", "c", "b", "d"), "SORT l BY w_* DESC");
    EXPECT_SORT(c, S_("b", "c"), "SORT l BY w_* LIMIT 1 2");
    /* The star may sit anywhere; only the first one is replaced. */
    EXPECT_STATUS(c, "OK", "MSET a:w 4 b:w 3 c:w 2 d:w 1");
    EXPECT_SORT(c, S_("d", "c", "b", "a"), "SORT l BY *:w");
    EXPECT_STATUS(c, "OK", "MSET x_a_* 2 x_b_* 1 x_c_* 4 x_d_* 3");
    EXPECT_SORT(c, S_("b", "a", "d", "c"), "SORT l BY x_*_*");
    /* Missing keys and keys of other types weigh 0 (ties by the element). */
    EXPECT_INT(c, 2, "DEL w_b w_c");
    EXPECT_INT(c, 1, "RPUSH w_c 99");
    EXPECT_SORT(c, S_("d", "b", "c", "a"), "SORT l BY w_*");
    EXPECT_SORT(c, S_("a", "c", "b", "d"), "SORT l BY w_* DESC");
    EXPECT_SORT(c, S_("a", "b", "c", "d"), "SORT l BY nokey_*");
    /* Hash fields: KEY->FIELD after the star. */
    EXPECT_INT(c, 2, "HSET h_a f 10 g z");
    EXPECT_INT(c, 2, "HSET h_b f 5 g y");
    EXPECT_INT(c, 2, "HSET h_c f 7 g x");
    EXPECT_INT(c, 1, "HSET h_d g w");
    EXPECT_SORT(c, S_("d", "b", "c", "a"), "SORT l BY h_*->f");
    EXPECT_SORT(c, S_("d", "c", "b", "a"), "SORT l BY h_*->g ALPHA");
    EXPECT_SORT(c, S_("a", "b", "c", "d"), "SORT l BY h_*->g ALPHA DESC");
    /* A field that is missing, or a key that is not a hash, weighs 0 / sorts first. */
    EXPECT_SORT(c, S_("a", "b", "c", "d"), "SORT l BY h_*->nofield");
    EXPECT_SORT(c, S_("a", "b", "c", "d"), "SORT l BY w_*->f");
    EXPECT_INT(c, 1, "HDEL h_c g");
    EXPECT_SORT(c, S_("c", "d", "b", "a"), "SORT l BY h_*->g ALPHA");
    /* A field of a big (hashtable) hash; a field name with "->" in it. */
    for (int i = 0; i < 600; i++) EXPECT_INT(c, 1, "HSET hb_1 f%d %d", i, i);
    EXPECT_INT(c, 1, "HSET hb_1 f 5");
    EXPECT_BULK(c, "hashtable", "OBJECT ENCODING hb_1");
    EXPECT_INT(c, 1, "HSET hb_2 f 3");
    EXPECT_INT(c, 3, "RPUSH idx 1 3 2");
    EXPECT_SORT(c, S_("3", "2", "1"), "SORT idx BY hb_*->f");
    EXPECT_SORT(c, S_("1", "2", "3"), "SORT idx BY hb_*->f DESC");
    EXPECT_SORT(c, S_("5", "3", NULL), "SORT idx BY hb_*->f DESC GET hb_*->f");
    EXPECT_SORT(c, S_("7"), "SORT idx LIMIT 0 1 GET hb_*->f7");
    EXPECT_INT(c, 3, "HSET hx_1 a->b 3 a 1 b 2");
    EXPECT_INT(c, 3, "HSET hx_2 a->b 1 a 2 b 1");
    EXPECT_INT(c, 2, "RPUSH two 1 2");
    EXPECT_SORT(c, S_("2", "1"), "SORT two BY hx_*->a->b");
    EXPECT_SORT(c, S_("1", "2"), "SORT two BY hx_*->a");
    /* "->" with nothing after it is part of the key name. */
    EXPECT_STATUS(c, "OK", "MSET k_1-> 5 k_2-> 4");
    EXPECT_SORT(c, S_("2", "1"), "SORT two BY k_*->");
    /* "->" before the star is part of the key name too. */
    EXPECT_STATUS(c, "OK", "MSET k->1 5 k->2 6");
    EXPECT_SORT(c, S_("1", "2"), "SORT two BY k->*");
    EXPECT_SORT(c, S_("2", "1"), "SORT two BY k->* DESC");
    /* Numeric BY values come from hash listpack integers too. */
    EXPECT_INT(c, 1, "HSET hx_1 n -9223372036854775808");
    EXPECT_INT(c, 1, "HSET hx_2 n 9223372036854775807");
    EXPECT_SORT(c, S_("2", "1"), "SORT two BY hx_*->n DESC");
    redisFree(c);
}

static void t_get(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 3, "RPUSH l 2 3 1");
    EXPECT_STATUS(c, "OK", "MSET name_1 one name_2 two name_3 three");
    EXPECT_INT(c, 1, "HSET info_1 color red");
    EXPECT_INT(c, 2, "HSET info_2 color green size 7");
    EXPECT_SORT(c, S_("one", "two", "three"), "SORT l GET name_*");
    EXPECT_SORT(c, S_("1", "one", "red", "2", "two", "green", "3", "three", NULL),
                "SORT l GET # GET name_* GET info_*->color");
    EXPECT_SORT(c, S_("three", NULL, "3", "two", "7", "2"),
                "SORT l DESC LIMIT 0 2 GET name_* GET info_*->size GET #");
    /* GET without a star (other than "#") is always null; a missing key too. */
    EXPECT_SORT(c, S_(NULL, NULL, NULL), "SORT l GET name_1");
    EXPECT_SORT(c, S_(NULL, "1", NULL, "2", NULL, "3"), "SORT l GET nokey_* GET #");
    /* A key of another type gives null. */
    EXPECT_SORT(c, S_(NULL, NULL, NULL), "SORT l GET info_*");
    EXPECT_SORT(c, S_(NULL, NULL, NULL), "SORT l GET name_*->x");
    /* The same pattern twice; BY and GET together. */
    EXPECT_STATUS(c, "OK", "MSET w_1 30 w_2 20 w_3 10");
    EXPECT_SORT(c, S_("three", "three", "two", "two", "one", "one"),
                "SORT l BY w_* GET name_* GET name_*");
    EXPECT_SORT(c, S_("10", "20", "30"), "SORT l BY w_* GET w_*");
    /* GET with nosort keeps the list's order. */
    EXPECT_SORT(c, S_("two", "three", "one"), "SORT l BY nosort GET name_*");
    /* Integers stored as strings come back as text. */
    EXPECT_STATUS(c, "OK", "SET name_1 -42");
    EXPECT_SORT(c, S_("-42"), "SORT l LIMIT 0 1 GET name_*");
    /* Sets and sorted sets. */
    EXPECT_INT(c, 3, "SADD s 3 1 2");
    EXPECT_SORT(c, S_("-42", "two", "three"), "SORT s GET name_*");
    EXPECT_INT(c, 3, "ZADD z 3 1 1 2 2 3");
    EXPECT_SORT(c, S_("red", "green", NULL), "SORT z GET info_*->color");
    EXPECT_SORT(c, S_("two", "three", "-42"), "SORT z BY nosort GET name_*");
    redisFree(c);
}

/* BY "nosort" (any pattern without a star). */
static void t_nosort(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 4, "RPUSH l c a d b");
    EXPECT_SORT(c, S_("c", "a", "d", "b"), "SORT l BY nosort");
    EXPECT_SORT(c, S_("b", "d", "a", "c"), "SORT l BY nosort DESC");
    EXPECT_SORT(c, S_("c", "a", "d", "b"), "SORT l BY nosort ALPHA"); /* no sorting at all */
    EXPECT_SORT(c, S_("c", "a", "d", "b"), "SORT l BY #");
    EXPECT_SORT(c, S_("a", "b", "c", "d"), "SORT l BY w_*"); /* all missing: 0 */
    /* Once a BY has no star nothing is sorted, whatever the BY options after it. */
    EXPECT_SORT(c, S_("c", "a", "d", "b"), "SORT l BY nosort BY w_* ALPHA");
    EXPECT_SORT(c, S_("c", "a", "d", "b"), "SORT l BY w_* BY nosort");
    /* Non-numbers are fine: nothing is read as a number. */
    EXPECT_INT(c, 4, "SORT l BY nosort STORE out");
    EXPECT_SORT(c, S_("c", "a", "d", "b"), "LRANGE out 0 -1");
    EXPECT_INT(c, 4, "SORT l BY nosort DESC STORE out");
    EXPECT_SORT(c, S_("b", "d", "a", "c"), "LRANGE out 0 -1");
    /* Sorted sets keep score order. */
    EXPECT_INT(c, 4, "ZADD z 4 a 1 b 3 c 2 d");
    EXPECT_SORT(c, S_("b", "d", "c", "a"), "SORT z BY nosort");
    EXPECT_SORT(c, S_("a", "c", "d", "b"), "SORT z BY nosort DESC");
    EXPECT_INT(c, 2, "SORT z BY nosort DESC LIMIT 1 2 STORE out");
    EXPECT_SORT(c, S_("c", "d"), "LRANGE out 0 -1");
    /* Sets come in their own order: only the members are checked. */
    EXPECT_INT(c, 4, "SADD s x y z w");
    EXPECT_ARRAY_UNORDERED(c, S_("w", "x", "y", "z"), 4, "SORT s BY nosort");
    EXPECT_ARRAY_UNORDERED(c, S_("w", "x", "y", "z"), 4, "SORT s BY nosort DESC");
    redisReply *r = CMD(c, "SORT s BY nosort LIMIT 1 2");
    CHECK_REPLY_ARRAY(r, 2);
    if (r) freeReplyObject(r);
    /* ... but a stored result is sorted (ALPHA, in DESC's direction). */
    EXPECT_INT(c, 4, "SORT s BY nosort STORE out");
    EXPECT_SORT(c, S_("w", "x", "y", "z"), "LRANGE out 0 -1");
    EXPECT_INT(c, 4, "SORT s BY nosort DESC STORE out");
    EXPECT_SORT(c, S_("z", "y", "x", "w"), "LRANGE out 0 -1");
    EXPECT_INT(c, 2, "SORT s BY nosort LIMIT 1 2 GET # STORE out");
    EXPECT_SORT(c, S_("x", "y"), "LRANGE out 0 -1");
    EXPECT_INT(c, 4, "SADD si 10 9 100 1");
    EXPECT_INT(c, 4, "SORT si BY nosort STORE out");
    EXPECT_SORT(c, S_("1", "10", "100", "9"), "LRANGE out 0 -1"); /* ALPHA, not numeric */
    redisFree(c);
}

/* ---- STORE ------------------------------------------------------------------------ */

static void t_store(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 3, "RPUSH l 3 1 2");
    EXPECT_INT(c, 3, "SORT l STORE out");
    EXPECT_STATUS(c, "list", "TYPE out");
    EXPECT_SORT(c, S_("1", "2", "3"), "LRANGE out 0 -1");
    /* Overwrites any type and drops the TTL. */
    EXPECT_STATUS(c, "OK", "SET out x EX 100");
    EXPECT_INT(c, 3, "SORT l DESC STORE out");
    EXPECT_SORT(c, S_("3", "2", "1"), "LRANGE out 0 -1");
    EXPECT_INT(c, -1, "TTL out");
    EXPECT_INT(c, 1, "HSET out2 f v");
    EXPECT_INT(c, 2, "SORT l LIMIT 1 5 STORE out2");
    EXPECT_SORT(c, S_("2", "3"), "LRANGE out2 0 -1");
    /* Into the source itself. */
    EXPECT_INT(c, 3, "SORT l STORE l");
    EXPECT_SORT(c, S_("1", "2", "3"), "LRANGE l 0 -1");
    /* An empty result deletes the destination. */
    EXPECT_INT(c, 0, "SORT l LIMIT 5 5 STORE out");
    EXPECT_INT(c, 0, "EXISTS out");
    EXPECT_STATUS(c, "OK", "SET out x");
    EXPECT_INT(c, 0, "SORT nokey STORE out");
    EXPECT_INT(c, 0, "EXISTS out");
    EXPECT_INT(c, 0, "SORT nokey STORE nothere");
    EXPECT_INT(c, 0, "EXISTS nothere");
    /* GET results are stored, a missing one as an empty element; the count is the
     * number of elements stored. */
    EXPECT_STATUS(c, "OK", "MSET n_1 one n_3 three");
    EXPECT_INT(c, 1, "HSET h_2 f two");
    EXPECT_INT(c, 6, "SORT l GET n_* GET # STORE out");
    EXPECT_SORT(c, S_("one", "1", "", "2", "three", "3"), "LRANGE out 0 -1");
    EXPECT_INT(c, 3, "SORT l GET h_*->f STORE out");
    EXPECT_SORT(c, S_("", "two", ""), "LRANGE out 0 -1");
    /* The last STORE wins; STORE before other options. */
    EXPECT_INT(c, 2, "SORT l STORE a1 LIMIT 0 2 STORE a2");
    EXPECT_INT(c, 0, "EXISTS a1");
    EXPECT_SORT(c, S_("1", "2"), "LRANGE a2 0 -1");
    /* A long result is a quicklist, a short one a listpack (as RPUSH would make it). */
    EXPECT_INT(c, 3, "SORT l STORE small");
    EXPECT_BULK(c, is_cairn ? "listpack" : "quicklist", "OBJECT ENCODING small");
    for (int i = 0; i < 2000; i++) EXPECT_INT(c, i + 1, "RPUSH big %d", i * 1000003);
    EXPECT_INT(c, 2000, "SORT big DESC STORE out");
    EXPECT_BULK(c, "quicklist", "OBJECT ENCODING out");
    EXPECT_SORT(c, S_("1999005997"), "LRANGE out 0 0");
    EXPECT_SORT(c, S_("0"), "LRANGE out -1 -1");
    EXPECT_INT(c, 2000, "LLEN out");
    /* Sets and sorted sets as input. */
    EXPECT_INT(c, 3, "SADD s b a c");
    EXPECT_INT(c, 3, "SORT s ALPHA STORE out");
    EXPECT_SORT(c, S_("a", "b", "c"), "LRANGE out 0 -1");
    EXPECT_INT(c, 2, "ZADD z 2 x 1 y");
    EXPECT_INT(c, 2, "SORT z ALPHA DESC STORE out");
    EXPECT_SORT(c, S_("y", "x"), "LRANGE out 0 -1");
    redisFree(c);
}

/* ---- errors ----------------------------------------------------------------------- */

static void t_errors(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 2, "RPUSH l 1 2");
    EXPECT_STATUS(c, "OK", "SET str 1");
    EXPECT_INT(c, 1, "HSET h f 1");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'sort' command", "SORT");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'sort_ro' command", "SORT_RO");
    EXPECT_ERR(c, WRONGTYPE, "SORT str");
    EXPECT_ERR(c, WRONGTYPE, "SORT h");
    EXPECT_ERR(c, WRONGTYPE, "SORT_RO h BY nosort");
    EXPECT_ERR(c, WRONGTYPE, "SORT str STORE out");
    EXPECT_INT(c, 0, "EXISTS out");
    /* Unknown options and missing arguments. */
    EXPECT_ERR(c, SYNTAX, "SORT l foo");
    EXPECT_ERR(c, SYNTAX, "SORT l LIMIT");
    EXPECT_ERR(c, SYNTAX, "SORT l LIMIT 1");
    EXPECT_ERR(c, SYNTAX, "SORT l BY");
    EXPECT_ERR(c, SYNTAX, "SORT l GET");
    EXPECT_ERR(c, SYNTAX, "SORT l STORE");
    EXPECT_ERR(c, SYNTAX, "SORT l ASC GET # DESC foo");
    EXPECT_ERR(c, SYNTAX, "SORT l LIMIT 0 1 2");
    /* SORT_RO has no STORE. */
    EXPECT_ERR(c, SYNTAX, "SORT_RO l STORE out");
    EXPECT_INT(c, 0, "EXISTS out");
    /* LIMIT numbers. */
    EXPECT_ERR(c, NOT_INT, "SORT l LIMIT a 1");
    EXPECT_ERR(c, NOT_INT, "SORT l LIMIT 1 b");
    EXPECT_ERR(c, NOT_INT, "SORT l LIMIT 1.5 1");
    EXPECT_ERR(c, NOT_INT, "SORT l LIMIT 0 9223372036854775808");
    /* Options are read first, left to right, then the key's type. */
    EXPECT_ERR(c, SYNTAX, "SORT str foo");
    EXPECT_ERR(c, NOT_INT, "SORT str LIMIT x 1");
    EXPECT_ERR(c, NOT_INT, "SORT l LIMIT x 1 foo");
    EXPECT_ERR(c, SYNTAX, "SORT l foo LIMIT x 1");
    EXPECT_ERR(c, SYNTAX, "SORT_RO str STORE out");
    EXPECT_EMPTY(c, "SORT nokey ALPHA");
    /* Words are case-insensitive. */
    EXPECT_SORT(c, S_("2", "1"), "sort l dEsC lImIt 0 5 gEt # bY nosort AlPhA");
    redisFree(c);
}

/* ---- randomized against a model ------------------------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 2685821657736338717ull;
}
static long rnd_below(long n) { return (long)(rnd() % (uint64_t)n); }

enum { POOL = 60, MAXN = 40 };
static char pool[POOL][16];   /* element texts: integers, some with an 'x' (not numbers) */
static char wval[POOL][32];   /* w_<e>: a number, or "" for a missing key */
static char hval[POOL][16];   /* h_<e> field f: distinct letters+digits, or "" for missing */
static char nval[POOL][16];   /* n_<e>: a string, or "" for missing */

typedef struct item {
    int e;       /* pool index */
    double w;    /* numeric weight */
    bool has;    /* ALPHA BY weight present */
    size_t pos;  /* input order */
} item;

static bool m_desc, m_alpha;
static int m_by; /* 0 none, 1 w_*, 2 h_*->f */

static int bytes_cmp(const char *a, const char *b) { return strcmp(a, b); }

static int item_cmp(const void *pa, const void *pb) {
    const item *a = pa, *b = pb;
    int r;
    if (!m_alpha) {
        r = a->w < b->w ? -1 : a->w > b->w;
        if (!r) r = bytes_cmp(pool[a->e], pool[b->e]);
    } else if (m_by == 2) {
        if (!a->has || !b->has) r = (int)a->has - (int)b->has;
        else r = bytes_cmp(hval[a->e], hval[b->e]);
    } else {
        r = bytes_cmp(pool[a->e], pool[b->e]);
    }
    if (m_desc) r = -r;
    if (!r) r = a->pos < b->pos ? -1 : a->pos > b->pos;
    return r;
}

static void t_random_model(void) {
    redisContext *c = fresh();
    for (int i = 0; i < POOL; i++) {
        if (i % 7 == 3) snprintf(pool[i], sizeof pool[i], "x%d", i);
        else snprintf(pool[i], sizeof pool[i], "%d", i * 37 % 101);
    }
    int rounds = 600;
    for (int round = 0; round < rounds; round++) {
        if (round % 40 == 0) {
            /* New weights: w_* numbers with ties; h_*->f distinct letters (or missing). */
            EXPECT_STATUS(c, "OK", "FLUSHALL");
            bool hfull = rnd_below(2); /* every h_*->f present (else BY h_* is rarely usable) */
            for (int i = 0; i < POOL; i++) {
                wval[i][0] = hval[i][0] = nval[i][0] = '\0';
                long k = rnd_below(10);
                if (k < 8) {
                    snprintf(wval[i], sizeof wval[i], k < 4 ? "%ld" : "%ld.25", rnd_below(21) - 10);
                    EXPECT_STATUS(c, "OK", "SET w_%s %s", pool[i], wval[i]);
                }
                if (hfull || rnd_below(5)) {
                    snprintf(hval[i], sizeof hval[i], "%c%d", 'a' + (int)rnd_below(26), i);
                    EXPECT_INT(c, 1, "HSET h_%s f %s", pool[i], hval[i]);
                }
                if (rnd_below(3)) {
                    snprintf(nval[i], sizeof nval[i], "n%ld", rnd_below(1000));
                    EXPECT_STATUS(c, "OK", "SET n_%s %s", pool[i], nval[i]);
                }
            }
        }
        /* The input: a list (repeats allowed), a set or a sorted set. */
        int type = (int)rnd_below(3);
        int n = (int)rnd_below(MAXN);
        item v[MAXN];
        int nv = 0;
        bool used[POOL] = {0};
        CMD_INT(c, "DEL k");
        for (int j = 0; j < n; j++) {
            int e = (int)rnd_below(POOL);
            if (type != 0 && used[e]) continue;
            used[e] = true;
            if (type == 0) CMD_INT(c, "RPUSH k %s", pool[e]);
            else if (type == 1) CMD_INT(c, "SADD k %s", pool[e]);
            else CMD_INT(c, "ZADD k %d %s", nv * 3 % 17, pool[e]);
            v[nv] = (item){.e = e, .pos = (size_t)nv};
            nv++;
        }
        if (type == 2) { /* the model's input order is the score order (ties by member) */
            redisReply *r = CMD(c, "ZRANGE k 0 -1");
            if (!CHECK_REPLY_ARRAY(r, nv)) {
                if (r) freeReplyObject(r);
                continue;
            }
            for (int j = 0; j < nv; j++)
                for (int i = 0; i < POOL; i++)
                    if (!strcmp(pool[i], r->element[j]->str)) v[j].e = i;
            freeReplyObject(r);
        }
        /* The options. */
        int by = (int)rnd_below(4); /* 0 none, 1 w_*, 2 h_*->f, 3 nosort */
        bool desc = rnd_below(2), alpha = rnd_below(2);
        bool store = rnd_below(3) == 0, ro = !store && rnd_below(2);
        bool limit = rnd_below(2);
        long off = rnd_below(MAXN + 4) - 3, cnt = rnd_below(MAXN + 4) - 3;
        int ngets = (int)rnd_below(4);
        int gets[3];
        for (int g = 0; g < ngets; g++) gets[g] = (int)rnd_below(4); /* # n_* h_*->f nostar */
        if (by == 2) alpha = true;  /* distinct values, compared as text */
        if (by == 1) alpha = false; /* numbers */
        /* Redis orders ties between missing ALPHA BY values arbitrarily: BY h_*->f only
         * when every element of this input has its field. */
        if (by == 2)
            for (int j = 0; j < nv; j++)
                if (!hval[v[j].e][0]) by = 0;
        bool set_nosort = type == 1 && by == 3 && !store;
        if (set_nosort) limit = false; /* the set's own order: compare members only */

        char cmd[512];
        int len = snprintf(cmd, sizeof cmd, "%s k", ro ? "SORT_RO" : "SORT");
        static const char *bys[] = {"", " BY w_*", " BY h_*->f", " BY nosort"};
        static const char *getp[] = {"#", "n_*", "h_*->f", "nostar"};
        len += snprintf(cmd + len, sizeof cmd - (size_t)len, "%s", bys[by]);
        if (limit) len += snprintf(cmd + len, sizeof cmd - (size_t)len, " LIMIT %ld %ld", off, cnt);
        for (int g = 0; g < ngets; g++)
            len += snprintf(cmd + len, sizeof cmd - (size_t)len, " GET %s", getp[gets[g]]);
        if (desc) len += snprintf(cmd + len, sizeof cmd - (size_t)len, " DESC");
        if (alpha) len += snprintf(cmd + len, sizeof cmd - (size_t)len, " ALPHA");
        if (store) len += snprintf(cmd + len, sizeof cmd - (size_t)len, " STORE dst");

        /* The model. */
        bool dontsort = by == 3, err = false;
        m_desc = desc;
        m_alpha = alpha;
        m_by = by;
        if (dontsort && type == 1 && store) {
            dontsort = false;
            m_alpha = true;
            m_by = 0;
        }
        if (dontsort) {
            if (desc && type != 1)
                for (int i = 0, j = nv - 1; i < j; i++, j--) {
                    item t = v[i];
                    v[i] = v[j];
                    v[j] = t;
                }
        } else {
            for (int j = 0; j < nv; j++) {
                const char *wt = pool[v[j].e];
                if (m_by == 1) wt = wval[v[j].e];
                if (m_by == 2) wt = hval[v[j].e];
                v[j].has = wt[0] != '\0';
                if (m_by && !v[j].has) {
                    v[j].w = 0;
                    continue;
                }
                if (!m_alpha) {
                    char *end;
                    v[j].w = strtod(wt, &end);
                    if (*end) err = true;
                }
            }
            if (type == 1) /* a set's input order is not known: ties must not matter */
                for (int j = 0; j < nv; j++) v[j].pos = 0;
            qsort(v, (size_t)nv, sizeof(item), item_cmp);
        }
        long start = limit ? (off < 0 ? 0 : off) : 0;
        long end = !limit || cnt < 0 ? nv - 1 : start + cnt - 1;
        if (start >= nv) start = nv - 1, end = nv - 2;
        if (end >= nv) end = nv - 1;
        const char *exp[MAXN * 3 + 1];
        size_t ne = 0;
        for (long j = start; j <= end; j++) {
            int e = v[j].e;
            if (!ngets) exp[ne++] = pool[e];
            for (int g = 0; g < ngets; g++) {
                const char *x = NULL;
                if (gets[g] == 0) x = pool[e];
                else if (gets[g] == 1) x = nval[e][0] ? nval[e] : NULL;
                else if (gets[g] == 2) x = hval[e][0] ? hval[e] : NULL;
                if (!x && store) x = "";
                exp[ne++] = x;
            }
        }

        char shown[sizeof cmd];
        memcpy(shown, cmd, sizeof cmd);
        const char *argv[32];
        size_t lens[32];
        int argc = 0;
        for (char *p = strtok(cmd, " "); p && argc < 32; p = strtok(NULL, " ")) {
            argv[argc] = p;
            lens[argc++] = strlen(p);
        }
        redisReply *r = CMD_ARGV(c, argc, argv, lens);
        if (!r) break;
        int fails = test_checks_failed;
        if (err) {
            CHECK_REPLY_ERR(r, NOT_DOUBLE);
        } else if (store) {
            CHECK_REPLY_INT(r, (long long)ne);
            freeReplyObject(r);
            r = CMD(c, "LRANGE dst 0 -1");
            for (size_t i = 0; i < ne; i++) /* LRANGE has no nils */
                if (!exp[i]) exp[i] = "";
            CHECK_REPLY_STRS(r, exp, ne);
            if (ne == 0) EXPECT_INT(c, 0, "EXISTS dst");
        } else {
            if (set_nosort) CHECK_REPLY_STRS_UNORDERED(r, exp, ne);
            else CHECK_REPLY_STRS(r, exp, ne);
        }
        if (test_checks_failed != fails) {
            test_fail(__FILE__, __LINE__, "round %d: type %d, %s", round, type, shown);
            freeReplyObject(r);
            break;
        }
        freeReplyObject(r);
        CMD_INT(c, "DEL dst");
    }
    redisFree(c);
}

static void t_stop(void) {
    CHECK(srv_stop(S));
    S = NULL;
}

int main(void) {
    test_run("start server", t_start);
    if (!S) return test_summary("sort");
    test_run("numeric order", t_numeric);
    test_run("numeric errors", t_numeric_errors);
    test_run("ALPHA order", t_alpha);
    test_run("lists, sets and sorted sets", t_types);
    test_run("LIMIT", t_limit);
    test_run("BY", t_by);
    test_run("GET", t_get);
    test_run("BY nosort", t_nosort);
    test_run("STORE", t_store);
    test_run("errors and their order", t_errors);
    test_run("random sorts against a model", t_random_model);
    test_run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("sort");
}
