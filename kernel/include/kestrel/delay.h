/*
 * kestrel/delay.h — sleeping for a while.
 *
 * msleep() gives the CPU away for at least the time asked for; other tasks
 * run meanwhile.  Its resolution is the tick (kestrel/jiffies.h: 10 ms at
 * HZ = 100), and it may sleep up to one tick longer than asked, never
 * shorter.  For short waits that must not sleep (device timing), spin with
 * udelay()/mdelay() (kestrel/ktime.h) instead.  Names are Linux's
 * (include/linux/delay.h); kernel/sched/wait.c.
 */
#ifndef KESTREL_DELAY_H
#define KESTREL_DELAY_H

#include <kestrel/types.h>

/** msleep - sleep (uninterruptibly) for at least @msecs ms.  Process
 *  context; in the idle task (start-up, tests) it waits without sleeping. */
void msleep(unsigned int msecs);

/** msleep_interruptible - the same, ended early by a signal (lab 9);
 *  returns the milliseconds left, 0 when the whole time passed. */
unsigned long msleep_interruptible(unsigned int msecs);

/** ssleep - sleep for @seconds s. */
static inline void ssleep(unsigned int seconds)
{
	msleep(seconds * 1000);
}

#endif
