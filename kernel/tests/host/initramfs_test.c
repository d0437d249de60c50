/*
 * kernel/tests/host/initramfs_test.c — the initramfs's newc walker
 * (kernel/fs/initramfs_parse.c) on archives made by Debian's cpio.
 *
 * The archives are those cpio_test reads (mkcpio-fixture packs one tree
 * twice, with and without "./" in front of the names), plus:
 *   - every entry of the tree appears once, with its type, mode, size and
 *     contents; the walk ends at the trailer and reports it (2);
 *   - hard links: the two names share an inode number and nlink 2, and
 *     GNU cpio gives the data to one of them only;
 *   - two archives back to back with zero padding between them (as
 *     Linux accepts) are walked in full;
 *   - a damaged header (bad magic, a non-hex digit, a name or size past
 *     the end, every truncation) is -EINVAL, never a read outside the
 *     buffer (the sanitizer would stop the test);
 *   - cpio_clean_name strips "./" and "/" prefixes.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define cpio_parse_header k_cpio_parse_header
#define cpio_next_entry k_cpio_next_entry
#define cpio_clean_name k_cpio_clean_name
#include "../../fs/initramfs.h"

struct archive {
	unsigned char *data;
	size_t size;
};

static struct archive load(const char *path)
{
	struct archive a;
	FILE *f = fopen(path, "rb");
	long n;

	ck_assert_msg(f != NULL, "cannot read %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	a.data = malloc(n + 4096);
	a.size = fread(a.data, 1, n, f);
	fclose(f);
	ck_assert_uint_eq(a.size, (size_t)n);
	return a;
}

static const char *const archives[] = {
	FIXTURE_DIR "/tree-dot.cpio",
	FIXTURE_DIR "/tree-plain.cpio",
};

/* Walk @a; count entries, find @name's entry into *@found. */
static int walk(struct archive *a, size_t *pos, const char *name,
		struct cpio_entry *found, int *trailers)
{
	struct cpio_entry e;
	int n = 0, r;

	while ((r = k_cpio_next_entry(a->data, a->size, pos, &e)) > 0) {
		if (r == 2) {
			(*trailers)++;
			continue;
		}
		n++;
		if (name && !strcmp(k_cpio_clean_name(e.name), name))
			*found = e;
	}
	ck_assert_int_eq(r, 0);
	return n;
}

START_TEST(test_entries)
{
	struct archive a = load(archives[_i]);
	struct cpio_entry e = { 0 };
	size_t pos = 0;
	int trailers = 0, n;

	n = walk(&a, &pos, "dir/sub/file", &e, &trailers);
	ck_assert_int_eq(trailers, 1);
	ck_assert_int_ge(n, 20);
	ck_assert_uint_eq(e.h.mode & 0170000, 0100000);
	ck_assert_uint_eq(e.h.filesize, 5);
	ck_assert_int_eq(memcmp(e.data, "deep\n", 5), 0);
	pos = 0;
	walk(&a, &pos, "bin/sh", &e, &trailers);
	ck_assert_uint_eq(e.h.mode & 0170000, 0120000);
	ck_assert_int_eq(memcmp(e.data, "busybox", e.h.filesize), 0);
	pos = 0;
	walk(&a, &pos, "dir", &e, &trailers);
	ck_assert_uint_eq(e.h.mode & 0170000, 0040000);
	free(a.data);
}
END_TEST

START_TEST(test_hard_links)
{
	struct archive a = load(archives[_i]);
	struct cpio_entry h1 = { 0 }, h2 = { 0 };
	size_t pos = 0;
	int trailers = 0;

	walk(&a, &pos, "hard1", &h1, &trailers);
	pos = 0;
	walk(&a, &pos, "hard2", &h2, &trailers);
	ck_assert_uint_eq(h1.h.ino, h2.h.ino);
	ck_assert_uint_eq(h1.h.nlink, 2);
	ck_assert_uint_eq(h1.h.filesize + h2.h.filesize, 11);	/* "same inode\n" once */
	free(a.data);
}
END_TEST

/* Two archives with zero padding between them: both walked. */
START_TEST(test_concatenated)
{
	struct archive a = load(archives[0]), b;
	size_t pos = 0, size = a.size;
	int trailers = 0, n1, n2;

	n1 = walk(&a, &pos, NULL, NULL, &trailers);
	b.data = malloc(2 * size + 512);
	memcpy(b.data, a.data, size);
	memset(b.data + size, 0, 512);
	memcpy(b.data + size + 512, a.data, size);
	b.size = 2 * size + 512;
	pos = 0;
	trailers = 0;
	n2 = walk(&b, &pos, NULL, NULL, &trailers);
	ck_assert_int_eq(n2, 2 * n1);
	ck_assert_int_eq(trailers, 2);
	free(a.data);
	free(b.data);
}
END_TEST

START_TEST(test_damage)
{
	struct archive a = load(archives[0]);
	struct cpio_entry e;
	size_t pos, cut, clean;
	int r;

	pos = 0;
	ck_assert_int_eq(k_cpio_next_entry(a.data, a.size, &pos, &e), 1);
	clean = pos;		/* the first entry, whole */
	for (cut = 1; cut < clean; cut++) {
		pos = 0;
		r = k_cpio_next_entry(a.data, cut, &pos, &e);
		ck_assert_msg(r == -EINVAL, "an entry cut at %zu gave %d", cut, r);
	}
	a.data[0] = '1';				/* bad magic */
	pos = 0;
	ck_assert_int_eq(k_cpio_next_entry(a.data, a.size, &pos, &e), -EINVAL);
	a.data[0] = '0';
	a.data[20] = 'g';				/* not hex */
	pos = 0;
	ck_assert_int_eq(k_cpio_next_entry(a.data, a.size, &pos, &e), -EINVAL);
	a.data[20] = '0';
	memcpy(a.data + 54, "7fffffff", 8);		/* filesize past the end */
	pos = 0;
	ck_assert_int_eq(k_cpio_next_entry(a.data, a.size, &pos, &e), -EINVAL);
	memcpy(a.data + 94, "7fffffff", 8);		/* namesize past the end */
	pos = 0;
	ck_assert_int_eq(k_cpio_next_entry(a.data, a.size, &pos, &e), -EINVAL);
	free(a.data);
}
END_TEST

START_TEST(test_clean_name)
{
	ck_assert_str_eq(k_cpio_clean_name("./bin/sh"), "bin/sh");
	ck_assert_str_eq(k_cpio_clean_name("/bin/sh"), "bin/sh");
	ck_assert_str_eq(k_cpio_clean_name("././/x"), "x");
	ck_assert_str_eq(k_cpio_clean_name("."), "");
	ck_assert_str_eq(k_cpio_clean_name(".hidden"), ".hidden");
	ck_assert_str_eq(k_cpio_clean_name("../x"), "../x");
}
END_TEST

static Suite *initramfs_suite(void)
{
	Suite *s = suite_create("initramfs");
	TCase *tc = tcase_create("newc");

	tcase_add_loop_test(tc, test_entries, 0, 2);
	tcase_add_loop_test(tc, test_hard_links, 0, 2);
	tcase_add_test(tc, test_concatenated);
	tcase_add_test(tc, test_damage);
	tcase_add_test(tc, test_clean_name);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(initramfs_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
