/*
 * machine — the calls busybox's hostname, renice, taskset, ionice and
 * dmesg make, with Linux's answers and errno values:
 *
 *   names      sethostname/setdomainname change what uname(2) reports
 *              (a name from the nonce), 64 bytes fit, 65 are EINVAL, a
 *              negative length EINVAL, a bad pointer EFAULT; not root: EPERM
 *   nice_values  setpriority/getpriority (20 - nice) for the process, its
 *              group and its user; clamping to -20 … 19; a child inherits
 *              its parent's nice value; EINVAL, ESRCH; not root: raising
 *              is allowed, lowering EACCES, another user's process EPERM
 *   affinity   sched_getaffinity returns 8 bytes with CPU 0 set; a short
 *              or misaligned size EINVAL; ESRCH; setaffinity refuses an
 *              empty mask (EINVAL); EFAULT
 *   ioprio     ioprio_get says 0 (class none) until ioprio_set sets one;
 *              inherited at fork; bad classes and levels EINVAL; the
 *              real-time class EPERM when not root
 *   syslog     SIZE_BUFFER, READ_ALL returns the log's newest whole lines
 *              ("<level>text", a line the test wrote to /dev/kmsg), CLEAR
 *              empties what READ_ALL returns, bad actions and buffers
 *              EINVAL/EFAULT, READ_ALL allowed and CLEAR EPERM when not
 *              root
 *
 * Sources: sethostname(2), getpriority(2), sched_setaffinity(2),
 * ioprio_set(2), syslog(2).
 */
#include <fcntl.h>
#include <sys/utsname.h>

#include "testlib.h"

#define NOBODY		65534
#define UTS_LEN		64	/* __NEW_UTS_LEN */

/* <sys/resource.h>'s PRIO_*; musl's headers have them, listed for clarity. */
#define W_PROCESS	0
#define W_PGRP		1
#define W_USER		2

/* Linux include/uapi/linux/ioprio.h */
#define IOPRIO_WHO_PROCESS	1
#define IOPRIO_PRIO_VALUE(class, data)	(((class) << 13) | (data))

/* Linux include/linux/syslog.h */
#define SYSLOG_READ_ALL		3
#define SYSLOG_CLEAR		5
#define SYSLOG_SIZE_BUFFER	10

/* The raw calls: the kernel's answers, not the C library's. */
static long getprio(int which, int who)
{
	return syscall(SYS_getpriority, which, who);
}

static long setprio(int which, int who, int nice)
{
	return syscall(SYS_setpriority, which, who, nice);
}

static long klog(int type, char *buf, long len)
{
	return syscall(SYS_syslog, type, buf, len);
}

/* Run @fn as the user nobody in a child; the child's status must be 0. */
static void as_nobody(struct ktap_ctx *ctx, void (*fn)(void *))
{
	int status = run_child(fn, NULL);

	KT_EXPECT(ctx, WIFEXITED(status));
	EXPECT_EQ(ctx, WEXITSTATUS(status), 0);
}

static void drop_to_nobody(void)
{
	if (setgid(NOBODY) || setuid(NOBODY))
		_exit(99);
}

/* --- names ------------------------------------------------------------------- */

static void names_unprivileged(void *arg)
{
	(void)arg;
	drop_to_nobody();
	errno = 0;
	if (syscall(SYS_sethostname, "x", 1L) != -1 || errno != EPERM)
		_exit(1);
	if (syscall(SYS_setdomainname, "x", 1L) != -1 || errno != EPERM)
		_exit(2);
}

static void names(struct ktap_ctx *ctx)
{
	char host[UTS_LEN + 2], dom[32], old[UTS_LEN + 1];
	struct utsname u;

	EXPECT_OK(ctx, uname(&u));
	snprintf(old, sizeof(old), "%s", u.nodename);
	snprintf(host, sizeof(host), "h%016llx", (unsigned long long)ktap_nonce());
	snprintf(dom, sizeof(dom), "d%llx.example", (unsigned long long)ktap_nonce());
	/* Not NUL-terminated: exactly len bytes are taken. */
	EXPECT_OK(ctx, syscall(SYS_sethostname, host, 9L));
	EXPECT_OK(ctx, syscall(SYS_setdomainname, dom, (long)strlen(dom)));
	EXPECT_OK(ctx, uname(&u));
	KT_EXPECT(ctx, strlen(u.nodename) == 9 && !strncmp(u.nodename, host, 9));
	KT_EXPECT(ctx, !strcmp(u.domainname, dom));
	KT_EXPECT(ctx, !strcmp(u.sysname, "Linux"));

	memset(host, 'a', sizeof(host));
	EXPECT_OK(ctx, syscall(SYS_sethostname, host, (long)UTS_LEN));
	EXPECT_OK(ctx, uname(&u));
	EXPECT_EQ(ctx, strlen(u.nodename), UTS_LEN);
	EXPECT_ERRNO(ctx, syscall(SYS_sethostname, host, (long)UTS_LEN + 1), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_sethostname, host, -1L), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_setdomainname, host, (long)UTS_LEN + 1), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_sethostname, BAD_KERNEL, 4L), EFAULT);
	EXPECT_ERRNO(ctx, syscall(SYS_setdomainname, BAD_UNMAPPED, 4L), EFAULT);
	/* A failed call changes nothing. */
	EXPECT_OK(ctx, uname(&u));
	EXPECT_EQ(ctx, strlen(u.nodename), UTS_LEN);
	as_nobody(ctx, names_unprivileged);
	EXPECT_OK(ctx, syscall(SYS_sethostname, old, (long)strlen(old)));
}

