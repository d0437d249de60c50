/*
 * kernel/lib/string.c — memory and string functions for a kernel without libc.
 *
 * What: the functions of kestrel/string.h, with ISO C11 §7.24 semantics, plus
 * strscpy, Linux's bounded copy that always terminates and reports
 * truncation.  Characters compare as unsigned char, lengths are in bytes.
 *
 * How: plain loops, except that memcpy, memmove and memset move a machine
 * word (8 bytes) at a time once the destination is word-aligned and the
 * source is too; page copies and clears go through them, so the word loop
 * is worth its few lines.  Words are accessed through a may_alias type, so
 * the compiler does not assume a word store leaves other types untouched.
 *
 * Rules: nothing here sleeps, allocates or takes a lock, so every function
 * is safe in any context, interrupts included.
 *
 * A trap: GCC recognises "for each i, d[i] = s[i]" and replaces the whole
 * loop by a call to memcpy (likewise memset and memmove), even with
 * -ffreestanding and -fno-builtin.  Inside memcpy itself that call would
 * be infinite recursion, so every function with such a loop is marked
 * __no_libcall, which turns that one optimisation off.
 */
#include <kestrel/compiler.h>
#include <kestrel/string.h>
#include <kestrel/types.h>
#include <uapi/asm-generic/errno-base.h>

#define __no_libcall \
	__attribute__((optimize("no-tree-loop-distribute-patterns")))

/* A word that may alias any other type, like char does. */
typedef unsigned long __attribute__((may_alias)) word_t;

#define WORD_SIZE	sizeof(word_t)

static inline bool word_aligned(const void *p)
{
	return ((uintptr_t)p & (WORD_SIZE - 1)) == 0;
}

/*
 * Copy from low addresses to high.  Safe for overlapping areas when
 * dst < src: every byte is read before the copy writes over it.
 */
static __no_libcall void copy_forward(u8 *d, const u8 *s, size_t n)
{
	while (n > 0 && !word_aligned(d)) {
		*d++ = *s++;
		n--;
	}
	if (word_aligned(s)) {
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			*(word_t *)d = *(const word_t *)s;
			d += WORD_SIZE;
			s += WORD_SIZE;
		}
	}
	while (n-- > 0)
		*d++ = *s++;
}

/* Copy from high addresses to low; the mirror image, for dst > src. */
static __no_libcall void copy_backward(u8 *d, const u8 *s, size_t n)
{
	d += n;
	s += n;
	while (n > 0 && !word_aligned(d)) {
		*--d = *--s;
		n--;
	}
	if (word_aligned(s)) {
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			d -= WORD_SIZE;
			s -= WORD_SIZE;
			*(word_t *)d = *(const word_t *)s;
		}
	}
	while (n-- > 0)
		*--d = *--s;
}

__no_libcall void *memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

__no_libcall void *memmove(void *dst, const void *src, size_t n)
{
	/*
	 * Unsigned comparison of the addresses: if dst starts at or before
	 * src, a forward copy never overwrites a byte it still has to read.
	 */
	if ((uintptr_t)dst <= (uintptr_t)src)
		copy_forward(dst, src, n);
	else
		copy_backward(dst, src, n);
	return dst;
}

__no_libcall void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;
	word_t pattern = (u8)c * ((word_t)-1 / 0xff);	/* c in every byte */

	while (n > 0 && !word_aligned(d)) {
		*d++ = (u8)c;
		n--;
	}
	for (; n >= WORD_SIZE; n -= WORD_SIZE) {
		*(word_t *)d = pattern;
		d += WORD_SIZE;
	}
	while (n-- > 0)
		*d++ = (u8)c;
	return dst;
}

__no_libcall int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n > 0; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
	}
	return 0;
}

__no_libcall size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

__no_libcall size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

__no_libcall int strcmp(const char *a, const char *b)
{
	const u8 *x = (const u8 *)a, *y = (const u8 *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return *x - *y;
}

__no_libcall int strncmp(const char *a, const char *b, size_t n)
{
	const u8 *x = (const u8 *)a, *y = (const u8 *)b;

	for (; n > 0; n--, x++, y++) {
		if (*x != *y || *x == '\0')
			return *x - *y;
	}
	return 0;
}

__no_libcall char *strchr(const char *s, int c)
{
	/* C11: c is converted to char, and the terminating NUL can match. */
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

/**
 * strscpy - copy the string @src into @dst, which holds @size bytes
 *
 * Copies at most @size - 1 characters and always writes the NUL when
 * @size > 0.  Returns the number of characters copied (the length of the
 * string now in @dst), or -E2BIG when @src did not fit, in which case @dst
 * holds its first @size - 1 characters; @size 0 writes nothing and returns
 * -E2BIG.  Unlike strncpy it never leaves @dst unterminated and never pads.
 */
__no_libcall ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t i;

	if (size == 0)
		return -E2BIG;
	for (i = 0; i < size - 1 && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
	/* Stopped on the bound rather than on the NUL: src was cut. */
	if (src[i] != '\0')
		return -E2BIG;
	return i;
}
