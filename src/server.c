/* src/server.c: the server struct, call(), the cron and the before-sleep order. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../utils/clock.h"
#include "../utils/hash.h"
#include "../utils/rand.h"
#include "../utils/ht.h"
#include "../utils/num.h"
#include "config.h"
#include "evict.h"
#include "lazyfree.h"
#include "latency.h"
#include "multi.h"
#include "persist.h"
#include "pubsub.h"
#include "tracking.h"
#include "server.h"

struct cn_server server;

void server_update_time(void) {
    server.now_us = clock_us();
    server.now_ms = server.now_us / 1000;
    server.lruclock = (uint32_t)(server.now_ms / 1000) & OBJ_LRU_MAX;
}

/* ---------------------------------------------------------------- errors and stats */

void server_count_error(const char *code, size_t len) {
    server.stat_total_error_replies++;
    if (len >= sizeof(server.errstats[0].code)) len = sizeof(server.errstats[0].code) - 1;
    for (size_t i = 0; i < server.nerrstats; i++) {
        if (strlen(server.errstats[i].code) == len && memcmp(server.errstats[i].code, code, len) == 0) {
            server.errstats[i].count++;
            return;
        }
    }
    if (server.nerrstats >= 128) return; /* Redis caps distinct error codes too */
    server.errstats = cn_realloc(server.errstats, (server.nerrstats + 1) * sizeof(*server.errstats));
    struct errstat *e = &server.errstats[server.nerrstats++];
    memcpy(e->code, code, len);
    e->code[len] = '\0';
    e->count = 1;
}

void server_reset_stats(void) {
    server.stat_numcommands = server.stat_numconnections = server.stat_rejected_conn = 0;
    server.stat_expiredkeys = server.stat_keyspace_hits = server.stat_keyspace_misses = 0;
    server.stat_evictedkeys = server.stat_net_input_bytes = server.stat_net_output_bytes = 0;
    server.stat_total_error_replies = server.stat_unexpected_error_replies = 0;
    server.stat_expire_cycle_time_used = server.stat_expired_time_cap_reached = 0;
    evict_reset_stats();
    server.stat_reads = server.stat_writes = 0;
    server.stat_fork_usec = server.stat_total_forks = 0;
    server.stat_peak_memory = cn_used_memory();
    lazyfree_reset_stats();
    cn_free(server.errstats);
    server.errstats = NULL;
    server.nerrstats = 0;
    command_reset_stats();
}

/* ---------------------------------------------------------------- monitor and slowlog */

/* Appends s to out as MONITOR quotes an argument ("..." with escapes). */
static size_t monitor_quote(char *out, size_t cap, const char *s, size_t len) {
    size_t n = 0;
    if (n < cap) out[n++] = '"';
    for (size_t i = 0; i < len && n + 5 < cap; i++) {
        unsigned char ch = (unsigned char)s[i];
        switch (ch) {
        case '\\': n += (size_t)snprintf(out + n, cap - n, "\\\\"); break;
        case '"': n += (size_t)snprintf(out + n, cap - n, "\\\""); break;
        case '\n': n += (size_t)snprintf(out + n, cap - n, "\\n"); break;
        case '\r': n += (size_t)snprintf(out + n, cap - n, "\\r"); break;
        case '\t': n += (size_t)snprintf(out + n, cap - n, "\\t"); break;
        case '\a': n += (size_t)snprintf(out + n, cap - n, "\\a"); break;
        case '\b': n += (size_t)snprintf(out + n, cap - n, "\\b"); break;
        default:
            if (isprint(ch)) out[n++] = (char)ch;
            else n += (size_t)snprintf(out + n, cap - n, "\\x%02x", ch);
        }
    }
    if (n < cap) out[n++] = '"';
    return n;
}

void server_feed_monitors(client *c, int dbid) {
    if (!server.nmonitors) return;
    size_t cap = 256;
    for (int i = 0; i < c->argc; i++) cap += c->argvlen[i] * 4 + 4;
    char *line = cn_malloc(cap);
    int64_t us = clock_us();
    size_t n = (size_t)snprintf(line, cap, "+%lld.%06lld [%d %s]", (long long)(us / 1000000),
                                (long long)(us % 1000000), dbid,
                                c->flags & CLIENT_UNIX_SOCKET ? "unix" : c->addr);
    for (int i = 0; i < c->argc; i++) {
        line[n++] = ' ';
        n += monitor_quote(line + n, cap - n - 2, c->argv[i], c->argvlen[i]);
    }
    line[n++] = '\r';
    line[n++] = '\n';
    for (size_t i = 0; i < server.nmonitors; i++) reply_raw(server.monitors[i], line, n);
    cn_free(line);
}

