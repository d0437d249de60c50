/*
 * kestrel/poll.h — waiting for files to become ready: what poll(2),
 * select(2) and epoll(7) need from every file that can block
 * (kernel/fs/select.c, eventpoll.c).
 *
 * A file that can block (a pipe, the console, an eventfd) has wait
 * queues its writers and readers sleep on.  Its ->poll operation does
 * two things: it says what is possible *now* (POLLIN, POLLOUT, POLLHUP…)
 * and it calls poll_wait() on each wait queue where a change would be
 * announced.  poll_wait hands the queue to the poll table's queue
 * procedure, which poll/select (or epoll) use to add a waiter of their
 * own to it.  When the file's state changes, its wake_up on that queue
 * reaches those waiters and the poller looks again.  So one ->poll
 * serves poll, select and epoll, and a driver never knows who asks:
 *
 *	static __poll_t pipe_poll(struct file *f, poll_table *pt)
 *	{
 *		poll_wait(f, &pipe->rd_wait, pt);	// then look:
 *		return pipe_empty(pipe) ? 0 : POLLIN | POLLRDNORM;
 *	}
 *
 * The order matters for the same reason as in wait_event (DOC:
 * wakeup-race): register first, look second, so that a change between
 * the two is not missed.  A NULL table (or one whose queue procedure is
 * NULL) only asks "what now?".
 */
#ifndef KESTREL_POLL_H
#define KESTREL_POLL_H

#include <kestrel/fs.h>
#include <kestrel/wait.h>
#include <uapi/linux/poll.h>

struct poll_table_struct;
typedef struct poll_table_struct poll_table;

typedef void (*poll_queue_proc)(struct file *file, struct wait_queue_head *wq,
				poll_table *pt);

/**
 * struct poll_table_struct - the poller's side of poll_wait
 * @qproc: adds a waiter to the queue it is given; NULL: do not wait
 * @key: the events the poller is interested in (all, for select and poll)
 */
struct poll_table_struct {
	poll_queue_proc qproc;
	__poll_t key;
};

/** poll_wait - tell the poller of @pt that a change of @file's state is
 *  announced on @wq. */
static inline void poll_wait(struct file *file, struct wait_queue_head *wq,
			     poll_table *pt)
{
	if (pt && pt->qproc && wq)
		pt->qproc(file, wq, pt);
}

/** DEFAULT_POLLMASK - a file without ->poll is always ready. */
#define DEFAULT_POLLMASK	(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

/** vfs_poll - @file's ready events (->poll, or DEFAULT_POLLMASK). */
static inline __poll_t vfs_poll(struct file *file, poll_table *pt)
{
	if (!file->f_op || !file->f_op->poll)
		return DEFAULT_POLLMASK;
	return file->f_op->poll(file, pt);
}

/** eventpoll_release - @file is being freed: forget it in every epoll
 *  set that watches it (called by fput). */
void eventpoll_release(struct file *file);

#endif
