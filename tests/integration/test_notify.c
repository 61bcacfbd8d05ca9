/* tests/integration/test_notify.c: keyspace notifications (notify-keyspace-events).
 * Which events every write command reports, in which order and on which channels
 * (__keyspace@<db>__:<key> with the event as message, __keyevent@<db>__:<event> with
 * the key), that commands which change nothing report nothing, how the flag letters
 * filter the classes, CONFIG SET/GET of the flags, "new" (n), "keymiss" (m),
 * "expired" (x, active and lazy), events in other dbs, inside MULTI/EXEC and from
 * blocked clients being served, and a Spring Session-like subscriber.
 *
 * Collecting the events of one command without waiting by the clock: a subscriber
 * listens to the event channels and to the channel "sentinel". After the command, the
 * test publishes a unique token on "sentinel" from the command's own connection. The
 * server hands a subscriber its messages in the order it publishes them, so when the
 * token arrives every event the command caused has arrived before it.
 *
 * Every expectation was checked against Redis 7.0.15 (CAIRN_TEST_SERVER=/usr/bin/
 * redis-server). Some of its answers are surprising, and asserted as they are: LMOVE
 * reports the push on the destination before the pop on the source; DECR and DECRBY
 * report "incrby"; PFMERGE reports "pfadd"; HSET reports "hset" even when no value
 * changed, LTRIM "ltrim" when nothing was trimmed; RENAME onto an existing key reports
 * no "del" for the key it replaces, but "new" for the destination; SETBIT, BITFIELD,
 * ZADD and ZINCRBY report nothing when no bit or score changed; CONFIG GET never shows
 * 'n' once all of A's classes are on ("AKEmn" reads back "AKEm", yet 'n' stays on);
 * EXISTS, TYPE and TTL of a missing key report "keymiss". */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "tests/harness.h"

static srv *S;

/* ---- collecting events ---------------------------------------------------------------- */

enum { MAX_EVENTS = 64, EVENT_LEN = 160, MAX_WORDS = 64 };

/* The messages a subscriber received, each as "channel message". */
typedef struct {
    int n;
    bool overflow; /* more than MAX_EVENTS arrived */
    char ev[MAX_EVENTS][EVENT_LEN];
} events;

static void events_add(events *e, const char *s) {
    if (e->n < MAX_EVENTS)
        snprintf(e->ev[e->n++], EVENT_LEN, "%s", s);
    else
        e->overflow = true;
}

static bool events_have(const events *e, const char *s) {
    for (int i = 0; i < e->n; i++)
        if (strcmp(e->ev[i], s) == 0) return true;
    return false;
}

/* A printable list for failure messages (static buffer). */
static const char *events_show(const events *e) {
    static char buf[MAX_EVENTS * (EVENT_LEN + 8)];
    size_t o = 0;
    buf[0] = '\0';
    if (e->n == 0) snprintf(buf, sizeof buf, "(none)");
    for (int i = 0; i < e->n && o < sizeof buf; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s\"%s\"", i ? ", " : "", e->ev[i]);
    if (e->overflow && o < sizeof buf) snprintf(buf + o, sizeof buf - o, ", ...");
    return buf;
}

/* Run a command given as one string: words split on spaces; the word "" is an empty
 * argument. The caller frees the reply (NULL, recorded, on a connection error). */
static redisReply *run_words(redisContext *c, const char *cmd) {
    char buf[512];
    const char *argv[MAX_WORDS];
    size_t lens[MAX_WORDS];
    int argc = 0;
    snprintf(buf, sizeof buf, "%s", cmd);
    char *save = NULL;
    for (char *w = strtok_r(buf, " ", &save); w && argc < MAX_WORDS;
         w = strtok_r(NULL, " ", &save)) {
        if (strcmp(w, "\"\"") == 0) w[0] = '\0';
        argv[argc] = w;
        lens[argc] = strlen(w);
        argc++;
    }
    return CMD_ARGV(c, argc, argv, lens);
}

/* Run each of the ';'-separated commands of script; an error reply is recorded. */
static void run_script(redisContext *c, const char *script) {
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", script);
    char *save = NULL;
    for (char *cmd = strtok_r(buf, ";", &save); cmd; cmd = strtok_r(NULL, ";", &save)) {
        redisReply *r = run_words(c, cmd);
        if (r && r->type == REDIS_REPLY_ERROR)
            test_fail(__FILE__, __LINE__, "\"%s\" replied %s", cmd, reply_describe(r));
        if (r) freeReplyObject(r);
    }
}

static void set_flags(redisContext *c, const char *flags) {
    EXPECT_STATUS(c, "OK", "CONFIG SET notify-keyspace-events %s", flags);
}

/* A subscriber connection: cmd is "SUBSCRIBE ..." or "PSUBSCRIBE ..." and should include
 * the channel "sentinel" (collect() needs it). Waits for one confirmation per channel.
 * Its reads time out after 5 s, so a message that never comes fails the test instead of
 * hanging it. */
static redisContext *subscriber(const char *cmd) {
    redisContext *sub = srv_connect(S);
    if (!sub) return NULL;
    struct timeval tv = {5, 0};
    redisSetTimeout(sub, tv);
    int channels = -1; /* the words after the command's name */
    for (const char *p = cmd; *p; p++)
        if (*p != ' ' && (p == cmd || p[-1] == ' ')) channels++;
    redisReply *r = run_words(sub, cmd);
    for (int i = 0; i < channels && r; i++) {
        if (CHECK_REPLY_ARRAY(r, 3) &&
            (r->element[0]->type != REDIS_REPLY_STRING || !strstr(r->element[0]->str, "subscribe")))
            test_fail(__FILE__, __LINE__, "\"%s\": confirmation %d is %s", cmd, i,
                      reply_describe(r));
        freeReplyObject(r);
        r = NULL;
        if (i + 1 < channels) r = cmd_next_reply(sub);
    }
    if (r) freeReplyObject(r);
    return sub;
}

/* The subscriber's messages up to the sentinel (see the top of the file), into *out. pub
 * is the connection that ran the command (not subscribed, not inside MULTI). False after
 * a recorded failure. */
#define collect(sub, pub, out) collect_at(__FILE__, __LINE__, (sub), (pub), (out))
static bool collect_at(const char *file, int line, redisContext *sub, redisContext *pub,
                       events *out) {
    static unsigned seq;
    char token[32];
    out->n = 0;
    out->overflow = false;
    if (!sub || !pub) {
        test_fail(file, line, "collect: no connection");
        return false;
    }
    snprintf(token, sizeof token, "token-%u", ++seq);
    redisReply *r = cmd_at(file, line, pub, "PUBLISH sentinel %s", token);
    bool ok = r && r->type == REDIS_REPLY_INTEGER && r->integer >= 1;
    if (r && !ok) test_fail(file, line, "PUBLISH sentinel replied %s", reply_describe(r));
    if (r) freeReplyObject(r);
    if (!ok) return false;
    for (;;) {
        void *v = NULL;
        if (sub->err || redisGetReply(sub, &v) != REDIS_OK || !v) {
            test_fail(file, line, "the subscriber never got the sentinel %s (%s); it had: %s",
                      token, sub->err ? sub->errstr : "no reply", events_show(out));
            return false;
        }
        redisReply *m = v;
        const redisReply *ch = NULL, *msg = NULL;
        if (m->type == REDIS_REPLY_ARRAY && m->elements == 4 &&
            m->element[0]->type == REDIS_REPLY_STRING &&
            strcmp(m->element[0]->str, "pmessage") == 0)
            ch = m->element[2], msg = m->element[3];
        else if (m->type == REDIS_REPLY_ARRAY && m->elements == 3 &&
                 m->element[0]->type == REDIS_REPLY_STRING &&
                 strcmp(m->element[0]->str, "message") == 0)
            ch = m->element[1], msg = m->element[2];
        if (!ch || ch->type != REDIS_REPLY_STRING || msg->type != REDIS_REPLY_STRING) {
            test_fail(file, line, "the subscriber got %s", reply_describe(m));
            freeReplyObject(m);
            return false;
        }
        if (strcmp(ch->str, "sentinel") == 0) {
            bool mine = strcmp(msg->str, token) == 0; /* else another subscriber's token */
            freeReplyObject(m);
            if (mine) return true;
            continue;
        }
        char line_buf[EVENT_LEN];
        snprintf(line_buf, sizeof line_buf, "%s %s", ch->str, msg->str);
        events_add(out, line_buf);
        freeReplyObject(m);
    }
}

