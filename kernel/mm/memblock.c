/*
 * memblock.c — physical memory as two lists of ranges, for the boot.
 *
 * What: between the boot loader's memory map and the first struct page,
 * the kernel needs to know which RAM is free and to allocate a little of
 * it (mem_map itself, 1/64 of RAM).  memblock keeps two lists of ranges,
 * each sorted by address, with no two entries overlapping or touching
 * (they are merged as they are added):
 *
 *	memory    [ RAM ............................ ]   [ RAM ...... ]
 *	reserved  [low 1M][kernel]      [initrd]                [mem_map]
 *	free      = memory minus reserved
 *
 * memblock_alloc takes the highest free range that fits below the limit
 * (top-down, so low memory stays free for devices and the SMP trampoline
 * of a later lab) and reserves it.  mm_init (init.c) then walks the free
 * ranges with memblock_next_free_range, hands them to the page allocator
 * and calls memblock_retire.
 *
 * Data: two static arrays of MEMBLOCK_MAX_REGIONS entries; no allocation.
 * Rules: boot CPU only, before interrupts and other CPUs: no locking.
 * The idea and the names are Linux's (mm/memblock.c); the code is ours.
 */
#include <asm/page.h>
#include <kestrel/cmdline.h>
#include <kestrel/errno.h>
#include <kestrel/memblock.h>
#include <kestrel/panic.h>
#include <kestrel/printk.h>
#include <kestrel/string.h>

struct memblock_region {
	phys_addr_t base;	/* bytes */
	phys_addr_t size;	/* bytes, > 0 */
};

struct memblock_type {
	const char *name;
	unsigned int cnt;	/* entries in use */
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
};

static struct memblock_type memblock_memory = { .name = "memory" };
static struct memblock_type memblock_reserved = { .name = "reserved" };
static phys_addr_t memblock_limit = ~(phys_addr_t)0;
static bool memblock_retired;
static bool memblock_debug;

static int param_memblock(const char *value)
{
	if (strcmp(value, "debug") != 0)
		return -EINVAL;
	memblock_debug = true;
	return 0;
}
KERNEL_PARAM("memblock", param_memblock);

static inline phys_addr_t region_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

/* Move entries [@from, cnt) of @t by @delta places (±). */
static void shift_regions(struct memblock_type *t, unsigned int from, int delta)
{
	memmove(&t->regions[from + delta], &t->regions[from],
		(t->cnt - from) * sizeof(t->regions[0]));
	t->cnt += delta;
}

/*
 * Add [base, end) to @t: every entry it overlaps or touches is merged
 * into one.  Entries [i, j) are those; if there are none, a new entry is
 * inserted at i.
 */
static int memblock_insert(struct memblock_type *t, phys_addr_t base,
			   phys_addr_t end)
{
	unsigned int i = 0, j;

	if (end <= base)
		return -EINVAL;
	while (i < t->cnt && region_end(&t->regions[i]) < base)
		i++;
	for (j = i; j < t->cnt && t->regions[j].base <= end; j++) {
		base = MIN(base, t->regions[j].base);
		end = MAX(end, region_end(&t->regions[j]));
	}
	if (i == j) {
		if (t->cnt == MEMBLOCK_MAX_REGIONS)
			return -ENOMEM;
		shift_regions(t, i, 1);
	} else if (j - i > 1) {
		shift_regions(t, j, -(int)(j - i - 1));
	}
	t->regions[i] = (struct memblock_region){ base, end - base };
	return 0;
}

/* Take [base, end) out of @t, splitting an entry that contains it. */
static int memblock_remove_range(struct memblock_type *t, phys_addr_t base,
				 phys_addr_t end)
{
	unsigned int i;

	if (end <= base)
		return -EINVAL;
	for (i = 0; i < t->cnt; i++) {
		struct memblock_region *r = &t->regions[i];
		phys_addr_t rend = region_end(r);

		if (rend <= base || r->base >= end)
			continue;
		if (r->base < base && rend > end) {	/* a hole inside */
			if (t->cnt == MEMBLOCK_MAX_REGIONS)
				return -ENOMEM;
			shift_regions(t, i + 1, 1);
			t->regions[i + 1].base = end;
			t->regions[i + 1].size = rend - end;
			r->size = base - r->base;
			return 0;
		}
		if (r->base < base) {
			r->size = base - r->base;
		} else if (rend > end) {
			r->size = rend - end;
			r->base = end;
		} else {				/* swallowed whole */
			shift_regions(t, i + 1, -1);
			i--;
		}
	}
	return 0;
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	if (base + size < base)
		return -EINVAL;
	return memblock_insert(&memblock_memory, base, base + size);
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	if (base + size < base)
		return -EINVAL;
	return memblock_insert(&memblock_reserved, base, base + size);
}

