/*
 * vma.c — the virtual memory areas of an address space (kestrel/mman.h).
 *
 * An mm's VMAs sit on one list, mm->mmap, sorted by address and never
 * overlapping.  Everything that asks "what is mapped at this address?" —
 * the page-fault handler on every fault, mmap's search for room, munmap
 * and mprotect cutting ranges — walks it, so lookups matter:
 *
 *   - find_vma() first tries mm->mmap_cache, the VMA it found last: a
 *     process faults in runs (the next page of the heap, of the stack),
 *     and most lookups hit it.  Otherwise it walks the list: a process has
 *     tens of VMAs (a musl program about 8, busybox about 10), so the walk
 *     is a few cache lines.  Linux uses a maple tree to keep lookups
 *     logarithmic for programs with thousands of mappings; the interface
 *     here (find_vma, vma_prev, vma_next) hides the choice, so a tree can
 *     replace the list without touching a caller.
 *   - VMAs are cut where a range starts or ends inside one (vma_split),
 *     and neighbours that touch and are alike are merged again
 *     (vma_merge_around), so that brk's growth or many small mmaps do not
 *     pile up VMAs.
 *
 * Placing a new mapping (get_unmapped_area) searches top-down from
 * mm->mmap_base, as Linux's default layout does: mmap areas grow from
 * below the stack towards the heap, leaving the largest possible gap in
 * between for both.
 *
 * Every function here expects the caller to hold mm->mmap_lock.
 */
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/mman.h>
#include <kestrel/pagemap.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>

static struct kmem_cache *vma_cache;

static struct kmem_cache *vma_cache_get(void)
{
	if (!vma_cache)
		vma_cache = kmem_cache_create("vm_area", sizeof(struct vm_area), 0, 0);
	return vma_cache;
}

struct vm_area *vma_alloc(struct mm *mm, unsigned long start,
			  unsigned long end, unsigned long flags)
{
	struct kmem_cache *cache = vma_cache_get();
	struct vm_area *vma = cache ? kmem_cache_alloc(cache, GFP_KERNEL) : NULL;

	if (!vma)
		return NULL;
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = flags;
	vma->vm_mm = mm;
	list_init(&vma->vm_list);
	vma->vm_shared = NULL;
	vma->vm_file = NULL;
	vma->vm_pgoff = 0;
	list_init(&vma->vm_mapping_list);
	return vma;
}

void vma_free(struct vm_area *vma)
{
	if (vma->vm_shared)
		shmem_object_put(vma->vm_shared);
	if (vma->vm_file) {
		mapping_unlink_vma(vma);
		fput(vma->vm_file);
	}
	kmem_cache_free(vma_cache, vma);
}

void vma_set_file(struct vm_area *vma, struct file *file, unsigned long pgoff)
{
	vma->vm_file = get_file(file);
	vma->vm_pgoff = pgoff;
	mapping_link_vma(vma);
}

void vma_copy_backing(struct vm_area *to, const struct vm_area *from,
		      unsigned long pgoff)
{
	if (from->vm_shared) {
		shmem_object_get(from->vm_shared);
		to->vm_shared = from->vm_shared;
		to->vm_pgoff = pgoff;
	}
	if (from->vm_file)
		vma_set_file(to, from->vm_file, pgoff);
}

struct vm_area *vma_next(struct vm_area *vma)
{
	if (vma->vm_list.next == &vma->vm_mm->mmap)
		return NULL;
	return list_entry(vma->vm_list.next, struct vm_area, vm_list);
}

struct vm_area *vma_prev(struct vm_area *vma)
{
	if (vma->vm_list.prev == &vma->vm_mm->mmap)
		return NULL;
	return list_entry(vma->vm_list.prev, struct vm_area, vm_list);
}

/* DOC: find-vma */
struct vm_area *find_vma(struct mm *mm, unsigned long addr)
{
	struct vm_area *vma = mm->mmap_cache, *prev;

	/* The cached VMA answers when it holds @addr, or when @addr falls
	 * in the gap just below it. */
	if (vma && addr < vma->vm_end) {
		prev = vma_prev(vma);
		if (addr >= vma->vm_start || !prev || addr >= prev->vm_end)
			return vma;
	}
	list_for_each_entry(vma, &mm->mmap, vm_list) {
		if (addr < vma->vm_end) {
			mm->mmap_cache = vma;
			return vma;
		}
	}
	return NULL;
}

struct vm_area *find_vma_intersection(struct mm *mm, unsigned long start,
				      unsigned long end)
{
	struct vm_area *vma = find_vma(mm, start);

	return vma && vma->vm_start < end ? vma : NULL;
}

int vma_insert(struct mm *mm, struct vm_area *vma)
{
	struct list_head *pos = &mm->mmap;
	struct vm_area *next;

	/* Insert before the first VMA that ends after our start. */
	next = find_vma(mm, vma->vm_start);
	if (next) {
		if (next->vm_start < vma->vm_end)
			return -EEXIST;
		pos = &next->vm_list;
	}
	list_add_tail(&vma->vm_list, pos);
	vma->vm_mm = mm;
	mm->map_count++;
	mm->total_vm += vma_pages(vma);
	return 0;
}

