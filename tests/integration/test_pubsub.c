/* tests/integration/test_pubsub.c: publish/subscribe. SUBSCRIBE PSUBSCRIBE SSUBSCRIBE and
 * their UNSUBSCRIBEs with the running counts, PUBLISH SPUBLISH and their receiver counts,
 * glob patterns, delivery order, the RESP2 subscribed context and RESP3 push replies (as
 * raw bytes), RESET, PUBSUB's subcommands, subscribers that go away (close, CLIENT KILL,
 * output buffer limits), INFO and CLIENT LIST fields, and keyspace channels. Every
 * expectation was checked against Redis 7.0.15.
 *
 * Tests share one server and use their own channel names. Subscribers closed at the end of
 * a test are removed by the server asynchronously, so a test that counts channels or
 * patterns server-wide first waits for them to be gone (settle()). The output buffer
 * limit tests start servers of their own. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/harness.h"

static srv *S;

#define CONTEXT_ERR(cmd)                                                                           \
    "ERR Can't execute '" cmd "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "   \
    "are allowed in this context"

/* ---- helpers ------------------------------------------------------------------------ */

/* raw_expect() of a string literal that may hold NUL bytes. */
#define RAW_EXPECT_LIT(fd, lit) raw_expect((fd), (lit), sizeof(lit) - 1)

/* Send a command (hiredis format with arguments) without waiting for its replies: a
 * SUBSCRIBE of n channels gets n, read with EXPECT_SUB(). */
static void send_fmt(redisContext *c, const char *fmt, ...) {
    if (!c) return;
    va_list ap;
    va_start(ap, fmt);
    redisvAppendCommand(c, fmt, ap);
    va_end(ap);
    int done = 0;
    while (!done && redisBufferWrite(c, &done) == REDIS_OK) {
    }
}

/* The next reply is [kind, ch, count]; ch NULL means a nil channel. */
#define EXPECT_SUB(c, kind, ch, count) expect_sub_at(__FILE__, __LINE__, (c), (kind), (ch), (count))
static void expect_sub_at(const char *file, int line, redisContext *c, const char *kind,
                          const char *ch, long long count) {
    redisReply *r = cmd_next_reply(c);
    if (reply_array_at(file, line, r, 3)) {
        reply_bulk_at(file, line, r->element[0], kind, strlen(kind));
        if (ch)
            reply_bulk_at(file, line, r->element[1], ch, strlen(ch));
        else
            reply_nil_at(file, line, r->element[1]);
        reply_int_at(file, line, r->element[2], count);
    }
    if (r) freeReplyObject(r);
}

/* The next reply is ["message", ch, payload] (or "smessage"). */
#define EXPECT_MSG(c, ch, payload)                                                                 \
    expect_msg_at(__FILE__, __LINE__, (c), "message", (ch), (payload), strlen(payload))
#define EXPECT_MSG_LEN(c, ch, payload, len)                                                        \
    expect_msg_at(__FILE__, __LINE__, (c), "message", (ch), (payload), (len))
#define EXPECT_SMSG(c, ch, payload)                                                                \
    expect_msg_at(__FILE__, __LINE__, (c), "smessage", (ch), (payload), strlen(payload))
static void expect_msg_at(const char *file, int line, redisContext *c, const char *kind,
                          const char *ch, const char *payload, size_t len) {
    redisReply *r = cmd_next_reply(c);
    if (reply_array_at(file, line, r, 3)) {
        reply_bulk_at(file, line, r->element[0], kind, strlen(kind));
        reply_bulk_at(file, line, r->element[1], ch, strlen(ch));
        reply_bulk_at(file, line, r->element[2], payload, len);
    }
    if (r) freeReplyObject(r);
}

/* The next reply is ["pmessage", pattern, ch, payload]. */
#define EXPECT_PMSG(c, pat, ch, payload)                                                           \
    expect_pmsg_at(__FILE__, __LINE__, (c), (pat), (ch), (payload))
static void expect_pmsg_at(const char *file, int line, redisContext *c, const char *pat,
                           const char *ch, const char *payload) {
    redisReply *r = cmd_next_reply(c);
    if (reply_array_at(file, line, r, 4)) {
        reply_bulk_at(file, line, r->element[0], "pmessage", 8);
        reply_bulk_at(file, line, r->element[1], pat, strlen(pat));
        reply_bulk_at(file, line, r->element[2], ch, strlen(ch));
        reply_bulk_at(file, line, r->element[3], payload, strlen(payload));
    }
    if (r) freeReplyObject(r);
}

/* Nothing is waiting for a RESP2 subscriber: a PING sent now is answered next. Whatever
 * was published before (PUBLISH already replied) would come before the pong. */
#define EXPECT_QUIET(c) expect_quiet_at(__FILE__, __LINE__, (c))
static void expect_quiet_at(const char *file, int line, redisContext *c) {
    send_fmt(c, "PING");
    redisReply *r = cmd_next_reply(c);
    static const char *const pong[] = {"pong", ""};
    reply_strs_at(file, line, r, pong, 2, false);
    if (r) freeReplyObject(r);
}

/* Integer results of PUBSUB queries; they record nothing (for WAIT_FOR); -1 on errors. */
static long long numsub_of(redisContext *c, const char *sub, const char *ch) {
    redisReply *r = c ? redisCommand(c, "PUBSUB %s %s", sub, ch) : NULL;
    long long n = -1;
    if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
        r->element[1]->type == REDIS_REPLY_INTEGER)
        n = r->element[1]->integer;
    if (r) freeReplyObject(r);
    return n;
}
static long long numsub(redisContext *c, const char *ch) { return numsub_of(c, "NUMSUB", ch); }
static long long shardnumsub(redisContext *c, const char *ch) {
    return numsub_of(c, "SHARDNUMSUB", ch);
}

static long long numpat(redisContext *c) {
    redisReply *r = c ? redisCommand(c, "PUBSUB NUMPAT") : NULL;
    long long n = r && r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
    if (r) freeReplyObject(r);
    return n;
}

/* Number of elements of an array reply to cmd (PUBSUB CHANNELS ...), -1 otherwise. */
static long long array_len(redisContext *c, const char *cmd) {
    redisReply *r = c ? redisCommand(c, cmd) : NULL;
    long long n = r && r->type == REDIS_REPLY_ARRAY ? (long long)r->elements : -1;
    if (r) freeReplyObject(r);
    return n;
}

/* No channel, pattern or shard channel left on the server: subscribers closed by earlier
 * tests are gone. */
static void settle(redisContext *c) {
    WAIT_FOR(numpat(c) == 0 && array_len(c, "PUBSUB CHANNELS") == 0 &&
                 array_len(c, "PUBSUB SHARDCHANNELS") == 0,
             5000);
}

/* A bulk string equal to s (records nothing). */
static bool is_bulk(const redisReply *r, const char *s) {
    return r && r->type == REDIS_REPLY_STRING && r->len == strlen(s) &&
           memcmp(r->str, s, r->len) == 0;
}

static long long client_id(redisContext *c) { return CMD_INT(c, "CLIENT ID"); }

/* Read an integer reply from a raw socket; -1 (recorded) otherwise. */
static long long raw_int(int fd, const char *cmd) {
    raw_send_str(fd, cmd);
    size_t len;
    char *f = raw_read_frame(fd, &len);
    long long v = f[0] == ':' ? strtoll(f + 1, NULL, 10) : -1;
    if (f[0] != ':') test_fail(__FILE__, __LINE__, "expected an integer reply to %s", cmd);
    free(f);
    return v;
}

/* A raw connection switched to RESP3 (the HELLO map is read and dropped). */
static int raw_connect3(srv *s) {
    int fd = raw_connect(s);
    raw_send_str(fd, "HELLO 3\r\n");
    size_t len;
    char *f = raw_read_frame(fd, &len);
    CHECK(f[0] == '%');
    free(f);
    return fd;
}

/* The CLIENT LIST line for this id (malloc'd), or NULL. */
static char *client_line(redisContext *c, long long id) {
    redisReply *r = c ? redisCommand(c, "CLIENT LIST ID %lld", id) : NULL;
    char *line = NULL;
    if (r && r->type == REDIS_REPLY_STRING && r->len > 0) {
        line = strdup(r->str);
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
    }
    if (r) freeReplyObject(r);
    return line;
}

static bool has_field(const char *line, const char *field) {
    size_t fl = strlen(field);
    for (const char *p = line; p && *p; p = strchr(p, ' '), p = p ? p + 1 : p)
        if (strncmp(p, field, fl) == 0 && (p[fl] == ' ' || p[fl] == '\0')) return true;
    return false;
}

#define CHECK_FIELD(line, field)                                                                   \
    do {                                                                                           \
        if (!(line) || !has_field((line), (field)))                                                \
            test_fail(__FILE__, __LINE__, "no \"%s\" in \"%s\"", (field),                          \
                      (line) ? (line) : "(null)");                                                 \
    } while (0)

/* CLIENT LIST omem= of this client, -1 if absent. */
static long long client_omem(redisContext *c, long long id) {
    char *line = client_line(c, id);
    const char *p = line ? strstr(line, " omem=") : NULL;
    long long v = p ? strtoll(p + 6, NULL, 10) : -1;
    free(line);
    return v;
}

static bool log_has(const srv *s, const char *text) {
    char *log = srv_log_text(s);
    bool found = strstr(log, text) != NULL;
    free(log);
    return found;
}

