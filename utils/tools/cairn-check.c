/* utils/tools/cairn-check.c: checks (and carefully repairs) Cairn's persistence files.
 *
 *   cairn-check aof PATH [--fix [--yes]]
 *   cairn-check snapshot PATH [--dump]
 *
 * aof. PATH is one RESP log (a .base.aof or .incr.aof file), a manifest (*.manifest),
 * or the AOF directory (appenddirname), whose single *.manifest is used. With a
 * manifest every file it lists is checked in replay order: the base (with the snapshot
 * reader if its type is "snap"), then the incremental files. One line per file says
 * OK, truncated (the file ends inside its last command: where the complete commands
 * end and how many bytes follow) or corrupt (the loader's "PATH: offset N: reason").
 * --fix cuts the LAST file of the replay order (or the single file given): a
 * truncated tail at the end of the complete commands, a damaged file at the start of
 * the first bad command (with a warning: every command after it is lost too). It
 * asks first ("[y/N]" on stdin) unless --yes is given. Nothing else is ever repaired
 * automatically, except a manifest whose only fault is the checksum of its end line
 * (after a hand edit, as aof/FORMAT.md says): --fix offers to save it again.
 *
 * snapshot. Reads the whole file with the snapshot reader, which verifies every
 * record, both checksums and the per-database counts; prints the header and
 * "OK: N keys in M dbs, verified checksums", or the reader's "PATH: offset N: reason".
 * Sorted-set listpacks also get their scores parsed (the format leaves that to the
 * loader). --dump prints every key as one line of text, in file order:
 *
 *   db=0 type=string enc=string key="greeting" expire_ms=-1 value="hi\n"
 *   db=0 type=string enc=int key="n" expire_ms=1700000000000 value=42
 *   db=0 type=list enc=listpack key="l" expire_ms=-1 count=2 "a" "7"
 *   db=0 type=hash enc=elements key="h" expire_ms=-1 count=1 "f"="v"
 *   db=0 type=zset enc=listpack key="z" expire_ms=-1 count=1 "m"=1.5
 *
 * Strings are quoted as redis-cli does ("\n", "\"", "\\", "\x00"); collection members
 * are always quoted, whatever their encoding (an intset member 7 is "7"), so the same
 * value dumps alike in every encoding; scores are printed with %.17g; expire_ms is
 * the absolute Unix time in ms, -1 for none.
 *
 * Exit status: 0 every file valid (or repaired), 1 a problem was found and is still
 * there, 2 usage error or PATH cannot be opened.
 *
 * Uses only the public APIs of aof/aof.h and snapshot/snapshot.h, plus utils/. Reports
 * go to stdout (they are the tool's output), usage errors to stderr. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aof/aof.h"
#include "snapshot/snapshot.h"
#include "utils/alloc.h"
#include "utils/intset.h"
#include "utils/listpack.h"
#include "utils/num.h"

enum { EXIT_VALID = 0, EXIT_PROBLEMS = 1, EXIT_USAGE = 2 };

#define MSG_MAX 1024

typedef struct options {
    bool fix, yes, dump;
} options;

/* ---- small helpers ------------------------------------------------------------- */

static void usage(FILE *f) {
    fputs("Usage: cairn-check aof PATH [--fix [--yes]]\n"
          "       cairn-check snapshot PATH [--dump]\n"
          "\n"
          "aof PATH       check a RESP log (.aof), a manifest (.manifest) or an AOF\n"
          "               directory (appenddirname) and every file its manifest lists\n"
          "  --fix        cut a truncated or damaged last file (asks first)\n"
          "  --yes        with --fix: do not ask\n"
          "snapshot PATH  read and verify a snapshot file (.snap)\n"
          "  --dump       print every key and its value as text\n"
          "\n"
          "Exit status: 0 valid (or repaired), 1 problems found, 2 usage error or\n"
          "PATH cannot be opened.\n",
          f);
}

static const char *plural(long long n) { return n == 1 ? "" : "s"; }

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* dir + "/" + name in a new cn_malloc'd string; just name when dir is NULL. */
static char *path_join(const char *dir, const char *name) {
    if (!dir) return cn_strdup(name);
    size_t dl = strlen(dir), nl = strlen(name);
    bool slash = dl > 0 && dir[dl - 1] == '/';
    char *p = cn_malloc(dl + nl + 2);
    memcpy(p, dir, dl);
    if (!slash) p[dl++] = '/';
    memcpy(p + dl, name, nl + 1);
    return p;
}

