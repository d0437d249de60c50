/*
 * kestrel/mount.h — mounts: how file systems are joined into one tree
 * (kernel/fs/namespace.c).
 *
 * A vfsmount is one file system attached at one place: the root mount
 * (a tmpfs, the unpacked initramfs) has no parent; `mount -t proc proc
 * /proc` makes a vfsmount whose mnt_parent is the root mount and whose
 * mnt_mountpoint is the dentry "proc" in it.  The path walk crosses a
 * mount point downwards when it reaches a dentry with d_mounted set
 * (lookup_mnt finds the child mount in a hash keyed by parent mount and
 * dentry) and upwards when ".." is taken at a mount's root.
 *
 *	mount "/" (tmpfs)  ── mnt_mounts ──>  mount "/proc" (proc)
 *	      ^                                   mnt_parent ─┘ (to the left)
 *	      └── mnt_mountpoint = dentry "proc" of the tmpfs
 *
 * Mounts stack: mounting again on /proc hides the first proc until the
 * second is unmounted.  There is one mount tree for the whole system (no
 * mount namespaces); chroot(2) changes a process's root within it.
 *
 * Lifecycle: vfs_kern_mount() makes a detached mount (one reference);
 * do_add_mount() attaches it; umount detaches it when it is not busy —
 * nobody has a path inside it (a cwd, an open file) and nothing is
 * mounted on it — or at once with MNT_DETACH, the rest happening when
 * the last reference goes.  mntget()/mntput() count references; a path
 * holds one on its mount.
 *
 * Locking legend:
 *	(N) namespace_lock, a mutex: attaching and detaching, mnt_list
 *	(K) mount_lock, a spinlock: the hash, the tree links, d_mounted —
 *	    what the path walk reads
 *	(A) atomic   (O) set once when made
 */
#ifndef KESTREL_MOUNT_H
#define KESTREL_MOUNT_H

#include <kestrel/dcache.h>
#include <kestrel/list.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>

struct super_block;
struct file_system_type;

/* mnt_flags: what this mount adds to its file system (mount(2)) */
#define MNT_NOSUID	0x01
#define MNT_NODEV	0x02
#define MNT_NOEXEC	0x04
#define MNT_NOATIME	0x08
#define MNT_NODIRATIME	0x10
#define MNT_RELATIME	0x20
#define MNT_READONLY	0x40
#define MNT_DETACHED	0x1000	/* umount'ed lazily; no longer in the tree */

/**
 * struct vfsmount - one mounted file system (see the head of this file)
 * @mnt_root: (O) the dentry the mount shows: its file system's root
 * @mnt_sb: (O) the file system
 * @mnt_flags: (N) MNT_* above
 * @mnt_parent: (K) the mount it sits in (itself for the root mount)
 * @mnt_mountpoint: (K) the dentry it sits on, in @mnt_parent
 * @mnt_hash: (K) in the mount hash, keyed by (@mnt_parent, @mnt_mountpoint)
 * @mnt_child: (K) on mnt_parent->mnt_mounts
 * @mnt_mounts: (K) the mounts sitting in this one
 * @mnt_list: (N) on the list of all mounts, in mount order (/proc/mounts)
 * @mnt_count: (A) references: the tree holds one while attached, each
 *             struct path one
 * @mnt_id: (O) the number /proc/<pid>/mountinfo and statx show
 * @mnt_devname: (O) the "device" mount(2) was given ("proc", "tmpfs")
 */
struct vfsmount {
	struct dentry *mnt_root;
	struct super_block *mnt_sb;
	int mnt_flags;
	struct vfsmount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct list_head mnt_hash;
	struct list_head mnt_child;
	struct list_head mnt_mounts;
	struct list_head mnt_list;
	int mnt_count;
	int mnt_id;
	char *mnt_devname;
};

extern spinlock_t mount_lock;

/** mntget / mntput - take / drop a reference (NULL ignored).  The last
 *  mntput of a detached mount releases its file system. */
struct vfsmount *mntget(struct vfsmount *mnt);
void mntput(struct vfsmount *mnt);

/**
 * vfs_kern_mount - make a new, detached mount of file system type @type
 * (by name, "tmpfs"), with @devname and the option string @data (may be
 * NULL).  Returns the mount with one reference, or ERR_PTR(-ENODEV: no
 * such type, -ENOMEM, -EINVAL: bad options).  Process context.
 */
struct vfsmount *vfs_kern_mount(const char *type, int mnt_flags,
				const char *devname, const char *data);

/**
 * clone_mnt - a new, detached mount of @root's file system showing the
 * subtree at @root (mount --bind).  One reference; ERR_PTR(-ENOMEM).
 */
struct vfsmount *clone_mnt(const struct path *root, int mnt_flags);

/**
 * do_add_mount - attach @mnt (the caller's reference passes to the tree)
 * on top of whatever is mounted at @where.  Returns 0, -ENOTDIR (@where
 * is not a directory while the mount's root is), -ENOENT (@where was
 * removed).  Takes namespace_lock.
 */
int do_add_mount(struct vfsmount *mnt, const struct path *where);

/**
 * lookup_mnt - the mount sitting on @path (the last one stacked there),
 * with a reference, or NULL.  follow_mount - while something is mounted
 * on *@path, step onto its root (the path walk's "down").  Both take
 * mount_lock; neither sleeps.
 */
struct vfsmount *lookup_mnt(const struct path *path);
void follow_mount(struct path *path);

/**
 * follow_up - step from a mount's root to its mount point in the parent
 * mount (the walk's "up" for ".."); false when @path's mount is the top.
 */
bool follow_up(struct path *path);

/**
 * path_umount - detach the mount whose root @path is (umount2(2)).
 * Returns 0, -EINVAL (@path is not a mount's root, or is the root
 * mount), -EBUSY (in use and no MNT_DETACH).  Consumes @path's references.
 */
int path_umount(struct path *path, int flags);

/** mount_init_root - mount @type as "/" (the first mount, at boot) and
 *  return it with a reference; the caller panics on error. */
struct vfsmount *mount_init_root(const char *type);

/** root_mount - the root of the mount tree, as mounted at boot (no
 *  reference taken). */
struct vfsmount *root_mount(void);

/**
 * mounts_show - write one /proc/mounts line per mount visible from
 * @root ("proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0", proc(5))
 * with @emit(@arg, line, len).  Takes namespace_lock.
 */
void mounts_show(const struct path *root,
		 void (*emit)(void *arg, const char *line, size_t len),
		 void *arg);

/** path_is_mountpoint - something is mounted on @path. */
bool path_is_mountpoint(const struct path *path);

/** mnt_is_readonly - MNT_READONLY or a read-only super_block. */
bool mnt_is_readonly(const struct vfsmount *mnt);

#endif
