/* tests/integration/test_memory.c: INFO memory and the MEMORY command.
 *
 * INFO memory has Redis 7.0's fields by name and in order, with figures that add up
 * (dataset + overhead = used, startup recorded and non-zero, peak >= used) and that
 * follow the dataset (a 1 MB value in and out). MEMORY USAGE: null for a missing key,
 * about the value's size for strings, SAMPLES 0 against the default on 100,000-element
 * hashes, sets, sorted sets and lists, and Redis's argument errors. MEMORY STATS: Redis's
 * keys in Redis's order, a db.N map per non-empty db, as a flat array in RESP2 and a map
 * in RESP3 (raw bytes: hiredis 0.14 has no RESP3), doubles for the ratios. DOCTOR,
 * PURGE, MALLOC-STATS, HELP and the unknown-subcommand error.
 *
 * Every expectation was checked against Redis 7.0.15 (CAIRN_TEST_SERVER=/usr/bin/
 * redis-server): sizes differ between the two (Cairn embeds the key in the object and
 * has no dictEntry), so sizes are asserted as ranges that hold for both. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness.h"

static srv *S;

#define SYNTAX "ERR syntax error"
#define NOT_INT "ERR value is not an integer or out of range"
#define KB 1024LL
#define MB (1024LL * 1024)

static void t_start(void) { S = srv_start((const char *[]){"--save", "", NULL}); }

/* A connection to S with every db empty. */
static redisContext *fresh(void) {
    redisContext *c = srv_connect(S);
    if (c) freeReplyObject(CMD(c, "FLUSHALL"));
    return c;
}

/* ---------------------------------------------------------------- INFO memory */

/* The field names of `redis-cli info memory` from redis-server 7.0.15, in its order. */
static const char *const redis7_memory_fields[] = {
    "used_memory", "used_memory_human", "used_memory_rss", "used_memory_rss_human",
    "used_memory_peak", "used_memory_peak_human", "used_memory_peak_perc",
    "used_memory_overhead", "used_memory_startup", "used_memory_dataset",
    "used_memory_dataset_perc", "allocator_allocated", "allocator_active", "allocator_resident",
    "total_system_memory", "total_system_memory_human", "used_memory_lua", "used_memory_vm_eval",
    "used_memory_lua_human", "used_memory_scripts_eval", "number_of_cached_scripts",
    "number_of_functions", "number_of_libraries", "used_memory_vm_functions",
    "used_memory_vm_total", "used_memory_vm_total_human", "used_memory_functions",
    "used_memory_scripts", "used_memory_scripts_human", "maxmemory", "maxmemory_human",
    "maxmemory_policy", "allocator_frag_ratio", "allocator_frag_bytes", "allocator_rss_ratio",
    "allocator_rss_bytes", "rss_overhead_ratio", "rss_overhead_bytes", "mem_fragmentation_ratio",
    "mem_fragmentation_bytes", "mem_not_counted_for_evict", "mem_replication_backlog",
    "mem_total_replication_buffers", "mem_clients_slaves", "mem_clients_normal",
    "mem_cluster_links", "mem_aof_buffer", "mem_allocator", "active_defrag_running",
    "lazyfree_pending_objects", "lazyfreed_objects", NULL};

/* One INFO memory reply, so that figures compared with each other come from the same
 * moment. */
typedef struct {
    char *text;
} info_mem;

static info_mem info_mem_get(redisContext *c) {
    info_mem m = {CMD_STR(c, "INFO memory")};
    return m;
}

/* The field's value as an integer, LLONG_MIN (and a recorded failure) if absent. */
#define MEM_INT(m, field) mem_int_at(__FILE__, __LINE__, (m), (field))
static long long mem_int_at(const char *file, int line, const info_mem *m, const char *field) {
    size_t fl = strlen(field);
    for (const char *p = m->text; p && *p;) {
        if (strncmp(p, field, fl) == 0 && p[fl] == ':') return strtoll(p + fl + 1, NULL, 10);
        p = strchr(p, '\n');
        if (p) p++;
    }
    test_fail(file, line, "INFO memory lacks %s", field);
    return LLONG_MIN;
}

