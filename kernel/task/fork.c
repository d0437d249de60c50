/*
 * fork.c — creating processes and threads: fork, vfork, clone
 * (kestrel/process.h).
 *
 * Everything goes through kernel_clone(): a new task (task_alloc, lab 5)
 * that is a copy of the caller, sharing with it exactly what the CLONE_*
 * flags say (clone(2)):
 *
 *	fork()    nothing shared: a copy-on-write copy of the address space
 *	          (dup_mm), its own signal_struct, the caller as parent;
 *	          the parent gets SIGCHLD at its exit
 *	vfork()   CLONE_VM | CLONE_VFORK: the very same address space, and
 *	          the parent sleeps until the child calls execve or exits
 *	threads   CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|
 *	          PARENT_SETTID|CHILD_CLEARTID — what glibc's and musl's
 *	          pthread_create ask for: same mm, same process (tgid, the
 *	          signal_struct), a new stack and TLS, the tid stored for the
 *	          parent and cleared (with a futex wake) at exit, which is how
 *	          pthread_join learns a thread has ended
 *
 * CLONE_FS and CLONE_FILES are accepted and mean nothing until lab 8's
 * file tables; CLONE_SIGHAND shares the signal handlers (lab 9).  The combinations
 * Linux refuses are refused the same way (EINVAL): CLONE_THREAD without
 * CLONE_SIGHAND, CLONE_SIGHAND without CLONE_VM.  Namespaces are not
 * supported (EINVAL).  clone3(2) is not implemented: it returns ENOSYS,
 * and both C libraries fall back to clone(2).
 *
 * Limits: a fork bomb meets EAGAIN — when the number of user tasks
 * reaches max_threads (computed from memory at boot, as Linux does) or,
 * for a non-root user, RLIMIT_NPROC — and every allocation that fails on
 * the way is undone, so the caller gets ENOMEM and the kernel goes on.
 *
 * Order of creation: everything that can fail first (task, mm, cred,
 * signal), then the child is linked into its family under tasklist_lock,
 * then woken.  A child is never visible half-made.
 */
#include <asm/user_thread.h>
#include <kestrel/completion.h>
#include <kestrel/err.h>
#include <kestrel/fpu.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs_struct.h>
#include <kestrel/ktime.h>
#include <kestrel/mman.h>
#include <kestrel/mm.h>
#include <kestrel/printk.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <kestrel/wait.h>
#include <uapi/asm-generic/signal.h>
#include <uapi/linux/sched.h>

#define CLONE_SUPPORTED	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
			 CLONE_VFORK | CLONE_PARENT | CLONE_THREAD | \
			 CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | \
			 CLONE_CHILD_CLEARTID | CLONE_DETACHED | \
			 CLONE_CHILD_SETTID | CLONE_UNTRACED)

static int nr_user_tasks;	/* A: tasks with an mm, threads included */
static int max_threads;		/* the most user tasks at once (boot-time) */

int nr_processes(void)
{
	return __atomic_load_n(&nr_user_tasks, __ATOMIC_RELAXED);
}

void user_task_exited(void)
{
	__atomic_sub_fetch(&nr_user_tasks, 1, __ATOMIC_RELAXED);
}

/* Linux's rule: the task structures and stacks of all threads may take at
 * most 1/8 of memory; here a user task costs its 16 KiB stack, its page
 * tables and its task, so 1/8 of memory in 64 KiB units.  At least 64. */
static int threads_limit(void)
{
	if (!max_threads)
		max_threads = MAX(64UL, totalram_pages() / 128);
	return max_threads;
}

/* The limits a process starts with (Linux's defaults for init). */
void rlimit_init_defaults(struct rlimit *rlim)
{
	unsigned int i;

	for (i = 0; i < RLIM_NLIMITS; i++)
		rlim[i].rlim_cur = rlim[i].rlim_max = RLIM_INFINITY;
	rlim[RLIMIT_STACK].rlim_cur = 8UL << 20;	/* 8 MiB */
	rlim[RLIMIT_CORE].rlim_cur = 0;
	rlim[RLIMIT_NOFILE].rlim_cur = 1024;
	rlim[RLIMIT_NOFILE].rlim_max = 4096;
	rlim[RLIMIT_NPROC].rlim_cur = rlim[RLIMIT_NPROC].rlim_max =
		threads_limit() / 2;
	rlim[RLIMIT_MEMLOCK].rlim_cur = rlim[RLIMIT_MEMLOCK].rlim_max = 8UL << 20;
	rlim[RLIMIT_SIGPENDING].rlim_cur = rlim[RLIMIT_SIGPENDING].rlim_max =
		threads_limit() / 2;
	rlim[RLIMIT_MSGQUEUE].rlim_cur = rlim[RLIMIT_MSGQUEUE].rlim_max = 819200;
	rlim[RLIMIT_NICE].rlim_cur = rlim[RLIMIT_NICE].rlim_max = 0;
	rlim[RLIMIT_RTPRIO].rlim_cur = rlim[RLIMIT_RTPRIO].rlim_max = 0;
}

