/* tests/harness.c: see harness.h. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "tests/harness.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define START_DEADLINE_MS 10000
#define STOP_DEADLINE_MS 10000
#define CMD_TIMEOUT_S 20
#define LOG_TAIL_BYTES 3000
#define START_ATTEMPTS 5

struct srv {
    pid_t pid;
    int port;
    bool reaped;  /* waitpid already collected the status */
    int status;   /* valid when reaped */
    bool exit_expected; /* srv_kill() or a run expected to fail: srv_stop() does not judge it */
    int runs;           /* processes started in this directory so far (numbers the old logs) */
    char dir[256];
    char log[300];
    char conf[300];
    struct srv *next; /* registry of live servers, for the atexit cleanup */
};

static srv *live;

/* ---- small utilities ---------------------------------------------------------------- */

long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
    }
}

char *escape_bytes(const void *buf, size_t len, size_t max) {
    const unsigned char *p = buf;
    size_t n = len < max ? len : max;
    char *out = malloc(n * 4 + 8), *o = out;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = p[i];
        switch (ch) {
        case '\r': *o++ = '\\'; *o++ = 'r'; break;
        case '\n': *o++ = '\\'; *o++ = 'n'; break;
        case '\t': *o++ = '\\'; *o++ = 't'; break;
        case '\\': *o++ = '\\'; *o++ = '\\'; break;
        case '"': *o++ = '\\'; *o++ = '"'; break;
        default:
            if (ch < 32 || ch >= 127) o += sprintf(o, "\\x%02x", ch);
            else *o++ = (char)ch;
        }
    }
    if (n < len) o += sprintf(o, "...");
    *o = '\0';
    return out;
}

char *file_read(const char *path, size_t *len_out) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[len] = '\0';
    if (len_out) *len_out = len;
    return buf;
}

static void print_log_tail(const char *path) {
    size_t len = 0;
    char *text = file_read(path, &len);
    if (!text) {
        fprintf(stderr, "    (no log at %s)\n", path);
        return;
    }
    const char *start = len > LOG_TAIL_BYTES ? text + len - LOG_TAIL_BYTES : text;
    fprintf(stderr, "    ---- tail of %s ----\n%s\n    ---- end of log ----\n", path, start);
    free(text);
}

/* Replace every "@DIR@" in text by dir. */
static char *subst_dir(const char *text, const char *dir) {
    size_t cap = strlen(text) + 1, dl = strlen(dir);
    for (const char *p = text; (p = strstr(p, "@DIR@")); p += 5) cap += dl;
    char *out = malloc(cap), *o = out;
    for (const char *p = text; *p;) {
        if (strncmp(p, "@DIR@", 5) == 0) {
            memcpy(o, dir, dl);
            o += dl;
            p += 5;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

bool file_write(const char *path, const void *buf, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f) return false;
    bool ok = fwrite(buf, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

/* ---- a small tmpfs ------------------------------------------------------------------- */

static char tmpfs_dir[64];

const char *tmpfs_mount(const char *size, const char *test) {
    snprintf(tmpfs_dir, sizeof tmpfs_dir, "/tmp/cairn-tmpfs-XXXXXX");
    if (!mkdtemp(tmpfs_dir)) {
        tmpfs_dir[0] = '\0';
        printf("  skipped %s: mkdtemp failed\n", test);
        return NULL;
    }
    char cmd[256];
    snprintf(cmd, sizeof cmd, "mount -t tmpfs -o size=%s tmpfs %s 2>/dev/null", size, tmpfs_dir);
    if (system(cmd) != 0) {
        printf("  skipped %s: cannot mount a tmpfs (needs root)\n", test);
        rmdir(tmpfs_dir);
        tmpfs_dir[0] = '\0';
        return NULL;
    }
    return tmpfs_dir;
}

void tmpfs_umount(void) {
    if (!tmpfs_dir[0]) return;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "umount %s", tmpfs_dir);
    if (system(cmd) != 0) test_fail(__FILE__, __LINE__, "umount %s failed", tmpfs_dir);
    rmdir(tmpfs_dir);
    tmpfs_dir[0] = '\0';
}

bool tmpfs_remount_at(const char *file, int line, const char *mode) {
    char cmd[256];
    snprintf(cmd, sizeof cmd, "mount -o remount,%s %s", mode, tmpfs_dir);
    if (tmpfs_dir[0] && system(cmd) == 0) return true;
    test_fail(file, line, "mount -o remount,%s of the tmpfs failed", mode);
    return false;
}

bool tmpfs_fill_at(const char *file, int line, size_t leave) {
    static char block[4096];
    char room[128], filler[128];
    snprintf(room, sizeof room, "%s/room", tmpfs_dir);
    snprintf(filler, sizeof filler, "%s/filler", tmpfs_dir);
    bool ok = tmpfs_dir[0] != '\0';
    if (ok && leave) { /* a file as large as the room to keep, deleted once the rest is full */
        int fd = open(room, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        for (size_t done = 0, n; fd >= 0 && done < leave; done += n) {
            n = leave - done < sizeof block ? leave - done : sizeof block;
            ok = ok && write(fd, block, n) == (ssize_t)n;
        }
        ok = ok && fd >= 0;
        if (fd >= 0) close(fd);
    }
    int fd = ok ? open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0644) : -1;
    ok = ok && fd >= 0;
    while (fd >= 0 && write(fd, block, sizeof block) > 0) {
    }
    while (fd >= 0 && write(fd, block, 1) > 0) {
    }
    if (fd >= 0) close(fd);
    if (ok && leave) ok = unlink(room) == 0;
    if (!ok) test_fail(file, line, "tmpfs_fill(%zu) in %s failed", leave, tmpfs_dir);
    return ok;
}

bool tmpfs_unfill_at(const char *file, int line) {
    char filler[128];
    snprintf(filler, sizeof filler, "%s/filler", tmpfs_dir);
    if (unlink(filler) == 0) return true;
    test_fail(file, line, "unlink %s: %s", filler, strerror(errno));
    return false;
}

static bool write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) return false;
    fputs(text, f);
    return fclose(f) == 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

static void remove_tree(const char *dir) {
    if (dir[0]) nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int free_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    int port = -1;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &al) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* Once per process: ignore SIGPIPE (we write to sockets the server may close), raise the
 * open-file limit (1,000 connections need it; the child inherits it), register cleanup. */
static void cleanup_at_exit(void) {
    for (srv *s = live; s; s = s->next) {
        if (!s->reaped) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, NULL, 0);
        }
        remove_tree(s->dir);
    }
    live = NULL;
}

static void harness_init(void) {
    static bool done;
    if (done) return;
    done = true;
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    atexit(cleanup_at_exit);
}

/* The binary's path made absolute (the child runs in another directory). Symlinks are
 * kept: redis-server is a link whose behaviour depends on its name. */
static const char *server_binary(char *buf, size_t cap) {
    const char *bin = getenv("CAIRN_TEST_SERVER");
    if (!bin || !*bin) bin = "src/cairn-server";
    char cwd[2048];
    if (bin[0] == '/') snprintf(buf, cap, "%s", bin);
    else if (getcwd(cwd, sizeof cwd)) snprintf(buf, cap, "%s/%s", cwd, bin);
    else return NULL;
    return access(buf, X_OK) == 0 ? buf : NULL;
}

/* ---- starting and stopping ---------------------------------------------------------- */

srv_argv srv_args(const char *const *base, ...) {
    srv_argv a = {{NULL}};
    int n = 0;
    for (; base && base[n] && n < 63; n++) a.v[n] = base[n];
    va_list ap;
    va_start(ap, base);
    for (const char *s; (s = va_arg(ap, const char *));) {
        if (n == 63) {
            test_fail(__FILE__, __LINE__, "srv_args: more than 63 arguments");
            break;
        }
        a.v[n++] = s;
    }
    va_end(ap);
    a.v[n] = NULL;
    return a;
}

