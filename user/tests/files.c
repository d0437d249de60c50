/*
 * files — regular files through the system calls: open/openat/creat and
 * their flags, read/write and the positioned and vector forms, lseek,
 * truncation and sparse files, files unlinked while open, the stat
 * family and statfs, the memory devices, sync, sendfile and
 * copy_file_range, memfd_create.  Each case checks the success paths and
 * the errno of each failure its man page documents (open(2), read(2),
 * write(2), lseek(2), truncate(2), stat(2), statx(2), statfs(2), …).
 * Run as init by lab 8's grader; works in /tmp.
 */
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/statfs.h>
#include <sys/uio.h>

#include "fstest.h"

#define TMPFS_MAGIC		0x01021994
#define PROC_SUPER_MAGIC	0x9fa0

/* statx(2)'s structure (musl 1.2.3 has no wrapper); uapi/linux/stat.h. */
struct kstatx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, spare0;
	uint64_t ino, size, blocks, attributes_mask;
	struct { int64_t sec; uint32_t nsec; int32_t r; } atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t mnt_id, spare[13];
};

static void open_close(struct ktap_ctx *ctx)
{
	char dir[64], f[256];
	int a, b, c;

	fs_scratch(dir, "files-open");
	a = open(fs_at(f, dir, "a"), O_CREAT | O_WRONLY, 0600);
	b = creat(fs_at(f, dir, "b"), 0600);
	c = openat(AT_FDCWD, fs_at(f, dir, "c"), O_CREAT | O_RDWR, 0600);
	KT_EXPECT(ctx, a >= 3 && b == a + 1 && c == b + 1);	/* lowest free */
	EXPECT_OK(ctx, close(b));
	EXPECT_EQ(ctx, open(fs_at(f, dir, "a"), O_RDONLY), b);	/* b's slot again */
	EXPECT_ERRNO(ctx, close(b + 100), EBADF);
	EXPECT_OK(ctx, close(a));
	EXPECT_ERRNO(ctx, close(a), EBADF);
	EXPECT_ERRNO(ctx, close(-1), EBADF);
	close(b);
	close(c);
	EXPECT_ERRNO(ctx, open(fs_at(f, dir, "none"), O_RDONLY), ENOENT);
	EXPECT_ERRNO(ctx, open(fs_at(f, dir, "a/x"), O_RDONLY), ENOTDIR);
	EXPECT_ERRNO(ctx, syscall(SYS_open, BAD_KERNEL, O_RDONLY), EFAULT);
	EXPECT_ERRNO(ctx, syscall(SYS_open, "", O_RDONLY), ENOENT);
	EXPECT_ERRNO(ctx, openat(12345, "x", O_RDONLY), EBADF);
	EXPECT_ERRNO(ctx, openat(0, "x", O_RDONLY), ENOTDIR);	/* the console */
	fs_rm_rf(dir);
}

