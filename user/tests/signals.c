/*
 * signals — lab 9's user tests: handlers and their siginfo, masks and
 * nesting, the alternate stack, restart versus EINTR, a handler changing
 * the saved context, SIGSEGV recovered with siglongjmp, real-time signals
 * in order, SIGCHLD with stop and continue, the kill family's errors,
 * alarm and setitimer, process groups.  One KTAP case per property; the
 * grader (grade/lab09.py) names the cases to run.
 *
 * Facts checked against Linux's man pages: signal(7), sigaction(2),
 * sigaltstack(2), kill(2), tgkill(2), wait(2), setitimer(2), setpgid(2).
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "testlib.h"

static volatile sig_atomic_t hits, last_sig, last_code, last_pid, depth, max_depth;
static volatile uintptr_t last_addr, handler_sp;
static volatile int order[16], norder;

static void on(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void record(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_sig = sig;
	last_code = si->si_code;
	last_pid = si->si_pid;
	last_addr = (uintptr_t)si->si_addr;
	handler_sp = (uintptr_t)&sig;
	if (norder < 16)
		order[norder++] = si->si_value.sival_int;
}

static void reset(void)
{
	hits = last_sig = last_code = last_pid = depth = max_depth = norder = 0;
	last_addr = 0;
}

/* kill(getpid(), SIGUSR1) runs the handler with SI_USER and our pid. */
static void handler_siginfo(struct ktap_ctx *ctx)
{
	reset();
	on(SIGUSR1, record, 0);
	EXPECT_OK(ctx, kill(getpid(), SIGUSR1));
	EXPECT_EQ(ctx, hits, 1);
	EXPECT_EQ(ctx, last_sig, SIGUSR1);
	EXPECT_EQ(ctx, last_code, SI_USER);
	EXPECT_EQ(ctx, last_pid, getpid());
	EXPECT_OK(ctx, syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1));
	EXPECT_EQ(ctx, hits, 2);
	EXPECT_EQ(ctx, last_code, SI_TKILL);
	signal(SIGUSR1, SIG_DFL);
}

/* A blocked signal waits (sigpending) and runs when unblocked; while a
 * handler runs its signal is blocked unless SA_NODEFER. */
static void nested(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (hits == 0 && depth == 1)
		raise(sig);	/* deferred (blocked) or nested (SA_NODEFER) */
	depth--;
	hits++;
}

static void masks(struct ktap_ctx *ctx)
{
	sigset_t set, old, pend;

	reset();
	on(SIGUSR2, record, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	EXPECT_OK(ctx, sigprocmask(SIG_BLOCK, &set, &old));
	raise(SIGUSR2);
	EXPECT_EQ(ctx, hits, 0);
	EXPECT_OK(ctx, sigpending(&pend));
	KT_EXPECT(ctx, sigismember(&pend, SIGUSR2));
	EXPECT_OK(ctx, sigprocmask(SIG_SETMASK, &old, NULL));
	EXPECT_EQ(ctx, hits, 1);

	reset();
	on(SIGUSR1, nested, 0);
	raise(SIGUSR1);
	EXPECT_EQ(ctx, hits, 2);
	EXPECT_EQ(ctx, max_depth, 1);	/* deferred until the handler returned */
	reset();
	on(SIGUSR1, nested, SA_NODEFER);
	raise(SIGUSR1);
	EXPECT_EQ(ctx, hits, 2);
	EXPECT_EQ(ctx, max_depth, 2);	/* nested */
	/* SA_RESETHAND: the second SIGUSR2 finds SIG_DFL; block it to see. */
	reset();
	on(SIGUSR2, record, SA_RESETHAND);
	raise(SIGUSR2);
	struct sigaction now;
	sigaction(SIGUSR2, NULL, &now);
	KT_EXPECT(ctx, now.sa_handler == SIG_DFL);
	/* SIGKILL and SIGSTOP refuse a handler. */
	EXPECT_ERRNO(ctx, sigaction(SIGKILL, &now, NULL), EINVAL);
	signal(SIGUSR1, SIG_DFL);
}

/* SA_ONSTACK: the handler runs on the sigaltstack. */
static char altstack[65536] __attribute__((aligned(16)));

static void altstack_(struct ktap_ctx *ctx)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) }, old;

	reset();
	EXPECT_OK(ctx, sigaltstack(&ss, &old));
	KT_EXPECT(ctx, old.ss_flags & SS_DISABLE);
	on(SIGUSR1, record, SA_ONSTACK);
	raise(SIGUSR1);
	EXPECT_EQ(ctx, hits, 1);
	KT_EXPECT(ctx, handler_sp > (uintptr_t)altstack &&
		       handler_sp < (uintptr_t)altstack + sizeof(altstack));
	on(SIGUSR1, record, 0);
	raise(SIGUSR1);
	KT_EXPECT(ctx, !(handler_sp > (uintptr_t)altstack &&
			 handler_sp < (uintptr_t)altstack + sizeof(altstack)));
	ss.ss_size = 100;
	EXPECT_ERRNO(ctx, sigaltstack(&ss, NULL), ENOMEM);
	ss.ss_size = sizeof(altstack);
	ss.ss_flags = 12345;
	EXPECT_ERRNO(ctx, sigaltstack(&ss, NULL), EINVAL);
	ss.ss_flags = SS_DISABLE;
	EXPECT_OK(ctx, sigaltstack(&ss, NULL));
	signal(SIGUSR1, SIG_DFL);
}

