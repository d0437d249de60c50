/*
 * tmpfs_file.c — the data of tmpfs's regular files: the page tree,
 * read, write, truncate (kernel/fs/tmpfs.h draws the tree).
 *
 * read(2) copies page by page: a page is looked up and referenced under
 * i_lock, copied with the lock dropped, then released, so a page fault
 * during the copy (the user's buffer may itself be mapped from a file)
 * never waits on a lock this file holds; holes read as zeros.  write(2)
 * takes i_mutex for the whole call, so writes do not interleave and
 * O_APPEND's "seek to the end, then write" is one step (write(2)).
 * Truncating frees whole pages past the new end and zeroes the tail of
 * the last one, so that growing the file again shows zeros.
 */
#include <asm/page.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/mm.h>
#include <kestrel/string.h>
#include <kestrel/uio.h>

#include "internal.h"
#include "tmpfs.h"

#define PT_SLOTS	(1UL << TMPFS_PT_SHIFT)

/* --- the page tree (under i_lock) ------------------------------------------ */

static unsigned long pt_capacity(unsigned int height)
{
	return height ? 1UL << (TMPFS_PT_SHIFT * height) : 0;
}

static unsigned int pt_slot(unsigned long index, int level)
{
	return (index >> (TMPFS_PT_SHIFT * level)) & (PT_SLOTS - 1);
}

static struct page *pt_lookup(struct tmpfs_inode *ti, unsigned long index)
{
	void **node = ti->pt_root;
	int level;

	if (index >= pt_capacity(ti->pt_height))
		return NULL;
	for (level = ti->pt_height - 1; node && level > 0; level--)
		node = node[pt_slot(index, level)];
	return node ? node[pt_slot(index, 0)] : NULL;
}

static void **pt_new_node(void)
{
	return (void **)get_zeroed_page(GFP_KERNEL);
}

/* Put @page at @index, growing the tree as needed.  0 or -ENOMEM/-EFBIG. */
static int pt_insert(struct tmpfs_inode *ti, unsigned long index,
		     struct page *page)
{
	void **node, **child;
	int level;

	while (index >= pt_capacity(ti->pt_height)) {
		if (ti->pt_height == TMPFS_MAX_HEIGHT)
			return -EFBIG;
		node = pt_new_node();
		if (!node)
			return -ENOMEM;
		node[0] = ti->pt_root;	/* the old tree is the first slot */
		ti->pt_root = node;
		ti->pt_height++;
	}
	node = ti->pt_root;
	for (level = ti->pt_height - 1; level > 0; level--) {
		child = node[pt_slot(index, level)];
		if (!child) {
			child = pt_new_node();
			if (!child)
				return -ENOMEM;
			node[pt_slot(index, level)] = child;
		}
		node = child;
	}
	node[pt_slot(index, 0)] = page;
	return 0;
}

/*
 * Free the pages at index ≥ @from under @node (at @level, covering
 * indices from @base); count them in *@freed.  Returns true when the
 * node is left empty (the caller frees it).
 */
static bool pt_trunc(void **node, int level, unsigned long base,
		     unsigned long from, unsigned long *freed)
{
	unsigned long span = 1UL << (TMPFS_PT_SHIFT * level), start;
	bool empty = true;
	unsigned int s;

	for (s = 0; s < PT_SLOTS; s++) {
		start = base + s * span;
		if (!node[s])
			continue;
		if (start + span <= from) {
			empty = false;
			continue;
		}
		if (level == 0) {
			put_page(node[s]);
			node[s] = NULL;
			(*freed)++;
		} else if (pt_trunc(node[s], level - 1, start, from, freed)) {
			free_page((unsigned long)node[s]);
			node[s] = NULL;
		} else {
			empty = false;
		}
	}
	return empty;
}

/* --- pages of a file ------------------------------------------------------- */

static bool charge_block(struct super_block *sb, long n)
{
	struct tmpfs_sb_info *sbi = TMPFS_SB(sb);
	unsigned long used = __atomic_add_fetch(&sbi->used_blocks, n,
						__ATOMIC_RELAXED);

	if (n > 0 && sbi->max_blocks && used > sbi->max_blocks) {
		__atomic_sub_fetch(&sbi->used_blocks, n, __ATOMIC_RELAXED);
		return false;
	}
	return true;
}

struct page *tmpfs_get_page(struct inode *inode, unsigned long index,
			    bool create)
{
	struct tmpfs_inode *ti = TMPFS_I(inode);
	struct page *page, *fresh;
	int err;

	spin_lock(&inode->i_lock);
	page = pt_lookup(ti, index);
	if (page)
		get_page(page);
	spin_unlock(&inode->i_lock);
	if (page || !create)
		return page;
	if (!charge_block(inode->i_sb, 1))
		return ERR_PTR(-ENOSPC);
	fresh = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!fresh) {
		charge_block(inode->i_sb, -1);
		return ERR_PTR(-ENOMEM);
	}
	spin_lock(&inode->i_lock);
	page = pt_lookup(ti, index);	/* someone else's fault got there first? */
	err = page ? 0 : pt_insert(ti, index, fresh);
	if (!page && !err) {
		page = fresh;
		fresh = NULL;
		inode->i_blocks += PAGE_SIZE / 512;
	}
	if (page)
		get_page(page);
	spin_unlock(&inode->i_lock);
	if (fresh) {
		__free_page(fresh);
		charge_block(inode->i_sb, -1);
	}
	return page ? page : ERR_PTR(err);
}

