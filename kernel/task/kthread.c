/*
 * kthread.c — kernel threads: create, run, stop (kestrel/kthread.h).
 *
 * A kernel thread is a task (task.c) plus a little bookkeeping, struct
 * kthread: the function to run and its argument, the stop request, the
 * function's result, and a completion that fires when the thread exits.
 *
 *	kthread_create()    task_alloc: struct, stack, pid; TASK_NEW
 *	                    arch_setup_thread: first switch enters kthread_entry
 *	wake_up_process()   onto the runqueue (kthread_run does both)
 *	kthread_entry()     in the new thread: threadfn(data), unless a stop
 *	                    came first; then kthread_exit(result)
 *	kthread_exit()      record the result, complete_all(&exited),
 *	                    do_task_dead(): the next task frees the stack
 *	kthread_stop()      should_stop = true, wake it, wait for &exited
 *
 * Lifetime.  The thread's own reference (task.c) keeps its struct task —
 * and the struct kthread, freed with it — until it has switched away for
 * the last time.  kthread_stop() takes a reference of its own for the
 * time it waits, so the exited completion it sleeps on cannot disappear
 * under it even when the thread exits the moment it is woken.  What it
 * cannot protect is a task that already exited and was freed before
 * kthread_stop() was called: the caller must prevent that (kthread.h).
 *
 * Locking: should_stop is written by the stopper and read by the thread,
 * with atomic accesses; everything else belongs to one side at a time,
 * handed over by the completion (result is written before complete_all,
 * read after the wait, and the completion's lock orders the two).
 */
#include <kestrel/completion.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/kthread.h>
#include <kestrel/panic.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/sprintf.h>

struct kthread {
	int (*threadfn)(void *data);	/* what the thread runs */
	void *data;			/* its argument */
	bool should_stop;		/* atomic: kthread_stop() was called */
	int result;			/* threadfn's return value */
	struct completion exited;	/* complete_all when the thread ends */
};

static struct kthread *to_kthread(struct task *p)
{
	WARN_ON(!(p->flags & PF_KTHREAD) || !p->kthread);
	return p->kthread;
}

/* The first C function of every kernel thread (via ret_from_kthread). */
static void kthread_entry(void *unused)
{
	struct kthread *k = to_kthread(current);
	int ret = -EINTR;

	(void)unused;
	if (!__atomic_load_n(&k->should_stop, __ATOMIC_ACQUIRE))
		ret = k->threadfn(k->data);
	kthread_exit(ret);
}

struct task *kthread_create(int (*threadfn)(void *data), void *data,
			    const char *namefmt, ...)
{
	char comm[TASK_COMM_LEN];
	struct kthread *k;
	struct task *p;
	va_list args;
	int err;

	might_sleep();
	va_start(args, namefmt);
	vsnprintf(comm, sizeof(comm), namefmt, args);
	va_end(args);

	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return ERR_PTR(-ENOMEM);
	k->threadfn = threadfn;
	k->data = data;
	init_completion(&k->exited);

	p = task_alloc(comm);
	if (IS_ERR(p)) {
		kfree(k);
		return p;
	}
	p->flags |= PF_KTHREAD;
	p->kthread = k;		/* freed with the task */
	err = arch_setup_thread(p, kthread_entry, NULL);
	if (err) {
		put_task_struct(p);	/* TASK_NEW: never ran, freed now */
		return ERR_PTR(err);
	}
	return p;
}

bool kthread_should_stop(void)
{
	struct kthread *k = current->kthread;

	return k && __atomic_load_n(&k->should_stop, __ATOMIC_ACQUIRE);
}

int kthread_stop(struct task *k)
{
	struct kthread *kt = to_kthread(k);
	int ret;

	might_sleep();
	get_task_struct(k);
	__atomic_store_n(&kt->should_stop, true, __ATOMIC_RELEASE);
	wake_up_process(k);
	wait_for_completion(&kt->exited);
	ret = kt->result;
	put_task_struct(k);
	return ret;
}

void kthread_exit(int result)
{
	struct kthread *k = to_kthread(current);

	k->result = result;
	complete_all(&k->exited);
	do_task_dead();
}
