/*
 * madt.c — the Multiple APIC Description Table: which interrupt
 * controllers the machine has (ACPI 6.5 §5.2.12).
 *
 * After the table header come the address of the local APICs, a flags
 * word, then a list of variable-length entries, each starting with its
 * type and its length in bytes:
 *
 *	36  local APIC address (u32)   40  flags (bit 0 PCAT_COMPAT)
 *	44  entry: [type u8][length u8][… length-2 bytes …]  entry  entry …
 *
 * The entries Kestrel reads (offsets from the start of the entry):
 *
 *   type 0  Processor Local APIC (§5.2.12.2), 8 bytes
 *	2 ACPI processor UID (u8)   3 APIC ID (u8)   4 flags (u32):
 *	  bit 0 Enabled, bit 1 Online Capable (may be enabled later);
 *	  neither set: the CPU is not usable, skip it
 *   type 1  I/O APIC (§5.2.12.3), 12 bytes
 *	2 I/O APIC ID (u8)   3 reserved   4 address (u32)   8 GSI base (u32)
 *   type 2  Interrupt Source Override (§5.2.12.5), 10 bytes
 *	2 bus (u8, 0 = ISA)   3 source: the ISA IRQ (u8)   4 GSI (u32)
 *	8 MPS INTI flags (u16): polarity bits 1:0, trigger mode bits 3:2
 *	  (ACPI_POLARITY_*, ACPI_TRIGGER_* in kestrel/acpi.h)
 *   type 5  Local APIC Address Override (§5.2.12.8), 12 bytes
 *	4 the local APICs' 64-bit address, replacing the one at offset 36
 *   type 9  Processor Local x2APIC (§5.2.12.12), 16 bytes
 *	4 x2APIC ID (u32)   8 flags (u32, as type 0)   12 ACPI UID (u32)
 *
 * Every other type is skipped by its length.  ISA IRQs without an
 * override are wired to the GSI of the same number, active high, edge
 * triggered ("identity-mapped into the first I/O APIC sources", §5.2.12.5).
 * On QEMU's q35 the table says: one local APIC per -smp CPU, one I/O APIC
 * at 0xfec00000 with GSIs 0–23, and overrides IRQ 0 → GSI 2 (the PIT is
 * wired to pin 2) and IRQs 5, 9, 10, 11 → level-triggered, active high.
 */
#include <kestrel/printk.h>
#include <kestrel/string.h>
#include "internal.h"

#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_OVERRIDE		2
#define MADT_LAPIC_OVERRIDE	5
#define MADT_X2APIC		9

#define MADT_CPU_ENABLED	(1U << 0)
#define MADT_CPU_ONLINE_CAPABLE	(1U << 1)
#define MADT_PCAT_COMPAT	(1U << 0)

struct acpi_table_madt {
	struct acpi_table_header header;
	u32 lapic_address;
	u32 flags;
} __packed;

/* Every entry starts with these two bytes. */
struct acpi_subtable_header {
	u8 type;
	u8 length;		/* bytes, these two included */
} __packed;

struct madt_lapic {
	struct acpi_subtable_header h;
	u8 uid;
	u8 apic_id;
	u32 flags;
} __packed;

struct madt_ioapic {
	struct acpi_subtable_header h;
	u8 id;
	u8 reserved;
	u32 address;
	u32 gsi_base;
} __packed;

struct madt_override {
	struct acpi_subtable_header h;
	u8 bus;
	u8 source;
	u32 gsi;
	u16 flags;
} __packed;

struct madt_lapic_override {
	struct acpi_subtable_header h;
	u16 reserved;
	u64 address;
} __packed;

struct madt_x2apic {
	struct acpi_subtable_header h;
	u16 reserved;
	u32 apic_id;
	u32 flags;
	u32 uid;
} __packed;

struct acpi_madt_info acpi_madt;

#if SOL >= 4
static void add_cpu(struct acpi_madt_info *info, u32 apic_id, u32 uid,
		    u32 flags)
{
	if (!(flags & (MADT_CPU_ENABLED | MADT_CPU_ONLINE_CAPABLE)))
		return;
	if (info->nr_cpus == NR_CPUS) {
		pr_warn("acpi: more than %d CPUs; APIC ID %u ignored\n",
			NR_CPUS, apic_id);
		return;
	}
	info->cpus[info->nr_cpus++] = (struct acpi_cpu){ apic_id, uid };
}
#endif

/**
 * madt_parse_entry - record what one MADT entry says in @info.
 * @e: the entry; its length has been checked to lie inside the table,
 *     but not to be long enough for its type
 *
 * Types 0 and 9 add a usable CPU (enabled or online-capable), type 1 an
 * I/O APIC, type 2 an override for an ISA IRQ (bus 0), type 5 replaces
 * the local APIC address.  Entries shorter than their type's structure,
 * and entries beyond the arrays' room, are ignored.
 */
