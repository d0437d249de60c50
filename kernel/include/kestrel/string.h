/*
 * kestrel/string.h — the freestanding memory and string functions.
 *
 * Same names and semantics as ISO C11 §7.24; GCC may also emit calls to
 * memcpy, memmove, memset and memcmp by itself, so those four must exist.
 * None sleeps or takes a lock; all lengths are in bytes.
 */
#ifndef KESTREL_STRING_H
#define KESTREL_STRING_H

#include <kestrel/types.h>

/** memcpy - copy @n bytes; the areas must not overlap.  Returns @dst. */
void *memcpy(void *dst, const void *src, size_t n);
/** memmove - copy @n bytes; the areas may overlap.  Returns @dst. */
void *memmove(void *dst, const void *src, size_t n);
/** memset - fill @n bytes with the byte @c.  Returns @dst. */
void *memset(void *dst, int c, size_t n);
/** memcmp - compare @n bytes as unsigned char; <0, 0 or >0. */
int memcmp(const void *a, const void *b, size_t n);
/** strlen - length of @s in bytes, not counting the NUL. */
size_t strlen(const char *s);
/** strnlen - length of @s, but at most @max. */
size_t strnlen(const char *s, size_t max);
/** strcmp - compare as unsigned char; <0, 0 or >0. */
int strcmp(const char *a, const char *b);
/** strncmp - compare at most @n characters; <0, 0 or >0. */
int strncmp(const char *a, const char *b, size_t n);
/** strchr - first @c in @s (the NUL counts), or NULL. */
char *strchr(const char *s, int c);
/**
 * strscpy - copy @src into @dst of @size bytes, always NUL-terminated.
 * Returns the number of characters copied, or -E2BIG when @src was cut.
 * (Linux's strscpy semantics; safer than strncpy.)
 */
ssize_t strscpy(char *dst, const char *src, size_t size);

#endif
