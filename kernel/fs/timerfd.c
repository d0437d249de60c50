/*
 * timerfd.c — timerfd_create(2), timerfd_settime(2), timerfd_gettime(2):
 * a timer as a file.  read(2) of 8 bytes returns how many times the
 * timer expired since the last read (blocking, or EAGAIN, while none);
 * poll reports POLLIN when that is not zero.
 *
 * A kernel timer (kestrel/timer.h) runs at the expiry tick, in interrupt
 * context: it counts the expirations that passed (a periodic timer may
 * have been late), re-arms itself for the next period, and wakes the
 * readers.  Expiry times are kept in nanoseconds on the file's clock —
 * CLOCK_MONOTONIC (or BOOTTIME, the same here) or CLOCK_REALTIME — and
 * turned into ticks when armed, rounded up: a timer never fires early.
 *
 * Locking: the state is under the wait queue's lock (wqh.lock, taken
 * with interrupts off, also by the timer).
 */
#include <kestrel/anon_inodes.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/ktime.h>
#include <kestrel/poll.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/syscalls.h>
#include <kestrel/timer.h>
#include <kestrel/uaccess.h>
#include <kestrel/uio.h>
#include <uapi/linux/timerfd.h>

struct timerfd_ctx {
	struct wait_queue_head wqh;
	struct timer_list timer;
	int clockid;
	u64 expires;		/* ns on the clock; 0: disarmed */
	u64 interval;		/* ns; 0: once */
	u64 ticks;		/* expirations not read yet */
};

static u64 clock_now(int clockid)
{
	return clockid == CLOCK_REALTIME ? ktime_get_real() : ktime_get();
}

/* Arm the kernel timer for ctx->expires.  wqh.lock held. */
static void tfd_arm(struct timerfd_ctx *ctx)
{
	u64 now = clock_now(ctx->clockid), ahead;

	ahead = ctx->expires > now ? ctx->expires - now : 0;
	mod_timer(&ctx->timer, jiffies + (ahead + TICK_NSEC - 1) / TICK_NSEC + 1);
}

static void tfd_fire(struct timer_list *t)
{
	struct timerfd_ctx *ctx = container_of(t, struct timerfd_ctx, timer);
	unsigned long flags = spin_lock_irqsave(&ctx->wqh.lock);
	u64 now = clock_now(ctx->clockid);

	if (ctx->expires && now < ctx->expires) {
		tfd_arm(ctx);		/* a tick early by the clock: again */
	} else if (ctx->expires) {
		ctx->ticks++;
		if (ctx->interval) {
			while ((ctx->expires += ctx->interval) <= now)
				ctx->ticks++;	/* periods that passed unseen */
			tfd_arm(ctx);
		} else {
			ctx->expires = 0;
		}
	}
	spin_unlock_irqrestore(&ctx->wqh.lock, flags);
	wake_up_all(&ctx->wqh);
}

static u64 tfd_take(struct timerfd_ctx *ctx)
{
	unsigned long flags = spin_lock_irqsave(&ctx->wqh.lock);
	u64 t = ctx->ticks;

	ctx->ticks = 0;
	spin_unlock_irqrestore(&ctx->wqh.lock, flags);
	return t;
}

static u64 tfd_peek(struct timerfd_ctx *ctx)
{
	return __atomic_load_n(&ctx->ticks, __ATOMIC_ACQUIRE);
}

static ssize_t timerfd_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct timerfd_ctx *ctx = file->private_data;
	u64 t;

	if (iov_iter_count(to) < sizeof(t))
		return -EINVAL;
	while (!(t = tfd_take(ctx))) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(ctx->wqh, tfd_peek(ctx) != 0))
			return -ERESTARTSYS;
	}
	return copy_to_iter(&t, sizeof(t), to) == sizeof(t) ? (ssize_t)sizeof(t) :
	       -EFAULT;
}

static __poll_t timerfd_poll(struct file *file, poll_table *pt)
{
	struct timerfd_ctx *ctx = file->private_data;

	poll_wait(file, &ctx->wqh, pt);
	return tfd_peek(ctx) ? POLLIN | POLLRDNORM : 0;
}

