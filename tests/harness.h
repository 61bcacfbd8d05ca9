/* tests/harness.h: black-box harness for the integration tests.
 *
 * Starts the server binary as a child process and talks to it over TCP, either with
 * Debian's hiredis 0.14 (RESP2 only) or with raw bytes on a plain socket (RESP3 replies,
 * protocol errors, pipelines, split writes). It knows nothing of Cairn's own code: the
 * same tests run against real Redis (CAIRN_TEST_SERVER=/usr/bin/redis-server), which is
 * how every expectation here was checked.
 *
 * Terms and ownership:
 *  - srv: one running server. srv_start*() picks a free port, makes a fresh temporary
 *    directory (the child's cwd, so dump files never land in the repo), writes the log
 *    there and waits until the server answers (polling with a deadline, no fixed sleep).
 *    srv_stop() sends SIGTERM, waits, records a test failure (with the log tail) if the
 *    server died by a signal, exited non-zero or hung, and removes the directory.
 *    Servers still running when the test binary exits are killed (atexit).
 *  - The binary is $CAIRN_TEST_SERVER, default "src/cairn-server", relative to the cwd
 *    the tests run in (the repo root).
 *  - Every EXPECT_* / CHECK_REPLY_* / raw_* check records failures through test_fail()
 *    with the caller's file:line and goes on; functions that return something return a
 *    neutral value (NULL, -1, LLONG_MIN) after a failure. All accept a NULL context.
 *
 * Usage:
 *   srv *s = srv_start((const char *[]){"--requirepass", "pw", NULL});
 *   if (!s) return;
 *   redisContext *c = srv_connect(s);
 *   EXPECT_ERR(c, "NOAUTH Authentication required.", "GET k");
 *   EXPECT_STATUS(c, "OK", "AUTH pw");
 *   EXPECT_ARRAY_STRS(c, ((const char *[]){"v", NULL}), 2, "MGET k nokey");
 *   redisFree(c);
 *   srv_stop(s);
 *
 * Commands use hiredis's printf-like format: %s for C strings, %b (pointer, size_t) for
 * binary-safe arguments, and arguments are split on spaces in the format itself. */
#ifndef CAIRN_TEST_HARNESS_H
#define CAIRN_TEST_HARNESS_H

#include <hiredis/hiredis.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "tests/test.h"

/* ---- servers ---------------------------------------------------------------------- */

typedef struct srv srv;

/* A file written into the server's temporary directory before start. */
typedef struct {
    const char *name; /* relative to the directory */
    const char *text; /* "@DIR@" is replaced by the directory's absolute path */
} srv_file;

typedef struct {
    const char *const *args; /* extra arguments after --port P --bind 127.0.0.1; NULL-terminated */
    const char *conf;        /* if set: written to DIR/cairn.conf and passed as first argument
                                ("@DIR@" substituted as for files) */
    const srv_file *files;   /* extra files, terminated by {NULL, NULL}; may be NULL */
    bool up_when_loading;    /* a -LOADING reply counts as "up" (to watch a slow load); by
                                default the start waits until the dataset is loaded */
    int start_timeout_ms;    /* how long to wait for an answer; 0 means 10 s */
} srv_opts;

/* An argument list for srv_start() and srv_restart(): a suite's own fixed arguments, then
 * a test's. srv_args(base, "--appendonly", "yes", NULL).v holds base's entries (a
 * NULL-terminated array), then the given ones up to a NULL (none: srv_args(base, NULL)),
 * NULL-terminated; at most 63 in all (more are dropped, recorded). A suite names its base
 * once:
 *   #define args_with(...) srv_args((const char *[]){"--save", "", NULL}, __VA_ARGS__)
 *   srv_argv a = args_with("--appendonly", "yes", NULL);
 *   srv *s = srv_start(a.v); */
typedef struct {
    const char *v[64];
} srv_argv;
srv_argv srv_args(const char *const *base, ...);

/* Start a server with extra arguments (NULL-terminated array, or NULL). NULL on failure
 * (already recorded, with the log tail printed). */