/* Opens path read-only to tell "cannot open" (exit 2) from a damaged file (exit 1).
 * False with msg filled in if it cannot be opened or is a directory. */
static bool can_open_file(const char *path, char *msg, size_t msglen) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(msg, msglen, "%s: cannot open: %s", path, strerror(errno));
        return false;
    }
    struct stat st;
    bool ok = fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode);
    if (!ok) snprintf(msg, msglen, "%s: cannot open: %s", path, strerror(EISDIR));
    close(fd);
    return ok;
}

/* Prints s[0..len) between double quotes, escaped as redis-cli does. */
static void put_quoted(const char *s, size_t len) {
    putchar('"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '\\':
            fputs("\\\\", stdout);
            break;
        case '"':
            fputs("\\\"", stdout);
            break;
        case '\n':
            fputs("\\n", stdout);
            break;
        case '\r':
            fputs("\\r", stdout);
            break;
        case '\t':
            fputs("\\t", stdout);
            break;
        case '\a':
            fputs("\\a", stdout);
            break;
        case '\b':
            fputs("\\b", stdout);
            break;
        default:
            if (c >= 0x20 && c < 0x7f)
                putchar(c);
            else
                printf("\\x%02x", c);
        }
    }
    putchar('"');
}

static void put_score(double d) { printf("%.17g", d); }

/* created_ms as "2024-01-02T03:04:05.678Z". */
static void fmt_iso_utc(int64_t ms, char *buf, size_t len) {
    int64_t secs = ms / 1000, rem = ms % 1000;
    if (rem < 0) {
        rem += 1000;
        secs--;
    }
    time_t t = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(buf, len, "(unrepresentable time %lld ms)", (long long)ms);
        return;
    }
    char date[40];
    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, len, "%s.%03dZ", date, (int)rem);
}

/* Asks question on stdout and reads one line from stdin: true for "y" or "yes" (any
 * case). With --yes it says so and answers yes itself. */
static bool confirm(const options *o, const char *question) {
    printf("%s [y/N] ", question);
    if (o->yes) {
        printf("yes (--yes)\n");
        fflush(stdout);
        return true;
    }
    fflush(stdout);
    char line[64];
    if (!fgets(line, sizeof(line), stdin)) {
        printf("\n(no answer: nothing changed)\n");
        return false;
    }
    char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    size_t n = strcspn(p, " \t\r\n");
    if (!isatty(STDIN_FILENO)) printf("%.*s\n", (int)n, p); /* a piped answer, for the log */
    bool yes =
        (n == 1 && (p[0] == 'y' || p[0] == 'Y')) || (n == 3 && strncasecmp(p, "yes", 3) == 0);
    if (!yes) printf("Nothing changed.\n");
    return yes;
}

/* ---- snapshot ------------------------------------------------------------------ */

static const char *type_name(int type) {
    switch (type) {
    case SNAP_TYPE_STRING:
        return "string";
    case SNAP_TYPE_LIST:
        return "list";
    case SNAP_TYPE_SET:
        return "set";
    case SNAP_TYPE_ZSET:
        return "zset";
    case SNAP_TYPE_HASH:
        return "hash";
    default:
        return "unknown";
    }
}

static const char *kind_name(int kind) {
    switch (kind) {
    case SNAP_KIND_STRING:
        return "string";
    case SNAP_KIND_INT:
        return "int";
    case SNAP_KIND_LISTPACK:
        return "listpack";
    case SNAP_KIND_INTSET:
        return "intset";
    case SNAP_KIND_ELEMENTS:
        return "elements";
    default:
        return "unknown";
    }
}

/* A zset listpack score entry as a double: an integer entry, or text that
 * num_parse_double accepts (what src/cmd_zset.c stores). False if it is neither. */
static bool lp_score(const unsigned char *p, double *out) {
    lp_value v;
    lp_get(p, &v);
    if (!v.str) {
        *out = (double)v.ll;
        return true;
    }
    return num_parse_double(v.str, v.len, out);
}

