/* utils/rand.h: the server's fast pseudo-random numbers (xorshift64*), for random
 * picks: HRANDFIELD, SPOP, SRANDMEMBER, ZRANDMEMBER. Not cryptographic.
 *
 * One process-wide state, seeded once at start-up with rand_seed() (from
 * /dev/urandom); until then it runs from a fixed non-zero seed, which tests may
 * rely on for repeatability. Single-threaded use only.
 */
#ifndef CAIRN_UTILS_RAND_H
#define CAIRN_UTILS_RAND_H

#include <stddef.h>
#include <stdint.h>

void rand_seed(uint64_t seed); /* 0 is replaced by a fixed non-zero value */
uint64_t rand_u64(void);
/* Uniform in [0, n); n > 0 (multiply-shift, no modulo bias worth noting). */
size_t rand_below(size_t n);

#endif
