/*
 * root.c — procfs itself: the file system type, its inodes, the files
 * whose contents a show function makes, and the root directory
 * (kernel/fs/proc/internal.h tells the design; proc(5) is the source).
 *
 * The root holds the fixed files of info.c, "self" (a symlink to the
 * caller's process id, resolved at every lookup) and one directory per
 * process, named by its id.  readdir lists them in that order: the
 * fixed entries at positions 2…, then the processes at PID_BASE + pid,
 * so a getdents64 interrupted halfway resumes after the last process it
 * returned even if processes came and went meanwhile.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/mount.h>
#include <kestrel/namei.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>
#include <kestrel/vmalloc.h>
#include <uapi/linux/dirent.h>
#include <uapi/linux/magic.h>

#include "../internal.h"
#include "internal.h"

#define PID_BASE	0x10000	/* readdir position of process 0 */
#define PROC_BUF_MAX	(4UL << 20)	/* the largest file procfs makes */

static struct kmem_cache *proc_inode_cache;

/* --- making contents ------------------------------------------------------ */

void proc_write(struct proc_buf *m, const char *s, size_t len)
{
	if (m->len + len > m->cap) {
		m->overflow = true;
		len = m->cap - m->len;
	}
	memcpy(m->data + m->len, s, len);
	m->len += len;
}

void proc_emit(void *m, const char *s, size_t len)
{
	proc_write(m, s, len);
}

void proc_printf(struct proc_buf *m, const char *fmt, ...)
{
	va_list args;
	size_t room = m->cap - m->len;
	int n;

	va_start(args, fmt);
	n = vsnprintf(m->data + m->len, room, fmt, args);
	va_end(args);
	if ((size_t)n >= room) {
		m->overflow = true;
		m->len = m->cap;
	} else {
		m->len += n;
	}
}

static void *buf_alloc(size_t n)
{
	return n > 8192 ? vmalloc(n) : kmalloc(n, GFP_KERNEL);
}

static void buf_free(void *p, size_t n)
{
	if (n > 8192)
		vfree(p);
	else
		kfree(p);
}

/* open(2) of a show file: make the snapshot read(2) will serve. */
int proc_show_open(struct inode *inode, struct file *file)
{
	struct proc_inode *pi = PROC_I(inode);
	struct proc_buf *m = kzalloc(sizeof(*m), GFP_KERNEL);
	int err;

	if (!m)
		return -ENOMEM;
	for (m->cap = 4096;; m->cap *= 2) {
		m->data = buf_alloc(m->cap);
		if (!m->data) {
			err = -ENOMEM;
			break;
		}
		m->len = 0;
		m->overflow = false;
		err = pi->entry->show(m, pi);
		if (err || !m->overflow || m->cap >= PROC_BUF_MAX)
			break;
		buf_free(m->data, m->cap);	/* did not fit: bigger */
	}
	if (err) {
		if (m->data)
			buf_free(m->data, m->cap);
		kfree(m);
		return err;
	}
	file->private_data = m;
	return 0;
}

ssize_t proc_show_read(struct file *file, struct iov_iter *to,
			      loff_t *pos)
{
	struct proc_buf *m = file->private_data;
	size_t n, copied;

	if (*pos >= (loff_t)m->len)
		return 0;
	n = MIN(iov_iter_count(to), m->len - (size_t)*pos);
	copied = copy_to_iter(m->data + *pos, n, to);
	*pos += copied;
	return copied ? (ssize_t)copied : -EFAULT;
}

int proc_show_release(struct inode *inode, struct file *file)
{
	struct proc_buf *m = file->private_data;

	buf_free(m->data, m->cap);
	kfree(m);
	return 0;
}

const struct file_operations proc_show_fops = {
	.llseek = generic_file_llseek,
	.open = proc_show_open,
	.read_iter = proc_show_read,
	.release = proc_show_release,
};

/* --- inodes and directories ------------------------------------------------ */

struct inode *proc_make_inode(struct super_block *sb,
			      const struct proc_entry *e, int pid, int fd)
{
	struct inode *inode = new_inode(sb);
	struct proc_inode *pi;

	if (!inode)
		return NULL;
	pi = PROC_I(inode);
	pi->entry = e;
	pi->pid = pid;
	pi->fd = fd;
	inode->i_mode = e->mode;
	inode->i_op = e->iop;
	inode->i_fop = e->fop ? e->fop : (e->show ? &proc_show_fops : NULL);
	if (S_ISDIR(e->mode))
		set_nlink(inode, 2);
	return inode;
}

int proc_lookup_entry(struct dentry *dentry, const struct proc_entry *table,
		      unsigned int n, int pid)
{
	struct inode *inode;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (strlen(table[i].name) != dentry->d_name.len ||
		    memcmp(table[i].name, dentry->d_name.name, dentry->d_name.len))
			continue;
		inode = proc_make_inode(dentry->d_sb, &table[i], pid, -1);
		if (!inode)
			return -ENOMEM;
		d_add(dentry, inode);
		return 0;
	}
	return -ENOENT;
}

int proc_readdir_entries(struct file *file, struct dir_context *ctx,
			 const struct proc_entry *table, unsigned int n)
{
	unsigned int i;

	if (!dir_emit_dots(file, ctx))
		return 0;
	for (i = ctx->pos - 2; i < n; i++) {
		/* The inode number of a name not looked up yet does not
		 * matter to readdir's callers: 1 stands for "some". */
		if (!dir_emit(ctx, table[i].name, strlen(table[i].name), 1,
			      (table[i].mode & S_IFMT) >> 12))
			return 0;
		ctx->pos++;
	}
	return 0;
}

