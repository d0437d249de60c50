/*
 * kestrel/restart_block.h — how a sleeping system call that a signal cut
 * short goes on where it stopped (Linux's restart_block).
 *
 * A relative sleep cannot simply be restarted with its arguments: the
 * time already slept would be slept again.  So nanosleep and a futex
 * wait with a timeout, when a signal interrupts them, record in
 * current->restart_block a function and the *absolute* deadline, and
 * return -ERESTART_RESTARTBLOCK.  If no handler runs (the process was
 * stopped and continued, say), the signal code restarts the call as
 * restart_syscall(2) (x86_64 number 219), which calls the recorded
 * function: the sleep goes on until the same deadline.  If a handler
 * runs, the call fails with EINTR instead — whatever SA_RESTART says,
 * as signal(7) lists for nanosleep, clock_nanosleep and timed futex
 * waits — and nanosleep has written the time left to *rem.
 */
#ifndef KESTREL_RESTART_BLOCK_H
#define KESTREL_RESTART_BLOCK_H

#include <kestrel/types.h>

struct __kernel_timespec;

/**
 * struct restart_block - what restart_syscall(2) will do
 * @fn: the function to call, or NULL (then restart_syscall is EINTR)
 * @nanosleep: clock, absolute deadline (ns on that clock) and the user's
 *             rem pointer of an interrupted nanosleep / clock_nanosleep
 * @futex: an interrupted FUTEX_WAIT with a timeout: the word, the value
 *         expected, the bitset, whether private, and the deadline in
 *         jiffies
 * Only the task itself touches its restart_block.
 */
struct restart_block {
	long (*fn)(struct restart_block *rb);
	union {
		struct {
			int clockid;
			s64 deadline;
			struct __kernel_timespec __user *rmtp;
		} nanosleep;
		struct {
			u32 __user *uaddr;
			u32 val;
			u32 bitset;
			bool private;
			u64 expires;
		} futex;
	};
};

/** set_restart_fn - record @fn in @rb; returns -ERESTART_RESTARTBLOCK,
 *  for the caller to return. */
long set_restart_fn(struct restart_block *rb,
		    long (*fn)(struct restart_block *rb));

#endif
