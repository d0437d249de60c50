/*
 * kestrel/slab.h — object caches and kmalloc.
 *
 * A kmem_cache hands out objects of one size.  It carves them out of
 * slabs (blocks of 2^order pages from alloc_pages) and keeps freed objects
 * on a free list inside their slab, so allocating and freeing an object is
 * a few pointer moves instead of a page allocation (kernel/mm/slab.c).
 * kmalloc serves any size: up to KMALLOC_MAX_CACHE_SIZE from a cache per
 * size class (kmalloc-8 … kmalloc-8192), larger sizes straight from the
 * page allocator (kernel/mm/kmalloc.c).
 *
 * Debugging (kernel/mm/slab_debug.c), on unless the command line says
 * `slab_debug=0`: every object gets red zones before and after it, a freed
 * object is filled with a poison pattern, and each object records who
 * allocated and freed it.  A double free, a write to a freed object or a
 * write past either end of an object is then caught at the next free or
 * allocation and reported — "BUG: slab-debug: <what> in cache <name>",
 * the caller, a backtrace — and the kernel goes on; the damaged object is
 * quarantined, never handed out again.  Freeing a pointer that no cache
 * handed out is reported in both modes.
 *
 * Interface rules: nothing here sleeps; each cache has a spinlock taken
 * with interrupts off, and the page allocator's zone lock nests inside it.
 * Allocation failure returns NULL.  A returned object is aligned to the
 * cache's alignment (kmalloc: 8 bytes).  Names and semantics are Linux's
 * (include/linux/slab.h) except where a comment says otherwise.
 */
#ifndef KESTREL_SLAB_H
#define KESTREL_SLAB_H

#include <kestrel/gfp.h>
#include <kestrel/types.h>

struct kmem_cache;

/* kmem_cache_create flags */
#define SLAB_HWCACHE_ALIGN	0x1u	/* align objects to 64-byte lines */
#define SLAB_CACHE_DMA32	0x2u	/* slabs below 4 GiB (ZONE_DMA32) */
#define SLAB_DEBUG		0x4u	/* debug even with slab_debug=0 */

#define KMALLOC_MIN_ALIGN	8		/* bytes, any kmalloc result */
#define KMALLOC_MAX_CACHE_SIZE	8192UL		/* bytes; more: pages */
#define KMALLOC_MAX_SIZE	(4096UL << 10)	/* bytes: 2^MAX_ORDER pages */

/**
 * kmem_cache_create - make a cache of @size-byte objects.
 * @name: shown in reports; copied (at most 31 characters kept)
 * @size: bytes per object, 1 … a little under 32 KiB
 * @align: 0 (8 bytes) or a power of two up to PAGE_SIZE
 * @flags: SLAB_* above
 *
 * Returns the cache, or NULL for bad arguments or when memory is short.
 * Whether the cache debugs its objects is decided now: SLAB_DEBUG, or
 * slab_debug on at this moment.  Locking: takes the cache-list lock;
 * never sleeps.  Destroy with kmem_cache_destroy.
 */
struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align, unsigned int flags);

/**
 * kmem_cache_alloc - one object from @cache, or NULL (@cache NULL or no
 * memory).  @gfp: __GFP_ZERO zero-fills the object.  The contents are
 * otherwise undefined (0x6b bytes in debug mode).  Cache lock, interrupts
 * off; never sleeps.
 */
void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t gfp);

/**
 * kmem_cache_free - give @obj back to @cache.  NULL is ignored.  A pointer
 * that is not an allocated object of @cache is reported and not freed.
 * Cache lock, interrupts off; never sleeps.
 */
void kmem_cache_free(struct kmem_cache *cache, void *obj);

/**
 * kmem_cache_destroy - free @cache and its slabs.  Every object must have
 * been freed: if some are still allocated, the cache is reported and left
 * alone (leaked).  Slabs holding quarantined objects are kept.  NULL is
 * ignored; the kmalloc caches cannot be destroyed.
 */
void kmem_cache_destroy(struct kmem_cache *cache);

/** kmem_cache_name - the cache's name, for messages. */
const char *kmem_cache_name(const struct kmem_cache *cache);

/** kmem_cache_size - the object size in bytes, as created. */
size_t kmem_cache_size(const struct kmem_cache *cache);

/**
 * kmalloc - @size bytes of memory aligned to at least KMALLOC_MIN_ALIGN.
 * Returns NULL for @size 0 (Linux returns a special non-NULL pointer),
 * for @size > KMALLOC_MAX_SIZE, or when memory is short.  @gfp:
 * __GFP_ZERO zero-fills; __GFP_DMA32 is honoured only above
 * KMALLOC_MAX_CACHE_SIZE (otherwise NULL: use a SLAB_CACHE_DMA32 cache).
 * Never sleeps.  Free with kfree.
 */
void *kmalloc(size_t size, gfp_t gfp);

/** kzalloc - kmalloc(@size, @gfp | __GFP_ZERO). */
void *kzalloc(size_t size, gfp_t gfp);

/**
 * krealloc - resize @p (from kmalloc) to @new_size bytes, keeping the
 * first min(old, new) bytes.  @p NULL: kmalloc.  @new_size 0: kfree(@p),
 * returns NULL.  Returns the new pointer (maybe @p itself); on failure
 * NULL, and @p is left untouched and still allocated.
 */
void *krealloc(void *p, size_t new_size, gfp_t gfp);

/**
 * kfree - free memory from kmalloc/kzalloc/krealloc (or any slab object).
 * NULL is ignored; anything else that is not an allocated block is
 * reported and ignored.  Never sleeps.
 */
void kfree(const void *p);

/** ksize - the usable size in bytes of the block @p points to (at least
 *  what was asked for), or 0 for NULL or a pointer that is not from kmalloc. */
size_t ksize(const void *p);

/**
 * slab_debug_set - turn debugging on or off at run time; returns the old
 * setting.  Affects caches created afterwards and which kmalloc caches
 * serve later kmalloc calls (kmalloc keeps a plain and a debug set; each
 * block is freed to the cache it came from).  For benchmarks and tests.
 */
bool slab_debug_set(bool on);

/** slab_debug_enabled - the current setting (slab_debug= at boot). */
bool slab_debug_enabled(void);

#endif
