/* src/cmd_hll.c: HyperLogLog commands: PFADD PFCOUNT PFMERGE.
 *
 * A HyperLogLog (Flajolet, Fusy, Gandouet, Meunier 2007) estimates the number
 * of distinct elements added to it in fixed space. Each element is hashed to
 * 64 bits: the top HLL_P = 14 bits pick one of 16384 registers, and the rank
 * of the other 50 bits (1 + their leading zeros, 51 when all are zero) is
 * kept in that register if it is larger than what is there. The count is
 * computed with Ertl's improved estimator ("New cardinality estimation
 * algorithms for HyperLogLog sketches", 2017, algorithm 6), which needs no
 * bias tables and no switch to linear counting: standard error 1.04/sqrt(m)
 * = 0.81% at every cardinality.
 *
 * As in Redis, an HLL is a plain STRING value (TYPE says "string"; GET, SET,
 * DUMP and COPY carry it as bytes) which the PF commands recognise by its
 * header. The byte format is Cairn's own:
 *
 *   offset 0   "CnHL"                       magic
 *          4   'S' sparse or 'D' dense      encoding
 *          5   1                            version
 *          6   2 bytes, written as zero     reserved, ignored
 *          8   uint64 little-endian         cached count; bit 63 set = stale
 *         16   registers, by encoding:
 *
 *   dense   16384 registers of 6 bits, four in each group of 3 bytes: register
 *           i is bits 6*(i%4) .. 6*(i%4)+5 of the little-endian 24-bit word at
 *           byte 3*(i/4). 12288 bytes, so a dense HLL is exactly 12304 bytes.
 *   sparse  the registers 0..16383 in order as a run-length code:
 *             0xxxxxxx            x+1 registers (1..128) are zero
 *             10xxxxxx xxxxxxxx   x+1 registers (1..16384) are zero (14 bits)
 *             11vvvvvv            one register holds v (1..51)
 *           An empty HLL is 2 bytes of code; a small one a byte or two per
 *           register set. A write that makes the whole value longer than
 *           hll-sparse-max-bytes (default 3000) stores it dense instead, once
 *           and for good.
 *
 * The cached count is what PFCOUNT of one key replies while no register
 * changed; PFADD and PFMERGE mark it stale, and PFCOUNT of one key stores the
 * fresh count back (a write, as in Redis: db_touch_write).
 *
 * The bytes are hostile: any client can SET them. A value is an HLL only if
 * it is a string with the magic, a known encoding and version and, when
 * dense, exactly 12304 bytes; otherwise the PF commands reply WRONGTYPE with
 * Redis's HLL text. Registers are decoded with every bound checked: a sparse
 * code that does not describe exactly 16384 registers, or a register above 51
 * in either encoding, gets "INVALIDOBJ Corrupted HLL object detected" (PFADD
 * on a dense value does not read the registers it does not touch, so only
 * PFCOUNT and PFMERGE notice there). Nothing reads outside the value.
 *
 * The hash is XXH64 with seed 0 (utils/xxhash.h, written from Yann Collet's
 * published specification): fixed and unkeyed, so a stored HLL means the same
 * after a restart or on another machine; utils/hash.h's SipHash is keyed per
 * process and would not be.
 *
 * Every keyspace change goes through db.h.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "notify.h"
#include "server.h"
#include "utils/xxhash.h"

#define HLL_P           14
#define HLL_REGISTERS   (1u << HLL_P) /* m = 16384 */
#define HLL_Q           (64 - HLL_P)  /* hash bits left for the rank: 50 */
#define HLL_MAX_RANK    (HLL_Q + 1)   /* 51: all HLL_Q bits zero */
#define HLL_HDR         16
#define HLL_DENSE_BYTES (HLL_REGISTERS / 4 * 3)
#define HLL_DENSE_SIZE  (HLL_HDR + HLL_DENSE_BYTES)
/* Longest possible sparse code: a register never costs more than one byte. */
#define HLL_SPARSE_MAX_CODE HLL_REGISTERS
#define HLL_ENC_SPARSE      'S'
#define HLL_ENC_DENSE       'D'
#define HLL_VERSION         1
#define HLL_CACHE_STALE     (1ull << 63)
#define HLL_ALPHA_INF       0.721347520444481703680 /* 1 / (2 ln 2) */

