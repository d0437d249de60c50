/*
 * efault7 — lab 7's pointer-taking system calls refuse bad pointers with
 * EFAULT (lab 6's are in efault.c): wait4's status and rusage, waitid's
 * siginfo, futex's word, execve's vectors, clone's tid pointers (a bad
 * one is ignored, as on Linux), get_robust_list.  And a few EINVALs
 * that guard the same calls.
 */
#include <sys/mman.h>

#include "testlib.h"

static void *const bad[] = { BAD_KERNEL, BAD_UNMAPPED, BAD_TOP };
#define FOR_EACH_BAD(p) \
	for (size_t i_ = 0; i_ < sizeof(bad) / sizeof(bad[0]) && ((p) = bad[i_], 1); i_++)

/* A child that exits at once: something for wait to find. */
static pid_t zombie(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(5);
	return pid;
}

static void wait_pointers(struct ktap_ctx *ctx)
{
	int status;
	void *p;

	FOR_EACH_BAD(p) {
		pid_t pid = zombie();

		EXPECT_ERRNO(ctx, syscall(SYS_wait4, pid, p, 0, NULL), EFAULT);
		pid = zombie();
		EXPECT_ERRNO(ctx, syscall(SYS_wait4, pid, &status, 0, p), EFAULT);
		pid = zombie();
		EXPECT_ERRNO(ctx, syscall(SYS_waitid, P_PID, pid, p, WEXITED, NULL), EFAULT);
	}
	/* Each reaped child was reaped even though the copy-out failed. */
	EXPECT_ERRNO(ctx, wait(&status), ECHILD);
}

static void futex_pointers(struct ktap_ctx *ctx)
{
	static int word;
	void *p;

	FOR_EACH_BAD(p) {
		EXPECT_ERRNO(ctx, syscall(SYS_futex, p, 0 /* WAIT */, 0, NULL, NULL, 0), EFAULT);
		EXPECT_ERRNO(ctx, syscall(SYS_futex, &word, 0, 0, p, NULL, 0), EFAULT);
	}
	EXPECT_ERRNO(ctx, syscall(SYS_futex, (char *)&word + 2, 1, 1, NULL, NULL, 0), EINVAL);
}

static void exec_vectors(struct ktap_ctx *ctx)
{
	char *argv_bad_string[] = { "x", BAD_KERNEL, NULL };
	char *argv[] = { "x", NULL };
	void *p;

	FOR_EACH_BAD(p) {
		EXPECT_ERRNO(ctx, syscall(SYS_execve, "/hello", p, NULL), EFAULT);
		EXPECT_ERRNO(ctx, syscall(SYS_execve, "/hello", argv, p), EFAULT);
	}
	EXPECT_ERRNO(ctx, syscall(SYS_execve, "/hello", argv_bad_string, NULL), EFAULT);
}

static void robust_list(struct ktap_ctx *ctx)
{
	void *head;
	size_t len;
	void *p;

	EXPECT_ERRNO(ctx, syscall(SYS_set_robust_list, NULL, 3), EINVAL);
	EXPECT_OK(ctx, syscall(SYS_get_robust_list, 0, &head, &len));
	FOR_EACH_BAD(p) {
		EXPECT_ERRNO(ctx, syscall(SYS_get_robust_list, 0, p, &len), EFAULT);
		EXPECT_ERRNO(ctx, syscall(SYS_get_robust_list, 0, &head, p), EFAULT);
	}
}

static void still_alive(struct ktap_ctx *ctx)
{
	int status;
	pid_t pid = zombie();

	EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(ctx, status, 5 << 8);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(wait_pointers), KTAP_CASE(futex_pointers),
		KTAP_CASE(exec_vectors), KTAP_CASE(robust_list),
		KTAP_CASE(still_alive),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
