/* aof/loader.c: reads a RESP log in bounded chunks, one command at a time. See aof.h.
 *
 * The buffer holds the unread rest of the last read plus the command in progress; it
 * grows (by doubling) only while one command does not fit, so memory follows the
 * largest command, never the file. */
#include "aof.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "resp/reader.h"
#include "utils/alloc.h"

struct aof_loader {
    int fd;
    char *path;
    resp_reader rd;
    char *buf;
    size_t cap, start, end; /* buf[start..end) read, not yet consumed */
    off_t valid;            /* file offset of buf[start]: the end of the complete commands */
    off_t last_start;       /* file offset of the last command returned */
    long long commands;
    bool eof;
    aof_status final; /* AOF_OK while reading; else the status to repeat */
    char msg[512];    /* the message that goes with `final` */
};

static void fail(aof_loader *l, aof_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(aof_loader *l, aof_status st, const char *fmt, ...) {
    char reason[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    snprintf(l->msg, sizeof(l->msg), "%s: offset %lld: %s", l->path, (long long)l->valid, reason);
    l->final = st;
}

aof_status aof_loader_open(const char *path, long long max_bulk_len, aof_loader **out, char *err,
                           size_t errlen) {
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (err && errlen) snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return AOF_ERR;
    }
    aof_loader *l = cn_calloc(1, sizeof(*l));
    l->fd = fd;
    l->path = cn_strdup(path);
    resp_reader_init(&l->rd);
    resp_reader_set_limits(
        &l->rd, max_bulk_len > 0 ? max_bulk_len : RESP_PROTO_MAX_BULK_LEN_DEFAULT, false);
    l->cap = AOF_LOAD_CHUNK;
    l->buf = cn_malloc(l->cap);
    l->final = AOF_OK;
    *out = l;
    return AOF_OK;
}

void aof_loader_close(aof_loader *l) {
    if (!l) return;
    if (l->fd >= 0) close(l->fd);
    resp_reader_deinit(&l->rd);
    cn_free(l->buf);
    cn_free(l->path);
    cn_free(l);
}

off_t aof_loader_offset(const aof_loader *l) { return l->valid; }
long long aof_loader_commands(const aof_loader *l) { return l->commands; }

/* One read() into the free space after `end`, compacting or growing first. */
static void fill(aof_loader *l) {
    if (l->start > 0) {
        memmove(l->buf, l->buf + l->start, l->end - l->start);
        l->end -= l->start;
        l->start = 0;
    }
    if (l->end == l->cap) { /* one command larger than the buffer: double, never jump */
        l->cap *= 2;
        l->buf = cn_realloc(l->buf, l->cap);
    }
    size_t room = l->cap - l->end;
    if (room > AOF_LOAD_CHUNK * 16) room = AOF_LOAD_CHUNK * 16;
    for (;;) {
        ssize_t n = read(l->fd, l->buf + l->end, room);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            fail(l, AOF_ERR, "read error: %s", strerror(errno));
            return;
        }
        if (n == 0)
            l->eof = true;
        else
            l->end += (size_t)n;
        return;
    }
}

