/*
 * kestrel/signal.h — signals (lab 9; docs/signals.md tells the story).
 *
 * A signal is sent to a thread (tkill, tgkill, a fault) or to a process
 * (kill, alarm, SIGCHLD): it becomes pending in the thread's or the
 * process's struct sigpending, and a thread that does not block it is
 * told (task->sigpending, which signal_pending() reads) and woken from an
 * interruptible sleep.  On its next way back to user mode
 * (exit_to_user_mode, kernel/core/entry.c) the thread takes the pending
 * signals one by one (get_signal): an ignored one is dropped, a default
 * action is carried out (terminate, terminate with a core bit, stop,
 * continue, ignore — signal(7)), and for a handler the arch builds a
 * signal frame on the user stack (arch/x86_64/signal.c) so that user mode
 * resumes in the handler and, through rt_sigreturn, where it was.
 *
 *	kill/tgkill/fault/timer ──send_signal──> pending ──get_signal──>
 *	    default action, or handler: setup_rt_frame ─> user handler
 *	    ─> sa_restorer ─> rt_sigreturn ─> the interrupted code
 *
 * Structures: struct sighand_struct (the 64 actions, shared by threads
 * created with CLONE_SIGHAND, and the lock of everything here); per
 * thread, task->pending and task->blocked; per process,
 * signal->shared_pending.  Files: kernel/signal/signal.c (sending,
 * dequeuing, default actions), kernel/signal/syscalls.c (the rt_sig*
 * family, kill/tkill/tgkill, sigaltstack, pause), kernel/signal/itimer.c
 * (alarm, setitimer), arch/x86_64/signal.c (the frame, rt_sigreturn,
 * restart).
 *
 * Locking: (H) sighand->siglock, a spinlock taken with interrupts off
 * (timers send signals from interrupt context).  Never hold it while
 * touching user memory.
 */
#ifndef KESTREL_SIGNAL_H
#define KESTREL_SIGNAL_H

#include <kestrel/signal_types.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>
#include <uapi/asm-generic/signal.h>

struct pt_regs;
struct task;

#define sigmask(sig)	(1ULL << ((sig) - 1))
#define SIG_KERNEL_ONLY_MASK	(sigmask(SIGKILL) | sigmask(SIGSTOP))
#define SIG_STOP_MASK	(sigmask(SIGSTOP) | sigmask(SIGTSTP) | \
			 sigmask(SIGTTIN) | sigmask(SIGTTOU))

/* Kernel-internal restart codes (Linux's include/linux/errno.h). */
#define ERESTARTNOINTR		513	/* always restart */
#define ERESTARTNOHAND		514	/* restart if no handler ran */
#define ERESTART_RESTARTBLOCK	516	/* restart through restart_syscall */

/** struct k_sigaction - one signal's action (rt_sigaction's view). */
struct k_sigaction {
	unsigned long handler;		/* SIG_DFL, SIG_IGN or a user address */
	unsigned long flags;		/* SA_* */
	unsigned long restorer;		/* user address of the trampoline */
	sigset_t mask;			/* added to the mask during the handler */
};

/**
 * struct sighand_struct - the actions of a process (or of the tasks that
 * share them with CLONE_SIGHAND)
 * @count: (A) tasks using it
 * @siglock: the (H) lock: actions, pending sets, masks, stop state
 * @action: (H) index sig - 1
 */
struct sighand_struct {
	int count;
	spinlock_t siglock;
	struct k_sigaction action[_NSIG];
};

/** struct sigqueue - one sent signal with its information (H). */
struct sigqueue {
	struct list_head list;
	struct siginfo info;
};

/** struct ksignal - a signal to deliver to a handler: get_signal's result. */
struct ksignal {
	int sig;
	struct k_sigaction ka;
	struct siginfo info;
};

/* What the default action of a signal is (signal(7), "Standard signals"). */
enum sig_default {
	SIG_DEF_TERM,		/* terminate */
	SIG_DEF_CORE,		/* terminate, "dump core" (the 0x80 wait bit) */
	SIG_DEF_STOP,		/* stop the process */
	SIG_DEF_CONT,		/* continue it if stopped */
	SIG_DEF_IGN,		/* ignore */
};

