/*
 * null_syscall — the cost of the cheapest system call: getppid(2), which
 * only enters the kernel, reads a field of the current task and returns.
 * Reported in nanoseconds per call.
 */
#include <unistd.h>

#include "bench.h"

static void op(void *arg, long n)
{
	volatile pid_t sink;

	(void)arg;
	for (long i = 0; i < n; i++)
		sink = getppid();
	(void)sink;
}

int main(void)
{
	bench_init("null_syscall", "ns");
	bench_report(bench_seconds_per_op(op, NULL) * 1e9);
	return 0;
}
