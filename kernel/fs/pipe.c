/*
 * pipe.c — pipes and FIFOs (kestrel/pipe_fs_i.h states the rules).
 *
 * The buffer is a ring of `size` bytes: the bytes [start, start + len)
 * (modulo size) are waiting to be read.  A reader takes what is there —
 * it does not wait for more than one byte — and a writer puts as much as
 * fits, waiting for room; a write of at most PIPE_BUF bytes waits until
 * it fits *whole*, which is what makes it atomic (pipe(7)).
 *
 *	 0        start           start+len           size
 *	 ├─────────┼█████████████████┼──────────────────┤
 *	            next byte to read  where the next write goes
 *
 * Sleeping: readers sleep on rd_wait until there is data or no writer,
 * writers on wr_wait until there is room or no reader; each side wakes
 * the other after changing the ring.  The condition is tested without
 * the mutex in wait_event (a cheap look) and again under it, so a
 * wake-up between the two is never lost (DOC: wakeup-race).  Pollers
 * (kestrel/poll.h) wait on the same two queues.
 *
 * Locking legend for struct pipe_inode_info:
 *	(M) mutex — the ring, the counts of ends; held while copying to and
 *	    from user memory (a fault there waits for nothing of ours)
 *	(O) set when made
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/mount.h>
#include <kestrel/pipe_fs_i.h>
#include <kestrel/poll.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>
#include <uapi/linux/fs.h>
#include <uapi/linux/magic.h>

#include "internal.h"

/**
 * struct pipe_inode_info - one pipe
 * @mutex: the (M) lock
 * @rd_wait, @wr_wait: where readers and writers (and pollers) wait
 * @buf: (M) the ring, @size bytes (NULL for a FIFO nobody has open)
 * @start, @len: (M) the unread bytes
 * @readers, @writers: (M) open read and write ends
 * @r_counter, @w_counter: (M) opens of each kind ever: a FIFO's open
 *            waits for the other side by watching them change
 */
struct pipe_inode_info {
	struct mutex mutex;
	struct wait_queue_head rd_wait;
	struct wait_queue_head wr_wait;
	char *buf;
	unsigned int size;
	unsigned int start;
	unsigned int len;
	unsigned int readers;
	unsigned int writers;
	unsigned int r_counter;
	unsigned int w_counter;
};

static struct vfsmount *pipe_mnt;

static struct pipe_inode_info *alloc_pipe_info(void)
{
	struct pipe_inode_info *pipe = kzalloc(sizeof(*pipe), GFP_KERNEL);

	if (!pipe)
		return NULL;
	pipe->buf = kmalloc(PIPE_DEF_SIZE, GFP_KERNEL);
	if (!pipe->buf) {
		kfree(pipe);
		return NULL;
	}
	pipe->size = PIPE_DEF_SIZE;
	mutex_init(&pipe->mutex);
	init_waitqueue_head(&pipe->rd_wait);
	init_waitqueue_head(&pipe->wr_wait);
	return pipe;
}

void free_pipe_info(struct pipe_inode_info *pipe)
{
	kfree(pipe->buf);
	kfree(pipe);
}

/* Copy up to @n bytes out of the ring into @to; the bytes copied. (M) */
static size_t ring_read(struct pipe_inode_info *pipe, struct iov_iter *to,
			size_t n)
{
	size_t first = MIN(n, (size_t)(pipe->size - pipe->start)), done;

	done = copy_to_iter(pipe->buf + pipe->start, first, to);
	if (done == first && n > first)
		done += copy_to_iter(pipe->buf, n - first, to);
	pipe->start = (pipe->start + done) % pipe->size;
	pipe->len -= done;
	if (!pipe->len)
		pipe->start = 0;	/* keep big writes in one piece */
	return done;
}

/* Copy up to @n bytes from @from into the ring's free space. (M) */
static size_t ring_write(struct pipe_inode_info *pipe, struct iov_iter *from,
			 size_t n)
{
	unsigned int end = (pipe->start + pipe->len) % pipe->size;
	size_t first = MIN(n, (size_t)(pipe->size - end)), done;

	done = copy_from_iter(pipe->buf + end, first, from);
	if (done == first && n > first)
		done += copy_from_iter(pipe->buf, n - first, from);
	pipe->len += done;
	return done;
}

static unsigned int pipe_room(const struct pipe_inode_info *pipe)
{
	return pipe->size - pipe->len;
}