static void put_lp_entry(const unsigned char *p) {
    char buf[LP_INTBUF];
    size_t len;
    const char *s = lp_get_str(p, buf, &len);
    put_quoted(s, len);
}

/* Walks a validated listpack record, printing it when dump. Returns the number of
 * sorted-set scores that are not numbers (printed as ?"text"). */
static unsigned long walk_listpack(const snap_record *rec, bool dump) {
    lp *l = (lp *)rec->val; /* validated by the reader; only read here */
    bool pairs = rec->type == SNAP_TYPE_HASH || rec->type == SNAP_TYPE_ZSET;
    unsigned long bad = 0;
    if (dump) printf(" count=%lu", (unsigned long)lp_count(l) / (pairs ? 2 : 1));
    for (unsigned char *p = lp_first(l); p; p = lp_next(l, p)) {
        if (dump) {
            putchar(' ');
            put_lp_entry(p);
        }
        if (!pairs) continue;
        unsigned char *v = lp_next(l, p); /* present: the reader checked the count is even */
        double d;
        if (rec->type == SNAP_TYPE_HASH) {
            if (dump) putchar('=');
            if (dump) put_lp_entry(v);
        } else if (lp_score(v, &d)) {
            if (dump) putchar('=');
            if (dump) put_score(d);
        } else {
            bad++;
            if (dump) fputs("=?", stdout);
            if (dump) put_lp_entry(v);
        }
        p = v;
    }
    return bad;
}

/* Pulls (and prints when dump) the elements of an ELEMENTS record. False if the
 * reader failed (snap_read_next reports it again). */
static bool walk_elements(snap_reader *r, const snap_record *rec, bool dump) {
    if (dump) printf(" count=%llu", (unsigned long long)rec->count);
    snap_elem e;
    for (uint64_t i = 0; i < rec->count; i++) {
        if (snap_read_element(r, &e) != SNAP_OK) return false;
        if (!dump) continue;
        putchar(' ');
        put_quoted(e.s, e.len);
        if (rec->type == SNAP_TYPE_HASH) {
            putchar('=');
            put_quoted(e.v, e.vlen);
        } else if (rec->type == SNAP_TYPE_ZSET) {
            putchar('=');
            put_score(e.score);
        }
    }
    return true;
}

typedef struct snap_result {
    bool opened;   /* the header was read */
    bool ok;       /* SNAP_DONE and no bad content */
    uint32_t ndbs; /* databases in the header */
    unsigned long long keys;
    unsigned long bad; /* keys with unreadable content (bad scores) */
    char msg[MSG_MAX]; /* the reader's error, if any */
} snap_result;

