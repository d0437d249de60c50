/*
 * mmap.c — the memory system calls: brk, mmap, munmap, mprotect, mremap,
 * madvise (kestrel/mman.h, kestrel/syscalls.h).
 *
 * Each call works on the VMAs (vma.c) and, where pages are already
 * present, on the page tables under them (memory.c), all under the
 * caller's mm->mmap_lock.  None of them reads user memory — their
 * arguments are numbers — so the lock is never held across a fault.
 *
 * Linux's rules, which programs rely on (the man pages of each call):
 *  - addresses passed in must be page aligned (EINVAL); lengths are
 *    rounded up to whole pages; a length of 0 is EINVAL for mmap and
 *    munmap, and a no-op for mprotect and madvise;
 *  - mmap without MAP_FIXED treats the address as a hint; MAP_FIXED
 *    replaces whatever was mapped there, MAP_FIXED_NOREPLACE refuses
 *    (EEXIST); nothing goes below MMAP_MIN_ADDR (EPERM with MAP_FIXED);
 *  - munmap of a range with nothing mapped is not an error; mprotect and
 *    madvise of a range with a hole are (ENOMEM);
 *  - brk never fails: it returns the old break when it cannot move it;
 *  - mremap's old range must be inside one mapping (EFAULT).
 *
 * File mappings (lab 8).  mmap of a descriptor maps the file's page
 * cache (kernel/mm/filemap.c) from page @off / PAGE_SIZE on.  What the
 * open allows bounds what the mapping may ever do, now and through
 * later mprotect calls (the VM_MAY* flags): any mapping needs a file
 * opened for reading (EACCES); a shared one that may write needs it open
 * for writing (EACCES), and without it loses VM_MAYWRITE (mprotect
 * PROT_WRITE is then EACCES) and VM_SHARED — keeping VM_MAYSHARE, which
 * /proc/<pid>/maps shows as "s"; a file on a noexec mount refuses
 * PROT_EXEC (EPERM) and loses VM_MAYEXEC.  A file that cannot be mapped
 * (a pipe, a directory, most devices) is ENODEV.  The VMA holds a
 * reference to the file, so closing the descriptor leaves the mapping
 * working; munmap (or exit) drops it.
 */
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/mman.h>
#include <kestrel/mount.h>
#include <kestrel/mutex.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/syscalls.h>
#include <uapi/linux/mman.h>
#include <uapi/linux/resource.h>

#define PAGE_ALIGN(x)	ALIGN_UP((unsigned long)(x), PAGE_SIZE)

static bool page_aligned(unsigned long x)
{
	return (x & (PAGE_SIZE - 1)) == 0;
}

/* Would @pages more pages exceed RLIMIT_AS? */
static bool over_as_limit(struct mm *mm, unsigned long pages)
{
	unsigned long limit = task_rlimit(current, RLIMIT_AS);

	return limit != RLIM_INFINITY &&
	       ((mm->total_vm + pages) << PAGE_SHIFT) > limit;
}

/* Cut VMAs so that none straddles @start or @end.  0 or -ENOMEM. */
static int split_at_bounds(struct mm *mm, unsigned long start,
			   unsigned long end)
{
	struct vm_area *vma = find_vma(mm, start);

	if (vma && vma->vm_start < start && !vma_split(vma, start))
		return -ENOMEM;
	vma = find_vma(mm, end);
	if (vma && vma->vm_start < end && !vma_split(vma, end))
		return -ENOMEM;
	return 0;
}

int __do_munmap(struct mm *mm, unsigned long start, unsigned long len)
{
	unsigned long end = start + PAGE_ALIGN(len);
	struct vm_area *vma, *next;
	int err;

	if (!page_aligned(start) || len == 0 || end < start || end > STACK_TOP)
		return -EINVAL;
	err = split_at_bounds(mm, start, end);
	if (err)
		return err;
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = next) {
		next = vma_next(vma);
		zap_page_range(mm, vma->vm_start, vma->vm_end);
		vma_unlink(vma);
		vma_free(vma);
	}
	return 0;
}

int do_munmap(struct mm *mm, unsigned long start, unsigned long len)
{
	int err;

	mutex_lock(&mm->mmap_lock);
	err = __do_munmap(mm, start, len);
	mutex_unlock(&mm->mmap_lock);
	return err;
}

