/*
 * init.c — mm_init: from the boot loader's memory map to a working
 * page allocator and kmalloc, in five steps.
 *
 *  1. memblock: every usable range of the memory map (whole pages, below
 *     the end of the boot direct map) is memory; reserved are the first
 *     MiB, the kernel image, the initrd, the boot loader's information and
 *     the ACPI RSDP.
 *  2. mem_map: one struct page per pfn up to the end of RAM, allocated
 *     with memblock (64 bytes per 4 KiB page) and marked PG_reserved.
 *  3. zones: DMA32 and Normal span mem_map; every whole free page memblock
 *     knows of goes to the buddy free lists, in blocks of up to 4 MiB, so
 *     this costs one pass over mem_map and one buddy_free per block — not
 *     one per page and order.  memblock retires.
 *  4. slab: the cache of caches and the kmalloc caches (static, so they
 *     exist even when no memory does).
 *  5. a trial allocation of each kind, then the numbers:
 *
 *	Memory: <avail>K/<total>K available (<kernel>K kernel,
 *		<reserved>K reserved)
 *
 *     avail = free pages now; total = RAM pages memblock received;
 *     kernel = the image from 1 MiB to _end; reserved = total - avail
 *     (kernel, mem_map, boot data, initrd, everything allocated so far).
 *
 * While lab 2's holes are open the trial allocations fail: mm_init says so
 * in one line and returns, and every allocation returns NULL.
 *
 * Why the first MiB: it holds the real-mode interrupt table and BIOS data
 * area, the EBDA, VGA memory and the BIOS (PC architecture; the e820 map
 * marks only some of it), and a later lab needs some of it for the SMP
 * trampoline.  Why 4 GiB: the boot page tables map physical 0–4 GiB at
 * PAGE_OFFSET (arch/x86_64/boot/head.S) and nothing more, so RAM above it
 * cannot be reached yet; it is left out and the line says so.
 */
#include <asm/page.h>
#include <kestrel/boot.h>
#include <kestrel/memblock.h>
#include <kestrel/printk.h>
#include "internal.h"

#define LOW_MEMORY_END		0x100000ULL	/* the first MiB */
#define KERNEL_PHYS_START	0x100000ULL	/* kernel.ld: KERNEL_PHYS */
#define BOOT_DIRECT_MAP_END	(4ULL << 30)	/* head.S maps 0-4 GiB */

extern char _end[];	/* kernel.ld: the end of the image (virtual) */

bool mm_pages_ready;
bool mm_slab_ready;
bool mm_kmalloc_ready;

static void add_usable_memory(const struct boot_info *bi)
{
	u64 ignored = 0;
	unsigned int i;

	for (i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_range *r = &bi->mem[i];
		phys_addr_t base = ALIGN_UP(r->base, PAGE_SIZE);
		phys_addr_t end = ALIGN_DOWN(r->base + r->len, PAGE_SIZE);

		if (r->type != BOOT_MEM_USABLE || end <= base)
			continue;
		if (end > BOOT_DIRECT_MAP_END) {
			ignored += end - MAX(base, BOOT_DIRECT_MAP_END);
			end = BOOT_DIRECT_MAP_END;
		}
		if (end > base && memblock_add(base, end - base) < 0)
			pr_warn("mm: memory map too long; range at 0x%llx ignored\n",
				(unsigned long long)base);
	}
	if (ignored)
		pr_warn("mm: ignoring %lluK of RAM above 4 GiB (beyond the boot direct map)\n",
			(unsigned long long)ignored >> 10);
}

static void reserve_boot_regions(const struct boot_info *bi)
{
	memblock_reserve(0, LOW_MEMORY_END);
	memblock_reserve(KERNEL_PHYS_START, __pa(_end) - KERNEL_PHYS_START);
	if (bi->initrd_start && bi->initrd_size)
		memblock_reserve(bi->initrd_start, bi->initrd_size);
	if (bi->info_end > bi->info_start)
		memblock_reserve(bi->info_start, bi->info_end - bi->info_start);
	if (bi->acpi_rsdp)
		memblock_reserve(bi->acpi_rsdp, 36);	/* ACPI 6.5 §5.2.5.3 */
}