static void open_flags(struct ktap_ctx *ctx)
{
	char dir[64], f[256], g[256], buf[32];
	struct stat st;
	int fd, fd2;

	fs_scratch(dir, "files-flags");
	fs_at(f, dir, "f");
	EXPECT_OK(ctx, fs_put(f, "hello"));
	EXPECT_ERRNO(ctx, open(f, O_CREAT | O_EXCL | O_WRONLY, 0600), EEXIST);
	EXPECT_ERRNO(ctx, open(f, O_DIRECTORY | O_RDONLY), ENOTDIR);
	EXPECT_ERRNO(ctx, open(dir, O_WRONLY), EISDIR);
	EXPECT_ERRNO(ctx, open(dir, O_RDWR | O_CREAT, 0600), EISDIR);
	EXPECT_ERRNO(ctx, open(fs_at(g, dir, "new/"), O_CREAT | O_WRONLY, 0600), EISDIR);
	/* O_APPEND: two opens both append, whatever their offsets. */
	fd = open(f, O_WRONLY | O_APPEND);
	fd2 = open(f, O_WRONLY | O_APPEND);
	EXPECT_EQ(ctx, write(fd, "1", 1), 1);
	EXPECT_EQ(ctx, write(fd2, "2", 1), 1);
	EXPECT_EQ(ctx, write(fd, "3", 1), 1);
	close(fd);
	close(fd2);
	EXPECT_EQ(ctx, fs_get(f, buf, sizeof(buf)), 8);
	EXPECT_STR(ctx, buf, "hello123");
	/* O_TRUNC, O_WRONLY/O_RDONLY direction checks. */
	fd = open(f, O_RDONLY | O_TRUNC);
	EXPECT_OK(ctx, fstat(fd, &st));
	EXPECT_EQ(ctx, st.st_size, 0);
	EXPECT_ERRNO(ctx, write(fd, "x", 1), EBADF);
	close(fd);
	fd = open(f, O_WRONLY);
	EXPECT_ERRNO(ctx, read(fd, buf, 1), EBADF);
	close(fd);
	/* O_CREAT applies the umask; O_CLOEXEC shows in F_GETFD. */
	umask(022);
	fd = open(fs_at(g, dir, "m"), O_CREAT | O_WRONLY | O_CLOEXEC, 0777);
	EXPECT_OK(ctx, fstat(fd, &st));
	EXPECT_EQ(ctx, st.st_mode, S_IFREG | 0755);
	EXPECT_EQ(ctx, fcntl(fd, F_GETFD), FD_CLOEXEC);
	close(fd);
	/* O_NOFOLLOW, O_PATH. */
	EXPECT_OK(ctx, symlink("f", fs_at(g, dir, "l")));
	EXPECT_ERRNO(ctx, open(g, O_RDONLY | O_NOFOLLOW), ELOOP);
	fd = open(g, O_PATH | O_NOFOLLOW);
	KT_EXPECT(ctx, fd >= 0);
	EXPECT_OK(ctx, fstat(fd, &st));
	EXPECT_EQ(ctx, S_ISLNK(st.st_mode), 1);
	EXPECT_ERRNO(ctx, read(fd, buf, 1), EBADF);
	EXPECT_EQ(ctx, fcntl(fd, F_GETFL) & O_PATH, O_PATH);
	close(fd);
	fd = open(dir, O_PATH | O_DIRECTORY);
	EXPECT_OK(ctx, fstatat(fd, "f", &st, 0));	/* usable as a dirfd */
	close(fd);
	fs_rm_rf(dir);
}

