/*
 * uapi/asm/stat.h — struct stat as x86_64 system calls write it (stat,
 * fstat, lstat, newfstatat): 144 bytes.  Times are seconds and
 * nanoseconds; st_blocks counts 512-byte units; st_dev and st_rdev are in
 * the "new" encoding (uapi/linux/kdev_t.h).
 * Source: Linux arch/x86/include/uapi/asm/stat.h (the !__i386__ half);
 * stat(2), inode(7).
 */
#ifndef UAPI_ASM_STAT_H
#define UAPI_ASM_STAT_H

struct stat {
	unsigned long st_dev;
	unsigned long st_ino;
	unsigned long st_nlink;
	unsigned int st_mode;
	unsigned int st_uid;
	unsigned int st_gid;
	unsigned int __pad0;
	unsigned long st_rdev;
	long st_size;
	long st_blksize;
	long st_blocks;
	unsigned long st_atime;
	unsigned long st_atime_nsec;
	unsigned long st_mtime;
	unsigned long st_mtime_nsec;
	unsigned long st_ctime;
	unsigned long st_ctime_nsec;
	long __unused[3];
};

#endif
