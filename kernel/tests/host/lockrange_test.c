/*
 * kernel/tests/host/lockrange_test.c — the byte-range rules of file
 * locks (kernel/fs/lockrange.c) against fcntl(2) and flock(2):
 *   - (l_whence base, l_start, l_len) → [start, end]: l_len 0 runs to the
 *     end of the file, a negative l_len covers the bytes before l_start,
 *     a range before byte 0 is EINVAL, past the largest off_t EOVERFLOW;
 *   - two locks conflict only for different owners of the same family on
 *     common bytes of one file with a writer among them;
 *   - an owner's new lock splits its own lock of the other type in three,
 *     merges with its own of the same type that touch it, and an unlock
 *     cuts, splits or removes; other owners' locks are left alone.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define lock_range_from_user k_lock_range_from_user
#define lock_overlap k_lock_overlap
#define lock_conflict k_lock_conflict
#define lock_find_conflict k_lock_find_conflict
#define lock_apply k_lock_apply
#include <uapi/linux/fcntl.h>
#include "../../fs/lockrange.h"

static const struct inode *const INODE = (const struct inode *)0x1000;
static const struct inode *const OTHER_INODE = (const struct inode *)0x2000;
static const int owner_a, owner_b;	/* only their addresses matter */

static struct file_lock *mk(const void *owner, unsigned int kind, int type,
			    long long start, long long end)
{
	struct file_lock *fl = calloc(1, sizeof(*fl));

	ck_assert_ptr_nonnull(fl);
	list_init(&fl->fl_list);
	fl->fl_inode = INODE;
	fl->fl_owner = owner;
	fl->fl_flags = kind;
	fl->fl_type = type;
	fl->fl_start = start;
	fl->fl_end = end;
	return fl;
}

/* The locks on @locks as "T:start-end" joined by spaces ("W:0-4 R:10-19"),
 * in list order, and the freed ones released. */
static const char *dump(struct list_head *locks, struct list_head *freed)
{
	static char out[256];
	struct file_lock *fl, *next;
	char one[64];

	out[0] = '\0';
	list_for_each_entry(fl, locks, fl_list) {
		snprintf(one, sizeof(one), "%s%c:%lld-%lld", out[0] ? " " : "",
			 fl->fl_type == F_WRLCK ? 'W' : 'R', fl->fl_start, fl->fl_end);
		strcat(out, one);
	}
	list_for_each_entry_safe(fl, next, freed, fl_list)
		free(fl);
	list_init(freed);
	return out;
}

/* Apply @type on [start, end] for owner_a; the request node is freed if
 * it was an unlock; the spare too if unused. */
static bool apply(struct list_head *locks, struct list_head *freed, int type,
		  long long start, long long end)
{
	struct file_lock *req = mk(&owner_a, FL_POSIX, type, start, end);
	struct file_lock *spare = calloc(1, sizeof(*spare));
	bool changed = k_lock_apply(locks, req, &spare, freed);

	if (type == F_UNLCK)
		free(req);
	free(spare);
	return changed;
}

START_TEST(test_range_from_user)
{
	long long s, e;

	ck_assert_int_eq(k_lock_range_from_user(0, 10, 5, &s, &e), 0);
	ck_assert_int_eq(s, 10);
	ck_assert_int_eq(e, 14);
	ck_assert_int_eq(k_lock_range_from_user(100, -20, 0, &s, &e), 0);	/* SEEK_CUR/END */
	ck_assert_int_eq(s, 80);
	ck_assert_int_eq(e, LOCK_OFFSET_MAX);
	ck_assert_int_eq(k_lock_range_from_user(0, 10, -4, &s, &e), 0);
	ck_assert_int_eq(s, 6);
	ck_assert_int_eq(e, 9);
	ck_assert_int_eq(k_lock_range_from_user(0, 10, -10, &s, &e), 0);
	ck_assert_int_eq(s, 0);
	ck_assert_int_eq(k_lock_range_from_user(0, 10, -11, &s, &e), -EINVAL);
	ck_assert_int_eq(k_lock_range_from_user(5, -6, 1, &s, &e), -EINVAL);
	ck_assert_int_eq(k_lock_range_from_user(0, LOCK_OFFSET_MAX, 1, &s, &e), 0);
	ck_assert_int_eq(e, LOCK_OFFSET_MAX);
	ck_assert_int_eq(k_lock_range_from_user(0, LOCK_OFFSET_MAX, 2, &s, &e), -EOVERFLOW);
	ck_assert_int_eq(k_lock_range_from_user(LOCK_OFFSET_MAX, 1, 1, &s, &e), -EOVERFLOW);
}
END_TEST

