/*
 * kernel/mm/internal.h — what the files of kernel/mm share and nobody else
 * sees: zones and their buddy free lists, the inside of a kmem_cache, the
 * slab debugging hooks, and a few helpers for reports and tests.
 *
 * Files, in reading order (docs/physical-memory.md walks through them):
 *
 *   memblock.c       boot-time ranges: memory, reserved, early allocations
 *   init.c           mm_init: reserve, build mem_map and the zones, report
 *   buddy.c          the buddy algorithm on one zone (pure; host-tested)
 *   page_alloc.c     alloc_pages/__free_pages: zones, locks, checks, counts
 *   slab.c           kmem_cache: slabs, free lists, the public entry points
 *   slab_debug.c     red zones, poison, ownership records, reports
 *   kmalloc.c        size classes and the large-allocation path
 *   *_ktest.c        the in-kernel tests
 *
 * Lock order: kmem_cache.lock, then zone.lock (a cache that grows or
 * shrinks calls the page allocator with its own lock held).  Both are
 * taken with interrupts off; neither is ever held while sleeping.
 */
#ifndef KERNEL_MM_INTERNAL_H
#define KERNEL_MM_INTERNAL_H

#include <kestrel/list.h>
#include <kestrel/mm.h>
#include <kestrel/slab.h>
#include <kestrel/spinlock.h>

/* ===== zones and the buddy allocator ===================================== */

enum zone_type {
	ZONE_DMA32,		/* pfn < DMA32_END_PFN: below 4 GiB */
	ZONE_NORMAL,		/* the rest */
	MAX_NR_ZONES,
};

#define DMA32_END_PFN	(1UL << (32 - PAGE_SHIFT))

/**
 * struct free_area - the free blocks of one order in one zone
 * @free_list: their first pages, linked through page->lru
 * @nr_free: how many blocks are on the list
 */
struct free_area {
	struct list_head free_list;
	unsigned long nr_free;
};

/*
 * struct zone - a range of page frames with its own free lists.
 * Key: (Z) zone->lock; (B) set once at boot.
 */
struct zone {
	spinlock_t lock;
	const char *name;		/* B: "DMA32", "Normal" */
	struct page *mem_map;		/* B: pfn 0's page; pfn = page - it */
	unsigned long start_pfn;	/* B: first pfn of the span */
	unsigned long end_pfn;		/* B: one past its last pfn */
	unsigned long managed_pages;	/* Z: pages released to it at boot */
	unsigned long free_pages;	/* Z: pages on the free lists now */
	struct free_area free_area[MAX_ORDER + 1];	/* Z */
};

/*
 * The buddy algorithm (buddy.c).  The zone lock is held by the caller; the
 * functions touch nothing but the zone and its pages, so the host tests
 * run them on a simulated mem_map.
 */
void buddy_zone_init(struct zone *z, const char *name, struct page *mem_map,
		     unsigned long start_pfn, unsigned long end_pfn);
struct page *buddy_alloc(struct zone *z, unsigned int order);
void buddy_free(struct zone *z, struct page *page, unsigned int order);
unsigned long buddy_release_range(struct zone *z, unsigned long start_pfn,
				  unsigned long end_pfn);
long buddy_verify(const struct zone *z);

/* The helpers buddy_alloc and buddy_free are written with. */

/* DOC: buddy-pfn */
/** buddy_pfn - the pfn of the block that @pfn's block of 2^@order pages
 *  would merge with: the two differ only in bit @order. */
static inline unsigned long buddy_pfn(unsigned long pfn, unsigned int order)
{
	return pfn ^ (1UL << order);
}

static inline unsigned long zone_page_pfn(const struct zone *z,
					  const struct page *page)
{
	return (unsigned long)(page - z->mem_map);
}

static inline struct page *zone_pfn_page(const struct zone *z,
					 unsigned long pfn)
{
	return z->mem_map + pfn;
}

/** zone_spans - true when the block of 2^@order pages at @pfn lies in @z. */
static inline bool zone_spans(const struct zone *z, unsigned long pfn,
			      unsigned int order)
{
	return pfn >= z->start_pfn && pfn + (1UL << order) <= z->end_pfn;
}

/** page_is_free_block - @page heads a free block of exactly 2^@order pages. */
static inline bool page_is_free_block(const struct page *page,
				      unsigned int order)
{
	return PageBuddy(page) && page->private == order;
}

/* DOC: free-area-helpers */
/** free_area_add - put the block at @page on free_area[@order], marked
 *  free, and count it. */
static inline void free_area_add(struct zone *z, struct page *page,
				 unsigned int order)
{
	SetPageBuddy(page);
	page->private = order;
	list_add(&page->lru, &z->free_area[order].free_list);
	z->free_area[order].nr_free++;
	z->free_pages += 1UL << order;
}

/** free_area_del - take the free block at @page off free_area[@order]. */
static inline void free_area_del(struct zone *z, struct page *page,
				 unsigned int order)
{
	list_del(&page->lru);
	ClearPageBuddy(page);
	page->private = 0;
	z->free_area[order].nr_free--;
	z->free_pages -= 1UL << order;
}

