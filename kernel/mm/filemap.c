/*
 * filemap.c — the page cache (kestrel/pagemap.h): each file's pages by
 * index, the one copy of its data that read(2), write(2), execve and
 * every mmap of the file share.
 *
 * A file's struct address_space keeps its pages in a tree of 512-way
 * nodes (one page each), as deep as the file is long — one level covers
 * 2 MiB, two 1 GiB, three 512 GiB, four 256 TiB.  A page not in the
 * tree is a page nobody needed yet; the file system's a_ops->get_page
 * makes it on demand (tmpfs: a zeroed page for a hole; a disk file
 * system: the blocks read from the disk).
 *
 *	mapping ── pt_root (height 2) ── [0] ── [0] page 0
 *	                                    └── [7] page 7
 *	                             └── [3] ── [1] page 3·512 + 1
 *
 * Mappings.  mmap(2) of a file makes a VMA with vm_file and vm_pgoff
 * (the file page its first address maps); a fault there maps the
 * cache's page (kernel/mm/memory.c, do_file_page): MAP_SHARED maps it
 * as it is, so the process's stores are the file's data and write(2)'s
 * changes show at once; MAP_PRIVATE maps it read-only, so the process
 * sees the file's changes until its first store to the page, which
 * copies it (copy-on-write), as Linux does.  Each file VMA is on its
 * mapping's i_mmap list, which is how truncate finds, in every process,
 * the entries that map pages past the new end of the file and removes
 * them (unmap_mapping_range): touching them again is SIGBUS.
 *
 * Locking: the tree, nrpages and i_mmap under mapping->lock (a
 * spinlock).  unmap_mapping_range must take mmap_locks, which may not
 * be taken under a spinlock, so it collects the mms first (each with a
 * user reference, so none goes away) and visits them one by one; it
 * runs after i_size shrank, so a fault racing with it either finds the
 * new size (SIGBUS) or mapped its page before the visit removes it.
 */
#include <asm/page.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/mman.h>
#include <kestrel/mm.h>
#include <kestrel/pagemap.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#define PT_SLOTS	(1UL << PAGE_TREE_SHIFT)

/* --- the tree (under mapping->lock) ----------------------------------------- */

static unsigned long pt_capacity(unsigned int height)
{
	return height ? 1UL << (PAGE_TREE_SHIFT * height) : 0;
}

static unsigned int pt_slot(unsigned long index, int level)
{
	return (index >> (PAGE_TREE_SHIFT * level)) & (PT_SLOTS - 1);
}

static struct page *pt_lookup(struct address_space *mapping,
			      unsigned long index)
{
	void **node = mapping->pt_root;
	int level;

	if (index >= pt_capacity(mapping->pt_height))
		return NULL;
	for (level = mapping->pt_height - 1; node && level > 0; level--)
		node = node[pt_slot(index, level)];
	return node ? node[pt_slot(index, 0)] : NULL;
}

static void **pt_new_node(void)
{
	return (void **)get_zeroed_page(GFP_KERNEL);
}

/* Put @page at @index, growing the tree as needed.  0 or -ENOMEM/-EFBIG. */
static int pt_insert(struct address_space *mapping, unsigned long index,
		     struct page *page)
{
	void **node, **child;
	int level;

	while (index >= pt_capacity(mapping->pt_height)) {
		if (mapping->pt_height == PAGE_TREE_MAX_HEIGHT)
			return -EFBIG;
		node = pt_new_node();
		if (!node)
			return -ENOMEM;
		node[0] = mapping->pt_root;	/* the old tree is the first slot */
		mapping->pt_root = node;
		mapping->pt_height++;
	}
	node = mapping->pt_root;
	for (level = mapping->pt_height - 1; level > 0; level--) {
		child = node[pt_slot(index, level)];
		if (!child) {
			child = pt_new_node();
			if (!child)
				return -ENOMEM;
			node[pt_slot(index, level)] = child;
		}
		node = child;
	}
	node[pt_slot(index, 0)] = page;
	return 0;
}

/*
 * Drop the pages at index ≥ @from under @node (at @level, covering
 * indices from @base); count them in *@freed.  Returns true when the
 * node is left empty (the caller frees it).
 */
static bool pt_trunc(void **node, int level, unsigned long base,
		     unsigned long from, unsigned long *freed)
{
	unsigned long span = 1UL << (PAGE_TREE_SHIFT * level), start;
	bool empty = true;
	unsigned int s;

	for (s = 0; s < PT_SLOTS; s++) {
		start = base + s * span;
		if (!node[s])
			continue;
		if (start + span <= from) {
			empty = false;
			continue;
		}
		if (level == 0) {
			put_page(node[s]);
			node[s] = NULL;
			(*freed)++;
		} else if (pt_trunc(node[s], level - 1, start, from, freed)) {
			free_page((unsigned long)node[s]);
			node[s] = NULL;
		} else {
			empty = false;
		}
	}
	return empty;
}

/* --- the cache --------------------------------------------------------------- */

void address_space_init(struct address_space *mapping, struct inode *host,
			const struct address_space_operations *a_ops)
{
	mapping->host = host;
	spin_lock_init(&mapping->lock);
	mapping->pt_root = NULL;
	mapping->pt_height = 0;
	mapping->nrpages = 0;
	list_init(&mapping->i_mmap);
	mapping->a_ops = a_ops;
}

/* DOC: find-get-page */
struct page *find_get_page(struct address_space *mapping, unsigned long index)
{
	struct page *page;

	spin_lock(&mapping->lock);
	page = pt_lookup(mapping, index);
	if (page)
		get_page(page);	/* before the lock goes: truncate may drop it */
	spin_unlock(&mapping->lock);
	return page;
}

