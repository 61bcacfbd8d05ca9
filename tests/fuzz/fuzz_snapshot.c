/* tests/fuzz/fuzz_snapshot.c: fuzz entry point for the snapshot reader (snapshot/).
 *
 * The input is a snapshot file. It is read twice through the public API: as it is, and
 * with its header checksum recomputed (when the input is long enough to have one), so
 * that mutations get past snap_read_open and reach the record parser. Each run pulls
 * every record, pulls all, some or none of an elements record's elements (chosen by the
 * input), and takes some blobs. Checked along the way: the reader never crashes, never
 * reads out of bounds (ASan), stays failed after SNAP_ERR and done after SNAP_DONE,
 * error messages name the file and an offset, records respect the documented limits,
 * blobs validate, scores are not NaN. Any violation aborts.
 *
 *   libFuzzer: make fuzz FUZZ_TARGET=snapshot FUZZ_TIME=180
 *   replay:    build/tests/fuzz_snapshot_replay tests/fuzz/corpus/snapshot [more dirs or files]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"
#include "snapshot/format.h"
#include "snapshot/snapshot.h"
#include "utils/alloc.h"
#include "utils/intset.h"
#include "utils/listpack.h"
#include "utils/xxhash.h"

static void check_error(const snap_reader *r, const char *path) {
    const char *e = snap_read_error(r);
    FUZZ_CHECK(strncmp(e, path, strlen(path)) == 0);
    FUZZ_CHECK(strstr(e, ": offset ") != NULL);
}

static void read_all(const char *path, const uint8_t *data, size_t size) {
    char err[512];
    snap_reader *r = snap_read_open(path, err, sizeof(err));
    if (!r) {
        FUZZ_CHECK(strncmp(err, path, strlen(path)) == 0);
        return;
    }
    const snap_header *h = snap_read_header(r);
    FUZZ_CHECK(h->ndbs <= SNAP_MAX_DBS && strlen(h->version) <= SNAP_VERSION_MAX);
    snap_record rec;
    snap_status st;
    size_t n = 0;
    while ((st = snap_read_next(r, &rec)) == SNAP_OK) {
        n++;
        FUZZ_CHECK(rec.klen <= SNAP_MAX_KEY_LEN && rec.key != NULL);
        FUZZ_CHECK(rec.expire_ms == SNAP_NO_EXPIRE || rec.expire_ms >= 0);
        FUZZ_CHECK(rec.db < SNAP_MAX_DBS);
        uint8_t choice = size ? data[n % size] : 0;
        switch (rec.kind) {
        case SNAP_KIND_STRING: FUZZ_CHECK(rec.type == SNAP_TYPE_STRING && rec.vlen <= SNAP_MAX_STRING_LEN); break;
        case SNAP_KIND_INT: FUZZ_CHECK(rec.type == SNAP_TYPE_STRING); break;
        case SNAP_KIND_LISTPACK:
            FUZZ_CHECK(lp_validate((const unsigned char *)rec.val, rec.vlen));
            if (choice & 1) {
                size_t len;
                lp *l = snap_read_take_blob(r, &len);
                FUZZ_CHECK(l && len == rec.vlen && lp_count(l) > 0);
                for (unsigned char *p = lp_first(l); p; p = lp_next(l, p)) {
                    lp_value v;
                    lp_get(p, &v);
                }
                lp_free(l);
            }
            break;
        case SNAP_KIND_INTSET:
            FUZZ_CHECK(rec.type == SNAP_TYPE_SET && intset_validate(rec.val, rec.vlen));
            break;
        case SNAP_KIND_ELEMENTS: {
            FUZZ_CHECK(rec.count >= 1 && rec.count <= SNAP_MAX_ELEMENTS);
            uint64_t pull = (choice & 3) == 0 ? 0 : (choice & 3) == 1 ? rec.count / 2 : rec.count;
            snap_elem e;
            uint64_t i = 0;
            snap_status es = SNAP_OK;
            for (; i < pull && (es = snap_read_element(r, &e)) == SNAP_OK; i++) {
                FUZZ_CHECK(e.s != NULL && e.len <= SNAP_MAX_STRING_LEN);
                FUZZ_CHECK((rec.type == SNAP_TYPE_HASH) == (e.v != NULL));
                FUZZ_CHECK(!isnan(e.score));
            }
            if (es == SNAP_ERR) check_error(r, path);
            if (es == SNAP_OK && pull == rec.count) FUZZ_CHECK(snap_read_element(r, &e) == SNAP_DONE);
            break;
        }
        default: FUZZ_CHECK(0);
        }
    }
    if (st == SNAP_ERR) {
        check_error(r, path);
        FUZZ_CHECK(snap_read_next(r, &rec) == SNAP_ERR); /* stays failed */
    } else {
        FUZZ_CHECK(st == SNAP_DONE && snap_read_next(r, &rec) == SNAP_DONE);
    }
    snap_read_close(r);
}

static int memfd = -1;
static char mpath[64];

static void run_bytes(const uint8_t *data, size_t size) {
    FUZZ_CHECK(ftruncate(memfd, 0) == 0);
    FUZZ_CHECK(pwrite(memfd, data, size, 0) == (ssize_t)size);
    read_all(mpath, data, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (memfd < 0) {
        memfd = memfd_create("fuzz_snapshot", MFD_CLOEXEC);
        FUZZ_CHECK(memfd >= 0);
        snprintf(mpath, sizeof(mpath), "/proc/self/fd/%d", memfd);
    }
    size_t before = cn_used_memory();
    run_bytes(data, size);
    /* With the header checksum made right. */
    if (size >= SNAP_PREFIX_LEN) {
        uint64_t body = snap_get_le(data + 12, 4);
        if (body <= SNAP_BODY_MAX && SNAP_PREFIX_LEN + body + 8 <= size) {
            uint8_t *c = malloc(size);
            FUZZ_CHECK(c != NULL);
            memcpy(c, data, size);
            size_t at = SNAP_PREFIX_LEN + (size_t)body;
            snap_put_le(c + at, xxh64(c, at, 0), 8);
            run_bytes(c, size);
            free(c);
        }
    }
    FUZZ_CHECK(cn_used_memory() == before);
    return 0;
}
