/* tests/integration/test_latency.c: the latency monitor (LATENCY LATEST, HISTORY,
 * RESET, GRAPH, DOCTOR, HELP and latency-monitor-threshold, with DEBUG SLEEP making the
 * events), per-command latency histograms (LATENCY HISTOGRAM, INFO latencystats,
 * latency-tracking, latency-tracking-info-percentiles, CONFIG RESETSTAT), reply shapes
 * in RESP2 and, as raw bytes, RESP3, and the slow log rows test_server.c does not cover
 * (redacted secrets, blocked commands, GET's argument count).
 *
 * Every expectation was checked against Redis 7.0.15 (CAIRN_TEST_SERVER=
 * /usr/bin/redis-server). Where the two legitimately differ, ranges are asserted: run
 * times, and the texts of DOCTOR and GRAPH, which are Cairn's own (only the event's
 * name in them is checked). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/harness.h"

static srv *S;

#define CONFIG_SET_FAILED "ERR CONFIG SET failed (possibly related to argument "

static void t_start(void) { S = srv_start((const char *[]){"--enable-debug-command", "yes", NULL}); }

/* ---- helpers ------------------------------------------------------------------------ */

static long long unix_now(void) { return (long long)time(NULL); }

/* CHECK() as an expression: records a failure unless cond, and returns cond. */
#define HOLDS(cond) holds_at(__FILE__, __LINE__, (cond), #cond)
static bool holds_at(const char *file, int line, bool cond, const char *expr) {
    if (!cond) test_fail(file, line, "CHECK(%s)", expr);
    return cond;
}

/* Waits, if needed, until the server's clock is early in a second (TIME's microseconds
 * below 300000), so that a few short commands land in the same second. */
static void align_to_second(redisContext *c) {
    for (int i = 0; i < 200; i++) {
        redisReply *r = CMD(c, "TIME");
        long long us = r && r->type == REDIS_REPLY_ARRAY && r->elements == 2
                           ? strtoll(r->element[1]->str, NULL, 10) : 0;
        if (r) freeReplyObject(r);
        if (us < 300000) return;
        sleep_ms((int)((1000000 - us) / 1000) + 1);
    }
}

/* The CONFIG GET value of name (malloc'd), or NULL. */
static char *config_get(redisContext *c, const char *name) {
    redisReply *r = CMD(c, "CONFIG GET %s", name);
    char *v = NULL;
    if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 2) v = strdup(r->element[1]->str);
    if (r) freeReplyObject(r);
    return v;
}

#define CHECK_CONFIG(c, name, want)                                                                \
    do {                                                                                           \
        char *v_ = config_get((c), (name));                                                        \
        if (!v_ || strcmp(v_, (want)) != 0)                                                        \
            test_fail(__FILE__, __LINE__, "CONFIG GET %s: \"%s\", expected \"%s\"", (name),        \
                      v_ ? v_ : "(none)", (want));                                                 \
        free(v_);                                                                                  \
    } while (0)

/* The value of "p<name>=" in an INFO latencystats value, or NAN. */
static double percentile_of(const char *value, const char *name) {
    if (!value) return NAN;
    char key[64];
    snprintf(key, sizeof key, "p%s=", name);
    size_t kl = strlen(key);
    for (const char *p = value; p && *p;) {
        if (strncmp(p, key, kl) == 0) return strtod(p + kl, NULL);
        p = strchr(p, ',');
        if (p) p++;
    }
    return NAN;
}

/* One raw RESP3 reply (malloc'd, *len set) to cmd on a socket that said HELLO 3. */
static char *raw_cmd(int fd, const char *cmd, size_t *len) {
    raw_send_str(fd, cmd);
    return raw_read_frame(fd, len);
}

static int raw_resp3(srv *s) {
    int fd = raw_connect(s);
    if (fd < 0) return -1;
    size_t len;
    free(raw_cmd(fd, "HELLO 3\r\n", &len));
    return fd;
}

#define CHECK_RAW(fd, cmd, want)                                                                   \
    do {                                                                                           \
        size_t l_;                                                                                 \
        char *f_ = raw_cmd((fd), (cmd), &l_);                                                      \
        if (!f_ || l_ != strlen(want) || memcmp(f_, (want), l_) != 0) {                            \
            char *g_ = escape_bytes(f_ ? f_ : "", f_ ? l_ : 0, 300);                               \
            char *w_ = escape_bytes((want), strlen(want), 300);                                    \
            test_fail(__FILE__, __LINE__, "%s gave \"%s\", expected \"%s\"", (cmd), g_, w_);       \
            free(g_);                                                                              \
            free(w_);                                                                              \
        }                                                                                          \
        free(f_);                                                                                  \
    } while (0)

