/*
 * tty — lab 9's terminal tests, on pseudo-terminals so that the console
 * stays out of it: termios round trips and errnos, canonical editing and
 * non-canonical MIN/TIME as a program sees them, job control (SIGTTIN,
 * SIGTTOU, tcsetpgrp's rules), pty life (locking, EIO, /dev/pts), and a
 * busybox shell driven through a pty master (echo, ^C to its foreground
 * job, SIGWINCH, SIGHUP when the master closes).  The grader
 * (grade/lab09.py) names the cases to run.
 *
 * Facts from termios(3), tcsetpgrp(3), ioctl_tty(2), pty(7),
 * posix_openpt(3), and POSIX 2017 §11.1 (General Terminal Interface).
 * A wait for output has a generous deadline (it is not a timed test:
 * only "never arrives" fails).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "testlib.h"

#define DEADLINE_MS	60000	/* for output that must come */

/* A pty pair: *@master and *@slave, the slave opened with @slave_flags. */
static int open_pair(struct ktap_ctx *ctx, int *master, int *slave,
		     int slave_flags)
{
	*master = posix_openpt(O_RDWR | O_NOCTTY);
	if (*master < 0) {
		ktap_fail(ctx, __FILE__, __LINE__, "posix_openpt: %s", strerror(errno));
		return -1;
	}
	if (grantpt(*master) || unlockpt(*master)) {
		ktap_fail(ctx, __FILE__, __LINE__, "grantpt/unlockpt: %s", strerror(errno));
		close(*master);
		return -1;
	}
	*slave = open(ptsname(*master), O_RDWR | slave_flags);
	if (*slave < 0) {
		ktap_fail(ctx, __FILE__, __LINE__, "open %s: %s", ptsname(*master),
			  strerror(errno));
		close(*master);
		return -1;
	}
	return 0;
}

/* Read @fd until @want appears in what was read (kept in @buf), or the
 * deadline passes; true if it appeared. */
static bool read_until(int fd, const char *want, char *buf, size_t size)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t len = 0;
	int waited = 0;
	ssize_t n;

	buf[0] = '\0';
	while (!strstr(buf, want) && waited < DEADLINE_MS) {
		if (poll(&p, 1, 500) <= 0) {
			waited += 500;
			continue;
		}
		n = read(fd, buf + len, size - 1 - len);
		if (n <= 0)
			break;
		len += n;
		buf[len] = '\0';
		if (len > size / 2) {	/* keep the tail */
			memmove(buf, buf + len - size / 4, size / 4 + 1);
			len = size / 4;
		}
	}
	return strstr(buf, want) != NULL;
}

#define EXPECT_OUTPUT(ctx, fd, want)						\
	do {									\
		static char b_[8192];						\
		if (!read_until(fd, want, b_, sizeof(b_)))			\
			ktap_fail(ctx, __FILE__, __LINE__,			\
				  "never saw \"%s\"; last output: \"%.200s\"",	\
				  want, b_);					\
	} while (0)

static void termios_roundtrip(struct ktap_ctx *ctx)
{
	struct termios t, u;
	int m, s;

	if (open_pair(ctx, &m, &s, O_NOCTTY))
		return;
	EXPECT_OK(ctx, tcgetattr(s, &t));
	/* a new slave has Linux's defaults (tty_std_termios) */
	EXPECT_EQ(ctx, t.c_lflag & (ISIG | ICANON | ECHO | ECHOE | IEXTEN),
		  ISIG | ICANON | ECHO | ECHOE | IEXTEN);
	EXPECT_EQ(ctx, t.c_iflag & ICRNL, ICRNL);
	EXPECT_EQ(ctx, t.c_oflag & (OPOST | ONLCR), OPOST | ONLCR);
	EXPECT_EQ(ctx, t.c_cc[VINTR], 3);
	EXPECT_EQ(ctx, t.c_cc[VERASE], 0177);
	EXPECT_EQ(ctx, t.c_cc[VEOF], 4);
	EXPECT_EQ(ctx, t.c_cc[VMIN], 1);
	/* a change reads back, from either side */
	t.c_lflag &= ~ECHO;
	t.c_cc[VERASE] = 'a' + ktap_nonce() % 26;
	t.c_cc[VTIME] = 1 + ktap_nonce() % 9;
	EXPECT_OK(ctx, tcsetattr(s, TCSAFLUSH, &t));
	EXPECT_OK(ctx, tcgetattr(m, &u));
	EXPECT_EQ(ctx, u.c_lflag, t.c_lflag);
	EXPECT_EQ(ctx, u.c_cc[VERASE], t.c_cc[VERASE]);
	EXPECT_EQ(ctx, u.c_cc[VTIME], t.c_cc[VTIME]);
	EXPECT_EQ(ctx, isatty(s), 1);
	close(s);
	close(m);
}

