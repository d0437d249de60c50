/*
 * info.c — the files at the top of /proc, in the formats of proc(5):
 *
 *	meminfo      "MemTotal:       524288 kB" — label, value in kB
 *	cpuinfo      one paragraph per CPU (the arch writes it)
 *	uptime       seconds since boot and seconds idle, two decimals
 *	loadavg      three load averages, runnable/total tasks, last pid
 *	             (Kestrel keeps no load average yet: 0.00)
 *	stat         CPU time in USER_HZ ticks, interrupts, context
 *	             switches, boot time, processes
 *	version      the kernel as uname(2) names it: Linux 6.1.0-kestrel
 *	cmdline      the kernel's command line
 *	filesystems  the registered file system types
 *	devices      the registered character devices
 *	mounts       a link to self/mounts, as on Linux
 */
#include <kestrel/cmdline.h>
#include <kestrel/cpuinfo.h>
#include <kestrel/fs.h>
#include <kestrel/irq.h>
#include <kestrel/ktime.h>
#include <kestrel/mm.h>
#include <kestrel/sched.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>

#include "internal.h"

#define NSEC_PER_TICK	10000000ULL	/* USER_HZ = 100 */

static void meminfo_line(struct proc_buf *m, const char *label,
			 unsigned long pages)
{
	proc_printf(m, "%-16s%8lu kB\n", label, pages * (PAGE_SIZE / 1024));
}

/*
 * /proc/meminfo: Linux 6.1's fields, in its order (fs/proc/meminfo.c),
 * up to Committed_AS; what Kestrel does not count (swap, a page cache,
 * slabs) is 0, and every used page counts as active anonymous memory.  Tools read it by name, but busybox's free
 * reads only the first 1024 bytes and prints an old-style "-/+
 * buffers/cache" line when SReclaimable is not among them, so the order
 * matters as well as the names.
 */
static int show_meminfo(struct proc_buf *m, struct proc_inode *pi)
{
	unsigned long total = totalram_pages(), free = nr_free_pages();
	unsigned long used = total - free;
	const struct {
		const char *label;
		unsigned long pages;
	} lines[] = {
		{ "MemTotal:", total }, { "MemFree:", free },
		{ "MemAvailable:", free }, { "Buffers:", 0 }, { "Cached:", 0 },
		{ "SwapCached:", 0 }, { "Active:", used }, { "Inactive:", 0 },
		{ "Active(anon):", used }, { "Inactive(anon):", 0 },
		{ "Active(file):", 0 }, { "Inactive(file):", 0 },
		{ "Unevictable:", 0 }, { "Mlocked:", 0 }, { "SwapTotal:", 0 },
		{ "SwapFree:", 0 }, { "Zswap:", 0 }, { "Zswapped:", 0 },
		{ "Dirty:", 0 }, { "Writeback:", 0 }, { "AnonPages:", used },
		{ "Mapped:", 0 }, { "Shmem:", 0 }, { "KReclaimable:", 0 },
		{ "Slab:", 0 }, { "SReclaimable:", 0 }, { "SUnreclaim:", 0 },
		{ "KernelStack:", 0 }, { "PageTables:", 0 },
		{ "NFS_Unstable:", 0 }, { "Bounce:", 0 }, { "WritebackTmp:", 0 },
		{ "CommitLimit:", total / 2 }, { "Committed_AS:", used },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lines); i++)
		meminfo_line(m, lines[i].label, lines[i].pages);
	return 0;
}

static int show_cpuinfo(struct proc_buf *m, struct proc_inode *pi)
{
	size_t room = m->cap - m->len;
	int n = arch_show_cpuinfo(m->data + m->len, room, 0);

	m->len += n;
	if ((size_t)n >= room)
		m->overflow = true;
	return 0;
}

/* Time the idle tasks ran, ns. */
static u64 idle_ns(void)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *p;
	u64 ns = 0;

	list_for_each_entry(p, &task_list, tasks)
		if (p->flags & PF_IDLE)
			ns += p->se.sum_exec_runtime;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ns;
}

static int show_uptime(struct proc_buf *m, struct proc_inode *pi)
{
	u64 up = ktime_get() / NSEC_PER_TICK, idle = idle_ns() / NSEC_PER_TICK;

	proc_printf(m, "%llu.%02llu %llu.%02llu\n",
		    (unsigned long long)up / 100, (unsigned long long)up % 100,
		    (unsigned long long)idle / 100, (unsigned long long)idle % 100);
	return 0;
}

