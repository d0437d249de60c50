/*
 * select.c — poll(2), ppoll(2), select(2), pselect6(2): waiting for one
 * of many files to become ready (kestrel/poll.h explains ->poll).
 *
 * One pass over the descriptors calls each file's ->poll with a table
 * whose queue procedure (__pollwait) hangs a waiter of ours — a
 * poll_table_entry — on every wait queue the file names.  If nothing is
 * ready the task sleeps; any of those queues waking sets `triggered` and
 * wakes us; we pass over the files again, this time without
 * registering (the waiters are still there), until something is ready,
 * the time is up, or a signal is pending (EINTR).  At the end every
 * waiter is taken off its queue and the files are released.
 *
 *	poll_wqueues ── entries[] ── {file, wait_queue_entry} on pipe->rd_wait
 *	                          └─ {file, wait_queue_entry} on console's queue
 *
 * The lost wake-up argument: we set our task state *before* reading
 * `triggered`, and pollwake sets `triggered` *before* waking us, so a
 * wake-up between the last pass and the sleep is never missed.
 *
 * Timeouts are an absolute deadline on the monotonic clock, slept in
 * whole ticks, never shorter than asked.  select(2), ppoll(2) and
 * pselect6(2) write back the time that was left, as Linux does.  The
 * signal masks of ppoll and pselect6 are checked (EINVAL for a bad size)
 * and otherwise ignored until lab 9 brings signals.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/jiffies.h>
#include <kestrel/ktime.h>
#include <kestrel/poll.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/linux/resource.h>
#include <uapi/linux/time_types.h>

#define POLL_INLINE	32	/* waiters without an allocation */
#define POLL_BLOCK	64	/* waiters per further allocation */
#define NO_DEADLINE	(~0ULL)

struct poll_wqueues;

struct poll_table_entry {
	struct file *filp;
	struct wait_queue_head *wq;
	struct wait_queue_entry wait;
	struct poll_wqueues *pwq;
};

struct poll_block {
	struct poll_block *next;
	int used;
	struct poll_table_entry entries[POLL_BLOCK];
};

/**
 * struct poll_wqueues - one poll or select in progress (on its stack)
 * @pt: the table handed to ->poll
 * @triggered: (A) a queue we wait on was woken
 * @error: -ENOMEM when a waiter could not be allocated
 * @used, @inline_entries: the first waiters; @more: the rest
 */
struct poll_wqueues {
	poll_table pt;
	int triggered;
	int error;
	int used;
	struct poll_table_entry inline_entries[POLL_INLINE];
	struct poll_block *more;
};

static int pollwake(struct wait_queue_entry *wait, unsigned int mode,
		    int flags, void *key)
{
	struct poll_table_entry *e = container_of(wait, struct poll_table_entry, wait);

	__atomic_store_n(&e->pwq->triggered, 1, __ATOMIC_SEQ_CST);
	return default_wake_function(wait, mode, flags, key);
}

static struct poll_table_entry *poll_get_entry(struct poll_wqueues *p)
{
	struct poll_block *b = p->more;

	if (p->used < POLL_INLINE)
		return &p->inline_entries[p->used++];
	if (!b || b->used == POLL_BLOCK) {
		b = kzalloc(sizeof(*b), GFP_KERNEL);
		if (!b)
			return NULL;
		b->next = p->more;
		p->more = b;
	}
	return &b->entries[b->used++];
}

/* The queue procedure: a waiter of ours on @wq, for @filp. */
static void __pollwait(struct file *filp, struct wait_queue_head *wq,
		       poll_table *pt)
{
	struct poll_wqueues *p = container_of(pt, struct poll_wqueues, pt);
	struct poll_table_entry *e = poll_get_entry(p);

	if (!e) {
		p->error = -ENOMEM;
		return;
	}
	e->filp = get_file(filp);
	e->wq = wq;
	e->pwq = p;
	e->wait.flags = 0;
	e->wait.private = current;
	e->wait.func = pollwake;
	list_init(&e->wait.entry);
	add_wait_queue(wq, &e->wait);
}