static void read_write(struct ktap_ctx *ctx)
{
	char dir[64], f[256], buf[64], a[4] = "", b[8] = "";
	struct iovec iov[2] = { { a, 3 }, { b, 5 } };
	int fd, p[2];

	fs_scratch(dir, "files-rw");
	fd = open(fs_at(f, dir, "f"), O_CREAT | O_RDWR, 0644);
	EXPECT_EQ(ctx, write(fd, "0123456789", 10), 10);
	EXPECT_EQ(ctx, lseek(fd, 0, SEEK_CUR), 10);
	EXPECT_EQ(ctx, read(fd, buf, 10), 0);		/* at the end */
	EXPECT_EQ(ctx, pread(fd, buf, 4, 3), 4);
	KT_EXPECT(ctx, !memcmp(buf, "3456", 4));
	EXPECT_EQ(ctx, lseek(fd, 0, SEEK_CUR), 10);	/* pread kept it */
	EXPECT_EQ(ctx, pwrite(fd, "ab", 2, 20), 2);	/* a hole at 10..19 */
	EXPECT_EQ(ctx, lseek(fd, 0, SEEK_END), 22);
	EXPECT_EQ(ctx, lseek(fd, 2, SEEK_SET), 2);
	EXPECT_EQ(ctx, readv(fd, iov, 2), 8);
	KT_EXPECT(ctx, !memcmp(a, "234", 3) && !memcmp(b, "56789", 5));
	EXPECT_EQ(ctx, preadv(fd, iov, 2, 18), 4);	/* 2 zeros, "ab" */
	KT_EXPECT(ctx, a[0] == 0 && a[1] == 0 && a[2] == 'a' && b[0] == 'b');
	iov[0].iov_base = "xy";
	iov[0].iov_len = 2;
	iov[1].iov_base = "z";
	iov[1].iov_len = 1;
	EXPECT_EQ(ctx, pwritev(fd, iov, 2, 0), 3);
	EXPECT_EQ(ctx, writev(fd, iov, 2), 3);		/* at 10 */
	EXPECT_EQ(ctx, pread(fd, buf, 13, 0), 13);
	KT_EXPECT(ctx, !memcmp(buf, "xyz3456789xyz", 13));
	EXPECT_EQ(ctx, lseek(fd, 5, SEEK_DATA), 5);
	EXPECT_EQ(ctx, lseek(fd, 5, SEEK_HOLE), 22);
	EXPECT_ERRNO(ctx, lseek(fd, 30, SEEK_DATA), ENXIO);
	EXPECT_ERRNO(ctx, lseek(fd, -1, SEEK_SET), EINVAL);
	EXPECT_ERRNO(ctx, lseek(fd, 0, 7), EINVAL);
	EXPECT_ERRNO(ctx, pread(fd, buf, 1, -1), EINVAL);
	EXPECT_ERRNO(ctx, read(fd, BAD_KERNEL, 1), EFAULT);
	EXPECT_ERRNO(ctx, write(fd, BAD_UNMAPPED, 1), EFAULT);
	EXPECT_ERRNO(ctx, readv(fd, iov, -1), EINVAL);
	EXPECT_ERRNO(ctx, read(99, buf, 1), EBADF);
	EXPECT_ERRNO(ctx, read(fd + 1, buf, 1), EBADF);
	p[0] = open(dir, O_RDONLY | O_DIRECTORY);
	EXPECT_ERRNO(ctx, read(p[0], buf, 1), EISDIR);
	EXPECT_ERRNO(ctx, write(p[0], buf, 1), EBADF);
	close(p[0]);
	EXPECT_OK(ctx, pipe(p));
	EXPECT_ERRNO(ctx, lseek(p[0], 0, SEEK_SET), ESPIPE);
	EXPECT_ERRNO(ctx, pread(p[0], buf, 1, 0), ESPIPE);
	close(p[0]);
	close(p[1]);
	close(fd);
	fs_rm_rf(dir);
}

static void truncate_sparse(struct ktap_ctx *ctx)
{
	char dir[64], f[256], buf[16], zeros[16] = { 0 };
	struct stat st;
	int fd;

	fs_scratch(dir, "files-trunc");
	fd = open(fs_at(f, dir, "f"), O_CREAT | O_RDWR, 0644);
	EXPECT_EQ(ctx, write(fd, "abcdefgh", 8), 8);
	EXPECT_OK(ctx, ftruncate(fd, 3));
	EXPECT_OK(ctx, ftruncate(fd, 12));		/* grows with zeros */
	EXPECT_EQ(ctx, pread(fd, buf, 16, 0), 12);
	KT_EXPECT(ctx, !memcmp(buf, "abc", 3) && !memcmp(buf + 3, zeros, 9));
	EXPECT_OK(ctx, truncate(f, 2));
	EXPECT_OK(ctx, fstat(fd, &st));
	EXPECT_EQ(ctx, st.st_size, 2);
	/* Sparse: one byte at 1 GiB costs one page, not a gigabyte. */
	EXPECT_EQ(ctx, pwrite(fd, "z", 1, 1L << 30), 1);
	EXPECT_OK(ctx, fstat(fd, &st));
	EXPECT_EQ(ctx, st.st_size, (1L << 30) + 1);
	KT_EXPECT(ctx, st.st_blocks <= 16);
	EXPECT_EQ(ctx, pread(fd, buf, 16, 1L << 29), 16);
	KT_EXPECT(ctx, !memcmp(buf, zeros, 16));
	EXPECT_ERRNO(ctx, ftruncate(fd, -1), EINVAL);
	EXPECT_ERRNO(ctx, truncate(f, -1), EINVAL);
	EXPECT_ERRNO(ctx, truncate(dir, 0), EISDIR);
	EXPECT_ERRNO(ctx, truncate(fs_at(f, dir, "none"), 0), ENOENT);
	close(fd);
	fd = open(fs_at(f, dir, "f"), O_RDONLY);
	EXPECT_ERRNO(ctx, ftruncate(fd, 0), EINVAL);	/* not open for writing */
	close(fd);
	EXPECT_ERRNO(ctx, ftruncate(99, 0), EBADF);
	fs_rm_rf(dir);
}

