/* tests/integration/test_server.c: server commands (INFO, CONFIG, COMMAND, TIME, LASTSAVE,
 * DEBUG SLEEP, MONITOR, SLOWLOG, SHUTDOWN) and start-up configuration (command-line
 * overrides, config files with quoting and include, refusal of unknown directives).
 * Every expectation was checked against Redis 7.0.15. The WRONGTYPE counts of commandstats
 * and errorstats are in test_types_wrongtype.c. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/harness.h"

static srv *S;
static long long started_at;

#define CONFIG_SET_FAILED "ERR CONFIG SET failed (possibly related to argument "

static void t_start(void) {
    started_at = (long long)time(NULL);
    S = srv_start((const char *[]){"--enable-debug-command", "yes", NULL});
}

/* The CONFIG GET reply as a lookup: value of name, or NULL. */
static const char *config_value(const redisReply *r, const char *name) {
    if (!r || r->type != REDIS_REPLY_ARRAY) return NULL;
    for (size_t i = 0; i + 1 < r->elements; i += 2)
        if (r->element[i]->type == REDIS_REPLY_STRING && strcmp(r->element[i]->str, name) == 0)
            return r->element[i + 1]->str;
    return NULL;
}

#define CHECK_CONFIG(c, name, want)                                                                \
    do {                                                                                           \
        redisReply *r_ = CMD((c), "CONFIG GET %s", (name));                                        \
        const char *v_ = config_value(r_, (name));                                                 \
        if (!v_ || strcmp(v_, (want)) != 0)                                                        \
            test_fail(__FILE__, __LINE__, "CONFIG GET %s: %s, expected \"%s\"", (name),           \
                      reply_describe(r_), (want));                                                 \
        if (r_) freeReplyObject(r_);                                                               \
    } while (0)

static void t_info_sections(void) {
    redisContext *c = srv_connect(S);
    char *all = CMD_STR(c, "INFO");
    static const char *def[] = {"# Server", "# Clients", "# Memory", "# Persistence", "# Stats",
                                "# Replication", "# CPU", "# Errorstats", "# Keyspace"};
    const char *at = all;
    for (size_t i = 0; all && i < sizeof def / sizeof *def; i++) {
        const char *p = strstr(at, def[i]);
        if (!p) test_fail(__FILE__, __LINE__, "INFO lacks \"%s\" (in this order)", def[i]);
        else at = p;
    }
    CHECK(all && !strstr(all, "# Commandstats")); /* not a default section */
    CHECK(all && strstr(all, "\r\n") != NULL);      /* lines end in CRLF */
    free(all);
    all = CMD_STR(c, "INFO all");
    CHECK(all && strstr(all, "# Commandstats") && strstr(all, "# Keyspace"));
    free(all);
    all = CMD_STR(c, "INFO everything");
    CHECK(all && strstr(all, "# Commandstats") && strstr(all, "# Errorstats"));
    free(all);
    char *one = CMD_STR(c, "INFO server");
    CHECK(one && strncmp(one, "# Server\r\n", 10) == 0 && !strstr(one, "# Clients"));
    free(one);
    one = CMD_STR(c, "info CLIENTS"); /* section names are case-insensitive */
    CHECK(one && strncmp(one, "# Clients\r\n", 11) == 0 && !strstr(one, "# Server"));
    free(one);
    one = CMD_STR(c, "INFO server clients");
    CHECK(one && strstr(one, "# Server") && strstr(one, "# Clients") && !strstr(one, "# Memory"));
    free(one);
    EXPECT_BULK(c, "", "INFO nosuchsection");
    redisFree(c);
}

static void t_info_fields(void) {
    redisContext *c = srv_connect(S);
    char *v = info_field(c, "server", "redis_version");
    CHECK(v && strncmp(v, "7.", 2) == 0);
    free(v);
    CHECK_EQ_INT(info_int(c, "server", "tcp_port"), srv_port(S));
    CHECK_EQ_INT(info_int(c, "server", "process_id"), srv_pid(S));
    CHECK(info_int(c, "server", "uptime_in_seconds") >= 0);
    CHECK_EQ_INT(info_int(c, "persistence", "loading"), 0);
    CHECK(info_int(c, "memory", "used_memory") > 0);
    CHECK(info_int(c, "stats", "expired_keys") >= 0);
    CHECK(info_int(c, "stats", "total_connections_received") >= 1);
    CHECK(info_int(c, "stats", "total_commands_processed") >= 1);
    v = info_field(c, "replication", "role");
    CHECK(v && strcmp(v, "master") == 0);
    free(v);
    v = info_field(c, "cpu", "used_cpu_sys");
    CHECK(v != NULL);
    free(v);
    /* connected_clients follows connections. */
    /* Earlier tests' connections may still be closing: wait until this one is alone. */
    WAIT_FOR(info_int(c, "clients", "connected_clients") == 1, 2000);
    redisContext *c2 = srv_connect(S), *c3 = srv_connect(S);
    EXPECT_STATUS(c2, "PONG", "PING");
    EXPECT_STATUS(c3, "PONG", "PING");
    CHECK_EQ_INT(info_int(c, "clients", "connected_clients"), 3);
    redisFree(c2);
    redisFree(c3);
    WAIT_FOR(info_int(c, "clients", "connected_clients") == 1, 2000);
    /* Hits and misses. */
    EXPECT_STATUS(c, "OK", "SET hit v");
    long long hits = info_int(c, "stats", "keyspace_hits");
    long long misses = info_int(c, "stats", "keyspace_misses");
    EXPECT_BULK(c, "v", "GET hit");
    EXPECT_BULK(c, "v", "GET hit");
    EXPECT_NIL(c, "GET nokey");
    CHECK_EQ_INT(info_int(c, "stats", "keyspace_hits"), hits + 2);
    CHECK_EQ_INT(info_int(c, "stats", "keyspace_misses"), misses + 1);
    /* The keyspace line. */
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    EXPECT_STATUS(c, "OK", "MSET a 1 b 2");
    EXPECT_STATUS(c, "OK", "SET t 1 EX 1000");
    v = info_field(c, "keyspace", "db0");
    CHECK(v && strncmp(v, "keys=3,expires=1,avg_ttl=", 25) == 0);
    free(v);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    v = info_field(c, "keyspace", "db0");
    CHECK(v == NULL);
    free(v);
    redisFree(c);
}

