/* utils/hash.c: SipHash-c-d written from the SipHash paper; see hash.h. */
#include "utils/hash.h"

#include <string.h>

static uint64_t seed_k0, seed_k1;
static uint8_t seed_bytes[16];

static inline uint64_t load_le64(const uint8_t *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
#else
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
           (uint64_t)p[7] << 56;
#endif
}

void hash_set_seed(const uint8_t seed[16]) {
    memcpy(seed_bytes, seed, 16);
    seed_k0 = load_le64(seed);
    seed_k1 = load_le64(seed + 8);
}

void hash_get_seed(uint8_t out[16]) { memcpy(out, seed_bytes, 16); }

/* Lowercases the ASCII letters of the eight bytes in w, all at once: a byte b gets
 * 0x20 added iff 'A' <= b <= 'Z'. Adding 0x3f to the low 7 bits sets bit 7 iff they
 * are >= 'A'; adding 0x25 sets it iff they are >= 'Z' + 1; bytes with bit 7 already
 * set are not ASCII and are left alone. No carry crosses a byte (0x7f + 0x3f < 0x100). */
static inline uint64_t ascii_lower64(uint64_t w) {
    const uint64_t ones = 0x0101010101010101ULL;
    uint64_t low7 = w & (0x7f * ones);
    uint64_t ge_a = low7 + 0x3f * ones;
    uint64_t gt_z = low7 + 0x25 * ones;
    uint64_t upper = ge_a & ~gt_z & ~w & (0x80 * ones);
    return w | (upper >> 2);
}

static inline uint64_t rotl64(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

#define SIP_ROUND(v0, v1, v2, v3)                                                                  \
    do {                                                                                           \
        v0 += v1;                                                                                  \
        v1 = rotl64(v1, 13);                                                                       \
        v1 ^= v0;                                                                                  \
        v0 = rotl64(v0, 32);                                                                       \
        v2 += v3;                                                                                  \
        v3 = rotl64(v3, 16);                                                                       \
        v3 ^= v2;                                                                                  \
        v0 += v3;                                                                                  \
        v3 = rotl64(v3, 21);                                                                       \
        v3 ^= v0;                                                                                  \
        v2 += v1;                                                                                  \
        v1 = rotl64(v1, 17);                                                                       \
        v1 ^= v2;                                                                                  \
        v2 = rotl64(v2, 32);                                                                       \
    } while (0)

/* One body for all variants; c, d and nocase are constants at every call site, so
 * the compiler specializes each caller. */
static inline __attribute__((always_inline)) uint64_t siphash(uint64_t k0, uint64_t k1,
                                                              const uint8_t *in, size_t len,
                                                              int c, int d, int nocase) {
    uint64_t v0 = k0 ^ 0x736f6d6570736575ULL;
    uint64_t v1 = k1 ^ 0x646f72616e646f6dULL;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ULL;
    uint64_t v3 = k1 ^ 0x7465646279746573ULL;
    const uint8_t *end = in + (len & ~(size_t)7);

    for (; in != end; in += 8) {
        uint64_t m = load_le64(in);
        if (nocase) m = ascii_lower64(m);
        v3 ^= m;
        for (int i = 0; i < c; i++) SIP_ROUND(v0, v1, v2, v3);
        v0 ^= m;
    }

    /* Last block: the 0..7 remaining bytes, with the length's low byte on top. */
    uint64_t b = (uint64_t)len << 56;
    switch (len & 7) {
    case 7: b |= (uint64_t)in[6] << 48; /* fall through */
    case 6: b |= (uint64_t)in[5] << 40; /* fall through */
    case 5: b |= (uint64_t)in[4] << 32; /* fall through */
    case 4: b |= (uint64_t)in[3] << 24; /* fall through */
    case 3: b |= (uint64_t)in[2] << 16; /* fall through */
    case 2: b |= (uint64_t)in[1] << 8;  /* fall through */
    case 1: b |= (uint64_t)in[0]; break;
    case 0: break;
    }
    /* The top byte is the length, not text: keep it out of the lowering. */
    if (nocase) b = (ascii_lower64(b) & 0x00ffffffffffffffULL) | ((uint64_t)len << 56);
    v3 ^= b;
    for (int i = 0; i < c; i++) SIP_ROUND(v0, v1, v2, v3);
    v0 ^= b;

    v2 ^= 0xff;
    for (int i = 0; i < d; i++) SIP_ROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t hash_bytes(const void *p, size_t len) {
    return siphash(seed_k0, seed_k1, p, len, 1, 3, 0);
}

uint64_t hash_bytes_nocase(const void *p, size_t len) {
    return siphash(seed_k0, seed_k1, p, len, 1, 3, 1);
}

uint64_t hash_siphash24(const uint8_t key[16], const void *p, size_t len) {
    return siphash(load_le64(key), load_le64(key + 8), p, len, 2, 4, 0);
}
