/* tests/integration/test_protocol.c: the wire protocol as raw bytes: inline commands,
 * pipelining, protocol errors (exact text, then the connection closes), limits before
 * authentication, requests split at every byte, many concurrent connections, and RESP3
 * versus RESP2 reply shapes. Every expectation was checked against Redis 7.0.15. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness.h"

static srv *S;
static srv *SPW; /* --requirepass pw */

static void t_start(void) {
    S = srv_start(NULL);
    SPW = srv_start((const char *[]){"--requirepass", "pw", NULL});
}

/* Send bytes on a fresh connection, expect exactly `reply`, then (if closes) the close. */
static void exchange_at(const char *file, int line, srv *s, const char *req, size_t reqlen,
                        const char *reply, bool closes) {
    int fd = raw_connect_at(file, line, s);
    if (fd < 0) return;
    raw_send_at(file, line, fd, req, reqlen);
    raw_expect_at(file, line, fd, reply, strlen(reply));
    if (closes) raw_expect_closed_at(file, line, fd);
    close(fd);
}
#define EXCHANGE(s, req, reply) exchange_at(__FILE__, __LINE__, (s), (req), strlen(req), (reply), false)
#define PROTO_ERROR(s, req, err) exchange_at(__FILE__, __LINE__, (s), (req), strlen(req), (err), true)

static void t_inline(void) {
    EXCHANGE(S, "PING\r\n", "+PONG\r\n");
    EXCHANGE(S, "ping\n", "+PONG\r\n"); /* a bare LF ends an inline line too */
    EXCHANGE(S, "\r\n\r\n  PING  \r\n\tPING\r\n", "+PONG\r\n+PONG\r\n"); /* blank lines ignored */
    EXCHANGE(S, "SET il \"b c\"\r\nGET il\r\n", "+OK\r\n$3\r\nb c\r\n");
    EXCHANGE(S, "SET il 'it''s'\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n");
    EXCHANGE(S, "ECHO \"a\\x41\\n\\t\\\"\"\r\n", "$5\r\naA\n\t\"\r\n");
    EXCHANGE(S, "ECHO 'a\\'b'\r\n", "$3\r\na'b\r\n");
    EXCHANGE(S, "ECHO \"\"\r\n", "$0\r\n\r\n");
    EXCHANGE(S, "ECHO   a    \r\n", "$1\r\na\r\n");
    EXCHANGE(S, "ECHO a b\r\n", "-ERR wrong number of arguments for 'echo' command\r\n");
    EXCHANGE(S, "DEL il\r\n", ":1\r\n");
    /* Inline and multibulk can alternate on one connection. */
    EXCHANGE(S, "PING\r\n*1\r\n$4\r\nPING\r\nPING\r\n", "+PONG\r\n+PONG\r\n+PONG\r\n");
    /* Empty and null multibulk counts are skipped. */
    EXCHANGE(S, "*0\r\n*-1\r\nPING\r\n", "+PONG\r\n");
    /* A zero-length command name is still a command. */
    EXCHANGE(S, "*1\r\n$0\r\n\r\n", "-ERR unknown command '', with args beginning with: \r\n");
}

/* prefix followed by 70,000 bytes of fill and no line end (a C string; caller frees). */
static char *never_ending(const char *prefix, char fill) {
    size_t pl = strlen(prefix), n = 70000;
    char *buf = malloc(pl + n + 1);
    memcpy(buf, prefix, pl);
    memset(buf + pl, fill, n);
    buf[pl + n] = '\0';
    return buf;
}

