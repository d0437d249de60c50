/*
 * kestrel/percpu.h — data that every CPU has its own copy of.
 *
 * Kestrel is written for several CPUs from the start, although the boot CPU
 * is the only one running until the SMP lab.  Each CPU's `struct percpu`
 * is reached through an arch register (x86_64: the GS base), so this_cpu()
 * costs one load and never needs a lock: only its own CPU writes it.
 */
#ifndef KESTREL_PERCPU_H
#define KESTREL_PERCPU_H

#include <kestrel/types.h>

struct clock_event_device;
struct mm;
struct rq;
struct task;
struct timer_base;

#define NR_CPUS	16	/* the most CPUs the kernel will bring up */

struct percpu {
	struct percpu *self;	/* this structure's own address (first field) */
	unsigned int cpu;	/* CPU number, 0 … NR_CPUS-1 */
	bool in_oops;		/* this CPU is printing an oops or panic */

	/*
	 * The system call entry (lab 6, arch/x86_64/entry.S) reads and
	 * writes these two with %gs-relative instructions before it has a
	 * stack, at the offsets asm/entry.h gives (checked at build time).
	 */
	unsigned long entry_stack_top;	/* the running task's kernel stack top */
	unsigned long user_rsp_scratch;	/* the user RSP while entering */
	struct mm *loaded_mm;	/* whose user half CR3 holds (NULL: init_pgd) */
	unsigned long user_fsbase;	/* the FS base loaded (lab 6: TLS) */
	unsigned long user_gsbase;	/* the user GS base loaded */

	/*
	 * The scheduler's per-CPU state (lab 5, kernel/sched/).  Only this
	 * CPU writes these, except need_resched, which a waker on another
	 * CPU may set (lab 11 then sends an IPI).  current_task and
	 * preempt_count are read with one %gs-relative instruction
	 * (asm/current.h, asm/preempt.h), so their offsets matter to asm.
	 */
	struct task *current_task;	/* the task running on this CPU */
	int preempt_count;	/* > 0: this CPU must not switch tasks */
	bool need_resched;	/* call schedule() at the next chance */
	struct rq *rq;		/* this CPU's runqueue (kernel/sched/) */

	/*
	 * Interrupts and time (lab 4: kestrel/irq.h, kestrel/clockchips.h,
	 * kestrel/timer.h).  Written by this CPU only, with interrupts off.
	 */
	unsigned int irq_depth;	/* interrupt handlers running (nesting) */
	u32 apic_id;		/* this CPU's local APIC ID */
	u64 irq_spurious;	/* spurious-vector interrupts taken */
	u64 irq_unexpected;	/* interrupts on a vector nobody owns */
	u64 irq_timer;		/* local timer interrupts taken */
	struct clock_event_device *clockevent;	/* this CPU's tick device */
	struct timer_base *timer_base;	/* this CPU's pending kernel timers */
	struct pt_regs *irq_regs;	/* what the running interrupt interrupted
					 * (get_irq_regs), or NULL */
};

/**
 * percpu_init - set up CPU @cpu's per-CPU area and point this CPU at it.
 * Called once per CPU, early, before anything uses this_cpu().
 */
void percpu_init(unsigned int cpu);

/** this_cpu - this CPU's per-CPU area.  Context: any. */
struct percpu *this_cpu(void);

#endif
