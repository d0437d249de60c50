/*
 * thread_create — thread start-up and teardown: pthread_create(3) a thread
 * that returns at once, and pthread_join(3) it.  Underneath (musl): mmap
 * of the thread's stack and TLS, clone(2) with CLONE_VM and the other
 * sharing flags, exit of the thread with a futex wake-up of the joiner
 * (CLONE_CHILD_CLEARTID), munmap.  Microseconds per create+join.
 */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>

#include "bench.h"

static void *thread_fn(void *arg)
{
	return arg;
}

static void op(void *arg, long n)
{
	(void)arg;
	for (long i = 0; i < n; i++) {
		pthread_t t;
		int err = pthread_create(&t, NULL, thread_fn, NULL);

		if (err) {
			errno = err;
			bench_die("pthread_create");
		}
		err = pthread_join(t, NULL);
		if (err) {
			errno = err;
			bench_die("pthread_join");
		}
	}
}

int main(void)
{
	bench_init("thread_create", "us");
	bench_report(bench_seconds_per_op(op, NULL) * 1e6);
	return 0;
}
