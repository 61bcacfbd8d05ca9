/* tests/fuzz/fuzz_config.c: fuzz entry point for the configuration parser (src/config.c):
 * config files (quoting, every directive type, include, save, client-output-buffer-limit),
 * the command line ("--name value ..."), and CONFIG REWRITE's output.
 *
 * The input is a config file, optionally followed by a line "#argv" and then one
 * command-line word per line:
 *
 *     port 7000
 *     save 60 1
 *     #argv
 *     --hz
 *     20
 *
 * (the "#argv" line is a comment to the file parser, so a corpus file without it is
 * a plain config file). The file part is written to input.conf in a scratch
 * directory and loaded with config_load(path, words). The command line goes through
 * the same lookup and value parser as CONFIG SET (cfg_lookup, cfg_parse_words, which
 * splits a single-word value of a many-argument directive on spaces; only CONFIG SET's
 * "an empty value is no words" differs). CONFIG SET itself needs a client, and its
 * apply callbacks bind sockets and open AOF files, so it is not called here.
 *
 * Checked, any violation aborts:
 *  - a failed load fills err in one of config.h's layouts;
 *  - a successful load leaves the fields as config.h promises (bind, logfile and dir
 *    never NULL, dir absolute and the working directory, hz clamped, maxclients in
 *    [1, INT_MAX], latency-tracking 0 or 1, "" stored as NULL where documented) and
 *    config_file is the input's absolute path;
 *  - CONFIG REWRITE round trip: the loaded configuration rewritten into a new file
 *    loads again from that file, and rewriting that gives the same bytes;
 *  - config_teardown() frees every byte config.c allocated.
 *
 * The sandbox. config.c acts on the file system: `dir` chdir()s, `logfile` is opened
 * for append (which creates it), `include` opens files and expands globs. The fuzzer
 * runs with its user's rights (root on the build box), so mutations like
 * "dir /\nlogfile etc/x" must not reach the real disk, and "include /dev/zero" (which
 * config.c reads as one line until memory runs out) must not stop the run. So config.c is compiled
 * for this target with -Dfopen=fuzz_fopen -Dchdir=fuzz_chdir -Dglob=fuzz_glob (see
 * FUZZ_CONFIG_SANDBOX in the Makefile): only its own calls are redirected, not
 * libFuzzer's (which writes crash inputs with fopen), and in them
 *  - chdir() succeeds only into the scratch directory or below (else EACCES), so the
 *    working directory, and every relative path, stays inside it;
 *  - fopen() for reading opens only regular files and directories inside the scratch
 *    directory (else EACCES);
 *  - fopen() for writing opens /dev/null instead when the file's directory exists
 *    (else it fails as the real call would): nothing is ever created;
 *  - glob() expands only patterns inside the scratch directory (relative ones, or
 *    absolute ones under it, without ".."); others match nothing.
 * The scratch directory holds fixed files for `include` and `dir` to find (inc/,
 * sub/, bad.conf, loop.conf), and nothing that one run leaves behind, so runs are
 * repeatable. It is removed at exit; a crash leaves it behind, rewrite1.conf included,
 * for a look.
 *
 *   libFuzzer: make fuzz FUZZ_TARGET=config FUZZ_TIME=180
 *   replay:    build/tests/fuzz_config_replay tests/fuzz/corpus/config [more dirs or files]
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"
#include "src/config.h"
#include "src/server.h"
#include "utils/alloc.h"

/* main.c's hook, which the server library links; main.c is not linked here. Loading a
 * config file runs no apply callback (only CONFIG SET does), so it is never called. */
int server_maxclients_changed(char *err, size_t errlen) {
    (void)err, (void)errlen;
    FUZZ_CHECK(!"config_load called the maxclients apply callback");
    return CN_ERR;
}

/* ---- the sandbox ---- */

/* What config.c calls instead of fopen, chdir and glob. */
FILE *fuzz_fopen(const char *path, const char *mode);
int fuzz_chdir(const char *path);
int fuzz_glob(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *g);

static char scratch[256]; /* absolute, resolved, no trailing '/' */
static size_t scratch_len;
static char home[PATH_MAX]; /* the working directory libFuzzer runs in */
static int nreads;          /* files opened for reading and globs expanded */

