/*
 * binfmt_elf.c — loading an ELF-64 executable and writing its initial
 * stack (kestrel/binfmts.h).
 *
 * Loading (load_elf_binary):
 *   1. elf_parse() checks the file (kernel/lib/elf.c); a PT_INTERP means
 *      a dynamically linked program, which needs ld.so: refused with
 *      ENOEXEC until a file system can give us the interpreter.
 *   2. an ET_DYN file (a static PIE: musl's rcrt1, glibc's static-pie)
 *      gets a load bias — every address in it is relative, and Kestrel
 *      puts its lowest segment at ELF_ET_DYN_BASE, as Linux does for
 *      PIEs (no randomization); an ET_EXEC file is loaded where it says.
 *   3. each PT_LOAD becomes a VMA with the segment's rights (p_flags),
 *      every page of it present: a read-only segment (text, rodata) maps
 *      the initrd's shared copy of the file's pages (initrd_file_page:
 *      every process running the program shares them, read-only); a
 *      writable one gets private pages with the file's bytes copied in
 *      and the rest (p_memsz > p_filesz: .bss) left zero.  Lab 8 maps
 *      file pages on demand from the page cache instead.
 *   4. the heap starts at the page after the highest segment; the stack
 *      VMA sits below STACK_TOP.
 * Segments are sorted and do not overlap (elf_parse checks it), but two
 * may share a page at their boundary: that page gets both rights.
 *
 * The initial stack (create_elf_tables), System V ABI AMD64 §3.4.1
 * ("Initial Stack and Register State", figure 3.9), from the top down:
 *
 *	STACK_TOP    8 zero bytes (an end marker, as Linux leaves)
 *	             the file name (AT_EXECFN points here)
 *	             the argument and environment strings, argv[0] lowest
 *	             "x86_64" (AT_PLATFORM), 16 random bytes (AT_RANDOM)
 *	             padding to 16 bytes
 *	             auxv: (type, value) pairs, ending with (AT_NULL, 0)
 *	             0 (the end of envp), envp[envc-1] … envp[0]
 *	             0 (the end of argv), argv[argc-1] … argv[0]
 *	RSP ->       argc                  (RSP is 16-byte aligned here)
 *
 * The ABI asks for RSP ≡ 0 (mod 16) at the entry point, before anything
 * is pushed: C start-up code (musl's _start_c, glibc's _start) relies on
 * it to align its frames.
 */
#include <asm/processor.h>
#include <kestrel/binfmts.h>
#include <kestrel/errno.h>
#include <kestrel/err.h>
#include <kestrel/fs.h>
#include <kestrel/initrd.h>
#include <kestrel/jiffies.h>
#include <kestrel/mman.h>
#include <kestrel/mm.h>
#include <kestrel/mutex.h>
#include <kestrel/process.h>
#include <kestrel/random.h>
#include <kestrel/sched.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>
#include <uapi/asm-generic/signal.h>
#include <uapi/linux/auxvec.h>

#define USER_HZ		100	/* times(2) and AT_CLKTCK ticks per second */
#define AUXV_ENTRIES	20	/* pairs written, AT_NULL included */

/* The VMA rights a segment's p_flags ask for. */
static unsigned long segment_vm_flags(const struct elf64_phdr *ph)
{
	unsigned long f = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	if (ph->p_flags & PF_R)
		f |= VM_READ;
	if (ph->p_flags & PF_W)
		f |= VM_WRITE;
	if (ph->p_flags & PF_X)
		f |= VM_EXEC;
	return f;
}

/*
 * Make [@start, @end) of @mm a VMA with @flags, every page present.  If
 * its first page is already the last page of the previous segment, that
 * page is cut off into a VMA of its own with both segments' rights.
 * (M) held.  0 or -ENOMEM.
 */
static int map_segment(struct mm *mm, unsigned long start, unsigned long end,
		       unsigned long flags)
{
	struct vm_area *prev = find_vma(mm, start), *vma;
	int err;

	if (prev && prev->vm_start <= start) {
		if (prev->vm_start < start && !vma_split(prev, start))
			return -ENOMEM;
		prev = find_vma(mm, start);
		prev->vm_flags |= flags;
		/* We are about to write our bytes into it: our own copy. */
		if (mm_make_private(prev, start))
			return -ENOMEM;
		change_protection(prev, prev->vm_start, prev->vm_end);
		start += PAGE_SIZE;
		if (start >= end)
			return 0;
	}
	vma = vma_alloc(mm, start, end, flags);
	if (!vma)
		return -ENOMEM;
	err = vma_insert(mm, vma);
	if (err) {
		vma_free(vma);
		return err;
	}
	return mm_populate(vma, start, end);
}

