/*
 * signal.c — the life of a signal (lab 9; kestrel/signal.h, docs/signals.md):
 * sent (send_signal), pending, taken by the thread it is for (get_signal)
 * and acted on: a default action here, a handler through the arch's frame
 * (arch/x86_64/signal.c).
 *
 * Pending sets.  Each thread has task->pending (tkill, tgkill, faults);
 * each process signal->shared_pending (kill, alarm, SIGCHLD) which any of
 * its threads may take.  A set is a bitmask plus a list of struct
 * sigqueue carrying each signal's siginfo: a classic signal (1–31) is
 * queued once however often it is sent; a real-time one (32–64) once per
 * send, up to RLIMIT_SIGPENDING entries, and delivered in order
 * (signal(7)).  Everything is under sighand->siglock (H), interrupts off.
 *
 * Which thread is told.  The thread a thread-directed signal names; for
 * a process-directed one, the first thread that does not block it.  That
 * thread's task->sigpending flag is set — it is what signal_pending()
 * reads, so an interruptible sleep ends with -ERESTARTSYS / -EINTR — and
 * it is woken.  recalc_sigpending() clears the flag once nothing it does
 * not block is left.
 *
 * Default actions (signal(7), "Standard signals"): SIGCHLD, SIGURG,
 * SIGWINCH are ignored; SIGCONT continues; SIGSTOP, SIGTSTP, SIGTTIN,
 * SIGTTOU stop; SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE,
 * SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS "dump core" — Kestrel writes no core
 * file but sets the wait status's core bit (0x80) when RLIMIT_CORE is not
 * 0, as Linux reports a dump; everything else terminates.  SIGKILL and
 * SIGSTOP can be neither caught, blocked nor ignored.  Sending SIGCONT
 * discards pending stop signals and a stop signal discards SIGCONT, at
 * send time, whatever the handlers.
 *
 * pid 1 is special (Linux's SIGNAL_UNKILLABLE): a signal another process
 * sends it runs its handler or nothing; only the kernel's own fault
 * signals kill it.
 */
#include <kestrel/errno.h>
#include <kestrel/printk.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/wait.h>
#include <uapi/linux/resource.h>
#include <uapi/linux/wait.h>

enum sig_default sig_default_action(int sig)
{
	switch (sig) {
	case SIGCHLD: case SIGURG: case SIGWINCH:
		return SIG_DEF_IGN;
	case SIGCONT:
		return SIG_DEF_CONT;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return SIG_DEF_STOP;
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return SIG_DEF_CORE;
	default:
		return SIG_DEF_TERM;
	}
}

/* --- structures ------------------------------------------------------------- */

void init_sigpending(struct sigpending *q)
{
	list_init(&q->list);
	q->signal = 0;
}

void flush_sigqueue(struct sigpending *q)
{
	struct sigqueue *e, *n;

	if (!q->list.next)
		return;		/* never initialized (a kernel thread) */
	list_for_each_entry_safe(e, n, &q->list, list) {
		list_del(&e->list);
		kfree(e);
	}
	q->signal = 0;
}

struct sighand_struct *sighand_alloc(const struct sighand_struct *from)
{
	struct sighand_struct *sh = kzalloc(sizeof(*sh), GFP_KERNEL);

	if (!sh)
		return NULL;
	sh->count = 1;
	spin_lock_init(&sh->siglock);
	if (from)
		memcpy(sh->action, from->action, sizeof(sh->action));
	return sh;
}

