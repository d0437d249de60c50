/*
 * base.c — /proc/<pid>: one directory per process, made at lookup
 * (proc(5): /proc/[pid]/stat, status, cmdline, environ, maps, comm,
 * mounts, fd/, exe, cwd, root).
 *
 * Every file finds its process again at open (proc_get_task, by id) and
 * reads what it needs under the locks of what it reads: tasklist_lock for
 * the family, the process's mmap_lock for its areas and its argument
 * and environment strings, which live in its memory — read through its
 * page tables, page by page (mm_page_at), never through the uaccess
 * helpers, which only reach the *current* address space.  A process that
 * exited meanwhile makes the open fail with ESRCH, as Linux does.
 *
 * The directory and its files belong to the process's effective user;
 * environ and the fd directory and links are for that user (and root)
 * only (EACCES), like Linux's ptrace access check.
 *
 * Known limit (lab 11, SMP): a task's mm and file table are picked up
 * under tasklist_lock, which the exiting task does not take; on one CPU
 * the lock (interrupts off) is enough, on several a per-task lock is
 * needed.
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/fs_struct.h>
#include <kestrel/mm.h>
#include <kestrel/mm_types.h>
#include <kestrel/mman.h>
#include <kestrel/mount.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>
#include <uapi/linux/dirent.h>
#include <uapi/linux/resource.h>

#include "../internal.h"
#include "internal.h"

#define NSEC_PER_TICK	10000000ULL	/* USER_HZ = 100 */

