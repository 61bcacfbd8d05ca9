/* tests/integration/test_types_keys.c: generic key commands on a key that is not a
 * string (DEL, TYPE, RENAME, SCAN TYPE, COPY of a list). Kept apart from test_keys.c
 * because they need a list (RPUSH); test_list.c has more of them.
 *
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

static void t_start(void) { S = srv_start(NULL); }

/* From test_keys.c "DEL UNLINK EXISTS". */
static void t_del_any_type(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 1, "RPUSH l x");
    EXPECT_INT(c, 1, "EXISTS l");
    EXPECT_INT(c, 1, "DEL l"); /* any type */
    EXPECT_INT(c, 0, "EXISTS l");
    EXPECT_INT(c, 1, "RPUSH u x");
    EXPECT_INT(c, 1, "UNLINK u");
    EXPECT_INT(c, 0, "EXISTS u");
    redisFree(c);
}

/* From test_keys.c "TYPE". */
static void t_type_list(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET s v");
    EXPECT_INT(c, 1, "RPUSH l x");
    EXPECT_STATUS(c, "string", "TYPE s");
    EXPECT_STATUS(c, "list", "TYPE l");
    redisFree(c);
}

/* From test_keys.c "RENAME RENAMENX". */
static void t_rename_any_type(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET q 2 EX 50");
    EXPECT_STATUS(c, "OK", "SET d 1");
    /* Any type moves, and overwrites any type. */
    EXPECT_INT(c, 1, "RPUSH l x");
    EXPECT_STATUS(c, "OK", "RENAME l q");
    EXPECT_STATUS(c, "list", "TYPE q");
    EXPECT_INT(c, -1, "TTL q"); /* the string's old TTL went with it */
    EXPECT_INT(c, 0, "EXISTS l");
    EXPECT_STATUS(c, "OK", "RENAME d q");
    EXPECT_STATUS(c, "string", "TYPE q");
    redisFree(c);
}

/* From test_keys.c "SCAN options and errors". */
static void t_scan_type(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "MSET a1 1 a2 2 b1 3");
    EXPECT_INT(c, 1, "RPUSH l x");
    CHECK_SCAN(c, "COUNT 100", "a1,a2,b1,l");
    CHECK_SCAN(c, "COUNT 1", "a1,a2,b1,l");
    CHECK_SCAN(c, "MATCH a*", "a1,a2");
    CHECK_SCAN(c, "MATCH *1 COUNT 2", "a1,b1");
    CHECK_SCAN(c, "TYPE list", "l");
    CHECK_SCAN(c, "TYPE string", "a1,a2,b1");
    CHECK_SCAN(c, "type STRING match *1 count 1000", "a1,b1");
    CHECK_SCAN(c, "COUNT 1 COUNT 100", "a1,a2,b1,l"); /* the last COUNT wins */
    redisFree(c);
}

/* From test_keys.c "COPY". */
static void t_copy_list(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 1, "RPUSH l x");
    EXPECT_INT(c, 1, "COPY l l2");
    EXPECT_STATUS(c, "list", "TYPE l2");
    EXPECT_STATUS(c, "list", "TYPE l");
    redisFree(c);
}

static void t_stop(void) {
    CHECK(srv_stop(S));
    S = NULL;
}

int main(void) {
    test_run("start server", t_start);
    if (!S) return test_summary("types_keys");
    test_run("DEL UNLINK of a list", t_del_any_type);
    test_run("TYPE list", t_type_list);
    test_run("RENAME of and onto a list", t_rename_any_type);
    test_run("SCAN TYPE list", t_scan_type);
    test_run("COPY of a list", t_copy_list);
    test_run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("types_keys");
}