void sighand_put(struct sighand_struct *sh)
{
	if (sh && __atomic_sub_fetch(&sh->count, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(sh);
}

void flush_signal_handlers(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&t->sighand->siglock);
	int i;

	for (i = 0; i < _NSIG; i++) {
		struct k_sigaction *ka = &t->sighand->action[i];

		if (ka->handler != SIG_IGN)
			ka->handler = SIG_DFL;
		ka->flags = 0;
		ka->restorer = 0;
		ka->mask = 0;
	}
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
}

void exec_reset_signals(struct task *t)
{
	if (!t->sighand)
		return;
	flush_signal_handlers(t);
	t->sas_ss_sp = 0;
	t->sas_ss_size = 0;
	t->sas_ss_flags = 0;
}

/* --- sending ------------------------------------------------------------------ */

/* Would @t drop @sig at once?  Ignored and not blocked.  (H) */
static bool sig_ignored(struct task *t, int sig, bool from_kernel)
{
	unsigned long h = t->sighand->action[sig - 1].handler;

	if (t->blocked & sigmask(sig) & ~SIG_KERNEL_ONLY_MASK)
		return false;	/* blocked: it waits, the handler may change */
	if (h == SIG_IGN && !(sigmask(sig) & SIG_KERNEL_ONLY_MASK))
		return true;
	if (h != SIG_DFL)
		return false;
	if (t->tgid == 1 && !from_kernel)
		return true;	/* init: only handled signals (SIGNAL_UNKILLABLE) */
	return sig_default_action(sig) == SIG_DEF_IGN;
}

/* Remove every @mask signal pending in @q.  (H) */
static void flush_mask(struct sigpending *q, u64 mask)
{
	struct sigqueue *e, *n;

	if (!(q->signal & mask))
		return;
	q->signal &= ~mask;
	list_for_each_entry_safe(e, n, &q->list, list) {
		if (mask & sigmask(e->info.si_signo)) {
			list_del(&e->list);
			kfree(e);
		}
	}
}

/* SIGCONT and stop signals cancel each other at send time; SIGCONT (and
 * SIGKILL) resume a stopped process.  Returns true when the parent must
 * hear that it continued.  (T, H) */
static bool prepare_stop_cont(struct task *t, int sig)
{
	bool continued = false;
	struct signal_struct *s = t->signal;
	struct task *th;

	if (sigmask(sig) & SIG_STOP_MASK) {
		flush_mask(&s->shared_pending, sigmask(SIGCONT));
		list_for_each_entry(th, &s->thread_head, thread_node)
			flush_mask(&th->pending, sigmask(SIGCONT));
		return false;
	}
	if (sig != SIGCONT && sig != SIGKILL)
		return false;
	flush_mask(&s->shared_pending, SIG_STOP_MASK);
	list_for_each_entry(th, &s->thread_head, thread_node)
		flush_mask(&th->pending, SIG_STOP_MASK);
	if ((s->stop_state & SIGNAL_STOPPED) && sig == SIGCONT) {
		s->stop_state = SIGNAL_REPORT_CONT;
		continued = true;
	} else if (sig == SIGKILL) {
		s->stop_state &= ~SIGNAL_STOPPED;
	}
	list_for_each_entry(th, &s->thread_head, thread_node)
		wake_up_state(th, TASK_STOPPED);
	return continued;
}

/* Tell a thread that can take @sig: the target, or any thread of its
 * process for a shared signal.  SIGKILL wakes and kills every thread.  (H) */
static void complete_signal(int sig, struct task *t, bool group)
{
	struct task *th = t;

	if (sig == SIGKILL && !t->signal->group_exit) {
		t->signal->group_exit = true;
		t->signal->group_exit_code = SIGKILL;
		list_for_each_entry(th, &t->signal->thread_head, thread_node) {
			__atomic_store_n(&th->fatal_signal, SIGKILL, __ATOMIC_RELAXED);
			wake_up_state(th, TASK_INTERRUPTIBLE | TASK_STOPPED);
		}
		return;
	}
	if (group && (t->blocked & sigmask(sig))) {
		list_for_each_entry(th, &t->signal->thread_head, thread_node)
			if (!(th->blocked & sigmask(sig)))
				break;
		if (&th->thread_node == &t->signal->thread_head)
			return;		/* everyone blocks it: it waits */
	}
	recalc_sigpending(th);
	if (th->sigpending)
		wake_up_state(th, TASK_INTERRUPTIBLE);
}

/* The entry for a real-time signal may fail (-EAGAIN); a classic signal
 * is pending even when its siginfo could not be kept.  (H) */
static int queue_info(struct sigpending *q, int sig, const struct siginfo *info,
		      struct task *t)
{
	struct sigqueue *e = NULL;
	int queued = 0;

	list_for_each_entry(e, &q->list, list)
		queued++;
	if (queued < (int)task_rlimit(t, RLIMIT_SIGPENDING))
		e = kmalloc(sizeof(*e), GFP_ATOMIC);
	else
		e = NULL;
	if (!e)
		return sig >= SIGRTMIN ? -EAGAIN : 0;
	if (info) {
		e->info = *info;
	} else {
		memset(&e->info, 0, sizeof(e->info));
		e->info.si_code = SI_KERNEL;
	}
	e->info.si_signo = sig;
	list_add_tail(&e->list, &q->list);
	return 0;
}

/* send_signal with tasklist_lock held: the thread list is (T). */
int __send_signal(int sig, const struct siginfo *info, struct task *t,
			 bool group)
{
	struct sigpending *q;
	unsigned long flags;
	bool from_kernel = !info || info->si_code == SI_KERNEL || info->si_code > 0;
	bool continued = false;
	int err = 0;

	if (!t->sighand || !t->signal || t->exit_state || sig < 1 || sig > _NSIG)
		return 0;
	flags = spin_lock_irqsave(&t->sighand->siglock);
	if (t->signal->group_exit)
		goto out;	/* dying anyway */
	continued = prepare_stop_cont(t, sig);
	if (sig_ignored(t, sig, from_kernel))
		goto out;
	q = group ? &t->signal->shared_pending : &t->pending;
	if (sig < SIGRTMIN && (q->signal & sigmask(sig)))
		goto out;	/* a classic signal is pending once */
	err = queue_info(q, sig, info, t);
	if (err)
		goto out;
	q->signal |= sigmask(sig);
	complete_signal(sig, t, group);
out:
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	if (continued)	/* outside our siglock: a vfork child may share it */
		do_notify_parent(t->group_leader, CLD_CONTINUED, SIGCONT);
	return err;
}

int send_signal(int sig, const struct siginfo *info, struct task *t, bool group)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	int err = __send_signal(sig, info, t, group);

	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

bool sig_handled(struct task *p, int sig)
{
	unsigned long h;

	if (!p->sighand)
		return false;
	h = __atomic_load_n(&p->sighand->action[sig - 1].handler, __ATOMIC_RELAXED);
	return h != SIG_DFL && h != SIG_IGN && !(p->blocked & sigmask(sig));
}

void force_sig_fault(int sig, int code, unsigned long addr)
{
	struct task *me = current;
	struct k_sigaction *ka = &me->sighand->action[sig - 1];
	struct siginfo info;
	unsigned long flags;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = code;
	info.fault.addr = addr;
	/* Blocked or ignored, it would loop on the same instruction: Linux
	 * makes it fatal (force_sig_info_to_task). */
	flags = spin_lock_irqsave(&me->sighand->siglock);
	if ((me->blocked & sigmask(sig)) || ka->handler == SIG_IGN) {
		ka->handler = SIG_DFL;
		me->blocked &= ~sigmask(sig);
	}
	spin_unlock_irqrestore(&me->sighand->siglock, flags);
	send_signal(sig, &info, me, false);
}

bool parent_autoreaps(struct task *leader)
{
	struct task *parent = leader->parent;
	unsigned long h, flags;

	if (!parent || !parent->sighand || leader->exit_signal != SIGCHLD)
		return false;
	h = parent->sighand->action[SIGCHLD - 1].handler;
	flags = parent->sighand->action[SIGCHLD - 1].flags;
	return h == SIG_IGN || (flags & SA_NOCLDWAIT);
}

void do_notify_parent(struct task *p, int why, int status)
{
	struct task *parent = p->parent;
	struct k_sigaction *ka;
	struct siginfo info;

	if (!parent || !parent->sighand)
		return;
	if (why == CLD_STOPPED || why == CLD_CONTINUED)	/* wait4(WUNTRACED…) */
		wake_up_all(&parent->signal->wait_chldexit);
	ka = &parent->sighand->action[SIGCHLD - 1];
	if (why != CLD_EXITED && why != CLD_KILLED && why != CLD_DUMPED &&
	    (ka->flags & SA_NOCLDSTOP))
		return;
	memset(&info, 0, sizeof(info));
	info.si_code = why;
	info.chld.pid = p->tgid;
	info.chld.uid = p->cred ? p->cred->uid : 0;
	info.chld.status = status;
	if (p->exit_signal > 0 || why != CLD_EXITED)
		__send_signal(why == CLD_EXITED || why == CLD_KILLED || why == CLD_DUMPED ?
			    p->exit_signal : SIGCHLD, &info, parent, true);
}