static unsigned long prot_to_vm_flags(unsigned long prot)
{
	unsigned long f = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	if (prot & PROT_READ)
		f |= VM_READ;
	if (prot & PROT_WRITE)
		f |= VM_WRITE;
	if (prot & PROT_EXEC)
		f |= VM_EXEC;
	return f;
}

/* Where the new mapping goes: -errno, or the address. */
static long place_mapping(struct mm *mm, unsigned long addr, unsigned long len,
			  unsigned long flags)
{
	if (!(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)))
		return get_unmapped_area(mm, addr, len, flags & MAP_32BIT);
	if (!page_aligned(addr))
		return -EINVAL;
	if (addr > STACK_TOP || len > STACK_TOP - addr)
		return -ENOMEM;
	if (addr < MMAP_MIN_ADDR)
		return -EPERM;
	if (find_vma_intersection(mm, addr, addr + len)) {
		if (flags & MAP_FIXED_NOREPLACE)
			return -EEXIST;
		return __do_munmap(mm, addr, len) ?: (long)addr;
	}
	return addr;
}

/* A new VMA for [@addr, @addr + @len), mapping @file from page @pgoff
 * if @file is not NULL; (M). */
static long map_region(struct mm *mm, struct file *file, unsigned long addr,
		       unsigned long len, unsigned long vm_flags,
		       unsigned long pgoff, bool populate)
{
	struct vm_area *vma = vma_alloc(mm, addr, addr + len, vm_flags);
	int err;

	if (!vma)
		return -ENOMEM;
	if (file) {
		vma_set_file(vma, file, pgoff);
		err = file->f_op->mmap(file, vma);
		if (err) {
			vma_free(vma);
			return err;
		}
	} else if (vm_flags & VM_SHARED) {
		vma->vm_shared = shmem_object_alloc(len >> PAGE_SHIFT);
		if (!vma->vm_shared) {
			vma_free(vma);
			return -ENOMEM;
		}
	}
	err = vma_insert(mm, vma);
	if (err) {
		vma_free(vma);
		return err;
	}
	if (populate && mm_populate(vma, addr, addr + len)) {
		__do_munmap(mm, addr, len);
		return -ENOMEM;
	}
	vma_merge_around(vma);
	return addr;
}

/* DOC: file-mmap-checks */
/*
 * What the open of @file lets a mapping with @vm_flags do (the head of
 * this file); @vm_flags loses the rights the open does not give.  0 or
 * -EACCES, -EPERM, -ENODEV.
 */
static int file_mmap_check(struct file *file, unsigned long *vm_flags)
{
	if (!file->f_op || !file->f_op->mmap)
		return -ENODEV;
	if (!(file->f_mode & FMODE_READ))
		return -EACCES;
	if (*vm_flags & VM_SHARED) {
		if ((*vm_flags & VM_WRITE) && !(file->f_mode & FMODE_WRITE))
			return -EACCES;
		if (!(file->f_mode & FMODE_WRITE))
			*vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
	}
	if (file->f_path.mnt->mnt_flags & MNT_NOEXEC) {
		if (*vm_flags & VM_EXEC)
			return -EPERM;
		*vm_flags &= ~VM_MAYEXEC;
	}
	return 0;
}

long do_mmap(struct mm *mm, struct file *file, unsigned long addr,
	     unsigned long len, unsigned long prot, unsigned long flags,
	     unsigned long pgoff)
{
	unsigned long type = flags & MAP_TYPE, vm_flags;
	long ret;

	if (len == 0)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (len == 0 || len > STACK_TOP)
		return -ENOMEM;
	if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;	/* the file offset would wrap */
	vm_flags = prot_to_vm_flags(prot);
	if (type != MAP_PRIVATE)
		vm_flags |= VM_SHARED | VM_MAYSHARE;
	if (flags & MAP_GROWSDOWN)
		vm_flags |= VM_GROWSDOWN;
	if (file) {
		ret = file_mmap_check(file, &vm_flags);
		if (ret)
			return ret;
	}
	mutex_lock(&mm->mmap_lock);
	ret = over_as_limit(mm, len >> PAGE_SHIFT) ? -ENOMEM :
	      place_mapping(mm, addr, len, flags);
	if (ret >= 0)
		ret = map_region(mm, file, ret, len, vm_flags, pgoff,
				 flags & MAP_POPULATE);
	mutex_unlock(&mm->mmap_lock);
	return ret;
}

