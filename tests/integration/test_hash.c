/* tests/integration/test_hash.c: the hash type against a running server: every command
 * and option, exact error texts, WRONGTYPE, the listpack -> hashtable conversion at its
 * thresholds (and CONFIG SET of them), HSCAN completeness, RESP3 reply bytes, generic key
 * commands on hashes, and a randomized comparison with an in-test model.
 * Every expectation was checked against Redis 7.0.15 (CAIRN_TEST_SERVER=/usr/bin/redis-server). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness.h"

static srv *S;

/* A fresh connection on an empty keyspace, with the default thresholds. */
static redisContext *fresh(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    EXPECT_STATUS(c, "OK", "CONFIG SET hash-max-listpack-entries 512 hash-max-listpack-value 64");
    return c;
}

#define NOT_INT "ERR value is not an integer or out of range"
#define NOT_FLOAT "ERR value is not a valid float"
#define WRONGTYPE "WRONGTYPE Operation against a key holding the wrong kind of value"

static void t_start(void) { S = srv_start(NULL); }

/* HSET key with fields ffmt % i and values vfmt % i for i in [from, to), 100 pairs a call. */
static void hset_range(redisContext *c, const char *key, int from, int to, const char *ffmt,
                       const char *vfmt) {
    enum { BATCH = 100 };
    const char *argv[2 + 2 * BATCH];
    size_t lens[2 + 2 * BATCH];
    char bufs[2 * BATCH][64];
    for (int i = from; i < to;) {
        int n = 2;
        argv[0] = "HSET", lens[0] = 4;
        argv[1] = key, lens[1] = strlen(key);
        for (int k = 0; k < BATCH && i < to; k++, i++) {
            char *f = bufs[2 * k], *v = bufs[2 * k + 1];
            snprintf(f, 64, ffmt, i);
            snprintf(v, 64, vfmt, i);
            argv[n] = f, lens[n] = strlen(f), n++;
            argv[n] = v, lens[n] = strlen(v), n++;
        }
        redisReply *r = CMD_ARGV(c, n, argv, lens);
        CHECK(r && r->type == REDIS_REPLY_INTEGER);
        freeReplyObject(r);
    }
}

#define EXPECT_ENCODING(c, enc, key) EXPECT_BULK(c, enc, "OBJECT ENCODING %s", key)

/* ---------------------------------------------------------------- basics */

static void t_hset_hget(void) {
    redisContext *c = fresh();
    EXPECT_NIL(c, "HGET h f");
    EXPECT_INT(c, 1, "HSET h f v");
    EXPECT_BULK(c, "v", "HGET h f");
    EXPECT_INT(c, 0, "HSET h f v2"); /* an update is not a new field */
    EXPECT_BULK(c, "v2", "HGET h f");
    EXPECT_INT(c, 2, "HSET h a 1 b 2 f v3");
    EXPECT_BULK(c, "v3", "HGET h f");
    EXPECT_INT(c, 1, "HSET h x 1 x 2"); /* the same field twice: one new, last value */
    EXPECT_BULK(c, "2", "HGET h x");
    EXPECT_NIL(c, "HGET h nope");
    EXPECT_NIL(c, "HGET nokey f");
    EXPECT_INT(c, 4, "HLEN h");
    EXPECT_STATUS(c, "hash", "TYPE h");
    EXPECT_ENCODING(c, "listpack", "h");
    EXPECT_INT(c, 1, "hset lower case v"); /* any case */
    EXPECT_BULK(c, "v", "hGeT lower case");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hset' command", "HSET h");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hset' command", "HSET h f");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hset' command", "HSET h f v f2");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hget' command", "HGET h");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hget' command", "HGET h f g");
    EXPECT_INT(c, 0, "EXISTS nokey"); /* a failed HSET creates nothing */
    redisFree(c);
}

static void t_hmset_hsetnx(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "HMSET h a 1 b 2");
    EXPECT_STATUS(c, "OK", "HMSET h a 3");
    EXPECT_BULK(c, "3", "HGET h a");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hmset' command", "HMSET h a");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hmset' command", "HMSET h a 1 b");
    EXPECT_INT(c, 0, "HSETNX h a x");
    EXPECT_BULK(c, "3", "HGET h a");
    EXPECT_INT(c, 1, "HSETNX h c x");
    EXPECT_BULK(c, "x", "HGET h c");
    EXPECT_INT(c, 1, "HSETNX new f v"); /* creates the key */
    EXPECT_BULK(c, "v", "HGET new f");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hsetnx' command", "HSETNX h a");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hsetnx' command", "HSETNX h a b c");
    redisFree(c);
}

static void t_hmget_hexists_hlen_hstrlen(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 3, "HSET h a 1 b hello c %s", "");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"1", NULL, "hello", ""}), 4, "HMGET h a nope b c");
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL, NULL}), 2, "HMGET nokey a b");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hmget' command", "HMGET h");
    EXPECT_INT(c, 1, "HEXISTS h a");
    EXPECT_INT(c, 1, "HEXISTS h c");
    EXPECT_INT(c, 0, "HEXISTS h nope");
    EXPECT_INT(c, 0, "HEXISTS nokey a");
    EXPECT_INT(c, 3, "HLEN h");
    EXPECT_INT(c, 0, "HLEN nokey");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hlen' command", "HLEN h x");
    EXPECT_INT(c, 1, "HSTRLEN h a");
    EXPECT_INT(c, 5, "HSTRLEN h b");
    EXPECT_INT(c, 0, "HSTRLEN h c");
    EXPECT_INT(c, 0, "HSTRLEN h nope");
    EXPECT_INT(c, 0, "HSTRLEN nokey a");
    EXPECT_INT(c, 1, "HSET h n -9223372036854775808");
    EXPECT_INT(c, 20, "HSTRLEN h n"); /* integer-valued: the length of its text */
    EXPECT_INT(c, 1, "HSET h big 99999999999999999999");
    EXPECT_INT(c, 20, "HSTRLEN h big");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hexists' command", "HEXISTS h");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hstrlen' command", "HSTRLEN h");
    redisFree(c);
}

static void t_hgetall_hkeys_hvals(void) {
    redisContext *c = fresh();
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 0, "HGETALL nokey");
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 0, "HKEYS nokey");
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 0, "HVALS nokey");
    EXPECT_INT(c, 3, "HSET h z 1 a 2 m three");
    /* A listpack keeps insertion order, in both servers. */
    EXPECT_ARRAY_STRS(c, ((const char *[]){"z", "1", "a", "2", "m", "three"}), 6, "HGETALL h");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"z", "a", "m"}), 3, "HKEYS h");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"1", "2", "three"}), 3, "HVALS h");
    EXPECT_INT(c, 1, "HDEL h a");
    EXPECT_INT(c, 1, "HSET h a again");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"z", "1", "m", "three", "a", "again"}), 6, "HGETALL h");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hgetall' command", "HGETALL h x");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hkeys' command", "HKEYS");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hvals' command", "HVALS h x");

    /* A hashtable: any order, each pair intact. */
    hset_range(c, "big", 0, 1000, "f%d", "v%d");
    EXPECT_ENCODING(c, "hashtable", "big");
    redisReply *r = CMD(c, "HGETALL big");
    if (CHECK_REPLY_ARRAY(r, 2000)) {
        static char seen[1000];
        memset(seen, 0, sizeof(seen));
        for (size_t i = 0; i < r->elements; i += 2) {
            int n = atoi(r->element[i]->str + 1);
            CHECK(n >= 0 && n < 1000 && !seen[n]);
            if (n < 0 || n >= 1000) continue;
            seen[n] = 1;
            char v[16];
            snprintf(v, sizeof(v), "v%d", n);
            CHECK_REPLY_BULK(r->element[i + 1], v);
        }
    }
    freeReplyObject(r);
    r = CMD(c, "HKEYS big");
    CHECK_REPLY_ARRAY(r, 1000);
    freeReplyObject(r);
    r = CMD(c, "HVALS big");
    if (CHECK_REPLY_ARRAY(r, 1000)) CHECK(r->element[0]->str[0] == 'v');
    freeReplyObject(r);
    redisFree(c);
}

