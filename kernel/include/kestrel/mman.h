/*
 * kestrel/mman.h — managing a process's address space (kernel/mm/).
 *
 * The structures are in kestrel/mm_types.h.  Four files implement this
 * interface, one layer each:
 *
 *	mm.c      the life of a struct mm: mm_alloc, mmput, dup_mm (fork),
 *	          switching the CPU to an address space
 *	vma.c     the sorted list of VMAs: find_vma, insert, split, merge,
 *	          get_unmapped_area
 *	memory.c  the page tables under the VMAs: page faults (demand paging,
 *	          copy-on-write, stack growth), copying them at fork,
 *	          unmapping, changing protections, moving, populating
 *	mmap.c    the system calls: brk, mmap, munmap, mprotect, mremap,
 *	          madvise — and do_mmap/do_munmap for exec and the kernel
 *
 * Rules: functions named do_* and every vma_* take @mm's mmap_lock
 * themselves only when they say so; most expect the caller to hold it
 * ("(M)" below).  Nothing here touches user memory through uaccess: the
 * kernel reaches user pages through the direct map.  Errors are -errno
 * as the system calls return them (mmap(2), munmap(2), …).
 */
#ifndef KESTREL_MMAN_H
#define KESTREL_MMAN_H

#include <kestrel/mm_types.h>
#include <kestrel/types.h>

struct task;

/* --- mm.c: address spaces ----------------------------------------------- */

/** mm_alloc - an empty address space (page tables with only the kernel
 *  half), one user.  NULL when out of memory. */
struct mm *mm_alloc(void);

/** mmget - one more user of @mm (a thread created with CLONE_VM). */
void mmget(struct mm *mm);

/** mmput - drop a user; the last one unmaps everything, frees the pages,
 *  the page tables and the mm.  The caller must not be running on @mm's
 *  page tables when it may be the last (exit switches away first).  May sleep. */
void mmput(struct mm *mm);

/**
 * dup_mm - the address space of a forked child: a copy of @old's VMAs
 * whose private pages are shared copy-on-write (copy_page_range), shared
 * ones really shared.  Takes @old's mmap_lock.  Returns the new mm or
 * ERR_PTR(-ENOMEM).  May sleep.
 */
struct mm *dup_mm(struct mm *old);

/** switch_mm - load @next's page tables on this CPU (init_pgd for NULL). */
void switch_mm(struct mm *next);

/* --- vma.c: the list of areas (all (M)) ---------------------------------- */

/** find_vma - the first VMA with vm_end > @addr (it may start above @addr),
 *  or NULL.  Linux's semantics: the VMA containing @addr, or the next. */
struct vm_area *find_vma(struct mm *mm, unsigned long addr);

/** find_vma_intersection - a VMA overlapping [@start, @end), or NULL. */
struct vm_area *find_vma_intersection(struct mm *mm, unsigned long start,
				      unsigned long end);

/** vma_prev - the VMA before @vma, or NULL. */
struct vm_area *vma_prev(struct vm_area *vma);

/** vma_next - the VMA after @vma, or NULL. */
struct vm_area *vma_next(struct vm_area *vma);

/** vma_alloc - a VMA for [@start, @end) with @flags, not yet in a list. */
struct vm_area *vma_alloc(struct mm *mm, unsigned long start,
			  unsigned long end, unsigned long flags);

/** vma_free - free a VMA that is not (or no longer) in a list; drops its
 *  shmem object reference, or its file's (which may be the last: fput). */
void vma_free(struct vm_area *vma);

/** vma_set_file - make @vma map @file (a reference taken) from its page
 *  @pgoff on, and put it on the file's list of mappings. */
void vma_set_file(struct vm_area *vma, struct file *file, unsigned long pgoff);

/** vma_copy_backing - give @to what backs @from (its shmem object or its
 *  file, references taken), @to's first page being the object's @pgoff
 *  (vma_split, fork, mremap). */
void vma_copy_backing(struct vm_area *to, const struct vm_area *from,
		      unsigned long pgoff);

/** vma_insert - put @vma in @mm's sorted list.  -EEXIST if it overlaps. */
int vma_insert(struct mm *mm, struct vm_area *vma);

/** vma_unlink - take @vma out of its mm's list (it stays allocated). */
void vma_unlink(struct vm_area *vma);

/**
 * vma_split - cut @vma at @addr (page aligned, strictly inside): @vma
 * keeps [vm_start, @addr), a new VMA after it gets [@addr, vm_end).
 * Returns the new VMA, or NULL when out of memory (nothing changed).
 */
struct vm_area *vma_split(struct vm_area *vma, unsigned long addr);

/** vma_merge_around - merge @vma with its neighbours where they touch and
 *  are alike (same flags, private, no shared object, no file); returns the VMA
 *  that now covers @vma's range. */
struct vm_area *vma_merge_around(struct vm_area *vma);

/**
 * get_unmapped_area - a free, page-aligned range of @len bytes for mmap:
 * at @hint if that is free (and nonzero), else the highest free gap
 * below mm->mmap_base (top-down), or below 2 GiB for @below_2g.  Returns
 * the address, or -ENOMEM when nothing fits.
 */
long get_unmapped_area(struct mm *mm, unsigned long hint, unsigned long len,
		       bool below_2g);

/** vm_flags_to_prot - the page-table protection for a VMA's flags. */
pgprot_t vm_flags_to_prot(unsigned long vm_flags);

