/* tests/unit/test_snapshot.c: snapshot/ (writer and reader) and utils/xxhash.
 *
 * Round trips of every payload kind with every codec (empty, binary and 1 MB values,
 * many records, several databases, expire times, header fields); the reader against
 * every truncation and every flipped byte of small files; hostile lengths; the
 * temp + rename recipe; writer misuse. Every test leaves tracked memory where it
 * found it. Files go to a fresh directory under /tmp. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "snapshot/format.h"
#include "snapshot/snapshot.h"
#include "tests/test.h"
#include "utils/alloc.h"
#include "utils/intset.h"
#include "utils/listpack.h"
#include "utils/xxhash.h"

static char tmpdir[256];
static char errbuf[512];

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

/* Runs fn as a test and checks tracked memory comes back to where it was. */
static void run(const char *name, void (*fn)(void)) { test_run_tracked(name, fn, cn_used_memory); }

static char *path_of(const char *name) {
    static char p[512];
    snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
    return p;
}

static unsigned char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    fclose(f);
    return b;
}

static void spit(const char *path, const void *b, size_t len) {
    FILE *f = fopen(path, "wb");
    if (len) fwrite(b, 1, len, f);
    fclose(f);
}

/* ---- xxhash ------------------------------------------------------------------------ */

static void t_xxh64(void) {
    /* Published vectors (seed 0). */
    CHECK(xxh64("", 0, 0) == 0xEF46DB3751D8E999ull);
    CHECK(xxh64("a", 1, 0) == 0xD24EC4F1A98C6E5Bull);
    CHECK(xxh64("abc", 3, 0) == 0x44BC2CF5AD770999ull);
    /* Streaming equals one-shot for any split. */
    unsigned char buf[300];
    for (size_t i = 0; i < sizeof(buf); i++) buf[i] = (unsigned char)rnd();
    for (size_t len = 0; len <= sizeof(buf); len += 7) {
        uint64_t want = xxh64(buf, len, 12345);
        for (int k = 0; k < 5; k++) {
            xxh64_state st;
            xxh64_init(&st, 12345);
            size_t off = 0;
            while (off < len) {
                size_t n = 1 + rnd() % 40;
                if (n > len - off) n = len - off;
                xxh64_update(&st, buf + off, n);
                off += n;
            }
            CHECK(xxh64_digest(&st) == want);
        }
    }
}

/* ---- a model dataset --------------------------------------------------------------- */

typedef struct m_elem {
    char *s, *v;
    size_t len, vlen;
    double score;
} m_elem;

typedef struct m_key {
    uint32_t db;
    int type, kind;
    int64_t expire;
    char *key;
    size_t klen;
    char *val; /* STRING value, or blob */
    size_t vlen;
    int64_t ival;
    m_elem *el;
    size_t nel;
} m_key;

typedef struct model {
    m_key *k;
    size_t n, cap;
} model;

static char *mdup(const void *p, size_t n) {
    char *c = malloc(n + 1);
    if (n) memcpy(c, p, n);
    c[n] = 0;
    return c;
}

static m_key *m_add(model *m, uint32_t db, int type, int kind, const char *key, size_t klen, int64_t exp) {
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->k = realloc(m->k, m->cap * sizeof(*m->k));
    }
    m_key *k = &m->k[m->n++];
    memset(k, 0, sizeof(*k));
    k->db = db;
    k->type = type;
    k->kind = kind;
    k->key = mdup(key, klen);
    k->klen = klen;
    k->expire = exp;
    return k;
}

static void m_free(model *m) {
    for (size_t i = 0; i < m->n; i++) {
        free(m->k[i].key);
        free(m->k[i].val);
        for (size_t j = 0; j < m->k[i].nel; j++) {
            free(m->k[i].el[j].s);
            free(m->k[i].el[j].v);
        }
        free(m->k[i].el);
    }
    free(m->k);
    memset(m, 0, sizeof(*m));
}

static void m_string(model *m, uint32_t db, const char *key, const void *val, size_t vlen, int64_t exp) {
    m_key *k = m_add(m, db, SNAP_TYPE_STRING, SNAP_KIND_STRING, key, strlen(key), exp);
    k->val = mdup(val, vlen);
    k->vlen = vlen;
}

static void m_int(model *m, uint32_t db, const char *key, int64_t v, int64_t exp) {
    m_key *k = m_add(m, db, SNAP_TYPE_STRING, SNAP_KIND_INT, key, strlen(key), exp);
    k->ival = v;
}

