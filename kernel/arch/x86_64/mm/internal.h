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

#endif
