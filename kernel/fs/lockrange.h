/*
 * kernel/fs/lockrange.h — the pure logic of file locks (lockrange.c):
 * what a lock is, when two overlap or conflict, how fcntl(2)'s
 * (l_whence, l_start, l_len) becomes a byte range, and how an owner's
 * new lock or unlock splits and merges the ranges it already holds.
 * No locks, no allocation, no user memory: the caller (locks.c) holds
 * its mutex and hands in the nodes it may need; the host tests compile
 * lockrange.c and check these rules (kernel/tests/host/lockrange_test.c).
 *
 * The three kinds (fcntl(2), flock(2)):
 *	FL_POSIX  fcntl F_SETLK: owned by a process (its descriptor table),
 *	          byte ranges; gone at any close of the file by that process
 *	FL_OFD    fcntl F_OFD_SETLK: owned by an open file description,
 *	          byte ranges; conflict with POSIX locks as another owner's
 *	FL_FLOCK  flock(2): owned by an open file description, the whole
 *	          file; independent of the two above
 */
#ifndef KESTREL_FS_LOCKRANGE_H
#define KESTREL_FS_LOCKRANGE_H

#include <kestrel/list.h>
#include <kestrel/types.h>

#define FL_POSIX	0x1
#define FL_FLOCK	0x2
#define FL_OFD		0x4

/* The last byte of a lock "to the end of the file" (l_len 0). */
#define LOCK_OFFSET_MAX	0x7fffffffffffffffLL

struct inode;

/**
 * struct file_lock - one lock held (on the list of locks.c's mutex)
 * @fl_list: its place on the list of every lock held
 * @fl_inode: the file it locks (an open file keeps the inode alive, and
 *            every lock goes before the file's last close)
 * @fl_owner: who holds it: the descriptor table (FL_POSIX) or the
 *            struct file (FL_OFD, FL_FLOCK); only compared
 * @fl_flags: its kind, FL_POSIX, FL_OFD or FL_FLOCK
 * @fl_type: F_RDLCK (shared) or F_WRLCK (exclusive); F_UNLCK only in a
 *           request
 * @fl_start, @fl_end: the first and last byte locked (inclusive);
 *                     fl_end LOCK_OFFSET_MAX is "to the end of the file"
 * @fl_pid: the locking process (tgid) as F_GETLK and /proc/locks show
 *          it; -1 for an open file description's lock
 */
struct file_lock {
	struct list_head fl_list;
	const struct inode *fl_inode;
	const void *fl_owner;
	unsigned int fl_flags;
	int fl_type;
	long long fl_start, fl_end;
	int fl_pid;
};

/**
 * lock_range_from_user - the byte range [*@start, *@end] that fcntl(2)'s
 * @l_start and @l_len describe, counted from @base (0, the file offset or
 * the file size, for SEEK_SET/CUR/END).  @l_len 0 runs to the end of the
 * file (*@end LOCK_OFFSET_MAX); a negative @l_len covers the -@l_len bytes
 * before @base + @l_start.  Returns 0; -EINVAL when the range would begin
 * before byte 0; -EOVERFLOW when an end does not fit in an off_t (both
 * fcntl(2)).
 */
int lock_range_from_user(long long base, long long l_start, long long l_len,
			 long long *start, long long *end);

/** lock_overlap - do @a and @b lock a byte in common of the same file? */
bool lock_overlap(const struct file_lock *a, const struct file_lock *b);

/**
 * lock_conflict - would @held stop @req from being granted?  Only when
 * both are of the same family (flock, or POSIX/OFD), on the same bytes
 * of the same file, held by different owners, and at least one is a
 * write lock (F_WRLCK): readers share (fcntl(2), flock(2)).
 */
bool lock_conflict(const struct file_lock *held, const struct file_lock *req);

/**
 * lock_find_conflict - the first lock on @locks that conflicts with
 * @req (lock_conflict), or NULL.
 */
struct file_lock *lock_find_conflict(struct list_head *locks,
				     const struct file_lock *req);

/**
 * lock_apply - put @req (a lock, or F_UNLCK) into effect among its
 * owner's locks on @locks, assuming no other owner's lock conflicts.
 * The owner's locks of @req's kind that @req covers are replaced: cut
 * short, split in two around it, or removed (to @freed, for the caller
 * to free); those of the same type that touch or overlap @req merge
 * into it, so an owner never holds two adjacent or overlapping ranges.
 * A lock is then linked as @req itself (F_UNLCK: @req is never linked).
 * A split takes *@spare (which the caller allocated) and sets *@spare to
 * NULL; at most one split can happen.  Returns true if any byte the
 * owner held was given up or changed type (waiters may have a chance).
 */
bool lock_apply(struct list_head *locks, struct file_lock *req,
		struct file_lock **spare, struct list_head *freed);

#endif
