/*
 * locks.c — advisory file locks (kestrel/filelock.h): fcntl(2)'s POSIX
 * record locks and open file description (OFD) locks, flock(2), and
 * /proc/locks.
 *
 * Every lock held, of every file, is a struct file_lock (lockrange.h) on
 * one list, file_locks; the requests that wait are struct lock_waiter
 * entries on another, lock_waiters, saying who waits for whom.  One
 * mutex, file_lock_mutex, guards both; one wait queue, file_lock_wq,
 * is woken whenever a lock is given up, and every waiter then tries its
 * request again.  A teaching kernel holds few locks: one list is simple
 * and fast enough (Linux keeps a list per inode).
 *
 * Who owns a lock (fcntl(2), flock(2)):
 *	POSIX  the process's descriptor table: every thread shares them,
 *	       fork's child holds none, and any close(2) of any descriptor
 *	       of the file by the process drops them all (fdtable.c calls
 *	       locks_remove_posix on every close, and on the table's end
 *	       at exit)
 *	OFD    the open file description (struct file): shared through
 *	       dup and fork, dropped at the last close (fput calls
 *	       locks_remove_file)
 *	flock  the same owner as OFD, the whole file, another family
 *
 * A wait that would close a cycle of POSIX owners — A waits for B, B
 * waits (directly or through others) for A — is refused with EDEADLK
 * (fcntl(2)); OFD and flock waits are not checked, as in Linux.
 *
 * The lost-wake-up argument: a waiter puts itself on file_lock_wq
 * (prepare_to_wait) before it drops the mutex under which it saw the
 * conflict; whoever gives a lock up does so under the mutex and wakes
 * the queue after, so the wake-up finds the waiter on the queue.
 */
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/filelock.h>
#include <kestrel/fs.h>
#include <kestrel/sprintf.h>
#include <kestrel/mutex.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <kestrel/wait.h>

#include "lockrange.h"

#define DEADLOCK_MAX_DEPTH	16	/* owners followed looking for a cycle */

/**
 * struct lock_waiter - a request waiting for a conflicting lock to go
 * @list: on lock_waiters
 * @req: what it asks for (not on file_locks)
 * @blocker: the owner of the lock it last found in its way
 */
struct lock_waiter {
	struct list_head list;
	struct file_lock *req;
	const void *blocker;
};

static DEFINE_MUTEX(file_lock_mutex);
static struct list_head file_locks = LIST_HEAD_INIT(file_locks);
static struct list_head lock_waiters = LIST_HEAD_INIT(lock_waiters);
static DECLARE_WAIT_QUEUE_HEAD(file_lock_wq);

static void free_locks(struct list_head *freed)
{
	struct file_lock *fl, *next;

	list_for_each_entry_safe(fl, next, freed, fl_list)
		kfree(fl);
}

/*
 * Would @req, waiting for a lock of @blocker, close a cycle?  Follow
 * who each POSIX owner waits for, starting at @blocker, and see whether
 * the chain comes back to @req's owner.  file_lock_mutex held.
 */
static bool posix_deadlock(const struct file_lock *req, const void *blocker)
{
	struct lock_waiter *w;
	int depth;

	for (depth = 0; depth < DEADLOCK_MAX_DEPTH; depth++) {
		if (blocker == req->fl_owner)
			return true;
		list_for_each_entry(w, &lock_waiters, list)
			if (w->req->fl_flags == FL_POSIX && w->req->fl_owner == blocker)
				break;
		if (&w->list == &lock_waiters)
			return false;	/* @blocker waits for nobody */
		blocker = w->blocker;
	}
	return false;
}

/*
 * Grant @req (a new struct file_lock, or F_UNLCK), waiting for
 * conflicting locks to go if @wait.  @req is ours to free or link.
 * 0 or -errno (fcntl_setlk's list).
 */
