/*
 * kestrel/initrd.h — files of the initial RAM disk (kernel/fs/initrd.c).
 *
 * The boot loader (QEMU's -initrd, GRUB's module) leaves a cpio archive in
 * memory; kestrel/boot.h says where.  Until lab 8 unpacks it into a tmpfs,
 * the kernel reads programs straight out of it: initrd_lookup() finds a
 * file by path (kestrel/cpio.h) and hands back a pointer to its bytes,
 * which stay where they are for as long as the kernel runs (the pages are
 * reserved at boot).
 */
#ifndef KESTREL_INITRD_H
#define KESTREL_INITRD_H

#include <kestrel/cpio.h>
#include <kestrel/types.h>

/** initrd_present - the loader gave an initrd (in a format we read). */
bool initrd_present(void);

/**
 * initrd_lookup - find the regular file at @path (symbolic links
 * followed) and return its contents.  Returns 0; -ENOENT when there is
 * no initrd or no such file; -EACCES when @path names something that is
 * not a regular file (a directory); -ELOOP, -ENAMETOOLONG as cpio_find.
 */
int initrd_lookup(const char *path, const void **data, size_t *size);

struct page;

/**
 * initrd_file_page - the page holding bytes [@offset, @offset + 4096) of
 * the initrd file whose contents are @data (@size bytes; @offset page
 * aligned), the part past the end zeroed.  Read-only program segments
 * are mapped from these pages, shared by every process running the
 * program: a small page cache, until lab 8 brings the real one.  The
 * cache keeps every page it made (the initrd never changes); the caller
 * gets its own reference.  NULL when out of memory.  May take a spinlock.
 */
struct page *initrd_file_page(const void *data, size_t size, u64 offset);

#endif