/* Reads the whole snapshot at path. verbose prints the header; dump every key. */
static void check_snapshot(const char *path, bool verbose, bool dump, snap_result *res) {
    memset(res, 0, sizeof(*res));
    snap_reader *r = snap_read_open(path, res->msg, sizeof(res->msg));
    if (!r) return;
    res->opened = true;
    if (verbose) {
        const snap_header *h = snap_read_header(r);
        struct stat st;
        long long size = stat(path, &st) == 0 ? (long long)st.st_size : -1;
        char when[64];
        fmt_iso_utc(h->created_ms, when, sizeof(when));
        printf("%s: Cairn snapshot, written by Cairn %s at %s (created_ms %lld)\n", path,
               h->version[0] ? h->version : "(no version)", when, (long long)h->created_ms);
        printf("  codec %s, %lld bytes, %u database%s in the header\n",
               snap_codec_name(snap_read_codec(r)), size, h->ndbs, plural(h->ndbs));
        for (uint32_t i = 0; i < h->ndbs; i++)
            printf("  db %u: %llu key%s, %llu with an expire\n", h->dbs[i].db,
                   (unsigned long long)h->dbs[i].keys, plural((long long)h->dbs[i].keys),
                   (unsigned long long)h->dbs[i].expires);
    }
    res->ndbs = snap_read_header(r)->ndbs;
    snap_record rec;
    snap_status st;
    while ((st = snap_read_next(r, &rec)) == SNAP_OK) {
        unsigned long bad_scores = 0;
        res->keys++;
        if (dump) {
            printf("db=%u type=%s enc=%s key=", rec.db, type_name(rec.type), kind_name(rec.kind));
            put_quoted(rec.key, rec.klen);
            printf(" expire_ms=%lld", (long long)rec.expire_ms);
        }
        switch (rec.kind) {
        case SNAP_KIND_STRING:
            if (dump) {
                fputs(" value=", stdout);
                put_quoted(rec.val, rec.vlen);
            }
            break;
        case SNAP_KIND_INT:
            if (dump) printf(" value=%lld", (long long)rec.ival);
            break;
        case SNAP_KIND_LISTPACK:
            bad_scores = walk_listpack(&rec, dump);
            break;
        case SNAP_KIND_INTSET: {
            const intset *is = (const intset *)rec.val;
            uint32_t n = intset_len(is);
            if (dump) {
                printf(" count=%u", n);
                for (uint32_t i = 0; i < n; i++) printf(" \"%lld\"", (long long)intset_get(is, i));
            }
            break;
        }
        default: /* SNAP_KIND_ELEMENTS */
            if (!walk_elements(r, &rec, dump)) {
                if (dump) putchar('\n');
                continue; /* snap_read_next returns the error */
            }
            break;
        }
        if (dump) putchar('\n');
        if (bad_scores) res->bad++;
        if (bad_scores && verbose) {
            printf("%s: db %u key ", path, rec.db);
            put_quoted(rec.key, rec.klen);
            printf(": %lu sorted-set score%s not a number\n", bad_scores,
                   bad_scores == 1 ? " is" : "s are");
        }
    }
    if (st == SNAP_ERR) {
        snprintf(res->msg, sizeof(res->msg), "%s", snap_read_error(r));
    } else {
        res->ok = res->bad == 0;
    }
    snap_read_close(r);
}

static int cmd_snapshot(const char *path, const options *o) {
    char msg[MSG_MAX];
    if (!can_open_file(path, msg, sizeof(msg))) {
        fprintf(stderr, "%s\n", msg);
        return EXIT_USAGE;
    }
    snap_result res;
    check_snapshot(path, true, o->dump, &res);
    if (!res.opened) {
        printf("%s\n", res.msg);
        return EXIT_PROBLEMS;
    }
    if (res.msg[0]) {
        printf("%s\n", res.msg);
        if (o->dump && res.keys)
            printf("(the %llu keys above were read before the error: they are not verified)\n",
                   res.keys);
        return EXIT_PROBLEMS;
    }
    if (res.bad) {
        printf("PROBLEMS: %llu key%s in %u db%s, verified checksums, but %lu key%s an "
               "invalid value\n",
               res.keys, plural((long long)res.keys), res.ndbs, plural(res.ndbs), res.bad,
               res.bad == 1 ? " holds" : "s hold");
        return EXIT_PROBLEMS;
    }
    printf("OK: %llu key%s in %u db%s, verified checksums\n", res.keys, plural((long long)res.keys),
           res.ndbs, plural(res.ndbs));
    return EXIT_VALID;
}

/* ---- aof ----------------------------------------------------------------------- */

typedef enum { FILE_OK, FILE_TRUNCATED, FILE_CORRUPT, FILE_UNREADABLE } file_state;

typedef struct file_check {
    file_state state;
    bool snapshot;     /* a snapshot base (count is keys) */
    long long count;   /* complete commands (or keys) */
    long long size;    /* bytes on disk */
    long long valid;   /* RESP: where the complete commands end (the cut point) */
    char msg[MSG_MAX]; /* the loader's or reader's message */
} file_check;

