/* tests/integration/test_conn.c: connection commands (PING ECHO HELLO AUTH QUIT RESET
 * CLIENT ...), the handshakes real client libraries pipeline on connect (shared/clients.md),
 * and the errors for unknown commands and wrong arity. RESP3 replies are checked as raw
 * bytes. Every expectation was checked against Redis 7.0.15. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness.h"

static srv *S;     /* no password */
static srv *SPW;   /* --requirepass pw */
static char version[64];

#define WRONGPASS "WRONGPASS invalid username-password pair or user is disabled."
#define NOAUTH "NOAUTH Authentication required."
#define BAD_NAME "ERR Client names cannot contain spaces, newlines or special characters."

static void t_start(void) {
    S = srv_start(NULL);
    SPW = srv_start((const char *[]){"--requirepass", "pw", NULL});
    redisContext *c = srv_connect(S);
    char *v = info_field(c, "server", "redis_version");
    CHECK(v && strncmp(v, "7.", 2) == 0); /* clients gate features on a 7.x version */
    snprintf(version, sizeof version, "%s", v ? v : "?");
    free(v);
    redisFree(c);
}

/* The exact HELLO reply for this server, in RESP2 or RESP3. */
static char *hello_bytes(int proto, long long id) {
    char *buf = malloc(512);
    snprintf(buf, 512,
             "%s$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$%zu\r\n%s\r\n$5\r\nproto\r\n:%d\r\n"
             "$2\r\nid\r\n:%lld\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
             "$7\r\nmodules\r\n*0\r\n",
             proto == 3 ? "%7\r\n" : "*14\r\n", strlen(version), version, proto, id);
    return buf;
}

/* Send a command on a raw socket and parse an integer reply; -1 on failure. */
static long long raw_int(int fd, const char *cmd) {
    raw_send_str(fd, cmd);
    size_t len;
    char *f = raw_read_frame(fd, &len);
    long long v = f[0] == ':' ? strtoll(f + 1, NULL, 10) : -1;
    if (f[0] != ':') test_fail(__FILE__, __LINE__, "expected an integer reply to %s", cmd);
    free(f);
    return v;
}

static void t_ping_echo(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "PONG", "PING");
    EXPECT_BULK(c, "hello world", "PING %s", "hello world");
    EXPECT_BULK(c, "", "PING %s", "");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'ping' command", "PING a b");
    EXPECT_BULK(c, "hi", "ECHO hi");
    EXPECT_BULK_LEN(c, "a\0\r\nb", 5, "ECHO %b", "a\0\r\nb", (size_t)5);
    EXPECT_ERR(c, "ERR wrong number of arguments for 'echo' command", "ECHO");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'echo' command", "ECHO a b");
    redisFree(c);
}

static void t_hello_resp2(void) {
    redisContext *c = srv_connect(S);
    long long id = CMD_INT(c, "CLIENT ID");
    redisReply *r = CMD(c, "HELLO");
    static const char *keys[] = {"server", "version", "proto", "id", "mode", "role", "modules"};
    if (CHECK_REPLY_ARRAY(r, 14)) {
        for (int i = 0; i < 7; i++) CHECK_REPLY_BULK(r->element[2 * i], keys[i]);
        CHECK_REPLY_BULK(r->element[1], "redis");
        CHECK_REPLY_BULK(r->element[3], version);
        CHECK_REPLY_INT(r->element[5], 2);
        CHECK_REPLY_INT(r->element[7], id);
        CHECK_REPLY_BULK(r->element[9], "standalone");
        CHECK_REPLY_BULK(r->element[11], "master");
        CHECK_REPLY_ARRAY(r->element[13], 0);
    }
    freeReplyObject(r);
    r = CMD(c, "HELLO 2 SETNAME myconn");
    CHECK_REPLY_ARRAY(r, 14);
    freeReplyObject(r);
    EXPECT_BULK(c, "myconn", "CLIENT GETNAME");
    EXPECT_ERR(c, "NOPROTO unsupported protocol version", "HELLO 4");
    EXPECT_ERR(c, "NOPROTO unsupported protocol version", "HELLO 1");
    EXPECT_ERR(c, "NOPROTO unsupported protocol version", "HELLO 0");
    EXPECT_ERR(c, "ERR Protocol version is not an integer or out of range", "HELLO abc");
    EXPECT_ERR(c, "ERR Syntax error in HELLO option 'auth'", "HELLO 3 auth");
    EXPECT_ERR(c, "ERR Syntax error in HELLO option 'AUTH'", "HELLO 3 AUTH default");
    EXPECT_ERR(c, "ERR Syntax error in HELLO option 'setname'", "HELLO 3 setname");
    EXPECT_ERR(c, "ERR Syntax error in HELLO option 'Foo'", "HELLO 2 Foo");
    EXPECT_ERR(c, BAD_NAME, "HELLO 2 SETNAME %s", "a b");
    EXPECT_BULK(c, "myconn", "CLIENT GETNAME"); /* failed HELLOs changed nothing */
    EXPECT_NIL(c, "GET nokey"); /* still RESP2 */
    /* Without a password the default user takes any password. */
    r = CMD(c, "HELLO 2 AUTH default whatever");
    CHECK_REPLY_ARRAY(r, 14);
    freeReplyObject(r);
    EXPECT_ERR(c, WRONGPASS, "HELLO 2 AUTH nosuchuser whatever");
    redisFree(c);
}