/* A file unlinked while open lives on until the last close (unlink(2)). */
static void unlinked_open(struct ktap_ctx *ctx)
{
	char dir[64], f[256], buf[16];
	struct stat st;
	int fd;

	fs_scratch(dir, "files-unl");
	EXPECT_OK(ctx, fs_put(fs_at(f, dir, "f"), "still here"));
	fd = open(f, O_RDWR);
	EXPECT_OK(ctx, unlink(f));
	EXPECT_ERRNO(ctx, stat(f, &st), ENOENT);
	EXPECT_EQ(ctx, read(fd, buf, 10), 10);
	KT_EXPECT(ctx, !memcmp(buf, "still here", 10));
	EXPECT_OK(ctx, fstat(fd, &st));
	EXPECT_EQ(ctx, st.st_nlink, 0);
	EXPECT_EQ(ctx, write(fd, "!", 1), 1);
	close(fd);
	fs_rm_rf(dir);
}

static void stat_family(struct ktap_ctx *ctx)
{
	char dir[64], f[256], l[256];
	struct stat st, lst, fst;
	struct kstatx sx;
	struct statfs sfs;
	int fd;

	fs_scratch(dir, "files-stat");
	EXPECT_OK(ctx, fs_put(fs_at(f, dir, "f"), "12345"));
	EXPECT_OK(ctx, symlink("f", fs_at(l, dir, "l")));
	EXPECT_OK(ctx, stat(l, &st));
	EXPECT_OK(ctx, lstat(l, &lst));
	EXPECT_EQ(ctx, st.st_size, 5);
	EXPECT_EQ(ctx, S_ISREG(st.st_mode), 1);
	EXPECT_EQ(ctx, S_ISLNK(lst.st_mode), 1);
	EXPECT_EQ(ctx, lst.st_size, 1);			/* the target's length */
	KT_EXPECT(ctx, st.st_ino != lst.st_ino && st.st_dev == lst.st_dev);
	fd = open(f, O_RDONLY);
	EXPECT_OK(ctx, fstat(fd, &fst));
	EXPECT_EQ(ctx, fst.st_ino, st.st_ino);
	EXPECT_EQ(ctx, fst.st_blksize, 4096);
	EXPECT_OK(ctx, fstatat(fd, "", &fst, AT_EMPTY_PATH));
	EXPECT_EQ(ctx, fst.st_ino, st.st_ino);
	EXPECT_ERRNO(ctx, fstatat(fd, "", &fst, 0), ENOENT);
	EXPECT_ERRNO(ctx, fstatat(AT_FDCWD, l, &fst, 0x8000), EINVAL);
	EXPECT_OK(ctx, fstatat(AT_FDCWD, l, &fst, AT_SYMLINK_NOFOLLOW));
	EXPECT_EQ(ctx, fst.st_ino, lst.st_ino);
	EXPECT_OK(ctx, syscall(SYS_statx, AT_FDCWD, l, 0, 0x7ff, &sx));
	EXPECT_EQ(ctx, sx.ino, st.st_ino);
	EXPECT_EQ(ctx, sx.size, 5);
	EXPECT_EQ(ctx, sx.mode, st.st_mode);
	EXPECT_EQ(ctx, sx.mask & 0x7ff, 0x7ff);
	EXPECT_EQ(ctx, sx.mtime.sec, st.st_mtime);
	EXPECT_ERRNO(ctx, syscall(SYS_statx, AT_FDCWD, l, 0, 0x80000000u, &sx), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_statx, AT_FDCWD, l, 0x6000, 0x7ff, &sx), EINVAL);
	EXPECT_ERRNO(ctx, syscall(SYS_stat, f, BAD_KERNEL), EFAULT);
	EXPECT_OK(ctx, statfs(dir, &sfs));
	EXPECT_EQ(ctx, sfs.f_type, TMPFS_MAGIC);
	EXPECT_EQ(ctx, sfs.f_namelen, 255);
	KT_EXPECT(ctx, sfs.f_blocks > 0 && sfs.f_bfree <= sfs.f_blocks);
	EXPECT_OK(ctx, fstatfs(fd, &sfs));
	EXPECT_EQ(ctx, sfs.f_type, TMPFS_MAGIC);
	EXPECT_OK(ctx, statfs("/proc", &sfs));
	EXPECT_EQ(ctx, sfs.f_type, PROC_SUPER_MAGIC);
	EXPECT_ERRNO(ctx, statfs("/none", &sfs), ENOENT);
	close(fd);
	fs_rm_rf(dir);
}

