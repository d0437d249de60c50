/*
 * irq_ktest.c — in-kernel tests of interrupts on x86_64 (ktest=irq_…).
 *
 *	irq_request_free  request_irq routes a line through the I/O APIC
 *	                  (vector, destination, trigger, unmasked), refuses a
 *	                  second non-shared handler, shares when both agree,
 *	                  and free_irq masks the line and frees the vector;
 *	                  a self-IPI on the line's vector runs its handlers in
 *	                  interrupt context
 *	irq_accounting    an interrupt on a vector nobody owns is counted as
 *	                  unexpected (and EOI'd); one on 0xff as spurious
 *	irq_ioremap       ioremap maps device registers uncached, NX, between
 *	                  guard pages; iounmap removes them
 *	irq_bench         (manual) the cost of an interrupt: a self-IPI round
 *	                  trip, and the tick, measured as the time it steals
 *	                  from a loop that reads the TSC
 *
 * Interrupts are delivered for real: the tests send themselves IPIs
 * through the local APIC (lapic_self_ipi) on the vector of a line nobody
 * else uses, TEST_GSI, an I/O APIC pin PCI devices would use (none on
 * QEMU's default q35 without devices).  Waits are bounded loops.
 */
#include <asm/apic.h>
#include <asm/io_apic.h>
#include <asm/irq_vectors.h>
#include <asm/timex.h>
#include <kestrel/acpi.h>
#include <kestrel/clockchips.h>
#include <kestrel/errno.h>
#include <kestrel/io.h>
#include <kestrel/irq.h>
#include <kestrel/irqflags.h>
#include <kestrel/ktest.h>
#include <kestrel/ktime.h>
#include <kestrel/pgtable.h>
#include <kestrel/printk.h>
#include <kestrel/vmalloc.h>

#define TEST_GSI	22
#define UNOWNED_VECTOR	(FIRST_SYSTEM_VECTOR + 1)
#define SPIN_LIMIT	1000000

struct probe {
	volatile unsigned int calls;
	bool in_irq, irqs_off;
	int irq;
};

static irqreturn_t probe_handler(int irq, void *dev)
{
	struct probe *p = dev;

	p->calls++;
	p->in_irq = in_interrupt();
	p->irqs_off = irqs_disabled();
	p->irq = irq;
	return IRQ_HANDLED;
}

/* Send @vector to ourselves with interrupts on; wait for @p to count it. */
static bool fire(unsigned int vector, struct probe *p, unsigned int want)
{
	unsigned long flags;
	unsigned int i;

	local_irq_save(flags);
	lapic_self_ipi(vector);
	local_irq_enable();
	for (i = 0; i < SPIN_LIMIT && p && p->calls < want; i++)
		cpu_relax();
	local_irq_restore(flags);
	return !p || p->calls >= want;
}

static bool have_ioapic(void)
{
	return lapic_available() && acpi_madt.nr_ioapics > 0;
}

/* The redirection entry of TEST_GSI routes to @vector, unmasked. */
static void expect_routed(struct ktest_ctx *ctx, unsigned int vector)
{
	u64 e = ioapic_read_entry(TEST_GSI);

	KT_EXPECT(ctx, (e & 0xff) == vector);
	KT_EXPECT(ctx, !(e & (1ULL << 16)));		/* unmasked */
	KT_EXPECT(ctx, (e & (7ULL << 8)) == 0);		/* fixed delivery */
	KT_EXPECT(ctx, !(e & (1ULL << 11)));		/* physical */
	KT_EXPECT(ctx, e & (1ULL << 15));		/* PCI: level */
	KT_EXPECT(ctx, e & (1ULL << 13));		/* PCI: active low */
	KT_EXPECT(ctx, (e >> 56) == (this_cpu()->apic_id & 0xff));
}

