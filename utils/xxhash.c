/* utils/xxhash.c: see xxhash.h. Written from the XXH64 specification. */
#include "xxhash.h"

#include <string.h>

#define XXH_P1 0x9E3779B185EBCA87ULL
#define XXH_P2 0xC2B2AE3D27D4EB4FULL
#define XXH_P3 0x165667B19E3779F9ULL
#define XXH_P4 0x85EBCA77C2B2AE63ULL
#define XXH_P5 0x27D4EB2F165667C5ULL

static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t read_le64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static inline uint32_t read_le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t xxh_round(uint64_t acc, uint64_t lane) {
    acc += lane * XXH_P2;
    return rotl64(acc, 31) * XXH_P1;
}

static inline uint64_t xxh_merge(uint64_t acc, uint64_t v) {
    acc ^= xxh_round(0, v);
    return acc * XXH_P1 + XXH_P4;
}

/* The tail (fewer than 32 bytes) and the avalanche, common to both entry points. */
static uint64_t xxh_finish(uint64_t acc, const uint8_t *p, size_t len) {
    const uint8_t *end = p + len;
    for (; end - p >= 8; p += 8) {
        acc ^= xxh_round(0, read_le64(p));
        acc = rotl64(acc, 27) * XXH_P1 + XXH_P4;
    }
    if (end - p >= 4) {
        acc ^= (uint64_t)read_le32(p) * XXH_P1;
        acc = rotl64(acc, 23) * XXH_P2 + XXH_P3;
        p += 4;
    }
    for (; p < end; p++) {
        acc ^= *p * XXH_P5;
        acc = rotl64(acc, 11) * XXH_P1;
    }
    acc ^= acc >> 33;
    acc *= XXH_P2;
    acc ^= acc >> 29;
    acc *= XXH_P3;
    acc ^= acc >> 32;
    return acc;
}

static uint64_t xxh_converge(const uint64_t v[4]) {
    uint64_t acc = rotl64(v[0], 1) + rotl64(v[1], 7) + rotl64(v[2], 12) + rotl64(v[3], 18);
    for (int i = 0; i < 4; i++) acc = xxh_merge(acc, v[i]);
    return acc;
}

static void xxh_lanes_init(uint64_t v[4], uint64_t seed) {
    v[0] = seed + XXH_P1 + XXH_P2;
    v[1] = seed + XXH_P2;
    v[2] = seed;
    v[3] = seed - XXH_P1;
}

static inline void xxh_stripe(uint64_t v[4], const uint8_t *p) {
    v[0] = xxh_round(v[0], read_le64(p));
    v[1] = xxh_round(v[1], read_le64(p + 8));
    v[2] = xxh_round(v[2], read_le64(p + 16));
    v[3] = xxh_round(v[3], read_le64(p + 24));
}

uint64_t xxh64(const void *data, size_t len, uint64_t seed) {
    const uint8_t *p = data;
    size_t left = len;
    uint64_t acc;
    if (len >= 32) {
        uint64_t v[4];
        xxh_lanes_init(v, seed);
        for (; left >= 32; p += 32, left -= 32) xxh_stripe(v, p);
        acc = xxh_converge(v);
    } else {
        acc = seed + XXH_P5;
    }
    acc += (uint64_t)len;
    return xxh_finish(acc, p, left);
}

void xxh64_init(xxh64_state *st, uint64_t seed) {
    memset(st, 0, sizeof(*st));
    st->seed = seed;
    xxh_lanes_init(st->v, seed);
}

void xxh64_update(xxh64_state *st, const void *data, size_t len) {
    const uint8_t *p = data;
    st->total += len;
    if (st->memlen) {
        size_t take = 32 - st->memlen;
        if (take > len) take = len;
        memcpy(st->mem + st->memlen, p, take);
        st->memlen += (uint32_t)take;
        p += take;
        len -= take;
        if (st->memlen < 32) return;
        xxh_stripe(st->v, st->mem);
        st->memlen = 0;
    }
    for (; len >= 32; p += 32, len -= 32) xxh_stripe(st->v, p);
    if (len) {
        memcpy(st->mem, p, len);
        st->memlen = (uint32_t)len;
    }
}

uint64_t xxh64_digest(const xxh64_state *st) {
    uint64_t acc = st->total >= 32 ? xxh_converge(st->v) : st->seed + XXH_P5;
    acc += st->total;
    return xxh_finish(acc, st->mem, st->memlen);
}
