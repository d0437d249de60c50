/*
 * kestrel/process.h — processes: thread groups, parents and children,
 * fork, exit and wait (kernel/task/).
 *
 * A *process* is a thread group: one or more tasks (struct task,
 * kestrel/sched.h) that share an address space (task->mm) and a struct
 * signal_struct — the per-process state: the threads, the exit status of
 * the group, resource limits, the wait queue of a parent waiting for its
 * children.  The first thread is the group leader; its pid is the
 * process id every thread reports from getpid() (task->tgid), while
 * gettid() is the thread's own pid.  A kernel thread is a task with no mm.
 *
 * The family tree: every process but init (pid 1) has a parent, the
 * process that forked it (task->parent, pointing at the parent's group
 * leader), and is on that leader's children list.  A process that exits
 * becomes a zombie: it keeps its task (pid, exit code, times) until its
 * parent collects it with wait4/waitid, which frees it ("reaps" it).
 * When a parent exits first, its children are handed to init, which
 * reaps them.  Threads are not children: a thread that exits is freed by
 * the group (kernel/task/exit.c), and the group leader becomes a zombie
 * for its parent only once every thread is gone.
 *
 *	fork/clone ──> running ──exit/exit_group/killed──> EXIT_ZOMBIE
 *	                                   ──parent's wait4──> EXIT_DEAD, freed
 *
 * Until lab 9 brings signals, "killed" means task->fatal_signal: set by
 * exit_group (for the other threads), by a page fault the process cannot
 * survive, by the OOM killer; the task dies the next time it returns to
 * user mode, and an interruptible sleep ends early for it
 * (signal_pending()).  wait4 reports it as death by that signal.
 *
 * Locking legend:
 *	(T) tasklist_lock (kestrel/sched.h): the family links, thread lists,
 *	    exit_state, nr_threads, group_exit
 *	(L) signal->siglock: the limits
 *	(A) atomic   (O) set at creation
 */
#ifndef KESTREL_PROCESS_H
#define KESTREL_PROCESS_H

#include <kestrel/compiler.h>
#include <kestrel/list.h>
#include <kestrel/signal_types.h>
#include <kestrel/spinlock.h>
#include <kestrel/timer.h>
#include <kestrel/types.h>
#include <kestrel/wait.h>
#include <uapi/linux/resource.h>

struct pt_regs;
struct task;
struct tty_struct;

/* task->exit_state (Linux's values) */
#define EXIT_ZOMBIE	16	/* exited; waits for its parent's wait4 */
#define EXIT_DEAD	32	/* reaped (or a thread): about to be freed */

/**
 * struct signal_struct - what the threads of one process share
 * @count: (A) references: one per thread, plus transient ones
 * @nr_threads: (T) threads that have not exited
 * @thread_head: (T) every thread not yet released, via task->thread_node
 * @group_exit: (T) the whole group is exiting (exit_group, a fatal signal)
 * @group_exit_code: (T) the wait status the group exits with
 * @group_exec_task: (T) a thread in execve waiting for the others to die
 * @wait_chldexit: where the process's threads sleep in wait4 for children
 * @siglock: the (L) lock
 * @rlim: (L) resource limits, inherited at fork
 * @exec_runtime: (T) CPU time of the process's threads that exited, ns
 * @min_flt, @nvcsw, @nivcsw: (T) their faults and context switches
 * @cutime: (T) CPU time of reaped children (and theirs), ns
 * @cmin_flt, @cnvcsw, @cnivcsw: (T) the same for faults and switches
 * @maxrss: (T) the largest rss (pages) of the process; @cmaxrss of its children
 * Lab 9 (kestrel/signal.h; H: sighand->siglock):
 * @shared_pending: (H) signals sent to the process as a whole
 * @stop_state: (H) SIGNAL_STOPPED while stopped; SIGNAL_REPORT_* a change
 *              the parent's wait4 (WUNTRACED, WCONTINUED) has not seen
 * @stop_sig: (H) the signal that stopped it
 * @pgrp, @session: (T) process group and session ids (setpgid, setsid)
 * @tty: (T) the controlling terminal (kestrel/tty.h), or NULL; fork
 *       inherits it, setsid drops it
 * @real_timer: ITIMER_REAL and alarm(2): sends SIGALRM
 * @it_real_incr: (H) its reload interval, jiffies (0: one shot)
 * @it_virt_value, @it_prof_value: (L) ITIMER_VIRTUAL (user CPU time) and
 *              ITIMER_PROF (user + system CPU time) ticks left; 0: off
 * @it_virt_incr, @it_prof_incr: (L) their reload intervals, ticks
 */
struct signal_struct {
	int count;
	int nr_threads;
	struct list_head thread_head;
	bool group_exit;
	int group_exit_code;
	struct task *group_exec_task;
	struct wait_queue_head wait_chldexit;
	spinlock_t siglock;
	struct rlimit rlim[RLIM_NLIMITS];
	u64 exec_runtime;
	unsigned long min_flt, nvcsw, nivcsw;
	u64 cutime;
	unsigned long cmin_flt, cnvcsw, cnivcsw;
	unsigned long maxrss, cmaxrss;
	struct sigpending shared_pending;
	int stop_state;
	int stop_sig;
	int pgrp, session;
	struct tty_struct *tty;
	struct timer_list real_timer;
	u64 it_real_incr;
	u64 it_virt_value, it_virt_incr;
	u64 it_prof_value, it_prof_incr;
};

/* signal->stop_state */
#define SIGNAL_STOPPED		0x1	/* stopped (every thread in TASK_STOPPED) */
#define SIGNAL_REPORT_STOP	0x2	/* wait4(WUNTRACED) has a stop to report */
#define SIGNAL_REPORT_CONT	0x4	/* wait4(WCONTINUED) has a continue to report */

