/*
 * panic.c — stopping the kernel when it is broken, and warnings.
 *
 * A panic prints its message and where it came from, then stops: under
 * test it ends QEMU with status 37 through isa-debug-exit (kestrel/reboot.h)
 * so graders learn of it at once; otherwise the CPU halts with the message
 * on screen, where a debugger can still inspect it.
 */
#include <asm/processor.h>
#include <kestrel/panic.h>
#include <kestrel/percpu.h>
#include <kestrel/printk.h>
#include <kestrel/reboot.h>
#include <kestrel/sprintf.h>
#include <kestrel/stacktrace.h>

/* Print the backtrace of our caller's caller: skip the reporting frame. */
static void show_caller_backtrace(unsigned long fp)
{
	const unsigned long *frame = (const unsigned long *)fp;

	show_backtrace(frame[1], frame[0]);
}

void panic(const char *fmt, ...)
{
	static char msg[256];
	va_list args;

	local_irq_disable();
	this_cpu()->in_oops = true;
	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	pr_emerg("Kernel panic - not syncing: %s\n", msg);
	show_caller_backtrace((unsigned long)__builtin_frame_address(0));
	machine_test_exit(EXIT_PANIC);
}

void panic_after_oops(const char *why)
{
	pr_emerg("Kernel panic - not syncing: %s\n", why);
	machine_test_exit(EXIT_PANIC);
}

void warn_slowpath(const char *file, int line, const char *cond)
{
	pr_warn("WARNING: %s at %s:%d\n", cond, file, line);
	show_caller_backtrace((unsigned long)__builtin_frame_address(0));
}
