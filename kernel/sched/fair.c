/*
 * fair.c — the scheduling policy: who runs next, and for how long.
 *
 * The goal is the one of Linux's Completely Fair Scheduler, as its design
 * document (Documentation/scheduler/sched-design-CFS.rst) puts it: model
 * an "ideal, precise multitasking CPU" on which n runnable tasks each run
 * at 1/n of the speed, all at the same time.  A real CPU runs one task at
 * a time, so each task keeps a *virtual runtime* — how much CPU time it
 * has had, in the units of that ideal CPU — and the scheduler always runs
 * the task that is furthest behind, the one with the smallest vruntime.
 * Running makes a task's vruntime grow, so sooner or later another task
 * is behind and takes over.  The rest of this file is details of that one
 * rule; the code is Kestrel's own.
 *
 * Weights.  Tasks are not all equal: nice -20 … 19 says how much CPU a
 * task deserves.  A task's weight scales how fast its vruntime grows:
 *
 *	vruntime += real time run × NICE_0_WEIGHT / weight
 *
 * so a task with twice the weight accumulates vruntime half as fast and
 * gets twice the CPU.  The convention (Linux's, sched-nice-design.rst) is
 * that one nice step is worth about 10% of CPU time: of two busy tasks
 * whose nice values differ by one, the nicer gets about 45% and the other
 * 55%.  55/45 ≈ 1.22, and the rule that makes it multiplicative (the same
 * for nice 0 vs 1 as for 10 vs 11) is a constant ratio between adjacent
 * weights; Linux chose 1.25.  Our table is derived from that rule alone:
 *
 *	weight(n) = round(1024 / 1.25^n),  n = -20 … 19
 *
 * (Linux's own table has slightly different, hand-tuned values.)
 *
 * The timeline.  Runnable tasks other than the running one are kept in
 * rq->timeline, a list sorted by vruntime: picking the next task takes
 * the first entry, O(1); inserting walks the list, O(n).  Linux keeps a
 * red-black tree (O(log n) for both); with the handful of runnable tasks
 * per CPU a teaching kernel has, the list is shorter to write, easier to
 * check, and not slower in practice.  Tasks with equal vruntime keep their
 * insertion order, so ties are served first come, first served.
 *
 * Time slices.  Within SCHED_LATENCY_NS every runnable task should run
 * once; a task's slice is its weight's share of that period, but never
 * below SCHED_MIN_GRANULARITY_NS (too many tasks stretch the period).  The
 * tick (task_tick_fair) preempts a task that has used its slice.  With
 * HZ = 100 the tick is 10 ms, so slices are rounded up to whole ticks.
 *
 * Sleepers and newcomers.  A task that slept did not run, so its vruntime
 * fell behind; if it kept it, it would monopolize the CPU when it wakes.
 * min_vruntime tracks (monotonically) the smallest vruntime among the
 * runnable tasks; a waking task is placed at no less than min_vruntime
 * minus half a period — a small bonus for having slept, which makes
 * interactive tasks responsive, but no more.  A new task starts at
 * min_vruntime.  A wake-up preempts the running task only when the woken
 * task is behind it by more than SCHED_WAKEUP_GRANULARITY_NS, to avoid
 * switching back and forth for nothing.
 *
 * vruntimes are u64 nanoseconds compared through their signed difference
 * (vdiff below), which stays right even if they ever wrapped around.
 *
 * Locking: every function here runs with the runqueue's lock held and
 * interrupts off (kernel/sched/sched.h).
 */
#include <kestrel/compiler.h>
#include <kestrel/preempt.h>
#include "sched.h"

/*
 * weight(n) = round(1024 / 1.25^n) for n = -20 … 19 (see above); one row
 * per five nice values.
 */
static const unsigned long nice_weights[NICE_WIDTH] = {
	/* -20 */ 88818, 71054, 56843, 45475, 36380,
	/* -15 */ 29104, 23283, 18626, 14901, 11921,
	/* -10 */ 9537, 7629, 6104, 4883, 3906,
	/*  -5 */ 3125, 2500, 2000, 1600, 1280,
	/*   0 */ 1024, 819, 655, 524, 419,
	/*   5 */ 336, 268, 215, 172, 137,
	/*  10 */ 110, 88, 70, 56, 45,
	/*  15 */ 36, 29, 23, 18, 15,
};

