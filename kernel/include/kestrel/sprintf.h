/*
 * kestrel/sprintf.h — formatted output into a buffer.
 *
 * The kernel's only formatter; printk and every "%"-using function build on
 * it.  It compiles on the host too: the host unit test checks it against the
 * C library's snprintf (kernel/tests/host/vsnprintf_test.c).
 */
#ifndef KESTREL_SPRINTF_H
#define KESTREL_SPRINTF_H

#include <stdarg.h>
#include <kestrel/compiler.h>
#include <kestrel/types.h>

/**
 * vsnprintf - format @fmt with @args into @buf, at most @size bytes
 * @buf: destination; always NUL-terminated when @size > 0
 * @size: capacity of @buf in bytes, including the NUL
 * @fmt: C99 format subset: conversions %d %i %u %x %X %o %c %s %p %%,
 *       length modifiers hh h l ll z, flags - 0 + space #, field width and
 *       precision, each given as digits or as '*'
 * @args: the arguments
 *
 * Returns the number of characters the full result has, excluding the NUL,
 * even when it was truncated (C11 §7.21.6.12); a caller detects truncation
 * by comparing with @size.  %p prints 0x followed by lower-case hex digits,
 * or "(nil)" for NULL, as glibc does.  An unknown conversion is copied to the
 * output unchanged.  Never sleeps, takes no locks, safe in any context.
 * Source: ISO C11 §7.21.6.1 (fprintf) for the meaning of every flag.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);

/** snprintf - vsnprintf with variadic arguments; same rules and return. */
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
