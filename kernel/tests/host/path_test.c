/*
 * kernel/tests/host/path_test.c — the path walk's pure helpers
 * (kernel/fs/path.c) against the rules of path_resolution(7):
 *   - a name splits into components at runs of slashes; "." and ".."
 *     are special only as whole components ("...", ".x", "x." are names);
 *     an empty rest is the root (LAST_ROOT);
 *   - walking "a//b/./../c/" by hand gives exactly its components;
 *   - a symlink's target is spliced before the rest of the path with one
 *     slash; an empty rest adds none, an empty target (a magic link)
 *     leaves the rest alone; a result longer than the buffer is
 *     -ENAMETOOLONG and writes nothing past it;
 *   - the hash is FNV-1a: its published test values, and equal names
 *     hash equally whatever follows them.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define path_component k_path_component
#define path_skip_slashes k_path_skip_slashes
#define path_splice k_path_splice
#define full_name_hash k_full_name_hash
#include "../../fs/path.h"

START_TEST(test_component_kinds)
{
	u32 len;

	ck_assert_int_eq(k_path_component("abc/def", &len), LAST_NORM);
	ck_assert_uint_eq(len, 3);
	ck_assert_int_eq(k_path_component("./x", &len), LAST_DOT);
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(k_path_component("..", &len), LAST_DOTDOT);
	ck_assert_uint_eq(len, 2);
	ck_assert_int_eq(k_path_component(".../", &len), LAST_NORM);
	ck_assert_uint_eq(len, 3);
	ck_assert_int_eq(k_path_component(".x", &len), LAST_NORM);
	ck_assert_int_eq(k_path_component("x.", &len), LAST_NORM);
	ck_assert_int_eq(k_path_component("..a", &len), LAST_NORM);
	ck_assert_int_eq(k_path_component("", &len), LAST_ROOT);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(k_path_component("/x", &len), LAST_ROOT);	/* starts at a slash */
}
END_TEST

/* Split @path as link_path_walk does; the components joined by '|'. */
static void split(const char *path, char *out)
{
	const char *p = k_path_skip_slashes(path);
	u32 len;

	out[0] = '\0';
	while (*p) {
		k_path_component(p, &len);
		strncat(out, p, len);
		p = k_path_skip_slashes(p + len);
		if (*p)
			strcat(out, "|");
	}
}

START_TEST(test_split)
{
	char out[128];

	split("a//b/./../c/", out);
	ck_assert_str_eq(out, "a|b|.|..|c");
	split("///", out);
	ck_assert_str_eq(out, "");
	split("/usr/lib64", out);
	ck_assert_str_eq(out, "usr|lib64");
	split("x", out);
	ck_assert_str_eq(out, "x");
}
END_TEST

START_TEST(test_splice)
{
	char buf[16];

	memset(buf, 'Z', sizeof(buf));
	ck_assert_int_eq(k_path_splice(buf, sizeof(buf), "tgt", "rest"), 0);
	ck_assert_str_eq(buf, "tgt/rest");
	ck_assert_int_eq(k_path_splice(buf, sizeof(buf), "/abs", ""), 0);
	ck_assert_str_eq(buf, "/abs");
	ck_assert_int_eq(k_path_splice(buf, sizeof(buf), "", "only/rest"), 0);
	ck_assert_str_eq(buf, "only/rest");
	ck_assert_int_eq(k_path_splice(buf, 9, "tgt", "rest"), 0);	/* exactly fits */
	memset(buf, 'Z', sizeof(buf));
	ck_assert_int_eq(k_path_splice(buf, 8, "tgt", "rest"), -ENAMETOOLONG);
	ck_assert_int_eq(buf[0], 'Z');			/* nothing written */
}
END_TEST

START_TEST(test_hash)
{
	/* FNV-1a 32-bit test vectors (the FNV authors' table). */
	ck_assert_uint_eq(k_full_name_hash("", 0), 0x811c9dc5u);
	ck_assert_uint_eq(k_full_name_hash("a", 1), 0xe40c292cu);
	ck_assert_uint_eq(k_full_name_hash("foobar", 6), 0xbf9cf968u);
	ck_assert_uint_eq(k_full_name_hash("bin/sh", 3), k_full_name_hash("bin", 3));
	ck_assert_uint_ne(k_full_name_hash("bin", 3), k_full_name_hash("nib", 3));
}
END_TEST

static Suite *path_suite(void)
{
	Suite *s = suite_create("path");
	TCase *tc = tcase_create("helpers");

	tcase_add_test(tc, test_component_kinds);
	tcase_add_test(tc, test_split);
	tcase_add_test(tc, test_splice);
	tcase_add_test(tc, test_hash);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(path_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