/* The slow log: newest first, at most slowlog-max-len entries. */
static void slowlog_entry_free(slowlog_entry *e) {
    for (int a = 0; a < e->argc; a++) cn_free(e->argv[a]);
    cn_free(e->argv);
    cn_free(e->argvlen);
    cn_free(e->peer);
    cn_free(e->name);
}

static void slowlog_trim(size_t max) {
    while (server.slowlog_len > max) slowlog_entry_free(&server.slowlog[--server.slowlog_len]);
}

/* The arguments (of the first 32) the slow log shows as "(redacted)", as Redis 7.0
 * hides secrets: AUTH's (when it has at most two), HELLO's AUTH username and password
 * (as far as its options parse), and CONFIG SET's values of requirepass and masterauth. */
static uint32_t slowlog_redact_mask(const client *c) {
    uint32_t mask = 0;
    const command *cmd = c->cmd;
    int argc = c->argc > 32 ? 32 : c->argc;
    if (!cmd) return 0;
    if (!strcmp(cmd->fullname, "auth") && c->argc <= 3) {
        mask = (1u << argc) - 2; /* every argument but the name */
    } else if (!strcmp(cmd->fullname, "hello") && c->argc >= 2) {
        long long ver;
        if (!num_parse_ll(c->argv[1], c->argvlen[1], &ver) || ver < 2 || ver > 3) return 0;
        for (int j = 2; j < c->argc; j++) {
            int more = c->argc - 1 - j;
            if (arg_is(c, j, "auth") && more >= 2) {
                if (j + 2 < 32) mask |= 3u << (j + 1);
                j += 2;
            } else if (arg_is(c, j, "setname") && more >= 1) {
                j++;
            } else {
                break;
            }
        }
    } else if (!strcmp(cmd->fullname, "config|set") && c->argc % 2 == 0) {
        for (int j = 2; j + 1 < argc; j += 2)
            if (arg_is(c, j, "requirepass") || arg_is(c, j, "masterauth")) mask |= 1u << (j + 1);
    }
    return mask;
}

static void slowlog_push(client *c, long long duration_us) {
    if (server.slowlog_log_slower_than < 0 || duration_us < server.slowlog_log_slower_than) return;
    uint32_t redact = slowlog_redact_mask(c);
    size_t max = server.slowlog_max_len > 0 ? (size_t)server.slowlog_max_len : 0;
    slowlog_trim(max ? max - 1 : 0);
    if (!max) return;
    if (server.slowlog_cap < max) {
        server.slowlog = cn_realloc(server.slowlog, max * sizeof(slowlog_entry));
        server.slowlog_cap = max;
    }
    memmove(server.slowlog + 1, server.slowlog, server.slowlog_len * sizeof(slowlog_entry));
    server.slowlog_len++;
    slowlog_entry *e = &server.slowlog[0];
    /* Redis keeps at most 32 arguments of at most 128 bytes each. */
    int argc = c->argc > 32 ? 32 : c->argc;
    e->argc = argc;
    e->argv = cn_malloc(sizeof(char *) * (size_t)argc);
    e->argvlen = cn_malloc(sizeof(size_t) * (size_t)argc);
    for (int i = 0; i < argc; i++) {
        char more[64];
        if (i == 31 && c->argc > 32) {
            int l = snprintf(more, sizeof(more), "... (%d more arguments)", c->argc - 31);
            e->argv[i] = cn_strndup(more, (size_t)l);
            e->argvlen[i] = (size_t)l;
        } else if (redact & (1u << i)) {
            e->argv[i] = cn_strdup("(redacted)");
            e->argvlen[i] = strlen("(redacted)");
        } else if (c->argvlen[i] > 128) {
            int l = snprintf(more, sizeof(more), "... (%zu more bytes)", c->argvlen[i] - 128);
            e->argv[i] = cn_malloc(128 + (size_t)l + 1);
            memcpy(e->argv[i], c->argv[i], 128);
            memcpy(e->argv[i] + 128, more, (size_t)l + 1);
            e->argvlen[i] = 128 + (size_t)l;
        } else {
            e->argv[i] = cn_strndup(c->argv[i], c->argvlen[i]);
            e->argvlen[i] = c->argvlen[i];
        }
    }
    e->id = server.slowlog_next_id++;
    e->time = server.now_ms / 1000;
    e->duration_us = duration_us;
    e->peer = cn_strdup(c->addr);
    e->name = cn_strdup(c->name ? c->name : "");
}

