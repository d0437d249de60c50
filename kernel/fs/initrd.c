/*
 * initrd.c — the initial RAM disk as a read-only store of files
 * (kestrel/initrd.h), until lab 8 unpacks it into a tmpfs.
 *
 * The archive must be an uncompressed newc cpio (kestrel/cpio.h).  Linux
 * also accepts a compressed one; Kestrel's decompressor arrives with
 * lab 8, so a gzip archive (magic 1f 8b) is reported once and ignored.
 * The archive's pages were reserved at boot (mm/init.c), so the bytes
 * this hands out stay valid for ever, reached through the direct map.
 */
#include <asm/page.h>
#include <kestrel/boot.h>
#include <kestrel/errno.h>
#include <kestrel/initrd.h>
#include <kestrel/printk.h>

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
