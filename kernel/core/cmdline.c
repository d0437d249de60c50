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

/*
 * Lab 6: what init gets (Linux's rules, Documentation/admin-guide/
 * kernel-parameters.rst): every word after "--" is an argument; before
 * it, an unknown word without a dot goes to init's environment if it has
 * an '=', to its arguments if not.  Words with a dot are some module's.
 */
static const char *init_words[2][CMDLINE_INIT_MAX + 1];	/* [0] argv, [1] envp */
static int init_counts[2];

static bool pass_to_init(char *word, bool is_env)
{
	int k = is_env ? 1 : 0;

	if (init_counts[k] >= CMDLINE_INIT_MAX)
		return false;
	init_words[k][init_counts[k]++] = word;
	return true;
}

const char *const *cmdline_init_argv(void)
{
	return init_words[0];
}

const char *const *cmdline_init_envp(void)
{
	return init_words[1];
}

/* An unknown word: init's, or a warning. */
static int unknown_word(char *word, char *value)
{
	if (!strchr(word, '.')) {
		if (value)
			value[-1] = '=';	/* whole again: "KEY=value" */
		if (pass_to_init(word, value != NULL))
			return 0;
	}
	pr_warn("cmdline: unknown parameter '%s' ignored\n", word);
	return 1;
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
		if (strcmp(word, "--") == 0) {
			while ((word = next_word(&line)) != NULL)
				pass_to_init(word, false);
			break;
		}
		value = strchr(word, '=');
		if (value)
			*value++ = '\0';
		kp = find_param(word);
		if (!kp) {
			unknown += unknown_word(word, value);
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