static ssize_t pipe_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
#if SOL >= 8
	struct pipe_inode_info *pipe = file->private_data;
	size_t want = iov_iter_count(to), got;
	ssize_t ret;

	mutex_lock(&pipe->mutex);
	for (;;) {
		if (pipe->len) {
			got = ring_read(pipe, to, MIN(want, (size_t)pipe->len));
			ret = got ? (ssize_t)got : -EFAULT;
			wake_up_all(&pipe->wr_wait);	/* there is room now */
			break;
		}
		if (!pipe->writers) {
			ret = 0;			/* end of file */
			break;
		}
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		mutex_unlock(&pipe->mutex);
		if (wait_event_interruptible(pipe->rd_wait,
					     pipe->len || !pipe->writers))
			return -ERESTARTSYS;
		mutex_lock(&pipe->mutex);
	}
	mutex_unlock(&pipe->mutex);
	if (ret > 0)
		file_accessed(file);
	return ret;
#else
	/*
	 * LAB 8: read from the pipe (the picture at the top of this file).
	 * Under pipe->mutex, loop: if bytes wait (pipe->len), take up to
	 * the count asked for with ring_read(), wake the writers
	 * (wr_wait: there is room now) and return how many — do not wait
	 * to fill the whole buffer.  If the pipe is empty and has no
	 * writer left, return 0: end of file.  Empty with O_NONBLOCK in
	 * file->f_flags: -EAGAIN.  Otherwise drop the mutex, sleep on
	 * rd_wait until there is data or no writer
	 * (wait_event_interruptible; -ERESTARTSYS if a signal comes), take
	 * the mutex again and look again.
	 */
	(void)file;
	(void)to;
	(void)ring_read;
	return -ENOSYS;
#endif
}

/* Wait for room for @need bytes (or a reader to vanish); 0 or -errno.
 * Called and returns with the mutex held. */
static int pipe_wait_room(struct file *file, struct pipe_inode_info *pipe,
			  size_t need)
{
	while (pipe->readers && pipe_room(pipe) < need) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		mutex_unlock(&pipe->mutex);
		if (wait_event_interruptible(pipe->wr_wait,
					     !pipe->readers ||
					     pipe_room(pipe) >= need)) {
			mutex_lock(&pipe->mutex);
			return -ERESTARTSYS;
		}
		mutex_lock(&pipe->mutex);
	}
	return pipe->readers ? 0 : -EPIPE;
}

static ssize_t pipe_write(struct file *file, struct iov_iter *from,
			  loff_t *pos)
{
#if SOL >= 8
	struct pipe_inode_info *pipe = file->private_data;
	size_t total = iov_iter_count(from), done = 0, n, put;
	int err = 0;

	mutex_lock(&pipe->mutex);
	while (done < total) {
		/* Small writes wait to fit whole; big ones take any room. */
		err = pipe_wait_room(file, pipe, total <= PIPE_BUF ? total : 1);
		if (err)
			break;
		n = MIN(total - done, (size_t)pipe_room(pipe));
		put = ring_write(pipe, from, n);
		done += put;
		wake_up_all(&pipe->rd_wait);		/* there is data now */
		if (put < n) {
			err = -EFAULT;
			break;
		}
	}
	mutex_unlock(&pipe->mutex);
	if (done)
		inode_touch_mc(file->f_inode);
	if (err == -EPIPE)	/* pipe(7): "… also sent a SIGPIPE signal" */
		send_signal(SIGPIPE, NULL, current, false);
	return done ? (ssize_t)done : err;
#else
	/*
	 * LAB 8: write to the pipe.  Under pipe->mutex, until every byte is
	 * written: wait for room with pipe_wait_room() — for the whole
	 * write if it is at most PIPE_BUF bytes (that is what makes small
	 * writes atomic, pipe(7)), for at least one byte otherwise — then
	 * ring_write() as much as fits and wake the readers (rd_wait).
	 * pipe_wait_room returns -EPIPE when no reader is left, -EAGAIN
	 * for O_NONBLOCK, -ERESTARTSYS: stop there.  Return the bytes written,
	 * or the error if none were; a short copy from user memory is
	 * -EFAULT.
	 */
	(void)file;
	(void)from;
	(void)ring_write;
	(void)pipe_wait_room;
	return -ENOSYS;
#endif
}

