/*
 * kestrel/mm.h — physical pages: struct page and the page allocator.
 *
 * Every page frame of RAM (4 KiB, PAGE_SIZE) has one struct page in the
 * array mem_map[], indexed by its page frame number (pfn = physical
 * address >> PAGE_SHIFT).  The page allocator hands out blocks of 2^order
 * contiguous, naturally aligned pages, order 0 … MAX_ORDER, from a buddy
 * allocator per zone (kernel/mm/buddy.c; docs/physical-memory.md tells the
 * whole story).  A block is named by the struct page of its first page;
 * its memory is reached through the direct map (page_to_virt).
 *
 * Lifecycle of a page:
 *
 *	reserved ──mm_init──> free (on a buddy list) <────────┐
 *	(PG_reserved)           │ alloc_pages                 │ __free_pages
 *	                        v                             │ (refcount 1 → 0)
 *	                    allocated (refcount ≥ 1) ─────────┘
 *
 * Pages that are not RAM, or that hold the kernel image, mem_map itself,
 * the initrd or the boot loader's data stay PG_reserved for ever and are
 * never handed out or accepted back.
 *
 * Interface rules: the allocator never sleeps (it only spins on the zone
 * lock with interrupts off), so it may be called from any context once
 * mm_init has run; before that, or when it is out of memory, allocations
 * return NULL.  Bad input (an order above MAX_ORDER, a page that is not
 * allocated, a misaligned block) is refused and reported with a backtrace;
 * it never corrupts the free lists.  Names are Linux's.
 */
#ifndef KESTREL_MM_H
#define KESTREL_MM_H

#include <asm/page.h>
#include <kestrel/compiler.h>
#include <kestrel/gfp.h>
#include <kestrel/list.h>
#include <kestrel/types.h>

struct boot_info;
struct kmem_cache;

#define MAX_ORDER		10	/* largest block: 2^10 pages = 4 MiB */
#define MAX_ORDER_NR_PAGES	(1UL << MAX_ORDER)

/* Bit numbers in page->flags. */
enum pageflags {
	PG_reserved,		/* never handed out: not RAM, or kept at boot */
	PG_buddy,		/* heads a free block; its order in ->private */
	PG_slab,		/* part of a slab (kernel/mm/slab.c) */
	PG_large_kmalloc,	/* heads a kmalloc() block from alloc_pages */
};

/**
 * struct page - what the kernel knows about one physical page frame
 * @flags: PG_* bits.  Changed only by the page's owner (the zone lock for
 *         free pages, the cache lock for slab pages).
 * @_refcount: references to an allocated page (atomic).  0 while the page
 *         is free or reserved; alloc_pages sets the first page of a block
 *         to 1.  Use page_ref_count/get_page/put_page, never the field.
 * @lru: list link of the page's owner.  Free blocks: the zone's
 *         free_area[order] list (zone lock).  Slabs: the cache's partial
 *         or full list (cache lock).  Others: whoever allocated the page.
 * @private: free block head: its order.  Large kmalloc block: its order.
 *         Otherwise the owner's.
 * @slab_cache: slab pages: the cache the slab belongs to.
 * @slab_head: slab pages: the first page of the slab (itself for the first).
 * @freelist: first page of a slab: its first free object, or NULL.
 * @inuse: first page of a slab: objects allocated from it (cache lock).
 *
 * 64 bytes, so mem_map costs 1/64 of RAM.
 */
struct page {
	unsigned long flags;
	int _refcount;
	unsigned int _unused;
	struct list_head lru;
	union {
		unsigned long private;
		struct {
			struct kmem_cache *slab_cache;
			struct page *slab_head;
			void *freelist;
			unsigned int inuse;
		};
	};
};

_Static_assert(sizeof(struct page) == 64, "struct page should stay 64 bytes");

/* PageX(page), SetPageX(page), ClearPageX(page) for each flag. */
#define PAGEFLAG(Name, bit)						\
	static inline bool Page##Name(const struct page *page)		\
	{ return (page->flags >> (bit)) & 1; }				\
	static inline void SetPage##Name(struct page *page)		\
	{ page->flags |= 1UL << (bit); }				\
	static inline void ClearPage##Name(struct page *page)		\
	{ page->flags &= ~(1UL << (bit)); }
PAGEFLAG(Reserved, PG_reserved)
PAGEFLAG(Buddy, PG_buddy)
PAGEFLAG(Slab, PG_slab)
PAGEFLAG(LargeKmalloc, PG_large_kmalloc)
#undef PAGEFLAG

/* --- references ---------------------------------------------------------- */

static inline int page_ref_count(const struct page *page)
{
	return __atomic_load_n(&page->_refcount, __ATOMIC_RELAXED);
}

static inline void set_page_count(struct page *page, int v)
{
	__atomic_store_n(&page->_refcount, v, __ATOMIC_RELAXED);
}

/** get_page - take one more reference to an allocated page. */
static inline void get_page(struct page *page)
{
	__atomic_add_fetch(&page->_refcount, 1, __ATOMIC_RELAXED);
}

/** put_page_testzero - drop a reference; true when it was the last one. */
static inline bool put_page_testzero(struct page *page)
{
	return __atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_ACQ_REL) == 0;
}

/* --- page frame numbers and addresses ----------------------------------- */

