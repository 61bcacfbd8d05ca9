/* utils/hash.h: keyed hashing of byte strings for every hash table in Cairn.
 *
 * hash_bytes() is SipHash-1-3 (Aumasson & Bernstein, "SipHash: a fast short-input
 * PRF": one compression round per 8-byte word, three finalization rounds) keyed by a
 * process-wide 128-bit seed. A keyed PRF means a client who does not know the seed
 * cannot pick keys that all land in one bucket (hash flooding).
 *
 * Terms: the seed is global state written once. Call hash_set_seed() with 16 random
 * bytes at startup, before any table is created: every stored hash (bucket position,
 * fingerprint) depends on it, so changing it while a table holds entries breaks that
 * table. Until it is called the seed is all zeros (fine for tests, not for a server).
 *
 * hash_bytes_nocase() hashes as if every ASCII letter 'A'..'Z' were lowercase; bytes
 * >= 0x80 are hashed unchanged. hash_bytes_nocase(p) == hash_bytes(ascii_lower(p)).
 *
 * Never allocates, never does I/O, never logs. Results are identical on every
 * platform for a given seed (words are read little-endian).
 */
#ifndef CAIRN_UTILS_HASH_H
#define CAIRN_UTILS_HASH_H

#include <stddef.h>
#include <stdint.h>

/* Copies the 16 bytes; the caller keeps `seed`. */
void hash_set_seed(const uint8_t seed[16]);
/* The seed now in force (16 bytes copied into `out`). */
void hash_get_seed(uint8_t out[16]);

uint64_t hash_bytes(const void *p, size_t len);
uint64_t hash_bytes_nocase(const void *p, size_t len);

/* SipHash-2-4 with an explicit key: the reference parameters, exposed so tests can
 * check the shared round code against the paper's test vectors. Not for tables. */
uint64_t hash_siphash24(const uint8_t key[16], const void *p, size_t len);

#endif
