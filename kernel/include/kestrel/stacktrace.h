/*
 * kestrel/stacktrace.h — printing where the kernel is: registers and the
 * chain of callers.  Used by oopses, panics and warnings.  Both functions
 * are arch code (arch/<arch>/stacktrace.c and dumpregs.c); they are lab 1's
 * exercises.
 */
#ifndef KESTREL_STACKTRACE_H
#define KESTREL_STACKTRACE_H

#include <asm/ptrace.h>

#define BACKTRACE_MAX_FRAMES	32

/**
 * show_backtrace - print "Call Trace:" then one line per frame,
 * " [<address>] name+0xoff/0xsize", starting with @pc and continuing with
 * the return addresses found by walking the frame-pointer chain from @fp.
 * Stops at a zero or implausible frame pointer or after
 * BACKTRACE_MAX_FRAMES frames; never faults on a corrupt chain it can
 * detect.  Context: any (oops paths included); takes no locks.
 */
void show_backtrace(unsigned long pc, unsigned long fp);

/**
 * show_regs - print every register of @regs (and the control registers)
 * in the oops format, 16 hex digits each.  Context: any.
 */
void show_regs(const struct pt_regs *regs);

#endif
