/*
 * irq.c — from IDT vector to handler on x86_64 (asm/irq.h).
 *
 * Every vector from 32 up reaches do_irq() (entry.S → do_trap).  It
 * brackets the work with irq_enter()/irq_exit() (kestrel/irq.h) and sorts
 * the vector by the layout of asm/irq_vectors.h:
 *
 *	LOCAL_TIMER_VECTOR    the tick (apic.c), then EOI
 *	ERROR_APIC_VECTOR     report the APIC's error, then EOI
 *	SPURIOUS_APIC_VECTOR  count it; no EOI: nothing is in service
 *	0x20–0x2f             a spurious 8259 interrupt (ioapic.c)
 *	a device vector       its line's handlers (kernel/irq), then EOI
 *	anything else         "unexpected": counted, warned once, EOI if
 *	                      the APIC has it in service
 *
 * The EOI comes after the handlers and before irq_exit(): another
 * interrupt of the same priority class cannot arrive while the handlers
 * run (interrupts are off anyway), and lab 5's preemption in irq_exit()
 * may switch threads without leaving this vector in service.
 *
 * Vectors for lines are allocated from 0x30–0xdf, first free, and map
 * back to the line through vector_desc[] — the same on every CPU, since
 * every line is routed to the boot CPU for now (lab 11 spreads them).
 * Locking: vector_lock (interrupts off) guards allocation; do_irq reads
 * vector_desc[] without it — an entry is set before its line is unmasked
 * and cleared only after it is masked.
 */
#include <asm/apic.h>
#include <asm/io_apic.h>
#include <asm/irq.h>
#include <asm/irq_vectors.h>
#include <kestrel/errno.h>
#include <kestrel/irq.h>
#include <kestrel/percpu.h>
#include <kestrel/printk.h>
#include <kestrel/spinlock.h>

static struct irq_desc *vector_desc[NR_VECTORS];
static spinlock_t vector_lock = SPINLOCK_INIT;

/* A vector that nobody owns arrived. */
static void unexpected_vector(unsigned int vector)
{
	static bool warned[NR_VECTORS];

	this_cpu()->irq_unexpected++;
	if (!warned[vector]) {
		warned[vector] = true;
		pr_warn("irq: unexpected interrupt on vector 0x%x (CPU %u); counted and ignored\n",
			vector, this_cpu()->cpu);
	}
	if (lapic_available() && lapic_in_service(vector))
		lapic_eoi();
}

void do_irq(struct pt_regs *regs)
{
	unsigned int vector = regs->vector;
	struct pt_regs *outer = this_cpu()->irq_regs;
	struct irq_desc *desc;

	/* DOC: do-irq */
	this_cpu()->irq_regs = regs;	/* for the tick: user or kernel time */
	irq_enter();
	if (vector == LOCAL_TIMER_VECTOR) {
		lapic_timer_interrupt();
		lapic_eoi();
	} else if (vector == ERROR_APIC_VECTOR) {
		lapic_error_interrupt();
		lapic_eoi();
	} else if (vector == SPURIOUS_APIC_VECTOR) {
		this_cpu()->irq_spurious++;
	} else if (vector < ISA_IRQ_VECTOR_BASE + NR_ISA_IRQS) {
		i8259_spurious(vector);
	} else if ((desc = vector_desc[vector]) != NULL) {
		handle_irq_desc(desc);
		lapic_eoi();
	} else {
		unexpected_vector(vector);
	}
	this_cpu()->irq_regs = outer;	/* before a preemption in irq_exit */
	irq_exit();
}

/* The first free device vector, or 0. */
static unsigned int vector_alloc(struct irq_desc *desc)
{
	unsigned int v, found = 0;
	unsigned long flags = spin_lock_irqsave(&vector_lock);

	for (v = FIRST_DEVICE_VECTOR; v <= LAST_DEVICE_VECTOR; v++)
		if (!vector_desc[v]) {
			vector_desc[v] = desc;
			found = v;
			break;
		}
	spin_unlock_irqrestore(&vector_lock, flags);
	return found;
}

static void vector_free(unsigned int v)
{
	unsigned long flags = spin_lock_irqsave(&vector_lock);

	vector_desc[v] = NULL;
	spin_unlock_irqrestore(&vector_lock, flags);
}

int arch_irq_activate(struct irq_desc *desc)
{
	struct irq_line_mode mode;
	unsigned int gsi = irq_to_gsi(desc->irq, &mode);
	unsigned int v;
	int err;

	if (!lapic_available())
		return -ENODEV;
	v = vector_alloc(desc);
	if (!v)
		return -ENOSPC;
	/* Route to the boot CPU, still masked; record; then unmask. */
	err = ioapic_route(gsi, v, this_cpu()->apic_id, &mode);
	if (err) {
		vector_free(v);
		return err;
	}
	desc->vector = v;
	ioapic_unmask(gsi);
	return 0;
}

void arch_irq_mask(struct irq_desc *desc)
{
	struct irq_line_mode mode;

	ioapic_mask(irq_to_gsi(desc->irq, &mode));
}

void arch_irq_deactivate(struct irq_desc *desc)
{
	if (!desc->vector)
		return;
	arch_irq_mask(desc);
	vector_free(desc->vector);
	desc->vector = 0;
}

void arch_irq_init(void)
{
	i8259_disable();
	if (lapic_init() == 0)
		ioapic_init();
}
