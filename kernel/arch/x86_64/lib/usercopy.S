/*
 * usercopy.S — the instructions that touch user memory.
 *
 * Every load or store at an address user space chose is here, listed in
 * the exception table (ASM_EXTABLE, asm/extable.h).  When one faults on an
 * address the process has not mapped (or may not access that way), the
 * page-fault handler first asks the process's address space to make the
 * page present (demand paging, copy-on-write: kernel/mm/memory.c); if it
 * cannot, the handler resumes at the fixup named in the table, which
 * returns what was left undone.  The generic wrappers (kernel/lib/
 * usercopy.c) check the range first and turn the result into -EFAULT.
 *
 * SMAP: around the user accesses, STAC sets RFLAGS.AC so that supervisor
 * accesses to user pages are allowed, and CLAC clears it again, on every
 * path out including the fixups (Intel SDM vol. 3A §4.6.1; vol. 2 "STAC",
 * "CLAC").  Both #UD without SMAP, so they run only when uaccess_smap is
 * nonzero (set by uaccess_init()).  RFLAGS.DF is clear in the kernel
 * (entry.S, and SFMASK for system calls), so rep moves go upwards.
 *
 * Register use (System V AMD64 ABI §3.2.3): arguments in RDI, RSI, RDX,
 * RCX; result in RAX; RDI, RSI, RCX, RDX, R8–R11 may be clobbered.
 * `rep movsb` keeps RCX exact when it faults: RCX is the count of bytes
 * still to move (SDM vol. 2B "REP": the instruction is restartable, its
 * registers updated per iteration), which is what the fixups return.
 */
#include <asm/extable.h>
#include <uapi/asm-generic/errno-base.h>

/* STAC / CLAC when SMAP is enforced; clobbers nothing but flags. */
.macro USER_BEGIN
	testb	$1, uaccess_smap(%rip)
	jz	.Lnostac\@
	stac
.Lnostac\@:
.endm

.macro USER_END
	testb	$1, uaccess_smap(%rip)
	jz	.Lnoclac\@
	clac
.Lnoclac\@:
.endm

	.text
	.code64

/* unsigned long raw_copy_user(void *to, const void *from, unsigned long n) */
	.globl	raw_copy_user
	.type	raw_copy_user, @function
raw_copy_user:
	USER_BEGIN
	movq	%rdx, %rcx
1:	rep movsb			/* may fault: RCX = bytes left */
2:	USER_END
	movq	%rcx, %rax
	ret
	ASM_EXTABLE(1b, 2b)
	.size	raw_copy_user, . - raw_copy_user

/* unsigned long raw_clear_user(void *to, unsigned long n) */
	.globl	raw_clear_user
	.type	raw_clear_user, @function
raw_clear_user:
	USER_BEGIN
	movq	%rsi, %rcx
	xorl	%eax, %eax
1:	rep stosb			/* may fault: RCX = bytes left */
2:	USER_END
	movq	%rcx, %rax
	ret
	ASM_EXTABLE(1b, 2b)
	.size	raw_clear_user, . - raw_clear_user

/*
 * long raw_strncpy_user(char *dst, const char *src, long count)
 *	RDI dst, RSI src, RDX count; RAX counts the bytes copied.
 */
	.globl	raw_strncpy_user
	.type	raw_strncpy_user, @function
raw_strncpy_user:
	USER_BEGIN
	xorl	%eax, %eax
3:	cmpq	%rdx, %rax
	jae	5f			/* count bytes and no NUL: return count */
1:	movb	(%rsi,%rax), %cl	/* may fault */
	movb	%cl, (%rdi,%rax)
	testb	%cl, %cl
	jz	5f			/* the NUL: return the length */
	incq	%rax
	jmp	3b
5:	USER_END
	ret
2:	USER_END
	movq	$-EFAULT, %rax
	ret
	ASM_EXTABLE(1b, 2b)
	.size	raw_strncpy_user, . - raw_strncpy_user

/* int raw_get_user_N(u64 *val, const void *uaddr): RDI val, RSI uaddr */
.macro GET_USER size, insn, reg
	.globl	raw_get_user_\size
	.type	raw_get_user_\size, @function
raw_get_user_\size:
	USER_BEGIN
1:	\insn	(%rsi), \reg		/* may fault */
	USER_END
	movq	%rax, (%rdi)
	xorl	%eax, %eax
	ret
2:	USER_END
	movl	$-EFAULT, %eax
	ret
	ASM_EXTABLE(1b, 2b)
	.size	raw_get_user_\size, . - raw_get_user_\size
.endm

	GET_USER 1, movzbq, %rax
	GET_USER 2, movzwq, %rax
	GET_USER 4, movl, %eax		/* a 32-bit move zero-extends */
	GET_USER 8, movq, %rax

/* int raw_put_user_N(u64 val, void *uaddr): RDI val, RSI uaddr */
.macro PUT_USER size, insn, reg
	.globl	raw_put_user_\size
	.type	raw_put_user_\size, @function
raw_put_user_\size:
	USER_BEGIN
1:	\insn	\reg, (%rsi)		/* may fault */
	USER_END
	xorl	%eax, %eax
	ret
2:	USER_END
	movl	$-EFAULT, %eax
	ret
	ASM_EXTABLE(1b, 2b)
	.size	raw_put_user_\size, . - raw_put_user_\size
.endm

	PUT_USER 1, movb, %dil
	PUT_USER 2, movw, %di
	PUT_USER 4, movl, %edi
	PUT_USER 8, movq, %rdi

/*
 * int raw_cmpxchg_user_4(u32 *cur, void *uaddr, u32 old, u32 new)
 *	RDI cur, RSI uaddr, EDX old, ECX new.  LOCK CMPXCHG compares EAX
 *	with the memory operand and stores ECX if equal; EAX gets the value
 *	found either way (SDM vol. 2A "CMPXCHG").
 */
	.globl	raw_cmpxchg_user_4
	.type	raw_cmpxchg_user_4, @function
raw_cmpxchg_user_4:
	USER_BEGIN
	movl	%edx, %eax
1:	lock cmpxchgl %ecx, (%rsi)	/* may fault */
	USER_END
	movl	%eax, (%rdi)
	xorl	%eax, %eax
	ret
2:	USER_END
	movl	$-EFAULT, %eax
	ret
	ASM_EXTABLE(1b, 2b)
	.size	raw_cmpxchg_user_4, . - raw_cmpxchg_user_4

	.section .note.GNU-stack, "", @progbits