/** sig_default_action - the default action of @sig (1–64). */
enum sig_default sig_default_action(int sig);

/* --- sending (kernel/signal/signal.c) -------------------------------------- */

/**
 * send_signal - make @sig pending for thread @t (@group false) or for its
 * whole process (@group true), with @info (NULL: SI_KERNEL).  Drops a
 * signal the target ignores, merges a classic signal already pending,
 * and wakes a thread that can take it.  Returns 0, or -EAGAIN when a
 * real-time signal cannot be queued.  Context: any; takes (H).
 */
int send_signal(int sig, const struct siginfo *info, struct task *t, bool group);

/** __send_signal - send_signal with tasklist_lock held. */
int __send_signal(int sig, const struct siginfo *info, struct task *t, bool group);

/**
 * force_sig_fault - the current thread did something that raises @sig
 * (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP) with @code and @addr: the
 * signal cannot be ignored or blocked — if it is, the action goes back
 * to SIG_DFL and it kills — as Linux's force_sig_info.  Process context.
 */
void force_sig_fault(int sig, int code, unsigned long addr);

/** sig_handled - whether @sig would run a user handler in @p now. */
bool sig_handled(struct task *p, int sig);

/**
 * do_notify_parent - tell the parent of the process of @p (its leader)
 * that it exited, stopped or continued (@why: CLD_*, @status: exit
 * status or signal): SIGCHLD unless the parent ignores it.  (T) held.
 */
void do_notify_parent(struct task *p, int why, int status);

/**
 * parent_autoreaps - the parent of the process of @leader does not want
 * its exit status: its SIGCHLD action is SIG_IGN or has SA_NOCLDWAIT,
 * and @leader's exit signal is SIGCHLD.  Then the process is freed as it
 * exits, never a zombie, and the parent's wait calls end with ECHILD once
 * none is left (wait(2), sigaction(2)).  tasklist_lock held.
 */
bool parent_autoreaps(struct task *leader);

/* --- process groups (kernel/task/pgrp.c) ------------------------------------ */

/**
 * __kill_pgrp - send @sig (SI_KERNEL) to every process of group @pgrp,
 * as a terminal does (ISIG, SIGWINCH, hangup, SIGTTIN/SIGTTOU).  pid 1
 * is skipped while the signal's action is SIG_DFL (Linux's
 * SIGNAL_UNKILLABLE).  Returns true if the group has a live process.
 * (T) held.
 */
bool __kill_pgrp(int pgrp, int sig);

/**
 * pgrp_orphaned - is process group @pgrp orphaned, or will it be once
 * @ignore (a process leaving, or NULL) is gone?  A group is orphaned
 * when no member has a parent in another group of the same session
 * (POSIX 2017 §3.262 "Orphaned Process Group"; pid 1 as a parent does
 * not count, as in Linux).  (T) held.
 */
bool pgrp_orphaned(int pgrp, struct task *ignore);

/**
 * kill_orphaned_pgrps - the process of @leader is exiting: each process
 * group that this orphans (its own, through its parent, or its
 * children's) and that has a stopped member gets SIGHUP then SIGCONT
 * (POSIX 2017 _exit(), "Consequences of Process Termination").  Call
 * before its children are handed to init.  (T) held.
 */
void kill_orphaned_pgrps(struct task *leader);

/* --- delivering (kernel/signal/signal.c and the arch) ---------------------- */

/**
 * get_signal - take the next signal the current thread must act on,
 * carrying out default actions on the way (which may not return).
 * Returns true and fills @ks when a user handler must run.
 */
bool get_signal(struct ksignal *ks);

/** dequeue_wanted - take a pending signal in @want (rt_sigtimedwait),
 *  whatever its action and mask; 0 if none.  (takes H) */
int dequeue_wanted(sigset_t want, struct siginfo *info);

/** recalc_sigpending - recompute task->sigpending for @t.  (H) held. */
void recalc_sigpending(struct task *t);