/* Is the absolute, resolved path p the scratch directory or below it? */
static bool in_scratch(const char *p) {
    return strncmp(p, scratch, scratch_len) == 0 &&
           (p[scratch_len] == '\0' || p[scratch_len] == '/');
}

FILE *fuzz_fopen(const char *path, const char *mode) {
    char abs[PATH_MAX];
    if (strpbrk(mode, "wa+")) {
        /* Fails where the real call would for want of a directory; never creates. */
        char dir[PATH_MAX];
        snprintf(dir, sizeof(dir), "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash == dir)
            slash[1] = '\0';
        else if (slash)
            *slash = '\0';
        else
            snprintf(dir, sizeof(dir), ".");
        struct stat st;
        if (stat(dir, &st) != 0) return NULL; /* errno from stat */
        if (!S_ISDIR(st.st_mode)) {
            errno = ENOTDIR;
            return NULL;
        }
        return fopen("/dev/null", mode);
    }
    nreads++;
    if (!realpath(path, abs)) return NULL; /* errno from realpath */
    struct stat st;
    if (!in_scratch(abs) || stat(abs, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
        errno = EACCES;
        return NULL;
    }
    return fopen(abs, mode);
}

int fuzz_chdir(const char *path) {
    char abs[PATH_MAX];
    if (!realpath(path, abs)) return -1;
    if (!in_scratch(abs)) {
        errno = EACCES;
        return -1;
    }
    return chdir(abs);
}

int fuzz_glob(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *g) {
    nreads++;
    if (strstr(pattern, "..") ||
        (pattern[0] == '/' &&
         (strncmp(pattern, scratch, scratch_len) != 0 || pattern[scratch_len] != '/'))) {
        memset(g, 0, sizeof(*g)); /* globfree() of a NOMATCH result is allowed */
        return GLOB_NOMATCH;
    }
    return glob(pattern, flags, errfunc, g);
}

static void write_file(const char *name, const void *data, size_t len) {
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", scratch, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FUZZ_CHECK(fd >= 0);
    FUZZ_CHECK(len == 0 || write(fd, data, len) == (ssize_t)len);
    close(fd);
}

/* Reads a whole file in the scratch directory; malloc'ed, *len bytes. */
static char *read_file(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    FUZZ_CHECK(fd >= 0);
    struct stat st;
    FUZZ_CHECK(fstat(fd, &st) == 0);
    char *b = malloc((size_t)st.st_size + 1);
    FUZZ_CHECK(b != NULL);
    FUZZ_CHECK(read(fd, b, (size_t)st.st_size) == st.st_size);
    b[st.st_size] = '\0';
    close(fd);
    *len = (size_t)st.st_size;
    return b;
}

static const char *const scratch_files[] = {"input.conf",    "rewrite0.conf", "rewrite1.conf",
                                            "rewrite2.conf", "inc/a.conf",    "inc/b.conf",
                                            "bad.conf",      "loop.conf"};
static const char *const scratch_dirs[] = {"sub/deeper", "sub", "inc"};

static void remove_scratch(void) {
    char path[PATH_MAX];
    for (size_t i = 0; i < sizeof(scratch_files) / sizeof(scratch_files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", scratch, scratch_files[i]);
        unlink(path);
    }
    for (size_t i = 0; i < sizeof(scratch_dirs) / sizeof(scratch_dirs[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", scratch, scratch_dirs[i]);
        rmdir(path);
    }
    rmdir(scratch);
}

/* The scratch directory, in tmpfs when there is one: every run writes and renames
 * files there. Made once per process; removed at exit. */
static void setup_scratch(void) {
    FUZZ_CHECK(getcwd(home, sizeof(home)) != NULL);
    char tmpl[] = "/dev/shm/cairn-fuzz-config-XXXXXX";
    char tmpl2[] = "/tmp/cairn-fuzz-config-XXXXXX";
    const char *d = mkdtemp(tmpl);
    if (!d) d = mkdtemp(tmpl2);
    FUZZ_CHECK(d != NULL);
    char abs[PATH_MAX];
    FUZZ_CHECK(realpath(d, abs) != NULL && strlen(abs) < sizeof(scratch));
    memcpy(scratch, abs, strlen(abs) + 1);
    scratch_len = strlen(scratch);
    char path[PATH_MAX];
    for (int i = 2; i >= 0; i--) { /* inc, sub, sub/deeper */
        snprintf(path, sizeof(path), "%s/%s", scratch, scratch_dirs[i]);
        FUZZ_CHECK(mkdir(path, 0700) == 0);
    }
    /* What `include` can reach: a file, a file including another, a bad one, and one
     * including itself (the nesting limit). Paths are relative to the working
     * directory, which `dir` may have moved. */
    static const char a[] = "port 7001\nsave 10 1\nclient-output-buffer-limit pubsub 1mb 1kb 5\n";
    static const char b[] = "hz 42\ninclude inc/a.conf\nbind 10.0.0.1 -::1\n";
    static const char bad[] = "maxmemory-policy noeviction\n";
    static const char loop[] = "include loop.conf\n";
    write_file("inc/a.conf", a, sizeof(a) - 1);
    write_file("inc/b.conf", b, sizeof(b) - 1);
    write_file("bad.conf", bad, sizeof(bad) - 1);
    write_file("loop.conf", loop, sizeof(loop) - 1);
    atexit(remove_scratch);
}

/* ---- checks ---- */

static bool starts_with(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void check_error_text(const char *err) {
    FUZZ_CHECK(err[0] != '\0');
    FUZZ_CHECK(starts_with(err, "*** FATAL CONFIG FILE ERROR (Cairn ") ||
               starts_with(err, "Fatal error, "));
}

/* What config.h promises about the fields after a successful load. */
static void check_fields(const char *input_path) {
    FUZZ_CHECK(server.bind != NULL && server.logfile != NULL && server.save_params != NULL);
    FUZZ_CHECK(server.dir != NULL && server.dir[0] == '/');
    char cwd[PATH_MAX];
    FUZZ_CHECK(getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, server.dir) == 0);
    FUZZ_CHECK(server.hz >= CONFIG_MIN_HZ && server.hz <= CONFIG_MAX_HZ);
    FUZZ_CHECK(server.maxclients >= 1);
    FUZZ_CHECK(server.latency_tracking == 0 || server.latency_tracking == 1);
    FUZZ_CHECK(server.unixsocket == NULL || server.unixsocket[0] != '\0');
    FUZZ_CHECK(server.pidfile == NULL || server.pidfile[0] != '\0');
    FUZZ_CHECK(server.requirepass == NULL || server.requirepass[0] != '\0');
    FUZZ_CHECK(server.config_file != NULL && strcmp(server.config_file, input_path) == 0);
}

static void reset_config(void) {
    config_teardown();
    FUZZ_CHECK(chdir(scratch) == 0);
    config_set_defaults();
}

static void scratch_path(char *buf, size_t cap, const char *name) {
    snprintf(buf, cap, "%s/%s", scratch, name);
}

/* CONFIG REWRITE of the configuration now loaded into the file name (in the scratch
 * directory), which holds text, or is new when text is NULL. */
static void rewrite_into(const char *name, const char *text, size_t len) {
    char path[PATH_MAX], err[4096];
    scratch_path(path, sizeof(path), name);
    unlink(path);
    if (text) write_file(name, text, len);
    if (config_rewrite(path, err, sizeof(err)) != CN_OK) {
        fprintf(stderr, "fuzz_config: CONFIG REWRITE into %s failed: %s\n", name, err);
        abort();
    }
}

/* Loads the file name (in the scratch directory) from the defaults; it must load. */
static void load_rewritten(const char *name) {
    char path[PATH_MAX], err[4096];
    scratch_path(path, sizeof(path), name);
    reset_config();
    if (config_load(path, 0, NULL, err, sizeof(err)) != CN_OK) {
        size_t len;
        char *text = read_file(path, &len);
        fprintf(stderr, "fuzz_config: %s does not load:\n%s\n--- its text:\n%s---\n", name, err,
                text);
        free(text);
        abort();
    }
}

static void check_same_file(const char *a, const char *b, const char *what) {
    char pa[PATH_MAX], pb[PATH_MAX];
    scratch_path(pa, sizeof(pa), a);
    scratch_path(pb, sizeof(pb), b);
    size_t la, lb;
    char *ta = read_file(pa, &la), *tb = read_file(pb, &lb);
    if (la != lb || memcmp(ta, tb, la) != 0) {
        fprintf(stderr, "fuzz_config: %s:\n--- %s:\n%s--- %s:\n%s---\n", what, a, ta, b, tb);
        abort();
    }
    free(ta);
    free(tb);
}

/* CONFIG REWRITE round trips of the configuration just loaded from file (the input's
 * file part):
 *  - into a new file (rewrite1.conf): that file loads, and rewrites to the same bytes;
 *  - into a copy of the input file (rewrite0.conf), as CONFIG REWRITE does to the file
 *    the server started from (replacing each directive's first line, dropping its
 *    later ones, keeping comments): that file loads to the same configuration, that
 *    is, it rewrites into a new file as rewrite1.conf. Only when nothing was included
 *    (in_place): an included file applies its values again where the include line
 *    stands, so a rewritten file with `save` in both may legitimately add up
 *    differently. */
static void check_rewrite(const uint8_t *file, size_t len, bool in_place) {
    rewrite_into("rewrite1.conf", NULL, 0);
    if (in_place) rewrite_into("rewrite0.conf", (const char *)file, len);
    load_rewritten("rewrite1.conf");
    rewrite_into("rewrite2.conf", NULL, 0);
    check_same_file("rewrite1.conf", "rewrite2.conf", "rewrite, load, rewrite differs");
    if (in_place) {
        load_rewritten("rewrite0.conf");
        rewrite_into("rewrite2.conf", NULL, 0);
        check_same_file("rewrite1.conf", "rewrite2.conf",
                        "the input rewritten in place loads to another configuration");
    }
    for (int i = 0; i < 3; i++) {
        char path[PATH_MAX], name[32];
        snprintf(name, sizeof(name), "rewrite%d.conf", i);
        scratch_path(path, sizeof(path), name);
        unlink(path);
    }
}

/* ---- the entry point ---- */

/* Splits data at a line "#argv": the file is what comes before it, the words (one per
 * line, '\n'-terminated) after it. Returns the number of words, in *words malloc'ed
 * NUL-terminated strings (a word cannot hold NUL on a real command line: it ends there). */
static int split_input(const uint8_t *data, size_t size, size_t *file_len, char ***words) {
    static const char marker[] = "#argv\n";
    const size_t mlen = sizeof(marker) - 1;
    size_t at = size;
    for (size_t i = 0; i + mlen <= size; i++) {
        if ((i == 0 || data[i - 1] == '\n') && memcmp(data + i, marker, mlen) == 0) {
            at = i;
            break;
        }
    }
    *file_len = at;
    *words = NULL;
    if (at == size) return 0;
    size_t p = at + mlen;
    int n = 0, cap = 0;
    while (p < size) {
        const uint8_t *nl = memchr(data + p, '\n', size - p);
        size_t end = nl ? (size_t)(nl - data) : size;
        if (n == cap) {
            cap = cap ? 2 * cap : 8;
            *words = realloc(*words, (size_t)cap * sizeof(char *));
            FUZZ_CHECK(*words != NULL);
        }
        (*words)[n++] = strndup((const char *)data + p, end - p);
        FUZZ_CHECK((*words)[n - 1] != NULL);
        p = end + 1;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!scratch[0]) setup_scratch();
    size_t file_len;
    char **words;
    int nwords = split_input(data, size, &file_len, &words);
    /* A last word "-" would make config_load read standard input. */
    int argc = nwords;
    if (argc > 0 && strcmp(words[argc - 1], "-") == 0) argc--;
    write_file("input.conf", data, file_len);
    char input_path[PATH_MAX], err[4096];
    snprintf(input_path, sizeof(input_path), "%s/input.conf", scratch);

    FUZZ_CHECK(chdir(scratch) == 0);
    size_t before = cn_used_memory();
    config_set_defaults();
    nreads = 0;
    int rc = config_load(input_path, argc, words, err, sizeof(err));
    FUZZ_CHECK(rc == CN_OK || rc == CN_ERR);
    if (rc == CN_ERR) {
        check_error_text(err);
    } else {
        check_fields(input_path);
        /* Not in place when something was included: the include line stays and
         * applies its values again (save adds up), so the two may differ by design. */
        check_rewrite(data, file_len, nreads == 1);
    }
    config_teardown();
    FUZZ_CHECK(cn_used_memory() == before);
    /* libFuzzer writes its corpus and artifacts by relative paths. */
    FUZZ_CHECK(chdir(home) == 0);
    for (int i = 0; i < nwords; i++) free(words[i]);
    free(words);
    return 0;
}
