/* tests/fuzz/replay_main.c: replays a fuzz corpus without libFuzzer.
 *
 * Linked with one fuzz_<name>.c (which defines LLVMFuzzerTestOneInput), it runs
 * every file named, and every regular file in every directory named, through the
 * entry point, then prints "suite fuzz_<name>: 1 passed, 0 failed" (the corpus is
 * one test; a failed check inside the entry point aborts before that line). This
 * is how `make test` replays tests/fuzz/corpus/<name>/ with gcc. */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/fuzz/fuzz.h"

static int replay_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, n = 0, got;
    uint8_t *buf = malloc(cap);
    if (!buf) abort();
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf) abort();
        }
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

int main(int argc, char **argv) {
    int files = 0, bad = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            bad++;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (replay_file(argv[i]) == 0) files++;
            else bad++;
            continue;
        }
        DIR *dir = opendir(argv[i]);
        if (!dir) {
            perror(argv[i]);
            bad++;
            continue;
        }
        struct dirent *de;
        while ((de = readdir(dir)) != NULL) {
            char path[4096];
            snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
            if (de->d_name[0] == '.' || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
            if (replay_file(path) == 0) files++;
            else bad++;
        }
        closedir(dir);
    }
    /* "build/tests/fuzz_reader_replay" reports as suite fuzz_reader. */
    const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    size_t len = strlen(name);
    if (len > 7 && strcmp(name + len - 7, "_replay") == 0) len -= 7;
    int ok = files > 0 && bad == 0;
    printf("suite %.*s: %d passed, %d failed\n", (int)len, name, ok, !ok);
    fprintf(stderr, "%.*s: replayed %d inputs, %d unreadable\n", (int)len, name, files, bad);
    return ok ? 0 : 1;
}
