/*
 * kestrel/wait.h — wait queues: sleeping until something happens.
 *
 * A wait queue is a list of sleeping tasks waiting for one event: data
 * arriving, a lock coming free, a thread finishing.  Whoever makes the
 * event happen calls wake_up() on the queue; the sleepers wake and check
 * whether what they wait for is true now.  Almost all code uses the
 * wait_event() macros, which do that loop correctly:
 *
 *	static DECLARE_WAIT_QUEUE_HEAD(data_wait);
 *	static bool data_ready;
 *
 *	wait_event(data_wait, data_ready);	   // the consumer, may sleep
 *
 *	data_ready = true;			   // the producer, any context
 *	wake_up(&data_wait);
 *
 * The condition is an expression, evaluated again after every wake-up, so
 * a wake-up is a hint ("look again"), never a promise.  Correctness rests
 * on one order: a waiter joins the queue and sets its sleeping state
 * *before* it tests the condition; a waker makes the condition true
 * *before* it wakes the queue.  Then a waker either finds the waiter on
 * the queue, or the waiter finds the condition true.  kernel/sched/wait.c,
 * `DOC: wakeup-race`, spells the argument out.
 *
 * Struct wait_queue_entry is one waiter: usually on the waiter's stack,
 * made by the macros.  Its @func decides what "waking" means (default:
 * wake_up_state on the task, and take the entry off the queue).
 * Exclusive waiters (WQ_FLAG_EXCLUSIVE, at the tail) are woken one at a
 * time — for resources only one waiter can take — while wake_up_all()
 * wakes everyone.
 *
 * Locking legend:
 *	(Q) wait_queue_head->lock, a spinlock taken with interrupts off, so
 *	    wake_up() works from interrupt handlers.  Lock order: Q before
 *	    the runqueue lock (a wake-up takes it inside Q), never after.
 *	(O) the entry's owner, while it is not on a queue
 *
 * Signals come in lab 9: until then nothing interrupts an interruptible
 * wait (signal_pending() is always false), and wait_event_interruptible()
 * behaves like wait_event().  Callers must handle -ERESTARTSYS all the
 * same, so that they are right once signals exist.
 *
 * Names and semantics are Linux's (include/linux/wait.h); the code is
 * Kestrel's own.
 */
#ifndef KESTREL_WAIT_H
#define KESTREL_WAIT_H

#include <kestrel/errno.h>
#include <kestrel/list.h>
#include <kestrel/sched.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>

#define WQ_FLAG_EXCLUSIVE	0x01	/* wake one such waiter at a time */

struct wait_queue_entry;

/* What waking one entry does; returns 1 if it woke a task, 0 if not. */
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry,
				 unsigned int mode, int flags, void *key);

/* One waiter.  Key: (Q) while queued, else (O). */
struct wait_queue_entry {
	unsigned int flags;		/* O: WQ_FLAG_EXCLUSIVE or 0 */
	void *private;			/* O: the waiting task */
	wait_queue_func_t func;		/* O: what a wake-up does */
	struct list_head entry;		/* Q: on wait_queue_head->head */
};

/* A queue of waiters.  Key: (Q). */
struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;		/* Q: exclusive entries last */
};

#define WAIT_QUEUE_HEAD_INIT(name) \
	{ SPINLOCK_INIT, LIST_HEAD_INIT((name).head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = WAIT_QUEUE_HEAD_INIT(name)

/** init_waitqueue_head - make @wq an empty queue. */
void init_waitqueue_head(struct wait_queue_head *wq);

/** init_wait_entry - @e becomes a waiter for the current task, with
 *  @flags (0 or WQ_FLAG_EXCLUSIVE) and autoremove_wake_function. */
void init_wait_entry(struct wait_queue_entry *e, unsigned int flags);

/**
 * prepare_to_wait - the first half of a sleep: put @e on @wq unless it is
 * already there (exclusive entries at the tail, others at the head) and
 * set the current task's state to @state (TASK_INTERRUPTIBLE or
 * TASK_UNINTERRUPTIBLE), both under @wq's lock.  The caller then tests its
 * condition and calls schedule() if it is still false.  Process context.
 */
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *e,
		     int state);

/**
 * finish_wait - the end of a sleep: the current task is TASK_RUNNING again
 * and @e is off @wq (a wake-up may already have removed it).
 */
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *e);

/** add_wait_queue / add_wait_queue_exclusive / remove_wait_queue - put
 *  @e on @wq (at the head / tail) or take it off, under @wq's lock. */
void add_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *e);
void add_wait_queue_exclusive(struct wait_queue_head *wq,
			      struct wait_queue_entry *e);
void remove_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *e);

/** default_wake_function - wake the entry's task if its state is in @mode. */
int default_wake_function(struct wait_queue_entry *e, unsigned int mode,
			  int flags, void *key);

/** autoremove_wake_function - default_wake_function, then take @e off
 *  its queue if that woke the task (so it is not woken twice). */
