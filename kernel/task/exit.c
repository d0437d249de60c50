/*
 * exit.c — how tasks and processes end: exit, exit_group, being killed
 * (kestrel/process.h).  Collecting the dead is wait.c's.
 *
 * A task that exits (do_exit) gives up, in this order:
 *
 *  1. its address space (exit_mm): the CLONE_CHILD_CLEARTID word is
 *     zeroed and its futex woken (pthread_join waits on it), robust
 *     futexes it held are marked OWNER_DIED, a vfork parent is released,
 *     the CPU moves to the kernel's page tables, and mmput() drops the
 *     task's reference — the last thread's frees every page;
 *  2. its place in the process (exit_notify, under tasklist_lock): a
 *     thread other than the leader is released at once; the last thread
 *     of a process hangs up the process groups its exit orphans (lab 9,
 *     kill_orphaned_pgrps), hands its children to init and makes the
 *     process a zombie for its parent to reap, waking the parent's wait4
 *     (a session leader first gives up its terminal: disassociate_ctty);
 *  3. the CPU: do_task_dead() (lab 5) switches away for good.
 *
 * The wait status (uapi/linux/wait.h) is computed by the caller:
 * exit(n) gives (n & 0xff) << 8, death by signal s gives s (| 0x80 for
 * a "core dump").  task->fatal_signal is the kernel's fast kill:
 * exit_group and SIGKILL set it on the other threads (zap_other_threads),
 * the OOM killer on a whole process (force_fatal_signal); each thread
 * dies on its way back to user mode (exit_to_user_mode,
 * kernel/core/entry.c).  Other signals take lab 9's path
 * (kestrel/signal.h): a fault in user mode is a signal the program may
 * handle (user_fault_kill), and the parent hears of the end by SIGCHLD.
 *
 * When pid 1 exits, nothing is left to reap the others: Linux panics
 * ("Attempted to kill init!").  Kestrel says so and powers the machine
 * off instead, so that a test program run as init ends the boot cleanly.
 */
#include <asm/user_thread.h>
#include <kestrel/completion.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs_struct.h>
#include <kestrel/fpu.h>
#include <kestrel/futex.h>
#include <kestrel/mman.h>
#include <kestrel/printk.h>
#include <kestrel/process.h>
#include <kestrel/reboot.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/syscalls.h>
#include <kestrel/tty.h>
#include <kestrel/uaccess.h>
#include <uapi/asm-generic/signal.h>
#include <uapi/linux/wait.h>

struct task *init_process;

