/* utils/sbuf.h: a growable byte string for building text (INFO, CLIENT LIST,
 * config rewrite). Binary-safe; always NUL-terminated after any append.
 *
 *   sbuf b = {0};
 *   sbuf_catfmt(&b, "keys=%zu", n);
 *   use(b.buf, b.len);
 *   sbuf_free(&b);
 */
#ifndef CAIRN_SBUF_H
#define CAIRN_SBUF_H

#include <stddef.h>

typedef struct sbuf {
    char *buf;
    size_t len, cap;
} sbuf;

void sbuf_catlen(sbuf *b, const char *s, size_t len);
void sbuf_cat(sbuf *b, const char *s);
void sbuf_catfmt(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_free(sbuf *b);

#endif
