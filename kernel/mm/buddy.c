/*
 * buddy.c — the buddy allocator on one zone.
 *
 * What: a zone's free memory is kept as blocks of 2^order pages, order
 * 0 … MAX_ORDER, each naturally aligned (its first pfn is a multiple of
 * 2^order).  free_area[k] lists the free blocks of order k, linked through
 * the first page's lru; that page carries PG_buddy and its order in
 * ->private, and is the only page of the block the allocator marks.
 *
 * Two blocks of order k are buddies when together they form an aligned
 * block of order k+1; their pfns then differ only in bit k:
 *
 *	order 2:   pfn 8 [8 9 10 11]  and  pfn 12 [12 13 14 15]
 *	order 3:   pfn 8 [8 … 15], whose buddy is pfn 0 [0 … 7]
 *
 * Allocation of order k takes the first block of the smallest order j ≥ k
 * that has one, and while j > k splits it: the upper half (order j-1)
 * goes back on free_area[j-1], the lower half is split further.  Freeing a
 * block of order k looks at its buddy: if that is a free block of the same
 * order in the same zone, it comes off its list and the two merge into an
 * order k+1 block at the lower pfn, and so on up; the result goes on its
 * list.  So free memory always stays as merged as possible, and only
 * zone boundaries and allocated or reserved pages stop a merge.
 *
 * The algorithm was published by Knowlton (CACM 8(10), 1965) and analysed
 * by Knuth (TAOCP vol. 1, §2.5); Linux uses the same structure
 * (mm/page_alloc.c).  This code is ours.
 *
 * Rules: the caller holds the zone lock; pages passed in belong to the
 * zone; nothing here allocates, prints or sleeps, so the host unit tests
 * (kernel/tests/host/buddy_test.c) run this file as it is.  Lab 2 cuts
 * buddy_alloc and buddy_free out of it.
 */
#include "internal.h"

/**
 * buddy_zone_init - make @z an empty zone spanning pfns [@start_pfn,
 * @end_pfn) of @mem_map (the array's entry for pfn 0).  Boot only.
 */
void buddy_zone_init(struct zone *z, const char *name, struct page *mem_map,
		     unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned int order;

	z->lock = (spinlock_t)SPINLOCK_INIT;
	z->name = name;
	z->mem_map = mem_map;
	z->start_pfn = start_pfn;
	z->end_pfn = end_pfn > start_pfn ? end_pfn : start_pfn;
	z->managed_pages = 0;
	z->free_pages = 0;
	for (order = 0; order <= MAX_ORDER; order++) {
		list_init(&z->free_area[order].free_list);
		z->free_area[order].nr_free = 0;
	}
}

/**
 * buddy_alloc - take a free block of 2^@order pages from @z.
 *
 * Returns its first page, off every free list and no longer marked
 * PG_buddy (the other pages are untouched), or NULL when @order >
 * MAX_ORDER or no free block of order ≥ @order exists — then @z is
 * unchanged.  The zone lock is held.
 */
struct page *buddy_alloc(struct zone *z, unsigned int order)
{
#if SOL >= 2
	struct page *page;
	unsigned int have;

	for (have = order; have <= MAX_ORDER; have++) {
		struct free_area *area = &z->free_area[have];

		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, lru);
		free_area_del(z, page, have);
		/* Keep the lower half, give back the upper half, each round. */
		while (have > order) {
			have--;
			free_area_add(z, page + (1UL << have), have);
		}
		return page;
	}
	return NULL;
#else
	/*
	 * LAB 2: find the smallest order ≥ @order whose free_area list is not
	 * empty (an @order above MAX_ORDER finds none: return NULL).  Take
	 * its first block off the list with free_area_del(), then split it
	 * until it is 2^@order pages: each time, the upper half goes back to
	 * the free list one order lower with free_area_add().  Return the
	 * block's first page.  The helpers keep the counts and PG_buddy
	 * right; see the head of this file and labs/02-pmm/README.md.
	 */
	return NULL;
#endif
}

/**
 * buddy_free - give the block of 2^@order pages at @page back to @z,
 * merging it with its buddy as long as the buddy is free and whole.
 *
 * @page must be the first page of a block inside @z that is not free
 * (page_alloc.c checks that).  The zone lock is held.
 */
