/*
 * entry.S — the door into the kernel for exceptions and interrupts.
 *
 * There is one 16-byte stub per IDT vector (256 of them, generated below):
 * it pushes a 0 where the CPU pushes no error code (so every frame has the
 * same shape), pushes its vector number, and jumps to trap_common.  Vectors
 * with a CPU error code: 8, 10–14, 17, 21, 29, 30 (SDM vol. 3 §6.15).
 *
 * trap_common saves the general registers in struct pt_regs order
 * (asm/ptrace.h), calls do_trap(regs) with RSP 16-byte aligned as the C ABI
 * wants (the CPU aligned it before pushing its frame, and 22 × 8 bytes keep
 * it aligned), restores the registers and returns with iretq.
 *
 * On entry:  RSP -> [vector] [error] rip cs rflags rsp ss
 * Calls:     do_trap(RDI = struct pt_regs *)
 */
#include <asm/ptrace.h>

#define STUB_SIZE	16

	.section .text.entry, "ax"
	.code64
	.balign STUB_SIZE
	.globl trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	.balign STUB_SIZE
	.if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushq	$0
	.endif
	pushq	$vec
	jmp	trap_common
	.set vec, vec + 1
	.endr

trap_common:
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	movq	%rsp, %rdi
	call	do_trap
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	addq	$16, %rsp		/* vector and error code */
	iretq

	.section .note.GNU-stack, "", @progbits
