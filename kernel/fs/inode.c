/*
 * inode.c — the life of an inode, permissions, and changing attributes
 * (kestrel/fs.h).
 *
 * Inodes are not cached on their own in Kestrel: an inode lives exactly
 * as long as something refers to it — a dentry (one reference per name
 * that is cached), an open file (through its dentry), the kernel briefly.
 * The last iput() lets the file system free what the file holds
 * (s_op->evict_inode) and frees the inode.  For tmpfs, whose dentries
 * are pinned while the file has names, that is the moment the file has
 * neither a name nor an opener: the rule unlink(2) describes ("If that
 * name was the last link to a file but any processes still have the file
 * open, the file will remain in existence until the last file descriptor
 * referring to it is closed").
 *
 * Permission checks follow path_resolution(7), "Permission checking":
 * the owner's bits if the fsuid is the owner, else the group's if the
 * file's group is the fsgid or a supplementary group, else the others';
 * root passes every read and write check and an execute check on a
 * directory or on a file with at least one x bit.  Kestrel has no
 * capabilities beyond "fsuid 0".
 */
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/ktime.h>
#include <kestrel/mount.h>
#include <kestrel/pagemap.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "internal.h"

struct timespec64 current_time(void)
{
	u64 ns = ktime_get_real();
	struct timespec64 t = { .tv_sec = ns / NSEC_PER_SEC,
				.tv_nsec = ns % NSEC_PER_SEC };

	return t;
}

void inode_sb_count(struct super_block *sb, long delta)
{
	__atomic_add_fetch(&sb->s_nr_inodes, delta, __ATOMIC_RELAXED);
}

long inode_sb_nr(struct super_block *sb)
{
	return __atomic_load_n(&sb->s_nr_inodes, __ATOMIC_RELAXED);
}

struct inode *new_inode(struct super_block *sb)
{
	struct inode *inode;

	if (sb->s_op && sb->s_op->alloc_inode)
		inode = sb->s_op->alloc_inode(sb);
	else
		inode = kzalloc(sizeof(*inode), GFP_KERNEL);
	if (!inode)
		return NULL;
	inode->i_sb = sb;
	inode->i_count = 1;
	inode->i_nlink = 1;
	inode->i_ino = __atomic_add_fetch(&sb->s_next_ino, 1, __ATOMIC_RELAXED);
	mutex_init(&inode->i_mutex);
	spin_lock_init(&inode->i_lock);
	address_space_init(&inode->i_data, inode, NULL);
	inode->i_mapping = &inode->i_data;
	inode->i_writecount = 0;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time();
	inode_sb_count(sb, 1);
	return inode;
}

void ihold(struct inode *inode)
{
	__atomic_add_fetch(&inode->i_count, 1, __ATOMIC_RELAXED);
}

void iput(struct inode *inode)
{
	struct super_block *sb;

	if (!inode || __atomic_sub_fetch(&inode->i_count, 1, __ATOMIC_ACQ_REL))
		return;
	sb = inode->i_sb;
	if (sb->s_op && sb->s_op->evict_inode)
		sb->s_op->evict_inode(inode);
	inode_sb_count(sb, -1);
	if (sb->s_op && sb->s_op->destroy_inode)
		sb->s_op->destroy_inode(inode);
	else
		kfree(inode);
}

/*
 * i_writecount is the writers (> 0) or minus the programs running the
 * file (< 0): a compare-and-swap moves it one step away from zero on
 * the side asked for, or fails when it sits on the other side.
 */
static int writecount_step(struct inode *inode, int step)
{
	int old = __atomic_load_n(&inode->i_writecount, __ATOMIC_RELAXED);

	do {
		if (step > 0 ? old < 0 : old > 0)
			return -ETXTBSY;
	} while (!__atomic_compare_exchange_n(&inode->i_writecount, &old,
					      old + step, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED));
	return 0;
}

int get_write_access(struct inode *inode)
{
	return writecount_step(inode, 1);
}

