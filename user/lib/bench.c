/*
 * bench.c — timing, calibration and reporting for user/bench/ (bench.h).
 */
#include "bench.h"
#include "line.h"

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WARMUP_SECONDS	0.25	/* the warm-up ends with a batch this long */
#define DEFAULT_TARGET	1.5	/* seconds of the measured batch */

static const char *bench_name = "unnamed";
static const char *bench_unit = "?";
static double target = DEFAULT_TARGET;

void bench_die(const char *what)
{
	bench_fail("%s: %s", what, strerror(errno));
}

void bench_fail(const char *fmt, ...)
{
	char why[160];
	va_list args;

	va_start(args, fmt);
	vsnprintf(why, sizeof(why), fmt, args);
	va_end(args);
	put_line("BENCH-ERROR name=%s %s", bench_name, why);
	_exit(1);
}

void bench_init(const char *name, const char *unit)
{
	const char *env = getenv("BENCH_TIME");
	cpu_set_t cpus;

	bench_name = name;
	bench_unit = unit;
	if (env && *env) {
		char *end;
		double t = strtod(env, &end);

		if (*end == '\0' && t >= 0.05 && t <= 60)
			target = t;
	}
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	(void)sched_setaffinity(0, sizeof(cpus), &cpus); /* best effort */
}

double bench_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		bench_die("clock_gettime(CLOCK_MONOTONIC)");
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double bench_target(void)
{
	return target;
}

static double timed(void (*op)(void *arg, long n), void *arg, long n)
{
	double start = bench_now();

	op(arg, n);
	return bench_now() - start;
}

double bench_seconds_per_op(void (*op)(void *arg, long n), void *arg)
{
	return bench_seconds_per_op_share(op, arg, 1.0);
}

double bench_seconds_per_op_share(void (*op)(void *arg, long n), void *arg,
				  double share)
{
	double goal = target * share;
	double warm = goal / 6 < WARMUP_SECONDS ? goal / 6 : WARMUP_SECONDS;
	long n = 1;
	double t;

	/*
	 * Warm up, doubling the batch until it lasts @warm: this runs the
	 * operation for about 2 * @warm in all and leaves a rate to size the
	 * measured batch (@goal seconds) from.
	 */
	for (;;) {
		t = timed(op, arg, n);
		if (t >= warm || n > (1L << 40))
			break;
		n *= 2;
	}
	n = (long)(n * (goal / (t > 1e-9 ? t : 1e-9))) + 1;
	t = timed(op, arg, n);
	return t / (double)n;
}

void bench_report(double value)
{
	put_line("BENCH name=%s unit=%s value=%.3f", bench_name, bench_unit, value);
}

void bench_wait(pid_t pid)
{
	int status;

	while (wait4(pid, &status, 0, NULL) < 0)
		if (errno != EINTR)
			bench_die("wait4");
	if (WIFSIGNALED(status))
		bench_fail("child killed by signal %d", WTERMSIG(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		bench_fail("child exited with status %d",
			   WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* --- the echoing partner ------------------------------------------------- */

static void read_full(int fd, char *buf, size_t len)
{
	while (len > 0) {
		ssize_t r = read(fd, buf, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			bench_die("read");
		if (r == 0)
			bench_fail("read: unexpected end of file");
		buf += r;
		len -= r;
	}
}

static void write_byte(int fd, char c)
{
	while (write(fd, &c, 1) != 1)
		if (errno != EINTR)
			bench_die("write");
}

void bench_pingpong_start(struct bench_pingpong *pp)
{
	int down[2], up[2];

	if (pipe(down) != 0 || pipe(up) != 0)
		bench_die("pipe");
	pp->child = fork();
	if (pp->child < 0)
		bench_die("fork");
	if (pp->child == 0) {
		char c;
		ssize_t r;

		close(down[1]);
		close(up[0]);
		/* Echo until the parent closes its end. */
		while ((r = read(down[0], &c, 1)) != 0) {
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				bench_die("read (child)");
			write_byte(up[1], c);
		}
		_exit(0);
	}
	close(down[0]);
	close(up[1]);
	pp->to_child = down[1];
	pp->from_child = up[0];
}

void bench_pingpong_run(void *arg, long n)
{
	struct bench_pingpong *pp = arg;
	char c;

	for (long i = 0; i < n; i++) {
		write_byte(pp->to_child, (char)i);
		read_full(pp->from_child, &c, 1);
	}
}

void bench_pingpong_stop(struct bench_pingpong *pp)
{
	close(pp->to_child);
	close(pp->from_child);
	bench_wait(pp->child);
}