static void t_info_memory_fields(void) {
    redisContext *c = fresh();
    info_mem m = info_mem_get(c);
    if (!m.text) {
        redisFree(c);
        return;
    }
    CHECK(strncmp(m.text, "# Memory\r\n", 10) == 0);
    /* Every line after the header is "name:value"; the names are Redis's, in order. */
    const char *p = strstr(m.text, "\r\n");
    size_t i = 0;
    while (p && p[2]) {
        p += 2;
        const char *colon = strchr(p, ':'), *eol = strstr(p, "\r\n");
        if (!colon || !eol || colon > eol) {
            test_fail(__FILE__, __LINE__, "INFO memory line without a colon: %.40s", p);
            break;
        }
        const char *want = redis7_memory_fields[i];
        if (!want) {
            test_fail(__FILE__, __LINE__, "INFO memory has an extra field %.*s", (int)(colon - p), p);
            break;
        }
        if (strlen(want) != (size_t)(colon - p) || strncmp(p, want, (size_t)(colon - p)) != 0) {
            test_fail(__FILE__, __LINE__, "INFO memory field %zu is %.*s, expected %s", i,
                      (int)(colon - p), p, want);
            break;
        }
        i++;
        p = eol;
    }
    if (redis7_memory_fields[i])
        test_fail(__FILE__, __LINE__, "INFO memory stops before %s", redis7_memory_fields[i]);
    free(m.text);
    redisFree(c);
}

static void t_info_memory_figures(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET k v");
    info_mem m = info_mem_get(c);
    if (!m.text) {
        redisFree(c);
        return;
    }
    long long used = MEM_INT(&m, "used_memory"), peak = MEM_INT(&m, "used_memory_peak");
    long long startup = MEM_INT(&m, "used_memory_startup");
    long long overhead = MEM_INT(&m, "used_memory_overhead");
    long long data = MEM_INT(&m, "used_memory_dataset");
    CHECK(used > 0);
    CHECK(peak >= used);
    /* Recorded at the end of start-up, before any data: non-zero, below today's use. */
    CHECK(startup > 0 && startup <= used);
    /* The overhead starts from the start-up memory; dataset is the rest of used. */
    CHECK(overhead >= startup);
    CHECK(data >= 0 && data <= used);
    /* Redis allocates its report between its two readings of used_memory: a few bytes. */
    CHECK_RANGE(data + overhead - used, -1024, 1024);
    CHECK(MEM_INT(&m, "used_memory_rss") > 0);
    CHECK_EQ_INT(MEM_INT(&m, "maxmemory"), 0);
    CHECK(strstr(m.text, "\r\nmaxmemory_human:0B\r\n") != NULL);
    CHECK(strstr(m.text, "\r\nmaxmemory_policy:noeviction\r\n") != NULL);
    CHECK(strstr(m.text, "\r\nused_memory_peak_perc:") != NULL);
    CHECK(strstr(m.text, "%\r\nused_memory_overhead:") != NULL); /* "99.50%" */
    free(m.text);
    EXPECT_STATUS(c, "OK", "CONFIG SET maxmemory 100mb");
    char *v = info_field(c, "memory", "maxmemory_human");
    CHECK(v && strcmp(v, "100.00M") == 0);
    free(v);
    EXPECT_STATUS(c, "OK", "CONFIG SET maxmemory 0");
    redisFree(c);
}

/* used_memory follows a 1 MB value in and out of the keyspace. The query buffer that
 * carried it may be kept until the client cron gives it back: hence the polls. */
static void t_used_memory_follows_data(void) {
    redisContext *c = fresh();
    if (!c) return;
    const size_t n = 1000 * 1000;
    char *val = malloc(n);
    memset(val, 'x', n);
    long long before = info_int(c, "memory", "used_memory");
    freeReplyObject(CMD(c, "SET big %b", val, n));
    long long after = 0;
    WAIT_FOR((after = info_int(c, "memory", "used_memory")) - before >= (long long)n &&
                 after - before <= (long long)n + 300 * KB,
             3000);
    CHECK_RANGE(after - before, (long long)n, (long long)n + 300 * KB);
    long long peak = info_int(c, "memory", "used_memory_peak");
    CHECK(peak >= after);
    EXPECT_INT(c, 1, "DEL big");
    long long gone = 0;
    WAIT_FOR((gone = info_int(c, "memory", "used_memory")) <= before + 100 * KB, 3000);
    CHECK(after - gone >= (long long)n - 100 * KB);
    CHECK(info_int(c, "memory", "used_memory_peak") >= after);
    free(val);
    redisFree(c);
}

