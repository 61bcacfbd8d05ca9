/* tests/integration/test_bitops.c: the bitmap commands (SETBIT GETBIT BITCOUNT BITPOS
 * BITOP BITFIELD BITFIELD_RO): every option, replies and exact error texts, growth and
 * encoding of the string, the offset limit, BITFIELD's overflow modes at their
 * boundaries, WRONGTYPE, and a randomized run against a bit-array model kept by the
 * test. Every expectation was checked against Redis 7.0.15
 * (CAIRN_TEST_SERVER=/usr/bin/redis-server). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

static srv *S;

static redisContext *fresh(void) {
    redisContext *c = srv_connect(S);
    EXPECT_STATUS(c, "OK", "FLUSHALL");
    return c;
}

#define NOT_INT    "ERR value is not an integer or out of range"
#define BAD_OFFSET "ERR bit offset is not an integer or out of range"
#define BAD_BIT    "ERR bit is not an integer or out of range"
#define BAD_TYPE                                                                                   \
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but "    \
    "i64 is."
#define WRONGTYPE "WRONGTYPE Operation against a key holding the wrong kind of value"
#define SYNTAX    "ERR syntax error"

/* SET key to len raw bytes. */
static void set_bytes(redisContext *c, const char *key, const void *bytes, size_t len) {
    EXPECT_STATUS(c, "OK", "SET %s %b", key, bytes, len);
}

static void t_start(void) { S = srv_start(NULL); }

static void t_setbit_getbit(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 0, "GETBIT k 0");
    EXPECT_INT(c, 0, "GETBIT k 100");
    EXPECT_INT(c, 0, "EXISTS k");
    EXPECT_INT(c, 0, "SETBIT k 1 1");
    EXPECT_BULK_LEN(c, "\x40", 1, "GET k");
    EXPECT_INT(c, 1, "SETBIT k 1 1"); /* the reply is the old bit */
    EXPECT_INT(c, 1, "GETBIT k 1");
    EXPECT_INT(c, 0, "GETBIT k 0");
    EXPECT_INT(c, 0, "SETBIT k 23 1"); /* grows zero-filled */
    EXPECT_BULK_LEN(c, "\x40\x00\x01", 3, "GET k");
    EXPECT_INT(c, 1, "SETBIT k 1 0");
    EXPECT_BULK_LEN(c, "\x00\x00\x01", 3, "GET k");
    EXPECT_INT(c, 0, "SETBIT k 7 0");
    EXPECT_INT(c, 3, "STRLEN k");
    EXPECT_INT(c, 0, "GETBIT k 24"); /* past the end */
    EXPECT_INT(c, 0, "GETBIT k 4294967295");
    /* SETBIT of 0 on a missing key creates it, one zero byte per 8 bits. */
    EXPECT_INT(c, 0, "SETBIT z 15 0");
    EXPECT_BULK_LEN(c, "\x00\x00", 2, "GET z");
    /* Bits of an integer value are those of its digits: "1" is 0x31. */
    EXPECT_STATUS(c, "OK", "SET n 1");
    EXPECT_INT(c, 0, "GETBIT n 0");
    EXPECT_INT(c, 1, "GETBIT n 2");
    EXPECT_INT(c, 1, "GETBIT n 7");
    EXPECT_INT(c, 0, "SETBIT n 6 1"); /* 0x33 = "3" */
    EXPECT_BULK(c, "3", "GET n");
    EXPECT_INT(c, 4, "INCRBY n 1");
    /* A TTL survives SETBIT. */
    EXPECT_STATUS(c, "OK", "SET t abc EX 100");
    EXPECT_INT(c, 0, "SETBIT t 100 1");
    CHECK_RANGE(CMD_INT(c, "TTL t"), 99, 100);
    EXPECT_INT(c, 13, "STRLEN t");
    /* Errors, offset checked first. */
    EXPECT_ERR(c, BAD_OFFSET, "SETBIT k -1 1");
    EXPECT_ERR(c, BAD_OFFSET, "SETBIT k a 1");
    EXPECT_ERR(c, BAD_OFFSET, "SETBIT k #1 1");
    EXPECT_ERR(c, BAD_OFFSET, "SETBIT k 01 1");
    EXPECT_ERR(c, BAD_OFFSET, "SETBIT k 4294967296 1");
    EXPECT_ERR(c, BAD_OFFSET, "SETBIT k 99999999999999999999 1");
    EXPECT_ERR(c, BAD_OFFSET, "SETBIT k a b");
    EXPECT_ERR(c, BAD_BIT, "SETBIT k 0 2");
    EXPECT_ERR(c, BAD_BIT, "SETBIT k 0 -1");
    EXPECT_ERR(c, BAD_BIT, "SETBIT k 0 a");
    EXPECT_ERR(c, BAD_BIT, "SETBIT k 0 01");
    EXPECT_ERR(c, BAD_OFFSET, "GETBIT k -1");
    EXPECT_ERR(c, BAD_OFFSET, "GETBIT k 4294967296");
    EXPECT_ERR(c, BAD_OFFSET, "GETBIT k #0");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'setbit' command", "SETBIT k 0");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'getbit' command", "GETBIT k 0 1");
    EXPECT_BULK_LEN(c, "\x00\x00\x01", 3, "GET k");
    redisFree(c);
}

static void t_setbit_encoding(void) {
    redisContext *c = fresh();
    /* Like every string Redis writes into, the value becomes "raw". */
    EXPECT_INT(c, 0, "SETBIT new 0 1");
    EXPECT_BULK(c, "raw", "OBJECT ENCODING new");
    EXPECT_STATUS(c, "OK", "SET n 123");
    EXPECT_BULK(c, "int", "OBJECT ENCODING n");
    EXPECT_INT(c, 0, "SETBIT n 0 0");
    EXPECT_BULK(c, "raw", "OBJECT ENCODING n");
    EXPECT_BULK(c, "123", "GET n");
    EXPECT_STATUS(c, "OK", "SET e hello");
    EXPECT_BULK(c, "embstr", "OBJECT ENCODING e");
    EXPECT_INT(c, 1, "GETBIT e 1");
    EXPECT_BULK(c, "embstr", "OBJECT ENCODING e"); /* reads change nothing */
    EXPECT_INT(c, 1, "SETBIT e 1 1");
    EXPECT_BULK(c, "raw", "OBJECT ENCODING e");
    /* Growing a long value many times keeps every byte. */
    for (int i = 0; i < 2000; i += 3) EXPECT_INT(c, 0, "SETBIT big %d 1", i * 8 + 7);
    EXPECT_INT(c, 1999 / 3 + 1, "BITCOUNT big");
    EXPECT_INT(c, 1998 + 1, "STRLEN big");
    redisFree(c);
}

