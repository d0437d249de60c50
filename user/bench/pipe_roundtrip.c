/*
 * pipe_roundtrip — the latency of a pipe between two processes: the parent
 * writes one byte to a child, which writes it back on a second pipe.  Each
 * round trip is two writes, two reads, and two wake-ups each followed by a
 * switch to the woken process.  Microseconds per round trip.
 */
#include "bench.h"

int main(void)
{
	struct bench_pingpong pp;
	double t;

	bench_init("pipe_roundtrip", "us");
	bench_pingpong_start(&pp);
	t = bench_seconds_per_op(bench_pingpong_run, &pp);
	bench_pingpong_stop(&pp);
	bench_report(t * 1e6);
	return 0;
}
