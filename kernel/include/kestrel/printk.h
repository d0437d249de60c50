/*
 * kestrel/printk.h — the kernel log.
 *
 * printk formats a message (kestrel/sprintf.h), stores it in a ring buffer
 * that `dmesg` will read later, and writes it to every registered console
 * when its level number is below the console log level.  A message starts
 * with an optional level marker, as in Linux: KERN_ERR "..." is the two
 * bytes "\001" "3" followed by the text.  Messages without a marker are
 * KERN_INFO.  The console level is 7 (everything but debug) by default,
 * 4 with `quiet`, or `loglevel=N` on the command line.
 *
 * Locking: printk may be called from any context, including exception
 * handlers; it takes the log lock with interrupts disabled.  A CPU that is
 * printing an oops (this_cpu()->in_oops) writes even when it cannot get the
 * lock, since the holder may be the code that just crashed.
 */
#ifndef KESTREL_PRINTK_H
#define KESTREL_PRINTK_H

#include <stdarg.h>
#include <kestrel/compiler.h>
#include <kestrel/types.h>

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"	/* system is unusable */
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_CONT	KERN_SOH "c"	/* continue the previous line */

/**
 * struct console - a sink for kernel messages
 * @name: short name ("ttyS0")
 * @write: write @len bytes of @s; must work with interrupts off and must
 *         not sleep; "\n" is translated to "\r\n" by the console itself
 * @next: registration list, under the log lock
 */
struct console {
	const char *name;
	void (*write)(struct console *con, const char *s, size_t len);
	struct console *next;
};

/**
 * register_console - start sending messages to @con.  Messages printed
 * before stay in the ring buffer only (the serial console registers first
 * thing in start_kernel, so it misses none).  Context: any.
 */
void register_console(struct console *con);

/**
 * printk - log a message; returns the number of characters of the text
 * (without the level marker).  Context: any; never sleeps.
 */
int printk(const char *fmt, ...) __printf(1, 2);

/** vprintk - printk with a va_list. */
int vprintk(const char *fmt, va_list args);

/** console_loglevel_set - messages at @level or lower priority (higher
 *  number) are no longer shown on consoles; they stay in the ring buffer. */
void console_loglevel_set(int level);

/**
 * log_buf_read - copy up to @size bytes of the ring buffer, oldest first,
 * starting @pos bytes into the retained log.  Returns the bytes copied.
 * For dmesg and ktests.  Context: any.
 */
size_t log_buf_read(char *buf, size_t size, size_t pos);

/** console_loglevel_get - the console log level console_loglevel_set set. */
int console_loglevel_get(void);

/**
 * log_buf_bounds - where the log is, as positions in the count of bytes
 * ever logged: *@oldest, the first byte still in the ring buffer, and
 * *@head, the position the next message starts at.  Context: any.
 */
void log_buf_bounds(u64 *oldest, u64 *head);

/**
 * log_buf_copy - copy up to @size bytes of the log starting at position
 * *@from (bytes ever logged; a position already overwritten starts at the
 * oldest byte kept), and advance *@from past them.  Returns the bytes
 * copied, 0 when *@from is the head.  For syslog(2).  Context: any.
 */
size_t log_buf_copy(char *buf, size_t size, u64 *from);

/** log_buf_size - the ring buffer's size in bytes (syslog(2)'s
 *  SYSLOG_ACTION_SIZE_BUFFER). */
size_t log_buf_size(void);

#define pr_emerg(fmt, ...)	printk(KERN_EMERG fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printk(KERN_DEBUG fmt, ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)

#endif