/* --- directories of a fixed table (/proc/sys and below) --------------------- */

static unsigned int proc_children_nr(const struct proc_entry *children)
{
	unsigned int n = 0;

	while (children[n].name)
		n++;
	return n;
}

static struct dentry *proc_dir_lookup(struct inode *dir, struct dentry *dentry)
{
	const struct proc_entry *c = PROC_I(dir)->entry->children;
	int err = proc_lookup_entry(dentry, c, proc_children_nr(c), 0);

	if (err == -ENOENT)
		d_add(dentry, NULL);	/* the table never changes: cache it */
	return err && err != -ENOENT ? ERR_PTR(err) : NULL;
}

static int proc_dir_readdir(struct file *file, struct dir_context *ctx)
{
	const struct proc_entry *c = PROC_I(file->f_inode)->entry->children;

	return proc_readdir_entries(file, ctx, c, proc_children_nr(c));
}

const struct inode_operations proc_dir_iops = {
	.lookup = proc_dir_lookup,
};

const struct file_operations proc_dir_fops = {
	.llseek = generic_file_llseek,
	.iterate = proc_dir_readdir,
};

/* "self": a link to the caller's process id, made at each lookup. */
static const char *proc_self_get_link(struct dentry *dentry,
				      struct inode *inode, char *buf)
{
	snprintf(buf, 16, "%d", current->tgid);
	return current->tgid ? buf : ERR_PTR(-ENOENT);
}

static const struct inode_operations proc_self_iops = {
	.get_link = proc_self_get_link,
};

static const struct proc_entry proc_self_entry = {
	"self", S_IFLNK | 0777, .iop = &proc_self_iops,
};

int proc_name_to_id(const struct qstr *name)
{
	int id = 0;
	unsigned int i;

	if (name->len == 0 || name->len > 9 || name->name[0] == '0')
		return 0;
	for (i = 0; i < name->len; i++) {
		if (name->name[i] < '0' || name->name[i] > '9')
			return 0;
		id = id * 10 + (name->name[i] - '0');
	}
	return id;
}

static struct dentry *proc_root_lookup(struct inode *dir, struct dentry *dentry)
{
	const char *s = dentry->d_name.name;
	struct inode *inode;
	int pid = proc_name_to_id(&dentry->d_name), err;

	if (proc_lookup_entry(dentry, proc_root_entries, proc_root_nr, 0) == 0)
		return NULL;
	if (dentry->d_name.len == 4 && memcmp(s, "self", 4) == 0) {
		inode = proc_make_inode(dir->i_sb, &proc_self_entry, 0, -1);
		if (!inode)
			return ERR_PTR(-ENOMEM);
		d_add(dentry, inode);
		return NULL;
	}
	if (pid > 0) {
		err = proc_pid_lookup(dir, dentry, pid);
		if (err != -ENOENT)
			return err ? ERR_PTR(err) : NULL;
	}
	/* Negative, but not hashed: a process with this id may appear
	 * later, and a cached "no such file" would hide it. */
	return NULL;
}

static int proc_root_readdir(struct file *file, struct dir_context *ctx)
{
	loff_t fixed_end = 2 + proc_root_nr;

	if (ctx->pos < fixed_end) {
		proc_readdir_entries(file, ctx, proc_root_entries, proc_root_nr);
		if (ctx->pos < fixed_end)
			return 0;
	}
	if (ctx->pos == fixed_end) {
		if (!dir_emit(ctx, "self", 4, 1, DT_LNK))
			return 0;
		ctx->pos = PID_BASE;
	}
	return proc_readdir_pids(file, ctx, PID_BASE);
}

static const struct inode_operations proc_root_iops = {
	.lookup = proc_root_lookup,
};

static const struct file_operations proc_root_fops = {
	.llseek = generic_file_llseek,
	.iterate = proc_root_readdir,
};

static const struct proc_entry proc_root_entry = {
	"/", S_IFDIR | 0555, .iop = &proc_root_iops, .fop = &proc_root_fops,
};

/* --- the file system --------------------------------------------------------- */

static struct inode *proc_alloc_inode(struct super_block *sb)
{
	struct proc_inode *pi = kmem_cache_alloc(proc_inode_cache, __GFP_ZERO);

	return pi ? &pi->vfs_inode : NULL;
}

static void proc_destroy_inode(struct inode *inode)
{
	kmem_cache_free(proc_inode_cache, PROC_I(inode));
}

static const struct super_operations proc_sops = {
	.alloc_inode = proc_alloc_inode,
	.destroy_inode = proc_destroy_inode,
	.statfs = simple_statfs,
};

static int proc_fill_super(struct super_block *sb, const char *data)
{
	struct inode *root;

	if (!proc_inode_cache)
		proc_inode_cache = kmem_cache_create("proc_inode",
						     sizeof(struct proc_inode), 0, 0);
	if (!proc_inode_cache)
		return -ENOMEM;
	sb->s_op = &proc_sops;
	sb->s_magic = PROC_SUPER_MAGIC;
	sb->s_blocksize = 1024;
	root = proc_make_inode(sb, &proc_root_entry, 0, -1);
	if (!root)
		return -ENOMEM;
	sb->s_root = d_alloc_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

static struct file_system_type proc_fs_type = {
	.name = "proc",
	.fill_super = proc_fill_super,
};

void procfs_init(void)
{
	register_filesystem(&proc_fs_type);
}
