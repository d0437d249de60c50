/*
 * vfork_exec — starting a new program the way shells and posix_spawn do:
 * vfork(2), which shares the parent's address space instead of copying it
 * and suspends the parent until the child calls execve(2); then wait4(2).
 * The program executed is this one with "--exit" (see fork_exec.c), so the
 * difference from fork_exec is the cost of copying the address space.
 * Microseconds per vfork+execve+exit+wait4.
 */
#include <string.h>
#include <unistd.h>

#include "bench.h"

static char *self;

/*
 * vfork and execve in a function of their own: the child runs on the
 * parent's stack frame until execve, so nothing of the caller's (the loop
 * counter) may live in this frame; noinline keeps it that way.
 */
static __attribute__((noinline)) pid_t spawn(void)
{
	static char *argv[] = { NULL, "--exit", NULL };
	static char *envp[] = { NULL };
	pid_t pid;

	argv[0] = self;
	pid = vfork();
	/* The child shares our memory: only execve or _exit here. */
	if (pid == 0) {
		execve(self, argv, envp);
		_exit(127);
	}
	return pid;
}

static void op(void *arg, long n)
{
	(void)arg;
	for (long i = 0; i < n; i++) {
		pid_t pid = spawn();

		if (pid < 0)
			bench_die("vfork");
		bench_wait(pid);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--exit") == 0)
		return 0;
	bench_init("vfork_exec", "us");
	self = argv[0];
	if (!strchr(self, '/'))
		bench_fail("argv[0] is %s: run me by my path, which I execute",
			   self);
	if (access(self, X_OK) != 0)
		bench_die(self);
	bench_report(bench_seconds_per_op(op, NULL) * 1e6);
	return 0;
}