static void check_resp_file(const char *path, file_check *fc) {
    memset(fc, 0, sizeof(*fc));
    struct stat st;
    if (stat(path, &st) != 0) {
        fc->state = FILE_UNREADABLE;
        snprintf(fc->msg, sizeof(fc->msg), "%s", strerror(errno));
        return;
    }
    fc->size = (long long)st.st_size;
    aof_loader *l;
    if (aof_loader_open(path, 0, &l, fc->msg, sizeof(fc->msg)) != AOF_OK) {
        fc->state = FILE_UNREADABLE;
        return;
    }
    aof_status s;
    int argc;
    const char **argv;
    const size_t *lens;
    while ((s = aof_loader_next(l, &argc, &argv, &lens, fc->msg, sizeof(fc->msg))) == AOF_OK) {
    }
    fc->count = aof_loader_commands(l);
    fc->valid = (long long)aof_loader_offset(l);
    fc->state = s == AOF_EOF ? FILE_OK : s == AOF_TRUNCATED ? FILE_TRUNCATED : FILE_CORRUPT;
    if (fc->state == FILE_OK) fc->msg[0] = '\0';
    aof_loader_close(l);
}

static void check_snapshot_file(const char *path, file_check *fc) {
    memset(fc, 0, sizeof(*fc));
    fc->snapshot = true;
    struct stat st;
    if (stat(path, &st) != 0) {
        fc->state = FILE_UNREADABLE;
        snprintf(fc->msg, sizeof(fc->msg), "%s", strerror(errno));
        return;
    }
    fc->size = (long long)st.st_size;
    snap_result res;
    check_snapshot(path, false, false, &res);
    fc->count = (long long)res.keys;
    if (res.ok) {
        fc->state = FILE_OK;
    } else {
        fc->state = FILE_CORRUPT;
        if (res.msg[0])
            snprintf(fc->msg, sizeof(fc->msg), "%s", res.msg);
        else
            snprintf(fc->msg, sizeof(fc->msg),
                     "%s: %lu keys hold an invalid value (see cairn-check snapshot %s)", path,
                     res.bad, path);
    }
}

/* The one line (plus the reason, for damage) that reports a file. */
static void print_file(const char *path, const file_check *fc) {
    const char *what = fc->snapshot ? "key" : "command";
    const char *kind = fc->snapshot ? "snapshot base, " : "";
    switch (fc->state) {
    case FILE_OK:
        printf("%s: OK: %s%lld %s%s, %lld bytes\n", path, kind, fc->count, what, plural(fc->count),
               fc->size);
        break;
    case FILE_TRUNCATED:
        printf("%s: truncated: %lld complete command%s, %lld bytes; they end at offset %lld, "
               "%lld bytes follow\n",
               path, fc->count, plural(fc->count), fc->size, fc->valid, fc->size - fc->valid);
        break;
    case FILE_CORRUPT:
        if (fc->snapshot)
            printf("%s: corrupt: snapshot base, %lld bytes\n", path, fc->size);
        else
            printf("%s: corrupt: %lld good command%s, %lld bytes; the first bad one starts at "
                   "offset %lld, %lld bytes from there to the end\n",
                   path, fc->count, plural(fc->count), fc->size, fc->valid, fc->size - fc->valid);
        printf("  %s\n", fc->msg);
        break;
    case FILE_UNREADABLE:
        printf("%s: cannot read: %s\n", path, fc->msg);
        break;
    }
}

static bool fixable(const file_check *fc) {
    return !fc->snapshot && (fc->state == FILE_TRUNCATED || fc->state == FILE_CORRUPT);
}

/* Offers to cut path at fc->valid; re-checks and reports it after a cut. True if the
 * file is valid afterwards. */
static bool fix_file(const char *path, file_check *fc, const options *o) {
    long long drop = fc->size - fc->valid;
    if (fc->state == FILE_CORRUPT)
        printf("WARNING: %s is damaged at offset %lld, not just cut short. Truncating it there "
               "drops the bad command and everything after it (%lld bytes), including any "
               "good commands that follow the damage.\n",
               path, fc->valid, drop);
    char q[MSG_MAX + 128];
    snprintf(q, sizeof(q), "Truncate %s at offset %lld, dropping %lld bytes?", path, fc->valid,
             drop);
    if (!confirm(o, q)) return false;
    /* A file that grew or shrank since it was checked is being written (a running
     * server?): cutting it now could drop good commands. */
    struct stat st;
    if (stat(path, &st) != 0 || (long long)st.st_size != fc->size) {
        printf("%s changed since it was checked (is the server running?): nothing changed.\n",
               path);
        return false;
    }
    char err[MSG_MAX];
    if (aof_truncate(path, (off_t)fc->valid, err, sizeof(err)) != AOF_OK) {
        printf("Truncation failed: %s\n", err);
        return false;
    }
    printf("Truncated %s to %lld bytes.\n", path, fc->valid);
    check_resp_file(path, fc);
    print_file(path, fc);
    return fc->state == FILE_OK;
}

