/*
 * enosys — system calls the kernel does not have return ENOSYS, and the
 * kernel logs each number once.
 *
 * Numbers: one in the table without an entry point (a real Linux system
 * call Kestrel does not implement), one of the unused numbers between the
 * 64-bit table's halves (335), one far beyond the table, and -1 (which
 * reaches the kernel as 2^64 - 1).  Each is called three times; the grader
 * counts the log lines: exactly one per number.  clone3 returns ENOSYS
 * silently (the C libraries probe it and fall back to clone).
 */
#include "testlib.h"

#define NR_UNUSED	335
#define NR_HUGE		100000

static long nr_named(void)
{
	/* kexec_load (246): a privileged call no test kernel will grow. */
	return SYS_kexec_load;
}

static void named(struct ktap_ctx *ctx)
{
	for (int i = 0; i < 3; i++)
		EXPECT_ERRNO(ctx, syscall(nr_named(), 0, 0, 0, 0), ENOSYS);
}

static void unused(struct ktap_ctx *ctx)
{
	for (int i = 0; i < 3; i++)
		EXPECT_ERRNO(ctx, syscall(NR_UNUSED), ENOSYS);
}

static void out_of_range(struct ktap_ctx *ctx)
{
	for (int i = 0; i < 3; i++) {
		EXPECT_ERRNO(ctx, syscall(NR_HUGE), ENOSYS);
		EXPECT_ERRNO(ctx, syscall(-1L), ENOSYS);
	}
}

static void clone3_(struct ktap_ctx *ctx)
{
	EXPECT_ERRNO(ctx, syscall(SYS_clone3, NULL, 0), ENOSYS);
}

/* The process goes on normally after all of them. */
static void after(struct ktap_ctx *ctx)
{
	EXPECT_EQ(ctx, syscall(SYS_getpid), getpid());
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(named), KTAP_CASE(unused), KTAP_CASE(out_of_range),
		KTAP_CASE(clone3_), KTAP_CASE(after),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
