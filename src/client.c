/* src/client.c: a client's life: read, parse, dispatch, write, limits, close.
 *
 * Buffers: the query buffer holds unparsed bytes in [qpos, qlen); argv points
 * into it (zero copy) until the next read. Replies go to the fixed buffer
 * first, then to blocks; before-sleep writes them with one writev where the
 * socket accepts, and only then installs a writable handler.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../utils/clock.h"
#include "../utils/ht.h"
#include "multi.h"
#include "pubsub.h"
#include "server.h"
#include "tracking.h"

static client **close_queue;
static size_t close_len, close_cap;

/* Clients by id (CLIENT KILL ID, tracking redirections and invalidations). */
static const void *client_id_key(const void *e, size_t *len) {
    *len = sizeof(uint64_t);
    return &((const client *)e)->id;
}
static const ht_type client_id_type = {.entry_key = client_id_key};
static ht *clients_by_id;

static void client_read_handler(el_loop *loop, int fd, void *data, int mask);
static void client_write_handler(el_loop *loop, int fd, void *data, int mask);

static void reader_limits(client *c) {
    resp_reader_set_limits(&c->reader, server.proto_max_bulk_len,
                           server.requirepass && !c->authenticated);
}

client *client_create(int fd, uint32_t flags) {
    client *c = cn_calloc(1, sizeof(*c));
    c->id = ++server.next_client_id;
    c->fd = fd;
    c->resp = 2;
    c->flags = flags;
    c->db = db_get(0);
    c->authenticated = server.requirepass == NULL;
    c->ctime_ms = c->last_interaction_ms = server.now_ms;
    resp_reader_init(&c->reader);
    reader_limits(c);
    if (fd >= 0) {
        if (!el_add(server.loop, fd, EL_READABLE, client_read_handler, c)) {
            resp_reader_deinit(&c->reader);
            cn_free(c);
            return NULL;
        }
        net_format_peer(fd, flags & CLIENT_UNIX_SOCKET, c->addr, sizeof(c->addr), c->laddr,
                        sizeof(c->laddr));
    }
    if (server.nclients == server.clients_cap) {
        server.clients_cap = server.clients_cap ? server.clients_cap * 2 : 64;
        server.clients = cn_realloc(server.clients, server.clients_cap * sizeof(client *));
    }
    c->all_index = server.nclients;
    server.clients[server.nclients++] = c;
    if (!clients_by_id) clients_by_id = ht_create(&client_id_type);
    ht_add(clients_by_id, c);
    return c;
}

static void unlink_pending(client *c) {
    if (!(c->flags & CLIENT_PENDING_WRITE)) return;
    for (client **pp = &server.pending_write; *pp; pp = &(*pp)->next_pending) {
        if (*pp == c) {
            *pp = c->next_pending;
            break;
        }
    }
    c->flags &= ~CLIENT_PENDING_WRITE;
}

static void free_replies(client *c) {
    for (reply_block *b = c->reply_head, *n; b; b = n) {
        n = b->next;
        cn_free(b);
    }
    c->reply_head = c->reply_tail = NULL;
    c->reply_bytes = 0;
    c->bufpos = c->sentlen = 0;
}

void client_discard_replies(client *c) { free_replies(c); }

void client_close_async(client *c) {
    if (c->flags & CLIENT_CLOSE_ASAP) return;
    c->flags |= CLIENT_CLOSE_ASAP;
    if (close_len == close_cap) {
        close_cap = close_cap ? close_cap * 2 : 16;
        close_queue = cn_realloc(close_queue, close_cap * sizeof(client *));
    }
    close_queue[close_len++] = c;
}

