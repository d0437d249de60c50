/*
 * efault — every pointer-taking system call of lab 6 refuses bad
 * pointers with EFAULT, and the kernel lives on.
 *
 * For each call, each bad address of testlib.h is tried where the call
 * takes a pointer: NULL, a kernel address (the direct map, which is
 * mapped — only the range check stops it), an unmapped user address, and
 * a buffer that runs off the end of user space.  A kernel that
 * dereferenced any of them directly would oops (or, for the kernel
 * address, leak or corrupt kernel memory).  Every call is made through
 * syscall(2), so the C library cannot interfere.  Lab 7's calls are in
 * efault7.c.
 */
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>

#include "testlib.h"

static void *const bad[] = { BAD_NULL, BAD_KERNEL, BAD_UNMAPPED, BAD_TOP };
#define FOR_EACH_BAD(p) \
	for (size_t i_ = 0; i_ < sizeof(bad) / sizeof(bad[0]) && ((p) = bad[i_], 1); i_++)

#define ARCH_GET_FS	0x1003

static void read_write(struct ktap_ctx *ctx)
{
	void *p;

	FOR_EACH_BAD(p)
		EXPECT_ERRNO(ctx, syscall(SYS_write, 1, p, 16), EFAULT);
	/* read(2) checks the range at once; a NULL or unmapped buffer in
	 * range would only fault once a byte is typed (as on Linux). */
	EXPECT_ERRNO(ctx, syscall(SYS_read, 0, BAD_KERNEL, 16), EFAULT);
	EXPECT_ERRNO(ctx, syscall(SYS_read, 0, BAD_TOP, 4096), EFAULT);
	EXPECT_ERRNO(ctx, syscall(SYS_write, 1, BAD_TOP, 4096), EFAULT);
}

static void readv_writev(struct ktap_ctx *ctx)
{
	struct iovec iov;
	void *p;

	FOR_EACH_BAD(p) {
		EXPECT_ERRNO(ctx, syscall(SYS_writev, 1, p, 1), EFAULT);
		EXPECT_ERRNO(ctx, syscall(SYS_readv, 0, p, 1), EFAULT);
		iov.iov_base = BAD_KERNEL;
		iov.iov_len = 8;
		EXPECT_ERRNO(ctx, syscall(SYS_readv, 0, &iov, 1), EFAULT);
		iov.iov_base = p;
		iov.iov_len = 8;
		EXPECT_ERRNO(ctx, syscall(SYS_writev, 1, &iov, 1), EFAULT);
	}
}

static void ioctl_winsize(struct ktap_ctx *ctx)
{
	void *p;

	FOR_EACH_BAD(p)
		EXPECT_ERRNO(ctx, syscall(SYS_ioctl, 1, TIOCGWINSZ, p), EFAULT);
}

static void uname_(struct ktap_ctx *ctx)
{
	void *p;

	FOR_EACH_BAD(p)
		EXPECT_ERRNO(ctx, syscall(SYS_uname, p), EFAULT);
}

static void clocks(struct ktap_ctx *ctx)
{
	void *p;

	FOR_EACH_BAD(p) {
		EXPECT_ERRNO(ctx, syscall(SYS_clock_gettime, CLOCK_MONOTONIC, p), EFAULT);
		EXPECT_ERRNO(ctx, syscall(SYS_nanosleep, p, NULL), EFAULT);
		EXPECT_ERRNO(ctx, syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, p, NULL),
			     EFAULT);
		if (p) {	/* NULL is allowed for these */
			EXPECT_ERRNO(ctx, syscall(SYS_clock_getres, CLOCK_MONOTONIC, p), EFAULT);
			EXPECT_ERRNO(ctx, syscall(SYS_gettimeofday, p, NULL), EFAULT);
			EXPECT_ERRNO(ctx, syscall(SYS_time, p), EFAULT);
			EXPECT_ERRNO(ctx, syscall(SYS_times, p), EFAULT);
		}
	}
}

static void limits(struct ktap_ctx *ctx)
{
	void *p;

	FOR_EACH_BAD(p) {
		EXPECT_ERRNO(ctx, syscall(SYS_getrlimit, RLIMIT_STACK, p), EFAULT);
		EXPECT_ERRNO(ctx, syscall(SYS_setrlimit, RLIMIT_STACK, p), EFAULT);
		EXPECT_ERRNO(ctx, syscall(SYS_getrusage, RUSAGE_SELF, p), EFAULT);
		EXPECT_ERRNO(ctx, syscall(SYS_sysinfo, p), EFAULT);
		if (p) {
			EXPECT_ERRNO(ctx, syscall(SYS_prlimit64, 0, RLIMIT_STACK, p, NULL), EFAULT);
			EXPECT_ERRNO(ctx, syscall(SYS_prlimit64, 0, RLIMIT_STACK, NULL, p), EFAULT);
		}
	}
}

static void ids(struct ktap_ctx *ctx)
{
	unsigned int a, b;
	void *p;

	FOR_EACH_BAD(p) {
		EXPECT_ERRNO(ctx, syscall(SYS_getresuid, p, &a, &b), EFAULT);
		EXPECT_ERRNO(ctx, syscall(SYS_getresgid, &a, &b, p), EFAULT);
		EXPECT_ERRNO(ctx, syscall(SYS_setgroups, 1, p), EFAULT);
	}
	/* getgroups with a size writes; with no groups there is nothing to
	 * write, so give ourselves one first. */
	EXPECT_OK(ctx, syscall(SYS_setgroups, 1, &a));
	FOR_EACH_BAD(p)
		EXPECT_ERRNO(ctx, syscall(SYS_getgroups, 1, p), EFAULT);
	EXPECT_OK(ctx, syscall(SYS_setgroups, 0, NULL));
}

static void misc(struct ktap_ctx *ctx)
{
	void *p;

	FOR_EACH_BAD(p) {
		EXPECT_ERRNO(ctx, syscall(SYS_getrandom, p, 16, 0), EFAULT);
		EXPECT_ERRNO(ctx, syscall(SYS_arch_prctl, ARCH_GET_FS, p), EFAULT);
		EXPECT_ERRNO(ctx, syscall(SYS_prctl, 16 /* PR_GET_NAME */, p), EFAULT);
		EXPECT_ERRNO(ctx, syscall(SYS_execve, p, NULL, NULL), EFAULT);
		if (p) {
			EXPECT_ERRNO(ctx, syscall(SYS_rt_sigprocmask, 0, p, NULL, 8), EFAULT);
			EXPECT_ERRNO(ctx, syscall(SYS_rt_sigprocmask, 0, NULL, p, 8), EFAULT);
		}
	}
}

/* A string that runs into an unmapped page: execve's path. */
static void string_past_end(struct ktap_ctx *ctx)
{
	EXPECT_ERRNO(ctx, syscall(SYS_execve, (char *)BAD_TOP + 0x7f0, NULL, NULL),
		     EFAULT);
}

/* After all that, the kernel still answers. */
static void still_alive(struct ktap_ctx *ctx)
{
	EXPECT_EQ(ctx, syscall(SYS_getpid), getpid());
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(read_write), KTAP_CASE(readv_writev),
		KTAP_CASE(ioctl_winsize), KTAP_CASE(uname_), KTAP_CASE(clocks),
		KTAP_CASE(limits), KTAP_CASE(ids), KTAP_CASE(misc),
		KTAP_CASE(string_past_end), KTAP_CASE(still_alive),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
