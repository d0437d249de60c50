/*
 * kestrel/memblock.h — the boot-time memory allocator.
 *
 * Before struct page exists, physical memory is described by two sorted
 * lists of address ranges: "memory" (the RAM the firmware reported usable)
 * and "reserved" (parts of it already in use: the first MiB, the kernel
 * image, the initrd, the boot loader's data, and every early allocation).
 * Free memory is memory minus reserved.  memblock_alloc carves from the top
 * of free memory and reserves what it hands out.  mm_init then builds
 * mem_map, gives every free range to the buddy allocator and retires
 * memblock: from then on memblock_alloc fails (with a warning) and pages
 * come from alloc_pages.  The idea and the names are Linux's
 * (mm/memblock.c); the code is ours.
 *
 * Addresses and sizes are physical and in bytes.  Overlapping or adjacent
 * ranges are merged.  Locking: none — memblock is used only on the boot
 * CPU, before other CPUs and interrupts are running.
 */
#ifndef KESTREL_MEMBLOCK_H
#define KESTREL_MEMBLOCK_H

#include <kestrel/types.h>

#define MEMBLOCK_MAX_REGIONS	128	/* entries per list */

/**
 * memblock_add - declare [@base, @base + @size) as RAM.
 * Returns 0, -EINVAL for an empty or wrapping range, or -ENOMEM when the
 * list is full.  Boot CPU only, before mm_init's handoff.
 */
int memblock_add(phys_addr_t base, phys_addr_t size);

/**
 * memblock_reserve - mark [@base, @base + @size) as in use: it is never
 * handed out by memblock_alloc nor given to the page allocator.  The range
 * need not be RAM.  Returns 0, -EINVAL or -ENOMEM as memblock_add.
 */
int memblock_reserve(phys_addr_t base, phys_addr_t size);

/**
 * memblock_free - give back [@base, @base + @size) reserved earlier (it
 * becomes free again).  Returns 0, -EINVAL, or -ENOMEM when splitting a
 * reserved range needs an entry the list does not have.
 */
int memblock_free(phys_addr_t base, phys_addr_t size);

/**
 * memblock_alloc - allocate @size bytes aligned to @align (a power of two;
 * 0 means PAGE_SIZE), below the limit (memblock_set_limit), zero-filled.
 * Returns the physical address (reach it with __va), or 0 on failure:
 * no free range is big enough, bad arguments, or memblock is retired.
 * The memory stays reserved for ever unless given back with memblock_free.
 */
phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align);

/** memblock_phys_alloc - memblock_alloc without the zero fill. */
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align);

/** memblock_set_limit - allocations end at or below @limit (bytes);
 *  mm_init sets it to the end of the boot direct map (4 GiB). */
void memblock_set_limit(phys_addr_t limit);

/** memblock_phys_mem_size - bytes of RAM declared with memblock_add. */
phys_addr_t memblock_phys_mem_size(void);

/** memblock_reserved_size - bytes reserved (RAM or not). */
phys_addr_t memblock_reserved_size(void);

/** memblock_end_of_DRAM - the end of the highest RAM range (0 if none). */
phys_addr_t memblock_end_of_DRAM(void);

/**
 * memblock_next_free_range - iterate over free memory in address order.
 * Start with *@cursor = 0; each call stores the next free range in
 * [*@start, *@end) and returns true, or returns false when there is none
 * left.  The lists must not change during the iteration.
 */
bool memblock_next_free_range(phys_addr_t *cursor, phys_addr_t *start,
			      phys_addr_t *end);

/** memblock_dump - print both lists, when the command line says
 *  memblock=debug (mm_init calls it); otherwise print nothing. */
void memblock_dump(void);

/** memblock_retire - the page allocator owns free memory now: refuse
 *  further memblock_alloc calls (each reports a warning). */
void memblock_retire(void);

#endif