static void t_hello_resp3_raw(void) {
    int fd = raw_connect(S);
    long long id = raw_int(fd, "CLIENT ID\r\n");
    char *want = hello_bytes(3, id);
    raw_send_str(fd, "HELLO 3\r\n");
    raw_expect_str(fd, want);
    free(want);
    raw_send_str(fd, "GET nokey\r\nPING\r\n");
    raw_expect_str(fd, "_\r\n+PONG\r\n");
    /* HELLO with no version reports the current protocol. */
    want = hello_bytes(3, id);
    raw_send_str(fd, "HELLO\r\n");
    raw_expect_str(fd, want);
    free(want);
    want = hello_bytes(2, id);
    raw_send_str(fd, "HELLO 2\r\n");
    raw_expect_str(fd, want);
    free(want);
    raw_send_str(fd, "GET nokey\r\n");
    raw_expect_str(fd, "$-1\r\n");
    /* SETNAME applies together with the protocol switch. */
    want = hello_bytes(3, id);
    raw_send_str(fd, "HELLO 3 SETNAME viahello\r\nCLIENT GETNAME\r\n");
    raw_expect_str(fd, want);
    raw_expect_str(fd, "$8\r\nviahello\r\n");
    free(want);
    raw_send_str(fd, "HELLO 4\r\n");
    raw_expect_str(fd, "-NOPROTO unsupported protocol version\r\n");
    close(fd);
}

static void t_hello_auth(void) {
    int fd = raw_connect(SPW);
    raw_send_str(fd, "HELLO 3\r\n");
    raw_expect_str(fd, "-NOAUTH HELLO must be called with the client already authenticated, "
                       "otherwise the HELLO AUTH <user> <pass> option can be used to authenticate "
                       "the client and select the RESP protocol version at the same time\r\n");
    raw_send_str(fd, "HELLO 3 AUTH default wrong\r\n");
    raw_expect_str(fd, "-" WRONGPASS "\r\n");
    raw_send_str(fd, "HELLO 3 AUTH nosuchuser pw\r\n");
    raw_expect_str(fd, "-" WRONGPASS "\r\n");
    raw_send_str(fd, "HELLO 4 AUTH default pw\r\n"); /* the version is checked first */
    raw_expect_str(fd, "-NOPROTO unsupported protocol version\r\n");
    raw_send_str(fd, "GET k\r\n");
    raw_expect_str(fd, "-" NOAUTH "\r\n");
    raw_send_str(fd, "CLIENT ID\r\n");
    raw_expect_str(fd, "-" NOAUTH "\r\n");
    close(fd);

    fd = raw_connect(SPW);
    raw_send_str(fd, "HELLO 3 AUTH default pw SETNAME app\r\nCLIENT GETNAME\r\nGET nokey\r\n");
    size_t len;
    char *got = raw_read_frame(fd, &len);
    raw_expect_str(fd, "$3\r\napp\r\n_\r\n");
    char *want = hello_bytes(3, raw_int(fd, "CLIENT ID\r\n"));
    CHECK_EQ_STR(got, want);
    free(want);
    free(got);
    close(fd);
}

