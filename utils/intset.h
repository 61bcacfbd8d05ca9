/* utils/intset.h: a sorted set of 64-bit integers in one allocation.
 *
 * The small encoding of sets whose members are all integers (OBJECT ENCODING
 * "intset"): the members are kept sorted in a flat array, so a member costs 2, 4
 * or 8 bytes, lookups are a binary search and there is no per-member allocation.
 *
 * Terms: the block is the whole allocation; its byte format is stable (a
 * snapshot stores blocks as they are; every number is little-endian):
 *     [width: u32][len: u32][element]... (len of them, width bytes each)
 * `width` is 2, 4 or 8: every element is a two's-complement integer of that many
 * bytes, and the elements are strictly ascending. An empty intset has width 2.
 *
 * Widening: a block starts with 2-byte elements; adding a value that does not
 * fit the width rewrites every element at the smallest width that holds it (an
 * "upgrade", O(len), at most twice in a block's life). Removing never narrows the
 * width back, so a block may be wider than its values need: intset_validate()
 * accepts any width that holds them.
 *
 * Ownership: intset_new/intset_dup/intset_from_bytes allocate (utils/alloc.h);
 * intset_add/intset_remove may move the block (realloc) and return the new
 * pointer: they are warn_unused_result, always store the result. intset_free
 * accepts NULL.
 *
 * Limits: at most INTSET_MAX_LEN elements (a block of 8 GB at width 8); adding
 * past that aborts, so callers convert to another encoding first (sets convert
 * at set-max-intset-entries, capped at INTSET_MAX_LEN).
 *
 * Costs: find O(log n); add and remove O(n) (a memmove; the allocation is
 * resized to fit, in place while jemalloc's size class allows).
 *
 * Never does I/O, never logs, no globals: intset_random() advances a PRNG
 * state the caller owns.
 *
 *   intset *is = intset_new();
 *   bool added;
 *   is = intset_add(is, 42, &added);          // added == true
 *   is = intset_add(is, 1LL << 40, &added);   // widens to 8-byte elements
 *   for (uint32_t i = 0; i < intset_len(is); i++) use(intset_get(is, i));
 *   intset_free(is);
 */
#ifndef CAIRN_UTILS_INTSET_H
#define CAIRN_UTILS_INTSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct intset intset;

#define INTSET_MAX_LEN (1u << 30)
#define INTSET_HDR 8 /* width + len */
#define INTSET_WUR __attribute__((warn_unused_result))

/* An empty set (width 2). */
intset *intset_new(void);
void intset_free(intset *is);
intset *intset_dup(const intset *is) INTSET_WUR;

uint32_t intset_len(const intset *is);
/* Bytes per element: 2, 4 or 8. */
unsigned intset_width(const intset *is);
/* The allocation's real size (jemalloc's): what the intset costs. */
size_t intset_bytes(const intset *is);
/* The encoded size, INTSET_HDR + len * width (<= intset_bytes): the bytes a
 * snapshot writes and intset_from_bytes() reads back. */
size_t intset_used(const intset *is);

/* Adds v; *added says whether it was new (false: already there, nothing
 * changed). Returns the block, which may have moved. */
intset *intset_add(intset *is, int64_t v, bool *added) INTSET_WUR;
/* Removes v; *removed says whether it was there. Returns the block, which may
 * have moved. */
intset *intset_remove(intset *is, int64_t v, bool *removed) INTSET_WUR;
/* Removes the element at index i (< len). */
intset *intset_remove_at(intset *is, uint32_t i) INTSET_WUR;

/* Whether v is a member (binary search). */
bool intset_find(const intset *is, int64_t v);
/* The element at index i (0 is the smallest); i < len. */
int64_t intset_get(const intset *is, uint32_t i);
/* A uniformly random index in [0, len) (len > 0), from the caller's PRNG state
 * (xorshift64*; any value, 0 included, is a valid state), which it advances. */
uint32_t intset_random_index(const intset *is, uint64_t *state);
/* The element at a random index, as above. */
int64_t intset_random(const intset *is, uint64_t *state);

/* Checks a block of size bytes without trusting it: the header, that size is
 * exactly INTSET_HDR + len * width, that len <= INTSET_MAX_LEN, and that the
 * elements are strictly ascending. An empty block (len 0) is valid; whether an
 * empty set may exist is the loader's business. Reads only buf[0..size). */
bool intset_validate(const void *buf, size_t size);
/* A new intset holding a copy of buf (e.g. from a snapshot), or NULL if
 * intset_validate() refuses it. Borrows buf. */
intset *intset_from_bytes(const void *buf, size_t size) INTSET_WUR;

#endif
