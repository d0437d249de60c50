/*
 * dirs — names and directories through the system calls: mkdir, rmdir,
 * unlink, rename/renameat/renameat2 in all their cases (and that a
 * rename replaces its target atomically, seen from another process),
 * link/linkat, symlink/readlink and the 40-link limit, getdents64 over
 * 10 000 entries, chdir/fchdir/getcwd, the *at calls with directory
 * descriptors and AT_EMPTY_PATH, FIFOs made with mknod, chroot.  The
 * errno of each failure is the one its man page lists (mkdir(2),
 * rmdir(2), unlink(2), rename(2), link(2), symlink(2), readlink(2),
 * getdents(2), getcwd(2), chroot(2), path_resolution(7)).
 */
#include <sched.h>
#include <sys/mman.h>

#include "fstest.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE	1
#define RENAME_EXCHANGE		2
#endif

static long renameat2_(const char *a, const char *b, unsigned int flags)
{
	return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags);
}

static void mkdir_rmdir(struct ktap_ctx *ctx)
{
	char dir[64], p[256], q[256];
	struct stat st;

	fs_scratch(dir, "dirs-mk");
	EXPECT_OK(ctx, mkdir(fs_at(p, dir, "d"), 0750));
	EXPECT_OK(ctx, stat(p, &st));
	EXPECT_EQ(ctx, st.st_mode, S_IFDIR | 0750);
	EXPECT_EQ(ctx, st.st_nlink, 2);
	EXPECT_ERRNO(ctx, mkdir(p, 0755), EEXIST);
	EXPECT_ERRNO(ctx, mkdir("/", 0755), EEXIST);
	EXPECT_ERRNO(ctx, mkdir(fs_at(q, dir, "a/b"), 0755), ENOENT);
	EXPECT_OK(ctx, fs_put(fs_at(q, dir, "f"), "x"));
	EXPECT_ERRNO(ctx, mkdir(fs_at(q, dir, "f/d"), 0755), ENOTDIR);
	EXPECT_ERRNO(ctx, mkdir(BAD_KERNEL, 0755), EFAULT);
	EXPECT_OK(ctx, mkdir(fs_at(q, dir, "d/sub"), 0755));
	EXPECT_ERRNO(ctx, rmdir(p), ENOTEMPTY);
	EXPECT_ERRNO(ctx, rmdir(fs_at(q, dir, "d/sub/.")), EINVAL);
	EXPECT_ERRNO(ctx, rmdir(fs_at(q, dir, "d/sub/..")), ENOTEMPTY);
	EXPECT_ERRNO(ctx, rmdir(fs_at(q, dir, "f")), ENOTDIR);
	EXPECT_ERRNO(ctx, rmdir(fs_at(q, dir, "none")), ENOENT);
	EXPECT_ERRNO(ctx, rmdir("/"), EBUSY);
	EXPECT_ERRNO(ctx, rmdir("/proc"), EBUSY);		/* a mount point */
	EXPECT_OK(ctx, rmdir(fs_at(q, dir, "d/sub/")));	/* a trailing slash is fine */
	EXPECT_OK(ctx, stat(p, &st));
	EXPECT_EQ(ctx, st.st_nlink, 2);
	EXPECT_OK(ctx, rmdir(p));
	EXPECT_ERRNO(ctx, unlink(dir), EISDIR);
	EXPECT_ERRNO(ctx, unlink(fs_at(q, dir, "f/")), ENOTDIR);
	EXPECT_ERRNO(ctx, unlink(fs_at(q, dir, "none")), ENOENT);
	EXPECT_ERRNO(ctx, unlinkat(AT_FDCWD, fs_at(q, dir, "f"), 0x1), EINVAL);
	EXPECT_ERRNO(ctx, unlinkat(AT_FDCWD, fs_at(q, dir, "f"), AT_REMOVEDIR), ENOTDIR);
	EXPECT_OK(ctx, unlink(fs_at(q, dir, "f")));
	fs_rm_rf(dir);
}

