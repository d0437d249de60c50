/*
 * file_table.c — struct file: made at open, counted, released at the last
 * close (kestrel/fs.h).
 *
 * One struct file is one *open file description* in POSIX's words: what
 * open(2) creates, and what dup(2), fork and SCM_RIGHTS share — the
 * offset, the status flags (O_APPEND, O_NONBLOCK), the access mode.  The
 * descriptors pointing to it each hold a reference (f_count), and so does
 * every system call using it for its duration, so that close(2) in one
 * thread cannot free a file another thread is reading.  The last fput()
 * calls the file's ->release (a pipe end closes, a device is told) and
 * drops the path, which may free a file that was unlinked while open.
 *
 * Files without a name — epoll instances, eventfds, timerfds
 * (kestrel/anon_inodes.h) — are made here too: like Linux, they all share
 * one inode of an internal file system (so fstat shows the same
 * "anon_inode" for each), and each gets a dentry of its own whose name
 * /proc/<pid>/fd shows: "anon_inode:[eventpoll]".
 */
#include <kestrel/anon_inodes.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/filelock.h>
#include <kestrel/fs.h>
#include <kestrel/mount.h>
#include <kestrel/poll.h>
#include <kestrel/slab.h>
#include <kestrel/sprintf.h>
#include <uapi/linux/magic.h>

#include "internal.h"

#define FILES_MAX	(1L << 20)	/* struct files at once (fs.file-max) */

static struct kmem_cache *file_cache;
static long nr_files;		/* A */

long files_count(void)
{
	return __atomic_load_n(&nr_files, __ATOMIC_RELAXED);
}

static fmode_t open_fmode(unsigned int flags)
{
	fmode_t mode = FMODE_LSEEK;

	if (flags & O_PATH)
		return FMODE_PATH;
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		mode |= FMODE_READ;
		break;
	case O_WRONLY:
		mode |= FMODE_WRITE;
		break;
	case O_RDWR:
		mode |= FMODE_READ | FMODE_WRITE;
		break;
	}			/* 3: neither (an "ioctl only" open) */
	return mode;
}

struct file *alloc_file(const struct path *path, unsigned int flags,
			const struct file_operations *fop)
{
	struct file *file;

	if (!file_cache) {
		file_cache = kmem_cache_create("filp", sizeof(struct file), 0, 0);
		if (!file_cache)
			return ERR_PTR(-ENOMEM);
	}
	if (__atomic_add_fetch(&nr_files, 1, __ATOMIC_RELAXED) > FILES_MAX) {
		__atomic_sub_fetch(&nr_files, 1, __ATOMIC_RELAXED);
		return ERR_PTR(-ENFILE);
	}
	file = kmem_cache_alloc(file_cache, __GFP_ZERO);
	if (!file) {
		__atomic_sub_fetch(&nr_files, 1, __ATOMIC_RELAXED);
		return ERR_PTR(-ENOMEM);
	}
	file->f_path = *path;
	path_get(path);
	file->f_inode = path->dentry->d_inode;
	file->f_op = fop;
	file->f_count = 1;
	/* O_NOCTTY stays until ->open has seen it (vfs_open_path). */
	file->f_flags = flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC);
	file->f_mode = open_fmode(flags);
	mutex_init(&file->f_pos_lock);
	spin_lock_init(&file->f_lock);
	list_init(&file->f_ep_links);
	return file;
}

void fput(struct file *file)
{
	if (!file || __atomic_sub_fetch(&file->f_count, 1, __ATOMIC_ACQ_REL))
		return;
	if (!list_empty(&file->f_ep_links))
		eventpoll_release(file);
	locks_remove_file(file);	/* its OFD locks and flock */
	if (file->f_mode & FMODE_WRITER)
		put_write_access(file->f_inode);
	if (file->f_mode & FMODE_DENYWRITE)	/* a program's: allow writers */
		__atomic_add_fetch(&file->f_inode->i_writecount, 1, __ATOMIC_ACQ_REL);
	if (file->f_op && file->f_op->release)
		file->f_op->release(file->f_inode, file);
	path_put(&file->f_path);
	kmem_cache_free(file_cache, file);
	__atomic_sub_fetch(&nr_files, 1, __ATOMIC_RELAXED);
}

/* --- files without a name ---------------------------------------------------- */

static struct vfsmount *anon_mnt;
static struct inode *anon_inode;

static char *anon_dname(struct dentry *dentry, char *buf, int buflen)
{
	int n = snprintf(buf, buflen, "anon_inode:%s", dentry->d_name.name);

	return n < buflen ? buf : ERR_PTR(-ENAMETOOLONG);
}

static const struct dentry_operations anon_dops = {
	.d_dname = anon_dname,
};

static const struct super_operations anon_sops = {
	.statfs = simple_statfs,
};

static int anon_fill_super(struct super_block *sb, const char *data)
{
	return pseudo_fill_super(sb, &anon_sops, ANON_INODE_FS_MAGIC);
}

static struct file_system_type anon_type = {
	.name = "anon_inodefs",
	.fill_super = anon_fill_super,
};

void anon_inodes_init(void)
{
	register_filesystem(&anon_type);
	anon_mnt = vfs_kern_mount("anon_inodefs", 0, "anon_inodefs", NULL);
	if (IS_ERR(anon_mnt)) {
		anon_mnt = NULL;
		return;
	}
	anon_inode = new_inode(anon_mnt->mnt_sb);
	if (anon_inode)
		anon_inode->i_mode = S_IRUSR | S_IWUSR;	/* no type: "anon_inode" */
}

struct file *anon_inode_getfile(const char *name,
				const struct file_operations *fops,
				void *priv, int flags)
{
	struct path path;
	struct file *file;

	if (!anon_inode)
		return ERR_PTR(-ENODEV);
	ihold(anon_inode);
	path.mnt = anon_mnt;
	path.dentry = d_alloc_anon(anon_mnt->mnt_sb, anon_inode, name);
	if (!path.dentry) {
		iput(anon_inode);
		return ERR_PTR(-ENOMEM);
	}
	path.dentry->d_op = &anon_dops;
	file = alloc_file(&path, (flags & (O_ACCMODE | O_NONBLOCK)), fops);
	dput(path.dentry);
	if (!IS_ERR(file)) {
		file->private_data = priv;
		file->f_mode &= ~FMODE_LSEEK;
	}
	return file;
}

int anon_inode_getfd(const char *name, const struct file_operations *fops,
		     void *priv, int flags)
{
	struct file *file;
	int fd = get_unused_fd_flags(flags);

	if (fd < 0)
		return fd;
	file = anon_inode_getfile(name, fops, priv, flags);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}
