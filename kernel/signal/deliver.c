/*
 * deliver.c — taking pending signals on the way back to user mode
 * (lab 9; kestrel/signal.h, docs/signals.md §3).
 *
 * exit_to_user_mode() (kernel/core/entry.c) sees task->sigpending and
 * calls the arch's arch_do_signal_or_restart(), which asks get_signal()
 * here for the next signal that needs a user handler.  On the way,
 * get_signal() drops ignored signals and carries out default actions:
 * terminating the process (do_group_exit, never returning), or stopping
 * it until SIGCONT (do_signal_stop).  The signal it picks is the lowest
 * unblocked one, synchronous fault signals first, the thread's own set
 * before the process's (dequeue_signal) — so equal real-time signals come
 * out in the order they were sent.
 *
 * Also here: the blocked mask's setters, and the alternate signal stack
 * (sigaltstack(2)): a region the handlers with SA_ONSTACK run on, so that
 * a stack overflow's SIGSEGV can still be handled.
 */
#include <kestrel/errno.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <uapi/linux/resource.h>
#include <uapi/linux/wait.h>

#define SYNCHRONOUS_MASK (sigmask(SIGSEGV) | sigmask(SIGBUS) | sigmask(SIGILL) | \
			  sigmask(SIGTRAP) | sigmask(SIGFPE) | sigmask(SIGSYS))

/* Whether a thread must look at its signals: an unblocked pending one,
 * or its process is stopped.  Replaces the version without stops. */
static bool must_look(struct task *t)
{
	u64 pending = t->pending.signal | t->signal->shared_pending.signal;

	return (pending & ~t->blocked) || (t->signal->stop_state & SIGNAL_STOPPED);
}

void set_current_blocked(sigset_t mask)
{
	struct task *me = current;
	unsigned long flags = spin_lock_irqsave(&me->sighand->siglock);

	me->blocked = mask & ~SIG_KERNEL_ONLY_MASK;
	recalc_sigpending(me);
	spin_unlock_irqrestore(&me->sighand->siglock, flags);
}

void signal_delivered(struct ksignal *ks)
{
	struct task *me = current;
	unsigned long flags = spin_lock_irqsave(&me->sighand->siglock);

	me->blocked |= ks->ka.mask;
	if (!(ks->ka.flags & SA_NODEFER))
		me->blocked |= sigmask(ks->sig);
	me->blocked &= ~SIG_KERNEL_ONLY_MASK;
	recalc_sigpending(me);
	spin_unlock_irqrestore(&me->sighand->siglock, flags);
}

#if SOL >= 9
/* Take the first entry of @sig from @q into @info (or make one up, for a
 * classic signal whose siginfo could not be kept).  (H) */
static void collect_signal(struct sigpending *q, int sig, struct siginfo *info)
{
	struct sigqueue *e, *first = NULL;
	bool more = false;

	list_for_each_entry(e, &q->list, list) {
		if (e->info.si_signo != sig)
			continue;
		if (first) {
			more = true;
			break;
		}
		first = e;
	}
	if (!more)
		q->signal &= ~sigmask(sig);
	if (first) {
		*info = first->info;
		list_del(&first->list);
		kfree(first);
	} else {
		memset(info, 0, sizeof(*info));
		info->si_signo = sig;
		info->si_code = SI_USER;
	}
}
#endif

/**
 * dequeue_signal - take the next signal not in @mask from @t's pending
 * sets into @info; returns its number, or 0 when there is none.  (H)
 */
static int dequeue_signal(struct task *t, sigset_t mask, struct siginfo *info)
{
#if SOL >= 9
	struct sigpending *q = &t->pending;
	u64 ready = q->signal & ~mask;

	if (!ready) {
		q = &t->signal->shared_pending;
		ready = q->signal & ~mask;
	}
	if (!ready)
		return 0;
	if (ready & SYNCHRONOUS_MASK)
		ready &= SYNCHRONOUS_MASK;
	collect_signal(q, __builtin_ctzll(ready) + 1, info);
	recalc_sigpending(t);
	return info->si_signo;
#else
	/*
	 * LAB 9: pick the lowest signal pending in t->pending and not in
	 * @mask, else the lowest in t->signal->shared_pending; among them the
	 * synchronous ones (SYNCHRONOUS_MASK) first.  Take its first
	 * struct sigqueue off the list into @info (kfree it), clear its bit
	 * unless another entry of the same signal is still queued (real-time
	 * signals), recalc_sigpending(t), and return the number.  A set bit
	 * with no entry: fill @info with si_signo and SI_USER.
	 */
	(void)t;
	(void)mask;
	(void)info;
	return 0;
#endif
}

