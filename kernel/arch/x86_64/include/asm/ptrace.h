/*
 * asm/ptrace.h — the registers saved on kernel entry.
 *
 * entry.S builds this frame on the kernel stack for every exception and
 * interrupt.  The order of the general registers is Linux's struct pt_regs
 * (r15 at the lowest address … ss at the highest), so that the frame can
 * later be copied straight into signal frames and ptrace's user_regs_struct.
 * Kestrel adds `vector` between the saved registers and the error code.
 *
 *	low   r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax rcx rdx rsi rdi
 *	      vector  error_code   <- pushed by the stub (0 if the CPU pushes none)
 *	high  rip cs rflags rsp ss <- pushed by the CPU (SDM vol. 3 §6.14.1)
 */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#ifndef __ASSEMBLY__
#include <kestrel/types.h>

struct pt_regs {
	unsigned long r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	unsigned long rax, rcx, rdx, rsi, rdi;
	unsigned long vector;		/* exception or interrupt vector */
	unsigned long error_code;	/* the CPU's error code, or 0 */
	unsigned long rip, cs, rflags, rsp, ss;
};

static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->cs & 3) != 0;
}

static inline unsigned long instruction_pointer(const struct pt_regs *regs)
{
	return regs->rip;
}

static inline unsigned long user_stack_pointer(const struct pt_regs *regs)
{
	return regs->rsp;
}

static inline unsigned long frame_pointer(const struct pt_regs *regs)
{
	return regs->rbp;
}
#endif

#define PT_REGS_SIZE	(22 * 8)	/* bytes; checked by a static_assert in traps.c */

#endif
