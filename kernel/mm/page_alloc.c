/*
 * page_alloc.c — alloc_pages and __free_pages: the page allocator's
 * public face over the buddy algorithm of buddy.c.
 *
 * What: physical memory is split into zones by address (internal.h):
 * ZONE_DMA32 below 4 GiB, ZONE_NORMAL above.  An allocation walks its
 * zone list — ZONE_NORMAL then ZONE_DMA32, or ZONE_DMA32 alone with
 * __GFP_DMA32, so memory devices need stays free as long as possible —
 * and takes the first block the buddy allocator finds, under that zone's
 * lock.  This file owns the checks that keep the free lists sane whatever
 * callers do: a block freed twice, a reserved page, a slab page, an order
 * above MAX_ORDER or a pointer that is not a struct page is reported with
 * a backtrace ("BUG: page allocator: ...") and refused.
 *
 * Reference counts: alloc_pages sets the first page's count to 1;
 * get_page adds one; __free_pages drops one and frees the block only
 * when that was the last (Linux's rule, which later labs need for shared
 * pages).  Only the first page of a block is counted; split_page makes
 * each page of a block its own order-0 block.
 *
 * Counters: each zone counts its free pages and its free blocks per
 * order (struct free_area); nr_free_pages, nr_free_blocks and
 * totalram_pages add them up without locks (a snapshot is all a reader
 * such as /proc/meminfo needs).
 *
 * Locking: zone->lock with interrupts off around every free-list change;
 * the slab allocator calls in here with its cache lock held (internal.h
 * has the order).  Never sleeps.
 */
#include <kestrel/kallsyms.h>
#include <kestrel/memblock.h>
#include <kestrel/printk.h>
#include <kestrel/sprintf.h>
#include <kestrel/stacktrace.h>
#include <kestrel/string.h>
#include "internal.h"

struct page *mem_map;
unsigned long max_pfn;
struct zone zones[MAX_NR_ZONES];
unsigned long page_alloc_bad_count;

/* --- reports ------------------------------------------------------------ */

/* Print the call chain that led to our caller (its frame first). */
__noinline void mm_dump_stack(void)
{
	const unsigned long *frame = __builtin_frame_address(0);

	show_backtrace(frame[1], frame[0]);
}

/*
 * "name+0xoff/0xsize" for a return address.  The address follows the
 * call, so it is looked up one byte earlier, as backtraces do, in case the
 * call was the last instruction of its function.
 */
int mm_sprint_caller(char *buf, size_t size, unsigned long caller)
{
	unsigned long off = 0, len = 0;
	const char *name = NULL;

	if (caller)
		name = kallsyms_lookup(caller - 1, &off, &len);
	if (!name)
		return snprintf(buf, size, "0x%016lx", caller);
	return snprintf(buf, size, "%s+0x%lx/0x%lx", name, off + 1, len);
}

static bool page_in_mem_map(const struct page *page)
{
	unsigned long off = (unsigned long)page - (unsigned long)mem_map;

	return mem_map && page >= mem_map && page < mem_map + max_pfn &&
	       off % sizeof(struct page) == 0;
}

static void bad_page(const struct page *page, unsigned int order,
		     const char *why, unsigned long caller)
{
	char who[96];

	page_alloc_bad_count++;
	mm_sprint_caller(who, sizeof(who), caller);
	if (page_in_mem_map(page))
		pr_err("BUG: page allocator: pfn 0x%lx order %u: %s\n"
		       "  flags 0x%lx refcount %d, caller: %s\n",
		       page_to_pfn(page), order, why, page->flags,
		       page_ref_count(page), who);
	else
		pr_err("BUG: page allocator: %p order %u: %s\n  caller: %s\n",
		       page, order, why, who);
	mm_dump_stack();
}

/* --- zones -------------------------------------------------------------- */

/** zones_init - span the zones over mem_map's pfns [0, @end_pfn). */
void zones_init(unsigned long end_pfn)
{
	buddy_zone_init(&zones[ZONE_DMA32], "DMA32", mem_map, 0,
			MIN(end_pfn, DMA32_END_PFN));
	buddy_zone_init(&zones[ZONE_NORMAL], "Normal", mem_map, DMA32_END_PFN,
			end_pfn);
}

static struct zone *pfn_zone(unsigned long pfn)
{
	return &zones[pfn < DMA32_END_PFN ? ZONE_DMA32 : ZONE_NORMAL];
}

/**
 * page_alloc_release_free_memory - give every whole free page memblock
 * knows of to its zone's free lists.  Boot only, after zones_init.
 * Returns the pages that reached the free lists.
 */
unsigned long page_alloc_release_free_memory(void)
{
	phys_addr_t cursor = 0, start, end;
	unsigned long total = 0;

	while (memblock_next_free_range(&cursor, &start, &end)) {
		unsigned long spfn = ALIGN_UP(start, PAGE_SIZE) >> PAGE_SHIFT;
		unsigned long epfn = MIN(end >> PAGE_SHIFT, max_pfn);
		int t;

		for (t = 0; t < MAX_NR_ZONES && spfn < epfn; t++) {
			struct zone *z = &zones[t];
			unsigned long flags = spin_lock_irqsave(&z->lock);

			total += buddy_release_range(z, spfn, epfn);
			spin_unlock_irqrestore(&z->lock, flags);
		}
	}
	return total;
}

/* --- allocation --------------------------------------------------------- */

