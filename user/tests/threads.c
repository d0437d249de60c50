/*
 * threads — clone threads through musl's pthreads, thread-local storage,
 * futexes, and how a multi-threaded process ends (lab 7).
 *
 *	create_join      100 threads, each returning its own value
 *	mutex            8 threads × 20000 locked increments: no lost update
 *	condvar          producer and consumers through a condition variable
 *	tls              _Thread_local: each thread its own copy, initialized
 *	                 from the TLS image (PT_TLS), the FS base per thread
 *	ids              one pid, distinct tids (gettid)
 *	futex_*          the raw system call: wait/wake ping-pong races,
 *	                 EAGAIN on a changed word, ETIMEDOUT, bitsets, requeue
 *	exit_group       a non-main thread calls exit(): the whole process
 *	                 ends with that status (checked from a parent)
 *	main_exits_first the main thread ends with pthread_exit, the process
 *	                 lives until its last thread ends (in /exechelper)
 *	clone_flags      flag combinations Linux refuses are refused
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#include "testlib.h"

#define NTHREADS	100

/* futex(2) operations (Linux include/uapi/linux/futex.h; musl-gcc has no
 * kernel headers). */
#define FUTEX_WAIT			0
#define FUTEX_WAKE			1
#define FUTEX_CMP_REQUEUE		4
#define FUTEX_WAIT_BITSET		9
#define FUTEX_WAKE_BITSET		10
#define FUTEX_PRIVATE_FLAG		128
#define FUTEX_WAIT_PRIVATE		(FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE		(FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_CMP_REQUEUE_PRIVATE	(FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAIT_BITSET_PRIVATE	(FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_BITSET_PRIVATE	(FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG)

static long futex(volatile int *uaddr, int op, int val, const struct timespec *t,
		  volatile int *uaddr2, int val3)
{
	return syscall(SYS_futex, uaddr, op, val, t, uaddr2, val3);
}

/* pthread_create, failing the case (and saying so) when it fails: a
 * test must not then wait for a thread that does not exist. */
#define SPAWN(ctx, th, fn, arg)							\
	do {									\
		int e_ = pthread_create(th, NULL, fn, arg);			\
		if (e_) {							\
			ktap_fail(ctx, __FILE__, __LINE__,			\
				  "pthread_create: %s", strerror(e_));		\
			return;							\
		}								\
	} while (0)

static void *ret_arg(void *arg)
{
	return (void *)((long)arg * 3 + 1);
}

static void create_join(struct ktap_ctx *ctx)
{
	pthread_t th[NTHREADS];
	void *ret;

	for (long i = 0; i < NTHREADS; i++)
		SPAWN(ctx, &th[i], ret_arg, (void *)i);
	for (long i = 0; i < NTHREADS; i++) {
		EXPECT_EQ(ctx, pthread_join(th[i], &ret), 0);
		EXPECT_EQ(ctx, (long)ret, i * 3 + 1);
	}
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *add_many(void *arg)
{
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		if (i % 1000 == (long)arg)
			sched_yield();
	}
	return NULL;
}

static void mutex(struct ktap_ctx *ctx)
{
	pthread_t th[8];

	counter = 0;
	for (long i = 0; i < 8; i++)
		SPAWN(ctx, &th[i], add_many, (void *)i);
	for (int i = 0; i < 8; i++)
		pthread_join(th[i], NULL);
	EXPECT_EQ(ctx, counter, 8 * 20000);
}

static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int queue[16], q_head, q_tail, produced_sum;
static long consumed_sum;

static void *consume(void *arg)
{
	(void)arg;
	for (;;) {
		int v;

		pthread_mutex_lock(&lock);
		while (q_head == q_tail)
			pthread_cond_wait(&cond, &lock);
		v = queue[q_head++ % 16];
		pthread_cond_broadcast(&cond);
		pthread_mutex_unlock(&lock);
		if (v < 0)
			return NULL;
		__atomic_add_fetch(&consumed_sum, v, __ATOMIC_SEQ_CST);
	}
}

