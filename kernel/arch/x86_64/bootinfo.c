/*
 * bootinfo.c — reading what GRUB (Multiboot2) or QEMU (PVH) left for us.
 *
 * Both protocols hand over a physical address; everything below 4 GiB is
 * reachable through the boot page tables' direct map (__va).  The result is
 * the protocol-neutral struct boot_info (kestrel/boot.h): the command line,
 * the memory map sorted by address, the initrd, and the ACPI RSDP.
 *
 * Multiboot2 (spec 2.0, §3.6): a u32 total size, a u32 reserved word, then
 * tags, each starting on an 8-byte boundary with a u32 type and a u32 size
 * (header included), ended by a tag of type 0.  ACPI tags carry a *copy* of
 * the RSDP, so the RSDP's address is inside the boot information.
 *
 * PVH (Xen public/arch-x86/hvm/start_info.h): struct hvm_start_info, with
 * the command line, a module list (the first module is the initrd) and,
 * from version 1, an e820-style memory map.
 */
#include <asm/boot.h>
#include <asm/page.h>
#include <kestrel/boot.h>
#include <kestrel/compiler.h>
#include <kestrel/errno.h>
#include <kestrel/string.h>

struct boot_info boot_info;

/* Multiboot2 tag types, spec §3.6.1 … §3.6.16 */
#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER_NAME	2
#define MB2_TAG_MODULE		3
#define MB2_TAG_MMAP		6
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15

struct mb2_tag {
	u32 type;
	u32 size;	/* bytes, including this header */
};

struct mb2_module {
	struct mb2_tag tag;
	u32 mod_start, mod_end;	/* physical, end exclusive */
	char cmdline[];
};

struct mb2_mmap {
	struct mb2_tag tag;
	u32 entry_size;		/* bytes per entry, ≥ 24 */
	u32 entry_version;
};

struct mb2_mmap_entry {
	u64 base_addr, length;
	u32 type;		/* 1 usable, 3 ACPI, 4 NVS, 5 bad, else reserved */
	u32 reserved;
};

/* PVH, start_info.h */
struct hvm_start_info {
	u32 magic;		/* HVM_START_MAGIC */
	u32 version;
	u32 flags;
	u32 nr_modules;
	u64 modlist_paddr;
	u64 cmdline_paddr;
	u64 rsdp_paddr;
	u64 memmap_paddr;	/* version ≥ 1 */
	u32 memmap_entries;
	u32 reserved;
};

struct hvm_modlist_entry {
	u64 paddr, size, cmdline_paddr, reserved;
};

struct hvm_memmap_entry {
	u64 addr, size;
	u32 type, reserved;
};

static void add_mem(struct boot_info *bi, u64 base, u64 len, u32 type)
{
	unsigned int i;

	if (bi->nr_mem == BOOT_MEM_MAX || len == 0)
		return;
	if (type < BOOT_MEM_USABLE || type > BOOT_MEM_BAD)
		type = BOOT_MEM_RESERVED;
	/* Insertion keeps the map sorted by base address. */
	for (i = bi->nr_mem; i > 0 && bi->mem[i - 1].base > base; i--)
		bi->mem[i] = bi->mem[i - 1];
	bi->mem[i] = (struct boot_mem_range){ base, len, type };
	bi->nr_mem++;
}

static void parse_mb2_mmap(struct boot_info *bi, const struct mb2_mmap *m)
{
	const u8 *p = (const u8 *)(m + 1);
	const u8 *end = (const u8 *)m + m->tag.size;

	if (m->entry_size < sizeof(struct mb2_mmap_entry))
		return;
	for (; p + m->entry_size <= end; p += m->entry_size) {
		const struct mb2_mmap_entry *e = (const void *)p;

		add_mem(bi, e->base_addr, e->length, e->type);
	}
}

static void parse_mb2_tag(struct boot_info *bi, const struct mb2_tag *tag)
{
	const struct mb2_module *mod;

	switch (tag->type) {
	case MB2_TAG_CMDLINE:
		strscpy(bi->cmdline, (const char *)(tag + 1), sizeof(bi->cmdline));
		break;
	case MB2_TAG_LOADER_NAME:
		bi->loader = (const char *)(tag + 1);
		break;
	case MB2_TAG_MODULE:
		mod = (const void *)tag;
		if (!bi->initrd_start) {
			bi->initrd_start = mod->mod_start;
			bi->initrd_size = mod->mod_end - mod->mod_start;
		}
		break;
	case MB2_TAG_MMAP:
		parse_mb2_mmap(bi, (const void *)tag);
		break;
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		/* The newer (XSDT-capable) copy wins when both are present. */
		if (!bi->acpi_rsdp || tag->type == MB2_TAG_ACPI_NEW)
			bi->acpi_rsdp = __pa(tag + 1);
		break;
	}
}

static int parse_multiboot2(struct boot_info *bi, phys_addr_t info)
{
	const u8 *base = __va(info);
	u32 total = *(const u32 *)base;
	u32 off = 8;

	bi->protocol = "multiboot2";
	bi->info_start = info;
	bi->info_end = info + total;
	while (off + sizeof(struct mb2_tag) <= total) {
		const struct mb2_tag *tag = (const void *)(base + off);

		if (tag->type == MB2_TAG_END || tag->size < sizeof(*tag))
			break;
		parse_mb2_tag(bi, tag);
		off += ALIGN_UP(tag->size, 8);
	}
	return bi->nr_mem ? 0 : -EINVAL;
}

static int parse_pvh(struct boot_info *bi, phys_addr_t info)
{
	const struct hvm_start_info *si = __va(info);
	const struct hvm_memmap_entry *mm;
	const struct hvm_modlist_entry *mod;
	unsigned int i;

	bi->protocol = "pvh";
	if (si->magic != HVM_START_MAGIC)
		return -EINVAL;
	bi->info_start = info;
	bi->info_end = info + sizeof(*si);
	if (si->cmdline_paddr)
		strscpy(bi->cmdline, __va(si->cmdline_paddr), sizeof(bi->cmdline));
	if (si->nr_modules && si->modlist_paddr) {
		mod = __va(si->modlist_paddr);
		bi->initrd_start = mod->paddr;
		bi->initrd_size = mod->size;
	}
	bi->acpi_rsdp = si->rsdp_paddr;
	if (si->version < 1 || !si->memmap_paddr)
		return -EINVAL;
	mm = __va(si->memmap_paddr);
	for (i = 0; i < si->memmap_entries; i++)
		add_mem(bi, mm[i].addr, mm[i].size, mm[i].type);
	return bi->nr_mem ? 0 : -EINVAL;
}

int arch_parse_boot_info(struct boot_info *bi, unsigned long proto,
			 unsigned long info)
{
	switch (proto) {
	case BOOT_PROTO_MULTIBOOT2:
		return parse_multiboot2(bi, info);
	case BOOT_PROTO_PVH:
		return parse_pvh(bi, info);
	default:
		bi->protocol = "unknown";
		return -EINVAL;
	}
}