int dequeue_wanted(sigset_t want, struct siginfo *info)
{
	struct task *me = current;
	unsigned long flags = spin_lock_irqsave(&me->sighand->siglock);
	int sig = dequeue_signal(me, ~want, info);

	spin_unlock_irqrestore(&me->sighand->siglock, flags);
	return sig;
}

/* Stop the current thread until SIGCONT or SIGKILL; the first to stop
 * records it for the parent's wait4(WUNTRACED) and tells it.  (T, H) not
 * held; returns with both dropped. */
static __unused void do_signal_stop(int sig)
{
	struct task *me = current;
	struct signal_struct *s = me->signal;
	unsigned long tflags = spin_lock_irqsave(&tasklist_lock);
	bool notify = false;
	struct task *t;

	spin_lock(&me->sighand->siglock);
	if (s->group_exit) {
		spin_unlock(&me->sighand->siglock);
		spin_unlock_irqrestore(&tasklist_lock, tflags);
		return;
	}
	if (sig && !(s->stop_state & SIGNAL_STOPPED)) {
		s->stop_state = SIGNAL_STOPPED | SIGNAL_REPORT_STOP;
		s->stop_sig = sig;
		notify = true;
		list_for_each_entry(t, &s->thread_head, thread_node) {
			__atomic_store_n(&t->sigpending, 1, __ATOMIC_RELAXED);
			if (t != me)
				wake_up_state(t, TASK_INTERRUPTIBLE);
		}
	}
	set_current_state(TASK_STOPPED);	/* before SIGCONT can look */
	spin_unlock(&me->sighand->siglock);
	if (notify)
		do_notify_parent(me->group_leader, CLD_STOPPED, sig);
	spin_unlock_irqrestore(&tasklist_lock, tflags);
	schedule();
}

/* The wait status of a death by @sig: the core bit when a dump would
 * be written (RLIMIT_CORE not 0; Kestrel writes none). */
static int death_status(int sig)
{
	if (sig_default_action(sig) == SIG_DEF_CORE &&
	    task_rlimit(current, RLIMIT_CORE) != 0)
		return sig | 0x80;
	return sig;
}

/**
 * do_default_action - carry out @sig's default action for the current
 * thread (the signal was taken and has no handler): return for an
 * ignored or continuing signal and after a stop; never return for a
 * fatal one.
 */
static void do_default_action(int sig, const struct siginfo *info)
{
#if SOL >= 9
	enum sig_default act = sig_default_action(sig);
	bool from_kernel = info->si_code == SI_KERNEL || info->si_code > 0;

	if (act == SIG_DEF_IGN || act == SIG_DEF_CONT)
		return;
	if (current->tgid == 1 && sig != SIGKILL && !from_kernel)
		return;		/* init dies of its own faults only */
	if (act == SIG_DEF_STOP) {
		do_signal_stop(sig);
		return;
	}
	do_group_exit(death_status(sig));
#else
	/*
	 * LAB 9: signal(7)'s default actions: return for SIG_DEF_IGN and
	 * SIG_DEF_CONT (SIGCONT did its work when it was sent); stop with
	 * do_signal_stop(sig) for SIG_DEF_STOP; otherwise the whole process
	 * dies: do_group_exit(death_status(sig)).  pid 1 ignores what other
	 * processes send it (si_code SI_USER, SI_QUEUE, SI_TKILL ≤ 0) unless
	 * it is SIGKILL.
	 */
	(void)info;
	do_group_exit(death_status(sig));
#endif
}

/*
 * Until lab 9 is done: no handler ever runs, and a pending signal whose
 * default is to terminate kills the process — lab 7's behaviour.
 */