/* ---- the monitor ---------------------------------------------------------------------- */

static void t_monitor_off(void) {
    redisContext *c = srv_connect(S);
    CHECK_CONFIG(c, "latency-monitor-threshold", "0");
    EXPECT_INT(c, 0, "LATENCY RESET");
    EXPECT_STATUS(c, "OK", "DEBUG SLEEP 0.03");
    EXPECT_ARRAY_STRS(c, NULL, 0, "LATENCY LATEST"); /* off: nothing recorded */
    EXPECT_ARRAY_STRS(c, NULL, 0, "LATENCY HISTORY command");
    EXPECT_ERR(c, "ERR No samples available for event 'command'", "LATENCY GRAPH command");
    /* DOCTOR says how to turn the monitor on. */
    char *doc = CMD_STR(c, "LATENCY DOCTOR");
    CHECK(doc && strstr(doc, "CONFIG SET latency-monitor-threshold"));
    free(doc);
    redisFree(c);
}

static void t_latest_history(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "CONFIG SET latency-monitor-threshold 20");
    EXPECT_INT(c, 0, "LATENCY RESET");
    align_to_second(c);
    long long t0 = unix_now();
    EXPECT_STATUS(c, "OK", "DEBUG SLEEP 0.03");
    EXPECT_STATUS(c, "PONG", "PING"); /* fast and under the threshold: not an event */
    EXPECT_STATUS(c, "OK", "DEBUG SLEEP 0.06");
    long long t1 = unix_now();
    /* [event, time of the latest sample, its ms, the all-time max ms] */
    redisReply *r = CMD(c, "LATENCY LATEST");
    if (CHECK_REPLY_ARRAY(r, 1) && CHECK_REPLY_ARRAY(r->element[0], 4)) {
        redisReply **e = r->element[0]->element;
        CHECK_REPLY_BULK(e[0], "command");
        CHECK(e[1]->type == REDIS_REPLY_INTEGER && e[1]->integer >= t0 - 1 && e[1]->integer <= t1 + 1);
        CHECK(e[2]->type == REDIS_REPLY_INTEGER && e[2]->integer >= 30 && e[2]->integer < 1000);
        CHECK(e[3]->type == REDIS_REPLY_INTEGER && e[3]->integer >= 60 && e[3]->integer < 1000);
        CHECK(e[3]->integer >= e[2]->integer);
    }
    freeReplyObject(r);
    /* [[time, ms], ...] oldest first; samples of one second are merged into its max. */
    r = CMD(c, "LATENCY HISTORY command");
    if (HOLDS(r && r->type == REDIS_REPLY_ARRAY && (r->elements == 1 || r->elements == 2))) {
        for (size_t i = 0; i < r->elements; i++) {
            CHECK_REPLY_ARRAY(r->element[i], 2);
            CHECK(r->element[i]->element[0]->type == REDIS_REPLY_INTEGER);
        }
        redisReply *last = r->element[r->elements - 1];
        CHECK(last->element[1]->integer >= 60);
        if (r->elements == 2) { /* the two sleeps straddled a second */
            CHECK(r->element[0]->element[0]->integer < last->element[0]->integer);
            CHECK(r->element[0]->element[1]->integer >= 30);
        } else {
            CHECK(t0 == t1 || last->element[0]->integer == t1);
        }
    }
    freeReplyObject(r);
    EXPECT_ARRAY_STRS(c, NULL, 0, "LATENCY HISTORY nosuchevent");
    /* CONFIG RESETSTAT leaves the monitor alone. */
    EXPECT_STATUS(c, "OK", "CONFIG RESETSTAT");
    r = CMD(c, "LATENCY LATEST");
    CHECK_REPLY_ARRAY(r, 1);
    freeReplyObject(r);
    /* Turning the monitor off keeps what it has. */
    EXPECT_STATUS(c, "OK", "CONFIG SET latency-monitor-threshold 0");
    EXPECT_STATUS(c, "OK", "DEBUG SLEEP 0.03");
    r = CMD(c, "LATENCY LATEST");
    CHECK_REPLY_ARRAY(r, 1);
    freeReplyObject(r);
    redisFree(c);
}

