/* tests/unit/test_aof.c: the AOF writer, fsync policies, manifest and loader. */
#include "aof/aof.h"
#include "tests/test.h"
#include "utils/alloc.h"
#include "utils/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static size_t mem_at_start;
static char tmpdir[64];

/* ---- helpers ----------------------------------------------------------------------- */

static char *tpath(const char *name) { /* a path in tmpdir, in one of 4 rotating buffers */
    static char bufs[4][256];
    static int k;
    char *p = bufs[k++ & 3];
    snprintf(p, 256, "%s/%s", tmpdir, name);
    return p;
}

static int open_new(const char *path) {
    return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
}

static void write_file(const char *path, const void *p, size_t len) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    if (fd < 0) return;
    CHECK_EQ_INT(write(fd, p, len), (long long)len);
    close(fd);
}

static char *read_file(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        *len = 0;
        if (fd >= 0) close(fd);
        return NULL;
    }
    char *p = malloc((size_t)sb.st_size + 1);
    size_t got = 0;
    while (got < (size_t)sb.st_size) {
        ssize_t n = read(fd, p + got, (size_t)sb.st_size - got);
        if (n <= 0) break;
        got += (size_t)n;
    }
    close(fd);
    *len = got;
    return p;
}

static bool wait_until(bool (*cond)(void *), void *arg, int64_t timeout_us) {
    int64_t deadline = clock_mono_us() + timeout_us;
    while (clock_mono_us() < deadline) {
        if (cond(arg)) return true;
        usleep(1000);
    }
    return cond(arg);
}

/* A list of commands to write and to compare what the loader gives back. */
typedef struct cmd {
    int argc;
    char **argv;
    size_t *lens;
} cmd;

typedef struct cmdlist {
    cmd *v;
    size_t n, cap;
    size_t next;       /* the sink's position */
    size_t mismatch;   /* commands the sink found different */
    size_t max_mem;    /* cn_used_memory() seen by the sink, at most */
    long long stop_at; /* the sink refuses command #stop_at (0-based), -1 never */
} cmdlist;

static void cl_add(cmdlist *cl, int argc, const char *const *argv, const size_t *lens) {
    if (cl->n == cl->cap) {
        cl->cap = cl->cap ? cl->cap * 2 : 16;
        cl->v = realloc(cl->v, cl->cap * sizeof(cmd));
    }
    cmd *c = &cl->v[cl->n++];
    c->argc = argc;
    c->argv = malloc(sizeof(char *) * (size_t)argc);
    c->lens = malloc(sizeof(size_t) * (size_t)argc);
    for (int i = 0; i < argc; i++) {
        c->lens[i] = lens[i];
        c->argv[i] = malloc(lens[i] + 1);
        memcpy(c->argv[i], argv[i], lens[i]);
    }
}

static void cl_add_strs(cmdlist *cl, int argc, const char *const *argv) {
    size_t lens[16];
    for (int i = 0; i < argc; i++) lens[i] = strlen(argv[i]);
    cl_add(cl, argc, argv, lens);
}

static void cl_free(cmdlist *cl) {
    for (size_t i = 0; i < cl->n; i++) {
        for (int j = 0; j < cl->v[i].argc; j++) free(cl->v[i].argv[j]);
        free(cl->v[i].argv);
        free(cl->v[i].lens);
    }
    free(cl->v);
    memset(cl, 0, sizeof(*cl));
}

static void cl_append_all(cmdlist *cl, aof_writer *w) {
    for (size_t i = 0; i < cl->n; i++)
        aof_append(w, cl->v[i].argc, (const char *const *)cl->v[i].argv, cl->v[i].lens);
}

static int sink_compare(void *priv, int argc, const char **argv, const size_t *lens) {
    cmdlist *cl = priv;
    size_t mem = cn_used_memory();
    if (mem > cl->max_mem) cl->max_mem = mem;
    if (cl->stop_at >= 0 && (long long)cl->next == cl->stop_at) return 1;
    if (cl->next >= cl->n) {
        cl->mismatch++;
        return 0;
    }
    cmd *c = &cl->v[cl->next++];
    bool same = c->argc == argc;
    for (int i = 0; same && i < argc; i++)
        same = c->lens[i] == lens[i] && (lens[i] == 0 || memcmp(c->argv[i], argv[i], lens[i]) == 0);
    if (!same) cl->mismatch++;
    return 0;
}

/* The RESP encoding of a command, computed independently of the writer. */
static size_t encoded_len(int argc, const size_t *lens) {
    char tmp[32];
    size_t n = (size_t)snprintf(tmp, sizeof(tmp), "*%d\r\n", argc);
    for (int i = 0; i < argc; i++)
        n += (size_t)snprintf(tmp, sizeof(tmp), "$%zu\r\n", lens[i]) + lens[i] + 2;
    return n;
}

/* Writes cl to path through a writer (policy no); returns the file size. */
static size_t write_cmds(const char *path, cmdlist *cl) {
    aof_writer *w = aof_writer_create(open_new(path), AOF_FSYNC_NO);
    cl_append_all(cl, w);
    CHECK_EQ_INT(aof_flush(w), AOF_OK);
    aof_writer_stats st;
    aof_writer_stats_get(w, &st);
    aof_writer_destroy(w);
    return (size_t)st.written;
}

/* ---- writer and loader round trips --------------------------------------------------- */

static void t_encoding_is_resp(void) {
    aof_writer *w = aof_writer_create(open_new(tpath("enc.aof")), AOF_FSYNC_NO);
    const char *argv[] = {"SET", "k", ""};
    size_t lens[] = {3, 1, 0};
    aof_append(w, 3, argv, lens);
    const char bin[] = {'a', '\0', '\r', '\n', 'b'};
    const char *argv2[] = {"PEXPIREAT", bin, "1700000000000"};
    size_t lens2[] = {9, sizeof(bin), 13};
    aof_append(w, 3, argv2, lens2);
    aof_append_raw(w, "*1\r\n$4\r\nPING\r\n", 14);
    aof_writer_stats st;
    aof_writer_stats_get(w, &st);
    CHECK_EQ_INT(st.buffered, encoded_len(3, lens) + encoded_len(3, lens2) + 14);
    CHECK_EQ_INT(st.written, 0); /* appending does no I/O */
    CHECK_EQ_INT(aof_flush(w), AOF_OK);
    aof_writer_destroy(w);
    size_t len;
    char *got = read_file(tpath("enc.aof"), &len);
    const char want[] = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n"
                        "*3\r\n$9\r\nPEXPIREAT\r\n$5\r\na\0\r\nb\r\n$13\r\n1700000000000\r\n"
                        "*1\r\n$4\r\nPING\r\n";
    CHECK_EQ_MEM(got, len, want, sizeof(want) - 1);
    free(got);
}

