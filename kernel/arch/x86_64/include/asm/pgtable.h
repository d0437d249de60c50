/*
 * asm/pgtable.h — x86_64 page-table entries, levels and the kernel's
 * virtual memory map.
 *
 * With 4-level paging (Intel SDM vol. 3A §4.5) a 48-bit linear address is
 * cut into four 9-bit table indexes and a 12-bit page offset (figures 4-8
 * to 4-10):
 *
 *	| 47:39   | 38:30   | 29:21   | 20:12   | 11:0        |
 *	| pgd idx | pud idx | pmd idx | pte idx | page offset |  4 KiB page
 *	| pgd idx | pud idx | pmd idx | offset in the page    |  2 MiB page
 *	| pgd idx | pud idx | offset in the page              |  1 GiB page
 *
 * Bits 63:48 copy bit 47 (a "canonical" address): the low half is user
 * space, the high half the kernel.  Kestrel uses Linux's names for the
 * levels: pgd (PML4), p4d (the fifth level of 5-level paging, folded here:
 * a p4d entry *is* the pgd entry), pud (PDPT), pmd (PD), pte (PT).
 *
 * Every entry is 64 bits, in the same format at every level (SDM vol. 3A
 * §4.5, tables 4-15 to 4-20; figure 4-11 shows them side by side):
 *
 *	| 63 | 62:59 | 58:52 | 51:12                                 |
 *	| XD |  PK   | avail | physical address: next table or page  |
 *
 *	| 11:9  | 8 | 7  | 6 | 5 | 4  | 3  | 2 | 1 | 0 |
 *	| avail | G | PS | D | A | CD | WT | U | W | P |
 *
 *   P   present; when 0 the CPU ignores every other bit
 *   W   writable (R/W); a write needs W at every level (and CR0.WP makes
 *       this apply to the kernel too, §4.6.1)
 *   U   user (U/S); user mode needs U at every level; with CR4.SMEP/SMAP the
 *       kernel may not fetch from, or (outside stac/clac) touch, U pages
 *   WT, CD  write-through and cache-disable (the PAT index with bit 7/12)
 *   A, D    accessed and dirty: set by the CPU (D only in a leaf)
 *   PS  in a pud or pmd: this entry is a leaf mapping a 1 GiB or 2 MiB page
 *       (in a pte, bit 7 is the PAT bit instead; Kestrel leaves it 0)
 *   G   global: survives CR3 reloads when CR4.PGE is on (Kestrel does not
 *       use it yet, so a CR3 reload flushes every translation)
 *   PK  protection key (CR4.PKE); XD: execute-disable, needs EFER.NXE
 *   address: the next table, or the page frame; a 2 MiB or 1 GiB frame
 *       must be aligned to its size (the low bits are reserved or PAT)
 *
 * The upper levels get permissive entries (P|W, plus U in the user half) and
 * the leaf holds the real permissions, so what a leaf says is what applies.
 */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H

#include <asm/page.h>

/* ---- entry bits, SDM vol. 3A tables 4-15 to 4-20 ---- */
#define _PAGE_PRESENT	(1UL << 0)
#define _PAGE_RW	(1UL << 1)
#define _PAGE_USER	(1UL << 2)
#define _PAGE_PWT	(1UL << 3)
#define _PAGE_PCD	(1UL << 4)
#define _PAGE_ACCESSED	(1UL << 5)
#define _PAGE_DIRTY	(1UL << 6)
#define _PAGE_PSE	(1UL << 7)	/* pud/pmd only: a 1 GiB / 2 MiB leaf */
#define _PAGE_GLOBAL	(1UL << 8)
#define _PAGE_NX	(1UL << 63)

#define PTE_ADDR_MASK	0x000ffffffffff000UL	/* bits 51:12 */
#define PTE_FLAGS_MASK	(~PTE_ADDR_MASK)

/*
 * ---- protections: what a leaf says (a Kestrel choice; W^X always) ----
 * Kernel data, rodata and text; user data, read-only data and text; and
 * what an upper-level entry gets (the leaf decides, so: everything).
 */
#define PAGE_KERNEL	(_PAGE_PRESENT | _PAGE_RW | _PAGE_NX)
#define PAGE_KERNEL_RO	(_PAGE_PRESENT | _PAGE_NX)
#define PAGE_KERNEL_RX	(_PAGE_PRESENT)
#define PAGE_USER_RW	(_PAGE_PRESENT | _PAGE_USER | _PAGE_RW | _PAGE_NX)
#define PAGE_USER_RO	(_PAGE_PRESENT | _PAGE_USER | _PAGE_NX)
#define PAGE_USER_RX	(_PAGE_PRESENT | _PAGE_USER)
#define _PAGE_TABLE	(_PAGE_PRESENT | _PAGE_RW)

