/* src/cmd_bitops.c: bitmap commands on string values.
 *
 * SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO.
 *
 * Terms: a bitmap is a string value read as bits, bit 0 being the most
 * significant bit of byte 0 (Redis's order); bits past the end read as 0.
 * Commands that write bits (SETBIT, BITFIELD SET/INCRBY) grow the string
 * zero-filled through string_write_begin/end (server.h), which makes it RAW as
 * Redis does. A bit offset must stay below proto-max-bulk-len bytes.
 *
 * Behaviour, argument checking order and error texts follow Redis 7.0.15,
 * quirks included: BITCOUNT answers 0 for a missing key before looking at its
 * other arguments, BITPOS answers for a missing key before parsing its range,
 * BITFIELD grows the string for a write even when OVERFLOW FAIL then refuses
 * it, and OVERFLOW SAT of a SET value so far below a signed type's minimum
 * that Redis's (max - value) wraps around saturates to the maximum.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "../utils/alloc.h"
#include "../utils/num.h"
#include "notify.h"
#include "server.h"

#define ERR_BIT_OFFSET "ERR bit offset is not an integer or out of range"
#define ERR_BIT_VALUE  "ERR bit is not an integer or out of range"
#define ERR_BF_TYPE                                                                                \
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but "    \
    "i64 is."

/* ---------------------------------------------------------------- helpers */

/* Parses argument i as a bit offset. With field_bits > 0 (BITFIELD) "#N" means
 * N * field_bits, multiplied as Redis does (wrapping). The offset must be >= 0
 * and its byte below proto-max-bulk-len. */
static bool bit_offset_or_reply(client *c, int i, int field_bits, uint64_t *out) {
    const char *s = c->argv[i];
    size_t len = c->argvlen[i];
    bool positional = field_bits > 0 && len > 0 && s[0] == '#';
    long long v;
    if (!num_parse_ll(s + positional, len - positional, &v)) goto err;
    if (positional) v = (long long)((unsigned long long)v * (unsigned)field_bits);
    if (v < 0 || (v >> 3) >= server.proto_max_bulk_len) goto err;
    *out = (uint64_t)v;
    return true;
err:
    reply_error(c, ERR_BIT_OFFSET);
    return false;
}

/* The bytes of string object o (INT values formatted into buf, >= 32 bytes). */
static inline const unsigned char *str_bytes(const obj *o, char *buf, size_t *len) {
    return (const unsigned char *)obj_str(o, buf, len);
}

static inline int bit_at(const unsigned char *p, size_t len, uint64_t bit) {
    uint64_t byte = bit >> 3;
    return byte < len ? (p[byte] >> (7 - (bit & 7))) & 1 : 0;
}

/* Set bits in p[0..n), 8 bytes at a time. On x86-64 a second copy is built for CPUs
 * with POPCNT and chosen at load time (the baseline has no such instruction, so
 * __builtin_popcountll is a libgcc call per word there). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
static long long popcount_bytes(const unsigned char *p, size_t n) {
    long long count = 0;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        uint64_t w[4];
        memcpy(w, p + i, 32);
        count += __builtin_popcountll(w[0]) + __builtin_popcountll(w[1]) +
                 __builtin_popcountll(w[2]) + __builtin_popcountll(w[3]);
    }
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        count += __builtin_popcountll(w);
    }
    for (; i < n; i++) count += __builtin_popcount(p[i]);
    return count;
}

/* Set bits among bits [sb, eb] of p (eb < 8 * its length). */
static long long popcount_bits(const unsigned char *p, uint64_t sb, uint64_t eb) {
    uint64_t first = sb >> 3, last = eb >> 3;
    long long count = popcount_bytes(p + first, last - first + 1);
    /* Take out the bits of the edge bytes that lie outside the range. */
    unsigned before = (0xffu << (8 - (sb & 7))) & 0xff; /* bits left of sb */
    unsigned after = 0xffu >> ((eb & 7) + 1);           /* bits right of eb */
    count -= __builtin_popcount(p[first] & before);
    count -= __builtin_popcount(p[last] & after);
    return count;
}

