/*
 * tick.c — the periodic tick and its one-shot alternative for idle CPUs
 * (kestrel/clockchips.h, kestrel/jiffies.h).
 *
 * Each CPU registers its clock event device (the local APIC timer), which
 * this file starts in periodic mode at HZ.  Every tick, on every CPU, in
 * interrupt context:
 *
 *	the timekeeping CPU (the boot CPU)   jiffies++
 *	every CPU                            run_local_timers()   (timer.c)
 *	every CPU                            scheduler_tick()     (kernel/sched)
 *
 * Only one CPU advances jiffies, or a machine with N CPUs would count N
 * ticks per tick.  (Linux hands the duty to another CPU when the
 * timekeeper sleeps; Kestrel's boot CPU keeps it — lab 11 revisits this.)
 *
 * Tickless idle.  A CPU with nothing to run need not wake HZ times a
 * second.  tick_nohz_idle_enter() stops the periodic tick and programs a
 * single interrupt for this CPU's next timer; tick_nohz_idle_exit(),
 * called when the CPU wakes (from any interrupt), adds the ticks that
 * passed to jiffies — counted from the clock, not from interrupts — runs
 * the timers that expired and restarts the periodic tick.  The one-shot
 * interrupt itself does the same.
 *
 *	periodic ──nohz_idle_enter──> one-shot ──wake-up──> periodic
 *	         (next timer > 1 tick away)      (jiffies caught up)
 *
 * Per-CPU state: struct tick_sched below, one per CPU, touched only by
 * its CPU with interrupts off.  jiffies is written by the timekeeping
 * CPU only; everyone else reads it.
 */
#include <asm/ptrace.h>
#include <kestrel/clockchips.h>
#include <kestrel/jiffies.h>
#include <kestrel/ktime.h>
#include <kestrel/percpu.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/timer.h>

#define TIMEKEEPING_CPU	0

volatile u64 jiffies;

/* One CPU's tick state. */
struct tick_sched {
	bool stopped;		/* in one-shot mode for an idle sleep */
	u64 stopped_ns;		/* ktime_get() when the tick was stopped */
	u64 stopped_jiffies;	/* jiffies then (timekeeping CPU) */
};

static struct tick_sched tick_cpu_sched[NR_CPUS];

/* DOC: tick */
/* The work of one tick (see the head comment). */
static void tick_periodic(void)
{
	if (this_cpu()->cpu == TIMEKEEPING_CPU)
		jiffies++;
	run_local_timers();
	scheduler_tick();
	/* Whose time this tick was: the user's, or the kernel's for it. */
	itimer_account_tick(current, this_cpu()->irq_regs &&
				     user_mode(this_cpu()->irq_regs));
}

static void tick_handle_periodic(struct clock_event_device *dev)
{
	(void)dev;
	tick_periodic();
}

void clockevents_register_device(struct clock_event_device *dev)
{
	this_cpu()->clockevent = dev;
	this_cpu()->irq_timer = 0;
	dev->event_handler = tick_handle_periodic;
	dev->set_periodic(dev, TICK_NSEC);
	dev->state = CLOCK_EVT_STATE_PERIODIC;
}

bool tick_running(void)
{
	const struct clock_event_device *dev = this_cpu()->clockevent;

	return dev && dev->state != CLOCK_EVT_STATE_SHUTDOWN;
}

/* ---- tickless idle ---- */

static void tick_handle_oneshot(struct clock_event_device *dev)
{
	(void)dev;
	tick_nohz_idle_exit();
}

bool tick_nohz_idle_enter(u64 max_sleep_ns)
{
	struct clock_event_device *dev = this_cpu()->clockevent;
	struct tick_sched *ts = &tick_cpu_sched[this_cpu()->cpu];
	u64 next = next_timer_expiry(), now = jiffies, sleep_ns = max_sleep_ns;

	if (!dev || ts->stopped || !clock_ready())
		return false;
	if (next != TIMER_NO_EXPIRY) {
		if (time_before_eq(next, now + 1))
			return false;	/* due within a tick: keep ticking */
		/* Compare in ticks first: the product could overflow. */
		if (next - now < max_sleep_ns / TICK_NSEC)
			sleep_ns = (next - now) * TICK_NSEC;
	}
	sleep_ns = MIN(sleep_ns, dev->max_delta_ns);
	ts->stopped = true;
	ts->stopped_ns = ktime_get();
	ts->stopped_jiffies = now;
	dev->event_handler = tick_handle_oneshot;
	dev->set_next_event(dev, sleep_ns);
	dev->state = CLOCK_EVT_STATE_ONESHOT;
	return true;
}

void tick_nohz_idle_exit(void)
{
	struct clock_event_device *dev = this_cpu()->clockevent;
	struct tick_sched *ts = &tick_cpu_sched[this_cpu()->cpu];
	u64 slept;

	if (!dev || !ts->stopped)
		return;
	ts->stopped = false;
	slept = (ktime_get() - ts->stopped_ns) / TICK_NSEC;
	if (this_cpu()->cpu == TIMEKEEPING_CPU)
		jiffies = ts->stopped_jiffies + slept;
	dev->event_handler = tick_handle_periodic;
	dev->set_periodic(dev, TICK_NSEC);
	dev->state = CLOCK_EVT_STATE_PERIODIC;
	run_local_timers();
}
