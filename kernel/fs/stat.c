/*
 * stat.c — what stat(2), lstat(2), fstat(2), newfstatat(2), statx(2),
 * statfs(2), fstatfs(2), readlink(2) and readlinkat(2) report.
 *
 * Everything comes from the inode (vfs_getattr), translated into the
 * structures of the ABI: struct stat (asm/stat.h) with device numbers in
 * the "new" encoding (uapi/linux/kdev_t.h), struct statx with the mask
 * of fields filled, struct statfs from the file system's ->statfs.
 *
 * The *at calls take AT_SYMLINK_NOFOLLOW (lstat: report the link
 * itself), AT_EMPTY_PATH (an empty name means the descriptor itself,
 * O_PATH descriptors included); any other flag is EINVAL.
 */
#include <uapi/asm/stat.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/mount.h>
#include <kestrel/namei.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/linux/kdev_t.h>
#include <uapi/linux/statfs.h>

#include "internal.h"

int vfs_getattr(const struct path *path, struct kstat *stat)
{
	struct inode *inode = path->dentry->d_inode;

	memset(stat, 0, sizeof(*stat));
	stat->result_mask = STATX_BASIC_STATS | STATX_MNT_ID;
	stat->mode = inode->i_mode;
	stat->nlink = inode->i_nlink;
	stat->uid = inode->i_uid;
	stat->gid = inode->i_gid;
	stat->ino = inode->i_ino;
	stat->dev = inode->i_sb->s_dev;
	stat->rdev = inode->i_rdev;
	stat->size = inode->i_size;
	stat->atime = inode->i_atime;
	stat->mtime = inode->i_mtime;
	stat->ctime = inode->i_ctime;
	stat->blocks = inode->i_blocks;
	stat->blksize = inode->i_sb->s_blocksize;
	stat->mnt_id = path->mnt ? path->mnt->mnt_id : 0;
	return 0;
}

/* A file with no inode: the console of a process without a descriptor
 * table (kestrel/tty.h) is a character device, 5:1. */
static int file_getattr(struct file *file, struct kstat *stat)
{
	if (file->f_inode)
		return vfs_getattr(&file->f_path, stat);
	memset(stat, 0, sizeof(*stat));
	stat->result_mask = STATX_BASIC_STATS;
	stat->mode = S_IFCHR | 0600;
	stat->nlink = 1;
	stat->rdev = MKDEV(5, 1);
	stat->blksize = 1024;
	return 0;
}

static u32 encode_dev(dev_t dev)
{
	return new_encode_dev_parts(MAJOR(dev), MINOR(dev));
}

static int cp_new_stat(const struct kstat *k, struct stat __user *ubuf)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_dev = encode_dev(k->dev);
	st.st_ino = k->ino;
	st.st_nlink = k->nlink;
	st.st_mode = k->mode;
	st.st_uid = k->uid;
	st.st_gid = k->gid;
	st.st_rdev = encode_dev(k->rdev);
	st.st_size = k->size;
	st.st_blksize = k->blksize;
	st.st_blocks = k->blocks;
	st.st_atime = k->atime.tv_sec;
	st.st_atime_nsec = k->atime.tv_nsec;
	st.st_mtime = k->mtime.tv_sec;
	st.st_mtime_nsec = k->mtime.tv_nsec;
	st.st_ctime = k->ctime.tv_sec;
	st.st_ctime_nsec = k->ctime.tv_nsec;
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

/* stat of an open descriptor (fstat, and the *at calls with ""). */
static int fd_getattr(int fd, struct kstat *stat)
{
	struct file *file = fget_raw(fd);
	int err;

	if (!file)
		return -EBADF;
	err = file_getattr(file, stat);
	fput(file);
	return err;
}

/* The *at calls' common part: @flags are AT_* (already checked). */
static int vfs_statx(int dfd, const char __user *uname, int flags,
		     struct kstat *stat)
{
	unsigned int how = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	char *name = getname_flags(uname, (flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0);
	struct path path;
	int err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	if (!*name && dfd != AT_FDCWD) {
		putname(name);
		return fd_getattr(dfd, stat);
	}
	err = filename_lookup(dfd, name, how | LOOKUP_EMPTY, &path);
	putname(name);
	if (err)
		return err;
	err = vfs_getattr(&path, stat);
	path_put(&path);
	return err;
}

long sys_newstat(const char __user *filename, struct stat __user *statbuf)
{
	struct kstat k;
	int err = vfs_statx(AT_FDCWD, filename, 0, &k);

	return err ? err : cp_new_stat(&k, statbuf);
}

long sys_newlstat(const char __user *filename, struct stat __user *statbuf)
{
	struct kstat k;
	int err = vfs_statx(AT_FDCWD, filename, AT_SYMLINK_NOFOLLOW, &k);

	return err ? err : cp_new_stat(&k, statbuf);
}

long sys_newfstat(unsigned int fd, struct stat __user *statbuf)
{
	struct kstat k;
	int err = fd_getattr(fd, &k);

	return err ? err : cp_new_stat(&k, statbuf);
}

long sys_newfstatat(int dfd, const char __user *filename,
		    struct stat __user *statbuf, int flag)
{
	struct kstat k;
	int err;

	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return -EINVAL;
	err = vfs_statx(dfd, filename, flag, &k);
	return err ? err : cp_new_stat(&k, statbuf);
}

static struct statx_timestamp statx_ts(struct timespec64 t)
{
	struct statx_timestamp s = { .tv_sec = t.tv_sec, .tv_nsec = t.tv_nsec };

