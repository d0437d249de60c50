/*
 * timer.c — kernel timers (kestrel/timer.h): "call this function at
 * jiffy N", run from the tick.
 *
 * Each CPU has a struct timer_base: a list of its pending timers sorted by
 * expiry, and a lock.  Arming inserts in order (after the timers that
 * expire at the same jiffy, so equal timers run first-armed first);
 * the tick looks only at the head:
 *
 *	base->pending:  [expires 105] → [105] → [110] → [250] → …
 *	                 ↑ run_local_timers() at jiffies ≥ 105 takes these
 *
 * Insertion is O(n) — fine for the dozens of timers a teaching kernel has.
 * (Linux uses a timer wheel: O(1) insertion, and expiry in batches of
 * buckets, at the price of rounding long timeouts.)
 *
 * A timer is pending while timer->base points to a base; the pointer and
 * the list link change only under that base's lock.  Callbacks run with
 * the lock *released*, so that they may re-arm or delete timers — their
 * own included — on the same base.  del_timer() of a timer whose callback
 * is running finds it idle and returns 0.
 *
 * Locking: base->lock, a spinlock taken with interrupts off (the tick
 * takes it in interrupt context).  Each CPU arms timers on its own base;
 * a timer pending on another CPU's base is removed under that base's lock.
 */
#include <kestrel/jiffies.h>
#include <kestrel/panic.h>
#include <kestrel/percpu.h>
#include <kestrel/spinlock.h>
#include <kestrel/timer.h>

struct timer_base {
	spinlock_t lock;
	struct list_head pending;	/* sorted by ->expires */
	struct timer_list *running;	/* whose callback runs now, or NULL */
};

static struct timer_base timer_bases[NR_CPUS];

void timers_init_cpu(void)
{
	struct timer_base *base = &timer_bases[this_cpu()->cpu];

	spin_lock_init(&base->lock);
	list_init(&base->pending);
	base->running = NULL;
	this_cpu()->timer_base = base;
}

void timer_setup(struct timer_list *timer,
		 void (*fn)(struct timer_list *timer), unsigned int flags)
{
	list_init(&timer->entry);
	timer->expires = 0;
	timer->function = fn;
	timer->flags = flags;
	timer->base = NULL;
}

bool timer_pending(const struct timer_list *timer)
{
	return __atomic_load_n(&timer->base, __ATOMIC_ACQUIRE) != NULL;
}

/* Insert @timer in @base's sorted list, after its equals.  Lock held. */
static void enqueue_timer(struct timer_base *base, struct timer_list *timer)
{
	struct list_head *pos = base->pending.prev;

	/* Walk back from the tail: new timers usually expire last. */
	while (pos != &base->pending &&
	       time_after(list_entry(pos, struct timer_list, entry)->expires,
			  timer->expires))
		pos = pos->prev;
	list_add(&timer->entry, pos);
	timer->base = base;
}

/* Take @timer off its base if it is pending there; 1 if it was. */
static int detach_timer(struct timer_list *timer)
{
	struct timer_base *base;
	unsigned long flags;

	for (;;) {
		base = __atomic_load_n(&timer->base, __ATOMIC_ACQUIRE);
		if (!base)
			return 0;
		flags = spin_lock_irqsave(&base->lock);
		if (timer->base == base)	/* still there: ours now */
			break;
		spin_unlock_irqrestore(&base->lock, flags);
	}
	list_del(&timer->entry);
	timer->base = NULL;
	spin_unlock_irqrestore(&base->lock, flags);
	return 1;
}

void add_timer(struct timer_list *timer)
{
	struct timer_base *base = this_cpu()->timer_base;
	unsigned long flags;

	if (WARN_ON(!base || !timer->function) || WARN_ON(timer_pending(timer)))
		return;
	flags = spin_lock_irqsave(&base->lock);
	enqueue_timer(base, timer);
	spin_unlock_irqrestore(&base->lock, flags);
}

int mod_timer(struct timer_list *timer, u64 expires)
{
	int was_pending = detach_timer(timer);

	timer->expires = expires;
	add_timer(timer);
	return was_pending;
}

int del_timer(struct timer_list *timer)
{
	return detach_timer(timer);
}

u64 next_timer_expiry(void)
{
	struct timer_base *base = this_cpu()->timer_base;
	u64 next = TIMER_NO_EXPIRY;
	unsigned long flags;

	if (!base)
		return next;
	flags = spin_lock_irqsave(&base->lock);
	if (!list_empty(&base->pending))
		next = list_first_entry(&base->pending, struct timer_list,
					entry)->expires;
	spin_unlock_irqrestore(&base->lock, flags);
	return next;
}

/**
 * run_local_timers - see kestrel/timer.h.  Runs in the tick, interrupts
 * off.  The head comment explains the order and why the lock is dropped
 * around each callback.
 */
void run_local_timers(void)
{
#if SOL >= 4
	struct timer_base *base = this_cpu()->timer_base;
	struct timer_list *timer;
	unsigned long flags;
	u64 now = jiffies;

	if (!base)
		return;
	flags = spin_lock_irqsave(&base->lock);
	while (!list_empty(&base->pending)) {
		timer = list_first_entry(&base->pending, struct timer_list,
					 entry);
		if (time_after(timer->expires, now))
			break;
		list_del(&timer->entry);
		timer->base = NULL;
		base->running = timer;
		spin_unlock_irqrestore(&base->lock, flags);
		timer->function(timer);	/* may re-arm: the lock is free */
		flags = spin_lock_irqsave(&base->lock);
		base->running = NULL;
	}
	spin_unlock_irqrestore(&base->lock, flags);
#else
	/*
	 * LAB 4: run this CPU's expired timers.  Take this_cpu()->timer_base
	 * (NULL: nothing to do), lock it (spin_lock_irqsave), and while the
	 * first pending timer (list_first_entry) has expires at or before
	 * jiffies (time_after), take it off the list (list_del), mark
	 * it idle (timer->base = NULL), and call timer->function(timer) —
	 * with the lock *released*, because the callback may call mod_timer
	 * on this very base.  Read jiffies once at the start.  Timers expire
	 * in list order; that is what makes them run in expiry order.
	 */
#endif
}
