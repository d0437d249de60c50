/*
 * cpio.c — finding files in a newc cpio archive (kestrel/cpio.h).
 *
 * A lookup is a linear walk: the archive has no index, and an initrd
 * holds tens or hundreds of entries, each skipped by adding its two sizes.
 * Symbolic links are followed the way a file system would — a relative
 * target is taken from the link's own directory, an absolute one from the
 * root — because the busybox images name their tools as links
 * ("bin/sh -> busybox").  "." and ".." are resolved lexically, and only
 * the last component of a path may be a link (a linked directory in the
 * middle of a path is not followed): enough for running programs out of
 * the archive, which is all it is used for until lab 8's tmpfs.
 */
#include <kestrel/cpio.h>
#include <kestrel/errno.h>
#include <kestrel/string.h>

#define NEWC_HDR_SIZE	110
#define NEWC_FIELDS	13

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
       F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK };

/* The 8 hex digits at @s, or -1. */
static long parse_hex8(const char *s)
{
	unsigned long v = 0;
	int i;

	for (i = 0; i < 8; i++) {
		char c = s[i];
		int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = (v << 4) | d;
	}
	return (long)v;
}

static size_t align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

/* Only zero bytes from @pos to the end (padding after the trailer). */
static bool only_padding(const char *a, size_t size, size_t pos)
{
	for (; pos < size; pos++)
		if (a[pos])
			return false;
	return true;
}

int cpio_next(const void *archive, size_t size, size_t *pos,
	      struct cpio_file *f)
{
	const char *a = archive, *h = a + *pos;
	long field[NEWC_FIELDS];
	size_t name_end, data_end;
	int i;

	if (*pos >= size || only_padding(a, size, *pos))
		return 0;
	if (size - *pos < NEWC_HDR_SIZE ||
	    (memcmp(h, "070701", 6) && memcmp(h, "070702", 6)))
		return -EINVAL;
	for (i = 0; i < NEWC_FIELDS; i++)
		if ((field[i] = parse_hex8(h + 6 + 8 * i)) < 0)
			return -EINVAL;
	name_end = *pos + NEWC_HDR_SIZE + field[F_NAMESIZE];
	if (field[F_NAMESIZE] < 1 || name_end > size || a[name_end - 1] != '\0')
		return -EINVAL;
	data_end = align4(name_end) + field[F_FILESIZE];
	if (align4(name_end) > size || data_end > size)
		return -EINVAL;
	f->name = h + NEWC_HDR_SIZE;
	f->namelen = field[F_NAMESIZE] - 1;
	f->mode = field[F_MODE];
	f->ino = field[F_INO];
	f->nlink = field[F_NLINK];
	f->data = a + align4(name_end);
	f->size = field[F_FILESIZE];
	if (strcmp(f->name, "TRAILER!!!") == 0)
		return 0;
	*pos = align4(data_end);
	return 1;
}

/* @name without a leading "./" or "/" (archive names and lookups alike). */
static const char *strip_root(const char *name)
{
	for (;;) {
		if (name[0] == '/')
			name++;
		else if (name[0] == '.' && name[1] == '/')
			name += 2;
		else
			return name;
	}
}

/* Find the entry named exactly @path (already normalized). */
static int find_exact(const void *archive, size_t size, const char *path,
		      struct cpio_file *f)
{
	size_t pos = 0;
	int r;

	while ((r = cpio_next(archive, size, &pos, f)) > 0)
		if (strcmp(strip_root(f->name), path) == 0)
			return 0;
	return r < 0 ? r : -ENOENT;
}

/* A hard link's data lives with one entry of its inode: find it. */
static int find_link_data(const void *archive, size_t size,
			  struct cpio_file *f)
{
	struct cpio_file g;
	size_t pos = 0;
	int r;

	while ((r = cpio_next(archive, size, &pos, &g)) > 0)
		if (g.ino == f->ino && g.size && (g.mode & CPIO_S_IFMT) ==
						   (f->mode & CPIO_S_IFMT)) {
			f->data = g.data;
			f->size = g.size;
			return 0;
		}
	return r < 0 ? r : 0;
}

/*
 * Normalize @in into @out (CPIO_PATH_MAX bytes): no leading '/', no "."
 * components, ".." removes the previous one, no repeated '/'.
 */
static int normalize(const char *in, char *out)
{
	size_t len = 0, n;

	while (*in) {
		while (*in == '/')
			in++;
		for (n = 0; in[n] && in[n] != '/'; n++)
			;
		if (n == 0 || (n == 1 && in[0] == '.')) {
			in += n;
			continue;
		}
		if (n == 2 && in[0] == '.' && in[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
		} else {
			if (len + (len ? 1 : 0) + n + 1 > CPIO_PATH_MAX)
				return -ENAMETOOLONG;
			if (len)
				out[len++] = '/';
			memcpy(out + len, in, n);
			len += n;
		}
		in += n;
	}
	out[len] = '\0';
	return 0;
}

/* The last '/' in @s, or NULL. */
static const char *last_slash(const char *s)
{
	const char *found = NULL;

	for (; *s; s++)
		if (*s == '/')
			found = s;
	return found;
}

/* The path the symlink @f at @link (normalized) points to, normalized. */
static int link_target(const char *link, const struct cpio_file *f, char *out)
{
	char buf[CPIO_PATH_MAX * 2];
	const char *slash = last_slash(link);
	size_t dir = (f->data && ((const char *)f->data)[0] == '/') ? 0 :
		     slash ? (size_t)(slash - link) + 1 : 0;

	if (f->size == 0 || dir + f->size + 1 > sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, link, dir);
	memcpy(buf + dir, f->data, f->size);
	buf[dir + f->size] = '\0';
	return normalize(buf, out);
}

int cpio_find(const void *archive, size_t size, const char *path,
	      struct cpio_file *f)
{
	char cur[CPIO_PATH_MAX], next[CPIO_PATH_MAX];
	int hops, err;

	if (strlen(path) >= CPIO_PATH_MAX)
		return -ENAMETOOLONG;
	err = normalize(path, cur);
	for (hops = 0; !err; hops++) {
		err = find_exact(archive, size, cur, f);
		if (err)
			return err;
		if ((f->mode & CPIO_S_IFMT) != CPIO_S_IFLNK)
			break;
		if (hops == CPIO_MAX_SYMLINKS)
			return -ELOOP;
		err = link_target(cur, f, next);
		memcpy(cur, next, sizeof(cur));
	}
	if (err)
		return err;
	if (f->size == 0 && f->nlink > 1)
		return find_link_data(archive, size, f);
	return 0;
}