/* --- nice values ------------------------------------------------------------- */

static void nice_child(void *arg)
{
	(void)arg;
	/* The parent set nice 7 before forking. */
	_exit(getprio(W_PROCESS, 0) == 20 - 7 ? 0 : 1);
}

static void nice_unprivileged(void *arg)
{
	(void)arg;
	if (setprio(W_PROCESS, 0, 5))
		_exit(1);
	drop_to_nobody();
	/* Raising one's own nice value is always allowed … */
	if (setprio(W_PROCESS, 0, 10) || getprio(W_PROCESS, 0) != 10)
		_exit(2);
	/* … lowering it needs RLIMIT_NICE (0 by default): EACCES. */
	errno = 0;
	if (setprio(W_PROCESS, 0, 9) != -1 || errno != EACCES)
		_exit(3);
	/* init belongs to root: EPERM. */
	if (setprio(W_PROCESS, 1, 19) != -1 || errno != EPERM)
		_exit(4);
	if (getprio(W_PROCESS, 1) < 1)		/* reading is allowed */
		_exit(5);
}

static void nice_values(struct ktap_ctx *ctx)
{
	int status;

	EXPECT_OK(ctx, setprio(W_PROCESS, 0, 3));
	EXPECT_EQ(ctx, getprio(W_PROCESS, 0), 20 - 3);
	EXPECT_EQ(ctx, getprio(W_PROCESS, getpid()), 20 - 3);
	/* Out of range: clamped, not refused. */
	EXPECT_OK(ctx, setprio(W_PROCESS, 0, 100));
	EXPECT_EQ(ctx, getprio(W_PROCESS, 0), 20 - 19);
	EXPECT_OK(ctx, setprio(W_PROCESS, 0, -100));
	EXPECT_EQ(ctx, getprio(W_PROCESS, 0), 20 + 20);
	/* The group and the user: the highest priority among the members. */
	EXPECT_OK(ctx, setprio(W_PGRP, 0, 2));
	EXPECT_EQ(ctx, getprio(W_PGRP, 0), 20 - 2);
	EXPECT_OK(ctx, setprio(W_PROCESS, 0, 0));
	KT_EXPECT(ctx, getprio(W_USER, 0) >= 20);

	EXPECT_OK(ctx, setprio(W_PROCESS, 0, 7));
	status = run_child(nice_child, NULL);
	KT_EXPECT(ctx, WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_OK(ctx, setprio(W_PROCESS, 0, 0));

	EXPECT_ERRNO(ctx, getprio(3, 0), EINVAL);
	EXPECT_ERRNO(ctx, setprio(-1, 0, 0), EINVAL);
	EXPECT_ERRNO(ctx, getprio(W_PROCESS, 999999), ESRCH);
	EXPECT_ERRNO(ctx, setprio(W_PGRP, 999999, 0), ESRCH);
	EXPECT_ERRNO(ctx, getprio(W_USER, 4242), ESRCH);
	as_nobody(ctx, nice_unprivileged);
}

/* --- affinity ---------------------------------------------------------------- */

static void affinity(struct ktap_ctx *ctx)
{
	unsigned long mask[4] = { ~0UL, ~0UL, ~0UL, ~0UL }, one = 1, none = 0;

	EXPECT_EQ(ctx, syscall(SYS_sched_getaffinity, 0, sizeof(mask), mask), 8);
	KT_EXPECT(ctx, mask[0] & 1);
	EXPECT_EQ(ctx, mask[1], ~0UL);		/* beyond the returned size: untouched */
	EXPECT_EQ(ctx, syscall(SYS_sched_getaffinity, getpid(), 8, mask), 8);
	EXPECT_ERRNO(ctx, syscall(SYS_sched_getaffinity, 0, 4, mask), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_sched_getaffinity, 0, 12, mask), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_sched_getaffinity, 999999, 8, mask), ESRCH);
	EXPECT_ERRNO(ctx, syscall(SYS_sched_getaffinity, 0, 8, BAD_KERNEL), EFAULT);

	EXPECT_OK(ctx, syscall(SYS_sched_setaffinity, 0, sizeof(one), &one));
	EXPECT_ERRNO(ctx, syscall(SYS_sched_setaffinity, 0, sizeof(none), &none), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_sched_setaffinity, 999999, sizeof(one), &one), ESRCH);
	EXPECT_ERRNO(ctx, syscall(SYS_sched_setaffinity, 0, 8, BAD_UNMAPPED), EFAULT);
}