void put_write_access(struct inode *inode)
{
	__atomic_sub_fetch(&inode->i_writecount, 1, __ATOMIC_ACQ_REL);
}

int deny_write_access(struct file *file)
{
	int err = writecount_step(file->f_inode, -1);

	if (!err)
		file->f_mode |= FMODE_DENYWRITE;
	return err;
}

void inc_nlink(struct inode *inode)
{
	inode->i_nlink++;
}

void drop_nlink(struct inode *inode)
{
	if (!WARN_ON(inode->i_nlink == 0))
		inode->i_nlink--;
}

void clear_nlink(struct inode *inode)
{
	inode->i_nlink = 0;
}

void set_nlink(struct inode *inode, unsigned int n)
{
	inode->i_nlink = n;
}

void inode_touch_mc(struct inode *inode)
{
	inode->i_mtime = inode->i_ctime = current_time();
	__atomic_add_fetch(&inode->i_generation, 1, __ATOMIC_RELAXED);
}

void file_accessed(struct file *file)
{
	struct inode *inode = file->f_inode;
	struct timespec64 now;

	if ((file->f_flags & O_NOATIME) ||
	    (file->f_path.mnt->mnt_flags & (MNT_NOATIME | MNT_READONLY)))
		return;
	now = current_time();
	if (inode->i_atime.tv_sec > inode->i_mtime.tv_sec &&
	    inode->i_atime.tv_sec > inode->i_ctime.tv_sec &&
	    now.tv_sec - inode->i_atime.tv_sec < 24 * 3600)
		return;		/* relatime: recent enough */
	inode->i_atime = now;
}

/* --- who the current task is ----------------------------------------------- */

unsigned int current_fsuid(void)
{
	return current->cred ? current->cred->fsuid : 0;
}

unsigned int current_fsgid(void)
{
	return current->cred ? current->cred->fsgid : 0;
}

