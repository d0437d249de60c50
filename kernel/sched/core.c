/*
 * core.c — the scheduler's mechanism: runqueues, switching, waking, the
 * tick and preemption.  fair.c decides who runs; this file makes it so.
 *
 * Every CPU has a runqueue (struct rq, sched.h) of its runnable tasks.  A
 * task stops running in one of three ways:
 *
 *  - it sleeps: it sets its state to TASK_(UN)INTERRUPTIBLE and calls
 *    schedule(), which takes it off the runqueue (deactivate_task) until a
 *    wake-up (try_to_wake_up) puts it back;
 *  - it yields or ends (yield(), do_task_dead());
 *  - it is preempted: the tick (scheduler_tick) or a wake-up decides that
 *    another task deserves the CPU more and sets need_resched; at the next
 *    preemption point — the end of an interrupt (preempt_schedule_irq,
 *    from irq_exit) or a preempt_enable() that reaches zero
 *    (preempt_schedule) — the CPU switches, and the preempted task stays
 *    runnable whatever its state says.
 *
 * All three end in __schedule(), which asks fair.c for the next task and
 * calls context_switch().  The switch itself, in pictures:
 *
 *	prev: schedule()                       next: (inside its own
 *	        __schedule()                           __schedule() call, or
 *	          lock rq                              at ret_from_kthread if
 *	          pick next                            it is new)
 *	          context_switch()
 *	            switch_to(prev, next) ───────> returns here, in next
 *	                                          finish_task_switch(prev)
 *	                                            unlock rq
 *
 * The runqueue lock is taken by prev and released by next, so it is held
 * across the switch: no other CPU (lab 11) and no interrupt sees the
 * half-switched state.  That is also why it uses the bare arch_spin_*
 * operations: the preempt count is a property of the CPU, and it is 1
 * throughout every switch (schedule() raises it; the resumed task's own
 * schedule() call, or schedule_tail() for a new task, drops it).
 *
 * Interrupts are off from the moment the runqueue lock is taken until the
 * switched-in task restores its own interrupt state: each schedule() call
 * saves RFLAGS on its task's stack and restores it on return.
 *
 * Locking: rq->lock (sched.h) with interrupts off; wake-ups nest it inside
 * wait-queue and mutex locks, never the other way round.  Tasks never
 * change CPU yet (no load balancing before lab 11): p->cpu is fixed at
 * creation, and this_rq() is stable for the running task.
 */
#include <kestrel/irq.h>
#include <kestrel/irqflags.h>
#include <kestrel/ktime.h>
#include <kestrel/panic.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include "sched.h"

static struct rq runqueues[NR_CPUS];

struct rq *cpu_rq(int cpu)
{
	return &runqueues[cpu];
}

void rq_init(struct rq *rq, int cpu, struct task *idle)
{
	spin_lock_init(&rq->lock);
	list_init(&rq->timeline);
	rq->nr_running = 0;
	rq->load = 0;
	rq->min_vruntime = 0;
	rq->clock = 0;
	rq->curr = idle;
	rq->idle = idle;
	rq->nr_switches = 0;
	rq->cpu = cpu;
}

void update_rq_clock(struct rq *rq)
{
	u64 now = ktime_get();

	if ((s64)(now - rq->clock) > 0)
		rq->clock = now;
}

/* Ask @rq's CPU to reschedule.  Only this CPU's runqueue before lab 11,
 * which adds the IPI that tells another CPU. */
static void resched_curr(struct rq *rq)
{
	if (rq == this_rq())
		set_need_resched();
}

void activate_task(struct rq *rq, struct task *p, int flags)
{
	enqueue_task_fair(rq, p, flags);
	p->on_rq = 1;
}

void deactivate_task(struct rq *rq, struct task *p)
{
	dequeue_task_fair(rq, p);
	p->on_rq = 0;
}

/* --- waking -------------------------------------------------------------- */

/*
 * Make @p runnable if its state is in @state.  Under p's runqueue lock:
 * the sleeper's __schedule() reads its state under the same lock, so
 * either it sees TASK_RUNNING and does not leave the runqueue, or it has
 * left it (on_rq = 0) and we put it back (DOC: wakeup-race in wait.c).
 */
