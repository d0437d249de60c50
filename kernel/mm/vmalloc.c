/*
 * vmalloc.c — virtually contiguous memory in the vmalloc area.
 *
 * Lab 3 exercise (__vmalloc).  An allocation has three steps, and a free
 * undoes them in reverse:
 *
 *  1. reserve virtual space: get_vm_area() finds the lowest gap in the
 *     vmalloc area that holds the pages plus a guard page on each side
 *     (first fit over the sorted list of areas);
 *  2. take pages one at a time from the page allocator — they need not be
 *     contiguous, which is the point;
 *  3. map each at the next address of the area (pgtable_map on init_pgd).
 *
 *	VMALLOC_START                                             VMALLOC_END
 *	| g | area A (2 pages) | g | g | area B (1) | g |      free ...      |
 *
 * Guard pages are never mapped: an access one byte before or after an
 * area faults, and vmalloc_report_fault() names the area in the oops.
 * Because init_pgd's pgd entry for the whole vmalloc area exists from
 * paging_init() on and is shared by every address space (kestrel/pgtable.h),
 * a mapping made here is visible everywhere at once.
 *
 * Freeing unmaps page by page and flushes each page's TLB entry *before*
 * the page goes back to the allocator: a stale translation to a reused
 * page would let old pointers scribble over its new owner.
 *
 * Locking: vmap_lock (a spinlock, interrupts off) protects the area list;
 * init_pgd_lock protects the page tables while a page is mapped or
 * unmapped.  Neither is held across a page allocation.  The area list is
 * a linear list: fine for the few dozen areas a teaching kernel keeps
 * (Linux uses a red-black tree of free and used ranges).
 */
#include <kestrel/kallsyms.h>
#include <kestrel/mm.h>
#include <kestrel/panic.h>
#include <kestrel/pgtable.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/spinlock.h>
#include <kestrel/vmalloc.h>

static struct list_head vmap_areas = LIST_HEAD_INIT(vmap_areas);
static spinlock_t vmap_lock = SPINLOCK_INIT;

bool is_vmalloc_addr(const void *addr)
{
	unsigned long a = (unsigned long)addr;

	return a >= VMALLOC_START && a < VMALLOC_END;
}

struct vm_struct *get_vm_area(size_t size, unsigned long caller)
{
	unsigned long start = VMALLOC_START, need, flags;
	struct vm_struct *area, *next;

	if (!size || size > VMALLOC_END - VMALLOC_START)
		return NULL;
	size = ALIGN_UP(size, PAGE_SIZE);
	need = size + 2 * PAGE_SIZE; /* a guard page each side */
	area = kmalloc(sizeof(*area), GFP_KERNEL);
	if (!area)
		return NULL;

	flags = spin_lock_irqsave(&vmap_lock);
	/* @start: the lowest free byte; stop at the first gap that fits. */
	list_for_each_entry(next, &vmap_areas, list) {
		if (next->addr - PAGE_SIZE - start >= need)
			break;
		start = next->addr + next->size + PAGE_SIZE;
	}
	if (VMALLOC_END - start < need)
		goto err_unlock;
	area->addr = start + PAGE_SIZE;
	area->size = size;
	area->caller = caller;
	/* Before @next, or at the end when the loop ran off the list. */
	list_add_tail(&area->list, &next->list);
	spin_unlock_irqrestore(&vmap_lock, flags);
	return area;

err_unlock:
	spin_unlock_irqrestore(&vmap_lock, flags);
	kfree(area);
	return NULL;
}

void free_vm_area(struct vm_struct *area)
{
	unsigned long flags = spin_lock_irqsave(&vmap_lock);

	list_del(&area->list);
	spin_unlock_irqrestore(&vmap_lock, flags);
	kfree(area);
}

/* The area whose range, guard pages included when @guards, holds @a. */
static struct vm_struct *area_containing(unsigned long a, bool guards)
{
	unsigned long pad = guards ? PAGE_SIZE : 0;
	struct vm_struct *area;

	list_for_each_entry(area, &vmap_areas, list)
		if (a >= area->addr - pad && a < area->addr + area->size + pad)
			return area;
	return NULL;
}

struct vm_struct *find_vm_area(const void *addr)
{
	unsigned long flags = spin_lock_irqsave(&vmap_lock);
	struct vm_struct *area = area_containing((unsigned long)addr, false);

	spin_unlock_irqrestore(&vmap_lock, flags);
	return area;
}

/* DOC: vfree-flush */
/*
 * Unmap [@start, @end) of the vmalloc area page by page and free the
 * pages; addresses not mapped are skipped (so a half-built area can be
 * undone).  Each page's TLB entry is flushed before the page is freed.
 */
