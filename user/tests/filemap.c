/*
 * filemap — mmap(2) of files (lab 8): shared mappings that are the
 * file's data both ways, private ones that copy on the first store and
 * see the file's changes until then, the rights an open gives a mapping
 * (EACCES, EPERM on noexec), offsets, SIGBUS past the end of the file
 * (also after a truncate), munmap/mprotect/mremap/fork of file mappings,
 * msync, and the /proc/self/maps line.  Run as init by lab 8's grader;
 * works in /tmp (tmpfs), and maps its own program from the initramfs.
 */
#include <sys/mman.h>
#include <sys/mount.h>

#include "fstest.h"

#define PAGE	4096L

/* A file @path of @pages pages, byte i being (i * 7 + @seed) & 0xff,
 * opened with @flags; the descriptor or -1. */
static int make_file(const char *path, int pages, int seed, int flags)
{
	static unsigned char buf[PAGE];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	for (int p = 0; fd >= 0 && p < pages; p++) {
		for (long i = 0; i < PAGE; i++)
			buf[i] = (unsigned char)((p * PAGE + i) * 7 + seed);
		if (write(fd, buf, PAGE) != PAGE)
			return -1;
	}
	if (fd >= 0)
		close(fd);
	return open(path, flags);
}

static unsigned char pattern(long off, int seed)
{
	return (unsigned char)(off * 7 + seed);
}

/* The byte at @off of the file @fd (pread), or -1. */
static int file_byte(int fd, long off)
{
	unsigned char c;

	return pread(fd, &c, 1, off) == 1 ? c : -1;
}