static const char hll_magic[4] = {'C', 'n', 'H', 'L'};

_Static_assert(HLL_DENSE_SIZE == 12304, "dense HLL size");
_Static_assert(HLL_MAX_RANK < 64, "a rank must fit in 6 bits");

#define HLL_ERR_NOT_HLL "WRONGTYPE Key is not a valid HyperLogLog string value."
#define HLL_ERR_CORRUPT "INVALIDOBJ Corrupted HLL object detected"

/* ---------------------------------------------------------------- hashing */

static inline uint64_t read_le64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

/* XXH64 of p[0..len) with seed 0 (utils/xxhash.h). */
static inline uint64_t hll_hash(const void *data, size_t len) { return xxh64(data, len, 0); }

/* The register an element goes to and the rank it offers there (1..51). */
static inline void hll_position(const char *e, size_t len, unsigned *idx, unsigned *rank) {
    uint64_t h = hll_hash(e, len);
    uint64_t w = h << HLL_P; /* the HLL_Q low bits, at the top */
    *idx = (unsigned)(h >> HLL_Q);
    *rank = w ? (unsigned)__builtin_clzll(w) + 1 : HLL_MAX_RANK;
}

/* ---------------------------------------------------------------- registers */

static inline unsigned dense_get(const uint8_t *d, unsigned i) {
    const uint8_t *g = d + (i >> 2) * 3;
    uint32_t w = (uint32_t)g[0] | (uint32_t)g[1] << 8 | (uint32_t)g[2] << 16;
    return (w >> (6 * (i & 3))) & 63;
}

static inline void dense_set(uint8_t *d, unsigned i, unsigned v) {
    uint8_t *g = d + (i >> 2) * 3;
    unsigned sh = 6 * (i & 3);
    uint32_t w = (uint32_t)g[0] | (uint32_t)g[1] << 8 | (uint32_t)g[2] << 16;
    w = (w & ~(63u << sh)) | (uint32_t)v << sh;
    g[0] = (uint8_t)w;
    g[1] = (uint8_t)(w >> 8);
    g[2] = (uint8_t)(w >> 16);
}

/* Raises regs[i] to the registers of a dense area (HLL_DENSE_BYTES). False if
 * a register is above HLL_MAX_RANK (corrupt). */
static bool dense_merge(const uint8_t *d, uint8_t *regs) {
    for (unsigned i = 0; i < HLL_REGISTERS; i++) {
        unsigned v = dense_get(d, i);
        if (v > HLL_MAX_RANK) return false;
        if (v > regs[i]) regs[i] = (uint8_t)v;
    }
    return true;
}

/* Raises regs[i] to the registers of a sparse code p[0..len). False (regs
 * partly updated) if the code does not describe exactly HLL_REGISTERS
 * registers of valid values. */
static bool sparse_merge(const uint8_t *p, size_t len, uint8_t *regs) {
    size_t pos = 0;
    unsigned idx = 0;
    while (pos < len) {
        unsigned b = p[pos++];
        if (b < 0x80) {
            idx += b + 1;
        } else if (b < 0xC0) {
            if (pos == len) return false;
            idx += (((b & 0x3F) << 8) | p[pos++]) + 1;
        } else {
            unsigned v = b & 0x3F;
            if (v == 0 || v > HLL_MAX_RANK || idx >= HLL_REGISTERS) return false;
            if (v > regs[idx]) regs[idx] = (uint8_t)v;
            idx++;
        }
        if (idx > HLL_REGISTERS) return false; /* each step adds at most 16384: no wrap */
    }
    return idx == HLL_REGISTERS;
}

/* Writes the sparse code of regs into out (HLL_SPARSE_MAX_CODE bytes);
 * returns its length. */
static size_t sparse_encode(const uint8_t *regs, uint8_t *out) {
    size_t n = 0;
    unsigned i = 0;
    while (i < HLL_REGISTERS) {
        if (regs[i]) {
            out[n++] = (uint8_t)(0xC0 | regs[i]);
            i++;
            continue;
        }
        unsigned run = 1;
        while (i + run < HLL_REGISTERS && !regs[i + run]) run++;
        i += run;
        if (run <= 128) {
            out[n++] = (uint8_t)(run - 1);
        } else {
            out[n++] = (uint8_t)(0x80 | ((run - 1) >> 8));
            out[n++] = (uint8_t)((run - 1) & 0xFF);
        }
    }
    return n;
}

