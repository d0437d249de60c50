/*
 * uapi/linux/fcntl.h — open(2) flags, the *at() family's AT_* flags,
 * fcntl(2) commands and record locks, flock(2), access(2) modes and renameat2(2) flags.  x86_64 uses
 * the generic values (octal, as Linux writes them).
 * Sources: Linux include/uapi/asm-generic/fcntl.h and uapi/linux/fcntl.h,
 * uapi/linux/fs.h; open(2), openat(2), fcntl(2), access(2), rename(2).
 */
#ifndef UAPI_LINUX_FCNTL_H
#define UAPI_LINUX_FCNTL_H

#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002
#define O_CREAT		00000100
#define O_EXCL		00000200
#define O_NOCTTY	00000400
#define O_TRUNC		00001000
#define O_APPEND	00002000
#define O_NONBLOCK	00004000
#define O_DSYNC		00010000
#define FASYNC		00020000
#define O_DIRECT	00040000
#define O_LARGEFILE	00100000
#define O_DIRECTORY	00200000
#define O_NOFOLLOW	00400000
#define O_NOATIME	01000000
#define O_CLOEXEC	02000000
#define __O_SYNC	04000000
#define O_SYNC		(__O_SYNC | O_DSYNC)
#define O_PATH		010000000
#define __O_TMPFILE	020000000
#define O_TMPFILE	(__O_TMPFILE | O_DIRECTORY)
#define O_NDELAY	O_NONBLOCK

#define AT_FDCWD		-100	/* relative to the working directory */
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_EACCESS		0x200	/* faccessat: effective ids */
#define AT_REMOVEDIR		0x200	/* unlinkat: rmdir */
#define AT_SYMLINK_FOLLOW	0x400	/* linkat */
#define AT_NO_AUTOMOUNT		0x800
#define AT_EMPTY_PATH		0x1000	/* "" names the dirfd itself */
#define AT_STATX_SYNC_TYPE	0x6000
#define AT_STATX_SYNC_AS_STAT	0x0000
#define AT_STATX_FORCE_SYNC	0x2000
#define AT_STATX_DONT_SYNC	0x4000

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_GETLK		5
#define F_SETLK		6
#define F_SETLKW	7
#define F_SETOWN	8
#define F_GETOWN	9
#define F_LINUX_SPECIFIC_BASE	1024
#define F_SETPIPE_SZ	(F_LINUX_SPECIFIC_BASE + 7)
#define F_GETPIPE_SZ	(F_LINUX_SPECIFIC_BASE + 8)
#define F_DUPFD_CLOEXEC	(F_LINUX_SPECIFIC_BASE + 6)
#define FD_CLOEXEC	1

/* Open file description locks (fcntl(2), Linux 3.15) */
#define F_OFD_GETLK	36
#define F_OFD_SETLK	37
#define F_OFD_SETLKW	38

/* struct flock's l_type */
#define F_RDLCK		0
#define F_WRLCK		1
#define F_UNLCK		2

/**
 * struct flock - a record lock as fcntl(2) F_GETLK/F_SETLK see it: the
 * range is @l_len bytes from @l_start, counted from @l_whence (SEEK_*);
 * @l_len 0 is "to the end of the file, however far it grows", a negative
 * @l_len the bytes just before @l_start.  x86_64 layout (32 bytes).
 */
struct flock {
	short l_type;
	short l_whence;
	long long l_start;
	long long l_len;
	int l_pid;
};

/* flock(2) operations (Linux include/uapi/asm-generic/fcntl.h) */
#define LOCK_SH		1	/* shared */
#define LOCK_EX		2	/* exclusive */
#define LOCK_NB		4	/* or'd in: do not block */
#define LOCK_UN		8	/* remove */

/* access(2) */
#define F_OK	0
#define X_OK	1
#define W_OK	2
#define R_OK	4

/* renameat2(2) */
#define RENAME_NOREPLACE	(1 << 0)
#define RENAME_EXCHANGE		(1 << 1)
#define RENAME_WHITEOUT		(1 << 2)

/* lseek(2) */
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define SEEK_DATA	3
#define SEEK_HOLE	4

/* utimensat(2): tv_nsec values with a meaning of their own */
#define UTIME_NOW	((1L << 30) - 1L)
#define UTIME_OMIT	((1L << 30) - 2L)

#endif
