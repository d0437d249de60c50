/*
 * entry.S — the doors into the kernel: exceptions and interrupts, and
 * (lab 6) system calls; and the ways back out to user mode.
 *
 * Exceptions and interrupts.  There is one 16-byte stub per IDT vector
 * (256 of them, generated below): it pushes a 0 where the CPU pushes no
 * error code (so every frame has the same shape), pushes its vector
 * number, and jumps to trap_common.  Vectors with a CPU error code: 8,
 * 10–14, 17, 21, 29, 30 (SDM vol. 3 §6.15).
 *
 * trap_common saves the general registers in struct pt_regs order
 * (asm/ptrace.h), calls do_trap(regs) with RSP 16-byte aligned as the C ABI
 * wants (the CPU aligned it before pushing its frame, and 22 × 8 bytes keep
 * it aligned), restores the registers and returns with iretq.
 *
 * On entry:  RSP -> [vector] [error] rip cs rflags rsp ss
 * Calls:     do_trap(RDI = struct pt_regs *)
 *
 * From user mode (lab 6) the CPU has already switched to the task's
 * kernel stack (TSS.RSP0, set at every context switch), and two more
 * things must happen:
 *
 *  - SWAPGS on the way in and out: in user mode GS_BASE holds the user's
 *    value and IA32_KERNEL_GS_BASE the per-CPU area; SWAPGS exchanges them
 *    (SDM vol. 2B "SWAPGS"), so that %gs:… reaches struct percpu while in
 *    the kernel.  The saved CS says where we came from: RPL 3 is user mode.
 *  - before IRETQ back to user mode, the return-to-user work: reschedule,
 *    die of a fatal signal (lab 9: deliver signals) — exit_to_user_mode()
 *    in kernel/core/entry.c, called with interrupts off, returning with
 *    them off and nothing left to do.
 *
 * Every entry also clears RFLAGS.AC (CLAC, when SMAP is on): user code may
 * set AC with POPF, and an interrupt can arrive while a uaccess helper has
 * it set; kernel code outside those helpers must run with SMAP enforced.
 *
 * System calls: entry_SYSCALL_64, below, with its own comment.
 */
#include <asm/entry.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <uapi/asm-generic/errno.h>

#define STUB_SIZE	16

	.section .text.entry, "ax"
	.code64
	.balign STUB_SIZE
	.globl trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	.balign STUB_SIZE
	.if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushq	$0
	.endif
	pushq	$vec
	jmp	trap_common
	.set vec, vec + 1
	.endr

/*
 * PUSH_REGS / POP_REGS — save and restore the fifteen general registers in
 * struct pt_regs order (asm/ptrace.h): RDI is pushed first, so R15 ends at
 * the lowest address.  Every way in and out of the kernel uses these two.
 */
.macro PUSH_REGS
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

.macro POP_REGS
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
.endm

/* CLAC when SMAP is on (see asm/uaccess.h). */
.macro KERNEL_CLAC
	testb	$1, uaccess_smap(%rip)
	jz	.Lnoclac\@
	clac
.Lnoclac\@:
.endm

trap_common:
	testb	$3, 24(%rsp)		/* the CS the CPU pushed: from user mode? */
	jz	1f
	swapgs
1:	PUSH_REGS
	cld
	KERNEL_CLAC
	movq	%rsp, %rdi
	call	do_trap
	testb	$3, PTREGS_CS(%rsp)
	jnz	ret_to_user
restore_regs_iret:
	POP_REGS
	addq	$16, %rsp		/* vector and error code */
	iretq

/*
 * ret_to_user — leave the kernel for user mode through IRETQ, from a
 * struct pt_regs at RSP (the top of the task's kernel stack).  Does the
 * return-to-user work first.  Interrupts may be on or off.
 */
	.globl	ret_to_user
	.type	ret_to_user, @function
ret_to_user:
	cli
	movq	%rsp, %rdi
	call	exit_to_user_mode	/* returns with interrupts off */
	POP_REGS
	addq	$16, %rsp
	swapgs				/* GS_BASE: the user's again */
	iretq
	.size	ret_to_user, . - ret_to_user

/*
 * entry_SYSCALL_64 — where the SYSCALL instruction lands (MSR_LSTAR,
 * set by syscall_init()).  SYSCALL (SDM vol. 2B "SYSCALL"; vol. 3A
 * §5.8.8) does much less than an interrupt: it saves RIP in RCX and
 * RFLAGS in R11, loads CS and SS from MSR_STAR, clears the RFLAGS bits
 * of MSR_SFMASK (IF, TF, DF, AC, NT: we run with interrupts off and SMAP
 * enforced) — and leaves RSP alone.  We are in ring 0 on the *user's*
 * stack, which must not be touched: it may be anywhere.  So, in order:
 *
 *  1. SWAPGS: %gs now reaches this CPU's struct percpu;
 *  2. park the user RSP in percpu.user_rsp_scratch, load the task's
 *     kernel stack top from percpu.entry_stack_top (set at every switch);
 *  3. build the frame an interrupt from user mode would have built —
 *     SS, RSP, RFLAGS, CS, RIP, then error_code = the system call number
 *     and vector = VECTOR_SYSCALL (asm/entry.h) — and the general
 *     registers, with RAX preset to -ENOSYS;
 *  4. call do_syscall_64(regs), which dispatches, puts the result in
 *     regs->rax, and does the return-to-user work.
 *
 * No interrupt can come in between (IF is clear until do_syscall_64
 * enables it); an NMI or machine check would find GS wrong during steps 1
 * and 2 — Kestrel does not expect either.
 *
 * On entry: RAX nr, RDI RSI RDX R10 R8 R9 arguments, RCX user RIP,
 *           R11 user RFLAGS, RSP user stack.
 */
	.globl	entry_SYSCALL_64
	.type	entry_SYSCALL_64, @function
