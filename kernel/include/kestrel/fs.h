/*
 * kestrel/fs.h — the virtual file system: super blocks, inodes, open
 * files and the operations a file system provides (kernel/fs/).
 *
 * Every file system — tmpfs (the root), procfs, devtmpfs, pipes, later
 * ext4 — plugs into the VFS through four objects and their operations:
 *
 *	super_block  one mounted file system: its root, its inodes, statfs
 *	inode        one file: type, mode, owner, size, times; what a stat
 *	             shows, whatever the file's names (i_op: create,
 *	             lookup, unlink… for directories; get_link for symlinks)
 *	dentry       one name of a file in a directory (kestrel/dcache.h)
 *	file         one open of a file: a position, the open flags, the
 *	             file operations (read, write, readdir, poll, ioctl)
 *
 *	fd table ──> file ──f_path──> (vfsmount, dentry) ──d_inode──> inode
 *	                 └──f_op──> tmpfs_file_ops        └─i_sb─> super_block
 *
 * The system calls (kernel/fs/open.c, read_write.c, …) do the generic
 * work — walking paths (namei.c), checking permissions, keeping the
 * offsets and the errno rules of the man pages — and call the operations
 * for what only the file system knows.  docs/vfs.md tells the story
 * with pictures and the reading order of kernel/fs/.
 *
 * Lifecycle: inodes are counted (i_count, iget/iput): a dentry holds
 * one, an open file holds one through its dentry.  The last iput frees
 * the inode, first letting the file system free its data
 * (s_op->evict_inode) — for tmpfs only once the file has no names left
 * (i_nlink 0), which is why an unlinked file lives on while it is open.
 * Files are counted too (f_count, get_file/fput): dup(2) and fork share
 * one struct file, so they share its offset.
 *
 * Locking legend, struct inode:
 *	(M) i_mutex, a sleeping lock: held to change the size, the data,
 *	    the mode, owner, link count and times; for a directory, held
 *	    while a name in it is looked up, made or removed
 *	(L) i_lock, a spinlock: the file system's small per-inode state
 *	    (tmpfs: the page tree)
 *	(A) atomic   (O) set when the inode is made
 * struct file:
 *	(P) f_pos_lock, a mutex: the offset (read, write, lseek)
 *	(F) f_lock, a spinlock: f_flags (fcntl F_SETFL)
 *	(A) atomic   (O) set by open
 * struct super_block:
 *	(S) sb_lock, a spinlock: the list of super blocks, s_active
 *	(O) set by the file system's fill_super
 * Lock order: rename mutex, directory i_mutex (parent before child, or
 * by address), file i_mutex, then spinlocks (dcache_lock, i_lock).
 */
#ifndef KESTREL_FS_H
#define KESTREL_FS_H

#include <kestrel/compiler.h>
#include <kestrel/dcache.h>
#include <kestrel/list.h>
#include <kestrel/mutex.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>
#include <kestrel/uio.h>
#include <kestrel/wait.h>
#include <uapi/linux/fcntl.h>
#include <uapi/linux/limits.h>
#include <uapi/linux/stat.h>

typedef unsigned short umode_t;
typedef u32 dev_t;		/* MAJOR << 20 | MINOR, inside the kernel */
typedef long long loff_t;	/* a file offset, bytes */
typedef unsigned int fmode_t;
typedef unsigned int __poll_t;

#define MINORBITS	20
#define MINORMASK	((1U << MINORBITS) - 1)
#define MAJOR(dev)	((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev)	((unsigned int)((dev) & MINORMASK))
#define MKDEV(ma, mi)	(((dev_t)(ma) << MINORBITS) | (mi))

#define MAXSYMLINKS	40	/* links followed in one path walk (ELOOP) */
#define MAX_LFS_FILESIZE	((loff_t)0x7fffffffffffffffLL)

/** struct timespec64 - a time: seconds since the epoch and nanoseconds. */
struct timespec64 {
	s64 tv_sec;
	long tv_nsec;
};

struct file;
struct file_operations;
struct inode;
struct kstatfs;
struct pipe_inode_info;
struct poll_table_struct;
struct super_block;
struct vfsmount;
struct vm_area;

