/*
 * kthread_ktest.c — in-kernel tests of kernel threads (lab 5).  They live
 * with the scheduler's tests because they share sched_ktest.h.
 *
 *	kthread_run_stop        a thread looping on kthread_should_stop() runs,
 *	                        sleeps, and kthread_stop() returns its result
 *	kthread_stop_unstarted  kthread_stop() on a thread never woken: its
 *	                        function never runs, the result is -EINTR
 *	kthread_many            many short threads, created and finished in
 *	                        waves: every result arrives, pids are unique,
 *	                        and stacks and structs are freed (no leak)
 *	kthread_stack_overflow  (manual) a thread recurses until it runs off
 *	                        its stack: the guard page turns that into a
 *	                        double fault whose oops names the task
 */
#include <kestrel/delay.h>
#include <kestrel/mm.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>
#include "sched_ktest.h"

/* --- kthread_run_stop ---------------------------------------------------- */

static struct {
	volatile int loops;
	volatile bool stopped_seen;
} rs;

static int looper_fn(void *arg)
{
	while (!kthread_should_stop()) {
		rs.loops++;
		msleep(1);
	}
	rs.stopped_seen = true;
	return (int)(long)arg;
}

KTEST(kthread_run_stop)
{
	int want = (int)(ktest_nonce() % 100000) + 1, ret;
	u64 deadline = jiffies + KT_WAIT_SECS * HZ;
	struct task *t;

	memset(&rs, 0, sizeof(rs));
	t = kt_create(ctx, looper_fn, (void *)(long)want, "looper");
	if (!t)
		return;
	KT_EXPECT(ctx, t->state == TASK_NEW);
	KT_EXPECT(ctx, t->pid > 0 && strcmp(t->comm, "looper") == 0);
	KT_EXPECT(ctx, rs.loops == 0);	/* not before the wake-up */
	wake_up_process(t);
	while (rs.loops < 3 && time_before(jiffies, deadline))
		msleep(1);
	if (rs.loops < 3) {
		ktest_fail(ctx, __FILE__, __LINE__,
			   "the thread looped %d times in %d s", rs.loops,
			   KT_WAIT_SECS);
		return;
	}
	sched_show_tasks();	/* the looper, asleep in msleep (D) */
	ret = kt_stop(t);
	KT_EXPECT(ctx, rs.stopped_seen);
	if (ret != want)
		ktest_fail(ctx, __FILE__, __LINE__,
			   "kthread_stop returned %d, the thread returned %d",
			   ret, want);
}

/* --- kthread_stop_unstarted ---------------------------------------------- */

static volatile bool unstarted_ran;

static int never_fn(void *unused)
{
	(void)unused;
	unstarted_ran = true;
	return 0;
}

KTEST(kthread_stop_unstarted)
{
	struct task *t;
	int ret;

	unstarted_ran = false;
	t = kt_create(ctx, never_fn, NULL, "unstarted");
	if (!t)
		return;
	ret = kt_stop(t);
	KT_EXPECT(ctx, ret == -EINTR);
	KT_EXPECT(ctx, !unstarted_ran);
}

/* --- kthread_many -------------------------------------------------------- */

#define MANY_WAVE	16
#define MANY_WAVES	4

static struct completion many_done;

static int many_fn(void *arg)
{
	int v = (int)(long)arg;

	if (v % 3 == 0)
		yield();
	complete(&many_done);
	return v * 7;
}

/* One wave of MANY_WAVE threads; true if every result came back. */
static bool many_wave(struct ktest_ctx *ctx, int wave)
{
	struct task *t[MANY_WAVE];
	char name[16];
	int i, j, n, ret;

	init_completion(&many_done);
	for (i = 0; i < MANY_WAVE; i++) {
		snprintf(name, sizeof(name), "many%d", wave * MANY_WAVE + i);
		n = wave * MANY_WAVE + i;
		t[i] = kt_create(ctx, many_fn, (void *)(long)n, name);
		if (!t[i])
			return false;
		for (j = 0; j < i; j++)
			if (t[j]->pid == t[i]->pid)
				ktest_fail(ctx, __FILE__, __LINE__,
					   "two threads with pid %d", t[i]->pid);
	}
	kt_wake_all(t, MANY_WAVE);
	if (!kt_wait(ctx, &many_done, MANY_WAVE, "threads"))
		return false;
	for (i = 0; i < MANY_WAVE; i++) {
		ret = kt_stop(t[i]);
		if (ret != (wave * MANY_WAVE + i) * 7)
			ktest_fail(ctx, __FILE__, __LINE__,
				   "thread %d returned %d", wave * MANY_WAVE + i,
				   ret);
	}
	return true;
}

KTEST(kthread_many)
{
	unsigned long before;
	int wave;

	/* The first wave may leave slabs and page tables behind for reuse. */
	if (!many_wave(ctx, 0))
		return;
	msleep(20);	/* the last stack is freed at the next switch */
	before = nr_free_pages();
	for (wave = 1; wave < MANY_WAVES; wave++)
		if (!many_wave(ctx, wave))
			return;
	msleep(20);
	if (nr_free_pages() != before)
		ktest_fail(ctx, __FILE__, __LINE__,
			   "%ld pages leaked by %d threads",
			   (long)(before - nr_free_pages()),
			   (MANY_WAVES - 1) * MANY_WAVE);
}

/* --- kthread_stack_overflow (manual: it ends in an oops) ----------------- */

static volatile int overflow_limit = 1 << 30;	/* never reached */

static __noinline int recurse(int depth)
{
	volatile char frame[256];

	frame[0] = (char)depth;
	if (depth >= overflow_limit)
		return 0;
	return recurse(depth + 1) + frame[0];
}

static int deep_fn(void *unused)
{
	(void)unused;
	return recurse(0);
}

KTEST_FLAGS(kthread_stack_overflow, KTEST_MANUAL)
{
	struct task *t = kt_create(ctx, deep_fn, NULL, "deep");

	if (!t)
		return;
	printk("# kthread_stack_overflow: pid %d recurses until its %d-byte stack ends\n",
	       t->pid, THREAD_SIZE);
	wake_up_process(t);
	msleep(2000);
	ktest_fail(ctx, __FILE__, __LINE__, "the overflow did not oops");
}
