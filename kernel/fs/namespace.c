/*
 * namespace.c — the mount tree (kestrel/mount.h tells the story), and
 * the names of places in it: d_path() for getcwd(2), readlink of
 * /proc/<pid>/cwd and /proc/mounts.
 *
 * The tree is a set of vfsmounts linked child to parent, plus a hash
 * table that answers the path walk's one question, "what is mounted on
 * this dentry of this mount?", in one step.  A dentry's d_mounted count
 * lets the walk skip the hash for the (nearly all) dentries that are not
 * mount points.  Mounting on a place where something is mounted already
 * mounts on the top of that stack (follow_mount first), so the hash
 * never holds two mounts for one (mount, dentry) pair.
 *
 * Locks: namespace_lock (a mutex) serializes mount and umount and guards
 * the list of all mounts; mount_lock (a spinlock) guards what the walk
 * reads — the hash, mnt_parent, mnt_mountpoint, d_mounted — so the walk
 * never sleeps on a mount.  Order: namespace_lock, then mount_lock,
 * then dcache_lock.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/mount.h>
#include <kestrel/mutex.h>
#include <kestrel/slab.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>
#include <uapi/linux/fs.h>

#include "internal.h"

#define MNT_HASHSIZE	256

spinlock_t mount_lock = SPINLOCK_INIT;
static DEFINE_MUTEX(namespace_lock);
static struct list_head mount_hashtable[MNT_HASHSIZE];	/* K */
/* N: the attached mounts, in mount order */
static struct list_head mount_list = LIST_HEAD_INIT(mount_list);
static struct vfsmount *root_mnt;			/* O */
static int next_mnt_id = 21;	/* ids start where Linux's usually do */

static struct list_head *m_hash(const struct vfsmount *mnt,
				const struct dentry *dentry)
{
	unsigned long h = (unsigned long)mnt / 64 + (unsigned long)dentry / 64;

	return &mount_hashtable[(h ^ (h >> 8)) % MNT_HASHSIZE];
}

struct vfsmount *mntget(struct vfsmount *mnt)
{
	if (mnt)
		__atomic_add_fetch(&mnt->mnt_count, 1, __ATOMIC_RELAXED);
	return mnt;
}

void mntput(struct vfsmount *mnt)
{
	if (!mnt || __atomic_sub_fetch(&mnt->mnt_count, 1, __ATOMIC_ACQ_REL))
		return;
	/* Only a detached mount can lose its last reference. */
	dput(mnt->mnt_root);
	deactivate_super(mnt->mnt_sb);
	kfree(mnt->mnt_devname);
	kfree(mnt);
}

static struct vfsmount *alloc_vfsmnt(const char *devname)
{
	struct vfsmount *mnt = kzalloc(sizeof(*mnt), GFP_KERNEL);
	size_t len = strlen(devname) + 1;

	if (!mnt)
		return NULL;
	mnt->mnt_devname = kmalloc(len, GFP_KERNEL);
	if (!mnt->mnt_devname) {
		kfree(mnt);
		return NULL;
	}
	memcpy(mnt->mnt_devname, devname, len);
	mnt->mnt_count = 1;
	mnt->mnt_parent = mnt;
	list_init(&mnt->mnt_hash);
	list_init(&mnt->mnt_child);
	list_init(&mnt->mnt_mounts);
	list_init(&mnt->mnt_list);
	return mnt;
}

