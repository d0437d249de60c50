/*
 * kestrel/clockchips.h — the per-CPU devices that make the tick.
 *
 * A clock event device raises an interrupt on its own CPU after a given
 * delay: the x86 local APIC timer (arch/x86_64/apic.c), the arm64
 * generic timer.  Each CPU registers its own (this_cpu()->clockevent).
 * kernel/time/tick.c drives it in one of two modes:
 *
 *   periodic  an interrupt every 1/HZ s: the tick, which advances jiffies
 *             (on the timekeeping CPU), runs expired timers and calls
 *             scheduler_tick()
 *   one-shot  a single interrupt after a given number of nanoseconds: an
 *             idle CPU stops its periodic tick and sleeps until its next
 *             timer (tick_nohz_idle_enter/exit) instead of waking HZ times
 *             a second for nothing
 *
 * The device's interrupt handler calls ->event_handler(dev), which the
 * tick code sets; the device does not know what a tick is.
 */
#ifndef KESTREL_CLOCKCHIPS_H
#define KESTREL_CLOCKCHIPS_H

#include <kestrel/types.h>

enum clock_event_state {
	CLOCK_EVT_STATE_SHUTDOWN,	/* stopped, no interrupts */
	CLOCK_EVT_STATE_PERIODIC,
	CLOCK_EVT_STATE_ONESHOT,
};

/**
 * struct clock_event_device - one CPU's timer interrupt source
 * @name: "lapic"
 * @freq_hz: counts per second of its counter, as calibrated
 * @min_delta_ns, @max_delta_ns: the shortest and longest one-shot delay
 * @set_periodic: interrupt every @period_ns from now on
 * @set_next_event: one interrupt @delta_ns from now (clamped to the range)
 * @shutdown: stop interrupting
 * @event_handler: set by the tick code; the driver's interrupt calls it
 * @state: the mode it was last put in
 * @cpu: the CPU it belongs to
 */
struct clock_event_device {
	const char *name;
	u64 freq_hz;
	u64 min_delta_ns, max_delta_ns;
	void (*set_periodic)(struct clock_event_device *dev, u64 period_ns);
	void (*set_next_event)(struct clock_event_device *dev, u64 delta_ns);
	void (*shutdown)(struct clock_event_device *dev);
	void (*event_handler)(struct clock_event_device *dev);
	enum clock_event_state state;
	unsigned int cpu;
};

/**
 * clockevents_register_device - @dev is this CPU's tick device; the tick
 * code starts it in periodic mode at HZ.  Call on the CPU it belongs to,
 * interrupts off.
 */
void clockevents_register_device(struct clock_event_device *dev);

/**
 * tick_running - true when this CPU has a tick device programmed (the
 * first tick may still be on its way).
 */
bool tick_running(void);

/**
 * tick_nohz_idle_enter - this CPU is about to sleep: if its next timer is
 * more than a tick away, stop the periodic tick and program one interrupt
 * for that timer (or for @max_sleep_ns, whichever is sooner).  Returns
 * true when the tick was stopped.  Interrupts off.
 *
 * tick_nohz_idle_exit - the CPU woke: catch jiffies up with the clock for
 * the ticks it slept through (on the timekeeping CPU), run what expired,
 * restart the periodic tick.  Interrupts off.
 */
bool tick_nohz_idle_enter(u64 max_sleep_ns);
void tick_nohz_idle_exit(void);

/**
 * arch_time_init - the arch's part of time_init(): calibrate and register
 * the clock source and the boot CPU's clock event device.  Returns 0, or
 * -errno when there is no usable timer (the kernel then runs without a
 * tick, and says so).
 */
int arch_time_init(void);

#endif
