/*
 * kernel/tests/host/vsnprintf_test.c — the kernel's vsnprintf against libc's.
 *
 * What: kernel/lib/vsnprintf.c, compiled for the host with its functions
 * renamed k_vsnprintf and k_snprintf (see host.mk), must produce exactly
 * what the C library's snprintf produces: the same return value and the
 * same bytes in the whole buffer.
 *
 * How: a generator with a fixed seed (so every run tries the same cases)
 * builds one conversion specification at a time: random flags, width and
 * precision (digits or '*', with negative '*' values too), length modifier
 * and conversion, inside random literal text.  It picks a value (special
 * ones such as 0, -1, INT_MIN, LLONG_MIN and ULLONG_MAX, or random bits of
 * a random magnitude, cut to the argument's type), and formats it with both
 * functions into buffers pre-filled with the same junk, once with room to
 * spare and once into a small buffer (0, 1, 5 bytes or a size near the
 * result's length).  Comparing whole buffers also catches a write past the
 * size.  A mismatch prints the format, its arguments and both outputs.
 *
 * Rules: only what C defines is compared with libc; the generator never
 * makes '#' with d, i, u, c, s or p, '0' with c, s or p, a precision with c
 * or p, a length modifier with c, s or p, or anything but "%%" for %.  The
 * choices beyond C (NULL for %s, unknown conversions) are checked against
 * fixed expectations, which agree with glibc.
 */
#include <check.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* The kernel's functions, renamed at compile time by host.mk. */
int k_snprintf(char *buf, size_t size, const char *fmt, ...);
int k_vsnprintf(char *buf, size_t size, const char *fmt, va_list args);

#define SEED		0x4b65737472656cull	/* "Kestrel" */
#define INT_CASES	20000	/* random integer formats */
#define OTHER_CASES	6000	/* random %c %s %p %% formats */
#define BUF_SIZE	512	/* larger than any generated result */
#define JUNK		0xa5	/* what buffers hold before formatting */

/* ---- fixed expectations ------------------------------------------------ */

/* Format with k_vsnprintf and check the result is @want, returned whole. */
static void expect(int line, const char *want, const char *fmt, ...)
{
	char buf[BUF_SIZE];
	va_list args;
	int n;

	va_start(args, fmt);
	n = k_vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	ck_assert_msg(n == (int)strlen(want) && strcmp(buf, want) == 0,
		      "line %d: format \"%s\": want \"%s\" (%zu), "
		      "got \"%s\" (%d)", line, fmt, want, strlen(want), buf, n);
}

#define EXPECT(want, ...) expect(__LINE__, want, __VA_ARGS__)

START_TEST(test_c11_corners)
{
	EXPECT("", "%.0d", 0);
	EXPECT("", "%.d", 0);
	EXPECT("+", "%+.0d", 0);
	EXPECT("     ", "%5.0u", 0);
	EXPECT("0", "%#.0o", 0);
	EXPECT("0", "%#o", 0);
	EXPECT("017", "%#o", 15);
	EXPECT("  010", "%#5.3o", 8);
	EXPECT("0", "%#x", 0);
	EXPECT("0x1f", "%#x", 31);
	EXPECT("0X1F", "%#X", 31);
	EXPECT("0x001f", "%#06x", 31);
	EXPECT("  007", "%05.3d", 7);
	EXPECT("-0042", "%05d", -42);
	EXPECT("42   ", "%-05d", 42);
	EXPECT("+5", "%+ d", 5);
	EXPECT(" 5", "% d", 5);
	EXPECT("42   |", "%*d|", -5, 42);
	EXPECT("42", "%.*d", -1, 42);
	EXPECT("00042", "%.*d", 5, 42);
	EXPECT("-9223372036854775808", "%lld", LLONG_MIN);
	EXPECT("18446744073709551615", "%llu", ULLONG_MAX);
	EXPECT("1777777777777777777777", "%llo", ULLONG_MAX);
	EXPECT("-2147483648", "%d", INT_MIN);
	EXPECT("-1", "%zd", (ssize_t)-1);
	EXPECT("18446744073709551615", "%zu", SIZE_MAX);
	EXPECT("-1", "%hhd", 255);
	EXPECT("0", "%hhu", 256);
	EXPECT("-1", "%hd", 65535);
	EXPECT("ffff", "%hx", -1);
	EXPECT("%", "%%");
	EXPECT("100%", "%d%%", 100);
	EXPECT("    x", "%5c", 'x');
	EXPECT("he", "%.2s", "hello");
	EXPECT("  he", "%4.2s", "hello");
	EXPECT("7-seven-x-ff", "%d-%s-%c-%x", 7, "seven", 'x', 255);
}
END_TEST