/* A listpack of n entries "e0", "e1", ... (and integers) as a blob. */
static void m_listpack(model *m, uint32_t db, int type, const char *key, int n, int64_t exp) {
    lp *l = lp_new();
    for (int i = 0; i < n; i++) {
        char b[32];
        int len = snprintf(b, sizeof(b), i % 3 ? "e%d" : "%d", i * 37 - 50);
        l = lp_append(l, b, (size_t)len);
    }
    m_key *k = m_add(m, db, type, SNAP_KIND_LISTPACK, key, strlen(key), exp);
    k->val = mdup(l, lp_used(l));
    k->vlen = lp_used(l);
    lp_free(l);
}

static void m_intset(model *m, uint32_t db, const char *key, int n, int64_t exp) {
    intset *is = intset_new();
    bool added;
    for (int i = 0; i < n; i++) is = intset_add(is, (int64_t)(rnd() % 100000) - 50000 + (i == 0 ? INT64_MIN / 2 : 0), &added);
    m_key *k = m_add(m, db, SNAP_TYPE_SET, SNAP_KIND_INTSET, key, strlen(key), exp);
    k->val = mdup(is, intset_used(is));
    k->vlen = intset_used(is);
    intset_free(is);
}

static void m_elements(model *m, uint32_t db, int type, const char *key, size_t n, size_t elen, int64_t exp) {
    m_key *k = m_add(m, db, type, SNAP_KIND_ELEMENTS, key, strlen(key), exp);
    k->el = calloc(n, sizeof(*k->el));
    k->nel = n;
    static const double specials[] = {0.0, -0.0, 1.5, -1e300, INFINITY, -INFINITY, 5e-324};
    for (size_t i = 0; i < n; i++) {
        m_elem *e = &k->el[i];
        e->len = i == 0 ? 0 : elen;
        e->s = malloc(e->len + 1);
        for (size_t j = 0; j < e->len; j++) e->s[j] = (char)rnd();
        if (e->len >= 8) memcpy(e->s, &i, 8); /* distinct */
        if (type == SNAP_TYPE_HASH) {
            e->vlen = i % 5;
            e->v = malloc(e->vlen + 1);
            memset(e->v, 'v', e->vlen);
        }
        if (type == SNAP_TYPE_ZSET) e->score = i < 7 ? specials[i] : (double)i / 3;
    }
}

static snap_status write_model(const model *m, const char *name, int codec, int level, int64_t created) {
    snap_db_count dbs[64];
    uint32_t ndbs = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (!ndbs || dbs[ndbs - 1].db != m->k[i].db) dbs[ndbs++] = (snap_db_count){m->k[i].db, 0, 0};
        dbs[ndbs - 1].keys++;
        if (m->k[i].expire != SNAP_NO_EXPIRE) dbs[ndbs - 1].expires++;
    }
    snap_header h = {.created_ms = created, .ndbs = ndbs, .dbs = dbs};
    snprintf(h.version, sizeof(h.version), "0.9.1-test");
    snap_writer *w = snap_write_begin(tmpdir, name, codec, level, &h, errbuf, sizeof(errbuf));
    if (!w) return SNAP_ERR;
    int64_t cur = -1;
    for (size_t i = 0; i < m->n; i++) {
        const m_key *k = &m->k[i];
        snap_status st = SNAP_OK;
        if ((int64_t)k->db != cur) {
            cur = k->db;
            st = snap_write_db(w, k->db);
        }
        switch (k->kind) {
        case SNAP_KIND_STRING: st |= snap_write_string(w, k->type, k->key, k->klen, k->expire, k->val, k->vlen); break;
        case SNAP_KIND_INT: st |= snap_write_int(w, k->key, k->klen, k->expire, k->ival); break;
        case SNAP_KIND_LISTPACK:
        case SNAP_KIND_INTSET:
            st |= snap_write_blob(w, k->type, k->kind, k->key, k->klen, k->expire, k->val, k->vlen);
            break;
        default:
            st |= snap_write_elements_begin(w, k->type, k->key, k->klen, k->expire, k->nel);
            for (size_t j = 0; j < k->nel; j++) {
                const m_elem *e = &k->el[j];
                if (k->type == SNAP_TYPE_HASH)
                    st |= snap_write_elements_add_pair(w, e->s, e->len, e->v, e->vlen);
                else if (k->type == SNAP_TYPE_ZSET)
                    st |= snap_write_elements_add_scored(w, e->s, e->len, e->score);
                else
                    st |= snap_write_elements_add(w, e->s, e->len);
            }
            st |= snap_write_elements_end(w);
        }
        if (st != SNAP_OK) {
            snap_write_abort(w);
            return SNAP_ERR;
        }
    }
    return snap_write_end(w, NULL);
}

