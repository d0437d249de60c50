/*
 * futex_wake — how soon a thread blocked in futex(2) runs after another
 * wakes it.  Two threads of one process on one CPU pass a turn back and
 * forth through a shared word: each stores the other's turn, calls
 * FUTEX_WAKE, then sleeps in FUTEX_WAIT until the turn comes back.  One
 * round trip is two wake-ups, each a futex system call pair and a switch.
 * Microseconds per wake-up (half a round trip).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

/* futex(2) operations, from Linux's include/uapi/linux/futex.h (musl has
 * no <linux/futex.h>). */
#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_PRIVATE_FLAG	128	/* the word is this process's alone */
#define FUTEX_WAIT_PRIVATE	(FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE	(FUTEX_WAKE | FUTEX_PRIVATE_FLAG)

enum { MAIN_TURN, THREAD_TURN };

static _Atomic int turn = MAIN_TURN;	/* whose turn it is */
static atomic_bool stop;		/* set by main to end the thread */

static void futex_wait(_Atomic int *word, int val)
{
	long r = syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL,
			 0);

	/* EAGAIN: the word had already changed; EINTR: a signal.  Both fine. */
	if (r != 0 && errno != EAGAIN && errno != EINTR)
		bench_die("futex(FUTEX_WAIT)");
}

static void futex_wake(_Atomic int *word)
{
	if (syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) < 0)
		bench_die("futex(FUTEX_WAKE)");
}

/* Hand the turn to @to, then sleep until it comes back to @me. */
static void pass(int me, int to)
{
	atomic_store(&turn, to);
	futex_wake(&turn);
	while (atomic_load(&turn) != me)
		futex_wait(&turn, to);
}

static void *partner(void *arg)
{
	(void)arg;
	while (atomic_load(&turn) != THREAD_TURN)
		futex_wait(&turn, MAIN_TURN);
	while (!atomic_load(&stop))
		pass(THREAD_TURN, MAIN_TURN);
	return NULL;
}

static void op(void *arg, long n)
{
	(void)arg;
	for (long i = 0; i < n; i++)
		pass(MAIN_TURN, THREAD_TURN);
}

int main(void)
{
	pthread_t t;
	double rt;
	int err;

	bench_init("futex_wake", "us");
	err = pthread_create(&t, NULL, partner, NULL);
	if (err) {
		errno = err;
		bench_die("pthread_create");
	}
	rt = bench_seconds_per_op(op, NULL);
	/* Give the partner its turn once more with stop set; it returns. */
	atomic_store(&stop, true);
	atomic_store(&turn, THREAD_TURN);
	futex_wake(&turn);
	err = pthread_join(t, NULL);
	if (err) {
		errno = err;
		bench_die("pthread_join");
	}
	bench_report(rt / 2 * 1e6);
	return 0;
}