static void t_reset(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "CONFIG SET latency-monitor-threshold 10");
    EXPECT_STATUS(c, "OK", "DEBUG SLEEP 0.02");
    EXPECT_INT(c, 0, "LATENCY RESET nosuchevent");
    EXPECT_INT(c, 1, "LATENCY RESET command nosuchevent command"); /* counted once */
    EXPECT_ARRAY_STRS(c, NULL, 0, "LATENCY LATEST");
    EXPECT_ARRAY_STRS(c, NULL, 0, "LATENCY HISTORY command");
    EXPECT_STATUS(c, "OK", "DEBUG SLEEP 0.02");
    EXPECT_INT(c, 1, "LATENCY RESET");
    EXPECT_INT(c, 0, "LATENCY RESET");
    EXPECT_STATUS(c, "OK", "CONFIG SET latency-monitor-threshold 0");
    redisFree(c);
}

static void t_doctor_graph(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "CONFIG SET latency-monitor-threshold 10");
    EXPECT_INT(c, 0, "LATENCY RESET");
    char *doc = CMD_STR(c, "LATENCY DOCTOR"); /* on, but nothing yet */
    CHECK(doc && strlen(doc) > 20);
    free(doc);
    EXPECT_STATUS(c, "OK", "DEBUG SLEEP 0.03");
    doc = CMD_STR(c, "LATENCY DOCTOR");
    CHECK(doc && strstr(doc, "command") && strlen(doc) > 100);
    free(doc);
    char *g = CMD_STR(c, "LATENCY GRAPH command");
    CHECK(g && strncmp(g, "command", 7) == 0 && strchr(g, '\n'));
    free(g);
    EXPECT_ERR(c, "ERR No samples available for event 'nosuchevent'", "LATENCY GRAPH nosuchevent");
    /* RESP3: both are verbatim strings ("=<len>\r\ntxt:..."). */
    int fd = raw_resp3(S);
    size_t len;
    const char *cmds[] = {"LATENCY DOCTOR\r\n", "LATENCY GRAPH command\r\n"};
    for (int i = 0; i < 2; i++) {
        char *f = raw_cmd(fd, cmds[i], &len);
        CHECK(f && f[0] == '=' && strstr(f, "\r\ntxt:") && len > 20);
        free(f);
    }
    close(fd);
    EXPECT_INT(c, 1, "LATENCY RESET");
    EXPECT_STATUS(c, "OK", "CONFIG SET latency-monitor-threshold 0");
    redisFree(c);
}

static void t_resp3_shapes(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "CONFIG SET latency-monitor-threshold 10");
    EXPECT_INT(c, 0, "LATENCY RESET");
    int fd = raw_resp3(S);
    CHECK_RAW(fd, "LATENCY LATEST\r\n", "*0\r\n");
    CHECK_RAW(fd, "LATENCY HISTORY command\r\n", "*0\r\n");
    CHECK_RAW(fd, "LATENCY HISTOGRAM nosuchcommand\r\n", "%0\r\n");
    CHECK_RAW(fd, "LATENCY RESET\r\n", ":0\r\n");
    EXPECT_STATUS(c, "OK", "DEBUG SLEEP 0.02");
    /* Arrays in RESP3 too; the numbers from a RESP2 reading. */
    redisReply *r = CMD(c, "LATENCY LATEST");
    if (CHECK_REPLY_ARRAY(r, 1) && CHECK_REPLY_ARRAY(r->element[0], 4)) {
        redisReply **e = r->element[0]->element;
        char want[256];
        snprintf(want, sizeof want, "*1\r\n*4\r\n$7\r\ncommand\r\n:%lld\r\n:%lld\r\n:%lld\r\n",
                 e[1]->integer, e[2]->integer, e[3]->integer);
        CHECK_RAW(fd, "LATENCY LATEST\r\n", want);
        snprintf(want, sizeof want, "*1\r\n*2\r\n:%lld\r\n:%lld\r\n", e[1]->integer, e[2]->integer);
        CHECK_RAW(fd, "LATENCY HISTORY command\r\n", want);
    }
    freeReplyObject(r);
    CHECK_RAW(fd, "LATENCY RESET command\r\n", ":1\r\n");
    /* HISTOGRAM: a map of maps in RESP3; "histogram_usec" maps bucket to count. */
    EXPECT_STATUS(c, "OK", "CONFIG RESETSTAT");
    EXPECT_STATUS(c, "OK", "SET k v");
    CHECK_RAW(fd, "LATENCY HISTOGRAM get\r\n", "%0\r\n"); /* never called since the reset */
    r = CMD(c, "LATENCY HISTOGRAM set");
    /* RESP2: ["set", ["calls", 1, "histogram_usec", [bucket, 1]]] */
    if (CHECK_REPLY_ARRAY(r, 2) && CHECK_REPLY_ARRAY(r->element[1], 4) &&
        CHECK_REPLY_ARRAY(r->element[1]->element[3], 2)) {
        CHECK_REPLY_BULK(r->element[0], "set");
        redisReply **m = r->element[1]->element;
        CHECK_REPLY_BULK(m[0], "calls");
        CHECK_REPLY_INT(m[1], 1);
        CHECK_REPLY_BULK(m[2], "histogram_usec");
        CHECK_REPLY_INT(m[3]->element[1], 1);
        char want[256];
        snprintf(want, sizeof want,
                 "%%1\r\n$3\r\nset\r\n%%2\r\n$5\r\ncalls\r\n:1\r\n$14\r\nhistogram_usec\r\n"
                 "%%1\r\n:%lld\r\n:1\r\n",
                 m[3]->element[0]->integer);
        CHECK_RAW(fd, "LATENCY HISTOGRAM set\r\n", want);
    }
    freeReplyObject(r);
    close(fd);
    EXPECT_STATUS(c, "OK", "CONFIG SET latency-monitor-threshold 0");
    redisFree(c);
}

