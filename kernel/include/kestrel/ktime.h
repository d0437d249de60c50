/*
 * kestrel/ktime.h — reading the clocks, in nanoseconds.
 *
 * Two clocks, as in Linux (clock_gettime(2)):
 *
 *   ktime_get()       CLOCK_MONOTONIC: nanoseconds since time_init(),
 *                     never going backwards, unaffected by the date
 *   ktime_get_real()  CLOCK_REALTIME: nanoseconds since 1970-01-01 00:00
 *                     UTC — the battery-backed RTC read at boot, carried
 *                     forward by the monotonic clock
 *
 * Both are read from the clock source (kestrel/clocksource.h: on x86_64 the
 * TSC, calibrated at boot against the HPET or the PIT), so a read costs a
 * few nanoseconds and needs no lock and no interrupt.  Before time_init()
 * they return 0.
 */
#ifndef KESTREL_KTIME_H
#define KESTREL_KTIME_H

#include <kestrel/types.h>

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL
#define USEC_PER_SEC	1000000ULL

typedef s64 time64_t;		/* seconds since the epoch */

/**
 * ktime_get - monotonic time in nanoseconds since the clock started.
 * Context: any (interrupts may be off).  Never goes backwards on one CPU;
 * across CPUs as long as their clock sources are synchronized (the TSC
 * of one package is).
 */
u64 ktime_get(void);

/** ktime_get_real - wall-clock time: nanoseconds since the Unix epoch. */
u64 ktime_get_real(void);

/** ktime_get_real_seconds - ktime_get_real() in whole seconds. */
time64_t ktime_get_real_seconds(void);

/** clock_ready - true once time_init() has a calibrated clock source. */
bool clock_ready(void);

/**
 * ndelay, udelay, mdelay - wait at least @ns / @us / @ms by spinning on the
 * clock (for device timing; never a way to wait for an event).  Before the
 * clock is calibrated they return at once.  Context: any.
 */
void ndelay(u64 ns);
void udelay(u64 us);
void mdelay(u64 ms);

/**
 * time_init - start the clocks and the tick: calibrate the clock source
 * and the local timer (arch_time_init), read the RTC for the wall clock,
 * start the periodic tick on the boot CPU.  Prints the `time:` lines.
 * Call once after irq_init(), before interrupts are enabled.
 */
void time_init(void);

#endif