static void tty_errnos(struct ktap_ctx *ctx)
{
	struct termios t;
	int p[2], m, s, n, fd;
	pid_t pg;

	EXPECT_OK(ctx, pipe(p));
	EXPECT_ERRNO(ctx, tcgetattr(p[0], &t), ENOTTY);
	EXPECT_ERRNO(ctx, ioctl(p[0], TIOCGWINSZ, &t), ENOTTY);
	close(p[0]);
	close(p[1]);
	fd = open("/dev/null", O_RDWR);
	EXPECT_ERRNO(ctx, isatty(fd) ? 0 : -1, ENOTTY);
	close(fd);
	if (open_pair(ctx, &m, &s, O_NOCTTY))
		return;
	EXPECT_ERRNO(ctx, syscall(SYS_ioctl, s, TCGETS, BAD_KERNEL), EFAULT);
	EXPECT_ERRNO(ctx, syscall(SYS_ioctl, s, TCSETS, BAD_NULL), EFAULT);
	EXPECT_ERRNO(ctx, tcflow(s, 99), EINVAL);
	EXPECT_ERRNO(ctx, tcflush(s, 99), EINVAL);
	/* not our controlling terminal */
	EXPECT_ERRNO(ctx, tcgetpgrp(s), ENOTTY);
	pg = getpgrp();
	EXPECT_ERRNO(ctx, tcsetpgrp(s, pg), ENOTTY);
	EXPECT_ERRNO(ctx, tcgetsid(s), ENOTTY);
	EXPECT_ERRNO(ctx, ioctl(s, TIOCSTI, "x"), EPERM);
	EXPECT_ERRNO(ctx, ioctl(s, TIOCGPTN, &n), ENOTTY);	/* a slave */
	EXPECT_ERRNO(ctx, ioctl(s, TIOCNOTTY), ENOTTY);
	EXPECT_ERRNO(ctx, ioctl(s, 0x54ff, &n), ENOTTY);	/* unknown */
	/* pid 1's console is no controlling terminal (Linux's /dev/console) */
	EXPECT_ERRNO(ctx, open("/dev/tty", O_RDWR), ENXIO);
	EXPECT_OK(ctx, ioctl(s, FIONREAD, &n));
	EXPECT_EQ(ctx, n, 0);
	close(s);
	close(m);
}

/* What a canonical reader gets for @typed written to the master. */
static void canonical_pty(struct ktap_ctx *ctx)
{
	char buf[256];
	int m, s, n;
	static const char typed[] = "abx\177c\rfoo bar\027baz\nzz\025ok\n";

	if (open_pair(ctx, &m, &s, O_NOCTTY))
		return;
	EXPECT_EQ(ctx, write(m, typed, strlen(typed)), (long)strlen(typed));
	n = read(s, buf, sizeof(buf));
	EXPECT_EQ(ctx, n, 4);
	EXPECT_OK(ctx, n == 4 && !memcmp(buf, "abc\n", 4) ? 0 : -1);
	n = read(s, buf, sizeof(buf));
	EXPECT_OK(ctx, n == 8 && !memcmp(buf, "foo baz\n", 8) ? 0 : -1);
	n = read(s, buf, sizeof(buf));
	EXPECT_OK(ctx, n == 3 && !memcmp(buf, "ok\n", 3) ? 0 : -1);
	EXPECT_OUTPUT(ctx, m, "abx\b \bc\r\n");		/* the echo */
	/* VEOF at the start of a line: end of file */
	EXPECT_EQ(ctx, write(m, "\004", 1), 1);
	EXPECT_EQ(ctx, read(s, buf, sizeof(buf)), 0);
	/* output processing: "\n" reaches the master as "\r\n" */
	EXPECT_EQ(ctx, write(s, "out\n", 4), 4);
	EXPECT_OUTPUT(ctx, m, "out\r\n");
	close(s);
	close(m);
}

