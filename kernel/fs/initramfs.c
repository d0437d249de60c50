/*
 * initramfs.c — unpacking the initramfs into the root tmpfs at boot,
 * as Linux does (Documentation/filesystems/ramfs-rootfs-initramfs.rst).
 *
 * The boot loader left a cpio "newc" archive in memory (kestrel/boot.h),
 * possibly gzip-compressed, possibly several archives one after the
 * other.  Each entry becomes a file of the root through the ordinary VFS
 * calls, as root: directories (mkdir), regular files (open, write),
 * symlinks, device nodes and FIFOs (mknod); then owner, mode and mtime
 * are set to the archive's.  Two subtleties, both Linux's behaviour:
 *
 *   - hard links: GNU cpio writes every name of a file with the same
 *     inode number and the data only once (with the last name); an entry
 *     whose (ino, devmajor, devminor) was seen with nlink ≥ 2 becomes a
 *     link to the first name, then gets the data if it carries some;
 *   - directories' mtimes are set at the very end, since adding their
 *     entries changes them.
 *
 * An entry that exists already with another type is removed first (a
 * later archive overrides an earlier one).  A malformed archive stops
 * the unpacking with a message; what was unpacked stays.
 */
#include <kestrel/boot.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/inflate.h>
#include <kestrel/mm.h>
#include <kestrel/namei.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/vmalloc.h>
#include <asm/page.h>

#include "initramfs.h"
#include "internal.h"

#define LINK_HASH	64

/* A name remembered for later: hard-link targets, directory mtimes. */
struct remembered {
	struct remembered *next;
	u32 ino, major, minor;	/* hard links: the key */
	u32 mtime;		/* directories: the time to set at the end */
	char name[];
};

struct unpacker {
	struct remembered *links[LINK_HASH];
	struct remembered *dirs;
	unsigned long files;
	int err;
};

static struct remembered *remember(struct remembered **list, const char *name)
{
	size_t len = strlen(name) + 1;
	struct remembered *r = kmalloc(sizeof(*r) + len, GFP_KERNEL);

	if (!r)
		return NULL;
	memcpy(r->name, name, len);
	r->next = *list;
	*list = r;
	return r;
}

static void forget_all(struct remembered **list)
{
	struct remembered *r;

	while ((r = *list)) {
		*list = r->next;
		kfree(r);
	}
}

/* Owner, mode (not for symlinks) and times of @name, not following links. */
static void set_attrs(const char *name, const struct cpio_header *h)
{
	struct iattr attr = {
		.ia_valid = ATTR_UID | ATTR_GID | ATTR_ATIME | ATTR_MTIME |
			    ATTR_ATIME_SET | ATTR_MTIME_SET,
		.ia_uid = h->uid, .ia_gid = h->gid, .ia_mode = h->mode,
		.ia_atime = { .tv_sec = h->mtime }, .ia_mtime = { .tv_sec = h->mtime },
	};
	struct path path;

	if (kern_path(name, 0, &path))
		return;
	if (!S_ISLNK(h->mode))
		attr.ia_valid |= ATTR_MODE;
	mutex_lock(&path.dentry->d_inode->i_mutex);
	notify_change(path.dentry, &attr);
	mutex_unlock(&path.dentry->d_inode->i_mutex);
	path_put(&path);
}

/* Remove what is at @name unless it is a directory and @dir says keep it. */
static void clean_path(const char *name, bool dir)
{
	struct path path;
	bool is_dir;

	if (kern_path(name, 0, &path))
		return;
	is_dir = S_ISDIR(path.dentry->d_inode->i_mode);
	path_put(&path);
	if (is_dir && !dir)
		do_rmdir(AT_FDCWD, name);
	else if (!is_dir)
		do_unlinkat(AT_FDCWD, name);
}

/* A hard link to an earlier name of the same file: 1 if made, 0 if not. */
static int maybe_link(struct unpacker *u, const char *name,
		      const struct cpio_header *h)
{
	struct remembered **bucket = &u->links[h->ino % LINK_HASH], *r;

	if (h->nlink < 2)
		return 0;
	for (r = *bucket; r; r = r->next) {
		if (r->ino == h->ino && r->major == h->devmajor &&
		    r->minor == h->devminor) {
			clean_path(name, false);
			return do_linkat(AT_FDCWD, r->name, AT_FDCWD, name, 0) ? 0 : 1;
		}
	}
	r = remember(bucket, name);
	if (r) {
		r->ino = h->ino;
		r->major = h->devmajor;
		r->minor = h->devminor;
	}
	return 0;
}

static int unpack_file(struct unpacker *u, const char *name,
		       const struct cpio_entry *e)
{
	int linked = maybe_link(u, name, &e->h), flags = O_WRONLY | O_CREAT;
	struct file *file;
	loff_t pos = 0;
	ssize_t n;

	if (!linked) {
		clean_path(name, false);
		flags |= O_TRUNC;
	}
	file = filp_open(name, flags, e->h.mode & 07777);
	if (IS_ERR(file))
		return PTR_ERR(file);
	n = e->h.filesize ? kernel_write(file, e->data, e->h.filesize, &pos) : 0;
	filp_close(file);
	if (n < 0 || (size_t)n != e->h.filesize)
		return n < 0 ? (int)n : -EIO;
	set_attrs(name, &e->h);
	return 0;
}

