/*
 * vmalloc_ktest.c — in-kernel tests of vmalloc (lab 3).
 *
 *	vmalloc_basic    a nonce-sized area: page-aligned, in the vmalloc area,
 *	                 every byte usable, pages really mapped; vfree unmaps
 *	vmalloc_zero     vzalloc zero-fills, even over freshly freed pages
 *	vmalloc_guard    the page before and after an area faults; two areas
 *	                 never share a guard page
 *	vmalloc_many     areas of nonce-chosen sizes, freed in a nonce-chosen
 *	                 order and reallocated, never disturb one another
 *	vmalloc_large    4 MiB and more: page tables allocated on the way
 *	vmalloc_exhaust  an allocation bigger than free memory fails cleanly:
 *	                 every page it took goes back
 *	vmm_guard_oops   (manual) writes past the end of an area for real, so
 *	                 the grader can read the oops that names the area
 *
 * Leak checks compare nr_free_pages() before and after.  An allocation
 * may leave page tables and slab pages behind the first time (both are
 * kept for reuse), so each leak check repeats a warm-up run first.
 */
#include <kestrel/errno.h>
#include <kestrel/extable.h>
#include <kestrel/ktest.h>
#include <kestrel/mm.h>
#include <kestrel/pgtable.h>
#include <kestrel/printk.h>
#include <kestrel/string.h>
#include <kestrel/vmalloc.h>

/* xorshift64 (Marsaglia 2003): test inputs from the nonce. */
static u64 next_rand(u64 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static u64 seed(void)
{
	return ktest_nonce() | 1;
}

/* Fill @len bytes at @p with a pattern of @tag; check it back. */
static void fill(u8 *p, size_t len, u8 tag)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(i * 7 + tag);
}

static bool intact(const u8 *p, size_t len, u8 tag)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (u8)(i * 7 + tag))
			return false;
	return true;
}

KTEST(vmalloc_basic)
{
	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	size_t size = 1 + ktest_nonce() % (64 << 10);
	enum pg_level level;
	struct vm_struct *area;
	unsigned long off;
	u8 *p = vmalloc(size), v;

	if (!p) {
		ktest_fail(ctx, __FILE__, __LINE__, "vmalloc(%zu) failed",
			   size);
		return;
	}
	KT_EXPECT(ctx,
		  is_vmalloc_addr(p) && !((unsigned long)p & (PAGE_SIZE - 1)));
	area = find_vm_area(p);
	KT_EXPECT(ctx, area && area->addr == (unsigned long)p &&
			       area->size == ALIGN_UP(size, PAGE_SIZE));
	fill(p, size, (u8)ktest_nonce());
	KT_EXPECT(ctx, intact(p, size, (u8)ktest_nonce()));
	/* Each page is a real page, seen the same through the direct map. */
	for (off = 0; off < size; off += PAGE_SIZE) {
		pte_t *pte = pgtable_lookup(init_pgd, (unsigned long)p + off,
					    &level);

		if (!pte || level != PG_LEVEL_4K || (*pte & _PAGE_USER) ||
		    !(*pte & _PAGE_RW) || !(*pte & _PAGE_NX) ||
		    *(u8 *)__va(entry_phys(*pte)) != p[off]) {
			ktest_fail(ctx, __FILE__, __LINE__,
				   "page %lu badly mapped", off / PAGE_SIZE);
			break;
		}
	}
	vfree(p);
	KT_EXPECT(ctx, !find_vm_area(p));
	KT_EXPECT(ctx, probe_read_u8(p, &v) == -EFAULT);
	KT_EXPECT(ctx, probe_read_u8(p + size - 1, &v) == -EFAULT);
	KT_EXPECT(ctx, !vmalloc(0));
	vfree(NULL);
}

KTEST(vmalloc_zero)
{
	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	size_t size = 3 * PAGE_SIZE, i;
	u8 *p = vmalloc(size), *q;

	if (p)
		memset(p, 0xa5, size);
	vfree(p);
	q = vzalloc(size);
	KT_EXPECT(ctx, p && q);
	for (i = 0; q && i < size; i++)
		if (q[i]) {
			ktest_fail(ctx, __FILE__, __LINE__, "byte %zu is %#x",
				   i, q[i]);
			break;
		}
	vfree(q);
}

