/*
 * kestrel/ktest.h — in-kernel tests.
 *
 * A test is a function registered with KTEST(name) in the linker section
 * .ktests.  The command line chooses which run: `ktest=name1,name2` or
 * `ktest=all` (every test not marked KTEST_MANUAL).  Results are printed in
 * KTAP version 1, the format Linux's KUnit uses
 * (Documentation/dev-tools/ktap.rst):
 *
 *	KTAP version 1
 *	1..2
 *	ok 1 printk_formats # nonce=5f3a9c
 *	not ok 2 example # nonce=5f3a9c kernel/core/x.c:42 expected 3, got 4
 *	ok 3 later # SKIP nonce=5f3a9c kmalloc is not implemented yet (lab 2)
 *	# ktest: some tests failed
 *
 * `ktest.nonce=HEX` (chosen at random by the grader for every run) is
 * echoed in every result line, so a result cannot be faked by printing a
 * fixed string; tests may also derive their inputs from it (ktest_nonce()).
 * After the last test the kernel leaves QEMU through isa-debug-exit
 * (kestrel/reboot.h): status 33 when all passed, 35 otherwise.
 *
 * Tests run in start_kernel's context, one after the other; a test that
 * faults produces an oops like any kernel bug.
 */
#ifndef KESTREL_KTEST_H
#define KESTREL_KTEST_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

struct ktest_ctx;

#define KTEST_MANUAL	0x1	/* not part of ktest=all (e.g. deliberately crashes) */

struct ktest {
	const char *name;
	void (*fn)(struct ktest_ctx *ctx);
	unsigned int flags;
};

/** KTEST - define and register test @name, run by ktest=@name or ktest=all. */
#define KTEST(name) KTEST_FLAGS(name, 0)
#define KTEST_FLAGS(tname, tflags)						\
	static void ktest_fn_##tname(struct ktest_ctx *ctx);			\
	static const struct ktest ktest_##tname					\
		__section(".ktests") __used __aligned(8) = {			\
		.name = #tname, .fn = ktest_fn_##tname, .flags = (tflags) };	\
	static void ktest_fn_##tname(struct ktest_ctx *ctx)

/**
 * ktest_fail - record a failure of the running test with a reason; the test
 * goes on (use return to stop it).  Only the first reason is reported.
 */
void ktest_fail(struct ktest_ctx *ctx, const char *file, int line,
		const char *fmt, ...) __printf(4, 5);

/**
 * ktest_skip - end the running test as skipped, with a reason: it could
 * not run because something it needs is missing (typically a later lab's
 * hole in a stage tree).  KTAP prints it as `ok N name # SKIP …`; graders
 * count a skip as not passed.  Return right after calling it.
 */
void ktest_skip(struct ktest_ctx *ctx, const char *fmt, ...) __printf(2, 3);

/**
 * KTEST_REQUIRE - skip the running test (and return from it) unless @cond
 * holds; @what names what is missing, e.g. "the kernel page tables (lab 3)",
 * reported as "# SKIP … needs the kernel page tables (lab 3)".
 * For tests that need a later lab's work: in a stage tree they skip
 * instead of crashing.
 */
#define KTEST_REQUIRE(ctx, cond, what)						\
	do {									\
		if (!(cond)) {							\
			ktest_skip(ctx, "needs %s", what);	\
			return;							\
		}								\
	} while (0)

/** KT_EXPECT - fail the test, with the condition's text, unless @cond. */
#define KT_EXPECT(ctx, cond)							\
	do {									\
		if (!(cond))							\
			ktest_fail(ctx, __FILE__, __LINE__, "expected %s", #cond); \
	} while (0)

/** ktest_nonce - the run's nonce from ktest.nonce= (0 if none was given). */
u64 ktest_nonce(void);

/**
 * ktest_run_cmdline - run the tests the command line names, print KTAP, and
 * exit QEMU with the result.  Returns only when no ktest= was given.
 */
void ktest_run_cmdline(void);

#endif
