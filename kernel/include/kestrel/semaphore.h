/*
 * kestrel/semaphore.h — counting semaphores.
 *
 * A semaphore holds a count of available units.  down() takes one,
 * sleeping while there is none; up() gives one back, handing it straight
 * to the longest sleeper if there is one.  Initialized to N it lets at
 * most N tasks into a section at once; initialized to 0 it is a signal
 * one side raises (up, any context) and the other waits for (down).
 * Unlike a mutex, a semaphore has no owner: any task may up() it.
 * Prefer a mutex for mutual exclusion and a completion for "done".
 *
 * Locking legend: (L) sem->lock, a spinlock with interrupts off (up() may
 * run in an interrupt handler).  Lock order: L before the runqueue lock.
 * Names are Linux's (include/linux/semaphore.h), including down_trylock's
 * inverted result; kernel/locking/semaphore.c.
 */
#ifndef KESTREL_SEMAPHORE_H
#define KESTREL_SEMAPHORE_H

#include <kestrel/list.h>
#include <kestrel/spinlock.h>

struct semaphore {
	spinlock_t lock;
	unsigned int count;		/* L: units available */
	struct list_head wait_list;	/* L: sleepers, FIFO */
};

#define __SEMAPHORE_INITIALIZER(name, n) \
	{ SPINLOCK_INIT, (n), LIST_HEAD_INIT((name).wait_list) }
#define DEFINE_SEMAPHORE(name, n) \
	struct semaphore name = __SEMAPHORE_INITIALIZER(name, n)

/** sema_init - @sem starts with @val units and no sleepers. */
void sema_init(struct semaphore *sem, unsigned int val);

/** down - take a unit, sleeping uninterruptibly until one is there.
 *  Process context. */
void down(struct semaphore *sem);

/** down_interruptible - the same, but a signal ends the sleep with
 *  -EINTR (never before lab 9).  0 when a unit was taken. */
int down_interruptible(struct semaphore *sem);

/** down_trylock - take a unit if one is there without sleeping.
 *  Returns 0 on success and 1 if none was available (Linux's convention,
 *  the opposite of mutex_trylock).  Context: any. */
int down_trylock(struct semaphore *sem);

/** up - give a unit back: to the longest sleeper if any (woken), else to
 *  the count.  Context: any. */
void up(struct semaphore *sem);

#endif
