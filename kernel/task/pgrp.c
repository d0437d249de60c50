/*
 * pgrp.c — process groups and sessions (lab 9): setpgid, getpgid,
 * getpgrp, setsid, getsid (credentials(7), setpgid(2), setsid(2)).
 *
 * Every process belongs to a process group (signal->pgrp, the pid of its
 * leader) inside a session (signal->session); fork inherits both, and
 * kill(0 or -pgid) and wait4(0 or -pgid) address a group.  The first
 * process starts in group 1, session 1.  The shell's job control puts
 * each pipeline in a group of its own (setpgid) and a daemon or login
 * leaves its terminal's session with setsid.  The terminal side — the
 * controlling terminal, its foreground group, SIGTTIN/SIGTTOU, hangup —
 * comes with the TTY half of lab 9.
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

	if (group_in_session(me->tgid, me->signal->session) &&
	    me->signal->pgrp == me->tgid)
		ret = -EPERM;	/* already a group leader */
	else if (group_in_session(me->tgid, -1) || me->signal->pgrp == me->tgid)
		ret = -EPERM;
	else
		me->signal->pgrp = me->signal->session = me->tgid;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}