struct vfsmount *vfs_kern_mount(const char *type, int mnt_flags,
				const char *devname, const char *data)
{
	struct file_system_type *fs = get_fs_type(type);
	struct super_block *sb;
	struct vfsmount *mnt;

	if (!fs)
		return ERR_PTR(-ENODEV);
	mnt = alloc_vfsmnt(devname ? devname : "none");
	if (!mnt)
		return ERR_PTR(-ENOMEM);
	sb = sget(fs, data);
	if (IS_ERR(sb)) {
		kfree(mnt->mnt_devname);
		kfree(mnt);
		return ERR_PTR(PTR_ERR(sb));
	}
	mnt->mnt_sb = sb;
	mnt->mnt_root = dget(sb->s_root);
	mnt->mnt_mountpoint = mnt->mnt_root;
	mnt->mnt_flags = mnt_flags;
	mutex_lock(&namespace_lock);
	mnt->mnt_id = next_mnt_id++;
	mutex_unlock(&namespace_lock);
	return mnt;
}

struct vfsmount *clone_mnt(const struct path *root, int mnt_flags)
{
	struct vfsmount *mnt = alloc_vfsmnt(root->mnt->mnt_devname);
	struct super_block *sb = root->mnt->mnt_sb;

	if (!mnt)
		return ERR_PTR(-ENOMEM);
	spin_lock(&sb_lock);
	sb->s_active++;		/* the new mount is one more user of it */
	spin_unlock(&sb_lock);
	mnt->mnt_sb = sb;
	mnt->mnt_root = dget(root->dentry);
	mnt->mnt_mountpoint = mnt->mnt_root;
	mnt->mnt_flags = mnt_flags;
	mutex_lock(&namespace_lock);
	mnt->mnt_id = next_mnt_id++;
	mutex_unlock(&namespace_lock);
	return mnt;
}

struct vfsmount *lookup_mnt(const struct path *path)
{
	struct vfsmount *m, *found = NULL;

	spin_lock(&mount_lock);
	list_for_each_entry(m, m_hash(path->mnt, path->dentry), mnt_hash) {
		if (m->mnt_parent == path->mnt &&
		    m->mnt_mountpoint == path->dentry) {
			found = mntget(m);
			break;
		}
	}
	spin_unlock(&mount_lock);
	return found;
}

void follow_mount(struct path *path)
{
	struct vfsmount *m;

	while (__atomic_load_n(&path->dentry->d_mounted, __ATOMIC_RELAXED)) {
		m = lookup_mnt(path);
		if (!m)
			break;
		dput(path->dentry);
		mntput(path->mnt);
		path->mnt = m;
		path->dentry = dget(m->mnt_root);
	}
}

bool follow_up(struct path *path)
{
	struct vfsmount *parent;
	struct dentry *mountpoint;

	spin_lock(&mount_lock);
	parent = path->mnt->mnt_parent;
	if (parent == path->mnt) {
		spin_unlock(&mount_lock);
		return false;
	}
	mntget(parent);
	mountpoint = dget(path->mnt->mnt_mountpoint);
	spin_unlock(&mount_lock);
	dput(path->dentry);
	path->dentry = mountpoint;
	mntput(path->mnt);
	path->mnt = parent;
	return true;
}

bool path_is_mountpoint(const struct path *path)
{
	struct vfsmount *m = lookup_mnt(path);

	mntput(m);
	return m != NULL;
}

bool mnt_is_readonly(const struct vfsmount *mnt)
{
	return (mnt->mnt_flags & MNT_READONLY) ||
	       (mnt->mnt_sb->s_flags & SB_RDONLY);
}

/* Link @mnt under @where (a path that is not a mount point).  N held. */
static void attach_mnt(struct vfsmount *mnt, const struct path *where)
{
	spin_lock(&mount_lock);
	mnt->mnt_parent = mntget(where->mnt);
	mnt->mnt_mountpoint = dget(where->dentry);
	list_add(&mnt->mnt_hash, m_hash(where->mnt, where->dentry));
	list_add_tail(&mnt->mnt_child, &where->mnt->mnt_mounts);
	where->dentry->d_mounted++;
	spin_unlock(&mount_lock);
	list_add_tail(&mnt->mnt_list, &mount_list);
}