static void t_auth(void) {
    redisContext *c = srv_connect(SPW);
    EXPECT_ERR(c, NOAUTH, "PING");
    EXPECT_ERR(c, NOAUTH, "GET k");
    EXPECT_ERR(c, NOAUTH, "SELECT 1");
    EXPECT_ERR(c, NOAUTH, "CLIENT SETNAME x");
    /* Unknown commands and wrong arity are reported before authentication. */
    EXPECT_ERR(c, "ERR unknown command 'nosuchcmd', with args beginning with: ", "nosuchcmd");
    EXPECT_ERR(c, WRONGPASS, "AUTH wrong");
    EXPECT_ERR(c, WRONGPASS, "AUTH default wrong");
    EXPECT_ERR(c, WRONGPASS, "AUTH someone pw");
    EXPECT_ERR(c, "ERR syntax error", "AUTH a b c");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'auth' command", "AUTH");
    EXPECT_ERR(c, NOAUTH, "PING");
    EXPECT_STATUS(c, "OK", "AUTH pw");
    EXPECT_STATUS(c, "PONG", "PING");
    EXPECT_STATUS(c, "OK", "SET k v");
    /* A later failed AUTH does not log the connection out. */
    EXPECT_ERR(c, WRONGPASS, "AUTH wrong");
    EXPECT_BULK(c, "v", "GET k");
    redisFree(c);
    c = srv_connect(SPW);
    EXPECT_STATUS(c, "OK", "AUTH default pw");
    EXPECT_BULK(c, "v", "GET k");
    /* Changing requirepass at run time: this connection stays in, new ones need the new one. */
    EXPECT_STATUS(c, "OK", "CONFIG SET requirepass pw2");
    EXPECT_STATUS(c, "PONG", "PING");
    redisContext *c2 = srv_connect(SPW);
    EXPECT_ERR(c2, NOAUTH, "PING");
    EXPECT_ERR(c2, WRONGPASS, "AUTH pw");
    EXPECT_STATUS(c2, "OK", "AUTH pw2");
    EXPECT_STATUS(c2, "OK", "CONFIG SET requirepass pw");
    redisFree(c2);
    redisFree(c);
    /* Without a password configured. */
    c = srv_connect(S);
    EXPECT_ERR(c, "ERR AUTH <password> called without any password configured for the default "
                  "user. Are you sure your configuration is correct?",
               "AUTH x");
    EXPECT_STATUS(c, "OK", "AUTH default anything"); /* the default user has no password */
    EXPECT_ERR(c, WRONGPASS, "AUTH nosuchuser x");
    redisFree(c);
}

static void t_quit(void) {
    int fd = raw_connect(S);
    raw_send_str(fd, "PING\r\nQUIT\r\nPING\r\n");
    raw_expect_str(fd, "+PONG\r\n+OK\r\n");
    raw_expect_closed(fd);
    close(fd);
    fd = raw_connect(SPW); /* QUIT needs no authentication */
    raw_send_str(fd, "QUIT\r\n");
    raw_expect_str(fd, "+OK\r\n");
    raw_expect_closed(fd);
    close(fd);
}

static void t_reset(void) {
    int fd = raw_connect(S);
    raw_send_str(fd, "HELLO 3\r\n");
    free(raw_read_frame(fd, NULL));
    raw_send_str(fd, "SELECT 2\r\nSET rk v\r\nCLIENT SETNAME foo\r\nCLIENT REPLY SKIP\r\nPING\r\n"
                     "RESET\r\nGET nokey\r\nCLIENT GETNAME\r\nGET rk\r\nPING\r\n");
    raw_expect_str(fd, "+OK\r\n+OK\r\n+OK\r\n+RESET\r\n$-1\r\n$-1\r\n$-1\r\n+PONG\r\n");
    raw_send_str(fd, "SELECT 2\r\nDEL rk\r\n");
    raw_expect_str(fd, "+OK\r\n:1\r\n");
    close(fd);
    /* RESET also logs the connection out. */
    fd = raw_connect(SPW);
    raw_send_str(fd, "RESET\r\nAUTH pw\r\nPING\r\nRESET\r\nPING\r\n");
    raw_expect_str(fd, "+RESET\r\n+OK\r\n+PONG\r\n+RESET\r\n-" NOAUTH "\r\n");
    close(fd);
}

static void t_client_id_name(void) {
    redisContext *c1 = srv_connect(S), *c2 = srv_connect(S);
    long long id1 = CMD_INT(c1, "CLIENT ID"), id2 = CMD_INT(c2, "CLIENT ID");
    CHECK(id1 > 0 && id2 > id1);
    EXPECT_INT(c1, id1, "CLIENT ID");
    EXPECT_NIL(c1, "CLIENT GETNAME");
    EXPECT_STATUS(c1, "OK", "CLIENT SETNAME conn-1");
    EXPECT_BULK(c1, "conn-1", "CLIENT GETNAME");
    EXPECT_NIL(c2, "CLIENT GETNAME");
    EXPECT_STATUS(c1, "OK", "CLIENT SETNAME %s", "~!{}");
    EXPECT_BULK(c1, "~!{}", "CLIENT GETNAME");
    EXPECT_ERR(c1, BAD_NAME, "CLIENT SETNAME %s", "a b");
    EXPECT_ERR(c1, BAD_NAME, "CLIENT SETNAME %s", "a\nb");
    EXPECT_ERR(c1, BAD_NAME, "CLIENT SETNAME %b", "\x01", (size_t)1);
    EXPECT_ERR(c1, BAD_NAME, "CLIENT SETNAME %b", "a\x7f", (size_t)2);
    EXPECT_BULK(c1, "~!{}", "CLIENT GETNAME");
    EXPECT_STATUS(c1, "OK", "CLIENT SETNAME %s", ""); /* clears the name */
    EXPECT_NIL(c1, "CLIENT GETNAME");
    EXPECT_ERR(c1, "ERR wrong number of arguments for 'client|setname' command", "CLIENT SETNAME");
    EXPECT_ERR(c1, "ERR wrong number of arguments for 'client|id' command", "CLIENT ID x");
    EXPECT_ERR(c1, "ERR wrong number of arguments for 'client' command", "CLIENT");
    EXPECT_ERR(c1, "ERR unknown subcommand 'foo'. Try CLIENT HELP.", "CLIENT foo");
    redisFree(c1);
    redisFree(c2);
}

