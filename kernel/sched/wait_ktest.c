/*
 * wait_ktest.c — in-kernel tests of sleeping and waking (lab 5).
 *
 *	wait_pingpong       two threads hand a token back and forth 10 000
 *	                    times through one wait queue: no wake-up is lost
 *	                    (a lost one hangs the pair and fails the test)
 *	wait_event_timeout  a condition that never comes true times out after
 *	                    the time asked, returning 0; one made true by a
 *	                    timer returns the jiffies left
 *	wait_completion     complete() before the wait is remembered;
 *	                    complete_all() releases every waiter; a timeout
 *	                    consumes nothing
 *	wait_semaphore      a semaphore of K units lets at most K threads in
 *	                    at once, and K do get in
 *	wait_msleep         (manual) msleep(100) lasts 100–120 ms by ktime:
 *	                    never less than 100, and the shortest of five at
 *	                    most 120 (a busy host may stretch the others)
 */
#include <kestrel/delay.h>
#include <kestrel/semaphore.h>
#include <kestrel/string.h>
#include <kestrel/timer.h>
#include <kestrel/wait.h>
#include "sched_ktest.h"

/* --- wait_pingpong ------------------------------------------------------- */

#define PINGPONG_ROUNDS	10000

static struct {
	struct wait_queue_head wq;
	volatile int turn;		/* whose move: 0 or 1 */
	volatile int moves[2];
	struct completion done;
} pp;

static int pingpong_fn(void *arg)
{
	int me = (int)(long)arg, i;

	for (i = 0; i < PINGPONG_ROUNDS; i++) {
		wait_event(pp.wq, pp.turn == me);
		pp.moves[me]++;
		pp.turn = !me;
		wake_up(&pp.wq);
	}
	complete(&pp.done);
	return 0;
}

KTEST(wait_pingpong)
{
	struct task *t[2];
	u64 start, ns;

	memset(&pp, 0, sizeof(pp));
	init_waitqueue_head(&pp.wq);
	init_completion(&pp.done);
	pp.turn = ktest_nonce() & 1;	/* who starts */
	t[0] = kt_create(ctx, pingpong_fn, (void *)0L, "ping");
	if (!t[0])
		return;
	t[1] = kt_create(ctx, pingpong_fn, (void *)1L, "pong");
	if (!t[1])
		return;
	start = ktime_get();
	kt_wake_all(t, 2);
	if (!kt_wait(ctx, &pp.done, 2, "ping-pong threads")) {
		printk("# wait_pingpong: stuck after %d and %d moves\n",
		       pp.moves[0], pp.moves[1]);
		return;
	}
	ns = ktime_get() - start;
	printk("# wait_pingpong: %d round trips in %llu ms (%llu ns each)\n",
	       PINGPONG_ROUNDS, (unsigned long long)(ns / NSEC_PER_MSEC),
	       (unsigned long long)(ns / PINGPONG_ROUNDS));
	KT_EXPECT(ctx, pp.moves[0] == PINGPONG_ROUNDS);
	KT_EXPECT(ctx, pp.moves[1] == PINGPONG_ROUNDS);
	KT_EXPECT(ctx, !waitqueue_active(&pp.wq));
	kt_stop(t[0]);
	kt_stop(t[1]);
}

/* --- wait_event_timeout -------------------------------------------------- */

static struct {
	struct wait_queue_head wq;
	volatile bool flag;
	struct timer_list timer;
	volatile long first, second;	/* what the two waits returned */
	volatile u64 first_ticks;	/* jiffies the first wait took */
	struct completion done;
} wt;

static void wt_timer_fn(struct timer_list *t)
{
	(void)t;
	wt.flag = true;
	wake_up(&wt.wq);
}

