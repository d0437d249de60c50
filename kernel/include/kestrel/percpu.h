/*
 * kestrel/percpu.h — data that every CPU has its own copy of.
 *
 * Kestrel is written for several CPUs from the start, although the boot CPU
 * is the only one running until the SMP lab.  Each CPU's `struct percpu`
 * is reached through an arch register (x86_64: the GS base), so this_cpu()
 * costs one load and never needs a lock: only its own CPU writes it.
 */
#ifndef KESTREL_PERCPU_H
#define KESTREL_PERCPU_H

#include <kestrel/types.h>

#define NR_CPUS	16	/* the most CPUs the kernel will bring up */

struct percpu {
	struct percpu *self;	/* this structure's own address (first field) */
	unsigned int cpu;	/* CPU number, 0 … NR_CPUS-1 */
	bool in_oops;		/* this CPU is printing an oops or panic */
};

/**
 * percpu_init - set up CPU @cpu's per-CPU area and point this CPU at it.
 * Called once per CPU, early, before anything uses this_cpu().
 */
void percpu_init(unsigned int cpu);

/** this_cpu - this CPU's per-CPU area.  Context: any. */
struct percpu *this_cpu(void);

#endif