static bool events_equal(const events *got, const events *exp) {
    if (got->overflow || got->n != exp->n) return false;
    for (int i = 0; i < got->n; i++)
        if (strcmp(got->ev[i], exp->ev[i]) != 0) return false;
    return true;
}

/* Collect and compare with exp, a NULL-terminated list of "channel message" strings. */
#define EXPECT_EVENTS(sub, pub, what, ...)                                                         \
    expect_events_at(__FILE__, __LINE__, (sub), (pub), (what),                                     \
                     (const char *const[]){__VA_ARGS__, NULL})
#define EXPECT_NO_EVENTS(sub, pub, what)                                                           \
    expect_events_at(__FILE__, __LINE__, (sub), (pub), (what), (const char *const[]){NULL})
static void expect_events_at(const char *file, int line, redisContext *sub, redisContext *pub,
                             const char *what, const char *const *exp) {
    events got, want = {0};
    for (const char *const *e = exp; *e; e++) events_add(&want, *e);
    if (!collect_at(file, line, sub, pub, &got)) return;
    if (!events_equal(&got, &want)) {
        char w[MAX_EVENTS * (EVENT_LEN + 8)];
        snprintf(w, sizeof w, "%s", events_show(&want));
        test_fail(file, line, "%s:\n      got      %s\n      expected %s", what, events_show(&got),
                  w);
    }
}

/* The compact notation of the tables: "rpush d;lpop s;move_to@1 a" is a list of
 * "event[@db] key" (db 0 unless given), each expanding to the keyspace message then the
 * keyevent message, as Redis sends them with both K and E on:
 *   "__keyspace@0__:d rpush", "__keyevent@0__:rpush d", ... */