/* Writes the config file (if o->conf) and o->files into s->dir; a config file written by
 * an earlier call stays in use when o->conf is NULL. */
static bool write_files(srv *s, const srv_opts *o) {
    if (o && o->conf) {
        snprintf(s->conf, sizeof s->conf, "%s/cairn.conf", s->dir);
        char *text = subst_dir(o->conf, s->dir);
        bool ok = write_file(s->conf, text);
        free(text);
        if (!ok) return false;
    }
    for (const srv_file *f = o ? o->files : NULL; f && f->name; f++) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", s->dir, f->name);
        char *text = subst_dir(f->text, s->dir);
        bool ok = write_file(path, text);
        free(text);
        if (!ok) return false;
    }
    return true;
}

static bool make_dir_and_files(srv *s, const srv_opts *o) {
    snprintf(s->dir, sizeof s->dir, "/tmp/cairn-test-XXXXXX");
    if (!mkdtemp(s->dir)) {
        s->dir[0] = '\0';
        return false;
    }
    snprintf(s->log, sizeof s->log, "%s/server.log", s->dir);
    s->conf[0] = '\0';
    return write_files(s, o);
}

static pid_t spawn(srv *s, const char *bin, const srv_opts *o) {
    const char *argv[128];
    int n = 0;
    char portbuf[16];
    snprintf(portbuf, sizeof portbuf, "%d", s->port);
    argv[n++] = bin;
    if (s->conf[0]) argv[n++] = s->conf;
    argv[n++] = "--port";
    argv[n++] = portbuf;
    argv[n++] = "--bind";
    argv[n++] = "127.0.0.1";
    for (const char *const *a = o ? o->args : NULL; a && *a && n < 126; a++) argv[n++] = *a;
    argv[n] = NULL;

    if (s->runs > 0) { /* keep the previous run's log as server.log.<run> */
        char old[320];
        snprintf(old, sizeof old, "%s.%d", s->log, s->runs);
        rename(s->log, old);
    }
    s->runs++;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid != 0) return pid;
    /* child */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    int logfd = open(s->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int nullfd = open("/dev/null", O_RDONLY);
    if (logfd < 0 || nullfd < 0 || chdir(s->dir) != 0) _exit(126);
    dup2(nullfd, 0);
    dup2(logfd, 1);
    dup2(logfd, 2);
    close_range(3, ~0U, 0); /* no test sockets may leak into the server */
    execv(bin, (char *const *)argv);
    dprintf(2, "exec %s failed: %s\n", bin, strerror(errno));
    _exit(127);
}

/* Is the server answering? Any reply counts (NOAUTH means it is up), -LOADING only if
 * loading_ok. The reply may take a while: a loading server serves its clients only now
 * and then (Cairn every 100 ms, Redis every loading-process-events-interval-bytes). */
static bool ping_ok(int port, bool loading_ok) {
    struct timeval tv = {1, 0};
    redisContext *c = redisConnectWithTimeout("127.0.0.1", port, tv);
    bool ok = false;
    if (c && !c->err) {
        redisSetTimeout(c, tv);
        redisReply *r = redisCommand(c, "PING");
        ok = r &&
             (loading_ok || !(r->type == REDIS_REPLY_ERROR && strncmp(r->str, "LOADING", 7) == 0));
        if (r) freeReplyObject(r);
    }
    if (c) redisFree(c);
    return ok;
}

static bool reap(srv *s, int timeout_ms) {
    if (s->reaped) return true;
    long long deadline = now_ms() + timeout_ms;
    for (;;) {
        pid_t r = waitpid(s->pid, &s->status, WNOHANG);
        if (r == s->pid || (r < 0 && errno == ECHILD)) {
            if (r < 0) s->status = 0;
            s->reaped = true;
            return true;
        }
        if (now_ms() >= deadline) return false;
        sleep_ms(2);
    }
}

static void unregister(srv *s) {
    for (srv **p = &live; *p; p = &(*p)->next)
        if (*p == s) {
            *p = s->next;
            return;
        }
}

/* Spawn the binary in s->dir and wait until it answers, retrying on another port if
 * someone took ours. True if it is up (and registered in `live` by the caller). On false
 * the failure is recorded, the log tail printed and the process is gone (s->reaped). */
static bool launch(srv *s, const char *bin, const srv_opts *o) {
    int timeout = o && o->start_timeout_ms > 0 ? o->start_timeout_ms : START_DEADLINE_MS;
    bool loading_ok = o && o->up_when_loading;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
        s->port = free_port();
        s->reaped = false;
        s->exit_expected = false;
        s->pid = spawn(s, bin, o);
        if (s->pid < 0) {
            s->reaped = true;
            s->status = -1;
            test_fail(__FILE__, __LINE__, "fork failed: %s", strerror(errno));
            return false;
        }
        long long deadline = now_ms() + timeout;
        while (now_ms() < deadline) {
            if (reap(s, 0)) break; /* exited during start-up */
            if (ping_ok(s->port, loading_ok)) {
                if (!reap(s, 0)) return true;
                break;
            }
            sleep_ms(5);
        }
        if (!s->reaped) {
            kill(s->pid, SIGKILL);
            reap(s, STOP_DEADLINE_MS);
            test_fail(__FILE__, __LINE__, "server did not answer PING within %d ms (port %d)",
                      timeout, s->port);
            print_log_tail(s->log);
            return false;
        }
        /* Exited: retry only if someone took the port between free_port() and bind(). */
        char *text = file_read(s->log, NULL);
        bool in_use = text && strstr(text, "in use") != NULL;
        free(text);
        if (in_use && attempt < START_ATTEMPTS) continue;
        test_fail(__FILE__, __LINE__, "server exited during start-up (status 0x%x)", s->status);
        print_log_tail(s->log);
        return false;
    }
    return false;
}

srv *srv_start_opts(const srv_opts *o) {
    harness_init();
    char bin[4096];
    if (!server_binary(bin, sizeof bin)) {
        test_fail(__FILE__, __LINE__, "server binary not found: %s (set CAIRN_TEST_SERVER)",
                  getenv("CAIRN_TEST_SERVER") ? getenv("CAIRN_TEST_SERVER") : "src/cairn-server");
        return NULL;
    }
    srv *s = calloc(1, sizeof *s);
    if (!make_dir_and_files(s, o)) {
        test_fail(__FILE__, __LINE__, "cannot create the server's temporary directory");
        remove_tree(s->dir);
        free(s);
        return NULL;
    }
    s->next = live;
    live = s;
    if (launch(s, bin, o)) return s;
    unregister(s);
    remove_tree(s->dir);
    free(s);
    return NULL;
}

srv *srv_start(const char *const *extra_args) {
    srv_opts o = {.args = extra_args};
    return srv_start_opts(&o);
}

bool srv_wait_exit(srv *s, int timeout_ms, int *status) {
    if (!s) return false;
    bool done = reap(s, timeout_ms);
    if (done && status) *status = s->status;
    return done;
}

/* SIGTERM (if running), wait, judge the exit unless it was expected. True if clean. */
static bool stop_process(srv *s) {
    bool ok = true;
    if (!s->reaped) {
        kill(s->pid, SIGTERM);
        if (!reap(s, STOP_DEADLINE_MS)) {
            test_fail(__FILE__, __LINE__, "server pid %d still running %d ms after SIGTERM",
                      (int)s->pid, STOP_DEADLINE_MS);
            print_log_tail(s->log);
            kill(s->pid, SIGKILL);
            reap(s, STOP_DEADLINE_MS);
            ok = false;
        }
    }
    if (s->exit_expected) return ok;
    if (ok && WIFSIGNALED(s->status)) {
        test_fail(__FILE__, __LINE__, "server died from signal %d (%s)", WTERMSIG(s->status),
                  strsignal(WTERMSIG(s->status)));
        print_log_tail(s->log);
        ok = false;
    } else if (ok && WIFEXITED(s->status) && WEXITSTATUS(s->status) != 0) {
        test_fail(__FILE__, __LINE__, "server exited with status %d", WEXITSTATUS(s->status));
        print_log_tail(s->log);
        ok = false;
    }
    return ok;
}

