/*
 * uapi/linux/wait.h — options of wait4(2) and waitid(2), and the status
 * word wait4 stores.
 *
 * The status word (wait(2), "WIFEXITED" and friends, as glibc and musl
 * decode it):
 *
 *	exited with code c        (c & 0xff) << 8
 *	killed by signal s        s & 0x7f, plus 0x80 if a core was dumped
 *	stopped by signal s       (s << 8) | 0x7f
 *	continued                 0xffff
 *
 * Sources: Linux include/uapi/linux/wait.h; wait(2), waitid(2).
 */
#ifndef UAPI_LINUX_WAIT_H
#define UAPI_LINUX_WAIT_H

#define WNOHANG		0x00000001
#define WUNTRACED	0x00000002
#define WSTOPPED	WUNTRACED
#define WEXITED		0x00000004
#define WCONTINUED	0x00000008
#define WNOWAIT		0x01000000	/* leave the child waitable */
#define __WNOTHREAD	0x20000000
#define __WALL		0x40000000
#define __WCLONE	0x80000000

/* waitid(2)'s idtype */
#define P_ALL		0
#define P_PID		1
#define P_PGID		2
#define P_PIDFD		3

/* si_code of a SIGCHLD siginfo (asm-generic/siginfo.h) */
#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_TRAPPED	4
#define CLD_STOPPED	5
#define CLD_CONTINUED	6

#endif