/* The first bit equal to `bit` among bits [sb, eb] of p, or -1. */
static long long find_bit(const unsigned char *p, uint64_t sb, uint64_t eb, int bit) {
    uint64_t pos = sb;
    for (; pos <= eb && (pos & 7); pos++)
        if (((p[pos >> 3] >> (7 - (pos & 7))) & 1) == bit) return (long long)pos;
    if (pos > eb) return -1;
    /* Whole bytes: skip those with nothing to find, a word at a time. */
    size_t byte = pos >> 3, end = (eb + 1) >> 3; /* bytes [byte, end) lie wholly in range */
    uint64_t skip_word = bit ? 0 : UINT64_MAX;
    unsigned char skip = bit ? 0 : 0xff;
    for (; byte + 8 <= end; byte += 8) {
        uint64_t w;
        memcpy(&w, p + byte, 8);
        if (w != skip_word) break;
    }
    for (; byte < end && p[byte] == skip; byte++) {
    }
    if (byte < end) {
        unsigned v = bit ? p[byte] : (unsigned char)~p[byte];
        return (long long)(byte * 8 + (unsigned)(__builtin_clz(v) - 24));
    }
    for (pos = (uint64_t)end * 8; pos <= eb; pos++)
        if (((p[pos >> 3] >> (7 - (pos & 7))) & 1) == bit) return (long long)pos;
    return -1;
}

/* Redis's index rules for BITCOUNT and BITPOS: negative indexes count from the
 * end of `total` units, then both clamp into [0, total - 1]. False if the
 * range is empty. */
static bool clamp_range(long long *start, long long *end, long long total) {
    if (*start < 0) *start += total;
    if (*end < 0) *end += total;
    if (*start < 0) *start = 0;
    if (*end < 0) *end = 0;
    if (*end >= total) *end = total - 1;
    return *start <= *end;
}