static int lock_file(struct file_lock *req, bool wait)
{
	struct file_lock *spare, *conflict;
	struct lock_waiter w = { .req = req };
	struct wait_queue_entry we;
	struct list_head freed = LIST_HEAD_INIT(freed);
	bool changed;
	int err = 0;

	spare = kmalloc(sizeof(*spare), GFP_KERNEL);
	if (!spare) {
		kfree(req);
		return -ENOMEM;
	}
	init_wait_entry(&we, 0);
	mutex_lock(&file_lock_mutex);
	for (;;) {
		conflict = req->fl_type == F_UNLCK ? NULL :
			   lock_find_conflict(&file_locks, req);
		if (!conflict)
			break;
		err = -EAGAIN;
		if (!wait)
			goto out_unlock;
		err = -EDEADLK;
		if (req->fl_flags == FL_POSIX && conflict->fl_flags == FL_POSIX &&
		    posix_deadlock(req, conflict->fl_owner))
			goto out_unlock;
		w.blocker = conflict->fl_owner;
		list_add_tail(&w.list, &lock_waiters);
		prepare_to_wait(&file_lock_wq, &we, TASK_INTERRUPTIBLE);
		mutex_unlock(&file_lock_mutex);
		if (!signal_pending(current))
			schedule();
		finish_wait(&file_lock_wq, &we);
		mutex_lock(&file_lock_mutex);
		list_del(&w.list);
		err = -ERESTARTSYS;
		if (signal_pending(current))
			goto out_unlock;
	}
	err = 0;
	changed = lock_apply(&file_locks, req, &spare, &freed);
	if (req->fl_type == F_UNLCK)
		list_add(&req->fl_list, &freed);
	mutex_unlock(&file_lock_mutex);
	if (changed)
		wake_up_all(&file_lock_wq);
	free_locks(&freed);
	kfree(spare);
	return 0;
out_unlock:
	mutex_unlock(&file_lock_mutex);
	kfree(req);
	kfree(spare);
	return err;
}

/* Drop the locks @match picks, and wake the waiters if there were any. */
static void remove_locks(bool (*match)(const struct file_lock *fl,
				       const void *a, const void *b),
			 const void *a, const void *b)
{
	struct list_head freed = LIST_HEAD_INIT(freed);
	struct file_lock *fl, *next;

	/* Every close comes here: with no lock held anywhere, skip the
	 * mutex.  A lock of this file could only be added by a system call
	 * holding a reference to it, which the closing side orders with. */
	if (__atomic_load_n(&file_locks.next, __ATOMIC_ACQUIRE) == &file_locks)
		return;
	mutex_lock(&file_lock_mutex);
	list_for_each_entry_safe(fl, next, &file_locks, fl_list)
		if (match(fl, a, b))
			list_move(&fl->fl_list, &freed);
	mutex_unlock(&file_lock_mutex);
	if (!list_empty(&freed)) {
		wake_up_all(&file_lock_wq);
		free_locks(&freed);
	}
}

static bool posix_of(const struct file_lock *fl, const void *inode,
		     const void *owner)
{
	return fl->fl_flags == FL_POSIX && fl->fl_inode == inode &&
	       fl->fl_owner == owner;
}

static bool owned_by_file(const struct file_lock *fl, const void *file,
			  const void *unused)
{
	return fl->fl_flags != FL_POSIX && fl->fl_owner == file;
}

static bool flock_of_other_type(const struct file_lock *fl, const void *file,
				const void *type)
{
	return fl->fl_flags == FL_FLOCK && fl->fl_owner == file &&
	       fl->fl_type != *(const int *)type;
}

void locks_remove_posix(struct file *file, const void *owner)
{
	remove_locks(posix_of, file->f_inode, owner);
}

void locks_remove_file(struct file *file)
{
	remove_locks(owned_by_file, file, NULL);
}

/* --- fcntl ------------------------------------------------------------------- */

static bool is_ofd(unsigned int cmd)
{
	return cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
}

/*
 * Fill @req from the user's *@l for @file: owner, kind, range.  Checks
 * l_whence, the range and (OFD) l_pid; not l_type.  0 or -errno.
 */
static int flock_to_lock(struct file *file, unsigned int cmd,
			 const struct flock *l, struct file_lock *req)
{
	long long base;

	switch (l->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = file->f_pos;
		break;
	case SEEK_END:
		base = file->f_inode->i_size;
		break;
	default:
		return -EINVAL;
	}
	list_init(&req->fl_list);
	req->fl_inode = file->f_inode;
	req->fl_type = l->l_type;
	if (is_ofd(cmd)) {
		if (l->l_pid)
			return -EINVAL;	/* fcntl(2): "l_pid must be set to zero" */
		req->fl_flags = FL_OFD;
		req->fl_owner = file;
		req->fl_pid = -1;
	} else {
		req->fl_flags = FL_POSIX;
		req->fl_owner = current_files();
		req->fl_pid = current->tgid;
	}
	return lock_range_from_user(base, l->l_start, l->l_len,
				    &req->fl_start, &req->fl_end);
}

