/*
 * dcache.c — the dentry cache (kestrel/dcache.h tells the story).
 *
 * Three structures hold every dentry:
 *   - the tree: d_parent up, d_subdirs/d_child down;
 *   - the hash table, keyed by (parent, name), which d_lookup searches:
 *     a dentry is *hashed* while lookups may find it;
 *   - the LRU list of unused dentries (d_count 0), oldest first, which
 *     dcache_prune frees from when there are more than DCACHE_MAX_UNUSED.
 * One spinlock, dcache_lock, covers all three and every d_count.  Freeing
 * a dentry drops the reference it held on its parent, which may free the
 * parent too: dput() walks up iteratively, never recursively.
 *
 * Names: up to DNAME_INLINE_LEN - 1 bytes live in the dentry itself
 * (d_iname), longer ones in a kmalloc'd copy.  d_move swaps the names
 * and parents of the two dentries instead of copying, so it never
 * allocates and parents' reference counts stay balanced: the target,
 * unhashed, goes away with the caller's last dput.
 */
#include <kestrel/errno.h>
#include <kestrel/err.h>
#include <kestrel/fs.h>
#include <kestrel/mount.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "internal.h"

#define D_HASHBITS		12
#define D_HASHSIZE		(1U << D_HASHBITS)
#define DCACHE_MAX_UNUSED	16384	/* cached unused dentries, at most */

spinlock_t dcache_lock = SPINLOCK_INIT;
static struct list_head dentry_hashtable[D_HASHSIZE];	/* D */
/* D: the unused dentries, oldest first */
static struct list_head dentry_lru = LIST_HEAD_INIT(dentry_lru);
static unsigned long nr_dentry, nr_unused;		/* D */
static struct kmem_cache *dentry_cache;
static bool pruning;					/* D */

static struct list_head *d_bucket(const struct dentry *parent, u32 hash)
{
	unsigned long p = (unsigned long)parent >> 6;

	return &dentry_hashtable[(hash ^ p ^ (p >> D_HASHBITS)) &
				 (D_HASHSIZE - 1)];
}

void dcache_init(void)
{
	unsigned int i;

	for (i = 0; i < D_HASHSIZE; i++)
		list_init(&dentry_hashtable[i]);
	dentry_cache = kmem_cache_create("dentry", sizeof(struct dentry), 0, 0);
}

/* A dentry with one reference and a copy of @name; no parent yet. */
static struct dentry *__d_alloc(struct super_block *sb, const struct qstr *name)
{
	struct dentry *d = kmem_cache_alloc(dentry_cache, __GFP_ZERO);
	char *dname = NULL;

	if (!d)
		return NULL;
	if (name->len >= DNAME_INLINE_LEN) {
		dname = kmalloc(name->len + 1, GFP_KERNEL);
		if (!dname) {
			kmem_cache_free(dentry_cache, d);
			return NULL;
		}
	} else {
		dname = d->d_iname;
	}
	memcpy(dname, name->name, name->len);
	dname[name->len] = '\0';
	d->d_name.name = dname;
	d->d_name.len = name->len;
	d->d_name.hash = name->hash;
	d->d_count = 1;
	d->d_sb = sb;
	d->d_parent = d;
	d->d_next_pos = 2;	/* 0 and 1 are "." and ".." */
	list_init(&d->d_hash);
	list_init(&d->d_child);
	list_init(&d->d_subdirs);
	list_init(&d->d_lru);
	return d;
}

static void d_free(struct dentry *d)
{
	if (d->d_name.name != d->d_iname)
		kfree(d->d_name.name);
	kmem_cache_free(dentry_cache, d);
}

struct dentry *d_alloc(struct dentry *parent, const struct qstr *name)
{
	struct dentry *d = __d_alloc(parent->d_sb, name);