srv *srv_start(const char *const *extra_args);
srv *srv_start_opts(const srv_opts *opts);
/* SIGTERM, wait, check the exit, remove the directory. Returns true on a clean exit
 * (status 0). Accepts NULL; a server that already exited (e.g. SHUTDOWN) is just reaped. */
bool srv_stop(srv *s);
/* Wait up to timeout_ms for the process to exit by itself; true if it did, with its
 * waitpid status in *status. srv_stop() must still be called to clean up. */
bool srv_wait_exit(srv *s, int timeout_ms, int *status);

int srv_port(const srv *s);
/* True if s is Cairn rather than another Redis-compatible server (INFO reports
 * cairn_version): suites run against real Redis too and keep Cairn-only checks
 * behind this. */
bool srv_is_cairn(srv *s);
/* The same for a suite whose tests start their own servers, asked once in main(): starts
 * a server with args, asks, stops it. That runs as the test "server starts" (a binary
 * that does not start fails it), or without counting as one when TEST_FILTER leaves that
 * test out: the suite needs the answer whichever tests run. */
bool srv_detect_cairn(const char *const *args);
int srv_pid(const srv *s);
const char *srv_log_path(const srv *s);
const char *srv_dir(const srv *s);
const char *srv_conf_path(const srv *s); /* NULL without a config file */
/* The whole log so far (malloc'd, caller frees; "" if unreadable). */
char *srv_log_text(const srv *s);

/* Run the server binary with the given options in a fresh directory and wait up to
 * timeout_ms for it to exit by itself (for start-up failures). Returns its waitpid status,
 * or -1 if it was still running (then it is killed). *output gets everything it printed
 * (malloc'd, caller frees). */
int srv_run_to_exit(const srv_opts *opts, int timeout_ms, char **output);

/* Restarts, for persistence tests. A server's directory outlives its process until
 * srv_stop(): kill it, then start the binary again in the same directory (its dump and
 * AOF files, its config file) with other arguments. Each run gets a new port and a
 * fresh server.log; the previous runs' logs are kept as server.log.1, server.log.2, ...
 *
 *   srv *s = srv_start((const char *[]){"--appendonly", "yes", NULL});
 *   ... writes ...
 *   srv_kill(s, SIGKILL);
 *   if (!srv_restart(s, (const char *[]){"--appendonly", "yes", NULL})) { srv_stop(s); return; }
 *   ... check the data ...
 *   srv_stop(s);
 */
/* Send sig and wait (up to 10 s) until the process is gone; the directory stays. Whatever
 * exit the signal causes is expected: a later srv_stop() only cleans up. True if it is
 * gone (also when it had already exited). */
bool srv_kill(srv *s, int sig);
/* Start the binary again in s's directory with opts->args (the previous run's arguments
 * are not reused; a config file written earlier is passed again unless opts->conf
 * replaces it; opts->files are written first). A server still running is stopped first
 * as srv_stop() does (SIGTERM, a clean exit expected). Waits like srv_start_opts() (also
 * up_when_loading, start_timeout_ms). True once it answers; false (recorded, log tail
 * printed) if it exited or did not answer in time, after which s is not running and
 * srv_stop() only cleans up. */
bool srv_restart_opts(srv *s, const srv_opts *opts);
bool srv_restart(srv *s, const char *const *args);
/* The start-up failure counterpart of srv_restart_opts(): run the binary in s's
 * directory (s must not be running) and wait up to timeout_ms for it to exit by itself.
 * Returns its waitpid status, or -1 if it started anyway (answered anything but
 * -LOADING) or was still running at the deadline; it is then killed. *output gets that
 * run's log (malloc'd, caller frees). Records nothing itself. */
int srv_run_to_exit_in(srv *s, const srv_opts *opts, int timeout_ms, char **output);
/* A start in s's directory (s not running) with these arguments that must fail: the
 * binary exits by itself within 10 s with a non-zero status, not by a signal. Returns that
 * run's log (malloc'd, caller frees), or NULL after recording a failure. */
#define EXPECT_START_REFUSED(s, args) srv_expect_refused_at(__FILE__, __LINE__, (s), (args))
char *srv_expect_refused_at(const char *file, int line, srv *s, const char *const *args);
/* The server's child processes (a BGSAVE or AOF rewrite child), from /proc: up to max
 * pids in pids; returns how many. A test that kills a server -9 mid-save kills these too
 * (an orphaned child would otherwise finish its file behind the test's back). */
