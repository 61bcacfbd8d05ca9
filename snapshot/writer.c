/* snapshot/writer.c: the snapshot writer (see snapshot.h, FORMAT.md).
 *
 * Records are put into a raw buffer (and hashed as they go in); a full buffer goes
 * through the codec to the temp file. The header is written uncompressed before the
 * codec's stream starts. */
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
#include "utils/fs.h"
#include "utils/xxhash.h"

#define WBUF_CAP (128 * 1024) /* raw bytes per codec call */

struct snap_writer {
    int fd;
    int codec;
    bool failed;
    char *dir, *path, *tmp_path;
    char *err;
    size_t errlen;

    ZSTD_CCtx *zc;
    LZ4F_cctx *lc;
    unsigned char *buf; /* raw records not yet through the codec */
    size_t len;
    size_t hashed; /* buf[0, hashed) is in xs already */
    unsigned char *obuf; /* codec output */
    size_t ocap;

    xxh64_state xs;   /* over the header and every raw record byte */
    xxh64_state fs;   /* over every byte written to the file */
    uint64_t raw;     /* raw record bytes put */
    uint64_t written; /* bytes written to the file */

    /* The header's promises and how far we are. */
    snap_db_count *dbs;
    uint32_t ndbs;
    uint32_t next_db;  /* index in dbs of the next snap_write_db */
    bool in_db;
    uint64_t keys, expires, total;

    /* An elements record in progress. */
    int elem_type;
    uint64_t elem_left;
    bool in_elems;
};

