/* src/reply.c: see reply.h. */
#include "reply.h"

#include <stdarg.h>
#include <stdio.h>

#include "../resp/encode.h"
#include "server.h"

/* ---------------------------------------------------------------- buffers */

/* Pushes (pub/sub messages, invalidations) get through CLIENT REPLY OFF/SKIP. */
static inline bool replies_dropped(const client *c) {
    if (c->flags & (CLIENT_CLOSE_ASAP | CLIENT_CLOSE_AFTER_REPLY)) return true;
    return (c->flags & (CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP)) && !(c->flags & CLIENT_PUSHING);
}

static reply_block *block_new(size_t size) {
    reply_block *b = cn_malloc(sizeof(reply_block) + size);
    b->size = cn_alloc_size(b) - sizeof(reply_block);
    b->used = 0;
    b->next = NULL;
    return b;
}

static void block_link(client *c, reply_block *b) {
    if (c->reply_tail) c->reply_tail->next = b;
    else c->reply_head = b;
    c->reply_tail = b;
}

/* Copies into the block list, past the fixed buffer. */
static void append_blocks(client *c, const char *s, size_t len) {
    reply_block *t = c->reply_tail;
    if (t && t->size > t->used) {
        size_t n = t->size - t->used < len ? t->size - t->used : len;
        memcpy(t->buf + t->used, s, n);
        t->used += n;
        s += n;
        len -= n;
        c->reply_bytes += n;
    }
    if (len) {
        reply_block *b = block_new(len > REPLY_BLOCK_SIZE ? len : REPLY_BLOCK_SIZE);
        memcpy(b->buf, s, len);
        b->used = len;
        block_link(c, b);
        c->reply_bytes += len;
    }
    client_check_output_limits(c);
}

/* Appends protocol bytes to c's output and queues c for writing. */
static void out(client *c, const char *s, size_t len) {
    if (replies_dropped(c)) return;
    if (!c->buf) c->buf = cn_malloc(CLIENT_BUF_SIZE);
    if (!c->reply_head) {
        size_t avail = CLIENT_BUF_SIZE - c->bufpos;
        if (len <= avail) {
            memcpy(c->buf + c->bufpos, s, len);
            c->bufpos += len;
            client_queue_write(c);
            return;
        }
        memcpy(c->buf + c->bufpos, s, avail);
        c->bufpos += avail;
        s += avail;
        len -= avail;
    }
    append_blocks(c, s, len);
    client_queue_write(c);
}

/* Room for n contiguous bytes at the end of the fixed buffer, or NULL. */
static inline char *fast_room(client *c, size_t n) {
    if (!c->buf || c->reply_head || CLIENT_BUF_SIZE - c->bufpos < n || replies_dropped(c))
        return NULL;
    return c->buf + c->bufpos;
}

static inline void fast_commit(client *c, size_t n) {
    c->bufpos += n;
    client_queue_write(c);
}

static void out_hdr(client *c, char type, long long n) {
    char hdr[RESP_HDR_MAX];
    char *p = fast_room(c, RESP_HDR_MAX);
    if (p) {
        fast_commit(c, resp_enc_hdr(p, type, n));
        return;
    }
    out(c, hdr, resp_enc_hdr(hdr, type, n));
}

/* ---------------------------------------------------------------- replies */

void reply_raw(client *c, const char *s, size_t len) { out(c, s, len); }

void reply_ok(client *c) { out(c, "+OK\r\n", 5); }

void reply_simple(client *c, const char *s) {
    size_t len = strlen(s);
    char *p = fast_room(c, len + 3);
    if (p) {
        p[0] = '+';
        memcpy(p + 1, s, len);
        p[len + 1] = '\r';
        p[len + 2] = '\n';
        fast_commit(c, len + 3);
        return;
    }
    out(c, "+", 1);
    out(c, s, len);
    out(c, "\r\n", 2);
}

void reply_error(client *c, const char *msg) {
    size_t len = strlen(msg);
    size_t code = strcspn(msg, " ");
    server_count_error(msg, code);
    out(c, "-", 1);
    /* An error is one line: CR and LF would end it early. */
    const char *p = msg;
    while (len) {
        size_t run = strcspn(p, "\r\n");
        if (run > len) run = len;
        out(c, p, run);
        p += run;
        len -= run;
        if (len) {
            out(c, " ", 1);
            p++;
            len--;
        }
    }
    out(c, "\r\n", 2);
}

void reply_errorf(client *c, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    reply_error(c, msg);
}

void reply_int(client *c, long long v) {
    if (v >= 0 && v <= 9) { /* the commonest integer replies, pre-encoded */
        static const char small[10][5] = {":0\r\n", ":1\r\n", ":2\r\n", ":3\r\n", ":4\r\n",
                                          ":5\r\n", ":6\r\n", ":7\r\n", ":8\r\n", ":9\r\n"};
        out(c, small[v], 4);
        return;
    }
    out_hdr(c, ':', v);
}