extern struct page *mem_map;	/* struct page of pfn 0 … max_pfn-1 */
extern unsigned long max_pfn;	/* one past the last pfn with a struct page */

/** pfn_valid - true when @pfn has a struct page (it may still be reserved). */
static inline bool pfn_valid(unsigned long pfn)
{
	return mem_map && pfn < max_pfn;
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + pfn;
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map);
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT;
}

static inline struct page *phys_to_page(phys_addr_t pa)
{
	return pfn_to_page(pa >> PAGE_SHIFT);
}

/** page_to_virt - the page's address in the direct map. */
static inline void *page_to_virt(const struct page *page)
{
	return __va(page_to_phys(page));
}

/** virt_to_page - the struct page of a direct-map (or kernel image) address. */
static inline struct page *virt_to_page(const void *addr)
{
	return phys_to_page(__pa(addr));
}

/** virt_addr_valid - true when @addr is a direct-map address of a page
 *  that has a struct page: the only addresses kfree/free_pages accept. */
static inline bool virt_addr_valid(const void *addr)
{
	unsigned long a = (unsigned long)addr;

	return a >= PAGE_OFFSET && pfn_valid((a - PAGE_OFFSET) >> PAGE_SHIFT);
}

/** get_order - the smallest order whose block holds @size bytes (size ≥ 1). */
static inline unsigned int get_order(unsigned long size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size && order < 63 - PAGE_SHIFT)
		order++;
	return order;
}

/* --- the page allocator (kernel/mm/page_alloc.c) ------------------------ */

/**
 * alloc_pages - allocate a block of 2^@order contiguous physical pages.
 * @gfp: GFP_KERNEL, optionally | __GFP_ZERO (zero-filled) | __GFP_DMA32
 *       (below 4 GiB)
 * @order: 0 … MAX_ORDER
 *
 * Returns the struct page of the block's first page, with a reference
 * count of 1, or NULL when no such block is free or @order > MAX_ORDER
 * (nothing changes then).  The block is naturally aligned: its pfn is a
 * multiple of 2^@order.  Locking: takes the zone lock with interrupts off;
 * never sleeps; any context after mm_init.  The caller owns the block and
 * gives it back with __free_pages(page, @order).
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order);

/** alloc_page - alloc_pages(@gfp, 0). */
static inline struct page *alloc_page(gfp_t gfp)
{
	return alloc_pages(gfp, 0);
}

/**
 * __free_pages - drop a reference to a block from alloc_pages; the block
 * returns to the free lists (merged with free buddies) when that was the
 * last reference.  @order must be the order it was allocated with.
 * NULL is ignored.  A page that is free, reserved, a slab page, outside
 * mem_map or misaligned for @order is reported with a backtrace and left
 * alone.  Locking: zone lock, interrupts off; never sleeps.
 */
void __free_pages(struct page *page, unsigned int order);

static inline void __free_page(struct page *page)
{
	__free_pages(page, 0);
}

/**
 * __get_free_pages - alloc_pages, returning the block's direct-map
 * virtual address, or 0 on failure.  Same rules as alloc_pages.
 */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);

static inline unsigned long __get_free_page(gfp_t gfp)
{
	return __get_free_pages(gfp, 0);
}

/** get_zeroed_page - one zero-filled page's virtual address, or 0. */
unsigned long get_zeroed_page(gfp_t gfp);

/**
 * free_pages - __free_pages for a block named by its direct-map address.
 * 0 is ignored; an address outside the direct map is reported and ignored.
 */
void free_pages(unsigned long addr, unsigned int order);

static inline void free_page(unsigned long addr)
{
	free_pages(addr, 0);
}

/** put_page - drop a reference to an order-0 page; frees it on the last. */
static inline void put_page(struct page *page)
{
	__free_pages(page, 0);
}

/**
 * split_page - turn an allocated block of 2^@order pages into 2^@order
 * independent order-0 pages, each with a reference count of 1, to be
 * freed one by one.  Never sleeps; takes no lock (the caller owns the block).
 */
void split_page(struct page *page, unsigned int order);

/** nr_free_pages - pages on the free lists now, all zones (a snapshot). */
unsigned long nr_free_pages(void);

/** totalram_pages - pages the page allocator manages (free or allocated):
 *  RAM minus what was reserved at boot.  /proc/meminfo's MemTotal. */
unsigned long totalram_pages(void);

/** nr_free_blocks - free blocks of exactly 2^@order pages, all zones
 *  (/proc/buddyinfo's numbers, summed); 0 for @order > MAX_ORDER. */
unsigned long nr_free_blocks(unsigned int order);

/** show_free_areas - print each zone's free blocks per order. */
void show_free_areas(void);

/**
 * mm_init - bring up physical memory management, once, on the boot CPU,
 * after the memory map is known and before anything allocates: memblock
 * from @bi's memory map and reserved regions, then mem_map, then the zones
 * and buddy free lists (every free page is handed over), then the slab
 * caches behind kmalloc.  Prints
 * `Memory: <avail>K/<total>K available (<kernel>K kernel, <reserved>K
 * reserved)`.
 * With the lab 2 holes still open it says so and returns; allocations then
 * return NULL.  Never fails.
 */
void mm_init(const struct boot_info *bi);

#endif