/* The CLIENT LIST line of the connection with this id, or NULL (malloc'd). */
static char *line_for(const char *list, long long id) {
    char key[32];
    int kl = snprintf(key, sizeof key, "id=%lld ", id);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, '\n');
        if (!e) e = p + strlen(p);
        if (strncmp(p, key, (size_t)kl) == 0) return strndup(p, (size_t)(e - p));
        p = *e ? e + 1 : e;
    }
    return NULL;
}

static bool has_field(const char *line, const char *field) {
    size_t fl = strlen(field);
    for (const char *p = line; p && *p; p = strchr(p, ' '), p = p ? p + 1 : p)
        if (strncmp(p, field, fl) == 0 && (p[fl] == ' ' || p[fl] == '\0')) return true;
    return false;
}

#define CHECK_FIELD(line, ...)                                                                     \
    do {                                                                                           \
        char f_[256];                                                                              \
        snprintf(f_, sizeof f_, __VA_ARGS__);                                                      \
        if (!line || !has_field(line, f_))                                                         \
            test_fail(__FILE__, __LINE__, "no \"%s\" in \"%s\"", f_, line ? line : "(null)");      \
    } while (0)

static void t_client_list_info(void) {
    redisContext *c1 = srv_connect(S), *c2 = srv_connect(S);
    long long id1 = CMD_INT(c1, "CLIENT ID"), id2 = CMD_INT(c2, "CLIENT ID");
    EXPECT_STATUS(c2, "OK", "CLIENT SETNAME second");
    EXPECT_STATUS(c2, "OK", "SELECT 4");
    char *list = CMD_STR(c1, "CLIENT LIST");
    CHECK(list && strlen(list) > 0 && list[strlen(list) - 1] == '\n');
    char *l1 = line_for(list, id1), *l2 = line_for(list, id2);
    CHECK_FIELD(l1, "addr=127.0.0.1:%d", conn_local_port(c1->fd));
    CHECK_FIELD(l1, "laddr=127.0.0.1:%d", srv_port(S));
    CHECK_FIELD(l1, "name=");
    CHECK_FIELD(l1, "db=0");
    CHECK_FIELD(l1, "cmd=client|list");
    CHECK_FIELD(l1, "resp=2");
    CHECK_FIELD(l1, "flags=N");
    CHECK_FIELD(l2, "addr=127.0.0.1:%d", conn_local_port(c2->fd));
    CHECK_FIELD(l2, "name=second");
    CHECK_FIELD(l2, "db=4");
    CHECK_FIELD(l2, "cmd=select");
    free(l1);
    free(l2);
    free(list);
    /* Filters. */
    list = CMD_STR(c1, "CLIENT LIST ID %lld", id2);
    l2 = line_for(list, id2);
    CHECK(l2 && list && strlen(list) == strlen(l2) + 1);
    free(l2);
    free(list);
    list = CMD_STR(c1, "CLIENT LIST ID %lld %lld 999999999", id1, id2);
    l1 = line_for(list, id1), l2 = line_for(list, id2);
    CHECK(l1 && l2 && list && strlen(list) == strlen(l1) + strlen(l2) + 2);
    free(l1);
    free(l2);
    free(list);
    list = CMD_STR(c1, "CLIENT LIST TYPE normal");
    l1 = line_for(list, id1);
    CHECK(l1 != NULL);
    free(l1);
    free(list);
    EXPECT_BULK(c1, "", "CLIENT LIST ID 999999999");
    EXPECT_ERR(c1, "ERR Unknown client type 'foo'", "CLIENT LIST TYPE foo");
    EXPECT_ERR(c1, "ERR Invalid client ID", "CLIENT LIST ID x");
    EXPECT_ERR(c1, "ERR syntax error", "CLIENT LIST foo");
    /* CLIENT INFO: this connection's line only. */
    char *info = CMD_STR(c2, "CLIENT INFO");
    CHECK(info && strlen(info) > 0 && info[strlen(info) - 1] == '\n' && !strchr(info, '\n')[1]);
    l2 = line_for(info, id2);
    CHECK_FIELD(l2, "cmd=client|info");
    CHECK_FIELD(l2, "name=second");
    free(l2);
    free(info);
    redisFree(c1);
    redisFree(c2);
}