int add_to_page_cache(struct address_space *mapping, struct page *page,
		      unsigned long index)
{
	int err = -EEXIST;

	spin_lock(&mapping->lock);
	if (!pt_lookup(mapping, index))
		err = pt_insert(mapping, index, page);
	if (!err) {
		get_page(page);
		mapping->nrpages++;
	}
	spin_unlock(&mapping->lock);
	return err;
}

struct page *read_mapping_page(struct address_space *mapping,
			       unsigned long index)
{
	struct page *page = find_get_page(mapping, index);

	if (page)
		return page;
	if (!mapping->a_ops || !mapping->a_ops->get_page)
		return ERR_PTR(-ENODEV);
	return mapping->a_ops->get_page(mapping, index);
}

unsigned long truncate_inode_pages(struct address_space *mapping, loff_t from)
{
	unsigned long first = (from + PAGE_SIZE - 1) >> PAGE_SHIFT, freed = 0;
	size_t off = from & (PAGE_SIZE - 1);
	struct page *page;

	spin_lock(&mapping->lock);
	if (mapping->pt_root && pt_trunc(mapping->pt_root,
					 mapping->pt_height - 1, 0, first,
					 &freed)) {
		free_page((unsigned long)mapping->pt_root);
		mapping->pt_root = NULL;
		mapping->pt_height = 0;
	}
	mapping->nrpages -= freed;
	/* The part of the last page past the end reads as zeros if the
	 * file grows again. */
	page = off ? pt_lookup(mapping, from >> PAGE_SHIFT) : NULL;
	if (page)
		memset((char *)page_to_virt(page) + off, 0, PAGE_SIZE - off);
	spin_unlock(&mapping->lock);
	return freed;
}

/* --- the mappings ------------------------------------------------------------ */

static struct address_space *vma_mapping(const struct vm_area *vma)
{
	return vma->vm_file->f_inode->i_mapping;
}

void mapping_link_vma(struct vm_area *vma)
{
	struct address_space *mapping = vma_mapping(vma);

	spin_lock(&mapping->lock);
	list_add_tail(&vma->vm_mapping_list, &mapping->i_mmap);
	spin_unlock(&mapping->lock);
}

void mapping_unlink_vma(struct vm_area *vma)
{
	struct address_space *mapping = vma_mapping(vma);

	spin_lock(&mapping->lock);
	list_del(&vma->vm_mapping_list);
	list_init(&vma->vm_mapping_list);
	spin_unlock(&mapping->lock);
}

bool mapping_mapped(struct address_space *mapping)
{
	bool mapped;

	spin_lock(&mapping->lock);
	mapped = !list_empty(&mapping->i_mmap);
	spin_unlock(&mapping->lock);
	return mapped;
}

/* One more user of @mm unless it is already being torn down. */
static bool mmget_not_zero(struct mm *mm)
{
	int users = __atomic_load_n(&mm->mm_users, __ATOMIC_RELAXED);

	while (users > 0)
		if (__atomic_compare_exchange_n(&mm->mm_users, &users, users + 1,
						false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return true;
	return false;
}

/*
 * The mms mapping @mapping, each with a user reference, into a new array
 * (*@mms, *@nr); -ENOMEM.  Counted first, then filled under the lock; if
 * more appeared in between, counted again.
 */
static int collect_mms(struct address_space *mapping, struct mm ***mms,
		       unsigned long *nr)
{
	unsigned long want = 0, have, i;
	struct vm_area *vma;
	struct mm **arr;

	for (;;) {
		arr = want ? kmalloc(want * sizeof(*arr), GFP_KERNEL) : NULL;
		if (want && !arr)
			return -ENOMEM;
		have = 0;
		spin_lock(&mapping->lock);
		list_for_each_entry(vma, &mapping->i_mmap, vm_mapping_list) {
			for (i = 0; i < have && arr[i] != vma->vm_mm; i++)
				;
			if (i < have)
				continue;	/* this mm is in already */
			if (have == want) {
				have = want + 1;	/* too small: count again */
				break;
			}
			if (mmget_not_zero(vma->vm_mm))
				arr[have++] = vma->vm_mm;
		}
		spin_unlock(&mapping->lock);
		if (have <= want) {
			*mms = arr;
			*nr = have;
			return 0;
		}
		for (i = 0; i < want; i++)
			mmput(arr[i]);
		kfree(arr);
		want = want * 2 + 4;
	}
}

/* Zap what @mm maps of @mapping at index ≥ @first. */
static void unmap_mapping_in(struct mm *mm, struct address_space *mapping,
			     unsigned long first)
{
	unsigned long start, last;
	struct vm_area *vma;

	mutex_lock(&mm->mmap_lock);
	list_for_each_entry(vma, &mm->mmap, vm_list) {
		if (!vma->vm_file || vma_mapping(vma) != mapping)
			continue;
		last = vma->vm_pgoff + vma_pages(vma);
		if (last <= first)
			continue;
		start = vma->vm_start;
		if (first > vma->vm_pgoff)
			start += (first - vma->vm_pgoff) << PAGE_SHIFT;
		zap_page_range(mm, start, vma->vm_end);
	}
	mutex_unlock(&mm->mmap_lock);
}

void unmap_mapping_range(struct address_space *mapping, unsigned long first)
{
	unsigned long nr, i;
	struct mm **mms;

	if (!mapping_mapped(mapping) || collect_mms(mapping, &mms, &nr))
		return;
	for (i = 0; i < nr; i++) {
		unmap_mapping_in(mms[i], mapping, first);
		mmput(mms[i]);
	}
	kfree(mms);
}

int generic_file_mmap(struct file *file, struct vm_area *vma)
{
	(void)vma;
	return file->f_inode->i_mapping->a_ops ? 0 : -ENODEV;
}