/* --- inodes -------------------------------------------------------------- */

/**
 * struct inode_operations - what a file system does with names and links
 * (all optional: a missing one makes the system call fail as Linux
 * does, usually EPERM or ENOTDIR).  The VFS has checked permissions,
 * the name's length and existence, and holds @dir's i_mutex (both
 * directories' for rename) before calling.  Return 0 or -errno.
 * @lookup: find @dentry's name in @dir; d_add() the inode or NULL
 *          (negative) and return NULL, or return another dentry to use
 * @create, @mkdir, @mknod, @symlink: make a file for the negative
 *          @dentry and d_instantiate it
 * @link: give @old's inode a second name, @dentry
 * @unlink, @rmdir: remove the name (rmdir: the directory is empty — the
 *          file system checks, -ENOTEMPTY)
 * @rename: move @old to @new_dir/@new (flags RENAME_NOREPLACE,
 *          RENAME_EXCHANGE); a positive @new is replaced.  The VFS
 *          then moves the dentries (d_move/d_exchange).
 * @get_link: the target of a symlink: a string that lives as long as the
 *          inode, or the target written into @buf (PATH_MAX bytes) and
 *          @buf returned; or ERR_PTR
 * @jump_link: for procfs's "magic" links (/proc/<pid>/fd/N, cwd, exe):
 *          the place the link stands for, which the walk jumps to
 *          without reading a name — so that it works for deleted files
 *          and pipes.  Fills @path (references taken); 0 or -errno
 * @setattr: change what @attr says (the VFS checked permissions); NULL:
 *          simple_setattr
 */
struct iattr;
struct inode_operations {
	struct dentry *(*lookup)(struct inode *dir, struct dentry *dentry);
	int (*create)(struct inode *dir, struct dentry *dentry, umode_t mode);
	int (*mkdir)(struct inode *dir, struct dentry *dentry, umode_t mode);
	int (*mknod)(struct inode *dir, struct dentry *dentry, umode_t mode,
		     dev_t rdev);
	int (*symlink)(struct inode *dir, struct dentry *dentry,
		       const char *target);
	int (*link)(struct dentry *old, struct inode *dir,
		    struct dentry *dentry);
	int (*unlink)(struct inode *dir, struct dentry *dentry);
	int (*rmdir)(struct inode *dir, struct dentry *dentry);
	int (*rename)(struct inode *old_dir, struct dentry *old,
		      struct inode *new_dir, struct dentry *new,
		      unsigned int flags);
	const char *(*get_link)(struct dentry *dentry, struct inode *inode,
				char *buf);
	int (*jump_link)(struct dentry *dentry, struct path *path);
	int (*setattr)(struct dentry *dentry, struct iattr *attr);
	int (*tmpfile)(struct inode *dir, struct dentry *dentry, umode_t mode);
};

/**
 * struct address_space_operations - how a file system fills its page
 * cache (kestrel/pagemap.h)
 * @get_page: page @index of @mapping is not in the cache: make it — read
 *          it from the disk, or (tmpfs) a zeroed page for a hole, charged
 *          to the file system — and add it (add_to_page_cache; another
 *          may win the race, then return that one).  Returns the page
 *          with a reference for the caller, or ERR_PTR(-ENOMEM, -ENOSPC,
 *          -EIO).  Called without locks; may sleep.
 */
struct address_space;
struct address_space_operations {
	struct page *(*get_page)(struct address_space *mapping,
				 unsigned long index);
};

/**
 * struct address_space - the page cache of one file: its pages by index
 * (page @index holds bytes [@index * PAGE_SIZE, + PAGE_SIZE)), and the
 * VMAs that map it (kernel/mm/filemap.c tells the story).
 * @host: (O) the inode it belongs to
 * @lock: a spinlock: the tree, @nrpages and @i_mmap (T)
 * @pt_root: (T) the page tree: NULL, or a node of 512 pointers
 * @pt_height: (T) levels of nodes; the tree covers 512^height pages
 * @nrpages: (T) pages in the cache
 * @i_mmap: (T) the VMAs mapping the file (vm_area.vm_mapping_list)
 * @a_ops: (O) how missing pages are made; NULL: the file has no page
 *         cache and cannot be mapped
 */