/*
 * Map the read-only segment @ph (its file bytes cover all of it: p_memsz
 * == p_filesz) at [@start, @end) with @flags, from the initrd's shared
 * copies of the file's pages (initrd_file_page): no copy per exec.
 * Returns 1 when it could not (the first page is shared with the previous
 * segment: use map_segment and copy_to_new_mm), 0, or -ENOMEM.  (M) held.
 */
static int map_segment_shared(struct linux_binprm *bprm, unsigned long start,
			      unsigned long end, unsigned long flags,
			      const struct elf64_phdr *ph)
{
	struct mm *mm = bprm->mm;
	u64 file_off = ph->p_offset - (ph->p_vaddr + bprm->load_bias - start);
	struct vm_area *vma;
	struct page *page;
	unsigned long addr;
	int err;

	if (find_vma_intersection(mm, start, end))
		return 1;
	vma = vma_alloc(mm, start, end, flags);
	if (!vma)
		return -ENOMEM;
	err = vma_insert(mm, vma);
	if (err) {
		vma_free(vma);
		return err;
	}
	for (addr = start; addr < end; addr += PAGE_SIZE, file_off += PAGE_SIZE) {
		/* Lab 8: the file's own pages (tmpfs: its page cache). */
		page = bprm->file ? file_get_page(bprm->file, file_off >> PAGE_SHIFT) :
		       initrd_file_page(bprm->data, bprm->size, file_off);
		if (IS_ERR_OR_NULL(page))
			return page ? PTR_ERR(page) : -ENOMEM;
		err = mm_map_page(vma, addr, page);
		put_page(page);		/* the mapping holds its own reference */
		if (err)
			return err;
	}
	return 0;
}

/* Copy @len bytes from @src to @addr of @mm, whose pages are present:
 * through the direct map, the new mm not being loaded yet.  (M) held. */
static int copy_to_new_mm(struct mm *mm, unsigned long addr, const void *src,
			  size_t len)
{
	while (len) {
		struct page *page = mm_page_at(mm, addr);
		size_t off = addr & (PAGE_SIZE - 1);
		size_t n = MIN(len, PAGE_SIZE - off);

		if (!page)
			return -EFAULT;
		memcpy((char *)page_to_virt(page) + off, src, n);
		addr += n;
		src = (const char *)src + n;
		len -= n;
	}
	return 0;
}

/* Record where code and data are (for /proc later, and brk). */
static void note_segment(struct mm *mm, const struct elf64_phdr *ph,
			 unsigned long bias)
{
	unsigned long start = ph->p_vaddr + bias, end = start + ph->p_memsz;

	if (ph->p_flags & PF_X) {
		if (!mm->start_code || start < mm->start_code)
			mm->start_code = start;
		mm->end_code = MAX(mm->end_code, start + ph->p_filesz);
	} else if (ph->p_flags & PF_W) {
		if (!mm->start_data || start < mm->start_data)
			mm->start_data = start;
		mm->end_data = MAX(mm->end_data, end);
	}
}