	return s;
}

long sys_statx(int dfd, const char __user *filename, unsigned int flags,
	       unsigned int mask, struct statx __user *buffer)
{
	struct statx sx;
	struct kstat k;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH |
		      AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE ||
	    (mask & STATX__RESERVED))
		return -EINVAL;
	err = vfs_statx(dfd, filename, flags, &k);
	if (err)
		return err;
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = k.result_mask;
	sx.stx_blksize = k.blksize;
	sx.stx_nlink = k.nlink;
	sx.stx_uid = k.uid;
	sx.stx_gid = k.gid;
	sx.stx_mode = k.mode;
	sx.stx_ino = k.ino;
	sx.stx_size = k.size;
	sx.stx_blocks = k.blocks;
	sx.stx_atime = statx_ts(k.atime);
	sx.stx_mtime = statx_ts(k.mtime);
	sx.stx_ctime = statx_ts(k.ctime);
	sx.stx_rdev_major = MAJOR(k.rdev);
	sx.stx_rdev_minor = MINOR(k.rdev);
	sx.stx_dev_major = MAJOR(k.dev);
	sx.stx_dev_minor = MINOR(k.dev);
	sx.stx_mnt_id = k.mnt_id;
	return copy_to_user(buffer, &sx, sizeof(sx)) ? -EFAULT : 0;
}

/* --- statfs ---------------------------------------------------------------- */

int vfs_statfs(const struct path *path, struct kstatfs *buf)
{
	struct super_block *sb = path->dentry->d_sb;
	int err;

	memset(buf, 0, sizeof(*buf));
	if (!sb->s_op || !sb->s_op->statfs)
		return -ENOSYS;
	err = sb->s_op->statfs(path->dentry, buf);
	if (!err) {
		buf->f_flags = ST_VALID;
		if (mnt_is_readonly(path->mnt))
			buf->f_flags |= ST_RDONLY;
		if (path->mnt->mnt_flags & MNT_NOSUID)
			buf->f_flags |= ST_NOSUID;
		if (path->mnt->mnt_flags & MNT_NODEV)
			buf->f_flags |= ST_NODEV;
		if (path->mnt->mnt_flags & MNT_NOEXEC)
			buf->f_flags |= ST_NOEXEC;
	}
	return err;
}

static int cp_statfs(const struct path *path, struct statfs __user *ubuf)
{
	struct kstatfs k;
	struct statfs st;
	int err = vfs_statfs(path, &k);

	if (err)
		return err;
	memset(&st, 0, sizeof(st));
	st.f_type = k.f_type;
	st.f_bsize = st.f_frsize = k.f_bsize;
	st.f_blocks = k.f_blocks;
	st.f_bfree = k.f_bfree;
	st.f_bavail = k.f_bavail;
	st.f_files = k.f_files;
	st.f_ffree = k.f_ffree;
	st.f_fsid.val[0] = path->dentry->d_sb->s_dev;
	st.f_namelen = k.f_namelen;
	st.f_flags = k.f_flags;
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

long sys_statfs(const char __user *pathname, struct statfs __user *buf)
{
	struct path path;
	int err = user_path_at(AT_FDCWD, pathname, LOOKUP_FOLLOW, &path);

	if (err)
		return err;
	err = cp_statfs(&path, buf);
	path_put(&path);
	return err;
}

long sys_fstatfs(unsigned int fd, struct statfs __user *buf)
{
	struct file *file = fget_raw(fd);
	int err;

	if (!file)
		return -EBADF;
	err = file->f_inode ? cp_statfs(&file->f_path, buf) : -ENOSYS;
	fput(file);
	return err;
}

/* --- readlink -------------------------------------------------------------- */

long sys_readlinkat(int dfd, const char __user *pathname, char __user *buf,
		    int bufsiz)
{
	struct path path;
	char *kbuf;
	int err;

	if (bufsiz <= 0)
		return -EINVAL;
	err = user_path_at(dfd, pathname, LOOKUP_EMPTY, &path);
	if (err)
		return err;
	kbuf = kmalloc(PATH_MAX, GFP_KERNEL);
	err = kbuf ? vfs_readlink(path.dentry, kbuf, MIN(bufsiz, PATH_MAX)) : -ENOMEM;
	if (err > 0 && copy_to_user(buf, kbuf, err))
		err = -EFAULT;
	kfree(kbuf);
	path_put(&path);
	return err;
}

long sys_readlink(const char __user *path, char __user *buf, int bufsiz)
{
	return sys_readlinkat(AT_FDCWD, path, buf, bufsiz);
}
