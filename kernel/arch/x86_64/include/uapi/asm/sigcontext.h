/*
 * uapi/asm/sigcontext.h — the x86_64 signal frame's register and FPU
 * parts, and ucontext (lab 9).  These are ABI facts: a handler, glibc's
 * and musl's setjmp/getcontext code and every debugger read them at these
 * offsets.  Sources: Linux arch/x86/include/uapi/asm/sigcontext.h
 * (struct sigcontext_64, struct _fpstate_64), uapi/asm/ucontext.h
 * (UC_* flags), include/uapi/asm-generic/ucontext.h (struct ucontext);
 * the FXSAVE image: Intel SDM vol. 1 §10.5.1, table 10-2.
 *
 *	struct ucontext (304 bytes)
 *	  0 uc_flags        8 uc_link       16 uc_stack (24 bytes)
 *	 40 uc_mcontext: struct sigcontext (256 bytes)
 *	      0 r8 … 56 r15  64 rdi rsi rbp rbx rdx rax rcx rsp rip eflags
 *	    144 cs gs fs ss (16 bits each)  152 err trapno oldmask cr2
 *	    184 fpstate (user pointer to the 512-byte FXSAVE image, or 0)
 *	    192 reserved1[8]
 *	296 uc_sigmask (64 bits)
 */
#ifndef UAPI_ASM_SIGCONTEXT_H
#define UAPI_ASM_SIGCONTEXT_H

#include <kestrel/types.h>
#include <uapi/asm-generic/signal.h>

/* uc_flags (uapi/asm/ucontext.h) */
#define UC_FP_XSTATE		0x1	/* fpstate is an XSAVE image (not with FXSAVE) */
#define UC_SIGCONTEXT_SS	0x2	/* sigcontext.ss is valid */
#define UC_STRICT_RESTORE_SS	0x4	/* sigreturn restores ss as saved */

struct sigcontext {
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip;
	u64 eflags;
	u16 cs, gs, fs, ss;
	u64 err;		/* the exception's error code */
	u64 trapno;		/* the exception's vector */
	u64 oldmask;		/* unused on x86_64 (uc_sigmask is the mask) */
	u64 cr2;		/* a page fault's address */
	u64 fpstate;		/* struct fpstate __user *, or 0 */
	u64 reserved1[8];
};

/* The FXSAVE image (SDM vol. 1 table 10-2), Linux's struct _fpstate_64. */
struct fpstate {
	u16 cwd, swd, twd, fop;
	u64 rip, rdp;
	u32 mxcsr, mxcsr_mask;
	u32 st_space[32];	/* 8 x87 registers, 16 bytes each */
	u32 xmm_space[64];	/* 16 XMM registers, 16 bytes each */
	u32 reserved2[12];
	u32 sw_reserved[12];	/* bytes 464–511: XSAVE's software area */
};

struct ucontext {
	unsigned long uc_flags;
	unsigned long uc_link;		/* struct ucontext __user *; unused */
	struct sigaltstack_user uc_stack;
	struct sigcontext uc_mcontext;
	sigset_t uc_sigmask;
};

_Static_assert(sizeof(struct sigcontext) == 256, "sigcontext_64 is 256 bytes");
_Static_assert(sizeof(struct fpstate) == 512, "the FXSAVE image is 512 bytes");
_Static_assert(__builtin_offsetof(struct ucontext, uc_mcontext) == 40, "uc_mcontext");
_Static_assert(__builtin_offsetof(struct ucontext, uc_sigmask) == 296, "uc_sigmask");
_Static_assert(__builtin_offsetof(struct sigcontext, fpstate) == 184, "fpstate");

#endif