static int check_single_aof(const char *path, const options *o) {
    file_check fc;
    if (ends_with(path, ".snap"))
        check_snapshot_file(path, &fc);
    else
        check_resp_file(path, &fc);
    if (fc.state == FILE_UNREADABLE) {
        fprintf(stderr, "%s: cannot open: %s\n", path, fc.msg);
        return EXIT_USAGE;
    }
    print_file(path, &fc);
    if (fc.state == FILE_OK) return EXIT_VALID;
    if (!fixable(&fc)) {
        printf("A damaged snapshot base cannot be repaired: restore it from a backup.\n");
        return EXIT_PROBLEMS;
    }
    if (!o->fix) {
        printf("Run 'cairn-check aof %s --fix' to truncate it at offset %lld.\n", path, fc.valid);
        return EXIT_PROBLEMS;
    }
    return fix_file(path, &fc, o) ? EXIT_VALID : EXIT_PROBLEMS;
}

/* CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as aof/FORMAT.md specifies
 * for the manifest's end line. */
static uint32_t crc32_ieee(const char *p, size_t len) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) {
        c ^= (unsigned char)p[i];
        for (int k = 0; k < 8; k++) c = (c & 1u) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    }
    return ~c;
}

/* A manifest that failed to load: if recomputing the checksum of its last line
 * ("end XXXXXXXX") makes it parse, its only fault is that checksum (a hand edit).
 * With --fix, offers to save it again. True if m now holds the repaired manifest;
 * *only_checksum says whether the checksum was the only fault. */
static bool repair_manifest_checksum(const char *dir, const char *name, const char *path,
                                     const options *o, aof_manifest *m, bool *only_checksum) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    char *buf = cn_malloc(AOF_MANIFEST_MAX + 1);
    size_t len = fread(buf, 1, AOF_MANIFEST_MAX + 1, f);
    fclose(f);
    bool repaired = false;
    if (len == 0 || len > AOF_MANIFEST_MAX || buf[len - 1] != '\n') goto out;
    size_t ls = len - 1;
    while (ls > 0 && buf[ls - 1] != '\n') ls--;
    if (len - ls != strlen("end 00000000\n") || memcmp(buf + ls, "end ", 4) != 0) goto out;
    char line[16];
    uint32_t crc = crc32_ieee(buf, ls);
    snprintf(line, sizeof(line), "end %08x\n", (unsigned)crc);
    if (memcmp(buf + ls, line, len - ls) == 0) goto out; /* the checksum is not the fault */
    memcpy(buf + ls, line, len - ls);
    char err[MSG_MAX];
    if (aof_manifest_parse(buf, len, m, err, sizeof(err)) != AOF_OK) goto out;
    *only_checksum = true;
    printf("The manifest's only fault is the checksum of its end line (edited by hand?): its "
           "content gives %08x.\n",
           (unsigned)crc);
    if (!o->fix) {
        printf("Run 'cairn-check aof %s --fix' to save it again with that checksum.\n", path);
        aof_manifest_deinit(m);
        goto out;
    }
    char q[MSG_MAX];
    snprintf(q, sizeof(q), "Save %s again with a correct checksum (comments are not kept)?", path);
    if (!confirm(o, q)) {
        aof_manifest_deinit(m);
        goto out;
    }
    if (aof_manifest_save(dir, name, m, err, sizeof(err)) != AOF_OK) {
        printf("Saving the manifest failed: %s\n", err);
        aof_manifest_deinit(m);
        goto out;
    }
    printf("Saved %s.\n", path);
    repaired = true;
out:
    cn_free(buf);
    return repaired;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Notes the files of the directory that the manifest does not list (never loaded). */
