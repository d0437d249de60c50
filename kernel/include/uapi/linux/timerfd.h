/*
 * uapi/linux/timerfd.h — timerfd_create(2) and timerfd_settime(2): the
 * flags and struct itimerspec (an interval and a first expiry).
 * Sources: Linux include/uapi/linux/timerfd.h and uapi/linux/time.h
 * (struct __kernel_itimerspec); timerfd_create(2).
 */
#ifndef UAPI_LINUX_TIMERFD_H
#define UAPI_LINUX_TIMERFD_H

#include <uapi/linux/fcntl.h>
#include <uapi/linux/time_types.h>

#define TFD_CLOEXEC		O_CLOEXEC
#define TFD_NONBLOCK		O_NONBLOCK
#define TFD_TIMER_ABSTIME	1
#define TFD_TIMER_CANCEL_ON_SET	2

struct itimerspec {
	struct __kernel_timespec it_interval;	/* period; 0: fire once */
	struct __kernel_timespec it_value;	/* first expiry; 0: disarm */
};

#endif
