/*
 * usercopy_ktest.c — the uaccess helpers refuse and survive bad
 * addresses, from inside the kernel (lab 6; lab 3's fixups underneath).
 *
 * Run in start-up context, where no process exists: the user half of the
 * page tables is empty, so every user address is unmapped and every
 * access must fault and end at its exception-table fixup; a kernel
 * address must be refused by the range check without any access.  The
 * user tests (user/tests/efault.c) check the same from a real process.
 */
#include <asm/uaccess.h>
#include <kestrel/ktest.h>
#include <kestrel/pgtable.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>

#define UNMAPPED_USER	((void __user *)0x10000UL)

static u64 kernel_word = 0x1122334455667788ULL;

KTEST(uaccess_range_check)
{
	u8 buf[16];

	KTEST_REQUIRE(ctx, kernel_page_tables_active(),
		      "the kernel page tables and exception fixups (lab 3)");
	uaccess_init();
	memset(buf, 0x55, sizeof(buf));
	/* A kernel address is mapped: only the range check stops these. */
	KT_EXPECT(ctx, copy_from_user(buf, (const void __user *)&kernel_word,
				      sizeof(buf)) == sizeof(buf));
	KT_EXPECT(ctx, buf[0] == 0 && buf[15] == 0);	/* zero-filled */
	KT_EXPECT(ctx, copy_to_user((void __user *)&kernel_word, buf, 8) == 8);
	KT_EXPECT(ctx, kernel_word == 0x1122334455667788ULL);
	KT_EXPECT(ctx, !access_ok((void __user *)&kernel_word, 1));
	KT_EXPECT(ctx, !access_ok((void __user *)(TASK_SIZE_MAX - 4), 8));
	KT_EXPECT(ctx, !access_ok((void __user *)8, ~0UL));
	KT_EXPECT(ctx, access_ok((void __user *)(TASK_SIZE_MAX - 8), 8));
	KT_EXPECT(ctx, access_ok(NULL, 0));
}

KTEST(uaccess_fixups)
{
	u8 buf[16];
	u32 v = 7;

	KTEST_REQUIRE(ctx, kernel_page_tables_active(),
		      "the kernel page tables and exception fixups (lab 3)");
	uaccess_init();
	/* In range but unmapped: each helper faults and its fixup reports. */
	KT_EXPECT(ctx, raw_copy_user(buf, UNMAPPED_USER, sizeof(buf)) == sizeof(buf));
	KT_EXPECT(ctx, clear_user(UNMAPPED_USER, 100) == 100);
	KT_EXPECT(ctx, strncpy_from_user((char *)buf, UNMAPPED_USER, sizeof(buf)) == -EFAULT);
	KT_EXPECT(ctx, get_user(v, (u32 __user *)UNMAPPED_USER) == -EFAULT);
	KT_EXPECT(ctx, v == 0);
	KT_EXPECT(ctx, put_user(v, (u32 __user *)UNMAPPED_USER) == -EFAULT);
	/* A string that would run past the end of user space. */
	KT_EXPECT(ctx, strncpy_from_user((char *)buf,
					 (const char __user *)(TASK_SIZE_MAX - 4),
					 sizeof(buf)) == -EFAULT);
	KT_EXPECT(ctx, strnlen_user(UNMAPPED_USER, 64) == 0);
}
