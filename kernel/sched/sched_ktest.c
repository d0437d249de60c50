/*
 * sched_ktest.c — in-kernel tests of the context switch and the scheduler
 * (lab 5).  sched_ktest.h says where they run and why they are shaped so.
 *
 *	sched_switch_to   switch_to() alone, without the scheduler: a new
 *	                  thread's first frame runs its function on its own
 *	                  stack, and a switch back preserves the callee-saved
 *	                  registers (exercise 5.1)
 *	sched_rq_order    fair.c alone, on a private runqueue: tasks come out
 *	                  in vruntime order, ties first come first served, a
 *	                  runnable prev goes back in, vruntime grows by
 *	                  1024/weight (exercise 5.2)
 *	sched_yield       two threads that only yield() both make progress
 *	                  and switch voluntarily
 *	sched_preempt     a thread that spins without ever yielding does not
 *	                  starve another: the tick preempts it
 *	sched_fair        (manual, ~1 s) equal-weight busy threads get CPU
 *	                  shares within 10% of each other
 *	sched_nice        (manual, ~1 s) nice 0 against nice 5 gets the
 *	                  weight ratio 1024/336 ≈ 3.05 of CPU time, ±15%
 *
 * CPU time in sched_fair and sched_nice is what the scheduler charged
 * each thread (se.sum_exec_runtime, from ktime_get()), checked against
 * what each thread measured itself: it adds up the short gaps between its
 * consecutive clock reads (a long gap means it was not running).  The
 * threads' own figures are not judged directly: a busy host that stalls
 * QEMU steals time from whichever thread runs, and that is noise, not
 * unfairness.
 */
#include <asm/switch_to.h>
#include <kestrel/irqflags.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>
#include "sched.h"
#include "sched_ktest.h"

/* --- sched_switch_to ----------------------------------------------------- */

#define REG_MAGIC	0x5a5a000000000000UL

static struct {
	struct task *self, *back;	/* the thread, and who switched to it */
	bool ran;
	unsigned long arg, sp;		/* what the thread saw */
} sw;

/* Runs on the new thread's stack (via ret_from_kthread, schedule_tail). */
static void switch_entry(void *arg)
{
	local_irq_disable();
	sw.ran = true;
	sw.arg = (unsigned long)arg;
	sw.sp = (unsigned long)__builtin_frame_address(0);
	preempt_disable();	/* the count every switch is made with */
	this_cpu()->current_task = sw.back;
	this_rq()->curr = sw.back;
	/* Trash the callee-saved registers, then switch back for good. */
	__asm__ __volatile__("movq $-1, %%rbx\n\t"
			     "movq $-1, %%r12\n\t"
			     "movq $-1, %%r13\n\t"
			     "movq $-1, %%r14\n\t"
			     "movq $-1, %%r15\n\t"
			     "call switch_to"
			     :
			     : "D"(sw.self), "S"(sw.back)
			     : "rbx", "r12", "r13", "r14", "r15", "memory");
	panic("sched_switch_to: switched back to a finished thread");
}

/*
 * switch_to(prev, next) with known values in RBX and R12–R15; returns the
 * values found there afterwards (and switch_to's result in *@last).
 */
static void switch_with_magic(struct task *prev, struct task *next,
			      unsigned long out[5], struct task **last)
{
	register unsigned long b __asm__("rbx") = REG_MAGIC | 1;
	register unsigned long c __asm__("r12") = REG_MAGIC | 2;
	register unsigned long d __asm__("r13") = REG_MAGIC | 3;
	register unsigned long e __asm__("r14") = REG_MAGIC | 4;
	register unsigned long f __asm__("r15") = REG_MAGIC | 5;
	struct task *ret;

	__asm__ __volatile__("call switch_to"
			     : "+r"(b), "+r"(c), "+r"(d), "+r"(e), "+r"(f),
			       "=a"(ret), "+D"(prev), "+S"(next)
			     :
			     : "rcx", "rdx", "r8", "r9", "r10", "r11", "memory",
			       "cc");
	out[0] = b;
	out[1] = c;
	out[2] = d;
	out[3] = e;
	out[4] = f;
	*last = ret;
}