/* Read and drop everything until the peer closes; true if it did within timeout_ms. */
static bool drain_until_closed(int fd, int timeout_ms) {
    static char buf[1 << 16];
    long long deadline = now_ms() + timeout_ms;
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0) return false;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int pr = poll(&p, 1, (int)left);
        if (pr < 0 && errno == EINTR) continue;
        if (pr <= 0) return false;
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n == 0) return true;
        if (n < 0) return errno == ECONNRESET;
    }
}

/* ---- tests -------------------------------------------------------------------------- */

static void t_start(void) { S = srv_start(NULL); }

static void t_subscribe(void) {
    redisContext *sub = srv_connect(S), *pub = srv_connect(S);
    EXPECT_INT(pub, 0, "PUBLISH s.one hello"); /* nobody listens yet */
    send_fmt(sub, "SUBSCRIBE s.one");
    EXPECT_SUB(sub, "subscribe", "s.one", 1);
    EXPECT_INT(pub, 1, "PUBLISH s.one hello");
    EXPECT_MSG(sub, "s.one", "hello");
    /* Several at once: one confirmation each, with the running count; a channel already
     * subscribed is confirmed again without counting twice. */
    send_fmt(sub, "SUBSCRIBE s.two s.three s.one s.two");
    EXPECT_SUB(sub, "subscribe", "s.two", 2);
    EXPECT_SUB(sub, "subscribe", "s.three", 3);
    EXPECT_SUB(sub, "subscribe", "s.one", 3);
    EXPECT_SUB(sub, "subscribe", "s.two", 3);
    EXPECT_INT(pub, 1, "PUBLISH s.three x");
    EXPECT_INT(pub, 1, "PUBLISH s.two y");
    EXPECT_INT(pub, 0, "PUBLISH s.four z");
    EXPECT_MSG(sub, "s.three", "x");
    EXPECT_MSG(sub, "s.two", "y");
    EXPECT_QUIET(sub); /* one message per PUBLISH, nothing for s.four */
    /* A second subscriber: PUBLISH counts both. */
    redisContext *sub2 = srv_connect(S);
    send_fmt(sub2, "SUBSCRIBE s.one");
    EXPECT_SUB(sub2, "subscribe", "s.one", 1);
    EXPECT_INT(pub, 2, "PUBLISH s.one both");
    EXPECT_MSG(sub, "s.one", "both");
    EXPECT_MSG(sub2, "s.one", "both");
    /* Channel names are case-sensitive and binary-safe. */
    EXPECT_INT(pub, 0, "PUBLISH S.ONE x");
    send_fmt(sub2, "SUBSCRIBE %b", "b\0in ch", (size_t)7);
    redisReply *r = cmd_next_reply(sub2);
    if (CHECK_REPLY_ARRAY(r, 3)) {
        CHECK_REPLY_BULK(r->element[0], "subscribe");
        CHECK_REPLY_BULK_LEN(r->element[1], "b\0in ch", 7);
        CHECK_REPLY_INT(r->element[2], 2);
    }
    if (r) freeReplyObject(r);
    EXPECT_INT(pub, 1, "PUBLISH %b p", "b\0in ch", (size_t)7);
    r = cmd_next_reply(sub2);
    if (CHECK_REPLY_ARRAY(r, 3)) CHECK_REPLY_BULK_LEN(r->element[1], "b\0in ch", 7);
    if (r) freeReplyObject(r);
    /* The exact RESP2 bytes of a confirmation and a message. */
    int fd = raw_connect(S);
    raw_send_str(fd, "SUBSCRIBE s.raw\r\n");
    raw_expect_str(fd, "*3\r\n$9\r\nsubscribe\r\n$5\r\ns.raw\r\n:1\r\n");
    EXPECT_INT(pub, 1, "PUBLISH s.raw hi");
    raw_expect_str(fd, "*3\r\n$7\r\nmessage\r\n$5\r\ns.raw\r\n$2\r\nhi\r\n");
    close(fd);
    EXPECT_ERR(pub, "ERR wrong number of arguments for 'subscribe' command", "SUBSCRIBE");
    EXPECT_ERR(pub, "ERR wrong number of arguments for 'publish' command", "PUBLISH s.one");
    EXPECT_ERR(pub, "ERR wrong number of arguments for 'publish' command", "PUBLISH a b c");
    redisFree(sub), redisFree(sub2), redisFree(pub);
}

static void t_payloads(void) {
    redisContext *sub = srv_connect(S), *pub = srv_connect(S);
    send_fmt(sub, "SUBSCRIBE pl");
    EXPECT_SUB(sub, "subscribe", "pl", 1);
    EXPECT_INT(pub, 1, "PUBLISH pl %b", "a\0b\r\nc\n\r", (size_t)8);
    EXPECT_MSG_LEN(sub, "pl", "a\0b\r\nc\n\r", 8);
    EXPECT_INT(pub, 1, "PUBLISH pl %b", "\r\n", (size_t)2);
    EXPECT_MSG_LEN(sub, "pl", "\r\n", 2);
    EXPECT_INT(pub, 1, "PUBLISH pl %s", "");
    EXPECT_MSG(sub, "pl", "");
    /* 1 MB with every byte value in it. */
    size_t big_len = 1 << 20;
    char *big = malloc(big_len);
    for (size_t i = 0; i < big_len; i++) big[i] = (char)((i * 31 + 7) & 0xff);
    EXPECT_INT(pub, 1, "PUBLISH pl %b", big, big_len);
    EXPECT_MSG_LEN(sub, "pl", big, big_len);
    EXPECT_INT(pub, 1, "PUBLISH pl after");
    EXPECT_MSG(sub, "pl", "after");
    free(big);
    redisFree(sub), redisFree(pub);
}