/* A new signal_struct for a new process, limits copied from @from. */
static struct signal_struct *signal_alloc(const struct signal_struct *from)
{
	struct signal_struct *sig = kzalloc(sizeof(*sig), GFP_KERNEL);

	if (!sig)
		return NULL;
	sig->count = 1;
	list_init(&sig->thread_head);
	init_waitqueue_head(&sig->wait_chldexit);
	spin_lock_init(&sig->siglock);
	init_sigpending(&sig->shared_pending);
	sig->pgrp = sig->session = 1;	/* the first process's */
	if (from) {
		memcpy(sig->rlim, from->rlim, sizeof(sig->rlim));
		sig->pgrp = from->pgrp;
		sig->session = from->session;
	} else {
		rlimit_init_defaults(sig->rlim);
	}
	return sig;
}

int process_init_task(struct task *p)
{
	p->signal = signal_alloc(NULL);
	p->cred = kzalloc(sizeof(*p->cred), GFP_KERNEL);	/* root */
	p->sighand = sighand_alloc(NULL);
	if (!p->signal || !p->cred || !p->sighand) {
		kfree(p->signal);
		kfree(p->cred);
		sighand_put(p->sighand);
		p->signal = NULL;
		p->cred = NULL;
		p->sighand = NULL;
		return -ENOMEM;
	}
	init_sigpending(&p->pending);
	p->tgid = p->pid;
	p->group_leader = p;
	p->exit_signal = SIGCHLD;
	list_init(&p->children);
	list_init(&p->sibling);
	list_add_tail(&p->thread_node, &p->signal->thread_head);
	p->signal->nr_threads = 1;
	p->start_time = ktime_get();
	__atomic_add_fetch(&nr_user_tasks, 1, __ATOMIC_RELAXED);
	return 0;
}

/* Refuse what clone(2) refuses, and what Kestrel cannot do. */
static int check_clone_flags(unsigned long flags)
{
	if (flags & ~(unsigned long)CLONE_SUPPORTED)
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	return 0;
}

/* Too many tasks already?  (fork(2): EAGAIN) */
static bool over_task_limits(const struct task *me)
{
	int n = nr_processes();
	const struct task *p;
	unsigned long flags;
	unsigned long same_user = 0;

	if (n >= threads_limit())
		return true;
	if (me->cred->uid == 0)
		return false;	/* root is held only by max_threads */
	flags = spin_lock_irqsave(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks)
		if (p->cred && p->cred->uid == me->cred->uid && !p->exit_state)
			same_user++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return same_user >= task_rlimit(me, RLIMIT_NPROC);
}

/* The child's mm, cred and signal_struct, as @flags share them. */
static int copy_process_parts(struct task *p, struct task *me,
			      unsigned long flags)
{
	struct mm *mm;

	p->cred = kmalloc(sizeof(*p->cred), GFP_KERNEL);
	if (!p->cred)
		return -ENOMEM;
	*p->cred = *me->cred;
	if (flags & CLONE_THREAD) {
		__atomic_add_fetch(&me->signal->count, 1, __ATOMIC_RELAXED);
		p->signal = me->signal;
	} else if (!(p->signal = signal_alloc(me->signal))) {
		return -ENOMEM;
	}
	init_sigpending(&p->pending);
	if (flags & CLONE_SIGHAND) {
		__atomic_add_fetch(&me->sighand->count, 1, __ATOMIC_RELAXED);
		p->sighand = me->sighand;
	} else if (!(p->sighand = sighand_alloc(me->sighand))) {
		return -ENOMEM;
	}
	if (flags & CLONE_VM && !(flags & CLONE_VFORK)) {
		p->sas_ss_sp = 0;	/* a thread starts with no altstack */
		p->sas_ss_size = 0;
	} else {
		p->sas_ss_sp = me->sas_ss_sp;
		p->sas_ss_size = me->sas_ss_size;
		p->sas_ss_flags = me->sas_ss_flags;
	}
	if (flags & CLONE_VM) {
		mmget(me->mm);
		mm = me->mm;
	} else {
		mm = dup_mm(me->mm);
		if (IS_ERR(mm))
			return PTR_ERR(mm);
	}
	p->mm = mm;
	/* Lab 8: its place in the tree and its descriptors (CLONE_FS,
	 * CLONE_FILES share them; kernel/fs/fs_struct.c, fdtable.c). */
	return copy_fs(flags, p) ?: copy_files(flags, p);
}

