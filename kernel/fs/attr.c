/*
 * attr.c — the system calls on a process's place in the tree and on
 * files' attributes: chdir(2), fchdir(2), chroot(2), getcwd(2),
 * umask(2), chmod(2) and fchmod/fchmodat, chown(2) and lchown/fchown/
 * fchownat, access(2) and faccessat/faccessat2, utimensat(2).
 *
 * Who may change what is notify_change's business (kernel/fs/inode.c):
 * the owner or root for the mode and explicit times, root for the owner
 * (or the owner giving the file to one of its own groups), anyone with
 * write permission for "touch now".  access(2) checks with the *real*
 * user and group ids, unless AT_EACCESS asks for the effective ones —
 * the check runs with the fs ids swapped for its duration.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs_struct.h>
#include <kestrel/mount.h>
#include <kestrel/namei.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/linux/time_types.h>

#include "internal.h"

/* A directory the caller may search, as chdir and chroot need. */
static long dir_for_cd(int dfd, const char __user *filename, struct path *path)
{
	long err = user_path_at(dfd, filename, LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
				path);

	if (err)
		return err;
	err = inode_permission(path->dentry->d_inode, MAY_EXEC);
	if (err)
		path_put(path);
	return err;
}

long sys_chdir(const char __user *filename)
{
	struct path path;
	long err = dir_for_cd(AT_FDCWD, filename, &path);

	if (err)
		return err;
	set_fs_pwd(current_fs(), &path);
	path_put(&path);
	return 0;
}

long sys_fchdir(unsigned int fd)
{
	struct file *file = fget_raw(fd);
	long err = -EBADF;

	if (!file)
		return err;
	err = -ENOTDIR;
	if (file->f_inode && S_ISDIR(file->f_inode->i_mode))
		err = inode_permission(file->f_inode, MAY_EXEC);
	if (!err)
		set_fs_pwd(current_fs(), &file->f_path);
	fput(file);
	return err;
}

long sys_chroot(const char __user *filename)
{
	struct path path;
	long err = dir_for_cd(AT_FDCWD, filename, &path);

	if (err)
		return err;
	if (capable_fowner())		/* CAP_SYS_CHROOT */
		set_fs_root(current_fs(), &path);
	else
		err = -EPERM;
	path_put(&path);
	return err;
}

long sys_getcwd(char __user *buf, unsigned long size)
{
	char *page = kmalloc(PATH_MAX, GFP_KERNEL), *name;
	struct path pwd, root;
	long len;

	if (!page)
		return -ENOMEM;
	get_fs_root(current_fs(), &root);
	get_fs_pwd(current_fs(), &pwd);
	if (!pwd.mnt) {
		len = -ENOENT;
		goto out;
	}
	len = -ENOENT;		/* getcwd(2): the directory was removed */
	if (d_unhashed(pwd.dentry) && !IS_ROOT(pwd.dentry))
		goto out_put;
	name = d_path(&pwd, &root, page, PATH_MAX);
	len = PTR_ERR(name);
	if (IS_ERR(name))
		goto out_put;
	len = strlen(name) + 1;
	if ((unsigned long)len > size)
		len = -ERANGE;
	else if (copy_to_user(buf, name, len))
		len = -EFAULT;
out_put:
	path_put(&pwd);
	path_put(&root);
out:
	kfree(page);
	return len;
}

long sys_umask(int mask)
{
	struct fs_struct *fs = current_fs();
	umode_t old;

	spin_lock(&fs->lock);
	old = fs->umask;
	fs->umask = mask & 0777;
	spin_unlock(&fs->lock);
	return old;
}

/* Apply @attr to @path's inode after the read-only check. */
static long path_setattr(const struct path *path, struct iattr *attr)
{
	struct inode *inode = path->dentry->d_inode;
	long err;

	if (mnt_is_readonly(path->mnt))
		return -EROFS;
	mutex_lock(&inode->i_mutex);
	err = notify_change(path->dentry, attr);
	mutex_unlock(&inode->i_mutex);
	return err;
}

static long chmod_path(const struct path *path, umode_t mode)
{
	struct iattr attr = { .ia_valid = ATTR_MODE, .ia_mode = mode & S_IALLUGO };

	return path_setattr(path, &attr);
}

long sys_fchmodat(int dfd, const char __user *filename, umode_t mode)
{
	struct path path;
	long err = user_path_at(dfd, filename, LOOKUP_FOLLOW, &path);

	if (err)
		return err;
	err = chmod_path(&path, mode);
	path_put(&path);
	return err;
}

long sys_chmod(const char __user *filename, umode_t mode)
{
	return sys_fchmodat(AT_FDCWD, filename, mode);
}

long sys_fchmod(unsigned int fd, umode_t mode)
{
	struct file *file = fget(fd);
	long err;

	if (!file)
		return -EBADF;
	err = file->f_inode ? chmod_path(&file->f_path, mode) : -EPERM;
	fput(file);
	return err;
}

static long chown_path(const struct path *path, unsigned int uid,
		       unsigned int gid)
{
	struct iattr attr = { 0 };

	if (uid != (unsigned int)-1) {
		attr.ia_valid |= ATTR_UID;
		attr.ia_uid = uid;
	}
	if (gid != (unsigned int)-1) {
		attr.ia_valid |= ATTR_GID;
		attr.ia_gid = gid;
	}
	if (!attr.ia_valid)
		attr.ia_valid = ATTR_CTIME;	/* chown(f, -1, -1): only ctime */
	return path_setattr(path, &attr);
}