/* ---------------------------------------------------------------- estimator */

/* Ertl's sigma and tau series, summed until a term no longer changes the sum. */
static double hll_sigma(double x) {
    if (x == 1.0) return INFINITY;
    double y = 1.0, z = x, zp;
    do {
        x *= x;
        zp = z;
        z += x * y;
        y += y;
    } while (z != zp);
    return z;
}

static double hll_tau(double x) {
    if (x == 0.0 || x == 1.0) return 0.0;
    double y = 1.0, z = 1.0 - x, zp;
    do {
        x = sqrt(x);
        zp = z;
        y *= 0.5;
        z -= (1.0 - x) * (1.0 - x) * y;
    } while (z != zp);
    return z / 3.0;
}

/* The cardinality estimate of registers regs (all <= HLL_MAX_RANK). */
static uint64_t hll_estimate(const uint8_t *regs) {
    uint32_t hist[HLL_MAX_RANK + 1] = {0};
    for (unsigned i = 0; i < HLL_REGISTERS; i++) hist[regs[i]]++;
    const double m = HLL_REGISTERS;
    double z = m * hll_tau((m - hist[HLL_MAX_RANK]) / m);
    for (int k = HLL_Q; k >= 1; k--) z = 0.5 * (z + hist[k]);
    z += m * hll_sigma(hist[0] / m);
    return (uint64_t)llround(HLL_ALPHA_INF * m * m / z); /* z infinite: empty, 0 */
}

/* ---------------------------------------------------------------- values */

/* A string value seen as an HLL: borrowed bytes, valid until the next write. */
typedef struct hll_view {
    const uint8_t *p;
    size_t len;
    int enc; /* HLL_ENC_SPARSE or HLL_ENC_DENSE */
} hll_view;

/* Checks that o holds an HLL (header, encoding, version, dense length) and
 * fills v; else replies WRONGTYPE (Redis's plain text for other types, its
 * HLL text for other strings) and returns false. The registers are not
 * checked here. */
static bool hll_view_or_reply(client *c, const obj *o, hll_view *v) {
    if (o->type != OBJ_STRING) {
        reply_err_wrongtype(c);
        return false;
    }
    if (o->encoding != OBJ_ENC_INT) { /* digits are never an HLL */
        char buf[32];
        size_t len;
        const uint8_t *p = (const uint8_t *)obj_str(o, buf, &len);
        if (len >= HLL_HDR && memcmp(p, hll_magic, 4) == 0 && p[5] == HLL_VERSION &&
            ((p[4] == HLL_ENC_SPARSE) || (p[4] == HLL_ENC_DENSE && len == HLL_DENSE_SIZE))) {
            v->p = p;
            v->len = len;
            v->enc = p[4];
            return true;
        }
    }
    reply_error(c, HLL_ERR_NOT_HLL);
    return false;
}

/* Raises regs to v's registers; false (and INVALIDOBJ replied) if corrupt. */
static bool hll_merge_or_reply(client *c, const hll_view *v, uint8_t *regs) {
    bool ok = v->enc == HLL_ENC_DENSE ? dense_merge(v->p + HLL_HDR, regs)
                                      : sparse_merge(v->p + HLL_HDR, v->len - HLL_HDR, regs);
    if (!ok) reply_error(c, HLL_ERR_CORRUPT);
    return ok;
}

static void hll_write_header(uint8_t *p, int enc, uint64_t cache) {
    memcpy(p, hll_magic, 4);
    p[4] = (uint8_t)enc;
    p[5] = HLL_VERSION;
    p[6] = p[7] = 0;
    for (int i = 0; i < 8; i++) p[8 + i] = (uint8_t)(cache >> (8 * i));
}

/* A new RAW string object for key holding regs, sparse when allow_sparse and
 * the value fits hll-sparse-max-bytes (or when force_sparse), else dense;
 * cache stale. */