/* What C leaves open or undefined, answered as glibc answers it. */
START_TEST(test_beyond_c11)
{
	static const char unterminated[3] = { 'a', 'b', 'c' };

	EXPECT("(null)", "%s", (char *)NULL);
	EXPECT("  (null)", "%8s", (char *)NULL);
	EXPECT("", "%.3s", (char *)NULL);
	EXPECT("(null)", "%.6s", (char *)NULL);
	EXPECT("(nil)", "%p", NULL);
	EXPECT("     (nil)", "%10p", NULL);
	EXPECT("(nil)     ", "%-10p", NULL);
	EXPECT("0x1234", "%p", (void *)0x1234);
	EXPECT("  0xbeef", "%8p", (void *)0xbeef);
	EXPECT("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
	EXPECT("abc", "%.3s", unterminated);	/* never reads past 3 */
	EXPECT("%y", "%y", 1);
	EXPECT("a%-5yb", "a%-5yb", 1);
	EXPECT("%", "%5%");
	EXPECT("abc%", "abc%");
	EXPECT("abc%-08.3l", "abc%-08.3l");
}
END_TEST

START_TEST(test_truncation)
{
	char buf[16];

	ck_assert_int_eq(k_snprintf(NULL, 0, "%d", 12345), 5);
	memset(buf, JUNK, sizeof(buf));
	ck_assert_int_eq(k_snprintf(buf, 0, "hello"), 5);
	ck_assert_int_eq((unsigned char)buf[0], JUNK);
	ck_assert_int_eq(k_snprintf(buf, 1, "hello"), 5);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(k_snprintf(buf, 5, "hello world"), 11);
	ck_assert_str_eq(buf, "hell");
	ck_assert_int_eq((unsigned char)buf[5], JUNK);
	ck_assert_int_eq(k_snprintf(buf, 6, "%s", "hello"), 5);
	ck_assert_str_eq(buf, "hello");
	ck_assert_int_eq(k_snprintf(buf, 5, "%s", "hello"), 5);
	ck_assert_str_eq(buf, "hell");
	ck_assert_int_eq(k_snprintf(buf, 4, "%08x", 0xbeef), 8);
	ck_assert_str_eq(buf, "000");
	ck_assert_int_eq(k_snprintf(buf, sizeof(buf), "%300d|", 1), 301);
	ck_assert_int_eq(buf[15], '\0');
}
END_TEST

/* ---- random comparison with the C library ------------------------------- */

static uint64_t rng;
static long comparisons;

/* Each test starts over, so it is repeatable alone or in any order. */
static void restart(uint64_t salt)
{
	rng = SEED ^ salt;
	comparisons = 0;
}

/* xorshift64*: small, fast, and the same sequence on every host. */
static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

static unsigned int rnd_below(unsigned int n)
{
	return rnd() % n;
}

static const char *rnd_pick(const char *const *v, unsigned int n)
{
	return v[rnd_below(n)];
}

enum kind {
	K_INT, K_UINT, K_LONG, K_ULONG, K_LLONG, K_ULLONG, K_SSIZE, K_SIZE,
	K_STR, K_PTR,
};

/* One generated call: snprintf(buf, size, fmt, star[0..nstar), value). */
struct call {
	char fmt[96];
	int nstar;		/* how many '*' arguments come first */
	int star[2];
	enum kind kind;		/* the type the value is passed as */
	unsigned long long bits;	/* the value, for the integer kinds */
	const char *str;	/* K_STR */
	void *ptr;		/* K_PTR */
};

/* What each conversion allows C to define: flags, precision, length. */
struct conv_rule {
	char conv;
	const char *flags;
	bool precision;
	bool length;
	bool is_signed;
};

/*
 * '+' and ' ' are allowed on unsigned conversions, %c and %s: C gives them
 * no effect there (they apply to signed conversions only), which is
 * defined, and both implementations must ignore them.
 */
static const struct conv_rule int_rules[] = {
	{ 'd', "-0+ ",  true, true, true },
	{ 'i', "-0+ ",  true, true, true },
	{ 'u', "-0+ ",  true, true, false },
	{ 'o', "-0+ #", true, true, false },
	{ 'x', "-0+ #", true, true, false },
	{ 'X', "-0+ #", true, true, false },
};

static const struct conv_rule other_rules[] = {
	{ 'c', "-+ ", false, false, false },
	{ 's', "-+ ", true,  false, false },
	{ 'p', "-",   false, false, false },
	{ '%', "",    false, false, false },
};

static void append(struct call *c, const char *s)
{
	strncat(c->fmt, s, sizeof(c->fmt) - strlen(c->fmt) - 1);
}

static void append_number(struct call *c, const char *before, int n)
{
	char tmp[16];

	snprintf(tmp, sizeof(tmp), "%s%d", before, n);
	append(c, tmp);
}

static void gen_flags(struct call *c, const char *allowed)
{
	unsigned int i, n = rnd_below(4);
	char f[2] = "";

	for (i = 0; *allowed != '\0' && i < n; i++) {
		f[0] = allowed[rnd_below(strlen(allowed))];
		append(c, f);
	}
}

/* Digits never start with 0 here: that would be the '0' flag. */
static void gen_width(struct call *c)
{
	switch (rnd_below(8)) {
	case 0: case 1: case 2:
		break;
	case 3:
		append(c, "*");
		c->star[c->nstar++] = (int)rnd_below(61) - 30;
		break;
	case 4:
		append_number(c, "", 100 + rnd_below(200));
		break;
	default:
		append_number(c, "", 1 + rnd_below(30));
	}
}

static void gen_precision(struct call *c)
{
	switch (rnd_below(8)) {
	case 0: case 1: case 2:
		break;
	case 3:
		append(c, ".");
		break;
	case 4:
		append(c, ".*");
		c->star[c->nstar++] = (int)rnd_below(36) - 5;
		break;
	default:
		append_number(c, ".", rnd_below(30));
	}
}

/* The length modifier, and the type the argument is then passed as. */
static enum kind gen_length(struct call *c, bool is_signed)
{
	static const char *const mods[] = { "", "hh", "h", "l", "ll", "z" };
	static const enum kind kinds[][2] = {
		{ K_UINT, K_INT }, { K_UINT, K_INT }, { K_UINT, K_INT },
		{ K_ULONG, K_LONG }, { K_ULLONG, K_LLONG }, { K_SIZE, K_SSIZE },
	};
	unsigned int i = rnd_below(6);

	append(c, mods[i]);
	return kinds[i][is_signed];
}

/*
 * An integer: a special value a quarter of the time, else random bits of
 * a random magnitude.  The cast at the call cuts it to the argument's type
 * (and hh, h make vsnprintf cut it further).
 */
static unsigned long long gen_bits(void)
{
	static const unsigned long long special[] = {
		0, 1, -1ull, 7, 8, 9, 10, 15, 16, 127, 128, 255, 256,
		32767, 32768, 65535, 65536, INT_MAX, (unsigned int)INT_MIN,
		(unsigned long long)INT_MIN, UINT_MAX, LLONG_MAX,
		(unsigned long long)LLONG_MIN, ULLONG_MAX,
	};
	unsigned long long v;

	if (rnd_below(4) == 0)
		return special[rnd_below(sizeof(special) / sizeof(special[0]))];
	v = rnd() >> rnd_below(64);
	return rnd_below(2) ? v : 0 - v;
}

static void gen_literal(struct call *c)
{
	static const char *const text[] = { "", "", "a", "<", "x=", "%%", " " };

	append(c, rnd_pick(text, sizeof(text) / sizeof(text[0])));
}

/* Literal text, '%', flags, width, precision, length, conversion, text. */
static void gen_call(struct call *c, const struct conv_rule *r)
{
	char conv[2] = { r->conv, '\0' };

	memset(c, 0, sizeof(*c));
	gen_literal(c);
	append(c, "%");
	if (r->conv != '%') {
		gen_flags(c, r->flags);
		gen_width(c);
	}
	if (r->precision)
		gen_precision(c);
	c->kind = r->length ? gen_length(c, r->is_signed) : K_INT;
	append(c, conv);
	gen_literal(c);
	c->bits = gen_bits();
}

static void gen_other_value(struct call *c, char conv)
{
	static const char *const strs[] = {
		"", "a", "hello", "hello, world", "tab\there", "\xe9t\xe9",
		"0123456789abcdefghijklmnopqrstuvwxyzABCD", NULL,
	};

	if (conv == 'c') {
		c->bits = rnd_below(8) == 0 ? 0 : 1 + rnd_below(255);
	} else if (conv == 's') {
		c->kind = K_STR;
		c->str = rnd_pick(strs, sizeof(strs) / sizeof(strs[0]));
	} else if (conv == 'p') {
		c->kind = K_PTR;
		c->ptr = rnd_below(4) == 0 ? NULL :
			 (void *)(uintptr_t)(rnd() >> rnd_below(64));
	}
}

typedef int (*snprintf_fn)(char *, size_t, const char *, ...);

/* Pass the '*' arguments, then the value v. */
#define WITH_STARS(fn, buf, size, c, v) \
	((c)->nstar == 0 ? fn(buf, size, (c)->fmt, v) : \
	 (c)->nstar == 1 ? fn(buf, size, (c)->fmt, (c)->star[0], v) : \
	 fn(buf, size, (c)->fmt, (c)->star[0], (c)->star[1], v))

static int run(snprintf_fn fn, char *buf, size_t size, const struct call *c)
{
	switch (c->kind) {
	case K_INT:
		return WITH_STARS(fn, buf, size, c, (int)c->bits);
	case K_UINT:
		return WITH_STARS(fn, buf, size, c, (unsigned int)c->bits);
	case K_LONG:
		return WITH_STARS(fn, buf, size, c, (long)c->bits);
	case K_ULONG:
		return WITH_STARS(fn, buf, size, c, (unsigned long)c->bits);
	case K_LLONG:
		return WITH_STARS(fn, buf, size, c, (long long)c->bits);
	case K_ULLONG:
		return WITH_STARS(fn, buf, size, c, c->bits);
	case K_SSIZE:
		return WITH_STARS(fn, buf, size, c, (ssize_t)c->bits);
	case K_SIZE:
		return WITH_STARS(fn, buf, size, c, (size_t)c->bits);
	case K_STR:
		return WITH_STARS(fn, buf, size, c, c->str);
	case K_PTR:
		return WITH_STARS(fn, buf, size, c, c->ptr);
	}
	return -1;
}

/* The call in C syntax, e.g. snprintf(buf, 5, "%*d", -3, 42). */
static void describe(char *out, size_t n, const struct call *c, size_t size)
{
	char val[128];
	int len;

	if (c->kind == K_STR)
		snprintf(val, sizeof(val), c->str ? "\"%s\"" : "%s",
			 c->str ? c->str : "NULL");
	else if (c->kind == K_PTR)
		snprintf(val, sizeof(val), "(void *)%p", c->ptr);
	else
		snprintf(val, sizeof(val), "%#llx (%lld)", c->bits,
			 (long long)c->bits);
	len = snprintf(out, n, "snprintf(buf, %zu, \"%s\"", size, c->fmt);
	if (c->nstar > 0)
		len += snprintf(out + len, n - len, ", %d", c->star[0]);
	if (c->nstar > 1)
		len += snprintf(out + len, n - len, ", %d", c->star[1]);
	snprintf(out + len, n - len, ", %s)", val);
}

/* Format @c with both functions into @size bytes; fail on any difference. */
static void compare(const struct call *c, size_t size)
{
	char want[BUF_SIZE], got[BUF_SIZE], what[512];
	int nwant, ngot;

	memset(want, JUNK, sizeof(want));
	memset(got, JUNK, sizeof(got));
	nwant = run(snprintf, want, size, c);
	ngot = run(k_snprintf, got, size, c);
	comparisons++;
	if (nwant == ngot && memcmp(want, got, sizeof(want)) == 0)
		return;
	describe(what, sizeof(what), c, size);
	want[BUF_SIZE - 1] = got[BUF_SIZE - 1] = '\0';
	ck_abort_msg("%s\n  libc:   %d \"%s\"\n  kernel: %d \"%s\"",
		     what, nwant, size ? want : "", ngot, size ? got : "");
}

/* Compare with room to spare, then squeezed into a small buffer. */
static void compare_sizes(const struct call *c)
{
	static const size_t small[] = { 0, 1, 5 };
	char tmp[BUF_SIZE];
	int n = run(snprintf, tmp, sizeof(tmp), c);

	ck_assert_msg(n >= 0 && n < BUF_SIZE, "generated too long: %s", c->fmt);
	compare(c, BUF_SIZE);
	if (rnd_below(2))
		compare(c, small[rnd_below(3)]);
	else
		compare(c, rnd_below(n + 2));
}

static void report(const char *what, int cases)
{
	printf("vsnprintf_test: %s: %d formats, %ld comparisons with libc "
	       "(seed %#llx)\n", what, cases, comparisons,
	       (unsigned long long)SEED);
	fflush(stdout);
}

START_TEST(test_random_integers)
{
	struct call c;
	int i;

	restart(1);
	for (i = 0; i < INT_CASES; i++) {
		gen_call(&c, &int_rules[rnd_below(6)]);
		compare_sizes(&c);
	}
	report("integers", INT_CASES);
}
END_TEST

START_TEST(test_random_others)
{
	const struct conv_rule *r;
	struct call c;
	int i;

	restart(2);
	for (i = 0; i < OTHER_CASES; i++) {
		r = &other_rules[rnd_below(4)];
		gen_call(&c, r);
		gen_other_value(&c, r->conv);
		compare_sizes(&c);
	}
	report("%c %s %p %%", OTHER_CASES);
}
END_TEST

static Suite *vsnprintf_suite(void)
{
	Suite *s = suite_create("vsnprintf");
	TCase *fixed = tcase_create("fixed");
	TCase *random = tcase_create("random");

	tcase_add_test(fixed, test_c11_corners);
	tcase_add_test(fixed, test_beyond_c11);
	tcase_add_test(fixed, test_truncation);
	tcase_add_test(random, test_random_integers);
	tcase_add_test(random, test_random_others);
	tcase_set_timeout(random, 60);	/* slow machines, sanitizers */
	suite_add_tcase(s, fixed);
	suite_add_tcase(s, random);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(vsnprintf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
