/*
 * kestrel/acpi.h — the firmware's description of the machine (ACPI).
 *
 * The firmware leaves a tree of tables in memory.  Its root is the RSDP
 * ("Root System Description Pointer"), which the boot loader hands over
 * (struct boot_info.acpi_rsdp) or which is found by scanning the BIOS
 * areas; it points to the RSDT (32-bit table addresses) or, from ACPI 2.0
 * on, the XSDT (64-bit).  Each table starts with the same 36-byte header
 * (a 4-letter signature, the length, a checksum); the kernel reads a few:
 *
 *	RSDP ─> XSDT ─┬─> "APIC" MADT: the local APICs (one per CPU), the
 *	              │   I/O APICs, the ISA interrupt overrides
 *	              ├─> "HPET" the HPET's registers
 *	              └─> "FACP" FADT: the power-management registers, the
 *	                  reset register, the RTC century index ─> DSDT (AML
 *	                  bytecode; only its \_S5 package is read, for poweroff)
 *
 * A table is trusted only if its checksum is right: all its bytes sum to 0
 * modulo 256.  acpi_init() validates and remembers what it needs, once, on
 * the boot CPU; everything here is read-only afterwards and needs no lock.
 * Kestrel has no AML interpreter: the one object it needs from the DSDT is
 * found by a careful byte-level search (kernel/drivers/acpi/sleep.c).
 *
 * Sources: ACPI Specification 6.5/6.6 (section numbers identical in both):
 * §5.2.5 RSDP, §5.2.6 table header, §5.2.7 RSDT, §5.2.8 XSDT, §5.2.9
 * FADT, §5.2.12 MADT, §5.2.3.2 Generic Address Structure; IA-PC HPET
 * Specification 1.0a §3.2.4 (the HPET table).
 */
#ifndef KESTREL_ACPI_H
#define KESTREL_ACPI_H

#include <kestrel/compiler.h>
#include <kestrel/percpu.h>
#include <kestrel/types.h>

/* The header every system description table starts with (§5.2.6). */
struct acpi_table_header {
	char signature[4];	/* "APIC", "FACP", "HPET", … */
	u32 length;		/* bytes, header included */
	u8 revision;
	u8 checksum;		/* makes the sum of all bytes 0 (mod 256) */
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __packed;

/* Generic Address Structure (§5.2.3.2): where a register lives. */
struct acpi_gas {
	u8 space_id;		/* ACPI_SPACE_* */
	u8 bit_width;		/* register width in bits */
	u8 bit_offset;
	u8 access_size;		/* 0 any, 1 byte, 2 word, 3 dword, 4 qword */
	u64 address;
} __packed;

#define ACPI_SPACE_MEMORY	0	/* system memory */
#define ACPI_SPACE_IO		1	/* system I/O ports */
#define ACPI_SPACE_PCI_CONFIG	2

/* What the MADT says (§5.2.12), as acpi_init() keeps it. */
#define ACPI_MAX_IOAPICS	8
#define ACPI_MAX_OVERRIDES	16

/* MPS INTI flags of an interrupt source override (§5.2.12.5). */
#define ACPI_POLARITY_MASK	0x3	/* bits 1:0 */
#define ACPI_POLARITY_CONFORMS	0x0	/*   as the bus (ISA: active high) */
#define ACPI_POLARITY_HIGH	0x1
#define ACPI_POLARITY_LOW	0x3
#define ACPI_TRIGGER_MASK	0xc	/* bits 3:2 */
#define ACPI_TRIGGER_CONFORMS	0x0	/*   as the bus says (ISA: edge) */
#define ACPI_TRIGGER_EDGE	0x4
#define ACPI_TRIGGER_LEVEL	0xc

struct acpi_cpu {
	u32 apic_id;		/* local APIC ID (x2APIC ID if from type 9) */
	u32 uid;		/* ACPI processor UID */
};

struct acpi_ioapic {
	u32 id;			/* I/O APIC ID */
	u32 address;		/* physical address of its registers */
	u32 gsi_base;		/* GSI of its first input pin */
};

struct acpi_override {
	u8 source;		/* the ISA IRQ */
	u32 gsi;		/* the GSI it is wired to */
	u16 flags;		/* ACPI_POLARITY_* | ACPI_TRIGGER_* */
};

/**
 * struct acpi_madt_info - the interrupt hardware, from the MADT
 * @lapic_address: physical address of every CPU's local APIC (xAPIC mode)
 * @pcat_compat: the machine also has the two 8259 PICs (flag bit 0), which
 *               must be masked when the APICs are used
 * @cpus: usable CPUs (enabled or online-capable), firmware order, boot CPU
 *        first; @nr_cpus counts them (at most NR_CPUS are kept)
 * @ioapics, @nr_ioapics: the I/O APICs
 * @overrides, @nr_overrides: ISA IRQs not wired to the GSI of their number,
 *        or not active-high edge-triggered
 */
struct acpi_madt_info {
	u64 lapic_address;
	bool pcat_compat;
	unsigned int nr_cpus;
	struct acpi_cpu cpus[NR_CPUS];
	unsigned int nr_ioapics;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	unsigned int nr_overrides;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
};

/* Filled in by acpi_init(); all zero when there is no valid MADT. */
extern struct acpi_madt_info acpi_madt;

/**
 * acpi_init - find the RSDP, validate the RSDT/XSDT and every table it
 * lists, parse the MADT, the FADT and the HPET table, find \_S5 in the
 * DSDT.  Prints one line per table.  Call once on the boot CPU, after
 * paging_init() (tables are read through the direct map, or ioremap()
 * where it does not reach).  Without ACPI the kernel still boots: later
 * code sees an empty MADT and no HPET.
 */
void acpi_init(void);

/**
 * acpi_get_table - the @instance-th (0 = first) validated table with
 * signature @sig ("APIC"), mapped, or NULL.  Context: any, after acpi_init.
 */
const struct acpi_table_header *acpi_get_table(const char *sig,
					       unsigned int instance);

/** acpi_table_count - how many tables the RSDT/XSDT lists (valid or not). */
unsigned int acpi_table_count(void);

/**
 * acpi_table_by_index - the @i-th table the RSDT/XSDT lists (mapped), or
 * NULL past the end; *@valid says whether its checksum was right.
 */
const struct acpi_table_header *acpi_table_by_index(unsigned int i,
						    bool *valid);

/** acpi_checksum_ok - whether the @len bytes at @p sum to 0 (mod 256). */
bool acpi_checksum_ok(const void *p, size_t len);

/** acpi_rsdp_address - the physical address of the RSDP used, or 0. */
phys_addr_t acpi_rsdp_address(void);

/** acpi_hpet_address - physical base of the HPET's registers, or 0. */
phys_addr_t acpi_hpet_address(void);

/** acpi_rtc_century - the CMOS index of the RTC's century byte, or 0. */
u8 acpi_rtc_century(void);

/**
 * acpi_power_off - enter S5 (soft off): write SLP_TYP(\_S5) | SLP_EN to the
 * PM1 control registers (§4.8.3.2, §7.4.2.6).  Returns only if that did
 * not turn the machine off (-ENODEV: no FADT or no \_S5; -EIO: still on).
 * acpi_reset - write the FADT's reset value to its reset register
 * (§4.8.3.6); returns -ENODEV when there is none, -EIO if still running.
 * Interrupts off; any CPU.
 */
int acpi_power_off(void);
int acpi_reset(void);

/** acpi_s5_sleep_type - SLP_TYPa/b of \_S5 (tests); false if unknown. */
bool acpi_s5_sleep_type(u8 *slp_typa, u8 *slp_typb);

#endif