static __poll_t pipe_poll(struct file *file, poll_table *pt)
{
	struct pipe_inode_info *pipe = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &pipe->rd_wait, pt);
	poll_wait(file, &pipe->wr_wait, pt);
	mutex_lock(&pipe->mutex);
	if (file->f_mode & FMODE_READ) {
		if (pipe->len)
			mask |= POLLIN | POLLRDNORM;
		if (!pipe->writers)
			mask |= POLLHUP;
	}
	if (file->f_mode & FMODE_WRITE) {
		if (pipe_room(pipe) >= PIPE_BUF)
			mask |= POLLOUT | POLLWRNORM;
		if (!pipe->readers)
			mask |= POLLERR;
	}
	mutex_unlock(&pipe->mutex);
	return mask;
}

static long pipe_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct pipe_inode_info *pipe = file->private_data;
	int n;

	if (cmd != FIONREAD)
		return -ENOTTY;
	mutex_lock(&pipe->mutex);
	n = pipe->len;
	mutex_unlock(&pipe->mutex);
	return put_user(n, (int __user *)arg);
}

static int pipe_release(struct inode *inode, struct file *file)
{
	struct pipe_inode_info *pipe = file->private_data;

	mutex_lock(&pipe->mutex);
	if (file->f_mode & FMODE_READ)
		pipe->readers--;
	if (file->f_mode & FMODE_WRITE)
		pipe->writers--;
	/* The other side learns of it: EOF, EPIPE, POLLHUP, POLLERR. */
	wake_up_all(&pipe->rd_wait);
	wake_up_all(&pipe->wr_wait);
	mutex_unlock(&pipe->mutex);
	return 0;
}

long pipe_fcntl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct pipe_inode_info *pipe = file->private_data;
	unsigned int size = PAGE_SIZE;
	char *buf;
	long ret;

	if (file->f_op->read_iter != pipe_read)
		return -EBADF;
	if (cmd == F_GETPIPE_SZ)
		return pipe->size;
	if (arg > PIPE_MAX_SIZE && !capable_fowner())
		return -EPERM;
	if (arg > (1UL << 31))
		return -EINVAL;
	while (size < arg)
		size *= 2;	/* a power of two pages, like Linux */
	buf = kmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	mutex_lock(&pipe->mutex);
	ret = -EBUSY;		/* fcntl(2): "the data in the pipe does not fit" */
	if (pipe->len <= size) {
		struct iovec iov;
		struct iov_iter it;

		iov_iter_init_single(&it, false, buf, pipe->len, &iov);
		pipe->len = ring_read(pipe, &it, pipe->len);
		pipe->start = 0;
		kfree(pipe->buf);
		pipe->buf = buf;
		pipe->size = size;
		buf = NULL;
		ret = size;
	}
	mutex_unlock(&pipe->mutex);
	kfree(buf);
	return ret;
}

/* --- FIFOs: pipes reached by a name ---------------------------------------- */

/* Sleep (mutex dropped) until *@counter moves on: the other side opened. */
static int wait_for_partner(struct pipe_inode_info *pipe,
			    struct wait_queue_head *wq, unsigned int *counter)
{
	unsigned int seen = *counter;
	int err;

	mutex_unlock(&pipe->mutex);
	err = wait_event_interruptible(*wq, *counter != seen);
	mutex_lock(&pipe->mutex);
	return err ? -ERESTARTSYS : 0;
}

/* The FIFO's pipe, made at its first open (under the inode's mutex). */
static struct pipe_inode_info *fifo_pipe(struct inode *inode)
{
	struct pipe_inode_info *pipe;

	mutex_lock(&inode->i_mutex);
	if (!inode->i_pipe)
		inode->i_pipe = alloc_pipe_info();
	pipe = inode->i_pipe;
	mutex_unlock(&inode->i_mutex);
	return pipe;
}

/*
 * open(2) of a FIFO (fifo(7)): a reader waits for a writer and a writer
 * for a reader, unless O_NONBLOCK — then a reader opens at once and a
 * writer without a reader fails with ENXIO; O_RDWR never waits.
 */