void client_free(client *c) {
    if (c->flags & (CLIENT_PROTECTED | CLIENT_IN_CALL)) {
        client_close_async(c);
        return;
    }
    if (c->fd >= 0) {
        el_del(server.loop, c->fd, EL_READABLE | EL_WRITABLE);
        close(c->fd);
    }
    unlink_pending(c);
    blocking_forget_client(c);
    multi_client_forget(c);
    pubsub_client_forget(c);
    tracking_client_forget(c);
    if (c->flags & CLIENT_PAUSED) {
        for (size_t i = 0; i < server.npaused; i++)
            if (server.paused_clients[i] == c) server.paused_clients[i] = NULL;
        server.blocked_clients--;
    }
    if (c->flags & CLIENT_MONITOR) {
        for (size_t i = 0; i < server.nmonitors; i++) {
            if (server.monitors[i] == c) {
                server.monitors[i] = server.monitors[--server.nmonitors];
                break;
            }
        }
    }
    for (size_t i = 0; i < close_len; i++)
        if (close_queue[i] == c) close_queue[i] = NULL;
    size_t i = c->all_index;
    server.clients[i] = server.clients[--server.nclients];
    server.clients[i]->all_index = i;
    ht_delete(clients_by_id, &c->id, sizeof(c->id));
    if (!server.nclients) {
        ht_destroy(clients_by_id);
        clients_by_id = NULL;
    }
    if (server.current == c) server.current = NULL;
    free_replies(c);
    cn_free(c->buf);
    resp_reader_deinit(&c->reader);
    cn_free(c->qbuf);
    cn_free(c->name);
    cn_free(c->lib_name);
    cn_free(c->lib_ver);
    cn_free(c);
}

void clients_free_pending(void) {
    while (close_len) {
        client *c = close_queue[--close_len];
        if (!c) continue;
        c->flags &= ~(CLIENT_PROTECTED | CLIENT_IN_CALL);
        client_free(c);
    }
}

client *client_by_id(uint64_t id) {
    return clients_by_id ? ht_find(clients_by_id, &id, sizeof(id)) : NULL;
}

void client_set_protocol(client *c, int resp) { c->resp = resp; }

/* ---------------------------------------------------------------- input */

/* Parses and runs every complete command in the query buffer. */
static void process_input(client *c) {
    c->flags |= CLIENT_PROTECTED;
    server_update_time();
    /* A blocked client's later commands wait until it is served. */
    while (c->qpos < c->qlen && !c->bstate &&
           !(c->flags & (CLIENT_CLOSE_AFTER_REPLY | CLIENT_CLOSE_ASAP | CLIENT_PAUSED))) {
        size_t consumed = 0;
        resp_status st = resp_reader_feed(&c->reader, c->qbuf + c->qpos, c->qlen - c->qpos, &consumed);
        if (st == RESP_NEED_MORE) break;
        if (st == RESP_ERR_PROTO) {
            char msg[160];
            snprintf(msg, sizeof(msg), "ERR %s", c->reader.err);
            reply_error(c, msg);
            log_verbose("Protocol error (%s) from client: id=%llu addr=%s", c->reader.err,
                        (unsigned long long)c->id, c->addr);
            c->flags |= CLIENT_CLOSE_AFTER_REPLY;
            break;
        }
        c->argc = c->reader.argc;
        c->argv = c->reader.argv;
        c->argvlen = c->reader.argvlen;
        /* CLIENT PAUSE: the command stays unconsumed in the buffer, parsed again
         * when the pause ends. */
        if (c->argc && server.pause_kind != PAUSE_OFF && server_pause_blocks(c)) {
            client_hold_for_pause(c);
            c->argc = 0;
            break;
        }
        /* Arguments inside the query buffer end at the CR we already parsed:
         * terminate them so numeric parsers may treat them as C strings. */
        const char *lo = c->qbuf + c->qpos, *hi = lo + consumed;
        for (int i = 0; i < c->argc; i++)
            if (c->argv[i] >= lo && c->argv[i] < hi) ((char *)c->argv[i])[c->argvlen[i]] = '\0';
        c->qpos += consumed;
        if (c->argc == 0) continue;
        c->last_interaction_ms = server.now_ms;
        call(c);
        c->argc = 0;
    }
    c->flags &= ~CLIENT_PROTECTED;
    /* Keep the unparsed tail at the front; the reader's progress is relative to it. */
    if (c->qpos == c->qlen) {
        c->qpos = c->qlen = 0;
    } else if (c->qpos) {
        memmove(c->qbuf, c->qbuf + c->qpos, c->qlen - c->qpos);
        c->qlen -= c->qpos;
        c->qpos = 0;
    }
    /* client-query-buffer-limit bounds the input not parsed yet: an unfinished line,
     * the bulk being read, commands waiting behind a blocked client. The arguments of
     * an unfinished command already parsed stay in the buffer (argv points into it) but
     * do not count, as Redis moves them out of its query buffer into argv: a command of
     * a million small arguments may exceed the limit, a single bulk may not. Checked
     * after parsing, so one large read of complete arguments is not refused either. */
    if (!(c->flags & (CLIENT_CLOSE_ASAP | CLIENT_CLOSE_AFTER_REPLY)) &&
        (long long)(c->qlen - resp_reader_parsed(&c->reader)) > server.client_query_buffer_limit) {
        char *info = client_info_string(c);
        log_warning("Closing client that reached max query buffer length: %s", info);
        cn_free(info);
        client_close_async(c);
    }
    if (c->flags & CLIENT_CLOSE_ASAP) client_free(c);
}

