/*
 * fork_exit — process creation and teardown: fork(2) a child that calls
 * _exit(0) at once, and wait4(2) for it.  Copies the address space (with
 * copy-on-write, only the page tables), creates and destroys a task, and
 * switches to the child and back.  Microseconds per fork+exit+wait4.
 */
#include <unistd.h>

#include "bench.h"

static void op(void *arg, long n)
{
	(void)arg;
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			bench_die("fork");
		if (pid == 0)
			_exit(0);
		bench_wait(pid);
	}
}

int main(void)
{
	bench_init("fork_exit", "us");
	bench_report(bench_seconds_per_op(op, NULL) * 1e6);
	return 0;
}
