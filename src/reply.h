/* src/reply.h: replies by meaning; written as RESP2 or RESP3 per client.
 *
 * A command says "null", "map of 3 pairs", "double"; this module writes the
 * bytes for the client's protocol (c->resp). Replies go to the client's fixed
 * buffer, then to a list of blocks; the client is queued for writing in
 * before-sleep. Replies to a client that is closing, or that asked for
 * CLIENT REPLY OFF/SKIP, are dropped here.
 *
 * Errors: pass the full text with its code and no CRLF, e.g.
 * reply_error(c, "ERR syntax error") or "WRONGTYPE Operation against a key
 * holding the wrong kind of value". The code (first word) is counted in INFO
 * errorstats. Newlines in an error are replaced by spaces.
 */
#ifndef CAIRN_REPLY_H
#define CAIRN_REPLY_H

#include <stdbool.h>
#include <stddef.h>

typedef struct client client;

void reply_ok(client *c);
void reply_simple(client *c, const char *s);               /* +s */
void reply_error(client *c, const char *msg);
void reply_errorf(client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void reply_int(client *c, long long v);
void reply_bulk(client *c, const char *s, size_t len);
void reply_bulk_cstr(client *c, const char *s);               /* NULL gives null */
void reply_bulk_ll(client *c, long long v);
void reply_null(client *c);                                   /* $-1 / _ */
void reply_null_array(client *c);                             /* *-1 / _ */
void reply_array(client *c, long n);
void reply_map(client *c, long pairs);                        /* RESP2: array of 2n */
void reply_set(client *c, long n);                            /* RESP2: array */
void reply_push(client *c, long n);                           /* RESP2: array */
void reply_double(client *c, double d);                       /* RESP2: bulk */
void reply_bool(client *c, bool b);                           /* RESP2: :1 / :0 */
void reply_verbatim(client *c, const char *s, size_t len, const char *ext); /* RESP2: bulk */
void reply_bignum(client *c, const char *s, size_t len);      /* RESP2: bulk */
/* A HELP reply: one status line per string; lines ends with NULL. */
void reply_help(client *c, const char *const *lines);
/* Raw protocol bytes, already encoded. */
void reply_raw(client *c, const char *s, size_t len);

/* Common errors, with Redis's exact texts. */
void reply_err_syntax(client *c);     /* ERR syntax error */
void reply_err_wrongtype(client *c);  /* WRONGTYPE ... */
void reply_err_not_int(client *c);    /* ERR value is not an integer or out of range */
void reply_err_not_float(client *c);  /* ERR value is not a valid float */
void reply_err_arity(client *c);      /* ERR wrong number of arguments for '%s' command */

/* Deferred length for aggregates whose size is known only at the end:
 *   void *h = reply_deferred(c);  ... elements ...  reply_set_deferred(c, h, '*', n);
 * type is '*' (array), '%' (map, n pairs), '~' (set). */
void *reply_deferred(client *c);
void reply_set_deferred(client *c, void *handle, char type, long n);

#endif