/* Reads name back and compares with m; returns the reader's final status. With
 * quiet, a mismatch is not a test failure (for corruption runs). */
static snap_status read_model(const model *m, const char *path, int64_t created, bool quiet, char *err, size_t errlen) {
    snap_reader *r = snap_read_open(path, err, errlen);
    if (!r) return SNAP_ERR;
    const snap_header *h = snap_read_header(r);
    if (!quiet) {
        CHECK_EQ_INT(h->created_ms, created);
        CHECK_EQ_STR(h->version, "0.9.1-test");
    }
    snap_record rec;
    snap_status st;
    size_t i = 0;
    bool same = true;
    while ((st = snap_read_next(r, &rec)) == SNAP_OK) {
        if (i >= m->n) {
            same = false;
            continue;
        }
        const m_key *k = &m->k[i++];
        same &= rec.db == k->db && rec.type == k->type && rec.kind == k->kind && rec.expire_ms == k->expire &&
                rec.klen == k->klen && memcmp(rec.key, k->key, k->klen) == 0;
        if (rec.kind != k->kind || rec.type != k->type) {
            same = false;
            continue;
        }
        if (k->kind == SNAP_KIND_STRING || k->kind == SNAP_KIND_LISTPACK || k->kind == SNAP_KIND_INTSET)
            same &= rec.vlen == k->vlen && memcmp(rec.val, k->val, k->vlen) == 0;
        if (k->kind == SNAP_KIND_INT) same &= rec.ival == k->ival;
        if (k->kind == SNAP_KIND_LISTPACK && (i % 2)) { /* take every other blob */
            size_t len = 0;
            void *b = snap_read_take_blob(r, &len);
            same &= b && len == k->vlen && memcmp(b, k->val, len) == 0;
            cn_free(b);
            same &= snap_read_take_blob(r, &len) == NULL;
        }
        if (k->kind == SNAP_KIND_ELEMENTS) {
            same &= rec.count == k->nel;
            size_t pull = (i % 4 == 0) ? k->nel / 2 : k->nel; /* sometimes leave some unread */
            snap_elem e;
            for (size_t j = 0; j < pull; j++) {
                if (snap_read_element(r, &e) != SNAP_OK) {
                    same = false;
                    break;
                }
                const m_elem *me = &k->el[j];
                same &= e.len == me->len && memcmp(e.s, me->s, me->len) == 0;
                if (k->type == SNAP_TYPE_HASH) same &= e.vlen == me->vlen && memcmp(e.v, me->v, me->vlen) == 0;
                if (k->type == SNAP_TYPE_ZSET) same &= memcmp(&e.score, &me->score, 8) == 0;
            }
            if (pull == k->nel) same &= snap_read_element(r, &e) == SNAP_DONE;
        }
    }
    if (st == SNAP_ERR) {
        snprintf(err, errlen, "%s", snap_read_error(r));
    } else {
        same &= i == m->n;
        if (!quiet && !same) test_fail(__FILE__, __LINE__, "%s: records differ from the model", path);
        CHECK_EQ_INT(snap_read_next(r, &rec), SNAP_DONE); /* stays done */
    }
    snap_read_close(r);
    return st;
}

static void small_model(model *m) {
    m_string(m, 0, "", "", 0, SNAP_NO_EXPIRE);               /* empty key, empty value */
    m_string(m, 0, "bin", "a\0b\r\n\xff", 6, 1700000000123); /* binary, expire */
    m_int(m, 0, "i", -42, SNAP_NO_EXPIRE);
    m_int(m, 0, "imin", INT64_MIN, 0);
    m_listpack(m, 0, SNAP_TYPE_HASH, "lph", 4, SNAP_NO_EXPIRE);
    m_intset(m, 3, "is", 5, INT64_MAX);
    m_elements(m, 3, SNAP_TYPE_ZSET, "z", 3, 4, SNAP_NO_EXPIRE);
    m_elements(m, 7, SNAP_TYPE_HASH, "h", 2, 3, 1);
}