static void t_hdel(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 0, "HDEL nokey a");
    EXPECT_INT(c, 4, "HSET h a 1 b 2 c 3 d 4");
    EXPECT_INT(c, 1, "HDEL h a");
    EXPECT_INT(c, 0, "HDEL h a");
    EXPECT_INT(c, 2, "HDEL h b c nope c"); /* a field named twice counts once */
    EXPECT_INT(c, 1, "HLEN h");
    EXPECT_INT(c, 1, "HDEL h d"); /* the last field: the key goes */
    EXPECT_INT(c, 0, "EXISTS h");
    EXPECT_STATUS(c, "none", "TYPE h");
    EXPECT_INT(c, 2, "HSET h a 1 b 2");
    EXPECT_INT(c, 2, "HDEL h a b a"); /* stops at the last field, the key gone */
    EXPECT_INT(c, 0, "EXISTS h");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hdel' command", "HDEL h");

    /* The same on a hashtable. */
    hset_range(c, "big", 0, 600, "f%d", "v%d");
    EXPECT_ENCODING(c, "hashtable", "big");
    EXPECT_INT(c, 2, "HDEL big f0 f1 nope");
    EXPECT_INT(c, 598, "HLEN big");
    for (int i = 2; i < 599; i++) EXPECT_INT(c, 1, "HDEL big f%d", i);
    EXPECT_ENCODING(c, "hashtable", "big"); /* never back to a listpack */
    EXPECT_INT(c, 1, "HLEN big");
    EXPECT_INT(c, 1, "HDEL big f599");
    EXPECT_INT(c, 0, "EXISTS big");
    redisFree(c);
}

/* ---------------------------------------------------------------- counters */

static void t_hincrby(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 5, "HINCRBY h a 5"); /* creates key and field */
    EXPECT_INT(c, 2, "HINCRBY h a -3");
    EXPECT_BULK(c, "2", "HGET h a");
    EXPECT_INT(c, -10, "HINCRBY h b -10");
    EXPECT_INT(c, 1, "HSET h s hello");
    EXPECT_ERR(c, "ERR hash value is not an integer", "HINCRBY h s 1");
    EXPECT_INT(c, 0, "HSET h s 007");
    EXPECT_ERR(c, "ERR hash value is not an integer", "HINCRBY h s 1");
    EXPECT_INT(c, 0, "HSET h s %s", "");
    EXPECT_ERR(c, "ERR hash value is not an integer", "HINCRBY h s 1");
    EXPECT_INT(c, 0, "HSET h s 1.5");
    EXPECT_ERR(c, "ERR hash value is not an integer", "HINCRBY h s 1");
    EXPECT_ERR(c, NOT_INT, "HINCRBY h a x");
    EXPECT_ERR(c, NOT_INT, "HINCRBY h a 1.5");
    EXPECT_ERR(c, NOT_INT, "HINCRBY h a 9223372036854775808");
    EXPECT_INT(c, 1, "HSET h m 9223372036854775807");
    EXPECT_ERR(c, "ERR increment or decrement would overflow", "HINCRBY h m 1");
    EXPECT_INT(c, 0, "HSET h m -9223372036854775808");
    EXPECT_ERR(c, "ERR increment or decrement would overflow", "HINCRBY h m -1");
    EXPECT_INT(c, 9223372036854775807LL, "HINCRBY h z 9223372036854775807");
    EXPECT_INT(c, -1, "HINCRBY h m 9223372036854775807");
    EXPECT_BULK(c, "-1", "HGET h m");
    EXPECT_INT(c, 0, "HINCRBY h zero 0");
    EXPECT_BULK(c, "0", "HGET h zero");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hincrby' command", "HINCRBY h a");
    /* The increment is checked before the key (and its type). */
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_ERR(c, NOT_INT, "HINCRBY s a x");
    EXPECT_ERR(c, WRONGTYPE, "HINCRBY s a 1");
    redisFree(c);
}

static void t_hincrbyfloat(void) {
    redisContext *c = fresh();
    EXPECT_BULK(c, "10.5", "HINCRBYFLOAT h a 10.50");
    EXPECT_BULK(c, "10.6", "HINCRBYFLOAT h a 0.1");
    EXPECT_BULK(c, "10.6", "HGET h a"); /* stored as text */
    EXPECT_INT(c, 4, "HSTRLEN h a");
    EXPECT_BULK(c, "3000", "HINCRBYFLOAT h b 3.0e3");
    EXPECT_INT(c, 4, "HSTRLEN h b");
    EXPECT_INT(c, 3000, "HINCRBY h b 0"); /* an integer-looking result is an integer */
    EXPECT_BULK(c, "5", "HINCRBYFLOAT h i 5");
    EXPECT_BULK(c, "6.5", "HINCRBYFLOAT h i 1.5"); /* from an integer value */
    EXPECT_BULK(c, "0", "HINCRBYFLOAT h tiny 1e-20");
    EXPECT_BULK(c, "-1.25", "HINCRBYFLOAT h neg -1.25");
    EXPECT_BULK(c, "0", "HINCRBYFLOAT h neg 1.25");
    EXPECT_INT(c, 1, "HSET h s hello");
    EXPECT_ERR(c, "ERR hash value is not a float", "HINCRBYFLOAT h s 1");
    EXPECT_INT(c, 0, "HSET h s %s", "");
    EXPECT_ERR(c, "ERR hash value is not a float", "HINCRBYFLOAT h s 1");
    EXPECT_ERR(c, NOT_FLOAT, "HINCRBYFLOAT h a x");
    EXPECT_ERR(c, NOT_FLOAT, "HINCRBYFLOAT h a nan");
    EXPECT_ERR(c, NOT_FLOAT, "HINCRBYFLOAT h a %s", "");
    EXPECT_ERR(c, "ERR value is NaN or Infinity", "HINCRBYFLOAT h a inf");
    EXPECT_ERR(c, "ERR value is NaN or Infinity", "HINCRBYFLOAT h a -inf");
    EXPECT_INT(c, 1, "HSET h f 1e4932");
    EXPECT_ERR(c, "ERR increment would produce NaN or Infinity", "HINCRBYFLOAT h f 1e4932");
    EXPECT_BULK(c, "1e4932", "HGET h f"); /* unchanged */
    EXPECT_INT(c, 0, "HSET h f 1.5e1");
    EXPECT_BULK(c, "16", "HINCRBYFLOAT h f 1"); /* any float text is read */
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hincrbyfloat' command", "HINCRBYFLOAT h a");
    /* The increment is checked before the key. */
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_ERR(c, NOT_FLOAT, "HINCRBYFLOAT s a x");
    EXPECT_ERR(c, "ERR value is NaN or Infinity", "HINCRBYFLOAT s a inf");
    EXPECT_ERR(c, WRONGTYPE, "HINCRBYFLOAT s a 1");
    redisFree(c);
}

/* ---------------------------------------------------------------- HRANDFIELD */

/* Index of field name "f<i>" in [0, n), or -1. */
static int field_index(const redisReply *r, int n) {
    if (!r || r->type != REDIS_REPLY_STRING || r->len < 2 || r->str[0] != 'f') return -1;
    char *end;
    long i = strtol(r->str + 1, &end, 10);
    return *end == '\0' && i >= 0 && i < n ? (int)i : -1;
}

/* Checks an HRANDFIELD reply of a hash with fields f0..f<n-1> and values v<i>:
 * `expect` fields, distinct if asked, values matching when withvalues (RESP2: flat). */
static void check_randfield(redisReply *r, int n, long expect, bool distinct, bool withvalues) {
    long per = withvalues ? 2 : 1;
    if (!CHECK_REPLY_ARRAY(r, expect * per)) return;
    char *seen = calloc((size_t)n, 1);
    for (long i = 0; i < expect; i++) {
        int k = field_index(r->element[i * per], n);
        if (k < 0) {
            test_fail(__FILE__, __LINE__, "not a field: %s", reply_describe(r->element[i * per]));
            break;
        }
        if (distinct && seen[k]) test_fail(__FILE__, __LINE__, "field f%d repeated", k);
        seen[k] = 1;
        if (withvalues) {
            char v[32];
            snprintf(v, sizeof(v), "v%d", k);
            CHECK_REPLY_BULK(r->element[i * per + 1], v);
        }
    }
    free(seen);
}