static void rename_cases(struct ktap_ctx *ctx)
{
	char dir[64], a[256], b[256], c[256], buf[16];
	struct stat st;

	fs_scratch(dir, "dirs-mv");
	EXPECT_OK(ctx, fs_put(fs_at(a, dir, "a"), "A"));
	EXPECT_OK(ctx, fs_put(fs_at(b, dir, "b"), "B"));
	EXPECT_OK(ctx, rename(a, b));			/* replaces b */
	EXPECT_EQ(ctx, fs_get(b, buf, sizeof(buf)), 1);
	EXPECT_STR(ctx, buf, "A");
	EXPECT_ERRNO(ctx, stat(a, &st), ENOENT);
	EXPECT_ERRNO(ctx, rename(a, b), ENOENT);
	EXPECT_OK(ctx, mkdir(fs_at(a, dir, "d1"), 0755));
	EXPECT_OK(ctx, mkdir(fs_at(c, dir, "d1/in"), 0755));
	EXPECT_OK(ctx, mkdir(fs_at(c, dir, "d2"), 0755));
	EXPECT_ERRNO(ctx, rename(b, c), EISDIR);
	EXPECT_ERRNO(ctx, rename(c, b), ENOTDIR);
	EXPECT_ERRNO(ctx, rename(c, a), ENOTEMPTY);
	EXPECT_ERRNO(ctx, rename(a, fs_at(c, dir, "d1/in/x")), EINVAL);
	EXPECT_ERRNO(ctx, rename(b, "/dev/kt-x"), EXDEV);
	EXPECT_ERRNO(ctx, rename(fs_at(c, dir, "d1/.."), b), EBUSY);
	EXPECT_ERRNO(ctx, rename(b, fs_at(c, dir, "b/")), ENOTDIR);
	EXPECT_OK(ctx, rename(fs_at(c, dir, "d1/in"), fs_at(b, dir, "d2")));	/* over an empty dir */
	EXPECT_OK(ctx, stat(a, &st));
	EXPECT_EQ(ctx, st.st_nlink, 2);
	EXPECT_ERRNO(ctx, renameat2_(fs_at(b, dir, "b"), fs_at(c, dir, "d2"), RENAME_NOREPLACE), EEXIST);
	EXPECT_ERRNO(ctx, renameat2_(b, fs_at(c, dir, "none"), RENAME_EXCHANGE), ENOENT);
	EXPECT_ERRNO(ctx, renameat2_(b, c, RENAME_EXCHANGE | RENAME_NOREPLACE), EINVAL);
	EXPECT_ERRNO(ctx, renameat2_(b, c, 0x40), EINVAL);
	EXPECT_OK(ctx, renameat2_(b, fs_at(c, dir, "d2"), RENAME_EXCHANGE));
	EXPECT_OK(ctx, stat(fs_at(c, dir, "b"), &st));
	EXPECT_EQ(ctx, S_ISDIR(st.st_mode), 1);
	EXPECT_OK(ctx, stat(fs_at(c, dir, "d2"), &st));
	EXPECT_EQ(ctx, S_ISREG(st.st_mode), 1);
	/* Two names of one file: rename does nothing and both remain. */
	EXPECT_OK(ctx, link(fs_at(a, dir, "d2"), fs_at(b, dir, "hl")));
	EXPECT_OK(ctx, rename(a, b));
	EXPECT_OK(ctx, stat(a, &st));
	EXPECT_EQ(ctx, st.st_nlink, 2);
	fs_rm_rf(dir);
}

/* rename(2): "If newpath already exists, it will be atomically replaced,
 * so that there is no point at which another process attempting to
 * access newpath will find it missing."  A child stats the name without
 * pause while we replace it 500 times. */