int srv_children(srv *s, int *pids, int max);
/* srv_kill(), after sending sig to the server's children (srv_children()) too. */
bool srv_kill_with_children(srv *s, int sig);
/* Does a new connection get an answer within 2 s? (A server whose listener was closed,
 * e.g. by a forked child, still completes the TCP handshake from the backlog, but never
 * replies.) Records nothing. */
bool srv_serves_new_connection(srv *s);
/* The waitpid status of the last run, once it has exited; -1 while it runs. */
int srv_exit_status(srv *s);
/* "<dir>/<name>" in buf (returned). */
const char *srv_path(const srv *s, const char *name, char *buf, size_t cap);

/* Whole files as bytes, for tests that copy, cut or damage them. file_read: malloc'd,
 * NUL added, *len set (may be NULL); NULL if unreadable. file_write: creates or replaces
 * the file with exactly these bytes; false on any error. */
char *file_read(const char *path, size_t *len);
bool file_write(const char *path, const void *buf, size_t len);

/* A small tmpfs for disk-error tests (a full or read-only directory); one at a time, at a
 * new directory under /tmp. tmpfs_mount(size, test) mounts one of that size ("1m") and
 * returns its path; where that is not possible (mount(8) needs root) it prints
 * "  skipped <test>: <why>" and returns NULL, and the test returns at once (and passes).
 * tmpfs_umount() unmounts and removes it (recorded on failure) and does nothing when none
 * is mounted: main() calls it once more at the end, in case a test returned early.
 * tmpfs_remount(mode): "ro" or "rw". tmpfs_fill(leave) writes the file "filler" in it
 * until no byte more fits, except leave bytes kept free (0: none); tmpfs_unfill() deletes
 * "filler". These three record failures and return false after one. */
const char *tmpfs_mount(const char *size, const char *test);
void tmpfs_umount(void);
#define tmpfs_remount(mode) tmpfs_remount_at(__FILE__, __LINE__, (mode))
#define tmpfs_fill(leave) tmpfs_fill_at(__FILE__, __LINE__, (leave))
#define tmpfs_unfill() tmpfs_unfill_at(__FILE__, __LINE__)
bool tmpfs_remount_at(const char *file, int line, const char *mode);
bool tmpfs_fill_at(const char *file, int line, size_t leave);
bool tmpfs_unfill_at(const char *file, int line);

/* An unused TCP port on 127.0.0.1 (bound to port 0, then released). */
int free_port(void);
long long now_ms(void);
void sleep_ms(int ms);

/* ---- hiredis helpers -------------------------------------------------------------- */

#define srv_connect(s) srv_connect_at(__FILE__, __LINE__, (s))
redisContext *srv_connect_at(const char *file, int line, srv *s);
/* Local port of a hiredis connection or a raw socket (to find it in CLIENT LIST). */
int conn_local_port(int fd);

/* Run a command; the caller frees the reply. NULL (recorded) on a connection error. */
#define CMD(c, ...) cmd_at(__FILE__, __LINE__, (c), __VA_ARGS__)
#define CMD_ARGV(c, argc, argv, lens) cmd_argv_at(__FILE__, __LINE__, (c), (argc), (argv), (lens))
/* The integer reply (LLONG_MIN and a recorded failure if it is anything else). */
#define CMD_INT(c, ...) cmd_int_at(__FILE__, __LINE__, (c), __VA_ARGS__)
/* A malloc'd copy of a bulk or status reply (NULL and a recorded failure otherwise). */
#define CMD_STR(c, ...) cmd_str_at(__FILE__, __LINE__, (c), __VA_ARGS__)
/* For blocking commands and pipelines: cmd_send_only() sends a command (a hiredis format
 * with no arguments) without waiting for its reply; cmd_next_reply() waits for the next
 * reply (the caller frees it; NULL on a connection error, not recorded). */
void cmd_send_only(redisContext *c, const char *cmd);
redisReply *cmd_next_reply(redisContext *c);