int do_add_mount(struct vfsmount *mnt, const struct path *where)
{
	struct path p = *where;
	int err = 0;

	path_get(&p);
	mutex_lock(&namespace_lock);
	follow_mount(&p);		/* stack on the top */
	if (d_unhashed(p.dentry) && !IS_ROOT(p.dentry))
		err = -ENOENT;
	else if (!S_ISDIR(p.dentry->d_inode->i_mode) &&
		 S_ISDIR(mnt->mnt_root->d_inode->i_mode))
		err = -ENOTDIR;
	else
		attach_mnt(mnt, &p);
	mutex_unlock(&namespace_lock);
	path_put(&p);
	return err;
}

/* Unlink @mnt and everything mounted in it from the tree.  N held. */
static void umount_tree(struct vfsmount *mnt)
{
	struct vfsmount *parent;
	struct dentry *mp;

	while (!list_empty(&mnt->mnt_mounts))
		umount_tree(list_first_entry(&mnt->mnt_mounts,
					     struct vfsmount, mnt_child));
	spin_lock(&mount_lock);
	list_del(&mnt->mnt_hash);
	list_del(&mnt->mnt_child);
	parent = mnt->mnt_parent;
	mp = mnt->mnt_mountpoint;
	mp->d_mounted--;
	mnt->mnt_parent = mnt;
	mnt->mnt_mountpoint = mnt->mnt_root;
	mnt->mnt_flags |= MNT_DETACHED;
	spin_unlock(&mount_lock);
	list_del(&mnt->mnt_list);
	dput(mp);
	mntput(parent);
	mntput(mnt);		/* the tree's reference */
}

int path_umount(struct path *path, int flags)
{
	struct vfsmount *mnt = path->mnt;
	int err = 0;

	mutex_lock(&namespace_lock);
	if (path->dentry != mnt->mnt_root || (mnt->mnt_flags & MNT_DETACHED))
		err = -EINVAL;
	else if (mnt == root_mnt)
		err = -EBUSY;
	else if (!(flags & MNT_DETACH) &&
		 (!list_empty(&mnt->mnt_mounts) ||
		  __atomic_load_n(&mnt->mnt_count, __ATOMIC_RELAXED) > 2))
		err = -EBUSY;	/* the tree's reference and the caller's */
	else
		umount_tree(mnt);
	mutex_unlock(&namespace_lock);
	path_put(path);
	return err;
}

struct vfsmount *mount_init_root(const char *type)
{
	struct vfsmount *mnt = vfs_kern_mount(type, 0, "rootfs", NULL);
	unsigned int i;

	for (i = 0; i < MNT_HASHSIZE; i++)
		list_init(&mount_hashtable[i]);
	if (IS_ERR(mnt))
		return mnt;
	mutex_lock(&namespace_lock);
	root_mnt = mnt;
	list_add_tail(&mnt->mnt_list, &mount_list);
	mutex_unlock(&namespace_lock);
	return mntget(mnt);
}

struct vfsmount *root_mount(void)
{
	return root_mnt;
}

/* --- names of places --------------------------------------------------------- */

/* Put @len bytes of @s in front of *@pos, not before @buf. */
static bool prepend(char **pos, char *buf, const char *s, size_t len)
{
	if ((size_t)(*pos - buf) < len)
		return false;
	*pos -= len;
	memcpy(*pos, s, len);
	return true;
}

/*
 * Prepend the names from @path up to @root (or the top of the tree);
 * false when they do not fit.  Under mount_lock and dcache_lock.
 */
static bool prepend_path(const struct path *path, const struct path *root,
			 char *buf, char **pos)
{
	struct dentry *d = path->dentry;
	struct vfsmount *mnt = path->mnt;

	while (!(d == root->dentry && mnt == root->mnt)) {
		if (d == mnt->mnt_root || IS_ROOT(d)) {
			if (mnt->mnt_parent == mnt)
				break;		/* outside @root: name from the top */
			d = mnt->mnt_mountpoint;
			mnt = mnt->mnt_parent;
			continue;
		}
		if (!prepend(pos, buf, d->d_name.name, d->d_name.len) ||
		    !prepend(pos, buf, "/", 1))
			return false;
		d = d->d_parent;
	}
	return true;
}

