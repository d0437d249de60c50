/*
 * tmpfile — open(2)'s O_TMPFILE and linkat(2) naming the file it made
 * (open(2), linkat(2)):
 *
 *   tmpfile_basic   a file with no name: regular, link count 0, the mode
 *                   asked for less the umask, read and written, not in
 *                   the directory's listing; on a tmpfs with nr_inodes=4
 *                   three fit, a fourth is ENOSPC, and closing one frees
 *                   its inode (the file is gone at its last close)
 *   tmpfile_errors  no write access, O_CREAT, O_PATH, __O_TMPFILE without
 *                   O_DIRECTORY: EINVAL; a file: ENOTDIR; missing: ENOENT;
 *                   procfs: EOPNOTSUPP; a read-only mount: EROFS; a
 *                   directory the user may not write: EACCES
 *   tmpfile_link    linkat(fd, "", dir, name, AT_EMPTY_PATH) and
 *                   linkat(AT_FDCWD, "/proc/self/fd/N", dir, name,
 *                   AT_SYMLINK_FOLLOW) name it (link count 1, the data
 *                   there, the file outlives its descriptor); with O_EXCL
 *                   both are ENOENT; AT_EMPTY_PATH is ENOENT for a user
 *                   who is not root; a file unlinked while open cannot be
 *                   linked back (ENOENT)
 */
#include <sys/mount.h>

#include "fstest.h"

#define NOBODY	65534

