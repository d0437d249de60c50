/*
 * kestrel/completion.h — "this has happened": wait for a one-off event.
 *
 * A completion is a counter of events and a wait queue.  complete() adds
 * an event and wakes one waiter; wait_for_completion() sleeps until an
 * event is there and consumes it.  complete_all() makes every present
 * and future wait succeed at once (until reinit_completion()): the right
 * call for "this thread has exited" or "the device is ready", where any
 * number of tasks may wait.
 *
 *	static DECLARE_COMPLETION(setup_done);
 *
 *	wait_for_completion(&setup_done);	// one thread
 *	complete(&setup_done);		// another, or an interrupt handler
 *
 * Unlike a bare flag plus wait_event, the event is never lost: complete()
 * before wait_for_completion() is fine, the count remembers it.
 *
 * Locking legend: (Q) the lock of the embedded wait queue, interrupts off.
 * complete() and complete_all() work in any context; the waits sleep.
 * Names and semantics are Linux's (include/linux/completion.h); the code
 * is in kernel/sched/wait.c.
 */
#ifndef KESTREL_COMPLETION_H
#define KESTREL_COMPLETION_H

#include <kestrel/wait.h>

#define COMPLETION_ALL	(~0U)	/* done after complete_all(): never used up */

struct completion {
	unsigned int done;		/* Q: events not yet consumed */
	struct wait_queue_head wait;	/* its waiters, exclusive */
};

#define COMPLETION_INITIALIZER(name) \
	{ 0, WAIT_QUEUE_HEAD_INIT((name).wait) }
#define DECLARE_COMPLETION(name) \
	struct completion name = COMPLETION_INITIALIZER(name)

/** init_completion - @x has no events and no waiters. */
void init_completion(struct completion *x);

/** reinit_completion - forget past events (no waiter may be sleeping). */
void reinit_completion(struct completion *x);

/** complete - one event: wakes one waiter, or lets the next wait pass.
 *  Context: any. */
void complete(struct completion *x);

/** complete_all - every current and future wait on @x passes (until
 *  reinit_completion).  Context: any. */
void complete_all(struct completion *x);

/** wait_for_completion - sleep (uninterruptibly) until an event, and
 *  consume it.  Process context. */
void wait_for_completion(struct completion *x);

/**
 * wait_for_completion_timeout - the same, for at most @timeout jiffies.
 * Returns 0 on timeout (no event consumed), else the jiffies left (≥ 1).
 */
unsigned long wait_for_completion_timeout(struct completion *x,
					  unsigned long timeout);

/** try_wait_for_completion - consume an event if there is one, without
 *  sleeping; true if one was consumed.  Context: any. */
bool try_wait_for_completion(struct completion *x);

/** completion_done - true when an event is waiting to be consumed. */
bool completion_done(struct completion *x);

#endif