static void t_commandstats_errorstats_resetstat(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    EXPECT_STATUS(c, "OK", "SET hit v");
    EXPECT_BULK(c, "v", "GET hit");
    EXPECT_STATUS(c, "OK", "CONFIG RESETSTAT");
    char *cs = CMD_STR(c, "INFO commandstats");
    /* Only the RESETSTAT itself has been counted since. */
    CHECK(cs && strncmp(cs, "# Commandstats\r\ncmdstat_config|resetstat:calls=1,", 47) == 0);
    CHECK(cs && !strstr(cs, "cmdstat_get"));
    free(cs);
    CHECK_EQ_INT(info_int(c, "stats", "keyspace_hits"), 0);
    CHECK_EQ_INT(info_int(c, "stats", "keyspace_misses"), 0);
    CHECK_EQ_INT(info_int(c, "stats", "expired_keys"), 0);
    char *es = CMD_STR(c, "INFO errorstats");
    CHECK(es && strcmp(es, "# Errorstats\r\n") == 0);
    free(es);
    EXPECT_STATUS(c, "OK", "SET s abc");
    EXPECT_ERR(c, "ERR value is not an integer or out of range", "INCR s");
    EXPECT_INT(c, 1, "INCR n");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'incr' command", "INCR");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'get' command", "GET");
    EXPECT_BULK(c, "abc", "GET s");
    EXPECT_ERR_PREFIX(c, "NOPROTO ", "HELLO 4");
    EXPECT_ERR_PREFIX(c, "ERR unknown command", "NOSUCHCMD");
    EXPECT_STATUS(c, "OK", "CLIENT SETNAME x");
    /* calls counts what ran (one ok, one failed with a non-integer), not the rejected arity
     * error. */
    CHECK_CMDSTAT(c, "incr", 2, 1, 1);
    CHECK_CMDSTAT(c, "get", 1, 1, 0);
    CHECK_CMDSTAT(c, "hello", 1, 0, 1);
    CHECK_CMDSTAT(c, "set", 1, 0, 0);
    CHECK_CMDSTAT(c, "client|setname", 1, 0, 0); /* subcommands are counted apart */
    es = CMD_STR(c, "INFO errorstats");
    CHECK(es && has_line(es, "errorstat_ERR:count=4")); /* unknown commands count too */
    CHECK(es && has_line(es, "errorstat_NOPROTO:count=1")); /* one line per error prefix */
    free(es);
    EXPECT_STATUS(c, "OK", "CONFIG RESETSTAT");
    es = CMD_STR(c, "INFO errorstats");
    CHECK(es && strcmp(es, "# Errorstats\r\n") == 0);
    free(es);
    EXPECT_ERR(c, "ERR wrong number of arguments for 'config|resetstat' command", "CONFIG RESETSTAT x");
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    redisFree(c);
}