/* ---------------------------------------------------------------- MEMORY USAGE */

static void t_memory_usage_strings(void) {
    redisContext *c = fresh();
    if (!c) return;
    EXPECT_NIL(c, "MEMORY USAGE nokey");
    EXPECT_NIL(c, "MEMORY USAGE nokey SAMPLES 3");
    static const size_t sizes[] = {1, 10, 100, 1000, 5000, 10000, 100000, 1000000};
    char *val = malloc(1000000);
    memset(val, 'a', 1000000);
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        size_t n = sizes[i];
        char key[32];
        snprintf(key, sizeof key, "key:%zu", n);
        freeReplyObject(CMD(c, "SET %s %b", key, val, n));
        long long u = CMD_INT(c, "MEMORY USAGE %s", key);
        /* The value, plus the object or key around it (tens of bytes), plus at most a
         * jemalloc size class's rounding (< 25%). */
        if (u < (long long)n || u > (long long)(n + n / 4 + 128))
            test_fail(__FILE__, __LINE__, "MEMORY USAGE of a %zu-byte string: %lld", n, u);
        /* Samples mean nothing to a string. */
        EXPECT_INT(c, u, "MEMORY USAGE %s SAMPLES 0", key);
        EXPECT_INT(c, u, "memory usage %s samples 1 SAMPLES 7", key);
    }
    /* A longer string takes more. */
    CHECK(CMD_INT(c, "MEMORY USAGE key:1000") > CMD_INT(c, "MEMORY USAGE key:100"));
    /* A key with a TTL is still counted (its value unchanged). */
    EXPECT_INT(c, 1, "EXPIRE key:1000 100");
    CHECK(CMD_INT(c, "MEMORY USAGE key:1000") >= 1000);
    /* Per db. */
    EXPECT_STATUS(c, "OK", "SELECT 5");
    EXPECT_NIL(c, "MEMORY USAGE key:1000");
    free(val);
    redisFree(c);
}

static void t_memory_usage_errors(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_ERR(c, SYNTAX, "MEMORY USAGE k SAMPLES");
    EXPECT_ERR(c, SYNTAX, "MEMORY USAGE k SAMPLES -1");
    EXPECT_ERR(c, SYNTAX, "MEMORY USAGE k bar");
    EXPECT_ERR(c, SYNTAX, "MEMORY USAGE k SAMPLES 5 extra");
    EXPECT_ERR(c, NOT_INT, "MEMORY USAGE k SAMPLES abc");
    EXPECT_ERR(c, NOT_INT, "MEMORY USAGE k SAMPLES 99999999999999999999");
    EXPECT_ERR(c, NOT_INT, "MEMORY USAGE k SAMPLES 1.5");
    /* The arguments are checked before the key is looked up. */
    EXPECT_ERR(c, SYNTAX, "MEMORY USAGE nokey SAMPLES -1");
    EXPECT_ERR(c, SYNTAX, "MEMORY USAGE nokey bogus");
    EXPECT_ERR(c, NOT_INT, "MEMORY USAGE nokey SAMPLES abc");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'memory|usage' command", "MEMORY USAGE");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'memory' command", "MEMORY");
    redisFree(c);
}

/* Fills key with n elements of fixed width by cmd ("HSET", "SADD", "ZADD", "RPUSH"),
 * 1000 per command, pipelined. */
