/*
 * asm/page.h — page size and the kernel's two views of physical memory.
 *
 * Physical memory is reached through the direct map at PAGE_OFFSET
 * (DESIGN §3, "Memory layout"); the kernel image also has its own mapping
 * at KERNEL_VMA.  __va() turns a physical address into its direct-map
 * address; __pa() does the reverse for either view.
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <asm/boot.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)	/* bytes */

#ifndef __ASSEMBLY__
#include <kestrel/types.h>

static inline void *__va(phys_addr_t pa)
{
	return (void *)(pa + PAGE_OFFSET);
}

static inline phys_addr_t __pa(const void *va)
{
	unsigned long v = (unsigned long)va;

	return v >= KERNEL_VMA ? v - KERNEL_VMA : v - PAGE_OFFSET;
}
#endif

#endif
