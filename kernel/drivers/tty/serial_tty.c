/*
 * serial_tty.c — the serial port as a tty: ttyS0 (4:64), and the
 * terminal behind /dev/console (5:1) and console_file() (kestrel/tty.h).
 *
 * The driver half of the picture in docs/tty.md.  Output: the bytes the
 * line discipline has processed go to the UART by polling
 * (serial_write); the port takes everything, so write_room is constant.
 * Input: once the tty exists, the UART's receive interrupt calls
 * serial_tty_receive (serial_set_receiver), which drains the serial
 * driver's ring buffer into N_TTY — in interrupt context, so that ^C
 * typed while a program computes or sleeps becomes SIGINT at once,
 * whether or not anybody reads.  Until then (the console echo loop of
 * labs 4 and 5, the stages without user space) the ring buffer is read
 * by serial_read_byte as before.
 *
 * The tty is made on first use and never freed; its settings are
 * Linux's defaults (tty_std_termios) at 115200 baud with CLOCAL, as the
 * port is programmed (drivers/serial/8250.c).
 */
#include <kestrel/fs.h>
#include <kestrel/serial.h>
#include <kestrel/tty.h>
#include <kestrel/uaccess.h>
#include <uapi/linux/fcntl.h>
#include <uapi/linux/serial.h>

static size_t serial_tty_write(struct tty_struct *tty, const unsigned char *buf,
			       size_t len)
{
	serial_write((const char *)buf, len);
	return len;
}

static size_t serial_tty_write_room(struct tty_struct *tty)
{
	return 4096;	/* polled: the port takes everything */
}

/* TIOCGSERIAL: which port this is (busybox's cttyhack asks it to find
 * the device behind /dev/console). */
static long serial_tty_ioctl(struct tty_struct *tty, unsigned int cmd,
			     unsigned long arg)
{
	struct serial_struct ss;

	if (cmd != TIOCGSERIAL)
		return -ENOIOCTLCMD;
	serial_describe(&ss);
	return copy_to_user((void __user *)arg, &ss, sizeof(ss)) ? -EFAULT : 0;
}

static const struct tty_operations serial_tty_ops = {
	.write = serial_tty_write,
	.write_room = serial_tty_write_room,
	.ioctl = serial_tty_ioctl,
};

static struct tty_driver serial_driver = {
	.name = "ttyS",
	.major = 4,
	.minor_start = 64,
	.num = 1,
	.subtype = TTY_SERIAL,
	.ops = &serial_tty_ops,
};

static struct tty_struct *serial_tty;	/* (M) made once */

/* The receive interrupt's consumer: everything in the ring to N_TTY. */
static void serial_tty_receive(void)
{
	unsigned char buf[64];
	size_t n = 0;
	int c;

	while ((c = serial_read_byte()) >= 0) {
		buf[n++] = c;
		if (n == sizeof(buf)) {
			serial_tty->ldisc->receive_buf(serial_tty, buf, n);
			n = 0;
		}
	}
	if (n)
		serial_tty->ldisc->receive_buf(serial_tty, buf, n);
}

struct tty_struct *serial_tty_lookup(void)
{
	if (serial_tty)
		return serial_tty;
	serial_tty = tty_init_dev(&serial_driver, 0);
	if (serial_tty)
		serial_set_receiver(serial_tty_receive);
	return serial_tty;
}

/* /dev/console for processes without a descriptor table. */
static struct tty_file console_tf = { .console = true };

static struct file console_static = {
	.f_op = &tty_fops,
	.f_count = 1,
	.f_flags = O_RDWR,
	.f_mode = FMODE_READ | FMODE_WRITE,
	.private_data = &console_tf,
	.f_ep_links = LIST_HEAD_INIT(console_static.f_ep_links),
};

struct file *console_file(void)
{
	tty_mutex_lock();
	if (!console_tf.tty) {
		console_tf.tty = serial_tty_lookup();
		if (console_tf.tty)
			console_tf.tty->count++;
	}
	tty_mutex_unlock();
	return &console_static;
}

void tty_console_init(void)
{
	serial_driver.init_termios = tty_std_termios;
	serial_driver.init_termios.c_cflag = B115200 | CS8 | CREAD | HUPCL |
					     CLOCAL;
	register_chrdev(5, 0, 2, "tty", &tty_fops);	/* tty, console */
	tty_register_driver(&serial_driver);
	pty_init();
}