static void t_roundtrip(void) {
    cmdlist cl = {0};
    cl.stop_at = -1;
    /* Binary arguments: every byte value, CRLF and '*' and '$' inside. */
    char all[256];
    for (int i = 0; i < 256; i++) all[i] = (char)i;
    const char *a1[] = {"SET", all, "\r\n*3\r\n$"};
    size_t l1[] = {3, 256, 7};
    cl_add(&cl, 3, a1, l1);
    /* Empty arguments. */
    const char *a2[] = {"SET", "", ""};
    size_t l2[] = {3, 0, 0};
    cl_add(&cl, 3, a2, l2);
    /* A 1 MB argument (larger than the loader's chunk: its buffer must grow). */
    size_t big = 1024 * 1024;
    char *bigv = malloc(big);
    for (size_t i = 0; i < big; i++) bigv[i] = (char)(i * 131 + 7);
    const char *a3[] = {"SET", "big", bigv};
    size_t l3[] = {3, 3, big};
    cl_add(&cl, 3, a3, l3);
    free(bigv);
    /* Many commands, crossing many chunk boundaries. */
    for (int i = 0; i < 20000; i++) {
        char k[32], v[64];
        snprintf(k, sizeof(k), "key:%d", i);
        snprintf(v, sizeof(v), "value-%d-%*d", i, i % 40, 0);
        const char *a[] = {i % 3 ? "SET" : "RPUSH", k, v, "x"};
        cl_add_strs(&cl, i % 3 ? 3 : 4, a);
    }
    const char *a4[] = {"SELECT", "9"};
    cl_add_strs(&cl, 2, a4);

    size_t want = 0;
    for (size_t i = 0; i < cl.n; i++) want += encoded_len(cl.v[i].argc, cl.v[i].lens);
    CHECK_EQ_INT(write_cmds(tpath("rt.aof"), &cl), want);

    aof_load_info info;
    char err[512] = "";
    CHECK_EQ_INT(aof_load(tpath("rt.aof"), 0, sink_compare, &cl, &info, err, sizeof(err)), AOF_OK);
    CHECK_EQ_INT(cl.next, cl.n);
    CHECK_EQ_INT(cl.mismatch, 0);
    CHECK_EQ_INT(info.commands, cl.n);
    CHECK_EQ_INT(info.valid_len, want);
    CHECK_EQ_INT(info.file_size, want);

    /* proto-max-bulk-len applies: a 1 MB argument is corruption under a 1000-byte limit. */
    CHECK_EQ_INT(aof_load(tpath("rt.aof"), 1000, sink_compare, &cl, &info, err, sizeof(err)),
                 AOF_ERR);
    CHECK(strstr(err, "invalid bulk length") != NULL);

    /* The empty file: no commands, a clean end. */
    write_file(tpath("empty.aof"), "", 0);
    cl.next = 0;
    CHECK_EQ_INT(aof_load(tpath("empty.aof"), 0, sink_compare, &cl, &info, err, sizeof(err)),
                 AOF_OK);
    CHECK_EQ_INT(info.commands, 0);
    /* A file that is not there. */
    CHECK_EQ_INT(aof_load(tpath("nope.aof"), 0, sink_compare, &cl, &info, err, sizeof(err)),
                 AOF_ERR);
    CHECK(strstr(err, "nope.aof: No such file") != NULL);
    cl_free(&cl);
}

static void t_loader_pull_api(void) {
    const char text[] = "*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
    write_file(tpath("pull.aof"), text, sizeof(text) - 1);
    aof_loader *l;
    char err[256];
    CHECK_EQ_INT(aof_loader_open(tpath("pull.aof"), 0, &l, err, sizeof(err)), AOF_OK);
    int argc;
    const char **argv;
    const size_t *lens;
    CHECK_EQ_INT(aof_loader_next(l, &argc, &argv, &lens, err, sizeof(err)), AOF_OK);
    CHECK_EQ_INT(argc, 1);
    CHECK_EQ_MEM(argv[0], lens[0], "PING", 4);
    CHECK_EQ_INT(aof_loader_offset(l), 14);
    CHECK_EQ_INT(aof_loader_next(l, &argc, &argv, &lens, err, sizeof(err)), AOF_OK);
    CHECK_EQ_INT(argc, 2);
    CHECK_EQ_MEM(argv[1], lens[1], "k", 1);
    CHECK_EQ_INT(aof_loader_next(l, &argc, &argv, &lens, err, sizeof(err)), AOF_EOF);
    CHECK_EQ_INT(aof_loader_next(l, &argc, &argv, &lens, err, sizeof(err)), AOF_EOF); /* sticky */
    CHECK_EQ_INT(aof_loader_commands(l), 2);
    CHECK_EQ_INT(aof_loader_offset(l), sizeof(text) - 1);
    aof_loader_close(l);
    aof_loader_close(NULL);
}

/* Cut the file at every offset inside its last command: TRUNCATED at the right offset,
 * and truncating there gives a log that loads cleanly. */
static void truncation_sweep(size_t last_value_len, size_t step) {
    cmdlist cl = {0};
    cl.stop_at = -1;
    const char *a1[] = {"SET", "a", "1"};
    const char *a2[] = {"INCRBY", "counter", "42"};
    cl_add_strs(&cl, 3, a1);
    cl_add_strs(&cl, 3, a2);
    char *v = malloc(last_value_len);
    memset(v, 'v', last_value_len);
    const char *a3[] = {"SET", "last\r\nkey", v};
    size_t l3[] = {3, 9, last_value_len};
    cl_add(&cl, 3, a3, l3);
    free(v);
    size_t total = write_cmds(tpath("full.aof"), &cl);
    size_t len;
    char *full = read_file(tpath("full.aof"), &len);
    CHECK_EQ_INT(len, total);
    size_t last_start = total - encoded_len(3, l3);
    int bad = 0;
    for (size_t cut = last_start; cut <= total && bad < 5;
         cut += (cut + step < total || cut == total) ? step : total - cut) {
        write_file(tpath("cut.aof"), full, cut);
        aof_load_info info;
        char err[512] = "";
        cl.next = 0;
        cl.mismatch = 0;
        aof_status st = aof_load(tpath("cut.aof"), 0, sink_compare, &cl, &info, err, sizeof(err));
        aof_status want = (cut == last_start || cut == total) ? AOF_OK : AOF_TRUNCATED;
        size_t want_cmds = cut == total ? 3 : 2;
        if (st != want || info.commands != (long long)want_cmds || cl.mismatch ||
            info.valid_len != (off_t)(cut == total ? total : last_start) ||
            info.file_size != (off_t)cut) {
            test_fail(__FILE__, __LINE__,
                      "cut at %zu (last command at %zu): status %d commands %lld valid %lld (%s)",
                      cut, last_start, st, info.commands, (long long)info.valid_len, err);
            bad++;
        }
        if (st == AOF_TRUNCATED) {
            char want_msg[300];
            snprintf(want_msg, sizeof(want_msg), "%s: offset %zu: the file ends inside a command",
                     tpath("cut.aof"), last_start);
            if (strstr(err, want_msg) == NULL) {
                test_fail(__FILE__, __LINE__, "message \"%s\"", err);
                bad++;
            }
        }
        if (cut == total) break;
    }
    /* Repair: cut at the reported offset, reload cleanly. */
    write_file(tpath("cut.aof"), full, total - 1);
    aof_load_info info;
    char err[512];
    cl.next = 0;
    CHECK_EQ_INT(aof_load(tpath("cut.aof"), 0, sink_compare, &cl, &info, err, sizeof(err)),
                 AOF_TRUNCATED);
    CHECK_EQ_INT(aof_truncate(tpath("cut.aof"), info.valid_len, err, sizeof(err)), AOF_OK);
    cl.next = 0;
    CHECK_EQ_INT(aof_load(tpath("cut.aof"), 0, sink_compare, &cl, &info, err, sizeof(err)), AOF_OK);
    CHECK_EQ_INT(info.commands, 2);
    CHECK_EQ_INT(aof_truncate(tpath("cut.aof"), info.valid_len + 1, err, sizeof(err)), AOF_ERR);
    CHECK(strstr(err, "cannot truncate") != NULL);
    CHECK_EQ_INT(aof_truncate(tpath("missing.aof"), 0, err, sizeof(err)), AOF_ERR);
    free(full);
    cl_free(&cl);
}

