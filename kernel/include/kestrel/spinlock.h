/*
 * kestrel/spinlock.h — the simplest lock: spin until it is free.
 *
 * A spinlock protects data shared between CPUs for a few instructions.  The
 * _irqsave variants also disable interrupts on this CPU, which is required
 * whenever an interrupt handler may take the same lock (or the handler
 * would spin forever on a lock its own CPU holds).  Never sleep while
 * holding one.  Lab 5 adds lock-order and recursion checking.
 */
#ifndef KESTREL_SPINLOCK_H
#define KESTREL_SPINLOCK_H

#include <asm/irqflags.h>
#include <asm/processor.h>
#include <kestrel/types.h>

typedef struct {
	volatile u32 locked;	/* 0 free, 1 held */
} spinlock_t;

#define SPINLOCK_INIT	{ 0 }

/** spin_trylock - take @lock if it is free; true on success. */
static inline bool spin_trylock(spinlock_t *lock)
{
	return __atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

/** spin_lock - take @lock, spinning while another CPU holds it. */
static inline void spin_lock(spinlock_t *lock)
{
	while (!spin_trylock(lock))
		while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED))
			cpu_relax();
}

/** spin_unlock - release @lock. */
static inline void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

/** spin_lock_irqsave - disable interrupts, take @lock; returns the flags. */
static inline unsigned long spin_lock_irqsave(spinlock_t *lock)
{
	unsigned long flags = arch_local_irq_save();

	spin_lock(lock);
	return flags;
}

/** spin_unlock_irqrestore - release @lock, restore the saved interrupt state. */
static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	spin_unlock(lock);
	arch_local_irq_restore(flags);
}

#endif