static void t_errors_help(void) {
    redisContext *c = srv_connect(S);
    EXPECT_ERR(c, "ERR wrong number of arguments for 'latency' command", "LATENCY");
    EXPECT_ERR(c, "ERR unknown subcommand 'foo'. Try LATENCY HELP.", "LATENCY foo");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'latency|history' command", "LATENCY HISTORY");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'latency|history' command",
               "LATENCY HISTORY a b");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'latency|graph' command", "LATENCY GRAPH");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'latency|latest' command", "LATENCY LATEST x");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'latency|doctor' command", "LATENCY DOCTOR x");
    redisReply *r = CMD(c, "LATENCY HELP");
    if (HOLDS(r && r->type == REDIS_REPLY_ARRAY && r->elements == 17)) {
        CHECK_REPLY_STATUS(r->element[0],
                           "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        CHECK_REPLY_STATUS(r->element[3], "GRAPH <event>");
        CHECK_REPLY_STATUS(r->element[16], "    Prints this help.");
    }
    freeReplyObject(r);
    EXPECT_ERR(c, CONFIG_SET_FAILED "'latency-monitor-threshold') - argument must be between 0 and "
                  "9223372036854775807 inclusive", "CONFIG SET latency-monitor-threshold -1");
    EXPECT_ERR(c, CONFIG_SET_FAILED "'latency-monitor-threshold') - argument couldn't be parsed "
                  "into an integer", "CONFIG SET latency-monitor-threshold 1k");
    EXPECT_ERR(c, CONFIG_SET_FAILED "'latency-tracking') - argument must be 'yes' or 'no'",
               "CONFIG SET latency-tracking maybe");
    redisFree(c);
}

/* ---- histograms ------------------------------------------------------------------------ */

/* Checks one RESP2 histogram value: ["calls", n, "histogram_usec", [b1, c1, b2, c2, ...]]
 * with buckets and counts rising and the last count n. Returns n (-1 if malformed). */
static long long check_histogram(const redisReply *v) {
    if (!CHECK_REPLY_ARRAY(v, 4)) return -1;
    CHECK_REPLY_BULK(v->element[0], "calls");
    CHECK_REPLY_BULK(v->element[2], "histogram_usec");
    const redisReply *h = v->element[3];
    long long calls = v->element[1]->integer;
    if (!HOLDS(h->type == REDIS_REPLY_ARRAY && h->elements >= 2 && h->elements % 2 == 0)) return -1;
    long long prev_b = 0, prev_c = 0;
    for (size_t i = 0; i < h->elements; i += 2) {
        CHECK(h->element[i]->integer > prev_b && h->element[i + 1]->integer > prev_c);
        prev_b = h->element[i]->integer;
        prev_c = h->element[i + 1]->integer;
    }
    CHECK_EQ_INT(prev_c, calls);
    return calls;
}

