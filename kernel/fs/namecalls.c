/*
 * namecalls.c — the system calls on names: mkdir, mknod, symlink, link,
 * unlink, rmdir, rename and their *at forms (kestrel/namei.h).
 *
 * Each do_* function takes kernel strings (the sys_* entry points below
 * copy the user's with getname), resolves the parent directory, locks it
 * and calls the vfs_* function of dirops.c.  The checks made here are
 * those about the *name* — ".", "..", "/", a trailing slash, flags —
 * in the order Linux makes them, so that the errno of each failure is
 * the one its man page lists.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs_struct.h>
#include <kestrel/mount.h>
#include <kestrel/namei.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <uapi/linux/fcntl.h>
#include <uapi/linux/kdev_t.h>

#include "internal.h"

long do_mkdirat(int dfd, const char *name, umode_t mode)
{
	struct path parent;
	struct dentry *d = kern_path_create(dfd, name, &parent, LOOKUP_DIRECTORY);
	long err;

	if (IS_ERR(d))
		return PTR_ERR(d);
	err = vfs_mkdir(parent.dentry->d_inode, d, mode & ~current_umask());
	done_path_create(&parent, d);
	return err;
}

long do_mknodat(int dfd, const char *name, umode_t mode, dev_t dev)
{
	struct path parent;
	struct dentry *d;
	long err;

	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;	/* mknod(2): zero means a regular file */
		break;
	case S_IFREG: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	d = kern_path_create(dfd, name, &parent, 0);
	if (IS_ERR(d))
		return PTR_ERR(d);
	mode = (mode & S_IFMT) | (mode & S_IALLUGO & ~current_umask());
	if (S_ISREG(mode))
		err = vfs_create(parent.dentry->d_inode, d, mode);
	else
		err = vfs_mknod(parent.dentry->d_inode, d, mode, dev);
	done_path_create(&parent, d);
	return err;
}

long do_symlinkat(const char *target, int newdfd, const char *newname)
{
	struct path parent;
	struct dentry *d;
	long err;

	if (!*target)
		return -ENOENT;
	d = kern_path_create(newdfd, newname, &parent, 0);
	if (IS_ERR(d))
		return PTR_ERR(d);
	err = vfs_symlink(parent.dentry->d_inode, d, target);
	done_path_create(&parent, d);
	return err;
}

long do_linkat(int olddfd, const char *oldname, int newdfd,
	       const char *newname, int flags)
{
	unsigned int how = 0;
	struct path old, parent;
	struct dentry *d;
	long err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_SYMLINK_FOLLOW)
		how |= LOOKUP_FOLLOW;
	/* linkat(2): AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH, else ENOENT
	 * (an unprivileged user could name a file passed to it open). */
	if ((flags & AT_EMPTY_PATH) && capable_fowner())
		how |= LOOKUP_EMPTY;
	err = filename_lookup(olddfd, oldname, how, &old);
	if (err)
		return err;
	d = kern_path_create(newdfd, newname, &parent, 0);
	if (IS_ERR(d)) {
		path_put(&old);
		return PTR_ERR(d);
	}
	err = -EXDEV;
	if (old.mnt == parent.mnt)
		err = vfs_link(old.dentry, parent.dentry->d_inode, d);
	done_path_create(&parent, d);
	path_put(&old);
	return err;
}

long do_rmdir(int dfd, const char *name)
{
	struct nameidata nd;
	struct dentry *d, *dir;
	long err = path_walk_parent(&nd, dfd, name, 0);

	if (err)
		goto out;
	switch (nd.last_type) {
	case LAST_DOTDOT:
		err = -ENOTEMPTY;
		goto out;
	case LAST_DOT:
		err = -EINVAL;
		goto out;
	case LAST_ROOT:
		err = -EBUSY;
		goto out;
	}
	err = -EROFS;
	if (mnt_is_readonly(nd.path.mnt))
		goto out;
	dir = nd.path.dentry;
	mutex_lock(&dir->d_inode->i_mutex);
	d = lookup_one_qstr(dir, &nd.last);
	err = PTR_ERR(d);
	if (!IS_ERR(d)) {
		err = d_is_negative(d) ? -ENOENT : vfs_rmdir(dir->d_inode, d);
		dput(d);
	}
	mutex_unlock(&dir->d_inode->i_mutex);
out:
	nameidata_done(&nd);
	return err;
}

