/*
 * locks — advisory file locks (lab 8): fcntl(2) record locks (F_GETLK,
 * F_SETLK, F_SETLKW: per process, byte ranges, split and merge, released
 * by any close of the file and at exit, EAGAIN, EDEADLK, EINTR or a
 * restart under SA_RESTART), open file description locks (F_OFD_*),
 * flock(2), /proc/locks, and the errno of each bad request.  Run as init
 * by lab 8's grader (setlkw_signal by lab 9's: it needs signal delivery);
 * works in /tmp (tmpfs).
 *
 * A child that must be blocked in F_SETLKW or flock before its parent
 * goes on is waited for by its state in /proc/<pid>/stat (S), never by
 * time.
 */
#include <signal.h>
#include <sys/file.h>

#include "fstest.h"

static char dir[64], path[256];

/* A fresh file of 100 bytes in the case's scratch directory, opened with
 * @flags; -1 on failure. */
static int lock_file(const char *tag, int flags)
{
	int fd;

	fs_scratch(dir, tag);
	fs_at(path, dir, "f");
	if (fs_put(path, "0123456789012345678901234567890123456789012345678901234567890"
			 "123456789012345678901234567890123456789"))
		return -1;
	fd = open(path, flags);
	return fd;
}

static int setlk(int fd, int cmd, int type, int whence, long long start, long long len)
{
	struct flock fl = { .l_type = type, .l_whence = whence,
			    .l_start = start, .l_len = len };

	return fcntl(fd, cmd, &fl);
}

/* F_GETLK (or @cmd) for a write lock on [start, start+len); *@out the
 * answer. */
static int getlk(int fd, int cmd, long long start, long long len, struct flock *out)
{
	memset(out, 0, sizeof(*out));
	out->l_type = F_WRLCK;
	out->l_whence = SEEK_SET;
	out->l_start = start;
	out->l_len = len;
	return fcntl(fd, cmd, out);
}

static void wait_asleep(pid_t pid)
{
	while (!task_asleep(pid))
		usleep(5000);
}

/* Run @fn(@fd) in a child; its exit status (0: all it checked held). */
static int in_child(int (*fn)(int), int fd)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(fd));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static pid_t parent;

/* The child's view of the parent's write lock on bytes 10..19 and its
 * read lock from 50 to the end. */
static int see_parent(int fd)
{
	struct flock fl;

	if (getlk(fd, F_GETLK, 0, 15, &fl) || fl.l_type != F_WRLCK ||
	    fl.l_start != 10 || fl.l_len != 10 || fl.l_pid != parent || fl.l_whence != SEEK_SET)
		return 1;
	if (getlk(fd, F_GETLK, 20, 30, &fl) || fl.l_type != F_UNLCK)
		return 2;
	if (getlk(fd, F_GETLK, 1000, 1, &fl) || fl.l_type != F_RDLCK ||
	    fl.l_start != 50 || fl.l_len != 0 || fl.l_pid != parent)
		return 3;
	if (setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 60, 5))	/* readers share */
		return 4;
	if (setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 19, 1) != -1 || errno != EAGAIN)
		return 5;
	if (setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 20, -1) != -1 || errno != EAGAIN)
		return 6;	/* byte 19, by a negative length */
	if (setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 20, 30))
		return 7;	/* the free bytes between */
	return 0;
}

/* Locks of one process as another sees them: F_GETLK with the holder's
 * pid, EAGAIN on a conflict, readers sharing; one's own locks never
 * conflict. */
static void posix_basics(struct ktap_ctx *ctx)
{
	int fd = lock_file("locks-basic", O_RDWR);
	struct flock fl;

	parent = getpid();
	EXPECT_OK(ctx, setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 10));
	EXPECT_OK(ctx, lseek(fd, 40, SEEK_SET));
	EXPECT_OK(ctx, setlk(fd, F_SETLK, F_RDLCK, SEEK_CUR, 10, 0));
	EXPECT_OK(ctx, getlk(fd, F_GETLK, 0, 0, &fl));
	EXPECT_EQ(ctx, fl.l_type, F_UNLCK);		/* our own */
	EXPECT_EQ(ctx, in_child(see_parent, fd), 0);
	close(fd);
	fs_rm_rf(dir);
}

