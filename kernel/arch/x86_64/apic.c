/*
 * apic.c — the local APIC (asm/apic.h): finding it, turning it on,
 * reading and writing its registers, EOI, errors, self-IPIs, and its
 * timer as the CPU's tick (kestrel/clockchips.h; end of the file).
 *
 * Bring-up on each CPU (Intel SDM vol. 3A §11.4.3, §11.12.1):
 *
 *  1. IA32_APIC_BASE (MSR 0x1b) bit 11 must be set: the APIC is globally
 *     enabled (firmware leaves it so; clearing it would turn the APIC off
 *     until reset).  With CPUID.1:ECX[21], bit 10 (EXTD) switches to
 *     x2APIC mode; otherwise the registers are the 4 KiB page at the MSR's
 *     base address, mapped uncached with ioremap().
 *  2. Every LVT entry masked, so nothing fires half-configured; then LINT1
 *     as NMI (how PCs wire it), the error LVT to ERROR_APIC_VECTOR.
 *  3. TPR = 0: interrupts of every priority class are accepted (§11.8.3).
 *  4. ESR cleared (xAPIC: write before read, §11.5.3).
 *  5. SVR: software enable (bit 8) and the spurious vector, 0xff (§11.9).
 *
 * EOI (§11.8.5): writing 0 to the EOI register clears the highest
 * in-service bit and lets the next interrupt of that class in; for a
 * level-triggered line the APIC also tells the I/O APIC the line may
 * interrupt again.  A spurious interrupt sets no in-service bit and gets
 * no EOI (§11.9).
 *
 * x2APIC registers are MSRs 0x800 + offset/16 (§11.12.1.2, table 11-6);
 * the xAPIC ID sits in bits 31:24 of the ID register, the x2APIC ID is all
 * 32 bits.  Locking: none, each CPU touches only its own APIC.
 */
#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <kestrel/acpi.h>
#include <kestrel/clockchips.h>
#include <kestrel/errno.h>
#include <kestrel/io.h>
#include <kestrel/ktime.h>
#include <kestrel/math64.h>
#include <kestrel/percpu.h>
#include <kestrel/printk.h>

#define CPUID_1_EDX_APIC	(1U << 9)
#define CPUID_1_ECX_X2APIC	(1U << 21)
#define APIC_LVR_MAXLVT(v)	(((v) >> 16) & 0xff)

static void *lapic_mmio;	/* xAPIC registers, or NULL */
static bool x2apic;		/* registers are MSRs */
static bool lapic_ok;

bool lapic_available(void)
{
	return lapic_ok;
}

bool x2apic_mode(void)
{
	return x2apic;
}

u32 lapic_read(u32 reg)
{
	if (x2apic)
		return rdmsr(X2APIC_MSR_BASE + (reg >> 4));
	return readl((char *)lapic_mmio + reg);
}

void lapic_write(u32 reg, u32 val)
{
	if (x2apic)
		wrmsr(X2APIC_MSR_BASE + (reg >> 4), val);
	else
		writel(val, (char *)lapic_mmio + reg);
}

void lapic_eoi(void)
{
	lapic_write(APIC_EOI, 0);
}

bool lapic_in_service(unsigned int vector)
{
	u32 isr = lapic_read(APIC_ISR + (vector / 32) * 0x10);

	return isr & (1U << (vector % 32));
}

static u32 lapic_read_id(void)
{
	u32 id = lapic_read(APIC_ID);

	return x2apic ? id : id >> 24;
}