struct task *proc_get_task(int tgid)
{
	struct task *p, *found = NULL;
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	list_for_each_entry(p, &task_list, tasks) {
		if (p->pid == tgid && p->tgid == tgid &&
		    p->exit_state != EXIT_DEAD) {
			get_task_struct(p);
			found = p;
			break;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return found;
}

/* @p's address space with a reference (mmput it), or NULL. */
static struct mm *proc_task_mm(struct task *p)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct mm *mm = NULL;

	if (p->mm && !(p->flags & PF_EXITING)) {
		mm = p->mm;
		mmget(mm);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return mm;
}

/* /proc/<pid>/exe: the file @p's process runs, referenced. */
static int proc_exe_path(struct task *p, struct path *path)
{
	struct mm *mm = proc_task_mm(p);
	int err = -ENOENT;

	if (mm && mm->exe_file) {
		*path = mm->exe_file->f_path;
		path_get(path);
		err = 0;
	}
	if (mm)
		mmput(mm);
	return err;
}

/* May the current task look inside @p (environ, fd/, exe…)? */
static bool proc_may_access(struct task *p)
{
	return current_fsuid() == 0 ||
	       (p->cred && p->cred->euid == current_fsuid());
}

static char task_state_char(const struct task *p)
{
	if (p->exit_state == EXIT_ZOMBIE)
		return 'Z';
	if (p->exit_state == EXIT_DEAD)
		return 'X';
	if (p->state == TASK_RUNNING)
		return 'R';
	if (p->state & TASK_UNINTERRUPTIBLE)
		return 'D';
	if (p->state & TASK_STOPPED)
		return 'T';
	return 'S';
}

static const char *task_state_name(char c)
{
	switch (c) {
	case 'R': return "running";
	case 'D': return "disk sleep";
	case 'T': return "stopped";
	case 'Z': return "zombie";
	case 'X': return "dead";
	default: return "sleeping";
	}
}

/* Copy [@start, @end) of @mm's memory into @m (absent pages as zeros). */
static void proc_copy_mm(struct proc_buf *m, struct mm *mm,
			 unsigned long start, unsigned long end)
{
	unsigned long addr, n;
	struct page *page;

	mutex_lock(&mm->mmap_lock);
	for (addr = start; addr < end && !m->overflow; addr += n) {
		n = MIN(end - addr, PAGE_SIZE - (addr & (PAGE_SIZE - 1)));
		page = mm_page_at(mm, addr & ~(PAGE_SIZE - 1));
		if (page)
			proc_write(m, (char *)page_to_virt(page) +
				   (addr & (PAGE_SIZE - 1)), n);
		else
			while (m->len < m->cap && n--)	/* never touched: zeros */
				m->data[m->len++] = 0;
	}
	mutex_unlock(&mm->mmap_lock);
}

/* The process of @pi, referenced; -ESRCH when it is gone. */
#define WITH_TASK(pi, p)						\
	struct task *p = proc_get_task((pi)->pid);			\
	if (!p)								\
		return -ESRCH

static int show_cmdline(struct proc_buf *m, struct proc_inode *pi)
{
	WITH_TASK(pi, p);
	struct mm *mm = proc_task_mm(p);

	if (mm) {
		proc_copy_mm(m, mm, mm->arg_start, mm->arg_end);
		mmput(mm);
	}
	put_task_struct(p);
	return 0;
}

static int show_environ(struct proc_buf *m, struct proc_inode *pi)
{
	WITH_TASK(pi, p);
	struct mm *mm = proc_may_access(p) ? proc_task_mm(p) : NULL;
	int err = proc_may_access(p) ? 0 : -EACCES;

	if (mm) {
		proc_copy_mm(m, mm, mm->env_start, mm->env_end);
		mmput(mm);
	}
	put_task_struct(p);
	return err;
}

static int show_comm(struct proc_buf *m, struct proc_inode *pi)
{
	WITH_TASK(pi, p);

	proc_printf(m, "%s\n", p->comm);
	put_task_struct(p);
	return 0;
}

static int show_mounts(struct proc_buf *m, struct proc_inode *pi)
{
	WITH_TASK(pi, p);
	struct path root;
	int err = proc_task_path(p, 'r', &root);

	if (!err) {
		mounts_show(&root, proc_emit, m);
		path_put(&root);
	}
	put_task_struct(p);
	return err;
}

/* Threads of @p's process that have not exited. */
static int nr_threads(struct task *p)
{
	return p->signal ? p->signal->nr_threads : 1;
}

static u64 ticks(u64 ns)
{
	return ns / NSEC_PER_TICK;
}

/* /proc/<pid>/stat: proc(5)'s 52 fields, in its order. */
static int show_stat(struct proc_buf *m, struct proc_inode *pi)
{
	WITH_TASK(pi, p);
	struct mm *mm = proc_task_mm(p);
	char state = task_state_char(p);
	int ppid = p->parent ? p->parent->tgid : 0;

	proc_printf(m, "%d (%s) %c %d %d %d 0 -1 %u %lu 0 0 0 %llu 0 0 0 %d %d %d 0 %llu ",
		    p->tgid, p->comm, state, ppid, p->tgid, p->tgid,
		    p->flags, p->min_flt,
		    (unsigned long long)ticks(p->se.sum_exec_runtime),
		    p->static_prio - 100, task_nice(p), nr_threads(p),
		    (unsigned long long)ticks(p->start_time));
	proc_printf(m, "%lu %ld %lu %lu %lu %lu 0 0 0 0 0 0 0 0 0 %d %d 0 0 0 0 0 ",
		    mm ? mm->total_vm * PAGE_SIZE : 0, mm ? mm->rss : 0,
		    (unsigned long)RLIM_INFINITY, mm ? mm->start_code : 0,
		    mm ? mm->end_code : 0, mm ? mm->start_stack : 0,
		    p->exit_signal, p->cpu);
	proc_printf(m, "%lu %lu %lu %lu %lu %lu %lu %d\n",
		    mm ? mm->start_data : 0, mm ? mm->end_data : 0,
		    mm ? mm->start_brk : 0, mm ? mm->arg_start : 0,
		    mm ? mm->arg_end : 0, mm ? mm->env_start : 0,
		    mm ? mm->env_end : 0,
		    p->exit_state ? p->exit_code : 0);
	if (mm)
		mmput(mm);
	put_task_struct(p);
	return 0;
}

/* The Uid:/Gid: lines and the memory lines of /proc/<pid>/status. */
static void status_ids_and_memory(struct proc_buf *m, struct task *p)
{
	const struct cred *c = p->cred;
	struct mm *mm = proc_task_mm(p);
	int i;

	if (c) {
		proc_printf(m, "Uid:\t%u\t%u\t%u\t%u\n", c->uid, c->euid,
			    c->suid, c->fsuid);
		proc_printf(m, "Gid:\t%u\t%u\t%u\t%u\n", c->gid, c->egid,
			    c->sgid, c->fsgid);
	}
	proc_printf(m, "FDSize:\t%u\nGroups:\t", p->files ? p->files->max_fds : 0);
	for (i = 0; c && i < c->ngroups; i++)
		proc_printf(m, "%u ", c->groups[i]);
	proc_printf(m, "\n");
	if (mm) {
		struct vm_area *stack;
		unsigned long stk = 0;

		mutex_lock(&mm->mmap_lock);
		stack = find_vma(mm, mm->start_stack);
		if (stack)
			stk = (stack->vm_end - stack->vm_start) / 1024;
		mutex_unlock(&mm->mmap_lock);
		proc_printf(m, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\n",
			    mm->total_vm * 4, mm->total_vm * 4);
		proc_printf(m, "VmRSS:\t%8lu kB\nVmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\n",
			    (unsigned long)mm->rss * 4,
			    (mm->brk - mm->start_data) / 1024, stk,
			    (mm->end_code - mm->start_code) / 1024);
		mmput(mm);
	}
}

static int show_status(struct proc_buf *m, struct proc_inode *pi)
{
	WITH_TASK(pi, p);
	char state = task_state_char(p);

	proc_printf(m, "Name:\t%s\nUmask:\t%04o\nState:\t%c (%s)\n", p->comm,
		    p->fs ? p->fs->umask : 022, state, task_state_name(state));
	proc_printf(m, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n",
		    p->tgid, p->pid, p->parent ? p->parent->tgid : 0);
	status_ids_and_memory(m, p);
	proc_printf(m, "Threads:\t%d\n", nr_threads(p));
	proc_printf(m, "SigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\n");
	proc_printf(m, "SigBlk:\t%016llx\n", (unsigned long long)p->blocked);
	proc_printf(m, "voluntary_ctxt_switches:\t%llu\nnonvoluntary_ctxt_switches:\t%llu\n",
		    (unsigned long long)p->nvcsw, (unsigned long long)p->nivcsw);
	put_task_struct(p);
	return 0;
}

/* The name /proc/<pid>/maps shows for @vma ("" for plain memory):
 * the program's file for its segments, [heap], [stack]. */
static const char *vma_name(const struct vm_area *vma, const struct mm *mm,
			    char *buf)
{
	char *name;

	if (mm->exe_file && vma->vm_start >= ALIGN_DOWN(mm->start_code, PAGE_SIZE) &&
	    vma->vm_start < mm->end_data) {
		name = d_path(&mm->exe_file->f_path, &current_fs()->root, buf,
			      PATH_MAX);
		if (!IS_ERR(name))
			return name;
	}
	if (vma->vm_start >= mm->start_brk && vma->vm_start < mm->brk)
		return "[heap]";
	if (vma->vm_start <= mm->start_stack && vma->vm_end > mm->start_stack)
		return "[stack]";
	return "";
}

static int show_maps(struct proc_buf *m, struct proc_inode *pi)
{
	WITH_TASK(pi, p);
	struct mm *mm = proc_task_mm(p);
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);
	struct vm_area *vma;
	const char *name;
	size_t start;

	if (mm && buf) {
		mutex_lock(&mm->mmap_lock);
		list_for_each_entry(vma, &mm->mmap, vm_list) {
			start = m->len;
			name = vma_name(vma, mm, buf);
			proc_printf(m, "%08lx-%08lx %c%c%c%c %08lx 00:00 0",
				    vma->vm_start, vma->vm_end,
				    vma->vm_flags & VM_READ ? 'r' : '-',
				    vma->vm_flags & VM_WRITE ? 'w' : '-',
				    vma->vm_flags & VM_EXEC ? 'x' : '-',
				    vma->vm_flags & VM_SHARED ? 's' : 'p',
				    vma->vm_pgoff << PAGE_SHIFT);
			if (*name)	/* the name starts in column 74 */
				proc_printf(m, "%*s%s", (int)MAX(1, 73 - (int)(m->len - start)),
					    "", name);
			proc_printf(m, "\n");
		}
		mutex_unlock(&mm->mmap_lock);
	}
	if (mm)
		mmput(mm);
	kfree(buf);
	put_task_struct(p);
	return 0;
}

/* --- the links: exe, cwd, root --------------------------------------------- */

/* Where @pi's link points: 'c' cwd, 'r' root, 'e' exe. */
static int proc_link_path(struct dentry *dentry, struct path *path)
{
	struct proc_inode *pi = PROC_I(dentry->d_inode);
	struct task *p = proc_get_task(pi->pid);
	int err;

	if (!p)
		return -ENOENT;
	err = proc_may_access(p) ? proc_task_path(p, pi->fd, path) : -EACCES;
	if (err == -ENOENT && pi->fd == 'e')
		err = proc_exe_path(p, path);
	put_task_struct(p);
	return err;
}

static const char *proc_link_get_link(struct dentry *dentry,
				      struct inode *inode, char *buf)
{
	struct path path;
	char *name;
	int err = proc_link_path(dentry, &path);

