/*
 * vmm_ktest.c — in-kernel tests of the kernel's page tables (lab 3).
 *
 * What must hold once paging_init() has switched to the kernel's tables,
 * each shown by touching memory through the probes of kestrel/extable.h
 * (a forbidden access comes back as -EFAULT through an exception-table
 * fixup instead of an oops) and by walking the tables:
 *
 *	vmm_tables        CR3, WP/NX/SMEP/SMAP on; the identity map is gone
 *	vmm_rodata_ro     a write to rodata faults, also through the direct map
 *	vmm_text_ro       a write to text faults; text still executes
 *	vmm_data_nx       data, bss and the stack cannot be executed
 *	vmm_direct_map_nx nothing in the direct map can be executed
 *	vmm_wx            every leaf: never writable and executable; each
 *	                  image section has exactly its permissions
 *	vmm_direct_map_ram  every RAM and ACPI range is readable at __va()
 *
 * The page-table interface itself (map, unmap, walk, TLB flushes, user
 * page tables) is tested in pgtable_ktest.c.
 * Values and addresses are derived from the run's nonce where that makes
 * a hard-coded answer impossible.  The tests leave no mapping behind.
 */
#include <asm/extable.h>
#include <asm/processor.h>
#include <kestrel/boot.h>
#include <kestrel/errno.h>
#include <kestrel/extable.h>
#include <kestrel/kallsyms.h>
#include <kestrel/ktest.h>
#include <kestrel/mm.h>
#include <kestrel/pgtable.h>
#include <kestrel/printk.h>
#include <kestrel/string.h>
#include <kestrel/vmalloc.h>
#include "internal.h"

#define X86_CR0_WP (1UL << 16) /* SDM vol. 3A §2.5 */
#define X86_CR4_SMEP (1UL << 20)
#define X86_CR4_SMAP (1UL << 21)
#define EFER_NXE (1UL << 11) /* SDM vol. 3A §2.2.1 */

#define RET_INSN 0xc3 /* `ret` (SDM vol. 2B, RET) */

static const u8 rodata_byte = 0x5a;
static u8 data_ret[16] = { RET_INSN };
static u8 bss_buf[16];

/* One `ret` in text: what probe_exec() may execute. */
void vmm_ktest_ret(void);
__asm__(".pushsection .text\n"
	".globl vmm_ktest_ret\n"
	".type vmm_ktest_ret, @function\n"
	"vmm_ktest_ret: ret\n"
	".size vmm_ktest_ret, . - vmm_ktest_ret\n"
	".popsection");

/* The direct-map alias of a kernel-image address. */
static void *alias(const void *image_addr)
{
	return __va(__pa(image_addr));
}

static bool cpu_has_leaf7_ebx(u32 bit)
{
	u32 a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	if (a < 7)
		return false;
	cpuid(7, 0, &a, &b, &c, &d);
	return b & bit;
}

KTEST(vmm_tables)
{
	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	bool smep = cpu_has_leaf7_ebx(1U << 7),
	     smap = cpu_has_leaf7_ebx(1U << 20);
	unsigned int i;
	u8 v;

	KT_EXPECT(ctx, kernel_page_tables_active());
	KT_EXPECT(ctx, (read_cr3() & PTE_ADDR_MASK) == __pa(init_pgd));
	KT_EXPECT(ctx, read_cr0() & X86_CR0_WP);
	KT_EXPECT(ctx, rdmsr(MSR_EFER) & EFER_NXE);
	KT_EXPECT(ctx, !smep || (read_cr4() & X86_CR4_SMEP));
	KT_EXPECT(ctx, !smap || (read_cr4() & X86_CR4_SMAP));
	for (i = 0; i < KERNEL_PGD_FIRST; i++)
		if (init_pgd[i])
			ktest_fail(ctx, __FILE__, __LINE__,
				   "init_pgd[%u] (user half) = %llx", i,
				   (unsigned long long)init_pgd[i]);
	/* The boot identity map is gone: NULL and the load address fault. */
	KT_EXPECT(ctx, probe_read_u8(NULL, &v) == -EFAULT);
	KT_EXPECT(ctx, probe_read_u8((void *)0x100000, &v) == -EFAULT);
}

KTEST(vmm_rodata_ro)
{
	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	u8 v = 0;

	KT_EXPECT(ctx, probe_read_u8(&rodata_byte, &v) == 0 && v == 0x5a);
	KT_EXPECT(ctx, probe_write_u8((void *)&rodata_byte, v + 1) == -EFAULT);
	KT_EXPECT(ctx, probe_write_u8(alias(&rodata_byte), v + 1) == -EFAULT);
	KT_EXPECT(ctx,
		  probe_read_u8(alias(&rodata_byte), &v) == 0 && v == 0x5a);
}

KTEST(vmm_text_ro)
{
	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	u8 v = 0;

	KT_EXPECT(ctx, probe_exec(vmm_ktest_ret) == 0);
	KT_EXPECT(ctx, probe_read_u8(vmm_ktest_ret, &v) == 0 && v == RET_INSN);
	KT_EXPECT(ctx,
		  probe_write_u8((void *)vmm_ktest_ret, RET_INSN) == -EFAULT);
	KT_EXPECT(ctx,
		  probe_write_u8(alias(vmm_ktest_ret), RET_INSN) == -EFAULT);
	KT_EXPECT(ctx, probe_exec(alias(vmm_ktest_ret)) == -EFAULT);
}

