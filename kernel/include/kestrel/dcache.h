/*
 * kestrel/dcache.h — directory entries and the dentry cache
 * (kernel/fs/dcache.c).
 *
 * A dentry is one name in one directory: "bin" in "/", "sh" in "/bin".
 * It points to the inode the name stands for — or to nothing: a
 * *negative* dentry remembers that a name does not exist, so that the
 * next lookup of a missing file (a $PATH search, a library probing for
 * a configuration file) fails without asking the file system again.
 * Dentries form a tree through d_parent, the same tree the path walk
 * (kernel/fs/namei.c) climbs; a hash table keyed by (parent, name)
 * finds a child in one step.
 *
 *	dentry "/" ── d_subdirs ──> "bin" ──> "etc" ──> "nosuch" (negative)
 *	                              │ d_inode
 *	                              v
 *	                        inode 12 (a directory)
 *
 * Lifecycle: d_alloc() makes an unattached dentry with one reference;
 * d_add()/d_instantiate() attach an inode (or none: negative) and put
 * it in the hash, where lookups find it.  dget()/dput() count users.  A
 * dentry nobody uses stays cached (on an LRU list) until memory is
 * wanted or there are too many (dcache_prune); a file system that
 * cannot let its names be cached says so with d_op->d_delete.  A child
 * holds a reference on its parent, so a directory's dentry lives as long
 * as any of its children.  d_delete() turns a dentry negative when its
 * file is removed (or unhashes it while others still use it); d_move()
 * gives a dentry a new parent and name (rename).  In-memory file systems
 * (tmpfs, kernel/fs/tmpfs.c) keep their files *only* in the dcache: each
 * positive dentry is pinned by one extra reference until unlink.
 *
 * Locking legend:
 *	(D) dcache_lock, one spinlock for the whole cache: the hash, the
 *	    tree links, d_count, d_flags, d_inode changes, the LRU.
 *	(R) also the super_block's s_vfs_rename_mutex (or the parent's
 *	    i_mutex when the parent stays the same): d_parent and d_name
 *	    change only in d_move, under both.
 *	(O) set once when the dentry is made
 *	(F) the file system's own
 * Lock order: a directory inode's i_mutex before dcache_lock.
 */
#ifndef KESTREL_DCACHE_H
#define KESTREL_DCACHE_H

#include <kestrel/list.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>

struct inode;
struct super_block;
struct vfsmount;

/**
 * struct qstr - a name and its hash: a path component, not NUL-terminated
 * in general (it points into a path being walked)
 * @name: the bytes; @len: how many; @hash: full_name_hash(@name, @len)
 */
struct qstr {
	const char *name;
	u32 len;
	u32 hash;
};

#define QSTR_INIT(n, l)	{ .name = (n), .len = (l) }
#define DNAME_INLINE_LEN	40	/* names up to 39 bytes live inside the dentry */

struct dentry_operations;

/**
 * struct dentry - a name in a directory (see the head of this file)
 * @d_count: (D) references; 0 means unused (cached, on the LRU)
 * @d_flags: (D) DCACHE_* below
 * @d_inode: (D) what the name stands for; NULL: a negative dentry
 * @d_parent: (R) the directory; itself for a file system's root
 * @d_name: (R) the name; its bytes are @d_iname or kmalloc'd
 * @d_hash: (D) in the hash table, when hashed
 * @d_child: (D) on d_parent->d_subdirs
 * @d_subdirs: (D) the children, in the order they were made (or moved
 *             in): the order readdir gives for dcache-only file systems
 * @d_lru: (D) on the LRU list while unused
 * @d_pos: (D) this dentry's place in its parent's @d_subdirs order
 * @d_next_pos: (D) the @d_pos the next child will get
 * @d_sb: (O) its file system
 * @d_op: (O) the file system's dentry operations, or NULL
 * @d_fsdata: (F) the file system's
 * @d_mounted: (mount_lock) how many mounts sit on this dentry
 */
struct dentry {
	int d_count;
	unsigned int d_flags;
	struct inode *d_inode;
	struct dentry *d_parent;
	struct qstr d_name;
	struct list_head d_hash;
	struct list_head d_child;
	struct list_head d_subdirs;
	struct list_head d_lru;
	unsigned long d_pos;
	unsigned long d_next_pos;
	struct super_block *d_sb;
	const struct dentry_operations *d_op;
	void *d_fsdata;
	int d_mounted;
	char d_iname[DNAME_INLINE_LEN];
};

/* d_flags */
#define DCACHE_HASHED		0x0001	/* in the hash table: lookups find it */
#define DCACHE_ON_LRU		0x0002	/* unused, on the LRU list */
#define DCACHE_PINNED		0x0004	/* holds the file system's pin (tmpfs) */
#define DCACHE_DISCONNECTED	0x0008	/* an anonymous file's (pipes): no parent */

/**
 * struct dentry_operations - what a file system may change about caching
 * @d_revalidate: is this cached dentry still right?  0: no (it is dropped
 *                and looked up again), 1: yes.  procfs: the process
 *                behind /proc/<pid> may have gone.  Called without locks.
 * @d_delete: return true to free the dentry as soon as it is unused,
 *            instead of caching it.  Called under (D).
 * @d_dname: make the name of an unattached dentry ("pipe:[123]") for
 *           readlink of /proc/<pid>/fd/N.
 */
