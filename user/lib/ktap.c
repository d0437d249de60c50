/*
 * ktap.c — the KTAP reporter of user tests (see ktap.h for the format).
 *
 * Each line is formatted into a buffer and written with one write(2) to
 * stdout, so that a line is never split by buffering or by a crash that
 * follows it.  Single-threaded: the state below is the running program's.
 */
#include "ktap.h"
#include "line.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ktap_ctx {
	bool failed;
	bool skipped;
	char reason[192];
};

static char nonce_text[24] = "none";
static uint64_t nonce;
static char bad_nonce[64];	/* a rejected nonce, reported after the plan */

/* Accept 1 to 16 hex digits, as the kernel's ktest.nonce= does. */
static bool set_nonce(const char *text)
{
	uint64_t v = 0;
	size_t len = strlen(text);

	if (len == 0 || len > 16)
		return false;
	for (const char *p = text; *p; p++) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			return false;
		v = (v << 4) | (uint64_t)d;
	}
	nonce = v;
	snprintf(nonce_text, sizeof(nonce_text), "%s", text);
	return true;
}

uint64_t ktap_nonce(void)
{
	return nonce;
}

void ktap_fail(struct ktap_ctx *ctx, const char *file, int line,
	       const char *fmt, ...)
{
	char why[160];
	va_list args;

	if (ctx->failed)
		return;
	ctx->failed = true;
	va_start(args, fmt);
	vsnprintf(why, sizeof(why), fmt, args);
	va_end(args);
	snprintf(ctx->reason, sizeof(ctx->reason), "%s:%d %s", file, line, why);
}

void ktap_skip(struct ktap_ctx *ctx, const char *fmt, ...)
{
	va_list args;

	if (ctx->failed || ctx->skipped)
		return;
	ctx->skipped = true;
	va_start(args, fmt);
	vsnprintf(ctx->reason, sizeof(ctx->reason), fmt, args);
	va_end(args);
}

/* Run @c (NULL: @name matched no case) as number @n; false if it failed. */
static bool run_one(const struct ktap_case *c, const char *name, int n)
{
	struct ktap_ctx ctx = { 0 };

	if (c)
		c->fn(&ctx);
	else
		snprintf(ctx.reason, sizeof(ctx.reason), "no such test");
	if (c && !ctx.failed && ctx.skipped) {
		put_line("ok %d %s # SKIP nonce=%s %s", n, name, nonce_text,
			  ctx.reason);
		return true;
	}
	if (c && !ctx.failed) {
		put_line("ok %d %s # nonce=%s", n, name, nonce_text);
		return true;
	}
	put_line("not ok %d %s # nonce=%s %s", n, name, nonce_text,
		  ctx.reason);
	return false;
}

static const struct ktap_case *find_case(const struct ktap_case *cases, int n,
					 const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(cases[i].name, name) == 0)
			return &cases[i];
	return NULL;
}

/*
 * Take the nonce from the environment, then from the arguments (an argument
 * wins); every other argument names a case.  Returns the number of names,
 * which are moved to the front of argv[1..].
 */
static int parse_args(int argc, char **argv)
{
	const char *env = getenv("KTEST_NONCE");
	int names = 0;

	if (env && *env && !set_nonce(env))
		snprintf(bad_nonce, sizeof(bad_nonce), "KTEST_NONCE=%s", env);
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;

		if (strncmp(argv[i], "ktest.nonce=", 12) == 0)
			v = argv[i] + 12;
		else if (strncmp(argv[i], "--nonce=", 8) == 0)
			v = argv[i] + 8;
		if (!v) {
			argv[1 + names++] = argv[i];
			continue;
		}
		if (!set_nonce(v))
			snprintf(bad_nonce, sizeof(bad_nonce), "%s", argv[i]);
	}
	return names;
}

int ktap_main(int argc, char **argv, const struct ktap_case *cases, int n)
{
	int names = parse_args(argc, argv);
	int planned = names ? names : n;
	int failed = 0;

	put_line("KTAP version 1");
	put_line("1..%d", planned);
	if (bad_nonce[0])
		put_line("# ktap: ignoring %s (not 1-16 hex digits)",
			  bad_nonce);
	for (int i = 0; i < planned; i++) {
		const char *name = names ? argv[1 + i] : cases[i].name;
		const struct ktap_case *c =
			names ? find_case(cases, n, name) : &cases[i];

		failed += !run_one(c, name, i + 1);
	}
	put_line("# ktest: %s", failed ? "some tests failed" : "all passed");
	return failed ? 1 : 0;
}
