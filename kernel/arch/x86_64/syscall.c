/*
 * syscall.c — the x86_64 side of system calls: programming the SYSCALL
 * instruction, the C half of its entry, and arch_prctl(2).
 *
 * A system call's path (docs/syscalls.md walks through it):
 *
 *	user: RAX = number, args in RDI RSI RDX R10 R8 R9; `syscall`
 *	  │  the CPU: RCX = RIP, R11 = RFLAGS, CS/SS from MSR_STAR,
 *	  │  RIP = MSR_LSTAR, RFLAGS &= ~MSR_SYSCALL_MASK
 *	  v
 *	entry_SYSCALL_64 (entry.S): swapgs, kernel stack, struct pt_regs
 *	  v
 *	do_syscall_64 (here): interrupts on, dispatch, result in regs->rax
 *	  v
 *	syscall_dispatch (kernel/core/entry.c): sys_call_table[nr](args…)
 *	  v
 *	exit_to_user_mode (kernel/core/entry.c): reschedule, die if killed
 *	  v
 *	entry.S: sysretq (or iretq) to user mode
 *
 * uaccess_init() lives here too because it is the other half of the
 * arch's contract with user mode: whether STAC/CLAC exist.
 */
#include <asm/entry.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/syscall.h>
#include <asm/uaccess.h>
#include <asm/user_thread.h>
#include <kestrel/entry.h>
#include <kestrel/errno.h>
#include <kestrel/percpu.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/asm/prctl.h>

_Static_assert(__builtin_offsetof(struct percpu, entry_stack_top) ==
		       PERCPU_ENTRY_STACK_TOP, "asm/entry.h: PERCPU_ENTRY_STACK_TOP");
_Static_assert(__builtin_offsetof(struct percpu, user_rsp_scratch) ==
		       PERCPU_USER_RSP, "asm/entry.h: PERCPU_USER_RSP");
_Static_assert(__builtin_offsetof(struct pt_regs, r11) == PTREGS_R11, "PTREGS_R11");
_Static_assert(__builtin_offsetof(struct pt_regs, rcx) == PTREGS_RCX, "PTREGS_RCX");
_Static_assert(__builtin_offsetof(struct pt_regs, vector) == PTREGS_VECTOR, "PTREGS_VECTOR");
_Static_assert(__builtin_offsetof(struct pt_regs, rip) == PTREGS_RIP, "PTREGS_RIP");
_Static_assert(__builtin_offsetof(struct pt_regs, cs) == PTREGS_CS, "PTREGS_CS");
_Static_assert(__builtin_offsetof(struct pt_regs, rflags) == PTREGS_RFLAGS, "PTREGS_RFLAGS");
_Static_assert(__builtin_offsetof(struct pt_regs, rsp) == PTREGS_RSP, "PTREGS_RSP");
_Static_assert(__builtin_offsetof(struct pt_regs, ss) == PTREGS_SS, "PTREGS_SS");

#define X86_CR4_SMAP	(1UL << 21)

u8 uaccess_smap;

void uaccess_init(void)
{
	uaccess_smap = (read_cr4() & X86_CR4_SMAP) ? 1 : 0;
}

/* DOC: syscall-msrs */
void syscall_init(void)
{
#if SOL >= 6
	/*
	 * STAR[47:32]: SYSCALL loads CS from it and SS from it + 8.
	 * STAR[63:48]: 64-bit SYSRET loads CS from it + 16 and SS from it
	 * + 8, both with RPL 3 — which is why the GDT has the user 32-bit
	 * code segment, then user data, then user 64-bit code
	 * (asm/segment.h).
	 */
	wrmsr(MSR_STAR, ((u64)__USER32_CS << 48) | ((u64)__KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (u64)entry_SYSCALL_64);
	wrmsr(MSR_CSTAR, 0);
	/* Enter with interrupts off, no single-stepping, DF clear (the C
	 * ABI's string direction), AC clear (SMAP enforced). */
	wrmsr(MSR_SYSCALL_MASK, X86_RFLAGS_TF | X86_RFLAGS_IF_BIT |
				X86_RFLAGS_DF | X86_RFLAGS_IOPL |
				X86_RFLAGS_NT | X86_RFLAGS_AC | X86_RFLAGS_RF);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
#else
	/*
	 * LAB 6: make `syscall` enter the kernel at entry_SYSCALL_64.
	 * Program MSR_STAR (kernel CS in bits 47:32, the base selector of
	 * SYSRET, __USER32_CS, in bits 63:48 — read asm/segment.h for why),
	 * MSR_LSTAR (the entry point), MSR_SYSCALL_MASK (the RFLAGS bits to
	 * clear on entry: at least IF, TF, DF and AC), and set EFER.SCE.
	 * Intel SDM vol. 3A §5.8.8.  Until then `syscall` raises #UD and
	 * the process is killed.
	 */
#endif
}

void do_syscall_64(struct pt_regs *regs)
{
	unsigned long nr = syscall_get_nr(regs);

	local_irq_enable();
	regs->rax = syscall_dispatch(nr, regs);
	local_irq_disable();
	exit_to_user_mode(regs);
}

long sys_arch_prctl(int code, unsigned long addr)
{
	struct thread_struct *t = &current->thread;

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= TASK_SIZE_MAX)
			return -EPERM;
		arch_set_user_fsbase(addr);
		return 0;
	case ARCH_SET_GS:
		/* While the kernel runs, the user's GS base waits in
		 * KERNEL_GS_BASE until the SWAPGS on the way out. */
		if (addr >= TASK_SIZE_MAX)
			return -EPERM;
		arch_set_user_gsbase(addr);
		return 0;
	case ARCH_GET_FS:
		return put_user(t->fsbase, (unsigned long __user *)addr);
	case ARCH_GET_GS:
		return put_user(t->gsbase, (unsigned long __user *)addr);
	default:
		return -EINVAL;
	}
}
