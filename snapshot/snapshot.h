/* snapshot/snapshot.h: Cairn's snapshot files: a streaming writer and a streaming,
 * hostile-input reader. The byte format is in snapshot/FORMAT.md.
 *
 * What it does. A snapshot is a header (creation time, Cairn version, per-database key
 * counts) followed by a stream of records, compressed as one stream with zstd, lz4
 * (frame format) or not at all, and closed by an end record carrying an XXH64 of the
 * header and the uncompressed records (the content checksum); an XXH64 of every file
 * byte before it ends the file (the file checksum). A record is {db, type, key, expire_ms, payload}; the payload is
 * one of:
 *   SNAP_KIND_STRING    a string value (any bytes)
 *   SNAP_KIND_INT       a string value held as an integer (OBJECT ENCODING "int")
 *   SNAP_KIND_LISTPACK  a listpack block as it is in memory (utils/listpack.h), for a
 *                       small list, set, sorted set or hash
 *   SNAP_KIND_INTSET    an intset block as it is in memory (utils/intset.h), for a set
 *   SNAP_KIND_ELEMENTS  a counted stream of elements, for large encodings: list
 *                       elements, set members, hash field/value pairs, sorted-set
 *                       member/score pairs (scores as binary doubles)
 *
 * Terms. This module never sees clients, databases or value objects: src/persist.c
 * walks the keyspace and calls the writer, and reads records back and builds objects.
 * Types and kinds are this module's own numbers (SNAP_TYPE_*, SNAP_KIND_*).
 *
 * Writer. Writes to "<dir>/<filename>.tmp-<pid>", then snap_write_end() flushes the
 * compressor, writes the end record, fsyncs the file, renames it over
 * "<dir>/<filename>" and fsyncs the directory: a crash at any point leaves the
 * previous snapshot intact (at worst a stale temp file stays behind). Records must come
 * grouped by database, databases in increasing order (snap_write_db before each
 * group), and the numbers of keys and of keys with an expire written to each database
 * must equal the header's: snap_write_end refuses a file whose header would lie.
 *
 *   char err[256];
 *   snap_header h = {.created_ms = now_ms, .version = "0.1.0", .ndbs = 1, .dbs = counts};
 *   snap_writer *w = snap_write_begin(dir, "dump.csnap", SNAP_ZSTD, 0, &h, err, sizeof err);
 *   if (!w) { log(err); return; }
 *   snap_write_db(w, 0);
 *   snap_write_string(w, SNAP_TYPE_STRING, "k", 1, SNAP_NO_EXPIRE, "v", 1);
 *   snap_write_elements_begin(w, SNAP_TYPE_HASH, "h", 1, SNAP_NO_EXPIRE, 2);
 *   snap_write_elements_add_pair(w, "f1", 2, "v1", 2);
 *   snap_write_elements_add_pair(w, "f2", 2, "v2", 2);
 *   snap_write_elements_end(w);
 *   if (snap_write_end(w) != SNAP_OK) log(err);    // snap_write_end frees w either way
 *
 * Writer errors are sticky: once a call returns SNAP_ERR (I/O error, or a call out of
 * order, which is the caller's bug), every later call returns SNAP_ERR and the caller
 * must finish with snap_write_abort() (or snap_write_end(), which then fails). The
 * message is written to the err buffer given to snap_write_begin, which must outlive
 * the writer.
 *
 * Reader. A pull API. snap_read_open() reads and checks the header; snap_read_next()
 * returns one record at a time; for a SNAP_KIND_ELEMENTS record the caller then pulls
 * its elements with snap_read_element() (elements it does not pull are read and
 * skipped by the next snap_read_next). Memory is constant apart from the record or
 * element being handed out: a 1 GB snapshot is never in memory at once.
 *
 *   snap_reader *r = snap_read_open(path, err, sizeof err);
 *   if (!r) fail(err);
 *   snap_record rec;
 *   snap_status st;
 *   while ((st = snap_read_next(r, &rec)) == SNAP_OK) {
 *       if (rec.kind == SNAP_KIND_ELEMENTS) {
 *           snap_elem e;
 *           for (uint64_t i = 0; i < rec.count; i++)
 *               if (snap_read_element(r, &e) != SNAP_OK) break;   // then next() fails too
 *       }
 *       build(&rec);
 *   }
 *   if (st == SNAP_ERR) { discard_everything(); fail(snap_read_error(r)); }
 *   snap_read_close(r);
 *
 * SNAP_DONE from snap_read_next means the whole file was read and verified: the end
 * record, both checksums, the per-database counts against the header,
 * and nothing after the compressed stream. Until then nothing is proven: a loader
 * builds into a fresh keyspace and discards it on SNAP_ERR, so the server never starts
 * from half a dataset.
 *
 * The file is hostile input. Every length is checked against its SNAP_MAX_* limit
 * before it is used, and buffers grow only as bytes actually arrive (a length of 512 MB
 * in a 100-byte file allocates little), listpack and intset blocks are validated
 * (lp_validate, intset_validate, plus the entry count the type needs) before they are
 * handed out, scores must not be NaN, varints must be canonical, reserved bits zero.
 * Errors read "PATH: offset N: reason". N is the offset in the logical stream: the file
 * header followed by the uncompressed records. For an uncompressed file that is the
 * file offset; for a compressed one the message adds the file offset reached, and
 * errors from the decompressor or a file that ends early give the file offset itself.
 * A truncated file always reports "offset SIZE:" where SIZE is the file's size.
 *
 * Pointers in a snap_record or snap_elem are borrowed from the reader and valid until
 * the next snap_read_* call on it (snap_read_take_blob hands a blob over instead).
 *
 * Never logs, no globals; allocates through utils/alloc.h; I/O only on the files named.
 * Not thread-safe per object; separate readers/writers are independent.
 */