static void expand(const char *spec, events *out) {
    char buf[1024];
    out->n = 0;
    out->overflow = false;
    snprintf(buf, sizeof buf, "%s", spec);
    char *save = NULL;
    for (char *item = strtok_r(buf, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
        char *key = strchr(item, ' ');
        if (!key) {
            test_fail(__FILE__, __LINE__, "bad event spec \"%s\"", item);
            continue;
        }
        *key++ = '\0';
        int db = 0;
        char *at = strchr(item, '@');
        if (at) *at = '\0', db = atoi(at + 1);
        char line[EVENT_LEN];
        snprintf(line, sizeof line, "__keyspace@%d__:%s %s", db, key, item);
        events_add(out, line);
        snprintf(line, sizeof line, "__keyevent@%d__:%s %s", db, item, key);
        events_add(out, line);
    }
}

/* ---- tables --------------------------------------------------------------------------- */

/* One command and what it reports. Each row starts from an empty server (FLUSHALL, which
 * reports nothing), runs setup (';'-separated commands; their events are drained; the
 * connection is back in db 0 afterwards), then cmd, whose reply must read as reply
 * (reply_describe(): "(integer) 1", "+OK", "\"v\"", "(nil)", "[...]"; NULL: any reply but
 * an error) and whose events must be exactly events (the notation of expand(); "" none). */
typedef struct {
    const char *setup;
    const char *cmd;
    const char *reply;
    const char *events;
} row;

#define WRONGTYPE "-WRONGTYPE Operation against a key holding the wrong kind of value"

static void run_rows(const char *flags, const row *rows, size_t n) {
    redisContext *c = srv_connect(S);
    redisContext *sub = subscriber("PSUBSCRIBE __key*@*__:* sentinel");
    set_flags(c, flags);
    for (size_t i = 0; i < n && c && !c->err && sub && !sub->err; i++) {
        const row *w = &rows[i];
        events got, want;
        EXPECT_STATUS(c, "OK", "FLUSHALL");
        run_script(c, w->setup);
        EXPECT_STATUS(c, "OK", "SELECT 0");
        collect(sub, c, &got);
        redisReply *r = run_words(c, w->cmd);
        const char *d = reply_describe(r);
        if (w->reply ? strcmp(d, w->reply) != 0 : (!r || r->type == REDIS_REPLY_ERROR))
            test_fail(__FILE__, __LINE__, "[%s] %s: replied %s, expected %s", w->setup, w->cmd, d,
                      w->reply ? w->reply : "no error");
        if (r) freeReplyObject(r);
        if (!collect(sub, c, &got)) break;
        expand(w->events, &want);
        if (!events_equal(&got, &want)) {
            char ws[MAX_EVENTS * (EVENT_LEN + 8)];
            snprintf(ws, sizeof ws, "%s", events_show(&want));
            test_fail(__FILE__, __LINE__,
                      "flags %s, [%s] %s:\n      got      %s\n      expected %s", flags, w->setup,
                      w->cmd, events_show(&got), ws);
        }
    }
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    set_flags(c, "");
    redisFree(sub);
    redisFree(c);
}
#define RUN_ROWS(flags, rows) run_rows((flags), (rows), sizeof(rows) / sizeof(rows[0]))

static const row string_rows[] = {
    {"", "SET k v", "+OK", "set k"},
    {"SET k v", "SET k w", "+OK", "set k"},
    {"", "SET k v EX 100", "+OK", "set k;expire k"},
    {"", "SET k v PX 100000", "+OK", "set k;expire k"},
    {"", "SET k v EXAT 9999999999", "+OK", "set k;expire k"},
    {"SET k v EX 100", "SET k w KEEPTTL", "+OK", "set k"},
    {"SET k v EX 100", "SET k w", "+OK", "set k"}, /* the TTL goes, no "persist" */
    {"SET k v", "SET k w GET", "\"v\"", "set k"},
    {"SET k v", "SET k w XX", "+OK", "set k"},
    {"", "SET k v XX", "(nil)", ""},
    {"SET k v", "SET k w NX", "(nil)", ""},
    {"", "SETNX k v", "(integer) 1", "set k"},
    {"SET k v", "SETNX k w", "(integer) 0", ""},
    {"", "SETEX k 100 v", "+OK", "set k;expire k"},
    {"", "PSETEX k 100000 v", "+OK", "set k;expire k"},
    {"", "MSET a 1 b 2 a 3", "+OK", "set a;set b;set a"},
    {"", "MSETNX a 1 b 2", "(integer) 1", "set a;set b"},
    {"SET b x", "MSETNX a 1 b 2", "(integer) 0", ""},
    {"", "GETSET k v", "(nil)", "set k"},
    {"SET k v", "GETSET k w", "\"v\"", "set k"},
    {"", "INCR n", "(integer) 1", "incrby n"},
    {"", "DECR n", "(integer) -1", "incrby n"},
    {"", "INCRBY n 5", "(integer) 5", "incrby n"},
    {"", "DECRBY n 5", "(integer) -5", "incrby n"},
    {"SET n 1", "INCRBY n 0", "(integer) 1", "incrby n"},
    {"", "INCRBYFLOAT n 1.5", "\"1.5\"", "incrbyfloat n"},
    {"", "APPEND s abc", "(integer) 3", "append s"},
    {"SET s abc", "APPEND s \"\"", "(integer) 3", "append s"},
    {"", "SETRANGE s 2 xy", "(integer) 4", "setrange s"},
    {"SET s abc", "SETRANGE s 0 xy", "(integer) 3", "setrange s"},
    {"SET s abc", "SETRANGE s 1 \"\"", "(integer) 3", ""},
    {"", "SETRANGE s 0 \"\"", "(integer) 0", ""},
    {"SET s v", "GETDEL s", "\"v\"", "del s"},
    {"", "GETDEL s", "(nil)", ""},
    {"SET s v", "GETEX s EX 100", "\"v\"", "expire s"},
    {"SET s v", "GETEX s PXAT 9999999999000", "\"v\"", "expire s"},
    {"SET s v EX 100", "GETEX s PERSIST", "\"v\"", "persist s"},
    {"SET s v", "GETEX s PERSIST", "\"v\"", ""},
    {"SET s v", "GETEX s", "\"v\"", ""},
    {"SET s v", "GETEX s EXAT 1", "\"v\"", "del s"},
    {"", "GETEX s EX 100", "(nil)", ""},
};

static const row key_rows[] = {
    {"SET a 1;SET b 2", "DEL a nokey b", "(integer) 2", "del a;del b"},
    {"SET a 1;SET b 2", "UNLINK b a", "(integer) 2", "del b;del a"},
    {"RPUSH l x;HSET h f v", "DEL l h", "(integer) 2", "del l;del h"},
    {"", "DEL nokey", "(integer) 0", ""},
    {"SET a 1", "EXPIRE a 100", "(integer) 1", "expire a"},
    {"SET a 1", "PEXPIRE a 100000", "(integer) 1", "expire a"},
    {"SET a 1", "EXPIREAT a 9999999999", "(integer) 1", "expire a"},
    {"SET a 1", "PEXPIREAT a 9999999999000", "(integer) 1", "expire a"},
    {"SET a 1", "EXPIRE a 0", "(integer) 1", "del a"},
    {"SET a 1", "EXPIRE a -1", "(integer) 1", "del a"},
    {"SET a 1", "PEXPIRE a 0", "(integer) 1", "del a"},
    {"SET a 1", "EXPIREAT a 1", "(integer) 1", "del a"},
    {"SET a 1", "PEXPIREAT a 1", "(integer) 1", "del a"},
    {"", "EXPIRE nokey 100", "(integer) 0", ""},
    {"", "EXPIRE nokey 0", "(integer) 0", ""},
    {"SET a 1", "EXPIRE a 100 NX", "(integer) 1", "expire a"},
    {"SET a 1", "EXPIRE a 100 XX", "(integer) 0", ""},
    {"SET a 1 EX 100", "EXPIRE a 50 GT", "(integer) 0", ""},
    {"SET a 1 EX 100", "EXPIRE a 500 GT", "(integer) 1", "expire a"},
    {"SET a 1 EX 100", "EXPIRE a 50 LT", "(integer) 1", "expire a"},
    {"SET a 1 EX 100", "PERSIST a", "(integer) 1", "persist a"},
    {"SET a 1", "PERSIST a", "(integer) 0", ""},
    {"", "PERSIST a", "(integer) 0", ""},
    {"SET a 1", "RENAME a b", "+OK", "rename_from a;rename_to b"},
    {"SET a 1;RPUSH b x", "RENAME a b", "+OK", "rename_from a;rename_to b"}, /* no del b */
    {"SET a 1 EX 100", "RENAME a b", "+OK", "rename_from a;rename_to b"},
    {"SET a 1", "RENAME a a", "+OK", ""},
    {"SET a 1", "RENAMENX a b", "(integer) 1", "rename_from a;rename_to b"},
    {"SET a 1;SET b 2", "RENAMENX a b", "(integer) 0", ""},
    {"SET a 1", "COPY a b", "(integer) 1", "copy_to b"},
    {"SET a 1;SET b 2", "COPY a b", "(integer) 0", ""},
    {"SET a 1;SET b 2", "COPY a b REPLACE", "(integer) 1", "copy_to b"},
    {"RPUSH a x", "COPY a b DB 2", "(integer) 1", "copy_to@2 b"},
    {"SET a 1", "MOVE a 1", "(integer) 1", "move_from a;move_to@1 a"},
    {"SET a 1;SELECT 1;SET a 2", "MOVE a 1", "(integer) 0", ""},
    {"SET a 1", "TOUCH a nokey", "(integer) 1", ""},
    {"SET a 1;RPUSH l x", "FLUSHDB", "+OK", ""},
    {"SET a 1;SELECT 4;SET b 2", "FLUSHALL", "+OK", ""},
    {"SET a 1;SELECT 1;SET b 2", "SWAPDB 0 1", "+OK", ""},
};

static const row list_rows[] = {
    {"", "LPUSH l a b", "(integer) 2", "lpush l"},
    {"", "RPUSH l a b", "(integer) 2", "rpush l"},
    {"RPUSH l a", "LPUSHX l b c", "(integer) 3", "lpush l"},
    {"RPUSH l a", "RPUSHX l b", "(integer) 2", "rpush l"},
    {"", "LPUSHX l a", "(integer) 0", ""},
    {"", "RPUSHX l a", "(integer) 0", ""},
    {"RPUSH l a b", "LPOP l", "\"a\"", "lpop l"},
    {"RPUSH l a", "LPOP l", "\"a\"", "lpop l;del l"},
    {"RPUSH l a b", "RPOP l", "\"b\"", "rpop l"},
    {"RPUSH l a b", "RPOP l 2", "[\"b\", \"a\"]", "rpop l;del l"},
    {"RPUSH l a b c", "LPOP l 2", "[\"a\", \"b\"]", "lpop l"},
    {"RPUSH l a b", "LPOP l 0", "[]", ""},
    {"", "LPOP l", "(nil)", ""},
    {"RPUSH l a b", "LSET l 0 x", "+OK", "lset l"},
    {"RPUSH l a b", "LSET l 0 a", "+OK", "lset l"},
    {"RPUSH l a b a", "LREM l 0 a", "(integer) 2", "lrem l"},
    {"RPUSH l a a", "LREM l 0 a", "(integer) 2", "lrem l;del l"},
    {"RPUSH l a", "LREM l 0 z", "(integer) 0", ""},
    {"RPUSH l a b c", "LTRIM l 0 0", "+OK", "ltrim l"},
    {"RPUSH l a b c", "LTRIM l 0 -1", "+OK", "ltrim l"},
    {"RPUSH l a b c", "LTRIM l 5 10", "+OK", "ltrim l;del l"},
    {"", "LTRIM l 0 1", "+OK", ""},
    {"RPUSH l a b", "LINSERT l BEFORE b x", "(integer) 3", "linsert l"},
    {"RPUSH l a b", "LINSERT l AFTER z x", "(integer) -1", ""},
    {"RPUSH s a b", "LMOVE s d LEFT RIGHT", "\"a\"", "rpush d;lpop s"},
    {"RPUSH s a", "LMOVE s d RIGHT LEFT", "\"a\"", "lpush d;rpop s;del s"},
    {"RPUSH s a;RPUSH d x", "LMOVE s d LEFT LEFT", "\"a\"", "lpush d;lpop s;del s"},
    {"RPUSH s a b", "LMOVE s s LEFT RIGHT", "\"a\"", "rpush s;lpop s"},
    {"RPUSH s a", "LMOVE s s RIGHT LEFT", "\"a\"", "lpush s;rpop s"},
    {"", "LMOVE s d LEFT LEFT", "(nil)", ""},
    {"RPUSH s a;SET d x", "LMOVE s d LEFT LEFT", WRONGTYPE, ""},
    {"RPUSH s a b", "RPOPLPUSH s d", "\"b\"", "lpush d;rpop s"},
    {"RPUSH s a", "RPOPLPUSH s s", "\"a\"", "lpush s;rpop s"},
    {"RPUSH s a b", "BLMOVE s d LEFT LEFT 1", "\"a\"", "lpush d;lpop s"},
    {"RPUSH s a", "BRPOPLPUSH s d 1", "\"a\"", "lpush d;rpop s;del s"},
    {"RPUSH l a b", "LMPOP 2 x l LEFT", "[\"l\", [\"a\"]]", "lpop l"},
    {"RPUSH l a b", "LMPOP 1 l RIGHT COUNT 5", "[\"l\", [\"b\", \"a\"]]", "rpop l;del l"},
    {"RPUSH l a b", "BLPOP l 1", "[\"l\", \"a\"]", "lpop l"},
    {"RPUSH l a", "BRPOP x l 1", "[\"l\", \"a\"]", "rpop l;del l"},
    {"RPUSH l a", "BLMPOP 1 1 l LEFT", "[\"l\", [\"a\"]]", "lpop l;del l"},
};

static const row hash_rows[] = {
    {"", "HSET h a 1 b 2", "(integer) 2", "hset h"},
    {"HSET h a 1", "HSET h a 1", "(integer) 0", "hset h"},
    {"", "HMSET h a 1 b 2", "+OK", "hset h"},
    {"", "HSETNX h a 1", "(integer) 1", "hset h"},
    {"HSET h a 1", "HSETNX h a 2", "(integer) 0", ""},
    {"HSET h a 1 b 2", "HDEL h a z", "(integer) 1", "hdel h"},
    {"HSET h a 1", "HDEL h a", "(integer) 1", "hdel h;del h"},
    {"HSET h a 1", "HDEL h z", "(integer) 0", ""},
    {"", "HDEL h a", "(integer) 0", ""},
    {"", "HINCRBY h f 2", "(integer) 2", "hincrby h"},
    {"HSET h f 1", "HINCRBY h f 0", "(integer) 1", "hincrby h"},
    {"", "HINCRBYFLOAT h f 2.5", "\"2.5\"", "hincrbyfloat h"},
};

static const row set_rows[] = {
    {"", "SADD s a b", "(integer) 2", "sadd s"},
    {"SADD s a", "SADD s a", "(integer) 0", ""},
    {"SADD s a b", "SREM s a z", "(integer) 1", "srem s"},
    {"SADD s a", "SREM s a", "(integer) 1", "srem s;del s"},
    {"SADD s a", "SREM s z", "(integer) 0", ""},
    {"", "SREM s a", "(integer) 0", ""},
    {"SADD s a b", "SPOP s", NULL, "spop s"},
    {"SADD s a", "SPOP s", "\"a\"", "spop s;del s"},
    {"SADD s a b c", "SPOP s 2", NULL, "spop s"},
    {"SADD s a b c d e f g h", "SPOP s 7", NULL, "spop s"},
    {"SADD s 1 2 3 4 5 6 7 8 9", "SPOP s 2", NULL, "spop s"},
    {"SADD s a b", "SPOP s 5", NULL, "spop s;del s"},
    {"SADD s a b", "SPOP s 0", "[]", ""},
    {"", "SPOP s", "(nil)", ""},
    {"SADD s a b;SADD d c", "SMOVE s d a", "(integer) 1", "srem s;sadd d"},
    {"SADD s a", "SMOVE s d a", "(integer) 1", "srem s;del s;sadd d"},
    {"SADD s a;SADD d a", "SMOVE s d a", "(integer) 1", "srem s;del s"},
    {"SADD s a", "SMOVE s d z", "(integer) 0", ""},
    {"SADD s a", "SMOVE s s a", "(integer) 1", ""},
    {"SADD a 1 2;SADD b 2 3", "SINTERSTORE d a b", "(integer) 1", "sinterstore d"},
    {"SADD a 1;SADD b 2", "SINTERSTORE d a b", "(integer) 0", ""},
    {"SADD a 1;SADD b 2;SET d x", "SINTERSTORE d a b", "(integer) 0", "del d"},
    {"SADD a 1;SADD d 5", "SINTERSTORE d a nokey", "(integer) 0", "del d"},
    {"SADD a 1;SADD b 2", "SUNIONSTORE d a b", "(integer) 2", "sunionstore d"},
    {"SET d x", "SUNIONSTORE d nokey", "(integer) 0", "del d"},
    {"", "SUNIONSTORE d nokey", "(integer) 0", ""},
    {"SADD a 1 2;SADD b 2", "SDIFFSTORE d a b", "(integer) 1", "sdiffstore d"},
    {"SADD a 1;SADD b 1;SADD d 5", "SDIFFSTORE d a b", "(integer) 0", "del d"},
};

static const row zset_rows[] = {
    {"", "ZADD z 1 a 2 b", "(integer) 2", "zadd z"},
    {"ZADD z 1 a", "ZADD z 1 a", "(integer) 0", ""},
    {"ZADD z 1 a", "ZADD z 2 a", "(integer) 0", "zadd z"},
    {"ZADD z 1 a", "ZADD z CH 2 a", "(integer) 1", "zadd z"},
    {"", "ZADD z XX 1 a", "(integer) 0", ""},
    {"ZADD z 1 a", "ZADD z GT 0 a", "(integer) 0", ""},
    {"ZADD z 1 a", "ZADD z INCR 2 a", "\"3\"", "zincr z"},
    {"", "ZADD z INCR 2 a", "\"2\"", "zincr z"},
    {"ZADD z 1 a", "ZADD z NX INCR 2 a", "(nil)", ""},
    {"", "ZINCRBY z 2 a", "\"2\"", "zincr z"},
    {"ZADD z 1 a", "ZINCRBY z 0 a", "\"1\"", ""},
    {"ZADD z 1 a 2 b", "ZREM z a", "(integer) 1", "zrem z"},
    {"ZADD z 1 a", "ZREM z a b", "(integer) 1", "zrem z;del z"},
    {"ZADD z 1 a", "ZREM z b", "(integer) 0", ""},
    {"ZADD z 1 a 2 b 3 c", "ZREMRANGEBYSCORE z 1 2", "(integer) 2", "zremrangebyscore z"},
    {"ZADD z 1 a", "ZREMRANGEBYSCORE z 5 6", "(integer) 0", ""},
    {"ZADD z 1 a 2 b", "ZREMRANGEBYRANK z 0 -1", "(integer) 2", "zremrangebyrank z;del z"},
    {"ZADD z 0 a 0 b 0 c", "ZREMRANGEBYLEX z [a [b", "(integer) 2", "zremrangebylex z"},
    {"ZADD z 1 a 2 b", "ZPOPMIN z", "[\"a\", \"1\"]", "zpopmin z"},
    {"ZADD z 1 a 2 b", "ZPOPMAX z 5", "[\"b\", \"2\", \"a\", \"1\"]", "zpopmax z;del z"},
    {"ZADD z 1 a", "ZPOPMIN z 0", "[]", ""},
    {"", "ZPOPMIN z", "[]", ""},
    {"ZADD z 1 a 2 b", "ZMPOP 1 z MIN", "[\"z\", [[\"a\", \"1\"]]]", "zpopmin z"},
    {"ZADD z 1 a", "ZMPOP 2 x z MAX COUNT 3", "[\"z\", [[\"a\", \"1\"]]]", "zpopmax z;del z"},
    {"ZADD z 1 a 2 b", "BZPOPMIN z 1", "[\"z\", \"a\", \"1\"]", "zpopmin z"},
    {"ZADD z 1 a", "BZPOPMAX z 1", "[\"z\", \"a\", \"1\"]", "zpopmax z;del z"},
    {"ZADD z 1 a", "BZMPOP 1 1 z MIN", "[\"z\", [[\"a\", \"1\"]]]", "zpopmin z;del z"},
    {"ZADD a 1 x;ZADD b 2 y", "ZUNIONSTORE d 2 a b", "(integer) 2", "zunionstore d"},
    {"ZADD d 1 q", "ZUNIONSTORE d 1 nokey", "(integer) 0", "del d"},
    {"ZADD a 1 x;ZADD b 1 x", "ZINTERSTORE d 2 a b", "(integer) 1", "zinterstore d"},
    {"ZADD a 1 x;ZADD b 2 y", "ZINTERSTORE d 2 a b", "(integer) 0", ""},
    {"ZADD a 1 x;ZADD b 2 y;SET d v", "ZINTERSTORE d 2 a b", "(integer) 0", "del d"},
    {"ZADD a 1 x;ZADD b 2 y", "ZDIFFSTORE d 2 a b", "(integer) 1", "zdiffstore d"},
    {"ZADD a 1 x;ZADD b 1 x;ZADD d 1 q", "ZDIFFSTORE d 2 a b", "(integer) 0", "del d"},
    {"ZADD a 1 x 2 y", "ZRANGESTORE d a 0 -1", "(integer) 2", "zrangestore d"},
    {"ZADD a 1 x;ZADD d 1 q", "ZRANGESTORE d a 5 6", "(integer) 0", "del d"},
    {"ZADD a 1 x", "ZRANGESTORE d a 5 6", "(integer) 0", ""},
};

/* Bit operations, HyperLogLog, SORT ... STORE. */
static const row misc_rows[] = {
    {"", "SETBIT b 7 1", "(integer) 0", "setbit b"},
    {"SETBIT b 7 1", "SETBIT b 7 1", "(integer) 1", ""},
    {"SETBIT b 7 1", "SETBIT b 7 0", "(integer) 1", "setbit b"},
    {"", "SETBIT b 7 0", "(integer) 0", "setbit b"},
    {"", "BITFIELD b SET u8 0 255", "[(integer) 0]", "setbit b"},
    {"", "BITFIELD b SET u8 0 0", "[(integer) 0]", "setbit b"},
    {"SET b x", "BITFIELD b SET u8 0 120", "[(integer) 120]", ""},
    {"", "BITFIELD b INCRBY u8 0 1 SET u8 8 1", "[(integer) 1, (integer) 0]", "setbit b"},
    {"", "BITFIELD b GET u8 0", "[(integer) 0]", ""},
    {"SET b x", "BITFIELD_RO b GET u8 0", "[(integer) 120]", ""},
    {"SET x ab;SET y cd", "BITOP AND d x y", "(integer) 2", "set d"},
    {"SET x ab", "BITOP NOT d x", "(integer) 2", "set d"},
    {"SET x ab;SET d 1", "BITOP XOR d x nokey", "(integer) 2", "set d"},
    {"", "BITOP OR d x y", "(integer) 0", ""},
    {"SET d 1", "BITOP OR d x y", "(integer) 0", "del d"},
    {"", "PFADD h a b", "(integer) 1", "pfadd h"},
    {"PFADD h a", "PFADD h a", "(integer) 0", ""},
    {"", "PFADD h", "(integer) 1", "pfadd h"},
    {"PFADD h a", "PFADD h", "(integer) 0", ""},
    {"PFADD h a", "PFCOUNT h", "(integer) 1", ""},
    {"PFADD h a;PFADD g b", "PFCOUNT h g", "(integer) 2", ""},
    {"PFADD h a;PFADD g b", "PFMERGE d h g", "+OK", "pfadd d"},
    {"PFADD h a", "PFMERGE h", "+OK", "pfadd h"},
    {"", "PFMERGE d nokey", "+OK", "pfadd d"},
    {"RPUSH l 3 1 2", "SORT l STORE d", "(integer) 3", "sortstore d"},
    {"SADD s 2 1", "SORT s DESC STORE s", "(integer) 2", "sortstore s"},
    {"RPUSH l 3 1 2;RPUSH d 9", "SORT l LIMIT 5 5 STORE d", "(integer) 0", "del d"},
    {"SET d x", "SORT nokey STORE d", "(integer) 0", "del d"},
    {"", "SORT nokey STORE d", "(integer) 0", ""},
    {"RPUSH l 3 1 2", "SORT l", "[\"1\", \"2\", \"3\"]", ""},
    {"RPUSH l 3 1 2", "SORT_RO l ALPHA", "[\"1\", \"2\", \"3\"]", ""},
};

/* Commands refused, before or while running: no events. */
static const row error_rows[] = {
    {"SET s x", "LPUSH s a", WRONGTYPE, ""},
    {"RPUSH l a", "SADD l x", WRONGTYPE, ""},
    {"RPUSH l a", "APPEND l x", WRONGTYPE, ""},
    {"SET s x", "INCR s", "-ERR value is not an integer or out of range", ""},
    {"SET s v", "GETEX s PX 0", "-ERR invalid expire time in 'getex' command", ""},
    {"", "SET k v EX 0", "-ERR invalid expire time in 'set' command", ""},
    {"RPUSH l a", "LSET l 5 x", "-ERR index out of range", ""},
    {"", "LSET l 0 x", "-ERR no such key", ""},
    {"SET a 1", "RENAME nokey b", "-ERR no such key", ""},
    {"HSET h f x", "HINCRBY h f 1", "-ERR hash value is not an integer", ""},
    {"SET k v", "MSET a 1 b", "-ERR wrong number of arguments for 'mset' command", ""},
};

/* The table under "KEAn": 'n' adds "new" first whenever a key is added to a db. */
static const row new_rows[] = {
    {"", "SET k v", "+OK", "new k;set k"},
    {"SET k v", "SET k w", "+OK", "set k"},
    {"", "SET k v EX 100", "+OK", "new k;set k;expire k"},
    {"", "MSET a 1 b 2", "+OK", "new a;set a;new b;set b"},
    {"", "LPUSH l a", "(integer) 1", "new l;lpush l"},
    {"RPUSH l a", "RPUSH l b", "(integer) 2", "rpush l"},
    {"", "HSET h f v", "(integer) 1", "new h;hset h"},
    {"", "SADD s a", "(integer) 1", "new s;sadd s"},
    {"", "ZADD z 1 a", "(integer) 1", "new z;zadd z"},
    {"", "ZADD z INCR 1 a", "\"1\"", "new z;zincr z"},
    {"", "INCR n", "(integer) 1", "new n;incrby n"},
    {"", "INCRBYFLOAT n 1", "\"1\"", "new n;incrbyfloat n"},
    {"", "APPEND a x", "(integer) 1", "new a;append a"},
    {"", "SETRANGE a 1 x", "(integer) 2", "new a;setrange a"},
    {"", "SETBIT b 1 1", "(integer) 0", "new b;setbit b"},
    {"", "PFADD h a", "(integer) 1", "new h;pfadd h"},
    {"", "PFMERGE d", "+OK", "new d;pfadd d"},
    {"SET a 1", "RENAME a b", "+OK", "new b;rename_from a;rename_to b"},
    {"SET a 1;SET b 2", "RENAME a b", "+OK", "new b;rename_from a;rename_to b"},
    {"SET a 1", "COPY a b", "(integer) 1", "new b;copy_to b"},
    {"SET a 1", "MOVE a 1", "(integer) 1", "new@1 a;move_from a;move_to@1 a"},
    {"RPUSH s a", "LMOVE s d LEFT RIGHT", "\"a\"", "new d;rpush d;lpop s;del s"},
    {"SADD a 1", "SUNIONSTORE d a", "(integer) 1", "new d;sunionstore d"},
    {"RPUSH l 1", "SORT l STORE d", "(integer) 1", "new d;sortstore d"},
    {"SET x ab", "BITOP NOT d x", "(integer) 2", "new d;set d"},
    {"", "SET k v XX", "(nil)", ""},
    {"", "LPUSHX l a", "(integer) 0", ""},
    {"", "GET k", "(nil)", ""},
};

/* The table under "KEm": "keymiss" for a read lookup that finds nothing; write lookups
 * (DEL, LPOP, SET, INCR) report none. With only K, E and m on, nothing else shows. */
static const row keymiss_rows[] = {
    {"", "GET k", "(nil)", "keymiss k"},
    {"SET a 1", "MGET a b c", "[\"1\", (nil), (nil)]", "keymiss b;keymiss c"},
    {"", "HGET h f", "(nil)", "keymiss h"},
    {"", "LRANGE l 0 -1", "[]", "keymiss l"},
    {"", "SMEMBERS s", "[]", "keymiss s"},
    {"", "ZSCORE z a", "(nil)", "keymiss z"},
    {"", "STRLEN k", "(integer) 0", "keymiss k"},
    {"", "EXISTS k", "(integer) 0", "keymiss k"},
    {"", "TYPE k", "+none", "keymiss k"},
    {"", "TTL k", "(integer) -2", "keymiss k"},
    {"", "GETEX k", "(nil)", "keymiss k"},
    {"", "GETDEL k", "(nil)", "keymiss k"},
    {"", "PFCOUNT h", "(integer) 0", "keymiss h"},
    {"", "SET k v NX GET", "(nil)", "keymiss k"},
    {"SET k v", "GET k", "\"v\"", ""},
    {"RPUSH l a", "GET l", WRONGTYPE, ""},
    {"", "OBJECT ENCODING k", "(nil)", ""},
    {"", "DEL k", "(integer) 0", ""},
    {"", "LPOP l", "(nil)", ""},
    {"", "SET k v", "+OK", ""},
    {"", "INCR n", "(integer) 1", ""},
};

static void t_strings(void) { RUN_ROWS("KEA", string_rows); }
static void t_keys(void) { RUN_ROWS("KEA", key_rows); }
static void t_lists(void) { RUN_ROWS("KEA", list_rows); }
static void t_hashes(void) { RUN_ROWS("KEA", hash_rows); }
static void t_sets(void) { RUN_ROWS("KEA", set_rows); }
static void t_zsets(void) { RUN_ROWS("KEA", zset_rows); }
static void t_misc(void) { RUN_ROWS("KEA", misc_rows); }
static void t_errors(void) { RUN_ROWS("KEA", error_rows); }
static void t_keymiss(void) { RUN_ROWS("KEm", keymiss_rows); }

/* Read-only commands report nothing, whatever they read. */
static void t_reads(void) {
    static const char reads[] =
        "GET s;MGET s l nokey;STRLEN s;GETRANGE s 0 -1;SUBSTR s 0 1;LCS s s2;EXISTS s l nokey;"
        "TYPE l;TTL s;PTTL s;EXPIRETIME s;PEXPIRETIME s;KEYS *;SCAN 0;RANDOMKEY;DBSIZE;"
        "OBJECT ENCODING s;TOUCH s l;LLEN l;LRANGE l 0 -1;LINDEX l 0;LPOS l a;HGET h f;"
        "HMGET h f g;HGETALL h;HKEYS h;HVALS h;HEXISTS h f;HLEN h;HSTRLEN h f;HRANDFIELD h;"
        "HSCAN h 0;SMEMBERS t;SISMEMBER t a;SMISMEMBER t a z;SCARD t;SRANDMEMBER t;SINTER t t2;"
        "SINTERCARD 2 t t2;SUNION t t2;SDIFF t t2;SSCAN t 0;ZSCORE z a;ZMSCORE z a b;ZCARD z;"
        "ZCOUNT z 0 5;ZLEXCOUNT z - +;ZRANGE z 0 -1;ZRANGEBYSCORE z 0 5;ZREVRANGEBYSCORE z 5 0;"
        "ZRANGEBYLEX z - +;ZREVRANGEBYLEX z + -;ZREVRANGE z 0 -1;ZRANK z a;ZREVRANK z a;"
        "ZRANDMEMBER z;ZSCAN z 0;ZUNION 2 z z2;ZINTER 2 z z2;ZINTERCARD 2 z z2;ZDIFF 2 z z2;"
        "GETBIT bits 3;BITCOUNT bits;BITPOS bits 1;BITFIELD_RO bits GET u4 0;SORT l ALPHA;"
        "SORT_RO l ALPHA;PFCOUNT hll";
    redisContext *c = srv_connect(S);
    redisContext *sub = subscriber("PSUBSCRIBE __key*@*__:* sentinel");
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    run_script(c, "SET s value EX 100;SET s2 valve;RPUSH l a b;HSET h f v g w;SADD t a b;"
                  "SADD t2 b c;ZADD z 1 a 2 b;ZADD z2 2 b;SETBIT bits 3 1;PFADD hll a b");
    set_flags(c, "KEA");
    char buf[sizeof reads];
    memcpy(buf, reads, sizeof reads);
    char *save = NULL;
    for (char *cmd = strtok_r(buf, ";", &save); cmd; cmd = strtok_r(NULL, ";", &save)) {
        redisReply *r = run_words(c, cmd);
        if (!r || r->type == REDIS_REPLY_ERROR)
            test_fail(__FILE__, __LINE__, "%s replied %s", cmd, reply_describe(r));
        if (r) freeReplyObject(r);
        EXPECT_NO_EVENTS(sub, c, cmd);
    }
    set_flags(c, "");
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    redisFree(sub);
    redisFree(c);
}

/* ---- flags ---------------------------------------------------------------------------- */

/* One script under several flag strings: each class shows only when its letter and K or
 * E (for that channel kind) are on. */
static void t_flag_filtering(void) {
    static const char script[] =
        "SET k v EX 100;LPUSH l a;RPOP l;SADD s a;HSET h f v;ZADD z 1 a;DEL k s h z;GET nokey";
    static const struct {
        const char *flags;
        const char *spec; /* both channel kinds, expand() notation; or NULL */
        const char *full; /* else exactly these messages, separated by '|' ("" none) */
    } cases[] = {
        {"KEA", "set k;expire k;lpush l;rpop l;del l;sadd s;hset h;zadd z;del k;del s;del h;del z",
         NULL},
        {"E$", NULL, "__keyevent@0__:set k"},
        {"K$", NULL, "__keyspace@0__:k set"},
        {"Kl", NULL, "__keyspace@0__:l lpush|__keyspace@0__:l rpop"},
        {"Eg", NULL,
         "__keyevent@0__:expire k|__keyevent@0__:del l|__keyevent@0__:del k|"
         "__keyevent@0__:del s|__keyevent@0__:del h|__keyevent@0__:del z"},
        {"Ks", NULL, "__keyspace@0__:s sadd"},
        {"Eh", NULL, "__keyevent@0__:hset h"},
        {"KEz", "zadd z", NULL},
        {"Em", NULL, "__keyevent@0__:keymiss nokey"},
        {"Ex", NULL, ""},
        {"AK", NULL,
         "__keyspace@0__:k set|__keyspace@0__:k expire|__keyspace@0__:l lpush|"
         "__keyspace@0__:l rpop|__keyspace@0__:l del|__keyspace@0__:s sadd|"
         "__keyspace@0__:h hset|__keyspace@0__:z zadd|__keyspace@0__:k del|"
         "__keyspace@0__:s del|__keyspace@0__:h del|__keyspace@0__:z del"},
        {"AE", NULL,
         "__keyevent@0__:set k|__keyevent@0__:expire k|__keyevent@0__:lpush l|"
         "__keyevent@0__:rpop l|__keyevent@0__:del l|__keyevent@0__:sadd s|"
         "__keyevent@0__:hset h|__keyevent@0__:zadd z|__keyevent@0__:del k|"
         "__keyevent@0__:del s|__keyevent@0__:del h|__keyevent@0__:del z"},
        {"", NULL, ""},
        {"A", NULL, ""},
        {"Am", NULL, ""},
        {"K", NULL, ""},
        {"E", NULL, ""},
        {"KE", NULL, ""},
    };
    redisContext *c = srv_connect(S);
    redisContext *sub = subscriber("PSUBSCRIBE __key*@*__:* sentinel");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        EXPECT_STATUS(c, "OK", "FLUSHALL");
        set_flags(c, cases[i].flags);
        run_script(c, script);
        events got, want = {0};
        if (cases[i].spec)
            expand(cases[i].spec, &want);
        else {
            char buf[1024];
            snprintf(buf, sizeof buf, "%s", cases[i].full);
            char *save = NULL;
            for (char *e = strtok_r(buf, "|", &save); e; e = strtok_r(NULL, "|", &save))
                events_add(&want, e);
        }
        if (!collect(sub, c, &got)) break;
        if (!events_equal(&got, &want)) {
            char ws[MAX_EVENTS * (EVENT_LEN + 8)];
            snprintf(ws, sizeof ws, "%s", events_show(&want));
            test_fail(__FILE__, __LINE__, "flags \"%s\":\n      got      %s\n      expected %s",
                      cases[i].flags, events_show(&got), ws);
        }
    }
    set_flags(c, "");
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    redisFree(sub);
    redisFree(c);
}