bool in_group_p(unsigned int gid)
{
	const struct cred *c = current->cred;
	int i;

	if (!c)
		return gid == 0;
	if (c->fsgid == gid)
		return true;
	for (i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

void inode_init_owner(struct inode *inode, const struct inode *dir,
		      umode_t mode)
{
	inode->i_uid = current_fsuid();
	if (dir && (dir->i_mode & S_ISGID)) {
		inode->i_gid = dir->i_gid;	/* BSD group semantics */
		if (S_ISDIR(mode))
			mode |= S_ISGID;
	} else {
		inode->i_gid = current_fsgid();
	}
	inode->i_mode = mode;
}

void init_special_inode(struct inode *inode, umode_t mode, dev_t rdev)
{
	inode->i_mode = mode;
	if (S_ISCHR(mode)) {
		inode->i_fop = &def_chr_fops;
		inode->i_rdev = rdev;
	} else if (S_ISFIFO(mode)) {
		inode->i_fop = &pipefifo_fops;
	} else if (S_ISBLK(mode)) {
		inode->i_rdev = rdev;	/* no block devices until lab 10 */
	}
}

/* --- permissions ------------------------------------------------------------ */

int inode_permission(struct inode *inode, int mask)
{
	umode_t mode = inode->i_mode;
	unsigned int bits;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if ((mask & MAY_WRITE) && (inode->i_sb->s_flags & SB_RDONLY) &&
	    (S_ISREG(mode) || S_ISDIR(mode) || S_ISLNK(mode)))
		return -EROFS;
	if (current_fsuid() == 0) {
		if (!(mask & MAY_EXEC) || S_ISDIR(mode) || (mode & 0111))
			return 0;
		return -EACCES;
	}
	if (current_fsuid() == inode->i_uid)
		bits = mode >> 6;
	else if (in_group_p(inode->i_gid))
		bits = mode >> 3;
	else
		bits = mode;
	return (mask & ~bits & 7) ? -EACCES : 0;
}

bool inode_owner_or_capable(const struct inode *inode)
{
	return current_fsuid() == inode->i_uid || capable_fowner();
}

/* --- attributes ------------------------------------------------------------- */

/* chown(2): who may set which owner and group. */
static int may_chown(const struct inode *inode, const struct iattr *attr)
{
	if (capable_fowner())
		return 0;
	if ((attr->ia_valid & ATTR_UID) && attr->ia_uid != inode->i_uid)
		return -EPERM;
	if ((attr->ia_valid & ATTR_GID) && attr->ia_gid != inode->i_gid &&
	    (current_fsuid() != inode->i_uid || !in_group_p(attr->ia_gid)))
		return -EPERM;
	if (current_fsuid() != inode->i_uid)
		return -EPERM;
	return 0;
}

/* The checks of chmod(2), chown(2), utimensat(2); may adjust @attr. */
static int setattr_prepare(struct inode *inode, struct iattr *attr)
{
	int err;

	if (attr->ia_valid & (ATTR_UID | ATTR_GID)) {
		err = may_chown(inode, attr);
		if (err)
			return err;
		/* A change of owner drops set-user-ID, and set-group-ID
		 * where it means "run as" (group-executable). */
		if (!S_ISDIR(inode->i_mode) && !(attr->ia_valid & ATTR_MODE) &&
		    (inode->i_mode & (S_ISUID | S_ISGID))) {
			attr->ia_mode = inode->i_mode & ~S_ISUID;
			if (inode->i_mode & S_IXGRP)
				attr->ia_mode &= ~S_ISGID;
			attr->ia_valid |= ATTR_MODE;
		}
	}
	if ((attr->ia_valid & ATTR_MODE) && !(attr->ia_valid & (ATTR_UID | ATTR_GID))) {
		if (!inode_owner_or_capable(inode))
			return -EPERM;
		if (!capable_fowner() && !in_group_p(inode->i_gid))
			attr->ia_mode &= ~S_ISGID;
	}
	if (attr->ia_valid & (ATTR_ATIME_SET | ATTR_MTIME_SET)) {
		if (!inode_owner_or_capable(inode))
			return -EPERM;
	} else if (attr->ia_valid & ATTR_TOUCH) {
		if (!inode_owner_or_capable(inode) &&
		    inode_permission(inode, MAY_WRITE))
			return -EACCES;
	}
	return 0;
}

int simple_setattr(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = dentry->d_inode;
	unsigned int v = attr->ia_valid;

	if (v & ATTR_SIZE)
		inode->i_size = attr->ia_size;
	if (v & ATTR_UID)
		inode->i_uid = attr->ia_uid;
	if (v & ATTR_GID)
		inode->i_gid = attr->ia_gid;
	if (v & ATTR_MODE)
		inode->i_mode = (inode->i_mode & S_IFMT) |
				(attr->ia_mode & S_IALLUGO);
	if (v & ATTR_ATIME)
		inode->i_atime = attr->ia_atime;
	if (v & ATTR_MTIME)
		inode->i_mtime = attr->ia_mtime;
	if (v & ATTR_CTIME)
		inode->i_ctime = attr->ia_ctime;
	return 0;
}

int notify_change(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = dentry->d_inode;
	struct timespec64 now = current_time();
	int err;

	if ((attr->ia_valid & (ATTR_MODE | ATTR_UID | ATTR_GID | ATTR_ATIME |
			       ATTR_MTIME | ATTR_SIZE)) &&
	    (inode->i_sb->s_flags & SB_RDONLY))
		return -EROFS;
	err = setattr_prepare(inode, attr);
	if (err)
		return err;
	attr->ia_ctime = now;
	attr->ia_valid |= ATTR_CTIME;
	if ((attr->ia_valid & ATTR_ATIME) && !(attr->ia_valid & ATTR_ATIME_SET))
		attr->ia_atime = now;
	if ((attr->ia_valid & ATTR_MTIME) && !(attr->ia_valid & ATTR_MTIME_SET))
		attr->ia_mtime = now;
	if (inode->i_op && inode->i_op->setattr)
		return inode->i_op->setattr(dentry, attr);
	return simple_setattr(dentry, attr);
}
