/* tests/fuzz/fuzz_aof.c: libFuzzer entry for the two parsers of aof/ that read
 * files a crash, a full disk or a person may have damaged: the AOF loader and
 * the manifest parser.
 *
 * The first byte chooses: odd, the rest is a manifest; even, the rest is an AOF
 * file, loaded through a memfd (the loader reads paths). Invariants checked with
 * abort(): a manifest that parses formats and parses again to the same text; the
 * loader's valid length never exceeds the file, and its command count is what
 * the sink saw.
 *
 *   fuzz:   make fuzz FUZZ_TARGET=aof
 *   replay: linked with tests/fuzz/replay_main.c (make test does it). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"
#include "aof/aof.h"
#include "utils/alloc.h"

static int count_sink(void *priv, int argc, const char **argv, const size_t *lens) {
    long long *n = priv;
    FUZZ_CHECK(argc > 0);
    for (int i = 0; i < argc; i++) FUZZ_CHECK(argv[i] != NULL || lens[i] == 0);
    (*n)++;
    return 0;
}

static void fuzz_manifest(const char *buf, size_t len) {
    aof_manifest m, again;
    char err[512];
    aof_manifest_init(&m);
    aof_manifest_init(&again);
    if (aof_manifest_parse(buf, len, &m, err, sizeof(err)) == AOF_OK) {
        size_t flen, flen2;
        char *text = aof_manifest_format(&m, &flen);
        FUZZ_CHECK(aof_manifest_parse(text, flen, &again, err, sizeof(err)) == AOF_OK);
        char *text2 = aof_manifest_format(&again, &flen2);
        FUZZ_CHECK(flen == flen2 && memcmp(text, text2, flen) == 0);
        cn_free(text);
        cn_free(text2);
    }
    aof_manifest_deinit(&m);
    aof_manifest_deinit(&again);
}

static void fuzz_loader(const uint8_t *buf, size_t len) {
    int fd = memfd_create("fuzz_aof", 0);
    if (fd < 0) return;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, buf + off, len - off);
        if (w <= 0) {
            close(fd);
            return;
        }
        off += (size_t)w;
    }
    char path[64], err[1024];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    long long seen = 0;
    aof_load_info info = {0};
    aof_status st = aof_load(path, 1 << 20, count_sink, &seen, &info, err, sizeof(err));
    FUZZ_CHECK(st == AOF_OK || st == AOF_TRUNCATED || st == AOF_ERR);
    FUZZ_CHECK(info.valid_len >= 0 && (size_t)info.valid_len <= len);
    FUZZ_CHECK(info.commands == seen);
    close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    if (data[0] & 1) fuzz_manifest((const char *)data + 1, size - 1);
    else fuzz_loader(data + 1, size - 1);
    return 0;
}
