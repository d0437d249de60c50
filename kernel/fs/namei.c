/*
 * namei.c — the path walk: from a name to a (mount, dentry) pair
 * (kestrel/namei.h states the rules, path_resolution(7) is the source).
 *
 *	path_init        start at the root ("/…"), the working directory,
 *	                 or the directory of a file descriptor (*at calls)
 *	link_path_walk   every component but the last, one at a time:
 *	                   may_lookup      search permission on the directory
 *	                   walk_component  ".", "..", or a name: the dcache,
 *	                                   else the file system; then down
 *	                                   any mount sitting there
 *	                   a symlink       its target is spliced in front of
 *	                                   the rest of the path (pick_link)
 *	                   not a directory ENOTDIR
 *	the last one     the caller decides: a plain lookup (path_lookupat)
 *	                 follows a final symlink only with LOOKUP_FOLLOW; a
 *	                 create stops at the directory (LOOKUP_PARENT); open
 *	                 does either (kernel/fs/open.c)
 *
 * Symlinks without recursion: when the walk meets a link with "rest"
 * still to walk, it builds target + "/" + rest in a buffer and walks
 * that, from the root if the target is absolute, else from the link's
 * directory.  Forty links per walk, then ELOOP (MAXSYMLINKS, as Linux);
 * a spliced path longer than PATH_MAX is ENAMETOOLONG.  procfs's magic
 * links (/proc/self/fd/3) have no text to splice: the walk jumps to the
 * place they stand for (->jump_link).
 *
 * References: nd->path and nd->root hold one each; every step takes the
 * next place's references before dropping the current one's.  No lock is
 * held across steps; a directory's i_mutex is taken only around a lookup
 * the dcache could not answer (lookup_slow), so that two tasks looking
 * up the same missing name make one dentry.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs_struct.h>
#include <kestrel/mount.h>
#include <kestrel/namei.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>

#include "internal.h"

void qstr_hash(struct qstr *q)
{
	q->hash = full_name_hash(q->name, q->len);
}

bool d_is_symlink(const struct dentry *dentry)
{
	return dentry->d_inode && S_ISLNK(dentry->d_inode->i_mode);
}

char *getname_flags(const char __user *uname, unsigned int flags)
{
	char *name = kmalloc(PATH_MAX, GFP_KERNEL);
	long len;

	if (!name)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(name, uname, PATH_MAX);
	if (len < 0 || len >= PATH_MAX || (len == 0 && !(flags & LOOKUP_EMPTY))) {
		kfree(name);
		return ERR_PTR(len < 0 ? -EFAULT : len ? -ENAMETOOLONG : -ENOENT);
	}
	return name;
}

void putname(char *name)
{
	if (!IS_ERR_OR_NULL(name))
		kfree(name);
}

int path_init(struct nameidata *nd, int dfd, const char *name,
	      unsigned int flags)
{
	struct file *file;

	memset(nd, 0, sizeof(*nd));
	nd->flags = flags;
	nd->last_type = LAST_ROOT;
	get_fs_root(current_fs(), &nd->root);
	if (!nd->root.mnt)
		return -ENOENT;		/* no file tree (stages before lab 8) */
	if (*name == '/') {
		nd->path = nd->root;
		path_get(&nd->path);
		return 0;
	}
	if (dfd == AT_FDCWD) {
		get_fs_pwd(current_fs(), &nd->path);
		return 0;
	}
	file = fget_raw(dfd);
	if (!file)
		return -EBADF;
	if (*name && !S_ISDIR(file->f_inode->i_mode)) {
		fput(file);
		return -ENOTDIR;
	}
	nd->path = file->f_path;
	path_get(&nd->path);
	fput(file);
	return 0;
}

void nameidata_done(struct nameidata *nd)
{
	path_put(&nd->path);
	path_put(&nd->root);
	kfree(nd->linkbuf);
	nd->path.mnt = NULL;
	nd->path.dentry = NULL;
	nd->root = nd->path;
	nd->linkbuf = NULL;
}