KTEST(sched_switch_to)
{
	struct rq *rq = this_rq();
	unsigned long regs[5], arg = ktest_nonce() ^ 0x1234;
	struct task *t, *last;
	unsigned long flags;
	int err, i;

	if (rq->nr_running) {
		ktest_skip(ctx, "other threads are runnable; run it alone");
		return;
	}
	t = task_alloc("switch_to");
	KT_EXPECT(ctx, !IS_ERR(t));
	if (IS_ERR(t))
		return;
	err = arch_setup_thread(t, switch_entry, (void *)arg);
	if (err) {
		put_task_struct(t);
		ktest_skip(ctx, "arch_setup_thread (lab 5) is not implemented yet");
		return;
	}
	memset(&sw, 0, sizeof(sw));
	sw.self = t;
	sw.back = current;
	/* What schedule() would hold: no interrupts, count 1, rq->lock. */
	local_irq_save(flags);
	preempt_disable();
	arch_spin_lock(&rq->lock);
	/* As context_switch() would: if an interrupt preempts the thread,
	 * the scheduler must see it as the running task. */
	rq->curr = t;
	this_cpu()->current_task = t;
	switch_with_magic(sw.back, t, regs, &last);
	/* Back.  The thread's schedule_tail() released rq->lock and marked
	 * us off the CPU; its switch back took nothing else. */
	sw.back->on_cpu = 1;
	preempt_enable_no_resched();
	local_irq_restore(flags);

	KT_EXPECT(ctx, sw.ran);
	KT_EXPECT(ctx, sw.arg == arg);
	if (sw.sp < (unsigned long)t->stack || sw.sp >= task_stack_top(t))
		ktest_fail(ctx, __FILE__, __LINE__,
			   "the thread ran on %lx, not on its stack %lx-%lx",
			   sw.sp, (unsigned long)t->stack, task_stack_top(t));
	KT_EXPECT(ctx, last == t);
	for (i = 0; i < 5; i++)
		if (regs[i] != (REG_MAGIC | (i + 1)))
			ktest_fail(ctx, __FILE__, __LINE__,
				   "callee-saved register %d is %lx after switch_to, not %lx",
				   i, regs[i], REG_MAGIC | (i + 1));
	t->state = TASK_DEAD;
	t->on_cpu = 0;
	put_task_struct(t);
}

/* --- sched_rq_order ------------------------------------------------------ */

#define RQ_TASKS	6

static struct rq test_rq;
static struct task rq_idle, rq_tasks[RQ_TASKS];

static void rq_setup(void)
{
	int i;

	memset(&rq_idle, 0, sizeof(rq_idle));
	rq_idle.flags = PF_IDLE;
	rq_init(&test_rq, 0, &rq_idle);
	memset(rq_tasks, 0, sizeof(rq_tasks));
	for (i = 0; i < RQ_TASKS; i++) {
		rq_tasks[i].pid = 1000 + i;
		rq_tasks[i].se.weight = NICE_0_WEIGHT;
		list_init(&rq_tasks[i].se.run_node);
	}
}

static void rq_enqueue(struct task *p, u64 vruntime)
{
	p->se.vruntime = vruntime;
	enqueue_task_fair(&test_rq, p, 0);
	p->on_rq = 1;
}

KTEST(sched_rq_order)
{
	u64 x = kt_seed(), v[RQ_TASKS], last = 0, before;
	struct task *p, *prev = &rq_idle;
	int i, n;

	rq_setup();
	/* Random vruntimes, with tasks 1 and 4 tied: 4 must come after 1. */
	for (i = 0; i < RQ_TASKS; i++)
		v[i] = 1000000 + kt_rand(&x) % 1000000;
	v[4] = v[1];
	for (i = 0; i < RQ_TASKS; i++)
		rq_enqueue(&rq_tasks[i], v[i]);
	KT_EXPECT(ctx, test_rq.nr_running == RQ_TASKS);
	for (n = 0; n < RQ_TASKS; n++) {
		p = pick_next_task_fair(&test_rq, prev);
		if (p == &rq_idle || p < rq_tasks || p >= rq_tasks + RQ_TASKS) {
			ktest_fail(ctx, __FILE__, __LINE__,
				   "pick %d returned the idle task or garbage", n);
			return;
		}
		if (n && p->se.vruntime < last)
			ktest_fail(ctx, __FILE__, __LINE__,
				   "pick %d: vruntime %llu after %llu", n,
				   (unsigned long long)p->se.vruntime,
				   (unsigned long long)last);
		if (p == &rq_tasks[1] && prev == &rq_tasks[4])
			ktest_fail(ctx, __FILE__, __LINE__,
				   "equal vruntimes not served in insertion order");
		last = p->se.vruntime;
		p->on_rq = 0;	/* it "sleeps": not put back by the next pick */
		test_rq.curr = p;
		prev = p;
	}
	KT_EXPECT(ctx, pick_next_task_fair(&test_rq, prev) == &rq_idle);

	/* A prev that is still runnable goes back in, and is picked again
	 * when it is the only one. */
	rq_setup();
	rq_enqueue(&rq_tasks[0], 5000);
	p = pick_next_task_fair(&test_rq, &rq_idle);
	KT_EXPECT(ctx, p == &rq_tasks[0]);
	test_rq.curr = p;
	KT_EXPECT(ctx, pick_next_task_fair(&test_rq, p) == p);

	/* update_curr: 10 ms at nice 5 costs 10 ms × 1024 / 336 of vruntime. */
	p->se.weight = nice_to_weight(5);
	p->se.exec_start = 1000;
	before = p->se.vruntime;
	test_rq.clock = 1000 + 10000000;
	update_curr(&test_rq);
	KT_EXPECT(ctx, p->se.sum_exec_runtime == 10000000);
	KT_EXPECT(ctx, p->se.vruntime - before == 10000000ULL * 1024 / 336);
	KT_EXPECT(ctx, p->se.exec_start == test_rq.clock);
	KT_EXPECT(ctx, test_rq.min_vruntime == p->se.vruntime);
	KT_EXPECT(ctx, nice_to_weight(0) == NICE_0_WEIGHT);
}