static void t_truncated_every_offset(void) { truncation_sweep(100, 1); }
/* A last command larger than a chunk, cut at offsets that straddle chunk boundaries. */
static void t_truncated_big_last_command(void) { truncation_sweep(3 * AOF_LOAD_CHUNK + 17, 997); }

static void expect_corrupt(const char *name, const char *text, size_t len, size_t want_offset,
                           const char *why) {
    write_file(tpath(name), text, len);
    cmdlist cl = {0};
    cl.stop_at = -1;
    aof_load_info info;
    char err[512] = "";
    aof_status st = aof_load(tpath(name), 0, sink_compare, &cl, &info, err, sizeof(err));
    char want[300];
    snprintf(want, sizeof(want), "%s: offset %zu: ", tpath(name), want_offset);
    if (st != AOF_ERR || strncmp(err, want, strlen(want)) != 0 || strstr(err, why) == NULL ||
        info.valid_len != (off_t)want_offset)
        test_fail(__FILE__, __LINE__, "%s: status %d, valid %lld, err \"%s\"; wanted \"%s...%s\"",
                  name, st, (long long)info.valid_len, err, want, why);
}

static void t_corrupt_middle(void) {
    /* Commands 1 and 3 are fine; the middle one is damaged in several ways. */
    const char c1[] = "*2\r\n$3\r\nGET\r\n$1\r\na\r\n"; /* 21 bytes */
    const char c3[] = "*1\r\n$4\r\nPING\r\n";
    char buf[256];
    struct {
        const char *mid, *why;
    } cases[] = {
        {"*2\r\n$3\r\nSET\r\n$x\r\nb\r\n", "Protocol error"},               /* bad bulk length */
        {"*2\r\n+3\r\nSET\r\n$1\r\nb\r\n", "Protocol error: expected '$'"}, /* not a bulk */
        {"*2\r\n$3\r\nSETXY$1\r\nb\r\n", "no CRLF after"},                  /* bulk overruns */
        {"PING\r\n", "expected '*'"},                                       /* inline command */
        {"\x01garbage\r\n", "found byte 0x01"},
        {"*0\r\n", "no arguments"},
        {"*-1\r\n", "no arguments"},
        {"*abc\r\n", "Protocol error"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = 0;
        memcpy(buf + n, c1, sizeof(c1) - 1), n += sizeof(c1) - 1;
        memcpy(buf + n, cases[i].mid, strlen(cases[i].mid)), n += strlen(cases[i].mid);
        memcpy(buf + n, c3, sizeof(c3) - 1), n += sizeof(c3) - 1;
        char name[32];
        snprintf(name, sizeof(name), "corrupt%zu.aof", i);
        expect_corrupt(name, buf, n, sizeof(c1) - 1, cases[i].why);
    }
    /* Damage deep in a big file, after many chunks: the offset is still exact. */
    cmdlist cl = {0};
    for (int i = 0; i < 5000; i++) {
        const char *a[] = {"SET", "some-key", "some-value-of-a-few-bytes"};
        cl_add_strs(&cl, 3, a);
    }
    size_t total = write_cmds(tpath("deep.aof"), &cl);
    size_t len;
    char *p = read_file(tpath("deep.aof"), &len);
    size_t one = total / 5000, at = one * 3333;
    p[at + 1] = '9'; /* "*3" becomes "*9": argument 4 is then a '*' line, not '$' */
    expect_corrupt("deep.aof", p, len, at, "expected '$'");
    free(p);
    cl_free(&cl);
}

static void t_sink_refusal(void) {
    cmdlist cl = {0};
    const char *a[] = {"SET", "k", "v"};
    const char *b[] = {"NOSUCHCMD", "x"};
    cl_add_strs(&cl, 3, a);
    cl_add_strs(&cl, 2, b);
    cl_add_strs(&cl, 3, a);
    write_cmds(tpath("refuse.aof"), &cl);
    cl.stop_at = 1;
    aof_load_info info;
    char err[512];
    CHECK_EQ_INT(aof_load(tpath("refuse.aof"), 0, sink_compare, &cl, &info, err, sizeof(err)),
                 AOF_ERR);
    size_t off = encoded_len(cl.v[0].argc, cl.v[0].lens);
    char want[300];
    snprintf(want, sizeof(want), "%s: offset %zu: command 'NOSUCHCMD' refused", tpath("refuse.aof"),
             off);
    CHECK_EQ_STR(err, want);
    CHECK_EQ_INT(info.commands, 1);
    CHECK_EQ_INT(info.valid_len, off);
    cl_free(&cl);
}

/* The loader's memory follows the largest command, not the file. */
static void t_loader_memory_bounded(void) {
    cmdlist cl = {0};
    cl.stop_at = -1;
    aof_writer *w = aof_writer_create(open_new(tpath("mem.aof")), AOF_FSYNC_NO);
    char v[200];
    memset(v, 'x', sizeof(v));
    const char *a[] = {"SET", "key", v};
    size_t l[] = {3, 3, sizeof(v)};
    for (int i = 0; i < 100000; i++) { /* about 22 MB */
        aof_append(w, 3, a, l);
        if (i % 1000 == 999) CHECK_EQ_INT(aof_flush(w), AOF_OK);
    }
    CHECK_EQ_INT(aof_flush(w), AOF_OK);
    aof_writer_destroy(w);
    size_t base = cn_used_memory();
    cl.max_mem = base;
    cl.n = 0;
    aof_load_info info;
    char err[256];
    /* sink_compare counts every command as a mismatch (the list is empty) but records memory. */
    CHECK_EQ_INT(aof_load(tpath("mem.aof"), 0, sink_compare, &cl, &info, err, sizeof(err)), AOF_OK);
    CHECK_EQ_INT(info.commands, 100000);
    CHECK_RANGE(cl.max_mem - base, 0, 256 * 1024);
    unlink(tpath("mem.aof"));
    cl_free(&cl);
}

/* ---- writing: partial writes, errors, pipes ---------------------------------------------- */

static void t_flush_pipe_partial(void) {
    int p[2];
    CHECK_EQ_INT(pipe(p), 0);
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    aof_writer *w = aof_writer_create(p[1], AOF_FSYNC_NO);
    cmdlist cl = {0};
    char v[1000];
    for (int i = 0; i < 300; i++) { /* ~300 KB: more than a pipe holds */
        memset(v, 'a' + i % 26, sizeof(v));
        const char *a[] = {"SET", "k", v};
        size_t l[] = {3, 1, sizeof(v)};
        cl_add(&cl, 3, a, l);
    }
    cl_append_all(&cl, w);
    size_t want = 0;
    for (size_t i = 0; i < cl.n; i++) want += encoded_len(3, cl.v[i].lens);
    char *got = malloc(want + 1);
    size_t gotlen = 0;
    int partials = 0, rounds = 0;
    for (;;) {
        aof_status st = aof_flush(w);
        aof_writer_stats s;
        aof_writer_stats_get(w, &s);
        CHECK_EQ_INT(s.buffered + (size_t)s.written, want); /* nothing lost, nothing doubled */
        if (st == AOF_OK) {
            CHECK_EQ_INT(s.write_errno, 0);
            break;
        }
        CHECK_EQ_INT(s.write_errno, EAGAIN);
        partials++;
        ssize_t n;
        while ((n = read(p[0], got + gotlen, want + 1 - gotlen)) > 0) gotlen += (size_t)n;
        if (++rounds > 10000) break;
    }
    ssize_t n;
    while ((n = read(p[0], got + gotlen, want + 1 - gotlen)) > 0) gotlen += (size_t)n;
    CHECK(partials > 0);
    size_t flen;
    write_cmds(tpath("pipe-ref.aof"), &cl);
    char *ref = read_file(tpath("pipe-ref.aof"), &flen);
    CHECK_EQ_MEM(got, gotlen, ref, flen);
    free(ref);
    free(got);
    aof_writer_destroy(w);
    close(p[0]);
    cl_free(&cl);
}

/* ENOSPC keeps everything; a size limit (EFBIG) mid-buffer keeps the unwritten tail,
 * and the next flush continues exactly where the file ends. */
static void t_flush_errors_keep_bytes(void) {
    int fd = open("/dev/full", O_WRONLY);
    if (fd >= 0) {
        aof_writer *w = aof_writer_create(fd, AOF_FSYNC_NO);
        const char *a[] = {"SET", "k", "v"};
        size_t l[] = {3, 1, 1};
        aof_append(w, 3, a, l);
        CHECK_EQ_INT(aof_flush(w), AOF_ERR);
        aof_writer_stats s;
        aof_writer_stats_get(w, &s);
        CHECK_EQ_INT(s.write_errno, ENOSPC);
        CHECK_EQ_INT(s.buffered, encoded_len(3, l));
        CHECK_EQ_INT(s.written, 0);
        CHECK_EQ_INT(aof_write_and_sync(w, true, clock_mono_us()), AOF_ERR);
        aof_writer_destroy(w);
    } else {
        fprintf(stderr, "    (no /dev/full: ENOSPC case skipped)\n");
    }

    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    cmdlist cl = {0};
    char v[500];
    for (int i = 0; i < 10; i++) {
        memset(v, '0' + i, sizeof(v));
        const char *a[] = {"SET", "k", v};
        size_t l[] = {3, 1, sizeof(v)};
        cl_add(&cl, 3, a, l);
    }
    aof_writer *w = aof_writer_create(open_new(tpath("fsize.aof")), AOF_FSYNC_ALWAYS);
    cl_append_all(&cl, w);
    lim = old;
    lim.rlim_cur = 1234; /* cuts the third command */
    CHECK_EQ_INT(setrlimit(RLIMIT_FSIZE, &lim), 0);
    CHECK_EQ_INT(aof_write_and_sync(w, false, clock_mono_us()), AOF_ERR);
    aof_writer_stats s;
    aof_writer_stats_get(w, &s);
    CHECK_EQ_INT(s.write_errno, EFBIG);
    CHECK_EQ_INT(s.written, 1234);
    CHECK_EQ_INT(s.fsyncs, 0); /* always: no fsync (and no reply) after a failed write */
    CHECK_EQ_INT(s.buffered + 1234, encoded_len(3, cl.v[0].lens) * 10);
    setrlimit(RLIMIT_FSIZE, &old);
    CHECK_EQ_INT(aof_write_and_sync(w, false, clock_mono_us()), AOF_OK);
    aof_writer_stats_get(w, &s);
    CHECK_EQ_INT(s.write_errno, 0);
    CHECK_EQ_INT(s.buffered, 0);
    CHECK_EQ_INT(s.fsyncs, 1);
    aof_writer_destroy(w);
    signal(SIGXFSZ, prev);
    cl.next = 0;
    cl.stop_at = -1;
    aof_load_info info;
    char err[256];
    CHECK_EQ_INT(aof_load(tpath("fsize.aof"), 0, sink_compare, &cl, &info, err, sizeof(err)),
                 AOF_OK);
    CHECK_EQ_INT(cl.next, 10);
    CHECK_EQ_INT(cl.mismatch, 0);
    cl_free(&cl);
}

/* ---- fsync policies ------------------------------------------------------------------- */

static void t_always_group_commit(void) {
    aof_writer *w = aof_writer_create(open_new(tpath("always.aof")), AOF_FSYNC_ALWAYS);
    const char *a[] = {"SET", "k", "v"};
    size_t l[] = {3, 1, 1};
    for (int i = 0; i < 50; i++) aof_append(w, 3, a, l); /* many clients, one iteration */
    CHECK_EQ_INT(aof_write_and_sync(w, false, clock_mono_us()), AOF_OK);
    aof_writer_stats s;
    aof_writer_stats_get(w, &s);
    CHECK_EQ_INT(s.fsyncs, 1);
    CHECK_EQ_INT(s.buffered, 0);
    CHECK_EQ_INT(s.written, 50 * encoded_len(3, l));
    CHECK_EQ_INT(aof_write_and_sync(w, false, clock_mono_us()), AOF_OK); /* idle iteration */
    aof_writer_stats_get(w, &s);
    CHECK_EQ_INT(s.fsyncs, 1);
    aof_append(w, 3, a, l);
    CHECK_EQ_INT(aof_write_and_sync(w, false, clock_mono_us()), AOF_OK);
    aof_writer_stats_get(w, &s);
    CHECK_EQ_INT(s.fsyncs, 2);
    CHECK_EQ_INT(aof_seconds_since_fsync(w, clock_mono_us() + 5000000), 0); /* nothing unsynced */
    CHECK_EQ_INT(aof_writer_policy(w), AOF_FSYNC_ALWAYS);
    /* No policy: writes, never syncs. */
    aof_writer_set_policy(w, AOF_FSYNC_NO);
    aof_append(w, 3, a, l);
    CHECK_EQ_INT(aof_write_and_sync(w, false, clock_mono_us()), AOF_OK);
    aof_writer_stats_get(w, &s);
    CHECK_EQ_INT(s.fsyncs, 2);
    CHECK_EQ_INT(s.buffered, 0);
    aof_writer_destroy(w);
    aof_writer_destroy(NULL);
}

static bool has_fsyncs(void *arg) {
    void **a = arg;
    aof_writer_stats s;
    aof_writer_stats_get(a[0], &s);
    return s.fsyncs >= (unsigned long long)(uintptr_t)a[1];
}
static bool in_progress(void *w) { return aof_fsync_in_progress(w); }

static void t_everysec_thread(void) {
    for (int round = 0; round < 20; round++) { /* starts and stops cleanly, repeatedly */
        aof_writer *w = aof_writer_create(open_new(tpath("es.aof")), AOF_FSYNC_EVERYSEC);
        aof_writer_destroy(w);
    }
    aof_writer *w = aof_writer_create(open_new(tpath("es.aof")), AOF_FSYNC_EVERYSEC);
    aof_writer_set_everysec_interval_ms(w, 10);
    const char *a[] = {"SET", "k", "v"};
    size_t l[] = {3, 1, 1};
    aof_append(w, 3, a, l);
    CHECK_EQ_INT(aof_write_and_sync(w, false, clock_mono_us()), AOF_OK);
    void *arg[2] = {w, (void *)(uintptr_t)1};
    CHECK(wait_until(has_fsyncs, arg, 5000000));
    aof_writer_stats s;
    aof_writer_stats_get(w, &s);
    CHECK_EQ_INT(s.fsync_errno, 0);
    /* Idle: nothing new to sync, the counter stays. */
    unsigned long long before = s.fsyncs;
    usleep(50000);
    aof_writer_stats_get(w, &s);
    CHECK_EQ_INT(s.fsyncs, before);
    /* Switching files: the old one is synced and closed by the thread, the new one synced. */
    aof_append(w, 3, a, l);
    CHECK_EQ_INT(aof_writer_switch_fd(w, open_new(tpath("es2.aof"))),
                 AOF_ERR); /* buffer not empty */
    CHECK_EQ_INT(aof_write_and_sync(w, true, clock_mono_us()), AOF_OK);
    int fd2 = open_new(tpath("es2.aof"));
    CHECK_EQ_INT(aof_writer_switch_fd(w, fd2), AOF_OK);
    aof_append(w, 3, a, l);
    /* The thread may still be syncing the retired file: the write is then postponed
     * (Redis's rule), and goes ahead once that fsync is done. */
    aof_status st;
    for (int tries = 0; (st = aof_write_and_sync(w, false, clock_mono_us())) == AOF_POSTPONED &&
                        tries < 5000;
         tries++)
        usleep(1000);
    CHECK_EQ_INT(st, AOF_OK);
    arg[1] = (void *)(uintptr_t)(before + 2);
    CHECK(wait_until(has_fsyncs, arg, 5000000));
    size_t len1, len2;
    char *f1 = read_file(tpath("es.aof"), &len1), *f2 = read_file(tpath("es2.aof"), &len2);
    CHECK_EQ_INT(len1, 2 * encoded_len(3, l));
    CHECK_EQ_INT(len2, encoded_len(3, l));
    free(f1);
    free(f2);
    /* Policy changes stop and start the thread. */
    aof_writer_set_policy(w, AOF_FSYNC_NO);
    aof_writer_set_policy(w, AOF_FSYNC_EVERYSEC);
    aof_writer_set_everysec_interval_ms(w, 10);
    aof_append(w, 3, a, l);
    CHECK_EQ_INT(aof_write_and_sync(w, false, clock_mono_us()), AOF_OK);
    aof_writer_stats_get(w, &s);
    arg[1] = (void *)(uintptr_t)(s.fsyncs + 1);
    CHECK(wait_until(has_fsyncs, arg, 5000000));
    CHECK_EQ_INT(aof_fsync_now(w), AOF_OK);
    aof_writer_destroy(w);
}

/* Redis's rule: while the background fsync is slow, postpone writes up to 2 s. */
static void t_everysec_postpone(void) {
    aof_writer *w = aof_writer_create(open_new(tpath("slow.aof")), AOF_FSYNC_EVERYSEC);
    aof_writer_set_everysec_interval_ms(w, 10);
    aof_writer_debug_hold_fsync(w, true);
    const char *a[] = {"SET", "k", "v"};
    size_t l[] = {3, 1, 1};
    aof_append(w, 3, a, l);
    int64_t t0 = clock_mono_us();
    CHECK_EQ_INT(aof_write_and_sync(w, false, t0), AOF_OK);
    CHECK(wait_until(in_progress, w, 5000000)); /* the thread is "inside fdatasync" */
    aof_append(w, 3, a, l);
    CHECK_EQ_INT(aof_write_and_sync(w, false, t0), AOF_POSTPONED);
    CHECK_EQ_INT(aof_write_and_sync(w, false, t0 + 1000000), AOF_POSTPONED);
    CHECK_EQ_INT(aof_write_and_sync(w, false, t0 + 1999999), AOF_POSTPONED);
    aof_writer_stats s;
    aof_writer_stats_get(w, &s);
    CHECK_EQ_INT(s.buffered, encoded_len(3, l));
    CHECK_EQ_INT(s.delayed_fsyncs, 0);
    CHECK_RANGE(aof_seconds_since_fsync(w, t0 + 3000000), 2, 3);
    CHECK_EQ_INT(aof_write_and_sync(w, false, t0 + 2000001), AOF_OK); /* 2 s: write anyway */
    aof_writer_stats_get(w, &s);
    CHECK_EQ_INT(s.buffered, 0);
    CHECK_EQ_INT(s.delayed_fsyncs, 1);
    CHECK(s.fsync_in_progress);
    /* force never postpones. */
    aof_append(w, 3, a, l);
    CHECK_EQ_INT(aof_write_and_sync(w, true, t0 + 2000002), AOF_OK);
    /* An idle iteration (empty buffer) is not postponed either. */
    CHECK_EQ_INT(aof_write_and_sync(w, false, t0 + 2000003), AOF_OK);
    aof_writer_debug_hold_fsync(w, false);
    void *arg[2] = {w, (void *)(uintptr_t)1};
    CHECK(wait_until(has_fsyncs, arg, 5000000));
    aof_writer_debug_hold_fsync(w, true); /* destroy must not hang on a held fsync */
    aof_append(w, 3, a, l);
    CHECK_EQ_INT(aof_write_and_sync(w, true, clock_mono_us()), AOF_OK);
    aof_writer_destroy(w);
}

/* ---- manifest --------------------------------------------------------------------------- */

static uint32_t test_crc32(const char *p, size_t len) { /* an independent CRC-32 (table) */
    static uint32_t table[256];
    if (!table[1])
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) c = table[(c ^ (unsigned char)p[i]) & 0xff] ^ (c >> 8);
    return ~c;
}

