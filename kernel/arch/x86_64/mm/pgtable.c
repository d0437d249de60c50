/*
 * pgtable.c — walking, mapping and unmapping x86_64 page tables.
 *
 * Lab 3 exercise (pgtable_walk, pgtable_map, pgtable_unmap).  A set of
 * tables is a tree four levels deep (asm/pgtable.h has the entry format
 * and the address split):
 *
 *	pgd ──► pud table ──► pmd table ──► pte table ──► 4 KiB page
 *	(PML4)   (PDPT)   │     (PD)     │     (PT)
 *	                  └► 1 GiB page  └► 2 MiB page     (_PAGE_PSE leaves)
 *
 * The p4d level of 5-level paging is folded: p4d_offset() returns the pgd
 * entry itself, so the code names all five levels and the CPU sees four.
 * Every table is one zeroed 4 KiB page from the page allocator, reached
 * through the direct map (entry_table()).  Tables are created on demand by
 * pgtable_walk(..., alloc = true) and kept when their entries are unmapped:
 * the kernel's tables live forever; an address space frees its own in
 * pgd_free().
 *
 * Also here, for the tests, the ptdump and lab 6: pgtable_lookup() (the
 * leaf at any level), pgtable_for_each_leaf() with the effective
 * permissions of every leaf, pgtable_dump(), pgd_alloc() and pgd_free().
 *
 * Nothing here takes a lock, and only pgtable_map's undo path flushes the
 * TLB: callers do both (kestrel/pgtable.h says when).  Pages for tables
 * are allocated with GFP_KERNEL, which never sleeps in Kestrel so far.
 */
#include <asm/pgtable.h>
#include <kestrel/errno.h>
#include <kestrel/gfp.h>
#include <kestrel/mm.h>
#include <kestrel/pgtable.h>
#include <kestrel/printk.h>
#include <kestrel/string.h>
#include "internal.h"

extern pgd_t boot_pml4[]; /* head.S: the boot page tables */

pgd_t *init_pgd = boot_pml4;
spinlock_t init_pgd_lock = SPINLOCK_INIT;

/* A zeroed page for a page table, or NULL. */
static u64 *alloc_table(void)
{
	return (u64 *)get_zeroed_page(GFP_KERNEL);
}

#if SOL >= 3
/*
 * Make the (upper-level) entry at @entry point to a table, allocating one
 * when it is empty and @alloc allows.  False when there is no table: the
 * entry is empty and may not (or could not) be filled, or it is a leaf.
 */
static bool next_table(u64 *entry, unsigned long va, bool alloc)
{
	u64 *table;

	if (entry_present(*entry))
		return !entry_huge(*entry);
	if (!alloc || !(table = alloc_table()))
		return false;
	*entry = mk_entry(__pa(table), table_prot(va));
	return true;
}
#endif

pte_t *pgtable_walk(pgd_t *pgd, unsigned long va, enum pg_level level,
		    bool alloc)
{
#if SOL >= 3
	p4d_t *p4d = p4d_offset(pgd_offset(pgd, va), va);
	pud_t *pud;
	pmd_t *pmd;

	if (level < PG_LEVEL_4K || level > PG_LEVEL_1G)
		return NULL;
	if (!next_table(p4d, va, alloc))
		return NULL;
	pud = pud_offset(p4d, va);
	if (level == PG_LEVEL_1G)
		return pud;
	if (!next_table(pud, va, alloc))
		return NULL;
	pmd = pmd_offset(pud, va);
	if (level == PG_LEVEL_2M)
		return pmd;
	if (!next_table(pmd, va, alloc))
		return NULL;
	return pte_offset(pmd, va);
#else
	/*
	 * LAB 3: go down from the pgd to the entry for @va at @level:
	 * pgd_offset() then p4d_offset() (folded: the same entry), then
	 * pud_offset(), pmd_offset(), pte_offset(), stopping at @level
	 * (PG_LEVEL_1G returns the pud entry, _2M the pmd, _4K the pte).
	 * Before each step down, the entry must point to a table: if it is
	 * not present and @alloc is true, take a zeroed page (alloc_table())
	 * and store mk_entry(__pa(table), table_prot(va)) in it; if it is
	 * not present and @alloc is false, or it is a leaf (entry_huge()),
	 * return NULL.
	 */
	return NULL;
#endif
}

