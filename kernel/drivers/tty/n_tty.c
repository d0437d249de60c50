/*
 * n_tty.c — the N_TTY line discipline: the layer between a tty's driver
 * and the read(2)/write(2) of its files (kestrel/tty.h).
 *
 * The editing itself — the input buffer, canonical lines, echo, output
 * processing — is n_tty_edit.c, pure and host-tested.  This file adds
 * what needs a kernel: tty->lock around every use of it, sleeping
 * readers and writers, the signals of ISIG, the driver.
 *
 * Input: the driver calls receive_buf (the serial port from its receive
 * interrupt, a pty from its peer's write).  Each byte goes through
 * n_tty_receive_char under the lock; then, with the lock dropped, the
 * echo is sent to the driver, ISIG's signals go to the foreground group
 * (so ^C works while nobody reads), readers are woken.  Input keeps
 * arriving while a writer is busy: the UART interrupts a polled write,
 * and a pty's two directions are independent.
 *
 * Reading (termios(3), "Canonical and noncanonical mode"): canonical
 * mode returns at most one line (a VEOF alone: 0, end of file);
 * non-canonical mode follows MIN and TIME (c_cc[VMIN], c_cc[VTIME] in
 * tenths of a second):
 *	MIN = 0, TIME = 0: what is there, possibly nothing, at once;
 *	MIN > 0, TIME = 0: wait until MIN bytes (or the count asked);
 *	MIN = 0, TIME > 0: wait up to TIME for one byte;
 *	MIN > 0, TIME > 0: wait for the first byte, then until MIN bytes
 *	                   or a gap of TIME between bytes.
 * Writing: output processing (OPOST, ONLCR …) byte by byte into a small
 * buffer, sent to the driver in pieces no larger than its write_room,
 * waiting while output is stopped (IXON's ^S, TCOOFF) or the driver is
 * full (a pty whose reader is slow).
 */
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/jiffies.h>
#include <kestrel/poll.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/tty.h>
#include <kestrel/uio.h>

#define CHUNK	256	/* bytes moved per step, on the stack */

/* Send the pending echo to the driver, outside the lock. */
static void flush_echo(struct tty_struct *tty)
{
	unsigned char out[64];
	unsigned long flags;
	size_t n;

	for (;;) {
		flags = spin_lock_irqsave(&tty->lock);
		n = n_tty_take_echo(&tty->ed, &tty->termios, out, sizeof(out));
		spin_unlock_irqrestore(&tty->lock, flags);
		if (!n)
			return;
		tty_write_raw(tty, out, n);
	}
}

static void n_tty_receive_buf(struct tty_struct *tty, const unsigned char *buf,
			      size_t len)
{
	int sigs[4], nsig = 0, act, i;
	bool restart = false;
	unsigned long flags;
	size_t k;

	flags = spin_lock_irqsave(&tty->lock);
	for (k = 0; k < len; k++) {
		act = n_tty_receive_char(&tty->ed, &tty->termios, buf[k]);
		if ((act & N_TTY_SIGNAL) && nsig < (int)ARRAY_SIZE(sigs))
			sigs[nsig++] = tty->ed.sig;
		if (act & N_TTY_STOP)
			tty->flags |= TTY_STOPPED;
		if ((act & N_TTY_START) && (tty->flags & TTY_STOPPED)) {
			tty->flags &= ~TTY_STOPPED;
			restart = true;
		}
	}
	spin_unlock_irqrestore(&tty->lock, flags);
	flush_echo(tty);
	for (i = 0; i < nsig; i++)
		tty_signal_pgrp(tty, sigs[i]);
	wake_up_all(&tty->read_wait);
	if (restart)
		wake_up_all(&tty->write_wait);
}

/* --- reading ------------------------------------------------------------------ */

/* Nothing more will come: hung up, or a pty whose peer closed. */
static bool input_gone(struct tty_struct *tty, struct file *file)
{
	return (tty->flags & (TTY_HUPPED | TTY_OTHER_CLOSED)) ||
	       tty_hung_up_file(file);
}