/* A read of a pipe… before lab 8, wait4 on a sleeping child: SA_RESTART
 * restarts it, without it the call fails with EINTR. */
static void restart(struct ktap_ctx *ctx)
{
	struct itimerval it = { .it_value = { 0, 100000 } };
	int status;
	pid_t pid;

	for (int with = 0; with < 2; with++) {
		reset();
		pid = fork();
		if (pid == 0) {
			usleep(400000);
			_exit(7);
		}
		on(SIGALRM, record, with ? SA_RESTART : 0);
		setitimer(ITIMER_REAL, &it, NULL);
		errno = 0;
		pid_t r = waitpid(pid, &status, 0);
		EXPECT_EQ(ctx, hits, 1);
		if (with) {
			EXPECT_EQ(ctx, r, pid);
			EXPECT_EQ(ctx, status, 7 << 8);
		} else {
			EXPECT_EQ(ctx, r, -1);
			EXPECT_EQ(ctx, errno, EINTR);
			EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
		}
	}
	signal(SIGALRM, SIG_DFL);
}

/* A SIGILL handler skips the ud2 (2 bytes) by moving the saved RIP. */
static void skip_ud2(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	last_addr = (uintptr_t)si->si_addr;
	last_code = si->si_code;
	hits++;
	uc->uc_mcontext.gregs[REG_RIP] += 2;
	uc->uc_mcontext.gregs[REG_RBX] = 0x1234;	/* a register comes back changed */
}

static void modify_context(struct ktap_ctx *ctx)
{
	uintptr_t rbx = 0;
	double x = 1.5;

	reset();
	on(SIGILL, skip_ud2, 0);
	__asm__ volatile("xor %%ebx, %%ebx; ud2; mov %%rbx, %0" : "=r"(rbx) : : "rbx");
	EXPECT_EQ(ctx, hits, 1);
	EXPECT_EQ(ctx, rbx, 0x1234);
	EXPECT_EQ(ctx, last_code, ILL_ILLOPN);
	KT_EXPECT(ctx, last_addr != 0);
	x = x * 3;	/* SSE state survived the handler */
	KT_EXPECT(ctx, x == 4.5);
	signal(SIGILL, SIG_DFL);
}

/* A frame edited to be hostile: kernel CS and SS, IOPL 3, IF clear —
 * sigreturn must sanitize them (we come back in user mode, IOPL 0); a
 * non-canonical RIP is refused with SIGSEGV. */
static void hostile(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;

	(void)sig;
	(void)si;
	g[REG_RIP] += 2;
	g[REG_CSGSFS] = (g[REG_CSGSFS] & ~0xffffULL) | 0x08;	/* kernel CS */
	g[REG_EFL] = (g[REG_EFL] | 0x3000) & ~0x200;	/* IOPL 3, no IF */
	hits++;
}