static void t_client_kill(void) {
    redisContext *c = srv_connect(S);
    long long myid = CMD_INT(c, "CLIENT ID");
    /* By ID. */
    int v = raw_connect(S);
    long long vid = raw_int(v, "CLIENT ID\r\n");
    EXPECT_INT(c, 1, "CLIENT KILL ID %lld", vid);
    raw_expect_closed(v);
    close(v);
    EXPECT_INT(c, 0, "CLIENT KILL ID %lld", vid);
    /* By address, new form and old form. */
    v = raw_connect(S);
    raw_int(v, "CLIENT ID\r\n"); /* make sure the server has accepted it */
    EXPECT_INT(c, 1, "CLIENT KILL ADDR 127.0.0.1:%d", conn_local_port(v));
    raw_expect_closed(v);
    close(v);
    v = raw_connect(S);
    raw_int(v, "CLIENT ID\r\n"); /* make sure the server has accepted it */
    EXPECT_STATUS(c, "OK", "CLIENT KILL 127.0.0.1:%d", conn_local_port(v));
    raw_expect_closed(v);
    close(v);
    EXPECT_ERR(c, "ERR No such client", "CLIENT KILL 127.0.0.1:1");
    EXPECT_INT(c, 0, "CLIENT KILL ADDR 127.0.0.1:1");
    EXPECT_INT(c, 0, "CLIENT KILL ID 999999999");
    EXPECT_INT(c, 0, "CLIENT KILL LADDR 127.0.0.1:1");
    /* SKIPME defaults to yes. */
    EXPECT_INT(c, 0, "CLIENT KILL ID %lld", myid);
    EXPECT_STATUS(c, "PONG", "PING");
    EXPECT_ERR(c, "ERR client-id should be greater than 0", "CLIENT KILL ID 0");
    EXPECT_ERR(c, "ERR client-id should be greater than 0", "CLIENT KILL ID x");
    EXPECT_ERR(c, "ERR syntax error", "CLIENT KILL a b c");
    EXPECT_ERR(c, "ERR No such client", "CLIENT KILL ID"); /* one argument: the old form, addr "ID" */
    EXPECT_ERR(c, "ERR wrong number of arguments for 'client|kill' command", "CLIENT KILL");
    redisFree(c);
    /* Killing yourself with SKIPME no: the reply still arrives, then the close. */
    v = raw_connect(S);
    vid = raw_int(v, "CLIENT ID\r\n");
    char cmd[96];
    snprintf(cmd, sizeof cmd, "CLIENT KILL ID %lld SKIPME no\r\nPING\r\n", vid);
    raw_send_str(v, cmd);
    raw_expect_str(v, ":1\r\n");
    raw_expect_closed(v);
    close(v);
}

static void t_client_reply(void) {
    int fd = raw_connect(S);
    raw_send_str(fd, "CLIENT REPLY OFF\r\nPING\r\nSET cr 1\r\nCLIENT REPLY ON\r\nGET cr\r\n");
    raw_expect_str(fd, "+OK\r\n$1\r\n1\r\n");
    raw_send_str(fd, "CLIENT REPLY SKIP\r\nPING a\r\nPING b\r\n");
    raw_expect_str(fd, "$1\r\nb\r\n");
    raw_send_str(fd, "client reply skip\r\nGET nokey\r\nCLIENT REPLY ON\r\n");
    raw_expect_str(fd, "+OK\r\n");
    raw_send_str(fd, "CLIENT REPLY OFF\r\nGET\r\nCLIENT REPLY ON\r\n"); /* errors are silenced too */
    raw_expect_str(fd, "+OK\r\n");
    raw_send_str(fd, "CLIENT REPLY maybe\r\nDEL cr\r\n");
    raw_expect_str(fd, "-ERR syntax error\r\n:1\r\n");
    close(fd);
}

static void t_client_flags(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "CLIENT NO-EVICT ON");
    EXPECT_STATUS(c, "OK", "CLIENT NO-EVICT off");
    EXPECT_ERR(c, "ERR syntax error", "CLIENT NO-EVICT maybe");
    /* CLIENT NO-TOUCH and CLIENT SETINFO arrived in Redis 7.2; 7.0.15 answers with an
     * unknown-subcommand error. Either reply is fine for clients, as long as one comes. */
    static const char *cmds[][2] = {
        {"CLIENT NO-TOUCH ON", "ERR unknown subcommand 'NO-TOUCH'. Try CLIENT HELP."},
        {"CLIENT NO-TOUCH OFF", "ERR unknown subcommand 'NO-TOUCH'. Try CLIENT HELP."},
        {"CLIENT SETINFO LIB-NAME mylib", "ERR unknown subcommand 'SETINFO'. Try CLIENT HELP."},
        {"CLIENT SETINFO LIB-VER 1.2.3", "ERR unknown subcommand 'SETINFO'. Try CLIENT HELP."},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        redisReply *r = CMD(c, cmds[i][0]);
        if (!(r && r->type == REDIS_REPLY_STATUS && !strcmp(r->str, "OK")))
            CHECK_REPLY_ERR(r, cmds[i][1]);
        if (r) freeReplyObject(r);
    }
    EXPECT_STATUS(c, "PONG", "PING");
    redisFree(c);
}

