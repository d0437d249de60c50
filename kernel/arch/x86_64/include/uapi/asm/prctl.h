/*
 * uapi/asm/prctl.h — arch_prctl(2)'s codes on x86_64: set or read the FS
 * and GS base registers, which the C library points at the thread's TLS
 * block (System V ABI AMD64 supplement §3.4.5 "Thread-local storage":
 * %fs:0 holds the thread pointer).  Source: Linux
 * arch/x86/include/uapi/asm/prctl.h; arch_prctl(2).
 */
#ifndef UAPI_ASM_PRCTL_H
#define UAPI_ASM_PRCTL_H

#define ARCH_SET_GS	0x1001
#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003
#define ARCH_GET_GS	0x1004
#define ARCH_GET_CPUID	0x1011
#define ARCH_SET_CPUID	0x1012

#endif