#ifndef CAIRN_SNAPSHOT_H
#define CAIRN_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { SNAP_OK = 0, SNAP_DONE = 1, SNAP_ERR = -1 } snap_status;

/* Codecs (the byte in the file header). */
enum { SNAP_NONE = 0, SNAP_LZ4 = 1, SNAP_ZSTD = 2 };
#define SNAP_ZSTD_LEVEL_DEFAULT 1 /* level 0 given to snap_write_begin means this */
#define SNAP_ZSTD_LEVEL_MAX     19
#define SNAP_LZ4_LEVEL_MAX      12 /* 0 is LZ4's fast mode; 3..12 its HC modes */

/* Value types (same meanings as Redis's). */
enum { SNAP_TYPE_STRING = 0, SNAP_TYPE_LIST = 1, SNAP_TYPE_SET = 2, SNAP_TYPE_ZSET = 3, SNAP_TYPE_HASH = 4 };
/* Payload kinds (they are also the record opcodes; see FORMAT.md). */
enum {
    SNAP_KIND_STRING = 0x10,
    SNAP_KIND_INT = 0x11,
    SNAP_KIND_LISTPACK = 0x12,
    SNAP_KIND_INTSET = 0x13,
    SNAP_KIND_ELEMENTS = 0x14,
};

#define SNAP_NO_EXPIRE (-1) /* expire_ms of a key without one; others are >= 0 */

/* Limits the reader enforces (and the writer refuses to exceed). */
#define SNAP_MAX_DBS         65536u                /* database numbers are < this */
#define SNAP_VERSION_MAX     63                    /* bytes of the Cairn version string */
#define SNAP_MAX_KEY_LEN     (512ull * 1024 * 1024) /* proto-max-bulk-len's default */
#define SNAP_MAX_STRING_LEN  (512ull * 1024 * 1024) /* a value, an element, a field */
#define SNAP_MAX_BLOB_LEN    (UINT32_MAX - 1ull)    /* listpack/intset blocks: < 4 GB */
#define SNAP_MAX_ELEMENTS    (1ull << 40)           /* elements in one record */

typedef struct snap_db_count {
    uint32_t db;      /* < SNAP_MAX_DBS */
    uint64_t keys;    /* keys in this database, >= 1 */
    uint64_t expires; /* of which have an expire, <= keys */
} snap_db_count;

typedef struct snap_header {
    int64_t created_ms;                 /* Unix time in ms */
    char version[SNAP_VERSION_MAX + 1]; /* the Cairn version that wrote it, NUL-terminated */
    uint32_t ndbs;                      /* entries in dbs: the non-empty databases */
    snap_db_count *dbs;                 /* in increasing db order; the writer borrows it,
                                           the reader's belongs to the reader */
} snap_header;

/* ---- writer ---------------------------------------------------------------------- */

typedef struct snap_writer snap_writer;

/* Creates the temp file and writes the header. codec is SNAP_NONE, SNAP_LZ4 or
 * SNAP_ZSTD; level is the codec's level (0: its default; zstd 1..19, lz4 0..12; none
 * ignores it). h is borrowed (copied). NULL on error with err filled in ("PATH:
 * reason"); err (errlen bytes) is also where later errors of this writer go. */
snap_writer *snap_write_begin(const char *dir, const char *filename, int codec, int level,
                              const snap_header *h, char *err, size_t errlen);

/* Starts the records of database db (strictly greater than the previous one). */
snap_status snap_write_db(snap_writer *w, uint32_t db);
/* A key holding a string (type must be SNAP_TYPE_STRING). Bytes are copied. */
snap_status snap_write_string(snap_writer *w, int type, const char *key, size_t klen,
                              int64_t expire_ms, const char *val, size_t vlen);