/* Bad requests and their errno (fcntl(2)). */
static void posix_errors(struct ktap_ctx *ctx)
{
	int rd = lock_file("locks-err", O_RDONLY), wr = open(path, O_WRONLY);
	int opath = open(path, O_PATH);
	struct flock fl;

	EXPECT_ERRNO(ctx, setlk(wr, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), EBADF);
	EXPECT_ERRNO(ctx, setlk(rd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), EBADF);
	EXPECT_ERRNO(ctx, setlk(rd, F_SETLK, 7, SEEK_SET, 0, 1), EINVAL);
	EXPECT_ERRNO(ctx, setlk(rd, F_SETLK, F_RDLCK, 9, 0, 1), EINVAL);
	EXPECT_ERRNO(ctx, setlk(rd, F_SETLK, F_RDLCK, SEEK_SET, -1, 1), EINVAL);
	EXPECT_ERRNO(ctx, setlk(rd, F_SETLK, F_RDLCK, SEEK_SET, 3, -4), EINVAL);
	EXPECT_ERRNO(ctx, setlk(rd, F_SETLK, F_RDLCK, SEEK_SET, 0x7fffffffffffffffLL, 2),
		     EOVERFLOW);
	EXPECT_ERRNO(ctx, setlk(opath, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), EBADF);
	EXPECT_ERRNO(ctx, setlk(999, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), EBADF);
	EXPECT_ERRNO(ctx, fcntl(rd, F_SETLK, BAD_UNMAPPED), EFAULT);
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_UNLCK;
	EXPECT_ERRNO(ctx, fcntl(rd, F_GETLK, &fl), EINVAL);
	fl.l_type = F_RDLCK;
	fl.l_pid = 1;
	EXPECT_ERRNO(ctx, fcntl(rd, F_OFD_SETLK, &fl), EINVAL);
	EXPECT_ERRNO(ctx, fcntl(rd, F_OFD_GETLK, &fl), EINVAL);
	EXPECT_OK(ctx, setlk(rd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));	/* nothing held */
	close(rd), close(wr), close(opath);
	fs_rm_rf(dir);
}

/* What a child sees after the parent's splits: 0..39 and 60..99 locked,
 * 40..59 free, 100.. read-locked. */
static int see_split(int fd)
{
	struct flock fl;

	if (getlk(fd, F_GETLK, 40, 20, &fl) || fl.l_type != F_UNLCK)
		return 1;
	if (getlk(fd, F_GETLK, 50, 0, &fl) || fl.l_type != F_WRLCK ||
	    fl.l_start != 60 || fl.l_len != 40)
		return 2;
	if (getlk(fd, F_GETLK, 0, 1, &fl) || fl.l_start != 0 || fl.l_len != 40)
		return 3;
	if (getlk(fd, F_GETLK, 100, 1, &fl) || fl.l_type != F_RDLCK ||
	    fl.l_start != 100 || fl.l_len != 50)
		return 4;	/* 100..119 and 120..149 merged */
	return 0;
}

/* An owner's ranges split on unlock and merge when they touch. */
static void split_merge(struct ktap_ctx *ctx)
{
	int fd = lock_file("locks-split", O_RDWR);

	EXPECT_OK(ctx, setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 100));
	EXPECT_OK(ctx, setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 40, 20));
	EXPECT_OK(ctx, setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 100, 20));
	EXPECT_OK(ctx, setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 120, 30));
	EXPECT_EQ(ctx, in_child(see_split, fd), 0);
	close(fd);
	fs_rm_rf(dir);
}

static int try_write_lock(int fd)
{
	return setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0) ? 1 : 0;
}

