/* utils/sbuf.c: see sbuf.h. */
#include "sbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"

static void reserve(sbuf *b, size_t more) {
    if (b->len + more + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->len + more + 1) cap *= 2;
    b->buf = cn_realloc(b->buf, cap);
    b->cap = cap;
}

void sbuf_catlen(sbuf *b, const char *s, size_t len) {
    reserve(b, len);
    memcpy(b->buf + b->len, s, len);
    b->len += len;
    b->buf[b->len] = '\0';
}

void sbuf_cat(sbuf *b, const char *s) { sbuf_catlen(b, s, strlen(s)); }

void sbuf_catfmt(sbuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void sbuf_free(sbuf *b) {
    cn_free(b->buf);
    b->buf = NULL;
    b->len = b->cap = 0;
}
