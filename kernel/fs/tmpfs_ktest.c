/*
 * tmpfs_ktest.c — ktests of tmpfs: files and their pages (sparse files,
 * truncation, O_APPEND, a file unlinked while open), hard links and link
 * counts, rename in all its cases (rename(2)), a directory of 10 000
 * entries read back with the same readdir getdents64 uses, and the page
 * cache under a file (kernel/mm/filemap.c).
 */
#include <kestrel/mm.h>
#include <kestrel/pagemap.h>
#include <kestrel/sprintf.h>
#include <kestrel/vmalloc.h>

#include "internal.h"
#include "ktest_util.h"

KTEST(tmpfs_files)
{
	static const char zeros[16];
	struct kstat st;
	struct file *f;
	char buf[32];
	loff_t pos;

	if (!kt_vfs(ctx))
		return;
	KT_EQ(ctx, kt_write("/tmp/kt_file", "hello, tmpfs"), 12);
	KT_EQ(ctx, kt_read("/tmp/kt_file", buf, sizeof(buf)), 12);
	KT_EXPECT(ctx, strcmp(buf, "hello, tmpfs") == 0);
	KT_EQ(ctx, kt_pread("/tmp/kt_file", buf, sizeof(buf), 7), 5);
	KT_EQ(ctx, kt_pwrite("/tmp/kt_file", "!", 1, 0, O_APPEND), 1);
	KT_EQ(ctx, kt_stat("/tmp/kt_file", 0, &st), 0);
	KT_EQ(ctx, st.size, 13);
	KT_EQ(ctx, st.blocks, 8);		/* one page, in 512-byte units */
	/* Sparse: a byte at 1 GiB costs one page; the hole reads as zeros. */
	KT_EQ(ctx, kt_pwrite("/tmp/kt_file", "z", 1, 1L << 30, 0), 1);
	KT_EQ(ctx, kt_stat("/tmp/kt_file", 0, &st), 0);
	KT_EQ(ctx, st.size, (1L << 30) + 1);
	KT_EQ(ctx, st.blocks, 16);
	KT_EQ(ctx, kt_pread("/tmp/kt_file", buf, 17, 1L << 20), 16);
	KT_EXPECT(ctx, memcmp(buf, zeros, 16) == 0);
	/* Truncate down, then up: what was past the end reads as zeros. */
	f = filp_open("/tmp/kt_file", O_RDWR, 0);
	KT_EXPECT(ctx, !IS_ERR(f));
	if (IS_ERR(f))
		return;
	KT_EQ(ctx, do_truncate(f->f_path.dentry, 5, 0), 0);
	KT_EQ(ctx, f->f_inode->i_blocks, 8);
	KT_EQ(ctx, do_truncate(f->f_path.dentry, 20, 0), 0);
	pos = 0;
	KT_EQ(ctx, kernel_read(f, buf, 32, &pos), 20);
	KT_EXPECT(ctx, memcmp(buf, "hello", 5) == 0 && memcmp(buf + 5, zeros, 15) == 0);
	KT_EQ(ctx, vfs_llseek(f, 0, SEEK_END), 20);
	KT_EQ(ctx, vfs_llseek(f, -1, SEEK_SET), -EINVAL);
	KT_EQ(ctx, vfs_llseek(f, 3, SEEK_DATA), 3);
	KT_EQ(ctx, vfs_llseek(f, 3, SEEK_HOLE), 20);
	KT_EQ(ctx, vfs_llseek(f, 25, SEEK_DATA), -ENXIO);
	/* Unlinked while open: the data lives on until the last close. */
	KT_EQ(ctx, do_unlinkat(AT_FDCWD, "/tmp/kt_file"), 0);
	KT_EQ(ctx, kt_mode("/tmp/kt_file"), 0);
	pos = 0;
	KT_EQ(ctx, kernel_read(f, buf, 5, &pos), 5);
	KT_EQ(ctx, f->f_inode->i_nlink, 0);
	pos = 100;
	KT_EQ(ctx, kernel_write(f, "late", 4, &pos), 4);
	filp_close(f);
}

