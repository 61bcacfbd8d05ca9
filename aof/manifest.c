/* aof/manifest.c: the manifest: model, text format, durable save, hostile parse.
 * The syntax is specified in aof/FORMAT.md; keep the two in step. */
#include "aof.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/fs.h"
#include "utils/sbuf.h"

#define MAGIC        "cairn-aof-manifest"
#define LINE_MAX_LEN 1024
#define SEQ_MAX      999999999999999LL /* 15 digits: room to add 1, fits any printf */

/* CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), bit at a time: a manifest
 * is a few hundred bytes. */
static uint32_t crc32_ieee(const char *p, size_t len) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) {
        c ^= (unsigned char)p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

static void seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...) {
    if (!err || errlen == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ---- the model ------------------------------------------------------------------- */

void aof_manifest_init(aof_manifest *m) { memset(m, 0, sizeof(*m)); }

void aof_manifest_deinit(aof_manifest *m) {
    cn_free(m->base.name);
    for (size_t i = 0; i < m->nincr; i++) cn_free(m->incr[i].name);
    cn_free(m->incr);
    memset(m, 0, sizeof(*m));
}

static void push_incr(aof_manifest *m, long long seq, char *name) {
    if (m->nincr == m->incr_cap) {
        m->incr_cap = m->incr_cap ? m->incr_cap * 2 : 4;
        m->incr = cn_realloc(m->incr, m->incr_cap * sizeof(*m->incr));
    }
    m->incr[m->nincr].seq = seq;
    m->incr[m->nincr].name = name;
    m->nincr++;
}

void aof_manifest_copy(aof_manifest *dst, const aof_manifest *src) {
    if (dst == src) return;
    aof_manifest_deinit(dst);
    dst->has_base = src->has_base;
    dst->base_type = src->base_type;
    if (src->has_base) {
        dst->base.seq = src->base.seq;
        dst->base.name = cn_strdup(src->base.name);
    }
    for (size_t i = 0; i < src->nincr; i++)
        push_incr(dst, src->incr[i].seq, cn_strdup(src->incr[i].name));
}

bool aof_name_valid(const char *name) {
    size_t n = strlen(name);
    if (n == 0 || n > AOF_NAME_MAX) return false;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c <= ' ' || c >= 0x7f || c == '/') return false;
    }
    return true;
}

long long aof_manifest_next_seq(const aof_manifest *m) {
    long long max = m->has_base ? m->base.seq : 0;
    for (size_t i = 0; i < m->nincr; i++)
        if (m->incr[i].seq > max) max = m->incr[i].seq;
    return max + 1;
}

static char *make_name(const char *prefix, long long seq, const char *suffix) {
    int n = snprintf(NULL, 0, "%s.%lld.%s", prefix, seq, suffix);
    char *s = cn_malloc((size_t)n + 1);
    snprintf(s, (size_t)n + 1, "%s.%lld.%s", prefix, seq, suffix);
    return s;
}

const char *aof_manifest_add_incr(aof_manifest *m, const char *prefix) {
    long long seq = aof_manifest_next_seq(m);
    push_incr(m, seq, make_name(prefix, seq, "incr.aof"));
    return m->incr[m->nincr - 1].name;
}

const char *aof_manifest_new_base(aof_manifest *m, const char *prefix, aof_base_type type) {
    long long seq = aof_manifest_next_seq(m);
    cn_free(m->base.name);
    m->has_base = true;
    m->base_type = type;
    m->base.seq = seq;
    m->base.name = make_name(prefix, seq, type == AOF_BASE_SNAPSHOT ? "base.snap" : "base.aof");
    return m->base.name;
}

void aof_manifest_drop_incr_before(aof_manifest *m, long long seq) {
    size_t j = 0;
    for (size_t i = 0; i < m->nincr; i++) {
        if (m->incr[i].seq < seq)
            cn_free(m->incr[i].name);
        else
            m->incr[j++] = m->incr[i];
    }
    m->nincr = j;
}