/* A block fresh off the free lists must look unused; else it is reported. */
static bool page_fresh(const struct page *page, unsigned int order)
{
	return page_in_mem_map(page) &&
	       !(page_to_pfn(page) & ((1UL << order) - 1)) &&
	       page->flags == 0 && page_ref_count(page) == 0;
}

static struct page *zone_alloc(struct zone *z, unsigned int order)
{
	unsigned long flags = spin_lock_irqsave(&z->lock);
	struct page *page;
	int tries;

	/* A block that is not fresh is left out (leaked), never handed out. */
	for (tries = 0; tries < 4; tries++) {
		page = buddy_alloc(z, order);
		if (!page || page_fresh(page, order))
			break;
		bad_page(page, order, "the free lists handed out a block in use",
			 0);
		page = NULL;
	}
	spin_unlock_irqrestore(&z->lock, flags);
	return page;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	static const enum zone_type normal_list[] = { ZONE_NORMAL, ZONE_DMA32 };
	static const enum zone_type dma32_list[] = { ZONE_DMA32 };
	bool dma32 = gfp & __GFP_DMA32;
	const enum zone_type *list = dma32 ? dma32_list : normal_list;
	unsigned int i, n = dma32 ? 1 : 2;
	struct page *page = NULL;

	if (order > MAX_ORDER || !mem_map)
		return NULL;
	for (i = 0; i < n && !page; i++)
		page = zone_alloc(&zones[list[i]], order);
	if (!page)
		return NULL;
	set_page_count(page, 1);
	if (gfp & __GFP_ZERO)
		memset(page_to_virt(page), 0, PAGE_SIZE << order);
	return page;
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? (unsigned long)page_to_virt(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

/* --- freeing ------------------------------------------------------------ */

/* Why @page cannot be the first page of an allocated 2^@order block. */
static const char *free_problem(const struct page *page, unsigned int order)
{
	unsigned long pfn;

	if (!page_in_mem_map(page))
		return "not a struct page in mem_map";
	if (order > MAX_ORDER)
		return "order above MAX_ORDER";
	pfn = page_to_pfn(page);
	if (pfn & ((1UL << order) - 1))
		return "block not aligned to its order";
	if (!zone_spans(pfn_zone(pfn), pfn, order))
		return "block runs past its zone";
	if (PageReserved(page))
		return "page is reserved (never allocated)";
	if (PageBuddy(page) || page_ref_count(page) <= 0)
		return "page is free (double free?) or not the first page of its block";
	if (PageSlab(page))
		return "page belongs to a slab (free objects with kmem_cache_free)";
	return NULL;
}

static void free_pages_caller(struct page *page, unsigned int order,
			      unsigned long caller)
{
	const char *why;
	struct zone *z;
	unsigned long flags;

	if (!page)
		return;
	why = free_problem(page, order);
	if (why) {
		bad_page(page, order, why, caller);
		return;
	}
	if (!put_page_testzero(page))
		return;
	page->flags = 0;
	page->private = 0;
	z = pfn_zone(page_to_pfn(page));
	flags = spin_lock_irqsave(&z->lock);
	buddy_free(z, page, order);
	spin_unlock_irqrestore(&z->lock, flags);
}

void __free_pages(struct page *page, unsigned int order)
{
	free_pages_caller(page, order, CALLER_ADDR);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (!addr)
		return;
	if (!virt_addr_valid((void *)addr) || (addr & (PAGE_SIZE - 1))) {
		char who[96];

		page_alloc_bad_count++;
		mm_sprint_caller(who, sizeof(who), CALLER_ADDR);
		pr_err("BUG: page allocator: free_pages(0x%lx, %u): not a page of the direct map\n"
		       "  caller: %s\n", addr, order, who);
		mm_dump_stack();
		return;
	}
	free_pages_caller(virt_to_page((void *)addr), order, CALLER_ADDR);
}

void split_page(struct page *page, unsigned int order)
{
	unsigned long i;

	if (order > MAX_ORDER || !page_in_mem_map(page) ||
	    page_ref_count(page) != 1) {
		bad_page(page, order, "split_page of a block not allocated once",
			 CALLER_ADDR);
		return;
	}
	for (i = 1; i < (1UL << order); i++)
		set_page_count(page + i, 1);
}

/* --- counters ----------------------------------------------------------- */

unsigned long nr_free_pages(void)
{
	unsigned long n = 0;
	int t;

	for (t = 0; t < MAX_NR_ZONES; t++)
		n += zones[t].free_pages;
	return n;
}

unsigned long totalram_pages(void)
{
	unsigned long n = 0;
	int t;

	for (t = 0; t < MAX_NR_ZONES; t++)
		n += zones[t].managed_pages;
	return n;
}

unsigned long nr_free_blocks(unsigned int order)
{
	unsigned long n = 0;
	int t;

	if (order > MAX_ORDER || !mem_map)
		return 0;
	for (t = 0; t < MAX_NR_ZONES; t++)
		n += zones[t].free_area[order].nr_free;
	return n;
}

void show_free_areas(void)
{
	char line[160];
	int t, len;
	unsigned int order;

	for (t = 0; t < MAX_NR_ZONES; t++) {
		const struct zone *z = &zones[t];

		if (!mem_map || z->end_pfn == z->start_pfn)
			continue;
		len = snprintf(line, sizeof(line), "zone %-6s free blocks by order:",
			       z->name);
		for (order = 0; order <= MAX_ORDER; order++)
			len += snprintf(line + len, sizeof(line) - len, " %lu",
					z->free_area[order].nr_free);
		pr_info("%s (%lu pages)\n", line, z->free_pages);
	}
}