static void fill_aggregate(redisContext *c, const char *cmd, const char *key, int n) {
    if (!c) return;
    int sent = 0;
    for (int i = 0; i < n; i += 1000) {
        const char *argv[2 + 2 * 1000];
        size_t lens[2 + 2 * 1000];
        static char buf[2 * 1000][16];
        int argc = 0;
        argv[argc] = cmd, lens[argc++] = strlen(cmd);
        argv[argc] = key, lens[argc++] = strlen(key);
        for (int j = i; j < i + 1000 && j < n; j++) {
            char *a = buf[(j - i) * 2], *b = buf[(j - i) * 2 + 1];
            if (!strcmp(cmd, "HSET")) {
                snprintf(a, 16, "f%06d", j);
                snprintf(b, 16, "v%06d", j);
            } else if (!strcmp(cmd, "ZADD")) {
                snprintf(a, 16, "%d", j);
                snprintf(b, 16, "m%06d", j);
            } else {
                snprintf(a, 16, "m%06d", j);
                b = NULL;
            }
            argv[argc] = a, lens[argc++] = strlen(a);
            if (b) argv[argc] = b, lens[argc++] = strlen(b);
        }
        redisAppendCommandArgv(c, argc, argv, lens);
        sent++;
    }
    for (int i = 0; i < sent; i++) {
        redisReply *r = cmd_next_reply(c);
        if (!r || r->type != REDIS_REPLY_INTEGER)
            test_fail(__FILE__, __LINE__, "%s %s: %s", cmd, key, r ? reply_describe(r) : "no reply");
        if (r) freeReplyObject(r);
    }
}

/* The default (5 samples) estimates the whole within 20%, as in Redis; SAMPLES 5 is the
 * default; SAMPLES 0 measures every element, at least their bytes. */
static void check_sampled(redisContext *c, const char *key, long long min_bytes) {
    long long all = CMD_INT(c, "MEMORY USAGE %s SAMPLES 0", key);
    long long def = CMD_INT(c, "MEMORY USAGE %s", key);
    CHECK(all >= min_bytes);
    if (def < all * 8 / 10 || def > all * 12 / 10)
        test_fail(__FILE__, __LINE__, "%s: default estimate %lld, all %lld", key, def, all);
    EXPECT_INT(c, def, "MEMORY USAGE %s SAMPLES 5", key);
    CHECK(CMD_INT(c, "MEMORY USAGE %s SAMPLES 1", key) > 0);
    CHECK(CMD_INT(c, "MEMORY USAGE %s SAMPLES 200000", key) == all);
}

static void t_memory_usage_aggregates(void) {
    redisContext *c = fresh();
    const int n = 100000;
    fill_aggregate(c, "HSET", "h", n);
    fill_aggregate(c, "SADD", "s", n);
    fill_aggregate(c, "ZADD", "z", n);
    fill_aggregate(c, "RPUSH", "l", n);
    EXPECT_INT(c, n, "HLEN h");
    EXPECT_INT(c, n, "SCARD s");
    EXPECT_INT(c, n, "ZCARD z");
    EXPECT_INT(c, n, "LLEN l");
    check_sampled(c, "h", 14LL * n);
    check_sampled(c, "s", 7LL * n);
    check_sampled(c, "z", 15LL * n);
    check_sampled(c, "l", 7LL * n);
    /* Small ones, in their compact encodings, are one allocation: samples change nothing. */
    EXPECT_INT(c, 3, "HSET sh a 1 b 2 c 3");
    long long u = CMD_INT(c, "MEMORY USAGE sh");
    CHECK_RANGE(u, 20, 512);
    EXPECT_INT(c, u, "MEMORY USAGE sh SAMPLES 0");
    redisFree(c);
}

/* ---------------------------------------------------------------- MEMORY STATS */

/* Redis 7.0.15's MEMORY STATS keys before and after the db.N entries. */
static const char *const stats_head[] = {
    "peak.allocated", "total.allocated", "startup.allocated", "replication.backlog",
    "clients.slaves", "clients.normal", "cluster.links", "aof.buffer", "lua.caches",
    "functions.caches", NULL};
static const char *const stats_tail[] = {
    "overhead.total", "keys.count", "keys.bytes-per-key", "dataset.bytes", "dataset.percentage",
    "peak.percentage", "allocator.allocated", "allocator.active", "allocator.resident",
    "allocator-fragmentation.ratio", "allocator-fragmentation.bytes", "allocator-rss.ratio",
    "allocator-rss.bytes", "rss-overhead.ratio", "rss-overhead.bytes", "fragmentation",
    "fragmentation.bytes", NULL};
