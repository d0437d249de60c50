/*
 * time.c — the PC's clocks: starting time on x86_64 (arch_time_init,
 * kestrel/clockchips.h).
 *
 * The TSC becomes the clock source (kestrel/clocksource.h) and the local
 * APIC timer every CPU's tick (apic.c).  Neither states its rate anywhere
 * reliable, so both are measured together against a reference clock whose
 * rate is written down: the HPET, or without one the 8254 PIT.
 *
 * The reference clocks.  The HPET ("High Precision Event Timer", IA-PC
 * HPET Specification 1.0a) is a block of 64-bit memory-mapped registers
 * found through the ACPI HPET table.  Kestrel uses only its main counter
 * (§2.3):
 *
 *	0x000 General Capabilities and ID (§2.3.4): bits 63:32
 *	      COUNTER_CLK_PERIOD, the counter's period in femtoseconds
 *	      (10^-15 s; at most 100 ns), bit 13 COUNT_SIZE_CAP (64-bit)
 *	0x010 General Configuration (§2.3.5): bit 0 ENABLE_CNF, the main
 *	      counter runs; bit 1 LEG_RT_CNF (left alone)
 *	0x0f0 Main Counter Value (§2.3.7): counts up at 10^15 / period Hz
 *
 * A 64-bit counter is read as two 32-bit halves (which every HPET allows):
 * the high half, the low half, the high half again, retried if the low
 * half wrapped in between; a 32-bit one is extended in software, like the
 * PIT below.  QEMU's HPET is 64 bits wide and counts at 100 MHz.
 *
 * The PIT (Intel 8254 data sheet) counts down at 1.193182 MHz.  Channel 2
 * is the one software may use freely: its gate is bit 0 of port 0x61
 * (the PC's "NMI status and control" port; bit 1 would connect the
 * speaker, kept 0).  Programmed in mode 2 with reload 0 (= 65536) it
 * counts down for ever; the counter-latch command freezes a copy to read
 * in two bytes.  The 16-bit value is extended to 64 bits by adding up the
 * distance between reads, which is right as long as reads come less than
 * 65536 counts (55 ms) apart — as they do in a calibration loop.
 *
 *	control word (port 0x43): bits 7:6 channel (10 = 2), 5:4 access
 *	(11 = low then high byte, 00 = latch), 3:1 mode (010 = rate
 *	generator), 0 BCD (0 = binary)
 *
 * Calibration (lab 4): both rates at once, against the reference:
 *
 *	ref:   r0 ────────── 10 ms of reference counts ────────── r1
 *	TSC:   t0 ……………………………………………………………………………………………………………………… t1
 *	APIC:  a0 (counting down from 2^32 - 1) ……………………………………… a1
 *
 *	tsc_hz   = (t1 - t0) × ref_hz / (r1 - r0)
 *	lapic_hz = (a0 - a1) × ref_hz / (r1 - r0)
 *
 * Three windows, and the median of each rate, so that one window
 * stretched by an unlucky moment (an SMI on hardware, the host scheduling
 * QEMU away under emulation) does not decide; the whole takes 30 ms.  A
 * reference clock that never advances would hang the loop, so it also
 * gives up after 2^33 TSC cycles (seconds, on any CPU).
 *
 * The TSC is a good clock only if it is *invariant*: constant-rate in
 * every power state (CPUID 0x80000007 EDX bit 8; Intel SDM vol. 3B,
 * "Invariant TSC").  QEMU's TCG reads the host's TSC, which is, but does
 * not set the bit; without it the kernel says so and uses the TSC anyway.
 *
 * Everything here runs once, at boot, on the boot CPU: no locking.
 */
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/irq_vectors.h>
#include <asm/processor.h>
#include <asm/timex.h>
#include <kestrel/acpi.h>
#include <kestrel/clockchips.h>
#include <kestrel/clocksource.h>
#include <kestrel/errno.h>
#include <kestrel/io.h>
#include <kestrel/jiffies.h>
#include <kestrel/math64.h>
#include <kestrel/printk.h>

/*
 * A clock of known rate to calibrate against: read() returns a 64-bit
 * count that only goes up (while it is read more often than the hardware
 * counter wraps).
 */
struct refclock {
	const char *name;	/* "HPET", "PIT" */
	u64 freq_hz;		/* counts per second */
	u64 (*read)(void);	/* the count now */
};

/* ---- the HPET ---- */

#define HPET_CAP		0x000
#define HPET_CFG		0x010
#define HPET_COUNTER		0x0f0
#define HPET_CFG_ENABLE		(1U << 0)
#define HPET_CAP_64BIT		(1U << 13)
#define HPET_MAX_PERIOD_FS	100000000ULL	/* 100 ns (§2.3.4) */
#define FS_PER_SEC		1000000000000000ULL

