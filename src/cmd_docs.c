/* src/cmd_docs.c: the docs notations of the command table (see "command docs"
 * in command.h): parsed once at start-up into trees, written out by COMMAND
 * INFO and COMMAND DOCS. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../utils/num.h"
#include "server.h"

/* ---------------------------------------------------------------- the parsed form */

typedef enum {
    ARG_STRING,
    ARG_INTEGER,
    ARG_DOUBLE,
    ARG_KEY,
    ARG_PATTERN,
    ARG_UNIX_TIME,
    ARG_PURE_TOKEN,
    ARG_ONEOF,
    ARG_BLOCK,
} arg_type;

/* Indexed by arg_type; the value types (up to ARG_UNIX_TIME) may be written
 * after a name as ":type". */
static const char *const arg_type_names[] = {
    "string", "integer", "double", "key", "pattern", "unix-time", "pure-token", "oneof", "block",
};
#define ARG_LAST_VALUE_TYPE ARG_UNIX_TIME

enum { ARG_OPTIONAL = 1 << 0, ARG_MULTIPLE = 1 << 1, ARG_MULTIPLE_TOKEN = 1 << 2 };

typedef struct cmd_arg {
    char *name;             /* owned, like the three below (NULL when absent) */
    char *token;
    char *since;
    char *deprecated_since;
    arg_type type;
    int key_spec_index;     /* -1: none */
    unsigned flags;         /* ARG_OPTIONAL, ... */
    struct cmd_arg *sub;    /* for ARG_ONEOF and ARG_BLOCK */
    int nsub;
} cmd_arg;

/* Key-spec flags, in the order Redis lists them. */
static const char *const ks_flag_names[] = {
    "RO", "RW", "OW", "RM", "access", "update", "insert", "delete", "not_key", "incomplete",
    "variable_flags",
};
#define KS_NFLAGS (sizeof(ks_flag_names) / sizeof(*ks_flag_names))

typedef enum { BS_INDEX, BS_KEYWORD, BS_UNKNOWN } begin_search_type;
typedef enum { FK_RANGE, FK_KEYNUM, FK_UNKNOWN } find_keys_type;

typedef struct key_spec {
    unsigned flags;         /* bit i: ks_flag_names[i] */
    begin_search_type bs;
    int bs_pos;             /* BS_INDEX: index; BS_KEYWORD: startfrom */
    char *keyword;          /* BS_KEYWORD only; owned */
    find_keys_type fk;
    int fk_a, fk_b, fk_c;   /* range: lastkey keystep limit; keynum: keynumidx firstkey keystep */
    char *notes;            /* owned, or NULL */
} key_spec;

struct cmd_docs {
    cmd_arg *args;
    int nargs;
    key_spec *specs;
    int nspecs;
    char **tips;            /* each owned */
    int ntips;
    char **history;         /* version, text, version, text, ...; each owned */
    int nhistory;           /* entries (pairs) */
};

/* ---------------------------------------------------------------- freeing */

static void arg_deinit(cmd_arg *a) {
    cn_free(a->name);
    cn_free(a->token);
    cn_free(a->since);
    cn_free(a->deprecated_since);
    for (int i = 0; i < a->nsub; i++) arg_deinit(&a->sub[i]);
    cn_free(a->sub);
}

static void docs_destroy(cmd_docs *d) {
    if (!d) return;
    for (int i = 0; i < d->nargs; i++) arg_deinit(&d->args[i]);
    cn_free(d->args);
    for (int i = 0; i < d->nspecs; i++) {
        cn_free(d->specs[i].keyword);
        cn_free(d->specs[i].notes);
    }
    cn_free(d->specs);
    for (int i = 0; i < d->ntips; i++) cn_free(d->tips[i]);
    cn_free(d->tips);
    for (int i = 0; i < 2 * d->nhistory; i++) cn_free(d->history[i]);
    cn_free(d->history);
    cn_free(d);
}

void cmd_docs_teardown(command *cmd) {
    docs_destroy(cmd->docs);
    cmd->docs = NULL;
}

/* ---------------------------------------------------------------- parsing */

typedef struct parser {
    const char *s;          /* the notation being parsed */
    size_t pos;
    const char *field;      /* ".args", ... for messages */
    const command *cmd;
    char *err;
    size_t errlen;
    bool failed;            /* err holds the first failure; later ones keep it */
} parser;