static int unpack_symlink(const char *name, const struct cpio_entry *e)
{
	char *target = kmalloc(e->h.filesize + 1, GFP_KERNEL);
	int err;

	if (!target)
		return -ENOMEM;
	memcpy(target, e->data, e->h.filesize);
	target[e->h.filesize] = '\0';
	clean_path(name, false);
	err = do_symlinkat(target, AT_FDCWD, name);
	kfree(target);
	if (!err)
		set_attrs(name, &e->h);
	return err;
}

static int unpack_dir(struct unpacker *u, const char *name,
		      const struct cpio_header *h)
{
	struct remembered *r;
	int err;

	clean_path(name, true);
	err = do_mkdirat(AT_FDCWD, name, h->mode & 07777);
	if (err && err != -EEXIST)
		return err;
	set_attrs(name, h);
	r = remember(&u->dirs, name);
	if (r)
		r->mtime = h->mtime;
	return 0;
}

/* One archive entry into the tree. */
static int unpack_entry(struct unpacker *u, const struct cpio_entry *e)
{
	const char *name = cpio_clean_name(e->name);
	umode_t mode = e->h.mode;
	int err;

	if (!*name)
		return 0;		/* "." : the root itself */
	switch (mode & S_IFMT) {
	case S_IFDIR:
		return unpack_dir(u, name, &e->h);
	case S_IFREG:
		return unpack_file(u, name, e);
	case S_IFLNK:
		return unpack_symlink(name, e);
	case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		clean_path(name, false);
		err = do_mknodat(AT_FDCWD, name, mode,
				 MKDEV(e->h.rdevmajor, e->h.rdevminor));
		if (!err)
			set_attrs(name, &e->h);
		return err;
	default:
		return -EINVAL;
	}
}

static void set_dir_times(struct unpacker *u)
{
	struct cpio_header h = { 0 };
	struct remembered *r;

	for (r = u->dirs; r; r = r->next) {
		struct path path;

		if (kern_path(r->name, 0, &path))
			continue;
		h.uid = path.dentry->d_inode->i_uid;
		h.gid = path.dentry->d_inode->i_gid;
		h.mode = path.dentry->d_inode->i_mode;
		h.mtime = r->mtime;
		path_put(&path);
		set_attrs(r->name, &h);
	}
}

static int unpack_buffer(struct unpacker *u, const u8 *buf, size_t len,
			 int depth);

/* A gzip member at @buf: decompress it and unpack what it holds. */
static int unpack_gzip(struct unpacker *u, const u8 *buf, size_t len,
		       size_t *used, int depth)
{
	size_t cap = MAX((size_t)(buf[len - 4] | buf[len - 3] << 8 |
				  buf[len - 2] << 16 | (u32)buf[len - 1] << 24),
			 4 * len), out_len;
	struct inflate_work *w = vmalloc(sizeof(*w));
	u8 *out = NULL;
	int err = -ENOMEM;

	while (w) {
		if (cap > totalram_pages() / 2 * PAGE_SIZE)
			break;		/* -ENOMEM: it could never fit */
		out = vmalloc(cap);
		if (!out)
			break;
		err = gunzip(buf, len, used, out, cap, &out_len, w);
		if (err != -ENOSPC)
			break;
		vfree(out);
		out = NULL;
		cap *= 2;
	}
	if (!err)
		err = unpack_buffer(u, out, out_len, depth + 1);
	vfree(out);
	vfree(w);
	return err;
}

static int unpack_buffer(struct unpacker *u, const u8 *buf, size_t len,
			 int depth)
{
	struct cpio_entry e;
	size_t pos = 0, used;
	int r;

	while (pos < len) {
		while (pos < len && buf[pos] == 0)
			pos++;
		if (pos + 2 <= len && buf[pos] == 0x1f && buf[pos + 1] == 0x8b) {
			if (depth > 0)
				return -EINVAL;	/* compressed inside compressed */
			r = unpack_gzip(u, buf + pos, len - pos, &used, depth);
			if (r)
				return r;
			pos += used;
			continue;
		}
		r = cpio_next_entry(buf, len, &pos, &e);
		if (r < 0)
			return r;
		if (r == 1) {
			r = unpack_entry(u, &e);
			if (r)
				pr_warn("initramfs: %s: error %d\n", e.name, r);
			u->files++;
		}
	}
	return 0;
}

int initramfs_unpack(const void *buf, size_t len)
{
	struct unpacker *u = kzalloc(sizeof(*u), GFP_KERNEL);
	unsigned int i;
	int err;

	if (!u)
		return -ENOMEM;
	err = unpack_buffer(u, buf, len, 0);
	set_dir_times(u);
	if (!err)
		pr_info("initramfs: unpacked %lu entries (%zu bytes%s) into the root\n",
			u->files, len,
			len > 1 && ((const u8 *)buf)[0] == 0x1f ? ", gzip" : "");
	for (i = 0; i < LINK_HASH; i++)
		forget_all(&u->links[i]);
	forget_all(&u->dirs);
	kfree(u);
	return err;
}