/* MIN and TIME, termios(3)'s four cases. */
static void noncanon_modes(struct ktap_ctx *ctx)
{
	struct termios t;
	char buf[16];
	int m, s;

	if (open_pair(ctx, &m, &s, O_NOCTTY))
		return;
	tcgetattr(s, &t);
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;		/* polling read: nothing there, 0 */
	EXPECT_OK(ctx, tcsetattr(s, TCSANOW, &t));
	EXPECT_EQ(ctx, read(s, buf, sizeof(buf)), 0);
	t.c_cc[VTIME] = 1;		/* 0.1 s for the first byte, then 0 */
	tcsetattr(s, TCSANOW, &t);
	EXPECT_EQ(ctx, read(s, buf, sizeof(buf)), 0);
	write(m, "q", 1);
	EXPECT_EQ(ctx, read(s, buf, sizeof(buf)), 1);
	t.c_cc[VMIN] = 3;
	t.c_cc[VTIME] = 0;		/* at least 3 */
	tcsetattr(s, TCSANOW, &t);
	write(m, "xyz", 3);
	EXPECT_EQ(ctx, read(s, buf, sizeof(buf)), 3);
	t.c_cc[VMIN] = 5;
	t.c_cc[VTIME] = 1;		/* inter-byte timer: 2 < 5 come back */
	tcsetattr(s, TCSANOW, &t);
	write(m, "ab", 2);
	EXPECT_EQ(ctx, read(s, buf, sizeof(buf)), 2);
	/* the line being typed when ICANON goes off becomes readable */
	t.c_lflag |= ICANON;
	tcsetattr(s, TCSANOW, &t);
	write(m, "half", 4);
	t.c_lflag &= ~ICANON;
	t.c_cc[VMIN] = 1;
	tcsetattr(s, TCSANOW, &t);
	EXPECT_EQ(ctx, read(s, buf, sizeof(buf)), 4);
	close(s);
	close(m);
}

/* --- job control ---------------------------------------------------------- */

/*
 * In a child: a new session whose controlling terminal is a new pty's
 * slave (opened without O_NOCTTY); run @fn with the slave and report its
 * verdict (NULL: passed) through a pipe.
 */
static void in_session(struct ktap_ctx *ctx, const char *(*fn)(int slave))
{
	char msg[256] = "";
	int m, s, p[2], status;
	const char *why;
	pid_t pid;

	if (open_pair(ctx, &m, &s, O_NOCTTY))
		return;
	close(s);
	pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		setsid();
		s = open(ptsname(m), O_RDWR);
		why = s < 0 ? "open slave failed" : fn(s);
		if (why)
			write(p[1], why, strlen(why));
		_exit(0);
	}
	close(p[1]);
	read(p[0], msg, sizeof(msg) - 1);
	waitpid(pid, &status, 0);
	if (msg[0])
		ktap_fail(ctx, __FILE__, __LINE__, "%s", msg);
	else if (!WIFEXITED(status))
		ktap_fail(ctx, __FILE__, __LINE__, "session child died (status %#x)", status);
	close(p[0]);
	close(m);
}

/* Fork a background job (its own group) that runs @fn; its wait status. */
static int background(int slave, int (*fn)(int slave))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		_exit(fn(slave));
	}
	setpgid(pid, pid);
	waitpid(pid, &status, WUNTRACED);
	if (WIFSTOPPED(status)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return status;
}

static int bg_read(int s)
{
	char c;

	return read(s, &c, 1) < 0 ? errno : 0;
}

static int bg_write(int s)
{
	return write(s, "bg\n", 3) < 0 ? errno : 0;
}

static int bg_setattr(int s)
{
	struct termios t;

	tcgetattr(s, &t);
	return tcsetattr(s, TCSANOW, &t) ? errno : 0;
}

