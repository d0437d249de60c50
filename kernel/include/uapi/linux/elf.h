/*
 * uapi/linux/elf.h — the ELF-64 file format: the file header, the program
 * headers, and the values Kestrel's loader checks.
 *
 * An executable starts with an Elf64_Ehdr; e_phoff locates an array of
 * e_phnum program headers, each e_phentsize bytes, that describe the
 * segments the loader maps (PT_LOAD) and the facts it must know about
 * (PT_INTERP, PT_TLS, PT_GNU_STACK, …).  Section headers do not matter to
 * a loader and are not described here.
 *
 *	Elf64_Ehdr (64 bytes)
 *	  e_ident[16]   0x7f 'E' 'L' 'F', class, data, version, OS ABI, pad
 *	  e_type        ET_EXEC (fixed addresses) or ET_DYN (position-independent)
 *	  e_machine     EM_X86_64
 *	  e_entry       the entry point (plus the load bias for ET_DYN)
 *	  e_phoff, e_phentsize, e_phnum   where the program headers are
 *
 * Sources: "ELF-64 Object File Format", version 1.5 (1998), §3 (file
 * header, tables 2–5) and §6 (program headers, tables 15–17); the System V
 * ABI AMD64 supplement §4.1 (EM_X86_64, ELFDATA2LSB) and §5.2; PT_GNU_STACK
 * and PT_TLS values from the GNU/Linux extensions as Linux's
 * include/uapi/linux/elf.h defines them.
 */
#ifndef UAPI_LINUX_ELF_H
#define UAPI_LINUX_ELF_H

#include <kestrel/types.h>

typedef u64 Elf64_Addr;
typedef u64 Elf64_Off;
typedef u16 Elf64_Half;
typedef u32 Elf64_Word;
typedef s32 Elf64_Sword;
typedef u64 Elf64_Xword;
typedef s64 Elf64_Sxword;

/* e_ident[] indexes and values (ELF-64 §3, tables 2–4) */
#define EI_MAG0		0
#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define EI_OSABI	7
#define EI_NIDENT	16
#define ELFMAG		"\177ELF"
#define SELFMAG		4
#define ELFCLASS64	2
#define ELFDATA2LSB	1	/* little-endian */
#define EV_CURRENT	1

/* e_type (table 5) */
#define ET_NONE		0
#define ET_REL		1
#define ET_EXEC		2	/* an executable at fixed addresses */
#define ET_DYN		3	/* a shared object, or a (static-)PIE executable */
#define ET_CORE		4

#define EM_X86_64	62	/* AMD64 supplement §4.1.1 */

struct elf64_hdr {
	unsigned char e_ident[EI_NIDENT];
	Elf64_Half e_type;
	Elf64_Half e_machine;
	Elf64_Word e_version;
	Elf64_Addr e_entry;	/* virtual address of the entry point */
	Elf64_Off e_phoff;	/* file offset of the program headers, bytes */
	Elf64_Off e_shoff;
	Elf64_Word e_flags;
	Elf64_Half e_ehsize;	/* bytes of this header */
	Elf64_Half e_phentsize;	/* bytes per program header */
	Elf64_Half e_phnum;
	Elf64_Half e_shentsize;
	Elf64_Half e_shnum;
	Elf64_Half e_shstrndx;
};

/* p_type (table 16) and the GNU extensions */
#define PT_NULL		0
#define PT_LOAD		1	/* a segment to map */
#define PT_DYNAMIC	2
#define PT_INTERP	3	/* the path of a dynamic loader */
#define PT_NOTE		4
#define PT_SHLIB	5
#define PT_PHDR		6	/* the program headers themselves, in memory */
#define PT_TLS		7	/* the thread-local storage template */
#define PT_GNU_EH_FRAME	0x6474e550
#define PT_GNU_STACK	0x6474e551	/* p_flags: is the stack executable */
#define PT_GNU_RELRO	0x6474e552
#define PT_GNU_PROPERTY	0x6474e553

/* p_flags (table 17) */
#define PF_X		0x1
#define PF_W		0x2
#define PF_R		0x4

struct elf64_phdr {
	Elf64_Word p_type;
	Elf64_Word p_flags;
	Elf64_Off p_offset;	/* file offset of the segment, bytes */
	Elf64_Addr p_vaddr;	/* its virtual address (before the load bias) */
	Elf64_Addr p_paddr;
	Elf64_Xword p_filesz;	/* bytes in the file */
	Elf64_Xword p_memsz;	/* bytes in memory; the rest is zero (bss) */
	Elf64_Xword p_align;
};

_Static_assert(sizeof(struct elf64_hdr) == 64, "ELF-64 §3: Elf64_Ehdr is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF-64 §6: Elf64_Phdr is 56 bytes");

#endif
