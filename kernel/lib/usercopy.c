/*
 * usercopy.c — the checked entry points to user memory (kestrel/uaccess.h).
 *
 * Each helper checks the range with access_ok() — a pointer into the
 * kernel half, or a range that runs off the end of user space, is
 * refused before any access — and then lets the arch's raw routine
 * (arch/x86_64/lib/usercopy.S) do the work; a fault the address space
 * cannot serve ends that routine early through its exception-table fixup,
 * and the count of bytes left says how far it got.
 *
 * The order matters twice.  The check comes first because the raw
 * routines would happily copy from a kernel address: the page is
 * present, nothing faults, and a process would read kernel memory — the
 * classic bug of a missing access_ok.  And copy_from_user zeroes what it
 * could not copy, so that a caller that ignores a partial failure still
 * never hands stale kernel stack bytes back to user space.
 *
 * The page-fault side (which faults are served, which are fixed up) is in
 * arch/x86_64/mm/fault.c and kernel/mm/memory.c; pagefault_disable() is
 * here because it belongs to the helpers' contract.
 */
#include <kestrel/percpu.h>
#include <kestrel/sched.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>

unsigned long copy_from_user(void *to, const void __user *from,
			     unsigned long n)
{
#if SOL >= 6
	unsigned long left = n;

	if (access_ok(from, n))
		left = raw_copy_user(to, from, n);
	if (left)
		memset((char *)to + (n - left), 0, left);
	return left;
#else
	/*
	 * LAB 6: refuse a range that is not entirely in user space
	 * (access_ok), otherwise copy with raw_copy_user(), which returns
	 * the bytes it could not copy.  Return that count; zero the part of
	 * @to that was not copied, so a caller never sees stale kernel data.
	 */
	memset(to, 0, n);
	(void)from;
	return n;
#endif
}

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
#if SOL >= 6
	if (!access_ok(to, n))
		return n;
	return raw_copy_user(to, from, n);
#else
	/*
	 * LAB 6: the mirror image of copy_from_user: check @to's range with
	 * access_ok() first — without it, a process could make the kernel
	 * write anywhere — then raw_copy_user().  Return the bytes not copied.
	 */
	(void)to;
	(void)from;
	return n;
#endif
}

unsigned long clear_user(void __user *to, unsigned long n)
{
	if (!access_ok(to, n))
		return n;
	return raw_clear_user(to, n);
}

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	unsigned long max;

	if (count <= 0)
		return 0;
	/* The string may end before the end of user space: copy at most
	 * what lies below it, and call it a fault if that runs out first. */
	if ((unsigned long)src >= TASK_SIZE_MAX)
		return -EFAULT;
	max = TASK_SIZE_MAX - (unsigned long)src;
	if ((unsigned long)count <= max)
		return raw_strncpy_user(dst, src, count);
	count = raw_strncpy_user(dst, src, max);
	return count == (long)max ? -EFAULT : count;
}

long strnlen_user(const char __user *src, long n)
{
	char buf[64];
	long done = 0, got, want;

	while (done < n) {
		want = MIN((long)sizeof(buf), n - done);
		got = strncpy_from_user(buf, src + done, want);
		if (got < 0)
			return 0;
		if (got < want)
			return done + got + 1;
		done += want;
	}
	return n + 1;
}

int __get_user_size(u64 *val, const void __user *ptr, size_t size)
{
	*val = 0;
	if (!access_ok(ptr, size))
		return -EFAULT;
	switch (size) {
	case 1:
		return raw_get_user_1(val, ptr);
	case 2:
		return raw_get_user_2(val, ptr);
	case 4:
		return raw_get_user_4(val, ptr);
	case 8:
		return raw_get_user_8(val, ptr);
	}
	return -EFAULT;
}

int __put_user_size(u64 val, void __user *ptr, size_t size)
{
	if (!access_ok(ptr, size))
		return -EFAULT;
	switch (size) {
	case 1:
		return raw_put_user_1(val, ptr);
	case 2:
		return raw_put_user_2(val, ptr);
	case 4:
		return raw_put_user_4(val, ptr);
	case 8:
		return raw_put_user_8(val, ptr);
	}
	return -EFAULT;
}

/* DOC: pagefault-disable */
void pagefault_disable(void)
{
	current->pagefault_disabled++;
	barrier();
}

void pagefault_enable(void)
{
	barrier();
	current->pagefault_disabled--;
}

bool pagefault_disabled(void)
{
	return current->pagefault_disabled != 0;
}
