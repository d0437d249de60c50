/*
 * asm/irq_vectors.h — how Kestrel uses the 256 IDT vectors.
 *
 *	0x00–0x1f  CPU exceptions (SDM vol. 3A §6.3.1, table 6-1)
 *	0x20–0x2f  the two 8259 PICs, remapped here and masked: only their
 *	           spurious IRQ 7 / IRQ 15 can still arrive (counted)
 *	0x30–0xdf  device interrupts: allocated one per requested IRQ line
 *	0xe0–0xfe  system vectors, the same on every CPU: the local APIC
 *	           timer, its error interrupt, later the IPIs of lab 11
 *	0xff       the local APIC's spurious-interrupt vector
 *
 * The local APIC ranks a vector by its upper four bits, the priority
 * class (SDM vol. 3A §11.8.3, "Interrupt, Task, and Processor Priority"):
 * class 0xe outranks every device class, so the timer is never held up
 * behind a device handler's pending interrupt.  Vectors 0x00–0x0f cannot be
 * delivered by the local APIC at all (§11.5.2), one more reason the PICs'
 * default vectors (0x08–0x0f, right on top of the exceptions) must move.
 * Bits 3:0 of the spurious vector are hard-wired to 1 on old CPUs
 * (§11.9), hence 0xff.
 */
#ifndef ASM_IRQ_VECTORS_H
#define ASM_IRQ_VECTORS_H

#define NR_VECTORS		256
#define FIRST_EXTERNAL_VECTOR	0x20	/* the first after the exceptions */

#define ISA_IRQ_VECTOR_BASE	0x20	/* 8259 master IRQ 0; the slave at +8 */
#define NR_ISA_IRQS		16

#define FIRST_DEVICE_VECTOR	0x30
#define LAST_DEVICE_VECTOR	0xdf

#define FIRST_SYSTEM_VECTOR	0xe0
#define LOCAL_TIMER_VECTOR	0xec	/* the local APIC timer */
#define ERROR_APIC_VECTOR	0xfe	/* the local APIC's error interrupt */
#define SPURIOUS_APIC_VECTOR	0xff

#endif