static const char *const stats_db[] = {"overhead.hashtable.main", "overhead.hashtable.expires",
                                       "overhead.hashtable.slot-to-keys", NULL};

static bool is_double_key(const char *k) {
    return strstr(k, "percentage") || strstr(k, "ratio") || !strcmp(k, "fragmentation");
}

/* The value of name in a RESP2 MEMORY STATS reply (flat pairs), or NULL. */
static const redisReply *stats_value(const redisReply *r, const char *name) {
    for (size_t i = 0; r && i + 1 < r->elements; i += 2)
        if (r->element[i]->type == REDIS_REPLY_STRING && !strcmp(r->element[i]->str, name))
            return r->element[i + 1];
    return NULL;
}

static long long stats_int(const redisReply *r, const char *name) {
    const redisReply *v = stats_value(r, name);
    return v && v->type == REDIS_REPLY_INTEGER ? v->integer : LLONG_MIN;
}

/* Checks one key of the RESP2 reply at position *i and its value's type. */
static void check_stats_pair(const redisReply *r, size_t *i, const char *want) {
    if (*i + 1 >= r->elements) {
        test_fail(__FILE__, __LINE__, "MEMORY STATS ends before %s", want);
        return;
    }
    const redisReply *k = r->element[*i], *v = r->element[*i + 1];
    if (k->type != REDIS_REPLY_STRING || strcmp(k->str, want) != 0)
        test_fail(__FILE__, __LINE__, "MEMORY STATS key %zu is %s, expected %s", *i / 2,
                  reply_describe(k), want);
    else if (is_double_key(want) ? v->type != REDIS_REPLY_STRING : v->type != REDIS_REPLY_INTEGER)
        test_fail(__FILE__, __LINE__, "MEMORY STATS %s: %s", want, reply_describe(v));
    *i += 2;
}

static void t_memory_stats_resp2(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET a 1");
    EXPECT_STATUS(c, "OK", "SET b 2");
    EXPECT_STATUS(c, "OK", "SELECT 3");
    EXPECT_STATUS(c, "OK", "SET x y EX 100");
    EXPECT_STATUS(c, "OK", "SELECT 0");
    redisReply *r = CMD(c, "MEMORY STATS");
    if (!r) {
        redisFree(c);
        return;
    }
    if (CHECK_REPLY_ARRAY(r, 2 * (27 + 2))) {
        size_t i = 0;
        for (const char *const *k = stats_head; *k; k++) check_stats_pair(r, &i, *k);
        static const char *const dbs[] = {"db.0", "db.3"};
        for (int d = 0; d < 2; d++) {
            const redisReply *k = r->element[i], *v = r->element[i + 1];
            if (k->type != REDIS_REPLY_STRING || strcmp(k->str, dbs[d]) != 0)
                test_fail(__FILE__, __LINE__, "MEMORY STATS key %zu is %s, expected %s", i / 2,
                          reply_describe(k), dbs[d]);
            if (CHECK_REPLY_ARRAY(v, 6)) {
                size_t j = 0;
                for (const char *const *dk = stats_db; *dk; dk++) check_stats_pair(v, &j, *dk);
                CHECK(v->element[1]->integer > 0);            /* main table */
                CHECK_EQ_INT(v->element[5]->integer, 0);      /* no cluster: no slot-to-keys */
                if (d == 0) CHECK_EQ_INT(v->element[3]->integer, 0); /* no TTLs in db 0 */
                else CHECK(v->element[3]->integer > 0);
            }
            i += 2;
        }
        for (const char *const *k = stats_tail; *k; k++) check_stats_pair(r, &i, *k);
        long long total = stats_int(r, "total.allocated"), peak = stats_int(r, "peak.allocated");
        long long startup = stats_int(r, "startup.allocated");
        long long overhead = stats_int(r, "overhead.total");
        long long data = stats_int(r, "dataset.bytes");
        CHECK_EQ_INT(stats_int(r, "keys.count"), 3);
        CHECK(total > 0 && peak >= total - 64 * KB);
        CHECK(startup > 0 && startup <= total);
        CHECK(overhead >= startup);
        CHECK_RANGE(data + overhead - total, -1024, 1024);
        CHECK_EQ_INT(stats_int(r, "replication.backlog"), 0);
        CHECK_EQ_INT(stats_int(r, "clients.slaves"), 0);
        CHECK_EQ_INT(stats_int(r, "lua.caches"), 0);
        CHECK(stats_int(r, "keys.bytes-per-key") > 0);
        const redisReply *pp = stats_value(r, "peak.percentage");
        double perc = pp && pp->type == REDIS_REPLY_STRING ? strtod(pp->str, NULL) : -1;
        CHECK(perc > 0 && perc <= 101);
    }
    freeReplyObject(r);
    /* The start-up memory is the same figure in INFO and MEMORY STATS. */
    r = CMD(c, "MEMORY STATS");
    CHECK_EQ_INT(stats_int(r, "startup.allocated"), info_int(c, "memory", "used_memory_startup"));
    if (r) freeReplyObject(r);
    /* No keys: no db entries. */
    freeReplyObject(CMD(c, "FLUSHALL"));
    r = CMD(c, "MEMORY STATS");
    CHECK_REPLY_ARRAY(r, 2 * 27);
    CHECK_EQ_INT(stats_int(r, "keys.count"), 0);
    CHECK_EQ_INT(stats_int(r, "keys.bytes-per-key"), 0);
    if (r) freeReplyObject(r);
    EXPECT_ERR(c, "ERR wrong number of arguments for 'memory|stats' command", "MEMORY STATS x");
    redisFree(c);
}

