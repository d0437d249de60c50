/*
 * signal.c — x86_64 signal frames: running a handler, rt_sigreturn, and
 * restarting interrupted system calls (lab 9; docs/signals.md §4).
 *
 * To run a handler, the kernel builds on the user stack what a call to
 * it would have left there, plus everything needed to come back:
 *
 *	old rsp ─> ……  the interrupted code's stack
 *	           128 bytes skipped: the red zone (SysV AMD64 ABI §3.2.2)
 *	           struct fpstate: the FXSAVE image, 64-byte aligned
 *	           struct siginfo      (frame + 312)
 *	           struct ucontext     (frame + 8): flags, altstack, the
 *	                               registers (sigcontext), the old mask
 *	rsp ─────> pretcode: sa_restorer, the "return address"
 *
 * That is Linux's struct rt_sigframe (arch/x86/include/asm/sigframe.h),
 * with the layouts of uapi/asm/sigcontext.h; rsp + 8 is 16-byte aligned,
 * as at a function's entry.  The handler starts with RDI = the signal,
 * RSI = &info, RDX = &uc, RAX = 0; on its `ret` the C library's restorer
 * (musl's __restore_rt, glibc's __restore_rt: `mov $15, %eax; syscall`)
 * calls rt_sigreturn, which reads the ucontext back from rsp - 8.  Handlers
 * with SA_ONSTACK run on the sigaltstack unless already on it.
 *
 * rt_sigreturn trusts nothing in the frame (the program may have written
 * anything there, on purpose): CS and SS become the user selectors
 * whatever was saved, only the arithmetic and direction flags (and TF, AC,
 * RF) come from the frame — never IF, IOPL, NT or VM — a non-canonical RIP
 * is refused, MXCSR's reserved bits are cleared; a frame it cannot read is
 * SIGSEGV.  And the restored frame must not be taken for a system call,
 * or the restart logic below would rewind it.
 *
 * Restart (signal(7), "Interruption of system calls"): a sleeping call
 * that a signal cut short returns -ERESTARTSYS (restart if the handler
 * has SA_RESTART, else EINTR), -ERESTARTNOINTR (always restart),
 * -ERESTARTNOHAND (restart only if no handler ran), or
 * -ERESTART_RESTARTBLOCK (like -ERESTARTNOHAND, but the call restarted is
 * restart_syscall(2), which goes on from current->restart_block:
 * kestrel/restart_block.h).  Restarting means RAX = the call's number
 * again and RIP back over the 2-byte `syscall`.
 */
#include <asm/entry.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <asm/uaccess.h>
#include <asm/user_thread.h>
#include <kestrel/errno.h>
#include <kestrel/fpu.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/asm/sigcontext.h>

#define NO_SYSCALL	(~0UL)	/* regs->vector of a frame not to restart */
#define NR_restart_syscall 219	/* syscall.tbl: restart_syscall(2) */
#define REDZONE		128	/* bytes below rsp a leaf function may use */

/* The RFLAGS bits a frame may set: Linux's FIX_EFLAGS. */
#define FIX_RFLAGS	(X86_RFLAGS_AC | 0x800 /* OF */ | X86_RFLAGS_DF | \
			 X86_RFLAGS_TF | 0x80 /* SF */ | 0x40 /* ZF */ | \
			 0x10 /* AF */ | 0x4 /* PF */ | 0x1 /* CF */ | X86_RFLAGS_RF)

struct rt_sigframe {
	u64 pretcode;
	struct ucontext uc;
	struct siginfo info;
};

_Static_assert(__builtin_offsetof(struct rt_sigframe, info) == 312, "rt_sigframe");

static bool canonical(unsigned long addr)
{
	return (unsigned long)((long)(addr << 16) >> 16) == addr;
}

/* The registers of @regs as a sigcontext (fpstate set by the caller). */
static void save_sigcontext(struct sigcontext *sc, const struct pt_regs *regs)
{
	memset(sc, 0, sizeof(*sc));
	sc->r8 = regs->r8;   sc->r9 = regs->r9;   sc->r10 = regs->r10;
	sc->r11 = regs->r11; sc->r12 = regs->r12; sc->r13 = regs->r13;
	sc->r14 = regs->r14; sc->r15 = regs->r15;
	sc->rdi = regs->rdi; sc->rsi = regs->rsi; sc->rbp = regs->rbp;
	sc->rbx = regs->rbx; sc->rdx = regs->rdx; sc->rax = regs->rax;
	sc->rcx = regs->rcx; sc->rsp = regs->rsp; sc->rip = regs->rip;
	sc->eflags = regs->rflags;
	sc->cs = regs->cs;
	sc->ss = regs->ss;
	if (regs->vector < 32) {	/* a fault: what the CPU said */
		sc->trapno = regs->vector;
		sc->err = regs->error_code;
	}
}