static void rename_atomic(struct ktap_ctx *ctx)
{
	volatile int *state = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char dir[64], target[256], tmp[256];
	int i, status;
	pid_t pid;

	fs_scratch(dir, "dirs-atomic");
	fs_at(target, dir, "target");
	fs_at(tmp, dir, "tmp");
	EXPECT_OK(ctx, fs_put(target, "v0"));
	state[0] = 0;		/* the child's misses */
	state[1] = 0;		/* stop */
	pid = fork();
	if (pid == 0) {
		struct stat st;

		while (!state[1])
			if (stat(target, &st) != 0)
				state[0]++;
		_exit(0);
	}
	for (i = 0; i < 500; i++) {
		if (fs_put(tmp, "vN") || rename(tmp, target))
			ktap_fail(ctx, __FILE__, __LINE__, "round %d failed", i);
		if (i % 16 == 0)
			sched_yield();		/* let the child look */
	}
	state[1] = 1;
	waitpid(pid, &status, 0);
	EXPECT_EQ(ctx, state[0], 0);
	EXPECT_EQ(ctx, status, 0);
	munmap((void *)state, 4096);
	fs_rm_rf(dir);
}

static void links(struct ktap_ctx *ctx)
{
	char dir[64], a[256], b[256], buf[16];
	struct stat st;
	int fd;

	fs_scratch(dir, "dirs-ln");
	EXPECT_OK(ctx, fs_put(fs_at(a, dir, "a"), "data"));
	EXPECT_OK(ctx, link(a, fs_at(b, dir, "b")));
	EXPECT_OK(ctx, stat(a, &st));
	EXPECT_EQ(ctx, st.st_nlink, 2);
	EXPECT_ERRNO(ctx, link(a, b), EEXIST);
	EXPECT_ERRNO(ctx, link(dir, fs_at(b, dir, "dl")), EPERM);
	EXPECT_ERRNO(ctx, link(a, "/dev/kt-ln"), EXDEV);
	EXPECT_ERRNO(ctx, link(fs_at(b, dir, "none"), fs_at(a, dir, "c")), ENOENT);
	EXPECT_OK(ctx, unlink(fs_at(a, dir, "a")));
	EXPECT_EQ(ctx, fs_get(fs_at(b, dir, "b"), buf, sizeof(buf)), 4);
	fd = open(b, O_RDONLY);
	EXPECT_OK(ctx, linkat(fd, "", AT_FDCWD, fs_at(a, dir, "again"), AT_EMPTY_PATH));
	EXPECT_ERRNO(ctx, linkat(fd, "", AT_FDCWD, fs_at(a, dir, "x"), 0), ENOENT);
	EXPECT_ERRNO(ctx, linkat(AT_FDCWD, b, AT_FDCWD, fs_at(a, dir, "y"), 0x8), EINVAL);
	close(fd);
	EXPECT_OK(ctx, symlink("b", fs_at(a, dir, "sym")));
	EXPECT_OK(ctx, linkat(AT_FDCWD, a, AT_FDCWD, fs_at(b, dir, "followed"), AT_SYMLINK_FOLLOW));
	EXPECT_OK(ctx, lstat(b, &st));
	EXPECT_EQ(ctx, S_ISREG(st.st_mode), 1);
	EXPECT_EQ(ctx, st.st_nlink, 3);
	fs_rm_rf(dir);
}

