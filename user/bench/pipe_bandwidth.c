/*
 * pipe_bandwidth — how fast data flows through a pipe between two
 * processes: a child writes 64 KiB blocks as fast as it can, the parent
 * reads them in 64 KiB reads.  Every byte is copied twice (into the pipe's
 * buffer and out of it), and the two processes switch whenever the pipe
 * fills or empties.  MB/s (10^6 bytes per second) received by the parent.
 */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "bench.h"

#define BLOCK	(64 * 1024)	/* bytes per write and per read */

static char buf[BLOCK];

static void writer(int fd)
{
	/* End quietly (EPIPE) when the parent closes its end. */
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		ssize_t w = write(fd, buf, BLOCK);

		if (w < 0 && errno == EPIPE)
			_exit(0);
		if (w < 0 && errno != EINTR)
			bench_die("write (child)");
	}
}

/* Receive @n blocks of BLOCK bytes (reads may return less than asked). */
static void op(void *arg, long n)
{
	int fd = *(int *)arg;

	for (long left = n * (long)BLOCK; left > 0;) {
		ssize_t r = read(fd, buf, left < BLOCK ? left : BLOCK);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			bench_die("read");
		left -= r;
	}
}

int main(void)
{
	int fds[2];
	pid_t child;
	double t;

	bench_init("pipe_bandwidth", "MB/s");
	if (pipe(fds) != 0)
		bench_die("pipe");
	child = fork();
	if (child < 0)
		bench_die("fork");
	if (child == 0) {
		close(fds[0]);
		writer(fds[1]);
	}
	close(fds[1]);
	t = bench_seconds_per_op(op, &fds[0]);
	close(fds[0]);
	bench_wait(child);
	bench_report(BLOCK / t / 1e6);
	return 0;
}
