/*
 * asm/extable.h — the exception table: "if this instruction faults,
 * continue over there".
 *
 * Some kernel instructions are allowed to fault: the loads and stores of
 * copy_from_user() and friends (lab 6), which touch addresses user space
 * chose, and the probes (probe_read_u8() …, kestrel/extable.h) tests use to
 * poke at memory that may be unmapped.  Each such instruction is listed in
 * the __ex_table section (kernel.ld gathers it into rodata between
 * __ex_table_start and __ex_table_end) with the address where execution
 * resumes — the "fixup", a few instructions that return -EFAULT.  The page
 * fault handler looks the faulting RIP up; an instruction that is not
 * listed is a kernel bug and oopses.
 *
 * An entry is three 64-bit words:
 *
 *	insn   the instruction that may fault (EX_TYPE_FAULT), or the return
 *	       address of an indirect call whose *target* may not be
 *	       executable (EX_TYPE_CALL, see below)
 *	fixup  where execution continues after the fault
 *	type   EX_TYPE_FAULT or EX_TYPE_CALL
 *
 * EX_TYPE_CALL exists because of probe_exec(): when a call jumps to a page
 * that may not be executed, the fault happens at the *target* — RIP and CR2
 * are both the target address, which is data, not an instruction the table
 * could list.  What identifies the probe is its return address, which the
 * call has already pushed: it sits at the top of the stack when the fetch
 * faults.  So such an entry is keyed by the return address, and the fixup
 * pops it before resuming, as if the target had returned.
 *
 * Use ASM_EXTABLE(from, to) in .S files and inside inline asm strings;
 * ASM_EXTABLE_CALL(ret, to) for the call form.  Labels are the usual
 * numeric ones (1b, 2f).
 */
#ifndef ASM_EXTABLE_H
#define ASM_EXTABLE_H

#define EX_TYPE_FAULT	0	/* insn itself may fault */
#define EX_TYPE_CALL	1	/* insn is a return address (see above) */

#define __EX_STR(x)	#x
#define EX_STR(x)	__EX_STR(x)

#ifdef __ASSEMBLY__
#define _ASM_EXTABLE_TYPE(from, to, type)				\
	.pushsection __ex_table, "a" ;					\
	.balign 8 ;							\
	.quad (from), (to), (type) ;					\
	.popsection
#else
#define _ASM_EXTABLE_TYPE(from, to, type)				\
	".pushsection __ex_table, \"a\"\n\t"				\
	".balign 8\n\t"							\
	".quad (" #from "), (" #to "), " EX_STR(type) "\n\t"		\
	".popsection\n\t"
#endif

#define ASM_EXTABLE(from, to) \
	_ASM_EXTABLE_TYPE(from, to, EX_TYPE_FAULT)
#define ASM_EXTABLE_CALL(ret, to) \
	_ASM_EXTABLE_TYPE(ret, to, EX_TYPE_CALL)

#ifndef __ASSEMBLY__
#include <asm/ptrace.h>

struct exception_table_entry {
	unsigned long insn;	/* the instruction, or a return address */
	unsigned long fixup;	/* where execution resumes */
	unsigned long type;	/* EX_TYPE_FAULT or EX_TYPE_CALL */
};

/**
 * fixup_exception - resume a kernel fault at its fixup, if it has one.
 * @regs: the faulting context (kernel mode); RIP (and for EX_TYPE_CALL,
 *        RSP) are changed so that the return from the trap lands on the fixup
 * @cr2: the faulting address of a page fault, or 0 for other exceptions
 *
 * Returns true when an entry matched: the faulting RIP (EX_TYPE_FAULT), or,
 * for an instruction fetch that faulted at the very address a call jumped
 * to (RIP == CR2), the return address on top of the stack (EX_TYPE_CALL).
 * Context: the exception handler, interrupts off; takes no locks.
 */
bool fixup_exception(struct pt_regs *regs, unsigned long cr2);
#endif

#endif