long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
	      unsigned long flags, unsigned long fd, unsigned long off)
{
	struct file *file;
	long ret;

	if (!page_aligned(off))
		return -EINVAL;
	if (flags & MAP_ANONYMOUS)	/* the descriptor is ignored */
		return do_mmap(current->mm, NULL, addr, len, prot, flags, 0);
	file = fget(fd);	/* an O_PATH descriptor is EBADF too */
	if (!file)
		return -EBADF;
	ret = do_mmap(current->mm, file, addr, len, prot, flags,
		      off >> PAGE_SHIFT);
	fput(file);
	return ret;
}

long sys_munmap(unsigned long addr, size_t len)
{
	return do_munmap(current->mm, addr, len);
}

/* Every byte of [@start, @end) lies in some VMA. */
static bool fully_mapped(struct mm *mm, unsigned long start, unsigned long end)
{
	struct vm_area *vma = find_vma(mm, start);

	for (; vma && vma->vm_start <= start; vma = vma_next(vma)) {
		if (vma->vm_end >= end)
			return true;
		start = vma->vm_end;
	}
	return false;
}

/* Apply @fn to every VMA of [@start, @end), cut to fit; (M). */
static int for_each_vma_in(struct mm *mm, unsigned long start,
			   unsigned long end,
			   void (*fn)(struct vm_area *vma, unsigned long arg),
			   unsigned long arg)
{
	struct vm_area *vma, *next;
	int err;

	if (!fully_mapped(mm, start, end))
		return -ENOMEM;
	err = split_at_bounds(mm, start, end);
	if (err)
		return err;
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = next) {
		next = vma_next(vma);
		fn(vma, arg);
	}
	return 0;
}

/* Do the VM_MAY* flags of every VMA in [@start, @end) allow @vm_access? */
static bool protection_allowed(struct mm *mm, unsigned long start,
			       unsigned long end, unsigned long vm_access)
{
	struct vm_area *vma;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end;
	     vma = vma_next(vma))
		if (vm_access & ~(vma->vm_flags >> 4) & VM_ACCESS_FLAGS)
			return false;	/* VM_MAYx is VM_x << 4 */
	return true;
}

static void set_protection(struct vm_area *vma, unsigned long vm_access)
{
	vma->vm_flags = (vma->vm_flags & ~VM_ACCESS_FLAGS) | vm_access;
	change_protection(vma, vma->vm_start, vma->vm_end);
	vma_merge_around(vma);
}

long sys_mprotect(unsigned long start, size_t len, unsigned long prot)
{
	struct mm *mm = current->mm;
	unsigned long end = start + PAGE_ALIGN(len);
	struct vm_area *vma;
	long err;

	if (!page_aligned(start) ||
	    (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC |
				     PROT_GROWSDOWN)))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (end <= start || end > STACK_TOP)
		return -ENOMEM;
	mutex_lock(&mm->mmap_lock);
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start > start) {
		err = -ENOMEM;
	} else if ((prot & PROT_GROWSDOWN) && !(vma->vm_flags & VM_GROWSDOWN)) {
		err = -EINVAL;
	} else {
		if (prot & PROT_GROWSDOWN)
			start = vma->vm_start;	/* down to the stack's start */
		if (!protection_allowed(mm, start, end,
					prot_to_vm_flags(prot) & VM_ACCESS_FLAGS))
			err = -EACCES;	/* more than the file's open allows */
		else
			err = for_each_vma_in(mm, start, end, set_protection,
					      prot_to_vm_flags(prot) & VM_ACCESS_FLAGS);
	}
	mutex_unlock(&mm->mmap_lock);
	return err;
}

static void advise_dontneed(struct vm_area *vma, unsigned long unused)
{
	(void)unused;
	zap_page_range(vma->vm_mm, vma->vm_start, vma->vm_end);
}

static void advise_fork(struct vm_area *vma, unsigned long dontfork)
{
	if (dontfork)
		vma->vm_flags |= VM_DONTCOPY;
	else
		vma->vm_flags &= ~VM_DONTCOPY;
}

