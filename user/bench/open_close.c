/*
 * open_close — path lookup and file-descriptor bookkeeping: open(2) an
 * existing file two directories deep ("bench.d/sub/file", relative to the
 * current directory, which scripts/bench makes a tmpfs) read-only, then
 * close(2) it.  Operations (open+close pairs) per second.
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
	(void)arg;
	for (long i = 0; i < n; i++) {
		int fd = open(TARGET, O_RDONLY);

		if (fd < 0)
			bench_die("open " TARGET);
		close(fd);
	}
}

int main(void)
{
	int fd;
	double t;

	bench_init("open_close", "ops/s");
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
