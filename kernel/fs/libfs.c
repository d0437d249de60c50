/*
 * libfs.c — the pieces of a file system that keeps everything in the
 * dcache: tmpfs, devtmpfs, and procfs's fixed directories.
 *
 * Such a file system has no directory blocks to search: a name exists
 * exactly when its dentry does.  So ->lookup of a name the dcache does
 * not know can only answer "no such file" (simple_lookup adds a negative
 * dentry), a new file's dentry is *pinned* with one extra reference so
 * that the cache never drops it (d_pin), and removing the name drops the
 * pin (d_unpin).  Reading a directory walks the dentry's children in
 * the order they were made (d_subdirs), skipping negative ones; a
 * child's d_pos is its readdir offset, so a getdents64 that stopped
 * halfway resumes at the right entry even if entries before it were
 * removed meanwhile.  The link counts follow Linux's tmpfs: a directory
 * has 2 + its subdirectories, a file one per name.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/namei.h>
#include <uapi/linux/dirent.h>

#include "internal.h"

struct dentry *simple_lookup(struct inode *dir, struct dentry *dentry)
{
	if (dentry->d_name.len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	d_add(dentry, NULL);		/* negative: it would be cached if it existed */
	return NULL;
}

void d_pin(struct dentry *dentry)
{
	spin_lock(&dcache_lock);
	dentry->d_count++;
	dentry->d_flags |= DCACHE_PINNED;
	spin_unlock(&dcache_lock);
}

void d_unpin(struct dentry *dentry)
{
	bool pinned;

	spin_lock(&dcache_lock);
	pinned = dentry->d_flags & DCACHE_PINNED;
	dentry->d_flags &= ~DCACHE_PINNED;
	spin_unlock(&dcache_lock);
	if (pinned)
		dput(dentry);
}

bool simple_empty(struct dentry *dentry)
{
	struct dentry *child;
	bool empty = true;

	spin_lock(&dcache_lock);
	list_for_each_entry(child, &dentry->d_subdirs, d_child) {
		if (child->d_inode && !d_unhashed(child)) {
			empty = false;
			break;
		}
	}
	spin_unlock(&dcache_lock);
	return empty;
}

static unsigned int dt_type(const struct inode *inode)
{
	return (inode->i_mode & S_IFMT) >> 12;	/* DT_* = S_IF* >> 12 */
}

bool dir_emit_dots(struct file *file, struct dir_context *ctx)
{
	struct dentry *d = file->f_path.dentry;

	if (ctx->pos == 0) {
		if (!dir_emit(ctx, ".", 1, d->d_inode->i_ino, DT_DIR))
			return false;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		struct dentry *parent = dget_parent(d);
		bool ok = dir_emit(ctx, "..", 2, parent->d_inode->i_ino, DT_DIR);

		dput(parent);
		if (!ok)
			return false;
		ctx->pos = 2;
	}
	return true;
}

/* The first visible child at or after position @pos, referenced; or NULL. */
static struct dentry *next_child(struct dentry *dir, struct dentry *from,
				 loff_t pos)
{
	struct list_head *p = from ? from->d_child.next : dir->d_subdirs.next;
	struct dentry *child, *found = NULL;

	spin_lock(&dcache_lock);
	for (; p != &dir->d_subdirs; p = p->next) {
		child = list_entry(p, struct dentry, d_child);
		if (child->d_inode && !d_unhashed(child) &&
		    (loff_t)child->d_pos >= pos) {
			dget_dlock(child);
			found = child;
			break;
		}
	}
	spin_unlock(&dcache_lock);
	return found;
}

/*
 * readdir of a dcache-only directory.  Caller (iterate_dir) holds the
 * directory's i_mutex, so no entry is added or removed while we copy
 * names out; the child we hold keeps our place in the list.
 */