static void full_model(model *m) {
    small_model(m);
    uint32_t db = 9;
    m_int(m, db, "imax", INT64_MAX, SNAP_NO_EXPIRE);
    m_int(m, db, "zero", 0, SNAP_NO_EXPIRE);
    m_listpack(m, db, SNAP_TYPE_LIST, "lpl", 1, SNAP_NO_EXPIRE);
    m_listpack(m, db, SNAP_TYPE_SET, "lps", 9, 5);
    m_listpack(m, db, SNAP_TYPE_ZSET, "lpz", 10, SNAP_NO_EXPIRE);
    m_intset(m, db, "is2", 300, SNAP_NO_EXPIRE);
    m_elements(m, db, SNAP_TYPE_LIST, "biglist", 5000, 20, SNAP_NO_EXPIRE);
    m_elements(m, db, SNAP_TYPE_SET, "bigset", 3000, 16, 99);
    m_elements(m, db, SNAP_TYPE_HASH, "bighash", 2000, 10, SNAP_NO_EXPIRE);
    m_elements(m, db, SNAP_TYPE_ZSET, "bigzset", 2000, 12, SNAP_NO_EXPIRE);
    m_elements(m, db, SNAP_TYPE_LIST, "bigelem", 3, 700 * 1024, SNAP_NO_EXPIRE);
    size_t big = 1024 * 1024;
    char *v = malloc(big);
    for (size_t i = 0; i < big; i++) v[i] = (char)(i % 251 ? rnd() : 0);
    m_string(m, db, "onemeg", v, big, SNAP_NO_EXPIRE);
    memset(v, 'x', big);
    m_string(m, db, "onemeg-x", v, big, 123456);
    free(v);
    for (int i = 0; i < 20000; i++) { /* many records, in db 15 */
        char key[32], val[64];
        snprintf(key, sizeof(key), "key:%d", i);
        int n = snprintf(val, sizeof(val), "{\"id\":%d,\"name\":\"user%d\"}", i, i * 7);
        if (i % 3 == 0)
            m_int(m, 15, key, (int64_t)rnd(), i % 2 ? SNAP_NO_EXPIRE : 1700000000000 + i);
        else
            m_string(m, 15, key, val, (size_t)n, i % 4 ? SNAP_NO_EXPIRE : 1700000000000 + i);
    }
}

static void t_round_trip(void) {
    model m = {0};
    full_model(&m);
    for (int codec = SNAP_NONE; codec <= SNAP_ZSTD; codec++) {
        for (int lv = 0; lv < 2; lv++) {
            int level = lv == 0 ? 0 : (codec == SNAP_ZSTD ? 6 : codec == SNAP_LZ4 ? 9 : 0);
            char name[64];
            snprintf(name, sizeof(name), "rt-%s-%d.csnap", snap_codec_name(codec), level);
            int64_t created = 1700000000000 + codec;
            if (write_model(&m, name, codec, level, created) != SNAP_OK) {
                test_fail(__FILE__, __LINE__, "write %s: %s", name, errbuf);
                continue;
            }
            char err[512] = "";
            snap_status st = read_model(&m, path_of(name), created, false, err, sizeof(err));
            if (st != SNAP_DONE) test_fail(__FILE__, __LINE__, "read %s: %s", name, err);
            /* The header's counts. */
            snap_reader *r = snap_read_open(path_of(name), err, sizeof(err));
            CHECK(r != NULL);
            if (r) {
                const snap_header *h = snap_read_header(r);
                CHECK_EQ_INT(snap_read_codec(r), codec);
                CHECK_EQ_INT(h->ndbs, 5);
                CHECK_EQ_INT(h->dbs[0].db, 0);
                CHECK_EQ_INT(h->dbs[0].keys, 5);
                CHECK_EQ_INT(h->dbs[0].expires, 2);
                CHECK_EQ_INT(h->dbs[4].db, 15);
                CHECK_EQ_INT(h->dbs[4].keys, 20000);
                snap_read_close(r);
            }
            unlink(path_of(name));
        }
    }
    m_free(&m);
}

static void t_empty_snapshot(void) {
    model m = {0};
    for (int codec = SNAP_NONE; codec <= SNAP_ZSTD; codec++) {
        CHECK_EQ_INT(write_model(&m, "empty.csnap", codec, 0, 0), SNAP_OK);
        char err[512] = "";
        CHECK_EQ_INT(read_model(&m, path_of("empty.csnap"), 0, false, err, sizeof(err)), SNAP_DONE);
    }
    unlink(path_of("empty.csnap"));
}