	if (!d)
		return NULL;
	d->d_op = parent->d_op;
	spin_lock(&dcache_lock);
	parent->d_count++;	/* a child holds its parent */
	d->d_parent = parent;
	list_add_tail(&d->d_child, &parent->d_subdirs);
	d->d_pos = parent->d_next_pos++;
	nr_dentry++;
	spin_unlock(&dcache_lock);
	return d;
}

struct dentry *d_alloc_root(struct inode *root_inode)
{
	static const struct qstr slash = { .name = "/", .len = 1 };
	struct dentry *d = __d_alloc(root_inode->i_sb, &slash);

	if (!d) {
		iput(root_inode);
		return NULL;
	}
	d->d_inode = root_inode;
	spin_lock(&dcache_lock);
	nr_dentry++;
	spin_unlock(&dcache_lock);
	return d;
}

struct dentry *d_alloc_anon(struct super_block *sb, struct inode *inode,
			    const char *name)
{
	struct qstr q = { .name = name, .len = strlen(name) };
	struct dentry *d = __d_alloc(sb, &q);

	if (!d)
		return NULL;
	d->d_inode = inode;
	d->d_flags |= DCACHE_DISCONNECTED;
	spin_lock(&dcache_lock);
	nr_dentry++;
	spin_unlock(&dcache_lock);
	return d;
}

static void __d_rehash(struct dentry *d)
{
	list_add(&d->d_hash, d_bucket(d->d_parent, d->d_name.hash));
	d->d_flags |= DCACHE_HASHED;
}

static void __d_drop(struct dentry *d)
{
	if (d->d_flags & DCACHE_HASHED) {
		list_del(&d->d_hash);
		d->d_flags &= ~DCACHE_HASHED;
	}
}

void d_instantiate(struct dentry *dentry, struct inode *inode)
{
	spin_lock(&dcache_lock);
	dentry->d_inode = inode;
	spin_unlock(&dcache_lock);
}

void d_add(struct dentry *dentry, struct inode *inode)
{
	spin_lock(&dcache_lock);
	dentry->d_inode = inode;
	if (!(dentry->d_flags & DCACHE_HASHED))
		__d_rehash(dentry);
	spin_unlock(&dcache_lock);
}

void d_rehash(struct dentry *dentry)
{
	spin_lock(&dcache_lock);
	if (!(dentry->d_flags & DCACHE_HASHED))
		__d_rehash(dentry);
	spin_unlock(&dcache_lock);
}

void d_drop(struct dentry *dentry)
{
	spin_lock(&dcache_lock);
	__d_drop(dentry);
	spin_unlock(&dcache_lock);
}

/* Take a reference under dcache_lock: an unused dentry leaves the LRU. */
void dget_dlock(struct dentry *d)
{
	if (d->d_count++ == 0 && (d->d_flags & DCACHE_ON_LRU)) {
		list_del(&d->d_lru);
		d->d_flags &= ~DCACHE_ON_LRU;
		nr_unused--;
	}
}

struct dentry *d_lookup(struct dentry *parent, const struct qstr *name)
{
	struct list_head *bucket = d_bucket(parent, name->hash);
	struct dentry *d;

	spin_lock(&dcache_lock);
	list_for_each_entry(d, bucket, d_hash) {
		if (d->d_parent != parent || d->d_name.hash != name->hash ||
		    d->d_name.len != name->len ||
		    memcmp(d->d_name.name, name->name, name->len) != 0)
			continue;
		dget_dlock(d);
		spin_unlock(&dcache_lock);
		return d;
	}
	spin_unlock(&dcache_lock);
	return NULL;
}

struct dentry *dget(struct dentry *dentry)
{
	if (dentry) {
		spin_lock(&dcache_lock);
		dget_dlock(dentry);
		spin_unlock(&dcache_lock);
	}
	return dentry;
}

struct dentry *dget_parent(struct dentry *dentry)
{
	struct dentry *parent;

