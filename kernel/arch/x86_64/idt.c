/*
 * idt.c — the interrupt descriptor table.
 *
 * All 256 gates point into entry.S's table of 16-byte stubs, so every
 * vector — exception, IRQ or stray — reaches do_trap() with a full
 * struct pt_regs.  Gates are interrupt gates (interrupts stay off in the
 * handler until it decides otherwise), DPL 0, except that double fault,
 * NMI and machine check switch to their own IST stacks.
 */
#include <asm/desc.h>
#include <asm/segment.h>
#include <asm/traps.h>

#define STUB_SIZE	16	/* bytes per stub in entry.S */
#define GATE_INTR	0x8e	/* present, DPL 0, 64-bit interrupt gate */

extern const char trap_stubs[];

static struct idt_gate idt[256] __aligned(16);

static void set_gate(unsigned int vec, unsigned long addr, unsigned int ist)
{
	struct idt_gate *g = &idt[vec];

	g->offset_low = addr & 0xffff;
	g->selector = __KERNEL_CS;
	g->ist = ist;
	g->type_attr = GATE_INTR;
	g->offset_mid = (addr >> 16) & 0xffff;
	g->offset_high = addr >> 32;
	g->reserved = 0;
}

void idt_init(void)
{
	unsigned int vec;

	for (vec = 0; vec < 256; vec++)
		set_gate(vec, (unsigned long)trap_stubs + vec * STUB_SIZE, 0);
	idt[X86_TRAP_DF].ist = IST_DOUBLE_FAULT;
	idt[X86_TRAP_NMI].ist = IST_NMI;
	idt[X86_TRAP_MC].ist = IST_MACHINE_CHECK;
}

void idt_load(void)
{
	struct desc_ptr ptr = { sizeof(idt) - 1, (u64)idt };

	__asm__ __volatile__("lidt %0" : : "m"(ptr) : "memory");
}