static void devices(struct ktap_ctx *ctx)
{
	char buf[64], seen[256] = { 0 };
	int fd, i, distinct = 0;
	struct stat st;

	fd = open("/dev/null", O_RDWR);
	EXPECT_EQ(ctx, write(fd, "gone", 4), 4);
	EXPECT_EQ(ctx, read(fd, buf, sizeof(buf)), 0);
	EXPECT_OK(ctx, fstat(fd, &st));
	EXPECT_EQ(ctx, st.st_rdev, makedev(1, 3));
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 1, sizeof(buf));
	EXPECT_EQ(ctx, read(fd, buf, sizeof(buf)), sizeof(buf));
	KT_EXPECT(ctx, buf[0] == 0 && buf[63] == 0);
	close(fd);
	fd = open("/dev/full", O_WRONLY);
	EXPECT_ERRNO(ctx, write(fd, "x", 1), ENOSPC);
	close(fd);
	fd = open("/dev/urandom", O_RDONLY);
	EXPECT_EQ(ctx, read(fd, buf, sizeof(buf)), sizeof(buf));
	for (i = 0; i < 64; i++)
		distinct += !seen[(unsigned char)buf[i]]++;
	KT_EXPECT(ctx, distinct > 32);
	close(fd);
	EXPECT_EQ(ctx, isatty(0), 1);
	EXPECT_EQ(ctx, isatty(open("/dev/null", O_RDONLY)), 0);
	fd = open("/dev/console", O_WRONLY);
	KT_EXPECT(ctx, fd >= 0 && isatty(fd));
	EXPECT_OK(ctx, fstat(fd, &st));
	EXPECT_EQ(ctx, st.st_rdev, makedev(5, 1));
	close(fd);
	EXPECT_OK(ctx, mknod("/dev/kt-none", S_IFCHR | 0600, makedev(42, 42)));
	EXPECT_ERRNO(ctx, open("/dev/kt-none", O_RDONLY), ENXIO);
	unlink("/dev/kt-none");
}

static void sync_calls(struct ktap_ctx *ctx)
{
	char dir[64], f[256];
	int fd, p[2];

	fs_scratch(dir, "files-sync");
	fd = open(fs_at(f, dir, "f"), O_CREAT | O_WRONLY, 0644);
	EXPECT_OK(ctx, fsync(fd));
	EXPECT_OK(ctx, fdatasync(fd));
	EXPECT_OK(ctx, syncfs(fd));
	sync();
	EXPECT_ERRNO(ctx, fsync(99), EBADF);
	EXPECT_OK(ctx, pipe(p));
	EXPECT_ERRNO(ctx, fsync(p[0]), EINVAL);		/* nothing to sync */
	close(p[0]);
	close(p[1]);
	close(fd);
	fs_rm_rf(dir);
}

