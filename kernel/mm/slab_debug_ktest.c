/*
 * slab_debug_ktest.c — heap bugs planted on purpose, and caught.
 *
 *   slab_double_free     kmem_cache_free twice, and kfree twice
 *   slab_use_after_free  a byte written into a freed object
 *   slab_overflow        one byte written past the end, one before the start
 *   slab_invalid_free    an interior pointer, another cache's object, a
 *                        page from alloc_pages, the kernel image, a user
 *                        address, and an object that was never allocated
 *
 * Each bug is committed by a function named slab_plant_<bug>, so each
 * report must say `caller: slab_plant_<bug>+0x…/0x…`, and happens in a
 * cache named kt-<kind>-<the nonce's low 24 bits in hex>; grade/lab02.py
 * checks both on the console.  A test passes when the right counter of
 * slab_bug_count[] went up by exactly the number of bugs planted, the
 * damaged object is never handed out again, and nothing leaked (a cache
 * that keeps a quarantined object stays, by design: that is accounted).
 * The tests' caches are created with SLAB_DEBUG, and kmalloc's debug set
 * is selected for the kfree case, so slab_debug=0 does not matter.
 */
#include <kestrel/slab.h>
#include <kestrel/sprintf.h>
#include "mm_ktest.h"

/* Never inlined, cloned or merged: reports must name these functions. */
#define __plant	__attribute__((noipa))

static char kernel_image_byte;

static struct kmem_cache *debug_cache(const char *kind, size_t size)
{
	char name[32];

	snprintf(name, sizeof(name), "kt-%s-%06llx", kind,
		 (unsigned long long)(ktest_nonce() & 0xffffff));
	printk("# cache %s: bug reports about it follow, on purpose\n", name);
	return kmem_cache_create(name, size, 0, SLAB_DEBUG);
}

/* Nothing leaked since @s, apart from @kept caches kept for quarantine. */
static bool no_leak_but(const struct mm_snapshot *s, unsigned long kept)
{
	struct mm_snapshot now;

	mm_snapshot_take(&now);
	return now.free + now.slab_pages == s->free + s->slab_pages &&
	       now.slab_objects == s->slab_objects + kept;
}

/* Allocate @n objects from @c: none may be @bad; then free them all. */
static bool never_handed_out(struct kmem_cache *c, unsigned int n,
			     const void *bad1, const void *bad2)
{
	static void *held[256];
	bool ok = true;
	unsigned int i;

	n = MIN(n, ARRAY_SIZE(held));
	for (i = 0; i < n; i++) {
		held[i] = kmem_cache_alloc(c, GFP_KERNEL);
		ok &= held[i] && held[i] != bad1 && held[i] != bad2;
	}
	for (i = 0; i < n; i++)
		kmem_cache_free(c, held[i]);
	return ok;
}

static __plant void *slab_plant_double_free(struct kmem_cache *c)
{
	void *p = kmem_cache_alloc(c, GFP_KERNEL);

	kmem_cache_free(c, p);
	kmem_cache_free(c, p);		/* the bug: freed twice */
	return p;
}

static __plant void *slab_plant_kfree_twice(size_t size)
{
	void *p = kmalloc(size, GFP_KERNEL);

	kfree(p);
	kfree(p);			/* the bug: freed twice */
	return p;
}

KTEST(slab_double_free)
{
	unsigned long bugs = slab_bug_count[SLAB_BUG_DOUBLE_FREE];
	size_t size = 24 + (ktest_nonce() % 40) * 8;
	struct mm_snapshot start;
	struct kmem_cache *c;
	void *p, *a, *b;
	bool old;

	if (mm_ktest_skip(ctx, NEED_KMALLOC))
		return;
	mm_snapshot_take(&start);
	c = debug_cache("dfree", size);
	if (!c) {
		ktest_fail(ctx, __FILE__, __LINE__, "kmem_cache_create failed");
		return;
	}
	p = slab_plant_double_free(c);
	KT_EXPECT(ctx, slab_bug_count[SLAB_BUG_DOUBLE_FREE] == bugs + 1);
	/* On the free list once only: two allocations, two objects. */
	a = kmem_cache_alloc(c, GFP_KERNEL);
	b = kmem_cache_alloc(c, GFP_KERNEL);
	KT_EXPECT(ctx, a == p && b && b != p);
	kmem_cache_free(c, a);
	kmem_cache_free(c, b);
	kmem_cache_destroy(c);

	old = slab_debug_set(true);
	p = slab_plant_kfree_twice(size);
	KT_EXPECT(ctx, slab_bug_count[SLAB_BUG_DOUBLE_FREE] == bugs + 2);
	a = kmalloc(size, GFP_KERNEL);
	b = kmalloc(size, GFP_KERNEL);
	KT_EXPECT(ctx, a == p && b && b != p);
	kfree(a);
	kfree(b);
	slab_debug_set(old);
	KT_EXPECT(ctx, no_leak_but(&start, 0));
}

static __plant void *slab_plant_use_after_free(struct kmem_cache *c,
						  size_t offset, void **freed)
{
	u8 *p = kmem_cache_alloc(c, GFP_KERNEL);

	kmem_cache_free(c, p);
	p[offset] = 0x42;		/* the bug: a write after the free */
	*freed = p;
	return kmem_cache_alloc(c, GFP_KERNEL);	/* finds it */
}

