/*
 * read_write.c — moving bytes through open files: the VFS half of
 * read(2), write(2), lseek(2) and their vector and positioned forms
 * (kestrel/fs.h).  The system calls themselves are in rw_syscalls.c.
 *
 * vfs_read/vfs_write check that the file was opened for the direction
 * (EBADF), that it has the operation (EINVAL), clamp the count to
 * MAX_RW_COUNT (read(2): "transfer at most 0x7ffff000 bytes"), and call
 * the file's ->read_iter/->write_iter with an iterator over the caller's
 * buffers.  The file offset is the caller's business: read(2) passes
 * &file->f_pos under f_pos_lock, pread64(2) a local copy.
 *
 * Seeking follows lseek(2): a file without ->llseek (a pipe, a
 * terminal) is ESPIPE; a negative result is EINVAL; SEEK_DATA and
 * SEEK_HOLE treat the whole file as data (allowed: "the simplest
 * implementation").
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/uio.h>

#include "internal.h"

ssize_t vfs_read(struct file *file, struct iov_iter *iter, loff_t *pos)
{
	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	if (file->f_inode && S_ISDIR(file->f_inode->i_mode))
		return -EISDIR;		/* read(2) of a directory */
	if (!file->f_op || !file->f_op->read_iter)
		return -EINVAL;
	if (*pos < 0)
		return -EINVAL;
	iov_iter_truncate(iter, MAX_RW_COUNT);
	if (!iov_iter_count(iter))
		return 0;
	return file->f_op->read_iter(file, iter, pos);
}

ssize_t vfs_write(struct file *file, struct iov_iter *iter, loff_t *pos)
{
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!file->f_op || !file->f_op->write_iter)
		return -EINVAL;
	if (*pos < 0)
		return -EINVAL;
	iov_iter_truncate(iter, MAX_RW_COUNT);
	if (!iov_iter_count(iter))
		return 0;
	return file->f_op->write_iter(file, iter, pos);
}

ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos)
{
	struct iovec iov;
	struct iov_iter it;

	iov_iter_init_single(&it, false, buf, count, &iov);
	return vfs_read(file, &it, pos);
}

ssize_t kernel_write(struct file *file, const void *buf, size_t count,
		     loff_t *pos)
{
	struct iovec iov;
	struct iov_iter it;

	iov_iter_init_single(&it, false, (void *)buf, count, &iov);
	return vfs_write(file, &it, pos);
}

loff_t generic_file_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t size = file->f_inode->i_size, pos;

	switch (whence) {
	case SEEK_SET:
		pos = offset;
		break;
	case SEEK_CUR:
		pos = file->f_pos + offset;
		break;
	case SEEK_END:
		pos = size + offset;
		break;
	case SEEK_DATA:
		if (offset < 0 || offset >= size)
			return -ENXIO;
		pos = offset;
		break;
	case SEEK_HOLE:
		if (offset < 0 || offset >= size)
			return -ENXIO;
		pos = size;		/* the implicit hole at the end */
		break;
	default:
		return -EINVAL;
	}
	if (pos < 0 || pos > file->f_inode->i_sb->s_maxbytes)
		return -EINVAL;
	file->f_pos = pos;
	return pos;
}

loff_t no_llseek(struct file *file, loff_t offset, int whence)
{
	return -ESPIPE;
}

loff_t vfs_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t ret;

	if (!file->f_op || !file->f_op->llseek)
		return -ESPIPE;
	if (whence < SEEK_SET || whence > SEEK_HOLE)
		return -EINVAL;
	mutex_lock(&file->f_pos_lock);
	ret = file->f_op->llseek(file, offset, whence);
	mutex_unlock(&file->f_pos_lock);
	return ret;
}