static void t_config_get(void) {
    redisContext *c = srv_connect(S);
    char port[16];
    snprintf(port, sizeof port, "%d", srv_port(S));
    EXPECT_ARRAY_STRS(c, ((const char *[]){"port", port}), 2, "CONFIG GET port");
    CHECK_CONFIG(c, "bind", "127.0.0.1");
    CHECK_CONFIG(c, "timeout", "0");
    CHECK_CONFIG(c, "tcp-keepalive", "300");
    CHECK_CONFIG(c, "maxclients", "10000");
    CHECK_CONFIG(c, "databases", "16");
    CHECK_CONFIG(c, "hz", "10");
    CHECK_CONFIG(c, "loglevel", "notice");
    CHECK_CONFIG(c, "logfile", "");
    CHECK_CONFIG(c, "requirepass", "");
    CHECK_CONFIG(c, "protected-mode", "yes");
    CHECK_CONFIG(c, "proto-max-bulk-len", "536870912");
    CHECK_CONFIG(c, "client-query-buffer-limit", "1073741824");
    CHECK_CONFIG(c, "tcp-backlog", "511");
    CHECK_CONFIG(c, "unixsocket", "");
    char *dir = realpath(srv_dir(S), NULL); /* the server's working directory */
    CHECK_CONFIG(c, "dir", dir ? dir : "?");
    free(dir);
    /* Several names at once, in any order, each pair once. */
    redisReply *r = CMD(c, "CONFIG GET timeout hz port");
    if (CHECK_REPLY_ARRAY(r, 6)) {
        const char *t = config_value(r, "timeout"), *h = config_value(r, "hz"), *p = config_value(r, "port");
        CHECK(t && !strcmp(t, "0") && h && !strcmp(h, "10") && p && !strcmp(p, port));
    }
    freeReplyObject(r);
    r = CMD(c, "CONFIG GET hz hz");
    CHECK_REPLY_STRS(r, ((const char *[]){"hz", "10"}), 2);
    freeReplyObject(r);
    /* Glob patterns: every name returned matches, the known ones are there. */
    r = CMD(c, "CONFIG GET tcp-*");
    if (CHECK_REPLY_ARRAY(r, -1)) {
        CHECK(r->elements % 2 == 0);
        for (size_t i = 0; i < r->elements; i += 2)
            CHECK(strncmp(r->element[i]->str, "tcp-", 4) == 0);
        const char *ka = config_value(r, "tcp-keepalive"), *bl = config_value(r, "tcp-backlog");
        CHECK(ka && !strcmp(ka, "300") && bl && !strcmp(bl, "511"));
    }
    freeReplyObject(r);
    r = CMD(c, "CONFIG GET p?rt");
    CHECK_REPLY_STRS(r, ((const char *[]){"port", port}), 2);
    freeReplyObject(r);
    r = CMD(c, "CONFIG GET *");
    if (CHECK_REPLY_ARRAY(r, -1)) {
        CHECK(r->elements >= 2 * 16);
        CHECK(config_value(r, "maxclients") && config_value(r, "proto-max-bulk-len"));
    }
    freeReplyObject(r);
    r = CMD(c, "CONFIG GET [ht][zi]*"); /* hz, timeout, ... */
    if (CHECK_REPLY_ARRAY(r, -1)) CHECK(config_value(r, "hz") && config_value(r, "timeout"));
    freeReplyObject(r);
    EXPECT_ARRAY_STRS(c, NULL, 0, "CONFIG GET nosuchdirective");
    EXPECT_ARRAY_STRS(c, NULL, 0, "CONFIG GET nosuch*");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'config|get' command", "CONFIG GET");
    redisFree(c);
}