struct dentry_operations {
	int (*d_revalidate)(struct dentry *dentry, unsigned int flags);
	bool (*d_delete)(const struct dentry *dentry);
	char *(*d_dname)(struct dentry *dentry, char *buf, int buflen);
};

/**
 * struct path - a place in the file tree: a dentry *and* the mount it is
 * seen through (the same dentry can be reached through two mounts)
 */
struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

extern spinlock_t dcache_lock;

/** full_name_hash - the hash of @len bytes at @name (FNV-1a, 32 bits). */
u32 full_name_hash(const char *name, unsigned int len);

/** d_inode - the inode of @dentry, or NULL for a negative one. */
static inline struct inode *d_inode(const struct dentry *dentry)
{
	return dentry->d_inode;
}

/** d_is_negative / d_is_positive - whether @dentry names nothing / a file. */
static inline bool d_is_negative(const struct dentry *dentry)
{
	return dentry->d_inode == NULL;
}

static inline bool d_is_positive(const struct dentry *dentry)
{
	return dentry->d_inode != NULL;
}

/** d_unhashed - true when lookups can no longer find @dentry. */
static inline bool d_unhashed(const struct dentry *dentry)
{
	return !(dentry->d_flags & DCACHE_HASHED);
}

/** IS_ROOT - true for a file system's root (its own parent). */
#define IS_ROOT(d)	((d) == (d)->d_parent)

/**
 * d_alloc - a new dentry named @name under @parent (which gets a
 * reference), unhashed and negative, with one reference.  NULL when out
 * of memory.  Names are at most NAME_MAX bytes (the caller checks).
 * Never sleeps.
 */
struct dentry *d_alloc(struct dentry *parent, const struct qstr *name);

/** d_alloc_root - the root dentry of a new super_block, for @root_inode
 *  (whose reference it takes); NULL when out of memory (the inode is
 *  then put). */
struct dentry *d_alloc_root(struct inode *root_inode);

/** d_alloc_anon - a dentry with no parent and no hash, for a file that
 *  has no name (a pipe), holding @inode's reference. */
struct dentry *d_alloc_anon(struct super_block *sb, struct inode *inode,
			    const char *name);

/**
 * d_instantiate - attach @inode (its reference passes to the dentry) to
 * the negative @dentry.  d_add - the same, and hash the dentry: lookups
 * find it from now on.  @inode NULL: hash a negative dentry.
 */
void d_instantiate(struct dentry *dentry, struct inode *inode);
void d_add(struct dentry *dentry, struct inode *inode);

/** d_rehash - put @dentry (back) in the hash. d_drop - take it out. */
void d_rehash(struct dentry *dentry);
void d_drop(struct dentry *dentry);

/**
 * d_lookup - the hashed child of @parent named @name, with a reference
 * taken, or NULL.  A negative dentry is returned like a positive one.
 * Never sleeps.
 */
struct dentry *d_lookup(struct dentry *parent, const struct qstr *name);

/** dget - one more reference to @dentry (NULL ignored); returns it. */
struct dentry *dget(struct dentry *dentry);

/** dget_parent - a reference to @dentry's parent, stable against rename. */
struct dentry *dget_parent(struct dentry *dentry);

/**
 * dput - drop a reference.  An unused dentry stays cached unless it is
 * unhashed or its file system asks otherwise, in which case it is freed
 * — its inode put and its parent's reference dropped.  May free a chain
 * of parents.  NULL is ignored.  Never sleeps (iput of a last reference
 * may, through the file system's evict_inode; callers are in process
 * context anyway).
 */
void dput(struct dentry *dentry);

/**
 * d_delete - @dentry's file was removed: make it negative if nobody else
 * uses it (a cheap future "no such file"), otherwise unhash it and let
 * the last dput free it.
 */
void d_delete(struct dentry *dentry);

/**
 * d_move - @dentry (positive) takes @target's name and parent: the
 * dcache half of rename.  @target is unhashed.  Caller holds (R).
 * d_exchange - @a and @b swap names and parents (RENAME_EXCHANGE).
 */
void d_move(struct dentry *dentry, struct dentry *target);
void d_exchange(struct dentry *a, struct dentry *b);

/** dcache_prune - free up to @nr unused cached dentries, oldest first;
 *  returns how many were freed. */
unsigned long dcache_prune(unsigned long nr);

/** dcache_counts - dentries in all, and of those unused (cached). */
void dcache_counts(unsigned long *total, unsigned long *unused);

/**
 * d_path - the absolute name of @path as seen from @root, written at the
 * end of @buf (@buflen bytes); returns where it starts, or
 * ERR_PTR(-ENAMETOOLONG).  A removed file gets " (deleted)" appended, a
 * place outside @root is named from its file system's root, as Linux
 * does.  Takes mount_lock and dcache_lock.
 */
char *d_path(const struct path *path, const struct path *root, char *buf,
	     int buflen);

/** path_get / path_put - take / drop references to both halves. */
void path_get(const struct path *path);
void path_put(const struct path *path);

/** path_equal - the same dentry through the same mount. */
static inline bool path_equal(const struct path *a, const struct path *b)
{
	return a->dentry == b->dentry && a->mnt == b->mnt;
}

/** dcache_init - set up the hash table.  Once, at vfs_init. */
void dcache_init(void);

#endif
