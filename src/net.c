/* src/net.c: listening sockets, accepting clients, socket options. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "config.h"
#include "server.h"

#define MAX_ACCEPTS_PER_CALL 1000

static void set_nonblock(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

static void set_keepalive(int fd, int interval) {
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &yes, sizeof(yes));
    int idle = interval, intvl = interval / 3 ? interval / 3 : 1, cnt = 3;
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
}

/* Listens on one address; returns the fd or -1 with err filled. */
static int listen_tcp(const char *addr, int port, char *err, size_t errlen) {
    struct addrinfo hints = {0}, *res, *p;
    char portstr[16];
    snprintf(portstr, sizeof(portstr), "%d", port);
    hints.ai_family = strchr(addr, ':') ? AF_INET6 : AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    /* "*" and "::*" are every IPv4 and every IPv6 address. */
    if (!strcmp(addr, "*") || !strcmp(addr, "::*")) addr = NULL;
    int rv = getaddrinfo(addr, portstr, &hints, &res);
    if (rv) {
        snprintf(err, errlen, "%s", gai_strerror(rv));
        errno = EADDRNOTAVAIL;
        return -1;
    }
    int fd = -1, saved = EADDRNOTAVAIL;
    for (p = res; p; p = p->ai_next) {
        fd = socket(p->ai_family, p->ai_socktype | SOCK_CLOEXEC, p->ai_protocol);
        if (fd < 0) continue;
        int yes = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
        if (p->ai_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &yes, sizeof(yes));
        if (bind(fd, p->ai_addr, p->ai_addrlen) == 0 && listen(fd, server.tcp_backlog) == 0) break;
        saved = errno;
        snprintf(err, errlen, "%s", strerror(saved));
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    errno = saved;
    if (fd >= 0) set_nonblock(fd);
    return fd;
}

static int listen_unix(const char *path, int perm, char *err, size_t errlen) {
    struct sockaddr_un sa = {0};
    if (strlen(path) >= sizeof(sa.sun_path)) {
        snprintf(err, errlen, "unix socket path too long");
        return -1;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    sa.sun_family = AF_UNIX;
    strcpy(sa.sun_path, path);
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, server.tcp_backlog) < 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    if (perm) chmod(path, (mode_t)perm);
    set_nonblock(fd);
    return fd;
}

static void close_tcp_listeners(void);

/* Opens the TCP listeners for server.bind and server.port. */
static int listen_tcp_all(char *err, size_t errlen) {
    server.listen_count = 0;
    if (server.port != 0) {
        char *copy = cn_strdup(server.bind ? server.bind : "");
        char *save = NULL;
        for (char *a = strtok_r(copy, " ", &save); a; a = strtok_r(NULL, " ", &save)) {
            /* "-addr": skip quietly when the address is not available. */
            bool optional = a[0] == '-';
            if (optional) a++;
            char why[256] = "";
            int fd = listen_tcp(a, server.port, why, sizeof(why));
            if (fd < 0) {
                /* An optional address ("-::1" on a host without IPv6) may be absent;
                 * any other failure (port in use) stops us even there. */
                if (optional && errno != EADDRINUSE && errno != EACCES) {
                    log_notice("Skipping optional bind address %s:%d: %s", a, server.port, why);
                    continue;
                }
                snprintf(err, errlen, "Failed listening on port %d (tcp) on %s: %s", server.port, a, why);
                cn_free(copy);
                close_tcp_listeners();
                return CN_ERR;
            }
            if (server.listen_count == (int)(sizeof(server.listen_fds) / sizeof(int))) {
                close(fd);
                snprintf(err, errlen, "Too many bind addresses");
                cn_free(copy);
                return CN_ERR;
            }
            server.listen_fds[server.listen_count++] = fd;
            el_add(server.loop, fd, EL_READABLE, net_accept_handler, NULL);
        }
        cn_free(copy);
    }
    return CN_OK;
}

static void close_tcp_listeners(void) {
    for (int i = 0; i < server.listen_count; i++) {
        el_del(server.loop, server.listen_fds[i], EL_READABLE);
        close(server.listen_fds[i]);
    }
    server.listen_count = 0;
}

int server_listeners_changed(void) {
    char err[512];
    close_tcp_listeners();
    if (listen_tcp_all(err, sizeof(err)) != CN_OK) {
        close_tcp_listeners();
        log_warning("%s", err);
        return CN_ERR;
    }
    return CN_OK;
}

int net_listen_all(char *err, size_t errlen) {
    server.unix_fd = -1;
    if (listen_tcp_all(err, errlen) != CN_OK) return CN_ERR;
    if (server.unixsocket && *server.unixsocket) {
        char why[256];
        server.unix_fd = listen_unix(server.unixsocket, server.unixsocketperm, why, sizeof(why));
        if (server.unix_fd < 0) {
            snprintf(err, errlen, "Failed opening Unix socket %s: %s", server.unixsocket, why);
            return CN_ERR;
        }
        el_add(server.loop, server.unix_fd, EL_READABLE, net_accept_handler, NULL);
    }
    if (server.listen_count == 0 && server.unix_fd < 0) {
        snprintf(err, errlen, "Configured to not listen anywhere, exiting.");
        return CN_ERR;
    }
    return CN_OK;
}

void net_close_listeners(void) {
    close_tcp_listeners();
    if (server.unix_fd >= 0) {
        el_del(server.loop, server.unix_fd, EL_READABLE);
        close(server.unix_fd);
        unlink(server.unixsocket);
        server.unix_fd = -1;
    }
}

static void format_sockaddr(const struct sockaddr_storage *sa, char *out, size_t len) {
    char ip[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (sa->ss_family == AF_INET) {
        const struct sockaddr_in *s = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &s->sin_addr, ip, sizeof(ip));
        port = ntohs(s->sin_port);
        snprintf(out, len, "%s:%d", ip, port);
    } else if (sa->ss_family == AF_INET6) {
        const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof(ip));
        port = ntohs(s->sin6_port);
        snprintf(out, len, "%s:%d", ip, port);
    } else {
        snprintf(out, len, "%s:0", server.unixsocket ? server.unixsocket : "");
    }
}

