/*
 * tmpfs_read — sequential reads from a file in memory: a 64 MiB file in
 * the current directory (a tmpfs), written once, then read from start to
 * end in 64 KiB read(2) calls, over and over: the copy out of the page
 * cache to user space.  MB/s (10^6 bytes per second).
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define NAME	"bench-tmpfs.tmp"
#define BLOCK	(64 * 1024)		/* bytes per read(2) */
#define SIZE	(64L * 1024 * 1024)	/* bytes per file */

static char buf[BLOCK];

static void op(void *arg, long n)
{
	int fd = *(int *)arg;

	for (long i = 0; i < n; i++) {
		if (lseek(fd, 0, SEEK_SET) != 0)
			bench_die("lseek");
		for (long done = 0; done < SIZE; done += BLOCK)
			if (read(fd, buf, BLOCK) != BLOCK)
				bench_die("read");
	}
}

int main(void)
{
	int fd;
	double t;

	bench_init("tmpfs_read", "MB/s");
	memset(buf, 'k', sizeof(buf));
	fd = open(NAME, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0)
		bench_die("open " NAME);
	for (long done = 0; done < SIZE; done += BLOCK)
		if (write(fd, buf, BLOCK) != BLOCK)
			bench_die("write");
	t = bench_seconds_per_op(op, &fd);
	close(fd);
	unlink(NAME);
	bench_report(SIZE / t / 1e6);
	return 0;
}
