/* src/cmd_conn.c: connection commands: PING ECHO HELLO AUTH QUIT RESET CLIENT. */
#include <stdio.h>
#include <strings.h>

#include "../utils/num.h"
#include "../utils/sbuf.h"
#include "multi.h"
#include "pubsub.h"
#include "server.h"
#include "tracking.h"

static void cmd_ping(client *c) {
    if (c->argc > 2) {
        reply_err_arity(c);
        return;
    }
    if ((c->flags & CLIENT_PUBSUB) && c->resp == 2) {
        /* In RESP2 subscription mode PING answers in the message format. */
        reply_array(c, 2);
        reply_bulk(c, "pong", 4);
        if (c->argc == 2) reply_bulk(c, c->argv[1], c->argvlen[1]);
        else reply_bulk(c, "", 0);
        return;
    }
    if (c->argc == 2) reply_bulk(c, c->argv[1], c->argvlen[1]);
    else reply_raw(c, "+PONG\r\n", 7);
}

static void cmd_echo(client *c) { reply_bulk(c, c->argv[1], c->argvlen[1]); }

static void cmd_quit(client *c) {
    reply_ok(c);
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
}

/* Compares in time independent of where the strings differ. */
static bool secret_equal(const char *a, size_t alen, const char *b, size_t blen) {
    unsigned char diff = alen != blen;
    for (size_t i = 0; i < alen; i++) diff |= (unsigned char)(a[i] ^ b[i % (blen ? blen : 1)]);
    return diff == 0 && alen == blen;
}

/* Checks user/password against the default user; replies on failure. */
static bool auth_or_reply(client *c, const char *user, size_t ulen, const char *pass, size_t plen) {
    bool ok;
    if (ulen != 7 || memcmp(user, "default", 7) != 0) ok = false;
    else if (!server.requirepass) ok = true; /* the default user has no password */
    else ok = secret_equal(pass, plen, server.requirepass, strlen(server.requirepass));
    if (!ok) {
        reply_error(c, "WRONGPASS invalid username-password pair or user is disabled.");
        return false;
    }
    c->authenticated = true;
    resp_reader_set_limits(&c->reader, server.proto_max_bulk_len, false);
    return true;
}

static void cmd_auth(client *c) {
    if (c->argc > 3) {
        reply_err_syntax(c);
        return;
    }
    if (c->argc == 2) {
        if (!server.requirepass) {
            reply_error(c, "ERR AUTH <password> called without any password configured for the "
                           "default user. Are you sure your configuration is correct?");
            return;
        }
        if (auth_or_reply(c, "default", 7, c->argv[1], c->argvlen[1])) reply_ok(c);
        return;
    }
    if (auth_or_reply(c, c->argv[1], c->argvlen[1], c->argv[2], c->argvlen[2])) reply_ok(c);
}

/* Client names and library names: printable, no spaces. */
static bool valid_name(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (s[i] < '!' || s[i] > '~') return false;
    return true;
}

static void set_string(char **field, const char *s, size_t len) {
    cn_free(*field);
    *field = len ? cn_strndup(s, len) : NULL;
}

static bool setname_or_reply(client *c, const char *name, size_t len) {
    if (!valid_name(name, len)) {
        reply_error(c, "ERR Client names cannot contain spaces, newlines or special characters.");
        return false;
    }
    set_string(&c->name, name, len);
    return true;
}