/* ---- hostile files ----------------------------------------------------------------- */

static void t_truncation(void) {
    model m = {0};
    small_model(&m);
    for (int codec = SNAP_NONE; codec <= SNAP_ZSTD; codec++) {
        CHECK_EQ_INT(write_model(&m, "small.csnap", codec, 0, 5), SNAP_OK);
        size_t len;
        unsigned char *b = slurp(path_of("small.csnap"), &len);
        CHECK(b != NULL && len > 100);
        if (!b) continue;
        char *cut = path_of("cut.csnap");
        char cutpath[512];
        snprintf(cutpath, sizeof(cutpath), "%s", cut);
        for (size_t k = 0; k < len; k++) {
            spit(cutpath, b, k);
            char err[512] = "", want[600];
            snap_status st = read_model(&m, cutpath, 5, true, err, sizeof(err));
            snprintf(want, sizeof(want), "%s: offset %zu: truncated", cutpath, k);
            if (st != SNAP_ERR || strstr(err, want) == NULL) {
                test_fail(__FILE__, __LINE__, "%s cut at %zu of %zu: status %d, \"%s\"", snap_codec_name(codec), k, len, st, err);
                break;
            }
        }
        /* And one byte too many. */
        unsigned char *more = malloc(len + 1);
        memcpy(more, b, len);
        more[len] = 0;
        spit(cutpath, more, len + 1);
        char err[512] = "";
        CHECK_EQ_INT(read_model(&m, cutpath, 5, true, err, sizeof(err)), SNAP_ERR);
        CHECK(strstr(err, "after the file checksum") != NULL);
        free(more);
        free(b);
        unlink(cutpath);
    }
    unlink(path_of("small.csnap"));
    m_free(&m);
}

static void t_flips(void) {
    model m = {0};
    small_model(&m);
    for (int codec = SNAP_NONE; codec <= SNAP_ZSTD; codec++) {
        CHECK_EQ_INT(write_model(&m, "small.csnap", codec, 0, 5), SNAP_OK);
        size_t len;
        unsigned char *b = slurp(path_of("small.csnap"), &len);
        if (!b) continue;
        char flip[512];
        snprintf(flip, sizeof(flip), "%s", path_of("flip.csnap"));
        for (size_t k = 0; k < len; k++) {
            for (int x = 0; x < 3; x++) {
                static const unsigned char masks[3] = {0x01, 0x80, 0xFF};
                b[k] ^= masks[x];
                spit(flip, b, len);
                b[k] ^= masks[x];
                char err[512] = "";
                snap_status st = read_model(&m, flip, 5, true, err, sizeof(err));
                if (st != SNAP_ERR || strstr(err, flip) != err || strstr(err, ": offset ") == NULL) {
                    test_fail(__FILE__, __LINE__, "%s: byte %zu ^ 0x%02x: status %d, \"%s\"", snap_codec_name(codec), k,
                              masks[x], st, err);
                    k = len;
                    break;
                }
            }
        }
        free(b);
        unlink(flip);
    }
    unlink(path_of("small.csnap"));
    m_free(&m);
}

/* Builds an uncompressed file by hand (valid checksums) around a record body, so the
 * reader's structural checks are reached. */
static void handmade(const char *path, const unsigned char *rec, size_t rlen, uint64_t keys, uint64_t expires) {
    unsigned char b[4096];
    size_t n = 0;
    memcpy(b, SNAP_MAGIC, 8);
    snap_put_le(b + 8, SNAP_FORMAT_VERSION, 2);
    b[10] = SNAP_NONE;
    b[11] = 0;
    size_t body = SNAP_BODY_MIN + 1 + SNAP_DB_ENTRY_LEN;
    snap_put_le(b + 12, body, 4);
    n = 16;
    snap_put_le(b + n, 0, 8);
    b[n + 8] = 1;
    b[n + 9] = 'v';
    n += 10;
    snap_put_le(b + n, 1, 4);
    snap_put_le(b + n + 4, 0, 4);
    snap_put_le(b + n + 8, keys, 8);
    snap_put_le(b + n + 16, expires, 8);
    n += 24;
    snap_put_le(b + n, xxh64(b, n, 0), 8);
    n += 8;
    memcpy(b + n, rec, rlen);
    n += rlen;
    b[n++] = SNAP_OP_END;
    n += snap_put_varint(b + n, keys);
    snap_put_le(b + n, xxh64(b, n, 0), 8);
    n += 8;
    snap_put_le(b + n, xxh64(b, n, 0), 8);
    n += 8;
    spit(path, b, n);
}

