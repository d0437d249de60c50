/*
 * uapi/linux/eventpoll.h — epoll(7): epoll_ctl's operations, the event
 * flags that are not poll's, and struct epoll_event, which is packed on
 * x86_64 (12 bytes) so that 32- and 64-bit programs agree.
 * Sources: Linux include/uapi/linux/eventpoll.h; epoll_ctl(2),
 * eventfd(2).
 */
#ifndef UAPI_LINUX_EVENTPOLL_H
#define UAPI_LINUX_EVENTPOLL_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>
#include <uapi/linux/fcntl.h>

#define EPOLL_CLOEXEC	O_CLOEXEC
#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3

#define EPOLLEXCLUSIVE	(1U << 28)
#define EPOLLWAKEUP	(1U << 29)
#define EPOLLONESHOT	(1U << 30)
#define EPOLLET		(1U << 31)

struct epoll_event {
	u32 events;
	u64 data;
} __packed;

/* eventfd2(2) flags */
#define EFD_SEMAPHORE	1
#define EFD_CLOEXEC	O_CLOEXEC
#define EFD_NONBLOCK	O_NONBLOCK

#endif
