/*
 * kernel/fs/internal.h — what the files of kernel/fs/ share and nobody
 * else needs: the path walk's state, the helpers of in-memory file
 * systems (libfs.c), and the hooks between the VFS core files.
 */
#ifndef KESTREL_FS_INTERNAL_H
#define KESTREL_FS_INTERNAL_H

#include <kestrel/dcache.h>
#include <kestrel/fs.h>
#include <kestrel/mount.h>

#include "path.h"

/* nameidata->flags, internal: the path ended in a slash ("dir/"), so the
 * last component must be a directory and a symlink there is followed. */
#define LOOKUP_SLASH	0x8000

/* nameidata->last_type: LAST_* of path.h */

/**
 * struct nameidata - one path walk in progress (kernel/fs/namei.c)
 * @path: where the walk stands (references held)
 * @root: the process's root, where "/" and ".." stop (references held)
 * @last: the last component, once link_path_walk has reached it; points
 *        into the name being walked
 * @last_type: LAST_* of @last
 * @flags: LOOKUP_*; a trailing slash adds LOOKUP_DIRECTORY
 * @total_link_count: symbolic links followed so far (ELOOP past 40)
 * @linkbuf: where a path with a link's target spliced in is built: two
 *           halves of PATH_MAX bytes used in turn, and a third that
 *           ->get_link may write the target into; kmalloc'd at the
 *           first symlink (NULL until then)
 * @half: the half that holds the name being walked now
 */
struct nameidata {
	struct path path;
	struct path root;
	struct qstr last;
	int last_type;
	unsigned int flags;
	int total_link_count;
	char *linkbuf;
	int half;
};

/* namei.c */
int path_walk_parent(struct nameidata *nd, int dfd, const char *name,
		     unsigned int flags);
void nameidata_done(struct nameidata *nd);
int path_init(struct nameidata *nd, int dfd, const char *name,
	      unsigned int flags);
int link_path_walk(struct nameidata *nd, const char *name);
int walk_last(struct nameidata *nd, struct path *next);
int pick_link(struct nameidata *nd, struct path *link, const char *rest,
	      const char **out);
bool d_is_symlink(const struct dentry *dentry);
struct dentry *lookup_one_qstr(struct dentry *dir, struct qstr *name);
int may_lookup(struct nameidata *nd);
void qstr_hash(struct qstr *q);

/* dirops.c: the rename locks */
struct dentry *lock_rename(struct dentry *p1, struct dentry *p2);
void unlock_rename(struct dentry *p1, struct dentry *p2);
int may_create_in(struct inode *dir, struct dentry *child);

/* dcache.c */
void dget_dlock(struct dentry *d);
void d_genocide(struct dentry *root);
void shrink_dcache_sb(struct super_block *sb);
struct dentry *d_ancestor(struct dentry *p1, struct dentry *p2);

/* inode.c */
void inode_sb_count(struct super_block *sb, long delta);
long inode_sb_nr(struct super_block *sb);

/* super.c */
extern spinlock_t sb_lock;

/* libfs.c: the helpers of file systems that keep everything in the dcache */
struct dentry *simple_lookup(struct inode *dir, struct dentry *dentry);
int dcache_readdir(struct file *file, struct dir_context *ctx);
bool simple_empty(struct dentry *dentry);
void d_pin(struct dentry *dentry);
void d_unpin(struct dentry *dentry);
int simple_link(struct dentry *old, struct inode *dir, struct dentry *dentry);
int simple_unlink(struct inode *dir, struct dentry *dentry);
int simple_rmdir(struct inode *dir, struct dentry *dentry);
int simple_rename(struct inode *old_dir, struct dentry *old,
		  struct inode *new_dir, struct dentry *new, unsigned int flags);
int simple_statfs(struct dentry *dentry, struct kstatfs *buf);
/* The super block of an internal file system no one can mount (pipefs,
 * anon_inodefs): @ops, @magic, SB_NOUSER and an empty root directory;
 * 0 or -ENOMEM. */
int pseudo_fill_super(struct super_block *sb, const struct super_operations *ops,
		      unsigned long magic);
void kill_litter_super(struct super_block *sb);
extern const struct file_operations simple_dir_operations;
extern const struct inode_operations simple_dir_inode_operations;

/* tmpfs.c, char_dev.c (devtmpfs), initramfs.c, procfs, sysfs: start-up */
void tmpfs_init(void);
int devtmpfs_init(void);
int devtmpfs_create_node(const char *name, umode_t mode, dev_t dev);
int initramfs_unpack(const void *buf, size_t len);
void procfs_init(void);
void sysfs_init(void);

/* devpts.c: the /dev/pts instance (lab 9). */
void devpts_init(void);

/* char_dev.c, pipe.c: the special files' opens */
extern const struct file_operations def_chr_fops;
extern const struct file_operations pipefifo_fops;

/* open.c */
int do_dentry_open(struct file *file, struct inode *inode);
int build_open_flags(int flags, umode_t mode, int *acc_mode);

#endif
