/*
 * tmpfs_file.c — the data of tmpfs's regular files: read, write,
 * truncate, mmap.  The pages are the file's page cache (kernel/mm/
 * filemap.c), and nothing else: tmpfs has no disk behind it, so a page
 * missing from the cache is a hole, made zeroed when first written or
 * mapped (tmpfs_new_page, charged to the size limit).
 *
 * read(2) copies page by page: a page is looked up and referenced under
 * the cache's lock, copied with the lock dropped, then released, so a page fault
 * during the copy (the user's buffer may itself be mapped from a file)
 * never waits on a lock this file holds; holes read as zeros.  write(2)
 * takes i_mutex for the whole call, so writes do not interleave and
 * O_APPEND's "seek to the end, then write" is one step (write(2)).
 * Truncating first sets the new size, then removes the pages past it
 * from every process that maps them (a later touch is SIGBUS), then
 * frees them and zeroes the tail of the last one, so that growing the
 * file again shows zeros.
 */
#include <asm/page.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/mm.h>
#include <kestrel/pagemap.h>
#include <kestrel/string.h>
#include <kestrel/uio.h>

#include "internal.h"
#include "tmpfs.h"

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

/* a_ops->get_page: a zeroed page for the hole at @index, charged. */
static struct page *tmpfs_new_page(struct address_space *mapping,
				   unsigned long index)
{
	struct inode *inode = mapping->host;
	struct page *fresh, *page;
	int err;

	if (!charge_block(inode->i_sb, 1))
		return ERR_PTR(-ENOSPC);
	fresh = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!fresh) {
		charge_block(inode->i_sb, -1);
		return ERR_PTR(-ENOMEM);
	}
	err = add_to_page_cache(mapping, fresh, index);
	if (!err) {
		spin_lock(&inode->i_lock);
		inode->i_blocks += PAGE_SIZE / 512;
		spin_unlock(&inode->i_lock);
		return fresh;	/* the caller's reference is the allocation's */
	}
	__free_page(fresh);
	charge_block(inode->i_sb, -1);
	if (err != -EEXIST)
		return ERR_PTR(err);
	/* Another fault or write made it first: theirs, then. */
	page = find_get_page(mapping, index);
	return page ? page : ERR_PTR(-EAGAIN);
}

const struct address_space_operations tmpfs_aops = {
	.get_page = tmpfs_new_page,
};

struct page *tmpfs_get_page(struct inode *inode, unsigned long index,
			    bool create)
{
	struct page *page;

	if (!create)
		return find_get_page(inode->i_mapping, index);
	do {
		page = read_mapping_page(inode->i_mapping, index);
	} while (page == ERR_PTR(-EAGAIN));	/* made, then truncated at once */
	return page;
}

void tmpfs_truncate_pages(struct inode *inode, loff_t from)
{
	unsigned long freed = truncate_inode_pages(inode->i_mapping, from);

	spin_lock(&inode->i_lock);
	inode->i_blocks -= freed * (PAGE_SIZE / 512);
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
		if (attr->ia_size < inode->i_size) {
			__atomic_store_n(&inode->i_size, attr->ia_size,
					 __ATOMIC_RELEASE);
			unmap_mapping_range(inode->i_mapping,
					    (attr->ia_size + PAGE_SIZE - 1) >> PAGE_SHIFT);
			tmpfs_truncate_pages(inode, attr->ia_size);
		}
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
	.mmap = generic_file_mmap,
};

const struct inode_operations tmpfs_file_inode_operations = {
	.setattr = tmpfs_file_setattr,
};
