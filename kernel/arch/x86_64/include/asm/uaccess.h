/*
 * asm/uaccess.h — the x86_64 half of touching user memory.
 *
 * Generic code calls copy_from_user() and friends (kestrel/uaccess.h);
 * they check the range and then call the raw routines below, written in
 * assembly (arch/x86_64/lib/usercopy.S) so that every instruction that
 * touches a user address is listed in the exception table: when it
 * faults and the page-fault handler cannot make the page present, the
 * fault handler resumes at the routine's fixup (asm/extable.h), which
 * returns how much was not done.  Nothing here checks the range: the
 * callers must.
 *
 * SMAP.  With CR4.SMAP on, a kernel access to a user page faults unless
 * RFLAGS.AC is set (Intel SDM vol. 3A §4.6.1, "Determination of Access
 * Rights").  STAC sets AC and CLAC clears it (SDM vol. 2B, "STAC", vol.
 * 2A "CLAC"); both #UD on a CPU without SMAP.  So each routine sets AC
 * around its user accesses only, and only when uaccess_smap says the CPU
 * enforces SMAP (set by uaccess_init() from CR4).  Every kernel entry
 * clears AC (entry.S), so a stray AC from user space or from an
 * interrupted helper never leaks into other kernel code.
 */
#ifndef ASM_UACCESS_H
#define ASM_UACCESS_H

#include <asm/pgtable.h>

/*
 * The highest user address + 1 a pointer may reach: Linux's TASK_SIZE_MAX,
 * one page below the end of the canonical lower half.  The page below the
 * hole stays unmapped so that no access can run from user space into a
 * non-canonical address (SYSRET's #GP, docs/syscalls.md).
 */
#define TASK_SIZE_MAX	(USER_SPACE_END - PAGE_SIZE)

#ifndef __ASSEMBLY__
#include <kestrel/types.h>

/* Nonzero when SMAP is on and the helpers must STAC/CLAC (usercopy.S). */
extern u8 uaccess_smap;

/**
 * uaccess_init - read CR4.SMAP once (after paging_init) so the helpers
 * know whether to use STAC and CLAC.  Call before the first user access.
 */
void uaccess_init(void);

/*
 * The raw routines (usercopy.S).  Each returns the number of bytes NOT
 * done (0 on success): the fixup of a fault returns what was left.
 * @n in bytes.  They may sleep (a fault on a user page is served by the
 * page-fault handler, which may allocate and take the address space's lock).
 */
unsigned long raw_copy_user(void *to, const void *from, unsigned long n);
unsigned long raw_clear_user(void *to, unsigned long n);

/*
 * raw_strncpy_user - copy the string at @src into @dst, at most @count
 * bytes, stopping after the NUL.  Returns the length of the string
 * (without its NUL) if it ended within @count bytes, @count if not (dst
 * then holds @count bytes and no NUL), or -EFAULT.
 */
long raw_strncpy_user(char *dst, const char *src, long count);

/*
 * raw_get_user_N / raw_put_user_N - one access of N bytes (1, 2, 4, 8):
 * 0, or -EFAULT.  get stores the value into *@val (zero-extended).
 */
int raw_get_user_1(u64 *val, const void *uaddr);
int raw_get_user_2(u64 *val, const void *uaddr);
int raw_get_user_4(u64 *val, const void *uaddr);
int raw_get_user_8(u64 *val, const void *uaddr);
int raw_put_user_1(u64 val, void *uaddr);
int raw_put_user_2(u64 val, void *uaddr);
int raw_put_user_4(u64 val, void *uaddr);
int raw_put_user_8(u64 val, void *uaddr);

/*
 * raw_cmpxchg_user_4 - atomically: if the u32 at @uaddr equals @old,
 * store @new.  *@cur gets the value found.  0, or -EFAULT.  For futexes.
 */
int raw_cmpxchg_user_4(u32 *cur, void *uaddr, u32 old, u32 new);
#endif

#endif
