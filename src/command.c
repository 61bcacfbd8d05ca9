/* src/command.c: see command.h. */
#include "command.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "../utils/histogram.h"
#include "../utils/ht.h"
#include "../utils/num.h"
#include "config.h"
#include "latency.h"
#include "memory.h"
#include "multi.h"
#include "pubsub.h"
#include "server.h"

static command *const tables[] = {
    cmd_table_string, cmd_table_keys, cmd_table_conn, cmd_table_server, cmd_table_config,
    cmd_table_hash, cmd_table_list, cmd_table_set, cmd_table_bitops, cmd_table_hll,
    cmd_table_zset, cmd_table_sort, cmd_table_pubsub, cmd_table_multi, cmd_table_latency,
    cmd_table_memory,
};

static ht *lookup;       /* top-level commands by lower-case name */
static command **all;    /* the same, in table order */
static size_t nall;

static const void *cmd_entry_key(const void *entry, size_t *len) {
    const command *c = entry;
    *len = strlen(c->name);
    return c->name;
}

static const ht_type command_type = {.entry_key = cmd_entry_key};

static void finish_row(command *c, command *parent) {
    c->parent = parent;
    if (parent) snprintf(c->fullname, sizeof(c->fullname), "%s|%s", parent->name, c->name);
    else snprintf(c->fullname, sizeof(c->fullname), "%s", c->name);
    char err[512];
    if (!cmd_docs_setup(c, err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        abort();
    }
    if (c->subcommands)
        for (command *s = c->subcommands; s->name; s++) finish_row(s, c);
}

static void teardown_row(command *c) {
    cmd_docs_teardown(c);
    hist_destroy(c->latency_hist);
    c->latency_hist = NULL;
    if (c->subcommands)
        for (command *s = c->subcommands; s->name; s++) teardown_row(s);
}

void command_setup(void) {
    lookup = ht_create(&command_type);
    size_t cap = 0;
    for (size_t t = 0; t < sizeof(tables) / sizeof(*tables); t++) {
        for (command *c = tables[t]; c->name; c++) {
            finish_row(c, NULL);
            if (!ht_add(lookup, c)) {
                fprintf(stderr, "duplicate command in the table: %s\n", c->name);
                abort();
            }
            if (nall == cap) {
                cap = cap ? cap * 2 : 256;
                all = cn_realloc(all, cap * sizeof(*all));
            }
            all[nall++] = c;
        }
    }
    /* Finish the last resize now: lookups then pay no rehash steps, and the memory at
     * the end of start-up (INFO's used_memory_startup) is the table's final size. */
    while (ht_rehash_step(lookup)) {
    }
}

void command_teardown(void) {
    for (size_t i = 0; i < nall; i++) teardown_row(all[i]);
    ht_destroy(lookup);
    cn_free(all);
    lookup = NULL;
    all = NULL;
    nall = 0;
}

/* Lower-cases name into buf (of size 64); false if too long to be a command. */
static bool lower_name(const char *name, size_t len, char *buf) {
    if (len >= 64) return false;
    for (size_t i = 0; i < len; i++) buf[i] = (char)tolower((unsigned char)name[i]);
    buf[len] = '\0';
    return true;
}

command *command_lookup(const char *name, size_t len) {
    char buf[64];
    if (!lower_name(name, len, buf)) return NULL;
    return ht_find(lookup, buf, len);
}

command *command_lookup_sub(command *parent, const char *name, size_t len) {
    char buf[64];
    if (!parent->subcommands || !lower_name(name, len, buf)) return NULL;
    for (command *s = parent->subcommands; s->name; s++)
        if (strlen(s->name) == len && memcmp(s->name, buf, len) == 0) return s;
    return NULL;
}

size_t command_count(void) { return nall; }
command *command_at(size_t i) { return i < nall ? all[i] : NULL; }

static void reset_row(command *c) {
    c->calls = c->usec = c->rejected_calls = c->failed_calls = 0;
    hist_destroy(c->latency_hist);
    c->latency_hist = NULL;
    if (c->subcommands)
        for (command *s = c->subcommands; s->name; s++) reset_row(s);
}

void command_reset_stats(void) {
    for (size_t i = 0; i < nall; i++) reset_row(all[i]);
}

/* ---------------------------------------------------------------- argument helpers */

bool reply_fits_or_reply(client *c, unsigned long long count, double bytes_each) {
    double need = (double)count * bytes_each;
    if (need <= (double)memory_headroom()) return true;
    reply_errorf(c,
                 "ERR count is out of range: a reply of %llu elements would not fit in the "
                 "memory left",
                 count);
    return false;
}

bool arg_is(const client *c, int i, const char *s) {
    size_t len = strlen(s);
    return c->argvlen[i] == len && strncasecmp(c->argv[i], s, len) == 0;
}

bool arg_timeout_ms_or_reply(client *c, int i, long long *ms) {
    if (!num_parse_ll(c->argv[i], c->argvlen[i], ms)) {
        reply_error(c, "ERR timeout is not an integer or out of range");
        return false;
    }
    if (*ms < 0) {
        reply_error(c, "ERR timeout is negative");
        return false;
    }
    return true;
}

bool arg_ll_or_reply(client *c, int i, long long *out) {
    if (num_parse_ll(c->argv[i], c->argvlen[i], out)) return true;
    reply_err_not_int(c);
    return false;
}

bool arg_ll_range_or_reply(client *c, int i, long long min, long long max, long long *out,
                           const char *errmsg) {
    long long v;
    if (!num_parse_ll(c->argv[i], c->argvlen[i], &v) || v < min || v > max) {
        if (errmsg) reply_error(c, errmsg);
        else reply_err_not_int(c);
        return false;
    }
    *out = v;
    return true;
}

bool arg_double_or_reply(client *c, int i, double *out) {
    if (num_parse_double(c->argv[i], c->argvlen[i], out)) return true;
    reply_err_not_float(c);
    return false;
}

bool arg_mpop_or_reply(client *c, int numkeys_idx, const char *word0, const char *word1,
                       int *nkeys, int *which, long long *count) {
    long long numkeys, cnt = -1;
    if (!arg_ll_range_or_reply(c, numkeys_idx, 1, LONG_MAX, &numkeys,
                               "ERR numkeys should be greater than 0"))
        return false;
    if (numkeys >= c->argc - numkeys_idx - 1) { /* no room for the direction word */
        reply_err_syntax(c);
        return false;
    }
    int wi = numkeys_idx + (int)numkeys + 1;
    if (arg_is(c, wi, word0)) *which = 0;
    else if (arg_is(c, wi, word1)) *which = 1;
    else {
        reply_err_syntax(c);
        return false;
    }
    for (int j = wi + 1; j < c->argc; j++) {
        if (cnt == -1 && arg_is(c, j, "count") && j + 1 < c->argc) {
            j++;
            if (!arg_ll_range_or_reply(c, j, 1, LONG_MAX, &cnt, "ERR count should be greater than 0"))
                return false;
        } else {
            reply_err_syntax(c);
            return false;
        }
    }
    *nkeys = (int)numkeys;
    *count = cnt == -1 ? 1 : cnt;
    return true;
}
