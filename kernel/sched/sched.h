/*
 * kernel/sched/sched.h — the scheduler's private interface: the runqueue
 * and what core.c (mechanism: switching, waking, the tick), fair.c
 * (policy: who runs next, for how long) and idle.c share.
 *
 * Every CPU has one runqueue.  It holds the CPU's runnable tasks: the one
 * running (rq->curr, which fair.c keeps *out* of the timeline while it
 * runs) and the others, in rq->timeline, sorted by virtual runtime.  The
 * idle task is never in the timeline; it runs when the timeline is empty
 * and rq->curr blocks.
 *
 * Locking legend for struct rq:
 *	(L) rq->lock, taken with interrupts off.  The lock is special: it is
 *	    taken by the task that calls schedule() and released by the task
 *	    that switch_to() resumes (finish_task_switch), so it uses the bare
 *	    arch_spin_* operations, which do not touch the preempt count.
 *	(C) written only by this runqueue's CPU with interrupts off
 *	(O) set at sched_init, then read-only
 * Lock order: a wait queue's lock, a mutex's wait_lock or a completion's
 * lock may be held when rq->lock is taken (wake-ups), never the reverse.
 */
#ifndef KERNEL_SCHED_SCHED_H
#define KERNEL_SCHED_SCHED_H

#include <kestrel/list.h>
#include <kestrel/percpu.h>
#include <kestrel/sched.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>

/**
 * struct rq - one CPU's runqueue
 * @lock: see above
 * @timeline: L: runnable tasks other than @curr, by se.vruntime, smallest
 *            first; ties keep insertion order
 * @nr_running: L: runnable tasks, @curr included, the idle task never
 * @load: L: the sum of their weights
 * @min_vruntime: L: never decreases; about the smallest vruntime of the
 *            runnable tasks; where new and waking tasks are placed
 * @clock: L: ns, ktime_get() at the last update_rq_clock()
 * @curr: L: the task running on this CPU (also this_cpu()->current_task)
 * @idle: O: this CPU's idle task
 * @nr_switches: L: context switches so far
 * @cpu: O: the CPU it belongs to
 */
struct rq {
	spinlock_t lock;
	struct list_head timeline;
	unsigned int nr_running;
	unsigned long load;
	u64 min_vruntime;
	u64 clock;
	struct task *curr;
	struct task *idle;
	u64 nr_switches;
	int cpu;
};

/* Flags for enqueue_task_fair(): why the task becomes runnable. */
#define ENQUEUE_WAKEUP	0x1	/* it slept: credit it, but not too much */
#define ENQUEUE_NEW	0x2	/* first time: start at min_vruntime */

/*
 * Tunables, ns (docs/scheduling.md §4): every runnable task runs once per
 * latency period; a slice is never shorter than the minimum granularity;
 * a woken task preempts only with a lead of the wake-up granularity.
 */
#define SCHED_LATENCY_NS		24000000ULL
#define SCHED_MIN_GRANULARITY_NS	4000000ULL
#define SCHED_WAKEUP_GRANULARITY_NS	2000000ULL

#define NICE_0_WEIGHT		1024UL	/* the weight of a nice-0 task */

/* --- core.c -------------------------------------------------------------- */

/** cpu_rq - CPU @cpu's runqueue. */
struct rq *cpu_rq(int cpu);

/** this_rq - this CPU's runqueue (stable: tasks do not migrate yet). */
static inline struct rq *this_rq(void)
{
	return this_cpu()->rq;
}

/** rq_init - an empty runqueue for @cpu, with @idle as its idle task. */
void rq_init(struct rq *rq, int cpu, struct task *idle);

/** update_rq_clock - rq->clock = now (ns).  Caller holds rq->lock. */
void update_rq_clock(struct rq *rq);

/**
 * activate_task - @p becomes runnable on @rq (enqueue_task_fair, on_rq = 1).
 * deactivate_task - @p leaves @rq's runnable tasks (it sleeps or died).
 * Caller holds rq->lock.
 */
void activate_task(struct rq *rq, struct task *p, int flags);
void deactivate_task(struct rq *rq, struct task *p);

/**
 * context_switch - switch this CPU from @prev (rq->curr) to @next: `current`
 * and rq->curr become @next, then switch_to().  Returns when @prev is
 * switched back to, after finishing that later switch (the runqueue lock
 * released by finish_task_switch, interrupts still off).  Called by
 * __schedule with rq->lock held, interrupts off, preempt count 1.
 */
void context_switch(struct rq *rq, struct task *prev, struct task *next);

/**
 * schedule_tail - the first thing a new task runs (switch.S's
 * ret_from_kthread): finish the switch from @prev, then turn interrupts
 * and preemption on, as schedule() would on return.
 */
void schedule_tail(struct task *prev);

/* --- fair.c: the policy -------------------------------------------------- */

/** nice_to_weight - the weight of nice value @nice (clamped to -20…19). */
unsigned long nice_to_weight(int nice);

/**
 * update_curr - charge rq->curr for the time since se.exec_start (up to
 * rq->clock): its sum_exec_runtime grows by the real time, its vruntime
 * by the real time × NICE_0_WEIGHT / weight; then min_vruntime moves up
 * if it can.  Nothing for the idle task.  Caller holds rq->lock.
 */
void update_curr(struct rq *rq);

/**
 * enqueue_task_fair - @p becomes runnable on @rq: place its vruntime
 * (ENQUEUE_NEW, ENQUEUE_WAKEUP), add its weight, insert it in the timeline.
 * dequeue_task_fair - @p stops being runnable (it sleeps or dies): take it
 * out of the timeline (unless it is rq->curr, which is not in it) and
 * remove its weight.  Caller holds rq->lock; neither changes p->on_rq.
 */
void enqueue_task_fair(struct rq *rq, struct task *p, int flags);
void dequeue_task_fair(struct rq *rq, struct task *p);

/**
 * pick_next_task_fair - choose who runs next on @rq after @prev (rq->curr)
 * stops: @prev goes back into the timeline if it is still runnable
 * (p->on_rq), then the task with the smallest vruntime leaves the
 * timeline and is returned, its exec_start and prev_sum_exec_runtime
 * set for the new stretch.  Returns rq->idle when the timeline is empty.
 * Caller holds rq->lock, has called update_curr().
 */
struct task *pick_next_task_fair(struct rq *rq, struct task *prev);

/** task_tick_fair - the tick: update_curr, and need_resched when curr's
 *  slice is used up.  Caller holds rq->lock. */
void task_tick_fair(struct rq *rq);

/** check_preempt_wakeup - @p was just woken on @rq: should it preempt
 *  rq->curr?  Sets need_resched if so.  Caller holds rq->lock. */
void check_preempt_wakeup(struct rq *rq, struct task *p);

/** yield_task_fair - rq->curr yields: move it behind every other runnable
 *  task.  Caller holds rq->lock. */
void yield_task_fair(struct rq *rq);

/** reweight_task - @p's nice value becomes @nice.  Caller holds rq->lock. */
void reweight_task(struct rq *rq, struct task *p, int nice);

/** sched_slice - @p's fair share of one period, ns. */
u64 sched_slice(struct rq *rq, struct task *p);

/* --- idle.c -------------------------------------------------------------- */

/**
 * init_idle - make @idle the idle task of @cpu, the CPU running this code,
 * whose stack is @stack (the one it booted on): sets up the CPU's
 * runqueue and `current`.
 */
void init_idle(struct task *idle, int cpu, void *stack);

#endif
