/*
 * exec.c — execve(2): replacing the program a process runs
 * (kestrel/binfmts.h tells the structure and the point of no return).
 *
 *	execve(filename, argv, envp)
 *	  1. copy the file name, argv and envp into the kernel (they live
 *	     in the address space about to be destroyed): bprm->strings
 *	  2. find the file in the initrd; "#!" → the script's interpreter
 *	     becomes the program (argv becomes interp [arg] script argv[1..]),
 *	     at most BINPRM_MAX_RECURSION deep; an ELF file → the ELF loader,
 *	     which builds the new address space in bprm->mm
 *	  --- the point of no return ---
 *	  3. kill the process's other threads and wait for them to go
 *	     (de_thread); if the caller is not the group leader it takes the
 *	     leader's place, pid included, as Linux does
 *	  4. install the new address space, drop the old (exec_mmap): a
 *	     vfork parent is released here
 *	  5. write the initial stack, point the user registers at the entry
 *
 * Limits (execve(2)): one string of at most MAX_ARG_STRLEN bytes, all of
 * them together at most a quarter of the stack limit (E2BIG); an empty
 * argv is allowed (argc = 0, as Linux still accepts it).
 */
#include <asm/user_thread.h>
#include <kestrel/binfmts.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/fpu.h>
#include <kestrel/initrd.h>
#include <kestrel/mman.h>
#include <kestrel/printk.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <kestrel/vmalloc.h>
#include <uapi/asm-generic/signal.h>
#include <uapi/linux/resource.h>

/* Small buffers from kmalloc, large ones (up to the 2 MiB limit) from vmalloc. */
static void *kvmalloc(size_t size)
{
	return size <= 16 * PAGE_SIZE ? kmalloc(size, GFP_KERNEL) : vmalloc(size);
}

static void kvfree(void *p)
{
	if (is_vmalloc_addr(p))
		vfree(p);
	else
		kfree(p);
}

/* argv/envp: in user memory (execve) or in the kernel (the first process). */
struct arg_vector {
	const void *ptr;
	bool kernel;
};

/* Entry @i of @v: a string pointer, NULL at the end; ERR_PTR on a fault. */
static const char *vector_get(struct arg_vector v, long i)
{
	const char __user *s;

	if (!v.ptr)
		return NULL;
	if (v.kernel)
		return ((const char *const *)v.ptr)[i];
	if (get_user(s, (const char __user *const __user *)v.ptr + i))
		return ERR_PTR(-EFAULT);
	return s;
}

/* Bytes of the strings together at most: a quarter of the stack limit,
 * at least 128 KiB (Linux's rule). */
static size_t arg_limit(void)
{
	unsigned long stack = current->signal ?
			      task_rlimit(current, RLIMIT_STACK) : 8UL << 20;

	return MAX(stack / 4, 32 * PAGE_SIZE);
}

/* Room for what #! scripts add to argv: interpreter, argument, path. */
#define SCRIPT_SLACK	(BINPRM_MAX_RECURSION * (2 * BINPRM_BUF_SIZE + CPIO_PATH_MAX))

/*
 * Measure the strings of @v: their count and total bytes (NULs included),
 * or -EFAULT / -E2BIG.  Copying is a second pass (copy_strings), so that
 * the buffer is allocated at its exact size rather than at the limit.
 */
static long measure_strings(struct arg_vector v, size_t limit, int *count)
{
	size_t total = 0;
	const char *s;
	long i, len;

	for (i = 0;; i++) {
		s = vector_get(v, i);
		if (!s)
			break;
		if (IS_ERR(s))
			return PTR_ERR(s);
		len = v.kernel ? (long)strlen(s) + 1 :
				 strnlen_user((const char __user *)s, MAX_ARG_STRLEN);
		if (len == 0)
			return -EFAULT;
		if (len > MAX_ARG_STRLEN || i >= MAX_ARG_STRINGS || total + len > limit)
			return -E2BIG;
		total += len;
	}
	*count = i;
	return total;
}

