/* src/el.h: the event loop. epoll file events, timers and a before-sleep hook.
 *
 * One loop per process, single-threaded. File events fire a read and/or write
 * handler per descriptor (level-triggered). Timers run when due; a timer handler
 * returns the milliseconds until it should run again, or EL_NOMORE to stop.
 * Each iteration: before_sleep(), epoll_wait (bounded by the nearest timer and
 * by el_set_max_wait), file events, then due timers.
 *
 * The loop knows nothing of clients or the server: it does not include server.h.
 * It allocates through utils/alloc.h only at creation and when a descriptor
 * beyond the current capacity is registered.
 */
#ifndef CAIRN_EL_H
#define CAIRN_EL_H

#include <stdbool.h>
#include <stdint.h>

#define EL_NONE 0
#define EL_READABLE 1
#define EL_WRITABLE 2
#define EL_NOMORE (-1)

typedef struct el_loop el_loop;
typedef void el_file_fn(el_loop *loop, int fd, void *data, int mask);
typedef long el_timer_fn(el_loop *loop, long long id, void *data);
typedef void el_hook_fn(el_loop *loop);

el_loop *el_create(int capacity);
void el_destroy(el_loop *loop);
/* Grows the descriptor capacity; returns false if the OS refuses. */
bool el_resize(el_loop *loop, int capacity);
int el_capacity(const el_loop *loop);

/* Adds mask to fd's events; the handler given serves the bits in mask. */
bool el_add(el_loop *loop, int fd, int mask, el_file_fn *fn, void *data);
void el_del(el_loop *loop, int fd, int mask);
int el_mask(const el_loop *loop, int fd);

long long el_add_timer(el_loop *loop, long ms, el_timer_fn *fn, void *data);
void el_del_timer(el_loop *loop, long long id);

void el_set_before_sleep(el_loop *loop, el_hook_fn *fn);
/* Caps the epoll wait (ms), e.g. so that the loop wakes for fast expiry. -1: no cap. */
void el_set_max_wait(el_loop *loop, long ms);
void el_run(el_loop *loop); /* until el_stop */
void el_stop(el_loop *loop);
/* One iteration without blocking: used by DEBUG and loading paths. */
void el_process(el_loop *loop, bool dont_wait);

#endif
