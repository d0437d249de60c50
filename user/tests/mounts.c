/*
 * mounts — mount(2) and umount2(2): a tmpfs with size= and nr_inodes=
 * (statfs reports them, ENOSPC enforces them), mount points crossed both
 * ways, stacked mounts, umount busy (EBUSY) and lazy (MNT_DETACH), bind
 * mounts, read-only mounts (EROFS), proc and devtmpfs mounted again, and
 * the errors of mount(2): ENODEV, ENOENT, EINVAL, EBUSY.
 */
#include <sys/mount.h>
#include <sys/statfs.h>

#include "fstest.h"

#define TMPFS_MAGIC		0x01021994

static void tmpfs_mount(struct ktap_ctx *ctx)
{
	static char page[4096];
	char dir[64], m[256], f[256];
	struct statfs sfs;
	struct stat st, root;
	int fd, i;

	fs_scratch(dir, "mounts-tmpfs");
	EXPECT_OK(ctx, mkdir(fs_at(m, dir, "m"), 0755));
	EXPECT_OK(ctx, fs_put(fs_at(f, dir, "m/under"), "u"));
	EXPECT_OK(ctx, mount("tmpfs", m, "tmpfs", 0, "size=32k,nr_inodes=4,mode=700"));
	EXPECT_OK(ctx, statfs(m, &sfs));
	KT_EXPECT(ctx, sfs.f_type == TMPFS_MAGIC && sfs.f_blocks == 8 && sfs.f_files == 4);
	EXPECT_OK(ctx, stat(m, &st));
	EXPECT_EQ(ctx, st.st_mode, S_IFDIR | 0700);
	EXPECT_OK(ctx, stat(dir, &root));
	KT_EXPECT(ctx, st.st_dev != root.st_dev);		/* another file system */
	EXPECT_ERRNO(ctx, access(fs_at(f, dir, "m/under"), F_OK), ENOENT);	/* covered */
	fd = open(fs_at(f, dir, "m/data"), O_CREAT | O_WRONLY, 0600);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(ctx, write(fd, page, sizeof(page)), sizeof(page));
	EXPECT_ERRNO(ctx, write(fd, page, sizeof(page)), ENOSPC);	/* size=32k */
	EXPECT_ERRNO(ctx, umount(m), EBUSY);			/* a file is open */
	close(fd);
	EXPECT_OK(ctx, mkdir(fs_at(f, dir, "m/a"), 0755));	/* inode 3 of 4 */
	EXPECT_OK(ctx, mkdir(fs_at(f, dir, "m/b"), 0755));	/* inode 4 */
	EXPECT_ERRNO(ctx, mkdir(fs_at(f, dir, "m/c"), 0755), ENOSPC);	/* nr_inodes=4 */
	EXPECT_OK(ctx, umount(m));
	EXPECT_OK(ctx, access(fs_at(f, dir, "m/under"), F_OK));	/* uncovered */
	EXPECT_ERRNO(ctx, umount(m), EINVAL);			/* not a mount point */
	EXPECT_ERRNO(ctx, mount("tmpfs", m, "tmpfs", 0, "bogus=1"), EINVAL);
	fs_rm_rf(dir);
}