/* body + "end <crc>\n" */
static char *with_end(const char *body, size_t *len) {
    size_t bl = strlen(body);
    char *p = malloc(bl + 32);
    memcpy(p, body, bl);
    *len = bl + (size_t)sprintf(p + bl, "end %08x\n", (unsigned)test_crc32(body, bl));
    return p;
}

static bool manifest_equal(const aof_manifest *a, const aof_manifest *b) {
    if (a->has_base != b->has_base || a->nincr != b->nincr) return false;
    if (a->has_base && (a->base_type != b->base_type || a->base.seq != b->base.seq ||
                        strcmp(a->base.name, b->base.name)))
        return false;
    for (size_t i = 0; i < a->nincr; i++)
        if (a->incr[i].seq != b->incr[i].seq || strcmp(a->incr[i].name, b->incr[i].name))
            return false;
    return true;
}

static void t_manifest_roundtrip(void) {
    aof_manifest m, m2;
    aof_manifest_init(&m);
    aof_manifest_init(&m2);
    CHECK_EQ_INT(aof_manifest_next_seq(&m), 1);
    CHECK(aof_manifest_last_incr(&m) == NULL);
    CHECK_EQ_STR(aof_manifest_new_base(&m, "appendonly.aof", AOF_BASE_SNAPSHOT),
                 "appendonly.aof.1.base.snap");
    CHECK_EQ_STR(aof_manifest_add_incr(&m, "appendonly.aof"), "appendonly.aof.2.incr.aof");
    CHECK_EQ_STR(aof_manifest_add_incr(&m, "appendonly.aof"), "appendonly.aof.3.incr.aof");
    CHECK_EQ_STR(aof_manifest_last_incr(&m), "appendonly.aof.3.incr.aof");
    size_t len;
    char *text = aof_manifest_format(&m, &len);
    size_t wl;
    char *want = with_end("# Cairn AOF manifest, written by the server (see aof/FORMAT.md).\n"
                          "cairn-aof-manifest 1\n"
                          "base 1 snap appendonly.aof.1.base.snap\n"
                          "incr 2 appendonly.aof.2.incr.aof\n"
                          "incr 3 appendonly.aof.3.incr.aof\n",
                          &wl);
    CHECK_EQ_MEM(text, len, want, wl);
    free(want);
    char err[512] = "";
    CHECK_EQ_INT(aof_manifest_parse(text, len, &m2, err, sizeof(err)), AOF_OK);
    CHECK(manifest_equal(&m, &m2));
    cn_free(text);

    /* Durable save and load. */
    char mname[64];
    CHECK(aof_manifest_filename("appendonly.aof", mname, sizeof(mname)));
    CHECK_EQ_STR(mname, "appendonly.aof.manifest");
    CHECK(!aof_manifest_filename("appendonly.aof", mname, 10));
    CHECK_EQ_INT(aof_manifest_load(tmpdir, mname, &m2, err, sizeof(err)), AOF_NOT_FOUND);
    CHECK_EQ_INT(aof_manifest_save(tmpdir, mname, &m, err, sizeof(err)), AOF_OK);
    CHECK_EQ_INT(aof_manifest_load(tmpdir, mname, &m2, err, sizeof(err)), AOF_OK);
    CHECK(manifest_equal(&m, &m2));
    CHECK(access(tpath("appendonly.aof.manifest.tmp"), F_OK) != 0);

    /* A rewrite: new incr at the start, new base at the end, older incrs dropped. */
    aof_manifest next;
    aof_manifest_init(&next);
    aof_manifest_copy(&next, &m);
    CHECK_EQ_STR(aof_manifest_add_incr(&next, "appendonly.aof"), "appendonly.aof.4.incr.aof");
    CHECK_EQ_STR(aof_manifest_new_base(&next, "appendonly.aof", AOF_BASE_RESP),
                 "appendonly.aof.5.base.aof");
    aof_manifest_drop_incr_before(&next, 4);
    CHECK_EQ_INT(next.nincr, 1);
    CHECK(aof_manifest_contains(&next, "appendonly.aof.4.incr.aof"));
    CHECK(aof_manifest_contains(&next, "appendonly.aof.5.base.aof"));
    CHECK(!aof_manifest_contains(&next, "appendonly.aof.2.incr.aof"));
    CHECK(!aof_manifest_contains(&next, "appendonly.aof.1.base.snap"));
    CHECK_EQ_INT(aof_manifest_next_seq(&next), 6);
    CHECK_EQ_INT(aof_manifest_save(tmpdir, mname, &next, err, sizeof(err)), AOF_OK);
    CHECK_EQ_INT(aof_manifest_load(tmpdir, mname, &m2, err, sizeof(err)), AOF_OK);
    CHECK(manifest_equal(&next, &m2));
    CHECK_EQ_INT(m2.base_type, AOF_BASE_RESP);

    /* An empty manifest is valid (appendonly on, nothing yet). */
    aof_manifest_deinit(&m);
    text = aof_manifest_format(&m, &len);
    CHECK_EQ_INT(aof_manifest_parse(text, len, &m2, err, sizeof(err)), AOF_OK);
    CHECK(!m2.has_base);
    CHECK_EQ_INT(m2.nincr, 0);
    cn_free(text);

    CHECK(aof_name_valid("appendonly.aof"));
    CHECK(!aof_name_valid(""));
    CHECK(!aof_name_valid(".."));
    CHECK(!aof_name_valid("a/b"));
    CHECK(!aof_name_valid("a b"));
    CHECK(!aof_name_valid("a\tb"));
    CHECK(!aof_name_valid("caf\xc3\xa9"));
    aof_manifest_deinit(&next);
    aof_manifest_deinit(&m2);
}

