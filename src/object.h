/* src/object.h: values in the keyspace, each with its key embedded.
 *
 * One allocation per key. An object is an 8-byte header followed by a variable
 * area:
 *
 *   [type:4 encoding:4 lru:24][has_expire:1 keylen:31]
 *   [int64 expire_ms][uint32 heap_index]      only when has_expire
 *   [key bytes]
 *   [payload]                                  by encoding:
 *       OBJ_ENC_INT   int64 (unaligned; read with memcpy)
 *       OBJ_ENC_EMB   uint32 len, bytes, NUL   (string stored inline)
 *       OBJ_ENC_RAW   pointer to an rawstr      (growable string)
 *       aggregates    pointer to the type's structure (OBJ_ENC_LISTPACK: a listpack,
 *                     OBJ_ENC_HASHTABLE: an ht, ...), owned by the object
 *
 * So an 11-byte key with a 100-byte value is 8 + 11 + 4 + 101 = 124 bytes, a
 * single 128-byte jemalloc block: no dictEntry, no separate key or value.
 *
 * Ownership: the keyspace hash table owns the objects it holds; db.c frees them.
 * Functions that change an object's size (adding an expire, converting EMB to
 * RAW) return the new pointer and free the old one: only db.c calls them,
 * because the table and the expire heap must be told (see db.h).
 *
 * Aggregate values (hashes, and later lists, sets, sorted sets) keep their
 * structure behind a pointer; the type's module (cmd_hash.c, ...) supplies an
 * obj_value_ops table so that freeing, copying and sizing work on every type
 * without object.c knowing the structures.
 *
 * OBJECT ENCODING reports Redis's names: "int", "embstr" for strings of at most
 * 44 bytes stored inline, "raw" otherwise (Redis's observable rule), though
 * Cairn stores strings inline up to OBJ_EMB_MAX bytes.
 */
#ifndef CAIRN_OBJECT_H
#define CAIRN_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { OBJ_STRING = 0, OBJ_LIST = 1, OBJ_SET = 2, OBJ_ZSET = 3, OBJ_HASH = 4 };
enum {
    OBJ_ENC_INT = 0,
    OBJ_ENC_EMB = 1,
    OBJ_ENC_RAW = 2,
    OBJ_ENC_LISTPACK = 3,  /* small hashes, lists, sets, sorted sets */
    OBJ_ENC_HASHTABLE = 4, /* large hashes and sets */
    OBJ_ENC_QUICKLIST = 5, /* large lists */
    OBJ_ENC_INTSET = 6,    /* small sets of integers */
    OBJ_ENC_SKIPLIST = 7,  /* large sorted sets */
};

/* What an aggregate type's module provides for its values. */
typedef struct obj_value_ops {
    void (*free)(int encoding, void *ptr);
    void *(*dup)(int encoding, const void *ptr);
    /* Bytes, from allocator sizes. samples 0: exact, O(N); else the first `samples`
     * elements are measured and their average stands for the rest (MEMORY USAGE). */
    size_t (*mem_usage)(int encoding, const void *ptr, size_t samples);
    /* About how many allocations freeing the value costs (lazyfree.h). */
    size_t (*free_effort)(int encoding, const void *ptr);
} obj_value_ops;

/* For mem_usage with samples: the measured part scaled to all elements. */
static inline size_t obj_extrapolate(size_t measured, size_t seen, size_t total) {
    return seen && total > seen ? (size_t)((double)measured / (double)seen * (double)total) : measured;
}
extern const obj_value_ops hash_value_ops; /* cmd_hash.c */
extern const obj_value_ops set_value_ops;  /* cmd_set.c */
extern const obj_value_ops list_value_ops; /* cmd_list.c */
extern const obj_value_ops zset_value_ops; /* cmd_zset.c */

#define OBJ_EMB_MAX 4096       /* strings up to this length live inline */
#define OBJ_EMBSTR_REPORT 44   /* OBJECT ENCODING says embstr up to this length */
#define OBJ_NO_EXPIRE (-1)
#define OBJ_LRU_BITS 24
#define OBJ_LRU_MAX ((1u << OBJ_LRU_BITS) - 1)

typedef struct obj {
    uint32_t type : 4;
    uint32_t encoding : 4;
    uint32_t lru : OBJ_LRU_BITS; /* LRU clock in seconds, or LFU data (maxmemory) */
    uint32_t has_expire : 1;
    uint32_t keylen : 31;
    char data[];
} obj;

_Static_assert(sizeof(obj) == 8, "object header must stay 8 bytes");