static void t_config_set(void) {
    redisContext *c = srv_connect(S);
    /* Every mutable directive of the list round-trips exactly. */
    static const char *pairs[][3] = {
        {"timeout", "123", "123"},
        {"tcp-keepalive", "60", "60"},
        {"maxclients", "5000", "5000"},
        {"hz", "20", "20"},
        {"loglevel", "warning", "warning"},
        {"loglevel", "VERBOSE", "verbose"},
        {"protected-mode", "no", "no"},
        {"proto-max-bulk-len", "1048576", "1048576"},
        {"proto-max-bulk-len", "2mb", "2097152"},
        {"client-query-buffer-limit", "2mb", "2097152"},
        {"client-query-buffer-limit", "3000000", "3000000"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        EXPECT_STATUS(c, "OK", "CONFIG SET %s %s", pairs[i][0], pairs[i][1]);
        CHECK_CONFIG(c, pairs[i][0], pairs[i][2]);
    }
    /* Several pairs at once. */
    EXPECT_STATUS(c, "OK", "CONFIG SET timeout 0 hz 10 tcp-keepalive 300 maxclients 10000");
    CHECK_CONFIG(c, "timeout", "0");
    CHECK_CONFIG(c, "hz", "10");
    CHECK_CONFIG(c, "tcp-keepalive", "300");
    CHECK_CONFIG(c, "maxclients", "10000");
    EXPECT_STATUS(c, "OK", "CONFIG SET loglevel notice protected-mode yes proto-max-bulk-len 512mb "
                           "client-query-buffer-limit 1gb");
    CHECK_CONFIG(c, "proto-max-bulk-len", "536870912");
    CHECK_CONFIG(c, "client-query-buffer-limit", "1073741824");
    /* All or nothing. */
    EXPECT_ERR(c, "ERR Unknown option or number of arguments for CONFIG SET - 'nosuchdirective'",
               "CONFIG SET nosuchdirective 3");
    EXPECT_ERR(c, "ERR Unknown option or number of arguments for CONFIG SET - 'nosuchdirective'",
               "CONFIG SET timeout 5 nosuchdirective 3");
    CHECK_CONFIG(c, "timeout", "0");
    EXPECT_ERR(c, CONFIG_SET_FAILED "'timeout') - argument couldn't be parsed into an integer",
               "CONFIG SET hz 50 timeout abc");
    CHECK_CONFIG(c, "hz", "10");
    EXPECT_ERR(c, CONFIG_SET_FAILED "'loglevel') - argument(s) must be one of the following: debug, "
                  "verbose, notice, warning",
               "CONFIG SET timeout 7 loglevel foo");
    CHECK_CONFIG(c, "timeout", "0");
    EXPECT_ERR(c, CONFIG_SET_FAILED "'protected-mode') - argument must be 'yes' or 'no'",
               "CONFIG SET protected-mode maybe");
    EXPECT_ERR(c, CONFIG_SET_FAILED "'timeout') - duplicate parameter", "CONFIG SET timeout 1 timeout 2");
    EXPECT_ERR(c, CONFIG_SET_FAILED "'databases') - can't set immutable config", "CONFIG SET databases 20");
    EXPECT_ERR(c, CONFIG_SET_FAILED "'tcp-backlog') - can't set immutable config", "CONFIG SET tcp-backlog 5");
    EXPECT_ERR(c, CONFIG_SET_FAILED "'unixsocket') - can't set immutable config",
               "CONFIG SET unixsocket /tmp/x.sock");
    EXPECT_ERR(c, CONFIG_SET_FAILED "'logfile') - can't set immutable config", "CONFIG SET logfile x.log");
    EXPECT_ERR(c, CONFIG_SET_FAILED "'dir') - can't set protected config", "CONFIG SET dir /tmp");
    EXPECT_ERR(c, "ERR syntax error", "CONFIG SET timeout 5 hz");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'config|set' command", "CONFIG SET timeout");
    CHECK_CONFIG(c, "timeout", "0");
    /* Names are case-insensitive. */
    EXPECT_STATUS(c, "OK", "CONFIG SET HZ 15");
    CHECK_CONFIG(c, "hz", "15");
    /* hz is clamped into [1, 500]. */
    EXPECT_STATUS(c, "OK", "CONFIG SET hz 0");
    CHECK_CONFIG(c, "hz", "1");
    EXPECT_STATUS(c, "OK", "CONFIG SET hz 10");
    /* requirepass takes effect for new connections. */
    EXPECT_STATUS(c, "OK", "CONFIG SET requirepass s3cret");
    CHECK_CONFIG(c, "requirepass", "s3cret");
    redisContext *c2 = srv_connect(S);
    EXPECT_ERR(c2, "NOAUTH Authentication required.", "PING");
    EXPECT_STATUS(c2, "OK", "AUTH s3cret");
    redisFree(c2);
    EXPECT_STATUS(c, "OK", "CONFIG SET requirepass %s", "");
    c2 = srv_connect(S);
    EXPECT_STATUS(c2, "PONG", "PING");
    redisFree(c2);
    /* bind can change at run time; the server keeps serving. */
    EXPECT_STATUS(c, "OK", "CONFIG SET bind 127.0.0.1");
    c2 = srv_connect(S);
    EXPECT_STATUS(c2, "PONG", "PING");
    redisFree(c2);
    redisFree(c);
}

static void t_config_rewrite(void) {
    redisContext *c = srv_connect(S);
    EXPECT_ERR(c, "ERR The server is running without a config file", "CONFIG REWRITE");
    redisFree(c);
    srv_opts o = {.conf = "# my settings\ntimeout 0\nhz 10\nloglevel notice\n"};
    srv *s = srv_start_opts(&o);
    if (!s) return;
    c = srv_connect(s);
    EXPECT_STATUS(c, "OK", "CONFIG SET timeout 77 hz 33 tcp-keepalive 60 maxclients 1000 loglevel warning");
    EXPECT_STATUS(c, "OK", "CONFIG REWRITE");
    redisFree(c);
    FILE *f = fopen(srv_conf_path(s), "r");
    char text[16384] = "";
    if (f) {
        size_t n = fread(text, 1, sizeof text - 1, f);
        text[n] = '\0';
        fclose(f);
    }
    CHECK(has_line(text, "# my settings")); /* comments stay */
    CHECK(has_line(text, "timeout 77"));      /* changed lines in place */
    CHECK(has_line(text, "hz 33"));
    CHECK(has_line(text, "loglevel warning"));
    CHECK(has_line(text, "tcp-keepalive 60")); /* new ones appended */
    CHECK(has_line(text, "maxclients 1000"));
    CHECK(!has_line(text, "timeout 0") && !has_line(text, "hz 10") && !has_line(text, "loglevel notice"));
    CHECK(strstr(text, "timeout 77") < strstr(text, "tcp-keepalive 60"));
    /* The rewritten file starts a server with the same settings (without its old dir). */
    char *copy = strdup(text), *out = calloc(1, strlen(text) + 1);
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n"))
        if (strncmp(line, "dir ", 4) != 0) strcat(strcat(out, line), "\n");
    srv_opts o2 = {.conf = out};
    srv *s2 = srv_start_opts(&o2);
    c = srv_connect(s2);
    CHECK_CONFIG(c, "timeout", "77");
    CHECK_CONFIG(c, "hz", "33");
    CHECK_CONFIG(c, "tcp-keepalive", "60");
    CHECK_CONFIG(c, "maxclients", "1000");
    CHECK_CONFIG(c, "loglevel", "warning");
    redisFree(c);
    CHECK(srv_stop(s2));
    CHECK(srv_stop(s));
    free(copy);
    free(out);
}

/* Check a COMMAND INFO entry: name, arity, flags, first/last/step, ACL categories. */
static void check_command_info(const char *file, int line, const redisReply *e, const char *name,
                               long long arity, const char *const *flags, size_t nflags,
                               long long first, long long last, long long step,
                               const char *const *cats, size_t ncats) {
    if (!reply_array_at(file, line, e, -1) || e->elements < 10) {
        test_fail(file, line, "COMMAND INFO %s: 10 fields expected", name);
        return;
    }
    reply_bulk_at(file, line, e->element[0], name, strlen(name));
    reply_int_at(file, line, e->element[1], arity);
    reply_strs_at(file, line, e->element[2], flags, nflags, true) ||
        (fprintf(stderr, "      (flags of %s; RESP2 sends them as status replies)\n", name), 0);
    reply_int_at(file, line, e->element[3], first);
    reply_int_at(file, line, e->element[4], last);
    reply_int_at(file, line, e->element[5], step);
    reply_strs_at(file, line, e->element[6], cats, ncats, true);
}

/* A key spec (element of COMMAND INFO's 9th field), as a flat lookup. */
static const redisReply *spec_field(const redisReply *spec, const char *name) {
    for (size_t i = 0; spec && spec->type == REDIS_REPLY_ARRAY && i + 1 < spec->elements; i += 2)
        if (spec->element[i]->type == REDIS_REPLY_STRING && !strcmp(spec->element[i]->str, name))
            return spec->element[i + 1];
    return NULL;
}

static void check_key_spec(const char *file, int line, const redisReply *spec, const char *const *flags,
                           size_t nflags, long long index, long long lastkey, long long keystep) {
    reply_strs_at(file, line, spec_field(spec, "flags"), flags, nflags, true);
    const redisReply *bs = spec_field(spec, "begin_search"), *fk = spec_field(spec, "find_keys");
    const redisReply *bt = spec_field(bs, "type"), *bsp = spec_field(bs, "spec");
    reply_bulk_at(file, line, bt, "index", 5);
    reply_int_at(file, line, spec_field(bsp, "index"), index);
    const redisReply *ft = spec_field(fk, "type"), *fsp = spec_field(fk, "spec");
    reply_bulk_at(file, line, ft, "range", 5);
    reply_int_at(file, line, spec_field(fsp, "lastkey"), lastkey);
    reply_int_at(file, line, spec_field(fsp, "keystep"), keystep);
    reply_int_at(file, line, spec_field(fsp, "limit"), 0);
}

/* Flags are status replies in RESP2; compare them as strings. */
static bool flags_as_strings(redisReply *r) {
    if (!r) return false;
    if (r->type == REDIS_REPLY_STATUS) r->type = REDIS_REPLY_STRING;
    if (r->type == REDIS_REPLY_ARRAY)
        for (size_t i = 0; i < r->elements; i++) flags_as_strings(r->element[i]);
    return true;
}

static void t_command(void) {
    redisContext *c = srv_connect(S);
    long long count = CMD_INT(c, "COMMAND COUNT");
    CHECK(count > 50);
    redisReply *r = CMD(c, "COMMAND");
    CHECK_REPLY_ARRAY(r, count);
    freeReplyObject(r);
    r = CMD(c, "COMMAND INFO get set mset nosuchcommand");
    flags_as_strings(r);
    if (CHECK_REPLY_ARRAY(r, 4)) {
        check_command_info(__FILE__, __LINE__, r->element[0], "get", 2,
                           (const char *[]){"readonly", "fast"}, 2, 1, 1, 1,
                           (const char *[]){"@read", "@string", "@fast"}, 3);
        check_command_info(__FILE__, __LINE__, r->element[1], "set", -3,
                           (const char *[]){"write", "denyoom"}, 2, 1, 1, 1,
                           (const char *[]){"@write", "@string", "@slow"}, 3);
        check_command_info(__FILE__, __LINE__, r->element[2], "mset", -3,
                           (const char *[]){"write", "denyoom"}, 2, 1, -1, 2,
                           (const char *[]){"@write", "@string", "@slow"}, 3);
        CHECK_REPLY_NIL(r->element[3]);
        if (r->element[0]->elements >= 10 && CHECK_REPLY_ARRAY(r->element[0]->element[8], 1))
            check_key_spec(__FILE__, __LINE__, r->element[0]->element[8]->element[0],
                           (const char *[]){"RO", "access"}, 2, 1, 0, 1);
        if (r->element[1]->elements >= 10 && CHECK_REPLY_ARRAY(r->element[1]->element[8], 1))
            check_key_spec(__FILE__, __LINE__, r->element[1]->element[8]->element[0],
                           (const char *[]){"RW", "access", "update", "variable_flags"}, 4, 1, 0, 1);
        if (r->element[2]->elements >= 10 && CHECK_REPLY_ARRAY(r->element[2]->element[8], 1))
            check_key_spec(__FILE__, __LINE__, r->element[2]->element[8]->element[0],
                           (const char *[]){"OW", "update"}, 2, 1, -1, 2);
    }
    freeReplyObject(r);
    r = CMD(c, "command info GET");
    if (CHECK_REPLY_ARRAY(r, 1) && CHECK_REPLY_ARRAY(r->element[0], -1))
        CHECK_REPLY_BULK(r->element[0]->element[0], "get");
    freeReplyObject(r);
    /* DOCS: a map of name -> doc map (flat arrays in RESP2). */
    r = CMD(c, "COMMAND DOCS get");
    if (CHECK_REPLY_ARRAY(r, 2) && CHECK_REPLY_BULK(r->element[0], "get") &&
        CHECK_REPLY_ARRAY(r->element[1], -1)) {
        const redisReply *d = r->element[1];
        CHECK_REPLY_BULK(spec_field(d, "summary"), "Get the value of a key");
        CHECK_REPLY_BULK(spec_field(d, "since"), "1.0.0");
        CHECK_REPLY_BULK(spec_field(d, "group"), "string");
        CHECK_REPLY_BULK(spec_field(d, "complexity"), "O(1)");
        const redisReply *args = spec_field(d, "arguments");
        if (CHECK_REPLY_ARRAY(args, 1)) {
            CHECK_REPLY_BULK(spec_field(args->element[0], "name"), "key");
            CHECK_REPLY_BULK(spec_field(args->element[0], "type"), "key");
        }
    }
    freeReplyObject(r);
    EXPECT_ARRAY_STRS(c, NULL, 0, "COMMAND DOCS nosuchcommand");
    /* GETKEYS follows the key specs, numkeys included. */
    EXPECT_ARRAY_STRS(c, ((const char *[]){"a", "b"}), 2, "COMMAND GETKEYS MSET a 1 b 2");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"x", "y"}), 2, "COMMAND GETKEYS LMPOP 2 x y LEFT");
    EXPECT_ERR(c, "ERR Invalid arguments specified for command", "COMMAND GETKEYS LMPOP 5 a b LEFT");
    EXPECT_ERR(c, "ERR The command has no key arguments", "COMMAND GETKEYS PING x");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"k", "d"}), 2, "COMMAND GETKEYS SORT k BY w_* STORE d");
    /* LIST: every command name, subcommands as "parent|sub". */
    r = CMD(c, "COMMAND LIST");
    if (CHECK_REPLY_ARRAY(r, -1)) {
        CHECK((long long)r->elements >= count);
        bool get = false, set = false, cfgget = false;
        for (size_t i = 0; i < r->elements; i++) {
            get |= !strcmp(r->element[i]->str, "get");
            set |= !strcmp(r->element[i]->str, "set");
            cfgget |= !strcmp(r->element[i]->str, "config|get");
        }
        CHECK(get && set && cfgget);
    }
    freeReplyObject(r);
    r = CMD(c, "COMMAND LIST FILTERBY PATTERN get*");
    if (CHECK_REPLY_ARRAY(r, -1)) {
        bool get = false, getex = false;
        for (size_t i = 0; i < r->elements; i++) {
            CHECK(strncmp(r->element[i]->str, "get", 3) == 0);
            get |= !strcmp(r->element[i]->str, "get");
            getex |= !strcmp(r->element[i]->str, "getex");
        }
        CHECK(get && getex);
    }
    freeReplyObject(r);
    EXPECT_ERR(c, "ERR unknown subcommand 'foo'. Try COMMAND HELP.", "COMMAND foo");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'command|count' command", "COMMAND COUNT x");
    redisFree(c);
}

