/*
 * init.c — the first user process, pid 1 (kestrel/process.h).
 *
 * At the end of start-up the kernel looks in the initrd for a program to
 * run as init, the way Linux runs its initramfs's /init:
 *
 *	rdinit=PATH   the program (default /init); if it is missing,
 *	init=PATH     then this one, then /sbin/init, /etc/init, /bin/init
 *	              and /bin/sh — the order of Linux's init/main.c
 *
 * and starts a kernel thread, pid 1, which becomes that program through
 * kernel_execve(): its argv is the program's path followed by the
 * command line's arguments for init (words after "--", unknown bare
 * words), its envp HOME=/ and TERM=linux followed by the command line's
 * unknown KEY=value words (kestrel/cmdline.h).  A grader passes a test's
 * arguments and nonce that way.
 *
 * pid 1 must be the first task created after the idle task, so
 * user_init_start() runs before any other kernel thread is made.  Its
 * user registers need the top of its kernel stack (task_pt_regs), so the
 * thread first moves its own frames below them (call_below_regs) — a
 * kernel thread's first frame sits where they go.
 *
 * If the program cannot be run — the stages before lab 6 cannot run any
 * program; a broken initrd — pid 1 says why and falls back to the
 * console echo loop, so that the machine stays usable.
 */
#include <asm/syscall.h>
#include <asm/uaccess.h>
#include <asm/user_thread.h>
#include <kestrel/binfmts.h>
#include <kestrel/boot.h>
#include <kestrel/cmdline.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fpu.h>
#include <kestrel/fs.h>
#include <kestrel/initrd.h>
#include <kestrel/kthread.h>
#include <kestrel/printk.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/serial.h>
#include <kestrel/string.h>

#define INIT_ARGS_MAX	(CMDLINE_INIT_MAX + 2)
#define INIT_ENVS_MAX	(CMDLINE_INIT_MAX + 3)

static char rdinit_path[CPIO_PATH_MAX] = "/init";
static char init_path[CPIO_PATH_MAX];

static int param_rdinit(const char *value)
{
	return strscpy(rdinit_path, value, sizeof(rdinit_path)) < 0 ? -1 : 0;
}
KERNEL_PARAM("rdinit", param_rdinit);

static int param_init(const char *value)
{
	return strscpy(init_path, value, sizeof(init_path)) < 0 ? -1 : 0;
}
KERNEL_PARAM("init", param_init);

/* The first of the candidates that the initrd holds, or NULL. */
static const char *find_init_program(void)
{
	const char *const candidates[] = {
		rdinit_path, init_path, "/sbin/init", "/etc/init", "/bin/init",
		"/bin/sh",
	};
	const void *data;
	unsigned int i;
	size_t size;

	for (i = 0; i < ARRAY_SIZE(candidates); i++)
		if (candidates[i][0] &&
		    (vfs_ready() ? vfs_access_exec(candidates[i]) :	/* lab 8 */
				   initrd_lookup(candidates[i], &data, &size)) == 0)
			return candidates[i];
	return NULL;
}

/* Copy the NULL-terminated @from after the @n entries of @to (max @max). */
static int append_words(const char **to, int n, const char *const *from, int max)
{
	while (*from && n < max)
		to[n++] = *from++;
	to[n] = NULL;
	return n;
}

static const char *why(int err)
{
	switch (err) {
	case -ENOSYS:
		return "user programs not supported yet (lab 6)";
	case -ENOEXEC:
		return "not an executable this kernel can run";
	case -ENOENT:
		return "no such file in the initrd";
	case -ENOMEM:
		return "out of memory";
	default:
		return "error";
	}
}

/* pid 1's life, on the stack below its user registers. */
static void __noreturn run_init(void *arg)
{
	const char *path = arg;
	const char *argv[INIT_ARGS_MAX + 1] = { path };
	const char *envp[INIT_ENVS_MAX + 1] = { "HOME=/", "TERM=linux" };
	int err;

	append_words(argv, 1, cmdline_init_argv(), INIT_ARGS_MAX);
	append_words(envp, 2, cmdline_init_envp(), INIT_ENVS_MAX);
	err = kernel_execve(path, argv, envp);
	if (!err) {
		pr_info("init: running %s as pid %d\n", path, current->pid);
		enter_user_mode(task_pt_regs(current));
	}
	pr_notice("init: cannot run %s: %s (%d); console echo instead\n", path,
		  why(err), err);
	console_echo_loop();
}

static int init_thread(void *arg)
{
	call_below_regs(run_init, arg, task_pt_regs(current));
}

bool user_init_start(void)
{
	const char *path;
	struct task *p;

	if (!(vfs_ready() && boot_info.initrd_size) && !initrd_present()) {
		pr_info("init: no initrd, so no user space: the console echoes instead\n");
		return false;
	}
	path = find_init_program();
	if (!path) {
		pr_notice("init: none of rdinit=%s, init=%s, /sbin/init, /etc/init, /bin/init, /bin/sh is in the initrd\n",
			  rdinit_path, init_path[0] ? init_path : "(unset)");
		return false;
	}
	uaccess_init();
	syscall_init();
	fpu_init();
	p = kthread_create(init_thread, (void *)path, "init");
	/* Lab 8: vfs_init_task opens /dev/console as its fds 0, 1, 2. */
	if (IS_ERR(p) || process_init_task(p) || vfs_init_task(p)) {
		pr_err("init: cannot create pid 1 (%ld)\n", IS_ERR(p) ? PTR_ERR(p) : -ENOMEM);
		return false;
	}
	if (p->pid != 1)
		pr_warn("init: the first process got pid %d, not 1\n", p->pid);
	init_process = p;
	wake_up_process(p);
	return true;
}