static int fifo_open(struct inode *inode, struct file *file)
{
	struct pipe_inode_info *pipe = fifo_pipe(inode);
	bool nonblock = file->f_flags & O_NONBLOCK;
	int err = 0;

	if (!pipe)
		return -ENOMEM;
	file->private_data = pipe;
	mutex_lock(&pipe->mutex);
	switch (file->f_mode & (FMODE_READ | FMODE_WRITE)) {
	case FMODE_READ:
		pipe->readers++;
		pipe->r_counter++;
		wake_up_all(&pipe->wr_wait);
		if (!pipe->writers && !nonblock)
			err = wait_for_partner(pipe, &pipe->rd_wait, &pipe->w_counter);
		break;
	case FMODE_WRITE:
		if (nonblock && !pipe->readers) {
			err = -ENXIO;
			goto out;
		}
		pipe->writers++;
		pipe->w_counter++;
		wake_up_all(&pipe->rd_wait);
		if (!pipe->readers)
			err = wait_for_partner(pipe, &pipe->wr_wait, &pipe->r_counter);
		break;
	default:
		pipe->readers++;
		pipe->writers++;
		pipe->r_counter++;
		pipe->w_counter++;
		wake_up_all(&pipe->rd_wait);
		wake_up_all(&pipe->wr_wait);
		break;
	}
	if (err) {			/* interrupted: undo our end */
		if (file->f_mode & FMODE_READ)
			pipe->readers--;
		if (file->f_mode & FMODE_WRITE)
			pipe->writers--;
	}
out:
	mutex_unlock(&pipe->mutex);
	return err;
}

const struct file_operations pipefifo_fops = {
	.open = fifo_open,
	.read_iter = pipe_read,
	.write_iter = pipe_write,
	.poll = pipe_poll,
	.ioctl = pipe_ioctl,
	.release = pipe_release,
};

/* --- pipe(2): anonymous pipes on pipefs -------------------------------------- */

static char *pipefs_dname(struct dentry *dentry, char *buf, int buflen)
{
	int n = snprintf(buf, buflen, "pipe:[%lu]", dentry->d_inode->i_ino);

	return n < buflen ? buf : ERR_PTR(-ENAMETOOLONG);
}

static const struct dentry_operations pipefs_dentry_operations = {
	.d_dname = pipefs_dname,
};

static void pipefs_evict_inode(struct inode *inode)
{
	if (inode->i_pipe)
		free_pipe_info(inode->i_pipe);
	inode->i_pipe = NULL;
}

static const struct super_operations pipefs_ops = {
	.evict_inode = pipefs_evict_inode,
	.statfs = simple_statfs,
};

static int pipefs_fill_super(struct super_block *sb, const char *data)
{
	return pseudo_fill_super(sb, &pipefs_ops, PIPEFS_MAGIC);
}

static struct file_system_type pipefs_type = {
	.name = "pipefs",
	.fill_super = pipefs_fill_super,
};

void pipefs_init(void)
{
	register_filesystem(&pipefs_type);
	pipe_mnt = vfs_kern_mount("pipefs", 0, "pipefs", NULL);
	if (IS_ERR(pipe_mnt))
		pipe_mnt = NULL;
}

/* A FIFO inode on pipefs with its pipe: one read end, one write end. */
static struct inode *get_pipe_inode(void)
{
	struct inode *inode;

	if (!pipe_mnt)
		return NULL;
	inode = new_inode(pipe_mnt->mnt_sb);
	if (!inode)
		return NULL;
	inode->i_pipe = alloc_pipe_info();
	if (!inode->i_pipe) {
		iput(inode);
		return NULL;
	}
	inode->i_mode = S_IFIFO | 0600;
	inode->i_uid = current_fsuid();
	inode->i_gid = current_fsgid();
	inode->i_fop = &pipefifo_fops;
	inode->i_pipe->readers = inode->i_pipe->writers = 1;
	inode->i_pipe->r_counter = inode->i_pipe->w_counter = 1;
	return inode;
}

int create_pipe_files(struct file **res, int flags)
{
	struct inode *inode = get_pipe_inode();
	struct path path;
	int extra = flags & (O_NONBLOCK | O_DIRECT);

	if (!inode)
		return -ENFILE;
	path.mnt = pipe_mnt;
	path.dentry = d_alloc_anon(pipe_mnt->mnt_sb, inode, "");
	if (!path.dentry) {
		iput(inode);
		return -ENOMEM;
	}
	path.dentry->d_op = &pipefs_dentry_operations;
	res[0] = alloc_file(&path, O_RDONLY | extra, &pipefifo_fops);
	res[1] = IS_ERR(res[0]) ? res[0] :
		 alloc_file(&path, O_WRONLY | extra, &pipefifo_fops);
	dput(path.dentry);	/* the files hold it now */
	if (IS_ERR(res[1])) {
		if (!IS_ERR(res[0])) {
			res[0]->f_op = NULL;
			fput(res[0]);
		}
		return PTR_ERR(res[1]);
	}
	res[0]->private_data = res[1]->private_data = inode->i_pipe;
	res[0]->f_mode &= ~FMODE_LSEEK;
	res[1]->f_mode &= ~FMODE_LSEEK;
	return 0;
}
