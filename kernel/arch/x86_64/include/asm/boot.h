/*
 * asm/boot.h — constants shared by the boot stub and C.
 */
#ifndef ASM_BOOT_H
#define ASM_BOOT_H

#define KERNEL_VMA	0xffffffff80000000	/* the image's virtual base */
#define PAGE_OFFSET	0xffff888000000000	/* direct map of physical memory */
#define BOOT_STACK_SIZE	16384			/* bytes, the boot CPU's first stack */

/* How start_kernel's first argument says who booted us. */
#define BOOT_PROTO_MULTIBOOT2	1
#define BOOT_PROTO_PVH		2

/* Multiboot2 specification 2.0, §3.1.1 (header) and §3.3 (machine state) */
#define MB2_HEADER_MAGIC	0xe85250d6
#define MB2_BOOTLOADER_MAGIC	0x36d76289

/* Xen public/elfnote.h: XEN_ELFNOTE_PHYS32_ENTRY; public/arch-x86/hvm/start_info.h */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define HVM_START_MAGIC		0x336ec578

#endif