static int timerfd_release(struct inode *inode, struct file *file)
{
	struct timerfd_ctx *ctx = file->private_data;

	del_timer(&ctx->timer);
	kfree(ctx);
	return 0;
}

static const struct file_operations timerfd_fops = {
	.read_iter = timerfd_read,
	.poll = timerfd_poll,
	.release = timerfd_release,
};

long sys_timerfd_create(int clockid, int flags)
{
	struct timerfd_ctx *ctx;
	int fd;

	if (clockid != CLOCK_REALTIME && clockid != CLOCK_MONOTONIC &&
	    clockid != CLOCK_BOOTTIME)
		return -EINVAL;
	if (flags & ~(TFD_CLOEXEC | TFD_NONBLOCK))
		return -EINVAL;
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	init_waitqueue_head(&ctx->wqh);
	timer_setup(&ctx->timer, tfd_fire, 0);
	ctx->clockid = clockid;
	fd = anon_inode_getfd("[timerfd]", &timerfd_fops, ctx, O_RDWR | flags);
	if (fd < 0)
		kfree(ctx);
	return fd;
}

static u64 ts_ns(const struct __kernel_timespec *ts)
{
	return ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

static struct __kernel_timespec ns_ts(u64 ns)
{
	struct __kernel_timespec ts = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };

	return ts;
}

static bool ts_valid(const struct __kernel_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 &&
	       ts->tv_nsec < (long long)NSEC_PER_SEC;
}

/* The timer of descriptor @ufd: its file (referenced) or NULL/-EINVAL. */
static struct file *timerfd_fget(int ufd, long *err)
{
	struct file *file = fget(ufd);

	*err = file ? 0 : -EBADF;
	if (file && file->f_op != &timerfd_fops) {
		fput(file);
		file = NULL;
		*err = -EINVAL;
	}
	return file;
}

/* What timerfd_gettime reports: time to the next expiry, and the period. */
static struct itimerspec tfd_get(struct timerfd_ctx *ctx)
{
	u64 now = clock_now(ctx->clockid);
	struct itimerspec cur = {
		.it_interval = ns_ts(ctx->interval),
		.it_value = ns_ts(ctx->expires > now ? ctx->expires - now :
				  ctx->expires ? 1 : 0),
	};

	return cur;
}

long sys_timerfd_settime(int ufd, int flags, const struct itimerspec __user *utmr,
			 struct itimerspec __user *otmr)
{
	struct itimerspec new, old;
	struct timerfd_ctx *ctx;
	struct file *file;
	unsigned long irqflags;
	long err;

	if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	if (copy_from_user(&new, utmr, sizeof(new)))
		return -EFAULT;
	if (!ts_valid(&new.it_value) || !ts_valid(&new.it_interval))
		return -EINVAL;
	file = timerfd_fget(ufd, &err);
	if (!file)
		return err;
	ctx = file->private_data;
	del_timer(&ctx->timer);
	irqflags = spin_lock_irqsave(&ctx->wqh.lock);
	old = tfd_get(ctx);
	ctx->ticks = 0;
	ctx->interval = ts_ns(&new.it_interval);
	ctx->expires = ts_ns(&new.it_value);
	if (ctx->expires && !(flags & TFD_TIMER_ABSTIME))
		ctx->expires += clock_now(ctx->clockid);
	if (ctx->expires)
		tfd_arm(ctx);
	spin_unlock_irqrestore(&ctx->wqh.lock, irqflags);
	fput(file);
	if (otmr && copy_to_user(otmr, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_timerfd_gettime(int ufd, struct itimerspec __user *otmr)
{
	struct itimerspec cur;
	struct timerfd_ctx *ctx;
	struct file *file;
	unsigned long irqflags;
	long err;

	file = timerfd_fget(ufd, &err);
	if (!file)
		return err;
	ctx = file->private_data;
	irqflags = spin_lock_irqsave(&ctx->wqh.lock);
	cur = tfd_get(ctx);
	spin_unlock_irqrestore(&ctx->wqh.lock, irqflags);
	fput(file);
	return copy_to_user(otmr, &cur, sizeof(cur)) ? -EFAULT : 0;
}
