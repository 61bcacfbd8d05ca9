/* resp/reader.c: see reader.h. */
#include "resp/reader.h"

#include <assert.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static_assert(RESP_MBULK_MAX == INT_MAX, "argc is an int");
static_assert(RESP_ARGV_PREALLOC_MAX <= RESP_ARGV_KEEP_MAX, "kept arrays hold a preallocation");

enum {
    RESP_ST_IDLE = 0,   /* between commands */
    RESP_ST_INLINE,     /* waiting for the end of an inline line */
    RESP_ST_MB_COUNT,   /* waiting for the end of "*<n>\r\n" */
    RESP_ST_MB_ARGS,    /* reading bulks */
    RESP_ST_FAILED,     /* protocol error until resp_reader_reset() */
};

/* ---- memory: resp/ sees libc only, so it has its own abort-on-OOM wrapper ---- */

static void *resp_realloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "resp: out of memory allocating %zu bytes\n", n);
        abort();
    }
    return q;
}

/* Resizes argv/argvlen to exactly cap entries (cap >= argc). */
static void argv_resize(resp_reader *r, int cap) {
    r->argv = resp_realloc((void *)r->argv, (size_t)cap * sizeof(*r->argv));
    r->argvlen = resp_realloc(r->argvlen, (size_t)cap * sizeof(*r->argvlen));
    r->argv_cap = cap;
}

/* Makes room for argument number r->argc: doubles, but never past `most` (the count the
 * command declared, or INT_MAX), so nothing is reserved for arguments that never come. */
static void argv_grow(resp_reader *r, int most) {
    if (r->argc < r->argv_cap) return;
    int cap = r->argv_cap < 8 ? 8 : (r->argv_cap > INT_MAX / 2 ? INT_MAX : r->argv_cap * 2);
    if (cap > most) cap = most;
    if (cap <= r->argc) cap = r->argc + 1;
    argv_resize(r, cap);
}

/* ---- errors ---- */

__attribute__((format(printf, 2, 3))) static resp_status fail(resp_reader *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof(r->err), fmt, ap);
    va_end(ap);
    /* The text goes out as a one-line error reply: never let a quoted byte break it. */
    for (char *p = r->err; *p; p++)
        if (*p == '\r' || *p == '\n') *p = ' ';
    r->state = RESP_ST_FAILED;
    return RESP_ERR_PROTO;
}

/* ---- lines and numbers ---- */

/* Strict integer as Redis's string2ll accepts it: optional '-', digits, no leading zero
 * (except "0"), no '+', no spaces, at most 20 characters, fits a long long. */
static bool parse_ll(const char *s, size_t n, long long *out) {
    if (n == 0 || n > 20) return false;
    if (n == 1 && s[0] == '0') {
        *out = 0;
        return true;
    }
    size_t i = 0;
    bool neg = s[0] == '-';
    if (neg && ++i == n) return false;
    if (s[i] < '1' || s[i] > '9') return false;
    unsigned long long v = (unsigned long long)(s[i++] - '0');
    for (; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9) return false;
        if (v > (ULLONG_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (unsigned long long)LLONG_MAX + 1) return false;
        *out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v;
    } else {
        if (v > (unsigned long long)LLONG_MAX) return false;
        *out = (long long)v;
    }
    return true;
}

/* Fast path for the usual header: p[0] is the type byte, then 1 to 18 digits without a
 * leading zero (or a lone "0"), then '\r' and one more byte, all within avail bytes. Sets
 * *n and *hdrlen (CRLF included). Whatever it accepts, the general path (find_line then
 * parse_ll) would parse the same way; whatever it refuses goes to the general path. */
static inline bool short_header(const char *p, size_t avail, long long *n, size_t *hdrlen) {
    size_t max = avail < 21 ? avail : 21;
    if (max < 4) return false;
    unsigned d = (unsigned)(unsigned char)p[1] - '0';
    if (d > 9) return false;
    unsigned long long v = d; /* at most 19 digits are read: no overflow */
    size_t k = 2;
    if (d == 0) {
        if (p[2] != '\r') return false;
    } else {
        while (k < max - 1 && (d = (unsigned)(unsigned char)p[k] - '0') <= 9) {
            v = v * 10 + d;
            k++;
        }
        if (k == max - 1 || p[k] != '\r') return false;
    }
    *n = (long long)v; /* at most 18 digits were accepted */
    *hdrlen = k + 2;
    return true;
}

enum { LINE_TOO_BIG = -1, LINE_MORE = 0, LINE_FOUND = 1 };

