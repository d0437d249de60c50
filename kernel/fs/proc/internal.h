/*
 * kernel/fs/proc/internal.h — what the files of procfs share.
 *
 * procfs (proc(5)) has no storage: every file's contents are made when it
 * is opened, from the kernel's own state, by a *show* function that
 * prints into a proc_buf — the whole file at once, grown and made again
 * if it did not fit — and read(2) serves bytes from that snapshot.  The
 * tree is described by tables of struct proc_entry: the root's fixed
 * files (meminfo, version…), the files of every /proc/<pid> directory,
 * plus the directories made on the fly for each process and each open
 * descriptor (/proc/<pid>/fd/<n>).
 *
 * An inode of procfs is a struct proc_inode: which entry it is, and for
 * what process (tgid) and descriptor.  Its dentries are not pinned: they
 * are cached like any others, and those of processes are dropped when
 * the process is gone (d_revalidate) or unused (d_delete).
 */
#ifndef KESTREL_FS_PROC_INTERNAL_H
#define KESTREL_FS_PROC_INTERNAL_H

#include <kestrel/compiler.h>
#include <kestrel/fs.h>

struct proc_inode;
struct task;

/** struct proc_buf - a file's contents being made: @len of @cap bytes;
 *  @overflow: something did not fit (the show runs again, bigger) */
struct proc_buf {
	char *data;
	size_t len;
	size_t cap;
	bool overflow;
};

void proc_printf(struct proc_buf *m, const char *fmt, ...) __printf(2, 3);
void proc_write(struct proc_buf *m, const char *s, size_t len);
/* proc_write as the emit callback of mounts_show and friends. */
void proc_emit(void *m, const char *s, size_t len);

/**
 * struct proc_entry - one name in a procfs directory
 * @name: the name
 * @mode: S_IFREG | 0444, S_IFDIR | 0555, S_IFLNK | 0777…
 * @show: (files) make the contents; 0 or -errno (-ESRCH: process gone)
 * @iop, @fop: (directories, links) their own operations
 * @children: (directories of proc_dir_iops) their entries, ended by one
 *          whose name is NULL
 * @write: (files of proc_sys_fops that may be written) take the @len
 *          bytes written at offset 0; 0 or -errno
 */
struct proc_entry {
	const char *name;
	umode_t mode;
	int (*show)(struct proc_buf *m, struct proc_inode *pi);
	const struct inode_operations *iop;
	const struct file_operations *fop;
	const struct proc_entry *children;
	int (*write)(struct proc_inode *pi, const char *buf, size_t len);
};

/** struct proc_inode - @entry for process @pid (0: none), descriptor @fd */
struct proc_inode {
	struct inode vfs_inode;
	const struct proc_entry *entry;
	int pid;
	int fd;
};

static inline struct proc_inode *PROC_I(struct inode *inode)
{
	return container_of(inode, struct proc_inode, vfs_inode);
}

/* root.c */
extern const struct file_operations proc_show_fops;
/* The number @name spells ("42"; no sign, no leading 0), or 0. */
int proc_name_to_id(const struct qstr *name);
struct inode *proc_make_inode(struct super_block *sb,
			      const struct proc_entry *e, int pid, int fd);
int proc_lookup_entry(struct dentry *dentry, const struct proc_entry *table,
		      unsigned int n, int pid);
int proc_readdir_entries(struct file *file, struct dir_context *ctx,
			 const struct proc_entry *table, unsigned int n);
extern const struct dentry_operations proc_pid_dentry_operations;
/* A directory whose entries are a fixed table (entry->children). */
extern const struct inode_operations proc_dir_iops;
extern const struct file_operations proc_dir_fops;
int proc_show_open(struct inode *inode, struct file *file);
ssize_t proc_show_read(struct file *file, struct iov_iter *to, loff_t *pos);
int proc_show_release(struct inode *inode, struct file *file);

/* base.c: /proc/<pid> */
struct task *proc_get_task(int id);
int proc_pid_lookup(struct inode *dir, struct dentry *dentry, int pid);
/* Thread @tid's directory as @dentry (the caller checked it exists). */
int proc_tid_lookup(struct inode *dir, struct dentry *dentry, int tid);
int proc_readdir_pids(struct file *file, struct dir_context *ctx,
		      loff_t base);
extern const struct inode_operations proc_pid_dir_iops;
extern const struct file_operations proc_pid_dir_fops;
extern const struct inode_operations proc_tid_dir_iops;
extern const struct file_operations proc_tid_dir_fops;

/* task.c: /proc/<pid>/task */
extern const struct inode_operations proc_task_dir_iops;
extern const struct file_operations proc_task_dir_fops;

/* fd.c: /proc/<pid>/fd */
extern const struct inode_operations proc_fd_dir_iops;
extern const struct file_operations proc_fd_dir_fops;
extern const struct inode_operations proc_fd_link_iops;
int proc_task_path(struct task *p, int which, struct path *path);

/* info.c: the root's files */
extern const struct proc_entry proc_root_entries[];
extern const unsigned int proc_root_nr;

/* sysctl.c: /proc/sys */
extern const struct proc_entry proc_sys_entries[];

#endif