const char *aof_manifest_last_incr(const aof_manifest *m) {
    return m->nincr ? m->incr[m->nincr - 1].name : NULL;
}

bool aof_manifest_contains(const aof_manifest *m, const char *name) {
    if (m->has_base && strcmp(m->base.name, name) == 0) return true;
    for (size_t i = 0; i < m->nincr; i++)
        if (strcmp(m->incr[i].name, name) == 0) return true;
    return false;
}

bool aof_manifest_filename(const char *prefix, char *out, size_t outlen) {
    int n = snprintf(out, outlen, "%s.manifest", prefix);
    return n >= 0 && (size_t)n < outlen;
}

/* ---- text ---------------------------------------------------------------------------- */

char *aof_manifest_format(const aof_manifest *m, size_t *len) {
    sbuf b = {0};
    sbuf_cat(&b, "# Cairn AOF manifest, written by the server (see aof/FORMAT.md).\n");
    sbuf_catfmt(&b, MAGIC " %d\n", AOF_MANIFEST_VERSION);
    if (m->has_base)
        sbuf_catfmt(&b, "base %lld %s %s\n", m->base.seq,
                    m->base_type == AOF_BASE_SNAPSHOT ? "snap" : "aof", m->base.name);
    for (size_t i = 0; i < m->nincr; i++)
        sbuf_catfmt(&b, "incr %lld %s\n", m->incr[i].seq, m->incr[i].name);
    sbuf_catfmt(&b, "end %08x\n", (unsigned)crc32_ieee(b.buf, b.len));
    *len = b.len;
    return b.buf;
}

/* Splits line[0..len) at single spaces into at most max tokens; -1 if a token is
 * empty (leading, trailing or double space) or there are more than max. */
static int split_line(const char *line, size_t len, const char **tok, size_t *toklen, int max) {
    int n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && line[i] != ' ') continue;
        if (i == start || n == max) return -1;
        tok[n] = line + start;
        toklen[n] = i - start;
        n++;
        start = i + 1;
    }
    return n;
}

static bool tok_is(const char *t, size_t n, const char *s) {
    return n == strlen(s) && memcmp(t, s, n) == 0;
}

/* A sequence number: decimal digits, no sign, no leading zero, 1..SEQ_MAX. */
static bool parse_seq(const char *t, size_t n, long long *out) {
    if (n == 0 || n > 15 || t[0] == '0') return false;
    long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i] < '0' || t[i] > '9') return false;
        v = v * 10 + (t[i] - '0');
    }
    if (v < 1 || v > SEQ_MAX) return false;
    *out = v;
    return true;
}

/* A token quoted for an error message: printable bytes, at most 32 of them. */
static void quote_tok(char *dst, size_t dstlen, const char *t, size_t n) {
    size_t j = 0;
    for (size_t i = 0; i < n && j + 5 < dstlen && i < 32; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c >= 0x20 && c < 0x7f)
            dst[j++] = (char)c;
        else
            j += (size_t)snprintf(dst + j, dstlen - j, "\\x%02x", c);
    }
    if (n > 32 && j + 4 < dstlen) dst[j++] = '.', dst[j++] = '.', dst[j++] = '.';
    dst[j] = '\0';
}

typedef struct name_ref {
    const char *name;
    size_t line;
} name_ref;

static int cmp_name_ref(const void *a, const void *b) {
    const name_ref *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c) return c;
    return x->line < y->line ? -1 : x->line > y->line;
}