static const char *const signal_names[] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
	[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
	[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
	[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
	[SIGXCPU] = "SIGXCPU", [SIGXFSZ] = "SIGXFSZ", [SIGSYS] = "SIGSYS",
};

static const char *signal_name(int sig)
{
	if (sig > 0 && sig < (int)ARRAY_SIZE(signal_names) && signal_names[sig])
		return signal_names[sig];
	return "a signal";
}

void mm_release(struct task *me)
{
	if (me->clear_child_tid) {
		/* Linux ignores a fault here; the thread is gone either way. */
		if (!put_user(0, me->clear_child_tid))
			futex_wake_address((u32 __user *)me->clear_child_tid, 1);
		me->clear_child_tid = NULL;
	}
	exit_robust_list(me);
	if (me->vfork_done) {
		complete(me->vfork_done);
		me->vfork_done = NULL;
	}
}

/* Give up the address space (step 1 of the head comment). */
static void exit_mm(struct task *me)
{
	struct mm *mm = me->mm;
	unsigned long flags;

	if (!mm)
		return;
	mm_release(me);
	if (me->signal && (unsigned long)mm->rss > me->signal->maxrss)
		me->signal->maxrss = mm->rss;	/* the size at exit, in pages */
	fpu_release(me);
	flags = arch_local_irq_save();
	me->mm = NULL;
	switch_mm(NULL);	/* never run on tables that may be freed */
	arch_local_irq_restore(flags);
	mmput(mm);
}

/* Drop what a task holds of its process; the family's reference to it
 * goes too (the task may then be freed, once it is not running). */
void release_task(struct task *p)
{
	struct signal_struct *sig = p->signal;

	kfree(p->cred);
	p->cred = NULL;
	p->signal = NULL;
	flush_sigqueue(&p->pending);
	sighand_put(p->sighand);
	p->sighand = NULL;
	if (sig && __atomic_sub_fetch(&sig->count, 1, __ATOMIC_ACQ_REL) == 0) {
		flush_sigqueue(&sig->shared_pending);
		kfree(sig);
	}
	put_task_struct(p);
}

/* The children of @leader go to init; a zombie among them wakes it.  (T) */
static void reparent_children(struct task *leader)
{
	struct task *child, *next;
	bool zombie = false;

	if (!init_process || leader == init_process)
		return;
	list_for_each_entry_safe(child, next, &leader->children, sibling) {
		list_del(&child->sibling);
		child->parent = init_process;
		list_add_tail(&child->sibling, &init_process->children);
		zombie |= child->exit_state == EXIT_ZOMBIE;
	}
	if (zombie)
		wake_up_all(&init_process->signal->wait_chldexit);
}

/*
 * The process of @leader ended with @code: its parent may reap it now,
 * and gets its exit signal (SIGCHLD).  Unless the parent ignores SIGCHLD
 * or set SA_NOCLDWAIT: then no zombie is left — @leader is taken off the
 * parent's children, EXIT_DEAD, and true returned: the caller releases
 * it once tasklist_lock is dropped.  (T)
 */
static bool notify_parent(struct task *leader, int code)
{
	int status = leader->signal->group_exit ? leader->signal->group_exit_code : code;
	bool autoreap = parent_autoreaps(leader);

	kill_orphaned_pgrps(leader);	/* lab 9: before the children move */
	reparent_children(leader);
	if (!(status & 0x7f))
		do_notify_parent(leader, CLD_EXITED, (status >> 8) & 0xff);
	else
		do_notify_parent(leader, status & 0x80 ? CLD_DUMPED : CLD_KILLED,
				 status & 0x7f);
	if (autoreap) {
		list_del(&leader->sibling);
		leader->exit_state = EXIT_DEAD;
	}
	if (leader->parent && leader->parent->signal)
		wake_up_all(&leader->parent->signal->wait_chldexit);
	return autoreap;
}

/* Step 2: leave the process.  Returns true when @me is to be released
 * now (a thread other than the leader, or a leader nobody will wait
 * for). */
static bool exit_notify(struct task *me, int code)
{
	struct task *leader = me->group_leader;
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	bool last = --me->signal->nr_threads == 0;
	bool release = me != leader, autoreap = false;

	me->exit_code = code;
	me->signal->exec_runtime += me->se.sum_exec_runtime;
	me->signal->min_flt += me->min_flt;
	me->signal->nvcsw += me->nvcsw;
	me->signal->nivcsw += me->nivcsw;
	if (release) {
		list_del(&me->thread_node);
		me->exit_state = EXIT_DEAD;
	} else {
		me->exit_state = EXIT_ZOMBIE;
	}
	if (last)
		autoreap = notify_parent(leader, code);
	else if (me->signal->group_exec_task)
		wake_up_process(me->signal->group_exec_task);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (autoreap && leader != me)
		release_task(leader);	/* the zombie leader, which we outlived */
	return release || autoreap;
}

/* pid 1 is gone: nothing can go on.  Say how it ended and power off. */
static __noreturn void init_exited(int code)
{
	if (code & 0x7f)
		pr_notice("Kestrel: init (pid 1) killed by %s; powering off\n",
			  signal_name(code & 0x7f));
	else
		pr_notice("Kestrel: init (pid 1) exited with status %d; powering off\n",
			  (code >> 8) & 0xff);
	machine_power_off();
}

void do_exit(int code)
{
	struct task *me = current;
	bool release;

	me->flags |= PF_EXITING;
	exit_mm(me);
	exit_files(me);		/* lab 8: closing pipes here gives readers EOF */
	exit_fs(me);
	if (!me->signal)
		do_task_dead();	/* a kernel thread that never had a process */
	if (me->signal->nr_threads == 1) {
		itimer_exit(me);
		if (me->signal->session == me->tgid)
			disassociate_ctty(true);	/* lab 9: hang up */
	}
	if (me->tgid == 1 && me->signal->nr_threads == 1)
		init_exited(me->signal->group_exit ? me->signal->group_exit_code :
						      code);
	release = exit_notify(me, code);
	user_task_exited();
	if (release)
		release_task(me);	/* our own reference stays until the switch */
	do_task_dead();
}

void exec_take_leader(struct task *me)
{
	struct task *leader = me->group_leader, *child;
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	pid_t tid = me->pid;

	/* The leader is a zombie by now (de_thread waited for it). */
	me->pid = leader->pid;
	leader->pid = tid;
	me->parent = leader->parent;
	me->exit_signal = leader->exit_signal;
	list_add(&me->sibling, &leader->sibling);
	list_del(&leader->sibling);
	while (!list_empty(&leader->children)) {
		child = list_first_entry(&leader->children, struct task, sibling);
		list_del(&child->sibling);
		list_add_tail(&child->sibling, &me->children);
		child->parent = me;
	}
	list_del(&leader->thread_node);
	leader->exit_state = EXIT_DEAD;
	leader->group_leader = me;
	me->group_leader = me;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	release_task(leader);
}

int zap_other_threads(struct task *me, int sig)
{
	struct task *t;
	int n = 0;

	list_for_each_entry(t, &me->signal->thread_head, thread_node) {
		if (t == me)
			continue;
		__atomic_store_n(&t->fatal_signal, sig, __ATOMIC_RELAXED);
		wake_up_state(t, TASK_INTERRUPTIBLE);
		n++;
	}
	return n;
}

/*
 * Mark the group as exiting with @code unless it already is; returns the
 * code the group exits with.  A thread killed by another thread's execve
 * (de_thread) just goes: the process itself lives on in the new program.
 */
static int start_group_exit(struct task *me, int code)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *exec_task = me->signal->group_exec_task;

	if (exec_task && exec_task != me) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return code;
	}
	if (!me->signal->group_exit) {
		me->signal->group_exit = true;
		me->signal->group_exit_code = code;
		zap_other_threads(me, SIGKILL);
	}
	code = me->signal->group_exit_code;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return code;
}

