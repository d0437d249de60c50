/*
 * asm/entry.h — constants shared by entry.S and C: where the syscall entry
 * finds its per-CPU slots, and how a system-call frame is marked.
 *
 * entry.S runs before any C and cannot use offsetof(), so the offsets of
 * the two struct percpu fields it touches are written here as numbers and
 * checked against the structure by static_asserts in syscall.c: a field
 * moved in kestrel/percpu.h breaks the build, not the kernel.
 *
 * A system call saves the same struct pt_regs as an interrupt (asm/
 * ptrace.h), with two fields used differently:
 *	vector      VECTOR_SYSCALL — not a hardware vector (those are 0–255)
 *	error_code  the system call number as user space passed it in RAX
 *	            (Linux's orig_ax: RAX itself becomes the return value)
 */
#ifndef ASM_ENTRY_H
#define ASM_ENTRY_H

#define PERCPU_ENTRY_STACK_TOP	16	/* offsetof(struct percpu, entry_stack_top) */
#define PERCPU_USER_RSP		24	/* offsetof(struct percpu, user_rsp_scratch) */

#define VECTOR_SYSCALL		0x100

/* RFLAGS bits the entry code tests or clears (SDM vol. 1 §3.4.3). */
#define X86_RFLAGS_TF		0x00000100	/* trap (single-step) */
#define X86_RFLAGS_IF_BIT	0x00000200	/* interrupts enabled */
#define X86_RFLAGS_DF		0x00000400	/* string direction */
#define X86_RFLAGS_IOPL		0x00003000
#define X86_RFLAGS_NT		0x00004000	/* nested task */
#define X86_RFLAGS_RF		0x00010000	/* resume */
#define X86_RFLAGS_AC		0x00040000	/* alignment check / SMAP override */
#define X86_RFLAGS_FIXED	0x00000002	/* bit 1 always reads 1 */

/* Offsets into struct pt_regs (asm/ptrace.h), bytes. */
#define PTREGS_R11	(6 * 8)
#define PTREGS_RCX	(11 * 8)
#define PTREGS_VECTOR	(15 * 8)
#define PTREGS_RIP	(17 * 8)
#define PTREGS_CS	(18 * 8)
#define PTREGS_RFLAGS	(19 * 8)
#define PTREGS_RSP	(20 * 8)
#define PTREGS_SS	(21 * 8)

#endif
