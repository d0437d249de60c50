/*
 * asm/irqflags.h — saving and restoring the interrupt flag (RFLAGS.IF,
 * bit 9; SDM vol. 1 §3.4.3).
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#define X86_RFLAGS_IF	(1UL << 9)

/** arch_local_irq_save - disable interrupts, return the previous RFLAGS. */
static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

/** arch_local_irq_restore - re-enable interrupts if @flags had them on. */
static inline void arch_local_irq_restore(unsigned long flags)
{
	if (flags & X86_RFLAGS_IF)
		__asm__ __volatile__("sti" ::: "memory");
}

#endif