/* Fills the error buffer (unless an earlier failure did); always returns false. */
static bool parse_fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool parse_fail(parser *p, const char *fmt, ...) {
    if (p->failed) return false;
    p->failed = true;
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(p->err, p->errlen, "command table, %s %s: %s at offset %zu of \"%s\"", p->cmd->fullname,
             p->field, msg, p->pos, p->s);
    return false;
}

static char peek(const parser *p) { return p->s[p->pos]; }

static void skip_spaces(parser *p) {
    while (p->s[p->pos] == ' ') p->pos++;
}

static void *grow(void *arr, int n, size_t size) {
    /* Room for one more element; arrays are small and built once. */
    return cn_realloc(arr, (size_t)(n + 1) * size);
}

/* A word of the argument notation: a quoted token, or a run of word characters. */
typedef struct word {
    const char *s;
    size_t len;
    bool quoted;
} word;

static bool is_word_char(char ch) {
    return isalnum((unsigned char)ch) || ch == '-' || ch == '_' || ch == ':' || ch == '/';
}

/* Reads a word at the cursor; false (and nothing consumed) if there is none.
 * An unterminated quote is an error (p->err set, *bad true). */
static bool read_word(parser *p, word *w, bool *bad) {
    *bad = false;
    size_t start = p->pos;
    if (peek(p) == '\'') {
        const char *end = strchr(p->s + start + 1, '\'');
        if (!end) {
            *bad = true;
            return parse_fail(p, "unterminated quote");
        }
        w->s = p->s + start + 1;
        w->len = (size_t)(end - w->s);
        w->quoted = true;
        p->pos = (size_t)(end - p->s) + 1;
        return true;
    }
    while (is_word_char(p->s[p->pos])) p->pos++;
    w->s = p->s + start;
    w->len = p->pos - start;
    w->quoted = false;
    return w->len > 0;
}

static bool word_has(const word *w, int (*pred)(int)) {
    for (size_t i = 0; i < w->len; i++)
        if (pred((unsigned char)w->s[i])) return true;
    return false;
}

/* Tokens: quoted, or without lower-case letters. Names: lower case only. */
static bool word_is_token(const word *w) { return w->quoted || !word_has(w, islower); }

static bool read_version(parser *p, char **out) {
    size_t start = p->pos;
    while (isdigit((unsigned char)peek(p)) || peek(p) == '.') p->pos++;
    size_t len = p->pos - start;
    if (len == 0 || !isdigit((unsigned char)p->s[start]) || !isdigit((unsigned char)p->s[p->pos - 1]))
        return parse_fail(p, "expected a version");
    if (*out) return parse_fail(p, "version given twice");
    *out = cn_strndup(p->s + start, len);
    return true;
}

static bool parse_arg(parser *p, cmd_arg *a);

/* "name(...)": the children up to ')', separated by spaces (block) or '|' (oneof). */
static bool parse_group(parser *p, cmd_arg *a) {
    p->pos++; /* '(' */
    char sep = 0;
    for (;;) {
        skip_spaces(p);
        if (peek(p) == ')') break;
        if (a->nsub > 0) {
            char this_sep = ' ';
            if (peek(p) == '|') {
                this_sep = '|';
                p->pos++;
                skip_spaces(p);
            }
            if (sep && this_sep != sep) return parse_fail(p, "a group mixes '|' and ' '");
            sep = this_sep;
        }
        a->sub = grow(a->sub, a->nsub, sizeof(*a->sub));
        cmd_arg *child = &a->sub[a->nsub++];
        if (!parse_arg(p, child)) return false;
    }
    if (a->nsub == 0) return parse_fail(p, "empty group");
    p->pos++; /* ')' */
    a->type = sep == '|' ? ARG_ONEOF : ARG_BLOCK;
    return true;
}

