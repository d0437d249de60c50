/*
 * slab.c — object caches: many small objects carved out of page blocks.
 *
 * What: a kmem_cache serves objects of one size.  Its memory comes in
 * slabs, blocks of 2^order pages from alloc_pages, cut into equal slots.
 * The free slots of a slab form a singly linked list threaded through the
 * free objects themselves (the link lives in the object, or in debug mode
 * in its metadata after the right red zone), headed by the slab's first
 * struct page:
 *
 *	struct page (first page of the slab)          the slab's memory
 *	  freelist ───────────────┐        ┌──────┬──────┬──────┬──────┐
 *	  inuse = 2               └──────> │ free │ used │ free │ used │ ...
 *	  slab_cache ─> the cache          └──┬───┴──────┴──^───┴──────┘
 *	                                      └── next ─────┘
 *
 * Every page of a slab is marked PG_slab and points at the first page
 * (slab_head) and the cache (slab_cache), so kfree finds both from any
 * object address through virt_to_page.
 *
 * A cache keeps its slabs on two lists: `partial` holds the slabs with at
 * least one free object (freelist != NULL), `full` the others.  Allocation
 * takes the first object of the first partial slab, growing the cache by
 * a new slab when there is none; freeing pushes the object back on its
 * slab's list.  An empty slab goes back to the page allocator unless the
 * cache would then have less than one slab's worth of free objects (so an
 * alloc/free pair does not allocate and free pages every time).
 *
 * Layers: kmem_cache_alloc/kmem_cache_free (and kmalloc/kfree) take the
 * cache lock and run the checks; __kmem_cache_alloc/__kmem_cache_free, in
 * the middle, are the bare list moves — lab 2 cuts them out; slab_debug.c
 * poisons and checks objects in debug mode.
 *
 * Locking: cache->lock, interrupts off, around every list and counter of
 * a cache; slab_grow and slab_release call the page allocator with it
 * held (lock order in internal.h).  slab_caches_lock guards the list of
 * all caches.  Never sleeps.
 *
 * The design follows Bonwick, "The Slab Allocator: An Object-Caching
 * Kernel Memory Allocator" (USENIX Summer 1994), in the simple per-slab
 * free-list form Linux's SLUB also uses; the code is ours.
 */
#include <kestrel/cmdline.h>
#include <kestrel/errno.h>
#include <kestrel/printk.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>
#include "internal.h"

#define SLAB_NO_DEBUG		0x200u	/* internal: plain despite slab_debug */
#define SLAB_MIN_OBJECTS	4	/* objects per slab to aim for */
#define ALLOC_RETRIES		64	/* damaged objects skipped per call */

/* The cache every struct kmem_cache but this one is allocated from. */
static struct kmem_cache kmem_cache_cache;
static struct list_head slab_caches = LIST_HEAD_INIT(slab_caches);
static spinlock_t slab_caches_lock = SPINLOCK_INIT;

bool slab_debug = true;

/* slab_debug=0 turns debugging off for the boot; slab_debug or =1 on. */
static int param_slab_debug(const char *value)
{
	if (strcmp(value, "0") == 0)
		slab_debug = false;
	else if (strcmp(value, "1") == 0 || value[0] == '\0')
		slab_debug = true;
	else
		return -EINVAL;
	return 0;
}
KERNEL_PARAM("slab_debug", param_slab_debug);

bool slab_debug_set(bool on)
{
	bool old = slab_debug;

	slab_debug = on;
	return old;
}

bool slab_debug_enabled(void)
{
	return slab_debug;
}

/* --- layout --------------------------------------------------------------- */

/* An empty cache: no slabs, not on slab_caches. */
static void cache_init_lists(struct kmem_cache *c)
{
	c->lock = (spinlock_t)SPINLOCK_INIT;
	list_init(&c->partial);
	list_init(&c->full);
	list_init(&c->list);
	c->nr_slabs = c->free_objects = c->quarantined = 0;
}