static int lock_and_exit(int fd)
{
	return setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0) ? 1 : 0;
}

/* Any close of the file by the process drops its POSIX locks, even of
 * another descriptor or a dup; so does exit. */
static void close_releases(struct ktap_ctx *ctx)
{
	int fd = lock_file("locks-close", O_RDWR), other, copy;

	EXPECT_OK(ctx, setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	EXPECT_EQ(ctx, in_child(try_write_lock, fd), 1);
	other = open(path, O_RDONLY);
	EXPECT_OK(ctx, close(other));
	EXPECT_EQ(ctx, in_child(try_write_lock, fd), 0);	/* gone */
	EXPECT_OK(ctx, setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	copy = dup(fd);
	EXPECT_OK(ctx, close(copy));
	EXPECT_EQ(ctx, in_child(try_write_lock, fd), 0);
	EXPECT_EQ(ctx, in_child(lock_and_exit, fd), 0);	/* exit drops it */
	EXPECT_OK(ctx, setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
	close(fd);
	fs_rm_rf(dir);
}

static int report_fd = -1;

/* F_SETLKW on the parent's lock; says 'l' on the pipe once granted. */
static int wait_for_lock(int fd)
{
	if (setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 10))
		return 1;
	return write(report_fd, "l", 1) == 1 ? 0 : 2;
}

/* A blocked F_SETLKW is granted when the holder unlocks, not before. */
static void setlkw_wakes(struct ktap_ctx *ctx)
{
	int fd = lock_file("locks-wait", O_RDWR), p[2], status;
	char c = 0;
	pid_t pid;

	EXPECT_OK(ctx, pipe(p));
	report_fd = p[1];
	EXPECT_OK(ctx, setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 5, 1));
	pid = fork();
	if (pid == 0)
		_exit(wait_for_lock(fd));
	wait_asleep(pid);
	EXPECT_OK(ctx, fcntl(p[0], F_SETFL, O_NONBLOCK));
	EXPECT_ERRNO(ctx, read(p[0], &c, 1), EAGAIN);	/* still waiting */
	EXPECT_OK(ctx, fcntl(p[0], F_SETFL, 0));
	EXPECT_OK(ctx, setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
	EXPECT_EQ(ctx, read(p[0], &c, 1), 1);
	EXPECT_EQ(ctx, c, 'l');
	EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(ctx, status, 0);
	close(p[0]), close(p[1]), close(fd);
	fs_rm_rf(dir);
}

/* Holds byte 1, then waits for byte 0 (the parent's). */
static int deadlock_child(int fd)
{
	if (setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1))
		return 1;
	if (write(report_fd, "1", 1) != 1)
		return 2;
	return setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1) ? 3 : 0;
}

/* Two processes each waiting for the other's lock: the second to wait
 * gets EDEADLK; the first is granted once the other gives up. */
static void deadlock(struct ktap_ctx *ctx)
{
	int fd = lock_file("locks-dead", O_RDWR), p[2], status;
	char c;
	pid_t pid;

	EXPECT_OK(ctx, pipe(p));
	report_fd = p[1];
	EXPECT_OK(ctx, setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	pid = fork();
	if (pid == 0)
		_exit(deadlock_child(fd));
	EXPECT_EQ(ctx, read(p[0], &c, 1), 1);
	wait_asleep(pid);
	EXPECT_ERRNO(ctx, setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1), EDEADLK);
	EXPECT_ERRNO(ctx, setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1), EAGAIN);
	EXPECT_OK(ctx, setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1));
	EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(ctx, status, 0);
	close(p[0]), close(p[1]), close(fd);
	fs_rm_rf(dir);
}

static void on_usr1(int sig)
{
	(void)sig;
	if (write(report_fd, "h", 1) != 1)
		_exit(9);
}

static int restart_flags;

/* F_SETLKW interrupted by SIGUSR1: EINTR without SA_RESTART; with it,
 * the wait goes on and ends when the lock is granted. */