static void expect_refused(const unsigned char *rec, size_t rlen, uint64_t keys, uint64_t expires, const char *why) {
    char path[512];
    snprintf(path, sizeof(path), "%s", path_of("hand.csnap"));
    handmade(path, rec, rlen, keys, expires);
    char err[512] = "";
    snap_reader *r = snap_read_open(path, err, sizeof(err));
    snap_status st = SNAP_ERR;
    if (r) {
        snap_record rec_;
        snap_elem e;
        while ((st = snap_read_next(r, &rec_)) == SNAP_OK)
            if (rec_.kind == SNAP_KIND_ELEMENTS)
                while (snap_read_element(r, &e) == SNAP_OK) {
                }
        snprintf(err, sizeof(err), "%s", snap_read_error(r));
        snap_read_close(r);
    }
    if (st != SNAP_ERR || !strstr(err, why)) test_fail(__FILE__, __LINE__, "wanted \"%s\", got %d \"%s\"", why, st, err);
}

static void t_structure(void) {
    /* A valid handmade file first. */
    const unsigned char ok[] = {SNAP_OP_DB, 0, SNAP_KIND_STRING, 0, 0, 1, 'k', 1, 'v'};
    handmade(path_of("hand.csnap"), ok, sizeof(ok), 1, 0);
    char err[512] = "";
    snap_reader *r = snap_read_open(path_of("hand.csnap"), err, sizeof(err));
    CHECK(r != NULL);
    snap_record rec;
    CHECK_EQ_INT(snap_read_next(r, &rec), SNAP_OK);
    CHECK_EQ_INT(snap_read_next(r, &rec), SNAP_DONE);
    snap_read_close(r);

    const unsigned char huge_key[] = {SNAP_OP_DB, 0, SNAP_KIND_STRING, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
    expect_refused(huge_key, sizeof(huge_key), 1, 0, "key length 4294967295 is over the limit");
    const unsigned char big_val[] = {SNAP_OP_DB, 0, SNAP_KIND_STRING, 0, 0, 1, 'k', 0x80, 0x80, 0x80, 0x80, 0x01};
    expect_refused(big_val, sizeof(big_val), 1, 0, "truncated"); /* 256 MB claimed: no allocation of it */
    const unsigned char noncanon[] = {SNAP_OP_DB, 0, SNAP_KIND_STRING, 0, 0, 0x81, 0x00, 'k', 1, 'v'};
    expect_refused(noncanon, sizeof(noncanon), 1, 0, "non-canonical varint");
    const unsigned char longvar[] = {SNAP_OP_DB, 0, SNAP_KIND_INT, 0, 0, 1, 'k', 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02};
    expect_refused(longvar, sizeof(longvar), 1, 0, "varint too long");
    const unsigned char badtype[] = {SNAP_OP_DB, 0, SNAP_KIND_STRING, SNAP_TYPE_HASH, 0, 1, 'k', 1, 'v'};
    expect_refused(badtype, sizeof(badtype), 1, 0, "cannot hold type 4");
    const unsigned char flags[] = {SNAP_OP_DB, 0, SNAP_KIND_STRING, 0, 2, 1, 'k', 1, 'v'};
    expect_refused(flags, sizeof(flags), 1, 0, "reserved key flags");
    const unsigned char nodb[] = {SNAP_KIND_STRING, 0, 0, 1, 'k', 1, 'v'};
    expect_refused(nodb, sizeof(nodb), 1, 0, "before any database");
    const unsigned char wrongdb[] = {SNAP_OP_DB, 2, SNAP_KIND_STRING, 0, 0, 1, 'k', 1, 'v'};
    expect_refused(wrongdb, sizeof(wrongdb), 1, 0, "database 2 is not the next one");
    expect_refused(ok, sizeof(ok), 2, 0, "database 0 has 1 keys");
    const unsigned char two[] = {SNAP_OP_DB, 0, SNAP_KIND_STRING, 0, 0, 1, 'k', 1, 'v', SNAP_KIND_INT, 0, 0, 1, 'j', 2};
    expect_refused(two, sizeof(two), 1, 0, "more keys than the header's 1");
    const unsigned char op[] = {SNAP_OP_DB, 0, 0x42};
    expect_refused(op, sizeof(op), 1, 0, "unknown record opcode 0x42");
    const unsigned char zero[] = {SNAP_OP_DB, 0, SNAP_KIND_ELEMENTS, SNAP_TYPE_LIST, 0, 1, 'k', 0};
    expect_refused(zero, sizeof(zero), 1, 0, "element count 0 is out of range");
    unsigned char nan[] = {SNAP_OP_DB, 0, SNAP_KIND_ELEMENTS, SNAP_TYPE_ZSET, 0, 1, 'k', 1, 1, 'm', 0, 0, 0, 0, 0, 0, 0xF8, 0x7F};
    expect_refused(nan, sizeof(nan), 1, 0, "a NaN score");
    const unsigned char badlp[] = {SNAP_OP_DB, 0, SNAP_KIND_LISTPACK, SNAP_TYPE_LIST, 0, 1, 'k', 7, 7, 0, 0, 0, 1, 0, 0xFF};
    expect_refused(badlp, sizeof(badlp), 1, 0, "invalid listpack");
    const unsigned char badis[] = {SNAP_OP_DB, 0, SNAP_KIND_INTSET, SNAP_TYPE_SET, 0, 1, 'k', 12, 2, 0, 0, 0, 2, 0, 0, 0, 5, 0, 3, 0};
    expect_refused(badis, sizeof(badis), 1, 0, "invalid or empty intset");
    /* An odd-sized hash listpack: valid block, wrong shape. */
    lp *l = lp_new();
    l = lp_append(l, "f", 1);
    unsigned char odd[64] = {SNAP_OP_DB, 0, SNAP_KIND_LISTPACK, SNAP_TYPE_HASH, 0, 1, 'k', (unsigned char)lp_used(l)};
    memcpy(odd + 8, l, lp_used(l));
    expect_refused(odd, 8 + lp_used(l), 1, 0, "a hash listpack with 1 entries");
    lp_free(l);
    const unsigned char negexp[] = {SNAP_OP_DB, 0, SNAP_KIND_INT, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x80, 1, 'k', 2};
    expect_refused(negexp, sizeof(negexp), 1, 1, "negative expire");
    unlink(path_of("hand.csnap"));

    /* Header problems. */
    spit(path_of("bad.csnap"), "REDIS0011xxxxxxxxxxxxxxxxxxxxxxxxxxx", 36);
    CHECK(snap_read_open(path_of("bad.csnap"), err, sizeof(err)) == NULL);
    CHECK(strstr(err, "bad magic") != NULL);
    CHECK(snap_read_open(path_of("missing.csnap"), err, sizeof(err)) == NULL);
    CHECK(strstr(err, "cannot open") != NULL);
    unlink(path_of("bad.csnap"));
}

/* ---- the writer's recipe and misuse ------------------------------------------------ */

static size_t count_files(void) {
    DIR *d = opendir(tmpdir);
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (de->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

static void t_recipe(void) {
    model m = {0}, m2 = {0};
    small_model(&m);
    CHECK_EQ_INT(write_model(&m, "dump.csnap", SNAP_ZSTD, 0, 1), SNAP_OK);
    size_t files = count_files();
    size_t len1;
    unsigned char *before = slurp(path_of("dump.csnap"), &len1);

    /* A writer that aborts halfway leaves the old file as it was, and no temp file. */
    snap_db_count dbs[1] = {{0, 2, 0}};
    snap_header h = {.created_ms = 2, .ndbs = 1, .dbs = dbs};
    snap_writer *w = snap_write_begin(tmpdir, "dump.csnap", SNAP_ZSTD, 0, &h, errbuf, sizeof(errbuf));
    CHECK(w != NULL);
    CHECK_EQ_INT(count_files(), files + 1); /* the temp file */
    CHECK_EQ_INT(snap_write_db(w, 0), SNAP_OK);
    CHECK_EQ_INT(snap_write_string(w, SNAP_TYPE_STRING, "a", 1, SNAP_NO_EXPIRE, "b", 1), SNAP_OK);
    snap_write_abort(w);
    CHECK_EQ_INT(count_files(), files);
    size_t len2;
    unsigned char *after = slurp(path_of("dump.csnap"), &len2);
    CHECK_EQ_MEM(before, len1, after, len2);
    free(after);

    /* A writer whose header lies fails at the end, and also leaves the old file. */
    w = snap_write_begin(tmpdir, "dump.csnap", SNAP_NONE, 0, &h, errbuf, sizeof(errbuf));
    CHECK_EQ_INT(snap_write_db(w, 0), SNAP_OK);
    CHECK_EQ_INT(snap_write_string(w, SNAP_TYPE_STRING, "a", 1, SNAP_NO_EXPIRE, "b", 1), SNAP_OK);
    CHECK_EQ_INT(snap_write_end(w, NULL), SNAP_ERR);
    CHECK(strstr(errbuf, "database 0: 1 keys") != NULL);
    CHECK_EQ_INT(count_files(), files);
    after = slurp(path_of("dump.csnap"), &len2);
    CHECK_EQ_MEM(before, len1, after, len2);
    free(after);

    /* Misuse is sticky. */
    w = snap_write_begin(tmpdir, "dump.csnap", SNAP_LZ4, 0, &h, errbuf, sizeof(errbuf));
    CHECK_EQ_INT(snap_write_string(w, SNAP_TYPE_STRING, "a", 1, SNAP_NO_EXPIRE, "b", 1), SNAP_ERR);
    CHECK(strstr(errbuf, "before snap_write_db") != NULL);
    CHECK_EQ_INT(snap_write_db(w, 0), SNAP_ERR);
    snap_write_abort(w);
    w = snap_write_begin(tmpdir, "dump.csnap", SNAP_LZ4, 0, &h, errbuf, sizeof(errbuf));
    CHECK_EQ_INT(snap_write_db(w, 0), SNAP_OK);
    CHECK_EQ_INT(snap_write_elements_begin(w, SNAP_TYPE_ZSET, "z", 1, SNAP_NO_EXPIRE, 1), SNAP_OK);
    CHECK_EQ_INT(snap_write_elements_add_scored(w, "m", 1, NAN), SNAP_ERR);
    snap_write_abort(w);
    CHECK(snap_write_begin(tmpdir, "dump.csnap", SNAP_ZSTD, 99, &h, errbuf, sizeof(errbuf)) == NULL);
    CHECK(strstr(errbuf, "zstd level 99") != NULL);
    CHECK(snap_write_begin("/nonexistent-dir", "dump.csnap", SNAP_ZSTD, 0, &h, errbuf, sizeof(errbuf)) == NULL);
    CHECK(strstr(errbuf, "cannot create") != NULL);
    dbs[0].expires = 3;
    CHECK(snap_write_begin(tmpdir, "dump.csnap", SNAP_ZSTD, 0, &h, errbuf, sizeof(errbuf)) == NULL);
    CHECK_EQ_INT(count_files(), files);

    /* A new snapshot replaces the old one. */
    m_string(&m2, 4, "new", "x", 1, SNAP_NO_EXPIRE);
    CHECK_EQ_INT(write_model(&m2, "dump.csnap", SNAP_LZ4, 0, 3), SNAP_OK);
    char err[512] = "";
    CHECK_EQ_INT(read_model(&m2, path_of("dump.csnap"), 3, false, err, sizeof(err)), SNAP_DONE);
    CHECK_EQ_INT(count_files(), files);
    free(before);
    unlink(path_of("dump.csnap"));
    m_free(&m);
    m_free(&m2);
}

static void t_codec_names(void) {
    CHECK_EQ_STR(snap_codec_name(SNAP_ZSTD), "zstd");
    CHECK_EQ_INT(snap_codec_from_name("LZ4"), SNAP_LZ4);
    CHECK_EQ_INT(snap_codec_from_name("none"), SNAP_NONE);
    CHECK_EQ_INT(snap_codec_from_name("gzip"), -1);
    CHECK(snap_codec_name(7) == NULL);
}

int main(void) {
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/cairn-snap-test-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    run("xxh64 vectors and streaming", t_xxh64);
    run("codec names", t_codec_names);
    run("round trip: every kind, every codec", t_round_trip);
    run("round trip: empty snapshot", t_empty_snapshot);
    run("truncation at every offset", t_truncation);
    run("every byte flipped", t_flips);
    run("structural checks", t_structure);
    run("temp + rename recipe, writer misuse", t_recipe);
    rmdir(tmpdir);
    return test_summary("snapshot");
}
