/*
 * user_fault.c — page faults on user addresses: the bridge from the
 * hardware's #PF to the process's address space (labs 6 and 7).
 *
 * Two kinds of fault reach a process's memory:
 *
 *   - from user mode (error code bit U/S = 1): the program touched its
 *     own memory.  Inside a VMA that allows the access it is demand
 *     paging, copy-on-write or stack growth, served by handle_mm_fault()
 *     (kernel/mm/memory.c), and the instruction runs again.  Otherwise the
 *     program is wrong: it gets SIGSEGV (si_code SEGV_MAPERR for no
 *     mapping, SEGV_ACCERR for a mapping that forbids the access; lab 9),
 *     or SIGBUS (BUS_ADRERR) for a page of a file mapping past the end
 *     of the file (lab 8),
 *     which kills it with a line naming pid, address and cause unless it
 *     handles the signal, and the kernel goes on.
 *   - from the kernel, in a uaccess helper (its instruction is in the
 *     exception table) on a user address: copy_to_user writing into a
 *     page the program never touched yet must demand-page it exactly as
 *     the program would have.  If the address space cannot serve it, the
 *     helper's fixup ends the copy and the system call returns -EFAULT.
 *
 * Any other fault on a user address is a kernel bug for pf_triage to
 * report (kernel code touching user memory directly), and so is a uaccess
 * fault in atomic context or under pagefault_disable(): serving it could
 * sleep on the mmap_lock.
 *
 * handle_mm_fault may sleep, so the interrupts the fault switched off
 * (interrupt gate) come back on while it runs — but only if they were on
 * where the fault happened.
 */
#include <asm/irqflags.h>
#include <asm/pgtable.h>
#include <asm/traps.h>
#include <kestrel/extable.h>
#include <kestrel/jiffies.h>
#include <kestrel/mman.h>
#include <kestrel/oom.h>
#include <kestrel/preempt.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/uaccess.h>
#include <uapi/asm-generic/signal.h>
#include "internal.h"

static unsigned int fault_flags(unsigned long err)
{
	unsigned int flags = 0;

	if (err & PF_WRITE)
		flags |= FAULT_FLAG_WRITE;
	if (err & PF_INSTR)
		flags |= FAULT_FLAG_INSTR;
	if (err & PF_USER)
		flags |= FAULT_FLAG_USER;
	if (err & PF_PROT)
		flags |= FAULT_FLAG_PRESENT;
	return flags;
}

/* May the kernel's fault at regs->rip on a user address be served? */
static bool uaccess_may_fault(const struct pt_regs *regs, struct mm *mm)
{
	return mm && search_exception_tables(regs->rip, EX_TYPE_FAULT) &&
	       !pagefault_disabled() && !in_atomic();
}

/* "write to an unmapped address", for the kill line. */
static const char *fault_cause(unsigned long err, unsigned long addr,
			       enum vm_fault_result r)
{
	if (!is_user_address(addr))
		return "user access to a kernel address";
	if (r == VM_FAULT_OOM)
		return "out of memory for the page";
	if (r == VM_FAULT_SIGBUS)
		return "access to a file page past the end of the file";
	if (r == VM_FAULT_MAPERR)
		return (err & PF_INSTR) ? "execute at an unmapped address" :
		       (err & PF_WRITE) ? "write to an unmapped address" :
					  "read from an unmapped address";
	return (err & PF_INSTR) ? "execute in a mapping that forbids it" :
	       (err & PF_WRITE) ? "write to a mapping that forbids it" :
				  "read from a mapping that forbids it";
}

/*
 * handle_mm_fault, and when it finds no memory for a user fault, the OOM
 * killer: if it killed us, return as if served (we die on the way out);
 * if it killed another process, give it a moment to exit and try again.
 */
static enum vm_fault_result serve_fault(struct mm *mm, unsigned long addr,
					unsigned int flags, bool user)
{
	enum vm_fault_result r = handle_mm_fault(mm, addr, flags);
	int tries;

	for (tries = 0; r == VM_FAULT_OOM && user && tries < 10; tries++) {
		if (!out_of_memory())
			break;
		if (signal_pending(current))
			return VM_FAULT_OK;
		schedule_timeout_uninterruptible(HZ / 20 + 1);
		r = handle_mm_fault(mm, addr, flags);
	}
	return r;
}

bool do_user_addr_fault(struct pt_regs *regs, unsigned long cr2)
{
	struct mm *mm = current ? current->mm : NULL;
	bool user = user_mode(regs);
	enum vm_fault_result r;

	if (regs->error_code & PF_RSVD)
		return false;		/* corrupt tables: pf_triage's oops */
	if (!user && (!is_user_address(cr2) || !uaccess_may_fault(regs, mm)))
		return false;
	if (user && (!mm || !is_user_address(cr2))) {
		r = VM_FAULT_ACCERR;	/* a user access to a kernel address */
	} else {
		if (regs->rflags & X86_RFLAGS_IF)
			local_irq_enable();
		r = serve_fault(mm, cr2, fault_flags(regs->error_code), user);
		local_irq_disable();
	}
	if (r == VM_FAULT_OK)
		return true;
	if (!user)
		return false;		/* the helper's fixup: -EFAULT */
	local_irq_enable();
	if (r == VM_FAULT_SIGBUS)
		user_fault_kill(regs, SIGBUS, BUS_ADRERR, cr2,
				fault_cause(regs->error_code, cr2, r));
	else
		user_fault_kill(regs, r == VM_FAULT_OOM ? SIGKILL : SIGSEGV,
				r == VM_FAULT_MAPERR ? SEGV_MAPERR : SEGV_ACCERR,
				cr2, fault_cause(regs->error_code, cr2, r));
	local_irq_disable();
	return true;
}
