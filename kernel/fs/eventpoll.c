/*
 * eventpoll.c — epoll(7): epoll_create1(2), epoll_ctl(2),
 * epoll_wait(2) and epoll_pwait(2).
 *
 * An epoll instance is a file holding a set of *items*, one per watched
 * (file, descriptor) pair.  When an item is added, the file's ->poll is
 * called once with a queue procedure that hangs the item's own waiters
 * on the file's wait queues (kestrel/poll.h); from then on, every wake-up
 * of those queues calls ep_poll_callback, which puts the item on the
 * instance's *ready list* and wakes epoll_wait.  epoll_wait takes the
 * ready items, asks each file again what it can do now (->poll with no
 * table), reports those with events the item asked for, and:
 *
 *	level-triggered (default)  puts a reported item back on the ready
 *	                           list: it is reported until it is not
 *	                           ready any more (the next call finds out)
 *	EPOLLET                    leaves it off until the next wake-up
 *	EPOLLONESHOT               disables it until EPOLL_CTL_MOD
 *
 *	eventpoll ── items ── epitem{fd 3} ── waiters on pipe->rd_wait, wr_wait
 *	          └─ rdllist ──┘ (when ready)
 *
 * Items hold no reference to their file: when the file's last reference
 * goes, fput calls eventpoll_release, which removes its items from every
 * instance — closing a descriptor in every process removes it, as in
 * Linux.
 *
 * Locks, in order: epmutex (global: items joining or leaving a file's
 * f_ep_links), ep->mtx (an instance's set of items; held while
 * epoll_wait reports), ep->lock (a spinlock, interrupts off: the ready
 * list, taken by the callbacks, which run under the file's wait-queue
 * lock).
 */
#include <kestrel/anon_inodes.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/jiffies.h>
#include <kestrel/ktime.h>
#include <kestrel/mutex.h>
#include <kestrel/poll.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/linux/eventpoll.h>

#define EP_MAX_WAITS	4	/* wait queues one file may name in ->poll */
#define EP_MAX_EVENTS	(0x7fffffff / sizeof(struct epoll_event))

static DEFINE_MUTEX(epmutex);

/**
 * struct eventpoll - one epoll instance
 * @mtx: serializes ctl and wait (the items and their fields)
 * @lock: (spinlock) @rdllist and the items' @ready flags
 * @wq: epoll_wait sleepers; @poll_wait: pollers of this epoll file
 * @rdllist: items that may be ready
 * @items: every item
 */
struct eventpoll {
	struct mutex mtx;
	spinlock_t lock;
	struct wait_queue_head wq;
	struct wait_queue_head poll_wait;
	struct list_head rdllist;
	struct list_head items;
};

struct epitem;

struct eppoll_entry {
	struct wait_queue_entry wait;
	struct wait_queue_head *whead;
	struct epitem *epi;
};

/**
 * struct epitem - one watched (file, fd)
 * @ep_link: on ep->items (mtx)
 * @rdllink: on ep->rdllist while @ready (lock)
 * @fllink: on file->f_ep_links (epmutex)
 * @event: what was asked for, and the user's data (mtx)
 * @ready: (lock) on a ready list — ep->rdllist, or epoll_wait's own
 *         while it reports; the callbacks then only set @again
 * @again: (lock) woken while being reported: it goes back on the list
 */
struct epitem {
	struct list_head ep_link;
	struct list_head rdllink;
	struct list_head fllink;
	struct eventpoll *ep;
	struct file *file;
	int fd;
	bool ready;
	bool again;
	struct epoll_event event;
	int nwait;
	struct eppoll_entry pwq[EP_MAX_WAITS];
};

/* Put @epi on the ready list (under ep->lock) unless it is on one. */
static void ep_set_ready(struct eventpoll *ep, struct epitem *epi)
{
	if (!epi->ready) {
		epi->ready = true;
		list_add_tail(&epi->rdllink, &ep->rdllist);
	} else {
		epi->again = true;
	}
}

static int ep_poll_callback(struct wait_queue_entry *wait, unsigned int mode,
			    int flags, void *key)
{
	struct eppoll_entry *pwq = container_of(wait, struct eppoll_entry, wait);
	struct eventpoll *ep = pwq->epi->ep;
	unsigned long irqflags = spin_lock_irqsave(&ep->lock);

	if (pwq->epi->event.events & ~(EPOLLET | EPOLLONESHOT | EPOLLEXCLUSIVE |
				       EPOLLWAKEUP))
		ep_set_ready(ep, pwq->epi);
	spin_unlock_irqrestore(&ep->lock, irqflags);
	wake_up_all(&ep->wq);
	wake_up_all(&ep->poll_wait);
	return 1;
}

