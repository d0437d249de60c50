/*
 * kestrel/sched.h — tasks and the scheduler.
 *
 * A task is a thread of control with its own kernel stack: a struct task
 * (below) plus a 16 KiB stack from vmalloc, whose unmapped guard page below
 * the stack turns an overflow into an immediate, readable oops
 * (kernel/task/task.c).  Until lab 6 every task is a kernel thread
 * (kestrel/kthread.h); each CPU also has an idle task, which runs when
 * nothing else can — on the boot CPU that is start_kernel itself, which
 * becomes the idle task at the end of start-up (cpu_idle()).
 *
 * Lifecycle of a task and its states (task->state):
 *
 *	kthread_create ──> TASK_NEW ──wake_up_process──> TASK_RUNNING
 *	                                                    │    ^
 *	  set_current_state(TASK_(UN)INTERRUPTIBLE),        │    │ wake_up_process
 *	  schedule()                                        v    │ (a wait queue,
 *	                                                 sleeping   a timer, …)
 *	TASK_RUNNING ──its function returns──> TASK_DEAD ──> freed at the last
 *	                                            put_task_struct()
 *
 * TASK_RUNNING means runnable: running on its CPU or waiting on that
 * CPU's runqueue.  The scheduler (kernel/sched/) gives each CPU's runnable
 * tasks the processor in proportion to their weight (from their nice
 * value), ordering them by virtual runtime — CFS's idea, in Kestrel's own
 * code: docs/scheduling.md tells the whole story.  A task switches out
 * voluntarily (schedule() after setting a sleeping state, yield()) or is
 * preempted: the tick or a wake-up sets need_resched, and the switch
 * happens at the next preemption point (kestrel/preempt.h).
 *
 * Locking legend for struct task:
 *	(R) the runqueue lock of the task's CPU (kernel/sched/core.c)
 *	(S) set by the task itself for itself; others read
 *	(O) set once at creation, then read-only
 *	(A) atomic
 *	(T) tasklist_lock
 * The state is written by the task itself (set_current_state) *or* by a
 * waker under (R); the wake-up race this creates is the subject of
 * `DOC: wakeup-race` in kernel/sched/wait.c.
 */
#ifndef KESTREL_SCHED_H
#define KESTREL_SCHED_H

#include <asm/current.h>
#include <asm/switch_to.h>
#include <kestrel/compiler.h>
#include <kestrel/list.h>
#include <kestrel/preempt.h>
#include <kestrel/signal_types.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>

/* task->state: Linux's values (include/linux/sched.h), a subset. */
#define TASK_RUNNING		0x0000	/* runnable: running or on a runqueue */
#define TASK_INTERRUPTIBLE	0x0001	/* asleep; a signal wakes it (lab 9) */
#define TASK_UNINTERRUPTIBLE	0x0002	/* asleep until its event comes */
#define TASK_STOPPED		0x0004	/* stopped by a signal until SIGCONT (lab 9) */
#define TASK_DEAD		0x0080	/* exited; freed by the next task */
#define TASK_NEW		0x0800	/* created, never woken yet */
#define TASK_NORMAL		(TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

/* task->flags */
#define PF_IDLE			0x0002	/* a CPU's idle task */
#define PF_EXITING		0x0004	/* on its way to TASK_DEAD */
#define PF_KTHREAD		0x00200000	/* a kernel thread */

#define TASK_COMM_LEN		16	/* bytes of task->comm, with the NUL */
#define THREAD_SIZE		16384	/* bytes of kernel stack per task */

#define MAX_NICE		19
#define MIN_NICE		(-20)
#define NICE_WIDTH		(MAX_NICE - MIN_NICE + 1)

#define MAX_SCHEDULE_TIMEOUT	((long)(~0UL >> 1))	/* "no timeout" */

typedef int pid_t;