char *d_path(const struct path *path, const struct path *root, char *buf,
	     int buflen)
{
	struct dentry *d = path->dentry;
	char *pos = buf + buflen;
	bool ok;

	if (d->d_flags & DCACHE_DISCONNECTED) {
		if (d->d_op && d->d_op->d_dname)
			return d->d_op->d_dname(d, buf, buflen);
		return ERR_PTR(-ENOENT);
	}
	ok = prepend(&pos, buf, "", 1);
	if (ok && d_unhashed(d) && !IS_ROOT(d))
		ok = prepend(&pos, buf, " (deleted)", 10);
	spin_lock(&mount_lock);
	spin_lock(&dcache_lock);
	if (ok) {
		char *before = pos;

		ok = prepend_path(path, root, buf, &pos);
		if (ok && pos == before)
			ok = prepend(&pos, buf, "/", 1);
	}
	spin_unlock(&dcache_lock);
	spin_unlock(&mount_lock);
	return ok ? pos : ERR_PTR(-ENAMETOOLONG);
}

/* Write @s with the escapes of /proc/mounts (space, tab, newline, \). */
static size_t mangle(char *out, size_t size, const char *s)
{
	size_t n = 0;

	for (; *s && n + 5 < size; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			n += snprintf(out + n, size - n, "\\%03o", (unsigned char)*s);
		else
			out[n++] = *s;
	}
	out[n] = '\0';
	return n;
}

static void mount_options(const struct vfsmount *mnt, char *buf, size_t len)
{
	static const struct { int flag; const char *name; } opts[] = {
		{ MNT_NOSUID, ",nosuid" }, { MNT_NODEV, ",nodev" },
		{ MNT_NOEXEC, ",noexec" }, { MNT_NOATIME, ",noatime" },
		{ MNT_NODIRATIME, ",nodiratime" }, { MNT_RELATIME, ",relatime" },
	};
	struct super_block *sb = mnt->mnt_sb;
	size_t n = snprintf(buf, len, "%s", mnt_is_readonly(mnt) ? "ro" : "rw");
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(opts) && n < len; i++)
		if (mnt->mnt_flags & opts[i].flag)
			n += snprintf(buf + n, len - n, "%s", opts[i].name);
	if (n < len && sb->s_op && sb->s_op->show_options)
		sb->s_op->show_options(sb, buf + n, len - n);
}

void mounts_show(const struct path *root,
		 void (*emit)(void *arg, const char *line, size_t len),
		 void *arg)
{
	/* One allocation: the name, its escaped form, the line. */
	char *buf = kmalloc(3 * PATH_MAX, GFP_KERNEL), *name;
	char *where = buf + PATH_MAX, *line = buf + 2 * PATH_MAX;
	char dev[128], opts[128];
	struct vfsmount *mnt;
	struct path p;
	int n;

	if (!buf)
		return;
	mutex_lock(&namespace_lock);
	list_for_each_entry(mnt, &mount_list, mnt_list) {
		p.mnt = mnt;
		p.dentry = mnt->mnt_root;
		name = d_path(&p, root, buf, PATH_MAX);
		if (IS_ERR(name))
			continue;
		mangle(dev, sizeof(dev), mnt->mnt_devname);
		mangle(where, PATH_MAX, name);
		mount_options(mnt, opts, sizeof(opts));
		n = snprintf(line, PATH_MAX, "%s %s %s %s 0 0\n", dev, where,
			     mnt->mnt_sb->s_type->name, opts);
		emit(arg, line, MIN(n, PATH_MAX - 1));
	}
	mutex_unlock(&namespace_lock);
	kfree(buf);
}
