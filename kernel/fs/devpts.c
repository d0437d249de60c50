/*
 * devpts.c — the pty slaves' file system, mounted on /dev/pts (pty(7),
 * devpts in Linux's Documentation/filesystems/devpts.rst).
 *
 * When a program opens /dev/ptmx, the pty driver (drivers/tty/pty.c)
 * calls devpts_pty_new and /dev/pts/N appears: a character node 136:N,
 * mode 0620, owned by the opener (who may then chown it: grantpt); when
 * the master closes, devpts_pty_kill removes it.  glibc's and musl's
 * ptsname() build the name "/dev/pts/N" from TIOCGPTN and grantpt()
 * stats it, so the node must be there before ptmx's open returns.  The
 * directory also holds "ptmx" (5:2, mode 0000, as Linux's ptmxmode
 * default).
 *
 * One instance for every mount (FS_SINGLE, like devtmpfs): the kernel
 * mounts it on /dev/pts at boot (fs/init.c), and busybox's
 * `mount -t devpts devpts /dev/pts` mounts the same nodes again.  The
 * instance is a tmpfs (tmpfs_fill_super_mode) with devpts's magic; its
 * nodes are made and removed like devtmpfs's, under the root's i_mutex.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/mount.h>
#include <kestrel/namei.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>
#include <kestrel/tty.h>
#include <uapi/linux/magic.h>

#include "internal.h"
#include "tmpfs.h"

static struct vfsmount *devpts_mnt;

static int devpts_fill_super(struct super_block *sb, const char *data)
{
	int err = tmpfs_fill_super_mode(sb, NULL, 0755);

	sb->s_magic = DEVPTS_SUPER_MAGIC;
	return err;
}

static struct file_system_type devpts_type = {
	.name = "devpts",
	.fs_flags = FS_SINGLE,
	.fill_super = devpts_fill_super,
	.kill_sb = kill_litter_super,
};

/* Make a node @mode (S_IFCHR | permissions), @dev, or with @mode 0
 * remove @name, in the root. */
static int devpts_node(const char *name, umode_t mode, dev_t dev)
{
	struct dentry *root, *d;
	int err;

	if (!devpts_mnt)
		return -ENODEV;
	root = devpts_mnt->mnt_root;
	mutex_lock(&root->d_inode->i_mutex);
	d = lookup_one(root, name, strlen(name));
	if (IS_ERR(d)) {
		err = PTR_ERR(d);
	} else {
		if (mode)
			err = vfs_mknod(root->d_inode, d, mode, dev);
		else
			err = d->d_inode ? vfs_unlink(root->d_inode, d) : -ENOENT;
		dput(d);
	}
	mutex_unlock(&root->d_inode->i_mutex);
	return err;
}

int devpts_pty_new(unsigned int index)
{
	char name[12];

	snprintf(name, sizeof(name), "%u", index);
	return devpts_node(name, S_IFCHR | 0620, MKDEV(136, index));
}

void devpts_pty_kill(unsigned int index)
{
	char name[12];

	snprintf(name, sizeof(name), "%u", index);
	devpts_node(name, 0, 0);
}

void devpts_init(void)
{
	register_filesystem(&devpts_type);
	devpts_mnt = vfs_kern_mount("devpts", 0, "devpts", NULL);
	if (IS_ERR(devpts_mnt)) {
		devpts_mnt = NULL;
		return;
	}
	devpts_node("ptmx", S_IFCHR | 0000, MKDEV(5, 2));
}
