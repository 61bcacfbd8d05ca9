/* src/config.h: configuration directives: one table, the config file, CONFIG.
 *
 * What it does. Every directive Cairn understands is one row of config.c's table:
 * its name (and alias, if Redis has one), how its value is parsed and printed,
 * the `server` field it lives in, its default, whether it may change at run time,
 * and the callback that puts a run-time change into effect. That one table serves
 * the config file, the command line, CONFIG GET/SET/REWRITE and the documented
 * redis.conf.example. An unknown directive is an error everywhere.
 *
 * Start-up, in main.c:
 *
 *   config_set_defaults();                           // every field to its default
 *   if (config_load(file_or_NULL, nopts, opts, err, sizeof(err)) != CN_OK) {
 *       fprintf(stderr, "%s\n", err);                // multi-line, Redis's FATAL layout
 *       exit(1);
 *   }
 *   ... daemonize (server.daemonize), pidfile ...
 *   config_apply_startup();                          // log level and log file
 *
 * Terms. A "directive line" is a name and its arguments: one line of a file, or on
 * the command line one "--name" followed by the words up to the next "--name". A
 * file line is split with resp_split_args() (Redis's quoting rules). Later lines
 * override earlier ones; each client-output-buffer-limit line sets only the classes
 * it names.
 *
 * What the fields hold (what other modules may rely on):
 *  - server.bind: never NULL; space-separated addresses exactly as configured,
 *    "" = no TCP listener. The default is Redis's "* -::*": "*" is every IPv4
 *    address, "::*" every IPv6 address, a leading '-' marks an address that may be
 *    skipped when it is not available.
 *  - server.unixsocket, server.pidfile, server.requirepass: NULL when unset (an
 *    empty string is stored as NULL).
 *  - server.logfile: never NULL; "" = standard output.
 *  - server.dir: never NULL; the absolute working directory (the process chdir()s
 *    when `dir` is read or set).
 *  - server.hz is always within [CONFIG_MIN_HZ, CONFIG_MAX_HZ] (Redis clamps it).
 *  - server.maxclients: accepted up to UINT_MAX as in Redis, stored clamped to INT_MAX.
 *  - server.latency_tracking is 0 or 1.
 *  - server.latency_tracking_info_percentiles: never NULL; numbers in [0, 100] as
 *    CONFIG GET shows them ("%f" without trailing zeros), separated by single
 *    spaces; "" = none (latency.h parses it).
 *  - server.config_file: set by config_load() to the file's absolute path (symlinks
 *    resolved), NULL without a file or when the file is standard input.
 * Every string field is allocated and owned by config.c; config_teardown() frees
 * them. Other modules read the fields and never write them.
 *
 * Run-time changes. Most mutable directives need nothing: their users read the
 * field each time (timeout, hz, tcp-keepalive, slowlog-*, proto-max-bulk-len,
 * client-query-buffer-limit, client-output-buffer-limit, protected-mode,
 * requirepass, latency-tracking (off: no new samples, INFO latencystats lists nothing;
 * the histograms are kept), latency-tracking-info-percentiles (read by each INFO),
 * latency-monitor-threshold (samples from the next event on; those kept stay until
 * LATENCY RESET), list-max-listpack-size (new lists' nodes and
 * the next conversion check of any list), hash-max-listpack-*: a change applies to the
 * next write of a hash; hashes already converted stay converted; set-max-*: the
 * same for sets). The others
 * have apply callbacks, run once per CONFIG SET after every value has been
 * validated and stored, and only for values that changed: loglevel ->
 * log_set_level(); dir -> chdir(); maxclients -> server_maxclients_changed();
 * port and bind -> server_listeners_changed() (once even if both change). If a
 * callback fails, every value of that CONFIG SET is put back and every callback
 * tried so far (the failed one too) runs again with the old values, so the
 * server ends up as before.
 *
 * What it never does: touch a client's buffers other than through reply.h, or
 * write to anything but the config file (CONFIG REWRITE) and the log.
 */
#ifndef CAIRN_CONFIG_H
#define CAIRN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "command.h"