/* "name[:type]" or "name(...)": the part after an optional token. */
static bool parse_named(parser *p, cmd_arg *a, const word *w, bool *explicit_type) {
    if (word_has(w, isupper)) return parse_fail(p, "a name must be lower case");
    size_t len = w->len;
    const char *colon = memrchr(w->s, ':', w->len);
    if (colon) {
        size_t tlen = w->len - (size_t)(colon - w->s) - 1;
        for (int t = 0; t <= ARG_LAST_VALUE_TYPE; t++) {
            if (strlen(arg_type_names[t]) == tlen && !memcmp(colon + 1, arg_type_names[t], tlen)) {
                a->type = (arg_type)t;
                *explicit_type = true;
                len = (size_t)(colon - w->s);
                break;
            }
        }
    }
    if (len == 0) return parse_fail(p, "empty name");
    a->name = cn_strndup(w->s, len);
    if (peek(p) == '(') {
        if (*explicit_type) return parse_fail(p, "a group has no value type");
        return parse_group(p, a);
    }
    return true;
}

/* One argument, with its suffixes. */
static bool parse_arg(parser *p, cmd_arg *a) {
    memset(a, 0, sizeof(*a));
    a->key_spec_index = -1;
    if (peek(p) == '[') {
        p->pos++;
        skip_spaces(p);
        if (peek(p) == '[') return parse_fail(p, "nested optional brackets");
        if (!parse_arg(p, a)) return false;
        skip_spaces(p);
        if (peek(p) != ']') return parse_fail(p, "expected ']'");
        p->pos++;
        a->flags |= ARG_OPTIONAL;
        return true;
    }
    word w;
    bool bad, explicit_type = false;
    if (!read_word(p, &w, &bad)) return bad ? false : parse_fail(p, "expected an argument");
    if (word_is_token(&w)) {
        a->token = cn_strndup(w.s, w.len);
        a->type = ARG_PURE_TOKEN;
        if (peek(p) == '=') {
            p->pos++;
            if (!read_word(p, &w, &bad) || word_is_token(&w))
                return bad ? false : parse_fail(p, "expected a name after '='");
            if (word_has(&w, isupper)) return parse_fail(p, "a name must be lower case");
            a->name = cn_strndup(w.s, w.len);
        } else {
            /* A name right after the token is the value it introduces. */
            size_t save = p->pos;
            skip_spaces(p);
            word next;
            if (p->pos > save && peek(p) != '\'' && read_word(p, &next, &bad) &&
                !word_is_token(&next)) {
                a->type = ARG_STRING;
                if (!parse_named(p, a, &next, &explicit_type)) return false;
            } else {
                p->pos = save;
                a->name = cn_strndup(w.s, w.len);
                for (char *c = a->name; *c; c++) *c = (char)tolower((unsigned char)*c);
            }
        }
    } else {
        a->type = ARG_STRING;
        if (!parse_named(p, a, &w, &explicit_type)) return false;
    }
    bool group = a->type == ARG_ONEOF || a->type == ARG_BLOCK;
    for (;;) {
        if (peek(p) == '@') {
            p->pos++;
            if (a->type == ARG_PURE_TOKEN || group || a->key_spec_index >= 0)
                return parse_fail(p, "'@' on an argument that cannot take it");
            if (!isdigit((unsigned char)peek(p))) return parse_fail(p, "expected a key-spec index");
            a->key_spec_index = 0;
            while (isdigit((unsigned char)peek(p)))
                a->key_spec_index = a->key_spec_index * 10 + (peek(p) - '0'), p->pos++;
            if (!explicit_type) a->type = ARG_KEY;
        } else if (!strncmp(p->s + p->pos, "...", 3)) {
            p->pos += 3;
            if (a->flags & ARG_MULTIPLE) return parse_fail(p, "'...' given twice");
            a->flags |= ARG_MULTIPLE;
            if (peek(p) == '*') {
                p->pos++;
                a->flags |= ARG_MULTIPLE_TOKEN;
            }
        } else if (peek(p) == '+') {
            p->pos++;
            if (!read_version(p, &a->since)) return false;
        } else if (peek(p) == '!') {
            p->pos++;
            if (!read_version(p, &a->deprecated_since)) return false;
        } else {
            break;
        }
    }
    if (a->type == ARG_KEY && a->key_spec_index < 0)
        return parse_fail(p, "key argument '%s' needs '@N'", a->name);
    return true;
}

