/*
 * vfs_ktest.c — ktests of the VFS core: the tree at boot, the path
 * walk's errors, symlinks, mounts, the dcache's negative entries and
 * permissions.  Each test works in a directory of its own under /tmp and
 * removes what it made.  The errno values are those of the man pages
 * (path_resolution(7), open(2), mkdir(2), rmdir(2), unlink(2)).
 */
#include <kestrel/fs_struct.h>
#include <kestrel/mount.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/sprintf.h>
#include <uapi/linux/magic.h>

#include "internal.h"
#include "ktest_util.h"

KTEST(vfs_tree)
{
	struct kstat st;
	struct path p;
	struct kstatfs sfs;

	if (!kt_vfs(ctx))
		return;
	KT_EQ(ctx, kt_stat("/", 0, &st), 0);
	KT_EQ(ctx, st.mode, S_IFDIR | 0755);
	KT_EQ(ctx, kt_mode("/tmp"), S_IFDIR | S_ISVTX | 0777);
	KT_EQ(ctx, kt_mode("/dev") & S_IFMT, S_IFDIR);
	KT_EQ(ctx, kt_mode("/proc"), S_IFDIR | 0555);
	KT_EQ(ctx, kt_stat("/dev/null", 0, &st), 0);
	KT_EQ(ctx, st.mode, S_IFCHR | 0666);
	KT_EQ(ctx, st.rdev, MKDEV(1, 3));
	KT_EQ(ctx, kt_mode("/dev/console"), S_IFCHR | 0600);
	KT_EQ(ctx, kt_mode("/proc/meminfo"), S_IFREG | 0444);
	/* /dev is another file system: the walk crossed a mount. */
	KT_EQ(ctx, kern_path("/dev", LOOKUP_FOLLOW, &p), 0);
	KT_EXPECT(ctx, p.mnt != root_mount());
	KT_EQ(ctx, vfs_statfs(&p, &sfs), 0);
	KT_EQ(ctx, sfs.f_type, TMPFS_MAGIC);
	path_put(&p);
	KT_EQ(ctx, kern_path("/proc", LOOKUP_FOLLOW, &p), 0);
	KT_EQ(ctx, vfs_statfs(&p, &sfs), 0);
	KT_EQ(ctx, sfs.f_type, PROC_SUPER_MAGIC);
	path_put(&p);
}

