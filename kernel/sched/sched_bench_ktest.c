/*
 * sched_bench_ktest.c — how fast the scheduler is (lab 5; manual ktest
 * sched_bench, run by name: make qemu-pvh CMDLINE="ktest=sched_bench").
 *
 * Two figures, printed as `# sched_bench: …` lines, never judged (speed
 * goals live in benchmarks, not in tests: DESIGN §7):
 *
 *  - context switch: two threads that do nothing but yield(), so every
 *    yield is one switch (schedule, pick, switch_to, finish); the time of
 *    the run divided by the switches the runqueue counted;
 *  - wake-up latency: a thread sleeps on a wait queue; another stamps
 *    ktime_get() and calls wake_up(); the sleeper stamps the clock again
 *    as soon as it runs.  The difference is the cost of try_to_wake_up,
 *    the wake-up preemption decision and the switch.  Rounds are spaced
 *    by a sleep, so the waker is never already behind the sleeper.
 *
 * Under QEMU's TCG every instruction is translated, so these figures are
 * 10–100 times those of real hardware; compare them with each other and
 * across changes, not with Linux on a laptop.
 */
#include <kestrel/delay.h>
#include <kestrel/string.h>
#include <kestrel/wait.h>
#include "sched.h"
#include "sched_ktest.h"

#define BENCH_YIELDS	20000
#define BENCH_WAKES	100

static struct {
	struct completion done;
	/* wake-up latency */
	struct wait_queue_head wq;
	volatile int seq, seen;
	volatile u64 stamp;		/* ktime at wake_up() */
	volatile u64 total, min, max;	/* ns */
} bn;

static int yield_bench_fn(void *unused)
{
	int i;

	(void)unused;
	for (i = 0; i < BENCH_YIELDS; i++)
		yield();
	complete(&bn.done);
	return 0;
}

static int sleeper_fn(void *unused)
{
	u64 lat;
	int i;

	(void)unused;
	for (i = 1; i <= BENCH_WAKES; i++) {
		wait_event(bn.wq, bn.seq == i);
		lat = ktime_get() - bn.stamp;
		bn.total += lat;
		bn.min = MIN(bn.min, lat);
		bn.max = MAX(bn.max, lat);
		bn.seen = i;
	}
	complete(&bn.done);
	return 0;
}

static int waker_fn(void *unused)
{
	int i;

	(void)unused;
	for (i = 1; i <= BENCH_WAKES; i++) {
		msleep(1);	/* the sleeper is asleep again by now */
		bn.stamp = ktime_get();
		bn.seq = i;
		wake_up(&bn.wq);
		while (bn.seen != i)
			yield();
	}
	complete(&bn.done);
	return 0;
}

/* Run @fn0 and @fn1 in two threads until both are done; ns taken. */
static u64 run_pair(struct ktest_ctx *ctx, int (*fn0)(void *),
		    int (*fn1)(void *), u64 *switches)
{
	struct task *t[2];
	u64 start, before = this_rq()->nr_switches;

	init_completion(&bn.done);
	t[0] = kt_create(ctx, fn0, NULL, "bench0");
	if (!t[0])
		return 0;
	t[1] = kt_create(ctx, fn1, NULL, "bench1");
	if (!t[1])
		return 0;
	start = ktime_get();
	kt_wake_all(t, 2);
	if (!kt_wait(ctx, &bn.done, 2, "benchmark threads"))
		return 0;
	start = ktime_get() - start;
	*switches = this_rq()->nr_switches - before;
	kt_stop(t[0]);
	kt_stop(t[1]);
	return start;
}

KTEST_FLAGS(sched_bench, KTEST_MANUAL)
{
	u64 ns, switches = 0;

	memset(&bn, 0, sizeof(bn));
	ns = run_pair(ctx, yield_bench_fn, yield_bench_fn, &switches);
	if (!ns)
		return;
	printk("# sched_bench: context switch (yield between 2 threads): %llu ns (%llu switches in %llu ms)\n",
	       (unsigned long long)(ns / (switches ? switches : 1)),
	       (unsigned long long)switches,
	       (unsigned long long)(ns / NSEC_PER_MSEC));

	memset(&bn, 0, sizeof(bn));
	init_waitqueue_head(&bn.wq);
	bn.min = ~0ULL;
	if (!run_pair(ctx, sleeper_fn, waker_fn, &switches))
		return;
	printk("# sched_bench: wake-up latency (wait queue): %llu.%03llu us average, %llu.%03llu min, %llu.%03llu max over %d wake-ups\n",
	       (unsigned long long)(bn.total / BENCH_WAKES / 1000),
	       (unsigned long long)(bn.total / BENCH_WAKES % 1000),
	       (unsigned long long)(bn.min / 1000),
	       (unsigned long long)(bn.min % 1000),
	       (unsigned long long)(bn.max / 1000),
	       (unsigned long long)(bn.max % 1000), BENCH_WAKES);
}