static void t_offset_limit(void) {
    redisContext *c = fresh();
    EXPECT_STATUS(c, "OK", "CONFIG SET proto-max-bulk-len 1mb");
    EXPECT_INT(c, 0, "SETBIT k 8388607 1"); /* the last bit of 1 MB */
    EXPECT_INT(c, 1048576, "STRLEN k");
    EXPECT_ERR(c, BAD_OFFSET, "SETBIT k 8388608 1");
    EXPECT_ERR(c, BAD_OFFSET, "GETBIT k 8388608");
    EXPECT_INT(c, 1, "GETBIT k 8388607");
    EXPECT_ERR(c, BAD_OFFSET, "BITFIELD k GET u8 8388608");
    EXPECT_ERR(c, BAD_OFFSET, "BITFIELD k GET u8 #1048576");
    EXPECT_INT(c, 1, "BITCOUNT k");
    EXPECT_INT(c, 8388607, "BITPOS k 1");
    EXPECT_STATUS(c, "OK", "CONFIG SET proto-max-bulk-len 512mb");
    EXPECT_INT(c, 0, "GETBIT k 4294967295");
    EXPECT_ERR(c, BAD_OFFSET, "GETBIT k 4294967296");
    redisFree(c);
}

static void t_bitcount(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 0, "BITCOUNT nokey");
    EXPECT_INT(c, 0, "BITCOUNT nokey 0 -1");
    /* A missing key answers 0 before its other arguments are looked at. */
    EXPECT_INT(c, 0, "BITCOUNT nokey 0");
    EXPECT_INT(c, 0, "BITCOUNT nokey a b c d e");
    EXPECT_STATUS(c, "OK", "SET s foobar");
    EXPECT_INT(c, 26, "BITCOUNT s");
    EXPECT_INT(c, 4, "BITCOUNT s 0 0");
    EXPECT_INT(c, 6, "BITCOUNT s 1 1");
    EXPECT_INT(c, 10, "BITCOUNT s 0 1");
    EXPECT_INT(c, 26, "BITCOUNT s 0 -1");
    EXPECT_INT(c, 26, "BITCOUNT s -100 100");
    EXPECT_INT(c, 4, "BITCOUNT s -1 -1"); /* 'r' */
    EXPECT_INT(c, 7, "BITCOUNT s -2 -1");
    EXPECT_INT(c, 0, "BITCOUNT s 2 1");
    EXPECT_INT(c, 0, "BITCOUNT s -1 -2"); /* both negative and reversed */
    EXPECT_INT(c, 0, "BITCOUNT s -100 -200");
    EXPECT_INT(c, 4, "BITCOUNT s 0 -100"); /* end clamps to byte 0 */
    EXPECT_INT(c, 0, "BITCOUNT s 6 100");
    EXPECT_INT(c, 10, "BITCOUNT s 0 1 BYTE");
    EXPECT_INT(c, 10, "BITCOUNT s 0 1 byte");
    /* BIT ranges: 'f' = 01100110, 'o' = 01101111. */
    EXPECT_INT(c, 1, "BITCOUNT s 1 1 BIT");
    EXPECT_INT(c, 0, "BITCOUNT s 0 0 bit");
    EXPECT_INT(c, 2, "BITCOUNT s 1 2 BIT");
    EXPECT_INT(c, 4, "BITCOUNT s 0 7 BIT");
    EXPECT_INT(c, 6, "BITCOUNT s 5 13 BIT");
    EXPECT_INT(c, 17, "BITCOUNT s 5 30 BIT");
    EXPECT_INT(c, 26, "BITCOUNT s 0 -1 BIT");
    EXPECT_INT(c, 0, "BITCOUNT s -1 -1 BIT"); /* last bit of 'r' = 01110010 */
    EXPECT_INT(c, 0, "BITCOUNT s -1 -2 BIT");
    EXPECT_INT(c, 4, "BITCOUNT s -7 -2 BIT");
    EXPECT_INT(c, 0, "BITCOUNT s 48 100 BIT");
    EXPECT_INT(c, 26, "BITCOUNT s -1000 1000 BIT");
    /* Within one byte, both edges masked. */
    unsigned char ff[17];
    memset(ff, 0xff, sizeof(ff));
    set_bytes(c, "ff", ff, sizeof(ff));
    EXPECT_INT(c, 136, "BITCOUNT ff");
    EXPECT_INT(c, 3, "BITCOUNT ff 2 4 BIT");
    EXPECT_INT(c, 22, "BITCOUNT ff 1 22 BIT");
    EXPECT_INT(c, 120, "BITCOUNT ff 1 15");
    EXPECT_INT(c, 127, "BITCOUNT ff 3 129 BIT");
    /* Empty string. */
    EXPECT_STATUS(c, "OK", "SET e %s", "");
    EXPECT_INT(c, 0, "BITCOUNT e");
    EXPECT_INT(c, 0, "BITCOUNT e 0 -1");
    EXPECT_INT(c, 0, "BITCOUNT e 0 -1 BIT");
    /* An integer value counts its digits. */
    EXPECT_STATUS(c, "OK", "SET n 1234");
    EXPECT_INT(c, 13, "BITCOUNT n");
    /* Errors (for an existing key). */
    EXPECT_ERR(c, SYNTAX, "BITCOUNT s 0");
    EXPECT_ERR(c, SYNTAX, "BITCOUNT s 0 1 BITS");
    EXPECT_ERR(c, SYNTAX, "BITCOUNT s 0 1 BIT 2");
    EXPECT_ERR(c, NOT_INT, "BITCOUNT s a 1");
    EXPECT_ERR(c, NOT_INT, "BITCOUNT s 0 a");
    EXPECT_ERR(c, NOT_INT, "BITCOUNT s a 1 foo"); /* integers first, then the unit */
    EXPECT_ERR(c, "ERR wrong number of arguments for 'bitcount' command", "BITCOUNT");
    redisFree(c);
}

