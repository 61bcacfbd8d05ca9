/* utils/num.c: see num.h. */
#include "utils/num.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utils/alloc.h"

bool num_parse_ll(const char *s, size_t len, long long *out) {
    if (len == 0) return false;
    if (len == 1 && s[0] == '0') {
        *out = 0;
        return true;
    }
    size_t i = 0;
    bool neg = s[0] == '-';
    if (neg) i++;
    /* The first digit is 1-9: this rejects "", "-", "-0", "01", "+1", " 1". */
    if (i == len || s[i] < '1' || s[i] > '9') return false;
    unsigned long long v = 0;
    for (; i < len; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9) return false;
        if (v > (ULLONG_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (unsigned long long)LLONG_MAX + 1) return false;
        *out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v;
    } else {
        if (v > (unsigned long long)LLONG_MAX) return false;
        *out = (long long)v;
    }
    return true;
}

/* The checks Redis applies after strtod/strtold: the whole string was read, it did not
 * start with space (strtod would skip it), no overflow, no underflow to zero, no NaN. */
static bool float_ok(const char *buf, size_t len, const char *end, int err, long double v) {
    if (isspace((unsigned char)buf[0]) || end != buf + len || isnan(v)) return false;
    if (err == ERANGE && (isinf(v) || v == 0)) return false;
    return true;
}

bool num_parse_double(const char *s, size_t len, double *out) {
    if (len == 0) return false;
    char small[256];
    char *buf = len < sizeof(small) ? small : cn_malloc(len + 1);
    memcpy(buf, s, len);
    buf[len] = '\0'; /* an embedded NUL stops strtod early and fails the length check */
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    bool ok = float_ok(buf, len, end, errno, v);
    if (buf != small) cn_free(buf);
    if (ok) *out = v;
    return ok;
}

bool num_parse_ld(const char *s, size_t len, long double *out) {
    if (len == 0 || len >= NUM_LD_MAX_CHARS) return false;
    char buf[NUM_LD_MAX_CHARS];
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    long double v = strtold(buf, &end);
    if (!float_ok(buf, len, end, errno, v)) return false;
    *out = v;
    return true;
}

bool num_parse_memory(const char *s, long long *out) {
    const char *u = s;
    while (*u >= '0' && *u <= '9') u++;
    unsigned long long mul;
    if (*u == '\0' || strcasecmp(u, "b") == 0)
        mul = 1;
    else if (strcasecmp(u, "k") == 0)
        mul = 1000;
    else if (strcasecmp(u, "kb") == 0)
        mul = 1024;
    else if (strcasecmp(u, "m") == 0)
        mul = 1000ULL * 1000;
    else if (strcasecmp(u, "mb") == 0)
        mul = 1024ULL * 1024;
    else if (strcasecmp(u, "g") == 0)
        mul = 1000ULL * 1000 * 1000;
    else if (strcasecmp(u, "gb") == 0)
        mul = 1024ULL * 1024 * 1024;
    else
        return false;
    /* Leading zeros are fine and no digits at all is 0, as in Redis 7.0, which also
     * refuses 128 digits or more. */
    if (u - s >= 128) return false;
    unsigned long long v = 0;
    for (const char *p = s; p < u; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > ((unsigned long long)LLONG_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    if (v > (unsigned long long)LLONG_MAX / mul) return false;
    *out = (long long)(v * mul);
    return true;
}

size_t num_fmt_ll(char *dst, long long v) {
    static const char pairs[201] = "00010203040506070809"
                                   "10111213141516171819"
                                   "20212223242526272829"
                                   "30313233343536373839"
                                   "40414243444546474849"
                                   "50515253545556575859"
                                   "60616263646566676869"
                                   "70717273747576777879"
                                   "80818283848586878889"
                                   "90919293949596979899";
    char tmp[NUM_LL_MAX_CHARS];
    char *p = tmp + sizeof(tmp);
    /* Work on the magnitude as unsigned so LLONG_MIN needs no special case. */
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    while (u >= 100) {
        unsigned r = (unsigned)(u % 100) * 2;
        u /= 100;
        *--p = pairs[r + 1];
        *--p = pairs[r];
    }
    if (u >= 10) {
        unsigned r = (unsigned)u * 2;
        *--p = pairs[r + 1];
        *--p = pairs[r];
    } else {
        *--p = (char)('0' + u);
    }
    if (v < 0) *--p = '-';
    size_t n = (size_t)(tmp + sizeof(tmp) - p);
    memcpy(dst, p, n);
    dst[n] = '\0';
    return n;
}

/* Writes an infinity's text; 0 if it does not fit. */
static size_t fmt_inf(char *dst, size_t cap, bool negative) {
    const char *txt = negative ? "-inf" : "inf";
    size_t n = strlen(txt);
    if (cap < n + 1) return 0;
    memcpy(dst, txt, n + 1);
    return n;
}

size_t num_fmt_ld(char *dst, size_t cap, long double v) {
    if (isinf(v)) return fmt_inf(dst, cap, v < 0);
    int w = snprintf(dst, cap, "%.17Lf", v);
    if (w < 0 || (size_t)w >= cap) return 0;
    size_t n = (size_t)w;
    if (memchr(dst, '.', n)) {
        while (dst[n - 1] == '0') n--;
        if (dst[n - 1] == '.') n--;
    }
    if (n == 2 && dst[0] == '-' && dst[1] == '0') { /* a tiny negative or -0 */
        dst[0] = '0';
        n = 1;
    }
    dst[n] = '\0';
    return n;
}

size_t num_fmt_double(char *dst, size_t cap, double v) {
    if (isinf(v)) return fmt_inf(dst, cap, v < 0);
    if (v == 0) v = 0; /* -0 is written "0" */
    int w = snprintf(dst, cap, "%.17g", v);
    if (w < 0 || (size_t)w >= cap) return 0;
    return (size_t)w;
}