int may_lookup(struct nameidata *nd)
{
	return inode_permission(nd->path.dentry->d_inode, MAY_EXEC);
}

/* @name in @parent from the dcache, if a valid dentry is cached there. */
static struct dentry *lookup_dcache(struct dentry *parent, struct qstr *name)
{
	struct dentry *d = d_lookup(parent, name);

	if (d && d->d_op && d->d_op->d_revalidate &&
	    !d->d_op->d_revalidate(d, 0)) {
		d_drop(d);		/* stale (procfs: the process is gone) */
		dput(d);
		d = NULL;
	}
	return d;
}

struct dentry *lookup_one_qstr(struct dentry *dir, struct qstr *name)
{
	struct inode *inode = dir->d_inode;
	struct dentry *d, *old;

	d = lookup_dcache(dir, name);
	if (d)
		return d;
	if (!inode->i_op || !inode->i_op->lookup)
		return ERR_PTR(-ENOTDIR);
	d = d_alloc(dir, name);
	if (!d)
		return ERR_PTR(-ENOMEM);
	old = inode->i_op->lookup(inode, d);
	if (old) {			/* an error, or the file system's own */
		dput(d);
		return old;
	}
	return d;
}

/* The dcache missed: ask the file system, under the directory's lock. */
static struct dentry *lookup_slow(struct dentry *dir, struct qstr *name)
{
	struct dentry *d;

	mutex_lock(&dir->d_inode->i_mutex);
	d = lookup_one_qstr(dir, name);
	mutex_unlock(&dir->d_inode->i_mutex);
	return d;
}

/* "..": up one directory — not above the root, and across mounts. */
static int follow_dotdot(struct nameidata *nd, struct path *next)
{
	struct dentry *parent;

	*next = nd->path;
	path_get(next);
	for (;;) {
		if (path_equal(next, &nd->root))
			break;			/* ".." of "/" is "/" */
		if (next->dentry != next->mnt->mnt_root) {
			parent = dget_parent(next->dentry);
			dput(next->dentry);
			next->dentry = parent;
			break;
		}
		if (!follow_up(next))
			break;			/* the top of the mount tree */
	}
	follow_mount(next);
	return 0;
}

/**
 * walk_component - one step of the walk: from the directory nd->path to
 * its entry @name (of LAST_* @type), into *@next with references taken.
 * Returns 0, -ENOENT (no such entry), or the lookup's error.  A symlink
 * is returned as it is; the caller decides whether to follow it.
 */
static int walk_component(struct nameidata *nd, struct qstr *name, int type,
			  struct path *next)
{
#if SOL >= 8
	struct dentry *d;

	if (type == LAST_DOT) {
		*next = nd->path;
		path_get(next);
		return 0;
	}
	if (type == LAST_DOTDOT)
		return follow_dotdot(nd, next);
	d = lookup_dcache(nd->path.dentry, name);
	if (!d)
		d = lookup_slow(nd->path.dentry, name);
	if (IS_ERR(d))
		return PTR_ERR(d);
	if (d_is_negative(d)) {
		dput(d);
		return -ENOENT;
	}
	next->mnt = mntget(nd->path.mnt);
	next->dentry = d;
	follow_mount(next);		/* something mounted here: its root */
	return 0;
#else
	/*
	 * LAB 8: one step of the path walk.  "." (LAST_DOT) is nd->path
	 * itself; ".." (LAST_DOTDOT) is follow_dotdot()'s business.  For a
	 * name: look in the dcache first (lookup_dcache), and only when it
	 * misses ask the file system (lookup_slow, which takes the
	 * directory's lock).  A negative dentry means "no such file": drop
	 * it and return -ENOENT.  The result is a struct path — the dentry
	 * *and* the mount it is seen through (take a reference on both) —
	 * and if something is mounted on that dentry, the walk goes on
	 * from the mounted file system's root (follow_mount).
	 */
	(void)nd;
	(void)name;
	(void)type;
	(void)next;
	(void)lookup_slow;
	(void)follow_dotdot;
	return -ENOSYS;
#endif
}