#define PIT_CH2			0x42
#define PIT_CMD			0x43
#define PIT_PORT_B		0x61	/* NMI status and control */
#define PIT_B_GATE2		0x01
#define PIT_B_SPEAKER		0x02
#define PIT_CH2_MODE2_LOHI	0xb4	/* 10 11 010 0 */
#define PIT_CH2_LATCH		0x80	/* 10 00 xxx x */
#define PIT_HZ			1193182

static void *hpet_regs;
static bool hpet_64bit;
static u32 hpet_last32;		/* 32-bit counters: the previous read … */
static u64 hpet_total32;	/* … and the count extended to 64 bits */

static u64 hpet_read(void)
{
	u32 hi, lo, hi2;

	if (!hpet_64bit) {	/* wraps every 43 s at 100 MHz: extend it */
		lo = readl((char *)hpet_regs + HPET_COUNTER);
		hpet_total32 += (u32)(lo - hpet_last32);
		hpet_last32 = lo;
		return hpet_total32;
	}
	do {
		hi = readl((char *)hpet_regs + HPET_COUNTER + 4);
		lo = readl((char *)hpet_regs + HPET_COUNTER);
		hi2 = readl((char *)hpet_regs + HPET_COUNTER + 4);
	} while (hi != hi2);
	return (u64)hi << 32 | lo;
}

static struct refclock hpet_clock = { .name = "HPET", .read = hpet_read };

/* The HPET from the ACPI table, counter enabled; NULL if none. */
static const struct refclock *refclock_hpet(void)
{
	phys_addr_t pa = acpi_hpet_address();
	u32 cap_lo, period;

	if (hpet_regs)
		return &hpet_clock;
	if (!pa)
		return NULL;
	hpet_regs = ioremap(pa, 0x100);
	if (!hpet_regs)
		return NULL;
	cap_lo = readl((char *)hpet_regs + HPET_CAP);
	period = readl((char *)hpet_regs + HPET_CAP + 4);
	if (!period || period > HPET_MAX_PERIOD_FS) {
		pr_warn("hpet: bad counter period %u fs; not used\n", period);
		iounmap(hpet_regs);
		hpet_regs = NULL;
		return NULL;
	}
	hpet_64bit = cap_lo & HPET_CAP_64BIT;
	hpet_clock.freq_hz = FS_PER_SEC / period;
	writel(readl((char *)hpet_regs + HPET_CFG) | HPET_CFG_ENABLE,
	       (char *)hpet_regs + HPET_CFG);
	hpet_last32 = readl((char *)hpet_regs + HPET_COUNTER);
	return &hpet_clock;
}

/* ---- the PIT ---- */

static u16 pit_last;	/* the 16-bit count at the previous read */
static u64 pit_total;	/* counts since refclock_pit() */

static u64 pit_read(void)
{
	u16 now;

	outb(PIT_CMD, PIT_CH2_LATCH);
	now = inb(PIT_CH2);
	now |= inb(PIT_CH2) << 8;
	pit_total += (u16)(pit_last - now);	/* it counts down, mod 2^16 */
	pit_last = now;
	return pit_total;
}

static struct refclock pit_clock = {
	.name = "PIT", .freq_hz = PIT_HZ, .read = pit_read,
};

/* PIT channel 2 counting freely from now on. */
static const struct refclock *refclock_pit(void)
{
	u8 b = inb(PIT_PORT_B);

	outb(PIT_PORT_B, (b & ~PIT_B_SPEAKER) | PIT_B_GATE2);
	outb(PIT_CMD, PIT_CH2_MODE2_LOHI);
	outb(PIT_CH2, 0);
	outb(PIT_CH2, 0);
	pit_total = 0;
	outb(PIT_CMD, PIT_CH2_LATCH);
	pit_last = inb(PIT_CH2);
	pit_last |= inb(PIT_CH2) << 8;
	return &pit_clock;
}

/* ---- calibration and the TSC clock source ---- */

#define CALIBRATION_ROUNDS	3
#define CALIBRATION_WINDOW_DIV	100		/* 1/100 s = 10 ms per window */
#define CALIBRATION_GIVE_UP	(1ULL << 33)	/* TSC cycles */
#define CPUID_80000007_EDX_INVARIANT_TSC (1U << 8)

/* What calibrate_timers() measures, in counts per second. */
struct calibration {
	u64 tsc_hz;
	u64 lapic_hz;		/* the APIC timer, after its divide-by-16 */
};

static u64 read_tsc(void)
{
	return get_cycles();
}

static struct clocksource tsc_clocksource = { .name = "tsc", .read = read_tsc };

