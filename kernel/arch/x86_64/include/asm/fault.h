/*
 * asm/fault.h — the page-fault handler and the end of an oops, shared by
 * traps.c (which dispatches every exception) and mm/fault.c (which
 * handles #PF).
 */
#ifndef ASM_FAULT_H
#define ASM_FAULT_H

#include <asm/ptrace.h>
#include <kestrel/compiler.h>

/**
 * do_page_fault - handle a page fault (vector 14).
 * @regs: the faulting context; may be changed to resume at a fixup
 * @cr2: the faulting linear address, read from CR2 before anything else
 *       could fault again
 *
 * Returns when the faulting context may resume; otherwise prints the oops
 * and panics.  Context: the exception handler, interrupts off.
 * Source of the error code bits: Intel SDM vol. 3A §4.7.
 */
void do_page_fault(struct pt_regs *regs, unsigned long cr2);

/**
 * oops_end - the common end of every oops (traps.c): the registers, the
 * symbolized call trace, then "Kernel panic - not syncing: Fatal
 * exception".  The caller has printed the `Oops:` line(s) and set
 * this_cpu()->in_oops.  Never returns.
 */
void oops_end(const struct pt_regs *regs) __noreturn;

#endif