long fcntl_getlk(struct file *file, unsigned int cmd, struct flock __user *ufl)
{
	struct file_lock req, *fl;
	struct flock l;
	int err;

	if (copy_from_user(&l, ufl, sizeof(l)))
		return -EFAULT;
	if (l.l_type != F_RDLCK && l.l_type != F_WRLCK)
		return -EINVAL;
	err = flock_to_lock(file, cmd, &l, &req);
	if (err)
		return err;
	mutex_lock(&file_lock_mutex);
	fl = lock_find_conflict(&file_locks, &req);
	if (fl) {
		l.l_type = fl->fl_type;
		l.l_whence = SEEK_SET;
		l.l_start = fl->fl_start;
		l.l_len = fl->fl_end == LOCK_OFFSET_MAX ? 0 :
			  fl->fl_end - fl->fl_start + 1;
		l.l_pid = fl->fl_pid;
	} else {
		l.l_type = F_UNLCK;
	}
	mutex_unlock(&file_lock_mutex);
	return copy_to_user(ufl, &l, sizeof(l)) ? -EFAULT : 0;
}

long fcntl_setlk(struct file *file, unsigned int cmd, struct flock __user *ufl)
{
	struct file_lock *req;
	struct flock l;
	int err;

	if (copy_from_user(&l, ufl, sizeof(l)))
		return -EFAULT;
	if (l.l_type != F_RDLCK && l.l_type != F_WRLCK && l.l_type != F_UNLCK)
		return -EINVAL;
	if ((l.l_type == F_RDLCK && !(file->f_mode & FMODE_READ)) ||
	    (l.l_type == F_WRLCK && !(file->f_mode & FMODE_WRITE)))
		return -EBADF;
	req = kmalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	err = flock_to_lock(file, cmd, &l, req);
	if (err) {
		kfree(req);
		return err;
	}
	return lock_file(req, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

/* --- flock ------------------------------------------------------------------- */

long sys_flock(unsigned int fd, unsigned int op)
{
	struct file *file = fget(fd);
	struct file_lock *req;
	unsigned int how = op & ~LOCK_NB;
	long err;

	if (!file)
		return -EBADF;
	err = -EINVAL;
	if (how != LOCK_SH && how != LOCK_EX && how != LOCK_UN)
		goto out;
	err = -ENOMEM;
	req = kmalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		goto out;
	*req = (struct file_lock){
		.fl_inode = file->f_inode, .fl_owner = file,
		.fl_flags = FL_FLOCK, .fl_start = 0, .fl_end = LOCK_OFFSET_MAX,
		.fl_pid = current->tgid,
		.fl_type = how == LOCK_SH ? F_RDLCK : how == LOCK_EX ? F_WRLCK : F_UNLCK,
	};
	list_init(&req->fl_list);
	/* flock(2): a conversion is not atomic — the old lock goes first,
	 * then the new one is waited for. */
	if (req->fl_type != F_UNLCK)
		remove_locks(flock_of_other_type, file, &req->fl_type);
	err = lock_file(req, !(op & LOCK_NB));
out:
	fput(file);
	return err;
}

/* --- /proc/locks ------------------------------------------------------------- */

/* One line of /proc/locks for @fl, the @id'th (proc(5); the columns
 * are Linux's fs/locks.c lock_get_status). */
static int lock_line(char *buf, size_t cap, int id, const struct file_lock *fl)
{
	const char *kind = fl->fl_flags == FL_FLOCK ? "FLOCK " :
			   fl->fl_flags == FL_OFD ? "OFDLCK" : "POSIX ";
	const struct inode *inode = fl->fl_inode;
	dev_t dev = inode->i_sb->s_dev;
	int n;

	n = snprintf(buf, cap, "%d: %s ADVISORY  %s %d %02x:%02x:%lu %lld ",
		     id, kind, fl->fl_type == F_WRLCK ? "WRITE" : "READ ",
		     fl->fl_pid, MAJOR(dev), MINOR(dev), inode->i_ino,
		     fl->fl_start);
	if (fl->fl_end == LOCK_OFFSET_MAX)
		n += snprintf(buf + n, cap - n, "EOF\n");
	else
		n += snprintf(buf + n, cap - n, "%lld\n", fl->fl_end);
	return n;
}

void locks_show(void (*emit)(void *arg, const char *line, size_t len),
		void *arg)
{
	struct file_lock *fl;
	char line[128];
	int id = 0, n;

	mutex_lock(&file_lock_mutex);
	list_for_each_entry(fl, &file_locks, fl_list) {
		n = lock_line(line, sizeof(line), ++id, fl);
		emit(arg, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	}
	mutex_unlock(&file_lock_mutex);
}