/** signal_delivered - after the frame of @ks is built: block its mask,
 *  reset SA_RESETHAND.  (takes H) */
void signal_delivered(struct ksignal *ks);

/** set_current_blocked - set the blocked mask (without SIGKILL/SIGSTOP). */
void set_current_blocked(sigset_t mask);

/** arch_do_signal_or_restart - deliver pending signals to the current
 *  thread (frames and syscall restart), on its way to user mode at
 *  @regs.  (arch/x86_64/signal.c) */
void arch_do_signal_or_restart(struct pt_regs *regs);

/** do_sigaltstack - sigaltstack(2)'s work, for it and for rt_sigreturn. */
int do_sigaltstack(const struct sigaltstack_user *ss, struct sigaltstack_user *old,
		   unsigned long sp);

/** on_sig_stack - whether @sp lies on the current thread's sigaltstack. */
bool on_sig_stack(unsigned long sp);

/* --- life of the structures (kernel/signal/signal.c) ----------------------- */

/** sighand_alloc - a new sighand, a copy of @from's actions (NULL: all
 *  SIG_DFL).  NULL when out of memory. */
struct sighand_struct *sighand_alloc(const struct sighand_struct *from);

/** sighand_put - drop a reference; the last frees it. */
void sighand_put(struct sighand_struct *sh);

/** exec_reset_signals - execve: handlers back to SIG_DFL, no altstack
 *  (the mask and pending signals are kept, execve(2)). */
void exec_reset_signals(struct task *t);

/** flush_signal_handlers - execve: handled signals go back to SIG_DFL. */
void flush_signal_handlers(struct task *t);

/** flush_sigqueue - free every entry of @q and clear it.  (H) or private. */
void flush_sigqueue(struct sigpending *q);

/** init_sigpending - an empty pending set. */
void init_sigpending(struct sigpending *q);

/** itimer_exit - stop the process's real timer (the last thread exits). */
void itimer_exit(struct task *leader);

/**
 * itimer_account_tick - charge one tick of CPU time to @p's process: to
 * ITIMER_PROF, and to ITIMER_VIRTUAL too when @user (the tick interrupted
 * user mode); a timer that runs out sends SIGPROF / SIGVTALRM and
 * reloads.  Called by the tick, interrupts off; nothing for kernel
 * threads and the idle task.
 */
void itimer_account_tick(struct task *p, bool user);

/* --- system calls (kernel/signal/, arch/x86_64/signal.c) ---------------- */

struct __kernel_timespec;
struct __kernel_old_itimerval;
typedef int pid_t;

long sys_rt_sigaction(int sig, const struct k_sigaction_user __user *act,
		      struct k_sigaction_user __user *oact, size_t sigsetsize);
long sys_rt_sigpending(sigset_t __user *set, size_t sigsetsize);
long sys_rt_sigsuspend(const sigset_t __user *mask, size_t sigsetsize);
long sys_rt_sigtimedwait(const sigset_t __user *uthese, struct siginfo __user *uinfo,
			 const struct __kernel_timespec __user *uts, size_t sigsetsize);
long sys_rt_sigqueueinfo(pid_t pid, int sig, const struct siginfo __user *uinfo);
long sys_sigaltstack(const struct sigaltstack_user __user *uss,
		     struct sigaltstack_user __user *uoss);
long sys_kill(pid_t pid, int sig);
long sys_tkill(pid_t tid, int sig);
long sys_tgkill(pid_t tgid, pid_t tid, int sig);
long sys_rt_sigreturn(void);
long sys_restart_syscall(void);
long sys_alarm(unsigned int seconds);
long sys_setitimer(int which, const struct __kernel_old_itimerval __user *value,
		   struct __kernel_old_itimerval __user *ovalue);
long sys_getitimer(int which, struct __kernel_old_itimerval __user *value);
long sys_setpgid(pid_t pid, pid_t pgid);
long sys_getpgid(pid_t pid);
long sys_getpgrp(void);
long sys_setsid(void);
long sys_getsid(pid_t pid);

#endif
