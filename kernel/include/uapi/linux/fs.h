/*
 * uapi/linux/fs.h — numbers of the file interfaces that have no header of
 * their own: the ioctls every file answers (ioctl(2) FIONREAD, FIONBIO,
 * FIOCLEX, FIONCLEX; Linux keeps them in asm-generic/ioctls.h next to the
 * terminal ones), mount(2) and umount2(2) flags, and memfd_create(2)'s.
 * Sources: Linux include/uapi/asm-generic/ioctls.h, uapi/linux/mount.h,
 * uapi/linux/memfd.h; ioctl(2), mount(2), umount(2),
 * memfd_create(2).
 */
#ifndef UAPI_LINUX_FS_H
#define UAPI_LINUX_FS_H

#define FIONREAD	0x541b	/* bytes ready to read (int) */
#define FIONBIO		0x5421	/* set or clear O_NONBLOCK (int) */
#define FIONCLEX	0x5450	/* clear close-on-exec */
#define FIOCLEX		0x5451	/* set close-on-exec */
#define FIOASYNC	0x5452

/* mount(2) flags */
#define MS_RDONLY	1
#define MS_NOSUID	2
#define MS_NODEV	4
#define MS_NOEXEC	8
#define MS_SYNCHRONOUS	16
#define MS_REMOUNT	32
#define MS_MANDLOCK	64
#define MS_DIRSYNC	128
#define MS_NOSYMFOLLOW	256
#define MS_NOATIME	1024
#define MS_NODIRATIME	2048
#define MS_BIND		4096
#define MS_MOVE		8192
#define MS_REC		16384
#define MS_SILENT	32768
#define MS_PRIVATE	(1 << 18)
#define MS_SLAVE	(1 << 19)
#define MS_SHARED	(1 << 20)
#define MS_RELATIME	(1 << 21)
#define MS_STRICTATIME	(1 << 24)
#define MS_MGC_VAL	0xC0ED0000	/* old magic in the top half: ignored */
#define MS_MGC_MSK	0xffff0000

/* umount2(2) flags */
#define MNT_FORCE	0x1
#define MNT_DETACH	0x2
#define MNT_EXPIRE	0x4
#define UMOUNT_NOFOLLOW	0x8

/* memfd_create(2) */
#define MFD_CLOEXEC		0x0001U
#define MFD_ALLOW_SEALING	0x0002U

#endif