KTEST(irq_request_free)
{
	struct irq_desc *desc = irq_to_desc(TEST_GSI);
	struct probe a = { 0 }, b = { 0 };
	unsigned int cpu = this_cpu()->cpu, v;
	u64 count;

	KTEST_REQUIRE(ctx, have_ioapic(), "an I/O APIC from the MADT (lab 4)");
	KT_EXPECT(ctx, request_irq(NR_IRQS, probe_handler, 0, "t", &a) == -EINVAL);
	KT_EXPECT(ctx, request_irq(TEST_GSI, NULL, 0, "t", &a) == -EINVAL);
	if (desc->action) {
		ktest_fail(ctx, __FILE__, __LINE__, "GSI %d is in use", TEST_GSI);
		return;
	}
	KT_EXPECT(ctx, request_irq(TEST_GSI, probe_handler, 0, "ktest-a", &a) == 0);
	v = desc->vector;
	KT_EXPECT(ctx, v >= FIRST_DEVICE_VECTOR && v <= LAST_DEVICE_VECTOR);
	expect_routed(ctx, v);
	KT_EXPECT(ctx, request_irq(TEST_GSI, probe_handler, IRQF_SHARED,
				   "ktest-b", &b) == -EBUSY);
	count = desc->count[cpu];
	KT_EXPECT(ctx, fire(v, &a, 1));
	KT_EXPECT(ctx, a.in_irq && a.irqs_off && a.irq == TEST_GSI);
	KT_EXPECT(ctx, desc->count[cpu] == count + 1);
	KT_EXPECT(ctx, !in_interrupt());
	free_irq(TEST_GSI, &a);
	KT_EXPECT(ctx, desc->vector == 0 && desc->action == NULL);
	KT_EXPECT(ctx, ioapic_read_entry(TEST_GSI) & (1ULL << 16)); /* mask */

	/* Two handlers that both say IRQF_SHARED: one vector, both run. */
	a.calls = 0;
	KT_EXPECT(ctx, request_irq(TEST_GSI, probe_handler, IRQF_SHARED, "ktest-a", &a) == 0);
	KT_EXPECT(ctx, request_irq(TEST_GSI, probe_handler, IRQF_SHARED, "ktest-b", &b) == 0);
	v = desc->vector;
	KT_EXPECT(ctx, fire(v, &b, 1) && a.calls == 1);
	free_irq(TEST_GSI, &a);
	KT_EXPECT(ctx, desc->vector == v);		/* b still has it */
	expect_routed(ctx, v);
	free_irq(TEST_GSI, &b);
	KT_EXPECT(ctx, desc->vector == 0 && desc->action == NULL);
}

static bool isa_override(unsigned int irq)
{
	unsigned int i;

	for (i = 0; i < acpi_madt.nr_overrides; i++)
		if (acpi_madt.overrides[i].source == irq)
			return true;
	return false;
}

KTEST(irq_accounting)
{
	u64 unexpected = this_cpu()->irq_unexpected;
	u64 spurious = this_cpu()->irq_spurious;
	struct irq_line_mode mode;
	unsigned int i;

	KTEST_REQUIRE(ctx, lapic_available(), "the local APIC (lab 3's ioremap)");
	KT_EXPECT(ctx, fire(UNOWNED_VECTOR, NULL, 0));
	for (i = 0; i < SPIN_LIMIT &&
		    this_cpu()->irq_unexpected == unexpected; i++)
		cpu_relax();
	KT_EXPECT(ctx, this_cpu()->irq_unexpected == unexpected + 1);
	KT_EXPECT(ctx, !lapic_in_service(UNOWNED_VECTOR));	/* EOI'd */
	__asm__ __volatile__("int $0xff" ::: "memory");	/* as the APIC would */
	KT_EXPECT(ctx, this_cpu()->irq_spurious == spurious + 1);
	/* ISA IRQs: the MADT's overrides, else identity, edge, active high. */
	for (i = 1; i < NR_ISA_IRQS; i++)
		if (!isa_override(i))
			KT_EXPECT(ctx, irq_to_gsi(i, &mode) == i &&
				       !mode.level && !mode.active_low);
	for (i = 0; i < acpi_madt.nr_overrides; i++)
		KT_EXPECT(ctx, irq_to_gsi(acpi_madt.overrides[i].source,
					  &mode) == acpi_madt.overrides[i].gsi);
}

static void expect_unmapped(struct ktest_ctx *ctx, unsigned long va)
{
	enum pg_level level;

	KT_EXPECT(ctx, pgtable_lookup(init_pgd, va, &level) == NULL);
}

KTEST(irq_ioremap)
{
	phys_addr_t pa = acpi_hpet_address();
	enum pg_level level;
	unsigned long va;
	pte_t *pte;
	void *p;

	KTEST_REQUIRE(ctx, kernel_page_tables_active(), "the kernel page tables (lab 3)");
	if (!pa)
		pa = 0xfec00000;	/* no HPET: the I/O APIC's page */
	p = ioremap(pa + 0xf0, 8);
	KT_EXPECT(ctx, p != NULL);
	if (!p)
		return;
	va = (unsigned long)p;
	KT_EXPECT(ctx, va % PAGE_SIZE == (pa + 0xf0) % PAGE_SIZE);
	KT_EXPECT(ctx, is_vmalloc_addr(p));
	pte = pgtable_lookup(init_pgd, va, &level);
	KT_EXPECT(ctx, pte && level == PG_LEVEL_4K);
	if (pte) {
		KT_EXPECT(ctx, entry_phys(*pte) == ALIGN_DOWN(pa, PAGE_SIZE));
		KT_EXPECT(ctx, (*pte & _PAGE_PCD) && (*pte & _PAGE_PWT));
		KT_EXPECT(ctx, (*pte & _PAGE_NX) && (*pte & _PAGE_RW));
		KT_EXPECT(ctx, !(*pte & _PAGE_USER));
	}
	expect_unmapped(ctx, ALIGN_DOWN(va, PAGE_SIZE) - PAGE_SIZE);
	expect_unmapped(ctx, ALIGN_DOWN(va, PAGE_SIZE) + PAGE_SIZE);
	if (acpi_hpet_address())	/* the HPET's main counter runs */
		KT_EXPECT(ctx, readl(p) != readl(p) || readl(p) != 0);
	iounmap(p);
	expect_unmapped(ctx, va);
}