/* Appends the RESP3 shape of one key: "$len\r\nkey\r\n" and a value placeholder. */
static void shape_key(char *out, size_t cap, const char *k, const char *value) {
    size_t l = strlen(out);
    snprintf(out + l, cap - l, "$%zu\r\n%s\r\n%s", strlen(k), k, value);
}

/* The frame with every integer and double value replaced by ":#\r\n" and ",#\r\n". */
static char *frame_shape(const char *f, size_t len) {
    char *out = malloc(len + 1);
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        const char *eol = memchr(f + i, '\n', len - i);
        size_t ll = eol ? (size_t)(eol - (f + i)) + 1 : len - i;
        if (f[i] == ':' || f[i] == ',') {
            out[o++] = f[i];
            memcpy(out + o, "#\r\n", 3);
            o += 3;
        } else {
            memcpy(out + o, f + i, ll);
            o += ll;
        }
        i += ll;
    }
    out[o] = '\0';
    return out;
}

static void t_memory_stats_resp3(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "SET a 1");
    EXPECT_STATUS(c, "OK", "SELECT 2");
    EXPECT_STATUS(c, "OK", "SET b 2");
    redisFree(c);
    char want[4096] = "%29\r\n";
    for (const char *const *k = stats_head; *k; k++) shape_key(want, sizeof want, *k, ":#\r\n");
    for (int d = 0; d < 3; d += 2) {
        shape_key(want, sizeof want, d ? "db.2" : "db.0", "%3\r\n");
        for (const char *const *k = stats_db; *k; k++) shape_key(want, sizeof want, *k, ":#\r\n");
    }
    for (const char *const *k = stats_tail; *k; k++)
        shape_key(want, sizeof want, *k, is_double_key(*k) ? ",#\r\n" : ":#\r\n");
    int fd = raw_connect(S);
    if (fd < 0) return;
    raw_send_str(fd, "HELLO 3\r\n");
    size_t len;
    free(raw_read_frame(fd, &len));
    raw_send_str(fd, "MEMORY STATS\r\n");
    char *f = raw_read_frame(fd, &len);
    if (f) {
        char *shape = frame_shape(f, len);
        if (strcmp(shape, want) != 0) {
            char *g = escape_bytes(shape, strlen(shape), 4000), *w = escape_bytes(want, strlen(want), 4000);
            test_fail(__FILE__, __LINE__, "MEMORY STATS in RESP3:\n  got  %s\n  want %s", g, w);
            free(g);
            free(w);
        }
        free(shape);
        free(f);
    }
    /* DOCTOR and MALLOC-STATS are verbatim strings in RESP3. */
    raw_send_str(fd, "MEMORY DOCTOR\r\n");
    f = raw_read_frame(fd, &len);
    CHECK(f && f[0] == '=' && strstr(f, "\r\ntxt:") != NULL && len > 20);
    free(f);
    raw_send_str(fd, "MEMORY HELP\r\n");
    f = raw_read_frame(fd, &len);
    CHECK(f && strncmp(f, "*14\r\n+MEMORY <subcommand>", 25) == 0);
    free(f);
    raw_send_str(fd, "MEMORY USAGE nokey\r\n");
    raw_expect_str(fd, "_\r\n");
    close(fd);
}

