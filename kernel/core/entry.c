/*
 * entry.c — what every system call and every return to user mode go
 * through, whatever the architecture.
 *
 * syscall_dispatch() is the table lookup: the number user space chose
 * indexes sys_call_table, which scripts/syscalltbl generated from the
 * arch's syscall.tbl (number, name, entry point — STYLE.md habit 11).  A
 * number out of range, or one whose entry is `-` in the table, returns
 * -ENOSYS, as Linux does for a system call it does not have; the C
 * libraries are ready for that (glibc falls back from clone3 to clone,
 * musl from statx to fstatat …).  The first call of each such number is
 * logged, naming it, so that a program that fails on Kestrel says why:
 *
 *	syscall: rseq (334) not implemented, returning -ENOSYS (first call by init[1])
 *
 * exit_to_user_mode() is the last thing before user code runs again, on
 * every path out of the kernel (system call, interrupt, exception): the
 * place where a task notices it should give up the CPU, where it dies
 * when its process is being killed, and (lab 9) where pending signals are
 * delivered: default actions, or a frame that makes the return land in
 * a handler (kestrel/signal.h).
 */
#include <asm/syscall.h>
#include <kestrel/entry.h>
#include <kestrel/errno.h>
#include <kestrel/irqflags.h>
#include <kestrel/printk.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>

#define NI_LOGGED_BITS	1024	/* numbers tracked; larger ones share a bit */

static unsigned long ni_logged[NI_LOGGED_BITS / 64];	/* atomic bitmap */

/* Say once per number that a system call is not implemented. */
static long sys_ni_syscall(unsigned long nr)
{
	unsigned long bit = nr < NI_LOGGED_BITS ? nr : NI_LOGGED_BITS - 1;
	unsigned long mask = 1UL << (bit % 64);

	if (__atomic_fetch_or(&ni_logged[bit / 64], mask, __ATOMIC_RELAXED) & mask)
		return -ENOSYS;
	if (nr < nr_syscalls)
		pr_info("syscall: %s (%lu) not implemented, returning -ENOSYS (first call by %s[%d])\n",
			sys_call_names[nr] ? sys_call_names[nr] : "unused", nr,
			current->comm, current->pid);
	else
		pr_info("syscall: number %lu is not a system call, returning -ENOSYS (first call by %s[%d])\n",
			nr, current->comm, current->pid);
	return -ENOSYS;
}

/* DOC: syscall-dispatch */
long syscall_dispatch(unsigned long nr, struct pt_regs *regs)
{
#if SOL >= 6
	unsigned long a[6];

	if (nr >= nr_syscalls || !sys_call_table[nr])
		return sys_ni_syscall(nr);
	syscall_get_args(regs, a);
	return sys_call_table[nr](a[0], a[1], a[2], a[3], a[4], a[5]);
#else
	/*
	 * LAB 6: look @nr up in sys_call_table (nr_syscalls entries; a NULL
	 * entry is a system call Kestrel does not implement) and call it
	 * with the six arguments syscall_get_args() takes from @regs.  An
	 * out-of-range or NULL entry returns sys_ni_syscall(nr), which logs
	 * the first call of each number.  Check the range before indexing:
	 * @nr comes straight from user space.
	 */
	(void)regs;
	return sys_ni_syscall(nr);
#endif
}

void exit_to_user_mode(struct pt_regs *regs)
{
	struct task *me = current;

	for (;;) {
		if (need_resched()) {
			local_irq_enable();
			schedule();
			local_irq_disable();
			continue;
		}
		if (__atomic_load_n(&me->fatal_signal, __ATOMIC_RELAXED)) {
			local_irq_enable();
			do_fatal_signal(me->fatal_signal);
		}
		if (__atomic_load_n(&me->sigpending, __ATOMIC_RELAXED) ||
		    me->restore_sigmask) {
			local_irq_enable();
			arch_do_signal_or_restart(regs);
			local_irq_disable();
			continue;
		}
		return;
	}
}
