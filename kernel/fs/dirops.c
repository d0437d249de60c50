/*
 * dirops.c — operations on names: mkdir, mknod, symlink, link, unlink,
 * rmdir, rename (kestrel/namei.h).
 *
 * Each do_* function is one system call on kernel strings: resolve the
 * parent directory (LOOKUP_PARENT), lock it, look up the last name, and
 * call the vfs_* function, which checks what the man page demands and
 * calls the file system's inode operation.  The errno values and the
 * order they are checked in are Linux's: mkdir(2), mknod(2), rmdir(2),
 * unlink(2), symlink(2), link(2), rename(2).
 *
 * Removing a name (may_delete) needs write and search permission on the
 * directory and, in a sticky directory (S_ISVTX, like /tmp), ownership of
 * the file or the directory (EPERM otherwise).  A mount point cannot be
 * removed or renamed (EBUSY).
 *
 * rename locks two directories.  Two renames locking the same pair in
 * opposite orders would deadlock, so lock_rename takes the super block's
 * rename mutex first (one cross-directory rename per file system at a
 * time) and then the directories, ancestor first.  The "trap" it returns
 * — the child of one directory on the way down to the other — is how
 * rename finds out that it would move a directory into its own subtree
 * (EINVAL) or replace a directory with one of its descendants'
 * ancestors (ENOTEMPTY).
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs_struct.h>
#include <kestrel/mount.h>
#include <kestrel/namei.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "internal.h"

static bool is_dir(const struct dentry *d)
{
	return d->d_inode && S_ISDIR(d->d_inode->i_mode);
}

/* A directory that was removed (rmdir left it with no links). */
static bool dir_is_dead(const struct inode *dir)
{
	return S_ISDIR(dir->i_mode) && dir->i_nlink == 0;
}

int may_create_in(struct inode *dir, struct dentry *child)
{
	if (d_is_positive(child))
		return -EEXIST;
	if (dir_is_dead(dir))
		return -ENOENT;
	return inode_permission(dir, MAY_WRITE | MAY_EXEC);
}