void vma_unlink(struct vm_area *vma)
{
	struct mm *mm = vma->vm_mm;

	if (mm->mmap_cache == vma)
		mm->mmap_cache = NULL;
	list_del(&vma->vm_list);
	list_init(&vma->vm_list);
	mm->map_count--;
	mm->total_vm -= vma_pages(vma);
}

struct vm_area *vma_split(struct vm_area *vma, unsigned long addr)
{
	struct vm_area *high;

	if (addr <= vma->vm_start || addr >= vma->vm_end)
		return NULL;
	high = vma_alloc(vma->vm_mm, addr, vma->vm_end, vma->vm_flags);
	if (!high)
		return NULL;
	vma_copy_backing(high, vma, vma->vm_pgoff +
			 ((addr - vma->vm_start) >> PAGE_SHIFT));
	vma->vm_end = addr;
	/* The total does not change: both halves stay in the list. */
	list_add(&high->vm_list, &vma->vm_list);
	vma->vm_mm->map_count++;
	return high;
}

/* @a ends where @b starts and they can be one VMA. */
static bool can_merge(const struct vm_area *a, const struct vm_area *b)
{
	return a && b && a->vm_end == b->vm_start &&
	       a->vm_flags == b->vm_flags && !a->vm_shared && !b->vm_shared &&
	       !a->vm_file && !b->vm_file;
}

/* Fold @b (the next VMA) into @a. */
static void merge_into(struct vm_area *a, struct vm_area *b)
{
	struct mm *mm = a->vm_mm;

	vma_unlink(b);
	mm->total_vm += vma_pages(b);	/* its pages stay mapped, in @a */
	a->vm_end = b->vm_end;
	vma_free(b);
}

struct vm_area *vma_merge_around(struct vm_area *vma)
{
	struct vm_area *prev = vma_prev(vma), *next = vma_next(vma);

	if (can_merge(vma, next))
		merge_into(vma, next);
	if (can_merge(prev, vma)) {
		merge_into(prev, vma);
		vma = prev;
	}
	return vma;
}

#if SOL >= 7
/* Is [@addr, @addr + @len) free and inside the mmap-able space? */
static bool range_free(struct mm *mm, unsigned long addr, unsigned long len)
{
	return addr >= MMAP_MIN_ADDR && len <= STACK_TOP - addr &&
	       !find_vma_intersection(mm, addr, addr + len);
}

/* The last VMA of @mm, or NULL. */
static struct vm_area *last_vma(struct mm *mm)
{
	if (list_empty(&mm->mmap))
		return NULL;
	return list_entry(mm->mmap.prev, struct vm_area, vm_list);
}
#endif

long get_unmapped_area(struct mm *mm, unsigned long hint, unsigned long len,
		       bool below_2g)
{
#if SOL >= 7
	unsigned long top = below_2g ? 0x80000000UL : mm->mmap_base;
	struct vm_area *vma;

	if (len == 0 || len > top)
		return -ENOMEM;
	hint = ALIGN_DOWN(hint, PAGE_SIZE);
	if (hint && range_free(mm, hint, len) && (!below_2g || hint + len <= top))
		return hint;
	/* The gaps from the top down: between each VMA and the one above
	 * it (or @top), the highest first.  A stack keeps a guard gap. */
	for (vma = last_vma(mm); vma; vma = vma_prev(vma)) {
		if (vma->vm_end <= top && top - vma->vm_end >= len)
			return top - len;
		if (vma->vm_start < top)
			top = vma->vm_start;
		if ((vma->vm_flags & VM_GROWSDOWN) &&
		    vma->vm_start >= STACK_GUARD_GAP &&
		    vma->vm_start - STACK_GUARD_GAP < top)
			top = vma->vm_start - STACK_GUARD_GAP;
	}
	if (top >= MMAP_MIN_ADDR && top - MMAP_MIN_ADDR >= len)
		return top - len;
	return -ENOMEM;
#else
	/*
	 * LAB 7: find room for a new mapping of @len bytes (page aligned).
	 * If @hint (rounded down to a page) is nonzero and [hint, hint+len)
	 * is free (find_vma_intersection finds nothing, and it lies between
	 * MMAP_MIN_ADDR and STACK_TOP), use it.  Otherwise search top-down:
	 * start at mm->mmap_base (or 2 GiB for @below_2g) and walk the VMAs
	 * from the last on mm->mmap towards the first (vma_prev), returning
	 * the highest gap of at least @len bytes below the top; keep
	 * STACK_GUARD_GAP free below a VM_GROWSDOWN VMA, so the stack can
	 * grow.  Nothing may be placed below MMAP_MIN_ADDR.  -ENOMEM when
	 * no gap is large enough.
	 */
	(void)mm;
	(void)hint;
	(void)len;
	(void)below_2g;
	return -ENOMEM;
#endif
}

pgprot_t vm_flags_to_prot(unsigned long vm_flags)
{
	pgprot_t prot = _PAGE_PRESENT | _PAGE_USER;

	if (vm_flags & VM_WRITE)
		prot |= _PAGE_RW;
	if (!(vm_flags & VM_EXEC))
		prot |= _PAGE_NX;
	return prot;
}