/* Take what a read may take now into @to; sets *@line_end. */
static ssize_t take(struct tty_struct *tty, struct iov_iter *to, size_t max,
		    bool *line_end)
{
	unsigned char kbuf[CHUNK];
	unsigned long flags;
	size_t n;

	flags = spin_lock_irqsave(&tty->lock);
	n = n_tty_take(&tty->ed, &tty->termios, kbuf, MIN(max, sizeof(kbuf)),
		       line_end);
	spin_unlock_irqrestore(&tty->lock, flags);
	if (n && tty->ops->unthrottle)
		tty->ops->unthrottle(tty);
	if (n && copy_to_iter(kbuf, n, to) != n)
		return -EFAULT;
	return n;
}

/* Has a non-canonical read of @count bytes that got @copied finished?
 * (The table at the head of this file.) */
static bool noncanon_done(const struct termios *t, size_t count, size_t copied)
{
	unsigned int vmin = t->c_cc[VMIN], vtime = t->c_cc[VTIME];

	if (!vmin)
		return copied || !vtime;
	return copied >= MIN((size_t)vmin, count);
}

/* How long to wait for more (jiffies): TIME runs from the start of the
 * read when MIN is 0, between bytes once one came otherwise. */
static long noncanon_timeout(const struct termios *t, size_t copied)
{
	unsigned int vmin = t->c_cc[VMIN], vtime = t->c_cc[VTIME];

	if (vtime && (!vmin || copied))
		return (long)vtime * HZ / 10;
	return MAX_SCHEDULE_TIMEOUT;
}

static ssize_t n_tty_read(struct tty_struct *tty, struct file *file,
			  struct iov_iter *to)
{
	size_t count = iov_iter_count(to), copied = 0;
	bool canon, line_end = false;
	long timeout, left;
	ssize_t n;

	for (;;) {
		canon = tty->termios.c_lflag & ICANON;
		n = take(tty, to, count - copied, &line_end);
		if (n < 0)
			return copied ? (ssize_t)copied : n;
		copied += n;
		if (copied == count || (canon && line_end) ||
		    (!canon && noncanon_done(&tty->termios, count, copied)))
			break;
		if (n)
			continue;	/* more may be there already */
		if (input_gone(tty, file)) {
			if (copied || (tty->flags & TTY_HUPPED) ||
			    !(tty->flags & TTY_OTHER_CLOSED))
				break;
			return -EIO;	/* pty master, slave closed */
		}
		if (file->f_flags & O_NONBLOCK) {
			if (copied)
				break;
			return -EAGAIN;
		}
		timeout = canon ? MAX_SCHEDULE_TIMEOUT :
				  noncanon_timeout(&tty->termios, copied);
		left = wait_event_interruptible_timeout(tty->read_wait,
				n_tty_readable(&tty->ed, &tty->termios) ||
				input_gone(tty, file), timeout);
		if (left == -ERESTARTSYS)
			return copied ? (ssize_t)copied : -ERESTARTSYS;
		if (!left && !n_tty_readable(&tty->ed, &tty->termios))
			break;		/* TIME ran out */
	}
	return copied;
}

/* --- writing ------------------------------------------------------------------ */

/* Sleep until output may go on: 0, -EAGAIN, -EIO (hung up), -ERESTARTSYS. */
static int wait_for_room(struct tty_struct *tty, struct file *file)
{
	if (tty->flags & TTY_HUPPED || tty_hung_up_file(file))
		return -EIO;
	if (!(tty->flags & TTY_STOPPED) && tty->ops->write_room(tty) >= 2)
		return 0;
	if (file->f_flags & O_NONBLOCK)
		return -EAGAIN;
	return wait_event_interruptible(tty->write_wait,
			(tty->flags & TTY_HUPPED) || tty_hung_up_file(file) ||
			(!(tty->flags & TTY_STOPPED) &&
			 tty->ops->write_room(tty) >= 2));
}

