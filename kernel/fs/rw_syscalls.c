/*
 * rw_syscalls.c — the system calls that move bytes: read(2), write(2),
 * pread64(2), pwrite64(2), readv(2), writev(2), preadv(2), pwritev(2),
 * lseek(2), sendfile(2), copy_file_range(2), and those that settle a
 * file's size or its storage: truncate(2), ftruncate(2), fsync(2),
 * fdatasync(2), sync(2), syncfs(2).
 *
 * Checks come in Linux's order, so each failure has the man page's
 * errno: a descriptor that is not open, or not open for this direction,
 * is EBADF; a file without the operation EINVAL; a bad buffer EFAULT;
 * a positioned call on a pipe or terminal ESPIPE.  The offset of read
 * and write is the open file's, updated under f_pos_lock so that two
 * threads sharing a file never read the same bytes; the positioned calls
 * leave it alone.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/namei.h>
#include <kestrel/slab.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <kestrel/uio.h>

#include "internal.h"

/* Read or write @it at the file's offset (@ppos NULL) or at *@ppos;
 * the offset used moves past what was moved. */
static ssize_t file_rw(struct file *file, struct iov_iter *it, bool write,
		       loff_t *ppos)
{
	bool lock = !ppos && (file->f_mode & FMODE_ATOMIC_POS);
	loff_t pos;
	ssize_t ret;

	if (ppos && (!file->f_op || !file->f_op->llseek))
		return -ESPIPE;
	if (lock)
		mutex_lock(&file->f_pos_lock);
	pos = ppos ? *ppos : file->f_pos;
	ret = write ? vfs_write(file, it, &pos) : vfs_read(file, it, &pos);
	if (ret >= 0) {
		if (ppos)
			*ppos = pos;
		else
			file->f_pos = pos;
	}
	if (lock)
		mutex_unlock(&file->f_pos_lock);
	return ret;
}

