/* utils/clock.h: time sources.
 *
 * clock_ms/clock_us: wall clock (Unix epoch) used for key expiry and LASTSAVE.
 * clock_mono_us: monotonic, for durations, timeouts and budgets.
 */
#ifndef CAIRN_CLOCK_H
#define CAIRN_CLOCK_H

#include <stdint.h>

int64_t clock_us(void);
int64_t clock_ms(void);
int64_t clock_mono_us(void);

#endif