KTEST(slab_use_after_free)
{
	unsigned long bugs = slab_bug_count[SLAB_BUG_USE_AFTER_FREE];
	size_t size = 32 + ktest_nonce() % 200;
	size_t offset = (ktest_nonce() >> 8) % size;
	struct mm_snapshot start;
	struct kmem_cache *c;
	void *p = NULL, *q;

	if (mm_ktest_skip(ctx, NEED_SLAB))
		return;
	mm_snapshot_take(&start);
	c = debug_cache("uaf", size);
	if (!c) {
		ktest_fail(ctx, __FILE__, __LINE__, "kmem_cache_create failed");
		return;
	}
	q = slab_plant_use_after_free(c, offset, &p);
	KT_EXPECT(ctx, slab_bug_count[SLAB_BUG_USE_AFTER_FREE] == bugs + 1);
	KT_EXPECT(ctx, q && q != p);		/* another object instead */
	KT_EXPECT(ctx, never_handed_out(c, 2 * c->objects, p, NULL));
	kmem_cache_free(c, q);
	kmem_cache_destroy(c);			/* kept: it holds p */
	KT_EXPECT(ctx, no_leak_but(&start, 1));
}

static __plant void *slab_plant_overflow(struct kmem_cache *c, size_t size)
{
	u8 *p = kmem_cache_alloc(c, GFP_KERNEL);

	p[size] = 0x42;			/* the bug: one byte past the end */
	kmem_cache_free(c, p);		/* finds it */
	return p;
}

static __plant void *slab_plant_underflow(struct kmem_cache *c)
{
	u8 *p = kmem_cache_alloc(c, GFP_KERNEL);

	p[-1] = 0x42;			/* the bug: one byte before the start */
	kmem_cache_free(c, p);		/* finds it */
	return p;
}

KTEST(slab_overflow)
{
	unsigned long bugs = slab_bug_count[SLAB_BUG_OUT_OF_BOUNDS];
	size_t size = 8 + ktest_nonce() % 300;	/* any size, to the byte */
	struct mm_snapshot start;
	struct kmem_cache *c;
	void *p, *q;

	if (mm_ktest_skip(ctx, NEED_SLAB))
		return;
	mm_snapshot_take(&start);
	c = debug_cache("oob", size);
	if (!c) {
		ktest_fail(ctx, __FILE__, __LINE__, "kmem_cache_create failed");
		return;
	}
	p = slab_plant_overflow(c, size);
	KT_EXPECT(ctx, slab_bug_count[SLAB_BUG_OUT_OF_BOUNDS] == bugs + 1);
	q = slab_plant_underflow(c);
	KT_EXPECT(ctx, slab_bug_count[SLAB_BUG_OUT_OF_BOUNDS] == bugs + 2);
	KT_EXPECT(ctx, never_handed_out(c, 2 * c->objects, p, q));
	kmem_cache_destroy(c);			/* kept: it holds p and q */
	KT_EXPECT(ctx, no_leak_but(&start, 1));
}

static __plant void slab_plant_invalid_frees(struct kmem_cache *c, u8 *obj,
						void *other_obj, void *page)
{
	kmem_cache_free(c, obj + 8);		/* inside an object */
	kmem_cache_free(c, other_obj);		/* another cache's object */
	kfree(page);				/* a page from alloc_pages */
	kfree(&kernel_image_byte);		/* the kernel image */
	kfree((void *)0x1000);			/* a user address */
	kmem_cache_free(c, obj + c->size);	/* a slot never allocated */
}

KTEST(slab_invalid_free)
{
	unsigned long invalid = slab_bug_count[SLAB_BUG_INVALID_FREE];
	unsigned long doubles = slab_bug_count[SLAB_BUG_DOUBLE_FREE];
	struct mm_snapshot start, before;
	struct kmem_cache *c, *other;
	void *obj, *other_obj;
	struct page *page;

	if (mm_ktest_skip(ctx, NEED_KMALLOC))
		return;
	mm_snapshot_take(&start);
	c = debug_cache("inval", 64 + ktest_nonce() % 64);
	other = debug_cache("other", 48);
	/* obj is the first object of a new slab: the next slot is free. */
	obj = c ? kmem_cache_alloc(c, GFP_KERNEL) : NULL;
	other_obj = other ? kmem_cache_alloc(other, GFP_KERNEL) : NULL;
	page = alloc_page(GFP_KERNEL);
	if (!obj || !other_obj || !page) {
		ktest_fail(ctx, __FILE__, __LINE__, "setup failed");
		return;
	}
	mm_snapshot_take(&before);
	slab_plant_invalid_frees(c, obj, other_obj, page_to_virt(page));
	KT_EXPECT(ctx, slab_bug_count[SLAB_BUG_INVALID_FREE] == invalid + 5);
	KT_EXPECT(ctx, slab_bug_count[SLAB_BUG_DOUBLE_FREE] == doubles + 1);
	KT_EXPECT(ctx, mm_same_free_lists(&before) && no_leak_but(&before, 0));
	kmem_cache_free(c, obj);
	kmem_cache_free(other, other_obj);
	__free_page(page);
	kmem_cache_destroy(c);
	kmem_cache_destroy(other);
	KT_EXPECT(ctx, no_leak_but(&start, 0));
}