unsigned long nice_to_weight(int nice)
{
	if (nice < MIN_NICE)
		nice = MIN_NICE;
	if (nice > MAX_NICE)
		nice = MAX_NICE;
	return nice_weights[nice - MIN_NICE];
}

/* a - b for vruntimes: negative when a is behind b. */
static inline s64 vdiff(u64 a, u64 b)
{
	return (s64)(a - b);
}

/* The vruntime cost of running @delta ns at @weight. */
static u64 calc_delta_fair(u64 delta, unsigned long weight)
{
	if (weight == NICE_0_WEIGHT)
		return delta;
	return delta * NICE_0_WEIGHT / weight;
}

static bool is_idle(const struct task *p)
{
	return p->flags & PF_IDLE;
}

/* The runnable task with the smallest vruntime, or NULL. */
static struct task *timeline_first(struct rq *rq)
{
	if (list_empty(&rq->timeline))
		return NULL;
	return list_first_entry(&rq->timeline, struct task, se.run_node);
}

/* Move min_vruntime up to the smallest vruntime of curr and the timeline. */
static void update_min_vruntime(struct rq *rq)
{
	struct task *curr = rq->curr, *first = timeline_first(rq);
	bool have = false;
	u64 v = 0;

	if (curr && !is_idle(curr) && curr->on_rq) {
		v = curr->se.vruntime;
		have = true;
	}
	if (first && (!have || vdiff(first->se.vruntime, v) < 0)) {
		v = first->se.vruntime;
		have = true;
	}
	if (have && vdiff(v, rq->min_vruntime) > 0)
		rq->min_vruntime = v;
}

void update_curr(struct rq *rq)
{
#if SOL >= 5
	struct task *curr = rq->curr;
	u64 delta;

	if (is_idle(curr) || vdiff(rq->clock, curr->se.exec_start) <= 0)
		return;
	delta = rq->clock - curr->se.exec_start;
	curr->se.exec_start = rq->clock;
	curr->se.sum_exec_runtime += delta;
	curr->se.vruntime += calc_delta_fair(delta, curr->se.weight);
	update_min_vruntime(rq);
#else
	/*
	 * LAB 5: charge rq->curr for the time it has run since
	 * se.exec_start, up to rq->clock (both ns): add the real time to
	 * se.sum_exec_runtime and the weighted time, calc_delta_fair(delta,
	 * se.weight), to se.vruntime; restart se.exec_start at rq->clock;
	 * then update_min_vruntime(rq).  The idle task is never charged, and
	 * a clock that has not moved past exec_start means nothing to do.
	 */
	(void)rq;
#endif
}

/* Insert @p into the timeline after every task whose vruntime is ≤ its own. */
static void __enqueue_entity(struct rq *rq, struct task *p)
{
#if SOL >= 5
	struct task *t;

	list_for_each_entry(t, &rq->timeline, se.run_node)
		if (vdiff(p->se.vruntime, t->se.vruntime) < 0)
			break;
	/* Before @t; at the end when the walk ran off the list. */
	list_add_tail(&p->se.run_node, &t->se.run_node);
#else
	/*
	 * LAB 5: insert p->se.run_node into rq->timeline so that the list
	 * stays sorted by se.vruntime, smallest first, and a task goes
	 * *after* the tasks whose vruntime equals its own (first come, first
	 * served).  Compare vruntimes with vdiff(), not with <.  Hint:
	 * list_for_each_entry, then list_add_tail before the first task that
	 * is ahead of @p — when the loop finds none, its cursor's run_node is
	 * the list head itself, and list_add_tail there appends.
	 */
	(void)rq;
	(void)p;
#endif
}

static void __dequeue_entity(struct rq *rq, struct task *p)
{
	(void)rq;
	list_del(&p->se.run_node);
}

/* Where @p's vruntime starts when it becomes runnable (see the top). */
static void place_entity(struct rq *rq, struct task *p, int flags)
{
	u64 v = rq->min_vruntime;

	if (flags & ENQUEUE_NEW) {
		p->se.vruntime = v;
	} else if (flags & ENQUEUE_WAKEUP) {
		v -= SCHED_LATENCY_NS / 2;
		if (vdiff(p->se.vruntime, v) < 0)
			p->se.vruntime = v;
	}
}

void enqueue_task_fair(struct rq *rq, struct task *p, int flags)
{
	update_curr(rq);
	place_entity(rq, p, flags);
	rq->nr_running++;
	rq->load += p->se.weight;
	if (p != rq->curr)
		__enqueue_entity(rq, p);
	update_min_vruntime(rq);
}