/**
 * struct cred - who a task acts as: real, effective and saved user and
 * group ids (credentials(7)).  Each task has its own copy; setuid() and
 * friends change the whole process's (kernel/task/sys.c).  Supplementary
 * groups: a fixed short list.
 */
#define NGROUPS_KESTREL	32
struct cred {
	unsigned int uid, euid, suid, fsuid;
	unsigned int gid, egid, sgid, fsgid;
	int ngroups;
	unsigned int groups[NGROUPS_KESTREL];
};

/* The first process: pid 1 (kernel/task/init.c). */
extern struct task *init_process;

/* --- fork (kernel/task/fork.c) ------------------------------------------- */

/**
 * struct kernel_clone_args - what clone(2) and its relatives ask for
 * @flags: CLONE_* (uapi/linux/sched.h) without the exit signal
 * @exit_signal: sent to the parent when the child exits (SIGCHLD, or 0)
 * @stack: the child's user stack pointer (0: the parent's)
 * @tls: with CLONE_SETTLS, the child's FS base
 * @parent_tid, @child_tid: user addresses for CLONE_*_SETTID/CLEARTID
 */
struct kernel_clone_args {
	unsigned long flags;
	int exit_signal;
	unsigned long stack;
	unsigned long tls;
	int __user *parent_tid;
	int __user *child_tid;
};

/**
 * kernel_clone - create a process or thread from the current task as
 * @args says, copying the caller's user registers (the child returns 0
 * from the system call).  Returns the child's pid (tid), or -EAGAIN (too
 * many processes, RLIMIT_NPROC), -ENOMEM, -EINVAL (a flag combination
 * Linux refuses).  With CLONE_VFORK, returns after the child exec'd or
 * exited.  Process context; may sleep.
 */
long kernel_clone(const struct kernel_clone_args *args);

/** nr_processes - tasks that run user code now (threads included). */
int nr_processes(void);

/**
 * threads_limit - the most user tasks (threads included) that may exist
 * at once, fixed at the first call from the memory size: Linux's rule
 * that tasks and their stacks take at most 1/8 of memory, at least 64.
 * What fork refuses beyond (EAGAIN) and /proc/sys/kernel/threads-max
 * shows.  Context: any.
 */
int threads_limit(void);

/** user_task_exited - one user task fewer (do_exit). */
void user_task_exited(void);

/** release_task - free what task @p held of its process (credentials,
 *  its share of the signal_struct) and drop the family's reference to
 *  it: for a reaped zombie (wait.c), or an exiting thread.  (not T) */
void release_task(struct task *p);

/**
 * process_init_task - make the kernel thread @p (pid 1, before it execs)
 * a process of its own: a signal_struct with the default limits, root's
 * credentials, its own thread group.  0 or -ENOMEM.
 */
int process_init_task(struct task *p);

/** fork_child_start - a new user task's first C code (ret_from_fork). */
void fork_child_start(void);

/* --- exit and wait (kernel/task/exit.c) ---------------------------------- */

/**
 * do_exit - end the current task with wait status @code: release its
 * address space, wake a CLONE_CHILD_CLEARTID futex, hand its children to
 * init, become a zombie (the last thread of a process) or go away (other
 * threads).  Never returns.
 */
void do_exit(int code) __noreturn;

/**
 * mm_release - what a task owes others when it leaves its address space
 * (exit, and exec): clear and wake its CLONE_CHILD_CLEARTID word, release
 * its robust futexes, let a vfork parent go on.
 */
void mm_release(struct task *me);

/**
 * exec_take_leader - after de_thread, a thread that exec'd while not the
 * group leader takes the dead leader's pid and place in the family
 * (Linux: "the exec'ing thread becomes the leader").  (kernel/task/exit.c)
 */
void exec_take_leader(struct task *me);

/** do_group_exit - end every thread of the current process with wait
 *  status @code (exit_group(2)).  Never returns. */
void do_group_exit(int code) __noreturn;

/** do_fatal_signal - the current task dies of @sig, with its whole
 *  process (the return-to-user path calls it).  Never returns. */
void do_fatal_signal(int sig) __noreturn;

/**
 * user_fault_kill - the current process did something fatal in user mode
 * (a bad memory access, an invalid instruction…): send it @sig with
 * si_code @code (lab 9, kestrel/signal.h); unless a handler will run,
 * print one line naming it, the address and the cause.  @addr: the
 * faulting address, or 0.
 */
void user_fault_kill(struct pt_regs *regs, int sig, int code,
		     unsigned long addr, const char *cause);

/**
 * force_fatal_signal - kill @p's whole process with signal @sig (until lab
 * 9: the only kind of signal): each thread dies at its next return to
 * user mode; sleeping threads are woken.  Context: process.
 */
void force_fatal_signal(struct task *p, int sig);

/**
 * zap_other_threads - set a fatal signal on every other thread of the
 * current process and wake them; returns how many there were.  (T)
 */
int zap_other_threads(struct task *me, int sig);

/* --- credentials and limits (kernel/task/sys.c) -------------------------- */

/** task_rlimit - @p's soft limit @res (RLIMIT_*). */
unsigned long task_rlimit(const struct task *p, unsigned int res);

/** rlimit_init_defaults - the limits of the first process. */
void rlimit_init_defaults(struct rlimit *rlim);

/* --- the first process (kernel/task/init.c) ------------------------------ */

/**
 * user_init_start - create pid 1, the kernel thread that becomes the
 * first user process by exec'ing rdinit= (default /init) from the
 * initrd.  Returns false (and creates nothing) when there is no initrd
 * holding a program to run, or when the kernel cannot run user programs
 * yet (lab 6), after saying why.  Call at the end of start-up.
 */
bool user_init_start(void);

#endif