static void t_histogram(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "CONFIG RESETSTAT");
    for (int i = 0; i < 3; i++) EXPECT_STATUS(c, "OK", "SET k%d v", i);
    redisReply *r = CMD(c, "CONFIG GET maxclients");
    freeReplyObject(r);
    EXPECT_STATUS(c, "OK", "DEBUG SLEEP 0.05");
    /* Named: unknown names and commands without calls are left out; a container stands
     * for its subcommands; names are full names, any case. */
    r = CMD(c, "LATENCY HISTOGRAM SET config|get nosuch get");
    if (CHECK_REPLY_ARRAY(r, 4)) {
        CHECK_REPLY_BULK(r->element[0], "set");
        CHECK_EQ_INT(check_histogram(r->element[1]), 3);
        CHECK_REPLY_BULK(r->element[2], "config|get");
        CHECK_EQ_INT(check_histogram(r->element[3]), 1);
    }
    freeReplyObject(r);
    r = CMD(c, "LATENCY HISTOGRAM config");
    if (HOLDS(r && r->type == REDIS_REPLY_ARRAY && r->elements >= 4)) {
        bool get = false, resetstat = false;
        for (size_t i = 0; i + 1 < r->elements; i += 2) {
            get |= strcmp(r->element[i]->str, "config|get") == 0;
            resetstat |= strcmp(r->element[i]->str, "config|resetstat") == 0;
            CHECK(strncmp(r->element[i]->str, "config|", 7) == 0);
            check_histogram(r->element[i + 1]);
        }
        CHECK(get && resetstat);
    }
    freeReplyObject(r);
    /* A 50 ms command: one bucket, whose name (its upper bound in us) is at least 50000. */
    r = CMD(c, "LATENCY HISTOGRAM debug");
    if (CHECK_REPLY_ARRAY(r, 2) && check_histogram(r->element[1]) == 1) {
        long long bucket = r->element[1]->element[3]->element[0]->integer;
        CHECK_RANGE(bucket, 50000, 300000);
    }
    freeReplyObject(r);
    /* All: every command with calls. */
    r = CMD(c, "LATENCY HISTOGRAM");
    if (HOLDS(r && r->type == REDIS_REPLY_ARRAY && r->elements >= 8)) {
        bool set = false;
        for (size_t i = 0; i + 1 < r->elements; i += 2) {
            set |= strcmp(r->element[i]->str, "set") == 0;
            check_histogram(r->element[i + 1]);
        }
        CHECK(set);
    }
    freeReplyObject(r);
    redisFree(c);
}

static void t_info_latencystats(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "CONFIG RESETSTAT");
    /* Only the RESETSTAT itself has run since (INFO is recorded after its reply). */
    char *all = CMD_STR(c, "INFO latencystats");
    const char *head = "# Latencystats\r\nlatency_percentiles_usec_config|resetstat:";
    CHECK(all && strncmp(all, head, strlen(head)) == 0);
    CHECK(all && !strstr(all, "usec_info:") && !strstr(all, "usec_set:"));
    free(all);
    for (int i = 0; i < 20; i++) EXPECT_STATUS(c, "OK", "SET k%d v", i);
    EXPECT_STATUS(c, "OK", "DEBUG SLEEP 0.05");
    char *v = info_field(c, "latencystats", "latency_percentiles_usec_set");
    double p50 = percentile_of(v, "50"), p99 = percentile_of(v, "99"), p999 = percentile_of(v, "99.9");
    CHECK(v && p50 > 0 && p50 <= p99 && p99 <= p999 && p999 < 1e6);
    /* Three decimals. */
    CHECK(v && strstr(v, "p50=") && strchr(strstr(v, "p50="), '.') &&
          strspn(strchr(strstr(v, "p50="), '.') + 1, "0123456789") == 3);
    free(v);
    v = info_field(c, "latencystats", "latency_percentiles_usec_debug");
    p50 = percentile_of(v, "50");
    CHECK(v && p50 >= 50000 && p50 < 250000);
    CHECK(v && percentile_of(v, "99.9") == p50);
    free(v);
    /* Subcommands by their full name. */
    redisReply *r = CMD(c, "CONFIG GET maxclients");
    freeReplyObject(r);
    v = info_field(c, "latencystats", "latency_percentiles_usec_config|get");
    CHECK(v != NULL);
    free(v);
    /* Not a default section; part of "all" and "everything". */
    all = CMD_STR(c, "INFO");
    CHECK(all && !strstr(all, "# Latencystats"));
    free(all);
    all = CMD_STR(c, "INFO everything");
    CHECK(all && strstr(all, "# Errorstats") && strstr(all, "# Latencystats") &&
          strstr(all, "# Errorstats") < strstr(all, "# Latencystats") &&
          strstr(all, "# Latencystats") < strstr(all, "# Keyspace"));
    free(all);
    /* Other percentiles, printed as CONFIG GET shows them. */
    EXPECT_STATUS(c, "OK", "CONFIG SET latency-tracking-info-percentiles %s", "0 100 12.50");
    v = info_field(c, "latencystats", "latency_percentiles_usec_debug");
    CHECK(v && strncmp(v, "p0=", 3) == 0 && strstr(v, ",p100=") && strstr(v, ",p12.5="));
    CHECK(v && percentile_of(v, "0") <= percentile_of(v, "100") && percentile_of(v, "0") >= 49000);
    free(v);
    EXPECT_STATUS(c, "OK", "CONFIG SET latency-tracking-info-percentiles %s", "");
    v = info_field(c, "latencystats", "latency_percentiles_usec_debug");
    CHECK(v && strcmp(v, "") == 0);
    free(v);
    EXPECT_STATUS(c, "OK", "CONFIG SET latency-tracking-info-percentiles %s", "50 99 99.9");
    /* latency-tracking no: nothing recorded or listed; yes: what was kept is back. */
    EXPECT_STATUS(c, "OK", "CONFIG SET latency-tracking no");
    all = CMD_STR(c, "INFO latencystats");
    CHECK(all && strcmp(all, "# Latencystats\r\n") == 0);
    free(all);
    EXPECT_BULK(c, "v", "GET k1");
    EXPECT_STATUS(c, "OK", "CONFIG SET latency-tracking yes");
    v = info_field(c, "latencystats", "latency_percentiles_usec_get");
    CHECK(v == NULL);
    free(v);
    v = info_field(c, "latencystats", "latency_percentiles_usec_debug");
    CHECK(v != NULL);
    free(v);
    /* RESETSTAT clears them. */
    EXPECT_STATUS(c, "OK", "CONFIG RESETSTAT");
    v = info_field(c, "latencystats", "latency_percentiles_usec_debug");
    CHECK(v == NULL);
    free(v);
    EXPECT_ARRAY_STRS(c, NULL, 0, "LATENCY HISTOGRAM debug set");
    redisFree(c);
}

