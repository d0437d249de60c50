/*
 * perms — owners, modes and times: chmod/fchmod/fchmodat, chown/lchown/
 * fchown/fchownat, umask, access/faccessat/faccessat2, utimensat; and
 * what a user who is not root may not do — read or write without the
 * permission bits (EACCES), search a directory without x (EACCES),
 * remove another's file in a sticky directory (EPERM), chmod or chown
 * another's file (EPERM), set explicit times on it (EPERM) or touch it
 * without write access (EACCES), make a device node, mount, chroot
 * (EPERM).  The rules are path_resolution(7) "Permission checking",
 * chmod(2), chown(2), access(2), utimensat(2).  The unprivileged part
 * runs in a child that becomes uid/gid 1000.
 */
#include <sys/mount.h>

#include "fstest.h"

#ifndef UTIME_NOW
#define UTIME_NOW	((1l << 30) - 1l)
#define UTIME_OMIT	((1l << 30) - 2l)
#endif

static void chmod_chown(struct ktap_ctx *ctx)
{
	char dir[64], f[256], l[256];
	struct stat st;
	int fd;

	fs_scratch(dir, "perms-ch");
	EXPECT_OK(ctx, fs_put(fs_at(f, dir, "f"), "x"));
	EXPECT_OK(ctx, chmod(f, 04751));
	EXPECT_OK(ctx, stat(f, &st));
	EXPECT_EQ(ctx, st.st_mode, S_IFREG | 04751);
	fd = open(f, O_RDONLY);
	EXPECT_OK(ctx, fchmod(fd, 0640));
	EXPECT_OK(ctx, fchmodat(AT_FDCWD, f, 0600, 0));
	EXPECT_OK(ctx, chown(f, 1000, 1000));
	EXPECT_OK(ctx, fstat(fd, &st));
	KT_EXPECT(ctx, st.st_uid == 1000 && st.st_gid == 1000 && st.st_mode == (S_IFREG | 0600));
	EXPECT_OK(ctx, fchown(fd, -1, 7));		/* -1: unchanged */
	EXPECT_OK(ctx, fstat(fd, &st));
	KT_EXPECT(ctx, st.st_uid == 1000 && st.st_gid == 7);
	EXPECT_OK(ctx, chmod(f, 06755));
	EXPECT_OK(ctx, chown(f, 0, 0));			/* drops set-user-ID and set-group-ID */
	EXPECT_OK(ctx, fstat(fd, &st));
	EXPECT_EQ(ctx, st.st_mode & 07777, 0755);
	EXPECT_OK(ctx, symlink("f", fs_at(l, dir, "l")));
	EXPECT_OK(ctx, lchown(l, 5, 5));
	EXPECT_OK(ctx, lstat(l, &st));
	EXPECT_EQ(ctx, st.st_uid, 5);
	EXPECT_OK(ctx, stat(l, &st));
	EXPECT_EQ(ctx, st.st_uid, 0);			/* the target kept its owner */
	EXPECT_OK(ctx, fchownat(AT_FDCWD, l, 6, 6, AT_SYMLINK_NOFOLLOW));
	EXPECT_ERRNO(ctx, fchownat(AT_FDCWD, l, 6, 6, 0x8), EINVAL);
	EXPECT_ERRNO(ctx, chmod(fs_at(l, dir, "none"), 0600), ENOENT);
	EXPECT_ERRNO(ctx, fchmod(99, 0600), EBADF);
	close(fd);
	fs_rm_rf(dir);
}

static void umask_and_access(struct ktap_ctx *ctx)
{
	char dir[64], f[256];
	struct stat st;
	mode_t old = umask(077);

	fs_scratch(dir, "perms-umask");
	EXPECT_EQ(ctx, umask(027), 077);
	EXPECT_OK(ctx, mkdir(fs_at(f, dir, "d"), 0777));
	EXPECT_OK(ctx, stat(f, &st));
	EXPECT_EQ(ctx, st.st_mode & 0777, 0750);
	close(open(fs_at(f, dir, "f"), O_CREAT | O_WRONLY, 0666));
	EXPECT_OK(ctx, stat(f, &st));
	EXPECT_EQ(ctx, st.st_mode & 0777, 0640);
	umask(old);
	EXPECT_OK(ctx, access(f, R_OK | W_OK));
	EXPECT_ERRNO(ctx, access(f, X_OK), EACCES);	/* even root needs an x bit */
	EXPECT_OK(ctx, access(dir, X_OK));
	EXPECT_OK(ctx, access(f, F_OK));
	EXPECT_ERRNO(ctx, access(fs_at(f, dir, "none"), F_OK), ENOENT);
	EXPECT_ERRNO(ctx, access(f, 0x10), EINVAL);
	EXPECT_OK(ctx, faccessat(AT_FDCWD, fs_at(f, dir, "f"), R_OK, AT_EACCESS));
	EXPECT_ERRNO(ctx, syscall(SYS_faccessat2, AT_FDCWD, f, R_OK, 0x1), EINVAL);
	EXPECT_OK(ctx, syscall(SYS_faccessat2, AT_FDCWD, f, R_OK, AT_SYMLINK_NOFOLLOW));
	fs_rm_rf(dir);
}

