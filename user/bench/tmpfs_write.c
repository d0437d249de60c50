/*
 * tmpfs_write — sequential writes to a file in memory: create (or
 * truncate) a 64 MiB file in the current directory, a tmpfs, writing it
 * in 64 KiB write(2) calls.  Truncating frees the previous round's pages,
 * so every round allocates 16384 pages and copies 64 MiB into them.
 * MB/s (10^6 bytes per second).
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define NAME	"bench-tmpfs.tmp"
#define BLOCK	(64 * 1024)		/* bytes per write(2) */
#define SIZE	(64L * 1024 * 1024)	/* bytes per file */

static char buf[BLOCK];

static void op(void *arg, long n)
{
	(void)arg;
	for (long i = 0; i < n; i++) {
		int fd = open(NAME, O_CREAT | O_TRUNC | O_WRONLY, 0644);

		if (fd < 0)
			bench_die("open " NAME);
		for (long done = 0; done < SIZE; done += BLOCK)
			if (write(fd, buf, BLOCK) != BLOCK)
				bench_die("write");
		if (close(fd) != 0)
			bench_die("close");
	}
}

int main(void)
{
	double t;

	bench_init("tmpfs_write", "MB/s");
	memset(buf, 'k', sizeof(buf));
	t = bench_seconds_per_op(op, NULL);
	unlink(NAME);
	bench_report(SIZE / t / 1e6);
	return 0;
}
