/*
 * asm/irqflags.h — saving and restoring the interrupt flag (RFLAGS.IF,
 * bit 9; SDM vol. 1 §3.4.3).  Generic code uses kestrel/irqflags.h.
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#define X86_RFLAGS_IF	(1UL << 9)

/** arch_local_save_flags - the current RFLAGS, interrupts left as they are. */
static inline unsigned long arch_local_save_flags(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(flags) : : "memory");
	return flags;
}

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

/** arch_irqs_disabled_flags - whether @flags (saved RFLAGS) had IF clear. */
static inline int arch_irqs_disabled_flags(unsigned long flags)
{
	return !(flags & X86_RFLAGS_IF);
}

/*
 * arch_safe_halt - enable interrupts and halt, atomically: `sti` delays
 * interrupts until after the next instruction (SDM vol. 2B, STI), so an
 * interrupt that became pending after the caller's last check with
 * interrupts off is taken *after* hlt starts and wakes it, instead of
 * slipping in between and leaving the CPU asleep.  Returns after the next
 * interrupt, with interrupts on.
 */
static inline void arch_safe_halt(void)
{
	__asm__ __volatile__("sti; hlt" ::: "memory");
}

#endif