static void t_unsubscribe(void) {
    redisContext *c = srv_connect(S), *pub = srv_connect(S);
    /* With no subscriptions at all: one reply with a nil channel, and the client is
     * not put in the subscribed context. */
    send_fmt(c, "UNSUBSCRIBE");
    EXPECT_SUB(c, "unsubscribe", NULL, 0);
    send_fmt(c, "PUNSUBSCRIBE");
    EXPECT_SUB(c, "punsubscribe", NULL, 0);
    send_fmt(c, "UNSUBSCRIBE u.none");
    EXPECT_SUB(c, "unsubscribe", "u.none", 0);
    EXPECT_NIL(c, "GET u.nokey");
    int fd = raw_connect(S);
    raw_send_str(fd, "UNSUBSCRIBE\r\n");
    raw_expect_str(fd, "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
    close(fd);
    /* The count is channels plus patterns. */
    send_fmt(c, "SUBSCRIBE u.a u.b u.c u.d");
    EXPECT_SUB(c, "subscribe", "u.a", 1);
    EXPECT_SUB(c, "subscribe", "u.b", 2);
    EXPECT_SUB(c, "subscribe", "u.c", 3);
    EXPECT_SUB(c, "subscribe", "u.d", 4);
    send_fmt(c, "PSUBSCRIBE u.p*");
    EXPECT_SUB(c, "psubscribe", "u.p*", 5);
    /* Named ones, including one never subscribed (the count stays). */
    send_fmt(c, "UNSUBSCRIBE u.b u.nope");
    EXPECT_SUB(c, "unsubscribe", "u.b", 4);
    EXPECT_SUB(c, "unsubscribe", "u.nope", 4);
    EXPECT_INT(pub, 0, "PUBLISH u.b gone");
    EXPECT_INT(pub, 1, "PUBLISH u.a here");
    EXPECT_MSG(c, "u.a", "here");
    /* UNSUBSCRIBE with no arguments: one reply per channel (in no set order), the count
     * going down to the patterns left. */
    send_fmt(c, "UNSUBSCRIBE");
    const char *seen[3] = {NULL, NULL, NULL};
    redisReply *rs[3];
    for (int i = 0; i < 3; i++) {
        rs[i] = cmd_next_reply(c);
        if (CHECK_REPLY_ARRAY(rs[i], 3)) {
            CHECK_REPLY_BULK(rs[i]->element[0], "unsubscribe");
            CHECK_REPLY_INT(rs[i]->element[2], 3 - i);
            if (rs[i]->element[1]->type == REDIS_REPLY_STRING) seen[i] = rs[i]->element[1]->str;
        }
    }
    int found = 0;
    static const char *const want[] = {"u.a", "u.c", "u.d"};
    for (int w = 0; w < 3; w++)
        for (int i = 0; i < 3; i++)
            if (seen[i] && strcmp(seen[i], want[w]) == 0) {
                found++;
                break;
            }
    CHECK_EQ_INT(found, 3);
    for (int i = 0; i < 3; i++)
        if (rs[i]) freeReplyObject(rs[i]);
    /* Still subscribed to the pattern: still in the subscribed context. */
    EXPECT_ERR(c, CONTEXT_ERR("get"), "GET u.nokey");
    EXPECT_INT(pub, 0, "PUBLISH u.a x");
    EXPECT_INT(pub, 1, "PUBLISH u.p1 x");
    EXPECT_PMSG(c, "u.p*", "u.p1", "x");
    send_fmt(c, "UNSUBSCRIBE"); /* no channels left: the nil reply, count still 1 */
    EXPECT_SUB(c, "unsubscribe", NULL, 1);
    send_fmt(c, "PUNSUBSCRIBE");
    EXPECT_SUB(c, "punsubscribe", "u.p*", 0);
    EXPECT_NIL(c, "GET u.nokey");
    redisFree(c), redisFree(pub);
}

static void t_psubscribe_globs(void) {
    redisContext *sub = srv_connect(S), *pub = srv_connect(S);
    /* \* and \? are literal; [^a] negates; [!a] does not (Redis globs know only ^): it is
     * the set of '!' and 'a'. */
    static const char *const pats[] = {"g.news.*",  "g.h?llo", "g.[a-c]x", "g.esc\\*",
                                       "g.esc\\?q", "g.[^a]y", "g.[!a]z"};
    send_fmt(sub, "PSUBSCRIBE g.news.* g.h?llo g.[a-c]x g.esc\\* g.esc\\?q g.[^a]y g.[!a]z");
    for (int i = 0; i < 7; i++) EXPECT_SUB(sub, "psubscribe", pats[i], i + 1);
    static const struct {
        const char *ch;
        int pat; /* index in pats, or -1: no match */
    } cases[] = {
        {"g.news.sport", 0}, {"g.news.", 0},   {"g.news", -1}, {"g.hello", 1}, {"g.hallo", 1},
        {"g.hllo", -1},      {"g.heello", -1}, {"g.ax", 2},    {"g.bx", 2},    {"g.cx", 2},
        {"g.dx", -1},        {"g.esc*", 3},    {"g.escX", -1}, {"g.esc?q", 4}, {"g.escxq", -1},
        {"g.by", 5},         {"g.ay", -1},     {"g.^y", 5},    {"g.az", 6},    {"g.!z", 6},
        {"g.bz", -1},
    };
    size_t n = sizeof cases / sizeof *cases;
    for (size_t i = 0; i < n; i++) {
        long long got = CMD_INT(pub, "PUBLISH %s m%d", cases[i].ch, (int)i);
        if (got != (cases[i].pat >= 0 ? 1 : 0))
            test_fail(__FILE__, __LINE__, "PUBLISH %s gave %lld", cases[i].ch, got);
    }
    for (size_t i = 0; i < n; i++) {
        if (cases[i].pat < 0) continue;
        char payload[16];
        snprintf(payload, sizeof payload, "m%zu", i);
        EXPECT_PMSG(sub, pats[cases[i].pat], cases[i].ch, payload);
    }
    EXPECT_QUIET(sub);
    /* Raw bytes of a pmessage. */
    int fd = raw_connect(S);
    raw_send_str(fd, "PSUBSCRIBE g.r*\r\n");
    raw_expect_str(fd, "*3\r\n$10\r\npsubscribe\r\n$4\r\ng.r*\r\n:1\r\n");
    EXPECT_INT(pub, 1, "PUBLISH g.raw hi");
    raw_expect_str(fd, "*4\r\n$8\r\npmessage\r\n$4\r\ng.r*\r\n$5\r\ng.raw\r\n$2\r\nhi\r\n");
    close(fd);
    /* A pattern subscribed twice counts once; the confirmation comes anyway. */
    send_fmt(sub, "PSUBSCRIBE g.news.*");
    EXPECT_SUB(sub, "psubscribe", "g.news.*", 7);
    EXPECT_INT(pub, 1, "PUBLISH g.news.x once");
    EXPECT_PMSG(sub, "g.news.*", "g.news.x", "once");
    EXPECT_ERR(pub, "ERR wrong number of arguments for 'psubscribe' command", "PSUBSCRIBE");
    redisFree(sub), redisFree(pub);
}

static void t_channel_and_pattern(void) {
    redisContext *sub = srv_connect(S), *pub = srv_connect(S);
    send_fmt(sub, "SUBSCRIBE cp.news");
    EXPECT_SUB(sub, "subscribe", "cp.news", 1);
    send_fmt(sub, "PSUBSCRIBE cp.*");
    EXPECT_SUB(sub, "psubscribe", "cp.*", 2);
    /* Both match: two receivers, the channel's message first, then the pattern's. */
    EXPECT_INT(pub, 2, "PUBLISH cp.news both");
    EXPECT_MSG(sub, "cp.news", "both");
    EXPECT_PMSG(sub, "cp.*", "cp.news", "both");
    EXPECT_INT(pub, 1, "PUBLISH cp.other one");
    EXPECT_PMSG(sub, "cp.*", "cp.other", "one");
    /* Two patterns matching the same channel: one pmessage each. */
    send_fmt(sub, "PSUBSCRIBE *.news");
    EXPECT_SUB(sub, "psubscribe", "*.news", 3);
    EXPECT_INT(pub, 3, "PUBLISH cp.news three");
    EXPECT_MSG(sub, "cp.news", "three");
    redisReply *r1 = cmd_next_reply(sub), *r2 = cmd_next_reply(sub);
    if (CHECK_REPLY_ARRAY(r1, 4) && CHECK_REPLY_ARRAY(r2, 4)) {
        CHECK_REPLY_BULK(r1->element[0], "pmessage");
        CHECK_REPLY_BULK(r2->element[0], "pmessage");
        CHECK_REPLY_BULK(r1->element[3], "three");
        CHECK_REPLY_BULK(r2->element[3], "three");
        const char *p1 = r1->element[1]->str ? r1->element[1]->str : "";
        const char *p2 = r2->element[1]->str ? r2->element[1]->str : "";
        CHECK((!strcmp(p1, "cp.*") && !strcmp(p2, "*.news")) ||
              (!strcmp(p1, "*.news") && !strcmp(p2, "cp.*")));
    }
    if (r1) freeReplyObject(r1);
    if (r2) freeReplyObject(r2);
    /* PUNSUBSCRIBE one pattern, then the channel only. */
    send_fmt(sub, "PUNSUBSCRIBE *.news cp.none");
    EXPECT_SUB(sub, "punsubscribe", "*.news", 2);
    EXPECT_SUB(sub, "punsubscribe", "cp.none", 2);
    send_fmt(sub, "PUNSUBSCRIBE");
    EXPECT_SUB(sub, "punsubscribe", "cp.*", 1);
    EXPECT_INT(pub, 1, "PUBLISH cp.news alone");
    EXPECT_MSG(sub, "cp.news", "alone");
    EXPECT_INT(pub, 0, "PUBLISH cp.other none");
    send_fmt(sub, "PUNSUBSCRIBE"); /* no patterns: nil, the channel still counted */
    EXPECT_SUB(sub, "punsubscribe", NULL, 1);
    /* PUNSUBSCRIBE removes the exact pattern string only, not channels it would match. */
    send_fmt(sub, "PUNSUBSCRIBE cp.news");
    EXPECT_SUB(sub, "punsubscribe", "cp.news", 1);
    EXPECT_INT(pub, 1, "PUBLISH cp.news still");
    EXPECT_MSG(sub, "cp.news", "still");
    /* And UNSUBSCRIBE does not touch patterns. */
    send_fmt(sub, "PSUBSCRIBE cp.*");
    EXPECT_SUB(sub, "psubscribe", "cp.*", 2);
    send_fmt(sub, "UNSUBSCRIBE cp.*");
    EXPECT_SUB(sub, "unsubscribe", "cp.*", 2);
    EXPECT_INT(pub, 2, "PUBLISH cp.news last");
    EXPECT_MSG(sub, "cp.news", "last");
    EXPECT_PMSG(sub, "cp.*", "cp.news", "last");
    redisFree(sub), redisFree(pub);
}

static void t_order(void) {
    redisContext *sub = srv_connect(S), *pub = srv_connect(S);
    send_fmt(sub, "SUBSCRIBE ord.a ord.b");
    EXPECT_SUB(sub, "subscribe", "ord.a", 1);
    EXPECT_SUB(sub, "subscribe", "ord.b", 2);
    send_fmt(sub, "PSUBSCRIBE ord.p*");
    EXPECT_SUB(sub, "psubscribe", "ord.p*", 3);
    static const char *const chans[] = {"ord.a", "ord.p1", "ord.b", "ord.p2", "ord.a", "ord.b"};
    for (int i = 0; i < 60; i++) EXPECT_INT(pub, 1, "PUBLISH %s m%d", chans[i % 6], i);
    for (int i = 0; i < 60; i++) {
        char payload[16];
        snprintf(payload, sizeof payload, "m%d", i);
        const char *ch = chans[i % 6];
        if (strncmp(ch, "ord.p", 5) == 0)
            EXPECT_PMSG(sub, "ord.p*", ch, payload);
        else
            EXPECT_MSG(sub, ch, payload);
    }
    EXPECT_QUIET(sub);
    redisFree(sub), redisFree(pub);
}

static void t_burst(void) {
    redisContext *sub = srv_connect(S), *pub = srv_connect(S);
    send_fmt(sub, "SUBSCRIBE burst.a burst.b");
    EXPECT_SUB(sub, "subscribe", "burst.a", 1);
    EXPECT_SUB(sub, "subscribe", "burst.b", 2);
    send_fmt(sub, "PSUBSCRIBE burst.p*");
    EXPECT_SUB(sub, "psubscribe", "burst.p*", 3);
    enum { N = 1000 };
    static const char *const chans[] = {"burst.a", "burst.b", "burst.p", "burst.a"};
    for (int i = 0; i < N; i++) redisAppendCommand(pub, "PUBLISH %s msg-%d", chans[i % 4], i);
    int ones = 0;
    for (int i = 0; i < N; i++) {
        redisReply *r = cmd_next_reply(pub);
        if (r && r->type == REDIS_REPLY_INTEGER && r->integer == 1) ones++;
        if (r) freeReplyObject(r);
        if (!r) break;
    }
    CHECK_EQ_INT(ones, N);
    int in_order = 0;
    for (int i = 0; i < N; i++) {
        redisReply *r = cmd_next_reply(sub);
        if (!r) break;
        char payload[16];
        snprintf(payload, sizeof payload, "msg-%d", i);
        const char *ch = chans[i % 4];
        bool pat = strcmp(ch, "burst.p") == 0;
        size_t n = pat ? 4 : 3;
        if (r->type == REDIS_REPLY_ARRAY && r->elements == n &&
            is_bulk(r->element[0], pat ? "pmessage" : "message") &&
            is_bulk(r->element[n - 2], ch) && is_bulk(r->element[n - 1], payload))
            in_order++;
        else if (in_order == i)
            test_fail(__FILE__, __LINE__, "message %d: got %s", i, reply_describe(r));
        freeReplyObject(r);
    }
    CHECK_EQ_INT(in_order, N);
    EXPECT_QUIET(sub);
    redisFree(sub), redisFree(pub);
}

static void t_resp2_context(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "SET ctx.k v");
    send_fmt(c, "SUBSCRIBE ctx");
    EXPECT_SUB(c, "subscribe", "ctx", 1);
    EXPECT_ERR(c, CONTEXT_ERR("get"), "GET ctx.k");
    EXPECT_ERR(c, CONTEXT_ERR("get"), "gEt ctx.k"); /* named in lower case */
    EXPECT_ERR(c, CONTEXT_ERR("set"), "SET ctx.k w");
    EXPECT_ERR(c, CONTEXT_ERR("echo"), "ECHO x");
    EXPECT_ERR(c, CONTEXT_ERR("publish"), "PUBLISH ctx x");
    EXPECT_ERR(c, CONTEXT_ERR("multi"), "MULTI");
    EXPECT_ERR(c, CONTEXT_ERR("hello"), "HELLO 3");
    EXPECT_ERR(c, CONTEXT_ERR("client|id"), "CLIENT ID"); /* subcommands by full name */
    EXPECT_ERR(c, CONTEXT_ERR("pubsub|numpat"), "PUBSUB NUMPAT");
    /* Unknown commands and wrong arity are reported as such, before the context. */
    EXPECT_ERR(c, "ERR unknown command 'nosuch', with args beginning with: 'a' ", "nosuch a");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'get' command", "GET");
    /* PING answers with an array. */
    EXPECT_ARRAY_STRS(c, ((const char *[]){"pong", ""}), 2, "PING");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"pong", "hi there"}), 2, "PING %s", "hi there");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'ping' command", "PING a b");
    /* The other (un)subscribe commands are allowed. */
    send_fmt(c, "PSUBSCRIBE ctx.*");
    EXPECT_SUB(c, "psubscribe", "ctx.*", 2);
    send_fmt(c, "SSUBSCRIBE ctx.s");
    EXPECT_SUB(c, "ssubscribe", "ctx.s", 1);
    send_fmt(c, "SUNSUBSCRIBE ctx.s");
    EXPECT_SUB(c, "sunsubscribe", "ctx.s", 0);
    send_fmt(c, "PUNSUBSCRIBE ctx.*");
    EXPECT_SUB(c, "punsubscribe", "ctx.*", 1);
    EXPECT_ERR(c, CONTEXT_ERR("get"), "GET ctx.k"); /* still subscribed to ctx */
    /* After unsubscribing from everything the client is back to normal. */
    send_fmt(c, "UNSUBSCRIBE ctx");
    EXPECT_SUB(c, "unsubscribe", "ctx", 0);
    EXPECT_BULK(c, "v", "GET ctx.k");
    EXPECT_STATUS(c, "PONG", "PING");
    EXPECT_BULK(c, "x", "PING x");
    EXPECT_INT(c, 1, "DEL ctx.k");
    redisFree(c);
    /* Pipelined, as raw bytes, ending with QUIT: +OK, then the close. */
    int fd = raw_connect(S);
    raw_send_str(fd, "SUBSCRIBE ctx.q\r\nGET ctx.k\r\nPING\r\nPING hey\r\nQUIT\r\nPING\r\n");
    raw_expect_str(fd, "*3\r\n$9\r\nsubscribe\r\n$5\r\nctx.q\r\n:1\r\n"
                       "-" CONTEXT_ERR("get") "\r\n"
                                              "*2\r\n$4\r\npong\r\n$0\r\n\r\n"
                                              "*2\r\n$4\r\npong\r\n$3\r\nhey\r\n"
                                              "+OK\r\n");
    raw_expect_closed(fd);
    close(fd);
}

