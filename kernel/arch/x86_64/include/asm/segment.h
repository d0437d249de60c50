/*
 * asm/segment.h — the GDT selectors.
 *
 * The layout is Linux's (arch/x86 "GDT layout" in its segment.h is the ABI
 * user space sees in sigcontext's cs/ss), so that the values a signal frame
 * or ptrace reports match Linux:
 *
 *	index 1  0x08  kernel 32-bit code (unused)
 *	index 2  0x10  kernel code, 64-bit
 *	index 3  0x18  kernel data
 *	index 4  0x23  user 32-bit code (unused; keeps sysret's layout)
 *	index 5  0x2b  user data
 *	index 6  0x33  user code, 64-bit
 *	index 8  0x40  TSS (a 16-byte descriptor: indexes 8 and 9)
 *
 * syscall/sysret (Intel SDM vol. 3 §5.8.8) need KERNEL_DS = KERNEL_CS + 8
 * and USER_DS = USER32_CS + 8, USER_CS = USER32_CS + 16.
 */
#ifndef ASM_SEGMENT_H
#define ASM_SEGMENT_H

#define GDT_ENTRY_KERNEL_CS	2
#define GDT_ENTRY_KERNEL_DS	3
#define GDT_ENTRY_USER32_CS	4
#define GDT_ENTRY_USER_DS	5
#define GDT_ENTRY_USER_CS	6
#define GDT_ENTRY_TSS		8
#define GDT_ENTRIES		10

#define __KERNEL_CS	(GDT_ENTRY_KERNEL_CS * 8)
#define __KERNEL_DS	(GDT_ENTRY_KERNEL_DS * 8)
#define __USER32_CS	(GDT_ENTRY_USER32_CS * 8 + 3)
#define __USER_DS	(GDT_ENTRY_USER_DS * 8 + 3)
#define __USER_CS	(GDT_ENTRY_USER_CS * 8 + 3)
#define __TSS_SEL	(GDT_ENTRY_TSS * 8)

#endif
