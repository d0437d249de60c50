/*
 * random.c — random bytes (kestrel/random.h).
 *
 * A generator state of four 64-bit words is stirred with a small
 * add-rotate-xor permutation (the quarter round of ChaCha, D. J.
 * Bernstein, "ChaCha, a variant of Salsa20", 2008, §2) and one word of
 * output is taken per round.  The state is seeded on first use from the
 * TSC and the wall clock, and every call mixes in fresh RDRAND output
 * when the CPU has it (CPUID.1:ECX bit 30; Intel SDM vol. 2B "RDRAND"),
 * so even a predictable boot produces different bytes on a CPU with a
 * hardware generator.  The lock keeps two callers from getting the same
 * bytes.
 */
#include <asm/processor.h>
#include <kestrel/ktime.h>
#include <kestrel/random.h>
#include <kestrel/spinlock.h>
#include <kestrel/string.h>

#define CPUID1_ECX_RDRAND	(1U << 30)

static u64 state[4];
static bool seeded, have_rdrand;
static spinlock_t random_lock = SPINLOCK_INIT;

static u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/* One RDRAND value, or 0 when the CPU has none (or it failed). */
static u64 rdrand(void)
{
	u64 v;
	u8 ok;

	if (!have_rdrand)
		return 0;
	__asm__ __volatile__("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
	return ok ? v : 0;
}

static u64 rotl(u64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* One ARX round over the state; returns a word of output. */
static u64 stir(void)
{
	state[0] += state[1]; state[3] ^= state[0]; state[3] = rotl(state[3], 32);
	state[2] += state[3]; state[1] ^= state[2]; state[1] = rotl(state[1], 24);
	state[0] += state[1]; state[3] ^= state[0]; state[3] = rotl(state[3], 16);
	state[2] += state[3]; state[1] ^= state[2]; state[1] = rotl(state[1], 63);
	return state[0] ^ state[2];
}

static void seed(void)
{
	u32 a, b, c, d;
	int i;

	cpuid(1, 0, &a, &b, &c, &d);
	have_rdrand = c & CPUID1_ECX_RDRAND;
	state[0] = 0x6b65737472656c21ULL;	/* "kestrel!" */
	state[1] = rdtsc();
	state[2] = clock_ready() ? ktime_get_real() : 0x9e3779b97f4a7c15ULL;
	state[3] = rdrand() ^ (u64)&state;
	for (i = 0; i < 16; i++)
		stir();
	seeded = true;
}

void get_random_bytes(void *buf, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&random_lock);
	u8 *out = buf;
	u64 w;

	if (!seeded)
		seed();
	state[1] ^= rdtsc();
	state[3] ^= rdrand();
	while (len) {
		size_t n = MIN(len, sizeof(w));

		w = stir();
		memcpy(out, &w, n);
		out += n;
		len -= n;
	}
	stir();		/* what was handed out does not reveal the state */
	spin_unlock_irqrestore(&random_lock, flags);
}
