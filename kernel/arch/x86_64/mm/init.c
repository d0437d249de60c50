/*
 * init.c — the kernel's own page tables (paging_init).
 *
 * head.S enters start_kernel on boot page tables assembled at build time:
 * 0–4 GiB identity-mapped, the same 4 GiB at PAGE_OFFSET, and the first
 * GiB again at KERNEL_VMA, all with 2 MiB pages that are writable and
 * executable.  They are enough to start, and wrong for everything after:
 * any kernel bug can write into its own code, data can be executed, a
 * NULL pointer dereference reads physical page 0, and RAM above 4 GiB is
 * out of reach.  paging_init() replaces them with tables built from the
 * memory map, in this order:
 *
 *  1. the kernel image at KERNEL_VMA, 4 KiB pages, W^X (lab 3 chooses the
 *     flags per section: image_section_prot()):
 *	  [_text, _etext)	r-x	code
 *	  [_rodata, _erodata)	r--	constants, ktests, kallsyms, __ex_table
 *	  [_data, _end)		rw-	data, bss, stacks
 *  2. the direct map: physical [0, top) at PAGE_OFFSET, rw- (never
 *     executable), where top is the end of the highest RAM or ACPI range
 *     (so firmware tables below it stay readable), rounded up to 2 MiB.
 *     Each piece gets the largest page its alignment allows: 1 GiB when
 *     the CPU has them, else 2 MiB, 4 KiB only in the first 2 MiB, where
 *     the image's text and rodata are read-only through this alias too.
 *     A 512 MiB guest needs 767 entries (255 of 2 MiB, 512 of 4 KiB)
 *     rather than 131,072, in 3 tables below the pgd rather than 258.
 *  3. the vmalloc area's pud table, so the kernel half's pgd entries are
 *     complete before any address space copies them (kestrel/pgtable.h).
 *
 * Before CR3 is switched, the new tables are checked for what the CPU
 * touches right after — this code, the stack, per-CPU data, the tables
 * themselves: a mistake there would be a triple fault and a silent reset.
 * Then NX, WP, SMEP and SMAP are turned on (those the CPU has; Intel SDM
 * vol. 3A §4.6: WP makes read-only pages read-only for the kernel too,
 * SMEP forbids the kernel to execute user pages, SMAP to touch them
 * outside stac/clac).  The identity map is simply not in the new tables.
 */
#include <asm/processor.h>
#include <kestrel/boot.h>
#include <kestrel/cmdline.h>
#include <kestrel/errno.h>
#include <kestrel/gfp.h>
#include <kestrel/mm.h>
#include <kestrel/percpu.h>
#include <kestrel/pgtable.h>
#include <kestrel/printk.h>
#include "internal.h"

/* Control-register and CPUID bits: SDM vol. 3A §2.5, §2.2.1; vol. 2A CPUID. */
#define X86_CR0_WP (1UL << 16)
#define X86_CR4_SMEP (1UL << 20)
#define X86_CR4_SMAP (1UL << 21)
#define CPUID_80000001_EDX_GBPAGES (1U << 26)
#define CPUID_7_EBX_SMEP (1U << 7)
#define CPUID_7_EBX_SMAP (1U << 20)

phys_addr_t direct_map_size;
static bool tables_active;
static bool ptdump_requested;
static unsigned int direct_map_pages[PG_LEVEL_1G + 1]; /* leaves per level */

/* EFER.NXE (execute-disable) is on since head.S: no CPU check needed here,
 * a CPU without it cannot get this far. */
struct paging_features {
	bool gbpages, smep, smap;
};

enum image_section {
	IMAGE_TEXT,
	IMAGE_RODATA,
	IMAGE_DATA,
	NR_IMAGE_SECTIONS
};

static const struct {
	const char *name;
	char *start, *end; /* linker symbols; start is page-aligned */
} image_sections[NR_IMAGE_SECTIONS] = {
	[IMAGE_TEXT] = { "text", _text, _etext },
	[IMAGE_RODATA] = { "rodata", _rodata, _erodata },
	[IMAGE_DATA] = { "data", _data, _end },
};

static int param_ptdump(const char *value)
{
	ptdump_requested = true;
	return 0;
}
KERNEL_PARAM("vmm.ptdump", param_ptdump);

bool kernel_page_tables_active(void)
{
	return tables_active;
}

static void detect_features(struct paging_features *f)
{
	u32 a, b, c, d;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a >= 0x80000001) {
		cpuid(0x80000001, 0, &a, &b, &c, &d);
		f->gbpages = d & CPUID_80000001_EDX_GBPAGES;
	}
	cpuid(0, 0, &a, &b, &c, &d);
	if (a >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		f->smep = b & CPUID_7_EBX_SMEP;
		f->smap = b & CPUID_7_EBX_SMAP;
	}
}

