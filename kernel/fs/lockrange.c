/*
 * lockrange.c — the byte-range arithmetic of file locks (lockrange.h):
 * ranges from fcntl(2)'s struct flock, overlap and conflict, and the
 * split and merge of an owner's ranges when it locks or unlocks.  Pure:
 * locks.c calls it under its mutex, the host tests call it directly.
 *
 * An owner's ranges on a file never overlap and two of the same type
 * never touch (lock_apply keeps it so):
 *
 *	held by P:   RRRRRRRRRRRRRRRRRRRR            (F_RDLCK 0..19)
 *	P: F_WRLCK 5..9       WWWWW
 *	afterwards:  RRRRRWWWWWRRRRRRRRRR            (split: 0..4, 5..9, 10..19)
 *	P: F_UNLCK 0..9  ..........
 *	afterwards:            RRRRRRRRRR            (10..19)
 *	P: F_RDLCK 20..29                RRRRRRRRRR
 *	afterwards:            RRRRRRRRRRRRRRRRRRRR  (merged: 10..29)
 */
#include <kestrel/errno.h>
#include <uapi/linux/fcntl.h>

#include "lockrange.h"

int lock_range_from_user(long long base, long long l_start, long long l_len,
			 long long *start, long long *end)
{
	long long s;

	if (__builtin_add_overflow(base, l_start, &s))
		return -EOVERFLOW;
	if (s < 0)
		return -EINVAL;
	if (l_len > 0) {
		if (l_len - 1 > LOCK_OFFSET_MAX - s)
			return -EOVERFLOW;
		*end = s + (l_len - 1);
	} else if (l_len < 0) {
		if (s + l_len < 0)	/* s ≥ 0 and l_len < 0: no overflow */
			return -EINVAL;
		*end = s - 1;
		s += l_len;
	} else {
		*end = LOCK_OFFSET_MAX;
	}
	*start = s;
	return 0;
}

bool lock_overlap(const struct file_lock *a, const struct file_lock *b)
{
	return a->fl_inode == b->fl_inode && a->fl_start <= b->fl_end &&
	       b->fl_start <= a->fl_end;
}

/* Do @a and @b overlap or sit side by side (so that they could merge)? */
static bool lock_touch(const struct file_lock *a, const struct file_lock *b)
{
	return a->fl_inode == b->fl_inode && a->fl_start - 1 <= b->fl_end &&
	       b->fl_start - 1 <= a->fl_end;
}

bool lock_conflict(const struct file_lock *held, const struct file_lock *req)
{
#if SOL >= 8
	if ((held->fl_flags & FL_FLOCK) != (req->fl_flags & FL_FLOCK))
		return false;	/* flock and fcntl locks ignore each other */
	if (held->fl_owner == req->fl_owner || !lock_overlap(held, req))
		return false;
	return held->fl_type == F_WRLCK || req->fl_type == F_WRLCK;
#else
	/* LAB 8: different owners, same family, overlapping bytes, and a
	 * writer among the two. */
	return false;
#endif
}

struct file_lock *lock_find_conflict(struct list_head *locks,
				     const struct file_lock *req)
{
	struct file_lock *fl;

	list_for_each_entry(fl, locks, fl_list)
		if (lock_conflict(fl, req))
			return fl;
	return NULL;
}

/* Is @fl one of @req's owner's locks of the same kind on the same file? */
static bool same_owner(const struct file_lock *fl, const struct file_lock *req)
{
	return fl->fl_owner == req->fl_owner && fl->fl_flags == req->fl_flags &&
	       fl->fl_inode == req->fl_inode;
}

/* Take away from @fl the bytes of @req (they overlap); a split uses
 * *@spare for the right-hand part. */
static void lock_cut(struct file_lock *fl, const struct file_lock *req,
		     struct file_lock **spare, struct list_head *freed)
{
	struct file_lock *right;

	if (fl->fl_start < req->fl_start && fl->fl_end > req->fl_end) {
		right = *spare;
		*spare = NULL;
		*right = *fl;
		right->fl_start = req->fl_end + 1;
		list_add(&right->fl_list, &fl->fl_list);
		fl->fl_end = req->fl_start - 1;
	} else if (fl->fl_start < req->fl_start) {
		fl->fl_end = req->fl_start - 1;
	} else if (fl->fl_end > req->fl_end) {
		fl->fl_start = req->fl_end + 1;
	} else {
		list_move(&fl->fl_list, freed);
	}
}

bool lock_apply(struct list_head *locks, struct file_lock *req,
		struct file_lock **spare, struct list_head *freed)
{
	struct file_lock *fl, *next;
	bool changed = false;

	/* A right-hand part of a split lands just after its lock, where the
	 * walk (which already holds the next node) does not look again;
	 * it cannot overlap @req anyway. */
	list_for_each_entry_safe(fl, next, locks, fl_list) {
		if (!same_owner(fl, req))
			continue;
		if (fl->fl_type == req->fl_type) {
			if (!lock_touch(fl, req))
				continue;
			if (fl->fl_start < req->fl_start)
				req->fl_start = fl->fl_start;
			if (fl->fl_end > req->fl_end)
				req->fl_end = fl->fl_end;
			list_move(&fl->fl_list, freed);
		} else if (lock_overlap(fl, req)) {
			lock_cut(fl, req, spare, freed);
			changed = true;
		}
	}
	if (req->fl_type != F_UNLCK)
		list_add_tail(&req->fl_list, locks);
	return changed;
}