	spin_lock(&dcache_lock);
	parent = dentry->d_parent;
	dget_dlock(parent);
	spin_unlock(&dcache_lock);
	return parent;
}

/*
 * Take the unused @d out of every structure; returns its parent (whose
 * reference the caller must drop) or NULL for a root.  Under dcache_lock.
 */
static struct dentry *__dentry_unlink(struct dentry *d)
{
	struct dentry *parent = d->d_parent;

	__d_drop(d);
	if (d->d_flags & DCACHE_ON_LRU) {
		list_del(&d->d_lru);
		d->d_flags &= ~DCACHE_ON_LRU;
		nr_unused--;
	}
	list_del(&d->d_child);
	nr_dentry--;
	return parent == d ? NULL : parent;
}

/* Whether an unused @d stays cached (under dcache_lock). */
static bool d_keep_unused(struct dentry *d)
{
	if (!(d->d_flags & DCACHE_HASHED))
		return false;
	if (d->d_op && d->d_op->d_delete && d->d_op->d_delete(d))
		return false;
	return true;
}

void dput(struct dentry *dentry)
{
	struct dentry *parent;
	struct inode *inode;
	bool prune;

	while (dentry) {
		spin_lock(&dcache_lock);
		if (--dentry->d_count > 0) {
			spin_unlock(&dcache_lock);
			return;
		}
		if (d_keep_unused(dentry)) {
			list_add_tail(&dentry->d_lru, &dentry_lru);
			dentry->d_flags |= DCACHE_ON_LRU;
			nr_unused++;
			prune = nr_unused > DCACHE_MAX_UNUSED && !pruning;
			spin_unlock(&dcache_lock);
			if (prune)
				dcache_prune(nr_unused - DCACHE_MAX_UNUSED + 64);
			return;
		}
		parent = __dentry_unlink(dentry);
		inode = dentry->d_inode;
		dentry->d_inode = NULL;
		spin_unlock(&dcache_lock);
		iput(inode);
		d_free(dentry);
		dentry = parent;	/* drop the reference the child held */
	}
}

void d_delete(struct dentry *dentry)
{
	struct inode *inode = NULL;

	spin_lock(&dcache_lock);
	if (dentry->d_count == 1) {
		inode = dentry->d_inode;	/* nobody else: turn negative */
		dentry->d_inode = NULL;
	} else {
		__d_drop(dentry);		/* users keep it until they go */
	}
	spin_unlock(&dcache_lock);
	iput(inode);
}

/* Swap the names of @a and @b (storage, length, hash).  Under D. */
static void swap_names(struct dentry *a, struct dentry *b)
{
	bool a_ext = a->d_name.name != a->d_iname;
	bool b_ext = b->d_name.name != b->d_iname;
	char tmp[DNAME_INLINE_LEN];
	struct qstr q;

	if (a_ext && b_ext) {
		q = a->d_name;
		a->d_name.name = b->d_name.name;
		b->d_name.name = q.name;
	} else if (a_ext || b_ext) {
		struct dentry *ext = a_ext ? a : b, *in = a_ext ? b : a;

		memcpy(ext->d_iname, in->d_iname, in->d_name.len + 1);
		in->d_name.name = ext->d_name.name;
		ext->d_name.name = ext->d_iname;
	} else {
		memcpy(tmp, a->d_iname, sizeof(tmp));
		memcpy(a->d_iname, b->d_iname, sizeof(tmp));
		memcpy(b->d_iname, tmp, sizeof(tmp));
	}
	q = a->d_name;
	a->d_name.len = b->d_name.len;
	a->d_name.hash = b->d_name.hash;
	b->d_name.len = q.len;
	b->d_name.hash = q.hash;
}

/* Give @a @b's parent and vice versa; each goes to the end of its new
 * parent's children with a fresh position.  Under D. */