static bool parse_args(parser *p, cmd_docs *d) {
    skip_spaces(p);
    while (peek(p)) {
        d->args = grow(d->args, d->nargs, sizeof(*d->args));
        cmd_arg *a = &d->args[d->nargs++];
        if (!parse_arg(p, a)) return false;
        if (peek(p) && peek(p) != ' ') return parse_fail(p, "unexpected '%c'", peek(p));
        skip_spaces(p);
    }
    return true;
}

/* Every key_spec_index must name a spec. */
static bool check_key_indexes(parser *p, const cmd_arg *args, int n, int nspecs) {
    for (int i = 0; i < n; i++) {
        if (args[i].key_spec_index >= nspecs)
            return parse_fail(p, "'%s@%d' but only %d key specs", args[i].name,
                              args[i].key_spec_index, nspecs);
        if (!check_key_indexes(p, args[i].sub, args[i].nsub, nspecs)) return false;
    }
    return true;
}

/* Reads a space-delimited word of a key spec or tips into buf (of size 64);
 * false if there is none, or if it is too long (then p->failed is set). */
static bool ks_word(parser *p, char *buf) {
    skip_spaces(p);
    size_t n = 0;
    while (peek(p) && peek(p) != ' ' && peek(p) != ';') {
        if (n == 63) return parse_fail(p, "word too long");
        buf[n++] = p->s[p->pos++];
    }
    buf[n] = '\0';
    return n > 0;
}

static bool ks_int(parser *p, int *out) {
    char buf[64], *end;
    if (!ks_word(p, buf)) return parse_fail(p, "expected a number");
    long v = strtol(buf, &end, 10);
    if (*end || v < -1000 || v > 1000) return parse_fail(p, "expected a number, not '%s'", buf);
    *out = (int)v;
    return true;
}

static bool parse_key_spec(parser *p, key_spec *ks) {
    char buf[64];
    /* Flags, the last one ending in ':'. */
    for (;;) {
        if (!ks_word(p, buf)) return parse_fail(p, "expected key-spec flags and ':'");
        size_t len = strlen(buf);
        bool last = buf[len - 1] == ':';
        if (last) buf[--len] = '\0';
        if (len) {
            size_t i = 0;
            while (i < KS_NFLAGS && strcmp(buf, ks_flag_names[i])) i++;
            if (i == KS_NFLAGS) return parse_fail(p, "unknown key-spec flag '%s'", buf);
            ks->flags |= 1u << i;
        }
        if (last) break;
    }
    if (!ks_word(p, buf)) return parse_fail(p, "expected index, keyword or unknown");
    if (!strcmp(buf, "index")) {
        ks->bs = BS_INDEX;
        if (!ks_int(p, &ks->bs_pos)) return false;
    } else if (!strcmp(buf, "keyword")) {
        ks->bs = BS_KEYWORD;
        if (!ks_word(p, buf)) return parse_fail(p, "expected a keyword");
        ks->keyword = cn_strdup(buf);
        if (!ks_int(p, &ks->bs_pos)) return false;
    } else if (!strcmp(buf, "unknown")) {
        ks->bs = BS_UNKNOWN;
    } else {
        return parse_fail(p, "expected index, keyword or unknown, not '%s'", buf);
    }
    if (!ks_word(p, buf)) return parse_fail(p, "expected range, keynum or unknown");
    if (!strcmp(buf, "range") || !strcmp(buf, "keynum")) {
        ks->fk = buf[0] == 'r' ? FK_RANGE : FK_KEYNUM;
        if (!ks_int(p, &ks->fk_a) || !ks_int(p, &ks->fk_b) || !ks_int(p, &ks->fk_c)) return false;
    } else if (!strcmp(buf, "unknown")) {
        ks->fk = FK_UNKNOWN;
    } else {
        return parse_fail(p, "expected range, keynum or unknown, not '%s'", buf);
    }
    skip_spaces(p);
    if (!strncmp(p->s + p->pos, "--", 2)) {
        p->pos += 2;
        skip_spaces(p);
        size_t start = p->pos;
        while (peek(p) && peek(p) != ';') p->pos++;
        size_t end = p->pos;
        while (end > start && p->s[end - 1] == ' ') end--;
        if (end == start) return parse_fail(p, "empty notes");
        ks->notes = cn_strndup(p->s + start, end - start);
    }
    if (peek(p) && peek(p) != ';') return parse_fail(p, "unexpected '%c'", peek(p));
    return true;
}