/* ---- the benchmark ---- */

#define BENCH_IPIS	20000
#define BENCH_MAX_GAPS	64	/* ticks measured, at most */

static irqreturn_t nop_handler(int irq, void *dev)
{
	(*(volatile unsigned int *)dev)++;
	(void)irq;
	return IRQ_HANDLED;
}

/* The tick runs: one arrives within 100 ms (of the raw clock). */
static bool tick_seen(void)
{
	u64 seen = this_cpu()->irq_timer;
	unsigned int ms;

	if (!tick_running() || !clock_ready() || irqs_disabled())
		return false;
	for (ms = 0; ms < 100 && this_cpu()->irq_timer == seen; ms++)
		mdelay(1);
	return this_cpu()->irq_timer != seen;
}

/* Cycles per self-IPI handled by a handler that only counts. */
static u64 bench_self_ipi(unsigned int vector, volatile unsigned int *count)
{
	u64 t0, t1;
	unsigned int i, j;

	t0 = get_cycles_ordered();
	for (i = 0; i < BENCH_IPIS; i++) {
		lapic_self_ipi(vector);
		for (j = 0; j < SPIN_LIMIT && *count <= i; j++)
			cpu_relax();
	}
	t1 = get_cycles_ordered();
	return (t1 - t0) / BENCH_IPIS;
}

static void sort_u64(u64 *v, unsigned int n)
{
	unsigned int i, j;
	u64 x;

	for (i = 1; i < n; i++) {
		for (x = v[i], j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/*
 * Spin reading the TSC for @ns.  A tick that arrives between two reads
 * shows as a step much longer than the loop's own, and as a change of
 * this CPU's timer-interrupt count: only such steps are recorded, so
 * other interruptions (the host preempting QEMU, say) are not counted.
 * Returns the number of steps kept in @gaps (cycles each).
 */
static unsigned int bench_gaps(u64 ns, u64 *gaps)
{
	volatile u64 *timer_irqs = &this_cpu()->irq_timer;
	u64 end = ktime_get() + ns, prev, now, seen = *timer_irqs;
	unsigned int n = 0;

	prev = get_cycles();
	while (ktime_get() < end && n < BENCH_MAX_GAPS) {
		now = get_cycles();
		if (*timer_irqs != seen) {
			seen = *timer_irqs;
			gaps[n++] = now - prev;
		}
		prev = now;
	}
	return n;
}

KTEST_FLAGS(irq_bench, KTEST_MANUAL)
{
	struct irq_desc *desc = irq_to_desc(TEST_GSI);
	volatile unsigned int count = 0;
	u64 c0, k0, per_ipi, gaps[BENCH_MAX_GAPS], ticks, ns_per_kcyc;
	unsigned int n;

	KTEST_REQUIRE(ctx, have_ioapic() && tick_seen() && ktime_get(),
		      "interrupts, the tick and ktime_get (lab 4)");
	c0 = get_cycles_ordered();
	k0 = ktime_get();
	KT_EXPECT(ctx, request_irq(TEST_GSI, nop_handler, 0, "bench", (void *)&count) == 0);
	per_ipi = bench_self_ipi(desc->vector, &count);
	free_irq(TEST_GSI, (void *)&count);
	ticks = this_cpu()->irq_timer;
	n = bench_gaps(NSEC_PER_SEC / 2, gaps);
	ticks = this_cpu()->irq_timer - ticks;
	/* ns per 1000 cycles, from the clock over the whole run. */
	ns_per_kcyc = (ktime_get() - k0) * 1000 / (get_cycles_ordered() - c0);
	KT_EXPECT(ctx, count == BENCH_IPIS);
	KT_EXPECT(ctx, n > 0);
	if (!n)
		return;
	sort_u64(gaps, n);
	printk("# irq_bench: self-IPI round trip: %llu cycles (%llu ns) per interrupt, %u interrupts\n",
	       (unsigned long long)per_ipi,
	       (unsigned long long)(per_ipi * ns_per_kcyc / 1000), BENCH_IPIS);
	printk("# irq_bench: timer tick: %llu cycles (%llu ns) per tick interrupt (median of %u; min %llu, max %llu cycles); %llu ticks in 0.5 s\n",
	       (unsigned long long)gaps[n / 2],
	       (unsigned long long)(gaps[n / 2] * ns_per_kcyc / 1000), n,
	       (unsigned long long)gaps[0], (unsigned long long)gaps[n - 1],
	       (unsigned long long)ticks);
	irq_print_stats();
}