void lapic_setup_cpu(void)
{
	u32 maxlvt = APIC_LVR_MAXLVT(lapic_read(APIC_LVR));

	/* 2. Quiet first: everything masked, including the timer. */
	lapic_write(APIC_LVTT, APIC_LVT_MASKED);
	if (maxlvt >= 5)
		lapic_write(APIC_LVTTHMR, APIC_LVT_MASKED);
	if (maxlvt >= 4)
		lapic_write(APIC_LVTPC, APIC_LVT_MASKED);
	lapic_write(APIC_LVT0, APIC_LVT_MASKED | APIC_LVT_DM_EXTINT);
	lapic_write(APIC_LVT1, APIC_LVT_DM_NMI);
	lapic_write(APIC_LVTERR, ERROR_APIC_VECTOR);
	/* 3. Accept every priority class. */
	lapic_write(APIC_TPR, 0);
	/* 4. ESR: a write arms it; the read returns old errors (dropped). */
	lapic_write(APIC_ESR, 0);
	(void)lapic_read(APIC_ESR);
	/* 5. On, with its spurious vector. */
	lapic_write(APIC_SVR, APIC_SVR_ENABLE | SPURIOUS_APIC_VECTOR);
	this_cpu()->apic_id = lapic_read_id();
}

/* Step 1 on the boot CPU: x2APIC, or map the xAPIC page.  0 or -ENODEV. */
static int lapic_enable_mode(void)
{
	u32 a, b, c, d;
	u64 base;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(d & CPUID_1_EDX_APIC))
		return -ENODEV;
	base = rdmsr(MSR_IA32_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE)) {
		base |= APIC_BASE_ENABLE;
		wrmsr(MSR_IA32_APIC_BASE, base);
	}
	if (c & CPUID_1_ECX_X2APIC) {
		/* xAPIC → x2APIC: set EXTD with EN already set (§11.12.5). */
		wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_EXTD);
		x2apic = true;
		return 0;
	}
	lapic_mmio = ioremap(base & APIC_BASE_ADDR_MASK, PAGE_SIZE);
	return lapic_mmio ? 0 : -ENODEV;
}

int lapic_init(void)
{
	u64 base;
	int err = lapic_enable_mode();

	if (err) {
		pr_warn("apic: no usable local APIC (%s); no interrupts\n",
			x2apic ? "disabled" :
			"cannot map its registers: ioremap needs lab 3's page tables");
		return err;
	}
	lapic_ok = true;
	lapic_setup_cpu();
	base = rdmsr(MSR_IA32_APIC_BASE);
	pr_info("apic: local APIC ID %u, version 0x%x, %s mode%s, %s CPU\n",
		this_cpu()->apic_id, lapic_read(APIC_LVR) & 0xff,
		x2apic ? "x2APIC" : "xAPIC", x2apic ? "" : " (MMIO, uncached)",
		base & APIC_BASE_BSP ? "boot" : "application");
	if (!x2apic && acpi_madt.lapic_address &&
	    acpi_madt.lapic_address != (base & APIC_BASE_ADDR_MASK))
		pr_warn("apic: MADT says local APICs at 0x%llx, the MSR 0x%llx; using the MSR\n",
			(unsigned long long)acpi_madt.lapic_address,
			(unsigned long long)(base & APIC_BASE_ADDR_MASK));
	return 0;
}

/*
 * A self-IPI (§11.6.1, §11.12.11): x2APIC has a register for it; in xAPIC
 * mode the ICR with the "self" shorthand, fixed delivery, edge, assert.
 * Writing the low half sends; wait (boundedly) until it has left.
 */
void lapic_self_ipi(unsigned int vector)
{
	unsigned int i;

	if (x2apic) {
		wrmsr(X2APIC_SELF_IPI, vector);
		return;
	}
	lapic_write(APIC_ICR2, 0);
	lapic_write(APIC_ICR, APIC_ICR_SELF | APIC_ICR_ASSERT | vector);
	for (i = 0; i < 100000 && (lapic_read(APIC_ICR) & APIC_ICR_BUSY); i++)
		cpu_relax();
}

/*
 * ESR bits (§11.5.3): 2 send accept, 3 receive accept, 5 send illegal
 * vector, 6 received illegal vector, 7 illegal register address.
 */
void lapic_error_interrupt(void)
{
	static unsigned int reported;
	u32 esr;

	lapic_write(APIC_ESR, 0);
	esr = lapic_read(APIC_ESR);
	if (reported++ < 5)
		pr_err("apic: error interrupt on CPU %u, ESR 0x%x\n",
		       this_cpu()->cpu, esr);
}

