/*
 * syslog.c — syslog(2): reading and controlling the kernel log from user
 * space (busybox's dmesg and klogd; glibc calls it klogctl).
 *
 * The log is printk's ring buffer (kernel/core/printk.c), where every
 * message is stored as "<level>text\n", the form syslog(2) returns.
 * Positions are counts of bytes ever logged, so a reader knows what it
 * missed when the ring wrapped.  Two positions live here:
 *
 *	read_pos   where SYSLOG_ACTION_READ (2) goes on: it consumes what it
 *	           returns, like a pipe (klogd)
 *	clear_pos  where the log starts for READ_ALL (3) after a CLEAR (5)
 *	           or READ_CLEAR (4); nothing is erased
 *
 * The actions, their numbers and their rules are syslog(2)'s:
 *
 *	0 CLOSE, 1 OPEN      nothing to do; 0
 *	2 READ               wait until the log has unread bytes, return up
 *	                     to @len of them (EINTR/restart on a signal)
 *	3 READ_ALL           the newest whole lines since the last clear that
 *	                     fit in @len, without consuming anything
 *	4 READ_CLEAR         READ_ALL, then clear
 *	5 CLEAR              forget everything logged so far, for READ_ALL
 *	6 CONSOLE_OFF        stop printing messages on the console (level 1,
 *	                     emergencies only), 7 CONSOLE_ON undoes it
 *	8 CONSOLE_LEVEL      print messages below level @len (1 … 8) on the
 *	                     console
 *	9 SIZE_UNREAD        bytes READ would return now
 *	10 SIZE_BUFFER       the ring buffer's size
 *
 * An unknown action, or for the reading ones a NULL buffer or a negative
 * @len, is EINVAL; @len 0 returns 0; a bad buffer is EFAULT.  Permission:
 * as on Linux with kernel.dmesg_restrict=0 (its default), anyone may
 * READ_ALL and SIZE_BUFFER, and only root (CAP_SYSLOG on Linux) may do
 * the rest: EPERM, checked before anything else.
 *
 * READ waits by polling every POLL_MS: printk runs in every context,
 * with the scheduler's own locks held, so it cannot wake a wait queue.
 *
 * Lock: syslog_mutex (may sleep) covers read_pos, clear_pos and
 * saved_level, and keeps two READs from returning the same bytes; READ
 * does not hold it while it waits.
 */
#include <kestrel/delay.h>
#include <kestrel/errno.h>
#include <kestrel/mutex.h>
#include <kestrel/printk.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>

/* Linux include/linux/syslog.h */
#define SYSLOG_ACTION_CLOSE		0
#define SYSLOG_ACTION_OPEN		1
#define SYSLOG_ACTION_READ		2
#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_READ_CLEAR	4
#define SYSLOG_ACTION_CLEAR		5
#define SYSLOG_ACTION_CONSOLE_OFF	6
#define SYSLOG_ACTION_CONSOLE_ON	7
#define SYSLOG_ACTION_CONSOLE_LEVEL	8
#define SYSLOG_ACTION_SIZE_UNREAD	9
#define SYSLOG_ACTION_SIZE_BUFFER	10

#define MIN_CONSOLE_LEVEL	1	/* CONSOLE_OFF: emergencies still shown */
#define POLL_MS			100	/* READ's wait between looks */
#define CHUNK			256	/* bytes copied to user space at a time */

static DEFINE_MUTEX(syslog_mutex);
static u64 read_pos;		/* syslog_mutex */
static u64 clear_pos;		/* syslog_mutex */
static int saved_level;		/* syslog_mutex: before CONSOLE_OFF; 0: on */

/* Copy the log from *@from up to @end (at most @len bytes) to @buf.
 * Returns the bytes copied or -EFAULT. */
