/*
 * kestrel/oom.h — what the kernel does when memory runs out (kernel/mm/oom.c).
 *
 * Kestrel's page allocator never waits and has nothing to reclaim, so
 * "out of memory" is immediate: an allocation returns NULL.  System calls
 * turn that into ENOMEM (or EAGAIN for fork).  A page fault cannot — the
 * instruction must either run or the process must die — so a user fault
 * that finds no free page calls out_of_memory(), which picks the process
 * using the most memory and kills it, saying so:
 *
 *	Out of memory: Killed process 42 (hog) total-vm:524288kB, anon-rss:401408kB
 *
 * The faulting process then waits a little for the victim's memory to be
 * freed and tries again; if it was the victim itself, it dies on its way
 * back to user mode.  init (pid 1) is chosen only when nothing else is
 * left.  Linux's OOM killer weighs more (oom_score_adj, cgroups), but its
 * first rule is this one: the biggest resident set goes first.
 */
#ifndef KESTREL_OOM_H
#define KESTREL_OOM_H

#include <kestrel/types.h>

/**
 * out_of_memory - kill the process with the largest resident set (pid 1
 * last) and report it.  Returns true when a victim was chosen or one is
 * already dying (memory will come back); false when there is no user
 * process to kill.  Process context; takes tasklist_lock.
 */
bool out_of_memory(void);

#endif