static int timeout_fn(void *unused)
{
	u64 start = jiffies;

	(void)unused;
	/* Never true: the full 5 ticks, then 0. */
	wt.first = wait_event_timeout(wt.wq, false, 5);
	wt.first_ticks = jiffies - start;
	/* Made true by a timer after 2 ticks, well before 10 s. */
	timer_setup(&wt.timer, wt_timer_fn, 0);
	mod_timer(&wt.timer, jiffies + 2);
	wt.second = wait_event_timeout(wt.wq, wt.flag, 10 * HZ);
	del_timer(&wt.timer);
	complete(&wt.done);
	return 0;
}

KTEST(wait_event_timeout)
{
	struct task *t;

	memset(&wt, 0, sizeof(wt));
	init_waitqueue_head(&wt.wq);
	init_completion(&wt.done);
	t = kt_create(ctx, timeout_fn, NULL, "timeout");
	if (!t)
		return;
	wake_up_process(t);
	if (!kt_wait(ctx, &wt.done, 1, "waiting thread"))
		return;
	KT_EXPECT(ctx, wt.first == 0);
	if (wt.first_ticks < 5 || wt.first_ticks > 7)
		ktest_fail(ctx, __FILE__, __LINE__,
			   "a 5-jiffy timeout took %llu jiffies",
			   (unsigned long long)wt.first_ticks);
	KT_EXPECT(ctx, wt.flag);
	if (wt.second <= 0 || wt.second > 10 * HZ - 1)
		ktest_fail(ctx, __FILE__, __LINE__,
			   "an early wake-up returned %ld jiffies left",
			   wt.second);
	kt_stop(t);
}

/* --- wait_completion ----------------------------------------------------- */

#define COMPL_WAITERS	4

static struct {
	struct completion gate;		/* complete_all'd by the test */
	struct completion arrived;	/* each waiter, about to wait */
	struct completion passed;	/* each waiter, once through the gate */
} cw;

static int gate_fn(void *unused)
{
	(void)unused;
	complete(&cw.arrived);
	wait_for_completion(&cw.gate);
	complete(&cw.passed);
	return 0;
}

KTEST(wait_completion)
{
	struct task *t[COMPL_WAITERS];
	struct completion x;
	int i;

	init_completion(&cw.gate);
	init_completion(&cw.arrived);
	init_completion(&cw.passed);
	for (i = 0; i < COMPL_WAITERS; i++) {
		t[i] = kt_create(ctx, gate_fn, NULL, "gate");
		if (!t[i])
			return;
	}

	/* Events are counted: two completes, two waits that pass at once. */
	init_completion(&x);
	complete(&x);
	complete(&x);
	KT_EXPECT(ctx, completion_done(&x));
	KT_EXPECT(ctx, wait_for_completion_timeout(&x, 1) > 0);
	KT_EXPECT(ctx, try_wait_for_completion(&x));
	KT_EXPECT(ctx, !try_wait_for_completion(&x));
	/* A timeout consumes nothing and says 0. */
	KT_EXPECT(ctx, wait_for_completion_timeout(&x, 2) == 0);

	kt_wake_all(t, COMPL_WAITERS);
	if (!kt_wait(ctx, &cw.arrived, COMPL_WAITERS, "waiters arriving"))
		return;
	msleep(20);	/* let them go to sleep on the gate */
	KT_EXPECT(ctx, !completion_done(&cw.passed));
	complete_all(&cw.gate);
	if (!kt_wait(ctx, &cw.passed, COMPL_WAITERS, "waiters passing the gate"))
		return;
	/* complete_all lasts: a late waiter passes too. */
	KT_EXPECT(ctx, wait_for_completion_timeout(&cw.gate, 1) > 0);
	for (i = 0; i < COMPL_WAITERS; i++)
		kt_stop(t[i]);
}

/* --- wait_semaphore ------------------------------------------------------ */

#define SEM_THREADS	6
#define SEM_ROUNDS	20

static struct {
	struct semaphore sem;
	volatile int inside, max_inside;
	struct completion done;
} sm;

