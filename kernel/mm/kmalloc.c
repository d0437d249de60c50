/*
 * kmalloc.c — memory of any size: size classes over slab caches, and
 * whole page blocks for the big ones.
 *
 * What: kmalloc(size) rounds @size up to a size class and allocates from
 * that class's cache; classes are the powers of two from 8 to 8192 bytes
 * plus 96 and 192 (common sizes that would otherwise waste a third):
 *
 *	size     1…8  9…16  17…32  33…64  65…96  97…128  129…192  193…256
 *	cache    kmalloc-8 … kmalloc-256, then -512, -1024, -2048, -4096, -8192
 *
 * Above KMALLOC_MAX_CACHE_SIZE (8 KiB) a request goes to the page
 * allocator: 2^order pages, the first one marked PG_large_kmalloc with
 * the order in ->private, so that kfree and ksize recognise the block.
 * Up to KMALLOC_MAX_SIZE (4 MiB, one MAX_ORDER block) can be had.
 *
 * Two sets of caches exist, plain and debug; kmalloc serves from the set
 * slab_debug selects at the time of the call, and kfree finds the right
 * cache from the object's slab, so slab_debug_set() may flip between
 * calls (the benchmark does).
 *
 * kfree trusts nothing: a pointer that is neither an object of a slab
 * nor the start of a large block is reported ("invalid free") and
 * ignored.  Lab 2 cuts out kmalloc_index and kmalloc_large.
 *
 * Locking: none here; the caches and the page allocator lock for
 * themselves.  Nothing sleeps.  Names are Linux's (mm/slab_common.c).
 */
#include <kestrel/panic.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>
#include "internal.h"

/* DOC: kmalloc-sizes */
static const unsigned int kmalloc_sizes[] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

#define NR_KMALLOC_CACHES	ARRAY_SIZE(kmalloc_sizes)

_Static_assert(8192 == KMALLOC_MAX_CACHE_SIZE, "the last class is the largest");

/* [0]: plain caches, [1]: debug caches */
static struct kmem_cache kmalloc_caches[2][NR_KMALLOC_CACHES];
static bool kmalloc_ready;

/** kmalloc_init - set up both sets of kmalloc caches (mm_init). */
void kmalloc_init(void)
{
	char name[24];
	unsigned int i;
	int set;

	for (set = 0; set < 2; set++)
		for (i = 0; i < NR_KMALLOC_CACHES; i++) {
			snprintf(name, sizeof(name), "kmalloc-%u", kmalloc_sizes[i]);
			kmalloc_cache_setup(&kmalloc_caches[set][i], name,
					    kmalloc_sizes[i], set);
		}
	kmalloc_ready = true;
}

/*
 * kmalloc_index - the size class for @size bytes (1 … KMALLOC_MAX_SIZE):
 * the index in kmalloc_sizes[] of the smallest class that holds @size, or
 * -1 when @size is above KMALLOC_MAX_CACHE_SIZE (the page allocator
 * serves it then).
 */
static int kmalloc_index(size_t size)
{
#if SOL >= 2
	unsigned int i;

	for (i = 0; i < NR_KMALLOC_CACHES; i++)
		if (size <= kmalloc_sizes[i])
			return i;
	return -1;
#else
	/*
	 * LAB 2: return the index of the first (smallest) entry of
	 * kmalloc_sizes[] that is at least @size, or -1 when @size is larger
	 * than every class.
	 */
	return -1;
#endif
}

/*
 * kmalloc_large - @size bytes (more than KMALLOC_MAX_CACHE_SIZE) from the
 * page allocator: the smallest block that holds them, its first page
 * marked PG_large_kmalloc with the order in page->private.  Returns the
 * block's direct-map address, or NULL.
 */
