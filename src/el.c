/* src/el.c: see el.h. */
#include "el.h"

#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "../utils/alloc.h"
#include "../utils/clock.h"

typedef struct el_file {
    int mask;
    el_file_fn *rfn, *wfn;
    void *rdata, *wdata;
} el_file;

typedef struct el_timer {
    long long id;
    int64_t when_us;
    el_timer_fn *fn;
    void *data;
    struct el_timer *next;
    bool deleted;
} el_timer;

struct el_loop {
    int epfd;
    int capacity;
    el_file *files;
    struct epoll_event *events;
    el_timer *timers;
    long long next_timer_id;
    el_hook_fn *before_sleep;
    long max_wait_ms;
    bool stop;
};

el_loop *el_create(int capacity) {
    el_loop *l = cn_calloc(1, sizeof(*l));
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (l->epfd < 0) {
        cn_free(l);
        return NULL;
    }
    l->capacity = capacity;
    l->files = cn_calloc((size_t)capacity, sizeof(el_file));
    l->events = cn_calloc((size_t)capacity, sizeof(struct epoll_event));
    l->max_wait_ms = -1;
    return l;
}

void el_destroy(el_loop *l) {
    if (!l) return;
    close(l->epfd);
    for (el_timer *t = l->timers, *n; t; t = n) {
        n = t->next;
        cn_free(t);
    }
    cn_free(l->files);
    cn_free(l->events);
    cn_free(l);
}

bool el_resize(el_loop *l, int capacity) {
    if (capacity <= l->capacity) return true;
    l->files = cn_realloc(l->files, (size_t)capacity * sizeof(el_file));
    for (int i = l->capacity; i < capacity; i++) l->files[i] = (el_file){0};
    l->events = cn_realloc(l->events, (size_t)capacity * sizeof(struct epoll_event));
    l->capacity = capacity;
    return true;
}

int el_capacity(const el_loop *l) { return l->capacity; }

bool el_add(el_loop *l, int fd, int mask, el_file_fn *fn, void *data) {
    if (fd >= l->capacity && !el_resize(l, fd + 1024)) return false;
    el_file *f = &l->files[fd];
    int newmask = f->mask | mask;
    struct epoll_event ev = {0};
    ev.events = (newmask & EL_READABLE ? EPOLLIN : 0) | (newmask & EL_WRITABLE ? EPOLLOUT : 0);
    ev.data.fd = fd;
    if (epoll_ctl(l->epfd, f->mask ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) < 0) return false;
    f->mask = newmask;
    if (mask & EL_READABLE) f->rfn = fn, f->rdata = data;
    if (mask & EL_WRITABLE) f->wfn = fn, f->wdata = data;
    return true;
}

void el_del(el_loop *l, int fd, int mask) {
    if (fd < 0 || fd >= l->capacity) return;
    el_file *f = &l->files[fd];
    if (!f->mask) return;
    int newmask = f->mask & ~mask;
    struct epoll_event ev = {0};
    ev.events = (newmask & EL_READABLE ? EPOLLIN : 0) | (newmask & EL_WRITABLE ? EPOLLOUT : 0);
    ev.data.fd = fd;
    epoll_ctl(l->epfd, newmask ? EPOLL_CTL_MOD : EPOLL_CTL_DEL, fd, &ev);
    f->mask = newmask;
}

int el_mask(const el_loop *l, int fd) {
    return fd >= 0 && fd < l->capacity ? l->files[fd].mask : EL_NONE;
}

long long el_add_timer(el_loop *l, long ms, el_timer_fn *fn, void *data) {
    el_timer *t = cn_calloc(1, sizeof(*t));
    t->id = ++l->next_timer_id;
    t->when_us = clock_mono_us() + (int64_t)ms * 1000;
    t->fn = fn;
    t->data = data;
    t->next = l->timers;
    l->timers = t;
    return t->id;
}

void el_del_timer(el_loop *l, long long id) {
    for (el_timer *t = l->timers; t; t = t->next)
        if (t->id == id) t->deleted = true;
}

void el_set_before_sleep(el_loop *l, el_hook_fn *fn) { l->before_sleep = fn; }
void el_set_max_wait(el_loop *l, long ms) { l->max_wait_ms = ms; }
void el_stop(el_loop *l) { l->stop = true; }

/* Milliseconds until the nearest timer, or -1 when there is none. */
static long nearest_timer_ms(el_loop *l) {
    int64_t best = -1, now = clock_mono_us();
    for (el_timer *t = l->timers; t; t = t->next) {
        if (t->deleted) continue;
        if (best < 0 || t->when_us < best) best = t->when_us;
    }
    if (best < 0) return -1;
    return best <= now ? 0 : (long)((best - now + 999) / 1000);
}

static void run_timers(el_loop *l) {
    int64_t now = clock_mono_us();
    el_timer **pp = &l->timers;
    while (*pp) {
        el_timer *t = *pp;
        if (t->deleted) {
            *pp = t->next;
            cn_free(t);
            continue;
        }
        if (t->when_us <= now) {
            long again = t->fn(l, t->id, t->data);
            if (again == EL_NOMORE) t->deleted = true;
            else t->when_us = clock_mono_us() + (int64_t)again * 1000;
        }
        pp = &t->next;
    }
}

void el_process(el_loop *l, bool dont_wait) {
    long wait = dont_wait ? 0 : nearest_timer_ms(l);
    if (!dont_wait && l->max_wait_ms >= 0 && (wait < 0 || wait > l->max_wait_ms))
        wait = l->max_wait_ms;
    int n = epoll_wait(l->epfd, l->events, l->capacity, (int)wait);
    for (int i = 0; i < n; i++) {
        int fd = l->events[i].data.fd;
        uint32_t ev = l->events[i].events;
        el_file *f = &l->files[fd];
        bool readable = ev & (EPOLLIN | EPOLLERR | EPOLLHUP);
        bool writable = ev & (EPOLLOUT | EPOLLERR | EPOLLHUP);
        /* The read handler may close fd and a new client may reuse it: recheck. */
        if (readable && (f->mask & EL_READABLE)) f->rfn(l, fd, f->rdata, EL_READABLE);
        f = &l->files[fd];
        if (writable && (f->mask & EL_WRITABLE)) f->wfn(l, fd, f->wdata, EL_WRITABLE);
    }
    if (n < 0 && errno != EINTR) return;
    run_timers(l);
}

void el_run(el_loop *l) {
    l->stop = false;
    while (!l->stop) {
        if (l->before_sleep) l->before_sleep(l);
        if (l->stop) break;
        el_process(l, false);
    }
}