KTEST(vfs_errno)
{
	char name[NAME_MAX + 8];

	if (!kt_vfs(ctx))
		return;
	KT_EQ(ctx, do_mkdirat(AT_FDCWD, "/tmp/kt_errno", 0755), 0);
	KT_EQ(ctx, do_mkdirat(AT_FDCWD, "/tmp/kt_errno", 0755), -EEXIST);
	KT_EQ(ctx, do_mkdirat(AT_FDCWD, "/", 0755), -EEXIST);
	KT_EQ(ctx, do_mkdirat(AT_FDCWD, "/tmp/kt_errno/a/b", 0755), -ENOENT);
	KT_EQ(ctx, kt_write("/tmp/kt_errno/f", "x"), 1);
	KT_EQ(ctx, do_mkdirat(AT_FDCWD, "/tmp/kt_errno/f/d", 0755), -ENOTDIR);
	KT_EQ(ctx, kt_open("/tmp/kt_errno/f/", O_RDONLY, 0), -ENOTDIR);
	KT_EQ(ctx, kt_open("/tmp/kt_errno/none", O_RDONLY, 0), -ENOENT);
	KT_EQ(ctx, kt_open("/tmp/kt_errno/f", O_CREAT | O_EXCL | O_WRONLY, 0644), -EEXIST);
	KT_EQ(ctx, kt_open("/tmp/kt_errno", O_WRONLY, 0), -EISDIR);
	KT_EQ(ctx, kt_open("/tmp/kt_errno", O_CREAT | O_RDONLY, 0644), -EISDIR);
	KT_EQ(ctx, kt_open("/tmp/kt_errno/new/", O_CREAT | O_WRONLY, 0644), -EISDIR);
	KT_EQ(ctx, kt_open("/tmp/kt_errno/f", O_DIRECTORY | O_RDONLY, 0), -ENOTDIR);
	KT_EQ(ctx, kt_open("", O_RDONLY, 0), -ENOENT);
	memset(name, 'n', sizeof(name));
	memcpy(name, "/tmp/", 5);
	name[sizeof(name) - 1] = '\0';		/* a 258-byte component */
	KT_EQ(ctx, kt_open(name, O_RDONLY, 0), -ENAMETOOLONG);
	KT_EQ(ctx, do_rmdir(AT_FDCWD, "/tmp/kt_errno/f"), -ENOTDIR);
	KT_EQ(ctx, do_rmdir(AT_FDCWD, "/tmp/kt_errno"), -ENOTEMPTY);
	KT_EQ(ctx, do_rmdir(AT_FDCWD, "/tmp/kt_errno/."), -EINVAL);
	KT_EQ(ctx, do_rmdir(AT_FDCWD, "/tmp/kt_errno/.."), -ENOTEMPTY);
	KT_EQ(ctx, do_rmdir(AT_FDCWD, "/"), -EBUSY);
	KT_EQ(ctx, do_unlinkat(AT_FDCWD, "/tmp/kt_errno"), -EISDIR);
	KT_EQ(ctx, do_unlinkat(AT_FDCWD, "/tmp/kt_errno/f/"), -ENOTDIR);
	KT_EQ(ctx, do_unlinkat(AT_FDCWD, "/tmp/kt_errno/none"), -ENOENT);
	KT_EQ(ctx, do_mknodat(AT_FDCWD, "/tmp/kt_errno/d", S_IFDIR | 0755, 0), -EPERM);
	KT_EQ(ctx, do_symlinkat("", AT_FDCWD, "/tmp/kt_errno/l"), -ENOENT);
	KT_EQ(ctx, do_linkat(AT_FDCWD, "/tmp/kt_errno", AT_FDCWD, "/tmp/kt_errno/l", 0), -EPERM);
	KT_EQ(ctx, do_linkat(AT_FDCWD, "/tmp/kt_errno/f", AT_FDCWD, "/dev/f", 0), -EXDEV);
	KT_EQ(ctx, do_unlinkat(AT_FDCWD, "/tmp/kt_errno/f"), 0);
	KT_EQ(ctx, do_rmdir(AT_FDCWD, "/tmp/kt_errno/"), 0);
	KT_EQ(ctx, kt_mode("/tmp/kt_errno"), 0);
}

