/*
 * itimer.c — alarm(2), setitimer(2) and getitimer(2): the process's three
 * interval timers (lab 9).
 *
 * ITIMER_REAL counts wall-clock time; one kernel timer per process
 * (signal->real_timer, kestrel/timer.h) runs at the expiry in jiffies,
 * sends SIGALRM to the process and, with an interval, arms itself again
 * (signal->it_real_incr, jiffies).  alarm(seconds) is ITIMER_REAL with
 * no interval; both return what was left of the previous setting (alarm
 * rounds to whole seconds, at least 1 if any time was left — alarm(2)).
 * Kestrel's clock is the tick (10 ms at HZ = 100), so times are rounded
 * up to ticks.
 *
 * ITIMER_VIRTUAL and ITIMER_PROF count CPU time the way Linux's tick
 * accounting does: each tick charges a whole tick to the thread it
 * interrupted (itimer_account_tick, from kernel/time/tick.c) — to
 * ITIMER_PROF always, to ITIMER_VIRTUAL only when the tick came from user
 * mode — so a thread that runs for less than a tick between ticks is
 * never charged, and one caught by every tick is charged for all of
 * them: statistics, exact on average.  The counts are the process's (all
 * its threads), in signal->it_*_value under signal->siglock; the timer
 * that runs out sends SIGVTALRM or SIGPROF to the process and reloads
 * from its interval.  fork does not pass the timers on; execve keeps them
 * (setitimer(2)).
 *
 * The timer dies with the process: itimer_exit() when its last thread
 * exits.  The callback runs in interrupt context; send_signal() takes
 * its locks with interrupts off, so that is allowed.
 */
#include <kestrel/errno.h>
#include <kestrel/jiffies.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/string.h>
#include <kestrel/timer.h>
#include <kestrel/uaccess.h>
#include <uapi/linux/time_types.h>

#define ITIMER_REAL	0
#define ITIMER_VIRTUAL	1
#define ITIMER_PROF	2
#define USEC_PER_TICK	(1000000 / HZ)

struct __kernel_old_itimerval {
	struct __kernel_old_timeval it_interval;	/* reload value */
	struct __kernel_old_timeval it_value;	/* time left */
};

static u64 tv_to_jiffies(const struct __kernel_old_timeval *tv)
{
	return (u64)tv->tv_sec * HZ + ((u64)tv->tv_usec + USEC_PER_TICK - 1) / USEC_PER_TICK;
}

static void jiffies_to_tv(u64 j, struct __kernel_old_timeval *tv)
{
	tv->tv_sec = j / HZ;
	tv->tv_usec = (j % HZ) * USEC_PER_TICK;
}

static void it_real_fn(struct timer_list *timer)
{
	struct signal_struct *sig = (struct signal_struct *)
		((char *)timer - __builtin_offsetof(struct signal_struct, real_timer));
	struct siginfo info;
	unsigned long flags;

	memset(&info, 0, sizeof(info));
	info.si_code = SI_KERNEL;	/* as Linux's it_real_fn */
	flags = spin_lock_irqsave(&tasklist_lock);
	if (!list_empty(&sig->thread_head))
		__send_signal(SIGALRM, &info, list_first_entry(&sig->thread_head,
				struct task, thread_node), true);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (sig->it_real_incr)
		mod_timer(&sig->real_timer, jiffies + sig->it_real_incr);
}

/* Read a CPU-time timer (@value, @incr: ticks) into @old, then set it
 * from @new (if given).  Under signal->siglock. */
static void do_cpu_timer(u64 *value, u64 *incr,
			 const struct __kernel_old_itimerval *new,
			 struct __kernel_old_itimerval *old)
{
	unsigned long flags = spin_lock_irqsave(&current->signal->siglock);

	if (old) {
		jiffies_to_tv(*value, &old->it_value);
		jiffies_to_tv(*incr, &old->it_interval);
	}
	if (new) {
		*value = tv_to_jiffies(&new->it_value);
		*incr = tv_to_jiffies(&new->it_interval);
	}
	spin_unlock_irqrestore(&current->signal->siglock, flags);
}

