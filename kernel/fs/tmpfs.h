/*
 * kernel/fs/tmpfs.h — what tmpfs.c (names, inodes, the super block) and
 * tmpfs_file.c (the pages of regular files) share.
 *
 * A tmpfs inode is a struct inode with a *page tree* around it: the
 * file's pages by index, in a tree of 512-way nodes (one page each), as
 * deep as the file is long — one level covers 2 MiB, two 1 GiB, three
 * 512 GiB, four 256 TiB (TMPFS_MAX_HEIGHT, hence s_maxbytes).  A page
 * never written is absent: reading it gives zeros, and a sparse file
 * costs only the pages written (st_blocks shows it).
 *
 *	tmpfs_inode ── pt_root (height 2) ── [0] ── [0] page 0
 *	                                         └── [7] page 7
 *	                                  └── [3] ── [1] page 3·512 + 1
 *
 * Locking: the tree (pt_root, pt_height, the nodes) is under the inode's
 * i_lock, a spinlock — never held while copying to or from user memory
 * (a page is taken with get_page first); i_size and the data under
 * i_mutex (writers and truncate).  Pages are charged to the super
 * block's size limit (ENOSPC), inodes to its inode limit.
 */
#ifndef KESTREL_FS_TMPFS_H
#define KESTREL_FS_TMPFS_H

#include <kestrel/fs.h>

#define TMPFS_PT_SHIFT		9	/* 512 slots per node */
#define TMPFS_MAX_HEIGHT	4
#define TMPFS_MAXBYTES		(1LL << (TMPFS_PT_SHIFT * TMPFS_MAX_HEIGHT + 12))
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

/**
 * struct tmpfs_inode - a tmpfs file (keys at the head of this file)
 * @pt_root: (L) the page tree: NULL, or a node of 512 pointers
 * @pt_height: (L) levels of nodes; the tree covers 512^height pages
 */
struct tmpfs_inode {
	struct inode vfs_inode;
	void **pt_root;
	unsigned int pt_height;
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
void tmpfs_truncate_pages(struct inode *inode, loff_t from);

/**
 * tmpfs_get_page - page @index of @inode with a reference taken, or NULL
 * when it was never written; with @create, a zeroed page is made and
 * charged (ERR_PTR(-ENOSPC), (-ENOMEM)).  Takes i_lock; never sleeps.
 * For file-backed mmap too.
 */
struct page *tmpfs_get_page(struct inode *inode, unsigned long index,
			    bool create);

#endif
