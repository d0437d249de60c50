/*
 * console.c — file descriptors 0, 1 and 2 before there are files.
 *
 * Until lab 8 gives processes a file table, every process has the same
 * three descriptors, all of them the serial console, as if init had
 * opened /dev/console three times: read(0) takes typed bytes, write(1)
 * and write(2) print.  Other descriptors are EBADF.  Lab 8 replaces this
 * file with the VFS's read/write and lab 9 puts the tty layer (line
 * editing, echo, termios) behind /dev/console.
 *
 * What a terminal would do, in its smallest form: output turns "\n" into
 * "\r\n" (termios ONLCR), input turns "\r" into "\n" (ICRNL) and echoes
 * it.  read() returns as soon as one byte is there, up to the count
 * asked for; it waits by polling once a tick, which is slow but simple,
 * and ends early with EINTR if the process is killed.  ioctl answers
 * TIOCGWINSZ with 80×24, which is what C libraries use to decide that
 * stdout is a terminal (and line-buffer it); everything else is ENOTTY.
 *
 * Every buffer goes through uaccess, a chunk at a time: a bad pointer is
 * EFAULT, a partly bad one returns what was done before the fault.
 */
#include <kestrel/errno.h>
#include <kestrel/sched.h>
#include <kestrel/serial.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/asm-generic/ioctls.h>
#include <uapi/linux/uio.h>

#define CONSOLE_FDS	3
#define CHUNK		256	/* bytes copied from user space at a time */
#define MAX_RW_COUNT	0x7ffff000UL	/* Linux's largest read or write */

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

static long console_write(const char __user *buf, size_t count)
{
	char chunk[CHUNK];
	size_t done = 0, n;

	count = MIN(count, MAX_RW_COUNT);
	while (done < count) {
		n = MIN(count - done, sizeof(chunk));
		if (copy_from_user(chunk, buf + done, n))
			return done ? (long)done : -EFAULT;
		console_put(chunk, n);
		done += n;
	}
	return done;
}

/* The next typed byte, waiting for one; -EINTR if killed meanwhile. */
static int console_getc(void)
{
	int c;

	while ((c = serial_read_byte()) < 0) {
		if (signal_pending(current))
			return -EINTR;
		schedule_timeout_interruptible(1);
	}
	if (c == '\r')
		c = '\n';
	console_put((const char *)&c, 1);	/* echo (little-endian: low byte) */
	return c;
}

static long console_read(char __user *buf, size_t count)
{
	size_t done = 0;
	int c;

	if (count == 0)
		return 0;
	do {
		c = done ? serial_read_byte() : console_getc();
		if (c == -EINTR)
			return -EINTR;
		if (c < 0)
			break;
		if (done && c == '\r')
			c = '\n';
		if (done)
			console_put((const char *)&c, 1);
		if (put_user((char)c, buf + done))
			return done ? (long)done : -EFAULT;
		done++;
	} while (done < count && c != '\n');
	return done;
}

long sys_write(unsigned int fd, const char __user *buf, size_t count)
{
	if (fd >= CONSOLE_FDS)
		return -EBADF;
	return console_write(buf, count);
}

long sys_read(unsigned int fd, char __user *buf, size_t count)
{
	if (fd >= CONSOLE_FDS)
		return -EBADF;
	if (!access_ok(buf, MIN(count, MAX_RW_COUNT)))
		return -EFAULT;
	return console_read(buf, count);
}

/* readv/writev: each iovec in turn, stopping at the first short one. */
static long do_iov(unsigned long fd, const struct iovec __user *vec,
		   unsigned long vlen, bool write)
{
	struct iovec iov;
	long done = 0, n;
	unsigned long i;

	if (fd >= CONSOLE_FDS)
		return -EBADF;
	if (vlen > UIO_MAXIOV)
		return -EINVAL;
	for (i = 0; i < vlen; i++) {
		if (copy_from_user(&iov, vec + i, sizeof(iov)))
			return done ? done : -EFAULT;
		if ((long)iov.iov_len < 0)
			return -EINVAL;
		if (iov.iov_len == 0)
			continue;
		n = write ? console_write(iov.iov_base, iov.iov_len) :
			    sys_read(fd, iov.iov_base, iov.iov_len);
		if (n < 0)
			return done ? done : n;
		done += n;
		if ((size_t)n < iov.iov_len)
			break;
	}
	return done;
}

long sys_writev(unsigned long fd, const struct iovec __user *vec,
		unsigned long vlen)
{
	return do_iov(fd, vec, vlen, true);
}

long sys_readv(unsigned long fd, const struct iovec __user *vec,
	       unsigned long vlen)
{
	return do_iov(fd, vec, vlen, false);
}

long sys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	static const struct winsize ws = { .ws_row = 24, .ws_col = 80 };

	if (fd >= CONSOLE_FDS)
		return -EBADF;
	if (cmd == TIOCGWINSZ)
		return copy_to_user((void __user *)arg, &ws, sizeof(ws)) ? -EFAULT : 0;
	return -ENOTTY;
}