void server_slowlog_reset(void) {
    slowlog_trim(0);
    cn_free(server.slowlog);
    server.slowlog = NULL;
    server.slowlog_cap = 0;
}

/* ---------------------------------------------------------------- call() */

/* Replies a refusal of c's command (cmd: NULL when unknown) and counts it. Inside
 * MULTI a refusal makes the EXEC abort, and a refused EXEC ends the transaction
 * with Redis's "EXECABORT Transaction discarded because of: <reason>". */
static void refuse(client *c, command *cmd, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void refuse(client *c, command *cmd, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (cmd) cmd->rejected_calls++;
    if (c->flags & CLIENT_MULTI) {
        if (cmd && (cmd->flags & CMD_EXEC)) {
            multi_discard(c);
            reply_errorf(c, "EXECABORT Transaction discarded because of: %s",
                         strncmp(msg, "ERR ", 4) ? msg : msg + 4);
            return;
        }
        multi_flag_error(c);
    }
    reply_error(c, msg);
}

static void refuse_unknown_command(client *c) {
    char args[256];
    size_t n = 0;
    args[0] = '\0';
    for (int i = 1; i < c->argc && n < 128; i++) {
        int w = snprintf(args + n, sizeof(args) - n, "'%.*s' ",
                         (int)(c->argvlen[i] > 128 - n ? 128 - n : c->argvlen[i]), c->argv[i]);
        if (w < 0 || (size_t)w >= sizeof(args) - n) break;
        n += (size_t)w;
    }
    refuse(c, NULL, "ERR unknown command '%.128s', with args beginning with: %s", c->argv[0], args);
}

/* Finds the command (and subcommand) and checks arity, auth and the server's
 * state. Replies (refuse()) and returns NULL when the command cannot run. */
static command *resolve_or_reply(client *c) {
    command *cmd = command_lookup(c->argv[0], c->argvlen[0]);
    if (!cmd) {
        refuse_unknown_command(c);
        return NULL;
    }
    /* A container runs a subcommand; with none given, its own handler if it has one. */
    if (cmd->subcommands && (c->argc >= 2 || !cmd->proc)) {
        if (c->argc < 2) {
            c->cmd = cmd;
            refuse(c, cmd, "ERR wrong number of arguments for '%s' command", cmd->fullname);
            return NULL;
        }
        command *sub = command_lookup_sub(cmd, c->argv[1], c->argvlen[1]);
        if (!sub) {
            char up[48];
            size_t i;
            for (i = 0; cmd->name[i] && i < sizeof(up) - 1; i++) up[i] = (char)toupper((unsigned char)cmd->name[i]);
            up[i] = '\0';
            refuse(c, cmd, "ERR unknown subcommand '%.128s'. Try %s HELP.", c->argv[1], up);
            return NULL;
        }
        cmd = sub;
    }
    c->cmd = cmd;
    if (!command_arity_ok(cmd, c->argc)) {
        refuse(c, cmd, "ERR wrong number of arguments for '%s' command", cmd->fullname);
        return NULL;
    }
    if (!c->authenticated && !(cmd->flags & CMD_NO_AUTH)) {
        refuse(c, cmd, "NOAUTH Authentication required.");
        return NULL;
    }
    bool in_multi = c->flags & CLIENT_MULTI;
    if (in_multi && (cmd->flags & CMD_NO_MULTI)) {
        refuse(c, cmd, "ERR Command not allowed inside a transaction");
        return NULL;
    }
    /* Over maxmemory: evict first; if that cannot get under the limit, refuse what
     * may grow memory: a DENYOOM command, an EXEC that queued one, and anything
     * queued inside MULTI (the queue itself grows). */
    if (server.maxmemory && !(c->flags & CLIENT_AOF_LOADING) && evict_perform() == EVICT_FAIL) {
        bool grows = (cmd->flags & CMD_DENYOOM) ||
                     (in_multi && (cmd->flags & CMD_EXEC) && multi_has_flags(c, CMD_DENYOOM)) ||
                     (in_multi && !(cmd->flags & CMD_NOT_QUEUED));
        if (grows) {
            refuse(c, cmd, "OOM command not allowed when used memory > 'maxmemory'.");
            return NULL;
        }
    }
    /* A failed save or AOF write refuses writes (and PING, as Redis does); EXEC
     * counts as a write when it has queued one. */
    const char *deny = persist_deny_write();
    bool is_write = (cmd->flags & CMD_WRITE) ||
                    (in_multi && (cmd->flags & CMD_EXEC) && multi_has_flags(c, CMD_WRITE));
    if (deny && !(c->flags & CLIENT_AOF_LOADING) && (is_write || !strcmp(cmd->name, "ping"))) {
        refuse(c, cmd, "%s", deny);
        return NULL;
    }
    if (server.loading && !(cmd->flags & CMD_LOADING) && !(c->flags & CLIENT_AOF_LOADING)) {
        refuse(c, cmd, "LOADING Redis is loading the dataset in memory");
        return NULL;
    }
    if ((c->flags & CLIENT_PUBSUB) && c->resp == 2 && !pubsub_allowed_in_resp2_context(cmd)) {
        refuse(c, cmd, "ERR Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context", cmd->fullname);
        return NULL;
    }
    return cmd;
}

/* Time: the caller reads the clock before a batch of commands
 * (server_update_time); each command's end reading is the next one's start, so a
 * pipelined command costs one clock read, not three. */
void call(client *c) {
    c->cmd = NULL;
    command *cmd = resolve_or_reply(c);
    if (!cmd) return;
    if (tracking_clients) tracking_limit();
    if ((c->flags & CLIENT_MULTI) && !(cmd->flags & CMD_NOT_QUEUED)) {
        multi_queue(c);
        return;
    }
    call_command(c, cmd);
}

void call_command(client *c, command *cmd) {
    static int depth; /* call() runs again inside for blocked clients' re-runs and EXEC */
    c->cmd = cmd;
    /* CLIENT REPLY SKIP applies to the command after it. */
    bool skip = c->flags & CLIENT_REPLY_SKIP_NEXT;
    if (skip) c->flags = (c->flags & ~CLIENT_REPLY_SKIP_NEXT) | CLIENT_REPLY_SKIP;

    int dbid = c->db->id;
    long long dirty_before = server.dirty;
    long long errors_before = server.stat_total_error_replies;
    int64_t start = server.now_us;
    bool was_blocked = c->bstate != NULL;
    client *outer = server.current;
    server.current = c;
    c->lastcmd = cmd;
    c->flags |= CLIENT_IN_CALL;
    depth++;
    cmd->proc(c);
    depth--;
    c->flags &= ~CLIENT_IN_CALL;
    server.current = outer;
    server.now_us = clock_us();
    server.now_ms = server.now_us / 1000;
    long long dur = server.now_us > start ? server.now_us - start : 0;

    /* Propagation (persist.h): what changed the keyspace, unless the handler logged
     * its deterministic equivalent itself. Admin commands (DEBUG, SAVE) are not logged. */
    if (server.dirty > dirty_before && !(c->flags & CLIENT_PROP_REWRITTEN) && !(cmd->flags & CMD_ADMIN))
        propagate(dbid, c->argc, c->argv, c->argvlen);
    c->flags &= ~CLIENT_PROP_REWRITTEN;

    if (skip) c->flags &= ~CLIENT_REPLY_SKIP;
    /* A command that blocks is one call, counted at its first run; its re-runs
     * (after a key it waits on was written) add their time, and it reaches the
     * latency figures and the slow log once, when served, with the time of all its
     * runs (Redis's accounting). */
    if (server.stat_total_error_replies != errors_before) cmd->failed_calls++;
    if (!was_blocked) {
        cmd->calls++;
        c->commands_processed++;
        server.stat_numcommands++;
    }
    cmd->usec += dur;
    if (c->bstate) dur = block_run_done(c, was_blocked, dur);
    /* Nor are commands replayed from the AOF timed (Redis leaves them out too). */
    if (dur >= 0 && !(c->flags & CLIENT_AOF_LOADING)) {
        latency_command_done(cmd, dur);
        if (!(cmd->flags & CMD_SKIP_SLOWLOG)) slowlog_push(c, dur);
    }
    if (server.nmonitors && !(cmd->flags & (CMD_SKIP_MONITOR | CMD_ADMIN)))
        server_feed_monitors(c, dbid);
    /* Client-side caching remembers the keys a read showed this client. */
    if (c->flags & CLIENT_TRACKING) {
        if (cmd->flags & CMD_READONLY) tracking_remember_keys(c, cmd);
        tracking_after_command(c, cmd);
    }
    if (depth == 0) {
        /* Keys this command pushed serve their waiters once it is complete. */
        block_serve_ready();
        tracking_command_done();
    }
}

/* ---------------------------------------------------------------- CLIENT PAUSE */

void server_pause(int kind, int64_t end_ms) {
    /* A new pause extends, never shortens, and ALL wins over WRITE (Redis's rule). */
    if (server.pause_kind == PAUSE_OFF || kind > server.pause_kind) server.pause_kind = kind;
    if (end_ms > server.pause_end_ms) server.pause_end_ms = end_ms;
}

void server_unpause(void) {
    server.pause_kind = PAUSE_OFF;
    server.pause_end_ms = 0;
}

/* Clients held by a pause that ended go on with their commands, in arrival order.
 * From the cron and before-sleep, never inside a command (CLIENT UNPAUSE only ends
 * the pause): a resumed client's commands must not run nested in another's. One at a
 * time, through server.paused_clients itself: a resumed command may free a client
 * further on (client_free clears its entry) or start a new pause (the rest then stay
 * held, behind it). */
static void resume_paused_clients(void) {
    size_t i = 0;
    for (; i < server.npaused && server.pause_kind == PAUSE_OFF; i++) {
        client *c = server.paused_clients[i];
        if (!c) continue;
        server.paused_clients[i] = NULL;
        c->flags &= ~CLIENT_PAUSED;
        server.blocked_clients--;
        client_process_pending(c);
    }
    server.npaused -= i;
    memmove(server.paused_clients, server.paused_clients + i, server.npaused * sizeof(client *));
}

bool server_pause_blocks(client *c) {
    if (server.pause_kind == PAUSE_OFF || (c->flags & CLIENT_AOF_LOADING)) return false;
    if (server.pause_kind == PAUSE_ALL) return true;
    command *cmd = command_lookup(c->argv[0], c->argvlen[0]);
    if (!cmd) return false;
    if (cmd->subcommands && c->argc >= 2) {
        command *sub = command_lookup_sub(cmd, c->argv[1], c->argvlen[1]);
        if (sub) cmd = sub;
    }
    if (cmd->flags & (CMD_WRITE | CMD_MAY_REPLICATE)) return true;
    return (cmd->flags & CMD_EXEC) && multi_has_flags(c, CMD_WRITE | CMD_MAY_REPLICATE);
}

static void pause_check_end(void) {
    if (server.pause_kind != PAUSE_OFF && server.now_ms >= server.pause_end_ms) server_unpause();
    if (server.pause_kind == PAUSE_OFF && server.npaused) resume_paused_clients();
}

/* ---------------------------------------------------------------- instantaneous metrics
 * Sampled every 100 ms into a ring of 16; INFO reports the per-second average. */

#define INST_SAMPLES 16
static struct {
    long long last_value;
    int64_t last_ms;
    long long samples[INST_SAMPLES];
    int idx;
} inst[INST_COUNT];

static void inst_track(int which, long long value) {
    int64_t now = server.now_ms, dt = now - inst[which].last_ms;
    if (dt <= 0) return;
    inst[which].samples[inst[which].idx] = (value - inst[which].last_value) * 1000 / dt;
    inst[which].idx = (inst[which].idx + 1) % INST_SAMPLES;
    inst[which].last_value = value;
    inst[which].last_ms = now;
}

long long server_inst_metric(int which) {
    long long sum = 0;
    for (int i = 0; i < INST_SAMPLES; i++) sum += inst[which].samples[i];
    return sum / INST_SAMPLES;
}

/* ---------------------------------------------------------------- cron and before-sleep */

static long server_cron(el_loop *loop, long long id, void *data) {
    (void)loop, (void)id, (void)data;
    server_update_time();
    server.cron_loops++;
    size_t used = cn_used_memory();
    if (used > server.stat_peak_memory) server.stat_peak_memory = used;
    static int64_t last_sample_ms;
    if (server.now_ms - last_sample_ms >= 100) {
        last_sample_ms = server.now_ms;
        inst_track(INST_COMMANDS, server.stat_numcommands);
        inst_track(INST_NET_INPUT, server.stat_net_input_bytes);
        inst_track(INST_NET_OUTPUT, server.stat_net_output_bytes);
    }
    clients_cron();
    pause_check_end();
    if (tracking_clients) tracking_limit();
    persist_cron();
    expire_cycle_slow();
    /* Incremental rehashing: about 1 ms per cron for the db that needs it most. */
    for (int i = 0; i < db_count(); i++) {
        db *d = db_get(i);
        if (ht_is_rehashing(d->keys)) {
            ht_rehash_us(d->keys, 1000);
            break;
        }
    }
    if (server.shutdown_asap && server_prepare_shutdown(SHUTDOWN_NOFLAGS) == CN_OK) {
        el_stop(server.loop);
    }
    return 1000 / server.hz;
}

static void before_sleep(el_loop *loop) {
    (void)loop;
    server_update_time();
    /* Order matters (design.md): expire first, then the AOF, then replies: under
     * appendfsync always no reply leaves before its write is on disk. */
    bool expiring = expire_cycle_fast();
    block_serve_ready();
    long next_timeout = block_timeouts();
    blocking_resume_clients();
    pause_check_end();
    if (server.pause_kind != PAUSE_OFF) {
        long until = (long)(server.pause_end_ms - server.now_ms);
        if (until < 0) until = 0;
        if (next_timeout < 0 || until < next_timeout) next_timeout = until;
    }
    /* Due keys and an eviction that ran out of time go on at once, without sleeping. */
    if (evict_before_sleep() || expiring) next_timeout = 0;
    el_set_max_wait(server.loop, next_timeout);
    tracking_before_sleep();
    persist_before_sleep();
    clients_handle_writes();
    clients_free_pending();
    if (server.shutdown_asap && server_prepare_shutdown(SHUTDOWN_NOFLAGS) == CN_OK)
        el_stop(server.loop);
}

void server_setup(void) {
    server.pid = getpid();
    server.active_expire = true; /* DEBUG SET-ACTIVE-EXPIRE 0 turns it off */
    server.start_ms = clock_ms();
    server_update_time();
    server.lastsave = server.now_ms / 1000;
    server.stat_peak_memory = cn_used_memory();
    server.unix_fd = -1;
    FILE *f = fopen("/dev/urandom", "r");
    unsigned char rnd[20] = {0};
    if (f) {
        size_t r = fread(rnd, 1, sizeof(rnd), f);
        (void)r;
        fclose(f);
    }
    for (int i = 0; i < 20; i++) sprintf(server.run_id + i * 2, "%02x", rnd[i]);
    /* Hash tables are keyed with a secret seed against hash flooding. */
    uint8_t seed[16];
    f = fopen("/dev/urandom", "r");
    if (!f || fread(seed, 1, sizeof(seed), f) != sizeof(seed)) {
        int64_t t = clock_us() ^ ((int64_t)getpid() << 32);
        for (int i = 0; i < 16; i++) seed[i] = (uint8_t)(t >> (i % 8 * 8)) ^ rnd[i];
    }
    if (f) fclose(f);
    hash_set_seed(seed);
    uint64_t rseed;
    memcpy(&rseed, seed + 8, sizeof(rseed));
    rand_seed(rseed ^ ((uint64_t)rnd[0] << 56));
    db_setup(server.databases);
    lazyfree_setup();
    evict_setup();
    blocking_setup();
    multi_setup(server.databases);
    pubsub_setup();
    tracking_setup();
    latency_setup();
    command_setup();
    el_set_before_sleep(server.loop, before_sleep);
    el_add_timer(server.loop, 1, server_cron, NULL);
}

void server_teardown(void) {
    while (server.nclients) {
        client *c = server.clients[server.nclients - 1];
        c->flags &= ~(CLIENT_PROTECTED | CLIENT_IN_CALL);
        client_free(c);
    }
    clients_free_pending();
    server_slowlog_reset();
    command_teardown();
    latency_teardown();
    blocking_teardown();
    tracking_teardown();
    pubsub_teardown();
    multi_teardown();
    persist_teardown();
    lazyfree_teardown(); /* its queue may hold objects of the dbs */
    evict_teardown();
    db_teardown();
    cn_free(server.clients);
    cn_free(server.monitors);
    cn_free(server.errstats);
    cn_free(server.paused_clients);
}

int server_prepare_shutdown(int flags) {
    log_warning("User requested shutdown...");
    if (persist_shutdown(flags) != CN_OK) {
        log_warning("Errors trying to shut down the server. Check the logs for more information.");
        server.shutdown_asap = false;
        return CN_ERR;
    }
    /* Flush what clients are owed, as far as sockets take it without blocking. */
    clients_handle_writes();
    net_close_listeners();
    if (server.pidfile && *server.pidfile) unlink(server.pidfile);
    log_warning("Cairn is now ready to exit, bye bye...");
    return CN_OK;
}