redisReply *cmd_at(const char *file, int line, redisContext *c, const char *fmt, ...);
redisReply *cmd_argv_at(const char *file, int line, redisContext *c, int argc, const char **argv,
                        const size_t *lens);
long long cmd_int_at(const char *file, int line, redisContext *c, const char *fmt, ...);
char *cmd_str_at(const char *file, int line, redisContext *c, const char *fmt, ...);

/* Checks of a reply already in hand (e.g. an element of an array). Return true if it
 * matched. */
#define CHECK_REPLY_STATUS(r, exp) reply_status_at(__FILE__, __LINE__, (r), (exp))
#define CHECK_REPLY_INT(r, exp) reply_int_at(__FILE__, __LINE__, (r), (exp))
#define CHECK_REPLY_BULK(r, exp) reply_bulk_at(__FILE__, __LINE__, (r), (exp), strlen(exp))
#define CHECK_REPLY_BULK_LEN(r, exp, len) reply_bulk_at(__FILE__, __LINE__, (r), (exp), (len))
#define CHECK_REPLY_NIL(r) reply_nil_at(__FILE__, __LINE__, (r))
#define CHECK_REPLY_ERR(r, exp) reply_err_at(__FILE__, __LINE__, (r), (exp), false)
#define CHECK_REPLY_ERR_PREFIX(r, exp) reply_err_at(__FILE__, __LINE__, (r), (exp), true)
#define CHECK_REPLY_ARRAY(r, n) reply_array_at(__FILE__, __LINE__, (r), (n))
#define CHECK_REPLY_STRS(r, exp, n) reply_strs_at(__FILE__, __LINE__, (r), (exp), (n), false)
#define CHECK_REPLY_STRS_UNORDERED(r, exp, n) reply_strs_at(__FILE__, __LINE__, (r), (exp), (n), true)

bool reply_status_at(const char *file, int line, const redisReply *r, const char *exp);
bool reply_int_at(const char *file, int line, const redisReply *r, long long exp);
bool reply_bulk_at(const char *file, int line, const redisReply *r, const char *exp, size_t len);
bool reply_nil_at(const char *file, int line, const redisReply *r);
bool reply_err_at(const char *file, int line, const redisReply *r, const char *exp, bool prefix);
/* An array of exactly n elements (n < 0: any length). */
bool reply_array_at(const char *file, int line, const redisReply *r, long n);
/* An array of bulk strings equal to exp[0..n) (a NULL entry means a nil element), in
 * order, or in any order if unordered. */
bool reply_strs_at(const char *file, int line, const redisReply *r, const char *const *exp,
                   size_t n, bool unordered);

/* Run a command and check its reply in one line. The command is printf-like (see top). */
#define EXPECT_STATUS(c, exp, ...) expect_at(__FILE__, __LINE__, (c), 's', (exp), 0, 0, __VA_ARGS__)
#define EXPECT_INT(c, exp, ...) expect_at(__FILE__, __LINE__, (c), 'i', NULL, (exp), 0, __VA_ARGS__)
#define EXPECT_BULK(c, exp, ...) expect_at(__FILE__, __LINE__, (c), 'b', (exp), 0, strlen(exp), __VA_ARGS__)
#define EXPECT_BULK_LEN(c, exp, len, ...) expect_at(__FILE__, __LINE__, (c), 'b', (exp), 0, (len), __VA_ARGS__)
#define EXPECT_NIL(c, ...) expect_at(__FILE__, __LINE__, (c), 'n', NULL, 0, 0, __VA_ARGS__)
#define EXPECT_ERR(c, exp, ...) expect_at(__FILE__, __LINE__, (c), 'e', (exp), 0, 0, __VA_ARGS__)
#define EXPECT_ERR_PREFIX(c, exp, ...) expect_at(__FILE__, __LINE__, (c), 'p', (exp), 0, 0, __VA_ARGS__)
/* exp is a const char *[] of n entries; NULL entries are nil elements. Wrap a compound
 * literal in parentheses: EXPECT_ARRAY_STRS(c, ((const char *[]){"a", NULL}), 2, "MGET a b"). */
