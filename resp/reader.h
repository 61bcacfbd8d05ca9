/* resp/reader.h: incremental, bounded RESP request reader (multibulk and inline).
 *
 * What it does. Turns the bytes a client sent into commands, one at a time: either a
 * multibulk request ("*<n>\r\n" then n times "$<len>\r\n<bytes>\r\n") or an inline
 * line ("SET k \"a b\"\n", split like Redis's sdssplitargs). It follows Redis's request
 * reader: the same limits, the same "Protocol error: ..." texts.
 *
 * Terms. "buf" is the caller's query buffer from the first byte not yet consumed; that
 * byte is the start of the command being read. A command is "complete" once all of its
 * bytes, including the CRLF after its last bulk, are in buf.
 *
 * Ownership. The caller owns buf. After RESP_OK, argv[i] points INTO buf for multibulk
 * commands (zero copy) and into reader-owned storage for inline ones; either way the
 * pointers, argvlen and argc stay valid until the caller changes those bytes or calls
 * resp_reader_feed()/resp_reader_reset() again. The reader owns its argv/argvlen arrays
 * and its inline scratch buffer; resp_reader_deinit() frees them.
 *
 * Invariants.
 *  - Any split of the byte stream yields the same commands and the same error.
 *  - RESP_NEED_MORE consumes nothing: the caller keeps the bytes and calls again with
 *    the same bytes (they may have moved in memory) plus whatever arrived since. The
 *    reader remembers its progress as offsets from the command start and resumes
 *    there, so a command costs linear time however it is cut into reads.
 *  - Every length is checked against its limit before it is used; a declared length
 *    never causes an allocation. argv/argvlen preallocate at most
 *    RESP_ARGV_PREALLOC_MAX entries and grow by doubling as arguments actually arrive.
 *    Once the arrays have grown, parsing a command allocates nothing.
 *  - After an error the reader stays failed (every feed returns RESP_ERR_PROTO) until
 *    resp_reader_reset(); r->err holds Redis's exact text without the leading '-' and
 *    without CRLF (a CR or LF that would have been quoted in it is written as a space).
 *
 * What it never does: I/O, globals, logging, assert on input. It does not limit the
 * total size of a command (client-query-buffer-limit is the caller's job), nor look up
 * or run commands. It does not verify the CRLF after a header or a bulk: it skips two
 * bytes there, as Redis does.
 *
 * Usage (a client's read path):
 *
 *   resp_reader rd;                      // once per client
 *   resp_reader_init(&rd);
 *   resp_reader_set_limits(&rd, server.proto_max_bulk_len, !authenticated);
 *   ...
 *   for (;;) {                           // after each read() appended to c->qb
 *       size_t used;
 *       resp_status st = resp_reader_feed(&rd, c->qb + c->qpos, c->qlen - c->qpos, &used);
 *       if (st == RESP_NEED_MORE) break; // keep qb[qpos..qlen); resp_reader_want() says
 *                                        // how big the big bulk in progress will be
 *       if (st == RESP_ERR_PROTO) { reply "-ERR " + rd.err; close_after_reply(c); break; }
 *       if (rd.argc > 0) call(c, rd.argc, rd.argv, rd.argvlen); // before qb changes
 *       c->qpos += used;
 *   }
 *   ...
 *   resp_reader_deinit(&rd);
 */
#ifndef CAIRN_RESP_READER_H
#define CAIRN_RESP_READER_H

#include <stdbool.h>
#include <stddef.h>

/* Redis's limits, under Redis's names. */
#define RESP_INLINE_MAX_SIZE 65536                    /* PROTO_INLINE_MAX_SIZE: inline line, header line */
#define RESP_MBULK_MAX 2147483647                     /* 1024*1024*1024*2-1: arguments per command */
#define RESP_UNAUTH_MBULK_MAX 10                      /* arguments per command before AUTH */
#define RESP_UNAUTH_BULK_MAX 16384                    /* bytes per argument before AUTH */
#define RESP_PROTO_MAX_BULK_LEN_DEFAULT (512LL * 1024 * 1024) /* proto-max-bulk-len */
#define RESP_ARGV_PREALLOC_MAX 1024                   /* argv entries reserved from a declared count */
#define RESP_ARGV_KEEP_MAX 1024 /* larger argv arrays are given back when the next command starts */
#define RESP_IBUF_KEEP_MAX 4096 /* so is a larger inline scratch buffer */

typedef enum { RESP_OK = 0, RESP_NEED_MORE = 1, RESP_ERR_PROTO = -1 } resp_status;

