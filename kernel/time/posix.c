/*
 * posix.c — the clocks and sleeps of user space: clock_gettime,
 * clock_getres, gettimeofday, time, nanosleep, clock_nanosleep.
 *
 * Clocks (clock_gettime(2)) map onto the two the kernel keeps
 * (kestrel/ktime.h): CLOCK_REALTIME (and _COARSE) is ktime_get_real(),
 * wall-clock time from the RTC plus the monotonic clock; CLOCK_MONOTONIC,
 * _RAW, _COARSE and CLOCK_BOOTTIME are ktime_get(), time since boot (the
 * machine never suspends, so boot time and monotonic time agree).  The
 * CPU-time clocks read the scheduler's accounting: the calling thread's
 * run time, or the whole process's (its exited threads included).
 *
 * Sleeps are in jiffies (HZ = 100, kestrel/jiffies.h), so a sleep lasts
 * at least what was asked and up to one tick more, which POSIX allows
 * ("rounded up to an integer multiple of the sleep resolution").  A
 * signal whose handler runs ends a sleep early: EINTR, and the time left
 * in *rem; one without a handler (a stop and continue) does not — the
 * sleep goes on until the same deadline through restart_syscall(2)
 * (kestrel/restart_block.h), not for the whole time again.  A timespec with tv_nsec outside [0, 999999999] or a
 * negative tv_sec is EINVAL.
 */
#include <kestrel/errno.h>
#include <kestrel/jiffies.h>
#include <kestrel/ktime.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/linux/time_types.h>

#define S64_MAX_NS	((s64)(~0ULL >> 1))	/* "for ever", in ns */
#define S64_MAX_SECONDS	(S64_MAX_NS / (s64)NSEC_PER_SEC)

/* The process's CPU time: its exited threads' and its live ones'. */
static u64 process_cputime(void)
{
	struct signal_struct *sig = current->signal;
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	u64 ns = sig->exec_runtime;
	struct task *t;

	list_for_each_entry(t, &sig->thread_head, thread_node)
		if (!t->exit_state)
			ns += t->se.sum_exec_runtime;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ns;
}

/* Clock @which now, in ns; -EINVAL for a clock that does not exist. */
static s64 clock_now(int which)
{
	switch (which) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		return ktime_get_real();
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return ktime_get();
	case CLOCK_PROCESS_CPUTIME_ID:
		return process_cputime();
	case CLOCK_THREAD_CPUTIME_ID:
		return current->se.sum_exec_runtime;
	default:
		return -EINVAL;
	}
}

static int put_timespec(u64 ns, struct __kernel_timespec __user *uts)
{
	struct __kernel_timespec ts = {
		.tv_sec = ns / NSEC_PER_SEC,
		.tv_nsec = ns % NSEC_PER_SEC,
	};

	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

/* Read and check a timespec: its value in ns, or -EFAULT/-EINVAL. */
static s64 get_timespec(const struct __kernel_timespec __user *uts)
{
	struct __kernel_timespec ts;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long long)NSEC_PER_SEC)
		return -EINVAL;
	if ((u64)ts.tv_sec > (u64)S64_MAX_SECONDS)
		return S64_MAX_NS;
	return ts.tv_sec * (s64)NSEC_PER_SEC + ts.tv_nsec;
}

long sys_clock_gettime(int which, struct __kernel_timespec __user *tp)
{
	s64 now = clock_now(which);

	return now < 0 ? now : put_timespec(now, tp);
}

long sys_clock_getres(int which, struct __kernel_timespec __user *tp)
{
	u64 res = (which == CLOCK_REALTIME_COARSE || which == CLOCK_MONOTONIC_COARSE) ?
		  TICK_NSEC : 1;

	if (clock_now(which) < 0)
		return -EINVAL;
	return tp ? put_timespec(res, tp) : 0;
}

long sys_gettimeofday(struct __kernel_old_timeval __user *tv,
		      struct timezone __user *tz)
{
	u64 now = ktime_get_real();
	struct __kernel_old_timeval v = {
		.tv_sec = now / NSEC_PER_SEC,
		.tv_usec = (now % NSEC_PER_SEC) / NSEC_PER_USEC,
	};
	struct timezone z = { 0, 0 };	/* UTC: the kernel has no time zone */

	if (tv && copy_to_user(tv, &v, sizeof(v)))
		return -EFAULT;
	if (tz && copy_to_user(tz, &z, sizeof(z)))
		return -EFAULT;
	return 0;
}

long sys_time(long __user *tloc)
{
	long now = ktime_get_real_seconds();

	if (tloc && put_user(now, tloc))
		return -EFAULT;
	return now;
}

/*
 * Sleep until clock @which reads @deadline ns.  0, or -EINTR when a
 * signal is pending (then *@left is what remained, in ns).
 */
static long sleep_until(int which, s64 deadline, s64 *left)
{
	s64 now;
	u64 ticks;

	while ((now = clock_now(which)) < deadline) {
		ticks = (deadline - now + TICK_NSEC - 1) / TICK_NSEC;
		schedule_timeout_interruptible(MIN(ticks, (u64)MAX_SCHEDULE_TIMEOUT - 1));
		if (signal_pending(current)) {
			*left = MAX(deadline - clock_now(which), (s64)0);
			return -EINTR;
		}
	}
	return 0;
}

static long nanosleep_restart(struct restart_block *rb);

/*
 * The sleep of nanosleep and clock_nanosleep, until @deadline on clock
 * @which.  Cut short by a signal, a relative sleep writes the time left
 * to @rmtp and records its deadline for restart_syscall: without a
 * handler (a stop and continue) it goes on until the same deadline, with
 * one it fails with EINTR (kestrel/restart_block.h).  An absolute sleep
 * just starts again with the same deadline (-ERESTARTNOHAND).
 */
static long do_nanosleep(int which, s64 deadline, bool absolute,
			 struct __kernel_timespec __user *rmtp)
{
	struct restart_block *rb = &current->restart_block;
	s64 left = 0;

	if (!sleep_until(which, deadline, &left))
		return 0;
	if (absolute)
		return -ERESTARTNOHAND;
	if (rmtp && put_timespec(left, rmtp))
		return -EFAULT;
	rb->nanosleep.clockid = which;
	rb->nanosleep.deadline = deadline;
	rb->nanosleep.rmtp = rmtp;
	return set_restart_fn(rb, nanosleep_restart);
}

static long nanosleep_restart(struct restart_block *rb)
{
	return do_nanosleep(rb->nanosleep.clockid, rb->nanosleep.deadline,
			    false, rb->nanosleep.rmtp);
}

long sys_clock_nanosleep(int which, int flags,
			 const struct __kernel_timespec __user *rqtp,
			 struct __kernel_timespec __user *rmtp)
{
	s64 req, deadline;

	if (which == CLOCK_THREAD_CPUTIME_ID || clock_now(which) < 0)
		return -EINVAL;
	if (which == CLOCK_PROCESS_CPUTIME_ID)
		return -EOPNOTSUPP;	/* sleeping on CPU time: not supported */
	req = get_timespec(rqtp);
	if (req < 0)
		return req;
	deadline = (flags & TIMER_ABSTIME) ? req : clock_now(which) + req;
	if (deadline < 0)
		deadline = S64_MAX_NS;	/* overflow: for ever */
	return do_nanosleep(which, deadline, flags & TIMER_ABSTIME, rmtp);
}

long sys_nanosleep(const struct __kernel_timespec __user *rqtp,
		   struct __kernel_timespec __user *rmtp)
{
	return sys_clock_nanosleep(CLOCK_MONOTONIC, 0, rqtp, rmtp);
}