entry_SYSCALL_64:
	swapgs
	movq	%rsp, %gs:PERCPU_USER_RSP
	movq	%gs:PERCPU_ENTRY_STACK_TOP, %rsp
	pushq	$__USER_DS		/* ss */
	pushq	%gs:PERCPU_USER_RSP	/* rsp */
	pushq	%r11			/* rflags */
	pushq	$__USER_CS		/* cs */
	pushq	%rcx			/* rip */
	pushq	%rax			/* error_code: the system call number */
	pushq	$VECTOR_SYSCALL		/* vector */
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	$-ENOSYS		/* rax: the result until there is one */
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	xorl	%ebp, %ebp		/* the end of the kernel's frame chain */
	movq	%rsp, %rdi
	call	do_syscall_64		/* returns with interrupts off */

	/*
	 * Back to user mode.  SYSRET is the fast way: RIP from RCX, RFLAGS
	 * from R11, CS and SS from MSR_STAR.  It can only restore a frame
	 * that looks like the one SYSCALL made, so the frame is checked
	 * and anything else (execve's new RIP, a frame changed by signals
	 * in lab 9) leaves through IRETQ:
	 *  - RCX == RIP and R11 == RFLAGS, CS and SS the user selectors;
	 *  - RF and TF clear in RFLAGS (SYSRET cannot restore RF, and TF
	 *    would trap on the first user instruction in the wrong place);
	 *  - RIP canonical.  SYSRET to a non-canonical RIP raises #GP *in
	 *    ring 0 with the user's RSP already loaded* (SDM vol. 2B
	 *    "SYSRET", and CVE-2012-0217): a user who mmaps the last page
	 *    below the hole and executes SYSCALL there would own the
	 *    kernel.  Sign-extending bit 47 and comparing catches it.
	 */
	movq	PTREGS_RCX(%rsp), %rcx
	cmpq	%rcx, PTREGS_RIP(%rsp)
	jne	ret_to_user_iret
	movq	PTREGS_R11(%rsp), %r11
	cmpq	%r11, PTREGS_RFLAGS(%rsp)
	jne	ret_to_user_iret
	testq	$(X86_RFLAGS_RF | X86_RFLAGS_TF), %r11
	jnz	ret_to_user_iret
	cmpq	$__USER_CS, PTREGS_CS(%rsp)
	jne	ret_to_user_iret
	cmpq	$__USER_DS, PTREGS_SS(%rsp)
	jne	ret_to_user_iret
	movq	%rcx, %r11
	shlq	$16, %r11
	sarq	$16, %r11		/* RIP with bit 47 sign-extended */
	cmpq	%rcx, %r11
	jne	ret_to_user_iret

	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11			/* == RFLAGS, checked above */
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax			/* the result */
	popq	%rcx			/* == RIP, checked above */
	popq	%rdx
	popq	%rsi
	popq	%rdi
	movq	16 + 24(%rsp), %rsp	/* skip vector, error, rip, cs, rflags: the user RSP */
	swapgs
	sysretq

/* The IRETQ way out, with the exit work already done. */
ret_to_user_iret:
	POP_REGS
	addq	$16, %rsp
	swapgs
	iretq
	.size	entry_SYSCALL_64, . - entry_SYSCALL_64

/*
 * ret_from_fork — where a new user task starts (fork, clone): switch_to()
 * "returns" here the first time the task runs, as for a kernel thread
 * (asm/switch_to.h), with RAX = the task switched from.  The task's
 * struct pt_regs — the parent's system call frame, copied, with RAX = 0 —
 * sits right above this frame at the top of its stack.
 */
	.globl	ret_from_fork
	.type	ret_from_fork, @function
ret_from_fork:
	movq	%rax, %rdi
	call	schedule_tail		/* finish the switch: unlock, irqs on */
	call	fork_child_start	/* CLONE_CHILD_SETTID, in the child's memory */
	jmp	ret_to_user
	.size	ret_from_fork, . - ret_from_fork

/*
 * enter_user_mode(regs) — leave the kernel for the first time from a
 * kernel thread that exec'd (the first process): RSP moves to @regs,
 * which must be the struct pt_regs at the top of the current task's
 * stack, above every frame still in use (kernel/task/init.c arranges it).
 */
	.globl	enter_user_mode
	.type	enter_user_mode, @function
enter_user_mode:
	movq	%rdi, %rsp
	jmp	ret_to_user
	.size	enter_user_mode, . - enter_user_mode

/*
 * call_below_regs(fn, arg, top) — call fn(arg) on the current stack moved
 * down to @top (the address of the task's struct pt_regs), so that the
 * frame above stays free for a later enter_user_mode().  fn never returns.
 */
	.globl	call_below_regs
	.type	call_below_regs, @function
call_below_regs:
	movq	%rdx, %rsp
	andq	$-16, %rsp
	xorl	%ebp, %ebp
	pushq	$0			/* a zero return address ends backtraces */
	pushq	$0
	movq	%rdi, %rax
	movq	%rsi, %rdi
	call	*%rax
	ud2
	.size	call_below_regs, . - call_below_regs

	.section .note.GNU-stack, "", @progbits
