/*
 * fork — processes: fork, wait4 and waitid with Linux's status encoding,
 * zombies and orphans, vfork, and fork storms (lab 7).
 *
 * The test runs as init (pid 1), so orphans are handed to it and it must
 * reap them itself.  Exit codes are derived from the nonce, so the grader
 * knows them and a kernel cannot pass by returning fixed values.  Results
 * that a child sees travel back through a MAP_SHARED page (there are no
 * pipes before lab 8) or through its exit status.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

#include "testlib.h"

#define STORM_SEQUENTIAL	1000
#define STORM_CONCURRENT	50

static volatile long *shared;	/* one MAP_SHARED page, set up in main */

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static void fork_basic(struct ktap_ctx *ctx)
{
	pid_t me = getpid(), pid;
	int status;

	shared[0] = 0;
	pid = fork();
	if (pid == 0) {
		shared[0] = getppid();
		shared[1] = getpid();
		_exit(0);
	}
	KT_EXPECT(ctx, pid > 1);
	EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(ctx, shared[0], me);
	EXPECT_EQ(ctx, shared[1], pid);
	KT_EXPECT(ctx, WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* exit(code) for codes from the nonce; the status word must encode it. */
static void exit_codes(struct ktap_ctx *ctx)
{
	uint64_t seed = ktap_nonce() | 1;

	for (int i = 0; i < 8; i++) {
		int code = rng_next(&seed) % 256, status;
		pid_t pid = fork();

		if (pid == 0)
			_exit(code);
		EXPECT_EQ(ctx, wait4(pid, &status, 0, NULL), pid);
		EXPECT_EQ(ctx, status, code << 8);
		printf("# exit code %d -> status 0x%04x\n", code, status);
	}
}

static void segv_child(void *arg)
{
	int *volatile p = (int *)16;

	(void)arg;
	*p = 1;
}

static void killed_status(struct ktap_ctx *ctx)
{
	int status = run_child(segv_child, NULL);

	KT_EXPECT(ctx, WIFSIGNALED(status));
	EXPECT_EQ(ctx, WTERMSIG(status), SIGSEGV);
	EXPECT_EQ(ctx, status & 0x80, 0);	/* no core dump */
}

static void wait_options(struct ktap_ctx *ctx)
{
	int status;
	pid_t pid;

	EXPECT_ERRNO(ctx, waitpid(-1, &status, WNOHANG), ECHILD);
	EXPECT_ERRNO(ctx, waitpid(-1, &status, 0), ECHILD);
	pid = fork();
	if (pid == 0) {
		msleep(100);
		_exit(3);
	}
	EXPECT_EQ(ctx, waitpid(pid, &status, WNOHANG), 0);	/* still running */
	EXPECT_ERRNO(ctx, waitpid(pid + 1000, &status, 0), ECHILD);
	EXPECT_ERRNO(ctx, syscall(SYS_wait4, -1, &status, 0x1000, NULL), EINVAL);
	EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(ctx, status, 3 << 8);
}

static void waitid_info(struct ktap_ctx *ctx)
{
	siginfo_t info;
	pid_t pid = fork();

	if (pid == 0)
		_exit(42);
	memset(&info, 0x55, sizeof(info));
	/* WNOWAIT: look without reaping; then reap. */
	EXPECT_OK(ctx, waitid(P_PID, pid, &info, WEXITED | WNOWAIT));
	EXPECT_EQ(ctx, info.si_pid, pid);
	EXPECT_OK(ctx, waitid(P_PID, pid, &info, WEXITED));
	EXPECT_EQ(ctx, info.si_signo, SIGCHLD);
	EXPECT_EQ(ctx, info.si_code, CLD_EXITED);
	EXPECT_EQ(ctx, info.si_status, 42);
	EXPECT_EQ(ctx, info.si_pid, pid);
	EXPECT_ERRNO(ctx, waitid(P_PID, pid, &info, WEXITED), ECHILD);
	EXPECT_ERRNO(ctx, waitid(P_ALL, 0, &info, 0), EINVAL);
}

/* A child whose parent exits first is reparented to init: us. */
static void orphans(struct ktap_ctx *ctx)
{
	int status;
	pid_t pid = fork();

	shared[2] = 0;
	if (pid == 0) {
		if (fork() == 0) {
			msleep(100);	/* by then the parent is gone */
			shared[2] = getppid();
			_exit(7);
		}
		_exit(0);
	}
	EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
	/* The grandchild is now ours: reap it. */
	pid = waitpid(-1, &status, 0);
	KT_EXPECT(ctx, pid > 0);
	EXPECT_EQ(ctx, status, 7 << 8);
	EXPECT_EQ(ctx, shared[2], 1);
}

/* vfork: the child borrows our memory and we wait until it exits. */
static void vfork_(struct ktap_ctx *ctx)
{
	static volatile int borrowed;
	struct timespec a, b;
	int status;
	pid_t pid;

	borrowed = 0;
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid = vfork();
	if (pid == 0) {
		borrowed = 1234;	/* our own memory, not a copy */
		msleep(50);
		_exit(9);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	EXPECT_EQ(ctx, borrowed, 1234);
	KT_EXPECT(ctx, (b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec >= 50000000L);
	EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(ctx, status, 9 << 8);
}

static void storm_sequential(struct ktap_ctx *ctx)
{
	unsigned long long before = free_bytes(), after;
	int status, bad = 0;

	for (int i = 0; i < STORM_SEQUENTIAL; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(i & 0xff);
		if (pid < 0 || waitpid(pid, &status, 0) != pid || status != (i & 0xff) << 8)
			bad++;
	}
	after = free_bytes();
	EXPECT_EQ(ctx, bad, 0);
	printf("# %d forks: free memory %llu KiB before, %llu KiB after\n",
	       STORM_SEQUENTIAL, before >> 10, after >> 10);
	/* Nothing leaks: what 1000 processes used came back (within 1 MiB). */
	KT_EXPECT(ctx, after + (1 << 20) >= before);
}

static void storm_concurrent(struct ktap_ctx *ctx)
{
	pid_t pids[STORM_CONCURRENT];
	int status, seen[STORM_CONCURRENT] = { 0 };

	shared[3] = 0;
	for (int i = 0; i < STORM_CONCURRENT; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			__atomic_add_fetch(&shared[3], 1, __ATOMIC_SEQ_CST);
			while (__atomic_load_n(&shared[3], __ATOMIC_SEQ_CST) < STORM_CONCURRENT)
				msleep(10);	/* all alive at once */
			_exit(i);
		}
		KT_EXPECT(ctx, pids[i] > 0);
	}
	for (int i = 0; i < STORM_CONCURRENT; i++) {
		pid_t pid = wait(&status);

		for (int k = 0; k < STORM_CONCURRENT; k++)
			if (pids[k] == pid && status == k << 8)
				seen[k]++;
	}
	for (int k = 0; k < STORM_CONCURRENT; k++)
		EXPECT_EQ(ctx, seen[k], 1);
	EXPECT_ERRNO(ctx, wait(&status), ECHILD);
}

static void child_rusage(struct ktap_ctx *ctx)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		volatile unsigned long x = 0;

		for (unsigned long i = 0; i < 20000000UL; i++)
			x += i;
		_exit(0);
	}
	EXPECT_EQ(ctx, wait4(pid, &status, 0, &ru), pid);
	KT_EXPECT(ctx, ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0);
	EXPECT_OK(ctx, getrusage(RUSAGE_CHILDREN, &ru));
	KT_EXPECT(ctx, ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(fork_basic), KTAP_CASE(exit_codes), KTAP_CASE(killed_status),
		KTAP_CASE(wait_options), KTAP_CASE(waitid_info), KTAP_CASE(orphans),
		KTAP_CASE(vfork_), KTAP_CASE(storm_sequential),
		KTAP_CASE(storm_concurrent), KTAP_CASE(child_rusage),
	};

	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		printf("fork: no shared page\n");
		return 1;
	}
	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
