/*
 * kestrel/namei.h — from a path name to a place in the file tree, and
 * the operations on names: mkdir, unlink, rename, link, symlink
 * (kernel/fs/namei.c, dirops.c).
 *
 * A path is resolved one component at a time, from the process's root
 * ("/etc/passwd"), its working directory ("etc/passwd") or the directory
 * a file descriptor names (the *at() calls), exactly as
 * path_resolution(7) describes: "." stays, ".." goes up (never above the
 * process's root, and across mount points), every directory on the way
 * must be searchable (EACCES), every component but the last must be a
 * directory (ENOTDIR), and symbolic links are followed — always in the
 * middle of a path, at its end only when asked (LOOKUP_FOLLOW) — at most
 * MAXSYMLINKS (40) per walk (ELOOP).  A component longer than NAME_MAX
 * is ENAMETOOLONG.
 *
 * Every function here takes names in kernel memory.  The system calls
 * copy a user's name first with getname(), which also turns an empty
 * name into ENOENT (unless AT_EMPTY_PATH allows it) and a name longer
 * than PATH_MAX into ENAMETOOLONG.
 *
 * Locking: the walk takes no lock across components; each lookup takes
 * the directory's i_mutex only when the dcache misses.  The do_*
 * operations take the parent directory's i_mutex (both, for rename),
 * call the vfs_* function, which checks permissions and calls the file
 * system.  All may sleep.
 */
#ifndef KESTREL_NAMEI_H
#define KESTREL_NAMEI_H

#include <kestrel/compiler.h>
#include <kestrel/dcache.h>
#include <kestrel/fs.h>

/* lookup flags */
#define LOOKUP_FOLLOW		0x0001	/* follow a symlink at the end */
#define LOOKUP_DIRECTORY	0x0002	/* the end must be a directory */
#define LOOKUP_PARENT		0x0010	/* (internal) stop before the last name */
#define LOOKUP_EMPTY		0x4000	/* "" names the starting directory */

/**
 * getname - copy the user path @uname into a new kernel buffer (PATH_MAX
 * bytes; putname() frees it).  ERR_PTR(-EFAULT), (-ENAMETOOLONG), or
 * (-ENOENT) for "" unless @flags has LOOKUP_EMPTY.  May sleep.
 */
char *getname_flags(const char __user *uname, unsigned int flags);
static inline char *getname(const char __user *uname)
{
	return getname_flags(uname, 0);
}
void putname(char *name);

/**
 * filename_lookup - resolve @name from @dfd (AT_FDCWD or an open
 * directory) with LOOKUP_* @flags into @path (references taken; path_put
 * it).  Returns 0, -ENOENT, -ENOTDIR, -EACCES, -ELOOP, -ENAMETOOLONG,
 * -EBADF (a bad @dfd).
 */
int filename_lookup(int dfd, const char *name, unsigned int flags,
		    struct path *path);

/** kern_path - filename_lookup from the working directory. */
int kern_path(const char *name, unsigned int flags, struct path *path);

/** user_path_at - getname and filename_lookup in one. */
int user_path_at(int dfd, const char __user *name, unsigned int flags,
		 struct path *path);

/**
 * kern_path_create - for making @name: resolve its directory into
 * @parent, lock the directory's i_mutex and return the negative dentry
 * for the last component (with a reference).  ERR_PTR(-EEXIST) when it
 * exists (or is "." or ".."), -ENOENT for a trailing slash where
 * @lookup_flags lacks LOOKUP_DIRECTORY, or the walk's errors.
 * done_path_create - unlock and put both.
 */
struct dentry *kern_path_create(int dfd, const char *name,
				struct path *parent, unsigned int lookup_flags);
void done_path_create(struct path *parent, struct dentry *dentry);

/**
 * lookup_one - the dentry of @name in the directory @dir (whose i_mutex
 * the caller holds), from the dcache or the file system; negative if
 * there is no such file.  ERR_PTR on error.  For the kernel's own
 * lookups (initramfs, devtmpfs) and the *at operations.
 */
struct dentry *lookup_one(struct dentry *dir, const char *name, int len);

/*
 * The operations, after the lookup: each checks what path_resolution(7)
 * and its own man page demand (write and search permission on the
 * directory, the sticky bit, types) and calls the file system.  Caller
 * holds the directory's i_mutex (both for rename).  0 or -errno.
 */
int vfs_create(struct inode *dir, struct dentry *dentry, umode_t mode);
int vfs_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode);
int vfs_mknod(struct inode *dir, struct dentry *dentry, umode_t mode,
	      dev_t dev);
int vfs_symlink(struct inode *dir, struct dentry *dentry, const char *target);
int vfs_link(struct dentry *old, struct inode *dir, struct dentry *new);
int vfs_unlink(struct inode *dir, struct dentry *dentry);
int vfs_rmdir(struct inode *dir, struct dentry *dentry);
int vfs_rename(struct inode *old_dir, struct dentry *old,
	       struct inode *new_dir, struct dentry *new, unsigned int flags);

/**
 * vfs_readlink - copy the target of the symlink @dentry into @buf (at
 * most @len bytes, not NUL-terminated); the length or -EINVAL (not a
 * symlink).
 */
int vfs_readlink(struct dentry *dentry, char *buf, int len);

/*
 * The *at operations on kernel strings (the system calls call them after
 * getname; so do ktests and the kernel itself).  Returns 0 or -errno,
 * with the errno values of mkdir(2), mknod(2), rmdir(2), unlink(2),
 * symlink(2), link(2), rename(2).
 */
long do_mkdirat(int dfd, const char *name, umode_t mode);
long do_mknodat(int dfd, const char *name, umode_t mode, dev_t dev);
long do_rmdir(int dfd, const char *name);
long do_unlinkat(int dfd, const char *name);
long do_symlinkat(const char *target, int newdfd, const char *newname);
long do_linkat(int olddfd, const char *oldname, int newdfd,
	       const char *newname, int flags);
long do_renameat2(int olddfd, const char *oldname, int newdfd,
		  const char *newname, unsigned int flags);

/**
 * do_filp_open - open(2) on a kernel string: resolve @name from @dfd,
 * create it with O_CREAT (mode & ~umask), following a final symlink
 * unless O_NOFOLLOW (ELOOP) or O_CREAT|O_EXCL, checking O_DIRECTORY
 * (ENOTDIR), O_EXCL (EEXIST), permissions, truncating with O_TRUNC.
 * Returns the file or ERR_PTR(-errno).
 */
struct file *do_filp_open(int dfd, const char *name, int flags, umode_t mode);

#endif
