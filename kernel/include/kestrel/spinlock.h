/*
 * kestrel/spinlock.h — the simplest lock: spin until it is free.
 *
 * A spinlock protects data shared between CPUs for a few instructions.  The
 * _irqsave variants also disable interrupts on this CPU, which is required
 * whenever an interrupt handler may take the same lock (or the handler
 * would spin forever on a lock its own CPU holds).  Never sleep while
 * holding one.
 *
 * Taking a spinlock also disables preemption (kestrel/preempt.h): a task
 * switched out while holding the lock would leave every other task of its
 * CPU spinning on it, and on a single CPU that spinning never ends.  The
 * unlock re-enables preemption, which may switch tasks right there if the
 * scheduler asked for it.  The arch_spin_* forms below are the bare lock
 * without either; only the scheduler's runqueue lock uses them, because it
 * is handed from one task to the next across a context switch
 * (kernel/sched/core.c).
 *
 * Checking: assert_spin_locked(lock) warns when a function that requires
 * its caller to hold @lock is called without it (it cannot tell *who*
 * holds it).  Lock order is documented per subsystem (docs/scheduling.md
 * for the scheduler's locks).
 */
#ifndef KESTREL_SPINLOCK_H
#define KESTREL_SPINLOCK_H

#include <asm/irqflags.h>
#include <asm/processor.h>
#include <kestrel/panic.h>
#include <kestrel/preempt.h>
#include <kestrel/types.h>

typedef struct {
	volatile u32 locked;	/* 0 free, 1 held */
} spinlock_t;

#define SPINLOCK_INIT	{ 0 }

/** spin_lock_init - make @lock a free lock. */
static inline void spin_lock_init(spinlock_t *lock)
{
	lock->locked = 0;
}

/** arch_spin_trylock - take @lock if it is free; no preemption change. */
static inline bool arch_spin_trylock(spinlock_t *lock)
{
	return __atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

/** arch_spin_lock - take @lock, spinning; no preemption change. */
static inline void arch_spin_lock(spinlock_t *lock)
{
	while (!arch_spin_trylock(lock))
		while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED))
			cpu_relax();
}

/** arch_spin_unlock - release @lock; no preemption change. */
static inline void arch_spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

/** spin_is_locked - true when someone holds @lock (a snapshot). */
static inline bool spin_is_locked(spinlock_t *lock)
{
	return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED) != 0;
}

/** assert_spin_locked - warn (once per call site) unless @lock is held. */
#define assert_spin_locked(lock)	WARN_ON_ONCE(!spin_is_locked(lock))

/** spin_trylock - take @lock if it is free; true on success. */
static inline bool spin_trylock(spinlock_t *lock)
{
	preempt_disable();
	if (arch_spin_trylock(lock))
		return true;
	preempt_enable();
	return false;
}

/** spin_lock - take @lock, spinning while another CPU holds it. */
static inline void spin_lock(spinlock_t *lock)
{
	preempt_disable();
	arch_spin_lock(lock);
}

/** spin_unlock - release @lock. */
static inline void spin_unlock(spinlock_t *lock)
{
	arch_spin_unlock(lock);
	preempt_enable();
}

/** spin_lock_irqsave - disable interrupts, take @lock; returns the flags. */
static inline unsigned long spin_lock_irqsave(spinlock_t *lock)
{
	unsigned long flags = arch_local_irq_save();

	preempt_disable();
	arch_spin_lock(lock);
	return flags;
}

/** spin_unlock_irqrestore - release @lock, restore the interrupt state. */
static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	arch_spin_unlock(lock);
	arch_local_irq_restore(flags);
	preempt_enable();
}

#endif
