/* src/elements.h: reading aggregate values from outside their type modules.
 *
 * A few read-only entry points that commands working across types (SORT, in
 * src/cmd_sort.c) use instead of knowing each type's encodings. Each function
 * lives in its type's module (cmd_list.c, cmd_zset.c, cmd_hash.c) and changes
 * nothing: no keyspace access, no replies, no conversions (sets have their own
 * read-only view, src/set.h). The one builder, list_from_elements(), makes a
 * new object the caller puts in the keyspace itself (db_set), as the *STORE
 * commands do.
 *
 * Element bytes passed to an elem_fn are borrowed: valid during the call only
 * (an integer-encoded element is formatted into a buffer on the stack). The
 * value must not change while it is being walked.
 */
#ifndef CAIRN_ELEMENTS_H
#define CAIRN_ELEMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "object.h"

/* Called once per element with its bytes (borrowed). */
typedef void elem_fn(void *ud, const char *s, size_t len);

/* Every element of the list o (OBJ_LIST), head to tail. */
void list_each(obj *o, elem_fn *fn, void *ud);
/* Every member of the sorted set o (OBJ_ZSET), by ascending score (ties by
 * member bytes), as ZRANGE 0 -1 lists them. */
void zset_each(obj *o, elem_fn *fn, void *ud);

/* The value of field f in the hash o (OBJ_HASH): *s and *len are set to its
 * bytes (borrowed from o until o changes, or formatted into buf, which has
 * room for 32 bytes, for an integer-encoded value). False if o has no such
 * field. */
bool hash_get_field(obj *o, const char *f, size_t flen, char *buf, const char **s,
                    size_t *len);

/* A new list object for key holding the n elements s[i] (len[i] bytes each;
 * copied), head to tail, in the encoding RPUSHing them into a new key would
 * give; no expire; not in the keyspace yet. n must be at least 1 (there is no
 * empty list). */
obj *list_from_elements(const char *key, size_t klen, size_t n, const char *const *s,
                        const size_t *len);

/* ---- persistence (src/persist.c): every value out, and back in ----------------
 *
 * Walking: the element count and every element of a value, whatever its encoding,
 * for values persist.c does not write as one block. Bytes are borrowed as above.
 * Building: a new object (not in the keyspace) is made with *_load_new(), filled
 * with *_load_add() one element at a time (the value takes the encoding the current
 * thresholds give, converting as it grows, exactly as if the elements had been
 * written by commands), then put in the keyspace by the caller (db_set). Duplicates
 * (a hostile file) are merged as the write commands would merge them: a set keeps one
 * member, a hash and a sorted set keep the last value or score.
 * *_load_fix() takes an object made by obj_new_value() from a listpack or intset
 * block read from a file (already validated as a listpack/intset) and converts it
 * when it exceeds the current thresholds (or, for a hash or sorted set listpack, has
 * an odd number of entries or a score entry that is not a number: then it returns
 * false and the caller discards the object as corrupt). */
typedef void pair_fn(void *ud, const char *f, size_t flen, const char *v, size_t vlen);
typedef void scored_fn(void *ud, const char *m, size_t mlen, double score);

size_t list_obj_len(const obj *o);
size_t hash_obj_len(const obj *o);
size_t zset_obj_len(const obj *o); /* sets: set_obj_len() in set.h */
/* Every field/value pair of the hash o. */
void hash_each_pair(obj *o, pair_fn *fn, void *ud);
/* Every member/score pair of the sorted set o, by ascending score. */
void zset_each_scored(obj *o, scored_fn *fn, void *ud);

obj *list_load_new(const char *key, size_t klen, int64_t expire_ms);
void list_load_add(obj *o, const char *s, size_t len); /* at the tail */
obj *set_load_new(const char *key, size_t klen, int64_t expire_ms);
void set_load_add(obj *o, const char *s, size_t len);
obj *hash_load_new(const char *key, size_t klen, int64_t expire_ms);
void hash_load_add(obj *o, const char *f, size_t flen, const char *v, size_t vlen);
obj *zset_load_new(const char *key, size_t klen, int64_t expire_ms);
void zset_load_add(obj *o, const char *m, size_t mlen, double score); /* score not NaN */
bool list_load_fix(obj *o);
bool set_load_fix(obj *o); /* listpack or intset */
bool hash_load_fix(obj *o);
bool zset_load_fix(obj *o);

#endif
