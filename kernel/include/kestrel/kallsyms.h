/*
 * kestrel/kallsyms.h — the kernel's own symbol table.
 *
 * The build links the kernel twice: the first image's `nm -n` output
 * becomes a sorted table of every function (scripts/kallsyms), which the
 * second link places in .kallsyms.  Backtraces and oopses use it to turn
 * addresses into "name+offset/size".
 */
#ifndef KESTREL_KALLSYMS_H
#define KESTREL_KALLSYMS_H

#include <kestrel/types.h>

/**
 * kallsyms_lookup - find the function containing @addr.
 * @addr: a kernel text address
 * @offset: set to @addr minus the function's start, in bytes
 * @size: set to the function's size in bytes (up to the next symbol)
 *
 * Returns the function's name, or NULL when @addr is not in kernel text.
 * Binary search, no locks; safe in any context, including an oops.
 */
const char *kallsyms_lookup(unsigned long addr, unsigned long *offset,
			    unsigned long *size);

/**
 * kallsyms_lookup_name - the address of the function called @name, or 0.
 * Linear search; for tests and debugging, not hot paths.
 */
unsigned long kallsyms_lookup_name(const char *name);

/**
 * sprint_symbol - write "name+0xoff/0xsize" for @addr into @buf (@size
 * bytes), or the bare hex address when it is not in kernel text.
 * Returns the length written, as snprintf.
 */
int sprint_symbol(char *buf, size_t size, unsigned long addr);

#endif