static void w_fail(snap_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void w_fail(snap_writer *w, const char *fmt, ...) {
    if (w->failed) return;
    w->failed = true;
    if (!w->err || !w->errlen) return;
    int n = snprintf(w->err, w->errlen, "%s: ", w->tmp_path ? w->tmp_path : "snapshot");
    if (n < 0 || (size_t)n >= w->errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err + n, w->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

const char *snap_codec_name(int codec) {
    switch (codec) {
    case SNAP_NONE: return "none";
    case SNAP_LZ4: return "lz4";
    case SNAP_ZSTD: return "zstd";
    default: return NULL;
    }
}

int snap_codec_from_name(const char *name) {
    for (int c = SNAP_NONE; c <= SNAP_ZSTD; c++)
        if (strcasecmp(name, snap_codec_name(c)) == 0) return c;
    return -1;
}

/* ---- bytes to the file ------------------------------------------------------------- */

static snap_status write_all(snap_writer *w, const void *p, size_t n) {
    const char *c = p;
    while (n) {
        ssize_t k = write(w->fd, c, n);
        if (k < 0) {
            if (errno == EINTR) continue;
            w_fail(w, "write: %s", strerror(errno));
            return SNAP_ERR;
        }
        xxh64_update(&w->fs, c, (size_t)k);
        c += k;
        n -= (size_t)k;
        w->written += (uint64_t)k;
    }
    return SNAP_OK;
}

/* Passes raw bytes through the codec to the file; last ends the codec's stream. */
static snap_status codec_put(snap_writer *w, const unsigned char *p, size_t n, bool last) {
    if (w->failed) return SNAP_ERR;
    switch (w->codec) {
    case SNAP_NONE: return write_all(w, p, n);
    case SNAP_ZSTD: {
        ZSTD_inBuffer in = {p, n, 0};
        for (;;) {
            ZSTD_outBuffer out = {w->obuf, w->ocap, 0};
            size_t rem = ZSTD_compressStream2(w->zc, &out, &in, last ? ZSTD_e_end : ZSTD_e_continue);
            if (ZSTD_isError(rem)) {
                w_fail(w, "zstd: %s", ZSTD_getErrorName(rem));
                return SNAP_ERR;
            }
            if (out.pos && write_all(w, w->obuf, out.pos) != SNAP_OK) return SNAP_ERR;
            if (last ? rem == 0 : in.pos == in.size) return SNAP_OK;
        }
    }
    case SNAP_LZ4: {
        while (n) {
            size_t take = n < WBUF_CAP ? n : WBUF_CAP;
            size_t k = LZ4F_compressUpdate(w->lc, w->obuf, w->ocap, p, take, NULL);
            if (LZ4F_isError(k)) {
                w_fail(w, "lz4: %s", LZ4F_getErrorName(k));
                return SNAP_ERR;
            }
            if (k && write_all(w, w->obuf, k) != SNAP_OK) return SNAP_ERR;
            p += take;
            n -= take;
        }
        if (last) {
            size_t k = LZ4F_compressEnd(w->lc, w->obuf, w->ocap, NULL);
            if (LZ4F_isError(k)) {
                w_fail(w, "lz4: %s", LZ4F_getErrorName(k));
                return SNAP_ERR;
            }
            if (k && write_all(w, w->obuf, k) != SNAP_OK) return SNAP_ERR;
        }
        return SNAP_OK;
    }
    }
    return SNAP_ERR;
}

/* Hashes the buffered raw bytes not hashed yet (in bulk, not field by field). */
static void hash_pending(snap_writer *w) {
    xxh64_update(&w->xs, w->buf + w->hashed, w->len - w->hashed);
    w->hashed = w->len;
}

/* Puts raw record bytes (hashed when they leave the buffer). */
static snap_status put(snap_writer *w, const void *p, size_t n) {
    const unsigned char *c = p;
    w->raw += n;
    if (n <= WBUF_CAP - w->len) { /* the common case */
        memcpy(w->buf + w->len, c, n);
        w->len += n;
        return w->failed ? SNAP_ERR : SNAP_OK;
    }
    while (n) {
        size_t take = WBUF_CAP - w->len;
        if (take > n) take = n;
        memcpy(w->buf + w->len, c, take);
        w->len += take;
        c += take;
        n -= take;
        if (w->len == WBUF_CAP) {
            hash_pending(w);
            w->hashed = 0;
            if (codec_put(w, w->buf, w->len, false) != SNAP_OK) return SNAP_ERR;
            w->len = 0;
        }
    }
    return w->failed ? SNAP_ERR : SNAP_OK;
}

static snap_status put_varint(snap_writer *w, uint64_t v) {
    unsigned char b[SNAP_VARINT_MAX];
    return put(w, b, snap_put_varint(b, v));
}

static snap_status put_str(snap_writer *w, const char *s, size_t len) {
    if (put_varint(w, len) != SNAP_OK) return SNAP_ERR;
    return len ? put(w, s, len) : SNAP_OK;
}

/* ---- begin, end, abort ------------------------------------------------------------- */

static char *path_join(const char *dir, const char *name, const char *suffix) {
    size_t n = strlen(dir) + strlen(name) + strlen(suffix) + 2;
    char *p = cn_malloc(n);
    snprintf(p, n, "%s/%s%s", dir, name, suffix);
    return p;
}

static void writer_free(snap_writer *w) {
    if (w->fd >= 0) close(w->fd);
    ZSTD_freeCCtx(w->zc);
    if (w->lc) LZ4F_freeCompressionContext(w->lc);
    cn_free(w->buf);
    cn_free(w->obuf);
    cn_free(w->dbs);
    cn_free(w->dir);
    cn_free(w->path);
    cn_free(w->tmp_path);
    cn_free(w);
}

static bool header_ok(snap_writer *w, const snap_header *h) {
    if (strnlen(h->version, sizeof(h->version)) > SNAP_VERSION_MAX) {
        w_fail(w, "the version string is longer than %d bytes", SNAP_VERSION_MAX);
        return false;
    }
    if (h->ndbs > SNAP_MAX_DBS || (h->ndbs && !h->dbs)) {
        w_fail(w, "bad database list (%u entries)", h->ndbs);
        return false;
    }
    for (uint32_t i = 0; i < h->ndbs; i++) {
        const snap_db_count *d = &h->dbs[i];
        if (d->db >= SNAP_MAX_DBS || (i && d->db <= h->dbs[i - 1].db) || d->keys == 0 ||
            d->expires > d->keys) {
            w_fail(w, "bad header entry for database %u (keys %llu, expires %llu; databases "
                      "must increase and be non-empty)",
                   d->db, (unsigned long long)d->keys, (unsigned long long)d->expires);
            return false;
        }
    }
    return true;
}

static snap_status write_header(snap_writer *w, const snap_header *h) {
    size_t vlen = strnlen(h->version, SNAP_VERSION_MAX);
    size_t body = SNAP_BODY_MIN + vlen + (size_t)h->ndbs * SNAP_DB_ENTRY_LEN;
    size_t total = SNAP_PREFIX_LEN + body + 8;
    unsigned char *b = cn_malloc(total), *p = b;
    memcpy(p, SNAP_MAGIC, SNAP_MAGIC_LEN);
    snap_put_le(p + 8, SNAP_FORMAT_VERSION, 2);
    p[10] = (unsigned char)w->codec;
    p[11] = 0;
    snap_put_le(p + 12, body, 4);
    p += SNAP_PREFIX_LEN;
    snap_put_le(p, (uint64_t)h->created_ms, 8);
    p[8] = (unsigned char)vlen;
    memcpy(p + 9, h->version, vlen);
    p += 9 + vlen;
    snap_put_le(p, h->ndbs, 4);
    p += 4;
    for (uint32_t i = 0; i < h->ndbs; i++, p += SNAP_DB_ENTRY_LEN) {
        snap_put_le(p, h->dbs[i].db, 4);
        snap_put_le(p + 4, h->dbs[i].keys, 8);
        snap_put_le(p + 12, h->dbs[i].expires, 8);
    }
    snap_put_le(p, xxh64(b, total - 8, 0), 8);
    xxh64_update(&w->xs, b, total);
    snap_status st = write_all(w, b, total);
    cn_free(b);
    return st;
}

static snap_status codec_setup(snap_writer *w, int level) {
    w->ocap = WBUF_CAP;
    if (w->codec == SNAP_ZSTD) {
        if (level == 0) level = SNAP_ZSTD_LEVEL_DEFAULT;
        if (level < 1 || level > SNAP_ZSTD_LEVEL_MAX) {
            w_fail(w, "zstd level %d is out of range 1..%d", level, SNAP_ZSTD_LEVEL_MAX);
            return SNAP_ERR;
        }
        w->zc = ZSTD_createCCtx();
        if (!w->zc || ZSTD_isError(ZSTD_CCtx_setParameter(w->zc, ZSTD_c_compressionLevel, level)) ||
            ZSTD_isError(ZSTD_CCtx_setParameter(w->zc, ZSTD_c_checksumFlag, 0))) {
            w_fail(w, "zstd: cannot set up the compressor");
            return SNAP_ERR;
        }
        w->ocap = ZSTD_CStreamOutSize();
    } else if (w->codec == SNAP_LZ4) {
        if (level < 0 || level > SNAP_LZ4_LEVEL_MAX) {
            w_fail(w, "lz4 level %d is out of range 0..%d", level, SNAP_LZ4_LEVEL_MAX);
            return SNAP_ERR;
        }
        LZ4F_preferences_t prefs;
        memset(&prefs, 0, sizeof(prefs));
        prefs.frameInfo.blockSizeID = LZ4F_max256KB;
        prefs.frameInfo.blockMode = LZ4F_blockLinked;
        prefs.frameInfo.contentChecksumFlag = LZ4F_noContentChecksum;
        prefs.compressionLevel = level;
        if (LZ4F_isError(LZ4F_createCompressionContext(&w->lc, LZ4F_VERSION))) {
            w_fail(w, "lz4: cannot set up the compressor");
            return SNAP_ERR;
        }
        w->ocap = LZ4F_compressBound(WBUF_CAP, &prefs);
        if (w->ocap < LZ4F_HEADER_SIZE_MAX) w->ocap = LZ4F_HEADER_SIZE_MAX;
        w->obuf = cn_malloc(w->ocap);
        size_t k = LZ4F_compressBegin(w->lc, w->obuf, w->ocap, &prefs);
        if (LZ4F_isError(k)) {
            w_fail(w, "lz4: %s", LZ4F_getErrorName(k));
            return SNAP_ERR;
        }
        return write_all(w, w->obuf, k);
    } else if (w->codec != SNAP_NONE) {
        w_fail(w, "unknown codec %d", w->codec);
        return SNAP_ERR;
    }
    w->obuf = cn_malloc(w->ocap);
    return SNAP_OK;
}

snap_writer *snap_write_begin(const char *dir, const char *filename, int codec, int level,
                              const snap_header *h, char *err, size_t errlen) {
    snap_writer *w = cn_calloc(1, sizeof(*w));
    w->fd = -1;
    w->err = err;
    w->errlen = errlen;
    if (err && errlen) err[0] = '\0';
    w->codec = codec;
    w->dir = cn_strdup(dir);
    w->path = path_join(dir, filename, "");
    char suffix[32];
    snprintf(suffix, sizeof(suffix), ".tmp-%ld", (long)getpid());
    w->tmp_path = path_join(dir, filename, suffix);
    xxh64_init(&w->xs, 0);
    xxh64_init(&w->fs, 0);
    if (!header_ok(w, h)) goto fail;
    w->ndbs = h->ndbs;
    w->dbs = cn_malloc((h->ndbs ? h->ndbs : 1) * sizeof(*w->dbs));
    if (h->ndbs) memcpy(w->dbs, h->dbs, h->ndbs * sizeof(*w->dbs));

    w->fd = open(w->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (w->fd < 0) {
        w_fail(w, "cannot create: %s", strerror(errno));
        goto fail;
    }
    w->buf = cn_malloc(WBUF_CAP);
    if (write_header(w, h) != SNAP_OK) goto fail_unlink;
    if (codec_setup(w, level) != SNAP_OK) goto fail_unlink;
    return w;
fail_unlink:
    unlink(w->tmp_path);
fail:
    writer_free(w);
    return NULL;
}

void snap_write_abort(snap_writer *w) {
    if (!w) return;
    if (w->fd >= 0) {
        close(w->fd);
        w->fd = -1;
    }
    unlink(w->tmp_path);
    writer_free(w);
}

uint64_t snap_write_raw_bytes(const snap_writer *w) { return w->raw; }

/* Checks the database just finished kept the header's promise. */
static bool db_close(snap_writer *w) {
    if (!w->in_db) return true;
    const snap_db_count *d = &w->dbs[w->next_db - 1];
    if (w->keys != d->keys || w->expires != d->expires) {
        w_fail(w, "database %u: %llu keys (%llu with an expire) written, the header says %llu (%llu)",
               d->db, (unsigned long long)w->keys, (unsigned long long)w->expires,
               (unsigned long long)d->keys, (unsigned long long)d->expires);
        return false;
    }
    w->in_db = false;
    return true;
}

snap_status snap_write_end(snap_writer *w, uint64_t *bytes_out) {
    if (!w->failed && w->in_elems) w_fail(w, "snap_write_end inside an elements record");
    if (!w->failed && db_close(w) && w->next_db != w->ndbs)
        w_fail(w, "database %u is in the header but was never written", w->dbs[w->next_db].db);
    if (!w->failed) {
        unsigned char b[1 + SNAP_VARINT_MAX];
        b[0] = SNAP_OP_END;
        size_t n = 1 + snap_put_varint(b + 1, w->total);
        if (put(w, b, n) == SNAP_OK) {
            unsigned char sum[8];
            hash_pending(w);
            snap_put_le(sum, xxh64_digest(&w->xs), 8);
            (void)put(w, sum, 8);
        }
    }
    if (!w->failed && codec_put(w, w->buf, w->len, true) == SNAP_OK) {
        w->len = 0;
        unsigned char sum[8];
        snap_put_le(sum, xxh64_digest(&w->fs), 8);
        (void)write_all(w, sum, 8);
    }
    if (!w->failed) {
        if (fsync(w->fd) != 0)
            w_fail(w, "fsync: %s", strerror(errno));
        else if (close(w->fd) != 0)
            w_fail(w, "close: %s", strerror(errno));
        w->fd = -1;
        if (!w->failed && rename(w->tmp_path, w->path) != 0)
            w_fail(w, "rename to %s: %s", w->path, strerror(errno));
        if (!w->failed && fs_sync_dir(w->dir) != 0) {
            /* The new file is in place; only its durability is in doubt. */
            w_fail(w, "fsync of directory %s: %s", w->dir, strerror(errno));
            if (bytes_out) *bytes_out = w->written;
            writer_free(w);
            return SNAP_ERR;
        }
    }
    if (w->failed) {
        snap_write_abort(w);
        return SNAP_ERR;
    }
    if (bytes_out) *bytes_out = w->written;
    writer_free(w);
    return SNAP_OK;
}

/* ---- records ----------------------------------------------------------------------- */

snap_status snap_write_db(snap_writer *w, uint32_t db) {
    if (w->failed) return SNAP_ERR;
    if (w->in_elems) {
        w_fail(w, "snap_write_db inside an elements record");
        return SNAP_ERR;
    }
    if (!db_close(w)) return SNAP_ERR;
    if (w->next_db >= w->ndbs || w->dbs[w->next_db].db != db) {
        w_fail(w, "database %u is not the next one in the header", db);
        return SNAP_ERR;
    }
    w->next_db++;
    w->in_db = true;
    w->keys = w->expires = 0;
    unsigned char b[1 + SNAP_VARINT_MAX];
    b[0] = SNAP_OP_DB;
    return put(w, b, 1 + snap_put_varint(b + 1, db));
}

/* The common start of a key record: opcode, type, flags, expire, key. */
static snap_status key_start(snap_writer *w, int kind, int type, const char *key, size_t klen,
                             int64_t expire_ms) {
    if (w->failed) return SNAP_ERR;
    if (w->in_elems) {
        w_fail(w, "a key record inside an elements record");
        return SNAP_ERR;
    }
    if (!w->in_db) {
        w_fail(w, "a key record before snap_write_db");
        return SNAP_ERR;
    }
    if (expire_ms < 0 && expire_ms != SNAP_NO_EXPIRE) {
        w_fail(w, "bad expire time %lld", (long long)expire_ms);
        return SNAP_ERR;
    }
    if (klen > SNAP_MAX_KEY_LEN) {
        w_fail(w, "key of %zu bytes is over the limit", klen);
        return SNAP_ERR;
    }
    w->keys++;
    w->total++;
    unsigned char b[3 + 8];
    size_t n = 3;
    b[0] = (unsigned char)kind;
    b[1] = (unsigned char)type;
    b[2] = expire_ms == SNAP_NO_EXPIRE ? 0 : SNAP_KEY_FLAG_EXPIRE;
    if (expire_ms != SNAP_NO_EXPIRE) {
        w->expires++;
        snap_put_le(b + 3, (uint64_t)expire_ms, 8);
        n += 8;
    }
    if (put(w, b, n) != SNAP_OK) return SNAP_ERR;
    return put_str(w, key, klen);
}

snap_status snap_write_string(snap_writer *w, int type, const char *key, size_t klen,
                              int64_t expire_ms, const char *val, size_t vlen) {
    if (!w->failed && (type != SNAP_TYPE_STRING || vlen > SNAP_MAX_STRING_LEN)) {
        w_fail(w, "snap_write_string: type %d, %zu bytes", type, vlen);
        return SNAP_ERR;
    }
    if (key_start(w, SNAP_KIND_STRING, type, key, klen, expire_ms) != SNAP_OK) return SNAP_ERR;
    return put_str(w, val, vlen);
}

snap_status snap_write_int(snap_writer *w, const char *key, size_t klen, int64_t expire_ms,
                           int64_t v) {
    if (key_start(w, SNAP_KIND_INT, SNAP_TYPE_STRING, key, klen, expire_ms) != SNAP_OK)
        return SNAP_ERR;
    uint64_t u = (uint64_t)v;
    return put_varint(w, (u << 1) ^ (v < 0 ? UINT64_MAX : 0)); /* zigzag */
}

snap_status snap_write_blob(snap_writer *w, int type, int kind, const char *key, size_t klen,
                            int64_t expire_ms, const void *bytes, size_t len) {
    bool ok = (kind == SNAP_KIND_LISTPACK && type >= SNAP_TYPE_LIST && type <= SNAP_TYPE_HASH) ||
              (kind == SNAP_KIND_INTSET && type == SNAP_TYPE_SET);
    if (!w->failed && (!ok || len == 0 || len > SNAP_MAX_BLOB_LEN)) {
        w_fail(w, "snap_write_blob: kind 0x%02x, type %d, %zu bytes", kind, type, len);
        return SNAP_ERR;
    }
    if (key_start(w, kind, type, key, klen, expire_ms) != SNAP_OK) return SNAP_ERR;
    return put_str(w, bytes, len);
}

snap_status snap_write_elements_begin(snap_writer *w, int type, const char *key, size_t klen,
                                      int64_t expire_ms, uint64_t count) {
    if (!w->failed && (type < SNAP_TYPE_LIST || type > SNAP_TYPE_HASH || count == 0 ||
                       count > SNAP_MAX_ELEMENTS)) {
        w_fail(w, "snap_write_elements_begin: type %d, %llu elements", type,
               (unsigned long long)count);
        return SNAP_ERR;
    }
    if (key_start(w, SNAP_KIND_ELEMENTS, type, key, klen, expire_ms) != SNAP_OK) return SNAP_ERR;
    w->in_elems = true;
    w->elem_type = type;
    w->elem_left = count;
    return put_varint(w, count);
}

static bool elem_ok(snap_writer *w, int type, size_t a, size_t b) {
    if (w->failed) return false;
    bool type_ok = type == w->elem_type || (type == SNAP_TYPE_LIST && w->elem_type == SNAP_TYPE_SET);
    if (!w->in_elems || !type_ok || w->elem_left == 0 || a > SNAP_MAX_STRING_LEN ||
        b > SNAP_MAX_STRING_LEN) {
        w_fail(w, "element out of place (record type %d, %llu left, %zu/%zu bytes)", w->elem_type,
               (unsigned long long)w->elem_left, a, b);
        return false;
    }
    w->elem_left--;
    return true;
}

snap_status snap_write_elements_add(snap_writer *w, const char *s, size_t len) {
    if (!elem_ok(w, SNAP_TYPE_LIST, len, 0)) return SNAP_ERR;
    return put_str(w, s, len);
}

snap_status snap_write_elements_add_pair(snap_writer *w, const char *f, size_t flen,
                                         const char *v, size_t vlen) {
    if (!elem_ok(w, SNAP_TYPE_HASH, flen, vlen)) return SNAP_ERR;
    if (put_str(w, f, flen) != SNAP_OK) return SNAP_ERR;
    return put_str(w, v, vlen);
}

snap_status snap_write_elements_add_scored(snap_writer *w, const char *m, size_t mlen,
                                           double score) {
    if (!w->failed && isnan(score)) {
        w_fail(w, "a NaN score");
        return SNAP_ERR;
    }
    if (!elem_ok(w, SNAP_TYPE_ZSET, mlen, 0)) return SNAP_ERR;
    if (put_str(w, m, mlen) != SNAP_OK) return SNAP_ERR;
    uint64_t bits;
    memcpy(&bits, &score, 8);
    unsigned char b[8];
    snap_put_le(b, bits, 8);
    return put(w, b, 8);
}

snap_status snap_write_elements_end(snap_writer *w) {
    if (w->failed) return SNAP_ERR;
    if (!w->in_elems || w->elem_left) {
        w_fail(w, "elements record ended with %llu elements missing",
               (unsigned long long)w->elem_left);
        return SNAP_ERR;
    }
    w->in_elems = false;
    return SNAP_OK;
}