static void shared_both_ways(struct ktap_ctx *ctx)
{
	char dir[64], f[256];
	int fd = make_file(fs_at(f, fs_scratch(dir, "fm-shared"), "f"), 3, 1, O_RDWR);
	unsigned char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char c = 'W';

	KT_EXPECT(ctx, p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	EXPECT_EQ(ctx, p[0], pattern(0, 1));
	EXPECT_EQ(ctx, p[2 * PAGE + 17], pattern(2 * PAGE + 17, 1));
	p[PAGE + 5] = 0xa5;			/* a store is the file's data */
	EXPECT_EQ(ctx, file_byte(fd, PAGE + 5), 0xa5);
	EXPECT_EQ(ctx, pwrite(fd, &c, 1, 2 * PAGE + 9), 1);	/* and write(2) shows */
	EXPECT_EQ(ctx, p[2 * PAGE + 9], 'W');
	EXPECT_OK(ctx, close(fd));		/* the mapping keeps the file */
	p[3] = 'Z';
	EXPECT_OK(ctx, msync(p, 3 * PAGE, MS_SYNC));
	EXPECT_OK(ctx, munmap(p, 3 * PAGE));
	fd = open(f, O_RDONLY);
	EXPECT_EQ(ctx, file_byte(fd, 3), 'Z');
	close(fd);
	fs_rm_rf(dir);
}

static void private_cow(struct ktap_ctx *ctx)
{
	char dir[64], f[256], c = 'X';
	int fd = make_file(fs_at(f, fs_scratch(dir, "fm-private"), "f"), 2, 3, O_RDWR);
	volatile unsigned char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE, fd, 0);

	KT_EXPECT(ctx, p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	EXPECT_EQ(ctx, p[10], pattern(10, 3));
	/* Before the first store to the page, the file's changes show. */
	EXPECT_EQ(ctx, pwrite(fd, &c, 1, 11), 1);
	EXPECT_EQ(ctx, p[11], 'X');
	p[12] = 0x42;				/* our copy now */
	EXPECT_EQ(ctx, file_byte(fd, 12), pattern(12, 3));
	c = 'Y';
	EXPECT_EQ(ctx, pwrite(fd, &c, 1, 13), 1);	/* no longer seen */
	EXPECT_EQ(ctx, p[13], pattern(13, 3));
	EXPECT_EQ(ctx, p[11], 'X');			/* the copy kept it */
	EXPECT_EQ(ctx, p[12], 0x42);
	/* The other page was never stored to: still the file's. */
	EXPECT_EQ(ctx, pwrite(fd, &c, 1, PAGE + 1), 1);
	EXPECT_EQ(ctx, p[PAGE + 1], 'Y');
	/* A private writable mapping of a read-only open is fine. */
	close(fd);
	fd = open(f, O_RDONLY);
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	KT_EXPECT(ctx, p != MAP_FAILED);
	if (p != MAP_FAILED) {
		p[0] = 1;
		EXPECT_EQ(ctx, file_byte(fd, 0), pattern(0, 3));
	}
	close(fd);
	fs_rm_rf(dir);
}

static void rights(struct ktap_ctx *ctx)
{
	char dir[64], f[256], m[256];
	int rw = make_file(fs_at(f, fs_scratch(dir, "fm-rights"), "f"), 1, 5, O_RDWR);
	int ro = open(f, O_RDONLY), wo = open(f, O_WRONLY), pfd[2];
	int dfd = open(dir, O_RDONLY | O_DIRECTORY), path = open(f, O_PATH), fd;
	void *p;

	EXPECT_ERRNO(ctx, mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wo, 0), EACCES);
	EXPECT_ERRNO(ctx, mmap(NULL, PAGE, PROT_READ, MAP_SHARED, wo, 0), EACCES);
	EXPECT_ERRNO(ctx, mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0),
		     EACCES);
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ro, 0);
	KT_EXPECT(ctx, p != MAP_FAILED);
	EXPECT_ERRNO(ctx, mprotect(p, PAGE, PROT_READ | PROT_WRITE), EACCES);
	EXPECT_OK(ctx, mprotect(p, PAGE, PROT_READ | PROT_EXEC));
	munmap(p, PAGE);
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, rw, 0);
	EXPECT_OK(ctx, mprotect(p, PAGE, PROT_READ | PROT_WRITE));
	munmap(p, PAGE);
	EXPECT_ERRNO(ctx, mmap(NULL, PAGE, PROT_READ, MAP_SHARED, rw, 100), EINVAL);
	EXPECT_ERRNO(ctx, mmap(NULL, 0, PROT_READ, MAP_SHARED, rw, 0), EINVAL);
	EXPECT_ERRNO(ctx, mmap(NULL, PAGE, PROT_READ, MAP_SHARED, 555, 0), EBADF);
	EXPECT_ERRNO(ctx, mmap(NULL, PAGE, PROT_READ, MAP_SHARED, path, 0), EBADF);
	EXPECT_ERRNO(ctx, mmap(NULL, PAGE, PROT_READ, MAP_SHARED, dfd, 0), ENODEV);
	EXPECT_OK(ctx, pipe(pfd));
	EXPECT_ERRNO(ctx, mmap(NULL, PAGE, PROT_READ, MAP_SHARED, pfd[0], 0), ENODEV);
	close(pfd[0]);
	close(pfd[1]);
	/* A file on a noexec mount: no PROT_EXEC, now or later. */
	fs_at(m, dir, "mnt");
	EXPECT_OK(ctx, mkdir(m, 0755));
	EXPECT_OK(ctx, mount("tmpfs", m, "tmpfs", MS_NOEXEC, NULL));
	fd = make_file(fs_at(f, m, "g"), 1, 0, O_RDWR);
	EXPECT_ERRNO(ctx, mmap(NULL, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0),
		     EPERM);
	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	KT_EXPECT(ctx, p != MAP_FAILED);
	EXPECT_ERRNO(ctx, mprotect(p, PAGE, PROT_READ | PROT_EXEC), EACCES);
	EXPECT_ERRNO(ctx, umount(m), EBUSY);	/* the mapping holds the file */
	close(fd);
	munmap(p, PAGE);
	EXPECT_OK(ctx, umount(m));
	close(rw);
	close(ro);
	close(wo);
	close(dfd);
	close(path);
	fs_rm_rf(dir);
}

