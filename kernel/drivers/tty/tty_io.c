/*
 * tty_io.c — the tty core: from a character device to a tty_struct, and
 * the file operations every terminal shares (kestrel/tty.h, docs/tty.md).
 *
 * Opening.  Every tty device number reaches tty_open, which finds the
 * terminal: 4:64 and 5:1 are the serial line (ttyS0, and /dev/console,
 * which Linux redirects to the console's tty), 5:0 is the caller's
 * controlling terminal (ENXIO without one), 5:2 makes a new pty pair
 * (pty.c), 136:N is the slave of pty N.  tty_open_file then gives the
 * file a struct tty_file, counts the open, lets the driver know, and
 * makes the terminal the caller's controlling terminal when POSIX says
 * so (tty_jobctrl.c).
 *
 * Reading and writing go to the line discipline (n_tty.c) after the job
 * control checks: a background process group reading its controlling
 * terminal gets SIGTTIN, writing with TOSTOP SIGTTOU (a pty master is a
 * controller, not a terminal: it is never checked).
 *
 * Hangup.  A hangup bumps tty->hangup_gen; a file opened before it is
 * hung up for good — read gives 0 (end of file), write -EIO, poll
 * POLLHUP — while files opened afterwards work again.  Files opened as
 * /dev/console are never hung up (as Linux's redirected console files).
 *
 * The serial tty is made once and never freed (a line exists whether
 * anybody has it open); pty pairs are freed by pty.c when both halves
 * are closed.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/mutex.h>
#include <kestrel/poll.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/tty.h>
#include <uapi/linux/fcntl.h>

static DEFINE_MUTEX(tty_mutex);

void tty_mutex_lock(void)
{
	mutex_lock(&tty_mutex);
}

void tty_mutex_unlock(void)
{
	mutex_unlock(&tty_mutex);
}

const struct termios tty_std_termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE |
		   IEXTEN,
	.c_cc = {
		[VINTR] = 003, [VQUIT] = 034, [VERASE] = 0177, [VKILL] = 025,
		[VEOF] = 004, [VTIME] = 0, [VMIN] = 1, [VSTART] = 021,
		[VSTOP] = 023, [VSUSP] = 032, [VREPRINT] = 022,
		[VDISCARD] = 017, [VWERASE] = 027, [VLNEXT] = 026,
	},
};

struct tty_struct *tty_init_dev(struct tty_driver *driver, unsigned int index)
{
	struct tty_struct *tty = kzalloc(sizeof(*tty), GFP_KERNEL);

	if (!tty)
		return NULL;
	tty->driver = driver;
	tty->ops = driver->ops;
	tty->ldisc = &n_tty_ldisc;
	tty->index = index;
	tty->termios = driver->init_termios;
	tty->winsize.ws_row = 24;
	tty->winsize.ws_col = 80;
	spin_lock_init(&tty->lock);
	init_waitqueue_head(&tty->read_wait);
	init_waitqueue_head(&tty->write_wait);
	tty->ldisc->open(tty);
	return tty;
}

void tty_free(struct tty_struct *tty)
{
	if (tty->ldisc->close)
		tty->ldisc->close(tty);
	kfree(tty);
}

struct tty_struct *tty_file_tty(struct file *file)
{
	struct tty_file *tf;

	if (file->f_op != &tty_fops)
		return NULL;
	tf = file->private_data;
	return tf ? tf->tty : NULL;
}

bool tty_hung_up_file(struct file *file)
{
	struct tty_file *tf = file->private_data;

	return !tf->console &&
	       tf->gen != __atomic_load_n(&tf->tty->hangup_gen, __ATOMIC_ACQUIRE);
}

void tty_write_raw(struct tty_struct *tty, const unsigned char *buf, size_t len)
{
	tty->ops->write(tty, buf, len);
}

int tty_open_file(struct tty_struct *tty, struct file *file, bool console,
		  bool noctty)
{
	struct tty_file *tf = kmalloc(sizeof(*tf), GFP_KERNEL);
	int err;

	if (!tf)
		return -ENOMEM;
	tf->tty = tty;
	tf->gen = __atomic_load_n(&tty->hangup_gen, __ATOMIC_ACQUIRE);
	tf->console = console;
	file->private_data = tf;
	tty->count++;
	err = tty->ops->open ? tty->ops->open(tty, file) : 0;
	if (err) {
		tty->count--;
		file->private_data = NULL;
		kfree(tf);
		return err;
	}
	if (!noctty && !(file->f_flags & O_NOCTTY))
		tty_open_ctty(tty);
	return 0;
}

/* The controlling terminal of the caller, or NULL. */
static struct tty_struct *current_tty(void)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct tty_struct *tty = current->signal ? current->signal->tty : NULL;

	spin_unlock_irqrestore(&tasklist_lock, flags);
	return tty;
}