struct address_space {
	struct inode *host;
	spinlock_t lock;
	void **pt_root;
	unsigned int pt_height;
	unsigned long nrpages;
	struct list_head i_mmap;
	const struct address_space_operations *a_ops;
};

/**
 * struct inode - one file (see the head of this file for the keys)
 * @i_mode: (M) S_IF* type and permission bits
 * @i_uid, @i_gid: (M) owner and group
 * @i_nlink: (M) names it has (directories: 2 + subdirectories)
 * @i_rdev: (O) a device file's device number
 * @i_size: (M) bytes (a symlink: the target's length)
 * @i_blocks: (M) 512-byte units of storage it uses
 * @i_atime, @i_mtime, @i_ctime: (M) last access, modification, change
 * @i_ino: (O) its number, unique in its super_block
 * @i_count: (A) references
 * @i_sb: (O) its file system
 * @i_op, @i_fop: (O) the operations for names and for open files
 * @i_mutex, @i_lock: the locks of the legend
 * @i_private: (O) the file system's (procfs: which process)
 * @i_pipe: (O) a FIFO's pipe, made at the first open
 * @i_link: (O) a symlink's target, when the file system keeps it here
 * @i_generation: (A) bumped on every change of the data, for caches
 * @i_data: the file's page cache (kestrel/pagemap.h); @i_mapping: (O)
 *          points to it
 * @i_writecount: (A) opens for writing (> 0), or programs running it
 *                (< 0, as minus their count); never both (ETXTBSY)
 * @i_state: (M) I_LINKABLE: an O_TMPFILE file that linkat(2) may still
 *           give a name although its link count is 0
 */
struct inode {
	umode_t i_mode;
	unsigned int i_uid;
	unsigned int i_gid;
	unsigned int i_nlink;
	dev_t i_rdev;
	loff_t i_size;
	u64 i_blocks;
	struct timespec64 i_atime;
	struct timespec64 i_mtime;
	struct timespec64 i_ctime;
	unsigned long i_ino;
	int i_count;
	struct super_block *i_sb;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;
	struct mutex i_mutex;
	spinlock_t i_lock;
	void *i_private;
	struct pipe_inode_info *i_pipe;
	const char *i_link;
	unsigned long i_generation;
	struct address_space i_data;
	struct address_space *i_mapping;
	int i_writecount;
	unsigned int i_state;
};

#define I_LINKABLE	0x1	/* i_state: see above */

/* struct iattr: what notify_change / setattr should change (ia_valid) */
#define ATTR_MODE	(1 << 0)
#define ATTR_UID	(1 << 1)
#define ATTR_GID	(1 << 2)
#define ATTR_SIZE	(1 << 3)
#define ATTR_ATIME	(1 << 4)
#define ATTR_MTIME	(1 << 5)
#define ATTR_CTIME	(1 << 6)
#define ATTR_ATIME_SET	(1 << 7)	/* a given time, not "now" */
#define ATTR_MTIME_SET	(1 << 8)
#define ATTR_KILL_SUID	(1 << 11)	/* chown, write: clear setuid/setgid */
#define ATTR_TOUCH	(1 << 20)	/* utimensat with NULL or UTIME_NOW */

struct iattr {
	unsigned int ia_valid;
	umode_t ia_mode;
	unsigned int ia_uid;
	unsigned int ia_gid;
	loff_t ia_size;
	struct timespec64 ia_atime;
	struct timespec64 ia_mtime;
	struct timespec64 ia_ctime;
};

/* What stat(2) and statx(2) report (kernel/fs/stat.c). */
struct kstat {
	u32 result_mask;	/* STATX_* filled */
	umode_t mode;
	unsigned int nlink;
	u32 blksize;
	u64 ino;
	dev_t dev;
	dev_t rdev;
	unsigned int uid;
	unsigned int gid;
	loff_t size;
	struct timespec64 atime, mtime, ctime, btime;
	u64 blocks;		/* 512-byte units */
	u64 mnt_id;
};

/* What statfs(2) reports; s_op->statfs fills it. */
struct kstatfs {
	long f_type;
	long f_bsize;
	u64 f_blocks, f_bfree, f_bavail;
	u64 f_files, f_ffree;
	long f_namelen;
	long f_flags;
};