static void cmd_hello(client *c) {
    long long ver = 0;
    int next = 1;
    if (c->argc >= 2) {
        if (!num_parse_ll(c->argv[1], c->argvlen[1], &ver)) {
            reply_error(c, "ERR Protocol version is not an integer or out of range");
            return;
        }
        next = 2;
        if (ver < 2 || ver > 3) {
            reply_error(c, "NOPROTO unsupported protocol version");
            return;
        }
    }
    const char *user = NULL, *pass = NULL, *name = NULL;
    size_t ulen = 0, plen = 0, nlen = 0;
    for (int j = next; j < c->argc; j++) {
        int left = c->argc - j - 1;
        if (arg_is(c, j, "auth") && left >= 2) {
            user = c->argv[j + 1], ulen = c->argvlen[j + 1];
            pass = c->argv[j + 2], plen = c->argvlen[j + 2];
            j += 2;
        } else if (arg_is(c, j, "setname") && left >= 1) {
            name = c->argv[j + 1], nlen = c->argvlen[j + 1];
            j += 1;
        } else {
            reply_errorf(c, "ERR Syntax error in HELLO option '%.128s'", c->argv[j]);
            return;
        }
    }
    if (user && !auth_or_reply(c, user, ulen, pass, plen)) return;
    if (!c->authenticated) {
        reply_error(c, "NOAUTH HELLO must be called with the client already authenticated, "
                       "otherwise the HELLO AUTH <user> <pass> option can be used to "
                       "authenticate the client and select the RESP protocol version at the same "
                       "time");
        return;
    }
    if (name && !setname_or_reply(c, name, nlen)) return;
    if (ver) client_set_protocol(c, (int)ver);

    reply_map(c, 7);
    reply_bulk_cstr(c, "server");
    reply_bulk_cstr(c, "redis");
    reply_bulk_cstr(c, "version");
    reply_bulk_cstr(c, REDIS_COMPAT_VERSION);
    reply_bulk_cstr(c, "proto");
    reply_int(c, c->resp);
    reply_bulk_cstr(c, "id");
    reply_int(c, (long long)c->id);
    reply_bulk_cstr(c, "mode");
    reply_bulk_cstr(c, "standalone");
    reply_bulk_cstr(c, "role");
    reply_bulk_cstr(c, "master");
    reply_bulk_cstr(c, "modules");
    reply_array(c, 0);
}

static void cmd_reset(client *c) {
    if (c->flags & CLIENT_MONITOR) {
        for (size_t i = 0; i < server.nmonitors; i++) {
            if (server.monitors[i] == c) {
                server.monitors[i] = server.monitors[--server.nmonitors];
                break;
            }
        }
    }
    multi_discard(c);
    pubsub_client_forget(c);
    tracking_client_forget(c);
    c->flags &= ~(CLIENT_MONITOR | CLIENT_PUBSUB | CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP_NEXT |
                  CLIENT_REPLY_SKIP | CLIENT_NO_EVICT | CLIENT_NO_TOUCH);
    c->db = db_get(0);
    set_string(&c->name, NULL, 0);
    client_set_protocol(c, 2);
    if (server.requirepass) {
        c->authenticated = false;
        resp_reader_set_limits(&c->reader, server.proto_max_bulk_len, true);
    }
    reply_simple(c, "RESET");
}

/* ---------------------------------------------------------------- CLIENT */

static void cmd_client_id(client *c) { reply_int(c, (long long)c->id); }

static void cmd_client_setname(client *c) {
    if (setname_or_reply(c, c->argv[2], c->argvlen[2])) reply_ok(c);
}

static void cmd_client_getname(client *c) { reply_bulk_cstr(c, c->name); }

static const char *client_type_name(const client *c) {
    return c->flags & CLIENT_PUBSUB ? "pubsub" : "normal";
}

static void cmd_client_list(client *c) {
    const char *type = NULL;
    int ids_from = 0;
    if (c->argc == 4 && arg_is(c, 2, "type")) {
        type = c->argv[3];
        if (strcasecmp(type, "normal") && strcasecmp(type, "pubsub") && strcasecmp(type, "master") &&
            strcasecmp(type, "replica") && strcasecmp(type, "slave")) {
            reply_errorf(c, "ERR Unknown client type '%s'", type);
            return;
        }
    } else if (c->argc >= 4 && arg_is(c, 2, "id")) {
        ids_from = 3;
        for (int j = 3; j < c->argc; j++) {
            long long id;
            if (!num_parse_ll(c->argv[j], c->argvlen[j], &id)) { /* <= 0: matches none */
                reply_error(c, "ERR Invalid client ID");
                return;
            }
        }
    } else if (c->argc != 2) {
        reply_err_syntax(c);
        return;
    }
    sbuf b = {0};
    for (size_t i = 0; i < server.nclients; i++) {
        client *o = server.clients[i];
        if (type && strcasecmp(type, client_type_name(o))) continue;
        if (ids_from) {
            bool match = false;
            for (int j = ids_from; j < c->argc && !match; j++) {
                long long id;
                num_parse_ll(c->argv[j], c->argvlen[j], &id);
                match = (uint64_t)id == o->id;
            }
            if (!match) continue;
        }
        char *line = client_info_string(o);
        sbuf_cat(&b, line);
        sbuf_cat(&b, "\n");
        cn_free(line);
    }
    reply_verbatim(c, b.buf ? b.buf : "", b.len, "txt");
    sbuf_free(&b);
}

