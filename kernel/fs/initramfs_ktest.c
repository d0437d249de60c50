/*
 * initramfs_ktest.c — ktests of the initramfs unpacker: an archive built
 * here, byte by byte in the newc format (cpio(5)), with every kind of
 * entry — directory, file, symlink, hard links the GNU cpio way, FIFO,
 * device node, "." — and a second archive after zero padding; the same
 * archive inside a gzip member (one stored DEFLATE block, RFC 1951
 * §3.2.4, with its CRC-32); and a damaged one.  The archive is unpacked
 * into a directory of /tmp by making it the working directory.
 */
#include <kestrel/fs_struct.h>
#include <kestrel/inflate.h>
#include <kestrel/slab.h>
#include <kestrel/sprintf.h>

#include "initramfs.h"
#include "internal.h"
#include "ktest_util.h"

#define KT_MTIME	1234567890

/* Append one entry at @pos of @buf; the new end. */
static size_t kt_cpio_add(char *buf, size_t pos, const char *name, u32 mode,
			  u32 ino, u32 nlink, const char *data, u32 rdev_major,
			  u32 rdev_minor)
{
	size_t size = data ? strlen(data) : 0, namesize = strlen(name) + 1;

	pos += snprintf(buf + pos, CPIO_HDR_LEN + 1,
			"070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
			ino, mode, 1000, 100, nlink, KT_MTIME, (u32)size, 0, 0,
			rdev_major, rdev_minor, (u32)namesize, 0);
	memcpy(buf + pos, name, namesize);
	pos += namesize;
	while (pos % 4)
		buf[pos++] = 0;
	memcpy(buf + pos, data, size);
	pos += size;
	while (pos % 4)
		buf[pos++] = 0;
	return pos;
}

static size_t kt_archive(char *buf)
{
	size_t n = 0;

	n = kt_cpio_add(buf, n, ".", S_IFDIR | 0755, 1, 2, NULL, 0, 0);
	n = kt_cpio_add(buf, n, "./d", S_IFDIR | 0750, 2, 2, NULL, 0, 0);
	n = kt_cpio_add(buf, n, "./d/f", S_IFREG | 0640, 3, 1, "content", 0, 0);
	n = kt_cpio_add(buf, n, "l", S_IFLNK | 0777, 4, 1, "d/f", 0, 0);
	/* GNU cpio: every name of a hard-linked file, data with the last. */
	n = kt_cpio_add(buf, n, "h1", S_IFREG | 0600, 42, 2, NULL, 0, 0);
	n = kt_cpio_add(buf, n, "h2", S_IFREG | 0600, 42, 2, "shared", 0, 0);
	n = kt_cpio_add(buf, n, "p", S_IFIFO | 0600, 5, 1, NULL, 0, 0);
	n = kt_cpio_add(buf, n, "null", S_IFCHR | 0666, 6, 1, NULL, 1, 3);
	n = kt_cpio_add(buf, n, "TRAILER!!!", 0, 0, 1, NULL, 0, 0);
	memset(buf + n, 0, 512);		/* padding, then a second archive */
	n += 512;
	n = kt_cpio_add(buf, n, "second", S_IFREG | 0644, 1, 1, "2nd", 0, 0);
	n = kt_cpio_add(buf, n, "TRAILER!!!", 0, 0, 1, NULL, 0, 0);
	return n;
}

/* Make the directory @dir and the working directory of the kernel. */
static bool kt_enter(struct ktest_ctx *ctx, const char *dir)
{
	struct path p;

	KT_EQ(ctx, do_mkdirat(AT_FDCWD, dir, 0755), 0);
	if (kern_path(dir, LOOKUP_FOLLOW, &p))
		return false;
	set_fs_pwd(&init_fs, &p);
	path_put(&p);
	return true;
}

static void kt_leave(void)
{
	set_fs_pwd(&init_fs, &init_fs.root);
}

