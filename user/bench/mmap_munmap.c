/*
 * mmap_munmap — the bookkeeping of an address space: mmap(2) 1 MiB of
 * private anonymous memory and munmap(2) it again, without touching it, so
 * no page is allocated: the cost of creating, finding and removing a
 * memory area.  Microseconds per mmap+munmap pair.
 */
#include <stddef.h>
#include <sys/mman.h>

#include "bench.h"

#define REGION	(1024L * 1024)	/* bytes */

static void op(void *arg, long n)
{
	(void)arg;
	for (long i = 0; i < n; i++) {
		void *p = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			bench_die("mmap");
		if (munmap(p, REGION) != 0)
			bench_die("munmap");
	}
}

int main(void)
{
	bench_init("mmap_munmap", "us");
	bench_report(bench_seconds_per_op(op, NULL) * 1e6);
	return 0;
}
