/*
 * asm/syscall.h — the x86_64 system call convention, and the generated
 * table's types.
 *
 * User space puts the system call number in RAX and up to six arguments
 * in RDI, RSI, RDX, R10, R8, R9, and executes `syscall`; the result comes
 * back in RAX: a value, or -errno (-4095 … -1), which the C library turns
 * into -1 and errno.  RCX and R11 are clobbered (SYSCALL saves RIP and
 * RFLAGS there); every other register is preserved.  R10 replaces RCX as
 * the fourth argument for that reason.  Source: System V ABI AMD64
 * supplement, appendix A.2.1 "Calling Conventions" (the Linux kernel
 * conventions); syscall(2).
 *
 * The table (generated from syscall.tbl by scripts/syscalltbl) calls
 * every entry through one type, six unsigned longs in, a long out.  The
 * entry functions themselves are defined with their own parameter types
 * (int fd, const char __user *buf, …).  On this ABI that is sound: each
 * integer or pointer argument travels in its own 64-bit register, a
 * callee reads only the low bits its parameter type has, and registers a
 * function does not declare are simply not read (System V AMD64 §3.2.3).
 */
#ifndef ASM_SYSCALL_H
#define ASM_SYSCALL_H

#include <asm/entry.h>
#include <asm/ptrace.h>

typedef long syscall_func_t(unsigned long, unsigned long, unsigned long,
			    unsigned long, unsigned long, unsigned long);
typedef syscall_func_t *syscall_fn_t;

/* The generated table (build/…/gen/syscall_table.c). */
extern const syscall_fn_t sys_call_table[];
extern const char *const sys_call_names[];
extern const unsigned int nr_syscalls;

/** syscall_get_nr - the number user space asked for (RAX at entry). */
static inline unsigned long syscall_get_nr(const struct pt_regs *regs)
{
	return regs->error_code;
}

/** in_syscall - @regs is a system call's frame (not an interrupt's). */
static inline bool in_syscall(const struct pt_regs *regs)
{
	return regs->vector == VECTOR_SYSCALL;
}

/** syscall_args - the six arguments, in order. */
static inline void syscall_get_args(const struct pt_regs *regs,
				    unsigned long args[6])
{
	args[0] = regs->rdi;
	args[1] = regs->rsi;
	args[2] = regs->rdx;
	args[3] = regs->r10;
	args[4] = regs->r8;
	args[5] = regs->r9;
}

/**
 * syscall_init - make this CPU's `syscall` instruction enter the kernel at
 * entry_SYSCALL_64 (the STAR, LSTAR and SFMASK MSRs, EFER.SCE).  Once per
 * CPU, before the first user process.  (arch/x86_64/syscall.c)
 */
void syscall_init(void);

/** do_syscall_64 - the C half of the syscall entry (entry.S calls it). */
void do_syscall_64(struct pt_regs *regs);

/** entry_SYSCALL_64 - where `syscall` lands (entry.S); not callable. */
void entry_SYSCALL_64(void);

#endif