#define BAD_FLAGS                                                                                  \
    "ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid "     \
    "event class character. Use 'Ag$lshzxeKEtmdn'."

static void expect_flags_read(redisContext *c, const char *exp) {
    EXPECT_ARRAY_STRS(c, ((const char *[]){"notify-keyspace-events", exp}), 2,
                      "CONFIG GET notify-keyspace-events");
}

/* CONFIG SET accepts the letters in any order and repeated; CONFIG GET answers Redis's
 * canonical string: A when all of A's classes are on, else the class letters in the
 * order g$lshzxetdn, then K, E, m ('n' is only shown without A). */
static void t_config(void) {
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"KEA", "AKE"},
        {"gxE", "gxE"},
        {"AKEmn", "AKEm"},
        {"$lshzxegtdKE", "AKE"},
        {"g$lshzxetd", "A"},
        {"g$lshzxet", "g$lshzxet"},
        {"", ""},
        {"A", "A"},
        {"K", "K"},
        {"E", "E"},
        {"Kl", "lK"},
        {"E$", "$E"},
        {"Eg", "gE"},
        {"elK", "leK"},
        {"KEnm", "nKEm"},
        {"En", "nE"},
        {"Em", "Em"},
        {"mEK", "KEm"},
        {"AA", "A"},
        {"xxKE", "xKE"},
        {"KEd", "dKE"},
        {"Ad", "A"},
        {"KEAt", "AKE"},
        {"tK", "tK"},
        {"ndtK", "tdnK"},
    };
    redisContext *c = srv_connect(S);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        set_flags(c, cases[i].in);
        expect_flags_read(c, cases[i].out);
    }
    /* An unknown letter (the letters are case-sensitive) is refused and changes nothing. */
    set_flags(c, "Kl");
    EXPECT_ERR(c, BAD_FLAGS, "CONFIG SET notify-keyspace-events KEQ");
    EXPECT_ERR(c, BAD_FLAGS, "CONFIG SET notify-keyspace-events kea");
    EXPECT_ERR(c, BAD_FLAGS, "CONFIG SET notify-keyspace-events %s", "K E");
    EXPECT_ERR(c, BAD_FLAGS, "CONFIG SET notify-keyspace-events %s", "A*");
    expect_flags_read(c, "lK");
    set_flags(c, "");
    expect_flags_read(c, "");
    redisFree(c);
}

