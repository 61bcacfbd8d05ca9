/* tests/bench_floor.c: the floor under `make bench`'s unpipelined lines.
 *
 * A server that does nothing: one epoll loop, level-triggered like Cairn's, one
 * recv and one send per ready client, no keyspace. It answers PING with +PONG,
 * CONFIG (redis-benchmark's start-up CONFIG GETs) with one empty pair, and every
 * other command with a null bulk, as GET of a missing key. Its CPU time per
 * unpipelined request is what the kernel charges any epoll server for a
 * loopback request/reply; Redis's CPU per request over this floor is therefore
 * the best CPU ratio any such server could show on the machine.
 *
 * usage: bench_floor --port PORT [--bind 127.0.0.1]   (always 127.0.0.1; runs until
 * killed), the arguments bench.sh's start() gives a server.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FD   65536
#define BUF_SIZE 16384

typedef struct conn {
    char in[BUF_SIZE];
    size_t len;
} conn;

static conn *conns[MAX_FD];

/* Parses one "<c>N\r\n" header at *p; returns N, or -1 if incomplete or malformed. */
static long header(const char **p, const char *end, char c) {
    const char *s = *p;
    if (s >= end || *s != c) return -1;
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    if (!nl) return -1;
    *p = nl + 1;
    return strtol(s + 1, NULL, 10);
}

/* Answers every whole command in c->in, keeps the partial rest. Returns the reply
 * bytes written into out, or -1 on input this floor does not speak. */
static long answer(conn *c, char *out, size_t cap) {
    const char *p = c->in, *end = c->in + c->len;
    size_t n = 0;
    while (p < end) {
        const char *cmd = p, *name = NULL;
        long argc = header(&p, end, '*'), namelen = 0;
        if (argc < 0 && p == cmd && *p != '*') return -1;
        bool whole = argc >= 0;
        for (long i = 0; whole && i < argc; i++) {
            long len = header(&p, end, '$');
            if (len < 0 || end - p < len + 2) {
                whole = false;
            } else {
                if (i == 0) name = p, namelen = len;
                p += len + 2;
            }
        }
        if (!whole) {
            p = cmd;
            break;
        }
        const char *r = "$-1\r\n";
        if (namelen == 4 && !strncasecmp(name, "PING", 4))
            r = "+PONG\r\n";
        else if (namelen == 6 && !strncasecmp(name, "CONFIG", 6))
            r = "*2\r\n$0\r\n\r\n$0\r\n\r\n";
        size_t rl = strlen(r);
        if (n + rl > cap) return -1;
        memcpy(out + n, r, rl);
        n += rl;
    }
    c->len = (size_t)(end - p);
    memmove(c->in, p, c->len);
    return c->len == BUF_SIZE ? -1 : (long)n;
}

int main(int argc, char **argv) {
    int port = 0;
    for (int i = 1; i + 1 < argc; i += 2)
        if (!strcmp(argv[i], "--port")) port = atoi(argv[i + 1]);
    if (port <= 0 || port > 65535) {
        fprintf(stderr, "usage: %s --port PORT [--bind 127.0.0.1]\n", argv[0]);
        return 2;
    }
    int one = 1, ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(ls, 511) < 0) {
        perror("bench_floor: bind");
        return 1;
    }
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = ls}, events[1024];
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    static char out[BUF_SIZE * 2];
    for (;;) {
        int n = epoll_wait(ep, events, 1024, -1);
        if (n < 0 && errno != EINTR) return 1;
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == ls) {
                int c = accept4(ls, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (c < 0) continue;
                if (c >= MAX_FD) {
                    close(c);
                    continue;
                }
                setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
                conns[c] = calloc(1, sizeof(conn));
                ev = (struct epoll_event){.events = EPOLLIN, .data.fd = c};
                epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
                continue;
            }
            conn *c = conns[fd];
            ssize_t r = recv(fd, c->in + c->len, BUF_SIZE - c->len, 0);
            if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            long w = -1;
            if (r > 0) {
                c->len += (size_t)r;
                w = answer(c, out, sizeof(out));
            }
            /* Replies of a few bytes: the socket buffer always takes them whole. */
            if (w < 0 || (w > 0 && send(fd, out, (size_t)w, MSG_NOSIGNAL) != w)) {
                close(fd);
                free(c);
                conns[fd] = NULL;
            }
        }
    }
}