/* DOC: elf-map-segments */
/* Map every PT_LOAD of @bprm's file into @bprm->mm; set bprm->brk. */
static int elf_map_segments(struct linux_binprm *bprm)
{
#if SOL >= 6
	const struct elf_info *info = &bprm->elf;
	unsigned long bias = bprm->load_bias, start, end;
	struct mm *mm = bprm->mm;
	unsigned int i;
	int err = 0;

	mutex_lock(&mm->mmap_lock);
	for (i = 0; i < info->phnum && !err; i++) {
		const struct elf64_phdr *ph = &info->phdr[i];

		if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
			continue;
		start = ALIGN_DOWN(ph->p_vaddr + bias, PAGE_SIZE);
		end = ALIGN_UP(ph->p_vaddr + bias + ph->p_memsz, PAGE_SIZE);
		/* Text and read-only data: the initrd's shared pages. */
		err = 1;
		if (!(ph->p_flags & PF_W) && ph->p_filesz == ph->p_memsz)
			err = map_segment_shared(bprm, start, end,
						 segment_vm_flags(ph), ph);
		/* Anything else: private pages, the file's bytes copied in. */
		if (err == 1) {
			err = map_segment(mm, start, end, segment_vm_flags(ph));
			if (!err)
				err = copy_to_new_mm(mm, ph->p_vaddr + bias,
						     (const char *)bprm->data + ph->p_offset,
						     ph->p_filesz);
		}
		note_segment(mm, ph, bias);
		bprm->brk = MAX(bprm->brk, end);
	}
	mutex_unlock(&mm->mmap_lock);
	return err;
#else
	/*
	 * LAB 6: map the program.  For each program header of type PT_LOAD
	 * in bprm->elf (phdr[0 … phnum-1]), with bias = bprm->load_bias:
	 * the segment covers [p_vaddr + bias, p_vaddr + bias + p_memsz),
	 * rounded out to whole pages.  map_segment() makes that a VMA with
	 * the rights segment_vm_flags() reads from p_flags, every page
	 * present and zeroed; then copy the p_filesz bytes at file offset
	 * p_offset (bprm->data + p_offset) to p_vaddr + bias with
	 * copy_to_new_mm().  The rest of the segment (p_memsz > p_filesz:
	 * the .bss) stays zero.  Call note_segment() for each, hold
	 * bprm->mm->mmap_lock around all of it, and set bprm->brk to the end
	 * of the highest segment.  Return 0 or the first error.
	 * Faster, once that works: a segment that is not writable and whose
	 * file bytes cover it all (p_filesz == p_memsz) can be mapped from
	 * pages every process running the program shares, with
	 * map_segment_shared() instead of map_segment() + copy_to_new_mm().
	 */
	(void)map_segment;
	(void)map_segment_shared;
	(void)copy_to_new_mm;
	(void)note_segment;
	(void)segment_vm_flags;
	(void)bprm;
	return -ENOSYS;
#endif
}

int exec_map_stack(struct linux_binprm *bprm)
{
	struct mm *mm = bprm->mm;
	unsigned long present = EXEC_STACK_POPULATED +
				ALIGN_UP(bprm->strings_len + 2 * PAGE_SIZE, PAGE_SIZE);
	unsigned long size = MAX(EXEC_STACK_INITIAL, present);
	unsigned long flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE |
			      VM_MAYEXEC | VM_GROWSDOWN;
	struct vm_area *vma;
	int err;

	if (bprm->exec_stack)
		flags |= VM_EXEC;
	vma = vma_alloc(mm, STACK_TOP - size, STACK_TOP, flags);
	if (!vma)
		return -ENOMEM;
	mutex_lock(&mm->mmap_lock);
	err = vma_insert(mm, vma);
	if (err)
		vma_free(vma);
	else
		err = mm_populate(vma, STACK_TOP - present, STACK_TOP);
	mutex_unlock(&mm->mmap_lock);
	return err;
}

int load_elf_binary(struct linux_binprm *bprm)
{
	struct elf_info *info = &bprm->elf;
	int err;

	err = elf_parse(bprm->data, bprm->size, STACK_TOP, info);
	if (err)
		return err;
	if (info->interp)
		return -ENOEXEC;	/* dynamically linked: needs ld.so (lab 8) */
	bprm->load_bias = info->is_dyn ? ELF_ET_DYN_BASE - info->load_lo : 0;
	if (info->is_dyn && (info->load_hi - info->load_lo > STACK_TOP / 2))
		return -ENOEXEC;
	bprm->entry = info->entry + bprm->load_bias;
	bprm->exec_stack = info->exec_stack;
	bprm->mm = mm_alloc();
	if (!bprm->mm)
		return -ENOMEM;
	err = elf_map_segments(bprm);
	if (!err)
		err = exec_map_stack(bprm);
	if (err)
		return err;
	bprm->mm->start_brk = bprm->mm->brk = bprm->brk;
	/* mmap areas go top-down from 128 MiB below the stack (Linux's gap
	 * for an 8 MiB stack limit). */
	bprm->mm->mmap_base = STACK_TOP - (128UL << 20);
	return 0;
}

/* Push @len bytes of @src below *@sp.  The user address, or 0 on a fault. */
static unsigned long push_bytes(unsigned long *sp, const void *src, size_t len)
{
	*sp -= len;
	return copy_to_user((void __user *)*sp, src, len) ? 0 : *sp;
}