static void sendfile_copy(struct ktap_ctx *ctx)
{
	char dir[64], f[256], g[256], buf[32];
	off_t off = 2, o_in = 1, o_out = 0;
	int in, out, p[2];

	fs_scratch(dir, "files-copy");
	EXPECT_OK(ctx, fs_put(fs_at(f, dir, "in"), "0123456789"));
	in = open(f, O_RDONLY);
	out = open(fs_at(g, dir, "out"), O_CREAT | O_RDWR, 0644);
	EXPECT_EQ(ctx, sendfile(out, in, &off, 5), 5);
	EXPECT_EQ(ctx, off, 7);
	EXPECT_EQ(ctx, lseek(in, 0, SEEK_CUR), 0);	/* an offset was given */
	EXPECT_EQ(ctx, sendfile(out, in, NULL, 3), 3);	/* from in's offset */
	EXPECT_EQ(ctx, pread(out, buf, 32, 0), 8);
	KT_EXPECT(ctx, !memcmp(buf, "23456012", 8));
	EXPECT_EQ(ctx, copy_file_range(in, &o_in, out, &o_out, 4, 0), 4);
	EXPECT_EQ(ctx, pread(out, buf, 4, 0), 4);
	KT_EXPECT(ctx, !memcmp(buf, "1234", 4) && o_in == 5 && o_out == 4);
	EXPECT_ERRNO(ctx, copy_file_range(in, NULL, out, NULL, 4, 1), EINVAL);
	EXPECT_ERRNO(ctx, copy_file_range(out, NULL, in, NULL, 4, 0), EBADF);
	EXPECT_OK(ctx, pipe(p));
	EXPECT_ERRNO(ctx, copy_file_range(in, NULL, p[1], NULL, 4, 0), EINVAL);
	EXPECT_EQ(ctx, sendfile(p[1], in, NULL, 2), 2);	/* into a pipe */
	EXPECT_EQ(ctx, read(p[0], buf, 2), 2);
	EXPECT_ERRNO(ctx, sendfile(in, out, NULL, 1), EBADF);	/* in is read-only */
	EXPECT_ERRNO(ctx, sendfile(out, p[0], NULL, 1), EINVAL);	/* from a stream */
	close(p[0]);
	close(p[1]);
	close(in);
	close(out);
	fs_rm_rf(dir);
}

static void memfd(struct ktap_ctx *ctx)
{
	char buf[64], link[64];
	ssize_t n;
	int fd = memfd_create("kt-memfd", MFD_CLOEXEC);

	KT_EXPECT(ctx, fd >= 0);
	EXPECT_EQ(ctx, write(fd, "in memory", 9), 9);
	EXPECT_OK(ctx, ftruncate(fd, 4096));
	EXPECT_EQ(ctx, pread(fd, buf, 9, 0), 9);
	KT_EXPECT(ctx, !memcmp(buf, "in memory", 9));
	EXPECT_EQ(ctx, fcntl(fd, F_GETFD), FD_CLOEXEC);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	EXPECT_STR(ctx, buf, "/memfd:kt-memfd (deleted)");
	EXPECT_ERRNO(ctx, memfd_create("x", 0x100), EINVAL);
	close(fd);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(open_close), KTAP_CASE(open_flags), KTAP_CASE(read_write),
		KTAP_CASE(truncate_sparse), KTAP_CASE(unlinked_open),
		KTAP_CASE(stat_family), KTAP_CASE(devices), KTAP_CASE(sync_calls),
		KTAP_CASE(sendfile_copy), KTAP_CASE(memfd),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
