/*
 * fds — file descriptors: the lowest free one is always taken (open(2));
 * dup, dup2, dup3 and fcntl's F_DUPFD/F_DUPFD_CLOEXEC share the open
 * file and its offset; F_GETFD/F_SETFD, F_GETFL/F_SETFL; ioctl's
 * FIONREAD, FIONBIO, FIOCLEX, FIONCLEX; close-on-exec applied by execve;
 * the table is copied at fork (offsets still shared); RLIMIT_NOFILE
 * gives EMFILE; and every misuse has the errno of dup(2), fcntl(2) and
 * ioctl(2).  "fds check-cloexec A B" is the helper execve'd by the
 * cloexec case: it exits 0 when descriptor A is open and B is not.
 */
#include <sys/ioctl.h>
#include <sys/resource.h>

#include "fstest.h"

static void lowest_fd(struct ktap_ctx *ctx)
{
	int a = open("/dev/null", O_RDONLY), b = open("/dev/null", O_RDONLY);
	int c = open("/dev/null", O_RDONLY);

	EXPECT_EQ(ctx, b, a + 1);
	EXPECT_EQ(ctx, c, a + 2);
	close(a);
	close(b);
	EXPECT_EQ(ctx, open("/dev/null", O_RDONLY), a);
	EXPECT_EQ(ctx, dup(c), b);
	EXPECT_EQ(ctx, fcntl(c, F_DUPFD, 0), c + 1);
	EXPECT_EQ(ctx, fcntl(c, F_DUPFD, 100), 100);
	EXPECT_EQ(ctx, fcntl(c, F_DUPFD, 100), 101);
	close(a);
	close(b);
	close(c);
	close(c + 1);
	close(100);
	close(101);
}