static void put(int v)
{
	pthread_mutex_lock(&lock);
	while (q_tail - q_head == 16)
		pthread_cond_wait(&cond, &lock);
	queue[q_tail++ % 16] = v;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

static void condvar(struct ktap_ctx *ctx)
{
	pthread_t th[3];

	consumed_sum = produced_sum = 0;
	for (int i = 0; i < 3; i++)
		SPAWN(ctx, &th[i], consume, NULL);
	for (int i = 1; i <= 5000; i++) {
		put(i % 97);
		produced_sum += i % 97;
	}
	for (int i = 0; i < 3; i++)
		put(-1);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	EXPECT_EQ(ctx, consumed_sum, produced_sum);
}

static _Thread_local long tls_var = 0x1234;
static _Thread_local char tls_zero[64];

static void *tls_thread(void *arg)
{
	long ok = tls_var == 0x1234 && tls_zero[63] == 0;

	tls_var = (long)arg;
	tls_zero[63] = 1;
	for (int i = 0; i < 100; i++)
		sched_yield();	/* others run and write their own copies */
	return (void *)(long)(ok && tls_var == (long)arg);
}

static void tls(struct ktap_ctx *ctx)
{
	pthread_t th[10];
	void *ok;

	for (long i = 0; i < 10; i++)
		SPAWN(ctx, &th[i], tls_thread, (void *)(i + 100));
	for (int i = 0; i < 10; i++) {
		pthread_join(th[i], &ok);
		EXPECT_EQ(ctx, (long)ok, 1);
	}
	EXPECT_EQ(ctx, tls_var, 0x1234);	/* ours is untouched */
}

static void *tid_of(void *arg)
{
	long *out = arg;

	out[0] = syscall(SYS_gettid);
	out[1] = getpid();
	return NULL;
}

static void ids(struct ktap_ctx *ctx)
{
	long got[2];
	pthread_t th;

	SPAWN(ctx, &th, tid_of, got);
	pthread_join(th, NULL);
	EXPECT_EQ(ctx, got[1], getpid());
	KT_EXPECT(ctx, got[0] != getpid() && got[0] > 0);
}

/* Two threads pass a token back and forth through one futex word. */
static volatile int token;

static void *pong(void *arg)
{
	long rounds = (long)arg;

	for (long i = 0; i < rounds; i++) {
		while (__atomic_load_n(&token, __ATOMIC_SEQ_CST) != 1)
			futex(&token, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
		__atomic_store_n(&token, 0, __ATOMIC_SEQ_CST);
		futex(&token, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	}
	return NULL;
}

static void futex_pingpong(struct ktap_ctx *ctx)
{
	long rounds = 2000 + ktap_nonce() % 1000;
	pthread_t th;

	token = 0;
	SPAWN(ctx, &th, pong, (void *)rounds);
	for (long i = 0; i < rounds; i++) {
		while (__atomic_load_n(&token, __ATOMIC_SEQ_CST) != 0)
			futex(&token, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0);
		__atomic_store_n(&token, 1, __ATOMIC_SEQ_CST);
		futex(&token, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	}
	pthread_join(th, NULL);
	EXPECT_EQ(ctx, token, 0);
}

static void futex_errors(struct ktap_ctx *ctx)
{
	struct timespec ts = { 0, 20 * 1000000 }, a, b;
	static volatile int word = 5;

	EXPECT_ERRNO(ctx, futex(&word, FUTEX_WAIT, 6, NULL, NULL, 0), EAGAIN);
	clock_gettime(CLOCK_MONOTONIC, &a);
	EXPECT_ERRNO(ctx, futex(&word, FUTEX_WAIT, 5, &ts, NULL, 0), ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &b);
	KT_EXPECT(ctx, (b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec >= 20000000L);
	EXPECT_EQ(ctx, futex(&word, FUTEX_WAKE, 10, NULL, NULL, 0), 0);
	EXPECT_ERRNO(ctx, futex((volatile int *)((char *)&word + 1), FUTEX_WAKE, 1, NULL, NULL, 0),
		     EINVAL);
	EXPECT_ERRNO(ctx, futex(&word, FUTEX_WAIT_BITSET, 5, NULL, NULL, 0), EINVAL);
	EXPECT_ERRNO(ctx, futex(&word, 99, 0, NULL, NULL, 0), ENOSYS);
	EXPECT_ERRNO(ctx, futex(BAD_UNMAPPED, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);
}

static volatile int bitword, woke[3];

static void *bit_waiter(void *arg)
{
	long i = (long)arg;

	futex(&bitword, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 1 << i);
	woke[i] = 1;
	return NULL;
}

static void settle(void)
{
	struct timespec ts = { 0, 30 * 1000000 };

	nanosleep(&ts, NULL);
}

static void futex_bitset(struct ktap_ctx *ctx)
{
	pthread_t th[3];

	bitword = 0;
	for (long i = 0; i < 3; i++)
		SPAWN(ctx, &th[i], bit_waiter, (void *)i);
	settle();
	/* Only the waiter whose bit is in the mask wakes. */
	EXPECT_EQ(ctx, futex(&bitword, FUTEX_WAKE_BITSET_PRIVATE, 3, NULL, NULL, 1 << 1), 1);
	settle();
	KT_EXPECT(ctx, !woke[0] && woke[1] && !woke[2]);
	EXPECT_EQ(ctx, futex(&bitword, FUTEX_WAKE_PRIVATE, 3, NULL, NULL, 0), 2);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
}

static volatile int req_a, req_b, requeued_woken;

static void *req_waiter(void *arg)
{
	(void)arg;
	futex(&req_a, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	__atomic_add_fetch(&requeued_woken, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void futex_requeue(struct ktap_ctx *ctx)
{
	pthread_t th[4];

	req_a = req_b = requeued_woken = 0;
	for (int i = 0; i < 4; i++)
		SPAWN(ctx, &th[i], req_waiter, NULL);
	settle();
	/* Wake one, move the other three to req_b. */
	EXPECT_ERRNO(ctx, futex(&req_a, FUTEX_CMP_REQUEUE_PRIVATE, 1,
				(const struct timespec *)3L, &req_b, 7), EAGAIN);
	EXPECT_EQ(ctx, futex(&req_a, FUTEX_CMP_REQUEUE_PRIVATE, 1,
			     (const struct timespec *)3L, &req_b, 0), 4);
	settle();
	EXPECT_EQ(ctx, requeued_woken, 1);
	EXPECT_EQ(ctx, futex(&req_a, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0), 0);
	EXPECT_EQ(ctx, futex(&req_b, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0), 3);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	EXPECT_EQ(ctx, requeued_woken, 4);
}

static void *exit_from_thread(void *arg)
{
	(void)arg;
	settle();
	exit(43);	/* exit_group: the main thread dies too */
}

static void exit_group_child(void *arg)
{
	pthread_t th;

	(void)arg;
	if (pthread_create(&th, NULL, exit_from_thread, NULL))
		_exit(98);
	for (;;)
		pause();
}

static void exit_group(struct ktap_ctx *ctx)
{
	EXPECT_EQ(ctx, run_child(exit_group_child, NULL), 43 << 8);
}

/* The main thread ends first: exechelper's job (see there why it must be
 * a freshly exec'd program). */
static void main_exits_first(struct ktap_ctx *ctx)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl("/exechelper", "exechelper", "mainexit", (char *)NULL);
		_exit(99);
	}
	EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(ctx, status, 77 << 8);
}

static void clone_flags(struct ktap_ctx *ctx)
{
	EXPECT_ERRNO(ctx, syscall(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_clone, CLONE_NEWPID, 0, 0, 0, 0), EINVAL);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(create_join), KTAP_CASE(mutex), KTAP_CASE(condvar),
		KTAP_CASE(tls), KTAP_CASE(ids), KTAP_CASE(futex_pingpong),
		KTAP_CASE(futex_errors), KTAP_CASE(futex_bitset),
		KTAP_CASE(futex_requeue), KTAP_CASE(exit_group),
		KTAP_CASE(main_exits_first), KTAP_CASE(clone_flags),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
