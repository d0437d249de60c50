/*
 * syscalls.c — the system calls of signals (lab 9; kestrel/signal.h):
 * rt_sigaction, rt_sigpending, rt_sigsuspend, rt_sigtimedwait,
 * rt_sigqueueinfo, sigaltstack, kill, tkill, tgkill.  (rt_sigprocmask and
 * pause live in kernel/task/sys.c since lab 7; alarm and the itimers in
 * itimer.c; rt_sigreturn is the arch's.)
 *
 * Their rules are the man pages': a signal number outside 1–64 is EINVAL
 * (0 is "check only" for the kill family), SIGKILL and SIGSTOP refuse a
 * handler or SIG_IGN (EINVAL), every sigset is 8 bytes (EINVAL
 * otherwise), no such process is ESRCH, and a process may signal another
 * only if root or its real or effective uid is the target's real or saved
 * uid (kill(2); SIGCONT also within a session) — EPERM.
 *
 * kill(pid): pid > 0 that process; 0 the caller's process group; -1
 * every process the caller may signal except init and itself; < -1 the
 * group -pid.  rt_sigqueueinfo refuses an si_code ≥ 0 or SI_TKILL from
 * another process (EPERM): a process must not pretend to be the kernel.
 */
#include <asm/ptrace.h>
#include <asm/user_thread.h>
#include <kestrel/errno.h>
#include <kestrel/jiffies.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>
#include <uapi/linux/time_types.h>

static bool valid_signal(int sig)
{
	return sig >= 0 && sig <= _NSIG;
}

long sys_rt_sigaction(int sig, const struct k_sigaction_user __user *act,
		      struct k_sigaction_user __user *oact, size_t sigsetsize)
{
	struct sighand_struct *sh = current->sighand;
	struct k_sigaction_user new, old;
	struct k_sigaction *ka;
	unsigned long flags;

