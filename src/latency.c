/* src/latency.c: the latency monitor, per-command histograms, INFO latencystats and
 * the LATENCY command. See latency.h for the contract. Reply shapes and error texts
 * are Redis 7.0.15's (checked in RESP2 and RESP3); the DOCTOR and GRAPH texts are our
 * own. */
#include "latency.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../utils/clock.h"
#include "../utils/histogram.h"
#include "../utils/num.h"
#include "../utils/sbuf.h"
#include "server.h"

/* ---------------------------------------------------------------- events */

typedef struct latency_sample {
    int32_t time; /* Unix seconds; 0 = empty slot */
    uint32_t ms;  /* the largest latency reported in that second */
} latency_sample;

typedef struct latency_event {
    char *name;
    uint32_t max;  /* all time (since the event's first sample or its RESET) */
    int idx;       /* the slot the next new second goes to */
    latency_sample samples[LATENCY_TS_LEN];
} latency_event;

/* In order of first sample; few (one per event name), so a linear search will do. */
static latency_event **events;
static size_t nevents, events_cap;

void latency_setup(void) {
    events = NULL;
    nevents = events_cap = 0;
}

static void event_free(latency_event *e) {
    cn_free(e->name);
    cn_free(e);
}

void latency_teardown(void) {
    for (size_t i = 0; i < nevents; i++) event_free(events[i]);
    cn_free(events);
    events = NULL;
    nevents = events_cap = 0;
}

static latency_event *event_find(const char *name, size_t len, size_t *pos) {
    for (size_t i = 0; i < nevents; i++) {
        if (strlen(events[i]->name) == len && memcmp(events[i]->name, name, len) == 0) {
            if (pos) *pos = i;
            return events[i];
        }
    }
    return NULL;
}

