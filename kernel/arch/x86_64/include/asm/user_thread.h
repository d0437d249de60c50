/*
 * asm/user_thread.h — what generic code asks of the arch about tasks that
 * run user code (arch/x86_64/process_user.c, labs 6 and 7).
 */
#ifndef ASM_USER_THREAD_H
#define ASM_USER_THREAD_H

#include <asm/ptrace.h>

struct kernel_clone_args;
struct task;

/** task_pt_regs - @p's user registers, saved at the top of its kernel stack. */
struct pt_regs *task_pt_regs(struct task *p);

/**
 * start_thread - make @regs start a new program: RIP @ip, RSP @sp, user
 * code and stack segments, interrupts on, every other register 0 (the
 * System V AMD64 ABI §3.4.1 leaves them unspecified but RDX, which may
 * hold an atexit function: 0, none).  Resets the FS and GS bases.
 */
void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp);

/**
 * copy_thread - give the new task @p (fork, clone) the current task's
 * user registers with RAX = 0 — and @args' stack and TLS when given —
 * and a first kernel frame that enters user mode through ret_from_fork.
 * Returns 0.
 */
int copy_thread(struct task *p, const struct kernel_clone_args *args);

/** arch_set_user_fsbase / arch_set_user_gsbase - the current task's user
 *  FS (TLS) and GS base, now and at every switch back to it. */
void arch_set_user_fsbase(unsigned long base);
void arch_set_user_gsbase(unsigned long base);

/** do_user_trap - an exception other than #PF from user mode: the process
 *  dies of the matching signal (lab 9 delivers it instead). */
void do_user_trap(struct pt_regs *regs);

/** enter_user_mode - leave for user mode with @regs, the current task's
 *  task_pt_regs() (entry.S).  Never returns. */
void enter_user_mode(struct pt_regs *regs) __attribute__((noreturn));

/** call_below_regs - run @fn(@arg) on the current stack moved down to
 *  @top, leaving everything above @top unused (entry.S). */
void call_below_regs(void (*fn)(void *), void *arg, void *top)
	__attribute__((noreturn));

#endif
