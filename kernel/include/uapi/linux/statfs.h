/*
 * uapi/linux/statfs.h — struct statfs of statfs(2) and fstatfs(2) on a
 * 64-bit architecture (every word a long), and its f_flags.
 * Source: Linux include/uapi/asm-generic/statfs.h (x86_64 uses it);
 * statfs(2).
 */
#ifndef UAPI_LINUX_STATFS_H
#define UAPI_LINUX_STATFS_H

struct statfs {
	long f_type;		/* the file system's magic number */
	long f_bsize;		/* bytes per block */
	unsigned long f_blocks;	/* blocks in all */
	unsigned long f_bfree;	/* free blocks */
	unsigned long f_bavail;	/* free blocks for unprivileged users */
	unsigned long f_files;	/* inodes in all */
	unsigned long f_ffree;	/* free inodes */
	struct { int val[2]; } f_fsid;
	long f_namelen;		/* the longest name */
	long f_frsize;		/* fragment size (= f_bsize) */
	long f_flags;		/* ST_* below */
	long f_spare[4];
};

#define ST_RDONLY	0x0001
#define ST_NOSUID	0x0002
#define ST_NODEV	0x0004
#define ST_NOEXEC	0x0008
#define ST_VALID	0x0020	/* f_flags is meaningful */

#endif