static void poll_initwait(struct poll_wqueues *p)
{
	p->pt.qproc = __pollwait;
	p->pt.key = ~0U;
	p->triggered = 0;
	p->error = 0;
	p->used = 0;
	p->more = NULL;
}

static void free_entry(struct poll_table_entry *e)
{
	remove_wait_queue(e->wq, &e->wait);
	fput(e->filp);
}

static void poll_freewait(struct poll_wqueues *p)
{
	struct poll_block *b;
	int i;

	for (i = 0; i < p->used; i++)
		free_entry(&p->inline_entries[i]);
	while ((b = p->more)) {
		for (i = 0; i < b->used; i++)
			free_entry(&b->entries[i]);
		p->more = b->next;
		kfree(b);
	}
}

/* Sleep until a queue triggers or @deadline (ns, monotonic); false when
 * the time is up. */
static bool poll_sleep(struct poll_wqueues *p, u64 deadline)
{
	u64 now = ktime_get();
	long ticks = MAX_SCHEDULE_TIMEOUT;

	if (deadline != NO_DEADLINE) {
		if (now >= deadline)
			return false;
		ticks = (deadline - now + TICK_NSEC - 1) / TICK_NSEC;
	}
	set_current_state(TASK_INTERRUPTIBLE);
	if (!__atomic_load_n(&p->triggered, __ATOMIC_SEQ_CST))
		schedule_timeout(ticks);
	__set_current_state(TASK_RUNNING);
	__atomic_store_n(&p->triggered, 0, __ATOMIC_SEQ_CST);
	return true;
}

/* A timeout in ms (poll) or a timespec into a deadline; NO_DEADLINE for
 * "wait for ever". */
static u64 deadline_ms(int timeout)
{
	return timeout < 0 ? NO_DEADLINE : ktime_get() + (u64)timeout * NSEC_PER_MSEC;
}

static long deadline_ts(const struct __kernel_timespec __user *uts, u64 *deadline)
{
	struct __kernel_timespec ts;

	*deadline = NO_DEADLINE;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long long)NSEC_PER_SEC)
		return -EINVAL;
	*deadline = ktime_get() + ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	return 0;
}

/* Write the time left until @deadline into *@uts. */
static void time_left_ts(struct __kernel_timespec __user *uts, u64 deadline)
{
	struct __kernel_timespec ts = { 0, 0 };
	u64 now = ktime_get();

	if (!uts || deadline == NO_DEADLINE)
		return;
	if (deadline > now) {
		ts.tv_sec = (deadline - now) / NSEC_PER_SEC;
		ts.tv_nsec = (deadline - now) % NSEC_PER_SEC;
	}
	(void)copy_to_user(uts, &ts, sizeof(ts));	/* failure ignored, as Linux */
}

static long check_sigmask(const void __user *sigmask, size_t size)
{
	return sigmask && size != sizeof(u64) ? -EINVAL : 0;
}

/* --- poll ------------------------------------------------------------------------ */

/* One pollfd: its revents (0 if not ready; POLLNVAL if not open). */
static short poll_one(struct pollfd *pfd, poll_table *pt)
{
	struct file *file;
	__poll_t mask;

	if (pfd->fd < 0)
		return 0;
	file = fget(pfd->fd);
	if (!file)
		return POLLNVAL;
	pt->key = pfd->events | POLLERR | POLLHUP;
	mask = vfs_poll(file, pt) & (pfd->events | POLLERR | POLLHUP);
	fput(file);
	return mask;
}

