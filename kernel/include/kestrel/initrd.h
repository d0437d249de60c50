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

#endif