static void symlinks(struct ktap_ctx *ctx)
{
	char dir[64], p[256], q[256], buf[64];
	int i;

	fs_scratch(dir, "dirs-sym");
	EXPECT_OK(ctx, fs_put(fs_at(p, dir, "file"), "x"));
	EXPECT_OK(ctx, symlink("file", fs_at(q, dir, "rel")));
	EXPECT_EQ(ctx, readlink(q, buf, sizeof(buf)), 4);
	KT_EXPECT(ctx, !memcmp(buf, "file", 4));
	EXPECT_EQ(ctx, readlink(q, buf, 2), 2);		/* cut, no NUL */
	EXPECT_ERRNO(ctx, syscall(SYS_readlink, q, buf, 0), EINVAL);
	EXPECT_ERRNO(ctx, readlink(p, buf, sizeof(buf)), EINVAL);	/* not a link */
	EXPECT_ERRNO(ctx, symlink("x", q), EEXIST);
	EXPECT_ERRNO(ctx, symlink("", fs_at(q, dir, "empty")), ENOENT);
	EXPECT_OK(ctx, symlink(dir, fs_at(q, dir, "abs")));
	EXPECT_EQ(ctx, fs_get(fs_at(q, dir, "abs/abs/abs/file"), buf, sizeof(buf)), 1);
	/* 40 links are followed, the 41st is ELOOP (path_resolution(7)). */
	EXPECT_OK(ctx, symlink("file", fs_at(q, dir, "c0")));
	for (i = 1; i <= 40; i++) {
		snprintf(buf, sizeof(buf), "c%d", i - 1);
		snprintf(p, sizeof(p), "%s/c%d", dir, i);
		EXPECT_OK(ctx, symlink(buf, p));
	}
	EXPECT_EQ(ctx, fs_get(fs_at(q, dir, "c39"), buf, sizeof(buf)), 1);
	EXPECT_ERRNO(ctx, open(fs_at(q, dir, "c40"), O_RDONLY), ELOOP);
	EXPECT_OK(ctx, symlink("loop", fs_at(q, dir, "loop")));
	EXPECT_ERRNO(ctx, open(q, O_RDONLY), ELOOP);
	EXPECT_ERRNO(ctx, open(fs_at(q, dir, "loop/x"), O_RDONLY), ELOOP);
	EXPECT_OK(ctx, symlink("made", fs_at(q, dir, "dangling")));
	EXPECT_ERRNO(ctx, open(q, O_RDONLY), ENOENT);
	i = open(q, O_CREAT | O_WRONLY, 0600);		/* creates "made" */
	KT_EXPECT(ctx, i >= 0);
	close(i);
	EXPECT_EQ(ctx, access(fs_at(q, dir, "made"), F_OK), 0);
	EXPECT_EQ(ctx, readlinkat(AT_FDCWD, fs_at(q, dir, "rel"), buf, sizeof(buf)), 4);
	i = open(q, O_PATH | O_NOFOLLOW);
	EXPECT_EQ(ctx, readlinkat(i, "", buf, sizeof(buf)), 4);
	close(i);
	fs_rm_rf(dir);
}