/* May the current task remove @victim from @dir?  @isdir: rmdir. */
static int may_delete(struct inode *dir, struct dentry *victim, bool isdir)
{
	struct inode *inode = victim->d_inode;
	int err;

	if (!inode)
		return -ENOENT;
	err = inode_permission(dir, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	if ((dir->i_mode & S_ISVTX) && !capable_fowner() &&
	    current_fsuid() != inode->i_uid && current_fsuid() != dir->i_uid)
		return -EPERM;		/* the sticky bit */
	if (isdir && !S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	if (isdir && IS_ROOT(victim))
		return -EBUSY;
	if (!isdir && S_ISDIR(inode->i_mode))
		return -EISDIR;
	return 0;
}

int vfs_create(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	int err = may_create_in(dir, dentry);

	if (err)
		return err;
	if (!dir->i_op || !dir->i_op->create)
		return -EACCES;
	return dir->i_op->create(dir, dentry, (mode & S_IALLUGO) | S_IFREG);
}

int vfs_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	int err = may_create_in(dir, dentry);

	if (err)
		return err;
	if (!dir->i_op || !dir->i_op->mkdir)
		return -EPERM;
	return dir->i_op->mkdir(dir, dentry, (mode & (S_IRWXU | S_IRWXG |
				S_IRWXO | S_ISVTX)) | S_IFDIR);
}

int vfs_mknod(struct inode *dir, struct dentry *dentry, umode_t mode,
	      dev_t dev)
{
	int err = may_create_in(dir, dentry);

	if (err)
		return err;
	if ((S_ISCHR(mode) || S_ISBLK(mode)) && !capable_fowner())
		return -EPERM;		/* CAP_MKNOD */
	if (!dir->i_op || !dir->i_op->mknod)
		return -EPERM;
	return dir->i_op->mknod(dir, dentry, mode, dev);
}

int vfs_symlink(struct inode *dir, struct dentry *dentry, const char *target)
{
	int err = may_create_in(dir, dentry);

	if (err)
		return err;
	if (!dir->i_op || !dir->i_op->symlink)
		return -EPERM;
	return dir->i_op->symlink(dir, dentry, target);
}

int vfs_link(struct dentry *old, struct inode *dir, struct dentry *new)
{
	struct inode *inode = old->d_inode;
	int err;

	if (!inode)
		return -ENOENT;
	err = may_create_in(dir, new);
	if (err)
		return err;
	if (dir->i_sb != inode->i_sb)
		return -EXDEV;
	if (S_ISDIR(inode->i_mode))
		return -EPERM;		/* no hard links to directories */
	if (!dir->i_op || !dir->i_op->link)
		return -EPERM;
	mutex_lock(&inode->i_mutex);
	if (inode->i_nlink == 0 && !(inode->i_state & I_LINKABLE))
		err = -ENOENT;		/* a file already gone */
	else
		err = dir->i_op->link(old, dir, new);
	if (!err)		/* an O_TMPFILE file is named once */
		inode->i_state &= ~I_LINKABLE;
	mutex_unlock(&inode->i_mutex);
	return err;
}

int vfs_unlink(struct inode *dir, struct dentry *dentry)
{
	int err = may_delete(dir, dentry, false);

	if (err)
		return err;
	if (!dir->i_op || !dir->i_op->unlink)
		return -EPERM;
	if (dentry->d_mounted)
		return -EBUSY;
	mutex_lock(&dentry->d_inode->i_mutex);
	err = dir->i_op->unlink(dir, dentry);
	mutex_unlock(&dentry->d_inode->i_mutex);
	if (!err)
		d_delete(dentry);
	return err;
}

int vfs_rmdir(struct inode *dir, struct dentry *dentry)
{
	int err = may_delete(dir, dentry, true);

	if (err)
		return err;
	if (!dir->i_op || !dir->i_op->rmdir)
		return -EPERM;
	if (dentry->d_mounted)
		return -EBUSY;
	mutex_lock(&dentry->d_inode->i_mutex);
	err = dir->i_op->rmdir(dir, dentry);
	mutex_unlock(&dentry->d_inode->i_mutex);
	if (!err)
		d_delete(dentry);
	return err;
}

/* rename's checks of the source and target (the dentries are looked up). */
static int may_rename(struct inode *old_dir, struct dentry *old,
		      struct inode *new_dir, struct dentry *new,
		      unsigned int flags)
{
	bool old_isdir = is_dir(old), new_isdir = is_dir(new);
	int err = may_delete(old_dir, old, old_isdir);

	if (err)
		return err;
	if (d_is_negative(new))
		err = may_create_in(new_dir, new);
	else if (flags & RENAME_EXCHANGE)
		err = may_delete(new_dir, new, new_isdir);
	else
		err = may_delete(new_dir, new, old_isdir);
	if (err)
		return err;
	/* A directory moving to another parent rewrites its "..". */
	if (new_dir != old_dir && old_isdir) {
		err = inode_permission(old->d_inode, MAY_WRITE);
		if (err)
			return err;
	}
	if (new_dir != old_dir && new_isdir && (flags & RENAME_EXCHANGE))
		err = inode_permission(new->d_inode, MAY_WRITE);
	return err;
}

int vfs_rename(struct inode *old_dir, struct dentry *old,
	       struct inode *new_dir, struct dentry *new, unsigned int flags)
{
	int err;

	if (old->d_inode == new->d_inode)
		return 0;	/* two names of one file: nothing to do (rename(2)) */
	err = may_rename(old_dir, old, new_dir, new, flags);
	if (err)
		return err;
	if (!old_dir->i_op || !old_dir->i_op->rename)
		return -EPERM;
	if (old->d_mounted || new->d_mounted)
		return -EBUSY;
	err = old_dir->i_op->rename(old_dir, old, new_dir, new, flags);
	if (err)
		return err;
	if (flags & RENAME_EXCHANGE)
		d_exchange(old, new);
	else
		d_move(old, new);
	return 0;
}

struct dentry *lock_rename(struct dentry *p1, struct dentry *p2)
{
	struct dentry *trap;

	if (p1 == p2) {
		mutex_lock(&p1->d_inode->i_mutex);
		return NULL;
	}
	mutex_lock(&p1->d_sb->s_vfs_rename_mutex);
	trap = d_ancestor(p2, p1);
	if (trap) {			/* p2 is above p1: lock it first */
		mutex_lock(&p2->d_inode->i_mutex);
		mutex_lock(&p1->d_inode->i_mutex);
		return trap;
	}
	trap = d_ancestor(p1, p2);
	mutex_lock(&p1->d_inode->i_mutex);
	mutex_lock(&p2->d_inode->i_mutex);
	return trap;
}

void unlock_rename(struct dentry *p1, struct dentry *p2)
{
	mutex_unlock(&p1->d_inode->i_mutex);
	if (p1 != p2) {
		mutex_unlock(&p2->d_inode->i_mutex);
		mutex_unlock(&p1->d_sb->s_vfs_rename_mutex);
	}
}

int vfs_readlink(struct dentry *dentry, char *buf, int len)
{
	struct inode *inode = dentry->d_inode;
	const char *link;
	char *scratch = NULL;
	int n;

	if (!inode || !S_ISLNK(inode->i_mode))
		return -EINVAL;
	link = inode->i_link;
	if (!link && inode->i_op && inode->i_op->get_link) {
		scratch = kmalloc(PATH_MAX, GFP_KERNEL);
		if (!scratch)
			return -ENOMEM;
		link = inode->i_op->get_link(dentry, inode, scratch);
	}
	if (!link || IS_ERR(link)) {
		kfree(scratch);
		return link ? PTR_ERR(link) : -EINVAL;
	}
	n = MIN((int)strlen(link), len);
	memcpy(buf, link, n);
	kfree(scratch);
	return n;
}
