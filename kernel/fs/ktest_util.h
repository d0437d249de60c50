/*
 * kernel/fs/ktest_util.h — helpers of the file system ktests
 * (*_ktest.c in kernel/fs/): the VFS through its kernel-internal calls,
 * the same ones the system calls use (do_filp_open, do_mkdirat, …), so
 * that every errno checked here is the one user space would see.
 *
 * Every test first calls kt_vfs(), which brings the file tree up if the
 * boot has not yet (ktests run before rest_init) and skips the test in
 * the stages where lab 8's holes are still open.
 */
#ifndef KESTREL_FS_KTEST_UTIL_H
#define KESTREL_FS_KTEST_UTIL_H

#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/ktest.h>
#include <kestrel/namei.h>
#include <kestrel/string.h>

/* Skip (and return false) unless the file tree works. */
static inline bool kt_vfs(struct ktest_ctx *ctx)
{
	vfs_init();
	if (!vfs_ready()) {
		ktest_skip(ctx, "needs the VFS (lab 8: walk_component, tmpfs_mknod, cpio_parse_header…)");
		return false;
	}
	return true;
}

/* KT_EQ - fail unless the long value of @expr is @want; says both. */
#define KT_EQ(ctx, expr, want)							\
	do {									\
		long kt_r_ = (long)(expr), kt_w_ = (long)(want);		\
		if (kt_r_ != kt_w_)						\
			ktest_fail(ctx, __FILE__, __LINE__, "%s = %ld, want %ld", \
				   #expr, kt_r_, kt_w_);			\
	} while (0)

/* open(2) and close at once: 0, or the open's -errno. */
static inline long kt_open(const char *path, int flags, umode_t mode)
{
	struct file *f = filp_open(path, flags, mode);

	if (IS_ERR(f))
		return PTR_ERR(f);
	filp_close(f);
	return 0;
}

/* Write @len bytes of @data at @pos of @path (opened with @flags). */
static inline long kt_pwrite(const char *path, const void *data, size_t len,
			     loff_t pos, int flags)
{
	struct file *f = filp_open(path, O_WRONLY | flags, 0644);
	long n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, data, len, &pos);
	filp_close(f);
	return n;
}

static inline long kt_write(const char *path, const char *s)
{
	return kt_pwrite(path, s, strlen(s), 0, O_CREAT | O_TRUNC);
}

/* Read up to @len - 1 bytes at @pos of @path into @buf, NUL-terminated. */
static inline long kt_pread(const char *path, char *buf, size_t len, loff_t pos)
{
	struct file *f = filp_open(path, O_RDONLY, 0);
	long n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, len - 1, &pos);
	filp_close(f);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

static inline long kt_read(const char *path, char *buf, size_t len)
{
	return kt_pread(path, buf, len, 0);
}

/* stat(2) (@flags LOOKUP_FOLLOW) or lstat (0): 0 or -errno. */
static inline long kt_stat(const char *path, unsigned int flags,
			   struct kstat *st)
{
	struct path p;
	long err = kern_path(path, flags, &p);

	if (err)
		return err;
	err = vfs_getattr(&p, st);
	path_put(&p);
	return err;
}

/* The mode of @path (lstat), or 0 if it does not exist. */
static inline umode_t kt_mode(const char *path)
{
	struct kstat st;

	return kt_stat(path, 0, &st) ? 0 : st.mode;
}

#endif
