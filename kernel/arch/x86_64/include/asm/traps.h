/*
 * asm/traps.h — exception vectors and the trap dispatcher.
 * Vector numbers: Intel SDM vol. 3 §6.3.1, table 6-1.
 */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <asm/ptrace.h>

#define X86_TRAP_DE	0	/* divide error */
#define X86_TRAP_DB	1	/* debug */
#define X86_TRAP_NMI	2	/* non-maskable interrupt */
#define X86_TRAP_BP	3	/* breakpoint (int3) */
#define X86_TRAP_OF	4	/* overflow */
#define X86_TRAP_BR	5	/* bound range exceeded */
#define X86_TRAP_UD	6	/* invalid opcode */
#define X86_TRAP_NM	7	/* device not available */
#define X86_TRAP_DF	8	/* double fault */
#define X86_TRAP_TS	10	/* invalid TSS */
#define X86_TRAP_NP	11	/* segment not present */
#define X86_TRAP_SS	12	/* stack-segment fault */
#define X86_TRAP_GP	13	/* general protection */
#define X86_TRAP_PF	14	/* page fault */
#define X86_TRAP_MF	16	/* x87 floating-point error */
#define X86_TRAP_AC	17	/* alignment check */
#define X86_TRAP_MC	18	/* machine check */
#define X86_TRAP_XF	19	/* SIMD floating-point */
#define X86_TRAP_VE	20	/* virtualization exception */
#define X86_TRAP_CP	21	/* control protection */
#define NR_EXCEPTIONS	32

/* Page-fault error code bits, SDM vol. 3 §4.7, figure 4-12. */
#define PF_PROT		(1 << 0)	/* 0: not present, 1: protection */
#define PF_WRITE	(1 << 1)
#define PF_USER		(1 << 2)
#define PF_RSVD		(1 << 3)
#define PF_INSTR	(1 << 4)
#define PF_PK		(1 << 5)
#define PF_SS		(1 << 6)

/**
 * do_trap - the C side of every exception and interrupt (entry.S).
 * Runs with interrupts off on the interrupted context's stack (or an IST
 * stack).  An exception the kernel does not handle is an oops: the dump is
 * printed and the system stops.
 */
void do_trap(struct pt_regs *regs);

/** trap_name - the exception's mnemonic and name, e.g. "page fault (#PF)". */
const char *trap_name(unsigned long vector);

#endif
