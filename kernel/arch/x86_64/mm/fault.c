/*
 * fault.c — page faults: decide what a fault means, then fix it up or
 * report it.
 *
 * The CPU raises #PF (vector 14) when a translation fails: the page is not
 * present, or present but the access is not allowed (a write to a
 * read-only page, a fetch from an NX page, a kernel access to a user page
 * under SMEP/SMAP), or an entry has reserved bits set.  It saves CR2 = the
 * linear address and pushes an error code (Intel SDM vol. 3A §4.7, figure
 * 4-12):
 *
 *	bit 0 P     0: the page was not present   1: protection violation
 *	bit 1 W/R   the access was a write
 *	bit 2 U/S   the access came from user mode (CPL 3)
 *	bit 3 RSVD  a reserved bit was set in some entry
 *	bit 4 I/D   the access was an instruction fetch
 *	bit 5 PK    protection keys;  bit 6 SS  shadow stack
 *
 * traps.c hands every #PF to do_page_fault() with CR2 already read.
 * pf_triage() (lab 3) decides what it is:
 *
 *	a fault from user mode           lab 7 (demand paging, SIGSEGV); an
 *	                                 oops until then
 *	reserved bits set                corrupt page tables: an oops, even
 *	                                 inside a probe
 *	a listed kernel instruction      resume at its fixup (extable.c)
 *	a kernel access to a user        a bug: user memory is touched only
 *	address                          through copy_*_user (lab 6)
 *	any other kernel fault           a bug: an unmapped or protected
 *	                                 kernel address
 *
 * Every verdict but the fixup ends in an oops in the format traps.c uses
 * for all exceptions — the same lines, in the same order, so lab 1's
 * grader and a student who knows Linux read it alike — with one or two
 * lines of triage after CR2 (they start in lower case, so no one mistakes
 * them for registers):
 *
 *	Oops: page fault (#PF), error 0x2: supervisor write to a not-present page
 *	CR2: ffffc90000003008
 *	triage: kernel access to an unmapped kernel address, in the vmalloc area
 *	vmalloc guard page: 8 bytes past the end of a 8192-byte area allocated by …
 *	RIP: …  (registers, Call Trace:, Kernel panic - not syncing: Fatal exception)
 */
#include <asm/fault.h>
#include <asm/pgtable.h>
#include <asm/traps.h>
#include <kestrel/extable.h>
#include <kestrel/percpu.h>
#include <kestrel/printk.h>
#include <kestrel/vmalloc.h>
#include "internal.h"

enum pf_verdict {
	PF_UNTRIAGED,	     /* no decision made: a bare oops */
	PF_FIXED_UP,	     /* resumed at an exception-table fixup */
	PF_USER_MODE,	     /* user code faulted (nothing handles it yet) */
	PF_RESERVED_BIT,     /* an entry has reserved bits: corrupt tables */
	PF_KERNEL_USER_ADDR, /* kernel touched user memory directly */
	PF_KERNEL_BAD_ADDR,  /* kernel touched an unmapped/protected address */
};

static const char *const verdict_text[] = {
	[PF_USER_MODE] =
		"a user-mode fault, and nothing handles those before lab 7",
	[PF_RESERVED_BIT] =
		"reserved bits set in a page-table entry: the tables are corrupt",
	[PF_KERNEL_USER_ADDR] =
		"kernel access to a user address outside the uaccess helpers (copy_*_user)",
};

/* DOC: pf-triage */
/* Decide what the fault is; may change @regs to resume at a fixup. */
static enum pf_verdict pf_triage(struct pt_regs *regs, unsigned long cr2)
{
#if SOL >= 3
	if (user_mode(regs))
		return PF_USER_MODE;
	/* Before the fixup: a probe must not hide corrupt tables. */
	if (regs->error_code & PF_RSVD)
		return PF_RESERVED_BIT;
	if (fixup_exception(regs, cr2))
		return PF_FIXED_UP;
	if (is_user_address(cr2))
		return PF_KERNEL_USER_ADDR;
	return PF_KERNEL_BAD_ADDR;
#else
	/*
	 * LAB 3: classify the fault with the table at the top of this
	 * file, in that order: user_mode(regs); the PF_RSVD bit of
	 * regs->error_code; fixup_exception(regs, cr2), which resumes a
	 * listed instruction at its fixup (return PF_FIXED_UP then); then
	 * is_user_address(cr2) tells a stray user access from a bad kernel
	 * address.  Returning PF_UNTRIAGED prints the oops without triage.
	 */
	return PF_UNTRIAGED;
#endif
}

/* "supervisor write to a not-present page", from the #PF error code. */
static void print_pf_cause(unsigned long err, unsigned long cr2)
{
	const char *who = (err & PF_USER) ? "user" : "supervisor";
	const char *what = (err & PF_INSTR) ? "instruction fetch from" :
			   (err & PF_WRITE) ? "write to" :
					      "read from";
	const char *page =
		(err & PF_RSVD) ? "a page with reserved bits set" :
		(err & PF_PROT) ? "a present page (protection violation)" :
				  "a not-present page";

	pr_emerg("Oops: %s, error 0x%lx: %s %s %s\n", trap_name(X86_TRAP_PF),
		 err, who, what, page);
	pr_emerg("CR2: %016lx\n", cr2);
}

/* Which part of the kernel half (docs/virtual-memory.md) holds @va. */
static const char *kernel_region(unsigned long va)
{
	unsigned long image = (unsigned long)_text;

	if (va >= PAGE_OFFSET && va - PAGE_OFFSET < direct_map_size)
		return "in the direct map";
	if (va >= PAGE_OFFSET && va < VMALLOC_START)
		return "past the end of the direct map";
	if (va >= VMALLOC_START && va < VMALLOC_END)
		return "in the vmalloc area";
	if (va >= image && va < (unsigned long)_etext)
		return "in the kernel's text";
	if (va >= (unsigned long)_rodata && va < (unsigned long)_data)
		return "in the kernel's read-only data";
	if (va >= (unsigned long)_data && va < (unsigned long)_end)
		return "in the kernel's data or bss";
	if (va >= KERNEL_VMA && va < image + PUD_SIZE)
		return "just outside the kernel image";
	return "where nothing is ever mapped";
}

static void print_verdict(enum pf_verdict v, unsigned long err,
			  unsigned long cr2)
{
	if (v != PF_KERNEL_BAD_ADDR) {
		pr_emerg("triage: %s\n", verdict_text[v]);
		return;
	}
	pr_emerg("triage: kernel access to %s kernel address, %s\n",
		 (err & PF_PROT) ? "a protected" : "an unmapped",
		 kernel_region(cr2));
	if (cr2 >= VMALLOC_START && cr2 < VMALLOC_END)
		vmalloc_report_fault(cr2);
}

static __noreturn void page_fault_oops(struct pt_regs *regs, unsigned long cr2,
				       enum pf_verdict v)
{
	this_cpu()->in_oops = true;
	print_pf_cause(regs->error_code, cr2);
	if (v != PF_UNTRIAGED)
		print_verdict(v, regs->error_code, cr2);
	oops_end(regs);
}

void do_page_fault(struct pt_regs *regs, unsigned long cr2)
{
	enum pf_verdict v;

	/* Labs 6 and 7: a fault from user mode, or from a uaccess helper on
	 * a user address, is the process's first (user_fault.c): demand
	 * paging, copy-on-write, or its death.  What it leaves is triaged. */
	if (do_user_addr_fault(regs, cr2))
		return;
	v = pf_triage(regs, cr2);

	if (v == PF_FIXED_UP)
		return;
	page_fault_oops(regs, cr2, v);
}
