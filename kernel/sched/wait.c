/*
 * wait.c — how a task sleeps until something happens: wait queues, and
 * the two things built directly on them, completions and timed sleeps.
 *
 * A wait queue (kestrel/wait.h) is a spinlock and a list of waiters.  A
 * task that must wait for an event puts an entry for itself on the queue
 * of that event and sleeps; whoever causes the event walks the queue and
 * wakes the entries.  Completions, semaphores, msleep's timers, later
 * pipes, sockets and disks are all built on this file.
 *
 * A sleep has three steps, which the wait_event() macros perform:
 *
 *	prepare_to_wait(wq, &e, TASK_UNINTERRUPTIBLE);  queued, asleep-to-be
 *	if (!condition)
 *		schedule();                             off the runqueue
 *	finish_wait(wq, &e);                            running, off the queue
 *
 * and a wake-up is __wake_up(): for each entry, its wake function
 * (autoremove_wake_function: try_to_wake_up on the task, then take the
 * entry off the queue), stopping after the requested number of exclusive
 * waiters.
 *
 * Locking: wq->lock with interrupts off (wake-ups come from interrupt
 * handlers).  The runqueue lock nests inside it (a wake-up takes it).
 * Completions and timed sleeps have their own notes further down.
 */
#include <kestrel/completion.h>
#include <kestrel/delay.h>
#include <kestrel/irqflags.h>
#include <kestrel/jiffies.h>
#include <kestrel/panic.h>
#include <kestrel/sched.h>
#include <kestrel/timer.h>
#include <kestrel/wait.h>

void init_waitqueue_head(struct wait_queue_head *wq)
{
	spin_lock_init(&wq->lock);
	list_init(&wq->head);
}

void init_wait_entry(struct wait_queue_entry *e, unsigned int flags)
{
	e->flags = flags;
	e->private = current;
	e->func = autoremove_wake_function;
	list_init(&e->entry);
}

void add_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);

	e->flags &= ~WQ_FLAG_EXCLUSIVE;
	list_add(&e->entry, &wq->head);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void add_wait_queue_exclusive(struct wait_queue_head *wq,
			      struct wait_queue_entry *e)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);

	e->flags |= WQ_FLAG_EXCLUSIVE;
	list_add_tail(&e->entry, &wq->head);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void remove_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);

	list_del(&e->entry);
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* DOC: wakeup-race */
/*
 * Why a sleeper never misses its wake-up.
 *
 * The danger is the "lost wake-up": the waiter tests its condition and
 * finds it false; before it is asleep, the waker makes the condition true
 * and wakes the queue — on which the waiter is not yet, or while the
 * waiter is still TASK_RUNNING, so the wake-up does nothing; then the
 * waiter goes to sleep, and nobody will ever wake it.
 *
 * The cure is the order of the waiter's steps:
 *
 *   W1  put the entry on the queue and set the sleeping state (here,
 *       under wq->lock)
 *   W2  test the condition; if true, stop (finish_wait)
 *   W3  schedule(): leave the runqueue if the state is still sleeping
 *
 * and of the waker's:
 *
 *   K1  make the condition true
 *   K2  wake the queue: under wq->lock, for each entry, under the
 *       runqueue lock, set the task TASK_RUNNING and put it back on the
 *       runqueue if it had left it
 *
 * wq->lock orders W1 and K2: one of them takes the lock first.
 *  - K2 first: K1 came before K2, and W1's lock acquisition comes after
 *    K2's release, so the waiter's W2 sees the condition true (the lock's
 *    release/acquire makes K1 visible).  It does not sleep.
 *  - W1 first: K2 finds the entry on the queue and wakes the task.  If
 *    the waiter is still before W3, its state becomes TASK_RUNNING, and
 *    __schedule(), which reads the state under the runqueue lock, leaves
 *    it on the runqueue; schedule() returns, the loop tests again and
 *    finds the condition true.  If it is past W3, it is off the runqueue,
 *    and the waker puts it back.  Either way it runs again.
 * The runqueue lock plays the same role between K2 and W3 that wq->lock
 * plays between K2 and W1.
 *
 * What breaks it: testing the condition *before* W1 (a wake-up between
 * the test and W1 is lost), or setting the state with a plain store and
 * no barrier when the condition is tested without the queue's lock (the
 * CPU may read the condition before the state store is visible:
 * set_current_state() has a full barrier for that).  A preemption between
 * W1 and W3 is harmless: a preempted task stays on the runqueue whatever
 * its state (__schedule's @preempt), so it comes back and goes on to W2.
 */
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *e,
		     int state)
{
#if SOL >= 5
	unsigned long flags = spin_lock_irqsave(&wq->lock);

	if (list_empty(&e->entry)) {
		if (e->flags & WQ_FLAG_EXCLUSIVE)
			list_add_tail(&e->entry, &wq->head);
		else
			list_add(&e->entry, &wq->head);
	}
	set_current_state(state);
	spin_unlock_irqrestore(&wq->lock, flags);
#else
	/*
	 * LAB 5: step W1 of DOC: wakeup-race above.  Under @wq's lock
	 * (spin_lock_irqsave: wake-ups come from interrupt handlers), put
	 * @e on the queue unless it is already there (list_empty(&e->entry)
	 * says it is not) — exclusive entries (WQ_FLAG_EXCLUSIVE) at the
	 * tail, others at the head — and set the current task's state to
	 * @state with set_current_state().
	 */
	(void)wq;
	(void)e;
	(void)state;
#endif
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
#if SOL >= 5
	unsigned long flags;

	__set_current_state(TASK_RUNNING);
	flags = spin_lock_irqsave(&wq->lock);
	if (!list_empty(&e->entry))
		list_del(&e->entry);
	spin_unlock_irqrestore(&wq->lock, flags);
#else
	/*
	 * LAB 5: the current task is running again: set its state back to
	 * TASK_RUNNING (it may still be sleeping-to-be, if the condition was
	 * true at once), and take @e off @wq under the lock if it is still
	 * there — a wake-up through autoremove_wake_function already took it
	 * off, a timeout did not.  @e lives on the caller's stack: it must
	 * not stay on the queue after this returns.
	 */
	(void)wq;
	(void)e;
	__set_current_state(TASK_RUNNING);
#endif
}

