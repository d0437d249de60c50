/*
 * head.S — from the boot loader's 32-bit protected mode to start_kernel.
 *
 * Two doors lead in, one per boot protocol, and both end in the same path:
 *
 *   _start_mb2  GRUB, Multiboot2 spec §3.3: EAX = 0x36d76289, EBX = physical
 *               address of the boot information; flat 32-bit segments,
 *               paging off, interrupts off, no stack.
 *   _start_pvh  QEMU -kernel, Xen PVH boot ABI (docs/misc/pvh.pandoc in
 *               Xen): EBX = physical address of struct hvm_start_info;
 *               same machine state.  Found through the ELF note below.
 *
 * The common path checks for long mode, loads the boot page tables (built
 * at assembly time below), enables PAE, EFER.LME/NXE and paging (Intel SDM
 * vol. 3 §9.8.5 "Initializing IA-32e Mode"), far-jumps into 64-bit code,
 * then jumps to the kernel's link address in the top 2 GiB and calls
 *
 *	start_kernel(protocol, boot_info_physical_address)
 *
 * with RBP = 0 so the backtrace walker knows where the stack ends.
 *
 * Boot page tables (4 KiB each, 2 MiB pages):
 *   PML4[0]   -> boot_pdpt: identity map of 0–4 GiB (the stub runs there)
 *   PML4[273] -> boot_pdpt: the same 4 GiB at PAGE_OFFSET (direct map)
 *   PML4[511] -> boot_pdpt_high: PDPT[510] maps 1 GiB at KERNEL_VMA
 * Lab 3 replaces them with the kernel's real page tables.
 */
#include <asm/boot.h>
#include <asm/segment.h>

#define PHYS(sym)	((sym) - KERNEL_VMA)
#define PTE_P		0x1
#define PTE_W		0x2
#define PTE_PS		0x80
#define CR0_PE		(1 << 0)
#define CR0_WP		(1 << 16)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)
#define EFER_NXE	(1 << 11)
#define COM1		0x3f8

/* ---- Multiboot2 header (spec §3.1): magic, arch 0 (i386), length, checksum, tags */
	.section .boot.header, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long 0
	.long mb2_header_end - mb2_header
	.long 0x100000000 - (MB2_HEADER_MAGIC + 0 + (mb2_header_end - mb2_header))
	/* entry address tag (type 3): where GRUB jumps, a physical address */
	.balign 8
	.short 3, 0
	.long 12
	.long _start_mb2
	/* end tag */
	.balign 8
	.short 0, 0
	.long 8
mb2_header_end:

/* ---- Xen ELF note: the PVH entry point, a 32-bit physical address */
	.section .note.Xen, "a", @note
	.balign 4
	.long 4				/* name size: "Xen\0" */
	.long 4				/* descriptor size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.long _start_pvh

/* ---- 32-bit stub */
	.section .boot.text, "ax"
	.code32
	.globl _start_mb2
_start_mb2:
	cli
	cmpl	$MB2_BOOTLOADER_MAGIC, %eax
	jne	no_boot_info
	movl	$BOOT_PROTO_MULTIBOOT2, %edi
	jmp	common32

	.globl _start_pvh
_start_pvh:
	cli
	movl	$BOOT_PROTO_PVH, %edi
	/* fall through */

common32:
	cld
	movl	%ebx, %esi			/* boot information, physical */
	movl	$PHYS(boot_stack_top), %esp

	/* Long mode present?  CPUID 0x80000001 EDX bit 29 (SDM vol. 2A, CPUID) */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_long_mode
	movl	$0x80000001, %eax
	cpuid
	btl	$29, %edx
	jnc	no_long_mode

	movl	$PHYS(boot_pml4), %eax
	movl	%eax, %cr3
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP | CR0_PE), %eax
	movl	%eax, %cr0

	lgdt	boot_gdt_ptr
	ljmp	$__KERNEL_CS, $long_mode_low

no_boot_info:
	movl	$msg_no_boot_info, %esi
	jmp	die32
no_long_mode:
	movl	$msg_no_long_mode, %esi
die32:	/* print the string at ESI on COM1 and stop */
	movw	$COM1, %dx
1:	lodsb
	testb	%al, %al
	jz	2f
	outb	%al, %dx
	jmp	1b
2:	hlt
	jmp	2b

	.code64
long_mode_low:
	movl	$__KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movabsq	$long_mode_high, %rax
	jmp	*%rax

/* ---- boot GDT: only the two descriptors the stub needs, at Linux's indexes */
	.section .boot.data, "a"
	.balign 16
boot_gdt:
	.quad 0
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x10: 64-bit code, DPL 0 */
	.quad 0x00cf92000000ffff	/* 0x18: data, DPL 0 */
boot_gdt_end:
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.long boot_gdt
msg_no_boot_info:
	.asciz "Kestrel: not started by a Multiboot2 loader (bad magic in EAX)\r\n"
msg_no_long_mode:
	.asciz "Kestrel: this CPU has no 64-bit long mode; use qemu-system-x86_64\r\n"

/* ---- 64-bit, at the link address */
	.section .text.entry, "ax"
	.code64
long_mode_high:
	movabsq	$boot_stack_top, %rsp
	xorl	%ebp, %ebp
	/*
	 * EDI = protocol, ESI = boot information: start_kernel's arguments.
	 * They were set in 32-bit mode, and the upper halves of the 64-bit
	 * registers are undefined after the switch (SDM vol. 1 §3.4.1.1):
	 * a 32-bit move zero-extends them.
	 */
	movl	%edi, %edi
	movl	%esi, %esi
	call	start_kernel
3:	cli
	hlt
	jmp	3b

/* ---- boot page tables, filled in by the assembler */
	.section .data.page_aligned, "aw"
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.quad PHYS(boot_pdpt) + (PTE_P | PTE_W)
	.fill 272, 8, 0
	.quad PHYS(boot_pdpt) + (PTE_P | PTE_W)		/* 273: PAGE_OFFSET */
	.fill 237, 8, 0
	.quad PHYS(boot_pdpt_high) + (PTE_P | PTE_W)	/* 511: KERNEL_VMA */
boot_pdpt:
	.quad PHYS(boot_pd) + 0x0000 + (PTE_P | PTE_W)
	.quad PHYS(boot_pd) + 0x1000 + (PTE_P | PTE_W)
	.quad PHYS(boot_pd) + 0x2000 + (PTE_P | PTE_W)
	.quad PHYS(boot_pd) + 0x3000 + (PTE_P | PTE_W)
	.fill 508, 8, 0
boot_pdpt_high:
	.fill 510, 8, 0
	.quad PHYS(boot_pd) + (PTE_P | PTE_W)		/* 510: first GiB */
	.quad 0
boot_pd:	/* 2048 entries of 2 MiB: 0–4 GiB */
	.set addr, 0
	.rept 2048
	.quad addr + (PTE_P | PTE_W | PTE_PS)
	.set addr, addr + 0x200000
	.endr

	.section .bss.page_aligned, "aw", @nobits
	.balign 4096
	.globl boot_stack
boot_stack:
	.skip BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