/* Undo copy_process_parts and task_alloc for a child that never ran. */
static void free_unborn(struct task *p)
{
	fpu_release(p);
	if (p->mm)
		mmput(p->mm);
	if (p->signal && __atomic_sub_fetch(&p->signal->count, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(p->signal);
	sighand_put(p->sighand);
	p->sighand = NULL;
	exit_files(p);
	exit_fs(p);
	kfree(p->cred);
	p->mm = NULL;
	p->signal = NULL;
	p->cred = NULL;
	put_task_struct(p);	/* state TASK_NEW: freed at once */
}

/* Link the finished child into its process and family; -EINTR when the
 * caller's process is being killed meanwhile.  (T) taken here. */
static int link_child(struct task *p, struct task *me,
		      const struct kernel_clone_args *args)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	if (signal_pending(me)) {
		/* A signal came during the fork: let it be handled first and
		 * the fork restarted (Linux's -ERESTARTNOINTR). */
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return -ERESTARTNOINTR;
	}
	if (args->flags & CLONE_THREAD) {
		p->tgid = me->tgid;
		p->group_leader = me->group_leader;
		p->exit_signal = 0;
		p->parent = me->group_leader->parent;
	} else {
		p->tgid = p->pid;
		p->group_leader = p;
		p->exit_signal = args->exit_signal;
		p->parent = (args->flags & CLONE_PARENT) ? me->group_leader->parent :
							   me->group_leader;
		list_add_tail(&p->sibling, &p->parent->children);
	}
	list_add_tail(&p->thread_node, &p->signal->thread_head);
	p->signal->nr_threads++;
	get_task_struct(p);	/* the family's reference: wait4 or the group drops it */
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return 0;
}

static struct task *copy_process(const struct kernel_clone_args *args)
{
	struct task *me = current, *p;
	int err = check_clone_flags(args->flags);

	if (err)
		return ERR_PTR(err);
	if (!me->mm || over_task_limits(me))
		return ERR_PTR(-EAGAIN);
	p = task_alloc(me->comm);
	if (IS_ERR(p))
		return p;
	list_init(&p->children);
	list_init(&p->sibling);
	p->blocked = me->blocked;
	p->start_time = ktime_get();
	if (args->flags & CLONE_CHILD_SETTID)
		p->set_child_tid = args->child_tid;
	if (args->flags & CLONE_CHILD_CLEARTID)
		p->clear_child_tid = args->child_tid;
	set_user_nice(p, task_nice(me));
	p->ioprio = me->ioprio;
	err = copy_process_parts(p, me, args->flags);
	if (!err)
		err = copy_thread(p, args);
	if (!err)
		err = link_child(p, me, args);
	if (err) {
		free_unborn(p);
		return ERR_PTR(err);
	}
	__atomic_add_fetch(&nr_user_tasks, 1, __ATOMIC_RELAXED);
	return p;
}

long kernel_clone(const struct kernel_clone_args *args)
{
	struct completion vfork;
	struct task *p;
	pid_t pid;

	p = copy_process(args);
	if (IS_ERR(p))
		return PTR_ERR(p);
	pid = p->pid;
	if ((args->flags & CLONE_PARENT_SETTID) &&
	    put_user(pid, args->parent_tid)) {
		/* Linux stores it before the child runs and ignores a fault;
		 * so do we. */
	}
	if (args->flags & CLONE_VFORK) {
		init_completion(&vfork);
		p->vfork_done = &vfork;
	}
	wake_up_process(p);
	if (args->flags & CLONE_VFORK)
		wait_for_completion(&vfork);
	return pid;
}

/*
 * The child's first steps, from ret_from_fork (entry.S) before it leaves
 * for user mode: store its tid for CLONE_CHILD_SETTID, in its own address
 * space (after fork, the parent's copy is not the child's).
 */
void fork_child_start(void)
{
	struct task *me = current;

	if (me->set_child_tid && put_user(me->pid, me->set_child_tid))
		me->set_child_tid = NULL;
}

long sys_fork(void)
{
	struct kernel_clone_args args = { .exit_signal = SIGCHLD };

	return kernel_clone(&args);
}

long sys_vfork(void)
{
	struct kernel_clone_args args = {
		.flags = CLONE_VM | CLONE_VFORK,
		.exit_signal = SIGCHLD,
	};

	return kernel_clone(&args);
}

long sys_clone(unsigned long flags, unsigned long newsp,
	       int __user *parent_tid, int __user *child_tid, unsigned long tls)
{
	struct kernel_clone_args args = {
		.flags = flags & ~(unsigned long)CSIGNAL,
		.exit_signal = flags & CSIGNAL,
		.stack = newsp,
		.tls = tls,
		.parent_tid = parent_tid,
		.child_tid = child_tid,
	};

	if (args.exit_signal > _NSIG)
		return -EINVAL;
	if ((flags & CLONE_SETTLS) && tls >= TASK_SIZE_MAX)
		return -EPERM;
	return kernel_clone(&args);
}

/* clone3(2): not implemented; the C libraries then use clone(2). */
long sys_clone3(struct clone_args __user *uargs, size_t size)
{
	(void)uargs;
	(void)size;
	return -ENOSYS;
}

/* set_tid_address(2): where to clear and wake at exit; returns the tid. */
long sys_set_tid_address(int __user *tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}