static void t_time_lastsave_debug(void) {
    redisContext *c = srv_connect(S);
    redisReply *r = CMD(c, "TIME");
    if (CHECK_REPLY_ARRAY(r, 2) && r->element[0]->type == REDIS_REPLY_STRING &&
        r->element[1]->type == REDIS_REPLY_STRING) {
        long long sec = atoll(r->element[0]->str), usec = atoll(r->element[1]->str);
        long long now = (long long)time(NULL);
        CHECK(sec >= now - 2 && sec <= now + 2);
        CHECK(usec >= 0 && usec < 1000000);
    }
    freeReplyObject(r);
    EXPECT_ERR(c, "ERR wrong number of arguments for 'time' command", "TIME x");
    long long ls = CMD_INT(c, "LASTSAVE");
    CHECK(ls >= started_at - 5 && ls <= (long long)time(NULL) + 1);
    EXPECT_STATUS(c, "OK", "DEBUG SLEEP 0");
    long long t0 = now_ms();
    EXPECT_STATUS(c, "OK", "DEBUG SLEEP 0.05");
    CHECK(now_ms() - t0 >= 45);
    redisFree(c);
}

/* "+1700000000.123456 [0 127.0.0.1:54321] "GET" "k"" : check everything after the time. */
static void expect_monitor_line(const char *file, int line, int fd, int db, int port, const char *args) {
    size_t len;
    char *f = raw_read_frame_at(file, line, fd, &len);
    char *p = f;
    bool ok = *p++ == '+';
    int digits = 0;
    while (ok && *p >= '0' && *p <= '9') p++, digits++;
    ok = ok && digits >= 10 && *p++ == '.';
    for (int i = 0; ok && i < 6; i++) ok = *p >= '0' && *p <= '9', p++;
    char want[512];
    snprintf(want, sizeof want, " [%d 127.0.0.1:%d] %s\r\n", db, port, args);
    ok = ok && strcmp(p, want) == 0;
    if (!ok) {
        char *e = escape_bytes(f, len, 300), *w = escape_bytes(want, strlen(want), 300);
        test_fail(file, line, "monitor line \"%s\", expected +<sec>.<usec>\"%s\"", e, w);
        free(e);
        free(w);
    }
    free(f);
}
#define EXPECT_MONITOR(fd, db, port, args) expect_monitor_line(__FILE__, __LINE__, (fd), (db), (port), (args))