static bool parse_key_specs(parser *p, cmd_docs *d) {
    for (;;) {
        d->specs = grow(d->specs, d->nspecs, sizeof(*d->specs));
        key_spec *ks = &d->specs[d->nspecs++];
        memset(ks, 0, sizeof(*ks));
        if (!parse_key_spec(p, ks)) return false;
        if (!peek(p)) return true;
        p->pos++; /* ';' */
    }
}

static bool parse_tips(parser *p, cmd_docs *d) {
    char buf[64];
    while (ks_word(p, buf)) {
        d->tips = grow(d->tips, d->ntips, sizeof(*d->tips));
        d->tips[d->ntips++] = cn_strdup(buf);
    }
    if (p->failed) return false;
    if (peek(p)) return parse_fail(p, "unexpected '%c'", peek(p));
    return true;
}

static bool parse_history(parser *p, cmd_docs *d) {
    while (peek(p)) {
        char *version = NULL;
        if (!read_version(p, &version)) return false;
        d->history = cn_realloc(d->history, (size_t)(d->nhistory + 1) * 2 * sizeof(char *));
        d->history[2 * d->nhistory] = version;
        d->history[2 * d->nhistory + 1] = NULL;
        d->nhistory++;
        if (peek(p) != ' ') return parse_fail(p, "expected ' ' after the version");
        size_t start = ++p->pos;
        while (peek(p) && peek(p) != '\n') p->pos++;
        if (p->pos == start) return parse_fail(p, "empty history text");
        d->history[2 * d->nhistory - 1] = cn_strndup(p->s + start, p->pos - start);
        if (peek(p) == '\n') p->pos++;
    }
    return true;
}

bool cmd_docs_setup(command *cmd, char *err, size_t errlen) {
    cmd_docs *d = cn_calloc(1, sizeof(*d));
    parser p = {.cmd = cmd, .err = err, .errlen = errlen, .s = ""};
    bool ok = true;
    if (!cmd->summary || !cmd->since || !cmd->group) {
        p.field = ".summary/.since/.group";
        ok = parse_fail(&p, "all three are required");
    }
    if (ok && ((cmd->doc_flags & DOC_DEPRECATED) != 0) != (cmd->deprecated_since != NULL)) {
        p.field = ".deprecated_since";
        ok = parse_fail(&p, "needed exactly when DOC_DEPRECATED is set");
    }
    if (ok && cmd->history) {
        p = (parser){.cmd = cmd, .err = err, .errlen = errlen, .s = cmd->history, .field = ".history"};
        ok = parse_history(&p, d);
    }
    if (ok && cmd->tips) {
        p = (parser){.cmd = cmd, .err = err, .errlen = errlen, .s = cmd->tips, .field = ".tips"};
        ok = parse_tips(&p, d);
    }
    if (ok && cmd->key_specs) {
        p = (parser){.cmd = cmd, .err = err, .errlen = errlen, .s = cmd->key_specs,
                     .field = ".key_specs"};
        ok = parse_key_specs(&p, d);
    }
    if (ok && cmd->args) {
        p = (parser){.cmd = cmd, .err = err, .errlen = errlen, .s = cmd->args, .field = ".args"};
        ok = parse_args(&p, d) && check_key_indexes(&p, d->args, d->nargs, d->nspecs);
    }
    if (!ok) {
        docs_destroy(d);
        d = NULL;
    }
    cmd->docs = d;
    return ok;
}

/* ---------------------------------------------------------------- names of bits */

static const struct name_bit {
    uint32_t bit;
    const char *name;
} flag_names[] = {
    /* Redis's order. CMD_SENTINEL is not shown: Redis leaves it out too. */
    {CMD_WRITE, "write"},       {CMD_READONLY, "readonly"},   {CMD_DENYOOM, "denyoom"},
    {CMD_ADMIN, "admin"},       {CMD_PUBSUB, "pubsub"},       {CMD_NOSCRIPT, "noscript"},
    {CMD_BLOCKING, "blocking"}, {CMD_LOADING, "loading"},     {CMD_STALE, "stale"},
    {CMD_SKIP_MONITOR, "skip_monitor"}, {CMD_SKIP_SLOWLOG, "skip_slowlog"},
    /* CMD_MAY_REPLICATE is hidden on purpose, as in Redis. */
    {CMD_FAST, "fast"},         {CMD_NO_AUTH, "no_auth"},
    {CMD_NO_ASYNC_LOADING, "no_async_loading"},
    {CMD_NO_MULTI, "no_multi"}, {CMD_MOVABLE_KEYS, "movablekeys"},
    {CMD_ALLOW_BUSY, "allow_busy"},
};