static void randfield_cases(redisContext *c, const char *key, int n) {
    /* No count: one field. */
    redisReply *r = CMD(c, "HRANDFIELD %s", key);
    CHECK(field_index(r, n) >= 0);
    freeReplyObject(r);
    long counts[] = {1, 2, n / 4, n / 2, n - 1, n, n + 5, 1000000};
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        long want = counts[i] < n ? counts[i] : n;
        r = CMD(c, "HRANDFIELD %s %ld", key, counts[i]);
        check_randfield(r, n, want, true, false);
        freeReplyObject(r);
        r = CMD(c, "HRANDFIELD %s %ld WITHVALUES", key, counts[i]);
        check_randfield(r, n, want, true, true);
        freeReplyObject(r);
    }
    /* Negative: exactly |count|, repeats allowed. */
    long negs[] = {-1, -2, -(long)n, -3L * n};
    for (size_t i = 0; i < sizeof(negs) / sizeof(negs[0]); i++) {
        r = CMD(c, "HRANDFIELD %s %ld", key, negs[i]);
        check_randfield(r, n, -negs[i], false, false);
        freeReplyObject(r);
        r = CMD(c, "hrandfield %s %ld withvalues", key, negs[i]);
        check_randfield(r, n, -negs[i], false, true);
        freeReplyObject(r);
    }
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 0, "HRANDFIELD %s 0", key);
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 0, "HRANDFIELD %s 0 WITHVALUES", key);
}

static void t_hrandfield(void) {
    redisContext *c = fresh();
    EXPECT_NIL(c, "HRANDFIELD nokey");
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 0, "HRANDFIELD nokey 5");
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 0, "HRANDFIELD nokey -5 WITHVALUES");
    hset_range(c, "small", 0, 20, "f%d", "v%d");
    EXPECT_ENCODING(c, "listpack", "small");
    randfield_cases(c, "small", 20);
    hset_range(c, "big", 0, 1000, "f%d", "v%d");
    EXPECT_ENCODING(c, "hashtable", "big");
    randfield_cases(c, "big", 1000);

    /* Every field of a small hash comes up about equally often. */
    EXPECT_INT(c, 3, "HSET three f0 v0 f1 v1 f2 v2");
    redisReply *r = CMD(c, "HRANDFIELD three -3000");
    if (CHECK_REPLY_ARRAY(r, 3000)) {
        int hits[3] = {0, 0, 0};
        for (size_t i = 0; i < r->elements; i++) {
            int k = field_index(r->element[i], 3);
            if (k >= 0) hits[k]++;
        }
        for (int k = 0; k < 3; k++) CHECK_RANGE(hits[k], 800, 1200);
    }
    freeReplyObject(r);

    /* Errors, in Redis's order: count, syntax, range with WITHVALUES, then the key. */
    EXPECT_ERR(c, NOT_INT, "HRANDFIELD small x");
    EXPECT_ERR(c, NOT_INT, "HRANDFIELD small 1.5");
    EXPECT_ERR(c, "ERR value is out of range, value must between -9223372036854775807 and "
                  "9223372036854775807",
               "HRANDFIELD small -9223372036854775808");
    EXPECT_ERR(c, "ERR syntax error", "HRANDFIELD small 1 foo");
    EXPECT_ERR(c, "ERR syntax error", "HRANDFIELD small 1 WITHVALUES x");
    EXPECT_ERR(c, "ERR value is out of range", "HRANDFIELD small -9223372036854775807 WITHVALUES");
    EXPECT_ERR(c, "ERR value is out of range", "HRANDFIELD small 4611686018427387904 WITHVALUES");
    EXPECT_ERR(c, "ERR value is out of range", "HRANDFIELD small -4611686018427387904 WITHVALUES");
    r = CMD(c, "HRANDFIELD small 4611686018427387903 WITHVALUES");
    check_randfield(r, 20, 20, true, true);
    freeReplyObject(r);
    r = CMD(c, "HRANDFIELD small 9223372036854775807");
    check_randfield(r, 20, 20, true, false);
    freeReplyObject(r);
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hrandfield' command", "HRANDFIELD");
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_ERR(c, NOT_INT, "HRANDFIELD s x");
    EXPECT_ERR(c, "ERR syntax error", "HRANDFIELD s 1 bad");
    EXPECT_ERR(c, WRONGTYPE, "HRANDFIELD s");
    EXPECT_ERR(c, WRONGTYPE, "HRANDFIELD s 5");
    EXPECT_ERR(c, WRONGTYPE, "HRANDFIELD s 0");
    redisFree(c);
}

/* ---------------------------------------------------------------- HSCAN */

/* One HSCAN call: returns the next cursor (or -1 on a failure) and the reply in *out. */
static long long hscan_call(redisContext *c, const char *key, long long cursor, const char *opts,
                            redisReply **out) {
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "HSCAN %s %lld %s", key, cursor, opts);
    redisReply *r = CMD(c, cmd);
    *out = r;
    if (!CHECK_REPLY_ARRAY(r, 2) || r->element[0]->type != REDIS_REPLY_STRING ||
        r->element[1]->type != REDIS_REPLY_ARRAY || r->element[1]->elements % 2 != 0) {
        test_fail(__FILE__, __LINE__, "bad HSCAN reply: %s", reply_describe(r));
        return -1;
    }
    return strtoll(r->element[0]->str, NULL, 10);
}

static void t_hscan_small(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 4, "HSET h a 1 b 2 c 3 ab 4");
    redisReply *r;
    /* A listpack: everything at once, cursor 0, whatever the cursor and COUNT. */
    const char *opts[] = {"", "COUNT 1", "count 1000"};
    long long cursors[] = {0, 7, 123456};
    for (size_t i = 0; i < 3; i++) {
        CHECK_EQ_INT(hscan_call(c, "h", cursors[i], opts[i], &r), 0);
        if (r && r->elements == 2)
            CHECK_REPLY_STRS(r->element[1], ((const char *[]){"a", "1", "b", "2", "c", "3", "ab", "4"}), 8);
        freeReplyObject(r);
    }
    CHECK_EQ_INT(hscan_call(c, "h", 0, "MATCH a*", &r), 0);
    if (r && r->elements == 2) CHECK_REPLY_STRS(r->element[1], ((const char *[]){"a", "1", "ab", "4"}), 4);
    freeReplyObject(r);
    CHECK_EQ_INT(hscan_call(c, "h", 0, "MATCH * COUNT 2", &r), 0);
    if (r && r->elements == 2) CHECK_REPLY_ARRAY(r->element[1], 8);
    freeReplyObject(r);
    CHECK_EQ_INT(hscan_call(c, "h", 0, "MATCH 1", &r), 0); /* matches fields, not values */
    if (r && r->elements == 2) CHECK_REPLY_ARRAY(r->element[1], 0);
    freeReplyObject(r);
    CHECK_EQ_INT(hscan_call(c, "h", 0, "MATCH z* MATCH b", &r), 0); /* the last MATCH wins */
    if (r && r->elements == 2) CHECK_REPLY_STRS(r->element[1], ((const char *[]){"b", "2"}), 2);
    freeReplyObject(r);
    /* A missing key: an empty scan, even before the options are looked at. */
    CHECK_EQ_INT(hscan_call(c, "nokey", 0, "", &r), 0);
    if (r && r->elements == 2) CHECK_REPLY_ARRAY(r->element[1], 0);
    freeReplyObject(r);
    CHECK_EQ_INT(hscan_call(c, "nokey", 0, "BAD", &r), 0);
    freeReplyObject(r);
    /* Errors: the cursor first, then the key's type, then the options. */
    EXPECT_ERR(c, "ERR invalid cursor", "HSCAN h x");
    EXPECT_ERR(c, "ERR invalid cursor", "HSCAN h 1x");
    EXPECT_ERR(c, "ERR invalid cursor", "HSCAN nokey x");
    EXPECT_ERR(c, "ERR syntax error", "HSCAN h 0 BAD");
    EXPECT_ERR(c, "ERR syntax error", "HSCAN h 0 COUNT 0");
    EXPECT_ERR(c, "ERR syntax error", "HSCAN h 0 COUNT -1");
    EXPECT_ERR(c, NOT_INT, "HSCAN h 0 COUNT x");
    EXPECT_ERR(c, "ERR syntax error", "HSCAN h 0 COUNT");
    EXPECT_ERR(c, "ERR syntax error", "HSCAN h 0 MATCH");
    EXPECT_ERR(c, "ERR syntax error", "HSCAN h 0 TYPE hash"); /* SCAN's option only */
    EXPECT_ERR(c, "ERR wrong number of arguments for 'hscan' command", "HSCAN h");
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_ERR(c, "ERR invalid cursor", "HSCAN s x");
    EXPECT_ERR(c, WRONGTYPE, "HSCAN s 0");
    EXPECT_ERR(c, WRONGTYPE, "HSCAN s 0 BAD");
    redisFree(c);
}