/* read/write/pread/pwrite on one user buffer. */
static ssize_t ksys_rw(unsigned int fd, void __user *buf, size_t count,
		       bool write, loff_t *ppos)
{
	struct file *file = fget(fd);
	struct iovec iov;
	struct iov_iter it;
	ssize_t ret;

	if (!file)
		return -EBADF;
	ret = -EBADF;
	if (!(file->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		goto out;
	ret = -EFAULT;
	if (!access_ok(buf, count))
		goto out;
	iov_iter_init_single(&it, true, buf, MIN(count, MAX_RW_COUNT), &iov);
	ret = file_rw(file, &it, write, ppos);
out:
	fput(file);
	return ret;
}

long sys_read(unsigned int fd, char __user *buf, size_t count)
{
	return ksys_rw(fd, buf, count, false, NULL);
}

long sys_write(unsigned int fd, const char __user *buf, size_t count)
{
	return ksys_rw(fd, (void __user *)buf, count, true, NULL);
}

long sys_pread64(unsigned int fd, char __user *buf, size_t count, loff_t pos)
{
	if (pos < 0)
		return -EINVAL;
	return ksys_rw(fd, buf, count, false, &pos);
}

long sys_pwrite64(unsigned int fd, const char __user *buf, size_t count,
		  loff_t pos)
{
	if (pos < 0)
		return -EINVAL;
	return ksys_rw(fd, (void __user *)buf, count, true, &pos);
}

/* The vector calls: readv, writev, preadv, pwritev. */
static ssize_t ksys_rwv(unsigned long fd, const struct iovec __user *vec,
			unsigned long vlen, bool write, loff_t *ppos)
{
	struct iovec fast[UIO_FASTIOV], *iov;
	struct file *file = fget(fd);
	struct iov_iter it;
	ssize_t ret;

	if (!file)
		return -EBADF;
	ret = -EBADF;
	if (!(file->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		goto out;
	ret = import_iovec(vec, vlen, fast, &iov, &it);
	if (ret >= 0)
		ret = file_rw(file, &it, write, ppos);
	kfree(iov);
out:
	fput(file);
	return ret;
}

long sys_readv(unsigned long fd, const struct iovec __user *vec,
	       unsigned long vlen)
{
	return ksys_rwv(fd, vec, vlen, false, NULL);
}

long sys_writev(unsigned long fd, const struct iovec __user *vec,
		unsigned long vlen)
{
	return ksys_rwv(fd, vec, vlen, true, NULL);
}

long sys_preadv(unsigned long fd, const struct iovec __user *vec,
		unsigned long vlen, unsigned long pos_l, unsigned long pos_h)
{
	loff_t pos = pos_l;	/* 64-bit: the low word is the whole offset */

	if (pos < 0)
		return -EINVAL;
	return ksys_rwv(fd, vec, vlen, false, &pos);
}

long sys_pwritev(unsigned long fd, const struct iovec __user *vec,
		 unsigned long vlen, unsigned long pos_l, unsigned long pos_h)
{
	loff_t pos = pos_l;

	if (pos < 0)
		return -EINVAL;
	return ksys_rwv(fd, vec, vlen, true, &pos);
}

long sys_lseek(unsigned int fd, loff_t offset, unsigned int whence)
{
	struct file *file = fget(fd);
	loff_t ret;

	if (!file)
		return -EBADF;
	ret = whence > SEEK_HOLE ? -EINVAL : vfs_llseek(file, offset, whence);
	fput(file);
	return ret;
}

/* --- copying between files ---------------------------------------------------- */

#define COPY_CHUNK	PAGE_SIZE

/*
 * Copy up to @count bytes from @in at *@in_pos (NULL: its offset) to
 * @out at *@out_pos (NULL: its offset), through a kernel page.  Returns
 * the bytes copied, or -errno if none were.
 */
static ssize_t copy_through(struct file *in, loff_t *in_pos, struct file *out,
			    loff_t *out_pos, size_t count)
{
	char *buf = kmalloc(COPY_CHUNK, GFP_KERNEL);
	struct iovec iov;
	struct iov_iter it;
	ssize_t done = 0, n, w;

	if (!buf)
		return -ENOMEM;
	count = MIN(count, MAX_RW_COUNT);
	while ((size_t)done < count) {
		iov_iter_init_single(&it, false, buf, MIN(COPY_CHUNK, count - done), &iov);
		n = file_rw(in, &it, false, in_pos);
		if (n <= 0) {
			if (!done)
				done = n;
			break;
		}
		iov_iter_init_single(&it, false, buf, n, &iov);
		w = file_rw(out, &it, true, out_pos);
		if (w <= 0) {
			if (!done)
				done = w;
			break;
		}
		done += w;
		if (w < n)
			break;		/* the reader's extra bytes are lost, as on a short write */
	}
	kfree(buf);
	return done;
}

long sys_sendfile64(int out_fd, int in_fd, loff_t __user *offset, size_t count)
{
	struct file *in = fget(in_fd), *out = fget(out_fd);
	loff_t pos;
	ssize_t ret = -EBADF;

	if (!in || !out || !(in->f_mode & FMODE_READ) ||
	    !(out->f_mode & FMODE_WRITE))
		goto out;
	ret = -EINVAL;
	if (out->f_flags & O_APPEND)
		goto out;
	/*
	 * sendfile(2): in_fd must allow "mmap-like operations", else EINVAL:
	 * a file with data at offsets, not a stream.  Copying from a stream
	 * (a tty, a pipe) in a loop would also swallow its end-of-file: a
	 * tty's VEOF after a line, read by the loop's second pass, would be
	 * lost to the caller.
	 */
	if (!S_ISREG(in->f_inode->i_mode) && !S_ISBLK(in->f_inode->i_mode))
		goto out;
	ret = -EFAULT;
	if (offset && get_user(pos, offset))
		goto out;
	ret = -EINVAL;
	if (offset && pos < 0)
		goto out;
	ret = copy_through(in, offset ? &pos : NULL, out, NULL, count);
	if (offset && ret >= 0 && put_user(pos, offset))
		ret = -EFAULT;
out:
	fput(in);
	fput(out);
	return ret;
}

/* copy_file_range(2)'s checks of the two files; 0 or -errno. */
static long cfr_check(struct file *in, struct file *out)
{
	if (!(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE) ||
	    (out->f_flags & O_APPEND))
		return -EBADF;
	if (S_ISDIR(in->f_inode->i_mode) || S_ISDIR(out->f_inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(in->f_inode->i_mode) || !S_ISREG(out->f_inode->i_mode))
		return -EINVAL;
	if (in->f_inode->i_sb->s_type != out->f_inode->i_sb->s_type)
		return -EXDEV;
	return 0;
}

long sys_copy_file_range(int fd_in, loff_t __user *off_in, int fd_out,
			 loff_t __user *off_out, size_t len, unsigned int flags)
{
	struct file *in = fget(fd_in), *out = fget(fd_out);
	loff_t pin, pout;
	long ret = -EBADF;

	if (!in || !out)
		goto out;
	ret = flags ? -EINVAL : cfr_check(in, out);
	if (ret)
		goto out;
	ret = -EFAULT;
	if ((off_in && get_user(pin, off_in)) || (off_out && get_user(pout, off_out)))
		goto out;
	pin = off_in ? pin : in->f_pos;
	pout = off_out ? pout : out->f_pos;
	ret = -EINVAL;
	if (pin < 0 || pout < 0 || (in->f_inode == out->f_inode &&
				    pin < pout + (loff_t)len && pout < pin + (loff_t)len))
		goto out;		/* overlapping ranges of one file */
	ret = copy_through(in, off_in ? &pin : NULL, out, off_out ? &pout : NULL, len);
	if (ret >= 0 && ((off_in && put_user(pin, off_in)) ||
			 (off_out && put_user(pout, off_out))))
		ret = -EFAULT;
out:
	fput(in);
	fput(out);
	return ret;
}

/* --- size and storage -------------------------------------------------------- */

long sys_ftruncate(unsigned int fd, loff_t length)
{
	struct file *file = fget(fd);
	long err;

	if (!file)
		return -EBADF;
	err = -EINVAL;
	if (length >= 0 && file->f_inode && S_ISREG(file->f_inode->i_mode) &&
	    (file->f_mode & FMODE_WRITE))
		err = do_truncate(file->f_path.dentry, length, ATTR_CTIME);
	fput(file);
	return err;
}

long sys_truncate(const char __user *pathname, long length)
{
	struct path path;
	long err;

	if (length < 0)
		return -EINVAL;
	err = user_path_at(AT_FDCWD, pathname, LOOKUP_FOLLOW, &path);
	if (err)
		return err;
	err = vfs_truncate(&path, length);
	path_put(&path);
	return err;
}

static long do_fsync(unsigned int fd, int datasync)
{
	struct file *file = fget(fd);
	long err;

	if (!file)
		return -EBADF;
	err = file->f_op && file->f_op->fsync ? file->f_op->fsync(file, datasync) :
	      -EINVAL;
	fput(file);
	return err;
}

long sys_fsync(unsigned int fd)
{
	return do_fsync(fd, 0);
}

long sys_fdatasync(unsigned int fd)
{
	return do_fsync(fd, 1);
}

long sys_sync(void)
{
	return 0;	/* every file system is in memory until lab 10 */
}

long sys_syncfs(int fd)
{
	struct file *file = fget(fd);

	if (!file)
		return -EBADF;
	fput(file);
	return 0;
}
