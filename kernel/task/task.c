/*
 * task.c — struct task: allocating one, its stack, its pid, freeing it.
 *
 * A task is born in task_alloc() (called by kthread_create(), later by
 * fork) with one reference, the one it holds on itself while it lives,
 * and state TASK_NEW.  It dies in do_task_dead() (kernel/sched/core.c):
 * it can not free its own stack while running on it, so the task that
 * runs next drops that reference in finish_task_switch().  Anyone else
 * who keeps a pointer to a task — kthread_stop(), later wait4() — holds a
 * reference of their own (get_task_struct/put_task_struct); the last put
 * frees the stack and the struct (__put_task_struct).
 *
 * Kernel stacks.  THREAD_SIZE = 16 KiB, from vmalloc(): vmalloc leaves an
 * unmapped guard page on each side of every area (kernel/mm/vmalloc.c), so
 * a stack that overflows its bottom runs into a page that is not there:
 *
 *	guard (4 KiB, unmapped) | stack, 16 KiB, grows down | guard
 *	                        ^ task->stack               ^ task_stack_top()
 *
 * The first push below task->stack faults.  The CPU then tries to push the
 * page-fault frame — onto the same missing page — and faults again while
 * delivering the first fault: a double fault (Intel SDM vol. 3A §6.15,
 * "Interrupt 8—Double Fault Exception", table 6-5: a page fault during the
 * delivery of a page fault).  Double faults always run on their own IST
 * stack (kernel/arch/x86_64/gdt.c, idt.c), so the handler can still print;
 * it asks task_stack_report_fault() whether the stack pointer was at the
 * bottom of the current task's stack, and the oops says so:
 *
 *	Oops: double fault (#DF), error 0x0
 *	kernel stack overflow: task 'deep' (pid 7) hit the guard page below
 *	its 16384-byte stack ffffc90000031000-ffffc90000035000
 *	(RSP ffffc90000030ff8)			(one line on the console)
 *
 * Without the guard page the overflow would silently overwrite whatever
 * lies below the stack — in a kernel with one big array of stacks, the
 * neighbouring task's.  The price: four page-table entries and a TLB miss
 * or two per stack, instead of the direct map's large pages.
 *
 * Pids are handed out by a counter, 1, 2, 3, …; 0 is every idle task.
 * Lab 7 replaces this with a pid allocator that reuses numbers.
 *
 * Locking: tasklist_lock (spinlock, interrupts off) protects the list of
 * all tasks (task->tasks), which exists for sched_show_tasks() and, later,
 * /proc.  Nothing here sleeps but task_alloc() (vmalloc).
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/kallsyms.h>
#include <kestrel/mm.h>
#include <kestrel/panic.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/spinlock.h>
#include <kestrel/string.h>
#include <kestrel/vmalloc.h>

struct list_head task_list = LIST_HEAD_INIT(task_list);
spinlock_t tasklist_lock = SPINLOCK_INIT;
static int last_pid;	/* atomic: the most recent pid handed out */

void task_list_add(struct task *p)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	list_add_tail(&p->tasks, &task_list);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

struct task *task_alloc(const char *comm)
{
	struct task *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return ERR_PTR(-ENOMEM);
	p->stack = __vmalloc(THREAD_SIZE, GFP_KERNEL,
			     (unsigned long)__builtin_return_address(0));
	if (!p->stack) {
		kfree(p);
		return ERR_PTR(-ENOMEM);
	}
	p->state = TASK_NEW;
	p->cpu = this_cpu()->cpu;
	p->static_prio = 120;
	p->se.weight = 1024;	/* nice 0: NICE_0_WEIGHT */
	list_init(&p->se.run_node);
	p->usage = 1;
	p->pid = __atomic_add_fetch(&last_pid, 1, __ATOMIC_RELAXED);
	strscpy(p->comm, comm, sizeof(p->comm));
	task_list_add(p);
	return p;
}

void __put_task_struct(struct task *p)
{
	unsigned long flags;

	/* Only a task that never ran or that has finished can be freed. */
	if (WARN_ON(p->state != TASK_DEAD && p->state != TASK_NEW) ||
	    WARN_ON(p->flags & PF_IDLE) || WARN_ON(p->on_cpu))
		return;
	flags = spin_lock_irqsave(&tasklist_lock);
	list_del(&p->tasks);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	vfree(p->stack);
	kfree(p->kthread);
	kfree(p);
}

bool task_stack_report_fault(unsigned long sp)
{
	struct task *p = current;
	unsigned long bottom;

	if (!p || !p->stack || (p->flags & PF_IDLE))
		return false;
	bottom = (unsigned long)p->stack;
	/* In the guard page, or within a few words above it: a push or
	 * call at the very bottom faults with RSP still there. */
	if (sp + PAGE_SIZE < bottom || sp >= bottom + 64)
		return false;
	pr_emerg("kernel stack overflow: task '%s' (pid %d) hit the guard page below its %d-byte stack %016lx-%016lx (RSP %016lx)\n",
		 p->comm, p->pid, THREAD_SIZE, bottom, bottom + THREAD_SIZE,
		 sp);
	return true;
}

static const char *state_name(long state)
{
	switch (state) {
	case TASK_RUNNING:
		return "R";
	case TASK_INTERRUPTIBLE:
		return "S";
	case TASK_UNINTERRUPTIBLE:
		return "D";
	case TASK_DEAD:
		return "X";
	case TASK_NEW:
		return "N";
	default:
		return "?";
	}
}

void sched_show_tasks(void)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *p;

	pr_info("  PID COMM             S CPU NICE   RUNTIME(ms)  VOLUNTARY INVOLUNTARY\n");
	list_for_each_entry(p, &task_list, tasks)
		pr_info("%5d %-16s %s %3d %4d %13llu %10llu %11llu\n", p->pid,
			p->comm, state_name(p->state), p->cpu, task_nice(p),
			(unsigned long long)(p->se.sum_exec_runtime / 1000000),
			(unsigned long long)p->nvcsw,
			(unsigned long long)p->nivcsw);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}