static const struct name_bit acl_names[] = {
    {ACL_KEYSPACE, "@keyspace"},       {ACL_READ, "@read"},           {ACL_WRITE, "@write"},
    {ACL_SET, "@set"},                 {ACL_SORTEDSET, "@sortedset"}, {ACL_LIST, "@list"},
    {ACL_HASH, "@hash"},               {ACL_STRING, "@string"},       {ACL_BITMAP, "@bitmap"},
    {ACL_HYPERLOGLOG, "@hyperloglog"}, {ACL_GEO, "@geo"},             {ACL_STREAM, "@stream"},
    {ACL_PUBSUB, "@pubsub"},           {ACL_ADMIN, "@admin"},         {ACL_FAST, "@fast"},
    {ACL_SLOW, "@slow"},               {ACL_BLOCKING, "@blocking"},   {ACL_DANGEROUS, "@dangerous"},
    {ACL_CONNECTION, "@connection"},   {ACL_TRANSACTION, "@transaction"},
    {ACL_SCRIPTING, "@scripting"},
};

#define NELEM(a) (sizeof(a) / sizeof(*(a)))

uint32_t cmd_docs_acl_category(const char *name) {
    for (size_t i = 0; i < NELEM(acl_names); i++)
        if (!strcasecmp(acl_names[i].name + 1, name)) return acl_names[i].bit;
    return 0;
}

static void emit_bit_names(client *c, uint32_t bits, const struct name_bit *t, size_t n) {
    long count = 0;
    for (size_t i = 0; i < n; i++) count += (bits & t[i].bit) != 0;
    reply_set(c, count);
    for (size_t i = 0; i < n; i++)
        if (bits & t[i].bit) reply_simple(c, t[i].name);
}

/* ---------------------------------------------------------------- COMMAND INFO */

static void emit_key_spec(client *c, const key_spec *ks) {
    reply_map(c, 3 + (ks->notes != NULL));
    if (ks->notes) {
        reply_bulk_cstr(c, "notes");
        reply_bulk_cstr(c, ks->notes);
    }
    reply_bulk_cstr(c, "flags");
    long nflags = 0;
    for (size_t i = 0; i < KS_NFLAGS; i++) nflags += (ks->flags >> i) & 1;
    reply_set(c, nflags);
    for (size_t i = 0; i < KS_NFLAGS; i++)
        if ((ks->flags >> i) & 1) reply_simple(c, ks_flag_names[i]);

    reply_bulk_cstr(c, "begin_search");
    reply_map(c, 2);
    reply_bulk_cstr(c, "type");
    switch (ks->bs) {
    case BS_INDEX:
        reply_bulk_cstr(c, "index");
        reply_bulk_cstr(c, "spec");
        reply_map(c, 1);
        reply_bulk_cstr(c, "index");
        reply_int(c, ks->bs_pos);
        break;
    case BS_KEYWORD:
        reply_bulk_cstr(c, "keyword");
        reply_bulk_cstr(c, "spec");
        reply_map(c, 2);
        reply_bulk_cstr(c, "keyword");
        reply_bulk_cstr(c, ks->keyword);
        reply_bulk_cstr(c, "startfrom");
        reply_int(c, ks->bs_pos);
        break;
    case BS_UNKNOWN:
        reply_bulk_cstr(c, "unknown");
        reply_bulk_cstr(c, "spec");
        reply_map(c, 0);
        break;
    }

    reply_bulk_cstr(c, "find_keys");
    reply_map(c, 2);
    reply_bulk_cstr(c, "type");
    static const char *const field_names[2][3] = {
        {"lastkey", "keystep", "limit"},
        {"keynumidx", "firstkey", "keystep"},
    };
    if (ks->fk == FK_UNKNOWN) {
        reply_bulk_cstr(c, "unknown");
        reply_bulk_cstr(c, "spec");
        reply_map(c, 0);
        return;
    }
    const char *const *names = field_names[ks->fk == FK_KEYNUM];
    reply_bulk_cstr(c, ks->fk == FK_RANGE ? "range" : "keynum");
    reply_bulk_cstr(c, "spec");
    reply_map(c, 3);
    reply_bulk_cstr(c, names[0]);
    reply_int(c, ks->fk_a);
    reply_bulk_cstr(c, names[1]);
    reply_int(c, ks->fk_b);
    reply_bulk_cstr(c, names[2]);
    reply_int(c, ks->fk_c);
}

