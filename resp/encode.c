/* resp/encode.c: see encode.h. */
#include "resp/encode.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static_assert(RESP_HDR_MAX >= 1 + 20 + 2, "type byte, \"-9223372036854775808\", CRLF");
static_assert(RESP_DOUBLE_MAX >= 24 + 1, "\"-2.2250738585072014e-308\" and its NUL");

static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                     "25262728293031323334353637383940414243444546474849"
                                     "50515253545556575859606162636465666768697071727374"
                                     "75767778798081828384858687888990919293949596979899";

size_t resp_bulk_size(size_t len) {
    size_t digits = 1;
    for (size_t v = len; v >= 10; v /= 10) digits++;
    return 1 + digits + 2 + len + 2;
}

size_t resp_enc_ll(char *dst, long long v) {
    char tmp[20];
    char *p = tmp + sizeof(tmp);
    size_t sign = 0;
    unsigned long long u = (unsigned long long)v;
    if (v < 0) {
        *dst++ = '-';
        sign = 1;
        u = 0ULL - u; /* well defined for LLONG_MIN too */
    }
    /* Two digits per division, from the right. */
    while (u >= 100) {
        unsigned i = (unsigned)(u % 100) * 2;
        u /= 100;
        *--p = digit_pairs[i + 1];
        *--p = digit_pairs[i];
    }
    if (u >= 10) {
        unsigned i = (unsigned)u * 2;
        *--p = digit_pairs[i + 1];
        *--p = digit_pairs[i];
    } else {
        *--p = (char)('0' + u);
    }
    size_t n = (size_t)(tmp + sizeof(tmp) - p);
    memcpy(dst, p, n);
    return sign + n;
}

size_t resp_enc_hdr(char *dst, char type, long long n) {
    dst[0] = type;
    size_t len = 1 + resp_enc_ll(dst + 1, n);
    dst[len] = '\r';
    dst[len + 1] = '\n';
    return len + 2;
}

size_t resp_enc_double_str(char *dst, double d) {
    if (isnan(d)) {
        memcpy(dst, "nan", 3);
        return 3;
    }
    if (isinf(d)) {
        if (d > 0) {
            memcpy(dst, "inf", 3);
            return 3;
        }
        memcpy(dst, "-inf", 4);
        return 4;
    }
    /* Integral values below 1e15 print the same under "%.15g": skip stdio for them. */
    if (d > -1e15 && d < 1e15 && d == (double)(long long)d && (d != 0 || !signbit(d)))
        return resp_enc_ll(dst, (long long)d);
    /* Rounding to 15 digits gives the shortest text whenever one of <= 15 digits reads
     * back (a double carries more than 15 digits), and correct rounding to 16 digits
     * reads back whenever any 16-digit text does; 17 digits always do. */
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(dst, RESP_DOUBLE_MAX, "%.*g", prec, d);
        if (prec == 17 || strtod(dst, NULL) == d) break;
    }
    return (size_t)n;
}