/* One handshake reply that may be +OK or the 7.0 unknown-subcommand error. */
static void expect_ok_or_unknown_sub(const char *file, int line, int fd, const char *sub) {
    size_t len;
    char *f = raw_read_frame_at(file, line, fd, &len);
    char err[128];
    snprintf(err, sizeof err, "-ERR unknown subcommand '%s'. Try CLIENT HELP.\r\n", sub);
    if (strcmp(f, "+OK\r\n") != 0 && strcmp(f, err) != 0) {
        char *e = escape_bytes(f, len, 200);
        test_fail(file, line, "got \"%s\", expected +OK or %s", e, err);
        free(e);
    }
    free(f);
}
#define EXPECT_OK_OR_UNKNOWN_SUB(fd, sub) expect_ok_or_unknown_sub(__FILE__, __LINE__, (fd), (sub))

static void expect_error_frame(const char *file, int line, int fd) {
    size_t len;
    char *f = raw_read_frame_at(file, line, fd, &len);
    if (strncmp(f, "-ERR ", 5) != 0) test_fail(file, line, "expected an error reply, got \"%s\"", f);
    free(f);
}

/* INFO over RESP3 is a verbatim string (a bulk string is accepted too) with loading:0 and
 * the real port; ioredis parses it on every connect. */
static void expect_info_ready(const char *file, int line, int fd, int port) {
    raw_send_str(fd, "INFO\r\n");
    size_t len;
    char *f = raw_read_frame_at(file, line, fd, &len);
    char want[64];
    snprintf(want, sizeof want, "\r\ntcp_port:%d\r\n", port);
    if (!((f[0] == '=' && strstr(f, "\r\ntxt:# Server\r\n")) || (f[0] == '$' && strstr(f, "\r\n# Server\r\n"))))
        test_fail(file, line, "INFO reply is neither verbatim nor bulk: %.60s", f);
    if (!strstr(f, "\r\nloading:0\r\n")) test_fail(file, line, "INFO lacks loading:0");
    if (!strstr(f, want)) test_fail(file, line, "INFO lacks %s", want + 2);
    free(f);
}

static void t_handshake_ioredis(void) {
    int fd = raw_connect(S);
    raw_send_str(fd, "*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n"
                     "*4\r\n$6\r\nCLIENT\r\n$7\r\nSETINFO\r\n$7\r\nLIB-VER\r\n$5\r\n5.3.2\r\n"
                     "*4\r\n$6\r\nCLIENT\r\n$7\r\nSETINFO\r\n$8\r\nLIB-NAME\r\n$7\r\nioredis\r\n");
    size_t len;
    char *f = raw_read_frame(fd, &len);
    CHECK(strncmp(f, "%7\r\n$6\r\nserver\r\n", 16) == 0);
    free(f);
    EXPECT_OK_OR_UNKNOWN_SUB(fd, "SETINFO");
    EXPECT_OK_OR_UNKNOWN_SUB(fd, "SETINFO");
    expect_info_ready(__FILE__, __LINE__, fd, srv_port(S));
    /* With options: SELECT and CLIENT SETNAME after the ready check. */
    raw_send_str(fd, "*2\r\n$6\r\nselect\r\n$1\r\n3\r\n*3\r\n$6\r\nclient\r\n$7\r\nsetname\r\n$2\r\nio\r\n"
                     "*1\r\n$4\r\nPING\r\n");
    raw_expect_str(fd, "+OK\r\n+OK\r\n+PONG\r\n");
    close(fd);
    /* With a password: HELLO 3 AUTH default pw. */
    fd = raw_connect(SPW);
    raw_send_str(fd, "*5\r\n$5\r\nHELLO\r\n$1\r\n3\r\n$4\r\nAUTH\r\n$7\r\ndefault\r\n$2\r\npw\r\n"
                     "*4\r\n$6\r\nCLIENT\r\n$7\r\nSETINFO\r\n$7\r\nLIB-VER\r\n$5\r\n5.3.2\r\n"
                     "*4\r\n$6\r\nCLIENT\r\n$7\r\nSETINFO\r\n$8\r\nLIB-NAME\r\n$7\r\nioredis\r\n");
    f = raw_read_frame(fd, &len);
    CHECK(strncmp(f, "%7\r\n$6\r\nserver\r\n", 16) == 0);
    free(f);
    EXPECT_OK_OR_UNKNOWN_SUB(fd, "SETINFO");
    EXPECT_OK_OR_UNKNOWN_SUB(fd, "SETINFO");
    expect_info_ready(__FILE__, __LINE__, fd, srv_port(SPW));
    close(fd);
}