typedef struct resp_reader {
    /* The command, after RESP_OK (read-only for the caller; meaningless otherwise). */
    int argc;             /* 0 for an empty command ("*0\r\n", "*-1\r\n", an empty line): skip it */
    const char **argv;    /* argument i is argvlen[i] bytes at argv[i]: NUL-terminated when inline, */
    size_t *argvlen;      /* not when multibulk (then the 2 unchecked bytes after it follow) */
    char err[128];        /* after RESP_ERR_PROTO: "Protocol error: ..." */

    /* Limits, see resp_reader_set_limits(). */
    long long max_bulk_len;
    bool unauthenticated;

    /* Private: parse progress, all offsets relative to the command start. */
    int state;          /* RESP_ST_* in reader.c */
    int argv_cap;       /* entries in argv and argvlen */
    int mb_left;        /* bulks still to read */
    long long bulk_len; /* length of the bulk in progress, -1 while its header is unread */
    size_t pos;         /* first byte not parsed yet */
    size_t scan;        /* the line in progress has no terminator before this */
    char *ibuf;         /* inline arguments, decoded */
    size_t ibuf_cap;
} resp_reader;

/* Embeds a reader: no command in progress, limits proto-max-bulk-len's default and
 * authenticated. Allocates nothing. */
void resp_reader_init(resp_reader *r);

/* Frees the reader's arrays and forgets any partial command. Limits are kept and the
 * reader stays usable (it allocates again on demand), so calling it between commands
 * is also how an idle client gives its few KB back. */
void resp_reader_deinit(resp_reader *r);

/* Forgets any partial command and any error; keeps limits and arrays. Call it when the
 * caller drops its query buffer (or to reuse the reader after an error). */
void resp_reader_reset(resp_reader *r);

/* Sets the limits checked by every following header: a bulk longer than max_bulk_len
 * (proto-max-bulk-len) is an error; when unauthenticated, so is a command of more than
 * RESP_UNAUTH_MBULK_MAX arguments or an argument longer than RESP_UNAUTH_BULK_MAX bytes.
 * May be called any time between feeds. */
void resp_reader_set_limits(resp_reader *r, long long max_bulk_len, bool unauthenticated);

/* Reads one command from buf[0..len), which starts at the first unconsumed byte.
 *  RESP_OK:        one command in r->argc/argv/argvlen; *consumed = its length in bytes (> 0).
 *  RESP_NEED_MORE: *consumed = 0. Call again with the same bytes first, more appended.
 *  RESP_ERR_PROTO: *consumed = 0; r->err says why. Close the connection after replying.
 * Caller obligation: between a RESP_NEED_MORE and the next call, buf must start with the
 * same bytes as before and len must not shrink (use resp_reader_reset() to start over). */
resp_status resp_reader_feed(resp_reader *r, const char *buf, size_t len, size_t *consumed);

/* Bytes from the command start needed to finish the bulk now being read (its header
 * parsed, its data not all here yet), else 0. Lets the caller size its buffer for one
 * big read instead of growing it step by step. The length was checked against the
 * limits but nothing has arrived to back it: grow in steps if that matters. */
size_t resp_reader_want(const resp_reader *r);

/* Bytes from the command start already parsed into complete arguments (their headers
 * and data, and the header of the bulk now being read) while a multibulk command is in
 * progress, else 0. The caller must keep them (argv will point into them), but they are
 * no longer unparsed input: Redis's client-query-buffer-limit counts only the bytes
 * after them, so a command of many small arguments may be far larger than that limit. */
size_t resp_reader_parsed(const resp_reader *r);

/* Splits a line into arguments as Redis's sdssplitargs does: spaces (isspace, C locale)
 * separate arguments; "..." understands \n \r \t \b \a \\ \" and \xHH (another escaped
 * character stands for itself); '...' understands only \'; a closing quote must be
 * followed by a space or the end of the line. Quotes may start inside an argument
 * (a"b c" is one argument: ab c). Unlike sdssplitargs it reads exactly len bytes, so a
 * NUL byte is an ordinary character.
 * Returns argc (0 for a blank line), or -1 on unbalanced quotes (then *out and *outlen
 * are NULL). On success *out and *outlen are malloc'ed arrays of argc entries (never
 * NULL), each (*out)[i] a malloc'ed NUL-terminated copy of (*outlen)[i] bytes; free
 * them with resp_free_args(). Aborts if malloc fails. Used for inline commands (the
 * reader shares its code) and by config-file parsing. */
int resp_split_args(const char *line, size_t len, char ***out, size_t **outlen);

/* Frees what resp_split_args() returned. Accepts NULL arrays. */
void resp_free_args(int argc, char **argv, size_t *argvlen);

#endif
