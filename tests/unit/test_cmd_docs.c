/* tests/unit/test_cmd_docs.c: the docs notations of the command table
 * (src/cmd_docs.c): every table row parses, good notations parse, malformed ones
 * are refused with a message naming the row, the field and the offset, and
 * tracked memory returns to where it was after each test. The replies built from
 * the parsed trees are compared with Redis by utils/tools/compare-commands.sh
 * and checked black-box by tests/integration/test_server.c. */
#include <string.h>

#include "src/command.h"
#include "src/config.h"
#include "tests/test.h"
#include "utils/alloc.h"

/* The table links the whole server library; main.c's hook is not part of it. */
int server_maxclients_changed(char *err, size_t errlen) {
    (void)err;
    (void)errlen;
    return 0;
}

/* Parses a row made of the given notations; returns whether it parsed and
 * leaves the message in err. Frees what it parsed. */
static bool parse_row(const char *args, const char *key_specs, const char *tips,
                      const char *history, char *err, size_t errlen) {
    command cmd = {.name = "t", .group = "generic", .since = "1.0.0", .summary = "s",
                   .args = args, .key_specs = key_specs, .tips = tips, .history = history};
    snprintf(cmd.fullname, sizeof(cmd.fullname), "t");
    err[0] = '\0';
    bool ok = cmd_docs_setup(&cmd, err, errlen);
    CHECK(ok == (cmd.docs != NULL));
    cmd_docs_teardown(&cmd);
    CHECK(cmd.docs == NULL);
    return ok;
}

#define GOOD(args, ks)                                                                             \
    do {                                                                                           \
        char err_[512];                                                                            \
        if (!parse_row(args, ks, NULL, NULL, err_, sizeof(err_)))                                  \
            test_fail(__FILE__, __LINE__, "refused: %s", err_);                                    \
    } while (0)

/* The notation is refused and the message contains fragment. */
#define BAD(args, ks, tips, history, fragment)                                                     \
    do {                                                                                           \
        char err_[512];                                                                            \
        if (parse_row(args, ks, tips, history, err_, sizeof(err_)))                                \
            test_fail(__FILE__, __LINE__, "accepted: %s", args ? args : ks ? ks : "");             \
        else if (!strstr(err_, fragment))                                                          \
            test_fail(__FILE__, __LINE__, "message \"%s\" lacks \"%s\"", err_, fragment);          \
    } while (0)

static void t_tables(void) {
    size_t before = cn_used_memory();
    command_setup(); /* aborts with a message if a row is malformed */
    CHECK(command_count() > 50);
    for (size_t i = 0; i < command_count(); i++) CHECK(command_at(i)->docs != NULL);
    command *set = command_lookup("SET", 3);
    CHECK(set && set->docs);
    command_teardown();
    CHECK_EQ_INT(cn_used_memory(), before);
}

static void t_good(void) {
    size_t before = cn_used_memory();
    GOOD("key@0 value [condition(NX|XX)+2.6.12] [GET+6.2.0] "
         "[expiration(EX seconds:integer+2.6.12 | PX milliseconds:integer | KEEPTTL+6.0.0)]",
         "RW access update variable_flags: index 1 range 0 1 0 -- RW and ACCESS, because");
    GOOD("key_value(key@0 value)...", "OW update: index 1 range -1 2 0");
    GOOD("filter(ip:port!2.8.12 | new-format([ID client-id:integer] | [SKIPME yes/no])...)", NULL);
    GOOD("key@0 [GET pattern:pattern@1...*] [ALPHA=sorting] id_or_auto('*'=auto_id|id) "
         "k_or_e(key@1|''=empty_string) NX=nx value",
         "RO access: index 1 range 0 1 0; OW update: keyword STORE 1 keynum 0 1 1; "
         "RO: unknown unknown -- notes, with 'quotes'");
    GOOD("  key@0   value  ", "RO : index 1 range 0 1 0");
    GOOD(NULL, NULL);
    char err[256];
    CHECK(parse_row(NULL, NULL, "request_policy:all_shards response_policy:agg_sum", NULL, err,
                    sizeof(err)));
    CHECK(parse_row(NULL, NULL, NULL, "2.6.12 Added the `EX` option.\n6.0.0 Another; change.\n",
                    err, sizeof(err)));
    CHECK_EQ_INT(cn_used_memory(), before);
}

