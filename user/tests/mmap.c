/*
 * mmap — the memory system calls and demand paging (lab 7): mmap,
 * munmap, mprotect, mremap, madvise, brk, and the stack growing.
 *
 * Faults that must kill are provoked in a child (run_child) whose wait
 * status must say SIGSEGV; the kernel prints its kill line for each,
 * which the grader also checks once for a PROT_NONE page.  The 256 MiB
 * sparse mapping is touched once per MiB: demand paging means it costs
 * 256 pages, not 65536, and as many page faults (getrusage's ru_minflt).
 */
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "testlib.h"

#define MIB	(1UL << 20)
#define PAGE	4096UL

static int child_faults(void (*fn)(void *), void *arg)
{
	int status = run_child(fn, arg);

	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

static void touch_read(void *p)
{
	(void)*(volatile char *)p;
}

static void touch_write(void *p)
{
	*(volatile char *)p = 1;
}

static void sparse_256m(struct ktap_ctx *ctx)
{
	char *p = mmap(NULL, 256 * MIB, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	unsigned long long before = free_bytes(), used;
	struct rusage a, b;

	KT_EXPECT(ctx, p != MAP_FAILED);
	getrusage(RUSAGE_SELF, &a);
	for (unsigned long off = 0; off < 256 * MIB; off += MIB)
		p[off] = (char)(off >> 20);
	getrusage(RUSAGE_SELF, &b);
	used = before - free_bytes();
	printf("# 256 MiB mapping, one byte per MiB: %llu KiB used, %ld faults\n",
	       used >> 10, b.ru_minflt - a.ru_minflt);
	KT_EXPECT(ctx, used < 4 * MIB);		/* 256 pages + page tables */
	KT_EXPECT(ctx, b.ru_minflt - a.ru_minflt >= 256);
	for (unsigned long off = 0; off < 256 * MIB; off += MIB)
		if (p[off] != (char)(off >> 20) || p[off + 1] != 0) {
			ktap_fail(ctx, __FILE__, __LINE__, "wrong byte at +%lu MiB", off >> 20);
			break;
		}
	EXPECT_OK(ctx, munmap(p, 256 * MIB));
	KT_EXPECT(ctx, free_bytes() + MIB >= before);
}

static void munmap_middle(struct ktap_ctx *ctx)
{
	char *p = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	for (int i = 0; i < 8; i++)
		p[i * PAGE] = (char)(i + 1);
	EXPECT_OK(ctx, munmap(p + 2 * PAGE, 3 * PAGE));
	KT_EXPECT(ctx, child_faults(touch_read, p + 3 * PAGE));
	EXPECT_EQ(ctx, p[1 * PAGE], 2);
	EXPECT_EQ(ctx, p[5 * PAGE], 6);
	EXPECT_ERRNO(ctx, munmap(p + 1, PAGE), EINVAL);
	EXPECT_ERRNO(ctx, munmap(p, 0), EINVAL);
	EXPECT_OK(ctx, munmap(p + 2 * PAGE, 3 * PAGE));	/* nothing there: fine */
	EXPECT_OK(ctx, munmap(p, 8 * PAGE));
	KT_EXPECT(ctx, child_faults(touch_read, p));
}

static void mprotect_(struct ktap_ctx *ctx)
{
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	strcpy(p + PAGE, "kept");
	EXPECT_OK(ctx, mprotect(p + PAGE, PAGE, PROT_READ));
	KT_EXPECT(ctx, child_faults(touch_write, p + PAGE));
	EXPECT_EQ(ctx, p[PAGE], 'k');
	p[0] = 1;	/* the neighbours keep their rights */
	p[2 * PAGE] = 1;
	EXPECT_OK(ctx, mprotect(p + PAGE, PAGE, PROT_NONE));
	printf("# a child reads a PROT_NONE page at %p\n", (void *)(p + PAGE));
	fflush(stdout);
	KT_EXPECT(ctx, child_faults(touch_read, p + PAGE));
	EXPECT_OK(ctx, mprotect(p + PAGE, PAGE, PROT_READ | PROT_WRITE));
	KT_EXPECT(ctx, strcmp(p + PAGE, "kept") == 0);
	p[PAGE] = 'K';
	/* syscall(2): musl's mprotect() rounds the address down itself */
	EXPECT_ERRNO(ctx, syscall(SYS_mprotect, p + 1, PAGE, PROT_READ), EINVAL);
	EXPECT_ERRNO(ctx, mprotect(p, PAGE, 0x100), EINVAL);
	munmap(p + 3 * PAGE, PAGE);
	EXPECT_ERRNO(ctx, mprotect(p, 4 * PAGE, PROT_READ), ENOMEM);	/* a hole */
	munmap(p, 3 * PAGE);
}

static void exec_prot(struct ktap_ctx *ctx)
{
	unsigned char *code = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	code[0] = 0xb8;			/* mov $42, %eax */
	code[1] = 42; code[2] = 0; code[3] = 0; code[4] = 0;
	code[5] = 0xc3;			/* ret */
	KT_EXPECT(ctx, child_faults((void (*)(void *))(void *)code, NULL));
	EXPECT_OK(ctx, mprotect(code, PAGE, PROT_READ | PROT_EXEC));
	EXPECT_EQ(ctx, ((int (*)(void))(void *)code)(), 42);
	munmap(code, PAGE);
}

static void mremap_(struct ktap_ctx *ctx)
{
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q, *block;

	strcpy(p, "first");
	strcpy(p + PAGE, "second");
	/* Something right after it, so it cannot grow in place. */
	block = mmap(p + 2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		     MAP_FIXED_NOREPLACE, -1, 0);
	KT_EXPECT(ctx, block == p + 2 * PAGE);
	EXPECT_ERRNO(ctx, mremap(p, 2 * PAGE, 8 * PAGE, 0), ENOMEM);
	q = mremap(p, 2 * PAGE, 8 * PAGE, MREMAP_MAYMOVE);
	KT_EXPECT(ctx, q != MAP_FAILED && q != p);
	KT_EXPECT(ctx, strcmp(q, "first") == 0 && strcmp(q + PAGE, "second") == 0);
	q[7 * PAGE] = 1;	/* the new part is there and zero-filled */
	EXPECT_EQ(ctx, q[6 * PAGE], 0);
	KT_EXPECT(ctx, child_faults(touch_read, p));	/* the old place is gone */
	EXPECT_EQ(ctx, (long)mremap(q, 8 * PAGE, PAGE, 0), (long)q);	/* shrink */
	KT_EXPECT(ctx, child_faults(touch_read, q + PAGE));
	EXPECT_ERRNO(ctx, mremap(q + 1, PAGE, PAGE, 0), EINVAL);
	EXPECT_ERRNO(ctx, mremap(block + 5 * PAGE, PAGE, 2 * PAGE, MREMAP_MAYMOVE), EFAULT);
	munmap(q, PAGE);
	munmap(block, PAGE);
}

static void madvise_dontneed(struct ktap_ctx *ctx)
{
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	memset(p, 7, 4 * PAGE);
	EXPECT_OK(ctx, madvise(p + PAGE, 2 * PAGE, MADV_DONTNEED));
	EXPECT_EQ(ctx, p[0], 7);
	EXPECT_EQ(ctx, p[PAGE], 0);
	EXPECT_EQ(ctx, p[2 * PAGE + 100], 0);
	EXPECT_EQ(ctx, p[3 * PAGE], 7);
	EXPECT_ERRNO(ctx, madvise(p, PAGE, 9999), EINVAL);
	munmap(p + 3 * PAGE, PAGE);
	EXPECT_ERRNO(ctx, madvise(p, 4 * PAGE, MADV_DONTNEED), ENOMEM);
	munmap(p, 3 * PAGE);
}

static void brk_(struct ktap_ctx *ctx)
{
	char *start = (char *)syscall(SYS_brk, 0), *end;

	KT_EXPECT(ctx, start != NULL);
	end = (char *)syscall(SYS_brk, start + 3 * MIB + 5);
	EXPECT_EQ(ctx, (long)end, (long)(start + 3 * MIB + 5));
	memset(start, 9, 3 * MIB);
	EXPECT_EQ(ctx, start[3 * MIB - 1], 9);
	/* Below the start: refused, the old break comes back. */
	EXPECT_EQ(ctx, syscall(SYS_brk, 4096), (long)end);
	EXPECT_EQ(ctx, syscall(SYS_brk, start + PAGE), (long)(start + PAGE));
	KT_EXPECT(ctx, child_faults(touch_read, start + 2 * MIB));
	EXPECT_EQ(ctx, syscall(SYS_brk, start), (long)start);
}

static void fixed_and_hints(struct ktap_ctx *ctx)
{
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q;

	memset(p, 5, 4 * PAGE);
	q = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	EXPECT_EQ(ctx, (long)q, (long)(p + PAGE));
	EXPECT_EQ(ctx, q[0], 0);	/* replaced: fresh memory */
	EXPECT_EQ(ctx, p[0], 5);
	EXPECT_EQ(ctx, p[2 * PAGE], 5);
	EXPECT_ERRNO(ctx, mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
			       MAP_FIXED_NOREPLACE, -1, 0), EEXIST);
	munmap(p, 4 * PAGE);
	q = mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT_EQ(ctx, (long)q, (long)p);	/* a free hint is taken */
	munmap(q, PAGE);
}

static void errors(struct ktap_ctx *ctx)
{
	EXPECT_ERRNO(ctx, mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	EXPECT_ERRNO(ctx, mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
	EXPECT_ERRNO(ctx, mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 99, 0), EBADF);
	EXPECT_ERRNO(ctx, mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 5), EINVAL);
	EXPECT_ERRNO(ctx, mmap((void *)PAGE, PAGE, PROT_READ,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EPERM);
	EXPECT_ERRNO(ctx, mmap(NULL, 1UL << 50, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		     ENOMEM);
	EXPECT_ERRNO(ctx, mmap((void *)0x1001, PAGE, PROT_READ,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);
}

/* Deep recursion: the stack grows down, page by page, far past its start. */
static int recurse(int depth)
{
	volatile char frame[8192];

	frame[0] = (char)depth;
	frame[8191] = (char)depth;
	if (depth == 0)
		return frame[0];
	return recurse(depth - 1) + frame[8191] - (char)depth;
}

static void stack_growth(struct ktap_ctx *ctx)
{
	EXPECT_EQ(ctx, recurse(256), 0);	/* 2 MiB of stack */
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(sparse_256m), KTAP_CASE(munmap_middle), KTAP_CASE(mprotect_),
		KTAP_CASE(exec_prot), KTAP_CASE(mremap_), KTAP_CASE(madvise_dontneed),
		KTAP_CASE(brk_), KTAP_CASE(fixed_and_hints), KTAP_CASE(errors),
		KTAP_CASE(stack_growth),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
