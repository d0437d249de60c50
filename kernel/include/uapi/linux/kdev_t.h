/*
 * uapi/linux/kdev_t.h — device numbers as user space sees them.  The
 * kernel keeps a device number as major << 20 | minor (kestrel/fs.h); in
 * struct stat and mknod(2) it is the "new" encoding below: 12 bits of
 * major and 20 of minor, interleaved so that old 8:8 numbers read the
 * same.  Sources: Linux include/linux/kdev_t.h (new_encode_dev,
 * new_decode_dev); makedev(3) (glibc's and musl's gnu_dev_makedev agree).
 */
#ifndef UAPI_LINUX_KDEV_T_H
#define UAPI_LINUX_KDEV_T_H

#include <kestrel/types.h>

static inline u32 new_encode_dev_parts(unsigned int major, unsigned int minor)
{
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

static inline unsigned int new_decode_major(u32 dev)
{
	return (dev & 0xfff00) >> 8;
}

static inline unsigned int new_decode_minor(u32 dev)
{
	return (dev & 0xff) | ((dev >> 12) & 0xfff00);
}

#endif
