/*
 * kernel/tests/host/string_test.c — the kernel's string.c against libc's.
 *
 * What: kernel/lib/string.c, compiled for the host with its functions
 * renamed k_* (see host.mk), must agree with the C library on the cases
 * where implementations go wrong: zero lengths, every alignment of source
 * and destination (the kernel copies words once aligned), overlapping
 * memmove in both directions, bytes above 0x7f (compared as unsigned char),
 * the NUL in strchr, and strscpy's truncation, which libc does not have and
 * which is checked against Linux's documented rules instead.
 *
 * How: each copy or fill runs on a buffer of known junk, once with libc and
 * once with the kernel's function, and the two whole buffers must be
 * equal, so a byte written outside the area is caught as well.  Comparison
 * functions are checked by the sign of their result, which is all C fixes.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* The kernel's functions, renamed at compile time by host.mk. */
void *k_memcpy(void *dst, const void *src, size_t n);
void *k_memmove(void *dst, const void *src, size_t n);
void *k_memset(void *dst, int c, size_t n);
int k_memcmp(const void *a, const void *b, size_t n);
size_t k_strlen(const char *s);
size_t k_strnlen(const char *s, size_t max);
int k_strcmp(const char *a, const char *b);
int k_strncmp(const char *a, const char *b, size_t n);
char *k_strchr(const char *s, int c);
ssize_t k_strscpy(char *dst, const char *src, size_t size);

#define AREA	96	/* bytes in the test buffers */
#define MAXLEN	40	/* longest copy or fill, bytes */

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

/* A recognisable pattern, different at every offset. */
static void fill_pattern(unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 37 + 11);
}

/* One memcpy of @n bytes from src + @so to dst + @d, libc's and ours. */
static void check_memcpy(const unsigned char *src, size_t so, size_t d,
			 size_t n)
{
	unsigned char want[AREA], got[AREA];

	memset(want, 0xee, AREA);
	memset(got, 0xee, AREA);
	memcpy(want + d, src + so, n);
	ck_assert_ptr_eq(k_memcpy(got + d, src + so, n), got + d);
	ck_assert_msg(memcmp(want, got, AREA) == 0,
		      "memcpy src+%zu dst+%zu n=%zu", so, d, n);
}

/* Every source and destination alignment, every length up to MAXLEN. */
START_TEST(test_memcpy)
{
	unsigned char src[AREA];
	size_t so, d, n;

	fill_pattern(src, AREA);
	for (so = 0; so < 16; so++) {
		for (d = 0; d < 16; d++) {
			for (n = 0; n <= MAXLEN; n++)
				check_memcpy(src, so, d, n);
		}
	}
}
END_TEST

/* One memmove of @n bytes inside a buffer, from offset @from to @to. */
static void check_memmove(size_t from, size_t to, size_t n)
{
	unsigned char want[AREA], got[AREA];

	fill_pattern(want, AREA);
	fill_pattern(got, AREA);
	memmove(want + to, want + from, n);
	ck_assert_ptr_eq(k_memmove(got + to, got + from, n), got + to);
	ck_assert_msg(memcmp(want, got, AREA) == 0,
		      "memmove from %zu to %zu n=%zu", from, to, n);
}

/* Every pair of overlapping (and not) areas in one buffer. */
START_TEST(test_memmove_overlap)
{
	size_t from, to, n;

	for (from = 0; from < 24; from++) {
		for (to = 0; to < 24; to++) {
			for (n = 0; n <= MAXLEN; n++)
				check_memmove(from, to, n);
		}
	}
}
END_TEST

/* One memset of @n bytes at offset @d with @c, libc's and ours. */
static void check_memset(int c, size_t d, size_t n)
{
	unsigned char want[AREA], got[AREA];

	fill_pattern(want, AREA);
	fill_pattern(got, AREA);
	memset(want + d, c, n);
	ck_assert_ptr_eq(k_memset(got + d, c, n), got + d);
	ck_assert_msg(memcmp(want, got, AREA) == 0,
		      "memset c=%d dst+%zu n=%zu", c, d, n);
}

/* Values outside 0..255 too: memset converts c to unsigned char. */
START_TEST(test_memset)
{
	static const int values[] = { 0, 0x5a, 0xff, -1, 0x1ab, -0x80 };
	size_t d, n, v;

	for (v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
		for (d = 0; d < 16; d++) {
			for (n = 0; n <= MAXLEN; n++)
				check_memset(values[v], d, n);
		}
	}
}
END_TEST

START_TEST(test_memcmp)
{
	const unsigned char a[] = { 1, 2, 3, 0x80, 5 };
	const unsigned char b[] = { 1, 2, 3, 0x01, 9 };
	size_t n;

	for (n = 0; n <= sizeof(a); n++) {
		ck_assert_int_eq(sign(k_memcmp(a, b, n)),
				 sign(memcmp(a, b, n)));
		ck_assert_int_eq(sign(k_memcmp(b, a, n)),
				 sign(memcmp(b, a, n)));
		ck_assert_int_eq(k_memcmp(a, a, n), 0);
	}
	/* 0x80 > 0x01: bytes compare as unsigned char. */
	ck_assert_int_gt(k_memcmp(a, b, 4), 0);
	ck_assert_int_eq(k_memcmp("abc", "xyz", 0), 0);
}
END_TEST

