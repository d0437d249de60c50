/*
 * kestrel/elf.h — checking an ELF-64 executable before loading it
 * (kernel/lib/elf.c).
 *
 * elf_parse() reads an executable image that is entirely in memory (a
 * file of the initrd today) and either refuses it with -ENOEXEC or
 * returns what the loader needs, every offset and size checked against
 * the image: a loader that trusts a header reads past the end of the file
 * or maps a segment over the kernel.  It does no allocation and touches
 * no hardware, so the host tests (kernel/tests/host/elf_test.c) run it
 * on real binaries built by musl-gcc.
 *
 * What is checked (ELF-64 Object File Format v1.5 §3 and §6; the System V
 * AMD64 supplement §4.1 and §5.2):
 *  - the identification: magic, ELFCLASS64, ELFDATA2LSB, EV_CURRENT;
 *  - e_type ET_EXEC or ET_DYN, e_machine EM_X86_64, e_phentsize 56;
 *  - the program header table lies inside the image;
 *  - each PT_LOAD: p_filesz <= p_memsz, its file bytes inside the image,
 *    its addresses inside user space without wrapping, p_vaddr and
 *    p_offset congruent modulo the page size, the PT_LOADs sorted by
 *    address and not overlapping (§6: "appear in ascending order");
 *  - at least one PT_LOAD, at most one PT_INTERP, PT_TLS, PT_GNU_STACK.
 */
#ifndef KESTREL_ELF_H
#define KESTREL_ELF_H

#include <kestrel/types.h>
#include <uapi/linux/elf.h>

/* The most program headers accepted (Linux: 64 KiB of them). */
#define ELF_MAX_PHNUM	(65536 / sizeof(struct elf64_phdr))

/**
 * struct elf_info - what elf_parse() found; pointers into the image
 * @ehdr: the file header
 * @phdr: the program headers (@phnum of them)
 * @is_dyn: ET_DYN: position-independent; the loader chooses a load bias
 * @load_lo: the lowest PT_LOAD address, rounded down to a page
 * @load_hi: the highest PT_LOAD end (p_vaddr + p_memsz), rounded up
 * @nr_load: how many PT_LOAD segments
 * @interp: PT_INTERP, or NULL (a dynamically linked program)
 * @tls: PT_TLS, or NULL
 * @exec_stack: PT_GNU_STACK asks for an executable stack (or is absent)
 * @phdr_vaddr: the address of the program headers once loaded (before the
 *              load bias): PT_PHDR's, or found in the PT_LOAD that holds
 *              e_phoff; 0 when no segment holds them (AT_PHDR is then 0)
 * @entry: e_entry (before the load bias)
 */
struct elf_info {
	const struct elf64_hdr *ehdr;
	const struct elf64_phdr *phdr;
	unsigned int phnum;
	bool is_dyn;
	u64 load_lo, load_hi;
	unsigned int nr_load;
	const struct elf64_phdr *interp;
	const struct elf64_phdr *tls;
	bool exec_stack;
	u64 phdr_vaddr;
	u64 entry;
};

/**
 * elf_parse - check the ELF-64 executable at @image (@size bytes) and fill
 * @info.  @user_end: one past the highest address a segment may occupy
 * (before the load bias).  Returns 0, or -ENOEXEC for anything that is
 * not a loadable x86_64 executable.  Never reads outside the image.
 */
int elf_parse(const void *image, size_t size, u64 user_end,
	      struct elf_info *info);

/** elf_is_elf - the image starts with the ELF magic (then it is elf_parse's
 *  to judge; otherwise another format, or not an executable). */
bool elf_is_elf(const void *image, size_t size);

#endif