static __unused bool get_signal_fallback(void)
{
	struct task *me = current;
	unsigned long flags = spin_lock_irqsave(&me->sighand->siglock);
	u64 pending = me->pending.signal | me->signal->shared_pending.signal;
	int sig;

	flush_sigqueue(&me->pending);
	flush_sigqueue(&me->signal->shared_pending);
	recalc_sigpending(me);
	spin_unlock_irqrestore(&me->sighand->siglock, flags);
	for (sig = 1; sig <= _NSIG; sig++) {
		enum sig_default act = sig_default_action(sig);

		if ((pending & sigmask(sig)) && (act == SIG_DEF_TERM || act == SIG_DEF_CORE))
			do_group_exit(death_status(sig));
	}
	return false;
}

bool get_signal(struct ksignal *ks)
{
#if SOL >= 9
	struct task *me = current;
	struct k_sigaction *ka;
	unsigned long flags;
	int sig;

	for (;;) {
		if (me->signal->stop_state & SIGNAL_STOPPED) {
			do_signal_stop(0);	/* another thread stopped us */
			continue;
		}
		flags = spin_lock_irqsave(&me->sighand->siglock);
		sig = dequeue_signal(me, me->blocked, &ks->info);
		if (!sig) {
			recalc_sigpending(me);
			spin_unlock_irqrestore(&me->sighand->siglock, flags);
			return false;
		}
		ka = &me->sighand->action[sig - 1];
		ks->sig = sig;
		ks->ka = *ka;
		if (ka->handler != SIG_DFL && ka->handler != SIG_IGN &&
		    (ka->flags & SA_RESETHAND))
			ka->handler = SIG_DFL;
		spin_unlock_irqrestore(&me->sighand->siglock, flags);
		if (ks->ka.handler == SIG_IGN)
			continue;
		if (ks->ka.handler != SIG_DFL)
			return true;
		do_default_action(sig, &ks->info);
	}
#else
	/*
	 * LAB 9: loop taking signals with dequeue_signal(current,
	 * current->blocked, &ks->info) under sighand->siglock until one has
	 * a user handler: fill ks->sig and ks->ka (a copy of the action;
	 * with SA_RESETHAND put the action back to SIG_DFL) and return true.
	 * Skip SIG_IGN; for SIG_DFL, drop the lock and do_default_action().
	 * No signal left: return false.  If the process is stopped
	 * (signal->stop_state & SIGNAL_STOPPED), stop first: do_signal_stop(0).
	 */
	(void)ks;
	(void)dequeue_signal;
	(void)do_default_action;
	return get_signal_fallback();
#endif
}

/* --- the alternate stack -------------------------------------------------------- */

bool on_sig_stack(unsigned long sp)
{
	struct task *me = current;

	if (me->sas_ss_flags & SS_AUTODISARM)
		return false;
	return sp > me->sas_ss_sp && sp - me->sas_ss_sp <= me->sas_ss_size;
}

int do_sigaltstack(const struct sigaltstack_user *ss, struct sigaltstack_user *old,
		   unsigned long sp)
{
	struct task *me = current;
	unsigned int mode;

	if (old) {
		memset(old, 0, sizeof(*old));
		old->ss_sp = me->sas_ss_sp;
		old->ss_size = me->sas_ss_size;
		old->ss_flags = me->sas_ss_flags |
			(on_sig_stack(sp) ? SS_ONSTACK : me->sas_ss_size ? 0 : SS_DISABLE);
	}
	if (!ss)
		return 0;
	if (on_sig_stack(sp))
		return -EPERM;	/* sigaltstack(2): cannot change it while on it */
	mode = ss->ss_flags & ~SS_AUTODISARM;
	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		me->sas_ss_sp = 0;
		me->sas_ss_size = 0;
		me->sas_ss_flags = 0;
		return 0;
	}
	if (ss->ss_size < MINSIGSTKSZ)
		return -ENOMEM;
	me->sas_ss_sp = ss->ss_sp;
	me->sas_ss_size = ss->ss_size;
	me->sas_ss_flags = ss->ss_flags & SS_AUTODISARM;
	return 0;
}

void recalc_sigpending(struct task *t)
{
	__atomic_store_n(&t->sigpending, must_look(t), __ATOMIC_RELAXED);
}