long do_unlinkat(int dfd, const char *name)
{
	struct nameidata nd;
	struct dentry *d, *dir;
	struct inode *victim = NULL;
	long err = path_walk_parent(&nd, dfd, name, 0);

	if (err)
		goto out;
	err = -EISDIR;			/* "/", ".", ".." */
	if (nd.last_type != LAST_NORM)
		goto out;
	dir = nd.path.dentry;
	mutex_lock(&dir->d_inode->i_mutex);
	d = lookup_one_qstr(dir, &nd.last);
	err = PTR_ERR(d);
	if (IS_ERR(d))
		goto out_unlock;
	if (d_is_negative(d))
		err = -ENOENT;
	else if (nd.flags & LOOKUP_SLASH)	/* "file/" */
		err = S_ISDIR(d->d_inode->i_mode) ? -EISDIR : -ENOTDIR;
	else if (mnt_is_readonly(nd.path.mnt))
		err = -EROFS;
	else {
		victim = d->d_inode;
		ihold(victim);		/* freed after the directory is unlocked */
		err = vfs_unlink(dir->d_inode, d);
	}
	dput(d);
out_unlock:
	mutex_unlock(&dir->d_inode->i_mutex);
	iput(victim);
out:
	nameidata_done(&nd);
	return err;
}