/* The subscribed context lasts while any subscription does, shard channels included,
 * though the UNSUBSCRIBE and PUNSUBSCRIBE counts leave shard channels out. */
static void t_context_with_shard_channels(void) {
    redisContext *c = srv_connect(S);
    send_fmt(c, "SSUBSCRIBE cs.s");
    EXPECT_SUB(c, "ssubscribe", "cs.s", 1);
    send_fmt(c, "SUBSCRIBE cs.c");
    EXPECT_SUB(c, "subscribe", "cs.c", 1); /* shard channels not counted */
    send_fmt(c, "PSUBSCRIBE cs.p*");
    EXPECT_SUB(c, "psubscribe", "cs.p*", 2);
    send_fmt(c, "UNSUBSCRIBE");
    EXPECT_SUB(c, "unsubscribe", "cs.c", 1);
    send_fmt(c, "PUNSUBSCRIBE");
    EXPECT_SUB(c, "punsubscribe", "cs.p*", 0);
    EXPECT_ERR(c, CONTEXT_ERR("get"), "GET cs.k"); /* the shard channel keeps it */
    send_fmt(c, "UNSUBSCRIBE");
    EXPECT_SUB(c, "unsubscribe", NULL, 0);
    EXPECT_ERR(c, CONTEXT_ERR("get"), "GET cs.k");
    send_fmt(c, "SUNSUBSCRIBE");
    EXPECT_SUB(c, "sunsubscribe", "cs.s", 0);
    EXPECT_NIL(c, "GET cs.k");
    redisFree(c);
}

static void t_resp3_pushes(void) {
    redisContext *pub = srv_connect(S);
    int fd = raw_connect3(S);
    raw_send_str(fd, "UNSUBSCRIBE\r\n");
    raw_expect_str(fd, ">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n");
    raw_send_str(fd, "SUBSCRIBE r3a r3b\r\n");
    raw_expect_str(fd, ">3\r\n$9\r\nsubscribe\r\n$3\r\nr3a\r\n:1\r\n"
                       ">3\r\n$9\r\nsubscribe\r\n$3\r\nr3b\r\n:2\r\n");
    raw_send_str(fd, "PSUBSCRIBE r3*\r\n");
    raw_expect_str(fd, ">3\r\n$10\r\npsubscribe\r\n$3\r\nr3*\r\n:3\r\n");
    EXPECT_INT(pub, 2, "PUBLISH r3a hello");
    raw_expect_str(fd, ">3\r\n$7\r\nmessage\r\n$3\r\nr3a\r\n$5\r\nhello\r\n"
                       ">4\r\n$8\r\npmessage\r\n$3\r\nr3*\r\n$3\r\nr3a\r\n$5\r\nhello\r\n");
    EXPECT_INT(pub, 1, "PUBLISH %s %b", "r3x", "a\0\r\nb", (size_t)5);
    RAW_EXPECT_LIT(fd, ">4\r\n$8\r\npmessage\r\n$3\r\nr3*\r\n$3\r\nr3x\r\n$5\r\na\0\r\nb\r\n");
    /* PING keeps its normal replies in RESP3. */
    raw_send_str(fd, "PING\r\nPING msg\r\n");
    raw_expect_str(fd, "+PONG\r\n$3\r\nmsg\r\n");
    raw_send_str(fd, "SSUBSCRIBE r3s\r\n");
    raw_expect_str(fd, ">3\r\n$10\r\nssubscribe\r\n$3\r\nr3s\r\n:1\r\n");
    EXPECT_INT(pub, 1, "SPUBLISH r3s m");
    raw_expect_str(fd, ">3\r\n$8\r\nsmessage\r\n$3\r\nr3s\r\n$1\r\nm\r\n");
    raw_send_str(fd, "UNSUBSCRIBE r3a\r\nPUNSUBSCRIBE r3*\r\nUNSUBSCRIBE r3b\r\nSUNSUBSCRIBE\r\n"
                     "UNSUBSCRIBE\r\n");
    raw_expect_str(fd, ">3\r\n$11\r\nunsubscribe\r\n$3\r\nr3a\r\n:2\r\n"
                       ">3\r\n$12\r\npunsubscribe\r\n$3\r\nr3*\r\n:1\r\n"
                       ">3\r\n$11\r\nunsubscribe\r\n$3\r\nr3b\r\n:0\r\n"
                       ">3\r\n$12\r\nsunsubscribe\r\n$3\r\nr3s\r\n:0\r\n"
                       ">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n");
    EXPECT_INT(pub, 0, "PUBLISH r3a gone");
    raw_send_str(fd, "PING\r\n");
    raw_expect_str(fd, "+PONG\r\n");
    close(fd);
    redisFree(pub);
}