static void t_handshake_node_redis(void) {
    int fd = raw_connect(SPW);
    raw_send_str(fd, "*5\r\n$5\r\nHELLO\r\n$1\r\n3\r\n$4\r\nAUTH\r\n$7\r\ndefault\r\n$2\r\npw\r\n"
                     "*4\r\n$6\r\nCLIENT\r\n$7\r\nSETINFO\r\n$7\r\nLIB-VER\r\n$5\r\n5.8.2\r\n"
                     "*4\r\n$6\r\nCLIENT\r\n$7\r\nSETINFO\r\n$8\r\nLIB-NAME\r\n$10\r\nnode-redis\r\n"
                     "*5\r\n$6\r\nCLIENT\r\n$19\r\nMAINT_NOTIFICATIONS\r\n$2\r\nON\r\n"
                     "$20\r\nmoving-endpoint-type\r\n$11\r\ninternal-ip\r\n"
                     "*2\r\n$3\r\nGET\r\n$5\r\nnokey\r\n");
    size_t len;
    char *f = raw_read_frame(fd, &len);
    CHECK(strncmp(f, "%7\r\n$6\r\nserver\r\n", 16) == 0);
    free(f);
    EXPECT_OK_OR_UNKNOWN_SUB(fd, "SETINFO");
    EXPECT_OK_OR_UNKNOWN_SUB(fd, "SETINFO");
    expect_error_frame(__FILE__, __LINE__, fd); /* unknown to the server, but answered in order */
    raw_expect_str(fd, "_\r\n");
    close(fd);
    /* With RESP: 2: AUTH, CLIENT SETNAME, SELECT, then the two SETINFOs, in one write. */
    fd = raw_connect(SPW);
    raw_send_str(fd, "*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n"
                     "*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$4\r\nnode\r\n"
                     "*2\r\n$6\r\nSELECT\r\n$1\r\n5\r\n"
                     "*4\r\n$6\r\nCLIENT\r\n$7\r\nSETINFO\r\n$7\r\nLIB-VER\r\n$5\r\n5.8.2\r\n"
                     "*4\r\n$6\r\nCLIENT\r\n$7\r\nSETINFO\r\n$8\r\nLIB-NAME\r\n$10\r\nnode-redis\r\n"
                     "*2\r\n$3\r\nGET\r\n$5\r\nnokey\r\n");
    raw_expect_str(fd, "+OK\r\n+OK\r\n+OK\r\n");
    EXPECT_OK_OR_UNKNOWN_SUB(fd, "SETINFO");
    EXPECT_OK_OR_UNKNOWN_SUB(fd, "SETINFO");
    raw_expect_str(fd, "$-1\r\n");
    close(fd);
}

static void t_handshake_redis_py_rb_cli(void) {
    /* redis-py: AUTH [user] pw, CLIENT SETNAME, SELECT n, pipelined. */
    int fd = raw_connect(SPW);
    raw_send_str(fd, "*3\r\n$4\r\nAUTH\r\n$7\r\ndefault\r\n$2\r\npw\r\n"
                     "*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$2\r\npy\r\n"
                     "*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n"
                     "*1\r\n$6\r\nCLIENT\r\n" /* arity error, still in order */
                     "*2\r\n$6\r\nCLIENT\r\n$7\r\nGETNAME\r\n");
    raw_expect_str(fd, "+OK\r\n+OK\r\n+OK\r\n"
                       "-ERR wrong number of arguments for 'client' command\r\n$2\r\npy\r\n");
    close(fd);
    /* redis-rb: lower-case auth and select. */
    fd = raw_connect(SPW);
    raw_send_str(fd, "*2\r\n$4\r\nauth\r\n$2\r\npw\r\n*2\r\n$6\r\nselect\r\n$1\r\n1\r\n*1\r\n$4\r\nping\r\n");
    raw_expect_str(fd, "+OK\r\n+OK\r\n+PONG\r\n");
    close(fd);
    /* redis-cli -3 against a server with a password: HELLO 3 refused, goes on in RESP2. */
    fd = raw_connect(SPW);
    raw_send_str(fd, "*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n");
    size_t len;
    char *f = raw_read_frame(fd, &len);
    CHECK(strncmp(f, "-NOAUTH ", 8) == 0);
    free(f);
    raw_send_str(fd, "*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*2\r\n$3\r\nGET\r\n$5\r\nnokey\r\n");
    raw_expect_str(fd, "+OK\r\n$-1\r\n");
    close(fd);
}

