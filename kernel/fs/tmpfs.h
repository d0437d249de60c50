/*
 * kernel/fs/tmpfs.h — what tmpfs.c (names, inodes, the super block) and
 * tmpfs_file.c (the pages of regular files) share.
 *
 * A tmpfs regular file keeps its data in its page cache and nowhere
 * else (kernel/mm/filemap.c draws the tree): a page never written is
 * absent, reading it gives zeros, and a sparse file costs only the pages
 * written (st_blocks shows it).
 *
 * Locking: the pages under the cache's lock (kestrel/pagemap.h), never
 * held while copying to or from user memory (a page is taken with
 * get_page first); i_blocks under i_lock; i_size and the data under
 * i_mutex (writers and truncate).  Pages are charged to the super
 * block's size limit (ENOSPC), inodes to its inode limit.
 */
#ifndef KESTREL_FS_TMPFS_H
#define KESTREL_FS_TMPFS_H

#include <kestrel/fs.h>
#include <kestrel/pagemap.h>

#define TMPFS_MAXBYTES		PAGE_CACHE_MAXBYTES
#define BOGO_DIRENT_SIZE	20	/* a directory's i_size grows by this per entry */

struct page;

/**
 * struct tmpfs_sb_info - one tmpfs instance's limits and usage
 * @max_blocks, @max_inodes: (O) limits (pages, inodes); from size= and
 *          nr_inodes=, half of RAM by default; 0 is no limit
 * @used_blocks, @used_inodes: (A) what is charged now
 * @options_given: (O) show size= in /proc/mounts
 */
struct tmpfs_sb_info {
	unsigned long max_blocks;
	unsigned long max_inodes;
	unsigned long used_blocks;
	unsigned long used_inodes;
	bool options_given;
};

/** struct tmpfs_inode - a tmpfs file: nothing beyond the VFS inode yet. */
struct tmpfs_inode {
	struct inode vfs_inode;
};

static inline struct tmpfs_inode *TMPFS_I(struct inode *inode)
{
	return container_of(inode, struct tmpfs_inode, vfs_inode);
}

static inline struct tmpfs_sb_info *TMPFS_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

/* tmpfs.c: fill @sb as a tmpfs whose root has @root_mode (for the
 * file systems built on tmpfs: rootfs, devtmpfs, sysfs). */
int tmpfs_fill_super_mode(struct super_block *sb, const char *data,
			  umode_t root_mode);

/* tmpfs_file.c */
extern const struct file_operations tmpfs_file_operations;
extern const struct inode_operations tmpfs_file_inode_operations;
extern const struct address_space_operations tmpfs_aops;
void tmpfs_truncate_pages(struct inode *inode, loff_t from);

/**
 * tmpfs_get_page - page @index of @inode with a reference taken, or NULL
 * when it was never written; with @create, a zeroed page is made and
 * charged (ERR_PTR(-ENOSPC), (-ENOMEM)).  Never sleeps.
 */
struct page *tmpfs_get_page(struct inode *inode, unsigned long index,
			    bool create);

#endif
