/*
 * char_dev.c — character devices: from a device number to a driver
 * (kestrel/fs.h, register_chrdev).
 *
 * A character special file (/dev/null, /dev/console) is an inode that
 * holds only a device number, major:minor (mknod(2)); any file system
 * can hold one.  Opening it reaches def_chr_fops.open here, which looks
 * the number up among the registered drivers, gives the struct file the
 * driver's operations, and lets the driver's own ->open see the file.  A
 * number no driver serves is ENXIO (open(2): "the file is a device
 * special file and no corresponding device exists").
 *
 * The numbers are Linux's (Documentation/admin-guide/devices.txt):
 * 1:3 null, 1:5 zero, 1:7 full, 1:8 random, 1:9 urandom, 1:11 kmsg,
 * 4:64 ttyS0, 5:0 tty, 5:1 console, 5:2 ptmx, 136:N pts/N (lab 9).
 *
 * /dev is devtmpfs, as in Linux: one tmpfs instance (FS_SINGLE,
 * tmpfs.c) the kernel fills with the nodes of the devices it drives
 * (devtmpfs_init, at the end of this file), mounted on /dev by vfs_init;
 * `mount -t devtmpfs devtmpfs /dev` shows the same nodes again.  Nodes
 * are made as root with the modes Linux's drivers ask for (null(4),
 * zero(4), random(4), console(4), tty(4), ttyS(4)); user space may chmod,
 * remove or add nodes there like in any tmpfs.
 *
 * Locking: the table is filled at boot and only read afterwards; a
 * spinlock orders registrations against lookups anyway.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/mount.h>
#include <kestrel/namei.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>

#include "internal.h"

#define MAX_CHRDEV	32	/* registered ranges */

struct char_device {
	dev_t base;
	unsigned int count;
	const char *name;
	const struct file_operations *fops;
};

static struct char_device chrdevs[MAX_CHRDEV];	/* chrdev_lock */
static unsigned int nr_chrdevs;			/* chrdev_lock */
static spinlock_t chrdev_lock = SPINLOCK_INIT;

int register_chrdev(unsigned int major, unsigned int minor,
		    unsigned int count, const char *name,
		    const struct file_operations *fops)
{
	dev_t base = MKDEV(major, minor);
	unsigned int i;
	int err = 0;

	spin_lock(&chrdev_lock);
	for (i = 0; i < nr_chrdevs; i++)
		if (base < chrdevs[i].base + chrdevs[i].count &&
		    chrdevs[i].base < base + count)
			err = -EBUSY;
	if (!err && nr_chrdevs == MAX_CHRDEV)
		err = -ENOMEM;
	if (!err)
		chrdevs[nr_chrdevs++] = (struct char_device){ base, count, name, fops };
	spin_unlock(&chrdev_lock);
	return err;
}

static const struct file_operations *chrdev_lookup(dev_t dev)
{
	const struct file_operations *fops = NULL;
	unsigned int i;

	spin_lock(&chrdev_lock);
	for (i = 0; i < nr_chrdevs; i++)
		if (dev >= chrdevs[i].base &&
		    dev < chrdevs[i].base + chrdevs[i].count)
			fops = chrdevs[i].fops;
	spin_unlock(&chrdev_lock);
	return fops;
}

static int chrdev_open(struct inode *inode, struct file *file)
{
	const struct file_operations *fops = chrdev_lookup(inode->i_rdev);

	if (!fops)
		return -ENXIO;
	file->f_op = fops;
	return fops->open ? fops->open(inode, file) : 0;
}

const struct file_operations def_chr_fops = {
	.open = chrdev_open,
};

void chrdev_show(void (*emit)(void *arg, const char *line, size_t len),
		 void *arg)
{
	char line[48];
	unsigned int i, j;
	int n;

	emit(arg, "Character devices:\n", 19);
	for (i = 0; i < nr_chrdevs; i++) {
		for (j = 0; j < i; j++)		/* one line per major */
			if (MAJOR(chrdevs[j].base) == MAJOR(chrdevs[i].base))
				break;
		if (j < i)
			continue;
		n = snprintf(line, sizeof(line), "%3u %s\n",
			     MAJOR(chrdevs[i].base), chrdevs[i].name);
		emit(arg, line, MIN((size_t)n, sizeof(line) - 1));
	}
}

/* --- /dev: devtmpfs ----------------------------------------------------------------- */

static struct vfsmount *devtmpfs_mnt;

/* The nodes every Kestrel has (name, mode, major, minor). */
static const struct {
	const char *name;
	umode_t mode;
	unsigned int major, minor;
} dev_nodes[] = {
	{ "null", 0666, 1, 3 },
	{ "zero", 0666, 1, 5 },
	{ "full", 0666, 1, 7 },
	{ "random", 0666, 1, 8 },
	{ "urandom", 0666, 1, 9 },
	{ "kmsg", 0644, 1, 11 },
	{ "tty", 0666, 5, 0 },
	{ "console", 0600, 5, 1 },
	{ "ttyS0", 0660, 4, 64 },
	{ "ptmx", 0666, 5, 2 },
};

int devtmpfs_create_node(const char *name, umode_t mode, dev_t dev)
{
	struct dentry *root, *d;
	int err;

	if (!devtmpfs_mnt)
		return -ENODEV;
	root = devtmpfs_mnt->mnt_root;
	mutex_lock(&root->d_inode->i_mutex);
	d = lookup_one(root, name, strlen(name));
	err = IS_ERR(d) ? PTR_ERR(d) : vfs_mknod(root->d_inode, d, mode, dev);
	if (!IS_ERR(d))
		dput(d);
	mutex_unlock(&root->d_inode->i_mutex);
	return err;
}

int devtmpfs_init(void)
{
	unsigned int i;
	int err;

	devtmpfs_mnt = vfs_kern_mount("devtmpfs", 0, "devtmpfs", NULL);
	if (IS_ERR(devtmpfs_mnt)) {
		err = PTR_ERR(devtmpfs_mnt);
		devtmpfs_mnt = NULL;
		return err;
	}
	for (i = 0; i < ARRAY_SIZE(dev_nodes); i++) {
		err = devtmpfs_create_node(dev_nodes[i].name,
					   S_IFCHR | dev_nodes[i].mode,
					   MKDEV(dev_nodes[i].major,
						 dev_nodes[i].minor));
		if (err)
			return err;
	}
	return 0;
}
