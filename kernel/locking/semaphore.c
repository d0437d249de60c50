/*
 * semaphore.c — counting semaphores (kestrel/semaphore.h).
 *
 * The same shape as the mutex (mutex.c): a count instead of an owner, and
 * a FIFO of sleepers to which up() hands a unit directly.  A sleeper's
 * struct semaphore_waiter lives on its stack; up() takes it off the list,
 * marks it `up` and wakes the task, so the woken task knows it owns a unit
 * without looking at the count — nobody can steal it in between.
 *
 *	down():  lock; count > 0?  count--, done
 *	         else queue; loop { state = sleeping; unlock; schedule();
 *	                            lock; waiter.up? done }
 *	up():    lock; nobody waits?  count++
 *	         else first waiter: dequeue, up = true, wake it
 *
 * The sleeping state is set before the lock is dropped and up() wakes
 * under the lock: the argument of `DOC: wakeup-race` (kernel/sched/wait.c)
 * with sem->lock in the wait queue's role.  An interruptible sleeper that
 * gives up (a signal, from lab 9 on) must leave the list under the lock,
 * and if up() handed it a unit meanwhile, it keeps the unit.
 *
 * Locking: sem->lock with interrupts off, because up() may be called from
 * an interrupt handler; the runqueue lock nests inside it.
 */
#include <kestrel/errno.h>
#include <kestrel/sched.h>
#include <kestrel/semaphore.h>

struct semaphore_waiter {
	struct list_head list;	/* on sem->wait_list (sem->lock) */
	struct task *task;
	bool up;		/* a unit was handed to us (sem->lock) */
};

void sema_init(struct semaphore *sem, unsigned int val)
{
	spin_lock_init(&sem->lock);
	sem->count = val;
	list_init(&sem->wait_list);
}

/* Sleep in @state until up() hands us a unit; called with sem->lock
 * held (flags in *@flags), returns with it held.  0, or -EINTR. */
static int down_common(struct semaphore *sem, long state,
		       unsigned long *flags)
{
	struct semaphore_waiter waiter = { .task = current, .up = false };

	list_add_tail(&waiter.list, &sem->wait_list);
	for (;;) {
		if ((state & TASK_INTERRUPTIBLE) && signal_pending(current)) {
			list_del(&waiter.list);
			return -EINTR;
		}
		set_current_state(state);
		spin_unlock_irqrestore(&sem->lock, *flags);
		schedule();
		*flags = spin_lock_irqsave(&sem->lock);
		if (waiter.up)
			return 0;
	}
}

void down(struct semaphore *sem)
{
	unsigned long flags;

	might_sleep();
	flags = spin_lock_irqsave(&sem->lock);
	if (sem->count > 0)
		sem->count--;
	else
		down_common(sem, TASK_UNINTERRUPTIBLE, &flags);
	__set_current_state(TASK_RUNNING);
	spin_unlock_irqrestore(&sem->lock, flags);
}

int down_interruptible(struct semaphore *sem)
{
	unsigned long flags;
	int err = 0;

	might_sleep();
	flags = spin_lock_irqsave(&sem->lock);
	if (sem->count > 0)
		sem->count--;
	else
		err = down_common(sem, TASK_INTERRUPTIBLE, &flags);
	__set_current_state(TASK_RUNNING);
	spin_unlock_irqrestore(&sem->lock, flags);
	return err;
}

int down_trylock(struct semaphore *sem)
{
	unsigned long flags = spin_lock_irqsave(&sem->lock);
	int busy = sem->count == 0;

	if (!busy)
		sem->count--;
	spin_unlock_irqrestore(&sem->lock, flags);
	return busy;
}

void up(struct semaphore *sem)
{
	unsigned long flags = spin_lock_irqsave(&sem->lock);
	struct semaphore_waiter *w;

	if (list_empty(&sem->wait_list)) {
		sem->count++;
	} else {
		w = list_first_entry(&sem->wait_list, struct semaphore_waiter,
				     list);
		list_del(&w->list);
		w->up = true;
		wake_up_process(w->task);
	}
	spin_unlock_irqrestore(&sem->lock, flags);
}
