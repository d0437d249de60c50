/*
 * kestrel/errno.h — error numbers.  Kernel functions return them negated
 * (-EINVAL); the values are Linux's ABI (include/uapi/).
 */
#ifndef KESTREL_ERRNO_H
#define KESTREL_ERRNO_H

#include <uapi/asm-generic/errno.h>

/*
 * Kernel-internal codes, never seen by user space (Linux's values,
 * include/linux/errno.h).  ERESTARTSYS: a sleep was interrupted by a
 * signal; lab 9's signal code turns it into a restarted system call or
 * EINTR.
 */
#define ERESTARTSYS	512

#endif
