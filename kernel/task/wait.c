/*
 * wait.c — collecting ended children: wait4(2) and waitid(2)
 * (kestrel/process.h).
 *
 * A process that ended is a zombie (EXIT_ZOMBIE) on its parent's children
 * list, keeping its task for exactly this: its pid, its wait status and
 * the CPU time it used.  The parent's wait scans its children under
 * tasklist_lock for one that matches (a pid, any, and the kind: children
 * that send SIGCHLD at exit are the usual ones; __WCLONE asks for the
 * others, __WALL for both) and has finished entirely (every thread gone).
 * Finding one, it "reaps" it: takes the status, adds the child's times to
 * its own children's totals, unlinks it, and frees it (release_task) once
 * the lock is dropped.  With no zombie yet, it sleeps on its process's
 * wait_chldexit queue, which exit_notify() wakes; with no child at all
 * that could match, it fails with ECHILD.
 *
 * The order of a sleep (kestrel/wait.h, DOC: wakeup-race): join the queue,
 * set TASK_INTERRUPTIBLE, then scan; a child exiting after the scan wakes
 * the queue and schedule() returns at once.
 *
 * Lab 9 adds process groups — wait4(0, …) waits for the caller's group,
 * wait4(-g, …) for group g — and job control: with WUNTRACED (waitid's
 * WSTOPPED) a child that stopped is reported once, status
 * (sig << 8) | 0x7f; with WCONTINUED one that continued, status 0xffff
 * (uapi/linux/wait.h).  The stop state is the child's
 * signal->stop_state, read and cleared under its siglock.
 */
#include <kestrel/errno.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <kestrel/wait.h>
#include <uapi/asm-generic/signal.h>
#include <uapi/linux/resource.h>
#include <uapi/linux/wait.h>

struct wait_opts {
	int which;		/* P_ALL, P_PID, P_PGID */
	pid_t pid;
	int options;		/* W* flags */
	pid_t found;		/* the child reaped (or seen, WNOWAIT) */
	int status;		/* its wait status */
	unsigned int uid;	/* its real uid (waitid's si_uid) */
	struct rusage ru;	/* its resource usage */
	struct task *reaped;	/* to release after the lock is dropped */
};

static bool eligible(const struct task *p, const struct wait_opts *wo)
{
	if (wo->which == P_PID && p->pid != wo->pid)
		return false;
	if (wo->which == P_PGID && p->signal->pgrp != wo->pid)
		return false;
	if (wo->options & __WALL)
		return true;
	return (p->exit_signal != SIGCHLD) == !!(wo->options & __WCLONE);
}

static void ns_to_timeval(u64 ns, struct __kernel_old_timeval *tv)
{
	tv->tv_sec = ns / 1000000000ULL;
	tv->tv_usec = (ns % 1000000000ULL) / 1000;
}

/* The rusage of zombie @p: itself, and the children it reaped.  (T) */
static void zombie_rusage(const struct task *p, struct rusage *ru)
{
	const struct signal_struct *sig = p->signal;

	memset(ru, 0, sizeof(*ru));
	ns_to_timeval(sig->exec_runtime + sig->cutime, &ru->ru_utime);
	ru->ru_minflt = sig->min_flt + sig->cmin_flt;
	ru->ru_nvcsw = sig->nvcsw + sig->cnvcsw;
	ru->ru_nivcsw = sig->nivcsw + sig->cnivcsw;
	ru->ru_maxrss = MAX(sig->maxrss, sig->cmaxrss) << (PAGE_SHIFT - 10);
}

/* DOC: wait-task-zombie */
/*
 * Reap the zombie child @p of the current process: record its pid, wait
 * status and usage in @wo; unless WNOWAIT, add its times to ours, take
 * it off our children and hand it to the caller to free.  (T) held.
 */
static void wait_task_zombie(struct task *p, struct wait_opts *wo)
{
#if SOL >= 7
	struct signal_struct *mine = current->signal, *sig = p->signal;

	wo->found = p->pid;
	wo->status = sig->group_exit ? sig->group_exit_code : p->exit_code;
	wo->uid = p->cred ? p->cred->uid : 0;
	zombie_rusage(p, &wo->ru);
	if (wo->options & WNOWAIT)
		return;
	mine->cutime += sig->exec_runtime + sig->cutime;
	mine->cmin_flt += sig->min_flt + sig->cmin_flt;
	mine->cnvcsw += sig->nvcsw + sig->cnvcsw;
	mine->cnivcsw += sig->nivcsw + sig->cnivcsw;
	mine->cmaxrss = MAX(mine->cmaxrss, MAX(sig->maxrss, sig->cmaxrss));
	list_del(&p->sibling);
	p->exit_state = EXIT_DEAD;
	wo->reaped = p;
#else
	/*
	 * LAB 7: reap zombie @p.  Its wait status is
	 * p->signal->group_exit_code if the whole group was made to exit
	 * (p->signal->group_exit), else p->exit_code; record it with its pid
	 * (wo->found), its uid (p->cred->uid) and its usage (zombie_rusage)
	 * in @wo.  With WNOWAIT in wo->options, stop here: the child stays a
	 * zombie.  Otherwise add its CPU time, faults and switches (its own
	 * and its children's: exec_runtime + cutime, …) to current->signal's
	 * c* fields, take it off our children (list_del of p->sibling), set
	 * EXIT_DEAD, and leave it in wo->reaped: do_wait frees it with
	 * release_task() after dropping tasklist_lock (it takes that lock).
	 */
	(void)p;
	(void)wo;
	(void)zombie_rusage;
#endif
}

