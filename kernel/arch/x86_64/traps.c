/*
 * traps.c — what happens when the CPU raises an exception.
 *
 * Every vector arrives in do_trap() with the interrupted registers
 * (entry.S).  Page faults go to do_page_fault() (mm/fault.c), which may
 * resume a fault at an exception-table fixup; vectors from 32 up are
 * interrupts, dispatched by do_irq() (irq.c).  Every other CPU exception
 * is a kernel bug:
 * die() prints an oops — the exception's name and error code, all
 * registers, a symbolized backtrace (oops_end(), shared with the page
 * fault oops, which also decodes the error code and shows CR2) — and
 * panics.  The dump format is Linux's, so students can read both.
 */
#include <asm/fault.h>
#include <asm/irq.h>
#include <asm/processor.h>
#include <asm/traps.h>
#include <asm/user_thread.h>
#include <kestrel/panic.h>
#include <kestrel/percpu.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/stacktrace.h>

_Static_assert(sizeof(struct pt_regs) == PT_REGS_SIZE, "entry.S frame size");

/* Names and mnemonics: SDM vol. 3 §6.3.1, table 6-1. */
static const char *const trap_names[NR_EXCEPTIONS] = {
	[X86_TRAP_DE] = "divide error (#DE)",
	[X86_TRAP_DB] = "debug (#DB)",
	[X86_TRAP_NMI] = "non-maskable interrupt (NMI)",
	[X86_TRAP_BP] = "breakpoint (#BP)",
	[X86_TRAP_OF] = "overflow (#OF)",
	[X86_TRAP_BR] = "bound range exceeded (#BR)",
	[X86_TRAP_UD] = "invalid opcode (#UD)",
	[X86_TRAP_NM] = "device not available (#NM)",
	[X86_TRAP_DF] = "double fault (#DF)",
	[9] = "coprocessor segment overrun",
	[X86_TRAP_TS] = "invalid TSS (#TS)",
	[X86_TRAP_NP] = "segment not present (#NP)",
	[X86_TRAP_SS] = "stack-segment fault (#SS)",
	[X86_TRAP_GP] = "general protection (#GP)",
	[X86_TRAP_PF] = "page fault (#PF)",
	[X86_TRAP_MF] = "x87 floating-point error (#MF)",
	[X86_TRAP_AC] = "alignment check (#AC)",
	[X86_TRAP_MC] = "machine check (#MC)",
	[X86_TRAP_XF] = "SIMD floating-point exception (#XM)",
	[X86_TRAP_VE] = "virtualization exception (#VE)",
	[X86_TRAP_CP] = "control protection (#CP)",
};

const char *trap_name(unsigned long vector)
{
	if (vector < NR_EXCEPTIONS && trap_names[vector])
		return trap_names[vector];
	return vector < NR_EXCEPTIONS ? "reserved exception" : "interrupt";
}

void oops_end(const struct pt_regs *regs)
{
	show_regs(regs);
	show_backtrace(instruction_pointer(regs), frame_pointer(regs));
	panic_after_oops("Fatal exception");
}

static __noreturn void die(struct pt_regs *regs)
{
	this_cpu()->in_oops = true;
	pr_emerg("Oops: %s, error 0x%lx\n", trap_name(regs->vector),
		 regs->error_code);
	/* A task that ran off the bottom of its stack faults on the guard
	 * page and then cannot push the page-fault frame: a double fault,
	 * taken on its own IST stack.  Say so (kernel/task/task.c). */
	if (regs->vector == X86_TRAP_DF)
		task_stack_report_fault(regs->rsp);
	oops_end(regs);
}

void do_trap(struct pt_regs *regs)
{
	if (regs->vector == X86_TRAP_PF) {
		/* Read CR2 first: a nested fault would overwrite it. */
		do_page_fault(regs, read_cr2());
		return;
	}
	/* Lab 6: user code's exceptions kill the process, not the kernel
	 * (an NMI, a double fault or a machine check is never its doing). */
	if (regs->vector < NR_EXCEPTIONS && user_mode(regs) &&
	    regs->vector != X86_TRAP_NMI && regs->vector != X86_TRAP_DF &&
	    regs->vector != X86_TRAP_MC) {
		do_user_trap(regs);
		return;
	}
	if (regs->vector < NR_EXCEPTIONS)
		die(regs);
	do_irq(regs);	/* vectors 32–255: interrupts (irq.c) */
}
