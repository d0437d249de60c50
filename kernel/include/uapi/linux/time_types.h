/*
 * uapi/linux/time_types.h — time values and clock ids of the system calls.
 *
 * On x86_64 every time structure uses 64-bit fields: struct timespec is
 * {seconds, nanoseconds}, struct timeval {seconds, microseconds}.  A
 * tv_nsec outside 0 … 999 999 999 is EINVAL for nanosleep and friends.
 * Sources: Linux include/uapi/linux/time_types.h and time.h;
 * clock_gettime(2), nanosleep(2), gettimeofday(2), times(2).
 */
#ifndef UAPI_LINUX_TIME_TYPES_H
#define UAPI_LINUX_TIME_TYPES_H

#include <kestrel/types.h>

struct __kernel_timespec {
	s64 tv_sec;		/* seconds */
	long long tv_nsec;	/* nanoseconds, 0 … 999 999 999 */
};

struct __kernel_old_timeval {
	long tv_sec;		/* seconds */
	long tv_usec;		/* microseconds */
};

struct timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

/* times(2): clock ticks (AT_CLKTCK per second) */
struct tms {
	long tms_utime;
	long tms_stime;
	long tms_cutime;
	long tms_cstime;
};

/* clock ids (clock_gettime(2)) */
#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7

#define TIMER_ABSTIME			0x01	/* clock_nanosleep: an absolute time */

#endif