static void swap_parents(struct dentry *a, struct dentry *b)
{
	struct dentry *pa = a->d_parent, *pb = b->d_parent;

	a->d_parent = pb;
	b->d_parent = pa;
	list_del(&a->d_child);
	list_del(&b->d_child);
	list_add_tail(&a->d_child, &pb->d_subdirs);
	list_add_tail(&b->d_child, &pa->d_subdirs);
	a->d_pos = pb->d_next_pos++;
	b->d_pos = pa->d_next_pos++;
}

void d_move(struct dentry *dentry, struct dentry *target)
{
	spin_lock(&dcache_lock);
	__d_drop(dentry);
	__d_drop(target);
	swap_names(dentry, target);
	swap_parents(dentry, target);
	__d_rehash(dentry);
	spin_unlock(&dcache_lock);
}

void d_exchange(struct dentry *a, struct dentry *b)
{
	spin_lock(&dcache_lock);
	__d_drop(a);
	__d_drop(b);
	swap_names(a, b);
	swap_parents(a, b);
	__d_rehash(a);
	__d_rehash(b);
	spin_unlock(&dcache_lock);
}

/* The child of @p1 on the way up from @p2, if @p1 is above @p2, else NULL. */
struct dentry *d_ancestor(struct dentry *p1, struct dentry *p2)
{
	struct dentry *p;

	for (p = p2; !IS_ROOT(p); p = p->d_parent)
		if (p->d_parent == p1)
			return p;
	return NULL;
}

unsigned long dcache_prune(unsigned long nr)
{
	unsigned long done = 0;
	struct dentry *d;

	while (done < nr) {
		spin_lock(&dcache_lock);
		if (pruning || list_empty(&dentry_lru)) {
			spin_unlock(&dcache_lock);
			break;
		}
		d = list_first_entry(&dentry_lru, struct dentry, d_lru);
		dget_dlock(d);		/* off the LRU, ours now */
		__d_drop(d);		/* so that our dput frees it */
		pruning = true;
		spin_unlock(&dcache_lock);
		dput(d);
		spin_lock(&dcache_lock);
		pruning = false;
		spin_unlock(&dcache_lock);
		done++;
	}
	return done;
}

/* Free every unused cached dentry of @sb (its umount). */
void shrink_dcache_sb(struct super_block *sb)
{
	struct dentry *d, *found;

	for (;;) {
		found = NULL;
		spin_lock(&dcache_lock);
		list_for_each_entry(d, &dentry_lru, d_lru) {
			if (d->d_sb == sb) {
				found = d;
				break;
			}
		}
		if (found) {
			dget_dlock(found);
			__d_drop(found);
		}
		spin_unlock(&dcache_lock);
		if (!found)
			return;
		dput(found);
	}
}

/*
 * Drop the file system's pin of every dentry under @root, deepest first
 * (a dcache-only file system's umount: kill_litter_super).  Each pass
 * finds one pinned dentry with no pinned children and unpins it.
 */
void d_genocide(struct dentry *root)
{
	struct dentry *d, *child;
	bool descended;

	for (;;) {
		spin_lock(&dcache_lock);
		d = root;
		do {
			descended = false;
			list_for_each_entry(child, &d->d_subdirs, d_child) {
				if (child->d_flags & DCACHE_PINNED) {
					d = child;
					descended = true;
					break;
				}
			}
		} while (descended);
		if (d == root) {
			spin_unlock(&dcache_lock);
			return;
		}
		d->d_flags &= ~DCACHE_PINNED;
		__d_drop(d);
		spin_unlock(&dcache_lock);
		dput(d);
	}
}

void dcache_counts(unsigned long *total, unsigned long *unused)
{
	spin_lock(&dcache_lock);
	*total = nr_dentry;
	*unused = nr_unused;
	spin_unlock(&dcache_lock);
}

void path_get(const struct path *path)
{
	mntget(path->mnt);
	dget(path->dentry);
}

void path_put(const struct path *path)
{
	dput(path->dentry);
	mntput(path->mnt);
}