/* Copy the @count strings of @v after what bprm->strings holds. */
static int copy_strings(struct linux_binprm *bprm, struct arg_vector v,
			int count)
{
	const char *s;
	long i, len, room;

	for (i = 0; i < count; i++) {
		s = vector_get(v, i);
		if (IS_ERR_OR_NULL(s))
			return s ? PTR_ERR(s) : -EFAULT;	/* changed under us */
		room = bprm->strings_size - bprm->strings_len;
		if (v.kernel) {
			len = strscpy(bprm->strings + bprm->strings_len, s, room);
		} else {
			len = strncpy_from_user(bprm->strings + bprm->strings_len,
						(const char __user *)s, room);
			if (len == room)
				len = -E2BIG;	/* grew since it was measured */
		}
		if (len < 0)
			return len == -EFAULT ? -EFAULT : -E2BIG;
		bprm->strings_len += len + 1;
	}
	return 0;
}

/* Measure argv and envp, allocate bprm->strings, copy both. */
static int copy_args(struct linux_binprm *bprm, struct arg_vector argv,
		     struct arg_vector envp)
{
	long alen, elen;
	int err;

	alen = measure_strings(argv, arg_limit(), &bprm->argc);
	if (alen < 0)
		return alen;
	elen = measure_strings(envp, arg_limit() - alen, &bprm->envc);
	if (elen < 0)
		return elen;
	bprm->strings_size = alen + elen + SCRIPT_SLACK;
	bprm->strings = kvmalloc(bprm->strings_size);
	if (!bprm->strings)
		return -ENOMEM;
	err = copy_strings(bprm, argv, bprm->argc);
	return err ?: copy_strings(bprm, envp, bprm->envc);
}

static struct linux_binprm *bprm_alloc(const char *filename)
{
	struct linux_binprm *bprm = kzalloc(sizeof(*bprm), GFP_KERNEL);

	if (!bprm)
		return NULL;
	bprm->filename = filename;
	strscpy(bprm->path, filename, sizeof(bprm->path));
	return bprm;
}

static void bprm_free(struct linux_binprm *bprm)
{
	bprm_put_file(bprm);
	if (bprm->mm)
		mmput(bprm->mm);
	if (bprm->strings)
		kvfree(bprm->strings);
	kfree(bprm);
}

/* Replace argv[0] by "interp [arg] script": shift the strings. */
static int script_argv(struct linux_binprm *bprm, const char *interp,
		       const char *arg)
{
	size_t old0 = bprm->argc ? strlen(bprm->strings) + 1 : 0;
	size_t add = strlen(interp) + 1 + (arg ? strlen(arg) + 1 : 0) +
		     strlen(bprm->path) + 1;
	char *p;

	if (bprm->strings_len - old0 + add > bprm->strings_size)
		return -E2BIG;
	memmove(bprm->strings + add, bprm->strings + old0,
		bprm->strings_len - old0);
	p = bprm->strings;
	p += strscpy(p, interp, add) + 1;
	if (arg)
		p += strscpy(p, arg, add) + 1;
	strscpy(p, bprm->path, add);
	bprm->strings_len += add - old0;
	bprm->argc += (arg ? 2 : 1) + (old0 ? 0 : 1);
	return 0;
}

/* A "#!interp [arg]" file: make its interpreter the program. */
static int load_script(struct linux_binprm *bprm)
{
	char line[BINPRM_BUF_SIZE], *interp, *arg, *end;
	size_t n = MIN(bprm->size, sizeof(line) - 1);

	memcpy(line, bprm->data, n);
	line[n] = '\0';
	end = strchr(line, '\n');
	if (!end && n == sizeof(line) - 1)
		return -ENOEXEC;	/* the line does not fit */
	if (end)
		*end = '\0';
	for (interp = line + 2; *interp == ' ' || *interp == '\t'; interp++)
		;
	for (arg = interp; *arg && *arg != ' ' && *arg != '\t'; arg++)
		;
	if (*arg)
		*arg++ = '\0';
	while (*arg == ' ' || *arg == '\t')
		arg++;
	for (end = arg + strlen(arg); end > arg && (end[-1] == ' ' || end[-1] == '\t');)
		*--end = '\0';
	if (!*interp)
		return -ENOEXEC;
	return script_argv(bprm, interp, *arg ? arg : NULL) ?:
	       (strscpy(bprm->path, interp, sizeof(bprm->path)) < 0 ? -ENAMETOOLONG : 0);
}

