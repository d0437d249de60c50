/*
 * kernel/sched/sched_ktest.h — what lab 5's ktests share (sched_ktest.c,
 * kthread_ktest.c, wait_ktest.c, mutex_ktest.c, sched_bench_ktest.c).
 *
 * Where the tests run.  ktests run in start_kernel's context, which is the
 * boot CPU's idle task (kernel/sched/idle.c).  The idle task never sleeps
 * and runs only when nothing else is runnable: its waits (completions,
 * kthread_stop, msleep) poll at each interrupt.  Two consequences shape
 * every test here:
 *  - threads are created first and woken together, with preemption off
 *    (kt_wake_all): the first wake-up would otherwise switch to that
 *    thread at once, and a busy one would keep the test from waking the
 *    others;
 *  - every thread ends on its own — after its work, or at a deadline on
 *    ktime_get() — and signals a completion; the test waits for those
 *    with a timeout, so a broken scheduler fails the test instead of
 *    hanging it (unless a thread spins for ever, which only the grader's
 *    deadline catches).
 * Test state that threads touch is static, never on the test's stack: a
 * thread that outlives a failed test must not write into a later test's
 * frame.
 *
 * Skipping: in the stages before lab 5 kthread_create() returns -ENOSYS;
 * the tests then end as skipped (`ok N name # SKIP …`).
 */
#ifndef KERNEL_SCHED_SCHED_KTEST_H
#define KERNEL_SCHED_SCHED_KTEST_H

#include <kestrel/completion.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/jiffies.h>
#include <kestrel/ktest.h>
#include <kestrel/kthread.h>
#include <kestrel/ktime.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>

#define KT_WAIT_SECS	10	/* how long a test waits for its threads */

/* xorshift64 (Marsaglia 2003): test inputs from the nonce. */
static inline u64 kt_rand(u64 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static inline u64 kt_seed(void)
{
	return ktest_nonce() | 1;
}

/*
 * A new thread running @fn(@arg), not yet woken, with a reference the
 * test drops in kt_stop().  NULL when it could not be made: the test is
 * then skipped (threads are a stub) or failed.
 */
static inline struct task *kt_create(struct ktest_ctx *ctx,
				     int (*fn)(void *), void *arg,
				     const char *name)
{
	struct task *t = kthread_create(fn, arg, "%s", name);

	if (IS_ERR(t)) {
		if (PTR_ERR(t) == -ENOSYS)
			ktest_skip(ctx, "kernel threads (arch_setup_thread, switch_to: lab 5) are not implemented yet");
		else
			ktest_fail(ctx, __FILE__, __LINE__,
				   "kthread_create: error %ld", PTR_ERR(t));
		return NULL;
	}
	get_task_struct(t);
	return t;
}

/* Wake @n threads at once: no switch before the last one is runnable. */
static inline void kt_wake_all(struct task **t, int n)
{
	int i;

	preempt_disable();
	for (i = 0; i < n; i++)
		wake_up_process(t[i]);
	preempt_enable();
}

/* Stop a thread from kt_create (it has normally returned already) and
 * drop the test's reference; returns its function's result. */
static inline int kt_stop(struct task *t)
{
	int ret = kthread_stop(t);

	put_task_struct(t);
	return ret;
}

/* Wait until @x has been completed @n times, at most KT_WAIT_SECS in all;
 * false (and the test failed) if not. */
static inline bool kt_wait(struct ktest_ctx *ctx, struct completion *x, int n,
			   const char *what)
{
	u64 deadline = jiffies + KT_WAIT_SECS * HZ;
	int i;

	for (i = 0; i < n; i++) {
		s64 left = (s64)(deadline - jiffies);

		if (left <= 0 ||
		    !wait_for_completion_timeout(x, (unsigned long)left)) {
			ktest_fail(ctx, __FILE__, __LINE__,
				   "%d of %d %s did not finish within %d s", n - i,
				   n, what, KT_WAIT_SECS);
			return false;
		}
	}
	return true;
}

#endif
