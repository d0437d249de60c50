/*
 * priority.c — how much of the machine a process asks for: nice values
 * (getpriority(2), setpriority(2)), CPU affinity (sched_getaffinity(2),
 * sched_setaffinity(2)) and the I/O priority (ioprio_get(2),
 * ioprio_set(2)).  busybox's renice, nice, taskset, nproc and ionice use
 * them.
 *
 * Nice values.  A target is named by (which, who): PRIO_PROCESS and a
 * thread id, PRIO_PGRP and a process group, PRIO_USER and a real user id;
 * who 0 means the caller's own.  setpriority clamps the value to
 * -20 … 19 and applies it to every matching thread (the scheduler's
 * set_user_nice); getpriority returns the highest priority among them as
 * 20 - nice (1 … 40), because a system call cannot return a negative
 * value that is not an errno — the C library turns it back into a nice
 * value.  A caller who is not root may renice only threads whose real or
 * effective uid is its effective uid (else EPERM), and may not lower a
 * nice value below what RLIMIT_NICE allows (20 - limit; the default
 * limit 0 forbids any lowering: EACCES).  No match is ESRCH, a bad
 * `which` EINVAL.  Source: getpriority(2), setpriority(2),
 * sched(7) "The nice value", getrlimit(2) RLIMIT_NICE.
 *
 * Affinity.  Until the other CPUs are started (lab 11), every task runs
 * on CPU 0, the one CPU online; the mask a task may run on is therefore
 * always {0}.  sched_getaffinity copies one unsigned long of mask and
 * returns its size, 8 (Linux returns the size of its cpumask, one long
 * per 64 possible CPUs); a buffer smaller than that or not a multiple of
 * 8 bytes is EINVAL.  sched_setaffinity accepts any mask that contains an
 * online CPU (else EINVAL) and changes nothing, since CPU 0 is the only
 * choice; changing another user's thread is EPERM, as for nice values.  Source: sched_setaffinity(2).
 *
 * I/O priority.  Stored per thread (task->ioprio), inherited at fork,
 * reported back; no I/O scheduler uses it yet.  The value is a class in
 * bits 13-15 and data below: IOPRIO_CLASS_NONE (data 0 only), RT (data
 * 0-7, root only), BE (data 0-7), IDLE; anything else is EINVAL.  A
 * thread that never set one reports 0 (class NONE), as Linux 6.1 does.
 * Targets are named as for nice values, with IOPRIO_WHO_PROCESS,
 * _PGRP, _USER (1, 2, 3).  Source: ioprio_set(2), Linux
 * include/uapi/linux/ioprio.h.
 *
 * Locking: the targets are found and changed under tasklist_lock
 * (set_user_nice takes the runqueue lock inside it, the order signal
 * delivery uses too).
 */
#include <kestrel/errno.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/linux/resource.h>

/* Linux include/uapi/linux/resource.h */
#define PRIO_PROCESS	0
#define PRIO_PGRP	1
#define PRIO_USER	2

/* Linux include/uapi/linux/ioprio.h */
#define IOPRIO_CLASS_SHIFT	13
#define IOPRIO_CLASS_NONE	0
#define IOPRIO_CLASS_RT		1
#define IOPRIO_CLASS_BE		2
#define IOPRIO_CLASS_IDLE	3
#define IOPRIO_NR_LEVELS	8
#define IOPRIO_WHO_PROCESS	1

#define CPU_ONLINE_MASK	1UL	/* CPU 0 only, until lab 11 */

/* Does thread @p match (@which, @who), with @who 0 already resolved? */
static bool prio_match(const struct task *p, int which, int who)
{
	if (!p->mm || !p->signal || !p->cred || p->exit_state)
		return false;
	switch (which) {
	case PRIO_PROCESS:
		return p->pid == who;
	case PRIO_PGRP:
		return p->signal->pgrp == who;
	default:		/* PRIO_USER */
		return (int)p->cred->uid == who;
	}
}

/* @who, or the caller's own thread, group or uid for 0; -EINVAL for a
 * bad @which. */
static int prio_who(int which, int who)
{
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	if (who)
		return who;
	if (which == PRIO_PROCESS)
		return current->pid;
	if (which == PRIO_PGRP)
		return current->signal->pgrp;
	return current->cred->uid;
}

/* May the caller change @p's priorities at all? (setpriority(2) EPERM) */
static bool may_change(const struct task *p)
{
	unsigned int euid = current->cred->euid;

	return euid == 0 || p->cred->uid == euid || p->cred->euid == euid;
}

/* setpriority on one thread: 0, -EPERM or -EACCES. */
static int set_one_nice(struct task *p, int nice)
{
	unsigned long limit = task_rlimit(p, RLIMIT_NICE);

	if (!may_change(p))
		return -EPERM;
	/* RLIMIT_NICE: the lowest nice allowed is 20 - limit. */
	if (nice < task_nice(p) && current->cred->euid != 0 &&
	    (long)(20 - nice) > (long)MIN(limit, 40UL))
		return -EACCES;
	set_user_nice(p, nice);
	return 0;
}