static void t_manifest_hostile(void) {
    static const char H[] = "cairn-aof-manifest 1\n";
    struct {
        const char *body; /* gets a valid end line unless raw */
        bool raw;
        const char *want;
    } cases[] = {
        {"", true, "manifest: empty"},
        {"# only a comment\n", true, "manifest: empty"},
        {"bogus 1\n", false, "line 1: not a Cairn AOF manifest"},
        {"cairn-aof-manifest 2\n", false, "line 1: unsupported manifest version '2'"},
        {"cairn-aof-manifest 01\n", false, "line 1: unsupported manifest version '01'"},
        {"# c\ncairn-aof-manifest 1\nfile 1 x\n", false, "line 3: unknown keyword 'file'"},
        {"cairn-aof-manifest 1\nincr 2 a\nincr 2 b\n", false,
         "line 3: sequence number 2 already used on line 2"},
        {"cairn-aof-manifest 1\nbase 3 snap b\nincr 1 a\nincr 3 c\n", false,
         "line 4: sequence number 3 already used on line 2"},
        {"cairn-aof-manifest 1\nincr 1 a\nincr 4 b\nbase 4 snap c\n", false,
         "line 4: sequence number 4 already used on line 3"},
        {"cairn-aof-manifest 1\nincr 5 a\nincr 4 b\n", false,
         "line 3: sequence number 4 is smaller than the previous incremental file's (5 on line 2)"},
        {"cairn-aof-manifest 1\nbase 1 snap a\nbase 2 snap b\n", false,
         "line 3: a second base file (the first is on line 2)"},
        {"cairn-aof-manifest 1\nbase 1 rdb a\n", false, "line 2: unknown base type 'rdb'"},
        {"cairn-aof-manifest 1\nincr 1 a/b\n", false, "line 2: invalid file name 'a/b'"},
        {"cairn-aof-manifest 1\nincr 1 ..\n", false, "line 2: invalid file name '..'"},
        {"cairn-aof-manifest 1\nincr 1  a\n", false,
         "line 2: fields must be separated by exactly one space"},
        {"cairn-aof-manifest 1\nincr 1 a \n", false, "line 2: fields must be separated"},
        {"cairn-aof-manifest 1\nincr 1\n", false, "line 2: expected \"incr <seq> <name>\""},
        {"cairn-aof-manifest 1\nincr 1 a b\n", false, "line 2: expected \"incr <seq> <name>\""},
        {"cairn-aof-manifest 1\nincr 0 a\n", false, "line 2: bad sequence number '0'"},
        {"cairn-aof-manifest 1\nincr -1 a\n", false, "line 2: bad sequence number '-1'"},
        {"cairn-aof-manifest 1\nincr 07 a\n", false, "line 2: bad sequence number '07'"},
        {"cairn-aof-manifest 1\nincr 9999999999999999 a\n", false, "line 2: bad sequence number"},
        {"cairn-aof-manifest 1\nincr 1 a\nincr 2 a\n", false,
         "line 3: file name already listed on line 2"},
        {"cairn-aof-manifest 1\nbase 9 aof a\nincr 2 a\n", false,
         "line 3: file name already listed on line 2"},
        {"cairn-aof-manifest 1\n\nincr 1 a\n", false, "line 2: empty line"},
        {"cairn-aof-manifest 1\nincr 1 a\r\n", false, "line 2: control byte 0x0d at column 9"},
        {"cairn-aof-manifest 1\nincr 1 a\n", true, "manifest: no end line"},
        {"cairn-aof-manifest 1\nincr 1 a", true, "line 2: no newline at the end"},
        {"cairn-aof-manifest 1\nincr 1 a\nend 00000000\n", true, "line 3: checksum mismatch"},
        {"cairn-aof-manifest 1\nincr 1 a\nend 0x000000\n", true,
         "line 3: checksum is not 8 lowercase hex digits"},
        {"cairn-aof-manifest 1\nend 1234\n", true, "line 2: expected \"end <8 hex digits>\""},
    };
    char err[512];
    aof_manifest m;
    aof_manifest_init(&m);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len;
        char *text;
        if (cases[i].raw) {
            len = strlen(cases[i].body);
            text = malloc(len + 1);
            memcpy(text, cases[i].body, len + 1);
        } else {
            text = with_end(cases[i].body, &len);
        }
        err[0] = '\0';
        aof_status st = aof_manifest_parse(text, len, &m, err, sizeof(err));
        if (st != AOF_ERR || strstr(err, cases[i].want) != err)
            test_fail(__FILE__, __LINE__, "case %zu: status %d, err \"%s\", wanted \"%s\"", i, st,
                      err, cases[i].want);
        CHECK(!m.has_base && m.nincr == 0 && m.incr == NULL); /* empty after an error */
        free(text);
    }
    /* A NUL byte, text after the end line, a long line, an oversized file. */
    size_t len;
    char *text = with_end("cairn-aof-manifest 1\n", &len);
    char buf[256];
    memcpy(buf, text, len);
    memcpy(buf + len, "incr 1 a\n", 9);
    CHECK_EQ_INT(aof_manifest_parse(buf, len + 9, &m, err, sizeof(err)), AOF_ERR);
    CHECK_EQ_STR(err, "line 3: text after the end line");
    free(text);
    CHECK_EQ_INT(aof_manifest_parse("cairn-aof-manifest 1\ni\0cr\n", 26, &m, err, sizeof(err)),
                 AOF_ERR);
    CHECK_EQ_STR(err, "line 2: control byte 0x00 at column 2");
    char *lng = malloc(3000);
    memset(lng, 'a', 3000);
    memcpy(lng, H, sizeof(H) - 1);
    lng[2999] = '\n';
    CHECK_EQ_INT(aof_manifest_parse(lng, 3000, &m, err, sizeof(err)), AOF_ERR);
    CHECK_EQ_STR(err, "line 2: longer than 1024 bytes");
    CHECK_EQ_INT(aof_manifest_parse(lng, AOF_MANIFEST_MAX + 1, &m, err, sizeof(err)),
                 AOF_ERR); /* length only */
    CHECK(strstr(err, "more than the") != NULL);
    free(lng);
    /* load prefixes the path. */
    write_file(tpath("bad.manifest"), "nope\n", 5);
    CHECK_EQ_INT(aof_manifest_load(tmpdir, "bad.manifest", &m, err, sizeof(err)), AOF_ERR);
    char want[300];
    snprintf(want, sizeof(want), "%s: line 1: not a Cairn AOF manifest", tpath("bad.manifest"));
    CHECK(strncmp(err, want, strlen(want)) == 0);
    aof_manifest_deinit(&m);
}