void do_group_exit(int code)
{
	do_exit(start_group_exit(current, code));
}

void do_fatal_signal(int sig)
{
	do_exit(start_group_exit(current, sig & 0x7f));
}

void force_fatal_signal(struct task *p, int sig)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	if (p->signal && !p->signal->group_exit) {
		p->signal->group_exit = true;
		p->signal->group_exit_code = sig & 0x7f;
		zap_other_threads(p, sig);
		__atomic_store_n(&p->fatal_signal, sig, __ATOMIC_RELAXED);
		wake_up_state(p, TASK_INTERRUPTIBLE);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/*
 * DOC: kill-line
 * The line is printed only when the signal will kill: no handler will
 * run (Linux's show_unhandled_signals, one line).
 */
void user_fault_kill(struct pt_regs *regs, int sig, int code,
		     unsigned long addr, const char *cause)
{
	struct task *me = current;

	if (sig != SIGKILL && sig_handled(me, sig)) {
		force_sig_fault(sig, code, addr);
		return;
	}
	if (sig == SIGSEGV || sig == SIGBUS)
		pr_notice("%s[%d]: segfault at %lx ip %016lx sp %016lx error %lx: %s; killed by %s\n",
			  me->comm, me->tgid, addr, regs->rip, regs->rsp,
			  regs->error_code, cause, signal_name(sig));
	else
		pr_notice("%s[%d]: %s at ip %016lx sp %016lx; killed by %s\n",
			  me->comm, me->tgid, cause, regs->rip, regs->rsp,
			  signal_name(sig));
	if (sig == SIGKILL || !me->sighand)
		force_fatal_signal(me, sig);
	else
		force_sig_fault(sig, code, addr);
}

long sys_exit(int error_code)
{
	do_exit((error_code & 0xff) << 8);
}

long sys_exit_group(int error_code)
{
	do_group_exit((error_code & 0xff) << 8);
}
