/*
 * idle.c — the idle tasks, and how start-up becomes one.
 *
 * Every CPU always has something to run: when no task is runnable, the
 * scheduler picks the CPU's idle task (rq->idle), which halts the CPU
 * until an interrupt arrives, and then checks whether that interrupt made
 * a task runnable.  The idle task is special in three ways:
 *
 *  - it is never on the timeline and never charged for CPU time: fair.c
 *    picks it only when the timeline is empty;
 *  - it never sleeps.  When code running as the idle task waits (for a
 *    completion, a mutex, a timeout), schedule() runs the runnable tasks
 *    or halts until the next interrupt, then returns so the caller can
 *    look again (core.c, idle_schedule) — a poll, but one that costs
 *    nothing while the CPU is halted;
 *  - it has no stack of its own: it runs on the stack the CPU booted on.
 *
 * On the boot CPU the idle task is start_kernel itself.  sched_init(),
 * early in start-up, wraps the running code in a struct task — "idle/0",
 * pid 0 — so that `current` is valid from then on; start-up goes on as
 * that task (ktests run there too), and at its end start_kernel starts
 * the first kernel threads and calls cpu_idle(), which never returns.
 * The SMP lab brings up the other CPUs the same way, each with an idle
 * task of its own (init_idle on the CPU's boot stack).
 *
 * Halting safely.  The idle loop tests need_resched() and then halts.  An
 * interrupt between the test and the `hlt` could make a task runnable and
 * then the CPU would sleep with work to do until the next interrupt.  So
 * the test runs with interrupts off, and safe_halt() executes `sti; hlt`:
 * STI delays interrupts until after the next instruction (Intel SDM vol.
 * 2B, STI: "interrupts are recognized at the instruction boundary after
 * the next instruction"), so a pending interrupt is taken once `hlt` has
 * started, and wakes it.
 */
#include <kestrel/irqflags.h>
#include <kestrel/percpu.h>
#include <kestrel/sched.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>
#include "sched.h"

extern char boot_stack[];	/* head.S: the boot CPU's stack */

static struct task boot_idle_task;	/* CPU 0's idle task: start_kernel */

void init_idle(struct task *idle, int cpu, void *stack)
{
	struct rq *rq = cpu_rq(cpu);

	memset(idle, 0, sizeof(*idle));
	idle->state = TASK_RUNNING;
	idle->flags = PF_IDLE | PF_KTHREAD;
	idle->on_cpu = 1;
	idle->cpu = cpu;
	idle->static_prio = 120;
	idle->se.weight = NICE_0_WEIGHT;
	list_init(&idle->se.run_node);
	idle->pid = 0;
	snprintf(idle->comm, sizeof(idle->comm), "idle/%d", cpu);
	idle->stack = stack;
	idle->usage = 1;	/* never freed */
	list_init(&idle->tasks);

	rq_init(rq, cpu, idle);
	this_cpu()->rq = rq;
	this_cpu()->current_task = idle;
	this_cpu()->need_resched = false;
	task_list_add(idle);
}

void sched_init(void)
{
	init_idle(&boot_idle_task, 0, boot_stack);
}

/*
 * One pass of the idle loop: run whatever is runnable, else halt until
 * the next interrupt.  Interrupts on afterwards.
 */
static void idle_step(void)
{
	local_irq_disable();
	if (!need_resched())
		safe_halt();		/* sti; hlt — see the top of the file */
	else
		local_irq_enable();
	if (need_resched())
		schedule();
}

void cpu_idle(void)
{
	WARN_ON(!(current->flags & PF_IDLE));
	for (;;)
		idle_step();
}
