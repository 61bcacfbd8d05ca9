/* utils/xxhash.h: XXH64, Yann Collet's 64-bit non-cryptographic hash, written from
 * the published specification (xxhash_spec.md, "XXH64 algorithm description").
 *
 * Used where a fixed, well-known function is part of a format: HyperLogLog
 * register positions (src/cmd_hll.c, seed 0) and the snapshot checksum
 * (snapshot/, seed 0). Not keyed: never use it for hash tables (utils/hash.h).
 *
 * Two ways to call it, giving identical results: xxh64() on one buffer, or a
 * streaming state fed any split of the same bytes (xxh64_init, xxh64_update any
 * number of times, xxh64_digest, which does not change the state).
 *
 * Words are read little-endian, so results are the same on every platform.
 * Never allocates, never does I/O, no globals.
 */
#ifndef CAIRN_UTILS_XXHASH_H
#define CAIRN_UTILS_XXHASH_H

#include <stddef.h>
#include <stdint.h>

typedef struct xxh64_state {
    uint64_t total;   /* bytes fed so far */
    uint64_t v[4];    /* the four lane accumulators */
    uint64_t seed;
    uint8_t mem[32];  /* a partial 32-byte stripe */
    uint32_t memlen;  /* bytes in mem */
} xxh64_state;

uint64_t xxh64(const void *p, size_t len, uint64_t seed);

void xxh64_init(xxh64_state *st, uint64_t seed);
void xxh64_update(xxh64_state *st, const void *p, size_t len);
uint64_t xxh64_digest(const xxh64_state *st);

#endif