int autoremove_wake_function(struct wait_queue_entry *e, unsigned int mode,
			     int flags, void *key);

/**
 * __wake_up - wake @wq's waiters whose state is in @mode (TASK_NORMAL for
 * both sleeping states): every non-exclusive waiter, and up to
 * @nr_exclusive exclusive ones (0: all).  Takes @wq's lock with interrupts
 * off.  Context: any, interrupt handlers included.
 * __wake_up_locked - the same, for a caller already holding @wq's lock.
 */
void __wake_up(struct wait_queue_head *wq, unsigned int mode, int nr_exclusive);
void __wake_up_locked(struct wait_queue_head *wq, unsigned int mode,
		      int nr_exclusive);

/** wake_up - wake the non-exclusive waiters and one exclusive waiter. */
#define wake_up(wq)		__wake_up(wq, TASK_NORMAL, 1)
/** wake_up_all - wake every waiter. */
#define wake_up_all(wq)		__wake_up(wq, TASK_NORMAL, 0)
/** wake_up_interruptible - wake only TASK_INTERRUPTIBLE waiters. */
#define wake_up_interruptible(wq)	__wake_up(wq, TASK_INTERRUPTIBLE, 1)

/** waitqueue_active - true when @wq has waiters (a snapshot, unlocked:
 *  only meaningful with the ordering rules of DOC: wakeup-race). */
static inline bool waitqueue_active(struct wait_queue_head *wq)
{
	return !list_empty(&wq->head);
}

/*
 * The loop every wait_event variant shares.  @timeout is in jiffies
 * (MAX_SCHEDULE_TIMEOUT: none).  Evaluates to the jiffies left (at least
 * 1) when @condition became true, 0 when the time ran out first, or
 * -ERESTARTSYS when a signal interrupted a TASK_INTERRUPTIBLE wait.
 */
#define ___wait_event(wq, condition, state, exclusive, timeout)		\
({									\
	long __ret = (timeout);						\
	struct wait_queue_entry __we;					\
									\
	init_wait_entry(&__we, (exclusive) ? WQ_FLAG_EXCLUSIVE : 0);	\
	for (;;) {							\
		prepare_to_wait(&(wq), &__we, (state));			\
		if (condition) {					\
			if (!__ret)					\
				__ret = 1;				\
			break;						\
		}							\
		if (!__ret)						\
			break;						\
		if (((state) & TASK_INTERRUPTIBLE) &&			\
		    signal_pending(current)) {				\
			__ret = -ERESTARTSYS;				\
			break;						\
		}							\
		__ret = schedule_timeout(__ret);			\
	}								\
	finish_wait(&(wq), &__we);					\
	__ret;								\
})

/**
 * wait_event - sleep (TASK_UNINTERRUPTIBLE) until @condition is true.
 * @wq is the wait_queue_head (not a pointer) the waker will wake.
 * @condition is evaluated again after every wake-up.  Process context.
 */
#define wait_event(wq, condition)					\
	do {								\
		might_sleep();						\
		if (condition)						\
			break;						\
		(void)___wait_event(wq, condition, TASK_UNINTERRUPTIBLE, \
				    0, MAX_SCHEDULE_TIMEOUT);		\
	} while (0)

/**
 * wait_event_timeout - wait_event, giving up after @timeout jiffies.
 * Returns 0 if @condition was still false when the time ran out, else the
 * jiffies that were left (at least 1).
 */
#define wait_event_timeout(wq, condition, timeout)			\
({									\
	long __r = (timeout);						\
									\
	might_sleep();							\
	if (condition)							\
		__r = __r ? __r : 1;					\
	else								\
		__r = ___wait_event(wq, condition, TASK_UNINTERRUPTIBLE, \
				    0, __r);				\
	__r;								\
})

/**
 * wait_event_interruptible - wait_event in TASK_INTERRUPTIBLE: returns 0
 * when @condition is true, -ERESTARTSYS when a signal came first (never
 * before lab 9; see the head of this file).
 */
#define wait_event_interruptible(wq, condition)			\
({									\
	long __r = 0;							\
									\
	might_sleep();							\
	if (!(condition))						\
		__r = ___wait_event(wq, condition, TASK_INTERRUPTIBLE,	\
				    0, MAX_SCHEDULE_TIMEOUT);		\
	(int)(__r == -ERESTARTSYS ? -ERESTARTSYS : 0);			\
})

/**
 * wait_event_interruptible_timeout - both: the jiffies left (≥ 1) when
 * @condition came true, 0 on timeout, -ERESTARTSYS on a signal.
 */
#define wait_event_interruptible_timeout(wq, condition, timeout)	\
({									\
	long __r = (timeout);						\
									\
	might_sleep();							\
	if (condition)							\
		__r = __r ? __r : 1;					\
	else								\
		__r = ___wait_event(wq, condition, TASK_INTERRUPTIBLE,	\
				    0, __r);				\
	__r;								\
})

#endif