/* --- memory.c: page tables under the areas ------------------------------ */

/* What the fault was (from the hardware's error code, by the arch). */
#define FAULT_FLAG_WRITE	0x01
#define FAULT_FLAG_INSTR	0x02
#define FAULT_FLAG_USER		0x04	/* from user mode (else a uaccess helper) */
#define FAULT_FLAG_PRESENT	0x08	/* the page was present: a protection fault */

/* What handle_mm_fault decided. */
enum vm_fault_result {
	VM_FAULT_OK,		/* the access may be retried: it will work */
	VM_FAULT_MAPERR,	/* no VMA there: SIGSEGV (SEGV_MAPERR) */
	VM_FAULT_ACCERR,	/* the VMA forbids the access: SIGSEGV (SEGV_ACCERR) */
	VM_FAULT_OOM,		/* no memory for the page or its tables */
	VM_FAULT_SIGBUS,	/* a file page past the end of the file, or
				 * one the file system could not give:
				 * SIGBUS (BUS_ADRERR) */
};

/**
 * handle_mm_fault - serve a page fault at user address @addr of @mm: grow
 * a stack, map a zero page or a new zeroed page (demand paging), copy a
 * shared page for a write (copy-on-write), map a page of a shared
 * object or of a file's page cache.  @flags: FAULT_FLAG_*.  Takes
 * mmap_lock.  May sleep.
 */
enum vm_fault_result handle_mm_fault(struct mm *mm, unsigned long addr,
				     unsigned int flags);

/**
 * copy_page_range - fork's copy of @vma's page tables from @src to @dst
 * (@dst_vma is the child's copy of @vma): every present entry is copied
 * and its page gets one more reference; for a private writable VMA both
 * entries become read-only (copy-on-write).  Both mmap_locks held.
 * Returns 0 or -ENOMEM.
 */
int copy_page_range(struct mm *dst, struct mm *src, struct vm_area *dst_vma,
		    struct vm_area *vma);

/** zap_page_range - unmap [@start, @end) of @mm (page aligned): clear the
 *  entries, drop the pages' references, flush the TLB.  (M) */
void zap_page_range(struct mm *mm, unsigned long start, unsigned long end);

/** change_protection - set the entries of [@start, @end) inside @vma to
 *  what its (new) vm_flags allow; a private page shared with another
 *  process stays read-only for copy-on-write.  (M) */
void change_protection(struct vm_area *vma, unsigned long start,
		       unsigned long end);

/** move_page_range - move the entries of [@old, @old + @len) to @new (the
 *  destination is unmapped).  (M) Returns 0 or -ENOMEM (nothing moved). */
int move_page_range(struct mm *mm, unsigned long old, unsigned long new,
		    unsigned long len);

/**
 * mm_populate - make every page of [@start, @end) inside @vma present now
 * (zero pages for a private area, the object's pages for a shared one,
 * the file's pages up to its end for a file mapping), writable if the
 * VMA is.  (M) Returns 0 or -ENOMEM.
 */
int mm_populate(struct vm_area *vma, unsigned long start, unsigned long end);

/**
 * mm_map_page - map the existing @page at @addr of @vma, read-only (a
 * write copies it: copy-on-write), with a reference of its own.  For
 * exec's shared program text.  (M) 0, -ENOMEM, -EEXIST.
 */
int mm_map_page(struct vm_area *vma, unsigned long addr, struct page *page);

/**
 * mm_make_private - if the page at @addr of @vma is shared (with another
 * mapping, or a cache), give @vma a private copy, writable if the VMA
 * is.  For exec, before it writes into a page two segments share.  (M)
 * 0 or -ENOMEM.
 */
int mm_make_private(struct vm_area *vma, unsigned long addr);

/**
 * mm_page_at - the page that @mm maps at @addr, or NULL (for exec's
 * writes into a new address space and for futex keys).  (M)
 */
struct page *mm_page_at(struct mm *mm, unsigned long addr);

/** is_zero_page - the shared, never-written zero page. */
bool is_zero_page(const struct page *page);

/* --- shmem object (memory.c) --------------------------------------------- */

struct shmem_object *shmem_object_alloc(unsigned long nr_pages);
void shmem_object_get(struct shmem_object *obj);
void shmem_object_put(struct shmem_object *obj);
/** shmem_object_resize - grow (never shrink) to @nr_pages; 0 or -ENOMEM. */
int shmem_object_resize(struct shmem_object *obj, unsigned long nr_pages);

/* --- mmap.c: the kernel's side of the system calls (all take mmap_lock) -- */

/**
 * do_mmap - map [@addr, @addr + @len) (placed by get_unmapped_area unless
 * MAP_FIXED) with PROT_* @prot and MAP_* @flags: anonymous memory when
 * @file is NULL, else @file from its page @pgoff on (the mapping takes a
 * reference of its own).  Returns the address, or -errno as mmap(2).
 */
long do_mmap(struct mm *mm, struct file *file, unsigned long addr,
	     unsigned long len, unsigned long prot, unsigned long flags,
	     unsigned long pgoff);

/** do_munmap - unmap [@start, @start + @len): 0 or -EINVAL/-ENOMEM. */
int do_munmap(struct mm *mm, unsigned long start, unsigned long len);

/** __do_munmap - do_munmap with mmap_lock held. */
int __do_munmap(struct mm *mm, unsigned long start, unsigned long len);

#endif
