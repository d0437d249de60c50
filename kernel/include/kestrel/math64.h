/*
 * kestrel/math64.h — 64-bit arithmetic that needs more than 64 bits on
 * the way: rates and unit conversions such as cycles × 10^9 / hz.
 */
#ifndef KESTREL_MATH64_H
#define KESTREL_MATH64_H

#include <asm/div64.h>
#include <kestrel/types.h>

/**
 * mul_u64_u64_div_u64 - @a × @b / @c computed with a 128-bit product,
 * rounded down.  @c must not be 0.  A result that does not fit in 64 bits
 * saturates to ~0.  Context: any.
 */
static inline u64 mul_u64_u64_div_u64(u64 a, u64 b, u64 c)
{
	return arch_mul_u64_u64_div_u64(a, b, c);
}

#endif