/**
 * setup_rt_frame - build @ks's frame on the user stack and point @regs at
 * the handler.  @oldmask: the mask the handler's return restores.
 * Returns 0, or -EFAULT when the stack cannot take the frame.
 */
static int setup_rt_frame(struct ksignal *ks, struct pt_regs *regs, sigset_t oldmask)
{
#if SOL >= 9
	struct task *me = current;
	unsigned long sp = regs->rsp - REDZONE, fp;
	struct rt_sigframe f;
	u8 fx[512];

	if ((ks->ka.flags & SA_ONSTACK) && me->sas_ss_size && !on_sig_stack(sp))
		sp = me->sas_ss_sp + me->sas_ss_size;
	fp = (sp - sizeof(fx)) & ~63UL;
	sp = ((fp - sizeof(f)) & ~15UL) - 8;
	if (!(ks->ka.flags & SA_RESTORER))
		return -EFAULT;	/* x86_64 has no kernel trampoline: Linux fails too */
	memset(&f, 0, sizeof(f));
	f.pretcode = ks->ka.restorer;
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	f.uc.uc_stack.ss_sp = me->sas_ss_sp;
	f.uc.uc_stack.ss_size = me->sas_ss_size;
	f.uc.uc_stack.ss_flags = me->sas_ss_flags |
		(on_sig_stack(regs->rsp) ? SS_ONSTACK : me->sas_ss_size ? 0 : SS_DISABLE);
	save_sigcontext(&f.uc.uc_mcontext, regs);
	f.uc.uc_mcontext.fpstate = fp;
	f.uc.uc_mcontext.cr2 = ks->info.fault.addr;
	f.uc.uc_sigmask = oldmask;
	f.info = ks->info;
	fpu_sig_save(fx);
	if (copy_to_user((void __user *)fp, fx, sizeof(fx)) ||
	    copy_to_user((void __user *)sp, &f, sizeof(f)))
		return -EFAULT;
	if (me->sas_ss_flags & SS_AUTODISARM) {
		me->sas_ss_sp = 0;
		me->sas_ss_size = 0;
	}
	regs->rsp = sp;
	regs->rip = ks->ka.handler;
	regs->rdi = ks->sig;
	regs->rsi = sp + __builtin_offsetof(struct rt_sigframe, info);
	regs->rdx = sp + __builtin_offsetof(struct rt_sigframe, uc);
	regs->rax = 0;
	regs->rflags &= ~(X86_RFLAGS_DF | X86_RFLAGS_TF | X86_RFLAGS_RF | X86_RFLAGS_AC);
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	return 0;
#else
	/*
	 * LAB 9: build struct rt_sigframe (above) on the user stack: start
	 * 128 bytes (the red zone) below regs->rsp — or at the top of the
	 * sigaltstack for SA_ONSTACK when not already on it — put the
	 * 512-byte FXSAVE image (fpu_sig_save) 64-byte aligned, then the
	 * frame so that its address + 8 is 16-byte aligned.  Fill pretcode
	 * (sa_restorer; without SA_RESTORER fail with -EFAULT), uc (flags
	 * UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS, uc_stack, uc_mcontext
	 * from @regs with fpstate and cr2, uc_sigmask = @oldmask) and info;
	 * copy_to_user both.  Then point @regs at the handler: RIP, RSP, RDI
	 * = signal, RSI = &frame->info, RDX = &frame->uc, RAX = 0, DF/TF
	 * clear, user CS and SS.  Read uapi/asm/sigcontext.h.
	 */
	(void)ks;
	(void)regs;
	(void)oldmask;
	(void)save_sigcontext;
	return -EFAULT;
#endif
}

/**
 * restore_sigcontext - load @regs from the frame's @sc, as far as it is
 * safe: user selectors, only FIX_RFLAGS from the frame, canonical RIP.
 * Returns 0, or -EFAULT for a frame that cannot be restored.
 */
