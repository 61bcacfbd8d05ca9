/* src/expire.c: active expiry.
 *
 * Keys are removed without being read, from each db's deadline heap (db.h),
 * so a key goes within one cron period of its deadline however many keys
 * carry a TTL. Two budgets keep every loop iteration short:
 *   slow cycle, from the cron: up to 25% of a cron period (Redis's share), but
 *   never more than 10 ms in one go;
 *   fast cycle, from before-sleep: up to 1 ms, only when keys are due.
 * A db that still has due keys when the budget runs out is resumed next time, and
 * while keys are due the loop does not sleep (expire_cycle_fast() says so): a
 * million keys due in the same second go in 1 ms slices with clients served in
 * between, rather than in 25 ms bites four times a second.
 */
#include <stdbool.h>

#include "../utils/clock.h"
#include "latency.h"
#include "server.h"

#define EXPIRE_SLOW_CPU_PERCENT 25
#define EXPIRE_SLOW_MAX_US 10000
#define EXPIRE_FAST_DURATION_US 1000

static int next_db; /* round-robin start, so one busy db cannot starve others */

/* True if some db has a key due now (no clock read: this runs every iteration). */
static bool any_due(void) {
    for (int i = 0; i < db_count(); i++) {
        int64_t next = db_next_expire(db_get(i));
        if (next >= 0 && next <= server.now_ms) return true;
    }
    return false;
}

/* Returns true when keys are still due afterwards. */
static bool expire_cycle(int64_t budget_us) {
    if (!server.active_expire || server.loading || server_writes_paused() || !any_due()) return false;
    int64_t start = clock_mono_us(), deadline = start + budget_us;
    int n = db_count();
    bool capped = false;
    for (int i = 0; i < n; i++) {
        db *d = db_get((next_db + i) % n);
        int64_t next = db_next_expire(d);
        if (next < 0 || next > server.now_ms) continue;
        db_active_expire(d, server.now_ms, deadline);
        if (clock_mono_us() >= deadline) {
            next_db = d->id; /* resume here */
            capped = true;
            break;
        }
    }
    int64_t elapsed = clock_mono_us() - start;
    server.stat_expire_cycle_time_used += elapsed;
    latency_add_sample_if_needed("expire-cycle", elapsed / 1000);
    bool more = any_due();
    if (capped && more) server.stat_expired_time_cap_reached++; /* stopped with keys due */
    return more;
}

void expire_cycle_slow(void) {
    int64_t budget = 1000000LL * EXPIRE_SLOW_CPU_PERCENT / 100 / server.hz;
    expire_cycle(budget < EXPIRE_SLOW_MAX_US ? budget : EXPIRE_SLOW_MAX_US);
}

bool expire_cycle_fast(void) { return expire_cycle(EXPIRE_FAST_DURATION_US); }
