/*
 * pty.c — Unix 98 pseudo-terminals: /dev/ptmx (5:2) and /dev/pts/N
 * (136:N) (kestrel/tty.h; pty(7), posix_openpt(3), ptsname(3),
 * unlockpt(3)).
 *
 * A pty is two ttys joined back to back.  What a program writes to the
 * master arrives as input on the slave, where N_TTY edits, echoes and
 * signals as on any terminal; what is written to the slave (output
 * processing applied: ONLCR) arrives as input on the master, whose own
 * N_TTY is raw (no echo, no canonical mode, no output processing), so
 * the master reads exactly what the slave's side printed:
 *
 *	 master fd ── write ─> pty_write ─> slave N_TTY input ─> slave read
 *	 master fd <── read ── master N_TTY input <─ pty_write <─ slave write/echo
 *
 * Each half's write_room is the free space of its peer's input buffer,
 * so a writer sleeps (on its own write_wait) while the peer is full, and
 * a reader that makes room wakes the peer's writers (unthrottle).
 *
 * Life: opening /dev/ptmx makes a pair with the lowest free number N,
 * whose slave is locked — it can be opened only after TIOCSPTLCK(0)
 * (unlockpt) — and creates /dev/pts/N (devpts).  When the master's last
 * file closes, the slave is hung up (its session leader gets SIGHUP, its
 * files read 0 and write EIO) and the node disappears; when the slave's
 * last file closes, master reads give EIO once the input is drained
 * (TTY_OTHER_CLOSED).  The pair is freed when both halves are closed.
 *
 * Locking: the table and both halves' counts are (M), tty_mutex.
 */
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/slab.h>
#include <kestrel/tty.h>
#include <kestrel/uaccess.h>

#define NR_PTYS		256	/* pairs at most (Linux's default is 4096) */
#define PTS_MAJOR	136	/* Unix98 pty slaves */

static struct tty_struct *ptys[NR_PTYS];	/* (M) masters by number */

/* Free bytes in @tty's input buffer, one kept back so a canonical line
 * can always end. */
static size_t input_room(struct tty_struct *tty)
{
	unsigned long flags = spin_lock_irqsave(&tty->lock);
	unsigned int used = tty->ed.head - tty->ed.read_tail;

	spin_unlock_irqrestore(&tty->lock, flags);
	return used + 1 >= N_TTY_BUF_SIZE ? 0 : N_TTY_BUF_SIZE - used - 1;
}

static size_t pty_write_room(struct tty_struct *tty)
{
	return input_room(tty->link);
}

static size_t pty_write(struct tty_struct *tty, const unsigned char *buf,
			size_t len)
{
	struct tty_struct *peer = tty->link;

	len = MIN(len, input_room(peer));
	if (len)
		peer->ldisc->receive_buf(peer, buf, len);
	return len;
}

/* Change @tty's flags under its lock (L). */
static void pty_flags(struct tty_struct *tty, unsigned int set,
		      unsigned int clear)
{
	unsigned long flags = spin_lock_irqsave(&tty->lock);

	tty->flags = (tty->flags & ~clear) | set;
	spin_unlock_irqrestore(&tty->lock, flags);
}

/* A reader of @tty made room: the peer's writers may go on. */
static void pty_unthrottle(struct tty_struct *tty)
{
	wake_up_all(&tty->link->write_wait);
}

/* Both halves closed: forget the pair.  (M) */
static void pty_free_pair(struct tty_struct *master)
{
	ptys[master->index] = NULL;
	tty_free(master->link);
	tty_free(master);
}

static void pty_close(struct tty_struct *tty, struct file *file)
{
	struct tty_struct *peer = tty->link;

	if (tty->count)
		return;
	if (tty->driver->subtype == PTY_MASTER) {
		pty_flags(peer, TTY_OTHER_CLOSED | TTY_HUPPED, 0);
		devpts_pty_kill(tty->index);
		tty_hangup(peer);
	} else {
		pty_flags(peer, TTY_OTHER_CLOSED, 0);
		wake_up_all(&peer->read_wait);
		wake_up_all(&peer->write_wait);
	}
	if (!peer->count)
		pty_free_pair(tty->driver->subtype == PTY_MASTER ? tty : peer);
}

static int pty_open(struct tty_struct *tty, struct file *file)
{
	if (tty->driver->subtype == PTY_SLAVE)
		pty_flags(tty->link, 0, TTY_OTHER_CLOSED);
	return 0;
}

