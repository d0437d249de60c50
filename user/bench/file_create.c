/*
 * file_create — the life of a small file: create it (open with O_CREAT),
 * write 4 KiB, close it and unlink it, in the current directory (a tmpfs).
 * Allocates and frees an inode, a directory entry and a page of data.
 * Files per second.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define NAME	"bench-create.tmp"
#define SIZE	4096	/* bytes written to each file */

static char data[SIZE];

static void op(void *arg, long n)
{
	(void)arg;
	for (long i = 0; i < n; i++) {
		int fd = open(NAME, O_CREAT | O_EXCL | O_WRONLY, 0644);

		if (fd < 0)
			bench_die("create " NAME);
		if (write(fd, data, SIZE) != SIZE)
			bench_die("write");
		if (close(fd) != 0)
			bench_die("close");
		if (unlink(NAME) != 0)
			bench_die("unlink " NAME);
	}
}

int main(void)
{
	bench_init("file_create", "ops/s");
	memset(data, 'k', sizeof(data));
	unlink(NAME);
	bench_report(1 / bench_seconds_per_op(op, NULL));
	return 0;
}