/* --- sched_yield --------------------------------------------------------- */

#define YIELDS	200

static struct {
	volatile int turns[2];
	struct completion done;
} yl;

static int yield_fn(void *arg)
{
	int me = (int)(long)arg, i;

	for (i = 0; i < YIELDS; i++) {
		yl.turns[me]++;
		yield();
	}
	complete(&yl.done);
	return 0;
}

KTEST(sched_yield)
{
	struct task *t[2];
	u64 vol;

	memset(&yl, 0, sizeof(yl));
	init_completion(&yl.done);
	t[0] = kt_create(ctx, yield_fn, (void *)0L, "yield0");
	if (!t[0])
		return;
	t[1] = kt_create(ctx, yield_fn, (void *)1L, "yield1");
	if (!t[1])
		return;
	kt_wake_all(t, 2);
	if (!kt_wait(ctx, &yl.done, 2, "yielding threads"))
		return;
	KT_EXPECT(ctx, yl.turns[0] == YIELDS && yl.turns[1] == YIELDS);
	vol = t[0]->nvcsw + t[1]->nvcsw;
	/* Each yield with the other thread runnable is a switch. */
	if (vol < YIELDS)
		ktest_fail(ctx, __FILE__, __LINE__,
			   "only %llu voluntary switches for %d yields",
			   (unsigned long long)vol, 2 * YIELDS);
	kt_stop(t[0]);
	kt_stop(t[1]);
}

/* --- sched_preempt ------------------------------------------------------- */

static struct {
	volatile bool other_ran;
	volatile u64 spin_start, other_at;
	struct completion done;
} pr;

/* Spin, never yielding, until the other thread has run or 3 s passed. */
static int spin_fn(void *unused)
{
	u64 deadline;

	(void)unused;
	pr.spin_start = ktime_get();
	deadline = pr.spin_start + 3 * NSEC_PER_SEC;
	while (!pr.other_ran && ktime_get() < deadline)
		cpu_relax();
	complete(&pr.done);
	return 0;
}

static int other_fn(void *unused)
{
	(void)unused;
	pr.other_at = ktime_get();
	pr.other_ran = true;
	complete(&pr.done);
	return 0;
}

KTEST(sched_preempt)
{
	struct task *t[2];
	u64 waited;

	memset(&pr, 0, sizeof(pr));
	init_completion(&pr.done);
	t[0] = kt_create(ctx, spin_fn, NULL, "spinner");
	if (!t[0])
		return;
	t[1] = kt_create(ctx, other_fn, NULL, "other");
	if (!t[1])
		return;
	kt_wake_all(t, 2);
	if (!kt_wait(ctx, &pr.done, 2, "threads"))
		return;
	KT_EXPECT(ctx, pr.other_ran);
	if (pr.other_ran && pr.other_at > pr.spin_start) {
		waited = (pr.other_at - pr.spin_start) / NSEC_PER_MSEC;
		printk("# sched_preempt: the other thread ran %llu ms after the spinner started\n",
		       (unsigned long long)waited);
		if (waited > 1000)
			ktest_fail(ctx, __FILE__, __LINE__,
				   "the other thread waited %llu ms",
				   (unsigned long long)waited);
	}
	/* The spinner saw the flag: it was switched out and back in. */
	KT_EXPECT(ctx, t[0]->nivcsw >= 1);
	kt_stop(t[0]);
	kt_stop(t[1]);
}

/* --- sched_fair and sched_nice: CPU shares ------------------------------- */

#define SHARE_MAX	4
/*
 * A gap between two clock reads longer than this means the thread was
 * switched out: busy threads switch only at ticks (10 ms), so a switched-
 * out thread is away for at least one tick; shorter gaps are interrupts
 * (or the host stalling QEMU), during which the thread still "runs".
 */
#define SHARE_GAP_NS	(5 * NSEC_PER_MSEC)

static struct {
	volatile u64 end;		/* ktime at which every thread stops */
	volatile u64 ran[SHARE_MAX];	/* ns each thread saw itself run */
	u64 sched[SHARE_MAX];		/* ns the scheduler charged each */
	struct completion done;
} sh;