/* BYTE or BIT (argument i); replies a syntax error otherwise. */
static bool unit_or_reply(client *c, int i, bool *isbit) {
    if (arg_is(c, i, "bit"))
        *isbit = true;
    else if (arg_is(c, i, "byte"))
        *isbit = false;
    else {
        reply_err_syntax(c);
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- SETBIT GETBIT */

static void cmd_setbit(client *c) {
    uint64_t offset;
    long long on;
    if (!bit_offset_or_reply(c, 2, 0, &offset)) return;
    if (!num_parse_ll(c->argv[3], c->argvlen[3], &on) || (on != 0 && on != 1)) {
        reply_error(c, ERR_BIT_VALUE);
        return;
    }
    obj *o = db_lookup_write(c->db, c->argv[1], c->argvlen[1]);
    if (o && o->type != OBJ_STRING) {
        reply_err_wrongtype(c);
        return;
    }
    size_t byte = (size_t)(offset >> 3);
    size_t oldlen = o ? obj_strlen(o) : 0;
    obj *w = string_write_begin(o, c->argv[1], c->argvlen[1], byte + 1);
    unsigned char *p = (unsigned char *)obj_raw(w)->buf;
    unsigned mask = 1u << (7 - (offset & 7));
    int old = (p[byte] & mask) != 0;
    if (on)
        p[byte] |= (unsigned char)mask;
    else
        p[byte] &= (unsigned char)~mask;
    /* Like Redis, a SETBIT that changes nothing is not a change: the key is
     * neither created nor lengthened and the bit was already so. (A value made
     * RAW here must still replace the old object, but reports nothing.) */
    bool changed = !o || oldlen <= byte || old != on;
    if (changed || w != o) string_write_end(c->db, o, w);
    if (changed) notify_keyspace_event(NOTIFY_STRING, "setbit", c->db, c->argv[1], c->argvlen[1]);
    reply_int(c, old);
}

static void cmd_getbit(client *c) {
    uint64_t offset;
    if (!bit_offset_or_reply(c, 2, 0, &offset)) return;
    obj *o = db_lookup_read(c->db, c->argv[1], c->argvlen[1]);
    if (!o) {
        reply_int(c, 0);
        return;
    }
    if (o->type != OBJ_STRING) {
        reply_err_wrongtype(c);
        return;
    }
    char buf[32];
    size_t len;
    const unsigned char *p = str_bytes(o, buf, &len);
    reply_int(c, bit_at(p, len, offset));
}

/* ---------------------------------------------------------------- BITCOUNT BITPOS */

static void cmd_bitcount(client *c) {
    obj *o = db_lookup_read(c->db, c->argv[1], c->argvlen[1]);
    if (!o) {
        reply_int(c, 0);
        return;
    }
    if (o->type != OBJ_STRING) {
        reply_err_wrongtype(c);
        return;
    }
    char buf[32];
    size_t len;
    const unsigned char *p = str_bytes(o, buf, &len);
    long long start = 0, end = -1;
    bool isbit = false;
    if (c->argc == 4 || c->argc == 5) {
        if (!arg_ll_or_reply(c, 2, &start) || !arg_ll_or_reply(c, 3, &end)) return;
        if (c->argc == 5 && !unit_or_reply(c, 4, &isbit)) return;
        if (start < 0 && end < 0 && start > end) {
            reply_int(c, 0);
            return;
        }
    } else if (c->argc != 2) {
        reply_err_syntax(c);
        return;
    }
    long long total = isbit ? (long long)len * 8 : (long long)len;
    if (!clamp_range(&start, &end, total)) {
        reply_int(c, 0);
        return;
    }
    if (isbit)
        reply_int(c, popcount_bits(p, (uint64_t)start, (uint64_t)end));
    else
        reply_int(c, popcount_bytes(p + start, (size_t)(end - start + 1)));
}

static void cmd_bitpos(client *c) {
    long long bit;
    if (!arg_ll_or_reply(c, 2, &bit)) return;
    if (bit != 0 && bit != 1) {
        reply_error(c, "ERR The bit argument must be 1 or 0.");
        return;
    }
    /* A missing key is an endless run of zeros. */
    obj *o = db_lookup_read(c->db, c->argv[1], c->argvlen[1]);
    if (!o) {
        reply_int(c, bit ? -1 : 0);
        return;
    }
    if (o->type != OBJ_STRING) {
        reply_err_wrongtype(c);
        return;
    }
    if (c->argc > 6) {
        reply_err_syntax(c);
        return;
    }
    char buf[32];
    size_t len;
    const unsigned char *p = str_bytes(o, buf, &len);
    long long start = 0, end = -1;
    bool isbit = false, end_given = c->argc >= 5;
    if (c->argc >= 4) {
        if (!arg_ll_or_reply(c, 3, &start)) return;
        if (c->argc == 6 && !unit_or_reply(c, 5, &isbit)) return;
        if (end_given && !arg_ll_or_reply(c, 4, &end)) return;
    }
    long long total = isbit ? (long long)len * 8 : (long long)len;
    if (!end_given) end = total - 1;
    if (!clamp_range(&start, &end, total)) {
        reply_int(c, -1);
        return;
    }
    uint64_t sb = isbit ? (uint64_t)start : (uint64_t)start * 8;
    uint64_t eb = isbit ? (uint64_t)end : (uint64_t)end * 8 + 7;
    long long pos = find_bit(p, sb, eb, (int)bit);
    /* No clear bit in range: without an explicit end the string counts as
     * followed by zeros, so the answer is the first bit past it. */
    if (pos < 0 && bit == 0 && !end_given) pos = (long long)eb + 1;
    reply_int(c, pos);
}

/* ---------------------------------------------------------------- BITOP */

enum { BITOP_AND, BITOP_OR, BITOP_XOR, BITOP_NOT };

typedef struct bitop_src {
    const unsigned char *p;
    size_t len;
    char buf[32]; /* an INT value's digits */
} bitop_src;

static void cmd_bitop(client *c) {
    int op;
    if (arg_is(c, 1, "and"))
        op = BITOP_AND;
    else if (arg_is(c, 1, "or"))
        op = BITOP_OR;
    else if (arg_is(c, 1, "xor"))
        op = BITOP_XOR;
    else if (arg_is(c, 1, "not"))
        op = BITOP_NOT;
    else {
        reply_err_syntax(c);
        return;
    }
    int nsrc = c->argc - 3;
    if (op == BITOP_NOT && nsrc != 1) {
        reply_error(c, "ERR BITOP NOT must be called with a single source key.");
        return;
    }
    bitop_src *src = cn_malloc((size_t)nsrc * sizeof(*src));
    size_t maxlen = 0;
    for (int j = 0; j < nsrc; j++) {
        obj *o = db_lookup_read(c->db, c->argv[3 + j], c->argvlen[3 + j]);
        src[j].p = NULL;
        src[j].len = 0;
        if (!o) continue; /* a missing key is an empty string */
        if (o->type != OBJ_STRING) {
            cn_free(src);
            reply_err_wrongtype(c);
            return;
        }
        src[j].p = str_bytes(o, src[j].buf, &src[j].len);
        if (src[j].len > maxlen) maxlen = src[j].len;
    }

    const char *dkey = c->argv[2];
    size_t dlen = c->argvlen[2];
    if (maxlen == 0) {
        cn_free(src);
        if (db_delete(c->db, dkey, dlen))
            notify_keyspace_event(NOTIFY_GENERIC, "del", c->db, dkey, dlen);
        reply_int(c, 0);
        return;
    }
    /* The result is built in the new object, which joins the keyspace only once
     * every source has been read (the destination may be one of them). */
    obj *d = obj_new_raw(dkey, dlen, NULL, 0, maxlen, OBJ_NO_EXPIRE);
    rawstr *r = obj_raw(d);
    unsigned char *res = (unsigned char *)r->buf;
    /* Shorter strings are padded with zeros. */
    if (src[0].len) memcpy(res, src[0].p, src[0].len);
    memset(res + src[0].len, 0, maxlen - src[0].len);
    if (op == BITOP_NOT) {
        for (size_t i = 0; i < maxlen; i++) res[i] = (unsigned char)~res[i];
    }
    for (int j = 1; j < nsrc; j++) {
        const unsigned char *s = src[j].p;
        size_t n = src[j].len;
        switch (op) {
        case BITOP_AND:
            for (size_t i = 0; i < n; i++) res[i] &= s[i];
            memset(res + n, 0, maxlen - n);
            break;
        case BITOP_OR:
            for (size_t i = 0; i < n; i++) res[i] |= s[i];
            break;
        case BITOP_XOR:
            for (size_t i = 0; i < n; i++) res[i] ^= s[i];
            break;
        }
    }
    r->len = maxlen;
    r->buf[maxlen] = '\0';
    cn_free(src);
    db_set(c->db, d); /* replaces any value (and TTL) the destination had */
    notify_keyspace_event(NOTIFY_STRING, "set", c->db, dkey, dlen);
    reply_int(c, (long long)maxlen);
}

/* ---------------------------------------------------------------- BITFIELD */

enum { BF_GET, BF_SET, BF_INCRBY };
enum { BF_WRAP, BF_SAT, BF_FAIL };

typedef struct bf_op {
    uint64_t offset;
    int64_t value;    /* SET's value, INCRBY's increment */
    uint8_t opcode;   /* BF_GET ... */
    uint8_t bits;     /* 1..64 */
    uint8_t overflow; /* BF_WRAP ... in force for this op */
    bool sign;
} bf_op;

/* "i1".."i64" or "u1".."u63" (lower-case prefix only, as in Redis). */
static bool bf_type_or_reply(client *c, int i, bool *sign, int *bits) {
    const char *s = c->argv[i];
    size_t len = c->argvlen[i];
    long long n;
    if (len < 2 || (s[0] != 'i' && s[0] != 'u') || !num_parse_ll(s + 1, len - 1, &n) || n < 1 ||
        n > (s[0] == 'i' ? 64 : 63)) {
        reply_error(c, ERR_BF_TYPE);
        return false;
    }
    *sign = s[0] == 'i';
    *bits = (int)n;
    return true;
}

/* The field's raw bits (zero past the end of p), most significant first. */
static uint64_t bf_read(const unsigned char *p, size_t len, uint64_t offset, int bits) {
    uint64_t v = 0;
    for (int i = 0; i < bits; i++) v = (v << 1) | (uint64_t)bit_at(p, len, offset + (uint64_t)i);
    return v;
}

/* Writes the low `bits` bits of v; p holds the whole field. */
static void bf_write(unsigned char *p, uint64_t offset, int bits, uint64_t v) {
    for (int i = 0; i < bits; i++) {
        uint64_t b = offset + (uint64_t)i;
        unsigned mask = 1u << (7 - (b & 7));
        if ((v >> (bits - 1 - i)) & 1)
            p[b >> 3] |= (unsigned char)mask;
        else
            p[b >> 3] &= (unsigned char)~mask;
    }
}

/* The value of a field holding the low `bits` bits of v. */
static int64_t bf_value(uint64_t v, int bits, bool sign) {
    if (bits == 64) return (int64_t)v;
    v &= ~(UINT64_MAX << bits);
    if (sign && ((v >> (bits - 1)) & 1)) v |= UINT64_MAX << bits;
    return (int64_t)v;
}

/* Fits the exact result `want` into op's field under its overflow mode: true
 * with the bits to store in *out, false when FAIL refuses it. */
static bool bf_fit(const bf_op *op, __int128 want, uint64_t *out) {
    int bits = op->bits;
    __int128 min = op->sign ? -((__int128)1 << (bits - 1)) : 0;
    __int128 max = op->sign ? ((__int128)1 << (bits - 1)) - 1 : ((__int128)1 << bits) - 1;
    if (want >= min && want <= max) {
        *out = (uint64_t)want;
        return true;
    }
    switch (op->overflow) {
    case BF_WRAP:
        *out = (uint64_t)want;
        return true; /* the low bits, two's complement */
    case BF_FAIL:
        return false;
    default:
        break;
    }
    bool above = want > max;
    /* Redis's quirk: it tests a signed SET value against the maximum as
     * (max - value) in 64 bits, which wraps for values this far below the
     * minimum, and so saturates them to the maximum. */
    if (op->opcode == BF_SET && op->sign && max - want > INT64_MAX) above = true;
    *out = (uint64_t)(above ? max : min);
    return true;
}

static void bitfield_generic(client *c, bool ro) {
    int n = 0, overflow = BF_WRAP;
    bool writes = false;
    uint64_t highest = 0; /* the last bit a write reaches */
    bf_op *ops = cn_malloc((size_t)c->argc * sizeof(*ops));
    for (int j = 2; j < c->argc; j++) {
        int remaining = c->argc - j - 1, opcode;
        if (arg_is(c, j, "get") && remaining >= 2)
            opcode = BF_GET;
        else if (arg_is(c, j, "set") && remaining >= 3)
            opcode = BF_SET;
        else if (arg_is(c, j, "incrby") && remaining >= 3)
            opcode = BF_INCRBY;
        else if (arg_is(c, j, "overflow") && remaining >= 1) {
            j++;
            if (arg_is(c, j, "wrap"))
                overflow = BF_WRAP;
            else if (arg_is(c, j, "sat"))
                overflow = BF_SAT;
            else if (arg_is(c, j, "fail"))
                overflow = BF_FAIL;
            else {
                reply_error(c, "ERR Invalid OVERFLOW type specified");
                goto done;
            }
            continue;
        } else {
            reply_err_syntax(c);
            goto done;
        }
        bf_op *op = &ops[n++];
        int bits;
        if (!bf_type_or_reply(c, j + 1, &op->sign, &bits)) goto done;
        if (!bit_offset_or_reply(c, j + 2, bits, &op->offset)) goto done;
        op->bits = (uint8_t)bits;
        op->opcode = (uint8_t)opcode;
        op->overflow = (uint8_t)overflow;
        op->value = 0;
        if (opcode != BF_GET) {
            long long v;
            if (!arg_ll_or_reply(c, j + 3, &v)) goto done;
            op->value = v;
            writes = true;
            if (op->offset + (uint64_t)bits - 1 > highest)
                highest = op->offset + (uint64_t)bits - 1;
        }
        j += opcode == BF_GET ? 2 : 3;
    }

    obj *o, *w = NULL;
    const unsigned char *p = NULL;
    size_t len = 0;
    char buf[32];
    bool grown = false; /* the write created the key or lengthened it */
    if (!writes) {
        o = db_lookup_read(c->db, c->argv[1], c->argvlen[1]);
        if (o && o->type != OBJ_STRING) {
            reply_err_wrongtype(c);
            goto done;
        }
        if (o) p = str_bytes(o, buf, &len);
    } else {
        if (ro) {
            reply_error(c, "ERR BITFIELD_RO only supports the GET subcommand");
            goto done;
        }
        o = db_lookup_write(c->db, c->argv[1], c->argvlen[1]);
        if (o && o->type != OBJ_STRING) {
            reply_err_wrongtype(c);
            goto done;
        }
        /* Room for every write first, as Redis makes it (even for one that
         * OVERFLOW FAIL refuses). */
        size_t need = (size_t)(highest >> 3) + 1;
        grown = !o || obj_strlen(o) < need;
        w = string_write_begin(o, c->argv[1], c->argvlen[1], need);
        p = (const unsigned char *)obj_raw(w)->buf;
        len = obj_raw(w)->len;
    }

    /* Writes that changed the string: as in Redis, every write when it grew,
     * else those that changed their field's value. */
    int changes = 0;
    reply_array(c, n);
    for (int i = 0; i < n; i++) {
        const bf_op *op = &ops[i];
        int64_t cur = bf_value(bf_read(p, len, op->offset, op->bits), op->bits, op->sign);
        if (op->opcode == BF_GET) {
            reply_int(c, cur);
            continue;
        }
        __int128 want;
        if (op->opcode == BF_SET) /* an unsigned field reads the value as unsigned 64-bit */
            want = op->sign ? (__int128)op->value : (__int128)(uint64_t)op->value;
        else
            want = (__int128)cur + op->value;
        uint64_t bits;
        if (!bf_fit(op, want, &bits)) {
            reply_null(c);
            continue;
        }
        bf_write((unsigned char *)obj_raw(w)->buf, op->offset, op->bits, bits);
        int64_t stored = bf_value(bits, op->bits, op->sign);
        if (grown || stored != cur) changes++;
        reply_int(c, op->opcode == BF_SET ? cur : stored);
    }
    if (w) string_write_end(c->db, o, w);
    if (changes) notify_keyspace_event(NOTIFY_STRING, "setbit", c->db, c->argv[1], c->argvlen[1]);
done:
    cn_free(ops);
}

static void cmd_bitfield(client *c) { bitfield_generic(c, false); }
static void cmd_bitfield_ro(client *c) { bitfield_generic(c, true); }

/* ---------------------------------------------------------------- the table */

/* Rows stay packed, as in the other command tables. */
/* clang-format off */
command cmd_table_bitops[] = {
    {.name = "setbit", .proc = cmd_setbit, .arity = 4, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_BITMAP | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "bitmap", .since = "2.2.0",
     .summary = "Sets or clears the bit at offset in the string value stored at key",
     .complexity = "O(1)", .key_specs = "RW access update: index 1 range 0 1 0",
     .args = "key@0 offset:integer value:integer"},
    {.name = "getbit", .proc = cmd_getbit, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_BITMAP | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "bitmap", .since = "2.2.0",
     .summary = "Returns the bit value at offset in the string value stored at key",
     .complexity = "O(1)", .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 offset:integer"},
    {.name = "bitcount", .proc = cmd_bitcount, .arity = -2, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_BITMAP | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "bitmap", .since = "2.6.0", .summary = "Count set bits in a string",
     .complexity = "O(N)", .history = "7.0.0 Added the `BYTE|BIT` option.",
     .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 [index(start:integer end:integer [index_unit(BYTE|BIT)+7.0.0])]"},
    {.name = "bitpos", .proc = cmd_bitpos, .arity = -3, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_BITMAP | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "bitmap", .since = "2.8.7", .summary = "Find first bit set or clear in a string",
     .complexity = "O(N)", .history = "7.0.0 Added the `BYTE|BIT` option.",
     .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 bit:integer [index(start:integer [end_index(end:integer "
             "[index_unit(BYTE|BIT)+7.0.0])])]"},
    {.name = "bitop", .proc = cmd_bitop, .arity = -4, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_BITMAP | ACL_SLOW, .first_key = 2, .last_key = -1, .key_step = 1,
     .group = "bitmap", .since = "2.6.0", .summary = "Perform bitwise operations between strings",
     .complexity = "O(N)",
     .key_specs = "OW update: index 2 range 0 1 0; RO access: index 3 range -1 1 0",
     .args = "operation destkey@0 key@1..."},
    {.name = "bitfield", .proc = cmd_bitfield, .arity = -2, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_BITMAP | ACL_SLOW, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "bitmap", .since = "3.2.0",
     .summary = "Perform arbitrary bitfield integer operations on strings",
     .complexity = "O(1) for each subcommand specified",
     .key_specs = "RW access update variable_flags: index 1 range 0 1 0 -- This command allows "
                  "both access and modification of the key",
     .args = "key@0 [operation(GET encoding_offset(encoding offset:integer) | "
             "write([OVERFLOW wrap_sat_fail(WRAP|SAT|FAIL)] "
             "write_operation(SET encoding_offset_value(encoding offset:integer value:integer) | "
             "INCRBY encoding_offset_increment(encoding offset:integer increment:integer))))...]"},
    {.name = "bitfield_ro", .proc = cmd_bitfield_ro, .arity = -2, .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_BITMAP | ACL_FAST, .first_key = 1, .last_key = 1, .key_step = 1,
     .group = "bitmap", .since = "6.0.0",
     .summary = "Perform arbitrary bitfield integer operations on strings. Read-only variant of "
                "BITFIELD",
     .complexity = "O(1) for each subcommand specified",
     .key_specs = "RO access: index 1 range 0 1 0",
     .args = "key@0 [GET encoding_offset(encoding offset:integer)...*]"},
    {0}};
/* clang-format on */