static void cmd_client_info(client *c) {
    char *line = client_info_string(c);
    size_t len = strlen(line);
    char *withnl = cn_malloc(len + 2);
    memcpy(withnl, line, len);
    withnl[len] = '\n';
    reply_verbatim(c, withnl, len + 1, "txt");
    cn_free(withnl);
    cn_free(line);
}

static void cmd_client_kill(client *c) {
    /* Old form: CLIENT KILL addr:port */
    if (c->argc == 3) {
        for (size_t i = 0; i < server.nclients; i++) {
            client *o = server.clients[i];
            if (strcmp(o->addr, c->argv[2]) == 0) {
                reply_ok(c);
                if (o == c) c->flags |= CLIENT_CLOSE_AFTER_REPLY;
                else client_free(o);
                return;
            }
        }
        reply_error(c, "ERR No such client");
        return;
    }
    if (c->argc % 2 != 0) {
        reply_err_syntax(c);
        return;
    }
    long long id = 0, maxage = 0;
    const char *addr = NULL, *laddr = NULL, *type = NULL, *user = NULL;
    bool skipme = true;
    for (int j = 2; j < c->argc; j += 2) {
        const char *v = c->argv[j + 1];
        if (arg_is(c, j, "id")) {
            if (!num_parse_ll(v, c->argvlen[j + 1], &id) || id <= 0) {
                reply_error(c, "ERR client-id should be greater than 0");
                return;
            }
        } else if (arg_is(c, j, "addr")) {
            addr = v;
        } else if (arg_is(c, j, "laddr")) {
            laddr = v;
        } else if (arg_is(c, j, "type")) {
            if (strcasecmp(v, "normal") && strcasecmp(v, "pubsub") && strcasecmp(v, "master") &&
                strcasecmp(v, "replica") && strcasecmp(v, "slave")) {
                reply_errorf(c, "ERR Unknown client type '%s'", v);
                return;
            }
            type = v;
        } else if (arg_is(c, j, "user")) {
            user = v;
        } else if (arg_is(c, j, "skipme")) {
            if (!strcasecmp(v, "yes")) skipme = true;
            else if (!strcasecmp(v, "no")) skipme = false;
            else {
                reply_err_syntax(c);
                return;
            }
        } else if (arg_is(c, j, "maxage")) {
            if (!num_parse_ll(v, c->argvlen[j + 1], &maxage) || maxage < 0) {
                reply_err_syntax(c);
                return;
            }
        } else {
            reply_err_syntax(c);
            return;
        }
    }
    if (user && strcmp(user, "default") != 0) {
        reply_errorf(c, "ERR No such user '%s'", user);
        return;
    }
    long long killed = 0;
    bool kill_self = false;
    /* Iterate backwards: client_free moves the last client into the freed slot. */
    for (size_t i = server.nclients; i-- > 0;) {
        if (i >= server.nclients) continue;
        client *o = server.clients[i];
        if (id && o->id != (uint64_t)id) continue;
        if (addr && strcmp(o->addr, addr)) continue;
        if (laddr && strcmp(o->laddr, laddr)) continue;
        if (type && strcasecmp(type, client_type_name(o))) continue;
        if (maxage && (server.now_ms - o->ctime_ms) / 1000 < maxage) continue;
        if (o == c && skipme) continue;
        if (o->flags & CLIENT_CLOSE_ASAP) continue;
        if (o == c) kill_self = true;
        else client_free(o);
        killed++;
    }
    reply_int(c, killed);
    /* After the reply: a closing client's replies are dropped. */
    if (kill_self) c->flags |= CLIENT_CLOSE_AFTER_REPLY;
}

static void cmd_client_setinfo(client *c) {
    bool is_name = arg_is(c, 2, "lib-name"), is_ver = arg_is(c, 2, "lib-ver");
    if (!is_name && !is_ver) {
        reply_errorf(c, "ERR Unrecognized option '%s'", c->argv[2]);
        return;
    }
    if (!valid_name(c->argv[3], c->argvlen[3])) {
        reply_errorf(c, "ERR %s cannot contain spaces, newlines or special characters.",
                     is_name ? "lib-name" : "lib-ver");
        return;
    }
    set_string(is_name ? &c->lib_name : &c->lib_ver, c->argv[3], c->argvlen[3]);
    reply_ok(c);
}

