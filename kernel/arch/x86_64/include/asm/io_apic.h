/*
 * asm/io_apic.h — the I/O APIC: device interrupt lines to CPU vectors.
 *
 * An I/O APIC has 24 (or more) input pins; pin n of the I/O APIC whose
 * MADT entry says "GSI base b" carries global system interrupt b + n.
 * For each pin a 64-bit redirection entry says which vector to send to
 * which CPU, how the line signals (edge or level, active high or low),
 * and whether the pin is masked (82093AA datasheet §3.2.4).  The ISA
 * IRQs arrive on the pins of their numbers unless the MADT overrides them
 * (kestrel/acpi.h).  See arch/x86_64/ioapic.c for the registers.
 */
#ifndef ASM_IO_APIC_H
#define ASM_IO_APIC_H

#include <kestrel/types.h>

/* How a line signals: the redirection entry's polarity and trigger bits. */
struct irq_line_mode {
	bool level;		/* level-triggered (else edge) */
	bool active_low;	/* asserted low (else high) */
};

/**
 * ioapic_init - map every I/O APIC the MADT lists, read its pin count and
 * mask every pin.  Returns the number of usable I/O APICs (0: device
 * interrupts cannot be delivered).  Boot CPU, interrupts off.
 */
int ioapic_init(void);

/**
 * irq_to_gsi - the GSI and signalling of IRQ @irq: an ISA IRQ (< 16)
 * through the MADT overrides (default: same number, edge, active high);
 * any other IRQ is its own GSI, level-triggered and active low (PCI).
 */
unsigned int irq_to_gsi(unsigned int irq, struct irq_line_mode *mode);

/**
 * ioapic_route - program the pin of @gsi to deliver @vector to the CPU
 * with APIC ID @dest, fixed delivery, physical destination, signalling as
 * @mode, left masked.  Returns 0 or -ENODEV (no I/O APIC has that pin).
 * ioapic_mask, ioapic_unmask - set or clear the pin's mask bit.
 * Any context (ioapic_lock, interrupts off).
 */
int ioapic_route(unsigned int gsi, u8 vector, u32 dest,
		 const struct irq_line_mode *mode);
void ioapic_mask(unsigned int gsi);
void ioapic_unmask(unsigned int gsi);

/** ioapic_read_entry - the raw 64-bit redirection entry of @gsi (tests). */
u64 ioapic_read_entry(unsigned int gsi);

/** i8259_disable - remap the 8259 PICs to 0x20–0x2f and mask them. */
void i8259_disable(void);

/** i8259_spurious - a vector 0x20–0x2f arrived: a spurious IRQ 7 or 15. */
void i8259_spurious(unsigned int vector);

#endif