/* The queue procedure while an item is added: hang one of its waiters. */
struct ep_pqueue {
	poll_table pt;
	struct epitem *epi;
};

static void ep_ptable_queue_proc(struct file *file, struct wait_queue_head *wq,
				 poll_table *pt)
{
	struct epitem *epi = container_of(pt, struct ep_pqueue, pt)->epi;
	struct eppoll_entry *pwq;

	if (epi->nwait < 0 || epi->nwait == EP_MAX_WAITS) {
		epi->nwait = -1;	/* too many queues: refuse the item */
		return;
	}
	pwq = &epi->pwq[epi->nwait++];
	pwq->epi = epi;
	pwq->whead = wq;
	pwq->wait.flags = 0;
	pwq->wait.private = NULL;
	pwq->wait.func = ep_poll_callback;
	list_init(&pwq->wait.entry);
	add_wait_queue(wq, &pwq->wait);
}

/* Take @epi out of @ep and free it.  epmutex and ep->mtx held. */
static void ep_remove(struct eventpoll *ep, struct epitem *epi)
{
	unsigned long flags;
	int i;

	for (i = 0; i < epi->nwait; i++)
		remove_wait_queue(epi->pwq[i].whead, &epi->pwq[i].wait);
	list_del(&epi->fllink);
	list_del(&epi->ep_link);
	flags = spin_lock_irqsave(&ep->lock);
	if (epi->ready)
		list_del(&epi->rdllink);
	spin_unlock_irqrestore(&ep->lock, flags);
	kfree(epi);
}

static struct epitem *ep_find(struct eventpoll *ep, struct file *file, int fd)
{
	struct epitem *epi;

	list_for_each_entry(epi, &ep->items, ep_link)
		if (epi->file == file && epi->fd == fd)
			return epi;
	return NULL;
}

/* The events of @epi's file now, filtered by what it asked for. */
static __poll_t ep_item_poll(struct epitem *epi)
{
	return vfs_poll(epi->file, NULL) & epi->event.events;
}

static int ep_insert(struct eventpoll *ep, const struct epoll_event *event,
		     struct file *file, int fd)
{
	struct epitem *epi = kzalloc(sizeof(*epi), GFP_KERNEL);
	struct ep_pqueue epq = { .pt.qproc = ep_ptable_queue_proc };
	unsigned long flags;

	if (!epi)
		return -ENOMEM;
	epi->ep = ep;
	epi->file = file;
	epi->fd = fd;
	epi->event = *event;
	list_init(&epi->rdllink);
	list_add_tail(&epi->ep_link, &ep->items);
	list_add_tail(&epi->fllink, &file->f_ep_links);
	epq.epi = epi;
	epq.pt.key = event->events;
	vfs_poll(file, &epq.pt);	/* hangs the waiters */
	if (epi->nwait < 0) {
		epi->nwait = EP_MAX_WAITS;
		ep_remove(ep, epi);
		return -ENOMEM;
	}
	flags = spin_lock_irqsave(&ep->lock);
	ep_set_ready(ep, epi);		/* epoll_wait checks it first */
	spin_unlock_irqrestore(&ep->lock, flags);
	wake_up_all(&ep->wq);
	return 0;
}

static int ep_modify(struct eventpoll *ep, struct epitem *epi,
		     const struct epoll_event *event)
{
	unsigned long flags;

	epi->event = *event;
	flags = spin_lock_irqsave(&ep->lock);
	ep_set_ready(ep, epi);
	spin_unlock_irqrestore(&ep->lock, flags);
	wake_up_all(&ep->wq);
	return 0;
}

/* --- reporting ---------------------------------------------------------------------- */

/* One item taken off the ready list: report it if ready.  1 reported,
 * 0 not ready, -EFAULT.  ep->mtx held. */
static int ep_report(struct eventpoll *ep, struct epitem *epi,
		     struct epoll_event __user *uevent)
{
	struct epoll_event ev = { .events = ep_item_poll(epi), .data = epi->event.data };
	bool requeue = false, reported = false;
	unsigned long flags;
	int ret = 0;

