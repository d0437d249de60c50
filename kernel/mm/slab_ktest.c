/*
 * slab_ktest.c — object caches and kmalloc under test, and the debug
 * checks caught in the act.
 *
 *   slab_reuse          a cache hands freed objects out again (last freed,
 *                       first reused), needs no more slabs the second time
 *                       and gives every page back when destroyed
 *   kmalloc_sizes       every size class and its neighbours, large sizes
 *                       from the page allocator, kzalloc, krealloc, and the
 *                       impossible sizes and arguments (NULL, no change)
 *   slab_double_free    a planted double free (kmem_cache_free and kfree)
 *   slab_use_after_free a planted write to a freed object
 *   slab_overflow       planted writes one byte past and one byte before
 *   slab_invalid_free   pointers no cache handed out, freed
 *
 * The planted bugs live in small functions named slab_plant_*; the
 * reports must name them as the caller and the test's cache by name
 * (`kt-<kind>-<nonce>`), which grade/lab02.py checks on the console.
 * The debug tests force debugging on for their caches (SLAB_DEBUG) and,
 * for kmalloc, for their own duration (slab_debug_set), so they pass
 * whatever slab_debug= says.  Every test ends with a leak check.
 */
#include <kestrel/slab.h>
#include <kestrel/sprintf.h>
#include "mm_ktest.h"

#define REUSE_MAX	512	/* objects held at once by slab_reuse */

static void *objs[REUSE_MAX];

/* "kt-<kind>-<the nonce's low 24 bits>": a name the grader can predict. */
static struct kmem_cache *test_cache(const char *kind, size_t size,
				     unsigned int flags)
{
	char name[32];

	snprintf(name, sizeof(name), "kt-%s-%06llx", kind,
		 (unsigned long long)(ktest_nonce() & 0xffffff));
	return kmem_cache_create(name, size, 0, flags);
}

static bool overlaps(const void *a, const void *b, size_t size)
{
	return (const char *)a < (const char *)b + size &&
	       (const char *)b < (const char *)a + size;
}

static unsigned int fill_objects(struct ktest_ctx *ctx, struct kmem_cache *c,
				 unsigned int n)
{
	size_t size = kmem_cache_size(c);
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		if (!objs[i] || ((unsigned long)objs[i] & 7)) {
			ktest_fail(ctx, __FILE__, __LINE__, "object %u: %p", i, objs[i]);
			return i;
		}
		memset(objs[i], (int)i, size);
		for (j = 0; j < i; j++)
			if (overlaps(objs[i], objs[j], size))
				ktest_fail(ctx, __FILE__, __LINE__, "objects %u and %u overlap", j, i);
	}
	for (i = 0; i < n; i++)
		if (!mm_all_bytes(objs[i], size, (u8)i))
			ktest_fail(ctx, __FILE__, __LINE__, "object %u was overwritten", i);
	return n;
}

KTEST(slab_reuse)
{
	size_t size = 16 + (ktest_nonce() % 61) * 8;	/* 16 … 496 bytes */
	struct mm_snapshot start, first;
	struct kmem_cache *c;
	unsigned int n, i;
	void *again;

	if (mm_ktest_skip(ctx, NEED_SLAB))
		return;
	mm_snapshot_take(&start);
	c = test_cache("reuse", size, 0);
	if (!c) {
		ktest_fail(ctx, __FILE__, __LINE__, "kmem_cache_create(%zu bytes) failed", size);
		return;
	}
	n = MIN(3 * c->objects + 1, REUSE_MAX);	/* at least four slabs */
	n = fill_objects(ctx, c, n);
	mm_snapshot_take(&first);
	/* Last freed, first reused. */
	kmem_cache_free(c, objs[n / 2]);
	again = kmem_cache_alloc(c, GFP_KERNEL);
	KT_EXPECT(ctx, again == objs[n / 2]);
	for (i = 0; i < n; i++)
		kmem_cache_free(c, objs[i]);
	KT_EXPECT(ctx, c->nr_slabs <= 1);	/* one spare slab at most */
	/* The second time round needs exactly as many pages. */
	n = fill_objects(ctx, c, n);
	KT_EXPECT(ctx, nr_free_pages() == first.free);
	for (i = 0; i < n; i++)
		kmem_cache_free(c, objs[i]);
	kmem_cache_destroy(c);
	KT_EXPECT(ctx, mm_no_leak(&start));
}

/* Sizes for kmalloc_sizes: every class, its neighbours, big ones. */
static const size_t fixed_sizes[] = {
	1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 95, 96, 97,
	127, 128, 129, 191, 192, 193, 255, 256, 257, 511, 512, 513, 1023,
	1024, 1025, 2047, 2048, 2049, 4095, 4096, 4097, 8191, 8192, 8193,
	12288, 65536, 100000, 1 << 20, KMALLOC_MAX_SIZE,
};

#define NR_SIZES	(ARRAY_SIZE(fixed_sizes) + 16)

