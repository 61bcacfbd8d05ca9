/* utils/alloc.h: every allocation in Cairn goes through here.
 *
 * Backed by jemalloc. Memory is counted exactly from jemalloc's real size of each
 * allocation (its usable size), so cn_used_memory() is what INFO memory reports.
 * The wrappers abort on out-of-memory: callers never check for NULL.
 *
 * Threads: the counter is atomic, so background threads (lazy free, fsync) may
 * allocate and free too. No logging, no other globals.
 */
#ifndef CAIRN_ALLOC_H
#define CAIRN_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

void *cn_malloc(size_t size) __attribute__((malloc, returns_nonnull));
void *cn_calloc(size_t n, size_t size) __attribute__((malloc, returns_nonnull));
/* May move the block: use the returned pointer. */
void *cn_realloc(void *p, size_t size) __attribute__((warn_unused_result, returns_nonnull));
void cn_free(void *p); /* accepts NULL */
char *cn_strndup(const char *s, size_t len) __attribute__((malloc, returns_nonnull));
char *cn_strdup(const char *s) __attribute__((malloc, returns_nonnull));

/* jemalloc's real size of a block we allocated (>= what was asked). */
size_t cn_alloc_size(const void *p);
/* The size class jemalloc would give to a request of size bytes. */
size_t cn_good_size(size_t size);
/* Bytes currently allocated through this module (sum of real sizes). */
size_t cn_used_memory(void);

/* Allocator-wide figures for INFO memory (from jemalloc's stats; refreshed on call). */
typedef struct cn_alloc_stats {
    size_t allocated, active, resident, mapped, retained;
} cn_alloc_stats;
void cn_alloc_get_stats(cn_alloc_stats *st);
/* Resident set size of this process, from /proc (0 if unknown). */
size_t cn_rss(void);
/* Returns unused dirty pages to the OS (MEMORY PURGE). */
void cn_alloc_purge(void);
/* The allocator's name as INFO memory's mem_allocator shows it: "jemalloc-5.3.0",
 * or "libc" in sanitizer builds. A static string. */
const char *cn_alloc_name(void);
/* jemalloc's own statistics report (malloc_stats_print), handed to write() in
 * pieces of text (MEMORY MALLOC-STATS). Returns false, calling nothing, when the
 * allocator has no such report (sanitizer builds). */
bool cn_alloc_stats_print(void (*write)(void *ctx, const char *text), void *ctx);
/* jemalloc's background purging thread (jemalloc-bg-thread): freed pages go back
 * to the OS over time even when the server is idle. No-op without jemalloc. */
void cn_alloc_set_background_thread(bool on);

#endif
