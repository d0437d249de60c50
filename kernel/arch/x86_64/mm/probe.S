/*
 * probe.S — touching memory that may fault, without oopsing.
 *
 * Each probe does one access that may fault and lists it in the exception
 * table (asm/extable.h); the fixup returns -EFAULT.  Tests use them to
 * show that a mapping forbids a write or an instruction fetch, or that an
 * address is not mapped at all.  Lab 6's copy_from_user() and friends are
 * the same idea over a whole buffer.
 *
 *	int probe_read_u8(const void *addr, u8 *val)   RDI = addr, RSI = val
 *	int probe_write_u8(void *addr, u8 val)         RDI = addr, SIL = val
 *	int probe_exec(const void *addr)               RDI = addr
 *
 * Return in EAX: 0, or -EFAULT (System V AMD64 ABI §3.2.3).  Each builds
 * a frame-pointer frame, so an unfixed fault (before lab 3's page-fault
 * triage exists) still oopses with a readable call trace.
 *
 * probe_exec calls @addr: a `ret` there (0xc3) comes straight back when
 * the page may be executed.  When it may not, the fetch at @addr faults
 * with the return address already pushed; the ASM_EXTABLE_CALL entry,
 * keyed by that return address, makes the fault handler pop it and resume
 * at the fixup (extable.c explains the rule).
 */
#include <asm/extable.h>
#include <uapi/asm-generic/errno-base.h>

	.text
	.code64

	.globl probe_read_u8
	.type probe_read_u8, @function
probe_read_u8:
	pushq	%rbp
	movq	%rsp, %rbp
1:	movzbl	(%rdi), %eax		/* may fault */
	movb	%al, (%rsi)
	xorl	%eax, %eax
2:	popq	%rbp
	ret
3:	movl	$-EFAULT, %eax
	jmp	2b
	ASM_EXTABLE(1b, 3b)
	.size probe_read_u8, . - probe_read_u8

	.globl probe_write_u8
	.type probe_write_u8, @function
probe_write_u8:
	pushq	%rbp
	movq	%rsp, %rbp
1:	movb	%sil, (%rdi)		/* may fault */
	xorl	%eax, %eax
2:	popq	%rbp
	ret
3:	movl	$-EFAULT, %eax
	jmp	2b
	ASM_EXTABLE(1b, 3b)
	.size probe_write_u8, . - probe_write_u8

	.globl probe_exec
	.type probe_exec, @function
probe_exec:
	pushq	%rbp
	movq	%rsp, %rbp
	call	*%rdi			/* the fetch at RDI may fault */
1:	xorl	%eax, %eax		/* the return site: the table's key */
2:	popq	%rbp
	ret
3:	movl	$-EFAULT, %eax
	jmp	2b
	ASM_EXTABLE_CALL(1b, 3b)
	.size probe_exec, . - probe_exec

	.section .note.GNU-stack, "", @progbits
