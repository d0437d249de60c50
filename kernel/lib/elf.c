/*
 * elf.c — checking an ELF-64 executable (kestrel/elf.h).
 *
 * Everything an executable says about itself is a claim to verify: this
 * file turns the claims into an elf_info the loader can use without
 * further checks, or refuses the file with -ENOEXEC.  The arithmetic is
 * written so that it cannot overflow: "offset + size <= image size" is
 * tested as "size <= image size - offset" after "offset <= image size".
 *
 * Sources: "ELF-64 Object File Format", version 1.5: §3 (the file header:
 * e_ident, e_type, e_phoff/e_phentsize/e_phnum), §6 (program headers,
 * segment types and their rules); the System V ABI AMD64 supplement
 * §4.1.1 (EM_X86_64, ELFCLASS64, ELFDATA2LSB) and §5.2 (program loading:
 * p_vaddr ≡ p_offset modulo the page size).  PT_GNU_STACK's meaning is
 * the GNU/Linux convention (no PF_X: a non-executable stack).
 */
#include <kestrel/elf.h>
#include <kestrel/errno.h>
#include <kestrel/string.h>

#define ELF_PAGE_SIZE	4096ULL

bool elf_is_elf(const void *image, size_t size)
{
	return size >= SELFMAG && memcmp(image, ELFMAG, SELFMAG) == 0;
}

/* [off, off + len) lies inside an image of @size bytes. */
static bool in_image(u64 off, u64 len, u64 size)
{
	return off <= size && len <= size - off;
}

static int check_header(const struct elf64_hdr *eh, size_t size)
{
	const unsigned char *id = eh->e_ident;

	if (size < sizeof(*eh) || !elf_is_elf(eh, size))
		return -ENOEXEC;
	if (id[EI_CLASS] != ELFCLASS64 || id[EI_DATA] != ELFDATA2LSB ||
	    id[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return -ENOEXEC;
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return -ENOEXEC;
	if (eh->e_machine != EM_X86_64)
		return -ENOEXEC;
	if (eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > ELF_MAX_PHNUM)
		return -ENOEXEC;
	if (eh->e_phoff % 8 ||
	    !in_image(eh->e_phoff, (u64)eh->e_phnum * sizeof(struct elf64_phdr),
		      size))
		return -ENOEXEC;
	return 0;
}

/* One PT_LOAD, given the end of the previous one (0 for the first). */
static int check_load(const struct elf64_phdr *ph, size_t size, u64 user_end,
		      u64 prev_end)
{
	if (ph->p_filesz > ph->p_memsz)
		return -ENOEXEC;
	if (!in_image(ph->p_offset, ph->p_filesz, size))
		return -ENOEXEC;
	if (ph->p_vaddr >= user_end || ph->p_memsz > user_end - ph->p_vaddr)
		return -ENOEXEC;
	if ((ph->p_vaddr - ph->p_offset) % ELF_PAGE_SIZE)
		return -ENOEXEC;
	if (ph->p_vaddr < prev_end)	/* unsorted, or overlapping */
		return -ENOEXEC;
	return 0;
}

/* Where the program headers are once loaded: PT_PHDR, else the PT_LOAD
 * whose file bytes hold them.  0 when none does. */
static u64 find_phdr_vaddr(const struct elf_info *info)
{
	u64 off = info->ehdr->e_phoff;
	u64 len = (u64)info->phnum * sizeof(struct elf64_phdr);
	unsigned int i;

	for (i = 0; i < info->phnum; i++)
		if (info->phdr[i].p_type == PT_PHDR)
			return info->phdr[i].p_vaddr;
	for (i = 0; i < info->phnum; i++) {
		const struct elf64_phdr *ph = &info->phdr[i];

		if (ph->p_type == PT_LOAD && off >= ph->p_offset &&
		    len <= ph->p_filesz && off - ph->p_offset <= ph->p_filesz - len)
			return ph->p_vaddr + (off - ph->p_offset);
	}
	return 0;
}

/* Record a segment that may appear at most once. */
static int note_once(const struct elf64_phdr **slot, const struct elf64_phdr *ph)
{
	if (*slot)
		return -ENOEXEC;
	*slot = ph;
	return 0;
}

static int scan_segments(struct elf_info *info, size_t size, u64 user_end)
{
	const struct elf64_phdr *stack = NULL;
	u64 prev_end = 0;
	unsigned int i;
	int err = 0;

	info->load_lo = ~0ULL;
	for (i = 0; i < info->phnum && !err; i++) {
		const struct elf64_phdr *ph = &info->phdr[i];

		switch (ph->p_type) {
		case PT_LOAD:
			err = check_load(ph, size, user_end, prev_end);
			if (err)
				break;
			prev_end = ph->p_vaddr + ph->p_memsz;
			if (info->nr_load++ == 0)
				info->load_lo = ph->p_vaddr & ~(ELF_PAGE_SIZE - 1);
			info->load_hi = prev_end;
			break;
		case PT_INTERP:
			err = note_once(&info->interp, ph);
			if (!err && !in_image(ph->p_offset, ph->p_filesz, size))
				err = -ENOEXEC;
			break;
		case PT_TLS:
			err = note_once(&info->tls, ph);
			break;
		case PT_GNU_STACK:
			err = note_once(&stack, ph);
			break;
		}
	}
	if (err || info->nr_load == 0)
		return -ENOEXEC;
	/* Without PT_GNU_STACK the old rule holds: an executable stack. */
	info->exec_stack = !stack || (stack->p_flags & PF_X);
	info->load_hi = (info->load_hi + ELF_PAGE_SIZE - 1) & ~(ELF_PAGE_SIZE - 1);
	if (info->load_hi > user_end || info->load_hi == 0)
		return -ENOEXEC;
	return 0;
}

int elf_parse(const void *image, size_t size, u64 user_end,
	      struct elf_info *info)
{
	const struct elf64_hdr *eh = image;
	int err;

	memset(info, 0, sizeof(*info));
	err = check_header(eh, size);
	if (err)
		return err;
	info->ehdr = eh;
	info->phdr = (const struct elf64_phdr *)((const char *)image + eh->e_phoff);
	info->phnum = eh->e_phnum;
	info->is_dyn = eh->e_type == ET_DYN;
	info->entry = eh->e_entry;
	err = scan_segments(info, size, user_end);
	if (err)
		return err;
	info->phdr_vaddr = find_phdr_vaddr(info);
	return 0;
}
