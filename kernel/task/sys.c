/*
 * sys.c — the small system calls about a process: who it is (pids, user
 * and group ids), what it may use (resource limits), what it used
 * (getrusage, times), what the machine has (sysinfo), and a few
 * more (prctl, getrandom, sched_yield, rt_sigprocmask).
 *
 * Their rules are the man pages': ids and limits change only in the
 * directions an unprivileged process may take (EPERM otherwise; uid 0 may
 * do anything, standing in for the capabilities Linux checks), a bad
 * resource number or size is EINVAL, and every pointer goes through
 * uaccess (EFAULT).
 *
 * CPU time: Kestrel accounts a task's time as a whole
 * (se.sum_exec_runtime, kernel/sched/), not split into user and system
 * time, so it is all reported as user time and system time is 0.
 */
#include <kestrel/errno.h>
#include <kestrel/ktime.h>
#include <kestrel/mm.h>
#include <kestrel/mm_types.h>
#include <kestrel/process.h>
#include <kestrel/random.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/asm-generic/signal.h>
#include <uapi/linux/prctl.h>
#include <uapi/linux/random.h>
#include <uapi/linux/resource.h>
#include <uapi/linux/sysinfo.h>

#define USER_HZ		100	/* clock_t ticks per second (times(2)) */
#define CAP_LAST_CAP	40	/* Linux 6.1's highest capability number */
#define ID_UNCHANGED	((unsigned int)-1)	/* "leave this id alone" */

/* --- who -------------------------------------------------------------------- */

long sys_getpid(void)
{
	return current->tgid;
}

long sys_gettid(void)
{
	return current->pid;
}

long sys_getppid(void)
{
	struct task *parent = current->group_leader->parent;

	return parent ? parent->tgid : 0;
}

long sys_getuid(void)
{
	return current->cred->uid;
}

long sys_geteuid(void)
{
	return current->cred->euid;
}

long sys_getgid(void)
{
	return current->cred->gid;
}

long sys_getegid(void)
{
	return current->cred->egid;
}

/* Apply @c to every thread of the process: ids are per process (POSIX). */
static void commit_creds(const struct cred *c)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *t;

	list_for_each_entry(t, &current->signal->thread_head, thread_node)
		*t->cred = *c;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* May an unprivileged process with @c set an id to @id?  (-1: unchanged) */
static bool id_allowed(const struct cred *c, unsigned int id, bool group)
{
	if (id == ID_UNCHANGED || c->euid == 0)
		return true;
	if (group)
		return id == c->gid || id == c->egid || id == c->sgid;
	return id == c->uid || id == c->euid || id == c->suid;
}

/* setresuid/setresgid: the common rule; -1 leaves an id alone. */
static long set_ids(unsigned int r, unsigned int e, unsigned int s, bool group)
{
	struct cred c = *current->cred;

	if (!id_allowed(&c, r, group) || !id_allowed(&c, e, group) ||
	    !id_allowed(&c, s, group))
		return -EPERM;
	if (group) {
		c.gid = r != ID_UNCHANGED ? r : c.gid;
		c.egid = e != ID_UNCHANGED ? e : c.egid;
		c.sgid = s != ID_UNCHANGED ? s : c.sgid;
		c.fsgid = c.egid;
	} else {
		c.uid = r != ID_UNCHANGED ? r : c.uid;
		c.euid = e != ID_UNCHANGED ? e : c.euid;
		c.suid = s != ID_UNCHANGED ? s : c.suid;
		c.fsuid = c.euid;
	}
	commit_creds(&c);
	return 0;
}

long sys_setresuid(unsigned int ruid, unsigned int euid, unsigned int suid)
{
	return set_ids(ruid, euid, suid, false);
}

long sys_setresgid(unsigned int rgid, unsigned int egid, unsigned int sgid)
{
	return set_ids(rgid, egid, sgid, true);
}

/* setuid(2): root sets all three; others only the effective id. */
long sys_setuid(unsigned int uid)
{
	if (current->cred->euid == 0)
		return set_ids(uid, uid, uid, false);
	return set_ids(-1, uid, -1, false);
}

long sys_setgid(unsigned int gid)
{
	if (current->cred->euid == 0)
		return set_ids(gid, gid, gid, true);
	return set_ids(-1, gid, -1, true);
}