static void t_percentiles_config(void) {
    redisContext *c = srv_connect(S);
    CHECK_CONFIG(c, "latency-tracking-info-percentiles", "50 99 99.9");
    CHECK_CONFIG(c, "latency-tracking", "yes");
    static const char *const bad_value[] = {"abc", " 50", "50  60", "nan", "50,99", "1x", NULL};
    for (int i = 0; bad_value[i]; i++)
        EXPECT_ERR(c, CONFIG_SET_FAILED "'latency-tracking-info-percentiles') - Invalid "
                      "latency-tracking-info-percentiles parameters",
                   "CONFIG SET latency-tracking-info-percentiles %s", bad_value[i]);
    static const char *const bad_range[] = {"101", "-1", "inf", "50 100.5", NULL};
    for (int i = 0; bad_range[i]; i++)
        EXPECT_ERR(c, CONFIG_SET_FAILED "'latency-tracking-info-percentiles') - "
                      "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]",
                   "CONFIG SET latency-tracking-info-percentiles %s", bad_range[i]);
    CHECK_CONFIG(c, "latency-tracking-info-percentiles", "50 99 99.9"); /* unchanged */
    static const char *const good[][2] = {
        {"50.0000 99.99999 0 100", "50 99.99999 0 100"}, {"1e1", "10"}, {"0x10", "16"},
        {"5 5 5", "5 5 5"}, {"", ""}, {"99.9999999", "100"}, {"0.5", "0.5"},
        {"50 99 99.9", "50 99 99.9"}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        EXPECT_STATUS(c, "OK", "CONFIG SET latency-tracking-info-percentiles %s", good[i][0]);
        CHECK_CONFIG(c, "latency-tracking-info-percentiles", good[i][1]);
    }
    redisFree(c);
    /* The config file and command line take them as separate words. */
    srv *s = srv_start((const char *[]){"--latency-tracking-info-percentiles", "10", "20.50",
                                        "--latency-monitor-threshold", "5", NULL});
    if (!s) return;
    c = srv_connect(s);
    CHECK_CONFIG(c, "latency-tracking-info-percentiles", "10 20.5");
    CHECK_CONFIG(c, "latency-monitor-threshold", "5");
    redisFree(c);
    srv_stop(s);
    srv_opts o = {.conf = "latency-tracking-info-percentiles \"\"\nlatency-tracking no\n"};
    s = srv_start_opts(&o);
    if (!s) return;
    c = srv_connect(s);
    CHECK_CONFIG(c, "latency-tracking-info-percentiles", "");
    CHECK_CONFIG(c, "latency-tracking", "no");
    redisFree(c);
    srv_stop(s);
}

