/*
 * asm/desc.h — descriptor tables: GDT, TSS and IDT.
 *
 * Formats from Intel SDM vol. 3: §3.4.5 segment descriptors, §7.7 the
 * 64-bit TSS, §6.14.1 64-bit IDT gates.  Every CPU has its own GDT and TSS
 * (per-CPU from the start, for SMP); the IDT is shared.
 */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

/* Interrupt stack table slots (1-based, as the IDT gate encodes them). */
#define IST_DOUBLE_FAULT	1
#define IST_NMI			2
#define IST_MACHINE_CHECK	3
#define IST_STACK_SIZE		8192	/* bytes per IST stack */

/* The 64-bit TSS: 104 bytes, SDM vol. 3 figure 7-11. */
struct tss {
	u32 reserved0;
	u64 rsp[3];		/* stack for a switch to ring 0, 1, 2 */
	u64 reserved1;
	u64 ist[7];		/* IST1 … IST7 */
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;		/* offset of the I/O bitmap; past the end: none */
} __packed;

/* An IDT gate: 16 bytes, SDM vol. 3 figure 6-8. */
struct idt_gate {
	u16 offset_low;
	u16 selector;
	u8 ist;			/* bits 0–2: IST slot, 0 = none */
	u8 type_attr;		/* P, DPL, type (0xe = interrupt gate) */
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
} __packed;

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

/**
 * gdt_init_cpu - load this CPU's GDT and TSS (with IST stacks) and reload
 * the segment registers.  @cpu: CPU number, < NR_CPUS.  Call once per CPU,
 * before idt_load().  Source: SDM vol. 3 §3.4.5, §7.7.
 */
void gdt_init_cpu(unsigned int cpu);

/**
 * idt_init - fill the shared IDT: every vector points to its stub in
 * entry.S; double fault, NMI and machine check use their IST stacks.
 * Call once on the boot CPU.  Source: SDM vol. 3 §6.14.
 */
void idt_init(void);

/** idt_load - load the shared IDT on this CPU (lidt). */
void idt_load(void);

/** tss_set_kernel_stack - the stack ring 3 → ring 0 transitions use (rsp0). */
void tss_set_kernel_stack(unsigned int cpu, unsigned long sp);

#endif