/* ---- levels and indexes (figures 4-8 to 4-10) ---- */
#define PTRS_PER_TABLE	512		/* 8-byte entries in a 4 KiB table */
#define PMD_SHIFT	21
#define PUD_SHIFT	30
#define PGDIR_SHIFT	39
#define PMD_SIZE	(1UL << PMD_SHIFT)	/* 2 MiB: a pmd leaf */
#define PUD_SIZE	(1UL << PUD_SHIFT)	/* 1 GiB: a pud leaf */
#define PGDIR_SIZE	(1UL << PGDIR_SHIFT)	/* 512 GiB: a pgd entry */

/* The size of what an entry at @level maps, for enum pg_level. */
enum pg_level {
	PG_LEVEL_NONE,
	PG_LEVEL_4K,	/* pte */
	PG_LEVEL_2M,	/* pmd */
	PG_LEVEL_1G,	/* pud */
	PG_LEVEL_512G,	/* pgd */
};

/*
 * ---- the kernel's virtual memory map (docs/virtual-memory.md) ----
 * User space ends at the first non-canonical address; the kernel half
 * starts at the next canonical one, pgd slot 256.  The vmalloc area is
 * Linux's address, but one pgd slot (402, 512 GiB) rather than 32 TiB.
 */
#define USER_SPACE_END	0x0000800000000000UL
#define KERNEL_HALF	0xffff800000000000UL
#define KERNEL_PGD_FIRST 256
#define VMALLOC_START	0xffffc90000000000UL
#define VMALLOC_END	(VMALLOC_START + PGDIR_SIZE)

#ifndef __ASSEMBLY__
#include <kestrel/types.h>

/*
 * Entries are plain 64-bit values (STYLE: opaque scalars are typedefs).
 * The names say which level a pointer points into.
 */
typedef u64 pgd_t;	/* PML4 entry */
typedef u64 p4d_t;	/* folded: the pgd entry itself */
typedef u64 pud_t;	/* PDPT entry; a 1 GiB leaf with _PAGE_PSE */
typedef u64 pmd_t;	/* PD entry; a 2 MiB leaf with _PAGE_PSE */
typedef u64 pte_t;	/* PT entry: a 4 KiB page */
typedef u64 pgprot_t;	/* the flag bits of an entry (PAGE_KERNEL, …) */

/* Bytes an entry at @level maps: 4 KiB, ×512 per level up. */
static inline unsigned long pg_level_size(enum pg_level level)
{
	return PAGE_SIZE << (9 * (level - PG_LEVEL_4K));
}

static inline unsigned long pgd_index(unsigned long va)
{
	return (va >> PGDIR_SHIFT) & (PTRS_PER_TABLE - 1);
}

static inline unsigned long pud_index(unsigned long va)
{
	return (va >> PUD_SHIFT) & (PTRS_PER_TABLE - 1);
}

static inline unsigned long pmd_index(unsigned long va)
{
	return (va >> PMD_SHIFT) & (PTRS_PER_TABLE - 1);
}

static inline unsigned long pte_index(unsigned long va)
{
	return (va >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1);
}

/* An entry's bits, whatever its level. */
static inline bool entry_present(u64 e)
{
	return e & _PAGE_PRESENT;
}

/* A pud or pmd entry that maps a page itself rather than a table. */
static inline bool entry_huge(u64 e)
{
	return (e & (_PAGE_PRESENT | _PAGE_PSE)) == (_PAGE_PRESENT | _PAGE_PSE);
}

/* The physical address in @e: the next table, or the page frame. */
static inline phys_addr_t entry_phys(u64 e)
{
	return e & PTE_ADDR_MASK;
}

/* The table @e points to, through the direct map. */
static inline u64 *entry_table(u64 e)
{
	return __va(entry_phys(e));
}

static inline u64 mk_entry(phys_addr_t pa, pgprot_t prot)
{
	return (pa & PTE_ADDR_MASK) | prot;
}

/* Entry pointers for @va, one level down from the entry above. */
static inline pgd_t *pgd_offset(pgd_t *pgd, unsigned long va)
{
	return pgd + pgd_index(va);
}

static inline p4d_t *p4d_offset(pgd_t *pgde, unsigned long va)
{
	(void)va;
	return pgde;	/* 4-level paging: the p4d level is folded */
}

static inline pud_t *pud_offset(p4d_t *p4d, unsigned long va)
{
	return entry_table(*p4d) + pud_index(va);
}

static inline pmd_t *pmd_offset(pud_t *pud, unsigned long va)
{
	return entry_table(*pud) + pmd_index(va);
}

static inline pte_t *pte_offset(pmd_t *pmd, unsigned long va)
{
	return entry_table(*pmd) + pte_index(va);
}

/* The flags an upper-level entry gets for a table covering @va. */
static inline pgprot_t table_prot(unsigned long va)
{
	return va < USER_SPACE_END ? _PAGE_TABLE | _PAGE_USER : _PAGE_TABLE;
}

static inline bool is_user_address(unsigned long va)
{
	return va < USER_SPACE_END;
}
#endif

#endif