static void t_resp3_interleave(void) {
    redisContext *pub = srv_connect(S);
    int fd = raw_connect3(S);
    raw_send_str(fd, "SUBSCRIBE iv\r\n");
    raw_expect_str(fd, ">3\r\n$9\r\nsubscribe\r\n$2\r\niv\r\n:1\r\n");
    /* Normal commands work while subscribed. */
    raw_send_str(fd, "SET iv.k v\r\nGET iv.k\r\nGET iv.nokey\r\nECHO e\r\n");
    raw_expect_str(fd, "+OK\r\n$1\r\nv\r\n_\r\n$1\r\ne\r\n");
    /* A message published before a command is answered comes first. */
    EXPECT_INT(pub, 1, "PUBLISH iv one");
    raw_send_str(fd, "GET iv.k\r\n");
    raw_expect_str(fd, ">3\r\n$7\r\nmessage\r\n$2\r\niv\r\n$3\r\none\r\n$1\r\nv\r\n");
    /* Publishing to itself: the push is written while PUBLISH runs, before its reply. */
    raw_send_str(fd, "GET iv.k\r\nPUBLISH iv self\r\nINCR iv.n\r\n");
    raw_expect_str(fd, "$1\r\nv\r\n"
                       ">3\r\n$7\r\nmessage\r\n$2\r\niv\r\n$4\r\nself\r\n:1\r\n"
                       ":1\r\n");
    /* Pushes between pipelined replies never split a reply. */
    EXPECT_INT(pub, 1, "PUBLISH iv two");
    raw_send_str(fd, "MGET iv.k iv.nokey\r\nDEL iv.k iv.n\r\n");
    raw_expect_str(fd, ">3\r\n$7\r\nmessage\r\n$2\r\niv\r\n$3\r\ntwo\r\n"
                       "*2\r\n$1\r\nv\r\n_\r\n:2\r\n");
    close(fd);
    redisFree(pub);
}

static void t_reset(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "SET rs.k v");
    int fd = raw_connect(S);
    raw_send_str(fd, "SUBSCRIBE rs.a rs.b\r\nPSUBSCRIBE rs.*\r\nSSUBSCRIBE rs.s\r\n");
    raw_expect_str(fd, "*3\r\n$9\r\nsubscribe\r\n$4\r\nrs.a\r\n:1\r\n"
                       "*3\r\n$9\r\nsubscribe\r\n$4\r\nrs.b\r\n:2\r\n"
                       "*3\r\n$10\r\npsubscribe\r\n$4\r\nrs.*\r\n:3\r\n"
                       "*3\r\n$10\r\nssubscribe\r\n$4\r\nrs.s\r\n:1\r\n");
    CHECK_EQ_INT(numsub(c, "rs.a"), 1);
    CHECK_EQ_INT(shardnumsub(c, "rs.s"), 1);
    raw_send_str(fd, "RESET\r\nGET rs.k\r\n");
    raw_expect_str(fd, "+RESET\r\n$1\r\nv\r\n");
    CHECK_EQ_INT(numsub(c, "rs.a"), 0);
    CHECK_EQ_INT(numsub(c, "rs.b"), 0);
    CHECK_EQ_INT(shardnumsub(c, "rs.s"), 0);
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 0, "PUBSUB CHANNELS rs.*");
    EXPECT_INT(c, 0, "PUBLISH rs.a x");
    EXPECT_INT(c, 0, "PUBLISH rs.x x"); /* the pattern went too */
    EXPECT_INT(c, 0, "SPUBLISH rs.s x");
    raw_send_str(fd, "PING\r\n");
    raw_expect_str(fd, "+PONG\r\n"); /* nothing was delivered to it */
    close(fd);
    /* In RESP3 too; RESET also goes back to RESP2. */
    fd = raw_connect3(S);
    raw_send_str(fd, "SUBSCRIBE rs.a\r\n");
    raw_expect_str(fd, ">3\r\n$9\r\nsubscribe\r\n$4\r\nrs.a\r\n:1\r\n");
    raw_send_str(fd, "RESET\r\nGET rs.nokey\r\n");
    raw_expect_str(fd, "+RESET\r\n$-1\r\n");
    CHECK_EQ_INT(numsub(c, "rs.a"), 0);
    close(fd);
    EXPECT_INT(c, 1, "DEL rs.k");
    redisFree(c);
}

static void t_pubsub_introspection(void) {
    redisContext *c = srv_connect(S), *a = srv_connect(S), *b = srv_connect(S);
    settle(c);
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 0, "PUBSUB CHANNELS");
    EXPECT_INT(c, 0, "PUBSUB NUMPAT");
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 0, "PUBSUB NUMSUB");
    send_fmt(a, "SUBSCRIBE in.x in.y");
    EXPECT_SUB(a, "subscribe", "in.x", 1);
    EXPECT_SUB(a, "subscribe", "in.y", 2);
    send_fmt(a, "PSUBSCRIBE in.p* in.q*");
    EXPECT_SUB(a, "psubscribe", "in.p*", 3);
    EXPECT_SUB(a, "psubscribe", "in.q*", 4);
    send_fmt(b, "SUBSCRIBE in.x other");
    EXPECT_SUB(b, "subscribe", "in.x", 1);
    EXPECT_SUB(b, "subscribe", "other", 2);
    send_fmt(b, "PSUBSCRIBE in.p*");
    EXPECT_SUB(b, "psubscribe", "in.p*", 3);
    EXPECT_ARRAY_UNORDERED(c, ((const char *[]){"in.x", "in.y", "other"}), 3, "PUBSUB CHANNELS");
    EXPECT_ARRAY_UNORDERED(c, ((const char *[]){"in.x", "in.y", "other"}), 3, "PUBSUB CHANNELS *");
    EXPECT_ARRAY_UNORDERED(c, ((const char *[]){"in.x", "in.y"}), 2, "PUBSUB CHANNELS in.*");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"in.y"}), 1, "PUBSUB CHANNELS *y");
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 0, "PUBSUB CHANNELS nomatch*");
    /* Patterns are not channels. */
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 0, "PUBSUB CHANNELS in.p*");
    /* NUMSUB: channel subscribers only, in the order asked, repeats and all. */
    redisReply *r = CMD(c, "PUBSUB NUMSUB in.x in.y none in.x in.p*");
    if (CHECK_REPLY_ARRAY(r, 10)) {
        static const char *const names[] = {"in.x", "in.y", "none", "in.x", "in.p*"};
        static const long long counts[] = {2, 1, 0, 2, 0};
        for (int i = 0; i < 5; i++) {
            CHECK_REPLY_BULK(r->element[2 * i], names[i]);
            CHECK_REPLY_INT(r->element[2 * i + 1], counts[i]);
        }
    }
    if (r) freeReplyObject(r);
    /* NUMPAT counts distinct patterns, not subscriptions. */
    EXPECT_INT(c, 2, "PUBSUB NUMPAT");
    send_fmt(a, "PUNSUBSCRIBE in.p*");
    EXPECT_SUB(a, "punsubscribe", "in.p*", 3);
    EXPECT_INT(c, 2, "PUBSUB NUMPAT"); /* b still has it */
    send_fmt(b, "PUNSUBSCRIBE");
    EXPECT_SUB(b, "punsubscribe", "in.p*", 2);
    EXPECT_INT(c, 1, "PUBSUB NUMPAT");
    send_fmt(b, "UNSUBSCRIBE in.x");
    EXPECT_SUB(b, "unsubscribe", "in.x", 1);
    CHECK_EQ_INT(numsub(c, "in.x"), 1);
    send_fmt(a, "UNSUBSCRIBE in.x");
    EXPECT_SUB(a, "unsubscribe", "in.x", 2);
    /* A channel without subscribers is gone from the list. */
    EXPECT_ARRAY_UNORDERED(c, ((const char *[]){"in.y", "other"}), 2, "PUBSUB CHANNELS");
    CHECK_EQ_INT(numsub(c, "in.x"), 0);
    send_fmt(a, "UNSUBSCRIBE");
    EXPECT_SUB(a, "unsubscribe", "in.y", 1);
    send_fmt(a, "PUNSUBSCRIBE");
    EXPECT_SUB(a, "punsubscribe", "in.q*", 0);
    send_fmt(b, "UNSUBSCRIBE");
    EXPECT_SUB(b, "unsubscribe", "other", 0);
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 0, "PUBSUB CHANNELS");
    EXPECT_INT(c, 0, "PUBSUB NUMPAT");
    redisFree(a), redisFree(b), redisFree(c);
}

