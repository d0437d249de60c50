/*
 * cmdline.c — splitting the kernel command line and dispatching its keys.
 *
 * See kestrel/cmdline.h for the syntax.  The handlers live in the .kparams
 * linker section (KERNEL_PARAM), so a subsystem adds a key without
 * touching this file.  Runs once at boot, single-threaded: no locking.
 */
#include <kestrel/cmdline.h>
#include <kestrel/printk.h>
#include <kestrel/string.h>

extern const struct kernel_param __kparams_start[], __kparams_end[];

static const char *saved_cmdline = "";

const char *cmdline_get(void)
{
	return saved_cmdline;
}

/* Cut the next word out of *pos, honouring double quotes; NULL at the end. */
static char *next_word(char **pos)
{
	char *p = *pos, *start, *out;
	bool quoted = false;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return NULL;
	start = out = p;
	for (; *p && (quoted || (*p != ' ' && *p != '\t')); p++) {
		if (*p == '"')
			quoted = !quoted;
		else
			*out++ = *p;
	}
	*pos = *p ? p + 1 : p;
	*out = '\0';
	return start;
}

static const struct kernel_param *find_param(const char *key)
{
	const struct kernel_param *kp;

	for (kp = __kparams_start; kp < __kparams_end; kp++)
		if (strcmp(kp->key, key) == 0)
			return kp;
	return NULL;
}

int cmdline_parse(char *line)
{
	static char copy[1024];
	const struct kernel_param *kp;
	char *word, *value;
	int unknown = 0;

	strscpy(copy, line, sizeof(copy));
	saved_cmdline = copy;
	while ((word = next_word(&line)) != NULL) {
		value = strchr(word, '=');
		if (value)
			*value++ = '\0';
		kp = find_param(word);
		if (!kp) {
			pr_warn("cmdline: unknown parameter '%s' ignored\n", word);
			unknown++;
		} else if (kp->handler(value ? value : "") < 0) {
			pr_warn("cmdline: invalid value '%s' for '%s' ignored\n",
				value ? value : "", word);
		}
	}
	return unknown;
}

/* Keys that later subsystems read; accepted now so they are not "unknown". */
static int param_later(const char *value)
{
	return 0;
}
KERNEL_PARAM("console", param_later);
KERNEL_PARAM("root", param_later);
KERNEL_PARAM("init", param_later);
KERNEL_PARAM("rdinit", param_later);
