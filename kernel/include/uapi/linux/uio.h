/*
 * uapi/linux/uio.h — the scatter/gather vector of readv(2) and writev(2):
 * at most UIO_MAXIOV entries, each a base address and a length in bytes.
 * Source: Linux include/uapi/linux/uio.h; readv(2).
 */
#ifndef UAPI_LINUX_UIO_H
#define UAPI_LINUX_UIO_H

#include <kestrel/types.h>

struct iovec {
	void *iov_base;		/* a user address */
	size_t iov_len;		/* bytes */
};

#define UIO_MAXIOV	1024

#endif