static obj *hll_new_object(const char *key, size_t klen, const uint8_t *regs, bool allow_sparse,
                           bool force_sparse, int64_t expire_ms) {
    static uint8_t buf[HLL_HDR + HLL_SPARSE_MAX_CODE > HLL_DENSE_SIZE
                           ? HLL_HDR + HLL_SPARSE_MAX_CODE
                           : HLL_DENSE_SIZE];
    size_t len = 0;
    if (allow_sparse) {
        len = HLL_HDR + sparse_encode(regs, buf + HLL_HDR);
        if (force_sparse || len <= (unsigned long long)server.hll_sparse_max_bytes)
            hll_write_header(buf, HLL_ENC_SPARSE, HLL_CACHE_STALE);
        else
            len = 0;
    }
    if (!len) {
        memset(buf + HLL_HDR, 0, HLL_DENSE_BYTES);
        for (unsigned i = 0; i < HLL_REGISTERS; i++)
            if (regs[i]) dense_set(buf + HLL_HDR, i, regs[i]);
        hll_write_header(buf, HLL_ENC_DENSE, HLL_CACHE_STALE);
        len = HLL_DENSE_SIZE;
    }
    return obj_new_raw(key, klen, (const char *)buf, len, len, expire_ms);
}

/* ---------------------------------------------------------------- commands */

/* PFADD key [element ...]: 1 if the key was created or a register changed. */
static void cmd_pfadd(client *c) {
    const char *key = c->argv[1];
    size_t klen = c->argvlen[1];
    obj *o = db_lookup_write(c->db, key, klen);
    hll_view v;
    if (o && !hll_view_or_reply(c, o, &v)) return;

    if (o && v.enc == HLL_ENC_DENSE) {
        /* In place. A dense value is longer than OBJ_EMB_MAX, so RAW: the
         * copy below only guards against that limit being raised. */
        if (o->encoding != OBJ_ENC_RAW) {
            obj *raw = obj_new_raw(key, klen, (const char *)v.p, v.len, v.len, obj_expire(o));
            db_replace(c->db, o, raw);
            o = raw;
        }
        uint8_t *p = (uint8_t *)obj_raw(o)->buf;
        bool changed = false;
        for (int j = 2; j < c->argc; j++) {
            unsigned idx, rank;
            hll_position(c->argv[j], c->argvlen[j], &idx, &rank);
            if (dense_get(p + HLL_HDR, idx) < rank) {
                dense_set(p + HLL_HDR, idx, rank);
                changed = true;
            }
        }
        if (changed) {
            p[15] |= 0x80; /* HLL_CACHE_STALE, the top bit of the little-endian cache */
            db_touch_write(c->db, o);
            notify_keyspace_event(NOTIFY_STRING, "pfadd", c->db, key, klen);
        }
        reply_int(c, changed);
        return;
    }

    /* Sparse, or a new key: work on the registers, then encode again. */
    uint8_t regs[HLL_REGISTERS] = {0};
    if (o && !hll_merge_or_reply(c, &v, regs)) return;
    bool changed = !o;
    for (int j = 2; j < c->argc; j++) {
        unsigned idx, rank;
        hll_position(c->argv[j], c->argvlen[j], &idx, &rank);
        if (regs[idx] < rank) {
            regs[idx] = (uint8_t)rank;
            changed = true;
        }
    }
    if (!changed) {
        reply_int(c, 0);
        return;
    }
    /* A new key with no elements is created sparse whatever the limit (as Redis). */
    obj *n = hll_new_object(key, klen, regs, true, c->argc == 2, o ? obj_expire(o) : OBJ_NO_EXPIRE);
    if (o)
        db_replace(c->db, o, n);
    else
        db_set(c->db, n);
    notify_keyspace_event(NOTIFY_STRING, "pfadd", c->db, key, klen);
    reply_int(c, 1);
}

/* PFCOUNT key [key ...]: one key's count (cached), or the count of the union. */
static void cmd_pfcount(client *c) {
    uint8_t regs[HLL_REGISTERS] = {0};
    hll_view v;
    if (c->argc == 2) {
        obj *o = db_lookup_read(c->db, c->argv[1], c->argvlen[1]);
        if (!o) {
            reply_int(c, 0);
            return;
        }
        if (!hll_view_or_reply(c, o, &v)) return;
        uint64_t cache = read_le64(v.p + 8);
        if (!(cache & HLL_CACHE_STALE)) {
            reply_int(c, (long long)cache);
            return;
        }
        if (!hll_merge_or_reply(c, &v, regs)) return;
        uint64_t n = hll_estimate(regs);
        /* Keep the count for next time, where the bytes are ours to write. */
        if (o->encoding == OBJ_ENC_RAW) {
            uint8_t *p = (uint8_t *)obj_raw(o)->buf;
            for (int i = 0; i < 8; i++) p[8 + i] = (uint8_t)(n >> (8 * i));
            db_touch_write(c->db, o);
        }
        reply_int(c, (long long)n);
        return;
    }
    /* Several keys: the union, computed aside; no key changes. */
    for (int j = 1; j < c->argc; j++) {
        obj *o = db_lookup_read(c->db, c->argv[j], c->argvlen[j]);
        if (!o) continue;
        if (!hll_view_or_reply(c, o, &v) || !hll_merge_or_reply(c, &v, regs)) return;
    }
    reply_int(c, (long long)hll_estimate(regs));
}

