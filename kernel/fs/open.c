/*
 * open.c — opening files (open(2), openat(2), creat(2)) and truncating
 * them (truncate(2), ftruncate(2)).
 *
 * do_filp_open is open(2) on a kernel string.  It walks to the last
 * component's directory, then handles the last name itself (open_last),
 * because only there do the flags matter:
 *
 *	O_CREAT, missing        create it (mode & ~umask), under the
 *	                        directory's lock; no permission check of
 *	                        the access mode for the creator (open(2))
 *	O_CREAT|O_EXCL, exists  EEXIST — even for a symlink, never followed
 *	a symlink               followed (its target spliced into the walk,
 *	                        namei.c), unless O_NOFOLLOW: ELOOP; with
 *	                        O_PATH|O_NOFOLLOW the link itself is opened
 *	a directory             EISDIR with O_CREAT or for writing
 *	"dir/" with O_CREAT     EISDIR
 *
 * then checks the access the flags ask for (EACCES, EROFS), makes the
 * struct file and calls the file's ->open (a device's driver, a FIFO's
 * pipe), and truncates with O_TRUNC.  O_PATH opens a place, not a file:
 * only search permission matters, and the descriptor serves fchdir,
 * fstat and the *at calls.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs_struct.h>
#include <kestrel/mount.h>
#include <kestrel/namei.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <uapi/linux/fcntl.h>

#include "internal.h"

static const struct file_operations empty_fops;

/* The flags open(2) accepts; others are ignored, as Linux does. */
#define VALID_OPEN_FLAGS \
	(O_RDONLY | O_WRONLY | O_RDWR | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | \
	 O_APPEND | O_NONBLOCK | O_DSYNC | FASYNC | O_DIRECT | O_LARGEFILE | \
	 O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | __O_SYNC | O_PATH | \
	 __O_TMPFILE)
#define O_PATH_FLAGS	(O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)

/* What to check before opening: MAY_* from the access mode and O_TRUNC. */
int build_open_flags(int flags, umode_t mode, int *acc_mode)
{
	int acc;

	(void)mode;
	if ((flags & O_PATH) && !(flags & __O_TMPFILE)) {
		*acc_mode = 0;
		return 0;
	}
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		acc = MAY_READ;
		break;
	case O_WRONLY:
		acc = MAY_WRITE;
		break;
	default:		/* O_RDWR, and 3 (checked as both, like Linux) */
		acc = MAY_READ | MAY_WRITE;
		break;
	}
	if (flags & O_TRUNC)
		acc |= MAY_WRITE;
	if (flags & O_APPEND)
		acc |= MAY_APPEND;
	/* open(2): O_TMPFILE is __O_TMPFILE | O_DIRECTORY, without O_CREAT
	 * or O_PATH, and opens for writing. */
	if ((flags & __O_TMPFILE) &&
	    ((flags & (O_TMPFILE | O_CREAT | O_PATH)) != O_TMPFILE ||
	     !(acc & MAY_WRITE)))
		return -EINVAL;
	*acc_mode = acc;
	return 0;
}

/* open(2)'s checks of an existing file against the access asked for. */
static int may_open(const struct path *path, int acc_mode, int flags)
{
	struct inode *inode = path->dentry->d_inode;
	umode_t mode = inode->i_mode;

	if (S_ISLNK(mode))
		return -ELOOP;
	if (S_ISDIR(mode) && (acc_mode & MAY_WRITE))
		return -EISDIR;
	if (S_ISSOCK(mode))
		return -ENXIO;
	if ((S_ISCHR(mode) || S_ISBLK(mode)) &&
	    (path->mnt->mnt_flags & MNT_NODEV))
		return -EACCES;
	if ((acc_mode & MAY_WRITE) && (S_ISREG(mode) || S_ISDIR(mode)) &&
	    mnt_is_readonly(path->mnt))
		return -EROFS;
	if ((flags & O_NOATIME) && !inode_owner_or_capable(inode))
		return -EPERM;
	return inode_permission(inode, acc_mode);
}

int do_dentry_open(struct file *file, struct inode *inode)
{
	if (file->f_op && file->f_op->open)
		return file->f_op->open(inode, file);
	return 0;
}

struct file *vfs_open_path(const struct path *path, unsigned int flags)
{
	struct inode *inode = path->dentry->d_inode;
	struct file *file;
	int err;

