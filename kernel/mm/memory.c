/*
 * memory.c — the page tables under a process's VMAs: page faults, and
 * every operation that changes many entries at once (kestrel/mman.h).
 *
 * A user page-table entry is in one of four states:
 *
 *	empty            never touched, or unmapped: a fault consults the VMA
 *	present, RW      the process may write (its own page, or a shared one)
 *	present, RO      read-only: the VMA forbids writes, or the page is
 *	                 shared copy-on-write (after fork, or the zero page)
 *	"protnone"       not present, _PAGE_PROTNONE set, the frame kept: the
 *	                 VMA is PROT_NONE for now (mprotect); the page is still
 *	                 the process's and comes back with the next mprotect
 *
 * Demand paging.  mmap and brk only create VMAs.  The first read of an
 * anonymous private page maps the one shared zero page, read-only; the
 * first write maps a fresh zeroed page.  So a 256 MiB mapping that is
 * only sparsely touched costs a few pages, not 65536.
 *
 * Copy-on-write.  fork copies the page tables, not the pages: each
 * private page gets one more reference and both entries become read-only
 * (copy_page_range).  The first write from either side faults; do_wp_page
 * then copies the page for the writer — unless the writer holds the only
 * reference left (the other side already copied, or exited), in which
 * case it just makes its entry writable again.  page->_refcount counts
 * the entries that map a page, which is what makes that decision right.
 *
 * Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS) gets its pages from
 * the VMA's shmem_object, so every process that inherited the mapping
 * sees the same page even when it is first touched after the fork.
 *
 * File mappings (lab 8) get theirs from the file's page cache
 * (kernel/mm/filemap.c, do_file_page): a shared mapping maps the cache's
 * page itself, writable if the VMA is; a private one maps it read-only
 * and copies it at the first write, like a page shared after fork — a
 * mapped cache page always has the cache's reference besides the
 * entry's, so do_wp_page never takes it for its own.  A page wholly
 * past the end of the file is not there to map: SIGBUS.
 *
 * TLB.  An entry that goes from present to anything else, or loses a
 * right, must be flushed before the frame can be reused; this CPU's TLB
 * only caches the loaded address space's entries (no PCID, no global user
 * pages), so flushing matters only for the mm on this CPU (lab 11 adds
 * the other CPUs).  Entries that gain rights need no flush: a stale entry
 * faults once more and the fault finds nothing to do.
 *
 * Everything here runs with mm->mmap_lock held (handle_mm_fault takes it).
 */
#include <kestrel/errno.h>
#include <kestrel/mman.h>
#include <kestrel/err.h>
#include <kestrel/fs.h>
#include <kestrel/mm.h>
#include <kestrel/pagemap.h>
#include <kestrel/percpu.h>
#include <kestrel/pgtable.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <uapi/linux/resource.h>

/*
 * A software bit (bits 9–11 are ignored by the CPU in every entry, SDM
 * vol. 3A tables 4-15 to 4-20): set in a not-present entry that still owns
 * its frame because the VMA is PROT_NONE.
 */
#define _PAGE_PROTNONE	(1UL << 9)

static struct page *zero_page;

bool is_zero_page(const struct page *page)
{
	return page == zero_page;
}

/* The zero page, allocated on first use; NULL when out of memory. */
static struct page *get_zero_page(void)
{
	if (!zero_page)
		zero_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	return zero_page;
}

/* The entry owns a frame: present, or parked by PROT_NONE. */
static bool pte_has_page(pte_t e)
{
	return entry_present(e) || (e & _PAGE_PROTNONE);
}

static struct page *pte_page(pte_t e)
{
	return phys_to_page(entry_phys(e));
}

static bool mm_is_loaded(struct mm *mm)
{
	return this_cpu()->loaded_mm == mm;
}

static void flush_user_page(struct mm *mm, unsigned long addr)
{
	if (mm_is_loaded(mm))
		flush_tlb_one(addr);
}

static void flush_user_range(struct mm *mm, unsigned long start,
			     unsigned long end)
{
	if (mm_is_loaded(mm))
		flush_tlb_kernel_range(start, end);
}