	if (err)
		return ERR_PTR(err);
	name = d_path(&path, &current_fs()->root, buf, PATH_MAX);
	path_put(&path);
	if (!IS_ERR(name) && name != buf)
		memmove(buf, name, strlen(name) + 1);
	return IS_ERR(name) ? (const char *)name : buf;
}

static const struct inode_operations proc_link_iops = {
	.get_link = proc_link_get_link,
	.jump_link = proc_link_path,
};

/* The entries of every /proc/<pid>; for links, fd says which. */
static const struct proc_entry pid_entries[] = {
	{ "cmdline", S_IFREG | 0444, .show = show_cmdline },
	{ "comm", S_IFREG | 0644, .show = show_comm },
	{ "cwd", S_IFLNK | 0777, .iop = &proc_link_iops },
	{ "environ", S_IFREG | 0400, .show = show_environ },
	{ "exe", S_IFLNK | 0777, .iop = &proc_link_iops },
	{ "fd", S_IFDIR | 0500, .iop = &proc_fd_dir_iops, .fop = &proc_fd_dir_fops },
	{ "maps", S_IFREG | 0444, .show = show_maps },
	{ "mounts", S_IFREG | 0444, .show = show_mounts },
	{ "root", S_IFLNK | 0777, .iop = &proc_link_iops },
	{ "stat", S_IFREG | 0444, .show = show_stat },
	{ "status", S_IFREG | 0444, .show = show_status },
};

/* Files and links of a process belong to its effective user. */
static void proc_task_owner(struct inode *inode, int pid)
{
	struct task *p = proc_get_task(pid);

	if (p && p->cred) {
		inode->i_uid = p->cred->euid;
		inode->i_gid = p->cred->egid;
	}
	if (p)
		put_task_struct(p);
}

static struct dentry *proc_pid_dir_lookup(struct inode *dir,
					  struct dentry *dentry)
{
	int pid = PROC_I(dir)->pid;
	unsigned int i;
	int err = proc_lookup_entry(dentry, pid_entries,
				    ARRAY_SIZE(pid_entries), pid);