void client_hold_for_pause(client *c) {
    if (c->flags & CLIENT_PAUSED) return;
    c->flags |= CLIENT_PAUSED;
    server.blocked_clients++; /* Redis counts clients held by a pause as blocked */
    if (server.npaused == server.paused_cap) {
        server.paused_cap = server.paused_cap ? server.paused_cap * 2 : 8;
        server.paused_clients = cn_realloc(server.paused_clients, server.paused_cap * sizeof(client *));
    }
    server.paused_clients[server.npaused++] = c;
}

void client_process_pending(client *c) {
    if (c->qlen > c->qpos) process_input(c);
}

static void client_read_handler(el_loop *loop, int fd, void *data, int mask) {
    (void)loop, (void)fd, (void)mask;
    client *c = data;
    /* Room for a normal read, or for the rest of a big bulk in progress. */
    size_t want = resp_reader_want(&c->reader);
    size_t room = QUERY_BUF_INITIAL;
    if (want > c->qlen && want - c->qlen > room) {
        room = want - c->qlen;
        /* Grow with the data, not with the declared size: a bulk announced
         * but never sent must not make us allocate it. */
        size_t cap_growth = c->qcap > QUERY_BUF_INITIAL ? c->qcap : QUERY_BUF_INITIAL;
        if (room > cap_growth) room = cap_growth;
    }
    if (c->qcap - c->qlen < room) {
        size_t newcap = c->qlen + room;
        if (newcap < c->qcap * 2 && c->qcap >= QUERY_BUF_INITIAL) newcap = c->qcap * 2;
        c->qbuf = cn_realloc(c->qbuf, newcap + 1);
        c->qcap = cn_alloc_size(c->qbuf) - 1;
    }
    ssize_t n = recv(c->fd, c->qbuf + c->qlen, c->qcap - c->qlen, 0);
    if (n == 0) {
        client_free(c);
        return;
    }
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) return;
        log_verbose("Reading from client: %s", strerror(errno));
        client_free(c);
        return;
    }
    server.stat_reads++;
    c->qlen += (size_t)n;
    c->net_in += (uint64_t)n;
    server.stat_net_input_bytes += n;
    c->last_interaction_ms = server.now_ms;
    if (c->qlen > c->qbuf_peak) c->qbuf_peak = c->qlen;
    process_input(c); /* checks client-query-buffer-limit once it has parsed what it can */
}

/* ---------------------------------------------------------------- output */

bool client_has_pending_replies(const client *c) {
    return c->bufpos > c->sentlen || c->reply_head;
}

size_t client_output_bytes(const client *c) { return c->reply_bytes; }

void client_queue_write(client *c) {
    if (c->flags & CLIENT_PENDING_WRITE || c->fd < 0) return;
    c->flags |= CLIENT_PENDING_WRITE;
    c->next_pending = server.pending_write;
    server.pending_write = c;
}

/* Writes as much as the socket takes. Returns false if c was freed. */
static bool write_some(client *c) {
    struct iovec iov[64];
    int n = 0;
    size_t total = 0;
    size_t skip = c->sentlen; /* applies to the first piece */
    if (c->bufpos > 0) {
        iov[n].iov_base = c->buf + skip;
        iov[n].iov_len = c->bufpos - skip;
        total += iov[n++].iov_len;
        skip = 0;
    }
    for (reply_block *b = c->reply_head; b && n < 64; b = b->next) {
        if (b->size == 0) break; /* an unfilled deferred header: nothing after it goes yet */
        if (b->used <= skip) {
            skip -= b->used;
            continue;
        }
        iov[n].iov_base = b->buf + skip;
        iov[n].iov_len = b->used - skip;
        total += iov[n++].iov_len;
        skip = 0;
        if (total > 64 * 1024 * 1024) break;
    }
    /* send/recv rather than write/read: sockets only, and the VFS layers skipped
     * are a measurable share of an unpipelined request. One buffer (the common
     * reply) takes the cheaper send(). */
    ssize_t w = 0;
    if (total && n == 1) {
        w = send(c->fd, iov[0].iov_base, iov[0].iov_len, MSG_NOSIGNAL);
    } else if (total) {
        struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)n};
        w = sendmsg(c->fd, &msg, MSG_NOSIGNAL);
    }
    if (w < 0) {
        if (errno == EAGAIN || errno == EINTR) return true;
        log_verbose("Error writing to client: %s", strerror(errno));
        client_free(c);
        return false;
    }
    server.stat_writes++;
    c->net_out += (uint64_t)w;
    server.stat_net_output_bytes += w;
    /* Retire what was written. */
    size_t done = (size_t)w;
    if (c->bufpos > 0) {
        size_t left = c->bufpos - c->sentlen;
        if (done >= left) {
            done -= left;
            c->bufpos = c->sentlen = 0;
        } else {
            c->sentlen += done;
            return true;
        }
    }
    while (c->reply_head) {
        reply_block *b = c->reply_head;
        if (b->size == 0) break; /* an unfilled deferred header: never sent early */
        size_t left = b->used - c->sentlen;
        if (done < left) {
            c->sentlen += done;
            break;
        }
        done -= left;
        c->sentlen = 0;
        c->reply_head = b->next;
        if (!c->reply_head) c->reply_tail = NULL;
        c->reply_bytes -= b->used;
        cn_free(b);
    }
    if (w > 0) c->last_interaction_ms = server.now_ms;
    return true;
}