/*
 * The protection of each section of the kernel image: the W^X decision.
 * Returns the leaf flags (PAGE_KERNEL_* in asm/pgtable.h).
 */
static pgprot_t image_section_prot(enum image_section s)
{
#if SOL >= 3
	switch (s) {
	case IMAGE_TEXT:
		return PAGE_KERNEL_RX; /* executed, never written */
	case IMAGE_RODATA:
		return PAGE_KERNEL_RO; /* read only: neither written nor run */
	default:
		return PAGE_KERNEL; /* data, bss, stacks: written, never run */
	}
#else
	/*
	 * LAB 3: return the flags for section @s: one of PAGE_KERNEL_RX,
	 * PAGE_KERNEL_RO and PAGE_KERNEL (asm/pgtable.h).  W^X: no section
	 * may be both writable and executable, and each must allow what the
	 * kernel does with it — think of what lives in each (kernel.ld).
	 * Returning 0 (not present) tells paging_init() lab 3 is not done.
	 */
	return 0;
#endif
}

/* The protections chosen for the image: -ENOSYS before lab 3, -EINVAL
 * for a section that would be writable and executable, else 0. */
static int check_image_prots(void)
{
	unsigned int s;

	for (s = 0; s < NR_IMAGE_SECTIONS; s++) {
		pgprot_t prot = image_section_prot(s);

		if (!(prot & _PAGE_PRESENT))
			return -ENOSYS;
		if ((prot & _PAGE_RW) && !(prot & _PAGE_NX)) {
			pr_err("vmm: kernel %s would be writable and executable (W^X)\n",
			       image_sections[s].name);
			return -EINVAL;
		}
	}
	return 0;
}

static int map_kernel_image(pgd_t *pgd)
{
	unsigned int s;
	int err;

	for (s = 0; s < NR_IMAGE_SECTIONS; s++) {
		unsigned long start = (unsigned long)image_sections[s].start;
		unsigned long end = ALIGN_UP(
			(unsigned long)image_sections[s].end, PAGE_SIZE);

		err = pgtable_map(pgd, start, __pa((void *)start), end - start,
				  image_section_prot(s));
		if (err)
			return err;
	}
	return 0;
}

/* The largest page that maps @pa: aligned to its size, inside [pa, end). */
static enum pg_level largest_level(phys_addr_t pa, phys_addr_t end,
				   bool gbpages)
{
	enum pg_level level = gbpages ? PG_LEVEL_1G : PG_LEVEL_2M;

	for (; level > PG_LEVEL_4K; level--) {
		unsigned long size = pg_level_size(level);

		if (!(pa & (size - 1)) && end - pa >= size)
			break;
	}
	return level;
}

/* Map physical [@start, @end) at __va(@start) with @prot, large pages first. */
static int map_direct_range(pgd_t *pgd, phys_addr_t start, phys_addr_t end,
			    pgprot_t prot, bool gbpages)
{
	phys_addr_t pa = start;

	while (pa < end) {
		enum pg_level level = largest_level(pa, end, gbpages);
		pte_t *e =
			pgtable_walk(pgd, (unsigned long)__va(pa), level, true);

		if (!e)
			return -ENOMEM;
		*e = mk_entry(pa, prot | (level > PG_LEVEL_4K ? _PAGE_PSE : 0));
		direct_map_pages[level]++;
		pa += pg_level_size(level);
	}
	return 0;
}

/* Where the direct map ends: the highest RAM or ACPI byte, rounded up. */
static phys_addr_t direct_map_top(const struct boot_info *bi)
{
	phys_addr_t top = 0;
	unsigned int i;

	for (i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_range *r = &bi->mem[i];

		if (r->type == BOOT_MEM_USABLE ||
		    r->type == BOOT_MEM_ACPI_RECLAIM ||
		    r->type == BOOT_MEM_ACPI_NVS)
			top = MAX(top, r->base + r->len);
	}
	return ALIGN_UP(top, PMD_SIZE);
}

/* The direct map, with the image's text and rodata read-only in it too. */
static int map_direct(pgd_t *pgd, phys_addr_t top, bool gbpages)
{
	phys_addr_t ro_start = __pa(_text), ro_end = __pa(_data);
	int err;

	err = map_direct_range(pgd, 0, ro_start, PAGE_KERNEL, gbpages);
	if (!err)
		err = map_direct_range(pgd, ro_start, ro_end, PAGE_KERNEL_RO,
				       gbpages);
	if (!err)
		err = map_direct_range(pgd, ro_end, top, PAGE_KERNEL, gbpages);
	return err;
}

