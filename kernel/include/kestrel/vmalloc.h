/*
 * kestrel/vmalloc.h — virtually contiguous kernel memory.
 *
 * kmalloc() returns physically contiguous memory from the direct map, which
 * gets hard to find in large sizes once memory is fragmented.  vmalloc()
 * instead takes single pages from wherever the page allocator has them and
 * maps them side by side in the vmalloc area (VMALLOC_START … VMALLOC_END,
 * asm/pgtable.h; docs/virtual-memory.md), with an unmapped guard page on
 * each side of every area: running off either end faults at once, and the
 * oops names the area ("vmalloc guard page: 8 bytes past the end of a
 * 8192-byte area allocated by …").  The cost: one page-table entry per page
 * and a TLB entry per page instead of the direct map's large pages.
 *
 * Areas are struct vm_struct, kept in a list sorted by address under
 * vmap_lock; the virtual range of an area is
 *
 *	addr - PAGE_SIZE      addr                 addr + size     + PAGE_SIZE
 *	| guard (unmapped) | mapped pages ...    | guard (unmapped) |
 *
 * Lab 4's ioremap() and lab 5's thread stacks reserve areas the same way
 * (get_vm_area) and map what they need into them.
 */
#ifndef KESTREL_VMALLOC_H
#define KESTREL_VMALLOC_H

#include <kestrel/gfp.h>
#include <kestrel/list.h>
#include <kestrel/types.h>

/* Key: (V) vmap_lock; (O) set by get_vm_area, then read-only. */
struct vm_struct {
	struct list_head list;	/* V: on vmap_areas, sorted by addr */
	unsigned long addr;	/* O: first usable byte, after the guard */
	size_t size;		/* O: bytes between the guards, whole pages */
	unsigned long caller;	/* O: return address of the allocating call */
};

/**
 * vmalloc - allocate @size bytes (rounded up to whole pages) of virtually
 * contiguous memory, readable and writable, never executable.  Returns
 * the address (page-aligned) or NULL: @size is 0, or memory or virtual
 * space ran out.  May allocate page tables.  Context: process context
 * (no locks held that an allocation could need).
 * vzalloc - the same, zero-filled.
 */
void *vmalloc(size_t size);
void *vzalloc(size_t size);

/**
 * __vmalloc - vmalloc with the page allocator's @gfp flags (__GFP_ZERO
 * for vzalloc) and the @caller to record for reports.
 */
void *__vmalloc(size_t size, gfp_t gfp, unsigned long caller);

/**
 * vfree - free an area from vmalloc()/vzalloc(); NULL is ignored.  The
 * pages are unmapped (and the TLB flushed) before they go back to the
 * page allocator.  An address that does not start an area is a bug:
 * warned about and ignored.
 */
void vfree(const void *addr);

/**
 * get_vm_area - reserve virtual space for @size bytes (rounded up to pages)
 * plus a guard page on each side; nothing is mapped.  @caller is recorded
 * for reports (use __builtin_return_address(0)).  Returns the area or NULL.
 * free_vm_area - give the virtual space back; the caller has unmapped it
 * and flushed the TLB.
 */
struct vm_struct *get_vm_area(size_t size, unsigned long caller);
void free_vm_area(struct vm_struct *area);

/** find_vm_area - the area whose usable range contains @addr, or NULL. */
struct vm_struct *find_vm_area(const void *addr);

/** is_vmalloc_addr - whether @addr lies in the vmalloc area at all. */
bool is_vmalloc_addr(const void *addr);

/**
 * vmalloc_report_fault - for the page-fault oops: print which area the
 * vmalloc-area address @addr belongs to ("vmalloc guard page: …" when it
 * is a guard page).  Context: the oops path; only tries the lock.
 */
void vmalloc_report_fault(unsigned long addr);

/** vmalloc_init - announce the vmalloc area; call after paging_init(). */
void vmalloc_init(void);

#endif