	if (err == -ENOENT)
		return NULL;		/* negative, unhashed */
	if (err)
		return ERR_PTR(err);
	for (i = 0; i < ARRAY_SIZE(pid_entries); i++)
		if (PROC_I(dentry->d_inode)->entry == &pid_entries[i])
			break;
	/* Links: which one, in the fd field ('c', 'e', 'r'). */
	if (S_ISLNK(pid_entries[i].mode))
		PROC_I(dentry->d_inode)->fd = pid_entries[i].name[0];
	proc_task_owner(dentry->d_inode, pid);
	return NULL;
}

static int proc_pid_dir_readdir(struct file *file, struct dir_context *ctx)
{
	return proc_readdir_entries(file, ctx, pid_entries,
				    ARRAY_SIZE(pid_entries));
}

const struct inode_operations proc_pid_dir_iops = {
	.lookup = proc_pid_dir_lookup,
};

const struct file_operations proc_pid_dir_fops = {
	.llseek = generic_file_llseek,
	.iterate = proc_pid_dir_readdir,
};

static const struct proc_entry pid_dir_entry = {
	"pid", S_IFDIR | 0555, .iop = &proc_pid_dir_iops, .fop = &proc_pid_dir_fops,
};

/* --- the dentries of processes ------------------------------------------------ */

/* Still valid while the process exists (zombies included). */
static int proc_pid_revalidate(struct dentry *dentry, unsigned int flags)
{
	struct task *p;

	if (!dentry->d_inode)
		return 0;
	p = proc_get_task(PROC_I(dentry->d_inode)->pid);
	if (!p)
		return 0;
	put_task_struct(p);
	return 1;
}

static bool proc_pid_delete(const struct dentry *dentry)
{
	return true;	/* processes come and go: cache nothing unused */
}

const struct dentry_operations proc_pid_dentry_operations = {
	.d_revalidate = proc_pid_revalidate,
	.d_delete = proc_pid_delete,
};

int proc_pid_lookup(struct inode *dir, struct dentry *dentry, int pid)
{
	struct task *p = proc_get_task(pid);
	struct inode *inode;

	if (!p)
		return -ENOENT;
	put_task_struct(p);
	inode = proc_make_inode(dir->i_sb, &pid_dir_entry, pid, -1);
	if (!inode)
		return -ENOMEM;
	proc_task_owner(inode, pid);
	set_nlink(inode, 2 + 1);	/* ".", "..", "fd" */
	dentry->d_op = &proc_pid_dentry_operations;	/* its children inherit it */
	d_add(dentry, inode);
	return 0;
}

/* The smallest process id ≥ @from, or 0. */
static int next_tgid(int from)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *p;
	int best = 0;

	list_for_each_entry(p, &task_list, tasks)
		if (p->pid > 0 && p->pid == p->tgid && p->pid >= from &&
		    p->exit_state != EXIT_DEAD && (!best || p->pid < best))
			best = p->pid;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return best;
}

int proc_readdir_pids(struct file *file, struct dir_context *ctx, loff_t base)
{
	char name[16];
	int pid;

	while ((pid = next_tgid(ctx->pos - base))) {
		ctx->pos = base + pid;
		if (!dir_emit(ctx, name, snprintf(name, sizeof(name), "%d", pid),
			      1, DT_DIR))
			return 0;
		ctx->pos = base + pid + 1;
	}
	return 0;
}