/* rename's checks of the two names before anything is locked. */
static long rename_names_ok(struct nameidata *old, struct nameidata *new,
			    unsigned int flags)
{
	if (old->path.mnt != new->path.mnt)
		return -EXDEV;
	if (old->last_type != LAST_NORM)
		return -EBUSY;
	if (new->last_type != LAST_NORM)
		return (flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
	if (mnt_is_readonly(old->path.mnt))
		return -EROFS;
	return 0;
}

/* The looked-up source and target, checked against each other. */
static long rename_dentries_ok(struct nameidata *old, struct dentry *od,
			       struct nameidata *new, struct dentry *nd_,
			       struct dentry *trap, unsigned int flags)
{
	if (d_is_negative(od))
		return -ENOENT;
	if ((flags & RENAME_NOREPLACE) && d_is_positive(nd_))
		return -EEXIST;
	if ((flags & RENAME_EXCHANGE) && d_is_negative(nd_))
		return -ENOENT;
	if (!S_ISDIR(od->d_inode->i_mode)) {
		if (old->flags & LOOKUP_SLASH)
			return -ENOTDIR;
		if (!(flags & RENAME_EXCHANGE) && (new->flags & LOOKUP_SLASH))
			return -ENOTDIR;
	}
	if (od == trap)
		return -EINVAL;		/* into its own subdirectory */
	if (nd_ == trap)
		return (flags & RENAME_EXCHANGE) ? -EINVAL : -ENOTEMPTY;
	return 0;
}

long do_renameat2(int olddfd, const char *oldname, int newdfd,
		  const char *newname, unsigned int flags)
{
	struct dentry *od, *nd_, *trap, *odir, *ndir;
	struct nameidata old, new;
	long err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -EINVAL;		/* overlay file systems only */
	err = path_walk_parent(&old, olddfd, oldname, 0);
	if (err) {
		nameidata_done(&old);
		return err;
	}
	err = path_walk_parent(&new, newdfd, newname, 0);
	if (!err)
		err = rename_names_ok(&old, &new, flags);
	if (err)
		goto out;
	odir = old.path.dentry;
	ndir = new.path.dentry;
	trap = lock_rename(ndir, odir);
	od = lookup_one_qstr(odir, &old.last);
	err = PTR_ERR(od);
	if (IS_ERR(od))
		goto out_unlock;
	nd_ = lookup_one_qstr(ndir, &new.last);
	err = PTR_ERR(nd_);
	if (!IS_ERR(nd_)) {
		err = rename_dentries_ok(&old, od, &new, nd_, trap, flags);
		if (!err)
			err = vfs_rename(odir->d_inode, od, ndir->d_inode, nd_,
					 flags);
		dput(nd_);
	}
	dput(od);
out_unlock:
	unlock_rename(ndir, odir);
out:
	nameidata_done(&new);
	nameidata_done(&old);
	return err;
}

/* --- the system calls: copy the names, call the do_* above ----------------------- */

/* Run @fn on one user name; the getname errors (EFAULT, ENAMETOOLONG,
 * ENOENT for "") come first, as in Linux. */
#define WITH_NAME(uname, name, call)					\
	({								\
		char *name = getname(uname);				\
		long ret_ = PTR_ERR(name);				\
		if (!IS_ERR(name)) {					\
			ret_ = (call);					\
			putname(name);					\
		}							\
		ret_;							\
	})

long sys_mkdirat(int dfd, const char __user *pathname, umode_t mode)
{
	return WITH_NAME(pathname, name, do_mkdirat(dfd, name, mode));
}

long sys_mkdir(const char __user *pathname, umode_t mode)
{
	return sys_mkdirat(AT_FDCWD, pathname, mode);
}

long sys_mknodat(int dfd, const char __user *filename, umode_t mode,
		 unsigned int dev)
{
	dev_t kdev = MKDEV(new_decode_major(dev), new_decode_minor(dev));

	return WITH_NAME(filename, name, do_mknodat(dfd, name, mode, kdev));
}

long sys_mknod(const char __user *filename, umode_t mode, unsigned int dev)
{
	return sys_mknodat(AT_FDCWD, filename, mode, dev);
}

long sys_rmdir(const char __user *pathname)
{
	return WITH_NAME(pathname, name, do_rmdir(AT_FDCWD, name));
}

long sys_unlinkat(int dfd, const char __user *pathname, int flag)
{
	if (flag & ~AT_REMOVEDIR)
		return -EINVAL;
	if (flag & AT_REMOVEDIR)
		return WITH_NAME(pathname, name, do_rmdir(dfd, name));
	return WITH_NAME(pathname, name, do_unlinkat(dfd, name));
}

long sys_unlink(const char __user *pathname)
{
	return sys_unlinkat(AT_FDCWD, pathname, 0);
}

long sys_symlinkat(const char __user *oldname, int newdfd,
		   const char __user *newname)
{
	char *target = getname(oldname);
	long err = PTR_ERR(target);

	if (!IS_ERR(target)) {
		err = WITH_NAME(newname, name, do_symlinkat(target, newdfd, name));
		putname(target);
	}
	return err;
}

long sys_symlink(const char __user *old, const char __user *new)
{
	return sys_symlinkat(old, AT_FDCWD, new);
}

long sys_linkat(int olddfd, const char __user *oldname, int newdfd,
		const char __user *newname, int flags)
{
	char *old;
	long err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((flags & AT_EMPTY_PATH) && !capable_fowner())
		return -ENOENT;		/* linkat(2): needs CAP_DAC_READ_SEARCH */
	old = getname_flags(oldname, (flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0);
	if (IS_ERR(old))
		return PTR_ERR(old);
	err = WITH_NAME(newname, name,
			do_linkat(olddfd, old, newdfd, name, flags));
	putname(old);
	return err;
}

long sys_link(const char __user *oldname, const char __user *newname)
{
	return sys_linkat(AT_FDCWD, oldname, AT_FDCWD, newname, 0);
}

long sys_renameat2(int olddfd, const char __user *oldname, int newdfd,
		   const char __user *newname, unsigned int flags)
{
	char *old = getname(oldname);
	long err = PTR_ERR(old);

	if (!IS_ERR(old)) {
		err = WITH_NAME(newname, name,
				do_renameat2(olddfd, old, newdfd, name, flags));
		putname(old);
	}
	return err;
}

long sys_renameat(int olddfd, const char __user *oldname, int newdfd,
		  const char __user *newname)
{
	return sys_renameat2(olddfd, oldname, newdfd, newname, 0);
}

long sys_rename(const char __user *oldname, const char __user *newname)
{
	return sys_renameat2(AT_FDCWD, oldname, AT_FDCWD, newname, 0);
}
