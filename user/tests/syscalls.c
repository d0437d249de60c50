/*
 * syscalls — the everyday system calls of one process, with good
 * arguments: who am I, what machine is this, what time is it, sleep,
 * random bytes, TLS, limits, names — and their error cases that need no
 * second process (EINVAL for a bad clock, a bad resource…).
 *
 * Run as init (pid 1, parent 0, root) by lab 6's grader; the values the
 * grader cannot know in advance are checked against each other
 * (gettimeofday against clock_gettime, times against the clock…).
 */
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>

#include "testlib.h"

#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003

static long long ns_of(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static void identity(struct ktap_ctx *ctx)
{
	EXPECT_EQ(ctx, getpid(), 1);
	EXPECT_EQ(ctx, getppid(), 0);
	EXPECT_EQ(ctx, syscall(SYS_gettid), 1);
	EXPECT_EQ(ctx, getuid(), 0);
	EXPECT_EQ(ctx, geteuid(), 0);
	EXPECT_EQ(ctx, getgid(), 0);
	EXPECT_EQ(ctx, getegid(), 0);
}

static void uname_fields(struct ktap_ctx *ctx)
{
	struct utsname u;

	EXPECT_OK(ctx, uname(&u));
	KT_EXPECT(ctx, strcmp(u.sysname, "Linux") == 0);
	KT_EXPECT(ctx, strcmp(u.release, "6.1.0-kestrel") == 0);
	KT_EXPECT(ctx, strcmp(u.machine, "x86_64") == 0);
}

static void console_write(struct ktap_ctx *ctx)
{
	static const char msg[] = "syscalls: a line through write(2)\n";
	struct iovec iov[2] = {
		{ (void *)"syscalls: a line ", 17 },
		{ (void *)"through writev(2)\n", 18 },
	};

	EXPECT_EQ(ctx, write(1, msg, sizeof(msg) - 1), sizeof(msg) - 1);
	EXPECT_EQ(ctx, writev(2, iov, 2), 35);
	EXPECT_ERRNO(ctx, write(7, msg, 1), EBADF);
	EXPECT_EQ(ctx, write(1, msg, 0), 0);
}

static void clocks(struct ktap_ctx *ctx)
{
	struct timespec a, b, res;
	struct timeval tv;
	time_t t;

	EXPECT_OK(ctx, clock_gettime(CLOCK_MONOTONIC, &a));
	EXPECT_OK(ctx, clock_gettime(CLOCK_MONOTONIC, &b));
	KT_EXPECT(ctx, ns_of(&b) >= ns_of(&a));
	EXPECT_OK(ctx, clock_gettime(CLOCK_REALTIME, &a));
	EXPECT_OK(ctx, gettimeofday(&tv, NULL));
	t = time(NULL);
	/* The RTC says 2020 or later; the three agree within a second. */
	KT_EXPECT(ctx, a.tv_sec > 1577836800);
	KT_EXPECT(ctx, tv.tv_sec - a.tv_sec <= 1 && t - a.tv_sec <= 1);
	EXPECT_OK(ctx, clock_getres(CLOCK_MONOTONIC, &res));
	KT_EXPECT(ctx, res.tv_sec == 0 && res.tv_nsec > 0);
	EXPECT_ERRNO(ctx, syscall(SYS_clock_gettime, 42, &a), EINVAL);
	EXPECT_OK(ctx, clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a));
	EXPECT_OK(ctx, clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a));
}

static void sleeping(struct ktap_ctx *ctx)
{
	struct timespec req = { 0, 30 * 1000000 }, a, b, bad = { 0, 1000000000 };

	clock_gettime(CLOCK_MONOTONIC, &a);
	EXPECT_OK(ctx, nanosleep(&req, NULL));
	clock_gettime(CLOCK_MONOTONIC, &b);
	KT_EXPECT(ctx, ns_of(&b) - ns_of(&a) >= 30 * 1000000LL);
	KT_EXPECT(ctx, ns_of(&b) - ns_of(&a) < 2000 * 1000000LL);
	EXPECT_ERRNO(ctx, nanosleep(&bad, NULL), EINVAL);
	/* An absolute deadline in the past returns at once. */
	EXPECT_EQ(ctx, clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &a, NULL), 0);
}

static void random_bytes(struct ktap_ctx *ctx)
{
	unsigned char a[32], b[32];

	EXPECT_EQ(ctx, getrandom(a, sizeof(a), 0), sizeof(a));
	EXPECT_EQ(ctx, getrandom(b, sizeof(b), GRND_NONBLOCK), sizeof(b));
	KT_EXPECT(ctx, memcmp(a, b, sizeof(a)) != 0);
	EXPECT_ERRNO(ctx, syscall(SYS_getrandom, a, 4, 0x100), EINVAL);
}