/* The smallest slab order with enough objects and at most 1/8 waste. */
static int choose_order(const struct kmem_cache *c)
{
	unsigned int order;

	for (order = 0; order <= SLAB_MAX_ORDER; order++) {
		size_t bytes = PAGE_SIZE << order, n = bytes / c->size;

		if (n >= SLAB_MIN_OBJECTS && (bytes - n * c->size) * 8 <= bytes)
			return order;
	}
	return (PAGE_SIZE << SLAB_MAX_ORDER) / c->size ? SLAB_MAX_ORDER : -1;
}

/**
 * kmem_cache_setup - fill in @c for objects of @size bytes (arguments as
 * kmem_cache_create's): name, layout, slab order, empty lists.  Returns 0,
 * or -EINVAL when the arguments are bad or an object does not fit in a
 * slab of 2^SLAB_MAX_ORDER pages.  @c is not registered anywhere.
 */
int kmem_cache_setup(struct kmem_cache *c, const char *name, size_t size,
		     size_t align, unsigned int flags)
{
	int order;

	if (!name || size == 0 || size > (PAGE_SIZE << SLAB_MAX_ORDER) ||
	    (align & (align - 1)) || align > PAGE_SIZE)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	strscpy(c->name, name, sizeof(c->name));
	c->object_size = size;
	c->flags = flags;
	if (flags & SLAB_HWCACHE_ALIGN)
		align = MAX(align, 64);
	c->align = MAX(align, sizeof(void *));
	c->debug = (flags & SLAB_DEBUG) ||
		   (slab_debug && !(flags & SLAB_NO_DEBUG));
	if (c->debug)
		c->size = slab_debug_layout(c);
	else
		c->size = ALIGN_UP(MAX(size, sizeof(void *)), c->align);
	order = choose_order(c);
	if (order < 0)
		return -EINVAL;
	c->order = order;
	c->objects = (PAGE_SIZE << order) / c->size;
	cache_init_lists(c);
	return 0;
}

static void slab_register(struct kmem_cache *c)
{
	unsigned long flags = spin_lock_irqsave(&slab_caches_lock);

	list_add_tail(&c->list, &slab_caches);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
}

/* --- slabs ---------------------------------------------------------------- */

void *slab_obj_at(const struct kmem_cache *c, const struct page *slab,
		  unsigned int index)
{
	char *base = page_to_virt(slab);

	return base + c->obj_offset + (size_t)index * c->size;
}

/** slab_obj_valid - @obj is the start of one of @slab's objects. */
bool slab_obj_valid(const struct kmem_cache *c, const struct page *slab,
		    const void *obj)
{
	unsigned long first = (unsigned long)slab_obj_at(c, slab, 0);
	unsigned long p = (unsigned long)obj;

	return p >= first && (p - first) % c->size == 0 &&
	       (p - first) / c->size < c->objects;
}

/** virt_to_slab - the first page of the slab holding @obj, or NULL. */
struct page *virt_to_slab(const void *obj)
{
	struct page *page;

	if (!virt_addr_valid(obj))
		return NULL;
	page = virt_to_page(obj);
	return PageSlab(page) ? page->slab_head : NULL;
}

/**
 * slab_grow - add a slab to @c: allocate 2^order pages, mark them, thread
 * every object onto the new slab's free list in address order, and put
 * the slab on c->partial.  Returns its first page, or NULL when the page
 * allocator has no block.  Cache lock held.
 */
struct page *slab_grow(struct kmem_cache *c, gfp_t gfp)
{
	gfp_t page_gfp = (gfp & ~__GFP_ZERO) |
			 ((c->flags & SLAB_CACHE_DMA32) ? __GFP_DMA32 : 0);
	struct page *slab = alloc_pages(page_gfp, c->order);
	void *next = NULL;
	unsigned int i;