/* --- open files ---------------------------------------------------------- */

/**
 * struct dir_context - a readdir in progress.  The file system calls
 * dir_emit() for each entry from position @pos on, advancing @pos past
 * each one emitted, and stops when dir_emit() returns false (the
 * caller's buffer is full: that entry is taken again next time).
 */
struct dir_context {
	bool (*actor)(struct dir_context *ctx, const char *name, int namelen,
		      u64 ino, unsigned int type);
	loff_t pos;
};

static inline bool dir_emit(struct dir_context *ctx, const char *name,
			    int namelen, u64 ino, unsigned int type)
{
	return ctx->actor(ctx, name, namelen, ino, type);
}

/** dir_emit_dots - "." at position 0 and ".." at 1, as needed. */
bool dir_emit_dots(struct file *file, struct dir_context *ctx);

/**
 * struct file_operations - what an open file does (all optional; a
 * missing one makes the call fail: read/write -EINVAL, ioctl -ENOTTY,
 * readdir -ENOTDIR, mmap -ENODEV; poll reports "always ready").
 * @llseek: move the offset (NULL: generic_file_llseek, or ESPIPE for
 *          pipes through no_llseek)
 * @read_iter, @write_iter: move bytes at *@pos and advance it; return
 *          the bytes moved or -errno (-EAGAIN for a non-blocking file
 *          that would block).  May sleep.
 * @iterate: readdir (getdents64): emit entries from ctx->pos on
 * @poll: the events ready now (POLL*), after poll_wait() on every wait
 *          queue a change would be announced on (kestrel/poll.h)
 * @ioctl: a command the file understands, or -ENOTTY
 * @open: called by open(2) after the VFS made the struct file
 * @release: the last reference to the struct file is gone
 * @fsync: write the file's data to stable storage
 * @mmap: check that the file may be mapped and prepare @vma (whose
 *          vm_file and vm_pgoff are set); 0 or -errno.  NULL: the file
 *          cannot be mapped (mmap(2) fails with ENODEV).
 */
struct file_operations {
	loff_t (*llseek)(struct file *file, loff_t offset, int whence);
	ssize_t (*read_iter)(struct file *file, struct iov_iter *to,
			     loff_t *pos);
	ssize_t (*write_iter)(struct file *file, struct iov_iter *from,
			      loff_t *pos);
	int (*iterate)(struct file *file, struct dir_context *ctx);
	__poll_t (*poll)(struct file *file, struct poll_table_struct *pt);
	long (*ioctl)(struct file *file, unsigned int cmd, unsigned long arg);
	int (*open)(struct inode *inode, struct file *file);
	int (*release)(struct inode *inode, struct file *file);
	int (*fsync)(struct file *file, int datasync);
	int (*mmap)(struct file *file, struct vm_area *vma);
};

/* f_mode */
#define FMODE_READ	0x1	/* opened for reading */
#define FMODE_WRITE	0x2	/* opened for writing */
#define FMODE_LSEEK	0x4	/* the offset means something */
#define FMODE_PATH	0x8	/* O_PATH: a place, not an open file */
#define FMODE_ATOMIC_POS 0x10	/* reads and writes hold f_pos_lock */
#define FMODE_WRITER	0x20	/* counted in i_writecount (a writer) */
#define FMODE_DENYWRITE	0x40	/* counted in i_writecount (a program) */

/**
 * struct file - one open file description (open(2)): what dup(2) and
 * fork share (the keys are at the head of this file)
 * @f_path: (O) the file's place; the struct file holds both references
 * @f_inode: (O) f_path.dentry's inode, which cannot change under us
 * @f_op: (O) its operations (a device's, after chrdev_open)
 * @f_count: (A) references: fd table slots, in-flight system calls
 * @f_flags: (F) the O_* flags of open, as F_GETFL shows them
 * @f_mode: (O) FMODE_* above
 * @f_pos: (P) the offset, bytes
 * @f_pos_lock, @f_lock: the locks of the legend
 * @private_data: (O) the file system's or driver's per-open state
 * @f_ep_links: (epoll's lock) the epoll items watching this file; fput
 *              removes them (kernel/fs/eventpoll.c)
 */