/* One tick off the timer at @value; true when it ran out (and reloaded). */
static bool cpu_timer_tick(u64 *value, u64 incr)
{
	if (!*value || --*value)
		return false;
	*value = incr;
	return true;
}

void itimer_account_tick(struct task *p, bool user)
{
	struct signal_struct *sig = p ? p->signal : NULL;
	bool vtalrm = false, prof;
	struct siginfo info;

	if (!sig || !p->mm || !p->pid)
		return;		/* the idle task or a kernel thread */
	spin_lock(&sig->siglock);
	if (user)
		vtalrm = cpu_timer_tick(&sig->it_virt_value, sig->it_virt_incr);
	prof = cpu_timer_tick(&sig->it_prof_value, sig->it_prof_incr);
	spin_unlock(&sig->siglock);
	memset(&info, 0, sizeof(info));
	info.si_code = SI_KERNEL;
	if (vtalrm)
		send_signal(SIGVTALRM, &info, p, true);
	if (prof)
		send_signal(SIGPROF, &info, p, true);
}

/* Read ITIMER_REAL into @old, then set it from @new (if given). */
static void do_real_timer(const struct __kernel_old_itimerval *new,
			  struct __kernel_old_itimerval *old)
{
	struct signal_struct *sig = current->signal;
	u64 now = jiffies, left = 0;

	if (!sig->real_timer.function)
		timer_setup(&sig->real_timer, it_real_fn, 0);
	if (timer_pending(&sig->real_timer))
		left = sig->real_timer.expires > now ? sig->real_timer.expires - now : 1;
	if (old) {
		jiffies_to_tv(left, &old->it_value);
		jiffies_to_tv(sig->it_real_incr, &old->it_interval);
	}
	if (!new)
		return;
	del_timer(&sig->real_timer);
	sig->it_real_incr = tv_to_jiffies(&new->it_interval);
	if (new->it_value.tv_sec || new->it_value.tv_usec)
		mod_timer(&sig->real_timer, now + tv_to_jiffies(&new->it_value));
}

static bool tv_valid(const struct __kernel_old_timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

/* Read timer @which into @old, then set it from @new (if given). */
static void do_itimer(int which, const struct __kernel_old_itimerval *new,
		      struct __kernel_old_itimerval *old)
{
	struct signal_struct *sig = current->signal;

	if (which == ITIMER_VIRTUAL)
		do_cpu_timer(&sig->it_virt_value, &sig->it_virt_incr, new, old);
	else if (which == ITIMER_PROF)
		do_cpu_timer(&sig->it_prof_value, &sig->it_prof_incr, new, old);
	else
		do_real_timer(new, old);
}

long sys_setitimer(int which, const struct __kernel_old_itimerval __user *value,
		   struct __kernel_old_itimerval __user *ovalue)
{
	struct __kernel_old_itimerval new, old;

	if (value && copy_from_user(&new, value, sizeof(new)))
		return -EFAULT;
	if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
		return -EINVAL;
	if (value && (!tv_valid(&new.it_value) || !tv_valid(&new.it_interval)))
		return -EINVAL;
	if (!value) {
		memset(&new, 0, sizeof(new));	/* Linux: NULL disarms */
	}
	do_itimer(which, &new, &old);
	if (ovalue && copy_to_user(ovalue, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_getitimer(int which, struct __kernel_old_itimerval __user *value)
{
	struct __kernel_old_itimerval old;

	if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
		return -EINVAL;
	do_itimer(which, NULL, &old);
	return copy_to_user(value, &old, sizeof(old)) ? -EFAULT : 0;
}

long sys_alarm(unsigned int seconds)
{
	struct __kernel_old_itimerval new, old;

	memset(&new, 0, sizeof(new));
	new.it_value.tv_sec = seconds;
	do_real_timer(&new, &old);
	if (!old.it_value.tv_sec && !old.it_value.tv_usec)
		return 0;
	return old.it_value.tv_sec + (old.it_value.tv_usec >= 500000 || !old.it_value.tv_sec);
}

void itimer_exit(struct task *leader)
{
	struct signal_struct *sig = leader->signal;

	if (sig && sig->real_timer.function)
		del_timer(&sig->real_timer);
}