int dcache_readdir(struct file *file, struct dir_context *ctx)
{
	struct dentry *dir = file->f_path.dentry, *child, *prev = NULL;

	if (!dir_emit_dots(file, ctx))
		return 0;
	while ((child = next_child(dir, prev, ctx->pos))) {
		dput(prev);
		prev = child;
		ctx->pos = child->d_pos;
		if (!dir_emit(ctx, child->d_name.name, child->d_name.len,
			      child->d_inode->i_ino, dt_type(child->d_inode)))
			break;
		ctx->pos = child->d_pos + 1;
	}
	dput(prev);
	return 0;
}

int simple_link(struct dentry *old, struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = old->d_inode;

	inode->i_ctime = dir->i_ctime = dir->i_mtime = current_time();
	inc_nlink(inode);
	ihold(inode);
	d_instantiate(dentry, inode);
	d_pin(dentry);
	return 0;
}

int simple_unlink(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;

	inode->i_ctime = dir->i_ctime = dir->i_mtime = current_time();
	drop_nlink(inode);
	d_unpin(dentry);
	return 0;
}

int simple_rmdir(struct inode *dir, struct dentry *dentry)
{
	if (!simple_empty(dentry))
		return -ENOTEMPTY;
	drop_nlink(dentry->d_inode);	/* its "." */
	simple_unlink(dir, dentry);
	drop_nlink(dir);		/* its ".." */
	return 0;
}

static int simple_rename_exchange(struct inode *old_dir, struct dentry *old,
				  struct inode *new_dir, struct dentry *new)
{
	bool old_is_dir = S_ISDIR(old->d_inode->i_mode);
	bool new_is_dir = S_ISDIR(new->d_inode->i_mode);

	if (old_dir != new_dir && old_is_dir != new_is_dir) {
		if (old_is_dir) {
			drop_nlink(old_dir);
			inc_nlink(new_dir);
		} else {
			drop_nlink(new_dir);
			inc_nlink(old_dir);
		}
	}
	old_dir->i_ctime = old_dir->i_mtime = new_dir->i_ctime =
		new_dir->i_mtime = old->d_inode->i_ctime =
		new->d_inode->i_ctime = current_time();
	return 0;
}

int simple_rename(struct inode *old_dir, struct dentry *old,
		  struct inode *new_dir, struct dentry *new, unsigned int flags)
{
	bool is_dir = S_ISDIR(old->d_inode->i_mode);

	if (flags & RENAME_EXCHANGE)
		return simple_rename_exchange(old_dir, old, new_dir, new);
	if (d_is_positive(new)) {
		if (is_dir && !simple_empty(new))
			return -ENOTEMPTY;
		simple_unlink(new_dir, new);
		if (is_dir) {
			drop_nlink(new->d_inode);
			drop_nlink(old_dir);
		}
	} else if (is_dir) {
		drop_nlink(old_dir);
		inc_nlink(new_dir);
	}
	old_dir->i_ctime = old_dir->i_mtime = new_dir->i_ctime =
		new_dir->i_mtime = old->d_inode->i_ctime = current_time();
	return 0;
}

int simple_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	buf->f_type = dentry->d_sb->s_magic;
	buf->f_bsize = 4096;
	buf->f_namelen = NAME_MAX;
	return 0;
}

int pseudo_fill_super(struct super_block *sb, const struct super_operations *ops,
		      unsigned long magic)
{
	struct inode *root = new_inode(sb);

	sb->s_op = ops;
	sb->s_magic = magic;
	sb->s_flags = SB_NOUSER;
	if (!root)
		return -ENOMEM;
	root->i_mode = S_IFDIR | 0700;
	sb->s_root = d_alloc_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

void kill_litter_super(struct super_block *sb)
{
	if (sb->s_root)
		d_genocide(sb->s_root);
}

const struct file_operations simple_dir_operations = {
	.llseek = generic_file_llseek,
	.iterate = dcache_readdir,
};

const struct inode_operations simple_dir_inode_operations = {
	.lookup = simple_lookup,
};