static int sem_fn(void *unused)
{
	int i;

	(void)unused;
	for (i = 0; i < SEM_ROUNDS; i++) {
		down(&sm.sem);
		sm.inside++;
		if (sm.inside > sm.max_inside)
			sm.max_inside = sm.inside;
		yield();	/* let the others try while we are inside */
		sm.inside--;
		up(&sm.sem);
	}
	complete(&sm.done);
	return 0;
}

KTEST(wait_semaphore)
{
	int units = 2 + ktest_nonce() % 3, i;
	struct task *t[SEM_THREADS];

	memset(&sm, 0, sizeof(sm));
	sema_init(&sm.sem, units);
	init_completion(&sm.done);
	for (i = 0; i < SEM_THREADS; i++) {
		t[i] = kt_create(ctx, sem_fn, NULL, "sem");
		if (!t[i])
			return;
	}
	kt_wake_all(t, SEM_THREADS);
	if (!kt_wait(ctx, &sm.done, SEM_THREADS, "semaphore threads"))
		return;
	if (sm.max_inside != units)
		ktest_fail(ctx, __FILE__, __LINE__,
			   "%d threads inside at most, with %d units",
			   sm.max_inside, units);
	KT_EXPECT(ctx, sm.inside == 0);
	KT_EXPECT(ctx, sm.sem.count == (unsigned int)units);
	KT_EXPECT(ctx, down_trylock(&sm.sem) == 0);
	up(&sm.sem);
	for (i = 0; i < SEM_THREADS; i++)
		kt_stop(t[i]);
}

/* --- wait_msleep (manual: it takes half a second) ------------------------ */

#define MSLEEPS	5

static struct {
	volatile u64 ns[MSLEEPS];
	struct completion done;
} ms;

static int msleep_fn(void *unused)
{
	u64 start;
	int i;

	(void)unused;
	for (i = 0; i < MSLEEPS; i++) {
		start = ktime_get();
		msleep(100);
		ms.ns[i] = ktime_get() - start;
	}
	complete(&ms.done);
	return 0;
}

KTEST_FLAGS(wait_msleep, KTEST_MANUAL)
{
	u64 sorted[MSLEEPS], v;
	struct task *t;
	int i, j;

	memset(&ms, 0, sizeof(ms));
	init_completion(&ms.done);
	t = kt_create(ctx, msleep_fn, NULL, "sleeper");
	if (!t)
		return;
	wake_up_process(t);
	if (!kt_wait(ctx, &ms.done, 1, "sleeping thread"))
		return;
	for (i = 0; i < MSLEEPS; i++) {
		v = ms.ns[i];
		printk("# wait_msleep: msleep(100) took %llu.%03llu ms\n",
		       (unsigned long long)(v / NSEC_PER_MSEC),
		       (unsigned long long)(v / NSEC_PER_USEC % 1000));
		/* Never shorter than asked: that is msleep's promise. */
		if (v < 100 * NSEC_PER_MSEC)
			ktest_fail(ctx, __FILE__, __LINE__,
				   "msleep(100) took %llu us",
				   (unsigned long long)(v / NSEC_PER_USEC));
		for (j = i; j > 0 && sorted[j - 1] > v; j--)
			sorted[j] = sorted[j - 1];
		sorted[j] = v;
	}
	/*
	 * Longer only by the tick's granularity.  A host too busy to run
	 * QEMU on time stretches any sleep (the guest's clock is the host's),
	 * but cannot shorten one: the shortest of the five must be within
	 * 120 ms, which catches every sleep that is systematically too long.
	 */
	v = sorted[0];
	printk("# wait_msleep: shortest %llu ms, median %llu ms\n",
	       (unsigned long long)(v / NSEC_PER_MSEC),
	       (unsigned long long)(sorted[MSLEEPS / 2] / NSEC_PER_MSEC));
	if (v > 120 * NSEC_PER_MSEC)
		ktest_fail(ctx, __FILE__, __LINE__,
			   "msleep(100) took at least %llu ms, not 100-120",
			   (unsigned long long)(v / NSEC_PER_MSEC));
	kt_stop(t);
}