KTEST(vmalloc_guard)
{
	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	size_t size = 8192, past = ktest_nonce() % PAGE_SIZE;
	u8 *p = vmalloc(size), *q = vmalloc(PAGE_SIZE), v;

	if (!p || !q) {
		ktest_fail(ctx, __FILE__, __LINE__, "vmalloc failed");
		goto out;
	}
	KT_EXPECT(ctx, probe_write_u8(p, 1) == 0);
	KT_EXPECT(ctx, probe_read_u8(p + size - 1, &v) == 0);
	KT_EXPECT(ctx, probe_read_u8(p - 1, &v) == -EFAULT);
	KT_EXPECT(ctx, probe_read_u8(p - PAGE_SIZE, &v) == -EFAULT);
	KT_EXPECT(ctx, probe_write_u8(p + size, 1) == -EFAULT);
	KT_EXPECT(ctx, probe_write_u8(p + size + past, 1) == -EFAULT);
	/* Guard page included, the two ranges must not meet. */
	KT_EXPECT(ctx, q - PAGE_SIZE >= p + size + PAGE_SIZE ||
			       q + PAGE_SIZE + PAGE_SIZE <= p - PAGE_SIZE);
out:
	vfree(q);
	vfree(p);
}

#define NR_MANY 24

KTEST(vmalloc_many)
{
	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	static u8 *area[NR_MANY];
	static size_t size[NR_MANY];
	u64 x = seed();
	unsigned int i, j, round;

	for (i = 0; i < NR_MANY; i++) {
		size[i] = 1 + next_rand(&x) % (5 * PAGE_SIZE);
		area[i] = vmalloc(size[i]);
		if (area[i])
			fill(area[i], size[i], (u8)i);
	}
	for (round = 0; round < 2; round++) {
		/* Free a random half, then allocate them again, resized. */
		for (j = 0; j < NR_MANY / 2; j++) {
			i = next_rand(&x) % NR_MANY;
			vfree(area[i]);
			size[i] = 1 + next_rand(&x) % (5 * PAGE_SIZE);
			area[i] = vmalloc(size[i]);
			if (area[i])
				fill(area[i], size[i], (u8)i);
		}
		for (i = 0; i < NR_MANY; i++)
			if (!area[i] || !intact(area[i], size[i], (u8)i)) {
				ktest_fail(
					ctx, __FILE__, __LINE__,
					"area %u (%zu bytes) missing or damaged",
					i, size[i]);
				break;
			}
	}
	for (i = 0; i < NR_MANY; i++) {
		vfree(area[i]);
		area[i] = NULL;
	}
}

/* vmalloc @size bytes, touch every page, free; false if the alloc failed. */
static bool touch_area(size_t size, u8 tag)
{
	u8 *p = vmalloc(size);
	size_t off;
	bool ok = p != NULL;

	for (off = 0; p && off < size; off += PAGE_SIZE)
		p[off] = tag;
	for (off = 0; p && off < size; off += PAGE_SIZE)
		ok &= p[off] == tag;
	vfree(p);
	return ok;
}

KTEST(vmalloc_large)
{
	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	size_t size = (4UL << 20) + (1 + ktest_nonce() % 64) * PAGE_SIZE;
	unsigned long before;

	KT_EXPECT(ctx, touch_area(size, (u8)ktest_nonce())); /* warm-up */
	before = nr_free_pages();
	KT_EXPECT(ctx, touch_area(size, (u8)~ktest_nonce()));
	KT_EXPECT(ctx, nr_free_pages() == before);
}

KTEST(vmalloc_exhaust)
{
	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	size_t size = (nr_free_pages() + 256) * PAGE_SIZE;
	unsigned long before;

	KT_EXPECT(ctx, !vmalloc(size)); /* warm-up: page tables */
	before = nr_free_pages();
	KT_EXPECT(ctx, !vmalloc(size));
	KT_EXPECT(ctx, nr_free_pages() == before);
	KT_EXPECT(ctx, touch_area(PAGE_SIZE, 1)); /* still works after */
}

KTEST_FLAGS(vmm_guard_oops, KTEST_MANUAL)
{
	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	size_t size = 8192, past = (ktest_nonce() >> 4) % PAGE_SIZE;
	volatile u8 *p = vmalloc(size);

	if (!p) {
		ktest_fail(ctx, __FILE__, __LINE__, "vmalloc(%zu) failed",
			   size);
		return;
	}
	printk("# vmm_guard_oops: writing %zu bytes past the end of an %zu-byte area; an oops follows\n",
	       past, size);
	p[size + past] = 1;
	ktest_fail(ctx, __FILE__, __LINE__,
		   "the write past the end did not fault");
	vfree((void *)p);
}
