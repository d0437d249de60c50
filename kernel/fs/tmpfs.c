/*
 * tmpfs.c — the file system in memory: the root of the file tree after
 * boot, /tmp, and (as devtmpfs) /dev.  Names, inodes, mounting
 * (kernel/fs/tmpfs.h; the data of files is tmpfs_file.c).
 *
 * tmpfs keeps its directories in the dcache (libfs.c explains how): a
 * name exists when its dentry exists, pinned until unlink.  Making a file
 * is therefore: a new inode (tmpfs_get_inode: owner, mode, operations by
 * type), attached to the negative dentry the VFS looked up, and pinned.
 * Link counts, directory sizes (20 bytes per entry, as Linux's tmpfs
 * reports them) and times follow Linux.
 *
 * Mount options (tmpfs(5)): size=N[k|m|g|t|%] (bytes, or a share of
 * RAM; half of RAM by default), nr_inodes=N (either 0: no limit),
 * mode=OCTAL (of the root), uid=N, gid=N.  An unknown option is EINVAL.
 * Limits are enforced when pages and inodes are made (ENOSPC) and
 * reported by statfs(2).
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/mm.h>
#include <kestrel/slab.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>
#include <uapi/linux/magic.h>

#include "internal.h"
#include "tmpfs.h"

static const struct inode_operations tmpfs_dir_inode_operations;
static const struct inode_operations tmpfs_special_inode_operations;
static const struct super_operations tmpfs_ops;
static struct kmem_cache *tmpfs_inode_cache;

static struct inode *tmpfs_alloc_inode(struct super_block *sb)
{
	struct tmpfs_inode *ti = kmem_cache_alloc(tmpfs_inode_cache, __GFP_ZERO);

	return ti ? &ti->vfs_inode : NULL;
}

static void tmpfs_destroy_inode(struct inode *inode)
{
	kmem_cache_free(tmpfs_inode_cache, TMPFS_I(inode));
}

static void tmpfs_evict_inode(struct inode *inode)
{
	struct tmpfs_sb_info *sbi = TMPFS_SB(inode->i_sb);

	if (S_ISREG(inode->i_mode))
		tmpfs_truncate_pages(inode, 0);
	if (S_ISLNK(inode->i_mode))
		kfree(inode->i_link);
	__atomic_sub_fetch(&sbi->used_inodes, 1, __ATOMIC_RELAXED);
}

/* A new inode of @sb for a file of @mode in @dir, or NULL (no room). */
static struct inode *tmpfs_get_inode(struct super_block *sb,
				     const struct inode *dir, umode_t mode,
				     dev_t dev)
{
	struct tmpfs_sb_info *sbi = TMPFS_SB(sb);
	struct inode *inode;

	if (__atomic_add_fetch(&sbi->used_inodes, 1, __ATOMIC_RELAXED) >
	    sbi->max_inodes && sbi->max_inodes) {
		__atomic_sub_fetch(&sbi->used_inodes, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	inode = new_inode(sb);
	if (!inode) {
		__atomic_sub_fetch(&sbi->used_inodes, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	inode_init_owner(inode, dir, mode);
	switch (mode & S_IFMT) {
	case S_IFREG:
		inode->i_op = &tmpfs_file_inode_operations;
		inode->i_fop = &tmpfs_file_operations;
		break;
	case S_IFDIR:
		inode->i_op = &tmpfs_dir_inode_operations;
		inode->i_fop = &simple_dir_operations;
		inode->i_size = 2 * BOGO_DIRENT_SIZE;
		inc_nlink(inode);	/* "." */
		break;
	case S_IFLNK:
		inode->i_op = &tmpfs_special_inode_operations;
		break;
	default:
		inode->i_op = &tmpfs_special_inode_operations;
		init_special_inode(inode, inode->i_mode, dev);
		break;
	}
	return inode;
}

/**
 * tmpfs_mknod - make a file of @mode (type bits included) for the
 * negative @dentry in @dir: every kind of file is made here (create,
 * mkdir, mknod, symlink all come through).  0 or -ENOSPC.
 */
static int tmpfs_mknod(struct inode *dir, struct dentry *dentry, umode_t mode,
		       dev_t dev)
{
#if SOL >= 8
	struct inode *inode = tmpfs_get_inode(dir->i_sb, dir, mode, dev);

	if (!inode)
		return -ENOSPC;
	dir->i_size += BOGO_DIRENT_SIZE;
	dir->i_mtime = dir->i_ctime = current_time();
	if (S_ISDIR(mode))
		inc_nlink(dir);		/* the new directory's ".." */
	d_instantiate(dentry, inode);	/* the dentry takes our reference */
	d_pin(dentry);			/* the name lives until unlink */
	return 0;
#else
	/*
	 * LAB 8: make the file.  tmpfs_get_inode() gives a new inode with
	 * its owner, mode and operations (NULL: no space, -ENOSPC).  The
	 * directory grows by BOGO_DIRENT_SIZE bytes and its mtime and ctime
	 * become now; a new subdirectory adds one link to @dir (its "..").
	 * Then attach the inode to @dentry (d_instantiate) and pin the
	 * dentry (d_pin): in tmpfs the dcache *is* the directory, so an
	 * unpinned dentry could be forgotten, and the file with it.
	 */
	(void)dir;
	(void)dentry;
	(void)mode;
	(void)dev;
	(void)tmpfs_get_inode;
	return -ENOSYS;
#endif
}

/**
 * tmpfs_unlink - remove the name @dentry from @dir: the file loses a
 * link (an open file lives on until its last close), the directory
 * shrinks, and the dentry's pin is dropped.  0.
 */
static int tmpfs_unlink(struct inode *dir, struct dentry *dentry)
{
#if SOL >= 8
	dir->i_size -= BOGO_DIRENT_SIZE;
	return simple_unlink(dir, dentry);
#else
	/*
	 * LAB 8: undo what tmpfs_mknod did for a name: @dir shrinks by
	 * BOGO_DIRENT_SIZE, and simple_unlink() (libfs.c) drops the
	 * file's link count, sets the times and unpins the dentry.  The VFS
	 * then makes the dentry negative (d_delete).
	 */
	(void)dir;
	(void)dentry;
	return -ENOSYS;
#endif
}

static int tmpfs_create(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	return tmpfs_mknod(dir, dentry, mode | S_IFREG, 0);
}

static int tmpfs_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	return tmpfs_mknod(dir, dentry, mode | S_IFDIR, 0);
}

static int tmpfs_symlink(struct inode *dir, struct dentry *dentry,
			 const char *target)
{
	size_t len = strlen(target) + 1;
	char *copy;
	int err;

	if (len > PAGE_SIZE)
		return -ENAMETOOLONG;
	copy = kmalloc(len, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, target, len);
	err = tmpfs_mknod(dir, dentry, S_IFLNK | 0777, 0);
	if (err) {
		kfree(copy);
		return err;
	}
	dentry->d_inode->i_link = copy;
	dentry->d_inode->i_size = len - 1;
	return 0;
}

static int tmpfs_link(struct dentry *old, struct inode *dir,
		      struct dentry *dentry)
{
	dir->i_size += BOGO_DIRENT_SIZE;
	return simple_link(old, dir, dentry);
}

static int tmpfs_rmdir(struct inode *dir, struct dentry *dentry)
{
	if (!simple_empty(dentry))
		return -ENOTEMPTY;
	dir->i_size -= BOGO_DIRENT_SIZE;
	return simple_rmdir(dir, dentry);
}

static int tmpfs_rename(struct inode *old_dir, struct dentry *old,
			struct inode *new_dir, struct dentry *new,
			unsigned int flags)
{
	bool replaces = d_is_positive(new) && !(flags & RENAME_EXCHANGE);
	int err = simple_rename(old_dir, old, new_dir, new, flags);

	if (err || (flags & RENAME_EXCHANGE))
		return err;
	old_dir->i_size -= BOGO_DIRENT_SIZE;
	if (!replaces)
		new_dir->i_size += BOGO_DIRENT_SIZE;
	return 0;
}

static const struct inode_operations tmpfs_dir_inode_operations = {
	.lookup = simple_lookup,
	.create = tmpfs_create,
	.mkdir = tmpfs_mkdir,
	.mknod = tmpfs_mknod,
	.symlink = tmpfs_symlink,
	.link = tmpfs_link,
	.unlink = tmpfs_unlink,
	.rmdir = tmpfs_rmdir,
	.rename = tmpfs_rename,
};

static const struct inode_operations tmpfs_special_inode_operations = {
	.setattr = simple_setattr,
};

/* --- the super block ------------------------------------------------------- */

static int tmpfs_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct tmpfs_sb_info *sbi = TMPFS_SB(dentry->d_sb);
	unsigned long used = __atomic_load_n(&sbi->used_blocks, __ATOMIC_RELAXED);
	unsigned long inodes = __atomic_load_n(&sbi->used_inodes, __ATOMIC_RELAXED);

	simple_statfs(dentry, buf);
	/* No limit (0): the counts stay 0, as Linux's tmpfs reports it, and
	 * df leaves such a file system out. */
	if (sbi->max_blocks) {
		buf->f_blocks = sbi->max_blocks;
		buf->f_bfree = buf->f_bavail =
			sbi->max_blocks - MIN(used, sbi->max_blocks);
	}
	if (sbi->max_inodes) {
		buf->f_files = sbi->max_inodes;
		buf->f_ffree = sbi->max_inodes - MIN(inodes, sbi->max_inodes);
	}
	return 0;
}

static int tmpfs_show_options(struct super_block *sb, char *buf, size_t len)
{
	struct tmpfs_sb_info *sbi = TMPFS_SB(sb);

	if (sbi->options_given)
		snprintf(buf, len, ",size=%luk", sbi->max_blocks * (PAGE_SIZE / 1024));
	else if (len)
		buf[0] = '\0';
	return 0;
}

static void tmpfs_put_super(struct super_block *sb)
{
	kfree(sb->s_fs_info);
}

static const struct super_operations tmpfs_ops = {
	.alloc_inode = tmpfs_alloc_inode,
	.destroy_inode = tmpfs_destroy_inode,
	.evict_inode = tmpfs_evict_inode,
	.statfs = tmpfs_statfs,
	.put_super = tmpfs_put_super,
	.show_options = tmpfs_show_options,
};

/* A number with an optional k/m/g/t suffix, or a percentage of RAM
 * (then *@pct is set); -1 when malformed. */
static long long parse_size(const char *s, bool *pct)
{
	unsigned long long v = 0;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	if (p == s)
		return -1;
	*pct = *p == '%';
	switch (*p) {
	case 't': case 'T': v <<= 10;	/* fall through */
	case 'g': case 'G': v <<= 10;	/* fall through */
	case 'm': case 'M': v <<= 10;	/* fall through */
	case 'k': case 'K': v <<= 10;	/* fall through */
	case '%': p++;			/* fall through */
	default: break;
	}
	return *p ? -1 : (long long)v;
}

struct tmpfs_options {
	unsigned long blocks, inodes;
	umode_t mode;
	unsigned int uid, gid;
	bool given;
};

static int tmpfs_parse_one(struct tmpfs_options *o, char *opt)
{
	char *val = strchr(opt, '=');
	bool pct = false;
	long long v;

	if (val)
		*val++ = '\0';
	if (!val)	/* flags mount(8) may leave in the string: harmless */
		return (!strcmp(opt, "rw") || !strcmp(opt, "relatime") ||
			!strcmp(opt, "inode64") || !*opt) ? 0 : -EINVAL;
	v = parse_size(val, &pct);
	if (!strcmp(opt, "mode")) {
		for (v = 0; *val >= '0' && *val <= '7'; val++)
			v = v * 8 + (*val - '0');
		o->mode = v & 07777;
		return *val ? -EINVAL : 0;
	}
	if (v < 0)
		return -EINVAL;
	if (!strcmp(opt, "size")) {
		o->blocks = pct ? totalram_pages() * v / 100 :
				  (unsigned long)((v + PAGE_SIZE - 1) >> PAGE_SHIFT);
		o->given = true;
	} else if (!strcmp(opt, "nr_blocks")) {
		o->blocks = v;
		o->given = true;
	} else if (!strcmp(opt, "nr_inodes")) {
		o->inodes = pct ? totalram_pages() * v / 100 : (unsigned long)v;
	} else if (!strcmp(opt, "uid")) {
		o->uid = v;
	} else if (!strcmp(opt, "gid")) {
		o->gid = v;
	} else {
		return -EINVAL;		/* "tmpfs: Unknown parameter" */
	}
	return 0;
}

static int tmpfs_parse(struct tmpfs_options *o, const char *data)
{
	char buf[256], *p, *comma;
	int err;

	if (!data)
		return 0;
	if (strscpy(buf, data, sizeof(buf)) < 0)
		return -EINVAL;
	for (p = buf; p; p = comma) {
		comma = strchr(p, ',');
		if (comma)
			*comma++ = '\0';
		err = tmpfs_parse_one(o, p);
		if (err)
			return err;
	}
	return 0;
}

int tmpfs_fill_super_mode(struct super_block *sb, const char *data,
			  umode_t root_mode)
{
	struct tmpfs_options o = { .blocks = totalram_pages() / 2,
				   .inodes = totalram_pages() / 2,
				   .mode = root_mode };
	struct tmpfs_sb_info *sbi;
	struct inode *root;
	int err = tmpfs_parse(&o, data);

	if (err)
		return err;
	if (!tmpfs_inode_cache)
		tmpfs_inode_cache = kmem_cache_create("tmpfs_inode",
						      sizeof(struct tmpfs_inode), 0, 0);
	sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	if (!sbi || !tmpfs_inode_cache) {
		kfree(sbi);
		return -ENOMEM;
	}
	sbi->max_blocks = o.blocks;
	sbi->max_inodes = o.inodes;
	sbi->options_given = o.given;
	sb->s_fs_info = sbi;
	sb->s_op = &tmpfs_ops;
	sb->s_magic = TMPFS_MAGIC;
	sb->s_maxbytes = TMPFS_MAXBYTES;
	root = tmpfs_get_inode(sb, NULL, S_IFDIR | o.mode, 0);
	if (root) {
		root->i_uid = o.uid;
		root->i_gid = o.gid;
		sb->s_root = d_alloc_root(root);
	}
	if (!sb->s_root) {
		kfree(sbi);
		return -ENOMEM;
	}
	return 0;
}

static int tmpfs_fill_super(struct super_block *sb, const char *data)
{
	return tmpfs_fill_super_mode(sb, data, S_ISVTX | 0777);
}

static int rootfs_fill_super(struct super_block *sb, const char *data)
{
	return tmpfs_fill_super_mode(sb, data, 0755);
}

static struct file_system_type tmpfs_type = {
	.name = "tmpfs",
	.fill_super = tmpfs_fill_super,
	.kill_sb = kill_litter_super,
};

/* The root file system: a tmpfs whose root is 0755, like Linux's rootfs. */
static struct file_system_type rootfs_type = {
	.name = "rootfs",
	.fill_super = rootfs_fill_super,
	.kill_sb = kill_litter_super,
};

/* devtmpfs: one tmpfs instance for every mount of it (char_dev.c fills it). */
static struct file_system_type devtmpfs_type = {
	.name = "devtmpfs",
	.fs_flags = FS_SINGLE,
	.fill_super = rootfs_fill_super,
	.kill_sb = kill_litter_super,
};

void tmpfs_init(void)
{
	register_filesystem(&rootfs_type);
	register_filesystem(&tmpfs_type);
	register_filesystem(&devtmpfs_type);
}