	if (ev.events) {
		if (copy_to_user(uevent, &ev, sizeof(ev))) {
			requeue = true;
			ret = -EFAULT;
		} else if (epi->event.events & EPOLLONESHOT) {
			epi->event.events &= EPOLLET | EPOLLONESHOT | EPOLLEXCLUSIVE;
			reported = true;	/* disarmed until EPOLL_CTL_MOD */
		} else {
			requeue = !(epi->event.events & EPOLLET);	/* level */
			reported = true;
		}
		ret = ret ? ret : 1;
	}
	flags = spin_lock_irqsave(&ep->lock);
	epi->ready = false;
	if (requeue || (epi->again && !(reported && (epi->event.events & EPOLLONESHOT))))
		ep_set_ready(ep, epi);
	epi->again = false;
	spin_unlock_irqrestore(&ep->lock, flags);
	return ret;
}

static int ep_send_events(struct eventpoll *ep, struct epoll_event __user *events,
			  int maxevents)
{
	struct list_head txlist = LIST_HEAD_INIT(txlist);
	struct epitem *epi, *next;
	unsigned long flags;
	int count = 0, r;

	flags = spin_lock_irqsave(&ep->lock);
	list_for_each_entry_safe(epi, next, &ep->rdllist, rdllink) {
		list_del(&epi->rdllink);	/* stays "ready": ours now */
		list_add_tail(&epi->rdllink, &txlist);
		epi->again = false;
	}
	spin_unlock_irqrestore(&ep->lock, flags);
	list_for_each_entry_safe(epi, next, &txlist, rdllink) {
		list_del(&epi->rdllink);
		if (count == maxevents || count < 0) {	/* unreported: back */
			flags = spin_lock_irqsave(&ep->lock);
			epi->ready = false;
			ep_set_ready(ep, epi);
			spin_unlock_irqrestore(&ep->lock, flags);
			continue;
		}
		r = ep_report(ep, epi, events + count);
		if (r < 0)
			count = count ? count : -EFAULT;
		else
			count += r;
		if (r < 0 && count > 0)
			maxevents = count;	/* stop at the fault */
	}
	return count;
}

static bool ep_has_ready(struct eventpoll *ep)
{
	unsigned long flags = spin_lock_irqsave(&ep->lock);
	bool ready = !list_empty(&ep->rdllist);

	spin_unlock_irqrestore(&ep->lock, flags);
	return ready;
}

static long ep_poll(struct eventpoll *ep, struct epoll_event __user *events,
		    int maxevents, int timeout)
{
	u64 deadline = timeout < 0 ? 0 : ktime_get() + (u64)timeout * NSEC_PER_MSEC;
	long n, ticks;
	u64 now;

	for (;;) {
		mutex_lock(&ep->mtx);
		n = ep_send_events(ep, events, maxevents);
		mutex_unlock(&ep->mtx);
		if (n)
			return n;
		now = ktime_get();
		if (timeout == 0 || (timeout > 0 && now >= deadline))
			return 0;
		if (signal_pending(current))
			return -EINTR;
		ticks = timeout < 0 ? MAX_SCHEDULE_TIMEOUT :
			(long)((deadline - now + TICK_NSEC - 1) / TICK_NSEC);
		if (wait_event_interruptible_timeout(ep->wq, ep_has_ready(ep),
						     ticks) < 0)
			return -EINTR;
	}
}

/* --- the epoll file ---------------------------------------------------------------- */

static __poll_t ep_eventpoll_poll(struct file *file, poll_table *pt)
{
	struct eventpoll *ep = file->private_data;

	poll_wait(file, &ep->poll_wait, pt);
	return ep_has_ready(ep) ? POLLIN | POLLRDNORM : 0;
}

static int ep_eventpoll_release(struct inode *inode, struct file *file)
{
	struct eventpoll *ep = file->private_data;
	struct epitem *epi, *next;

	mutex_lock(&epmutex);
	mutex_lock(&ep->mtx);
	list_for_each_entry_safe(epi, next, &ep->items, ep_link)
		ep_remove(ep, epi);
	mutex_unlock(&ep->mtx);
	mutex_unlock(&epmutex);
	kfree(ep);
	return 0;
}

static const struct file_operations eventpoll_fops = {
	.poll = ep_eventpoll_poll,
	.release = ep_eventpoll_release,
};

