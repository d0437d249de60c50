/*
 * pipes — pipes and FIFOs (pipe(7), fifo(7)) and the ways to wait for
 * files: poll, ppoll, select, pselect6, epoll (level- and edge-triggered,
 * one-shot), eventfd, timerfd.  The pipe cases check capacity (64 KiB),
 * that writes of at most PIPE_BUF bytes from several writers are never
 * interleaved, end of file when the last writer closes, EPIPE (and
 * SIGPIPE) when the last reader has, O_NONBLOCK's EAGAIN, and the
 * throughput of a 64 MiB transfer between two processes, printed as
 * "# pipe: 64 MiB in N ms (M MB/s)".
 */
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>

#include "fstest.h"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void pipe_basic(struct ktap_ctx *ctx)
{
	char buf[16];
	int p[2];
	pid_t pid;

	EXPECT_OK(ctx, pipe(p));
	EXPECT_EQ(ctx, write(p[1], "hello", 5), 5);
	EXPECT_EQ(ctx, read(p[0], buf, 2), 2);		/* takes what it asks */
	EXPECT_EQ(ctx, read(p[0], buf, 16), 3);		/* and does not wait for more */
	EXPECT_ERRNO(ctx, write(p[0], "x", 1), EBADF);
	EXPECT_ERRNO(ctx, read(p[1], buf, 1), EBADF);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		usleep(20000);
		if (write(p[1], "late", 4) != 4)
			_exit(1);
		_exit(0);		/* the last writer goes */
	}
	close(p[1]);
	EXPECT_EQ(ctx, read(p[0], buf, 16), 4);		/* waited for the child */
	EXPECT_EQ(ctx, read(p[0], buf, 16), 0);		/* end of file */
	waitpid(pid, NULL, 0);
	close(p[0]);
	EXPECT_ERRNO(ctx, pipe(BAD_KERNEL), EFAULT);
	EXPECT_ERRNO(ctx, pipe2(p, 0x1234), EINVAL);
}

static void pipe_epipe(struct ktap_ctx *ctx)
{
	int p[2], status;
	pid_t pid;

	EXPECT_OK(ctx, pipe(p));
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	EXPECT_ERRNO(ctx, write(p[1], "x", 1), EPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
	/* Without ignoring it, SIGPIPE kills the writer (pipe(7)). */
	EXPECT_OK(ctx, pipe(p));
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (write(p[1], "x", 1) < 0)
			_exit(3);
		_exit(2);
	}
	close(p[0]);
	close(p[1]);
	waitpid(pid, &status, 0);
	KT_EXPECT(ctx, WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);
}

static void pipe_nonblock(struct ktap_ctx *ctx)
{
	static char big[70000];
	char buf[8];
	int p[2];
	long n;

	EXPECT_OK(ctx, pipe2(p, O_NONBLOCK | O_CLOEXEC));
	EXPECT_EQ(ctx, fcntl(p[0], F_GETFD), FD_CLOEXEC);
	EXPECT_ERRNO(ctx, read(p[0], buf, 1), EAGAIN);
	n = write(p[1], big, sizeof(big));	/* fills it: 64 KiB */
	EXPECT_EQ(ctx, n, 65536);
	EXPECT_ERRNO(ctx, write(p[1], "x", 1), EAGAIN);
	EXPECT_EQ(ctx, read(p[0], big, 4095), 4095);
	EXPECT_ERRNO(ctx, write(p[1], big, 4096), EAGAIN);	/* atomic: all or none */
	EXPECT_EQ(ctx, write(p[1], big, 4095), 4095);
	close(p[1]);
	EXPECT_EQ(ctx, read(p[0], big, sizeof(big)), 65536);
	EXPECT_EQ(ctx, read(p[0], buf, 1), 0);		/* EOF beats EAGAIN */
	close(p[0]);
}

#define WRITERS	4
#define RECORDS	200

