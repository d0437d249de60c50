/*
 * fd.c — /proc/<pid>/fd: one symlink per open descriptor, named by its
 * number, pointing to what is open (proc(5)): a file's path, or for
 * files without a name "pipe:[inode]".  These are "magic" links: open
 * follows them to the open file itself (->jump_link), so opening
 * /proc/self/fd/3 works for a pipe or a deleted file.  Also the places
 * of a process that its cwd, root and exe links show.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/fs_struct.h>
#include <kestrel/mount.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>
#include <uapi/linux/dirent.h>

#include "../internal.h"
#include "internal.h"

/* @p's working directory ('c') or root ('r'), referenced; exe ('e'):
 * ENOENT until the process's executable file is recorded at execve. */
int proc_task_path(struct task *p, int which, struct path *path)
{
	struct fs_struct *fs;

	if (which != 'c' && which != 'r')
		return -ENOENT;
	fs = get_task_fs(p);
	if (which == 'c')
		get_fs_pwd(fs, path);
	else
		get_fs_root(fs, path);
	put_fs_struct(fs);
	return path->mnt ? 0 : -ENOENT;
}

/* The open file at descriptor pi->fd of pi's process, referenced. */
static struct file *proc_fd_file(struct proc_inode *pi)
{
	struct task *p = proc_get_task(pi->pid);
	struct files_struct *files;
	struct file *file = NULL;

	if (!p)
		return NULL;
	if (current_fsuid() == 0 || (p->cred && p->cred->euid == current_fsuid())) {
		files = get_task_files(p);
		if (files) {
			file = files_fget(files, pi->fd);
			files_put(files);
		}
	}
	put_task_struct(p);
	return file;
}

static int proc_fd_jump(struct dentry *dentry, struct path *path)
{
	struct file *file = proc_fd_file(PROC_I(dentry->d_inode));

	if (!file)
		return -ENOENT;
	*path = file->f_path;
	path_get(path);
	fput(file);
	return 0;
}

static const char *proc_fd_get_link(struct dentry *dentry,
				    struct inode *inode, char *buf)
{
	struct file *file = proc_fd_file(PROC_I(inode));
	char *name;

	if (!file)
		return ERR_PTR(-ENOENT);
	name = d_path(&file->f_path, &current_fs()->root, buf, PATH_MAX);
	fput(file);
	if (!IS_ERR(name) && name != buf)
		memmove(buf, name, strlen(name) + 1);
	return IS_ERR(name) ? (const char *)name : buf;
}

const struct inode_operations proc_fd_link_iops = {
	.get_link = proc_fd_get_link,
	.jump_link = proc_fd_jump,
};

static const struct proc_entry fd_link_entry = {
	"fd", S_IFLNK | 0700, .iop = &proc_fd_link_iops,
};

static struct dentry *proc_fd_lookup(struct inode *dir, struct dentry *dentry)
{
	struct proc_inode *pi = PROC_I(dir);
	const char *s = dentry->d_name.name;
	struct proc_inode probe = { .pid = pi->pid };
	struct inode *inode;
	struct file *file;
	unsigned int i;
	int fd = 0;

	for (i = 0; i < dentry->d_name.len && i < 9; i++) {
		if (s[i] < '0' || s[i] > '9')
			return NULL;
		fd = fd * 10 + (s[i] - '0');
	}
	if (i != dentry->d_name.len || (s[0] == '0' && i > 1))
		return NULL;
	probe.fd = fd;
	file = proc_fd_file(&probe);
	if (!file)
		return NULL;		/* not open: negative, unhashed */
	fput(file);
	inode = proc_make_inode(dir->i_sb, &fd_link_entry, pi->pid, fd);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_uid = dir->i_uid;
	inode->i_gid = dir->i_gid;
	d_add(dentry, inode);
	return NULL;
}

struct fd_readdir {
	struct dir_context *ctx;
	bool full;
};

static int emit_fd(void *arg, unsigned int fd, struct file *file)
{
	struct fd_readdir *r = arg;
	char name[16];

	if ((loff_t)fd + 2 < r->ctx->pos)
		return 0;
	r->ctx->pos = fd + 2;
	if (!dir_emit(r->ctx, name, snprintf(name, sizeof(name), "%u", fd), 1,
		      DT_LNK)) {
		r->full = true;
		return 1;
	}
	r->ctx->pos = fd + 3;
	return 0;
}

static int proc_fd_readdir(struct file *file, struct dir_context *ctx)
{
	struct task *p = proc_get_task(PROC_I(file->f_inode)->pid);
	struct fd_readdir r = { .ctx = ctx };
	struct files_struct *files;

	if (!p)
		return -ENOENT;
	if (dir_emit_dots(file, ctx)) {
		files = get_task_files(p);
		if (files) {
			files_for_each(files, emit_fd, &r);
			files_put(files);
		}
	}
	put_task_struct(p);
	return 0;
}

const struct inode_operations proc_fd_dir_iops = {
	.lookup = proc_fd_lookup,
};

const struct file_operations proc_fd_dir_fops = {
	.llseek = generic_file_llseek,
	.iterate = proc_fd_readdir,
};