/*
 * The entry for @addr when its page table exists.  Otherwise NULL, and
 * *@next is the first address past the hole (the next 2 MiB, 1 GiB or
 * 512 GiB boundary), so that walks over sparse ranges skip empty tables.
 */
static pte_t *walk_pte(pgd_t *pgd, unsigned long addr, unsigned long *next)
{
	pte_t *e = pgtable_walk(pgd, addr, PG_LEVEL_4K, false);

	if (e) {
		*next = addr + PAGE_SIZE;
		return e;
	}
	if (!pgtable_walk(pgd, addr, PG_LEVEL_1G, false))
		*next = ALIGN_DOWN(addr, PGDIR_SIZE) + PGDIR_SIZE;
	else if (!pgtable_walk(pgd, addr, PG_LEVEL_2M, false))
		*next = ALIGN_DOWN(addr, PUD_SIZE) + PUD_SIZE;
	else
		*next = ALIGN_DOWN(addr, PMD_SIZE) + PMD_SIZE;
	return NULL;
}

/* The entry a VMA's page gets; @write: may it be writable now. */
static pte_t mk_user_pte(struct page *page, const struct vm_area *vma,
			 bool write)
{
	pgprot_t prot = vm_flags_to_prot(vma->vm_flags) | _PAGE_ACCESSED;

	if (!(vma->vm_flags & VM_ACCESS_FLAGS))
		return mk_entry(page_to_phys(page), _PAGE_PROTNONE);
	if (write && (vma->vm_flags & VM_WRITE))
		prot |= _PAGE_DIRTY;
	else
		prot &= ~_PAGE_RW;
	return mk_entry(page_to_phys(page), prot);
}

/* --- shared anonymous memory ---------------------------------------------- */

struct shmem_object *shmem_object_alloc(unsigned long nr_pages)
{
	struct shmem_object *obj = kzalloc(sizeof(*obj), GFP_KERNEL);

	if (!obj)
		return NULL;
	obj->pages = kzalloc(MAX(nr_pages, 1UL) * sizeof(struct page *),
			     GFP_KERNEL);
	if (!obj->pages) {
		kfree(obj);
		return NULL;
	}
	spin_lock_init(&obj->lock);
	obj->refs = 1;
	obj->nr_pages = nr_pages;
	return obj;
}

void shmem_object_get(struct shmem_object *obj)
{
	__atomic_add_fetch(&obj->refs, 1, __ATOMIC_RELAXED);
}

void shmem_object_put(struct shmem_object *obj)
{
	unsigned long i;

	if (__atomic_sub_fetch(&obj->refs, 1, __ATOMIC_ACQ_REL))
		return;
	for (i = 0; i < obj->nr_pages; i++)
		if (obj->pages[i])
			put_page(obj->pages[i]);
	kfree(obj->pages);
	kfree(obj);
}

int shmem_object_resize(struct shmem_object *obj, unsigned long nr_pages)
{
	struct page **pages, **old;
	unsigned long flags;

	if (nr_pages <= obj->nr_pages)
		return 0;
	pages = kzalloc(nr_pages * sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	flags = spin_lock_irqsave(&obj->lock);
	memcpy(pages, obj->pages, obj->nr_pages * sizeof(*pages));
	old = obj->pages;
	obj->pages = pages;
	obj->nr_pages = nr_pages;
	spin_unlock_irqrestore(&obj->lock, flags);
	kfree(old);
	return 0;
}

/* The object's page for @addr of @vma, created zeroed on first use; one
 * reference for the caller's entry.  NULL when out of memory. */
static struct page *shmem_page(struct vm_area *vma, unsigned long addr)
{
	struct shmem_object *obj = vma->vm_shared;
	unsigned long idx = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	struct page *page = NULL, *fresh = NULL;
	unsigned long flags;

	for (;;) {
		flags = spin_lock_irqsave(&obj->lock);
		if (idx < obj->nr_pages) {
			if (!obj->pages[idx] && fresh) {
				obj->pages[idx] = fresh;
				fresh = NULL;
			}
			page = obj->pages[idx];
			if (page)
				get_page(page);
		}
		spin_unlock_irqrestore(&obj->lock, flags);
		if (page || idx >= obj->nr_pages || fresh)
			break;
		/* Allocate outside the lock, then look again. */
		fresh = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!fresh)
			return NULL;
	}
	if (fresh)
		__free_page(fresh);
	return page;
}