void eventpoll_release(struct file *file)
{
	struct epitem *epi;
	struct eventpoll *ep;

	mutex_lock(&epmutex);
	while (!list_empty(&file->f_ep_links)) {
		epi = list_first_entry(&file->f_ep_links, struct epitem, fllink);
		ep = epi->ep;
		mutex_lock(&ep->mtx);
		ep_remove(ep, epi);
		mutex_unlock(&ep->mtx);
	}
	mutex_unlock(&epmutex);
}

/* --- the system calls ---------------------------------------------------------------- */

long sys_epoll_create1(int flags)
{
	struct eventpoll *ep;
	int fd;

	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	ep = kzalloc(sizeof(*ep), GFP_KERNEL);
	if (!ep)
		return -ENOMEM;
	mutex_init(&ep->mtx);
	spin_lock_init(&ep->lock);
	init_waitqueue_head(&ep->wq);
	init_waitqueue_head(&ep->poll_wait);
	list_init(&ep->rdllist);
	list_init(&ep->items);
	fd = anon_inode_getfd("[eventpoll]", &eventpoll_fops, ep, O_RDWR | flags);
	if (fd < 0)
		kfree(ep);
	return fd;
}

long sys_epoll_create(int size)
{
	return size <= 0 ? -EINVAL : sys_epoll_create1(0);
}

/* epoll_ctl(2)'s checks, in Linux's order; 0 or -errno. */
static long ep_ctl_check(struct file *epf, struct file *tf, int op,
			 const struct epoll_event *ev)
{
	if (!tf->f_op || !tf->f_op->poll)
		return -EPERM;		/* regular files cannot be watched */
	if (epf == tf || epf->f_op != &eventpoll_fops)
		return -EINVAL;
	if (op != EPOLL_CTL_DEL && (ev->events & EPOLLEXCLUSIVE) &&
	    (op == EPOLL_CTL_MOD || (ev->events & EPOLLONESHOT) ||
	     tf->f_op == &eventpoll_fops))
		return -EINVAL;
	return 0;
}

long sys_epoll_ctl(int epfd, int op, int fd, struct epoll_event __user *event)
{
	struct epoll_event ev = { 0 };
	struct file *epf, *tf;
	struct eventpoll *ep;
	struct epitem *epi;
	long err = -EBADF;

	if (op != EPOLL_CTL_DEL && copy_from_user(&ev, event, sizeof(ev)))
		return -EFAULT;
	epf = fget(epfd);
	tf = epf ? fget(fd) : NULL;
	if (!tf)
		goto out;
	err = ep_ctl_check(epf, tf, op, &ev);
	if (err)
		goto out;
	ev.events |= POLLERR | POLLHUP;		/* always reported */
	ep = epf->private_data;
	mutex_lock(&epmutex);
	mutex_lock(&ep->mtx);
	epi = ep_find(ep, tf, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		err = epi ? -EEXIST : ep_insert(ep, &ev, tf, fd);
		break;
	case EPOLL_CTL_MOD:
		err = epi ? ep_modify(ep, epi, &ev) : -ENOENT;
		break;
	case EPOLL_CTL_DEL:
		err = -ENOENT;
		if (epi) {
			ep_remove(ep, epi);
			err = 0;
		}
		break;
	default:
		err = -EINVAL;
	}
	mutex_unlock(&ep->mtx);
	mutex_unlock(&epmutex);
out:
	fput(tf);
	fput(epf);
	return err;
}

long sys_epoll_pwait(int epfd, struct epoll_event __user *events,
		     int maxevents, int timeout, const void __user *sigmask,
		     size_t sigsetsize)
{
	struct file *file;
	long ret;

	if (sigmask && sigsetsize != sizeof(u64))
		return -EINVAL;
	if (maxevents <= 0 || (unsigned long)maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!access_ok(events, maxevents * sizeof(struct epoll_event)))
		return -EFAULT;
	file = fget(epfd);
	if (!file)
		return -EBADF;
	ret = file->f_op == &eventpoll_fops ?
	      ep_poll(file->private_data, events, maxevents, timeout) : -EINVAL;
	fput(file);
	return ret;
}

long sys_epoll_wait(int epfd, struct epoll_event __user *events,
		    int maxevents, int timeout)
{
	return sys_epoll_pwait(epfd, events, maxevents, timeout, NULL, 0);
}
