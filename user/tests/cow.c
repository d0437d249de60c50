/*
 * cow — copy-on-write after fork, shared anonymous memory, and what each
 * costs in free memory (lab 7).
 *
 * "Page sharing counts" are checked from outside the kernel through free
 * memory (sysinfo): forking a process with 16 MiB of touched private
 * memory must not copy it (free memory drops by page tables and a few
 * pages, not by 16 MiB), writing all of it in the child must (it drops by
 * about 16 MiB), and the memory comes back when the child exits.
 * Isolation: after fork each side sees only its own writes, whichever
 * writes first; a MAP_SHARED mapping is one memory for both, even for
 * pages first touched after the fork.
 */
#include <sys/mman.h>
#include <sys/resource.h>

#include "testlib.h"

#define BIG	(16UL << 20)
#define MIB	(1UL << 20)

static volatile long *shared;	/* a MAP_SHARED page for results */

static void isolation(struct ktap_ctx *ctx)
{
	static volatile int value;
	int status;
	pid_t pid;

	value = 1;
	pid = fork();
	if (pid == 0) {
		value = 2;	/* the child writes first */
		shared[0] = value;
		_exit(0);
	}
	waitpid(pid, &status, 0);
	EXPECT_EQ(ctx, value, 1);
	EXPECT_EQ(ctx, shared[0], 2);
	pid = fork();
	if (pid == 0) {
		shared[0] = value;	/* written by the parent below, after fork */
		_exit(0);
	}
	value = 3;	/* the parent writes while the child may still run */
	waitpid(pid, &status, 0);
	EXPECT_EQ(ctx, shared[0], 1);
	EXPECT_EQ(ctx, value, 3);
}

static void sharing_counts(struct ktap_ctx *ctx)
{
	char *mem = mmap(NULL, BIG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long long before, child_start, child_wrote, after;
	int status;
	pid_t pid;

	KT_EXPECT(ctx, mem != MAP_FAILED);
	memset(mem, 0x5a, BIG);
	before = free_bytes();
	pid = fork();
	if (pid == 0) {
		shared[1] = free_bytes();
		for (unsigned long off = 0; off < BIG; off += 4096)
			mem[off] = 1;
		shared[2] = free_bytes();
		_exit(mem[BIG - 1] == 0x5a ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	after = free_bytes();
	child_start = shared[1];
	child_wrote = shared[2];
	printf("# free KiB: before fork %llu, child at start %llu, after writing 16 MiB %llu, after exit %llu\n",
	       before >> 10, child_start >> 10, child_wrote >> 10, after >> 10);
	EXPECT_EQ(ctx, status, 0);
	KT_EXPECT(ctx, before - child_start < 2 * MIB);	/* nothing copied */
	KT_EXPECT(ctx, child_start - child_wrote >= BIG - MIB);	/* copied on write */
	KT_EXPECT(ctx, after + MIB >= before);	/* and freed at exit */
	for (unsigned long off = 0; off < BIG; off += 4096)
		if (mem[off] != 0x5a) {
			ktap_fail(ctx, __FILE__, __LINE__, "the parent's page at +%lu changed", off);
			break;
		}
	munmap(mem, BIG);
}

/* The last sharer writes in place: a page whose other user exited is not
 * copied again (free memory does not drop). */
static void last_user_reuses(struct ktap_ctx *ctx)
{
	char *mem = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long long before;
	int status;
	pid_t pid;

	memset(mem, 1, 4 * MIB);
	pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, &status, 0);
	before = free_bytes();
	memset(mem, 2, 4 * MIB);	/* read-only since the fork, ours alone now */
	KT_EXPECT(ctx, before - free_bytes() < MIB / 2);
	munmap(mem, 4 * MIB);
}

static void shared_anon(struct ktap_ctx *ctx)
{
	volatile int *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	page[0] = 10;	/* touched before the fork */
	pid = fork();
	if (pid == 0) {
		page[0] = 11;
		page[1024] = 12;	/* the second page: first touched here */
		_exit(0);
	}
	waitpid(pid, &status, 0);
	EXPECT_EQ(ctx, page[0], 11);
	EXPECT_EQ(ctx, page[1024], 12);
	munmap((void *)page, 8192);
}

static void dontfork_child(void *arg)
{
	volatile char *p = arg;

	(void)*p;	/* not inherited: SIGSEGV */
}

static void dontfork(struct ktap_ctx *ctx)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status;

	*p = 1;
	EXPECT_OK(ctx, madvise(p, 4096, MADV_DONTFORK));
	status = run_child(dontfork_child, p);
	KT_EXPECT(ctx, WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	EXPECT_EQ(ctx, *p, 1);
	munmap(p, 4096);
}

/* Reading never-written anonymous memory maps the zero page: no cost. */
static void zero_page(struct ktap_ctx *ctx)
{
	volatile char *p = mmap(NULL, 8 * MIB, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long long before = free_bytes();
	long sum = 0;

	for (unsigned long off = 0; off < 8 * MIB; off += 4096)
		sum += p[off];
	EXPECT_EQ(ctx, sum, 0);
	KT_EXPECT(ctx, before - free_bytes() < MIB / 2);	/* page tables only */
	p[4096] = 7;	/* then a write gets a real page */
	EXPECT_EQ(ctx, p[4096], 7);
	EXPECT_EQ(ctx, p[8192], 0);
	munmap((void *)p, 8 * MIB);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(isolation), KTAP_CASE(sharing_counts),
		KTAP_CASE(last_user_reuses), KTAP_CASE(shared_anon),
		KTAP_CASE(dontfork), KTAP_CASE(zero_page),
	};

	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return 1;
	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