static int bg_read_ignoring(int s)
{
	signal(SIGTTIN, SIG_IGN);
	return bg_read(s);
}

static int bg_tcsetpgrp(int s)
{
	signal(SIGTTOU, SIG_IGN);	/* then allowed, as shells do */
	return tcsetpgrp(s, getpgrp()) ? errno : 0;
}

static const char *job_control_checks(int s)
{
	struct termios t;
	int st;

	if (tcgetsid(s) != getpid())
		return "tcgetsid of the new controlling terminal is not our pid";
	if (tcgetpgrp(s) != getpgrp())
		return "the session leader's group is not the foreground group";
	st = background(s, bg_read);
	if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTTIN)
		return "a background read was not stopped by SIGTTIN";
	st = background(s, bg_write);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return "a background write without TOSTOP did not succeed";
	st = background(s, bg_setattr);
	if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTTOU)
		return "a background tcsetattr was not stopped by SIGTTOU";
	tcgetattr(s, &t);
	t.c_lflag |= TOSTOP;
	tcsetattr(s, TCSANOW, &t);
	st = background(s, bg_write);
	if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTTOU)
		return "a background write with TOSTOP was not stopped by SIGTTOU";
	st = background(s, bg_read_ignoring);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != EIO)
		return "a background read ignoring SIGTTIN did not fail with EIO";
	st = background(s, bg_tcsetpgrp);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return "tcsetpgrp from the background with SIGTTOU ignored failed";
	if (tcgetpgrp(s) == getpgrp())
		return "tcsetpgrp from the background did not change the foreground";
	/* We are in the background now, and our group is orphaned (our
	 * parent is init): SIGTTOU would stop us for good, so EIO, which
	 * TIOCSPGRP reports as ENOTTY.  Shells ignore SIGTTOU. */
	if (tcsetpgrp(s, getpgrp()) == 0 || errno != ENOTTY)
		return "tcsetpgrp from an orphaned background group is not ENOTTY";
	signal(SIGTTOU, SIG_IGN);
	if (tcsetpgrp(s, getpgrp()))
		return "tcsetpgrp back to the session leader's group failed";
	if (tcsetpgrp(s, -1) == 0 || errno != EINVAL)
		return "tcsetpgrp(-1) is not EINVAL";
	if (tcsetpgrp(s, 0x3ffffff0) == 0 || errno != ESRCH)
		return "tcsetpgrp of a group that does not exist is not ESRCH";
	if (tcsetpgrp(s, 1) == 0 || errno != EPERM)
		return "tcsetpgrp of another session's group (init's) is not EPERM";
	if (ioctl(s, TIOCSCTTY, 0))
		return "TIOCSCTTY on our own controlling terminal failed";
	return NULL;
}

static void job_control(struct ktap_ctx *ctx)
{
	in_session(ctx, job_control_checks);
}

/* --- ptys -------------------------------------------------------------------- */

static void pty_basics(struct ktap_ctx *ctx)
{
	char path[64], c;
	struct stat st;
	int m, s, n, lock;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0) {
		ktap_fail(ctx, __FILE__, __LINE__, "posix_openpt: %s", strerror(errno));
		return;
	}
	EXPECT_OK(ctx, ioctl(m, TIOCGPTN, &n));
	snprintf(path, sizeof(path), "/dev/pts/%d", n);
	EXPECT_EQ(ctx, strcmp(ptsname(m), path), 0);
	EXPECT_OK(ctx, stat(path, &st));
	EXPECT_EQ(ctx, S_ISCHR(st.st_mode), 1);
	EXPECT_EQ(ctx, major(st.st_rdev), 136);
	EXPECT_EQ(ctx, minor(st.st_rdev), n);
	EXPECT_OK(ctx, ioctl(m, TIOCGPTLCK, &lock));
	EXPECT_EQ(ctx, lock, 1);
	EXPECT_ERRNO(ctx, open(path, O_RDWR | O_NOCTTY), EIO);	/* locked */
	EXPECT_OK(ctx, unlockpt(m));
	s = open(path, O_RDWR | O_NOCTTY);
	EXPECT_OK(ctx, s);
	EXPECT_EQ(ctx, write(s, "x", 1), 1);
	EXPECT_EQ(ctx, read(m, &c, 1), 1);
	close(s);
	EXPECT_ERRNO(ctx, read(m, &c, 1), EIO);	/* the slave closed */
	close(m);
	EXPECT_ERRNO(ctx, stat(path, &st), ENOENT);
	/* /dev/pts is devpts */
	EXPECT_OK(ctx, stat("/dev/pts/ptmx", &st));
	EXPECT_EQ(ctx, major(st.st_rdev), 5);
}

