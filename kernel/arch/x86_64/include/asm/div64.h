/*
 * asm/div64.h — a×b/c with a 128-bit intermediate, without libgcc.
 *
 * The kernel does not link the compiler's support library, so C's 128-bit
 * division (__udivti3) is not available.  x86_64 has what is needed in
 * two instructions: MUL leaves the full 128-bit product in RDX:RAX, DIV
 * divides RDX:RAX by a 64-bit operand (Intel SDM vol. 2A, MUL and DIV).
 * DIV raises #DE when the quotient does not fit in 64 bits, so the high
 * half is checked first and the result saturates instead.
 */
#ifndef ASM_DIV64_H
#define ASM_DIV64_H

#include <kestrel/types.h>

/** arch_mul_u64_u64_div_u64 - @a × @b / @c, rounded down; ~0 on overflow. */
static inline u64 arch_mul_u64_u64_div_u64(u64 a, u64 b, u64 c)
{
	u64 lo, hi, q, r;

	__asm__("mulq %3" : "=a"(lo), "=d"(hi) : "a"(a), "rm"(b));
	if (hi >= c)
		return ~0ULL;
	__asm__("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(c));
	(void)r;
	return q;
}

#endif
