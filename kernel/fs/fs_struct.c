/*
 * fs_struct.c — root, working directory and umask of a process
 * (kestrel/fs_struct.h).
 *
 * Readers copy a path out under fs->lock and take its references before
 * letting go, so a chdir(2) racing with a lookup frees nothing the
 * lookup still stands on; writers swap the path under the lock and drop
 * the old references after it.  Kernel threads, and every task before
 * its process gets a table of its own, use init_fs, whose root and
 * working directory are the root mount's root (set by vfs_init).
 */
#include <kestrel/errno.h>
#include <kestrel/fs_struct.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <uapi/linux/sched.h>

/* Guards task->fs when it changes (exit) against readers in other tasks. */
static spinlock_t task_fs_lock = SPINLOCK_INIT;

struct fs_struct init_fs = {
	.users = 1,
	.lock = SPINLOCK_INIT,
	.umask = 0022,
};

struct fs_struct *current_fs(void)
{
	struct fs_struct *fs = current->fs;

	return fs ? fs : &init_fs;
}

void get_fs_root(struct fs_struct *fs, struct path *root)
{
	spin_lock(&fs->lock);
	*root = fs->root;
	if (root->mnt)
		path_get(root);
	spin_unlock(&fs->lock);
}

void get_fs_pwd(struct fs_struct *fs, struct path *pwd)
{
	spin_lock(&fs->lock);
	*pwd = fs->pwd;
	if (pwd->mnt)
		path_get(pwd);
	spin_unlock(&fs->lock);
}

void set_fs_root(struct fs_struct *fs, const struct path *path)
{
	struct path old;

	path_get(path);
	spin_lock(&fs->lock);
	old = fs->root;
	fs->root = *path;
	spin_unlock(&fs->lock);
	if (old.mnt)
		path_put(&old);
}

void set_fs_pwd(struct fs_struct *fs, const struct path *path)
{
	struct path old;

	path_get(path);
	spin_lock(&fs->lock);
	old = fs->pwd;
	fs->pwd = *path;
	spin_unlock(&fs->lock);
	if (old.mnt)
		path_put(&old);
}

umode_t current_umask(void)
{
	return current_fs()->umask;
}

void fs_struct_init_root(const struct path *root)
{
	set_fs_root(&init_fs, root);
	set_fs_pwd(&init_fs, root);
}

static struct fs_struct *copy_fs_struct(struct fs_struct *old)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs), GFP_KERNEL);

	if (!fs)
		return NULL;
	fs->users = 1;
	spin_lock_init(&fs->lock);
	spin_lock(&old->lock);
	fs->umask = old->umask;
	fs->root = old->root;
	fs->pwd = old->pwd;
	if (fs->root.mnt)
		path_get(&fs->root);
	if (fs->pwd.mnt)
		path_get(&fs->pwd);
	spin_unlock(&old->lock);
	return fs;
}

struct fs_struct *get_task_fs(struct task *p)
{
	struct fs_struct *fs;

	spin_lock(&task_fs_lock);
	fs = p->fs ? p->fs : &init_fs;
	__atomic_add_fetch(&fs->users, 1, __ATOMIC_RELAXED);
	spin_unlock(&task_fs_lock);
	return fs;
}

int copy_fs(unsigned long clone_flags, struct task *p)
{
	struct fs_struct *fs = current->fs;

	if (fs && (clone_flags & CLONE_FS)) {
		__atomic_add_fetch(&fs->users, 1, __ATOMIC_RELAXED);
		p->fs = fs;
		return 0;
	}
	p->fs = copy_fs_struct(current_fs());
	return p->fs ? 0 : -ENOMEM;
}

void exit_fs(struct task *p)
{
	struct fs_struct *fs;

	spin_lock(&task_fs_lock);
	fs = p->fs;
	p->fs = NULL;
	spin_unlock(&task_fs_lock);
	put_fs_struct(fs);
}

void put_fs_struct(struct fs_struct *fs)
{
	if (!fs)
		return;
	if (__atomic_sub_fetch(&fs->users, 1, __ATOMIC_ACQ_REL) || fs == &init_fs)
		return;
	if (fs->root.mnt)
		path_put(&fs->root);
	if (fs->pwd.mnt)
		path_put(&fs->pwd);
	kfree(fs);
}