/* --- faults ---------------------------------------------------------------- */

/* First touch of an empty entry: a shared page, the zero page, or a new one. */
static enum vm_fault_result do_anonymous_page(struct vm_area *vma,
					      unsigned long addr, pte_t *pte,
					      bool write)
{
	struct page *page;

	if (vma->vm_shared) {
		page = shmem_page(vma, addr);
		if (!page)
			return VM_FAULT_OOM;
		*pte = mk_user_pte(page, vma, true);
	} else if (!write) {
		page = get_zero_page();
		if (!page)
			return VM_FAULT_OOM;
		*pte = mk_user_pte(page, vma, false);
		return VM_FAULT_OK;	/* not counted in rss */
	} else {
		page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!page)
			return VM_FAULT_OOM;
		*pte = mk_user_pte(page, vma, true);
	}
	__atomic_add_fetch(&vma->vm_mm->rss, 1, __ATOMIC_RELAXED);
	return VM_FAULT_OK;
}

/* DOC: do-file-page */
/* First touch of an empty entry of a file mapping: the page cache's page. */
static enum vm_fault_result do_file_page(struct vm_area *vma,
					 unsigned long addr, pte_t *pte,
					 bool write)
{
#if SOL >= 8
	struct inode *inode = vma->vm_file->f_inode;
	unsigned long pgoff = vma->vm_pgoff +
			      ((addr - vma->vm_start) >> PAGE_SHIFT);
	loff_t size = __atomic_load_n(&inode->i_size, __ATOMIC_ACQUIRE);
	bool shared = vma->vm_flags & VM_SHARED;
	struct page *page, *copy;

	if (pgoff >= (unsigned long)((size + PAGE_SIZE - 1) >> PAGE_SHIFT))
		return VM_FAULT_SIGBUS;		/* past the end of the file */
	page = read_mapping_page(inode->i_mapping, pgoff);
	if (IS_ERR(page))
		return PTR_ERR(page) == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
	if (write && !shared) {
		/* A private store: our own copy at once, the file untouched. */
		copy = alloc_page(GFP_KERNEL);
		if (!copy) {
			put_page(page);
			return VM_FAULT_OOM;
		}
		memcpy(page_to_virt(copy), page_to_virt(page), PAGE_SIZE);
		put_page(page);
		page = copy;
	}
	/* The lookup's reference becomes the entry's. */
	*pte = mk_user_pte(page, vma, write || shared);
	__atomic_add_fetch(&vma->vm_mm->rss, 1, __ATOMIC_RELAXED);
	return VM_FAULT_OK;
#else
	/*
	 * LAB 8: a file mapping's page.  Its file page is vma->vm_pgoff plus
	 * the page's distance from vm_start.  A page wholly past the end of
	 * the file (i_size, rounded up to a page) is VM_FAULT_SIGBUS.
	 * Otherwise take the page cache's page (read_mapping_page on
	 * inode->i_mapping; an ERR_PTR is VM_FAULT_OOM for -ENOMEM,
	 * VM_FAULT_SIGBUS otherwise).  A shared VMA (VM_SHARED) maps that
	 * page, writable if the VMA is (mk_user_pte(page, vma, true)); a
	 * private one maps it read-only, so that later writes to the file
	 * show through until the process's first store — except when this
	 * fault is that store: then map a private copy instead and drop the
	 * cache page.  The lookup's reference becomes the entry's; count the
	 * page in mm->rss.
	 */
	(void)vma;
	(void)addr;
	(void)pte;
	(void)write;
	return VM_FAULT_SIGBUS;
#endif
}