/* Iterates the whole hash with opts; marks seen[i] for each field f<i>; checks that each
 * returned field matches prefix (if any) and carries its value. Returns the call count. */
static int hscan_all(redisContext *c, const char *key, const char *opts, char *seen, int n,
                     const char *prefix) {
    long long cursor = 0;
    int calls = 0;
    do {
        redisReply *r;
        cursor = hscan_call(c, key, cursor, opts, &r);
        calls++;
        if (cursor < 0) {
            freeReplyObject(r);
            return calls;
        }
        redisReply *a = r->element[1];
        for (size_t i = 0; i < a->elements; i += 2) {
            int k = field_index(a->element[i], n);
            if (k < 0) {
                test_fail(__FILE__, __LINE__, "not a field: %s", reply_describe(a->element[i]));
                continue;
            }
            if (prefix && strncmp(a->element[i]->str, prefix, strlen(prefix)) != 0)
                test_fail(__FILE__, __LINE__, "%s does not match", a->element[i]->str);
            char v[32];
            snprintf(v, sizeof(v), "v%d", k);
            CHECK_REPLY_BULK(a->element[i + 1], v);
            seen[k] = 1;
        }
        freeReplyObject(r);
    } while (cursor != 0 && calls < 100000);
    return calls;
}

static void t_hscan_large(void) {
    redisContext *c = fresh();
    enum { N = 10000 };
    hset_range(c, "h", 0, N, "f%d", "v%d");
    EXPECT_INT(c, N, "HLEN h");
    EXPECT_ENCODING(c, "hashtable", "h");
    static char seen[N];

    /* Default COUNT: every field at least once, over many calls. */
    memset(seen, 0, sizeof(seen));
    int calls = hscan_all(c, "h", "", seen, N, NULL);
    CHECK(calls > 100);
    for (int i = 0; i < N; i++)
        if (!seen[i]) {
            test_fail(__FILE__, __LINE__, "field f%d never returned", i);
            break;
        }

    /* COUNT 100: fewer calls, still complete. */
    memset(seen, 0, sizeof(seen));
    int calls100 = hscan_all(c, "h", "COUNT 100", seen, N, NULL);
    CHECK(calls100 < calls && calls100 > 10);
    for (int i = 0; i < N; i++)
        if (!seen[i]) {
            test_fail(__FILE__, __LINE__, "field f%d never returned with COUNT 100", i);
            break;
        }

    /* MATCH with COUNT: only matching fields, all of them. */
    memset(seen, 0, sizeof(seen));
    hscan_all(c, "h", "MATCH f1* COUNT 50", seen, N, "f1");
    for (int i = 0; i < N; i++) {
        char f[16];
        snprintf(f, sizeof(f), "f%d", i);
        if (f[1] == '1' && !seen[i]) {
            test_fail(__FILE__, __LINE__, "matching field %s never returned", f);
            break;
        }
    }

    /* Fields removed and added while scanning: every field there all along is seen. */
    memset(seen, 0, sizeof(seen));
    long long cursor = 0;
    int step = 0;
    do {
        redisReply *r;
        cursor = hscan_call(c, "h", cursor, "COUNT 20", &r);
        if (cursor >= 0) {
            redisReply *a = r->element[1];
            for (size_t i = 0; i < a->elements; i += 2) {
                int k = field_index(a->element[i], N + 5000);
                if (k >= 0 && k < N) seen[k] = 1;
            }
        }
        freeReplyObject(r);
        /* Grow the table (add f10000..) and delete some already-seen fields. */
        if (step < 50) hset_range(c, "h", N + step * 100, N + step * 100 + 100, "f%d", "v%d");
        step++;
    } while (cursor > 0);
    for (int i = 0; i < N; i++)
        if (!seen[i]) {
            test_fail(__FILE__, __LINE__, "field f%d missed while the hash grew", i);
            break;
        }
    redisFree(c);
}

/* ---------------------------------------------------------------- types and encodings */

static void t_wrongtype(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET s v");
    const char *cmds[] = {
        "HSET s a b",     "HMSET s a b",   "HSETNX s a b",   "HGET s a",         "HMGET s a b",
        "HGETALL s",      "HKEYS s",       "HVALS s",        "HDEL s a",         "HEXISTS s a",
        "HLEN s",         "HSTRLEN s a",   "HINCRBY s a 1",  "HINCRBYFLOAT s a 1", "HRANDFIELD s",
        "HRANDFIELD s 2 WITHVALUES",       "HSCAN s 0",
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) EXPECT_ERR(c, WRONGTYPE, cmds[i]);
    EXPECT_BULK(c, "v", "GET s"); /* untouched */
    /* And string commands on a hash. */
    EXPECT_INT(c, 1, "HSET h a b");
    EXPECT_ERR(c, WRONGTYPE, "GET h");
    EXPECT_ERR(c, WRONGTYPE, "APPEND h x");
    EXPECT_ERR(c, WRONGTYPE, "INCR h");
    EXPECT_ERR(c, WRONGTYPE, "STRLEN h");
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL, "v"}), 2, "MGET h s");
    EXPECT_STATUS(c, "OK", "SET h now-a-string"); /* SET overwrites any type */
    EXPECT_STATUS(c, "string", "TYPE h");
    redisFree(c);
}

static void t_encoding_entries(void) {
    redisContext *c = fresh();
    /* Default: 512 fields stay a listpack, the 513th converts. */
    hset_range(c, "h", 0, 512, "f%d", "v%d");
    EXPECT_ENCODING(c, "listpack", "h");
    EXPECT_INT(c, 0, "HSET h f0 again"); /* an update adds nothing */
    EXPECT_ENCODING(c, "listpack", "h");
    EXPECT_INT(c, 1, "HSET h f512 v512");
    EXPECT_ENCODING(c, "hashtable", "h");
    EXPECT_INT(c, 513, "HLEN h");
    EXPECT_BULK(c, "again", "HGET h f0"); /* contents kept */
    EXPECT_BULK(c, "v511", "HGET h f511");

    /* CONFIG SET: 128 -> 128 fields stay, 129 convert; one HSET crossing it too. */
    EXPECT_STATUS(c, "OK", "CONFIG SET hash-max-listpack-entries 128");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"hash-max-listpack-entries", "128"}), 2,
                      "CONFIG GET hash-max-listpack-entries");
    hset_range(c, "k", 0, 128, "f%d", "v%d");
    EXPECT_ENCODING(c, "listpack", "k");
    EXPECT_INT(c, 1, "HSETNX k f128 v128");
    EXPECT_ENCODING(c, "hashtable", "k");
    EXPECT_INT(c, 128, "HDEL k f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 f10 f11 f12 f13 f14 f15 f16 f17 f18 "
                       "f19 f20 f21 f22 f23 f24 f25 f26 f27 f28 f29 f30 f31 f32 f33 f34 f35 f36 f37 "
                       "f38 f39 f40 f41 f42 f43 f44 f45 f46 f47 f48 f49 f50 f51 f52 f53 f54 f55 f56 "
                       "f57 f58 f59 f60 f61 f62 f63 f64 f65 f66 f67 f68 f69 f70 f71 f72 f73 f74 f75 "
                       "f76 f77 f78 f79 f80 f81 f82 f83 f84 f85 f86 f87 f88 f89 f90 f91 f92 f93 f94 "
                       "f95 f96 f97 f98 f99 f100 f101 f102 f103 f104 f105 f106 f107 f108 f109 f110 "
                       "f111 f112 f113 f114 f115 f116 f117 f118 f119 f120 f121 f122 f123 f124 f125 "
                       "f126 f127");
    EXPECT_ENCODING(c, "hashtable", "k"); /* one field left: never converted back */
    hset_range(c, "m", 0, 127, "f%d", "v%d");
    EXPECT_INT(c, 2, "HSET m x 1 y 2");
    EXPECT_ENCODING(c, "hashtable", "m");
    EXPECT_INT(c, 1, "HINCRBY m2 a 1");
    hset_range(c, "m2", 0, 127, "f%d", "v%d");
    EXPECT_ENCODING(c, "listpack", "m2");
    EXPECT_INT(c, 1, "HINCRBY m2 b 1");
    EXPECT_ENCODING(c, "hashtable", "m2");
    /* A lower limit applies at the next write of an existing listpack. */
    EXPECT_INT(c, 3, "HSET p a 1 b 2 c 3");
    EXPECT_INT(c, 3, "HSET q a 1 b 2 c 3");
    EXPECT_STATUS(c, "OK", "CONFIG SET hash-max-listpack-entries 2");
    EXPECT_ENCODING(c, "listpack", "p");
    EXPECT_INT(c, 0, "HSET p a 9"); /* an update of a hash over the limit converts it */
    EXPECT_ENCODING(c, "hashtable", "p");
    EXPECT_INT(c, 0, "HDEL q nope"); /* a read or a no-op does not */
    EXPECT_BULK(c, "1", "HGET q a");
    EXPECT_INT(c, 0, "HSETNX q a 1");
    EXPECT_ENCODING(c, "listpack", "q");
    EXPECT_INT(c, 3, "HINCRBY q b 1"); /* any set does */
    EXPECT_ENCODING(c, "hashtable", "q");
    /* 0: every hash is a hashtable. */
    EXPECT_STATUS(c, "OK", "CONFIG SET hash-max-listpack-entries 0");
    EXPECT_INT(c, 1, "HSET z a 1");
    EXPECT_ENCODING(c, "hashtable", "z");
    EXPECT_BULK(c, "1", "HGET z a");
    redisFree(c);
}

