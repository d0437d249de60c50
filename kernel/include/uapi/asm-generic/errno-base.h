/*
 * uapi/asm-generic/errno-base.h — the first 34 error numbers of the Linux ABI.
 *
 * These are facts of the ABI, not code: user programs (glibc, musl, busybox)
 * compare errno with exactly these values, and the kernel returns them
 * negated (-EFAULT) from system calls.  They are the same on every Linux
 * architecture.  Source: Linux include/uapi/asm-generic/errno-base.h, the
 * ABI's errno values.  The numbers above 34 live in errno.h.
 */
#ifndef UAPI_ASM_GENERIC_ERRNO_BASE_H
#define UAPI_ASM_GENERIC_ERRNO_BASE_H

#define EPERM		1	/* not allowed for this caller */
#define ENOENT		2	/* no such file or directory */
#define ESRCH		3	/* no such process */
#define EINTR		4	/* a signal interrupted the call */
#define EIO		5	/* device input/output failed */
#define ENXIO		6	/* no such device or address */
#define E2BIG		7	/* argument list (or a string) too long */
#define ENOEXEC		8	/* not an executable format */
#define EBADF		9	/* not an open file descriptor */
#define ECHILD		10	/* no child to wait for */
#define EAGAIN		11	/* try again (also EWOULDBLOCK) */
#define ENOMEM		12	/* out of memory */
#define EACCES		13	/* permission denied */
#define EFAULT		14	/* bad user address */
#define ENOTBLK		15	/* a block device is needed */
#define EBUSY		16	/* device or resource busy */
#define EEXIST		17	/* file exists */
#define EXDEV		18	/* link across file systems */
#define ENODEV		19	/* no such device */
#define ENOTDIR		20	/* not a directory */
#define EISDIR		21	/* is a directory */
#define EINVAL		22	/* invalid argument */
#define ENFILE		23	/* system-wide file table full */
#define EMFILE		24	/* per-process descriptor table full */
#define ENOTTY		25	/* not a terminal (bad ioctl) */
#define ETXTBSY		26	/* executable file is busy */
#define EFBIG		27	/* file too large */
#define ENOSPC		28	/* no space left on device */
#define ESPIPE		29	/* seek on a pipe */
#define EROFS		30	/* read-only file system */
#define EMLINK		31	/* too many links */
#define EPIPE		32	/* write to a pipe with no reader */
#define EDOM		33	/* math argument out of domain */
#define ERANGE		34	/* result out of range */

#endif
