/*
 * mm.c — the life of an address space (kestrel/mman.h).
 *
 *	mm_alloc ──exec──> in use by one task ──clone(CLONE_VM)──> shared by
 *	    threads (mm_users counts them) ──the last mmput──> freed
 *	dup_mm (fork) makes a copy-on-write twin of a running one
 *
 * An mm is created empty (mm_alloc: a pgd with only the kernel half) by
 * exec, which fills it with the program's segments and its stack, or as
 * a copy of the parent's by fork (dup_mm).  Every task using it holds one
 * mm_users reference; exit and exec drop theirs with mmput(), and the
 * last one tears everything down: every VMA is unmapped (its pages lose a
 * reference, and those that reach zero go back to the page allocator),
 * then the page tables of the user half, then the mm itself.
 *
 * Which page tables the CPU uses follows the running task: switch_mm()
 * is called at every context switch (arch_switch_user) and loads CR3 only
 * when the next task's mm differs from the one loaded — a kernel thread
 * runs on init_pgd, whose kernel half every mm shares.  A task must never
 * run on page tables that are being freed: exit switches to init_pgd
 * before its last mmput (kernel/task/exit.c).
 */
#include <asm/processor.h>
#include <kestrel/fs.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/irqflags.h>
#include <kestrel/mman.h>
#include <kestrel/mutex.h>
#include <kestrel/percpu.h>
#include <kestrel/pgtable.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

struct mm *mm_alloc(void)
{
	struct mm *mm = kzalloc(sizeof(*mm), GFP_KERNEL);

	if (!mm)
		return NULL;
	mm->pgd = pgd_alloc();
	if (!mm->pgd) {
		kfree(mm);
		return NULL;
	}
	mutex_init(&mm->mmap_lock);
	list_init(&mm->mmap);
	mm->mm_users = 1;
	mm->mmap_base = STACK_TOP;	/* exec sets the real one */
	return mm;
}

void mmget(struct mm *mm)
{
	__atomic_add_fetch(&mm->mm_users, 1, __ATOMIC_RELAXED);
}

/* Unmap and free every VMA: the pages lose the references the entries held. */
static void exit_mmap(struct mm *mm)
{
	struct vm_area *vma, *next;

	mutex_lock(&mm->mmap_lock);
	list_for_each_entry_safe(vma, next, &mm->mmap, vm_list) {
		zap_page_range(mm, vma->vm_start, vma->vm_end);
		vma_unlink(vma);
		vma_free(vma);
	}
	mutex_unlock(&mm->mmap_lock);
}

void mmput(struct mm *mm)
{
	if (__atomic_sub_fetch(&mm->mm_users, 1, __ATOMIC_ACQ_REL))
		return;
	/* No task runs on it any more; this CPU may still have it loaded
	 * if the caller never switched (an mm that never ran). */
	if (this_cpu()->loaded_mm == mm)
		switch_mm(NULL);
	exit_mmap(mm);
	pgd_free(mm->pgd);
	if (mm->exe_file)
		fput(mm->exe_file);	/* lab 8 */
	kfree(mm);
}

/* Copy the VMA @vma of the parent and its page tables into @mm. */
static int dup_vma(struct mm *mm, struct mm *old, struct vm_area *vma)
{
	struct vm_area *copy = vma_alloc(mm, vma->vm_start, vma->vm_end,
					 vma->vm_flags);
	int err;

	if (!copy)
		return -ENOMEM;
	vma_copy_backing(copy, vma, vma->vm_pgoff);
	err = vma_insert(mm, copy);
	if (err) {
		vma_free(copy);
		return err;
	}
	return copy_page_range(mm, old, copy, vma);
}

struct mm *dup_mm(struct mm *old)
{
	struct mm *mm = mm_alloc();
	struct vm_area *vma;
	int err = 0;

	if (!mm)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&old->mmap_lock);
	mutex_lock(&mm->mmap_lock);
	/* Everything but the pointers and the counters is the parent's. */
	mm->start_code = old->start_code;
	mm->end_code = old->end_code;
	mm->start_data = old->start_data;
	mm->end_data = old->end_data;
	mm->start_brk = old->start_brk;
	mm->brk = old->brk;
	mm->start_stack = old->start_stack;
	mm->arg_start = old->arg_start;
	mm->arg_end = old->arg_end;
	mm->env_start = old->env_start;
	mm->env_end = old->env_end;
	mm->mmap_base = old->mmap_base;
	mm->exe_file = old->exe_file ? get_file(old->exe_file) : NULL;
	list_for_each_entry(vma, &old->mmap, vm_list) {
		if (vma->vm_flags & VM_DONTCOPY)
			continue;
		err = dup_vma(mm, old, vma);
		if (err)
			break;
	}
	mutex_unlock(&mm->mmap_lock);
	mutex_unlock(&old->mmap_lock);
	if (err) {
		mmput(mm);
		return ERR_PTR(err);
	}
	return mm;
}

void switch_mm(struct mm *next)
{
	struct percpu *cpu = this_cpu();
	unsigned long flags = arch_local_irq_save();

	write_cr3(__pa(next ? next->pgd : init_pgd));
	cpu->loaded_mm = next;
	arch_local_irq_restore(flags);
}
