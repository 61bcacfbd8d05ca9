/* utils/rand.c: see rand.h. */
#include "rand.h"

static uint64_t state = 0x9E3779B97F4A7C15ULL;

void rand_seed(uint64_t seed) { state = seed ? seed : 0x9E3779B97F4A7C15ULL; }

uint64_t rand_u64(void) {
    uint64_t x = state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

size_t rand_below(size_t n) { return (size_t)(((unsigned __int128)rand_u64() * n) >> 64); }