/* Find the program and let its format build bprm->mm. */
static int search_binary_handler(struct linux_binprm *bprm)
{
	int err;

	for (;;) {
		/* Lab 8: from the file tree once there is one. */
		err = vfs_ready() ? bprm_read_file(bprm) :
		      initrd_lookup(bprm->path, &bprm->data, &bprm->size);
		if (err)
			return err;
		if (bprm->size >= 2 && memcmp(bprm->data, "#!", 2) == 0) {
			if (++bprm->depth > BINPRM_MAX_RECURSION)
				return -ELOOP;
			err = load_script(bprm);
			if (err)
				return err;
			continue;
		}
		if (elf_is_elf(bprm->data, bprm->size))
			return load_elf_binary(bprm);
		return -ENOEXEC;
	}
}

/*
 * Kill the other threads of the process and wait until they have gone.
 * A non-leader caller then takes the leader's pid and place.  Returns 0,
 * or -EINTR when the process is being killed anyway.
 */
static int de_thread(struct task *me)
{
	struct signal_struct *sig = me->signal;
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	if (sig->group_exit || sig->group_exec_task) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return -EINTR;
	}
	sig->group_exec_task = me;
	zap_other_threads(me, SIGKILL);
	while (sig->nr_threads > 1 && !fatal_signal_pending(me)) {
		__set_current_state(TASK_UNINTERRUPTIBLE);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		schedule();
		flags = spin_lock_irqsave(&tasklist_lock);
	}
	sig->group_exec_task = NULL;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (fatal_signal_pending(me))
		return -EINTR;
	if (me != me->group_leader)
		exec_take_leader(me);
	return 0;
}

/* Install @mm as the current task's address space; drop the old one. */
static void exec_mmap(struct task *me, struct mm *mm)
{
	struct mm *old = me->mm;
	unsigned long flags;

	mm_release(me);		/* CLEARTID, robust futexes, a vfork parent */
	flags = arch_local_irq_save();
	me->mm = mm;
	switch_mm(mm);
	arch_local_irq_restore(flags);
	if (old)
		mmput(old);
}

/* The program's name in task->comm: the last component of its path. */
static void set_comm(struct task *me, const char *path)
{
	const char *name = path, *p;

	for (p = path; *p; p++)
		if (*p == '/' && p[1])
			name = p + 1;
	strscpy(me->comm, name, sizeof(me->comm));
}

static int do_execve(const char *filename, struct arg_vector argv,
		     struct arg_vector envp)
{
	struct task *me = current;
	struct linux_binprm *bprm = bprm_alloc(filename);
	long sp;
	int err;

	if (!bprm)
		return -ENOMEM;
	err = copy_args(bprm, argv, envp);
	if (!err)
		err = search_binary_handler(bprm);
	if (!err)
		err = de_thread(me);
	if (err) {
		bprm_free(bprm);
		return err;
	}
	/* The point of no return: from here on, failing kills the process. */
	exec_mmap(me, bprm->mm);
	bprm->mm = NULL;
	me->flags &= ~PF_KTHREAD;
	set_comm(me, bprm->path);
	fpu_reset_current();
	exec_reset_signals(me);
	do_close_on_exec();	/* lab 8: the O_CLOEXEC/FD_CLOEXEC descriptors */
	set_mm_exe_file(me->mm, bprm->file);
	start_thread(task_pt_regs(me), bprm->entry, 0);
	sp = create_elf_tables(bprm);
	if (sp < 0) {
		pr_notice("%s[%d]: execve could not write the initial stack; killed\n",
			  me->comm, me->tgid);
		force_fatal_signal(me, SIGSEGV);
	} else {
		task_pt_regs(me)->rsp = sp;
	}
	bprm_free(bprm);
	return 0;
}

int kernel_execve(const char *filename, const char *const *argv,
		  const char *const *envp)
{
	struct arg_vector a = { argv, true }, e = { envp, true };

	return do_execve(filename, a, e);
}

long sys_execve(const char __user *filename,
		const char __user *const __user *argv,
		const char __user *const __user *envp)
{
	struct arg_vector a = { argv, false }, e = { envp, false };
	char *path = kmalloc(CPIO_PATH_MAX, GFP_KERNEL);
	long len, err;

	if (!path)
		return -ENOMEM;
	len = strncpy_from_user(path, filename, CPIO_PATH_MAX);
	if (len < 0)
		err = len;
	else if (len == CPIO_PATH_MAX)
		err = -ENAMETOOLONG;
	else if (len == 0)
		err = -ENOENT;
	else
		err = do_execve(path, a, e);
	kfree(path);
	return err;
}
