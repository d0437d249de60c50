/*
 * ktap.h — KTAP results from user tests, in the kernel's format.
 *
 * A user test (a program in user/tests/) is a static program run inside
 * the guest.  It reports like the in-kernel tests (kernel/core/ktest.c), so
 * that one grader helper reads both (KTAP version 1, Linux's
 * Documentation/dev-tools/ktap.rst):
 *
 *	KTAP version 1
 *	1..3
 *	ok 1 getpid_works # nonce=5f3a9c
 *	not ok 2 bad_pointer # nonce=5f3a9c user/tests/efault.c:31 errno 0
 *	ok 3 big_write # SKIP nonce=5f3a9c mmap is not implemented yet
 *	# ktest: some tests failed
 *
 * The nonce is the grader's, chosen at random for every run; a test finds it
 * in the environment variable KTEST_NONCE or in an argument
 * `ktest.nonce=HEX` (or `--nonce=HEX`).  Without one it prints `nonce=none`.
 * Other arguments name the cases to run (all of them when there are none).
 *
 * A test program is a table of cases and one call:
 *
 *	static void getpid_works(struct ktap_ctx *ctx)
 *	{
 *		KT_EXPECT(ctx, getpid() > 0);
 *	}
 *
 *	int main(int argc, char **argv)
 *	{
 *		static const struct ktap_case cases[] = {
 *			KTAP_CASE(getpid_works),
 *		};
 *		return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
 *	}
 *
 * Cases run one after the other in this process; a case that crashes ends
 * the program, and the grader sees the missing result lines.  Output goes
 * to stdout, one write per line, so it interleaves sensibly with the
 * kernel's console output.
 */
#ifndef KESTREL_USER_KTAP_H
#define KESTREL_USER_KTAP_H

#include <stdint.h>

struct ktap_ctx;

struct ktap_case {
	const char *name;
	void (*fn)(struct ktap_ctx *ctx);
};

/** KTAP_CASE - a table entry for the case function @fn, named after it. */
#define KTAP_CASE(fn) { #fn, fn }
#define KTAP_COUNT(table) ((int)(sizeof(table) / sizeof((table)[0])))

/**
 * ktap_main - run @cases (@n of them) and print their results in KTAP.
 * @argc, @argv: main's; they give the nonce and may name the cases to run
 * (a name that matches no case is reported `not ok … no such test`).
 * Returns main's exit status: 0 when every case passed (skips count as
 * passed, as in KTAP), 1 otherwise.
 */
int ktap_main(int argc, char **argv, const struct ktap_case *cases, int n);

/**
 * ktap_fail - record a failure of the running case, at @file:@line, with a
 * printf-style reason.  The case goes on (return to stop it); only the
 * first reason is reported.
 */
void ktap_fail(struct ktap_ctx *ctx, const char *file, int line,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/**
 * ktap_skip - end the running case as skipped, with a reason (something it
 * needs is missing, typically a later lab's work).  Printed as
 * `ok N name # SKIP nonce=… reason`; graders count a skip as not passed.
 * Return right after calling it.
 */
void ktap_skip(struct ktap_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * ktap_nonce - the run's nonce as a number (0 when none was given).  Derive
 * random inputs from it, so that the grader can recompute the expected
 * results and a memorised answer cannot pass.
 */
uint64_t ktap_nonce(void);

/** KT_EXPECT - fail the case, with the condition's text, unless @cond. */
#define KT_EXPECT(ctx, cond)						\
	do {								\
		if (!(cond))						\
			ktap_fail(ctx, __FILE__, __LINE__,		\
				  "expected %s", #cond);		\
	} while (0)

#endif /* KESTREL_USER_KTAP_H */