long sys_madvise(unsigned long start, size_t len, int advice)
{
	struct mm *mm = current->mm;
	unsigned long end = start + PAGE_ALIGN(len);
	long err = 0;

	if (!page_aligned(start) || end < start)
		return -EINVAL;
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL:
	case MADV_WILLNEED: case MADV_HUGEPAGE: case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP: case MADV_DODUMP: case MADV_MERGEABLE:
	case MADV_UNMERGEABLE: case MADV_DONTNEED: case MADV_FREE:
	case MADV_DONTFORK: case MADV_DOFORK:
		break;
	default:
		return -EINVAL;
	}
	if (len == 0)
		return 0;
	mutex_lock(&mm->mmap_lock);
	if (advice == MADV_DONTNEED || advice == MADV_FREE)
		err = for_each_vma_in(mm, start, end, advise_dontneed, 0);
	else if (advice == MADV_DONTFORK || advice == MADV_DOFORK)
		err = for_each_vma_in(mm, start, end, advise_fork,
				      advice == MADV_DONTFORK);
	else if (!fully_mapped(mm, start, end))
		err = -ENOMEM;	/* hints: accepted, nothing to do */
	mutex_unlock(&mm->mmap_lock);
	return err;
}

/* --- msync ------------------------------------------------------------------ */

/*
 * msync(2): MS_SYNC writes the shared file mappings of the range to
 * their files (->fsync, with mmap_lock dropped: a file system's fsync
 * may take locks a page fault takes after mmap_lock); MS_ASYNC has
 * nothing to start — stores to a shared mapping are in the page cache
 * already, which is what read(2) sees; MS_INVALIDATE has no other copies
 * to drop for the same reason.  A hole in the range is ENOMEM, after the
 * rest is done, as Linux does.
 */
long sys_msync(unsigned long start, size_t len, int flags)
{
	struct mm *mm = current->mm;
	unsigned long end;
	struct vm_area *vma;
	struct file *file;
	long err = 0;
	bool hole = false;

	if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
	    !page_aligned(start) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end < start)
		return -ENOMEM;
	mutex_lock(&mm->mmap_lock);
	while (start < end) {
		vma = find_vma(mm, start);
		if (!vma) {
			hole = true;
			break;
		}
		if (start < vma->vm_start)
			hole = true;
		start = vma->vm_end;
		file = vma->vm_file;
		if (!(flags & MS_SYNC) || !file || !(vma->vm_flags & VM_SHARED) ||
		    !file->f_op->fsync)
			continue;
		get_file(file);
		mutex_unlock(&mm->mmap_lock);
		err = file->f_op->fsync(file, 0);
		fput(file);
		if (err)
			return err;
		mutex_lock(&mm->mmap_lock);
	}
	mutex_unlock(&mm->mmap_lock);
	return hole ? -ENOMEM : 0;
}

/* --- brk -------------------------------------------------------------------- */

/* Move the heap's end from @old to @new (both page aligned); (M). */
static int move_brk(struct mm *mm, unsigned long old, unsigned long new)
{
	struct vm_area *vma, *next;

	if (new < old)
		return __do_munmap(mm, new, old - new);
	next = find_vma(mm, old);
	if (next && next->vm_start < new + STACK_GUARD_GAP &&
	    (next->vm_flags & VM_GROWSDOWN || next->vm_start < new))
		return -ENOMEM;
	if (over_as_limit(mm, (new - old) >> PAGE_SHIFT))
		return -ENOMEM;
	vma = old > mm->start_brk ? find_vma(mm, old - 1) : NULL;
	if (vma && vma->vm_end == old && !vma->vm_shared && !vma->vm_file &&
	    vma->vm_start >= mm->start_brk) {
		vma->vm_end = new;
		mm->total_vm += (new - old) >> PAGE_SHIFT;
		return 0;
	}
	return map_region(mm, NULL, old, new - old,
			  VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC,
			  0, false) < 0 ? -ENOMEM : 0;
}

long sys_brk(unsigned long brk)
{
	struct mm *mm = current->mm;
	unsigned long limit = task_rlimit(current, RLIMIT_DATA), ret;

	mutex_lock(&mm->mmap_lock);
	if (brk >= mm->start_brk && brk <= STACK_TOP &&
	    (limit == RLIM_INFINITY || brk - mm->start_brk <= limit)) {
		if (PAGE_ALIGN(brk) == PAGE_ALIGN(mm->brk) ||
		    move_brk(mm, PAGE_ALIGN(mm->brk), PAGE_ALIGN(brk)) == 0)
			mm->brk = brk;
	}
	ret = mm->brk;
	mutex_unlock(&mm->mmap_lock);
	return ret;
}

