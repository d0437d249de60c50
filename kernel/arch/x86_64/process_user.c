/*
 * process_user.c — the x86_64 side of tasks that run user code (labs 6
 * and 7): their registers, their first frame, their address space and
 * TLS registers across context switches, and what happens when user code
 * raises an exception.
 *
 * A user task's kernel stack always ends with its user registers: every
 * entry from user mode — system call, interrupt, exception — saves a
 * struct pt_regs at the very top of the stack (the CPU switches to
 * TSS.RSP0 = the top, the syscall entry loads percpu.entry_stack_top), so
 * task_pt_regs() finds them without searching:
 *
 *	task_stack_top(p)  ─────────────────────────────
 *	                    struct pt_regs   <- task_pt_regs(p): the user state
 *	                    kernel frames of the system call, …
 *	task->stack         (guard page below)
 *
 * fork copies the parent's pt_regs into the child's (RAX = 0: fork
 * returns 0 in the child) and builds below it the frame switch_to() pops
 * (asm/switch_to.h), returning into ret_from_fork, which leaves for user
 * mode through ret_to_user.  execve rewrites the current pt_regs
 * (start_thread): the return from the system call then lands on the new
 * program's entry point with a fresh stack.
 *
 * The FS base register is the thread pointer of the System V TLS ABI
 * (AMD64 supplement §3.4.5 "Thread-Local Storage": %fs:0 holds the thread
 * control block's address), set by arch_prctl(ARCH_SET_FS) or
 * clone(CLONE_SETTLS).  It is per thread, so every switch loads the next
 * task's; so is the user GS base, which lives in IA32_KERNEL_GS_BASE
 * while the kernel runs (entry.S's SWAPGS).
 */
#include <asm/entry.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/switch_to.h>
#include <asm/traps.h>
#include <asm/user_thread.h>
#include <kestrel/fpu.h>
#include <kestrel/mman.h>
#include <kestrel/percpu.h>
#include <kestrel/printk.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/string.h>
#include <uapi/asm-generic/signal.h>
#include <uapi/linux/sched.h>

/* RFLAGS a user task starts with: interrupts on, bit 1 (always set). */
#define USER_RFLAGS	(X86_RFLAGS_IF_BIT | X86_RFLAGS_FIXED)

void ret_from_fork(void);

struct pt_regs *task_pt_regs(struct task *p)
{
	return (struct pt_regs *)task_stack_top(p) - 1;
}

void arch_switch_user(struct task *next)
{
	struct percpu *cpu = this_cpu();
	struct thread_struct *t = &next->thread;

	if (cpu->loaded_mm != next->mm)
		switch_mm(next->mm);
	if (!next->mm)
		return;		/* kernel threads leave the user state alone */
	fpu_switch_to(next);
	if (cpu->user_fsbase != t->fsbase) {
		wrmsr(MSR_FS_BASE, t->fsbase);
		cpu->user_fsbase = t->fsbase;
	}
	if (cpu->user_gsbase != t->gsbase) {
		wrmsr(MSR_KERNEL_GS_BASE, t->gsbase);
		cpu->user_gsbase = t->gsbase;
	}
}

void arch_set_user_fsbase(unsigned long base)
{
	current->thread.fsbase = base;
	this_cpu()->user_fsbase = base;
	wrmsr(MSR_FS_BASE, base);
}

void arch_set_user_gsbase(unsigned long base)
{
	current->thread.gsbase = base;
	this_cpu()->user_gsbase = base;
	wrmsr(MSR_KERNEL_GS_BASE, base);
}

void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->rip = ip;
	regs->rsp = sp;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->rflags = USER_RFLAGS;
	regs->vector = VECTOR_SYSCALL;	/* the frame of the execve call */
	arch_set_user_fsbase(0);
	arch_set_user_gsbase(0);
}

int copy_thread(struct task *p, const struct kernel_clone_args *args)
{
	struct pt_regs *child = task_pt_regs(p);
	struct inactive_task_frame *frame = (struct inactive_task_frame *)child - 1;

	*child = *task_pt_regs(current);
	child->rax = 0;			/* fork() returns 0 in the child */
	if (args->stack)
		child->rsp = args->stack;
	p->thread.fsbase = (args->flags & CLONE_SETTLS) ? args->tls :
							   current->thread.fsbase;
	p->thread.gsbase = current->thread.gsbase;
	if (fpu_copy(p))
		return -ENOMEM;
	memset(frame, 0, sizeof(*frame));
	frame->ret_addr = (unsigned long)ret_from_fork;
	p->thread.sp = (unsigned long)frame;
	return 0;
}

/*
 * What an exception from user mode means: its signal, si_code and a few
 * words — Linux's choices (arch/x86/kernel/traps.c): #DE is FPE_INTDIV,
 * #UD ILL_ILLOPN, #BP TRAP_BRKPT with the address after INT3, #GP
 * SIGSEGV with SI_KERNEL and no address, #AC BUS_ADRALN.
 */
static int trap_signal(const struct pt_regs *regs, const char **what, int *code,
		       unsigned long *addr)
{
	*addr = 0;
	switch (regs->vector) {
	case X86_TRAP_DE:
		*what = "divide error";
		*code = FPE_INTDIV;
		*addr = regs->rip;
		return SIGFPE;
	case X86_TRAP_DB:
	case X86_TRAP_BP:
		*what = "breakpoint or debug trap";
		*code = regs->vector == X86_TRAP_BP ? SI_KERNEL : TRAP_TRACE;
		return SIGTRAP;
	case X86_TRAP_UD:
		*what = "invalid opcode";
		*code = ILL_ILLOPN;
		*addr = regs->rip;
		return SIGILL;
	case X86_TRAP_MF:
	case X86_TRAP_XF:
		*what = "floating-point exception";
		*code = FPE_FLTINV;
		*addr = regs->rip;
		return SIGFPE;
	case X86_TRAP_AC:
		*what = "alignment check";
		*code = BUS_ADRALN;
		return SIGBUS;
	default:
		*what = "general protection fault";
		*code = SI_KERNEL;
		return SIGSEGV;
	}
}

void do_user_trap(struct pt_regs *regs)
{
	unsigned long addr;
	const char *what;
	int code;
	int sig = trap_signal(regs, &what, &code, &addr);

	local_irq_enable();
	user_fault_kill(regs, sig, code, addr, what);
}