/* Tasks runnable now, tasks in all, the highest pid; and switches. */
static void count_tasks(int *running, int *total, int *last, u64 *switches)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct task *p;

	*running = *total = *last = 0;
	*switches = 0;
	list_for_each_entry(p, &task_list, tasks) {
		if (p->flags & PF_IDLE)
			continue;
		(*total)++;
		*running += p->state == TASK_RUNNING;
		*last = MAX(*last, p->pid);
		*switches += p->nvcsw + p->nivcsw;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

static int show_loadavg(struct proc_buf *m, struct proc_inode *pi)
{
	int running, total, last;
	u64 switches;

	count_tasks(&running, &total, &last, &switches);
	proc_printf(m, "0.00 0.00 0.00 %d/%d %d\n", running, total, last);
	return 0;
}

static int show_stat(struct proc_buf *m, struct proc_inode *pi)
{
	u64 up = ktime_get() / NSEC_PER_TICK, idle = idle_ns() / NSEC_PER_TICK;
	u64 busy = up > idle ? up - idle : 0, irqs = 0, switches;
	int running, total, last;
	unsigned int i, c;
	struct irq_desc *d;

	for (i = 0; i < NR_IRQS; i++)
		if ((d = irq_to_desc(i)))
			for (c = 0; c < NR_CPUS; c++)
				irqs += d->count[c];
	count_tasks(&running, &total, &last, &switches);
	proc_printf(m, "cpu  %llu 0 0 %llu 0 0 0 0 0 0\n",
		    (unsigned long long)busy, (unsigned long long)idle);
	proc_printf(m, "cpu0 %llu 0 0 %llu 0 0 0 0 0 0\n",
		    (unsigned long long)busy, (unsigned long long)idle);
	proc_printf(m, "intr %llu\nctxt %llu\nbtime %llu\nprocesses %d\n",
		    (unsigned long long)irqs, (unsigned long long)switches,
		    (unsigned long long)(ktime_get_real_seconds() -
					 ktime_get() / NSEC_PER_SEC), last);
	proc_printf(m, "procs_running %d\nprocs_blocked 0\n", MAX(running, 1));
	return 0;
}

static int show_version(struct proc_buf *m, struct proc_inode *pi)
{
	proc_printf(m, "Linux version 6.1.0-kestrel (kestrel@localhost) (gcc version %s) #1 SMP Kestrel 0.1.0\n",
		    __VERSION__);
	return 0;
}

static int show_cmdline(struct proc_buf *m, struct proc_inode *pi)
{
	proc_printf(m, "%s\n", cmdline_get());
	return 0;
}

static int show_filesystems(struct proc_buf *m, struct proc_inode *pi)
{
	filesystems_show(proc_emit, m);
	return 0;
}

static int show_devices(struct proc_buf *m, struct proc_inode *pi)
{
	chrdev_show(proc_emit, m);
	proc_printf(m, "\nBlock devices:\n");
	return 0;
}

static const char *mounts_get_link(struct dentry *dentry, struct inode *inode,
				   char *buf)
{
	return "self/mounts";
}

static const struct inode_operations mounts_link_iops = {
	.get_link = mounts_get_link,
};

const struct proc_entry proc_root_entries[] = {
	{ "cmdline", S_IFREG | 0444, .show = show_cmdline },
	{ "cpuinfo", S_IFREG | 0444, .show = show_cpuinfo },
	{ "devices", S_IFREG | 0444, .show = show_devices },
	{ "filesystems", S_IFREG | 0444, .show = show_filesystems },
	{ "loadavg", S_IFREG | 0444, .show = show_loadavg },
	{ "meminfo", S_IFREG | 0444, .show = show_meminfo },
	{ "mounts", S_IFLNK | 0777, .iop = &mounts_link_iops },
	{ "stat", S_IFREG | 0444, .show = show_stat },
	{ "uptime", S_IFREG | 0444, .show = show_uptime },
	{ "version", S_IFREG | 0444, .show = show_version },
};

const unsigned int proc_root_nr = ARRAY_SIZE(proc_root_entries);
