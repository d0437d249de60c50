/*
 * kestrel/cpuinfo.h — what /proc/cpuinfo shows about a CPU: the arch
 * writes it (kernel/arch/x86_64/cpuinfo.c), procfs prints it.
 */
#ifndef KESTREL_CPUINFO_H
#define KESTREL_CPUINFO_H

#include <kestrel/types.h>

/**
 * arch_show_cpuinfo - write /proc/cpuinfo's paragraph for CPU @cpu into
 * @buf (@len bytes), in Linux's format ("processor\t: 0\n…\n\n").
 * Returns the bytes written.  The first call measures the clock rate
 * (10 ms).  Context: process.
 */
int arch_show_cpuinfo(char *buf, size_t len, unsigned int cpu);

#endif