static void note_leftovers(const char *dir, const char *manifest_name, const aof_manifest *m) {
    DIR *d = opendir(dir ? dir : ".");
    if (!d) return;
    char **names = NULL;
    size_t n = 0, cap = 0;
    char tmpname[AOF_NAME_MAX + 16];
    snprintf(tmpname, sizeof(tmpname), "%s.tmp", manifest_name);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || strcmp(de->d_name, manifest_name) == 0 ||
            strcmp(de->d_name, tmpname) == 0 || aof_manifest_contains(m, de->d_name))
            continue;
        if (!ends_with(de->d_name, ".aof") && !ends_with(de->d_name, ".snap") &&
            !strstr(de->d_name, ".tmp"))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            names = cn_realloc(names, cap * sizeof(*names));
        }
        names[n++] = cn_strdup(de->d_name);
    }
    closedir(d);
    if (n) qsort(names, n, sizeof(*names), cmp_str);
    for (size_t i = 0; i < n; i++) {
        printf("note: %s is in the directory but not in the manifest (never loaded)\n", names[i]);
        cn_free(names[i]);
    }
    cn_free(names);
}

/* Checks the manifest dir/name (dir NULL: the current directory, paths shown bare). */
static int check_manifest(const char *dir, const char *name, const options *o) {
    char *mpath = path_join(dir, name);
    char msg[MSG_MAX];
    int rc = EXIT_VALID;
    if (!can_open_file(mpath, msg, sizeof(msg))) {
        fprintf(stderr, "%s\n", msg);
        cn_free(mpath);
        return EXIT_USAGE;
    }
    aof_manifest m;
    aof_manifest_init(&m);
    aof_status st = aof_manifest_load(dir ? dir : ".", name, &m, msg, sizeof(msg));
    if (st == AOF_NOT_FOUND) {
        fprintf(stderr, "%s: cannot open: no such file\n", mpath);
        cn_free(mpath);
        return EXIT_USAGE;
    }
    if (st != AOF_OK) {
        /* aof_manifest_load's message names dir/name; show the path as given. */
        printf("%s: corrupt manifest\n  %s\n", mpath, msg);
        bool only_checksum = false;
        if (!repair_manifest_checksum(dir ? dir : ".", name, mpath, o, &m, &only_checksum)) {
            if (!only_checksum)
                printf("The manifest cannot be repaired automatically: correct the line named "
                       "above by hand (aof/FORMAT.md), then 'cairn-check aof %s --fix' offers "
                       "to recompute its checksum.\n",
                       mpath);
            cn_free(mpath);
            return EXIT_PROBLEMS;
        }
    }
    size_t nfiles = m.nincr + (m.has_base ? 1 : 0);
    printf("%s: manifest: %s, %zu incremental file%s\n", mpath,
           !m.has_base                        ? "no base"
           : m.base_type == AOF_BASE_SNAPSHOT ? "snapshot base"
                                              : "RESP base",
           m.nincr, m.nincr == 1 ? "" : "s");

    file_check *fcs = cn_calloc(nfiles ? nfiles : 1, sizeof(*fcs));
    char **paths = cn_calloc(nfiles ? nfiles : 1, sizeof(*paths));
    size_t k = 0, bad = 0;
    long long commands = 0, keys = 0;
    if (m.has_base) {
        paths[k] = path_join(dir, m.base.name);
        if (m.base_type == AOF_BASE_SNAPSHOT)
            check_snapshot_file(paths[k], &fcs[k]);
        else
            check_resp_file(paths[k], &fcs[k]);
        k++;
    }
    for (size_t i = 0; i < m.nincr; i++, k++) {
        paths[k] = path_join(dir, m.incr[i].name);
        check_resp_file(paths[k], &fcs[k]);
    }
    for (size_t i = 0; i < nfiles; i++) {
        print_file(paths[i], &fcs[i]);
        if (fcs[i].state == FILE_OK) continue;
        bad++;
        if (fcs[i].state == FILE_TRUNCATED && i + 1 < nfiles)
            printf("  only the last file of the log may end inside a command: %s is followed "
                   "by %s, so this is damage\n",
                   paths[i], paths[i + 1]);
    }
    note_leftovers(dir, name, &m);

    if (bad) {
        file_check *last = &fcs[nfiles - 1];
        const char *lpath = paths[nfiles - 1];
        bool others = bad > 1 || last->state == FILE_OK;
        if (fixable(last)) {
            if (o->fix) {
                if (fix_file(lpath, last, o)) bad--;
            } else {
                printf("Run 'cairn-check aof %s --fix' to truncate %s at offset %lld.\n", mpath,
                       lpath, last->valid);
            }
        }
        if (others)
            printf("Only the last file of the log can be truncated; the other damaged files "
                   "must be restored from a backup.\n");
    }
    for (size_t i = 0; i < nfiles; i++) {
        if (fcs[i].state != FILE_OK) continue;
        if (fcs[i].snapshot)
            keys += fcs[i].count;
        else
            commands += fcs[i].count;
    }
    if (bad) {
        printf("PROBLEMS: %zu of %zu files are not valid\n", bad, nfiles);
        rc = EXIT_PROBLEMS;
    } else {
        printf("OK: %zu file%s, %lld command%s", nfiles, plural((long long)nfiles), commands,
               plural(commands));
        if (m.has_base && m.base_type == AOF_BASE_SNAPSHOT)
            printf(", %lld key%s in the base", keys, plural(keys));
        putchar('\n');
    }
    for (size_t i = 0; i < nfiles; i++) cn_free(paths[i]);
    cn_free(paths);
    cn_free(fcs);
    aof_manifest_deinit(&m);
    cn_free(mpath);
    return rc;
}