/* The shell in a new session: stdin, stdout, stderr on the slave. */
static void exec_shell(int m, int parents_slave)
{
	int s;

	close(parents_slave);
	setsid();
	s = open(ptsname(m), O_RDWR);	/* our controlling terminal */
	dup2(s, 0);
	dup2(s, 1);
	dup2(s, 2);
	close(s);
	close(m);
	execl("/bin/busybox", "sh", "-i", (char *)NULL);
	_exit(127);
}

static void pty_shell(struct ktap_ctx *ctx)
{
	struct winsize ws = { .ws_row = 20 + ktap_nonce() % 30, .ws_col = 70 + ktap_nonce() % 50 };
	unsigned int k = 1000 + ktap_nonce() % 9000;
	char cmd[256], want[64];
	int m, s, status;
	pid_t pid;

	if (open_pair(ctx, &m, &s, O_NOCTTY))
		return;
	pid = fork();
	if (pid == 0)
		exec_shell(m, s);
	/* a command and its output; our slave stays open until then, or
	 * the master would read EIO before the shell opens its own */
	snprintf(cmd, sizeof(cmd), "echo sum-$((%u+1))\n", k);
	write(m, cmd, strlen(cmd));
	snprintf(want, sizeof(want), "sum-%u\r\n", k + 1);
	EXPECT_OUTPUT(ctx, m, want);
	close(s);
	/* ^C to the foreground job, not to the shell.  The markers are
	 * computed by the shell, so the echo of a command never matches. */
	snprintf(cmd, sizeof(cmd),
		 "sh -c 'trap \"echo int-$((%u*5)); exit 3\" INT; echo ready-$((%u*3)); "
		 "while :; do sleep 1; done'\n", k, k);
	write(m, cmd, strlen(cmd));
	snprintf(want, sizeof(want), "ready-%u", k * 3);
	EXPECT_OUTPUT(ctx, m, want);
	write(m, "\003", 1);
	snprintf(want, sizeof(want), "int-%u", k * 5);
	EXPECT_OUTPUT(ctx, m, want);
	write(m, "echo st-$((1+$?))\n", 18);
	EXPECT_OUTPUT(ctx, m, "st-4\r\n");
	/* a new window size: SIGWINCH to the foreground job */
	snprintf(cmd, sizeof(cmd),
		 "sh -c 'trap \"echo winch-\\$(stty size)\" WINCH; echo ready-$((%u*7)); "
		 "while :; do sleep 1; done'\n", k);
	write(m, cmd, strlen(cmd));
	snprintf(want, sizeof(want), "ready-%u", k * 7);
	EXPECT_OUTPUT(ctx, m, want);
	EXPECT_OK(ctx, ioctl(m, TIOCSWINSZ, &ws));
	snprintf(want, sizeof(want), "winch-%u %u", ws.ws_row, ws.ws_col);
	EXPECT_OUTPUT(ctx, m, want);
	write(m, "\003", 1);
	write(m, "echo back-$((1+$?))\n", 20);
	EXPECT_OUTPUT(ctx, m, "back-131\r\n");
	/* the master closes: the session leader gets SIGHUP */
	close(m);
	waitpid(pid, &status, 0);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGHUP)
		ktap_fail(ctx, __FILE__, __LINE__,
			  "the shell ended with status %#x, not killed by SIGHUP", status);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(termios_roundtrip),
		KTAP_CASE(tty_errnos),
		KTAP_CASE(canonical_pty),
		KTAP_CASE(noncanon_modes),
		KTAP_CASE(job_control),
		KTAP_CASE(pty_basics),
		KTAP_CASE(pty_shell),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