static void madt_parse_entry(struct acpi_madt_info *info,
			     const struct acpi_subtable_header *e)
{
#if SOL >= 4
	const struct madt_ioapic *io = (const void *)e;
	const struct madt_override *ov = (const void *)e;
	const struct madt_lapic *la = (const void *)e;
	const struct madt_x2apic *x2 = (const void *)e;
	const struct madt_lapic_override *lo = (const void *)e;

	switch (e->type) {
	case MADT_LAPIC:
		if (e->length >= sizeof(*la))
			add_cpu(info, la->apic_id, la->uid, la->flags);
		break;
	case MADT_X2APIC:
		if (e->length >= sizeof(*x2))
			add_cpu(info, x2->apic_id, x2->uid, x2->flags);
		break;
	case MADT_IOAPIC:
		if (e->length < sizeof(*io) ||
		    info->nr_ioapics == ACPI_MAX_IOAPICS)
			break;
		info->ioapics[info->nr_ioapics++] = (struct acpi_ioapic){
			io->id, io->address, io->gsi_base };
		break;
	case MADT_OVERRIDE:
		if (e->length < sizeof(*ov) || ov->bus != 0 ||
		    info->nr_overrides == ACPI_MAX_OVERRIDES)
			break;
		info->overrides[info->nr_overrides++] = (struct acpi_override){
			ov->source, ov->gsi, ov->flags };
		break;
	case MADT_LAPIC_OVERRIDE:
		if (e->length >= sizeof(*lo))
			info->lapic_address = lo->address;
		break;
	}
#else
	/*
	 * LAB 4: decode one entry.  Cast @e to the structure of its type
	 * (struct madt_lapic, madt_x2apic, madt_ioapic, madt_override above)
	 * after checking that e->length is at least that structure's size,
	 * and append to @info:
	 *  - types 0 and 9: a CPU, only if its flags say Enabled or Online
	 *    Capable, into info->cpus[info->nr_cpus++] (at most NR_CPUS);
	 *  - type 1: an I/O APIC into info->ioapics[] (ACPI_MAX_IOAPICS);
	 *  - type 2: an override into info->overrides[] (ACPI_MAX_OVERRIDES),
	 *    only for bus 0 (ISA);
	 *  - type 5 (optional): the 64-bit local APIC address.
	 * Ignore every other type.  Until this works the kernel finds no
	 * I/O APIC: no device interrupts, no serial input.
	 */
	(void)info;
	(void)e;
#endif
}

/* "IRQ0->GSI2 IRQ9->GSI9(level,high) …" for the summary line. */
static void print_overrides(const struct acpi_madt_info *info)
{
	static const char *const pol[] = { "", "high", "?", "low" };
	static const char *const trig[] = { "", "edge", "?", "level" };
	unsigned int i;

	for (i = 0; i < info->nr_overrides; i++) {
		const struct acpi_override *o = &info->overrides[i];
		unsigned int p = o->flags & ACPI_POLARITY_MASK;
		unsigned int t = (o->flags & ACPI_TRIGGER_MASK) >> 2;

		pr_info("acpi: MADT: override IRQ %u -> GSI %u%s%s%s%s%s\n",
			o->source, o->gsi, p || t ? " (" : "", trig[t],
			p && t ? ", active " : p ? "active " : "", pol[p],
			p || t ? ")" : "");
	}
}

static void print_madt(const struct acpi_madt_info *info)
{
	unsigned int i;

	pr_info("acpi: MADT: %u CPU%s, local APICs at 0x%llx%s\n",
		info->nr_cpus, info->nr_cpus == 1 ? "" : "s",
		(unsigned long long)info->lapic_address,
		info->pcat_compat ? ", dual 8259 PICs" : "");
	for (i = 0; i < info->nr_cpus; i++)
		pr_info("acpi: MADT: CPU %u: APIC ID %u (ACPI UID %u)\n", i,
			info->cpus[i].apic_id, info->cpus[i].uid);
	for (i = 0; i < info->nr_ioapics; i++)
		pr_info("acpi: MADT: I/O APIC ID %u at 0x%x, GSI base %u\n",
			info->ioapics[i].id, info->ioapics[i].address,
			info->ioapics[i].gsi_base);
	print_overrides(info);
}

void acpi_parse_madt(const struct acpi_table_header *hdr)
{
	const struct acpi_table_madt *madt = (const void *)hdr;
	const u8 *p = (const u8 *)(madt + 1);
	const u8 *end = (const u8 *)hdr + hdr->length;

	if (hdr->length < sizeof(*madt)) {
		pr_warn("acpi: MADT too short (%u bytes)\n", hdr->length);
		return;
	}
	memset(&acpi_madt, 0, sizeof(acpi_madt));
	acpi_madt.lapic_address = madt->lapic_address;
	acpi_madt.pcat_compat = madt->flags & MADT_PCAT_COMPAT;
	while (p + sizeof(struct acpi_subtable_header) <= end) {
		const struct acpi_subtable_header *e = (const void *)p;

		if (e->length < sizeof(*e) || p + e->length > end) {
			pr_warn("acpi: MADT entry at offset %ld has a bad length %u\n",
				(long)(p - (const u8 *)hdr), e->length);
			break;
		}
		madt_parse_entry(&acpi_madt, e);
		p += e->length;
	}
	print_madt(&acpi_madt);
}
