/*
 * readdir.c — reading directories: iterate_dir and getdents64(2).
 *
 * A directory's file operation ->iterate emits entries from the file's
 * position on (kestrel/fs.h, struct dir_context); getdents64 packs them
 * into the caller's buffer as struct linux_dirent64 records
 * (uapi/linux/dirent.h): 8-byte aligned, each with the inode number, the
 * type, the name with its NUL, and d_off — the position of the *next*
 * entry, which lseek(2) can return to.  A record that does not fit stops
 * the call; the next call starts with it.  A buffer too small for even
 * one record is EINVAL, an ended directory returns 0 (getdents(2)).
 *
 * The directory's i_mutex is held during ->iterate, so entries are not
 * added or removed while the file system walks them.
 */
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/linux/dirent.h>

#include "internal.h"

int iterate_dir(struct file *file, struct dir_context *ctx)
{
	struct inode *inode = file->f_inode;
	int err = -ENOTDIR;

	if (!file->f_op || !file->f_op->iterate)
		return err;
	mutex_lock(&inode->i_mutex);
	err = -ENOENT;
	if (inode->i_nlink || !S_ISDIR(inode->i_mode)) {	/* not removed */
		ctx->pos = file->f_pos;
		err = file->f_op->iterate(file, ctx);
		file->f_pos = ctx->pos;
		file_accessed(file);
	}
	mutex_unlock(&inode->i_mutex);
	return err;
}

/**
 * struct getdents_callback - getdents64's state while ->iterate runs
 * @ctx: the dir_context (first, so the actor finds us)
 * @current_dir: where the next record goes (user memory)
 * @prev: the last record written, whose d_off we fill in next
 * @count: bytes left in the buffer
 * @error: why we stopped (-EINVAL: the first record did not fit)
 */
struct getdents_callback {
	struct dir_context ctx;
	char __user *current_dir;
	struct linux_dirent64 __user *prev;
	int count;
	int error;
};

static bool filldir64(struct dir_context *ctx, const char *name, int namlen,
		      u64 ino, unsigned int type)
{
	struct getdents_callback *buf = container_of(ctx, struct getdents_callback, ctx);
	int reclen = ALIGN_UP(offsetof(struct linux_dirent64, d_name) + namlen + 1, 8);
	struct linux_dirent64 d;
	char __user *p = buf->current_dir;

	if (reclen > buf->count) {
		buf->error = -EINVAL;	/* reported only if nothing fit */
		return false;
	}
	if (buf->prev && put_user((s64)ctx->pos, &buf->prev->d_off))
		goto fault;
	d.d_ino = ino;
	d.d_off = 0;		/* filled in by the next entry, or at the end */
	d.d_reclen = reclen;
	d.d_type = type;
	if (copy_to_user(p, &d, offsetof(struct linux_dirent64, d_name)) ||
	    copy_to_user(p + offsetof(struct linux_dirent64, d_name), name, namlen) ||
	    clear_user(p + offsetof(struct linux_dirent64, d_name) + namlen,
		       reclen - offsetof(struct linux_dirent64, d_name) - namlen))
		goto fault;
	buf->prev = (struct linux_dirent64 __user *)p;
	buf->current_dir = p + reclen;
	buf->count -= reclen;
	return true;
fault:
	buf->error = -EFAULT;
	return false;
}

long sys_getdents64(unsigned int fd, struct linux_dirent64 __user *dirent,
		    unsigned int count)
{
	struct getdents_callback buf = {
		.ctx.actor = filldir64,
		.current_dir = (char __user *)dirent,
		.count = MIN(count, (unsigned int)0x7ffff000),
	};
	struct file *file;
	int err;

	if (!access_ok(dirent, count))
		return -EFAULT;
	file = fget(fd);
	if (!file)
		return -EBADF;
	if (!file->f_inode) {
		fput(file);
		return -ENOTDIR;
	}
	mutex_lock(&file->f_pos_lock);
	err = iterate_dir(file, &buf.ctx);
	mutex_unlock(&file->f_pos_lock);
	if (!err && buf.prev) {
		if (put_user((s64)buf.ctx.pos, &buf.prev->d_off))
			err = -EFAULT;
		else
			err = count - buf.count;
	} else if (!err) {
		err = buf.error;	/* 0: the end; -EINVAL: too small */
	}
	fput(file);
	return err;
}
