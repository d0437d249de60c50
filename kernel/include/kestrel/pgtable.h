/*
 * kestrel/pgtable.h — page tables: the kernel's, and the interface every
 * address space uses to map, unmap and walk.
 *
 * A set of page tables is named by its top-level table, a pgd_t * in the
 * direct map.  The kernel's is init_pgd: paging_init() builds it at boot
 * (the direct map of physical memory, the kernel image with W^X
 * permissions, the vmalloc area's top-level slot) and switches CR3 to it.
 * Process page tables (lab 6) come from pgd_alloc(): a fresh user half and
 * a copy of init_pgd's kernel-half entries.  Those entries point to the
 * same lower tables, so everything mapped under them later — vmalloc areas
 * above all — is seen by every process at once.  The rule that makes this
 * work: the kernel half's top-level entries are all created by
 * paging_init() and never change afterwards (docs/virtual-memory.md).
 *
 * Mapping works in 4 KiB pages (pgtable_map); the direct map alone uses
 * 2 MiB and 1 GiB pages, built by paging_init().  The arch defines the
 * entry format, the protections (PAGE_KERNEL, PAGE_KERNEL_RO, …) and the
 * memory map constants: asm/pgtable.h.  TLB flushing: asm/tlbflush.h.
 *
 * Locking: page-table updates are not atomic sequences, so one set of
 * tables is changed by one CPU at a time: init_pgd under init_pgd_lock, a
 * process's under its mm's lock (lab 6).  Walking without the lock is safe
 * only for tables nobody changes (the oops path, the tests).  Unmapping
 * never flushes the TLB: the caller does, once for a whole range, and must
 * do so before it frees or reuses the pages that were mapped.
 */
#ifndef KESTREL_PGTABLE_H
#define KESTREL_PGTABLE_H

#include <asm/pgtable.h>
#include <asm/tlbflush.h>
#include <kestrel/errno.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>

/* The kernel's page tables (boot_pml4 until paging_init switches). */
extern pgd_t *init_pgd;
extern spinlock_t init_pgd_lock;

/**
 * paging_init - build the kernel's page tables and switch to them: the
 * direct map of all RAM (and the ACPI and reserved ranges below its top)
 * at PAGE_OFFSET with the largest pages that fit, the kernel image at
 * KERNEL_VMA with text r-x, rodata r--, data and bss rw-, nothing else —
 * the boot identity map is gone afterwards.  Turns on NX, WP, SMEP and
 * SMAP (those the CPU has).  Call once on the boot CPU after mm_init(),
 * before anything uses vmalloc.  If the tables cannot be built it says so
 * and keeps the boot page tables.
 */
void paging_init(void);

/** kernel_page_tables_active - true once paging_init() switched CR3. */
bool kernel_page_tables_active(void);

/**
 * pgtable_walk - find, or create, the entry that maps @va at @level.
 * @pgd: the top-level table
 * @va: a virtual address (any alignment)
 * @level: PG_LEVEL_4K (a pte), PG_LEVEL_2M (a pmd) or PG_LEVEL_1G (a pud)
 * @alloc: allocate missing tables on the way down (zeroed, with
 *         permissive entries: the leaf decides; asm/pgtable.h)
 *
 * Returns a pointer to the entry (present or not) inside its table, or
 * NULL when a table on the way is missing and @alloc is false, when
 * allocating one failed, or when a larger page already maps @va (a pud or
 * pmd leaf above @level).  May allocate pages; caller holds the tables' lock.
 */
pte_t *pgtable_walk(pgd_t *pgd, unsigned long va, enum pg_level level,
		    bool alloc);

/**
 * pgtable_map - map [@va, @va + @size) to [@pa, @pa + @size) with 4 KiB pages.
 * @prot: the leaf's flags (PAGE_KERNEL, PAGE_USER_RX, …; present is implied)
 *
 * All three must be page-aligned (else -EINVAL).  Returns 0, -ENOMEM when
 * a page table could not be allocated, or -EEXIST when a page of the range
 * is already mapped; on an error nothing of the range stays mapped.  No
 * TLB flush is needed for entries that were not present.  Caller holds
 * the tables' lock.
 */
int pgtable_map(pgd_t *pgd, unsigned long va, phys_addr_t pa, size_t size,
		pgprot_t prot);

/**
 * pgtable_unmap - clear the 4 KiB entries of [@va, @va + @size) (page
 * aligned); pages that are not mapped are skipped, page tables are kept.
 * Does not flush the TLB and does not free the pages that were mapped.
 * Caller holds the tables' lock.
 */
void pgtable_unmap(pgd_t *pgd, unsigned long va, size_t size);

/**
 * pgtable_lookup - the present leaf entry that maps @va, at any level.
 * Sets *@level to its level (PG_LEVEL_4K, _2M or _1G).  Returns NULL when
 * @va is not mapped.  Never allocates.
 */
pte_t *pgtable_lookup(pgd_t *pgd, unsigned long va, enum pg_level *level);

/**
 * pgtable_for_each_leaf - call @fn for every present leaf under @pgd, in
 * address order.  @fn gets the virtual address and size (bytes) the leaf
 * maps, the leaf entry, and its *effective* protection: writable and user
 * only if every level allows it, no-execute if any level forbids it
 * (SDM vol. 3A §4.6).  A nonzero return from @fn stops the walk and is
 * returned.  Caller keeps the tables from changing.
 */
int pgtable_for_each_leaf(pgd_t *pgd,
			  int (*fn)(unsigned long va, unsigned long size,
				    u64 leaf, pgprot_t eff, void *arg),
			  void *arg);

/**
 * pgtable_dump - print the mappings under @pgd, one line per run of
 * virtually contiguous leaves with equal permissions and page size:
 *	ptdump: ffffffff80101000-ffffffff80112000      68K r-x kernel 4K
 * Booting with `vmm.ptdump` prints the kernel's after paging_init.
 */
void pgtable_dump(pgd_t *pgd);

/**
 * pgd_alloc - a new top-level table for an address space: an empty user
 * half and the kernel half of init_pgd.  NULL when out of memory.
 * pgd_free - free @pgd and the user-half page tables under it (not the
 * pages they map: those belong to the address space's owner).
 */
pgd_t *pgd_alloc(void);
void pgd_free(pgd_t *pgd);

#endif