KTEST(tmpfs_links)
{
	struct kstat st;
	char buf[16];

	if (!kt_vfs(ctx))
		return;
	KT_EQ(ctx, do_mkdirat(AT_FDCWD, "/tmp/kt_ln", 0755), 0);
	KT_EQ(ctx, kt_stat("/tmp/kt_ln", 0, &st), 0);
	KT_EQ(ctx, st.nlink, 2);
	KT_EQ(ctx, do_mkdirat(AT_FDCWD, "/tmp/kt_ln/sub", 0755), 0);
	KT_EQ(ctx, kt_stat("/tmp/kt_ln", 0, &st), 0);
	KT_EQ(ctx, st.nlink, 3);			/* sub's ".." */
	KT_EQ(ctx, kt_write("/tmp/kt_ln/a", "data"), 4);
	KT_EQ(ctx, do_linkat(AT_FDCWD, "/tmp/kt_ln/a", AT_FDCWD, "/tmp/kt_ln/sub/b", 0), 0);
	KT_EQ(ctx, do_linkat(AT_FDCWD, "/tmp/kt_ln/a", AT_FDCWD, "/tmp/kt_ln/sub/b", 0), -EEXIST);
	KT_EQ(ctx, kt_stat("/tmp/kt_ln/sub/b", 0, &st), 0);
	KT_EQ(ctx, st.nlink, 2);
	KT_EQ(ctx, do_unlinkat(AT_FDCWD, "/tmp/kt_ln/a"), 0);
	KT_EQ(ctx, kt_read("/tmp/kt_ln/sub/b", buf, sizeof(buf)), 4);
	KT_EQ(ctx, kt_stat("/tmp/kt_ln/sub/b", 0, &st), 0);
	KT_EQ(ctx, st.nlink, 1);
	/* A link to a symlink is a link to the symlink itself (linkat(2)). */
	KT_EQ(ctx, do_symlinkat("sub/b", AT_FDCWD, "/tmp/kt_ln/s"), 0);
	KT_EQ(ctx, do_linkat(AT_FDCWD, "/tmp/kt_ln/s", AT_FDCWD, "/tmp/kt_ln/s2", 0), 0);
	KT_EQ(ctx, kt_mode("/tmp/kt_ln/s2"), S_IFLNK | 0777);
	KT_EQ(ctx, do_linkat(AT_FDCWD, "/tmp/kt_ln/s", AT_FDCWD, "/tmp/kt_ln/s3",
			     AT_SYMLINK_FOLLOW), 0);
	KT_EQ(ctx, kt_mode("/tmp/kt_ln/s3"), S_IFREG | 0644);
	KT_EQ(ctx, do_linkat(AT_FDCWD, "/tmp/kt_ln/s", AT_FDCWD, "/tmp/kt_ln/s4", 0x8000), -EINVAL);
	do_unlinkat(AT_FDCWD, "/tmp/kt_ln/s");
	do_unlinkat(AT_FDCWD, "/tmp/kt_ln/s2");
	do_unlinkat(AT_FDCWD, "/tmp/kt_ln/s3");
	KT_EQ(ctx, do_unlinkat(AT_FDCWD, "/tmp/kt_ln/sub/b"), 0);
	KT_EQ(ctx, do_rmdir(AT_FDCWD, "/tmp/kt_ln/sub"), 0);
	KT_EQ(ctx, kt_stat("/tmp/kt_ln", 0, &st), 0);
	KT_EQ(ctx, st.nlink, 2);
	KT_EQ(ctx, do_rmdir(AT_FDCWD, "/tmp/kt_ln"), 0);
}

static long kt_rename(const char *a, const char *b, unsigned int flags)
{
	return do_renameat2(AT_FDCWD, a, AT_FDCWD, b, flags);
}

