/*
 * kestrel/futex.h — fast user-space locking: the kernel half
 * (kernel/task/futex.c).
 *
 * User space keeps a lock or a condition in a 32-bit word and handles
 * the uncontended case alone, with atomic instructions.  Only to sleep
 * ("the word still says locked: wait") and to wake sleepers does it call
 * futex(2).  The kernel keeps no state per word, only queues of sleeping
 * tasks hashed by a key that names the word: (mm, address) for memory
 * private to one process, (shared object, offset) for MAP_SHARED memory,
 * so that two processes mapping the same page at different addresses
 * meet in one queue.
 */
#ifndef KESTREL_FUTEX_H
#define KESTREL_FUTEX_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

struct task;

/**
 * futex_wake_address - wake up to @nr tasks waiting on the word at
 * @uaddr of the current process (shared key: either kind of waiter).
 * For CLONE_CHILD_CLEARTID at exit.  Returns how many were woken.
 */
int futex_wake_address(u32 __user *uaddr, int nr);

/**
 * exit_robust_list - at exit, mark each robust futex the task @me still
 * holds (set_robust_list(2)) FUTEX_OWNER_DIED and wake one waiter of
 * each, so that a mutex held by a dead thread is not held for ever.
 */
void exit_robust_list(struct task *me);

#endif
