/*
 * uapi/asm-generic/signal.h — signal numbers, sigaction and sigaltstack
 * structures, and siginfo_t (lab 9; waitid(2) uses its SIGCHLD view since
 * lab 7).
 *
 * x86_64 uses the generic numbering: 1–31 the classic signals, 32–64 the
 * real-time ones (the C libraries keep 32–34 for themselves, so their
 * SIGRTMIN is 35 for musl, 34 for glibc).  The kernel's sigset_t is 64
 * bits (8 bytes: the sigsetsize of every rt_sig* call), bit (sig - 1) for
 * signal sig.  siginfo_t is 128 bytes; which union member is valid depends
 * on si_code.  Sources: Linux include/uapi/asm-generic/signal.h,
 * signal-defs.h, siginfo.h, arch/x86/include/uapi/asm/signal.h;
 * signal(7), sigaction(2), sigaltstack(2), waitid(2).
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
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPWR		30
#define SIGSYS		31
#define SIGRTMIN	32	/* the kernel's; the C libraries reserve a few */
#define SIGRTMAX	64
#define _NSIG		64

/* sigaction.sa_flags (signal-defs.h, x86's SA_RESTORER) */
#define SA_NOCLDSTOP	0x00000001	/* no SIGCHLD when a child stops */
#define SA_NOCLDWAIT	0x00000002	/* children do not become zombies */
#define SA_SIGINFO	0x00000004	/* handler(sig, siginfo *, ucontext *) */
#define SA_RESTORER	0x04000000	/* sa_restorer is the return trampoline */
#define SA_ONSTACK	0x08000000	/* run on the sigaltstack */
#define SA_RESTART	0x10000000	/* restart interrupted system calls */
#define SA_NODEFER	0x40000000	/* do not block the signal in its handler */
#define SA_RESETHAND	0x80000000	/* back to SIG_DFL once delivered */

#define SIG_DFL		0UL		/* sa_handler: the default action */
#define SIG_IGN		1UL		/* sa_handler: ignore */

/* sigaltstack ss_flags */
#define SS_ONSTACK	1
#define SS_DISABLE	2
#define SS_AUTODISARM	(1U << 31)

/* si_code: who sent it (siginfo.h) */
#define SI_USER		0	/* kill(2) */
#define SI_KERNEL	0x80
#define SI_QUEUE	(-1)	/* sigqueue(3) */
#define SI_TIMER	(-2)	/* POSIX timers */
#define SI_TKILL	(-6)	/* tkill(2), tgkill(2) */
/* … or, for a fault, what happened */
#define ILL_ILLOPN	2
#define FPE_INTDIV	1
#define FPE_FLTINV	7
#define SEGV_MAPERR	1	/* no mapping at the address */
#define SEGV_ACCERR	2	/* a mapping that forbids the access */
#define BUS_ADRALN	1
#define BUS_ADRERR	2	/* a mapped page past the end of its file */
#define TRAP_BRKPT	1
#define TRAP_TRACE	2
/* CLD_* for SIGCHLD are in uapi/linux/wait.h */

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

/*
 * siginfo_t, the views Kestrel fills (siginfo.h; offsets on x86_64):
 *
 *	 0 si_signo  4 si_errno  8 si_code  12 (pad)
 *	16 kill/rt/timer: pid (or timer id) | uid (or overrun) | 24 sigval
 *	16 fault: si_addr (8 bytes)
 *	16 chld:  pid | uid | 24 status | 32 utime | 40 stime
 */
struct siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	int _pad;
	union {
		struct {
			int pid;	/* sender's tgid (or timer id) */
			unsigned int uid;	/* sender's real uid (or overrun) */
			u64 value;	/* sigval: rt_sigqueueinfo, timers */
		} kill;
		struct {
			u64 addr;	/* the faulting address */
		} fault;
		struct {
			int pid;
			unsigned int uid;
			int status;	/* exit code, or the signal */
			int _pad;
			long utime, stime;	/* clock ticks */
		} chld;
		u8 _bytes[128 - 16];
	};
};

_Static_assert(sizeof(struct siginfo) == 128, "siginfo_t is 128 bytes");

/* What rt_sigaction(2) reads and writes: the kernel's struct sigaction on
 * x86_64 (not the C library's, which has a longer mask). */
struct k_sigaction_user {
	unsigned long sa_handler;	/* SIG_DFL, SIG_IGN or a user address */
	unsigned long sa_flags;		/* SA_* */
	unsigned long sa_restorer;	/* user address: calls rt_sigreturn */
	sigset_t sa_mask;		/* blocked while the handler runs */
};

/* stack_t of sigaltstack(2) (24 bytes: ss_sp, ss_flags, ss_size) */
struct sigaltstack_user {
	unsigned long ss_sp;
	int ss_flags;
	int _pad;
	unsigned long ss_size;		/* bytes */
};

#endif
