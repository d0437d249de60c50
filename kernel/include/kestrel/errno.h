/*
 * kestrel/errno.h — error numbers.  Kernel functions return them negated
 * (-EINVAL); the values are Linux's ABI (include/uapi/).
 */
#ifndef KESTREL_ERRNO_H
#define KESTREL_ERRNO_H

#include <uapi/asm-generic/errno.h>

#endif
