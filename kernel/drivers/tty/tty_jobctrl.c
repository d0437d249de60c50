/*
 * tty_jobctrl.c — terminals and sessions: the controlling terminal, the
 * foreground process group, and the checks that let a shell's job
 * control work (kestrel/tty.h; POSIX 2017 §11.1.2–§11.1.4; credentials(7)
 * "Sessions"; ioctl_tty(2)).
 *
 * A session (setsid) may have one controlling terminal, and a terminal
 * belongs to at most one session.  The session leader acquires it by
 * opening a terminal without O_NOCTTY while it has none and the terminal
 * has no session (tty_open_ctty), or by TIOCSCTTY; fork passes it on
 * (signal->tty).  The terminal knows its session (tty->session) and its
 * foreground process group (tty->pgrp), which the shell sets with
 * tcsetpgrp (TIOCSPGRP) before it runs a job, and takes back after.
 *
 * Only the foreground group may read, and — with TOSTOP, or to change
 * the settings — write.  A background group that tries is sent SIGTTIN
 * or SIGTTOU, which stops it until the shell's `fg` makes it the
 * foreground and continues it; the system call restarts then
 * (tty_check_change returns -ERESTARTSYS).  A group nobody could
 * continue (orphaned) gets EIO instead of stopping forever.
 *
 * Everything here reads and writes the (T) fields: signal->tty,
 * tty->session, tty->pgrp, under tasklist_lock, which is also what
 * __send_signal wants.
 */
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/tty.h>
#include <kestrel/uaccess.h>

/* The caller's process leads its session. */
static bool session_leader(void)
{
	return current->signal->session == current->tgid;
}

/* Is @sig ignored or blocked by the caller? */
static bool sig_ignored_or_blocked(int sig)
{
	return (current->blocked & sigmask(sig)) ||
	       current->sighand->action[sig - 1].handler == SIG_IGN;
}

int tty_check_change(struct tty_struct *tty, int sig)
{
#if SOL >= 9
	struct signal_struct *s = current->signal;
	unsigned long flags;
	int ret = 0;

	if (!s)
		return 0;
	flags = spin_lock_irqsave(&tasklist_lock);
	if (s->tty != tty || !tty->pgrp || s->pgrp == tty->pgrp)
		goto out;
	if (sig_ignored_or_blocked(sig))
		ret = sig == SIGTTIN ? -EIO : 0;
	else if (pgrp_orphaned(s->pgrp, NULL))
		ret = -EIO;
	else {
		__kill_pgrp(s->pgrp, sig);
		ret = -ERESTARTSYS;
	}
out:
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
#else
	/*
	 * LAB 9: terminal access control (the head of this file and
	 * kestrel/tty.h).  Under tasklist_lock: nothing to check (0) unless
	 * @tty is the caller's controlling terminal (current->signal->tty),
	 * it has a foreground group (tty->pgrp) and the caller is not in it.
	 * Then: ignored or blocked @sig (sig_ignored_or_blocked) → -EIO for
	 * SIGTTIN, 0 for SIGTTOU; an orphaned group (pgrp_orphaned) → -EIO;
	 * otherwise __kill_pgrp(the caller's group, @sig) and -ERESTARTSYS.
	 */
	(void)tty;
	(void)sig;
	(void)sig_ignored_or_blocked;
	return 0;
#endif
}

void tty_signal_pgrp(struct tty_struct *tty, int sig)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	__kill_pgrp(tty->pgrp, sig);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* @tty becomes the controlling terminal of the caller's session.  (T) */
static void set_ctty(struct tty_struct *tty)
{
	current->signal->tty = tty;
	tty->session = current->signal->session;
	tty->pgrp = current->signal->pgrp;
}

