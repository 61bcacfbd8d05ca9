/* tests/integration/test_types_wrongtype.c: string commands against a key of another
 * type (WRONGTYPE, or a type-agnostic overwrite), and the WRONGTYPE counts of
 * commandstats and errorstats. Kept apart from test_strings.c and test_server.c because
 * they need a list (RPUSH) to make the other-typed key; list commands against other
 * types are in test_list.c.
 *
 * Every expectation was checked against Redis 7.0.15. */
#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

static srv *S;

/* A fresh connection on an empty keyspace. */
static redisContext *fresh(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    return c;
}

/* A key holding a list, for WRONGTYPE checks. */
static void make_list(redisContext *c, const char *key) { EXPECT_INT(c, 1, "RPUSH %s x", key); }

#define WRONGTYPE "WRONGTYPE Operation against a key holding the wrong kind of value"

static void t_start(void) { S = srv_start(NULL); }

/* From test_strings.c "GET SET basics". */
static void t_get_set_wrongtype(void) {
    redisContext *c = fresh();
    make_list(c, "l");
    EXPECT_ERR(c, WRONGTYPE, "GET l");
    EXPECT_STATUS(c, "OK", "SET l v"); /* plain SET overwrites any type */
    EXPECT_BULK(c, "v", "GET l");
    redisFree(c);
}

/* From test_strings.c "SET GET". */
static void t_set_get_option_wrongtype(void) {
    redisContext *c = fresh();
    make_list(c, "l");
    EXPECT_ERR(c, WRONGTYPE, "SET l v GET");
    EXPECT_STATUS(c, "list", "TYPE l"); /* the failed SET ... GET left the key alone */
    EXPECT_ERR(c, WRONGTYPE, "SET l v NX GET");
    EXPECT_ERR(c, WRONGTYPE, "SET l v XX GET");
    redisFree(c);
}

/* From test_strings.c "SETNX SETEX PSETEX". */
static void t_setnx_setex_other_type(void) {
    redisContext *c = fresh();
    make_list(c, "l");
    EXPECT_INT(c, 0, "SETNX l v");
    EXPECT_STATUS(c, "OK", "SETEX l 100 v"); /* SETEX overwrites any type */
    EXPECT_BULK(c, "v", "GET l");
    CHECK_RANGE(CMD_INT(c, "TTL l"), 99, 100);
    redisFree(c);
}

/* From test_strings.c "MGET MSET MSETNX". */
static void t_mget_mset_msetnx_other_type(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "MSET a 1 b 2 c 3");
    make_list(c, "l");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"1", NULL, NULL, "3", "1"}), 5, "MGET a nokey l c a");
    EXPECT_INT(c, 0, "MSETNX l 1"); /* a key of another type counts as existing */
    EXPECT_INT(c, 0, "MSETNX new 1 l 1");
    EXPECT_INT(c, 0, "EXISTS new");
    EXPECT_STATUS(c, "OK", "MSET l v");
    EXPECT_BULK(c, "v", "GET l");
    redisFree(c);
}

/* From test_strings.c "INCR DECR INCRBY DECRBY", "INCRBYFLOAT", "APPEND STRLEN",
 * "GETRANGE SUBSTR", "SETRANGE", "GETDEL GETSET" and "GETEX". */
static void t_string_commands_wrongtype(void) {
    redisContext *c = fresh();
    make_list(c, "l");
    EXPECT_ERR(c, WRONGTYPE, "INCR l");
    EXPECT_ERR(c, WRONGTYPE, "DECRBY l 1");
    EXPECT_ERR(c, WRONGTYPE, "INCRBYFLOAT l 1");
    EXPECT_ERR(c, WRONGTYPE, "APPEND l x");
    EXPECT_ERR(c, WRONGTYPE, "STRLEN l");
    EXPECT_ERR(c, WRONGTYPE, "GETRANGE l 0 1");
    EXPECT_ERR(c, WRONGTYPE, "SETRANGE l 0 x");
    EXPECT_ERR(c, WRONGTYPE, "GETDEL l");
    EXPECT_ERR(c, WRONGTYPE, "GETSET l v");
    EXPECT_INT(c, 1, "EXISTS l");
    EXPECT_ERR(c, WRONGTYPE, "GETEX l");
    EXPECT_ERR(c, WRONGTYPE, "GETEX l PERSIST");
    EXPECT_STATUS(c, "list", "TYPE l"); /* none of them touched the list */
    redisFree(c);
}

/* From test_strings.c "LCS". */
static void t_lcs_other_type(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "MSET key1 ohmytext key2 mynewtext");
    make_list(c, "l");
    EXPECT_ERR(c, "ERR The specified keys must contain string values", "LCS key1 l");
    redisFree(c);
}

/* From test_server.c "commandstats errorstats RESETSTAT": the WRONGTYPE half. */
static void t_commandstats_errorstats_wrongtype(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET s abc");
    EXPECT_STATUS(c, "OK", "CONFIG RESETSTAT");
    EXPECT_ERR(c, "ERR value is not an integer or out of range", "INCR s");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'get' command", "GET");
    EXPECT_BULK(c, "abc", "GET s");
    make_list(c, "l");
    EXPECT_ERR_PREFIX(c, "WRONGTYPE ", "GET l");
    EXPECT_ERR_PREFIX(c, "ERR unknown command", "NOSUCHCMD");
    /* calls counts what ran (one ok, one failed with WRONGTYPE), not the rejected arity error. */
    CHECK_CMDSTAT(c, "get", 2, 1, 1);
    CHECK_CMDSTAT(c, "incr", 1, 0, 1);
    CHECK_CMDSTAT(c, "rpush", 1, 0, 0);
    char *es = CMD_STR(c, "INFO errorstats");
    CHECK(es && has_line(es, "errorstat_ERR:count=3")); /* unknown commands count too */
    CHECK(es && has_line(es, "errorstat_WRONGTYPE:count=1"));
    free(es);
    EXPECT_STATUS(c, "OK", "CONFIG RESETSTAT");
    es = CMD_STR(c, "INFO errorstats");
    CHECK(es && strcmp(es, "# Errorstats\r\n") == 0);
    free(es);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    redisFree(c);
}

static void t_stop(void) { CHECK(srv_stop(S)); S = NULL; }

int main(void) {
    test_run("start server", t_start);
    if (!S) return test_summary("types_wrongtype");
    test_run("GET SET against a list", t_get_set_wrongtype);
    test_run("SET GET against a list", t_set_get_option_wrongtype);
    test_run("SETNX SETEX against a list", t_setnx_setex_other_type);
    test_run("MGET MSET MSETNX against a list", t_mget_mset_msetnx_other_type);
    test_run("string commands against a list", t_string_commands_wrongtype);
    test_run("LCS against a list", t_lcs_other_type);
    test_run("commandstats errorstats WRONGTYPE", t_commandstats_errorstats_wrongtype);
    test_run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("types_wrongtype");
}
