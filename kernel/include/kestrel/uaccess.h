/*
 * kestrel/uaccess.h — reading and writing user memory from the kernel.
 *
 * A system call's pointer arguments are addresses in the calling
 * process's address space, chosen by user code: they may be NULL, point
 * into the kernel half, run past the end of user space, or name memory
 * that is not mapped.  The kernel never dereferences one.  It copies
 * through these helpers, which
 *
 *  1. check that the whole range lies in user space (access_ok: below
 *     TASK_SIZE_MAX, no wrap-around) — a kernel address is refused
 *     before any access;
 *  2. touch the memory with instructions listed in the exception table,
 *     so that a page fault the process's address space cannot serve
 *     (kernel/mm/memory.c) resumes at a fixup instead of oopsing;
 *  3. open the SMAP window (STAC … CLAC) only around those instructions.
 *
 * A bad pointer therefore costs the caller -EFAULT, never the kernel's
 * life.  Return conventions are Linux's: copy_{from,to}_user and
 * clear_user return the number of bytes NOT copied (0 = success; callers
 * turn nonzero into -EFAULT); get_user/put_user and strncpy_from_user
 * return 0 or a length, or -EFAULT.
 *
 * All of them may sleep (serving the fault may take the address space's
 * lock), so never call them holding a spinlock, with preemption off, or
 * holding the mm's mmap_lock (the fault would wait for it forever).
 * Code that must read user memory in atomic context (futexes) brackets
 * the access with pagefault_disable()/pagefault_enable(): a fault then
 * fails at once with -EFAULT and the caller retries outside the lock.
 *
 * `__user` (kestrel/compiler.h) marks a pointer into user space.  It
 * expands to nothing (there is no checker like Linux's sparse), but it tells the reader — and the
 * reviewer — that the pointer may only be passed to these helpers.
 * The arch half (the range limit, the raw routines): asm/uaccess.h.
 */
#ifndef KESTREL_UACCESS_H
#define KESTREL_UACCESS_H

#include <asm/uaccess.h>
#include <kestrel/compiler.h>
#include <kestrel/errno.h>
#include <kestrel/types.h>

/**
 * access_ok - true when [@addr, @addr + @size) lies entirely in user space
 * (below TASK_SIZE_MAX) without wrapping around.  Says nothing about
 * whether the memory is mapped: the access finds that out.  Size 0 is ok.
 */
static inline bool access_ok(const void __user *addr, unsigned long size)
{
	unsigned long a = (unsigned long)addr;

	return size <= TASK_SIZE_MAX && a <= TASK_SIZE_MAX - size;
}

/**
 * copy_from_user - copy @n bytes from user address @from to kernel @to.
 * Returns the number of bytes that could not be copied (0 on success);
 * on a partial copy the uncopied tail of @to is zeroed, so a caller never
 * reads stale kernel memory.  May sleep.
 */
unsigned long copy_from_user(void *to, const void __user *from,
			     unsigned long n);

/**
 * copy_to_user - copy @n bytes from kernel @from to user address @to.
 * Returns the number of bytes that could not be copied (0 on success).
 * May sleep.
 */
unsigned long copy_to_user(void __user *to, const void *from,
			   unsigned long n);

/**
 * clear_user - write @n zero bytes at user address @to.  Returns the
 * number of bytes not cleared.  May sleep.
 */
unsigned long clear_user(void __user *to, unsigned long n);

/**
 * strncpy_from_user - copy the NUL-terminated string at user address
 * @src into @dst (at most @count bytes, with the NUL).  Returns the
 * string's length without the NUL (< @count); @count if no NUL was found
 * within @count bytes (then @dst is not terminated: callers treat it as
 * too long); -EFAULT on a bad address.  May sleep.
 */
long strncpy_from_user(char *dst, const char __user *src, long count);

/**
 * strnlen_user - the length of the user string at @src including its NUL,
 * if that is at most @n; a value > @n if it is longer; 0 on a fault.
 * Linux's convention (used by execve to measure argv strings).
 */
long strnlen_user(const char __user *src, long n);

/* One value of 1, 2, 4 or 8 bytes (kernel/lib/usercopy.c). */
int __get_user_size(u64 *val, const void __user *ptr, size_t size);
int __put_user_size(u64 val, void __user *ptr, size_t size);

/**
 * get_user - read the object *@ptr (1, 2, 4 or 8 bytes, its type's size)
 * from user space into the lvalue @x.  Evaluates to 0 or -EFAULT (@x is
 * then 0).  May sleep.
 * put_user - write @x (converted to *@ptr's type) to user address @ptr.
 * Evaluates to 0 or -EFAULT.  May sleep.
 * They are macros only because C has no other way to take "the size of
 * what @ptr points to" and assign to an lvalue of any integer or pointer
 * type; the work is done by the functions above.
 */
#define get_user(x, ptr)						\
({									\
	u64 __gu_val = 0;						\
	int __gu_err = __get_user_size(&__gu_val, (ptr), sizeof(*(ptr))); \
	(x) = (__typeof__(*(ptr)))__gu_val;				\
	__gu_err;							\
})

#define put_user(x, ptr)						\
({									\
	__typeof__(*(ptr)) __pu_val = (x);				\
	u64 __pu_raw = 0;						\
	__builtin_memcpy(&__pu_raw, &__pu_val, sizeof(__pu_val));	\
	__put_user_size(__pu_raw, (ptr), sizeof(*(ptr)));		\
})

/**
 * pagefault_disable / pagefault_enable - while disabled (nesting
 * counted per task), a fault in a uaccess helper is not served: the
 * helper fails with -EFAULT at once.  For reading user memory under a
 * spinlock (kernel/task/futex.c); the caller then retries without the
 * lock after touching the page with an ordinary get_user().
 */
void pagefault_disable(void);
void pagefault_enable(void);
bool pagefault_disabled(void);

#endif