	if (flags & O_PATH)
		return alloc_file(path, flags & O_PATH_FLAGS, &empty_fops);
	file = alloc_file(path, flags, inode->i_fop);
	if (IS_ERR(file))
		return file;
	if (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode))
		file->f_mode |= FMODE_ATOMIC_POS;
	err = 0;
	if (S_ISREG(inode->i_mode) && (file->f_mode & FMODE_WRITE)) {
		err = get_write_access(inode);	/* ETXTBSY: a program runs it */
		if (!err)
			file->f_mode |= FMODE_WRITER;
	}
	if (!err)
		err = do_dentry_open(file, inode);
	file->f_flags &= ~O_NOCTTY;	/* a terminal's ->open has read it */
	if (err) {
		file->f_op = NULL;	/* no ->release for a failed open */
		fput(file);
		return ERR_PTR(err);
	}
	return file;
}

/*
 * open(2) with O_TMPFILE: a file with no name in the directory @name,
 * on its file system (EOPNOTSUPP where the file system cannot); it goes
 * away at its last close unless linkat(2) names it first, which
 * O_EXCL forbids.  The directory is written to: EACCES without write and
 * search permission, EROFS on a read-only mount.
 */
static struct file *do_tmpfile(int dfd, const char *name, int flags,
			       umode_t mode)
{
	struct qstr qname = { .name = "#tmpfile", .len = 8 };
	struct path dir, path;
	struct inode *inode;
	struct file *file;
	struct dentry *d;
	int err;

	err = filename_lookup(dfd, name, (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW,
			      &dir);
	if (err)
		return ERR_PTR(err);
	inode = dir.dentry->d_inode;
	err = -ENOTDIR;
	if (!S_ISDIR(inode->i_mode))
		goto out;
	err = inode_permission(inode, MAY_WRITE | MAY_EXEC);
	if (!err && mnt_is_readonly(dir.mnt))
		err = -EROFS;
	if (!err && (!inode->i_op || !inode->i_op->tmpfile))
		err = -EOPNOTSUPP;
	if (err)
		goto out;
	err = -ENOMEM;
	d = d_alloc(dir.dentry, &qname);
	if (!d)
		goto out;
	mutex_lock(&inode->i_mutex);
	err = inode->i_op->tmpfile(inode, d, mode);
	mutex_unlock(&inode->i_mutex);
	if (err) {
		dput(d);
		goto out;
	}
	if (!(flags & O_EXCL))
		d->d_inode->i_state |= I_LINKABLE;
	path.mnt = mntget(dir.mnt);
	path.dentry = d;
	file = vfs_open_path(&path, flags & ~O_DIRECTORY);
	path_put(&path);
	path_put(&dir);
	return file;
out:
	path_put(&dir);
	return ERR_PTR(err);
}

/* Create the missing @dentry in the locked directory of @nd. */
static int open_create(struct nameidata *nd, struct dentry *dentry,
		       umode_t mode)
{
	if (mnt_is_readonly(nd->path.mnt))
		return -EROFS;
	return vfs_create(nd->path.dentry->d_inode, dentry, mode);
}

/*
 * The last component of an open: 0 with *@path the file (*@created if
 * made now), 1 when a symlink was spliced in (walk *@rest), or -errno.
 */
static int open_last(struct nameidata *nd, int flags, umode_t mode,
		     struct path *path, bool *created, const char **rest)
{
	struct dentry *dir = nd->path.dentry, *d;
	int err;

	if (!(flags & O_CREAT) || nd->last_type != LAST_NORM) {
		if ((flags & O_CREAT) && nd->last_type != LAST_ROOT)
			return -EISDIR;		/* ".", ".." */
		err = walk_last(nd, path);
		goto found;
	}
	if (nd->flags & LOOKUP_SLASH)
		return -EISDIR;
	mutex_lock(&dir->d_inode->i_mutex);
	d = lookup_one_qstr(dir, &nd->last);
	if (IS_ERR(d)) {
		mutex_unlock(&dir->d_inode->i_mutex);
		return PTR_ERR(d);
	}
	if (d_is_negative(d)) {
		err = open_create(nd, d, mode);
		mutex_unlock(&dir->d_inode->i_mutex);
		if (err) {
			dput(d);
			return err;
		}
		path->mnt = mntget(nd->path.mnt);
		path->dentry = d;
		*created = true;
		return 0;
	}
	mutex_unlock(&dir->d_inode->i_mutex);
	if (flags & O_EXCL) {
		dput(d);
		return -EEXIST;
	}
	path->mnt = mntget(nd->path.mnt);
	path->dentry = d;
	follow_mount(path);
	err = 0;
found:
	if (err)
		return err;
	if (d_is_symlink(path->dentry)) {
		if ((flags & O_PATH) && (flags & O_NOFOLLOW))
			return 0;		/* the link itself */
		if ((flags & O_NOFOLLOW) && !(nd->flags & LOOKUP_SLASH)) {
			path_put(path);
			return -ELOOP;
		}
		err = pick_link(nd, path, "", rest);
		return err ? err : 1;
	}
	if ((flags & O_CREAT) && S_ISDIR(path->dentry->d_inode->i_mode)) {
		path_put(path);
		return -EISDIR;
	}
	return 0;
}

struct file *do_filp_open(int dfd, const char *name, int flags, umode_t mode)
{
	struct nameidata nd;
	struct file *file = NULL;
	const char *s = name;
	bool created = false;
	struct path path;
	int acc_mode, err;

	flags &= VALID_OPEN_FLAGS;
	err = build_open_flags(flags, mode, &acc_mode);
	if (err)
		return ERR_PTR(err);
	if (flags & O_PATH)
		flags &= O_PATH_FLAGS;
	if (flags & (O_CREAT | __O_TMPFILE))
		mode = (mode & S_IALLUGO) & ~current_umask();
	if (!*name)
		return ERR_PTR(-ENOENT);
	if (flags & __O_TMPFILE)
		return do_tmpfile(dfd, name, flags, mode);
	err = path_init(&nd, dfd, name, (flags & O_DIRECTORY) ? LOOKUP_DIRECTORY : 0);
	while (!err) {
		err = link_path_walk(&nd, s);
		if (!err)
			err = open_last(&nd, flags, mode, &path, &created, &s);
		if (err <= 0)
			break;
		err = 0;		/* a symlink: walk its target */
	}
	if (err)
		goto out;
	err = -ENOTDIR;
	if ((nd.flags & (LOOKUP_DIRECTORY | LOOKUP_SLASH)) &&
	    !S_ISDIR(path.dentry->d_inode->i_mode))
		goto out_path;
	if (!created && !(flags & O_PATH)) {
		err = may_open(&path, acc_mode, flags);
		if (err)
			goto out_path;
	}
	file = vfs_open_path(&path, flags);
	err = 0;
	if (!IS_ERR(file) && !created && (flags & O_TRUNC) &&
	    S_ISREG(path.dentry->d_inode->i_mode)) {
		err = do_truncate(path.dentry, 0, 0);
		if (err) {
			fput(file);
			file = NULL;
		}
	}
out_path:
	path_put(&path);
out:
	nameidata_done(&nd);
	return err ? ERR_PTR(err) : file;
}

struct file *filp_open(const char *name, int flags, umode_t mode)
{
	return do_filp_open(AT_FDCWD, name, flags, mode);
}

void filp_close(struct file *file)
{
	fput(file);
}

int do_truncate(struct dentry *dentry, loff_t length, unsigned int extra)
{
	struct inode *inode = dentry->d_inode;
	struct iattr attr = { .ia_valid = ATTR_SIZE | ATTR_MTIME | extra,
			      .ia_size = length };
	int err;

	if (length < 0)
		return -EINVAL;
	if (length > inode->i_sb->s_maxbytes)
		return -EFBIG;
	mutex_lock(&inode->i_mutex);
	err = notify_change(dentry, &attr);
	mutex_unlock(&inode->i_mutex);
	return err;
}

int vfs_truncate(const struct path *path, loff_t length)
{
	struct inode *inode = path->dentry->d_inode;
	int err;

	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	if (mnt_is_readonly(path->mnt))
		return -EROFS;
	err = inode_permission(inode, MAY_WRITE);
	if (err)
		return err;
	err = get_write_access(inode);	/* ETXTBSY: a program runs it */
	if (err)
		return err;
	err = do_truncate(path->dentry, length, 0);
	put_write_access(inode);
	return err;
}

/* --- the system calls ---------------------------------------------------------- */

static long do_sys_open(int dfd, const char __user *filename, int flags,
			umode_t mode)
{
	char *name = getname(filename);
	struct file *file;
	long fd;

	if (IS_ERR(name))
		return PTR_ERR(name);
	fd = get_unused_fd_flags(flags);	/* EMFILE before ENOENT, as Linux */
	if (fd >= 0) {
		file = do_filp_open(dfd, name, flags | O_LARGEFILE, mode);
		if (IS_ERR(file)) {
			put_unused_fd(fd);
			fd = PTR_ERR(file);
		} else {
			fd_install(fd, file);
		}
	}
	putname(name);
	return fd;
}

long sys_open(const char __user *filename, int flags, umode_t mode)
{
	return do_sys_open(AT_FDCWD, filename, flags, mode);
}

long sys_openat(int dfd, const char __user *filename, int flags, umode_t mode)
{
	return do_sys_open(dfd, filename, flags, mode);
}

long sys_creat(const char __user *pathname, umode_t mode)
{
	return do_sys_open(AT_FDCWD, pathname, O_CREAT | O_WRONLY | O_TRUNC, mode);
}