static void dup_family(struct ktap_ctx *ctx)
{
	char dir[64], f[256], buf[8];
	int fd, d;

	fs_scratch(dir, "fds-dup");
	fd = open(fs_at(f, dir, "f"), O_CREAT | O_RDWR, 0644);
	EXPECT_EQ(ctx, write(fd, "abcdef", 6), 6);
	d = dup(fd);
	EXPECT_EQ(ctx, lseek(d, 1, SEEK_SET), 1);	/* one offset for both */
	EXPECT_EQ(ctx, read(fd, buf, 2), 2);
	KT_EXPECT(ctx, !memcmp(buf, "bc", 2));
	EXPECT_EQ(ctx, dup2(fd, 50), 50);
	EXPECT_EQ(ctx, lseek(50, 0, SEEK_CUR), 3);
	EXPECT_EQ(ctx, dup2(fd, fd), fd);		/* "does nothing" */
	EXPECT_ERRNO(ctx, dup2(99, 50), EBADF);
	EXPECT_EQ(ctx, lseek(50, 0, SEEK_CUR), 3);	/* 50 left as it was */
	EXPECT_ERRNO(ctx, dup2(fd, -1), EBADF);
	EXPECT_ERRNO(ctx, dup3(fd, fd, 0), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_dup3, fd, 51, 0x1234), EINVAL);
	EXPECT_EQ(ctx, dup3(fd, 51, O_CLOEXEC), 51);
	EXPECT_EQ(ctx, fcntl(51, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(ctx, fcntl(50, F_GETFD), 0);
	EXPECT_EQ(ctx, dup2(d, 50), 50);		/* closes the old 50 */
	EXPECT_ERRNO(ctx, dup(99), EBADF);
	close(50);
	close(51);
	close(d);
	close(fd);
	fs_rm_rf(dir);
}

static void fcntl_cases(struct ktap_ctx *ctx)
{
	int fd = open("/dev/null", O_RDWR | O_APPEND), d, p[2];

	EXPECT_EQ(ctx, fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK),
		  O_RDWR | O_APPEND);
	EXPECT_OK(ctx, fcntl(fd, F_SETFL, O_NONBLOCK | O_RDONLY | O_TRUNC));
	/* Only the status flags change; the access mode stays. */
	EXPECT_EQ(ctx, fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK),
		  O_RDWR | O_NONBLOCK);
	EXPECT_EQ(ctx, fcntl(fd, F_GETFD), 0);
	EXPECT_OK(ctx, fcntl(fd, F_SETFD, FD_CLOEXEC));
	EXPECT_EQ(ctx, fcntl(fd, F_GETFD), FD_CLOEXEC);
	d = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	KT_EXPECT(ctx, d >= 10);
	EXPECT_EQ(ctx, fcntl(d, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(ctx, fcntl(d, F_GETFL) & O_NONBLOCK, O_NONBLOCK);	/* shared */
	EXPECT_ERRNO(ctx, fcntl(fd, F_DUPFD, -1), EINVAL);
	EXPECT_ERRNO(ctx, fcntl(fd, 0x7777), EINVAL);
	EXPECT_ERRNO(ctx, fcntl(99, F_GETFD), EBADF);
	EXPECT_OK(ctx, pipe(p));
	EXPECT_EQ(ctx, fcntl(p[0], F_GETPIPE_SZ), 65536);
	EXPECT_EQ(ctx, fcntl(p[1], F_SETPIPE_SZ, 5000), 8192);	/* pages, power of two */
	EXPECT_EQ(ctx, fcntl(p[0], F_GETPIPE_SZ), 8192);
	EXPECT_ERRNO(ctx, fcntl(fd, F_GETPIPE_SZ), EBADF);
	close(p[0]);
	close(p[1]);
	close(d);
	close(fd);
}

static void ioctl_cases(struct ktap_ctx *ctx)
{
	int p[2], n = -1, on = 1;

	EXPECT_OK(ctx, pipe(p));
	EXPECT_OK(ctx, ioctl(p[0], FIONREAD, &n));
	EXPECT_EQ(ctx, n, 0);
	EXPECT_EQ(ctx, write(p[1], "12345", 5), 5);
	EXPECT_OK(ctx, ioctl(p[0], FIONREAD, &n));
	EXPECT_EQ(ctx, n, 5);
	EXPECT_OK(ctx, ioctl(p[0], FIOCLEX));
	EXPECT_EQ(ctx, fcntl(p[0], F_GETFD), FD_CLOEXEC);
	EXPECT_OK(ctx, ioctl(p[0], FIONCLEX));
	EXPECT_EQ(ctx, fcntl(p[0], F_GETFD), 0);
	EXPECT_OK(ctx, ioctl(p[0], FIONBIO, &on));
	EXPECT_EQ(ctx, fcntl(p[0], F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	on = 0;
	EXPECT_OK(ctx, ioctl(p[0], FIONBIO, &on));
	EXPECT_EQ(ctx, fcntl(p[0], F_GETFL) & O_NONBLOCK, 0);
	EXPECT_ERRNO(ctx, ioctl(p[0], TCGETS, &n), ENOTTY);	/* not a terminal */
	EXPECT_ERRNO(ctx, ioctl(p[0], FIONREAD, BAD_KERNEL), EFAULT);
	EXPECT_ERRNO(ctx, ioctl(99, FIONREAD, &n), EBADF);
	close(p[0]);
	close(p[1]);
}

/* exec ourselves in check mode: descriptor @open_fd must have survived,
 * @closed_fd must have been closed by close-on-exec. */
static void exec_check(void *arg)
{
	const int *fds = arg;
	char a[16], b[16];

	snprintf(a, sizeof(a), "%d", fds[0]);
	snprintf(b, sizeof(b), "%d", fds[1]);
	execl("/fds", "fds", "check-cloexec", a, b, (char *)NULL);
	_exit(99);
}

static void cloexec_exec(struct ktap_ctx *ctx)
{
	int fds[2];
	int status;

	fds[0] = open("/dev/null", O_RDONLY);
	fds[1] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	status = run_child(exec_check, fds);
	KT_EXPECT(ctx, WIFEXITED(status));
	EXPECT_EQ(ctx, WEXITSTATUS(status), 0);
	EXPECT_OK(ctx, fcntl(fds[1], F_SETFD, 0));	/* cleared: survives */
	EXPECT_OK(ctx, fcntl(fds[0], F_SETFD, FD_CLOEXEC));
	{
		int swapped[2] = { fds[1], fds[0] };

		status = run_child(exec_check, swapped);
	}
	EXPECT_EQ(ctx, WEXITSTATUS(status), 0);
	close(fds[0]);
	close(fds[1]);
}

/* fork copies the table; the copies share the open files' offsets. */
static void fork_sharing(struct ktap_ctx *ctx)
{
	char dir[64], f[256];
	int fd, status;
	pid_t pid;

	fs_scratch(dir, "fds-fork");
	fd = open(fs_at(f, dir, "f"), O_CREAT | O_RDWR, 0644);
	pid = fork();
	if (pid == 0) {
		if (write(fd, "child", 5) != 5)
			_exit(1);
		close(fd);		/* only the child's copy */
		_exit(0);
	}
	waitpid(pid, &status, 0);
	EXPECT_EQ(ctx, status, 0);
	EXPECT_EQ(ctx, lseek(fd, 0, SEEK_CUR), 5);	/* moved by the child */
	EXPECT_EQ(ctx, write(fd, "!", 1), 1);
	close(fd);
	fs_rm_rf(dir);
}

static void emfile(struct ktap_ctx *ctx)
{
	struct rlimit old, lim = { 16, 16 };
	int fd, last = -1, n = 0;

	EXPECT_OK(ctx, getrlimit(RLIMIT_NOFILE, &old));
	EXPECT_OK(ctx, setrlimit(RLIMIT_NOFILE, &lim));
	while ((fd = open("/dev/null", O_RDONLY)) >= 0) {
		last = fd;
		n++;
	}
	EXPECT_EQ(ctx, errno, EMFILE);
	EXPECT_EQ(ctx, last, 15);
	EXPECT_ERRNO(ctx, dup(0), EMFILE);
	EXPECT_ERRNO(ctx, dup2(0, 16), EBADF);
	EXPECT_ERRNO(ctx, fcntl(0, F_DUPFD, 16), EINVAL);
	EXPECT_ERRNO(ctx, pipe((int[2]){ 0, 0 }), EMFILE);
	for (fd = last; n > 0; fd--, n--)
		close(fd);
	EXPECT_OK(ctx, setrlimit(RLIMIT_NOFILE, &old));
	/* Far beyond the 64 slots a table starts with. */
	EXPECT_EQ(ctx, dup2(0, 1000), 1000);
	EXPECT_EQ(ctx, fcntl(0, F_DUPFD, 900), 900);
	close(1000);
	close(900);
}

/* Run @path (argv "x check-cloexec 0 99": fd 0 open, 99 not): its
 * exit status, or 100 + errno when execve itself failed. */
static int run_exec(const char *path)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl(path, "x", "check-cloexec", "0", "99", (char *)NULL);
		_exit(100 + errno);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* execve(2) finds programs in the file tree: a copy made in /tmp runs,
 * through a symlink too; the x bit, the type and noexec are checked. */
static void exec_vfs(struct ktap_ctx *ctx)
{
	char dir[64], exe[256], buf[4096];
	int in, out;
	ssize_t n;

	fs_scratch(dir, "fds-exec");
	in = open("/fds", O_RDONLY);
	out = open(fs_at(exe, dir, "copy"), O_CREAT | O_WRONLY, 0755);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			break;
	close(in);
	close(out);
	EXPECT_EQ(ctx, run_exec(exe), 0);
	EXPECT_OK(ctx, symlink("copy", fs_at(buf, dir, "link")));
	EXPECT_EQ(ctx, run_exec(buf), 0);
	EXPECT_OK(ctx, chmod(exe, 0644));
	EXPECT_EQ(ctx, run_exec(exe), 100 + EACCES);
	EXPECT_EQ(ctx, run_exec(dir), 100 + EACCES);
	EXPECT_EQ(ctx, run_exec("/dev/null"), 100 + EACCES);
	EXPECT_EQ(ctx, run_exec(fs_at(buf, dir, "none")), 100 + ENOENT);
	EXPECT_OK(ctx, fs_put(fs_at(buf, dir, "text"), "not a program\n"));
	EXPECT_OK(ctx, chmod(buf, 0755));
	EXPECT_EQ(ctx, run_exec(buf), 100 + ENOEXEC);
	fs_rm_rf(dir);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(lowest_fd), KTAP_CASE(dup_family), KTAP_CASE(fcntl_cases),
		KTAP_CASE(ioctl_cases), KTAP_CASE(cloexec_exec),
		KTAP_CASE(fork_sharing), KTAP_CASE(emfile), KTAP_CASE(exec_vfs),
	};

	if (argc == 4 && !strcmp(argv[1], "check-cloexec"))
		return !(fcntl(atoi(argv[2]), F_GETFD) >= 0 &&
			 fcntl(atoi(argv[3]), F_GETFD) < 0 && errno == EBADF);
	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