aof_status aof_manifest_parse(const char *buf, size_t len, aof_manifest *m, char *err,
                              size_t errlen) {
    aof_manifest_deinit(m);
    if (len > AOF_MANIFEST_MAX) {
        seterr(err, errlen, "manifest: %zu bytes, more than the %d allowed", len, AOF_MANIFEST_MAX);
        return AOF_ERR;
    }
    size_t *incr_line = NULL, incr_line_cap = 0; /* line of each incr, for messages */
    size_t base_line = 0, line = 0, pos = 0;
    bool seen_magic = false, seen_end = false;
    aof_status st = AOF_ERR;

    while (pos < len) {
        line++;
        const char *l = buf + pos;
        const char *nl = memchr(l, '\n', len - pos);
        if (!nl) {
            seterr(err, errlen, "line %zu: no newline at the end (the file is truncated)", line);
            goto fail;
        }
        size_t ll = (size_t)(nl - l);
        size_t line_start = pos;
        pos += ll + 1;
        if (ll > LINE_MAX_LEN) {
            seterr(err, errlen, "line %zu: longer than %d bytes", line, LINE_MAX_LEN);
            goto fail;
        }
        for (size_t i = 0; i < ll; i++) {
            unsigned char c = (unsigned char)l[i];
            if (c < 0x20 || c == 0x7f) {
                seterr(err, errlen, "line %zu: control byte 0x%02x at column %zu", line, c, i + 1);
                goto fail;
            }
        }
        if (seen_end) {
            seterr(err, errlen, "line %zu: text after the end line", line);
            goto fail;
        }
        if (ll > 0 && l[0] == '#') continue;
        if (ll == 0) {
            seterr(err, errlen, "line %zu: empty line", line);
            goto fail;
        }
        const char *tok[5];
        size_t tl[5];
        int nt = split_line(l, ll, tok, tl, 5);
        if (nt < 0) {
            seterr(err, errlen, "line %zu: fields must be separated by exactly one space", line);
            goto fail;
        }
        char q[160];
        if (!seen_magic) {
            if (nt != 2 || !tok_is(tok[0], tl[0], MAGIC)) {
                seterr(err, errlen,
                       "line %zu: not a Cairn AOF manifest (expected \"" MAGIC " %d\")", line,
                       AOF_MANIFEST_VERSION);
                goto fail;
            }
            long long v;
            if (!parse_seq(tok[1], tl[1], &v) || v != AOF_MANIFEST_VERSION) {
                quote_tok(q, sizeof(q), tok[1], tl[1]);
                seterr(err, errlen,
                       "line %zu: unsupported manifest version '%s' (this build reads %d)", line, q,
                       AOF_MANIFEST_VERSION);
                goto fail;
            }
            seen_magic = true;
            continue;
        }
        if (tok_is(tok[0], tl[0], "end")) {
            if (nt != 2 || tl[1] != 8) {
                seterr(err, errlen, "line %zu: expected \"end <8 hex digits>\"", line);
                goto fail;
            }
            unsigned long want = 0;
            for (int i = 0; i < 8; i++) {
                char c = tok[1][i];
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
                if (d < 0) {
                    seterr(err, errlen, "line %zu: checksum is not 8 lowercase hex digits", line);
                    goto fail;
                }
                want = want << 4 | (unsigned long)d;
            }
            uint32_t got = crc32_ieee(buf, line_start);
            if (got != (uint32_t)want) {
                seterr(err, errlen,
                       "line %zu: checksum mismatch (file says %08lx, content has %08x)", line,
                       want, (unsigned)got);
                goto fail;
            }
            seen_end = true;
            continue;
        }
        bool is_base = tok_is(tok[0], tl[0], "base"), is_incr = tok_is(tok[0], tl[0], "incr");
        if (!is_base && !is_incr) {
            quote_tok(q, sizeof(q), tok[0], tl[0]);
            seterr(err, errlen, "line %zu: unknown keyword '%s'", line, q);
            goto fail;
        }
        int want_fields = is_base ? 4 : 3;
        if (nt != want_fields) {
            seterr(err, errlen, "line %zu: expected \"%s\"", line,
                   is_base ? "base <seq> snap|aof <name>" : "incr <seq> <name>");
            goto fail;
        }
        long long seq;
        if (!parse_seq(tok[1], tl[1], &seq)) {
            quote_tok(q, sizeof(q), tok[1], tl[1]);
            seterr(err, errlen, "line %zu: bad sequence number '%s'", line, q);
            goto fail;
        }
        const char *nt_name = tok[want_fields - 1];
        size_t nlen = tl[want_fields - 1];
        char name[AOF_NAME_MAX + 1];
        if (nlen > AOF_NAME_MAX) {
            seterr(err, errlen, "line %zu: file name longer than %d bytes", line, AOF_NAME_MAX);
            goto fail;
        }
        memcpy(name, nt_name, nlen);
        name[nlen] = '\0';
        if (!aof_name_valid(name)) {
            quote_tok(q, sizeof(q), nt_name, nlen);
            seterr(err, errlen, "line %zu: invalid file name '%s'", line, q);
            goto fail;
        }
        /* One sequence for base and incremental files: a number is never reused. */
        if (m->has_base && m->base.seq == seq) {
            seterr(err, errlen, "line %zu: sequence number %lld already used on line %zu", line,
                   seq, base_line);
            goto fail;
        }
        for (size_t i = 0; i < m->nincr; i++) { /* incr seqs increase, so only the last can match */
            if (i + 1 < m->nincr && !is_base) continue;
            if (m->incr[i].seq == seq) {
                seterr(err, errlen, "line %zu: sequence number %lld already used on line %zu", line,
                       seq, incr_line[i]);
                goto fail;
            }
        }
        if (is_base) {
            if (m->has_base) {
                seterr(err, errlen, "line %zu: a second base file (the first is on line %zu)", line,
                       base_line);
                goto fail;
            }
            aof_base_type type;
            if (tok_is(tok[2], tl[2], "snap"))
                type = AOF_BASE_SNAPSHOT;
            else if (tok_is(tok[2], tl[2], "aof"))
                type = AOF_BASE_RESP;
            else {
                quote_tok(q, sizeof(q), tok[2], tl[2]);
                seterr(err, errlen, "line %zu: unknown base type '%s' (snap or aof)", line, q);
                goto fail;
            }
            m->has_base = true;
            m->base_type = type;
            m->base.seq = seq;
            m->base.name = cn_strdup(name);
            base_line = line;
        } else {
            if (m->nincr > 0 && seq < m->incr[m->nincr - 1].seq) {
                seterr(err, errlen,
                       "line %zu: sequence number %lld is smaller than the previous incremental "
                       "file's "
                       "(%lld on line %zu)",
                       line, seq, m->incr[m->nincr - 1].seq, incr_line[m->nincr - 1]);
                goto fail;
            }
            if (m->nincr == incr_line_cap) {
                incr_line_cap = incr_line_cap ? incr_line_cap * 2 : 4;
                incr_line = cn_realloc(incr_line, incr_line_cap * sizeof(*incr_line));
            }
            incr_line[m->nincr] = line;
            push_incr(m, seq, cn_strdup(name));
        }
    }
    if (!seen_magic) {
        seterr(err, errlen, "manifest: empty (no \"" MAGIC "\" line)");
        goto fail;
    }
    if (!seen_end) {
        seterr(err, errlen, "manifest: no end line (the file is truncated)");
        goto fail;
    }
    /* The same file named twice would be replayed twice. */
    size_t nref = m->nincr + (m->has_base ? 1 : 0);
    if (nref > 1) {
        name_ref *refs = cn_malloc(nref * sizeof(*refs));
        size_t k = 0;
        if (m->has_base) refs[k++] = (name_ref){m->base.name, base_line};
        for (size_t i = 0; i < m->nincr; i++) refs[k++] = (name_ref){m->incr[i].name, incr_line[i]};
        qsort(refs, nref, sizeof(*refs), cmp_name_ref);
        size_t dup = 0, first = 0;
        for (size_t i = 1; i < nref && !dup; i++)
            if (strcmp(refs[i].name, refs[i - 1].name) == 0)
                dup = refs[i].line, first = refs[i - 1].line;
        cn_free(refs);
        if (dup) {
            seterr(err, errlen, "line %zu: file name already listed on line %zu", dup, first);
            goto fail;
        }
    }
    st = AOF_OK;
fail:
    cn_free(incr_line);
    if (st != AOF_OK) aof_manifest_deinit(m);
    return st;
}