START_TEST(test_strlen)
{
	static const char *const strs[] = { "", "a", "hello", "\xff\x80" };
	const char unterminated[4] = { 'a', 'b', 'c', 'd' };
	size_t i, max;

	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		ck_assert_uint_eq(k_strlen(strs[i]), strlen(strs[i]));
		for (max = 0; max <= 7; max++)
			ck_assert_uint_eq(k_strnlen(strs[i], max),
					  strnlen(strs[i], max));
	}
	/* strnlen must not read past max: no NUL in this array. */
	ck_assert_uint_eq(k_strnlen(unterminated, 4), 4);
	ck_assert_uint_eq(k_strnlen(unterminated, 2), 2);
}
END_TEST

/* strcmp, and strncmp with every bound up to past the end, against libc. */
static void check_compare(const char *a, const char *b)
{
	size_t n;

	ck_assert_msg(sign(k_strcmp(a, b)) == sign(strcmp(a, b)),
		      "strcmp(\"%s\", \"%s\")", a, b);
	for (n = 0; n <= 4; n++)
		ck_assert_msg(sign(k_strncmp(a, b, n)) ==
			      sign(strncmp(a, b, n)),
			      "strncmp(\"%s\", \"%s\", %zu)", a, b, n);
}

START_TEST(test_strcmp)
{
	static const char *const strs[] = {
		"", "a", "ab", "abc", "abd", "b", "\xe9", "\x01", "A",
	};
	const size_t count = sizeof(strs) / sizeof(strs[0]);
	/* Equal strings: what follows their NULs must not be compared. */
	const char a[] = "ab\0xyz", b[] = "ab\0qrs";
	size_t i, j;

	for (i = 0; i < count; i++) {
		for (j = 0; j < count; j++)
			check_compare(strs[i], strs[j]);
	}
	ck_assert_int_gt(k_strcmp("\xe9", "a"), 0);	/* unsigned char */
	ck_assert_int_eq(k_strncmp("abc", "abd", 2), 0);
	ck_assert_int_eq(k_strncmp(a, b, sizeof(a)), 0);
	ck_assert_int_eq(k_strcmp(a, b), 0);
}
END_TEST

START_TEST(test_strchr)
{
	static const char s[] = "hello, w\xe9rld";
	static const int cs[] = { 'h', 'l', 'd', 'z', '\0', 0xe9, (char)0xe9,
				  'o' + 256 };
	size_t i;

	for (i = 0; i < sizeof(cs) / sizeof(cs[0]); i++)
		ck_assert_msg(k_strchr(s, cs[i]) == strchr(s, cs[i]),
			      "strchr(s, %#x)", cs[i]);
	/* The terminating NUL is part of the string. */
	ck_assert_ptr_eq(k_strchr(s, '\0'), s + strlen(s));
	ck_assert_ptr_null(k_strchr("", 'a'));
}
END_TEST

/*
 * Linux's strscpy: the copied length, or -E2BIG and a cut, terminated copy.
 * The host's E2BIG is Linux's, so this also checks the kernel's errno value.
 */
START_TEST(test_strscpy)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(k_strscpy(buf, "abc", sizeof(buf)), 3);
	ck_assert_str_eq(buf, "abc");
	ck_assert_int_eq(buf[4], 'x');		/* no padding, unlike strncpy */

	ck_assert_int_eq(k_strscpy(buf, "1234567", sizeof(buf)), 7);
	ck_assert_str_eq(buf, "1234567");	/* exactly fits */

	ck_assert_int_eq(k_strscpy(buf, "12345678", sizeof(buf)), -E2BIG);
	ck_assert_str_eq(buf, "1234567");	/* cut by one */

	ck_assert_int_eq(k_strscpy(buf, "a much longer string", 4), -E2BIG);
	ck_assert_str_eq(buf, "a m");

	ck_assert_int_eq(k_strscpy(buf, "", sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");

	ck_assert_int_eq(k_strscpy(buf, "a", 1), -E2BIG);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(k_strscpy(buf, "", 1), 0);

	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(k_strscpy(buf, "a", 0), -E2BIG);
	ck_assert_int_eq(buf[0], 'x');		/* size 0 writes nothing */
}
END_TEST

static Suite *string_suite(void)
{
	Suite *s = suite_create("string");
	TCase *mem = tcase_create("mem");
	TCase *str = tcase_create("str");

	tcase_add_test(mem, test_memcpy);
	tcase_add_test(mem, test_memmove_overlap);
	tcase_add_test(mem, test_memset);
	tcase_add_test(mem, test_memcmp);
	tcase_add_test(str, test_strlen);
	tcase_add_test(str, test_strcmp);
	tcase_add_test(str, test_strchr);
	tcase_add_test(str, test_strscpy);
	tcase_set_timeout(mem, 60);	/* slow machines, sanitizers */
	suite_add_tcase(s, mem);
	suite_add_tcase(s, str);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(string_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