static void cmd_client_reply(client *c) {
    if (arg_is(c, 2, "on")) {
        c->flags &= ~(CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP_NEXT);
        reply_ok(c);
    } else if (arg_is(c, 2, "off")) {
        c->flags |= CLIENT_REPLY_OFF;
    } else if (arg_is(c, 2, "skip")) {
        if (!(c->flags & CLIENT_REPLY_OFF)) c->flags |= CLIENT_REPLY_SKIP_NEXT;
    } else {
        reply_err_syntax(c);
    }
}

static void cmd_client_unblock(client *c) {
    long long id;
    if (!num_parse_ll(c->argv[2], c->argvlen[2], &id)) {
        reply_err_not_int(c);
        return;
    }
    int how = UNBLOCK_TIMEOUT;
    if (c->argc == 4) {
        if (arg_is(c, 3, "timeout")) how = UNBLOCK_TIMEOUT;
        else if (arg_is(c, 3, "error")) how = UNBLOCK_ERROR;
        else {
            reply_error(c, "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            return;
        }
    } else if (c->argc > 4) {
        reply_err_syntax(c);
        return;
    }
    client *target = id > 0 ? client_by_id((uint64_t)id) : NULL;
    reply_int(c, target && unblock_client(target, how) ? 1 : 0);
}

static void flag_on_off(client *c, uint32_t flag) {
    if (arg_is(c, 2, "on")) c->flags |= flag;
    else if (arg_is(c, 2, "off")) c->flags &= ~flag;
    else {
        reply_err_syntax(c);
        return;
    }
    reply_ok(c);
}

static void cmd_client_no_evict(client *c) { flag_on_off(c, CLIENT_NO_EVICT); }
static void cmd_client_no_touch(client *c) { flag_on_off(c, CLIENT_NO_TOUCH); }

static void cmd_client_help(client *c) {
    static const char *const help[] = {
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CACHING (YES|NO)",
        "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
        "GETREDIR",
        "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "    * ID <client-id>",
        "      Kill connections by client id.",
        "    * MAXAGE <maxage>",
        "      Kill connections older than the specified age.",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "    * ID <client-id> [<client-id> ...]",
        "      Return clients with the specified IDs.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        "NO-TOUCH (ON|OFF)",
        "    Will not touch LRU/LFU stats when this mode is on.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Unblock the specified blocked client.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "SETINFO <option> <value>",
        "    Set client meta attr. Options are:",
        "    * LIB-NAME: the client lib name.",
        "    * LIB-VER: the client lib version.",
        "HELP",
        "    Print this help.",
        NULL};
    reply_help(c, help);
}

/* CLIENT PAUSE timeout [WRITE|ALL] */
static void cmd_client_pause(client *c) {
    if (c->argc > 4) {
        reply_error(c, "ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP.");
        return;
    }
    /* The mode first, then the timeout (Redis's order of errors). */
    int kind = PAUSE_ALL;
    if (c->argc == 4) {
        if (arg_is(c, 3, "write")) kind = PAUSE_WRITE;
        else if (!arg_is(c, 3, "all")) {
            reply_error(c, "ERR CLIENT PAUSE mode must be WRITE or ALL");
            return;
        }
    }
    long long ms;
    if (!arg_timeout_ms_or_reply(c, 2, &ms)) return;
    if (ms > INT64_MAX - server.now_ms) ms = INT64_MAX - server.now_ms;
    server_pause(kind, server.now_ms + ms);
    reply_ok(c);
}

static void cmd_client_unpause(client *c) {
    server_unpause();
    reply_ok(c);
}

static command client_subcommands[] = {
    {.name = "id", .proc = cmd_client_id, .arity = 2,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE, .acl = ACL_SLOW | ACL_CONNECTION,
     .group = "connection", .since = "5.0.0",
     .summary = "Returns the client ID for the current connection", .complexity = "O(1)"},
    {.name = "setname", .proc = cmd_client_setname, .arity = 3,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE, .acl = ACL_SLOW | ACL_CONNECTION,
     .group = "connection", .since = "2.6.9", .summary = "Set the current connection name",
     .complexity = "O(1)",
     .args = "connection-name"},
    {.name = "getname", .proc = cmd_client_getname, .arity = 2,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE, .acl = ACL_SLOW | ACL_CONNECTION,
     .group = "connection", .since = "2.6.9", .summary = "Get the current connection name",
     .complexity = "O(1)"},
    {.name = "list", .proc = cmd_client_list, .arity = -2,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS | ACL_CONNECTION, .group = "connection",
     .since = "2.4.0", .summary = "Get the list of client connections",
     .complexity = "O(N) where N is the number of client connections",
     .history = "2.8.12 Added unique client `id` field.\n"
                "5.0.0 Added optional `TYPE` filter.\n"
                "6.0.0 Added `user` field.\n"
                "6.2.0 Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional "
                "`ID` filter.\n"
                "7.0.0 Added `resp`, `multi-mem`, `rbs` and `rbp` fields.\n"
                "7.0.3 Added `ssub` field.",
     .tips = "nondeterministic_output",
     .args = "[TYPE normal_master_replica_pubsub(NORMAL|MASTER|REPLICA|PUBSUB)+5.0.0] "
             "[ID id(client-id:integer...)+6.2.0]"},
    {.name = "info", .proc = cmd_client_info, .arity = 2,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE, .acl = ACL_SLOW | ACL_CONNECTION,
     .group = "connection", .since = "6.2.0",
     .summary = "Returns information about the current client connection.", .complexity = "O(1)",
     .tips = "nondeterministic_output"},
    {.name = "kill", .proc = cmd_client_kill, .arity = -3,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS | ACL_CONNECTION, .group = "connection",
     .since = "2.4.0", .summary = "Kill the connection of a client",
     .complexity = "O(N) where N is the number of client connections",
     .history = "2.8.12 Added new filter format.\n"
                "2.8.12 `ID` option.\n"
                "3.2.0 Added `master` type in for `TYPE` option.\n"
                "5.0.0 Replaced `slave` `TYPE` with `replica`. `slave` still supported for "
                "backward compatibility.\n"
                "6.2.0 `LADDR` option.",
     .args = "filter(ip:port!2.8.12 | new-format("
             "[ID client-id:integer+2.8.12] | "
             "[TYPE normal_master_slave_pubsub(NORMAL|MASTER+3.2.0|SLAVE|REPLICA+5.0.0|PUBSUB)"
             "+2.8.12] | "
             "[USER username] | [ADDR ip:port] | [LADDR ip:port+6.2.0] | [SKIPME yes/no])...)"},
    {.name = "setinfo", .proc = cmd_client_setinfo, .arity = 4,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_SENTINEL,
     .acl = ACL_SLOW | ACL_CONNECTION, .group = "connection", .since = "7.2.0",
     .summary = "Sets information specific to the client or connection.", .complexity = "O(1)",
     .args = "attr('lib-name' libname | 'lib-ver' libver)"},
    {.name = "reply", .proc = cmd_client_reply, .arity = 3,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE, .acl = ACL_SLOW | ACL_CONNECTION,
     .group = "connection", .since = "3.2.0",
     .summary = "Instruct the server whether to reply to commands", .complexity = "O(1)",
     .args = "on_off_skip(ON|OFF|SKIP)"},
    {.name = "unblock", .proc = cmd_client_unblock, .arity = -3,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS | ACL_CONNECTION, .group = "connection",
     .since = "5.0.0",
     .summary = "Unblock a client blocked in a blocking command from a different connection",
     .complexity = "O(log N) where N is the number of client connections",
     .args = "client-id:integer [timeout_error(TIMEOUT|ERROR)]"},
    {.name = "no-evict", .proc = cmd_client_no_evict, .arity = 3,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS | ACL_CONNECTION, .group = "connection",
     .since = "7.0.0", .summary = "Set client eviction mode for the current connection",
     .complexity = "O(1)",
     .args = "enabled(ON|OFF)"},
    {.name = "no-touch", .proc = cmd_client_no_touch, .arity = 3,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE, .acl = ACL_SLOW | ACL_CONNECTION,
     .group = "connection", .since = "7.2.0",
     .summary = "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.",
     .complexity = "O(1)",
     .args = "enabled(ON|OFF)"},
    {.name = "tracking", .proc = cmd_client_tracking, .arity = -3,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE, .acl = ACL_SLOW | ACL_CONNECTION,
     .group = "connection", .since = "6.0.0",
     .summary = "Enable or disable server assisted client side caching support",
     .complexity = "O(1). Some options may introduce additional complexity.",
     .args = "status(ON|OFF) [REDIRECT client-id:integer] [PREFIX prefix...*] [BCAST] [OPTIN] "
             "[OPTOUT] [NOLOOP]"},
    {.name = "caching", .proc = cmd_client_caching, .arity = 3,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE, .acl = ACL_SLOW | ACL_CONNECTION,
     .group = "connection", .since = "6.0.0",
     .summary = "Instruct the server about tracking or not keys in the next request",
     .complexity = "O(1)", .args = "mode(YES|NO)"},
    {.name = "getredir", .proc = cmd_client_getredir, .arity = 2,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE, .acl = ACL_SLOW | ACL_CONNECTION,
     .group = "connection", .since = "6.0.0",
     .summary = "Get tracking notifications redirection client ID if any", .complexity = "O(1)"},
    {.name = "trackinginfo", .proc = cmd_client_trackinginfo, .arity = 2,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE, .acl = ACL_SLOW | ACL_CONNECTION,
     .group = "connection", .since = "6.2.0",
     .summary = "Return information about server assisted client side caching for the current "
                "connection",
     .complexity = "O(1)"},
    {.name = "pause", .proc = cmd_client_pause, .arity = -3,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS | ACL_CONNECTION, .group = "connection",
     .since = "2.9.50", .summary = "Stop processing commands from clients for some time",
     .complexity = "O(1)",
     .history = "6.2.0 `CLIENT PAUSE WRITE` mode added along with the `mode` option.",
     .args = "timeout:integer [mode(WRITE|ALL)+6.2.0]"},
    {.name = "unpause", .proc = cmd_client_unpause, .arity = 2,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS | ACL_CONNECTION, .group = "connection",
     .since = "6.2.0", .summary = "Resume processing of clients that were paused",
     .complexity = "O(N) Where N is the number of paused clients"},
    {.name = "help", .proc = cmd_client_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_SLOW | ACL_CONNECTION, .group = "connection", .since = "5.0.0",
     .summary = "Show helpful text about the different subcommands", .complexity = "O(1)"},
    {0}};

command cmd_table_conn[] = {
    {.name = "ping", .proc = cmd_ping, .arity = -1, .flags = CMD_FAST | CMD_SENTINEL,
     .acl = ACL_FAST | ACL_CONNECTION, .group = "connection", .since = "1.0.0",
     .summary = "Ping the server", .complexity = "O(1)",
     .tips = "request_policy:all_shards response_policy:all_succeeded", .args = "[message]"},
    {.name = "echo", .proc = cmd_echo, .arity = 2, .flags = CMD_LOADING | CMD_STALE | CMD_FAST,
     .acl = ACL_FAST | ACL_CONNECTION, .group = "connection", .since = "1.0.0",
     .summary = "Echo the given string", .complexity = "O(1)",
     .args = "message"},
    {.name = "hello", .proc = cmd_hello, .arity = -1,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_NO_AUTH | CMD_ALLOW_BUSY |
              CMD_SENTINEL,
     .acl = ACL_FAST | ACL_CONNECTION, .group = "connection", .since = "6.0.0",
     .summary = "Handshake with Redis", .complexity = "O(1)",
     .history = "6.2.0 `protover` made optional; when called without arguments the command "
                "reports the current connection's context.",
     .args = "[arguments(protover:integer [AUTH username_password(username password)] "
             "[SETNAME clientname])]"},
    {.name = "auth", .proc = cmd_auth, .arity = -2,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_NO_AUTH | CMD_ALLOW_BUSY |
              CMD_SENTINEL,
     .acl = ACL_FAST | ACL_CONNECTION, .group = "connection", .since = "1.0.0",
     .summary = "Authenticate to the server",
     .complexity = "O(N) where N is the number of passwords defined for the user",
     .history = "6.0.0 Added ACL style (username and password).",
     .args = "[username+6.0.0] password"},
    {.name = "quit", .proc = cmd_quit, .arity = -1,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_NO_AUTH | CMD_ALLOW_BUSY |
              CMD_NOT_QUEUED,
     .acl = ACL_FAST | ACL_CONNECTION, .group = "connection", .since = "1.0.0",
     .summary = "Close the connection", .complexity = "O(1)"},
    {.name = "reset", .proc = cmd_reset, .arity = 1,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_NO_AUTH | CMD_ALLOW_BUSY |
              CMD_NOT_QUEUED,
     .acl = ACL_FAST | ACL_CONNECTION, .group = "connection", .since = "6.2.0",
     .summary = "Reset the connection", .complexity = "O(1)"},
    {.name = "client", .arity = -2, .flags = CMD_SENTINEL, .acl = ACL_SLOW, .group = "connection",
     .since = "2.4.0", .summary = "A container for client connection commands",
     .complexity = "Depends on subcommand.", .subcommands = client_subcommands},
    {0}};
