/*
 * stat — path lookup and copying a struct stat to user space: stat(2) of
 * an existing file two directories deep ("bench.d/sub/file", relative to
 * the current directory, a tmpfs).  Operations per second.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

#define DIR1	"bench.d"
#define DIR2	DIR1 "/sub"
#define TARGET	DIR2 "/file"

static void op(void *arg, long n)
{
	struct stat st;

	(void)arg;
	for (long i = 0; i < n; i++)
		if (stat(TARGET, &st) != 0)
			bench_die("stat " TARGET);
}

int main(void)
{
	int fd;
	double t;

	bench_init("stat", "ops/s");
	if ((mkdir(DIR1, 0755) != 0 && access(DIR1, F_OK) != 0) ||
	    (mkdir(DIR2, 0755) != 0 && access(DIR2, F_OK) != 0))
		bench_die("mkdir " DIR2);
	fd = open(TARGET, O_CREAT | O_WRONLY, 0644);
	if (fd < 0)
		bench_die("create " TARGET);
	close(fd);
	t = bench_seconds_per_op(op, NULL);
	unlink(TARGET);
	rmdir(DIR2);
	rmdir(DIR1);
	bench_report(1 / t);
	return 0;
}
