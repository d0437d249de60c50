/*
 * process.c — the x86_64 side of creating and switching kernel threads.
 *
 * The generic scheduler (kernel/sched/) decides *which* task runs; this
 * file and switch.S know *how* a task's context is kept on x86_64:
 *
 *  - arch_setup_thread() (lab 5) builds the first context of a new task
 *    on its stack, the frame switch_to() will pop when it first switches
 *    to the task (asm/switch_to.h has the picture);
 *  - switch_to() (switch.S, lab 5) saves one task's callee-saved registers
 *    and stack pointer and loads another's;
 *  - arch_switch_prepare() points the TSS's RSP0 at the next task's stack,
 *    for interrupts and system calls from user mode (lab 6).
 *
 * A new thread's stack, at the moment it is first switched to:
 *
 *	top (task_stack_top)	────────────────────────────────
 *	top - 8			0     "return address" of ret_from_kthread:
 *	                              ends backtraces, keeps the ABI alignment
 *	top - 16		ret_from_kthread   (frame.ret_addr)
 *	top - 24		rbp = 0            (frame.rbp)
 *	top - 32		rbx = 0
 *	top - 40		r12 = fn
 *	top - 48		r13 = arg
 *	top - 56		r14 = 0
 *	top - 64		r15 = 0    <- thread.sp
 *	…			free stack, down to task->stack
 *	task->stack - 4096	guard page (unmapped): an overflow faults
 *
 * The System V AMD64 ABI (§3.2.2, "The Stack Frame") wants RSP + 8 to be a
 * multiple of 16 at a function's first instruction; after switch_to pops
 * the frame and returns, RSP = top - 8, which is exactly that for
 * ret_from_kthread.
 */
#include <asm/desc.h>
#include <asm/switch_to.h>
#include <kestrel/errno.h>
#include <kestrel/panic.h>
#include <kestrel/percpu.h>
#include <kestrel/sched.h>

/* switch.S reads thread.sp at TASK_THREAD_SP and pushes 6 registers. */
_Static_assert(__builtin_offsetof(struct task, thread.sp) == TASK_THREAD_SP,
	       "switch.S: TASK_THREAD_SP");
_Static_assert(sizeof(struct inactive_task_frame) == 7 * 8,
	       "switch.S pushes six registers above the return address");
_Static_assert(THREAD_SIZE % 16 == 0, "stack tops must be 16-byte aligned");

/* The stub of switch_to() in the stages before lab 5 (switch.S). */
void switch_to_unimplemented(void);

void switch_to_unimplemented(void)
{
	unimplemented(5);
}

int arch_setup_thread(struct task *p, void (*fn)(void *), void *arg)
{
#if SOL >= 5
	unsigned long top = task_stack_top(p);
	struct inactive_task_frame *frame;

	/* One zero word at the very top: the end of the frame chain. */
	*(unsigned long *)(top - 8) = 0;
	frame = (struct inactive_task_frame *)(top - 8) - 1;
	frame->r15 = 0;
	frame->r14 = 0;
	frame->r13 = (unsigned long)arg;
	frame->r12 = (unsigned long)fn;
	frame->rbx = 0;
	frame->rbp = 0;
	frame->ret_addr = (unsigned long)ret_from_kthread;
	p->thread.sp = (unsigned long)frame;
	return 0;
#else
	/*
	 * LAB 5: build, just below task_stack_top(p), the frame that
	 * switch_to() pops when it first switches to @p — the picture at
	 * the top of this file: a zero word at the very top, then a
	 * struct inactive_task_frame whose ret_addr is ret_from_kthread,
	 * whose r12 and r13 hold @fn and @arg (ret_from_kthread in switch.S
	 * calls r12 with r13 as its argument), and whose other registers are
	 * 0 (rbp = 0 ends backtraces).  Point p->thread.sp at the frame.
	 * Return 0.  Until then kthread_create() fails with this -ENOSYS.
	 */
	(void)p;
	(void)fn;
	(void)arg;
	return -ENOSYS;
#endif
}

void arch_switch_prepare(struct task *next)
{
	/* Lab 6: the address space and the user FS/GS bases (process_user.c). */
	arch_switch_user(next);
	/* The idle tasks run on their boot stacks: no user mode there. */
	if (next->flags & PF_IDLE)
		return;
	tss_set_kernel_stack(this_cpu()->cpu, task_stack_top(next));
	this_cpu()->entry_stack_top = task_stack_top(next);
}
