/*
 * task.c — /proc/<pid>/task: one directory per thread of the process,
 * named by its thread id (proc(5) "/proc/[pid]/task"), each holding
 * the files of /proc/<pid> but "task" (base.c), about that thread:
 * stat's first field and status's Pid: are its tid, comm is its name.
 * busybox's ps -T and top -H list threads from here.
 *
 * The directory is made for the thread group of the task it stands
 * for, so /proc/<tid>/task lists the same threads as /proc/<pid>/task.
 * readdir lists the live threads in the order of their ids at
 * positions 2 + tid, so a listing interrupted halfway resumes after the
 * last thread it returned, whatever came and went meanwhile; a lookup
 * finds a thread of this group only (ENOENT for any other id).
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/sprintf.h>
#include <uapi/linux/dirent.h>

#include "internal.h"

/* The thread group id of the task @dir stands for, or 0 if it is gone. */
static int dir_tgid(struct inode *dir)
{
	struct task *p = proc_get_task(PROC_I(dir)->pid);
	int tgid = p ? p->tgid : 0;

	if (p)
		put_task_struct(p);
	return tgid;
}

static struct dentry *proc_task_dir_lookup(struct inode *dir,
					   struct dentry *dentry)
{
	int tid = proc_name_to_id(&dentry->d_name);
	int tgid = dir_tgid(dir), err;
	struct task *p = tid ? proc_get_task(tid) : NULL;
	bool ours = p && tgid && p->tgid == tgid;

	if (p)
		put_task_struct(p);
	if (!ours)
		return NULL;	/* negative, unhashed: threads come and go */
	err = proc_tid_lookup(dir, dentry, tid);
	return err ? ERR_PTR(err) : NULL;
}

/* The smallest id ≥ @from of a live thread of group @tgid, or 0. */
static int next_tid(int tgid, int from)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *p;
	int best = 0;

	list_for_each_entry(p, &task_list, tasks)
		if (p->tgid == tgid && p->pid >= from &&
		    p->exit_state != EXIT_DEAD && (!best || p->pid < best))
			best = p->pid;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return best;
}

static int proc_task_dir_readdir(struct file *file, struct dir_context *ctx)
{
	int tgid = dir_tgid(file->f_inode), tid;
	char name[16];

	if (!dir_emit_dots(file, ctx) || !tgid)
		return 0;
	while ((tid = next_tid(tgid, ctx->pos - 2))) {
		ctx->pos = 2 + tid;
		if (!dir_emit(ctx, name, snprintf(name, sizeof(name), "%d", tid),
			      1, DT_DIR))
			return 0;
		ctx->pos = 2 + tid + 1;
	}
	return 0;
}

const struct inode_operations proc_task_dir_iops = {
	.lookup = proc_task_dir_lookup,
};

const struct file_operations proc_task_dir_fops = {
	.llseek = generic_file_llseek,
	.iterate = proc_task_dir_readdir,
};
