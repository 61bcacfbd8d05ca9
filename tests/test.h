/* tests/test.h: the tiny test framework every test binary shares.
 *
 * A test is a void function; CHECK* macros record a failure (with file and line)
 * and let the test go on. test_run() counts the test as passed when none of its
 * checks failed. test_summary() prints "suite NAME: N passed, M failed" and
 * returns the process exit code; tests/run.sh adds the suites up and prints the
 * final "N passed, M failed" line.
 *
 *   static void t_parse_ping(void) { CHECK_EQ_INT(parse("PING"), 1); }
 *   int main(void) { test_run("parse ping", t_parse_ping); return test_summary("resp"); }
 */
#ifndef CAIRN_TEST_H
#define CAIRN_TEST_H

#include <stdio.h>
#include <string.h>

extern int test_checks_failed; /* failures inside the test now running */

void test_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void test_run(const char *name, void (*fn)(void));
int test_summary(const char *suite);
/* Runs only tests whose name contains this (from env TEST_FILTER), or all. */
int test_selected(const char *name);
/* test_run(), and the test also fails unless used_memory() gives the same before and after
 * it: unit tests pass cn_used_memory (utils/alloc.h) to check that a test frees all it
 * allocates. test.c itself does not link utils/, hence the pointer. */
void test_run_tracked(const char *name, void (*fn)(void), size_t (*used_memory)(void));

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);                            \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                                         \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (a_ != b_) test_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", #a, a_, b_);      \
    } while (0)

#define CHECK_EQ_STR(a, b)                                                                         \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                                                     \
            test_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #a, a_ ? a_ : "(null)", \
                      b_ ? b_ : "(null)");                                                         \
    } while (0)

#define CHECK_RANGE(v, lo, hi)                                                                     \
    do {                                                                                           \
        long long v_ = (long long)(v), lo_ = (long long)(lo), hi_ = (long long)(hi);               \
        if (v_ < lo_ || v_ > hi_)                                                                  \
            test_fail(__FILE__, __LINE__, "%s == %lld, not in [%lld, %lld]", #v, v_, lo_, hi_);     \
    } while (0)

#define CHECK_EQ_MEM(a, alen, b, blen)                                                             \
    do {                                                                                           \
        size_t al_ = (alen), bl_ = (blen);                                                         \
        if (al_ != bl_ || memcmp((a), (b), al_) != 0)                                              \
            test_fail(__FILE__, __LINE__, "%s (%zu bytes) differs from %s (%zu bytes)", #a, al_,   \
                      #b, bl_);                                                                    \
    } while (0)

#endif