/*
 * Follow the symlink @link (its references are consumed): the walk goes
 * on with its target followed by "/" @rest, from the root or from the
 * current directory; *@out is the new name to walk.  ELOOP after
 * MAXSYMLINKS links in this walk.
 */
int pick_link(struct nameidata *nd, struct path *link, const char *rest,
	      const char **out)
{
	struct inode *inode = link->dentry->d_inode;
	const char *body;
	char *dst;
	int err = 0;

	if (++nd->total_link_count > MAXSYMLINKS) {
		err = -ELOOP;
		goto out_put;
	}
	if (!nd->linkbuf) {
		nd->linkbuf = kmalloc(3 * PATH_MAX, GFP_KERNEL);
		if (!nd->linkbuf) {
			err = -ENOMEM;
			goto out_put;
		}
	}
	if (inode->i_op && inode->i_op->jump_link) {
		struct path to;

		err = inode->i_op->jump_link(link->dentry, &to);
		if (err)
			goto out_put;
		path_put(&nd->path);
		nd->path = to;
		body = "";
	} else {
		body = inode->i_link;
		if (!body && inode->i_op && inode->i_op->get_link)
			body = inode->i_op->get_link(link->dentry, inode,
						     nd->linkbuf + 2 * PATH_MAX);
		if (!body)
			body = ERR_PTR(-EINVAL);
		if (IS_ERR(body)) {
			err = PTR_ERR(body);
			goto out_put;
		}
		if (!*body) {
			err = -ENOENT;		/* an empty target names nothing */
			goto out_put;
		}
	}
	dst = nd->linkbuf + (nd->half ^ 1) * PATH_MAX;	/* @rest may be in this half */
	err = path_splice(dst, PATH_MAX, body, rest);
	if (err)
		goto out_put;
	nd->half ^= 1;
	if (body[0] == '/') {	/* an absolute target: from the root */
		path_put(&nd->path);
		nd->path = nd->root;
		path_get(&nd->path);
	}
	*out = dst;
out_put:
	path_put(link);
	return err;
}

/* Split off the component at @name into @this; its LAST_* type. */
static int next_component(const char *name, struct qstr *this)
{
	int type = path_component(name, &this->len);

	this->name = name;
	if (type == LAST_NORM)
		qstr_hash(this);
	return type;
}

int link_path_walk(struct nameidata *nd, const char *name)
{
	struct qstr this;
	struct path next;
	int err, type;

	name = path_skip_slashes(name);
	if (!*name) {
		nd->last_type = LAST_ROOT;	/* "/" or "" */
		return 0;
	}
	for (;;) {
		err = may_lookup(nd);
		if (err)
			return err;
		type = next_component(name, &this);
		if (this.len > NAME_MAX)
			return -ENAMETOOLONG;
		name += this.len;
		if (*name == '/') {
			while (*name == '/')
				name++;
			if (!*name)
				nd->flags |= LOOKUP_SLASH;
		}
		if (!*name) {
			nd->last = this;
			nd->last_type = type;
			return 0;
		}
		err = walk_component(nd, &this, type, &next);
		if (err)
			return err;
		if (d_is_symlink(next.dentry)) {
			err = pick_link(nd, &next, name, &name);
			if (err)
				return err;
			while (*name == '/')
				name++;
			continue;
		}
		if (!S_ISDIR(next.dentry->d_inode->i_mode)) {
			path_put(&next);
			return -ENOTDIR;
		}
		path_put(&nd->path);
		nd->path = next;
	}
}

int walk_last(struct nameidata *nd, struct path *next)
{
	if (nd->last_type == LAST_ROOT) {
		*next = nd->path;
		path_get(next);
		return 0;
	}
	return walk_component(nd, &nd->last, nd->last_type, next);
}