static void noncanonical(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_RIP] = 0x8000000000000000ULL;
}

static void noncanonical_child(void *arg)
{
	(void)arg;
	on(SIGILL, noncanonical, 0);
	__asm__ volatile("ud2");
	_exit(9);
}

static void bad_sigreturn(struct ktap_ctx *ctx)
{
	unsigned long flags;
	int st;

	reset();
	on(SIGILL, hostile, 0);
	__asm__ volatile("ud2; pushf; pop %0" : "=r"(flags));
	EXPECT_EQ(ctx, hits, 1);
	EXPECT_EQ(ctx, flags & 0x3000, 0);	/* no IOPL */
	KT_EXPECT(ctx, flags & 0x200);	/* interrupts on */
	signal(SIGILL, SIG_DFL);
	st = run_child(noncanonical_child, NULL);
	KT_EXPECT(ctx, WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
}

/* SIGSEGV from a null dereference, recovered with siglongjmp. */
static sigjmp_buf jb;
static volatile int *volatile bad16 = (int *)16;	/* opaque to GCC */

static void segv_jump(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	last_sig = sig;
	last_addr = (uintptr_t)si->si_addr;
	last_code = si->si_code;
	siglongjmp(jb, 1);
}

static void segv_recover(struct ktap_ctx *ctx)
{
	void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	reset();
	on(SIGSEGV, segv_jump, 0);
	if (!sigsetjmp(jb, 1))
		*bad16 = 1;
	EXPECT_EQ(ctx, last_sig, SIGSEGV);
	EXPECT_EQ(ctx, last_addr, 16);
	EXPECT_EQ(ctx, last_code, SEGV_MAPERR);
	if (!sigsetjmp(jb, 1))
		*(volatile int *)ro = 1;
	EXPECT_EQ(ctx, last_addr, (uintptr_t)ro);
	EXPECT_EQ(ctx, last_code, SEGV_ACCERR);
	/* Twice more: the mask was restored by siglongjmp. */
	if (!sigsetjmp(jb, 1))
		*bad16 = 1;
	EXPECT_EQ(ctx, last_code, SEGV_MAPERR);
	signal(SIGSEGV, SIG_DFL);
}

/* Real-time signals queue, in order; classic ones merge. */
static void on_masked(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);	/* one handler at a time: see below */
	sigaction(sig, &sa, NULL);
}

/*
 * Every pending signal that is unblocked gets its frame on the same way
 * out of the kernel (as on Linux), so the last one taken would run first;
 * a handler mask blocking everything makes them run one by one, in the
 * order they are taken.
 */