/**
 * struct sched_entity - what the fair scheduler knows about a task
 * (kernel/sched/fair.c; every field (R)).
 * @run_node: link in the runqueue's timeline, sorted by @vruntime; not
 *            linked while the task runs or sleeps
 * @weight: the share of the CPU, from the nice value (1024 at nice 0)
 * @vruntime: virtual runtime, ns: real runtime scaled by 1024 / @weight
 * @exec_start: rq clock (ns) when the current stretch of running began
 * @sum_exec_runtime: real time run in total, ns
 * @prev_sum_exec_runtime: @sum_exec_runtime when it was last picked
 */
struct sched_entity {
	struct list_head run_node;
	unsigned long weight;
	u64 vruntime;
	u64 exec_start;
	u64 sum_exec_runtime;
	u64 prev_sum_exec_runtime;
};

struct completion;
struct cred;
struct files_struct;
struct fs_struct;
struct kthread;
struct mm;
struct signal_struct;
struct sighand_struct;

/**
 * struct task - a thread of control: its saved CPU state, its stack, its
 * place in the scheduler.  The first member is the arch's saved context
 * (asm/switch_to.h), at an offset switch.S knows.
 */
struct task {
	struct thread_struct thread;	/* R: saved RSP while not running */
	volatile long state;	/* S/R: TASK_* above */
	unsigned int flags;	/* S: PF_* above */
	int on_rq;		/* R: counted as runnable on its runqueue */
	int on_cpu;		/* R: running right now (until switched out) */
	int cpu;		/* R: the CPU whose runqueue it belongs to */
	int static_prio;	/* R: nice + 120, as Linux reports it */
	int ioprio;		/* T: I/O priority, ioprio_set(2) (kernel/task/priority.c) */
	struct sched_entity se;	/* R: fair-scheduling state */
	u64 nvcsw;		/* R: voluntary switches (slept, yielded) */
	u64 nivcsw;		/* R: involuntary switches (preempted) */

	pid_t pid;		/* O: unique id; 0 for the idle tasks */
	char comm[TASK_COMM_LEN];	/* O: its name, for messages */
	void *stack;		/* O: lowest byte of its THREAD_SIZE stack */
	int usage;		/* A: references (get/put_task_struct) */
	struct kthread *kthread;	/* O: kthread bookkeeping, or NULL */
	struct list_head tasks;	/* T: on the list of all tasks */

	/*
	 * Labs 6 and 7: the process this task is a thread of
	 * (kestrel/process.h tells the story; keys there and above).
	 */
	struct mm *mm;		/* S: its address space; NULL: a kernel thread */
	pid_t tgid;		/* O: the process id (the group leader's pid) */
	struct task *group_leader;	/* O: the process's first thread */
	struct signal_struct *signal;	/* O: what the process's threads share */
	struct list_head thread_node;	/* T: on signal->thread_head */
	struct task *parent;	/* T: the process that waits for this one */
	struct list_head children;	/* T: (leaders) the processes it forked */
	struct list_head sibling;	/* T: on parent->children */
	int exit_state;		/* T: 0, EXIT_ZOMBIE or EXIT_DEAD */
	int exit_code;		/* T: its wait status once it exited */
	int exit_signal;	/* O: sent to the parent at exit (0: a thread) */
	int fatal_signal;	/* A: kills it at the next return to user mode */
	int pagefault_disabled;	/* S: pagefault_disable() depth */
	int __user *set_child_tid;	/* S: CLONE_CHILD_SETTID */
	int __user *clear_child_tid;	/* S: zeroed and woken at exit */
	void __user *robust_list;	/* S: set_robust_list(2) */
	struct completion *vfork_done;	/* S: a vfork parent waits on it */
	u64 blocked;		/* S: blocked signals (sigset_t; lab 9) */
	/* Lab 9: signals (kestrel/signal.h; H: sighand->siglock). */
	struct sighand_struct *sighand;	/* O: actions, shared by CLONE_SIGHAND */
	struct sigpending pending;	/* H: sent to this thread */
	int sigpending;		/* A: it has a signal to look at */
	bool restore_sigmask;	/* S: put saved_sigmask back on the way out */
	u64 saved_sigmask;	/* S: the mask before rt_sigsuspend */
	unsigned long sas_ss_sp;	/* S: sigaltstack base (user address) */
	unsigned long sas_ss_size;	/* S: its size, bytes; 0: none */
	unsigned int sas_ss_flags;	/* S: SS_AUTODISARM */
	struct cred *cred;	/* S: its user and group ids */
	u64 start_time;		/* O: ns since boot when it was created */
	unsigned long min_flt;	/* S: page faults it caused */