int pgtable_map(pgd_t *pgd, unsigned long va, phys_addr_t pa, size_t size,
		pgprot_t prot)
{
#if SOL >= 3
	size_t off;
	pte_t *pte;

	if ((va | pa | size) & (PAGE_SIZE - 1))
		return -EINVAL;
	for (off = 0; off < size; off += PAGE_SIZE) {
		pte = pgtable_walk(pgd, va + off, PG_LEVEL_4K, true);
		if (!pte || entry_present(*pte)) {
			/*
			 * Undo: the CPU may have cached the new entries
			 * (speculatively), so they are flushed too.
			 */
			pgtable_unmap(pgd, va, off);
			flush_tlb_kernel_range(va, va + off);
			return pte ? -EEXIST : -ENOMEM;
		}
		*pte = mk_entry(pa + off, prot | _PAGE_PRESENT);
	}
	return 0;
#else
	/*
	 * LAB 3: check that @va, @pa and @size are page-aligned (-EINVAL),
	 * then for each 4 KiB page find its pte with pgtable_walk(...,
	 * PG_LEVEL_4K, true) and fill it with mk_entry(pa + off, prot |
	 * _PAGE_PRESENT).  A NULL walk is -ENOMEM, a pte already present is
	 * -EEXIST; either way, unmap what this call mapped (and flush it:
	 * flush_tlb_kernel_range()) before returning the error.
	 */
	return -ENOSYS;
#endif
}

void pgtable_unmap(pgd_t *pgd, unsigned long va, size_t size)
{
#if SOL >= 3
	unsigned long end = va + size;
	pte_t *pte;

	for (; va < end; va += PAGE_SIZE) {
		pte = pgtable_walk(pgd, va, PG_LEVEL_4K, false);
		if (pte)
			*pte = 0;
	}
#else
	/*
	 * LAB 3: for each 4 KiB page of the range, find its pte without
	 * allocating (pgtable_walk(..., PG_LEVEL_4K, false)) and clear it.
	 * No flush here: the caller flushes the whole range once.
	 */
#endif
}

pte_t *pgtable_lookup(pgd_t *pgd, unsigned long va, enum pg_level *level)
{
	p4d_t *p4d = p4d_offset(pgd_offset(pgd, va), va);
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;

	if (!entry_present(*p4d))
		return NULL;
	pud = pud_offset(p4d, va);
	if (!entry_present(*pud))
		return NULL;
	if (entry_huge(*pud)) {
		*level = PG_LEVEL_1G;
		return pud;
	}
	pmd = pmd_offset(pud, va);
	if (!entry_present(*pmd))
		return NULL;
	if (entry_huge(*pmd)) {
		*level = PG_LEVEL_2M;
		return pmd;
	}
	pte = pte_offset(pmd, va);
	if (!entry_present(*pte))
		return NULL;
	*level = PG_LEVEL_4K;
	return pte;
}

/* ---- walking every leaf ---- */

struct leaf_walk {
	int (*fn)(unsigned long va, unsigned long size, u64 leaf, pgprot_t eff,
		  void *arg);
	void *arg;
};

/* Sign-extend bit 47: the canonical form of a 48-bit address. */
static unsigned long canonical(unsigned long va)
{
	return (unsigned long)((long)(va << 16) >> 16);
}

#define EFF_BITS (_PAGE_RW | _PAGE_USER | _PAGE_NX)

/*
 * Fold one more level's entry into the effective permissions @eff:
 * writable and user only if both allow it, no-execute if either forbids
 * it (SDM vol. 3A §4.6.1).
 */
static pgprot_t combine(pgprot_t eff, u64 entry)
{
	pgprot_t and_bits = _PAGE_RW | _PAGE_USER;

	return (eff & entry & and_bits) | ((eff | entry) & _PAGE_NX);
}

static int walk_table(const struct leaf_walk *w, u64 *table,
		      enum pg_level level, unsigned long base, pgprot_t eff)
{
	unsigned long size = pg_level_size(level);
	unsigned int i;
	int ret;