/* ---- files ----------------------------------------------------------------------------- */

static char *join_path(const char *dir, const char *name) {
    size_t dl = strlen(dir), nl = strlen(name);
    char *p = cn_malloc(dl + nl + 2);
    memcpy(p, dir, dl);
    p[dl] = '/';
    memcpy(p + dl + 1, name, nl + 1);
    return p;
}

aof_status aof_manifest_load(const char *dir, const char *name, aof_manifest *m, char *err,
                             size_t errlen) {
    aof_manifest_deinit(m);
    char *path = join_path(dir, name);
    aof_status st = AOF_ERR;
    char *buf = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            st = AOF_NOT_FOUND;
        else
            seterr(err, errlen, "%s: %s", path, strerror(errno));
        goto out;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        seterr(err, errlen, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(sb.st_mode) || sb.st_size > AOF_MANIFEST_MAX) {
        seterr(err, errlen, "%s: %s", path,
               S_ISREG(sb.st_mode) ? "larger than 1 MB: not a manifest" : "not a regular file");
        goto out;
    }
    /* Read up to one byte past the limit so a file that grew since fstat is caught. */
    size_t cap = (size_t)sb.st_size + 1, len = 0;
    buf = cn_malloc(cap);
    for (;;) {
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            seterr(err, errlen, "%s: %s", path, strerror(errno));
            goto out;
        }
        if (n == 0) break;
        len += (size_t)n;
        if (len == cap) {
            if (cap > AOF_MANIFEST_MAX) {
                seterr(err, errlen, "%s: larger than 1 MB: not a manifest", path);
                goto out;
            }
            cap = cap * 2 > (size_t)AOF_MANIFEST_MAX + 1 ? (size_t)AOF_MANIFEST_MAX + 1 : cap * 2;
            buf = cn_realloc(buf, cap);
        }
    }
    char perr[256];
    if (aof_manifest_parse(buf, len, m, perr, sizeof(perr)) != AOF_OK) {
        seterr(err, errlen, "%s: %s", path, perr);
        goto out;
    }
    st = AOF_OK;