static void t_bitpos(void) {
    redisContext *c = fresh();
    /* A missing key is all zeros; answered before the range is parsed. */
    EXPECT_INT(c, -1, "BITPOS nokey 1");
    EXPECT_INT(c, 0, "BITPOS nokey 0");
    EXPECT_INT(c, -1, "BITPOS nokey 1 abc");
    EXPECT_INT(c, 0, "BITPOS nokey 0 1 2 foo");
    EXPECT_INT(c, 0, "BITPOS nokey 0 1 2 3 4 5");
    EXPECT_ERR(c, "ERR The bit argument must be 1 or 0.", "BITPOS nokey 2");
    EXPECT_ERR(c, NOT_INT, "BITPOS nokey a");
    set_bytes(c, "k", "\xff\xf0\x00", 3);
    EXPECT_INT(c, 0, "BITPOS k 1");
    EXPECT_INT(c, 12, "BITPOS k 0");
    EXPECT_INT(c, 8, "BITPOS k 1 1");
    EXPECT_INT(c, -1, "BITPOS k 1 2");
    EXPECT_INT(c, 16, "BITPOS k 0 2");
    EXPECT_INT(c, 8, "BITPOS k 1 -2");
    EXPECT_INT(c, 12, "BITPOS k 0 1 1");
    EXPECT_INT(c, 16, "BITPOS k 0 2 -1");
    EXPECT_INT(c, -1, "BITPOS k 1 2 -1 BYTE");
    EXPECT_INT(c, -1, "BITPOS k 1 5 3");
    /* BIT ranges. */
    EXPECT_INT(c, 5, "BITPOS k 1 5 -1 BIT");
    EXPECT_INT(c, 12, "BITPOS k 0 5 -1 bit");
    EXPECT_INT(c, 11, "BITPOS k 1 11 -1 BIT");
    EXPECT_INT(c, -1, "BITPOS k 1 12 -1 BIT");
    EXPECT_INT(c, 23, "BITPOS k 0 -1 -1 BIT");
    EXPECT_INT(c, -1, "BITPOS k 0 3 7 BIT");
    EXPECT_INT(c, -1, "BITPOS k 1 9 8 BIT");
    EXPECT_INT(c, 13, "BITPOS k 0 13 13 BIT");
    EXPECT_INT(c, -1, "BITPOS k 1 13 13 BIT");
    EXPECT_ERR(c, NOT_INT, "BITPOS k 0 3 BIT"); /* with four arguments BIT is the end */
    /* bitpos of 0 on an all-ones string: past the end unless an end is given. */
    unsigned char ff[20];
    memset(ff, 0xff, sizeof(ff));
    set_bytes(c, "ff", ff, sizeof(ff));
    EXPECT_INT(c, -1, "BITPOS ff 1 100");
    EXPECT_INT(c, 160, "BITPOS ff 0");
    EXPECT_INT(c, 160, "BITPOS ff 0 1");
    EXPECT_INT(c, 160, "BITPOS ff 0 -1");
    EXPECT_INT(c, -1, "BITPOS ff 0 0 -1");
    EXPECT_INT(c, -1, "BITPOS ff 0 0 100");
    EXPECT_INT(c, -1, "BITPOS ff 0 3 100 BIT");
    EXPECT_INT(c, -1, "BITPOS ff 0 -1 -1 BIT");
    EXPECT_INT(c, -1, "BITPOS ff 0 100");
    EXPECT_INT(c, 17, "BITPOS ff 1 17 -1 BIT");
    /* Long runs (the word-at-a-time scan) with the target at various places. */
    unsigned char buf[100];
    for (int at = 0; at < 100; at += 7) {
        memset(buf, 0, sizeof(buf));
        buf[at] = 0x10;
        set_bytes(c, "z", buf, sizeof(buf));
        EXPECT_INT(c, at * 8 + 3, "BITPOS z 1");
        EXPECT_INT(c, at > 1 ? at * 8 + 3 : -1, "BITPOS z 1 2");
        memset(buf, 0xff, sizeof(buf));
        buf[at] = 0xfb;
        set_bytes(c, "o", buf, sizeof(buf));
        EXPECT_INT(c, at * 8 + 5, "BITPOS o 0");
        EXPECT_INT(c, at * 8 + 5, "BITPOS o 0 0 -1");
        EXPECT_INT(c, at * 8 + 5, "BITPOS o 0 %d %d BIT", at * 8 + 5, at * 8 + 5);
    }
    /* Empty string: no bit at all. */
    EXPECT_STATUS(c, "OK", "SET e %s", "");
    EXPECT_INT(c, -1, "BITPOS e 0");
    EXPECT_INT(c, -1, "BITPOS e 1");
    EXPECT_INT(c, -1, "BITPOS e 0 0");
    EXPECT_INT(c, -1, "BITPOS e 0 0 -1 BIT");
    /* Negative start and end, reversed: unlike BITCOUNT, both clamp to byte 0. */
    EXPECT_INT(c, 0, "BITPOS k 1 -100 -200");
    /* Errors for an existing key. */
    EXPECT_ERR(c, "ERR The bit argument must be 1 or 0.", "BITPOS k 2");
    EXPECT_ERR(c, "ERR The bit argument must be 1 or 0.", "BITPOS k -1");
    EXPECT_ERR(c, NOT_INT, "BITPOS k a");
    EXPECT_ERR(c, NOT_INT, "BITPOS k 1 a");
    EXPECT_ERR(c, NOT_INT, "BITPOS k 1 0 a");
    EXPECT_ERR(c, SYNTAX, "BITPOS k 1 0 1 foo");
    EXPECT_ERR(c, SYNTAX, "BITPOS k 1 0 a foo"); /* the unit is checked before the end */
    EXPECT_ERR(c, NOT_INT, "BITPOS k 1 a 0 foo");
    EXPECT_ERR(c, SYNTAX, "BITPOS k 1 0 1 BIT 5");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'bitpos' command", "BITPOS k");
    redisFree(c);
}

static void t_bitop(void) {
    redisContext *c = fresh();
    set_bytes(c, "a", "\xff\x0f\xaa", 3);
    set_bytes(c, "b", "\xf0\xff", 2);
    set_bytes(c, "x", "\x01", 1);
    EXPECT_INT(c, 3, "BITOP AND d a b");
    EXPECT_BULK_LEN(c, "\xf0\x0f\x00", 3, "GET d");
    EXPECT_BULK(c, "raw", "OBJECT ENCODING d");
    EXPECT_INT(c, 3, "BITOP OR d a b");
    EXPECT_BULK_LEN(c, "\xff\xff\xaa", 3, "GET d");
    EXPECT_INT(c, 3, "BITOP XOR d a b");
    EXPECT_BULK_LEN(c, "\x0f\xf0\xaa", 3, "GET d");
    EXPECT_INT(c, 3, "BITOP XOR d a b x");
    EXPECT_BULK_LEN(c, "\x0e\xf0\xaa", 3, "GET d");
    EXPECT_INT(c, 3, "BITOP NOT d a");
    EXPECT_BULK_LEN(c, "\x00\xf0\x55", 3, "GET d");
    EXPECT_INT(c, 3, "bitop and d a a");
    EXPECT_BULK_LEN(c, "\xff\x0f\xaa", 3, "GET d");
    /* Missing keys are empty strings; AND with one is all zeros. */
    EXPECT_INT(c, 3, "BITOP AND d a nokey");
    EXPECT_BULK_LEN(c, "\x00\x00\x00", 3, "GET d");
    EXPECT_INT(c, 3, "BITOP OR d nokey a");
    EXPECT_BULK_LEN(c, "\xff\x0f\xaa", 3, "GET d");
    /* The destination may be a source. */
    EXPECT_INT(c, 3, "BITOP XOR a a b");
    EXPECT_BULK_LEN(c, "\x0f\xf0\xaa", 3, "GET a");
    EXPECT_INT(c, 3, "BITOP NOT a a");
    EXPECT_BULK_LEN(c, "\xf0\x0f\x55", 3, "GET a");
    /* Integers are operated on as their digits: "12" NOT. */
    EXPECT_STATUS(c, "OK", "SET n 12");
    EXPECT_INT(c, 2, "BITOP NOT d n");
    EXPECT_BULK_LEN(c, "\xce\xcd", 2, "GET d");
    /* An empty result deletes the destination, whatever it held. */
    EXPECT_STATUS(c, "OK", "SET d x");
    EXPECT_INT(c, 0, "BITOP AND d nokey");
    EXPECT_INT(c, 0, "EXISTS d");
    EXPECT_INT(c, 0, "BITOP OR d nokey1 nokey2");
    EXPECT_INT(c, 0, "EXISTS d");
    EXPECT_INT(c, 1, "RPUSH dl x");
    EXPECT_STATUS(c, "OK", "SET e %s", "");
    EXPECT_INT(c, 0, "BITOP NOT dl e");
    EXPECT_INT(c, 0, "EXISTS dl");
    /* A result overwrites any type and drops the TTL. */
    EXPECT_INT(c, 1, "RPUSH dl x");
    EXPECT_INT(c, 1, "BITOP OR dl x");
    EXPECT_STATUS(c, "string", "TYPE dl");
    EXPECT_STATUS(c, "OK", "SET d v EX 100");
    EXPECT_INT(c, 1, "BITOP OR d x");
    EXPECT_INT(c, -1, "TTL d");
    /* Long operands (past the word-sized loops). */
    unsigned char big1[1000], big2[777], exp[1000];
    for (int i = 0; i < 1000; i++) big1[i] = (unsigned char)(i * 37 + 11);
    for (int i = 0; i < 777; i++) big2[i] = (unsigned char)(i * 91 + 5);
    set_bytes(c, "b1", big1, sizeof(big1));
    set_bytes(c, "b2", big2, sizeof(big2));
    for (int i = 0; i < 1000; i++) exp[i] = (unsigned char)(i < 777 ? big1[i] & big2[i] : 0);
    EXPECT_INT(c, 1000, "BITOP AND r b2 b1");
    EXPECT_BULK_LEN(c, (const char *)exp, 1000, "GET r");
    for (int i = 0; i < 1000; i++) exp[i] = (unsigned char)(i < 777 ? big1[i] ^ big2[i] : big1[i]);
    EXPECT_INT(c, 1000, "BITOP XOR r b2 b1");
    EXPECT_BULK_LEN(c, (const char *)exp, 1000, "GET r");
    /* Errors. */
    EXPECT_ERR(c, SYNTAX, "BITOP NAND d a b");
    EXPECT_ERR(c, "ERR BITOP NOT must be called with a single source key.", "BITOP NOT d a b");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'bitop' command", "BITOP AND d");
    redisFree(c);
}