static bool try_to_wake_up(struct task *p, unsigned int state)
{
	struct rq *rq = cpu_rq(p->cpu);
	unsigned long flags;
	bool woken = false;
	int how;

	flags = spin_lock_irqsave(&rq->lock);
	if (!(p->state & state))
		goto out;
	woken = true;
	if (p->flags & PF_IDLE) {
		/* The idle task never leaves the CPU: it polls (idle_schedule);
		 * if it halted, the interrupt that woke it ended the halt. */
		p->state = TASK_RUNNING;
		goto out;
	}
	if (!p->on_rq) {
		update_rq_clock(rq);
		how = p->state == TASK_NEW ? ENQUEUE_NEW : ENQUEUE_WAKEUP;
		activate_task(rq, p, how);
		p->state = TASK_RUNNING;
		check_preempt_wakeup(rq, p);
	} else {
		/* Still on the runqueue: it has not called schedule() yet. */
		p->state = TASK_RUNNING;
	}
out:
	spin_unlock_irqrestore(&rq->lock, flags);
	return woken;
}

bool wake_up_process(struct task *p)
{
	return try_to_wake_up(p, TASK_NORMAL | TASK_NEW);
}

bool wake_up_state(struct task *p, unsigned int state)
{
	return try_to_wake_up(p, state);
}

/* --- switching ----------------------------------------------------------- */

/* The second half of every switch, run by the task switched to. */
static void finish_task_switch(struct task *prev)
{
	struct rq *rq = this_rq();
	/* Read before on_cpu drops: once it has, prev may be anywhere. */
	long prev_state = prev->state;

	prev->on_cpu = 0;
	arch_spin_unlock(&rq->lock);
	/* A dead task held a reference to itself; nobody will run it again. */
	if (prev_state == TASK_DEAD)
		put_task_struct(prev);
}

/*
 * The idle task's time, which /proc/stat and /proc/uptime report:
 * update_curr() never charges the idle task, so its stretches are added
 * up here, from the switch to it to the switch away (rq->clock, ns, just
 * brought up to date by __schedule).
 */
static void account_idle(struct rq *rq, struct task *prev, struct task *next)
{
	if ((prev->flags & PF_IDLE) &&
	    (s64)(rq->clock - prev->se.exec_start) > 0)
		prev->se.sum_exec_runtime += rq->clock - prev->se.exec_start;
	if (next->flags & PF_IDLE)
		next->se.exec_start = rq->clock;
}

void context_switch(struct rq *rq, struct task *prev, struct task *next)
{
	account_idle(rq, prev, next);
	rq->curr = next;
	next->on_cpu = 1;
	this_cpu()->current_task = next;
	arch_switch_prepare(next);
	prev = switch_to(prev, next);
	/* We are the task that called context_switch() long ago; prev is
	 * whichever task ran just before us on this CPU. */
	finish_task_switch(prev);
}

/*
 * The heart of the scheduler.  Called with interrupts off and the preempt
 * count at 1; returns the same way, possibly much later.  @preempt: the
 * task is being preempted, so it stays runnable whatever its state.
 */
static void __schedule(bool preempt)
{
#if SOL >= 5
	struct rq *rq = this_rq();
	struct task *prev = rq->curr, *next;

	arch_spin_lock(&rq->lock);
	update_rq_clock(rq);
	update_curr(rq);
	if (!preempt && prev->state != TASK_RUNNING)
		deactivate_task(rq, prev);
	next = pick_next_task_fair(rq, prev);
	clear_need_resched();
	if (next == prev) {
		arch_spin_unlock(&rq->lock);
		return;
	}
	if (preempt)
		prev->nivcsw++;
	else
		prev->nvcsw++;
	rq->nr_switches++;
	context_switch(rq, prev, next);
#else
	/*
	 * LAB 5: take this runqueue's lock (arch_spin_lock: it is released
	 * by the task we switch to, in finish_task_switch), bring the clock
	 * and rq->curr's accounting up to date (update_rq_clock,
	 * update_curr).  If the current task is not being preempted and has
	 * set a sleeping state, it leaves the runqueue (deactivate_task).
	 * Ask fair.c for the next task (pick_next_task_fair), clear
	 * need_resched, and either unlock (the same task goes on) or count
	 * the switch (rq->nr_switches, and prev's nvcsw or nivcsw) and
	 * context_switch() to it.
	 */
	(void)preempt;
	clear_need_resched();
#endif
}