static void t_monitor(void) {
    int m = raw_connect(S);
    raw_send_str(m, "MONITOR\r\n");
    raw_expect_str(m, "+OK\r\n");
    redisContext *c = srv_connect(S);
    int port = conn_local_port(c->fd);
    EXPECT_STATUS(c, "OK", "SET %b %b", "mk\0\"", (size_t)4, "a b\r\n\\", (size_t)6);
    EXPECT_ERR(c, "ERR wrong number of arguments for 'get' command", "GET"); /* not shown */
    EXPECT_NIL(c, "GET nokey");
    EXPECT_STATUS(c, "OK", "SELECT 3");
    EXPECT_NIL(c, "get nokey");
    EXPECT_INT(c, 0, "DEL %b", "mk\0\"", (size_t)4); /* in db 3: not there */
    EXPECT_MONITOR(m, 0, port, "\"SET\" \"mk\\x00\\\"\" \"a b\\r\\n\\\\\"");
    EXPECT_MONITOR(m, 0, port, "\"GET\" \"nokey\"");
    size_t len;
    char *sel = raw_read_frame(m, &len); /* the SELECT line itself */
    CHECK(strstr(sel, "\"SELECT\" \"3\"\r\n") != NULL);
    free(sel);
    EXPECT_MONITOR(m, 3, port, "\"get\" \"nokey\"");
    EXPECT_MONITOR(m, 3, port, "\"DEL\" \"mk\\x00\\\"\"");
    EXPECT_STATUS(c, "OK", "SELECT 0");
    redisFree(c);
    close(m);
}