int default_wake_function(struct wait_queue_entry *e, unsigned int mode,
			  int flags, void *key)
{
	(void)flags;
	(void)key;
	return wake_up_state(e->private, mode);
}

int autoremove_wake_function(struct wait_queue_entry *e, unsigned int mode,
			     int flags, void *key)
{
	int woken = default_wake_function(e, mode, flags, key);

	if (woken)
		list_del(&e->entry);
	return woken;
}

/* Wake @wq's entries: all non-exclusive, @nr_exclusive exclusive (0: all).
 * Caller holds wq->lock. */
static void __wake_up_common(struct wait_queue_head *wq, unsigned int mode,
			     int nr_exclusive)
{
#if SOL >= 5
	struct wait_queue_entry *curr, *next;

	list_for_each_entry_safe(curr, next, &wq->head, entry) {
		unsigned int flags = curr->flags; /* func may free curr */
		int woken = curr->func(curr, mode, 0, NULL);

		if (woken && (flags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive)
			break;
	}
#else
	/*
	 * LAB 5: step K2 of DOC: wakeup-race.  Walk @wq's entries (with
	 * list_for_each_entry_safe: a wake function may take its entry off
	 * the list) and call each one's func(entry, mode, 0, NULL).  Stop
	 * after the @nr_exclusive-th exclusive entry that was actually woken
	 * (func returned nonzero); @nr_exclusive 0 means never stop.  Read
	 * an entry's flags before calling func: once woken, its owner may
	 * return and the entry on its stack be gone.
	 */
	(void)wq;
	(void)mode;
	(void)nr_exclusive;
#endif
}

void __wake_up(struct wait_queue_head *wq, unsigned int mode, int nr_exclusive)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);

	__wake_up_common(wq, mode, nr_exclusive);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void __wake_up_locked(struct wait_queue_head *wq, unsigned int mode,
		      int nr_exclusive)
{
	assert_spin_locked(&wq->lock);
	__wake_up_common(wq, mode, nr_exclusive);
}

/* ------------------------------------------------------------------------ */

/*
 * Completions (kestrel/completion.h): waiting for "done".
 *
 * A completion is a count of events (x->done) plus a wait queue, and the
 * whole of it is one idea: waiting means "consume an event, sleeping until
 * there is one", which is exactly a wait_event() whose condition consumes:
 *
 *	wait_event(x->wait, try_wait_for_completion(x))
 *
 * try_wait_for_completion() tests and takes an event under the queue's
 * lock, so two waiters can never take the same event, and complete()
 * adds one under the same lock before it wakes.  The ordering argument of
 * `DOC: wakeup-race` above then says no event is ever slept through.
 *
 * Waiters are exclusive (the wait queue's WQ_FLAG_EXCLUSIVE): complete()
 * wakes exactly one of them, the one that will find the event;
 * complete_all() wakes them all.  complete_all() sets done to
 * COMPLETION_ALL, which waits never decrement: every later wait passes
 * at once.  That is what "this thread has exited" needs (kthread.c).
 *
 * Locking: x->wait.lock, with interrupts off (complete() may run in an
 * interrupt handler).  A waiter sleeps without it.
 */

void init_completion(struct completion *x)
{
	x->done = 0;
	init_waitqueue_head(&x->wait);
}

void reinit_completion(struct completion *x)
{
	x->done = 0;
}

void complete(struct completion *x)
{
	unsigned long flags = spin_lock_irqsave(&x->wait.lock);

	if (x->done != COMPLETION_ALL)
		x->done++;
	__wake_up_locked(&x->wait, TASK_NORMAL, 1);
	spin_unlock_irqrestore(&x->wait.lock, flags);
}

