/*
 * initramfs_parse.c — walking a cpio "newc" archive (initramfs.h draws
 * the header).  Pure code: no allocation, no locks, nothing but the
 * buffer it is given, every offset checked against its length.  The
 * kernel's unpacker uses it, and so do the host tests, on archives made
 * by Debian's cpio (kernel/tests/host/initramfs_test.c).
 */
#include <kestrel/compiler.h>
#include <kestrel/errno.h>
#include <kestrel/string.h>

#include "initramfs.h"

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int cpio_parse_header(const char *p, size_t avail, struct cpio_header *h)
{
#if SOL >= 8
	u32 *fields[13] = {
		&h->ino, &h->mode, &h->uid, &h->gid, &h->nlink, &h->mtime,
		&h->filesize, &h->devmajor, &h->devminor, &h->rdevmajor,
		&h->rdevminor, &h->namesize, &h->check,
	};
	unsigned int f, i;
	int d;

	if (avail < CPIO_HDR_LEN)
		return -EINVAL;
	if (memcmp(p, "070701", 6) != 0 && memcmp(p, "070702", 6) != 0)
		return -EINVAL;
	for (f = 0; f < 13; f++) {
		*fields[f] = 0;
		for (i = 0; i < 8; i++) {
			d = hex_digit(p[6 + f * 8 + i]);
			if (d < 0)
				return -EINVAL;
			*fields[f] = *fields[f] << 4 | d;
		}
	}
	return 0;
#else
	/*
	 * LAB 8: parse a newc header (the picture in initramfs.h; cpio(5)).
	 * Refuse fewer than CPIO_HDR_LEN bytes and any magic but "070701"
	 * or "070702" (-EINVAL).  Then the thirteen fields follow the magic,
	 * each exactly 8 hexadecimal digits (either case; hex_digit() helps)
	 * in the order of struct cpio_header: ino, mode, uid, gid, nlink,
	 * mtime, filesize, devmajor, devminor, rdevmajor, rdevminor,
	 * namesize, check.  A character that is not a hex digit: -EINVAL.
	 */
	(void)p;
	(void)avail;
	(void)h;
	(void)hex_digit;
	return -ENOSYS;
#endif
}

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

int cpio_next_entry(const u8 *buf, size_t len, size_t *pos,
		    struct cpio_entry *e)
{
	size_t p = *pos, name_at, data_at;
	int err;

	while (p < len && buf[p] == 0)
		p++;			/* padding between archives */
	if (p >= len) {
		*pos = len;
		return 0;
	}
	err = cpio_parse_header((const char *)buf + p, len - p, &e->h);
	if (err)
		return err;
	name_at = p + CPIO_HDR_LEN;
	if (e->h.namesize == 0 || e->h.namesize > len - name_at ||
	    buf[name_at + e->h.namesize - 1] != '\0')
		return -EINVAL;
	data_at = align4(name_at + e->h.namesize);
	if (data_at > len || e->h.filesize > len - data_at)
		return -EINVAL;
	e->name = (const char *)buf + name_at;
	e->data = buf + data_at;
	*pos = MIN(align4(data_at + e->h.filesize), len);
	return strcmp(e->name, "TRAILER!!!") == 0 ? 2 : 1;
}

const char *cpio_clean_name(const char *name)
{
	for (;;) {
		if (name[0] == '/')
			name++;
		else if (name[0] == '.' && name[1] == '/')
			name += 2;
		else if (name[0] == '.' && name[1] == '\0')
			name++;
		else
			return name;
	}
}
