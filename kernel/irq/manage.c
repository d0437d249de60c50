/*
 * manage.c — interrupt lines and their handlers (kestrel/irq.h).
 *
 * One struct irq_desc per line, in a static table (no allocation at
 * boot), each with a singly linked list of struct irqaction, one per
 * handler.  The life of a line:
 *
 *	idle ──request_irq──> active (vector, unmasked) ──free_irq──> idle
 *	          (first handler)        │  ▲                (last handler)
 *	                                 └──┘ request_irq/free_irq of
 *	                                      further IRQF_SHARED handlers
 *
 * The arch allocates the vector and programs the controller
 * (arch_irq_activate, asm/irq.h); the dispatcher finds the descriptor
 * from the vector and calls handle_irq_desc(), which runs every handler
 * and counts the interrupt for this CPU.
 *
 * A line that keeps interrupting while no handler claims it (a level-
 * triggered device nobody services, a misrouted line) would storm the CPU
 * for ever; after IRQ_STORM_LIMIT unclaimed interrupts in a row the line
 * is masked and reported, as Linux does ("nobody cared").
 *
 * Locking: irq_desc_lock, a spinlock taken with interrupts off, guards
 * every action list and the activation of lines; it is held across
 * arch_irq_activate/deactivate (lock order in asm/irq.h).  The dispatcher
 * runs with interrupts off and takes no lock: a handler is added to the
 * list before the line is unmasked, and free_irq masks a line before
 * removing its last handler.  Removing one handler of a shared, active
 * line is safe on one CPU (the dispatcher cannot run meanwhile); lab 11
 * must wait for handlers running on other CPUs before kfree.
 */
#include <asm/irq.h>
#include <kestrel/errno.h>
#include <kestrel/irq.h>
#include <kestrel/panic.h>
#include <kestrel/percpu.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/spinlock.h>

#define IRQ_STORM_LIMIT	100000	/* unclaimed interrupts in a row */

static struct irq_desc irq_descs[NR_IRQS];
static spinlock_t irq_desc_lock = SPINLOCK_INIT;

struct irq_desc *irq_to_desc(unsigned int irq)
{
	return irq < NR_IRQS ? &irq_descs[irq] : NULL;
}

/* Whether a new handler with @flags may join @desc's handlers. */
static bool can_share(const struct irq_desc *desc, unsigned int flags)
{
	const struct irqaction *a;

	if (!desc->action)
		return true;
	if (!(flags & IRQF_SHARED))
		return false;
	for (a = desc->action; a; a = a->next)
		if (!(a->flags & IRQF_SHARED))
			return false;
	return true;
}

/* Append @new to @desc; activate the line if it is the first. */
static int add_action(struct irq_desc *desc, struct irqaction *new)
{
	struct irqaction **link = &desc->action;
	int err = 0;

	if (!can_share(desc, new->flags))
		return -EBUSY;
	while (*link)
		link = &(*link)->next;
	*link = new;
	if (link == &desc->action) {
		desc->unhandled = 0;
		err = arch_irq_activate(desc);
		if (err)
			desc->action = NULL;
	}
	return err;
}

int request_irq(unsigned int irq, irq_handler_t handler, unsigned int flags,
		const char *name, void *dev)
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct irqaction *action;
	unsigned long lflags;
	int err;

	if (!desc || !handler)
		return -EINVAL;
	action = kmalloc(sizeof(*action), GFP_KERNEL);
	if (!action)
		return -ENOMEM;
	*action = (struct irqaction){ .handler = handler, .dev = dev,
				      .name = name, .flags = flags };
	lflags = spin_lock_irqsave(&irq_desc_lock);
	err = add_action(desc, action);
	spin_unlock_irqrestore(&irq_desc_lock, lflags);
	if (err)
		kfree(action);
	return err;
}

void free_irq(unsigned int irq, void *dev)
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct irqaction **link, *found = NULL;
	unsigned long flags;

	if (!desc)
		return;
	flags = spin_lock_irqsave(&irq_desc_lock);
	for (link = &desc->action; *link; link = &(*link)->next)
		if ((*link)->dev == dev) {
			found = *link;
			break;
		}
	if (found && !found->next && link == &desc->action)
		arch_irq_deactivate(desc);	/* the last one: mask first */
	if (found)
		*link = found->next;
	spin_unlock_irqrestore(&irq_desc_lock, flags);
	if (WARN_ON(!found))
		return;
	kfree(found);
}

/* Unclaimed interrupts: tolerate a few, mask a storm. */
static void note_unhandled(struct irq_desc *desc)
{
	if (++desc->unhandled == IRQ_STORM_LIMIT) {
		pr_err("irq %u: nobody cared for %u interrupts in a row; line masked\n",
		       desc->irq, IRQ_STORM_LIMIT);
		arch_irq_mask(desc);
	}
}

void handle_irq_desc(struct irq_desc *desc)
{
	irqreturn_t ret = IRQ_NONE;
	struct irqaction *a;

	desc->count[this_cpu()->cpu]++;
	for (a = desc->action; a; a = a->next)
		ret |= a->handler(desc->irq, a->dev);
	if (ret == IRQ_NONE)
		note_unhandled(desc);
	else
		desc->unhandled = 0;
}

void irq_enter(void)
{
	this_cpu()->irq_depth++;
}

/*
 * The end of every interrupt, after the EOI.  Lab 5 adds preemption
 * here: when this is the outermost interrupt (irq_depth back at 0), the
 * interrupted context was preemptible and need_resched is set, call the
 * scheduler before returning to the interrupted thread.
 */
void irq_exit(void)
{
	this_cpu()->irq_depth--;
	/* Lab 5: a preemption point (kernel/sched/core.c).  Only when leaving
	 * the outermost interrupt: the task switched to must not inherit an
	 * interrupt context.  preempt_schedule_irq() checks the rest. */
	if (this_cpu()->irq_depth == 0 && need_resched())
		preempt_schedule_irq();
}

void irq_init(void)
{
	unsigned int i;

	for (i = 0; i < NR_IRQS; i++)
		irq_descs[i].irq = i;
	arch_irq_init();
}

void irq_print_stats(void)
{
	const struct percpu *p = this_cpu();
	const struct irqaction *a;
	unsigned int i;

	pr_info("           CPU%u\n", p->cpu);
	for (i = 0; i < NR_IRQS; i++) {
		const struct irq_desc *d = &irq_descs[i];

		if (!d->action)
			continue;
		pr_info("%4u: %10llu  vector 0x%02x ", i,
			(unsigned long long)d->count[p->cpu], d->vector);
		for (a = d->action; a; a = a->next)
			pr_cont("%s%s", a->name, a->next ? ", " : "\n");
	}
	pr_info(" LOC: %10llu  local timer interrupts\n",
		(unsigned long long)p->irq_timer);
	pr_info(" SPU: %10llu  spurious interrupts\n",
		(unsigned long long)p->irq_spurious);
	pr_info(" UNX: %10llu  unexpected vectors\n",
		(unsigned long long)p->irq_unexpected);
}
