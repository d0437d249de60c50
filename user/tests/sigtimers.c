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
 * The stop-and-continue case compares the two possible answers, about
 * 1 s against 6 s or more after SIGCONT, with its bound in the middle,
 * so a slow or loaded machine does not decide it.
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

#include "fstest.h"

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

/*
 * Where a stopped sleeper and its parent write their times (CLOCK_MONOTONIC,
 * seconds), in a shared page: the child when its call began and ended,
 * the parent just before it sent SIGCONT.
 */
struct stop_times {
	volatile double start, end, cont;
};

static struct stop_times *times;

#define STOPPED_SLEEP	6	/* the child's sleep, seconds */

/*
 * Run @fn in a child; once it sleeps in its call, stop it for 4.5 s and
 * continue it.  Returns the child's exit status (0: its call ended as
 * expected), or -1.  The times land in *times.
 */
static int stopped_child(int (*fn)(void))
{
	struct timespec tick = { 0, 10000000 }, stop = { 4, 500000000 };
	int status;
	pid_t pid;

	times->start = times->end = times->cont = 0;
	pid = fork();
	if (pid == 0)
		_exit(fn());
	while (!times->start || !task_asleep(pid))
		nanosleep(&tick, NULL);
	kill(pid, SIGSTOP);
	waitpid(pid, &status, WUNTRACED);
	nanosleep(&stop, NULL);
	times->cont = now_s();
	kill(pid, SIGCONT);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int sleep_stopped(void)
{
	struct timespec req = { STOPPED_SLEEP, 0 }, rem;
	int err;

	times->start = now_s();
	err = nanosleep(&req, &rem);
	times->end = now_s();
	return err ? 1 : 0;
}

static int futex_stopped(void)
{
	static int word;
	struct timespec req = { STOPPED_SLEEP, 0 };
	long r;

	times->start = now_s();
	r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &req, NULL, 0);
	times->end = now_s();
	return r == -1 && errno == ETIMEDOUT ? 0 : 1;
}

/*
 * After a stop and continue, the sleep goes on until its deadline.  The
 * child sleeps 6 s and is stopped for 4.5 s of them: ending at its
 * deadline, it wakes about 1 s after SIGCONT; sleeping the whole time
 * again, 6 s or more after it.  The bound is in the middle (3.5 s), so
 * a loaded machine's delays of up to 2.5 s either way do not decide it;
 * and the call may never end before its 6 s.
 */
static void sleep_stop_continue(struct ktap_ctx *ctx)
{
	int (*const fns[])(void) = { sleep_stopped, futex_stopped };
	const char *const names[] = { "nanosleep", "FUTEX_WAIT" };

	times = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (times == MAP_FAILED) {
		KT_EXPECT(ctx, times != MAP_FAILED);
		return;
	}
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(ctx, stopped_child(fns[i]), 0);
		printf("# %s(%d s) stopped for 4.5 s: %.2f s in all, %.2f s after SIGCONT\n",
		       names[i], STOPPED_SLEEP, times->end - times->start,
		       times->end - times->cont);
		KT_EXPECT(ctx, times->end - times->start >= STOPPED_SLEEP - 0.02);
		KT_EXPECT(ctx, times->end - times->cont < 3.5);
	}
	munmap((void *)times, 4096);
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
