/* tests/test.c: see test.h. */
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>

int test_checks_failed;
static int passed, failed;

void test_fail(const char *file, int line, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "    %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    test_checks_failed++;
}

int test_selected(const char *name) {
    const char *f = getenv("TEST_FILTER");
    return !f || !*f || strstr(name, f) != NULL;
}

void test_run(const char *name, void (*fn)(void)) {
    if (!test_selected(name)) return;
    test_checks_failed = 0;
    fn();
    if (test_checks_failed) {
        failed++;
        fprintf(stderr, "  FAIL %s\n", name);
    } else {
        passed++;
        if (getenv("TEST_VERBOSE")) fprintf(stderr, "  ok   %s\n", name);
    }
}

static void (*tracked_fn)(void);
static size_t (*tracked_used_memory)(void);

static void tracked(void) {
    size_t before = tracked_used_memory();
    tracked_fn();
    size_t after = tracked_used_memory();
    if (after != before)
        test_fail(__FILE__, __LINE__, "%zu bytes of memory in use after the test, %zu before",
                  after, before);
}

void test_run_tracked(const char *name, void (*fn)(void), size_t (*used_memory)(void)) {
    tracked_fn = fn;
    tracked_used_memory = used_memory;
    test_run(name, tracked);
}

int test_summary(const char *suite) {
    printf("suite %s: %d passed, %d failed\n", suite, passed, failed);
    fflush(stdout);
    return failed ? 1 : 0;
}