/* The flags given at start-up; an unknown letter there stops the server. */
static void t_config_at_startup(void) {
    srv *s = srv_start((const char *[]){"--notify-keyspace-events", "Elg", NULL});
    if (!s) return;
    redisContext *c = srv_connect(s);
    EXPECT_ARRAY_STRS(c, ((const char *[]){"notify-keyspace-events", "glE"}), 2,
                      "CONFIG GET notify-keyspace-events");
    redisFree(c);
    CHECK(srv_stop(s));

    srv_opts o = {.args = (const char *[]){"--notify-keyspace-events", "KEQ", NULL}};
    char *out = NULL;
    int status = srv_run_to_exit(&o, 5000, &out);
    if (status == -1)
        test_fail(__FILE__, __LINE__, "started with flags \"KEQ\"");
    else if (!WIFEXITED(status) || WEXITSTATUS(status) == 0)
        test_fail(__FILE__, __LINE__, "expected a non-zero exit, got status 0x%x", status);
    if (!out || !strstr(out, "notify-keyspace-events"))
        test_fail(__FILE__, __LINE__, "the message does not name the option:\n%s", out ? out : "");
    free(out);
}

/* ---- "new", "expired", dbs, transactions, blocked clients ------------------------------ */

static void t_new(void) {
    RUN_ROWS("KEAn", new_rows);
    redisContext *c = srv_connect(S);
    redisContext *sub = subscriber("PSUBSCRIBE __key*@*__:* sentinel");
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    /* 'n' alone: only "new", once per key added. */
    set_flags(c, "En");
    run_script(c, "SET k v;SET k w;LPUSH k2 a;LPUSH k2 b");
    EXPECT_EVENTS(sub, c, "SET k twice, LPUSH k2 twice", "__keyevent@0__:new k",
                  "__keyevent@0__:new k2");
    run_script(c, "DEL k;SET k x");
    EXPECT_EVENTS(sub, c, "SET k again after DEL", "__keyevent@0__:new k");
    /* 'n' is not part of A. */
    set_flags(c, "KEA");
    run_script(c, "SET k3 v");
    EXPECT_EVENTS(sub, c, "SET k3 under KEA", "__keyspace@0__:k3 set", "__keyevent@0__:set k3");
    /* With A on, CONFIG GET hides 'n', though it is on... */
    set_flags(c, "AKEmn");
    expect_flags_read(c, "AKEm");
    run_script(c, "SET k4 v");
    EXPECT_EVENTS(sub, c, "SET k4 under AKEmn", "__keyspace@0__:k4 new", "__keyevent@0__:new k4",
                  "__keyspace@0__:k4 set", "__keyevent@0__:set k4");
    /* ...so setting what it shows turns 'n' off. */
    set_flags(c, "AKEm");
    run_script(c, "SET k5 v");
    EXPECT_EVENTS(sub, c, "SET k5 under AKEm", "__keyspace@0__:k5 set", "__keyevent@0__:set k5");
    set_flags(c, "");
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    redisFree(sub);
    redisFree(c);
}