/* Build the whole set of tables in a fresh pgd. */
static int build_kernel_tables(pgd_t *pgd, phys_addr_t top, bool gbpages)
{
	int err = map_kernel_image(pgd);

	if (!err)
		err = map_direct(pgd, top, gbpages);
	if (!err && !pgtable_walk(pgd, VMALLOC_START, PG_LEVEL_1G, true))
		err = -ENOMEM;
	return err;
}

/* What must be mapped, and how, the moment CR3 changes; NULL when all is. */
static const char *missing_mapping(pgd_t *pgd)
{
	const struct {
		const char *what;
		unsigned long va;
		pgprot_t need; /* _PAGE_RW: writable; _PAGE_NX: executable */
	} musts[] = {
		{ "paging_init's code", (unsigned long)paging_init, _PAGE_NX },
		{ "the kernel stack", arch_current_frame(), _PAGE_RW },
		{ "per-CPU data", (unsigned long)this_cpu(), _PAGE_RW },
		{ "read-only data", (unsigned long)image_sections, 0 },
		{ "the new page tables in the direct map", (unsigned long)pgd,
		  _PAGE_RW },
	};
	enum pg_level level;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(musts); i++) {
		pte_t *e = pgtable_lookup(pgd, musts[i].va, &level);

		if (!e || ((musts[i].need & _PAGE_RW) && !(*e & _PAGE_RW)) ||
		    ((musts[i].need & _PAGE_NX) && (*e & _PAGE_NX)))
			return musts[i].what;
	}
	return NULL;
}

static void enable_protection(const struct paging_features *f)
{
	unsigned long cr4 = read_cr4();

	write_cr0(read_cr0() | X86_CR0_WP);
	if (f->smep)
		cr4 |= X86_CR4_SMEP;
	if (f->smap)
		cr4 |= X86_CR4_SMAP;
	write_cr4(cr4);
}

static void print_summary(pgd_t *pgd, const struct paging_features *f)
{
	pr_info("vmm: direct map of [mem 0x0000000000000000-0x%016llx] at 0x%lx (1G pages: %u, 2M: %u, 4K: %u)\n",
		(unsigned long long)direct_map_size - 1, PAGE_OFFSET,
		direct_map_pages[PG_LEVEL_1G], direct_map_pages[PG_LEVEL_2M],
		direct_map_pages[PG_LEVEL_4K]);
	pr_info("vmm: kernel image at 0x%lx: text r-x, rodata r--, data rw-\n",
		(unsigned long)_text);
	pr_info("vmm: kernel page tables active (CR3 0x%llx): NX WP%s%s\n",
		(unsigned long long)__pa(pgd), f->smep ? " SMEP" : "",
		f->smap ? " SMAP" : "");
}

/* DOC: tables-check */
/* The new tables, or NULL after saying why they cannot be used. */
static pgd_t *new_kernel_tables(phys_addr_t top, bool gbpages)
{
	const char *missing = NULL;
	pgd_t *pgd = NULL;
	int err = check_image_prots();

	if (!err) {
		pgd = (pgd_t *)get_zeroed_page(GFP_KERNEL);
		err = pgd ? build_kernel_tables(pgd, top, gbpages) : -ENOMEM;
	}
	if (!err)
		missing = missing_mapping(pgd);
	if (!err && !missing)
		return pgd;

	if (err == -ENOSYS)
		pr_notice(
			"vmm: kernel page tables not implemented yet (lab 3); keeping the boot page tables\n");
	else if (err)
		pr_err("vmm: building the kernel page tables failed (error %d); keeping the boot page tables\n",
		       err);
	else
		pr_err("vmm: the new page tables do not map %s properly; keeping the boot page tables\n",
		       missing);
	if (pgd)
		pgtable_free_all(pgd);
	return NULL;
}

void paging_init(void)
{
	struct paging_features f = { 0 };
	phys_addr_t top = direct_map_top(&boot_info);
	pgd_t *pgd;

	detect_features(&f);
	pgd = new_kernel_tables(top, f.gbpages);
	if (!pgd)
		return;
	/* DOC: cr3-switch */
	write_cr3(__pa(pgd));
	init_pgd = pgd;
	direct_map_size = top;
	tables_active = true;
	enable_protection(&f);
	print_summary(pgd, &f);
	if (ptdump_requested)
		pgtable_dump(pgd);
}
