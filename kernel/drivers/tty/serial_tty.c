/*
 * serial_tty.c — the serial console as a character device: /dev/console,
 * /dev/tty, /dev/ttyS0 (kestrel/tty.h).
 *
 * The smallest terminal a C library and a shell accept.  Output turns
 * "\n" into "\r\n" (termios ONLCR).  Input comes from the serial
 * driver's receive buffer: "\r" becomes "\n" (ICRNL) and everything typed
 * is echoed; read(2) sleeps until a byte arrives (on the wait queue the
 * receive interrupt wakes), then takes what is there up to the end of a
 * line or the count asked for; O_NONBLOCK gives EAGAIN instead of
 * sleeping; a signal ends the wait (-ERESTARTSYS: EINTR, or a restart).  poll(2)
 * reports POLLIN when typed bytes wait, POLLOUT always.  ioctl answers
 * TIOCGWINSZ with 80×24 (how C libraries tell a terminal from a file)
 * and FIONREAD; everything else is ENOTTY until lab 9's termios.
 *
 * Until lab 8 gives processes descriptor tables, console_file() is what
 * descriptors 0–2 mean (kernel/fs/fdtable.c).
 */
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/poll.h>
#include <kestrel/sched.h>
#include <kestrel/serial.h>
#include <kestrel/tty.h>
#include <kestrel/uaccess.h>
#include <kestrel/uio.h>
#include <uapi/asm-generic/ioctls.h>
#include <uapi/linux/fs.h>

#define CHUNK	256	/* bytes taken from the caller at a time */

/* Print @len bytes, "\n" as "\r\n". */
static void console_put(const char *buf, size_t len)
{
	size_t start = 0, i;

	for (i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		serial_write(buf + start, i - start);
		serial_write("\r\n", 2);
		start = i + 1;
	}
	serial_write(buf + start, len - start);
}

static ssize_t console_write_iter(struct file *file, struct iov_iter *from,
				  loff_t *pos)
{
	char chunk[CHUNK];
	size_t done = 0, n;

	while (iov_iter_count(from)) {
		n = copy_from_iter(chunk, MIN(sizeof(chunk), iov_iter_count(from)),
				   from);
		if (!n)
			return done ? (ssize_t)done : -EFAULT;
		console_put(chunk, n);
		done += n;
	}
	return done;
}

/* The next typed byte, ICRNL applied and echoed; -1 if none now. */
static int console_getc(void)
{
	int c = serial_read_byte();
	char ch;

	if (c < 0)
		return -1;
	if (c == '\r')
		c = '\n';
	ch = c;
	console_put(&ch, 1);
	return c;
}

/* Sleep until a byte is typed: 0, -EAGAIN (non-blocking), -EINTR. */
static int console_wait(struct file *file)
{
	int err;

	if (serial_rx_pending())
		return 0;
	if (file->f_flags & O_NONBLOCK)
		return -EAGAIN;
	err = wait_event_interruptible(*serial_rx_waitqueue(),
				       serial_rx_pending() ||
				       signal_pending(current));
	if (err || signal_pending(current))
		return -ERESTARTSYS;
	return 0;
}

static ssize_t console_read_iter(struct file *file, struct iov_iter *to,
				 loff_t *pos)
{
	size_t done = 0;
	int c, err;
	char ch;

	do {
		c = console_getc();
		if (c < 0) {
			if (done)
				break;
			err = console_wait(file);
			if (err)
				return err;
			continue;
		}
		ch = c;
		if (!copy_to_iter(&ch, 1, to))
			return done ? (ssize_t)done : -EFAULT;
		done++;
	} while (iov_iter_count(to) && c != '\n');
	return done;
}

static __poll_t console_poll(struct file *file, poll_table *pt)
{
	poll_wait(file, serial_rx_waitqueue(), pt);
	return POLLOUT | POLLWRNORM |
	       (serial_rx_pending() ? POLLIN | POLLRDNORM : 0);
}

static long console_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	static const struct winsize ws = { .ws_row = 24, .ws_col = 80 };

	switch (cmd) {
	case TIOCGWINSZ:
		return copy_to_user((void __user *)arg, &ws, sizeof(ws)) ?
		       -EFAULT : 0;
	case FIONREAD:
		return put_user(serial_rx_pending() ? 1 : 0, (int __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations console_fops = {
	.read_iter = console_read_iter,
	.write_iter = console_write_iter,
	.poll = console_poll,
	.ioctl = console_ioctl,
};

static struct file console_static = {
	.f_op = &console_fops,
	.f_count = 1,
	.f_flags = O_RDWR,
	.f_mode = FMODE_READ | FMODE_WRITE,
	.f_ep_links = LIST_HEAD_INIT(console_static.f_ep_links),
};

struct file *console_file(void)
{
	return &console_static;
}

void tty_console_init(void)
{
	register_chrdev(5, 0, 2, "tty", &console_fops);		/* tty, console */
	register_chrdev(4, 64, 1, "ttyS", &console_fops);	/* ttyS0 */
}
