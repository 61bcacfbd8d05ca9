/* utils/listpack.h: a compact sequence of entries in one allocation.
 *
 * The small encoding of hashes, lists, sets and sorted sets (OBJECT ENCODING
 * "listpack"): entries are byte strings or integers, stored back to back with
 * variable-length headers, so a small aggregate costs a few bytes per entry and
 * one allocation in all. Each entry can be walked forwards and backwards.
 * Strings that are canonical integers (as num_parse_ll accepts them) are stored
 * as integers; reading gives the integer back, or its decimal text.
 *
 * Terms: `lp` is the block (header + entries + end marker); an entry is named by
 * a pointer `p` into the block. Pointers are invalidated by every call that may
 * move the block (those returning a new `lp *`); such calls that need to say
 * where the caller is hand back a fresh pointer through an out-parameter.
 *
 * Ownership: lp_new allocates (utils/alloc.h); functions returning lp * may move
 * the block (realloc) and are warn_unused_result: always store the result;
 * lp_free accepts NULL. Values read with lp_get borrow the block (strings) or
 * the caller's buffer (integers as text).
 *
 * Cost: the block is a 6-byte header, the entries and a 1-byte end marker. An
 * entry is a header, its data and a backward length: strings of up to 63 bytes
 * and the integers 0..127 have a 1-byte header, a 1-byte backward length, and
 * so cost 2 bytes beyond their data; integers -4096..4095 cost 3 bytes in all,
 * and wider integers 1 + (2..8 value bytes) + 1. The byte format is stable (a
 * snapshot stores blocks as they are) and is described at the top of
 * listpack.c. The block keeps the allocator's spare room of its size class, so
 * most appends do not reallocate; deletes give memory back when a smaller size
 * class fits.
 *
 * Limits: an entry holds at most UINT32_MAX bytes; the block at most UINT32_MAX
 * bytes; passing either aborts. Callers keep listpacks small (the
 * *-max-listpack-* directives) and convert to the large encoding before these
 * matter. The count is kept in the header up to 65534 entries; beyond that
 * lp_count(), lp_seek() and lp_delete_range() walk the block to count.
 *
 * Source bytes `s` given to the adding and replacing calls may point into the
 * block itself (e.g. a value read with lp_get): they are copied first.
 *
 * Never does I/O, never logs, no globals.
 *
 *   lp *l = lp_new();
 *   l = lp_append(l, "field", 5);
 *   l = lp_append(l, "42", 2);              // stored as the integer 42
 *   for (unsigned char *p = lp_first(l); p; p = lp_next(l, p)) {
 *       lp_value v;
 *       lp_get(p, &v);
 *       if (v.str) use(v.str, v.len); else use_int(v.ll);
 *   }
 *   lp_free(l);
 */
#ifndef CAIRN_UTILS_LISTPACK_H
#define CAIRN_UTILS_LISTPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef unsigned char lp;

/* An entry's value: a string (str != NULL, borrowed from the block) or an
 * integer (str == NULL, in ll). */
typedef struct lp_value {
    const char *str;
    size_t len;
    long long ll;
} lp_value;

#define LP_INTBUF 21 /* room for any long long as text (with NUL) */
#define LP_WUR    __attribute__((warn_unused_result))

lp *lp_new(void);
void lp_free(lp *l);
lp *lp_dup(const lp *l) LP_WUR;
/* The block's allocation size (jemalloc's real size): what the listpack costs. */
size_t lp_bytes(const lp *l);
/* The encoded size (header + entries + end marker, <= lp_bytes): the bytes a
 * snapshot writes; lp_from_bytes() reads them back. */
size_t lp_used(const lp *l);
uint32_t lp_count(const lp *l); /* entries */

/* Walking: NULL past either end (and lp_first/lp_last of an empty listpack). */
unsigned char *lp_first(lp *l);
unsigned char *lp_last(lp *l);
unsigned char *lp_next(lp *l, unsigned char *p);
unsigned char *lp_prev(lp *l, unsigned char *p);
/* The entry at index i (0 first; negative from the end: -1 last); NULL if out of range. */
unsigned char *lp_seek(lp *l, long i);

/* Reads the entry at p. */
void lp_get(const unsigned char *p, lp_value *v);
/* The entry's bytes whatever it holds: integers are formatted into buf
 * (LP_INTBUF bytes). Returns the bytes, *len their length. */
const char *lp_get_str(const unsigned char *p, char *buf, size_t *len);
/* True if the entry at p equals the bytes s (an integer entry compares by its
 * decimal text). */
bool lp_eq(const unsigned char *p, const char *s, size_t len);

/* Adds an entry at the end / the start. */
lp *lp_append(lp *l, const char *s, size_t len) LP_WUR;
lp *lp_prepend(lp *l, const char *s, size_t len) LP_WUR;
lp *lp_append_int(lp *l, long long v) LP_WUR;
/* Appends every entry of src (borrowed; may be l itself) to l: one copy of the
 * bytes, no re-encoding (merging quicklist nodes). */
lp *lp_concat(lp *l, const lp *src) LP_WUR;
/* Inserts before (after == false) or after the entry at p; *newp gets the new
 * entry (newp may be NULL). */
lp *lp_insert(lp *l, unsigned char *p, bool after, const char *s, size_t len,
              unsigned char **newp) LP_WUR;
/* Replaces the entry at *p; *p gets the replaced entry's new address. */
lp *lp_replace(lp *l, unsigned char **p, const char *s, size_t len) LP_WUR;
lp *lp_replace_int(lp *l, unsigned char **p, long long v) LP_WUR;
/* Deletes the entry at *p; *p gets the entry that followed it (NULL if none). */
lp *lp_delete(lp *l, unsigned char **p) LP_WUR;
/* Deletes count entries from index start (negative from the end: -1 is the
 * last). A start still out of range deletes nothing; count stops at the end. */
lp *lp_delete_range(lp *l, long start, unsigned long count) LP_WUR;

/* Finds the first entry at or after p equal to s (as lp_eq), comparing one entry
 * then skipping `skip` entries (skip 1 looks only at the fields of field/value
 * pairs when p is a field). NULL if none, or if p is NULL. Cheap: s is parsed
 * once; strings are compared by length first, integers by value. */
unsigned char *lp_find(lp *l, unsigned char *p, const char *s, size_t len, unsigned skip);

/* Checks a block's structure (headers, lengths, count, end marker) without
 * trusting it: for loading from disk. Reads only buf[0..size) whatever it holds.
 * True only if the block is exactly what this module would have built: the
 * header's total is size, every entry is in its smallest encoding (a string
 * never holds a canonical integer), every backward length matches its entry,
 * the count matches and the end marker is the last byte. */
bool lp_validate(const unsigned char *buf, size_t size);
/* A new block holding a copy of buf (size bytes, e.g. from a snapshot), or NULL
 * if lp_validate() rejects it. Borrows buf. */
lp *lp_from_bytes(const unsigned char *buf, size_t size) LP_WUR;

/* ---- persistence: walking and building values (elements.h) ---- */

/* Whether two of the entries at index 0, step, 2*step, ... are equal (as lp_eq
 * compares them): a set (step 1), or the fields of a hash or the members of a
 * sorted set (step 2), read from a file that may hold a member twice. O(n log n)
 * with a temporary array of n pointers; nothing changes. step >= 1. */
bool lp_has_duplicates(lp *l, unsigned step);

#endif
