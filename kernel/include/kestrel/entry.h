/*
 * kestrel/entry.h — the generic halves of entering and leaving the kernel
 * from user mode (kernel/core/entry.c).
 *
 * The arch's entry code (arch/x86_64/entry.S, syscall.c) saves the user
 * registers in a struct pt_regs and calls in here: syscall_dispatch() to
 * run a system call, exit_to_user_mode() before every return to user
 * mode.  docs/syscalls.md follows one system call through all of it.
 */
#ifndef KESTREL_ENTRY_H
#define KESTREL_ENTRY_H

#include <asm/ptrace.h>

/**
 * syscall_dispatch - run system call @nr with the arguments in @regs
 * (asm/syscall.h says which registers) and return its result: the entry
 * of sys_call_table (generated from syscall.tbl), or -ENOSYS for a number
 * with no entry — logged once per number.  Interrupts on; may sleep.
 */
long syscall_dispatch(unsigned long nr, struct pt_regs *regs);

/**
 * exit_to_user_mode - the work to do before any return to user mode, in
 * a loop until none is left: reschedule when asked (need_resched), end
 * the task when its process is being killed (task->fatal_signal; lab 9
 * adds signal delivery here).  Called with interrupts off, returns with
 * them off.  @regs: the frame about to be restored.
 */
void exit_to_user_mode(struct pt_regs *regs);

#endif