/* Allocate mem_map for pfns [0, end of RAM) and mark every page reserved. */
static bool mem_map_init(void)
{
	unsigned long pfns = memblock_end_of_DRAM() >> PAGE_SHIFT, pfn;
	phys_addr_t bytes = pfns * sizeof(struct page);
	phys_addr_t pa = memblock_phys_alloc(bytes, PAGE_SIZE);
	struct page *map;

	if (!pfns || !pa) {
		pr_err("mm: no room for mem_map (%lluK); continuing without memory management\n",
		       (unsigned long long)bytes >> 10);
		return false;
	}
	map = __va(pa);
	/* One pass of plain stores: no memset of the whole array first. */
	for (pfn = 0; pfn < pfns; pfn++) {
		struct page *page = &map[pfn];

		page->flags = 1UL << PG_reserved;
		page->_refcount = 0;
		page->_unused = 0;
		list_init(&page->lru);
		page->slab_cache = NULL;
		page->slab_head = NULL;
		page->freelist = NULL;
		page->inuse = 0;
	}
	max_pfn = pfns;
	mem_map = map;
	return true;
}

static void print_zones(void)
{
	int t;

	pr_info("Zone ranges:\n");
	for (t = 0; t < MAX_NR_ZONES; t++) {
		const struct zone *z = &zones[t];

		if (z->end_pfn == z->start_pfn)
			continue;
		pr_info("  %-6s [mem 0x%016llx-0x%016llx] %lu pages free\n",
			z->name, (unsigned long long)z->start_pfn << PAGE_SHIFT,
			((unsigned long long)z->end_pfn << PAGE_SHIFT) - 1,
			z->free_pages);
	}
}

/* Does alloc_pages hand out a page, and does __free_pages take it back? */
static bool trial_page(void)
{
	unsigned long before = nr_free_pages();
	struct page *page = alloc_pages(GFP_KERNEL, 0);

	if (!page)
		return false;
	__free_pages(page, 0);
	return nr_free_pages() == before;
}

/* Does a cache of our own hand out an object? */
static bool trial_cache(void)
{
	struct kmem_cache *c = kmem_cache_create("mm-trial", 32, 0, 0);
	void *p = kmem_cache_alloc(c, GFP_KERNEL);

	kmem_cache_free(c, p);
	kmem_cache_destroy(c);
	return p != NULL;
}

/* Does kmalloc serve a small and a large size? */
static bool trial_kmalloc(void)
{
	void *small = kmalloc(8, GFP_KERNEL);
	void *large = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);

	kfree(small);
	kfree(large);
	return small && large;
}

static void print_slab_state(void)
{
	if (!mm_slab_ready)
		pr_warn("slab: kmem_cache_alloc not implemented yet (lab 2); caches and kmalloc return NULL\n");
	else if (!mm_kmalloc_ready)
		pr_warn("slab: kmalloc not implemented yet (lab 2); kmalloc returns NULL\n");
	else
		pr_info("slab: kmalloc caches of 8 to %lu bytes, larger sizes from the page allocator; debug checks %s\n",
			KMALLOC_MAX_CACHE_SIZE,
			slab_debug_enabled() ? "on (slab_debug=0 turns them off)" : "off");
}

static void print_totals(phys_addr_t ram)
{
	unsigned long total_k = ram >> 10;
	unsigned long avail_k = nr_free_pages() << (PAGE_SHIFT - 10);
	unsigned long kernel_k = (__pa(_end) - KERNEL_PHYS_START) >> 10;

	pr_info("Memory: %luK/%luK available (%luK kernel, %luK reserved)\n",
		avail_k, total_k, kernel_k, total_k - avail_k);
}

void mm_init(const struct boot_info *bi)
{
	add_usable_memory(bi);
	reserve_boot_regions(bi);
	memblock_set_limit(BOOT_DIRECT_MAP_END);
	memblock_dump();
	if (!mem_map_init())
		return;
	zones_init(max_pfn);
	page_alloc_release_free_memory();
	memblock_retire();
	slab_init();
	kmalloc_init();

	mm_pages_ready = trial_page();
	if (!mm_pages_ready) {
		pr_warn("mm: page allocator not implemented yet (lab 2); continuing without it\n");
		return;
	}
	print_zones();
	mm_slab_ready = trial_cache();
	mm_kmalloc_ready = trial_kmalloc();
	print_totals(memblock_phys_mem_size());
	print_slab_state();
}