bool srv_stop(srv *s) {
    if (!s) return false;
    bool ok = stop_process(s);
    unregister(s);
    remove_tree(s->dir);
    free(s);
    return ok;
}

bool srv_kill(srv *s, int sig) {
    if (!s) return false;
    if (s->reaped) return true;
    s->exit_expected = true;
    kill(s->pid, sig);
    if (reap(s, STOP_DEADLINE_MS)) return true;
    test_fail(__FILE__, __LINE__, "server pid %d still running %d ms after signal %d", (int)s->pid,
              STOP_DEADLINE_MS, sig);
    return false;
}

bool srv_restart_opts(srv *s, const srv_opts *o) {
    char bin[4096];
    if (!s) {
        test_fail(__FILE__, __LINE__, "srv_restart: no server");
        return false;
    }
    if (!s->reaped) stop_process(s);
    if (!server_binary(bin, sizeof bin) || !write_files(s, o)) {
        test_fail(__FILE__, __LINE__, "srv_restart: no server binary, or cannot write files");
        s->exit_expected = true;
        return false;
    }
    if (launch(s, bin, o)) return true;
    s->exit_expected = true; /* already recorded */
    return false;
}

bool srv_restart(srv *s, const char *const *args) {
    srv_opts o = {.args = args};
    return srv_restart_opts(s, &o);
}

/* Run the binary in s->dir until it exits, starts (answers anything but -LOADING: -1)
 * or timeout_ms passes (-1); the process is gone afterwards. */
static int run_until_exit(srv *s, const char *bin, const srv_opts *o, int timeout_ms) {
    s->port = free_port();
    s->reaped = false;
    s->exit_expected = true;
    s->pid = spawn(s, bin, o);
    if (s->pid < 0) {
        s->reaped = true;
        s->status = -1;
        return -1;
    }
    long long deadline = now_ms() + timeout_ms;
    while (!reap(s, 0)) {
        if (now_ms() >= deadline || ping_ok(s->port, false)) {
            kill(s->pid, SIGKILL);
            reap(s, STOP_DEADLINE_MS);
            return -1;
        }
        sleep_ms(5);
    }
    return s->status;
}

int srv_run_to_exit_in(srv *s, const srv_opts *o, int timeout_ms, char **output) {
    char bin[4096];
    *output = NULL;
    if (!s || !s->reaped || !server_binary(bin, sizeof bin) || !write_files(s, o)) {
        test_fail(__FILE__, __LINE__,
                  "srv_run_to_exit_in: no server, still running, no binary "
                  "or cannot write files");
        *output = strdup("");
        return -1;
    }
    int result = run_until_exit(s, bin, o, timeout_ms);
    *output = file_read(s->log, NULL);
    if (!*output) *output = strdup("");
    return result;
}

char *srv_expect_refused_at(const char *file, int line, srv *s, const char *const *args) {
    srv_opts o = {.args = args};
    char *out = NULL;
    int status = srv_run_to_exit_in(s, &o, 10000, &out);
    if (status == -1) {
        test_fail(file, line, "the server started anyway (or did not exit in 10 s)");
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) == 0) {
        test_fail(file, line, "expected a non-zero exit, got status 0x%x%s", status,
                  WIFSIGNALED(status) ? " (killed by a signal)" : "");
    } else {
        return out;
    }
    free(out);
    return NULL;
}

int srv_children(srv *s, int *pids, int max) {
    if (!s || s->reaped) return 0;
    int n = 0;
    DIR *d = opendir("/proc");
    for (struct dirent *e; d && (e = readdir(d)) && n < max;) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 0) continue;
        char path[64];
        snprintf(path, sizeof path, "/proc/%ld/stat", pid);
        char *st = file_read(path, NULL);
        /* "pid (comm) state ppid ...": comm may hold spaces and parentheses */
        const char *close_paren = st ? strrchr(st, ')') : NULL;
        int ppid = 0;
        char state;
        if (close_paren && sscanf(close_paren + 1, " %c %d", &state, &ppid) == 2 &&
            ppid == (int)s->pid)
            pids[n++] = (int)pid;
        free(st);
    }
    if (d) closedir(d);
    return n;
}

bool srv_kill_with_children(srv *s, int sig) {
    int kids[16];
    int n = srv_children(s, kids, 16);
    for (int i = 0; i < n; i++) kill(kids[i], sig);
    return srv_kill(s, sig);
}

bool srv_serves_new_connection(srv *s) {
    struct timeval tv = {2, 0};
    redisContext *c = redisConnectWithTimeout("127.0.0.1", srv_port(s), tv);
    bool ok = false;
    if (c && !c->err) {
        redisSetTimeout(c, tv);
        redisReply *r = redisCommand(c, "EXISTS nosuchkey");
        ok = r && r->type == REDIS_REPLY_INTEGER;
        if (r) freeReplyObject(r);
    }
    if (c) redisFree(c);
    return ok;
}

int srv_exit_status(srv *s) {
    if (!s) return -1;
    return s->reaped || reap(s, 0) ? s->status : -1;
}

const char *srv_path(const srv *s, const char *name, char *buf, size_t cap) {
    snprintf(buf, cap, "%s/%s", s ? s->dir : "", name);
    return buf;
}

int srv_run_to_exit(const srv_opts *o, int timeout_ms, char **output) {
    harness_init();
    *output = NULL;
    char bin[4096];
    if (!server_binary(bin, sizeof bin)) {
        test_fail(__FILE__, __LINE__, "server binary not found");
        *output = strdup("");
        return -1;
    }
    srv s = {0};
    if (!make_dir_and_files(&s, o)) {
        test_fail(__FILE__, __LINE__, "cannot create a temporary directory");
        remove_tree(s.dir);
        *output = strdup("");
        return -1;
    }
    int result = run_until_exit(&s, bin, o, timeout_ms);
    *output = file_read(s.log, NULL);
    if (!*output) *output = strdup("");
    remove_tree(s.dir);
    return result;
}

int srv_port(const srv *s) { return s ? s->port : -1; }
int srv_pid(const srv *s) { return s ? (int)s->pid : -1; }
const char *srv_log_path(const srv *s) { return s ? s->log : ""; }
const char *srv_dir(const srv *s) { return s ? s->dir : ""; }
const char *srv_conf_path(const srv *s) { return s && s->conf[0] ? s->conf : NULL; }

char *srv_log_text(const srv *s) {
    char *t = s ? file_read(s->log, NULL) : NULL;
    return t ? t : strdup("");
}

/* ---- hiredis helpers ---------------------------------------------------------------- */

redisContext *srv_connect_at(const char *file, int line, srv *s) {
    if (!s) {
        test_fail(file, line, "srv_connect: no server");
        return NULL;
    }
    struct timeval tv = {5, 0};
    redisContext *c = redisConnectWithTimeout("127.0.0.1", s->port, tv);
    if (!c || c->err) {
        test_fail(file, line, "cannot connect to port %d: %s", s->port, c ? c->errstr : "oom");
        if (c) redisFree(c);
        return NULL;
    }
    struct timeval rt = {CMD_TIMEOUT_S, 0};
    redisSetTimeout(c, rt);
    return c;
}

int conn_local_port(int fd) {
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    if (getsockname(fd, (struct sockaddr *)&a, &al) != 0) return -1;
    return ntohs(a.sin_port);
}

