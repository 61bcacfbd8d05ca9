/* src/object.c: see object.h. */
#include "object.h"

#include <stdio.h>
#include <strings.h>

#include "../utils/alloc.h"
#include "../utils/num.h"
#include "evict.h"
#include "server.h"

static obj *obj_alloc(size_t klen, size_t payload, bool has_expire) {
    size_t meta = has_expire ? 12 : 0;
    obj *o = cn_malloc(sizeof(obj) + meta + klen + payload);
    o->has_expire = has_expire;
    o->keylen = (uint32_t)klen;
    o->lru = evict_initial_lru();
    return o;
}

static obj *obj_alloc_key(const char *key, size_t klen, size_t payload, int64_t expire_ms) {
    obj *o = obj_alloc(klen, payload, expire_ms != OBJ_NO_EXPIRE);
    if (o->has_expire) {
        obj_set_expire_field(o, expire_ms);
        obj_set_heap_index(o, UINT32_MAX);
    }
    memcpy((char *)obj_key(o), key, klen);
    return o;
}

obj *obj_new_int(const char *key, size_t klen, long long v, int64_t expire_ms) {
    obj *o = obj_alloc_key(key, klen, sizeof(int64_t), expire_ms);
    o->type = OBJ_STRING;
    o->encoding = OBJ_ENC_INT;
    obj_set_int(o, v);
    return o;
}

static rawstr *rawstr_new(const char *val, size_t vlen, size_t cap) {
    if (cap < vlen) cap = vlen;
    rawstr *r = cn_malloc(sizeof(rawstr) + cap + 1);
    r->len = vlen;
    if (vlen) memcpy(r->buf, val, vlen);
    r->buf[vlen] = '\0';
    return r;
}

obj *obj_new_raw(const char *key, size_t klen, const char *val, size_t vlen, size_t cap,
                 int64_t expire_ms) {
    obj *o = obj_alloc_key(key, klen, sizeof(rawstr *), expire_ms);
    o->type = OBJ_STRING;
    o->encoding = OBJ_ENC_RAW;
    obj_set_raw(o, rawstr_new(val, vlen, cap));
    return o;
}

obj *obj_new_string(const char *key, size_t klen, const char *val, size_t vlen, int64_t expire_ms) {
    long long ll;
    if (vlen <= 20 && vlen && num_parse_ll(val, vlen, &ll))
        return obj_new_int(key, klen, ll, expire_ms);
    return obj_new_string_noint(key, klen, val, vlen, expire_ms);
}

obj *obj_new_string_noint(const char *key, size_t klen, const char *val, size_t vlen,
                          int64_t expire_ms) {
    if (vlen > OBJ_EMB_MAX) return obj_new_raw(key, klen, val, vlen, vlen, expire_ms);
    obj *o = obj_alloc_key(key, klen, 4 + vlen + 1, expire_ms);
    o->type = OBJ_STRING;
    o->encoding = OBJ_ENC_EMB;
    char *p = obj_payload(o);
    uint32_t l = (uint32_t)vlen;
    memcpy(p, &l, 4);
    memcpy(p + 4, val, vlen);
    p[4 + vlen] = '\0';
    return o;
}

long long obj_int(const obj *o) {
    int64_t v;
    memcpy(&v, obj_payload_c(o), 8);
    return v;
}

void obj_set_int(obj *o, long long v) {
    int64_t x = v;
    memcpy(obj_payload(o), &x, 8);
}

static const obj_value_ops *const value_ops[] = {
    [OBJ_HASH] = &hash_value_ops,
    [OBJ_SET] = &set_value_ops,
    [OBJ_LIST] = &list_value_ops,
    [OBJ_ZSET] = &zset_value_ops,
};

static bool is_aggregate(const obj *o) { return o->type != OBJ_STRING; }

obj *obj_new_value(const char *key, size_t klen, int type, int encoding, void *ptr,
                   int64_t expire_ms) {
    obj *o = obj_alloc_key(key, klen, sizeof(void *), expire_ms);
    o->type = (uint32_t)type;
    o->encoding = (uint32_t)encoding;
    obj_set_ptr(o, ptr);
    return o;
}

void *obj_ptr(const obj *o) {
    void *p;
    memcpy(&p, obj_payload_c(o), sizeof(p));
    return p;
}

void obj_set_ptr(obj *o, void *ptr) { memcpy(obj_payload(o), &ptr, sizeof(ptr)); }

rawstr *obj_raw(const obj *o) {
    rawstr *r;
    memcpy(&r, obj_payload_c(o), sizeof(r));
    return r;
}

void obj_set_raw(obj *o, rawstr *r) { memcpy(obj_payload(o), &r, sizeof(r)); }

rawstr *rawstr_reserve(rawstr *r, size_t need) {
    size_t cap = cn_alloc_size(r) - sizeof(rawstr) - 1;
    if (need <= cap) return r;
    /* Grow geometrically below 1 MB, then by 1 MB, as appends tend to repeat. */
    size_t newcap = need < 1024 * 1024 ? need * 2 : need + 1024 * 1024;
    return cn_realloc(r, sizeof(rawstr) + newcap + 1);
}

