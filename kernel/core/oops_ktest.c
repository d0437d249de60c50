/*
 * oops_ktest.c — a deliberate kernel fault, to check the oops report.
 *
 * `ktest=fault_backtrace` (never part of ktest=all: it ends the kernel)
 * calls three functions, fault_alpha, fault_beta and fault_gamma, in an
 * order chosen by the run's nonce, and the innermost writes to an unmapped
 * address, also derived from the nonce.  The grader (grade/lab01.py)
 * computes both from the nonce and checks that the oops shows that CR2,
 * that RIP is in the innermost function and that the call trace lists the
 * three functions innermost first.  The order is one of the six
 * permutations of (alpha, beta, gamma) in lexicographic order, indexed by
 * nonce % 6; the address is 0x100000000000 | ((nonce >> 8) & 0xffff) << 12,
 * in a user-half region the kernel never maps.
 */
#include <kestrel/ktest.h>
#include <kestrel/printk.h>

struct fault_plan {
	void (*step[3])(const struct fault_plan *plan, int depth);
	volatile u64 *target;
};

static inline __attribute__((always_inline))
void fault_next(const struct fault_plan *plan, int depth)
{
	if (depth == 2)
		*plan->target = 0x6b657374726c;	/* the write that faults */
	else
		plan->step[depth + 1](plan, depth + 1);
	barrier();	/* keep the call from becoming a jump */
}

static __noinline void fault_alpha(const struct fault_plan *plan, int depth)
{
	fault_next(plan, depth);
}

static __noinline void fault_beta(const struct fault_plan *plan, int depth)
{
	fault_next(plan, depth);
}

static __noinline void fault_gamma(const struct fault_plan *plan, int depth)
{
	fault_next(plan, depth);
}

KTEST_FLAGS(fault_backtrace, KTEST_MANUAL)
{
	typedef void (*step_fn)(const struct fault_plan *, int);
	static const step_fn orders[6][3] = {
		{ fault_alpha, fault_beta, fault_gamma },
		{ fault_alpha, fault_gamma, fault_beta },
		{ fault_beta, fault_alpha, fault_gamma },
		{ fault_beta, fault_gamma, fault_alpha },
		{ fault_gamma, fault_alpha, fault_beta },
		{ fault_gamma, fault_beta, fault_alpha },
	};
	u64 n = ktest_nonce();
	struct fault_plan plan;
	int i;

	for (i = 0; i < 3; i++)
		plan.step[i] = orders[n % 6][i];
	plan.target = (volatile u64 *)(0x100000000000UL | ((n >> 8) & 0xffff) << 12);
	printk("# fault_backtrace: a page fault follows, on purpose\n");
	plan.step[0](&plan, 0);
	ktest_fail(ctx, __FILE__, __LINE__, "the write to %p did not fault",
		   (void *)plan.target);
}