KTEST(vfs_symlinks)
{
	char buf[64], name[32];
	struct kstat st;
	int i;

	if (!kt_vfs(ctx))
		return;
	KT_EQ(ctx, do_mkdirat(AT_FDCWD, "/tmp/kt_sym", 0755), 0);
	KT_EQ(ctx, do_mkdirat(AT_FDCWD, "/tmp/kt_sym/dir", 0755), 0);
	KT_EQ(ctx, kt_write("/tmp/kt_sym/dir/file", "target"), 6);
	KT_EQ(ctx, do_symlinkat("dir/file", AT_FDCWD, "/tmp/kt_sym/rel"), 0);
	KT_EQ(ctx, do_symlinkat("/tmp/kt_sym/dir", AT_FDCWD, "/tmp/kt_sym/abs"), 0);
	KT_EQ(ctx, do_symlinkat("../kt_sym/dir/../dir/file", AT_FDCWD, "/tmp/kt_sym/dots"), 0);
	KT_EQ(ctx, kt_read("/tmp/kt_sym/rel", buf, sizeof(buf)), 6);
	KT_EQ(ctx, kt_read("/tmp/kt_sym/abs/file", buf, sizeof(buf)), 6);
	KT_EQ(ctx, kt_read("/tmp/kt_sym/dots", buf, sizeof(buf)), 6);
	KT_EQ(ctx, kt_mode("/tmp/kt_sym/rel"), S_IFLNK | 0777);
	KT_EQ(ctx, kt_stat("/tmp/kt_sym/abs/", 0, &st), 0);	/* "link/" follows */
	KT_EQ(ctx, st.mode & S_IFMT, S_IFDIR);
	KT_EQ(ctx, kt_open("/tmp/kt_sym/rel", O_RDONLY | O_NOFOLLOW, 0), -ELOOP);
	KT_EQ(ctx, kt_open("/tmp/kt_sym/rel", O_RDONLY | O_NOFOLLOW | O_PATH, 0), 0);
	/* A chain of 40 links resolves; 41 is one too many (ELOOP). */
	KT_EQ(ctx, do_symlinkat("dir/file", AT_FDCWD, "/tmp/kt_sym/c0"), 0);
	for (i = 1; i <= 40; i++) {
		snprintf(buf, sizeof(buf), "c%d", i - 1);
		snprintf(name, sizeof(name), "/tmp/kt_sym/c%d", i);
		KT_EQ(ctx, do_symlinkat(buf, AT_FDCWD, name), 0);
	}
	KT_EQ(ctx, kt_open("/tmp/kt_sym/c39", O_RDONLY, 0), 0);
	KT_EQ(ctx, kt_open("/tmp/kt_sym/c40", O_RDONLY, 0), -ELOOP);
	KT_EQ(ctx, do_symlinkat("loop2", AT_FDCWD, "/tmp/kt_sym/loop1"), 0);
	KT_EQ(ctx, do_symlinkat("loop1", AT_FDCWD, "/tmp/kt_sym/loop2"), 0);
	KT_EQ(ctx, kt_open("/tmp/kt_sym/loop1", O_RDONLY, 0), -ELOOP);
	KT_EQ(ctx, kt_open("/tmp/kt_sym/loop1/x", O_RDONLY, 0), -ELOOP);
	/* A dangling link with O_CREAT creates its target; O_EXCL does not follow. */
	KT_EQ(ctx, do_symlinkat("made", AT_FDCWD, "/tmp/kt_sym/dangling"), 0);
	KT_EQ(ctx, kt_open("/tmp/kt_sym/dangling", O_CREAT | O_EXCL | O_WRONLY, 0644), -EEXIST);
	KT_EQ(ctx, kt_open("/tmp/kt_sym/dangling", O_CREAT | O_WRONLY, 0644), 0);
	KT_EQ(ctx, kt_mode("/tmp/kt_sym/made"), S_IFREG | 0644);
	KT_EQ(ctx, kt_open("/tmp/kt_sym/rel/", O_RDONLY, 0), -ENOTDIR);
	/* cleanup */
	for (i = 0; i <= 40; i++) {
		snprintf(name, sizeof(name), "/tmp/kt_sym/c%d", i);
		do_unlinkat(AT_FDCWD, name);
	}
	do_unlinkat(AT_FDCWD, "/tmp/kt_sym/loop1");
	do_unlinkat(AT_FDCWD, "/tmp/kt_sym/loop2");
	do_unlinkat(AT_FDCWD, "/tmp/kt_sym/dangling");
	do_unlinkat(AT_FDCWD, "/tmp/kt_sym/made");
	do_unlinkat(AT_FDCWD, "/tmp/kt_sym/rel");
	do_unlinkat(AT_FDCWD, "/tmp/kt_sym/abs");
	do_unlinkat(AT_FDCWD, "/tmp/kt_sym/dots");
	do_unlinkat(AT_FDCWD, "/tmp/kt_sym/dir/file");
	do_rmdir(AT_FDCWD, "/tmp/kt_sym/dir");
	KT_EQ(ctx, do_rmdir(AT_FDCWD, "/tmp/kt_sym"), 0);
}

/* Mount a tmpfs on @where; 0 or -errno. */
static long kt_mount_tmpfs(const char *where, const char *options)
{
	struct vfsmount *mnt;
	struct path p;
	long err = kern_path(where, LOOKUP_FOLLOW, &p);

	if (err)
		return err;
	mnt = vfs_kern_mount("tmpfs", 0, "tmpfs", options);
	err = IS_ERR(mnt) ? PTR_ERR(mnt) : do_add_mount(mnt, &p);
	if (err && !IS_ERR(mnt))
		mntput(mnt);
	path_put(&p);
	return err;
}

static long kt_umount(const char *where)
{
	struct path p;
	long err = kern_path(where, LOOKUP_FOLLOW, &p);

	return err ? err : path_umount(&p, 0);
}