/* page_alloc.c */
extern struct zone zones[MAX_NR_ZONES];
extern unsigned long page_alloc_bad_count;	/* bad frees reported */
void zones_init(unsigned long end_pfn);
unsigned long page_alloc_release_free_memory(void);

/* ===== slabs ============================================================= */

#define SLAB_MAX_ORDER		3	/* slabs are at most 8 pages */
#define SLAB_STATIC		0x100u	/* internal: built in, not destroyed */

/*
 * struct kmem_cache - one object size and its slabs.
 * Key: (C) cache->lock; (B) fixed at creation; (L) slab_caches_lock.
 *
 * A slot is laid out as [left red zone][object][right red zone][meta]; the
 * red zones and meta exist only in debug mode (obj_offset = 0 otherwise).
 * Object pointers (what callers see) are what the free lists link.
 */
struct kmem_cache {
	spinlock_t lock;
	char name[32];			/* B */
	size_t object_size;		/* B: bytes the creator asked for */
	size_t size;			/* B: bytes per slot */
	size_t align;			/* B: objects start at a multiple */
	size_t obj_offset;		/* B: slot start -> object */
	size_t meta_offset;		/* B: object -> its slab_meta (debug) */
	size_t freeptr_offset;		/* B: object -> its free-list link */
	unsigned int order;		/* B: a slab is 2^order pages */
	unsigned int objects;		/* B: objects per slab */
	unsigned int flags;		/* B: SLAB_* */
	bool debug;			/* B: red zones, poison, ownership */
	struct list_head partial;	/* C: slabs with a free object */
	struct list_head full;		/* C: slabs without */
	unsigned long nr_slabs;		/* C */
	unsigned long free_objects;	/* C: on the free lists of all slabs */
	unsigned long quarantined;	/* C: damaged objects never reused */
	struct list_head list;		/* L: on slab_caches */
};

/* The free-list link of a free object (inside it, or in its debug meta). */
static inline void *slab_get_freeptr(const struct kmem_cache *c, void *obj)
{
	return *(void **)((char *)obj + c->freeptr_offset);
}

static inline void slab_set_freeptr(const struct kmem_cache *c, void *obj,
				    void *next)
{
	*(void **)((char *)obj + c->freeptr_offset) = next;
}

/* slab.c */
struct page *slab_grow(struct kmem_cache *c, gfp_t gfp);
bool slab_obj_valid(const struct kmem_cache *c, const struct page *slab,
		    const void *obj);
void *slab_obj_at(const struct kmem_cache *c, const struct page *slab,
		  unsigned int index);
int kmem_cache_setup(struct kmem_cache *c, const char *name, size_t size,
		     size_t align, unsigned int flags);
void *slab_alloc(struct kmem_cache *c, gfp_t gfp, unsigned long caller);
void slab_free(struct kmem_cache *c, void *obj, unsigned long caller);
struct page *virt_to_slab(const void *obj);
void slab_init(void);
void slab_totals(unsigned long *pages, unsigned long *in_use);
void kmalloc_cache_setup(struct kmem_cache *c, const char *name, size_t size,
			 bool debug);

/* slab_debug.c: the checks, and reports of every kind. */
enum slab_bug {
	SLAB_BUG_DOUBLE_FREE,
	SLAB_BUG_USE_AFTER_FREE,
	SLAB_BUG_OUT_OF_BOUNDS,
	SLAB_BUG_INVALID_FREE,
	SLAB_BUG_CORRUPT,
	NR_SLAB_BUGS,
};

enum slab_verdict {
	SLAB_FREE_OK,		/* go on and free the object */
	SLAB_FREE_REJECT,	/* reported; do not free (e.g. already free) */
	SLAB_FREE_QUARANTINE,	/* reported; keep it allocated for ever */
};

extern bool slab_debug;
extern unsigned long slab_bug_count[NR_SLAB_BUGS];
size_t slab_debug_layout(struct kmem_cache *c);
void slab_debug_init_object(const struct kmem_cache *c, void *obj);
bool slab_debug_alloc_check(struct kmem_cache *c, void *obj,
			    unsigned long caller);
enum slab_verdict slab_debug_free_check(struct kmem_cache *c, void *obj,
					unsigned long caller);
unsigned int slab_debug_validate(struct kmem_cache *c, struct page *slab,
				 unsigned long caller);
void slab_report(enum slab_bug kind, const struct kmem_cache *c,
		 const void *obj, unsigned long caller, const char *detail);

/* kmalloc.c */
void kmalloc_init(void);

/* ===== reports and readiness ============================================ */

/* The address our caller will return to, for "caller:" in reports. */
#define CALLER_ADDR	((unsigned long)__builtin_return_address(0))

void mm_dump_stack(void);
int mm_sprint_caller(char *buf, size_t size, unsigned long caller);

/* Set by mm_init once a trial allocation works; ktests skip without them. */
extern bool mm_pages_ready;	/* alloc_pages/__free_pages */
extern bool mm_slab_ready;	/* kmem_cache_alloc/kmem_cache_free */
extern bool mm_kmalloc_ready;	/* kmalloc/kfree, small and large */

#endif