static void t_encoding_value(void) {
    redisContext *c = fresh();
    char v64[65], v65[66];
    memset(v64, 'x', 64), v64[64] = '\0';
    memset(v65, 'x', 65), v65[65] = '\0';
    EXPECT_INT(c, 1, "HSET a f %s", v64);
    EXPECT_ENCODING(c, "listpack", "a");
    EXPECT_INT(c, 1, "HSET a %s v", v64); /* a 64-byte field too */
    EXPECT_ENCODING(c, "listpack", "a");
    EXPECT_INT(c, 0, "HSET a f %s", v65); /* a long value: converts, even on update */
    EXPECT_ENCODING(c, "hashtable", "a");
    EXPECT_BULK(c, v65, "HGET a f");
    EXPECT_BULK(c, "v", "HGET a %s", v64);
    EXPECT_INT(c, 1, "HSET b %s v", v65); /* a long field */
    EXPECT_ENCODING(c, "hashtable", "b");
    EXPECT_INT(c, 2, "HSET c a 1 b %s", v65); /* any pair of the command */
    EXPECT_ENCODING(c, "hashtable", "c");
    EXPECT_INT(c, 1, "HSETNX d %s 1", v65);
    EXPECT_ENCODING(c, "hashtable", "d");
    EXPECT_INT(c, 1, "HINCRBY e %s 1", v65);
    EXPECT_ENCODING(c, "hashtable", "e");
    EXPECT_INT(c, 1, "HSET f x 1");
    EXPECT_BULK(c, "10000000000000000000222479489586148259025995410601157579323600873193472",
                "HINCRBYFLOAT f x 1e70"); /* a result longer than 64 bytes */
    EXPECT_ENCODING(c, "hashtable", "f");
    EXPECT_INT(c, 0, "HSETNX a f short"); /* HSETNX of an existing field: no write */
    EXPECT_BULK(c, v65, "HGET a f");

    /* CONFIG SET of the value limit, in bytes or with a unit. */
    EXPECT_STATUS(c, "OK", "CONFIG SET hash-max-listpack-value 1kb");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"hash-max-listpack-value", "1024"}), 2,
                      "CONFIG GET hash-max-listpack-value");
    EXPECT_INT(c, 1, "HSET g f %s", v65);
    EXPECT_ENCODING(c, "listpack", "g");
    EXPECT_STATUS(c, "OK", "CONFIG SET hash-max-listpack-value 0");
    EXPECT_INT(c, 1, "HSET e0 %s %s", "", ""); /* empty field and value fit a 0 limit */
    EXPECT_ENCODING(c, "listpack", "e0");
    EXPECT_INT(c, 1, "HSET e0 a %s", "");
    EXPECT_ENCODING(c, "hashtable", "e0");
    redisFree(c);
}

static void t_config(void) {
    redisContext *c = fresh();
    /* Aliases: a glob reports both names; an exact name is reported as asked. */
    redisReply *r = CMD(c, "CONFIG GET hash-max-*");
    if (CHECK_REPLY_ARRAY(r, 8)) {
        const char *want[] = {"hash-max-listpack-entries", "512", "hash-max-listpack-value", "64",
                              "hash-max-ziplist-entries", "512", "hash-max-ziplist-value", "64"};
        int found = 0;
        for (size_t i = 0; i < 8; i += 2)
            for (size_t k = 0; k < 8; k += 2)
                if (strcmp(r->element[i]->str, want[k]) == 0 &&
                    strcmp(r->element[i + 1]->str, want[k + 1]) == 0)
                    found++;
        CHECK_EQ_INT(found, 4);
    }
    freeReplyObject(r);
    EXPECT_ARRAY_STRS(c, ((const char *[]){"hash-max-ziplist-entries", "512"}), 2,
                      "CONFIG GET hash-max-ziplist-entries");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"HASH-MAX-ZIPLIST-VALUE", "64"}), 2,
                      "CONFIG GET HASH-MAX-ZIPLIST-VALUE");
    EXPECT_STATUS(c, "OK", "CONFIG SET hash-max-ziplist-entries 100");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"hash-max-listpack-entries", "100"}), 2,
                      "CONFIG GET hash-max-listpack-entries");
    EXPECT_STATUS(c, "OK", "CONFIG SET hash-max-ziplist-value 2kb");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"hash-max-listpack-value", "2048"}), 2,
                      "CONFIG GET hash-max-listpack-value");
    /* Name and alias in one CONFIG SET are two directives to Redis 7.0: the last wins. */
    EXPECT_STATUS(c, "OK", "CONFIG SET hash-max-listpack-entries 5 hash-max-ziplist-entries 6");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"hash-max-listpack-entries", "6"}), 2,
                      "CONFIG GET hash-max-listpack-entries");
    EXPECT_ERR(c, "ERR CONFIG SET failed (possibly related to argument 'hash-max-ziplist-entries') "
                  "- duplicate parameter",
               "CONFIG SET hash-max-ziplist-entries 1 hash-max-ziplist-entries 2");
    EXPECT_ERR(c, "ERR CONFIG SET failed (possibly related to argument 'hash-max-listpack-entries') "
                  "- argument couldn't be parsed into an integer",
               "CONFIG SET hash-max-listpack-entries 1kb");
    EXPECT_ERR(c, "ERR CONFIG SET failed (possibly related to argument 'hash-max-ziplist-entries') "
                  "- argument couldn't be parsed into an integer",
               "CONFIG SET hash-max-ziplist-entries abc");
    EXPECT_ERR(c, "ERR CONFIG SET failed (possibly related to argument 'hash-max-listpack-entries') "
                  "- argument must be between 0 and 9223372036854775807 inclusive",
               "CONFIG SET hash-max-listpack-entries -1");
    EXPECT_ERR(c, "ERR CONFIG SET failed (possibly related to argument 'hash-max-listpack-value') "
                  "- argument must be a memory value",
               "CONFIG SET hash-max-listpack-value -1");
    EXPECT_ERR(c, "ERR CONFIG SET failed (possibly related to argument 'hash-max-listpack-value') "
                  "- argument must be a memory value",
               "CONFIG SET hash-max-listpack-value abc");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"hash-max-listpack-entries", "6"}), 2,
                      "CONFIG GET hash-max-listpack-entries"); /* failures changed nothing */
    EXPECT_STATUS(c, "OK", "CONFIG SET hash-max-listpack-entries 512 hash-max-listpack-value 64");
    redisFree(c);
}

