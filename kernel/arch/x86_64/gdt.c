/*
 * gdt.c — per-CPU global descriptor tables and task-state segments.
 *
 * In 64-bit mode segmentation is mostly gone: code and data descriptors
 * only carry the privilege level and the L (64-bit) bit.  The TSS still
 * matters: it holds rsp0, the kernel stack the CPU switches to when user
 * code is interrupted, and the IST stacks that double fault, NMI and
 * machine check always run on, so that even a kernel stack overflow can be
 * reported.  Layout and selectors: asm/segment.h.
 */
#include <asm/desc.h>
#include <asm/segment.h>
#include <kestrel/percpu.h>

/* Segment descriptor flags (SDM vol. 3 §3.4.5): access byte and G/L/DB. */
#define SEG_CODE64_K	0x00af9a000000ffffULL	/* present, DPL 0, code, L */
#define SEG_DATA_K	0x00cf92000000ffffULL	/* present, DPL 0, data, writable */
#define SEG_CODE32_U	0x00cffa000000ffffULL	/* present, DPL 3, code, 32-bit */
#define SEG_DATA_U	0x00cff2000000ffffULL	/* present, DPL 3, data */
#define SEG_CODE64_U	0x00affa000000ffffULL	/* present, DPL 3, code, L */
#define SEG_TSS_TYPE	0x89ULL			/* present, 64-bit TSS (available) */

struct cpu_desc {
	u64 gdt[GDT_ENTRIES];
	struct tss tss;
	u8 ist_stacks[3][IST_STACK_SIZE] __aligned(16);
} __aligned(64);

static struct cpu_desc cpu_desc[NR_CPUS];

/* A TSS descriptor is 16 bytes wide in 64-bit mode (SDM vol. 3 §7.2.3). */
static void set_tss_desc(u64 *gdt, struct tss *tss)
{
	u64 base = (u64)tss;
	u64 limit = sizeof(*tss) - 1;

	gdt[GDT_ENTRY_TSS] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			     (SEG_TSS_TYPE << 40) | (((limit >> 16) & 0xf) << 48) |
			     (((base >> 24) & 0xff) << 56);
	gdt[GDT_ENTRY_TSS + 1] = base >> 32;
}

static void load_segments(void)
{
	/* Reload CS with a far return; the data segments with plain moves. */
	__asm__ __volatile__(
		"pushq %[cs]\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %[ds], %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		: : [cs] "i"(__KERNEL_CS), [ds] "i"(__KERNEL_DS) : "rax", "memory");
}

void gdt_init_cpu(unsigned int cpu)
{
	struct cpu_desc *d = &cpu_desc[cpu];
	struct desc_ptr ptr = { sizeof(d->gdt) - 1, (u64)d->gdt };

	d->gdt[GDT_ENTRY_KERNEL_CS] = SEG_CODE64_K;
	d->gdt[GDT_ENTRY_KERNEL_DS] = SEG_DATA_K;
	d->gdt[GDT_ENTRY_USER32_CS] = SEG_CODE32_U;
	d->gdt[GDT_ENTRY_USER_DS] = SEG_DATA_U;
	d->gdt[GDT_ENTRY_USER_CS] = SEG_CODE64_U;
	/* Stacks grow down: each IST entry is the end of its stack. */
	d->tss.ist[IST_DOUBLE_FAULT - 1] = (u64)&d->ist_stacks[0][IST_STACK_SIZE];
	d->tss.ist[IST_NMI - 1] = (u64)&d->ist_stacks[1][IST_STACK_SIZE];
	d->tss.ist[IST_MACHINE_CHECK - 1] = (u64)&d->ist_stacks[2][IST_STACK_SIZE];
	d->tss.iomap_base = sizeof(d->tss);
	set_tss_desc(d->gdt, &d->tss);

	__asm__ __volatile__("lgdt %0" : : "m"(ptr) : "memory");
	load_segments();
	__asm__ __volatile__("ltr %w0" : : "r"(__TSS_SEL) : "memory");
}

void tss_set_kernel_stack(unsigned int cpu, unsigned long sp)
{
	cpu_desc[cpu].tss.rsp[0] = sp;
}