void reply_bulk(client *c, const char *s, size_t len) {
    char *p = fast_room(c, len + RESP_HDR_MAX + 2);
    if (p) {
        size_t n = resp_enc_hdr(p, '$', (long long)len);
        memcpy(p + n, s, len);
        n += len;
        p[n++] = '\r';
        p[n++] = '\n';
        fast_commit(c, n);
        return;
    }
    out_hdr(c, '$', (long long)len);
    out(c, s, len);
    out(c, "\r\n", 2);
}

void reply_bulk_cstr(client *c, const char *s) {
    if (!s) reply_null(c);
    else reply_bulk(c, s, strlen(s));
}

void reply_bulk_ll(client *c, long long v) {
    char buf[32];
    reply_bulk(c, buf, resp_enc_ll(buf, v));
}

void reply_null(client *c) {
    if (c->resp == 3) out(c, "_\r\n", 3);
    else out(c, "$-1\r\n", 5);
}

void reply_null_array(client *c) {
    if (c->resp == 3) out(c, "_\r\n", 3);
    else out(c, "*-1\r\n", 5);
}

void reply_array(client *c, long n) { out_hdr(c, '*', n); }

void reply_map(client *c, long pairs) {
    if (c->resp == 3) out_hdr(c, '%', pairs);
    else out_hdr(c, '*', pairs * 2);
}

void reply_set(client *c, long n) { out_hdr(c, c->resp == 3 ? '~' : '*', n); }
void reply_push(client *c, long n) { out_hdr(c, c->resp == 3 ? '>' : '*', n); }

void reply_double(client *c, double d) {
    char buf[RESP_DOUBLE_MAX + 2];
    size_t n = resp_enc_double_str(buf, d);
    if (c->resp == 3) {
        out(c, ",", 1);
        buf[n++] = '\r';
        buf[n++] = '\n';
        out(c, buf, n);
    } else {
        reply_bulk(c, buf, n);
    }
}

void reply_bool(client *c, bool b) {
    if (c->resp == 3) out(c, b ? "#t\r\n" : "#f\r\n", 4);
    else out(c, b ? ":1\r\n" : ":0\r\n", 4);
}

void reply_verbatim(client *c, const char *s, size_t len, const char *ext) {
    if (c->resp != 3) {
        reply_bulk(c, s, len);
        return;
    }
    out_hdr(c, '=', (long long)len + 4);
    out(c, ext, 3);
    out(c, ":", 1);
    out(c, s, len);
    out(c, "\r\n", 2);
}

void reply_bignum(client *c, const char *s, size_t len) {
    if (c->resp != 3) {
        reply_bulk(c, s, len);
        return;
    }
    out(c, "(", 1);
    out(c, s, len);
    out(c, "\r\n", 2);
}

void reply_err_syntax(client *c) { reply_error(c, "ERR syntax error"); }
void reply_err_wrongtype(client *c) {
    reply_error(c, "WRONGTYPE Operation against a key holding the wrong kind of value");
}
void reply_err_not_int(client *c) { reply_error(c, "ERR value is not an integer or out of range"); }
void reply_err_not_float(client *c) { reply_error(c, "ERR value is not a valid float"); }
void reply_err_arity(client *c) {
    reply_errorf(c, "ERR wrong number of arguments for '%s' command",
                 c->cmd ? c->cmd->fullname : "unknown");
}

/* ---------------------------------------------------------------- deferred lengths
 * A placeholder block with no room: later appends go to new blocks after it,
 * and reply_set_deferred fills it with the header. */

void *reply_deferred(client *c) {
    if (replies_dropped(c)) return NULL;
    reply_block *b = block_new(RESP_HDR_MAX);
    b->size = 0; /* sealed until filled */
    block_link(c, b);
    client_queue_write(c);
    return b;
}

void reply_set_deferred(client *c, void *handle, char type, long n) {
    reply_block *b = handle;
    /* A client that passed its output limit meanwhile had its blocks freed,
     * the placeholder with them. */
    if (!b || (c->flags & CLIENT_CLOSE_ASAP)) return;
    if (type == '%' && c->resp != 3) type = '*', n *= 2;
    if (type == '~' && c->resp != 3) type = '*';
    b->used = resp_enc_hdr(b->buf, type, n);
    b->size = b->used;
    c->reply_bytes += b->used;
}

void reply_help(client *c, const char *const *lines) {
    long n = 0;
    while (lines[n]) n++;
    reply_array(c, n);
    for (long i = 0; i < n; i++) reply_simple(c, lines[i]);
}
