/*
 * mutex_ktest.c — in-kernel tests of mutexes (lab 5).  The mutex lives in
 * kernel/locking/; its tests live here because they share sched_ktest.h.
 *
 *	mutex_count    N threads each add 1 to a counter M times, under a
 *	               mutex, yielding in the middle of the read-modify-write:
 *	               without mutual exclusion updates are lost, with it the
 *	               count is exactly N × M (N and M from the nonce)
 *	mutex_owner    a held mutex: trylock fails, mutex_owner() names the
 *	               holder, an unlock by another task is refused (and
 *	               reported), a sleeping locker gets it when the holder
 *	               unlocks (hand-over), and waiters are served in the
 *	               order they came
 */
#include <kestrel/delay.h>
#include <kestrel/mutex.h>
#include <kestrel/string.h>
#include "sched_ktest.h"

/* --- mutex_count --------------------------------------------------------- */

#define COUNT_MAX_THREADS	6

static struct {
	struct mutex lock;
	volatile unsigned long counter;
	int rounds;
	volatile int holders;		/* threads in the critical section */
	volatile bool overlap;		/* two were inside at once */
	struct completion done;
} mc;

static int counter_fn(void *arg)
{
	unsigned long v;
	int i;

	(void)arg;
	for (i = 0; i < mc.rounds; i++) {
		mutex_lock(&mc.lock);
		if (++mc.holders != 1)
			mc.overlap = true;
		v = mc.counter;
		if (i % 5 == 0)
			yield();	/* invite a lost update */
		mc.counter = v + 1;
		mc.holders--;
		mutex_unlock(&mc.lock);
	}
	complete(&mc.done);
	return 0;
}

KTEST(mutex_count)
{
	int n = 3 + ktest_nonce() % (COUNT_MAX_THREADS - 2), i;
	struct task *t[COUNT_MAX_THREADS];

	memset(&mc, 0, sizeof(mc));
	mutex_init(&mc.lock);
	init_completion(&mc.done);
	mc.rounds = 500 + (ktest_nonce() >> 8) % 500;
	for (i = 0; i < n; i++) {
		t[i] = kt_create(ctx, counter_fn, NULL, "counter");
		if (!t[i])
			return;
	}
	kt_wake_all(t, n);
	if (!kt_wait(ctx, &mc.done, n, "counting threads"))
		return;
	if (mc.counter != (unsigned long)n * mc.rounds)
		ktest_fail(ctx, __FILE__, __LINE__,
			   "counter %lu, expected %d threads x %d = %d",
			   mc.counter, n, mc.rounds, n * mc.rounds);
	KT_EXPECT(ctx, !mc.overlap);
	KT_EXPECT(ctx, !mutex_is_locked(&mc.lock));
	for (i = 0; i < n; i++)
		kt_stop(t[i]);
}

/* --- mutex_owner --------------------------------------------------------- */

#define OWNER_WAITERS	3

static struct {
	struct mutex lock;
	volatile int order[OWNER_WAITERS];	/* who got the mutex, in turn */
	volatile int got;
	struct completion queued;		/* a waiter is about to lock */
	struct completion done;
} mo;

/* Unlock a mutex someone else holds: must be refused. */
static int thief_fn(void *unused)
{
	(void)unused;
	mutex_unlock(&mo.lock);
	complete(&mo.done);
	return 0;
}

static int owner_waiter_fn(void *arg)
{
	int me = (int)(long)arg;

	complete(&mo.queued);
	mutex_lock(&mo.lock);
	mo.order[mo.got++] = me;
	mutex_unlock(&mo.lock);
	complete(&mo.done);
	return 0;
}

static int owner_holder_fn(void *unused)
{
	struct task *w[OWNER_WAITERS];
	int i;

	(void)unused;
	mutex_lock(&mo.lock);
	/* Start the waiters one at a time: each must be asleep on the mutex
	 * before the next comes, so the order they queue in is known. */
	for (i = 0; i < OWNER_WAITERS; i++) {
		w[i] = kthread_run(owner_waiter_fn, (void *)(long)i, "waiter%d", i);
		if (IS_ERR(w[i]))
			break;
		wait_for_completion(&mo.queued);
		while (w[i]->state == TASK_RUNNING)
			msleep(1);
	}
	mutex_unlock(&mo.lock);
	complete(&mo.done);
	return i;
}

KTEST(mutex_owner)
{
	struct task *holder, *thief;
	int i;

	memset(&mo, 0, sizeof(mo));
	mutex_init(&mo.lock);
	init_completion(&mo.queued);
	init_completion(&mo.done);
	holder = kt_create(ctx, owner_holder_fn, NULL, "holder");
	if (!holder)
		return;
	thief = kt_create(ctx, thief_fn, NULL, "thief");
	if (!thief)
		return;

	/* A free mutex: trylock takes it, a second trylock fails. */
	KT_EXPECT(ctx, mutex_trylock(&mo.lock) == 1);
	KT_EXPECT(ctx, mutex_owner(&mo.lock) == current);
	KT_EXPECT(ctx, mutex_trylock(&mo.lock) == 0);
	/* Another task's unlock is refused: the mutex stays ours. */
	printk("# mutex_owner: a BUG report for the thief's unlock follows\n");
	wake_up_process(thief);
	if (!kt_wait(ctx, &mo.done, 1, "thief"))
		return;
	KT_EXPECT(ctx, mutex_owner(&mo.lock) == current);
	kt_stop(thief);
	mutex_unlock(&mo.lock);
	KT_EXPECT(ctx, !mutex_is_locked(&mo.lock));

	wake_up_process(holder);
	if (!kt_wait(ctx, &mo.done, OWNER_WAITERS + 1, "holder and waiters"))
		return;
	KT_EXPECT(ctx, kt_stop(holder) == OWNER_WAITERS);
	KT_EXPECT(ctx, mo.got == OWNER_WAITERS);
	for (i = 0; i < OWNER_WAITERS; i++)
		if (mo.order[i] != i)
			ktest_fail(ctx, __FILE__, __LINE__,
				   "waiter %d got the mutex in turn %d: not FIFO",
				   mo.order[i], i);
	KT_EXPECT(ctx, !mutex_is_locked(&mo.lock));
}
