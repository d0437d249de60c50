/*
 * mount.c — mount(2) and umount2(2) (the tree itself is namespace.c's).
 *
 *	mount(src, dir, type, flags, data)
 *	  a new mount          of file system type @type (ENODEV if unknown)
 *	                       on the directory @dir, with @data its options
 *	  MS_BIND              the subtree at @src shown again at @dir
 *	  MS_REMOUNT           new flags for the mount at @dir
 *	  MS_SHARED, MS_PRIVATE, MS_SLAVE, MS_UNBINDABLE: accepted, no effect
 *	                       (one mount namespace, nothing propagates)
 *	umount2(dir, flags)    MNT_DETACH unmounts lazily, even when busy
 *
 * Both need root (EPERM).  The mount flags MS_RDONLY, MS_NOSUID,
 * MS_NODEV, MS_NOEXEC, MS_NOATIME, MS_NODIRATIME become the mount's
 * own; relatime is the default, as on Linux.  MS_MOVE is not supported
 * (EINVAL).
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/mount.h>
#include <kestrel/namei.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/linux/fs.h>

#include "internal.h"

#define MS_PROPAGATION	(MS_SHARED | MS_PRIVATE | MS_SLAVE | (1 << 17))

static int mnt_flags_of(unsigned long flags)
{
	int f = 0;

	if (flags & MS_RDONLY)
		f |= MNT_READONLY;
	if (flags & MS_NOSUID)
		f |= MNT_NOSUID;
	if (flags & MS_NODEV)
		f |= MNT_NODEV;
	if (flags & MS_NOEXEC)
		f |= MNT_NOEXEC;
	if (flags & MS_NOATIME)
		f |= MNT_NOATIME;
	if (flags & MS_NODIRATIME)
		f |= MNT_NODIRATIME;
	if (!(flags & (MS_NOATIME | MS_STRICTATIME)))
		f |= MNT_RELATIME;
	return f;
}

/* A user string into a new kernel page (NULL stays NULL). */
static char *copy_mount_string(const char __user *s)
{
	char *k;
	long n;

	if (!s)
		return NULL;
	k = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!k)
		return ERR_PTR(-ENOMEM);
	n = strncpy_from_user(k, s, PAGE_SIZE);
	if (n < 0 || n == PAGE_SIZE) {
		kfree(k);
		return ERR_PTR(n < 0 ? -EFAULT : -EINVAL);
	}
	return k;
}

/* MS_BIND: the subtree at @src shown again at @where. */
static long do_bind(const char *src, const struct path *where, int mnt_flags)
{
	struct vfsmount *mnt;
	struct path from;
	long err = kern_path(src, LOOKUP_FOLLOW, &from);

	if (err)
		return err;
	mnt = clone_mnt(&from, mnt_flags);
	err = PTR_ERR(mnt);
	if (!IS_ERR(mnt)) {
		err = do_add_mount(mnt, where);
		if (err)
			mntput(mnt);
	}
	path_put(&from);
	return err;
}

static long do_new_mount(const char *type, const char *dev, const char *data,
			 const struct path *where, int mnt_flags)
{
	struct file_system_type *fs;
	struct vfsmount *mnt;
	long err;

	if (!type)
		return -EINVAL;
	fs = get_fs_type(type);
	if (!fs || !strcmp(type, "pipefs") || !strcmp(type, "rootfs"))
		return -ENODEV;
	if (fs->fs_flags & FS_REQUIRES_DEV)
		return -ENOTBLK;	/* block devices arrive with lab 10 */
	mnt = vfs_kern_mount(type, mnt_flags, dev ? dev : "none", data);
	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	err = do_add_mount(mnt, where);
	if (err)
		mntput(mnt);
	return err;
}

long sys_mount(char __user *dev_name, char __user *dir_name,
	       char __user *type, unsigned long flags, void __user *data)
{
	char *kdev = NULL, *ktype = NULL, *kdata = NULL;
	struct path where;
	long err;

	if (!capable_fowner())
		return -EPERM;
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	err = user_path_at(AT_FDCWD, dir_name, LOOKUP_FOLLOW, &where);
	if (err)
		return err;
	kdev = copy_mount_string(dev_name);
	ktype = copy_mount_string(type);
	kdata = copy_mount_string(data);
	err = IS_ERR(kdev) ? PTR_ERR(kdev) : IS_ERR(ktype) ? PTR_ERR(ktype) :
	      IS_ERR(kdata) ? PTR_ERR(kdata) : 0;
	if (err)
		goto out;
	if (flags & MS_REMOUNT) {
		err = where.dentry == where.mnt->mnt_root ? 0 : -EINVAL;
		if (!err)
			where.mnt->mnt_flags = mnt_flags_of(flags);
	} else if (flags & MS_BIND) {
		err = kdev ? do_bind(kdev, &where, mnt_flags_of(flags)) : -EFAULT;
	} else if (flags & MS_MOVE) {
		err = -EINVAL;
	} else if (flags & MS_PROPAGATION) {
		err = 0;
	} else {
		err = do_new_mount(ktype, kdev, kdata, &where, mnt_flags_of(flags));
	}
out:
	if (!IS_ERR_OR_NULL(kdev))
		kfree(kdev);
	if (!IS_ERR_OR_NULL(ktype))
		kfree(ktype);
	if (!IS_ERR_OR_NULL(kdata))
		kfree(kdata);
	path_put(&where);
	return err;
}

long sys_umount(char __user *name, int flags)
{
	struct path path;
	long err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if (!capable_fowner())
		return -EPERM;
	err = user_path_at(AT_FDCWD, name,
			   (flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &path);
	if (err)
		return err;
	return path_umount(&path, flags);	/* consumes the path */
}