static void t_bitfield_basic(void) {
    redisContext *c = fresh();
    /* GETs alone on a missing key read zeros and create nothing. */
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 0, "BITFIELD k");
    redisReply *r = CMD(c, "BITFIELD k GET u8 0 GET i64 100");
    if (CHECK_REPLY_ARRAY(r, 2)) {
        CHECK_REPLY_INT(r->element[0], 0);
        CHECK_REPLY_INT(r->element[1], 0);
    }
    freeReplyObject(r);
    EXPECT_INT(c, 0, "EXISTS k");
    /* SET replies the old value, INCRBY the new one. */
    r = CMD(c, "BITFIELD k SET u8 0 200 GET u8 0 INCRBY u8 0 10 GET i8 0 SET i4 8 -3 GET u4 8");
    if (CHECK_REPLY_ARRAY(r, 6)) {
        CHECK_REPLY_INT(r->element[0], 0);
        CHECK_REPLY_INT(r->element[1], 200);
        CHECK_REPLY_INT(r->element[2], 210);
        CHECK_REPLY_INT(r->element[3], 210 - 256);
        CHECK_REPLY_INT(r->element[4], 0);
        CHECK_REPLY_INT(r->element[5], 13);
    }
    freeReplyObject(r);
    EXPECT_BULK_LEN(c, "\xd2\xd0", 2, "GET k");
    EXPECT_BULK(c, "raw", "OBJECT ENCODING k");
    /* Fields across byte boundaries, most significant bit first. */
    set_bytes(c, "b", "\x12\x34\x56\x78", 4);
    r = CMD(c, "BITFIELD b GET u12 4 GET u16 4 GET i5 13 GET u1 3 GET u32 0 GET i32 0 GET u8 30");
    if (CHECK_REPLY_ARRAY(r, 7)) {
        CHECK_REPLY_INT(r->element[0], 0x234);
        CHECK_REPLY_INT(r->element[1], 0x2345);
        CHECK_REPLY_INT(r->element[2], 0x11 - 32); /* 10001 */
        CHECK_REPLY_INT(r->element[3], 1);
        CHECK_REPLY_INT(r->element[4], 0x12345678);
        CHECK_REPLY_INT(r->element[5], 0x12345678);
        CHECK_REPLY_INT(r->element[6], 0); /* "00" then past the end */
    }
    freeReplyObject(r);
    /* #N offsets count in units of the field's width. */
    EXPECT_INT(c, 1, "DEL b");
    r = CMD(c, "BITFIELD b SET u8 #0 1 SET u8 #1 2 SET u8 #2 3 GET u16 #1 GET u4 #3 GET u16 8");
    if (CHECK_REPLY_ARRAY(r, 6)) {
        CHECK_REPLY_INT(r->element[3], 0x0300); /* bits 16..31, the last byte past the end */
        CHECK_REPLY_INT(r->element[4], 2);      /* bits 12..15 */
        CHECK_REPLY_INT(r->element[5], 0x0203);
    }
    freeReplyObject(r);
    EXPECT_BULK_LEN(c, "\x01\x02\x03", 3, "GET b");
    /* A write past the end grows the string zero-filled. */
    r = CMD(c, "BITFIELD g SET u1 79 1");
    freeReplyObject(r);
    EXPECT_INT(c, 10, "STRLEN g");
    EXPECT_INT(c, 79, "BITPOS g 1");
    /* Subcommands and options in any case; a TTL survives. */
    EXPECT_STATUS(c, "OK", "SET t x EX 100");
    r = CMD(c, "bitfield t set u8 0 65 overflow sat incrby u8 0 1");
    if (CHECK_REPLY_ARRAY(r, 2)) CHECK_REPLY_INT(r->element[1], 66);
    freeReplyObject(r);
    EXPECT_BULK(c, "B", "GET t");
    CHECK_RANGE(CMD_INT(c, "TTL t"), 99, 100);
    redisFree(c);
}

/* A nil element, as bf1() returns it (no test value comes near it). */
#define NIL (LLONG_MIN + 7)

/* Runs a BITFIELD with one GET/SET/INCRBY: its one integer element, or NIL for nil. */
static long long bf1_at(int line, redisContext *c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static long long bf1_at(int line, redisContext *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = c ? redisvCommand(c, fmt, ap) : NULL;
    va_end(ap);
    long long v = LLONG_MIN;
    if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 1) {
        if (r->element[0]->type == REDIS_REPLY_INTEGER)
            v = r->element[0]->integer;
        else if (r->element[0]->type == REDIS_REPLY_NIL)
            return freeReplyObject(r), NIL;
    }
    if (v == LLONG_MIN && !(r && r->type == REDIS_REPLY_ARRAY && r->elements == 1))
        test_fail(__FILE__, line, "%s: unexpected reply %s", fmt, r ? reply_describe(r) : "(none)");
    if (r) freeReplyObject(r);
    return v;
}
#define bf1(c, ...) bf1_at(__LINE__, (c), __VA_ARGS__)

