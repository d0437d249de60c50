/*
 * kernel/fs/initramfs.h — reading the initramfs: cpio "newc" entries with
 * every field the unpacker needs (initramfs_parse.c, pure code that the
 * host tests compile too), and the unpacker (initramfs.c).
 *
 * The format (cpio(5), "New ASCII Format"; Linux's
 * Documentation/driver-api/early-userspace/buffer-format.rst): each entry
 * is a 110-byte header of ASCII — the magic "070701" (or "070702", which
 * adds a checksum we do not verify) and thirteen 8-digit hexadecimal
 * fields — then the name with its NUL, padded so that the data starts
 * at a multiple of 4, then the data, padded to 4.  An entry named
 * "TRAILER!!!" ends an archive; Linux lets zero bytes and then another
 * archive follow, and so do we.
 *
 *	offset  0   6   14  22   30  38  46    54    62       70     78
 *	        magic ino mode uid gid nlink mtime filesize devmajor devminor
 *	        78 rdevmajor 86 rdevminor 94 namesize 102 check 110 name…
 */
#ifndef KESTREL_FS_INITRAMFS_H
#define KESTREL_FS_INITRAMFS_H

#include <kestrel/types.h>

#define CPIO_HDR_LEN	110

/** struct cpio_header - the thirteen numbers of a newc header */
struct cpio_header {
	u32 ino, mode, uid, gid, nlink, mtime, filesize;
	u32 devmajor, devminor, rdevmajor, rdevminor, namesize, check;
};

/**
 * struct cpio_entry - one entry of an archive
 * @h: its header
 * @name: its name, NUL-terminated, as stored ("./bin/sh" or "bin/sh")
 * @data: @h.filesize bytes of contents (a symlink's: its target, no NUL)
 */
struct cpio_entry {
	struct cpio_header h;
	const char *name;
	const u8 *data;
};

/**
 * cpio_parse_header - read the header at @p (@avail bytes there) into @h.
 * Returns 0, or -EINVAL: fewer than 110 bytes, a magic other than
 * "070701"/"070702", or a field that is not 8 hexadecimal digits.
 */
int cpio_parse_header(const char *p, size_t avail, struct cpio_header *h);

/**
 * cpio_next_entry - the entry at *@pos of the @len-byte @buf, advancing
 * *@pos past it (and its padding).  Returns 1 for an entry, 2 for a
 * trailer (*@pos is then after it: more archives may follow), 0 at the
 * end of @buf, -EINVAL for a malformed or truncated entry.  Zero bytes
 * before an entry are skipped.
 */
int cpio_next_entry(const u8 *buf, size_t len, size_t *pos,
		    struct cpio_entry *e);

/** cpio_clean_name - @name without leading "./" and "/" ("" for the root). */
const char *cpio_clean_name(const char *name);

#endif