/* "BUG: scheduling while atomic": say who, then go on as if preemptible. */
static int schedule_debug(void)
{
	int count = preempt_count();

	if (likely(count == 0))
		return 0;
	pr_err("BUG: scheduling while atomic: %s/%d/0x%08x\n", current->comm,
	       current->pid, count);
	warn_slowpath(__FILE__, __LINE__, "scheduling while atomic");
	arch_preempt_count_add(-count);
	return count;
}

/* Preempt the current task now; interrupts as they are. */
static void preempt_now(void)
{
	unsigned long flags;

	do {
		preempt_disable();
		flags = arch_local_irq_save();
		__schedule(true);
		arch_local_irq_restore(flags);
		preempt_enable_no_resched();
	} while (need_resched());
}

/*
 * The idle task never leaves its CPU: when it "sleeps" (its code waits on
 * a queue, a completion, a mutex, a timeout) it runs whoever is runnable,
 * or halts until the next interrupt, and returns to let its caller look
 * at its condition again.  Start-up code and tests, which run as the idle
 * task, can wait that way.
 */
static void idle_schedule(void)
{
	unsigned long flags;

	__set_current_state(TASK_RUNNING);
	flags = arch_local_irq_save();
	if (!need_resched())
		safe_halt();
	if (arch_irqs_disabled_flags(flags))
		local_irq_disable();
	if (need_resched())
		preempt_now();
}

void schedule(void)
{
	int atomic_count = schedule_debug();
	unsigned long flags;

	if (current->flags & PF_IDLE) {
		idle_schedule();
	} else {
		do {
			preempt_disable();
			flags = arch_local_irq_save();
			__schedule(false);
			arch_local_irq_restore(flags);
			preempt_enable_no_resched();
		} while (need_resched());
	}
	arch_preempt_count_add(atomic_count);
}

void preempt_schedule(void)
{
	if (!preemptible())
		return;
	preempt_now();
}

void preempt_schedule_irq(void)
{
	if (preempt_count() || !need_resched())
		return;
	preempt_now();
}

void schedule_tail(struct task *prev)
{
	finish_task_switch(prev);
	local_irq_enable();
	preempt_enable();
}

void do_task_dead(void)
{
	local_irq_disable();
	preempt_disable();
	current->flags |= PF_EXITING;
	current->state = TASK_DEAD;
	__schedule(false);
	panic("%s/%d: a dead task was scheduled again", current->comm,
	      current->pid);
}

/* --- the tick, yield, nice ----------------------------------------------- */

void scheduler_tick(void)
{
	struct rq *rq = this_rq();

	if (!rq)
		return;		/* before sched_init */
	spin_lock(&rq->lock);
	update_rq_clock(rq);
	task_tick_fair(rq);
	spin_unlock(&rq->lock);
}

void yield(void)
{
	struct rq *rq = this_rq();
	unsigned long flags;

	flags = spin_lock_irqsave(&rq->lock);
	update_rq_clock(rq);
	yield_task_fair(rq);
	spin_unlock_irqrestore(&rq->lock, flags);
	schedule();
}

void set_user_nice(struct task *p, long nice)
{
	struct rq *rq = cpu_rq(p->cpu);
	unsigned long flags;

	if (nice < MIN_NICE)
		nice = MIN_NICE;
	if (nice > MAX_NICE)
		nice = MAX_NICE;
	flags = spin_lock_irqsave(&rq->lock);
	update_rq_clock(rq);
	reweight_task(rq, p, (int)nice);
	if (p->on_rq)
		resched_curr(rq);
	spin_unlock_irqrestore(&rq->lock, flags);
}

void __might_sleep(const char *file, int line)
{
	static bool warned;

	/* Start-up runs as the idle task with interrupts off until lab 4's
	 * devices are ready; it never really sleeps (idle_schedule). */
	if (likely(!in_interrupt() && !in_atomic() &&
		   (!irqs_disabled() || (current->flags & PF_IDLE))))
		return;
	if (warned)
		return;
	warned = true;
	pr_err("BUG: sleeping function called from invalid context at %s:%d\n",
	       file, line);
	pr_err("in_interrupt(): %d, preempt_count: %d, irqs_disabled(): %d, %s/%d\n",
	       in_interrupt(), preempt_count(), irqs_disabled(), current->comm,
	       current->pid);
	warn_slowpath(file, line, "might_sleep()");
}
