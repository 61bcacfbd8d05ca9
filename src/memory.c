/* src/memory.c: see memory.h. */
#include "memory.h"

#include <string.h>
#include <sys/sysinfo.h>

#include "../utils/ht.h"
#include "persist.h"
#include "server.h"

static size_t initial_memory_usage; /* Redis's name: used_memory_startup */

void memory_record_startup(void) { initial_memory_usage = cn_used_memory(); }

size_t memory_system_total(void) {
    struct sysinfo si;
    return sysinfo(&si) == 0 ? (size_t)si.totalram * si.mem_unit : 0;
}

size_t memory_headroom(void) {
    size_t limit = server.maxmemory > 0 ? (size_t)server.maxmemory : memory_system_total();
    size_t used = cn_used_memory();
    return limit > used ? limit - used : 0;
}

static float ratio(size_t num, size_t den) { return den ? (float)num / (float)den : 0; }

static long long diff(size_t a, size_t b) { return (long long)a - (long long)b; }

void memory_overhead_get(memory_overhead *mh) {
    memset(mh, 0, sizeof(*mh));
    size_t used = cn_used_memory();
    if (used > server.stat_peak_memory) server.stat_peak_memory = used;
    mh->total_allocated = used;
    mh->startup_allocated = initial_memory_usage;
    mh->peak_allocated = server.stat_peak_memory;

    mh->process_rss = cn_rss();
    cn_alloc_get_stats(&mh->alloc);
    mh->allocator_frag = ratio(mh->alloc.active, mh->alloc.allocated);
    mh->allocator_frag_bytes = diff(mh->alloc.active, mh->alloc.allocated);
    mh->allocator_rss = ratio(mh->alloc.resident, mh->alloc.active);
    mh->allocator_rss_bytes = diff(mh->alloc.resident, mh->alloc.active);
    mh->rss_extra = ratio(mh->process_rss, mh->alloc.resident);
    mh->rss_extra_bytes = diff(mh->process_rss, mh->alloc.resident);
    mh->total_frag = ratio(mh->process_rss, used);
    mh->total_frag_bytes = diff(mh->process_rss, used);

    size_t total = mh->startup_allocated;
    for (size_t i = 0; i < server.nclients; i++)
        mh->clients_normal += client_mem_usage(server.clients[i]);
    total += mh->clients_normal;
    mh->aof_buffer = persist_aof_buffer_mem();
    total += mh->aof_buffer;

    /* Allocated after `used` was read: not part of this report's figures. */
    mh->db = cn_malloc(sizeof(*mh->db) * (size_t)(db_count() ? db_count() : 1));
    for (int i = 0; i < db_count(); i++) {
        db *d = db_get(i);
        size_t keys = db_size(d);
        if (!keys) continue;
        memory_db_overhead *o = &mh->db[mh->num_dbs++];
        o->dbid = i;
        o->ht_main = ht_mem_usage(d->keys);
        o->ht_expires = cn_alloc_size(d->expires.items);
        total += o->ht_main + o->ht_expires;
        mh->total_keys += keys;
    }

    mh->overhead_total = total;
    mh->dataset = used > total ? used - total : 0;
    mh->peak_perc = mh->peak_allocated ? (float)used * 100 / (float)mh->peak_allocated : 0;
    size_t net_usage = used > mh->startup_allocated ? used - mh->startup_allocated : 1;
    mh->dataset_perc = (float)mh->dataset * 100 / (float)net_usage;
    mh->bytes_per_key = mh->total_keys ? net_usage / mh->total_keys : 0;
}

void memory_overhead_deinit(memory_overhead *mh) {
    cn_free(mh->db);
    mh->db = NULL;
    mh->num_dbs = 0;
}

/* ---------------------------------------------------------------- MEMORY DOCTOR */

#define DOCTOR_EMPTY_BELOW (5u << 20)   /* less in use than this: nothing to judge */
#define DOCTOR_BYTES_WORTH (10LL << 20) /* a ratio matters only past this many bytes */
#define DOCTOR_CLIENT_AVG (200u << 10)  /* average bytes per client called big */

static double mb(long long bytes) { return (double)bytes / (1024.0 * 1024.0); }

