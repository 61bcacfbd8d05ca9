/* snapshot/format.h: constants of the byte format shared by writer.c and reader.c
 * (see FORMAT.md). Internal to snapshot/: callers use snapshot.h. */
#ifndef CAIRN_SNAPSHOT_FORMAT_H
#define CAIRN_SNAPSHOT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

#define SNAP_MAGIC          "CAIRNSNP"
#define SNAP_MAGIC_LEN      8
#define SNAP_FORMAT_VERSION 1
#define SNAP_PREFIX_LEN     16 /* magic, version u16, codec u8, flags u8, body length u32 */
#define SNAP_DB_ENTRY_LEN   20 /* db u32, keys u64, expires u64 */
/* The header body: created_ms, version length + bytes, ndbs, the db entries. */
#define SNAP_BODY_MIN       (8 + 1 + 4)
#define SNAP_BODY_MAX       (SNAP_BODY_MIN + SNAP_VERSION_MAX + (size_t)SNAP_MAX_DBS * SNAP_DB_ENTRY_LEN)

/* Record opcodes besides the SNAP_KIND_* key records. */
#define SNAP_OP_DB  0x01
#define SNAP_OP_END 0xFF

#define SNAP_KEY_FLAG_EXPIRE 0x01 /* the only flag bit; the others must be zero */

#define SNAP_VARINT_MAX 10

_Static_assert(sizeof(SNAP_MAGIC) - 1 == SNAP_MAGIC_LEN, "magic is 8 bytes");
_Static_assert(SNAP_BODY_MAX < UINT32_MAX, "the body length fits its u32 field");

static inline void snap_put_le(unsigned char *p, uint64_t v, int n) {
    for (int i = 0; i < n; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static inline uint64_t snap_get_le(const unsigned char *p, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}
/* LEB128: 7 bits per byte, low first, high bit = more. Returns the bytes written. */
static inline size_t snap_put_varint(unsigned char *p, uint64_t v) {
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

#endif