static void latency_add_sample(const char *event, long long ms) {
    latency_event *e = event_find(event, strlen(event), NULL);
    if (!e) {
        e = cn_calloc(1, sizeof(*e));
        e->name = cn_strdup(event);
        if (nevents == events_cap) {
            events_cap = events_cap ? events_cap * 2 : 8;
            events = cn_realloc(events, events_cap * sizeof(*events));
        }
        events[nevents++] = e;
    }
    uint32_t v = ms > (long long)UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
    int32_t now = (int32_t)(clock_ms() / 1000);
    if (v > e->max) e->max = v;
    latency_sample *prev = &e->samples[(e->idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN];
    if (prev->time == now) { /* one slot per second: keep its largest */
        if (v > prev->ms) prev->ms = v;
        return;
    }
    e->samples[e->idx].time = now;
    e->samples[e->idx].ms = v;
    e->idx = (e->idx + 1) % LATENCY_TS_LEN;
}

void latency_add_sample_if_needed(const char *event, long long ms) {
    if (server.latency_monitor_threshold && ms >= server.latency_monitor_threshold)
        latency_add_sample(event, ms);
}

int64_t latency_start(void) { return server.latency_monitor_threshold ? clock_mono_us() : 0; }

long long latency_end_ms(int64_t start) {
    if (!server.latency_monitor_threshold || start == 0) return 0;
    return (clock_mono_us() - start) / 1000;
}

/* ---------------------------------------------------------------- per-command histograms */

static void command_event(const command *cmd, long long dur_us) {
    latency_add_sample_if_needed(cmd->flags & CMD_FAST ? "fast-command" : "command", dur_us / 1000);
}

/* latency_command_done() for a command's first sample or its first in a new power of
 * two: the allocations, kept out of the common path (whose calls are then all tail
 * calls: it saves no registers). */
static __attribute__((noinline, cold)) void command_done_allocating(command *cmd, uint64_t ns,
                                                                    long long dur_us) {
    if (!cmd->latency_hist) cmd->latency_hist = hist_create();
    hist_record(cmd->latency_hist, ns);
    if (server.latency_monitor_threshold) command_event(cmd, dur_us);
}

void latency_command_done(command *cmd, long long dur_us) {
    if (server.latency_tracking) {
        /* Redis records the microseconds it measured, in ns, within [1 ns, 1 s]. */
        uint64_t ns = dur_us > 0 ? (uint64_t)dur_us * 1000 : LATENCY_HISTOGRAM_MIN_NS;
        if (ns > LATENCY_HISTOGRAM_MAX_NS) ns = LATENCY_HISTOGRAM_MAX_NS;
        if (!cmd->latency_hist || !hist_try_record(cmd->latency_hist, ns)) {
            command_done_allocating(cmd, ns, dur_us);
            return;
        }
    }
    if (server.latency_monitor_threshold) command_event(cmd, dur_us);
}

/* "%f" less trailing zeros and a trailing dot, as Redis prints percentiles. */
static int fmt_percentile(char *buf, size_t cap, double p) {
    int n = snprintf(buf, cap, "%f", p);
    if (n <= 0 || (size_t)n >= cap) return 0;
    if (strchr(buf, '.')) {
        while (n > 0 && buf[n - 1] == '0') n--;
        if (n > 0 && buf[n - 1] == '.') n--;
        buf[n] = '\0';
    }
    return n;
}

char *latency_percentiles_parse(int argc, char **argv, const size_t *lens, char *err,
                                size_t errlen) {
    sbuf b = {0};
    sbuf_cat(&b, "");
    if (argc == 1 && lens[0] == 0) return b.buf; /* "" = none */
    for (int i = 0; i < argc; i++) {
        double p;
        const char *why = NULL;
        if (!num_parse_double(argv[i], lens[i], &p))
            why = "Invalid latency-tracking-info-percentiles parameters";
        else if (p < 0.0 || p > 100.0)
            why = "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]";
        if (why) {
            snprintf(err, errlen, "%s", why);
            sbuf_free(&b);
            return NULL;
        }
        char num[400];
        fmt_percentile(num, sizeof(num), p);
        sbuf_catfmt(&b, "%s%s", i ? " " : "", num);
    }
    return b.buf; /* sbuf allocates through cn_malloc */
}

static void info_row(sbuf *b, const command *cmd, int np, double *ps, char **names) {
    if (cmd->latency_hist) {
        sbuf_catfmt(b, "latency_percentiles_usec_%s:", cmd->fullname);
        for (int j = 0; j < np; j++)
            sbuf_catfmt(b, "%sp%s=%.3f", j ? "," : "", names[j],
                        (double)hist_value_at_percentile(cmd->latency_hist, ps[j]) / 1000.0);
        sbuf_cat(b, "\r\n");
    }
    if (cmd->subcommands)
        for (const command *s = cmd->subcommands; s->name; s++) info_row(b, s, np, ps, names);
}

void latency_info(sbuf *b) {
    sbuf_cat(b, "# Latencystats\r\n");
    if (!server.latency_tracking) return;
    /* The setting is stored as CONFIG GET shows it: numbers separated by one space. */
    const char *conf = server.latency_tracking_info_percentiles;
    char *copy = cn_strdup(conf ? conf : "");
    int np = 0;
    for (char *p = copy; *p; p++) np += *p == ' ';
    np += *copy != '\0';
    double *ps = cn_malloc(sizeof(double) * (size_t)(np ? np : 1));
    char **names = cn_malloc(sizeof(char *) * (size_t)(np ? np : 1));
    int k = 0;
    for (char *tok = strtok(copy, " "); tok && k < np; tok = strtok(NULL, " ")) {
        names[k] = tok;
        ps[k++] = strtod(tok, NULL);
    }
    for (size_t i = 0; i < command_count(); i++) info_row(b, command_at(i), k, ps, names);
    cn_free(names);
    cn_free(ps);
    cn_free(copy);
}

/* ---------------------------------------------------------------- LATENCY */

static void cmd_latency_latest(client *c) {
    reply_array(c, (long)nevents);
    for (size_t i = 0; i < nevents; i++) {
        latency_event *e = events[i];
        latency_sample *last = &e->samples[(e->idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN];
        reply_array(c, 4);
        reply_bulk_cstr(c, e->name);
        reply_int(c, last->time);
        reply_int(c, last->ms);
        reply_int(c, e->max);
    }
}

/* The samples of e, oldest first, into out (LATENCY_TS_LEN of room); returns how many. */
static int event_samples(const latency_event *e, latency_sample *out) {
    int n = 0;
    for (int j = 0; j < LATENCY_TS_LEN; j++) {
        const latency_sample *s = &e->samples[(e->idx + j) % LATENCY_TS_LEN];
        if (s->time) out[n++] = *s;
    }
    return n;
}

static void cmd_latency_history(client *c) {
    latency_event *e = event_find(c->argv[2], c->argvlen[2], NULL);
    if (!e) {
        reply_array(c, 0);
        return;
    }
    latency_sample s[LATENCY_TS_LEN];
    int n = event_samples(e, s);
    reply_array(c, n);
    for (int i = 0; i < n; i++) {
        reply_array(c, 2);
        reply_int(c, s[i].time);
        reply_int(c, s[i].ms);
    }
}

static void cmd_latency_reset(client *c) {
    long long reset = 0;
    if (c->argc == 2) {
        reset = (long long)nevents;
        for (size_t i = 0; i < nevents; i++) event_free(events[i]);
        nevents = 0;
    } else {
        /* Each named event that exists goes (a name given twice counts once). */
        for (int j = 2; j < c->argc; j++) {
            size_t pos;
            latency_event *e = event_find(c->argv[j], c->argvlen[j], &pos);
            if (!e) continue;
            event_free(e);
            memmove(events + pos, events + pos + 1, (nevents - pos - 1) * sizeof(*events));
            nevents--;
            reset++;
        }
    }
    reply_int(c, reset);
}

/* "12s", "5m", "3h", "2d": how long ago, in the largest unit that fits. */
static void fmt_ago(char *buf, size_t cap, long long secs) {
    if (secs < 0) secs = 0;
    if (secs < 120) snprintf(buf, cap, "%llds", secs);
    else if (secs < 7200) snprintf(buf, cap, "%lldm", secs / 60);
    else if (secs < 172800) snprintf(buf, cap, "%lldh", secs / 3600);
    else snprintf(buf, cap, "%lldd", secs / 86400);
}

#define GRAPH_HEIGHT 8   /* rows of the chart */
#define GRAPH_COLUMNS 64 /* the most recent samples shown, one column each */

/* A bar chart of the event's samples: one column per second that had a sample, oldest
 * on the left, bars scaled to the highest sample shown. */
static void graph_render(sbuf *b, const latency_event *e) {
    latency_sample s[LATENCY_TS_LEN];
    int n = event_samples(e, s), first = n > GRAPH_COLUMNS ? n - GRAPH_COLUMNS : 0;
    uint32_t hi = 0, lo = UINT32_MAX;
    for (int i = first; i < n; i++) {
        if (s[i].ms > hi) hi = s[i].ms;
        if (s[i].ms < lo) lo = s[i].ms;
    }
    if (n == 0) lo = 0;
    sbuf_catfmt(b, "%s: %d sample%s shown, highest %u ms, lowest %u ms; all-time highest %u ms\n",
                e->name, n - first, n - first == 1 ? "" : "s", hi, lo, e->max);
    char label[32];
    int width = snprintf(label, sizeof(label), "%u ms", hi);
    for (int row = GRAPH_HEIGHT; row >= 1; row--) {
        if (row == GRAPH_HEIGHT) sbuf_catfmt(b, "%*s |", width, label);
        else sbuf_catfmt(b, "%*s |", width, "");
        for (int i = first; i < n; i++) {
            /* Bar height: the sample's share of the highest, rounded up (every sample shows). */
            unsigned h = hi ? (unsigned)(((uint64_t)s[i].ms * GRAPH_HEIGHT + hi - 1) / hi) : 0;
            if (h == 0) h = 1;
            sbuf_cat(b, h >= (unsigned)row ? "#" : " ");
        }
        sbuf_cat(b, "\n");
    }
    sbuf_catfmt(b, "%*s +", width, "0 ms");
    for (int i = first; i < n; i++) sbuf_cat(b, "-");
    sbuf_cat(b, "\n");
    if (n > first) {
        long long now = clock_ms() / 1000;
        char a[16], z[16];
        fmt_ago(a, sizeof(a), now - s[first].time);
        fmt_ago(z, sizeof(z), now - s[n - 1].time);
        sbuf_catfmt(b, "%*s  one column per second with a sample: oldest %s ago, newest %s ago\n",
                    width, "", a, z);
    }
}

static void cmd_latency_graph(client *c) {
    latency_event *e = event_find(c->argv[2], c->argvlen[2], NULL);
    if (!e) {
        reply_errorf(c, "ERR No samples available for event '%s'", c->argv[2]);
        return;
    }
    sbuf b = {0};
    graph_render(&b, e);
    reply_verbatim(c, b.buf, b.len, "txt");
    sbuf_free(&b);
}

/* ---- DOCTOR */

enum {
    ADVICE_COMMAND = 1 << 0,
    ADVICE_FAST = 1 << 1,
    ADVICE_EXPIRE = 1 << 2,
    ADVICE_EVICT = 1 << 3,
    ADVICE_AOF = 1 << 4,
    ADVICE_FORK = 1 << 5,
    ADVICE_OTHER = 1 << 6,
};

static int advice_for(const char *name) {
    if (!strcmp(name, "command")) return ADVICE_COMMAND;
    if (!strcmp(name, "fast-command")) return ADVICE_FAST;
    if (!strncmp(name, "expire-", 7)) return ADVICE_EXPIRE;
    if (!strncmp(name, "eviction-", 9)) return ADVICE_EVICT;
    if (!strncmp(name, "aof-", 4)) return ADVICE_AOF;
    if (!strcmp(name, "fork")) return ADVICE_FORK;
    return ADVICE_OTHER;
}

/* Is the kernel's transparent huge pages setting "always"? */
static bool thp_always(void) {
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (!f) return false;
    char line[128] = "";
    bool always = fgets(line, sizeof(line), f) && strstr(line, "[always]");
    fclose(f);
    return always;
}

static void doctor_report(sbuf *b) {
    long long thr = server.latency_monitor_threshold;
    if (thr == 0 && nevents == 0) {
        sbuf_cat(b, "The latency monitor is off (latency-monitor-threshold is 0), so there is "
                    "nothing to analyse. Turn it on with CONFIG SET latency-monitor-threshold "
                    "<milliseconds>, choosing the latency your clients should never see (100 is "
                    "a common start), and ask again after the server has been busy for a "
                    "while.\n");
        return;
    }
    if (nevents == 0) {
        sbuf_catfmt(b, "No event of %lld ms or more has been recorded since the server "
                       "started or since the last LATENCY RESET. Nothing to report.\n", thr);
        return;
    }
    if (thr == 0)
        sbuf_cat(b, "The latency monitor is off now (latency-monitor-threshold is 0); the "
                    "samples below were recorded while it was on.\n\n");
    else
        sbuf_catfmt(b, "Events that took %lld ms or more, per kind:\n\n", thr);
    long long now = clock_ms() / 1000;
    int advice = 0;
    for (size_t i = 0; i < nevents; i++) {
        const latency_event *e = events[i];
        latency_sample s[LATENCY_TS_LEN];
        int n = event_samples(e, s);
        advice |= advice_for(e->name);
        if (n == 0) continue;
        double sum = 0, dev = 0;
        uint32_t lo = UINT32_MAX, hi = 0;
        for (int j = 0; j < n; j++) {
            sum += s[j].ms;
            if (s[j].ms < lo) lo = s[j].ms;
            if (s[j].ms > hi) hi = s[j].ms;
        }
        double avg = sum / n;
        for (int j = 0; j < n; j++) dev += fabs(s[j].ms - avg);
        dev /= n;
        char ago[16], span[16];
        fmt_ago(ago, sizeof(ago), now - s[n - 1].time);
        fmt_ago(span, sizeof(span), now - s[0].time);
        if (n == 1)
            sbuf_catfmt(b, "%zu. %s: one spike, %u ms, %s ago. Worst ever: %u ms.\n", i + 1,
                        e->name, s[0].ms, ago, e->max);
        else
            sbuf_catfmt(b, "%zu. %s: spikes in %d different seconds over the last %s, from %u "
                           "to %u ms (average %.0f ms, mean deviation %.0f ms); the latest %u "
                           "ms, %s ago. Worst ever: %u ms.\n",
                        i + 1, e->name, n, span, lo, hi, avg, dev, s[n - 1].ms, ago, e->max);
    }
    sbuf_cat(b, "\nWhat to look at:\n\n");
    if (advice & ADVICE_COMMAND)
        sbuf_cat(b, "- Slow commands: SLOWLOG GET lists the slowest ones with their arguments. "
                    "Commands that walk a whole value (KEYS, SMEMBERS, HGETALL, LRANGE 0 -1, "
                    "SORT, DEL of a big key, FLUSHALL) are the usual cause: iterate with SCAN, "
                    "SSCAN, HSCAN or ZSCAN and free big keys with UNLINK.\n");
    if (advice & ADVICE_FAST)
        sbuf_cat(b, "- Commands that take constant or logarithmic time were slow: the process "
                    "was most likely not running (other processes competing for the CPU, "
                    "swapping, or a virtual machine's stolen time). Check the host's load and "
                    "that the server's memory is not swapped out.\n");
    if (advice & ADVICE_EXPIRE)
        sbuf_cat(b, "- Active expiry took long: many keys expired at the same moment. Spread "
                    "the expiry times, for instance by adding a random part to each TTL.\n");
    if (advice & ADVICE_EVICT)
        sbuf_cat(b, "- Eviction took long: the server is at maxmemory and frees keys while it "
                    "serves writes. Give it more memory, write less, or split very large keys, "
                    "which are freed all at once when evicted.\n");
    if (advice & ADVICE_AOF)
        sbuf_cat(b, "- Writing the append-only file was slow: the disk is slow or busy, often "
                    "because a snapshot or an AOF rewrite writes at the same time. Consider "
                    "appendfsync everysec, no-appendfsync-on-rewrite yes, or a faster disk "
                    "for the AOF.\n");
    if (advice & ADVICE_FORK)
        sbuf_cat(b, "- fork() was slow: its cost grows with the memory the server uses (the "
                    "page tables are copied). Save or rewrite less often, or keep instances "
                    "smaller.\n");
    if (advice & ADVICE_OTHER)
        sbuf_cat(b, "- Other events: LATENCY HISTORY <event> shows when they happened; match "
                    "the times with the server's log.\n");
    if (thp_always())
        sbuf_cat(b, "- Transparent huge pages are set to 'always' on this system: after a fork "
                    "every write copies a 2 MB page, which adds latency while a child runs. "
                    "Setting /sys/kernel/mm/transparent_hugepage/enabled to 'madvise' or "
                    "'never' avoids it.\n");
}

static void cmd_latency_doctor(client *c) {
    sbuf b = {0};
    doctor_report(&b);
    reply_verbatim(c, b.buf, b.len, "txt");
    sbuf_free(&b);
}

/* ---- HISTOGRAM */

/* {"calls": n, "histogram_usec": {bucket: cumulative count, ...}}: the buckets at
 * 1024 ns * 2^k (named by their highest value in us, as Redis names them), each with
 * the number of calls at or below it, listed only where that number grew. */
static void reply_histogram(client *c, const hist *h) {
    reply_map(c, 2);
    reply_bulk_cstr(c, "calls");
    reply_int(c, (long long)hist_total(h));
    reply_bulk_cstr(c, "histogram_usec");
    void *len = reply_deferred(c);
    long n = 0;
    uint64_t prev = 0;
    for (uint64_t level = 1024; prev < hist_total(h); level <<= 1) {
        uint64_t cum = hist_count_upto(h, level);
        if (cum > prev) {
            reply_int(c, (long long)(hist_highest_equivalent(level) / 1000));
            reply_int(c, (long long)cum);
            n++;
        }
        prev = cum;
        if (level > HIST_MAX_VALUE) break;
    }
    reply_set_deferred(c, len, '%', n);
}

static void histogram_one(client *c, const command *cmd, long *count) {
    if (!cmd->latency_hist) return;
    reply_bulk_cstr(c, cmd->fullname);
    reply_histogram(c, cmd->latency_hist);
    (*count)++;
}

/* "config|get", "CONFIG", "set": a command by its full name, any case; NULL if none. */
static command *lookup_fullname(const char *name, size_t len) {
    const char *bar = memchr(name, '|', len);
    if (!bar) return command_lookup(name, len);
    command *parent = command_lookup(name, (size_t)(bar - name));
    return parent ? command_lookup_sub(parent, bar + 1, len - (size_t)(bar - name) - 1) : NULL;
}

static void cmd_latency_histogram(client *c) {
    void *len = reply_deferred(c);
    long count = 0;
    if (c->argc == 2) {
        for (size_t i = 0; i < command_count(); i++) {
            command *cmd = command_at(i);
            histogram_one(c, cmd, &count);
            if (cmd->subcommands)
                for (command *s = cmd->subcommands; s->name; s++) histogram_one(c, s, &count);
        }
    } else {
        /* Unknown names and commands never called are left out; a container stands
         * for its subcommands. */
        for (int j = 2; j < c->argc; j++) {
            command *cmd = lookup_fullname(c->argv[j], c->argvlen[j]);
            if (!cmd) continue;
            histogram_one(c, cmd, &count);
            if (cmd->subcommands)
                for (command *s = cmd->subcommands; s->name; s++) histogram_one(c, s, &count);
        }
    }
    reply_set_deferred(c, len, '%', count);
}

static void cmd_latency_help(client *c) {
    static const char *const help[] = {
        "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DOCTOR",
        "    Return a human readable latency analysis report.",
        "GRAPH <event>",
        "    Return an ASCII latency graph for the <event> class.",
        "HISTORY <event>",
        "    Return time-latency samples for the <event> class.",
        "LATEST",
        "    Return the latest latency samples for all events.",
        "RESET [<event> ...]",
        "    Reset latency data of one or more <event> classes.",
        "    (default: reset all data for all event classes)",
        "HISTOGRAM [COMMAND ...]",
        "    Return a cumulative distribution of latencies in the format of a histogram for "
        "the specified command names.",
        "    If no commands are specified then all histograms are replied.",
        "HELP",
        "    Prints this help.",
        NULL};
    reply_help(c, help);
}

#define LATENCY_FLAGS (CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE)
#define LATENCY_ACL (ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS)
#define LATENCY_TIPS "nondeterministic_output request_policy:all_nodes response_policy:special"

static command latency_subcommands[] = {
    {.name = "doctor", .proc = cmd_latency_doctor, .arity = 2, .flags = LATENCY_FLAGS,
     .acl = LATENCY_ACL, .group = "server", .since = "2.8.13",
     .summary = "Return a human readable latency analysis report.", .complexity = "O(1)",
     .tips = LATENCY_TIPS},
    {.name = "graph", .proc = cmd_latency_graph, .arity = 3, .flags = LATENCY_FLAGS,
     .acl = LATENCY_ACL, .group = "server", .since = "2.8.13",
     .summary = "Return a latency graph for the event.", .complexity = "O(1)",
     .tips = LATENCY_TIPS, .args = "event"},
    {.name = "history", .proc = cmd_latency_history, .arity = 3, .flags = LATENCY_FLAGS,
     .acl = LATENCY_ACL, .group = "server", .since = "2.8.13",
     .summary = "Return timestamp-latency samples for the event.", .complexity = "O(1)",
     .tips = LATENCY_TIPS, .args = "event"},
    {.name = "latest", .proc = cmd_latency_latest, .arity = 2, .flags = LATENCY_FLAGS,
     .acl = LATENCY_ACL, .group = "server", .since = "2.8.13",
     .summary = "Return the latest latency samples for all events.", .complexity = "O(1)",
     .tips = LATENCY_TIPS},
    {.name = "reset", .proc = cmd_latency_reset, .arity = -2, .flags = LATENCY_FLAGS,
     .acl = LATENCY_ACL, .group = "server", .since = "2.8.13",
     .summary = "Reset latency data for one or more events.", .complexity = "O(1)",
     .tips = "request_policy:all_nodes response_policy:all_succeeded", .args = "[event...]"},
    {.name = "histogram", .proc = cmd_latency_histogram, .arity = -2, .flags = LATENCY_FLAGS,
     .acl = LATENCY_ACL, .group = "server", .since = "7.0.0",
     .summary = "Return the cumulative distribution of latencies of a subset of commands or all.",
     .complexity = "O(N) where N is the number of commands with latency information being "
                   "retrieved.",
     .tips = LATENCY_TIPS, .args = "[command...]"},
    {.name = "help", .proc = cmd_latency_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_SLOW, .group = "server", .since = "2.8.13",
     .summary = "Show helpful text about the different subcommands.", .complexity = "O(1)"},
    {.name = NULL},
};

command cmd_table_latency[] = {
    {.name = "latency", .arity = -2, .acl = ACL_SLOW, .group = "server", .since = "2.8.13",
     .summary = "A container for latency diagnostics commands",
     .complexity = "Depends on subcommand.", .subcommands = latency_subcommands},
    {.name = NULL},
};