static void kt_check_tree(struct ktest_ctx *ctx)
{
	struct kstat st;
	char buf[16];

	KT_EQ(ctx, kt_mode("d"), S_IFDIR | 0750);
	KT_EQ(ctx, kt_stat("d/f", 0, &st), 0);
	KT_EQ(ctx, st.mode, S_IFREG | 0640);
	KT_EQ(ctx, st.uid, 1000);
	KT_EQ(ctx, st.gid, 100);
	KT_EQ(ctx, st.mtime.tv_sec, KT_MTIME);
	KT_EQ(ctx, kt_read("l", buf, sizeof(buf)), 7);
	KT_EXPECT(ctx, strcmp(buf, "content") == 0);
	KT_EQ(ctx, kt_mode("l"), S_IFLNK | 0777);
	KT_EQ(ctx, kt_stat("h1", 0, &st), 0);
	KT_EQ(ctx, st.nlink, 2);
	KT_EQ(ctx, kt_read("h1", buf, sizeof(buf)), 6);
	KT_EQ(ctx, kt_mode("p"), S_IFIFO | 0600);
	KT_EQ(ctx, kt_stat("null", 0, &st), 0);
	KT_EQ(ctx, st.rdev, MKDEV(1, 3));
	KT_EQ(ctx, kt_read("second", buf, sizeof(buf)), 3);
	KT_EQ(ctx, kt_stat("d", 0, &st), 0);
	KT_EQ(ctx, st.mtime.tv_sec, KT_MTIME);	/* set after its entries */
}

static void kt_clean_tree(void)
{
	static const char *const files[] = {
		"d/f", "l", "h1", "h2", "p", "null", "second",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(files); i++)
		do_unlinkat(AT_FDCWD, files[i]);
	do_rmdir(AT_FDCWD, "d");
}

KTEST(initramfs_unpack)
{
	char *buf = kzalloc(4096, GFP_KERNEL);
	size_t n;

	if (!kt_vfs(ctx) || !buf) {
		kfree(buf);
		return;
	}
	n = kt_archive(buf);
	if (kt_enter(ctx, "/tmp/kt_ird")) {
		KT_EQ(ctx, initramfs_unpack(buf, n), 0);
		kt_check_tree(ctx);
		/* Unpacked again over itself: replaced, same result. */
		KT_EQ(ctx, initramfs_unpack(buf, n), 0);
		kt_check_tree(ctx);
		buf[20] = 'x';			/* not a hex digit */
		KT_EQ(ctx, initramfs_unpack(buf, n), -EINVAL);
		kt_clean_tree();
		kt_leave();
	}
	KT_EQ(ctx, do_rmdir(AT_FDCWD, "/tmp/kt_ird"), 0);
	kfree(buf);
}

/* @data (@n bytes) as a gzip member: one stored block. */
static size_t kt_gzip_stored(u8 *out, const char *data, size_t n)
{
	static const u8 head[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	u32 crc = crc32_le(0, (const u8 *)data, n);
	size_t p = 0;

	memcpy(out, head, 10);
	p = 10;
	out[p++] = 1;			/* BFINAL, BTYPE 00: stored */
	out[p++] = n & 0xff;
	out[p++] = n >> 8;
	out[p++] = ~n & 0xff;
	out[p++] = (~n >> 8) & 0xff;
	memcpy(out + p, data, n);
	p += n;
	memcpy(out + p, &crc, 4);	/* little-endian, as x86 stores it */
	memcpy(out + p + 4, &n, 4);
	return p + 8;
}

KTEST(initramfs_gzip)
{
	char *buf = kzalloc(4096, GFP_KERNEL);
	u8 *gz = kzalloc(4096 + 64, GFP_KERNEL);
	size_t n, g;

	if (!kt_vfs(ctx) || !buf || !gz) {
		kfree(buf);
		kfree(gz);
		return;
	}
	n = kt_archive(buf);
	g = kt_gzip_stored(gz, buf, n);
	KT_EQ(ctx, crc32_le(0, (const u8 *)"123456789", 9), 0xcbf43926);	/* the check value */
	if (kt_enter(ctx, "/tmp/kt_igz")) {
		KT_EQ(ctx, initramfs_unpack(gz, g), 0);
		kt_check_tree(ctx);
		kt_clean_tree();
		gz[g - 5] ^= 1;			/* a wrong CRC */
		KT_EQ(ctx, initramfs_unpack(gz, g), -EBADMSG);
		kt_leave();
	}
	KT_EQ(ctx, do_rmdir(AT_FDCWD, "/tmp/kt_igz"), 0);
	kfree(buf);
	kfree(gz);
}