KTEST(tmpfs_rename)
{
	struct kstat st;
	char buf[16];

	if (!kt_vfs(ctx))
		return;
	KT_EQ(ctx, do_mkdirat(AT_FDCWD, "/tmp/kt_mv", 0755), 0);
	KT_EQ(ctx, do_mkdirat(AT_FDCWD, "/tmp/kt_mv/d1", 0755), 0);
	KT_EQ(ctx, do_mkdirat(AT_FDCWD, "/tmp/kt_mv/d1/in", 0755), 0);
	KT_EQ(ctx, do_mkdirat(AT_FDCWD, "/tmp/kt_mv/d2", 0755), 0);
	KT_EQ(ctx, kt_write("/tmp/kt_mv/f1", "one"), 3);
	KT_EQ(ctx, kt_write("/tmp/kt_mv/f2", "two"), 3);
	/* A file over a file: the target is replaced in one step. */
	KT_EQ(ctx, kt_rename("/tmp/kt_mv/f1", "/tmp/kt_mv/f2", 0), 0);
	KT_EQ(ctx, kt_read("/tmp/kt_mv/f2", buf, sizeof(buf)), 3);
	KT_EXPECT(ctx, strcmp(buf, "one") == 0);
	KT_EQ(ctx, kt_mode("/tmp/kt_mv/f1"), 0);
	KT_EQ(ctx, kt_rename("/tmp/kt_mv/f1", "/tmp/kt_mv/f3", 0), -ENOENT);
	KT_EQ(ctx, kt_rename("/tmp/kt_mv/f2", "/tmp/kt_mv/d2", 0), -EISDIR);
	KT_EQ(ctx, kt_rename("/tmp/kt_mv/d2", "/tmp/kt_mv/f2", 0), -ENOTDIR);
	KT_EQ(ctx, kt_rename("/tmp/kt_mv/d2", "/tmp/kt_mv/d1", 0), -ENOTEMPTY);
	KT_EQ(ctx, kt_rename("/tmp/kt_mv/d1", "/tmp/kt_mv/d1/in/x", 0), -EINVAL);
	KT_EQ(ctx, kt_rename("/tmp/kt_mv/d1/in", "/tmp/kt_mv/d1/in", 0), 0);
	KT_EQ(ctx, kt_rename("/tmp/kt_mv/d1/in/..", "/tmp/kt_mv/x", 0), -EBUSY);
	KT_EQ(ctx, kt_rename("/tmp/kt_mv/f2", "/tmp/kt_mv/f2/", 0), -ENOTDIR);
	KT_EQ(ctx, kt_rename("/tmp/kt_mv/f2", "/dev/f2", 0), -EXDEV);
	KT_EQ(ctx, kt_rename("/tmp/kt_mv/f2", "/tmp/kt_mv/d2", RENAME_NOREPLACE), -EEXIST);
	KT_EQ(ctx, kt_rename("/tmp/kt_mv/f2", "/tmp/kt_mv/n", RENAME_EXCHANGE), -ENOENT);
	KT_EQ(ctx, kt_rename("/tmp/kt_mv/f2", "/tmp/kt_mv/n",
			     RENAME_EXCHANGE | RENAME_NOREPLACE), -EINVAL);
	/* A directory over an empty one, into another parent: link counts. */
	KT_EQ(ctx, kt_rename("/tmp/kt_mv/d1/in", "/tmp/kt_mv/d2", 0), 0);
	KT_EQ(ctx, kt_stat("/tmp/kt_mv/d1", 0, &st), 0);
	KT_EQ(ctx, st.nlink, 2);
	KT_EQ(ctx, kt_stat("/tmp/kt_mv", 0, &st), 0);
	KT_EQ(ctx, st.nlink, 4);			/* d1, d2 */
	KT_EQ(ctx, kt_rename("/tmp/kt_mv/d2", "/tmp/kt_mv/d1/d3", 0), 0);
	KT_EQ(ctx, kt_stat("/tmp/kt_mv/d1", 0, &st), 0);
	KT_EQ(ctx, st.nlink, 3);
	KT_EQ(ctx, kt_mode("/tmp/kt_mv/d1/d3/../../f2"), S_IFREG | 0644);
	/* Exchange swaps a file and a directory. */
	KT_EQ(ctx, kt_rename("/tmp/kt_mv/f2", "/tmp/kt_mv/d1", RENAME_EXCHANGE), 0);
	KT_EQ(ctx, kt_mode("/tmp/kt_mv/d1"), S_IFREG | 0644);
	KT_EQ(ctx, kt_mode("/tmp/kt_mv/f2/d3"), S_IFDIR | 0755);
	KT_EQ(ctx, kt_stat("/tmp/kt_mv", 0, &st), 0);
	KT_EQ(ctx, st.nlink, 3);
	KT_EQ(ctx, kt_rename("/tmp/kt_mv/f2", "/tmp/kt_mv/f2/d3/x", RENAME_EXCHANGE), -ENOENT);
	/* Two names of one file: nothing happens, both stay (rename(2)). */
	KT_EQ(ctx, do_linkat(AT_FDCWD, "/tmp/kt_mv/d1", AT_FDCWD, "/tmp/kt_mv/hl", 0), 0);
	KT_EQ(ctx, kt_rename("/tmp/kt_mv/d1", "/tmp/kt_mv/hl", 0), 0);
	KT_EQ(ctx, kt_mode("/tmp/kt_mv/d1"), S_IFREG | 0644);
	do_unlinkat(AT_FDCWD, "/tmp/kt_mv/hl");
	do_unlinkat(AT_FDCWD, "/tmp/kt_mv/d1");
	do_rmdir(AT_FDCWD, "/tmp/kt_mv/f2/d3");
	do_rmdir(AT_FDCWD, "/tmp/kt_mv/f2");
	KT_EQ(ctx, do_rmdir(AT_FDCWD, "/tmp/kt_mv"), 0);
}

/* readdir into a kernel buffer: count entries, check the names' order. */
struct kt_dir {
	struct dir_context ctx;
	long calls;
	long entries;
	long bad;
	long next;		/* f%05ld expected next */
};

static bool kt_count(struct dir_context *ctx, const char *name, int len,
		     u64 ino, unsigned int type)
{
	struct kt_dir *d = container_of(ctx, struct kt_dir, ctx);
	char want[8];

	if (++d->calls % 300 == 0)
		return false;	/* "the buffer is full": offered again next time */
	d->entries++;
	if (name[0] == '.')
		return true;
	snprintf(want, sizeof(want), "f%05ld", d->next++);
	if (len != 6 || memcmp(name, want, 6) || type != 8)
		d->bad++;
	return true;
}