/* ---- the local APIC timer: each CPU's clock event device ----
 *
 * The timer counts down from the initial-count register at the APIC's
 * input clock divided by the divide-configuration register (Intel SDM
 * vol. 3A §11.5.4, "APIC Timer").  When the count reaches zero it raises
 * the vector in its LVT entry; in periodic mode it reloads the initial
 * count and goes on, in one-shot mode it stops.  Writing the initial count
 * starts it; writing 0 stops it.
 *
 *	LVT timer:  [18:17 mode][16 mask][7:0 vector]
 *	divide:     16 (APIC_TDCR_DIV_16), the same on every CPU
 *	count:      32 bits: at QEMU's 1 GHz / 16 = 62.5 MHz, one-shot
 *	            delays up to 68 s
 *
 * The input clock differs between machines and is written nowhere we can
 * read, so arch_time_init() (time.c) measures the counting rate against the
 * HPET or the PIT: freq_hz below.  Every CPU's APIC runs from the same
 * clock, so one calibration serves them all.
 *
 * Where the timer may stop: in deep C-states unless CPUID.06H:EAX[2]
 * (ARAT, "APIC timer always running") is set.  Kestrel's idle is `hlt`
 * (C1), where it keeps counting.  TSC-deadline mode (a third LVT mode,
 * §11.5.4.1) would be more precise; the classic modes work everywhere.
 *
 * Locking: a clock event device belongs to its CPU and is programmed by
 * it, interrupts off; no lock.
 */

#define APIC_COUNT_MAX	0xffffffffULL

static struct clock_event_device lapic_events[NR_CPUS];

/* @ns as timer counts for @dev, clamped to [1, 2^32 - 1]. */
static u32 ns_to_counts(const struct clock_event_device *dev, u64 ns)
{
	u64 counts = mul_u64_u64_div_u64(ns, dev->freq_hz, NSEC_PER_SEC);

	if (counts < 1)
		return 1;
	return counts > APIC_COUNT_MAX ? APIC_COUNT_MAX : counts;
}

static void lapic_set_periodic(struct clock_event_device *dev, u64 period_ns)
{
	lapic_write(APIC_TDCR, APIC_TDCR_DIV_16);
	lapic_write(APIC_LVTT, APIC_LVT_TIMER_PERIODIC | LOCAL_TIMER_VECTOR);
	lapic_write(APIC_TMICT, ns_to_counts(dev, period_ns));
}

static void lapic_set_next_event(struct clock_event_device *dev, u64 delta_ns)
{
	lapic_write(APIC_TDCR, APIC_TDCR_DIV_16);
	lapic_write(APIC_LVTT, APIC_LVT_TIMER_ONESHOT | LOCAL_TIMER_VECTOR);
	lapic_write(APIC_TMICT, ns_to_counts(dev, delta_ns));
}

static void lapic_shutdown(struct clock_event_device *dev)
{
	(void)dev;
	lapic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	lapic_write(APIC_TMICT, 0);
}

void lapic_timer_setup_cpu(u64 freq_hz)
{
	unsigned int cpu = this_cpu()->cpu;
	struct clock_event_device *dev = &lapic_events[cpu];

	*dev = (struct clock_event_device){
		.name = "lapic",
		.freq_hz = freq_hz,
		.min_delta_ns = 1000,		/* 1 µs: no shorter */
		.max_delta_ns = APIC_COUNT_MAX * NSEC_PER_SEC / freq_hz,
		.set_periodic = lapic_set_periodic,
		.set_next_event = lapic_set_next_event,
		.shutdown = lapic_shutdown,
		.cpu = cpu,
	};
	clockevents_register_device(dev);
}

void lapic_timer_interrupt(void)
{
	struct clock_event_device *dev = this_cpu()->clockevent;

	this_cpu()->irq_timer++;
	if (dev && dev->event_handler)
		dev->event_handler(dev);
}
