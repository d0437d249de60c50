/*
 * kestrel/fpu.h — the floating-point and vector registers of user tasks
 * (arch/x86_64/fpu.c).
 *
 * The kernel itself never uses them (it is built with
 * -mgeneral-regs-only), so they belong to user code alone — but every
 * user program does use them (the C compiler moves and zeroes memory with
 * SSE registers), and two processes must never see each other's values.
 * Each user task has a save area; the registers hold the state of one
 * task at a time, the CPU's "owner".  Switching to a user task that is
 * not the owner saves the owner's registers into its area and loads the
 * new task's: kernel threads in between cost nothing.
 */
#ifndef KESTREL_FPU_H
#define KESTREL_FPU_H

#include <kestrel/types.h>

struct task;

/** fpu_init - let user mode use x87 and SSE (CR0, CR4), make the initial
 *  state template.  Once per CPU, before the first user process. */
void fpu_init(void);

/** fpu_switch_to - @next (a user task) is about to run: make its state
 *  the registers'.  Interrupts off (the context switch). */
void fpu_switch_to(struct task *next);

/** fpu_copy - give the new task @child a copy of the current task's
 *  state (fork, clone).  0 or -ENOMEM. */
int fpu_copy(struct task *child);

/** fpu_reset_current - the initial state for a new program (execve).
 *  May allocate the current task's save area. */
void fpu_reset_current(void);

/** fpu_release - @p will never run user code again: free its area, and
 *  forget it as the registers' owner. */
void fpu_release(struct task *p);

/** fpu_sig_save - the current task's x87/SSE state as a 512-byte FXSAVE
 *  image into @buf (signal frames, lab 9). */
void fpu_sig_save(void *buf);

/** fpu_sig_restore - load the FXSAVE image @buf (a copy of user memory;
 *  MXCSR is sanitized) as the current task's state.  0 or -ENOMEM. */
int fpu_sig_restore(const void *buf);

#endif
