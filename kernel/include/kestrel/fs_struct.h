/*
 * kestrel/fs_struct.h — a process's place in the file tree: its root
 * (chroot(2)), its working directory (chdir(2)) and its umask(2)
 * (kernel/fs/fs_struct.c).
 *
 * Threads made with CLONE_FS share one fs_struct; fork copies it.  The
 * path walk reads root and pwd at its start (get_fs_root, get_fs_pwd take
 * references, so a concurrent chdir cannot free what the walk stands on).
 * Kernel threads and the stages before processes have files use
 * init_fs, whose root is the root mount.
 *
 * Locking legend:
 *	(F) fs->lock, a spinlock: root, pwd, umask
 *	(A) atomic
 */
#ifndef KESTREL_FS_STRUCT_H
#define KESTREL_FS_STRUCT_H

#include <kestrel/dcache.h>
#include <kestrel/fs.h>
#include <kestrel/spinlock.h>

struct task;

/**
 * struct fs_struct - root, working directory and umask of a process
 * @users: (A) tasks sharing it
 * @lock: the (F) lock
 * @umask: (F) permission bits cleared from new files' modes
 * @root: (F) "/" for this process
 * @pwd: (F) the working directory
 */
struct fs_struct {
	int users;
	spinlock_t lock;
	umode_t umask;
	struct path root;
	struct path pwd;
};

extern struct fs_struct init_fs;

/** current_fs - the current task's fs_struct (init_fs for kernel threads). */
struct fs_struct *current_fs(void);

/** get_fs_root / get_fs_pwd - a referenced copy of @fs's root / pwd. */
void get_fs_root(struct fs_struct *fs, struct path *root);
void get_fs_pwd(struct fs_struct *fs, struct path *pwd);

/** set_fs_root / set_fs_pwd - replace them (references taken on @path). */
void set_fs_root(struct fs_struct *fs, const struct path *path);
void set_fs_pwd(struct fs_struct *fs, const struct path *path);

/** current_umask - the current task's umask. */
umode_t current_umask(void);

/**
 * copy_fs - the child @p of a clone gets the parent's fs_struct (shared
 * with CLONE_FS, copied otherwise).  0 or -ENOMEM.  exit_fs - @p drops
 * it (the last user frees it).
 */
int copy_fs(unsigned long clone_flags, struct task *p);
void exit_fs(struct task *p);

/** get_task_fs - @p's fs_struct with a reference; put_fs_struct drops it
 *  (the last frees it; init_fs is never freed). */
struct fs_struct *get_task_fs(struct task *p);
void put_fs_struct(struct fs_struct *fs);

/** fs_struct_init_root - point init_fs at the root mount (vfs_init). */
void fs_struct_init_root(const struct path *root);

#endif
