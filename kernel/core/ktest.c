/*
 * ktest.c — running in-kernel tests and reporting them in KTAP.
 *
 * The protocol is described in kestrel/ktest.h.  Tests are found in the
 * .ktests section in link order; `ktest=` names them (or `all`).  Each test
 * gets a fresh context; a failure records the first reason, which is
 * printed after the nonce on the `not ok` line.  Runs on the boot CPU in
 * start_kernel's context, one test at a time: no locking.
 */
#include <kestrel/cmdline.h>
#include <kestrel/ktest.h>
#include <kestrel/printk.h>
#include <kestrel/reboot.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>

extern const struct ktest __ktests_start[], __ktests_end[];

struct ktest_ctx {
	bool failed;
	bool skipped;
	char reason[160];
};

static char ktest_list[256];	/* the value of ktest=, or "" */
static char nonce_text[24] = "none";
static u64 nonce;

static int param_ktest(const char *value)
{
	return strscpy(ktest_list, value, sizeof(ktest_list)) < 0 ? -1 : 0;
}
KERNEL_PARAM("ktest", param_ktest);

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int param_nonce(const char *value)
{
	u64 v = 0;
	const char *p;

	if (!*value || strlen(value) > 16)
		return -1;
	for (p = value; *p; p++) {
		if (hex_value(*p) < 0)
			return -1;
		v = (v << 4) | hex_value(*p);
	}
	nonce = v;
	strscpy(nonce_text, value, sizeof(nonce_text));
	return 0;
}
KERNEL_PARAM("ktest.nonce", param_nonce);

u64 ktest_nonce(void)
{
	return nonce;
}

void ktest_fail(struct ktest_ctx *ctx, const char *file, int line,
		const char *fmt, ...)
{
	char why[128];
	va_list args;

	if (ctx->failed)
		return;
	ctx->failed = true;
	va_start(args, fmt);
	vsnprintf(why, sizeof(why), fmt, args);
	va_end(args);
	snprintf(ctx->reason, sizeof(ctx->reason), "%s:%d %s", file, line, why);
}

void ktest_skip(struct ktest_ctx *ctx, const char *fmt, ...)
{
	va_list args;

	if (ctx->failed || ctx->skipped)
		return;
	ctx->skipped = true;
	va_start(args, fmt);
	vsnprintf(ctx->reason, sizeof(ctx->reason), fmt, args);
	va_end(args);
}

static const struct ktest *find_test(const char *name, size_t len)
{
	const struct ktest *t;

	for (t = __ktests_start; t < __ktests_end; t++)
		if (strlen(t->name) == len && strncmp(t->name, name, len) == 0)
			return t;
	return NULL;
}

/*
 * Run @t (NULL: a name that matched nothing) as test number @n.  Returns
 * false only for a failure: a skip is "ok" in KTAP, and the exit status
 * says whether anything failed.
 */
static bool run_one(const struct ktest *t, const char *name, size_t len, int n)
{
	struct ktest_ctx ctx = { 0 };

	if (t)
		t->fn(&ctx);
	else
		snprintf(ctx.reason, sizeof(ctx.reason), "no such test");
	if (t && !ctx.failed && ctx.skipped) {
		printk("ok %d %.*s # SKIP nonce=%s %s\n", n, (int)len, name,
		       nonce_text, ctx.reason);
		return true;
	}
	if (t && !ctx.failed) {
		printk("ok %d %.*s # nonce=%s\n", n, (int)len, name, nonce_text);
		return true;
	}
	printk("not ok %d %.*s # nonce=%s %s\n", n, (int)len, name, nonce_text,
	       ctx.reason);
	return false;
}

static int run_all(void)
{
	const struct ktest *t;
	int n = 0, planned = 0, passed = 0;

	for (t = __ktests_start; t < __ktests_end; t++)
		planned += !(t->flags & KTEST_MANUAL);
	printk("KTAP version 1\n1..%d\n", planned);
	for (t = __ktests_start; t < __ktests_end; t++)
		if (!(t->flags & KTEST_MANUAL))
			passed += run_one(t, t->name, strlen(t->name), ++n);
	return planned - passed;
}

static int run_list(const char *list)
{
	const char *p, *end;
	int n = 0, planned = 1, passed = 0;

	for (p = list; *p; p++)
		planned += *p == ',';
	printk("KTAP version 1\n1..%d\n", planned);
	for (p = list; ; p = end + 1) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		passed += run_one(find_test(p, end - p), p, end - p, ++n);
		if (!*end)
			break;
	}
	return planned - passed;
}

void ktest_run_cmdline(void)
{
	int failed;

	if (!ktest_list[0])
		return;
	if (strcmp(ktest_list, "all") == 0)
		failed = run_all();
	else
		failed = run_list(ktest_list);
	printk("# ktest: %s\n", failed ? "some tests failed" : "all passed");
	machine_test_exit(failed ? EXIT_TESTS_FAILED : EXIT_TESTS_PASSED);
}
