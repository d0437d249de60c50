/*
 * pgtable_ktest.c — in-kernel tests of the page-table interface (lab 3).
 *
 *	vmm_map_walk   pgtable_map/unmap/walk/lookup: round trips, -EINVAL,
 *	               -EEXIST undoing only its own work, large-page leaves
 *	vmm_tlb_flush  after unmap + flush (invlpg or CR3 reload) the old
 *	               translation is gone and a new one is used
 *	vmm_extable    the inline-asm ASM_EXTABLE form; every entry of the
 *	               table points into kernel text
 *	vmm_user_pgd   pgd_alloc shares the kernel half; the kernel runs on the
 *	               new tables; SMAP and SMEP stop it at a user page;
 *	               pgd_free gives back every table
 *
 * Scratch virtual addresses come from get_vm_area() (kestrel/vmalloc.h),
 * so nothing else is ever mapped there; user addresses and the bytes
 * written are derived from the nonce.  Every test unmaps what it mapped.
 */
#include <asm/extable.h>
#include <asm/processor.h>
#include <kestrel/errno.h>
#include <kestrel/extable.h>
#include <kestrel/kallsyms.h>
#include <kestrel/ktest.h>
#include <kestrel/mm.h>
#include <kestrel/pgtable.h>
#include <kestrel/printk.h>
#include <kestrel/vmalloc.h>
#include "internal.h"

#define NR_SCRATCH 4  /* pages */
#define RET_INSN 0xc3 /* `ret` */

struct scratch {
	struct vm_struct *area;
	struct page *page[NR_SCRATCH];
};