/* PIPE_BUF-sized records from four writers never interleave. */
static void pipe_atomic(struct ktap_ctx *ctx)
{
	static char rec[4096], got[4096];
	int p[2], w, i, bad = 0, count[WRITERS] = { 0 };

	EXPECT_OK(ctx, pipe(p));
	for (w = 0; w < WRITERS; w++) {
		if (fork() == 0) {
			close(p[0]);
			memset(rec, 'a' + w, sizeof(rec));
			for (i = 0; i < RECORDS; i++)
				if (write(p[1], rec, sizeof(rec)) != sizeof(rec))
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	for (i = 0; i < WRITERS * RECORDS; i++) {
		size_t have = 0;
		ssize_t n;

		while (have < sizeof(got) && (n = read(p[0], got + have, sizeof(got) - have)) > 0)
			have += n;
		if (have != sizeof(got) || got[0] < 'a' || got[0] >= 'a' + WRITERS) {
			bad++;
			break;
		}
		count[got[0] - 'a']++;
		for (size_t k = 1; k < sizeof(got); k++)
			if (got[k] != got[0]) {
				bad++;
				break;
			}
	}
	for (w = 0; w < WRITERS; w++)
		wait(NULL);
	EXPECT_EQ(ctx, bad, 0);
	for (w = 0; w < WRITERS; w++)
		EXPECT_EQ(ctx, count[w], RECORDS);
	close(p[0]);
}

/* 64 MiB from a child to the parent: bytes and order intact, and fast. */
static void pipe_throughput(struct ktap_ctx *ctx)
{
	static unsigned char buf[65536];
	long long total = 64LL << 20, got = 0, start;
	unsigned int sum = 0, want = 0;
	int p[2], status;
	ssize_t n;

	EXPECT_OK(ctx, pipe(p));
	start = now_ms();
	if (fork() == 0) {
		close(p[0]);
		for (long long off = 0; off < total; off += sizeof(buf)) {
			for (size_t i = 0; i < sizeof(buf); i += 4096)
				buf[i] = (unsigned char)((off + i) >> 12);
			if (write(p[1], buf, sizeof(buf)) != sizeof(buf))
				_exit(1);
		}
		_exit(0);
	}
	close(p[1]);
	while ((n = read(p[0], buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			if ((got + i) % 4096 == 0)
				sum += buf[i];
		got += n;
	}
	for (long long off = 0; off < total; off += 4096)
		want += (unsigned char)(off >> 12);
	wait(&status);
	EXPECT_EQ(ctx, got, total);
	EXPECT_EQ(ctx, sum, want);
	EXPECT_EQ(ctx, status, 0);
	printf("# pipe: 64 MiB in %lld ms (%lld MB/s)\n", now_ms() - start,
	       total / 1000 / (now_ms() - start + 1));
	fflush(stdout);
	close(p[0]);
}

static void fifo_open(struct ktap_ctx *ctx)
{
	char dir[64], f[256], buf[8];
	int r, w, status;
	pid_t pid;

	fs_scratch(dir, "pipes-fifo");
	EXPECT_OK(ctx, mkfifo(fs_at(f, dir, "fifo"), 0600));
	EXPECT_ERRNO(ctx, open(f, O_WRONLY | O_NONBLOCK), ENXIO);	/* no reader */
	r = open(f, O_RDONLY | O_NONBLOCK);		/* never waits */
	KT_EXPECT(ctx, r >= 0);
	w = open(f, O_WRONLY);				/* a reader exists now */
	EXPECT_EQ(ctx, write(w, "fifo", 4), 4);
	EXPECT_EQ(ctx, read(r, buf, 8), 4);
	close(w);
	close(r);
	pid = fork();			/* a blocking open waits for the other side */
	if (pid == 0) {
		int fd = open(f, O_WRONLY);

		_exit(fd >= 0 && write(fd, "x", 1) == 1 ? 0 : 1);
	}
	r = open(f, O_RDONLY);
	EXPECT_EQ(ctx, read(r, buf, 8), 1);
	waitpid(pid, &status, 0);
	EXPECT_EQ(ctx, status, 0);
	EXPECT_EQ(ctx, read(r, buf, 8), 0);
	close(r);
	fs_rm_rf(dir);
}

static void poll_cases(struct ktap_ctx *ctx)
{
	struct pollfd fds[3];
	long long t0;
	int p[2];

	EXPECT_OK(ctx, pipe(p));
	fds[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	fds[1] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	fds[2] = (struct pollfd){ .fd = 99, .events = POLLIN };
	EXPECT_EQ(ctx, poll(fds, 3, 0), 2);
	KT_EXPECT(ctx, fds[0].revents == 0 && fds[1].revents == POLLOUT &&
		  fds[2].revents == POLLNVAL);
	fds[1].fd = -1;		/* ignored */
	t0 = now_ms();
	EXPECT_EQ(ctx, poll(fds, 2, 100), 0);		/* times out */
	KT_EXPECT(ctx, now_ms() - t0 >= 100);
	if (fork() == 0) {
		usleep(30000);
		_exit(write(p[1], "w", 1) == 1 ? 0 : 1);
	}
	EXPECT_EQ(ctx, poll(fds, 1, 5000), 1);		/* woken by the child */
	EXPECT_EQ(ctx, fds[0].revents, POLLIN);
	wait(NULL);
	close(p[1]);
	EXPECT_EQ(ctx, poll(fds, 1, 0), 1);
	EXPECT_EQ(ctx, fds[0].revents, POLLIN | POLLHUP);	/* data, no writer */
	close(p[0]);
	EXPECT_OK(ctx, pipe(p));
	close(p[0]);
	fds[0] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	EXPECT_EQ(ctx, poll(fds, 1, 0), 1);
	EXPECT_EQ(ctx, fds[0].revents & POLLERR, POLLERR);	/* no reader */
	close(p[1]);
	EXPECT_ERRNO(ctx, poll(BAD_KERNEL, 1, 0), EFAULT);
}

static void select_cases(struct ktap_ctx *ctx)
{
	struct timeval tv = { 0, 50000 };
	struct timespec ts = { 0, 20000000 };
	fd_set r, w;
	int p[2];

	EXPECT_OK(ctx, pipe(p));
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	EXPECT_EQ(ctx, select(p[1] + 1, &r, &w, NULL, &tv), 1);
	KT_EXPECT(ctx, !FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w));
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv = (struct timeval){ 0, 50000 };
	/* The system call itself (musl passes a copy) writes the time left. */
	EXPECT_EQ(ctx, syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tv), 0);
	KT_EXPECT(ctx, tv.tv_sec == 0 && tv.tv_usec == 0);
	EXPECT_EQ(ctx, write(p[1], "x", 1), 1);
	FD_SET(p[0], &r);
	EXPECT_EQ(ctx, pselect(p[0] + 1, &r, NULL, NULL, &ts, NULL), 1);
	EXPECT_EQ(ctx, FD_ISSET(p[0], &r), 1);
	FD_ZERO(&r);
	FD_SET(60, &r);		/* not open (and inside the table's 64) */
	EXPECT_ERRNO(ctx, select(61, &r, NULL, NULL, NULL), EBADF);
	EXPECT_ERRNO(ctx, select(-1, NULL, NULL, NULL, NULL), EINVAL);
	tv.tv_usec = -1;
	EXPECT_ERRNO(ctx, select(1, NULL, NULL, NULL, &tv), EINVAL);
	ts.tv_nsec = 1000000000;
	EXPECT_ERRNO(ctx, ppoll(NULL, 0, &ts, NULL), EINVAL);
	ts = (struct timespec){ 0, 1000000 };
	EXPECT_EQ(ctx, ppoll(NULL, 0, &ts, NULL), 0);
	close(p[0]);
	close(p[1]);
}

static void epoll_cases(struct ktap_ctx *ctx)
{
	struct epoll_event ev, out[4];
	int ep = epoll_create1(EPOLL_CLOEXEC), p[2], fd;
	char c;

	KT_EXPECT(ctx, ep >= 0);
	EXPECT_EQ(ctx, fcntl(ep, F_GETFD), FD_CLOEXEC);
	EXPECT_OK(ctx, pipe(p));
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = 42 };
	EXPECT_OK(ctx, epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	EXPECT_ERRNO(ctx, epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST);
	EXPECT_EQ(ctx, epoll_wait(ep, out, 4, 0), 0);
	EXPECT_EQ(ctx, write(p[1], "ab", 2), 2);
	/* Level-triggered: reported while readable. */
	EXPECT_EQ(ctx, epoll_wait(ep, out, 4, 1000), 1);
	KT_EXPECT(ctx, out[0].events == EPOLLIN && out[0].data.u64 == 42);
	EXPECT_EQ(ctx, epoll_wait(ep, out, 4, 0), 1);
	EXPECT_EQ(ctx, read(p[0], &c, 1), 1);
	EXPECT_EQ(ctx, epoll_wait(ep, out, 4, 0), 1);
	EXPECT_EQ(ctx, read(p[0], &c, 1), 1);
	EXPECT_EQ(ctx, epoll_wait(ep, out, 4, 0), 0);
	/* Edge-triggered: once per change. */
	ev.events = EPOLLIN | EPOLLET;
	EXPECT_OK(ctx, epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
	EXPECT_EQ(ctx, write(p[1], "c", 1), 1);
	EXPECT_EQ(ctx, epoll_wait(ep, out, 4, 1000), 1);
	EXPECT_EQ(ctx, epoll_wait(ep, out, 4, 0), 0);
	EXPECT_EQ(ctx, write(p[1], "d", 1), 1);
	EXPECT_EQ(ctx, epoll_wait(ep, out, 4, 1000), 1);
	/* One-shot: disarmed after one report until EPOLL_CTL_MOD. */
	ev.events = EPOLLIN | EPOLLONESHOT;
	EXPECT_OK(ctx, epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
	EXPECT_EQ(ctx, epoll_wait(ep, out, 4, 1000), 1);
	EXPECT_EQ(ctx, epoll_wait(ep, out, 4, 0), 0);
	/* The write end: EPOLLOUT; after the reader closes, EPOLLERR. */
	ev = (struct epoll_event){ .events = EPOLLOUT, .data.u64 = 7 };
	EXPECT_OK(ctx, epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev));
	EXPECT_OK(ctx, epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	EXPECT_ERRNO(ctx, epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT);
	close(p[0]);			/* also leaves every epoll set */
	EXPECT_EQ(ctx, epoll_wait(ep, out, 4, 1000), 1);
	EXPECT_EQ(ctx, out[0].events & EPOLLERR, EPOLLERR);
	/* Errors of epoll_ctl(2) and epoll_wait(2). */
	fd = open("/dev/null", O_RDONLY);
	EXPECT_ERRNO(ctx, epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL);
	EXPECT_ERRNO(ctx, epoll_ctl(ep, 99, p[1], &ev), EINVAL);
	EXPECT_ERRNO(ctx, epoll_ctl(ep, EPOLL_CTL_MOD, 0, &ev), ENOENT);
	EXPECT_ERRNO(ctx, epoll_ctl(p[1], EPOLL_CTL_ADD, 0, &ev), EINVAL);	/* not epoll */
	EXPECT_ERRNO(ctx, epoll_ctl(ep, EPOLL_CTL_ADD, 99, &ev), EBADF);
	EXPECT_ERRNO(ctx, epoll_wait(ep, out, 0, 0), EINVAL);
	EXPECT_ERRNO(ctx, epoll_wait(p[1], out, 4, 0), EINVAL);
	EXPECT_ERRNO(ctx, epoll_create1(0x1234), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_epoll_create, 0), EINVAL);
	close(fd);
	close(p[1]);
	close(ep);
}

/* A regular file cannot be watched (epoll_ctl(2): EPERM). */
static void epoll_regular(struct ktap_ctx *ctx)
{
	struct epoll_event ev = { .events = EPOLLIN };
	char dir[64], f[256];
	int ep = epoll_create1(0), fd;

	fs_scratch(dir, "pipes-ep");
	EXPECT_OK(ctx, fs_put(fs_at(f, dir, "f"), "x"));
	fd = open(f, O_RDONLY);
	EXPECT_ERRNO(ctx, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), EPERM);
	close(fd);
	close(ep);
	fs_rm_rf(dir);
}

static void eventfd_cases(struct ktap_ctx *ctx)
{
	int fd = eventfd(3, EFD_NONBLOCK), sem = eventfd(2, EFD_SEMAPHORE);
	uint64_t v = 0;
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT };

	EXPECT_EQ(ctx, read(fd, &v, 8), 8);
	EXPECT_EQ(ctx, v, 3);
	EXPECT_ERRNO(ctx, read(fd, &v, 8), EAGAIN);
	EXPECT_EQ(ctx, poll(&pfd, 1, 0), 1);
	EXPECT_EQ(ctx, pfd.revents, POLLOUT);
	v = 5;
	EXPECT_EQ(ctx, write(fd, &v, 8), 8);
	EXPECT_EQ(ctx, write(fd, &v, 8), 8);
	EXPECT_EQ(ctx, read(fd, &v, 8), 8);
	EXPECT_EQ(ctx, v, 10);
	EXPECT_ERRNO(ctx, read(fd, &v, 4), EINVAL);
	v = ~0ULL;
	EXPECT_ERRNO(ctx, write(fd, &v, 8), EINVAL);
	v = ~0ULL - 1;
	EXPECT_EQ(ctx, write(fd, &v, 8), 8);
	v = 1;
	EXPECT_ERRNO(ctx, write(fd, &v, 8), EAGAIN);	/* would overflow */
	EXPECT_EQ(ctx, read(sem, &v, 8), 8);
	EXPECT_EQ(ctx, v, 1);				/* a semaphore takes one */
	EXPECT_EQ(ctx, read(sem, &v, 8), 8);
	EXPECT_ERRNO(ctx, eventfd(0, 0x1234), EINVAL);
	close(fd);
	close(sem);
}

static void timerfd_cases(struct ktap_ctx *ctx)
{
	struct itimerspec its = { { 0, 20000000 }, { 0, 30000000 } }, cur;
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	long long t0 = now_ms();
	uint64_t n = 0;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	KT_EXPECT(ctx, fd >= 0);
	EXPECT_ERRNO(ctx, read(fd, &n, 8), EAGAIN);
	EXPECT_OK(ctx, timerfd_settime(fd, 0, &its, NULL));
	EXPECT_OK(ctx, timerfd_gettime(fd, &cur));
	KT_EXPECT(ctx, cur.it_interval.tv_nsec == 20000000 && cur.it_value.tv_nsec > 0);
	EXPECT_EQ(ctx, poll(&pfd, 1, 2000), 1);		/* first expiry */
	KT_EXPECT(ctx, now_ms() - t0 >= 30);
	usleep(70000);					/* periodic: more expiries */
	EXPECT_EQ(ctx, read(fd, &n, 8), 8);
	KT_EXPECT(ctx, n >= 3);
	its = (struct itimerspec){ { 0, 0 }, { 0, 0 } };
	EXPECT_OK(ctx, timerfd_settime(fd, 0, &its, NULL));	/* disarm */
	EXPECT_OK(ctx, timerfd_gettime(fd, &cur));
	KT_EXPECT(ctx, cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
	EXPECT_ERRNO(ctx, timerfd_create(99, 0), EINVAL);
	its.it_value.tv_nsec = 2000000000;
	EXPECT_ERRNO(ctx, timerfd_settime(fd, 0, &its, NULL), EINVAL);
	close(fd);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(pipe_basic), KTAP_CASE(pipe_epipe), KTAP_CASE(pipe_nonblock),
		KTAP_CASE(pipe_atomic), KTAP_CASE(pipe_throughput), KTAP_CASE(fifo_open),
		KTAP_CASE(poll_cases), KTAP_CASE(select_cases), KTAP_CASE(epoll_cases),
		KTAP_CASE(epoll_regular), KTAP_CASE(eventfd_cases),
		KTAP_CASE(timerfd_cases),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