/* musl keeps the thread pointer in the FS base: pthread_self() is it. */
static void tls_base(struct ktap_ctx *ctx)
{
	unsigned long fs = 0, mine;

	EXPECT_OK(ctx, syscall(SYS_arch_prctl, ARCH_GET_FS, &fs));
	EXPECT_EQ(ctx, fs, (unsigned long)pthread_self());
	/* Move it and back: %fs:0 must follow. */
	mine = fs;
	EXPECT_OK(ctx, syscall(SYS_arch_prctl, ARCH_SET_FS, fs));
	EXPECT_OK(ctx, syscall(SYS_arch_prctl, ARCH_GET_FS, &fs));
	EXPECT_EQ(ctx, fs, mine);
	EXPECT_ERRNO(ctx, syscall(SYS_arch_prctl, ARCH_SET_FS, 0xffff800000000000UL), EPERM);
	EXPECT_ERRNO(ctx, syscall(SYS_arch_prctl, 0x9999, 0), EINVAL);
}

static void rlimits(struct ktap_ctx *ctx)
{
	struct rlimit r, low = { 1000, 2000 };

	EXPECT_OK(ctx, getrlimit(RLIMIT_STACK, &r));
	EXPECT_EQ(ctx, r.rlim_cur, 8 << 20);
	EXPECT_OK(ctx, setrlimit(RLIMIT_NOFILE, &low));
	EXPECT_OK(ctx, getrlimit(RLIMIT_NOFILE, &r));
	KT_EXPECT(ctx, r.rlim_cur == 1000 && r.rlim_max == 2000);
	low.rlim_cur = 3000;
	EXPECT_ERRNO(ctx, setrlimit(RLIMIT_NOFILE, &low), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_getrlimit, 99, &r), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_prlimit64, 99999, RLIMIT_STACK, NULL, &r), ESRCH);
}

static void names(struct ktap_ctx *ctx)
{
	char name[16];

	EXPECT_OK(ctx, prctl(PR_SET_NAME, "renamed", 0, 0, 0));
	EXPECT_OK(ctx, prctl(PR_GET_NAME, name, 0, 0, 0));
	KT_EXPECT(ctx, strcmp(name, "renamed") == 0);
	EXPECT_ERRNO(ctx, prctl(12345, 0, 0, 0, 0), EINVAL);
}

static void usage(struct ktap_ctx *ctx)
{
	struct rusage ru;
	struct sysinfo si;
	struct tms t;

	EXPECT_OK(ctx, getrusage(RUSAGE_SELF, &ru));
	KT_EXPECT(ctx, ru.ru_maxrss > 0);
	EXPECT_OK(ctx, getrusage(RUSAGE_CHILDREN, &ru));
	EXPECT_ERRNO(ctx, syscall(SYS_getrusage, 7, &ru), EINVAL);
	EXPECT_OK(ctx, sysinfo(&si));
	KT_EXPECT(ctx, si.totalram > si.freeram && si.freeram > 0);
	KT_EXPECT(ctx, si.procs >= 1);
	KT_EXPECT(ctx, times(&t) != (clock_t)-1);
}

static void sigmask(struct ktap_ctx *ctx)
{
	unsigned long set = 1UL << (SIGUSR1 - 1) | 1UL << (SIGKILL - 1), old;

	EXPECT_OK(ctx, syscall(SYS_rt_sigprocmask, SIG_SETMASK, &set, NULL, 8));
	EXPECT_OK(ctx, syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &old, 8));
	EXPECT_EQ(ctx, old, 1UL << (SIGUSR1 - 1));	/* SIGKILL cannot be blocked */
	EXPECT_ERRNO(ctx, syscall(SYS_rt_sigprocmask, 7, &set, NULL, 8), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4), EINVAL);
	set = 0;
	EXPECT_OK(ctx, syscall(SYS_rt_sigprocmask, SIG_SETMASK, &set, NULL, 8));
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(identity), KTAP_CASE(uname_fields), KTAP_CASE(console_write),
		KTAP_CASE(clocks), KTAP_CASE(sleeping), KTAP_CASE(random_bytes),
		KTAP_CASE(tls_base), KTAP_CASE(rlimits), KTAP_CASE(names),
		KTAP_CASE(usage), KTAP_CASE(sigmask),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