void complete_all(struct completion *x)
{
	unsigned long flags = spin_lock_irqsave(&x->wait.lock);

	x->done = COMPLETION_ALL;
	__wake_up_locked(&x->wait, TASK_NORMAL, 0);
	spin_unlock_irqrestore(&x->wait.lock, flags);
}

bool try_wait_for_completion(struct completion *x)
{
	unsigned long flags = spin_lock_irqsave(&x->wait.lock);
	bool taken = x->done != 0;

	if (taken && x->done != COMPLETION_ALL)
		x->done--;
	spin_unlock_irqrestore(&x->wait.lock, flags);
	return taken;
}

bool completion_done(struct completion *x)
{
	return __atomic_load_n(&x->done, __ATOMIC_ACQUIRE) != 0;
}

void wait_for_completion(struct completion *x)
{
	might_sleep();
	if (try_wait_for_completion(x))
		return;
	(void)___wait_event(x->wait, try_wait_for_completion(x),
			    TASK_UNINTERRUPTIBLE, 1, MAX_SCHEDULE_TIMEOUT);
}

unsigned long wait_for_completion_timeout(struct completion *x,
					  unsigned long timeout)
{
	long left;

	might_sleep();
	if (try_wait_for_completion(x))
		return timeout ? timeout : 1;
	if (timeout > (unsigned long)MAX_SCHEDULE_TIMEOUT)
		timeout = MAX_SCHEDULE_TIMEOUT;
	left = ___wait_event(x->wait, try_wait_for_completion(x),
			     TASK_UNINTERRUPTIBLE, 1, (long)timeout);
	return left > 0 ? (unsigned long)left : 0;
}

/* ------------------------------------------------------------------------ */

/*
 * Timed sleeps: schedule_timeout() and msleep() (kestrel/delay.h).
 *
 * schedule_timeout(n) is schedule() with an alarm clock.  The caller has
 * set a sleeping state (set_current_state), exactly as for schedule(); we
 * arm a kernel timer (kestrel/timer.h, lab 4) for n jiffies from now whose
 * callback wakes this task, and schedule().  Whichever comes first — a
 * wake-up from the event the task waits for, or the timer — makes it
 * runnable again.  Then the timer is disarmed (harmless if it already
 * ran) and the jiffies left are returned: 0 means the time ran out.
 *
 *	set_current_state(TASK_UNINTERRUPTIBLE);
 *	left = schedule_timeout(HZ / 10);	// ~100 ms, or until woken
 *
 * The timer lives on the sleeping task's stack (struct process_timer):
 * that is safe because the task cannot return from schedule_timeout()
 * before del_timer() has taken the timer off the timer list, and a timer
 * callback runs with interrupts off on the CPU that armed it — this one,
 * which is busy running us, so the callback is not running concurrently.
 * (Lab 11 needs del_timer_sync() here: on SMP the callback may be running
 * on another CPU.)
 *
 * Resolution.  Timers fire on ticks, 10 ms apart at HZ = 100, and a sleep
 * starts somewhere between two ticks, so "n jiffies from now" is between
 * n-1 and n tick periods of real time.  msleep() adds one jiffy to sleep
 * *at least* as long as asked: msleep(100) lasts 100–110 ms.
 *
 * In the idle task (start-up code and ktests run there) nothing can sleep:
 * schedule() returns after the next interrupt instead (idle_schedule, core.c),
 * so the loops below poll the clock there — still correct, just not
 * sleeping.
 */

struct process_timer {
	struct timer_list timer;
	struct task *task;
};

static void process_timeout(struct timer_list *t)
{
	struct process_timer *pt = container_of(t, struct process_timer, timer);

	wake_up_process(pt->task);
}

long schedule_timeout(long timeout)
{
	struct process_timer pt;
	u64 expire;
	s64 left;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (WARN_ON_ONCE(timeout < 0)) {
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	expire = jiffies + (u64)timeout;
	pt.task = current;
	timer_setup(&pt.timer, process_timeout, 0);
	mod_timer(&pt.timer, expire);
	schedule();
	del_timer(&pt.timer);
	left = (s64)(expire - jiffies);
	return left < 0 ? 0 : (long)left;
}

long schedule_timeout_uninterruptible(long timeout)
{
	__set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}

long schedule_timeout_interruptible(long timeout)
{
	__set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}

void msleep(unsigned int msecs)
{
	long timeout = (long)msecs_to_jiffies(msecs) + 1;

	might_sleep();
	while (timeout)
		timeout = schedule_timeout_uninterruptible(timeout);
}

unsigned long msleep_interruptible(unsigned int msecs)
{
	long timeout = (long)msecs_to_jiffies(msecs) + 1;

	might_sleep();
	while (timeout && !signal_pending(current))
		timeout = schedule_timeout_interruptible(timeout);
	return jiffies_to_msecs((u64)timeout);
}