static void offsets(struct ktap_ctx *ctx)
{
	char dir[64], f[256];
	int fd = make_file(fs_at(f, fs_scratch(dir, "fm-off"), "f"), 4, 9, O_RDWR);
	unsigned char *p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 2 * PAGE);
	unsigned char *q;

	KT_EXPECT(ctx, p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	EXPECT_EQ(ctx, p[0], pattern(2 * PAGE, 9));
	EXPECT_EQ(ctx, p[PAGE + 99], pattern(3 * PAGE + 99, 9));
	munmap(p, 2 * PAGE);
	/* munmap of the middle: both ends keep their file offsets. */
	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT_OK(ctx, munmap(p + PAGE, PAGE));
	EXPECT_EQ(ctx, p[5], pattern(5, 9));
	EXPECT_EQ(ctx, p[2 * PAGE + 5], pattern(2 * PAGE + 5, 9));
	EXPECT_EQ(ctx, p[3 * PAGE + 5], pattern(3 * PAGE + 5, 9));
	/* mprotect of one page splits the VMA; still the same file. */
	EXPECT_OK(ctx, mprotect(p + 3 * PAGE, PAGE, PROT_READ));
	p[2 * PAGE] = 0x77;
	EXPECT_EQ(ctx, file_byte(fd, 2 * PAGE), 0x77);
	/* mremap moves the pages and the offsets with them. */
	q = mremap(p + 2 * PAGE, PAGE, 2 * PAGE, MREMAP_MAYMOVE);
	KT_EXPECT(ctx, q != MAP_FAILED);
	if (q != MAP_FAILED) {
		EXPECT_EQ(ctx, q[0], 0x77);
		EXPECT_EQ(ctx, q[PAGE + 3], pattern(3 * PAGE + 3, 9));
		munmap(q, 2 * PAGE);
	}
	munmap(p, 4 * PAGE);
	close(fd);
	fs_rm_rf(dir);
}

static void touch_at(void *p)
{
	(void)*(volatile char *)p;
}

