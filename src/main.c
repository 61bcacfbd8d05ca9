/* src/main.c: arguments, configuration, set-up order, signals. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "config.h"
#include "memory.h"
#include "persist.h"
#include "server.h"

static void usage(void) {
    fprintf(stderr,
            "Usage: ./cairn-server [/path/to/cairn.conf] [options] [-]\n"
            "       ./cairn-server - (read config from stdin)\n"
            "       ./cairn-server -v or --version\n"
            "       ./cairn-server -h or --help\n\n"
            "Examples:\n"
            "       ./cairn-server (run the server with default config)\n"
            "       ./cairn-server /etc/cairn/6379.conf\n"
            "       ./cairn-server --port 7777\n"
            "       ./cairn-server /etc/mycairn.conf --loglevel verbose\n");
    exit(1);
}

/* At start-up: raises RLIMIT_NOFILE for maxclients plus our own descriptors,
 * or lowers maxclients to what the OS allows, and says so in the log as Redis
 * does. */
static void adjust_open_files_limit(void) {
    rlim_t needed = (rlim_t)server.maxclients + CONFIG_MIN_RESERVED_FDS + 96;
    struct rlimit lim;
    if (getrlimit(RLIMIT_NOFILE, &lim) == -1) {
        log_warning("Unable to obtain the current NOFILE limit (%s), assuming 1024 and setting "
                    "the max clients configuration accordingly.", strerror(errno));
        server.maxclients = 1024 - CONFIG_MIN_RESERVED_FDS - 96;
    } else if (lim.rlim_cur < needed) {
        rlim_t old = lim.rlim_cur, target = needed;
        int setrlimit_error = 0;
        /* Try the full need, then step down until the OS agrees. */
        while (target > old) {
            lim.rlim_cur = lim.rlim_max < target && lim.rlim_max != RLIM_INFINITY ? lim.rlim_max : target;
            if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < target) lim.rlim_max = target;
            if (setrlimit(RLIMIT_NOFILE, &lim) != -1) break;
            setrlimit_error = errno;
            struct rlimit cur;
            getrlimit(RLIMIT_NOFILE, &cur);
            lim = cur;
            if (target < 16) break;
            target -= 16;
        }
        getrlimit(RLIMIT_NOFILE, &lim);
        if (lim.rlim_cur < needed) {
            int old_max = server.maxclients;
            long avail = (long)lim.rlim_cur - CONFIG_MIN_RESERVED_FDS - 96;
            server.maxclients = avail > 1 ? (int)avail : 1;
            log_warning("You requested maxclients of %d requiring at least %llu max file "
                        "descriptors.", old_max, (unsigned long long)needed);
            log_warning("Server can't set maximum open files to %llu because of OS error: %s.",
                        (unsigned long long)needed, strerror(setrlimit_error));
            log_warning("Current maximum open files is %llu. maxclients has been reduced to %d "
                        "to compensate for low ulimit. If you need higher maxclients increase "
                        "'ulimit -n'.", (unsigned long long)lim.rlim_cur, server.maxclients);
        } else {
            log_notice("Increased maximum number of open files to %llu (it was originally set "
                       "to %llu).", (unsigned long long)needed, (unsigned long long)old);
        }
    }
}

int server_maxclients_changed(char *err, size_t errlen) {
    int wanted = server.maxclients;
    adjust_open_files_limit();
    if (server.maxclients < wanted) {
        snprintf(err, errlen, "The operating system is not able to handle the specified number "
                              "of clients, try with %d", server.maxclients);
        return CN_ERR;
    }
    el_resize(server.loop, server.maxclients + CONFIG_MIN_RESERVED_FDS + 96);
    return CN_OK;
}

static void on_shutdown_signal(int sig) {
    if (server.shutdown_asap) {
        log_raw_from_signal("You insist... exiting now.");
        _exit(1);
    }
    log_raw_from_signal(sig == SIGINT ? "Received SIGINT scheduling shutdown..."
                                      : "Received SIGTERM scheduling shutdown...");
    server.shutdown_asap = true;
}

static void setup_signals(void) {
    struct sigaction sa = {0};
    sa.sa_handler = on_shutdown_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
}

static void daemonize(void) {
    if (fork() != 0) exit(0);
    setsid();
    int fd = open("/dev/null", O_RDWR);
    if (fd != -1) {
        dup2(fd, STDIN_FILENO);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        if (fd > STDERR_FILENO) close(fd);
    }
}

static void write_pidfile(void) {
    if (!server.pidfile || !*server.pidfile) return;
    FILE *f = fopen(server.pidfile, "w");
    if (!f) {
        log_warning("Failed to write PID file: %s", strerror(errno));
        return;
    }
    fprintf(f, "%d\n", (int)getpid());
    fclose(f);
}

int main(int argc, char **argv) {
    if (argc >= 2) {
        if (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--version")) {
            printf("Cairn server v=%s (Redis-compatible %s) bits=%d\n", CAIRN_VERSION,
                   REDIS_COMPAT_VERSION, (int)(sizeof(long) * 8));
            return 0;
        }
        if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) usage();
    }
    config_set_defaults();
    const char *conf = NULL;
    int first = 1;
    /* The first argument is the config file unless it is an option; "-" is stdin. */
    if (argc >= 2 && (argv[1][0] != '-' || !strcmp(argv[1], "-"))) {
        conf = argv[1];
        first = 2;
    }
    char err[2048];
    if (config_load(conf, argc - first, argv + first, err, sizeof(err)) != CN_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    server.executable = argv[0];
    if (server.daemonize) daemonize();
    log_set_level(server.loglevel);
    log_set_file(server.logfile);
    cn_alloc_set_background_thread(server.jemalloc_bg_thread);
    log_notice("oO0OoO0OoO0Oo Cairn is starting oO0OoO0OoO0Oo");
    log_notice("Cairn version=%s, redis_version=%s, bits=%d, pid=%d, just started", CAIRN_VERSION,
               REDIS_COMPAT_VERSION, (int)(sizeof(long) * 8), (int)getpid());
    if (conf) log_notice("Configuration loaded");
    else log_warning("No config file specified, using the default config. In order to specify a "
                     "config file use %s /path/to/cairn.conf", argv[0]);

    adjust_open_files_limit();
    server.loop = el_create(server.maxclients + CONFIG_MIN_RESERVED_FDS + 96);
    if (!server.loop) {
        log_warning("Failed creating the event loop. Error message: '%s'", strerror(errno));
        return 1;
    }
    server_setup();
    if (net_listen_all(err, sizeof(err)) != CN_OK) {
        log_warning("%s", err);
        return 1;
    }
    setup_signals();
    write_pidfile();
    log_notice("Running mode=standalone, port=%d.", server.port);
    log_notice("Server initialized");
    memory_record_startup(); /* before the dataset: used_memory_startup */
    /* Listening already: clients that connect during a long load get -LOADING. */
    if (persist_load_at_startup() != CN_OK) {
        log_warning("Fatal error loading the DB, check the log above. Exiting.");
        if (server.pidfile && *server.pidfile) unlink(server.pidfile);
        return 1;
    }
    log_notice("Ready to accept connections%s%s", server.listen_count ? " tcp" : "",
               server.unix_fd >= 0 ? " unix" : "");
    el_run(server.loop);
    server_teardown();
    el_destroy(server.loop);
    return 0;
}