static void t_config_file(void) {
    /* From the command line, by the old name. */
    srv *s = srv_start((const char *[]){"--hash-max-ziplist-entries", "3", "--hash-max-listpack-value",
                                        "5", NULL});
    if (!s) return;
    redisContext *c = srv_connect(s);
    EXPECT_ARRAY_STRS(c, ((const char *[]){"hash-max-listpack-entries", "3"}), 2,
                      "CONFIG GET hash-max-listpack-entries");
    EXPECT_INT(c, 3, "HSET h a 1 b 2 c 3");
    EXPECT_ENCODING(c, "listpack", "h");
    EXPECT_INT(c, 1, "HSET h d 4");
    EXPECT_ENCODING(c, "hashtable", "h");
    EXPECT_INT(c, 1, "HSET v f 12345");
    EXPECT_ENCODING(c, "listpack", "v");
    EXPECT_INT(c, 0, "HSET v f 123456");
    EXPECT_ENCODING(c, "hashtable", "v");
    redisFree(c);
    CHECK(srv_stop(s));
}

/* Values that look like numbers come back byte for byte, in both encodings. */
static void t_integer_text(void) {
    redisContext *c = fresh();
    const char *vals[] = {"0",    "-0",   "007",  "1",   "-1",  " 1",  "1 ",  "+1",
                          "1.0",  "1e3",  "12345678901234567890",      "-9223372036854775808",
                          "9223372036854775807", "-9223372036854775809", "4095", "-4096",
                          "127",  "128",  "65535", "0x10"};
    size_t n = sizeof(vals) / sizeof(vals[0]);
    char v65[66];
    memset(v65, 'y', 65), v65[65] = '\0';
    for (int enc = 0; enc < 2; enc++) {
        const char *key = enc ? "ht" : "lp";
        if (enc) EXPECT_INT(c, 1, "HSET ht long %s", v65);
        for (size_t i = 0; i < n; i++) {
            EXPECT_INT(c, 1, "HSET %s %s %s", key, vals[i], vals[i]); /* as field and value */
            EXPECT_BULK(c, vals[i], "HGET %s %s", key, vals[i]);
            EXPECT_INT(c, (long long)strlen(vals[i]), "HSTRLEN %s %s", key, vals[i]);
        }
        EXPECT_ENCODING(c, enc ? "hashtable" : "listpack", key);
        EXPECT_INT(c, 0, "HEXISTS %s 00", key); /* "0" the field is not "00" */
        EXPECT_INT(c, 0, "HEXISTS %s 1.00", key);
        redisReply *r = CMD(c, "HKEYS %s", key);
        if (CHECK_REPLY_ARRAY(r, (long)(n + enc))) {
            if (!enc) CHECK_REPLY_STRS(r, vals, n); /* a listpack keeps the order */
        }
        freeReplyObject(r);
        EXPECT_INT(c, 1, "HINCRBY %s 7 1", key); /* creates the field "7" */
        EXPECT_INT(c, 8, "HINCRBY %s 7 7", key);
        EXPECT_INT(c, 1, "HINCRBY %s -1 2", key);
        EXPECT_BULK(c, "1", "HGET %s -1", key);
        EXPECT_ERR(c, "ERR hash value is not an integer", "HINCRBY %s 007 1", key);
        EXPECT_ERR(c, "ERR hash value is not an integer", "HINCRBY %s -0 1", key);
    }
    redisFree(c);
}

static void t_binary(void) {
    redisContext *c = fresh();
    char v65[66];
    memset(v65, 'z', 65), v65[65] = '\0';
    for (int enc = 0; enc < 2; enc++) {
        const char *key = enc ? "ht" : "lp";
        if (enc) EXPECT_INT(c, 1, "HSET ht long %s", v65);
        EXPECT_INT(c, 1, "HSET %s %b %b", key, "a\0b", (size_t)3, "x\0\r\ny", (size_t)5);
        EXPECT_INT(c, 1, "HSET %s %b %b", key, "a", (size_t)1, "1", (size_t)1);
        EXPECT_INT(c, 1, "HSET %s %b %b", key, "", (size_t)0, "", (size_t)0);
        EXPECT_BULK_LEN(c, "x\0\r\ny", 5, "HGET %s %b", key, "a\0b", (size_t)3);
        EXPECT_BULK(c, "1", "HGET %s a", key);
        EXPECT_BULK(c, "", "HGET %s %b", key, "", (size_t)0);
        EXPECT_INT(c, 1, "HEXISTS %s %b", key, "", (size_t)0);
        EXPECT_INT(c, 0, "HEXISTS %s %b", key, "a\0", (size_t)2);
        EXPECT_INT(c, 5, "HSTRLEN %s %b", key, "a\0b", (size_t)3);
        EXPECT_INT(c, 1, "HDEL %s %b", key, "a\0b", (size_t)3);
        EXPECT_BULK(c, "1", "HGET %s a", key); /* the prefix field untouched */
        EXPECT_INT(c, 1, "HDEL %s %b", key, "", (size_t)0);
        EXPECT_ENCODING(c, enc ? "hashtable" : "listpack", key);
    }
    /* A value of 300 bytes and a field of 300 bytes (the long entry form). */
    char big[301];
    for (int i = 0; i < 300; i++) big[i] = (char)(i & 0xff);
    EXPECT_INT(c, 1, "HSET ht %b %b", big, (size_t)300, big, (size_t)300);
    EXPECT_BULK_LEN(c, big, 300, "HGET ht %b", big, (size_t)300);
    EXPECT_INT(c, 0, "HSET ht %b %b", big, (size_t)300, "short", (size_t)5);
    EXPECT_BULK(c, "short", "HGET ht %b", big, (size_t)300);
    EXPECT_INT(c, 0, "HSET ht %b %b", big, (size_t)300, big, (size_t)255);
    EXPECT_BULK_LEN(c, big, 255, "HGET ht %b", big, (size_t)300);
    EXPECT_INT(c, 0, "HSET ht long %b", big, (size_t)256);
    EXPECT_BULK_LEN(c, big, 256, "HGET ht long");
    EXPECT_INT(c, 0, "HSET ht long x");
    EXPECT_BULK(c, "x", "HGET ht long");
    redisFree(c);
}

/* Changes counted as Redis counts them (one per field set or deleted), seen in INFO. */
static void t_dirty(void) {
    redisContext *c = fresh();
    static const struct {
        const char *cmd;
        long long changes;
    } steps[] = {
        {"HSET h a 1 b 2 c 3", 3}, {"HSET h a 1", 1},      {"HMSET h a 1 b 2", 2},
        {"HSETNX h a 1", 0},       {"HSETNX h z 1", 1},    {"HDEL h a b nope", 2},
        {"HDEL h nope", 0},        {"HINCRBY h n 1", 1},   {"HINCRBYFLOAT h n 1", 1},
        {"HDEL h c z n", 3},       {"HSET x a 1", 1},      {"HDEL x a", 1},
        {"HGET h a", 0},           {"HDEL nokey a", 0},
    };
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        long long before = info_int(c, "persistence", "rdb_changes_since_last_save");
        freeReplyObject(CMD(c, steps[i].cmd));
        long long after = info_int(c, "persistence", "rdb_changes_since_last_save");
        if (after - before != steps[i].changes)
            test_fail(__FILE__, __LINE__, "%s: %lld changes, expected %lld", steps[i].cmd,
                      after - before, steps[i].changes);
    }
    redisFree(c);
}

/* ---------------------------------------------------------------- RESP3 */

/* A raw connection in RESP3 (HELLO's reply, which names the server, is skipped). */
static int resp3_connect(void) {
    int fd = raw_connect(S);
    if (fd < 0) return -1;
    raw_send_str(fd, "HELLO 3\r\n");
    size_t len;
    free(raw_read_frame(fd, &len));
    return fd;
}