/* Active expiry reports "expired" (class x) with nobody touching the keys, in their dbs. */
static void t_expired_active(void) {
    redisContext *c = srv_connect(S);
    redisContext *sub = subscriber("PSUBSCRIBE __key*@*__:* sentinel");
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    set_flags(c, "Ex");
    run_script(c, "SET k v;PEXPIRE k 50;SELECT 5;SET k5 v PX 50;SELECT 0;SET stay v");
    events all = {0}, got;
    long long deadline = now_ms() + 3000;
    while (now_ms() < deadline && (all.n < 2 || all.overflow)) {
        if (!collect(sub, c, &got)) break;
        for (int i = 0; i < got.n; i++) events_add(&all, got.ev[i]);
        if (all.n < 2) sleep_ms(5);
    }
    if (all.n != 2 || !events_have(&all, "__keyevent@0__:expired k") ||
        !events_have(&all, "__keyevent@5__:expired k5"))
        test_fail(__FILE__, __LINE__, "after 3 s: %s, expected expired k (db 0) and k5 (db 5)",
                  events_show(&all));
    EXPECT_INT(c, 1, "DBSIZE");
    /* The keyspace form. */
    set_flags(c, "Kx");
    run_script(c, "SET j v PX 20");
    all.n = 0;
    deadline = now_ms() + 3000;
    while (now_ms() < deadline && all.n < 1) {
        if (!collect(sub, c, &got)) break;
        for (int i = 0; i < got.n; i++) events_add(&all, got.ev[i]);
        if (all.n < 1) sleep_ms(5);
    }
    if (all.n != 1 || strcmp(all.ev[0], "__keyspace@0__:j expired") != 0)
        test_fail(__FILE__, __LINE__, "after 3 s: %s, expected \"__keyspace@0__:j expired\"",
                  events_show(&all));
    set_flags(c, "");
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    redisFree(sub);
    redisFree(c);
}

