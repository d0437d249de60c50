/*
 * super.c — file system types and super blocks (kestrel/fs.h).
 *
 * A file system type registers itself by name at boot
 * (register_filesystem); mount(2) finds it by the name it is given
 * (`mount -t proc`), and /proc/filesystems lists the types, "nodev" in
 * front of those that need no block device (proc(5)).
 *
 * A super block is one instance of a type.  Most types make a fresh one
 * for every mount (two tmpfs mounts are two file systems); FS_SINGLE
 * types (devtmpfs, sysfs) have one instance, made at the first mount
 * and kept for ever, which every mount shows — mounting devtmpfs twice
 * shows the same device nodes.  s_active counts mounts; when the last
 * one goes the type's kill_sb frees the files, then the root.
 *
 * Device numbers: st_dev of a file on an in-memory file system is an
 * "anonymous" device, major 0 and a minor taken from a counter, as
 * Linux gives them (set_anon_super).
 *
 * Locking: file_systems and super_blocks lists and s_active are under
 * sb_lock (a spinlock); fill_super runs without it (it may sleep).
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/slab.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>

#include "internal.h"

spinlock_t sb_lock = SPINLOCK_INIT;
/* Under sb_lock: the registered types and the live super blocks. */
static struct list_head file_systems = LIST_HEAD_INIT(file_systems);
static struct list_head super_blocks = LIST_HEAD_INIT(super_blocks);
static unsigned int next_anon_minor = 1;	/* sb_lock */

int register_filesystem(struct file_system_type *fs)
{
	int err = 0;

	spin_lock(&sb_lock);
	if (get_fs_type(fs->name) == NULL)
		list_add_tail(&fs->next, &file_systems);
	else
		err = -EBUSY;
	spin_unlock(&sb_lock);
	return err;
}

/* Called with or without sb_lock: the list only grows, at boot. */
struct file_system_type *get_fs_type(const char *name)
{
	struct file_system_type *fs;

	list_for_each_entry(fs, &file_systems, next)
		if (strcmp(fs->name, name) == 0)
			return fs;
	return NULL;
}

void filesystems_show(void (*emit)(void *arg, const char *line, size_t len),
		      void *arg)
{
	struct file_system_type *fs;
	char line[64];
	int n;

	list_for_each_entry(fs, &file_systems, next) {
		n = snprintf(line, sizeof(line), "%s\t%s\n",
			     (fs->fs_flags & FS_REQUIRES_DEV) ? "" : "nodev",
			     fs->name);
		emit(arg, line, MIN((size_t)n, sizeof(line) - 1));
	}
}

static struct super_block *alloc_super(struct file_system_type *type)
{
	struct super_block *sb = kzalloc(sizeof(*sb), GFP_KERNEL);

	if (!sb)
		return NULL;
	sb->s_type = type;
	sb->s_active = 1;
	sb->s_blocksize = 4096;
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	mutex_init(&sb->s_vfs_rename_mutex);
	spin_lock(&sb_lock);
	sb->s_dev = MKDEV(0, next_anon_minor++);
	spin_unlock(&sb_lock);
	return sb;
}

struct super_block *sget(struct file_system_type *type, const char *data)
{
	struct super_block *sb;
	int err;

	if (type->fs_flags & FS_SINGLE) {
		spin_lock(&sb_lock);
		sb = type->single_sb;
		if (sb)
			sb->s_active++;
		spin_unlock(&sb_lock);
		if (sb)
			return sb;
	}
	sb = alloc_super(type);
	if (!sb)
		return ERR_PTR(-ENOMEM);
	err = type->fill_super(sb, data);
	if (err) {
		kfree(sb);
		return ERR_PTR(err);
	}
	spin_lock(&sb_lock);
	if ((type->fs_flags & FS_SINGLE) && type->single_sb) {
		/* Another mount made the instance while we filled ours. */
		spin_unlock(&sb_lock);
		if (type->kill_sb)
			type->kill_sb(sb);
		dput(sb->s_root);
		kfree(sb);
		return sget(type, data);
	}
	if (type->fs_flags & FS_SINGLE) {
		type->single_sb = sb;
		sb->s_active++;		/* the instance lives for ever */
	}
	list_add_tail(&sb->s_list, &super_blocks);
	spin_unlock(&sb_lock);
	return sb;
}

void deactivate_super(struct super_block *sb)
{
	spin_lock(&sb_lock);
	if (--sb->s_active > 0) {
		spin_unlock(&sb_lock);
		return;
	}
	list_del(&sb->s_list);
	spin_unlock(&sb_lock);
	if (sb->s_type->kill_sb)
		sb->s_type->kill_sb(sb);
	shrink_dcache_sb(sb);
	dput(sb->s_root);
	if (sb->s_op && sb->s_op->put_super)
		sb->s_op->put_super(sb);
	WARN_ON(inode_sb_nr(sb) != 0);
	kfree(sb);
}