/* The thresholds are Redis's (getMemoryDoctorReport); the words are our own. */
void memory_doctor_report(sbuf *out) {
    memory_overhead mh;
    memory_overhead_get(&mh);
    if (mh.total_allocated < DOCTOR_EMPTY_BELOW) {
        sbuf_cat(out, "Hi Sam, this instance holds almost nothing yet (less than 5 MB in use), so "
                      "my checks would only be guessing. Give it some data to carry and ask me "
                      "again; I will be right here.\n");
        memory_overhead_deinit(&mh);
        return;
    }
    sbuf report = {0};
    int found = 0;
    if (ratio(mh.peak_allocated, mh.total_allocated) > 1.5) {
        found++;
        sbuf_catfmt(&report,
                    " * Peak far above current use: this instance once used %.1f MB, more than "
                    "one and a half times the %.1f MB it uses now. Memory freed since then may "
                    "still be held by the allocator, which shows as high fragmentation and RSS "
                    "below. MEMORY PURGE asks it to give unused pages back; if the peak came from "
                    "a burst you expect again, the memory will simply be reused.\n\n",
                    mb((long long)mh.peak_allocated), mb((long long)mh.total_allocated));
    }
    if (mh.total_frag > 1.4f && mh.total_frag_bytes > DOCTOR_BYTES_WORTH) {
        found++;
        sbuf_catfmt(&report,
                    " * High fragmentation: the process keeps %.2f times the memory its data "
                    "needs in RAM (%.1f MB more). INFO memory splits the extra into holes "
                    "inside the allocator's pages (allocator_frag_*), freed pages it has not "
                    "returned yet (allocator_rss_*) and memory outside it (rss_overhead_*).\n\n",
                    (double)mh.total_frag, mb(mh.total_frag_bytes));
    }
    if (mh.allocator_frag > 1.1f && mh.allocator_frag_bytes > DOCTOR_BYTES_WORTH) {
        found++;
        sbuf_catfmt(&report,
                    " * Allocator fragmentation: jemalloc's pages in use are %.2f times the bytes "
                    "allocated in them (%.1f MB of holes). Deleting many small values leaves "
                    "half-empty pages behind; new writes of similar sizes fill them again over "
                    "time.\n\n",
                    (double)mh.allocator_frag, mb(mh.allocator_frag_bytes));
    }
    if (mh.allocator_rss > 1.1f && mh.allocator_rss_bytes > DOCTOR_BYTES_WORTH) {
        found++;
        sbuf_catfmt(&report,
                    " * Allocator RSS overhead: the allocator holds %.2f times its active pages "
                    "in RAM (%.1f MB of freed pages not yet given back to the system). MEMORY "
                    "PURGE returns them now; jemalloc-bg-thread yes returns them over time.\n\n",
                    (double)mh.allocator_rss, mb(mh.allocator_rss_bytes));
    }
    if (mh.rss_extra > 1.1f && mh.rss_extra_bytes > DOCTOR_BYTES_WORTH) {
        found++;
        sbuf_catfmt(&report,
                    " * Process RSS overhead: the process has %.2f times the allocator's resident "
                    "memory in RAM (%.1f MB outside the allocator): code, libraries, stacks, or "
                    "pages copied while a snapshot or AOF rewrite child shared them.\n\n",
                    (double)mh.rss_extra, mb(mh.rss_extra_bytes));
    }
    if (server.nclients && mh.clients_normal / server.nclients > DOCTOR_CLIENT_AVG) {
        found++;
        sbuf_catfmt(&report,
                    " * Big client buffers: the %zu connected clients hold %.1f MB, more than "
                    "200 KB each on average. Slow readers (Pub/Sub subscribers that fall behind, "
                    "clients fetching huge replies) and long pipelines pile bytes up here. CLIENT "
                    "LIST shows who (qbuf, omem, tot-mem); client-output-buffer-limit caps "
                    "it.\n\n",
                    server.nclients, mb((long long)mh.clients_normal));
    }
    if (!found) {
        sbuf_cat(out, "Hi Sam, I looked at everything I can see from in here and found no memory "
                      "problems: fragmentation, RSS, the peak and the client buffers all look "
                      "healthy.\n");
    } else {
        sbuf_cat(out, "Sam, a few things in this instance's memory deserve a look:\n\n");
        sbuf_catlen(out, report.buf, report.len);
        sbuf_cat(out, "Hope this helps, Sam. Ask me again once things have settled.\n");
    }
    sbuf_free(&report);
    memory_overhead_deinit(&mh);
}
