/*
 * robust — the kernel survives a fork bomb and a memory hog (lab 7).
 *
 *	fork_bomb     every process forks as fast as it can until fork fails;
 *	              fork must fail with EAGAIN (or ENOMEM), never crash the
 *	              kernel; when they all exit, fork works again and the
 *	              memory is back
 *	nproc_limit   a non-root process with RLIMIT_NPROC = N gets EAGAIN
 *	              after N processes of its user
 *	memory_hog    a child maps far more than the machine has and writes
 *	              it: the OOM killer kills it (SIGKILL) and says so; we,
 *	              smaller, live
 *	as_limit      RLIMIT_AS turns a large mmap into ENOMEM
 *
 * Counts travel through a MAP_SHARED page.
 */
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

#include "testlib.h"

#define MIB	(1UL << 20)

static volatile long *shared;	/* [0] forks, [1] EAGAIN, [2] ENOMEM, [3] other */

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Fork until it fails, in every process; then reap what we made. */
static void bomb(void *arg)
{
	int depth = 0;

	(void)arg;
	for (;;) {
		pid_t pid = fork();

		if (pid == 0) {
			if (++depth > 64)
				break;	/* keep the tree bushy, not a chain */
			continue;
		}
		if (pid > 0) {
			__atomic_add_fetch(&shared[0], 1, __ATOMIC_SEQ_CST);
			continue;
		}
		__atomic_add_fetch(&shared[errno == EAGAIN ? 1 : errno == ENOMEM ? 2 : 3],
				   1, __ATOMIC_SEQ_CST);
		break;
	}
	msleep(200);
	while (wait(NULL) > 0)
		;
}

static void fork_bomb(struct ktap_ctx *ctx)
{
	unsigned long long before = free_bytes();
	int status;

	for (int i = 0; i < 4; i++)
		shared[i] = 0;
	status = run_child(bomb, NULL);
	printf("# fork bomb: %ld forks, then %ld EAGAIN, %ld ENOMEM, %ld other errors\n",
	       shared[0], shared[1], shared[2], shared[3]);
	EXPECT_EQ(ctx, status, 0);
	KT_EXPECT(ctx, shared[0] >= 50);
	KT_EXPECT(ctx, shared[1] + shared[2] > 0);
	EXPECT_EQ(ctx, shared[3], 0);
	EXPECT_EQ(ctx, run_child((void (*)(void *))(void *)msleep, (void *)1), 0);
	KT_EXPECT(ctx, free_bytes() + 2 * MIB >= before);
}

static void nproc_child(void *arg)
{
	struct rlimit r = { 5, 5 };
	int made = 0;

	(void)arg;
	setrlimit(RLIMIT_NPROC, &r);
	if (setuid(1000))
		_exit(90);
	for (;;) {
		pid_t pid = fork();

		if (pid == 0) {
			msleep(300);
			_exit(0);
		}
		if (pid < 0)
			break;
		made++;
	}
	shared[4] = made;
	shared[5] = errno;
	while (wait(NULL) > 0)
		;
}

static void nproc_limit(struct ktap_ctx *ctx)
{
	EXPECT_EQ(ctx, run_child(nproc_child, NULL), 0);
	/* Five processes of uid 1000: itself and four children. */
	EXPECT_EQ(ctx, shared[4], 4);
	EXPECT_EQ(ctx, shared[5], EAGAIN);
}

static void hog(void *arg)
{
	size_t size = 4UL << 30;
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	(void)arg;
	if (p == MAP_FAILED)
		_exit(91);
	for (size_t off = 0; off < size; off += 4096)
		p[off] = 1;
	_exit(92);	/* it all fit: the machine is larger than 4 GiB */
}

static void memory_hog(struct ktap_ctx *ctx)
{
	unsigned long long before = free_bytes();
	int status = run_child(hog, NULL);

	KT_EXPECT(ctx, WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	KT_EXPECT(ctx, free_bytes() + 2 * MIB >= before);
	EXPECT_EQ(ctx, getpid(), 1);	/* and we are still here */
}

static void as_limit(struct ktap_ctx *ctx)
{
	struct rlimit old, r = { 64 * MIB, 64 * MIB };

	getrlimit(RLIMIT_AS, &old);
	EXPECT_OK(ctx, setrlimit(RLIMIT_AS, &r));
	EXPECT_ERRNO(ctx, mmap(NULL, 128 * MIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		     ENOMEM);
	EXPECT_OK(ctx, setrlimit(RLIMIT_AS, &old));
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(fork_bomb), KTAP_CASE(nproc_limit), KTAP_CASE(memory_hog),
		KTAP_CASE(as_limit),
	};

	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
