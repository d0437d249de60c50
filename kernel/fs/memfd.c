/*
 * memfd.c — memfd_create(2): an anonymous file in memory, which behaves
 * like a regular file (read, write, ftruncate, mmap, seek) but has no
 * name in the tree.  It is a tmpfs file on a private mount, created and
 * unlinked at once; /proc/<pid>/fd shows it as "/memfd:NAME (deleted)",
 * as on Linux.  Sealing (F_ADD_SEALS) is not supported:
 * MFD_ALLOW_SEALING is accepted and changes nothing.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/mount.h>
#include <kestrel/mutex.h>
#include <kestrel/namei.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/linux/fs.h>

#define MFD_NAME_MAX	249	/* memfd_create(2): longer names are EINVAL */

static DEFINE_MUTEX(memfd_lock);
static struct vfsmount *memfd_mnt;	/* memfd_lock, then (O) */

static struct vfsmount *memfd_mount(void)
{
	mutex_lock(&memfd_lock);
	if (!memfd_mnt) {
		memfd_mnt = vfs_kern_mount("tmpfs", 0, "tmpfs", NULL);
		if (IS_ERR(memfd_mnt))
			memfd_mnt = NULL;
	}
	mutex_unlock(&memfd_lock);
	return memfd_mnt;
}

/* Create, open and unlink "memfd:@name" in the private tmpfs. */
static struct file *memfd_file(const char *name)
{
	struct vfsmount *mnt = memfd_mount();
	struct dentry *root, *d;
	struct file *file;
	struct path path;
	int err;

	if (!mnt)
		return ERR_PTR(-ENOMEM);
	root = mnt->mnt_root;
	mutex_lock(&root->d_inode->i_mutex);
	d = lookup_one(root, name, strlen(name));
	if (IS_ERR(d)) {
		mutex_unlock(&root->d_inode->i_mutex);
		return (struct file *)d;	/* the same error */
	}
	err = vfs_create(root->d_inode, d, 0777);
	file = ERR_PTR(err);
	if (!err) {
		path.mnt = mnt;
		path.dentry = d;
		file = vfs_open_path(&path, O_RDWR | O_LARGEFILE);
		vfs_unlink(root->d_inode, d);
	}
	mutex_unlock(&root->d_inode->i_mutex);
	dput(d);
	return file;
}

long sys_memfd_create(const char __user *uname, unsigned int flags)
{
	char name[8 + MFD_NAME_MAX + 1] = "memfd:", *p;
	struct file *file;
	long len;
	int fd;

	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING))
		return -EINVAL;
	len = strncpy_from_user(name + 6, uname, MFD_NAME_MAX + 1);
	if (len < 0)
		return -EFAULT;
	if (len > MFD_NAME_MAX)
		return -EINVAL;
	for (p = name; *p; p++)
		if (*p == '/')
			*p = '_';	/* a name, not a path */
	fd = get_unused_fd_flags((flags & MFD_CLOEXEC) ? O_CLOEXEC : 0);
	if (fd < 0)
		return fd;
	file = memfd_file(name);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}