/* PFMERGE destkey [sourcekey ...]: destkey becomes the union of itself and the
 * sources (created if missing). Dense if any input is dense, as Redis 7.0. */
static void cmd_pfmerge(client *c) {
    uint8_t regs[HLL_REGISTERS] = {0};
    bool all_sparse = true;
    hll_view v;
    for (int j = 1; j < c->argc; j++) {
        /* The destination too is read, as Redis does (a "keymiss" if missing). */
        obj *o = db_lookup_read(c->db, c->argv[j], c->argvlen[j]);
        if (!o) continue;
        if (!hll_view_or_reply(c, o, &v) || !hll_merge_or_reply(c, &v, regs)) return;
        if (v.enc == HLL_ENC_DENSE) all_sparse = false;
    }
    /* Looked up again: a source's lazy expiry was a write. */
    obj *dst = db_lookup_write(c->db, c->argv[1], c->argvlen[1]);
    obj *n = hll_new_object(c->argv[1], c->argvlen[1], regs, all_sparse, false,
                            dst ? obj_expire(dst) : OBJ_NO_EXPIRE);
    if (dst)
        db_replace(c->db, dst, n);
    else
        db_set(c->db, n);
    /* "pfadd", as Redis reports a merge (a mass add), even when nothing changed. */
    notify_keyspace_event(NOTIFY_STRING, "pfadd", c->db, c->argv[1], c->argvlen[1]);
    reply_ok(c);
}

/* ---------------------------------------------------------------- table */

command cmd_table_hll[] = {
    {.name = "pfadd",
     .proc = cmd_pfadd,
     .arity = -2,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_HYPERLOGLOG | ACL_FAST,
     .first_key = 1,
     .last_key = 1,
     .key_step = 1,
     .group = "hyperloglog",
     .since = "2.8.9",
     .summary = "Adds the specified elements to the specified HyperLogLog.",
     .complexity = "O(1) to add every element.",
     .key_specs = "RW insert: index 1 range 0 1 0",
     .args = "key@0 [element...]"},
    {.name = "pfcount",
     .proc = cmd_pfcount,
     .arity = -2,
     .flags = CMD_READONLY | CMD_MAY_REPLICATE, /* may rewrite its cache: held by CLIENT PAUSE WRITE */
     .acl = ACL_READ | ACL_HYPERLOGLOG | ACL_SLOW,
     .first_key = 1,
     .last_key = -1,
     .key_step = 1,
     .group = "hyperloglog",
     .since = "2.8.9",
     .summary = "Return the approximated cardinality of the set(s) observed by the HyperLogLog "
                "at key(s).",
     .complexity = "O(1) with a very small average constant time when called with a single key. "
                   "O(N) with N being the number of keys, and much bigger constant times, when "
                   "called with multiple keys.",
     .key_specs = "RW access: index 1 range -1 1 0 -- RW because it may change the internal "
                  "representation of the key, and propagate to replicas",
     .args = "key@0..."},
    {.name = "pfmerge",
     .proc = cmd_pfmerge,
     .arity = -2,
     .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_HYPERLOGLOG | ACL_SLOW,
     .first_key = 1,
     .last_key = -1,
     .key_step = 1,
     .group = "hyperloglog",
     .since = "2.8.9",
     .summary = "Merge N different HyperLogLogs into a single one.",
     .complexity = "O(N) to merge N HyperLogLogs, but with high constant times.",
     .key_specs = "RW access insert: index 1 range 0 1 0; RO access: index 2 range -1 1 0",
     .args = "destkey@0 sourcekey@1..."},
    {0},
};
