/*
 * bench.h — the common frame of the benchmark programs in user/bench/.
 *
 * Every benchmark is a static program that measures one figure and prints
 * exactly one line on stdout:
 *
 *	BENCH name=pipe_roundtrip unit=us value=41.250
 *
 * or, when a system call it needs fails, one line
 *
 *	BENCH-ERROR name=pipe_roundtrip pipe: Function not implemented
 *
 * and exits with status 1.  scripts/bench reads these lines from the serial
 * console of both kernels (docs/performance.md).
 *
 * Time is CLOCK_MONOTONIC.  A benchmark describes its operation as a
 * function that performs it @n times; bench_seconds_per_op() warms it up
 * (caches, TLB, lazily built kernel structures) while doubling @n until one
 * batch lasts a quarter of a second, then runs one batch sized from that to
 * last BENCH_TIME seconds (an environment variable, default 1.5).  The
 * iteration count is therefore chosen by time, never fixed: the same
 * program lasts 1-3 s on a fast Linux and on a slow Kestrel.  Benchmarks
 * whose operation is inherently one long transfer (tmpfs) use the same
 * machinery with a large operation.
 *
 * Every benchmark process is pinned to CPU 0 (children inherit it), so
 * that ping-pong figures measure switches on one CPU however many the
 * guest has; a kernel without sched_setaffinity is not an error.
 */
#ifndef KESTREL_USER_BENCH_H
#define KESTREL_USER_BENCH_H

#include <sys/types.h>

/** bench_init - name the figure (@name, @unit) and set up the process. */
void bench_init(const char *name, const char *unit);

/** bench_now - CLOCK_MONOTONIC in seconds. */
double bench_now(void);

/** bench_target - how long a measured batch should last, in seconds. */
double bench_target(void);

/**
 * bench_seconds_per_op - warm up, then time @op(@arg, n) for a calibrated
 * n.  Returns the mean time of one operation, in seconds.
 */
double bench_seconds_per_op(void (*op)(void *arg, long n), void *arg);

/**
 * bench_seconds_per_op_share - the same, for a program that makes several
 * measurements: this one gets @share (0 < @share <= 1) of the time.
 */
double bench_seconds_per_op_share(void (*op)(void *arg, long n), void *arg,
				  double share);

/** bench_report - print the BENCH line with @value in the figure's unit. */
void bench_report(double value);

/**
 * bench_die - print a BENCH-ERROR line naming @what and errno, and exit 1.
 * Children of a benchmark use it too; their parent then fails on wait4.
 */
_Noreturn void bench_die(const char *what);

/** bench_fail - print a BENCH-ERROR line with a message, and exit 1. */
_Noreturn void bench_fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/**
 * struct bench_pingpong - a child process that echoes every byte it reads
 * on one pipe back on another: the partner of round-trip benchmarks.
 */
struct bench_pingpong {
	int to_child;		/* write end: parent -> child */
	int from_child;		/* read end: child -> parent */
	pid_t child;
};

/** bench_pingpong_start - fork the echoing child. */
void bench_pingpong_start(struct bench_pingpong *pp);

/**
 * bench_pingpong_run - @n round trips of one byte through the child; an
 * operation for bench_seconds_per_op() (@arg is the struct bench_pingpong).
 */
void bench_pingpong_run(void *arg, long n);

/** bench_pingpong_stop - close the pipes (the child sees EOF) and reap it. */
void bench_pingpong_stop(struct bench_pingpong *pp);

/** bench_wait - wait4 for @pid and check that it exited with status 0. */
void bench_wait(pid_t pid);

#endif /* KESTREL_USER_BENCH_H */
