/*
 * kestrel/fdtable.h — file descriptors: a process's table of open files
 * (kernel/fs/fdtable.c).
 *
 * A file descriptor is an index into the table of the calling process;
 * the slot holds a reference to a struct file and the descriptor's own
 * flag, close-on-exec.  open(2), pipe(2), dup(2) take the *lowest* free
 * descriptor (POSIX requires it; shells rely on it to redirect 0, 1, 2),
 * never one at or above RLIMIT_NOFILE (EMFILE).  Threads made with
 * CLONE_FILES share one table; fork copies it (the copies share the
 * struct files, and so their offsets); execve closes the descriptors
 * marked close-on-exec.
 *
 *	files_struct ── fd[0] ──> struct file (console)
 *	                fd[1] ──> the same struct file (dup)
 *	                fd[3] ──> struct file (pipe read end)
 *	                open_fds: 1011…   close_on_exec: 0001…
 *
 * A system call that uses a descriptor takes a reference to its file for
 * the duration (fdget/fdput), so that a close(2) in another thread cannot
 * free the file under it.
 *
 * Locking legend:
 *	(T) files->file_lock, a spinlock: the arrays and max_fds
 *	(A) atomic
 */
#ifndef KESTREL_FDTABLE_H
#define KESTREL_FDTABLE_H

#include <kestrel/spinlock.h>
#include <kestrel/types.h>

struct file;
struct task;

#define NR_OPEN_DEFAULT	64	/* slots a new table starts with */
#define NR_OPEN_MAX	(1024 * 1024)	/* the most any table grows to (fs.nr_open) */

/**
 * struct files_struct - one process's descriptor table
 * @count: (A) tasks sharing it
 * @file_lock: the (T) lock
 * @max_fds: (T) slots in @fd and bits in the bitmaps
 * @next_fd: (T) no descriptor below it is free (a search hint)
 * @fd: (T) the open files, NULL for a free slot
 * @open_fds: (T) bit set = slot in use (or reserved by alloc_fd)
 * @close_on_exec: (T) bit set = close at execve
 * @fd_inline, @open_inline, @cloexec_inline: the first NR_OPEN_DEFAULT
 *             slots, without a separate allocation
 */
struct files_struct {
	int count;
	spinlock_t file_lock;
	unsigned int max_fds;
	unsigned int next_fd;
	struct file **fd;
	unsigned long *open_fds;
	unsigned long *close_on_exec;
	struct file *fd_inline[NR_OPEN_DEFAULT];
	unsigned long open_inline[NR_OPEN_DEFAULT / 64];
	unsigned long cloexec_inline[NR_OPEN_DEFAULT / 64];
};

/** current_files - the current task's table, or NULL (kernel threads). */
struct files_struct *current_files(void);

/**
 * files_alloc - an empty table with one user.  files_put - drop a user;
 * the last closes every descriptor and frees the table.
 */
struct files_struct *files_alloc(void);
void files_put(struct files_struct *files);

/**
 * alloc_fd - reserve the lowest free descriptor ≥ @start in the current
 * table, growing it as needed, with close-on-exec if @flags has
 * O_CLOEXEC.  Returns it, or -EMFILE (none below RLIMIT_NOFILE), -ENOMEM.
 * The slot stays empty until fd_install (or put_unused_fd gives it back).
 */
int alloc_fd(unsigned int start, unsigned int flags);
int get_unused_fd_flags(unsigned int flags);
void put_unused_fd(unsigned int fd);

/** fd_install - fill the reserved slot @fd with @file (its reference
 *  passes to the table). */
void fd_install(unsigned int fd, struct file *file);

/**
 * fget - the file at descriptor @fd with a reference taken (fput it), or
 * NULL.  fget_raw also returns O_PATH files, which fget refuses (most
 * calls treat them as EBADF).
 */
struct file *fget(unsigned int fd);
struct file *fget_raw(unsigned int fd);

/** close_fd - close(2): empty slot @fd and drop its file.  0 or -EBADF. */
int close_fd(unsigned int fd);

/**
 * replace_fd - dup2/dup3/F_DUPFD's common end: put @file (a reference is
 * taken) in slot @fd, closing what was there.  0 or -EBADF, -EMFILE.
 */
int replace_fd(unsigned int fd, struct file *file, unsigned int flags);

/** get_close_on_exec / set_close_on_exec - FD_CLOEXEC of @fd. */
bool get_close_on_exec(unsigned int fd);
void set_close_on_exec(unsigned int fd, bool on);

/**
 * copy_files - the child @p of a clone gets the parent's table (shared
 * with CLONE_FILES, copied otherwise: every open file gets one more
 * reference).  0 or -ENOMEM.  exit_files - @p drops it.
 */
int copy_files(unsigned long clone_flags, struct task *p);
void exit_files(struct task *p);

/** do_close_on_exec - execve's step: close every close-on-exec
 *  descriptor of the current table (made private first if shared). */
void do_close_on_exec(void);

/**
 * files_for_each - call @fn(@arg, fd, file) for each open descriptor of
 * @files in order, with a reference held on the file during the call
 * (for /proc/<pid>/fd).  Stops when @fn returns nonzero, and returns it.
 */
int files_for_each(struct files_struct *files,
		   int (*fn)(void *arg, unsigned int fd, struct file *file),
		   void *arg);

/** get_task_files - @p's table with a reference (files_put it), or NULL. */
struct files_struct *get_task_files(struct task *p);

/** files_fget - the file at @fd of @files (another process's), referenced. */
struct file *files_fget(struct files_struct *files, unsigned int fd);

#endif