KTEST(vfs_mounts)
{
	struct kstatfs sfs;
	struct file *f;
	struct path p;
	char buf[32];
	int i;

	if (!kt_vfs(ctx))
		return;
	KT_EQ(ctx, do_mkdirat(AT_FDCWD, "/tmp/kt_mnt", 0755), 0);
	KT_EQ(ctx, kt_write("/tmp/kt_mnt/under", "hidden"), 6);
	KT_EQ(ctx, kt_mount_tmpfs("/tmp/kt_mnt", "size=64k,nr_inodes=8"), 0);
	KT_EQ(ctx, kt_mode("/tmp/kt_mnt/under"), 0);	/* covered */
	KT_EQ(ctx, kt_mode("/tmp/kt_mnt"), S_IFDIR | S_ISVTX | 0777);
	KT_EQ(ctx, kt_write("/tmp/kt_mnt/on", "top"), 3);
	/* ".." from the mounted root leads back up, into the parent mount. */
	KT_EQ(ctx, kt_read("/tmp/kt_mnt/../kt_mnt/on", buf, sizeof(buf)), 3);
	KT_EQ(ctx, kern_path("/tmp/kt_mnt/..", LOOKUP_FOLLOW, &p), 0);
	KT_EXPECT(ctx, p.mnt == root_mount());
	path_put(&p);
	KT_EQ(ctx, kern_path("/tmp/kt_mnt", LOOKUP_FOLLOW, &p), 0);
	KT_EQ(ctx, vfs_statfs(&p, &sfs), 0);
	KT_EQ(ctx, sfs.f_blocks, 16);		/* size=64k */
	KT_EQ(ctx, sfs.f_files, 8);
	path_put(&p);
	/* 16 pages: "on" has one, 15 sparse bytes take one each; no 17th. */
	for (i = 0; i < 15; i++)
		KT_EQ(ctx, kt_pwrite("/tmp/kt_mnt/big", "b", 1, i * 70000L, O_CREAT), 1);
	KT_EQ(ctx, kt_pwrite("/tmp/kt_mnt/big", "b", 1, i * 70000L, 0), -ENOSPC);
	KT_EQ(ctx, do_unlinkat(AT_FDCWD, "/tmp/kt_mnt/big"), 0);
	KT_EQ(ctx, kt_pwrite("/tmp/kt_mnt/big", "b", 1, i * 70000L, O_CREAT), 1);
	/* Busy while a file is open in it; then it goes, and "under" is back. */
	f = filp_open("/tmp/kt_mnt/on", O_RDONLY, 0);
	KT_EXPECT(ctx, !IS_ERR(f));
	KT_EQ(ctx, kt_umount("/tmp/kt_mnt"), -EBUSY);
	KT_EQ(ctx, kt_umount("/tmp/kt_mnt/on"), -EINVAL);
	if (!IS_ERR(f))
		filp_close(f);
	KT_EQ(ctx, do_rmdir(AT_FDCWD, "/tmp/kt_mnt"), -EBUSY);
	KT_EQ(ctx, kt_umount("/tmp/kt_mnt"), 0);
	KT_EQ(ctx, kt_read("/tmp/kt_mnt/under", buf, sizeof(buf)), 6);
	KT_EQ(ctx, kt_umount("/tmp/kt_mnt"), -EINVAL);	/* not a mount any more */
	/* Stacked mounts: the last one shows; unmounting uncovers the first. */
	KT_EQ(ctx, kt_mount_tmpfs("/tmp/kt_mnt", NULL), 0);
	KT_EQ(ctx, kt_write("/tmp/kt_mnt/first", "1"), 1);
	KT_EQ(ctx, kt_mount_tmpfs("/tmp/kt_mnt", NULL), 0);
	KT_EQ(ctx, kt_mode("/tmp/kt_mnt/first"), 0);
	KT_EQ(ctx, kt_umount("/tmp/kt_mnt"), 0);
	KT_EQ(ctx, kt_mode("/tmp/kt_mnt/first"), S_IFREG | 0644);
	KT_EQ(ctx, kt_umount("/tmp/kt_mnt"), 0);
	KT_EQ(ctx, kt_mount_tmpfs("/tmp/kt_mnt", "bogus=1"), -EINVAL);
	KT_EQ(ctx, do_unlinkat(AT_FDCWD, "/tmp/kt_mnt/under"), 0);
	KT_EQ(ctx, do_rmdir(AT_FDCWD, "/tmp/kt_mnt"), 0);
}