/* The auxiliary vector, into @auxv (AUXV_ENTRIES pairs at most). */
static void fill_auxv(const struct linux_binprm *bprm, u64 *auxv,
		      unsigned long platform, unsigned long random,
		      unsigned long execfn)
{
	const struct cred *cred = current->cred;
	u32 a, b, c, d;
	int i = 0;

	cpuid(1, 0, &a, &b, &c, &d);
#define AUX(type, value) do { auxv[i++] = (type); auxv[i++] = (value); } while (0)
	AUX(AT_HWCAP, d);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_CLKTCK, USER_HZ);
	AUX(AT_PHDR, bprm->elf.phdr_vaddr ? bprm->elf.phdr_vaddr + bprm->load_bias : 0);
	AUX(AT_PHENT, sizeof(struct elf64_phdr));
	AUX(AT_PHNUM, bprm->elf.phnum);
	AUX(AT_BASE, 0);		/* no interpreter */
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, bprm->entry);
	AUX(AT_UID, cred->uid);
	AUX(AT_EUID, cred->euid);
	AUX(AT_GID, cred->gid);
	AUX(AT_EGID, cred->egid);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, random);
	AUX(AT_HWCAP2, 0);		/* FSGSBASE is not enabled for user mode */
	AUX(AT_EXECFN, execfn);
	AUX(AT_PLATFORM, platform);
	AUX(AT_MINSIGSTKSZ, MINSIGSTKSZ);
	AUX(AT_NULL, 0);
#undef AUX
}

/* DOC: create-elf-tables */
long create_elf_tables(struct linux_binprm *bprm)
{
#if SOL >= 6
	unsigned long sp = STACK_TOP - 8, platform, random, execfn, strings;
	u64 auxv[2 * AUXV_ENTRIES], rnd[2];
	struct mm *mm = current->mm;
	unsigned long words, ptr;
	const char *s = bprm->strings;
	int i;

	execfn = push_bytes(&sp, bprm->filename, strlen(bprm->filename) + 1);
	strings = push_bytes(&sp, bprm->strings, bprm->strings_len);
	platform = push_bytes(&sp, "x86_64", 7);
	get_random_bytes(rnd, sizeof(rnd));
	random = push_bytes(&sp, rnd, sizeof(rnd));
	if (!execfn || !strings || !platform || !random)
		return -EFAULT;
	fill_auxv(bprm, auxv, platform, random, execfn);
	/* argc, argv + NULL, envp + NULL, auxv: make RSP 16-byte aligned. */
	words = 1 + (bprm->argc + 1) + (bprm->envc + 1) + ARRAY_SIZE(auxv);
	sp = ALIGN_DOWN(sp - words * 8, 16);
	mm->start_stack = sp;
	mm->arg_start = strings;
	ptr = sp;
	if (put_user((u64)bprm->argc, (u64 __user *)ptr))
		return -EFAULT;
	ptr += 8;
	for (i = 0; i < bprm->argc + bprm->envc + 2; i++, ptr += 8) {
		u64 value = 0;

		if (i != bprm->argc && i != bprm->argc + bprm->envc + 1) {
			value = strings + (s - bprm->strings);
			s += strlen(s) + 1;
		}
		if (i == bprm->argc)
			mm->arg_end = mm->env_start = strings + (s - bprm->strings);
		if (put_user(value, (u64 __user *)ptr))
			return -EFAULT;
	}
	mm->env_end = strings + bprm->strings_len;
	if (copy_to_user((void __user *)ptr, auxv, sizeof(auxv)))
		return -EFAULT;
	return sp;
#else
	/*
	 * LAB 6: build the initial stack in the new address space (it is
	 * current: use copy_to_user/put_user) as the picture at the top of
	 * this file shows.  From STACK_TOP - 8 downwards push: the file name
	 * (bprm->filename, with its NUL: AT_EXECFN), the strings
	 * (bprm->strings, strings_len bytes: argc argument strings then envc
	 * environment strings, each NUL-terminated), "x86_64" (AT_PLATFORM),
	 * 16 bytes from get_random_bytes() (AT_RANDOM).  Then, below,
	 * 16-byte aligned: argc, the argc argv pointers and a 0, the envc
	 * envp pointers and a 0, and the auxiliary vector fill_auxv() makes
	 * (ARRAY_SIZE(auxv) words, AT_NULL last).  Set current->mm's
	 * start_stack, arg_start/arg_end/env_start/env_end.  Return the new RSP (it
	 * points at argc), or -EFAULT.
	 */
	(void)push_bytes;
	(void)fill_auxv;
	(void)bprm;
	return -ENOSYS;
#endif
}