static void t_slowlog(void) {
    redisContext *c = srv_connect(S);
    int port = conn_local_port(c->fd);
    EXPECT_STATUS(c, "OK", "CONFIG SET slowlog-log-slower-than 0");
    EXPECT_STATUS(c, "OK", "SLOWLOG RESET");
    EXPECT_INT(c, 1, "SLOWLOG LEN"); /* the RESET itself was logged after it ran */
    EXPECT_STATUS(c, "OK", "CLIENT SETNAME slowpoke");
    EXPECT_STATUS(c, "OK", "SET foo bar");
    long long now = (long long)time(NULL);
    redisReply *r = CMD(c, "SLOWLOG GET 2");
    /* Newest first: [id, unix time, microseconds, [args], "ip:port", client name]. */
    if (CHECK_REPLY_ARRAY(r, 2)) {
        redisReply *e = r->element[0];
        if (CHECK_REPLY_ARRAY(e, 6)) {
            CHECK(e->element[0]->type == REDIS_REPLY_INTEGER);
            CHECK(e->element[1]->type == REDIS_REPLY_INTEGER && e->element[1]->integer >= now - 2 &&
                  e->element[1]->integer <= now + 1);
            CHECK(e->element[2]->type == REDIS_REPLY_INTEGER && e->element[2]->integer >= 0);
            CHECK_REPLY_STRS(e->element[3], ((const char *[]){"SET", "foo", "bar"}), 3);
            char addr[64];
            snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
            CHECK_REPLY_BULK(e->element[4], addr);
            CHECK_REPLY_BULK(e->element[5], "slowpoke");
        }
        redisReply *e2 = r->element[1];
        if (CHECK_REPLY_ARRAY(e2, 6)) {
            CHECK_REPLY_STRS(e2->element[3], ((const char *[]){"CLIENT", "SETNAME", "slowpoke"}), 3);
            CHECK_REPLY_BULK(e2->element[5], "slowpoke");
            if (e->type == REDIS_REPLY_ARRAY && e->elements == 6)
                CHECK(e2->element[0]->integer < e->element[0]->integer);
        }
    }
    freeReplyObject(r);
    /* Long arguments and long argument lists are cut. */
    char big[201];
    memset(big, 'y', 200);
    big[200] = '\0';
    EXPECT_BULK(c, big, "ECHO %s", big);
    r = CMD(c, "SLOWLOG GET 1");
    char want[200];
    snprintf(want, sizeof want, "%.128s... (72 more bytes)", big);
    if (CHECK_REPLY_ARRAY(r, 1) && CHECK_REPLY_ARRAY(r->element[0], 6))
        CHECK_REPLY_STRS(r->element[0]->element[3], ((const char *[]){"ECHO", want}), 2);
    freeReplyObject(r);
    EXPECT_INT(c, 0, "DEL 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 "
                     "30 31 32 33 34 35 36 37 38 39 40");
    r = CMD(c, "SLOWLOG GET 1");
    if (CHECK_REPLY_ARRAY(r, 1) && CHECK_REPLY_ARRAY(r->element[0], 6)) {
        redisReply *a = r->element[0]->element[3];
        if (CHECK_REPLY_ARRAY(a, 32)) {
            CHECK_REPLY_BULK(a->element[0], "DEL");
            CHECK_REPLY_BULK(a->element[30], "30");
            CHECK_REPLY_BULK(a->element[31], "... (10 more arguments)");
        }
    }
    freeReplyObject(r);
    long long len = CMD_INT(c, "SLOWLOG LEN");
    CHECK(len >= 9);
    r = CMD(c, "SLOWLOG GET");
    CHECK_REPLY_ARRAY(r, 10); /* 10 entries by default (the LEN above made it len + 1) */
    freeReplyObject(r);
    r = CMD(c, "SLOWLOG GET -1");
    CHECK(r && r->type == REDIS_REPLY_ARRAY && (long long)r->elements >= len);
    freeReplyObject(r);
    EXPECT_ARRAY_STRS(c, NULL, 0, "SLOWLOG GET 0");
    EXPECT_ERR(c, "ERR count should be greater than or equal to -1", "SLOWLOG GET -2");
    EXPECT_ERR(c, "ERR count should be greater than or equal to -1", "SLOWLOG GET x");
    EXPECT_ERR(c, "ERR unknown subcommand 'foo'. Try SLOWLOG HELP.", "SLOWLOG foo");
    /* Back to normal: nothing fast is logged any more. */
    EXPECT_STATUS(c, "OK", "CONFIG SET slowlog-log-slower-than 10000");
    EXPECT_STATUS(c, "OK", "SLOWLOG RESET");
    EXPECT_STATUS(c, "PONG", "PING");
    EXPECT_INT(c, 0, "SLOWLOG LEN");
    EXPECT_STATUS(c, "OK", "CLIENT SETNAME %s", "");
    redisFree(c);
}

static void t_shutdown_nosave(void) {
    srv *s = srv_start(NULL);
    if (!s) return;
    redisContext *c = srv_connect(s);
    EXPECT_STATUS(c, "OK", "SET k v");
    redisFree(c);
    int fd = raw_connect(s);
    raw_send_str(fd, "SHUTDOWN NOSAVE\r\n");
    raw_expect_closed(fd);
    close(fd);
    int status = -1;
    CHECK(srv_wait_exit(s, 5000, &status));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char path[600];
    snprintf(path, sizeof path, "%s/dump.rdb", srv_dir(s));
    CHECK(access(path, F_OK) != 0); /* NOSAVE: no snapshot written */
    CHECK(srv_stop(s));
}

