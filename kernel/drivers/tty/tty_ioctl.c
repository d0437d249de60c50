/*
 * tty_ioctl.c — ioctl(2) on a terminal (kestrel/tty.h; ioctl_tty(2)).
 *
 * The C library's termios calls are these ioctls: tcgetattr is TCGETS,
 * tcsetattr TCSETS (TCSANOW), TCSETSW (TCSADRAIN) or TCSETSF
 * (TCSAFLUSH), tcsendbreak and tcdrain TCSBRK, tcflow TCXONC, tcflush
 * TCFLSH, tcgetpgrp/tcsetpgrp TIOCGPGRP/TIOCSPGRP, tcgetsid TIOCGSID;
 * isatty is TCGETS succeeding, so every other file answers ENOTTY.  The
 * structure exchanged is the kernel's struct termios
 * (uapi/asm-generic/termbits.h).
 *
 * On a pty master the settings, window size and job-control ioctls are
 * those of its slave (@real), as in Linux: the program on the master
 * (a terminal emulator, sshd) sets the slave's size with TIOCSWINSZ.
 * Output is written synchronously (the UART is polled, a pty hands its
 * bytes to the peer at once), so "wait until sent" has nothing to wait
 * for and TIOCOUTQ is 0.  Changing the settings from a background
 * process group is job-controlled (tty_check_change: SIGTTOU).
 */
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/string.h>
#include <kestrel/tty.h>
#include <kestrel/uaccess.h>
#include <uapi/linux/fs.h>

void tty_set_termios(struct tty_struct *tty, const struct termios *t)
{
	struct termios old;
	unsigned long flags;

	flags = spin_lock_irqsave(&tty->lock);
	old = tty->termios;
	tty->termios = *t;
	if (!(t->c_iflag & IXON))
		tty->flags &= ~TTY_STOPPED;
	spin_unlock_irqrestore(&tty->lock, flags);
	tty->ldisc->set_termios(tty, &old);
	if (tty->ops->set_termios)
		tty->ops->set_termios(tty, &old);
	wake_up_all(&tty->write_wait);
}

void tty_set_winsize(struct tty_struct *tty, const struct winsize *ws)
{
	unsigned long flags = spin_lock_irqsave(&tty->lock);
	bool changed = memcmp(&tty->winsize, ws, sizeof(*ws)) != 0;

	tty->winsize = *ws;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (changed)
		tty_signal_pgrp(tty, SIGWINCH);
}

/* TCSETS, TCSETSW, TCSETSF. */
static long set_termios(struct tty_struct *tty, unsigned int cmd,
			const void __user *arg)
{
	struct termios t;
	int err = tty_check_change(tty, SIGTTOU);

	if (err)
		return err;
	if (copy_from_user(&t, arg, sizeof(t)))
		return -EFAULT;
	if (cmd == TCSETSF)
		tty->ldisc->flush_input(tty);
	tty_set_termios(tty, &t);
	return 0;
}

/* TCXONC: tcflow(3). */
static long flow(struct tty_struct *tty, unsigned long arg)
{
	unsigned long flags;
	unsigned char c;
	int err = tty_check_change(tty, SIGTTOU);

	if (err)
		return err;
	switch (arg) {
	case TCOOFF:
	case TCOON:
		flags = spin_lock_irqsave(&tty->lock);
		if (arg == TCOOFF)
			tty->flags |= TTY_STOPPED;
		else
			tty->flags &= ~TTY_STOPPED;
		spin_unlock_irqrestore(&tty->lock, flags);
		wake_up_all(&tty->write_wait);
		return 0;
	case TCIOFF:
	case TCION:
		c = tty->termios.c_cc[arg == TCIOFF ? VSTOP : VSTART];
		if (c)
			tty_write_raw(tty, &c, 1);
		return 0;
	default:
		return -EINVAL;
	}
}

/* TCFLSH: tcflush(3).  Output is never queued, so only input flushes. */
static long flush(struct tty_struct *tty, unsigned long arg)
{
	int err = tty_check_change(tty, SIGTTOU);

	if (err)
		return err;
	switch (arg) {
	case TCIFLUSH:
	case TCIOFLUSH:
		tty->ldisc->flush_input(tty);
		return 0;
	case TCOFLUSH:
		return 0;
	default:
		return -EINVAL;
	}
}

static long get_winsize(struct tty_struct *tty, void __user *arg)
{
	unsigned long flags = spin_lock_irqsave(&tty->lock);
	struct winsize ws = tty->winsize;

	spin_unlock_irqrestore(&tty->lock, flags);
	return copy_to_user(arg, &ws, sizeof(ws)) ? -EFAULT : 0;
}

long tty_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct tty_struct *tty = tty_file_tty(file), *real = tty;
	void __user *uarg = (void __user *)arg;
	struct winsize ws;
	long ret;

	if (tty->driver->subtype == PTY_MASTER)
		real = tty->link;
	if (tty_hung_up_file(file))
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	switch (cmd) {
	case TCGETS:
		return copy_to_user(uarg, &real->termios, sizeof(struct termios)) ?
		       -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return set_termios(real, cmd, uarg);
	case TCSBRK:
	case TCSBRKP:
		return tty_check_change(tty, SIGTTOU);
	case TCXONC:
		return flow(tty, arg);
	case TCFLSH:
		return flush(tty, arg);
	case TIOCGWINSZ:
		return get_winsize(real, uarg);
	case TIOCSWINSZ:
		if (copy_from_user(&ws, uarg, sizeof(ws)))
			return -EFAULT;
		tty_set_winsize(real, &ws);
		return 0;
	case TIOCSCTTY:
		return tiocsctty(real, file, (int)arg);
	case TIOCNOTTY:
		return tiocnotty(real);
	case TIOCGPGRP:
		return tiocgpgrp(tty, real, uarg);
	case TIOCSPGRP:
		return tiocspgrp(tty, real, uarg);
	case TIOCGSID:
		return tiocgsid(tty, real, uarg);
	case TIOCOUTQ:
		return put_user(0, (int __user *)uarg);
	case FIONREAD:
		return put_user((int)tty->ldisc->chars_in_buffer(tty),
				(int __user *)uarg);
	case TIOCSTI:
		return -EPERM;		/* faking input: not allowed here */
	case TIOCGETD:
		return put_user(0, (int __user *)uarg);		/* N_TTY */
	}
	ret = tty->ops->ioctl ? tty->ops->ioctl(tty, cmd, arg) : -ENOIOCTLCMD;
	return ret == -ENOIOCTLCMD ? -ENOTTY : ret;
}