static long count_subcommands(const command *cmd) {
    long n = 0;
    if (cmd->subcommands)
        for (const command *s = cmd->subcommands; s->name; s++) n++;
    return n;
}

void cmd_docs_reply_info(client *c, const command *cmd) {
    const cmd_docs *d = cmd->docs;
    reply_array(c, 10);
    reply_bulk_cstr(c, cmd->fullname);
    reply_int(c, cmd->arity);
    emit_bit_names(c, cmd->flags, flag_names, NELEM(flag_names));
    reply_int(c, cmd->first_key);
    reply_int(c, cmd->last_key);
    reply_int(c, cmd->key_step);
    emit_bit_names(c, cmd->acl, acl_names, NELEM(acl_names));
    reply_set(c, d->ntips);
    for (int i = 0; i < d->ntips; i++) reply_bulk_cstr(c, d->tips[i]);
    reply_set(c, d->nspecs);
    for (int i = 0; i < d->nspecs; i++) emit_key_spec(c, &d->specs[i]);
    /* Redis sends an empty set when there are no subcommands, else an array. */
    long nsub = count_subcommands(cmd);
    if (nsub) reply_array(c, nsub);
    else reply_set(c, 0);
    for (long i = 0; i < nsub; i++) cmd_docs_reply_info(c, &cmd->subcommands[i]);
}

/* ---------------------------------------------------------------- COMMAND DOCS */

static void emit_args(client *c, const cmd_arg *args, int n) {
    static const char *const arg_flag_names[] = {"optional", "multiple", "multiple_token"};
    reply_array(c, n);
    for (int i = 0; i < n; i++) {
        const cmd_arg *a = &args[i];
        reply_map(c, 2 + (a->key_spec_index >= 0) + (a->token != NULL) + (a->since != NULL) +
                         (a->deprecated_since != NULL) + (a->flags != 0) + (a->nsub > 0));
        reply_bulk_cstr(c, "name");
        reply_bulk_cstr(c, a->name);
        reply_bulk_cstr(c, "type");
        reply_bulk_cstr(c, arg_type_names[a->type]);
        if (a->key_spec_index >= 0) {
            reply_bulk_cstr(c, "key_spec_index");
            reply_int(c, a->key_spec_index);
        }
        if (a->token) {
            reply_bulk_cstr(c, "token");
            reply_bulk_cstr(c, a->token);
        }
        if (a->since) {
            reply_bulk_cstr(c, "since");
            reply_bulk_cstr(c, a->since);
        }
        if (a->deprecated_since) {
            reply_bulk_cstr(c, "deprecated_since");
            reply_bulk_cstr(c, a->deprecated_since);
        }
        if (a->flags) {
            reply_bulk_cstr(c, "flags");
            reply_set(c, __builtin_popcount(a->flags));
            for (size_t f = 0; f < NELEM(arg_flag_names); f++)
                if (a->flags & (1u << f)) reply_simple(c, arg_flag_names[f]);
        }
        if (a->nsub > 0) {
            reply_bulk_cstr(c, "arguments");
            emit_args(c, a->sub, a->nsub);
        }
    }
}