void tmpfs_truncate_pages(struct inode *inode, loff_t from)
{
	struct tmpfs_inode *ti = TMPFS_I(inode);
	unsigned long first = (from + PAGE_SIZE - 1) >> PAGE_SHIFT, freed = 0;
	struct page *page;
	size_t off = from & (PAGE_SIZE - 1);

	spin_lock(&inode->i_lock);
	if (ti->pt_root && pt_trunc(ti->pt_root, ti->pt_height - 1, 0, first,
				    &freed)) {
		free_page((unsigned long)ti->pt_root);
		ti->pt_root = NULL;
		ti->pt_height = 0;
	}
	inode->i_blocks -= freed * (PAGE_SIZE / 512);
	page = off ? pt_lookup(ti, from >> PAGE_SHIFT) : NULL;
	if (page)
		memset((char *)page_to_virt(page) + off, 0, PAGE_SIZE - off);
	spin_unlock(&inode->i_lock);
	charge_block(inode->i_sb, -(long)freed);
}

/* --- read and write -------------------------------------------------------- */

static ssize_t tmpfs_read_iter(struct file *file, struct iov_iter *to,
			       loff_t *pos)
{
	struct inode *inode = file->f_inode;
	loff_t size = __atomic_load_n(&inode->i_size, __ATOMIC_RELAXED);
	size_t off, n, copied;
	ssize_t done = 0;
	struct page *page;

	while (iov_iter_count(to) && *pos < size) {
		off = *pos & (PAGE_SIZE - 1);
		n = MIN(PAGE_SIZE - off, iov_iter_count(to));
		n = MIN((loff_t)n, size - *pos);
		page = tmpfs_get_page(inode, *pos >> PAGE_SHIFT, false);
		if (page) {
			copied = copy_to_iter((char *)page_to_virt(page) + off,
					      n, to);
			put_page(page);
		} else {
			copied = iov_iter_zero(n, to);	/* a hole */
		}
		done += copied;
		*pos += copied;
		if (copied < n)
			return done ? done : -EFAULT;
	}
	if (done)
		file_accessed(file);
	return done;
}

/* A write by someone other than root clears set-user-ID and set-group-ID. */
static void file_remove_privs(struct inode *inode)
{
	umode_t kill = S_ISUID;

	if (inode->i_mode & S_IXGRP)
		kill |= S_ISGID;
	if ((inode->i_mode & kill) && !capable_fowner())
		inode->i_mode &= ~kill;
}

static ssize_t tmpfs_write_locked(struct file *file, struct iov_iter *from,
				  loff_t *pos)
{
	struct inode *inode = file->f_inode;
	loff_t max = inode->i_sb->s_maxbytes;
	size_t off, n, copied, count = iov_iter_count(from);
	ssize_t done = 0;
	struct page *page;

	if (*pos >= max)
		return -EFBIG;
	count = MIN((loff_t)count, max - *pos);
	file_remove_privs(inode);
	while (count) {
		off = *pos & (PAGE_SIZE - 1);
		n = MIN(PAGE_SIZE - off, count);
		page = tmpfs_get_page(inode, *pos >> PAGE_SHIFT, true);
		if (IS_ERR(page))
			return done ? done : PTR_ERR(page);
		copied = copy_from_iter((char *)page_to_virt(page) + off, n, from);
		put_page(page);
		done += copied;
		*pos += copied;
		count -= copied;
		if (*pos > inode->i_size)
			__atomic_store_n(&inode->i_size, *pos, __ATOMIC_RELAXED);
		if (copied < n)
			return done ? done : -EFAULT;
	}
	return done;
}

static ssize_t tmpfs_write_iter(struct file *file, struct iov_iter *from,
				loff_t *pos)
{
	struct inode *inode = file->f_inode;
	ssize_t ret;

	mutex_lock(&inode->i_mutex);
	if (file->f_flags & O_APPEND)
		*pos = inode->i_size;
	ret = tmpfs_write_locked(file, from, pos);
	if (ret > 0)
		inode_touch_mc(inode);
	mutex_unlock(&inode->i_mutex);
	return ret;
}

static int tmpfs_fsync(struct file *file, int datasync)
{
	return 0;	/* memory is as stable as tmpfs gets */
}

/* ->setattr of files: a new size frees or (sparsely) adds pages. */
static int tmpfs_file_setattr(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = dentry->d_inode;

	if ((attr->ia_valid & ATTR_SIZE) && attr->ia_size != inode->i_size) {
		if (attr->ia_size < inode->i_size)
			tmpfs_truncate_pages(inode, attr->ia_size);
		inode->i_size = attr->ia_size;
		attr->ia_valid |= ATTR_MTIME | ATTR_CTIME;
		attr->ia_mtime = attr->ia_ctime;
		__atomic_add_fetch(&inode->i_generation, 1, __ATOMIC_RELAXED);
	}
	attr->ia_valid &= ~ATTR_SIZE;
	return simple_setattr(dentry, attr);
}

const struct file_operations tmpfs_file_operations = {
	.llseek = generic_file_llseek,
	.read_iter = tmpfs_read_iter,
	.write_iter = tmpfs_write_iter,
	.fsync = tmpfs_fsync,
};

const struct inode_operations tmpfs_file_inode_operations = {
	.setattr = tmpfs_file_setattr,
};
