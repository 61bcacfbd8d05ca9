/* snapshot/reader.c: the snapshot reader (see snapshot.h, FORMAT.md).
 *
 * Layers, bottom up: file reads (the header straight from the fd; after it, into the
 * input buffer for a codec, or straight into the window for an uncompressed file);
 * fill(), which refills the window of uncompressed record bytes; rd_bytes() and
 * friends, which take bytes from the window, hash them and advance the logical offset;
 * and the record parser. Every failure goes through rd_fail* and leaves the reader
 * failed. */
#include <errno.h>
#include <fcntl.h>
#include <lz4frame.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "format.h"
#include "snapshot.h"
#include "utils/alloc.h"
#include "utils/intset.h"
#include "utils/listpack.h"
#include "utils/xxhash.h"

#define IBUF_CAP       (128 * 1024)  /* compressed input per read */
#define WIN_CAP        (256 * 1024)  /* uncompressed window */
#define GROW_STEP      (1024 * 1024) /* buffers grow by at most this beyond what arrived */
#define SCRATCH_KEEP   (1024 * 1024) /* scratch buffers bigger than this are freed per record */
#define ZSTD_WLOG_MAX  23            /* 8 MB window: what levels up to 19 use */

typedef struct scratch {
    unsigned char *p;
    size_t cap;
} scratch;

struct snap_reader {
    int fd;
    int codec;
    char *path;
    bool failed, done;
    char err[512];
    snap_header h;

    uint64_t file_size; /* from fstat at open, for messages */
    uint64_t file_off;  /* bytes read from the file */
    bool in_eof;        /* read() returned 0 */
    bool frame_done;    /* the codec's stream ended */

    unsigned char *ibuf;
    size_t ipos, ilen;
    unsigned char *win;
    size_t wpos, wlen;
    size_t whashed; /* window bytes [0, whashed) are in xs (and fs) already */
    ZSTD_DCtx *zd;
    LZ4F_dctx *ld;

    xxh64_state xs; /* content: header and uncompressed records */
    xxh64_state fs; /* file bytes consumed (all but the trailer) */
    uint64_t off;      /* logical offset: header + uncompressed record bytes consumed */

    scratch key, val, val2;
    size_t blob_len; /* the current record's blob in val, if has_blob */
    bool has_blob;

    /* Databases. */
    bool in_db;
    uint32_t db_idx; /* index in h.dbs of the current database */
    uint64_t keys, expires, total;

    /* The elements record being read. */
    int elem_type;
    uint64_t elem_left;
};

/* ---- errors ------------------------------------------------------------------------ */

static void rd_vfail(snap_reader *r, uint64_t off, bool add_file_off, const char *fmt, va_list ap) {
    if (r->failed) return;
    r->failed = true;
    int n = snprintf(r->err, sizeof(r->err), "%s: offset %llu: ", r->path, (unsigned long long)off);
    if (n < 0 || (size_t)n >= sizeof(r->err)) return;
    int m = vsnprintf(r->err + n, sizeof(r->err) - (size_t)n, fmt, ap);
    if (m < 0) return;
    n += m;
    if (add_file_off && r->codec != SNAP_NONE && (size_t)n < sizeof(r->err))
        snprintf(r->err + n, sizeof(r->err) - (size_t)n, " (in the uncompressed stream; file offset %llu)",
                 (unsigned long long)(r->file_off - (r->ilen - r->ipos)));
}