/* DOC: do-wp-page */
/* A write to a present read-only entry of a writable VMA: copy-on-write. */
static enum vm_fault_result do_wp_page(struct vm_area *vma, unsigned long addr,
				       pte_t *pte)
{
#if SOL >= 7
	struct page *old = pte_page(*pte), *new;

	if (!is_zero_page(old) && page_ref_count(old) == 1) {
		/* The last user of the page: no one to copy it for. */
		*pte = mk_user_pte(old, vma, true);
		flush_user_page(vma->vm_mm, addr);
		return VM_FAULT_OK;
	}
	new = alloc_page(GFP_KERNEL);
	if (!new)
		return VM_FAULT_OOM;
	if (is_zero_page(old))
		memset(page_to_virt(new), 0, PAGE_SIZE);
	else
		memcpy(page_to_virt(new), page_to_virt(old), PAGE_SIZE);
	*pte = mk_user_pte(new, vma, true);
	flush_user_page(vma->vm_mm, addr);
	if (is_zero_page(old))
		__atomic_add_fetch(&vma->vm_mm->rss, 1, __ATOMIC_RELAXED);
	else
		put_page(old);	/* after the flush: no one can still use it */
	return VM_FAULT_OK;
#else
	/*
	 * LAB 7: copy-on-write.  *@pte maps a page read-only although @vma
	 * is writable: the page is shared (fork, or the zero page).  If it
	 * is not the zero page and its reference count (page_ref_count) is
	 * 1, this entry is its last user: make the entry writable
	 * (mk_user_pte(page, vma, true)).  Otherwise allocate a page, copy
	 * the old one into it (through page_to_virt; the zero page needs no
	 * copy, just zeroes), point the entry at the copy, flush the TLB for
	 * @addr (flush_user_page), and only then drop the old page's
	 * reference (put_page; never for the zero page, which is not
	 * counted — and count the new page in mm->rss instead).
	 * VM_FAULT_OOM when no page is free.
	 */
	(void)vma;
	(void)addr;
	(void)pte;
	return VM_FAULT_ACCERR;
#endif
}

/* Serve the fault at page @addr of @vma, which allows the access. */
static enum vm_fault_result fault_in_page(struct vm_area *vma,
					  unsigned long addr, bool write)
{
	pte_t *pte = pgtable_walk(vma->vm_mm->pgd, addr, PG_LEVEL_4K, true);

	if (!pte)
		return VM_FAULT_OOM;
	if (!pte_has_page(*pte))
		return vma->vm_file ? do_file_page(vma, addr, pte, write) :
				      do_anonymous_page(vma, addr, pte, write);
	if (!entry_present(*pte)) {
		/* PROT_NONE lifted while the entry was parked. */
		*pte = mk_user_pte(pte_page(*pte), vma,
				   vma->vm_flags & VM_SHARED);
		return VM_FAULT_OK;
	}
	if (write && !(*pte & _PAGE_RW))
		return do_wp_page(vma, addr, pte);
	/* Already what we want: a stale TLB entry faulted.  Flush it. */
	flush_user_page(vma->vm_mm, addr);
	return VM_FAULT_OK;
}

/* Grow the stack VMA @vma down to cover @addr, within RLIMIT_STACK and
 * leaving the guard gap above the VMA below. */
static bool expand_stack(struct vm_area *vma, unsigned long addr)
{
	struct vm_area *prev = vma_prev(vma);
	unsigned long start = ALIGN_DOWN(addr, PAGE_SIZE);

	if (vma->vm_end - start > task_rlimit(current, RLIMIT_STACK))
		return false;
	if (prev && (start < prev->vm_end ||
		     start - prev->vm_end < STACK_GUARD_GAP))
		return false;
	vma->vm_mm->total_vm += (vma->vm_start - start) >> PAGE_SHIFT;
	vma->vm_start = start;
	return true;
}

/* Does @vma allow the access @flags describes?  (x86 cannot map a page
 * write-only or execute-only: reading comes with either.) */
static bool access_allowed(const struct vm_area *vma, unsigned int flags)
{
	if (flags & FAULT_FLAG_WRITE)
		return vma->vm_flags & VM_WRITE;
	if (flags & FAULT_FLAG_INSTR)
		return vma->vm_flags & VM_EXEC;
	return vma->vm_flags & VM_ACCESS_FLAGS;
}

