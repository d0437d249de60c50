/*
 * kestrel/panic.h — what the kernel does when it finds itself broken.
 *
 * panic() is only for proven corruption of the kernel's own invariants
 * (STYLE habit 8): it prints the message and a backtrace, then stops the
 * machine (leaving QEMU through isa-debug-exit with status 37 when that
 * device is present).  What user space can trigger must return an error
 * instead; what "cannot happen" gets WARN_ON and recovery.
 */
#ifndef KESTREL_PANIC_H
#define KESTREL_PANIC_H

#include <kestrel/compiler.h>

/**
 * panic - print "Kernel panic - not syncing: <message>" and a backtrace of
 * the caller, then stop this machine.  Never returns.  Context: any.
 */
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

/**
 * panic_after_oops - the end of an oops: the dump is already printed, so
 * print only the panic line and stop.  Never returns.
 */
void panic_after_oops(const char *why) __noreturn;

/** warn_slowpath - print a WARNING line with file:line and a backtrace. */
void warn_slowpath(const char *file, int line, const char *cond);

/**
 * unimplemented - a lab's hole was reached in a stage that cannot go on
 * without it: panics naming the lab, the function and where to read.
 */
#define unimplemented(lab) \
	panic("lab %d: %s() is not implemented yet (see labs/)", (lab), __func__)

#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(cond) do { if (unlikely(cond)) BUG(); } while (0)

#define WARN_ON(cond) ({							\
	bool __w = !!(cond);							\
	if (unlikely(__w))							\
		warn_slowpath(__FILE__, __LINE__, #cond);			\
	__w;								\
})

#define WARN_ON_ONCE(cond) ({							\
	static bool __warned;							\
	bool __w = !!(cond);							\
	if (unlikely(__w) && !__warned) {					\
		__warned = true;						\
		warn_slowpath(__FILE__, __LINE__, #cond);			\
	}									\
	__w;								\
})

#endif