/* At an explicit offset (file offsets: the header, the codec, truncation). */
static void rd_fail_at(snap_reader *r, uint64_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void rd_fail_at(snap_reader *r, uint64_t off, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    rd_vfail(r, off, false, fmt, ap);
    va_end(ap);
}

/* At a logical offset in the record stream. */
static void rd_fail(snap_reader *r, uint64_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void rd_fail(snap_reader *r, uint64_t off, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    rd_vfail(r, off, true, fmt, ap);
    va_end(ap);
}

static void rd_truncated(snap_reader *r, const char *what) {
    rd_fail_at(r, r->file_off, "truncated: the file ends inside %s", what);
}

/* ---- file and codec ---------------------------------------------------------------- */

/* Reads up to n bytes; the count, 0 at end of file, -1 on error (failed). */
static ssize_t file_read(snap_reader *r, void *buf, size_t n) {
    for (;;) {
        ssize_t k = read(r->fd, buf, n);
        if (k >= 0) {
            r->file_off += (uint64_t)k;
            return k;
        }
        if (errno == EINTR) continue;
        rd_fail_at(r, r->file_off, "read: %s", strerror(errno));
        return -1;
    }
}

/* Reads exactly n bytes of the header; false (failed) if the file is shorter. */
static bool file_read_exact(snap_reader *r, void *buf, size_t n, const char *what) {
    unsigned char *p = buf;
    while (n) {
        ssize_t k = file_read(r, p, n);
        if (k < 0) return false;
        if (k == 0) {
            rd_truncated(r, what);
            return false;
        }
        p += k;
        n -= (size_t)k;
    }
    return true;
}

/* Hashes the consumed window bytes not hashed yet (done in bulk: hashing field by
 * field would cost more than parsing). */
static void hash_consumed(snap_reader *r) {
    if (r->wpos > r->whashed) {
        xxh64_update(&r->xs, r->win + r->whashed, r->wpos - r->whashed);
        if (r->codec == SNAP_NONE) xxh64_update(&r->fs, r->win + r->whashed, r->wpos - r->whashed);
    }
    r->whashed = r->wpos;
}

/* Refills the empty window. Returns the bytes now in it, 0 at the clean end of the
 * record stream, -1 on error (failed). */
static ssize_t fill(snap_reader *r) {
    hash_consumed(r);
    r->wpos = r->wlen = r->whashed = 0;
    if (r->failed) return -1;
    if (r->codec == SNAP_NONE) {
        ssize_t k = file_read(r, r->win, WIN_CAP);
        if (k > 0) r->wlen = (size_t)k;
        return k;
    }
    for (;;) {
        if (r->frame_done) return 0;
        if (r->ipos == r->ilen && !r->in_eof) {
            ssize_t k = file_read(r, r->ibuf, IBUF_CAP);
            if (k < 0) return -1;
            r->ipos = 0;
            r->ilen = (size_t)k;
            if (k == 0) r->in_eof = true;
        }
        size_t in_before = r->ipos;
        uint64_t in_file_off = r->file_off - (r->ilen - r->ipos);
        size_t produced;
        if (r->codec == SNAP_ZSTD) {
            ZSTD_inBuffer in = {r->ibuf, r->ilen, r->ipos};
            ZSTD_outBuffer out = {r->win, WIN_CAP, 0};
            size_t rc = ZSTD_decompressStream(r->zd, &out, &in);
            if (ZSTD_isError(rc)) {
                rd_fail_at(r, in_file_off, "corrupt zstd stream: %s", ZSTD_getErrorName(rc));
                return -1;
            }
            r->ipos = in.pos;
            produced = out.pos;
            if (rc == 0) r->frame_done = true;
        } else {
            size_t dst = WIN_CAP, src = r->ilen - r->ipos;
            size_t rc = LZ4F_decompress(r->ld, r->win, &dst, r->ibuf + r->ipos, &src, NULL);
            if (LZ4F_isError(rc)) {
                rd_fail_at(r, in_file_off, "corrupt lz4 stream: %s", LZ4F_getErrorName(rc));
                return -1;
            }
            r->ipos += src;
            produced = dst;
            if (rc == 0) r->frame_done = true;
        }
        xxh64_update(&r->fs, r->ibuf + in_before, r->ipos - in_before);
        if (produced) {
            r->wlen = produced;
            return (ssize_t)produced;
        }
        if (r->frame_done) return 0;
        if (r->ipos == r->ilen && r->in_eof) {
            rd_truncated(r, "the compressed stream");
            return -1;
        }
        if (r->ipos == in_before && r->ipos < r->ilen) {
            /* No progress with input at hand: cannot happen with a sane codec. */
            rd_fail_at(r, in_file_off, "the %s stream makes no progress", snap_codec_name(r->codec));
            return -1;
        }
    }
}

/* Takes n bytes of the record stream into dst (hashed). False (failed) if it ends. */
static bool rd_bytes(snap_reader *r, void *dst, size_t n, const char *what) {
    unsigned char *d = dst;
    while (n) {
        if (r->wpos == r->wlen) {
            ssize_t k = fill(r);
            if (k < 0) return false;
            if (k == 0) {
                if (r->codec == SNAP_NONE)
                    rd_truncated(r, what);
                else
                    rd_fail(r, r->off, "the compressed stream ends inside %s", what);
                return false;
            }
        }
        size_t take = r->wlen - r->wpos;
        if (take > n) take = n;
        memcpy(d, r->win + r->wpos, take);
        r->wpos += take;
        r->off += take;
        d += take;
        n -= take;
    }
    return true;
}

static bool rd_u8(snap_reader *r, unsigned *v, const char *what) {
    if (r->wpos < r->wlen) { /* the common case */
        *v = r->win[r->wpos++];
        r->off++;
        return true;
    }
    unsigned char b;
    if (!rd_bytes(r, &b, 1, what)) return false;
    *v = b;
    return true;
}

/* A canonical LEB128 varint of at most 64 bits. */
static bool rd_varint(snap_reader *r, uint64_t *v, const char *what) {
    uint64_t start = r->off, x = 0;
    for (int i = 0; i < SNAP_VARINT_MAX; i++) {
        unsigned b;
        if (!rd_u8(r, &b, what)) return false;
        if (i == SNAP_VARINT_MAX - 1 && b > 1) break; /* beyond 64 bits */
        x |= (uint64_t)(b & 0x7F) << (7 * i);
        if (!(b & 0x80)) {
            if (b == 0 && i > 0) {
                rd_fail(r, start, "non-canonical varint in %s", what);
                return false;
            }
            *v = x;
            return true;
        }
    }
    rd_fail(r, start, "varint too long in %s", what);
    return false;
}

/* Reads n bytes into s, growing it only as bytes arrive (a hostile length costs at
 * most GROW_STEP beyond the data really there). NUL-terminates. */
static bool rd_grow_read(snap_reader *r, scratch *s, size_t n, const char *what) {
    size_t got = 0;
    for (;;) {
        size_t want = n - got;
        if (want > GROW_STEP) want = GROW_STEP;
        if (s->cap < got + want + 1) {
            size_t cap = s->cap ? s->cap : 64;
            while (cap < got + want + 1) cap *= 2;
            if (cap > n + 1) cap = n + 1;
            s->p = cn_realloc(s->p, cap);
            s->cap = cap;
        }
        if (want && !rd_bytes(r, s->p + got, want, what)) return false;
        got += want;
        if (got == n) break;
    }
    s->p[n] = '\0';
    return true;
}

static void scratch_trim(scratch *s) {
    if (s->cap > SCRATCH_KEEP) {
        cn_free(s->p);
        s->p = NULL;
        s->cap = 0;
    }
}

/* ---- open, close ------------------------------------------------------------------- */

static snap_reader *reader_new(const char *path) {
    snap_reader *r = cn_calloc(1, sizeof(*r));
    r->fd = -1;
    r->path = cn_strdup(path);
    xxh64_init(&r->xs, 0);
    xxh64_init(&r->fs, 0);
    return r;
}

void snap_read_close(snap_reader *r) {
    if (!r) return;
    if (r->fd >= 0) close(r->fd);
    ZSTD_freeDCtx(r->zd);
    if (r->ld) LZ4F_freeDecompressionContext(r->ld);
    cn_free(r->ibuf);
    cn_free(r->win);
    cn_free(r->key.p);
    cn_free(r->val.p);
    cn_free(r->val2.p);
    cn_free(r->h.dbs);
    cn_free(r->path);
    cn_free(r);
}

static bool read_header(snap_reader *r) {
    unsigned char pre[SNAP_PREFIX_LEN];
    if (!file_read_exact(r, pre, sizeof(pre), "the header")) return false;
    if (memcmp(pre, SNAP_MAGIC, SNAP_MAGIC_LEN) != 0) {
        rd_fail_at(r, 0, "not a Cairn snapshot (bad magic)");
        return false;
    }
    unsigned version = (unsigned)snap_get_le(pre + 8, 2);
    if (version != SNAP_FORMAT_VERSION) {
        rd_fail_at(r, 8, "format version %u is not supported (this build reads %u)", version,
                   SNAP_FORMAT_VERSION);
        return false;
    }
    r->codec = pre[10];
    if (!snap_codec_name(r->codec)) {
        rd_fail_at(r, 10, "unknown codec %d", r->codec);
        return false;
    }
    if (pre[11] != 0) {
        rd_fail_at(r, 11, "reserved flags 0x%02x are not zero", pre[11]);
        return false;
    }
    uint64_t body = snap_get_le(pre + 12, 4);
    if (body < SNAP_BODY_MIN || body > SNAP_BODY_MAX) {
        rd_fail_at(r, 12, "header length %llu is out of range", (unsigned long long)body);
        return false;
    }
    /* Bounded by what remains before allocating. */
    if (SNAP_PREFIX_LEN + body + 8 > r->file_size) {
        /* Read what there is, so the message names the real end. */
        unsigned char tmp[4096];
        ssize_t k;
        while ((k = file_read(r, tmp, sizeof(tmp))) > 0) {
        }
        if (k == 0) rd_truncated(r, "the header");
        return false;
    }
    size_t total = SNAP_PREFIX_LEN + (size_t)body + 8;
    unsigned char *b = cn_malloc(total);
    memcpy(b, pre, SNAP_PREFIX_LEN);
    bool ok = file_read_exact(r, b + SNAP_PREFIX_LEN, total - SNAP_PREFIX_LEN, "the header");
    if (ok && snap_get_le(b + total - 8, 8) != xxh64(b, total - 8, 0)) {
        rd_fail_at(r, total - 8, "header checksum mismatch");
        ok = false;
    }
    const unsigned char *p = b + SNAP_PREFIX_LEN, *end = b + total - 8;
    if (ok) {
        r->h.created_ms = (int64_t)snap_get_le(p, 8);
        unsigned vlen = p[8];
        if (vlen > SNAP_VERSION_MAX || (size_t)(end - p) < SNAP_BODY_MIN + vlen) {
            rd_fail_at(r, (uint64_t)(p + 8 - b), "version string length %u is out of range", vlen);
            ok = false;
        } else {
            memcpy(r->h.version, p + 9, vlen);
            r->h.version[vlen] = '\0';
            p += 9 + vlen;
        }
    }
    if (ok) {
        uint64_t ndbs = snap_get_le(p, 4);
        if (ndbs > SNAP_MAX_DBS || (uint64_t)(end - p - 4) != ndbs * SNAP_DB_ENTRY_LEN) {
            rd_fail_at(r, (uint64_t)(p - b), "database count %llu does not match the header length",
                       (unsigned long long)ndbs);
            ok = false;
        } else {
            p += 4;
            r->h.ndbs = (uint32_t)ndbs;
            r->h.dbs = cn_malloc((ndbs ? ndbs : 1) * sizeof(*r->h.dbs));
            for (uint32_t i = 0; i < ndbs && ok; i++, p += SNAP_DB_ENTRY_LEN) {
                snap_db_count *d = &r->h.dbs[i];
                uint64_t db = snap_get_le(p, 4);
                d->keys = snap_get_le(p + 4, 8);
                d->expires = snap_get_le(p + 12, 8);
                if (db >= SNAP_MAX_DBS || (i && db <= r->h.dbs[i - 1].db) || d->keys == 0 ||
                    d->expires > d->keys) {
                    rd_fail_at(r, (uint64_t)(p - b),
                               "bad database entry (db %llu, keys %llu, expires %llu)",
                               (unsigned long long)db, (unsigned long long)d->keys,
                               (unsigned long long)d->expires);
                    ok = false;
                }
                d->db = (uint32_t)db;
            }
        }
    }
    if (ok) {
        xxh64_update(&r->xs, b, total);
        xxh64_update(&r->fs, b, total);
        r->off = total;
    }
    cn_free(b);
    return ok;
}

snap_reader *snap_read_open(const char *path, char *err, size_t errlen) {
    snap_reader *r = reader_new(path);
    struct stat st;
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0 || fstat(r->fd, &st) != 0) {
        snprintf(r->err, sizeof(r->err), "%s: cannot open: %s", path, strerror(errno));
        r->failed = true;
        goto fail;
    }
    r->file_size = (uint64_t)st.st_size;
    if (!read_header(r)) goto fail;
    r->win = cn_malloc(WIN_CAP);
    if (r->codec == SNAP_ZSTD) {
        r->zd = ZSTD_createDCtx();
        if (!r->zd || ZSTD_isError(ZSTD_DCtx_setParameter(r->zd, ZSTD_d_windowLogMax, ZSTD_WLOG_MAX))) {
            rd_fail_at(r, r->file_off, "zstd: cannot set up the decompressor");
            goto fail;
        }
    } else if (r->codec == SNAP_LZ4) {
        if (LZ4F_isError(LZ4F_createDecompressionContext(&r->ld, LZ4F_VERSION))) {
            rd_fail_at(r, r->file_off, "lz4: cannot set up the decompressor");
            goto fail;
        }
    }
    if (r->codec != SNAP_NONE) r->ibuf = cn_malloc(IBUF_CAP);
    return r;
fail:
    if (err && errlen) snprintf(err, errlen, "%s", r->err);
    snap_read_close(r);
    return NULL;
}

const snap_header *snap_read_header(const snap_reader *r) { return &r->h; }
int snap_read_codec(const snap_reader *r) { return r->codec; }
const char *snap_read_error(const snap_reader *r) { return r->failed ? r->err : ""; }
uint64_t snap_read_offset(const snap_reader *r) { return r->off; }
uint64_t snap_read_file_offset(const snap_reader *r) { return r->file_off; }
uint64_t snap_read_file_size(const snap_reader *r) { return r->file_size; }

/* ---- records ----------------------------------------------------------------------- */

static bool db_close(snap_reader *r, uint64_t at) {
    if (!r->in_db) return true;
    const snap_db_count *d = &r->h.dbs[r->db_idx];
    if (r->keys != d->keys || r->expires != d->expires) {
        rd_fail(r, at, "database %u has %llu keys (%llu with an expire), the header says %llu (%llu)",
                d->db, (unsigned long long)r->keys, (unsigned long long)r->expires,
                (unsigned long long)d->keys, (unsigned long long)d->expires);
        return false;
    }
    r->in_db = false;
    r->db_idx++;
    return true;
}

/* The 8-byte file checksum at file offset at (have bytes of it already in t), then
 * the end of the file. */
static bool read_trailer(snap_reader *r, unsigned char *t, size_t have, uint64_t at) {
    while (have < 8) {
        ssize_t k = file_read(r, t + have, 8 - have);
        if (k < 0) return false;
        if (k == 0) {
            rd_truncated(r, "the file checksum");
            return false;
        }
        have += (size_t)k;
    }
    uint64_t want = xxh64_digest(&r->fs);
    if (snap_get_le(t, 8) != want) {
        rd_fail_at(r, at, "file checksum mismatch (file says %016llx, its bytes give %016llx)",
                   (unsigned long long)snap_get_le(t, 8), (unsigned long long)want);
        return false;
    }
    unsigned char b;
    if (r->codec == SNAP_NONE && r->wpos != r->wlen) {
        rd_fail_at(r, at + 8, "data after the file checksum");
        return false;
    }
    if (r->codec != SNAP_NONE && r->ipos != r->ilen) return true; /* the caller reports it */
    ssize_t k = file_read(r, &b, 1);
    if (k < 0) return false;
    if (k > 0) {
        rd_fail_at(r, at + 8, "data after the file checksum");
        return false;
    }
    return true;
}

/* The end record after its opcode: total, checksum, then nothing more. */
static snap_status read_end(snap_reader *r, uint64_t at) {
    uint64_t total;
    if (!rd_varint(r, &total, "the end record")) return SNAP_ERR;
    hash_consumed(r);
    uint64_t want = xxh64_digest(&r->xs);
    unsigned char sum[8];
    uint64_t sum_at = r->off;
    if (!rd_bytes(r, sum, 8, "the end record")) return SNAP_ERR;
    if (snap_get_le(sum, 8) != want) {
        rd_fail(r, sum_at, "checksum mismatch (file says %016llx, contents give %016llx)",
                (unsigned long long)snap_get_le(sum, 8), (unsigned long long)want);
        return SNAP_ERR;
    }
    if (!db_close(r, at)) return SNAP_ERR;
    if (r->db_idx != r->h.ndbs) {
        rd_fail(r, at, "database %u is in the header but not in the file", r->h.dbs[r->db_idx].db);
        return SNAP_ERR;
    }
    if (total != r->total) {
        rd_fail(r, at, "the end record counts %llu keys, the file holds %llu",
                (unsigned long long)total, (unsigned long long)r->total);
        return SNAP_ERR;
    }
    /* Nothing may follow in the record stream: not in the window, not from the codec. */
    hash_consumed(r); /* the checksum's bytes belong to the file hash */
    if (r->codec == SNAP_NONE) {
        uint64_t at_file = r->off;
        unsigned char trailer[8];
        size_t have = r->wlen - r->wpos < 8 ? r->wlen - r->wpos : 8;
        memcpy(trailer, r->win + r->wpos, have);
        r->wpos += have;
        r->whashed = r->wpos; /* the trailer is not hashed */
        if (!read_trailer(r, trailer, have, at_file)) return SNAP_ERR;
    } else {
        if (r->wpos != r->wlen) {
            rd_fail(r, r->off, "data after the end record");
            return SNAP_ERR;
        }
        ssize_t k = fill(r);
        if (k < 0) return SNAP_ERR;
        if (k > 0) {
            rd_fail(r, r->off, "data after the end record");
            return SNAP_ERR;
        }
        uint64_t at_file = r->file_off - (r->ilen - r->ipos);
        unsigned char trailer[8];
        size_t have = r->ilen - r->ipos < 8 ? r->ilen - r->ipos : 8;
        memcpy(trailer, r->ibuf + r->ipos, have);
        r->ipos += have;
        if (!read_trailer(r, trailer, have, at_file)) return SNAP_ERR;
        if (r->ipos != r->ilen) {
            rd_fail_at(r, at_file + 8, "data after the file checksum");
            return SNAP_ERR;
        }
    }
    r->done = true;
    return SNAP_DONE;
}

static bool type_fits(int kind, int type) {
    switch (kind) {
    case SNAP_KIND_STRING:
    case SNAP_KIND_INT: return type == SNAP_TYPE_STRING;
    case SNAP_KIND_LISTPACK:
    case SNAP_KIND_ELEMENTS: return type >= SNAP_TYPE_LIST && type <= SNAP_TYPE_HASH;
    case SNAP_KIND_INTSET: return type == SNAP_TYPE_SET;
    default: return false;
    }
}

static const char *type_name(int type) {
    static const char *names[] = {"string", "list", "set", "zset", "hash"};
    return type >= 0 && type <= SNAP_TYPE_HASH ? names[type] : "unknown";
}

/* The validated blob of a LISTPACK or INTSET record, in r->val. */
static bool read_blob(snap_reader *r, snap_record *rec) {
    uint64_t len, at = r->off;
    if (!rd_varint(r, &len, "a blob length")) return false;
    if (len == 0 || len > SNAP_MAX_BLOB_LEN) {
        rd_fail(r, at, "blob length %llu is out of range", (unsigned long long)len);
        return false;
    }
    at = r->off;
    if (!rd_grow_read(r, &r->val, (size_t)len, "a blob")) return false;
    const unsigned char *b = r->val.p;
    if (rec->kind == SNAP_KIND_LISTPACK) {
        if (!lp_validate(b, (size_t)len)) {
            rd_fail(r, at, "invalid listpack (%llu bytes)", (unsigned long long)len);
            return false;
        }
        uint32_t n = lp_count(b);
        bool pairs = rec->type == SNAP_TYPE_HASH || rec->type == SNAP_TYPE_ZSET;
        if (n == 0 || (pairs && n % 2)) {
            rd_fail(r, at, "a %s listpack with %u entries", type_name(rec->type), n);
            return false;
        }
    } else {
        if (!intset_validate(b, (size_t)len) || intset_len((const intset *)b) == 0) {
            rd_fail(r, at, "invalid or empty intset (%llu bytes)", (unsigned long long)len);
            return false;
        }
    }
    rec->val = (const char *)b;
    rec->vlen = (size_t)len;
    r->blob_len = (size_t)len;
    r->has_blob = true;
    return true;
}

snap_status snap_read_next(snap_reader *r, snap_record *rec) {
    if (r->failed) return SNAP_ERR;
    if (r->done) return SNAP_DONE;
    snap_elem e;
    snap_status st;
    while ((st = snap_read_element(r, &e)) == SNAP_OK) {
    }
    if (st == SNAP_ERR) return SNAP_ERR;
    scratch_trim(&r->key);
    scratch_trim(&r->val);
    scratch_trim(&r->val2);
    memset(rec, 0, sizeof(*rec));
    r->has_blob = false;
    for (;;) {
        uint64_t at = r->off;
        unsigned op;
        if (!rd_u8(r, &op, "a record")) return SNAP_ERR;
        if (op == SNAP_OP_END) return read_end(r, at);
        if (op == SNAP_OP_DB) {
            uint64_t db;
            if (!rd_varint(r, &db, "a database record")) return SNAP_ERR;
            if (!db_close(r, at)) return SNAP_ERR;
            if (r->db_idx >= r->h.ndbs || r->h.dbs[r->db_idx].db != db) {
                rd_fail(r, at, "database %llu is not the next one in the header", (unsigned long long)db);
                return SNAP_ERR;
            }
            r->in_db = true;
            r->keys = r->expires = 0;
            continue;
        }
        if (op < SNAP_KIND_STRING || op > SNAP_KIND_ELEMENTS) {
            rd_fail(r, at, "unknown record opcode 0x%02x", op);
            return SNAP_ERR;
        }
        if (!r->in_db) {
            rd_fail(r, at, "a key record before any database record");
            return SNAP_ERR;
        }
        const snap_db_count *d = &r->h.dbs[r->db_idx];
        if (r->keys == d->keys) {
            rd_fail(r, at, "database %u has more keys than the header's %llu", d->db,
                    (unsigned long long)d->keys);
            return SNAP_ERR;
        }
        unsigned type, flags;
        if (!rd_u8(r, &type, "a key record") || !rd_u8(r, &flags, "a key record")) return SNAP_ERR;
        if (!type_fits((int)op, (int)type)) {
            rd_fail(r, at, "record kind 0x%02x cannot hold type %u", op, type);
            return SNAP_ERR;
        }
        if (flags & ~SNAP_KEY_FLAG_EXPIRE) {
            rd_fail(r, at + 2, "reserved key flags 0x%02x are set", flags);
            return SNAP_ERR;
        }
        rec->db = d->db;
        rec->kind = (int)op;
        rec->type = (int)type;
        rec->expire_ms = SNAP_NO_EXPIRE;
        if (flags & SNAP_KEY_FLAG_EXPIRE) {
            unsigned char b[8];
            if (!rd_bytes(r, b, 8, "an expire time")) return SNAP_ERR;
            uint64_t x = snap_get_le(b, 8);
            if (x > INT64_MAX) {
                rd_fail(r, at + 3, "negative expire time");
                return SNAP_ERR;
            }
            rec->expire_ms = (int64_t)x;
            if (r->expires == d->expires) {
                rd_fail(r, at, "database %u has more expires than the header's %llu", d->db,
                        (unsigned long long)d->expires);
                return SNAP_ERR;
            }
            r->expires++;
        }
        uint64_t klen, at2 = r->off;
        if (!rd_varint(r, &klen, "a key length")) return SNAP_ERR;
        if (klen > SNAP_MAX_KEY_LEN) {
            rd_fail(r, at2, "key length %llu is over the limit", (unsigned long long)klen);
            return SNAP_ERR;
        }
        if (!rd_grow_read(r, &r->key, (size_t)klen, "a key")) return SNAP_ERR;
        rec->key = (const char *)r->key.p;
        rec->klen = (size_t)klen;
        r->keys++;
        r->total++;
        at2 = r->off;
        switch (op) {
        case SNAP_KIND_STRING: {
            uint64_t vlen;
            if (!rd_varint(r, &vlen, "a value length")) return SNAP_ERR;
            if (vlen > SNAP_MAX_STRING_LEN) {
                rd_fail(r, at2, "value length %llu is over the limit", (unsigned long long)vlen);
                return SNAP_ERR;
            }
            if (!rd_grow_read(r, &r->val, (size_t)vlen, "a value")) return SNAP_ERR;
            rec->val = (const char *)r->val.p;
            rec->vlen = (size_t)vlen;
            return SNAP_OK;
        }
        case SNAP_KIND_INT: {
            uint64_t z;
            if (!rd_varint(r, &z, "an integer value")) return SNAP_ERR;
            rec->ival = (int64_t)((z >> 1) ^ (0 - (z & 1)));
            return SNAP_OK;
        }
        case SNAP_KIND_LISTPACK:
        case SNAP_KIND_INTSET: return read_blob(r, rec) ? SNAP_OK : SNAP_ERR;
        default: { /* SNAP_KIND_ELEMENTS */
            uint64_t count;
            if (!rd_varint(r, &count, "an element count")) return SNAP_ERR;
            if (count == 0 || count > SNAP_MAX_ELEMENTS) {
                rd_fail(r, at2, "element count %llu is out of range", (unsigned long long)count);
                return SNAP_ERR;
            }
            rec->count = count;
            r->elem_type = (int)type;
            r->elem_left = count;
            return SNAP_OK;
        }
        }
    }
}

static bool read_str(snap_reader *r, scratch *s, size_t *len, const char *what) {
    uint64_t n, at = r->off;
    if (!rd_varint(r, &n, what)) return false;
    if (n > SNAP_MAX_STRING_LEN) {
        rd_fail(r, at, "%s of %llu bytes is over the limit", what, (unsigned long long)n);
        return false;
    }
    if (!rd_grow_read(r, s, (size_t)n, what)) return false;
    *len = (size_t)n;
    return true;
}

snap_status snap_read_element(snap_reader *r, snap_elem *e) {
    if (r->failed) return SNAP_ERR;
    if (r->elem_left == 0) return SNAP_DONE;
    r->has_blob = false;
    memset(e, 0, sizeof(*e));
    if (!read_str(r, &r->val, &e->len, "an element")) return SNAP_ERR;
    e->s = (const char *)r->val.p;
    if (r->elem_type == SNAP_TYPE_HASH) {
        if (!read_str(r, &r->val2, &e->vlen, "a hash value")) return SNAP_ERR;
        e->v = (const char *)r->val2.p;
    } else if (r->elem_type == SNAP_TYPE_ZSET) {
        unsigned char b[8];
        uint64_t at = r->off;
        if (!rd_bytes(r, b, 8, "a score")) return SNAP_ERR;
        uint64_t bits = snap_get_le(b, 8);
        memcpy(&e->score, &bits, 8);
        if (isnan(e->score)) {
            rd_fail(r, at, "a NaN score");
            return SNAP_ERR;
        }
    }
    r->elem_left--;
    return SNAP_OK;
}

void *snap_read_take_blob(snap_reader *r, size_t *len) {
    if (!r->has_blob || r->failed) return NULL;
    void *p = cn_realloc(r->val.p, r->blob_len); /* drop the NUL's byte */
    *len = r->blob_len;
    r->val.p = NULL;
    r->val.cap = 0;
    r->has_blob = false;
    return p;
}
