/*
 * uapi/linux/magic.h — the file systems' magic numbers that statfs(2)
 * reports in f_type.  Source: Linux include/uapi/linux/magic.h; statfs(2).
 */
#ifndef UAPI_LINUX_MAGIC_H
#define UAPI_LINUX_MAGIC_H

#define TMPFS_MAGIC		0x01021994
#define PROC_SUPER_MAGIC	0x9fa0
#define SYSFS_MAGIC		0x62656572
#define PIPEFS_MAGIC		0x50495045
#define ANON_INODE_FS_MAGIC	0x09041934
#define DEVPTS_SUPER_MAGIC	0x1cd1

#endif
