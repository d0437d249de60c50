/*
 * page_fault — demand paging of anonymous memory: mmap(2) 16 MiB of
 * private anonymous memory, write one byte to each of its 4096 pages (each
 * write faults: the kernel allocates a zeroed page and maps it), then
 * munmap(2) it.  Transparent huge pages are refused with madvise(2), so
 * that every page faults on Linux too.  Page faults per second, the
 * mmap and munmap included.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

#define REGION	(16L * 1024 * 1024)	/* bytes mapped per round */

static long page_size;

static void op(void *arg, long n)
{
	(void)arg;
	for (long i = 0; i < n; i++) {
		char *p = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			bench_die("mmap");
		(void)madvise(p, REGION, MADV_NOHUGEPAGE); /* best effort */
		for (long off = 0; off < REGION; off += page_size)
			((volatile char *)p)[off] = 1;
		if (munmap(p, REGION) != 0)
			bench_die("munmap");
	}
}

int main(void)
{
	bench_init("page_fault", "faults/s");
	page_size = sysconf(_SC_PAGESIZE);
	if (page_size <= 0)
		page_size = 4096;
	bench_report((REGION / page_size) / bench_seconds_per_op(op, NULL));
	return 0;
}
