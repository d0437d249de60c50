/*
 * kestrel/timer.h — kernel timers: "call this function at tick N".
 *
 * A timer is a struct timer_list embedded in the caller's object.  It is
 * set up once with timer_setup(), armed with add_timer()/mod_timer() for a
 * jiffies value, and runs once: at the first tick at or after its expiry
 * the callback runs in interrupt context (interrupts off, on the CPU that
 * armed it), then the timer is idle until armed again.  The callback may
 * re-arm its own timer (periodic work) or arm others.  Timers that expire
 * at the same tick run in the order they expire, and for equal expiry in
 * the order they were armed.
 *
 * Each CPU has its own list of pending timers (struct timer_base, per CPU),
 * sorted by expiry, protected by its lock with interrupts off: adding and
 * removing never waits for the tick, and the tick only looks at the head.
 *
 *	static void blink(struct timer_list *t)
 *	{
 *		struct led *led = container_of(t, struct led, timer);
 *		led_toggle(led);
 *		mod_timer(&led->timer, jiffies + HZ / 2);
 *	}
 *	timer_setup(&led->timer, blink, 0);
 *	mod_timer(&led->timer, jiffies + HZ / 2);
 *	…
 *	del_timer(&led->timer);
 *
 * Rules: a callback must not sleep; del_timer() does not wait for a
 * callback running on another CPU (Linux's del_timer_sync does; lab 11);
 * free the object only after del_timer() and after its callback can no
 * longer run.
 */
#ifndef KESTREL_TIMER_H
#define KESTREL_TIMER_H

#include <kestrel/jiffies.h>
#include <kestrel/list.h>
#include <kestrel/types.h>

struct timer_base;

/* Key: (B) the lock of ->base while pending; (O) the owner, while idle. */
struct timer_list {
	struct list_head entry;		/* B: on base->pending, by expiry */
	u64 expires;			/* B/O: jiffies at which it runs */
	void (*function)(struct timer_list *timer);	/* O */
	unsigned int flags;		/* O: none defined yet; pass 0 */
	struct timer_base *base;	/* B: its base if pending, else NULL */
};

/** timer_setup - prepare @timer to call @fn; it is idle afterwards. */
void timer_setup(struct timer_list *timer,
		 void (*fn)(struct timer_list *timer), unsigned int flags);

/**
 * add_timer - arm an idle @timer for timer->expires (jiffies), on this
 * CPU.  An expiry in the past runs at the next tick.  Arming a timer that
 * is already pending is a bug (warned; use mod_timer).  Context: any.
 */
void add_timer(struct timer_list *timer);

/**
 * mod_timer - (re)arm @timer for @expires (jiffies), pending or not.
 * Returns 1 when it was pending (and has been moved), 0 when it was idle.
 * Context: any, including its own callback.
 */
int mod_timer(struct timer_list *timer, u64 expires);

/**
 * del_timer - disarm @timer.  Returns 1 when it was pending (its callback
 * will not run for that arming), 0 when it was idle — or already running.
 * Context: any.
 */
int del_timer(struct timer_list *timer);

/** timer_pending - true while @timer is armed and has not run yet. */
bool timer_pending(const struct timer_list *timer);

/**
 * run_local_timers - run this CPU's timers whose expiry is ≤ jiffies, in
 * order.  Called by the tick (kernel/time/tick.c) in interrupt context.
 */
void run_local_timers(void);

/**
 * next_timer_expiry - the earliest expiry pending on this CPU, or
 * TIMER_NO_EXPIRY when none is: how long an idle CPU may sleep without
 * its tick.
 */
#define TIMER_NO_EXPIRY	(~(u64)0)
u64 next_timer_expiry(void);

/** timers_init_cpu - set up this CPU's timer base (time_init, and per AP). */
void timers_init_cpu(void);

#endif
