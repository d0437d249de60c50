/*
 * kestrel/jiffies.h — the tick counter.
 *
 * The timer interrupt arrives HZ times a second on every CPU (the local
 * APIC timer in periodic mode, kernel/time/tick.c); on the boot CPU — the
 * one that keeps time — each tick adds one to `jiffies`.  Jiffies are the
 * coarse clock of kernel timers (kestrel/timer.h) and of timeouts: cheap
 * to read (one load), monotonic, 10 ms apart at HZ = 100.  For anything
 * finer, read ktime_get() (kestrel/ktime.h).
 *
 * jiffies is 64 bits and never wraps in practice (at HZ = 100, after
 * 5.8 billion years), but compare through time_after()/time_before()
 * anyway, as Linux code must with its 32-bit jiffies on some machines:
 * the habit costs nothing and survives a counter that does wrap.
 */
#ifndef KESTREL_JIFFIES_H
#define KESTREL_JIFFIES_H

#include <kestrel/types.h>

#define HZ		100		/* timer ticks per second */
#define TICK_NSEC	(1000000000UL / HZ)	/* nanoseconds per tick */

/* Written by the timekeeping CPU's tick, read anywhere (one aligned load). */
extern volatile u64 jiffies;

/** time_after - true when jiffies value @a is later than @b. */
#define time_after(a, b)	((s64)((u64)(b) - (u64)(a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((s64)((u64)(a) - (u64)(b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)

/** msecs_to_jiffies - @ms milliseconds as ticks, rounded up. */
static inline u64 msecs_to_jiffies(u64 ms)
{
	return (ms * HZ + 999) / 1000;
}

/** jiffies_to_msecs - @j ticks as milliseconds. */
static inline u64 jiffies_to_msecs(u64 j)
{
	return j * (1000 / HZ);
}

#endif