static void t_resp3(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 2, "HSET h a 1 b xy");
    EXPECT_STATUS(c, "OK", "SET s v");
    redisFree(c);
    int fd = resp3_connect();
    if (fd < 0) return;
    raw_send_str(fd, "HGETALL h\r\n");
    raw_expect_str(fd, "%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\nxy\r\n");
    raw_send_str(fd, "HGETALL nokey\r\n");
    raw_expect_str(fd, "%0\r\n");
    raw_send_str(fd, "HKEYS h\r\nHVALS nokey\r\n");
    raw_expect_str(fd, "*2\r\n$1\r\na\r\n$1\r\nb\r\n*0\r\n");
    raw_send_str(fd, "HGET h nope\r\nHGET nokey a\r\nHMGET h a nope\r\n");
    raw_expect_str(fd, "_\r\n_\r\n*2\r\n$1\r\n1\r\n_\r\n");
    raw_send_str(fd, "HRANDFIELD nokey\r\nHRANDFIELD nokey 2\r\nHRANDFIELD h 0 WITHVALUES\r\n");
    raw_expect_str(fd, "_\r\n*0\r\n*0\r\n");
    /* WITHVALUES: an array of [field, value] pairs (RESP2 has it flat). */
    raw_send_str(fd, "HRANDFIELD h 2 WITHVALUES\r\n");
    raw_expect_str(fd, "*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$2\r\nxy\r\n");
    raw_send_str(fd, "HRANDFIELD h 5\r\n");
    raw_expect_str(fd, "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
    raw_send_str(fd, "HRANDFIELD h -3 WITHVALUES\r\n");
    size_t len;
    char *f = raw_read_frame(fd, &len);
    if (f) {
        CHECK(strncmp(f, "*3\r\n*2\r\n$1\r\n", 12) == 0);
        /* three pairs, each either a/1 or b/xy */
        const char *p = f + 4;
        for (int i = 0; i < 3; i++) {
            const char *pa = "*2\r\n$1\r\na\r\n$1\r\n1\r\n", *pb = "*2\r\n$1\r\nb\r\n$2\r\nxy\r\n";
            if (strncmp(p, pa, strlen(pa)) == 0) p += strlen(pa);
            else if (strncmp(p, pb, strlen(pb)) == 0) p += strlen(pb);
            else test_fail(__FILE__, __LINE__, "bad pair in %s", escape_bytes(f, len, 200));
        }
        free(f);
    }
    raw_send_str(fd, "HSCAN h 0\r\nHSCAN nokey 0\r\n");
    raw_expect_str(fd, "*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\nxy\r\n"
                       "*2\r\n$1\r\n0\r\n*0\r\n");
    raw_send_str(fd, "HINCRBYFLOAT h f 1.5\r\nHSTRLEN h f\r\nHLEN h\r\nHEXISTS h f\r\n");
    raw_expect_str(fd, "$3\r\n1.5\r\n:3\r\n:3\r\n:1\r\n");
    raw_send_str(fd, "HGET s a\r\n");
    raw_expect_str(fd, "-" WRONGTYPE "\r\n");
    close(fd);
}

/* ---------------------------------------------------------------- generic commands */

static void t_generic_keys(void) {
    redisContext *c = fresh();
    char v65[66];
    memset(v65, 'w', 65), v65[65] = '\0';
    for (int enc = 0; enc < 2; enc++) {
        const char *want = enc ? "hashtable" : "listpack";
        EXPECT_STATUS(c, "OK", "FLUSHALL");
        EXPECT_INT(c, 2, "HSET h a 1 b 2");
        if (enc) EXPECT_INT(c, 1, "HSET h long %s", v65);
        long long len = 2 + enc;
        EXPECT_STATUS(c, "hash", "TYPE h");
        EXPECT_ENCODING(c, want, "h");
        EXPECT_INT(c, 1, "EXISTS h");

        /* RENAME keeps the value and the encoding. */
        EXPECT_STATUS(c, "OK", "RENAME h h2");
        EXPECT_INT(c, 0, "EXISTS h");
        EXPECT_INT(c, len, "HLEN h2");
        EXPECT_BULK(c, "2", "HGET h2 b");
        EXPECT_ENCODING(c, want, "h2");
        EXPECT_INT(c, 1, "RENAMENX h2 h");
        EXPECT_STATUS(c, "OK", "SET s v");
        EXPECT_STATUS(c, "OK", "RENAME h s"); /* over a string */
        EXPECT_STATUS(c, "hash", "TYPE s");
        EXPECT_STATUS(c, "OK", "RENAME s h");

        /* COPY: an independent copy. */
        EXPECT_INT(c, 1, "COPY h c");
        EXPECT_ENCODING(c, want, "c");
        EXPECT_INT(c, 1, "HSET c new x");
        EXPECT_INT(c, 0, "HSET c a changed");
        EXPECT_BULK(c, "1", "HGET h a");
        EXPECT_INT(c, 0, "HEXISTS h new");
        EXPECT_INT(c, len, "HLEN h");
        EXPECT_INT(c, len + 1, "HLEN c");
        EXPECT_INT(c, 0, "COPY h c");
        EXPECT_INT(c, 1, "COPY h c REPLACE");
        EXPECT_INT(c, len, "HLEN c");
        EXPECT_INT(c, 1, "COPY h other DB 1");
        EXPECT_INT(c, 1, "DEL c");

        /* MOVE to another db and back. */
        EXPECT_INT(c, 1, "MOVE h 2");
        EXPECT_INT(c, 0, "EXISTS h");
        EXPECT_STATUS(c, "OK", "SELECT 2");
        EXPECT_BULK(c, "1", "HGET h a");
        EXPECT_ENCODING(c, want, "h");
        EXPECT_INT(c, 1, "MOVE h 0");
        EXPECT_STATUS(c, "OK", "SELECT 1");
        EXPECT_INT(c, len, "HLEN other");
        EXPECT_STATUS(c, "OK", "SELECT 0");
        EXPECT_INT(c, len, "HLEN h");

        /* Expiry: TTL survives writes to the hash; a passed deadline removes it. */
        EXPECT_INT(c, 1, "EXPIRE h 100");
        EXPECT_INT(c, 1, "HSET h c 3");
        CHECK_RANGE(CMD_INT(c, "TTL h"), 99, 100);
        EXPECT_INT(c, 1, "HDEL h c");
        CHECK_RANGE(CMD_INT(c, "TTL h"), 99, 100);
        EXPECT_STATUS(c, "OK", "RENAME h h3");
        CHECK_RANGE(CMD_INT(c, "TTL h3"), 99, 100);
        EXPECT_INT(c, 1, "PERSIST h3");
        EXPECT_INT(c, -1, "TTL h3");
        EXPECT_INT(c, 1, "PEXPIRE h3 1");
        WAIT_FOR(CMD_INT(c, "EXISTS h3") == 0, 2000);
        EXPECT_NIL(c, "HGET h3 a");
        EXPECT_INT(c, 0, "HLEN h3");

        /* SCAN TYPE and DEL. */
        EXPECT_INT(c, 1, "HSET x f v");
        EXPECT_STATUS(c, "OK", "SET y v");
        redisReply *r = CMD(c, "SCAN 0 TYPE hash COUNT 1000");
        if (CHECK_REPLY_ARRAY(r, 2)) CHECK_REPLY_STRS(r->element[1], ((const char *[]){"x"}), 1);
        freeReplyObject(r);
        EXPECT_INT(c, 2, "DEL x y");
        EXPECT_INT(c, 0, "EXISTS x");
    }
    redisFree(c);
}

/* ---------------------------------------------------------------- randomized */

static uint64_t rnd_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void) {
    uint64_t x = rnd_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rnd_state = x;
}
static int rnd_below(int n) { return (int)(rnd() % (uint64_t)n); }

/* Redis's string2ll: optional '-', digits without a leading zero ("0" alone), in range. */
static bool strict_ll(const char *s, long long *out) {
    size_t len = strlen(s);
    if (len == 0 || len > 20) return false;
    if (len == 1 && s[0] == '0') {
        *out = 0;
        return true;
    }
    const char *p = s[0] == '-' ? s + 1 : s;
    if (*p < '1' || *p > '9') return false;
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9') return false;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno) return false;
    *out = v;
    return true;
}

enum { RKEYS = 3, RMAXF = 800 };
static const int rk_fields[RKEYS] = {40, 800, 30}; /* field universes */
static char *model[RKEYS][RMAXF];                  /* NULL: absent */
static int model_len[RKEYS];

static void model_set(int k, int f, const char *v) {
    if (!model[k][f]) model_len[k]++;
    free(model[k][f]);
    model[k][f] = strdup(v);
}

static void model_del(int k, int f) {
    if (!model[k][f]) return;
    free(model[k][f]);
    model[k][f] = NULL;
    model_len[k]--;
}

static void random_value(int k, char *buf, size_t cap) {
    int kind = rnd_below(10);
    if (kind < 4) snprintf(buf, cap, "%d", rnd_below(2001) - 1000);
    else if (kind < 7) snprintf(buf, cap, "v%d", rnd_below(100000));
    else if (kind == 7) snprintf(buf, cap, "0%d", rnd_below(100)); /* not canonical */
    else if (kind == 8) snprintf(buf, cap, "%lld", (long long)(rnd() >> 1));
    else if (k == 2 && rnd_below(20) == 0) { /* rarely: too long for a listpack */
        memset(buf, 'L', 70);
        buf[70] = '\0';
    } else snprintf(buf, cap, "-%d.5", rnd_below(100));
}

