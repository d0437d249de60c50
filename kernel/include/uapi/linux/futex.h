/*
 * uapi/linux/futex.h — futex(2) operations and the robust-list layout.
 *
 * A futex is a 32-bit word in user memory.  FUTEX_WAIT sleeps if the word
 * still holds an expected value; FUTEX_WAKE wakes up to N sleepers on the
 * word.  The C libraries build mutexes, condition variables and
 * pthread_join on these two.  FUTEX_PRIVATE_FLAG says the word is not
 * shared with another process.  Source: Linux include/uapi/linux/futex.h;
 * futex(2).
 */
#ifndef UAPI_LINUX_FUTEX_H
#define UAPI_LINUX_FUTEX_H

#include <kestrel/types.h>

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_FD		2
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAKE_OP		5
#define FUTEX_LOCK_PI		6
#define FUTEX_UNLOCK_PI		7
#define FUTEX_TRYLOCK_PI	8
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_WAIT_REQUEUE_PI	11
#define FUTEX_CMP_REQUEUE_PI	12
#define FUTEX_LOCK_PI2		13

#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_CMD_MASK		(~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

#define FUTEX_BITSET_MATCH_ANY	0xffffffffu

/* The robust list (set_robust_list(2)): the lock word's top bits. */
#define FUTEX_WAITERS		0x80000000u
#define FUTEX_OWNER_DIED	0x40000000u
#define FUTEX_TID_MASK		0x3fffffffu

struct robust_list {
	struct robust_list *next;
};

struct robust_list_head {
	struct robust_list list;
	long futex_offset;
	struct robust_list *list_op_pending;
};

#endif
