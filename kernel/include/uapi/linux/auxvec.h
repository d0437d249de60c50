/*
 * uapi/linux/auxvec.h — the auxiliary vector's keys.
 *
 * The kernel puts (key, value) pairs of 64-bit words on the initial stack,
 * after envp's NULL, ending with (AT_NULL, 0): facts about the program and
 * the machine that the C library's start-up code reads (getauxval(3)).
 * Values: the System V ABI AMD64 supplement §3.4.3 (table 3.7, "Auxiliary
 * Vector Types") for the common ones, and Linux's include/uapi/linux/
 * auxvec.h and arch/x86/include/uapi/asm/auxvec.h for the Linux-specific
 * ones (AT_SECURE, AT_RANDOM, AT_HWCAP2, AT_EXECFN, AT_MINSIGSTKSZ, …).
 */
#ifndef UAPI_LINUX_AUXVEC_H
#define UAPI_LINUX_AUXVEC_H

#define AT_NULL		0	/* end of the vector */
#define AT_IGNORE	1
#define AT_EXECFD	2
#define AT_PHDR		3	/* address of the program headers in memory */
#define AT_PHENT	4	/* bytes per program header */
#define AT_PHNUM	5	/* number of program headers */
#define AT_PAGESZ	6	/* page size, bytes */
#define AT_BASE		7	/* load address of the interpreter (0: none) */
#define AT_FLAGS	8
#define AT_ENTRY	9	/* the program's entry point */
#define AT_NOTELF	10
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_PLATFORM	15	/* address of a string: "x86_64" */
#define AT_HWCAP	16	/* CPUID.1:EDX on x86 */
#define AT_CLKTCK	17	/* times(2) ticks per second */
#define AT_SECURE	23	/* 1 for a set-uid/set-gid start */
#define AT_BASE_PLATFORM 24
#define AT_RANDOM	25	/* address of 16 random bytes */
#define AT_HWCAP2	26	/* x86: bit 1 = FSGSBASE usable in user mode */
#define AT_EXECFN	31	/* address of the file name execve was given */
#define AT_SYSINFO_EHDR	33	/* the vDSO (Kestrel has none) */
#define AT_MINSIGSTKSZ	51	/* the smallest signal stack, bytes */

#endif