/* Wait until at least ms milliseconds have passed since t0 (the passing of time is the
 * condition here; the poll is a few milliseconds). */
static void wait_past(long long t0, int ms) {
    while (now_ms() < t0 + ms) sleep_ms(2);
}

/* Lazy expiry (active expiry off): "expired" when a command finds the key expired,
 * before that command's own events. */
static void t_expired_lazy(void) {
    redisContext *c = srv_connect(S);
    redisContext *sub = subscriber("PSUBSCRIBE __key*@*__:* sentinel");
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    EXPECT_STATUS(c, "OK", "DEBUG SET-ACTIVE-EXPIRE 0");
    set_flags(c, "E$xmn");
    long long t0 = now_ms();
    run_script(c, "SET e v PX 30;SET f v PX 30;SELECT 2;SET g v PX 30;SELECT 0");
    EXPECT_EVENTS(sub, c, "SET with PX", "__keyevent@0__:new e", "__keyevent@0__:set e",
                  "__keyevent@0__:new f", "__keyevent@0__:set f", "__keyevent@2__:new g",
                  "__keyevent@2__:set g");
    wait_past(t0, 60);
    EXPECT_NO_EVENTS(sub, c, "expired keys nobody touched");
    EXPECT_NIL(c, "GET e");
    EXPECT_EVENTS(sub, c, "GET of an expired key", "__keyevent@0__:expired e",
                  "__keyevent@0__:keymiss e");
    EXPECT_STATUS(c, "OK", "SET f w");
    EXPECT_EVENTS(sub, c, "SET over an expired key", "__keyevent@0__:expired f",
                  "__keyevent@0__:new f", "__keyevent@0__:set f");
    EXPECT_STATUS(c, "OK", "SELECT 2");
    EXPECT_INT(c, 0, "EXISTS g");
    EXPECT_EVENTS(sub, c, "EXISTS of an expired key in db 2", "__keyevent@2__:expired g",
                  "__keyevent@2__:keymiss g");
    EXPECT_STATUS(c, "OK", "SELECT 0");
    EXPECT_STATUS(c, "OK", "DEBUG SET-ACTIVE-EXPIRE 1");
    set_flags(c, "");
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    redisFree(sub);
    redisFree(c);
}

/* The channels name the db of the key. */
static void t_other_dbs(void) {
    redisContext *c = srv_connect(S);
    redisContext *sub = subscriber("PSUBSCRIBE __key*@*__:* sentinel");
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    set_flags(c, "KEA");
    EXPECT_STATUS(c, "OK", "SELECT 3");
    EXPECT_STATUS(c, "OK", "SET k v");
    EXPECT_EVENTS(sub, c, "SET k in db 3", "__keyspace@3__:k set", "__keyevent@3__:set k");
    EXPECT_INT(c, 1, "RPUSH l a");
    EXPECT_EVENTS(sub, c, "RPUSH l in db 3", "__keyspace@3__:l rpush", "__keyevent@3__:rpush l");
    /* SWAPDB reports nothing; the keys then report in their new db. */
    EXPECT_STATUS(c, "OK", "SWAPDB 3 15");
    EXPECT_NO_EVENTS(sub, c, "SWAPDB 3 15");
    EXPECT_STATUS(c, "OK", "SELECT 15");
    EXPECT_INT(c, 2, "DEL k l");
    EXPECT_EVENTS(sub, c, "DEL k l in db 15", "__keyspace@15__:k del", "__keyevent@15__:del k",
                  "__keyspace@15__:l del", "__keyevent@15__:del l");
    /* A subscriber to one db's channels hears only that db. */
    redisContext *sub3 = subscriber("PSUBSCRIBE __keyevent@3__:* sentinel");
    EXPECT_STATUS(c, "OK", "SET x 1");
    EXPECT_STATUS(c, "OK", "SELECT 3");
    EXPECT_STATUS(c, "OK", "SET y 1");
    EXPECT_EVENTS(sub3, c, "SET x in db 15, SET y in db 3", "__keyevent@3__:set y");
    EXPECT_EVENTS(sub, c, "SET x in db 15, SET y in db 3", "__keyspace@15__:x set",
                  "__keyevent@15__:set x", "__keyspace@3__:y set", "__keyevent@3__:set y");
    EXPECT_STATUS(c, "OK", "SELECT 0");
    set_flags(c, "");
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    redisFree(sub3);
    redisFree(sub);
    redisFree(c);
}

