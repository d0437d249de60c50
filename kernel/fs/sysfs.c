/*
 * sysfs.c — the smallest /sys that user space accepts: `mount -t sysfs`
 * succeeds, statfs says SYSFS_MAGIC, and the top-level directories
 * Linux has are there, empty (sysfs(5)).  The devices and drivers that
 * Linux describes under them arrive with the labs that bring devices
 * (PCI and virtio, lab 10); until then nothing reads them.  One instance
 * for every mount, read-only for everyone but root, like Linux's.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/mount.h>
#include <kestrel/namei.h>
#include <kestrel/string.h>
#include <uapi/linux/magic.h>

#include "internal.h"
#include "tmpfs.h"

static const char *const sysfs_dirs[] = {
	"block", "bus", "class", "dev", "devices", "firmware", "fs",
	"kernel", "module", "power",
};

static int sysfs_fill_super(struct super_block *sb, const char *data)
{
	int err = tmpfs_fill_super_mode(sb, NULL, 0555);

	if (err)
		return err;
	sb->s_magic = SYSFS_MAGIC;
	/* No size or inode limit: statfs reports 0 blocks, as Linux's
	 * sysfs does (df leaves it out). */
	TMPFS_SB(sb)->max_blocks = 0;
	TMPFS_SB(sb)->max_inodes = 0;
	return 0;
}

static struct file_system_type sysfs_type = {
	.name = "sysfs",
	.fs_flags = FS_SINGLE,
	.fill_super = sysfs_fill_super,
	.kill_sb = kill_litter_super,
};

void sysfs_init(void)
{
	struct vfsmount *mnt;
	struct dentry *root, *d;
	unsigned int i;

	register_filesystem(&sysfs_type);
	mnt = vfs_kern_mount("sysfs", 0, "sysfs", NULL);
	if (IS_ERR(mnt))
		return;
	root = mnt->mnt_root;
	mutex_lock(&root->d_inode->i_mutex);
	for (i = 0; i < ARRAY_SIZE(sysfs_dirs); i++) {
		d = lookup_one(root, sysfs_dirs[i], strlen(sysfs_dirs[i]));
		if (!IS_ERR(d)) {
			vfs_mkdir(root->d_inode, d, 0755);
			dput(d);
		}
	}
	mutex_unlock(&root->d_inode->i_mutex);
	/* The instance lives on (FS_SINGLE); our mount is not needed. */
}
