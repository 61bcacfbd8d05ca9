/* resp/encode.h: reply encoders, the bytes-level half of replies.
 *
 * What it does. Writes small protocol fragments into a caller buffer that has room for
 * them (RESP_HDR_MAX or RESP_DOUBLE_MAX bytes) and returns how many bytes it wrote. The
 * server composes every reply from these plus literal bytes, for example
 *
 *   bulk:     p += resp_enc_hdr(p, '$', len); memcpy(p, s, len); p += len; *p++='\r'; *p++='\n';
 *   integer:  p += resp_enc_hdr(p, ':', v);
 *   array:    p += resp_enc_hdr(p, '*', n);               then n elements
 *   double:   *p++ = ','; p += resp_enc_double_str(p, d); then "\r\n"   (RESP3)
 *             the same digits as a bulk string in RESP2
 *
 * Which bytes to write for a meaning (null, map, double ...) in RESP2 or RESP3 is
 * reply.c's decision, not this module's.
 *
 * Type bytes. RESP2: simple string '+', error '-', integer ':', bulk string '$',
 * array '*' ("$-1\r\n" and "*-1\r\n" are RESP2's nulls). RESP3 adds: null '_',
 * double ',', boolean '#' ("#t"/"#f"), blob error '!', verbatim string '=' (bulk-like
 * with a "txt:" style prefix), big number '(', map '%' (n pairs), set '~',
 * attribute '|' (n pairs, precedes a reply), push '>'.
 *
 * Pure: no I/O, no globals, no allocation, no logging. Never writes a NUL unless the
 * function says so; never checks the room it was given (the caller reserves it).
 */
#ifndef CAIRN_RESP_ENCODE_H
#define CAIRN_RESP_ENCODE_H

#include <stddef.h>

#define RESP_HDR_MAX 32    /* room for the longest header: type byte, int64 digits, CRLF */
#define RESP_DOUBLE_MAX 32 /* room for resp_enc_double_str, its scratch NUL included */

/* Writes "<type><n>\r\n" and returns its length (at most 23). type is one of
 * * $ : % ~ > | = ( ! and n may be negative ("*-1\r\n"). */
size_t resp_enc_hdr(char *dst, char type, long long n);
/* Bytes of a bulk string of len bytes on the wire: "$<len>\r\n", the bytes, "\r\n". */
size_t resp_bulk_size(size_t len);

/* Writes v in decimal (a '-' then digits for negatives, LLONG_MIN included), no CRLF,
 * no NUL; returns the length (at most 20). */
size_t resp_enc_ll(char *dst, long long v);

/* Writes the shortest decimal text that reads back as exactly d ("%.17g" at worst), in
 * printf's %g style: 1.5 -> "1.5", 0.1 -> "0.1", 3.0 -> "3", 1e300 -> "1e+300",
 * -0.0 -> "-0", and "inf", "-inf", "nan". (Subnormals read back exactly but may carry
 * more digits than the shortest.) No CRLF. dst must have RESP_DOUBLE_MAX bytes: a NUL
 * may be written after the returned length. Returns the length (at most 24). */
size_t resp_enc_double_str(char *dst, double d);

#endif
