/*
 * kestrel/err.h — an error number inside a pointer.
 *
 * A function that returns a pointer can also return why it failed: the
 * last page of the address space (-4095 … -1 as unsigned long) is never a
 * valid kernel object, so ERR_PTR(-ENOMEM) is a pointer that IS_ERR()
 * recognizes and PTR_ERR() turns back into -ENOMEM.  The convention and
 * the names are Linux's (include/linux/err.h); callers must test with
 * IS_ERR() before using the pointer, never compare it with NULL.
 */
#ifndef KESTREL_ERR_H
#define KESTREL_ERR_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

#define MAX_ERRNO	4095	/* the largest errno a pointer can carry */

/** ERR_PTR - the pointer that carries @error (a negative errno). */
static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

/** PTR_ERR - the negative errno carried by @ptr (only if IS_ERR(@ptr)). */
static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

/** IS_ERR - true when @ptr carries an error number rather than an object. */
static inline bool IS_ERR(const void *ptr)
{
	return unlikely((unsigned long)ptr >= (unsigned long)-MAX_ERRNO);
}

/** IS_ERR_OR_NULL - IS_ERR(@ptr), or @ptr is NULL. */
static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR(ptr);
}

#endif
