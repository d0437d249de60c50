/*
 * kestrel/signal_types.h — the structures of signals that other headers
 * embed (struct task has a pending set; struct signal_struct the
 * process's).  The interface is kestrel/signal.h.
 */
#ifndef KESTREL_SIGNAL_TYPES_H
#define KESTREL_SIGNAL_TYPES_H

#include <kestrel/list.h>
#include <kestrel/types.h>

/**
 * struct sigpending - signals sent and not yet delivered, under the
 * owner's sighand->siglock
 * @list: struct sigqueue entries (their siginfo), in the order sent
 * @signal: bit (sig - 1) set while at least one sig is pending
 *
 * A classic signal (1–31) is pending at most once: a second one sent
 * while the first waits is merged with it.  A real-time signal (32–64)
 * queues one entry per send, delivered in order (signal(7), "Real-time
 * signals").
 */
struct sigpending {
	struct list_head list;
	u64 signal;
};

#endif
