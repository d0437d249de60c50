/*
 * testlib.h — helpers shared by Kestrel's user tests (the programs in user/tests/):
 * checking a system call's error, running a piece of a test in a child
 * process and collecting how it ended, reading free memory.  Header-only
 * (static functions), so that each test stays one file to compile.
 *
 * The tests call the kernel through syscall(2) where the C library would
 * check or translate arguments itself (a NULL pointer the library would
 * dereference first, a flag it would refuse): the kernel's own answer is
 * what is being tested.
 */
#ifndef KESTREL_USER_TESTLIB_H
#define KESTREL_USER_TESTLIB_H

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"

/* Addresses no system call may accept: NULL, a kernel address (the
 * direct map), an unmapped user address, the last page of user space. */
#define BAD_NULL	((void *)0)
#define BAD_KERNEL	((void *)0xffff888000000000UL)
#define BAD_UNMAPPED	((void *)0x00007e0000000000UL)
#define BAD_TOP		((void *)0x00007ffffffff800UL)

/* EXPECT_ERRNO - @call (a syscall(2)) must fail with errno @err. */
#define EXPECT_ERRNO(ctx, call, err)						\
	do {									\
		errno = 0;							\
		long r_ = (long)(call);						\
		if (r_ != -1 || errno != (err))					\
			ktap_fail(ctx, __FILE__, __LINE__,			\
				  "%s returned %ld errno %d, want -1 errno %d (%s)", \
				  #call, r_, errno, (err), strerror(err));	\
	} while (0)

/* EXPECT_OK - @call must not fail (return -1). */
#define EXPECT_OK(ctx, call)							\
	do {									\
		errno = 0;							\
		long r_ = (long)(call);						\
		if (r_ == -1)							\
			ktap_fail(ctx, __FILE__, __LINE__, "%s failed: %s",	\
				  #call, strerror(errno));			\
	} while (0)

/* EXPECT_EQ - two integers must be equal; says both when not. */
#define EXPECT_EQ(ctx, got, want)						\
	do {									\
		long long g_ = (long long)(got), w_ = (long long)(want);	\
		if (g_ != w_)							\
			ktap_fail(ctx, __FILE__, __LINE__, "%s = %lld, want %lld", \
				  #got, g_, w_);				\
	} while (0)

/*
 * run_child - run @fn(@arg) in a child process (fork) and return its
 * wait status, or -1 if fork or wait failed.  The child exits with 0
 * when @fn returns.
 */
static inline int run_child(void (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* free_bytes - free RAM now, bytes (sysinfo). */
static inline unsigned long long free_bytes(void)
{
	struct sysinfo si;

	if (sysinfo(&si))
		return 0;
	return (unsigned long long)si.freeram * si.mem_unit;
}

/* rng - a small generator seeded from the nonce: inputs the grader can
 * recompute, different every run. */
static inline uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#endif