/* ---------------------------------------------------------------- the rest */

static void t_memory_doctor_purge_malloc_stats(void) {
    redisContext *c = fresh();
    char *d = CMD_STR(c, "MEMORY DOCTOR");
    CHECK(d && strlen(d) > 20);
    CHECK(d && strstr(d, "Sam") != NULL); /* Redis's Sam, in our own words */
    free(d);
    EXPECT_STATUS(c, "OK", "MEMORY PURGE");
    char *m = CMD_STR(c, "MEMORY MALLOC-STATS");
    CHECK(m && strlen(m) > 0);
    /* jemalloc's report, or Redis's sentence for builds without it (sanitizers). */
    CHECK(m && (strstr(m, "jemalloc") || !strcmp(m, "Stats not supported for the current allocator")));
    free(m);
    EXPECT_ERR(c, "ERR wrong number of arguments for 'memory|doctor' command", "MEMORY DOCTOR x");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'memory|purge' command", "MEMORY PURGE x");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'memory|malloc-stats' command",
               "MEMORY MALLOC-STATS x");
    redisFree(c);
}

static void t_memory_help_unknown(void) {
    redisContext *c = fresh();
    redisReply *r = CMD(c, "MEMORY HELP");
    static const char *const lines[] = {
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
        "HELP",
        "    Prints this help.",
    };
    size_t n = sizeof lines / sizeof *lines;
    if (CHECK_REPLY_ARRAY(r, (long)n))
        for (size_t i = 0; i < n; i++) CHECK_REPLY_STATUS(r->element[i], lines[i]);
    if (r) freeReplyObject(r);
    EXPECT_ERR(c, "ERR unknown subcommand 'foo'. Try MEMORY HELP.", "MEMORY foo");
    EXPECT_ERR(c, "ERR unknown subcommand 'Bogus'. Try MEMORY HELP.", "MEMORY Bogus 1 2");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'memory|help' command", "MEMORY HELP x");
    /* MEMORY USAGE names its key (COMMAND GETKEYS reads the key spec). */
    EXPECT_ARRAY_STRS(c, ((const char *[]){"k"}), 1, "COMMAND GETKEYS MEMORY USAGE k SAMPLES 5");
    redisFree(c);
}

static void t_stop(void) {
    CHECK(srv_stop(S));
    S = NULL;
}

int main(void) {
    test_run("start server", t_start);
    if (!S) return test_summary("memory");
    test_run("INFO memory has Redis 7's fields in order", t_info_memory_fields);
    test_run("INFO memory figures add up", t_info_memory_figures);
    test_run("used_memory follows a 1 MB value", t_used_memory_follows_data);
    test_run("MEMORY USAGE strings", t_memory_usage_strings);
    test_run("MEMORY USAGE argument errors", t_memory_usage_errors);
    test_run("MEMORY USAGE samples on 100k elements", t_memory_usage_aggregates);
    test_run("MEMORY STATS RESP2", t_memory_stats_resp2);
    test_run("MEMORY STATS RESP3", t_memory_stats_resp3);
    test_run("MEMORY DOCTOR PURGE MALLOC-STATS", t_memory_doctor_purge_malloc_stats);
    test_run("MEMORY HELP and unknown subcommands", t_memory_help_unknown);
    test_run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("memory");
}