	if (!slab)
		return NULL;
	for (i = 0; i < (1U << c->order); i++) {
		SetPageSlab(slab + i);
		slab[i].slab_cache = c;
		slab[i].slab_head = slab;
	}
	for (i = c->objects; i-- > 0; ) {
		void *obj = slab_obj_at(c, slab, i);

		if (c->debug)
			slab_debug_init_object(c, obj);
		slab_set_freeptr(c, obj, next);
		next = obj;
	}
	slab->freelist = next;
	slab->inuse = 0;
	list_add(&slab->lru, &c->partial);
	c->nr_slabs++;
	c->free_objects += c->objects;
	return slab;
}

/* Give an empty slab's pages back to the page allocator.  Cache lock held. */
static void slab_release(struct kmem_cache *c, struct page *slab)
{
	unsigned int i;

	list_del(&slab->lru);
	c->nr_slabs--;
	c->free_objects -= c->objects;
	slab->freelist = NULL;
	for (i = 0; i < (1U << c->order); i++) {
		ClearPageSlab(slab + i);
		slab[i].slab_cache = NULL;
		slab[i].slab_head = NULL;
	}
	__free_pages(slab, c->order);
}

/* --- the core: lab 2 ------------------------------------------------------ */

/*
 * __kmem_cache_alloc - take one free object from @c: the first object on
 * the free list of the first slab on c->partial, after growing the cache
 * if c->partial is empty.  A slab whose last free object was taken moves
 * to c->full.  Returns the object, or NULL when no slab can be had.
 * Cache lock held.
 */
static void *__kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
#if SOL >= 2
	struct page *slab;
	void *obj;

	if (list_empty(&c->partial) && !slab_grow(c, gfp))
		return NULL;
	slab = list_first_entry(&c->partial, struct page, lru);
	obj = slab->freelist;
	slab->freelist = slab_get_freeptr(c, obj);
	slab->inuse++;
	if (!slab->freelist) {
		list_del(&slab->lru);
		list_add(&slab->lru, &c->full);
	}
	return obj;
#else
	/*
	 * LAB 2: if c->partial is empty, grow the cache with slab_grow()
	 * (NULL from it means no memory: return NULL).  Take the first slab
	 * on c->partial (list_first_entry, linked through page->lru), pop
	 * the first object of its freelist (slab_get_freeptr() reads an
	 * object's link), count it in slab->inuse, and move the slab to
	 * c->full if its freelist is now empty.  Return the object.
	 */
	return NULL;
#endif
}

/*
 * __kmem_cache_free - push @obj, an allocated object of @slab, back on
 * the slab's free list.  A slab that was full (freelist NULL) moves back
 * to c->partial.  The caller checked @obj and decides about empty slabs.
 * Cache lock held.
 */
static void __kmem_cache_free(struct kmem_cache *c, struct page *slab,
			      void *obj)
{
#if SOL >= 2
	bool was_full = slab->freelist == NULL;

	slab_set_freeptr(c, obj, slab->freelist);
	slab->freelist = obj;
	slab->inuse--;
	if (was_full) {
		list_del(&slab->lru);
		list_add(&slab->lru, &c->partial);
	}
#else
	/*
	 * LAB 2: remember whether the slab was full (its freelist is NULL),
	 * make @obj the new head of slab->freelist (slab_set_freeptr()
	 * writes its link), uncount it from slab->inuse, and move a slab
	 * that was full back to c->partial.
	 */
#endif
}

/* --- checked entry points ------------------------------------------------ */

/*
 * Debug mode: the free-list head left by an allocation must be one of the
 * slab's objects.  If a wild write broke the link, the rest of the list is
 * abandoned (counted as quarantined) rather than followed.
 */
static void slab_check_freelist(struct kmem_cache *c, struct page *slab,
				void *obj, unsigned long caller)
{
	unsigned int lost;

	if (!slab->freelist || slab_obj_valid(c, slab, slab->freelist))
		return;
	slab_report(SLAB_BUG_CORRUPT, c, obj, caller,
		    "free-list link after this object is damaged; the slab's other free objects are abandoned");
	lost = c->objects - slab->inuse;
	slab->freelist = NULL;
	slab->inuse = c->objects;
	c->free_objects -= lost;
	c->quarantined += lost;
	list_del(&slab->lru);
	list_add(&slab->lru, &c->full);
}