static void past_eof(struct ktap_ctx *ctx)
{
	char dir[64], f[256];
	int fd = make_file(fs_at(f, fs_scratch(dir, "fm-eof"), "f"), 0, 0, O_RDWR);
	char *p;
	int status;

	EXPECT_EQ(ctx, write(fd, "0123456789", 10), 10);
	p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	KT_EXPECT(ctx, p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	EXPECT_EQ(ctx, p[9], '9');
	EXPECT_EQ(ctx, p[100], 0);	/* the rest of the last page: zeros */
	status = run_child(touch_at, p + PAGE);
	KT_EXPECT(ctx, WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS);
	/* The file grows: the page is there now. */
	EXPECT_OK(ctx, ftruncate(fd, 2 * PAGE));
	EXPECT_EQ(ctx, p[PAGE + 1], 0);
	p[PAGE + 1] = 'g';
	EXPECT_EQ(ctx, file_byte(fd, PAGE + 1), 'g');
	/* It shrinks: the page that was mapped is gone again. */
	EXPECT_OK(ctx, ftruncate(fd, 10));
	status = run_child(touch_at, p + PAGE);
	KT_EXPECT(ctx, WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS);
	munmap(p, 3 * PAGE);
	/* MAP_POPULATE past the end is not an error. */
	p = mmap(NULL, 3 * PAGE, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
	KT_EXPECT(ctx, p != MAP_FAILED);
	if (p != MAP_FAILED)
		EXPECT_EQ(ctx, p[0], '0');
	munmap(p, 3 * PAGE);
	close(fd);
	fs_rm_rf(dir);
}

struct fork_arg {
	volatile char *shared, *private;
};

static void child_stores(void *arg)
{
	struct fork_arg *a = arg;

	a->shared[0] = 'C';
	a->private[0] = 'C';
}

static void after_fork(struct ktap_ctx *ctx)
{
	char dir[64], f[256];
	int fd = make_file(fs_at(f, fs_scratch(dir, "fm-fork"), "f"), 1, 0, O_RDWR);
	struct fork_arg a;

	a.shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	a.private = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	KT_EXPECT(ctx, a.shared != MAP_FAILED && a.private != MAP_FAILED);
	if (a.shared == MAP_FAILED || a.private == MAP_FAILED)
		return;
	close(fd);
	EXPECT_EQ(ctx, run_child(child_stores, &a), 0);
	EXPECT_EQ(ctx, a.shared[0], 'C');	/* the child's store is the file's */
	/* The child's private store was its own: we see the file's byte,
	 * which the child's shared store changed. */
	EXPECT_EQ(ctx, a.private[0], 'C');
	a.private[0] = 'P';
	EXPECT_EQ(ctx, a.shared[0], 'C');
	munmap((void *)a.shared, PAGE);
	munmap((void *)a.private, PAGE);
	fs_rm_rf(dir);
}

static void msync_cases(struct ktap_ctx *ctx)
{
	char dir[64], f[256];
	int fd = make_file(fs_at(f, fs_scratch(dir, "fm-msync"), "f"), 2, 0, O_RDWR);
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	KT_EXPECT(ctx, p != MAP_FAILED);
	EXPECT_OK(ctx, msync(p, 2 * PAGE, MS_ASYNC));
	EXPECT_OK(ctx, msync(p, PAGE, MS_SYNC | MS_INVALIDATE));
	EXPECT_OK(ctx, msync(p, 0, MS_SYNC));
	EXPECT_ERRNO(ctx, msync(p, PAGE, MS_SYNC | MS_ASYNC), EINVAL);
	EXPECT_ERRNO(ctx, msync(p, PAGE, 0x100), EINVAL);
	EXPECT_ERRNO(ctx, msync(p + 1, PAGE, MS_SYNC), EINVAL);
	munmap(p + PAGE, PAGE);
	EXPECT_ERRNO(ctx, msync(p, 2 * PAGE, MS_SYNC), ENOMEM);
	munmap(p, PAGE);
	close(fd);
	fs_rm_rf(dir);
}

/* The line of /proc/self/maps that starts at @addr, into @line. */
static int maps_line(void *addr, char *line, size_t len)
{
	char want[32];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	snprintf(want, sizeof(want), "%08lx-", (unsigned long)addr);
	while (f && !found && fgets(line, len, f))
		found = !strncmp(line, want, strlen(want));
	if (f)
		fclose(f);
	return found;
}

static void proc_maps(struct ktap_ctx *ctx)
{
	char dir[64], f[256], line[512], want[512];
	int fd = make_file(fs_at(f, fs_scratch(dir, "fm-maps"), "f"), 3, 0, O_RDWR);
	char *p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
	struct stat st;
	unsigned long s, e, off, ino;
	char perms[8], devs[16], path[256];

	KT_EXPECT(ctx, p != MAP_FAILED && fstat(fd, &st) == 0);
	KT_EXPECT(ctx, maps_line(p, line, sizeof(line)));
	KT_EXPECT(ctx, sscanf(line, "%lx-%lx %7s %lx %15s %lu %255s", &s, &e, perms,
			      &off, devs, &ino, path) == 7);
	EXPECT_EQ(ctx, e - s, PAGE);
	EXPECT_STR(ctx, perms, "r--s");
	EXPECT_EQ(ctx, off, PAGE);
	snprintf(want, sizeof(want), "%02x:%02x", major(st.st_dev), minor(st.st_dev));
	EXPECT_STR(ctx, devs, want);
	EXPECT_EQ(ctx, ino, st.st_ino);
	EXPECT_STR(ctx, path, f);
	KT_EXPECT(ctx, strlen(line) > 73 && line[73] == '/');	/* column 74 */
	munmap(p, PAGE);
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	KT_EXPECT(ctx, maps_line(p, line, sizeof(line)) && strstr(line, " rw-p "));
	unlink(f);
	KT_EXPECT(ctx, maps_line(p, line, sizeof(line)) && strstr(line, " (deleted)"));
	munmap(p, PAGE);
	close(fd);
	fs_rm_rf(dir);
}

/* Its own program, from the initramfs, and a memfd: the same machinery. */
static void other_files(struct ktap_ctx *ctx)
{
	int fd = open("/proc/self/exe", O_RDONLY), mfd;
	char *p;

	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	KT_EXPECT(ctx, p != MAP_FAILED && !memcmp(p, "\177ELF", 4));
	munmap(p, PAGE);
	close(fd);
	mfd = memfd_create("fm", 0);
	EXPECT_OK(ctx, ftruncate(mfd, 2 * PAGE));
	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	KT_EXPECT(ctx, p != MAP_FAILED);
	if (p != MAP_FAILED) {
		p[PAGE] = 'm';
		EXPECT_EQ(ctx, file_byte(mfd, PAGE), 'm');
		munmap(p, 2 * PAGE);
	}
	close(mfd);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(shared_both_ways), KTAP_CASE(private_cow), KTAP_CASE(rights),
		KTAP_CASE(offsets), KTAP_CASE(past_eof), KTAP_CASE(after_fork),
		KTAP_CASE(msync_cases), KTAP_CASE(proc_maps), KTAP_CASE(other_files),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
