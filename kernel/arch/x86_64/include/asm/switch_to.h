/*
 * asm/switch_to.h — the arch half of a context switch.
 *
 * A task that is not running keeps its kernel context on its own stack:
 * switch_to() (switch.S) pushes the registers the C calling convention
 * says a function must preserve — the callee-saved registers RBX, RBP and
 * R12–R15 (System V AMD64 ABI, §3.2.1 "Registers", figure 3.4) — and
 * stores the resulting stack pointer in task->thread.sp.  Everything else
 * is either caller-saved (the C code calling switch_to() already assumes
 * it is lost), or RIP, which is the return address the `call switch_to`
 * pushed.  Resuming a task is the mirror image: load its saved RSP, pop
 * its six registers, `ret`.
 *
 * A task's stack while it is switched out, from its saved RSP upwards:
 *
 *	thread.sp ->	r15
 *			r14
 *			r13
 *			r12
 *			rbx
 *			rbp
 *			return address into the code that called switch_to()
 *			… that code's frames …
 *
 * A new thread has never called switch_to(), so arch_setup_thread() builds
 * that frame by hand: zeros for the registers (RBP = 0 ends backtraces),
 * then ret_from_kthread (switch.S) as the return address, and the entry
 * function and its argument in R12 and R13, where ret_from_kthread looks
 * for them.  The layout of this frame is struct inactive_task_frame.
 *
 * RFLAGS is not part of the switched state: every switch happens inside
 * the scheduler with interrupts off, and each task's schedule() call
 * restores the interrupt flag it saved.  There is no FPU/SSE state (the
 * kernel is built with -mgeneral-regs-only) and no segment state.
 */
#ifndef ASM_SWITCH_TO_H
#define ASM_SWITCH_TO_H

/* Offset of thread.sp in struct task: thread is its first member. */
#define TASK_THREAD_SP	0

#ifndef __ASSEMBLY__
#include <kestrel/types.h>

struct fxregs;
struct task;

/* Key: (R) the runqueue lock of the task's CPU. */
struct thread_struct {
	unsigned long sp;	/* R: saved RSP while switched out */
	unsigned long fsbase;	/* S: user FS base: the TLS pointer (lab 6) */
	unsigned long gsbase;	/* S: user GS base (arch_prctl ARCH_SET_GS) */
	struct fxregs *fpu;	/* S: saved x87/SSE state (lab 6, fpu.c), or NULL */
};

/*
 * The frame switch_to() leaves at thread.sp, lowest address first: the
 * order of its pushes, reversed.
 */
struct inactive_task_frame {
	unsigned long r15, r14, r13, r12, rbx, rbp;
	unsigned long ret_addr;
};

/**
 * switch_to - save the running task's callee-saved registers and stack
 * pointer in @prev, load @next's, and continue where @next stopped.
 * Returns — later, when something switches back to @prev — the task that
 * ran just before @prev resumed (it need not be @next).  Called only by
 * the scheduler, with interrupts off and the runqueue lock held.
 * Source: System V AMD64 ABI §3.2.1 (callee-saved registers).
 */
struct task *switch_to(struct task *prev, struct task *next);

/**
 * arch_setup_thread - give the new task @p a first context: when first
 * switched to, it runs ret_from_kthread, which finishes the switch
 * (schedule_tail) and calls @fn(@arg) on @p's own stack.  @fn must never
 * return (the generic code's entry ends in kthread_exit()).  Returns 0, or
 * -ENOSYS while lab 5 is not done.
 */
int arch_setup_thread(struct task *p, void (*fn)(void *), void *arg);

/**
 * arch_switch_prepare - the arch's own work just before switching to
 * @next: the TSS's RSP0, the stack the CPU switches to when an interrupt
 * or system call arrives from user mode (lab 6), becomes @next's.
 */
void arch_switch_prepare(struct task *next);

/**
 * arch_switch_user - the user-mode half of arch_switch_prepare (lab 6,
 * process_user.c): load @next's page tables (init_pgd for a kernel
 * thread) and its user FS and GS bases.
 */
void arch_switch_user(struct task *next);

/** ret_from_kthread - where a new thread starts (switch.S); not callable. */
void ret_from_kthread(void);
#endif

#endif
