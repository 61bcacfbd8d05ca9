/* tests/pending/test_lfu.c: OBJECT FREQ and OBJECT IDLETIME under an LFU maxmemory policy.
 * Moved out of tests/integration/test_keys.c ("OBJECT FREQ under an LFU policy") because
 * it starts a server with --maxmemory-policy allkeys-lfu. (OBJECT FREQ under the default
 * policy, which only refuses, stays in test_keys.c "OBJECT".)
 *
 * PENDING: not built by the Makefile. Move into tests/integration/ when maxmemory
 * policies land (issue 6).
 *
 * Every expectation was checked against Redis 7.0.15. */
#include "tests/harness.h"

static void t_object_freq_lfu(void) {
    srv *s = srv_start((const char *[]){"--maxmemory-policy", "allkeys-lfu", NULL});
    if (!s) return;
    redisContext *c = srv_connect(s);
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_INT(c, 5, "OBJECT FREQ k"); /* new keys start at the LFU initial value, 5 */
    EXPECT_BULK(c, "v", "GET k");
    EXPECT_INT(c, 6, "OBJECT FREQ k"); /* the first access always counts */
    EXPECT_NIL(c, "OBJECT FREQ nokey");
    EXPECT_ERR(c, "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note "
                  "that when switching between policies at runtime LRU and LFU data will take "
                  "some time to adjust.",
               "OBJECT IDLETIME k");
    redisFree(c);
    CHECK(srv_stop(s));
}

int main(void) {
    test_run("OBJECT FREQ under an LFU policy", t_object_freq_lfu);
    return test_summary("lfu");
}