static void t_bitfield_overflow(void) {
    redisContext *c = fresh();
    /* u8 around 0 and 255, in every mode. */
    CHECK_EQ_INT(bf1(c, "BITFIELD k SET u8 0 250"), 0);
    CHECK_EQ_INT(bf1(c, "BITFIELD k INCRBY u8 0 5"), 255);
    CHECK_EQ_INT(bf1(c, "BITFIELD k INCRBY u8 0 1"), 0); /* WRAP is the default */
    CHECK_EQ_INT(bf1(c, "BITFIELD k INCRBY u8 0 -1"), 255);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW WRAP INCRBY u8 0 258"), 1);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT INCRBY u8 0 254"), 255);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT INCRBY u8 0 1"), 255);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT INCRBY u8 0 -255"), 0);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT INCRBY u8 0 -1"), 0);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW FAIL INCRBY u8 0 -1"), NIL);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW FAIL INCRBY u8 0 255"), 255);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW FAIL INCRBY u8 0 1"), NIL);
    CHECK_EQ_INT(bf1(c, "BITFIELD k GET u8 0"), 255);
    /* SET: an unsigned field reads the value as unsigned, so -1 is above the max. */
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT SET u8 0 -1"), 255);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT SET u8 0 256"), 255);
    CHECK_EQ_INT(bf1(c, "BITFIELD k GET u8 0"), 255);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW WRAP SET u8 0 -2"), 255);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW WRAP SET u8 0 513"), 254);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW FAIL SET u8 0 256"), NIL);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW FAIL SET u8 0 -1"), NIL);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW FAIL SET u8 0 255"), 1);
    /* i8 around -128 and 127. */
    CHECK_EQ_INT(bf1(c, "BITFIELD k SET i8 0 127"), -1);
    CHECK_EQ_INT(bf1(c, "BITFIELD k INCRBY i8 0 1"), -128);
    CHECK_EQ_INT(bf1(c, "BITFIELD k INCRBY i8 0 -1"), 127);
    CHECK_EQ_INT(bf1(c, "BITFIELD k INCRBY i8 0 -255"), -128);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT INCRBY i8 0 -1"), -128);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT INCRBY i8 0 255"), 127);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT INCRBY i8 0 -9223372036854775808"), -128);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT INCRBY i8 0 9223372036854775807"), 127);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW FAIL INCRBY i8 0 1"), NIL);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW FAIL INCRBY i8 0 -255"), -128);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW FAIL INCRBY i8 0 -1"), NIL);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW WRAP INCRBY i8 0 9223372036854775807"), 127);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT SET i8 0 128"), 127);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT SET i8 0 -129"), 127);
    CHECK_EQ_INT(bf1(c, "BITFIELD k GET i8 0"), -128);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW WRAP SET i8 0 128"), -128);
    CHECK_EQ_INT(bf1(c, "BITFIELD k GET i8 0"), -128);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW WRAP SET i8 0 -129"), -128);
    CHECK_EQ_INT(bf1(c, "BITFIELD k GET i8 0"), 127);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW FAIL SET i8 0 -129"), NIL);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW FAIL SET i8 0 -128"), 127);
    /* Redis's quirk: a SET value so far below the minimum that (max - value) wraps
     * in 64 bits saturates to the maximum. */
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT SET i8 0 -9223372036854775680"), -128);
    CHECK_EQ_INT(bf1(c, "BITFIELD k GET i8 0"), -128);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT SET i8 0 -9223372036854775681"), -128);
    CHECK_EQ_INT(bf1(c, "BITFIELD k GET i8 0"), 127);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT SET i8 0 -9223372036854775808"), 127);
    CHECK_EQ_INT(bf1(c, "BITFIELD k GET i8 0"), 127);
    /* 1-bit fields. */
    CHECK_EQ_INT(bf1(c, "BITFIELD k SET u1 0 1"), 0);
    CHECK_EQ_INT(bf1(c, "BITFIELD k INCRBY u1 0 1"), 0);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT INCRBY u1 0 5"), 1);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW FAIL INCRBY u1 0 1"), NIL);
    CHECK_EQ_INT(bf1(c, "BITFIELD k GET i1 0"), -1);
    CHECK_EQ_INT(bf1(c, "BITFIELD k INCRBY i1 0 1"), 0);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT INCRBY i1 0 1"), 0);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT INCRBY i1 0 -1"), -1);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT INCRBY i1 0 -1"), -1);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW FAIL SET i1 0 1"), NIL);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT SET i1 0 1"), -1);
    CHECK_EQ_INT(bf1(c, "BITFIELD k GET i1 0"), 0);
    redisFree(c);
}

static void t_bitfield_limits(void) {
    redisContext *c = fresh();
    /* i64: the whole long long range, never overflowing on SET. */
    CHECK_EQ_INT(bf1(c, "BITFIELD k SET i64 3 9223372036854775807"), 0);
    CHECK_EQ_INT(bf1(c, "BITFIELD k GET i64 3"), 9223372036854775807LL);
    CHECK_EQ_INT(bf1(c, "BITFIELD k GET u63 4"), 9223372036854775807LL);
    CHECK_EQ_INT(bf1(c, "BITFIELD k INCRBY i64 3 1"), LLONG_MIN);
    CHECK_EQ_INT(bf1(c, "BITFIELD k INCRBY i64 3 -1"), 9223372036854775807LL);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT INCRBY i64 3 1"), 9223372036854775807LL);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW FAIL INCRBY i64 3 1"), NIL);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT INCRBY i64 3 9223372036854775807"),
                 9223372036854775807LL);
    CHECK_EQ_INT(bf1(c, "BITFIELD k SET i64 3 -9223372036854775808"), 9223372036854775807LL);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT INCRBY i64 3 -1"), LLONG_MIN);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW FAIL INCRBY i64 3 -1"), NIL);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW WRAP INCRBY i64 3 -1"), 9223372036854775807LL);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT INCRBY i64 3 -9223372036854775808"), -1);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW SAT INCRBY i64 3 -9223372036854775808"), LLONG_MIN);
    CHECK_EQ_INT(bf1(c, "BITFIELD k OVERFLOW FAIL SET i64 3 5"), LLONG_MIN);
    /* u63: 0 .. 2^63-1. */
    CHECK_EQ_INT(bf1(c, "BITFIELD u SET u63 0 9223372036854775807"), 0);
    CHECK_EQ_INT(bf1(c, "BITFIELD u INCRBY u63 0 1"), 0);
    CHECK_EQ_INT(bf1(c, "BITFIELD u INCRBY u63 0 -1"), 9223372036854775807LL);
    CHECK_EQ_INT(bf1(c, "BITFIELD u OVERFLOW SAT INCRBY u63 0 1"), 9223372036854775807LL);
    CHECK_EQ_INT(bf1(c, "BITFIELD u OVERFLOW FAIL INCRBY u63 0 1"), NIL);
    CHECK_EQ_INT(bf1(c, "BITFIELD u OVERFLOW FAIL INCRBY u63 0 -9223372036854775807"), 0);
    CHECK_EQ_INT(bf1(c, "BITFIELD u OVERFLOW FAIL INCRBY u63 0 -1"), NIL);
    CHECK_EQ_INT(bf1(c, "BITFIELD u OVERFLOW SAT INCRBY u63 0 -9223372036854775808"), 0);
    CHECK_EQ_INT(bf1(c, "BITFIELD u OVERFLOW WRAP INCRBY u63 0 -9223372036854775808"), 0);
    CHECK_EQ_INT(bf1(c, "BITFIELD u OVERFLOW SAT SET u63 0 -1"), 0);
    CHECK_EQ_INT(bf1(c, "BITFIELD u GET u63 0"), 9223372036854775807LL);
    CHECK_EQ_INT(bf1(c, "BITFIELD u OVERFLOW FAIL SET u63 0 -9223372036854775808"), NIL);
    CHECK_EQ_INT(bf1(c, "BITFIELD u OVERFLOW WRAP SET u63 0 -9223372036854775808"),
                 9223372036854775807LL);
    CHECK_EQ_INT(bf1(c, "BITFIELD u GET u63 0"), 0);
    CHECK_EQ_INT(bf1(c, "BITFIELD u GET i64 0"), 0);
    CHECK_EQ_INT(bf1(c, "BITFIELD u SET i64 0 -1"), 0);
    CHECK_EQ_INT(bf1(c, "BITFIELD u GET u63 1"), 9223372036854775807LL);
    CHECK_EQ_INT(bf1(c, "BITFIELD u GET u63 0"), 9223372036854775807LL);
    /* i2/u2 at every value. */
    for (int v = -3; v <= 4; v++) {
        long long wrap_u = ((v % 4) + 4) % 4, wrap_i = wrap_u >= 2 ? wrap_u - 4 : wrap_u;
        bf1(c, "BITFIELD s SET u2 0 0");
        CHECK_EQ_INT(bf1(c, "BITFIELD s OVERFLOW WRAP INCRBY u2 0 %d", v), wrap_u);
        bf1(c, "BITFIELD s SET i2 0 0");
        CHECK_EQ_INT(bf1(c, "BITFIELD s OVERFLOW WRAP INCRBY i2 0 %d", v), wrap_i);
        bf1(c, "BITFIELD s SET i2 0 0");
        CHECK_EQ_INT(bf1(c, "BITFIELD s OVERFLOW SAT INCRBY i2 0 %d", v), v < -2  ? -2
                                                                          : v > 1 ? 1
                                                                                  : v);
        bf1(c, "BITFIELD s SET u2 0 0");
        CHECK_EQ_INT(bf1(c, "BITFIELD s OVERFLOW SAT INCRBY u2 0 %d", v), v < 0   ? 0
                                                                          : v > 3 ? 3
                                                                                  : v);
        bf1(c, "BITFIELD s SET u2 0 0");
        CHECK_EQ_INT(bf1(c, "BITFIELD s OVERFLOW FAIL INCRBY u2 0 %d", v),
                     v < 0 || v > 3 ? NIL : v);
        bf1(c, "BITFIELD s SET i2 0 0");
        CHECK_EQ_INT(bf1(c, "BITFIELD s OVERFLOW FAIL INCRBY i2 0 %d", v),
                     v < -2 || v > 1 ? NIL : v);
    }
    redisFree(c);
}