static void describe_into(const redisReply *r, char **o, char *end, int depth) {
    if (*o >= end - 1) return;
    size_t room = (size_t)(end - *o);
    if (!r) {
        *o += snprintf(*o, room, "(no reply)");
    } else {
        switch (r->type) {
        case REDIS_REPLY_STATUS: *o += snprintf(*o, room, "+%s", r->str); break;
        case REDIS_REPLY_ERROR: *o += snprintf(*o, room, "-%s", r->str); break;
        case REDIS_REPLY_INTEGER: *o += snprintf(*o, room, "(integer) %lld", r->integer); break;
        case REDIS_REPLY_NIL: *o += snprintf(*o, room, "(nil)"); break;
        case REDIS_REPLY_STRING: {
            char *e = escape_bytes(r->str, r->len, 200);
            *o += snprintf(*o, room, "\"%s\"", e);
            free(e);
            break;
        }
        case REDIS_REPLY_ARRAY:
            *o += snprintf(*o, room, "[");
            for (size_t i = 0; i < r->elements && *o < end - 8; i++) {
                if (i) *o += snprintf(*o, (size_t)(end - *o), ", ");
                if (depth > 4 || i >= 20) {
                    *o += snprintf(*o, (size_t)(end - *o), "...");
                    break;
                }
                describe_into(r->element[i], o, end, depth + 1);
            }
            if (*o < end - 1) *o += snprintf(*o, (size_t)(end - *o), "]");
            break;
        default: *o += snprintf(*o, room, "(type %d)", r->type);
        }
    }
    if (*o > end - 1) *o = end - 1;
}

const char *reply_describe(const redisReply *r) {
    static char buf[4096];
    char *o = buf;
    buf[0] = '\0';
    describe_into(r, &o, buf + sizeof buf, 0);
    return buf;
}

static redisReply *vcmd(const char *file, int line, redisContext *c, const char *fmt, va_list ap) {
    if (!c) {
        test_fail(file, line, "no connection for \"%s\"", fmt);
        return NULL;
    }
    if (c->err) {
        test_fail(file, line, "connection already failed (%s) for \"%s\"", c->errstr, fmt);
        return NULL;
    }
    redisReply *r = redisvCommand(c, fmt, ap);
    if (!r) test_fail(file, line, "\"%s\": connection error: %s", fmt, c->errstr);
    return r;
}

redisReply *cmd_at(const char *file, int line, redisContext *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = vcmd(file, line, c, fmt, ap);
    va_end(ap);
    return r;
}

redisReply *cmd_argv_at(const char *file, int line, redisContext *c, int argc, const char **argv,
                        const size_t *lens) {
    if (!c || c->err) {
        test_fail(file, line, "no usable connection for %s", argc ? argv[0] : "?");
        return NULL;
    }
    redisReply *r = redisCommandArgv(c, argc, argv, lens);
    if (!r) test_fail(file, line, "%s: connection error: %s", argc ? argv[0] : "?", c->errstr);
    return r;
}

long long cmd_int_at(const char *file, int line, redisContext *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = vcmd(file, line, c, fmt, ap);
    va_end(ap);
    long long v = LLONG_MIN;
    if (r && r->type == REDIS_REPLY_INTEGER) v = r->integer;
    else if (r) test_fail(file, line, "\"%s\" replied %s, expected an integer", fmt, reply_describe(r));
    if (r) freeReplyObject(r);
    return v;
}

char *cmd_str_at(const char *file, int line, redisContext *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = vcmd(file, line, c, fmt, ap);
    va_end(ap);
    char *v = NULL;
    if (r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS)) {
        v = malloc(r->len + 1);
        memcpy(v, r->str, r->len);
        v[r->len] = '\0';
    } else if (r) {
        test_fail(file, line, "\"%s\" replied %s, expected a string", fmt, reply_describe(r));
    }
    if (r) freeReplyObject(r);
    return v;
}

void cmd_send_only(redisContext *c, const char *cmd) {
    if (!c) return;
    redisAppendCommand(c, cmd);
    int done = 0;
    while (!done && redisBufferWrite(c, &done) == REDIS_OK) {
    }
}

redisReply *cmd_next_reply(redisContext *c) {
    redisReply *r = NULL;
    if (!c || redisGetReply(c, (void **)&r) != REDIS_OK) return NULL;
    return r;
}

bool reply_status_at(const char *file, int line, const redisReply *r, const char *exp) {
    if (r && r->type == REDIS_REPLY_STATUS && strcmp(r->str, exp) == 0) return true;
    test_fail(file, line, "got %s, expected +%s", reply_describe(r), exp);
    return false;
}

bool reply_int_at(const char *file, int line, const redisReply *r, long long exp) {
    if (r && r->type == REDIS_REPLY_INTEGER && r->integer == exp) return true;
    test_fail(file, line, "got %s, expected (integer) %lld", reply_describe(r), exp);
    return false;
}

bool reply_bulk_at(const char *file, int line, const redisReply *r, const char *exp, size_t len) {
    if (r && r->type == REDIS_REPLY_STRING && r->len == len && memcmp(r->str, exp, len) == 0)
        return true;
    char *e = escape_bytes(exp, len, 200);
    if (r && r->type == REDIS_REPLY_STRING && r->len > 200)
        test_fail(file, line, "got a %zu-byte bulk differing from the expected %zu bytes \"%s\"",
                  r->len, len, e);
    else
        test_fail(file, line, "got %s, expected \"%s\"", reply_describe(r), e);
    free(e);
    return false;
}

bool reply_nil_at(const char *file, int line, const redisReply *r) {
    if (r && r->type == REDIS_REPLY_NIL) return true;
    test_fail(file, line, "got %s, expected (nil)", reply_describe(r));
    return false;
}

bool reply_err_at(const char *file, int line, const redisReply *r, const char *exp, bool prefix) {
    if (r && r->type == REDIS_REPLY_ERROR &&
        (prefix ? strncmp(r->str, exp, strlen(exp)) == 0 : strcmp(r->str, exp) == 0))
        return true;
    test_fail(file, line, "got %s, expected -%s%s", reply_describe(r), exp, prefix ? "..." : "");
    return false;
}

bool reply_array_at(const char *file, int line, const redisReply *r, long n) {
    if (r && r->type == REDIS_REPLY_ARRAY && (n < 0 || r->elements == (size_t)n)) return true;
    test_fail(file, line, "got %s, expected an array of %ld", reply_describe(r), n);
    return false;
}

static bool elem_is(const redisReply *e, const char *exp) {
    if (!exp) return e->type == REDIS_REPLY_NIL;
    return e->type == REDIS_REPLY_STRING && e->len == strlen(exp) && memcmp(e->str, exp, e->len) == 0;
}

bool reply_strs_at(const char *file, int line, const redisReply *r, const char *const *exp,
                   size_t n, bool unordered) {
    bool ok = r && r->type == REDIS_REPLY_ARRAY && r->elements == n;
    if (ok && !unordered) {
        for (size_t i = 0; i < n && ok; i++) ok = elem_is(r->element[i], exp[i]);
    } else if (ok) {
        bool *used = calloc(n ? n : 1, 1);
        for (size_t i = 0; i < n && ok; i++) {
            bool found = false;
            for (size_t j = 0; j < n && !found; j++)
                if (!used[j] && elem_is(r->element[j], exp[i])) used[j] = found = true;
            ok = found;
        }
        free(used);
    }
    if (ok) return true;
    char want[2048], *o = want, *end = want + sizeof want;
    o += snprintf(o, (size_t)(end - o), "[");
    for (size_t i = 0; i < n && o < end - 16; i++)
        o += snprintf(o, (size_t)(end - o), "%s%s%s%s", i ? ", " : "", exp[i] ? "\"" : "",
                      exp[i] ? exp[i] : "(nil)", exp[i] ? "\"" : "");
    if (o < end - 2) snprintf(o, (size_t)(end - o), "]");
    test_fail(file, line, "got %s, expected %s%s", reply_describe(r), want,
              unordered ? " (any order)" : "");
    return false;
}