#if SOL >= 4
/* One window: the TSC's and the APIC timer's rates against @ref. */
static int measure_window(const struct refclock *ref, u64 *tsc_hz,
			  u64 *lapic_hz)
{
	u64 window = ref->freq_hz / CALIBRATION_WINDOW_DIV;
	u64 r0, r1, t0, t1, elapsed;
	u32 a0, a1;

	lapic_write(APIC_TDCR, APIC_TDCR_DIV_16);
	lapic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	lapic_write(APIC_TMICT, 0xffffffff);
	r0 = ref->read();
	t0 = get_cycles_ordered();
	a0 = lapic_read(APIC_TMCCT);
	do {
		r1 = ref->read();
		t1 = get_cycles_ordered();
	} while (r1 - r0 < window && t1 - t0 < CALIBRATION_GIVE_UP);
	a1 = lapic_read(APIC_TMCCT);
	lapic_write(APIC_TMICT, 0);
	elapsed = r1 - r0;
	if (elapsed < window)
		return -ETIMEDOUT;
	*tsc_hz = mul_u64_u64_div_u64(t1 - t0, ref->freq_hz, elapsed);
	*lapic_hz = mul_u64_u64_div_u64(a0 - a1, ref->freq_hz, elapsed);
	return 0;
}

static u64 median3(const u64 v[3])
{
	u64 lo = MIN(v[0], v[1]), hi = MAX(v[0], v[1]);

	return v[2] < lo ? lo : v[2] > hi ? hi : v[2];
}
#endif

/**
 * calibrate_timers - measure the TSC's and this CPU's local APIC timer's
 * rates against @ref (the head comment shows how).  Fills @cal and
 * returns 0; -ETIMEDOUT when the reference clock does not advance,
 * -ERANGE when a rate is absurd (TSC outside 100 MHz–100 GHz, APIC timer
 * outside 10 kHz–10 GHz).  Boot CPU, interrupts off; leaves the APIC
 * timer stopped and masked.
 */
static int calibrate_timers(const struct refclock *ref, struct calibration *cal)
{
#if SOL >= 4
	u64 tsc[CALIBRATION_ROUNDS], apic[CALIBRATION_ROUNDS];
	unsigned int i;
	int err;

	for (i = 0; i < CALIBRATION_ROUNDS; i++) {
		err = measure_window(ref, &tsc[i], &apic[i]);
		if (err)
			return err;
	}
	cal->tsc_hz = median3(tsc);
	cal->lapic_hz = median3(apic);
	if (cal->tsc_hz < 100000000ULL || cal->tsc_hz > 100000000000ULL ||
	    cal->lapic_hz < 10000 || cal->lapic_hz > 10000000000ULL)
		return -ERANGE;
	return 0;
#else
	/*
	 * LAB 4: measure both rates against @ref (the head comment has the
	 * picture and the formulas).  Start the APIC timer as a stopwatch:
	 * divide by 16 (APIC_TDCR), one-shot and masked (APIC_LVTT), initial
	 * count 0xffffffff (APIC_TMICT); it counts down in APIC_TMCCT.  Read
	 * ref->read(), get_cycles_ordered() and APIC_TMCCT; spin until
	 * ref->freq_hz / 100 reference counts passed — but give up with
	 * -ETIMEDOUT after CALIBRATION_GIVE_UP TSC cycles; read all three
	 * again and compute the rates with mul_u64_u64_div_u64().
	 * Stop the timer (initial count 0).  Repeat CALIBRATION_ROUNDS times
	 * and keep the median of each.  Return -ERANGE for absurd results
	 * (see above).  Until this works the kernel has no tick and no clock.
	 */
	(void)ref;
	(void)cal;
	return -ENOSYS;
#endif
}

static void print_calibration(const struct calibration *cal,
			      const struct refclock *ref, bool invariant)
{
	pr_info("time: TSC %llu.%03llu MHz%s, LAPIC timer %llu Hz, HZ=%d (calibrated against the %s)\n",
		(unsigned long long)(cal->tsc_hz / 1000000),
		(unsigned long long)(cal->tsc_hz / 1000 % 1000),
		invariant ? " (invariant)" : "",
		(unsigned long long)cal->lapic_hz, HZ, ref->name);
	if (!invariant)
		pr_info("time: CPUID does not promise an invariant TSC (QEMU's TCG never does); using it as the clock anyway\n");
}

int arch_time_init(void)
{
	const struct refclock *ref = refclock_hpet();
	struct calibration cal;
	u32 a, b, c, d;
	int err;

	if (!lapic_available())
		return -ENODEV;
	if (!ref)
		ref = refclock_pit();
	err = calibrate_timers(ref, &cal);
	if (err) {
		pr_warn("time: calibration against the %s failed (error %d)\n",
			ref->name, err);
		return err;
	}
	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a >= 0x80000007)
		cpuid(0x80000007, 0, &a, &b, &c, &d);
	else
		d = 0;
	print_calibration(&cal, ref, d & CPUID_80000007_EDX_INVARIANT_TSC);
	tsc_clocksource.freq_hz = cal.tsc_hz;
	clocksource_register(&tsc_clocksource);
	lapic_timer_setup_cpu(cal.lapic_hz);
	return 0;
}