/* ".." at a mount's root leads to the directory it is mounted on. */
static void crossing(struct ktap_ctx *ctx)
{
	char dir[64], m[256], f[256];
	struct stat a, b;

	fs_scratch(dir, "mounts-cross");
	EXPECT_OK(ctx, mkdir(fs_at(m, dir, "m"), 0755));
	EXPECT_OK(ctx, mount("none", m, "tmpfs", 0, NULL));
	EXPECT_OK(ctx, mkdir(fs_at(f, dir, "m/in"), 0755));
	EXPECT_OK(ctx, chdir(f));
	EXPECT_OK(ctx, stat("../..", &a));
	EXPECT_OK(ctx, stat(dir, &b));
	KT_EXPECT(ctx, a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	EXPECT_ERRNO(ctx, umount(m), EBUSY);			/* our cwd is in it */
	EXPECT_OK(ctx, chdir("/"));
	/* Stacked: the second mount hides the first until it goes. */
	EXPECT_OK(ctx, mount("none", m, "tmpfs", 0, NULL));
	EXPECT_ERRNO(ctx, access(fs_at(f, dir, "m/in"), F_OK), ENOENT);
	EXPECT_OK(ctx, umount(m));
	EXPECT_OK(ctx, access(fs_at(f, dir, "m/in"), F_OK));
	EXPECT_OK(ctx, umount(m));
	fs_rm_rf(dir);
}

static void lazy_bind_ro(struct ktap_ctx *ctx)
{
	char dir[64], m[256], b[256], f[256], buf[8];
	int fd;

	fs_scratch(dir, "mounts-lazy");
	EXPECT_OK(ctx, mkdir(fs_at(m, dir, "m"), 0755));
	EXPECT_OK(ctx, mkdir(fs_at(b, dir, "b"), 0755));
	EXPECT_OK(ctx, mount("none", m, "tmpfs", 0, NULL));
	EXPECT_OK(ctx, fs_put(fs_at(f, dir, "m/f"), "kept"));
	fd = open(f, O_RDONLY);
	EXPECT_OK(ctx, umount2(m, MNT_DETACH));		/* busy, but detached */
	EXPECT_ERRNO(ctx, access(f, F_OK), ENOENT);
	EXPECT_EQ(ctx, read(fd, buf, 4), 4);		/* still readable */
	close(fd);
	/* A bind mount shows the same files at a second place. */
	EXPECT_OK(ctx, fs_put(fs_at(f, dir, "m/orig"), "o"));
	EXPECT_OK(ctx, mount(m, b, NULL, MS_BIND, NULL));
	EXPECT_EQ(ctx, fs_get(fs_at(f, dir, "b/orig"), buf, sizeof(buf)), 1);
	EXPECT_OK(ctx, fs_put(fs_at(f, dir, "b/new"), "n"));
	EXPECT_OK(ctx, access(fs_at(f, dir, "m/new"), F_OK));
	EXPECT_OK(ctx, umount(b));
	/* Read-only: no writes, no new names (EROFS). */
	EXPECT_OK(ctx, mount("none", m, "tmpfs", MS_RDONLY, NULL));
	EXPECT_ERRNO(ctx, open(fs_at(f, dir, "m/x"), O_CREAT | O_WRONLY, 0600), EROFS);
	EXPECT_ERRNO(ctx, mkdir(fs_at(f, dir, "m/d"), 0755), EROFS);
	EXPECT_OK(ctx, mount(NULL, m, NULL, MS_REMOUNT, NULL));	/* writable again */
	EXPECT_OK(ctx, mkdir(fs_at(f, dir, "m/d"), 0755));
	EXPECT_OK(ctx, umount(m));
	fs_rm_rf(dir);
}

static void other_types(struct ktap_ctx *ctx)
{
	char dir[64], m[256], f[256], buf[64];
	struct statfs sfs;

	fs_scratch(dir, "mounts-types");
	EXPECT_OK(ctx, mkdir(fs_at(m, dir, "m"), 0755));
	EXPECT_OK(ctx, mount("proc", m, "proc", 0, NULL));
	KT_EXPECT(ctx, fs_get(fs_at(f, dir, "m/version"), buf, sizeof(buf)) > 0 &&
		  !strncmp(buf, "Linux version", 13));
	EXPECT_OK(ctx, umount(m));
	EXPECT_OK(ctx, mount("devtmpfs", m, "devtmpfs", 0, NULL));
	EXPECT_OK(ctx, access(fs_at(f, dir, "m/null"), F_OK));	/* the same nodes */
	EXPECT_OK(ctx, umount(m));
	EXPECT_OK(ctx, mount("sysfs", m, "sysfs", 0, NULL));
	EXPECT_OK(ctx, statfs(m, &sfs));
	EXPECT_EQ(ctx, sfs.f_type, 0x62656572);
	EXPECT_OK(ctx, access(fs_at(f, dir, "m/devices"), F_OK));
	EXPECT_OK(ctx, umount(m));
	EXPECT_ERRNO(ctx, mount("x", m, "nosuchfs", 0, NULL), ENODEV);
	EXPECT_ERRNO(ctx, mount("x", fs_at(f, dir, "none"), "tmpfs", 0, NULL), ENOENT);
	EXPECT_ERRNO(ctx, umount("/"), EBUSY);
	EXPECT_ERRNO(ctx, umount2(m, 0x100), EINVAL);
	EXPECT_ERRNO(ctx, umount(fs_at(f, dir, "none")), ENOENT);
	fs_rm_rf(dir);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(tmpfs_mount), KTAP_CASE(crossing), KTAP_CASE(lazy_bind_ro),
		KTAP_CASE(other_types),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
