/* utils/log.c: see log.h. */
#include "log.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int log_level = LOG_NOTICE;
static char log_path[4096];
static char log_role = 'M';

void log_set_level(int level) { log_level = level; }
int log_get_level(void) { return log_level; }
void log_set_role(char role) { log_role = role; }

void log_set_file(const char *path) {
    snprintf(log_path, sizeof(log_path), "%s", path ? path : "");
}

void log_msg(int level, const char *fmt, ...) {
    static const char marks[] = ".-*#";
    if (level < log_level || level >= LOG_NOTHING) return;

    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);

    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    char when[64];
    size_t off = strftime(when, sizeof(when), "%d %b %Y %H:%M:%S.", &tm);
    snprintf(when + off, sizeof(when) - off, "%03d", (int)(tv.tv_usec / 1000));

    FILE *f = log_path[0] ? fopen(log_path, "a") : stdout;
    if (!f) return;
    fprintf(f, "%d:%c %s %c %s\n", (int)getpid(), log_role, when, marks[level], msg);
    fflush(f);
    if (f != stdout) fclose(f);
}

/* Appends the decimal digits of v to p (async-signal-safe). */
static char *put_ull(char *p, unsigned long long v) {
    char tmp[24];
    int n = 0;
    do tmp[n++] = (char)('0' + v % 10); while ((v /= 10) != 0);
    while (n) *p++ = tmp[--n];
    return p;
}

void log_raw_from_signal(const char *msg) {
    /* "pid:signal-handler (unixtime) msg", as Redis logs from a handler: no
     * stdio, no localtime, no allocation. */
    char line[512], *p = line;
    p = put_ull(p, (unsigned long long)getpid());
    memcpy(p, ":signal-handler (", 17);
    p += 17;
    p = put_ull(p, (unsigned long long)time(NULL));
    *p++ = ')';
    *p++ = ' ';
    size_t len = strlen(msg);
    if (len > sizeof(line) - (size_t)(p - line) - 1) len = sizeof(line) - (size_t)(p - line) - 1;
    memcpy(p, msg, len);
    p += len;
    if (p[-1] != '\n') *p++ = '\n';
    int fd = log_path[0] ? open(log_path, O_APPEND | O_CREAT | O_WRONLY, 0644) : STDOUT_FILENO;
    if (fd < 0) return;
    ssize_t r = write(fd, line, (size_t)(p - line));
    (void)r;
    if (fd != STDOUT_FILENO) close(fd);
}
