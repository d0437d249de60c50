/*
 * sigtimers — lab 9's CPU-time timers, children nobody waits for, and
 * sleeps that a signal interrupts (the leftovers of the signals lab):
 * ITIMER_VIRTUAL and ITIMER_PROF (SIGVTALRM, SIGPROF; setitimer(2)),
 * SIGCHLD ignored or SA_NOCLDWAIT (no zombies, wait ends with ECHILD;
 * wait(2), sigaction(2)), nanosleep and futex waits cut short: EINTR and
 * the time left after a handler, whatever SA_RESTART says (signal(7)
 * lists them among the calls never restarted); after a stop and
 * continue, the sleep goes on until the same deadline, not for the whole
 * time again (restart_syscall(2)); an untimed futex wait restarts after
 * an SA_RESTART handler.  Also SIGBUS from a file mapping past its end,
 * with si_code BUS_ADRERR (lab 8's mappings, lab 9's delivery).
 *
 * The stop-and-continue cases check elapsed times with a second of slack
 * on either side of the two possible answers (2 s against 3.1 s or more),
 * so a slow or loaded machine does not decide them.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

/* futex(2) (Linux include/uapi/linux/futex.h; musl-gcc has no linux/). */
#define FUTEX_WAIT_PRIVATE	(0 | 128)

static volatile sig_atomic_t vtalrm, prof, chld, alrm;
static volatile int *futex_word;

static void on(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void count(int sig)
{
	if (sig == SIGVTALRM)
		vtalrm++;
	else if (sig == SIGPROF)
		prof++;
	else if (sig == SIGCHLD)
		chld++;
	else if (sig == SIGALRM)
		alrm++;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set_timer(int which, long value_us, long interval_us)
{
	struct itimerval it = {
		.it_value = { value_us / 1000000, value_us % 1000000 },
		.it_interval = { interval_us / 1000000, interval_us % 1000000 },
	};

	setitimer(which, &it, NULL);
}

/* ITIMER_VIRTUAL counts user time: a loop in user mode gets SIGVTALRM,
 * periodically; getitimer reads it; a child does not inherit it. */
static void itimer_virtual(struct ktap_ctx *ctx)
{
	struct itimerval cur;
	volatile unsigned long spin = 0;
	double end = now_s() + 20;
	int status;

	vtalrm = 0;
	on(SIGVTALRM, count, 0);
	set_timer(ITIMER_VIRTUAL, 50000, 50000);
	EXPECT_OK(ctx, getitimer(ITIMER_VIRTUAL, &cur));
	EXPECT_EQ(ctx, cur.it_interval.tv_usec, 50000);
	KT_EXPECT(ctx, cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 0 &&
		       cur.it_value.tv_usec <= 50000);
	status = fork();
	if (status == 0) {
		getitimer(ITIMER_VIRTUAL, &cur);
		_exit(cur.it_value.tv_sec || cur.it_value.tv_usec ? 1 : 0);
	}
	KT_EXPECT(ctx, waitpid(status, &status, 0) > 0 && WIFEXITED(status) &&
		       WEXITSTATUS(status) == 0);
	while (vtalrm < 3 && now_s() < end)
		spin++;
	set_timer(ITIMER_VIRTUAL, 0, 0);
	KT_EXPECT(ctx, vtalrm >= 3);
	EXPECT_OK(ctx, getitimer(ITIMER_VIRTUAL, &cur));
	EXPECT_EQ(ctx, cur.it_value.tv_sec + cur.it_value.tv_usec, 0);
	EXPECT_ERRNO(ctx, setitimer(5, &cur, NULL), EINVAL);
	EXPECT_ERRNO(ctx, getitimer(-1, &cur), EINVAL);
	signal(SIGVTALRM, SIG_DFL);
}

/* ITIMER_PROF counts user and system time: a loop of system calls gets
 * SIGPROF; the process's time, not the wall clock's (a sleep does not
 * count). */
static void itimer_prof(struct ktap_ctx *ctx)
{
	double end = now_s() + 20;
	struct timespec nap = { 0, 300000000 };

	prof = 0;
	on(SIGPROF, count, SA_RESTART);
	set_timer(ITIMER_PROF, 100000, 0);
	nanosleep(&nap, NULL);		/* 0.3 s asleep: no CPU time */
	KT_EXPECT(ctx, prof == 0);
	while (!prof && now_s() < end)
		getppid();
	KT_EXPECT(ctx, prof == 1);
	signal(SIGPROF, SIG_DFL);
}

/* Children of a process that ignores SIGCHLD (or sets SA_NOCLDWAIT) do
 * not become zombies; wait blocks until they are all gone, then ECHILD. */
static void no_zombies(struct ktap_ctx *ctx)
{
	char path[64];
	pid_t pids[3];
	int i;

	for (int mode = 0; mode < 2; mode++) {
		chld = 0;
		if (mode == 0)
			signal(SIGCHLD, SIG_IGN);
		else
			on(SIGCHLD, count, SA_NOCLDWAIT | SA_RESTART);
		for (i = 0; i < 3; i++) {
			pids[i] = fork();
			if (pids[i] == 0) {
				usleep(100000 * (i + 1));
				_exit(7);
			}
		}
		errno = 0;
		EXPECT_EQ(ctx, wait(NULL), -1);	/* after all three exited */
		EXPECT_EQ(ctx, errno, ECHILD);
		for (i = 0; i < 3; i++) {
			snprintf(path, sizeof(path), "/proc/%d", pids[i]);
			EXPECT_ERRNO(ctx, access(path, F_OK), ENOENT);	/* no zombie */
		}
		if (mode == 1)
			EXPECT_EQ(ctx, chld, 3);	/* SIGCHLD still comes */
		signal(SIGCHLD, SIG_DFL);
	}
	/* And with the default action again, a zombie waits for us. */
	pids[0] = fork();
	if (pids[0] == 0)
		_exit(3);
	usleep(200000);
	snprintf(path, sizeof(path), "/proc/%d", pids[0]);
	EXPECT_OK(ctx, access(path, F_OK));
	EXPECT_EQ(ctx, waitpid(pids[0], &i, 0), pids[0]);
}

/* A handler ends nanosleep with EINTR and the time left, even with
 * SA_RESTART. */
static void sleep_eintr(struct ktap_ctx *ctx)
{
	struct timespec req = { 2, 0 }, rem = { 0, 0 };
	long ns;

	for (int flags = 0; flags <= SA_RESTART; flags += SA_RESTART) {
		alrm = 0;
		on(SIGALRM, count, flags);
		set_timer(ITIMER_REAL, 300000, 0);
		EXPECT_ERRNO(ctx, nanosleep(&req, &rem), EINTR);
		EXPECT_EQ(ctx, alrm, 1);
		ns = rem.tv_sec * 1000000000L + rem.tv_nsec;
		KT_EXPECT(ctx, ns > 500000000L && ns < 2000000000L);
	}
	signal(SIGALRM, SIG_DFL);
}

/* Run @fn in a child, stop it after 0.5 s for 1.1 s, and return how long
 * the child said its call took (exit status: tenths of a second), or -1. */
static int stopped_child(int (*fn)(void))
{
	struct timespec half = { 0, 500000000 }, stop = { 1, 100000000 };
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(fn());
	nanosleep(&half, NULL);
	kill(pid, SIGSTOP);
	nanosleep(&stop, NULL);
	kill(pid, SIGCONT);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int sleep_2s(void)
{
	struct timespec req = { 2, 0 }, rem;
	double t0 = now_s();

	if (nanosleep(&req, &rem))
		return 255;
	return (int)((now_s() - t0) * 10);
}

static int futex_2s(void)
{
	static int word;
	struct timespec req = { 2, 0 };
	double t0 = now_s();

	if (syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &req, NULL, 0) != -1 ||
	    errno != ETIMEDOUT)
		return 254;
	return (int)((now_s() - t0) * 10);
}

/* After a stop and continue, the sleep goes on until its deadline: about
 * 2 s in all, not 0.5 + 1.1 + 2. */
static void sleep_stop_continue(struct ktap_ctx *ctx)
{
	int tenths = stopped_child(sleep_2s);

	printf("# nanosleep(2 s) stopped for 1.1 s: %d tenths\n", tenths);
	KT_EXPECT(ctx, tenths >= 20 && tenths < 30);
	tenths = stopped_child(futex_2s);
	printf("# FUTEX_WAIT(2 s) stopped for 1.1 s: %d tenths\n", tenths);
	KT_EXPECT(ctx, tenths >= 20 && tenths < 30);
}

static void change_word(int sig)
{
	(void)sig;
	alrm++;
	*futex_word = 1;
}

/* An untimed futex wait restarts after an SA_RESTART handler (and sees
 * the changed word: EAGAIN); without SA_RESTART, EINTR; a timed wait is
 * EINTR either way. */
static void futex_restart(struct ktap_ctx *ctx)
{
	static int word;
	struct timespec req = { 5, 0 };

	futex_word = &word;
	for (int flags = 0; flags <= SA_RESTART; flags += SA_RESTART) {
		on(SIGALRM, change_word, flags);
		word = 0;
		set_timer(ITIMER_REAL, 200000, 0);
		EXPECT_ERRNO(ctx, syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL,
					  NULL, 0), flags ? EAGAIN : EINTR);
		word = 0;
		set_timer(ITIMER_REAL, 200000, 0);
		EXPECT_ERRNO(ctx, syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &req,
					  NULL, 0), EINTR);
	}
	signal(SIGALRM, SIG_DFL);
}