	/* Lab 8: its place in the file tree and its open files
	 * (kestrel/fs_struct.h, kestrel/fdtable.h; their own locks). */
	struct fs_struct *fs;	/* S: root, cwd, umask; NULL: init_fs */
	struct files_struct *files;	/* S: descriptors; NULL: none */
};

/* The lock of the (T) fields above: the list of all tasks, and (labs 6
 * and 7) the family links and thread groups.  A spinlock, interrupts off. */
extern spinlock_t tasklist_lock;

/* Every task, via task->tasks, under tasklist_lock (kernel/task/task.c). */
extern struct list_head task_list;

/* --- the running task ---------------------------------------------------- */

/** set_current_state - set the running task's state, then a full memory
 *  barrier, so that the condition the caller tests next is read after the
 *  state is visible to wakers (DOC: wakeup-race, kernel/sched/wait.c). */
#define set_current_state(st)						\
	do {								\
		current->state = (st);					\
		__atomic_thread_fence(__ATOMIC_SEQ_CST);		\
	} while (0)

/** __set_current_state - the same without the barrier (under a lock). */
#define __set_current_state(st)	(current->state = (st))

/**
 * schedule - give this CPU to the most deserving runnable task; return
 * when this task is chosen again.  If the caller set a sleeping state
 * (TASK_INTERRUPTIBLE, TASK_UNINTERRUPTIBLE) it leaves the runqueue and
 * returns only after someone woke it.  Must be called preemptible:
 * no spinlock held, preempt count 0 (warned: "scheduling while atomic").
 * Interrupts may be on or off; they are as they were on return.
 */
void schedule(void);

/**
 * schedule_timeout - sleep until woken or until @timeout jiffies passed.
 * The caller sets the state first (set_current_state); with TASK_RUNNING
 * it only reschedules.  Returns the jiffies left (0: the time ran out).
 * MAX_SCHEDULE_TIMEOUT sleeps without a timer.  Uses a kernel timer
 * (kestrel/timer.h) on the caller's stack.  Process context.
 */
long schedule_timeout(long timeout);
long schedule_timeout_uninterruptible(long timeout);
long schedule_timeout_interruptible(long timeout);

/** yield - let every other runnable task of this CPU run before this one
 *  runs again; returns at once when there is none.  Process context. */
void yield(void);

/**
 * wake_up_process - make @p runnable if it sleeps (or is new): put it on
 * its CPU's runqueue and, if it deserves the CPU more than the running
 * task, ask for a reschedule.  Returns true if @p was woken, false if it
 * was running or runnable already.  Context: any (interrupts included).
 */
bool wake_up_process(struct task *p);

/** wake_up_state - wake @p only if its state is in @state (a mask). */
bool wake_up_state(struct task *p, unsigned int state);

/**
 * set_user_nice - set @p's nice value (MIN_NICE … MAX_NICE, clamped): its
 * weight, hence its share of the CPU, changes at once.  Each nice step is
 * about 10% of CPU time relative to a nice-0 neighbour (docs/scheduling.md).
 */
void set_user_nice(struct task *p, long nice);

/** task_nice - @p's nice value. */
static inline int task_nice(const struct task *p)
{
	return p->static_prio - 120;
}

/**
 * scheduler_tick - the timer tick's call into the scheduler (kernel/time/,
 * every tick on every CPU, interrupts off): charge the running task for
 * its time and set need_resched when its slice is used up.
 */
void scheduler_tick(void);

