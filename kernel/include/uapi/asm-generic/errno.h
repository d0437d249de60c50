/*
 * uapi/asm-generic/errno.h — Linux error numbers above 34, the ones the
 * kernel returns so far.  Facts of the ABI (the same on x86_64 and arm64).
 * Source: Linux include/uapi/asm-generic/errno.h, the ABI's errno values.
 */
#ifndef UAPI_ASM_GENERIC_ERRNO_H
#define UAPI_ASM_GENERIC_ERRNO_H

#include <uapi/asm-generic/errno-base.h>

#define EDEADLK		35	/* resource deadlock would occur */
#define ENAMETOOLONG	36	/* file name too long */
#define ENOLCK		37	/* no record locks available */
#define ENOSYS		38	/* system call not implemented */
#define ENOTEMPTY	39	/* directory not empty */
#define ELOOP		40	/* too many symbolic links */
#define EBADMSG		74	/* not a data message (corrupt archive) */
#define EOVERFLOW	75	/* value too large for its type */
#define EOPNOTSUPP	95	/* operation not supported (also ENOTSUP) */
#define ENOTSUP		EOPNOTSUPP
#define ETIMEDOUT	110	/* timed out */

#endif