/*
 * setreuid(2)/setregid(2): an unprivileged process may set the real id to
 * the real or effective one.  The saved id follows the new effective id
 * when the real id is set, or the effective id is set to something other
 * than the real one (Linux's rule, setreuid(2) NOTES).
 */
static long set_re_ids(unsigned int r, unsigned int e, bool group)
{
	const struct cred *c = current->cred;
	unsigned int real = group ? c->gid : c->uid;
	unsigned int eff = group ? c->egid : c->euid;
	unsigned int saved = ID_UNCHANGED;

	if (r != ID_UNCHANGED && c->euid && r != real && r != eff)
		return -EPERM;
	if (r != ID_UNCHANGED || (e != ID_UNCHANGED && e != real))
		saved = e != ID_UNCHANGED ? e : eff;
	return set_ids(r, e, saved, group);
}

long sys_setreuid(unsigned int ruid, unsigned int euid)
{
	return set_re_ids(ruid, euid, false);
}

long sys_setregid(unsigned int rgid, unsigned int egid)
{
	return set_re_ids(rgid, egid, true);
}

static long put_three(unsigned int a, unsigned int b, unsigned int c,
		      unsigned int __user *pa, unsigned int __user *pb,
		      unsigned int __user *pc)
{
	if (put_user(a, pa) || put_user(b, pb) || put_user(c, pc))
		return -EFAULT;
	return 0;
}

long sys_getresuid(unsigned int __user *ruid, unsigned int __user *euid,
		   unsigned int __user *suid)
{
	const struct cred *c = current->cred;

	return put_three(c->uid, c->euid, c->suid, ruid, euid, suid);
}

long sys_getresgid(unsigned int __user *rgid, unsigned int __user *egid,
		   unsigned int __user *sgid)
{
	const struct cred *c = current->cred;

	return put_three(c->gid, c->egid, c->sgid, rgid, egid, sgid);
}

long sys_getgroups(int size, unsigned int __user *list)
{
	const struct cred *c = current->cred;

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if (size < c->ngroups)
		return -EINVAL;
	if (copy_to_user(list, c->groups, c->ngroups * sizeof(c->groups[0])))
		return -EFAULT;
	return c->ngroups;
}

long sys_setgroups(int size, const unsigned int __user *list)
{
	struct cred c = *current->cred;

	if (c.euid != 0)
		return -EPERM;
	if (size < 0 || size > NGROUPS_KESTREL)
		return -EINVAL;
	if (copy_from_user(c.groups, list, size * sizeof(c.groups[0])))
		return -EFAULT;
	c.ngroups = size;
	commit_creds(&c);
	return 0;
}

/* --- the machine ------------------------------------------------------------ */

long sys_sysinfo(struct sysinfo __user *info)
{
	struct sysinfo si;

	memset(&si, 0, sizeof(si));
	si.uptime = ktime_get() / NSEC_PER_SEC;
	si.totalram = totalram_pages();
	si.freeram = nr_free_pages();
	si.procs = nr_processes();
	si.mem_unit = PAGE_SIZE;
	return copy_to_user(info, &si, sizeof(si)) ? -EFAULT : 0;
}