/* ---- slow log --------------------------------------------------------------------------- */

/* The arguments of the newest n slow log entries, each joined by spaces, newest first,
 * entries separated by " | " (malloc'd). */
static char *slowlog_args(redisContext *c, int n) {
    redisReply *r = CMD(c, "SLOWLOG GET %d", n);
    size_t cap = 4096, len = 0;
    char *out = calloc(1, cap);
    for (size_t i = 0; r && r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        redisReply *a = r->element[i]->element[3];
        for (size_t j = 0; j < a->elements && len + a->element[j]->len + 8 < cap; j++)
            len += (size_t)snprintf(out + len, cap - len, "%s%s", j ? " " : (i ? " | " : ""),
                                    a->element[j]->str);
    }
    if (r) freeReplyObject(r);
    return out;
}

#define CHECK_SLOWLOG(c, n, want)                                                                  \
    do {                                                                                           \
        char *g_ = slowlog_args((c), (n));                                                         \
        if (strcmp(g_, (want)) != 0)                                                               \
            test_fail(__FILE__, __LINE__, "slow log \"%s\", expected \"%s\"", g_, (want));         \
        free(g_);                                                                                  \
    } while (0)

static void t_slowlog_redacted(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "CONFIG SET slowlog-log-slower-than 0");
    EXPECT_STATUS(c, "OK", "SLOWLOG RESET");
    redisReply *r = CMD(c, "AUTH onlypassword");
    freeReplyObject(r);
    r = CMD(c, "AUTH someuser somepassword");
    freeReplyObject(r);
    r = CMD(c, "AUTH a b c"); /* a syntax error: not redacted */
    freeReplyObject(r);
    r = CMD(c, "HELLO 2 AUTH default secret SETNAME x");
    freeReplyObject(r);
    r = CMD(c, "HELLO 9 AUTH default secret"); /* a bad version: not redacted */
    freeReplyObject(r);
    EXPECT_STATUS(c, "OK", "CONFIG SET requirepass %s maxclients 1000", "");
    r = CMD(c, "CONFIG SET requirepass x maxclients"); /* a syntax error: not redacted */
    freeReplyObject(r);
    CHECK_SLOWLOG(c, 7,
                  "CONFIG SET requirepass x maxclients | "
                  "CONFIG SET requirepass (redacted) maxclients 1000 | "
                  "HELLO 9 AUTH default secret | "
                  "HELLO 2 AUTH (redacted) (redacted) SETNAME x | "
                  "AUTH a b c | AUTH (redacted) (redacted) | AUTH (redacted)");
    EXPECT_STATUS(c, "OK", "CLIENT SETNAME %s", "");
    /* GET takes at most a count. */
    EXPECT_ERR(c, "ERR unknown subcommand or wrong number of arguments for 'get'. Try SLOWLOG HELP.",
               "SLOWLOG get 1 2");
    EXPECT_ERR(c, "ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.",
               "SLOWLOG GET 1 2");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'slowlog|len' command", "SLOWLOG LEN 1");
    EXPECT_STATUS(c, "OK", "CONFIG SET slowlog-log-slower-than 10000");
    redisFree(c);
}

/* A blocking command is logged once, when it is served; one that times out is not
 * logged (Redis 7.0.15). */
static void t_slowlog_blocked(void) {
    redisContext *c = srv_connect(S), *w = srv_connect(S);
    EXPECT_STATUS(c, "OK", "CONFIG SET slowlog-log-slower-than 0");
    EXPECT_STATUS(c, "OK", "SLOWLOG RESET");
    redisReply *r = CMD(w, "BLPOP blk 0.05");
    CHECK(r && r->type == REDIS_REPLY_NIL);
    freeReplyObject(r);
    cmd_send_only(w, "BLPOP blk 5");
    WAIT_FOR(info_blocked_clients(c) == 1, 2000);
    EXPECT_INT(c, 1, "RPUSH blk x");
    r = cmd_next_reply(w);
    CHECK_REPLY_STRS(r, ((const char *[]){"blk", "x"}), 2);
    if (r) freeReplyObject(r);
    r = CMD(c, "SLOWLOG GET 10");
    /* Newest first: the served BLPOP after the RPUSH that served it (the INFO polls are
     * in between on Redis's side too). */
    bool served = false, timed_out = false;
    int blpops = 0;
    for (size_t i = 0; r && r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        redisReply *a = r->element[i]->element[3];
        if (strcasecmp(a->element[0]->str, "blpop") != 0) continue;
        blpops++;
        served |= strcmp(a->element[2]->str, "5") == 0;
        timed_out |= strcmp(a->element[2]->str, "0.05") == 0;
    }
    CHECK(served && !timed_out);
    CHECK_EQ_INT(blpops, 1);
    if (r && r->type == REDIS_REPLY_ARRAY && r->elements >= 2) {
        CHECK_REPLY_STRS(r->element[0]->element[3], ((const char *[]){"BLPOP", "blk", "5"}), 3);
        CHECK_REPLY_STRS(r->element[1]->element[3], ((const char *[]){"RPUSH", "blk", "x"}), 3);
    }
    if (r) freeReplyObject(r);
    EXPECT_STATUS(c, "OK", "CONFIG SET slowlog-log-slower-than 10000");
    redisFree(w);
    redisFree(c);
}

