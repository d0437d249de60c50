/*
 * kestrel/mm_types.h — a process's address space: struct mm and its
 * virtual memory areas.
 *
 * Every user process has one struct mm (threads share it): its own page
 * tables — a pgd whose user half is private and whose kernel half is
 * init_pgd's (kestrel/pgtable.h, pgd_alloc) — and the list of its virtual
 * memory areas (VMAs).  A VMA is a run of pages with one set of rights
 * and one kind of backing:
 *
 *	0x400000  ┌──────────┐ text    r-x  private (from the ELF file)
 *	          ├──────────┤ data    rw-  private
 *	          ├──────────┤ heap    rw-  private, grows with brk(2)
 *	          │   …      │
 *	mmap_base ├──────────┤ mmap(2) areas, placed top-down below here
 *	          │   …      │
 *	          ├──────────┤ stack   rw-  private, VM_GROWSDOWN
 *	STACK_TOP └──────────┘
 *
 * The VMAs are what the process is *allowed* to touch; the page tables
 * are what is *present* right now.  A page fault inside a VMA that allows
 * the access is not an error but a request: a page that was never touched
 * gets a zero page (demand paging), a write to a page shared after fork
 * gets a private copy (copy-on-write).  A fault outside every VMA, or one
 * the VMA does not allow, is the process's bug: SIGSEGV
 * (kernel/mm/memory.c, docs/processes.md).
 *
 * Anonymous private pages are counted: page->_refcount is the number of
 * page-table entries that map the page (plus transient references), so a
 * write fault knows whether it is the last user (write in place) or must
 * copy.  The zero page is never counted or freed.  MAP_SHARED anonymous
 * memory lives in a struct shmem_object that every VMA mapping it (in
 * every process, after fork) points to, so that all of them see the same
 * pages even for pages first touched after the fork.
 *
 * Locking legend:
 *	(M) mm->mmap_lock, a mutex: the VMA list and its fields, and the
 *	    user half of the page tables.  Page faults take it; nothing that
 *	    holds it may touch user memory (kestrel/uaccess.h).
 *	(A) atomic
 *	(O) set once when created (or by exec before the mm is in use)
 *	(S) the shmem object's own spinlock
 */
#ifndef KESTREL_MM_TYPES_H
#define KESTREL_MM_TYPES_H

#include <asm/pgtable.h>
#include <kestrel/list.h>
#include <kestrel/mutex.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>

struct file;
struct page;

/*
 * vm_flags: what a VMA allows and how it behaves.  The values are
 * Linux's (include/linux/mm.h), which /proc/PID/smaps shows in lab 8.
 * VM_MAY* say what mprotect may later grant.
 */
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL	/* MAP_SHARED: writes are seen by all */
#define VM_MAYREAD	0x00000010UL
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_GROWSDOWN	0x00000100UL	/* a stack: faults just below extend it */
#define VM_DONTCOPY	0x00020000UL	/* MADV_DONTFORK: not inherited by fork */
#define VM_ACCESS_FLAGS	(VM_READ | VM_WRITE | VM_EXEC)

/* Where a process's memory goes (x86_64, no randomization). */
#define STACK_TOP	0x00007ffffffff000UL	/* the stack grows down from here */
#define STACK_GUARD_GAP	(256UL << 12)	/* bytes kept free below a stack */
#define MMAP_MIN_ADDR	0x10000UL	/* nothing is mapped below (NULL stays a fault) */
#define ELF_ET_DYN_BASE	0x0000555555554000UL	/* load address of a PIE */

/**
 * struct shmem_object - the pages of one MAP_SHARED|MAP_ANONYMOUS mapping,
 * shared by every VMA created from it (fork copies the VMA, not the pages).
 * @lock: (S) guards @pages
 * @refs: (A) VMAs pointing here
 * @nr_pages: the size of @pages
 * @pages: page i of the object, or NULL until first touched; each holds
 *         one reference for the object
 */
struct shmem_object {
	spinlock_t lock;
	int refs;
	unsigned long nr_pages;
	struct page **pages;
};

/**
 * struct vm_area - one virtual memory area of an address space
 * @vm_start: (M) first address, page aligned
 * @vm_end: (M) one past the last address, page aligned
 * @vm_flags: (M) VM_* above
 * @vm_mm: (O) the address space it belongs to
 * @vm_list: (M) on vm_mm->mmap, sorted by address, never overlapping
 * @vm_shared: (M) MAP_SHARED anonymous memory: the object holding the pages
 * @vm_file: (M) a file mapping (lab 8): the file, whose reference the VMA
 *           holds; its pages come from the file's page cache
 * @vm_pgoff: (M) with @vm_shared or @vm_file: the object's (the file's)
 *            page that @vm_start maps
 * @vm_mapping_list: with @vm_file: on the file's mapping->i_mmap (under
 *           mapping->lock), so that truncate finds the VMAs to unmap
 */
struct vm_area {
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned long vm_flags;
	struct mm *vm_mm;
	struct list_head vm_list;
	struct shmem_object *vm_shared;
	struct file *vm_file;
	unsigned long vm_pgoff;
	struct list_head vm_mapping_list;
};

/**
 * struct mm - an address space
 * @pgd: (O) its page tables: a private user half, the kernel's upper half
 * @mmap_lock: the lock of the legend above
 * @mmap: (M) its VMAs, sorted by address
 * @mmap_cache: (M) the VMA find_vma() found last (most lookups repeat)
 * @map_count: (M) number of VMAs
 * @mm_users: (A) tasks using it (threads share one mm); the last mmput frees it
 * @start_code, @end_code, @start_data, @end_data: (O) the ELF segments
 * @start_brk: (O) where the heap starts; @brk: (M) its current end
 * @start_stack: (O) the initial stack pointer
 * @arg_start, @arg_end, @env_start, @env_end: (O) argv and envp strings
 * @mmap_base: (O) mmap areas are placed top-down below this address
 * @total_vm: (M) pages covered by VMAs
 * @rss: (A) pages present (the zero page not counted), for the OOM killer
 * @exe_file: (O) the program's file, for /proc/<pid>/exe (lab 8; NULL
 *            for a program run from the initrd before lab 8's VFS)
 */
struct mm {
	pgd_t *pgd;
	struct mutex mmap_lock;
	struct list_head mmap;
	struct vm_area *mmap_cache;
	int map_count;
	int mm_users;
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk;
	unsigned long start_stack;
	unsigned long arg_start, arg_end, env_start, env_end;
	unsigned long mmap_base;
	unsigned long total_vm;
	long rss;
	struct file *exe_file;
};

static inline unsigned long vma_pages(const struct vm_area *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

#endif
