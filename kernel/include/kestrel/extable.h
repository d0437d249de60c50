/*
 * kestrel/extable.h — looking up the exception table, and memory probes
 * built on it.
 *
 * The table itself (entries, the ASM_EXTABLE macros, the fixup rules) is
 * arch code: asm/extable.h.  Generic code needs two things from it: the
 * lookup, and a way to touch one byte of memory that may be unmapped or
 * protected without oopsing — the probes below, which tests use to show
 * that a mapping forbids something, and which lab 6's copy_*_user helpers
 * generalize.
 */
#ifndef KESTREL_EXTABLE_H
#define KESTREL_EXTABLE_H

#include <asm/extable.h>
#include <kestrel/types.h>

/**
 * search_exception_tables - the entry of type @type (EX_TYPE_*) whose insn
 * is @addr, or NULL.  A linear search of __ex_table (a few dozen entries;
 * faults that need it are rare).  Context: any, takes no locks.
 */
const struct exception_table_entry *search_exception_tables(unsigned long addr,
							    unsigned long type);

/**
 * probe_read_u8 - read the byte at @addr into *@val.
 * Returns 0, or -EFAULT (and *@val untouched) when the read faulted.
 * probe_write_u8 - write @val to the byte at @addr; 0 or -EFAULT.
 * probe_exec - call @addr (which must hold a `ret`, 0xc3, if it is to be
 * executed); 0 when the call returned, -EFAULT when fetching at @addr
 * faulted.
 *
 * Implemented in assembly (arch/<arch>/mm/probe.S) with exception-table
 * entries; they work only once the page-fault handler applies fixups
 * (lab 3).  Before that, a faulting probe is an oops.  Context: any.
 */
int probe_read_u8(const void *addr, u8 *val);
int probe_write_u8(void *addr, u8 val);
int probe_exec(const void *addr);

#endif
