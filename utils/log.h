/* utils/log.h: the server log, in Redis's line format.
 *
 *   12345:M 23 Nov 2026 17:10:02.123 * Ready to accept connections tcp
 *
 * pid, role char, timestamp with milliseconds, a level mark (. - * #), the message.
 * Levels and their names follow redis.conf's loglevel: debug verbose notice warning
 * (and nothing). The sink is stdout until log_set_file() names a file; the file is
 * opened per line as Redis does, so rotation by rename works.
 */
#ifndef CAIRN_LOG_H
#define CAIRN_LOG_H

enum { LOG_DEBUG = 0, LOG_VERBOSE, LOG_NOTICE, LOG_WARNING, LOG_NOTHING };

void log_set_level(int level);
int log_get_level(void);
/* path "" means stdout. The string is copied. */
void log_set_file(const char *path);
void log_set_role(char role); /* 'M' master, 'C' child, 'S' replica */
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* For signal handlers: no stdio, no allocation. */
void log_raw_from_signal(const char *msg);

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_verbose(...) log_msg(LOG_VERBOSE, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_warning(...) log_msg(LOG_WARNING, __VA_ARGS__)

#endif