/* Defaults and limits not in server.h (Redis's names and values). */
#define CONFIG_DEFAULT_BIND "127.0.0.1 -::1" /* redis.conf's default: loopback only */
#define CONFIG_BINDADDR_MAX 16      /* addresses in `bind` (the size of server.listen_fds) */
#define CONFIG_DEFAULT_UNIXSOCKETPERM 0
#define CONFIG_DEFAULT_PROTECTED_MODE 1
#define CONFIG_DEFAULT_TIMEOUT 0
#define CONFIG_MIN_HZ 1
#define CONFIG_MAX_HZ 500
#define CONFIG_DEFAULT_LOGLEVEL LOG_NOTICE
#define CONFIG_DEFAULT_LOGFILE ""
#define CONFIG_DEFAULT_DAEMONIZE 0
#define CONFIG_DEFAULT_JEMALLOC_BG_THREAD 1 /* purge freed pages in the background */
#define CONFIG_DEFAULT_LATENCY_TRACKING 1
#define CONFIG_DEFAULT_LATENCY_MONITOR_THRESHOLD 0 /* ms; 0 = off */
#define CONFIG_DEFAULT_LATENCY_TRACKING_INFO_PERCENTILES "50 99 99.9"
#define CONFIG_MIN_BULK_LIMIT (1024LL * 1024) /* proto-max-bulk-len, client-query-buffer-limit */
/* client-output-buffer-limit <class> <hard> <soft> <soft seconds> */
#define CONFIG_DEFAULT_OBUF_NORMAL_HARD 0
#define CONFIG_DEFAULT_OBUF_NORMAL_SOFT 0
#define CONFIG_DEFAULT_OBUF_NORMAL_SECONDS 0
#define CONFIG_DEFAULT_OBUF_REPLICA_HARD (256LL * 1024 * 1024)
#define CONFIG_DEFAULT_OBUF_REPLICA_SOFT (64LL * 1024 * 1024)
#define CONFIG_DEFAULT_OBUF_REPLICA_SECONDS 60
#define CONFIG_DEFAULT_OBUF_PUBSUB_HARD (32LL * 1024 * 1024)
#define CONFIG_DEFAULT_OBUF_PUBSUB_SOFT (8LL * 1024 * 1024)
#define CONFIG_DEFAULT_OBUF_PUBSUB_SECONDS 60
/* enable-protected-configs: who may CONFIG SET a protected directive (dir). */
enum { CONFIG_PROTECTED_NO = 0, CONFIG_PROTECTED_YES = 1, CONFIG_PROTECTED_LOCAL = 2 };
#define CONFIG_DEFAULT_ENABLE_PROTECTED_CONFIGS CONFIG_PROTECTED_NO
#define CONFIG_DEFAULT_ENABLE_DEBUG_COMMAND CONFIG_PROTECTED_NO

typedef struct client client;
/* For enable-protected-configs and enable-debug-command (no/yes/local): may c
 * use the feature? "local" admits loopback and Unix-socket connections. */
bool config_access_allowed(const client *c, int setting);
/* `include` may nest this deep (Redis has no limit and crashes on a loop). */
#define CONFIG_INCLUDE_MAX_DEPTH 16

/* Frees the string fields config.c owns (and server.config_file). The fields are
 * NULL afterwards; config_set_defaults() may be called again. */
void config_teardown(void);
/* The current value's name of an enum directive (INFO: "maxmemory-policy" ->
 * "allkeys-lru"); NULL for a name that is not an enum directive. */
const char *config_enum_name(const char *directive);

/* Writes the running configuration into the file at path, keeping its comments,
 * blank lines, `include` lines and lines it does not know, in their order: each
 * directive's first line is replaced by its current value, its later lines are
 * dropped, and directives not in the file are appended (under "# Generated by
 * CONFIG REWRITE") when their value is not the default. Writes a temp file in the
 * same directory, fsyncs it, renames it over path (keeping the old file's mode) and
 * fsyncs the directory. CN_OK, or CN_ERR with err set to strerror's text. */
int config_rewrite(const char *path, char *err, size_t errlen);

/* The CONFIG command (lead: register it in command.c). */
extern command cmd_table_config[];

/* --- Provided by the server (server.c / net.c), called from config.c --- */

/* CONFIG RESETSTAT: zero the INFO statistics, command and error stats. */
void server_reset_stats(void);

/* CONFIG SET maxclients changed server.maxclients: raise the open-files limit and
 * resize the event loop as needed. On CN_ERR fill err with Redis's text, e.g.
 * "The operating system is not able to handle the specified number of clients,
 * try with 19968" or "The event loop API used by Redis is not able to handle the
 * specified number of clients"; config.c then restores the old value and calls
 * this function again. */
int server_maxclients_changed(char *err, size_t errlen);

/* CONFIG SET port or bind changed server.port / server.bind: replace the TCP
 * listeners by ones for the new values (port 0 or bind "" = none). Close the old
 * ones first (a wildcard listener would keep a specific address on the same port
 * busy), then open the new ones; if one fails, close those just opened, log why and
 * return CN_ERR. config.c then replies with Redis's text ("Unable to listen on this
 * port. Check server logs." or "Failed to bind to specified addresses."), restores
 * the old values and calls this again to get the old listeners back. Clients
 * already connected stay. The Unix socket is not touched. */
int server_listeners_changed(void);

#endif