	if (sigsetsize != sizeof(sigset_t) || sig < 1 || sig > _NSIG)
		return -EINVAL;
	if (act && copy_from_user(&new, act, sizeof(new)))
		return -EFAULT;
	if (act && (sigmask(sig) & SIG_KERNEL_ONLY_MASK))
		return -EINVAL;
	ka = &sh->action[sig - 1];
	flags = spin_lock_irqsave(&sh->siglock);
	old.sa_handler = ka->handler;
	old.sa_flags = ka->flags;
	old.sa_restorer = ka->restorer;
	old.sa_mask = ka->mask;
	if (act) {
		ka->handler = new.sa_handler;
		ka->flags = new.sa_flags;
		ka->restorer = new.sa_restorer;
		ka->mask = new.sa_mask & ~SIG_KERNEL_ONLY_MASK;
		/* POSIX: setting SIG_IGN (or SIG_DFL of an ignoring signal)
		 * discards it if pending — here for this thread's sets. */
		if (new.sa_handler == SIG_IGN ||
		    (new.sa_handler == SIG_DFL && sig_default_action(sig) == SIG_DEF_IGN)) {
			current->pending.signal &= ~sigmask(sig);
			current->signal->shared_pending.signal &= ~sigmask(sig);
			recalc_sigpending(current);
		}
	}
	spin_unlock_irqrestore(&sh->siglock, flags);
	if (oact && copy_to_user(oact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigpending(sigset_t __user *set, size_t sigsetsize)
{
	struct task *me = current;
	sigset_t pending;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	pending = (me->pending.signal | me->signal->shared_pending.signal) & me->blocked;
	return put_user(pending, set);
}

long sys_rt_sigsuspend(const sigset_t __user *mask, size_t sigsetsize)
{
	struct task *me = current;
	sigset_t new;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (get_user(new, mask))
		return -EFAULT;
	me->saved_sigmask = me->blocked;
	me->restore_sigmask = true;	/* the handler's frame gets the old mask */
	set_current_blocked(new);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (signal_pending(me))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return -ERESTARTNOHAND;
}

long set_restart_fn(struct restart_block *rb,
		    long (*fn)(struct restart_block *rb))
{
	rb->fn = fn;
	return -ERESTART_RESTARTBLOCK;
}

/*
 * restart_syscall(2): go on with the system call a signal without a
 * handler interrupted (kestrel/restart_block.h).  The record is used
 * once; called again with nothing recorded, it is EINTR, as Linux's
 * do_no_restart_syscall.
 */
long sys_restart_syscall(void)
{
	struct restart_block *rb = &current->restart_block;
	long (*fn)(struct restart_block *rb) = rb->fn;

	rb->fn = NULL;
	return fn ? fn(rb) : -EINTR;
}

long sys_sigaltstack(const struct sigaltstack_user __user *uss,
		     struct sigaltstack_user __user *uoss)
{
	struct sigaltstack_user ss, old;
	unsigned long sp = user_stack_pointer(task_pt_regs(current));
	int err;

	if (uss && copy_from_user(&ss, uss, sizeof(ss)))
		return -EFAULT;
	err = do_sigaltstack(uss ? &ss : NULL, &old, sp);
	if (!err && uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return err;
}

/* --- rt_sigtimedwait ------------------------------------------------------ */

long sys_rt_sigtimedwait(const sigset_t __user *uthese, struct siginfo __user *uinfo,
			 const struct __kernel_timespec __user *uts, size_t sigsetsize)
{
	struct __kernel_timespec ts;
	struct siginfo info;
	long timeout = MAX_SCHEDULE_TIMEOUT;
	u64 deadline;
	sigset_t these;
	int sig;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (get_user(these, uthese))
		return -EFAULT;
	if (uts) {
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
			return -EINVAL;
		timeout = (long)(ts.tv_sec * HZ + (ts.tv_nsec + 9999999) / 10000000);
	}
	these &= ~SIG_KERNEL_ONLY_MASK;
	deadline = jiffies + (u64)timeout;
	for (;;) {
		memset(&info, 0, sizeof(info));
		sig = dequeue_wanted(these, &info);
		if (sig)
			break;
		if (timeout != MAX_SCHEDULE_TIMEOUT && jiffies >= deadline)
			return -EAGAIN;
		if (signal_pending(current))
			return -EINTR;
		/* @these are usually blocked, so their arrival sets no
		 * sigpending and wakes nobody: look again at every tick. */
		schedule_timeout_interruptible(1);
	}
	if (uinfo && copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return sig;
}

/* --- kill, tkill, tgkill, rt_sigqueueinfo ------------------------------------ */

/* May the current process signal @p with @sig?  kill(2)'s permission rule. */
static bool kill_permitted(struct task *p, int sig)
{
	const struct cred *me = current->cred, *t = p->cred;

	if (!me || !t || me->euid == 0)
		return true;
	if (me->euid == t->uid || me->euid == t->suid ||
	    me->uid == t->uid || me->uid == t->suid)
		return true;
	return sig == SIGCONT && current->signal->session == p->signal->session;
}

/*
 * A thread of @p's process that can still take a signal: @p itself while
 * it runs, else (a zombie leader) another thread of its group; NULL when
 * the whole process has exited.  (T) held.
 */
static struct task *live_thread(struct task *p)
{
	struct task *th;

	if (!p->exit_state)
		return p;
	list_for_each_entry(th, &p->signal->thread_head, thread_node)
		if (!th->exit_state)
			return th;
	return NULL;
}

/* Send to @p (its process with @group) after the permission check; sig 0
 * only checks.  A zombie still exists until it is reaped: the call
 * succeeds and nothing is delivered (kill(2)).  (T) held. */
static int kill_one(int sig, struct siginfo *info, struct task *p, bool group)
{
	if (!kill_permitted(p, sig))
		return -EPERM;
	if (group)
		p = live_thread(p);
	if (!sig || !p)
		return 0;
	return __send_signal(sig, info, p, group);
}

static void user_info(struct siginfo *info, int sig, int code)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = code;
	info->kill.pid = current->tgid;
	info->kill.uid = current->cred ? current->cred->uid : 0;
}

/* A user task that is not yet reaped: running or a zombie.  (T) held. */
static bool signalable(struct task *p)
{
	return p->signal && !(p->flags & PF_KTHREAD) &&
	       p->exit_state != EXIT_DEAD;
}

/* Thread @tid, of process @tgid unless @tgid <= 0, running or a zombie
 * (a zombie's pid is taken until it is reaped).  (T) held. */
static struct task *find_thread(pid_t tid, pid_t tgid)
{
	struct task *p;

	list_for_each_entry(p, &task_list, tasks)
		if (p->pid == tid && signalable(p) &&
		    (tgid <= 0 || p->tgid == tgid))
			return p;
	return NULL;
}

/* kill(@pid) of every matching process; ESRCH when none matched. */
static long kill_many(pid_t pid, struct siginfo *info, int sig)
{
	struct task *p;
	int err = -ESRCH, r;
	pid_t pgrp = pid == 0 ? current->signal->pgrp : -pid;

	list_for_each_entry(p, &task_list, tasks) {
		if (p != p->group_leader || !signalable(p))
			continue;
		if (pid == -1 ? (p->tgid == 1 || p->tgid == current->tgid) :
				p->signal->pgrp != pgrp)
			continue;
		r = kill_one(sig, info, p, true);
		if (err)	/* success if any was signalled; else the last error */
			err = r;
	}
	return err;
}

long sys_kill(pid_t pid, int sig)
{
	struct siginfo info;
	unsigned long flags;
	struct task *p;
	long err;

	if (!valid_signal(sig))
		return -EINVAL;
	user_info(&info, sig, SI_USER);
	flags = spin_lock_irqsave(&tasklist_lock);
	if (pid > 0) {
		p = find_thread(pid, pid);
		err = p ? kill_one(sig, &info, p->group_leader, true) : -ESRCH;
	} else if (pid == (pid_t)0x80000000) {	/* -INT_MIN overflows */
		err = -ESRCH;
	} else {
		err = kill_many(pid, &info, sig);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

static long do_tkill(pid_t tgid, pid_t tid, int sig)
{
	struct siginfo info;
	unsigned long flags;
	struct task *p;
	long err;

	if (tid <= 0 || !valid_signal(sig))
		return -EINVAL;
	user_info(&info, sig, SI_TKILL);
	flags = spin_lock_irqsave(&tasklist_lock);
	p = find_thread(tid, tgid);
	err = p ? kill_one(sig, &info, p, false) : -ESRCH;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

long sys_tkill(pid_t tid, int sig)
{
	return do_tkill(0, tid, sig);
}

long sys_tgkill(pid_t tgid, pid_t tid, int sig)
{
	if (tgid <= 0)
		return -EINVAL;
	return do_tkill(tgid, tid, sig);
}

long sys_rt_sigqueueinfo(pid_t pid, int sig, const struct siginfo __user *uinfo)
{
	struct siginfo info;
	unsigned long flags;
	struct task *p;
	long err;

	if (copy_from_user(&info, uinfo, sizeof(info)))
		return -EFAULT;
	if (!valid_signal(sig))
		return -EINVAL;
	if ((info.si_code >= 0 || info.si_code == SI_TKILL) && pid != current->tgid)
		return -EPERM;
	info.si_signo = sig;
	flags = spin_lock_irqsave(&tasklist_lock);
	p = pid > 0 ? find_thread(pid, pid) : NULL;
	err = p ? kill_one(sig, &info, p->group_leader, true) : -ESRCH;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}