struct file {
	struct path f_path;
	struct inode *f_inode;
	const struct file_operations *f_op;
	int f_count;
	unsigned int f_flags;
	fmode_t f_mode;
	loff_t f_pos;
	struct mutex f_pos_lock;
	spinlock_t f_lock;
	void *private_data;
	struct list_head f_ep_links;
};

/* --- super blocks and file system types ---------------------------------- */

/**
 * struct super_operations - what a file system does with itself
 * @alloc_inode: make an inode embedding the file system's own state
 *               (NULL: a plain struct inode from kmalloc)
 * @destroy_inode: free what alloc_inode made
 * @evict_inode: the last reference to @inode is gone: free its data
 *               (tmpfs: its pages, if it has no names left)
 * @statfs: fill the counts statfs(2) reports
 * @put_super: the file system is unmounted for good
 * @show_options: extra /proc/mounts options (",size=…k"), into @buf
 */
struct super_operations {
	struct inode *(*alloc_inode)(struct super_block *sb);
	void (*destroy_inode)(struct inode *inode);
	void (*evict_inode)(struct inode *inode);
	int (*statfs)(struct dentry *dentry, struct kstatfs *buf);
	void (*put_super)(struct super_block *sb);
	int (*show_options)(struct super_block *sb, char *buf, size_t len);
};

/* s_flags */
#define SB_RDONLY	0x1	/* mounted read-only */
#define SB_NOUSER	0x2	/* internal (pipefs): never mounted by mount(2) */

/**
 * struct super_block - one file system instance
 * @s_list: (S) on the list of all super blocks
 * @s_type: (O) its type ("tmpfs")
 * @s_op: (O) its operations
 * @s_root: (O) the root directory's dentry
 * @s_magic: (O) statfs(2)'s f_type
 * @s_flags: (O) SB_* above
 * @s_dev: (O) the device number stat reports as st_dev (anonymous: 0:N)
 * @s_maxbytes: (O) the largest file, bytes
 * @s_blocksize: (O) bytes per block (st_blksize)
 * @s_active: (S) mounts of it; the last umount frees it
 * @s_vfs_rename_mutex: serializes renames between directories (R)
 * @s_next_ino: (A) the next inode number to hand out
 * @s_nr_inodes: (A) inodes alive
 * @s_d_op: (O) the dentry operations of its dentries, or NULL
 * @s_fs_info: (O) the file system's own
 */
struct super_block {
	struct list_head s_list;
	struct file_system_type *s_type;
	const struct super_operations *s_op;
	struct dentry *s_root;
	unsigned long s_magic;
	unsigned long s_flags;
	dev_t s_dev;
	loff_t s_maxbytes;
	unsigned long s_blocksize;
	int s_active;
	struct mutex s_vfs_rename_mutex;
	unsigned long s_next_ino;
	long s_nr_inodes;
	const struct dentry_operations *s_d_op;
	void *s_fs_info;
};

/* file_system_type->fs_flags */
#define FS_REQUIRES_DEV	0x1	/* on a block device (not "nodev" in /proc/filesystems) */
#define FS_SINGLE	0x2	/* one instance shared by every mount (devtmpfs, sysfs) */

/**
 * struct file_system_type - a kind of file system, registered by name
 * @fill_super: set up the new @sb (s_op, s_magic, s_root…) from the
 *              mount options @data (may be NULL); 0 or -errno
 * @kill_sb: undo fill_super when the last mount goes (NULL: nothing)
 * @single_sb: an FS_SINGLE type's one instance, once made
 */
struct file_system_type {
	const char *name;
	int fs_flags;
	int (*fill_super)(struct super_block *sb, const char *data);
	void (*kill_sb)(struct super_block *sb);
	struct list_head next;
	struct super_block *single_sb;
};

/** register_filesystem - make @fs mountable by name; 0 or -EBUSY. */
int register_filesystem(struct file_system_type *fs);

/** get_fs_type - the registered type named @name, or NULL. */
struct file_system_type *get_fs_type(const char *name);

/** filesystems_show - /proc/filesystems: "nodev\tproc\n" per type. */
void filesystems_show(void (*emit)(void *arg, const char *line, size_t len),
		      void *arg);