long sys_getrandom(char __user *buf, size_t count, unsigned int flags)
{
	char chunk[256];
	size_t done = 0, n;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_RANDOM) && (flags & GRND_INSECURE))
		return -EINVAL;
	count = MIN(count, 0x7ffff000UL);	/* Linux's largest single read */
	while (done < count) {
		n = MIN(count - done, sizeof(chunk));
		get_random_bytes(chunk, n);
		if (copy_to_user(buf + done, chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return done;
}

long sys_sched_yield(void)
{
	yield();
	return 0;
}

/*
 * pause(2): sleep until a signal arrives.  -ERESTARTNOHAND: a signal
 * with a handler makes it return EINTR; one without (a stop and
 * continue, an ignored one) puts it back to sleep (kestrel/signal.h).
 */
long sys_pause(void)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (signal_pending(current))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return -ERESTARTNOHAND;
}

/* --- limits ----------------------------------------------------------------- */

unsigned long task_rlimit(const struct task *p, unsigned int res)
{
	return p->signal ? p->signal->rlim[res].rlim_cur : RLIM_INFINITY;
}

/* The process @pid for prlimit64: the caller's (0), or any if root. */
static struct task *rlimit_target(pid_t pid)
{
	struct task *p, *found = NULL;
	unsigned long flags;

	if (pid == 0 || pid == current->tgid)
		return current;
	flags = spin_lock_irqsave(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks)
		if (p->tgid == pid && p == p->group_leader && p->signal &&
		    !p->exit_state)
			found = p;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return found;
}

/* Read and/or set limit @res of @p; new limits checked first. */
static long do_prlimit(struct task *p, unsigned int res,
		       const struct rlimit64 *new, struct rlimit64 *old)
{
	struct rlimit *r;
	unsigned long flags;

	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	if (new && new->rlim_cur > new->rlim_max)
		return -EINVAL;
	flags = spin_lock_irqsave(&p->signal->siglock);
	r = &p->signal->rlim[res];
	if (new && new->rlim_max > r->rlim_max && current->cred->euid != 0) {
		spin_unlock_irqrestore(&p->signal->siglock, flags);
		return -EPERM;
	}
	if (old) {
		old->rlim_cur = r->rlim_cur;
		old->rlim_max = r->rlim_max;
	}
	if (new) {
		r->rlim_cur = new->rlim_cur;
		r->rlim_max = new->rlim_max;
	}
	spin_unlock_irqrestore(&p->signal->siglock, flags);
	return 0;
}

long sys_prlimit64(pid_t pid, unsigned int resource,
		   const struct rlimit64 __user *new_rlim,
		   struct rlimit64 __user *old_rlim)
{
	struct rlimit64 new, old;
	struct task *p;
	long err;

	if (new_rlim && copy_from_user(&new, new_rlim, sizeof(new)))
		return -EFAULT;
	p = rlimit_target(pid);
	if (!p)
		return -ESRCH;
	if (p != current && current->cred->euid != 0)
		return -EPERM;
	err = do_prlimit(p, resource, new_rlim ? &new : NULL,
			 old_rlim ? &old : NULL);
	if (!err && old_rlim && copy_to_user(old_rlim, &old, sizeof(old)))
		return -EFAULT;
	return err;
}

long sys_getrlimit(unsigned int resource, struct rlimit __user *rlim)
{
	struct rlimit64 old;
	struct rlimit r;
	long err = do_prlimit(current, resource, NULL, &old);

	if (err)
		return err;
	r.rlim_cur = old.rlim_cur;
	r.rlim_max = old.rlim_max;
	return copy_to_user(rlim, &r, sizeof(r)) ? -EFAULT : 0;
}

long sys_setrlimit(unsigned int resource, const struct rlimit __user *rlim)
{
	struct rlimit r;
	struct rlimit64 new;

	if (copy_from_user(&r, rlim, sizeof(r)))
		return -EFAULT;
	new.rlim_cur = r.rlim_cur;
	new.rlim_max = r.rlim_max;
	return do_prlimit(current, resource, &new, NULL);
}

/* --- usage ------------------------------------------------------------------ */

static void ns_to_timeval(u64 ns, struct __kernel_old_timeval *tv)
{
	tv->tv_sec = ns / NSEC_PER_SEC;
	tv->tv_usec = (ns % NSEC_PER_SEC) / NSEC_PER_USEC;
}

/* The current process's own CPU time, faults and switches (T held). */
static u64 process_totals(struct rusage *ru)
{
	struct signal_struct *sig = current->signal;
	u64 ns = sig->exec_runtime;
	struct task *t;

	ru->ru_minflt = sig->min_flt;
	ru->ru_nvcsw = sig->nvcsw;
	ru->ru_nivcsw = sig->nivcsw;
	list_for_each_entry(t, &sig->thread_head, thread_node) {
		if (t->exit_state)
			continue;
		ns += t->se.sum_exec_runtime;
		ru->ru_minflt += t->min_flt;
		ru->ru_nvcsw += t->nvcsw;
		ru->ru_nivcsw += t->nivcsw;
	}
	return ns;
}

long sys_getrusage(int who, struct rusage __user *uru)
{
	struct signal_struct *sig = current->signal;
	struct rusage ru;
	unsigned long flags;
	struct task *me = current;
	u64 ns;

	memset(&ru, 0, sizeof(ru));
	flags = spin_lock_irqsave(&tasklist_lock);
	if (who == RUSAGE_SELF) {
		ns = process_totals(&ru);
		ru.ru_maxrss = MAX(sig->maxrss, (unsigned long)me->mm->rss);
	} else if (who == RUSAGE_CHILDREN) {
		ns = sig->cutime;
		ru.ru_minflt = sig->cmin_flt;
		ru.ru_nvcsw = sig->cnvcsw;
		ru.ru_nivcsw = sig->cnivcsw;
		ru.ru_maxrss = sig->cmaxrss;
	} else if (who == RUSAGE_THREAD) {
		ns = me->se.sum_exec_runtime;
		ru.ru_minflt = me->min_flt;
		ru.ru_nvcsw = me->nvcsw;
		ru.ru_nivcsw = me->nivcsw;
	} else {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return -EINVAL;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	ns_to_timeval(ns, &ru.ru_utime);
	ru.ru_maxrss <<= PAGE_SHIFT - 10;	/* pages to KiB */
	return copy_to_user(uru, &ru, sizeof(ru)) ? -EFAULT : 0;
}

long sys_times(struct tms __user *tbuf)
{
	struct rusage ru;
	struct tms t;
	unsigned long flags;
	u64 ns;

	flags = spin_lock_irqsave(&tasklist_lock);
	ns = process_totals(&ru);
	t.tms_utime = ns / (NSEC_PER_SEC / USER_HZ);
	t.tms_stime = 0;
	t.tms_cutime = current->signal->cutime / (NSEC_PER_SEC / USER_HZ);
	t.tms_cstime = 0;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (tbuf && copy_to_user(tbuf, &t, sizeof(t)))
		return -EFAULT;
	/* Ticks since boot, as Linux (which starts a little below 2^32). */
	return ktime_get() / (NSEC_PER_SEC / USER_HZ);
}

/* --- prctl and the signal mask ---------------------------------------------- */

long sys_prctl(int option, unsigned long a2, unsigned long a3,
	       unsigned long a4, unsigned long a5)
{
	char name[TASK_COMM_LEN];

	(void)a3;
	(void)a4;
	(void)a5;
	switch (option) {
	case PR_SET_NAME:
		if (strncpy_from_user(name, (const char __user *)a2, sizeof(name)) < 0)
			return -EFAULT;
		name[sizeof(name) - 1] = '\0';
		strscpy(current->comm, name, sizeof(current->comm));
		return 0;
	case PR_GET_NAME:
		return copy_to_user((char __user *)a2, current->comm,
				    sizeof(current->comm)) ? -EFAULT : 0;
	case PR_SET_PDEATHSIG:
		return a2 > _NSIG ? -EINVAL : 0;	/* accepted, not delivered (lab 9) */
	case PR_GET_PDEATHSIG:
		return put_user(0, (int __user *)a2);
	case PR_GET_DUMPABLE:
		return 1;
	case PR_SET_DUMPABLE:
		return a2 > 1 ? -EINVAL : 0;
	case PR_SET_NO_NEW_PRIVS:
		return a2 != 1 ? -EINVAL : 0;
	case PR_GET_NO_NEW_PRIVS:
		return 0;
	case PR_SET_CHILD_SUBREAPER:
		return 0;	/* accepted; orphans still go to init */
	case PR_GET_CHILD_SUBREAPER:
		return put_user(0, (int __user *)a2);
	case PR_CAPBSET_READ:
		return a2 > CAP_LAST_CAP ? -EINVAL : 1;
	default:
		return -EINVAL;
	}
}

/*
 * rt_sigprocmask(2): change the blocked set (lab 9: set_current_blocked
 * also tells the task whether a signal it unblocked is now pending).
 * SIGKILL and SIGSTOP can never be blocked.
 */
long sys_rt_sigprocmask(int how, const u64 __user *set, u64 __user *oset,
			size_t sigsetsize)
{
	u64 old = current->blocked, new;
	const u64 unblockable = (1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1));

	if (sigsetsize != sizeof(u64))
		return -EINVAL;
	if (set) {
		if (get_user(new, set))
			return -EFAULT;
		if (how == SIG_BLOCK)
			new |= old;
		else if (how == SIG_UNBLOCK)
			new = old & ~new;
		else if (how != SIG_SETMASK)
			return -EINVAL;
		set_current_blocked(new & ~unblockable);
	}
	if (oset && put_user(old, oset))
		return -EFAULT;
	return 0;
}