START_TEST(test_conflict)
{
	struct file_lock *ra = mk(&owner_a, FL_POSIX, F_RDLCK, 0, 9);
	struct file_lock *rb = mk(&owner_b, FL_POSIX, F_RDLCK, 5, 14);
	struct file_lock *wb = mk(&owner_b, FL_POSIX, F_WRLCK, 5, 14);
	struct file_lock *wa = mk(&owner_a, FL_POSIX, F_WRLCK, 5, 14);
	struct file_lock *far = mk(&owner_b, FL_OFD, F_WRLCK, 10, 20);
	struct file_lock *fb = mk(&owner_b, FL_FLOCK, F_WRLCK, 0, LOCK_OFFSET_MAX);
	struct list_head locks;

	ck_assert(k_lock_overlap(ra, rb));
	ck_assert(!k_lock_overlap(ra, far));		/* 0..9 and 10..20 */
	ck_assert(!k_lock_conflict(ra, rb));		/* readers share */
	ck_assert(k_lock_conflict(ra, wb));		/* a writer */
	ck_assert(k_lock_conflict(wb, ra));
	ck_assert(!k_lock_conflict(ra, wa));		/* one owner */
	ck_assert(!k_lock_conflict(fb, wa));		/* flock vs fcntl */
	ck_assert(k_lock_conflict(far, wa));		/* OFD vs POSIX: 10..14 */
	wb->fl_inode = OTHER_INODE;
	ck_assert(!k_lock_conflict(ra, wb));		/* another file */
	list_init(&locks);
	list_add_tail(&rb->fl_list, &locks);
	list_add_tail(&far->fl_list, &locks);
	ck_assert_ptr_eq(k_lock_find_conflict(&locks, wa), rb);	/* the first */
	list_del(&rb->fl_list);
	ck_assert_ptr_eq(k_lock_find_conflict(&locks, wa), far);
	ck_assert_ptr_null(k_lock_find_conflict(&locks, ra));
	free(ra), free(rb), free(wb), free(wa), free(far), free(fb);
}
END_TEST

START_TEST(test_split_merge)
{
	struct list_head locks, freed;
	struct file_lock *other = mk(&owner_b, FL_POSIX, F_RDLCK, 0, 100);

	list_init(&locks);
	list_init(&freed);
	list_add_tail(&other->fl_list, &locks);
	ck_assert(!apply(&locks, &freed, F_RDLCK, 0, 19));
	ck_assert(apply(&locks, &freed, F_WRLCK, 5, 9));	/* split in three */
	ck_assert_str_eq(dump(&locks, &freed), "R:0-100 R:0-4 R:10-19 W:5-9");
	ck_assert(apply(&locks, &freed, F_UNLCK, 0, 9));
	ck_assert_str_eq(dump(&locks, &freed), "R:0-100 R:10-19");
	ck_assert(!apply(&locks, &freed, F_RDLCK, 20, 29));	/* adjacent: merged */
	ck_assert_str_eq(dump(&locks, &freed), "R:0-100 R:10-29");
	ck_assert(!apply(&locks, &freed, F_RDLCK, 40, LOCK_OFFSET_MAX));
	ck_assert(!apply(&locks, &freed, F_RDLCK, 25, 45));	/* bridges two */
	ck_assert_str_eq(dump(&locks, &freed), "R:0-100 R:10-" "9223372036854775807");
	ck_assert(apply(&locks, &freed, F_UNLCK, 50, 59));	/* a hole */
	ck_assert_str_eq(dump(&locks, &freed),
			 "R:0-100 R:10-49 R:60-9223372036854775807");
	ck_assert(apply(&locks, &freed, F_WRLCK, 0, LOCK_OFFSET_MAX));	/* all of it */
	ck_assert_str_eq(dump(&locks, &freed), "R:0-100 W:0-9223372036854775807");
	ck_assert(apply(&locks, &freed, F_UNLCK, 0, LOCK_OFFSET_MAX));
	ck_assert_str_eq(dump(&locks, &freed), "R:0-100");	/* owner_b's stays */
	ck_assert(!apply(&locks, &freed, F_UNLCK, 0, 5));	/* nothing held */
	free(other);
}
END_TEST

START_TEST(test_flock_conversion)
{
	struct list_head locks, freed;
	struct file_lock *sh = mk(&owner_a, FL_FLOCK, F_RDLCK, 0, LOCK_OFFSET_MAX);
	struct file_lock *ex = mk(&owner_a, FL_FLOCK, F_WRLCK, 0, LOCK_OFFSET_MAX);
	struct file_lock *posix = mk(&owner_a, FL_POSIX, F_RDLCK, 0, 9);
	struct file_lock *spare = NULL;

	list_init(&locks);
	list_init(&freed);
	list_add_tail(&posix->fl_list, &locks);
	k_lock_apply(&locks, sh, &spare, &freed);
	ck_assert(k_lock_apply(&locks, ex, &spare, &freed));	/* replaced whole */
	ck_assert_str_eq(dump(&locks, &freed), "R:0-9 W:0-9223372036854775807");
	free(posix);
	free(ex);
}
END_TEST

static Suite *lockrange_suite(void)
{
	Suite *s = suite_create("lockrange");
	TCase *tc = tcase_create("ranges");

	tcase_add_test(tc, test_range_from_user);
	tcase_add_test(tc, test_conflict);
	tcase_add_test(tc, test_split_merge);
	tcase_add_test(tc, test_flock_conversion);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(lockrange_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
