/*
 * kernel/fs/path.h — the pure helpers of the path walk (path.c): how a
 * name splits into components, how a symlink's target is spliced in
 * front of the rest of a path, and the hash of a component.  No locks,
 * no allocation, nothing but the strings: the host tests compile path.c
 * and check these rules (kernel/tests/host/path_test.c).
 */
#ifndef KESTREL_FS_PATH_H
#define KESTREL_FS_PATH_H

#include <kestrel/types.h>

/* What a component is: a name, the root ("/" or ""), "." or "..". */
enum { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT };

/**
 * path_component - the component at @name (which does not start with
 * '/'): its length in *@len (up to the next '/' or the end) and its
 * kind, LAST_NORM, LAST_DOT or LAST_DOTDOT.  An empty @name is LAST_ROOT.
 */
int path_component(const char *name, u32 *len);

/** path_skip_slashes - @name after any number of '/'. */
const char *path_skip_slashes(const char *name);

/**
 * path_splice - write @target, then "/" and @rest if @rest is not empty,
 * into @dst (@cap bytes, NUL included): what a symlink in the middle of
 * a path becomes (namei.c, pick_link).  An empty @target (a magic link,
 * already jumped to) gives @rest alone.  0, or -ENAMETOOLONG when it
 * does not fit.  @dst must not overlap @target or @rest.
 */
int path_splice(char *dst, size_t cap, const char *target, const char *rest);

/** full_name_hash - the hash of @len bytes at @name (FNV-1a, 32 bits). */
u32 full_name_hash(const char *name, unsigned int len);

#endif
