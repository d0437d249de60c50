/*
 * asm/timex.h — the CPU's cycle counter, for clocks and benchmarks.
 *
 * The time-stamp counter (TSC) counts up from reset; rdtsc reads it
 * (Intel SDM vol. 3B, section "Time-Stamp Counter"; vol. 2B, RDTSC).  On
 * CPUs with an *invariant* TSC (CPUID 0x80000007 EDX bit 8) it runs at a
 * constant rate in every power state — a clock, not a cycle count — and
 * kernel/time reads it as the clock source (arch/x86_64/time.c).  rdtsc is
 * not ordered with the instructions around it; get_cycles_ordered() puts
 * an lfence before it (SDM vol. 2B, RDTSC: "… the LFENCE instruction can
 * be used") so that a measurement does not start early.
 */
#ifndef ASM_TIMEX_H
#define ASM_TIMEX_H

#include <kestrel/types.h>

typedef u64 cycles_t;

/** get_cycles - the TSC now (unordered; cheapest). */
static inline cycles_t get_cycles(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/** get_cycles_ordered - the TSC after every earlier instruction finished. */
static inline cycles_t get_cycles_ordered(void)
{
	u32 lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

#endif
