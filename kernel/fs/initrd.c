/*
 * initrd.c — the initial RAM disk as a read-only store of files
 * (kestrel/initrd.h), until lab 8 unpacks it into a tmpfs.
 *
 * The archive must be an uncompressed newc cpio (kestrel/cpio.h).  Linux
 * also accepts a compressed one; Kestrel's decompressor arrives with
 * lab 8, so a gzip archive (magic 1f 8b) is reported once and ignored.
 * The archive's pages were reserved at boot (mm/init.c), so the bytes
 * this hands out stay valid for ever, reached through the direct map.
 *
 * A file's bytes are not page aligned in the archive (cpio aligns to 4),
 * so they cannot be mapped where they are.  initrd_file_page() copies a
 * page of a file once and keeps it: every exec of the same program maps
 * the same text pages, read-only, as a page cache would.  Besides the
 * copy, this spares QEMU's TCG the cost of invalidating the code it
 * translated from a freed text page that is then reused and rewritten.
 */
#include <asm/page.h>
#include <kestrel/boot.h>
#include <kestrel/errno.h>
#include <kestrel/initrd.h>
#include <kestrel/mm.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/spinlock.h>
#include <kestrel/string.h>

#define FILE_PAGE_BUCKETS	128

/* One cached page of a file: the file's bytes from key on. */
struct file_page {
	const char *key;		/* file data + page offset */
	struct page *page;		/* one reference held by the cache */
	struct file_page *next;		/* C: bucket chain */
};

/* C: the cache lock (a spinlock: lookups never sleep). */
static struct file_page *file_pages[FILE_PAGE_BUCKETS];
static spinlock_t file_pages_lock = SPINLOCK_INIT;

/* The archive, or NULL (none, or not a format we read). */
static const void *initrd_archive(size_t *size)
{
	static bool warned;
	const u8 *a;

	if (!boot_info.initrd_start || !boot_info.initrd_size)
		return NULL;
	a = __va(boot_info.initrd_start);
	*size = boot_info.initrd_size;
	if (*size >= 2 && a[0] == 0x1f && a[1] == 0x8b) {
		if (!warned)
			pr_warn("initrd: gzip-compressed archives are not supported yet (lab 8); pack it with `cpio -o -H newc` alone\n");
		warned = true;
		return NULL;
	}
	return a;
}

bool initrd_present(void)
{
	size_t size;

	return initrd_archive(&size) != NULL;
}

int initrd_lookup(const char *path, const void **data, size_t *size)
{
	struct cpio_file f;
	const void *archive;
	size_t asize;
	int err;

	archive = initrd_archive(&asize);
	if (!archive)
		return -ENOENT;
	err = cpio_find(archive, asize, path, &f);
	if (err == -EINVAL)
		return -ENOENT;	/* a damaged archive: as good as absent */
	if (err)
		return err;
	if ((f.mode & CPIO_S_IFMT) != CPIO_S_IFREG)
		return -EACCES;
	*data = f.data;
	*size = f.size;
	return 0;
}

static struct file_page **bucket_of(const char *key)
{
	return &file_pages[((unsigned long)key >> PAGE_SHIFT) % FILE_PAGE_BUCKETS];
}

/* The cached page for @key with a new reference, or NULL.  (C) held. */
static struct page *cache_find(const char *key)
{
	struct file_page *fp;

	for (fp = *bucket_of(key); fp; fp = fp->next)
		if (fp->key == key) {
			get_page(fp->page);
			return fp->page;
		}
	return NULL;
}

struct page *initrd_file_page(const void *data, size_t size, u64 offset)
{
	const char *key = (const char *)data + offset;
	struct file_page *fp;
	struct page *page;
	unsigned long flags;

	flags = spin_lock_irqsave(&file_pages_lock);
	page = cache_find(key);
	spin_unlock_irqrestore(&file_pages_lock, flags);
	if (page)
		return page;
	/* Fill a page outside the lock; another CPU may race us: keep the
	 * first one in. */
	fp = kmalloc(sizeof(*fp), GFP_KERNEL);
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!fp || !page) {
		kfree(fp);
		if (page)
			__free_page(page);
		return NULL;
	}
	if (offset < size)
		memcpy(page_to_virt(page), key, MIN((u64)PAGE_SIZE, size - offset));
	fp->key = key;
	fp->page = page;
	flags = spin_lock_irqsave(&file_pages_lock);
	if ((page = cache_find(key)) == NULL) {
		fp->next = *bucket_of(key);
		*bucket_of(key) = fp;
		get_page(fp->page);	/* the caller's; the cache keeps the first */
		page = fp->page;
		fp = NULL;
	}
	spin_unlock_irqrestore(&file_pages_lock, flags);
	if (fp) {
		__free_page(fp->page);
		kfree(fp);
	}
	return page;
}