/* A string value that is an integer (stored compactly; read back as SNAP_KIND_INT). */
snap_status snap_write_int(snap_writer *w, const char *key, size_t klen, int64_t expire_ms,
                           int64_t v);
/* A key whose value is one listpack (kind SNAP_KIND_LISTPACK; type list, set, zset or
 * hash) or intset (SNAP_KIND_INTSET; type set) block, bytes[0..len) copied as they
 * are: pass lp_used()/intset_used() bytes, not the allocation's. */
snap_status snap_write_blob(snap_writer *w, int type, int kind, const char *key, size_t klen,
                            int64_t expire_ms, const void *bytes, size_t len);
/* A key whose value follows as exactly count >= 1 elements, then _end. Use the _add
 * call of the type: _add (list, set), _add_pair (hash: field, value), _add_scored
 * (zset: member, score; not NaN). */
snap_status snap_write_elements_begin(snap_writer *w, int type, const char *key, size_t klen,
                                      int64_t expire_ms, uint64_t count);
snap_status snap_write_elements_add(snap_writer *w, const char *s, size_t len);
snap_status snap_write_elements_add_pair(snap_writer *w, const char *f, size_t flen,
                                         const char *v, size_t vlen);
snap_status snap_write_elements_add_scored(snap_writer *w, const char *m, size_t mlen,
                                           double score);
snap_status snap_write_elements_end(snap_writer *w);

/* Finishes: end record, flush, fsync, rename over <dir>/<filename>, fsync the
 * directory. Frees w in every case; on SNAP_ERR the temp file is removed, the old
 * snapshot is untouched, and err says why. bytes_out (may be NULL) gets the file size. */
snap_status snap_write_end(snap_writer *w, uint64_t *bytes_out);
/* Gives up: closes and removes the temp file, frees w. Accepts NULL. */
void snap_write_abort(snap_writer *w);
/* Uncompressed record bytes written so far (for progress reports). */
uint64_t snap_write_raw_bytes(const snap_writer *w);

/* ---- reader ---------------------------------------------------------------------- */

typedef struct snap_reader snap_reader;

typedef struct snap_record {
    uint32_t db;
    int type;          /* SNAP_TYPE_* */
    int kind;          /* SNAP_KIND_* */
    int64_t expire_ms; /* SNAP_NO_EXPIRE or >= 0 */
    const char *key;   /* borrowed */
    size_t klen;
    const char *val;   /* STRING: the value; LISTPACK, INTSET: the validated block */
    size_t vlen;
    int64_t ival;      /* INT: the value */
    uint64_t count;    /* ELEMENTS: how many snap_read_element calls follow (>= 1) */
} snap_record;

typedef struct snap_elem {
    const char *s; /* list element, set member, hash field or zset member (borrowed) */
    size_t len;
    const char *v; /* hash: the value (borrowed); else NULL */
    size_t vlen;
    double score;  /* zset: the score; else 0 */
} snap_elem;

/* Opens path and checks its header. NULL on error, err filled in. */
snap_reader *snap_read_open(const char *path, char *err, size_t errlen);
/* The header (the reader owns it). */
const snap_header *snap_read_header(const snap_reader *r);
/* The file's codec (SNAP_NONE, SNAP_LZ4, SNAP_ZSTD). */
int snap_read_codec(const snap_reader *r);
/* The next record: SNAP_OK (rec filled), SNAP_DONE (file complete and verified) or
 * SNAP_ERR (snap_read_error says why; the reader stays failed). */
snap_status snap_read_next(snap_reader *r, snap_record *rec);
/* The next element of the current SNAP_KIND_ELEMENTS record: SNAP_OK, SNAP_DONE (all
 * count elements were read), or SNAP_ERR. */
snap_status snap_read_element(snap_reader *r, snap_elem *e);
/* Hands the current record's validated blob (LISTPACK or INTSET) to the caller, who
 * then owns it: a cn_malloc'd block of exactly *len bytes (what lp_from_bytes or
 * intset_from_bytes would build, without the copy). NULL if the current record has
 * no blob or it was already taken. The record's val must not be used afterwards. */
void *snap_read_take_blob(snap_reader *r, size_t *len);
/* The message of the last SNAP_ERR ("PATH: offset N: reason"); "" if none. */
const char *snap_read_error(const snap_reader *r);
/* Logical stream offset reached (header + uncompressed records). */
uint64_t snap_read_offset(const snap_reader *r);
/* File bytes read so far, and the file's size at open (loading progress). */
uint64_t snap_read_file_offset(const snap_reader *r);
uint64_t snap_read_file_size(const snap_reader *r);
/* Closes the file and frees everything. Accepts NULL. */
void snap_read_close(snap_reader *r);

/* "none", "lz4", "zstd", or NULL for an unknown codec; and back (-1 if unknown). */
const char *snap_codec_name(int codec);
int snap_codec_from_name(const char *name);

#endif
