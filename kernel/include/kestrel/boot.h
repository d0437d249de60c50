/*
 * kestrel/boot.h — what the boot loader told us, in one shape.
 *
 * Each boot protocol (Multiboot2, PVH; on aarch64 the device tree) is
 * parsed by arch code into struct boot_info, the only boot structure
 * generic code reads.  Addresses are physical; sizes are bytes.
 */
#ifndef KESTREL_BOOT_H
#define KESTREL_BOOT_H

#include <kestrel/types.h>

#define BOOT_MEM_MAX		64	/* memory map entries kept */
#define BOOT_CMDLINE_MAX	1024	/* bytes, including the NUL */

enum boot_mem_type {
	BOOT_MEM_USABLE = 1,		/* the e820 / ACPI numbering */
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI_RECLAIM = 3,
	BOOT_MEM_ACPI_NVS = 4,
	BOOT_MEM_BAD = 5,
};

struct boot_mem_range {
	phys_addr_t base;	/* bytes */
	u64 len;		/* bytes */
	u32 type;		/* enum boot_mem_type */
};

struct boot_info {
	const char *protocol;		/* "multiboot2", "pvh" */
	const char *loader;		/* the boot loader's name, or NULL */
	char cmdline[BOOT_CMDLINE_MAX];
	unsigned int nr_mem;
	struct boot_mem_range mem[BOOT_MEM_MAX];	/* sorted by base */
	phys_addr_t initrd_start;	/* 0 when there is none */
	u64 initrd_size;
	phys_addr_t acpi_rsdp;		/* 0 when the loader gave none */
	phys_addr_t info_start, info_end;	/* the loader's own structures */
};

/** The boot CPU fills this in before start_kernel reads anything else. */
extern struct boot_info boot_info;

/**
 * arch_parse_boot_info - fill @bi from the loader's arguments to
 * start_kernel (x86_64: the protocol number and the physical address of
 * its information).  Returns 0, or -EINVAL when the information is
 * missing or malformed (then @bi holds what could be read).
 * Sources: Multiboot2 spec §3.6; Xen public/arch-x86/hvm/start_info.h.
 */
int arch_parse_boot_info(struct boot_info *bi, unsigned long arg0,
			 unsigned long arg1);

/** boot_mem_type_name - "usable", "reserved", "ACPI data", … */
const char *boot_mem_type_name(u32 type);

#endif