#define EXPECT_ARRAY_STRS(c, exp, n, ...) expect_strs_at(__FILE__, __LINE__, (c), (exp), (n), false, __VA_ARGS__)
#define EXPECT_ARRAY_UNORDERED(c, exp, n, ...) expect_strs_at(__FILE__, __LINE__, (c), (exp), (n), true, __VA_ARGS__)
/* A bulk string that parses as a number within 1e-9 (relative) of exp. */
#define EXPECT_DOUBLE_BULK(c, exp, ...) expect_double_at(__FILE__, __LINE__, (c), (exp), __VA_ARGS__)

void expect_at(const char *file, int line, redisContext *c, char kind, const char *exp_str,
               long long exp_int, size_t exp_len, const char *fmt, ...);
void expect_strs_at(const char *file, int line, redisContext *c, const char *const *exp, size_t n,
                    bool unordered, const char *fmt, ...);
void expect_double_at(const char *file, int line, redisContext *c, double exp, const char *fmt, ...);

/* A printable, escaped description of a reply, for failure messages (static buffer). */
const char *reply_describe(const redisReply *r);

/* SCAN: iterates SCAN <cursor> <opts> to the end and returns the keys seen, sorted,
 * duplicates removed, joined by ',' (at most 256 keys of 15 bytes). Caller frees.
 * CHECK_SCAN compares that with the expected list. */
char *scan_collect(redisContext *c, const char *opts);
#define CHECK_SCAN(c, opts, want)                                                                  \
    do {                                                                                           \
        char *got_ = scan_collect((c), (opts));                                                    \
        if (strcmp(got_, (want)) != 0)                                                             \
            test_fail(__FILE__, __LINE__, "SCAN ... %s gave {%s}, expected {%s}", (opts), got_, (want)); \
        free(got_);                                                                                \
    } while (0)


/* INFO helpers; they record nothing, so they can sit inside WAIT_FOR(). */
/* The value of "field:" in INFO <section> (malloc'd), or NULL if absent. */
char *info_field(redisContext *c, const char *section, const char *field);
/* The same parsed as an integer, LLONG_MIN if absent or not a number. */
long long info_int(redisContext *c, const char *section, const char *field);
/* A field inside a comma-separated INFO value: info_subfield("keys=3,expires=1", "keys"). */
long long info_subfield(const char *value, const char *name);
/* Does the multi-line text contain this exact line (CRLF or LF separated)? */
bool has_line(const char *text, const char *line);
/* CHECK_CMDSTAT(c, "get", calls, rejected_calls, failed_calls): INFO commandstats
 * "cmdstat_get:calls=2,usec=..,usec_per_call=..,rejected_calls=1,failed_calls=1". */
void check_cmdstat(const char *file, int line, redisContext *c, const char *cmd, long long calls,
                   long long rejected, long long failed);
#define CHECK_CMDSTAT(c, cmd, calls, rej, failed)                                                  \
    check_cmdstat(__FILE__, __LINE__, c, cmd, calls, rej, failed)
/* INFO clients blocked_clients. */
long long info_blocked_clients(redisContext *c);
/* INFO persistence, for the persistence suites: info_persist() is a field as an integer
 * (as info_int()), info_persist_is() whether it is exactly want (false if absent).
 * CHECK_INFO_PERSIST(c, field, want) records a failure unless it is. */
long long info_persist(redisContext *c, const char *field);
bool info_persist_is(redisContext *c, const char *field, const char *want);
#define CHECK_INFO_PERSIST(c, field, want)                                                         \
    do {                                                                                           \
        char *v_ = info_field((c), "persistence", (field));                                        \
        if (!v_ || strcmp(v_, (want)) != 0)                                                        \
            test_fail(__FILE__, __LINE__, "INFO persistence %s:%s, expected %s", (field),          \
                      v_ ? v_ : "(absent)", (want));                                               \
        free(v_);                                                                                  \
    } while (0)

/* ---- whole datasets (persistence round trips) --------------------------------------- */

