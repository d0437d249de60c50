/*
 * uapi/linux/resource.h — resource usage and limits.
 *
 * getrusage(2) fills struct rusage (times as struct timeval, counts as
 * longs); getrlimit(2)/setrlimit(2) use struct rlimit and prlimit64(2)
 * struct rlimit64, both {soft, hard} with RLIM_INFINITY for "none".
 * Sources: Linux include/uapi/linux/resource.h and
 * include/uapi/asm-generic/resource.h (the RLIMIT_ numbers x86_64 uses);
 * getrusage(2), getrlimit(2).
 */
#ifndef UAPI_LINUX_RESOURCE_H
#define UAPI_LINUX_RESOURCE_H

#include <kestrel/types.h>
#include <uapi/linux/time_types.h>

#define RUSAGE_SELF	0
#define RUSAGE_CHILDREN	(-1)
#define RUSAGE_THREAD	1

struct rusage {
	struct __kernel_old_timeval ru_utime;	/* user CPU time */
	struct __kernel_old_timeval ru_stime;	/* system CPU time */
	long ru_maxrss;		/* KiB */
	long ru_ixrss, ru_idrss, ru_isrss;
	long ru_minflt;		/* page faults served without I/O */
	long ru_majflt;
	long ru_nswap, ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv;
	long ru_nsignals;
	long ru_nvcsw;		/* voluntary context switches */
	long ru_nivcsw;		/* involuntary */
};

struct rlimit {
	unsigned long rlim_cur;
	unsigned long rlim_max;
};

struct rlimit64 {
	u64 rlim_cur;
	u64 rlim_max;
};

#define RLIM_INFINITY	(~0UL)
#define RLIM64_INFINITY	(~0ULL)

#define RLIMIT_CPU		0	/* seconds */
#define RLIMIT_FSIZE		1	/* bytes */
#define RLIMIT_DATA		2	/* bytes */
#define RLIMIT_STACK		3	/* bytes */
#define RLIMIT_CORE		4
#define RLIMIT_RSS		5
#define RLIMIT_NPROC		6	/* processes of this user */
#define RLIMIT_NOFILE		7
#define RLIMIT_MEMLOCK		8
#define RLIMIT_AS		9	/* bytes of address space */
#define RLIMIT_LOCKS		10
#define RLIMIT_SIGPENDING	11
#define RLIMIT_MSGQUEUE		12
#define RLIMIT_NICE		13
#define RLIMIT_RTPRIO		14
#define RLIMIT_RTTIME		15
#define RLIM_NLIMITS		16

#endif
