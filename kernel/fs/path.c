/*
 * path.c — the pure helpers of the path walk (kernel/fs/path.h): what
 * path_resolution(7) says about the shape of names, as code the host
 * tests can run.  Components are separated by one or more slashes; "."
 * and ".." are special only as whole components ("..." and ".x" are
 * names); the hash is FNV-1a (Fowler–Noll–Vo, the 32-bit variant with
 * its published offset basis and prime), cheap and good enough for the
 * dentry hash table.
 */
#include <kestrel/errno.h>
#include <kestrel/string.h>

#include "path.h"

int path_component(const char *name, u32 *len)
{
	u32 n = 0;

	while (name[n] && name[n] != '/')
		n++;
	*len = n;
	if (n == 0)
		return LAST_ROOT;
	if (name[0] == '.' && n == 1)
		return LAST_DOT;
	if (name[0] == '.' && name[1] == '.' && n == 2)
		return LAST_DOTDOT;
	return LAST_NORM;
}

const char *path_skip_slashes(const char *name)
{
	while (*name == '/')
		name++;
	return name;
}

int path_splice(char *dst, size_t cap, const char *target, const char *rest)
{
	size_t t = strlen(target), r = strlen(rest);

	if (t + 1 + r + 1 > cap)
		return -ENAMETOOLONG;
	memcpy(dst, target, t);
	if (t && r)
		dst[t++] = '/';
	memcpy(dst + t, rest, r + 1);
	return 0;
}

u32 full_name_hash(const char *name, unsigned int len)
{
	u32 h = 2166136261u;		/* FNV-1a, 32-bit offset basis */

	while (len--) {
		h ^= (unsigned char)*name++;
		h *= 16777619u;		/* the FNV prime */
	}
	return h;
}