static void utimensat_cases(struct ktap_ctx *ctx)
{
	struct timespec ts[2] = { { 1000000000, 111 }, { 1200000000, 222 } };
	char dir[64], f[256];
	struct stat st;
	int fd;

	fs_scratch(dir, "perms-times");
	EXPECT_OK(ctx, fs_put(fs_at(f, dir, "f"), "x"));
	EXPECT_OK(ctx, utimensat(AT_FDCWD, f, ts, 0));
	EXPECT_OK(ctx, stat(f, &st));
	KT_EXPECT(ctx, st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 111);
	KT_EXPECT(ctx, st.st_mtim.tv_sec == 1200000000 && st.st_mtim.tv_nsec == 222);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_NOW;
	EXPECT_OK(ctx, utimensat(AT_FDCWD, f, ts, 0));
	EXPECT_OK(ctx, stat(f, &st));
	KT_EXPECT(ctx, st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec > 1500000000);
	fd = open(f, O_RDONLY);
	EXPECT_OK(ctx, futimens(fd, NULL));		/* both now */
	EXPECT_OK(ctx, fstat(fd, &st));
	KT_EXPECT(ctx, st.st_atim.tv_sec > 1500000000);
	close(fd);
	ts[0].tv_nsec = 1000000000;
	EXPECT_ERRNO(ctx, utimensat(AT_FDCWD, f, ts, 0), EINVAL);
	EXPECT_ERRNO(ctx, utimensat(AT_FDCWD, f, NULL, 0x8000), EINVAL);
	EXPECT_ERRNO(ctx, utimensat(AT_FDCWD, fs_at(f, dir, "none"), NULL, 0), ENOENT);
	fs_rm_rf(dir);
}

/* The unprivileged half, in a child that is uid 1000: 0 when all held,
 * else the number of the first check that did not. */
static int as_user(const char *dir)
{
	struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };
	char p[256];
	int fd, n = 0;

	if (setgid(1000) || setuid(1000))
		return 100;
#define CHECK(cond)	do { n++; if (!(cond)) return n; } while (0)
	CHECK(open(fs_at(p, dir, "secret"), O_RDONLY) < 0 && errno == EACCES);
	CHECK(open(fs_at(p, dir, "public"), O_WRONLY) < 0 && errno == EACCES);
	CHECK((fd = open(fs_at(p, dir, "public"), O_RDONLY)) >= 0);
	close(fd);
	CHECK(stat(fs_at(p, dir, "closed/x"), &(struct stat){ 0 }) < 0 && errno == EACCES);
	CHECK(access(fs_at(p, dir, "secret"), R_OK) < 0 && errno == EACCES);
	CHECK(access(fs_at(p, dir, "public"), R_OK) == 0);
	CHECK(unlink(fs_at(p, "/tmp", "perms-root-file")) < 0 && errno == EPERM);	/* sticky */
	CHECK(chmod(fs_at(p, dir, "public"), 0777) < 0 && errno == EPERM);
	CHECK(chown(fs_at(p, dir, "mine"), 0, 0) < 0 && errno == EPERM);
	CHECK(chown(fs_at(p, dir, "mine"), 1000, 1000) == 0);	/* no change: allowed */
	CHECK(chmod(fs_at(p, dir, "mine"), 0600) == 0);
	CHECK(utimensat(AT_FDCWD, fs_at(p, dir, "public"), ts, 0) < 0 && errno == EPERM);
	CHECK(utimensat(AT_FDCWD, fs_at(p, dir, "public"), NULL, 0) < 0 && errno == EACCES);
	CHECK(utimensat(AT_FDCWD, fs_at(p, dir, "writable"), NULL, 0) == 0);
	CHECK(mkdir("/kt-perm", 0755) < 0 && errno == EACCES);
	CHECK(mknod("/tmp/perms-dev", S_IFCHR | 0600, 0x103) < 0 && errno == EPERM);
	CHECK(mount("none", dir, "tmpfs", 0, NULL) < 0 && errno == EPERM);
	CHECK(chroot(dir) < 0 && errno == EPERM);
	CHECK(linkat(open(fs_at(p, dir, "public"), O_RDONLY), "", AT_FDCWD,
		     fs_at(p, dir, "l"), AT_EMPTY_PATH) < 0 && errno == ENOENT);
#undef CHECK
	return 0;
}

static void unprivileged(struct ktap_ctx *ctx)
{
	char dir[64], p[256];
	int status;
	pid_t pid;

	fs_scratch(dir, "perms-user");
	EXPECT_OK(ctx, fs_put(fs_at(p, dir, "secret"), "s"));
	EXPECT_OK(ctx, chmod(p, 0600));
	EXPECT_OK(ctx, fs_put(fs_at(p, dir, "public"), "p"));
	EXPECT_OK(ctx, fs_put(fs_at(p, dir, "writable"), "w"));
	EXPECT_OK(ctx, chmod(p, 0666));
	EXPECT_OK(ctx, fs_put(fs_at(p, dir, "mine"), "m"));
	EXPECT_OK(ctx, chown(p, 1000, 1000));
	EXPECT_OK(ctx, mkdir(fs_at(p, dir, "closed"), 0700));
	EXPECT_OK(ctx, fs_put("/tmp/perms-root-file", "r"));
	pid = fork();
	if (pid == 0)
		_exit(as_user(dir));
	waitpid(pid, &status, 0);
	KT_EXPECT(ctx, WIFEXITED(status));
	if (WEXITSTATUS(status))
		ktap_fail(ctx, __FILE__, __LINE__, "check %d of as_user() failed",
			  WEXITSTATUS(status));
	unlink("/tmp/perms-root-file");
	fs_rm_rf(dir);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(chmod_chown), KTAP_CASE(umask_and_access),
		KTAP_CASE(utimensat_cases), KTAP_CASE(unprivileged),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