/* After a write: close if done and asked to, else wait for writability. */
static void after_write(client *c) {
    if (client_has_pending_replies(c)) {
        if (!(el_mask(server.loop, c->fd) & EL_WRITABLE))
            el_add(server.loop, c->fd, EL_WRITABLE, client_write_handler, c);
        return;
    }
    if (el_mask(server.loop, c->fd) & EL_WRITABLE) el_del(server.loop, c->fd, EL_WRITABLE);
    if (c->flags & CLIENT_CLOSE_AFTER_REPLY) client_free(c);
}

static void client_write_handler(el_loop *loop, int fd, void *data, int mask) {
    (void)loop, (void)fd, (void)mask;
    client *c = data;
    if (write_some(c)) after_write(c);
}

void clients_handle_writes(void) {
    while (server.pending_write) {
        client *c = server.pending_write;
        server.pending_write = c->next_pending;
        c->flags &= ~CLIENT_PENDING_WRITE;
        if (c->flags & CLIENT_CLOSE_ASAP) continue;
        /* A writable handler already installed will do it. */
        if (el_mask(server.loop, c->fd) & EL_WRITABLE) continue;
        if (write_some(c)) after_write(c);
    }
}

/* ---------------------------------------------------------------- limits and cron */

bool client_check_output_limits(client *c) {
    if (c->flags & CLIENT_CLOSE_ASAP) return false;
    long long hard, soft, secs;
    if (c->flags & CLIENT_PUBSUB) {
        hard = server.obuf_pubsub_hard, soft = server.obuf_pubsub_soft, secs = server.obuf_pubsub_seconds;
    } else {
        hard = server.obuf_normal_hard, soft = server.obuf_normal_soft, secs = server.obuf_normal_seconds;
    }
    long long used = (long long)c->reply_bytes;
    bool over_hard = hard && used >= hard;
    bool over_soft = false;
    if (soft && used >= soft) {
        int64_t now_s = server.now_ms / 1000;
        if (!c->obuf_soft_since) c->obuf_soft_since = (size_t)now_s;
        else if (now_s - (int64_t)c->obuf_soft_since > secs) over_soft = true; /* Redis: strictly more */
    } else {
        c->obuf_soft_since = 0;
    }
    if (!over_hard && !over_soft) return true;
    char *info = client_info_string(c);
    log_warning("Client %s scheduled to be closed ASAP for overcoming of output buffer limits.", info);
    cn_free(info);
    free_replies(c);
    client_close_async(c);
    return false;
}