static long do_poll(struct pollfd *fds, unsigned int nfds, u64 deadline)
{
	struct poll_wqueues table;
	unsigned int i;
	long count;

	poll_initwait(&table);
	for (;;) {
		for (i = 0, count = 0; i < nfds; i++) {
			fds[i].revents = poll_one(&fds[i], &table.pt);
			if (fds[i].revents) {
				count++;
				table.pt.qproc = NULL;	/* no more waiters needed */
			}
		}
		table.pt.qproc = NULL;
		if (count || table.error)
			break;
		if (signal_pending(current)) {
			count = -ERESTARTNOHAND;	/* EINTR, or restarted */
			break;
		}
		if (!poll_sleep(&table, deadline))
			break;
	}
	poll_freewait(&table);
	return table.error && !count ? table.error : count;
}

static long poll_user(struct pollfd __user *ufds, unsigned int nfds,
		      u64 deadline)
{
	struct pollfd *fds = NULL;
	long ret;

	if (nfds > task_rlimit(current, RLIMIT_NOFILE))
		return -EINVAL;
	if (nfds) {
		fds = kmalloc(nfds * sizeof(*fds), GFP_KERNEL);
		if (!fds)
			return -ENOMEM;
		if (copy_from_user(fds, ufds, nfds * sizeof(*fds))) {
			kfree(fds);
			return -EFAULT;
		}
	}
	ret = do_poll(fds, nfds, deadline);
	if (ret >= 0 && nfds && copy_to_user(ufds, fds, nfds * sizeof(*fds)))
		ret = -EFAULT;
	kfree(fds);
	return ret;
}

long sys_poll(struct pollfd __user *ufds, unsigned int nfds, int timeout)
{
	return poll_user(ufds, nfds, deadline_ms(timeout));
}

long sys_ppoll(struct pollfd __user *ufds, unsigned int nfds,
	       struct __kernel_timespec __user *tsp, const void __user *sigmask,
	       size_t sigsetsize)
{
	u64 deadline;
	long ret = check_sigmask(sigmask, sigsetsize);

	if (!ret)
		ret = deadline_ts(tsp, &deadline);
	if (ret)
		return ret;
	ret = poll_user(ufds, nfds, deadline);
	time_left_ts(tsp, deadline);
	return ret;
}

/* --- select ------------------------------------------------------------------------ */

#define POLLIN_SET	(POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET	(POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET	(POLLPRI)
#define BITS		64

/* The six bitmaps of a select: in, out, ex asked; in, out, ex ready. */
struct fd_sets {
	unsigned long *in, *out, *ex, *res_in, *res_out, *res_ex;
};

static bool test_fd(const unsigned long *set, int fd)
{
	return (set[fd / BITS] >> (fd % BITS)) & 1;
}

/* One pass over the @n descriptors; the number ready, or -EBADF. */
static long select_pass(struct fd_sets *s, int n, poll_table *pt)
{
	long count = 0;
	__poll_t mask;
	struct file *file;
	int fd;

	for (fd = 0; fd < n; fd++) {
		bool in = test_fd(s->in, fd), out = test_fd(s->out, fd),
		     ex = test_fd(s->ex, fd);

		if (!in && !out && !ex)
			continue;
		file = fget(fd);
		if (!file)
			return -EBADF;
		mask = vfs_poll(file, pt);
		fput(file);
		if (in && (mask & POLLIN_SET)) {
			s->res_in[fd / BITS] |= 1UL << (fd % BITS);
			count++;
		}
		if (out && (mask & POLLOUT_SET)) {
			s->res_out[fd / BITS] |= 1UL << (fd % BITS);
			count++;
		}
		if (ex && (mask & POLLEX_SET)) {
			s->res_ex[fd / BITS] |= 1UL << (fd % BITS);
			count++;
		}
	}
	return count;
}

static long do_select(struct fd_sets *s, int n, size_t bytes, u64 deadline)
{
	struct poll_wqueues table;
	long count;

	poll_initwait(&table);
	for (;;) {
		memset(s->res_in, 0, 3 * bytes);
		count = select_pass(s, n, &table.pt);
		table.pt.qproc = NULL;
		if (count || table.error)
			break;
		if (signal_pending(current)) {
			count = -ERESTARTNOHAND;	/* EINTR, or restarted */
			break;
		}
		if (!poll_sleep(&table, deadline))
			break;
	}
	poll_freewait(&table);
	return table.error && !count ? table.error : count;
}

