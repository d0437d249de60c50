/*
 * asm/current.h — `current`, the task this CPU is running, in one load.
 *
 * Every CPU's struct percpu (kestrel/percpu.h) is at the GS base, and its
 * current_task field names the running task; the scheduler changes it in
 * context_switch() just before switch_to().  Reading it with a single
 * %gs-relative instruction means the read cannot be split by an interrupt
 * or (lab 11) by a move to another CPU: whatever CPU executes the load, it
 * reads its own current task — which is this task.
 */
#ifndef ASM_CURRENT_H
#define ASM_CURRENT_H

#include <kestrel/percpu.h>

struct task;

/** get_current - the task running on this CPU (never NULL after sched_init). */
static inline struct task *get_current(void)
{
	struct task *t;

	__asm__ __volatile__("movq %%gs:%c1, %0"
			     : "=r"(t)
			     : "i"(__builtin_offsetof(struct percpu, current_task)));
	return t;
}

#define current get_current()

#endif
