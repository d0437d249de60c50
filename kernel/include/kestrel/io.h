/*
 * kestrel/io.h — device registers in memory space (MMIO).
 *
 * Some devices are not RAM but answer at physical addresses: the local
 * APIC at 0xfee00000, the I/O APIC at 0xfec00000, the HPET at 0xfed00000,
 * later PCI devices' BARs.  To reach them the kernel maps their pages with
 * ioremap(): into the vmalloc area (docs/virtual-memory.md §1), with a
 * guard page on each side, never executable, and *uncached* — a register
 * read must reach the device every time, and a write must not sit in a
 * cache or be merged with the next one (Intel SDM vol. 3A §11.4.1: the
 * APIC's registers "are to be mapped to … strong uncacheable (UC)").
 *
 * Registers are then read and written only through readl()/writel() and
 * friends: one access of exactly that width, which the compiler may
 * neither drop, merge, split nor reorder with other volatile accesses.
 */
#ifndef KESTREL_IO_H
#define KESTREL_IO_H

#include <kestrel/types.h>

/**
 * ioremap - map @size bytes of device memory at physical @phys, uncached.
 * @phys need not be page-aligned; the returned address has the same offset
 * into its page.  Returns NULL when @size is 0, when virtual space or a
 * page table could not be allocated, or before the kernel page tables are
 * active (lab 3).  May allocate; process context, not in an interrupt.
 */
void *ioremap(phys_addr_t phys, size_t size);

/**
 * iounmap - undo ioremap(): unmap the pages (flushing the TLB) and return
 * the virtual range.  NULL is ignored; an address not from ioremap warns.
 */
void iounmap(void *addr);

static inline u8 readb(const volatile void *addr)
{
	return *(const volatile u8 *)addr;
}

static inline u16 readw(const volatile void *addr)
{
	return *(const volatile u16 *)addr;
}

static inline u32 readl(const volatile void *addr)
{
	return *(const volatile u32 *)addr;
}

static inline u64 readq(const volatile void *addr)
{
	return *(const volatile u64 *)addr;
}

static inline void writeb(u8 val, volatile void *addr)
{
	*(volatile u8 *)addr = val;
}

static inline void writew(u16 val, volatile void *addr)
{
	*(volatile u16 *)addr = val;
}

static inline void writel(u32 val, volatile void *addr)
{
	*(volatile u32 *)addr = val;
}

static inline void writeq(u64 val, volatile void *addr)
{
	*(volatile u64 *)addr = val;
}

#endif
