/*
 * ioremap.c — mapping device registers into the kernel (kestrel/io.h).
 *
 * A device's registers live at physical addresses that are not RAM, most
 * of them above the top of the direct map (the local APIC at 0xfee00000,
 * the I/O APIC at 0xfec00000, the HPET at 0xfed00000).  ioremap() gives
 * them a virtual address in the vmalloc area, exactly as vmalloc does
 * (get_vm_area: a range with a guard page on each side), but maps the
 * device's own pages instead of fresh RAM, with different protections:
 *
 *	P | RW | PCD | PWT | NX	present, writable, uncached, not executable
 *
 * PCD and PWT (with the PAT bit 0) select PAT entry 3, which the kernel
 * leaves at its power-on value, UC — strong uncacheable (Intel SDM vol. 3A,
 * "Page Attribute Table (PAT)": the table "Selection of PAT Entries with
 * PAT, PCD, and PWT Flags" and the power-up defaults).  UC means every read
 * and write goes to the device, in program order, none merged or
 * speculated: what registers need.
 *
 * The mapping is made in init_pgd under init_pgd_lock; because the vmalloc
 * area's pgd entry is shared by every address space (kestrel/pgtable.h),
 * an ioremap is visible everywhere at once.  iounmap() unmaps and flushes
 * before giving the virtual range back, so a stale translation cannot
 * reach whatever is mapped there next.
 */
#include <asm/pgtable.h>
#include <asm/tlbflush.h>
#include <kestrel/io.h>
#include <kestrel/panic.h>
#include <kestrel/pgtable.h>
#include <kestrel/vmalloc.h>

/* Kernel data, uncached: PAT entry 3 (UC) through PCD | PWT. */
#define PAGE_KERNEL_NOCACHE	(PAGE_KERNEL | _PAGE_PCD | _PAGE_PWT)

void *ioremap(phys_addr_t phys, size_t size)
{
	phys_addr_t base = ALIGN_DOWN(phys, PAGE_SIZE);
	size_t offset = phys - base, len;
	struct vm_struct *area;
	unsigned long flags;
	int err;

	if (!size || !kernel_page_tables_active())
		return NULL;
	len = ALIGN_UP(offset + size, PAGE_SIZE);
	area = get_vm_area(len, (unsigned long)__builtin_return_address(0));
	if (!area)
		return NULL;
	flags = spin_lock_irqsave(&init_pgd_lock);
	err = pgtable_map(init_pgd, area->addr, base, len, PAGE_KERNEL_NOCACHE);
	spin_unlock_irqrestore(&init_pgd_lock, flags);
	if (err) {
		free_vm_area(area);
		return NULL;
	}
	return (void *)(area->addr + offset);
}

void iounmap(void *addr)
{
	struct vm_struct *area;
	unsigned long flags;

	if (!addr)
		return;
	area = find_vm_area(addr);
	if (WARN_ON(!area))
		return;
	flags = spin_lock_irqsave(&init_pgd_lock);
	pgtable_unmap(init_pgd, area->addr, area->size);
	spin_unlock_irqrestore(&init_pgd_lock, flags);
	flush_tlb_kernel_range(area->addr, area->addr + area->size);
	free_vm_area(area);
}