static int share_fn(void *arg)
{
	int me = (int)(long)arg;
	u64 last = ktime_get(), now, ran = 0;

	while ((now = ktime_get()) < sh.end) {
		if (now - last < SHARE_GAP_NS)
			ran += now - last;
		last = now;
	}
	sh.ran[me] = ran;
	complete(&sh.done);
	return 0;
}

/*
 * Run @n busy threads with the nice values @nice[] for @ms.  The CPU time
 * the scheduler gave each goes to sh.sched[]: that is what its policy
 * decides, and what the tests judge.  Each thread's own measure, sh.ran[],
 * keeps the accounting honest: a thread cannot have run longer than it
 * was charged for (it can seem to have run less: a host that stalls QEMU
 * for more than SHARE_GAP_NS looks like a switch).  False if the test
 * could not run or the accounting is off.
 */
static bool run_shares(struct ktest_ctx *ctx, int n, const int *nice,
		       unsigned int ms)
{
	struct task *t[SHARE_MAX];
	char name[16];
	int i;

	memset(&sh, 0, sizeof(sh));
	init_completion(&sh.done);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "busy%d", i);
		t[i] = kt_create(ctx, share_fn, (void *)(long)i, name);
		if (!t[i])
			return false;
		set_user_nice(t[i], nice[i]);
	}
	sh.end = ktime_get() + (u64)ms * NSEC_PER_MSEC;
	kt_wake_all(t, n);
	if (!kt_wait(ctx, &sh.done, n, "busy threads"))
		return false;
	for (i = 0; i < n; i++) {
		sh.sched[i] = t[i]->se.sum_exec_runtime;
		printk("# %s: nice %d ran %llu ms (by its own clock: %llu ms; %llu preemptions)\n",
		       t[i]->comm, nice[i],
		       (unsigned long long)(sh.sched[i] / NSEC_PER_MSEC),
		       (unsigned long long)(sh.ran[i] / NSEC_PER_MSEC),
		       (unsigned long long)t[i]->nivcsw);
		kt_stop(t[i]);
	}
	for (i = 0; i < n; i++) {
		u64 ran = sh.ran[i] / NSEC_PER_MSEC;
		u64 charged = sh.sched[i] / NSEC_PER_MSEC;

		if (ran > charged + charged / 20 + 1) {
			ktest_fail(ctx, __FILE__, __LINE__,
				   "busy%d ran %llu ms by its clock but was charged %llu",
				   i, (unsigned long long)ran,
				   (unsigned long long)charged);
			return false;
		}
	}
	return true;
}

KTEST_FLAGS(sched_fair, KTEST_MANUAL)
{
	int nice[SHARE_MAX] = { 0 }, n = 2 + ktest_nonce() % 3, i;
	u64 lo = ~0ULL, hi = 0, sum = 0;

	if (!run_shares(ctx, n, nice, 1000))
		return;
	for (i = 0; i < n; i++) {
		lo = MIN(lo, sh.sched[i]);
		hi = MAX(hi, sh.sched[i]);
		sum += sh.sched[i];
	}
	printk("# sched_fair: %d threads, shares from %llu to %llu ms of %llu\n",
	       n, (unsigned long long)(lo / NSEC_PER_MSEC),
	       (unsigned long long)(hi / NSEC_PER_MSEC),
	       (unsigned long long)(sum / NSEC_PER_MSEC));
	if (!lo || (hi - lo) * 10 > hi)
		ktest_fail(ctx, __FILE__, __LINE__,
			   "CPU shares %llu..%llu ms differ by more than 10%%",
			   (unsigned long long)(lo / NSEC_PER_MSEC),
			   (unsigned long long)(hi / NSEC_PER_MSEC));
}

KTEST_FLAGS(sched_nice, KTEST_MANUAL)
{
	int nice[2] = { 0, 5 };
	u64 ratio100;

	if (!run_shares(ctx, 2, nice, 1000))
		return;
	if (!sh.sched[1]) {
		ktest_fail(ctx, __FILE__, __LINE__, "the nice-5 thread never ran");
		return;
	}
	/* Expected 1024 / 336 = 3.05. */
	ratio100 = sh.sched[0] * 100 / sh.sched[1];
	printk("# sched_nice: nice 0 / nice 5 CPU time = %llu.%02llu (weights: 3.05)\n",
	       (unsigned long long)(ratio100 / 100),
	       (unsigned long long)(ratio100 % 100));
	if (ratio100 < 259 || ratio100 > 351)
		ktest_fail(ctx, __FILE__, __LINE__,
			   "CPU time ratio %llu.%02llu, not 3.05 ± 15%%",
			   (unsigned long long)(ratio100 / 100),
			   (unsigned long long)(ratio100 % 100));
}