/* Random damage to a valid manifest: never a crash; whatever parses re-formats to a
 * manifest that parses to the same thing. */
static void t_manifest_mutations(void) {
    aof_manifest m, m2, m3;
    aof_manifest_init(&m);
    aof_manifest_init(&m2);
    aof_manifest_init(&m3);
    aof_manifest_new_base(&m, "appendonly.aof", AOF_BASE_SNAPSHOT);
    for (int i = 0; i < 5; i++) aof_manifest_add_incr(&m, "appendonly.aof");
    size_t len;
    char *text = aof_manifest_format(&m, &len);
    char *mut = malloc(len);
    unsigned seed = 12345;
    int accepted = 0;
    char err[512];
    for (int iter = 0; iter < 20000; iter++) {
        memcpy(mut, text, len);
        int flips = 1 + (int)(rand_r(&seed) % 3);
        for (int k = 0; k < flips; k++) mut[rand_r(&seed) % len] = (char)(rand_r(&seed) & 0xff);
        size_t cut = rand_r(&seed) % 4 == 0 ? rand_r(&seed) % (len + 1) : len;
        if (aof_manifest_parse(mut, cut, &m2, err, sizeof(err)) == AOF_OK) {
            accepted++;
            size_t l2;
            char *t2 = aof_manifest_format(&m2, &l2);
            CHECK_EQ_INT(aof_manifest_parse(t2, l2, &m3, err, sizeof(err)), AOF_OK);
            CHECK(manifest_equal(&m2, &m3));
            cn_free(t2);
        } else {
            CHECK(strncmp(err, "line ", 5) == 0 || strncmp(err, "manifest: ", 10) == 0);
        }
    }
    CHECK(accepted < 2000); /* the checksum catches almost every change to the content */
    free(mut);
    cn_free(text);
    aof_manifest_deinit(&m);
    aof_manifest_deinit(&m2);
    aof_manifest_deinit(&m3);
}