/* --- mremap ------------------------------------------------------------------ */

/* Grow @vma in place to end at @new_end, if nothing is in the way. */
static bool grow_in_place(struct vm_area *vma, unsigned long new_end)
{
	struct vm_area *next = vma_next(vma);

	if (new_end > STACK_TOP || (next && next->vm_start < new_end))
		return false;
	if (vma->vm_shared &&
	    shmem_object_resize(vma->vm_shared, vma->vm_pgoff +
				((new_end - vma->vm_start) >> PAGE_SHIFT)))
		return false;
	vma->vm_mm->total_vm += (new_end - vma->vm_end) >> PAGE_SHIFT;
	vma->vm_end = new_end;
	return true;
}

/* Move [@addr, @addr + @old_len) of @vma to a new VMA at @to, @new_len long. */
static long move_mapping(struct vm_area *vma, unsigned long addr,
			 unsigned long old_len, unsigned long to,
			 unsigned long new_len)
{
	struct mm *mm = vma->vm_mm;
	unsigned long pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	struct vm_area *moved = vma_alloc(mm, to, to + new_len, vma->vm_flags);

	if (!moved)
		return -ENOMEM;
	if (vma->vm_shared &&
	    shmem_object_resize(vma->vm_shared, pgoff + (new_len >> PAGE_SHIFT))) {
		vma_free(moved);
		return -ENOMEM;
	}
	vma_copy_backing(moved, vma, pgoff);
	if (vma_insert(mm, moved) ||
	    move_page_range(mm, addr, to, MIN(old_len, new_len))) {
		if (!list_empty(&moved->vm_list))
			vma_unlink(moved);
		vma_free(moved);
		return -ENOMEM;
	}
	__do_munmap(mm, addr, old_len);
	return to;
}

static long do_mremap(struct mm *mm, unsigned long addr, unsigned long old_len,
		      unsigned long new_len, unsigned long flags,
		      unsigned long new_addr)
{
	struct vm_area *vma = find_vma(mm, addr);
	long to;

	if (!vma || vma->vm_start > addr || vma->vm_end < addr + old_len)
		return -EFAULT;
	if (flags & MREMAP_FIXED) {
		if (!page_aligned(new_addr) || new_addr < MMAP_MIN_ADDR ||
		    new_addr > STACK_TOP || new_len > STACK_TOP - new_addr)
			return -EINVAL;
		if (new_addr < addr + old_len && addr < new_addr + new_len)
			return -EINVAL;		/* the ranges overlap */
		to = __do_munmap(mm, new_addr, new_len);
		vma = find_vma(mm, addr);	/* the unmap may have cut VMAs */
		return to ? to : move_mapping(vma, addr, old_len, new_addr, new_len);
	}
	if (new_len <= old_len) {
		if (new_len < old_len)
			__do_munmap(mm, addr + new_len, old_len - new_len);
		return addr;
	}
	if (vma->vm_end == addr + old_len && grow_in_place(vma, addr + new_len))
		return addr;
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	to = get_unmapped_area(mm, 0, new_len, false);
	return to < 0 ? to : move_mapping(vma, addr, old_len, to, new_len);
}

long sys_mremap(unsigned long addr, unsigned long old_len,
		unsigned long new_len, unsigned long flags,
		unsigned long new_addr)
{
	struct mm *mm = current->mm;
	long ret;

	if (!page_aligned(addr) || (flags & ~(unsigned long)(MREMAP_MAYMOVE | MREMAP_FIXED)))
		return -EINVAL;	/* MREMAP_DONTUNMAP: not supported (EINVAL) */
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (new_len == 0 || old_len == 0)
		return -EINVAL;	/* old_len 0 duplicates shared mappings: unsupported */
	if (over_as_limit(mm, new_len > old_len ? (new_len - old_len) >> PAGE_SHIFT : 0))
		return -ENOMEM;
	mutex_lock(&mm->mmap_lock);
	ret = do_mremap(mm, addr, old_len, new_len, flags, new_addr);
	mutex_unlock(&mm->mmap_lock);
	return ret;
}