void cmd_docs_reply_docs(client *c, const command *cmd) {
    static const struct name_bit doc_flag_names[] = {
        {DOC_DEPRECATED, "deprecated"},
        {DOC_SYSCMD, "syscmd"},
    };
    const cmd_docs *d = cmd->docs;
    long nsub = count_subcommands(cmd);
    reply_map(c, 3 + (cmd->complexity != NULL) + (cmd->doc_flags != 0) +
                     (cmd->deprecated_since != NULL) + (cmd->replaced_by != NULL) +
                     (d->nhistory > 0) + (d->nargs > 0) + (nsub > 0));
    reply_bulk_cstr(c, "summary");
    reply_bulk_cstr(c, cmd->summary);
    reply_bulk_cstr(c, "since");
    reply_bulk_cstr(c, cmd->since);
    reply_bulk_cstr(c, "group");
    reply_bulk_cstr(c, cmd->group);
    if (cmd->complexity) {
        reply_bulk_cstr(c, "complexity");
        reply_bulk_cstr(c, cmd->complexity);
    }
    if (cmd->doc_flags) {
        reply_bulk_cstr(c, "doc_flags");
        emit_bit_names(c, cmd->doc_flags, doc_flag_names, NELEM(doc_flag_names));
    }
    if (cmd->deprecated_since) {
        reply_bulk_cstr(c, "deprecated_since");
        reply_bulk_cstr(c, cmd->deprecated_since);
    }
    if (cmd->replaced_by) {
        reply_bulk_cstr(c, "replaced_by");
        reply_bulk_cstr(c, cmd->replaced_by);
    }
    if (d->nhistory > 0) {
        reply_bulk_cstr(c, "history");
        reply_set(c, d->nhistory);
        for (int i = 0; i < d->nhistory; i++) {
            reply_array(c, 2);
            reply_bulk_cstr(c, d->history[2 * i]);
            reply_bulk_cstr(c, d->history[2 * i + 1]);
        }
    }
    if (d->nargs > 0) {
        reply_bulk_cstr(c, "arguments");
        emit_args(c, d->args, d->nargs);
    }
    if (nsub > 0) {
        reply_bulk_cstr(c, "subcommands");
        reply_map(c, nsub);
        for (long i = 0; i < nsub; i++) {
            reply_bulk_cstr(c, cmd->subcommands[i].fullname);
            cmd_docs_reply_docs(c, &cmd->subcommands[i]);
        }
    }
}

/* ---------------------------------------------------------------- key positions */

bool cmd_docs_has_keys(const command *cmd) { return cmd->docs && cmd->docs->nspecs > 0; }

int cmd_docs_key_positions(const command *cmd, int argc, const char *const *argv,
                           const size_t *argvlen, int *pos, int max) {
    int n = 0;
    if (!cmd->docs) return 0;
    for (int s = 0; s < cmd->docs->nspecs; s++) {
        const key_spec *ks = &cmd->docs->specs[s];
        /* Where the keys begin. */
        int begin = -1;
        if (ks->bs == BS_INDEX) {
            begin = ks->bs_pos;
        } else if (ks->bs == BS_KEYWORD) {
            int from = ks->bs_pos >= 0 ? ks->bs_pos : argc + ks->bs_pos;
            int step = ks->bs_pos >= 0 ? 1 : -1;
            size_t klen = strlen(ks->keyword);
            for (int i = from; i > 0 && i < argc; i += step) {
                if (argvlen[i] == klen && strncasecmp(argv[i], ks->keyword, klen) == 0) {
                    begin = i + 1;
                    break;
                }
            }
        }
        if (begin <= 0 || begin >= argc) continue;
        /* Which ones follow. */
        int first, last, step;
        if (ks->fk == FK_RANGE) {
            first = begin;
            step = ks->fk_b > 0 ? ks->fk_b : 1;
            if (ks->fk_a >= 0) {
                last = begin + ks->fk_a;
            } else if (ks->fk_a == -1 && ks->fk_c > 1) {
                last = begin + (argc - 1 - begin) / ks->fk_c; /* a fraction of the rest */
            } else {
                last = argc + ks->fk_a;
            }
        } else if (ks->fk == FK_KEYNUM) {
            int idx = begin + ks->fk_a;
            if (idx >= argc) return -1;
            long long numkeys;
            if (!num_parse_ll(argv[idx], argvlen[idx], &numkeys) || numkeys < 0) return -1;
            first = begin + ks->fk_b;
            step = ks->fk_c > 0 ? ks->fk_c : 1;
            if (numkeys == 0) continue;
            if ((long long)first + (numkeys - 1) * step >= argc) return -1;
            last = first + (int)(numkeys - 1) * step;
        } else {
            continue;
        }
        if (last >= argc) last = argc - 1;
        for (int i = first; i <= last && n < max; i += step) pos[n++] = i;
    }
    return n;
}