/* --- tasks --------------------------------------------------------------- */

/**
 * get_task_struct / put_task_struct - take and drop a reference to @p.
 * A task holds one reference to itself while it lives; the last put
 * frees its stack and its struct (kernel/task/task.c).  Context: any.
 */
static inline void get_task_struct(struct task *p)
{
	__atomic_add_fetch(&p->usage, 1, __ATOMIC_RELAXED);
}

void __put_task_struct(struct task *p);

static inline void put_task_struct(struct task *p)
{
	if (__atomic_sub_fetch(&p->usage, 1, __ATOMIC_ACQ_REL) == 0)
		__put_task_struct(p);
}

/**
 * task_alloc - a new task (kernel/task/task.c): a struct with one
 * reference, a pid, a THREAD_SIZE stack with a guard page below it, state
 * TASK_NEW, nice 0; not yet runnable and with no context to run (the
 * caller sets that up with arch_setup_thread()).  Returns the task or
 * ERR_PTR(-ENOMEM).  Process context.
 */
struct task *task_alloc(const char *comm);

/**
 * do_task_dead - the end of the current task: it becomes TASK_DEAD and
 * switches away for good; the task that runs next drops the reference it
 * held on itself (finish_task_switch).  Never returns.
 */
void do_task_dead(void) __noreturn;

/** task_list_add - put @p on the list of all tasks (task_alloc does it;
 *  the idle tasks, which are not allocated, are added by sched_init). */
void task_list_add(struct task *p);

/** task_stack_top - one past the highest byte of @p's stack. */
static inline unsigned long task_stack_top(const struct task *p)
{
	return (unsigned long)p->stack + THREAD_SIZE;
}

/**
 * task_stack_report_fault - for an oops whose stack pointer is @sp:
 * when @sp lies in the guard page below the current task's stack (or just
 * below it), print "kernel stack overflow: …" naming the task and its
 * stack, and return true.  Context: the oops path; takes no locks.
 */
bool task_stack_report_fault(unsigned long sp);

/** sched_show_tasks - print one line per task: pid, name, state, CPU
 *  time, switches.  For debugging and tests.  Context: process. */
void sched_show_tasks(void);

/* --- start-up and idle --------------------------------------------------- */

/**
 * sched_init - make the code that calls it (start_kernel, on the boot
 * CPU) the boot CPU's idle task, "idle/0", and set up the runqueues.
 * From here on `current` is valid.  Call once, early, interrupts off.
 */
void sched_init(void);

/**
 * cpu_idle - the idle loop: run whatever becomes runnable, halt the CPU
 * (interrupts on) when nothing is.  The caller must be this CPU's idle
 * task.  Never returns.
 */
void cpu_idle(void) __noreturn;

/* --- checks -------------------------------------------------------------- */

void __might_sleep(const char *file, int line);

/**
 * might_sleep - say "this function may sleep": warns (once per call site)
 * when called with preemption or interrupts disabled, where sleeping would
 * hang or corrupt the caller's locking.
 */
#define might_sleep()	__might_sleep(__FILE__, __LINE__)

/**
 * signal_pending - whether @p has a signal to handle, which ends
 * interruptible sleeps early: a fatal signal the kernel set
 * (task->fatal_signal: the process is being killed, kestrel/process.h),
 * or (lab 9) a pending signal @p does not block (task->sigpending,
 * kept by recalc_sigpending(), kestrel/signal.h).
 */
static inline bool signal_pending(const struct task *p)
{
	return __atomic_load_n(&p->fatal_signal, __ATOMIC_RELAXED) != 0 ||
	       __atomic_load_n(&p->sigpending, __ATOMIC_RELAXED) != 0;
}

/** fatal_signal_pending - whether @p's process is being killed (not just
 *  interrupted): what must end even an exec or a fork. */
static inline bool fatal_signal_pending(const struct task *p)
{
	return __atomic_load_n(&p->fatal_signal, __ATOMIC_RELAXED) != 0;
}

#endif