/* A growable string, for RAW values. */
typedef struct rawstr {
    size_t len;
    char buf[]; /* NUL-terminated; capacity from the allocator */
} rawstr;

/* --- layout accessors --- */
static inline size_t obj_meta_len(const obj *o) { return o->has_expire ? 12 : 0; }
static inline const char *obj_key(const obj *o) { return o->data + obj_meta_len(o); }
static inline size_t obj_keylen(const obj *o) { return o->keylen; }
static inline char *obj_payload(obj *o) { return o->data + obj_meta_len(o) + o->keylen; }
static inline const char *obj_payload_c(const obj *o) {
    return o->data + obj_meta_len(o) + o->keylen;
}
static inline int64_t obj_expire(const obj *o) {
    int64_t e;
    if (!o->has_expire) return OBJ_NO_EXPIRE;
    memcpy(&e, o->data, 8);
    return e;
}
static inline void obj_set_expire_field(obj *o, int64_t when) { memcpy(o->data, &when, 8); }
static inline uint32_t obj_heap_index(const obj *o) {
    uint32_t i;
    memcpy(&i, o->data + 8, 4);
    return i;
}
static inline void obj_set_heap_index(obj *o, uint32_t i) { memcpy(o->data + 8, &i, 4); }

/* --- strings --- */
/* Makes a string object for key with value, choosing INT/EMB/RAW. expire_ms is an
 * absolute Unix time in ms or OBJ_NO_EXPIRE. */
obj *obj_new_string(const char *key, size_t klen, const char *val, size_t vlen, int64_t expire_ms);
obj *obj_new_int(const char *key, size_t klen, long long v, int64_t expire_ms);
/* As obj_new_string, but never INT-encoded (INCRBYFLOAT results stay "embstr",
 * as Redis keeps them). */
obj *obj_new_string_noint(const char *key, size_t klen, const char *val, size_t vlen,
                          int64_t expire_ms);
/* Makes a RAW string object whose rawstr has room for at least cap bytes; the
 * value is val (vlen <= cap). Used when a string is about to grow. */
obj *obj_new_raw(const char *key, size_t klen, const char *val, size_t vlen, size_t cap,
                 int64_t expire_ms);

/* The string bytes. INT values are formatted into buf (>= 32 bytes). */
const char *obj_str(const obj *o, char *buf, size_t *len);
size_t obj_strlen(const obj *o);
/* For OBJ_ENC_INT. */
long long obj_int(const obj *o);
void obj_set_int(obj *o, long long v);
/* For OBJ_ENC_RAW: the rawstr (may be reallocated by rawstr_reserve). */
rawstr *obj_raw(const obj *o);
void obj_set_raw(obj *o, rawstr *r);
/* Grows r so that it holds at least need bytes; returns the new pointer. */
rawstr *rawstr_reserve(rawstr *r, size_t need) __attribute__((warn_unused_result));

/* --- aggregates --- */
/* Makes an object of type/encoding holding ptr (taken over). */
obj *obj_new_value(const char *key, size_t klen, int type, int encoding, void *ptr,
                   int64_t expire_ms);
/* The structure of an aggregate; obj_set_ptr after the structure moved
 * (e.g. a listpack reallocated) or was converted (set the encoding too). */
void *obj_ptr(const obj *o);
void obj_set_ptr(obj *o, void *ptr);

/* A copy of o under another key (COPY, RENAME, MOVE), expire as given. */
obj *obj_dup(const obj *o, const char *key, size_t klen, int64_t expire_ms);
/* The value of o under another key, moved (not copied: O(1) for any type),
 * expire kept; frees o's shell. o must already be out of every table. */
obj *obj_rekey(obj *o, const char *key, size_t klen) __attribute__((warn_unused_result));
/* The same object with an expire slot added or removed; frees o. Use db.h. */
obj *obj_resize_meta(obj *o, bool has_expire) __attribute__((warn_unused_result));

void obj_free(obj *o);
/* Bytes owned by o (header, key, payload and what payload points to). */
size_t obj_mem_usage(const obj *o);
/* As obj_mem_usage, measuring at most `samples` elements of an aggregate (0: all). */
size_t obj_mem_usage_sampled(const obj *o, size_t samples);
/* About how many allocations obj_free(o) releases: 1 for strings and compact
 * encodings, the element count for tables, lists' node count. */
size_t obj_free_effort(const obj *o);

const char *obj_type_name(const obj *o);       /* "string", "list", ... */
const char *obj_encoding_name(const obj *o);   /* "int", "embstr", "raw", ... */
/* Parses a type name as SCAN TYPE takes it; -1 if unknown. */
int obj_type_from_name(const char *name, size_t len);

#endif