static void t_pubsub_shard_introspection(void) {
    redisContext *c = srv_connect(S), *a = srv_connect(S), *b = srv_connect(S);
    settle(c);
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 0, "PUBSUB SHARDCHANNELS");
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 0, "PUBSUB SHARDNUMSUB");
    send_fmt(a, "SSUBSCRIBE sh.1 sh.2");
    EXPECT_SUB(a, "ssubscribe", "sh.1", 1);
    EXPECT_SUB(a, "ssubscribe", "sh.2", 2);
    send_fmt(b, "SSUBSCRIBE sh.1");
    EXPECT_SUB(b, "ssubscribe", "sh.1", 1);
    send_fmt(b, "SUBSCRIBE sh.plain");
    EXPECT_SUB(b, "subscribe", "sh.plain", 1);
    EXPECT_ARRAY_UNORDERED(c, ((const char *[]){"sh.1", "sh.2"}), 2, "PUBSUB SHARDCHANNELS");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"sh.2"}), 1, "PUBSUB SHARDCHANNELS *2");
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 0, "PUBSUB SHARDCHANNELS sh.plain");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"sh.plain"}), 1, "PUBSUB CHANNELS");
    redisReply *r = CMD(c, "PUBSUB SHARDNUMSUB sh.1 sh.2 sh.plain");
    if (CHECK_REPLY_ARRAY(r, 6)) {
        CHECK_REPLY_BULK(r->element[0], "sh.1");
        CHECK_REPLY_INT(r->element[1], 2);
        CHECK_REPLY_BULK(r->element[2], "sh.2");
        CHECK_REPLY_INT(r->element[3], 1);
        CHECK_REPLY_BULK(r->element[4], "sh.plain");
        CHECK_REPLY_INT(r->element[5], 0);
    }
    if (r) freeReplyObject(r);
    CHECK_EQ_INT(numsub(c, "sh.1"), 0); /* NUMSUB does not see shard channels */
    EXPECT_INT(c, 0, "PUBSUB NUMPAT");
    send_fmt(a, "SUNSUBSCRIBE");
    for (int i = 0; i < 2; i++) {
        r = cmd_next_reply(a);
        if (CHECK_REPLY_ARRAY(r, 3)) {
            CHECK_REPLY_BULK(r->element[0], "sunsubscribe");
            CHECK_REPLY_INT(r->element[2], 1 - i);
        }
        if (r) freeReplyObject(r);
    }
    EXPECT_ARRAY_STRS(c, ((const char *[]){"sh.1"}), 1, "PUBSUB SHARDCHANNELS");
    CHECK_EQ_INT(shardnumsub(c, "sh.1"), 1);
    redisFree(a), redisFree(b), redisFree(c);
}

static void t_pubsub_help_errors(void) {
    redisContext *c = srv_connect(S);
    redisReply *r = CMD(c, "PUBSUB HELP");
    if (CHECK_REPLY_ARRAY(r, -1)) {
        CHECK(r->elements > 4);
        bool all_strings = true;
        for (size_t i = 0; i < r->elements; i++)
            if (r->element[i]->type != REDIS_REPLY_STATUS &&
                r->element[i]->type != REDIS_REPLY_STRING)
                all_strings = false;
        CHECK(all_strings);
        CHECK(r->elements > 0 && r->element[0]->str &&
              strncmp(r->element[0]->str, "PUBSUB <subcommand>", 19) == 0);
    }
    if (r) freeReplyObject(r);
    r = CMD(c, "pubsub help"); /* any case */
    CHECK_REPLY_ARRAY(r, -1);
    if (r) freeReplyObject(r);
    EXPECT_ERR(c, "ERR unknown subcommand 'FOO'. Try PUBSUB HELP.", "PUBSUB FOO");
    EXPECT_ERR(c, "ERR unknown subcommand 'foo'. Try PUBSUB HELP.", "PUBSUB foo bar");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'pubsub' command", "PUBSUB");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'pubsub|numpat' command", "PUBSUB NUMPAT x");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'pubsub|help' command", "PUBSUB HELP x");
    EXPECT_ERR(
        c, "ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.",
        "PUBSUB CHANNELS a b");
    EXPECT_ERR(
        c,
        "ERR unknown subcommand or wrong number of arguments for 'SHARDCHANNELS'. Try PUBSUB HELP.",
        "PUBSUB SHARDCHANNELS a b");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'spublish' command", "SPUBLISH x");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'ssubscribe' command", "SSUBSCRIBE");
    redisFree(c);
}

static void t_shard_channels(void) {
    redisContext *sub = srv_connect(S), *pub = srv_connect(S);
    EXPECT_INT(pub, 0, "SPUBLISH sc.a x");
    send_fmt(sub, "SSUBSCRIBE sc.a sc.b sc.a");
    EXPECT_SUB(sub, "ssubscribe", "sc.a", 1);
    EXPECT_SUB(sub, "ssubscribe", "sc.b", 2);
    EXPECT_SUB(sub, "ssubscribe", "sc.a", 2);
    EXPECT_INT(pub, 1, "SPUBLISH sc.a hello");
    EXPECT_SMSG(sub, "sc.a", "hello");
    int fd = raw_connect(S);
    raw_send_str(fd, "SSUBSCRIBE sc.b\r\n");
    raw_expect_str(fd, "*3\r\n$10\r\nssubscribe\r\n$4\r\nsc.b\r\n:1\r\n");
    EXPECT_INT(pub, 2, "SPUBLISH %s %b", "sc.b", "b\0\r\n", (size_t)4);
    RAW_EXPECT_LIT(fd, "*3\r\n$8\r\nsmessage\r\n$4\r\nsc.b\r\n$4\r\nb\0\r\n\r\n");
    close(fd);
    expect_msg_at(__FILE__, __LINE__, sub, "smessage", "sc.b", "b\0\r\n", 4);
    /* SUNSUBSCRIBE: the count is of shard channels left. */
    send_fmt(sub, "SUNSUBSCRIBE sc.a sc.none");
    EXPECT_SUB(sub, "sunsubscribe", "sc.a", 1);
    EXPECT_SUB(sub, "sunsubscribe", "sc.none", 1);
    EXPECT_INT(pub, 0, "SPUBLISH sc.a x");
    EXPECT_ERR(sub, CONTEXT_ERR("get"), "GET sc.nokey");
    EXPECT_ERR(sub, CONTEXT_ERR("spublish"), "SPUBLISH sc.b x");
    send_fmt(sub, "SUNSUBSCRIBE");
    EXPECT_SUB(sub, "sunsubscribe", "sc.b", 0);
    EXPECT_NIL(sub, "GET sc.nokey");
    EXPECT_INT(pub, 0, "SPUBLISH sc.b x");
    redisFree(sub), redisFree(pub);
}

static void t_shard_separate(void) {
    redisContext *ssub = srv_connect(S), *sub = srv_connect(S), *pub = srv_connect(S);
    send_fmt(ssub, "SSUBSCRIBE sep");
    EXPECT_SUB(ssub, "ssubscribe", "sep", 1);
    send_fmt(sub, "SUBSCRIBE sep");
    EXPECT_SUB(sub, "subscribe", "sep", 1);
    send_fmt(sub, "PSUBSCRIBE se*");
    EXPECT_SUB(sub, "psubscribe", "se*", 2);
    /* PUBLISH reaches channel and pattern subscribers only; SPUBLISH shard ones only
     * (patterns never match shard channels). */
    EXPECT_INT(pub, 2, "PUBLISH sep p1");
    EXPECT_INT(pub, 1, "SPUBLISH sep s1");
    EXPECT_MSG(sub, "sep", "p1");
    EXPECT_PMSG(sub, "se*", "sep", "p1");
    EXPECT_QUIET(sub);
    EXPECT_SMSG(ssub, "sep", "s1");
    EXPECT_QUIET(ssub);
    /* A client with both kinds: counts are kept apart. */
    send_fmt(ssub, "SUBSCRIBE sep");
    EXPECT_SUB(ssub, "subscribe", "sep", 1);
    EXPECT_INT(pub, 3, "PUBLISH sep p2");
    EXPECT_MSG(ssub, "sep", "p2");
    send_fmt(ssub, "SUNSUBSCRIBE sep nope");
    EXPECT_SUB(ssub, "sunsubscribe", "sep", 0);
    EXPECT_SUB(ssub, "sunsubscribe", "nope", 0);
    EXPECT_INT(pub, 0, "SPUBLISH sep s2");
    EXPECT_INT(pub, 3, "PUBLISH sep p3");
    EXPECT_MSG(ssub, "sep", "p3");
    send_fmt(ssub, "SUNSUBSCRIBE"); /* none left: nil */
    EXPECT_SUB(ssub, "sunsubscribe", NULL, 0);
    send_fmt(ssub, "UNSUBSCRIBE");
    EXPECT_SUB(ssub, "unsubscribe", "sep", 0);
    EXPECT_NIL(ssub, "GET sep.nokey");
    /* SUNSUBSCRIBE on a client with no subscriptions. */
    int fd = raw_connect(S);
    raw_send_str(fd, "SUNSUBSCRIBE\r\nSUNSUBSCRIBE a\r\nGET sep.nokey\r\n");
    raw_expect_str(fd, "*3\r\n$12\r\nsunsubscribe\r\n$-1\r\n:0\r\n"
                       "*3\r\n$12\r\nsunsubscribe\r\n$1\r\na\r\n:0\r\n$-1\r\n");
    close(fd);
    redisFree(ssub), redisFree(sub), redisFree(pub);
}

