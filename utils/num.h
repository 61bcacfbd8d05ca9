/* utils/num.h: Redis-compatible number parsing and formatting.
 *
 * Every parser takes the whole byte string (explicit length, no NUL needed unless
 * said otherwise) and either accepts all of it or returns false leaving *out alone.
 * No allocation except num_parse_double on inputs longer than 255 bytes; no globals
 * (strtod/strtold and snprintf follow the C locale, which a server never changes).
 *
 * What is accepted, checked against Redis 7.0:
 *   num_parse_ll      Redis string2ll (INCR, EXPIRE, ...): optional '-', then
 *                     digits with no leading zero; "0" yes, "-0" "01" "+1" " 1" "" no;
 *                     out of range no. At most 20 bytes can be valid.
 *   num_parse_double  Redis getDoubleFromObject (ZADD, ZINCRBY, score ranges):
 *                     anything strtod reads that covers the whole string, does not
 *                     start with white space and is not NaN. So "1e10", ".5", "5.",
 *                     "0x1p3", "inf", "+inf", "-inf", "Infinity" are fine; "nan", " 1",
 *                     "1 ", "" are not; overflow ("1e400") and underflow to zero
 *                     ("1e-400") are not, while a denormal ("1e-310") is. No length
 *                     limit.
 *   num_parse_ld      Redis string2ld (INCRBYFLOAT, both the stored value and the
 *                     increment): the same rules with strtold, and at most
 *                     NUM_LD_MAX_CHARS - 1 bytes. Like Redis it ACCEPTS "inf"/"-inf":
 *                     INCRBYFLOAT checks the sum with isfinite() and replies
 *                     "ERR increment would produce NaN or Infinity", which is what Redis
 *                     answers for "INCRBYFLOAT k inf". A result that overflows
 *                     ("1e5000") or underflows to zero is rejected, as is NaN.
 *   num_parse_memory  redis.conf memory values (maxmemory 100mb): digits then an
 *                     optional unit, case-insensitive: b (or none) = 1, k = 1000,
 *                     kb = 1024, m = 1000^2, mb = 1024^2, g = 1000^3, gb = 1024^3.
 *                     As Redis 7.0: leading zeros are fine, no sign allowed, no spaces,
 *                     and no digits at all ("" or "mb") reads as 0. NUL-terminated input.
 *                     Values above LLONG_MAX are rejected.
 */
#ifndef CAIRN_UTILS_NUM_H
#define CAIRN_UTILS_NUM_H

#include <stdbool.h>
#include <stddef.h>

/* Room for any long long in decimal plus NUL ("-9223372036854775808"). */
#define NUM_LL_MAX_CHARS 21
/* Redis's MAX_LONG_DOUBLE_CHARS: the longest num_parse_ld input is one less, and a
 * buffer this size holds any num_fmt_ld output. */
#define NUM_LD_MAX_CHARS (5 * 1024)
/* Room for any num_fmt_double output plus NUL. */
#define NUM_DOUBLE_MAX_CHARS 32

bool num_parse_ll(const char *s, size_t len, long long *out);
bool num_parse_double(const char *s, size_t len, double *out);
bool num_parse_ld(const char *s, size_t len, long double *out);
bool num_parse_memory(const char *s, long long *out);

/* Writes v in decimal plus a NUL into dst (NUM_LL_MAX_CHARS bytes suffice); returns
 * the length without the NUL. */
size_t num_fmt_ll(char *dst, long long v);

/* INCRBYFLOAT's reply (Redis ld2string "human" mode): "%.17Lf" with trailing zeros
 * and then a trailing '.' removed, "-0" written as "0", infinities as "inf"/"-inf".
 * 10.5 -> "10.5", 3.0e3 -> "3000", 1e-20 -> "0". Writes a NUL; returns the length, or
 * 0 if cap is too small (NUM_LD_MAX_CHARS always suffices). */
size_t num_fmt_ld(char *dst, size_t cap, long double v);

/* A double as Redis 7.0 replies it in RESP2 (ZSCORE, ZINCRBY; checked): "%.17g", with
 * zero (either sign) as "0" and infinities as "inf"/"-inf". 1.1 ->
 * "1.1000000000000001", 1e17 -> "1e+17". Writes a NUL; returns the length, or 0 if
 * cap is too small (NUM_DOUBLE_MAX_CHARS always suffices). */
size_t num_fmt_double(char *dst, size_t cap, double v);

#endif
