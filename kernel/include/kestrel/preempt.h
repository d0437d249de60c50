/*
 * kestrel/preempt.h — when this CPU may switch to another task.
 *
 * Kernel code is preemptible (lab 5): when the timer tick finds that the
 * running task has had its share, or a wake-up finds a more deserving
 * task, it sets this CPU's need_resched flag, and the task is switched out
 * at the next *preemption point* — the end of an interrupt (irq_exit()),
 * or preempt_enable() dropping the count to zero.  Some code must not be
 * switched out halfway:
 *
 *  - code holding a spinlock: a task spinning on the same lock on this
 *    CPU would spin for ever (spin_lock() disables preemption for this
 *    reason, kestrel/spinlock.h);
 *  - code using this CPU's data (this_cpu()) across several steps;
 *  - the scheduler itself.
 *
 * preempt_disable()/preempt_enable() bracket such code.  They nest: a
 * per-CPU counter counts them, and the CPU may switch only at zero.
 * Interrupts off also means "no preemption" (the tick cannot arrive), so
 * preempt_enable() never schedules with interrupts off: the switch waits
 * until the next preemption point.
 *
 *	preempt_count()   0: preemptible; n > 0: n nested disables
 *	need_resched()    the scheduler wants this CPU to call schedule()
 *
 * The counter belongs to the CPU, not the task: every switch happens with
 * the count at exactly 1 (schedule() holds it), so it is 1 again when the
 * switched-in task resumes inside schedule() and drops it.  Counting and
 * flag live in struct percpu; asm/preempt.h reads them in one instruction.
 * The names and the idea are Linux's (include/linux/preempt.h).
 */
#ifndef KESTREL_PREEMPT_H
#define KESTREL_PREEMPT_H

#include <asm/preempt.h>
#include <kestrel/compiler.h>
#include <kestrel/irqflags.h>

/**
 * preempt_schedule - switch tasks now if this CPU is preemptible and the
 * scheduler asked for it (kernel/sched/core.c).  Called by
 * preempt_enable(); never directly.
 */
void preempt_schedule(void);

/**
 * preempt_schedule_irq - the end of an interrupt (irq_exit()) calls this
 * once the interrupt is over: if need_resched is set and the interrupted
 * code was preemptible (preempt count 0), switch tasks now.  Interrupts
 * are off on entry and still off on return (possibly much later: the
 * interrupted task resumes when it is picked again).
 */
void preempt_schedule_irq(void);

/** preempt_count - this CPU's preemption-disable depth (0: preemptible). */
static inline int preempt_count(void)
{
	return arch_preempt_count();
}

/** preempt_disable - no task switch on this CPU until preempt_enable(). */
static inline void preempt_disable(void)
{
	arch_preempt_count_add(1);
}

/**
 * preempt_enable_no_resched - undo one preempt_disable() without checking
 * need_resched: for the scheduler itself, which is about to look anyway.
 */
static inline void preempt_enable_no_resched(void)
{
	arch_preempt_count_add(-1);
}

/** need_resched - true when the scheduler wants this CPU to reschedule. */
static inline bool need_resched(void)
{
	return arch_need_resched();
}

/** set_need_resched - ask this CPU to reschedule at the next chance. */
static inline void set_need_resched(void)
{
	arch_set_need_resched(true);
}

/** clear_need_resched - the scheduler is choosing now; called by it. */
static inline void clear_need_resched(void)
{
	arch_set_need_resched(false);
}

/** preemptible - a task switch is allowed here, now. */
static inline bool preemptible(void)
{
	return preempt_count() == 0 && !irqs_disabled();
}

/** in_atomic - preemption is disabled: sleeping here is a bug. */
static inline bool in_atomic(void)
{
	return preempt_count() != 0;
}

/**
 * preempt_enable - undo one preempt_disable(); at zero, with interrupts
 * on, switch tasks if need_resched is set.  May therefore sleep-like
 * switch away, but only when the caller was preemptible anyway.
 */
static inline void preempt_enable(void)
{
	preempt_enable_no_resched();
	if (unlikely(need_resched()) && preemptible())
		preempt_schedule();
}

#endif