/* Copy a user fd_set of @bytes in (NULL: empty). */
static long get_set(unsigned long *k, unsigned long __user *u, size_t bytes)
{
	if (!u) {
		memset(k, 0, bytes);
		return 0;
	}
	return copy_from_user(k, u, bytes) ? -EFAULT : 0;
}

static long core_sys_select(int n, unsigned long __user *inp,
			    unsigned long __user *outp,
			    unsigned long __user *exp, u64 deadline)
{
	struct files_struct *files = current_files();
	size_t bytes;
	struct fd_sets s;
	unsigned long *bits;
	long ret;

	if (n < 0)
		return -EINVAL;
	if (files && (unsigned int)n > files->max_fds)
		n = files->max_fds;	/* no descriptor above the table */
	bytes = (n + BITS - 1) / BITS * sizeof(long);
	bits = kzalloc(6 * bytes + 1, GFP_KERNEL);
	if (!bits)
		return -ENOMEM;
	s.in = bits;
	s.out = (void *)((char *)bits + bytes);
	s.ex = (void *)((char *)bits + 2 * bytes);
	s.res_in = (void *)((char *)bits + 3 * bytes);
	s.res_out = (void *)((char *)bits + 4 * bytes);
	s.res_ex = (void *)((char *)bits + 5 * bytes);
	ret = get_set(s.in, inp, bytes) ?: get_set(s.out, outp, bytes) ?:
	      get_set(s.ex, exp, bytes);
	if (!ret)
		ret = do_select(&s, n, bytes, deadline);
	if (ret >= 0 && ((inp && copy_to_user(inp, s.res_in, bytes)) ||
			 (outp && copy_to_user(outp, s.res_out, bytes)) ||
			 (exp && copy_to_user(exp, s.res_ex, bytes))))
		ret = -EFAULT;
	kfree(bits);
	return ret;
}

long sys_select(int n, unsigned long __user *inp, unsigned long __user *outp,
		unsigned long __user *exp, struct __kernel_old_timeval __user *tvp)
{
	struct __kernel_old_timeval tv;
	u64 deadline = NO_DEADLINE, now;
	long ret;

	if (tvp) {
		if (copy_from_user(&tv, tvp, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return -EINVAL;
		/* Linux folds microseconds ≥ 1 s into the seconds. */
		deadline = ktime_get() + tv.tv_sec * NSEC_PER_SEC +
			   (u64)tv.tv_usec * NSEC_PER_USEC;
	}
	ret = core_sys_select(n, inp, outp, exp, deadline);
	if (tvp) {
		now = ktime_get();
		tv.tv_sec = deadline > now ? (deadline - now) / NSEC_PER_SEC : 0;
		tv.tv_usec = deadline > now ?
			     (deadline - now) % NSEC_PER_SEC / NSEC_PER_USEC : 0;
		/* A failure to write the time back is ignored, as in Linux. */
		(void)copy_to_user(tvp, &tv, sizeof(tv));
	}
	return ret;
}

long sys_pselect6(int n, unsigned long __user *inp, unsigned long __user *outp,
		  unsigned long __user *exp, struct __kernel_timespec __user *tsp,
		  void __user *sig)
{
	struct { const void __user *ss; size_t len; } sigdata;
	u64 deadline;
	long ret;

	if (sig && copy_from_user(&sigdata, sig, sizeof(sigdata)))
		return -EFAULT;
	ret = sig ? check_sigmask(sigdata.ss, sigdata.len) : 0;
	if (!ret)
		ret = deadline_ts(tsp, &deadline);
	if (ret)
		return ret;
	ret = core_sys_select(n, inp, outp, exp, deadline);
	time_left_ts(tsp, deadline);
	return ret;
}