static void t_bitfield_errors(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 0, "SETBIT k 0 1");
    EXPECT_ERR(c, BAD_TYPE, "BITFIELD k GET u64 0");
    EXPECT_ERR(c, BAD_TYPE, "BITFIELD k GET i65 0");
    EXPECT_ERR(c, BAD_TYPE, "BITFIELD k GET i0 0");
    EXPECT_ERR(c, BAD_TYPE, "BITFIELD k GET u0 0");
    EXPECT_ERR(c, BAD_TYPE, "BITFIELD k GET i08 0");
    EXPECT_ERR(c, BAD_TYPE, "BITFIELD k GET I8 0"); /* the prefix is lower case only */
    EXPECT_ERR(c, BAD_TYPE, "BITFIELD k GET U8 0");
    EXPECT_ERR(c, BAD_TYPE, "BITFIELD k GET x8 0");
    EXPECT_ERR(c, BAD_TYPE, "BITFIELD k GET i 0");
    EXPECT_ERR(c, BAD_TYPE, "BITFIELD k GET i-8 0");
    EXPECT_ERR(c, BAD_TYPE, "BITFIELD k GET 8 0");
    EXPECT_ERR(c, BAD_OFFSET, "BITFIELD k GET i8 -1");
    EXPECT_ERR(c, BAD_OFFSET, "BITFIELD k GET i8 #-1");
    EXPECT_ERR(c, BAD_OFFSET, "BITFIELD k GET i8 ##1");
    EXPECT_ERR(c, BAD_OFFSET, "BITFIELD k GET i8 a");
    EXPECT_ERR(c, BAD_OFFSET, "BITFIELD k GET i8 4294967296");
    EXPECT_ERR(c, BAD_OFFSET, "BITFIELD k GET i8 #536870912");
    EXPECT_ERR(c, NOT_INT, "BITFIELD k SET i8 0 a");
    EXPECT_ERR(c, NOT_INT, "BITFIELD k INCRBY i8 0 1.5");
    EXPECT_ERR(c, NOT_INT, "BITFIELD k SET i8 0 9223372036854775808");
    EXPECT_ERR(c, SYNTAX, "BITFIELD k GET i8");
    EXPECT_ERR(c, SYNTAX, "BITFIELD k SET i8 0");
    EXPECT_ERR(c, SYNTAX, "BITFIELD k INCRBY i8 0");
    EXPECT_ERR(c, SYNTAX, "BITFIELD k OVERFLOW");
    EXPECT_ERR(c, SYNTAX, "BITFIELD k FOO");
    EXPECT_ERR(c, SYNTAX, "BITFIELD k GET i8 0 foo");
    EXPECT_ERR(c, "ERR Invalid OVERFLOW type specified", "BITFIELD k OVERFLOW foo");
    EXPECT_ERR(c, "ERR Invalid OVERFLOW type specified", "BITFIELD k OVERFLOW foo GET i8 0");
    /* A bad op anywhere stops the whole command before anything runs. */
    EXPECT_ERR(c, BAD_TYPE, "BITFIELD k SET u8 0 0 GET x 0");
    EXPECT_ERR(c, BAD_OFFSET, "BITFIELD new SET u8 0 1 GET u8 -1");
    EXPECT_INT(c, 0, "EXISTS new");
    EXPECT_INT(c, 1, "GETBIT k 0");
    /* OVERFLOW FAIL still grows the string to the write's end, as Redis does. */
    redisReply *r = CMD(c, "BITFIELD f OVERFLOW FAIL INCRBY u2 100 10");
    if (CHECK_REPLY_ARRAY(r, 1)) CHECK_REPLY_NIL(r->element[0]);
    freeReplyObject(r);
    EXPECT_INT(c, 13, "STRLEN f");
    EXPECT_INT(c, 0, "BITCOUNT f");
    /* OVERFLOW applies to the ops after it, up to the next OVERFLOW. */
    r = CMD(c, "BITFIELD o SET u8 0 255 INCRBY u8 0 1 OVERFLOW SAT INCRBY u8 0 -1 INCRBY u8 0 -1 "
               "OVERFLOW FAIL INCRBY u8 0 -300 OVERFLOW WRAP INCRBY u8 0 -300");
    if (CHECK_REPLY_ARRAY(r, 6)) {
        CHECK_REPLY_INT(r->element[0], 0);
        CHECK_REPLY_INT(r->element[1], 0);
        CHECK_REPLY_INT(r->element[2], 0);
        CHECK_REPLY_INT(r->element[3], 0);
        CHECK_REPLY_NIL(r->element[4]);
        CHECK_REPLY_INT(r->element[5], 212);
    }
    freeReplyObject(r);
    EXPECT_ERR(c, "ERR wrong number of arguments for 'bitfield' command", "BITFIELD");
    redisFree(c);
}