static long copy_log(char __user *buf, long len, u64 *from, u64 end)
{
	char chunk[CHUNK];
	long done = 0;
	size_t n;

	while (done < len && *from < end) {
		n = MIN((u64)MIN((long)sizeof(chunk), len - done), end - *from);
		n = log_buf_copy(chunk, n, from);
		if (!n)
			break;
		if (copy_to_user(buf + done, chunk, n))
			return -EFAULT;
		done += n;
	}
	return done;
}

/* The start of the first whole line at or after @pos (before @head). */
static u64 next_line(u64 pos, u64 head)
{
	char c;

	while (pos < head) {
		u64 at = pos;

		if (!log_buf_copy(&c, 1, &at))
			break;
		pos = at;
		if (c == '\n')
			break;
	}
	return pos;
}

/* READ_ALL and READ_CLEAR: the newest whole lines since clear_pos. */
static long read_all(char __user *buf, long len, bool clear)
{
	u64 oldest, head, start;
	long n;

	log_buf_bounds(&oldest, &head);
	start = MAX(oldest, clear_pos);
	if (start == oldest && oldest > 0)
		start = next_line(start, head);	/* the ring cut a line */
	if (head - start > (u64)len)
		start = next_line(head - len, head);
	n = copy_log(buf, len, &start, head);
	if (n >= 0 && clear)
		clear_pos = head;
	return n;
}

/* READ: wait for unread bytes, then consume up to @len of them.  The
 * mutex is not held while waiting, so dmesg is not kept waiting. */
static long read_wait(char __user *buf, long len)
{
	u64 oldest, head;
	long n;

	for (;;) {
		mutex_lock(&syslog_mutex);
		log_buf_bounds(&oldest, &head);
		if (read_pos < head)
			break;
		mutex_unlock(&syslog_mutex);
		if (signal_pending(current))
			return -ERESTARTSYS;
		msleep_interruptible(POLL_MS);
	}
	n = copy_log(buf, len, &read_pos, head);
	mutex_unlock(&syslog_mutex);
	return n;
}

/* Check @buf and @len for the reading actions: 0 to go on, 1 when @len
 * is 0 (nothing to do), or -errno. */
static int check_read_args(const char __user *buf, int len)
{
	if (!buf || len < 0)
		return -EINVAL;
	if (len == 0)
		return 1;
	if (!access_ok(buf, len))
		return -EFAULT;
	return 0;
}

static long do_syslog(int type, char __user *buf, int len)
{
	u64 oldest, head;
	int err;

	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		err = check_read_args(buf, len);
		if (err)
			return err < 0 ? err : 0;
		return read_all(buf, len, type == SYSLOG_ACTION_READ_CLEAR);
	case SYSLOG_ACTION_CLEAR:
		log_buf_bounds(&oldest, &clear_pos);
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		if (!saved_level)
			saved_level = console_loglevel_get();
		console_loglevel_set(MIN_CONSOLE_LEVEL);
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		if (saved_level)
			console_loglevel_set(saved_level);
		saved_level = 0;
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		console_loglevel_set(MAX(len, MIN_CONSOLE_LEVEL));
		saved_level = 0;	/* an explicit level ends CONSOLE_OFF */
		return 0;
	case SYSLOG_ACTION_SIZE_UNREAD:
		log_buf_bounds(&oldest, &head);
		return head - MAX(read_pos, oldest);
	case SYSLOG_ACTION_SIZE_BUFFER:
		return log_buf_size();
	default:
		return -EINVAL;
	}
}

long sys_syslog(int type, char __user *buf, int len)
{
	long ret;
	int err;

	if (type != SYSLOG_ACTION_READ_ALL && type != SYSLOG_ACTION_SIZE_BUFFER &&
	    current->cred->euid != 0)
		return -EPERM;
	if (type == SYSLOG_ACTION_READ) {
		err = check_read_args(buf, len);
		return err ? (err < 0 ? err : 0) : read_wait(buf, len);
	}
	mutex_lock(&syslog_mutex);
	ret = do_syslog(type, buf, len);
	mutex_unlock(&syslog_mutex);
	return ret;
}