/* A stop or continue of child @p to report, if @wo asks for one.  (T) */
static bool wait_task_stopped(struct task *p, struct wait_opts *wo)
{
	struct signal_struct *s = p->signal;
	unsigned long flags;
	int want = 0;

	if (wo->options & WUNTRACED)
		want |= SIGNAL_REPORT_STOP;
	if (wo->options & WCONTINUED)
		want |= SIGNAL_REPORT_CONT;
	if (!want || !p->sighand || !(s->stop_state & want))
		return false;
	flags = spin_lock_irqsave(&p->sighand->siglock);
	if (s->stop_state & want & SIGNAL_REPORT_STOP)
		wo->status = (s->stop_sig << 8) | 0x7f;
	else
		wo->status = 0xffff;
	if (!(wo->options & WNOWAIT))
		s->stop_state &= ~(want & (wo->status == 0xffff ? SIGNAL_REPORT_CONT :
						SIGNAL_REPORT_STOP));
	spin_unlock_irqrestore(&p->sighand->siglock, flags);
	wo->found = p->pid;
	wo->uid = p->cred ? p->cred->uid : 0;
	memset(&wo->ru, 0, sizeof(wo->ru));
	return true;
}

/* Look for a child to report.  The pid reaped, 0 if matching children
 * are all still running, -ECHILD if there is none.  (T) held. */
static long wait_scan(struct task *leader, struct wait_opts *wo)
{
	struct task *p;
	bool any = false;

	list_for_each_entry(p, &leader->children, sibling) {
		if (!eligible(p, wo))
			continue;
		any = true;
		if (p->exit_state == EXIT_ZOMBIE && p->signal->nr_threads == 0 &&
		    (wo->options & WEXITED)) {
			wait_task_zombie(p, wo);
			if (wo->found)
				return wo->found;
		} else if (!p->exit_state && wait_task_stopped(p, wo)) {
			return wo->found;
		}
	}
	return any ? 0 : -ECHILD;
}

static long do_wait(struct wait_opts *wo)
{
	struct task *me = current;
	struct wait_queue_entry we;
	unsigned long flags;
	long ret;

	init_wait_entry(&we, 0);
	we.func = default_wake_function;	/* stay queued across wake-ups */
	add_wait_queue(&me->signal->wait_chldexit, &we);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		flags = spin_lock_irqsave(&tasklist_lock);
		ret = wait_scan(me->group_leader, wo);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (ret || (wo->options & WNOHANG))
			break;
		if (signal_pending(me)) {
			ret = -ERESTARTSYS;	/* EINTR, or restarted (SA_RESTART) */
			break;
		}
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	remove_wait_queue(&me->signal->wait_chldexit, &we);
	if (wo->reaped)
		release_task(wo->reaped);
	return ret;
}

long sys_wait4(pid_t pid, int __user *stat_addr, int options,
	       struct rusage __user *ru)
{
	struct wait_opts wo = { .options = options };
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD |
			__WCLONE | __WALL))
		return -EINVAL;
	wo.options |= WEXITED;		/* wait4 always reports exits */
	if (pid == -1) {
		wo.which = P_ALL;
	} else if (pid == 0) {
		wo.which = P_PGID;
		wo.pid = current->signal->pgrp;
	} else if (pid < 0) {
		wo.which = P_PGID;
		wo.pid = -pid;
	} else {
		wo.which = P_PID;
		wo.pid = pid;
	}
	ret = do_wait(&wo);
	if (ret > 0 && stat_addr && put_user(wo.status, stat_addr))
		return -EFAULT;
	if (ret > 0 && ru && copy_to_user(ru, &wo.ru, sizeof(wo.ru)))
		return -EFAULT;
	return ret;
}

long sys_waitid(int which, pid_t pid, struct siginfo_chld __user *infop,
		int options, struct rusage __user *ru)
{
	struct wait_opts wo = { .which = which, .pid = pid, .options = options };
	struct siginfo_chld info;
	long ret;

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED |
			__WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if ((which == P_PID && pid <= 0) || (which != P_ALL && which != P_PID &&
					     which != P_PGID))
		return -EINVAL;
	if (which == P_PGID && pid == 0)
		wo.pid = current->signal->pgrp;
	if (options & WSTOPPED)
		wo.options |= WUNTRACED;
	ret = do_wait(&wo);
	if (ret < 0)
		return ret;
	memset(&info, 0, sizeof(info));
	if (ret > 0) {
		info.si_signo = SIGCHLD;
		if (wo.status == 0xffff) {
			info.si_code = CLD_CONTINUED;
			info.si_status = SIGCONT;
		} else if ((wo.status & 0xff) == 0x7f) {
			info.si_code = CLD_STOPPED;
			info.si_status = wo.status >> 8;
		} else if (wo.status & 0x7f) {
			info.si_code = (wo.status & 0x80) ? CLD_DUMPED : CLD_KILLED;
			info.si_status = wo.status & 0x7f;
		} else {
			info.si_code = CLD_EXITED;
			info.si_status = (wo.status >> 8) & 0xff;
		}
		info.si_pid = wo.found;
		info.si_uid = wo.uid;
	}
	if (infop && copy_to_user(infop, &info, sizeof(info)))
		return -EFAULT;
	if (ru && copy_to_user(ru, &wo.ru, sizeof(wo.ru)))
		return -EFAULT;
	return 0;
}
