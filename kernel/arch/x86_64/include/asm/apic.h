/*
 * asm/apic.h — the local APIC: every CPU's own interrupt controller.
 *
 * Each CPU has a local APIC (Intel SDM vol. 3A ch. 11, "Advanced
 * Programmable Interrupt Controller"; ch. 10 in editions before 2023 —
 * section numbers below are the new ones, the old ones are one less).  It
 * receives interrupts from the I/O APICs and other CPUs, holds its own
 * timer, and decides which pending vector the CPU takes next.  Its
 * registers are 32-bit, 16-byte aligned, at these offsets (table 11-1):
 *
 *	0x020 ID            0x030 version        0x080 TPR (task priority)
 *	0x0b0 EOI           0x0f0 SVR (spurious vector, enable)
 *	0x100–0x170 ISR     0x180–0x1f0 TMR       0x200–0x270 IRR
 *	0x280 ESR (errors)  0x300 ICR (IPIs)     0x320 LVT timer
 *	0x330 LVT thermal   0x340 LVT perf. ctr.  0x350 LVT LINT0
 *	0x360 LVT LINT1     0x370 LVT error      0x380 timer initial count
 *	0x390 timer current count                0x3e0 timer divide config
 *
 * Two ways to reach them (§11.12): xAPIC mode, memory-mapped at the
 * address in the IA32_APIC_BASE MSR (0xfee00000 by default; ioremap,
 * uncached); x2APIC mode, as MSRs 0x800 + offset/16, which also widens
 * the APIC ID to 32 bits and makes the ICR one 64-bit MSR.  Kestrel uses
 * x2APIC when CPUID leaf 1 ECX bit 21 says the CPU has it.
 *
 * Every LVT ("local vector table") entry has the same shape (§11.5.1):
 *
 *	bits 7:0 vector   10:8 delivery mode (000 fixed, 100 NMI, 111 ExtINT)
 *	bit 12 delivery status (read-only)   bit 13 input polarity (LINT)
 *	bit 14 remote IRR (LINT)   bit 15 trigger (LINT; 1 = level)
 *	bit 16 mask   bits 18:17 timer mode (00 one-shot, 01 periodic,
 *	10 TSC-deadline)
 *
 * Locking: the registers are per CPU and touched by their own CPU only,
 * with interrupts off or from its interrupt handlers: no lock.
 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <kestrel/types.h>

#define APIC_ID		0x020
#define APIC_LVR	0x030	/* version: bits 7:0, max LVT entry: 23:16 */
#define APIC_TPR	0x080
#define APIC_EOI	0x0b0
#define APIC_SVR	0x0f0
#define APIC_ISR	0x100	/* 8 registers 0x10 apart: vector v is bit
				   v % 32 of register v / 32 */
#define APIC_ESR	0x280
#define APIC_ICR	0x300	/* interrupt command, low half (xAPIC) */
#define APIC_ICR2	0x310	/* … high half: destination (xAPIC) */
#define APIC_LVTT	0x320	/* timer */
#define APIC_LVTTHMR	0x330	/* thermal sensor */
#define APIC_LVTPC	0x340	/* performance counters */
#define APIC_LVT0	0x350	/* LINT0 pin */
#define APIC_LVT1	0x360	/* LINT1 pin */
#define APIC_LVTERR	0x370	/* internal errors */
#define APIC_TMICT	0x380	/* timer initial count */
#define APIC_TMCCT	0x390	/* timer current count */
#define APIC_TDCR	0x3e0	/* timer divide configuration */

#define APIC_SVR_ENABLE		(1U << 8)	/* software enable (§11.4.3) */
#define APIC_LVT_MASKED		(1U << 16)
#define APIC_LVT_DM_NMI		(4U << 8)
#define APIC_LVT_DM_EXTINT	(7U << 8)
#define APIC_LVT_TIMER_ONESHOT	(0U << 17)
#define APIC_LVT_TIMER_PERIODIC	(1U << 17)
#define APIC_ICR_SELF		(1U << 18)	/* destination shorthand 01 */
#define APIC_ICR_ASSERT		(1U << 14)	/* level: assert */
#define APIC_ICR_BUSY		(1U << 12)	/* delivery status: pending */
#define APIC_TDCR_DIV_16	0x3	/* bits 3,1:0 = 0,11: ÷16 (§11.5.4) */
#define APIC_TIMER_DIVISOR	16

/* IA32_APIC_BASE (MSR 0x1b, §11.4.4): base address and enables. */
#define MSR_IA32_APIC_BASE	0x1b
#define APIC_BASE_BSP		(1ULL << 8)	/* this is the boot CPU */
#define APIC_BASE_EXTD		(1ULL << 10)	/* x2APIC mode */
#define APIC_BASE_ENABLE	(1ULL << 11)	/* the APIC is on at all */
#define APIC_BASE_ADDR_MASK	0x000ffffffffff000ULL
#define X2APIC_MSR_BASE		0x800		/* MSR of register offset 0 */
#define X2APIC_SELF_IPI		0x83f		/* write a vector: self-IPI */

/**
 * lapic_init - find the boot CPU's local APIC, switch it to x2APIC mode
 * when the CPU has one (else map the xAPIC page uncached), then set it up
 * as lapic_setup_cpu() does.  Returns 0, or -ENODEV when there is no
 * usable local APIC (then no interrupt controller works).
 */
int lapic_init(void);

/**
 * lapic_setup_cpu - put this CPU's local APIC in a known state: every LVT
 * entry masked except LINT1 (NMI) and the error interrupt, task priority
 * 0 (accept everything), errors cleared, the APIC software-enabled with
 * SPURIOUS_APIC_VECTOR.  Records this_cpu()->apic_id.  Interrupts off.
 */
void lapic_setup_cpu(void);

/** lapic_available - true once lapic_init() succeeded. */
bool lapic_available(void);

/** x2apic_mode - true when the registers are reached as MSRs. */
bool x2apic_mode(void);

/** lapic_read, lapic_write - register @reg (an APIC_* offset) of this CPU. */
u32 lapic_read(u32 reg);
void lapic_write(u32 reg, u32 val);

/** lapic_eoi - end of interrupt: the in-service vector may come again. */
void lapic_eoi(void);

/** lapic_in_service - whether @vector's ISR bit is set on this CPU. */
bool lapic_in_service(unsigned int vector);

/**
 * lapic_self_ipi - send this CPU an interrupt on @vector (≥ 0x10) through
 * its own APIC, as a device would: the dispatch path and the tests use it.
 * The interrupt is taken as soon as interrupts are on.  Interrupts off or
 * on; any context.
 */
void lapic_self_ipi(unsigned int vector);

/** lapic_error_interrupt - ERROR_APIC_VECTOR: read, count and report ESR. */
void lapic_error_interrupt(void);

/* ---- the local APIC timer (end of apic.c) ---- */

/** lapic_timer_interrupt - LOCAL_TIMER_VECTOR: hand the tick on. */
void lapic_timer_interrupt(void);

/**
 * lapic_timer_setup_cpu - register this CPU's local APIC timer as its
 * clock event device, counting at @freq_hz (the rate after the divide-by-16,
 * as calibrated).  Interrupts off.
 */
void lapic_timer_setup_cpu(u64 freq_hz);

#endif