void clients_cron(void) {
    /* Visit a slice of the clients each call so the whole set takes ~1 s. */
    static size_t cursor;
    size_t n = server.nclients;
    if (!n) return;
    size_t iterations = n / (size_t)server.hz + 1;
    if (iterations < 5) iterations = n < 5 ? n : 5;
    while (iterations-- && server.nclients) {
        if (cursor >= server.nclients) cursor = 0;
        client *c = server.clients[cursor++];
        if (c->flags & CLIENT_CLOSE_ASAP) continue;
        if (server.timeout && !(c->flags & (CLIENT_MONITOR | CLIENT_PUBSUB | CLIENT_PAUSED)) && !c->bstate &&
            server.now_ms - c->last_interaction_ms > (int64_t)server.timeout * 1000) {
            log_verbose("Closing idle client");
            client_free(c);
            continue;
        }
        /* Buffers go back when empty and big, or when the client idles: an idle
         * connection then costs little more than its struct. */
        bool idle = server.now_ms - c->last_interaction_ms >= CLIENT_IDLE_SHRINK_MS;
        if (c->qlen == 0 && c->qbuf && (idle || c->qcap > QUERY_BUF_INITIAL * 2)) {
            cn_free(c->qbuf);
            c->qbuf = NULL;
            c->qcap = 0;
        }
        if (idle && c->buf && c->bufpos == 0 && !c->reply_head) {
            cn_free(c->buf);
            c->buf = NULL;
        }
        if (idle && c->qlen == 0) resp_reader_deinit(&c->reader); /* argv arrays */
        c->qbuf_peak = c->qlen;
        if (c->reply_bytes) client_check_output_limits(c);
    }
}

size_t client_mem_usage(const client *c) {
    return sizeof(client) + (c->buf ? CLIENT_BUF_SIZE : 0) + c->qcap + c->reply_bytes +
           multi_client_mem(c) + pubsub_client_mem(c);
}

/* CLIENT LIST's flag letters, in Redis's order. */
static void client_flags_string(const client *c, char *out) {
    char *p = out;
    if (c->flags & CLIENT_MONITOR) *p++ = 'O';
    if (c->flags & CLIENT_PUBSUB) *p++ = 'P';
    if (c->flags & CLIENT_MULTI) *p++ = 'x';
    if (c->bstate || (c->flags & CLIENT_PAUSED)) *p++ = 'b';
    if (c->flags & CLIENT_TRACKING) *p++ = 't';
    if (tracking_broken_redirect(c)) *p++ = 'R';
    if (tracking_bcast(c)) *p++ = 'B';
    if (c->flags & CLIENT_DIRTY_CAS) *p++ = 'd';
    if (c->flags & CLIENT_CLOSE_AFTER_REPLY) *p++ = 'c';
    if (c->flags & CLIENT_CLOSE_ASAP) *p++ = 'A';
    if (c->flags & CLIENT_UNIX_SOCKET) *p++ = 'U';
    if (c->flags & CLIENT_NO_EVICT) *p++ = 'e';
    if (c->flags & CLIENT_NO_TOUCH) *p++ = 'T';
    if (p == out) *p++ = 'N';
    *p = '\0';
}

char *client_info_string(const client *c) {
    char buf[1024];
    int64_t now = server.now_ms;
    char flags[24];
    client_flags_string(c, flags);
    size_t blocks = 0;
    for (const reply_block *b = c->reply_head; b; b = b->next) blocks++;
    snprintf(buf, sizeof(buf),
             "id=%llu addr=%s laddr=%s fd=%d name=%s age=%lld idle=%lld flags=%s db=%d sub=%zu "
             "psub=%zu ssub=%zu multi=%d qbuf=%zu qbuf-free=%zu argv-mem=%zu multi-mem=%zu rbs=%zu "
             "rbp=%zu obl=%zu oll=%zu omem=%zu tot-mem=%zu events=r%s cmd=%s user=default "
             "redir=%lld resp=%d lib-name=%s lib-ver=%s",
             (unsigned long long)c->id, c->addr, c->laddr, c->fd, c->name ? c->name : "",
             (long long)((now - c->ctime_ms) / 1000),
             (long long)((now - c->last_interaction_ms) / 1000), flags, c->db ? c->db->id : 0,
             pubsub_client_count(c, PUBSUB_CHANNEL), pubsub_client_count(c, PUBSUB_PATTERN),
             pubsub_client_count(c, PUBSUB_SHARD), c->mstate ? c->mstate->count : -1,
             c->qlen - c->qpos, c->qcap - c->qlen, (size_t)0, multi_client_mem(c),
             c->buf ? (size_t)CLIENT_BUF_SIZE : 0, c->bufpos, c->bufpos, blocks, c->reply_bytes,
             client_mem_usage(c),
             c->fd >= 0 && (el_mask(server.loop, c->fd) & EL_WRITABLE) ? "w" : "",
             c->lastcmd ? c->lastcmd->fullname : "NULL", tracking_redirect_id(c), c->resp,
             c->lib_name ? c->lib_name : "",
             c->lib_ver ? c->lib_ver : "");
    return cn_strdup(buf);
}
