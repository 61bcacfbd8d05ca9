/* src/set.h: reading set values from other modules.
 *
 * The set type lives in cmd_set.c, which owns its three encodings (intset,
 * listpack, hashtable). Other commands that take a plain set as input (ZUNION,
 * ZINTER, ZDIFF and friends count each member with score 1) read it through
 * this small, read-only view: members are bytes, whatever the encoding. An
 * integer member reads as its canonical decimal text ("7"), as SMEMBERS
 * replies it.
 *
 * Nothing here changes a set, allocates per member, or touches the keyspace.
 * The object must be an OBJ_SET and must not change while an iterator is
 * open (no keyspace write in between):
 *
 *   set_obj_iter it;
 *   set_obj_iter_init(&it, o);
 *   const char *m;
 *   size_t len;
 *   while (set_obj_iter_next(&it, &m, &len)) use(m, len);
 *   set_obj_iter_deinit(&it);
 *
 * A member returned by set_obj_iter_next is valid until the next call on the
 * same iterator (an integer is formatted into the iterator; other members
 * borrow the set). set_obj_iter_deinit is required (a hashtable iterator may
 * hold memory and pauses rehashing).
 */
#ifndef CAIRN_SET_H
#define CAIRN_SET_H

#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>

#include "object.h"

/* Opaque: cmd_set.c checks with a static assertion that its state fits. */
#define SET_OBJ_ITER_BYTES 320
typedef struct set_obj_iter {
    alignas(max_align_t) unsigned char opaque[SET_OBJ_ITER_BYTES];
} set_obj_iter;

void set_obj_iter_init(set_obj_iter *it, const obj *o);
/* The next member in *m, *len; false when there are no more. */
bool set_obj_iter_next(set_obj_iter *it, const char **m, size_t *len);
void set_obj_iter_deinit(set_obj_iter *it);

/* Number of members of the set o. */
size_t set_obj_len(const obj *o);
/* Whether the set o has the member m (bytes compared exactly). */
bool set_obj_contains(const obj *o, const char *m, size_t len);

#endif
