/*
 * pgrp.c — process groups and sessions (lab 9): setpgid, getpgid,
 * getpgrp, setsid, getsid (credentials(7), setpgid(2), setsid(2)).
 *
 * Every process belongs to a process group (signal->pgrp, the pid of its
 * leader) inside a session (signal->session); fork inherits both, and
 * kill(0 or -pgid) and wait4(0 or -pgid) address a group.  The first
 * process starts in group 1, session 1.  The shell's job control puts
 * each pipeline in a group of its own (setpgid) and a daemon or login
 * leaves its terminal's session with setsid, which also leaves the
 * controlling terminal behind (signal->tty).  The terminal side — the
 * foreground group, SIGTTIN/SIGTTOU, hangup — is kernel/drivers/tty/
 * tty_jobctrl.c; the helpers it and exit share are at the end of this
 * file: signalling a group, and orphaned process groups.
 *
 * Rules (setpgid(2)): pid 0 is the caller, pgid 0 means pgid = pid; the
 * target must be the caller or one of its children (ESRCH otherwise), a
 * child that has exec'd is EACCES (not tracked: Kestrel allows it), a
 * session leader or a process in another session is EPERM, and the group
 * joined must exist in the caller's session (EPERM).  setsid fails with
 * EPERM for a process that already leads a group.  All under
 * tasklist_lock (T).
 */
#include <kestrel/errno.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>

/* The live process @pid (its leader).  (T) */
static struct task *find_process(pid_t pid)
{
	struct task *p;

	list_for_each_entry(p, &task_list, tasks)
		if (p->pid == pid && p == p->group_leader && p->signal &&
		    p->mm && !p->exit_state)
			return p;
	return NULL;
}

/* Does a process of group @pgrp exist in @session?  (T) */
static bool group_in_session(pid_t pgrp, int session)
{
	struct task *p;

	list_for_each_entry(p, &task_list, tasks)
		if (p == p->group_leader && p->signal && !p->exit_state &&
		    p->signal->pgrp == pgrp && p->signal->session == session)
			return true;
	return false;
}

/* Is @pgrp the process group of any process, in any session?  (T) held. */
static bool pgrp_in_use(pid_t pgrp)
{
	struct task *p;

	list_for_each_entry(p, &task_list, tasks)
		if (p == p->group_leader && p->signal && p->signal->pgrp == pgrp)
			return true;
	return false;
}

long sys_setpgid(pid_t pid, pid_t pgid)
{
	struct task *me = current->group_leader, *p;
	unsigned long flags;
	long err = 0;

	if (pgid < 0)
		return -EINVAL;
	flags = spin_lock_irqsave(&tasklist_lock);
	p = pid ? find_process(pid) : me;
	if (!p || (p != me && p->parent != me)) {
		err = -ESRCH;
		goto out;
	}
	if (!pgid)
		pgid = p->tgid;
	if (p->signal->session == p->tgid ||
	    p->signal->session != me->signal->session) {
		err = -EPERM;	/* a session leader, or another session */
		goto out;
	}
	if (pgid != p->tgid && !group_in_session(pgid, me->signal->session)) {
		err = -EPERM;
		goto out;
	}
	p->signal->pgrp = pgid;
out:
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

/* A field of process @pid (0: the caller), or -ESRCH. */
static long process_id(pid_t pid, bool session)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *p = pid ? find_process(pid) : current->group_leader;
	long ret = p ? (session ? p->signal->session : p->signal->pgrp) : -ESRCH;

	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

long sys_getpgid(pid_t pid)
{
	return process_id(pid, false);
}

long sys_getpgrp(void)
{
	return current->signal->pgrp;
}

long sys_getsid(pid_t pid)
{
	return process_id(pid, true);
}

long sys_setsid(void)
{
	struct task *me = current->group_leader;
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	long ret = me->tgid;

	/* setsid(2): EPERM if any process's group id is the caller's pid —
	 * its own group (it leads one) or one it has left. */
	if (me->signal->pgrp == me->tgid || pgrp_in_use(me->tgid))
		ret = -EPERM;
	else {
		me->signal->pgrp = me->signal->session = me->tgid;
		me->signal->tty = NULL;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

/* --- for terminals and exit ---------------------------------------------------- */

/* A process that can take a signal: a live leader with a signal_struct. */
static bool live_process(struct task *p)
{
	return p == p->group_leader && p->signal && !p->exit_state;
}

bool __kill_pgrp(int pgrp, int sig)
{
	bool found = false;
	struct task *p;

	if (pgrp <= 0)
		return false;
	list_for_each_entry(p, &task_list, tasks) {
		if (!live_process(p) || p->signal->pgrp != pgrp)
			continue;
		found = true;
		if (p->tgid == 1 && p->sighand &&
		    p->sighand->action[sig - 1].handler == SIG_DFL)
			continue;
		__send_signal(sig, NULL, p, true);
	}
	return found;
}

bool pgrp_orphaned(int pgrp, struct task *ignore)
{
	struct task *p, *parent;

	list_for_each_entry(p, &task_list, tasks) {
		if (!live_process(p) || p->signal->pgrp != pgrp || p == ignore)
			continue;
		parent = p->parent;
		if (!parent || parent == ignore || parent->tgid == 1 ||
		    !parent->signal)
			continue;
		if (parent->signal->pgrp != pgrp &&
		    parent->signal->session == p->signal->session)
			return false;
	}
	return true;
}

/* Is a member of @pgrp stopped? */
static bool pgrp_has_stopped(int pgrp)
{
	struct task *p;

	list_for_each_entry(p, &task_list, tasks)
		if (live_process(p) && p->signal->pgrp == pgrp &&
		    (p->signal->stop_state & SIGNAL_STOPPED))
			return true;
	return false;
}

/* @pgrp, reached from @leader's side of a group boundary inside one
 * session, becomes orphaned when @leader goes: hang it up. */
static void hup_if_orphaned(int pgrp, struct task *leader)
{
	if (pgrp_orphaned(pgrp, leader) && pgrp_has_stopped(pgrp)) {
		__kill_pgrp(pgrp, SIGHUP);
		__kill_pgrp(pgrp, SIGCONT);
	}
}

void kill_orphaned_pgrps(struct task *leader)
{
#if SOL >= 9
	struct signal_struct *me = leader->signal;
	struct task *parent = leader->parent, *child;

	if (parent && parent->signal && parent->signal->pgrp != me->pgrp &&
	    parent->signal->session == me->session)
		hup_if_orphaned(me->pgrp, leader);
	list_for_each_entry(child, &leader->children, sibling)
		if (live_process(child) && child->signal->pgrp != me->pgrp &&
		    child->signal->session == me->session)
			hup_if_orphaned(child->signal->pgrp, leader);
#else
	/*
	 * LAB 9: when @leader's exit orphans a process group that has a
	 * stopped member, nobody is left to continue it: send it SIGHUP and
	 * SIGCONT.  Two places to look — @leader's own group, when its
	 * parent is in another group of the same session; and each child's
	 * group, when it differs from @leader's but is in its session.  Use
	 * pgrp_orphaned(pgrp, leader), pgrp_has_stopped(), __kill_pgrp().
	 */
	(void)leader;
	(void)hup_if_orphaned;
#endif
}