void buddy_free(struct zone *z, struct page *page, unsigned int order)
{
#if SOL >= 2
	unsigned long pfn = zone_page_pfn(z, page);

	while (order < MAX_ORDER) {
		unsigned long bpfn = buddy_pfn(pfn, order);

		/* Check the span first: outside it there may be no page. */
		if (!zone_spans(z, bpfn, order) ||
		    !page_is_free_block(zone_pfn_page(z, bpfn), order))
			break;
		free_area_del(z, zone_pfn_page(z, bpfn), order);
		pfn &= bpfn;	/* the merged block starts at the lower pfn */
		order++;
	}
	free_area_add(z, zone_pfn_page(z, pfn), order);
#else
	/*
	 * LAB 2: while @order < MAX_ORDER, look at the buddy block
	 * (buddy_pfn()): if it lies inside the zone (zone_spans()) and is a
	 * free block of exactly this order (page_is_free_block()), take it
	 * off its list (free_area_del()) and continue with the merged block
	 * — it starts at the lower of the two pfns — one order up.
	 * Otherwise stop.  Finally put the block on its list with
	 * free_area_add().
	 */
#endif
}

/**
 * buddy_release_range - hand pfns [@start_pfn, @end_pfn) of @z, until now
 * reserved and unused, to the free lists.  The range is cut into the
 * largest aligned blocks that fit (so boot costs one buddy_free per 4 MiB,
 * not per page) after every page is cleared of PG_reserved.  Counts what
 * reached the free lists in managed_pages and returns that many pages (0
 * while buddy_free is still a stub).  The zone lock is held.
 */
unsigned long buddy_release_range(struct zone *z, unsigned long start_pfn,
				  unsigned long end_pfn)
{
	unsigned long pfn, before = z->free_pages;

	if (start_pfn < z->start_pfn)
		start_pfn = z->start_pfn;
	if (end_pfn > z->end_pfn)
		end_pfn = z->end_pfn;
	for (pfn = start_pfn; pfn < end_pfn; pfn++) {
		struct page *page = zone_pfn_page(z, pfn);

		ClearPageReserved(page);
		set_page_count(page, 0);
	}
	for (pfn = start_pfn; pfn < end_pfn; ) {
		unsigned int order = MAX_ORDER;

		while (order > 0 && ((pfn & ((1UL << order) - 1)) ||
				     pfn + (1UL << order) > end_pfn))
			order--;
		buddy_free(z, zone_pfn_page(z, pfn), order);
		pfn += 1UL << order;
	}
	z->managed_pages += z->free_pages - before;
	return z->free_pages - before;
}

/* Check one free block of free_area[@order]; false if it is malformed. */
static bool block_ok(const struct zone *z, const struct page *page,
		     unsigned int order)
{
	unsigned long pfn = zone_page_pfn(z, page);
	unsigned long i;

	if (!page_is_free_block(page, order) || !zone_spans(z, pfn, order) ||
	    (pfn & ((1UL << order) - 1)))
		return false;
	for (i = 1; i < (1UL << order); i++)
		if (PageBuddy(page + i) || PageReserved(page + i))
			return false;
	return true;
}

/**
 * buddy_verify - check @z's free lists against its counters: every block
 * aligned, inside the zone, marked with its order, its other pages
 * unmarked, each list's length equal to nr_free, the pages adding up to
 * free_pages.  Returns the free pages counted, or -1 on the first
 * inconsistency.  O(free pages); for tests.  The zone lock is held.
 */
long buddy_verify(const struct zone *z)
{
	unsigned long pages = 0;
	unsigned int order;

	for (order = 0; order <= MAX_ORDER; order++) {
		const struct free_area *area = &z->free_area[order];
		const struct page *page;
		unsigned long n = 0;

		list_for_each_entry(page, &area->free_list, lru) {
			if (!block_ok(z, page, order))
				return -1;
			n++;
		}
		if (n != area->nr_free)
			return -1;
		pages += n << order;
	}
	return pages == z->free_pages ? (long)pages : -1;
}