static void kmalloc_many(struct ktest_ctx *ctx)
{
	static size_t sizes[NR_SIZES];
	static u8 *blocks[NR_SIZES];
	u64 r = ktest_nonce();
	unsigned int i;

	for (i = 0; i < NR_SIZES; i++)
		sizes[i] = i < ARRAY_SIZE(fixed_sizes) ? fixed_sizes[i] :
			   1 + mm_ktest_random(&r) % 20000;
	for (i = 0; i < NR_SIZES; i++) {
		blocks[i] = kmalloc(sizes[i], GFP_KERNEL);
		if (!blocks[i] ||
		    ((unsigned long)blocks[i] % KMALLOC_MIN_ALIGN) ||
		    ksize(blocks[i]) < sizes[i]) {
			ktest_fail(ctx, __FILE__, __LINE__, "kmalloc(%zu) = %p, ksize %zu",
				   sizes[i], blocks[i], ksize(blocks[i]));
			continue;
		}
		memset(blocks[i], (int)i, sizes[i]);
	}
	for (i = 0; i < NR_SIZES; i++) {
		if (blocks[i] && (blocks[i][0] != (u8)i ||
				  blocks[i][sizes[i] - 1] != (u8)i))
			ktest_fail(ctx, __FILE__, __LINE__, "kmalloc(%zu) block overwritten",
				   sizes[i]);
		kfree(blocks[i]);
	}
}

static void kzalloc_and_krealloc(struct ktest_ctx *ctx)
{
	size_t zs[] = { 1, 40, 300, 4096, 10000 };
	unsigned int i;
	u8 *p, *q;

	for (i = 0; i < ARRAY_SIZE(zs); i++) {
		p = kmalloc(zs[i], GFP_KERNEL);	/* leave dirt to be cleared */
		if (p)
			memset(p, 0x5a, zs[i]);
		kfree(p);
		p = kzalloc(zs[i], GFP_KERNEL);
		KT_EXPECT(ctx, p && mm_all_bytes(p, zs[i], 0));
		kfree(p);
	}
	p = krealloc(NULL, 24, GFP_KERNEL);
	for (i = 0; p && i < 24; i++)
		p[i] = (u8)(i + 1);
	q = krealloc(p, 1000, GFP_KERNEL);		/* to another class */
	KT_EXPECT(ctx, q && q[0] == 1 && q[23] == 24);
	p = krealloc(q, 100000, GFP_KERNEL);		/* to whole pages */
	KT_EXPECT(ctx, p && p[0] == 1 && p[23] == 24);
	q = krealloc(p, 10, GFP_KERNEL);		/* smaller: same */
	KT_EXPECT(ctx, q == p);
	p = krealloc(q, KMALLOC_MAX_SIZE + 1, GFP_KERNEL);	/* fails ... */
	KT_EXPECT(ctx, p == NULL && q && q[23] == 24);	/* ... and q stays */
	KT_EXPECT(ctx, krealloc(q, 0, GFP_KERNEL) == NULL);	/* frees q */
}

static void impossible_requests(struct ktest_ctx *ctx)
{
	KT_EXPECT(ctx, kmalloc(0, GFP_KERNEL) == NULL);
	KT_EXPECT(ctx, kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL) == NULL);
	KT_EXPECT(ctx, kmalloc(SIZE_MAX, GFP_KERNEL) == NULL);
	KT_EXPECT(ctx, kzalloc(SIZE_MAX / 2, GFP_KERNEL) == NULL);
	KT_EXPECT(ctx, kmem_cache_create("kt-bad", 0, 0, 0) == NULL);
	KT_EXPECT(ctx, kmem_cache_create("kt-bad", 64, 3, 0) == NULL);
	KT_EXPECT(ctx, kmem_cache_create("kt-bad", 64, 2 * PAGE_SIZE, 0) == NULL);
	KT_EXPECT(ctx, kmem_cache_create("kt-bad", 1 << 20, 0, 0) == NULL);
	KT_EXPECT(ctx, kmem_cache_create(NULL, 64, 0, 0) == NULL);
	KT_EXPECT(ctx, kmem_cache_alloc(NULL, GFP_KERNEL) == NULL);
	KT_EXPECT(ctx, ksize(NULL) == 0);
	kfree(NULL);
	kmem_cache_free(NULL, NULL);
	kmem_cache_destroy(NULL);
}

KTEST(kmalloc_sizes)
{
	unsigned long bugs[NR_SLAB_BUGS];
	struct mm_snapshot start, warm;

	if (mm_ktest_skip(ctx, NEED_KMALLOC))
		return;
	memcpy(bugs, slab_bug_count, sizeof(bugs));
	mm_snapshot_take(&start);
	kmalloc_many(ctx);		/* also warms every class up */
	mm_snapshot_take(&warm);
	kmalloc_many(ctx);
	kzalloc_and_krealloc(ctx);
	KT_EXPECT(ctx, mm_no_leak(&warm));
	mm_snapshot_take(&warm);
	impossible_requests(ctx);
	KT_EXPECT(ctx, mm_same_free_lists(&warm) && mm_no_leak(&warm));
	KT_EXPECT(ctx, mm_no_leak(&start));
	KT_EXPECT(ctx, memcmp(bugs, slab_bug_count, sizeof(bugs)) == 0);
}