/* getdents64 records (getdents(2)). */
struct dirent64_ {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

#define BIG	10000

/* Read the whole directory @fd with a @bufsize buffer; count names
 * f00000…f09999 in @seen (each once), other names in *@others. */
static long read_all(int fd, size_t bufsize, unsigned char *seen, long *others,
		     long *bad_type)
{
	char *buf = malloc(bufsize);
	long n, total = 0;

	while ((n = syscall(SYS_getdents64, fd, buf, bufsize)) > 0) {
		for (long pos = 0; pos < n;) {
			struct dirent64_ *d = (void *)(buf + pos);
			int k;

			if (d->d_name[0] == 'f' && sscanf(d->d_name + 1, "%d", &k) == 1 &&
			    k >= 0 && k < BIG) {
				seen[k]++;
				*bad_type += d->d_type != DT_REG;
			} else {
				(*others)++;
			}
			pos += d->d_reclen;
			total++;
		}
	}
	free(buf);
	return n < 0 ? n : total;
}

static void getdents_big(struct ktap_ctx *ctx)
{
	static unsigned char seen[BIG];
	long others = 0, bad_type = 0, total, once = 0, i;
	char dir[64], p[256], small[8];
	int fd;

	fs_scratch(dir, "dirs-big");
	for (i = 0; i < BIG; i++) {
		snprintf(p, sizeof(p), "%s/f%05ld", dir, i);
		fd = open(p, O_CREAT | O_WRONLY, 0644);
		if (fd < 0) {
			ktap_fail(ctx, __FILE__, __LINE__, "creating %s: %s", p,
				  strerror(errno));
			break;
		}
		close(fd);
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	memset(seen, 0, sizeof(seen));
	total = read_all(fd, 1024, seen, &others, &bad_type);
	EXPECT_EQ(ctx, total, BIG + 2);
	EXPECT_EQ(ctx, others, 2);			/* "." and ".." */
	EXPECT_EQ(ctx, bad_type, 0);
	for (i = 0; i < BIG; i++)
		once += seen[i] == 1;
	EXPECT_EQ(ctx, once, BIG);
	EXPECT_EQ(ctx, syscall(SYS_getdents64, fd, small, sizeof(small)), 0);	/* at the end */
	EXPECT_EQ(ctx, lseek(fd, 0, SEEK_SET), 0);
	EXPECT_ERRNO(ctx, syscall(SYS_getdents64, fd, small, sizeof(small)), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_getdents64, fd, BAD_KERNEL, 4096), EFAULT);
	close(fd);
	fd = open(fs_at(p, dir, "f00000"), O_RDONLY);
	EXPECT_ERRNO(ctx, syscall(SYS_getdents64, fd, small, sizeof(small)), ENOTDIR);
	close(fd);
	EXPECT_ERRNO(ctx, syscall(SYS_getdents64, 99, small, sizeof(small)), EBADF);
	for (i = 0; i < BIG; i++) {
		snprintf(p, sizeof(p), "%s/f%05ld", dir, i);
		unlink(p);
	}
	EXPECT_OK(ctx, rmdir(dir));
}

static void cwd(struct ktap_ctx *ctx)
{
	char dir[64], p[256], buf[256], tiny[4];
	int fd;

	fs_scratch(dir, "dirs-cwd");
	EXPECT_OK(ctx, mkdir(fs_at(p, dir, "sub"), 0755));
	EXPECT_OK(ctx, chdir(p));
	KT_EXPECT(ctx, getcwd(buf, sizeof(buf)) && !strcmp(buf, p));
	EXPECT_OK(ctx, fs_put("rel", "r"));		/* relative to the cwd */
	EXPECT_EQ(ctx, access(fs_at(buf, p, "rel"), F_OK), 0);
	EXPECT_ERRNO(ctx, syscall(SYS_getcwd, tiny, sizeof(tiny)), ERANGE);
	EXPECT_EQ(ctx, syscall(SYS_getcwd, buf, sizeof(buf)), strlen(p) + 1);
	EXPECT_OK(ctx, chdir(".."));
	KT_EXPECT(ctx, getcwd(buf, sizeof(buf)) && !strcmp(buf, dir));
	EXPECT_OK(ctx, chdir("/proc/.."));		/* up across a mount */
	KT_EXPECT(ctx, getcwd(buf, sizeof(buf)) && !strcmp(buf, "/"));
	EXPECT_OK(ctx, chdir("/.."));
	KT_EXPECT(ctx, getcwd(buf, sizeof(buf)) && !strcmp(buf, "/"));
	fd = open(p, O_RDONLY | O_DIRECTORY);
	EXPECT_OK(ctx, fchdir(fd));
	KT_EXPECT(ctx, getcwd(buf, sizeof(buf)) && !strcmp(buf, p));
	close(fd);
	EXPECT_OK(ctx, unlink("rel"));
	EXPECT_OK(ctx, rmdir(p));			/* the cwd is gone */
	EXPECT_ERRNO(ctx, syscall(SYS_getcwd, buf, sizeof(buf)), ENOENT);
	EXPECT_ERRNO(ctx, chdir(fs_at(buf, dir, "none")), ENOENT);
	EXPECT_OK(ctx, fs_put(fs_at(buf, dir, "f"), "f"));
	EXPECT_ERRNO(ctx, chdir(buf), ENOTDIR);
	fd = open(buf, O_RDONLY);
	EXPECT_ERRNO(ctx, fchdir(fd), ENOTDIR);
	close(fd);
	EXPECT_ERRNO(ctx, fchdir(99), EBADF);
	EXPECT_OK(ctx, chdir("/"));
	fs_rm_rf(dir);
}

static void at_calls(struct ktap_ctx *ctx)
{
	char dir[64], buf[16];
	struct stat st;
	int dfd, fd;

	fs_scratch(dir, "dirs-at");
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	EXPECT_OK(ctx, mkdirat(dfd, "d", 0755));
	fd = openat(dfd, "d/f", O_CREAT | O_WRONLY, 0644);
	KT_EXPECT(ctx, fd >= 0);
	EXPECT_EQ(ctx, write(fd, "at", 2), 2);
	EXPECT_ERRNO(ctx, openat(fd, "x", O_RDONLY), ENOTDIR);	/* a file */
	close(fd);
	EXPECT_OK(ctx, fstatat(dfd, "d/f", &st, 0));
	EXPECT_EQ(ctx, st.st_size, 2);
	EXPECT_OK(ctx, symlinkat("d/f", dfd, "l"));
	EXPECT_EQ(ctx, readlinkat(dfd, "l", buf, sizeof(buf)), 3);
	EXPECT_OK(ctx, renameat(dfd, "l", dfd, "d/l2"));
	EXPECT_OK(ctx, linkat(dfd, "d/f", dfd, "hard", 0));
	EXPECT_OK(ctx, mknodat(dfd, "fifo", S_IFIFO | 0600, 0));
	EXPECT_OK(ctx, fstatat(dfd, "fifo", &st, 0));
	EXPECT_EQ(ctx, S_ISFIFO(st.st_mode), 1);
	EXPECT_OK(ctx, mknodat(dfd, "plain", 0600, 0));	/* type 0: a regular file */
	EXPECT_ERRNO(ctx, mknodat(dfd, "bad", S_IFMT, 0), EINVAL);
	EXPECT_OK(ctx, unlinkat(dfd, "hard", 0));
	EXPECT_ERRNO(ctx, unlinkat(dfd, "d", 0), EISDIR);
	EXPECT_ERRNO(ctx, unlinkat(dfd, "d", AT_REMOVEDIR), ENOTEMPTY);
	EXPECT_ERRNO(ctx, mkdirat(99, "x", 0755), EBADF);
	EXPECT_OK(ctx, mkdirat(AT_FDCWD, fs_at((char[256]){0}, dir, "cwdrel"), 0755));
	close(dfd);
	fs_rm_rf(dir);
}

/* chroot(2): the new root is "/", and ".." stops there. */
static void in_chroot(void *arg)
{
	char buf[64];
	struct stat st;

	if (chroot((const char *)arg) || chdir("/"))
		_exit(1);
	if (stat("/inside", &st) || stat("/../../inside", &st))
		_exit(2);
	if (!getcwd(buf, sizeof(buf)) || strcmp(buf, "/"))
		_exit(3);
	if (stat("/tmp", &st) == 0)		/* the old root is out of reach */
		_exit(4);
	_exit(0);
}

static void chroot_(struct ktap_ctx *ctx)
{
	char dir[64], p[256];

	fs_scratch(dir, "dirs-root");
	EXPECT_OK(ctx, fs_put(fs_at(p, dir, "inside"), "in"));
	EXPECT_EQ(ctx, run_child(in_chroot, dir), 0);
	EXPECT_ERRNO(ctx, chroot(fs_at(p, dir, "inside")), ENOTDIR);
	EXPECT_ERRNO(ctx, chroot(fs_at(p, dir, "none")), ENOENT);
	fs_rm_rf(dir);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(mkdir_rmdir), KTAP_CASE(rename_cases),
		KTAP_CASE(rename_atomic), KTAP_CASE(links), KTAP_CASE(symlinks),
		KTAP_CASE(getdents_big), KTAP_CASE(cwd), KTAP_CASE(at_calls),
		KTAP_CASE(chroot_),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