static void t_bitfield_ro(void) {
    redisContext *c = fresh();
    set_bytes(c, "k", "\x80\x01", 2);
    redisReply *r = CMD(c, "BITFIELD_RO k GET i8 0 GET u16 0 GET u1 15 get u4 #3");
    if (CHECK_REPLY_ARRAY(r, 4)) {
        CHECK_REPLY_INT(r->element[0], -128);
        CHECK_REPLY_INT(r->element[1], 0x8001);
        CHECK_REPLY_INT(r->element[2], 1);
        CHECK_REPLY_INT(r->element[3], 1);
    }
    freeReplyObject(r);
    EXPECT_ARRAY_STRS(c, ((const char *[]){NULL}), 0, "BITFIELD_RO k");
    r = CMD(c, "BITFIELD_RO nokey GET u8 0");
    if (CHECK_REPLY_ARRAY(r, 1)) CHECK_REPLY_INT(r->element[0], 0);
    freeReplyObject(r);
    EXPECT_INT(c, 0, "EXISTS nokey");
    /* OVERFLOW is accepted (and means nothing); writes are refused after parsing. */
    r = CMD(c, "BITFIELD_RO k OVERFLOW SAT GET u8 8");
    if (CHECK_REPLY_ARRAY(r, 1)) CHECK_REPLY_INT(r->element[0], 1);
    freeReplyObject(r);
    EXPECT_ERR(c, "ERR BITFIELD_RO only supports the GET subcommand", "BITFIELD_RO k SET u8 0 1");
    EXPECT_ERR(c, "ERR BITFIELD_RO only supports the GET subcommand",
               "BITFIELD_RO nokey GET u8 0 INCRBY u8 0 1");
    EXPECT_ERR(c, BAD_TYPE, "BITFIELD_RO k SET u64 0 1");
    EXPECT_ERR(c, SYNTAX, "BITFIELD_RO k GET u8");
    EXPECT_ERR(c, "ERR Invalid OVERFLOW type specified", "BITFIELD_RO k OVERFLOW x");
    EXPECT_INT(c, 0, "EXISTS nokey");
    EXPECT_BULK_LEN(c, "\x80\x01", 2, "GET k");
    EXPECT_ERR(c, "ERR wrong number of arguments for 'bitfield_ro' command", "BITFIELD_RO");
    redisFree(c);
}

static void t_wrongtype(void) {
    redisContext *c = fresh();
    EXPECT_INT(c, 1, "RPUSH l a");
    EXPECT_ERR(c, WRONGTYPE, "SETBIT l 0 1");
    EXPECT_ERR(c, WRONGTYPE, "GETBIT l 0");
    EXPECT_ERR(c, WRONGTYPE, "BITCOUNT l");
    EXPECT_ERR(c, WRONGTYPE, "BITCOUNT l 0 1 BIT");
    EXPECT_ERR(c, WRONGTYPE, "BITCOUNT l a 1 foo"); /* the key is checked first */
    EXPECT_ERR(c, WRONGTYPE, "BITCOUNT l 0");
    EXPECT_ERR(c, WRONGTYPE, "BITPOS l 1");
    EXPECT_ERR(c, WRONGTYPE, "BITPOS l 0 0 -1 BIT");
    EXPECT_ERR(c, WRONGTYPE, "BITPOS l 1 a");
    EXPECT_ERR(c, WRONGTYPE, "BITPOS l 1 0 1 2 3 4");
    EXPECT_ERR(c, WRONGTYPE, "BITOP AND d l");
    EXPECT_ERR(c, WRONGTYPE, "BITOP OR d nokey l");
    EXPECT_ERR(c, WRONGTYPE, "BITOP NOT d l");
    EXPECT_INT(c, 0, "EXISTS d");
    EXPECT_ERR(c, WRONGTYPE, "BITFIELD l GET u8 0");
    EXPECT_ERR(c, WRONGTYPE, "BITFIELD l SET u8 0 1");
    EXPECT_ERR(c, WRONGTYPE, "BITFIELD l");
    EXPECT_ERR(c, WRONGTYPE, "BITFIELD_RO l GET u8 0");
    /* Argument errors come first where Redis checks them first. */
    EXPECT_ERR(c, BAD_OFFSET, "SETBIT l a 1");
    EXPECT_ERR(c, BAD_BIT, "SETBIT l 0 a");
    EXPECT_ERR(c, BAD_OFFSET, "GETBIT l a");
    EXPECT_ERR(c, "ERR The bit argument must be 1 or 0.", "BITPOS l 2");
    EXPECT_ERR(c, SYNTAX, "BITOP NOPE d l");
    EXPECT_ERR(c, SYNTAX, "BITFIELD l GET u8");
    EXPECT_ERR(c, "ERR BITFIELD_RO only supports the GET subcommand", "BITFIELD_RO l SET u8 0 1");
    EXPECT_ARRAY_STRS(c, ((const char *[]){"a"}), 1, "LRANGE l 0 -1");
    redisFree(c);
}

/* ---------------------------------------------------------------- randomized */

#define MODEL_BITS 1024

typedef struct model {
    unsigned char bit[MODEL_BITS]; /* one byte per bit */
    size_t len;                    /* string length in bytes */
} model;

static int m_get(const model *m, long long i) {
    return i >= 0 && (size_t)i < m->len * 8 ? m->bit[i] : 0;
}

static void m_grow(model *m, long long lastbit) {
    size_t need = (size_t)(lastbit / 8) + 1;
    if (need > m->len) m->len = need; /* new bits are already zero */
}

/* Redis's clamping for BITCOUNT/BITPOS ranges, in units; false if empty. */
static bool m_clamp(long long *s, long long *e, long long total) {
    if (*s < 0) *s += total;
    if (*e < 0) *e += total;
    if (*s < 0) *s = 0;
    if (*e < 0) *e = 0;
    if (*e >= total) *e = total - 1;
    return *s <= *e;
}

static long long rnd(long long lo, long long hi) {
    return lo + (long long)(random() % (hi - lo + 1));
}