KTEST(tmpfs_bigdir)
{
	unsigned long free_before = nr_free_pages();
	struct kt_dir d = { .ctx.actor = kt_count };
	char name[32];
	struct file *dir;
	long i, err = 0;

	if (!kt_vfs(ctx))
		return;
	KT_EQ(ctx, do_mkdirat(AT_FDCWD, "/tmp/kt_big", 0755), 0);
	for (i = 0; i < 10000 && !err; i++) {
		snprintf(name, sizeof(name), "/tmp/kt_big/f%05ld", i);
		err = kt_open(name, O_CREAT | O_EXCL | O_WRONLY, 0644);
	}
	KT_EQ(ctx, err, 0);
	dir = filp_open("/tmp/kt_big", O_RDONLY | O_DIRECTORY, 0);
	KT_EXPECT(ctx, !IS_ERR(dir));
	if (IS_ERR(dir))
		return;
	do {			/* resume where the "buffer" filled, as getdents64 does */
		i = d.entries;
		KT_EQ(ctx, iterate_dir(dir, &d.ctx), 0);
	} while (d.entries != i);
	filp_close(dir);
	KT_EQ(ctx, d.entries, 10002);
	KT_EQ(ctx, d.bad, 0);
	KT_EQ(ctx, d.next, 10000);
	for (i = 0; i < 10000; i++) {
		snprintf(name, sizeof(name), "/tmp/kt_big/f%05ld", i);
		err |= do_unlinkat(AT_FDCWD, name);
	}
	KT_EQ(ctx, err, 0);
	KT_EQ(ctx, do_rmdir(AT_FDCWD, "/tmp/kt_big"), 0);
	/* Everything made was freed (negative dentries stay cached). */
	dcache_prune(20000);
	KT_EXPECT(ctx, nr_free_pages() + 64 >= free_before);
}

/*
 * The page cache under a tmpfs file: write(2) fills it, a lookup gives
 * the very page that read(2) copies from, a second page cannot take an
 * index already used, a hole is made on demand once and only once, and
 * truncate drops exactly the pages past the end.
 */
KTEST(tmpfs_page_cache)
{
	struct address_space *mapping;
	struct page *page, *again, *extra;
	struct file *f;
	loff_t pos = 0;

	if (!kt_vfs(ctx))
		return;
	f = filp_open("/tmp/kt_cache", O_RDWR | O_CREAT | O_TRUNC, 0644);
	KT_EXPECT(ctx, !IS_ERR(f));
	if (IS_ERR(f))
		return;
	mapping = f->f_inode->i_mapping;
	KT_EXPECT(ctx, mapping->host == f->f_inode && mapping->a_ops);
	KT_EQ(ctx, mapping->nrpages, 0);
	KT_EQ(ctx, kernel_write(f, "cached", 6, &pos), 6);
	KT_EQ(ctx, mapping->nrpages, 1);
	page = find_get_page(mapping, 0);
	KT_EXPECT(ctx, page && memcmp(page_to_virt(page), "cached", 6) == 0);
	KT_EXPECT(ctx, page && page_ref_count(page) >= 2);	/* the cache's + ours */
	KT_EXPECT(ctx, find_get_page(mapping, 1) == NULL);
	extra = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KT_EXPECT(ctx, extra != NULL);
	if (extra) {
		KT_EQ(ctx, add_to_page_cache(mapping, extra, 0), -EEXIST);
		__free_page(extra);
	}
	/* A hole (index 700: a second tree level) made on demand, once. */
	again = read_mapping_page(mapping, 700);
	KT_EXPECT(ctx, !IS_ERR(again));
	KT_EQ(ctx, mapping->nrpages, 2);
	extra = read_mapping_page(mapping, 700);
	KT_EXPECT(ctx, extra == again);
	KT_EQ(ctx, mapping->nrpages, 2);
	if (!IS_ERR(extra))
		put_page(extra);
	/* Truncate to 3 bytes: page 700 goes, page 0 stays with zeros after. */
	KT_EQ(ctx, do_truncate(f->f_path.dentry, 3, 0), 0);
	KT_EQ(ctx, mapping->nrpages, 1);
	KT_EXPECT(ctx, find_get_page(mapping, 700) == NULL);
	if (page) {
		KT_EXPECT(ctx, memcmp(page_to_virt(page), "cac\0\0\0", 6) == 0);
		put_page(page);
	}
	if (!IS_ERR(again))
		put_page(again);	/* the truncated page: freed now */
	filp_close(f);
	KT_EQ(ctx, do_unlinkat(AT_FDCWD, "/tmp/kt_cache"), 0);
}