void net_format_peer(int fd, bool unix_socket, char *peer, size_t plen, char *local, size_t llen) {
    struct sockaddr_storage sa;
    socklen_t sl = sizeof(sa);
    if (unix_socket) {
        snprintf(peer, plen, "%s:0", server.unixsocket ? server.unixsocket : "");
        snprintf(local, llen, "%s:0", server.unixsocket ? server.unixsocket : "");
        return;
    }
    if (getpeername(fd, (struct sockaddr *)&sa, &sl) == 0) format_sockaddr(&sa, peer, plen);
    else snprintf(peer, plen, "?:0");
    sl = sizeof(sa);
    if (getsockname(fd, (struct sockaddr *)&sa, &sl) == 0) format_sockaddr(&sa, local, llen);
    else snprintf(local, llen, "?:0");
}

static bool is_loopback(const struct sockaddr_storage *sa) {
    if (sa->ss_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->ss_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(a)) return true;
        if (IN6_IS_ADDR_V4MAPPED(a)) return a->s6_addr[12] == 127;
    }
    return false;
}

static void refuse(int fd, const char *msg) {
    ssize_t r = write(fd, msg, strlen(msg));
    (void)r;
    close(fd);
}

static const char protected_msg[] =
    "-DENIED Running in protected mode because protected mode is enabled and no password is "
    "set for the default user. In this mode connections are only accepted from the loopback "
    "interface. To accept connections from other hosts, do one of the following: 1) disable "
    "protected mode with 'CONFIG SET protected-mode no' from the loopback interface (make sure "
    "the server is not reachable from the internet), and 'CONFIG REWRITE' to keep it; 2) set "
    "'protected-mode no' in the configuration file and restart; 3) restart with "
    "'--protected-mode no'; 4) set a password for the default user (requirepass).\r\n";

void net_accept_handler(el_loop *loop, int lfd, void *data, int mask) {
    (void)loop, (void)data, (void)mask;
    bool unix_socket = lfd == server.unix_fd;
    for (int i = 0; i < MAX_ACCEPTS_PER_CALL; i++) {
        struct sockaddr_storage sa;
        socklen_t sl = sizeof(sa);
        int fd = accept4(lfd, (struct sockaddr *)&sa, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
                log_warning("Accepting client connection: %s", strerror(errno));
            return;
        }
        if (!unix_socket) {
            int yes = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
            if (server.tcp_keepalive > 0) set_keepalive(fd, server.tcp_keepalive);
        }
        server.stat_numconnections++;
        if ((int)server.nclients >= server.maxclients) {
            refuse(fd, "-ERR max number of clients reached\r\n");
            server.stat_rejected_conn++;
            continue;
        }
        if (!unix_socket && server.protected_mode && !server.requirepass && !is_loopback(&sa)) {
            refuse(fd, protected_msg);
            server.stat_rejected_conn++;
            continue;
        }
        client *c = client_create(fd, unix_socket ? CLIENT_UNIX_SOCKET : 0);
        if (!c) {
            log_warning("Error registering fd event for the new client: %s", strerror(errno));
            close(fd);
            continue;
        }
        log_verbose("Accepted %s", c->addr);
    }
}
