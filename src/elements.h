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

#endif