static bool check_reply(redisReply *r, int type, long long i, const char *s, const char *what,
                        long op) {
    bool ok = r && r->type == type;
    if (ok && type == REDIS_REPLY_INTEGER) ok = r->integer == i;
    if (ok && (type == REDIS_REPLY_STRING || type == REDIS_REPLY_ERROR)) ok = strcmp(r->str, s) == 0;
    if (!ok)
        test_fail(__FILE__, __LINE__, "op %ld %s: got %s, want type %d %lld %s", op, what,
                  reply_describe(r), type, i, s ? s : "");
    freeReplyObject(r);
    return ok;
}

static void compare_whole(redisContext *c, int k, long op) {
    char key[16];
    snprintf(key, sizeof(key), "rk:%d", k);
    EXPECT_INT(c, model_len[k] > 0, "EXISTS %s", key);
    redisReply *r = CMD(c, "HGETALL %s", key);
    if (CHECK_REPLY_ARRAY(r, 2L * model_len[k])) {
        for (size_t i = 0; i < r->elements; i += 2) {
            int f = atoi(r->element[i]->str + 1);
            if (f < 0 || f >= rk_fields[k] || !model[k][f] ||
                strcmp(model[k][f], r->element[i + 1]->str) != 0) {
                test_fail(__FILE__, __LINE__, "op %ld: HGETALL %s has %s=%s", op, key,
                          r->element[i]->str, r->element[i + 1]->str);
                break;
            }
        }
    }
    freeReplyObject(r);
}

static void t_randomized(void) {
    redisContext *c = fresh();
    memset(model_len, 0, sizeof(model_len));
    int failures_before = test_checks_failed;
    bool seen_ht[RKEYS] = {false}, seen_lp[RKEYS] = {false};
    for (long op = 0; op < 20000 && test_checks_failed == failures_before; op++) {
        int k = rnd_below(RKEYS), nf = rk_fields[k];
        char key[16], f1[16], f2[16], v1[96], v2[96];
        snprintf(key, sizeof(key), "rk:%d", k);
        int a = rnd_below(nf), b = rnd_below(nf);
        snprintf(f1, sizeof(f1), "f%d", a);
        snprintf(f2, sizeof(f2), "f%d", b);
        int kind = rnd_below(100);
        if (kind < 35) { /* HSET one or two pairs */
            random_value(k, v1, sizeof(v1));
            if (rnd_below(4) == 0) {
                random_value(k, v2, sizeof(v2));
                long long added = !model[k][a];
                model_set(k, a, v1);
                added += !model[k][b];
                model_set(k, b, v2);
                check_reply(CMD(c, "HSET %s %s %s %s %s", key, f1, v1, f2, v2), REDIS_REPLY_INTEGER,
                            added, NULL, "HSET2", op);
            } else {
                long long added = !model[k][a];
                model_set(k, a, v1);
                check_reply(CMD(c, "HSET %s %s %s", key, f1, v1), REDIS_REPLY_INTEGER, added, NULL,
                            "HSET", op);
            }
        } else if (kind < 50) { /* HDEL one or two */
            if (rnd_below(3) == 0) {
                long long n = (model[k][a] != NULL);
                model_del(k, a);
                n += (model[k][b] != NULL);
                model_del(k, b);
                check_reply(CMD(c, "HDEL %s %s %s", key, f1, f2), REDIS_REPLY_INTEGER, n, NULL,
                            "HDEL2", op);
            } else {
                long long n = model[k][a] != NULL;
                model_del(k, a);
                check_reply(CMD(c, "HDEL %s %s", key, f1), REDIS_REPLY_INTEGER, n, NULL, "HDEL",
                            op);
            }
        } else if (kind < 60) { /* HINCRBY */
            long long incr = rnd_below(201) - 100, cur = 0;
            if (model[k][a] && !strict_ll(model[k][a], &cur)) {
                check_reply(CMD(c, "HINCRBY %s %s %lld", key, f1, incr), REDIS_REPLY_ERROR, 0,
                            "ERR hash value is not an integer", "HINCRBY", op);
            } else if ((incr > 0 && cur > LLONG_MAX - incr) || (incr < 0 && cur < LLONG_MIN - incr)) {
                check_reply(CMD(c, "HINCRBY %s %s %lld", key, f1, incr), REDIS_REPLY_ERROR, 0,
                            "ERR increment or decrement would overflow", "HINCRBY", op);
            } else {
                snprintf(v1, sizeof(v1), "%lld", cur + incr);
                model_set(k, a, v1);
                check_reply(CMD(c, "HINCRBY %s %s %lld", key, f1, incr), REDIS_REPLY_INTEGER,
                            cur + incr, NULL, "HINCRBY", op);
            }
        } else if (kind < 80) { /* HGET */
            redisReply *r = CMD(c, "HGET %s %s", key, f1);
            if (model[k][a]) check_reply(r, REDIS_REPLY_STRING, 0, model[k][a], "HGET", op);
            else check_reply(r, REDIS_REPLY_NIL, 0, NULL, "HGET", op);
        } else if (kind < 88) { /* HLEN */
            check_reply(CMD(c, "HLEN %s", key), REDIS_REPLY_INTEGER, model_len[k], NULL, "HLEN", op);
        } else if (kind < 96) { /* HEXISTS */
            check_reply(CMD(c, "HEXISTS %s %s", key, f1), REDIS_REPLY_INTEGER, model[k][a] != NULL,
                        NULL, "HEXISTS", op);
        } else { /* HSTRLEN */
            check_reply(CMD(c, "HSTRLEN %s %s", key, f1), REDIS_REPLY_INTEGER,
                        model[k][a] ? (long long)strlen(model[k][a]) : 0, NULL, "HSTRLEN", op);
        }
        if (op % 500 == 499) {
            for (int j = 0; j < RKEYS; j++) {
                compare_whole(c, j, op);
                if (model_len[j] == 0) continue;
                char *enc = CMD_STR(c, "OBJECT ENCODING rk:%d", j);
                if (enc && strcmp(enc, "hashtable") == 0) seen_ht[j] = true;
                if (enc && strcmp(enc, "listpack") == 0) seen_lp[j] = true;
                free(enc);
            }
        }
    }
    for (int j = 0; j < RKEYS; j++) compare_whole(c, j, -1);
    /* The run exercised both encodings: key 0 stays small, key 1 grows past 512. */
    CHECK(seen_lp[0] && !seen_ht[0]);
    CHECK(seen_ht[1]);
    for (int k = 0; k < RKEYS; k++)
        for (int f = 0; f < RMAXF; f++) model_del(k, f);
    redisFree(c);
}

static void t_stop(void) {
    CHECK(srv_stop(S));
    S = NULL;
}

int main(void) {
    test_run("start server", t_start);
    if (!S) return test_summary("hash");
    test_run("HSET HGET", t_hset_hget);
    test_run("HMSET HSETNX", t_hmset_hsetnx);
    test_run("HMGET HEXISTS HLEN HSTRLEN", t_hmget_hexists_hlen_hstrlen);
    test_run("HGETALL HKEYS HVALS", t_hgetall_hkeys_hvals);
    test_run("HDEL and the empty hash", t_hdel);
    test_run("HINCRBY", t_hincrby);
    test_run("HINCRBYFLOAT", t_hincrbyfloat);
    test_run("HRANDFIELD", t_hrandfield);
    test_run("HSCAN small hash and errors", t_hscan_small);
    test_run("HSCAN 10k fields", t_hscan_large);
    test_run("WRONGTYPE", t_wrongtype);
    test_run("encoding: entries threshold", t_encoding_entries);
    test_run("encoding: value threshold", t_encoding_value);
    test_run("CONFIG of the thresholds", t_config);
    test_run("thresholds from the command line", t_config_file);
    test_run("integer-looking values", t_integer_text);
    test_run("binary fields and values", t_binary);
    test_run("changes counted (INFO)", t_dirty);
    test_run("RESP3 replies", t_resp3);
    test_run("generic key commands on hashes", t_generic_keys);
    test_run("randomized against a model", t_randomized);
    test_run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("hash");
}