static void rt_queue(struct ktap_ctx *ctx)
{
	sigset_t set, old;
	int rt = SIGRTMIN + 2;

	reset();
	on_masked(rt, record);
	on_masked(SIGUSR1, record);
	sigemptyset(&set);
	sigaddset(&set, rt);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	for (int i = 0; i < 5; i++)
		EXPECT_OK(ctx, sigqueue(getpid(), rt, (union sigval){ .sival_int = 100 + i }));
	raise(SIGUSR1);
	raise(SIGUSR1);
	sigprocmask(SIG_SETMASK, &old, NULL);
	EXPECT_EQ(ctx, hits, 6);	/* 5 queued + 1 merged */
	EXPECT_EQ(ctx, norder, 6);
	/* SIGUSR1 (10) is lower than any real-time signal: first. */
	for (int i = 0; i < 5; i++)
		EXPECT_EQ(ctx, order[i + 1], 100 + i);
	/* sigtimedwait takes a blocked one without its handler. */
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigqueue(getpid(), rt, (union sigval){ .sival_int = 7 });
	siginfo_t si;
	struct timespec ts = { 0, 0 };
	EXPECT_EQ(ctx, sigtimedwait(&set, &si, &ts), rt);
	EXPECT_EQ(ctx, si.si_value.sival_int, 7);
	EXPECT_EQ(ctx, si.si_code, SI_QUEUE);
	EXPECT_ERRNO(ctx, sigtimedwait(&set, &si, &ts), EAGAIN);
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(rt, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
}

/* SIGCHLD at a child's exit, with its pid and status. */
static void sigchld(struct ktap_ctx *ctx)
{
	int status;
	pid_t pid;

	reset();
	on(SIGCHLD, record, 0);
	pid = fork();
	if (pid == 0)
		_exit(5);
	while (!hits)
		usleep(1000);
	EXPECT_EQ(ctx, last_sig, SIGCHLD);
	EXPECT_EQ(ctx, last_code, CLD_EXITED);
	EXPECT_EQ(ctx, last_pid, pid);
	EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
	signal(SIGCHLD, SIG_DFL);
}

/* Stop and continue, seen by waitpid(WUNTRACED / WCONTINUED). */
static void stop_continue(struct ktap_ctx *ctx)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	usleep(20000);
	EXPECT_OK(ctx, kill(pid, SIGSTOP));
	EXPECT_EQ(ctx, waitpid(pid, &status, WUNTRACED), pid);
	KT_EXPECT(ctx, WIFSTOPPED(status));
	EXPECT_EQ(ctx, WSTOPSIG(status), SIGSTOP);
	EXPECT_OK(ctx, kill(pid, SIGCONT));
	EXPECT_EQ(ctx, waitpid(pid, &status, WCONTINUED), pid);
	KT_EXPECT(ctx, WIFCONTINUED(status));
	EXPECT_OK(ctx, kill(pid, SIGTERM));
	EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
	KT_EXPECT(ctx, WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
}

/* Default actions: terminate, core bit with RLIMIT_CORE, ignore. */
static void abort_child(void *arg)
{
	struct rlimit rl = { 1 << 20, 1 << 20 };

	if (arg)
		setrlimit(RLIMIT_CORE, &rl);
	raise(SIGQUIT);
	raise(SIGCHLD);		/* ignored by default */
	_exit(1);
}

static void ignore_child(void *arg)
{
	(void)arg;
	raise(SIGCHLD);
	raise(SIGWINCH);
	signal(SIGTERM, SIG_IGN);
	raise(SIGTERM);
	kill(getpid(), SIGUSR2);
	_exit(1);
}

static void default_actions(struct ktap_ctx *ctx)
{
	int st = run_child(abort_child, NULL);

	KT_EXPECT(ctx, WIFSIGNALED(st) && WTERMSIG(st) == SIGQUIT && !WCOREDUMP(st));
	st = run_child(abort_child, (void *)1);
	KT_EXPECT(ctx, WIFSIGNALED(st) && WTERMSIG(st) == SIGQUIT && WCOREDUMP(st));
	st = run_child(ignore_child, NULL);
	KT_EXPECT(ctx, WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR2);
}

/* The kill family's errors. */
static void drop_privileges(void *arg)
{
	(void)arg;
	if (setuid(1000))
		_exit(2);
	_exit(kill(1, SIGUSR1) == -1 && errno == EPERM ? 0 : 1);
}

/* A zombie exists until it is reaped: kill and tgkill succeed and deliver
 * nothing (its status stays that of its exit); reaped, it is ESRCH. */
static void kill_zombie(struct ktap_ctx *ctx)
{
	siginfo_t si;
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(7);
	memset(&si, 0, sizeof(si));
	EXPECT_OK(ctx, waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	EXPECT_OK(ctx, kill(pid, 0));
	EXPECT_OK(ctx, kill(pid, SIGKILL));
	EXPECT_OK(ctx, syscall(SYS_tgkill, pid, pid, SIGTERM));
	EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
	KT_EXPECT(ctx, WIFEXITED(status) && WEXITSTATUS(status) == 7);
	EXPECT_ERRNO(ctx, kill(pid, 0), ESRCH);
}

static void kill_errors(struct ktap_ctx *ctx)
{
	EXPECT_ERRNO(ctx, kill(getpid(), 65), EINVAL);
	EXPECT_ERRNO(ctx, kill(getpid(), -1), EINVAL);
	EXPECT_ERRNO(ctx, kill(99999, 0), ESRCH);
	EXPECT_OK(ctx, kill(getpid(), 0));
	EXPECT_ERRNO(ctx, syscall(SYS_tkill, 0, SIGUSR1), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_tgkill, 0, gettid(), SIGUSR1), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_tgkill, getpid(), 99999, SIGUSR1), ESRCH);
	EXPECT_ERRNO(ctx, syscall(SYS_tgkill, 99999, gettid(), 0), ESRCH);
	EXPECT_EQ(ctx, run_child(drop_privileges, NULL), 0);
	kill_zombie(ctx);
	EXPECT_ERRNO(ctx, syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_rt_sigaction, 0, NULL, NULL, 8), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_rt_sigprocmask, 7, BAD_UNMAPPED, NULL, 8), EFAULT);
}