aof_status aof_loader_next(aof_loader *l, int *argc, const char ***argv, const size_t **lens,
                           char *err, size_t errlen) {
    while (l->final == AOF_OK) {
        if (l->start < l->end) {
            const char *p = l->buf + l->start;
            size_t avail = l->end - l->start;
            if (p[0] != '*') {
                unsigned char c = (unsigned char)p[0];
                if (c >= 0x20 && c < 0x7f)
                    fail(l, AOF_ERR, "expected '*' (a multibulk command), found '%c'", c);
                else
                    fail(l, AOF_ERR, "expected '*' (a multibulk command), found byte 0x%02x", c);
                break;
            }
            size_t used = 0;
            resp_status rs = resp_reader_feed(&l->rd, p, avail, &used);
            if (rs == RESP_ERR_PROTO) {
                fail(l, AOF_ERR, "%s", l->rd.err);
                break;
            }
            if (rs == RESP_OK) {
                if (l->rd.argc < 1) {
                    fail(l, AOF_ERR, "a command with no arguments");
                    break;
                }
                /* The reader skips the two bytes after a bulk; a log must have CRLF there. */
                for (int i = 0; i < l->rd.argc; i++) {
                    const char *e = l->rd.argv[i] + l->rd.argvlen[i];
                    if (e[0] != '\r' || e[1] != '\n') {
                        fail(l, AOF_ERR, "argument %d of %d: no CRLF after its %zu bytes", i + 1,
                             l->rd.argc, l->rd.argvlen[i]);
                        break;
                    }
                }
                if (l->final != AOF_OK) break;
                l->last_start = l->valid;
                l->start += used;
                l->valid += (off_t)used;
                l->commands++;
                *argc = l->rd.argc;
                *argv = l->rd.argv;
                *lens = l->rd.argvlen;
                return AOF_OK;
            }
            /* RESP_NEED_MORE: read more below. */
        }
        if (l->eof) {
            if (l->start == l->end) {
                l->final = AOF_EOF;
                l->msg[0] = '\0';
            } else {
                fail(l, AOF_TRUNCATED,
                     "the file ends inside a command (%zu bytes after the last complete one)",
                     l->end - l->start);
            }
            break;
        }
        fill(l);
    }
    if (err && errlen) snprintf(err, errlen, "%s", l->msg);
    return l->final;
}

aof_status aof_load(const char *path, long long max_bulk_len, aof_sink *sink, void *priv,
                    aof_load_info *info, char *err, size_t errlen) {
    aof_load_info dummy;
    if (!info) info = &dummy;
    memset(info, 0, sizeof(*info));
    aof_loader *l;
    if (aof_loader_open(path, max_bulk_len, &l, err, errlen) != AOF_OK) return AOF_ERR;
    aof_status st;
    for (;;) {
        int argc;
        const char **argv;
        const size_t *lens;
        st = aof_loader_next(l, &argc, &argv, &lens, err, errlen);
        if (st != AOF_OK) break;
        if (sink(priv, argc, argv, lens) != 0) {
            /* Report where the refused command starts. */
            size_t n = lens[0] < 32 ? lens[0] : 32, j = 0;
            char name[32 * 4 + 1];
            for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char)argv[0][i];
                if (c >= 0x20 && c < 0x7f && c != '\'')
                    name[j++] = (char)c;
                else
                    j += (size_t)snprintf(name + j, sizeof(name) - j, "\\x%02x", c);
            }
            name[j] = '\0';
            info->commands = l->commands - 1;
            info->valid_len = l->last_start; /* the refused command is not applied */
            info->file_size = l->valid + (off_t)(l->end - l->start);
            if (err && errlen)
                snprintf(err, errlen, "%s: offset %lld: command '%s' refused", path,
                         (long long)info->valid_len, name);
            aof_loader_close(l);
            return AOF_ERR;
        }
    }
    info->commands = l->commands;
    info->valid_len = l->valid;
    info->file_size = l->valid + (off_t)(l->end - l->start);
    aof_loader_close(l);
    return st == AOF_EOF ? AOF_OK : st;
}

aof_status aof_truncate(const char *path, off_t offset, char *err, size_t errlen) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    struct stat sb;
    const char *what = NULL;
    int e = 0;
    if (fd < 0) {
        e = errno;
        what = "open";
    } else if (fstat(fd, &sb) != 0) {
        e = errno;
        what = "stat";
    } else if (offset < 0 || offset > sb.st_size) {
        if (err && errlen)
            snprintf(err, errlen, "%s: cannot truncate to offset %lld: the file has %lld bytes",
                     path, (long long)offset, (long long)sb.st_size);
        close(fd);
        return AOF_ERR;
    } else if (ftruncate(fd, offset) != 0) {
        e = errno;
        what = "truncate";
    } else if (fsync(fd) != 0) {
        e = errno;
        what = "fsync";
    }
    if (fd >= 0) close(fd);
    if (what) {
        if (err && errlen) snprintf(err, errlen, "%s: %s: %s", path, what, strerror(e));
        return AOF_ERR;
    }
    return AOF_OK;
}