/* --- I/O priority ------------------------------------------------------------ */

static void ioprio_child(void *arg)
{
	(void)arg;
	if (syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0) != IOPRIO_PRIO_VALUE(2, 5))
		_exit(1);
	drop_to_nobody();
	errno = 0;
	if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(1, 0)) != -1 ||
	    errno != EPERM)
		_exit(2);
	if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(3, 0)))
		_exit(3);
}

static void ioprio(struct ktap_ctx *ctx)
{
	int status;

	EXPECT_EQ(ctx, syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0), 0);
	EXPECT_OK(ctx, syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(2, 5)));
	EXPECT_EQ(ctx, syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, getpid()),
		  IOPRIO_PRIO_VALUE(2, 5));
	status = run_child(ioprio_child, NULL);
	KT_EXPECT(ctx, WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_ERRNO(ctx, syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(2, 8)), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(0, 1)), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(5, 0)), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_ioprio_get, 9, 0), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 999999), ESRCH);
	EXPECT_OK(ctx, syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, 0));
}

/* --- syslog ------------------------------------------------------------------ */

static void syslog_unprivileged(void *arg)
{
	char buf[64];

	(void)arg;
	drop_to_nobody();
	if (klog(SYSLOG_READ_ALL, buf, sizeof(buf)) < 0)
		_exit(1);
	errno = 0;
	if (klog(SYSLOG_CLEAR, NULL, 0) != -1 || errno != EPERM)
		_exit(2);
}

static void syslog_(struct ktap_ctx *ctx)
{
	static char buf[1 << 17];
	char line[64];
	long size, n;
	int fd;

	size = klog(SYSLOG_SIZE_BUFFER, NULL, 0);
	KT_EXPECT(ctx, size > 0 && size <= (long)sizeof(buf));
	snprintf(line, sizeof(line), "<5>machine-test %016llx\n",
		 (unsigned long long)ktap_nonce());
	fd = open("/dev/kmsg", O_WRONLY);
	KT_EXPECT(ctx, fd >= 0);
	EXPECT_EQ(ctx, write(fd, line, strlen(line)), (long)strlen(line));
	close(fd);

	n = klog(SYSLOG_READ_ALL, buf, sizeof(buf) - 1);
	KT_EXPECT(ctx, n > 0);
	buf[n > 0 ? n : 0] = '\0';
	KT_EXPECT(ctx, strstr(buf, line) != NULL);
	KT_EXPECT(ctx, buf[0] == '<');		/* whole lines only */
	/* A small buffer gets the newest whole lines: ours is the last. */
	n = klog(SYSLOG_READ_ALL, buf, 200);
	KT_EXPECT(ctx, n > 0 && n <= 200);
	buf[n > 0 ? n : 0] = '\0';
	KT_EXPECT(ctx, n >= (long)strlen(line) &&
		       !strcmp(buf + n - strlen(line), line));

	EXPECT_OK(ctx, klog(SYSLOG_CLEAR, NULL, 0));
	EXPECT_EQ(ctx, klog(SYSLOG_READ_ALL, buf, sizeof(buf)), 0);
	EXPECT_EQ(ctx, klog(SYSLOG_READ_ALL, buf, 0), 0);
	EXPECT_ERRNO(ctx, klog(SYSLOG_READ_ALL, NULL, 10), EINVAL);
	EXPECT_ERRNO(ctx, klog(SYSLOG_READ_ALL, buf, -1), EINVAL);
	EXPECT_ERRNO(ctx, klog(SYSLOG_READ_ALL, BAD_KERNEL, 10), EFAULT);
	EXPECT_ERRNO(ctx, klog(42, buf, 10), EINVAL);
	as_nobody(ctx, syslog_unprivileged);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(names), KTAP_CASE(nice_values), KTAP_CASE(affinity),
		KTAP_CASE(ioprio), { "syslog", syslog_ },
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