/* Resolve @name completely; nd->path is the result. */
static int path_lookupat(struct nameidata *nd, int dfd, const char *name,
			 unsigned int flags)
{
	const char *s = name;
	struct path next;
	int err = path_init(nd, dfd, name, flags);

	while (!err) {
		err = link_path_walk(nd, s);
		if (err || (flags & LOOKUP_PARENT))
			break;
		err = walk_last(nd, &next);
		if (err)
			break;
		if (d_is_symlink(next.dentry) &&
		    (nd->flags & (LOOKUP_FOLLOW | LOOKUP_SLASH))) {
			err = pick_link(nd, &next, "", &s);
			continue;
		}
		path_put(&nd->path);
		nd->path = next;
		if ((nd->flags & (LOOKUP_DIRECTORY | LOOKUP_SLASH)) &&
		    !S_ISDIR(next.dentry->d_inode->i_mode))
			err = -ENOTDIR;
		break;
	}
	return err;
}

int filename_lookup(int dfd, const char *name, unsigned int flags,
		    struct path *path)
{
	struct nameidata nd;
	int err;

	if (!*name && !(flags & LOOKUP_EMPTY))
		return -ENOENT;
	err = path_lookupat(&nd, dfd, name, flags & ~LOOKUP_PARENT);
	if (!err) {
		*path = nd.path;
		nd.path.mnt = NULL;
		nd.path.dentry = NULL;
	}
	nameidata_done(&nd);
	return err;
}

int kern_path(const char *name, unsigned int flags, struct path *path)
{
	return filename_lookup(AT_FDCWD, name, flags, path);
}

int user_path_at(int dfd, const char __user *uname, unsigned int flags,
		 struct path *path)
{
	char *name = getname_flags(uname, flags);
	int err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	err = filename_lookup(dfd, name, flags, path);
	putname(name);
	return err;
}

int path_walk_parent(struct nameidata *nd, int dfd, const char *name,
		     unsigned int flags)
{
	return path_lookupat(nd, dfd, name, flags | LOOKUP_PARENT);
}

struct dentry *kern_path_create(int dfd, const char *name,
				struct path *parent, unsigned int lookup_flags)
{
	struct nameidata nd;
	struct dentry *d;
	int err = path_walk_parent(&nd, dfd, name, 0);

	if (!err && nd.last_type != LAST_NORM)
		err = -EEXIST;			/* "/", ".", ".." exist */
	if (err) {
		nameidata_done(&nd);
		return ERR_PTR(err);
	}
	mutex_lock(&nd.path.dentry->d_inode->i_mutex);
	d = lookup_one_qstr(nd.path.dentry, &nd.last);
	if (IS_ERR(d))
		goto fail;
	err = -EEXIST;
	if (d_is_positive(d))
		goto fail_put;
	err = -ENOENT;		/* "newfile/" names a directory to be */
	if ((nd.flags & LOOKUP_SLASH) && !(lookup_flags & LOOKUP_DIRECTORY))
		goto fail_put;
	err = -EROFS;
	if (mnt_is_readonly(nd.path.mnt))
		goto fail_put;
	*parent = nd.path;
	nd.path.mnt = NULL;
	nd.path.dentry = NULL;
	nameidata_done(&nd);
	return d;
fail_put:
	dput(d);
	d = ERR_PTR(err);
fail:
	mutex_unlock(&nd.path.dentry->d_inode->i_mutex);
	nameidata_done(&nd);
	return d;
}

void done_path_create(struct path *parent, struct dentry *dentry)
{
	dput(dentry);
	mutex_unlock(&parent->dentry->d_inode->i_mutex);
	path_put(parent);
}

struct dentry *lookup_one(struct dentry *dir, const char *name, int len)
{
	struct qstr q = QSTR_INIT(name, len);
	int i;

	if (len == 0 || len > NAME_MAX)
		return ERR_PTR(len ? -ENAMETOOLONG : -EACCES);
	if (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.')))
		return ERR_PTR(-EACCES);
	for (i = 0; i < len; i++)
		if (name[i] == '/')
			return ERR_PTR(-EACCES);
	qstr_hash(&q);
	return lookup_one_qstr(dir, &q);
}
