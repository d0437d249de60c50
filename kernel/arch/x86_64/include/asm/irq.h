/*
 * asm/irq.h — what the generic interrupt code (kernel/irq/) asks of the
 * architecture, and the entry from traps.c.
 *
 * On x86_64 a line reaches the CPU as an IDT vector: the arch allocates
 * one per active line (0x30–0xdf, asm/irq_vectors.h), programs the I/O
 * APIC to send the line there, and dispatches the vector back to the
 * line's struct irq_desc.  System vectors (the local timer, APIC errors,
 * spurious) are handled here directly.
 *
 * Lock order: irq_desc_lock (kernel/irq) → vector_lock → ioapic_lock.
 */
#ifndef ASM_IRQ_H
#define ASM_IRQ_H

#include <asm/ptrace.h>
#include <kestrel/irq.h>

/**
 * do_irq - every vector ≥ 32 (traps.c): irq_enter, dispatch, EOI,
 * irq_exit.  Interrupts off, on the interrupted stack.
 */
void do_irq(struct pt_regs *regs);

/**
 * arch_irq_init - the legacy PICs remapped and masked, the local APIC
 * (lapic_init) and the I/O APICs (ioapic_init).  Boot CPU, interrupts off.
 */
void arch_irq_init(void);

/**
 * arch_irq_activate - give @desc a vector and route its line there, then
 * unmask it.  Returns 0, -ENOSPC (no free vector), -ENODEV (no I/O APIC
 * pin for the line).  Called with irq_desc_lock held, interrupts off.
 * arch_irq_deactivate - mask the line and free its vector (same locking).
 */
int arch_irq_activate(struct irq_desc *desc);
void arch_irq_deactivate(struct irq_desc *desc);

/** arch_irq_mask - mask @desc's line (a storm nobody handles).  Any context. */
void arch_irq_mask(struct irq_desc *desc);

#endif
