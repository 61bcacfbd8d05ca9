/* aof/writer.c: the append buffer, write(), and the fsync policies. See aof.h. */
#include "aof.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "resp/encode.h"
#include "utils/alloc.h"
#include "utils/clock.h"

struct aof_writer {
    int fd;
    aof_fsync_policy policy;

    /* The append buffer: buf[0..len) not yet written. Main thread only. */
    char *buf;
    size_t len, cap;
    int write_errno;
    int64_t postpone_start_us; /* 0: not postponing */
    unsigned long long delayed_fsyncs;
    long long synced_main; /* `written` at the last main-thread fdatasync (always) */

    /* Shared with the everysec thread. */
    _Atomic long long written; /* bytes written, total */
    _Atomic long long synced;  /* `written` covered by the last good fdatasync */
    _Atomic bool in_progress;
    _Atomic unsigned long long fsyncs;
    _Atomic int fsync_errno;
    _Atomic int64_t last_fsync_us;

    /* The everysec thread; the fields below are under mu. */
    bool thread_running;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    int interval_ms;
    int *retired; /* fds to fdatasync and close; grown by the main thread only */
    size_t nretired, retired_cap;
    bool hold; /* aof_writer_debug_hold_fsync() */
};

/* ---- the everysec thread ------------------------------------------------------ */

static void fsync_fd(aof_writer *w, int fd, long long mark) {
    atomic_store(&w->in_progress, true);
    int rc = fdatasync(fd);
    int e = errno;
    atomic_store(&w->in_progress, false);
    if (rc == 0) {
        atomic_store(&w->fsync_errno, 0);
        atomic_fetch_add(&w->fsyncs, 1);
        atomic_store(&w->last_fsync_us, clock_mono_us());
        if (mark >= 0) atomic_store(&w->synced, mark);
    } else {
        atomic_store(&w->fsync_errno, e);
    }
}

static void deadline_after_ms(struct timespec *ts, int ms) {
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

static void *everysec_main(void *arg) {
    aof_writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        /* Retired fds first: their last bytes must reach the disk before close. */
        while (w->nretired > 0) {
            int fd = w->retired[--w->nretired];
            pthread_mutex_unlock(&w->mu);
            fsync_fd(w, fd, -1);
            close(fd);
            pthread_mutex_lock(&w->mu);
        }
        if (w->stop) break;
        long long written = atomic_load(&w->written);
        if (written > atomic_load(&w->synced)) {
            int fd = w->fd; /* stays open: only this thread closes a retired fd */
            if (w->hold) {  /* test hook: a disk that takes as long as the test wants */
                atomic_store(&w->in_progress, true);
                while (w->hold && !w->stop) pthread_cond_wait(&w->cv, &w->mu);
            }
            pthread_mutex_unlock(&w->mu);
            fsync_fd(w, fd, written);
            pthread_mutex_lock(&w->mu);
        }
        if (w->stop || w->nretired > 0) continue;
        struct timespec ts;
        deadline_after_ms(&ts, w->interval_ms);
        pthread_cond_timedwait(&w->cv, &w->mu, &ts);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void thread_start(aof_writer *w) {
    if (w->thread_running) return;
    w->stop = false;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&w->thread, NULL, everysec_main, w) != 0) {
        /* No thread: fall back to syncing on the main thread (see write_and_sync). */
        pthread_cond_destroy(&w->cv);
        return;
    }
    w->thread_running = true;
}

static void thread_stop(aof_writer *w) {
    if (!w->thread_running) return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL); /* the thread drained the retired fds */
    pthread_cond_destroy(&w->cv);
    w->thread_running = false;
}

/* ---- life cycle ------------------------------------------------------------------ */