static int restore_sigcontext(struct pt_regs *regs, const struct sigcontext *sc)
{
#if SOL >= 9
	u8 fx[512];

	if (!canonical(sc->rip))
		return -EFAULT;
	regs->r8 = sc->r8;   regs->r9 = sc->r9;   regs->r10 = sc->r10;
	regs->r11 = sc->r11; regs->r12 = sc->r12; regs->r13 = sc->r13;
	regs->r14 = sc->r14; regs->r15 = sc->r15;
	regs->rdi = sc->rdi; regs->rsi = sc->rsi; regs->rbp = sc->rbp;
	regs->rbx = sc->rbx; regs->rdx = sc->rdx; regs->rax = sc->rax;
	regs->rcx = sc->rcx; regs->rsp = sc->rsp; regs->rip = sc->rip;
	regs->rflags = (regs->rflags & ~FIX_RFLAGS) | (sc->eflags & FIX_RFLAGS);
	regs->rflags |= X86_RFLAGS_IF_BIT | X86_RFLAGS_FIXED;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->vector = NO_SYSCALL;	/* never "restart" the restored code */
	if (!sc->fpstate) {
		fpu_reset_current();
		return 0;
	}
	if (copy_from_user(fx, (const void __user *)sc->fpstate, sizeof(fx)))
		return -EFAULT;
	return fpu_sig_restore(fx) ? -EFAULT : 0;
#else
	/*
	 * LAB 9: copy the general registers, RSP and RIP from @sc into
	 * @regs; refuse (-EFAULT) a non-canonical RIP; take only FIX_RFLAGS
	 * bits of sc->eflags (keep IF and bit 1 set); force CS = __USER_CS,
	 * SS = __USER_DS whatever the frame says; set regs->vector =
	 * NO_SYSCALL; then the FPU: copy_from_user the 512 bytes at
	 * sc->fpstate and fpu_sig_restore() them (no fpstate:
	 * fpu_reset_current()).
	 */
	(void)regs;
	(void)sc;
	(void)canonical;
	return -EFAULT;
#endif
}

long sys_rt_sigreturn(void)
{
	struct pt_regs *regs = task_pt_regs(current);
	unsigned long frame = regs->rsp - 8;	/* the handler's ret popped pretcode */
	struct sigaltstack_user ss;
	struct ucontext uc;

	if (copy_from_user(&uc, (const void __user *)(frame + 8), sizeof(uc)) ||
	    restore_sigcontext(regs, &uc.uc_mcontext)) {
		force_sig_fault(SIGSEGV, SI_KERNEL, 0);
		return 0;
	}
	set_current_blocked(uc.uc_sigmask);
	current->restart_block.fn = NULL;	/* the handler ended any restart */
	ss = uc.uc_stack;
	do_sigaltstack(&ss, NULL, regs->rsp);	/* Linux ignores its errors too */
	return regs->rax;	/* do_syscall_64 stores it back */
}

/*
 * What a system call cut short by a signal returns: restart it, or EINTR.
 * @handler: whether a handler runs (with @ka), or no handler does.
 */
static void syscall_restart(struct pt_regs *regs, bool handler,
			    const struct k_sigaction *ka)
{
#if SOL >= 9
	long ret = (long)regs->rax;

	if (regs->vector != VECTOR_SYSCALL)
		return;
	switch (ret) {
	case -ERESTARTNOHAND:
	case -ERESTART_RESTARTBLOCK:
		if (handler)
			goto eintr;
		break;
	case -ERESTARTSYS:
		if (handler && !(ka->flags & SA_RESTART))
			goto eintr;
		break;
	case -ERESTARTNOINTR:
		break;
	default:
		return;
	}
	/* The same call again, or for a restart block restart_syscall(2). */
	regs->rax = ret == -ERESTART_RESTARTBLOCK ? NR_restart_syscall :
						   regs->error_code;
	regs->rip -= 2;			/* back over `syscall` (0f 05) */
	regs->vector = NO_SYSCALL;
	return;
eintr:
	regs->rax = -EINTR;
	regs->vector = NO_SYSCALL;
#else
	/*
	 * LAB 9: only for a system call's frame (regs->vector ==
	 * VECTOR_SYSCALL) whose result regs->rax is a restart code: with a
	 * handler, -ERESTARTNOHAND and -ERESTART_RESTARTBLOCK become -EINTR,
	 * and -ERESTARTSYS too unless ka->flags has SA_RESTART; everything
	 * else restarts: RAX = the number (regs->error_code) — for
	 * -ERESTART_RESTARTBLOCK, NR_restart_syscall — and RIP -= 2.
	 * Either way set regs->vector = NO_SYSCALL so it happens once.
	 */
	long ret = (long)regs->rax;

	(void)handler;
	(void)ka;
	if (regs->vector == VECTOR_SYSCALL &&
	    (ret == -ERESTARTSYS || ret == -ERESTARTNOINTR ||
	     ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK))
		regs->rax = -EINTR;	/* the kernel's codes never reach user space */
#endif
}

void arch_do_signal_or_restart(struct pt_regs *regs)
{
	struct task *me = current;
	struct ksignal ks;
	sigset_t oldmask;

	if (get_signal(&ks)) {
		syscall_restart(regs, true, &ks.ka);
		oldmask = me->restore_sigmask ? me->saved_sigmask : me->blocked;
		if (setup_rt_frame(&ks, regs, oldmask)) {
			force_sig_fault(SIGSEGV, SI_KERNEL, 0);
			return;
		}
		me->restore_sigmask = false;
		signal_delivered(&ks);
		return;
	}
	syscall_restart(regs, false, NULL);
	if (me->restore_sigmask) {
		me->restore_sigmask = false;
		set_current_blocked(me->saved_sigmask);
	}
}