static void *kmalloc_large(size_t size, gfp_t gfp)
{
#if SOL >= 2
	unsigned int order = get_order(size);
	struct page *page = alloc_pages(gfp, order);

	if (!page)
		return NULL;
	SetPageLargeKmalloc(page);
	page->private = order;
	return page_to_virt(page);
#else
	/*
	 * LAB 2: allocate 2^get_order(@size) pages with alloc_pages (pass
	 * @gfp on, so __GFP_ZERO works).  Mark the first page with
	 * SetPageLargeKmalloc() and store the order in page->private:
	 * kfree() and ksize() read both.  Return page_to_virt(page), or
	 * NULL if alloc_pages failed.
	 */
	return NULL;
#endif
}

/* The first page of the large block that @p starts, or NULL. */
static struct page *large_block(const void *p)
{
	struct page *page = virt_to_page(p);

	return PageLargeKmalloc(page) && p == page_to_virt(page) ? page : NULL;
}

static void *kmalloc_caller(size_t size, gfp_t gfp, unsigned long caller)
{
	int i;

	if (size == 0 || size > KMALLOC_MAX_SIZE || !kmalloc_ready)
		return NULL;
	i = kmalloc_index(size);
	if (i < 0)
		return kmalloc_large(size, gfp);
	/* A wrong class would hand out an object smaller than asked for. */
	if (WARN_ON_ONCE((unsigned int)i >= NR_KMALLOC_CACHES ||
			 kmalloc_sizes[i] < size))
		return NULL;
	if (gfp & __GFP_DMA32)	/* the classes' slabs may be anywhere */
		return NULL;
	return slab_alloc(&kmalloc_caches[slab_debug][i], gfp, caller);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	return kmalloc_caller(size, gfp, CALLER_ADDR);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc_caller(size, gfp | __GFP_ZERO, CALLER_ADDR);
}

static void kfree_caller(const void *p, unsigned long caller)
{
	struct page *page;

	if (!p)
		return;
	if (!virt_addr_valid(p)) {
		slab_report(SLAB_BUG_INVALID_FREE, NULL, p, caller,
			    "not a direct-map address, so not from kmalloc; ignored");
		return;
	}
	if (PageSlab(virt_to_page(p))) {
		slab_free(NULL, (void *)p, caller);
		return;
	}
	page = large_block(p);
	if (!page) {
		slab_report(SLAB_BUG_INVALID_FREE, NULL, p, caller,
			    "not a block from kmalloc (or freed already); ignored");
		return;
	}
	ClearPageLargeKmalloc(page);
	__free_pages(page, page->private);
}

void kfree(const void *p)
{
	kfree_caller(p, CALLER_ADDR);
}

size_t ksize(const void *p)
{
	struct page *page;

	if (!p || !virt_addr_valid(p))
		return 0;
	page = virt_to_page(p);
	if (PageSlab(page)) {
		struct page *slab = page->slab_head;
		struct kmem_cache *c = slab->slab_cache;

		return slab_obj_valid(c, slab, p) ? c->object_size : 0;
	}
	page = large_block(p);
	return page ? PAGE_SIZE << page->private : 0;
}

void *krealloc(void *p, size_t new_size, gfp_t gfp)
{
	unsigned long caller = CALLER_ADDR;
	size_t old;
	void *n;

	if (!p)
		return kmalloc_caller(new_size, gfp, caller);
	if (new_size == 0) {
		kfree_caller(p, caller);
		return NULL;
	}
	old = ksize(p);
	if (old == 0) {
		slab_report(SLAB_BUG_INVALID_FREE, NULL, p, caller,
			    "krealloc of a pointer that is not from kmalloc; ignored");
		return NULL;
	}
	if (new_size <= old)
		return p;
	/* Allocate and copy first; free the old block only on success. */
	n = kmalloc_caller(new_size, gfp & ~__GFP_ZERO, caller);
	if (!n)
		return NULL;
	memcpy(n, p, old);
	if (gfp & __GFP_ZERO)
		memset((char *)n + old, 0, new_size - old);
	kfree_caller(p, caller);
	return n;
}
