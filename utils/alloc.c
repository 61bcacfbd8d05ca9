/* utils/alloc.c: see alloc.h. */
#include "alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef CN_LIBC_MALLOC
/* Sanitizer builds: the sanitizer owns malloc, so jemalloc stays out and its
 * queries fall back to glibc's (exact sizes, no allocator-wide stats). */
#include <malloc.h>
#define nallocx(size, flags) (size)
static int mallctl(const char *name, void *old, size_t *oldlen, void *new_, size_t newlen) {
    (void)name, (void)old, (void)oldlen, (void)new_, (void)newlen;
    return -1;
}
#define MALLCTL_ARENAS_ALL 4096
#else
#include <jemalloc/jemalloc.h>
#endif

static _Atomic size_t used_memory;

static void oom(size_t size) {
    fprintf(stderr, "cairn: out of memory allocating %zu bytes\n", size);
    fflush(stderr);
    abort();
}

static inline void *account(void *p, size_t size) {
    if (!p) oom(size);
    atomic_fetch_add_explicit(&used_memory, malloc_usable_size(p), memory_order_relaxed);
    return p;
}

void *cn_malloc(size_t size) { return account(malloc(size ? size : 1), size); }

void *cn_calloc(size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) oom(SIZE_MAX);
    return account(calloc(n ? n : 1, size ? size : 1), n * size);
}

void *cn_realloc(void *p, size_t size) {
    if (!p) return cn_malloc(size);
    size_t old = malloc_usable_size(p);
    void *np = realloc(p, size ? size : 1);
    if (!np) oom(size);
    atomic_fetch_sub_explicit(&used_memory, old, memory_order_relaxed);
    atomic_fetch_add_explicit(&used_memory, malloc_usable_size(np), memory_order_relaxed);
    return np;
}

void cn_free(void *p) {
    if (!p) return;
    atomic_fetch_sub_explicit(&used_memory, malloc_usable_size(p), memory_order_relaxed);
    free(p);
}

char *cn_strndup(const char *s, size_t len) {
    char *d = cn_malloc(len + 1);
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

char *cn_strdup(const char *s) { return cn_strndup(s, strlen(s)); }

size_t cn_alloc_size(const void *p) { return p ? malloc_usable_size((void *)p) : 0; }

size_t cn_good_size(size_t size) { return nallocx(size ? size : 1, 0); }

size_t cn_used_memory(void) { return atomic_load_explicit(&used_memory, memory_order_relaxed); }

void cn_alloc_get_stats(cn_alloc_stats *st) {
    uint64_t epoch = 1;
    size_t sz = sizeof(epoch);
    mallctl("epoch", &epoch, &sz, &epoch, sz);
    memset(st, 0, sizeof(*st));
    sz = sizeof(size_t);
    mallctl("stats.allocated", &st->allocated, &sz, NULL, 0);
    mallctl("stats.active", &st->active, &sz, NULL, 0);
    mallctl("stats.resident", &st->resident, &sz, NULL, 0);
    mallctl("stats.mapped", &st->mapped, &sz, NULL, 0);
    mallctl("stats.retained", &st->retained, &sz, NULL, 0);
}

size_t cn_rss(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return 0;
    unsigned long size = 0, resident = 0;
    int n = fscanf(f, "%lu %lu", &size, &resident);
    fclose(f);
    return n == 2 ? resident * (size_t)sysconf(_SC_PAGESIZE) : 0;
}

void cn_alloc_purge(void) {
    char cmd[64];
    snprintf(cmd, sizeof(cmd), "arena.%d.purge", MALLCTL_ARENAS_ALL);
    mallctl(cmd, NULL, NULL, NULL, 0);
}

#define CN_STR_(x) #x
#define CN_STR(x) CN_STR_(x)

const char *cn_alloc_name(void) {
#ifdef CN_LIBC_MALLOC
    return "libc";
#else
    return "jemalloc-" CN_STR(JEMALLOC_VERSION_MAJOR) "." CN_STR(JEMALLOC_VERSION_MINOR) "." CN_STR(
        JEMALLOC_VERSION_BUGFIX);
#endif
}

bool cn_alloc_stats_print(void (*write)(void *ctx, const char *text), void *ctx) {
#ifdef CN_LIBC_MALLOC
    (void)write, (void)ctx;
    return false;
#else
    malloc_stats_print(write, ctx, NULL);
    return true;
#endif
}

void cn_alloc_set_background_thread(bool on) {
    mallctl("background_thread", NULL, NULL, &on, sizeof(on));
}