const char *obj_str(const obj *o, char *buf, size_t *len) {
    switch (o->encoding) {
    case OBJ_ENC_INT:
        *len = num_fmt_ll(buf, obj_int(o));
        return buf;
    case OBJ_ENC_EMB: {
        uint32_t l;
        memcpy(&l, obj_payload_c(o), 4);
        *len = l;
        return obj_payload_c(o) + 4;
    }
    default: {
        rawstr *r = obj_raw(o);
        *len = r->len;
        return r->buf;
    }
    }
}

size_t obj_strlen(const obj *o) {
    char buf[32];
    size_t len;
    obj_str(o, buf, &len);
    return len;
}

static size_t obj_payload_len(const obj *o) {
    if (is_aggregate(o)) return sizeof(void *);
    switch (o->encoding) {
    case OBJ_ENC_INT: return 8;
    case OBJ_ENC_EMB: {
        uint32_t l;
        memcpy(&l, obj_payload_c(o), 4);
        return 4 + (size_t)l + 1;
    }
    default: return sizeof(void *);
    }
}

obj *obj_dup(const obj *o, const char *key, size_t klen, int64_t expire_ms) {
    if (is_aggregate(o))
        return obj_new_value(key, klen, o->type, o->encoding,
                             value_ops[o->type]->dup(o->encoding, obj_ptr(o)), expire_ms);
    if (o->encoding == OBJ_ENC_RAW) {
        rawstr *r = obj_raw(o);
        return obj_new_raw(key, klen, r->buf, r->len, r->len, expire_ms);
    }
    size_t plen = obj_payload_len(o);
    obj *n = obj_alloc_key(key, klen, plen, expire_ms);
    n->type = o->type;
    n->encoding = o->encoding;
    memcpy(obj_payload(n), obj_payload_c(o), plen);
    return n;
}

obj *obj_rekey(obj *o, const char *key, size_t klen) {
    size_t plen = obj_payload_len(o);
    obj *n = obj_alloc_key(key, klen, plen, obj_expire(o));
    n->type = o->type;
    n->encoding = o->encoding;
    n->lru = o->lru;
    memcpy(obj_payload(n), obj_payload_c(o), plen); /* inline bytes or the value's pointer */
    cn_free(o);
    return n;
}

obj *obj_resize_meta(obj *o, bool has_expire) {
    if ((bool)o->has_expire == has_expire) return o;
    size_t rest = o->keylen + obj_payload_len(o);
    obj *n = obj_alloc(o->keylen, rest - o->keylen, has_expire);
    n->type = o->type;
    n->encoding = o->encoding;
    n->lru = o->lru;
    memcpy((char *)obj_key(n), obj_key(o), rest);
    if (has_expire) {
        obj_set_expire_field(n, OBJ_NO_EXPIRE);
        obj_set_heap_index(n, UINT32_MAX);
    }
    cn_free(o);
    return n;
}

void obj_free(obj *o) {
    if (!o) return;
    if (is_aggregate(o)) value_ops[o->type]->free(o->encoding, obj_ptr(o));
    else if (o->encoding == OBJ_ENC_RAW) cn_free(obj_raw(o));
    cn_free(o);
}

size_t obj_mem_usage_sampled(const obj *o, size_t samples) {
    size_t n = cn_alloc_size(o);
    if (is_aggregate(o)) n += value_ops[o->type]->mem_usage(o->encoding, obj_ptr(o), samples);
    else if (o->encoding == OBJ_ENC_RAW) n += cn_alloc_size(obj_raw(o));
    return n;
}

size_t obj_mem_usage(const obj *o) { return obj_mem_usage_sampled(o, 0); }

size_t obj_free_effort(const obj *o) {
    if (is_aggregate(o)) return value_ops[o->type]->free_effort(o->encoding, obj_ptr(o));
    return 1;
}

static const char *const type_names[] = {"string", "list", "set", "zset", "hash"};

const char *obj_type_name(const obj *o) { return type_names[o->type]; }

const char *obj_encoding_name(const obj *o) {
    switch (o->encoding) {
    case OBJ_ENC_INT: return "int";
    case OBJ_ENC_EMB: return obj_strlen(o) <= OBJ_EMBSTR_REPORT ? "embstr" : "raw";
    case OBJ_ENC_RAW: return "raw";
    case OBJ_ENC_LISTPACK: return "listpack";
    case OBJ_ENC_HASHTABLE: return "hashtable";
    case OBJ_ENC_QUICKLIST: return "quicklist";
    case OBJ_ENC_INTSET: return "intset";
    case OBJ_ENC_SKIPLIST: return "skiplist";
    default: return "unknown";
    }
}

int obj_type_from_name(const char *name, size_t len) {
    for (int i = 0; i < (int)(sizeof(type_names) / sizeof(*type_names)); i++)
        if (strlen(type_names[i]) == len && strncasecmp(type_names[i], name, len) == 0) return i;
    return -1;
}