/* Commands replayed from the AOF at start-up are neither logged nor timed; the AOF's
 * own events. */
static void t_aof(void) {
    srv_argv a = srv_args((const char *[]){"--appendonly", "yes", "--slowlog-log-slower-than", "0",
                                           "--latency-monitor-threshold", "1", NULL},
                          NULL);
    srv *s = srv_start(a.v);
    if (!s) return;
    redisContext *c = srv_connect(s);
    EXPECT_STATUS(c, "OK", "SET k1 v");
    EXPECT_STATUS(c, "OK", "SET k2 v");
    redisFree(c);
    if (!srv_restart(s, a.v)) {
        srv_stop(s);
        return;
    }
    c = srv_connect(s);
    EXPECT_BULK(c, "v", "GET k2");
    char *slow = slowlog_args(c, 100); /* the harness's readiness probe and the GET */
    CHECK(strstr(slow, "GET k2") && !strstr(slow, "SET"));
    free(slow);
    char *v = info_field(c, "latencystats", "latency_percentiles_usec_set");
    CHECK(v == NULL);
    free(v);
    /* The AOF's timed paths (under everysec and always, and a rewrite's fork and switch)
     * work; whether this disk is slow enough to make events is not up to the test, but
     * any event is one of these. */
    EXPECT_STATUS(c, "OK", "CONFIG SET appendfsync always");
    for (int i = 0; i < 20; i++) EXPECT_INT(c, i + 1, "RPUSH l %d", i);
    EXPECT_STATUS(c, "OK", "CONFIG SET appendfsync everysec");
    char *started = CMD_STR(c, "BGREWRITEAOF");
    CHECK(started && strstr(started, "rewriting"));
    free(started);
    WAIT_FOR(info_persist(c, "aof_rewrite_in_progress") == 0 &&
                 info_persist(c, "aof_rewrite_scheduled") == 0,
             10000);
    EXPECT_INT(c, 21, "RPUSH l x");
    redisReply *r = CMD(c, "LATENCY LATEST");
    static const char *const known[] = {"command", "fast-command", "aof-write", "aof-write-alone",
                                        "aof-write-pending-fsync", "aof-write-active-child",
                                        "aof-fsync-always", "aof-rename", "aof-rewrite-diff-write",
                                        "aof-fstat", "fork", "expire-cycle", NULL};
    for (size_t i = 0; r && r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        const char *name = r->element[i]->element[0]->str;
        bool ok = false;
        for (int k = 0; known[k] && !ok; k++) ok = strcmp(name, known[k]) == 0;
        if (!ok) test_fail(__FILE__, __LINE__, "unexpected event %s", name);
    }
    if (r) freeReplyObject(r);
    redisFree(c);
    srv_stop(s);
}

static void t_stop(void) {
    CHECK(srv_stop(S));
    S = NULL;
}

int main(void) {
    test_run("start server", t_start);
    if (!S) return test_summary("latency");
    test_run("monitor off", t_monitor_off);
    test_run("LATENCY LATEST and HISTORY", t_latest_history);
    test_run("LATENCY RESET", t_reset);
    test_run("LATENCY DOCTOR and GRAPH", t_doctor_graph);
    test_run("RESP3 reply shapes", t_resp3_shapes);
    test_run("errors, HELP and settings' ranges", t_errors_help);
    test_run("LATENCY HISTOGRAM", t_histogram);
    test_run("INFO latencystats", t_info_latencystats);
    test_run("latency-tracking-info-percentiles", t_percentiles_config);
    test_run("SLOWLOG redacts secrets", t_slowlog_redacted);
    test_run("SLOWLOG and blocked commands", t_slowlog_blocked);
    test_run("AOF: replayed commands, AOF events", t_aof);
    test_run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("latency");
}
