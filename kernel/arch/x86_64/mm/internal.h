/*
 * internal.h — what the files of arch/x86_64/mm/ share and nobody else needs.
 */
#ifndef ARCH_X86_64_MM_INTERNAL_H
#define ARCH_X86_64_MM_INTERNAL_H

#include <asm/pgtable.h>

/* The linker's section boundaries (kernel.ld). */
extern char _text[], _etext[], _rodata[], _erodata[], _data[], _end[];

/* Bytes of physical memory mapped at PAGE_OFFSET (0 before paging_init). */
extern phys_addr_t direct_map_size;

/* pgtable.c: free @pgd and every table under it, both halves (a set of
 * tables that was never shared: paging_init's, when building it failed). */
void pgtable_free_all(pgd_t *pgd);

/*
 * user_fault.c (labs 6 and 7): serve a page fault on a user address —
 * from user mode, or from a uaccess helper — through the process's
 * address space.  True when it is dealt with (the access can be retried,
 * or the process is being killed); false leaves it to pf_triage (kernel
 * bugs, and uaccess faults that end at their fixup with -EFAULT).
 */
struct pt_regs;
bool do_user_addr_fault(struct pt_regs *regs, unsigned long cr2);

#endif
