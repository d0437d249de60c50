/*
 * percpu.c — per-CPU areas on x86_64.
 *
 * Each CPU's struct percpu is found through the GS base register
 * (IA32_GS_BASE, SDM vol. 4 MSR 0xc0000101): its first field points to
 * itself, so `mov %gs:0, %rax` yields the area's address in one load.
 * Lab 6 adds swapgs on entry from user space, which keeps the kernel's GS
 * base here while user code runs with its own.
 */
#include <asm/processor.h>
#include <kestrel/percpu.h>

static struct percpu percpu_areas[NR_CPUS];

void percpu_init(unsigned int cpu)
{
	struct percpu *p = &percpu_areas[cpu];

	p->self = p;
	p->cpu = cpu;
	wrmsr(MSR_GS_BASE, (u64)p);
}

struct percpu *this_cpu(void)
{
	struct percpu *p;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(p));
	return p;
}