/* How many names directory @path lists, "." and ".." aside. */
static int count_names(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

static void tmpfile_basic(struct ktap_ctx *ctx)
{
	char dir[64], m[256], buf[64], link[256], fdpath[64];
	int fd, fds[3], i;
	struct stat st;
	ssize_t n;

	fs_scratch(dir, "tmpfile-basic");
	umask(022);
	fd = open(dir, O_TMPFILE | O_RDWR, 0666);
	KT_EXPECT(ctx, fd >= 0);
	EXPECT_OK(ctx, fstat(fd, &st));
	KT_EXPECT(ctx, S_ISREG(st.st_mode));
	EXPECT_EQ(ctx, st.st_mode & 07777, 0644);
	EXPECT_EQ(ctx, st.st_nlink, 0);
	EXPECT_EQ(ctx, write(fd, "unnamed", 7), 7);
	EXPECT_EQ(ctx, pread(fd, buf, sizeof(buf), 0), 7);
	KT_EXPECT(ctx, !memcmp(buf, "unnamed", 7));
	EXPECT_EQ(ctx, count_names(dir), 0);
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	n = readlink(fdpath, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	KT_EXPECT(ctx, !strncmp(link, dir, strlen(dir)) && strstr(link, "(deleted)"));
	close(fd);

	/* Three fit beside the root; the fourth does not; a close frees one. */
	EXPECT_OK(ctx, mkdir(fs_at(m, dir, "m"), 0755));
	EXPECT_OK(ctx, mount("tmpfs", m, "tmpfs", 0, "nr_inodes=4"));
	for (i = 0; i < 3; i++) {
		fds[i] = open(m, O_TMPFILE | O_WRONLY, 0600);
		KT_EXPECT(ctx, fds[i] >= 0);
	}
	EXPECT_ERRNO(ctx, open(m, O_TMPFILE | O_WRONLY, 0600), ENOSPC);
	close(fds[1]);
	fd = open(m, O_TMPFILE | O_WRONLY, 0600);
	KT_EXPECT(ctx, fd >= 0);
	EXPECT_ERRNO(ctx, umount(m), EBUSY);
	close(fd);
	close(fds[0]);
	close(fds[2]);
	EXPECT_OK(ctx, umount(m));
	fs_rm_rf(dir);
}

static void errors_unprivileged(void *arg)
{
	if (setgid(NOBODY) || setuid(NOBODY))
		_exit(99);
	errno = 0;
	if (open((const char *)arg, O_TMPFILE | O_RDWR, 0600) != -1 || errno != EACCES)
		_exit(1);
}

static void tmpfile_errors(struct ktap_ctx *ctx)
{
	char dir[64], f[256], m[256];
	int status;

	fs_scratch(dir, "tmpfile-errors");
	EXPECT_ERRNO(ctx, open(dir, O_TMPFILE | O_RDONLY, 0600), EINVAL);
	EXPECT_ERRNO(ctx, open(dir, O_TMPFILE | O_RDWR | O_CREAT, 0600), EINVAL);
	EXPECT_ERRNO(ctx, open(dir, O_TMPFILE | O_RDWR | O_PATH, 0600), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_open, dir, O_RDWR | (O_TMPFILE & ~O_DIRECTORY), 0600),
		     EINVAL);
	EXPECT_OK(ctx, fs_put(fs_at(f, dir, "file"), "x"));
	EXPECT_ERRNO(ctx, open(f, O_TMPFILE | O_RDWR, 0600), ENOTDIR);
	EXPECT_ERRNO(ctx, open(fs_at(f, dir, "none"), O_TMPFILE | O_RDWR, 0600), ENOENT);
	EXPECT_ERRNO(ctx, open("/proc", O_TMPFILE | O_RDWR, 0600), EOPNOTSUPP);
	EXPECT_OK(ctx, mkdir(fs_at(m, dir, "ro"), 0755));
	EXPECT_OK(ctx, mount("tmpfs", m, "tmpfs", MS_RDONLY, NULL));
	EXPECT_ERRNO(ctx, open(m, O_TMPFILE | O_RDWR, 0600), EROFS);
	EXPECT_OK(ctx, umount(m));
	status = run_child(errors_unprivileged, dir);	/* 0755, root's */
	KT_EXPECT(ctx, WIFEXITED(status));
	EXPECT_EQ(ctx, WEXITSTATUS(status), 0);
	fs_rm_rf(dir);
}

struct link_try {
	int fd;
	const char *name;
};

static void link_unprivileged(void *arg)
{
	const struct link_try *t = arg;

	if (setgid(NOBODY) || setuid(NOBODY))
		_exit(99);
	errno = 0;
	if (linkat(t->fd, "", AT_FDCWD, t->name, AT_EMPTY_PATH) != -1 || errno != ENOENT)
		_exit(1);
}

static void tmpfile_link(struct ktap_ctx *ctx)
{
	char dir[64], a[256], b[256], c[256], fdpath[64], buf[16];
	struct link_try try;
	struct stat st;
	int fd, status;

	fs_scratch(dir, "tmpfile-link");
	EXPECT_OK(ctx, chmod(dir, 0777));

	/* AT_EMPTY_PATH: root only. */
	fd = open(dir, O_TMPFILE | O_WRONLY, 0640);
	EXPECT_EQ(ctx, write(fd, "one", 3), 3);
	try.fd = fd;
	try.name = fs_at(a, dir, "by-nobody");
	status = run_child(link_unprivileged, &try);
	KT_EXPECT(ctx, WIFEXITED(status));
	EXPECT_EQ(ctx, WEXITSTATUS(status), 0);
	EXPECT_OK(ctx, linkat(fd, "", AT_FDCWD, fs_at(a, dir, "a"), AT_EMPTY_PATH));
	EXPECT_OK(ctx, fstat(fd, &st));
	EXPECT_EQ(ctx, st.st_nlink, 1);
	close(fd);
	KT_EXPECT(ctx, fs_get(a, buf, sizeof(buf)) == 3 && !strcmp(buf, "one"));
	EXPECT_OK(ctx, stat(a, &st));
	EXPECT_EQ(ctx, st.st_mode & 07777, 0640 & ~022);

	/* Through /proc/self/fd/N, as the open(2) page shows. */
	fd = open(dir, O_TMPFILE | O_RDWR, 0600);
	EXPECT_EQ(ctx, write(fd, "two", 3), 3);
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	EXPECT_OK(ctx, linkat(AT_FDCWD, fdpath, AT_FDCWD, fs_at(b, dir, "b"),
			      AT_SYMLINK_FOLLOW));
	EXPECT_ERRNO(ctx, linkat(AT_FDCWD, fdpath, AT_FDCWD, b, AT_SYMLINK_FOLLOW), EEXIST);
	close(fd);
	KT_EXPECT(ctx, fs_get(b, buf, sizeof(buf)) == 3 && !strcmp(buf, "two"));

	/* O_EXCL: never to be named. */
	fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL, 0600);
	KT_EXPECT(ctx, fd >= 0);
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	EXPECT_ERRNO(ctx, linkat(fd, "", AT_FDCWD, fs_at(c, dir, "c"), AT_EMPTY_PATH), ENOENT);
	EXPECT_ERRNO(ctx, linkat(AT_FDCWD, fdpath, AT_FDCWD, c, AT_SYMLINK_FOLLOW), ENOENT);
	close(fd);

	/* A file unlinked while open stays unnamed. */
	fd = open(a, O_RDONLY);
	EXPECT_OK(ctx, unlink(a));
	EXPECT_ERRNO(ctx, linkat(fd, "", AT_FDCWD, c, AT_EMPTY_PATH), ENOENT);
	close(fd);
	EXPECT_EQ(ctx, count_names(dir), 1);		/* b */
	fs_rm_rf(dir);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(tmpfile_basic), KTAP_CASE(tmpfile_errors),
		KTAP_CASE(tmpfile_link),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
