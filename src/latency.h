/* src/latency.h: the latency monitor (LATENCY) and per-command latency histograms
 * (INFO latencystats, LATENCY HISTOGRAM).
 *
 * Two independent records, as in Redis 7.0.
 *
 * 1. Events: the monitor. Code that can stall the event loop times itself and reports
 *    "this event took N ms". While latency-monitor-threshold is 0 (the default) nothing
 *    is kept; otherwise every report of at least the threshold is a sample. Per event
 *    the monitor keeps the all-time maximum and a ring of the last LATENCY_TS_LEN
 *    seconds that had a sample: each slot is a Unix second and the largest latency
 *    reported in it (samples in the same second are merged). LATENCY LATEST, HISTORY,
 *    RESET, GRAPH and DOCTOR read them. The events, with Redis's names:
 *      "command"        a command without the fast flag (call_command, server.c)
 *      "fast-command"   a command flagged fast (CMD_FAST): should never be slow
 *      "expire-cycle"   one active expiry cycle, fast or slow (expire.c)
 *      "eviction-cycle" one eviction cycle towards maxmemory      }  reported by the
 *      "eviction-del"   deleting one evicted key                  }  eviction code
 *      "eviction-lazyfree" waiting for lazy frees to give memory  }  (evict.c)
 *      "aof-write"      the before-sleep write() of the AOF buffer, and the same
 *                       sample under "aof-write-pending-fsync" (the everysec fsync was
 *                       running), "aof-write-active-child" (a child was running) or
 *                       "aof-write-alone" (neither)                       (persist.c)
 *      "aof-fsync-always" the fsync after that write under appendfsync always
 *      "aof-rename"     switching to a rewritten AOF: the new manifest (temp file,
 *                       fsync, rename) and the old files' removal
 *      "fork"           fork() of a BGSAVE or AOF rewrite child
 *    Timing a section (no clock read while the monitor is off):
 *      int64_t t = latency_start();
 *      ... evict one key ...
 *      latency_add_sample_if_needed("eviction-del", latency_end_ms(t));
 *
 * 2. Histograms: per command (subcommands by their full name, "config|get"), the
 *    distribution of its run times, while latency-tracking is yes (the default). A
 *    command's histogram (utils/histogram.h, in nanoseconds, from the microseconds
 *    call_command measures, clamped to [1 ns, 1 s] as Redis does) is allocated at its
 *    first call and lives in command.latency_hist; CONFIG RESETSTAT frees them all
 *    (command_reset_stats). INFO latencystats prints, per command with a histogram,
 *    the percentiles of latency-tracking-info-percentiles in microseconds with three
 *    decimals; turning latency-tracking off stops recording and hides the section's
 *    lines without freeing anything.
 *
 * Ownership: latency.c owns the event table (event names are copied). It reads its
 * settings from `server` (latency_monitor_threshold, latency_tracking,
 * latency_tracking_info_percentiles) and never writes them.
 *
 * What it never does: block, or read the clock on a path where the monitor is off;
 * LATENCY DOCTOR reads /sys once per call for its advice on transparent huge pages.
 */
#ifndef CAIRN_LATENCY_H
#define CAIRN_LATENCY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "command.h"

typedef struct sbuf sbuf;

#define LATENCY_TS_LEN 160 /* seconds with samples kept per event (Redis's ring) */
#define LATENCY_HISTOGRAM_MIN_NS 1
#define LATENCY_HISTOGRAM_MAX_NS 1000000000LL

void latency_setup(void);
/* Frees every event (the histograms go with the command table). */
void latency_teardown(void);

/* Records a sample of ms for event when the monitor is on and ms reaches the
 * threshold; otherwise does nothing. event is copied the first time it is seen. */
void latency_add_sample_if_needed(const char *event, long long ms);
/* The monotonic clock in us when the monitor is on, else 0 (no clock read). */
int64_t latency_start(void);
/* ms since latency_start() returned start; 0 when the monitor is off. */
long long latency_end_ms(int64_t start);

/* call_command(), after cmd ran for dur_us: its histogram (latency-tracking) and the
 * "command" / "fast-command" event. */
void latency_command_done(command *cmd, long long dur_us);

/* INFO latencystats: the "# Latencystats" section. */
void latency_info(sbuf *b);

/* latency-tracking-info-percentiles (config.c): parses argc words, each a double in
 * [0, 100] (as Redis reads it: strtod syntax, no leading space, no NaN; one empty
 * word means none), into the value as CONFIG GET shows it: each number printed with
 * "%f" less its trailing zeros and dot, separated by single spaces ("" for none).
 * Returns a cn_malloc'd string, or NULL with Redis's reason in err. */
char *latency_percentiles_parse(int argc, char **argv, const size_t *lens, char *err,
                                size_t errlen);

/* The LATENCY command (registered in command.c). */
extern command cmd_table_latency[];

#endif