static void t_disconnect(void) {
    redisContext *pub = srv_connect(S), *s1 = srv_connect(S), *s2 = srv_connect(S);
    send_fmt(s1, "SUBSCRIBE dc");
    EXPECT_SUB(s1, "subscribe", "dc", 1);
    send_fmt(s1, "PSUBSCRIBE dc*");
    EXPECT_SUB(s1, "psubscribe", "dc*", 2);
    send_fmt(s1, "SSUBSCRIBE dcs");
    EXPECT_SUB(s1, "ssubscribe", "dcs", 1);
    send_fmt(s2, "SUBSCRIBE dc");
    EXPECT_SUB(s2, "subscribe", "dc", 1);
    EXPECT_INT(pub, 3, "PUBLISH dc one");
    EXPECT_INT(pub, 1, "SPUBLISH dcs one");
    redisFree(s1); /* unread messages and all */
    WAIT_FOR(numsub(pub, "dc") == 1, 3000);
    CHECK_EQ_INT(shardnumsub(pub, "dcs"), 0);
    EXPECT_INT(pub, 1, "PUBLISH dc two"); /* the pattern went with it */
    EXPECT_INT(pub, 0, "SPUBLISH dcs two");
    EXPECT_MSG(s2, "dc", "one");
    EXPECT_MSG(s2, "dc", "two");
    /* A raw subscriber that closes its socket. */
    int fd = raw_connect(S);
    raw_send_str(fd, "SUBSCRIBE dc\r\n");
    raw_expect_str(fd, "*3\r\n$9\r\nsubscribe\r\n$2\r\ndc\r\n:1\r\n");
    CHECK_EQ_INT(numsub(pub, "dc"), 2);
    close(fd);
    WAIT_FOR(numsub(pub, "dc") == 1, 3000);
    EXPECT_INT(pub, 1, "PUBLISH dc three");
    EXPECT_MSG(s2, "dc", "three");
    redisFree(s2);
    WAIT_FOR(numsub(pub, "dc") == 0, 3000);
    EXPECT_INT(pub, 0, "PUBLISH dc four");
    redisFree(pub);
}

static void t_client_kill(void) {
    redisContext *pub = srv_connect(S);
    int fd = raw_connect(S);
    long long id = raw_int(fd, "CLIENT ID\r\n");
    raw_send_str(fd, "SUBSCRIBE ck\r\nPSUBSCRIBE ck*\r\n");
    raw_expect_str(fd, "*3\r\n$9\r\nsubscribe\r\n$2\r\nck\r\n:1\r\n"
                       "*3\r\n$10\r\npsubscribe\r\n$3\r\nck*\r\n:2\r\n");
    EXPECT_INT(pub, 2, "PUBLISH ck x");
    EXPECT_INT(pub, 1, "CLIENT KILL ID %lld", id);
    WAIT_FOR(numsub(pub, "ck") == 0, 3000);
    EXPECT_INT(pub, 0, "PUBLISH ck y");
    /* It got the two messages, then the close. */
    raw_expect_str(fd, "*3\r\n$7\r\nmessage\r\n$2\r\nck\r\n$1\r\nx\r\n"
                       "*4\r\n$8\r\npmessage\r\n$3\r\nck*\r\n$2\r\nck\r\n$1\r\nx\r\n");
    raw_expect_closed(fd);
    close(fd);
    /* CLIENT KILL TYPE pubsub takes subscribers only. */
    redisContext *sub = srv_connect(S);
    send_fmt(sub, "SSUBSCRIBE ck.s");
    EXPECT_SUB(sub, "ssubscribe", "ck.s", 1);
    long long killed = CMD_INT(pub, "CLIENT KILL TYPE pubsub");
    CHECK(killed >= 1);
    WAIT_FOR(shardnumsub(pub, "ck.s") == 0, 3000);
    EXPECT_STATUS(pub, "PONG", "PING");
    redisFree(sub), redisFree(pub);
}

static void t_info_stats(void) {
    redisContext *c = srv_connect(S), *a = srv_connect(S), *b = srv_connect(S);
    settle(c);
    CHECK_EQ_INT(info_int(c, "stats", "pubsub_channels"), 0);
    CHECK_EQ_INT(info_int(c, "stats", "pubsub_patterns"), 0);
    CHECK_EQ_INT(info_int(c, "stats", "pubsubshard_channels"), 0);
    send_fmt(a, "SUBSCRIBE i.1 i.2");
    EXPECT_SUB(a, "subscribe", "i.1", 1);
    EXPECT_SUB(a, "subscribe", "i.2", 2);
    send_fmt(a, "PSUBSCRIBE i.p*");
    EXPECT_SUB(a, "psubscribe", "i.p*", 3);
    send_fmt(b, "SUBSCRIBE i.1 i.3");
    EXPECT_SUB(b, "subscribe", "i.1", 1);
    EXPECT_SUB(b, "subscribe", "i.3", 2);
    send_fmt(b, "PSUBSCRIBE i.p* i.q*");
    EXPECT_SUB(b, "psubscribe", "i.p*", 3);
    EXPECT_SUB(b, "psubscribe", "i.q*", 4);
    send_fmt(b, "SSUBSCRIBE i.s1 i.s2");
    EXPECT_SUB(b, "ssubscribe", "i.s1", 1);
    EXPECT_SUB(b, "ssubscribe", "i.s2", 2);
    send_fmt(a, "SSUBSCRIBE i.s1");
    EXPECT_SUB(a, "ssubscribe", "i.s1", 1);
    /* Distinct channels and patterns, not subscriptions. */
    CHECK_EQ_INT(info_int(c, "stats", "pubsub_channels"), 3);
    CHECK_EQ_INT(info_int(c, "stats", "pubsub_patterns"), 2);
    CHECK_EQ_INT(info_int(c, "stats", "pubsubshard_channels"), 2);
    EXPECT_STATUS(a, "RESET", "RESET");
    CHECK_EQ_INT(info_int(c, "stats", "pubsub_channels"), 2);
    CHECK_EQ_INT(info_int(c, "stats", "pubsub_patterns"), 2);
    CHECK_EQ_INT(info_int(c, "stats", "pubsubshard_channels"), 2);
    redisFree(b);
    WAIT_FOR(info_int(c, "stats", "pubsub_channels") == 0, 3000);
    CHECK_EQ_INT(info_int(c, "stats", "pubsub_patterns"), 0);
    CHECK_EQ_INT(info_int(c, "stats", "pubsubshard_channels"), 0);
    redisFree(a), redisFree(c);
}

static void t_client_list(void) {
    redisContext *c = srv_connect(S), *sub = srv_connect(S);
    long long id = client_id(sub), cid = client_id(c);
    char *line = client_line(c, id);
    CHECK_FIELD(line, "flags=N");
    CHECK_FIELD(line, "sub=0");
    CHECK_FIELD(line, "psub=0");
    CHECK_FIELD(line, "ssub=0");
    free(line);
    send_fmt(sub, "SUBSCRIBE cl.a cl.b");
    EXPECT_SUB(sub, "subscribe", "cl.a", 1);
    EXPECT_SUB(sub, "subscribe", "cl.b", 2);
    send_fmt(sub, "PSUBSCRIBE cl.*");
    EXPECT_SUB(sub, "psubscribe", "cl.*", 3);
    send_fmt(sub, "SSUBSCRIBE cl.s1 cl.s2 cl.s3");
    EXPECT_SUB(sub, "ssubscribe", "cl.s1", 1);
    EXPECT_SUB(sub, "ssubscribe", "cl.s2", 2);
    EXPECT_SUB(sub, "ssubscribe", "cl.s3", 3);
    line = client_line(c, id);
    CHECK_FIELD(line, "flags=P");
    CHECK_FIELD(line, "sub=2");
    CHECK_FIELD(line, "psub=1");
    CHECK_FIELD(line, "ssub=3");
    CHECK_FIELD(line, "cmd=ssubscribe");
    free(line);
    /* TYPE pubsub lists subscribers, TYPE normal the others. */
    char *list = CMD_STR(c, "CLIENT LIST TYPE pubsub");
    char want[32];
    snprintf(want, sizeof want, "id=%lld ", id);
    CHECK(list && strncmp(list, want, strlen(want)) == 0 && strchr(list, '\n') &&
          strchr(list, '\n')[1] == '\0');
    free(list);
    list = CMD_STR(c, "CLIENT LIST TYPE normal");
    snprintf(want, sizeof want, "id=%lld ", cid);
    CHECK(list && strstr(list, want) != NULL);
    snprintf(want, sizeof want, "id=%lld ", id);
    CHECK(list && !strstr(list, want));
    free(list);
    /* A RESP3 subscriber has the flag too. */
    int fd = raw_connect3(S);
    long long id3 = raw_int(fd, "CLIENT ID\r\n");
    raw_send_str(fd, "PSUBSCRIBE cl3.*\r\n");
    raw_expect_str(fd, ">3\r\n$10\r\npsubscribe\r\n$5\r\ncl3.*\r\n:1\r\n");
    line = client_line(c, id3);
    CHECK_FIELD(line, "flags=P");
    CHECK_FIELD(line, "sub=0");
    CHECK_FIELD(line, "psub=1");
    CHECK_FIELD(line, "resp=3");
    free(line);
    close(fd);
    /* P while any subscription is left, N again once none is. */
    send_fmt(sub, "UNSUBSCRIBE");
    for (int i = 0; i < 2; i++) {
        redisReply *r = cmd_next_reply(sub);
        if (CHECK_REPLY_ARRAY(r, 3)) CHECK_REPLY_INT(r->element[2], 2 - i);
        if (r) freeReplyObject(r);
    }
    line = client_line(c, id);
    CHECK_FIELD(line, "flags=P");
    CHECK_FIELD(line, "sub=0");
    free(line);
    send_fmt(sub, "PUNSUBSCRIBE");
    EXPECT_SUB(sub, "punsubscribe", "cl.*", 0);
    send_fmt(sub, "SUNSUBSCRIBE cl.s1 cl.s2 cl.s3");
    EXPECT_SUB(sub, "sunsubscribe", "cl.s1", 2);
    EXPECT_SUB(sub, "sunsubscribe", "cl.s2", 1);
    EXPECT_SUB(sub, "sunsubscribe", "cl.s3", 0);
    line = client_line(c, id);
    CHECK_FIELD(line, "flags=N");
    CHECK_FIELD(line, "sub=0");
    CHECK_FIELD(line, "psub=0");
    CHECK_FIELD(line, "ssub=0");
    free(line);
    redisFree(sub), redisFree(c);
}

