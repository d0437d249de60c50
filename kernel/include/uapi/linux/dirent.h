/*
 * uapi/linux/dirent.h — what getdents64(2) writes: one record per entry,
 * each 8-byte aligned, d_reclen bytes long (name and NUL included), and
 * the d_type codes.  Source: getdents(2) ("struct linux_dirent64"),
 * readdir(3) (DT_* values); Linux include/linux/dirent.h.
 */
#ifndef UAPI_LINUX_DIRENT_H
#define UAPI_LINUX_DIRENT_H

#include <kestrel/types.h>

struct linux_dirent64 {
	u64 d_ino;		/* inode number */
	s64 d_off;		/* where the next entry starts (lseek) */
	unsigned short d_reclen;	/* bytes of this record */
	unsigned char d_type;	/* DT_* */
	char d_name[];		/* NUL-terminated */
};

#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12

#endif
