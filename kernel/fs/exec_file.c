/*
 * exec_file.c — what execve(2) and the first process need from the VFS
 * (kestrel/fs.h: open_exec, kernel_read_file, file_get_page,
 * vfs_init_task).
 *
 * execve's program is found like any file (namei.c), then checked the
 * way execve(2) lists: a regular file (EACCES otherwise: a directory, a
 * device), on a mount without noexec (EACCES), executable by the caller
 * (EACCES; root needs at least one x bit), not open for writing
 * (ETXTBSY; and while it runs, it cannot be opened for writing: the
 * file holds i_writecount below zero until its last fput, which is the
 * mm's exe_file's).  The ELF loader reads the
 * headers through the file and maps read-only segments straight from
 * its pages (file_get_page): tmpfs's pages are the only copy of the
 * file, so every process running a program shares its text, as with a
 * page cache.
 *
 * The first process gets its place in the tree and descriptors 0, 1, 2
 * on /dev/console, as Linux's kernel_init does ("console_on_rootfs");
 * every other process inherits them by fork.
 */
#include <kestrel/binfmts.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs_struct.h>
#include <kestrel/mm.h>
#include <kestrel/mm_types.h>
#include <kestrel/mount.h>
#include <kestrel/namei.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/vmalloc.h>

#include "internal.h"
#include "tmpfs.h"

#define EXEC_FILE_MAX	(64LL << 20)	/* the largest program, bytes */

struct file *open_exec(const char *name)
{
	struct file *file;
	struct inode *inode;
	struct path path;
	int err = kern_path(name, LOOKUP_FOLLOW, &path);

	if (err)
		return ERR_PTR(err);
	inode = path.dentry->d_inode;
	err = -EACCES;
	if (!S_ISREG(inode->i_mode) || (path.mnt->mnt_flags & MNT_NOEXEC))
		goto out;
	err = inode_permission(inode, MAY_EXEC);
	if (!err)
		err = inode_permission(inode, MAY_READ) ? -EACCES : 0;
	if (err)
		goto out;
	file = vfs_open_path(&path, O_RDONLY | O_LARGEFILE);
	path_put(&path);
	if (!IS_ERR(file)) {
		err = deny_write_access(file);	/* ETXTBSY: open for writing */
		if (err) {
			fput(file);
			return ERR_PTR(err);
		}
	}
	return file;
out:
	path_put(&path);
	return ERR_PTR(err);
}

int kernel_read_file(const char *name, void **buf, size_t *size, size_t max)
{
	struct file *file = open_exec(name);
	loff_t len, pos = 0;
	ssize_t n;
	void *data;

	if (IS_ERR(file))
		return PTR_ERR(file);
	len = file->f_inode->i_size;
	n = -EFBIG;
	if ((size_t)len > max)
		goto out;
	n = -ENOMEM;
	data = vmalloc(len ? len : 1);
	if (!data)
		goto out;
	n = len ? kernel_read(file, data, len, &pos) : 0;
	if (n != len) {
		vfree(data);
		n = n < 0 ? n : -EIO;
		goto out;
	}
	*buf = data;
	*size = len;
	n = 0;
out:
	fput(file);
	return n;
}

struct page *file_get_page(struct file *file, unsigned long index)
{
	struct inode *inode = file->f_inode;
	struct page *page;

	if (!inode || inode->i_fop != &tmpfs_file_operations)
		return ERR_PTR(-ENODEV);	/* only tmpfs has pages to share */
	page = tmpfs_get_page(inode, index, false);
	if (!page)	/* a hole: give it a page, so that it can be shared */
		page = tmpfs_get_page(inode, index, true);
	return page;
}

/* The first process's files: its own fs_struct, and 0, 1, 2 on the console. */
int vfs_init_task(struct task *p)
{
	struct files_struct *files;
	struct file *console;
	int fd;

	if (!p->fs && copy_fs(0, p))
		return -ENOMEM;
	if (!vfs_ready())
		return 0;	/* no tree: descriptors 0–2 stay the bare console */
	console = filp_open("/dev/console", O_RDWR, 0);
	if (IS_ERR(console)) {
		pr_warn("VFS: cannot open an initial console (%ld)\n", PTR_ERR(console));
		return 0;
	}
	files = files_alloc();
	if (!files) {
		fput(console);
		return -ENOMEM;
	}
	for (fd = 0; fd < 3; fd++) {
		files->fd[fd] = fd ? get_file(console) : console;
		files->open_fds[0] |= 1UL << fd;
	}
	files->next_fd = 3;
	p->files = files;
	return 0;
}

/* --- execve's side ------------------------------------------------------------ */

void bprm_put_file(struct linux_binprm *bprm)
{
	if (!bprm->file)
		return;
	fput(bprm->file);
	vfree(bprm->data);
	bprm->file = NULL;
	bprm->data = NULL;
}

int bprm_read_file(struct linux_binprm *bprm)
{
	struct file *file;
	loff_t pos = 0;
	ssize_t n;
	void *data;

	bprm_put_file(bprm);		/* a #! script's file, read before */
	file = open_exec(bprm->path);
	if (IS_ERR(file))
		return PTR_ERR(file);
	n = -ENOEXEC;
	if (file->f_inode->i_size > EXEC_FILE_MAX)
		goto out;
	n = -ENOMEM;
	data = vmalloc(file->f_inode->i_size + 1);
	if (!data)
		goto out;
	n = kernel_read(file, data, file->f_inode->i_size, &pos);
	if (n < 0) {
		vfree(data);
		goto out;
	}
	bprm->file = file;
	bprm->data = data;
	bprm->size = n;
	return 0;
out:
	fput(file);
	return n;
}

void set_mm_exe_file(struct mm *mm, struct file *file)
{
	struct file *old = mm->exe_file;

	mm->exe_file = file ? get_file(file) : NULL;
	if (old)
		fput(old);
}

int vfs_access_exec(const char *name)
{
	struct file *file = open_exec(name);

	if (IS_ERR(file))
		return PTR_ERR(file);
	fput(file);
	return 0;
}