void expect_at(const char *file, int line, redisContext *c, char kind, const char *exp_str,
               long long exp_int, size_t exp_len, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = vcmd(file, line, c, fmt, ap);
    va_end(ap);
    if (!r) return;
    bool ok = true;
    switch (kind) {
    case 's': ok = reply_status_at(file, line, r, exp_str); break;
    case 'i': ok = reply_int_at(file, line, r, exp_int); break;
    case 'b': ok = reply_bulk_at(file, line, r, exp_str, exp_len); break;
    case 'n': ok = reply_nil_at(file, line, r); break;
    case 'e': ok = reply_err_at(file, line, r, exp_str, false); break;
    case 'p': ok = reply_err_at(file, line, r, exp_str, true); break;
    }
    if (!ok) fprintf(stderr, "      (command: \"%s\")\n", fmt);
    freeReplyObject(r);
}

void expect_strs_at(const char *file, int line, redisContext *c, const char *const *exp, size_t n,
                    bool unordered, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = vcmd(file, line, c, fmt, ap);
    va_end(ap);
    if (!r) return;
    if (!reply_strs_at(file, line, r, exp, n, unordered))
        fprintf(stderr, "      (command: \"%s\")\n", fmt);
    freeReplyObject(r);
}

void expect_double_at(const char *file, int line, redisContext *c, double exp, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = vcmd(file, line, c, fmt, ap);
    va_end(ap);
    if (!r) return;
    bool ok = false;
    if (r->type == REDIS_REPLY_STRING) {
        char *end;
        double v = strtod(r->str, &end);
        double diff = v > exp ? v - exp : exp - v, scale = exp < 0 ? -exp : exp;
        ok = end == r->str + r->len && diff <= 1e-9 * (scale > 1.0 ? scale : 1.0);
    }
    if (!ok) test_fail(file, line, "\"%s\" replied %s, expected a bulk number %.17g", fmt,
                       reply_describe(r), exp);
    freeReplyObject(r);
}

char *info_field(redisContext *c, const char *section, const char *field) {
    if (!c || c->err) return NULL;
    redisReply *r = redisCommand(c, "INFO %s", section);
    char *v = NULL;
    if (r && r->type == REDIS_REPLY_STRING) {
        size_t fl = strlen(field);
        for (char *p = r->str; p && *p;) {
            if (strncmp(p, field, fl) == 0 && p[fl] == ':') {
                char *s = p + fl + 1, *e = s;
                while (*e && *e != '\r' && *e != '\n') e++;
                v = strndup(s, (size_t)(e - s));
                break;
            }
            p = strchr(p, '\n');
            if (p) p++;
        }
    }
    if (r) freeReplyObject(r);
    return v;
}

long long info_int(redisContext *c, const char *section, const char *field) {
    char *v = info_field(c, section, field);
    long long n = LLONG_MIN;
    if (v) {
        char *end;
        errno = 0;
        long long x = strtoll(v, &end, 10);
        if (end != v && *end == '\0' && errno == 0) n = x;
        free(v);
    }
    return n;
}

long long info_subfield(const char *value, const char *name) {
    if (!value) return LLONG_MIN;
    size_t nl = strlen(name);
    for (const char *p = value; p && *p;) {
        if (strncmp(p, name, nl) == 0 && p[nl] == '=') return strtoll(p + nl + 1, NULL, 10);
        p = strchr(p, ',');
        if (p) p++;
    }
    return LLONG_MIN;
}

/* Does the multi-line text contain this exact line (CRLF or LF separated)? */
bool has_line(const char *text, const char *line) {
    size_t ll = strlen(line);
    for (const char *p = text; p && *p;) {
        if (strncmp(p, line, ll) == 0 && (p[ll] == '\r' || p[ll] == '\n' || p[ll] == '\0'))
            return true;
        p = strchr(p, '\n');
        if (p) p++;
    }
    return false;
}

void check_cmdstat(const char *file, int line, redisContext *c, const char *cmd, long long calls,
                   long long rejected, long long failed) {
    char name[64];
    snprintf(name, sizeof name, "cmdstat_%s", cmd);
    char *v = info_field(c, "commandstats", name);
    if (!v) {
        test_fail(file, line, "no %s in INFO commandstats", name);
        return;
    }
    if (strncmp(v, "calls=", 6) != 0 || !strstr(v, ",usec=") || !strstr(v, ",usec_per_call=") ||
        info_subfield(v, "calls") != calls || info_subfield(v, "rejected_calls") != rejected ||
        info_subfield(v, "failed_calls") != failed)
        test_fail(file, line, "%s:%s, expected calls=%lld rejected_calls=%lld failed_calls=%lld",
                  name, v, calls, rejected, failed);
    free(v);
}

long long info_blocked_clients(redisContext *c) {
    return info_int(c, "clients", "blocked_clients");
}

long long info_persist(redisContext *c, const char *field) {
    return info_int(c, "persistence", field);
}

bool info_persist_is(redisContext *c, const char *field, const char *want) {
    char *v = info_field(c, "persistence", field);
    bool same = v && strcmp(v, want) == 0;
    free(v);
    return same;
}

/* ---- raw sockets -------------------------------------------------------------------- */

