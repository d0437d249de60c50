/*
 * init.c — the file tree at boot (vfs_init, kestrel/fs.h).
 *
 *	1. the caches and the file system types: tmpfs, rootfs, devtmpfs,
 *	   pipefs, proc, sysfs; the character devices (mem, console)
 *	2. mount a tmpfs ("rootfs") as "/"; it is every process's root
 *	   and working directory to start with (init_fs)
 *	3. unpack the initramfs into it (initramfs.c), as Linux does
 *	4. /dev: devtmpfs with the device nodes; /proc: procfs; /tmp: a
 *	   directory of mode 1777 in the root tmpfs (made if the archive
 *	   had none)
 *
 * Linux leaves step 4 to init (or to its own built-in /dev/console);
 * Kestrel does it so that the simplest static program finds a
 * Linux-like tree.  Mounting again from user space stacks a new mount
 * on top, as on Linux.
 *
 * In the stages before lab 8 is done, the holes make the first file
 * operation fail with ENOSYS: vfs_init says so in one line and leaves
 * vfs_ready() false, and programs keep running straight from the initrd
 * (kernel/fs/initrd.c), their descriptors 0–2 on the console.
 */
#include <kestrel/anon_inodes.h>
#include <kestrel/boot.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/fs_struct.h>
#include <kestrel/mount.h>
#include <kestrel/namei.h>
#include <kestrel/pipe_fs_i.h>
#include <kestrel/printk.h>
#include <kestrel/tty.h>
#include <asm/page.h>

#include "internal.h"

static bool vfs_done;		/* vfs_init ran (it runs once) */
static bool vfs_up;		/* and the tree is there */

bool vfs_ready(void)
{
	return vfs_up;
}

/* Make the directory @name (mode @mode) unless something is there. */
static int make_dir(const char *name, umode_t mode)
{
	struct path path;
	int err = do_mkdirat(AT_FDCWD, name, mode);

	if (err == -EEXIST)
		return 0;
	if (err)
		return err;
	if (kern_path(name, 0, &path) == 0) {	/* exactly @mode: no umask */
		struct iattr attr = { .ia_valid = ATTR_MODE, .ia_mode = mode };

		mutex_lock(&path.dentry->d_inode->i_mutex);
		notify_change(path.dentry, &attr);
		mutex_unlock(&path.dentry->d_inode->i_mutex);
		path_put(&path);
	}
	return 0;
}

/* Mount file system @type on the directory @where (made if missing). */
static int mount_on(const char *type, const char *devname, const char *where,
		    umode_t mode, int flags)
{
	struct vfsmount *mnt;
	struct path path;
	int err = make_dir(where, mode);

	if (err)
		return err;
	err = kern_path(where, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &path);
	if (err)
		return err;
	mnt = vfs_kern_mount(type, flags, devname, NULL);
	err = IS_ERR(mnt) ? PTR_ERR(mnt) : do_add_mount(mnt, &path);
	if (err && !IS_ERR(mnt))
		mntput(mnt);
	path_put(&path);
	return err;
}

static void register_everything(void)
{
	dcache_init();
	tmpfs_init();
	pipefs_init();
	anon_inodes_init();
	procfs_init();
	sysfs_init();
	devpts_init();
	chr_mem_init();
	tty_console_init();
}

/* Steps 3 and 4; the first error stops them. */
static int populate_root(void)
{
	int err = 0;

	if (boot_info.initrd_start && boot_info.initrd_size)
		err = initramfs_unpack(__va(boot_info.initrd_start),
				       boot_info.initrd_size);
	if (err)
		pr_err("initramfs: unpacking failed (%d); the root holds what was unpacked\n",
		       err);
	if (err == -ENOSYS)
		return err;
	err = devtmpfs_init();
	if (!err)
		err = mount_on("devtmpfs", "devtmpfs", "/dev", 0755, 0);
	if (!err)
		err = mount_on("devpts", "devpts", "/dev/pts", 0755,
			       MNT_NOSUID | MNT_NOEXEC);
	if (!err)
		err = mount_on("proc", "proc", "/proc", 0555,
			       MNT_NOSUID | MNT_NODEV | MNT_NOEXEC | MNT_RELATIME);
	if (!err)
		err = make_dir("/tmp", S_ISVTX | 0777);
	return err;
}

void vfs_init(void)
{
	struct vfsmount *root;
	struct path path;
	int err;

	if (vfs_done)
		return;
	vfs_done = true;
	register_everything();
	root = mount_init_root("rootfs");
	if (IS_ERR(root)) {
		pr_err("VFS: cannot mount the root tmpfs (%ld); no file tree\n",
		       PTR_ERR(root));
		return;
	}
	path.mnt = root;
	path.dentry = root->mnt_root;
	fs_struct_init_root(&path);
	mntput(root);
	err = populate_root();
	if (err == -ENOSYS) {
		pr_notice("VFS: the file tree is not available yet (lab 8: a stub answered ENOSYS); programs run from the initrd\n");
		return;
	}
	if (err) {
		pr_err("VFS: setting up /dev, /proc, /tmp failed (%d)\n", err);
		return;
	}
	vfs_up = true;
	pr_info("VFS: / is a tmpfs, /dev devtmpfs, /proc proc, /tmp in the root\n");
}