/* A transaction's events come at EXEC, in order; a command that fails inside it reports
 * nothing, the others still do. */
static void t_multi_exec(void) {
    redisContext *c = srv_connect(S), *other = srv_connect(S);
    redisContext *sub = subscriber("PSUBSCRIBE __key*@*__:* sentinel");
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    set_flags(c, "KEA");
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "SET a 1");
    EXPECT_STATUS(c, "QUEUED", "LPUSH l x");
    EXPECT_STATUS(c, "QUEUED", "LPUSH a x"); /* WRONGTYPE at EXEC */
    EXPECT_STATUS(c, "QUEUED", "EXPIRE a 100");
    EXPECT_STATUS(c, "QUEUED", "DEL a");
    EXPECT_NO_EVENTS(sub, other, "commands queued");
    redisReply *r = CMD(c, "EXEC");
    if (CHECK_REPLY_ARRAY(r, 5)) {
        CHECK_REPLY_STATUS(r->element[0], "OK");
        CHECK_REPLY_INT(r->element[1], 1);
        CHECK_REPLY_ERR_PREFIX(r->element[2], "WRONGTYPE");
        CHECK_REPLY_INT(r->element[3], 1);
        CHECK_REPLY_INT(r->element[4], 1);
    }
    if (r) freeReplyObject(r);
    events got, want;
    expand("set a;lpush l;expire a;del a", &want);
    if (collect(sub, other, &got) && !events_equal(&got, &want))
        test_fail(__FILE__, __LINE__, "EXEC: got %s", events_show(&got));
    /* A discarded transaction reports nothing. */
    EXPECT_STATUS(c, "OK", "MULTI");
    EXPECT_STATUS(c, "QUEUED", "SET b 1");
    EXPECT_STATUS(c, "OK", "DISCARD");
    EXPECT_NO_EVENTS(sub, c, "MULTI SET DISCARD");
    set_flags(c, "");
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    redisFree(sub);
    redisFree(other);
    redisFree(c);
}

/* A push that serves a blocked client: the push's events, then those of the pop it
 * caused (LMOVE's order: push on the destination, then pop on the source). */
static void t_blocked_served(void) {
    static const struct {
        const char *block, *push, *events;
    } cases[] = {
        {"BLPOP l 5", "RPUSH l a", "rpush l;lpop l;del l"},
        {"BRPOP l 5", "RPUSH l a b", "rpush l;rpop l"},
        {"BLMOVE s d LEFT RIGHT 5", "RPUSH s x", "rpush s;rpush d;lpop s;del s"},
        {"BRPOPLPUSH s d 5", "LPUSH s x y", "lpush s;lpush d;rpop s"},
        {"BLMPOP 5 1 l RIGHT COUNT 2", "RPUSH l a b c", "rpush l;rpop l"},
        {"BZPOPMIN z 5", "ZADD z 1 a", "zadd z;zpopmin z;del z"},
        {"BZMPOP 5 1 z MAX COUNT 5", "ZADD z 1 a 2 b", "zadd z;zpopmax z;del z"},
    };
    redisContext *c = srv_connect(S);
    redisContext *sub = subscriber("PSUBSCRIBE __key*@*__:* sentinel");
    set_flags(c, "KEA");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        EXPECT_STATUS(c, "OK", "FLUSHALL");
        redisContext *w = srv_connect(S);
        cmd_send_only(w, cases[i].block);
        if (!WAIT_FOR(info_blocked_clients(c) == 1, 2000)) {
            redisFree(w);
            break;
        }
        redisReply *r = run_words(c, cases[i].push);
        if (!r || r->type != REDIS_REPLY_INTEGER)
            test_fail(__FILE__, __LINE__, "%s replied %s", cases[i].push, reply_describe(r));
        if (r) freeReplyObject(r);
        r = cmd_next_reply(w);
        if (!r || r->type == REDIS_REPLY_NIL || r->type == REDIS_REPLY_ERROR)
            test_fail(__FILE__, __LINE__, "%s got %s", cases[i].block, reply_describe(r));
        if (r) freeReplyObject(r);
        redisFree(w);
        events got, want;
        expand(cases[i].events, &want);
        if (collect(sub, c, &got) && !events_equal(&got, &want)) {
            char ws[MAX_EVENTS * (EVENT_LEN + 8)];
            snprintf(ws, sizeof ws, "%s", events_show(&want));
            test_fail(__FILE__, __LINE__, "%s served by %s:\n      got      %s\n      expected %s",
                      cases[i].block, cases[i].push, events_show(&got), ws);
        }
    }
    set_flags(c, "");
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    redisFree(sub);
    redisFree(c);
}

/* What Spring Session does: "Egx", then listen for deleted and expired session keys, by
 * channel and by Spring's patterns ("__keyevent@*:del", where * also matches "0__"). */
static void t_spring_session(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    set_flags(c, "Egx");
    expect_flags_read(c, "gxE");
    redisContext *byname =
        subscriber("SUBSCRIBE __keyevent@0__:expired __keyevent@0__:del sentinel");
    redisContext *bypattern =
        subscriber("PSUBSCRIBE __keyevent@*:del __keyevent@*:expired sentinel");
    run_script(c,
               "SET spring:session:expires:1 \"\" PX 100;SET spring:session:expires:2 \"\" EX 1800;"
               "HSET spring:session:sessions:2 creationTime 1;DEL spring:session:expires:2");
    redisContext *subs[2] = {byname, bypattern};
    for (int s = 0; s < 2; s++) {
        events all = {0}, got;
        long long deadline = now_ms() + 3000;
        while (now_ms() < deadline &&
               !events_have(&all, "__keyevent@0__:expired spring:session:expires:1")) {
            if (!collect(subs[s], c, &got)) break;
            for (int i = 0; i < got.n; i++) events_add(&all, got.ev[i]);
            sleep_ms(5);
        }
        if (all.n != 2 || strcmp(all.ev[0], "__keyevent@0__:del spring:session:expires:2") != 0 ||
            strcmp(all.ev[1], "__keyevent@0__:expired spring:session:expires:1") != 0)
            test_fail(__FILE__, __LINE__, "%s subscriber: %s", s ? "pattern" : "channel",
                      events_show(&all));
    }
    set_flags(c, "");
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    redisFree(bypattern);
    redisFree(byname);
    redisFree(c);
}

static void t_start(void) {
    S = srv_start((const char *[]){"--enable-debug-command", "yes", "--save", "", NULL});
    if (!S) return;
    redisContext *c = srv_connect(S);
    expect_flags_read(c, ""); /* off by default */
    redisFree(c);
}

static void t_stop(void) {
    CHECK(srv_stop(S));
    S = NULL;
}

int main(void) {
    test_run("start server", t_start);
    if (!S) return test_summary("notify");
    test_run("string commands", t_strings);
    test_run("generic key commands", t_keys);
    test_run("list commands", t_lists);
    test_run("hash commands", t_hashes);
    test_run("set commands", t_sets);
    test_run("sorted set commands", t_zsets);
    test_run("bitops, HyperLogLog, SORT STORE", t_misc);
    test_run("refused commands report nothing", t_errors);
    test_run("read-only commands report nothing", t_reads);
    test_run("flags filter the classes", t_flag_filtering);
    test_run("CONFIG SET/GET notify-keyspace-events", t_config);
    test_run("flags at start-up", t_config_at_startup);
    test_run("new key events (n)", t_new);
    test_run("keymiss events (m)", t_keymiss);
    test_run("expired: active expiry", t_expired_active);
    test_run("expired: lazy expiry", t_expired_lazy);
    test_run("events in other dbs", t_other_dbs);
    test_run("MULTI/EXEC", t_multi_exec);
    test_run("blocked clients served by a push", t_blocked_served);
    test_run("Spring Session-like listener", t_spring_session);
    test_run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("notify");
}