void tty_open_ctty(struct tty_struct *tty)
{
	unsigned long flags;

	if (!current->signal)
		return;
	flags = spin_lock_irqsave(&tasklist_lock);
	if (session_leader() && !current->signal->tty && !tty->session &&
	    tty->driver->subtype != PTY_MASTER)
		set_ctty(tty);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* Every process of @tty's session forgets it; so does @tty.  (T) */
static void session_clear_tty(struct tty_struct *tty)
{
	struct task *p;

	list_for_each_entry(p, &task_list, tasks)
		if (p->signal && p->signal->tty == tty)
			p->signal->tty = NULL;
	tty->session = tty->pgrp = 0;
}

long tiocsctty(struct tty_struct *tty, struct file *file, int arg)
{
	struct signal_struct *s = current->signal;
	unsigned long flags;
	long ret = 0;

	flags = spin_lock_irqsave(&tasklist_lock);
	if (session_leader() && s->tty == tty)
		goto out;
	if (!session_leader() || s->tty || tty->driver->subtype == PTY_MASTER) {
		ret = -EPERM;
		goto out;
	}
	if (tty->session) {
		/* Another session's: only root with arg 1 steals it. */
		if (arg != 1 || current->cred->euid != 0) {
			ret = -EPERM;
			goto out;
		}
		session_clear_tty(tty);
	}
	if (!(file->f_mode & FMODE_READ) && current->cred->euid != 0) {
		ret = -EPERM;
		goto out;
	}
	set_ctty(tty);
out:
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

long tiocnotty(struct tty_struct *tty)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	bool mine = current->signal->tty == tty;
	bool leader = session_leader();

	if (mine && !leader)
		current->signal->tty = NULL;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!mine)
		return -ENOTTY;
	if (leader)
		disassociate_ctty(false);
	return 0;
}

void disassociate_ctty(bool on_exit)
{
	struct tty_struct *tty;
	unsigned long flags;
	int pgrp;

	flags = spin_lock_irqsave(&tasklist_lock);
	tty = current->signal->tty;
	if (!tty) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return;
	}
	pgrp = tty->pgrp;
	if (pgrp) {
		__kill_pgrp(pgrp, SIGHUP);
		__kill_pgrp(pgrp, SIGCONT);
	}
	session_clear_tty(tty);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	/* Linux hangs a real line up when its session leader exits (so a
	 * login's files are dead for whoever inherited them); a pty is left
	 * to its master. */
	if (on_exit && tty->driver->subtype == TTY_SERIAL)
		tty_hangup(tty);
}

/* Is @tty the caller's controlling terminal, of the caller's session? */
static bool is_current_ctty(struct tty_struct *tty)
{
	return current->signal->tty == tty &&
	       tty->session == current->signal->session;
}

/* Does group @pgrp exist; in the caller's session?  -ESRCH, -EPERM, 0.  (T) */
static int pgrp_in_my_session(int pgrp)
{
	struct task *p;
	int ret = -ESRCH;

	list_for_each_entry(p, &task_list, tasks) {
		if (p != p->group_leader || !p->signal || p->exit_state ||
		    p->signal->pgrp != pgrp)
			continue;
		if (p->signal->session == current->signal->session)
			return 0;
		ret = -EPERM;
	}
	return ret;
}

long tiocspgrp(struct tty_struct *tty, struct tty_struct *real,
	       int __user *arg)
{
	unsigned long flags;
	int pgrp, err;

	err = tty_check_change(real, SIGTTOU);
	if (err == -EIO)
		return -ENOTTY;
	if (err)
		return err;
	if (get_user(pgrp, arg))
		return -EFAULT;
	flags = spin_lock_irqsave(&tasklist_lock);
	if (!is_current_ctty(real))
		err = -ENOTTY;
	else if (pgrp < 0)
		err = -EINVAL;
	else
		err = pgrp_in_my_session(pgrp);
	if (!err)
		real->pgrp = pgrp;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

/* TIOCGPGRP and TIOCGSID share their check; (T) taken here. */
static long get_ctty_id(struct tty_struct *tty, struct tty_struct *real,
			int __user *arg, bool session)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	int id = session ? real->session : real->pgrp;
	bool ok = tty != real || current->signal->tty == real;

	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!ok || (session && !id))
		return -ENOTTY;
	return put_user(id, arg);
}

long tiocgpgrp(struct tty_struct *tty, struct tty_struct *real,
	       int __user *arg)
{
	return get_ctty_id(tty, real, arg, false);
}

long tiocgsid(struct tty_struct *tty, struct tty_struct *real,
	      int __user *arg)
{
	return get_ctty_id(tty, real, arg, true);
}
