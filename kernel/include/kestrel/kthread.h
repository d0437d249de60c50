/*
 * kestrel/kthread.h — kernel threads.
 *
 * A kernel thread runs one function, in kernel mode, on a stack of its
 * own, scheduled like any task.  Its life:
 *
 *	t = kthread_create(fn, data, "name%d", n);  created, not yet running
 *	wake_up_process(t);                         runnable (kthread_run: both)
 *	   … fn(data) runs; a long-lived fn loops until kthread_should_stop()
 *	ret = kthread_stop(t);                      asks it to stop, waits for
 *	                                            fn's return value
 *
 * When fn returns, the thread exits and its stack is freed as soon as the
 * CPU has switched away from it.  kthread_stop() may therefore only be
 * called while the thread cannot have gone yet: either fn runs until
 * kthread_should_stop() says so, or the caller took a reference with
 * get_task_struct() right after kthread_create() (and kthread_stop() then
 * works even after fn returned by itself).  That is Linux's rule too.
 *
 * A thread sleeping in wait_event() does not notice kthread_stop() unless
 * its condition includes kthread_should_stop(): kthread_stop() wakes it
 * once, and wait_event() goes back to sleep if its condition is false.
 *
 * Names are Linux's (include/linux/kthread.h); kernel/task/kthread.c.
 */
#ifndef KESTREL_KTHREAD_H
#define KESTREL_KTHREAD_H

#include <kestrel/compiler.h>
#include <kestrel/err.h>
#include <kestrel/sched.h>

/**
 * kthread_create - a new kernel thread that will run @threadfn(@data).
 * @namefmt: printf-style name (task->comm; at most 15 characters kept)
 *
 * The thread is not running yet: wake_up_process() starts it (or
 * kthread_stop() ends it without ever calling @threadfn, which then
 * returns -EINTR).  It runs at nice 0 on the creating CPU.  Returns the
 * task, or ERR_PTR(-ENOMEM), or ERR_PTR(-ENOSYS) in the stages before
 * lab 5 (callers must handle it: run the work themselves).  May sleep.
 */
struct task *kthread_create(int (*threadfn)(void *data), void *data,
			    const char *namefmt, ...) __printf(3, 4);

/** kthread_run - kthread_create() and wake_up_process(); the same returns. */
#define kthread_run(threadfn, data, namefmt, ...)			\
({									\
	struct task *__k = kthread_create(threadfn, data, namefmt,	\
					  ##__VA_ARGS__);		\
	if (!IS_ERR(__k))						\
		wake_up_process(__k);					\
	__k;								\
})

/** kthread_should_stop - true once kthread_stop() was called for the
 *  current thread: time to clean up and return. */
bool kthread_should_stop(void);

/**
 * kthread_stop - tell @k to stop (kthread_should_stop() becomes true),
 * wake it, and wait until its function has returned.  Returns that
 * function's return value (-EINTR if it never started).  See the top of
 * this file for when @k may be stopped.  May sleep.
 */
int kthread_stop(struct task *k);

/** kthread_exit - end the current kernel thread now, with @result as its
 *  return value (what kthread_stop() returns).  Never returns. */
void kthread_exit(int result) __noreturn;

#endif
