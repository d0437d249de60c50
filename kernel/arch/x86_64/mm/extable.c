/*
 * extable.c — finding a fault's fixup in the exception table.
 *
 * The table is built by the linker: every ASM_EXTABLE()/ASM_EXTABLE_CALL()
 * in the kernel adds one entry to the __ex_table section, which kernel.ld
 * places in rodata between __ex_table_start and __ex_table_end
 * (asm/extable.h describes the entries and why there are two types).  The
 * entries come in link order, not sorted, so the lookup is a linear scan:
 * the table has a few dozen entries and is only searched when a kernel
 * instruction faults, which is rare and already slow.
 *
 * How a fixup runs.  The trap frame (struct pt_regs) is what iretq
 * restores, so changing regs->rip makes the return from the exception land
 * on the fixup instead of re-executing the faulting instruction:
 *
 *	EX_TYPE_FAULT:  regs->rip == entry->insn       ->  rip = fixup
 *	EX_TYPE_CALL:   fetch fault with rip == CR2,
 *	                [regs->rsp] == entry->insn     ->  rsp += 8 (pop the
 *	                (the pushed return address)        return address),
 *	                                                   rip = fixup
 *
 * The second rule is what lets probe_exec() test whether a page may be
 * executed: the call has completed (the return address is on the stack)
 * and the CPU faulted fetching the first instruction at the target, so
 * RIP and CR2 both hold the target, and the fixup resumes the caller as if
 * the target had returned.  The fixup code then reports -EFAULT.
 */
#include <asm/traps.h>
#include <kestrel/extable.h>

_Static_assert(sizeof(struct exception_table_entry) == 24,
	       "asm/extable.h: .quad insn, fixup, type");

extern const struct exception_table_entry __ex_table_start[], __ex_table_end[];

const struct exception_table_entry *search_exception_tables(unsigned long addr,
							    unsigned long type)
{
	const struct exception_table_entry *e;

	for (e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == addr && e->type == type)
			return e;
	return NULL;
}

/* An instruction fetch that faulted at the very address a call jumped to. */
static bool call_target_fetch_fault(const struct pt_regs *regs,
				    unsigned long cr2)
{
	return regs->vector == X86_TRAP_PF && (regs->error_code & PF_INSTR) &&
	       regs->rip == cr2;
}

/* DOC: fixup-exception */
bool fixup_exception(struct pt_regs *regs, unsigned long cr2)
{
	const struct exception_table_entry *e;
	unsigned long ret;

	e = search_exception_tables(regs->rip, EX_TYPE_FAULT);
	if (e) {
		regs->rip = e->fixup;
		return true;
	}
	if (!call_target_fetch_fault(regs, cr2))
		return false;
	ret = *(const unsigned long *)regs->rsp;
	e = search_exception_tables(ret, EX_TYPE_CALL);
	if (!e)
		return false;
	regs->rsp += sizeof(unsigned long);
	regs->rip = e->fixup;
	return true;
}