long sys_fchownat(int dfd, const char __user *filename, unsigned int user,
		  unsigned int group, int flag)
{
	unsigned int how = LOOKUP_FOLLOW;
	struct path path;
	long err;

	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flag & AT_SYMLINK_NOFOLLOW)
		how = 0;
	if (flag & AT_EMPTY_PATH)
		how |= LOOKUP_EMPTY;
	err = user_path_at(dfd, filename, how, &path);
	if (err)
		return err;
	err = chown_path(&path, user, group);
	path_put(&path);
	return err;
}

long sys_chown(const char __user *filename, unsigned int user,
	       unsigned int group)
{
	return sys_fchownat(AT_FDCWD, filename, user, group, 0);
}

long sys_lchown(const char __user *filename, unsigned int user,
		unsigned int group)
{
	return sys_fchownat(AT_FDCWD, filename, user, group, AT_SYMLINK_NOFOLLOW);
}

long sys_fchown(unsigned int fd, unsigned int user, unsigned int group)
{
	struct file *file = fget(fd);
	long err;

	if (!file)
		return -EBADF;
	err = file->f_inode ? chown_path(&file->f_path, user, group) : -EPERM;
	fput(file);
	return err;
}

/* --- access(2) ----------------------------------------------------------------- */

static long access_check(const struct path *path, int mode)
{
	struct inode *inode = path->dentry->d_inode;
	int mask = 0;

	if (mode & R_OK)
		mask |= MAY_READ;
	if (mode & W_OK)
		mask |= MAY_WRITE;
	if (mode & X_OK)
		mask |= MAY_EXEC;
	if ((mode & W_OK) && mnt_is_readonly(path->mnt) &&
	    (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode)))
		return -EROFS;
	return mask ? inode_permission(inode, mask) : 0;
}

long sys_faccessat2(int dfd, const char __user *filename, int mode, int flags)
{
	struct cred *cred = (flags & AT_EACCESS) ? NULL : current->cred;
	unsigned int how = LOOKUP_FOLLOW, fsuid = 0, fsgid = 0;
	struct path path;
	long err;

	if (mode & ~(F_OK | R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_SYMLINK_NOFOLLOW)
		how = 0;
	if (flags & AT_EMPTY_PATH)
		how |= LOOKUP_EMPTY;
	if (cred) {		/* check as the real ids */
		fsuid = cred->fsuid;
		fsgid = cred->fsgid;
		cred->fsuid = cred->uid;
		cred->fsgid = cred->gid;
	}
	err = user_path_at(dfd, filename, how, &path);
	if (!err) {
		err = access_check(&path, mode);
		path_put(&path);
	}
	if (cred) {
		cred->fsuid = fsuid;
		cred->fsgid = fsgid;
	}
	return err;
}

long sys_faccessat(int dfd, const char __user *filename, int mode)
{
	return sys_faccessat2(dfd, filename, mode, 0);
}

long sys_access(const char __user *filename, int mode)
{
	return sys_faccessat2(AT_FDCWD, filename, mode, 0);
}

/* --- utimensat(2) ---------------------------------------------------------------- */

static bool nsec_valid(long long nsec)
{
	return nsec == UTIME_OMIT || nsec == UTIME_NOW ||
	       (nsec >= 0 && nsec <= 999999999);
}

/* Turn the two timespecs (NULL: both now) into @attr. */
static long times_to_attr(const struct __kernel_timespec *t, struct iattr *attr)
{
	unsigned int now = ATTR_ATIME, set = ATTR_ATIME_SET;
	int i;

	attr->ia_valid = 0;
	if (!t) {
		attr->ia_valid = ATTR_ATIME | ATTR_MTIME | ATTR_TOUCH;
		return 0;
	}
	for (i = 0; i < 2; i++, now = ATTR_MTIME, set = ATTR_MTIME_SET) {
		struct timespec64 ts = { t[i].tv_sec, t[i].tv_nsec };

		if (!nsec_valid(t[i].tv_nsec))
			return -EINVAL;
		if (t[i].tv_nsec == UTIME_OMIT)
			continue;
		attr->ia_valid |= now;
		if (t[i].tv_nsec == UTIME_NOW)
			continue;
		attr->ia_valid |= set;
		if (i == 0)
			attr->ia_atime = ts;
		else
			attr->ia_mtime = ts;
	}
	if (attr->ia_valid && !(attr->ia_valid & (ATTR_ATIME_SET | ATTR_MTIME_SET)))
		attr->ia_valid |= ATTR_TOUCH;	/* only "now": write access suffices */
	return 0;
}

long sys_utimensat(int dfd, const char __user *filename,
		   struct __kernel_timespec __user *utimes, int flags)
{
	struct __kernel_timespec t[2];
	unsigned int how = LOOKUP_FOLLOW;
	struct iattr attr;
	struct path path;
	struct file *file;
	long err;

	if (utimes && copy_from_user(t, utimes, sizeof(t)))
		return -EFAULT;
	err = times_to_attr(utimes ? t : NULL, &attr);
	if (err)
		return err;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!filename) {		/* futimens(3): the descriptor itself */
		if (flags & AT_SYMLINK_NOFOLLOW)
			return -EINVAL;
		file = fget(dfd);
		if (!file)
			return -EBADF;
		err = !attr.ia_valid ? 0 : file->f_inode ?
		      path_setattr(&file->f_path, &attr) : -EPERM;
		fput(file);
		return err;
	}
	if (flags & AT_SYMLINK_NOFOLLOW)
		how = 0;
	if (flags & AT_EMPTY_PATH)
		how |= LOOKUP_EMPTY;
	err = user_path_at(dfd, filename, how, &path);
	if (err)
		return err;
	if (attr.ia_valid)		/* both UTIME_OMIT: nothing to do */
		err = path_setattr(&path, &attr);
	path_put(&path);
	return err;
}