aof_writer *aof_writer_create(int fd, aof_fsync_policy policy) {
    aof_writer *w = cn_calloc(1, sizeof(*w));
    w->fd = fd;
    w->policy = policy;
    w->interval_ms = AOF_EVERYSEC_INTERVAL_MS;
    atomic_init(&w->written, 0);
    atomic_init(&w->synced, 0);
    atomic_init(&w->in_progress, false);
    atomic_init(&w->fsyncs, 0);
    atomic_init(&w->fsync_errno, 0);
    atomic_init(&w->last_fsync_us, clock_mono_us());
    pthread_mutex_init(&w->mu, NULL);
    if (policy == AOF_FSYNC_EVERYSEC) thread_start(w);
    return w;
}

void aof_writer_destroy(aof_writer *w) {
    if (!w) return;
    thread_stop(w);
    for (size_t i = 0; i < w->nretired; i++) close(w->retired[i]);
    if (w->fd >= 0) close(w->fd);
    pthread_mutex_destroy(&w->mu);
    cn_free(w->retired);
    cn_free(w->buf);
    cn_free(w);
}

void aof_writer_set_everysec_interval_ms(aof_writer *w, int ms) {
    pthread_mutex_lock(&w->mu);
    w->interval_ms = ms > 0 ? ms : 1;
    if (w->thread_running) pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void aof_writer_debug_hold_fsync(aof_writer *w, bool hold) {
    pthread_mutex_lock(&w->mu);
    w->hold = hold;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void aof_writer_set_policy(aof_writer *w, aof_fsync_policy policy) {
    if (policy == w->policy) return;
    if (w->policy == AOF_FSYNC_EVERYSEC) thread_stop(w);
    w->policy = policy;
    w->postpone_start_us = 0;
    if (policy == AOF_FSYNC_EVERYSEC) thread_start(w);
}

aof_fsync_policy aof_writer_policy(const aof_writer *w) { return w->policy; }

/* ---- the append buffer ------------------------------------------------------------- */

static void reserve(aof_writer *w, size_t more) {
    if (w->len + more <= w->cap) return;
    size_t cap = w->cap ? w->cap : 16 * 1024;
    while (cap < w->len + more) cap *= 2;
    w->buf = cn_realloc(w->buf, cap);
    w->cap = cap;
}

void aof_append(aof_writer *w, int argc, const char *const *argv, const size_t *lens) {
    size_t need = RESP_HDR_MAX;
    for (int i = 0; i < argc; i++) need += RESP_HDR_MAX + lens[i] + 2;
    reserve(w, need);
    char *p = w->buf + w->len;
    p += resp_enc_hdr(p, '*', argc);
    for (int i = 0; i < argc; i++) {
        p += resp_enc_hdr(p, '$', (long long)lens[i]);
        if (lens[i]) memcpy(p, argv[i], lens[i]);
        p += lens[i];
        *p++ = '\r';
        *p++ = '\n';
    }
    w->len = (size_t)(p - w->buf);
}

void aof_append_raw(aof_writer *w, const char *p, size_t len) {
    reserve(w, len);
    if (len) memcpy(w->buf + w->len, p, len);
    w->len += len;
}

/* ---- writing and syncing ------------------------------------------------------------ */

aof_status aof_flush(aof_writer *w) {
    size_t done = 0;
    aof_status st = AOF_OK;
    while (done < w->len) {
        ssize_t n = write(w->fd, w->buf + done, w->len - done);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        w->write_errno = n < 0 ? errno : ENOSPC; /* write() == 0: treat as a full disk */
        st = AOF_ERR;
        break;
    }
    if (done > 0) {
        atomic_fetch_add(&w->written, (long long)done);
        memmove(w->buf, w->buf + done, w->len - done);
        w->len -= done;
    }
    if (st == AOF_OK) {
        w->write_errno = 0;
        if (w->cap > AOF_BUF_KEEP_MAX) { /* give a big burst's buffer back */
            cn_free(w->buf);
            w->buf = NULL;
            w->cap = 0;
        }
    }
    return st;
}

aof_status aof_fsync_now(aof_writer *w) {
    long long mark = atomic_load(&w->written);
    if (fdatasync(w->fd) != 0) {
        atomic_store(&w->fsync_errno, errno);
        return AOF_ERR;
    }
    atomic_store(&w->fsync_errno, 0);
    atomic_fetch_add(&w->fsyncs, 1);
    atomic_store(&w->last_fsync_us, clock_mono_us());
    atomic_store(&w->synced, mark);
    w->synced_main = mark;
    return AOF_OK;
}

aof_status aof_write_and_sync(aof_writer *w, bool force, int64_t now_us) {
    switch (w->policy) {
    case AOF_FSYNC_NO:
        return aof_flush(w);
    case AOF_FSYNC_ALWAYS: {
        if (aof_flush(w) != AOF_OK) return AOF_ERR;
        if (atomic_load(&w->written) == w->synced_main) return AOF_OK; /* nothing new */
        return aof_fsync_now(w);
    }
    case AOF_FSYNC_EVERYSEC:
        break;
    }
    if (w->len > 0 && !force && atomic_load(&w->in_progress)) {
        if (w->postpone_start_us == 0) w->postpone_start_us = now_us;
        if (now_us - w->postpone_start_us < AOF_MAX_POSTPONE_US) return AOF_POSTPONED;
        w->delayed_fsyncs++; /* the disk is behind: write without waiting any longer */
    }
    w->postpone_start_us = 0;
    aof_status st = aof_flush(w);
    if (!w->thread_running && atomic_load(&w->written) > atomic_load(&w->synced) &&
        now_us - atomic_load(&w->last_fsync_us) >= (int64_t)w->interval_ms * 1000)
        aof_fsync_now(w); /* no thread could be started: sync here, once a second */
    if (st != AOF_OK) return st;
    return atomic_load(&w->fsync_errno) ? AOF_ERR : AOF_OK;
}

aof_status aof_writer_switch_fd(aof_writer *w, int newfd) {
    if (w->len > 0) return AOF_ERR;
    int old = w->fd;
    if (w->thread_running) {
        pthread_mutex_lock(&w->mu);
        if (w->nretired == w->retired_cap) {
            w->retired_cap = w->retired_cap ? w->retired_cap * 2 : 4;
            w->retired = cn_realloc(w->retired, w->retired_cap * sizeof(int));
        }
        w->retired[w->nretired++] = old;
        w->fd = newfd;
        /* The new file has nothing unsynced yet. */
        atomic_store(&w->synced, atomic_load(&w->written));
        pthread_cond_signal(&w->cv);
        pthread_mutex_unlock(&w->mu);
        return AOF_OK;
    }
    if (w->policy != AOF_FSYNC_NO && atomic_load(&w->written) != atomic_load(&w->synced)) {
        if (fdatasync(old) == 0) atomic_fetch_add(&w->fsyncs, 1);
    }
    close(old);
    w->fd = newfd;
    atomic_store(&w->synced, atomic_load(&w->written));
    w->synced_main = atomic_load(&w->written);
    return AOF_OK;
}

/* ---- observing ---------------------------------------------------------------------- */

bool aof_fsync_in_progress(const aof_writer *w) {
    return atomic_load(&((aof_writer *)w)->in_progress);
}

int64_t aof_seconds_since_fsync(const aof_writer *w, int64_t now_us) {
    aof_writer *mw = (aof_writer *)w;
    if (atomic_load(&mw->written) == atomic_load(&mw->synced)) return 0;
    int64_t d = now_us - atomic_load(&mw->last_fsync_us);
    return d > 0 ? d / 1000000 : 0;
}

void aof_writer_stats_get(const aof_writer *w, aof_writer_stats *out) {
    aof_writer *mw = (aof_writer *)w; /* atomics are read through a non-const pointer */
    out->buffered = w->len;
    out->buffer_alloc = cn_alloc_size(w->buf);
    out->written = atomic_load(&mw->written);
    out->fsyncs = atomic_load(&mw->fsyncs);
    out->delayed_fsyncs = w->delayed_fsyncs;
    out->write_errno = w->write_errno;
    out->fsync_errno = atomic_load(&mw->fsync_errno);
    out->fsync_in_progress = atomic_load(&mw->in_progress);
    out->last_fsync_us = atomic_load(&mw->last_fsync_us);
}
