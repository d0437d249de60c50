/*
 * oom.c — choosing and killing a process when memory runs out
 * (kestrel/oom.h tells the policy).
 *
 * The choice reads every process's mm->rss under tasklist_lock: rss is
 * updated atomically by faults and unmaps without that lock, so the
 * numbers are a snapshot, which is all a heuristic needs.  A process
 * already dying (a fatal signal set) is not chosen again: its memory is
 * on its way back, and killing a second process for the same shortage
 * would be a waste.
 */
#include <kestrel/mman.h>
#include <kestrel/oom.h>
#include <kestrel/printk.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/string.h>
#include <uapi/asm-generic/signal.h>

/* The process to kill, or NULL; *@dying: one is already on its way out. */
static struct task *pick_victim(bool *dying)
{
	struct task *p, *victim = NULL;
	long best = -1, rss;

	list_for_each_entry(p, &task_list, tasks) {
		if (!p->mm || p != p->group_leader || p->exit_state)
			continue;
		if (fatal_signal_pending(p)) {
			*dying = true;
			continue;
		}
		rss = __atomic_load_n(&p->mm->rss, __ATOMIC_RELAXED);
		if (p->tgid == 1)
			rss = 0;	/* init only when nothing else is left */
		if (rss > best) {
			best = rss;
			victim = p;
		}
	}
	return victim;
}

bool out_of_memory(void)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	unsigned long total_vm = 0, rss = 0;
	char comm[TASK_COMM_LEN];
	bool dying = false;
	struct task *victim = pick_victim(&dying);
	pid_t pid = 0;

	/* Read what the report needs now: once the lock is dropped, the
	 * victim may exit and its mm go away. */
	if (victim) {
		get_task_struct(victim);
		pid = victim->tgid;
		memcpy(comm, victim->comm, sizeof(comm));
		total_vm = victim->mm->total_vm;
		rss = victim->mm->rss;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!victim)
		return dying;
	pr_err("Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB\n",
	       pid, comm, total_vm << (PAGE_SHIFT - 10), rss << (PAGE_SHIFT - 10));
	force_fatal_signal(victim, SIGKILL);
	put_task_struct(victim);
	return true;
}
