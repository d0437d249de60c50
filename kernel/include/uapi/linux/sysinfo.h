/*
 * uapi/linux/sysinfo.h — what sysinfo(2) fills in: uptime, load, and
 * memory in units of mem_unit bytes; 112 bytes on x86_64.  Source: Linux
 * include/uapi/linux/sysinfo.h; sysinfo(2).
 */
#ifndef UAPI_LINUX_SYSINFO_H
#define UAPI_LINUX_SYSINFO_H

#include <kestrel/types.h>

#define SI_LOAD_SHIFT	16	/* loads are fixed point, 1 << 16 = 1.0 */

struct sysinfo {
	long uptime;		/* seconds since boot */
	unsigned long loads[3];	/* 1, 5, 15 minute load averages */
	unsigned long totalram;	/* mem_unit bytes */
	unsigned long freeram;
	unsigned long sharedram;
	unsigned long bufferram;
	unsigned long totalswap;
	unsigned long freeswap;
	u16 procs;		/* processes */
	u16 pad;
	unsigned long totalhigh;
	unsigned long freehigh;
	u32 mem_unit;		/* bytes */
	/* Linux's char _f[0] pad: alignment makes the size 112 */
};

_Static_assert(sizeof(struct sysinfo) == 112, "sysinfo(2): 112 bytes on x86_64");

#endif