int memblock_free(phys_addr_t base, phys_addr_t size)
{
	if (base + size < base)
		return -EINVAL;
	return memblock_remove_range(&memblock_reserved, base, base + size);
}

/* The first reserved entry that ends after @addr, or cnt. */
static unsigned int first_reserved_after(phys_addr_t addr)
{
	unsigned int k = 0;

	while (k < memblock_reserved.cnt &&
	       region_end(&memblock_reserved.regions[k]) <= addr)
		k++;
	return k;
}

bool memblock_next_free_range(phys_addr_t *cursor, phys_addr_t *start,
			      phys_addr_t *end)
{
	unsigned int i;

	for (i = 0; i < memblock_memory.cnt; i++) {
		const struct memblock_region *m = &memblock_memory.regions[i];
		phys_addr_t s = MAX(m->base, *cursor);
		unsigned int k;

		/* Step over reserved ranges covering s, inside this region. */
		for (k = first_reserved_after(s); k < memblock_reserved.cnt &&
		     memblock_reserved.regions[k].base <= s; k++)
			s = MAX(s, region_end(&memblock_reserved.regions[k]));
		if (s >= region_end(m))
			continue;
		*start = s;
		*end = region_end(m);
		if (k < memblock_reserved.cnt)
			*end = MIN(*end, memblock_reserved.regions[k].base);
		*cursor = *end;
		return true;
	}
	return false;
}

phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	phys_addr_t cursor = 0, s, e, best = 0;

	/* After the handoff the page allocator owns free memory. */
	if (WARN_ON_ONCE(memblock_retired))
		return 0;
	if (align == 0)
		align = PAGE_SIZE;
	if (size == 0 || (align & (align - 1)))
		return 0;
	/* Free ranges come in address order: the last one that fits wins. */
	while (memblock_next_free_range(&cursor, &s, &e)) {
		phys_addr_t top = MIN(e, memblock_limit), cand;

		if (top <= s || top - s < size)
			continue;
		cand = ALIGN_DOWN(top - size, align);
		if (cand >= s && cand != 0)
			best = cand;
	}
	if (best && memblock_reserve(best, size) < 0)
		return 0;
	return best;
}

phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	phys_addr_t pa = memblock_phys_alloc(size, align);

	if (pa)
		memset(__va(pa), 0, size);
	return pa;
}

void memblock_set_limit(phys_addr_t limit)
{
	memblock_limit = limit;
}

static phys_addr_t total_size(const struct memblock_type *t)
{
	phys_addr_t sum = 0;
	unsigned int i;

	for (i = 0; i < t->cnt; i++)
		sum += t->regions[i].size;
	return sum;
}

phys_addr_t memblock_phys_mem_size(void)
{
	return total_size(&memblock_memory);
}

phys_addr_t memblock_reserved_size(void)
{
	return total_size(&memblock_reserved);
}

phys_addr_t memblock_end_of_DRAM(void)
{
	unsigned int n = memblock_memory.cnt;

	return n ? region_end(&memblock_memory.regions[n - 1]) : 0;
}

static void dump_type(const struct memblock_type *t)
{
	unsigned int i;

	pr_info(" %s.cnt = %u\n", t->name, t->cnt);
	for (i = 0; i < t->cnt; i++)
		pr_info(" %s[%u]\t[0x%016llx-0x%016llx], 0x%llx bytes\n",
			t->name, i, (unsigned long long)t->regions[i].base,
			(unsigned long long)region_end(&t->regions[i]) - 1,
			(unsigned long long)t->regions[i].size);
}

void memblock_dump(void)
{
	if (!memblock_debug)
		return;
	pr_info("memblock: memory size = 0x%llx, reserved size = 0x%llx\n",
		(unsigned long long)memblock_phys_mem_size(),
		(unsigned long long)memblock_reserved_size());
	dump_type(&memblock_memory);
	dump_type(&memblock_reserved);
}

void memblock_retire(void)
{
	memblock_retired = true;
}