/* PATH is an AOF directory: checks its single *.manifest. */
static int check_aof_dir(const char *dir, const options *o) {
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "%s: cannot open: %s\n", dir, strerror(errno));
        return EXIT_USAGE;
    }
    char *found = NULL;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!ends_with(de->d_name, ".manifest") || de->d_name[0] == '.') continue;
        if (n++ == 0) found = cn_strdup(de->d_name);
    }
    closedir(d);
    if (n != 1) {
        if (n == 0)
            fprintf(stderr, "%s: no *.manifest file in this directory\n", dir);
        else
            fprintf(stderr, "%s: %d *.manifest files in this directory: name the one to check\n",
                    dir, n);
        cn_free(found);
        return EXIT_USAGE;
    }
    int rc = check_manifest(dir, found, o);
    cn_free(found);
    return rc;
}

static int cmd_aof(const char *path, const options *o) {
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        return EXIT_USAGE;
    }
    if (S_ISDIR(st.st_mode)) return check_aof_dir(path, o);
    if (!ends_with(path, ".manifest")) return check_single_aof(path, o);
    const char *slash = strrchr(path, '/');
    if (!slash) return check_manifest(NULL, path, o);
    char *dir = cn_strndup(path, slash == path ? 1 : (size_t)(slash - path));
    int rc = check_manifest(dir, slash + 1, o);
    cn_free(dir);
    return rc;
}

/* ---- main ---------------------------------------------------------------------- */

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_USAGE;
    }
    bool aof = strcmp(argv[1], "aof") == 0, snap = strcmp(argv[1], "snapshot") == 0;
    if (!aof && !snap) {
        fprintf(stderr, "cairn-check: unknown command '%s'\n", argv[1]);
        usage(stderr);
        return EXIT_USAGE;
    }
    options o = {0};
    const char *path = NULL;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return EXIT_USAGE;
        } else if (aof && strcmp(a, "--fix") == 0) {
            o.fix = true;
        } else if (aof && strcmp(a, "--yes") == 0) {
            o.yes = true;
        } else if (snap && strcmp(a, "--dump") == 0) {
            o.dump = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "cairn-check %s: unknown option '%s'\n", argv[1], a);
            usage(stderr);
            return EXIT_USAGE;
        } else if (!path) {
            path = a;
        } else {
            fprintf(stderr, "cairn-check %s: one PATH only ('%s' is extra)\n", argv[1], a);
            return EXIT_USAGE;
        }
    }
    if (!path) {
        fprintf(stderr, "cairn-check %s: PATH is missing\n", argv[1]);
        usage(stderr);
        return EXIT_USAGE;
    }
    if (o.yes && !o.fix) {
        fprintf(stderr, "cairn-check aof: --yes only goes with --fix\n");
        return EXIT_USAGE;
    }
    int rc = aof ? cmd_aof(path, &o) : cmd_snapshot(path, &o);
    fflush(stdout);
    return rc;
}
