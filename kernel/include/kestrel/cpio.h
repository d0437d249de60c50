/*
 * kestrel/cpio.h — reading a cpio archive in the "newc" format, the
 * format of Linux's initramfs (kernel/lib/cpio.c).
 *
 * An archive is a sequence of entries, each a 110-byte ASCII header, the
 * entry's name, and its data, ending with an entry named "TRAILER!!!":
 *
 *	"070701"  magic ("070702": the same with a checksum in `check`)
 *	13 fields of 8 hex digits: ino mode uid gid nlink mtime filesize
 *	          devmajor devminor rdevmajor rdevminor namesize check
 *	name      namesize bytes, with its NUL; header + name padded to 4
 *	data      filesize bytes, padded to 4 (a symlink's data is its target)
 *
 * Source: the cpio(5) manual page ("New ASCII Format"), and Linux's
 * Documentation/driver-api/early-userspace/buffer-format.rst.  Names are
 * stored as the packer saw them ("./bin/sh", "bin/sh"); lookups ignore a
 * leading "./" or "/".  Until lab 8 unpacks the archive into a tmpfs, the
 * kernel runs programs straight out of it (kernel/fs/initrd.c).
 *
 * Nothing here allocates or trusts the archive: every field is checked
 * against the archive's size, and a malformed entry ends the walk with
 * -EINVAL.  The host tests read archives made by Debian's cpio.
 */
#ifndef KESTREL_CPIO_H
#define KESTREL_CPIO_H

#include <kestrel/types.h>

/* File types in cpio_file.mode (stat(2)'s S_IFMT values). */
#define CPIO_S_IFMT	0170000
#define CPIO_S_IFDIR	0040000
#define CPIO_S_IFREG	0100000
#define CPIO_S_IFLNK	0120000

#define CPIO_MAX_SYMLINKS	8	/* links followed in one lookup (ELOOP) */
#define CPIO_PATH_MAX		256	/* bytes of a path, with the NUL */

/**
 * struct cpio_file - one entry
 * @name: its name, inside the archive (NUL-terminated, @namelen bytes before the NUL)
 * @mode: type and permission bits
 * @ino: inode number (hard links share one)
 * @nlink: link count
 * @data: its contents, inside the archive; @size bytes
 */
struct cpio_file {
	const char *name;
	size_t namelen;
	u32 mode;
	u32 ino;
	u32 nlink;
	const void *data;
	size_t size;
};

/**
 * cpio_next - read the entry at *@pos (start with 0) into @f and advance
 * *@pos to the next.  Returns 1 for an entry, 0 at the trailer (or at the
 * end of the archive, or where only zero padding is left), -EINVAL for a
 * malformed entry.
 */
int cpio_next(const void *archive, size_t size, size_t *pos,
	      struct cpio_file *f);

/**
 * cpio_find - look up @path (absolute or relative to the archive's root)
 * and fill @f with what it names, following symbolic links (relative
 * targets against the link's directory).  Returns 0; -ENOENT when there
 * is no such entry; -ELOOP after CPIO_MAX_SYMLINKS links;
 * -ENAMETOOLONG for a path or link target that does not fit
 * CPIO_PATH_MAX; -EINVAL for a malformed archive.  A hard link with no
 * data of its own is resolved to the entry of the same inode that has it.
 */
int cpio_find(const void *archive, size_t size, const char *path,
	      struct cpio_file *f);

#endif
