/*
 * switch.S — switching the CPU from one kernel thread to another.
 *
 * switch_to(prev, next) is an ordinary C function call as far as its
 * callers know (System V AMD64 ABI: arguments in RDI and RSI, result in
 * RAX).  By the ABI (§3.2.1, figure 3.4) the caller expects RBX, RBP,
 * R12, R13, R14 and R15 — the callee-saved registers — to hold the same
 * values when the call returns, and RSP to be back where it was; every
 * other general register may have changed.  So a switch only has to:
 *
 *   1. push prev's six callee-saved registers on prev's stack;
 *   2. store RSP in prev->thread.sp (TASK_THREAD_SP, asm/switch_to.h);
 *   3. load RSP from next->thread.sp: from here on we are on next's stack,
 *      which holds the six registers next pushed when *it* called
 *      switch_to(), or the frame arch_setup_thread() built for a new task;
 *   4. pop them, and `ret` to next's return address.
 *
 * The return value (RAX) is prev: when a task resumes, the task it was
 * switched *from* is whatever task last called switch_to() — not
 * necessarily the one it switched to when it left — and only the
 * registers still know which.  The scheduler needs it to finish that
 * task's switch (finish_task_switch: unlock the runqueue, free a dead
 * task).
 *
 * The instruction pointer needs no saving: it is the return address the
 * caller's `call` pushed, and it stays on prev's stack.  RFLAGS is not
 * saved either (asm/switch_to.h says why).
 *
 * Register use:
 *	RDI   prev (struct task *), kept to the end as the return value
 *	RSI   next (struct task *)
 *	RSP   prev's stack until the load, next's after it
 *	RAX   the return value: prev
 */
#include <asm/switch_to.h>

	.text

/* struct task *switch_to(struct task *prev, struct task *next) */
	.globl	switch_to
	.type	switch_to, @function
switch_to:
#if SOL >= 5
	pushq	%rbp			/* 1: prev's callee-saved registers */
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, TASK_THREAD_SP(%rdi)	/* 2: prev->thread.sp = RSP */
	movq	TASK_THREAD_SP(%rsi), %rsp	/* 3: RSP = next->thread.sp */
	popq	%r15			/* 4: next's registers, in reverse */
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	movq	%rdi, %rax		/* return prev */
	ret				/* to where next called switch_to */
#else
	/*
	 * LAB 5: save prev's callee-saved registers (System V AMD64 ABI
	 * §3.2.1: RBX, RBP, R12-R15) on prev's stack, store RSP in
	 * prev->thread.sp (offset TASK_THREAD_SP from RDI), load RSP from
	 * next->thread.sp (RSI), restore next's registers in the reverse
	 * order, return prev in RAX.  Your pushes must produce the layout of
	 * struct inactive_task_frame (asm/switch_to.h), because that is what
	 * arch_setup_thread() builds for a new task.
	 */
	call	switch_to_unimplemented
#endif
	.size	switch_to, . - switch_to

/*
 * ret_from_kthread — where a new kernel thread starts.  switch_to() "returns"
 * here the first time the thread is switched to, with:
 *	RAX   the task switched from (switch_to's return value)
 *	R12   the entry function, R13 its argument (arch_setup_thread)
 *	RBP   0, and 0 just above RSP: the end of the frame-pointer chain
 * RSP is 8 bytes off 16-byte alignment, as at the entry of any function;
 * the push of RBP realigns it for the calls.
 */
	.globl	ret_from_kthread
	.type	ret_from_kthread, @function
ret_from_kthread:
	pushq	%rbp			/* frame record: RBP 0, return 0 */
	movq	%rsp, %rbp
	movq	%rax, %rdi
	call	schedule_tail		/* finish the switch: unlock, irqs on */
	movq	%r13, %rdi
	call	*%r12			/* fn(arg); it never returns */
	ud2				/* ... and if it did, stop here */
	.size	ret_from_kthread, . - ret_from_kthread

	.section .note.GNU-stack, "", @progbits
