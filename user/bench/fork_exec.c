/*
 * fork_exec — starting a new program: fork(2), execve(2) of a static
 * program in the child, wait4(2) in the parent.  The program executed is
 * this one, with the argument "--exit", which makes it exit at once after
 * the C library's start-up: the cost is fork, loading a static ELF
 * executable (about 30 KiB) from tmpfs, starting it and exiting.
 * Microseconds per fork+execve+exit+wait4.
 */
#include <string.h>
#include <unistd.h>

#include "bench.h"

static char *self;

static void op(void *arg, long n)
{
	char *argv[] = { self, "--exit", NULL };
	char *envp[] = { NULL };

	(void)arg;
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			bench_die("fork");
		if (pid == 0) {
			execve(self, argv, envp);
			bench_die("execve");
		}
		bench_wait(pid);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--exit") == 0)
		return 0;
	bench_init("fork_exec", "us");
	self = argv[0];
	if (!strchr(self, '/'))
		bench_fail("argv[0] is %s: run me by my path, which I execute",
			   self);
	if (access(self, X_OK) != 0)
		bench_die(self);
	bench_report(bench_seconds_per_op(op, NULL) * 1e6);
	return 0;
}