/* Output-process @src[*@i…] into @out while it fits @room; returns the
 * bytes made and advances *@i. */
static size_t process(struct tty_struct *tty, const unsigned char *src,
		      size_t len, size_t *i, unsigned char *out, size_t room)
{
	unsigned long flags = spin_lock_irqsave(&tty->lock);
	size_t n = 0;

	while (*i < len && n + 2 <= room) {
		n += n_tty_opost(&tty->termios, &tty->ed.column, src[*i], out + n);
		(*i)++;
	}
	spin_unlock_irqrestore(&tty->lock, flags);
	return n;
}

static ssize_t n_tty_write(struct tty_struct *tty, struct file *file,
			   struct iov_iter *from)
{
	unsigned char src[CHUNK / 2], out[CHUNK];
	size_t done = 0, len, i, n;
	int err;

	while (iov_iter_count(from)) {
		len = copy_from_iter(src, MIN(sizeof(src), iov_iter_count(from)),
				     from);
		if (!len)
			return done ? (ssize_t)done : -EFAULT;
		for (i = 0; i < len;) {
			err = wait_for_room(tty, file);
			if (err)
				return done + i ? (ssize_t)(done + i) : err;
			n = process(tty, src, len, &i, out,
				    MIN(sizeof(out), tty->ops->write_room(tty)));
			tty->ops->write(tty, out, n);
		}
		done += len;
	}
	return done;
}

/* --- the rest ------------------------------------------------------------------ */

static unsigned int n_tty_poll(struct tty_struct *tty, struct file *file,
			       struct poll_table_struct *pt)
{
	unsigned int mask = 0;

	poll_wait(file, &tty->read_wait, pt);
	poll_wait(file, &tty->write_wait, pt);
	if (tty_hung_up_file(file) || (tty->flags & TTY_HUPPED))
		return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM | POLLHUP | POLLERR;
	if (n_tty_readable(&tty->ed, &tty->termios))
		mask |= POLLIN | POLLRDNORM;
	if (tty->flags & TTY_OTHER_CLOSED)
		mask |= POLLHUP;
	if (!(tty->flags & TTY_STOPPED) && tty->ops->write_room(tty) >= 2)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

/* Leaving canonical mode makes the line being typed readable; entering
 * it makes what was typed in raw mode the start of a line. */
static void n_tty_set_termios(struct tty_struct *tty, const struct termios *old)
{
	unsigned long flags = spin_lock_irqsave(&tty->lock);

	if ((old->c_lflag ^ tty->termios.c_lflag) & ICANON) {
		if (tty->termios.c_lflag & ICANON)
			tty->ed.canon_head = tty->ed.read_tail;
		else
			tty->ed.canon_head = tty->ed.head;
	}
	spin_unlock_irqrestore(&tty->lock, flags);
	wake_up_all(&tty->read_wait);
}

static void n_tty_flush(struct tty_struct *tty)
{
	unsigned long flags = spin_lock_irqsave(&tty->lock);

	n_tty_flush_input(&tty->ed);
	spin_unlock_irqrestore(&tty->lock, flags);
	if (tty->ops->unthrottle)
		tty->ops->unthrottle(tty);
}

static unsigned int n_tty_chars(struct tty_struct *tty)
{
	unsigned long flags = spin_lock_irqsave(&tty->lock);
	unsigned int n = n_tty_available(&tty->ed, &tty->termios);

	spin_unlock_irqrestore(&tty->lock, flags);
	return n;
}

static int n_tty_open(struct tty_struct *tty)
{
	n_tty_edit_init(&tty->ed);
	return 0;
}

const struct tty_ldisc_ops n_tty_ldisc = {
	.name = "n_tty",
	.open = n_tty_open,
	.read = n_tty_read,
	.write = n_tty_write,
	.poll = n_tty_poll,
	.receive_buf = n_tty_receive_buf,
	.set_termios = n_tty_set_termios,
	.flush_input = n_tty_flush,
	.chars_in_buffer = n_tty_chars,
};
