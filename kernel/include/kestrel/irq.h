/*
 * kestrel/irq.h — device interrupts: asking for one, handling one.
 *
 * An IRQ number names an interrupt *line*: on a PC it is the ACPI global
 * system interrupt (GSI), the input pin of an I/O APIC counted across all
 * of them, which for the ISA devices is their old IRQ number unless the
 * MADT says otherwise (COM1 = IRQ 4, the RTC = IRQ 8).  A driver asks for
 * its line with request_irq(); the arch code then picks a free IDT vector,
 * routes the line to it (asm/io_apic.h) and unmasks it.  When the device
 * interrupts, the CPU enters entry.S, do_trap() hands every vector ≥ 32 to
 * the arch dispatcher (arch/x86_64/irq.c), which calls, in order:
 *
 *	irq_enter()                 this CPU is now in interrupt context
 *	handle_irq_desc(desc)       every handler on the line (below)
 *	EOI to the local APIC       the CPU may take this vector again
 *	irq_exit()                  leave interrupt context (lab 5: preempt)
 *
 * Handlers run with interrupts off on this CPU, on the interrupted stack;
 * they must not sleep or take a lock that is ever held with interrupts on
 * (take such locks with spin_lock_irqsave elsewhere).  A handler returns
 * IRQ_HANDLED when its device had raised the interrupt, IRQ_NONE when not
 * (lines may be shared: IRQF_SHARED, every handler is asked).
 *
 * Locking: irq_desc_lock (a spinlock, interrupts off) protects the action
 * lists while handlers are added or removed; the dispatcher walks the list
 * with interrupts off on this CPU, and free_irq() masks the line first,
 * so on one CPU a handler is never removed while it runs.  (Lab 11 adds
 * the wait for a handler running on another CPU.)
 */
#ifndef KESTREL_IRQ_H
#define KESTREL_IRQ_H

#include <kestrel/compiler.h>
#include <kestrel/percpu.h>
#include <kestrel/types.h>

#define NR_IRQS		64	/* GSIs 0 … 63: two I/O APICs' worth */

typedef enum irqreturn {
	IRQ_NONE = 0,		/* not my device */
	IRQ_HANDLED = 1,	/* my device interrupted; it is quiet now */
} irqreturn_t;

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev);

/* request_irq() flags. */
#define IRQF_SHARED	0x1	/* other devices may share the line */

/**
 * struct irqaction - one handler on a line
 * @handler: the function; @dev is passed back to it
 * @dev: the driver's cookie; free_irq() names the handler by it
 * @name: shown in the statistics (/proc/interrupts, lab 8)
 * @flags: IRQF_*
 * @next: the next handler on a shared line (irq_desc_lock)
 */
struct irqaction {
	irq_handler_t handler;
	void *dev;
	const char *name;
	unsigned int flags;
	struct irqaction *next;
};

/**
 * struct irq_desc - what the kernel knows about one line
 * @irq: its number (GSI)
 * @vector: the IDT vector it is routed to, 0 while nobody requested it
 * @action: the handlers, first requested first (irq_desc_lock)
 * @count: interrupts delivered, per CPU (written by that CPU only)
 * @unhandled: interrupts no handler claimed (IRQ_NONE from all)
 */
struct irq_desc {
	unsigned int irq;
	unsigned int vector;
	struct irqaction *action;
	u64 count[NR_CPUS];
	u64 unhandled;
};

/**
 * request_irq - install @handler for line @irq and enable the line.
 * @irq: the GSI (ISA devices: their IRQ number)
 * @handler: called in interrupt context, interrupts off (see above)
 * @flags: IRQF_SHARED if the line may be shared (every sharer must say so)
 * @name: for statistics; @dev: passed to @handler, and names it for free_irq
 *
 * The first handler of a line gets it a vector and routes it to the boot
 * CPU (with the polarity and trigger mode the firmware's overrides give);
 * the device may interrupt before this returns.  Returns 0, -EINVAL (no
 * such line, no handler), -EBUSY (the line is taken and not shared by
 * both), -ENOMEM, -ENOSPC (no vector left), -ENODEV (no interrupt
 * controller can deliver the line: no I/O APIC).  May allocate memory;
 * process context.
 */
int request_irq(unsigned int irq, irq_handler_t handler, unsigned int flags,
		const char *name, void *dev);

/**
 * free_irq - remove the handler that request_irq() installed with @dev.
 * The last handler's removal masks the line and frees its vector.  The
 * driver must have stopped its device from interrupting first.  Warns
 * when no such handler exists.  Process context.
 */
void free_irq(unsigned int irq, void *dev);

/** irq_to_desc - the descriptor of line @irq, or NULL when @irq ≥ NR_IRQS. */
struct irq_desc *irq_to_desc(unsigned int irq);

/**
 * handle_irq_desc - run every handler of @desc (called by the arch
 * dispatcher between irq_enter and irq_exit; interrupts off).  Counts the
 * interrupt for this CPU; an interrupt nobody claims counts as unhandled.
 */
void handle_irq_desc(struct irq_desc *desc);

/**
 * irq_enter - the arch dispatcher calls this first thing for every
 * interrupt (devices, the timer, spurious): this CPU is in interrupt
 * context until the matching irq_exit().
 */
void irq_enter(void);

/**
 * irq_exit - the last thing every interrupt does, after its EOI: leave
 * interrupt context.  The hook where lab 5 preempts the interrupted
 * thread when the tick or a wake-up asked for it (need_resched); because
 * the EOI came first, switching threads here leaves no interrupt in
 * service.  Interrupts off.
 */
void irq_exit(void);

/** in_interrupt - true while this CPU runs an interrupt handler. */
static inline bool in_interrupt(void)
{
	return this_cpu()->irq_depth != 0;
}

/**
 * irq_init - bring up the interrupt controllers on the boot CPU: the
 * legacy PICs remapped and masked, the local APIC on, the I/O APICs found
 * in the MADT with every line masked.  Interrupts stay off (the caller
 * enables them once the devices are set up).  Call after acpi_init().
 */
void irq_init(void);

/**
 * irq_print_stats - print a table like Linux's /proc/interrupts: each
 * line's count per CPU, its vector and handlers, then the per-CPU
 * spurious and unexpected-vector counts.  Context: any.
 */
void irq_print_stats(void);

#endif