/* A failed switch leaves the old manifest exactly as it was, and no temp file. */
static void t_manifest_switch_failure(void) {
    char dir[256], err[512];
    snprintf(dir, sizeof(dir), "%s/switch", tmpdir);
    CHECK_EQ_INT(mkdir(dir, 0755), 0);
    aof_manifest m1, m2, got;
    aof_manifest_init(&m1);
    aof_manifest_init(&m2);
    aof_manifest_init(&got);
    aof_manifest_new_base(&m1, "a.aof", AOF_BASE_SNAPSHOT);
    aof_manifest_add_incr(&m1, "a.aof");
    aof_manifest_copy(&m2, &m1);
    aof_manifest_add_incr(&m2, "a.aof");
    CHECK_EQ_INT(aof_manifest_save(dir, "a.aof.manifest", &m1, err, sizeof(err)), AOF_OK);
    char tmp[300];
    snprintf(tmp, sizeof(tmp), "%s/a.aof.manifest.tmp", dir);

    /* The temp path cannot be created (a directory is in the way): works as root too. */
    CHECK_EQ_INT(mkdir(tmp, 0755), 0);
    CHECK_EQ_INT(aof_manifest_save(dir, "a.aof.manifest", &m2, err, sizeof(err)), AOF_ERR);
    CHECK(strstr(err, "creating ") == err);
    CHECK_EQ_INT(aof_manifest_load(dir, "a.aof.manifest", &got, err, sizeof(err)), AOF_OK);
    CHECK(manifest_equal(&got, &m1));
    rmdir(tmp);

    /* A read-only directory. */
    if (geteuid() == 0) {
        fprintf(
            stderr,
            "    (running as root: chmod does not stop root, read-only directory case skipped)\n");
    } else {
        CHECK_EQ_INT(chmod(dir, 0555), 0);
        CHECK_EQ_INT(aof_manifest_save(dir, "a.aof.manifest", &m2, err, sizeof(err)), AOF_ERR);
        CHECK(strstr(err, "Permission denied") != NULL);
        chmod(dir, 0755);
        CHECK_EQ_INT(aof_manifest_load(dir, "a.aof.manifest", &got, err, sizeof(err)), AOF_OK);
        CHECK(manifest_equal(&got, &m1));
        CHECK(access(tmp, F_OK) != 0);
    }
    /* And then it works. */
    CHECK_EQ_INT(aof_manifest_save(dir, "a.aof.manifest", &m2, err, sizeof(err)), AOF_OK);
    CHECK_EQ_INT(aof_manifest_load(dir, "a.aof.manifest", &got, err, sizeof(err)), AOF_OK);
    CHECK(manifest_equal(&got, &m2));
    CHECK(access(tmp, F_OK) != 0);
    aof_manifest_deinit(&m1);
    aof_manifest_deinit(&m2);
    aof_manifest_deinit(&got);
}

