/*
 * kestrel/clocksource.h — the counter the clocks are read from.
 *
 * A clock source is a free-running counter that every CPU can read
 * cheaply: the x86 TSC (arch/x86_64/time.c), later the arm64 generic
 * counter.  The arch code measures its frequency at boot and registers
 * it; kernel/time/timekeeping.c turns its cycles into nanoseconds with
 * one multiplication and one shift, never a division:
 *
 *	ns = (cycles × mult) >> shift,	mult = (10^9 << shift) / freq_hz
 *
 * With shift = 32, mult keeps 32 fraction bits of nanoseconds-per-cycle:
 * at 3 GHz the rounding error is below 1 part in 10^9 (a millisecond in
 * twelve days).  mult is 64 bits (a counter slower than 1 GHz has more
 * than one nanosecond per cycle) and the product is taken in 128 bits, so
 * no elapsed time overflows it.
 */
#ifndef KESTREL_CLOCKSOURCE_H
#define KESTREL_CLOCKSOURCE_H

#include <kestrel/types.h>

/**
 * struct clocksource - a readable counter
 * @name: "tsc"
 * @read: the counter now; monotonic, same value on every CPU
 * @freq_hz: counts per second, as calibrated
 * @mult, @shift: cycles to nanoseconds, filled in by clocksource_register
 */
struct clocksource {
	const char *name;
	u64 (*read)(void);
	u64 freq_hz;
	u64 mult;
	u32 shift;
};

/**
 * clocksource_register - make @cs the clock that ktime_get() reads; the
 * monotonic clock starts at 0 now.  Called once, by arch_time_init().
 */
void clocksource_register(struct clocksource *cs);

/** clocksource_cyc2ns - @cycles of @cs as nanoseconds (the formula above). */
static inline u64 clocksource_cyc2ns(const struct clocksource *cs, u64 cycles)
{
	return (u64)(((unsigned __int128)cycles * cs->mult) >> cs->shift);
}

#endif