/* dataset_fill: a deterministic dataset of every type and encoding: strings (int, embstr,
 * raw, 1 MB, empty, binary, a bitmap, a HyperLogLog), lists (small, 5,000 elements,
 * binary), hashes (small, 1,000 fields, a long value, empty field and value), sets (small
 * intset, 300-int intset, 1,000 ints, small and large string sets, a member ""), sorted
 * sets (small with +/-inf and fractions, 500 members, a long member), binary keys and the
 * key "", keys with TTLs (tens of seconds) and keys in dbs 3 and 15. Leaves db 0 selected.
 * Returns the number of keys written.
 *
 * dataset_capture: every key of dbs 0..15 with its type, OBJECT ENCODING, full contents
 * (set members and hash fields sorted; lists and sorted sets in order) and PTTL. Selects
 * db 0 at the end. NULL (recorded) on a connection error. CHECK_SAME_DATASET(before,
 * after, slack_ms) compares two captures: the same keys with the same type, encoding and
 * contents; a TTL must still be there and may have shrunk by the time between the
 * captures plus slack_ms, never grown. The first few differences are reported. */
typedef struct dataset dataset;
long dataset_fill(redisContext *c);
dataset *dataset_capture(redisContext *c);
void dataset_free(dataset *d);
long dataset_keys(const dataset *d);
#define CHECK_SAME_DATASET(before, after, slack_ms)                                                \
    dataset_same_at(__FILE__, __LINE__, (before), (after), (slack_ms))
bool dataset_same_at(const char *file, int line, const dataset *before, const dataset *after,
                     long long slack_ms);

/* n plain keys: "<key_prefix><i>" = "<value_prefix><i>" for i in 0..n-1, in pipelined MSETs
 * of 100; every reply must be +OK (recorded otherwise). */
void dataset_write_keys(redisContext *c, const char *key_prefix, const char *value_prefix, int n);

/* ---- raw sockets ------------------------------------------------------------------ */

/* All raw reads wait at most RAW_DEADLINE_MS. */
#define RAW_DEADLINE_MS 10000

#define raw_connect(s) raw_connect_at(__FILE__, __LINE__, (s))
#define raw_send(fd, buf, len) raw_send_at(__FILE__, __LINE__, (fd), (buf), (len))
#define raw_send_str(fd, str) raw_send_at(__FILE__, __LINE__, (fd), (str), strlen(str))
/* Read exactly len bytes and compare them with exp. */
#define raw_expect(fd, exp, len) raw_expect_at(__FILE__, __LINE__, (fd), (exp), (len))
#define raw_expect_str(fd, exp) raw_expect_at(__FILE__, __LINE__, (fd), (exp), strlen(exp))
/* The peer closes the connection (reads EOF or a reset) with no more bytes first. */
#define raw_expect_closed(fd) raw_expect_closed_at(__FILE__, __LINE__, (fd))
/* Read one complete RESP2/RESP3 value, returned as its raw bytes (malloc'd, NUL-added,
 * *len set). It only frames the bytes; it does not interpret them. */
#define raw_read_frame(fd, len) raw_read_frame_at(__FILE__, __LINE__, (fd), (len))

int raw_connect_at(const char *file, int line, srv *s);
bool raw_send_at(const char *file, int line, int fd, const void *buf, size_t len);
bool raw_expect_at(const char *file, int line, int fd, const void *exp, size_t len);
bool raw_expect_closed_at(const char *file, int line, int fd);
char *raw_read_frame_at(const char *file, int line, int fd, size_t *len);
/* Escape bytes for printing: \r \n \t \\ \" and \xNN; at most max input bytes (then "...").
 * Returns a malloc'd string. */
char *escape_bytes(const void *buf, size_t len, size_t max);

/* ---- polling ---------------------------------------------------------------------- */

/* Evaluate cond every 2 ms until it is true or timeout_ms passes; records a failure on
 * timeout. Evaluates to the final truth value:  WAIT_FOR(dbsize(c) == 0, 2000); */
#define WAIT_FOR(cond, timeout_ms)                                                                 \
    ({                                                                                             \
        long long wf_deadline_ = now_ms() + (timeout_ms);                                          \
        bool wf_ok_;                                                                               \
        while (!(wf_ok_ = (cond)) && now_ms() < wf_deadline_) sleep_ms(2);                         \
        if (!wf_ok_) test_fail(__FILE__, __LINE__, "WAIT_FOR(%s) still false after %d ms", #cond,  \
                               (int)(timeout_ms));                                                 \
        wf_ok_;                                                                                    \
    })

#endif