static int interrupted_wait(int fd)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = restart_flags;
	sigaction(SIGUSR1, &sa, NULL);
	if (write(report_fd, "r", 1) != 1)
		return 1;
	if (setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1) == 0)
		return restart_flags ? 0 : 2;
	return !restart_flags && errno == EINTR ? 0 : 3;
}

static void setlkw_signal(struct ktap_ctx *ctx)
{
	int fd = lock_file("locks-intr", O_RDWR), p[2], status;
	char c;
	pid_t pid;

	EXPECT_OK(ctx, pipe(p));
	report_fd = p[1];
	for (restart_flags = 0; restart_flags <= SA_RESTART; restart_flags += SA_RESTART) {
		EXPECT_OK(ctx, setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
		pid = fork();
		if (pid == 0)
			_exit(interrupted_wait(fd));
		EXPECT_EQ(ctx, read(p[0], &c, 1), 1);	/* 'r': handler set */
		wait_asleep(pid);
		EXPECT_OK(ctx, kill(pid, SIGUSR1));
		EXPECT_EQ(ctx, read(p[0], &c, 1), 1);	/* 'h': handled */
		if (restart_flags) {
			wait_asleep(pid);		/* waiting again */
			EXPECT_OK(ctx, setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1));
		}
		EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
		EXPECT_EQ(ctx, status, 0);
		setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	}
	close(p[0]), close(p[1]), close(fd);
	fs_rm_rf(dir);
}

/* Open file description locks: another open of the same file in the
 * same process conflicts, a POSIX lock of the process too; F_OFD_GETLK
 * says l_pid -1; a close of another descriptor leaves them, the last
 * close of the description drops them. */
static void ofd_locks(struct ktap_ctx *ctx)
{
	int a = lock_file("locks-ofd", O_RDWR), b = open(path, O_RDWR), c, copy;
	struct flock fl;

	EXPECT_OK(ctx, setlk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	EXPECT_ERRNO(ctx, setlk(b, F_OFD_SETLK, F_RDLCK, SEEK_SET, 5, 1), EAGAIN);
	EXPECT_ERRNO(ctx, setlk(b, F_SETLK, F_RDLCK, SEEK_SET, 5, 1), EAGAIN);
	EXPECT_OK(ctx, getlk(b, F_OFD_GETLK, 0, 0, &fl));
	EXPECT_EQ(ctx, fl.l_type, F_WRLCK);
	EXPECT_EQ(ctx, fl.l_pid, -1);
	EXPECT_EQ(ctx, fl.l_len, 10);
	EXPECT_OK(ctx, getlk(a, F_OFD_GETLK, 0, 0, &fl));
	EXPECT_EQ(ctx, fl.l_type, F_UNLCK);		/* its own */
	c = open(path, O_RDONLY);
	close(c);					/* not a POSIX owner's close */
	EXPECT_ERRNO(ctx, setlk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1), EAGAIN);
	copy = dup(a);
	close(a);
	EXPECT_ERRNO(ctx, setlk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1), EAGAIN);
	close(copy);					/* the last reference */
	EXPECT_OK(ctx, setlk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	close(b);
	fs_rm_rf(dir);
}

static int flock_ex_blocking(int fd)
{
	int mine = open(path, O_RDONLY);

	(void)fd;
	if (flock(mine, LOCK_EX))
		return 1;
	return write(report_fd, "l", 1) == 1 ? 0 : 2;
}

/* flock(2): per open file description, shared or exclusive, EWOULDBLOCK
 * with LOCK_NB, conversion, dup shares it, the last close drops it, a
 * blocked LOCK_EX is granted by LOCK_UN; the errors. */