/**
 * slab_alloc - kmem_cache_alloc for @caller: the core, plus the debug
 * checks (an object found damaged is quarantined and another one taken).
 */
void *slab_alloc(struct kmem_cache *c, gfp_t gfp, unsigned long caller)
{
	unsigned long flags;
	void *obj = NULL;
	int tries;

	if (!c)
		return NULL;
	flags = spin_lock_irqsave(&c->lock);
	for (tries = 0; tries < ALLOC_RETRIES; tries++) {
		struct page *slab;

		obj = __kmem_cache_alloc(c, gfp);
		if (!obj)
			break;
		c->free_objects--;
		if (!c->debug)
			break;
		slab = virt_to_slab(obj);
		if (slab && slab->slab_cache == c &&
		    slab_obj_valid(c, slab, obj)) {
			slab_check_freelist(c, slab, obj, caller);
			if (slab_debug_alloc_check(c, obj, caller))
				break;
		} else {
			slab_report(SLAB_BUG_CORRUPT, c, obj, caller,
				    "the free list handed out a pointer that is not an object of this cache");
		}
		c->quarantined++;
		obj = NULL;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	if (obj && (gfp & __GFP_ZERO))
		memset(obj, 0, c->object_size);
	return obj;
}

/* Is @obj an object that @c (NULL: any cache) may be asked to free? */
static struct page *slab_free_target(struct kmem_cache **c, void *obj,
				     unsigned long caller)
{
	struct page *slab = virt_to_slab(obj);
	char why[96];

	if (!slab) {
		slab_report(SLAB_BUG_INVALID_FREE, *c, obj, caller,
			    "the pointer is not in any slab; ignored");
		return NULL;
	}
	if (*c && slab->slab_cache != *c) {
		snprintf(why, sizeof(why), "the object belongs to cache %s; ignored",
			 slab->slab_cache->name);
		slab_report(SLAB_BUG_INVALID_FREE, *c, obj, caller, why);
		return NULL;
	}
	*c = slab->slab_cache;
	if (!slab_obj_valid(*c, slab, obj)) {
		slab_report(SLAB_BUG_INVALID_FREE, *c, obj, caller,
			    "the pointer is not the start of an object; ignored");
		return NULL;
	}
	return slab;
}

/**
 * slab_free - kmem_cache_free for @caller (kfree passes @c NULL): check
 * the pointer, run the debug checks, then the core; release a slab that
 * became empty when the cache has enough free objects without it.
 */
void slab_free(struct kmem_cache *c, void *obj, unsigned long caller)
{
	struct page *slab;
	unsigned long flags;

	if (!obj)
		return;
	slab = slab_free_target(&c, obj, caller);
	if (!slab)
		return;
	flags = spin_lock_irqsave(&c->lock);
	if (c->debug) {
		enum slab_verdict v = slab_debug_free_check(c, obj, caller);

		if (v == SLAB_FREE_QUARANTINE)
			c->quarantined++;
		if (v != SLAB_FREE_OK)
			goto out_unlock;
	} else if (obj == slab->freelist) {	/* the one free check */
		slab_report(SLAB_BUG_DOUBLE_FREE, c, obj, caller,
			    "the object is already the first free one; ignored");
		goto out_unlock;
	}
	__kmem_cache_free(c, slab, obj);
	c->free_objects++;
	if (slab->inuse == 0 && c->free_objects >= 2UL * c->objects)
		slab_release(c, slab);
out_unlock:
	spin_unlock_irqrestore(&c->lock, flags);
}

void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t gfp)
{
	return slab_alloc(cache, gfp, CALLER_ADDR);
}

void kmem_cache_free(struct kmem_cache *cache, void *obj)
{
	slab_free(cache, obj, CALLER_ADDR);	/* NULL @cache: like kfree */
}

/* --- creating and destroying caches -------------------------------------- */

struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align, unsigned int flags)
{
	struct kmem_cache layout, *c;

	/* Check everything first, so that bad arguments change nothing. */
	if (kmem_cache_setup(&layout, name, size, align,
			     flags & ~(SLAB_STATIC | SLAB_NO_DEBUG)) < 0)
		return NULL;
	c = slab_alloc(&kmem_cache_cache, GFP_KERNEL, CALLER_ADDR);
	if (!c)
		return NULL;
	*c = layout;
	cache_init_lists(c);	/* the copied list heads point into layout */
	slab_register(c);
	return c;
}

/* Release every slab with nothing left in it; count the slabs kept. */
static unsigned long release_slabs(struct kmem_cache *c, struct list_head *list,
				   unsigned long caller)
{
	struct page *slab, *next;
	unsigned long kept = 0;

	list_for_each_entry_safe(slab, next, list, lru) {
		/* A damaged free object keeps its slab, as quarantine does. */
		if (slab->inuse == 0 &&
		    !(c->debug && slab_debug_validate(c, slab, caller)))
			slab_release(c, slab);
		else
			kept++;
	}
	return kept;
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	unsigned long flags, in_use, kept;

	if (!c)
		return;
	if (c->flags & SLAB_STATIC) {
		pr_err("BUG: slab: kmem_cache_destroy(%s): a built-in cache; not destroyed\n",
		       c->name);
		mm_dump_stack();
		return;
	}
	flags = spin_lock_irqsave(&c->lock);
	in_use = c->nr_slabs * c->objects - c->free_objects - c->quarantined;
	if (in_use) {
		spin_unlock_irqrestore(&c->lock, flags);
		pr_err("BUG: slab: kmem_cache_destroy(%s): %lu objects still allocated; the cache is leaked\n",
		       c->name, in_use);
		mm_dump_stack();
		return;
	}
	kept = release_slabs(c, &c->partial, CALLER_ADDR) +
	       release_slabs(c, &c->full, CALLER_ADDR);
	spin_unlock_irqrestore(&c->lock, flags);
	if (kept) {	/* the cache must outlive its slabs: keep both */
		pr_warn("slab: %s keeps %lu slab(s) with quarantined objects\n",
			c->name, kept);
		return;
	}
	flags = spin_lock_irqsave(&slab_caches_lock);
	list_del(&c->list);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	slab_free(&kmem_cache_cache, c, CALLER_ADDR);
}

const char *kmem_cache_name(const struct kmem_cache *cache)
{
	return cache ? cache->name : "(null)";
}

size_t kmem_cache_size(const struct kmem_cache *cache)
{
	return cache ? cache->object_size : 0;
}

/**
 * slab_totals - pages held by all slabs of all caches, and objects
 * allocated from them (quarantined ones not counted): with
 * nr_free_pages(), what the tests' leak checks compare.
 */
void slab_totals(unsigned long *pages, unsigned long *in_use)
{
	unsigned long flags = spin_lock_irqsave(&slab_caches_lock);
	struct kmem_cache *c;

	*pages = *in_use = 0;
	list_for_each_entry(c, &slab_caches, list) {
		unsigned long cflags = spin_lock_irqsave(&c->lock);

		*pages += c->nr_slabs << c->order;
		*in_use += c->nr_slabs * c->objects - c->free_objects -
			   c->quarantined;
		spin_unlock_irqrestore(&c->lock, cflags);
	}
	spin_unlock_irqrestore(&slab_caches_lock, flags);
}

/** slab_init - set up the cache of caches; mm_init, after the zones. */
void slab_init(void)
{
	kmem_cache_setup(&kmem_cache_cache, "kmem_cache",
			 sizeof(struct kmem_cache), 0, SLAB_STATIC);
	slab_register(&kmem_cache_cache);
}

/** kmalloc_cache_setup - a built-in cache for kmalloc (kmalloc.c). */
void kmalloc_cache_setup(struct kmem_cache *c, const char *name, size_t size,
			 bool debug)
{
	kmem_cache_setup(c, name, size, 0,
			 SLAB_STATIC | (debug ? SLAB_DEBUG : SLAB_NO_DEBUG));
	slab_register(c);
}