static void t_bad(void) {
    size_t before = cn_used_memory();
    BAD("k:key", NULL, NULL, NULL, "key argument 'k' needs '@N'");
    BAD("key@1", "RO: index 1 range 0 1 0", NULL, NULL, "'key@1' but only 1 key specs");
    BAD("key@0 [value", "RO: index 1 range 0 1 0", NULL, NULL, "expected ']' at offset 12");
    BAD("[[value]]", NULL, NULL, NULL, "nested optional brackets");
    BAD("c(a|b c)", NULL, NULL, NULL, "a group mixes '|' and ' '");
    BAD("c()", NULL, NULL, NULL, "empty group");
    BAD("c(a b", NULL, NULL, NULL, "expected an argument");
    BAD("'NX", NULL, NULL, NULL, "unterminated quote");
    BAD("Value", NULL, NULL, NULL, "a name must be lower case");
    BAD("NX=", NULL, NULL, NULL, "expected a name after '='");
    BAD("a+x", NULL, NULL, NULL, "expected a version");
    BAD("a+7.0+7.0", NULL, NULL, NULL, "version given twice");
    BAD("a|b", NULL, NULL, NULL, "unexpected '|'");
    BAD("c(a b):integer", NULL, NULL, NULL, "unexpected ':'");
    BAD("NX@0", "RO: index 1 range 0 1 0", NULL, NULL, "'@' on an argument that cannot take it");
    BAD(NULL, "RO access index 1 range 0 1 0", NULL, NULL, "unknown key-spec flag 'index'");
    BAD(NULL, "RO: index x range 0 1 0", NULL, NULL, "expected a number, not 'x'");
    BAD(NULL, "RO: begin 1 range 0 1 0", NULL, NULL, "expected index, keyword or unknown");
    BAD(NULL, "RO: index 1 range 0 1", NULL, NULL, "expected a number");
    BAD(NULL, "RO: index 1 range 0 1 0 --", NULL, NULL, "empty notes");
    BAD(NULL, "RO: index 1 range 0 1 0 extra", NULL, NULL, "unexpected 'e'");
    BAD(NULL, NULL, NULL, "2.6.12", "expected ' ' after the version");
    BAD(NULL, NULL, NULL, "x Added", "expected a version");
    BAD(NULL, NULL, NULL, "1.0.0 ", "empty history text");
    BAD(NULL, NULL, "request_policy:all_shards;x", NULL, "unexpected ';'");
    BAD(NULL, "RO: keyword 0123456789012345678901234567890123456789012345678901234567890123 1 "
              "range 0 1 0", NULL, NULL, "word too long");
    BAD("a@", NULL, NULL, NULL, "t .args: expected a key-spec index at offset 2 of \"a@\"");
    CHECK_EQ_INT(cn_used_memory(), before);
}

static void t_required_fields(void) {
    char err[256];
    command cmd = {.name = "t", .group = "generic", .since = "1.0.0"};
    snprintf(cmd.fullname, sizeof(cmd.fullname), "t");
    CHECK(!cmd_docs_setup(&cmd, err, sizeof(err)));
    CHECK(strstr(err, "all three are required") != NULL);
    cmd.summary = "s";
    cmd.doc_flags = DOC_DEPRECATED;
    CHECK(!cmd_docs_setup(&cmd, err, sizeof(err)));
    CHECK(strstr(err, "DOC_DEPRECATED") != NULL);
    cmd.deprecated_since = "2.0.0";
    CHECK(cmd_docs_setup(&cmd, err, sizeof(err)));
    cmd_docs_teardown(&cmd);
    cmd_docs_teardown(&cmd); /* twice is fine: docs is NULL */
}

int main(void) {
    test_run("every table row parses", t_tables);
    test_run("good notations", t_good);
    test_run("bad notations", t_bad);
    test_run("summary, since and group; deprecation", t_required_fields);
    return test_summary("cmd_docs");
}
