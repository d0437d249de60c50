/*
 * kestrel/pagemap.h — the page cache: a file's pages by index, shared by
 * read(2), write(2) and every mapping of the file (kernel/mm/filemap.c).
 *
 * Each inode has one struct address_space (kestrel/fs.h, inode->i_data,
 * reached through inode->i_mapping).  A page in the cache holds one
 * reference for the cache; whoever looks a page up gets a reference of
 * its own, and drops it with put_page.  A page-table entry that maps a
 * cache page holds one more, so a cache page that is mapped always has
 * a reference count of at least 2 — which is how copy-on-write knows it
 * must copy rather than take the page (kernel/mm/memory.c).
 *
 * Locking: the tree and the list of VMAs are under mapping->lock, a
 * spinlock, never held while sleeping or touching user memory.  Lock
 * order: inode i_mutex, then an mm's mmap_lock, then mapping->lock.
 */
#ifndef KESTREL_PAGEMAP_H
#define KESTREL_PAGEMAP_H

#include <kestrel/fs.h>

struct page;
struct vm_area;

/* The cache's tree: 512-way nodes of one page each, at most 4 levels —
 * 512^4 pages, 256 TiB (the largest file it can hold). */
#define PAGE_TREE_SHIFT		9
#define PAGE_TREE_MAX_HEIGHT	4
#define PAGE_CACHE_MAXBYTES	(1LL << (PAGE_TREE_SHIFT * PAGE_TREE_MAX_HEIGHT + 12))

/** address_space_init - an empty cache of @host, filled by @a_ops (NULL:
 *  no page cache). */
void address_space_init(struct address_space *mapping, struct inode *host,
			const struct address_space_operations *a_ops);

/** find_get_page - page @index of @mapping with a reference taken, or NULL
 *  when it is not in the cache.  Never sleeps. */
struct page *find_get_page(struct address_space *mapping, unsigned long index);

/**
 * add_to_page_cache - put @page (which the caller keeps a reference to)
 * at @index; the cache takes a reference of its own.  Returns 0, -EEXIST
 * when a page is already there, -ENOMEM, or -EFBIG past the largest
 * index the tree can hold (PAGE_CACHE_MAXBYTES).  Never sleeps.
 */
int add_to_page_cache(struct address_space *mapping, struct page *page,
		      unsigned long index);

/**
 * read_mapping_page - page @index of @mapping, made by a_ops->get_page
 * when missing; a reference for the caller.  ERR_PTR(-errno).  May sleep.
 */
struct page *read_mapping_page(struct address_space *mapping,
			       unsigned long index);

/**
 * truncate_inode_pages - drop the cache's pages at index ≥ the page that
 * holds byte @from, and zero the bytes from @from to the end of its
 * page.  Mappings of the dropped range must already be gone
 * (unmap_mapping_range).  Returns the number of pages dropped.
 */
unsigned long truncate_inode_pages(struct address_space *mapping, loff_t from);

/**
 * unmap_mapping_range - remove every page-table entry, in every process,
 * that maps a page of @mapping at index ≥ @first — private copies made
 * by copy-on-write too, as truncate(2) must (a later access past the end
 * of the file is SIGBUS).  Takes each mm's mmap_lock: the caller may hold
 * the inode's i_mutex, no mmap_lock.  May sleep.
 */
void unmap_mapping_range(struct address_space *mapping, unsigned long first);

/** mapping_link_vma / mapping_unlink_vma - @vma (with vm_file set) starts
 *  / stops mapping its file's cache. */
void mapping_link_vma(struct vm_area *vma);
void mapping_unlink_vma(struct vm_area *vma);

/** mapping_mapped - some VMA maps @mapping. */
bool mapping_mapped(struct address_space *mapping);

/**
 * generic_file_mmap - the ->mmap of a file with a page cache: 0, or
 * -ENODEV when its inode has none.
 */
int generic_file_mmap(struct file *file, struct vm_area *vma);

#endif