/* A missing name is remembered: the second lookup finds a negative dentry. */
KTEST(vfs_negative_dentry)
{
	struct qstr q = QSTR_INIT("kt_neg", 6);
	struct dentry *d, *again;
	struct path tmp;

	if (!kt_vfs(ctx))
		return;
	KT_EQ(ctx, kt_open("/tmp/kt_neg", O_RDONLY, 0), -ENOENT);
	KT_EQ(ctx, kern_path("/tmp", LOOKUP_FOLLOW, &tmp), 0);
	q.hash = full_name_hash(q.name, q.len);
	d = d_lookup(tmp.dentry, &q);
	KT_EXPECT(ctx, d && d_is_negative(d));
	KT_EQ(ctx, kt_write("/tmp/kt_neg", "now"), 3);
	again = d_lookup(tmp.dentry, &q);
	KT_EXPECT(ctx, again == d);		/* the same dentry, now positive */
	KT_EXPECT(ctx, again && d_is_positive(again));
	dput(again);
	dput(d);
	KT_EQ(ctx, do_unlinkat(AT_FDCWD, "/tmp/kt_neg"), 0);
	d = d_lookup(tmp.dentry, &q);
	KT_EXPECT(ctx, d && d_is_negative(d));	/* negative again, still cached */
	dput(d);
	path_put(&tmp);
}

/* Run the rest of a test as uid/gid 1000 (not root). */
static void kt_become_user(struct cred *c, struct cred **saved)
{
	memset(c, 0, sizeof(*c));
	c->uid = c->euid = c->suid = c->fsuid = 1000;
	c->gid = c->egid = c->sgid = c->fsgid = 1000;
	*saved = current->cred;
	current->cred = c;
}

KTEST(vfs_permissions)
{
	struct cred user, *saved;
	struct iattr attr = { .ia_valid = ATTR_MODE, .ia_mode = 0777 };
	struct path p;
	char buf[8];

	if (!kt_vfs(ctx))
		return;
	KT_EQ(ctx, do_mkdirat(AT_FDCWD, "/tmp/kt_perm", 0700), 0);
	KT_EQ(ctx, kt_write("/tmp/kt_perm_secret", "s"), 1);
	kt_become_user(&user, &saved);
	KT_EQ(ctx, kt_open("/tmp/kt_perm/x", O_RDONLY, 0), -EACCES);	/* search */
	KT_EQ(ctx, kt_read("/tmp/kt_perm_secret", buf, sizeof(buf)), 1);	/* 0644 */
	KT_EQ(ctx, kt_open("/tmp/kt_perm_secret", O_WRONLY, 0), -EACCES);
	KT_EQ(ctx, do_unlinkat(AT_FDCWD, "/tmp/kt_perm_secret"), -EPERM);	/* sticky /tmp */
	KT_EQ(ctx, do_mkdirat(AT_FDCWD, "/kt_perm", 0755), -EACCES);	/* / is 0755 root */
	KT_EQ(ctx, kt_write("/tmp/kt_perm_mine", "m"), 1);
	KT_EQ(ctx, kt_mode("/tmp/kt_perm_mine"), S_IFREG | 0644);	/* umask 022 */
	KT_EQ(ctx, kern_path("/tmp/kt_perm_secret", 0, &p), 0);
	KT_EQ(ctx, notify_change(p.dentry, &attr), -EPERM);	/* not the owner */
	path_put(&p);
	current->cred = saved;
	KT_EQ(ctx, do_unlinkat(AT_FDCWD, "/tmp/kt_perm_mine"), 0);
	KT_EQ(ctx, do_unlinkat(AT_FDCWD, "/tmp/kt_perm_secret"), 0);
	KT_EQ(ctx, do_rmdir(AT_FDCWD, "/tmp/kt_perm"), 0);
}
