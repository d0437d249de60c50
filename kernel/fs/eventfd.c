/*
 * eventfd.c — eventfd(2): a 64-bit counter as a file, for one thread or
 * process to wake another (and for epoll to watch).
 *
 *	write(8 bytes v)  count += v; blocks (or EAGAIN) while the sum would
 *	                  pass 0xfffffffffffffffe; v = 2^64 - 1 is EINVAL
 *	read(8 bytes)     blocks (or EAGAIN) while count is 0, then returns
 *	                  count and zeroes it — or, with EFD_SEMAPHORE,
 *	                  returns 1 and decrements it
 *	poll              POLLIN while count > 0, POLLOUT while one more
 *	                  write of 1 fits
 * A buffer shorter than 8 bytes is EINVAL.
 *
 * Locking: the counter is under the wait queue's own lock (wqh.lock),
 * which is also what readers and writers sleep on.
 */
#include <kestrel/anon_inodes.h>
#include <kestrel/errno.h>
#include <kestrel/poll.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/syscalls.h>
#include <kestrel/uio.h>
#include <uapi/linux/eventpoll.h>

#define EVENTFD_MAX	0xfffffffffffffffeULL

struct eventfd_ctx {
	struct wait_queue_head wqh;	/* readers, writers and pollers */
	u64 count;			/* wqh.lock */
	bool semaphore;			/* EFD_SEMAPHORE */
};

static u64 ev_count(struct eventfd_ctx *ctx)
{
	unsigned long flags = spin_lock_irqsave(&ctx->wqh.lock);
	u64 c = ctx->count;

	spin_unlock_irqrestore(&ctx->wqh.lock, flags);
	return c;
}

/* Take what a read takes, if anything is there: 0 when count is 0. */
static u64 ev_take(struct eventfd_ctx *ctx)
{
	unsigned long flags = spin_lock_irqsave(&ctx->wqh.lock);
	u64 v = ctx->semaphore && ctx->count ? 1 : ctx->count;

	ctx->count -= v;
	spin_unlock_irqrestore(&ctx->wqh.lock, flags);
	return v;
}

static ssize_t eventfd_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct eventfd_ctx *ctx = file->private_data;
	u64 v;

	if (iov_iter_count(to) < sizeof(v))
		return -EINVAL;
	while (!(v = ev_take(ctx))) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(ctx->wqh, ev_count(ctx) != 0))
			return -ERESTARTSYS;
	}
	wake_up_all(&ctx->wqh);		/* room for writers now */
	return copy_to_iter(&v, sizeof(v), to) == sizeof(v) ? (ssize_t)sizeof(v) :
	       -EFAULT;
}

/* Add @v if it fits: true when added. */
static bool ev_add(struct eventfd_ctx *ctx, u64 v)
{
	unsigned long flags = spin_lock_irqsave(&ctx->wqh.lock);
	bool fits = EVENTFD_MAX - ctx->count >= v;

	if (fits)
		ctx->count += v;
	spin_unlock_irqrestore(&ctx->wqh.lock, flags);
	return fits;
}

static ssize_t eventfd_write(struct file *file, struct iov_iter *from,
			     loff_t *pos)
{
	struct eventfd_ctx *ctx = file->private_data;
	u64 v;

	if (iov_iter_count(from) < sizeof(v))
		return -EINVAL;
	if (copy_from_iter(&v, sizeof(v), from) != sizeof(v))
		return -EFAULT;
	if (v == ~0ULL)
		return -EINVAL;
	while (!ev_add(ctx, v)) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(ctx->wqh,
					     EVENTFD_MAX - ev_count(ctx) >= v))
			return -ERESTARTSYS;
	}
	wake_up_all(&ctx->wqh);
	return sizeof(v);
}

static __poll_t eventfd_poll(struct file *file, poll_table *pt)
{
	struct eventfd_ctx *ctx = file->private_data;
	__poll_t mask = 0;
	u64 c;

	poll_wait(file, &ctx->wqh, pt);
	c = ev_count(ctx);
	if (c > 0)
		mask |= POLLIN | POLLRDNORM;
	if (c == EVENTFD_MAX)
		mask |= POLLERR;
	if (c < EVENTFD_MAX)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

static int eventfd_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static const struct file_operations eventfd_fops = {
	.read_iter = eventfd_read,
	.write_iter = eventfd_write,
	.poll = eventfd_poll,
	.release = eventfd_release,
};

long sys_eventfd2(unsigned int count, int flags)
{
	struct eventfd_ctx *ctx;
	int fd;

	if (flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
		return -EINVAL;
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	init_waitqueue_head(&ctx->wqh);
	ctx->count = count;
	ctx->semaphore = flags & EFD_SEMAPHORE;
	fd = anon_inode_getfd("[eventfd]", &eventfd_fops, ctx,
			      O_RDWR | (flags & (EFD_CLOEXEC | EFD_NONBLOCK)));
	if (fd < 0)
		kfree(ctx);
	return fd;
}

long sys_eventfd(unsigned int count)
{
	return sys_eventfd2(count, 0);
}