int raw_connect_at(const char *file, int line, srv *s) {
    if (!s) {
        test_fail(file, line, "raw_connect: no server");
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        test_fail(file, line, "raw connect to port %d: %s", s->port, strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

bool raw_send_at(const char *file, int line, int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            test_fail(file, line, "raw send failed: %s", n < 0 ? strerror(errno) : "closed");
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* Read up to len bytes before the deadline; returns the count read, stops early on EOF
 * (*eof set) or error. */
static size_t read_full(int fd, char *buf, size_t len, long long deadline, bool *eof, int *err) {
    size_t got = 0;
    *eof = false;
    *err = 0;
    while (got < len) {
        long long left = deadline - now_ms();
        if (left <= 0) break;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int pr = poll(&p, 1, (int)left);
        if (pr < 0 && errno == EINTR) continue;
        if (pr <= 0) break;
        ssize_t n = recv(fd, buf + got, len - got, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) {
            *eof = true;
            break;
        }
        if (n < 0) {
            *err = errno;
            break;
        }
        got += (size_t)n;
    }
    return got;
}

bool raw_expect_at(const char *file, int line, int fd, const void *exp, size_t len) {
    if (fd < 0) {
        test_fail(file, line, "raw_expect: no socket");
        return false;
    }
    char *buf = malloc(len ? len : 1);
    bool eof;
    int err;
    size_t got = read_full(fd, buf, len, now_ms() + RAW_DEADLINE_MS, &eof, &err);
    bool ok = got == len && memcmp(buf, exp, len) == 0;
    if (!ok) {
        size_t at = 0;
        while (at < got && ((const char *)exp)[at] == buf[at]) at++;
        size_t from = at > 40 ? at - 40 : 0;
        char *e = escape_bytes((const char *)exp + from, len - from, 300);
        char *g = escape_bytes(buf + from, got - from, 300);
        test_fail(file, line, "raw bytes differ at offset %zu (got %zu of %zu bytes%s)\n"
                  "      expected (from %zu): \"%s\"\n      got      (from %zu): \"%s\"",
                  at, got, len, eof ? ", then EOF" : err ? ", then an error" : "", from, e, from, g);
        free(e);
        free(g);
    }
    free(buf);
    return ok;
}

bool raw_expect_closed_at(const char *file, int line, int fd) {
    if (fd < 0) {
        test_fail(file, line, "raw_expect_closed: no socket");
        return false;
    }
    char buf[512];
    bool eof;
    int err;
    size_t got = read_full(fd, buf, sizeof buf, now_ms() + RAW_DEADLINE_MS, &eof, &err);
    if (got == 0 && (eof || err == ECONNRESET)) return true;
    if (got > 0) {
        char *g = escape_bytes(buf, got, 300);
        test_fail(file, line, "expected the connection to close, got bytes \"%s\"", g);
        free(g);
    } else {
        test_fail(file, line, "connection still open after %d ms", RAW_DEADLINE_MS);
    }
    return false;
}

/* Frame reader: appends to a growing buffer, reading a line byte by byte (so it never
 * reads past the frame) and bulk payloads in one go. */
typedef struct {
    char *buf;
    size_t len, cap;
    long long deadline;
    bool failed;
} frame_buf;

static bool fb_need(frame_buf *f, size_t n) {
    if (f->len + n + 1 > f->cap) {
        while (f->len + n + 1 > f->cap) f->cap *= 2;
        f->buf = realloc(f->buf, f->cap);
    }
    return true;
}

static bool fb_read(frame_buf *f, int fd, size_t n) {
    fb_need(f, n);
    bool eof;
    int err;
    size_t got = read_full(fd, f->buf + f->len, n, f->deadline, &eof, &err);
    f->len += got;
    return got == n;
}

/* Reads one line including CRLF; returns the offset of its first byte. */
static bool fb_line(frame_buf *f, int fd, size_t *start) {
    *start = f->len;
    for (;;) {
        if (!fb_read(f, fd, 1)) return false;
        if (f->len - *start >= 2 && f->buf[f->len - 2] == '\r' && f->buf[f->len - 1] == '\n')
            return true;
        if (f->len - *start > 1 << 20) return false;
    }
}

static bool fb_value(frame_buf *f, int fd, int depth) {
    size_t start;
    if (depth > 32 || !fb_line(f, fd, &start)) return false;
    char type = f->buf[start];
    long long n = strtoll(f->buf + start + 1, NULL, 10);
    switch (type) {
    case '$': case '=': case '!':
        if (n < 0) return true;
        return fb_read(f, fd, (size_t)n + 2);
    case '*': case '~': case '>':
        for (long long i = 0; i < n; i++)
            if (!fb_value(f, fd, depth + 1)) return false;
        return true;
    case '%': case '|':
        for (long long i = 0; i < 2 * n; i++)
            if (!fb_value(f, fd, depth + 1)) return false;
        if (type == '|') return fb_value(f, fd, depth + 1); /* attribute precedes a value */
        return true;
    default: /* + - : _ , # ( */
        return true;
    }
}

char *raw_read_frame_at(const char *file, int line, int fd, size_t *len) {
    frame_buf f = {.buf = malloc(256), .cap = 256, .deadline = now_ms() + RAW_DEADLINE_MS};
    bool ok = fd >= 0 && fb_value(&f, fd, 0);
    f.buf[f.len] = '\0';
    if (!ok) {
        char *g = escape_bytes(f.buf, f.len, 300);
        test_fail(file, line, "no complete RESP value within %d ms; got \"%s\"", RAW_DEADLINE_MS, g);
        free(g);
    }
    if (len) *len = f.len;
    return f.buf;
}

bool srv_is_cairn(srv *s) {
    redisContext *c = srv_connect(s);
    char *v = c ? info_field(c, "server", "cairn_version") : NULL;
    bool cairn = v != NULL;
    free(v);
    if (c) redisFree(c);
    return cairn;
}

static const char *const *detect_args;
static bool detected_cairn;

static void t_server_starts(void) {
    srv *s = srv_start(detect_args);
    if (!s) return;
    detected_cairn = srv_is_cairn(s);
    srv_stop(s);
}

bool srv_detect_cairn(const char *const *args) {
    detect_args = args;
    detected_cairn = false;
    if (test_selected("server starts"))
        test_run("server starts", t_server_starts);
    else
        t_server_starts();
    return detected_cairn;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Iterate SCAN <cursor> <opts> to the end; the keys seen, sorted, duplicates removed,
 * joined by ','. Caller frees. */
char *scan_collect(redisContext *c, const char *opts) {
    char cursor[32] = "0", *keys[256];
    size_t n = 0;
    int calls = 0;
    do {
        char line[512]; /* opts must split into words: format it into the command itself */
        snprintf(line, sizeof line, "SCAN %s %s", cursor, opts);
        redisReply *r = CMD(c, line);
        if (!CHECK_REPLY_ARRAY(r, 2) || r->element[0]->type != REDIS_REPLY_STRING) {
            if (r) freeReplyObject(r);
            break;
        }
        snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
        for (size_t i = 0; i < r->element[1]->elements && n < 256; i++)
            keys[n++] = strdup(r->element[1]->element[i]->str);
        freeReplyObject(r);
    } while (strcmp(cursor, "0") != 0 && ++calls < 10000);
    qsort(keys, n, sizeof *keys, cmp_str);
    char *out = calloc(1, 256 * 16 + 1);
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(keys[i], keys[i - 1]) != 0) {
            if (*out) strcat(out, ",");
            strncat(out, keys[i], 15);
        }
    }
    for (size_t i = 0; i < n; i++) free(keys[i]);
    return out;
}

/* ---- whole datasets ------------------------------------------------------------------- */

/* Read n pipelined replies; records the first error reply and any connection error. */
static void drain_replies(redisContext *c, long n) {
    bool reported = false;
    for (long i = 0; i < n; i++) {
        redisReply *r = NULL;
        if (redisGetReply(c, (void **)&r) != REDIS_OK || !r) {
            test_fail(__FILE__, __LINE__, "dataset_fill: connection error: %s", c->errstr);
            return;
        }
        if (r->type == REDIS_REPLY_ERROR && !reported) {
            test_fail(__FILE__, __LINE__, "dataset_fill: reply %ld of %ld is -%s", i + 1, n,
                      r->str);
            reported = true;
        }
        freeReplyObject(r);
    }
}

void dataset_write_keys(redisContext *c, const char *key_prefix, const char *value_prefix, int n) {
    if (!c || c->err) {
        test_fail(__FILE__, __LINE__, "dataset_write_keys: no connection");
        return;
    }
    char *buf = malloc(100 * (strlen(key_prefix) + strlen(value_prefix) + 2 * 12));
    const char *argv[1 + 2 * 100] = {"MSET"};
    long sent = 0;
    for (int i = 0; i < n; i += 100, sent++) {
        int argc = 1;
        char *o = buf;
        for (int j = i; j < i + 100 && j < n; j++) {
            argv[argc++] = o;
            o += sprintf(o, "%s%d", key_prefix, j) + 1;
            argv[argc++] = o;
            o += sprintf(o, "%s%d", value_prefix, j) + 1;
        }
        redisAppendCommandArgv(c, argc, argv, NULL); /* copies the arguments */
    }
    free(buf);
    for (long i = 0; i < sent; i++) {
        redisReply *r = NULL;
        if (redisGetReply(c, (void **)&r) != REDIS_OK || !r) {
            test_fail(__FILE__, __LINE__, "dataset_write_keys: connection error: %s", c->errstr);
            return;
        }
        CHECK_REPLY_STATUS(r, "OK");
        freeReplyObject(r);
    }
}

long dataset_fill(redisContext *c) {
    if (!c || c->err) {
        test_fail(__FILE__, __LINE__, "dataset_fill: no connection");
        return 0;
    }
    long keys = 0, sent = 0;
#define FILL(...) (redisAppendCommand(c, __VA_ARGS__), sent++)
    static const char binkey[] = "bin\0key\r\n\xff";
    unsigned char all[256];
    for (int i = 0; i < 256; i++) all[i] = (unsigned char)i;
    char raw[201];
    memset(raw, 'r', 200);
    raw[200] = '\0';
    char longv[101];
    memset(longv, 'L', 100);
    longv[100] = '\0';
    size_t biglen = 1 << 20;
    char *big = malloc(biglen);
    for (size_t i = 0; i < biglen; i++) big[i] = (char)('a' + (i * 7 + i / 1000) % 26);

    /* Strings. */
    FILL("SELECT 0");
    FILL("SET str:int 12345"), keys++;
    FILL("SET str:neg -9223372036854775808"), keys++;
    FILL("SET str:embstr hello"), keys++;
    FILL("SET str:float 3.14"), keys++;
    FILL("SET str:zeros 0012"), keys++;
    FILL("SET str:raw %s", raw), keys++;
    FILL("SET str:big %b", big, biglen), keys++;
    FILL("SET str:empty %b", "", (size_t)0), keys++;
    FILL("SET str:bin %b", all, sizeof all), keys++;
    FILL("SET %b binkey-value", binkey, sizeof binkey - 1), keys++;
    FILL("SET %b emptykey-value", "", (size_t)0), keys++;
    FILL("SETBIT str:bits 100001 1"), keys++;
    FILL("SETBIT str:bits 7 1");
    { /* a dense HyperLogLog (a sparse one is a short raw string: embstr after a reload) */
        char cmd[3000 * 8 + 32], *o = cmd;
        o += sprintf(o, "PFADD str:hll");
        for (int i = 0; i < 3000; i++) o += sprintf(o, " h%d", i);
        FILL(cmd), keys++;
    }
    /* Lists. */
    FILL("RPUSH list:small a b 1 2 %b", "", (size_t)0), keys++;
    keys++;
    for (int i = 0; i < 5000; i += 100) { /* ints, short strings, 100-byte strings */
        char bufs[100][112];
        const char *argv[102] = {"RPUSH", "list:big"};
        size_t lens[102] = {5, 8};
        for (int j = 0; j < 100; j++) {
            int v = i + j;
            if (v % 97 == 0)
                snprintf(bufs[j], sizeof bufs[j], "%0100d", v);
            else if (v % 3 == 0)
                snprintf(bufs[j], sizeof bufs[j], "%d", v * 1000);
            else
                snprintf(bufs[j], sizeof bufs[j], "e%d", v);
            argv[j + 2] = bufs[j];
            lens[j + 2] = strlen(bufs[j]);
        }
        redisAppendCommandArgv(c, 102, argv, lens);
        sent++;
    }
    FILL("RPUSH list:bin %b %b x", all, sizeof all, binkey, sizeof binkey - 1), keys++;
    /* Hashes. */
    FILL("HSET hash:small f1 v1 f2 2 %b emptyfield f3 %b", "", (size_t)0, "", (size_t)0), keys++;
    keys++;
    for (int i = 0; i < 1000; i += 100) {
        char cmd[100 * 32 + 32], *o = cmd;
        o += sprintf(o, "HSET hash:big");
        for (int j = i; j < i + 100; j++) o += sprintf(o, " f%d v%d", j, j * 3);
        FILL(cmd);
    }
    FILL("HSET hash:long f %s g short", longv), keys++;
    FILL("HSET hash:bin %b %b", binkey, sizeof binkey - 1, all, sizeof all), keys++;
    /* Sets. */
    FILL("SADD set:intset 1 2 3 -5 100000"), keys++;
    keys += 2;
    for (int i = 0; i < 1000; i += 100) {
        char cmd[100 * 16 + 32], *o = cmd;
        o += sprintf(o, "SADD set:intbig");
        for (int j = i; j < i + 100; j++) o += sprintf(o, " %d", j * 11);
        FILL(cmd);
        if (i < 300) {
            o = cmd;
            o += sprintf(o, "SADD set:int300");
            for (int j = i; j < i + 100; j++) o += sprintf(o, " %d", -j);
            FILL(cmd);
        }
    }
    FILL("SADD set:small a b c %b", "", (size_t)0), keys++;
    keys++;
    for (int i = 0; i < 1000; i += 100) {
        char cmd[100 * 16 + 32], *o = cmd;
        o += sprintf(o, "SADD set:big");
        for (int j = i; j < i + 100; j++) o += sprintf(o, " m%d", j);
        FILL(cmd);
    }
    FILL("SADD set:bin %b %b", binkey, sizeof binkey - 1, all, sizeof all), keys++;
    /* Sorted sets. */
    FILL("ZADD zset:small 1.5 a -inf b inf c 0 d 3 %b 0.1 e", "", (size_t)0), keys++;
    keys++;
    for (int i = 0; i < 500; i += 100) {
        char cmd[100 * 32 + 32], *o = cmd;
        o += sprintf(o, "ZADD zset:big");
        for (int j = i; j < i + 100; j++) o += sprintf(o, " %.2f z%d", j * 0.25 - 10, j);
        FILL(cmd);
    }
    FILL("ZADD zset:long 1 %s 2 short", longv), keys++;
    FILL("ZADD zset:bin 7 %b -1e300 %b", binkey, sizeof binkey - 1, all, sizeof all), keys++;
    /* TTLs. */
    FILL("SET ttl:str v PX 60000"), keys++;
    FILL("RPUSH ttl:list a b"), keys++;
    FILL("PEXPIRE ttl:list 70000");
    FILL("HSET ttl:hash f v"), keys++;
    FILL("PEXPIRE ttl:hash 80000");
    FILL("SADD ttl:set 1 2"), keys++;
    FILL("PEXPIRE ttl:set 90000");
    FILL("ZADD ttl:zset 1 a"), keys++;
    FILL("PEXPIRE ttl:zset 100000");
    /* Other databases. */
    FILL("SELECT 3");
    FILL("SET str:int 999"), keys++;
    FILL("RPUSH list:db3 x y"), keys++;
    FILL("SET ttl:db3 v PX 90000"), keys++;
    FILL("SELECT 15");
    FILL("HSET hash:db15 a b"), keys++;
    FILL("SELECT 0");
#undef FILL
    drain_replies(c, sent);
    free(big);
    return keys;
}

typedef struct {
    int db;
    char *key;
    size_t klen;
    char *blob; /* type, encoding and contents, length-prefixed */
    size_t blen;
    long long pttl, at_ms;
} ds_entry;

struct dataset {
    ds_entry *e;
    long n, cap;
};

typedef struct {
    char *buf;
    size_t len, cap;
} bytes;

static void bytes_add(bytes *b, const void *p, size_t n) {
    if (b->len + n + 32 > b->cap) {
        while (b->len + n + 32 > b->cap) b->cap = b->cap ? b->cap * 2 : 256;
        b->buf = realloc(b->buf, b->cap);
    }
    b->len += (size_t)sprintf(b->buf + b->len, "%zu:", n);
    memcpy(b->buf + b->len, p, n);
    b->len += n;
    b->buf[b->len++] = ',';
}

static int cmp_bin(const char *a, size_t al, const char *b, size_t bl) {
    int r = memcmp(a, b, al < bl ? al : bl);
    return r ? r : (al < bl ? -1 : al > bl);
}

static int cmp_reply_str(const void *a, const void *b) {
    const redisReply *x = *(redisReply *const *)a, *y = *(redisReply *const *)b;
    return cmp_bin(x->str, x->len, y->str, y->len);
}

/* Pairs (field, value) compared by field. */
static int cmp_reply_pair(const void *a, const void *b) {
    const redisReply *const *x = a, *const *y = b;
    return cmp_bin(x[0]->str, x[0]->len, y[0]->str, y[0]->len);
}

static redisReply *key_cmd(redisContext *c, const char *cmd, const char *key, size_t klen,
                           const char *extra1, const char *extra2) {
    const char *argv[4] = {cmd, key, extra1, extra2};
    size_t lens[4] = {strlen(cmd), klen, extra1 ? strlen(extra1) : 0, extra2 ? strlen(extra2) : 0};
    int argc = extra2 ? 4 : extra1 ? 3 : 2;
    return redisCommandArgv(c, argc, argv, lens);
}

void dataset_free(dataset *d) {
    if (!d) return;
    for (long i = 0; i < d->n; i++) {
        free(d->e[i].key);
        free(d->e[i].blob);
    }
    free(d->e);
    free(d);
}

long dataset_keys(const dataset *d) { return d ? d->n : -1; }

dataset *dataset_capture(redisContext *c) {
    if (!c || c->err) {
        test_fail(__FILE__, __LINE__, "dataset_capture: no connection");
        return NULL;
    }
    dataset *d = calloc(1, sizeof *d);
    for (int db = 0; db < 16; db++) {
        redisReply *sel = redisCommand(c, "SELECT %d", db);
        bool ok = sel && sel->type == REDIS_REPLY_STATUS;
        if (sel) freeReplyObject(sel);
        if (!ok) break;
        redisReply *keys = redisCommand(c, "KEYS *");
        if (!keys || keys->type != REDIS_REPLY_ARRAY) {
            test_fail(__FILE__, __LINE__, "dataset_capture: KEYS * in db %d: %s", db,
                      reply_describe(keys));
            if (keys) freeReplyObject(keys);
            dataset_free(d);
            return NULL;
        }
        if (keys->elements > 1) /* hiredis leaves element NULL for an empty array */
            qsort(keys->element, keys->elements, sizeof *keys->element, cmp_reply_str);
        for (size_t i = 0; i < keys->elements; i++) {
            const char *k = keys->element[i]->str;
            size_t kl = keys->element[i]->len;
            bytes b = {0};
            redisReply *t = key_cmd(c, "TYPE", k, kl, NULL, NULL);
            const char *oe[3] = {"OBJECT", "ENCODING", k};
            size_t oel[3] = {6, 8, kl};
            redisReply *enc = redisCommandArgv(c, 3, oe, oel);
            const char *type = t && t->type == REDIS_REPLY_STATUS ? t->str : "?";
            bytes_add(&b, type, strlen(type));
            if (enc && enc->type == REDIS_REPLY_STRING)
                bytes_add(&b, enc->str, enc->len);
            else
                bytes_add(&b, "?", 1);
            redisReply *v = NULL;
            if (!strcmp(type, "string"))
                v = key_cmd(c, "GET", k, kl, NULL, NULL);
            else if (!strcmp(type, "list"))
                v = key_cmd(c, "LRANGE", k, kl, "0", "-1");
            else if (!strcmp(type, "hash"))
                v = key_cmd(c, "HGETALL", k, kl, NULL, NULL);
            else if (!strcmp(type, "set"))
                v = key_cmd(c, "SMEMBERS", k, kl, NULL, NULL);
            else if (!strcmp(type, "zset")) {
                const char *za[5] = {"ZRANGE", k, "0", "-1", "WITHSCORES"};
                size_t zl[5] = {6, kl, 1, 2, 10};
                v = redisCommandArgv(c, 5, za, zl);
            }
            if (v && v->type == REDIS_REPLY_ARRAY) {
                /* hiredis leaves element NULL for an empty array: no qsort of it. */
                if (!strcmp(type, "set") && v->elements > 1)
                    qsort(v->element, v->elements, sizeof *v->element, cmp_reply_str);
                else if (!strcmp(type, "hash") && v->elements > 2)
                    qsort(v->element, v->elements / 2, 2 * sizeof *v->element, cmp_reply_pair);
                for (size_t j = 0; j < v->elements; j++)
                    bytes_add(&b, v->element[j]->str, v->element[j]->len);
            } else if (v && v->type == REDIS_REPLY_STRING) {
                bytes_add(&b, v->str, v->len);
            } else {
                const char *what = reply_describe(v);
                bytes_add(&b, what, strlen(what));
            }
            redisReply *p = key_cmd(c, "PTTL", k, kl, NULL, NULL);
            if (d->n == d->cap) {
                d->cap = d->cap ? d->cap * 2 : 64;
                d->e = realloc(d->e, (size_t)d->cap * sizeof *d->e);
            }
            ds_entry *e = &d->e[d->n++];
            e->db = db;
            e->key = malloc(kl + 1);
            memcpy(e->key, k, kl);
            e->key[kl] = '\0';
            e->klen = kl;
            e->blob = b.buf ? b.buf : strdup("");
            e->blen = b.len;
            e->pttl = p && p->type == REDIS_REPLY_INTEGER ? p->integer : LLONG_MIN;
            e->at_ms = now_ms();
            if (t) freeReplyObject(t);
            if (enc) freeReplyObject(enc);
            if (v) freeReplyObject(v);
            if (p) freeReplyObject(p);
        }
        freeReplyObject(keys);
    }
    redisReply *sel = redisCommand(c, "SELECT 0");
    if (sel) freeReplyObject(sel);
    if (c->err) {
        test_fail(__FILE__, __LINE__, "dataset_capture: connection error: %s", c->errstr);
        dataset_free(d);
        return NULL;
    }
    return d;
}

static int cmp_entry(const ds_entry *a, const ds_entry *b) {
    if (a->db != b->db) return a->db < b->db ? -1 : 1;
    return cmp_bin(a->key, a->klen, b->key, b->klen);
}

bool dataset_same_at(const char *file, int line, const dataset *a, const dataset *b,
                     long long slack_ms) {
    if (!a || !b) {
        test_fail(file, line, "dataset comparison: a capture is missing");
        return false;
    }
    int diffs = 0;
    long i = 0, j = 0;
    while ((i < a->n || j < b->n) && diffs < 5) {
        const ds_entry *x = i < a->n ? &a->e[i] : NULL, *y = j < b->n ? &b->e[j] : NULL;
        int cmp = !x ? 1 : !y ? -1 : cmp_entry(x, y);
        const ds_entry *one = cmp <= 0 ? x : y;
        char *k = escape_bytes(one->key, one->klen, 60);
        if (cmp < 0) {
            test_fail(file, line, "db %d key \"%s\" is missing afterwards", x->db, k);
            diffs++, i++;
        } else if (cmp > 0) {
            test_fail(file, line, "db %d key \"%s\" appeared afterwards", y->db, k);
            diffs++, j++;
        } else {
            if (x->blen != y->blen || memcmp(x->blob, y->blob, x->blen) != 0) {
                size_t at = 0;
                while (at < x->blen && at < y->blen && x->blob[at] == y->blob[at]) at++;
                size_t from = at > 30 ? at - 30 : 0;
                char *ex = escape_bytes(x->blob + from, x->blen - from, 120);
                char *ey = escape_bytes(y->blob + from, y->blen - from, 120);
                test_fail(file, line,
                          "db %d key \"%s\" differs (type, encoding, contents) at byte "
                          "%zu:\n      before: ...%s\n      after:  ...%s",
                          x->db, k, at, ex, ey);
                free(ex);
                free(ey);
                diffs++;
            }
            bool ttl_ok;
            if (x->pttl < 0 || y->pttl < 0)
                ttl_ok = x->pttl == y->pttl;
            else
                ttl_ok =
                    y->pttl <= x->pttl && y->pttl >= x->pttl - (y->at_ms - x->at_ms) - slack_ms;
            if (!ttl_ok) {
                test_fail(file, line,
                          "db %d key \"%s\": PTTL %lld before, %lld after (%lld ms later, "
                          "slack %lld ms)",
                          x->db, k, x->pttl, y->pttl, y->at_ms - x->at_ms, slack_ms);
                diffs++;
            }
            i++, j++;
        }
        free(k);
    }
    if (diffs == 5) test_fail(file, line, "(further differences not shown)");
    return diffs == 0;
}