static void t_unknown_and_arity(void) {
    redisContext *c = srv_connect(S);
    EXPECT_ERR(c, "ERR unknown command 'foo', with args beginning with: 'a' 'b' ", "foo a b");
    EXPECT_ERR(c, "ERR unknown command 'foo', with args beginning with: ", "foo");
    EXPECT_ERR(c, "ERR unknown command 'FOO', with args beginning with: 'a b' 'c' ", "FOO %s c", "a b");
    EXPECT_ERR(c, "ERR unknown command '', with args beginning with: ", "%s", "");
    /* Newlines in the echoed text become spaces. */
    EXPECT_ERR(c, "ERR unknown command 'foo', with args beginning with: 'a b' ", "foo %s", "a\nb");
    EXPECT_ERR(c, "ERR unknown command 'foo', with args beginning with: 'a  b' ", "foo %s", "a\r\nb");
    /* The argument list is cut once it reaches 128 characters... */
    EXPECT_ERR(c,
               "ERR unknown command 'foo', with args beginning with: '1' '2' '3' '4' '5' '6' '7' '8' "
               "'9' '10' '11' '12' '13' '14' '15' '16' '17' '18' '19' '20' '21' '22' '23' '24' '25' "
               "'26' '27' '28' ",
               "foo 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30");
    /* ...and each argument (and the name) to 128 characters. */
    char longarg[201], want[400];
    memset(longarg, 'x', 200);
    longarg[200] = '\0';
    snprintf(want, sizeof want, "ERR unknown command 'foo', with args beginning with: '%.128s' ", longarg);
    EXPECT_ERR(c, want, "foo %s y", longarg);
    snprintf(want, sizeof want, "ERR unknown command '%.128s', with args beginning with: ", longarg);
    EXPECT_ERR(c, want, "%s", longarg);
    /* Arity errors name the command in lower case, whatever the case sent. */
    EXPECT_ERR(c, "ERR wrong number of arguments for 'get' command", "GET");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'get' command", "gEt a b");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'set' command", "SET a");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'client|getname' command", "CLIENT GETNAME x");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'config|get' command", "CONFIG GET");
    EXPECT_ERR(c, "ERR unknown subcommand 'Foo'. Try CLIENT HELP.", "CLIENT Foo");
    EXPECT_ERR(c, "ERR unknown subcommand 'foo'. Try CONFIG HELP.", "config foo");
    EXPECT_STATUS(c, "PONG", "PING"); /* errors do not break the connection */
    redisFree(c);
}

static void t_select_per_connection(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "SELECT 6");
    EXPECT_STATUS(c, "OK", "SET sk v6");
    redisContext *c2 = srv_connect(S);
    EXPECT_NIL(c2, "GET sk");
    EXPECT_STATUS(c2, "OK", "SELECT 6");
    EXPECT_BULK(c2, "v6", "GET sk");
    EXPECT_INT(c2, 1, "DEL sk");
    EXPECT_ERR(c, "ERR DB index is out of range", "SELECT 16");
    EXPECT_ERR(c, "ERR value is not an integer or out of range", "SELECT x");
    redisFree(c2);
    redisFree(c);
}

static void t_stop(void) {
    CHECK(srv_stop(S));
    CHECK(srv_stop(SPW));
    S = SPW = NULL;
}

int main(void) {
    test_run("start servers", t_start);
    if (!S || !SPW) return test_summary("conn");
    test_run("PING ECHO", t_ping_echo);
    test_run("HELLO in RESP2, options and errors", t_hello_resp2);
    test_run("HELLO 3 raw", t_hello_resp3_raw);
    test_run("HELLO with AUTH", t_hello_auth);
    test_run("AUTH and NOAUTH", t_auth);
    test_run("QUIT", t_quit);
    test_run("RESET", t_reset);
    test_run("CLIENT ID SETNAME GETNAME", t_client_id_name);
    test_run("CLIENT LIST INFO", t_client_list_info);
    test_run("CLIENT KILL", t_client_kill);
    test_run("CLIENT REPLY", t_client_reply);
    test_run("CLIENT NO-EVICT NO-TOUCH SETINFO", t_client_flags);
    test_run("handshake: ioredis", t_handshake_ioredis);
    test_run("handshake: node-redis", t_handshake_node_redis);
    test_run("handshake: redis-py, redis-rb, redis-cli -3", t_handshake_redis_py_rb_cli);
    test_run("unknown command and arity errors", t_unknown_and_arity);
    test_run("SELECT per connection", t_select_per_connection);
    test_run("servers exit cleanly", t_stop);
    if (S) srv_stop(S);
    if (SPW) srv_stop(SPW);
    return test_summary("conn");
}