	for (i = 0; i < PTRS_PER_TABLE; i++) {
		u64 e = table[i];
		unsigned long va = canonical(base + i * size);
		pgprot_t here = combine(eff, e);

		if (!entry_present(e))
			continue;
		if (level == PG_LEVEL_4K || entry_huge(e))
			ret = w->fn(va, size, e,
				    (e & PTE_FLAGS_MASK & ~EFF_BITS) | here,
				    w->arg);
		else
			ret = walk_table(w, entry_table(e), level - 1, va,
					 here);
		if (ret)
			return ret;
	}
	return 0;
}

int pgtable_for_each_leaf(pgd_t *pgd,
			  int (*fn)(unsigned long va, unsigned long size,
				    u64 leaf, pgprot_t eff, void *arg),
			  void *arg)
{
	struct leaf_walk w = { fn, arg };

	/* Start permissive; every level (the leaf too) can only take away. */
	return walk_table(&w, pgd, PG_LEVEL_512G, 0, _PAGE_RW | _PAGE_USER);
}

/* ---- ptdump: the mappings as merged runs ---- */

struct dump_run {
	unsigned long start, end; /* virtual, bytes */
	unsigned long page;	  /* bytes per leaf */
	pgprot_t eff;		  /* effective _PAGE_RW/_USER/_NX */
	bool open;
};

static void dump_print(const struct dump_run *r)
{
	unsigned long bytes = r->end - r->start;
	unsigned long n = bytes >> 10;
	char unit = 'K';

	if (!(bytes & (PUD_SIZE - 1))) {
		n = bytes >> 30;
		unit = 'G';
	} else if (!(bytes & ((1UL << 20) - 1))) {
		n = bytes >> 20;
		unit = 'M';
	}
	printk("ptdump: %016lx-%016lx %8lu%c r%c%c %s %s\n", r->start, r->end,
	       n, unit, (r->eff & _PAGE_RW) ? 'w' : '-',
	       (r->eff & _PAGE_NX) ? '-' : 'x',
	       (r->eff & _PAGE_USER) ? "user" : "kernel",
	       r->page == PUD_SIZE ? "1G" :
	       r->page == PMD_SIZE ? "2M" :
				     "4K");
}

static int dump_leaf(unsigned long va, unsigned long size, u64 leaf,
		     pgprot_t eff, void *arg)
{
	struct dump_run *r = arg;

	eff &= EFF_BITS;
	if (r->open && r->end == va && r->eff == eff && r->page == size) {
		r->end += size;
		return 0;
	}
	if (r->open)
		dump_print(r);
	*r = (struct dump_run){ va, va + size, size, eff, true };
	return 0;
}

void pgtable_dump(pgd_t *pgd)
{
	struct dump_run r = { 0 };

	pgtable_for_each_leaf(pgd, dump_leaf, &r);
	if (r.open)
		dump_print(&r);
}

/* ---- address spaces (lab 6 uses these) ---- */

pgd_t *pgd_alloc(void)
{
	pgd_t *pgd = alloc_table();

	if (pgd)
		memcpy(pgd + KERNEL_PGD_FIRST, init_pgd + KERNEL_PGD_FIRST,
		       (PTRS_PER_TABLE - KERNEL_PGD_FIRST) * sizeof(pgd_t));
	return pgd;
}

/* Free the tables below @table (a table at @level), then @table itself. */
static void free_table_tree(u64 *table, enum pg_level level, unsigned int first,
			    unsigned int end)
{
	unsigned int i;

	for (i = first; level > PG_LEVEL_4K && i < end; i++)
		if (entry_present(table[i]) && !entry_huge(table[i]))
			free_table_tree(entry_table(table[i]), level - 1, 0,
					PTRS_PER_TABLE);
	free_page((unsigned long)table);
}

void pgd_free(pgd_t *pgd)
{
	/* The kernel half's tables are shared with init_pgd: keep them. */
	free_table_tree(pgd, PG_LEVEL_512G, 0, KERNEL_PGD_FIRST);
}

void pgtable_free_all(pgd_t *pgd)
{
	free_table_tree(pgd, PG_LEVEL_512G, 0, PTRS_PER_TABLE);
}
