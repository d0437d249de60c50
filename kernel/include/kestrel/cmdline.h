/*
 * kestrel/cmdline.h — the kernel command line, Linux style.
 *
 * The line is a list of words separated by spaces: `key=value` or a bare
 * `flag`; double quotes group a value with spaces (`key="a b"`).  Subsystems
 * register the keys they understand with KERNEL_PARAM(); cmdline_parse()
 * calls each handler with the value ("" for a bare flag).  Keys are
 * matched whole: "ktest" does not match "ktest.nonce".  As in Linux, an
 * unknown word without a dot is passed on to init (lab 6): `KEY=value`
 * into its environment, a bare word into its arguments, and so is every
 * word after `--`.  Other unknown words are reported once in a warning
 * and ignored.
 */
#ifndef KESTREL_CMDLINE_H
#define KESTREL_CMDLINE_H

#include <kestrel/compiler.h>

struct kernel_param {
	const char *key;
	/* Returns 0, or -EINVAL to have the value reported as invalid. */
	int (*handler)(const char *value);
};

#define __KPARAM_CAT2(a, b)	a##b
#define __KPARAM_CAT(a, b)	__KPARAM_CAT2(a, b)

/** KERNEL_PARAM - register @fn(value) for the command-line key @key. */
#define KERNEL_PARAM(key, fn)							\
	static const struct kernel_param __KPARAM_CAT(__kparam_, __COUNTER__)	\
		__section(".kparams") __used __aligned(8) = { key, fn }

/**
 * cmdline_parse - split @line (modified in place) and run the handlers of
 * the registered keys in the order the words appear.  Returns the number
 * of unknown words.  Call once, early, on the boot CPU.
 */
int cmdline_parse(char *line);

#define CMDLINE_INIT_MAX	32	/* arguments, and environment words, for init */

/** cmdline_init_argv / cmdline_init_envp - the words for init, each list
 *  NULL-terminated (kernel/task/init.c adds argv[0] and the defaults). */
const char *const *cmdline_init_argv(void);
const char *const *cmdline_init_envp(void);

/** cmdline_get - the full command line as the loader gave it. */
const char *cmdline_get(void);

#endif