/* Looks for the terminator `ch` of the line that starts at offset `start`, resuming at
 * r->scan so no byte is searched twice. LINE_FOUND sets *at to its offset, once `after`
 * more bytes follow it (Redis wants the "\n" of "\r\n" present before it parses a
 * header). The line may hold at most RESP_INLINE_MAX_SIZE bytes before its terminator;
 * past that it is LINE_TOO_BIG whether or not the terminator has arrived, so the
 * answer does not depend on how the stream was split. */
static int find_line(resp_reader *r, const char *buf, size_t len, size_t start, char ch, size_t after,
                     size_t *at) {
    size_t limit = start + RESP_INLINE_MAX_SIZE + 1; /* the terminator must lie before this */
    size_t end = len < limit ? len : limit;
    if (r->scan < start) r->scan = start;
    const char *p = r->scan < end ? memchr(buf + r->scan, ch, end - r->scan) : NULL;
    if (!p) {
        if (len >= limit) return LINE_TOO_BIG;
        r->scan = end;
        return LINE_MORE;
    }
    *at = r->scan = (size_t)(p - buf);
    return len - *at > after ? LINE_FOUND : LINE_MORE;
}

/* ---- argument splitting (sdssplitargs semantics) ---- */

static bool is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int hex_val(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes the next argument of s[*i..len) into dst, which has room for len - *i bytes (an
 * argument never decodes longer than its text). Returns 1 with *dlen set and *i past it,
 * 0 when only spaces are left, -1 on unbalanced quotes or a closing quote followed by
 * something other than a space. Arguments are always separated by at least one byte,
 * so n arguments of a line of len bytes decode, with a NUL each, into len + 1 bytes. */
static int split_next(const char *s, size_t len, size_t *i, char *dst, size_t *dlen) {
    size_t p = *i, n = 0;
    while (p < len && is_space((unsigned char)s[p])) p++;
    if (p == len) {
        *i = p;
        return 0;
    }
    bool dq = false, sq = false;
    for (;;) {
        if (dq) {
            if (p == len) return -1;
            char c = s[p];
            if (c == '\\' && p + 3 < len && s[p + 1] == 'x' && hex_val((unsigned char)s[p + 2]) >= 0 &&
                hex_val((unsigned char)s[p + 3]) >= 0) {
                dst[n++] = (char)(hex_val((unsigned char)s[p + 2]) * 16 + hex_val((unsigned char)s[p + 3]));
                p += 4;
            } else if (c == '\\' && p + 1 < len) {
                char e = s[p + 1];
                switch (e) {
                case 'n': e = '\n'; break;
                case 'r': e = '\r'; break;
                case 't': e = '\t'; break;
                case 'b': e = '\b'; break;
                case 'a': e = '\a'; break;
                default: break; /* \\ \" and any other escaped byte stand for themselves */
                }
                dst[n++] = e;
                p += 2;
            } else if (c == '"') {
                if (p + 1 < len && !is_space((unsigned char)s[p + 1])) return -1;
                p++;
                break;
            } else {
                dst[n++] = c;
                p++;
            }
        } else if (sq) {
            if (p == len) return -1;
            char c = s[p];
            if (c == '\\' && p + 1 < len && s[p + 1] == '\'') {
                dst[n++] = '\'';
                p += 2;
            } else if (c == '\'') {
                if (p + 1 < len && !is_space((unsigned char)s[p + 1])) return -1;
                p++;
                break;
            } else {
                dst[n++] = c;
                p++;
            }
        } else {
            if (p == len) break;
            char c = s[p];
            /* Only these end a bare argument (not \v or \f, which do separate arguments
             * elsewhere): sdssplitargs's rule. */
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') break;
            if (c == '"')
                dq = true;
            else if (c == '\'')
                sq = true;
            else
                dst[n++] = c;
            p++;
        }
    }
    *i = p;
    *dlen = n;
    return 1;
}

int resp_split_args(const char *line, size_t len, char ***out, size_t **outlen) {
    char *tmp = resp_realloc(NULL, len + 1);
    int argc = 0, cap = 4;
    char **argv = resp_realloc(NULL, (size_t)cap * sizeof(*argv));
    size_t *argvlen = resp_realloc(NULL, (size_t)cap * sizeof(*argvlen));
    size_t i = 0, n;
    int rc;
    while ((rc = split_next(line, len, &i, tmp, &n)) == 1) {
        if (argc == cap) {
            cap *= 2;
            argv = resp_realloc(argv, (size_t)cap * sizeof(*argv));
            argvlen = resp_realloc(argvlen, (size_t)cap * sizeof(*argvlen));
        }
        argv[argc] = resp_realloc(NULL, n + 1);
        memcpy(argv[argc], tmp, n);
        argv[argc][n] = '\0';
        argvlen[argc++] = n;
    }
    free(tmp);
    if (rc < 0) {
        resp_free_args(argc, argv, argvlen);
        *out = NULL;
        *outlen = NULL;
        return -1;
    }
    *out = argv;
    *outlen = argvlen;
    return argc;
}

void resp_free_args(int argc, char **argv, size_t *argvlen) {
    if (argv)
        for (int j = 0; j < argc; j++) free(argv[j]);
    free(argv);
    free(argvlen);
}

/* ---- the reader ---- */

void resp_reader_init(resp_reader *r) {
    memset(r, 0, sizeof(*r));
    r->max_bulk_len = RESP_PROTO_MAX_BULK_LEN_DEFAULT;
    r->bulk_len = -1;
    r->state = RESP_ST_IDLE;
}

void resp_reader_deinit(resp_reader *r) {
    free((void *)r->argv);
    free(r->argvlen);
    free(r->ibuf);
    r->argv = NULL;
    r->argvlen = NULL;
    r->ibuf = NULL;
    r->argv_cap = 0;
    r->ibuf_cap = 0;
    resp_reader_reset(r);
}

void resp_reader_reset(resp_reader *r) {
    r->state = RESP_ST_IDLE;
    r->argc = 0;
    r->mb_left = 0;
    r->bulk_len = -1;
    r->pos = r->scan = 0;
    r->err[0] = '\0';
}

void resp_reader_set_limits(resp_reader *r, long long max_bulk_len, bool unauthenticated) {
    r->max_bulk_len = max_bulk_len;
    r->unauthenticated = unauthenticated;
}

size_t resp_reader_want(const resp_reader *r) {
    if (r->state != RESP_ST_MB_ARGS || r->bulk_len < 0) return 0;
    unsigned long long need = (unsigned long long)r->bulk_len + 2;
    if (need > SIZE_MAX - r->pos) return SIZE_MAX;
    return r->pos + (size_t)need;
}

size_t resp_reader_parsed(const resp_reader *r) { return r->state == RESP_ST_MB_ARGS ? r->pos : 0; }

static resp_status feed_inline(resp_reader *r, const char *buf, size_t len, size_t *consumed) {
    size_t nl;
    int rc = find_line(r, buf, len, 0, '\n', 0, &nl);
    if (rc == LINE_TOO_BIG) return fail(r, "Protocol error: too big inline request");
    if (rc == LINE_MORE) return RESP_NEED_MORE;
    size_t linelen = nl;
    if (linelen > 0 && buf[linelen - 1] == '\r') linelen--;

    if (r->ibuf_cap < linelen + 1) {
        size_t cap = r->ibuf_cap ? r->ibuf_cap : 64;
        while (cap < linelen + 1) cap *= 2;
        r->ibuf = resp_realloc(r->ibuf, cap);
        r->ibuf_cap = cap;
    }
    /* Decode each argument right after the previous one's NUL (see split_next). */
    size_t i = 0, out = 0, n;
    r->argc = 0;
    while ((rc = split_next(buf, linelen, &i, r->ibuf + out, &n)) == 1) {
        argv_grow(r, INT_MAX);
        r->ibuf[out + n] = '\0';
        r->argv[r->argc] = r->ibuf + out;
        r->argvlen[r->argc++] = n;
        out += n + 1;
    }
    if (rc < 0) return fail(r, "Protocol error: unbalanced quotes in request");
    r->state = RESP_ST_IDLE;
    r->pos = r->scan = 0;
    *consumed = nl + 1;
    return RESP_OK;
}

static resp_status feed_multibulk(resp_reader *r, const char *buf, size_t len, size_t *consumed) {
    size_t cr;
    long long ll;
    int rc;

    if (r->state == RESP_ST_MB_COUNT) {
        size_t hdrlen;
        if (short_header(buf, len, &ll, &hdrlen)) {
            cr = hdrlen - 2;
        } else {
            rc = find_line(r, buf, len, 0, '\r', 1, &cr);
            if (rc == LINE_TOO_BIG) return fail(r, "Protocol error: too big mbulk count string");
            if (rc == LINE_MORE) return RESP_NEED_MORE;
            if (!parse_ll(buf + 1, cr - 1, &ll)) return fail(r, "Protocol error: invalid multibulk length");
        }
        if (ll > RESP_MBULK_MAX) return fail(r, "Protocol error: invalid multibulk length");
        if (r->unauthenticated && ll > RESP_UNAUTH_MBULK_MAX)
            return fail(r, "Protocol error: unauthenticated multibulk length");
        r->pos = cr + 2;
        if (ll <= 0) { /* "*0\r\n", "*-1\r\n": an empty command */
            *consumed = r->pos;
            r->argc = 0;
            r->state = RESP_ST_IDLE;
            r->pos = r->scan = 0;
            return RESP_OK;
        }
        r->mb_left = (int)ll;
        r->bulk_len = -1;
        r->state = RESP_ST_MB_ARGS;
        int pre = ll < RESP_ARGV_PREALLOC_MAX ? (int)ll : RESP_ARGV_PREALLOC_MAX;
        if (r->argv_cap < pre) argv_resize(r, pre);
    }

    /* While the command is incomplete, argv[i] holds the argument's offset from the
     * command start (buf may move between calls); it becomes a pointer at the end. */
    while (r->mb_left > 0) {
        if (r->bulk_len < 0) {
            size_t hdrlen;
            if (r->pos < len && buf[r->pos] == '$' && short_header(buf + r->pos, len - r->pos, &ll, &hdrlen)) {
                cr = r->pos + hdrlen - 2;
            } else {
                rc = find_line(r, buf, len, r->pos, '\r', 1, &cr);
                if (rc == LINE_TOO_BIG) return fail(r, "Protocol error: too big bulk count string");
                if (rc == LINE_MORE) return RESP_NEED_MORE;
                if (buf[r->pos] != '$') return fail(r, "Protocol error: expected '$', got '%c'", buf[r->pos]);
                if (!parse_ll(buf + r->pos + 1, cr - r->pos - 1, &ll)) ll = -1;
            }
            if (ll < 0 || ll > r->max_bulk_len) return fail(r, "Protocol error: invalid bulk length");
            if (r->unauthenticated && ll > RESP_UNAUTH_BULK_MAX)
                return fail(r, "Protocol error: unauthenticated bulk length");
            r->pos = cr + 2;
            r->bulk_len = ll;
        }
        size_t avail = len - r->pos;
        if (avail < 2 || (unsigned long long)(avail - 2) < (unsigned long long)r->bulk_len)
            return RESP_NEED_MORE;
        argv_grow(r, r->argc + r->mb_left);
        r->argv[r->argc] = (const char *)(uintptr_t)r->pos;
        r->argvlen[r->argc++] = (size_t)r->bulk_len;
        r->pos += (size_t)r->bulk_len + 2;
        r->bulk_len = -1;
        r->mb_left--;
    }
    for (int j = 0; j < r->argc; j++) r->argv[j] = buf + (uintptr_t)r->argv[j];
    *consumed = r->pos;
    r->state = RESP_ST_IDLE;
    r->pos = r->scan = 0;
    return RESP_OK;
}

resp_status resp_reader_feed(resp_reader *r, const char *buf, size_t len, size_t *consumed) {
    *consumed = 0;
    switch (r->state) {
    case RESP_ST_FAILED: return RESP_ERR_PROTO;
    case RESP_ST_INLINE: assert(len >= r->scan); return feed_inline(r, buf, len, consumed);
    case RESP_ST_MB_COUNT:
    case RESP_ST_MB_ARGS: assert(len >= r->pos && len >= r->scan); return feed_multibulk(r, buf, len, consumed);
    default: break;
    }
    /* A new command. */
    if (len == 0) return RESP_NEED_MORE;
    /* After a huge command, give the memory back (the previous command's pointers die here). */
    if (r->argv_cap > RESP_ARGV_KEEP_MAX) argv_resize(r, RESP_ARGV_PREALLOC_MAX);
    if (r->ibuf_cap > RESP_IBUF_KEEP_MAX) {
        free(r->ibuf);
        r->ibuf = NULL;
        r->ibuf_cap = 0;
    }
    r->argc = 0;
    r->pos = r->scan = 0;
    r->bulk_len = -1;
    r->mb_left = 0;
    if (buf[0] == '*') {
        r->state = RESP_ST_MB_COUNT;
        return feed_multibulk(r, buf, len, consumed);
    }
    r->state = RESP_ST_INLINE;
    return feed_inline(r, buf, len, consumed);
}