/* DOC: handle-mm-fault */
enum vm_fault_result handle_mm_fault(struct mm *mm, unsigned long addr,
				     unsigned int flags)
{
#if SOL >= 7
	enum vm_fault_result r = VM_FAULT_OK;
	struct vm_area *vma;

	mutex_lock(&mm->mmap_lock);
	vma = find_vma(mm, addr);
	if (!vma || (addr < vma->vm_start &&
		     (!(vma->vm_flags & VM_GROWSDOWN) || !expand_stack(vma, addr))))
		r = VM_FAULT_MAPERR;
	else if (!access_allowed(vma, flags))
		r = VM_FAULT_ACCERR;
	else
		r = fault_in_page(vma, ALIGN_DOWN(addr, PAGE_SIZE),
				  flags & FAULT_FLAG_WRITE);
	if (r == VM_FAULT_OK)
		current->min_flt++;
	mutex_unlock(&mm->mmap_lock);
	return r;
#else
	/*
	 * LAB 7: demand paging.  Under mm->mmap_lock, find the VMA for
	 * @addr (find_vma).  None, or @addr below it and the VMA is not a
	 * stack that may grow down to it (VM_GROWSDOWN, expand_stack): the
	 * address is not mapped, VM_FAULT_MAPERR.  A VMA that does not allow
	 * the access (access_allowed): VM_FAULT_ACCERR.  Otherwise
	 * fault_in_page() for the page holding @addr, which maps a zero
	 * page or a new page on first touch and calls your do_wp_page()
	 * for a write to a read-only page.  Count served faults in
	 * current->min_flt.  Never touch user memory here: you are the
	 * handler of its faults.
	 */
	(void)mm;
	(void)addr;
	(void)flags;
	(void)fault_in_page;
	(void)expand_stack;
	(void)access_allowed;
	return VM_FAULT_MAPERR;
#endif
}

/* --- whole ranges ---------------------------------------------------------- */

/* DOC: copy-page-range */
int copy_page_range(struct mm *dst, struct mm *src, struct vm_area *dst_vma,
		    struct vm_area *vma)
{
#if SOL >= 7
	bool cow = !(vma->vm_flags & VM_SHARED);
	unsigned long addr, next;
	pte_t *spte, *dpte;

	(void)dst_vma;
	for (addr = vma->vm_start; addr < vma->vm_end; addr = next) {
		spte = walk_pte(src->pgd, addr, &next);
		if (!spte || !pte_has_page(*spte))
			continue;
		dpte = pgtable_walk(dst->pgd, addr, PG_LEVEL_4K, true);
		if (!dpte)
			return -ENOMEM;
		if (cow && (*spte & _PAGE_RW))
			*spte &= ~_PAGE_RW;	/* both sides read-only now */
		*dpte = *spte;
		if (!is_zero_page(pte_page(*spte))) {
			get_page(pte_page(*spte));
			__atomic_add_fetch(&dst->rss, 1, __ATOMIC_RELAXED);
		}
	}
	/* The parent's entries lost their write right: flush them. */
	if (cow)
		flush_user_range(src, vma->vm_start, vma->vm_end);
	return 0;
#else
	/*
	 * LAB 7: fork's copy of one VMA's page tables, from @src to @dst.
	 * For every entry of [vma->vm_start, vma->vm_end) that owns a page
	 * (walk_pte skips absent tables; pte_has_page): allocate the child's
	 * entry (pgtable_walk with alloc = true; -ENOMEM if that fails),
	 * copy the entry, and give the page one more reference (get_page —
	 * not the zero page) counted in dst->rss.  In a private VMA
	 * (!VM_SHARED) a writable entry must first lose _PAGE_RW, in the
	 * parent too: that is copy-on-write.  Flush the parent's range at
	 * the end (flush_user_range).
	 */
	(void)dst;
	(void)src;
	(void)dst_vma;
	(void)vma;
	return -ENOSYS;
#endif
}

void zap_page_range(struct mm *mm, unsigned long start, unsigned long end)
{
	unsigned long addr, next;
	struct page *page;
	pte_t *pte;

	for (addr = start; addr < end; addr = next) {
		pte = walk_pte(mm->pgd, addr, &next);
		if (!pte || !pte_has_page(*pte))
			continue;
		page = pte_page(*pte);
		*pte = 0;
		flush_user_page(mm, addr);	/* before the frame can be reused */
		if (!is_zero_page(page)) {
			put_page(page);
			__atomic_sub_fetch(&mm->rss, 1, __ATOMIC_RELAXED);
		}
	}
}