static void flock_cases(struct ktap_ctx *ctx)
{
	int a = lock_file("locks-flock", O_RDONLY), b = open(path, O_RDONLY), copy, p[2];
	int status;
	char c;
	pid_t pid;

	EXPECT_OK(ctx, flock(a, LOCK_SH));
	EXPECT_OK(ctx, flock(b, LOCK_SH | LOCK_NB));		/* shared */
	EXPECT_ERRNO(ctx, flock(a, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	EXPECT_OK(ctx, flock(b, LOCK_UN));
	EXPECT_OK(ctx, flock(a, LOCK_EX | LOCK_NB));		/* converted */
	EXPECT_ERRNO(ctx, flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	EXPECT_OK(ctx, setlk(b, F_SETLK, F_RDLCK, SEEK_SET, 0, 0));	/* another family */
	copy = dup(a);
	close(a);
	EXPECT_ERRNO(ctx, flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	EXPECT_OK(ctx, pipe(p));
	report_fd = p[1];
	pid = fork();
	if (pid == 0)
		_exit(flock_ex_blocking(-1));
	wait_asleep(pid);
	EXPECT_OK(ctx, flock(copy, LOCK_UN));
	EXPECT_EQ(ctx, read(p[0], &c, 1), 1);
	EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(ctx, status, 0);
	EXPECT_OK(ctx, flock(b, LOCK_EX | LOCK_NB));		/* the child's went at exit */
	EXPECT_ERRNO(ctx, flock(b, 0), EINVAL);
	EXPECT_ERRNO(ctx, flock(b, LOCK_SH | LOCK_EX), EINVAL);
	EXPECT_ERRNO(ctx, flock(999, LOCK_SH), EBADF);
	close(copy), close(b), close(p[0]), close(p[1]);
	fs_rm_rf(dir);
}

/* /proc/locks lists each kind in Linux's format. */
static void proc_locks(struct ktap_ctx *ctx)
{
	int fd = lock_file("locks-proc", O_RDWR), ofd = open(path, O_RDONLY);
	char buf[4096], want[160], dev[32];
	struct stat st;

	EXPECT_OK(ctx, fstat(fd, &st));
	snprintf(dev, sizeof(dev), "%02x:%02x:%lu", major(st.st_dev), minor(st.st_dev),
		 (unsigned long)st.st_ino);
	EXPECT_OK(ctx, setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 5));
	EXPECT_OK(ctx, setlk(ofd, F_OFD_SETLK, F_RDLCK, SEEK_SET, 20, 0));
	EXPECT_OK(ctx, flock(fd, LOCK_EX));
	KT_EXPECT(ctx, fs_get("/proc/locks", buf, sizeof(buf)) > 0);
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		printf("# /proc/locks: %s\n", line);
	fs_get("/proc/locks", buf, sizeof(buf));
	snprintf(want, sizeof(want), ": POSIX  ADVISORY  WRITE %d %s 10 14\n", getpid(), dev);
	KT_EXPECT(ctx, strstr(buf, want) != NULL);
	snprintf(want, sizeof(want), ": OFDLCK ADVISORY  READ  -1 %s 20 EOF\n", dev);
	KT_EXPECT(ctx, strstr(buf, want) != NULL);
	snprintf(want, sizeof(want), ": FLOCK  ADVISORY  WRITE %d %s 0 EOF\n", getpid(), dev);
	KT_EXPECT(ctx, strstr(buf, want) != NULL);
	KT_EXPECT(ctx, strncmp(buf, "1: ", 3) == 0);
	close(fd), close(ofd);
	EXPECT_EQ(ctx, fs_get("/proc/locks", buf, sizeof(buf)), 0);	/* all gone */
	fs_rm_rf(dir);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(posix_basics), KTAP_CASE(posix_errors), KTAP_CASE(split_merge),
		KTAP_CASE(close_releases), KTAP_CASE(setlkw_wakes), KTAP_CASE(deadlock),
		KTAP_CASE(setlkw_signal), KTAP_CASE(ofd_locks), KTAP_CASE(flock_cases),
		KTAP_CASE(proc_locks),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