static volatile int bus_code;
static volatile void *bus_addr;
static sigjmp_buf bus_env;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	bus_code = si->si_code;
	bus_addr = si->si_addr;
	siglongjmp(bus_env, 1);
}

/* A file mapping touched past the end of its file: SIGBUS, BUS_ADRERR,
 * and the address in si_addr. */
static void sigbus_file(struct ktap_ctx *ctx)
{
	struct sigaction sa;
	int fd = open("/tmp/sigtimers-bus", O_RDWR | O_CREAT | O_TRUNC, 0600);
	char *p;

	KT_EXPECT(ctx, fd >= 0 && write(fd, "x", 1) == 1);
	p = mmap(NULL, 2 * 4096, PROT_READ, MAP_SHARED, fd, 0);
	KT_EXPECT(ctx, p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, NULL);
	bus_code = 0;
	if (!sigsetjmp(bus_env, 1))
		(void)*(volatile char *)(p + 4096 + 8);
	EXPECT_EQ(ctx, bus_code, BUS_ADRERR);
	KT_EXPECT(ctx, bus_addr == p + 4096 + 8);
	signal(SIGBUS, SIG_DFL);
	munmap(p, 2 * 4096);
	close(fd);
	unlink("/tmp/sigtimers-bus");
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(itimer_virtual), KTAP_CASE(itimer_prof), KTAP_CASE(no_zombies),
		KTAP_CASE(sleep_eintr), KTAP_CASE(sleep_stop_continue),
		KTAP_CASE(futex_restart), KTAP_CASE(sigbus_file),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