/* A reserved, unmapped virtual range and NR_SCRATCH pages; false if not. */
static bool scratch_get(struct ktest_ctx *ctx, struct scratch *s)
{
	unsigned int i;

	s->area = get_vm_area(NR_SCRATCH * PAGE_SIZE,
			      (unsigned long)__builtin_return_address(0));
	for (i = 0; i < NR_SCRATCH; i++)
		s->page[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
	for (i = 0; i < NR_SCRATCH; i++)
		if (!s->page[i] || !s->area) {
			ktest_fail(ctx, __FILE__, __LINE__, "out of memory");
			return false;
		}
	return true;
}

static void scratch_put(struct scratch *s)
{
	unsigned long flags = spin_lock_irqsave(&init_pgd_lock);
	unsigned int i;

	if (s->area) {
		pgtable_unmap(init_pgd, s->area->addr, s->area->size);
		flush_tlb_kernel_range(s->area->addr,
				       s->area->addr + s->area->size);
	}
	spin_unlock_irqrestore(&init_pgd_lock, flags);
	for (i = 0; i < NR_SCRATCH; i++)
		__free_pages(s->page[i], 0);
	if (s->area)
		free_vm_area(s->area);
}

static int map_one(unsigned long va, struct page *page, pgprot_t prot)
{
	unsigned long flags = spin_lock_irqsave(&init_pgd_lock);
	int err =
		pgtable_map(init_pgd, va, page_to_phys(page), PAGE_SIZE, prot);

	spin_unlock_irqrestore(&init_pgd_lock, flags);
	return err;
}

static void unmap_one(unsigned long va)
{
	unsigned long flags = spin_lock_irqsave(&init_pgd_lock);

	pgtable_unmap(init_pgd, va, PAGE_SIZE);
	spin_unlock_irqrestore(&init_pgd_lock, flags);
}

/* The 4 KiB leaf for @va maps @page with exactly @prot. */
static bool maps(unsigned long va, struct page *page, pgprot_t prot)
{
	enum pg_level level;
	pte_t *pte = pgtable_lookup(init_pgd, va, &level);
	pgprot_t flags;

	if (!pte || level != PG_LEVEL_4K)
		return false;
	flags = *pte & PTE_FLAGS_MASK & ~(_PAGE_ACCESSED | _PAGE_DIRTY);
	return entry_phys(*pte) == page_to_phys(page) && flags == prot;
}

/* Map @page at @va; walk and lookup agree; a byte written shows through. */
static bool map_and_check(unsigned long va, struct page *page)
{
	unsigned long off = ktest_nonce() % PAGE_SIZE;
	u8 *direct = page_to_virt(page), tag = (u8)(va >> PAGE_SHIFT);
	enum pg_level level;
	pte_t *walked;

	if (map_one(va, page, PAGE_KERNEL) || !maps(va, page, PAGE_KERNEL))
		return false;
	walked = pgtable_walk(init_pgd, va, PG_LEVEL_4K, false);
	if (walked != pgtable_lookup(init_pgd, va, &level))
		return false;
	*(u8 *)(va + off) = tag;
	return direct[off] == tag;
}

KTEST(vmm_map_walk)
{
	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	struct scratch s = { 0 };
	enum pg_level level;
	unsigned long va, big;
	unsigned int i;
	pte_t *pte;

	if (!scratch_get(ctx, &s))
		goto out;
	va = s.area->addr;
	KT_EXPECT(ctx, pgtable_map(init_pgd, va + 1, 0, PAGE_SIZE,
				   PAGE_KERNEL) == -EINVAL);
	/* A page in the middle, then a range over it: -EEXIST, undone. */
	KT_EXPECT(ctx, map_one(va + PAGE_SIZE, s.page[1], PAGE_KERNEL_RO) == 0);
	KT_EXPECT(ctx, pgtable_map(init_pgd, va, page_to_phys(s.page[0]),
				   3 * PAGE_SIZE, PAGE_KERNEL) == -EEXIST);
	KT_EXPECT(ctx, !pgtable_lookup(init_pgd, va, &level));
	KT_EXPECT(ctx, maps(va + PAGE_SIZE, s.page[1], PAGE_KERNEL_RO));
	unmap_one(va + PAGE_SIZE);
	flush_tlb_one(va + PAGE_SIZE);

	/* Every page where it belongs; the walk finds the same entries. */
	for (i = 0; i < NR_SCRATCH; i++)
		if (!map_and_check(va + i * PAGE_SIZE, s.page[i])) {
			ktest_fail(ctx, __FILE__, __LINE__, "page %u", i);
			goto out;
		}
	/* Unmapped pages keep their (empty) entries: the tables stay. */
	unmap_one(va + 2 * PAGE_SIZE);
	flush_tlb_one(va + 2 * PAGE_SIZE);
	KT_EXPECT(ctx, !pgtable_lookup(init_pgd, va + 2 * PAGE_SIZE, &level));
	pte = pgtable_walk(init_pgd, va + 2 * PAGE_SIZE, PG_LEVEL_4K, false);
	KT_EXPECT(ctx, pte && !entry_present(*pte));

	/* A large-page leaf of the direct map: no 4 KiB entry below it. */
	big = (unsigned long)__va(direct_map_size - 1);
	pte = pgtable_lookup(init_pgd, big, &level);
	KT_EXPECT(ctx, pte && level > PG_LEVEL_4K && (*pte & _PAGE_PSE));
	if (pte && level > PG_LEVEL_4K) {
		KT_EXPECT(ctx, pgtable_walk(init_pgd, big, level, 0) == pte);
		KT_EXPECT(ctx, !pgtable_walk(init_pgd, big, level - 1, 0));
	}
out:
	scratch_put(&s);
}

KTEST(vmm_tlb_flush)
{
	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	u8 a = (u8)ktest_nonce() | 1, b = a ^ 0xff, v = 0;
	struct scratch s = { 0 };
	unsigned long va;

	if (!scratch_get(ctx, &s))
		goto out;
	va = s.area->addr + (ktest_nonce() >> 8) % NR_SCRATCH * PAGE_SIZE;
	*(u8 *)page_to_virt(s.page[0]) = a;
	*(u8 *)page_to_virt(s.page[1]) = b;

	KT_EXPECT(ctx, map_one(va, s.page[0], PAGE_KERNEL) == 0);
	KT_EXPECT(ctx, probe_read_u8((void *)va, &v) == 0 && v == a);
	unmap_one(va);
	flush_tlb_one(va);
	KT_EXPECT(ctx, probe_read_u8((void *)va, &v) == -EFAULT);
	/* The same address, another page: the new translation is used. */
	KT_EXPECT(ctx, map_one(va, s.page[1], PAGE_KERNEL) == 0);
	KT_EXPECT(ctx, probe_read_u8((void *)va, &v) == 0 && v == b);
	unmap_one(va);
	flush_tlb_all();
	KT_EXPECT(ctx, probe_read_u8((void *)va, &v) == -EFAULT);
out:
	scratch_put(&s);
}

/* Read *@p through an inline-asm exception-table entry: 0 or -EFAULT. */
static int read_with_fixup(const u8 *p, u8 *out)
{
	int err = 0;
	u8 v = 0;

	__asm__ __volatile__("1:	movb (%[p]), %[v]\n\t"
			     "	jmp 3f\n\t"
			     "2:	movl %[efault], %[err]\n\t"
			     "3:\n\t"
			     /* "if 1: faults, continue at 2:" */
			     ASM_EXTABLE(1b, 2b)
			     : [v] "+q"(v), [err] "+r"(err)
			     : [p] "r"(p), [efault] "i"(-EFAULT)
			     : "memory");
	*out = v;
	return err;
}

/* Both addresses of @e lie in kernel text (a return address may be the
 * byte after its function, so the byte before it is looked up). */
static bool entry_in_text(const struct exception_table_entry *e)
{
	unsigned long insn = e->insn - (e->type == EX_TYPE_CALL);
	unsigned long off, size;

	return e->type <= EX_TYPE_CALL && kallsyms_lookup(insn, &off, &size) &&
	       kallsyms_lookup(e->fixup, &off, &size);
}

KTEST(vmm_extable)
{
	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	extern const struct exception_table_entry __ex_table_start[],
		__ex_table_end[];
	const struct exception_table_entry *e;
	static const u8 here = 0x42;
	u8 v = 0;

	KT_EXPECT(ctx, read_with_fixup(&here, &v) == 0 && v == 0x42);
	/* The last page of the vmalloc area: never handed out here. */
	KT_EXPECT(ctx, read_with_fixup((u8 *)VMALLOC_END - 1, &v) == -EFAULT);
	KT_EXPECT(ctx, __ex_table_end - __ex_table_start >= 4);
	for (e = __ex_table_start; e < __ex_table_end; e++)
		if (!entry_in_text(e)) {
			ktest_fail(ctx, __FILE__, __LINE__,
				   "bad __ex_table entry %lx -> %lx type %lu",
				   e->insn, e->fixup, e->type);
			break;
		}
}

/* A page at @uva in @pgd's user half, readable and executable by user mode. */
static bool user_page_probes(struct ktest_ctx *ctx, pgd_t *pgd,
			     unsigned long uva, struct page *page)
{
	bool smep = read_cr4() & (1UL << 20), smap = read_cr4() & (1UL << 21);
	unsigned long cr3 = read_cr3();
	int r_read, r_exec, r_stac = 0;
	u8 v = 0, w = 0;

	if (pgtable_map(pgd, uva, page_to_phys(page), PAGE_SIZE, PAGE_USER_RX))
		return false;
	write_cr3(__pa(pgd)); /* the kernel half is shared: we go on */
	r_read = probe_read_u8((void *)uva, &v);
	r_exec = probe_exec((void *)uva);
	if (smap) {
		__asm__ __volatile__("stac" ::: "memory");
		r_stac = probe_read_u8((void *)uva, &w);
		__asm__ __volatile__("clac" ::: "memory");
	}
	write_cr3(cr3);
	KT_EXPECT(ctx, smap ? r_read == -EFAULT : r_read == 0);
	KT_EXPECT(ctx, smep ? r_exec == -EFAULT : r_exec == 0);
	KT_EXPECT(ctx, r_stac == 0 && (!smap || w == RET_INSN));
	printk("# vmm_user_pgd: user page at %lx: read %d, exec %d (SMAP %s, SMEP %s)\n",
	       uva, r_read, r_exec, smap ? "on" : "off", smep ? "on" : "off");
	return true;
}

KTEST(vmm_user_pgd)
{
	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	unsigned long uva =
		0x10000000UL + ((ktest_nonce() & 0xfffff) << PAGE_SHIFT);
	unsigned long before = nr_free_pages();
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	pgd_t *pgd = pgd_alloc();
	enum pg_level level;
	unsigned int i;

	if (!pgd || !page) {
		ktest_fail(ctx, __FILE__, __LINE__, "out of memory");
		goto out;
	}
	for (i = 0; i < PTRS_PER_TABLE; i++)
		if (pgd[i] != (i < KERNEL_PGD_FIRST ? 0 : init_pgd[i])) {
			ktest_fail(ctx, __FILE__, __LINE__, "pgd[%u] = %llx", i,
				   (unsigned long long)pgd[i]);
			break;
		}
	*(u8 *)page_to_virt(page) = RET_INSN;
	KT_EXPECT(ctx, user_page_probes(ctx, pgd, uva, page));
	KT_EXPECT(ctx, !pgtable_lookup(init_pgd, uva, &level));
out:
	if (pgd)
		pgd_free(pgd);
	__free_pages(page, 0);
	flush_tlb_all();
	KT_EXPECT(ctx, nr_free_pages() == before);
}
