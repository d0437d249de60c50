/*
 * uapi/asm-generic/signal.h — signal numbers, and the signal information
 * of waitid(2).
 *
 * Lab 9 delivers signals; until then the kernel uses these numbers to say
 * how a process died (wait4's status, the kill line on the console) and
 * to store a signal mask.  x86_64 uses the generic numbering; the kernel's
 * sigset_t is 64 bits (8 bytes: rt_sigprocmask's sigsetsize).  siginfo_t
 * is 128 bytes; waitid(2) fills its SIGCHLD fields.  Sources: Linux
 * include/uapi/asm-generic/signal.h, arch/x86/include/uapi/asm/signal.h,
 * include/uapi/asm-generic/siginfo.h; signal(7), waitid(2).
 */
#ifndef UAPI_ASM_GENERIC_SIGNAL_H
#define UAPI_ASM_GENERIC_SIGNAL_H

#include <kestrel/types.h>

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define _NSIG		64

#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

#define MINSIGSTKSZ	2048	/* bytes (x86 uapi/asm/signal.h) */

typedef u64 sigset_t;		/* bit (sig - 1) for signal sig */

/* The SIGCHLD view of siginfo_t that waitid(2) fills. */
struct siginfo_chld {
	int si_signo;
	int si_errno;
	int si_code;		/* CLD_* (uapi/linux/wait.h) */
	int _pad0;
	int si_pid;
	unsigned int si_uid;
	int si_status;		/* exit code, or the signal */
	int _pad1;
	long si_utime;
	long si_stime;
	char _rest[128 - 48];
};

_Static_assert(sizeof(struct siginfo_chld) == 128, "siginfo_t is 128 bytes");

#endif