/* Which terminal device @dev is; ERR_PTR on failure.  tty_mutex held.
 * *@console and *@noctty say how it was reached. */
static struct tty_struct *tty_lookup(dev_t dev, bool *console, bool *noctty)
{
	struct tty_struct *tty;
	int err;

	*console = *noctty = false;
	if (dev == MKDEV(5, 0)) {
		*noctty = true;
		tty = current_tty();
		return tty ? tty : ERR_PTR(-ENXIO);
	}
	if (dev == MKDEV(5, 1) || dev == MKDEV(4, 64)) {
		*console = *noctty = dev == MKDEV(5, 1);
		tty = serial_tty_lookup();
		return tty ? tty : ERR_PTR(-ENOMEM);
	}
	if (MAJOR(dev) == 136) {
		tty = pty_lookup_slave(MINOR(dev));
		if (!tty)
			return ERR_PTR(-EIO);
		err = pty_slave_open_check(tty);
		return err ? ERR_PTR(err) : tty;
	}
	return ERR_PTR(-ENXIO);
}

static int tty_open(struct inode *inode, struct file *file)
{
	struct tty_struct *tty;
	bool console, noctty;
	int err;

	if (inode->i_rdev == MKDEV(5, 2))
		return ptmx_open(inode, file);
	tty_mutex_lock();
	tty = tty_lookup(inode->i_rdev, &console, &noctty);
	err = IS_ERR(tty) ? PTR_ERR(tty) : tty_open_file(tty, file, console,
							  noctty);
	tty_mutex_unlock();
	return err;
}

static int tty_release(struct inode *inode, struct file *file)
{
	struct tty_file *tf = file->private_data;
	struct tty_struct *tty;

	if (!tf)
		return 0;
	tty = tf->tty;
	tty_mutex_lock();
	tty->count--;
	if (tty->ops->close)
		tty->ops->close(tty, file);	/* may free a pty pair */
	tty_mutex_unlock();
	kfree(tf);
	return 0;
}

static bool is_master(struct tty_struct *tty)
{
	return tty->driver->subtype == PTY_MASTER;
}

static ssize_t tty_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct tty_struct *tty = tty_file_tty(file);
	int err;

	if (tty_hung_up_file(file))
		return 0;
	if (!is_master(tty)) {
		err = tty_check_change(tty, SIGTTIN);
		if (err)
			return err;
	}
	return tty->ldisc->read(tty, file, to);
}

static ssize_t tty_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	struct tty_struct *tty = tty_file_tty(file);
	int err;

	if (tty_hung_up_file(file))
		return -EIO;
	if (!is_master(tty) && (tty->termios.c_lflag & TOSTOP)) {
		err = tty_check_change(tty, SIGTTOU);
		if (err)
			return err;
	}
	return tty->ldisc->write(tty, file, from);
}

static __poll_t tty_poll(struct file *file, struct poll_table_struct *pt)
{
	struct tty_struct *tty = tty_file_tty(file);

	return tty->ldisc->poll(tty, file, pt);
}

const struct file_operations tty_fops = {
	.llseek = no_llseek,
	.read_iter = tty_read,
	.write_iter = tty_write,
	.poll = tty_poll,
	.ioctl = tty_ioctl,
	.open = tty_open,
	.release = tty_release,
};

int tty_register_driver(struct tty_driver *driver)
{
	return register_chrdev(driver->major, driver->minor_start, driver->num,
			       driver->name, &tty_fops);
}

void tty_hangup(struct tty_struct *tty)
{
	unsigned long flags;
	struct task *p;

	__atomic_add_fetch(&tty->hangup_gen, 1, __ATOMIC_RELEASE);
	flags = spin_lock_irqsave(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks) {
		if (p != p->group_leader || !p->signal || p->signal->tty != tty)
			continue;
		p->signal->tty = NULL;
		if (p->signal->session == p->tgid && !p->exit_state) {
			__send_signal(SIGHUP, NULL, p, true);
			__send_signal(SIGCONT, NULL, p, true);
		}
	}
	tty->session = tty->pgrp = 0;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	wake_up_all(&tty->read_wait);
	wake_up_all(&tty->write_wait);
}
