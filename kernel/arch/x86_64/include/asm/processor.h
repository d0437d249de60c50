/*
 * asm/processor.h — control registers, MSRs, CPUID and halting.
 * Register bits: Intel SDM vol. 3 §2.5 (CR0, CR4) and §2.2.1 (EFER).
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <kestrel/types.h>

#define MSR_EFER		0xc0000080
#define EFER_SCE		(1UL << 0)	/* SYSCALL/SYSRET enabled */
/* The SYSCALL MSRs (SDM vol. 3A §5.8.8, vol. 4 table 2-2). */
#define MSR_STAR		0xc0000081	/* CS/SS selectors for SYSCALL, SYSRET */
#define MSR_LSTAR		0xc0000082	/* 64-bit SYSCALL target RIP */
#define MSR_CSTAR		0xc0000083	/* compat-mode target (unused) */
#define MSR_SYSCALL_MASK	0xc0000084	/* RFLAGS bits SYSCALL clears */
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102

#define DEFINE_CR_ACCESSORS(n)						\
	static inline unsigned long read_cr##n(void)			\
	{								\
		unsigned long v;					\
		__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));	\
		return v;						\
	}								\
	static inline void write_cr##n(unsigned long v)			\
	{								\
		__asm__ __volatile__("mov %0, %%cr" #n : : "r"(v) : "memory"); \
	}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 val)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((u32)val),
			     "d"((u32)(val >> 32)) : "memory");
}

static inline void cpuid(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(sub));
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

static inline void local_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline void local_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

/** arch_halt_forever - stop this CPU for good: interrupts off, hlt loop. */
static inline __attribute__((noreturn)) void arch_halt_forever(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt" ::: "memory");
}

/** arch_current_frame - the frame pointer of the caller's frame. */
#define arch_current_frame() ((unsigned long)__builtin_frame_address(0))

#endif
