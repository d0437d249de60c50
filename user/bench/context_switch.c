/*
 * context_switch — the cost of one switch between two processes, measured
 * as lmbench's lat_ctx does: a byte passed back and forth through a pair
 * of pipes (as in pipe_roundtrip) costs two switches plus the pipe work;
 * the pipe work alone is measured in one process (write a byte into a
 * pipe and read it back, twice per round trip) and subtracted.  Both
 * processes are on CPU 0.  Microseconds per switch.
 */
#include <unistd.h>

#include "bench.h"

/* The pipe work of one round trip, without switching: two writes and two
 * reads of one byte on a pipe this process holds both ends of. */
static void pipe_work(void *arg, long n)
{
	int *fds = arg;
	char c = 0;

	for (long i = 0; i < 2 * n; i++) {
		if (write(fds[1], &c, 1) != 1)
			bench_die("write");
		if (read(fds[0], &c, 1) != 1)
			bench_die("read");
	}
}

int main(void)
{
	struct bench_pingpong pp;
	double round_trip, work, sw;
	int fds[2];

	bench_init("context_switch", "us");
	if (pipe(fds) != 0)
		bench_die("pipe");
	work = bench_seconds_per_op_share(pipe_work, fds, 0.4);
	bench_pingpong_start(&pp);
	round_trip = bench_seconds_per_op_share(bench_pingpong_run, &pp, 0.6);
	bench_pingpong_stop(&pp);
	sw = (round_trip - work) / 2;
	bench_report((sw > 0 ? sw : 0) * 1e6);
	return 0;
}
