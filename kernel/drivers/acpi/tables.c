/*
 * tables.c — finding and validating the ACPI tables (kestrel/acpi.h).
 *
 * The search, in the order ACPI 6.5 §5.2.5.1 ("Finding the RSDP on IA-PC
 * Systems") gives, after the boot loader's own answer:
 *
 *  1. boot_info.acpi_rsdp: GRUB passes a copy of the RSDP in its Multiboot2
 *     information, QEMU's PVH loader its address;
 *  2. the first KiB of the Extended BIOS Data Area, whose segment the BIOS
 *     stores as a 16-bit word at physical 0x40e;
 *  3. the BIOS read-only area 0xe0000–0xfffff.
 *
 * In 2 and 3 the RSDP sits on a 16-byte boundary and starts with the eight
 * bytes "RSD PTR ".  It is valid when its first 20 bytes sum to 0 (the
 * ACPI 1.0 part) and, for revision 2 and later, all `length` bytes do too.
 * Its layout (§5.2.5.3):
 *
 *	 0  signature "RSD PTR "     8  checksum (of bytes 0–19)
 *	 9  OEM ID [6]              15  revision (0: ACPI 1.0, 2: 2.0 on)
 *	16  RSDT address (u32)      20  length (u32, revision ≥ 2)
 *	24  XSDT address (u64)      32  extended checksum (all bytes)
 *
 * The XSDT (§5.2.8) — or the RSDT (§5.2.7) when there is no XSDT — is a
 * table header followed by an array of 64-bit (32-bit) physical addresses
 * of the other tables.  Every table is mapped, its checksum checked, and
 * kept in tables[] with its verdict; acpi_get_table() hands out only the
 * valid ones.  Firmware tables are RAM below the top of memory, inside the
 * direct map; ioremap() covers a table anywhere else.
 *
 * Runs once on the boot CPU (acpi_init); afterwards the arrays are
 * read-only, so readers need no lock.
 */
#include <asm/page.h>
#include <kestrel/boot.h>
#include <kestrel/io.h>
#include <kestrel/pgtable.h>
#include <kestrel/printk.h>
#include <kestrel/string.h>
#include "internal.h"

#define ACPI_MAX_TABLES		32
#define ACPI_MAX_TABLE_LEN	(1U << 20)	/* bytes; larger is corrupt */
#define EBDA_SEGMENT_PTR	0x40e		/* BDA: EBDA segment (u16) */
#define BIOS_AREA_START		0xe0000
#define BIOS_AREA_END		0x100000

struct acpi_rsdp {
	char signature[8];	/* "RSD PTR " */
	u8 checksum;		/* of the first 20 bytes */
	char oem_id[6];
	u8 revision;
	u32 rsdt_address;
	u32 length;		/* revision ≥ 2: bytes of the whole structure */
	u64 xsdt_address;
	u8 extended_checksum;	/* of all `length` bytes */
	u8 reserved[3];
} __packed;

#define RSDP_V1_LEN	20	/* bytes covered by the first checksum */

static struct acpi_table {
	const struct acpi_table_header *hdr;	/* mapped */
	phys_addr_t pa;
	bool valid;				/* checksum right */
} tables[ACPI_MAX_TABLES];
static unsigned int nr_tables;
static phys_addr_t rsdp_pa;