void dequeue_task_fair(struct rq *rq, struct task *p)
{
	update_curr(rq);
	/* The running task is not in the timeline (pick_next_task_fair). */
	if (p != rq->curr)
		__dequeue_entity(rq, p);
	rq->nr_running--;
	rq->load -= p->se.weight;
}

struct task *pick_next_task_fair(struct rq *rq, struct task *prev)
{
#if SOL >= 5
	struct task *next;

	if (prev->on_rq && !is_idle(prev))
		__enqueue_entity(rq, prev);
	next = timeline_first(rq);
	if (!next)
		return rq->idle;
	__dequeue_entity(rq, next);
	next->se.exec_start = rq->clock;
	next->se.prev_sum_exec_runtime = next->se.sum_exec_runtime;
	return next;
#else
	/*
	 * LAB 5: @prev (rq->curr) is not in the timeline while it runs.  If
	 * it is still runnable (prev->on_rq) and not the idle task, put it
	 * back (__enqueue_entity).  Then take the first task off the
	 * timeline (__dequeue_entity) and return it, after starting its new
	 * stretch: se.exec_start = rq->clock, se.prev_sum_exec_runtime =
	 * se.sum_exec_runtime.  An empty timeline means rq->idle.
	 */
	(void)prev;
	return rq->idle;
#endif
}

u64 sched_slice(struct rq *rq, struct task *p)
{
	u64 period = SCHED_LATENCY_NS;
	u64 min_period = (u64)rq->nr_running * SCHED_MIN_GRANULARITY_NS;
	u64 slice;

	if (min_period > period)
		period = min_period;
	if (!rq->load)
		return period;
	slice = period * p->se.weight / rq->load;
	if (slice < SCHED_MIN_GRANULARITY_NS)
		slice = SCHED_MIN_GRANULARITY_NS;
	return slice;
}

void task_tick_fair(struct rq *rq)
{
	struct task *curr = rq->curr, *first;
	u64 ran, slice;

	update_curr(rq);
	if (is_idle(curr)) {
		/* Idle while someone is runnable: a wake-up is pending. */
		if (rq->nr_running)
			set_need_resched();
		return;
	}
	if (rq->nr_running < 2)
		return;
	ran = curr->se.sum_exec_runtime - curr->se.prev_sum_exec_runtime;
	slice = sched_slice(rq, curr);
	if (ran >= slice) {
		set_need_resched();
		return;
	}
	/* Far ahead of the first waiting task: let it run, slice or not. */
	first = timeline_first(rq);
	if (first && ran >= SCHED_MIN_GRANULARITY_NS &&
	    vdiff(curr->se.vruntime, first->se.vruntime) > (s64)slice)
		set_need_resched();
}

void check_preempt_wakeup(struct rq *rq, struct task *p)
{
	struct task *curr = rq->curr;
	u64 gran;

	if (curr == p)
		return;
	if (is_idle(curr)) {
		set_need_resched();
		return;
	}
	update_curr(rq);
	gran = calc_delta_fair(SCHED_WAKEUP_GRANULARITY_NS, p->se.weight);
	if (vdiff(curr->se.vruntime, p->se.vruntime) > (s64)gran)
		set_need_resched();
}

void yield_task_fair(struct rq *rq)
{
	struct task *curr = rq->curr, *last;

	if (is_idle(curr) || list_empty(&rq->timeline))
		return;
	update_curr(rq);
	/* Just behind the last runnable task: everyone else runs first. */
	last = list_entry(rq->timeline.prev, struct task, se.run_node);
	if (vdiff(last->se.vruntime, curr->se.vruntime) >= 0)
		curr->se.vruntime = last->se.vruntime + 1;
}

void reweight_task(struct rq *rq, struct task *p, int nice)
{
	bool in_timeline = p->on_rq && p != rq->curr && !is_idle(p);

	if (p == rq->curr)
		update_curr(rq);
	if (in_timeline)
		__dequeue_entity(rq, p);
	if (p->on_rq)
		rq->load -= p->se.weight;
	p->static_prio = nice + 120;
	p->se.weight = nice_to_weight(nice);
	if (p->on_rq)
		rq->load += p->se.weight;
	if (in_timeline)
		__enqueue_entity(rq, p);
}