void change_protection(struct vm_area *vma, unsigned long start,
		       unsigned long end)
{
	struct mm *mm = vma->vm_mm;
	unsigned long addr, next;
	struct page *page;
	bool write;
	pte_t *pte;

	for (addr = start; addr < end; addr = next) {
		pte = walk_pte(mm->pgd, addr, &next);
		if (!pte || !pte_has_page(*pte))
			continue;
		page = pte_page(*pte);
		/* A private page may be written in place only if it is ours
		 * alone; otherwise the first write will copy it. */
		write = (vma->vm_flags & VM_SHARED) ||
			(!is_zero_page(page) && page_ref_count(page) == 1);
		*pte = mk_user_pte(page, vma, write);
	}
	flush_user_range(mm, start, end);
}

int move_page_range(struct mm *mm, unsigned long old, unsigned long new,
		    unsigned long len)
{
	unsigned long addr, off, next;
	pte_t *src, *dst;

	/* Every destination table first, so the move itself cannot fail. */
	for (addr = new; addr < new + len;
	     addr = ALIGN_DOWN(addr + PMD_SIZE, PMD_SIZE))
		if (!pgtable_walk(mm->pgd, addr, PG_LEVEL_4K, true))
			return -ENOMEM;
	for (off = 0; off < len; off = next - old) {
		src = walk_pte(mm->pgd, old + off, &next);
		if (!src || !pte_has_page(*src))
			continue;
		dst = pgtable_walk(mm->pgd, new + off, PG_LEVEL_4K, false);
		*dst = *src;
		*src = 0;
	}
	flush_user_range(mm, old, old + len);
	return 0;
}

int mm_populate(struct vm_area *vma, unsigned long start, unsigned long end)
{
	enum vm_fault_result r;
	unsigned long addr;
	struct page *page;
	pte_t *pte;

	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pte = pgtable_walk(vma->vm_mm->pgd, addr, PG_LEVEL_4K, true);
		if (!pte)
			return -ENOMEM;
		if (pte_has_page(*pte))
			continue;
		if (vma->vm_file) {
			/* What the file has; past its end, nothing to map. */
			r = do_file_page(vma, addr, pte, vma->vm_flags & VM_WRITE);
			if (r == VM_FAULT_OOM)
				return -ENOMEM;
			if (r == VM_FAULT_SIGBUS)
				break;
			continue;
		}
		page = vma->vm_shared ? shmem_page(vma, addr) :
					alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!page)
			return -ENOMEM;
		*pte = mk_user_pte(page, vma, true);
		__atomic_add_fetch(&vma->vm_mm->rss, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

int mm_map_page(struct vm_area *vma, unsigned long addr, struct page *page)
{
	pte_t *pte = pgtable_walk(vma->vm_mm->pgd, addr, PG_LEVEL_4K, true);

	if (!pte)
		return -ENOMEM;
	if (pte_has_page(*pte))
		return -EEXIST;
	get_page(page);
	*pte = mk_user_pte(page, vma, false);
	__atomic_add_fetch(&vma->vm_mm->rss, 1, __ATOMIC_RELAXED);
	return 0;
}

int mm_make_private(struct vm_area *vma, unsigned long addr)
{
	pte_t *pte = pgtable_walk(vma->vm_mm->pgd, addr, PG_LEVEL_4K, false);
	struct page *old, *new;

	if (!pte || !pte_has_page(*pte))
		return 0;
	old = pte_page(*pte);
	if (!is_zero_page(old) && page_ref_count(old) == 1)
		return 0;
	new = alloc_page(GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	memcpy(page_to_virt(new), page_to_virt(old), PAGE_SIZE);
	*pte = mk_user_pte(new, vma, true);
	flush_user_page(vma->vm_mm, addr);
	if (is_zero_page(old))
		__atomic_add_fetch(&vma->vm_mm->rss, 1, __ATOMIC_RELAXED);
	else
		put_page(old);
	return 0;
}

struct page *mm_page_at(struct mm *mm, unsigned long addr)
{
	pte_t *pte = pgtable_walk(mm->pgd, addr, PG_LEVEL_4K, false);

	return pte && pte_has_page(*pte) ? pte_page(*pte) : NULL;
}