bool acpi_checksum_ok(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

/* Whether [@pa, @pa + @len) lies inside the direct map. */
static bool in_direct_map(phys_addr_t pa, size_t len)
{
	enum pg_level level;

	return pgtable_lookup(init_pgd, (unsigned long)__va(pa), &level) &&
	       pgtable_lookup(init_pgd, (unsigned long)__va(pa + len - 1),
			      &level);
}

const void *acpi_map(phys_addr_t pa, size_t len)
{
	if (!pa || !len)
		return NULL;
	if (in_direct_map(pa, len))
		return __va(pa);
	return ioremap(pa, len);
}

const struct acpi_table_header *acpi_map_table(phys_addr_t pa)
{
	const struct acpi_table_header *hdr = acpi_map(pa, sizeof(*hdr));
	u32 len;

	if (!hdr)
		return NULL;
	len = hdr->length;
	if (len < sizeof(*hdr) || len > ACPI_MAX_TABLE_LEN)
		return NULL;
	return acpi_map(pa, len);
}

static bool rsdp_valid(const struct acpi_rsdp *r)
{
	if (memcmp(r->signature, "RSD PTR ", 8) != 0 ||
	    !acpi_checksum_ok(r, RSDP_V1_LEN))
		return false;
	if (r->revision < 2)
		return true;
	return r->length >= sizeof(*r) && r->length <= 4096 &&
	       acpi_checksum_ok(r, r->length);
}

/* The first valid RSDP on a 16-byte boundary in [@start, @start + @len). */
static phys_addr_t scan_rsdp(phys_addr_t start, size_t len)
{
	phys_addr_t pa;

	for (pa = ALIGN_UP(start, 16); pa + sizeof(struct acpi_rsdp) <=
	     start + len; pa += 16)
		if (rsdp_valid(__va(pa)))
			return pa;
	return 0;
}

static phys_addr_t find_rsdp(void)
{
	phys_addr_t ebda, pa = boot_info.acpi_rsdp;
	const struct acpi_rsdp *r;

	if (pa) {
		r = acpi_map(pa, sizeof(*r));
		if (r && rsdp_valid(r))
			return pa;
		pr_warn("acpi: the boot loader's RSDP at 0x%llx is not valid; scanning\n",
			(unsigned long long)pa);
	}
	/* The low MiB is in the direct map (and in the boot page tables). */
	ebda = (phys_addr_t)*(const u16 *)__va(EBDA_SEGMENT_PTR) << 4;
	if (ebda >= 0x80000 && ebda < BIOS_AREA_START) {
		pa = scan_rsdp(ebda, 1024);
		if (pa)
			return pa;
	}
	return scan_rsdp(BIOS_AREA_START, BIOS_AREA_END - BIOS_AREA_START);
}

static void add_table(phys_addr_t pa)
{
	const struct acpi_table_header *hdr;
	struct acpi_table *t;

	if (nr_tables == ACPI_MAX_TABLES) {
		pr_warn("acpi: more than %d tables; ignoring the table at 0x%llx\n",
			ACPI_MAX_TABLES, (unsigned long long)pa);
		return;
	}
	hdr = acpi_map_table(pa);
	if (!hdr) {
		pr_warn("acpi: cannot map the table at 0x%llx\n",
			(unsigned long long)pa);
		return;
	}
	t = &tables[nr_tables++];
	t->hdr = hdr;
	t->pa = pa;
	t->valid = acpi_checksum_ok(hdr, hdr->length);
}

static void print_table(const char *sig, phys_addr_t pa,
			const struct acpi_table_header *hdr, bool valid)
{
	pr_info("acpi: %.4s 0x%016llx %6u bytes (v%02u %.6s %.8s)%s\n", sig,
		(unsigned long long)pa, hdr->length, hdr->revision,
		hdr->oem_id, hdr->oem_table_id,
		valid ? "" : " BAD CHECKSUM, ignored");
}

/* Read the RSDT/XSDT and add every table it lists.  Returns 0 or -1. */
static int read_root(const struct acpi_rsdp *r)
{
	bool xsdt = r->revision >= 2 && r->xsdt_address;
	phys_addr_t root = xsdt ? r->xsdt_address : r->rsdt_address;
	size_t entry = xsdt ? 8 : 4, i, n;
	const struct acpi_table_header *hdr = acpi_map_table(root);
	const u8 *p;
	bool valid;

	if (!hdr)
		return -1;
	valid = acpi_checksum_ok(hdr, hdr->length) &&
		memcmp(hdr->signature, xsdt ? "XSDT" : "RSDT", 4) == 0;
	print_table(xsdt ? "XSDT" : "RSDT", root, hdr, valid);
	if (!valid)
		return -1;
	n = (hdr->length - sizeof(*hdr)) / entry;
	p = (const u8 *)(hdr + 1);
	for (i = 0; i < n; i++) {
		u64 pa = 0;

		/* Entries are packed right after the header: not aligned. */
		memcpy(&pa, p + i * entry, entry);
		if (pa)
			add_table(pa);
	}
	return 0;
}

const struct acpi_table_header *acpi_get_table(const char *sig,
					       unsigned int instance)
{
	unsigned int i;

	for (i = 0; i < nr_tables; i++)
		if (tables[i].valid &&
		    memcmp(tables[i].hdr->signature, sig, 4) == 0 &&
		    instance-- == 0)
			return tables[i].hdr;
	return NULL;
}

unsigned int acpi_table_count(void)
{
	return nr_tables;
}

const struct acpi_table_header *acpi_table_by_index(unsigned int i,
						    bool *valid)
{
	if (i >= nr_tables)
		return NULL;
	*valid = tables[i].valid;
	return tables[i].hdr;
}

phys_addr_t acpi_rsdp_address(void)
{
	return rsdp_pa;
}

/* ---- the HPET table (IA-PC HPET specification 1.0a, §3.2.4) ---- */

struct acpi_table_hpet {
	struct acpi_table_header header;
	u32 event_timer_block_id;	/* hardware revision, vendor, timers */
	struct acpi_gas address;	/* the register block; system memory */
	u8 hpet_number;
	u16 min_tick;			/* shortest periodic tick, counts */
	u8 page_protection;
} __packed;

static phys_addr_t hpet_pa;

static void parse_hpet(const struct acpi_table_header *hdr)
{
	const struct acpi_table_hpet *h = (const void *)hdr;

	if (hdr->length < sizeof(*h) ||
	    h->address.space_id != ACPI_SPACE_MEMORY || !h->address.address) {
		pr_warn("acpi: HPET table without a memory address; ignored\n");
		return;
	}
	hpet_pa = h->address.address;
}

phys_addr_t acpi_hpet_address(void)
{
	return hpet_pa;
}

void acpi_init(void)
{
	const struct acpi_table_header *t;
	const struct acpi_rsdp *r;
	unsigned int i;

	rsdp_pa = find_rsdp();
	if (!rsdp_pa) {
		pr_warn("acpi: no RSDP found; no ACPI tables\n");
		return;
	}
	r = acpi_map(rsdp_pa, sizeof(*r));
	pr_info("acpi: RSDP 0x%016llx (v%02u %.6s)\n",
		(unsigned long long)rsdp_pa, r->revision, r->oem_id);
	if (read_root(r) < 0) {
		pr_warn("acpi: the RSDT/XSDT is missing or corrupt; no ACPI tables\n");
		return;
	}
	for (i = 0; i < nr_tables; i++)
		print_table(tables[i].hdr->signature, tables[i].pa,
			    tables[i].hdr, tables[i].valid);
	t = acpi_get_table("APIC", 0);
	if (t)
		acpi_parse_madt(t);
	else
		pr_warn("acpi: no MADT: no I/O APIC, one CPU\n");
	t = acpi_get_table("HPET", 0);
	if (t)
		parse_hpet(t);
	t = acpi_get_table("FACP", 0);
	if (t)
		acpi_sleep_init(t);
	else
		pr_warn("acpi: no FADT: no ACPI poweroff or reset\n");
}
