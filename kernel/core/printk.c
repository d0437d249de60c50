/*
 * printk.c — the kernel log: a ring buffer and the consoles.
 *
 * Every message is formatted into a local buffer, appended to the ring
 * buffer as "<level>text" (the form syslog(2) and /dev/kmsg will return),
 * and written to each console when its level passes the console log level.
 * The ring buffer is a byte array indexed by a 64-bit count of bytes ever
 * written, so the newest LOG_BUF_SIZE bytes are always kept and readers can
 * tell how much they missed.
 *
 * Lock: log_lock (spinlock, interrupts off) covers the ring buffer, the
 * console list and the line state.
 */
#include <kestrel/cmdline.h>
#include <kestrel/percpu.h>
#include <kestrel/printk.h>
#include <kestrel/spinlock.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>

#define LOG_BUF_SIZE	(1 << 16)	/* bytes kept */
#define MSG_MAX		512		/* bytes per printk call */
#define DEFAULT_LEVEL	6		/* KERN_INFO, for messages without one */

static char log_buf[LOG_BUF_SIZE];
static u64 log_head;			/* bytes ever written; log_lock */
static struct console *consoles;	/* log_lock */
static int console_loglevel = 7;	/* show levels below this number */
static bool line_open;			/* last message had no newline; log_lock */
static spinlock_t log_lock = SPINLOCK_INIT;

static void log_store(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		log_buf[(log_head + i) % LOG_BUF_SIZE] = s[i];
	log_head += len;
}

static void console_write_all(const char *s, size_t len)
{
	struct console *con;

	for (con = consoles; con; con = con->next)
		con->write(con, s, len);
}

/* Split off the "\001N" level marker; returns the text after it. */
static const char *parse_level(const char *text, int *level, bool *cont)
{
	*level = DEFAULT_LEVEL;
	*cont = false;
	if (text[0] == KERN_SOH[0] && text[1]) {
		if (text[1] == 'c')
			*cont = true;
		else if (text[1] >= '0' && text[1] <= '7')
			*level = text[1] - '0';
		text += 2;
	}
	return text;
}

int vprintk(const char *fmt, va_list args)
{
	char msg[MSG_MAX];
	char prefix[4] = { '<', '0', '>', 0 };
	const char *text;
	unsigned long flags;
	bool cont, locked;
	int level, len;

	vsnprintf(msg, sizeof(msg), fmt, args);
	text = parse_level(msg, &level, &cont);
	len = strlen(text);

	flags = arch_local_irq_save();
	locked = spin_trylock(&log_lock);
	if (!locked && !this_cpu()->in_oops) {
		spin_lock(&log_lock);
		locked = true;
	}
	if (!(cont && line_open)) {
		prefix[1] = '0' + level;
		log_store(prefix, 3);
	}
	log_store(text, len);
	if (level < console_loglevel)
		console_write_all(text, len);
	line_open = len > 0 && text[len - 1] != '\n';
	if (locked)
		spin_unlock(&log_lock);
	arch_local_irq_restore(flags);
	return len;
}

int printk(const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vprintk(fmt, args);
	va_end(args);
	return n;
}

void register_console(struct console *con)
{
	unsigned long flags = spin_lock_irqsave(&log_lock);

	con->next = consoles;
	consoles = con;
	spin_unlock_irqrestore(&log_lock, flags);
}

void console_loglevel_set(int level)
{
	console_loglevel = level;
}

size_t log_buf_read(char *buf, size_t size, size_t pos)
{
	unsigned long flags = spin_lock_irqsave(&log_lock);
	u64 first = log_head > LOG_BUF_SIZE ? log_head - LOG_BUF_SIZE : 0;
	size_t n = 0;

	for (; first + pos + n < log_head && n < size; n++)
		buf[n] = log_buf[(first + pos + n) % LOG_BUF_SIZE];
	spin_unlock_irqrestore(&log_lock, flags);
	return n;
}

int console_loglevel_get(void)
{
	return console_loglevel;
}

void log_buf_bounds(u64 *oldest, u64 *head)
{
	unsigned long flags = spin_lock_irqsave(&log_lock);

	*head = log_head;
	*oldest = log_head > LOG_BUF_SIZE ? log_head - LOG_BUF_SIZE : 0;
	spin_unlock_irqrestore(&log_lock, flags);
}

size_t log_buf_copy(char *buf, size_t size, u64 *from)
{
	unsigned long flags = spin_lock_irqsave(&log_lock);
	u64 first = log_head > LOG_BUF_SIZE ? log_head - LOG_BUF_SIZE : 0;
	size_t n = 0;

	if (*from < first)	/* overwritten: start at the oldest byte kept */
		*from = first;
	for (; *from + n < log_head && n < size; n++)
		buf[n] = log_buf[(*from + n) % LOG_BUF_SIZE];
	*from += n;
	spin_unlock_irqrestore(&log_lock, flags);
	return n;
}

size_t log_buf_size(void)
{
	return LOG_BUF_SIZE;
}

static int param_loglevel(const char *value)
{
	if (value[0] < '0' || value[0] > '8' || value[1])
		return -1;
	console_loglevel = value[0] - '0';
	return 0;
}
KERNEL_PARAM("loglevel", param_loglevel);

static int param_quiet(const char *value)
{
	console_loglevel = 4;	/* KERN_ERR and worse: levels 0-3 */
	return 0;
}
KERNEL_PARAM("quiet", param_quiet);