static void t_random(void) {
    redisContext *c = fresh();
    unsigned seed = (unsigned)now_ms();
    srandom(seed);
    model *m = calloc(1, sizeof(*m));
    int bad = test_checks_failed;
    for (int iter = 0; iter < 8000 && test_checks_failed == bad; iter++) {
        int what = (int)rnd(0, 5);
        if (what == 0) { /* SETBIT */
            long long off = rnd(0, MODEL_BITS - 1), v = rnd(0, 1);
            CHECK_EQ_INT(CMD_INT(c, "SETBIT k %lld %lld", off, v), m_get(m, off));
            m_grow(m, off);
            m->bit[off] = (unsigned char)v;
        } else if (what == 1) { /* GETBIT */
            long long off = rnd(0, MODEL_BITS + 100);
            CHECK_EQ_INT(CMD_INT(c, "GETBIT k %lld", off), m_get(m, off));
        } else if (what == 2) { /* BITCOUNT */
            bool isbit = random() & 1, ranged = random() % 4 != 0;
            long long total = (long long)m->len * (isbit ? 8 : 1);
            long long s = rnd(-total - 10, total + 10), e = rnd(-total - 10, total + 10);
            long long exp = 0, ss = ranged ? s : 0, ee = ranged ? e : -1;
            if (!(ranged && s < 0 && e < 0 && s > e) && m_clamp(&ss, &ee, total)) {
                long long sb = isbit ? ss : ss * 8, eb = isbit ? ee : ee * 8 + 7;
                for (long long i = sb; i <= eb; i++) exp += m_get(m, i);
            }
            long long got =
                !ranged ? CMD_INT(c, "BITCOUNT k")
                        : CMD_INT(c, "BITCOUNT k %lld %lld %s", s, e, isbit ? "BIT" : "BYTE");
            if (got != exp)
                test_fail(__FILE__, __LINE__,
                          "seed %u: BITCOUNT k %lld %lld %s (ranged %d) = %lld, model %lld", seed,
                          s, e, isbit ? "BIT" : "BYTE", ranged, got, exp);
        } else if (what == 3) { /* BITPOS */
            int bit = (int)(random() & 1),
                form = (int)rnd(0, 3); /* none, start, start end, + unit */
            bool isbit = form == 3 && (random() & 1);
            long long total = (long long)m->len * (isbit ? 8 : 1);
            long long s = rnd(-total - 5, total + 5), e = rnd(-total - 5, total + 5);
            long long ss = form >= 1 ? s : 0, ee = form >= 2 ? e : total - 1, exp = -1;
            if (m->len == 0 && form == 0) exp = -1;
            if (m_clamp(&ss, &ee, total)) {
                long long sb = isbit ? ss : ss * 8, eb = isbit ? ee : ee * 8 + 7;
                for (long long i = sb; i <= eb && exp < 0; i++)
                    if (m_get(m, i) == bit) exp = i;
                if (exp < 0 && bit == 0 && form < 2) exp = eb + 1;
            }
            long long got;
            if (form == 0)
                got = CMD_INT(c, "BITPOS k %d", bit);
            else if (form == 1)
                got = CMD_INT(c, "BITPOS k %d %lld", bit, s);
            else if (form == 2)
                got = CMD_INT(c, "BITPOS k %d %lld %lld", bit, s, e);
            else
                got = CMD_INT(c, "BITPOS k %d %lld %lld %s", bit, s, e, isbit ? "BIT" : "BYTE");
            if (m->len == 0) exp = bit ? -1 : 0; /* a missing key */
            if (got != exp)
                test_fail(__FILE__, __LINE__,
                          "seed %u: BITPOS k %d %lld %lld %s (form %d) = %lld, model %lld", seed,
                          bit, s, e, isbit ? "BIT" : "BYTE", form, got, exp);
        } else { /* BITFIELD: one GET, SET or INCRBY in a random mode */
            bool sign = random() & 1;
            int bits = (int)rnd(1, sign ? 64 : 63), op = (int)rnd(0, 2), mode = (int)rnd(0, 2);
            long long off = rnd(0, MODEL_BITS - bits);
            long long arg = (random() & 1)
                                ? rnd(-300, 300)
                                : (long long)(((uint64_t)random() << 33) ^
                                              ((uint64_t)random() << 2) ^ (uint64_t)random());
            /* The field now, as an exact integer. */
            __int128 cur = 0;
            for (int i = 0; i < bits; i++) cur = cur * 2 + m_get(m, off + i);
            if (sign && m_get(m, off)) cur -= (__int128)1 << bits;
            __int128 min = sign ? -((__int128)1 << (bits - 1)) : 0;
            __int128 max = sign ? ((__int128)1 << (bits - 1)) - 1 : ((__int128)1 << bits) - 1;
            __int128 want = op == 1 ? (sign ? (__int128)arg : (__int128)(uint64_t)arg) : cur + arg;
            long long exp;
            bool store = false;
            __int128 stored = 0;
            if (op == 0) {
                exp = (long long)cur;
            } else {
                stored = want;
                store = true;
                if (want < min || want > max) {
                    __int128 span = (__int128)1 << bits;
                    if (mode == 0) { /* wrap */
                        stored = ((want - min) % span + span) % span + min;
                    } else if (mode == 1) { /* sat, with Redis's quirk for huge negative SETs */
                        bool above = want > max || (op == 1 && sign && max - want > INT64_MAX);
                        stored = above ? max : min;
                    } else {
                        store = false;
                    }
                }
                exp = !store ? NIL : op == 1 ? (long long)cur : (long long)stored;
            }
            static const char *const modes[] = {"WRAP", "SAT", "FAIL"};
            static const char *const ops[] = {"GET", "SET", "INCRBY"};
            long long got = op == 0
                                ? bf1(c, "BITFIELD k GET %s%d %lld", sign ? "i" : "u", bits, off)
                                : bf1(c, "BITFIELD k OVERFLOW %s %s %s%d %lld %lld", modes[mode],
                                      ops[op], sign ? "i" : "u", bits, off, arg);
            if (got != exp)
                test_fail(__FILE__, __LINE__,
                          "seed %u: BITFIELD %s %s %c%d %lld %lld = %lld, model %lld", seed,
                          modes[mode], ops[op], sign ? 'i' : 'u', bits, off, arg, got, exp);
            if (op != 0) m_grow(m, off + bits - 1);
            if (store) {
                unsigned __int128 u = (unsigned __int128)stored;
                for (int i = bits - 1; i >= 0; i--, u >>= 1)
                    m->bit[off + i] = (unsigned char)(u & 1);
            }
        }
        if (iter % 1000 == 999) {
            /* The whole string, byte for byte. */
            char *s = malloc(m->len + 1);
            for (size_t b = 0; b < m->len; b++) {
                unsigned v = 0;
                for (int i = 0; i < 8; i++) v = v << 1 | m->bit[b * 8 + (size_t)i];
                s[b] = (char)v;
            }
            if (m->len) EXPECT_BULK_LEN(c, s, m->len, "GET k");
            free(s);
        }
    }
    if (test_checks_failed != bad) fprintf(stderr, "random bitops: seed %u\n", seed);
    free(m);
    redisFree(c);
}

static void t_stop(void) {
    CHECK(srv_stop(S));
    S = NULL;
}

int main(void) {
    test_run("start server", t_start);
    if (!S) return test_summary("bitops");
    test_run("SETBIT GETBIT", t_setbit_getbit);
    test_run("SETBIT makes the value raw", t_setbit_encoding);
    test_run("bit offset limit (proto-max-bulk-len)", t_offset_limit);
    test_run("BITCOUNT", t_bitcount);
    test_run("BITPOS", t_bitpos);
    test_run("BITOP", t_bitop);
    test_run("BITFIELD GET SET INCRBY", t_bitfield_basic);
    test_run("BITFIELD overflow modes", t_bitfield_overflow);
    test_run("BITFIELD i64 u63 and small widths", t_bitfield_limits);
    test_run("BITFIELD errors", t_bitfield_errors);
    test_run("BITFIELD_RO", t_bitfield_ro);
    test_run("WRONGTYPE", t_wrongtype);
    test_run("randomized against a bit-array model", t_random);
    test_run("server exits cleanly", t_stop);
    if (S) srv_stop(S);
    return test_summary("bitops");
}
