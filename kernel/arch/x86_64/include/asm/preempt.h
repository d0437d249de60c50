/*
 * asm/preempt.h — the per-CPU preemption counter and need-resched flag,
 * each changed or read by one %gs-relative instruction.
 *
 * preempt_disable() must be a single instruction that cannot be torn: if it
 * were "compute this CPU's address, then increment there", the task could
 * be preempted (and, in lab 11, moved to another CPU) between the two and
 * increment another CPU's counter.  `incl %gs:off` is one instruction: an
 * interrupt comes before it or after it (Intel SDM vol. 3A §6.6, interrupts
 * are taken at instruction boundaries).  The "memory" clobbers make each a
 * compiler barrier too: no load or store of protected data moves across.
 * The generic interface is kestrel/preempt.h.
 */
#ifndef ASM_PREEMPT_H
#define ASM_PREEMPT_H

#include <kestrel/percpu.h>

#define PERCPU_OFFSET(field)	__builtin_offsetof(struct percpu, field)

/** arch_preempt_count - this CPU's preemption counter. */
static inline int arch_preempt_count(void)
{
	int count;

	__asm__ __volatile__("movl %%gs:%c1, %0"
			     : "=r"(count)
			     : "i"(PERCPU_OFFSET(preempt_count))
			     : "memory");
	return count;
}

/** arch_preempt_count_add - add @val (+1 or -1) to the counter, atomically
 *  with respect to interrupts on this CPU. */
static inline void arch_preempt_count_add(int val)
{
	__asm__ __volatile__("addl %1, %%gs:%c0"
			     :
			     : "i"(PERCPU_OFFSET(preempt_count)), "ir"(val)
			     : "memory", "cc");
}

/** arch_need_resched - this CPU's need_resched flag. */
static inline bool arch_need_resched(void)
{
	bool v;

	__asm__ __volatile__("movb %%gs:%c1, %0"
			     : "=q"(v)
			     : "i"(PERCPU_OFFSET(need_resched))
			     : "memory");
	return v;
}

/** arch_set_need_resched - set this CPU's need_resched flag to @v. */
static inline void arch_set_need_resched(bool v)
{
	__asm__ __volatile__("movb %1, %%gs:%c0"
			     :
			     : "i"(PERCPU_OFFSET(need_resched)), "q"(v)
			     : "memory");
}

#endif