static void unmap_and_free_pages(unsigned long start, unsigned long end)
{
	enum pg_level level;
	unsigned long va, flags;
	phys_addr_t pa;
	pte_t *pte;

	for (va = start; va < end; va += PAGE_SIZE) {
		flags = spin_lock_irqsave(&init_pgd_lock);
		pte = pgtable_lookup(init_pgd, va, &level);
		pa = pte ? entry_phys(*pte) : 0;
		pgtable_unmap(init_pgd, va, PAGE_SIZE);
		spin_unlock_irqrestore(&init_pgd_lock, flags);
		if (pte) {
			flush_tlb_one(va);
			__free_pages(phys_to_page(pa), 0);
		}
	}
}

void *__vmalloc(size_t size, gfp_t gfp, unsigned long caller)
{
#if SOL >= 3
	struct vm_struct *area = get_vm_area(size, caller);
	unsigned long va, flags;
	struct page *page;
	int err;

	if (!area)
		return NULL;
	for (va = area->addr; va < area->addr + area->size; va += PAGE_SIZE) {
		page = alloc_page(gfp);
		if (!page)
			goto err_unmap;
		flags = spin_lock_irqsave(&init_pgd_lock);
		err = pgtable_map(init_pgd, va, page_to_phys(page), PAGE_SIZE,
				  PAGE_KERNEL);
		spin_unlock_irqrestore(&init_pgd_lock, flags);
		if (err) {
			__free_pages(page, 0);
			goto err_unmap;
		}
	}
	return (void *)area->addr;

err_unmap:
	unmap_and_free_pages(area->addr, va);
	free_vm_area(area);
	return NULL;
#else
	/*
	 * LAB 3: reserve an area with get_vm_area(size, caller) (NULL: give
	 * up).  Then for each page of [area->addr, area->addr + area->size):
	 * take a page with alloc_page(gfp) and map it there with
	 * pgtable_map(init_pgd, va, page_to_phys(page), PAGE_SIZE,
	 * PAGE_KERNEL), holding init_pgd_lock (spin_lock_irqsave) around the
	 * pgtable_map call only.  If anything fails, undo what is done —
	 * unmap_and_free_pages() over the pages mapped so far, then
	 * free_vm_area() — and return NULL.  vfree() below is the reverse.
	 */
	return NULL;
#endif
}

void *vmalloc(size_t size)
{
	return __vmalloc(size, GFP_KERNEL,
			 (unsigned long)__builtin_return_address(0));
}

void *vzalloc(size_t size)
{
	return __vmalloc(size, GFP_KERNEL | __GFP_ZERO,
			 (unsigned long)__builtin_return_address(0));
}

void vfree(const void *addr)
{
	struct vm_struct *area;

	if (!addr)
		return;
	area = find_vm_area(addr);
	if (WARN_ON(!area || area->addr != (unsigned long)addr))
		return;
	unmap_and_free_pages(area->addr, area->addr + area->size);
	free_vm_area(area);
}

/* Say where @addr is relative to @area, for the oops. */
static void report_area(const struct vm_struct *area, unsigned long addr)
{
	unsigned long end = area->addr + area->size;
	const char *what = "vmalloc guard page", *where;
	unsigned long n;
	char caller[96];

	if (addr < area->addr) {
		n = area->addr - addr;
		where = "bytes before the start";
	} else if (addr >= end) {
		n = addr - end;
		where = "bytes past the end";
	} else {
		what = "vmalloc area";
		n = addr - area->addr;
		where = "bytes from the start";
	}
	sprint_symbol(caller, sizeof(caller), area->caller);
	pr_emerg("%s: %lu %s of a %zu-byte area allocated by %s\n", what, n,
		 where, area->size, caller);
}

void vmalloc_report_fault(unsigned long addr)
{
	struct vm_struct *area;

	/* The faulting code may hold the lock: do not wait for it. */
	if (!spin_trylock(&vmap_lock)) {
		pr_emerg("vmalloc area: the area list is busy\n");
		return;
	}
	area = area_containing(addr, true);
	if (area)
		report_area(area, addr);
	else
		pr_emerg(
			"vmalloc area: no area here (freed, or never allocated)\n");
	spin_unlock(&vmap_lock);
}

void vmalloc_init(void)
{
	pr_info("vmalloc: area 0x%lx-0x%lx (%lu GiB), a guard page on each side of every allocation\n",
		VMALLOC_START, VMALLOC_END - 1,
		(VMALLOC_END - VMALLOC_START) >> 30);
}