long sys_setpriority(int which, int who, int niceval)
{
	unsigned long flags;
	struct task *p;
	int err = -ESRCH, r;

	who = prio_who(which, who);
	if (who < 0)
		return who;
	niceval = MIN(MAX(niceval, MIN_NICE), MAX_NICE);
	flags = spin_lock_irqsave(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks) {
		if (!prio_match(p, which, who))
			continue;
		r = set_one_nice(p, niceval);
		/* Success on any thread wins; otherwise the last error. */
		if (err)
			err = r;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

long sys_getpriority(int which, int who)
{
	unsigned long flags;
	struct task *p;
	long best = -ESRCH;

	who = prio_who(which, who);
	if (who < 0)
		return who;
	flags = spin_lock_irqsave(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks)
		if (prio_match(p, which, who))
			best = MAX(best, 20L - task_nice(p));
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return best;
}

/* --- affinity --------------------------------------------------------------- */

/* The thread @pid (0: the caller) for the affinity calls: 0, -ESRCH, or
 * -EPERM when @change and the caller may not change it. */
static int affinity_target(pid_t pid, bool change)
{
	unsigned long flags;
	struct task *p;
	int err = -ESRCH;

	if (pid == 0)
		return 0;
	flags = spin_lock_irqsave(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks)
		if (prio_match(p, PRIO_PROCESS, pid))
			err = change && !may_change(p) ? -EPERM : 0;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

long sys_sched_getaffinity(pid_t pid, unsigned int len,
			   unsigned long __user *user_mask_ptr)
{
	unsigned long mask = CPU_ONLINE_MASK;

	long err;

	if (len < sizeof(mask) || (len & (sizeof(mask) - 1)))
		return -EINVAL;
	err = affinity_target(pid, false);
	if (err)
		return err;
	if (copy_to_user(user_mask_ptr, &mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}

long sys_sched_setaffinity(pid_t pid, unsigned int len,
			   const unsigned long __user *user_mask_ptr)
{
	unsigned long mask = 0;
	long err;

	/* A shorter mask is zero-extended, a longer one cut (CPUs past
	 * the first 64 do not exist here). */
	if (copy_from_user(&mask, user_mask_ptr, MIN(len, sizeof(mask))))
		return -EFAULT;
	err = affinity_target(pid, true);
	if (err)
		return err;
	if (!(mask & CPU_ONLINE_MASK))
		return -EINVAL;
	return 0;
}

/* --- I/O priority ----------------------------------------------------------- */

/* Is @ioprio a value ioprio_set accepts (0, -EINVAL or -EPERM)? */
static int ioprio_check(int ioprio)
{
	int class = ioprio >> IOPRIO_CLASS_SHIFT;
	int data = ioprio & ((1 << IOPRIO_CLASS_SHIFT) - 1);

	switch (class) {
	case IOPRIO_CLASS_NONE:
		return data ? -EINVAL : 0;
	case IOPRIO_CLASS_RT:
		if (current->cred->euid != 0)
			return -EPERM;
		return data >= IOPRIO_NR_LEVELS ? -EINVAL : 0;
	case IOPRIO_CLASS_BE:
		return data >= IOPRIO_NR_LEVELS ? -EINVAL : 0;
	case IOPRIO_CLASS_IDLE:
		return 0;
	default:
		return -EINVAL;
	}
}

long sys_ioprio_set(int which, int who, int ioprio)
{
	unsigned long flags;
	struct task *p;
	int err;

	/* IOPRIO_WHO_PROCESS … _USER are PRIO_PROCESS … PRIO_USER plus 1. */
	which -= IOPRIO_WHO_PROCESS;
	who = prio_who(which, who);
	if (who < 0)
		return who;
	err = ioprio_check(ioprio);
	if (err)
		return err;
	err = -ESRCH;
	flags = spin_lock_irqsave(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks) {
		if (!prio_match(p, which, who))
			continue;
		if (!may_change(p)) {	/* the first refusal ends it */
			err = -EPERM;
			break;
		}
		p->ioprio = ioprio;
		err = 0;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

long sys_ioprio_get(int which, int who)
{
	unsigned long flags;
	struct task *p;
	long best = -ESRCH;

	which -= IOPRIO_WHO_PROCESS;
	who = prio_who(which, who);
	if (who < 0)
		return who;
	flags = spin_lock_irqsave(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks) {
		if (!prio_match(p, which, who))
			continue;
		/* Several threads: the highest priority, the lowest value. */
		if (best < 0 || p->ioprio < best)
			best = p->ioprio;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return best;
}
