/*
 * uapi/linux/poll.h — poll(2)'s event bits and struct pollfd.  The same
 * bits are epoll's (uapi/linux/eventpoll.h) and select(2)'s building
 * blocks.  Source: Linux include/uapi/asm-generic/poll.h; poll(2).
 */
#ifndef UAPI_LINUX_POLL_H
#define UAPI_LINUX_POLL_H

#define POLLIN		0x0001	/* data to read */
#define POLLPRI		0x0002	/* urgent data */
#define POLLOUT		0x0004	/* writing will not block */
#define POLLERR		0x0008	/* an error (always reported) */
#define POLLHUP		0x0010	/* hung up (always reported) */
#define POLLNVAL	0x0020	/* fd not open (always reported) */
#define POLLRDNORM	0x0040
#define POLLRDBAND	0x0080
#define POLLWRNORM	0x0100
#define POLLWRBAND	0x0200
#define POLLMSG		0x0400
#define POLLRDHUP	0x2000

struct pollfd {
	int fd;
	short events;		/* asked for */
	short revents;		/* returned */
};

/* select(2): FD_SETSIZE descriptors in a bitmap of longs */
#define FD_SETSIZE	1024

#endif