/* alarm and setitimer deliver SIGALRM in time; alarm returns what is left. */
static void timers(struct ktap_ctx *ctx)
{
	struct itimerval it = { .it_interval = { 0, 20000 }, .it_value = { 0, 20000 } }, cur;

	reset();
	on(SIGALRM, record, 0);
	EXPECT_EQ(ctx, alarm(5), 0);
	unsigned int left = alarm(0);
	KT_EXPECT(ctx, left >= 4 && left <= 5);
	EXPECT_OK(ctx, setitimer(ITIMER_REAL, &it, NULL));
	while (hits < 3)
		pause();
	EXPECT_OK(ctx, getitimer(ITIMER_REAL, &cur));
	EXPECT_EQ(ctx, cur.it_interval.tv_usec, 20000);
	memset(&it, 0, sizeof(it));
	EXPECT_OK(ctx, setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_EQ(ctx, last_sig, SIGALRM);
	signal(SIGALRM, SIG_DFL);
}

/*
 * setsid(2): EPERM when any process's group id equals the caller's pid,
 * even if the caller has left that group.  The caller makes group P
 * (its pid), leaves a child B in it, moves to a child C's group, and
 * must still be refused.  Returns 0 if so.
 */
static int setsid_group_in_use(void)
{
	pid_t b, c;
	int ret;

	if (setpgid(0, 0))
		return 10;
	b = fork();
	if (b == 0) {
		pause();
		_exit(0);
	}
	c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	if (setpgid(c, c) || setpgid(0, c) || getpgid(b) != getpid())
		ret = 11;
	else if (setsid() != -1 || errno != EPERM)
		ret = 12;
	else
		ret = 0;
	kill(b, SIGKILL);
	kill(c, SIGKILL);
	waitpid(b, NULL, 0);
	waitpid(c, NULL, 0);
	return ret;
}

/* Process groups and sessions. */
static void groups(struct ktap_ctx *ctx)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (setpgid(0, 0) || getpgrp() != getpid())
			_exit(1);
		if (setsid() != -1 || errno != EPERM)	/* a group leader */
			_exit(2);
		pause();
		_exit(3);
	}
	usleep(50000);
	EXPECT_EQ(ctx, getpgid(pid), pid);
	EXPECT_OK(ctx, kill(-pid, SIGTERM));	/* the whole group */
	EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
	KT_EXPECT(ctx, WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	pid = fork();
	if (pid == 0)
		_exit(setsid() == getpid() && getsid(0) == getpid() ? 0 : 1);
	EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(ctx, status, 0);
	EXPECT_ERRNO(ctx, getpgid(99999), ESRCH);
	pid = fork();
	if (pid == 0)
		_exit(setsid_group_in_use());
	EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(ctx, status, 0);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(handler_siginfo), KTAP_CASE(masks), KTAP_CASE(altstack_),
		KTAP_CASE(restart), KTAP_CASE(modify_context), KTAP_CASE(segv_recover),
		KTAP_CASE(rt_queue), KTAP_CASE(sigchld), KTAP_CASE(stop_continue),
		KTAP_CASE(default_actions), KTAP_CASE(kill_errors), KTAP_CASE(timers),
		KTAP_CASE(groups), KTAP_CASE(bad_sigreturn),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