static void t_keyspace_channels(void) {
    redisContext *c = srv_connect(S), *sub = srv_connect(S);
    char *was = NULL;
    redisReply *r = CMD(c, "CONFIG GET notify-keyspace-events");
    if (CHECK_REPLY_ARRAY(r, 2) && r->element[1]->type == REDIS_REPLY_STRING)
        was = strdup(r->element[1]->str);
    if (r) freeReplyObject(r);
    CHECK_EQ_STR(was, ""); /* off by default */
    send_fmt(sub, "PSUBSCRIBE __key*__:*");
    EXPECT_SUB(sub, "psubscribe", "__key*__:*", 1);
    EXPECT_STATUS(c, "OK", "SET ks.k v");
    EXPECT_INT(c, 1, "DEL ks.k");
    EXPECT_QUIET(sub);
    /* They are ordinary channels: PUBLISH reaches the pattern like any other. */
    EXPECT_INT(c, 1, "PUBLISH __keyspace@0__:fake hand-made");
    EXPECT_PMSG(sub, "__key*__:*", "__keyspace@0__:fake", "hand-made");
    EXPECT_STATUS(c, "OK", "CONFIG SET notify-keyspace-events KEA");
    EXPECT_STATUS(c, "OK", "SET ks.k v");
    EXPECT_PMSG(sub, "__key*__:*", "__keyspace@0__:ks.k", "set");
    EXPECT_PMSG(sub, "__key*__:*", "__keyevent@0__:set", "ks.k");
    EXPECT_STATUS(c, "OK", "CONFIG SET notify-keyspace-events %s", "");
    EXPECT_INT(c, 1, "DEL ks.k");
    EXPECT_QUIET(sub);
    free(was);
    redisFree(sub), redisFree(c);
}

/* A subscriber that never reads, against "pubsub 1mb 512kb 60": 64 KB messages until the
 * server drops it. Each PUBLISH is answered at once all along. */
static void t_obuf_hard_limit(void) {
    srv *s = srv_start(
        (const char *const[]){"--client-output-buffer-limit", "pubsub 1mb 512kb 60", NULL});
    if (!s) return;
    redisContext *pub = srv_connect(s);
    int fd = raw_connect(s);
    raw_send_str(fd, "SUBSCRIBE slow\r\n");
    raw_expect_str(fd, "*3\r\n$9\r\nsubscribe\r\n$4\r\nslow\r\n:1\r\n");
    size_t len = 64 * 1024;
    char *payload = malloc(len);
    memset(payload, 'p', len);
    long long worst = 0, deadline = now_ms() + 10000;
    int sent = 0;
    bool gone = false;
    while (!gone && now_ms() < deadline && sent < 4000) {
        long long t0 = now_ms();
        redisReply *r = redisCommand(pub, "PUBLISH slow %b", payload, len);
        long long took = now_ms() - t0;
        if (took > worst) worst = took;
        bool ok = r && r->type == REDIS_REPLY_INTEGER && (r->integer == 0 || r->integer == 1);
        if (!ok) test_fail(__FILE__, __LINE__, "PUBLISH %d: %s", sent, reply_describe(r));
        if (r) freeReplyObject(r);
        if (!ok) break;
        sent++;
        gone = numsub(pub, "slow") == 0;
    }
    free(payload);
    CHECK(gone);
    CHECK_RANGE(worst, 0, 999);
    CHECK(sent >= 16); /* at least the 1 MB of the limit went out before the cut */
    WAIT_FOR(log_has(s, "scheduled to be closed ASAP for overcoming of output buffer limits"),
             3000);
    CHECK(drain_until_closed(fd, 5000));
    close(fd);
    EXPECT_INT(pub, 0, "PUBLISH slow after");
    EXPECT_STATUS(pub, "PONG", "PING");
    redisFree(pub);
    CHECK(srv_stop(s));
}

/* The soft limit: "pubsub 0 100kb 1" drops a subscriber whose output stays above 100 KB
 * for more than a second, and not before. */
static void t_obuf_soft_limit(void) {
    srv *s =
        srv_start((const char *const[]){"--client-output-buffer-limit", "pubsub 0 100kb 1", NULL});
    if (!s) return;
    redisContext *pub = srv_connect(s);
    int fd = raw_connect(s);
    long long id = raw_int(fd, "CLIENT ID\r\n");
    raw_send_str(fd, "SUBSCRIBE soft\r\n");
    raw_expect_str(fd, "*3\r\n$9\r\nsubscribe\r\n$4\r\nsoft\r\n:1\r\n");
    size_t len = 64 * 1024;
    char *payload = malloc(len);
    memset(payload, 's', len);
    /* Fill the socket buffers until the server holds more than 100 KB for it. */
    long long t_start = now_ms(), deadline = t_start + 5000;
    int sent = 0;
    while (now_ms() < deadline && sent < 2000 && client_omem(pub, id) <= 100 * 1024) {
        redisReply *r = redisCommand(pub, "PUBLISH soft %b", payload, len);
        bool ok = r && r->type == REDIS_REPLY_INTEGER && r->integer == 1;
        if (!ok) test_fail(__FILE__, __LINE__, "PUBLISH %d: %s", sent, reply_describe(r));
        if (r) freeReplyObject(r);
        if (!ok) break;
        sent++;
    }
    free(payload);
    CHECK(client_omem(pub, id) > 100 * 1024);
    CHECK_EQ_INT(numsub(pub, "soft"), 1); /* over the soft limit, but not for long yet */
    /* Keep publishing small messages (the limit is checked as output is added) until it
     * goes. */
    long long t_gone = -1, worst = 0;
    deadline = now_ms() + 6000;
    while (now_ms() < deadline) {
        long long t0 = now_ms();
        redisReply *r = redisCommand(pub, "PUBLISH soft tick");
        long long took = now_ms() - t0;
        if (took > worst) worst = took;
        bool ok = r && r->type == REDIS_REPLY_INTEGER;
        if (r) freeReplyObject(r);
        if (!ok) break;
        if (numsub(pub, "soft") == 0) {
            t_gone = now_ms();
            break;
        }
        sleep_ms(10);
    }
    CHECK(t_gone > 0);
    if (t_gone > 0) CHECK_RANGE(t_gone - t_start, 900, 6000);
    CHECK_RANGE(worst, 0, 999);
    /* Redis notices this one in its client cron and logs "Client ... closed for overcoming
     * of output buffer limits." (not "scheduled to be closed ASAP ..."); either will do. */
    WAIT_FOR(log_has(s, "for overcoming of output buffer limits"), 3000);
    CHECK(drain_until_closed(fd, 5000));
    close(fd);
    redisFree(pub);
    CHECK(srv_stop(s));
}

static void t_stop(void) {
    CHECK(srv_stop(S));
    S = NULL;
}

int main(void) {
    test_run("start server", t_start);
    if (!S) return test_summary("pubsub");
    test_run("SUBSCRIBE: confirmations, running count, PUBLISH receivers", t_subscribe);
    test_run("PUBLISH: binary, empty and 1 MB payloads", t_payloads);
    test_run("UNSUBSCRIBE: named, all, none; counts include patterns", t_unsubscribe);
    test_run("PSUBSCRIBE: glob patterns and pmessage", t_psubscribe_globs);
    test_run("channel and pattern both match; PUNSUBSCRIBE", t_channel_and_pattern);
    test_run("messages arrive in publish order across channels and patterns", t_order);
    test_run("pipelined burst of 1000 PUBLISHes arrives complete and in order", t_burst);
    test_run("RESP2 subscribed context: allowed commands, errors, PING, QUIT", t_resp2_context);
    test_run("subscribed context lasts while shard subscriptions do",
             t_context_with_shard_channels);
    test_run("RESP3: confirmations and messages are pushes (raw bytes)", t_resp3_pushes);
    test_run("RESP3: normal commands interleave with pushes", t_resp3_interleave);
    test_run("RESET while subscribed leaves no subscriptions", t_reset);
    test_run("PUBSUB CHANNELS NUMSUB NUMPAT", t_pubsub_introspection);
    test_run("PUBSUB SHARDCHANNELS SHARDNUMSUB", t_pubsub_shard_introspection);
    test_run("PUBSUB HELP and errors", t_pubsub_help_errors);
    test_run("SSUBSCRIBE SPUBLISH SUNSUBSCRIBE", t_shard_channels);
    test_run("shard channels are separate from normal channels", t_shard_separate);
    test_run("a subscriber that disconnects disappears", t_disconnect);
    test_run("a subscriber killed with CLIENT KILL disappears", t_client_kill);
    test_run("INFO stats pubsub_channels pubsub_patterns pubsubshard_channels", t_info_stats);
    test_run("CLIENT LIST sub psub ssub and flag P", t_client_list);
    test_run("keyspace channels are plain channels", t_keyspace_channels);
    test_run("slow subscriber: hard output buffer limit, publisher never blocked",
             t_obuf_hard_limit);
    test_run("slow subscriber: soft output buffer limit", t_obuf_soft_limit);
    test_run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("pubsub");
}