/* The master's own ioctls: the slave's number and its lock. */
static long pty_ioctl(struct tty_struct *tty, unsigned int cmd,
		      unsigned long arg)
{
	struct tty_struct *slave = tty->link;
	int lock;

	if (tty->driver->subtype != PTY_MASTER)
		return -ENOIOCTLCMD;
	switch (cmd) {
	case TIOCGPTN:
		return put_user(tty->index, (unsigned int __user *)arg);
	case TIOCSPTLCK:
		if (get_user(lock, (int __user *)arg))
			return -EFAULT;
		pty_flags(slave, lock ? TTY_PTY_LOCK : 0, lock ? 0 : TTY_PTY_LOCK);
		return 0;
	case TIOCGPTLCK:
		return put_user(!!(slave->flags & TTY_PTY_LOCK),
				(int __user *)arg);
	default:
		return -ENOIOCTLCMD;
	}
}

static const struct tty_operations pty_ops = {
	.open = pty_open,
	.close = pty_close,
	.write = pty_write,
	.write_room = pty_write_room,
	.unthrottle = pty_unthrottle,
	.ioctl = pty_ioctl,
};

static struct tty_driver pts_driver;

static struct tty_driver ptm_driver = {
	.name = "ptm",
	.major = 5,
	.minor_start = 2,
	.num = 1,
	.subtype = PTY_MASTER,
	.ops = &pty_ops,
	.other = &pts_driver,
};

static struct tty_driver pts_driver = {
	.name = "pts",
	.major = PTS_MAJOR,
	.minor_start = 0,
	.num = NR_PTYS,
	.subtype = PTY_SLAVE,
	.ops = &pty_ops,
	.other = &ptm_driver,
};

/* A new pair with number @index, slave locked.  (M) */
static struct tty_struct *pty_new_pair(unsigned int index)
{
	struct tty_struct *master, *slave;

	master = tty_init_dev(&ptm_driver, index);
	slave = master ? tty_init_dev(&pts_driver, index) : NULL;
	if (!slave) {
		if (master)
			tty_free(master);
		return NULL;
	}
	master->link = slave;
	slave->link = master;
	slave->flags = TTY_PTY_LOCK;	/* nobody sees it yet */
	ptys[index] = master;
	return master;
}

int ptmx_open(struct inode *inode, struct file *file)
{
#if SOL >= 9
	struct tty_struct *master;
	unsigned int i;
	int err;

	tty_mutex_lock();
	for (i = 0; i < NR_PTYS && ptys[i]; i++)
		;
	err = i == NR_PTYS ? -ENOSPC : 0;
	master = err ? NULL : pty_new_pair(i);
	if (!err && !master)
		err = -ENOMEM;
	if (!err)
		err = tty_open_file(master, file, false, true);
	if (err && master)
		pty_free_pair(master);
	tty_mutex_unlock();
	if (!err)
		devpts_pty_new(i);	/* without devpts, no node: not fatal */
	return err;
#else
	/*
	 * LAB 9: under tty_mutex, take the lowest free number in ptys[]
	 * (-ENOSPC if none), make the pair (pty_new_pair: the slave starts
	 * locked) and open the master on @file (tty_open_file, no
	 * controlling terminal: a master never is one); undo the pair if
	 * that fails.  Then, unlocked, create /dev/pts/N (devpts_pty_new).
	 */
	(void)inode;
	(void)file;
	(void)pty_new_pair;
	return -ENODEV;
#endif
}

struct tty_struct *pty_lookup_slave(unsigned int index)
{
	return index < NR_PTYS && ptys[index] ? ptys[index]->link : NULL;
}

int pty_slave_open_check(struct tty_struct *slave)
{
	if (slave->flags & (TTY_PTY_LOCK | TTY_HUPPED))
		return -EIO;
	return 0;
}

void pty_init(void)
{
	ptm_driver.init_termios = tty_std_termios;
	ptm_driver.init_termios.c_iflag = 0;
	ptm_driver.init_termios.c_oflag = 0;
	ptm_driver.init_termios.c_lflag = 0;
	ptm_driver.init_termios.c_cflag = B38400 | CS8 | CREAD;
	pts_driver.init_termios = tty_std_termios;
	tty_register_driver(&ptm_driver);
	tty_register_driver(&pts_driver);
}