/**
 * sget - a new super_block of @type (or the single one of an FS_SINGLE
 * type, with one more active mount), filled by @type->fill_super(@data).
 * Returns it or ERR_PTR.  deactivate_super - drop one active mount; the
 * last frees every inode and dentry of it and the super_block.
 */
struct super_block *sget(struct file_system_type *type, const char *data);
void deactivate_super(struct super_block *sb);

/* --- inode helpers (kernel/fs/inode.c) ------------------------------------ */

/**
 * new_inode - a fresh inode of @sb with one reference, a new i_ino,
 * i_nlink 1, times "now", owned by root, mode 0: the caller fills it.
 * NULL when out of memory.
 */
struct inode *new_inode(struct super_block *sb);

/** ihold - one more reference to @inode. iput - drop one; the last
 *  evicts and frees it.  NULL is ignored. */
void ihold(struct inode *inode);
void iput(struct inode *inode);

/**
 * get_write_access - count one more writer of @inode (an open for
 * writing, a truncate).  0, or -ETXTBSY while a program runs it
 * (open(2), truncate(2)).  put_write_access - that writer is done.
 * Atomic; any context.
 */
int get_write_access(struct inode *inode);
void put_write_access(struct inode *inode);

/**
 * deny_write_access - @file is a program about to run (execve): refuse
 * opens for writing of its inode until @file's last fput (it is then
 * the process's exe_file, which its mm holds).  0, or -ETXTBSY while
 * the inode is open for writing (execve(2)).  Atomic.
 */
int deny_write_access(struct file *file);

/** inode_init_owner - owner from the current task's fsuid, group from
 *  its fsgid or, in a setgid directory @dir, @dir's group (and a new
 *  subdirectory keeps S_ISGID), mode @mode. */
void inode_init_owner(struct inode *inode, const struct inode *dir,
		      umode_t mode);

/** init_special_inode - a device, FIFO or socket node: its i_fop opens
 *  the driver (char devices), the pipe (FIFOs). */
void init_special_inode(struct inode *inode, umode_t mode, dev_t rdev);

/** current_time - now, for an inode's timestamps. */
struct timespec64 current_time(void);

/** inc_nlink / drop_nlink / set_nlink / clear_nlink - change i_nlink (M). */
void inc_nlink(struct inode *inode);
void drop_nlink(struct inode *inode);
void clear_nlink(struct inode *inode);
void set_nlink(struct inode *inode, unsigned int n);

/** inode_touch_mc - i_mtime = i_ctime = now (after a change of data). */
void inode_touch_mc(struct inode *inode);

/**
 * file_accessed - @file was read: update its inode's atime the way
 * Linux's default "relatime" does (only when the atime is older than
 * the mtime or ctime, or a day old), unless O_NOATIME or a noatime mount.
 */
struct file;
void file_accessed(struct file *file);

/* MAY_* : what inode_permission is asked (the rwx bits) */
#define MAY_EXEC	0x1
#define MAY_WRITE	0x2
#define MAY_READ	0x4
#define MAY_APPEND	0x8
#define MAY_ACCESS	0x10	/* access(2): real ids (the caller swaps) */

/**
 * inode_permission - may the current task access @inode as @mask says?
 * The owner's, group's or others' bits by the task's fsuid/fsgid and
 * supplementary groups; root (fsuid 0) may read and write anything and
 * execute anything with an x bit (or search any directory).  Returns 0
 * or -EACCES.  Source: path_resolution(7) "Permission checking".
 */
int inode_permission(struct inode *inode, int mask);

/** inode_owner_or_capable - the task owns @inode or is root (chmod,
 *  utimensat with explicit times). */
bool inode_owner_or_capable(const struct inode *inode);

/**
 * notify_change - change what @attr says about @dentry's inode, after
 * checking that the current task may (chmod: owner or root, EPERM;
 * chown: root, or the owner giving its file to one of its groups;
 * times; truncate).  Caller holds the inode's i_mutex.  0 or -errno.
 */
int notify_change(struct dentry *dentry, struct iattr *attr);

/** simple_setattr - apply @attr to the inode (the generic ->setattr):
 *  mode, owner, times and (for files without pages) size. */
