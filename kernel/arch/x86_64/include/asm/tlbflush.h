/*
 * asm/tlbflush.h — forgetting cached translations.
 *
 * The CPU caches translations in its TLBs and does not watch the page
 * tables: after an entry changes from present to anything else (or loses
 * a permission), the old translation may still be used until it is
 * invalidated (Intel SDM vol. 3A §4.10.4).  Making an entry present
 * where it was not needs no flush: the CPU never caches a translation
 * whose P flag is 0 (§4.10.2.2); and a stale, stricter translation can
 * only cause a page fault, after which the CPU walks the tables afresh
 * (§4.10.4.3, "Optional Invalidation").
 *
 *   flush_tlb_one(va)	   invlpg: the translations of one page (§4.10.4.1)
 *   flush_tlb_kernel_range  invlpg per page, or everything for a long range
 *   flush_tlb_all()	   reload CR3: all non-global translations
 *
 * Kestrel sets no global (_PAGE_GLOBAL) entries and leaves CR4.PGE off, so a
 * CR3 reload flushes everything.  These flush this CPU only; lab 11 adds
 * the shootdown IPIs that other CPUs need.
 */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

#include <asm/page.h>
#include <asm/processor.h>

/* Past this many pages one CR3 reload is cheaper than one invlpg each. */
#define TLB_FLUSH_ALL_THRESHOLD	32

/** flush_tlb_one - invalidate this CPU's translations for the page at @va. */
static inline void flush_tlb_one(unsigned long va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

/** flush_tlb_all - invalidate all of this CPU's (non-global) translations. */
static inline void flush_tlb_all(void)
{
	write_cr3(read_cr3());
}

/**
 * flush_tlb_kernel_range - invalidate the translations of [@start, @end)
 * (bytes) on this CPU, page by page or all at once for a long range.
 */
static inline void flush_tlb_kernel_range(unsigned long start,
					  unsigned long end)
{
	unsigned long va;

	if ((end - start) >> PAGE_SHIFT > TLB_FLUSH_ALL_THRESHOLD) {
		flush_tlb_all();
		return;
	}
	for (va = start & ~(PAGE_SIZE - 1); va < end; va += PAGE_SIZE)
		flush_tlb_one(va);
}

#endif
