/*
 * kestrel/irqflags.h — turning interrupts off and on for this CPU.
 *
 * An interrupt handler may run between any two instructions of code that
 * runs with interrupts on.  Data an interrupt handler also touches must
 * therefore be changed with interrupts off on this CPU — and, once other
 * CPUs run (lab 11), under a spinlock too: spin_lock_irqsave() does both
 * (kestrel/spinlock.h).  The save/restore pair nests: restore puts back
 * whatever state save found, so a function may disable interrupts without
 * knowing whether its caller already did.
 *
 *	unsigned long flags;
 *
 *	local_irq_save(flags);
 *	… nothing can interrupt this CPU here …
 *	local_irq_restore(flags);
 *
 * local_irq_enable()/local_irq_disable() (asm/processor.h) set the state
 * outright; use them only where the state is known (start-up, idle loops).
 * Sources: Intel SDM vol. 1 §3.4.3 (RFLAGS.IF), vol. 2B (CLI, STI).
 */
#ifndef KESTREL_IRQFLAGS_H
#define KESTREL_IRQFLAGS_H

#include <asm/irqflags.h>
#include <asm/processor.h>	/* local_irq_enable(), local_irq_disable() */

/** local_irq_save - disable interrupts; the previous state goes in @flags. */
#define local_irq_save(flags)	((flags) = arch_local_irq_save())

/** local_irq_restore - return to the state local_irq_save() saved. */
#define local_irq_restore(flags) arch_local_irq_restore(flags)

/** irqs_disabled - true when interrupts are off on this CPU. */
static inline bool irqs_disabled(void)
{
	return arch_irqs_disabled_flags(arch_local_save_flags());
}

/**
 * safe_halt - sleep until the next interrupt with no lost-wake-up window:
 * call with interrupts off after checking that there is nothing to do;
 * returns with interrupts on.
 */
static inline void safe_halt(void)
{
	arch_safe_halt();
}

#endif
