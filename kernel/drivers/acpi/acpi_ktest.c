/*
 * acpi_ktest.c — in-kernel tests of the ACPI tables (ktest=acpi_…).
 *
 *	acpi_tables  the RSDP and every table it leads to have valid
 *	             checksums; the FADT and the MADT are there
 *	acpi_madt    the MADT lists at least one CPU (the boot CPU among
 *	             them) and one I/O APIC; every override lands on an I/O
 *	             APIC pin.  Prints `# acpi: MADT: N CPUs …`, which the
 *	             grader compares with QEMU's -smp.
 *	acpi_s5      \_S5 was found in the DSDT with sleep types 0–7
 *
 * acpi_madt skips while madt_parse_entry() is a lab 4 stub.
 */
#include <kestrel/acpi.h>
#include <kestrel/ktest.h>
#include <kestrel/percpu.h>
#include <kestrel/printk.h>
#include <kestrel/string.h>

static const char *const required[] = { "FACP", "APIC" };

KTEST(acpi_tables)
{
	const struct acpi_table_header *t;
	unsigned int i;
	bool valid;

	KT_EXPECT(ctx, acpi_rsdp_address() != 0);
	KT_EXPECT(ctx, acpi_table_count() >= 3);
	for (i = 0; i < ARRAY_SIZE(required); i++) {
		t = acpi_get_table(required[i], 0);
		if (!t) {
			ktest_fail(ctx, __FILE__, __LINE__, "no valid %s table",
				   required[i]);
			continue;
		}
		KT_EXPECT(ctx, memcmp(t->signature, required[i], 4) == 0);
		KT_EXPECT(ctx, t->length >= sizeof(*t));
	}
	/* Each table the root lists: checked again, byte by byte. */
	for (i = 0; (t = acpi_table_by_index(i, &valid)) != NULL; i++) {
		if (!valid || !acpi_checksum_ok(t, t->length))
			ktest_fail(ctx, __FILE__, __LINE__,
				   "table %u (%.4s) has a bad checksum", i,
				   t->signature);
	}
	printk("# acpi: %u tables, RSDP at 0x%llx\n", acpi_table_count(),
	       (unsigned long long)acpi_rsdp_address());
}

/* Whether some I/O APIC of the MADT has a pin for @gsi (24 pins assumed). */
static bool gsi_on_ioapic(u32 gsi)
{
	unsigned int i;

	for (i = 0; i < acpi_madt.nr_ioapics; i++)
		if (gsi >= acpi_madt.ioapics[i].gsi_base &&
		    gsi < acpi_madt.ioapics[i].gsi_base + 240)
			return true;
	return false;
}

KTEST(acpi_madt)
{
	const struct acpi_madt_info *m = &acpi_madt;
	bool boot_cpu_listed = false;
	unsigned int i;

	KTEST_REQUIRE(ctx, m->nr_cpus || m->nr_ioapics,
		      "MADT parsing, madt_parse_entry() (lab 4)");
	KT_EXPECT(ctx, m->nr_cpus >= 1);
	KT_EXPECT(ctx, m->nr_ioapics >= 1);
	KT_EXPECT(ctx, m->lapic_address != 0);
	for (i = 0; i < m->nr_cpus; i++)
		if (m->cpus[i].apic_id == this_cpu()->apic_id)
			boot_cpu_listed = true;
	KT_EXPECT(ctx, boot_cpu_listed);
	for (i = 0; i < m->nr_ioapics; i++)
		KT_EXPECT(ctx, m->ioapics[i].address != 0);
	for (i = 0; i < m->nr_overrides; i++) {
		KT_EXPECT(ctx, m->overrides[i].source < 16);
		KT_EXPECT(ctx, gsi_on_ioapic(m->overrides[i].gsi));
		/* Polarity 10b is reserved (§5.2.12.5). */
		KT_EXPECT(ctx, (m->overrides[i].flags & 3) != 2);
	}
	printk("# acpi: MADT: %u CPUs, %u I/O APICs, %u overrides\n",
	       m->nr_cpus, m->nr_ioapics, m->nr_overrides);
}

KTEST(acpi_s5)
{
	u8 a, b;

	KT_EXPECT(ctx, acpi_get_table("FACP", 0) != NULL);
	KT_EXPECT(ctx, acpi_s5_sleep_type(&a, &b));
	KT_EXPECT(ctx, a < 8 && b < 8);
}
