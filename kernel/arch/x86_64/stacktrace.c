/*
 * stacktrace.c — walking the kernel stack by frame pointers.
 *
 * Lab 1 exercise.  The kernel is compiled with -fno-omit-frame-pointer, so
 * every function begins with `push %rbp; mov %rsp, %rbp`.  RBP therefore
 * points at a two-word record on the stack (System V AMD64 ABI §3.2.2):
 *
 *	rbp + 8:  return address into the caller
 *	rbp + 0:  the caller's saved rbp   ->  the caller's record, higher up
 *
 * Following the saved-rbp links from the faulting frame visits every caller
 * in turn; the chain ends at rbp = 0, which head.S sets before calling
 * start_kernel.  A return address points just past the call instruction,
 * which may be the first byte of the next function when the call was the
 * caller's last instruction, so a return address is looked up as address-1
 * (and printed as itself).
 */
#include <kestrel/kallsyms.h>
#include <kestrel/printk.h>
#include <kestrel/stacktrace.h>

#if SOL >= 1
struct stack_frame {
	struct stack_frame *next;	/* the caller's saved rbp */
	unsigned long ret;		/* return address into the caller */
};

#define KERNEL_HALF_START	0xffff800000000000UL

/* Only follow pointers into the kernel half, aligned, moving up the stack. */
static bool frame_plausible(const struct stack_frame *f,
			    const struct stack_frame *prev)
{
	unsigned long a = (unsigned long)f;

	if (a < KERNEL_HALF_START || (a & 7))
		return false;
	return prev == NULL || f > prev;
}

static void print_frame(unsigned long addr, bool is_return)
{
	unsigned long off, size;
	const char *name = kallsyms_lookup(addr - is_return, &off, &size);

	if (name)
		pr_emerg(" [<%016lx>] %s+0x%lx/0x%lx\n", addr, name,
			 off + is_return, size);
	else
		pr_emerg(" [<%016lx>] ?\n", addr);
}
#endif

void show_backtrace(unsigned long pc, unsigned long fp)
{
#if SOL >= 1
	const struct stack_frame *f = (const struct stack_frame *)fp;
	const struct stack_frame *prev = NULL;
	int n;

	pr_emerg("Call Trace:\n");
	print_frame(pc, false);
	for (n = 1; n < BACKTRACE_MAX_FRAMES && frame_plausible(f, prev); n++) {
		if (f->ret == 0)
			break;
		print_frame(f->ret, true);
		prev = f;
		f = f->next;
	}
#else
	/*
	 * LAB 1: print "Call Trace:", then a line " [<%016lx>] name+0xoff/0xsize"
	 * for @pc and then for each return address found by following the
	 * frame-pointer chain that starts at @fp (see the diagram above).
	 * kallsyms_lookup() gives name, offset and size.  Stop at a zero or
	 * implausible frame pointer (not in the kernel half, misaligned, or not
	 * above the previous one) and after BACKTRACE_MAX_FRAMES frames.
	 */
	pr_emerg("Call Trace: not implemented yet (lab 1)\n");
#endif
}