out:
    if (fd >= 0) close(fd);
    cn_free(buf);
    cn_free(path);
    return st;
}

static int write_all(int fd, const char *p, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        if (n == 0) {
            errno = ENOSPC;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

aof_status aof_manifest_save(const char *dir, const char *name, const aof_manifest *m, char *err,
                             size_t errlen) {
    char *path = join_path(dir, name);
    size_t pl = strlen(path);
    char *tmp = cn_malloc(pl + 5);
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, ".tmp", 5);
    size_t len;
    char *text = aof_manifest_format(m, &len);
    aof_status st = AOF_ERR;
    bool tmp_made = false;

    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        seterr(err, errlen, "creating %s: %s", tmp, strerror(errno));
        goto out;
    }
    tmp_made = true;
    if (write_all(fd, text, len) != 0) {
        seterr(err, errlen, "writing %s: %s", tmp, strerror(errno));
        goto out;
    }
    if (fsync(fd) != 0) {
        seterr(err, errlen, "fsync %s: %s", tmp, strerror(errno));
        goto out;
    }
    if (close(fd) != 0) {
        fd = -1;
        seterr(err, errlen, "closing %s: %s", tmp, strerror(errno));
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        seterr(err, errlen, "renaming %s to %s: %s", tmp, path, strerror(errno));
        goto out;
    }
    tmp_made = false;
    /* The rename is durable once the directory is. Past this point the new manifest is
     * in place: an error here is reported, but the switch has happened. */
    if (fs_sync_dir(dir) != 0) {
        seterr(err, errlen, "fsync directory %s: %s", dir, strerror(errno));
        goto out;
    }
    st = AOF_OK;
out:
    if (fd >= 0) close(fd);
    if (tmp_made) unlink(tmp);
    cn_free(text);
    cn_free(tmp);
    cn_free(path);
    return st;
}