int simple_setattr(struct dentry *dentry, struct iattr *attr);

/** current_fsuid / current_fsgid - the ids the current task accesses
 *  files as (root for kernel threads); in_group_p - is @gid its fsgid
 *  or one of its supplementary groups? */
unsigned int current_fsuid(void);
unsigned int current_fsgid(void);
bool in_group_p(unsigned int gid);

/** capable_fowner - the current task is root (fsuid 0): Kestrel's one
 *  "capability", standing for CAP_FOWNER, CAP_CHOWN, CAP_DAC_OVERRIDE… */
static inline bool capable_fowner(void)
{
	return current_fsuid() == 0;
}

/* --- open files (kernel/fs/file_table.c, open.c, read_write.c) ------------ */

/**
 * alloc_file - a struct file for @path (references taken) with @flags
 * (O_*) and the operations @fop; FMODE_* from the access mode.  Calls
 * no ->open.  ERR_PTR(-ENOMEM, -ENFILE).
 */
struct file *alloc_file(const struct path *path, unsigned int flags,
			const struct file_operations *fop);

/** get_file - one more reference to @file; returns it. */
static inline struct file *get_file(struct file *file)
{
	__atomic_add_fetch(&file->f_count, 1, __ATOMIC_RELAXED);
	return file;
}

/** fput - drop a reference; the last calls ->release and puts the path.
 *  May sleep. */
void fput(struct file *file);

/** files_count - struct files open now (for /proc/sys/fs/file-nr). */
long files_count(void);

/**
 * vfs_open_path - open what @path names with the O_* @flags: check the
 * access the flags ask for (EACCES, EISDIR for writing a directory,
 * EROFS), make the struct file and call ->open.  Returns the file or
 * ERR_PTR.  Truncation (O_TRUNC) is done by the caller (do_filp_open).
 */
struct file *vfs_open_path(const struct path *path, unsigned int flags);

/**
 * filp_open - open @name (a kernel string, relative to the current
 * task's working directory) as open(2) would, with O_* @flags and
 * creation mode @mode (umask applied).  The kernel's own open: ktests,
 * the initramfs unpacker, exec.  Returns the file or ERR_PTR(-errno).
 */
struct file *filp_open(const char *name, int flags, umode_t mode);

/** filp_close - the end of an open from filp_open (fput). */
void filp_close(struct file *file);

/**
 * vfs_read / vfs_write - move bytes between @file at *@pos and the
 * buffers of @iter, after checking the file was opened for it (EBADF)
 * and that @file has the operation (EINVAL).  Return the bytes moved or
 * -errno.  vfs_write extends through O_APPEND, and fails with EFBIG past
 * s_maxbytes.  May sleep.
 */
ssize_t vfs_read(struct file *file, struct iov_iter *iter, loff_t *pos);
ssize_t vfs_write(struct file *file, struct iov_iter *iter, loff_t *pos);

/** kernel_read / kernel_write - vfs_read/vfs_write of one kernel buffer. */
ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos);
ssize_t kernel_write(struct file *file, const void *buf, size_t count,
		     loff_t *pos);

/** vfs_llseek - lseek(2) on @file: the new offset or -errno. */
loff_t vfs_llseek(struct file *file, loff_t offset, int whence);

/** generic_file_llseek - SEEK_SET/CUR/END/DATA/HOLE against i_size. */
loff_t generic_file_llseek(struct file *file, loff_t offset, int whence);

/** no_llseek - for pipes and sockets: -ESPIPE. */
loff_t no_llseek(struct file *file, loff_t offset, int whence);

/** iterate_dir - readdir: call ->iterate from file->f_pos on, under the
 *  directory's i_mutex; f_pos follows ctx->pos.  0 or -errno. */
int iterate_dir(struct file *file, struct dir_context *ctx);

/**
 * vfs_truncate - set the size of the regular file at @path (EISDIR,
 * EINVAL for other types, EACCES without write permission, EFBIG).
 * do_truncate - the same once permission is settled.
 */
int vfs_truncate(const struct path *path, loff_t length);
int do_truncate(struct dentry *dentry, loff_t length, unsigned int extra);