/* ---- throughput ----------------------------------------------------------------------- */

static void t_throughput(void) {
    const int n = 1000000, per_iteration = 1000; /* flush as a busy event loop would */
    aof_writer *w = aof_writer_create(open_new(tpath("bench.aof")), AOF_FSYNC_NO);
    char key[32], val[32];
    memset(val, 'v', sizeof(val));
    const char *a[] = {"SET", key, val};
    size_t l[] = {3, 0, sizeof(val)};
    int64_t t0 = clock_mono_us();
    for (int i = 0; i < n; i++) {
        l[1] = (size_t)snprintf(key, sizeof(key), "key:%08d", i);
        aof_append(w, 3, a, l);
        if (i % per_iteration == per_iteration - 1)
            CHECK_EQ_INT(aof_write_and_sync(w, false, 0), AOF_OK);
    }
    CHECK_EQ_INT(aof_flush(w), AOF_OK);
    int64_t us = clock_mono_us() - t0;
    aof_writer_stats s;
    aof_writer_stats_get(w, &s);
    aof_writer_destroy(w);
    if (us < 1) us = 1;
    fprintf(stderr,
            "    aof_append+flush: %d SET commands (%lld bytes) in %.3f s: %.0f MB/s, %.2f M "
            "commands/s\n",
            n, s.written, us / 1e6, s.written / (us / 1e6) / 1e6, n / (us / 1e6) / 1e6);
    CHECK_EQ_INT(s.written, (long long)n * encoded_len(3, l));
    unlink(tpath("bench.aof"));
}

static void t_memory_back_to_zero(void) { CHECK_EQ_INT(cn_used_memory(), mem_at_start); }

int main(void) {
    mem_at_start = cn_used_memory();
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/cairn-test-aof-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_run("encoding is RESP", t_encoding_is_resp);
    test_run("round trip: binary, empty, 1 MB, many", t_roundtrip);
    test_run("loader pull api", t_loader_pull_api);
    test_run("truncated at every offset of the last command", t_truncated_every_offset);
    test_run("truncated big last command", t_truncated_big_last_command);
    test_run("corruption in the middle names the offset", t_corrupt_middle);
    test_run("sink refusal names the command", t_sink_refusal);
    test_run("loader memory is bounded", t_loader_memory_bounded);
    test_run("flush to a pipe: partial writes", t_flush_pipe_partial);
    test_run("flush errors keep the unwritten bytes", t_flush_errors_keep_bytes);
    test_run("always: group commit", t_always_group_commit);
    test_run("everysec thread", t_everysec_thread);
    test_run("everysec postpones writes up to 2 s", t_everysec_postpone);
    test_run("manifest round trip", t_manifest_roundtrip);
    test_run("manifest hostile input", t_manifest_hostile);
    test_run("manifest random damage", t_manifest_mutations);
    test_run("manifest switch failure keeps the old one", t_manifest_switch_failure);
    test_run("throughput", t_throughput);
    test_run("memory back to zero", t_memory_back_to_zero);
    char rm[128];
    snprintf(rm, sizeof(rm), "rm -rf '%s'", tmpdir);
    if (system(rm) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    return test_summary("aof");
}