static void t_command_line_overrides(void) {
    srv_opts o = {.conf = "hz 20\ntimeout 30\nloglevel notice\n",
                  .args = (const char *[]){"--hz", "30", "--loglevel", "warning", "--tcp-keepalive", "77", NULL}};
    srv *s = srv_start_opts(&o);
    if (!s) return;
    redisContext *c = srv_connect(s);
    CHECK_CONFIG(c, "hz", "30"); /* the command line wins over the file */
    CHECK_CONFIG(c, "loglevel", "warning");
    CHECK_CONFIG(c, "timeout", "30"); /* the file still applies */
    CHECK_CONFIG(c, "tcp-keepalive", "77");
    char port[16];
    snprintf(port, sizeof port, "%d", srv_port(s));
    CHECK_CONFIG(c, "port", port);
    CHECK_EQ_INT(info_int(c, "server", "tcp_port"), srv_port(s));
    redisFree(c);
    CHECK(srv_stop(s));
}

static void t_config_file_quoting_include(void) {
    static const srv_file files[] = {{"extra.conf", "hz 25\n# included comment\ntcp-keepalive 45\n"},
                                     {NULL, NULL}};
    srv_opts o = {.conf = "# a comment\n\n   timeout 30\ninclude @DIR@/extra.conf\n"
                          "requirepass \"a b\\x41\\\\\"\n" /* a, space, b, \x41 = A, escaped backslash */
                          "logfile 'my log.txt'\n"
                          "TCP-BACKLOG 128\n",
                  .files = files};
    srv *s = srv_start_opts(&o);
    if (!s) return;
    redisContext *c = srv_connect(s);
    EXPECT_ERR(c, "NOAUTH Authentication required.", "PING");
    EXPECT_STATUS(c, "OK", "AUTH %s", "a bA\\");
    CHECK_CONFIG(c, "timeout", "30");
    CHECK_CONFIG(c, "hz", "25");
    CHECK_CONFIG(c, "tcp-keepalive", "45");
    CHECK_CONFIG(c, "requirepass", "a bA\\");
    CHECK_CONFIG(c, "logfile", "my log.txt");
    CHECK_CONFIG(c, "tcp-backlog", "128"); /* directive names are case-insensitive */
    redisFree(c);
    char path[600];
    snprintf(path, sizeof path, "%s/my log.txt", srv_dir(s));
    CHECK(access(path, F_OK) == 0);
    CHECK(srv_stop(s));
}

static bool mentions_line(const char *out, int n) {
    char a[32], b[32];
    snprintf(a, sizeof a, "line %d", n);
    snprintf(b, sizeof b, ":%d", n);
    return strstr(out, a) || strstr(out, b);
}

static void expect_start_failure(const char *file, int line, const srv_opts *o, int line_no) {
    char *out = NULL;
    int status = srv_run_to_exit(o, 5000, &out);
    if (status == -1) test_fail(file, line, "the server started anyway (or did not exit in 5 s)");
    else if (!WIFEXITED(status) || WEXITSTATUS(status) == 0)
        test_fail(file, line, "expected a non-zero exit, got status 0x%x", status);
    if (line_no > 0 && !mentions_line(out, line_no))
        test_fail(file, line, "the message does not name line %d:\n%s", line_no, out);
    free(out);
}
#define EXPECT_START_FAILURE(o, n) expect_start_failure(__FILE__, __LINE__, (o), (n))

static void t_bad_config_refused(void) {
    srv_opts o1 = {.conf = "hz 20\nnosuchdirective 5\n"};
    EXPECT_START_FAILURE(&o1, 2);
    srv_opts o2 = {.conf = "# c\nhz 20\n\nrequirepass \"unbalanced\n"};
    EXPECT_START_FAILURE(&o2, 4);
    srv_opts o3 = {.conf = "hz abc\n"};
    EXPECT_START_FAILURE(&o3, 1);
    srv_opts o4 = {.conf = "timeout 1 2\n"};
    EXPECT_START_FAILURE(&o4, 1);
    srv_opts o5 = {.args = (const char *[]){"--nosuchdirective", "1", NULL}};
    EXPECT_START_FAILURE(&o5, 0);
    srv_opts o6 = {.conf = "include @DIR@/missing.conf\n"};
    EXPECT_START_FAILURE(&o6, 0);
}

static void t_stop(void) {
    CHECK(srv_stop(S));
    S = NULL;
}

int main(void) {
    test_run("start server", t_start);
    if (!S) return test_summary("server");
    test_run("INFO sections", t_info_sections);
    test_run("INFO fields", t_info_fields);
    test_run("commandstats errorstats RESETSTAT", t_commandstats_errorstats_resetstat);
    test_run("CONFIG GET", t_config_get);
    test_run("CONFIG SET", t_config_set);
    test_run("CONFIG REWRITE", t_config_rewrite);
    test_run("COMMAND", t_command);
    test_run("TIME LASTSAVE DEBUG SLEEP", t_time_lastsave_debug);
    test_run("MONITOR", t_monitor);
    test_run("SLOWLOG", t_slowlog);
    test_run("SHUTDOWN NOSAVE", t_shutdown_nosave);
    test_run("command-line overrides", t_command_line_overrides);
    test_run("config file quoting and include", t_config_file_quoting_include);
    test_run("bad configuration refused at start", t_bad_config_refused);
    test_run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("server");
}
