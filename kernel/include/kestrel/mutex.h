/*
 * kestrel/mutex.h — sleeping locks.
 *
 * A mutex protects data that is used for long stretches, or by code that
 * may sleep: a task that finds it taken goes to sleep instead of spinning,
 * and the CPU runs someone else.  Only tasks may take a mutex (never an
 * interrupt handler), and only the task that locked it may unlock it; a
 * mutex is not recursive.  The debugging checks catch the usual mistakes
 * and print a backtrace: unlocking a mutex one does not own, locking one
 * twice, locking with preemption or interrupts off (might_sleep()).
 *
 * Kestrel's mutex is FIFO and hands over: mutex_unlock() gives the mutex
 * directly to the longest waiter and wakes it, so a waiter is never
 * overtaken by a task that comes later.  (Linux's mutex lets a running
 * task take a just-released mutex first, and spins a while before
 * sleeping: faster, less fair, and much harder to read.)
 *
 * Locking legend for struct mutex:
 *	(W) wait_lock, a spinlock.  Lock order: W before the runqueue lock
 *	    (mutex_unlock wakes a waiter under W).
 *	(O) set by mutex_init, then read-only
 * Names are Linux's (include/linux/mutex.h); kernel/locking/mutex.c.
 */
#ifndef KESTREL_MUTEX_H
#define KESTREL_MUTEX_H

#include <kestrel/list.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>

struct task;

struct mutex {
	struct task *owner;		/* W: the holder, NULL when free */
	spinlock_t wait_lock;
	struct list_head wait_list;	/* W: struct mutex_waiter, FIFO */
	const char *name;		/* O: for reports */
};

/* One sleeping locker, on its own stack.  Key: (W). */
struct mutex_waiter {
	struct list_head list;		/* W: on mutex->wait_list */
	struct task *task;		/* W: who waits */
};

#define MUTEX_INITIALIZER(lockname) \
	{ NULL, SPINLOCK_INIT, LIST_HEAD_INIT((lockname).wait_list), #lockname }
#define DEFINE_MUTEX(lockname) \
	struct mutex lockname = MUTEX_INITIALIZER(lockname)

/** mutex_init - make @lock a free mutex, named for reports by the
 *  expression that names it ("&dev->lock"). */
#define mutex_init(lock)	__mutex_init((lock), #lock)
void __mutex_init(struct mutex *lock, const char *name);

/**
 * mutex_lock - take @lock, sleeping (uninterruptibly) while another task
 * holds it; waiters get it in the order they came.  Process context,
 * preemptible (may sleep).
 */
void mutex_lock(struct mutex *lock);

/**
 * mutex_unlock - release @lock, which the current task must hold; the
 * longest waiter, if any, gets it and is woken.  Never sleeps.
 */
void mutex_unlock(struct mutex *lock);

/** mutex_trylock - take @lock if it is free; 1 on success, 0 if held.
 *  Never sleeps (still process context only). */
int mutex_trylock(struct mutex *lock);

/** mutex_is_locked - true when someone holds @lock (a snapshot). */
bool mutex_is_locked(struct mutex *lock);

/** mutex_owner - the task holding @lock, or NULL (a snapshot). */
struct task *mutex_owner(struct mutex *lock);

#endif