/** vfs_getattr - fill @stat from @path's inode. */
int vfs_getattr(const struct path *path, struct kstat *stat);

/** vfs_statfs - fill @buf for the file system of @path. */
int vfs_statfs(const struct path *path, struct kstatfs *buf);

/**
 * open_exec - open @name for execve: followed to a regular file (else
 * -EACCES) on a mount without noexec (-EACCES) that the caller may
 * execute and read (-EACCES).  The file, or ERR_PTR(-errno) as
 * execve(2) lists them (ENOENT, ENOTDIR, ELOOP, EACCES…).
 */
struct file *open_exec(const char *name);

/**
 * bprm_read_file - execve's program from the VFS: open @bprm->path with
 * open_exec (putting the file of a #! script read before), read it
 * whole into a vmalloc'd @bprm->data, keep it open in @bprm->file.
 * 0 or -errno.  bprm_put_file - release both (bprm_free).
 * set_mm_exe_file - @mm runs @file (may be NULL): /proc/<pid>/exe.
 */
struct linux_binprm;
struct mm;
int bprm_read_file(struct linux_binprm *bprm);
void bprm_put_file(struct linux_binprm *bprm);
void set_mm_exe_file(struct mm *mm, struct file *file);

/** vfs_access_exec - 0 when open_exec(@name) would succeed, else its
 *  -errno (for choosing init among rdinit=, init=, /sbin/init…). */
int vfs_access_exec(const char *name);

/**
 * file_get_page - page @index of @file's contents, with a reference
 * (put_page it): the file's own page, shared by every mapping of it.
 * Beyond the end, zeros.  ERR_PTR(-ENODEV) for a file whose pages cannot
 * be shared this way (only tmpfs can), -ENOSPC, -ENOMEM.  For the ELF
 * loader's read-only segments and file-backed mmap.
 */
struct page;
struct page *file_get_page(struct file *file, unsigned long index);

/**
 * vfs_init_task - the first process's place in the tree (a copy of
 * init_fs) and its descriptors 0, 1, 2 on /dev/console, opened for
 * reading and writing, as Linux's kernel_init gives them.  Call for
 * pid 1 before it runs.  0 or -ENOMEM.  Without the VFS (the stages
 * before lab 8) it leaves @p without a descriptor table: descriptors
 * 0–2 then mean the console (kernel/fs/fdtable.c).
 */
struct task;
int vfs_init_task(struct task *p);

/**
 * kernel_read_file - read the whole regular file @name into a new
 * vmalloc'd buffer (*@buf, *@size bytes; vfree it), at most @max bytes.
 * The checks are open_exec's (execve from the VFS).  0 or -errno
 * (-EFBIG past @max, and open_exec's).
 */
int kernel_read_file(const char *name, void **buf, size_t *size, size_t max);

/* --- character devices (kernel/fs/char_dev.c) ----------------------------- */

/**
 * register_chrdev - drive character devices @major:@minor … +@count-1
 * with @fops (whose ->open sees file->f_inode->i_rdev).  @name shows in
 * /proc/devices.  0 or -EBUSY (overlaps a registered range), -ENOMEM.
 */
int register_chrdev(unsigned int major, unsigned int minor,
		    unsigned int count, const char *name,
		    const struct file_operations *fops);

/** chr_mem_init - register /dev/null, zero, full, random, urandom, kmsg
 *  (major 1, kernel/drivers/char/mem.c). */
void chr_mem_init(void);

/** chrdev_show - /proc/devices' "Character devices:" section. */
void chrdev_show(void (*emit)(void *arg, const char *line, size_t len),
		 void *arg);

/* --- start-up (kernel/fs/init.c) ------------------------------------------ */

/**
 * vfs_init - the file tree at boot: mount a tmpfs as "/", unpack the
 * initramfs into it (kernel/fs/initramfs.c), mount devtmpfs on /dev and
 * procfs on /proc, and make /tmp.  Prints one line about the root.
 * Process context (the idle task before user space), interrupts on.
 */
void vfs_init(void);

/** vfs_ready - vfs_init has mounted the root (false in stages whose VFS
 *  is not written yet: the ktests of lab 8 skip then). */
bool vfs_ready(void);

#endif