static void t_protocol_errors(void) {
    PROTO_ERROR(S, "SET a \"b\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n");
    PROTO_ERROR(S, "ECHO \"a\"b\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n");
    PROTO_ERROR(S, "*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
    PROTO_ERROR(S, "*2147483648\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
    PROTO_ERROR(S, "*1\r\n$x\r\n", "-ERR Protocol error: invalid bulk length\r\n");
    PROTO_ERROR(S, "*1\r\n$-1\r\n", "-ERR Protocol error: invalid bulk length\r\n");
    PROTO_ERROR(S, "*1\r\n$536870913\r\n", "-ERR Protocol error: invalid bulk length\r\n");
    PROTO_ERROR(S, "*1\r\nx3\r\n", "-ERR Protocol error: expected '$', got 'x'\r\n");
    PROTO_ERROR(S, "*2\r\n$4\r\nECHO\r\n:1\r\n", "-ERR Protocol error: expected '$', got ':'\r\n");
    /* Commands before the bad bytes are answered first. */
    PROTO_ERROR(S, "PING\r\n*1\r\n$4\r\nPING\r\n*x\r\n",
                "+PONG\r\n+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n");
    /* Lines that never end. */
    char *big = never_ending("", 'A');
    PROTO_ERROR(S, big, "-ERR Protocol error: too big inline request\r\n");
    free(big);
    big = never_ending("*", '1');
    PROTO_ERROR(S, big, "-ERR Protocol error: too big mbulk count string\r\n");
    free(big);
    big = never_ending("*1\r\n$", '1');
    PROTO_ERROR(S, big, "-ERR Protocol error: too big bulk count string\r\n");
    free(big);
    /* The limit on bulk length follows proto-max-bulk-len. */
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "CONFIG SET proto-max-bulk-len 1mb");
    PROTO_ERROR(S, "*2\r\n$4\r\nECHO\r\n$1048577\r\n", "-ERR Protocol error: invalid bulk length\r\n");
    EXPECT_STATUS(c, "OK", "CONFIG SET proto-max-bulk-len 512mb");
    redisFree(c);
}

static void t_unauthenticated_limits(void) {
    PROTO_ERROR(SPW, "*11\r\n", "-ERR Protocol error: unauthenticated multibulk length\r\n");
    PROTO_ERROR(SPW, "*2\r\n$4\r\nECHO\r\n$16385\r\n",
                "-ERR Protocol error: unauthenticated bulk length\r\n");
    /* At the limits: parsed, then refused for want of AUTH. */
    EXCHANGE(SPW, "*10\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$2\r\nNX\r\n$3\r\nGET\r\n$2\r\nEX\r\n"
                  "$2\r\n10\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n",
             "-NOAUTH Authentication required.\r\n");
    size_t n = 16384;
    char *req = malloc(n + 64);
    int hl = sprintf(req, "*2\r\n$4\r\nECHO\r\n$%zu\r\n", n);
    memset(req + hl, 'e', n);
    memcpy(req + hl + n, "\r\n", 2);
    exchange_at(__FILE__, __LINE__, SPW, req, hl + n + 2, "-NOAUTH Authentication required.\r\n", false);
    free(req);
    /* Inline requests are not limited that way. */
    EXCHANGE(SPW, "SET a b c d e f g h i j k l m\r\n", "-NOAUTH Authentication required.\r\n");
    /* After AUTH the limits are gone. */
    n = 20000;
    req = malloc(n + 128);
    hl = sprintf(req, "*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*2\r\n$4\r\nECHO\r\n$%zu\r\n", n);
    memset(req + hl, 'e', n);
    memcpy(req + hl + n, "\r\n", 2);
    int fd = raw_connect(SPW);
    raw_send(fd, req, hl + n + 2);
    char *want = malloc(n + 64);
    int wl = sprintf(want, "+OK\r\n$%zu\r\n", n);
    memset(want + wl, 'e', n);
    memcpy(want + wl + n, "\r\n", 2);
    raw_expect(fd, want, wl + n + 2);
    raw_send_str(fd, "*12\r\n$4\r\nMSET\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"
                     "$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nf\r\n$1\r\n6\r\n$1\r\ng\r\n");
    raw_expect_str(fd, "-ERR wrong number of arguments for 'mset' command\r\n");
    close(fd);
    free(want);
    free(req);
}

static void t_pipeline_10k(void) {
    enum { N = 10000 };
    size_t cap = (size_t)N * 64, len = 0, wcap = (size_t)N * 32, wlen = 0;
    char *req = malloc(cap), *want = malloc(wcap);
    len += (size_t)sprintf(req + len, "DEL pipe:counter\r\n");
    wlen += (size_t)sprintf(want + wlen, ":0\r\n");
    for (int i = 1; i <= N; i++) {
        switch (i % 4) {
        case 0: /* multibulk INCR */
            len += (size_t)sprintf(req + len, "*2\r\n$4\r\nINCR\r\n$12\r\npipe:counter\r\n");
            break;
        case 1: /* inline INCR */
            len += (size_t)sprintf(req + len, "INCR pipe:counter\r\n");
            break;
        case 2: /* INCRBY 1 */
            len += (size_t)sprintf(req + len, "*3\r\n$6\r\nINCRBY\r\n$12\r\npipe:counter\r\n$1\r\n1\r\n");
            break;
        case 3: /* DECRBY -1 */
            len += (size_t)sprintf(req + len, "DECRBY pipe:counter -1\r\n");
            break;
        }
        wlen += (size_t)sprintf(want + wlen, ":%d\r\n", i);
    }
    len += (size_t)sprintf(req + len, "GET pipe:counter\r\nDEL pipe:counter\r\n");
    wlen += (size_t)sprintf(want + wlen, "$5\r\n10000\r\n:1\r\n");
    int fd = raw_connect(S);
    raw_send(fd, req, len);
    raw_expect(fd, want, wlen);
    close(fd);
    free(req);
    free(want);
}

/* The same requests one byte per write give the same replies. */
static void t_split_every_byte(void) {
    static const char req[] =
        "*3\r\n$3\r\nSET\r\n$5\r\nsp\0\r\n\r\n$10\r\n\r\n$\r\n*1\r\n\0\r\n"
        "GET \"sp\\x00\\r\\n\"\r\n"
        "*2\r\n$6\r\nSTRLEN\r\n$5\r\nsp\0\r\n\r\n"
        "PING\n"
        "*1\r\n$4\r\nPING\r\n"
        "*3\r\n$6\r\nAPPEND\r\n$5\r\nsp\0\r\n\r\n$0\r\n\r\n"
        "*2\r\n$3\r\nDEL\r\n$5\r\nsp\0\r\n\r\n";
    static const char want[] = "+OK\r\n$10\r\n\r\n$\r\n*1\r\n\0\r\n:10\r\n+PONG\r\n+PONG\r\n:10\r\n:1\r\n";
    int fd = raw_connect(S);
    for (size_t i = 0; i < sizeof req - 1; i++)
        if (!raw_send(fd, req + i, 1)) break;
    raw_expect(fd, want, sizeof want - 1);
    close(fd);
    /* And every two-way split of one command. */
    static const char one[] = "*3\r\n$3\r\nSET\r\n$2\r\nsk\r\n$12\r\nhello\r\nworld\r\n";
    fd = raw_connect(S);
    for (size_t cut = 1; cut < sizeof one - 1; cut++) {
        raw_send(fd, one, cut);
        raw_send(fd, one + cut, sizeof one - 1 - cut);
        if (!raw_expect_str(fd, "+OK\r\n")) break;
    }
    raw_send_str(fd, "GET sk\r\nDEL sk\r\n");
    raw_expect_str(fd, "$12\r\nhello\r\nworld\r\n:1\r\n");
    close(fd);
}

static void t_many_connections(void) {
    enum { N = 1000 };
    static int fds[N];
    int opened = 0;
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    for (int i = 0; i < N; i++) {
        fds[i] = raw_connect(S);
        if (fds[i] < 0) break;
        opened++;
    }
    CHECK_EQ_INT(opened, N);
    char buf[128], want[256];
    for (int i = 0; i < opened; i++) {
        int n = snprintf(buf, sizeof buf, "SET conn:%d val:%d\r\n", i, i);
        raw_send(fds[i], buf, (size_t)n);
    }
    int ok = 0;
    for (int i = 0; i < opened; i++) ok += raw_expect_str(fds[i], "+OK\r\n");
    CHECK_EQ_INT(ok, N);
    long long clients = info_int(c, "clients", "connected_clients");
    CHECK(clients >= N + 1);
    EXPECT_INT(c, N, "DBSIZE");
    /* Each connection reads back another connection's key. */
    for (int i = 0; i < opened; i++) {
        int j = (i + 1) % N;
        int n = snprintf(buf, sizeof buf, "GET conn:%d\r\n", j);
        raw_send(fds[i], buf, (size_t)n);
    }
    ok = 0;
    for (int i = 0; i < opened; i++) {
        int j = (i + 1) % N;
        snprintf(buf, sizeof buf, "val:%d", j);
        snprintf(want, sizeof want, "$%zu\r\n%s\r\n", strlen(buf), buf);
        ok += raw_expect_str(fds[i], want);
    }
    CHECK_EQ_INT(ok, N);
    for (int i = 0; i < opened; i++) close(fds[i]);
    /* The server notices them all go (this connection is the only one left). */
    WAIT_FOR(info_int(c, "clients", "connected_clients") == 1, 5000);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    redisFree(c);
}

static void t_resp3_vs_resp2(void) {
    int fd = raw_connect(S);
    raw_send_str(fd, "FLUSHALL\r\nSET f 1.5\r\nGET nokey\r\nMGET f nokey\r\nCONFIG GET port\r\n"
                     "INCRBYFLOAT f 1\r\nEXISTS f nokey\r\nKEYS nomatch*\r\nSCAN 0 MATCH nomatch*\r\n"
                     "CLIENT GETNAME\r\nOBJECT ENCODING nokey\r\nGETDEL nokey\r\nRANDOMKEY\r\n");
    char want[1024];
    snprintf(want, sizeof want,
             "+OK\r\n+OK\r\n$-1\r\n*2\r\n$3\r\n1.5\r\n$-1\r\n*2\r\n$4\r\nport\r\n$%zu\r\n%d\r\n"
             "$3\r\n2.5\r\n:1\r\n*0\r\n*2\r\n$1\r\n0\r\n*0\r\n$-1\r\n$-1\r\n$-1\r\n$1\r\nf\r\n",
             (size_t)snprintf(NULL, 0, "%d", srv_port(S)), srv_port(S));
    raw_expect_str(fd, want);
    raw_send_str(fd, "HELLO 3\r\n");
    size_t len;
    char *f = raw_read_frame(fd, &len);
    CHECK(strncmp(f, "%7\r\n", 4) == 0);
    free(f);
    raw_send_str(fd, "GET nokey\r\nMGET f nokey\r\nCONFIG GET port\r\n"
                     "INCRBYFLOAT f 1\r\nEXISTS f nokey\r\nKEYS nomatch*\r\nSCAN 0 MATCH nomatch*\r\n"
                     "CLIENT GETNAME\r\nOBJECT ENCODING nokey\r\nGETDEL nokey\r\nRANDOMKEY\r\n"
                     "SET s v\r\nGET\r\nTTL nokey\r\n");
    snprintf(want, sizeof want,
             "_\r\n*2\r\n$3\r\n2.5\r\n_\r\n%%1\r\n$4\r\nport\r\n$%zu\r\n%d\r\n"
             "$3\r\n3.5\r\n:1\r\n*0\r\n*2\r\n$1\r\n0\r\n*0\r\n_\r\n_\r\n_\r\n$1\r\nf\r\n"
             "+OK\r\n-ERR wrong number of arguments for 'get' command\r\n:-2\r\n",
             (size_t)snprintf(NULL, 0, "%d", srv_port(S)), srv_port(S));
    raw_expect_str(fd, want);
    /* CONFIG GET of several names is a map of that many pairs. */
    raw_send_str(fd, "CONFIG GET port timeout\r\n");
    f = raw_read_frame(fd, &len);
    CHECK(strncmp(f, "%2\r\n", 4) == 0);
    free(f);
    /* INFO is a verbatim string: =LEN, "txt:", then the text, LEN counting both. */
    raw_send_str(fd, "INFO server\r\n");
    f = raw_read_frame(fd, &len);
    CHECK(f[0] == '=');
    char *crlf = strstr(f, "\r\n");
    long long vlen = strtoll(f + 1, NULL, 10);
    CHECK(crlf && strncmp(crlf + 2, "txt:# Server\r\n", 14) == 0);
    CHECK(crlf && (long long)(len - (size_t)(crlf + 2 - f) - 2) == vlen);
    free(f);
    /* Back to RESP2. */
    raw_send_str(fd, "HELLO 2\r\n");
    f = raw_read_frame(fd, &len);
    CHECK(strncmp(f, "*14\r\n", 5) == 0);
    free(f);
    raw_send_str(fd, "GET nokey\r\nINFO server\r\nDEL f s\r\n");
    raw_expect_str(fd, "$-1\r\n");
    f = raw_read_frame(fd, &len);
    CHECK(f[0] == '$' && strstr(f, "\r\n# Server\r\n") != NULL);
    free(f);
    raw_expect_str(fd, ":2\r\n");
    close(fd);
}

static void t_stop(void) {
    CHECK(srv_stop(S));
    CHECK(srv_stop(SPW));
    S = SPW = NULL;
}

int main(void) {
    test_run("start servers", t_start);
    if (!S || !SPW) return test_summary("protocol");
    test_run("inline commands", t_inline);
    test_run("protocol errors close the connection", t_protocol_errors);
    test_run("limits before authentication", t_unauthenticated_limits);
    test_run("pipeline of 10,000 commands", t_pipeline_10k);
    test_run("requests split at every byte", t_split_every_byte);
    test_run("1,000 concurrent connections", t_many_connections);
    test_run("RESP3 and RESP2 reply shapes", t_resp3_vs_resp2);
    test_run("servers exit cleanly", t_stop);
    if (S) srv_stop(S);
    if (SPW) srv_stop(SPW);
    return test_summary("protocol");
}
