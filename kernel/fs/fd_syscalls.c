/*
 * fd_syscalls.c — the system calls on descriptors themselves: close(2),
 * dup(2), dup2(2), dup3(2), fcntl(2), ioctl(2)'s generic part, pipe(2)
 * and pipe2(2) (the table is kestrel/fdtable.h's business).
 *
 * fcntl(2): F_DUPFD and F_DUPFD_CLOEXEC (the lowest free descriptor ≥
 * arg), F_GETFD/F_SETFD (FD_CLOEXEC), F_GETFL/F_SETFL (only O_APPEND,
 * O_NONBLOCK, O_ASYNC, O_DIRECT, O_NOATIME can change; the access mode
 * and creation flags are reported and ignored), F_GETPIPE_SZ and
 * F_SETPIPE_SZ; record locks (F_GETLK, F_SETLK, F_SETLKW and the F_OFD_
 * ones) are locks.c's; other commands are EINVAL.  ioctl(2): FIOCLEX, FIONCLEX and FIONBIO are
 * answered here for every file, the rest by the file (ENOTTY if it has
 * no ->ioctl).
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/filelock.h>
#include <kestrel/fs.h>
#include <kestrel/pipe_fs_i.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/linux/fs.h>
#include <uapi/linux/resource.h>

#include "internal.h"

long sys_close(unsigned int fd)
{
	return close_fd(fd);
}

/* A new descriptor ≥ @start for @file (a reference is taken). */
static long dupfd(struct file *file, unsigned int start, unsigned int flags)
{
	int fd;

	if (start >= task_rlimit(current, RLIMIT_NOFILE))
		return -EINVAL;		/* fcntl(2): arg out of range */
	fd = alloc_fd(start, flags);
	if (fd >= 0)
		fd_install(fd, get_file(file));
	return fd;
}

long sys_dup(unsigned int fildes)
{
	struct file *file = fget_raw(fildes);
	long fd;

	if (!file)
		return -EBADF;
	fd = alloc_fd(0, 0);
	if (fd >= 0)
		fd_install(fd, get_file(file));
	fput(file);
	return fd;
}

long sys_dup3(unsigned int oldfd, unsigned int newfd, int flags)
{
	struct file *file;
	long err;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;		/* dup3(2), unlike dup2 */
	file = fget_raw(oldfd);
	if (!file)
		return -EBADF;
	err = replace_fd(newfd, file, flags);
	fput(file);
	return err ? err : (long)newfd;
}

long sys_dup2(unsigned int oldfd, unsigned int newfd)
{
	struct file *file;

	if (oldfd == newfd) {		/* "does nothing, and returns newfd" */
		file = fget_raw(oldfd);
		if (!file)
			return -EBADF;
		fput(file);
		return newfd;
	}
	return sys_dup3(oldfd, newfd, 0);
}

#define SETFL_MASK	(O_APPEND | O_NONBLOCK | FASYNC | O_DIRECT | O_NOATIME)

static long setfl(struct file *file, unsigned long arg)
{
	if ((arg & O_NOATIME) && !inode_owner_or_capable(file->f_inode))
		return -EPERM;
	spin_lock(&file->f_lock);
	file->f_flags = (file->f_flags & ~SETFL_MASK) | (arg & SETFL_MASK);
	spin_unlock(&file->f_lock);
	return 0;
}

long sys_fcntl(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct file *file = fget_raw(fd);
	long err = -EINVAL;

	if (!file)
		return -EBADF;
	if ((file->f_mode & FMODE_PATH) && cmd != F_DUPFD &&
	    cmd != F_DUPFD_CLOEXEC && cmd != F_GETFD && cmd != F_SETFD &&
	    cmd != F_GETFL) {
		fput(file);
		return -EBADF;		/* O_PATH: only these work (open(2)) */
	}
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		err = dupfd(file, arg, cmd == F_DUPFD_CLOEXEC ? O_CLOEXEC : 0);
		break;
	case F_GETFD:
		err = get_close_on_exec(fd) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		set_close_on_exec(fd, arg & FD_CLOEXEC);
		err = 0;
		break;
	case F_GETFL:
		err = file->f_flags | (file->f_mode & FMODE_PATH ? O_PATH : 0);
		break;
	case F_SETFL:
		err = setfl(file, arg);
		break;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		err = pipe_fcntl(file, cmd, arg);
		break;
	case F_GETLK:
	case F_OFD_GETLK:
		err = fcntl_getlk(file, cmd, (struct flock __user *)arg);
		break;
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		err = fcntl_setlk(file, cmd, (struct flock __user *)arg);
		break;
	case F_GETOWN:
	case F_SETOWN:
		err = 0;
		break;
	}
	fput(file);
	return err;
}

long sys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct file *file = fget(fd);
	long err;
	int on;

	if (!file)
		return -EBADF;
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		set_close_on_exec(fd, cmd == FIOCLEX);
		err = 0;
		break;
	case FIONBIO:
		err = get_user(on, (int __user *)arg);
		if (!err)
			err = setfl(file, on ? file->f_flags | O_NONBLOCK :
					       file->f_flags & ~O_NONBLOCK);
		break;
	default:
		err = file->f_op && file->f_op->ioctl ?
		      file->f_op->ioctl(file, cmd, arg) : -ENOTTY;
		break;
	}
	fput(file);
	return err;
}

long sys_pipe2(int __user *fildes, int flags)
{
	struct file *files[2];
	int fd[2], err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	err = create_pipe_files(files, flags);
	if (err)
		return err;
	fd[0] = get_unused_fd_flags(flags);
	fd[1] = fd[0] < 0 ? fd[0] : get_unused_fd_flags(flags);
	if (fd[1] < 0) {
		err = fd[1];
		goto out_put;
	}
	if (copy_to_user(fildes, fd, sizeof(fd))) {
		err = -EFAULT;
		goto out_put;
	}
	fd_install(fd[0], files[0]);
	fd_install(fd[1], files[1]);
	return 0;
out_put:
	if (fd[0] >= 0)
		put_unused_fd(fd[0]);
	if (fd[1] >= 0 && fd[1] != fd[0])
		put_unused_fd(fd[1]);
	fput(files[0]);
	fput(files[1]);
	return err;
}

long sys_pipe(int __user *fildes)
{
	return sys_pipe2(fildes, 0);
}