KTEST(vmm_data_nx)
{
	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	u8 stack_ret[16] = { RET_INSN };

	bss_buf[0] = RET_INSN;
	KT_EXPECT(ctx, probe_write_u8(data_ret, RET_INSN) == 0);
	KT_EXPECT(ctx, probe_exec(data_ret) == -EFAULT);
	KT_EXPECT(ctx, probe_exec(bss_buf) == -EFAULT);
	KT_EXPECT(ctx, probe_exec(stack_ret) == -EFAULT);
	barrier(); /* stack_ret must really hold the byte */
}

/* Collects every leaf of the direct map that is executable. */
static int direct_map_exec_leaf(unsigned long va, unsigned long size, u64 leaf,
				pgprot_t eff, void *arg)
{
	if (va >= PAGE_OFFSET && va - PAGE_OFFSET < direct_map_size &&
	    !(eff & _PAGE_NX)) {
		*(unsigned long *)arg = va;
		return 1;
	}
	return 0;
}

KTEST(vmm_direct_map_nx)
{
	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long bad = 0;
	u8 *p;

	KT_EXPECT(ctx, probe_exec(alias(data_ret)) == -EFAULT);
	KT_EXPECT(ctx, probe_exec(alias(vmm_ktest_ret)) == -EFAULT);
	if (!page) {
		ktest_fail(ctx, __FILE__, __LINE__, "alloc_page failed");
		return;
	}
	p = page_to_virt(page);
	p[ktest_nonce() % PAGE_SIZE] = RET_INSN;
	KT_EXPECT(ctx, probe_exec(p + ktest_nonce() % PAGE_SIZE) == -EFAULT);
	__free_pages(page, 0);
	if (pgtable_for_each_leaf(init_pgd, direct_map_exec_leaf, &bad))
		ktest_fail(ctx, __FILE__, __LINE__,
			   "direct map page at %lx is executable", bad);
}

/* ---- W^X, by walking every leaf ---- */

struct wx_state {
	unsigned long leaves;
	unsigned long bad_va;
	const char *bad;
};

/* What a kernel-image address must allow: 'x' text, 'r' rodata, 'w' data. */
static char image_kind(unsigned long va)
{
	if (va >= (unsigned long)_text && va < (unsigned long)_rodata)
		return 'x';
	if (va >= (unsigned long)_rodata && va < (unsigned long)_data)
		return 'r';
	if (va >= (unsigned long)_data && va < (unsigned long)_end)
		return 'w';
	return 0;
}

static int wx_leaf(unsigned long va, unsigned long size, u64 leaf, pgprot_t eff,
		   void *arg)
{
	struct wx_state *s = arg;
	bool w = eff & _PAGE_RW, x = !(eff & _PAGE_NX);
	unsigned long a;

	s->leaves++;
	s->bad_va = va;
	if (w && x)
		s->bad = "writable and executable";
	else if (is_user_address(va) || (eff & _PAGE_USER))
		s->bad = "a user mapping in the kernel's tables";
	if (va >= (unsigned long)_end || va + size <= (unsigned long)_text)
		return s->bad != NULL;
	for (a = va; !s->bad && a < va + size; a += PAGE_SIZE) {
		char kind = image_kind(a);

		s->bad_va = a;
		if (kind == 'x' && (w || !x))
			s->bad = "kernel text not r-x";
		else if (kind == 'r' && (w || x))
			s->bad = "kernel rodata not r--";
		else if (kind == 'w' && (!w || x))
			s->bad = "kernel data not rw-";
	}
	return s->bad != NULL;
}

KTEST(vmm_wx)
{
	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	struct wx_state s = { 0 };
	unsigned long a;
	enum pg_level level;

	if (pgtable_for_each_leaf(init_pgd, wx_leaf, &s))
		ktest_fail(ctx, __FILE__, __LINE__, "%s at %lx", s.bad,
			   s.bad_va);
	/* Every page of the image is mapped (the walk saw only what is). */
	for (a = (unsigned long)_text; a < (unsigned long)_end; a += PAGE_SIZE)
		if (!pgtable_lookup(init_pgd, a, &level)) {
			ktest_fail(ctx, __FILE__, __LINE__,
				   "image page %lx unmapped", a);
			break;
		}
	printk("# vmm_wx: %lu leaves checked\n", s.leaves);
}

KTEST(vmm_direct_map_ram)
{
	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	unsigned int i;
	u8 v;

	for (i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_range *r = &boot_info.mem[i];

		if (r->type != BOOT_MEM_USABLE &&
		    r->type != BOOT_MEM_ACPI_RECLAIM &&
		    r->type != BOOT_MEM_ACPI_NVS)
			continue;
		if (probe_read_u8(__va(r->base), &v) ||
		    probe_read_u8(__va(r->base + r->len - 1), &v))
			ktest_fail(
				ctx, __FILE__, __LINE__,
				"[mem %llx-%llx] not readable in the direct map",
				(unsigned long long)r->base,
				(unsigned long long)(r->base + r->len - 1));
	}
	/* ... and it ends there: the byte past its end is not mapped. */
	KT_EXPECT(ctx, probe_read_u8(__va(direct_map_size), &v) == -EFAULT);
}
