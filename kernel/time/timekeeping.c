/*
 * timekeeping.c — the clocks: monotonic and wall-clock time in
 * nanoseconds (kestrel/ktime.h), read from the clock source
 * (kestrel/clocksource.h), and time_init(), which starts them.
 *
 * The monotonic clock is the clock source's count since registration,
 * converted to nanoseconds:
 *
 *	ktime_get() = cyc2ns(read() - base_cycles)
 *
 * The wall clock adds the moment the monotonic clock started, in ns since
 * the epoch, computed once at boot from the RTC:
 *
 *	ktime_get_real() = real_offset_ns + ktime_get()
 *
 * so both advance together and the wall clock never jumps (until a
 * settimeofday, which some later lab may add by changing the offset).
 * The RTC has whole seconds only: the wall clock starts up to a second
 * behind, which `date` cannot show.
 *
 * Reads need no lock: the clock source, base_cycles and real_offset_ns
 * are written once by time_init() on the boot CPU before other CPUs or
 * interrupts use them, and never again.  The time-of-day lines printed at
 * boot come from here; the tick from tick.c, timers from timer.c.
 */
#include <kestrel/clockchips.h>
#include <kestrel/clocksource.h>
#include <kestrel/errno.h>
#include <kestrel/ktime.h>
#include <kestrel/math64.h>
#include <kestrel/printk.h>
#include <kestrel/rtc.h>
#include <kestrel/timer.h>
#include <asm/processor.h>

#define CYC2NS_SHIFT	32

static struct clocksource *clock;	/* NULL until registered */
static u64 base_cycles;			/* the count at ktime 0 */
static u64 real_offset_ns;		/* CLOCK_REALTIME at ktime 0 */

void clocksource_register(struct clocksource *cs)
{
	cs->shift = CYC2NS_SHIFT;
	cs->mult = mul_u64_u64_div_u64(NSEC_PER_SEC, 1ULL << CYC2NS_SHIFT,
				       cs->freq_hz);
	base_cycles = cs->read();
	clock = cs;
}

bool clock_ready(void)
{
	return clock != NULL;
}

/**
 * ktime_get - see kestrel/ktime.h.  The whole conversion is the formula
 * in this file's head comment; clocksource_cyc2ns() does the arithmetic.
 */
u64 ktime_get(void)
{
#if SOL >= 4
	if (!clock)
		return 0;
	return clocksource_cyc2ns(clock, clock->read() - base_cycles);
#else
	/*
	 * LAB 4: nanoseconds since the clock source was registered: read
	 * the counter (clock->read()), subtract base_cycles, and convert the
	 * difference with clocksource_cyc2ns() (kestrel/clocksource.h: why
	 * a multiply and a shift, and why in 128 bits).  Return 0 while
	 * `clock` is NULL (before time_init, or without a clock source).
	 */
	return 0;
#endif
}

u64 ktime_get_real(void)
{
	return real_offset_ns + ktime_get();
}

time64_t ktime_get_real_seconds(void)
{
	return ktime_get_real() / NSEC_PER_SEC;
}

/*
 * Delays spin on the raw counter rather than on ktime_get(), so that they
 * work — and end — whatever state ktime_get() is in.
 */
void ndelay(u64 ns)
{
	u64 start, cycles;

	if (!clock)
		return;
	cycles = mul_u64_u64_div_u64(ns, clock->freq_hz, NSEC_PER_SEC);
	start = clock->read();
	while (clock->read() - start < cycles)
		cpu_relax();
}

void udelay(u64 us)
{
	ndelay(us * NSEC_PER_USEC);
}

void mdelay(u64 ms)
{
	ndelay(ms * NSEC_PER_MSEC);
}

/* Read the RTC and set the wall clock from it. */
static void read_persistent_clock(void)
{
	struct rtc_time tm;
	time64_t secs;

	if (rtc_read_time(&tm) < 0) {
		pr_warn("time: cannot read the RTC; the wall clock starts at 1970-01-01\n");
		return;
	}
	secs = rtc_tm_to_time64(&tm);
	real_offset_ns = (u64)secs * NSEC_PER_SEC - ktime_get();
	pr_info("time: RTC %04d-%02d-%02d %02d:%02d:%02d UTC (%lld s since the epoch)\n",
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		tm.tm_min, tm.tm_sec, (long long)secs);
}

void time_init(void)
{
	int err;

	timers_init_cpu();
	err = arch_time_init();
	if (err)
		pr_warn("time: no calibrated clock and timer (error %d): no timer tick, ktime_get() stays 0\n",
			err);
	read_persistent_clock();
}
